// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for sspi_kmod/krb5_crypto.c: the enctype table, n-fold, key
 * derivation, and the cipher and HMACs of one direction keyed by
 * sspi_krb5_keys_init, on the vectors of krb5_vectors.h: RFC 3961
 * appendix A.1, MIT krb5's t_derive.c, RFC 3962 appendix B and RFC 8009
 * appendix A, and a few computed with Python from those published keys.
 */

#include <kunit/test.h>
#include <crypto/sha1.h>
#include <crypto/skcipher.h>
#include <linux/crypto.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <sspi_kmod/sspi.h>

#include "../sspi_kmod/krb5_crypto.h"
#include "krb5_vectors.h"

#define AES128_SHA1	SSPI_KRB5_ENCTYPE_AES128_CTS_HMAC_SHA1_96
#define AES256_SHA1	SSPI_KRB5_ENCTYPE_AES256_CTS_HMAC_SHA1_96
#define AES128_SHA256	SSPI_KRB5_ENCTYPE_AES128_CTS_HMAC_SHA256_128
#define AES256_SHA384	SSPI_KRB5_ENCTYPE_AES256_CTS_HMAC_SHA384_192

/* Output buffers are this much longer than the output, to catch overruns. */
#define SLACK		16
#define POISON		0xa5

/* RFC 3962 appendix B's plaintext */
static const char rfc3962_plain[] =
	"I would like the General Gau's Chicken, please, and wonton soup.";

/* RFC 8009 appendix A's plaintexts are the first bytes of this */
static const u8 rfc8009_plain[21] = {
	0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a,
	0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14,
};

static const struct sspi_krb5_enctype *krb5_enctype(struct kunit *test, u32 etype)
{
	const struct sspi_krb5_enctype *et = sspi_krb5_enctype_find(etype);

	KUNIT_ASSERT_NOT_NULL_MSG(test, et, "enctype %u not in the table", etype);
	return et;
}

static void krb5_keys_release(void *k)
{
	sspi_krb5_keys_destroy(k);
}

/* The keys of one direction, destroyed at the end of the test. */
static struct sspi_krb5_keys *krb5_keys(struct kunit *test, u32 etype, const u8 *base,
					u32 seal_usage, u32 sign_usage)
{
	struct sspi_krb5_keys *k = kunit_kzalloc(test, sizeof(*k), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, k);
	KUNIT_ASSERT_EQ(test, sspi_krb5_keys_init(k, krb5_enctype(test, etype), base,
						  seal_usage, sign_usage), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, krb5_keys_release, k), 0);
	return k;
}

/*
 * Put @len bytes of @data in @pieces separately allocated chunks (cut after
 * 5 and 21 bytes: the second chunk straddles a block boundary), in the
 * entries of @sg from @first on, and end @sg there.  Returns the number of
 * entries used in all.  @sg has room for @first + 3.
 */
static unsigned int krb5_scatter(struct kunit *test, struct scatterlist *sg,
				 unsigned int first, const u8 *data, unsigned int len,
				 unsigned int pieces)
{
	static const unsigned int cuts[] = { 5, 21 };
	unsigned int off = 0, n = first, i, end;
	u8 *chunk;

	for (i = 0; off < len; i++) {
		end = i + 1 < pieces && i < ARRAY_SIZE(cuts) && cuts[i] < len ? cuts[i] : len;
		chunk = kunit_kmalloc(test, end - off, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, chunk);
		memcpy(chunk, data + off, end - off);
		sg_set_buf(&sg[n++], chunk, end - off);
		off = end;
	}
	sg_mark_end(&sg[n - 1]);
	return n;
}

/* The enctypes of RFC 3962 and RFC 8009 are there, with their sizes. */

struct krb5_enctype_case {
	u32 etype;
	unsigned int key_len, ki_len, mac_len;
	bool etm;
};

static const struct krb5_enctype_case krb5_enctypes[] = {
	{ AES128_SHA1, 16, 16, 12, false },
	{ AES256_SHA1, 32, 32, 12, false },
	{ AES128_SHA256, 16, 16, 16, true },
	{ AES256_SHA384, 32, 24, 24, true },
};

static void krb5_enctype_desc(const struct krb5_enctype_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "enctype %u", c->etype);
}

KUNIT_ARRAY_PARAM(krb5_enctype, krb5_enctypes, krb5_enctype_desc);

static void sspi_krb5_enctype_test(struct kunit *test)
{
	const struct krb5_enctype_case *c = test->param_value;
	const struct sspi_krb5_enctype *et = krb5_enctype(test, c->etype);

	kunit_info(test, "%s: %s, %s", et->name, et->cipher, et->hmac);
	KUNIT_EXPECT_EQ(test, et->etype, c->etype);
	KUNIT_EXPECT_NOT_NULL(test, et->name);
	KUNIT_EXPECT_NOT_NULL(test, et->cipher);
	KUNIT_EXPECT_NOT_NULL(test, et->hmac);
	KUNIT_EXPECT_EQ(test, et->key_len, c->key_len);
	KUNIT_EXPECT_EQ(test, et->ki_len, c->ki_len);
	KUNIT_EXPECT_EQ(test, et->mac_len, c->mac_len);
	KUNIT_EXPECT_PTR_EQ(test, et->profile,
			    c->etm ? &sspi_krb5_rfc8009 : &sspi_krb5_rfc3961);
}

/* Numbers that are no enctype, or one of those this layer does not do. */
static void sspi_krb5_enctype_unknown_test(struct kunit *test)
{
	/* 23 (RC4-HMAC) may or may not be in the table */
	static const u32 unknown[] = { 0, 1, 3, 16, 21, 24, 0xffffffff };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(unknown); i++)
		KUNIT_EXPECT_NULL_MSG(test, sspi_krb5_enctype_find(unknown[i]),
				      "enctype %u", unknown[i]);
}

/* RFC 3961 appendix A.1 */

struct krb5_nfold_case {
	const char *in;
	unsigned int bits;
	const u8 *out;
};

static const struct krb5_nfold_case krb5_nfolds[] = {
	{ "012345", 64, nfold_012345_64 },
	{ "password", 56, nfold_password_56 },
	{ "Rough Consensus, and Running Code", 64, nfold_rough_64 },
	{ "password", 168, nfold_password_168 },
	{ "MASSACHVSETTS INSTITVTE OF TECHNOLOGY", 192, nfold_mit_192 },
	{ "Q", 168, nfold_q_168 },
	{ "ba", 168, nfold_ba_168 },
	{ "kerberos", 64, nfold_kerberos_64 },
	{ "kerberos", 128, nfold_kerberos_128 },
	{ "kerberos", 168, nfold_kerberos_168 },
	{ "kerberos", 256, nfold_kerberos_256 },
};

static void krb5_nfold_desc(const struct krb5_nfold_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "RFC 3961 appendix A.1: %u-fold(\"%s\")",
		 c->bits, c->in);
}

KUNIT_ARRAY_PARAM(krb5_nfold, krb5_nfolds, krb5_nfold_desc);

static void sspi_krb5_nfold_test(struct kunit *test)
{
	const struct krb5_nfold_case *c = test->param_value;
	unsigned int outlen = c->bits / 8;
	u8 *out = kunit_kmalloc(test, outlen + SLACK, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, out);
	memset(out, POISON, outlen + SLACK);
	sspi_krb5_nfold((const u8 *)c->in, strlen(c->in), out, outlen);
	KUNIT_EXPECT_MEMEQ(test, out, c->out, outlen);
	KUNIT_EXPECT_FALSE_MSG(test, memchr_inv(out + outlen, POISON, SLACK),
			       "wrote past %u bytes", outlen);
}

/* MIT krb5's t_derive.c (RFC 3961 DK) and RFC 8009 appendix A (KDF-HMAC-SHA2) */

struct krb5_derive_case {
	u32 etype;
	const u8 *base;
	u8 kind;
	const u8 *key;
	unsigned int key_len;
	const char *src;
};

#define DERIVE(e, b, kind, k, s) { e, b, kind, k, sizeof(k), s }
#define T_DERIVE	"MIT t_derive.c"
#define RFC8009_A	"RFC 8009 appendix A"

static const struct krb5_derive_case krb5_derives[] = {
	DERIVE(AES128_SHA1, mit_aes128_base, SSPI_KRB5_KEY_CHECKSUM, mit_aes128_kc2, T_DERIVE),
	DERIVE(AES128_SHA1, mit_aes128_base, SSPI_KRB5_KEY_ENCRYPT, mit_aes128_ke2, T_DERIVE),
	DERIVE(AES128_SHA1, mit_aes128_base, SSPI_KRB5_KEY_INTEGRITY, mit_aes128_ki2, T_DERIVE),
	DERIVE(AES256_SHA1, mit_aes256_base, SSPI_KRB5_KEY_CHECKSUM, mit_aes256_kc2, T_DERIVE),
	DERIVE(AES256_SHA1, mit_aes256_base, SSPI_KRB5_KEY_ENCRYPT, mit_aes256_ke2, T_DERIVE),
	DERIVE(AES256_SHA1, mit_aes256_base, SSPI_KRB5_KEY_INTEGRITY, mit_aes256_ki2, T_DERIVE),
	DERIVE(AES128_SHA256, rfc8009_aes128_base, SSPI_KRB5_KEY_CHECKSUM, rfc8009_aes128_kc2,
	       RFC8009_A),
	DERIVE(AES128_SHA256, rfc8009_aes128_base, SSPI_KRB5_KEY_ENCRYPT, rfc8009_aes128_ke2,
	       RFC8009_A),
	DERIVE(AES128_SHA256, rfc8009_aes128_base, SSPI_KRB5_KEY_INTEGRITY, rfc8009_aes128_ki2,
	       RFC8009_A),
	DERIVE(AES256_SHA384, rfc8009_aes256_base, SSPI_KRB5_KEY_CHECKSUM, rfc8009_aes256_kc2,
	       RFC8009_A),
	DERIVE(AES256_SHA384, rfc8009_aes256_base, SSPI_KRB5_KEY_ENCRYPT, rfc8009_aes256_ke2,
	       RFC8009_A),
	DERIVE(AES256_SHA384, rfc8009_aes256_base, SSPI_KRB5_KEY_INTEGRITY, rfc8009_aes256_ki2,
	       RFC8009_A),
};

static void krb5_derive_desc(const struct krb5_derive_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s: enctype %u usage 2 kind %02X",
		 c->src, c->etype, c->kind);
}

KUNIT_ARRAY_PARAM(krb5_derive, krb5_derives, krb5_derive_desc);

static void sspi_krb5_derive_key_test(struct kunit *test)
{
	const struct krb5_derive_case *c = test->param_value;
	const struct sspi_krb5_enctype *et = krb5_enctype(test, c->etype);
	u8 *out = kunit_kmalloc(test, SSPI_KRB5_MAX_KEY + SLACK, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, out);
	memset(out, POISON, SSPI_KRB5_MAX_KEY + SLACK);
	KUNIT_ASSERT_EQ(test, sspi_krb5_derive_key(et, c->base, 2, c->kind, out), 0);
	KUNIT_EXPECT_MEMEQ(test, out, c->key, c->key_len);
	KUNIT_EXPECT_FALSE_MSG(test,
			       memchr_inv(out + c->key_len, POISON,
					  SSPI_KRB5_MAX_KEY + SLACK - c->key_len),
			       "wrote past %u bytes", c->key_len);
}

/*
 * RFC 3962 appendix B, through the transform the enctype table names: it
 * is RFC 3962's CBC-CTS (the layer keys it with a derived Ke, which no
 * published CTS vector uses; sspi_krb5_rfc3962_keys_test does that).
 */

struct krb5_cts_case {
	unsigned int len;
	const u8 *ct;
};

#define CTS(n) { n, rfc3962_ct##n }

static const struct krb5_cts_case krb5_ctss[] = {
	CTS(17), CTS(31), CTS(32), CTS(47), CTS(48), CTS(64),
};

static void krb5_cts_desc(const struct krb5_cts_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "RFC 3962 appendix B: %u bytes", c->len);
}

KUNIT_ARRAY_PARAM(krb5_cts, krb5_ctss, krb5_cts_desc);

static void sspi_krb5_cts_test(struct kunit *test)
{
	const struct krb5_cts_case *c = test->param_value;
	const struct sspi_krb5_enctype *et = krb5_enctype(test, AES128_SHA1);
	u8 *buf = kunit_kmalloc(test, c->len, GFP_KERNEL);
	u8 *iv = kunit_kzalloc(test, SSPI_KRB5_BLOCK, GFP_KERNEL);
	struct crypto_skcipher *tfm;
	struct skcipher_request *req;
	struct scatterlist sg;
	DECLARE_CRYPTO_WAIT(wait);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_NOT_NULL(test, iv);
	tfm = crypto_alloc_skcipher(et->cipher, 0, 0);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(tfm), "%s: %ld", et->cipher, PTR_ERR(tfm));
	req = skcipher_request_alloc(tfm, GFP_KERNEL);
	if (!req || crypto_skcipher_setkey(tfm, rfc3962_key, sizeof(rfc3962_key))) {
		skcipher_request_free(req);
		crypto_free_skcipher(tfm);
		KUNIT_FAIL(test, "%s: no request, or the key was refused", et->cipher);
		return;
	}
	skcipher_request_set_callback(req, CRYPTO_TFM_REQ_MAY_BACKLOG |
				      CRYPTO_TFM_REQ_MAY_SLEEP, crypto_req_done, &wait);

	memcpy(buf, rfc3962_plain, c->len);
	sg_init_one(&sg, buf, c->len);
	skcipher_request_set_crypt(req, &sg, &sg, c->len, iv);
	KUNIT_EXPECT_EQ(test, crypto_wait_req(crypto_skcipher_encrypt(req), &wait), 0);
	KUNIT_EXPECT_MEMEQ(test, buf, c->ct, c->len);

	memset(iv, 0, SSPI_KRB5_BLOCK);
	skcipher_request_set_crypt(req, &sg, &sg, c->len, iv);
	KUNIT_EXPECT_EQ(test, crypto_wait_req(crypto_skcipher_decrypt(req), &wait), 0);
	KUNIT_EXPECT_MEMEQ(test, buf, rfc3962_plain, c->len);

	skcipher_request_free(req);
	crypto_free_skcipher(tfm);
}

/*
 * AES-SHA1 (RFC 3962) keys of usage 2 from MIT's base keys: CTS under Ke
 * of RFC 3962's plaintext, and the untruncated HMAC-SHA1 of it under Ki
 * and Kc (computed; the keys themselves are t_derive.c's).
 */

struct krb5_rfc3962_case {
	u32 etype;
	const u8 *base;
	unsigned int len;
	const u8 *ct, *ki_mac, *kc_mac;
};

static const struct krb5_rfc3962_case krb5_rfc3962s[] = {
	{ AES128_SHA1, mit_aes128_base, 47, aes128_sha1_u2_ct47,
	  aes128_sha1_u2_ki_mac47, aes128_sha1_u2_kc_mac47 },
	{ AES128_SHA1, mit_aes128_base, 64, aes128_sha1_u2_ct64,
	  aes128_sha1_u2_ki_mac64, aes128_sha1_u2_kc_mac64 },
	{ AES256_SHA1, mit_aes256_base, 47, aes256_sha1_u2_ct47,
	  aes256_sha1_u2_ki_mac47, aes256_sha1_u2_kc_mac47 },
	{ AES256_SHA1, mit_aes256_base, 64, aes256_sha1_u2_ct64,
	  aes256_sha1_u2_ki_mac64, aes256_sha1_u2_kc_mac64 },
};

static void krb5_rfc3962_desc(const struct krb5_rfc3962_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE,
		 "RFC 3962 section 6 on t_derive.c keys (computed): enctype %u, %u bytes",
		 c->etype, c->len);
}

KUNIT_ARRAY_PARAM(krb5_rfc3962, krb5_rfc3962s, krb5_rfc3962_desc);

static void sspi_krb5_rfc3962_keys_test(struct kunit *test)
{
	const struct krb5_rfc3962_case *c = test->param_value;
	struct sspi_krb5_keys *k = krb5_keys(test, c->etype, c->base, 2, 2);
	const u8 *plain = (const u8 *)rfc3962_plain;
	u8 *out = kunit_kmalloc(test, c->len, GFP_KERNEL);
	struct scatterlist sg[3];
	unsigned int pieces, n;

	KUNIT_ASSERT_NOT_NULL(test, out);
	for (pieces = 1; pieces <= 3; pieces++) {
		sg_init_table(sg, ARRAY_SIZE(sg));
		n = krb5_scatter(test, sg, 0, plain, c->len, pieces);
		KUNIT_EXPECT_EQ_MSG(test, sspi_krb5_cipher(k, true, sg, c->len), 0,
				    "%u pieces", pieces);
		sg_copy_to_buffer(sg, n, out, c->len);
		KUNIT_EXPECT_MEMEQ_MSG(test, out, c->ct, c->len, "%u pieces", pieces);
		KUNIT_EXPECT_EQ_MSG(test, sspi_krb5_cipher(k, false, sg, c->len), 0,
				    "%u pieces", pieces);
		sg_copy_to_buffer(sg, n, out, c->len);
		KUNIT_EXPECT_MEMEQ_MSG(test, out, plain, c->len, "%u pieces", pieces);

		sg_init_table(sg, ARRAY_SIZE(sg));
		krb5_scatter(test, sg, 0, plain, c->len, pieces);
		KUNIT_EXPECT_EQ(test, sspi_krb5_mac(k, SSPI_KRB5_KI, sg, c->len), 0);
		KUNIT_EXPECT_MEMEQ_MSG(test, k->digest, c->ki_mac, SHA1_DIGEST_SIZE,
				       "Ki, %u pieces", pieces);
		KUNIT_EXPECT_EQ(test, sspi_krb5_mac(k, SSPI_KRB5_KC_SEAL, sg, c->len), 0);
		KUNIT_EXPECT_MEMEQ_MSG(test, k->digest, c->kc_mac, SHA1_DIGEST_SIZE,
				       "Kc seal, %u pieces", pieces);
		KUNIT_EXPECT_EQ(test, sspi_krb5_mac(k, SSPI_KRB5_KC_SIGN, sg, c->len), 0);
		KUNIT_EXPECT_MEMEQ_MSG(test, k->digest, c->kc_mac, SHA1_DIGEST_SIZE,
				       "Kc sign, %u pieces", pieces);
	}
}

/* RFC 8009 appendix A: sample encryptions */

struct krb5_rfc8009_case {
	u32 etype;
	const u8 *base;
	const u8 *conf;
	unsigned int plain_len;
	const u8 *ct;	/* CTS output, then the truncated HMAC */
	unsigned int ct_len;
};

#define RFC8009_ENC(e, b, conf, n, ct) { e, b, conf, n, ct, sizeof(ct) }

static const struct krb5_rfc8009_case krb5_rfc8009s[] = {
	RFC8009_ENC(AES128_SHA256, rfc8009_aes128_base, rfc8009_aes128_conf0, 0,
		    rfc8009_aes128_ct0),
	RFC8009_ENC(AES128_SHA256, rfc8009_aes128_base, rfc8009_aes128_conf6, 6,
		    rfc8009_aes128_ct6),
	RFC8009_ENC(AES128_SHA256, rfc8009_aes128_base, rfc8009_aes128_conf16, 16,
		    rfc8009_aes128_ct16),
	RFC8009_ENC(AES128_SHA256, rfc8009_aes128_base, rfc8009_aes128_conf21, 21,
		    rfc8009_aes128_ct21),
	RFC8009_ENC(AES256_SHA384, rfc8009_aes256_base, rfc8009_aes256_conf0, 0,
		    rfc8009_aes256_ct0),
	RFC8009_ENC(AES256_SHA384, rfc8009_aes256_base, rfc8009_aes256_conf6, 6,
		    rfc8009_aes256_ct6),
	RFC8009_ENC(AES256_SHA384, rfc8009_aes256_base, rfc8009_aes256_conf16, 16,
		    rfc8009_aes256_ct16),
	RFC8009_ENC(AES256_SHA384, rfc8009_aes256_base, rfc8009_aes256_conf21, 21,
		    rfc8009_aes256_ct21),
};

static void krb5_rfc8009_desc(const struct krb5_rfc8009_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE,
		 "RFC 8009 appendix A sample encryption: enctype %u, %u bytes plaintext",
		 c->etype, c->plain_len);
}

KUNIT_ARRAY_PARAM(krb5_rfc8009, krb5_rfc8009s, krb5_rfc8009_desc);

/* confounder | plaintext, in one allocation */
static u8 *krb5_rfc8009_input(struct kunit *test, const struct krb5_rfc8009_case *c)
{
	u8 *in = kunit_kmalloc(test, SSPI_KRB5_BLOCK + c->plain_len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, in);
	memcpy(in, c->conf, SSPI_KRB5_BLOCK);
	memcpy(in + SSPI_KRB5_BLOCK, rfc8009_plain, c->plain_len);
	return in;
}

/* HMAC(Ki, zero IV | @ct) into k->digest, @ct in @pieces */
static int krb5_rfc8009_mac(struct kunit *test, struct sspi_krb5_keys *k, const u8 *ct,
			    unsigned int len, unsigned int pieces)
{
	u8 *zero = kunit_kzalloc(test, SSPI_KRB5_BLOCK, GFP_KERNEL);
	struct scatterlist sg[4];

	KUNIT_ASSERT_NOT_NULL(test, zero);
	sg_init_table(sg, ARRAY_SIZE(sg));
	sg_set_buf(&sg[0], zero, SSPI_KRB5_BLOCK);
	krb5_scatter(test, sg, 1, ct, len, pieces);
	return sspi_krb5_mac(k, SSPI_KRB5_KI, sg, SSPI_KRB5_BLOCK + len);
}

static void sspi_krb5_rfc8009_enc_test(struct kunit *test)
{
	const struct krb5_rfc8009_case *c = test->param_value;
	struct sspi_krb5_keys *k = krb5_keys(test, c->etype, c->base, 2, 2);
	unsigned int mac_len = krb5_enctype(test, c->etype)->mac_len;
	unsigned int len = SSPI_KRB5_BLOCK + c->plain_len;
	u8 *in = krb5_rfc8009_input(test, c);
	u8 *out = kunit_kmalloc(test, len, GFP_KERNEL);
	struct scatterlist sg[3];
	unsigned int pieces, n;

	KUNIT_ASSERT_NOT_NULL(test, out);
	KUNIT_ASSERT_EQ(test, c->ct_len, len + mac_len);
	kunit_info(test, "driver: %s", sspi_krb5_driver(k));
	for (pieces = 1; pieces <= 3; pieces++) {
		sg_init_table(sg, ARRAY_SIZE(sg));
		n = krb5_scatter(test, sg, 0, in, len, pieces);
		KUNIT_EXPECT_EQ_MSG(test, sspi_krb5_cipher(k, true, sg, len), 0,
				    "%u pieces", pieces);
		sg_copy_to_buffer(sg, n, out, len);
		KUNIT_EXPECT_MEMEQ_MSG(test, out, c->ct, len, "%u pieces", pieces);

		/* the HMAC over the published ciphertext, not over ours */
		KUNIT_EXPECT_EQ(test, krb5_rfc8009_mac(test, k, c->ct, len, pieces), 0);
		KUNIT_EXPECT_MEMEQ_MSG(test, k->digest, c->ct + len, mac_len,
				       "%u pieces", pieces);

		KUNIT_EXPECT_EQ_MSG(test, sspi_krb5_cipher(k, false, sg, len), 0,
				    "%u pieces", pieces);
		sg_copy_to_buffer(sg, n, out, len);
		KUNIT_EXPECT_MEMEQ_MSG(test, out, in, len, "%u pieces", pieces);
	}
}

/* A flipped bit anywhere in the ciphertext changes the HMAC. */
static void sspi_krb5_rfc8009_tamper_test(struct kunit *test)
{
	const struct krb5_rfc8009_case *c = test->param_value;
	struct sspi_krb5_keys *k = krb5_keys(test, c->etype, c->base, 2, 2);
	unsigned int mac_len = krb5_enctype(test, c->etype)->mac_len;
	unsigned int len = SSPI_KRB5_BLOCK + c->plain_len;
	u8 *ct = kunit_kmalloc(test, len, GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, ct);
	for (i = 0; i < len; i++) {
		memcpy(ct, c->ct, len);
		ct[i] ^= 0x01;
		KUNIT_EXPECT_EQ(test, krb5_rfc8009_mac(test, k, ct, len, 1), 0);
		KUNIT_EXPECT_MEMNEQ_MSG(test, k->digest, c->ct + len, mac_len,
					"byte %u flipped", i);
	}
	/* and the untouched ciphertext still gives the published one */
	KUNIT_EXPECT_EQ(test, krb5_rfc8009_mac(test, k, c->ct, len, 1), 0);
	KUNIT_EXPECT_MEMEQ(test, k->digest, c->ct + len, mac_len);
}

/* RFC 8009 appendix A: sample checksums, under Kc of both usages */

struct krb5_mic_case {
	u32 etype;
	const u8 *base;
	const u8 *mic;
	unsigned int mic_len;
};

static const struct krb5_mic_case krb5_mics[] = {
	{ AES128_SHA256, rfc8009_aes128_base, rfc8009_aes128_mic, sizeof(rfc8009_aes128_mic) },
	{ AES256_SHA384, rfc8009_aes256_base, rfc8009_aes256_mic, sizeof(rfc8009_aes256_mic) },
};

static void krb5_mic_desc(const struct krb5_mic_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "RFC 8009 appendix A sample checksum: enctype %u",
		 c->etype);
}

KUNIT_ARRAY_PARAM(krb5_mic, krb5_mics, krb5_mic_desc);

static void sspi_krb5_rfc8009_mic_test(struct kunit *test)
{
	const struct krb5_mic_case *c = test->param_value;
	struct sspi_krb5_keys *k = krb5_keys(test, c->etype, c->base, 2, 2);
	struct scatterlist sg[3];
	unsigned int pieces;

	KUNIT_ASSERT_EQ(test, krb5_enctype(test, c->etype)->mac_len, c->mic_len);
	for (pieces = 1; pieces <= 3; pieces++) {
		sg_init_table(sg, ARRAY_SIZE(sg));
		krb5_scatter(test, sg, 0, rfc8009_plain, sizeof(rfc8009_plain), pieces);
		KUNIT_EXPECT_EQ(test, sspi_krb5_mac(k, SSPI_KRB5_KC_SIGN, sg,
						    sizeof(rfc8009_plain)), 0);
		KUNIT_EXPECT_MEMEQ_MSG(test, k->digest, c->mic, c->mic_len,
				       "Kc sign, %u pieces", pieces);
		KUNIT_EXPECT_EQ(test, sspi_krb5_mac(k, SSPI_KRB5_KC_SEAL, sg,
						    sizeof(rfc8009_plain)), 0);
		KUNIT_EXPECT_MEMEQ_MSG(test, k->digest, c->mic, c->mic_len,
				       "Kc seal, %u pieces", pieces);
	}
}

/*
 * sspi_krb5_keys_init with RFC 4121's initiator usages, seal 24 and sign
 * 25: Ke, Ki and Kc of the sealing usage, Kc of the signing one (computed
 * from the published base keys).
 */

struct krb5_usage_case {
	u32 etype;
	const u8 *base;
	const u8 *ct32, *ki_mac, *kc_seal_mac, *kc_sign_mac;
	unsigned int digest_len;
};

#define USAGE(e, b, v) \
	{ e, b, v##_u24_ct32, v##_u24_ki_mac, v##_u24_kc_mac, v##_u25_kc_mac, \
	  sizeof(v##_u24_ki_mac) }

static const struct krb5_usage_case krb5_usages[] = {
	USAGE(AES128_SHA1, mit_aes128_base, aes128_sha1),
	USAGE(AES256_SHA1, mit_aes256_base, aes256_sha1),
	USAGE(AES128_SHA256, rfc8009_aes128_base, aes128_sha256),
	USAGE(AES256_SHA384, rfc8009_aes256_base, aes256_sha384),
};

static void krb5_usage_desc(const struct krb5_usage_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE,
		 "RFC 4121 section 2 usages 24, 25 (computed): enctype %u", c->etype);
}

KUNIT_ARRAY_PARAM(krb5_usage, krb5_usages, krb5_usage_desc);

static void sspi_krb5_keys_usage_test(struct kunit *test)
{
	const struct krb5_usage_case *c = test->param_value;
	struct sspi_krb5_keys *k = krb5_keys(test, c->etype, c->base,
					     SSPI_KRB5_USAGE_INITIATOR_SEAL,
					     SSPI_KRB5_USAGE_INITIATOR_SIGN);
	u8 *buf = kunit_kmalloc(test, 32, GFP_KERNEL);
	struct scatterlist sg[3];

	KUNIT_ASSERT_NOT_NULL(test, buf);
	memcpy(buf, rfc3962_plain, 32);
	sg_init_one(sg, buf, 32);
	KUNIT_EXPECT_EQ(test, sspi_krb5_cipher(k, true, sg, 32), 0);
	KUNIT_EXPECT_MEMEQ_MSG(test, buf, c->ct32, 32, "Ke(24)");

	sg_init_table(sg, ARRAY_SIZE(sg));
	krb5_scatter(test, sg, 0, rfc8009_plain, sizeof(rfc8009_plain), 2);
	KUNIT_EXPECT_EQ(test, sspi_krb5_mac(k, SSPI_KRB5_KI, sg, sizeof(rfc8009_plain)), 0);
	KUNIT_EXPECT_MEMEQ_MSG(test, k->digest, c->ki_mac, c->digest_len, "Ki(24)");
	KUNIT_EXPECT_EQ(test, sspi_krb5_mac(k, SSPI_KRB5_KC_SEAL, sg,
					    sizeof(rfc8009_plain)), 0);
	KUNIT_EXPECT_MEMEQ_MSG(test, k->digest, c->kc_seal_mac, c->digest_len, "Kc(24)");
	KUNIT_EXPECT_EQ(test, sspi_krb5_mac(k, SSPI_KRB5_KC_SIGN, sg,
					    sizeof(rfc8009_plain)), 0);
	KUNIT_EXPECT_MEMEQ_MSG(test, k->digest, c->kc_sign_mac, c->digest_len, "Kc(25)");
}

/* What the layer refuses, and how it cleans up. */
static void sspi_krb5_errors_test(struct kunit *test)
{
	const struct sspi_krb5_enctype *et = krb5_enctype(test, AES128_SHA256);
	struct sspi_krb5_enctype *bad = kunit_kzalloc(test, sizeof(*bad), GFP_KERNEL);
	struct sspi_krb5_keys *k = kunit_kzalloc(test, sizeof(*k), GFP_KERNEL);
	u8 *buf = kunit_kzalloc(test, SSPI_KRB5_MAX_KEY, GFP_KERNEL);
	struct scatterlist sg;

	KUNIT_ASSERT_NOT_NULL(test, bad);
	KUNIT_ASSERT_NOT_NULL(test, k);
	KUNIT_ASSERT_NOT_NULL(test, buf);

	/* a kind that is none of Kc, Ke, Ki */
	KUNIT_EXPECT_EQ(test, sspi_krb5_derive_key(et, rfc8009_aes128_base, 2, 0x00, buf),
			-EINVAL);

	/* an algorithm the kernel lacks: nothing is left behind */
	*bad = *et;
	bad->cipher = "cts(cbc(no-such-cipher))";
	KUNIT_EXPECT_EQ(test, sspi_krb5_keys_init(k, bad, rfc8009_aes128_base, 2, 2), -ENOPKG);
	KUNIT_EXPECT_FALSE(test, memchr_inv(k, 0, sizeof(*k)));
	*bad = *et;
	bad->hmac = "hmac(no-such-hash)";
	KUNIT_EXPECT_EQ(test, sspi_krb5_keys_init(k, bad, rfc8009_aes128_base, 2, 2), -ENOPKG);
	KUNIT_EXPECT_FALSE(test, memchr_inv(k, 0, sizeof(*k)));
	/* destroying a state that never came up is harmless */
	sspi_krb5_keys_destroy(k);

	/* CTS needs a whole block */
	KUNIT_ASSERT_EQ(test, sspi_krb5_keys_init(k, et, rfc8009_aes128_base, 2, 2), 0);
	sg_init_one(&sg, buf, SSPI_KRB5_BLOCK - 1);
	KUNIT_EXPECT_EQ(test, sspi_krb5_cipher(k, true, &sg, SSPI_KRB5_BLOCK - 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, sspi_krb5_cipher(k, false, &sg, SSPI_KRB5_BLOCK - 1), -EINVAL);

	/* destroy zeroizes the state, digest included */
	sg_init_one(&sg, buf, SSPI_KRB5_MAX_KEY);
	KUNIT_EXPECT_EQ(test, sspi_krb5_mac(k, SSPI_KRB5_KC_SIGN, &sg, SSPI_KRB5_MAX_KEY), 0);
	sspi_krb5_keys_destroy(k);
	KUNIT_EXPECT_FALSE(test, memchr_inv(k, 0, sizeof(*k)));
}

static struct kunit_case sspi_krb5_crypto_test_cases[] = {
	KUNIT_CASE_PARAM(sspi_krb5_enctype_test, krb5_enctype_gen_params),
	KUNIT_CASE(sspi_krb5_enctype_unknown_test),
	KUNIT_CASE_PARAM(sspi_krb5_nfold_test, krb5_nfold_gen_params),
	KUNIT_CASE_PARAM(sspi_krb5_derive_key_test, krb5_derive_gen_params),
	KUNIT_CASE_PARAM(sspi_krb5_cts_test, krb5_cts_gen_params),
	KUNIT_CASE_PARAM(sspi_krb5_rfc3962_keys_test, krb5_rfc3962_gen_params),
	KUNIT_CASE_PARAM(sspi_krb5_rfc8009_enc_test, krb5_rfc8009_gen_params),
	KUNIT_CASE_PARAM(sspi_krb5_rfc8009_tamper_test, krb5_rfc8009_gen_params),
	KUNIT_CASE_PARAM(sspi_krb5_rfc8009_mic_test, krb5_mic_gen_params),
	KUNIT_CASE_PARAM(sspi_krb5_keys_usage_test, krb5_usage_gen_params),
	KUNIT_CASE(sspi_krb5_errors_test),
	{}
};

static struct kunit_suite sspi_krb5_crypto_test_suite = {
	.name = "sspi_krb5_crypto",
	.test_cases = sspi_krb5_crypto_test_cases,
};

kunit_test_suite(sspi_krb5_crypto_test_suite);
