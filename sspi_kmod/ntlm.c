// SPDX-License-Identifier: GPL-2.0
/*
 * sspi_kmod: the NTLM package -- MS-NLMP 3.4 session security with the
 * keys of an NTLMSSP exchange made elsewhere (Documentation/ntlm.rst).
 *
 * This file is the SSPI side: the import and what it accepts, the
 * buffers' roles, the QOP and MessageSeqNo, the sequence numbers; the keys
 * are ntlm_keys.c's, the signatures and sealing ntlm_sign.c's.
 *
 * EncryptMessage takes [TOKEN (16 or more), DATA...]: the DATA buffers are
 * sealed in place as one message and TOKEN receives the 16-byte signature
 * (its length set to 16), so that TOKEN | DATA is gss_wrap()'s token.
 * DATA buffers flagged READONLY_WITH_CHECKSUM are signed, not encrypted;
 * READONLY ones are left out.  DecryptMessage takes [TOKEN, DATA...] or
 * [STREAM, DATA]: STREAM the signature and then the sealed text, DATA
 * pointed at the plaintext inside it.  MakeSignature and VerifySignature
 * take [DATA..., TOKEN].  Sealing and signing share one sequence counter
 * (and with extended session security one RC4 handle) per direction;
 * without extended session security both directions share one of each.
 */

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "buffer.h"
#include "context.h"
#include "ntlm.h"
#include "package.h"

bool sspi_ntlm_allow_weak;
module_param_named(allow_weak_ntlm, sspi_ntlm_allow_weak, bool, 0644);
MODULE_PARM_DESC(allow_weak_ntlm,
		 "accept NTLM contexts Windows refuses by default: 40-bit sealing keys, NTLMv1 without extended session security (default: no)");

static struct sspi_ntlm *sspi_ntlm(struct sspi_context *ctx)
{
	return *(struct sspi_ntlm **)ctx->priv;
}

static bool ntlm_is_data(const struct sspi_buffer *b)
{
	return b->type == SSPI_SECBUFFER_DATA;
}

static bool ntlm_is_sign_only(const struct sspi_buffer *b)
{
	return sspi_buf_type(b) == SSPI_SECBUFFER_DATA &&
	       (b->type & SSPI_SECBUFFER_READONLY_WITH_CHECKSUM) &&
	       !(b->type & SSPI_SECBUFFER_READONLY);
}

/* The DATA buffers of @msg, in order: encrypted ones and signed ones. */
static void ntlm_msg_body(struct sspi_message *msg, struct sspi_ntlm_msg *m)
{
	unsigned int i;

	for (i = 0; i < msg->count; i++) {
		struct sspi_buffer *b = &msg->buffers[i];

		if (!ntlm_is_data(b) && !ntlm_is_sign_only(b))
			continue;
		m->seg[m->n].b = b;
		m->seg[m->n].len = b->len;
		m->seg[m->n].enc = ntlm_is_data(b);
		m->n++;
	}
}

/* The signature's TOKEN: there, at least 16 bytes; writable to send. */
static int ntlm_token(struct sspi_message *msg, bool tx,
		      struct sspi_buffer **tok)
{
	*tok = sspi_msg_find(msg, SSPI_SECBUFFER_TOKEN, 0);
	if (!*tok || (tx && ((*tok)->type & SSPI_SECBUFFER_ATTRMASK)))
		return -EINVAL;
	if ((*tok)->len < SSPI_NTLM_SIG_LEN)
		return tx ? -ENOBUFS : -EINVAL;
	return 0;
}

/*
 * The sequence number of a message: sent, the context's, or in datagram
 * mode the caller's; connection mode takes no MessageSeqNo.  Signatures
 * carry 32 bits (MS-NLMP 2.2.2.9): a counter that would send past
 * 0xffffffff is spent, -EKEYEXPIRED, rather than wrap and use its numbers
 * again -- NTLMv1's one counter in both directions.
 */
static int ntlm_seqno(struct sspi_context *ctx, struct sspi_ntlm *k, bool tx,
		      u32 seqno, u32 *seq)
{
	if (k->datagram) {
		*seq = seqno;
		return 0;
	}
	if (seqno)
		return -EINVAL;
	if (!k->ess) {
		if (k->v1_seq > U32_MAX)
			return -EKEYEXPIRED;
		*seq = k->v1_seq;
	} else if (tx) {
		if (ctx->tx.seq > U32_MAX)
			return -EKEYEXPIRED;
		*seq = ctx->tx.seq;
	} else {
		*seq = (u32)ctx->rx.win.next;
	}
	return 0;
}

/* The accepted or sent message's number is used up. */
static void ntlm_seq_step(struct sspi_context *ctx, struct sspi_ntlm *k, bool tx)
{
	if (k->datagram)
		return;
	if (!k->ess)
		k->v1_seq++;
	else if (tx)
		ctx->tx.seq++;
	else
		sspi_seqwin_commit(&ctx->rx.win, ctx->rx.win.next);
}

/* The direction's state; NTLMv1's shared one under its lock. */
static struct sspi_ntlm_dir *ntlm_dir_lock(struct sspi_ntlm *k, bool tx)
{
	if (!k->ess) {
		mutex_lock(&k->v1_lock);
		return &k->tx;
	}
	return tx ? &k->tx : &k->rx;
}

static void ntlm_dir_unlock(struct sspi_ntlm *k)
{
	if (!k->ess)
		mutex_unlock(&k->v1_lock);
}

/* Sign @m and seal it as @m->sealed says: EncryptMessage, MakeSignature. */
static int ntlm_send(struct sspi_context *ctx, struct sspi_ntlm *k,
		     struct sspi_ntlm_msg *m, u32 seqno)
{
	struct sspi_ntlm_dir *d = ntlm_dir_lock(k, true);
	int err;

	err = ntlm_seqno(ctx, k, true, seqno, &m->seq);
	if (!err)
		err = sspi_ntlm_protect(k, d, m);
	if (!err)
		ntlm_seq_step(ctx, k, true);
	ntlm_dir_unlock(k);
	return err;
}

/* Check @m and unseal it as @m->sealed says: DecryptMessage, Verify. */
static int ntlm_receive(struct sspi_context *ctx, struct sspi_ntlm *k,
			struct sspi_ntlm_msg *m, u32 seqno)
{
	struct sspi_ntlm_dir *d = ntlm_dir_lock(k, false);
	int err;

	err = ntlm_seqno(ctx, k, false, seqno, &m->seq);
	if (!err)
		err = sspi_ntlm_check(k, d, m);
	if (!err)
		ntlm_seq_step(ctx, k, false);
	ntlm_dir_unlock(k);
	return err;
}

static int ntlm_encrypt(struct sspi_context *ctx, u32 qop,
			struct sspi_message *msg, u32 seqno)
{
	struct sspi_ntlm *k = sspi_ntlm(ctx);
	struct sspi_ntlm_msg m = {};
	struct sspi_buffer *tok;
	int err;

	if (qop && qop != SSPI_SECQOP_WRAP_NO_ENCRYPT)
		return -ENOPROTOOPT;
	err = ntlm_token(msg, true, &tok);
	if (err)
		return err;
	/* a context without confidentiality signs, as WinPR's does */
	m.sealed = k->seal && !qop;
	ntlm_msg_body(msg, &m);
	err = ntlm_send(ctx, k, &m, seqno);
	if (!err) {
		tok->len = SSPI_NTLM_SIG_LEN;
		err = sspi_buf_copy_to(tok, 0, m.sig, SSPI_NTLM_SIG_LEN);
	}
	memzero_explicit(&m, sizeof(m));
	return err;
}

/*
 * [STREAM, DATA]: one empty DATA buffer, pointed at the text after the
 * signature, and nothing signed only.
 */
static int ntlm_stream_out(struct sspi_message *msg, struct sspi_buffer **out)
{
	unsigned int i;

	*out = NULL;
	for (i = 0; i < msg->count; i++) {
		struct sspi_buffer *b = &msg->buffers[i];

		if (sspi_buf_type(b) != SSPI_SECBUFFER_DATA)
			continue;
		if (!ntlm_is_data(b) || *out || b->len)
			return -EINVAL;
		*out = b;
	}
	return *out ? 0 : -EINVAL;
}

static int ntlm_decrypt(struct sspi_context *ctx, struct sspi_message *msg,
			u32 seqno, u32 *qop)
{
	struct sspi_ntlm *k = sspi_ntlm(ctx);
	struct sspi_ntlm_msg m = {};
	struct sspi_buffer *stream, *tok, *out = NULL, saved = {};
	int err;

	stream = sspi_msg_find(msg, SSPI_SECBUFFER_STREAM, 0);
	if (stream) {
		if (stream->len < SSPI_NTLM_SIG_LEN)
			return -EINVAL;
		err = ntlm_stream_out(msg, &out);
		if (err)
			return err;
		tok = stream;
	} else {
		err = ntlm_token(msg, false, &tok);
		if (err)
			return err;
	}
	err = sspi_buf_copy_from(tok, 0, m.sig, SSPI_NTLM_SIG_LEN);
	if (err)
		return err;
	if (out) {
		saved = *out;
		sspi_buf_slice(out, stream, SSPI_NTLM_SIG_LEN,
			       stream->len - SSPI_NTLM_SIG_LEN);
	}
	m.sealed = k->seal;
	ntlm_msg_body(msg, &m);
	err = ntlm_receive(ctx, k, &m, seqno);
	memzero_explicit(&m, sizeof(m));
	if (err) {
		/* DATA points at nothing that was not authenticated */
		if (out)
			*out = saved;
		return err;
	}
	*qop = k->seal ? 0 : SSPI_SECQOP_WRAP_NO_ENCRYPT;
	return 0;
}

static int ntlm_sign(struct sspi_context *ctx, u32 qop,
		     struct sspi_message *msg, u32 seqno)
{
	struct sspi_ntlm *k = sspi_ntlm(ctx);
	struct sspi_ntlm_msg m = {};
	struct sspi_buffer *tok;
	int err;

	if (qop)
		return -ENOPROTOOPT;
	err = ntlm_token(msg, true, &tok);
	if (err)
		return err;
	ntlm_msg_body(msg, &m);
	err = ntlm_send(ctx, k, &m, seqno);
	if (!err) {
		tok->len = SSPI_NTLM_SIG_LEN;
		err = sspi_buf_copy_to(tok, 0, m.sig, SSPI_NTLM_SIG_LEN);
	}
	memzero_explicit(&m, sizeof(m));
	return err;
}

static int ntlm_verify(struct sspi_context *ctx, struct sspi_message *msg,
		       u32 seqno, u32 *qop)
{
	struct sspi_ntlm *k = sspi_ntlm(ctx);
	struct sspi_ntlm_msg m = {};
	struct sspi_buffer *tok;
	int err;

	err = ntlm_token(msg, false, &tok);
	if (!err)
		err = sspi_buf_copy_from(tok, 0, m.sig, SSPI_NTLM_SIG_LEN);
	if (err)
		return err;
	ntlm_msg_body(msg, &m);
	err = ntlm_receive(ctx, k, &m, seqno);
	memzero_explicit(&m, sizeof(m));
	if (!err)
		*qop = 0;
	return err;
}

/* Whether Windows still accepts these flags by default; else allow_weak. */
static bool ntlm_weak(const struct sspi_ntlm *k)
{
	return !k->ess || (k->rc4 && k->bits == 40);
}

static int ntlm_init(struct sspi_context *ctx, const void *data, size_t len)
{
	const struct sspi_ntlm_import *imp = data;
	struct sspi_ntlm **slot = (struct sspi_ntlm **)ctx->priv;
	struct sspi_ntlm *k;
	u32 f;
	int err;

	if (len != sizeof(*imp) || (imp->flags & ~SSPI_NTLM_F_ALL))
		return -EINVAL;
	f = imp->negotiate_flags;
	/* nothing to protect with: no session security was negotiated */
	if (!(f & (SSPI_NTLMSSP_NEGOTIATE_SIGN | SSPI_NTLMSSP_NEGOTIATE_SEAL)))
		return -EINVAL;
	k = kzalloc(sizeof(*k), GFP_KERNEL_ACCOUNT);
	if (!k)
		return -ENOMEM;
	k->neg_flags = f;
	k->initiator = imp->flags & SSPI_NTLM_F_INITIATOR;
	k->ess = f & SSPI_NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY;
	k->seal = f & SSPI_NTLMSSP_NEGOTIATE_SEAL;
	k->keyex = k->ess && (f & SSPI_NTLMSSP_NEGOTIATE_KEY_EXCH);
	k->rc4 = !k->ess || k->seal || k->keyex;
	k->datagram = (imp->flags & SSPI_NTLM_F_DATAGRAM) ||
		      (f & SSPI_NTLMSSP_NEGOTIATE_DATAGRAM);
	if (k->ess)
		k->bits = f & SSPI_NTLMSSP_NEGOTIATE_128 ? 128 :
			  f & SSPI_NTLMSSP_NEGOTIATE_56 ? 56 : 40;
	else if (f & SSPI_NTLMSSP_NEGOTIATE_LM_KEY)
		k->bits = f & SSPI_NTLMSSP_NEGOTIATE_56 ? 56 : 40;
	else
		k->bits = 128;
	mutex_init(&k->v1_lock);
	err = -ENOPKG;
	if (ntlm_weak(k) && !READ_ONCE(sspi_ntlm_allow_weak))
		goto fail;
	/* one counter for both directions: it has one start */
	err = -EINVAL;
	if (!k->ess && imp->send_seq != imp->recv_seq)
		goto fail;
	err = sspi_ntlm_keys_init(k, imp->session_key);
	if (err)
		goto fail;
	k->v1_seq = imp->send_seq;
	ctx->tx.seq = imp->send_seq;
	sspi_seqwin_init(&ctx->rx.win, imp->recv_seq);
	*slot = k;
	return 0;

fail:
	sspi_ntlm_keys_free(k);
	mutex_destroy(&k->v1_lock);
	kfree_sensitive(k);
	return err;
}

static void ntlm_destroy(struct sspi_context *ctx)
{
	struct sspi_ntlm **slot = (struct sspi_ntlm **)ctx->priv;
	struct sspi_ntlm *k = *slot;

	if (!k)
		return;
	sspi_ntlm_keys_free(k);
	mutex_destroy(&k->v1_lock);
	kfree_sensitive(k);
	*slot = NULL;
}

static void ntlm_query(struct sspi_context *ctx, struct sspi_context_info *info)
{
	struct sspi_ntlm *k = sspi_ntlm(ctx);

	/* a send counter past 0xffffffff is spent (ntlm_seqno()) */
	if (k->ess) {
		info->tx_seq = ctx->tx.seq;
		info->rx_seq = (u32)ctx->rx.win.next;
	} else {
		info->tx_seq = k->v1_seq;
		info->rx_seq = k->v1_seq;
	}
	info->sizes.max_token = SSPI_NTLM_MAX_TOKEN;
	info->sizes.max_signature = SSPI_NTLM_SIG_LEN;
	info->sizes.block_size = 0;
	info->sizes.security_trailer = SSPI_NTLM_SIG_LEN;
	info->key_bits = k->bits;
	if (k->ess && !k->rc4)
		strscpy(info->cipher, "hmac-md5", sizeof(info->cipher));
	else if (k->ess)
		snprintf(info->cipher, sizeof(info->cipher), "rc4-hmac-md5-%u%s",
			 k->bits, k->datagram ? "-datagram" : "");
	else
		snprintf(info->cipher, sizeof(info->cipher), "rc4-crc32-%u%s",
			 k->bits, k->datagram ? "-datagram" : "");
	if (k->ess) {
		strscpy(info->tx_driver, crypto_shash_driver_name(k->tx.hmac),
			sizeof(info->tx_driver));
		strscpy(info->rx_driver, crypto_shash_driver_name(k->rx.hmac),
			sizeof(info->rx_driver));
	} else {
		strscpy(info->tx_driver, "arc4+crc32", sizeof(info->tx_driver));
		strscpy(info->rx_driver, "arc4+crc32", sizeof(info->rx_driver));
	}
}

static const struct sspi_package_ops sspi_ntlm_ops = {
	.init = ntlm_init,
	.destroy = ntlm_destroy,
	.encrypt = ntlm_encrypt,
	.decrypt = ntlm_decrypt,
	.sign = ntlm_sign,
	.verify = ntlm_verify,
	.query = ntlm_query,
};

static struct sspi_package sspi_ntlm_package = {
	.name = "NTLM",
	.comment = "MS-NLMP session security (RC4, HMAC-MD5; NTLMv1 CRC32 behind allow_weak_ntlm)",
	.priv_size = sizeof(struct sspi_ntlm *),
	.ops = &sspi_ntlm_ops,
};

/**
 * sspi_ntlm_register() - register the NTLM package
 *
 * Return: 0 or the error of sspi_package_register().
 */
int sspi_ntlm_register(void)
{
	return sspi_package_register(&sspi_ntlm_package);
}

/**
 * sspi_ntlm_unregister() - unregister it; its contexts go first
 */
void sspi_ntlm_unregister(void)
{
	sspi_package_unregister(&sspi_ntlm_package);
}
