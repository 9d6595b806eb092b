/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sspi_kmod: Kerberos enctypes (RFC 3961 simplified profile with RFC 3962
 * AES-CTS-HMAC-SHA1-96, RFC 8009 AES-CTS-HMAC-SHA2) -- key derivation and
 * the keyed transforms of one direction of a context (krb5_crypto.c), and
 * one profile per RFC saying how keys are derived and how a token's
 * encrypted part is sealed (krb5_rfc3961.c, krb5_rfc8009.c).  No token
 * formats here: those are krb5_token.c's and krb5_rfc4121.c's.
 */
#ifndef _SSPI_KMOD_KRB5_CRYPTO_H
#define _SSPI_KMOD_KRB5_CRYPTO_H

#include <crypto/hash.h>
#include <crypto/skcipher.h>
#include <linux/crypto.h>
#include <linux/scatterlist.h>
#include <linux/types.h>

#define SSPI_KRB5_MAX_KEY	32	/* base keys and Ke */
#define SSPI_KRB5_MAX_DIGEST	48	/* untruncated HMAC-SHA384 */
#define SSPI_KRB5_MAX_MAC	24	/* truncated, as tokens carry it */
#define SSPI_KRB5_BLOCK		16	/* AES block: confounder, CTS minimum */

/* RFC 4121 section 2: key usage numbers */
#define SSPI_KRB5_USAGE_ACCEPTOR_SEAL	22
#define SSPI_KRB5_USAGE_ACCEPTOR_SIGN	23
#define SSPI_KRB5_USAGE_INITIATOR_SEAL	24
#define SSPI_KRB5_USAGE_INITIATOR_SIGN	25

/* RFC 3961 section 5.3: the last octet of a derivation constant */
#define SSPI_KRB5_KEY_CHECKSUM		0x99	/* Kc */
#define SSPI_KRB5_KEY_ENCRYPT		0xAA	/* Ke */
#define SSPI_KRB5_KEY_INTEGRITY		0x55	/* Ki */

struct sspi_krb5_profile;

/**
 * struct sspi_krb5_enctype - what one enctype is made of
 * @etype: its number (SSPI_KRB5_ENCTYPE_*)
 * @name: its name, as MIT spells it
 * @cipher: the crypto API's name of the encryption, CBC with ciphertext
 *	stealing and a zero IV
 * @hmac: the crypto API's name of the integrity function
 * @key_len: bytes of a base key and of Ke
 * @ki_len: bytes of Ki and Kc
 * @mac_len: bytes of the truncated HMAC a token carries (h in RFC 3961)
 * @profile: the RFC that derives its keys and seals with them
 */
struct sspi_krb5_enctype {
	u32 etype;
	const char *name;
	const char *cipher;
	const char *hmac;
	unsigned int key_len;
	unsigned int ki_len;
	unsigned int mac_len;
	const struct sspi_krb5_profile *profile;
};

const struct sspi_krb5_enctype *sspi_krb5_enctype_find(u32 etype);

void sspi_krb5_nfold(const u8 *in, unsigned int inlen, u8 *out,
		     unsigned int outlen);
int sspi_krb5_derive_key(const struct sspi_krb5_enctype *et, const u8 *base,
			 u32 usage, u8 kind, u8 *out);

/**
 * enum sspi_krb5_mac_key - which key an HMAC is computed with
 * @SSPI_KRB5_KI: Ki of the sealing usage: Wrap tokens with confidentiality
 * @SSPI_KRB5_KC_SEAL: Kc of the sealing usage: Wrap tokens without it
 * @SSPI_KRB5_KC_SIGN: Kc of the signing usage: MIC tokens
 * @SSPI_KRB5_NR_MAC: the number of keys
 */
enum sspi_krb5_mac_key {
	SSPI_KRB5_KI,
	SSPI_KRB5_KC_SEAL,
	SSPI_KRB5_KC_SIGN,
	SSPI_KRB5_NR_MAC,
};

/**
 * struct sspi_krb5_keys - the keyed transforms of one direction
 * @et: the enctype
 * @enc: the cipher keyed with Ke of the sealing usage
 * @enc_req: its request
 * @mac: the HMACs, keyed as &enum sspi_krb5_mac_key says
 * @mac_req: their requests
 * @wait: completion for asynchronous drivers
 * @iv: the cipher's IV, zero before every operation (drivers may DMA it)
 * @zero: 16 zero bytes: RFC 8009's HMAC input starts with the zero IV
 * @digest: where an HMAC is computed to, before truncation
 *
 * Each transform is keyed once, at import, and used by this direction
 * only, under its lock.
 */
struct sspi_krb5_keys {
	const struct sspi_krb5_enctype *et;
	struct crypto_skcipher *enc;
	struct skcipher_request *enc_req;
	struct crypto_ahash *mac[SSPI_KRB5_NR_MAC];
	struct ahash_request *mac_req[SSPI_KRB5_NR_MAC];
	struct crypto_wait wait;
	u8 iv[SSPI_KRB5_BLOCK];
	u8 zero[SSPI_KRB5_BLOCK];
	u8 digest[SSPI_KRB5_MAX_DIGEST];
};

int sspi_krb5_keys_init(struct sspi_krb5_keys *k,
			const struct sspi_krb5_enctype *et, const u8 *base,
			u32 seal_usage, u32 sign_usage);
void sspi_krb5_keys_destroy(struct sspi_krb5_keys *k);
int sspi_krb5_cipher(struct sspi_krb5_keys *k, bool encrypt,
		     struct scatterlist *sg, unsigned int len);
int sspi_krb5_mac(struct sspi_krb5_keys *k, enum sspi_krb5_mac_key which,
		  struct scatterlist *sg, unsigned int len);
bool sspi_krb5_mac_ok(const struct sspi_krb5_keys *k, const u8 *mac);
const char *sspi_krb5_driver(const struct sspi_krb5_keys *k);

/**
 * enum sspi_krb5_part - the parts of a sealed token a profile asks for
 * @SSPI_KRB5_PART_ENC: the encrypted part: confounder, data, filler and
 *	header copy
 * @SSPI_KRB5_PART_MAC: what RFC 3961's checksum covers: the same, with the
 *	signed-only data in place
 * @SSPI_KRB5_PART_IV_MAC: what RFC 8009's covers: the zero IV, then
 *	the same
 */
enum sspi_krb5_part {
	SSPI_KRB5_PART_ENC,
	SSPI_KRB5_PART_MAC,
	SSPI_KRB5_PART_IV_MAC,
};

/**
 * struct sspi_krb5_sealed - a sealed token, as a profile sees it
 * @sg: the scatterlist of one part, with its bytes in *@bytes, or an
 *	ERR_PTR(); the token's owner builds it (a part asked for again is
 *	built again: one list at a time)
 * @mac: on receipt, the checksum the token carries
 * @decrypted: on receipt, set once bytes were decrypted in place
 */
struct sspi_krb5_sealed {
	struct scatterlist *(*sg)(struct sspi_krb5_sealed *s,
				  enum sspi_krb5_part part, unsigned int *bytes);
	const u8 *mac;
	bool decrypted;
};

/**
 * struct sspi_krb5_profile - one RFC's key derivation and sealing
 * @name: the RFC, for messages
 * @derive: the @len-byte key of the 5-byte derivation @constant
 * @encrypt: checksum and encrypt @s in place; the checksum is left in
 *	@k->digest
 * @decrypt: decrypt @s in place and check its checksum (-EBADMSG), or
 *	nothing
 *
 * The profiles: sspi_krb5_rfc3961 (the simplified profile, which RFC
 * 3962's AES enctypes use) and sspi_krb5_rfc8009.
 */
struct sspi_krb5_profile {
	const char *name;
	int (*derive)(const struct sspi_krb5_enctype *et, const u8 *base,
		      const u8 *constant, u8 *out, unsigned int len);
	int (*encrypt)(struct sspi_krb5_keys *k, struct sspi_krb5_sealed *s);
	int (*decrypt)(struct sspi_krb5_keys *k, struct sspi_krb5_sealed *s);
};

extern const struct sspi_krb5_profile sspi_krb5_rfc3961;
extern const struct sspi_krb5_profile sspi_krb5_rfc8009;

#endif /* _SSPI_KMOD_KRB5_CRYPTO_H */
