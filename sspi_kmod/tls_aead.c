// SPDX-License-Identifier: GPL-2.0
/*
 * sspi_kmod: the AEAD transforms of the TLS record package (crypto API).
 *
 * Transforms are asked for by algorithm name, so the crypto API picks the
 * highest-priority driver (AES-NI, an accelerator, an asynchronous
 * offload engine).  Each is keyed once, when a context is imported, and
 * used by one direction of one context under that direction's lock:
 * no transform is ever re-keyed while someone else may use it.
 * Asynchronous drivers are waited for (MAY_BACKLOG, crypto_wait_req());
 * a request is never freed while in flight, because every operation
 * completes before sspi_aead_run() returns.
 */

#include <linux/errno.h>
#include <linux/err.h>
#include <linux/scatterlist.h>
#include <linux/string.h>

#include "tls_aead.h"

/* A request whose completion, for asynchronous drivers, wakes @wait. */
static struct aead_request *sspi_aead_req_alloc(struct crypto_aead *tfm,
						struct crypto_wait *wait)
{
	struct aead_request *req = aead_request_alloc(tfm, GFP_KERNEL_ACCOUNT);

	if (req)
		aead_request_set_callback(req, CRYPTO_TFM_REQ_MAY_BACKLOG |
					  CRYPTO_TFM_REQ_MAY_SLEEP,
					  crypto_req_done, wait);
	return req;
}

/**
 * sspi_aead_init() - allocate and key an AEAD transform and its request
 * @a: zeroed state to fill
 * @alg: algorithm name, e.g. "gcm(aes)" or "rfc7539(chacha20,poly1305)"
 * @key: the key
 * @keylen: its length
 * @authsize: tag length
 *
 * Return: 0; -ENOPKG when the kernel has no such algorithm (the crypto
 * API's -ENOENT would read as an invalid handle); -EINVAL for a key or
 * tag length the algorithm refuses; -ENOMEM.
 */
int sspi_aead_init(struct sspi_aead *a, const char *alg, const u8 *key,
		   unsigned int keylen, unsigned int authsize)
{
	int err;

	a->tfm = crypto_alloc_aead(alg, 0, 0);
	if (IS_ERR(a->tfm)) {
		err = PTR_ERR(a->tfm);
		a->tfm = NULL;
		return err == -ENOENT ? -ENOPKG : err;
	}
	err = crypto_aead_setkey(a->tfm, key, keylen);
	if (!err)
		err = crypto_aead_setauthsize(a->tfm, authsize);
	if (err)
		goto fail;
	if (crypto_aead_ivsize(a->tfm) > sizeof(a->iv)) {
		err = -EINVAL;
		goto fail;
	}
	crypto_init_wait(&a->wait);
	a->req = sspi_aead_req_alloc(a->tfm, &a->wait);
	if (!a->req) {
		err = -ENOMEM;
		goto fail;
	}
	return 0;

fail:
	crypto_free_aead(a->tfm);
	a->tfm = NULL;
	return err;
}

/**
 * sspi_aead_rekey() - replace the key of a transform in use by one owner
 * @a: the state, set up by sspi_aead_init(); no operation in flight (the
 *	caller holds the lock its operations run under)
 * @key: the new key
 * @keylen: its length
 *
 * A new transform of the same algorithm is allocated and keyed, and only
 * then swapped in, so that on failure the old key stays usable.  The
 * transform is never re-keyed in place: an asynchronous driver could
 * still hold state of it.
 *
 * Return: 0, or the errors of sspi_aead_init().
 */
int sspi_aead_rekey(struct sspi_aead *a, const u8 *key, unsigned int keylen)
{
	struct crypto_aead *tfm;
	struct aead_request *req;
	int err;

	tfm = crypto_alloc_aead(crypto_tfm_alg_name(crypto_aead_tfm(a->tfm)),
				0, 0);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm) == -ENOENT ? -ENOPKG : PTR_ERR(tfm);
	err = crypto_aead_setkey(tfm, key, keylen);
	if (!err)
		err = crypto_aead_setauthsize(tfm, crypto_aead_authsize(a->tfm));
	if (err)
		goto fail;
	req = sspi_aead_req_alloc(tfm, &a->wait);
	if (!req) {
		err = -ENOMEM;
		goto fail;
	}
	aead_request_free(a->req);
	crypto_free_aead(a->tfm);
	a->tfm = tfm;
	a->req = req;
	return 0;

fail:
	crypto_free_aead(tfm);
	return err;
}

/**
 * sspi_aead_destroy() - free a transform and its request, zeroizing both
 * @a: the state; may be partly set up or all zero
 */
void sspi_aead_destroy(struct sspi_aead *a)
{
	if (a->req)
		aead_request_free(a->req);
	crypto_free_aead(a->tfm);
	memzero_explicit(a, sizeof(*a));
}

/**
 * sspi_aead_run() - one AEAD operation with the nonce in @a->iv
 * @a: the state
 * @encrypt: encrypt, or decrypt and verify
 * @src: associated data followed by the text (and, to decrypt, the tag)
 * @dst: where the text goes (may be @src: in place), after room for the
 *	associated data
 * @assoclen: bytes of associated data
 * @cryptlen: bytes of text; to decrypt, including the tag
 *
 * Waits for an asynchronous driver to finish.  AEAD drivers decrypt into
 * @dst before they check the tag; when the check fails, the unverified
 * plaintext is zeroed here, so that no caller ever sees it.
 *
 * Context: process context; may sleep.
 * Return: 0; -EBADMSG when decryption finds the tag wrong; or the
 * driver's error.
 */
int sspi_aead_run(struct sspi_aead *a, bool encrypt, struct scatterlist *src,
		  struct scatterlist *dst, unsigned int assoclen,
		  unsigned int cryptlen)
{
	struct aead_request *req = a->req;
	unsigned int authsize = crypto_aead_authsize(a->tfm);
	int err;

	aead_request_set_ad(req, assoclen);
	aead_request_set_crypt(req, src, dst, cryptlen, a->iv);
	err = crypto_wait_req(encrypt ? crypto_aead_encrypt(req) :
				crypto_aead_decrypt(req), &a->wait);
	if (err && !encrypt && cryptlen > authsize)
		sg_zero_buffer(dst, sg_nents(dst), cryptlen - authsize, assoclen);
	return err;
}

/**
 * sspi_aead_driver() - the driver the crypto API chose
 * @a: the state
 *
 * Return: the driver's name, e.g. "generic-gcm-aesni-avx".
 */
const char *sspi_aead_driver(const struct sspi_aead *a)
{
	return crypto_tfm_alg_driver_name(crypto_aead_tfm(a->tfm));
}
