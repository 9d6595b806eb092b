// SPDX-License-Identifier: GPL-2.0
/*
 * sspi_kmod: message operations.  The core checks what every package
 * would check -- the shape of the buffer array, the context's life -- and
 * calls the package under the lock of the direction concerned.
 * sspi_message_op() is the one entry of the transports (netlink,
 * /dev/sspi): it runs any of the four operations and says what the
 * outcome means for the caller's buffers.
 */

#include <linux/errno.h>
#include <linux/limits.h>
#include <linux/mutex.h>
#include <linux/scatterlist.h>

#include "async.h"
#include "buffer.h"
#include "context.h"
#include "message.h"
#include "package.h"
#include "stats.h"

/*
 * Bytes a scatterlist describes, stopping once @need is reached: no
 * step past the entry that reaches it.
 */
static u64 sspi_sg_bytes(struct scatterlist *sg, u64 need)
{
	u64 n = 0;

	while (sg && n < need) {
		n += sg->length;
		if (n >= need)
			break;
		sg = sspi_sg_next(sg);
	}
	return n;
}

/*
 * Every buffer has memory of one kind (or none, when it holds nothing),
 * and a scatterlist covers the range the buffer claims.  Inline in the
 * four operations, which every message goes through.
 */
static inline int sspi_msg_check(const struct sspi_message *msg)
{
	const struct sspi_buffer *b;
	unsigned int i;
	u64 end;

	if (!msg || !msg->buffers || !msg->count || msg->count > SSPI_MAX_BUFFERS)
		return -EINVAL;
	for (i = 0; i < msg->count; i++) {
		b = &msg->buffers[i];
		if (b->data && b->sg)
			return -EINVAL;
		if (b->len && !b->data && !b->sg)
			return -EINVAL;
		if (!b->sg && b->offset)
			return -EINVAL;
		end = (u64)b->offset + b->len;
		if (b->sg && (end > U32_MAX || sspi_sg_bytes(b->sg, end) < end))
			return -EINVAL;
	}
	return 0;
}

/* The same check, for sspi_submit() */
int sspi_message_check(const struct sspi_message *msg)
{
	return sspi_msg_check(msg);
}

/**
 * sspi_encrypt() - EncryptMessage: seal a message in place
 * @ctx: the context (a reference held by the caller)
 * @qop: quality of protection: 0, or a package's SSPI_SECQOP_* value
 * @msg: the buffers, laid out as the package documents
 * @seqno: 0 for the context's own sequence numbers, else the number to use
 *	where the package allows it
 *
 * Senders on one context are serialised; a receiver runs alongside.  The
 * outcome is counted in the context's send direction (sspi_query_stats()),
 * a malformed buffer array's too.
 *
 * Context: process context; may sleep.
 * Return: 0; -EINVAL for a malformed buffer array; -EKEYEXPIRED once the
 * context was deleted or expired; else the package's result (see
 * Documentation/status.rst).  Nothing is written on a failure found before
 * the package encrypts.
 */
int sspi_encrypt(struct sspi_context *ctx, u32 qop, struct sspi_message *msg,
		 u32 seqno)
{
	int err = sspi_msg_check(msg);

	mutex_lock(&ctx->tx.lock);
	/* checked under the lock: a caller that waited sees a delete */
	if (!err)
		err = sspi_message_usable(ctx);
	if (!err)
		err = ctx->pkg->ops->encrypt(ctx, qop, msg, seqno);
	sspi_stats_account_sync(ctx, &ctx->tx, SSPI_OP_ENCRYPT, msg, err);
	mutex_unlock(&ctx->tx.lock);
	return err;
}
EXPORT_SYMBOL_GPL(sspi_encrypt);

/**
 * sspi_decrypt() - DecryptMessage: verify and unseal a message in place
 * @ctx: the context (a reference held by the caller)
 * @msg: the buffers, laid out as the package documents; on return they
 *	describe what was found (plaintext, extra or missing bytes)
 * @seqno: 0 for the context's own sequence numbers, else the number
 *	expected where the package allows it
 * @qop: where to store the quality of protection the message had (e.g.
 *	SSPI_SECQOP_WRAP_NO_ENCRYPT for an integrity-only token), or NULL
 *
 * Receivers on one context are serialised; a sender runs alongside.  The
 * outcome is counted in the context's receive direction.
 *
 * Context: process context; may sleep.
 * Return: 0 or a positive &enum sspi_info value; -EINVAL for a malformed
 * buffer array; -EKEYEXPIRED once the context was deleted or expired;
 * else the package's result.  A message that fails its integrity check
 * leaves no plaintext behind.
 */
int sspi_decrypt(struct sspi_context *ctx, struct sspi_message *msg,
		 u32 seqno, u32 *qop)
{
	u32 q = 0;
	int err = sspi_msg_check(msg);

	mutex_lock(&ctx->rx.lock);
	if (!err)
		err = sspi_message_usable(ctx);
	if (!err)
		err = ctx->pkg->ops->decrypt(ctx, msg, seqno, &q);
	sspi_stats_account_sync(ctx, &ctx->rx, SSPI_OP_DECRYPT, msg, err);
	mutex_unlock(&ctx->rx.lock);
	if (err >= 0 && qop)
		*qop = q;
	return err;
}
EXPORT_SYMBOL_GPL(sspi_decrypt);

/**
 * sspi_make_signature() - MakeSignature: a signature over a message
 * @ctx: the context (a reference held by the caller)
 * @qop: quality of protection: 0, or a package's SSPI_SECQOP_* value
 * @msg: the buffers: the DATA to sign, and a TOKEN of at least the
 *	context's max_signature bytes that receives the signature
 * @seqno: 0 for the context's own sequence numbers, else the number to use
 *	where the package allows it
 *
 * Signing shares the send direction's lock and sequence with sealing.
 *
 * Context: process context; may sleep.
 * Return: 0; -EOPNOTSUPP when the package does not sign; else as
 * sspi_encrypt().
 */
int sspi_make_signature(struct sspi_context *ctx, u32 qop,
			struct sspi_message *msg, u32 seqno)
{
	int err = sspi_msg_check(msg);

	if (!err && !ctx->pkg->ops->sign)
		err = -EOPNOTSUPP;
	mutex_lock(&ctx->tx.lock);
	if (!err)
		err = sspi_message_usable(ctx);
	if (!err)
		err = ctx->pkg->ops->sign(ctx, qop, msg, seqno);
	sspi_stats_account_sync(ctx, &ctx->tx, SSPI_OP_SIGN, msg, err);
	mutex_unlock(&ctx->tx.lock);
	return err;
}
EXPORT_SYMBOL_GPL(sspi_make_signature);

/**
 * sspi_verify_signature() - VerifySignature: check a message's signature
 * @ctx: the context (a reference held by the caller)
 * @msg: the buffers: the DATA that was signed and the TOKEN received
 * @seqno: 0 for the context's own sequence numbers, else the number
 *	expected where the package allows it
 * @qop: where to store the quality of protection, or NULL
 *
 * Verifying shares the receive direction's lock and sequence window with
 * unsealing.  No buffer is written.
 *
 * Context: process context; may sleep.
 * Return: 0; -EBADMSG for a wrong signature; -EILSEQ for a replayed or
 * out-of-sequence one, as the context's flags ask; -EOPNOTSUPP when the
 * package does not verify; else as sspi_decrypt().
 */
int sspi_verify_signature(struct sspi_context *ctx, struct sspi_message *msg,
			  u32 seqno, u32 *qop)
{
	u32 q = 0;
	int err = sspi_msg_check(msg);

	if (!err && !ctx->pkg->ops->verify)
		err = -EOPNOTSUPP;
	mutex_lock(&ctx->rx.lock);
	if (!err)
		err = sspi_message_usable(ctx);
	if (!err)
		err = ctx->pkg->ops->verify(ctx, msg, seqno, &q);
	sspi_stats_account_sync(ctx, &ctx->rx, SSPI_OP_VERIFY, msg, err);
	mutex_unlock(&ctx->rx.lock);
	if (err >= 0 && qop)
		*qop = q;
	return err;
}
EXPORT_SYMBOL_GPL(sspi_verify_signature);

/*
 * Whether @msg, sealed with encryption under @qop, will hold nothing
 * readable: read before the package rewrites the buffers.
 */
static bool sspi_message_sealable(const struct sspi_message *msg, u32 qop)
{
	unsigned int i;

	if (!msg || !msg->buffers || msg->count > SSPI_MAX_BUFFERS ||
	    (qop & SSPI_SECQOP_WRAP_NO_ENCRYPT))
		return false;
	for (i = 0; i < msg->count; i++)
		if (!sspi_buf_sealed(&msg->buffers[i]))
			return false;
	return true;
}

/**
 * sspi_message_op() - run one of the four message operations
 * @ctx: the context (a reference held by the caller), or NULL when the
 *	caller's handle named none: the outcome is then SEC_E_INVALID_HANDLE
 * @op: the operation
 * @msg: the buffers, as the operation's own function takes them
 * @seqno: 0 for the context's own sequence numbers, else the number to
 *	use or expect where the package allows it
 * @qop: %SSPI_OP_ENCRYPT and %SSPI_OP_SIGN: the quality of protection
 *	asked for (NULL for 0); %SSPI_OP_DECRYPT and %SSPI_OP_VERIFY: where
 *	to store the one the message had, or NULL
 * @out: where to store the outcome: the return value, its status, whether
 *	the buffers go back to the caller and whether their memory is to be
 *	wiped
 *
 * The one entry for callers that carry the four operations to another
 * party, as the netlink family and /dev/sspi do: each operation runs as
 * sspi_encrypt(), sspi_decrypt(), sspi_make_signature() or
 * sspi_verify_signature() would run it, and @out says what the result
 * means, so that every transport answers alike.
 *
 * Context: process context; may sleep.
 * Return: @out->err: the operation's return value; -ENOENT for no
 * context; -EINVAL for an unknown @op.
 */
int sspi_message_op(struct sspi_context *ctx, enum sspi_op op,
		    struct sspi_message *msg, u32 seqno, u32 *qop,
		    struct sspi_outcome *out)
{
	u32 q = qop ? *qop : 0;
	bool sealable = op == SSPI_OP_ENCRYPT && sspi_message_sealable(msg, q);
	int err;

	if (!ctx)
		err = -ENOENT;
	else if (op == SSPI_OP_ENCRYPT)
		err = sspi_encrypt(ctx, q, msg, seqno);
	else if (op == SSPI_OP_DECRYPT)
		err = sspi_decrypt(ctx, msg, seqno, qop);
	else if (op == SSPI_OP_SIGN)
		err = sspi_make_signature(ctx, q, msg, seqno);
	else if (op == SSPI_OP_VERIFY)
		err = sspi_verify_signature(ctx, msg, seqno, qop);
	else
		err = -EINVAL;

	out->err = err;
	out->status = sspi_status_from_errno(err);
	out->buffers = sspi_status_returns_buffers(out->status);
	out->wipe = !sealable || err;
	return err;
}
EXPORT_SYMBOL_GPL(sspi_message_op);
