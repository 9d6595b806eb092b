// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for sspi_kmod/kerberos.c: RFC 4121 Wrap and MIC tokens
 * through sspi_encrypt(), sspi_decrypt(), sspi_make_signature() and
 * sspi_verify_signature() on pairs of contexts (an initiator and an
 * acceptor sharing a key), in every SSPI layout; and every bad input,
 * each leaving no plaintext behind.  Agreement with MIT krb5 is shown by
 * the interop tests (tests/interop/krb5_interop.py); the enctypes' vectors
 * are in krb5_crypto_test.c.
 */

#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <sspi_kmod/sspi.h>

#include "../sspi_kmod/compat.h"
#include "../sspi_kmod/context.h"
#include "harness.h"

#define KRB_MAX_TRAILER	88	/* aes256-sha384 sealed, DCE style */
#define KRB_MSG		1000

struct krb_variant {
	u32 enctype;
	u32 flags;	/* SSPI_KRB5_F_* but INITIATOR */
	unsigned int key_len;
	unsigned int mac_len;
};

static const struct krb_variant krb_variants[] = {
	{ 17, 0, 16, 12 },
	{ 18, 0, 32, 12 },
	{ 19, 0, 16, 16 },
	{ 20, 0, 32, 24 },
	{ 18, SSPI_KRB5_F_DCE_STYLE, 32, 12 },
	{ 20, SSPI_KRB5_F_DCE_STYLE | SSPI_KRB5_F_ACCEPTOR_SUBKEY, 32, 24 },
	{ 17, SSPI_KRB5_F_ACCEPTOR_SUBKEY | SSPI_KRB5_F_REPLAY, 16, 12 },
};

static void krb_variant_desc(const struct krb_variant *v, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "enctype %u%s%s", v->enctype,
		 v->flags & SSPI_KRB5_F_DCE_STYLE ? " dce" : "",
		 v->flags & SSPI_KRB5_F_ACCEPTOR_SUBKEY ? " subkey" : "");
}

KUNIT_ARRAY_PARAM(krb_variant, krb_variants, krb_variant_desc);

static struct sspi_context *krb_import(struct kunit *test,
				       const struct sspi_krb5_import *imp)
{
	return sspi_kunit_import(test, "Kerberos", imp, sizeof(*imp));
}

/* An initiator and an acceptor over one random key: @pair[0], @pair[1]. */
static void krb_pair(struct kunit *test, const struct krb_variant *v,
		     struct sspi_context **pair)
{
	struct sspi_krb5_import imp = {
		.enctype = v->enctype,
		.flags = v->flags | SSPI_KRB5_F_INITIATOR,
		.send_seq = 100,
		.recv_seq = 7000,
		.key_len = v->key_len,
	};

	get_random_bytes(imp.key, v->key_len);
	pair[0] = krb_import(test, &imp);
	imp.flags &= ~SSPI_KRB5_F_INITIATOR;
	imp.send_seq = 7000;
	imp.recv_seq = 100;
	pair[1] = krb_import(test, &imp);
}

static u32 krb_trailer(struct kunit *test, struct sspi_context *ctx)
{
	struct sspi_context_info info;

	KUNIT_ASSERT_EQ(test, sspi_query(ctx, &info), 0);
	return info.sizes.security_trailer;
}

/*
 * Seal @len bytes of @data as [TOKEN, DATA, PADDING] into @tok (room for
 * the trailer) followed by the data; returns the token's whole length.
 */
static int krb_seal(struct sspi_context *ctx, u32 qop, u8 *tok, u32 room,
		    u8 *data, u32 len, u32 *toklen)
{
	u8 pad[1];
	struct sspi_buffer b[3] = {
		{ .type = SSPI_SECBUFFER_TOKEN, .len = room, .data = tok },
		{ .type = SSPI_SECBUFFER_DATA, .len = len, .data = data },
		{ .type = SSPI_SECBUFFER_PADDING, .len = 1, .data = pad },
	};
	struct sspi_message msg = { .count = 3, .buffers = b };
	int err = sspi_encrypt(ctx, qop, &msg, 0);

	if (err)
		return err;
	*toklen = b[0].len;
	return b[2].len;	/* AES pads nothing */
}

/* A wire token: TOKEN and DATA back to back, in a new allocation. */
static u8 *krb_wire(struct kunit *test, const u8 *tok, u32 toklen, const u8 *data,
		    u32 len)
{
	u8 *w = kunit_kmalloc(test, toklen + len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, w);
	memcpy(w, tok, toklen);
	memcpy(w + toklen, data, len);
	return w;
}

static int krb_unseal_stream(struct sspi_context *ctx, u8 *wire, u32 len,
			     struct sspi_buffer *b, u32 *qop)
{
	struct sspi_message msg = { .count = 2, .buffers = b };

	b[0] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_STREAM, .len = len, .data = wire };
	b[1] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_DATA };
	return sspi_decrypt(ctx, &msg, 0, qop);
}

static int krb_unseal_split(struct sspi_context *ctx, u8 *tok, u32 toklen,
			    u8 *data, u32 len, u32 *qop)
{
	struct sspi_buffer b[2] = {
		{ .type = SSPI_SECBUFFER_TOKEN, .len = toklen, .data = tok },
		{ .type = SSPI_SECBUFFER_DATA, .len = len, .data = data },
	};
	struct sspi_message msg = { .count = 2, .buffers = b };

	return sspi_decrypt(ctx, &msg, 0, qop);
}

static void krb_fill(u8 *p, u32 len, u8 seed)
{
	u32 i;

	for (i = 0; i < len; i++)
		p[i] = seed + i * 7;
}

/* Both directions, both layouts, sealed and integrity-only. */
static void sspi_krb5_round_trip_test(struct kunit *test)
{
	const struct krb_variant *v = test->param_value;
	u8 *tok = kunit_kzalloc(test, KRB_MAX_TRAILER, GFP_KERNEL);
	u8 *data = kunit_kzalloc(test, KRB_MSG, GFP_KERNEL);
	u8 *want = kunit_kzalloc(test, KRB_MSG, GFP_KERNEL);
	struct sspi_context *pair[2];
	struct sspi_buffer b[2];
	u32 toklen, qop, trailer;
	int dir, integ, i;
	u8 *wire;

	KUNIT_ASSERT_NOT_NULL(test, tok);
	KUNIT_ASSERT_NOT_NULL(test, data);
	KUNIT_ASSERT_NOT_NULL(test, want);
	krb_pair(test, v, pair);
	trailer = krb_trailer(test, pair[0]);
	KUNIT_EXPECT_EQ(test, trailer, 16 + 16 + 16 + v->mac_len +
			(v->flags & SSPI_KRB5_F_DCE_STYLE ? 16 : 0));

	for (i = 0; i < 8; i++) {
		dir = i & 1;
		integ = (i >> 1) & 1;
		krb_fill(want, KRB_MSG, i);
		memcpy(data, want, KRB_MSG);
		KUNIT_ASSERT_EQ(test, krb_seal(pair[dir], integ ? SSPI_SECQOP_WRAP_NO_ENCRYPT : 0,
					       tok, trailer, data, KRB_MSG, &toklen), 0);
		KUNIT_EXPECT_EQ(test, toklen, integ ? 16 + v->mac_len : trailer);
		/* the header: Wrap, direction, sealed, filler */
		KUNIT_EXPECT_EQ(test, get_unaligned_be16(tok), 0x0504);
		KUNIT_EXPECT_EQ(test, tok[2] & 1, dir);
		KUNIT_EXPECT_EQ(test, !!(tok[2] & 2), !integ);
		KUNIT_EXPECT_EQ(test, !!(tok[2] & 4),
				!!(v->flags & SSPI_KRB5_F_ACCEPTOR_SUBKEY));
		KUNIT_EXPECT_EQ(test, tok[3], 0xff);
		if (integ) {
			KUNIT_EXPECT_EQ(test, get_unaligned_be16(tok + 4), v->mac_len);
			KUNIT_EXPECT_EQ(test, get_unaligned_be16(tok + 6), v->mac_len);
			KUNIT_EXPECT_MEMEQ(test, data, want, KRB_MSG);
		} else {
			KUNIT_EXPECT_EQ(test, get_unaligned_be16(tok + 6), 16 + v->mac_len);
			KUNIT_EXPECT_MEMNEQ(test, data, want, KRB_MSG);
		}
		KUNIT_EXPECT_EQ(test, get_unaligned_be64(tok + 8),
				(u64)(dir ? 7000 : 100) + 2 * (i / 2));

		/* the whole token in STREAM: DATA points into it */
		wire = krb_wire(test, tok, toklen, data, KRB_MSG);
		KUNIT_ASSERT_EQ(test, krb_unseal_stream(pair[!dir], wire, toklen + KRB_MSG,
							b, &qop), 0);
		KUNIT_EXPECT_EQ(test, qop, integ ? SSPI_SECQOP_WRAP_NO_ENCRYPT : 0);
		KUNIT_EXPECT_EQ(test, b[1].len, KRB_MSG);
		KUNIT_EXPECT_PTR_EQ(test, b[1].data, (void *)(wire + toklen));
		KUNIT_EXPECT_MEMEQ(test, b[1].data, want, KRB_MSG);

		/* sealed again, unsealed as [TOKEN, DATA] */
		memcpy(data, want, KRB_MSG);
		KUNIT_ASSERT_EQ(test, krb_seal(pair[dir], integ ? SSPI_SECQOP_WRAP_NO_ENCRYPT : 0,
					       tok, trailer, data, KRB_MSG, &toklen), 0);
		KUNIT_ASSERT_EQ(test, krb_unseal_split(pair[!dir], tok, toklen, data, KRB_MSG,
						       &qop), 0);
		KUNIT_EXPECT_MEMEQ(test, data, want, KRB_MSG);
	}
}

/*
 * Several DATA buffers make one token: sealed as [TOKEN, DATA, DATA,
 * DATA], they unseal as a whole token in STREAM, back to back.
 */
static void sspi_krb5_several_data_test(struct kunit *test)
{
	const struct krb_variant *v = test->param_value;
	static const u32 lens[3] = { 1, 300, 17 };
	u8 *tok = kunit_kzalloc(test, KRB_MAX_TRAILER, GFP_KERNEL);
	u8 *d = kunit_kzalloc(test, 318, GFP_KERNEL);
	u8 *want = kunit_kzalloc(test, 318, GFP_KERNEL);
	struct sspi_context *pair[2];
	struct sspi_buffer b[4];
	struct sspi_message msg = { .count = 4, .buffers = b };
	u32 qop, trailer, off = 0;
	int i;
	u8 *wire;

	KUNIT_ASSERT_NOT_NULL(test, tok);
	KUNIT_ASSERT_NOT_NULL(test, d);
	KUNIT_ASSERT_NOT_NULL(test, want);
	krb_pair(test, v, pair);
	trailer = krb_trailer(test, pair[0]);
	krb_fill(want, 318, 3);
	memcpy(d, want, 318);
	b[0] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_TOKEN, .len = trailer, .data = tok };
	for (i = 0; i < 3; i++) {
		b[i + 1] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_DATA, .len = lens[i],
						 .data = d + off };
		off += lens[i];
	}
	KUNIT_ASSERT_EQ(test, sspi_encrypt(pair[0], 0, &msg, 0), 0);
	wire = krb_wire(test, tok, b[0].len, d, 318);
	KUNIT_ASSERT_EQ(test, krb_unseal_stream(pair[1], wire, b[0].len + 318, b, &qop), 0);
	KUNIT_EXPECT_EQ(test, b[1].len, 318);
	KUNIT_EXPECT_MEMEQ(test, b[1].data, want, 318);
}

/* READONLY_WITH_CHECKSUM buffers are signed, READONLY ones ignored. */
static void sspi_krb5_sign_only_test(struct kunit *test)
{
	const struct krb_variant *v = test->param_value;
	u8 *mem = kunit_kzalloc(test, KRB_MAX_TRAILER + 3 * 64, GFP_KERNEL);
	u8 *tok = mem, *hdr = mem + KRB_MAX_TRAILER, *body = hdr + 64, *ro = body + 64;
	struct sspi_context *pair[2];
	struct sspi_buffer b[4];
	struct sspi_message msg = { .count = 4, .buffers = b };
	u32 qop, trailer;
	int integ;

	KUNIT_ASSERT_NOT_NULL(test, mem);
	krb_pair(test, v, pair);
	trailer = krb_trailer(test, pair[0]);
	for (integ = 0; integ < 2; integ++) {
		krb_fill(hdr, 64, 1);
		krb_fill(body, 64, 2);
		krb_fill(ro, 64, 3);
		b[0] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_DATA |
			SSPI_SECBUFFER_READONLY_WITH_CHECKSUM, .len = 64, .data = hdr };
		b[1] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_DATA, .len = 64, .data = body };
		b[2] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_DATA |
			SSPI_SECBUFFER_READONLY, .len = 64, .data = ro };
		b[3] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_TOKEN, .len = trailer,
			.data = tok };
		KUNIT_ASSERT_EQ(test, sspi_encrypt(pair[0], integ ? SSPI_SECQOP_WRAP_NO_ENCRYPT : 0,
						   &msg, 0), 0);
		/* neither flagged buffer was written */
		KUNIT_EXPECT_EQ(test, hdr[5], (u8)(1 + 5 * 7));
		KUNIT_EXPECT_EQ(test, ro[5], (u8)(3 + 5 * 7));

		/* a changed READONLY buffer does not matter, a signed one does */
		ro[0] ^= 1;
		KUNIT_EXPECT_EQ(test, sspi_decrypt(pair[1], &msg, 0, &qop), 0);
		KUNIT_EXPECT_EQ(test, body[5], (u8)(2 + 5 * 7));
		KUNIT_ASSERT_EQ(test, sspi_encrypt(pair[0], integ ? SSPI_SECQOP_WRAP_NO_ENCRYPT : 0,
						   &msg, 0), 0);
		hdr[10] ^= 1;
		KUNIT_EXPECT_EQ(test, sspi_decrypt(pair[1], &msg, 0, &qop), -EBADMSG);
	}
}

/* MakeSignature / VerifySignature; a MIC token is 16 + mac bytes. */
static void sspi_krb5_mic_test(struct kunit *test)
{
	const struct krb_variant *v = test->param_value;
	u8 *mem = kunit_kzalloc(test, 64 + 100, GFP_KERNEL);
	u8 *tok = mem, *data = mem + 64;
	struct sspi_context *pair[2];
	struct sspi_buffer b[2];
	struct sspi_message msg = { .count = 2, .buffers = b };
	struct sspi_context_info info;
	u32 qop = 1;
	int dir;

	KUNIT_ASSERT_NOT_NULL(test, mem);
	krb_pair(test, v, pair);
	KUNIT_ASSERT_EQ(test, sspi_query(pair[0], &info), 0);
	KUNIT_EXPECT_EQ(test, info.sizes.max_signature, 16 + v->mac_len);
	/* the enctype's key: aes128-* 128 bits, aes256-* 256 */
	KUNIT_EXPECT_EQ(test, info.key_bits,
			v->enctype == SSPI_KRB5_ENCTYPE_AES128_CTS_HMAC_SHA1_96 ||
			v->enctype == SSPI_KRB5_ENCTYPE_AES128_CTS_HMAC_SHA256_128 ?
			128 : 256);
	for (dir = 0; dir < 2; dir++) {
		krb_fill(data, 100, dir);
		b[0] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_DATA, .len = 100,
					     .data = data };
		b[1] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_TOKEN, .len = 64,
					     .data = tok };
		KUNIT_ASSERT_EQ(test, sspi_make_signature(pair[dir], 0, &msg, 0), 0);
		KUNIT_EXPECT_EQ(test, b[1].len, 16 + v->mac_len);
		KUNIT_EXPECT_EQ(test, get_unaligned_be16(tok), 0x0404);
		KUNIT_EXPECT_EQ(test, get_unaligned_be32(tok + 4), 0xffffffff);
		KUNIT_EXPECT_EQ(test, sspi_verify_signature(pair[!dir], &msg, 0, &qop), 0);
		KUNIT_EXPECT_EQ(test, qop, 0);
		/* its own signature comes back: a reflection */
		KUNIT_ASSERT_EQ(test, sspi_make_signature(pair[dir], 0, &msg, 0), 0);
		KUNIT_EXPECT_EQ(test, sspi_verify_signature(pair[dir], &msg, 0, &qop), -EBADMSG);
		data[99] ^= 0x80;
		KUNIT_EXPECT_EQ(test, sspi_verify_signature(pair[!dir], &msg, 0, &qop), -EBADMSG);
		data[99] ^= 0x80;
		tok[20] ^= 1;
		KUNIT_EXPECT_EQ(test, sspi_verify_signature(pair[!dir], &msg, 0, &qop), -EBADMSG);
		tok[20] ^= 1;
		KUNIT_EXPECT_EQ(test, sspi_verify_signature(pair[!dir], &msg, 0, &qop), 0);
		b[1].len = 15 + v->mac_len;
		KUNIT_EXPECT_EQ(test, sspi_make_signature(pair[dir], 0, &msg, 0), -ENOBUFS);
		KUNIT_EXPECT_EQ(test, sspi_verify_signature(pair[!dir], &msg, 0, &qop), -EINVAL);
	}
}

/* Every byte of a sealed token matters, and a failure leaves no plaintext. */
static void sspi_krb5_altered_test(struct kunit *test)
{
	const struct krb_variant *v = test->param_value;
	u8 *tok = kunit_kzalloc(test, KRB_MAX_TRAILER, GFP_KERNEL);
	u8 *data = kunit_kzalloc(test, 64, GFP_KERNEL);
	u8 *want = kunit_kzalloc(test, 64, GFP_KERNEL);
	struct sspi_context *pair[2];
	struct sspi_buffer b[2];
	u32 toklen, qop, trailer, i;
	u8 *wire;
	int err;

	KUNIT_ASSERT_NOT_NULL(test, tok);
	KUNIT_ASSERT_NOT_NULL(test, data);
	KUNIT_ASSERT_NOT_NULL(test, want);
	krb_pair(test, v, pair);
	trailer = krb_trailer(test, pair[0]);
	krb_fill(want, 64, 9);
	memcpy(data, want, 64);
	KUNIT_ASSERT_EQ(test, krb_seal(pair[0], 0, tok, trailer, data, 64, &toklen), 0);
	wire = krb_wire(test, tok, toklen, data, 64);

	/* header bytes 4..7 (EC, RRC) change the layout; the rest the checks */
	for (i = 0; i < toklen + 64; i++) {
		u8 *copy = krb_wire(test, wire, toklen + 64, NULL, 0);

		copy[i] ^= 0x01;
		err = krb_unseal_stream(pair[1], copy, toklen + 64, b, &qop);
		KUNIT_EXPECT_LT_MSG(test, err, 0, "byte %u", i);
		if (i >= 16)
			KUNIT_EXPECT_EQ_MSG(test, err, -EBADMSG, "byte %u", i);
		/* no plaintext is left where the data was, DATA points nowhere */
		KUNIT_EXPECT_NE_MSG(test, memcmp(copy + toklen, want, 64), 0, "byte %u", i);
		KUNIT_EXPECT_EQ_MSG(test, b[1].len, 0, "byte %u", i);
		KUNIT_EXPECT_NULL_MSG(test, b[1].data, "byte %u", i);
		KUNIT_EXPECT_NULL_MSG(test, b[1].sg, "byte %u", i);
		kunit_kfree(test, copy);
	}
	/* the untouched token still opens: failures used no sequence number */
	KUNIT_EXPECT_EQ(test, krb_unseal_stream(pair[1], wire, toklen + 64, b, &qop), 0);
	KUNIT_EXPECT_MEMEQ(test, b[1].data, want, 64);
}

/* Unseal a copy of a whole token (STREAM): the original stays sealed. */
static int krb_unseal_copy(struct kunit *test, struct sspi_context *ctx,
			   const u8 *wire, u32 len)
{
	struct sspi_buffer b[2];
	u32 qop;

	return krb_unseal_stream(ctx, krb_wire(test, wire, len, NULL, 0), len, b, &qop);
}

/* The receive window's next number, as the context reports it. */
static u64 krb_rx_seq(struct kunit *test, struct sspi_context *ctx)
{
	struct sspi_context_info info;

	KUNIT_EXPECT_EQ(test, sspi_query(ctx, &info), 0);
	return info.rx_seq;
}

/*
 * Replays, reorders and gaps, as the context's flags ask: a token after a
 * gap -- the one before it lost, or refused as tampered -- is taken
 * whatever the flags, and the stream goes on; the skipped token, coming
 * late, is refused with sequence detection, and replays with either.
 */
static void sspi_krb5_sequence_test(struct kunit *test)
{
	static const struct krb_variant vs[] = {
		{ 18, SSPI_KRB5_F_REPLAY, 32, 12 },
		{ 18, SSPI_KRB5_F_SEQUENCE, 32, 12 },
		{ 18, SSPI_KRB5_F_REPLAY | SSPI_KRB5_F_SEQUENCE, 32, 12 },
		{ 18, 0, 32, 12 },
	};
	u8 *mem = kunit_kzalloc(test, 5 * (KRB_MAX_TRAILER + 16), GFP_KERNEL);
	struct sspi_context *pair[2];
	u32 len[5], toklen;
	u8 *w[5], *bad, *data = kunit_kzalloc(test, 16, GFP_KERNEL);
	int i, j;

	KUNIT_ASSERT_NOT_NULL(test, mem);
	KUNIT_ASSERT_NOT_NULL(test, data);
	for (j = 0; j < ARRAY_SIZE(vs); j++) {
		bool replay = vs[j].flags & (SSPI_KRB5_F_REPLAY | SSPI_KRB5_F_SEQUENCE);
		bool sequence = vs[j].flags & SSPI_KRB5_F_SEQUENCE;

		krb_pair(test, &vs[j], pair);
		for (i = 0; i < 5; i++) {
			u8 *tok = mem + i * (KRB_MAX_TRAILER + 16);

			memset(data, i, 16);
			KUNIT_ASSERT_EQ(test, krb_seal(pair[0], 0, tok, KRB_MAX_TRAILER, data,
						       16, &toklen), 0);
			w[i] = krb_wire(test, tok, toklen, data, 16);
			len[i] = toklen + 16;
		}
		/* each on a fresh copy, as unsealing decrypts in place */
		KUNIT_EXPECT_EQ(test, krb_unseal_copy(test, pair[1], w[0], len[0]), 0);
		/* 1 tampered: refused, and it uses up nothing */
		bad = krb_wire(test, w[1], len[1], NULL, 0);
		bad[len[1] - 1] ^= 1;
		KUNIT_EXPECT_EQ(test, krb_unseal_copy(test, pair[1], bad, len[1]), -EBADMSG);
		KUNIT_EXPECT_EQ(test, krb_rx_seq(test, pair[1]), 101);
		/* 2 after the gap: taken, the window moves past it */
		KUNIT_EXPECT_EQ_MSG(test, krb_unseal_copy(test, pair[1], w[2], len[2]), 0,
				    "flags 0x%x", vs[j].flags);
		KUNIT_EXPECT_EQ(test, krb_rx_seq(test, pair[1]), 103);
		/* 1 genuine, late; then again */
		KUNIT_EXPECT_EQ(test, krb_unseal_copy(test, pair[1], w[1], len[1]),
				sequence ? -EILSEQ : 0);
		KUNIT_EXPECT_EQ(test, krb_unseal_copy(test, pair[1], w[1], len[1]),
				replay ? -EILSEQ : 0);
		/* 2 again: a replay */
		KUNIT_EXPECT_EQ(test, krb_unseal_copy(test, pair[1], w[2], len[2]),
				replay ? -EILSEQ : 0);
		/* 3 lost; 4 taken */
		KUNIT_EXPECT_EQ(test, krb_unseal_copy(test, pair[1], w[4], len[4]), 0);
		KUNIT_EXPECT_EQ(test, krb_rx_seq(test, pair[1]), 105);
	}
}

/*
 * A token is authenticated before its sequence number is judged: one
 * whose number was changed -- to the last of the 64-bit space, to one far
 * ahead, to one already taken -- is SEC_E_MESSAGE_ALTERED, never
 * SEC_E_CONTEXT_EXPIRED or SEC_E_OUT_OF_SEQUENCE, and changes nothing.
 */
static void sspi_krb5_forged_seq_test(struct kunit *test)
{
	static const struct krb_variant v = {
		18, SSPI_KRB5_F_REPLAY | SSPI_KRB5_F_SEQUENCE, 32, 12,
	};
	static const u64 forged[] = { U64_MAX, U64_MAX - 1, 1ULL << 40, 7000 };
	u8 *mem = kunit_kzalloc(test, KRB_MAX_TRAILER + 64, GFP_KERNEL);
	u8 *tok = mem, *data = mem + KRB_MAX_TRAILER;
	struct sspi_context *pair[2];
	struct sspi_buffer b[2];
	struct sspi_message msg = { .count = 2, .buffers = b };
	u32 toklen, qop, len = 16;
	unsigned int i, integ;
	u64 rx;
	u8 *wire;

	KUNIT_ASSERT_NOT_NULL(test, mem);
	krb_pair(test, &v, pair);
	/* 7000 taken, so that a forged 7000 would be a replay */
	memset(data, 1, len);
	KUNIT_ASSERT_EQ(test, krb_seal(pair[1], 0, tok, KRB_MAX_TRAILER, data, len,
				       &toklen), 0);
	KUNIT_ASSERT_EQ(test, krb_unseal_copy(test, pair[0],
					      krb_wire(test, tok, toklen, data, len),
					      toklen + len), 0);
	for (integ = 0; integ < 2; integ++) {
		memset(data, 2, len);
		KUNIT_ASSERT_EQ(test, krb_seal(pair[1], integ ? SSPI_SECQOP_WRAP_NO_ENCRYPT : 0,
					       tok, KRB_MAX_TRAILER, data, len, &toklen), 0);
		wire = krb_wire(test, tok, toklen, data, len);
		rx = krb_rx_seq(test, pair[0]);
		for (i = 0; i < ARRAY_SIZE(forged); i++) {
			u8 *copy = krb_wire(test, wire, toklen + len, NULL, 0);

			put_unaligned_be64(forged[i], copy + 8);
			KUNIT_EXPECT_EQ_MSG(test, krb_unseal_stream(pair[0], copy, toklen + len,
								    b, &qop),
					    -EBADMSG, "seq %llu integ %u", forged[i], integ);
			KUNIT_EXPECT_EQ(test, krb_rx_seq(test, pair[0]), rx);
		}
		/* the genuine token still opens */
		KUNIT_EXPECT_EQ(test, krb_unseal_stream(pair[0], wire, toklen + len, b, &qop), 0);
		KUNIT_EXPECT_EQ(test, krb_rx_seq(test, pair[0]), rx + 1);
	}

	/* MIC tokens likewise */
	memset(data, 3, len);
	b[0] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_DATA, .len = len, .data = data };
	b[1] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_TOKEN, .len = KRB_MAX_TRAILER,
				     .data = tok };
	KUNIT_ASSERT_EQ(test, sspi_make_signature(pair[1], 0, &msg, 0), 0);
	rx = krb_rx_seq(test, pair[0]);
	for (i = 0; i < ARRAY_SIZE(forged); i++) {
		u64 good = get_unaligned_be64(tok + 8);

		put_unaligned_be64(forged[i], tok + 8);
		KUNIT_EXPECT_EQ_MSG(test, sspi_verify_signature(pair[0], &msg, 0, &qop),
				    -EBADMSG, "MIC seq %llu", forged[i]);
		KUNIT_EXPECT_EQ(test, krb_rx_seq(test, pair[0]), rx);
		put_unaligned_be64(good, tok + 8);
	}
	KUNIT_EXPECT_EQ(test, sspi_verify_signature(pair[0], &msg, 0, &qop), 0);
	KUNIT_EXPECT_EQ(test, krb_rx_seq(test, pair[0]), rx + 1);
}

/* Imports refused: each changes one field of a good aes128-cts-hmac-sha1-96 one. */
struct krb_bad_import_case {
	const char *desc;
	u32 enctype;
	u32 flags;
	u32 key_len;
	u32 reserved;
	size_t short_by;
	int err;
};

static const struct krb_bad_import_case krb_bad_imports[] = {
	{ "key longer than the enctype's", 17, 0, 32, 0, 0, -EINVAL },
	{ "enctype 16 (des3-cbc-sha1-kd)", 16, 0, 16, 0, 0, -ENOPKG },
	{ "undefined flag 0x20", 17, 0x20, 16, 0, 0, -EINVAL },
	{ "reserved not zero", 17, 0, 16, 1, 0, -EINVAL },
	{ "one byte short", 17, 0, 16, 0, 1, -EINVAL },
};

static void krb_bad_import_desc(const struct krb_bad_import_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(krb_bad_import, krb_bad_imports, krb_bad_import_desc);

static void sspi_krb5_bad_import_test(struct kunit *test)
{
	const struct krb_bad_import_case *c = test->param_value;
	struct sspi_krb5_import imp = {
		.enctype = c->enctype,
		.flags = c->flags,
		.key_len = c->key_len,
		.reserved = c->reserved,
	};
	u64 h = 0;

	KUNIT_EXPECT_EQ(test, sspi_kunit_try_import("Kerberos", &imp, sizeof(imp) - c->short_by,
						    &h), c->err);
	KUNIT_EXPECT_EQ(test, h, 0);
}

/*
 * Wrap tokens (RFC 4121 section 4.2.6.2) refused before anything is
 * decrypted: a byte of the header changed (@off, by @xor), the RRC field
 * set (@rrc), the TOKEN and DATA lengths, or the sender's own direction.
 * The token is aes128-cts-hmac-sha1-96's of 32 bytes: TOKEN 60 = header
 * 16, confounder 16, header copy 16, checksum 12; RRC 28.
 */
struct krb_bad_token_case {
	const char *desc;
	unsigned int off;
	u8 xor;
	u16 rrc;
	int tok_delta;
	u32 tok_len;	/* if not 0: TOKEN's length, and no DATA */
	u32 data_len;
	bool reflect;
	int err;
};

static const struct krb_bad_token_case krb_bad_tokens[] = {
	{ "TOK_ID 05 05", .off = 1, .xor = 0x01, .data_len = 32, .err = -EINVAL },
	{ "filler not ff", .off = 3, .xor = 0x01, .data_len = 32, .err = -EINVAL },
	{ "AcceptorSubkey flag, no subkey", .off = 2, .xor = 0x04, .data_len = 32,
	  .err = -EINVAL },
	{ "the sender's own direction", .data_len = 32, .reflect = true, .err = -EBADMSG },
	{ "TOKEN shorter than the rotation", .tok_delta = -1, .data_len = 32, .err = -EINVAL },
	{ "a header alone", .tok_len = 16, .err = -EINVAL },
	{ "less than a header", .tok_len = 15, .err = -EINVAL },
	{ "RRC larger than the token", .rrc = 1000, .data_len = 32, .err = -EINVAL },
	{ "RRC moving data off DATA", .rrc = 29, .data_len = 32, .err = -EINVAL },
	{ "TOKEN with more than its parts", .tok_delta = 1, .data_len = 31, .err = -EINVAL },
};

static void krb_bad_token_desc(const struct krb_bad_token_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(krb_bad_token, krb_bad_tokens, krb_bad_token_desc);

static void sspi_krb5_bad_token_test(struct kunit *test)
{
	static const struct krb_variant v = { 17, 0, 16, 12 };
	const struct krb_bad_token_case *c = test->param_value;
	u8 *tok = kunit_kzalloc(test, KRB_MAX_TRAILER + 32, GFP_KERNEL);
	u8 *data = tok + KRB_MAX_TRAILER;
	struct sspi_context *pair[2];
	u32 toklen, qop;
	u16 rrc;

	KUNIT_ASSERT_NOT_NULL(test, tok);
	krb_pair(test, &v, pair);
	memset(data, 0x41, 32);
	KUNIT_ASSERT_EQ(test, krb_seal(pair[0], 0, tok, 60, data, 32, &toklen), 0);
	KUNIT_ASSERT_EQ(test, toklen, 60);
	rrc = get_unaligned_be16(tok + 6);
	KUNIT_ASSERT_EQ(test, rrc, 28);

	tok[c->off] ^= c->xor;
	if (c->rrc)
		put_unaligned_be16(c->rrc, tok + 6);
	if (c->tok_len)
		KUNIT_EXPECT_EQ(test, krb_unseal_split(pair[1], tok, c->tok_len, NULL, 0, &qop),
				c->err);
	else
		KUNIT_EXPECT_EQ(test, krb_unseal_split(pair[c->reflect ? 0 : 1], tok,
						       toklen + c->tok_delta, data,
						       c->data_len, &qop),
				c->err);

	/* nothing was touched: the token as sent opens */
	tok[c->off] ^= c->xor;
	put_unaligned_be16(rrc, tok + 6);
	KUNIT_EXPECT_EQ(test, krb_unseal_split(pair[1], tok, toklen, data, 32, &qop), 0);
	KUNIT_EXPECT_PTR_EQ(test, memchr_inv(data, 0x41, 32), NULL);
}

static void sspi_krb5_bad_input_test(struct kunit *test)
{
	static const struct krb_variant v = { 17, 0, 16, 12 };
	u8 *tok = kunit_kzalloc(test, KRB_MAX_TRAILER + 32, GFP_KERNEL);
	u8 *data = tok + KRB_MAX_TRAILER;
	struct sspi_context *pair[2];
	u32 toklen, qop;

	KUNIT_ASSERT_NOT_NULL(test, tok);
	krb_pair(test, &v, pair);
	memset(data, 0x41, 32);
	/* too small a TOKEN, a QOP Kerberos does not have */
	KUNIT_EXPECT_EQ(test, krb_seal(pair[0], 0, tok, 59, data, 32, &toklen), -ENOBUFS);
	KUNIT_EXPECT_EQ(test, krb_seal(pair[0], 2, tok, 60, data, 32, &toklen), -ENOPROTOOPT);

	/*
	 * A flag RFC 4121 does not define is ignored, as it asks; added on
	 * the way, it no longer matches the encrypted header copy: altered,
	 * and the data decrypted before that was found is wiped.
	 */
	KUNIT_ASSERT_EQ(test, krb_seal(pair[0], 0, tok, 60, data, 32, &toklen), 0);
	tok[2] ^= 0x08;
	KUNIT_EXPECT_EQ(test, krb_unseal_split(pair[1], tok, toklen, data, 32, &qop), -EBADMSG);
	KUNIT_EXPECT_PTR_EQ(test, memchr_inv(data, 0, 32), NULL);
	memset(data, 0x41, 32);

	/* integrity only: EC must be the checksum's length */
	KUNIT_ASSERT_EQ(test, krb_seal(pair[0], SSPI_SECQOP_WRAP_NO_ENCRYPT, tok, 60, data, 32,
				       &toklen), 0);
	put_unaligned_be16(11, tok + 4);
	KUNIT_EXPECT_EQ(test, krb_unseal_split(pair[1], tok, toklen, data, 32, &qop), -EINVAL);
	put_unaligned_be16(12, tok + 4);
	KUNIT_EXPECT_EQ(test, krb_unseal_split(pair[1], tok, toklen, data, 32, &qop), 0);
	KUNIT_EXPECT_EQ(test, qop, SSPI_SECQOP_WRAP_NO_ENCRYPT);
}

#define KRB_PAGES 20

/* Page-backed data, 18 pages and more from an odd offset, sealed in place. */
static void sspi_krb5_scatterlist_test(struct kunit *test)
{
	const struct krb_variant *v = test->param_value;
	u8 *tok = kunit_kzalloc(test, KRB_MAX_TRAILER, GFP_KERNEL);
	struct scatterlist *sg = kunit_kcalloc(test, KRB_PAGES, sizeof(*sg), GFP_KERNEL);
	struct page **pages = kunit_kcalloc(test, KRB_PAGES, sizeof(*pages), GFP_KERNEL);
	struct sspi_context *pair[2];
	struct sspi_buffer b[2];
	struct sspi_message msg = { .count = 2, .buffers = b };
	u32 len = 18 * PAGE_SIZE + 100, qop, i;
	u8 *want = kunit_kmalloc(test, len, GFP_KERNEL);
	u8 got[16];

	KUNIT_ASSERT_NOT_NULL(test, tok);
	KUNIT_ASSERT_NOT_NULL(test, sg);
	KUNIT_ASSERT_NOT_NULL(test, pages);
	KUNIT_ASSERT_NOT_NULL(test, want);
	sg_init_table(sg, KRB_PAGES);
	for (i = 0; i < KRB_PAGES; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, pages[i]);
		sg_set_page(&sg[i], pages[i], PAGE_SIZE, 0);
	}
	krb_pair(test, v, pair);
	krb_fill(want, len, 5);
	sg_pcopy_from_buffer(sg, KRB_PAGES, want, len, 1000);

	b[0] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_TOKEN, .len = KRB_MAX_TRAILER,
		.data = tok };
	b[1] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_DATA, .len = len, .sg = sg,
		.offset = 1000 };
	KUNIT_EXPECT_EQ(test, sspi_encrypt(pair[1], 0, &msg, 0), 0);
	KUNIT_EXPECT_EQ(test, sspi_decrypt(pair[0], &msg, 0, &qop), 0);
	for (i = 0; i < len; i += PAGE_SIZE / 2) {
		sg_pcopy_to_buffer(sg, KRB_PAGES, got, 16, 1000 + i);
		KUNIT_EXPECT_MEMEQ(test, got, want + i, 16);
	}
	for (i = 0; i < KRB_PAGES; i++)
		__free_page(pages[i]);
}

#define KRB_MANY 200
#define KRB_MANY_LEN 512

/*
 * More scatterlist entries than a direction keeps at hand (72): its array
 * grows for the message.  Sealed, integrity only and a MIC, each entry on
 * a page of its own.
 */
static void sspi_krb5_many_entries_test(struct kunit *test)
{
	const struct krb_variant *v = test->param_value;
	u8 *tok = kunit_kzalloc(test, KRB_MAX_TRAILER, GFP_KERNEL);
	struct scatterlist *sg = kunit_kcalloc(test, KRB_MANY, sizeof(*sg), GFP_KERNEL);
	struct page **pages = kunit_kcalloc(test, KRB_MANY, sizeof(*pages), GFP_KERNEL);
	u32 len = KRB_MANY * KRB_MANY_LEN, qop, i;
	u8 *want = kunit_kmalloc(test, len, GFP_KERNEL);
	u8 *got = kunit_kmalloc(test, len, GFP_KERNEL);
	struct sspi_context *pair[2];
	struct sspi_buffer b[2];
	struct sspi_message msg = { .count = 2, .buffers = b };
	int integ;

	KUNIT_ASSERT_NOT_NULL(test, tok);
	KUNIT_ASSERT_NOT_NULL(test, sg);
	KUNIT_ASSERT_NOT_NULL(test, pages);
	KUNIT_ASSERT_NOT_NULL(test, want);
	KUNIT_ASSERT_NOT_NULL(test, got);
	sg_init_table(sg, KRB_MANY);
	for (i = 0; i < KRB_MANY; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, pages[i]);
		sg_set_page(&sg[i], pages[i], KRB_MANY_LEN,
			    (i * 64) % (PAGE_SIZE - KRB_MANY_LEN));
	}
	krb_pair(test, v, pair);
	krb_fill(want, len, 3);
	for (integ = 0; integ < 2; integ++) {
		sg_copy_from_buffer(sg, KRB_MANY, want, len);
		b[0] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_TOKEN,
					     .len = KRB_MAX_TRAILER, .data = tok };
		b[1] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_DATA, .len = len,
					     .sg = sg };
		KUNIT_EXPECT_EQ(test, sspi_encrypt(pair[0], integ ? SSPI_SECQOP_WRAP_NO_ENCRYPT : 0,
						   &msg, 0), 0);
		KUNIT_EXPECT_EQ(test, sspi_decrypt(pair[1], &msg, 0, &qop), 0);
		KUNIT_EXPECT_EQ(test, qop, integ ? SSPI_SECQOP_WRAP_NO_ENCRYPT : 0);
		sg_copy_to_buffer(sg, KRB_MANY, got, len);
		KUNIT_EXPECT_EQ(test, memcmp(got, want, len), 0);
	}
	b[0] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_DATA, .len = len, .sg = sg };
	b[1] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_TOKEN, .len = 64, .data = tok };
	KUNIT_EXPECT_EQ(test, sspi_make_signature(pair[1], 0, &msg, 0), 0);
	KUNIT_EXPECT_EQ(test, sspi_verify_signature(pair[0], &msg, 0, &qop), 0);
	for (i = 0; i < KRB_MANY; i++)
		__free_page(pages[i]);
}

/* 16400 pieces, past the 16384 a message may have: refused untouched. */
static void sspi_krb5_too_many_entries_test(struct kunit *test)
{
	static const struct krb_variant v = { 18, 0, 32, 12 };
	const unsigned int n = 16400;
	u8 *tok = kunit_kzalloc(test, KRB_MAX_TRAILER, GFP_KERNEL);
	struct sspi_context *pair[2];
	struct sspi_buffer b[2];
	struct sspi_message msg = { .count = 2, .buffers = b };
	struct sspi_context_info info;
	struct scatterlist *sg;
	struct page *page;
	unsigned int i;
	u64 seq;

	KUNIT_ASSERT_NOT_NULL(test, tok);
	sg = kvcalloc(n, sizeof(*sg), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, sg);
	page = alloc_page(GFP_KERNEL);
	if (!page) {
		kvfree(sg);
		KUNIT_FAIL(test, "no page");
		return;
	}
	memset(page_address(page), 0x41, PAGE_SIZE);
	sg_init_table(sg, n);
	for (i = 0; i < n; i++)
		sg_set_page(&sg[i], page, 1, i % PAGE_SIZE);
	krb_pair(test, &v, pair);
	b[0] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_TOKEN, .len = KRB_MAX_TRAILER,
				     .data = tok };
	b[1] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_DATA, .len = n, .sg = sg };
	KUNIT_ASSERT_EQ(test, sspi_query(pair[0], &info), 0);
	seq = info.tx_seq;
	KUNIT_EXPECT_EQ(test, sspi_encrypt(pair[0], 0, &msg, 0), -EINVAL);
	KUNIT_EXPECT_PTR_EQ(test, memchr_inv(page_address(page), 0x41, PAGE_SIZE), NULL);
	/* no sequence number used */
	KUNIT_EXPECT_EQ(test, sspi_query(pair[0], &info), 0);
	KUNIT_EXPECT_EQ(test, info.tx_seq, seq);
	__free_page(page);
	kvfree(sg);
}

static struct kunit_case sspi_krb5_test_cases[] = {
	KUNIT_CASE_PARAM(sspi_krb5_round_trip_test, krb_variant_gen_params),
	KUNIT_CASE_PARAM(sspi_krb5_several_data_test, krb_variant_gen_params),
	KUNIT_CASE_PARAM(sspi_krb5_sign_only_test, krb_variant_gen_params),
	KUNIT_CASE_PARAM(sspi_krb5_mic_test, krb_variant_gen_params),
	KUNIT_CASE_PARAM(sspi_krb5_altered_test, krb_variant_gen_params),
	KUNIT_CASE_PARAM(sspi_krb5_scatterlist_test, krb_variant_gen_params),
	KUNIT_CASE_PARAM(sspi_krb5_many_entries_test, krb_variant_gen_params),
	KUNIT_CASE(sspi_krb5_too_many_entries_test),
	KUNIT_CASE(sspi_krb5_sequence_test),
	KUNIT_CASE(sspi_krb5_forged_seq_test),
	KUNIT_CASE_PARAM(sspi_krb5_bad_import_test, krb_bad_import_gen_params),
	KUNIT_CASE_PARAM(sspi_krb5_bad_token_test, krb_bad_token_gen_params),
	KUNIT_CASE(sspi_krb5_bad_input_test),
	{}
};

static struct kunit_suite sspi_krb5_test_suite = {
	.name = "sspi_kerberos",
	.test_cases = sspi_krb5_test_cases,
};

kunit_test_suite(sspi_krb5_test_suite);
