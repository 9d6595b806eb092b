// SPDX-License-Identifier: GPL-2.0
/*
 * sspi_kmod: Kerberos enctypes -- RFC 3961's simplified profile with the
 * AES enctypes of RFC 3962, and RFC 8009's AES-CTS-HMAC-SHA2.
 *
 * Keys for a usage are derived once, when a context is imported, as the
 * enctype's profile says: RFC 3961 DK (krb5_rfc3961.c) for RFC 3962,
 * KDF-HMAC-SHA2 (krb5_rfc8009.c) for RFC 8009.  Each
 * direction then holds its own keyed transforms -- CBC with ciphertext
 * stealing under Ke, HMACs under Ki and Kc -- asked for by algorithm name
 * so that the crypto API picks the best driver, and waited for when that
 * driver is asynchronous.
 */

#include <crypto/algapi.h>
#include <crypto/hash.h>
#include <crypto/skcipher.h>
#include <linux/err.h>
#include <linux/errno.h>
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
		.profile = &sspi_krb5_rfc3961,
	},
	{
		.etype = SSPI_KRB5_ENCTYPE_AES256_CTS_HMAC_SHA1_96,
		.name = "aes256-cts-hmac-sha1-96",
		.cipher = "cts(cbc(aes))",
		.hmac = "hmac(sha1)",
		.key_len = 32,
		.ki_len = 32,
		.mac_len = 12,
		.profile = &sspi_krb5_rfc3961,
	},
	{
		.etype = SSPI_KRB5_ENCTYPE_AES128_CTS_HMAC_SHA256_128,
		.name = "aes128-cts-hmac-sha256-128",
		.cipher = "cts(cbc(aes))",
		.hmac = "hmac(sha256)",
		.key_len = 16,
		.ki_len = 16,
		.mac_len = 16,
		.profile = &sspi_krb5_rfc8009,
	},
	{
		.etype = SSPI_KRB5_ENCTYPE_AES256_CTS_HMAC_SHA384_192,
		.name = "aes256-cts-hmac-sha384-192",
		.cipher = "cts(cbc(aes))",
		.hmac = "hmac(sha384)",
		.key_len = 32,
		.ki_len = 24,
		.mac_len = 24,
		.profile = &sspi_krb5_rfc8009,
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

/**
 * sspi_krb5_derive_key() - the key of one usage and kind
 * @et: the enctype
 * @base: the base key, @et->key_len bytes
 * @usage: the key usage number
 * @kind: %SSPI_KRB5_KEY_ENCRYPT (Ke), %SSPI_KRB5_KEY_INTEGRITY (Ki) or
 *	%SSPI_KRB5_KEY_CHECKSUM (Kc)
 * @out: where the key goes: @et->key_len bytes for Ke, @et->ki_len bytes
 *	for Ki and Kc (under RFC 3962 both are the same)
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
	return et->profile->derive(et, base, constant, out,
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
	k->mac_req[which] = ahash_request_alloc(tfm, GFP_KERNEL_ACCOUNT);
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
	k->enc_req = skcipher_request_alloc(k->enc, GFP_KERNEL_ACCOUNT);
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
					 et->ki_len);
	if (!err)
		err = sspi_krb5_derive_key(et, base, seal_usage,
					   SSPI_KRB5_KEY_CHECKSUM, key);
	if (!err)
		err = sspi_krb5_mac_init(k, SSPI_KRB5_KC_SEAL, key,
					 et->ki_len);
	if (!err)
		err = sspi_krb5_derive_key(et, base, sign_usage,
					   SSPI_KRB5_KEY_CHECKSUM, key);
	if (!err)
		err = sspi_krb5_mac_init(k, SSPI_KRB5_KC_SIGN, key,
					 et->ki_len);
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
 * sspi_krb5_mac_ok() - compare a received checksum in constant time
 * @k: the direction's state, the checksum computed into @k->digest
 * @mac: the checksum received, @k->et->mac_len bytes
 *
 * Return: true when they match.
 */
bool sspi_krb5_mac_ok(const struct sspi_krb5_keys *k, const u8 *mac)
{
	return !crypto_memneq(k->digest, mac, k->et->mac_len);
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
