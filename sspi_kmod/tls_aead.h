/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sspi_kmod: the AEAD transforms of the TLS record package.
 */
#ifndef _SSPI_KMOD_TLS_AEAD_H
#define _SSPI_KMOD_TLS_AEAD_H

#include <crypto/aead.h>
#include <linux/crypto.h>
#include <linux/types.h>

#define SSPI_AEAD_MAX_IV 16

/**
 * struct sspi_aead - an AEAD transform keyed for one direction of a context
 * @tfm: the transform, keyed once at import
 * @req: its request, allocated with it; used under the direction's lock
 * @wait: completion for asynchronous drivers
 * @iv: the nonce of the next operation (drivers may DMA it: never on the
 *	stack)
 */
struct sspi_aead {
	struct crypto_aead *tfm;
	struct aead_request *req;
	struct crypto_wait wait;
	u8 iv[SSPI_AEAD_MAX_IV];
};

int sspi_aead_init(struct sspi_aead *a, const char *alg, const u8 *key,
		   unsigned int keylen, unsigned int authsize);
int sspi_aead_rekey(struct sspi_aead *a, const u8 *key, unsigned int keylen);
void sspi_aead_destroy(struct sspi_aead *a);
int sspi_aead_run(struct sspi_aead *a, bool encrypt, struct scatterlist *src,
		  struct scatterlist *dst, unsigned int assoclen,
		  unsigned int cryptlen);
const char *sspi_aead_driver(const struct sspi_aead *a);

#endif /* _SSPI_KMOD_TLS_AEAD_H */
