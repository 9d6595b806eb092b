// SPDX-License-Identifier: GPL-2.0
/*
 * sspi_kmod: asynchronous message operations (Documentation/kernel-api.rst).
 *
 * sspi_submit() runs a message operation without waiting for an
 * asynchronous crypto driver.  A package with an asynchronous operation
 * (sspi_package_ops.encrypt_async) does everything a message needs under
 * the direction's lock -- the checks, the sequence number, the framing --
 * and starts the crypto; the request ends from the driver's completion,
 * so that a sender keeps as many messages in flight as it has requests.
 * A package's decrypt_async runs a message ahead of the outcome of those
 * before it, on the sequence number that follows theirs; a message the
 * crypto refuses gives its number back, and those after it that started
 * before that was known run their crypto again (decrypt_restart) once
 * they reach the head of the line.  Any other operation runs
 * synchronously at submission.
 *
 * Each direction keeps its requests in submission order, and ends them in
 * that order whatever order the driver finishes them in: a request whose
 * crypto is done waits for those before it.  When a request is done at
 * submission and none before it is still in flight, sspi_submit() returns
 * its result and calls nothing: with a synchronous driver the interface
 * costs what the synchronous calls cost.
 */

#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/wait.h>

#include "async.h"
#include "context.h"
#include "message.h"
#include "package.h"
#include "stats.h"

void sspi_async_init(struct sspi_direction *dir)
{
	spin_lock_init(&dir->alock);
	INIT_LIST_HEAD(&dir->inflight);
	init_waitqueue_head(&dir->idle);
}

/**
 * sspi_dir_account() - count an outcome in a direction's counters
 * @ctx: the context
 * @dir: its direction @op belongs to
 * @op: the operation
 * @msg: its buffers
 * @err: its result
 *
 * Context: any.
 */
void sspi_dir_account(struct sspi_context *ctx, struct sspi_direction *dir,
		      enum sspi_op op, const struct sspi_message *msg, int err)
{
	unsigned long flags;

	spin_lock_irqsave(&dir->alock, flags);
	sspi_stats_account(ctx, dir, op, msg, err);
	spin_unlock_irqrestore(&dir->alock, flags);
}

static struct sspi_direction *sspi_request_dir(const struct sspi_request *req)
{
	return req->op == SSPI_OP_ENCRYPT || req->op == SSPI_OP_SIGN ?
	       &req->ctx->tx : &req->ctx->rx;
}

static bool sspi_async_idle(struct sspi_direction *dir)
{
	unsigned long flags;
	bool idle;

	spin_lock_irqsave(&dir->alock, flags);
	idle = list_empty(&dir->inflight) && !dir->delivering;
	spin_unlock_irqrestore(&dir->alock, flags);
	return idle;
}

/**
 * sspi_async_wait_idle() - wait until no request of a direction is in flight
 * @dir: the direction, whose lock the caller holds (so that none starts)
 *
 * For what must not run beside the crypto of requests in flight: a key
 * update replacing their transform.
 *
 * Context: process context; sleeps.
 */
void sspi_async_wait_idle(struct sspi_direction *dir)
{
	lockdep_assert_held(&dir->lock);
	wait_event(dir->idle, sspi_async_idle(dir));
}

/*
 * A decrypt run ahead of the requests before it, now at the head: it ends
 * only on the sequence number they left it.  When some of them were
 * refused after it started, they gave their numbers back, and its crypto
 * runs again that many numbers lower.  Called with @dir->alock held
 * (*@flags), which it releases meanwhile; @dir->delivering keeps the
 * order.  Return: whether @r is ready to end, its result in @r->err.
 */
static bool sspi_async_settle(struct sspi_direction *dir, struct sspi_request *r,
			      unsigned long *flags)
{
	const struct sspi_package_ops *ops = r->ctx->pkg->ops;
	u64 back = dir->refused - r->epoch;
	int err;

	if (back) {
		r->epoch = dir->refused;
		r->finished = false;
		spin_unlock_irqrestore(&dir->alock, *flags);
		err = ops->decrypt_restart(r->ctx, r, back);
		spin_lock_irqsave(&dir->alock, *flags);
		if (err != -EINPROGRESS) {
			r->err = err;
			r->finished = true;
		}
		return false;
	}
	/* a message the crypto refused gives its number to the next */
	if (r->err)
		dir->refused++;
	r->ahead = false;
	spin_unlock_irqrestore(&dir->alock, *flags);
	r->err = ops->decrypt_end(r->ctx, r, r->err);
	spin_lock_irqsave(&dir->alock, *flags);
	return true;
}

/*
 * End, in order, the requests at the head of @dir's list whose outcome is
 * known; one caller at a time does it.  Called with @dir->alock held
 * (@flags), returns with it released.  @direct, a request just submitted,
 * is not called back but its result returned when it ends with nothing
 * after it waiting to be ended; else -EINPROGRESS.  The context's memory
 * outlives an RCU grace period, and the caller's reference only its
 * requests' ends: after the last @done, only @dir is touched, under
 * rcu_read_lock().
 */
static int sspi_async_deliver(struct sspi_direction *dir, unsigned long flags,
			      struct sspi_request *direct)
	__releases(&dir->alock)
{
	struct sspi_request *r, *next;
	int ret = -EINPROGRESS;
	bool idle;

	if (dir->delivering) {
		spin_unlock_irqrestore(&dir->alock, flags);
		return ret;
	}
	rcu_read_lock();
	dir->delivering = true;
	while ((r = list_first_entry_or_null(&dir->inflight, struct sspi_request,
					     node)) && r->finished) {
		if (r->ahead && !sspi_async_settle(dir, r, &flags))
			continue;
		list_del_init(&r->node);
		sspi_stats_account(r->ctx, dir, r->op, r->msg, r->err);
		next = list_first_entry_or_null(&dir->inflight, struct sspi_request,
						node);
		if (r == direct && (!next || !next->finished)) {
			ret = r->err;
			break;
		}
		spin_unlock_irqrestore(&dir->alock, flags);
		r->done(r, r->err);
		spin_lock_irqsave(&dir->alock, flags);
	}
	dir->delivering = false;
	idle = list_empty(&dir->inflight);
	spin_unlock_irqrestore(&dir->alock, flags);
	/* the common case has no waiter: no wait queue lock per message */
	if (idle && wq_has_sleeper(&dir->idle))
		wake_up_all(&dir->idle);
	rcu_read_unlock();
	return ret;
}

/**
 * sspi_request_complete() - a package's asynchronous operation ended
 * @req: the request its encrypt_async or decrypt_async started
 * @err: the operation's result (decrypt_async: the crypto's)
 *
 * The request ends now if every request before it ended, else after them.
 *
 * Context: any (the crypto driver's completion).
 */
void sspi_request_complete(struct sspi_request *req, int err)
{
	struct sspi_direction *dir = sspi_request_dir(req);
	unsigned long flags;

	spin_lock_irqsave(&dir->alock, flags);
	req->err = err;
	req->finished = true;
	sspi_async_deliver(dir, flags, NULL);
}

/*
 * A request whose result @err is known at submission: returned at once
 * when nothing before it is left to end and nothing after it waits to be
 * ended (a request submitted meanwhile by another thread, done at once
 * too), else ended in its turn (-EINPROGRESS).
 */
static int sspi_async_end_now(struct sspi_direction *dir, struct sspi_request *req,
			      int err)
{
	unsigned long flags;

	spin_lock_irqsave(&dir->alock, flags);
	req->err = err;
	req->finished = true;
	return sspi_async_deliver(dir, flags, req);
}

/**
 * sspi_async_rewind_sync() - settle a receive direction for a synchronous
 *	decrypt
 * @dir: the direction, whose lock the caller holds
 * @seen: the package's count of the direction's refusals it took into
 *	account
 *
 * Waits for the decrypts in flight, then says how many sequence numbers
 * the package handed out ahead came back since it last looked.
 *
 * Context: process context; sleeps while requests are in flight.
 * Return: that many.
 */
u64 sspi_async_rewind_sync(struct sspi_direction *dir, u64 *seen)
{
	u64 back;

	lockdep_assert_held(&dir->lock);
	/* only sspi_submit() adds requests, under the lock held here */
	if (!list_empty(&dir->inflight))
		sspi_async_wait_idle(dir);
	/* the list emptied after the last refusal was counted */
	smp_rmb();
	back = READ_ONCE(dir->refused) - *seen;
	*seen += back;
	return back;
}

/**
 * sspi_async_refused() - the decrypts run ahead that were refused so far
 * @dir: the receive direction
 *
 * Context: any.
 * Return: their number.
 */
u64 sspi_async_refused(struct sspi_direction *dir)
{
	unsigned long flags;
	u64 n;

	spin_lock_irqsave(&dir->alock, flags);
	n = dir->refused;
	spin_unlock_irqrestore(&dir->alock, flags);
	return n;
}

/* The synchronous operation, under the direction's lock. */
static int sspi_submit_sync(struct sspi_context *ctx, struct sspi_request *req)
{
	const struct sspi_package_ops *ops = ctx->pkg->ops;
	u32 q = req->qop;
	int err;

	switch (req->op) {
	case SSPI_OP_ENCRYPT:
		return ops->encrypt(ctx, q, req->msg, req->seqno);
	case SSPI_OP_DECRYPT:
		err = ops->decrypt(ctx, req->msg, req->seqno, &q);
		break;
	case SSPI_OP_SIGN:
		return ops->sign(ctx, q, req->msg, req->seqno);
	default:
		err = ops->verify(ctx, req->msg, req->seqno, &q);
		break;
	}
	if (err >= 0)
		req->qop = q;
	return err;
}

/**
 * sspi_submit() - run a message operation without waiting for the crypto
 * @req: the request: its context (sspi_request_alloc()), @op, @msg, @qop,
 *	@seqno, @done and @data set; not in flight
 *
 * The operation runs as sspi_encrypt(), sspi_decrypt(),
 * sspi_make_signature() or sspi_verify_signature() would run it, with
 * the same results, but it may end later: the package takes the message,
 * its sequence number and its framing now, and the crypto driver finishes
 * it.  Requests of one direction end in the order they were submitted,
 * whichever finishes first.  Sealing and unsealing with an asynchronous
 * driver keep many messages in flight (Schannel; an unseal runs ahead of
 * those before it, and again should one of them be refused); the other
 * operations, and packages without an asynchronous operation, run at
 * submission, and their requests still end in order.
 *
 * A seal takes its sequence number at submission: a message whose crypto
 * then fails (a driver error; nothing the caller's message can cause) has
 * used it.  An unseal refused, by its crypto or a driver error, uses
 * none.  The caller keeps its reference to the context, @msg and the
 * memory of its buffers until the request ends; sspi_encrypt() and the
 * other synchronous calls on the same direction meanwhile run at once,
 * beside the requests in flight, but for sspi_decrypt() of a package
 * that unseals ahead: it waits for them, whose outcome its sequence
 * number depends on.
 *
 * Context: process context; may sleep.
 * Return: -EINPROGRESS when @req->done will be called with the result;
 * otherwise the result itself, and @done is not called: the operation's
 * return value (as the synchronous call's), or -EINVAL for an unknown
 * @op, -EOPNOTSUPP for an operation the package lacks, -EBUSY when @req
 * is still in flight.
 */
int sspi_submit(struct sspi_request *req)
{
	struct sspi_context *ctx = req->ctx;
	const struct sspi_package_ops *ops = ctx->pkg->ops;
	struct sspi_direction *dir;
	int err, crypto;
	bool ahead;

	if (req->op > SSPI_OP_VERIFY || !req->done)
		return -EINVAL;
	if ((req->op == SSPI_OP_SIGN && !ops->sign) ||
	    (req->op == SSPI_OP_VERIFY && !ops->verify))
		return -EOPNOTSUPP;
	if (!list_empty(&req->node))
		return -EBUSY;
	dir = sspi_request_dir(req);
	err = sspi_message_check(req->msg);

	mutex_lock(&dir->lock);
	if (!err)
		err = sspi_message_usable(ctx);
	if (err) {
		sspi_dir_account(ctx, dir, req->op, req->msg, err);
		mutex_unlock(&dir->lock);
		return err;
	}
	ahead = req->op == SSPI_OP_DECRYPT && ops->decrypt_async;
	req->finished = false;
	spin_lock_irq(&dir->alock);
	req->behind = !list_empty(&dir->inflight);
	req->epoch = dir->refused;
	req->ahead = ahead;
	list_add_tail(&req->node, &dir->inflight);
	spin_unlock_irq(&dir->alock);
	if (ahead) {
		err = ops->decrypt_async(ctx, req, &crypto);
		if (!err)
			err = crypto;	/* ended at once: settled in its turn */
		else if (err != -EINPROGRESS)
			req->ahead = false;	/* refused before the crypto */
	} else if (req->op == SSPI_OP_ENCRYPT && ops->encrypt_async) {
		err = ops->encrypt_async(ctx, req);
	} else {
		err = sspi_submit_sync(ctx, req);
	}
	mutex_unlock(&dir->lock);
	if (err == -EINPROGRESS)
		return err;
	return sspi_async_end_now(dir, req, err);
}
EXPORT_SYMBOL_GPL(sspi_submit);

/**
 * sspi_request_alloc() - a request for sspi_submit() on a context
 * @ctx: the context (a reference held by the caller, for as long as the
 *	request is used)
 * @gfp: how to allocate
 *
 * Sized for the package's state of one message in flight, e.g. the crypto
 * request of the transform the context holds: allocate once, submit many
 * times.  After a key update the transform may need more room: a request
 * allocated before it is then refused with -EMSGSIZE; allocate again.
 *
 * Return: the request, or NULL without memory.
 */
struct sspi_request *sspi_request_alloc(struct sspi_context *ctx, gfp_t gfp)
{
	const struct sspi_package_ops *ops = ctx->pkg->ops;
	unsigned int size = ops->reqsize ? ops->reqsize(ctx) : 0;
	struct sspi_request *req;

	req = kzalloc(sizeof(*req) + size, gfp);
	if (!req)
		return NULL;
	req->ctx = ctx;
	req->pkg_size = size;
	INIT_LIST_HEAD(&req->node);
	return req;
}
EXPORT_SYMBOL_GPL(sspi_request_alloc);

/**
 * sspi_request_free() - free a request that is not in flight
 * @req: the request, or NULL
 *
 * Its package state (nonces, framing) is zeroized.
 */
void sspi_request_free(struct sspi_request *req)
{
	if (!req)
		return;
	WARN_ON_ONCE(!list_empty(&req->node));
	if (req->ctx->pkg->ops->request_free)
		req->ctx->pkg->ops->request_free(req);
	kfree_sensitive(req);
}
EXPORT_SYMBOL_GPL(sspi_request_free);
