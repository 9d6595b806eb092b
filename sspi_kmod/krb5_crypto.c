// SPDX-License-Identifier: GPL-2.0
/*
 * sspi_kmod: Kerberos enctypes -- RFC 3961's simplified profile with the
 * AES enctypes of RFC 3962, and RFC 8009's AES-CTS-HMAC-SHA2.
 *
 * Keys for a usage are derived once, when a context is imported: RFC 3961
 * DK (the base key encrypting the n-folded usage constant) for RFC 3962,
 * KDF-HMAC-SHA2 (NIST SP 800-108 counter mode) for RFC 8009.  Each
 * direction then holds its own keyed transforms -- CBC with ciphertext
 * stealing under Ke, HMACs under Ki and Kc -- asked for by algorithm name
 * so that the crypto API picks the best driver, and waited for when that
 * driver is asynchronous.
 */

#include <crypto/hash.h>
#include <crypto/skcipher.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/gcd.h>
#include <linux/kernel.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <sspi_kmod/sspi.h>

#include "compat.h"
#include "krb5_crypto.h"

static const struct sspi_krb5_enctype sspi_krb5_enctypes[] = {
	{
		.etype = SSPI_KRB5_ENCTYPE_AES128_CTS_HMAC_SHA1_96,
		.name = "aes128-cts-hmac-sha1-96",
		.cipher = "cts(cbc(aes))",
		.hmac = "hmac(sha1)",
		.key_len = 16,
		.ki_len = 16,
		.mac_len = 12,
	},
	{
		.etype = SSPI_KRB5_ENCTYPE_AES256_CTS_HMAC_SHA1_96,
		.name = "aes256-cts-hmac-sha1-96",
		.cipher = "cts(cbc(aes))",
		.hmac = "hmac(sha1)",
		.key_len = 32,
		.ki_len = 32,
		.mac_len = 12,
	},
	{
		.etype = SSPI_KRB5_ENCTYPE_AES128_CTS_HMAC_SHA256_128,
		.name = "aes128-cts-hmac-sha256-128",
		.cipher = "cts(cbc(aes))",
		.hmac = "hmac(sha256)",
		.key_len = 16,
		.ki_len = 16,
		.mac_len = 16,
		.etm = true,
	},
	{
		.etype = SSPI_KRB5_ENCTYPE_AES256_CTS_HMAC_SHA384_192,
		.name = "aes256-cts-hmac-sha384-192",
		.cipher = "cts(cbc(aes))",
		.hmac = "hmac(sha384)",
		.key_len = 32,
		.ki_len = 24,
		.mac_len = 24,
		.etm = true,
	},
};

/**
 * sspi_krb5_enctype_find() - an enctype's description
 * @etype: its number
 *
 * Return: the description, or NULL for an enctype this file does not do.
 */
const struct sspi_krb5_enctype *sspi_krb5_enctype_find(u32 etype)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sspi_krb5_enctypes); i++)
		if (sspi_krb5_enctypes[i].etype == etype)
			return &sspi_krb5_enctypes[i];
	return NULL;
}

/* Byte @pos of @in (@len bytes) rotated right by @rot bits. */
static u8 sspi_krb5_rotated_byte(const u8 *in, unsigned int len,
				 unsigned int rot, unsigned int pos)
{
	unsigned int bits = len * 8;
	unsigned int start = (pos * 8 + bits - rot % bits) % bits;
	unsigned int shift = start % 8;
	u8 b = in[start / 8] << shift;

	if (shift)
		b |= in[(start / 8 + 1) % len] >> (8 - shift);
	return b;
}

/**
 * sspi_krb5_nfold() - RFC 3961 section 5.1 n-fold
 * @in: the input
 * @inlen: its length in bytes, at least 1
 * @out: where the result goes
 * @outlen: its length in bytes, at least 1
 *
 * The input is repeated, each copy rotated 13 bits further right, up to
 * the least common multiple of both lengths; the @outlen-byte pieces are
 * added in ones'-complement arithmetic.  Here byte by byte from the end,
 * each carry going into the next byte up and the carry out of the top of
 * a piece into the bottom of the next (the end-around carry).
 */
void sspi_krb5_nfold(const u8 *in, unsigned int inlen, u8 *out,
		     unsigned int outlen)
{
	unsigned int lcm = inlen / gcd(inlen, outlen) * outlen;
	unsigned int carry = 0, i;

	memset(out, 0, outlen);
	for (i = lcm; i-- > 0;) {
		carry += out[i % outlen] +
			 sspi_krb5_rotated_byte(in, inlen, 13 * (i / inlen),
						i % inlen);
		out[i % outlen] = carry;
		carry >>= 8;
	}
	while (carry) {
		for (i = outlen; carry && i-- > 0;) {
			carry += out[i];
			out[i] = carry;
			carry >>= 8;
		}
	}
}

/*
 * RFC 3961 DK for AES: random-to-key is the identity, so the key is the
 * first key_len bytes of E(n-fold(constant)), E(E(n-fold(constant))), ...
 * -- which is CBC with a zero IV over the folded constant followed by
 * zeros.
 */
static int sspi_krb5_dk(const struct sspi_krb5_enctype *et, const u8 *base,
			const u8 *constant, u8 *out)
{
	struct crypto_skcipher *tfm;
	struct skcipher_request *req = NULL;
	struct scatterlist sg;
	DECLARE_CRYPTO_WAIT(wait);
	u8 *buf;
	int err;

	buf = kzalloc(2 * SSPI_KRB5_BLOCK + SSPI_KRB5_BLOCK, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	tfm = crypto_alloc_skcipher("cbc(aes)", 0, 0);
	if (IS_ERR(tfm)) {
		err = PTR_ERR(tfm) == -ENOENT ? -ENOPKG : PTR_ERR(tfm);
		goto out_buf;
	}
	err = crypto_skcipher_setkey(tfm, base, et->key_len);
	if (err)
		goto out;
	req = skcipher_request_alloc(tfm, GFP_KERNEL);
	if (!req) {
		err = -ENOMEM;
		goto out;
	}
	sspi_krb5_nfold(constant, 5, buf, SSPI_KRB5_BLOCK);
	sg_init_one(&sg, buf, 2 * SSPI_KRB5_BLOCK);
	skcipher_request_set_callback(req, CRYPTO_TFM_REQ_MAY_BACKLOG |
				      CRYPTO_TFM_REQ_MAY_SLEEP,
				      crypto_req_done, &wait);
	/* the IV: the last block of @buf, zero */
	skcipher_request_set_crypt(req, &sg, &sg, 2 * SSPI_KRB5_BLOCK,
				   buf + 2 * SSPI_KRB5_BLOCK);
	err = crypto_wait_req(crypto_skcipher_encrypt(req), &wait);
	if (!err)
		memcpy(out, buf, et->key_len);
	skcipher_request_free(req);
out:
	crypto_free_skcipher(tfm);
out_buf:
	kfree_sensitive(buf);
	return err;
}

/*
 * RFC 8009 section 3: KDF-HMAC-SHA2(key, label, k) = the first k bits of
 * HMAC(key, 00000001 | label | 00 | k), k as 32 bits big-endian.
 */
static int sspi_krb5_kdf_hmac(const struct sspi_krb5_enctype *et,
			      const u8 *base, const u8 *label, u8 *out,
			      unsigned int outlen)
{
	struct crypto_shash *tfm;
	u8 *buf;
	int err;

	/* counter, label, separator, length; then the digest */
	buf = kzalloc(4 + 5 + 1 + 4 + SSPI_KRB5_MAX_DIGEST, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	tfm = crypto_alloc_shash(et->hmac, 0, 0);
	if (IS_ERR(tfm)) {
		err = PTR_ERR(tfm) == -ENOENT ? -ENOPKG : PTR_ERR(tfm);
		goto out_buf;
	}
	err = crypto_shash_setkey(tfm, base, et->key_len);
	if (err)
		goto out;
	put_unaligned_be32(1, buf);
	memcpy(buf + 4, label, 5);
	put_unaligned_be32(outlen * 8, buf + 10);
	err = crypto_shash_tfm_digest(tfm, buf, 14, buf + 14);
	if (!err)
		memcpy(out, buf + 14, outlen);
out:
	crypto_free_shash(tfm);
out_buf:
	kfree_sensitive(buf);
	return err;
}

/**
 * sspi_krb5_derive_key() - the key of one usage and kind
 * @et: the enctype
 * @base: the base key, @et->key_len bytes
 * @usage: the key usage number
 * @kind: %SSPI_KRB5_KEY_ENCRYPT (Ke), %SSPI_KRB5_KEY_INTEGRITY (Ki) or
 *	%SSPI_KRB5_KEY_CHECKSUM (Kc)
 * @out: where the key goes: @et->key_len bytes for Ke and for every kind
 *	under RFC 3962, @et->ki_len bytes for Ki and Kc under RFC 8009
 *
 * Context: process context; may sleep.
 * Return: 0; -EINVAL for an unknown kind; -ENOPKG when the kernel lacks an
 * algorithm; -ENOMEM.
 */
int sspi_krb5_derive_key(const struct sspi_krb5_enctype *et, const u8 *base,
			 u32 usage, u8 kind, u8 *out)
{
	u8 constant[5];

	if (kind != SSPI_KRB5_KEY_CHECKSUM && kind != SSPI_KRB5_KEY_ENCRYPT &&
	    kind != SSPI_KRB5_KEY_INTEGRITY)
		return -EINVAL;
	put_unaligned_be32(usage, constant);
	constant[4] = kind;
	if (!et->etm)
		return sspi_krb5_dk(et, base, constant, out);
	return sspi_krb5_kdf_hmac(et, base, constant, out,
				  kind == SSPI_KRB5_KEY_ENCRYPT ? et->key_len :
								  et->ki_len);
}

static int sspi_krb5_mac_init(struct sspi_krb5_keys *k,
			      enum sspi_krb5_mac_key which, const u8 *key,
			      unsigned int keylen)
{
	struct crypto_ahash *tfm;
	int err;

	tfm = crypto_alloc_ahash(k->et->hmac, 0, 0);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm) == -ENOENT ? -ENOPKG : PTR_ERR(tfm);
	k->mac[which] = tfm;
	err = crypto_ahash_setkey(tfm, key, keylen);
	if (err)
		return err;
	if (crypto_ahash_digestsize(tfm) > SSPI_KRB5_MAX_DIGEST)
		return -EINVAL;
	k->mac_req[which] = ahash_request_alloc(tfm, GFP_KERNEL);
	if (!k->mac_req[which])
		return -ENOMEM;
	ahash_request_set_callback(k->mac_req[which], CRYPTO_TFM_REQ_MAY_BACKLOG |
				   CRYPTO_TFM_REQ_MAY_SLEEP, crypto_req_done,
				   &k->wait);
	return 0;
}

/**
 * sspi_krb5_keys_init() - derive and key the transforms of one direction
 * @k: zeroed state to fill
 * @et: the enctype
 * @base: the base key, @et->key_len bytes
 * @seal_usage: the usage of Wrap tokens in this direction
 * @sign_usage: the usage of MIC tokens in this direction
 *
 * Context: process context; may sleep.
 * Return: 0, or the first error (then @k is torn down again): -ENOPKG
 * when the kernel lacks an algorithm, -ENOMEM, or a driver's error.
 */
int sspi_krb5_keys_init(struct sspi_krb5_keys *k,
			const struct sspi_krb5_enctype *et, const u8 *base,
			u32 seal_usage, u32 sign_usage)
{
	u8 *key;
	int err;

	key = kmalloc(SSPI_KRB5_MAX_KEY, GFP_KERNEL);
	if (!key)
		return -ENOMEM;
	k->et = et;
	crypto_init_wait(&k->wait);

	k->enc = crypto_alloc_skcipher(et->cipher, 0, 0);
	if (IS_ERR(k->enc)) {
		err = PTR_ERR(k->enc) == -ENOENT ? -ENOPKG : PTR_ERR(k->enc);
		k->enc = NULL;
		goto fail;
	}
	err = sspi_krb5_derive_key(et, base, seal_usage, SSPI_KRB5_KEY_ENCRYPT, key);
	if (!err)
		err = crypto_skcipher_setkey(k->enc, key, et->key_len);
	if (err)
		goto fail;
	k->enc_req = skcipher_request_alloc(k->enc, GFP_KERNEL);
	if (!k->enc_req) {
		err = -ENOMEM;
		goto fail;
	}
	skcipher_request_set_callback(k->enc_req, CRYPTO_TFM_REQ_MAY_BACKLOG |
				      CRYPTO_TFM_REQ_MAY_SLEEP,
				      crypto_req_done, &k->wait);

	err = sspi_krb5_derive_key(et, base, seal_usage, SSPI_KRB5_KEY_INTEGRITY, key);
	if (!err)
		err = sspi_krb5_mac_init(k, SSPI_KRB5_KI, key,
					 et->etm ? et->ki_len : et->key_len);
	if (!err)
		err = sspi_krb5_derive_key(et, base, seal_usage,
					   SSPI_KRB5_KEY_CHECKSUM, key);
	if (!err)
		err = sspi_krb5_mac_init(k, SSPI_KRB5_KC_SEAL, key,
					 et->etm ? et->ki_len : et->key_len);
	if (!err)
		err = sspi_krb5_derive_key(et, base, sign_usage,
					   SSPI_KRB5_KEY_CHECKSUM, key);
	if (!err)
		err = sspi_krb5_mac_init(k, SSPI_KRB5_KC_SIGN, key,
					 et->etm ? et->ki_len : et->key_len);
	if (err)
		goto fail;
	kfree_sensitive(key);
	return 0;

fail:
	kfree_sensitive(key);
	sspi_krb5_keys_destroy(k);
	return err;
}

/**
 * sspi_krb5_keys_destroy() - free the transforms, zeroizing the state
 * @k: the state; may be partly set up or all zero
 */
void sspi_krb5_keys_destroy(struct sspi_krb5_keys *k)
{
	int i;

	for (i = 0; i < SSPI_KRB5_NR_MAC; i++) {
		ahash_request_free(k->mac_req[i]);
		crypto_free_ahash(k->mac[i]);
	}
	skcipher_request_free(k->enc_req);
	crypto_free_skcipher(k->enc);
	memzero_explicit(k, sizeof(*k));
}

/**
 * sspi_krb5_cipher() - CBC-CTS with a zero IV, in place
 * @k: the direction's state
 * @encrypt: encrypt, else decrypt
 * @sg: the bytes
 * @len: how many, at least one block
 *
 * Context: process context; may sleep.
 * Return: 0, or the driver's error.
 */
int sspi_krb5_cipher(struct sspi_krb5_keys *k, bool encrypt,
		     struct scatterlist *sg, unsigned int len)
{
	struct skcipher_request *req = k->enc_req;

	if (len < SSPI_KRB5_BLOCK)
		return -EINVAL;
	memset(k->iv, 0, sizeof(k->iv));
	skcipher_request_set_crypt(req, sg, sg, len, k->iv);
	return crypto_wait_req(encrypt ? crypto_skcipher_encrypt(req) :
				crypto_skcipher_decrypt(req), &k->wait);
}

/**
 * sspi_krb5_mac() - an HMAC over bytes of a scatterlist
 * @k: the direction's state
 * @which: the key
 * @sg: the bytes
 * @len: how many
 *
 * The whole digest goes to @k->digest; tokens carry its first
 * @k->et->mac_len bytes.
 *
 * Context: process context; may sleep.
 * Return: 0, or the driver's error.
 */
int sspi_krb5_mac(struct sspi_krb5_keys *k, enum sspi_krb5_mac_key which,
		  struct scatterlist *sg, unsigned int len)
{
	struct ahash_request *req = k->mac_req[which];

	ahash_request_set_crypt(req, sg, k->digest, len);
	return crypto_wait_req(crypto_ahash_digest(req), &k->wait);
}

/**
 * sspi_krb5_driver() - the driver doing the encryption
 * @k: the direction's state
 *
 * Return: its name, e.g. "cts(cbc-aes-aesni)".
 */
const char *sspi_krb5_driver(const struct sspi_krb5_keys *k)
{
	return crypto_tfm_alg_driver_name(crypto_skcipher_tfm(k->enc));
}
