// SPDX-License-Identifier: GPL-2.0
/*
 * sspi_kmod: rc4-hmac (RFC 4757) tokens of the Kerberos package.
 *
 * RFC 4757 section 7 per-message tokens in RFC 1964's framing: the
 * application tag 0x60, a DER length, the krb5 mechanism OID, then
 *
 *   0..1   TOK_ID    02 01 (Wrap) or 01 01 (MIC)
 *   2..3   SGN_ALG   11 00 (HMAC-MD5)
 *   4..5   SEAL_ALG  10 00 (RC4), ff ff without confidentiality (MIC: ff ff)
 *   6..7   filler    ff ff
 *   8..15  SND_SEQ   sequence number (big endian) and four direction bytes,
 *                    RC4-encrypted with a key made from SGN_CKSUM
 *   16..23 SGN_CKSUM HMAC-MD5(Ksign, MD5(usage | bytes 0..7 | confounder |
 *                    data | padding)), truncated
 *   24..31 confounder (Wrap only), encrypted with the data
 *
 * then, for Wrap tokens, the data and one byte of padding (none in DCE
 * style).  EncryptMessage takes [TOKEN, DATA..., PADDING]: TOKEN receives
 * the framing and the 32 bytes above, each DATA is encrypted in place and
 * PADDING receives the padding, so that TOKEN | DATA | PADDING is what
 * gss_wrap() makes.  The keys fixed for the context's life -- the checksum
 * key and the two that make the per-message RC4 keys -- each key one
 * hmac(md5) transform at import, never keyed again and shared by both
 * directions; the per-message RC4 keys are made under the direction's
 * lock and wiped after use.
 */

#include <crypto/algapi.h>
#include <crypto/arc4.h>
#include <crypto/hash.h>
#include <crypto/md5.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "buffer.h"
#include "compat.h"
#include "context.h"
#include "krb5_rc4.h"

bool sspi_krb5_allow_rc4;
module_param_named(allow_rc4, sspi_krb5_allow_rc4, bool, 0644);
MODULE_PARM_DESC(allow_rc4, "accept rc4-hmac (enctype 23) Kerberos contexts (default: no)");

#define RC4_KEY_LEN	16
#define RC4_HDR_LEN	8	/* TOK_ID, SGN_ALG, SEAL_ALG, filler */
#define RC4_SEQ_OFF	8
#define RC4_CKSUM_OFF	16
#define RC4_CKSUM_LEN	8
#define RC4_CONF_OFF	24
#define RC4_CONF_LEN	8
#define RC4_MIC_LEN	24	/* header, SND_SEQ, SGN_CKSUM */
#define RC4_WRAP_LEN	32	/* and the confounder */
#define RC4_OID_LEN	11	/* 06 09 and the OID */
#define RC4_FRAME_MAX	6	/* 0x60 and a DER length of up to 5 bytes */
#define RC4_TOK_MAX	(RC4_FRAME_MAX + RC4_OID_LEN + RC4_WRAP_LEN)
#define RC4_USAGE_WRAP	13	/* RFC 4757: GSS_Wrap's checksum */
#define RC4_USAGE_MIC	15	/* and GSS_GetMIC's */
#define RC4_MAX_DATA	(U32_MAX / 2)
#define RC4_CHUNK	256
/* Windows' cbMaxToken for Kerberos */
#define RC4_MAX_TOKEN	48000

static const u8 rc4_oid[RC4_OID_LEN] = {
	0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02
};

static const u8 rc4_sigkey_label[] = "signaturekey";	/* with its NUL */

struct sspi_rc4_dir {
	struct crypto_shash *md5;
	struct shash_desc *md;
	struct arc4_ctx arc4;
	u8 tok[RC4_TOK_MAX];
	u8 conf[RC4_CONF_LEN];
	u8 seq[8];
	u8 key[MD5_DIGEST_SIZE];
	u8 digest[MD5_DIGEST_SIZE];
	u8 chunk[RC4_CHUNK];
};

/**
 * struct sspi_krb5_rc4 - an rc4-hmac context's state
 * @flags: the SSPI_KRB5_F_* flags of the import
 * @seq_detect: SSPI_SEQ_DETECT_* for the receive window
 * @ksign: hmac(md5) keyed with HMAC-MD5(K, "signaturekey\0"), the checksum
 *	key
 * @kseq: keyed with HMAC-MD5(K, 0): makes the SND_SEQ key
 * @kcrypt: keyed with HMAC-MD5(K ^ 0xf0, 0): makes the data key
 * @tx: what sending and signing use, under the send lock
 * @rx: what receiving and verifying use, under the receive lock
 */
struct sspi_krb5_rc4 {
	u32 flags;
	unsigned int seq_detect;
	struct crypto_shash *ksign;
	struct crypto_shash *kseq;
	struct crypto_shash *kcrypt;
	struct sspi_rc4_dir tx;
	struct sspi_rc4_dir rx;
};

/* The bytes a token's checksum covers after its confounder. */
struct rc4_body {
	struct {
		struct sspi_buffer *b;
		u32 off;
		u32 len;
		bool enc;	/* encrypted data; else signed only */
	} seg[SSPI_MAX_BUFFERS];
	unsigned int n;
	u32 dlen;		/* bytes of the encrypted segments */
};

enum rc4_op { RC4_SEAL, RC4_UNSEAL, RC4_HASH, RC4_WIPE };

static bool rc4_initiator(const struct sspi_krb5_rc4 *r)
{
	return r->flags & SSPI_KRB5_F_INITIATOR;
}

static bool rc4_dce(const struct sspi_krb5_rc4 *r)
{
	return r->flags & SSPI_KRB5_F_DCE_STYLE;
}

/* Key d->arc4 with the HMAC-MD5 of @in under @base: the per-message keys. */
static int rc4_key(struct sspi_rc4_dir *d, struct crypto_shash *base,
		   const u8 *in, unsigned int len)
{
	int err = crypto_shash_tfm_digest(base, in, len, d->key);

	if (!err)
		err = arc4_setkey(&d->arc4, d->key, RC4_KEY_LEN);
	memzero_explicit(d->key, sizeof(d->key));
	return err;
}

static void rc4_forget(struct sspi_rc4_dir *d)
{
	memzero_explicit(&d->arc4, sizeof(d->arc4));
	memzero_explicit(d->conf, sizeof(d->conf));
	memzero_explicit(d->seq, sizeof(d->seq));
	memzero_explicit(d->digest, sizeof(d->digest));
	memzero_explicit(d->chunk, sizeof(d->chunk));
	/* the state and the tfm pointer: rc4_cksum_begin() sets it again */
	memzero_explicit(d->md, sizeof(*d->md) + crypto_shash_descsize(d->md5));
}

/* The DER length octets of @n: 1 to 5. */
static unsigned int rc4_der_size(u32 n)
{
	if (n < 0x80)
		return 1;
	if (n < 0x100)
		return 2;
	if (n < 0x10000)
		return 3;
	if (n < 0x1000000)
		return 4;
	return 5;
}

/* Write the framing of a token of @body bytes after the length; its size. */
static unsigned int rc4_frame_put(u8 *out, u32 body)
{
	unsigned int n = rc4_der_size(body), i = 0, k;

	out[i++] = 0x60;
	if (n == 1) {
		out[i++] = body;
	} else {
		out[i++] = 0x80 | (n - 1);
		for (k = n - 1; k > 0; k--)
			out[i++] = body >> (8 * (k - 1));
	}
	memcpy(out + i, rc4_oid, RC4_OID_LEN);
	return i + RC4_OID_LEN;
}

/*
 * Read the framing at the start of @p (@avail bytes): the framing's size
 * with the OID in *@hlen, the DER length in *@body.
 */
static int rc4_frame_get(const u8 *p, u32 avail, u32 *hlen, u32 *body)
{
	unsigned int i = 2, n, k;
	u32 len;

	if (avail < 2 || p[0] != 0x60)
		return -EINVAL;
	if (p[1] < 0x80) {
		len = p[1];
	} else {
		n = p[1] & 0x7f;
		if (n < 1 || n > 4 || avail < 2 + n)
			return -EINVAL;
		for (k = 0, len = 0; k < n; k++)
			len = len << 8 | p[2 + k];
		if (rc4_der_size(len) != n + 1)	/* DER: the shortest form */
			return -EINVAL;
		i += n;
	}
	if (avail < i + RC4_OID_LEN || memcmp(p + i, rc4_oid, RC4_OID_LEN))
		return -EINVAL;
	*hlen = i + RC4_OID_LEN;
	*body = len;
	return 0;
}

static bool rc4_is_data(const struct sspi_buffer *b)
{
	return b->type == SSPI_SECBUFFER_DATA;
}

static bool rc4_is_sign_only(const struct sspi_buffer *b)
{
	return sspi_buf_type(b) == SSPI_SECBUFFER_DATA &&
	       (b->type & SSPI_SECBUFFER_READONLY_WITH_CHECKSUM);
}

static void rc4_body_add(struct rc4_body *body, struct sspi_buffer *b, u32 off,
			 u32 len, bool enc)
{
	if (!len)
		return;
	body->seg[body->n].b = b;
	body->seg[body->n].off = off;
	body->seg[body->n].len = len;
	body->seg[body->n].enc = enc;
	body->n++;
	if (enc)
		body->dlen += len;
}

/* The DATA buffers in message order: encrypted, or (@sign) signed only. */
static int rc4_msg_body(struct sspi_message *msg, struct rc4_body *body)
{
	u64 dlen = 0;
	unsigned int i;

	for (i = 0; i < msg->count; i++) {
		struct sspi_buffer *b = &msg->buffers[i];

		if (rc4_is_data(b))
			dlen += b->len;
		if (rc4_is_data(b) || rc4_is_sign_only(b))
			rc4_body_add(body, b, 0, b->len, rc4_is_data(b));
	}
	return dlen > RC4_MAX_DATA ? -EINVAL : 0;
}

/*
 * Run @body through the checksum and, when @sealed, RC4: RC4_SEAL hashes
 * and then encrypts, RC4_UNSEAL decrypts and then hashes, RC4_HASH only
 * hashes, RC4_WIPE zeroes the encrypted segments.
 */
static int rc4_body_pass(struct sspi_rc4_dir *d, const struct rc4_body *body,
			 enum rc4_op op, bool sealed)
{
	unsigned int i;
	u32 off, n;
	int err = 0;

	for (i = 0; i < body->n && !err; i++) {
		bool enc = sealed && body->seg[i].enc;

		if (op == RC4_WIPE && !enc)
			continue;
		for (off = 0; off < body->seg[i].len && !err; off += n) {
			struct sspi_buffer *b = body->seg[i].b;
			u32 at = body->seg[i].off + off;

			n = min_t(u32, body->seg[i].len - off, RC4_CHUNK);
			if (op == RC4_WIPE) {
				memset(d->chunk, 0, n);
				err = sspi_buf_copy_to(b, at, d->chunk, n);
				continue;
			}
			err = sspi_buf_copy_from(b, at, d->chunk, n);
			if (err)
				break;
			if (enc && op == RC4_UNSEAL)
				arc4_crypt(&d->arc4, d->chunk, d->chunk, n);
			err = crypto_shash_update(d->md, d->chunk, n);
			if (err || !enc)
				continue;
			if (op == RC4_SEAL)
				arc4_crypt(&d->arc4, d->chunk, d->chunk, n);
			err = sspi_buf_copy_to(b, at, d->chunk, n);
		}
	}
	memzero_explicit(d->chunk, sizeof(d->chunk));
	return err;
}

/* Start the checksum: usage, the 8 header bytes, the confounder if any. */
static int rc4_cksum_begin(struct sspi_rc4_dir *d, u32 usage, const u8 *hdr,
			   bool conf)
{
	__le32 u = cpu_to_le32(usage);
	int err;

	d->md->tfm = d->md5;
	err = crypto_shash_init(d->md);
	if (!err)
		err = crypto_shash_update(d->md, (u8 *)&u, sizeof(u));
	if (!err)
		err = crypto_shash_update(d->md, hdr, RC4_HDR_LEN);
	if (!err && conf)
		err = crypto_shash_update(d->md, d->conf, RC4_CONF_LEN);
	return err;
}

/* Finish it into d->digest: HMAC-MD5(Ksign, MD5(...)); 8 bytes count. */
static int rc4_cksum_end(struct sspi_krb5_rc4 *r, struct sspi_rc4_dir *d)
{
	u8 md5[MD5_DIGEST_SIZE];
	int err;

	err = crypto_shash_final(d->md, md5);
	if (!err)
		err = crypto_shash_tfm_digest(r->ksign, md5, sizeof(md5), d->digest);
	memzero_explicit(md5, sizeof(md5));
	return err;
}

/* Key d->arc4 for the data of the token numbered @seq. */
static int rc4_data_key(struct sspi_krb5_rc4 *r, struct sspi_rc4_dir *d, u32 seq)
{
	__be32 s = cpu_to_be32(seq);

	return rc4_key(d, r->kcrypt, (u8 *)&s, sizeof(s));
}

/* En- or decrypt SND_SEQ (d->seq <-> @out) with the key of @cksum. */
static int rc4_seq_crypt(struct sspi_krb5_rc4 *r, struct sspi_rc4_dir *d,
			 const u8 *cksum, const u8 *in, u8 *out)
{
	int err = rc4_key(d, r->kseq, cksum, RC4_CKSUM_LEN);

	if (!err)
		arc4_crypt(&d->arc4, out, in, 8);
	memzero_explicit(&d->arc4, sizeof(d->arc4));
	return err;
}

/* The header of a token this side sends. */
static void rc4_hdr_put(u8 *h, bool wrap, bool sealed)
{
	h[0] = wrap ? 0x02 : 0x01;
	h[1] = 0x01;
	h[2] = 0x11;
	h[3] = 0x00;
	h[4] = sealed ? 0x10 : 0xff;
	h[5] = sealed ? 0x00 : 0xff;
	h[6] = 0xff;
	h[7] = 0xff;
}

/* SND_SEQ of a token sent: checksum in h[16..23], result in h[8..15]. */
static int rc4_seq_put(struct sspi_krb5_rc4 *r, struct sspi_rc4_dir *d, u8 *h,
		       u32 seq)
{
	put_unaligned_be32(seq, d->seq);
	memset(d->seq + 4, rc4_initiator(r) ? 0x00 : 0xff, 4);
	return rc4_seq_crypt(r, d, h + RC4_CKSUM_OFF, d->seq, h + RC4_SEQ_OFF);
}

/*
 * SND_SEQ of a token received: its sequence number, once the direction
 * bytes say the peer sent it (a reflected token is -EBADMSG).
 */
static int rc4_seq_get(struct sspi_krb5_rc4 *r, struct sspi_rc4_dir *d,
		       const u8 *h, u32 *seq)
{
	u8 peer = rc4_initiator(r) ? 0xff : 0x00;
	int err;

	err = rc4_seq_crypt(r, d, h + RC4_CKSUM_OFF, h + RC4_SEQ_OFF, d->seq);
	if (err)
		return err;
	if (d->seq[4] != peer || d->seq[5] != peer || d->seq[6] != peer ||
	    d->seq[7] != peer)
		return -EBADMSG;
	*seq = get_unaligned_be32(d->seq);
	return 0;
}

/*
 * RFC 1964 sequence numbers have 32 bits and wrap: place @seq in the
 * 64-bit window nearest to the number expected next.  Returns the errno
 * of the verdict; *@commit says whether to record *@seq64 on success.
 */
static int rc4_seq_check(struct sspi_krb5_rc4 *r, struct sspi_context *ctx,
			 u32 seq, u64 *seq64, bool *commit)
{
	const struct sspi_seqwin *w = &ctx->rx.win;
	s64 delta = (s32)(seq - (u32)w->next);

	if (delta < 0 && (u64)-delta > w->next) {
		*commit = false;
		return sspi_seq_verdict_errno(SSPI_SEQ_TOO_OLD, r->seq_detect);
	}
	*commit = true;
	*seq64 = w->next + delta;
	return sspi_seq_verdict_errno(sspi_seqwin_check(w, *seq64), r->seq_detect);
}

static int rc4_cksum_ok(const struct sspi_rc4_dir *d, const u8 *h)
{
	return crypto_memneq(d->digest, h + RC4_CKSUM_OFF, RC4_CKSUM_LEN) ?
	       -EBADMSG : 0;
}

/* *@out: an hmac(md5) transform keyed with HMAC-MD5(@base, @in). */
static int rc4_derived_tfm(struct crypto_shash **out, struct crypto_shash *base,
			   const u8 *in, unsigned int len)
{
	struct crypto_shash *tfm;
	u8 key[MD5_DIGEST_SIZE];
	int err;

	tfm = crypto_alloc_shash("hmac(md5)", 0, 0);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	err = crypto_shash_tfm_digest(base, in, len, key);
	if (!err)
		err = crypto_shash_setkey(tfm, key, sizeof(key));
	memzero_explicit(key, sizeof(key));
	if (err) {
		crypto_free_shash(tfm);
		return err;
	}
	*out = tfm;
	return 0;
}

/* Ksign, Kseq and Kcrypt from the context key @key (RFC 4757 section 7). */
static int rc4_keys_init(struct sspi_krb5_rc4 *r, const u8 *key)
{
	static const u8 zero[4];
	struct crypto_shash *k;
	u8 kx[RC4_KEY_LEN];
	unsigned int i;
	int err;

	k = crypto_alloc_shash("hmac(md5)", 0, 0);
	if (IS_ERR(k))
		return PTR_ERR(k);
	for (i = 0; i < RC4_KEY_LEN; i++)
		kx[i] = key[i] ^ 0xf0;
	err = crypto_shash_setkey(k, key, RC4_KEY_LEN);
	if (!err)
		err = rc4_derived_tfm(&r->ksign, k, rc4_sigkey_label,
				      sizeof(rc4_sigkey_label));
	if (!err)
		err = rc4_derived_tfm(&r->kseq, k, zero, sizeof(zero));
	if (!err)
		err = crypto_shash_setkey(k, kx, RC4_KEY_LEN);
	if (!err)
		err = rc4_derived_tfm(&r->kcrypt, k, zero, sizeof(zero));
	memzero_explicit(kx, sizeof(kx));
	crypto_free_shash(k);	/* zeroizes its key */
	return err;
}

/**
 * sspi_krb5_rc4_init() - set up an rc4-hmac context
 * @out: where the state goes
 * @imp: the import structure (its size, flags and reserved field checked)
 *
 * Derives the keys fixed for the context's life and keys one hmac(md5)
 * transform with each; allocates each direction's md5 transform.
 *
 * Return: 0; -ENOPKG unless allow_rc4 is set, or when the kernel lacks
 * hmac(md5); -EINVAL for a key that is not 16 bytes; -ENOMEM.
 */
int sspi_krb5_rc4_init(struct sspi_krb5_rc4 **out,
		       const struct sspi_krb5_import *imp)
{
	struct sspi_rc4_dir *dirs[2];
	struct sspi_krb5_rc4 *r;
	unsigned int i;
	int err;

	*out = NULL;
	if (!READ_ONCE(sspi_krb5_allow_rc4))
		return -ENOPKG;
	if (imp->key_len != RC4_KEY_LEN)
		return -EINVAL;
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	r->flags = imp->flags;
	if (imp->flags & SSPI_KRB5_F_REPLAY)
		r->seq_detect |= SSPI_SEQ_DETECT_REPLAY;
	if (imp->flags & SSPI_KRB5_F_SEQUENCE)
		r->seq_detect |= SSPI_SEQ_DETECT_SEQUENCE;
	dirs[0] = &r->tx;
	dirs[1] = &r->rx;
	for (i = 0; i < 2; i++) {
		struct sspi_rc4_dir *d = dirs[i];

		d->md5 = crypto_alloc_shash("md5", 0, 0);
		if (IS_ERR(d->md5)) {
			err = PTR_ERR(d->md5);
			d->md5 = NULL;
			goto fail;
		}
		d->md = kzalloc(sizeof(*d->md) + crypto_shash_descsize(d->md5),
				GFP_KERNEL);
		if (!d->md) {
			err = -ENOMEM;
			goto fail;
		}
	}
	err = rc4_keys_init(r, imp->key);
	if (err)
		goto fail;
	*out = r;
	return 0;

fail:
	sspi_krb5_rc4_destroy(r);
	return err == -ENOENT ? -ENOPKG : err;
}

/**
 * sspi_krb5_rc4_destroy() - free an rc4-hmac context's state
 * @r: the state, or NULL
 *
 * Every key and transform is zeroized.
 */
void sspi_krb5_rc4_destroy(struct sspi_krb5_rc4 *r)
{
	struct sspi_rc4_dir *dirs[2];
	unsigned int i;

	if (!r)
		return;
	dirs[0] = &r->tx;
	dirs[1] = &r->rx;
	for (i = 0; i < 2; i++) {
		kfree_sensitive(dirs[i]->md);
		crypto_free_shash(dirs[i]->md5);
	}
	crypto_free_shash(r->ksign);
	crypto_free_shash(r->kseq);
	crypto_free_shash(r->kcrypt);
	kfree_sensitive(r);
}

/**
 * sspi_krb5_rc4_encrypt() - seal a message with rc4-hmac
 * @r: the state
 * @ctx: its context, its send lock held
 * @qop: 0 or SSPI_SECQOP_WRAP_NO_ENCRYPT
 * @msg: [TOKEN, DATA..., PADDING]; DATA flagged READONLY_WITH_CHECKSUM is
 *	signed, not encrypted; PADDING may be left out in DCE style
 *
 * Return: 0; -ENOPROTOOPT for another QOP; -EINVAL for a missing TOKEN
 * or PADDING or too much data; -ENOBUFS for a TOKEN or PADDING too small;
 * -EKEYEXPIRED when the send sequence is spent.
 */
int sspi_krb5_rc4_encrypt(struct sspi_krb5_rc4 *r, struct sspi_context *ctx,
			  u32 qop, struct sspi_message *msg)
{
	struct sspi_rc4_dir *d = &r->tx;
	struct rc4_body body = {};
	struct sspi_buffer *tok, *pad;
	bool sealed = !qop, dce = rc4_dce(r);
	u32 seq = (u32)ctx->tx.seq, hlen;
	u8 *h, padbyte = 1;
	int err;

	if (qop && qop != SSPI_SECQOP_WRAP_NO_ENCRYPT)
		return -ENOPROTOOPT;
	tok = sspi_msg_find(msg, SSPI_SECBUFFER_TOKEN, 0);
	if (!tok || (tok->type & SSPI_SECBUFFER_ATTRMASK))
		return -EINVAL;
	pad = sspi_msg_find(msg, SSPI_SECBUFFER_PADDING, 0);
	if (pad && (pad->type & SSPI_SECBUFFER_ATTRMASK))
		return -EINVAL;
	if (!dce && !pad)
		return -EINVAL;
	err = rc4_msg_body(msg, &body);
	if (err)
		return err;
	hlen = rc4_frame_put(d->tok, RC4_OID_LEN + RC4_WRAP_LEN +
			     (dce ? 0 : body.dlen + 1));
	if (tok->len < hlen + RC4_WRAP_LEN || (!dce && pad->len < 1))
		return -ENOBUFS;
	if (ctx->tx.seq == U64_MAX)
		return -EKEYEXPIRED;

	h = d->tok + hlen;
	rc4_hdr_put(h, true, sealed);
	get_random_bytes(d->conf, RC4_CONF_LEN);
	err = rc4_cksum_begin(d, RC4_USAGE_WRAP, h, true);
	if (!err && sealed)
		err = rc4_data_key(r, d, seq);
	if (err)
		goto out;
	if (sealed)
		arc4_crypt(&d->arc4, h + RC4_CONF_OFF, d->conf, RC4_CONF_LEN);
	else
		memcpy(h + RC4_CONF_OFF, d->conf, RC4_CONF_LEN);
	err = rc4_body_pass(d, &body, RC4_SEAL, sealed);
	if (!err && !dce) {
		err = crypto_shash_update(d->md, &padbyte, 1);
		if (sealed)
			arc4_crypt(&d->arc4, &padbyte, &padbyte, 1);
	}
	if (!err)
		err = rc4_cksum_end(r, d);
	if (err)
		goto out;
	memcpy(h + RC4_CKSUM_OFF, d->digest, RC4_CKSUM_LEN);
	err = rc4_seq_put(r, d, h, seq);
	if (!err && !dce)
		err = sspi_buf_copy_to(pad, 0, &padbyte, 1);
	if (!err)
		err = sspi_buf_copy_to(tok, 0, d->tok, hlen + RC4_WRAP_LEN);
	if (err)
		goto out;
	tok->len = hlen + RC4_WRAP_LEN;
	if (pad)
		pad->len = dce ? 0 : 1;
	ctx->tx.seq++;
out:
	rc4_forget(d);
	return err;
}

/*
 * Where a received Wrap token's data lies: in STREAM after the token's
 * header (then the one empty DATA buffer is pointed at it), or in the
 * DATA buffers after TOKEN, with the padding byte in PADDING.  @hlen is
 * the framing's size, @der its DER length; the padding's place, if the
 * token has one, goes to *@pb and *@poff.
 */
static int rc4_rx_body(struct sspi_krb5_rc4 *r, struct sspi_message *msg,
		       struct sspi_buffer *tok, bool stream, u32 hlen, u32 der,
		       struct rc4_body *body, struct sspi_buffer **out,
		       struct sspi_buffer **pb, u32 *poff)
{
	u32 padlen = rc4_dce(r) ? 0 : 1, head = hlen + RC4_WRAP_LEN, dlen;
	struct sspi_buffer *pad = NULL;
	unsigned int i;
	int err;

	*out = NULL;
	*pb = NULL;
	if (stream) {
		for (i = 0; i < msg->count; i++) {
			struct sspi_buffer *b = &msg->buffers[i];

			if (rc4_is_sign_only(b))
				return -EINVAL;
			if (!rc4_is_data(b))
				continue;
			if (*out || b->len)
				return -EINVAL;
			*out = b;
		}
		/*
		 * gss_wrap() pads and counts the data in the DER length even
		 * in DCE style; DCE-style senders of SSPI layouts do neither.
		 */
		if (padlen == 0 && der != RC4_OID_LEN + RC4_WRAP_LEN)
			padlen = 1;
		if (!*out || tok->len < head + padlen)
			return -EINVAL;
		dlen = tok->len - head - padlen;
		rc4_body_add(body, tok, head, dlen, true);
		if (padlen) {
			*pb = tok;
			*poff = head + dlen;
		}
	} else {
		if (tok->len != head)
			return -EINVAL;
		err = rc4_msg_body(msg, body);
		if (err)
			return err;
		dlen = body->dlen;
		pad = sspi_msg_find(msg, SSPI_SECBUFFER_PADDING, 0);
		if (pad && pad->len != padlen)
			return -EINVAL;
		if (padlen && !pad)
			return -EINVAL;
		if (padlen) {
			*pb = pad;
			*poff = 0;
		}
	}
	/* the DER length: everything after it but signed-only data (DCE: the header) */
	if (der != RC4_OID_LEN + RC4_WRAP_LEN + (padlen ? dlen + padlen : 0))
		return -EINVAL;
	return 0;
}

/**
 * sspi_krb5_rc4_decrypt() - unseal a message with rc4-hmac
 * @r: the state
 * @ctx: its context, its receive lock held
 * @msg: [STREAM, DATA] (the whole token in STREAM, DATA empty: it comes
 *	back pointing at the plaintext inside STREAM) or [TOKEN, DATA...,
 *	PADDING] as the sender split it
 * @qop: where the QOP goes: 0, or SSPI_SECQOP_WRAP_NO_ENCRYPT for a token
 *	without confidentiality
 *
 * The data is decrypted before the checksum can be checked (RFC 4757
 * MACs the plaintext): if a check fails, every byte decrypted is zeroed.
 *
 * Return: 0; -EINVAL for a malformed token or buffers that do not match
 * it; -EBADMSG for a checksum that does not match or a reflected token;
 * -EILSEQ for a sequence number the context's flags refuse.
 */
int sspi_krb5_rc4_decrypt(struct sspi_krb5_rc4 *r, struct sspi_context *ctx,
			  struct sspi_message *msg, u32 *qop)
{
	struct sspi_rc4_dir *d = &r->rx;
	struct sspi_buffer *tok, *out, *pb;
	struct rc4_body body = {};
	u32 hlen, der, seq, poff = 0;
	bool stream = true, sealed, commit, decrypted = false;
	u8 *h, padbyte = 1;
	u64 seq64 = 0;
	int err;

	tok = sspi_msg_find(msg, SSPI_SECBUFFER_STREAM, 0);
	if (!tok) {
		stream = false;
		tok = sspi_msg_find(msg, SSPI_SECBUFFER_TOKEN, 0);
	}
	if (!tok)
		return -EINVAL;
	err = sspi_buf_copy_from(tok, 0, d->tok, min_t(u32, tok->len, RC4_TOK_MAX));
	if (!err)
		err = rc4_frame_get(d->tok, min_t(u32, tok->len, RC4_TOK_MAX), &hlen, &der);
	if (err)
		return err;
	if (tok->len < hlen + RC4_WRAP_LEN)
		return -EINVAL;
	h = d->tok + hlen;
	if (h[0] != 0x02 || h[1] != 0x01 || h[2] != 0x11 || h[3] != 0x00 ||
	    h[6] != 0xff || h[7] != 0xff)
		return -EINVAL;
	if (h[4] == 0x10 && h[5] == 0x00)
		sealed = true;
	else if (h[4] == 0xff && h[5] == 0xff)
		sealed = false;
	else
		return -EINVAL;
	err = rc4_rx_body(r, msg, tok, stream, hlen, der, &body, &out, &pb, &poff);
	if (err)
		return err;

	err = rc4_seq_get(r, d, h, &seq);
	if (!err && sealed)
		err = rc4_data_key(r, d, seq);
	if (err)
		goto out;
	if (sealed)
		arc4_crypt(&d->arc4, d->conf, h + RC4_CONF_OFF, RC4_CONF_LEN);
	else
		memcpy(d->conf, h + RC4_CONF_OFF, RC4_CONF_LEN);
	err = rc4_cksum_begin(d, RC4_USAGE_WRAP, h, true);
	if (err)
		goto out;
	decrypted = sealed;
	err = rc4_body_pass(d, &body, RC4_UNSEAL, sealed);
	if (!err && pb) {
		err = sspi_buf_copy_from(pb, poff, &padbyte, 1);
		if (!err && sealed)
			arc4_crypt(&d->arc4, &padbyte, &padbyte, 1);
		if (!err)
			err = crypto_shash_update(d->md, &padbyte, 1);
	}
	if (!err)
		err = rc4_cksum_end(r, d);
	if (!err)
		err = rc4_cksum_ok(d, h);
	/* RC4 needs no padding: RFC 4757 senders always add one byte, 01 */
	if (!err && padbyte != 1)
		err = -EINVAL;
	if (!err)
		err = rc4_seq_check(r, ctx, seq, &seq64, &commit);
	if (err)
		goto out;
	if (commit)
		sspi_seqwin_commit(&ctx->rx.win, seq64);
	if (out)
		sspi_buf_slice(out, tok, hlen + RC4_WRAP_LEN, body.dlen);
	*qop = sealed ? 0 : SSPI_SECQOP_WRAP_NO_ENCRYPT;
out:
	if (err && decrypted)
		rc4_body_pass(d, &body, RC4_WIPE, true);
	padbyte = 0;
	rc4_forget(d);
	return err;
}

/**
 * sspi_krb5_rc4_sign() - an rc4-hmac MIC token
 * @r: the state
 * @ctx: its context, its send lock held
 * @qop: 0
 * @msg: [DATA..., TOKEN]: the MIC covers the DATA buffers but those
 *	flagged READONLY, in order
 *
 * Return: 0; -ENOPROTOOPT for a QOP; -EINVAL without TOKEN; -ENOBUFS for a
 * TOKEN smaller than 37 bytes; -EKEYEXPIRED when the send sequence is spent.
 */
int sspi_krb5_rc4_sign(struct sspi_krb5_rc4 *r, struct sspi_context *ctx,
		       u32 qop, struct sspi_message *msg)
{
	struct sspi_rc4_dir *d = &r->tx;
	struct rc4_body body = {};
	struct sspi_buffer *tok;
	u32 hlen;
	u8 *h;
	int err;

	if (qop)
		return -ENOPROTOOPT;
	tok = sspi_msg_find(msg, SSPI_SECBUFFER_TOKEN, 0);
	if (!tok || (tok->type & SSPI_SECBUFFER_ATTRMASK))
		return -EINVAL;
	err = rc4_msg_body(msg, &body);
	if (err)
		return err;
	hlen = rc4_frame_put(d->tok, RC4_OID_LEN + RC4_MIC_LEN);
	if (tok->len < hlen + RC4_MIC_LEN)
		return -ENOBUFS;
	if (ctx->tx.seq == U64_MAX)
		return -EKEYEXPIRED;
	h = d->tok + hlen;
	rc4_hdr_put(h, false, false);
	err = rc4_cksum_begin(d, RC4_USAGE_MIC, h, false);
	if (!err)
		err = rc4_body_pass(d, &body, RC4_HASH, false);
	if (!err)
		err = rc4_cksum_end(r, d);
	if (err)
		goto out;
	memcpy(h + RC4_CKSUM_OFF, d->digest, RC4_CKSUM_LEN);
	err = rc4_seq_put(r, d, h, (u32)ctx->tx.seq);
	if (!err)
		err = sspi_buf_copy_to(tok, 0, d->tok, hlen + RC4_MIC_LEN);
	if (err)
		goto out;
	tok->len = hlen + RC4_MIC_LEN;
	ctx->tx.seq++;
out:
	rc4_forget(d);
	return err;
}

/**
 * sspi_krb5_rc4_verify() - check an rc4-hmac MIC token
 * @r: the state
 * @ctx: its context, its receive lock held
 * @msg: [DATA..., TOKEN], TOKEN exactly the 37-byte MIC token
 * @qop: where the QOP goes: 0
 *
 * Return: 0; -EINVAL for a malformed token; -EBADMSG for a checksum that
 * does not match or a reflected token; -EILSEQ for a sequence number the
 * context's flags refuse.
 */
int sspi_krb5_rc4_verify(struct sspi_krb5_rc4 *r, struct sspi_context *ctx,
			 struct sspi_message *msg, u32 *qop)
{
	static const u8 mic_hdr[RC4_HDR_LEN] = {
		0x01, 0x01, 0x11, 0x00, 0xff, 0xff, 0xff, 0xff
	};
	struct sspi_rc4_dir *d = &r->rx;
	struct rc4_body body = {};
	struct sspi_buffer *tok;
	u32 hlen, der, seq;
	bool commit;
	u64 seq64 = 0;
	u8 *h;
	int err;

	tok = sspi_msg_find(msg, SSPI_SECBUFFER_TOKEN, 0);
	if (!tok)
		return -EINVAL;
	err = sspi_buf_copy_from(tok, 0, d->tok, min_t(u32, tok->len, RC4_TOK_MAX));
	if (!err)
		err = rc4_frame_get(d->tok, min_t(u32, tok->len, RC4_TOK_MAX), &hlen, &der);
	if (err)
		return err;
	if (tok->len != hlen + RC4_MIC_LEN || der != RC4_OID_LEN + RC4_MIC_LEN)
		return -EINVAL;
	h = d->tok + hlen;
	if (memcmp(h, mic_hdr, RC4_HDR_LEN))
		return -EINVAL;
	err = rc4_msg_body(msg, &body);
	if (!err)
		err = rc4_seq_get(r, d, h, &seq);
	if (!err)
		err = rc4_cksum_begin(d, RC4_USAGE_MIC, h, false);
	if (!err)
		err = rc4_body_pass(d, &body, RC4_HASH, false);
	if (!err)
		err = rc4_cksum_end(r, d);
	if (!err)
		err = rc4_cksum_ok(d, h);
	if (!err)
		err = rc4_seq_check(r, ctx, seq, &seq64, &commit);
	if (!err && commit)
		sspi_seqwin_commit(&ctx->rx.win, seq64);
	if (!err)
		*qop = 0;
	rc4_forget(d);
	return err;
}

/**
 * sspi_krb5_rc4_query() - sizes of an rc4-hmac context
 * @r: the state
 * @info: filled in: the sizes, the cipher's and the drivers' names
 *
 * security_trailer is the largest TOKEN a Wrap token needs: 45 bytes in
 * DCE style, where the DER length covers only the token's header; else up
 * to 49, as the DER length covering the data grows (45 for up to 83 bytes
 * of data).  The calls return the length they used.
 */
void sspi_krb5_rc4_query(struct sspi_krb5_rc4 *r, struct sspi_context_info *info)
{
	struct sspi_sizes *sz = &info->sizes;
	u32 most = RC4_OID_LEN + RC4_WRAP_LEN + RC4_MAX_DATA + 1;

	sz->max_token = RC4_MAX_TOKEN;
	sz->max_signature = 2 + RC4_OID_LEN + RC4_MIC_LEN;
	sz->block_size = 1;
	if (rc4_dce(r))
		sz->security_trailer = 2 + RC4_OID_LEN + RC4_WRAP_LEN;
	else
		sz->security_trailer = 1 + rc4_der_size(most) + RC4_OID_LEN + RC4_WRAP_LEN;
	strscpy(info->cipher, "arcfour-hmac", sizeof(info->cipher));
	strscpy(info->tx_driver, crypto_shash_driver_name(r->ksign),
		sizeof(info->tx_driver));
	strscpy(info->rx_driver, crypto_shash_driver_name(r->ksign),
		sizeof(info->rx_driver));
}
