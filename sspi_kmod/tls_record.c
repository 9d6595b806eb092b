// SPDX-License-Identifier: GPL-2.0
/*
 * sspi_kmod: the TLS-record package ("Schannel"): TLS 1.2 (RFC 5288 AES-GCM,
 * RFC 7905 ChaCha20-Poly1305) and TLS 1.3 (RFC 8446) records with keys
 * from a handshake done elsewhere.
 *
 * EncryptMessage takes [STREAM_HEADER, DATA, STREAM_TRAILER, EMPTY] and
 * seals DATA in place into one record.  DecryptMessage takes [DATA, EMPTY,
 * EMPTY, EMPTY] holding received bytes and turns it into STREAM_HEADER,
 * DATA (the plaintext, in place), STREAM_TRAILER and, when bytes follow
 * the record, EXTRA; a partial record gives SEC_E_INCOMPLETE_MESSAGE with
 * a MISSING buffer saying how many bytes are still needed.
 */

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/string.h>

#include "buffer.h"
#include "compat.h"
#include "context.h"
#include "crypto.h"
#include "package.h"
#include "tls_record.h"

#define TLS_HEADER_LEN		5
#define TLS_TAG_LEN		16
#define TLS_NONCE_LEN		12
#define TLS_SALT_LEN		4
#define TLS_EXPLICIT_LEN	8
#define TLS_AAD12_LEN		13
#define TLS_MAX_PLAINTEXT	16384
#define TLS_LEGACY_VERSION	0x0303

#define TLS_CT_ALERT		21
#define TLS_CT_HANDSHAKE	22
#define TLS_CT_APPDATA		23

#define TLS_ALERT_CLOSE_NOTIFY	0

/* AAD, up to two pieces of text (data, trailer) and the tag's room */
#define TLS_SG_MAX		(2 + 2 * 16)

struct sspi_tls_dir {
	struct sspi_aead aead;
	u8 iv[TLS_NONCE_LEN];
	u64 seq;
	u64 explicit_nonce;
	u8 aad[TLS_AAD12_LEN];
	struct scatterlist sg[TLS_SG_MAX];
};

struct sspi_tls {
	u16 version;
	u16 cipher;
	unsigned int keylen;
	bool explicit_nonce;
	struct sspi_tls_dir tx;
	struct sspi_tls_dir rx;
};

static struct sspi_tls *sspi_tls(struct sspi_context *ctx)
{
	return (struct sspi_tls *)ctx->priv;
}

static bool sspi_tls13(const struct sspi_tls *t)
{
	return t->version == SSPI_TLS_VERSION_1_3;
}

static unsigned int sspi_tls_header_len(const struct sspi_tls *t)
{
	return TLS_HEADER_LEN + (t->explicit_nonce ? TLS_EXPLICIT_LEN : 0);
}

/* The trailer: TLS 1.3's inner content type, then the tag. */
static unsigned int sspi_tls_trailer_len(const struct sspi_tls *t)
{
	return (sspi_tls13(t) ? 1 : 0) + TLS_TAG_LEN;
}

/* The nonce of the record @d is about to protect, into d->aead.iv. */
static void sspi_tls_nonce(const struct sspi_tls *t, struct sspi_tls_dir *d,
			   const u8 *explicit_nonce)
{
	int i;

	if (t->explicit_nonce) {
		memcpy(d->aead.iv, d->iv, TLS_SALT_LEN);
		memcpy(d->aead.iv + TLS_SALT_LEN, explicit_nonce, TLS_EXPLICIT_LEN);
		return;
	}
	memcpy(d->aead.iv, d->iv, TLS_NONCE_LEN);
	for (i = 0; i < 8; i++)
		d->aead.iv[TLS_NONCE_LEN - 1 - i] ^= (u8)(d->seq >> (8 * i));
}

/* TLS 1.2's additional data: seq_num, type, version, plaintext length. */
static void sspi_tls12_aad(struct sspi_tls_dir *d, u8 type, unsigned int len)
{
	put_unaligned_be64(d->seq, d->aad);
	d->aad[8] = type;
	put_unaligned_be16(TLS_LEGACY_VERSION, d->aad + 9);
	put_unaligned_be16(len, d->aad + 11);
}

/* A direction's nonce material and first sequence number. */
static void sspi_tls_set_dir(struct sspi_tls_dir *d, const struct sspi_tls_keys *k)
{
	memcpy(d->iv, k->iv, TLS_NONCE_LEN);
	d->seq = get_unaligned_be64(k->rec_seq);
	d->explicit_nonce = get_unaligned_be64(k->iv + TLS_SALT_LEN);
}

static int sspi_tls_init_dir(struct sspi_tls *t, struct sspi_tls_dir *d,
			     const struct sspi_tls_keys *k, const char *alg)
{
	sspi_tls_set_dir(d, k);
	return sspi_aead_init(&d->aead, alg, k->key, t->keylen, TLS_TAG_LEN);
}

static int sspi_tls_init(struct sspi_context *ctx, const void *data, size_t len)
{
	const struct sspi_tls_import *imp = data;
	struct sspi_tls *t = sspi_tls(ctx);
	unsigned int keylen;
	const char *alg;
	int err;

	if (len != sizeof(*imp) || imp->reserved)
		return -EINVAL;
	if (imp->version != SSPI_TLS_VERSION_1_2 &&
	    imp->version != SSPI_TLS_VERSION_1_3)
		return -EINVAL;
	switch (imp->cipher) {
	case SSPI_TLS_CIPHER_AES_GCM_128:
		alg = "gcm(aes)";
		keylen = 16;
		break;
	case SSPI_TLS_CIPHER_AES_GCM_256:
		alg = "gcm(aes)";
		keylen = 32;
		break;
	case SSPI_TLS_CIPHER_CHACHA20_POLY1305:
		alg = "rfc7539(chacha20,poly1305)";
		keylen = 32;
		break;
	default:
		return -ENOPKG;
	}
	t->version = imp->version;
	t->cipher = imp->cipher;
	t->keylen = keylen;
	t->explicit_nonce = imp->version == SSPI_TLS_VERSION_1_2 &&
			    imp->cipher != SSPI_TLS_CIPHER_CHACHA20_POLY1305;

	err = sspi_tls_init_dir(t, &t->tx, &imp->tx, alg);
	if (!err)
		err = sspi_tls_init_dir(t, &t->rx, &imp->rx, alg);
	if (err) {
		sspi_aead_destroy(&t->tx.aead);
		sspi_aead_destroy(&t->rx.aead);
		memzero_explicit(t, sizeof(*t));
	}
	return err;
}

static void sspi_tls_destroy(struct sspi_context *ctx)
{
	struct sspi_tls *t = sspi_tls(ctx);

	sspi_aead_destroy(&t->tx.aead);
	sspi_aead_destroy(&t->rx.aead);
	memzero_explicit(t, sizeof(*t));
}

static int sspi_tls_encrypt(struct sspi_context *ctx, u32 qop,
			    struct sspi_message *msg, u32 seqno)
{
	struct sspi_tls *t = sspi_tls(ctx);
	struct sspi_tls_dir *d = &t->tx;
	unsigned int hlen = sspi_tls_header_len(t), tlen = sspi_tls_trailer_len(t);
	struct sspi_buffer *hdr, *data, *trl;
	u8 head[TLS_HEADER_LEN + TLS_EXPLICIT_LEN], type;
	unsigned int inner = sspi_tls13(t) ? 1 : 0;
	struct sspi_sgbuild sgb;
	struct scatterlist *sg;
	int err;

	/* Schannel takes no caller sequence numbers */
	if (seqno)
		return -EINVAL;
	hdr = sspi_msg_find(msg, SSPI_SECBUFFER_STREAM_HEADER, 0);
	data = sspi_msg_find(msg, SSPI_SECBUFFER_DATA, 0);
	trl = sspi_msg_find(msg, SSPI_SECBUFFER_STREAM_TRAILER, 0);
	if (!hdr || !data || !trl)
		return -EINVAL;
	switch (qop) {
	case 0:
		type = TLS_CT_APPDATA;
		break;
	case SSPI_SECQOP_WRAP_OOB_DATA:
		/* an alert: level and description */
		if (data->len != 2)
			return -EINVAL;
		type = TLS_CT_ALERT;
		break;
	case SSPI_SECQOP_TLS_HANDSHAKE:
		/*
		 * the helper's post-handshake messages (KeyUpdate,
		 * renegotiation) go out in this direction's sequence
		 */
		type = TLS_CT_HANDSHAKE;
		break;
	default:
		return -ENOPROTOOPT;
	}
	if (data->len > TLS_MAX_PLAINTEXT)
		return -EINVAL;
	if (hdr->len < hlen || trl->len < tlen)
		return -ENOBUFS;
	if (d->seq == U64_MAX)
		return -EKEYEXPIRED;

	head[0] = sspi_tls13(t) ? TLS_CT_APPDATA : type;
	put_unaligned_be16(TLS_LEGACY_VERSION, head + 1);
	put_unaligned_be16(hlen - TLS_HEADER_LEN + data->len + tlen, head + 3);
	if (t->explicit_nonce)
		put_unaligned_be64(d->explicit_nonce, head + TLS_HEADER_LEN);
	sspi_tls_nonce(t, d, head + TLS_HEADER_LEN);

	err = sspi_buf_copy_to(hdr, 0, head, hlen);
	if (!err && inner)
		err = sspi_buf_copy_to(trl, 0, &type, 1);
	if (err)
		return err;

	sspi_sgb_init(&sgb, d->sg, ARRAY_SIZE(d->sg));
	if (sspi_tls13(t)) {
		err = sspi_sgb_add_buf(&sgb, hdr, 0, TLS_HEADER_LEN);
	} else {
		sspi_tls12_aad(d, type, data->len);
		err = sspi_sgb_add_mem(&sgb, d->aad, TLS_AAD12_LEN);
	}
	if (!err)
		err = sspi_sgb_add_buf(&sgb, data, 0, data->len);
	if (!err)
		err = sspi_sgb_add_buf(&sgb, trl, 0, tlen);
	if (err)
		return err == -E2BIG ? -EINVAL : err;
	sg = sspi_sgb_finish(&sgb);

	err = sspi_aead_run(&d->aead, true, sg, sg, sgb.bytes - data->len - tlen,
			    data->len + inner);
	if (err)
		return err;
	hdr->len = hlen;
	trl->len = tlen;
	d->seq++;
	d->explicit_nonce++;
	return 0;
}

/* Point @out at [off, off + len) of the received bytes @in. */
static void sspi_tls_slice(struct sspi_buffer *out, u32 type,
			   const struct sspi_buffer *in, u32 off, u32 len)
{
	out->type = type;
	sspi_buf_slice(out, in, off, len);
}

static int sspi_tls_missing(struct sspi_message *msg, u32 need)
{
	msg->buffers[1] = (struct sspi_buffer){
		.type = SSPI_SECBUFFER_MISSING,
		.len = need,
	};
	return -ENODATA;
}

static int sspi_tls_decrypt(struct sspi_context *ctx, struct sspi_message *msg,
			    u32 seqno, u32 *qop)
{
	struct sspi_tls *t = sspi_tls(ctx);
	struct sspi_tls_dir *d = &t->rx;
	unsigned int hlen = sspi_tls_header_len(t), tlen = sspi_tls_trailer_len(t);
	struct sspi_buffer *b = msg->buffers, in;
	unsigned int inner = sspi_tls13(t) ? 1 : 0;
	u8 head[TLS_HEADER_LEN + TLS_EXPLICIT_LEN], type, c = 0;
	u32 reclen, ctlen, textlen, max;
	struct sspi_sgbuild sgb;
	struct scatterlist *sg;
	int err, i;

	if (seqno)
		return -EINVAL;
	if (msg->count != 4 || sspi_buf_type(&b[0]) != SSPI_SECBUFFER_DATA)
		return -EINVAL;
	for (i = 1; i < 4; i++)
		if (sspi_buf_type(&b[i]) != SSPI_SECBUFFER_EMPTY)
			return -EINVAL;
	in = b[0];

	if (in.len < TLS_HEADER_LEN)
		return sspi_tls_missing(msg, TLS_HEADER_LEN - in.len);
	err = sspi_buf_copy_from(&in, 0, head, TLS_HEADER_LEN);
	if (err)
		return err;
	type = head[0];
	reclen = get_unaligned_be16(head + 3);
	max = TLS_MAX_PLAINTEXT + (sspi_tls13(t) ? 256 : 2048);
	if (get_unaligned_be16(head + 1) != TLS_LEGACY_VERSION || reclen > max ||
	    reclen < hlen - TLS_HEADER_LEN + tlen)
		return -EINVAL;
	if (sspi_tls13(t) ? type != TLS_CT_APPDATA :
	    type != TLS_CT_APPDATA && type != TLS_CT_ALERT && type != TLS_CT_HANDSHAKE)
		return -EINVAL;
	if (in.len < TLS_HEADER_LEN + reclen)
		return sspi_tls_missing(msg, TLS_HEADER_LEN + reclen - in.len);
	if (type == TLS_CT_HANDSHAKE) {
		/*
		 * TLS 1.2 renegotiation: the handshake code, which has the
		 * keys and reads the sequence number from a query, takes
		 * the record as it came, and all that follows it.
		 */
		b[0].type = SSPI_SECBUFFER_EXTRA;
		return SSPI_I_RENEGOTIATE;
	}
	if (d->seq == U64_MAX)
		return -EKEYEXPIRED;

	if (t->explicit_nonce) {
		err = sspi_buf_copy_from(&in, TLS_HEADER_LEN, head + TLS_HEADER_LEN,
					 TLS_EXPLICIT_LEN);
		if (err)
			return err;
	}
	sspi_tls_nonce(t, d, head + TLS_HEADER_LEN);
	ctlen = reclen - (hlen - TLS_HEADER_LEN);	/* text and tag */

	sspi_sgb_init(&sgb, d->sg, ARRAY_SIZE(d->sg));
	if (sspi_tls13(t)) {
		err = sspi_sgb_add_buf(&sgb, &in, 0, TLS_HEADER_LEN);
	} else {
		sspi_tls12_aad(d, type, ctlen - TLS_TAG_LEN);
		err = sspi_sgb_add_mem(&sgb, d->aad, TLS_AAD12_LEN);
	}
	if (!err)
		err = sspi_sgb_add_buf(&sgb, &in, hlen, ctlen);
	if (err)
		return err == -E2BIG ? -EINVAL : err;
	sg = sspi_sgb_finish(&sgb);

	err = sspi_aead_run(&d->aead, false, sg, sg, sgb.bytes - ctlen, ctlen);
	if (err)
		return err;
	d->seq++;

	textlen = ctlen - TLS_TAG_LEN;
	/* record_overflow (TLS 1.3: TLSInnerPlaintext, with type and padding) */
	if (textlen > TLS_MAX_PLAINTEXT + inner)
		goto refuse;
	if (sspi_tls13(t)) {
		/* the inner content type is the last non-zero byte */
		while (textlen) {
			err = sspi_buf_copy_from(&in, hlen + textlen - 1, &c, 1);
			if (err)
				return err;
			textlen--;
			if (c)
				break;
		}
		if (!c)
			goto refuse;
		type = c;
	}
	if (type != TLS_CT_APPDATA && type != TLS_CT_HANDSHAKE &&
	    (type != TLS_CT_ALERT || textlen != 2))
		goto refuse;

	sspi_tls_slice(&b[0], SSPI_SECBUFFER_STREAM_HEADER, &in, 0, hlen);
	sspi_tls_slice(&b[1], SSPI_SECBUFFER_DATA, &in, hlen, textlen);
	sspi_tls_slice(&b[2], SSPI_SECBUFFER_STREAM_TRAILER, &in, hlen + textlen,
		       TLS_HEADER_LEN + reclen - hlen - textlen);
	if (in.len > TLS_HEADER_LEN + reclen)
		sspi_tls_slice(&b[3], SSPI_SECBUFFER_EXTRA, &in, TLS_HEADER_LEN + reclen,
			       in.len - TLS_HEADER_LEN - reclen);

	switch (type) {
	case TLS_CT_APPDATA:
		return 0;
	case TLS_CT_ALERT:
		err = sspi_buf_copy_from(&b[1], 1, &c, 1);
		if (err)
			return err;
		*qop = SSPI_SECQOP_WRAP_OOB_DATA;
		return c == TLS_ALERT_CLOSE_NOTIFY ? SSPI_I_CONTEXT_EXPIRED : 0;
	case TLS_CT_HANDSHAKE:
		/*
		 * TLS 1.3 KeyUpdate or NewSessionTicket, in DATA: the
		 * handshake code's business
		 */
		return SSPI_I_RENEGOTIATE;
	}
	return 0;	/* not reached: the type was checked */

refuse:
	/* authentic, but not a record this side takes: no text stays */
	sg_zero_buffer(sg, sg_nents(sg), ctlen - TLS_TAG_LEN, sgb.bytes - ctlen);
	return -EINVAL;
}

static const char *sspi_tls_cipher_name(u16 cipher)
{
	switch (cipher) {
	case SSPI_TLS_CIPHER_AES_GCM_128:
		return "aes-128-gcm";
	case SSPI_TLS_CIPHER_AES_GCM_256:
		return "aes-256-gcm";
	default:
		return "chacha20-poly1305";
	}
}

static void sspi_tls_query(struct sspi_context *ctx,
			   struct sspi_context_info *info)
{
	struct sspi_tls *t = sspi_tls(ctx);
	struct sspi_sizes *sz = &info->sizes;
	unsigned int hlen = sspi_tls_header_len(t), tlen = sspi_tls_trailer_len(t);

	sz->stream_header = hlen;
	sz->stream_trailer = tlen;
	sz->max_message = TLS_MAX_PLAINTEXT;
	sz->buffers = 4;
	sz->block_size = 1;
	sz->security_trailer = tlen;
	sz->max_token = hlen + TLS_MAX_PLAINTEXT + tlen;
	info->protocol = t->version;
	strscpy(info->cipher, sspi_tls_cipher_name(t->cipher), sizeof(info->cipher));
	strscpy(info->tx_driver, sspi_aead_driver(&t->tx.aead),
		sizeof(info->tx_driver));
	strscpy(info->rx_driver, sspi_aead_driver(&t->rx.aead),
		sizeof(info->rx_driver));
	info->tx_seq = t->tx.seq;
	info->rx_seq = t->rx.seq;
}

/*
 * New traffic keys for one direction (TLS 1.3 KeyUpdate; TLS 1.2 after a
 * renegotiation): same version and cipher, the record sequence number
 * where the keys say (0 after a KeyUpdate).
 */
static int sspi_tls_update_keys(struct sspi_context *ctx, enum sspi_dir dir,
				const void *keys, size_t len)
{
	struct sspi_tls *t = sspi_tls(ctx);
	struct sspi_tls_dir *d = dir == SSPI_TX ? &t->tx : &t->rx;
	const struct sspi_tls_keys *k = keys;
	int err;

	if (len != sizeof(*k))
		return -EINVAL;
	err = sspi_aead_rekey(&d->aead, k->key, t->keylen);
	if (err)
		return err;
	sspi_tls_set_dir(d, k);
	return 0;
}

static const struct sspi_package_ops sspi_tls_ops = {
	.init = sspi_tls_init,
	.destroy = sspi_tls_destroy,
	.encrypt = sspi_tls_encrypt,
	.decrypt = sspi_tls_decrypt,
	.query = sspi_tls_query,
	.update_keys = sspi_tls_update_keys,
};

static struct sspi_package sspi_tls_package = {
	.name = "Schannel",
	.comment = "TLS 1.2 and 1.3 records (AES-GCM, ChaCha20-Poly1305)",
	.priv_size = sizeof(struct sspi_tls),
	.ops = &sspi_tls_ops,
};

int sspi_tls_register(void)
{
	return sspi_package_register(&sspi_tls_package);
}

void sspi_tls_unregister(void)
{
	sspi_package_unregister(&sspi_tls_package);
}
