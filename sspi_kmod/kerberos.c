// SPDX-License-Identifier: GPL-2.0
/*
 * sspi_kmod: the Kerberos package -- per-message tokens with keys from a
 * GSSAPI context established elsewhere (Documentation/kerberos.rst).
 *
 * This file is the SSPI side, the same for every mechanism: the buffers'
 * roles, STREAM or TOKEN, the QOP and MessageSeqNo, the sequence numbers
 * and the receive window, DATA pointed at the plaintext, and wiping what
 * a refused message decrypted.  The tokens are the mechanisms' (one per
 * RFC, krb5_mech.h): RFC 4121 over the AES enctypes, RFC 4757 rc4-hmac.
 *
 * EncryptMessage takes [TOKEN, DATA..., PADDING] and seals the DATA in
 * place; TOKEN (and PADDING, as the mechanism needs) receive the rest,
 * so that TOKEN | DATA... | PADDING is one Wrap token as Windows writes
 * it.  DATA buffers flagged READONLY_WITH_CHECKSUM are signed, not
 * encrypted (GSSAPI's SIGN_ONLY); READONLY ones are left out.
 * DecryptMessage takes the same [TOKEN, DATA..., PADDING] or [STREAM,
 * DATA]: the whole token in STREAM, and DATA pointed at the plaintext
 * inside it.  MakeSignature and VerifySignature take [DATA..., TOKEN].
 */

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/string.h>

#include "buffer.h"
#include "context.h"
#include "kerberos.h"
#include "krb5_mech.h"
#include "package.h"

/* The mechanisms; an import's enctype picks one. */
static const struct sspi_krb5_mech *const sspi_krb5_mechs[] = {
	&sspi_krb5_rfc4121_mech,
	&sspi_krb5_rfc4757_mech,
};

static struct sspi_krb5 *sspi_krb5(struct sspi_context *ctx)
{
	return (struct sspi_krb5 *)ctx->priv;
}

/* TOKEN of a message sent: there, and writable. */
static int sspi_krb5_tx_token(struct sspi_krb5_msg *m)
{
	m->tok = sspi_msg_find(m->msg, SSPI_SECBUFFER_TOKEN, 0);
	if (!m->tok || (m->tok->type & SSPI_SECBUFFER_ATTRMASK))
		return -EINVAL;
	return 0;
}

/* Bytes of the encrypted DATA buffers; -EINVAL past what a token holds. */
static int sspi_krb5_data_len(struct sspi_message *msg, u32 *len)
{
	u64 n = 0;
	unsigned int i;

	for (i = 0; i < msg->count; i++)
		if (sspi_krb5_is_data(&msg->buffers[i]))
			n += msg->buffers[i].len;
	if (n > U32_MAX / 2)
		return -EINVAL;
	*len = n;
	return 0;
}

/* A received token: the whole of it in STREAM, or in TOKEN. */
static int sspi_krb5_rx_token(struct sspi_krb5_msg *m)
{
	m->stream = true;
	m->tok = sspi_msg_find(m->msg, SSPI_SECBUFFER_STREAM, 0);
	if (!m->tok) {
		m->stream = false;
		m->tok = sspi_msg_find(m->msg, SSPI_SECBUFFER_TOKEN, 0);
	}
	return m->tok ? 0 : -EINVAL;
}

/*
 * With STREAM: one empty DATA buffer, to point at the plaintext, and
 * nothing signed apart from the token.
 */
static int sspi_krb5_rx_out(struct sspi_krb5_msg *m)
{
	struct sspi_message *msg = m->msg;
	unsigned int i;

	for (i = 0; i < msg->count; i++) {
		struct sspi_buffer *b = &msg->buffers[i];

		if (sspi_krb5_is_sign_only(b))
			return -EINVAL;
		if (!sspi_krb5_is_data(b))
			continue;
		if (m->out || b->len)
			return -EINVAL;
		m->out = b;
	}
	return m->out ? 0 : -EINVAL;
}

/*
 * The window's verdict on the number a received token carries, as an
 * errno under the context's flags; m->seq becomes the number's place in
 * the window.
 *
 * A mechanism whose number is outside its checksum (rc4-hmac) cannot tell
 * a gap from a number someone changed, and taking it would let anyone
 * move the window: under sequence detection such a gap is refused, under
 * replay detection only one within the window's width is taken (the
 * tokens it skips stay inside the window and may still come).
 */
static int sspi_krb5_seq_check(struct sspi_context *ctx, struct sspi_krb5_msg *m)
{
	struct sspi_krb5 *k = sspi_krb5(ctx);
	const struct sspi_seqwin *w = &ctx->rx.win;
	int err;

	if (k->mech->seq32)
		m->verdict = sspi_seqwin_check32(w, (u32)m->seq, &m->seq);
	else
		m->verdict = sspi_seqwin_check(w, m->seq);
	err = sspi_seq_verdict_errno(m->verdict, k->seq_detect);
	if (!err && m->verdict == SSPI_SEQ_GAP && k->mech->seq_unauthenticated &&
	    ((k->seq_detect & SSPI_SEQ_DETECT_SEQUENCE) ||
	     ((k->seq_detect & SSPI_SEQ_DETECT_REPLAY) &&
	      m->seq - w->next >= SSPI_SEQWIN_SIZE)))
		err = -EILSEQ;
	return err;
}

/* Record an accepted token's number; one too old has no place to go. */
static void sspi_krb5_seq_commit(struct sspi_context *ctx,
				 const struct sspi_krb5_msg *m)
{
	if (m->verdict != SSPI_SEQ_TOO_OLD)
		sspi_seqwin_commit(&ctx->rx.win, m->seq);
}

/*
 * Whether the send sequence is spent: the last number of the 64-bit space
 * is never sent (no window takes it); a mechanism whose tokens carry 32
 * bits stops after 0xffffffff, as rc4-hmac's data key comes from those
 * 32 bits and a number past them would reuse a key.
 */
static bool sspi_krb5_tx_spent(const struct sspi_context *ctx,
			       const struct sspi_krb5 *k)
{
	return ctx->tx.seq == U64_MAX || (k->mech->seq32 && ctx->tx.seq > U32_MAX);
}

static int sspi_krb5_encrypt(struct sspi_context *ctx, u32 qop,
			     struct sspi_message *msg, u32 seqno)
{
	struct sspi_krb5 *k = sspi_krb5(ctx);
	struct sspi_krb5_msg m = {
		.msg = msg, .sealed = !qop, .seq = ctx->tx.seq,
	};
	int err;

	if (seqno)
		return -EINVAL;
	if (qop && qop != SSPI_SECQOP_WRAP_NO_ENCRYPT)
		return -ENOPROTOOPT;
	err = sspi_krb5_tx_token(&m);
	if (!err)
		err = sspi_krb5_data_len(msg, &m.dlen);
	if (!err)
		err = k->mech->wrap_space(k, &m);
	if (err)
		return err;
	if (sspi_krb5_tx_spent(ctx, k))
		return -EKEYEXPIRED;
	err = k->mech->wrap(k, &m);
	if (err)
		return err;
	ctx->tx.seq++;
	return 0;
}

static int sspi_krb5_decrypt(struct sspi_context *ctx, struct sspi_message *msg,
			     u32 seqno, u32 *qop)
{
	struct sspi_krb5 *k = sspi_krb5(ctx);
	const struct sspi_krb5_mech *mech = k->mech;
	struct sspi_krb5_msg m = { .msg = msg };
	struct sspi_buffer saved = {};
	bool sliced = false;
	int err;

	if (seqno)
		return -EINVAL;
	err = sspi_krb5_rx_token(&m);
	if (!err)
		err = mech->unwrap_header(k, &m);
	if (!err && m.stream)
		err = sspi_krb5_rx_out(&m);
	if (!err)
		err = mech->unwrap_place(k, &m);
	if (err)
		return err;
	if (m.stream) {
		saved = *m.out;
		sspi_buf_slice(m.out, m.tok, m.pt_off, m.dlen);
		sliced = true;
	}
	/* authenticate first: a forged number gets no verdict */
	err = mech->unwrap(k, &m);
	if (!err)
		err = sspi_krb5_seq_check(ctx, &m);
	if (err)
		goto fail;
	sspi_krb5_seq_commit(ctx, &m);
	*qop = m.sealed ? 0 : SSPI_SECQOP_WRAP_NO_ENCRYPT;
	return 0;

fail:
	if (m.decrypted)
		mech->unwrap_wipe(k, &m);
	/* DATA pointed at nothing that was not authenticated */
	if (sliced)
		*m.out = saved;
	return err;
}

static int sspi_krb5_sign(struct sspi_context *ctx, u32 qop,
			  struct sspi_message *msg, u32 seqno)
{
	struct sspi_krb5 *k = sspi_krb5(ctx);
	struct sspi_krb5_msg m = { .msg = msg, .seq = ctx->tx.seq };
	int err;

	if (seqno)
		return -EINVAL;
	if (qop)
		return -ENOPROTOOPT;
	err = sspi_krb5_tx_token(&m);
	if (!err)
		err = k->mech->mic_space(k, &m);
	if (err)
		return err;
	if (sspi_krb5_tx_spent(ctx, k))
		return -EKEYEXPIRED;
	err = k->mech->get_mic(k, &m);
	if (err)
		return err;
	ctx->tx.seq++;
	return 0;
}

static int sspi_krb5_verify(struct sspi_context *ctx, struct sspi_message *msg,
			    u32 seqno, u32 *qop)
{
	struct sspi_krb5 *k = sspi_krb5(ctx);
	struct sspi_krb5_msg m = { .msg = msg };
	int err;

	if (seqno)
		return -EINVAL;
	m.tok = sspi_msg_find(msg, SSPI_SECBUFFER_TOKEN, 0);
	if (!m.tok)
		return -EINVAL;
	err = k->mech->verify_open(k, &m);
	if (!err)
		err = k->mech->verify_mic(k, &m);
	if (!err)
		err = sspi_krb5_seq_check(ctx, &m);
	if (err)
		return err;
	sspi_krb5_seq_commit(ctx, &m);
	*qop = 0;
	return 0;
}

static const struct sspi_krb5_mech *sspi_krb5_mech_find(u32 enctype)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sspi_krb5_mechs); i++)
		if (sspi_krb5_mechs[i]->handles(enctype))
			return sspi_krb5_mechs[i];
	return NULL;
}

static int sspi_krb5_init(struct sspi_context *ctx, const void *data, size_t len)
{
	const struct sspi_krb5_import *imp = data;
	struct sspi_krb5 *k = sspi_krb5(ctx);
	const struct sspi_krb5_mech *mech;
	int err;

	if (len != sizeof(*imp) || imp->reserved || (imp->flags & ~SSPI_KRB5_F_ALL))
		return -EINVAL;
	mech = sspi_krb5_mech_find(imp->enctype);
	if (!mech)
		return -ENOPKG;
	/* tokens of 32-bit numbers: the first one sent must fit */
	if (mech->seq32 && imp->send_seq > U32_MAX)
		return -EINVAL;
	k->flags = imp->flags;
	if (imp->flags & SSPI_KRB5_F_REPLAY)
		k->seq_detect |= SSPI_SEQ_DETECT_REPLAY;
	if (imp->flags & SSPI_KRB5_F_SEQUENCE)
		k->seq_detect |= SSPI_SEQ_DETECT_SEQUENCE;
	err = mech->init(k, imp);
	if (err) {
		memzero_explicit(k, sizeof(*k));
		return err;
	}
	k->mech = mech;
	ctx->tx.seq = imp->send_seq;
	sspi_seqwin_init(&ctx->rx.win, imp->recv_seq);
	return 0;
}

static void sspi_krb5_destroy(struct sspi_context *ctx)
{
	struct sspi_krb5 *k = sspi_krb5(ctx);

	if (k->mech)
		k->mech->destroy(k);
	memzero_explicit(k, sizeof(*k));
}

static void sspi_krb5_query(struct sspi_context *ctx,
			    struct sspi_context_info *info)
{
	struct sspi_krb5 *k = sspi_krb5(ctx);

	info->tx_seq = ctx->tx.seq;
	info->rx_seq = ctx->rx.win.next;
	info->sizes.max_token = SSPI_KRB5_MAX_TOKEN;
	info->sizes.block_size = 1;
	k->mech->sizes(k, info);
}

static const struct sspi_package_ops sspi_krb5_ops = {
	.init = sspi_krb5_init,
	.destroy = sspi_krb5_destroy,
	.encrypt = sspi_krb5_encrypt,
	.decrypt = sspi_krb5_decrypt,
	.sign = sspi_krb5_sign,
	.verify = sspi_krb5_verify,
	.query = sspi_krb5_query,
};

static struct sspi_package sspi_krb5_package = {
	.name = "Kerberos",
	.comment = "RFC 4121 Wrap and MIC tokens (AES-CTS-HMAC-SHA1-96, AES-CTS-HMAC-SHA2)",
	.priv_size = sizeof(struct sspi_krb5),
	.ops = &sspi_krb5_ops,
};

/**
 * sspi_krb5_register() - register the Kerberos package
 *
 * Return: 0 or the error of sspi_package_register().
 */
int sspi_krb5_register(void)
{
	return sspi_package_register(&sspi_krb5_package);
}

/**
 * sspi_krb5_unregister() - unregister it; its contexts go first
 */
void sspi_krb5_unregister(void)
{
	sspi_package_unregister(&sspi_krb5_package);
}
