// SPDX-License-Identifier: GPL-2.0
/*
 * sspi_kmod: the context table and the lifetime of contexts.
 *
 * Contexts are listed in an xarray indexed by the counter their handle was
 * made from (handle.c): a handle is a keyed permutation of a counter, and
 * the permutation runs backwards, so a lookup turns the handle into its
 * counter and loads that one slot: one walk down a radix tree of 64-way
 * nodes, as deep as the highest counter needs (three levels up to
 * 262,144 imports since the module loaded, four up to 16.7 million),
 * with no hash chains to walk and no table to resize.  The counter grows
 * with every import, so listings go in index order and resume from an
 * index.  The table is dense while contexts go in about the order they
 * came; at worst, a long-lived context alone in its 64 slots among
 * short-lived ones keeps a leaf node (576 bytes on 64-bit) to itself.
 * Lookups run under RCU and take a reference only if the context is still
 * alive.  The table owns one reference; deleting a context unlists it and
 * drops that reference, and whoever still holds one may finish what it is
 * doing but gets SEC_E_CONTEXT_EXPIRED from any further operation.  The last
 * reference destroys the package state (zeroizing its keys) and frees the
 * context after a grace period.
 *
 * A context past its expiry time refuses every operation but stays listed,
 * marked expired, until it is reaped: by an import that finds its
 * namespace at max_contexts, or by the reaper, a delayed work that frees
 * the contexts expired for SSPI_REAP_GRACE seconds.
 */

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/errno.h>
#include <linux/hashtable.h>
#include <linux/limits.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/timekeeping.h>
#include <linux/user_namespace.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include "async.h"
#include "context.h"
#include "handle.h"
#include "package.h"
#include "sspi_trace.h"
#include "stats.h"

/*
 * The listed contexts, by the counter of their handle; changed under
 * sspi_ctx_lock (and the xarray's own lock, inside it), read under RCU.
 * An import reserves its slot before it takes sspi_ctx_lock, so that
 * listing the context allocates nothing.  The xarray's nodes are charged
 * to the memory cgroup of the importer that needs them.
 */
static DEFINE_XARRAY_FLAGS(sspi_ctx_table, XA_FLAGS_ACCOUNT);
static DEFINE_SPINLOCK(sspi_ctx_lock);

/*
 * The table's index of a handle's @counter, in @index: false if it has
 * none.  Always true where unsigned long has 64 bits; with 32, the
 * counters past ULONG_MAX (after four thousand million imports) have no
 * index, and importing fails with -EOVERFLOW until the module reloads.
 */
static bool sspi_ctx_index(u64 counter, unsigned long *index)
{
	*index = counter;
	return *index == counter;
}

/*
 * Seconds an expired context stays listed (marked expired) before the
 * reaper frees it, and how often the reaper runs while contexts with an
 * expiry time are listed.
 */
#define SSPI_REAP_GRACE 60

/* Listed contexts with an expiry time, under sspi_ctx_lock. */
static unsigned int sspi_ctx_expiring;

static void sspi_context_reaper(struct work_struct *work);
static DECLARE_DELAYED_WORK(sspi_reap_work, sspi_context_reaper);

/*
 * Importing needs CAP_NET_ADMIN over a network namespace, which any user
 * may have over namespaces of their own: a limit per namespace keeps one
 * namespace from filling the kernel's memory, a limit per user (across
 * all namespaces, as the kernel's ucounts) keeps a user with many from
 * doing so, and a limit on all contexts bounds them together.
 */
unsigned int sspi_max_contexts = 4096;
module_param_named(max_contexts, sspi_max_contexts, uint, 0644);
MODULE_PARM_DESC(max_contexts, "most contexts one network namespace may hold (default 4096)");

unsigned int sspi_max_contexts_per_user = 8192;
module_param_named(max_contexts_per_user, sspi_max_contexts_per_user, uint, 0644);
MODULE_PARM_DESC(max_contexts_per_user,
		 "most contexts one user (effective uid) may own in all network namespaces together (default 8192)");

unsigned int sspi_max_contexts_total = 65536;
module_param_named(max_contexts_total, sspi_max_contexts_total, uint, 0644);
MODULE_PARM_DESC(max_contexts_total, "most contexts there may be in all (default 65536)");

/*
 * How many contexts are listed, per namespace and per owner, so that an
 * import checks its limits without walking the table: entries of a small
 * hash table each, keyed by the namespace's address or the owner's uid in
 * the initial user namespace, made on a key's first context and freed
 * with its last.  Under sspi_ctx_lock, as sspi_ctx_total is.
 */
#define SSPI_COUNT_HASH_BITS 6

struct sspi_ctx_count {
	struct hlist_node node;
	unsigned long key;
	unsigned int n;
};

static DEFINE_HASHTABLE(sspi_net_counts, SSPI_COUNT_HASH_BITS);
static DEFINE_HASHTABLE(sspi_user_counts, SSPI_COUNT_HASH_BITS);
static unsigned int sspi_ctx_total;

static struct sspi_ctx_count *sspi_count_find(struct hlist_head *tbl,
					      unsigned long key)
{
	struct sspi_ctx_count *c;

	lockdep_assert_held(&sspi_ctx_lock);
	hlist_for_each_entry(c, &tbl[hash_min(key, SSPI_COUNT_HASH_BITS)], node)
		if (c->key == key)
			return c;
	return NULL;
}

static unsigned int sspi_count_of(struct hlist_head *tbl, unsigned long key)
{
	struct sspi_ctx_count *c = sspi_count_find(tbl, key);

	return c ? c->n : 0;
}

/* Count one more for @key, in @c*, a new entry, if it has none yet. */
static void sspi_count_inc(struct hlist_head *tbl, unsigned long key,
			   struct sspi_ctx_count **new)
{
	struct sspi_ctx_count *c = sspi_count_find(tbl, key);

	if (!c) {
		c = *new;
		*new = NULL;
		c->key = key;
		c->n = 0;
		hlist_add_head(&c->node, &tbl[hash_min(key, SSPI_COUNT_HASH_BITS)]);
	}
	c->n++;
}

static void sspi_count_dec(struct hlist_head *tbl, unsigned long key)
{
	struct sspi_ctx_count *c = sspi_count_find(tbl, key);

	if (WARN_ON_ONCE(!c))
		return;
	if (!--c->n) {
		hlist_del(&c->node);
		kfree(c);
	}
}

static unsigned long sspi_net_key(const struct net *net)
{
	return (unsigned long)net;
}

static unsigned long sspi_user_key(kuid_t uid)
{
	return __kuid_val(uid);
}

/*
 * Which limit a new context of @owner in @net would pass, under
 * sspi_ctx_lock: 0 for none; -EMFILE, the namespace's; -EDQUOT, the
 * user's; -ENFILE, the one on all contexts.
 */
static int sspi_context_over_limit(struct net *net, kuid_t owner)
{
	lockdep_assert_held(&sspi_ctx_lock);
	if (sspi_count_of(sspi_net_counts, sspi_net_key(net)) >=
	    READ_ONCE(sspi_max_contexts))
		return -EMFILE;
	if (sspi_count_of(sspi_user_counts, sspi_user_key(owner)) >=
	    READ_ONCE(sspi_max_contexts_per_user))
		return -EDQUOT;
	if (sspi_ctx_total >= READ_ONCE(sspi_max_contexts_total))
		return -ENFILE;
	return 0;
}

/*
 * Take @ctx off the table; under sspi_ctx_lock.  The table's reference
 * is the caller's to drop.
 */
static void sspi_context_unlist(struct sspi_context *ctx)
{
	lockdep_assert_held(&sspi_ctx_lock);
	xa_erase(&sspi_ctx_table, ctx->index);
	WRITE_ONCE(ctx->dead, true);
	if (ctx->expiry)
		sspi_ctx_expiring--;
	sspi_count_dec(sspi_net_counts, sspi_net_key(read_pnet(&ctx->net)));
	sspi_count_dec(sspi_user_counts, sspi_user_key(ctx->owner));
	sspi_ctx_total--;
}

/* Which contexts sspi_context_unlist_one() takes. */
struct sspi_ctx_match {
	struct net *net;			/* NULL: any */
	const struct sspi_package *pkg;		/* NULL: any */
	const kuid_t *owner;			/* NULL: any */
	time64_t expired_by;			/* 0: any; else expired by then */
};

static void sspi_context_unlist_all(const struct sspi_ctx_match *m);

static void sspi_context_free_rcu(struct rcu_head *head)
{
	kfree_sensitive(container_of(head, struct sspi_context, rcu));
}

static void sspi_context_destroy(struct sspi_context *ctx)
{
	ctx->pkg->ops->destroy(ctx);
	mutex_destroy(&ctx->tx.lock);
	mutex_destroy(&ctx->rx.lock);
	call_rcu(&ctx->rcu, sspi_context_free_rcu);
}

/**
 * sspi_context_put() - drop a reference to a context
 * @ctx: the context, or NULL
 *
 * The last reference destroys the context's state.
 *
 * Context: process context; may sleep.
 */
void sspi_context_put(struct sspi_context *ctx)
{
	might_sleep();
	if (ctx && refcount_dec_and_test(&ctx->ref))
		sspi_context_destroy(ctx);
}
EXPORT_SYMBOL_GPL(sspi_context_put);

/* sspi_context_import() without its trace event */
static int sspi_context_create(const char *pkg_name, struct net *net,
			       kuid_t owner, time64_t expiry, const void *data,
			       size_t len, u64 *handle)
{
	const struct sspi_package *outer = sspi_package_find(pkg_name);
	const struct sspi_package *pkg = outer;
	struct sspi_ctx_count *net_count = NULL, *user_count = NULL;
	const void *inner_data;
	struct sspi_context *ctx;
	unsigned long index;
	size_t inner_len;
	u64 counter;
	void *copy;
	int err;

	if (!outer)
		return -EPROTONOSUPPORT;
	if (expiry && ktime_get_real_seconds() >= expiry)
		return -EKEYEXPIRED;
	/*
	 * The package reads @data as its structure, u64 members included:
	 * give it an aligned copy (a netlink attribute is aligned to 4 only).
	 */
	copy = kmemdup(data, len, GFP_KERNEL_ACCOUNT);
	if (!copy)
		return -ENOMEM;
	inner_data = copy;
	inner_len = len;
	if (outer->ops->select) {
		err = outer->ops->select(copy, len, &pkg, &inner_data, &inner_len);
		/* one level only: a selected package runs the context itself */
		if (!err && (!pkg || pkg->ops->select))
			err = -EINVAL;
		if (err)
			goto out_copy;
	}
	ctx = kzalloc(struct_size(ctx, priv, pkg->priv_size),
		      GFP_KERNEL_ACCOUNT);
	if (!ctx) {
		err = -ENOMEM;
		goto out_copy;
	}
	ctx->pkg = pkg;
	ctx->outer = outer;
	write_pnet(&ctx->net, net);
	ctx->owner = owner;
	ctx->expiry = expiry;
	mutex_init(&ctx->tx.lock);
	mutex_init(&ctx->rx.lock);
	sspi_stats_init(&ctx->tx);
	sspi_stats_init(&ctx->rx);
	sspi_async_init(&ctx->tx);
	sspi_async_init(&ctx->rx);
	err = pkg->ops->init(ctx, inner_data, inner_len);
	kfree_sensitive(copy);	/* keys */
	if (err) {
		mutex_destroy(&ctx->tx.lock);
		mutex_destroy(&ctx->rx.lock);
		kfree_sensitive(ctx);
		return err;
	}
	refcount_set(&ctx->ref, 1);

	/*
	 * The handle, and the table's slot for it, reserved here where
	 * allocating may sleep; a failed import leaves its counter unused.
	 */
	ctx->handle = sspi_handle_next(&counter);
	if (!sspi_ctx_index(counter, &index)) {
		err = -EOVERFLOW;
		goto out_put;
	}
	ctx->index = index;
	err = xa_reserve(&sspi_ctx_table, index, GFP_KERNEL_ACCOUNT);
	if (err)
		goto out_put;

	/* a namespace's or a user's first context makes its count */
	net_count = kmalloc(sizeof(*net_count), GFP_KERNEL_ACCOUNT);
	user_count = kmalloc(sizeof(*user_count), GFP_KERNEL_ACCOUNT);
	if (!net_count || !user_count) {
		err = -ENOMEM;
		goto out_counts;
	}
	spin_lock(&sspi_ctx_lock);
	/*
	 * A namespace whose exit already flushed the table must not gain a
	 * context; its flush takes this lock, so checking here is enough.
	 */
	if (!check_net(net)) {
		err = -ENOENT;
	} else if (sspi_context_over_limit(net, owner)) {
		/*
		 * Expired contexts hold no quota: reap those the limit
		 * counts (the namespace's, the user's, or all), count again.
		 */
		struct sspi_ctx_match m = {
			.expired_by = ktime_get_real_seconds(),
		};

		err = sspi_context_over_limit(net, owner);
		if (err == -EMFILE)
			m.net = net;
		else if (err == -EDQUOT)
			m.owner = &owner;
		spin_unlock(&sspi_ctx_lock);
		sspi_context_unlist_all(&m);
		spin_lock(&sspi_ctx_lock);
		err = check_net(net) ? sspi_context_over_limit(net, owner) : -ENOENT;
	}
	if (err) {
		spin_unlock(&sspi_ctx_lock);
		goto out_counts;
	}
	sspi_count_inc(sspi_net_counts, sspi_net_key(net), &net_count);
	sspi_count_inc(sspi_user_counts, sspi_user_key(owner), &user_count);
	sspi_ctx_total++;
	/* into the reserved slot: allocates nothing, cannot fail */
	WARN_ON_ONCE(xa_err(xa_store(&sspi_ctx_table, index, ctx, GFP_NOWAIT)));
	if (expiry)
		sspi_ctx_expiring++;
	spin_unlock(&sspi_ctx_lock);
	if (expiry)
		/* no-op while the reaper is pending already */
		schedule_delayed_work(&sspi_reap_work, SSPI_REAP_GRACE * HZ);
	kfree(net_count);
	kfree(user_count);
	*handle = ctx->handle;
	return 0;

out_counts:
	kfree(net_count);
	kfree(user_count);
	xa_release(&sspi_ctx_table, index);
out_put:
	sspi_context_put(ctx);
	return err;

out_copy:
	kfree_sensitive(copy);
	return err;
}

/**
 * sspi_context_import() - create a context and list it
 * @pkg_name: the package, by SSPI name
 * @net: the network namespace it will be visible in
 * @owner: effective uid of the importer
 * @expiry: wall-clock second it expires at, 0 for never
 * @data: the package's import structure
 * @len: its size
 * @handle: the new context's handle
 *
 * The package sets up its state (and keys its transforms) before the
 * context becomes visible.  A delegating package (Negotiate) selects
 * from @data the package that runs the context and that package's own
 * import; the context then belongs to the selected package (ctx->pkg),
 * and remembers the named one (ctx->outer).  The caller holds a
 * reference to @net.
 *
 * Context: process context; may sleep.
 * Return: 0; -EPROTONOSUPPORT (SEC_E_SECPKG_NOT_FOUND) for an unknown
 * package, or a delegating package's selection of one that is not
 * registered; -EKEYEXPIRED for an expiry time already past; -ENOENT when
 * @net is being dismantled; -EMFILE when @net has max_contexts contexts
 * already, -EDQUOT when @owner has max_contexts_per_user in all
 * namespaces, -ENFILE when there are max_contexts_total in all (each
 * after reaping the expired contexts that limit counts); -EOVERFLOW on a
 * 32-bit kernel that made 2^32 - 1 handles since the module loaded (the
 * table's index is an unsigned long); -ENOMEM; or the package's error for
 * a bad import structure.
 */
int sspi_context_import(const char *pkg_name, struct net *net, kuid_t owner,
			time64_t expiry, const void *data, size_t len,
			u64 *handle)
{
	int err = sspi_context_create(pkg_name, net, owner, expiry, data, len,
				      handle);

	trace_sspi_ctx_import(pkg_name, err ? 0 : *handle, owner, expiry, err);
	return err;
}

static bool sspi_context_may_use(const struct sspi_context *ctx,
				 const struct sspi_requester *req)
{
	return !req || req->admin || uid_eq(ctx->owner, req->uid);
}

/*
 * Under rcu_read_lock() or sspi_ctx_lock.  Every 64-bit value is the
 * handle of some counter: the slot of that counter holds the context only
 * if one was listed under it, and the handle is compared all the same.
 */
static struct sspi_context *sspi_context_find(struct net *net, u64 handle)
{
	struct sspi_context *ctx;
	unsigned long index;

	if (!handle || !sspi_ctx_index(sspi_handle_counter(handle), &index))
		return NULL;
	ctx = xa_load(&sspi_ctx_table, index);
	if (ctx && ctx->handle == handle && net_eq(read_pnet(&ctx->net), net))
		return ctx;
	return NULL;
}

/**
 * sspi_context_get() - find a context and take a reference
 * @net: the caller's network namespace
 * @handle: the handle
 * @req: who asks: only the owner or an admin gets the context; NULL for
 *	kernel callers, who act for the kernel
 *
 * Context: any context that may take rcu_read_lock().
 * Return: the context, or NULL if @net has no such context or @req may
 * not use it (the two look the same to the caller).
 */
struct sspi_context *sspi_context_get(struct net *net, u64 handle,
				      const struct sspi_requester *req)
{
	struct sspi_context *ctx;

	rcu_read_lock();
	ctx = sspi_context_find(net, handle);
	if (ctx && (!sspi_context_may_use(ctx, req) ||
		    !refcount_inc_not_zero(&ctx->ref)))
		ctx = NULL;
	rcu_read_unlock();
	return ctx;
}

/**
 * sspi_context_lookup() - find a context for a kernel consumer
 * @net: the network namespace the context was imported in
 * @handle: the handle the consumer was given (by its userspace helper)
 *
 * No owner check: any context of @net is found by its handle.  Right for
 * a handle from a source the consumer trusts, such as its own helper; a
 * handle from a user the consumer acts for, who may not own the context,
 * takes sspi_context_lookup_cred().
 *
 * Release the context with sspi_context_put(), in process context.
 *
 * Context: any context that may take rcu_read_lock().
 * Return: the context with a reference held, or NULL if there is none.
 */
struct sspi_context *sspi_context_lookup(struct net *net, u64 handle)
{
	return sspi_context_get(net, handle, NULL);
}
EXPORT_SYMBOL_GPL(sspi_context_lookup);

/*
 * Whether @cred has CAP_NET_ADMIN in @ns: the rule of cap_capable(), the
 * kernel's own (which is not exported): the capability in the effective
 * set of @cred when @ns is its user namespace, and every capability over
 * the namespaces a user namespace of its owns.  Linux security modules
 * are not asked.
 */
static bool sspi_cred_net_admin(const struct cred *cred,
				struct user_namespace *ns)
{
	for (;;) {
		if (ns == cred->user_ns)
			return cap_raised(cred->cap_effective, CAP_NET_ADMIN);
		if (ns->level <= cred->user_ns->level)
			return false;
		if (ns->parent == cred->user_ns && uid_eq(ns->owner, cred->euid))
			return true;
		ns = ns->parent;
	}
}

/**
 * sspi_context_lookup_cred() - find a context for a kernel consumer,
 *	on behalf of a user
 * @net: the network namespace the context was imported in
 * @handle: the handle, as that user gave it
 * @cred: the user's credentials, e.g. the f_cred of the file or socket
 *	the handle came through, or current_cred() in the system call
 *
 * The owner rule of the netlink family and of /dev/sspi: the context is
 * found only if @cred's effective uid imported it, or @cred has
 * CAP_NET_ADMIN in the user namespace owning @net (by the capability
 * rules of the kernel's commoncap; Linux security modules are not
 * asked).  A consumer that takes handles from userspace less privileged
 * than itself uses this, so that a user cannot reach another's context
 * by its handle through the consumer; sspi_context_lookup() is for
 * handles from a source the consumer trusts (its own helper, which
 * imported the context).
 *
 * Release the context with sspi_context_put(), in process context.
 *
 * Context: any context that may take rcu_read_lock().
 * Return: the context with a reference held, or NULL if there is none
 * that @cred may use (the two look the same).
 */
struct sspi_context *sspi_context_lookup_cred(struct net *net, u64 handle,
					      const struct cred *cred)
{
	struct sspi_context *ctx;

	rcu_read_lock();
	ctx = sspi_context_find(net, handle);
	/* the capability only matters, and is only looked at, for another's */
	if (ctx && !uid_eq(ctx->owner, cred->euid) &&
	    !sspi_cred_net_admin(cred, net->user_ns))
		ctx = NULL;
	if (ctx && !refcount_inc_not_zero(&ctx->ref))
		ctx = NULL;
	rcu_read_unlock();
	return ctx;
}
EXPORT_SYMBOL_GPL(sspi_context_lookup_cred);

/**
 * sspi_context_get_next() - the next context @req may use in @net
 * @net: the network namespace
 * @pos: where the listing is: the table's index of the last context
 *	listed (0 for none yet); advanced past the context returned
 * @req: who asks, as for sspi_context_get()
 *
 * For listings that resume where they stopped (netlink dumps).  Contexts
 * come in the order of the table's index, which never changes for a
 * listed context and is never reused, so a position holds whatever comes
 * or goes meanwhile: a context deleted at or before it moves no other
 * context past it, and one being freed is passed over, not taken for the
 * end.  Each context listed at the start and all the while is returned
 * exactly once.
 *
 * Context: any context that may take rcu_read_lock().
 * Return: the context with a reference held, or NULL past the last one.
 */
struct sspi_context *sspi_context_get_next(struct net *net,
					   struct sspi_ctx_pos *pos,
					   const struct sspi_requester *req)
{
	struct sspi_context *ctx;
	unsigned long index;

	/* the last index there is was listed: nothing comes after it */
	if (pos->index == ULONG_MAX)
		return NULL;
	rcu_read_lock();
	xa_for_each_start(&sspi_ctx_table, index, ctx, pos->index + 1) {
		pos->index = index;
		if (!net_eq(read_pnet(&ctx->net), net) ||
		    !sspi_context_may_use(ctx, req) || READ_ONCE(ctx->dead))
			continue;
		/* one being freed is passed over */
		if (refcount_inc_not_zero(&ctx->ref)) {
			rcu_read_unlock();
			return ctx;
		}
	}
	rcu_read_unlock();
	return NULL;
}

/**
 * sspi_context_delete() - DeleteSecurityContext: unlist a context
 * @net: the caller's network namespace
 * @handle: the handle
 * @req: who asks, as for sspi_context_get()
 *
 * Operations already running finish; later ones on references still held
 * fail with -EKEYEXPIRED.
 *
 * Context: process context; may sleep.
 * Return: 0, or -ENOENT if there is no such context for @req.
 */
int sspi_context_delete(struct net *net, u64 handle,
			const struct sspi_requester *req)
{
	struct sspi_context *ctx;

	spin_lock(&sspi_ctx_lock);
	ctx = sspi_context_find(net, handle);
	if (!ctx || !sspi_context_may_use(ctx, req)) {
		spin_unlock(&sspi_ctx_lock);
		return -ENOENT;
	}
	sspi_context_unlist(ctx);
	spin_unlock(&sspi_ctx_lock);
	trace_sspi_ctx_delete(ctx);
	sspi_context_put(ctx);
	return 0;
}

static bool sspi_context_matches(const struct sspi_context *ctx,
				 const struct sspi_ctx_match *m)
{
	if (m->net && !net_eq(read_pnet(&ctx->net), m->net))
		return false;
	if (m->pkg && ctx->pkg != m->pkg && ctx->outer != m->pkg)
		return false;
	if (m->owner && !uid_eq(ctx->owner, *m->owner))
		return false;
	return !m->expired_by || (ctx->expiry && ctx->expiry <= m->expired_by);
}

/*
 * Unlist the first context matching @m at index @*index or after; under
 * sspi_ctx_lock.  @*index is where to resume.  A context is a package's
 * when the package runs it or it was imported by its name (Negotiate).
 */
static struct sspi_context *sspi_context_unlist_one(const struct sspi_ctx_match *m,
						    unsigned long *index)
{
	struct sspi_context *ctx;

	lockdep_assert_held(&sspi_ctx_lock);
	xa_for_each_start(&sspi_ctx_table, *index, ctx, *index) {
		if (!sspi_context_matches(ctx, m))
			continue;
		sspi_context_unlist(ctx);
		return ctx;
	}
	return NULL;
}

/*
 * Unlist each context matching @m under the table lock and release it
 * outside it; the walk visits every index once.
 */
static void sspi_context_unlist_all(const struct sspi_ctx_match *m)
{
	struct sspi_context *ctx;
	unsigned long index = 0;

	for (;;) {
		spin_lock(&sspi_ctx_lock);
		ctx = sspi_context_unlist_one(m, &index);
		spin_unlock(&sspi_ctx_lock);
		if (!ctx)
			break;
		if (m->expired_by)
			trace_sspi_ctx_expire(ctx);
		else
			trace_sspi_ctx_flush(ctx);
		sspi_context_put(ctx);
	}
}

/*
 * Free the contexts of @net (NULL: every namespace) that expired at or
 * before the wall-clock second @by.
 */
static void sspi_context_reap(struct net *net, time64_t by)
{
	struct sspi_ctx_match m = { .net = net, .expired_by = by };

	sspi_context_unlist_all(&m);
}

/*
 * The reaper: frees the contexts expired for SSPI_REAP_GRACE seconds, and
 * runs again while contexts with an expiry time are listed.
 */
static void sspi_context_reaper(struct work_struct *work)
{
	bool again;

	sspi_context_reap(NULL, ktime_get_real_seconds() - SSPI_REAP_GRACE);
	spin_lock(&sspi_ctx_lock);
	again = sspi_ctx_expiring;
	spin_unlock(&sspi_ctx_lock);
	if (again)
		schedule_delayed_work(&sspi_reap_work, SSPI_REAP_GRACE * HZ);
}

/**
 * sspi_context_flush() - delete the contexts of a namespace and/or package
 * @net: the namespace, or NULL for any
 * @pkg: the package, or NULL for any: the contexts it runs, and those
 *	imported by its name (a delegating package's)
 *
 * Each context is unlisted under the table lock and released outside it;
 * the walk visits every index once.
 *
 * Context: process context; may sleep.
 */
void sspi_context_flush(struct net *net, const struct sspi_package *pkg)
{
	struct sspi_ctx_match m = { .net = net, .pkg = pkg };

	sspi_context_unlist_all(&m);
}

/**
 * sspi_context_exit() - stop the reaper and delete every context
 *
 * For module unload, once nothing imports any more.
 *
 * Context: process context; may sleep.
 */
void sspi_context_exit(void)
{
	cancel_delayed_work_sync(&sspi_reap_work);
	sspi_context_flush(NULL, NULL);
	WARN_ON_ONCE(!xa_empty(&sspi_ctx_table));
	xa_destroy(&sspi_ctx_table);
}
