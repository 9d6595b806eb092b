// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for sspi_kmod/tls_record.c through the kernel API
 * (sspi_context_import, sspi_encrypt, sspi_decrypt).
 *
 * Vectors: RFC 8448 section 3 (TLS 1.3, AES-128-GCM; the server's
 * application record is its second under its keys, sequence 1), and TLS
 * 1.2 AES-128-GCM and ChaCha20-Poly1305 records computed with Python's
 * "cryptography" by tests/vectors/tls12_records.py.
 */

#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <sspi_kmod/sspi.h>

#include "../sspi_kmod/compat.h"
#include "../sspi_kmod/context.h"
#include "../sspi_kmod/tls_aead.h"
#include "harness.h"
#include "rfc8448.h"

/* tests/vectors/tls12_records.py: seq 5, explicit nonce 0001020304050607 */
static const u8 gcm12_rec[69] = {
	0x17, 0x03, 0x03, 0x00, 0x40, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06,
	0x07, 0xaa, 0x65, 0xa0, 0xdb, 0xfd, 0xce, 0x4d, 0xcc, 0x16, 0xa6, 0x02,
	0xe8, 0x3d, 0xd1, 0x3a, 0x83, 0x01, 0x93, 0xe7, 0xfb, 0x33, 0xf0, 0x96,
	0x2c, 0xf4, 0xca, 0x16, 0x5d, 0x8b, 0x21, 0xa5, 0xcc, 0x24, 0xc4, 0xb3,
	0x56, 0xe4, 0x88, 0xd0, 0xdc, 0x28, 0x50, 0xed, 0x74, 0x8a, 0xbd, 0x60,
	0x82, 0x2b, 0x08, 0x0e, 0x25, 0x53, 0x9c, 0x8e, 0xb2,
};

/* tests/vectors/tls12_records.py: seq 7 */
static const u8 chacha12_rec[61] = {
	0x17, 0x03, 0x03, 0x00, 0x38, 0xc5, 0x05, 0x87, 0xde, 0x25, 0x96, 0xfa,
	0xbb, 0x65, 0xef, 0x95, 0xc1, 0x58, 0x8a, 0x4c, 0xb5, 0x97, 0x37, 0xd9,
	0xe6, 0xc5, 0x86, 0xe0, 0x6d, 0x9c, 0xd4, 0xf9, 0xae, 0xe0, 0x75, 0xd5,
	0x9c, 0xda, 0xae, 0x81, 0x2e, 0x84, 0x70, 0x84, 0x79, 0xa9, 0x4e, 0x46,
	0x73, 0x7d, 0x3c, 0xb2, 0xd8, 0x9c, 0x77, 0x61, 0x17, 0xab, 0x4e, 0x89,
	0x74,
};

static void tls_set_keys(struct sspi_tls_keys *k, const u8 *key, unsigned int keylen,
			 const u8 *iv, u64 seq)
{
	memcpy(k->key, key, keylen);
	memcpy(k->iv, iv, 12);
	put_unaligned_be64(seq, k->rec_seq);
}

static struct sspi_context *tls_ctx(struct kunit *test, struct sspi_tls_import *imp)
{
	return sspi_kunit_import(test, "Schannel", imp, sizeof(*imp));
}

/* Seal @len bytes at @data into @rec; returns the record's length or < 0. */
static int tls_seal(struct sspi_context *ctx, u32 qop, const u8 *data, u32 len, u8 *rec)
{
	struct sspi_buffer b[4] = {
		{ .type = SSPI_SECBUFFER_STREAM_HEADER, .len = 13, .data = rec },
		{ .type = SSPI_SECBUFFER_DATA, .len = len, .data = rec + 13 },
		{ .type = SSPI_SECBUFFER_STREAM_TRAILER, .len = 17, .data = rec + 13 + len },
		{ .type = SSPI_SECBUFFER_EMPTY },
	};
	struct sspi_message msg = { .count = 4, .buffers = b };
	int err;

	memcpy(rec + 13, data, len);
	err = sspi_encrypt(ctx, qop, &msg, 0);
	if (err)
		return err;
	/* close the gaps: header, data, trailer back to back */
	memmove(rec + b[0].len, rec + 13, len);
	memmove(rec + b[0].len + len, rec + 13 + len, b[2].len);
	return b[0].len + len + b[2].len;
}

static int tls_unseal(struct sspi_context *ctx, u8 *rec, u32 len, struct sspi_buffer *b,
		      u32 *qop)
{
	struct sspi_message msg = { .count = 4, .buffers = b };

	b[0] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_DATA, .len = len, .data = rec };
	b[1] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_EMPTY };
	b[2] = b[1];
	b[3] = b[1];
	return sspi_decrypt(ctx, &msg, 0, qop);
}

static void rfc8448_import(struct sspi_tls_import *imp)
{
	memset(imp, 0, sizeof(*imp));
	imp->version = SSPI_TLS_VERSION_1_3;
	imp->cipher = SSPI_TLS_CIPHER_AES_GCM_128;
	tls_set_keys(&imp->tx, rfc8448_client_key, 16, rfc8448_client_iv, 0);
	tls_set_keys(&imp->rx, rfc8448_server_key, 16, rfc8448_server_iv, 1);
}

/* The client's record of RFC 8448, byte for byte. */
static void sspi_tls_rfc8448_seal_test(struct kunit *test)
{
	u8 *rec = kunit_kzalloc(test, 128, GFP_KERNEL), data[50];
	struct sspi_tls_import imp;
	struct sspi_context *ctx;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, rec);
	rfc8448_import(&imp);
	ctx = tls_ctx(test, &imp);
	for (i = 0; i < 50; i++)
		data[i] = i;
	KUNIT_ASSERT_EQ(test, tls_seal(ctx, 0, data, 50, rec), 72);
	KUNIT_EXPECT_MEMEQ(test, rec, rfc8448_client_record, 72);
}

/* The server's record, with three bytes of the next one behind it. */
static void sspi_tls_rfc8448_unseal_test(struct kunit *test)
{
	u8 *rec = kunit_kzalloc(test, 75, GFP_KERNEL);
	struct sspi_tls_import imp;
	struct sspi_context *ctx;
	struct sspi_buffer b[4];
	u32 qop = 0xdead;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, rec);
	rfc8448_import(&imp);
	ctx = tls_ctx(test, &imp);
	memcpy(rec, rfc8448_server_record, 72);
	memset(rec + 72, 0x17, 3);
	KUNIT_ASSERT_EQ(test, tls_unseal(ctx, rec, 75, b, &qop), 0);
	KUNIT_EXPECT_EQ(test, qop, 0);
	KUNIT_EXPECT_EQ(test, b[0].type, SSPI_SECBUFFER_STREAM_HEADER);
	KUNIT_EXPECT_PTR_EQ(test, b[0].data, (void *)rec);
	KUNIT_EXPECT_EQ(test, b[0].len, 5);
	KUNIT_EXPECT_EQ(test, b[1].type, SSPI_SECBUFFER_DATA);
	KUNIT_EXPECT_PTR_EQ(test, b[1].data, (void *)(rec + 5));
	KUNIT_ASSERT_EQ(test, b[1].len, 50);
	for (i = 0; i < 50; i++)
		KUNIT_EXPECT_EQ(test, rec[5 + i], i);
	KUNIT_EXPECT_EQ(test, b[2].type, SSPI_SECBUFFER_STREAM_TRAILER);
	KUNIT_EXPECT_EQ(test, b[2].len, 17);
	KUNIT_EXPECT_EQ(test, b[3].type, SSPI_SECBUFFER_EXTRA);
	KUNIT_EXPECT_PTR_EQ(test, b[3].data, (void *)(rec + 72));
	KUNIT_EXPECT_EQ(test, b[3].len, 3);
}

#define TLS12_TAG 16

static void tls12_pt(u8 *pt)
{
	int i;

	for (i = 0; i < 40; i++)
		pt[i] = i * 7 + 3;
}

/*
 * Seal the vector plaintext to @want and unseal @want back, with @keylen
 * bytes of key @key0, @key0 + 1, ... and both directions at @seq.
 */
static void tls12_vector(struct kunit *test, u16 cipher, u8 key0, unsigned int keylen,
			 const u8 *iv, u64 seq, const u8 *want, unsigned int wantlen)
{
	u8 *rec = kunit_kzalloc(test, 128, GFP_KERNEL), key[32], pt[40];
	struct sspi_tls_import imp = {
		.version = SSPI_TLS_VERSION_1_2,
		.cipher = cipher,
	};
	struct sspi_context *ctx;
	struct sspi_buffer b[4];
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, rec);
	tls12_pt(pt);
	for (i = 0; i < keylen; i++)
		key[i] = key0 + i;
	tls_set_keys(&imp.tx, key, keylen, iv, seq);
	tls_set_keys(&imp.rx, key, keylen, iv, seq);
	ctx = tls_ctx(test, &imp);
	KUNIT_ASSERT_EQ(test, tls_seal(ctx, 0, pt, 40, rec), wantlen);
	KUNIT_EXPECT_MEMEQ(test, rec, want, wantlen);
	KUNIT_ASSERT_EQ(test, tls_unseal(ctx, rec, wantlen, b, NULL), 0);
	KUNIT_EXPECT_EQ(test, b[0].len, wantlen - 40 - TLS12_TAG);
	KUNIT_ASSERT_EQ(test, b[1].len, 40);
	KUNIT_EXPECT_MEMEQ(test, b[1].data, pt, 40);
	KUNIT_EXPECT_EQ(test, b[2].len, TLS12_TAG);
	KUNIT_EXPECT_EQ(test, b[3].type, SSPI_SECBUFFER_EMPTY);
}

static const u8 tls12_gcm_iv[12] = {
	0xa0, 0xa1, 0xa2, 0xa3, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
};

static const u8 tls12_chacha_iv[12] = {
	0xb0, 0xb1, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xbb,
};

/* a TLS 1.2 record of an independent implementation (tls12_records.py) */
struct tls12_vector_case {
	const char *desc;
	u16 cipher;
	u8 key0;
	unsigned int keylen;
	const u8 *iv;
	u64 seq;
	const u8 *rec;
	unsigned int reclen;
};

static const struct tls12_vector_case tls12_vectors[] = {
	/* header 13 bytes: 5 and the explicit nonce */
	{ "RFC 5288 section 3 AES-128-GCM, seq 5 (tls12_records.py)",
	  SSPI_TLS_CIPHER_AES_GCM_128, 0x10, 16, tls12_gcm_iv, 5, gcm12_rec, sizeof(gcm12_rec) },
	/* header 5 bytes: the nonce is the IV XOR the sequence number */
	{ "RFC 7905 section 2 ChaCha20-Poly1305, seq 7 (tls12_records.py)",
	  SSPI_TLS_CIPHER_CHACHA20_POLY1305, 0x40, 32, tls12_chacha_iv, 7, chacha12_rec,
	  sizeof(chacha12_rec) },
};

static void tls12_vector_desc(const struct tls12_vector_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(tls12_vector, tls12_vectors, tls12_vector_desc);

/* TLS 1.2 records of an independent implementation, both ways. */
static void sspi_tls12_vectors_test(struct kunit *test)
{
	const struct tls12_vector_case *c = test->param_value;

	tls12_vector(test, c->cipher, c->key0, c->keylen, c->iv, c->seq, c->rec, c->reclen);
}

struct tls_variant {
	u16 version;
	u16 cipher;
	unsigned int keylen;
	const char *desc;
};

static const struct tls_variant tls_variants[] = {
	{ SSPI_TLS_VERSION_1_2, SSPI_TLS_CIPHER_AES_GCM_128, 16, "TLS 1.2 AES-128-GCM" },
	{ SSPI_TLS_VERSION_1_2, SSPI_TLS_CIPHER_AES_GCM_256, 32, "TLS 1.2 AES-256-GCM" },
	{ SSPI_TLS_VERSION_1_2, SSPI_TLS_CIPHER_CHACHA20_POLY1305, 32, "TLS 1.2 ChaCha20" },
	{ SSPI_TLS_VERSION_1_3, SSPI_TLS_CIPHER_AES_GCM_128, 16, "TLS 1.3 AES-128-GCM" },
	{ SSPI_TLS_VERSION_1_3, SSPI_TLS_CIPHER_AES_GCM_256, 32, "TLS 1.3 AES-256-GCM" },
	{ SSPI_TLS_VERSION_1_3, SSPI_TLS_CIPHER_CHACHA20_POLY1305, 32, "TLS 1.3 ChaCha20" },
};

static void tls_variant_desc(const struct tls_variant *v, char *desc)
{
	strscpy(desc, v->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(tls_variant, tls_variants, tls_variant_desc);

static struct sspi_context *tls_loopback(struct kunit *test, const struct tls_variant *v)
{
	struct sspi_tls_import imp = { .version = v->version, .cipher = v->cipher };
	u8 key[32], iv[12];
	int i;

	for (i = 0; i < 32; i++)
		key[i] = 0x20 + i;
	for (i = 0; i < 12; i++)
		iv[i] = 0x60 + i;
	tls_set_keys(&imp.tx, key, v->keylen, iv, 1000);
	tls_set_keys(&imp.rx, key, v->keylen, iv, 1000);
	return tls_ctx(test, &imp);
}

/* Records of every size class come back as they went, in order. */
static void sspi_tls_round_trip_test(struct kunit *test)
{
	static const u32 sizes[] = { 0, 1, 64, 1000, 16384 };
	u8 *pt = kunit_kzalloc(test, 16384, GFP_KERNEL);
	u8 *rec = kunit_kzalloc(test, 16384 + 64, GFP_KERNEL);
	struct sspi_context *ctx = tls_loopback(test, test->param_value);
	struct sspi_buffer b[4];
	int i, n;

	KUNIT_ASSERT_NOT_NULL(test, pt);
	KUNIT_ASSERT_NOT_NULL(test, rec);
	for (i = 0; i < 16384; i++)
		pt[i] = i ^ (i >> 8);
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		n = tls_seal(ctx, 0, pt, sizes[i], rec);
		KUNIT_ASSERT_GT(test, n, 0);
		KUNIT_ASSERT_EQ(test, tls_unseal(ctx, rec, n, b, NULL), 0);
		KUNIT_ASSERT_EQ(test, b[1].len, sizes[i]);
		KUNIT_EXPECT_MEMEQ(test, b[1].data, pt, sizes[i]);
	}
	/* a record received twice is refused: its sequence number is past */
	n = tls_seal(ctx, 0, pt, 10, rec);
	KUNIT_ASSERT_GT(test, n, 0);
	memcpy(rec + 8192, rec, n);
	KUNIT_ASSERT_EQ(test, tls_unseal(ctx, rec, n, b, NULL), 0);
	KUNIT_EXPECT_EQ(test, tls_unseal(ctx, rec + 8192, n, b, NULL), -EBADMSG);
}

/* close_notify ends the context; other alerts come back as OOB data. */
static void sspi_tls_alert_test(struct kunit *test)
{
	static const u8 close_notify[2] = { 1, 0 }, bad_record_mac[2] = { 2, 20 };
	u8 *rec = kunit_kzalloc(test, 64, GFP_KERNEL);
	struct sspi_context *ctx = tls_loopback(test, test->param_value);
	struct sspi_buffer b[4];
	u32 qop = 0;
	int n;

	KUNIT_ASSERT_NOT_NULL(test, rec);
	n = tls_seal(ctx, SSPI_SECQOP_WRAP_OOB_DATA, bad_record_mac, 2, rec);
	KUNIT_ASSERT_GT(test, n, 0);
	KUNIT_EXPECT_EQ(test, tls_unseal(ctx, rec, n, b, &qop), 0);
	KUNIT_EXPECT_EQ(test, qop, SSPI_SECQOP_WRAP_OOB_DATA);
	KUNIT_EXPECT_MEMEQ(test, b[1].data, bad_record_mac, 2);

	n = tls_seal(ctx, SSPI_SECQOP_WRAP_OOB_DATA, close_notify, 2, rec);
	KUNIT_ASSERT_GT(test, n, 0);
	KUNIT_EXPECT_EQ(test, tls_unseal(ctx, rec, n, b, &qop), SSPI_I_CONTEXT_EXPIRED);

	KUNIT_EXPECT_EQ(test, tls_seal(ctx, SSPI_SECQOP_WRAP_OOB_DATA, close_notify, 1, rec),
			-EINVAL);
}

/* Partial records ask for the rest and consume nothing. */
static void sspi_tls_incomplete_test(struct kunit *test)
{
	u8 *rec = kunit_kzalloc(test, 72, GFP_KERNEL);
	struct sspi_tls_import imp;
	struct sspi_context *ctx;
	struct sspi_buffer b[4];

	KUNIT_ASSERT_NOT_NULL(test, rec);
	rfc8448_import(&imp);
	ctx = tls_ctx(test, &imp);
	memcpy(rec, rfc8448_server_record, 72);

	KUNIT_EXPECT_EQ(test, tls_unseal(ctx, rec, 3, b, NULL), -ENODATA);
	KUNIT_EXPECT_EQ(test, b[1].type, SSPI_SECBUFFER_MISSING);
	KUNIT_EXPECT_EQ(test, b[1].len, 2);
	KUNIT_EXPECT_EQ(test, tls_unseal(ctx, rec, 40, b, NULL), -ENODATA);
	KUNIT_EXPECT_EQ(test, b[1].type, SSPI_SECBUFFER_MISSING);
	KUNIT_EXPECT_EQ(test, b[1].len, 32);
	KUNIT_EXPECT_MEMEQ(test, rec, rfc8448_server_record, 72);
	KUNIT_EXPECT_EQ(test, tls_unseal(ctx, rec, 72, b, NULL), 0);
}

/* Any altered byte fails, leaves no plaintext, and consumes nothing. */
static void sspi_tls_altered_test(struct kunit *test)
{
	u8 *rec = kunit_kzalloc(test, 72, GFP_KERNEL);
	struct sspi_tls_import imp;
	struct sspi_context *ctx;
	struct sspi_buffer b[4];
	int i;

	KUNIT_ASSERT_NOT_NULL(test, rec);
	rfc8448_import(&imp);
	ctx = tls_ctx(test, &imp);
	/* the length bytes (3, 4) make it another record size: skip them */
	for (i = 0; i < 72; i++) {
		if (i == 3 || i == 4)
			continue;
		memcpy(rec, rfc8448_server_record, 72);
		rec[i] ^= 0x80;
		KUNIT_EXPECT_NE_MSG(test, tls_unseal(ctx, rec, 72, b, NULL), 0,
				    "byte %d altered", i);
		if (i >= 5)
			KUNIT_EXPECT_TRUE_MSG(test, !memchr_inv(rec + 5, 0, 51),
					      "byte %d altered: text left behind", i);
	}
	memcpy(rec, rfc8448_server_record, 72);
	KUNIT_EXPECT_EQ(test, tls_unseal(ctx, rec, 72, b, NULL), 0);
}

/*
 * EncryptMessage calls refused before anything is written, on RFC 8448's
 * client context (TLS 1.3: a 5-byte header, a 17-byte trailer).
 */
struct tls_bad_encrypt_case {
	const char *desc;
	u32 hdr_len;
	u32 data_type;
	u32 data_len;
	u32 trl_len;
	u32 qop;
	u32 seqno;
	int err;
};

static const struct tls_bad_encrypt_case tls_bad_encrypts[] = {
	{ "STREAM_HEADER shorter than the header", 4, SSPI_SECBUFFER_DATA, 8, 17, 0, 0,
	  -ENOBUFS },
	{ "STREAM_TRAILER shorter than type and tag", 5, SSPI_SECBUFFER_DATA, 8, 16, 0, 0,
	  -ENOBUFS },
	{ "a caller sequence number", 5, SSPI_SECBUFFER_DATA, 8, 17, 0, 1, -EINVAL },
	{ "a QOP Schannel does not have", 5, SSPI_SECBUFFER_DATA, 8, 17, 0x1234, 0,
	  -ENOPROTOOPT },
	{ "DATA over 2^14 bytes", 5, SSPI_SECBUFFER_DATA, 16385, 17, 0, 0, -EINVAL },
	{ "no DATA buffer", 5, SSPI_SECBUFFER_TOKEN, 8, 17, 0, 0, -EINVAL },
};

static void tls_bad_encrypt_desc(const struct tls_bad_encrypt_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(tls_bad_encrypt, tls_bad_encrypts, tls_bad_encrypt_desc);

#define TLS_BAD_ROOM (16384 + 64)

static void sspi_tls_bad_encrypt_test(struct kunit *test)
{
	const struct tls_bad_encrypt_case *c = test->param_value;
	u8 *rec = kunit_kzalloc(test, TLS_BAD_ROOM, GFP_KERNEL), data[50];
	struct sspi_buffer b[4] = {
		{ .type = SSPI_SECBUFFER_STREAM_HEADER, .len = c->hdr_len },
		{ .type = c->data_type, .len = c->data_len },
		{ .type = SSPI_SECBUFFER_STREAM_TRAILER, .len = c->trl_len },
		{ .type = SSPI_SECBUFFER_EMPTY },
	};
	struct sspi_message msg = { .count = 4, .buffers = b };
	struct sspi_tls_import imp;
	struct sspi_context *ctx;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, rec);
	rfc8448_import(&imp);
	ctx = tls_ctx(test, &imp);
	b[0].data = rec;
	b[1].data = rec + 16;
	b[2].data = rec + 16 + c->data_len + 16;
	KUNIT_EXPECT_EQ(test, sspi_encrypt(ctx, c->qop, &msg, c->seqno), c->err);
	KUNIT_EXPECT_FALSE_MSG(test, memchr_inv(rec, 0, TLS_BAD_ROOM), "a refused call wrote");

	/* and the context's state did not move: RFC 8448's record comes out */
	for (i = 0; i < 50; i++)
		data[i] = i;
	KUNIT_ASSERT_EQ(test, tls_seal(ctx, 0, data, 50, rec), 72);
	KUNIT_EXPECT_MEMEQ(test, rec, rfc8448_client_record, 72);
}

/*
 * EncryptMessage layouts the package cannot seal into one record, refused
 * before anything is written or a sequence number used: a second DATA
 * (which would stay in the clear), a flagged buffer (a transport does not
 * copy a read-only buffer back, so its sealed bytes would be lost), a
 * buffer Schannel does not take.
 */
struct tls_bad_layout_case {
	const char *desc;
	u32 type[4];
};

#define TLS_RO		SSPI_SECBUFFER_READONLY
#define TLS_RO_CK	SSPI_SECBUFFER_READONLY_WITH_CHECKSUM

static const struct tls_bad_layout_case tls_bad_layouts[] = {
	{ "two DATA buffers", { SSPI_SECBUFFER_STREAM_HEADER, SSPI_SECBUFFER_DATA,
				SSPI_SECBUFFER_DATA, SSPI_SECBUFFER_STREAM_TRAILER } },
	{ "DATA read-only", { SSPI_SECBUFFER_STREAM_HEADER, SSPI_SECBUFFER_DATA | TLS_RO,
			      SSPI_SECBUFFER_STREAM_TRAILER, SSPI_SECBUFFER_EMPTY } },
	{ "DATA read-only with checksum",
	  { SSPI_SECBUFFER_STREAM_HEADER, SSPI_SECBUFFER_DATA | TLS_RO_CK,
	    SSPI_SECBUFFER_STREAM_TRAILER, SSPI_SECBUFFER_EMPTY } },
	{ "STREAM_HEADER read-only",
	  { SSPI_SECBUFFER_STREAM_HEADER | TLS_RO, SSPI_SECBUFFER_DATA,
	    SSPI_SECBUFFER_STREAM_TRAILER, SSPI_SECBUFFER_EMPTY } },
	{ "two STREAM_TRAILER buffers",
	  { SSPI_SECBUFFER_STREAM_HEADER, SSPI_SECBUFFER_DATA,
	    SSPI_SECBUFFER_STREAM_TRAILER, SSPI_SECBUFFER_STREAM_TRAILER } },
	{ "a TOKEN buffer", { SSPI_SECBUFFER_STREAM_HEADER, SSPI_SECBUFFER_DATA,
			      SSPI_SECBUFFER_STREAM_TRAILER, SSPI_SECBUFFER_TOKEN } },
};

static void tls_bad_layout_desc(const struct tls_bad_layout_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(tls_bad_layout, tls_bad_layouts, tls_bad_layout_desc);

static void sspi_tls_bad_layout_test(struct kunit *test)
{
	const struct tls_bad_layout_case *c = test->param_value;
	u8 *room = kunit_kmalloc(test, 4 * 32, GFP_KERNEL);
	u8 *copy = kunit_kmalloc(test, 4 * 32, GFP_KERNEL), data[50];
	struct sspi_buffer b[4];
	struct sspi_message msg = { .count = 4, .buffers = b };
	struct sspi_context_info info;
	struct sspi_tls_import imp;
	struct sspi_context *ctx;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, room);
	KUNIT_ASSERT_NOT_NULL(test, copy);
	rfc8448_import(&imp);
	ctx = tls_ctx(test, &imp);
	for (i = 0; i < 4 * 32; i++)
		room[i] = i * 5 + 1;
	memcpy(copy, room, 4 * 32);
	/* 24 bytes each: room for any header, trailer or text here */
	for (i = 0; i < 4; i++)
		b[i] = (struct sspi_buffer){ .type = c->type[i], .len = 24,
					     .data = room + 32 * i };
	KUNIT_EXPECT_EQ(test, sspi_encrypt(ctx, 0, &msg, 0), -EINVAL);
	KUNIT_EXPECT_MEMEQ_MSG(test, room, copy, 4 * 32, "a refused call wrote");
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_EQ(test, b[i].len, 24);
	KUNIT_ASSERT_EQ(test, sspi_query(ctx, &info), 0);
	KUNIT_EXPECT_EQ(test, info.tx_seq, 0);

	/* nothing consumed: RFC 8448's record, sequence 0, comes out */
	for (i = 0; i < 50; i++)
		data[i] = i;
	KUNIT_ASSERT_EQ(test, tls_seal(ctx, 0, data, 50, room), 72);
	KUNIT_EXPECT_MEMEQ(test, room, rfc8448_client_record, 72);
}

/*
 * An EncryptMessage that passes the layout and size checks but whose text
 * the crypto API cannot be given -- in more scatterlist pieces than a
 * record's list holds, or in vmalloc memory -- fails before a byte is
 * written: the caller's header and trailer keep what they held.
 */
static void sspi_tls_encrypt_unwritten_test(struct kunit *test)
{
	const unsigned int pieces = 40, piece = 8;
	u8 *hdr = kunit_kmalloc(test, 5, GFP_KERNEL), *trl = kunit_kmalloc(test, 17, GFP_KERNEL);
	u8 *text = kunit_kmalloc(test, pieces * piece, GFP_KERNEL);
	u8 *rec = kunit_kzalloc(test, 128, GFP_KERNEL), data[50];
	struct scatterlist *sg = kunit_kmalloc_array(test, pieces, sizeof(*sg), GFP_KERNEL);
	struct sspi_buffer b[4] = {
		{ .type = SSPI_SECBUFFER_STREAM_HEADER, .len = 5 },
		{ .type = SSPI_SECBUFFER_DATA },
		{ .type = SSPI_SECBUFFER_STREAM_TRAILER, .len = 17 },
		{ .type = SSPI_SECBUFFER_EMPTY },
	};
	struct sspi_message msg = { .count = 4, .buffers = b };
	struct sspi_tls_import imp;
	struct sspi_context *ctx;
	u8 *vtext;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, hdr);
	KUNIT_ASSERT_NOT_NULL(test, trl);
	KUNIT_ASSERT_NOT_NULL(test, text);
	KUNIT_ASSERT_NOT_NULL(test, rec);
	KUNIT_ASSERT_NOT_NULL(test, sg);
	rfc8448_import(&imp);
	ctx = tls_ctx(test, &imp);
	b[0].data = hdr;
	b[2].data = trl;

	/* forty pieces of text: more than a record's scatterlist takes */
	memset(text, 0x3c, pieces * piece);
	sg_init_table(sg, pieces);
	for (i = 0; i < pieces; i++)
		sg_set_buf(&sg[i], text + i * piece, piece);
	b[1].len = pieces * piece;
	b[1].sg = sg;
	memset(hdr, 0xaa, 5);
	memset(trl, 0xaa, 17);
	KUNIT_EXPECT_EQ(test, sspi_encrypt(ctx, 0, &msg, 0), -EINVAL);
	KUNIT_EXPECT_FALSE_MSG(test, memchr_inv(hdr, 0xaa, 5), "the header was written");
	KUNIT_EXPECT_FALSE_MSG(test, memchr_inv(trl, 0xaa, 17), "the trailer was written");
	KUNIT_EXPECT_FALSE(test, memchr_inv(text, 0x3c, pieces * piece));
	KUNIT_EXPECT_EQ(test, b[0].len, 5);
	KUNIT_EXPECT_EQ(test, b[2].len, 17);

	/* vmalloc memory: no scatterlist entry can point at it directly */
	vtext = vmalloc(64);
	KUNIT_ASSERT_NOT_NULL(test, vtext);
	memset(vtext, 0x3c, 64);
	b[1] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_DATA, .len = 64, .data = vtext };
	KUNIT_EXPECT_EQ(test, sspi_encrypt(ctx, 0, &msg, 0), -EINVAL);
	KUNIT_EXPECT_FALSE_MSG(test, memchr_inv(hdr, 0xaa, 5), "the header was written");
	KUNIT_EXPECT_FALSE_MSG(test, memchr_inv(trl, 0xaa, 17), "the trailer was written");
	KUNIT_EXPECT_FALSE(test, memchr_inv(vtext, 0x3c, 64));
	vfree(vtext);

	/* and no sequence number was used: RFC 8448's record comes out */
	for (i = 0; i < 50; i++)
		data[i] = i;
	KUNIT_ASSERT_EQ(test, tls_seal(ctx, 0, data, 50, rec), 72);
	KUNIT_EXPECT_MEMEQ(test, rec, rfc8448_client_record, 72);
}

/*
 * DecryptMessage refusals of RFC 8448's server record: a wrong buffer
 * layout, or a record header this side does not take (TLS 1.3: only
 * application_data outside, version 0x0303, 17 to 2^14 + 256 + 17 bytes).
 */
struct tls_bad_record_case {
	const char *desc;
	unsigned int count;
	u8 head[5];
};

static const struct tls_bad_record_case tls_bad_records[] = {
	{ "three buffers", 3, { 0x17, 0x03, 0x03, 0x00, 0x43 } },
	{ "outer type handshake", 4, { 0x16, 0x03, 0x03, 0x00, 0x43 } },
	{ "outer type alert", 4, { 0x15, 0x03, 0x03, 0x00, 0x43 } },
	{ "version 0x0301", 4, { 0x17, 0x03, 0x01, 0x00, 0x43 } },
	{ "shorter than type and tag", 4, { 0x17, 0x03, 0x03, 0x00, 0x10 } },
	{ "longer than 2^14 + 256", 4, { 0x17, 0x03, 0x03, 0x41, 0x01 } },
};

static void tls_bad_record_desc(const struct tls_bad_record_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(tls_bad_record, tls_bad_records, tls_bad_record_desc);

static void sspi_tls_bad_record_test(struct kunit *test)
{
	const struct tls_bad_record_case *c = test->param_value;
	u8 *rec = kunit_kzalloc(test, 72, GFP_KERNEL);
	struct sspi_buffer b[4];
	struct sspi_message msg = { .count = c->count, .buffers = b };
	struct sspi_tls_import imp;
	struct sspi_context *ctx;

	KUNIT_ASSERT_NOT_NULL(test, rec);
	rfc8448_import(&imp);
	ctx = tls_ctx(test, &imp);
	memcpy(rec, rfc8448_server_record, 72);
	memcpy(rec, c->head, 5);
	b[0] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_DATA, .len = 72, .data = rec };
	b[1] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_EMPTY };
	b[2] = b[1];
	b[3] = b[1];
	KUNIT_EXPECT_EQ(test, sspi_decrypt(ctx, &msg, 0, NULL), -EINVAL);
	KUNIT_EXPECT_MEMEQ(test, rec + 5, rfc8448_server_record + 5, 67);

	/* nothing consumed: the record as sent still opens */
	memcpy(rec, rfc8448_server_record, 5);
	KUNIT_EXPECT_EQ(test, tls_unseal(ctx, rec, 72, b, NULL), 0);
}

/* Imports refused: a field out of range, or the structure's size. */
struct tls_bad_import_case {
	const char *desc;
	u16 version;
	u16 cipher;
	u32 reserved;
	size_t short_by;
	int err;
};

static const struct tls_bad_import_case tls_bad_imports[] = {
	{ "reserved not zero", SSPI_TLS_VERSION_1_3, SSPI_TLS_CIPHER_AES_GCM_128, 1, 0,
	  -EINVAL },
	{ "TLS 1.1", 0x0302, SSPI_TLS_CIPHER_AES_GCM_128, 0, 0, -EINVAL },
	{ "unknown cipher", SSPI_TLS_VERSION_1_3, 99, 0, 0, -ENOPKG },
	{ "one byte short", SSPI_TLS_VERSION_1_3, SSPI_TLS_CIPHER_AES_GCM_128, 0, 1,
	  -EINVAL },
};

static void tls_bad_import_desc(const struct tls_bad_import_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(tls_bad_import, tls_bad_imports, tls_bad_import_desc);

static void sspi_tls_bad_import_test(struct kunit *test)
{
	const struct tls_bad_import_case *c = test->param_value;
	struct sspi_tls_import imp;
	u64 handle = 0;

	rfc8448_import(&imp);
	imp.version = c->version;
	imp.cipher = c->cipher;
	imp.reserved = c->reserved;
	KUNIT_EXPECT_EQ(test, sspi_kunit_try_import("Schannel", &imp,
						    sizeof(imp) - c->short_by, &handle),
			c->err);
	KUNIT_EXPECT_EQ(test, handle, 0);
}

/* Page data in a scatterlist is sealed and unsealed where it lies. */
static void sspi_tls_scatterlist_test(struct kunit *test)
{
	struct sspi_context *ctx = tls_loopback(test, test->param_value);
	u8 *pages = kunit_kzalloc(test, 3 * PAGE_SIZE, GFP_KERNEL);
	u8 *hdr = kunit_kzalloc(test, 13, GFP_KERNEL), *trl = kunit_kzalloc(test, 17, GFP_KERNEL);
	u8 *rec = kunit_kzalloc(test, 2 * PAGE_SIZE + 64, GFP_KERNEL);
	u8 *plain = kunit_kzalloc(test, 2 * PAGE_SIZE, GFP_KERNEL);
	const u32 len = 2 * PAGE_SIZE - 100;
	struct sspi_buffer b[4] = {
		{ .type = SSPI_SECBUFFER_STREAM_HEADER, .len = 13 },
		{ .type = SSPI_SECBUFFER_DATA, .len = len, .offset = 50 },
		{ .type = SSPI_SECBUFFER_STREAM_TRAILER, .len = 17 },
		{ .type = SSPI_SECBUFFER_EMPTY },
	};
	struct sspi_message msg = { .count = 4, .buffers = b };
	struct scatterlist sg[3];
	u32 i, n;

	KUNIT_ASSERT_NOT_NULL(test, pages);
	KUNIT_ASSERT_NOT_NULL(test, hdr);
	KUNIT_ASSERT_NOT_NULL(test, trl);
	KUNIT_ASSERT_NOT_NULL(test, rec);
	KUNIT_ASSERT_NOT_NULL(test, plain);
	sg_init_table(sg, 3);
	for (i = 0; i < 3; i++)
		sg_set_buf(&sg[i], pages + i * PAGE_SIZE, PAGE_SIZE);
	for (i = 0; i < len; i++)
		pages[50 + i] = i * 13;
	memcpy(plain, pages + 50, len);
	b[0].data = hdr;
	b[1].sg = sg;
	b[2].data = trl;
	KUNIT_ASSERT_EQ(test, sspi_encrypt(ctx, 0, &msg, 0), 0);
	/* the ciphertext replaced the plaintext in the pages, and only there */
	KUNIT_EXPECT_NE(test, memcmp(pages + 50, plain, len), 0);
	KUNIT_EXPECT_TRUE(test, !memchr_inv(pages, 0, 50));
	KUNIT_EXPECT_TRUE(test, !memchr_inv(pages + 50 + len, 0, 3 * PAGE_SIZE - 50 - len));

	n = 0;
	memcpy(rec, hdr, b[0].len);
	n += b[0].len;
	memcpy(rec + n, pages + 50, len);
	n += len;
	memcpy(rec + n, trl, b[2].len);
	n += b[2].len;
	KUNIT_ASSERT_EQ(test, tls_unseal(ctx, rec, n, b, NULL), 0);
	KUNIT_ASSERT_EQ(test, b[1].len, len);
	KUNIT_EXPECT_MEMEQ(test, b[1].data, plain, len);
}

/* STREAM_SIZES, cipher and drivers; sequence numbers move with records. */
static void sspi_tls_query_test(struct kunit *test)
{
	const struct tls_variant *v = test->param_value;
	struct sspi_context *ctx = tls_loopback(test, v);
	bool explicit = v->version == SSPI_TLS_VERSION_1_2 &&
			v->cipher != SSPI_TLS_CIPHER_CHACHA20_POLY1305;
	struct sspi_context_info info;
	u8 *rec = kunit_kzalloc(test, 64, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, rec);
	KUNIT_ASSERT_EQ(test, sspi_query(ctx, &info), 0);
	KUNIT_EXPECT_STREQ(test, info.package, "Schannel");
	KUNIT_EXPECT_EQ(test, info.protocol, v->version);
	KUNIT_EXPECT_EQ(test, info.sizes.stream_header, explicit ? 13 : 5);
	KUNIT_EXPECT_EQ(test, info.sizes.stream_trailer,
			v->version == SSPI_TLS_VERSION_1_3 ? 17 : 16);
	KUNIT_EXPECT_EQ(test, info.sizes.max_message, 16384);
	KUNIT_EXPECT_EQ(test, info.sizes.buffers, 4);
	KUNIT_EXPECT_STREQ(test, info.cipher,
			   v->cipher == SSPI_TLS_CIPHER_AES_GCM_128 ? "aes-128-gcm" :
			   v->cipher == SSPI_TLS_CIPHER_AES_GCM_256 ? "aes-256-gcm" :
			   "chacha20-poly1305");
	KUNIT_EXPECT_EQ(test, info.key_bits,
			v->cipher == SSPI_TLS_CIPHER_AES_GCM_128 ? 128 : 256);
	KUNIT_EXPECT_GT(test, strlen(info.tx_driver), 0);
	KUNIT_EXPECT_STREQ(test, info.tx_driver, info.rx_driver);
	KUNIT_EXPECT_EQ(test, info.tx_seq, 1000);
	KUNIT_EXPECT_EQ(test, info.rx_seq, 1000);
	KUNIT_ASSERT_GT(test, tls_seal(ctx, 0, "abc", 3, rec), 0);
	KUNIT_ASSERT_EQ(test, sspi_query(ctx, &info), 0);
	KUNIT_EXPECT_EQ(test, info.tx_seq, 1001);
	KUNIT_EXPECT_EQ(test, info.rx_seq, 1000);
}

/* A key update changes one direction, from the sequence number given. */
static void sspi_tls_update_keys_test(struct kunit *test)
{
	const struct tls_variant *v = test->param_value;
	struct sspi_context *ctx = tls_loopback(test, v);
	struct sspi_tls_keys k = {};
	u8 *rec = kunit_kzalloc(test, 64, GFP_KERNEL);
	struct sspi_buffer b[4];
	u8 copy[64], key[32];
	int n;

	KUNIT_ASSERT_NOT_NULL(test, rec);
	memset(key, 0x77, sizeof(key));
	tls_set_keys(&k, key, v->keylen, rfc8448_client_iv, 0);
	KUNIT_EXPECT_EQ(test, sspi_update_keys(ctx, SSPI_TX, &k, sizeof(k) - 1), -EINVAL);
	KUNIT_ASSERT_EQ(test, sspi_update_keys(ctx, SSPI_TX, &k, sizeof(k)), 0);
	KUNIT_ASSERT_GT(test, tls_seal(ctx, 0, "skipped", 7, rec), 0);
	n = tls_seal(ctx, 0, "new keys", 8, rec);
	KUNIT_ASSERT_GT(test, n, 0);
	memcpy(copy, rec, n);
	/* the receiving side still has the old keys */
	KUNIT_EXPECT_EQ(test, tls_unseal(ctx, rec, n, b, NULL), -EBADMSG);
	/* new keys, but the receiver expects sequence 0, the record is 1 */
	KUNIT_ASSERT_EQ(test, sspi_update_keys(ctx, SSPI_RX, &k, sizeof(k)), 0);
	memcpy(rec, copy, n);
	KUNIT_EXPECT_EQ(test, tls_unseal(ctx, rec, n, b, NULL), -EBADMSG);
	put_unaligned_be64(1, k.rec_seq);
	KUNIT_ASSERT_EQ(test, sspi_update_keys(ctx, SSPI_RX, &k, sizeof(k)), 0);
	memcpy(rec, copy, n);
	KUNIT_ASSERT_EQ(test, tls_unseal(ctx, rec, n, b, NULL), 0);
	KUNIT_EXPECT_MEMEQ(test, b[1].data, "new keys", 8);
}

static const struct tls_variant tls12_variants[] = {
	{ SSPI_TLS_VERSION_1_2, SSPI_TLS_CIPHER_AES_GCM_128, 16, "TLS 1.2 AES-128-GCM" },
	{ SSPI_TLS_VERSION_1_2, SSPI_TLS_CIPHER_AES_GCM_256, 32, "TLS 1.2 AES-256-GCM" },
	{ SSPI_TLS_VERSION_1_2, SSPI_TLS_CIPHER_CHACHA20_POLY1305, 32, "TLS 1.2 ChaCha20" },
};

KUNIT_ARRAY_PARAM(tls12_variant, tls12_variants, tls_variant_desc);

static u64 tls_rx_seq(struct kunit *test, struct sspi_context *ctx)
{
	struct sspi_context_info info;

	KUNIT_EXPECT_EQ(test, sspi_query(ctx, &info), 0);
	return info.rx_seq;
}

/*
 * TLS 1.2 renegotiation: a handshake record after the handshake is
 * encrypted.  A forged one -- a HelloRequest injected by someone without
 * the keys -- fails authentication and changes nothing; an authentic one
 * is opened, takes its sequence number and comes back as
 * SEC_I_RENEGOTIATE with the message in DATA and what follows in EXTRA.
 */
static void sspi_tls12_renegotiate_test(struct kunit *test)
{
	static const u8 hello_request[4] = { 0, 0, 0, 0 };
	struct sspi_context *ctx = tls_loopback(test, test->param_value);
	u8 *rec = kunit_kzalloc(test, 96, GFP_KERNEL);
	struct sspi_buffer b[4];
	u8 copy[96];
	int n;

	KUNIT_ASSERT_NOT_NULL(test, rec);
	/* a HelloRequest in the clear: too short to be a protected record */
	memcpy(rec, "\x16\x03\x03\x00\x04\x00\x00\x00\x00", 9);
	KUNIT_EXPECT_EQ(test, tls_unseal(ctx, rec, 9, b, NULL), -EINVAL);
	/* a handshake record of 40 bytes that no key sealed */
	memcpy(rec, "\x16\x03\x03\x00\x28", 5);
	memset(rec + 5, 0xa5, 40 + 7);
	memcpy(copy, rec, sizeof(copy));
	KUNIT_EXPECT_EQ(test, tls_unseal(ctx, rec, 5 + 40 + 7, b, NULL), -EBADMSG);
	KUNIT_EXPECT_MEMEQ(test, rec, copy, 5);
	KUNIT_EXPECT_EQ(test, tls_rx_seq(test, ctx), 1000);

	/* the peer's HelloRequest, sealed, with three bytes behind it */
	n = tls_seal(ctx, SSPI_SECQOP_TLS_HANDSHAKE, hello_request, 4, rec);
	KUNIT_ASSERT_GT(test, n, 0);
	KUNIT_EXPECT_EQ(test, rec[0], 22);
	memcpy(rec + n, "xyz", 3);
	KUNIT_ASSERT_EQ(test, tls_unseal(ctx, rec, n + 3, b, NULL), SSPI_I_RENEGOTIATE);
	KUNIT_EXPECT_EQ(test, b[1].type, SSPI_SECBUFFER_DATA);
	KUNIT_ASSERT_EQ(test, b[1].len, 4);
	KUNIT_EXPECT_MEMEQ(test, b[1].data, hello_request, 4);
	KUNIT_EXPECT_EQ(test, b[3].type, SSPI_SECBUFFER_EXTRA);
	KUNIT_EXPECT_EQ(test, b[3].len, 3);
	KUNIT_EXPECT_PTR_EQ(test, b[3].data, (void *)(rec + n));
	KUNIT_EXPECT_EQ(test, tls_rx_seq(test, ctx), 1001);

	/* the next application record, sequence 1001 both ways, opens */
	n = tls_seal(ctx, 0, "after", 5, rec);
	KUNIT_ASSERT_GT(test, n, 0);
	KUNIT_ASSERT_EQ(test, tls_unseal(ctx, rec, n, b, NULL), 0);
	KUNIT_EXPECT_MEMEQ(test, b[1].data, "after", 5);
	KUNIT_EXPECT_EQ(test, tls_rx_seq(test, ctx), 1002);
}

/*
 * Seal @rec in place as RFC 8448's server would its record of sequence 1:
 * a 5-byte header, then @textlen bytes of TLSInnerPlaintext, then room
 * for the tag.  For records the package's own sealing cannot make.
 */
static void rfc8448_server_seal(struct kunit *test, u8 *rec, u32 textlen)
{
	struct sspi_aead aead = {};
	struct scatterlist sg;

	KUNIT_ASSERT_EQ(test, sspi_aead_init(&aead, "gcm(aes)", rfc8448_server_key, 16, 16), 0);
	memcpy(aead.iv, rfc8448_server_iv, 12);
	aead.iv[11] ^= 1;
	sg_init_one(&sg, rec, 5 + textlen + 16);
	KUNIT_EXPECT_EQ(test, sspi_aead_run(&aead, true, &sg, &sg, 5, textlen), 0);
	sspi_aead_destroy(&aead);
}

/*
 * record_overflow: an authentic TLS 1.3 record whose text is one byte over
 * 2^14 is refused, and its plaintext does not stay behind.
 */
static void sspi_tls_record_overflow_test(struct kunit *test)
{
	const u32 text = 16385, reclen = text + 1 + 16;
	u8 *rec = kunit_kzalloc(test, 5 + reclen, GFP_KERNEL);
	struct sspi_tls_import imp;
	struct sspi_context *ctx;
	struct sspi_buffer b[4];

	KUNIT_ASSERT_NOT_NULL(test, rec);
	rfc8448_import(&imp);
	ctx = tls_ctx(test, &imp);
	/* the peer's record, sequence 1 (the nonce is iv ^ 1) */
	rec[0] = 23;
	rec[1] = 3;
	rec[2] = 3;
	put_unaligned_be16(reclen, rec + 3);
	memset(rec + 5, 'x', text);
	rec[5 + text] = 23;
	rfc8448_server_seal(test, rec, text + 1);

	KUNIT_EXPECT_EQ(test, tls_unseal(ctx, rec, 5 + reclen, b, NULL), -EINVAL);
	KUNIT_EXPECT_NULL(test, memchr(rec + 5, 'x', text));
}

/*
 * A handshake message sealed for the helper (SSPI_SECQOP_TLS_HANDSHAKE)
 * comes back decrypted in DATA as SEC_I_RENEGOTIATE, in TLS 1.2 as in
 * TLS 1.3.
 */
static void sspi_tls_handshake_qop_test(struct kunit *test)
{
	static const u8 key_update[5] = { 24, 0, 0, 1, 0 };
	const struct tls_variant *v = test->param_value;
	struct sspi_context *ctx = tls_loopback(test, v);
	u8 *rec = kunit_kzalloc(test, 64, GFP_KERNEL);
	struct sspi_buffer b[4];
	int n;

	KUNIT_ASSERT_NOT_NULL(test, rec);
	n = tls_seal(ctx, SSPI_SECQOP_TLS_HANDSHAKE, key_update, 5, rec);
	KUNIT_ASSERT_GT(test, n, 0);
	KUNIT_EXPECT_EQ(test, rec[0], v->version == SSPI_TLS_VERSION_1_3 ? 23 : 22);
	KUNIT_ASSERT_EQ(test, tls_unseal(ctx, rec, n, b, NULL), SSPI_I_RENEGOTIATE);
	KUNIT_EXPECT_EQ(test, b[0].type, SSPI_SECBUFFER_STREAM_HEADER);
	KUNIT_EXPECT_EQ(test, b[1].type, SSPI_SECBUFFER_DATA);
	KUNIT_ASSERT_EQ(test, b[1].len, 5);
	KUNIT_EXPECT_MEMEQ(test, b[1].data, key_update, 5);
	KUNIT_EXPECT_EQ(test, b[3].type, SSPI_SECBUFFER_EMPTY);
}

/* An authentic TLS 1.3 alert of three bytes is refused and wiped. */
static void sspi_tls_bad_alert_test(struct kunit *test)
{
	u8 *rec = kunit_kzalloc(test, 64, GFP_KERNEL);
	struct sspi_tls_import imp;
	struct sspi_context *ctx;
	struct sspi_buffer b[4];

	KUNIT_ASSERT_NOT_NULL(test, rec);
	rfc8448_import(&imp);
	ctx = tls_ctx(test, &imp);
	/* the peer's record, sequence 1: alert 0x77 0x77 0x77, type 21 */
	memcpy(rec, "\x17\x03\x03\x00\x14\x77\x77\x77\x15", 9);
	rfc8448_server_seal(test, rec, 4);

	KUNIT_EXPECT_EQ(test, tls_unseal(ctx, rec, 25, b, NULL), -EINVAL);
	KUNIT_EXPECT_NULL(test, memchr(rec + 5, 0x77, 4));
}

/*
 * TLS 1.3 records in many small scatterlist pieces, with TLSInnerPlaintext
 * padding across several of them: the content type and the text's length
 * are found from the end.  The pieces lie apart, with non-zero bytes
 * between them, and the record starts three bytes into the list.
 */
struct tls13_padding_case {
	const char *desc;
	u32 textlen;
	u8 type;
	u32 padlen;
	u32 piece;
	int ret;
};

static const struct tls13_padding_case tls13_paddings[] = {
	{ "100 bytes of padding over 20 pieces", 20, 23, 100, 5, 0 },
	{ "the type ends a piece, padding starts one", 24, 23, 40, 5, 0 },
	{ "no padding", 30, 23, 0, 7, 0 },
	{ "one-byte pieces", 3, 23, 3, 1, 0 },
	{ "a handshake message behind padding", 5, 22, 60, 6, SSPI_I_RENEGOTIATE },
	{ "all zeros: no content type", 10, 0, 30, 5, -EINVAL },
};

static void tls13_padding_desc(const struct tls13_padding_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(tls13_padding, tls13_paddings, tls13_padding_desc);

#define TLS13_PAD_LEAD 3

static void sspi_tls13_padding_sg_test(struct kunit *test)
{
	const struct tls13_padding_case *c = test->param_value;
	const u32 inner = c->textlen + 1 + c->padlen, reclen = 5 + inner + 16;
	const u32 pieces = DIV_ROUND_UP(reclen, c->piece);
	u8 *rec = kunit_kzalloc(test, reclen, GFP_KERNEL);
	u8 *mem = kunit_kmalloc(test, PAGE_SIZE, GFP_KERNEL);
	u8 *text = kunit_kzalloc(test, c->textlen + 1, GFP_KERNEL);
	u8 *out = kunit_kzalloc(test, c->textlen + 1, GFP_KERNEL);
	struct scatterlist *sg = kunit_kmalloc_array(test, pieces + 1, sizeof(*sg), GFP_KERNEL);
	struct sspi_buffer b[4] = {
		{ .type = SSPI_SECBUFFER_DATA, .len = reclen, .offset = TLS13_PAD_LEAD },
		{ .type = SSPI_SECBUFFER_EMPTY },
		{ .type = SSPI_SECBUFFER_EMPTY },
		{ .type = SSPI_SECBUFFER_EMPTY },
	};
	struct sspi_message msg = { .count = 4, .buffers = b };
	struct sspi_tls_import imp;
	struct sspi_context *ctx;
	u32 i, n, at, qop = 0;

	KUNIT_ASSERT_NOT_NULL(test, rec);
	KUNIT_ASSERT_NOT_NULL(test, mem);
	KUNIT_ASSERT_NOT_NULL(test, text);
	KUNIT_ASSERT_NOT_NULL(test, out);
	KUNIT_ASSERT_NOT_NULL(test, sg);
	/* each piece gets 16 bytes of the page, the rest is 0x5a */
	KUNIT_ASSERT_LE(test, TLS13_PAD_LEAD + 16 * pieces, PAGE_SIZE);
	rfc8448_import(&imp);
	ctx = tls_ctx(test, &imp);

	/* the server's record of sequence 1: text, type, zeros, tag */
	for (i = 0; i < c->textlen; i++)
		text[i] = c->type && i % 3 ? i + 1 : 0;
	rec[0] = 23;
	rec[1] = 3;
	rec[2] = 3;
	put_unaligned_be16(reclen - 5, rec + 3);
	memcpy(rec + 5, text, c->textlen);
	rec[5 + c->textlen] = c->type;
	rfc8448_server_seal(test, rec, inner);

	memset(mem, 0x5a, PAGE_SIZE);
	sg_init_table(sg, pieces + 1);
	sg_set_buf(&sg[0], mem, TLS13_PAD_LEAD);
	for (i = 0, at = 0; i < pieces; i++, at += n) {
		n = min(c->piece, reclen - at);
		memcpy(mem + TLS13_PAD_LEAD + 16 * i, rec + at, n);
		sg_set_buf(&sg[i + 1], mem + TLS13_PAD_LEAD + 16 * i, n);
	}
	b[0].sg = sg;

	KUNIT_ASSERT_EQ(test, sspi_decrypt(ctx, &msg, 0, &qop), c->ret);
	if (c->ret < 0)
		return;
	KUNIT_EXPECT_EQ(test, b[0].type, SSPI_SECBUFFER_STREAM_HEADER);
	KUNIT_EXPECT_EQ(test, b[0].len, 5);
	KUNIT_EXPECT_EQ(test, b[1].type, SSPI_SECBUFFER_DATA);
	KUNIT_ASSERT_EQ(test, b[1].len, c->textlen);
	KUNIT_EXPECT_PTR_EQ(test, b[1].sg, sg);
	KUNIT_EXPECT_EQ(test, b[1].offset, TLS13_PAD_LEAD + 5);
	KUNIT_ASSERT_EQ(test, sg_pcopy_to_buffer(sg, pieces + 1, out, c->textlen, b[1].offset),
			c->textlen);
	KUNIT_EXPECT_MEMEQ(test, out, text, c->textlen);
	KUNIT_EXPECT_EQ(test, b[2].type, SSPI_SECBUFFER_STREAM_TRAILER);
	KUNIT_EXPECT_EQ(test, b[2].len, 1 + c->padlen + 16);
	KUNIT_EXPECT_EQ(test, b[3].type, SSPI_SECBUFFER_EMPTY);
}

static struct kunit_case sspi_tls_test_cases[] = {
	KUNIT_CASE(sspi_tls_rfc8448_seal_test),
	KUNIT_CASE(sspi_tls_rfc8448_unseal_test),
	KUNIT_CASE_PARAM(sspi_tls12_vectors_test, tls12_vector_gen_params),
	KUNIT_CASE_PARAM(sspi_tls_round_trip_test, tls_variant_gen_params),
	KUNIT_CASE_PARAM(sspi_tls_alert_test, tls_variant_gen_params),
	KUNIT_CASE_PARAM(sspi_tls_scatterlist_test, tls_variant_gen_params),
	KUNIT_CASE(sspi_tls_incomplete_test),
	KUNIT_CASE(sspi_tls_altered_test),
	KUNIT_CASE_PARAM(sspi_tls_bad_encrypt_test, tls_bad_encrypt_gen_params),
	KUNIT_CASE_PARAM(sspi_tls_bad_layout_test, tls_bad_layout_gen_params),
	KUNIT_CASE(sspi_tls_encrypt_unwritten_test),
	KUNIT_CASE_PARAM(sspi_tls_bad_record_test, tls_bad_record_gen_params),
	KUNIT_CASE_PARAM(sspi_tls_bad_import_test, tls_bad_import_gen_params),
	KUNIT_CASE_PARAM(sspi_tls_query_test, tls_variant_gen_params),
	KUNIT_CASE_PARAM(sspi_tls_update_keys_test, tls_variant_gen_params),
	KUNIT_CASE_PARAM(sspi_tls12_renegotiate_test, tls12_variant_gen_params),
	KUNIT_CASE(sspi_tls_record_overflow_test),
	KUNIT_CASE_PARAM(sspi_tls_handshake_qop_test, tls_variant_gen_params),
	KUNIT_CASE(sspi_tls_bad_alert_test),
	KUNIT_CASE_PARAM(sspi_tls13_padding_sg_test, tls13_padding_gen_params),
	{}
};

static struct kunit_suite sspi_tls_test_suite = {
	.name = "sspi_tls_record",
	.test_cases = sspi_tls_test_cases,
};

kunit_test_suite(sspi_tls_test_suite);
