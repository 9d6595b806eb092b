// SPDX-License-Identifier: GPL-2.0
/*
 * sspi_kmod: rc4-hmac (RFC 4757) tokens, the Kerberos package's mechanism
 * for enctype 23 (krb5_mech.h), for the Active Directory deployments that
 * still need it; off unless the administrator sets allow_rc4.
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
#include "krb5_mech.h"

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

static const u8 rc4_oid[RC4_OID_LEN] = {
	0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02
};

static const u8 rc4_sigkey_label[] = "signaturekey";	/* with its NUL */

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
	/* the message under way */
	struct rc4_body body;
	u32 hlen;		/* the framing's size, with the OID */
	u32 der;		/* its DER length */
	u32 seqno;		/* SND_SEQ's number */
	struct sspi_buffer *pb;	/* where the padding byte is, or NULL */
	u32 poff;
};

/**
 * struct sspi_krb5_rc4 - an rc4-hmac context's state
 * @ksign: hmac(md5) keyed with HMAC-MD5(K, "signaturekey\0"), the checksum
 *	key
 * @kseq: keyed with HMAC-MD5(K, 0): makes the SND_SEQ key
 * @kcrypt: keyed with HMAC-MD5(K ^ 0xf0, 0): makes the data key
 * @tx: what sending and signing use, under the send lock
 * @rx: what receiving and verifying use, under the receive lock
 */
struct sspi_krb5_rc4 {
	struct crypto_shash *ksign;
	struct crypto_shash *kseq;
	struct crypto_shash *kcrypt;
	struct sspi_rc4_dir tx;
	struct sspi_rc4_dir rx;
};

enum rc4_op { RC4_SEAL, RC4_UNSEAL, RC4_HASH, RC4_WIPE };

static struct sspi_krb5_rc4 *rfc4757(const struct sspi_krb5 *k)
{
	return k->priv;
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

		if (sspi_krb5_is_data(b))
			dlen += b->len;
		if (sspi_krb5_is_data(b) || sspi_krb5_is_sign_only(b))
			rc4_body_add(body, b, 0, b->len, sspi_krb5_is_data(b));
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
static int rc4_seq_put(struct sspi_krb5 *k, struct sspi_rc4_dir *d, u8 *h,
		       u32 seq)
{
	put_unaligned_be32(seq, d->seq);
	memset(d->seq + 4, sspi_krb5_initiator(k) ? 0x00 : 0xff, 4);
	return rc4_seq_crypt(rfc4757(k), d, h + RC4_CKSUM_OFF, d->seq,
			     h + RC4_SEQ_OFF);
}

/*
 * SND_SEQ of a token received: its sequence number, once the direction
 * bytes say the peer sent it (a reflected token is -EBADMSG).
 */
static int rc4_seq_get(struct sspi_krb5 *k, struct sspi_rc4_dir *d,
		       const u8 *h, u32 *seq)
{
	u8 peer = sspi_krb5_initiator(k) ? 0xff : 0x00;
	int err;

	err = rc4_seq_crypt(rfc4757(k), d, h + RC4_CKSUM_OFF, h + RC4_SEQ_OFF,
			    d->seq);
	if (err)
		return err;
	if (d->seq[4] != peer || d->seq[5] != peer || d->seq[6] != peer ||
	    d->seq[7] != peer)
		return -EBADMSG;
	*seq = get_unaligned_be32(d->seq);
	return 0;
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

/* rc4_free() - free an rc4-hmac context's state, zeroizing every key */
static void rc4_free(struct sspi_krb5_rc4 *r)
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

/* The mechanism's operations: the context. */

static bool rfc4757_handles(u32 enctype)
{
	return enctype == SSPI_KRB5_ENCTYPE_ARCFOUR_HMAC;
}

/*
 * Derive the keys fixed for the context's life and key one hmac(md5)
 * transform with each; allocate each direction's md5 transform.  -ENOPKG
 * unless allow_rc4 is set, or when the kernel lacks hmac(md5); -EINVAL
 * for a key that is not 16 bytes.
 */
static int rfc4757_init(struct sspi_krb5 *k, const struct sspi_krb5_import *imp)
{
	struct sspi_rc4_dir *dirs[2];
	struct sspi_krb5_rc4 *r;
	unsigned int i;
	int err;

	if (!READ_ONCE(sspi_krb5_allow_rc4))
		return -ENOPKG;
	if (imp->key_len != RC4_KEY_LEN)
		return -EINVAL;
	r = kzalloc(sizeof(*r), GFP_KERNEL_ACCOUNT);
	if (!r)
		return -ENOMEM;
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
				GFP_KERNEL_ACCOUNT);
		if (!d->md) {
			err = -ENOMEM;
			goto fail;
		}
	}
	err = rc4_keys_init(r, imp->key);
	if (err)
		goto fail;
	k->priv = r;
	return 0;

fail:
	rc4_free(r);
	return err == -ENOENT ? -ENOPKG : err;
}

static void rfc4757_destroy(struct sspi_krb5 *k)
{
	rc4_free(rfc4757(k));
}

/*
 * security_trailer is the largest TOKEN a Wrap token needs: 45 bytes in
 * DCE style, where the DER length covers only the token's header; else up
 * to 49, as the DER length covering the data grows (45 for up to 83 bytes
 * of data).  The calls return the length they used.
 */
static void rfc4757_sizes(struct sspi_krb5 *k, struct sspi_context_info *info)
{
	struct sspi_krb5_rc4 *r = rfc4757(k);
	struct sspi_sizes *sz = &info->sizes;
	u32 most = RC4_OID_LEN + RC4_WRAP_LEN + RC4_MAX_DATA + 1;

	sz->max_signature = 2 + RC4_OID_LEN + RC4_MIC_LEN;
	if (sspi_krb5_dce(k))
		sz->security_trailer = 2 + RC4_OID_LEN + RC4_WRAP_LEN;
	else
		sz->security_trailer = 1 + rc4_der_size(most) + RC4_OID_LEN + RC4_WRAP_LEN;
	info->key_bits = RC4_KEY_LEN * 8;
	strscpy(info->cipher, "arcfour-hmac", sizeof(info->cipher));
	strscpy(info->tx_driver, crypto_shash_driver_name(r->ksign),
		sizeof(info->tx_driver));
	strscpy(info->rx_driver, crypto_shash_driver_name(r->ksign),
		sizeof(info->rx_driver));
}

/*
 * The mechanism's operations: sending.  Wrap takes [TOKEN, DATA...,
 * PADDING]; PADDING may be left out in DCE style.
 */

static int rfc4757_wrap_space(struct sspi_krb5 *k, struct sspi_krb5_msg *m)
{
	struct sspi_rc4_dir *d = &rfc4757(k)->tx;
	bool dce = sspi_krb5_dce(k);
	struct sspi_buffer *pad;
	int err;

	pad = sspi_msg_find(m->msg, SSPI_SECBUFFER_PADDING, 0);
	if (pad && (pad->type & SSPI_SECBUFFER_ATTRMASK))
		return -EINVAL;
	if (!dce && !pad)
		return -EINVAL;
	memset(&d->body, 0, sizeof(d->body));
	err = rc4_msg_body(m->msg, &d->body);
	if (err)
		return err;
	d->hlen = rc4_frame_put(d->tok, RC4_OID_LEN + RC4_WRAP_LEN +
				(dce ? 0 : d->body.dlen + 1));
	if (m->tok->len < d->hlen + RC4_WRAP_LEN || (!dce && pad->len < 1))
		return -ENOBUFS;
	d->pb = pad;
	return 0;
}

/*
 * The checksum of a Wrap token, into d->digest, encrypting as it goes:
 * the confounder, the DATA in place, and the padding byte (*@padbyte).
 */
static int rc4_wrap_seal(struct sspi_krb5 *k, struct sspi_rc4_dir *d, u8 *h,
			 bool sealed, u8 *padbyte)
{
	struct sspi_krb5_rc4 *r = rfc4757(k);
	int err;

	rc4_hdr_put(h, true, sealed);
	get_random_bytes(d->conf, RC4_CONF_LEN);
	err = rc4_cksum_begin(d, RC4_USAGE_WRAP, h, true);
	if (!err && sealed)
		err = rc4_data_key(r, d, d->seqno);
	if (err)
		return err;
	if (sealed)
		arc4_crypt(&d->arc4, h + RC4_CONF_OFF, d->conf, RC4_CONF_LEN);
	else
		memcpy(h + RC4_CONF_OFF, d->conf, RC4_CONF_LEN);
	err = rc4_body_pass(d, &d->body, RC4_SEAL, sealed);
	if (!err && !sspi_krb5_dce(k)) {
		err = crypto_shash_update(d->md, padbyte, 1);
		if (sealed)
			arc4_crypt(&d->arc4, padbyte, padbyte, 1);
	}
	return err ?: rc4_cksum_end(r, d);
}

/* SGN_CKSUM and SND_SEQ into the token; the token and padding out. */
static int rc4_wrap_finish(struct sspi_krb5 *k, struct sspi_rc4_dir *d, u8 *h,
			   struct sspi_krb5_msg *m, const u8 *padbyte)
{
	bool dce = sspi_krb5_dce(k);
	int err;

	memcpy(h + RC4_CKSUM_OFF, d->digest, RC4_CKSUM_LEN);
	err = rc4_seq_put(k, d, h, d->seqno);
	if (!err && !dce)
		err = sspi_buf_copy_to(d->pb, 0, padbyte, 1);
	if (!err)
		err = sspi_buf_copy_to(m->tok, 0, d->tok, d->hlen + RC4_WRAP_LEN);
	if (err)
		return err;
	m->tok->len = d->hlen + RC4_WRAP_LEN;
	if (d->pb)
		d->pb->len = dce ? 0 : 1;
	return 0;
}

static int rfc4757_wrap(struct sspi_krb5 *k, struct sspi_krb5_msg *m)
{
	struct sspi_rc4_dir *d = &rfc4757(k)->tx;
	u8 *h = d->tok + d->hlen, padbyte = 1;
	int err;

	d->seqno = (u32)m->seq;
	err = rc4_wrap_seal(k, d, h, m->sealed, &padbyte);
	if (!err)
		err = rc4_wrap_finish(k, d, h, m, &padbyte);
	rc4_forget(d);
	return err;
}

/* MIC tokens cover the DATA buffers but those flagged READONLY, in order. */
static int rfc4757_mic_space(struct sspi_krb5 *k, struct sspi_krb5_msg *m)
{
	struct sspi_rc4_dir *d = &rfc4757(k)->tx;
	int err;

	memset(&d->body, 0, sizeof(d->body));
	err = rc4_msg_body(m->msg, &d->body);
	if (err)
		return err;
	d->hlen = rc4_frame_put(d->tok, RC4_OID_LEN + RC4_MIC_LEN);
	return m->tok->len < d->hlen + RC4_MIC_LEN ? -ENOBUFS : 0;
}

static int rfc4757_get_mic(struct sspi_krb5 *k, struct sspi_krb5_msg *m)
{
	struct sspi_krb5_rc4 *r = rfc4757(k);
	struct sspi_rc4_dir *d = &r->tx;
	u8 *h = d->tok + d->hlen;
	int err;

	rc4_hdr_put(h, false, false);
	err = rc4_cksum_begin(d, RC4_USAGE_MIC, h, false);
	if (!err)
		err = rc4_body_pass(d, &d->body, RC4_HASH, false);
	if (!err)
		err = rc4_cksum_end(r, d);
	if (err)
		goto out;
	memcpy(h + RC4_CKSUM_OFF, d->digest, RC4_CKSUM_LEN);
	err = rc4_seq_put(k, d, h, (u32)m->seq);
	if (!err)
		err = sspi_buf_copy_to(m->tok, 0, d->tok, d->hlen + RC4_MIC_LEN);
	if (err)
		goto out;
	m->tok->len = d->hlen + RC4_MIC_LEN;
out:
	rc4_forget(d);
	return err;
}

/*
 * The mechanism's operations: receiving.  Unwrap takes [STREAM, DATA]
 * or [TOKEN, DATA..., PADDING] as the sender split it.  The data is
 * decrypted before the checksum can be checked (RFC 4757 MACs the
 * plaintext): the SSPI side wipes it if a check fails.
 */

/* The token's framing and header, from STREAM or TOKEN. */
static int rfc4757_unwrap_header(struct sspi_krb5 *k, struct sspi_krb5_msg *m)
{
	struct sspi_rc4_dir *d = &rfc4757(k)->rx;
	u32 avail = min_t(u32, m->tok->len, RC4_TOK_MAX);
	u8 *h;
	int err;

	err = sspi_buf_copy_from(m->tok, 0, d->tok, avail);
	if (!err)
		err = rc4_frame_get(d->tok, avail, &d->hlen, &d->der);
	if (err)
		return err;
	if (m->tok->len < d->hlen + RC4_WRAP_LEN)
		return -EINVAL;
	h = d->tok + d->hlen;
	if (h[0] != 0x02 || h[1] != 0x01 || h[2] != 0x11 || h[3] != 0x00 ||
	    h[6] != 0xff || h[7] != 0xff)
		return -EINVAL;
	if (h[4] == 0x10 && h[5] == 0x00)
		m->sealed = true;
	else if (h[4] == 0xff && h[5] == 0xff)
		m->sealed = false;
	else
		return -EINVAL;
	return 0;
}

/*
 * Where a received Wrap token's data lies: in STREAM after the token's
 * header, or in the DATA buffers after TOKEN, with the padding byte in
 * PADDING.  The padding's place, if the token has one, goes to d->pb and
 * d->poff.
 */
static int rc4_rx_body(struct sspi_krb5 *k, struct sspi_rc4_dir *d,
		       struct sspi_krb5_msg *m)
{
	u32 padlen = sspi_krb5_dce(k) ? 0 : 1, head = d->hlen + RC4_WRAP_LEN, dlen;
	struct sspi_buffer *tok = m->tok, *pad;
	int err;

	memset(&d->body, 0, sizeof(d->body));
	d->pb = NULL;
	if (m->stream) {
		/*
		 * gss_wrap() pads and counts the data in the DER length even
		 * in DCE style; DCE-style senders of SSPI layouts do neither.
		 */
		if (padlen == 0 && d->der != RC4_OID_LEN + RC4_WRAP_LEN)
			padlen = 1;
		if (tok->len < head + padlen)
			return -EINVAL;
		dlen = tok->len - head - padlen;
		rc4_body_add(&d->body, tok, head, dlen, true);
		if (padlen) {
			d->pb = tok;
			d->poff = head + dlen;
		}
	} else {
		if (tok->len != head)
			return -EINVAL;
		err = rc4_msg_body(m->msg, &d->body);
		if (err)
			return err;
		dlen = d->body.dlen;
		pad = sspi_msg_find(m->msg, SSPI_SECBUFFER_PADDING, 0);
		if (pad && pad->len != padlen)
			return -EINVAL;
		if (padlen && !pad)
			return -EINVAL;
		if (padlen) {
			d->pb = pad;
			d->poff = 0;
		}
	}
	/* the DER length: everything after it but signed-only data (DCE: the header) */
	if (d->der != RC4_OID_LEN + RC4_WRAP_LEN + (padlen ? dlen + padlen : 0))
		return -EINVAL;
	return 0;
}

/* The data's place, then SND_SEQ: -EBADMSG for a token this side sent. */
static int rfc4757_unwrap_place(struct sspi_krb5 *k, struct sspi_krb5_msg *m)
{
	struct sspi_rc4_dir *d = &rfc4757(k)->rx;
	int err;

	err = rc4_rx_body(k, d, m);
	if (err)
		return err;
	m->pt_off = d->hlen + RC4_WRAP_LEN;
	m->dlen = d->body.dlen;
	err = rc4_seq_get(k, d, d->tok + d->hlen, &d->seqno);
	if (err) {
		rc4_forget(d);
		return err;
	}
	m->seq = d->seqno;
	return 0;
}

/* Decrypt the confounder, the data and the padding byte, checksumming. */
static int rc4_unwrap_open(struct sspi_krb5 *k, struct sspi_rc4_dir *d,
			   struct sspi_krb5_msg *m, u8 *padbyte)
{
	struct sspi_krb5_rc4 *r = rfc4757(k);
	const u8 *h = d->tok + d->hlen;
	bool sealed = m->sealed;
	int err = 0;

	if (sealed)
		err = rc4_data_key(r, d, d->seqno);
	if (err)
		return err;
	if (sealed)
		arc4_crypt(&d->arc4, d->conf, h + RC4_CONF_OFF, RC4_CONF_LEN);
	else
		memcpy(d->conf, h + RC4_CONF_OFF, RC4_CONF_LEN);
	err = rc4_cksum_begin(d, RC4_USAGE_WRAP, h, true);
	if (err)
		return err;
	m->decrypted = sealed;
	err = rc4_body_pass(d, &d->body, RC4_UNSEAL, sealed);
	if (!err && d->pb) {
		err = sspi_buf_copy_from(d->pb, d->poff, padbyte, 1);
		if (!err && sealed)
			arc4_crypt(&d->arc4, padbyte, padbyte, 1);
		if (!err)
			err = crypto_shash_update(d->md, padbyte, 1);
	}
	return err ?: rc4_cksum_end(r, d);
}

static int rfc4757_unwrap(struct sspi_krb5 *k, struct sspi_krb5_msg *m)
{
	struct sspi_rc4_dir *d = &rfc4757(k)->rx;
	u8 padbyte = 1;
	int err;

	err = rc4_unwrap_open(k, d, m, &padbyte);
	if (!err)
		err = rc4_cksum_ok(d, d->tok + d->hlen);
	/* RC4 needs no padding: RFC 4757 senders always add one byte, 01 */
	if (!err && padbyte != 1)
		err = -EINVAL;
	padbyte = 0;
	rc4_forget(d);
	return err;
}

static void rfc4757_unwrap_wipe(struct sspi_krb5 *k, struct sspi_krb5_msg *m)
{
	struct sspi_rc4_dir *d = &rfc4757(k)->rx;

	rc4_body_pass(d, &d->body, RC4_WIPE, true);
}

/* VerifySignature's TOKEN is exactly the 37-byte MIC token. */
static int rfc4757_verify_open(struct sspi_krb5 *k, struct sspi_krb5_msg *m)
{
	static const u8 mic_hdr[RC4_HDR_LEN] = {
		0x01, 0x01, 0x11, 0x00, 0xff, 0xff, 0xff, 0xff
	};
	struct sspi_rc4_dir *d = &rfc4757(k)->rx;
	u32 avail = min_t(u32, m->tok->len, RC4_TOK_MAX);
	int err;

	err = sspi_buf_copy_from(m->tok, 0, d->tok, avail);
	if (!err)
		err = rc4_frame_get(d->tok, avail, &d->hlen, &d->der);
	if (err)
		return err;
	if (m->tok->len != d->hlen + RC4_MIC_LEN ||
	    d->der != RC4_OID_LEN + RC4_MIC_LEN)
		return -EINVAL;
	if (memcmp(d->tok + d->hlen, mic_hdr, RC4_HDR_LEN))
		return -EINVAL;
	memset(&d->body, 0, sizeof(d->body));
	err = rc4_msg_body(m->msg, &d->body);
	if (!err)
		err = rc4_seq_get(k, d, d->tok + d->hlen, &d->seqno);
	if (err) {
		rc4_forget(d);
		return err;
	}
	m->seq = d->seqno;
	return 0;
}

static int rfc4757_verify_mic(struct sspi_krb5 *k, struct sspi_krb5_msg *m)
{
	struct sspi_krb5_rc4 *r = rfc4757(k);
	struct sspi_rc4_dir *d = &r->rx;
	const u8 *h = d->tok + d->hlen;
	int err;

	err = rc4_cksum_begin(d, RC4_USAGE_MIC, h, false);
	if (!err)
		err = rc4_body_pass(d, &d->body, RC4_HASH, false);
	if (!err)
		err = rc4_cksum_end(r, d);
	if (!err)
		err = rc4_cksum_ok(d, h);
	rc4_forget(d);
	return err;
}

const struct sspi_krb5_mech sspi_krb5_rfc4757_mech = {
	.name = "RFC 4757",
	.handles = rfc4757_handles,
	.init = rfc4757_init,
	.destroy = rfc4757_destroy,
	.sizes = rfc4757_sizes,
	.wrap_space = rfc4757_wrap_space,
	.wrap = rfc4757_wrap,
	.unwrap_header = rfc4757_unwrap_header,
	.unwrap_place = rfc4757_unwrap_place,
	.unwrap = rfc4757_unwrap,
	.unwrap_wipe = rfc4757_unwrap_wipe,
	.mic_space = rfc4757_mic_space,
	.get_mic = rfc4757_get_mic,
	.verify_open = rfc4757_verify_open,
	.verify_mic = rfc4757_verify_mic,
	.seq32 = true,
	.seq_unauthenticated = true,
};
