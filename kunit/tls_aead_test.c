// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for sspi_kmod/tls_aead.c: AEAD transforms through the helper
 * the TLS record package uses, on published vectors.
 *
 * Vectors: RFC 8448 section 3 (TLS 1.3 application data records, AES-128-
 * GCM; the server's record is its second under these keys, sequence 1)
 * and RFC 8439 section 2.8.2 (ChaCha20-Poly1305).  Both were also checked
 * against Python's "cryptography" (OpenSSL) before being written here.
 */

#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/scatterlist.h>
#include <linux/string.h>

#include "../sspi_kmod/tls_aead.h"
#include "rfc8448.h"

#define RFC8448_HDR 5
#define RFC8448_INNER 51	/* 50 bytes 00..31 and content type 0x17 */
#define GCM_TAG 16

static void rfc8448_inner_plaintext(u8 *p)
{
	int i;

	for (i = 0; i < 50; i++)
		p[i] = i;
	p[50] = 0x17;
}

static void sspi_crypto_gcm_encrypt_test(struct kunit *test)
{
	struct sspi_aead *a = kunit_kzalloc(test, sizeof(*a), GFP_KERNEL);
	u8 *buf = kunit_kzalloc(test, sizeof(rfc8448_client_record), GFP_KERNEL);
	struct scatterlist sg;

	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, sspi_aead_init(a, "gcm(aes)", rfc8448_client_key,
					     sizeof(rfc8448_client_key), GCM_TAG), 0);
	kunit_info(test, "gcm(aes) driver: %s", sspi_aead_driver(a));
	KUNIT_EXPECT_NOT_NULL(test, strstr(sspi_aead_driver(a), "gcm"));

	memcpy(buf, rfc8448_client_record, RFC8448_HDR);
	rfc8448_inner_plaintext(buf + RFC8448_HDR);
	memcpy(a->iv, rfc8448_client_iv, sizeof(rfc8448_client_iv));
	sg_init_one(&sg, buf, sizeof(rfc8448_client_record));
	KUNIT_EXPECT_EQ(test, sspi_aead_run(a, true, &sg, &sg, RFC8448_HDR,
					    RFC8448_INNER), 0);
	KUNIT_EXPECT_MEMEQ(test, buf, rfc8448_client_record,
			   sizeof(rfc8448_client_record));
	sspi_aead_destroy(a);
}

static void sspi_crypto_gcm_decrypt_test(struct kunit *test)
{
	struct sspi_aead *a = kunit_kzalloc(test, sizeof(*a), GFP_KERNEL);
	u8 *buf = kunit_kzalloc(test, sizeof(rfc8448_server_record), GFP_KERNEL);
	u8 want[RFC8448_INNER];
	struct scatterlist sg;

	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	memcpy(buf, rfc8448_server_record, sizeof(rfc8448_server_record));
	KUNIT_ASSERT_EQ(test, sspi_aead_init(a, "gcm(aes)", rfc8448_server_key,
					     sizeof(rfc8448_server_key), GCM_TAG), 0);
	/* TLS 1.3 nonce: the IV XOR the record's sequence number (1) */
	memcpy(a->iv, rfc8448_server_iv, sizeof(rfc8448_server_iv));
	a->iv[11] ^= 1;
	sg_init_one(&sg, buf, sizeof(rfc8448_server_record));
	KUNIT_EXPECT_EQ(test, sspi_aead_run(a, false, &sg, &sg, RFC8448_HDR,
					    RFC8448_INNER + GCM_TAG), 0);
	rfc8448_inner_plaintext(want);
	KUNIT_EXPECT_MEMEQ(test, buf + RFC8448_HDR, want, RFC8448_INNER);
	sspi_aead_destroy(a);
}

/*
 * Any altered byte -- header, ciphertext, tag -- fails the tag check, and
 * no unverified plaintext is left where the ciphertext was.
 */
static void sspi_crypto_gcm_altered_test(struct kunit *test)
{
	struct sspi_aead *a = kunit_kzalloc(test, sizeof(*a), GFP_KERNEL);
	u8 *buf = kunit_kzalloc(test, sizeof(rfc8448_client_record), GFP_KERNEL);
	struct scatterlist sg;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, sspi_aead_init(a, "gcm(aes)", rfc8448_client_key,
					     sizeof(rfc8448_client_key), GCM_TAG), 0);
	for (i = 0; i < sizeof(rfc8448_client_record); i++) {
		memcpy(buf, rfc8448_client_record, sizeof(rfc8448_client_record));
		buf[i] ^= 0x01;
		memcpy(a->iv, rfc8448_client_iv, sizeof(rfc8448_client_iv));
		sg_init_one(&sg, buf, sizeof(rfc8448_client_record));
		KUNIT_EXPECT_EQ_MSG(test, sspi_aead_run(a, false, &sg, &sg, RFC8448_HDR,
							RFC8448_INNER + GCM_TAG),
				    -EBADMSG, "byte %u flipped", i);
		KUNIT_EXPECT_TRUE_MSG(test, !memchr_inv(buf + RFC8448_HDR, 0, RFC8448_INNER),
				      "byte %u flipped: text not zeroed", i);
	}
	sspi_aead_destroy(a);
}

static void sspi_crypto_chacha20poly1305_test(struct kunit *test)
{
	/* RFC 8439's plaintext, in two halves to keep lines short */
	static const char pt1[] = "Ladies and Gentlemen of the class of '99: ";
	static const char pt2[] =
		"If I could offer you only one tip for the future, sunscreen would be it.";
	const unsigned int ptlen = sizeof(pt1) - 1 + sizeof(pt2) - 1;
	static const u8 nonce[12] = {
		0x07, 0x00, 0x00, 0x00, 0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47,
	};
	static const u8 aad[12] = {
		0x50, 0x51, 0x52, 0x53, 0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7,
	};
	static const u8 ct[114 + 16] = {
		0xd3, 0x1a, 0x8d, 0x34, 0x64, 0x8e, 0x60, 0xdb, 0x7b, 0x86, 0xaf, 0xbc,
		0x53, 0xef, 0x7e, 0xc2, 0xa4, 0xad, 0xed, 0x51, 0x29, 0x6e, 0x08, 0xfe,
		0xa9, 0xe2, 0xb5, 0xa7, 0x36, 0xee, 0x62, 0xd6, 0x3d, 0xbe, 0xa4, 0x5e,
		0x8c, 0xa9, 0x67, 0x12, 0x82, 0xfa, 0xfb, 0x69, 0xda, 0x92, 0x72, 0x8b,
		0x1a, 0x71, 0xde, 0x0a, 0x9e, 0x06, 0x0b, 0x29, 0x05, 0xd6, 0xa5, 0xb6,
		0x7e, 0xcd, 0x3b, 0x36, 0x92, 0xdd, 0xbd, 0x7f, 0x2d, 0x77, 0x8b, 0x8c,
		0x98, 0x03, 0xae, 0xe3, 0x28, 0x09, 0x1b, 0x58, 0xfa, 0xb3, 0x24, 0xe4,
		0xfa, 0xd6, 0x75, 0x94, 0x55, 0x85, 0x80, 0x8b, 0x48, 0x31, 0xd7, 0xbc,
		0x3f, 0xf4, 0xde, 0xf0, 0x8e, 0x4b, 0x7a, 0x9d, 0xe5, 0x76, 0xd2, 0x65,
		0x86, 0xce, 0xc6, 0x4b, 0x61, 0x16,
		0x1a, 0xe1, 0x0b, 0x59, 0x4f, 0x09, 0xe2, 0x6a, 0x7e, 0x90, 0x2e, 0xcb,
		0xd0, 0x60, 0x06, 0x91,
	};
	struct sspi_aead *a = kunit_kzalloc(test, sizeof(*a), GFP_KERNEL);
	u8 *buf = kunit_kzalloc(test, sizeof(aad) + sizeof(ct), GFP_KERNEL);
	struct scatterlist sg;
	u8 key[32];
	int i;

	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (i = 0; i < 32; i++)
		key[i] = 0x80 + i;
	KUNIT_ASSERT_EQ(test, sspi_aead_init(a, "rfc7539(chacha20,poly1305)", key,
					     sizeof(key), 16), 0);
	kunit_info(test, "chacha20-poly1305 driver: %s", sspi_aead_driver(a));

	KUNIT_ASSERT_EQ(test, ptlen + 16, sizeof(ct));
	memcpy(buf, aad, sizeof(aad));
	memcpy(buf + sizeof(aad), pt1, sizeof(pt1) - 1);
	memcpy(buf + sizeof(aad) + sizeof(pt1) - 1, pt2, sizeof(pt2) - 1);
	memcpy(a->iv, nonce, sizeof(nonce));
	sg_init_one(&sg, buf, sizeof(aad) + sizeof(ct));
	KUNIT_EXPECT_EQ(test, sspi_aead_run(a, true, &sg, &sg, sizeof(aad), ptlen), 0);
	KUNIT_EXPECT_MEMEQ(test, buf + sizeof(aad), ct, sizeof(ct));

	KUNIT_EXPECT_EQ(test, sspi_aead_run(a, false, &sg, &sg, sizeof(aad),
					    sizeof(ct)), 0);
	KUNIT_EXPECT_MEMEQ(test, buf + sizeof(aad), pt1, sizeof(pt1) - 1);
	KUNIT_EXPECT_MEMEQ(test, buf + sizeof(aad) + sizeof(pt1) - 1, pt2,
			   sizeof(pt2) - 1);
	sspi_aead_destroy(a);
}

static void sspi_crypto_errors_test(struct kunit *test)
{
	struct sspi_aead *a = kunit_kzalloc(test, sizeof(*a), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_EXPECT_EQ(test, sspi_aead_init(a, "gcm(no-such-cipher)", rfc8448_client_key,
					     16, GCM_TAG), -ENOPKG);
	KUNIT_EXPECT_NULL(test, a->tfm);
	KUNIT_EXPECT_EQ(test, sspi_aead_init(a, "gcm(aes)", rfc8448_client_key, 15,
					     GCM_TAG), -EINVAL);
	KUNIT_EXPECT_NULL(test, a->tfm);
	KUNIT_EXPECT_EQ(test, sspi_aead_init(a, "gcm(aes)", rfc8448_client_key, 16, 3),
			-EINVAL);
	KUNIT_EXPECT_NULL(test, a->tfm);
	/* destroying a state that never came up is harmless */
	sspi_aead_destroy(a);
}

static struct kunit_case sspi_tls_aead_test_cases[] = {
	KUNIT_CASE(sspi_crypto_gcm_encrypt_test),
	KUNIT_CASE(sspi_crypto_gcm_decrypt_test),
	KUNIT_CASE(sspi_crypto_gcm_altered_test),
	KUNIT_CASE(sspi_crypto_chacha20poly1305_test),
	KUNIT_CASE(sspi_crypto_errors_test),
	{}
};

static struct kunit_suite sspi_tls_aead_test_suite = {
	.name = "sspi_tls_aead",
	.test_cases = sspi_tls_aead_test_cases,
};

kunit_test_suite(sspi_tls_aead_test_suite);
