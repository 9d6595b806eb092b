// SPDX-License-Identifier: GPL-2.0
/*
 * sspi_async: put an asynchronous driver in front of the algorithms the
 * packages ask the crypto API for, so that tests/vm/async_test.sh runs
 * the suites with every operation completing from a worker (-EINPROGRESS,
 * crypto_wait_req()) instead of in the caller.
 *
 * Each entry of the "algs" parameter (default: async_defaults[]) is
 * TYPE:TEMPLATE(NAME), TYPE one of aead, skcipher, ahash, TEMPLATE cryptd
 * or pcrypt (pcrypt: AEAD only).
 * For each, the template is instantiated around the driver the crypto API
 * picks for NAME -- for cryptd the best synchronous one, since cryptd
 * wraps nothing that is already asynchronous -- by its driver name, e.g.
 * "cryptd(cts(cbc(aes-aesni)))".  cryptd adds 50 to the priority of what
 * it wraps, pcrypt 100; where that is not enough to come first (cryptd
 * around AES-NI's CBC loses to AES-NI's own SIMD wrapper, asynchronous in
 * name only: it completes in the caller), the instance's priority is
 * raised above the best one's, as crypto_user's CRYPTO_MSG_UPDATEALG
 * ("crconf update") does.  Then a later crypto_alloc_*(NAME) -- the
 * packages' -- gets the wrapped driver; loading fails unless it does.
 *
 * Unloading undoes it: the instances this module made are unregistered
 * (transforms still using them keep them until freed), the priorities it
 * raised on instances that existed before are put back.
 *
 * Before Linux 6.3, cryptd's AEAD ran the inner driver on the caller's
 * request itself and left it pointing at that driver (bookworm's 6.1
 * fails the self-test: "encryption corrupted request struct", a kernel
 * warning), so no instance of it is ever registered there: ask for
 * "aead:pcrypt(...)" on those kernels (tests/vm/async_test.sh does).
 * pcrypt is not the default because 6.12.y's padata takes a reorder
 * list's lock while holding a serial queue's, both of one lock class:
 * lockdep reports "possible recursive locking" in padata_reorder() at the
 * first request, which fails the debug kernel's run.
 *
 * NTLM and rc4-hmac use shash and the arc4 library: synchronous by
 * design, nothing to wrap.
 */

#include <crypto/aead.h>
#include <crypto/algapi.h>
#include <crypto/hash.h>
#include <crypto/skcipher.h>
#include <linux/err.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/rwsem.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "sspi_async.h"

/* every algorithm of the TLS and Kerberos (AES) packages */
static const char * const async_defaults[] = {
	"aead:cryptd(gcm(aes))",
	"aead:cryptd(rfc7539(chacha20,poly1305))",
	"skcipher:cryptd(cts(cbc(aes)))",
	"skcipher:cryptd(cbc(aes))",
	"ahash:cryptd(hmac(sha1))",
	"ahash:cryptd(hmac(sha256))",
	"ahash:cryptd(hmac(sha384))",
};

static char *algs;
module_param(algs, charp, 0444);
MODULE_PARM_DESC(algs, "comma-separated TYPE:TEMPLATE(NAME) to put first (default: those of the TLS and Kerberos AES packages)");

enum async_type { ASYNC_AEAD, ASYNC_SKCIPHER, ASYNC_AHASH };

/* One wrapped algorithm: its transform holds the instance. */
struct async_wrap {
	struct list_head list;
	enum async_type type;
	void *tfm;
	bool created;		/* the instance is ours: unregister it */
	bool raised;		/* else: put its priority back */
	int old_priority;
};

static LIST_HEAD(async_wraps);

static void *async_alloc(enum async_type type, const char *name, u32 mask)
{
	switch (type) {
	case ASYNC_AEAD:
		return crypto_alloc_aead(name, 0, mask);
	case ASYNC_SKCIPHER:
		return crypto_alloc_skcipher(name, 0, mask);
	default:
		return crypto_alloc_ahash(name, 0, mask);
	}
}

static void async_free(enum async_type type, void *tfm)
{
	switch (type) {
	case ASYNC_AEAD:
		crypto_free_aead(tfm);
		break;
	case ASYNC_SKCIPHER:
		crypto_free_skcipher(tfm);
		break;
	default:
		crypto_free_ahash(tfm);
	}
}

static struct crypto_alg *async_alg(enum async_type type, void *tfm)
{
	switch (type) {
	case ASYNC_AEAD:
		return crypto_aead_tfm(tfm)->__crt_alg;
	case ASYNC_SKCIPHER:
		return crypto_skcipher_tfm(tfm)->__crt_alg;
	default:
		return crypto_ahash_tfm(tfm)->__crt_alg;
	}
}

/* Whether a registered algorithm has driver name @driver. */
static bool async_registered(const char *driver)
{
	struct crypto_alg *q;
	bool found = false;

	down_read(&crypto_alg_sem);
	list_for_each_entry(q, &crypto_alg_list, cra_list)
		if (!(q->cra_flags & (CRYPTO_ALG_LARVAL | CRYPTO_ALG_DEAD)) &&
		    !strcmp(q->cra_driver_name, driver)) {
			found = true;
			break;
		}
	up_read(&crypto_alg_sem);
	return found;
}

/* crypto_user's CRYPTO_MSG_UPDATEALG: instances built on @alg go. */
static void async_set_priority(struct crypto_alg *alg, int priority)
{
	LIST_HEAD(list);

	down_write(&crypto_alg_sem);
	crypto_remove_spawns(alg, &list, NULL);
	alg->cra_priority = priority;
	up_write(&crypto_alg_sem);
	crypto_remove_final(&list);
}

/* The driver and priority the crypto API picks for @name. */
static int async_best(enum async_type type, const char *name, u32 mask,
		      char *driver, int *priority)
{
	void *tfm = async_alloc(type, name, mask);
	struct crypto_alg *alg;

	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	alg = async_alg(type, tfm);
	strscpy(driver, alg->cra_driver_name, CRYPTO_MAX_ALG_NAME);
	if (priority)
		*priority = alg->cra_priority;
	async_free(type, tfm);
	return 0;
}

/* Driver names, off the stack. */
struct async_names {
	char inner[CRYPTO_MAX_ALG_NAME];
	char best[CRYPTO_MAX_ALG_NAME];
	char wrapped[CRYPTO_MAX_ALG_NAME];
};

/* One entry of "algs": TYPE:TEMPLATE(NAME). */
static int async_wrap_one(char *spec, struct async_names *n)
{
	static const char * const types[] = { "aead", "skcipher", "ahash" };
	char *tmpl, *name, *end, *inner = n->inner, *best = n->best;
	char *wrapped = n->wrapped;
	struct async_wrap *w;
	struct crypto_alg *alg;
	int type, prio, err;

	tmpl = strchr(spec, ':');
	name = tmpl ? strchr(tmpl, '(') : NULL;
	end = spec + strlen(spec) - 1;
	if (!name || *end != ')')
		goto bad;
	*tmpl++ = '\0';
	*name++ = '\0';
	*end = '\0';
	type = match_string(types, ARRAY_SIZE(types), spec);
	if (type < 0 || (strcmp(tmpl, "cryptd") &&
			 (strcmp(tmpl, "pcrypt") || type != ASYNC_AEAD)))
		goto bad;

	/* what the template wraps; cryptd takes only synchronous drivers */
	err = async_best(type, name, strcmp(tmpl, "cryptd") ? 0 : CRYPTO_ALG_ASYNC,
			 inner, NULL);
	if (err) {
		pr_err("sspi_async: %s %s: %d\n", spec, name, err);
		return err;
	}
	if (snprintf(wrapped, CRYPTO_MAX_ALG_NAME, "%s(%s)", tmpl, inner) >=
	    CRYPTO_MAX_ALG_NAME)
		return -ENAMETOOLONG;

	w = kzalloc(sizeof(*w), GFP_KERNEL);
	if (!w)
		return -ENOMEM;
	w->type = type;
	w->created = !async_registered(wrapped);
	w->tfm = async_alloc(type, wrapped, 0);
	if (IS_ERR(w->tfm)) {
		err = PTR_ERR(w->tfm);
		pr_err("sspi_async: %s: %d\n", wrapped, err);
		kfree(w);
		return err;
	}
	list_add(&w->list, &async_wraps);
	alg = async_alg(type, w->tfm);
	w->created &= !!(alg->cra_flags & CRYPTO_ALG_INSTANCE);

	err = async_best(type, name, 0, best, &prio);
	if (err)
		return err;
	if (strcmp(best, alg->cra_driver_name)) {
		pr_info("sspi_async: %s: priority %d -> %d, above %s\n",
			alg->cra_driver_name, alg->cra_priority, prio + 1,
			best);
		w->raised = true;
		w->old_priority = alg->cra_priority;
		async_set_priority(alg, prio + 1);
		err = async_best(type, name, 0, best, NULL);
		if (err)
			return err;
	}
	if (strcmp(best, alg->cra_driver_name)) {
		pr_err("sspi_async: %s: still %s, not %s\n", name, best,
		       alg->cra_driver_name);
		return -EINVAL;
	}
	pr_info("sspi_async: %s: %s, priority %d%s\n", name,
		alg->cra_driver_name, alg->cra_priority,
		w->created ? "" : " (existed)");
	return 0;

bad:
	pr_err("sspi_async: bad entry \"%s\" (TYPE:TEMPLATE(NAME))\n", spec);
	return -EINVAL;
}

static void async_unwrap_all(void)
{
	struct async_wrap *w, *tmp;
	struct crypto_alg *alg;

	/* the last made first: an instance may be built on an earlier one */
	list_for_each_entry_safe(w, tmp, &async_wraps, list) {
		alg = async_alg(w->type, w->tfm);
		if (w->created)
			crypto_unregister_instance(container_of(alg,
								struct crypto_instance,
								alg));
		else if (w->raised)
			async_set_priority(alg, w->old_priority);
		async_free(w->type, w->tfm);
		list_del(&w->list);
		kfree(w);
	}
}

static int __init sspi_async_init(void)
{
	struct async_names *buf;
	char *list, *cur, *spec;
	size_t i;
	int err = 0;

	list = algs ? kstrdup(algs, GFP_KERNEL) : NULL;
	buf = kmalloc(sizeof(*buf), GFP_KERNEL);
	if ((algs && !list) || !buf) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; !list && !err && i < ARRAY_SIZE(async_defaults); i++) {
		spec = kstrdup(async_defaults[i], GFP_KERNEL);
		err = spec ? async_wrap_one(spec, buf) : -ENOMEM;
		kfree(spec);
	}
	/* commas inside the parentheses belong to the name */
	for (cur = list; cur && !err && *cur; ) {
		int depth = 0;

		spec = cur;
		for (; *cur && (*cur != ',' || depth); cur++)
			depth += (*cur == '(') - (*cur == ')');
		if (*cur)
			*cur++ = '\0';
		if (*spec)
			err = async_wrap_one(spec, buf);
	}
	if (err)
		async_unwrap_all();
out:
	kfree(buf);
	kfree(list);
	return err;
}

static void __exit sspi_async_exit(void)
{
	async_unwrap_all();
}

module_init(sspi_async_init);
module_exit(sspi_async_exit);

MODULE_DESCRIPTION("sspi_kmod test: asynchronous drivers in front of the packages' algorithms");
MODULE_LICENSE("GPL");
