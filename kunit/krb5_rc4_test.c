// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for sspi_kmod/krb5_rfc4757.c: rc4-hmac (RFC 4757) Wrap and MIC
 * tokens through the Kerberos package -- tokens of MIT krb5 1.20 taken
 * (krb5_rc4_vectors.h), round trips on pairs of contexts in every layout,
 * every altered byte, replays and gaps, the send sequence's 32-bit end,
 * bad input, and the refusal without allow_rc4.  Agreement with a live MIT
 * peer is tests/interop/krb5_rc4_interop.py's.
 */

#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/limits.h>
#include <linux/random.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <sspi_kmod/sspi.h>

#include "../sspi_kmod/compat.h"
#include "../sspi_kmod/context.h"
#include "../sspi_kmod/krb5_mech.h"
#include "harness.h"
#include "krb5_rc4_vectors.h"

#define RC4_TRAILER	49
#define RC4_DCE_TRAILER	45
#define RC4_MIC		37
#define RC4_MSG		1000

static void rc4_restore_allow(void *arg)
{
	sspi_krb5_allow_rc4 = (bool)(unsigned long)arg;
}

/* allow_rc4 on for the test, back as it was after it. */
static void rc4_allow(struct kunit *test, bool on)
{
	void *was = (void *)(unsigned long)sspi_krb5_allow_rc4;

	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, rc4_restore_allow, was), 0);
	sspi_krb5_allow_rc4 = on;
}

static int rc4_try_import(const struct sspi_krb5_import *imp, u64 *handle)
{
	return sspi_kunit_try_import("Kerberos", imp, sizeof(*imp), handle);
}

static struct sspi_context *rc4_import(struct kunit *test,
				       const struct sspi_krb5_import *imp)
{
	return sspi_kunit_import(test, "Kerberos", imp, sizeof(*imp));
}

/* An initiator and an acceptor over one random key. */
static void rc4_pair(struct kunit *test, u32 flags, u64 seq0, u64 seq1,
		     struct sspi_context **pair)
{
	struct sspi_krb5_import imp = {
		.enctype = SSPI_KRB5_ENCTYPE_ARCFOUR_HMAC,
		.flags = flags | SSPI_KRB5_F_INITIATOR,
		.send_seq = seq0,
		.recv_seq = seq1,
		.key_len = 16,
	};

	rc4_allow(test, true);
	get_random_bytes(imp.key, 16);
	pair[0] = rc4_import(test, &imp);
	imp.flags &= ~SSPI_KRB5_F_INITIATOR;
	imp.send_seq = seq1;
	imp.recv_seq = seq0;
	pair[1] = rc4_import(test, &imp);
}

static void rc4_fill(u8 *p, u32 len, u8 seed)
{
	u32 i;

	for (i = 0; i < len; i++)
		p[i] = seed + i * 7;
}

/*
 * Seal [TOKEN, DATA, PADDING] (no PADDING if @pad is NULL) and lay the
 * token out as one wire token in @wire: TOKEN | DATA | PADDING.  Returns
 * the error, or 0 with the wire length in *@wlen and TOKEN's in *@toklen.
 */
static int rc4_seal(struct sspi_context *ctx, u32 qop, u8 *data, u32 len,
		    bool pad, u8 *wire, u32 *toklen, u32 *wlen)
{
	u8 tok[RC4_TRAILER], padb[1];
	struct sspi_buffer b[3] = {
		{ .type = SSPI_SECBUFFER_TOKEN, .len = sizeof(tok), .data = tok },
		{ .type = SSPI_SECBUFFER_DATA, .len = len, .data = data },
		{ .type = SSPI_SECBUFFER_PADDING, .len = 1, .data = padb },
	};
	struct sspi_message msg = { .count = pad ? 3 : 2, .buffers = b };
	int err = sspi_encrypt(ctx, qop, &msg, 0);

	if (err)
		return err;
	*toklen = b[0].len;
	memcpy(wire, tok, b[0].len);
	memcpy(wire + b[0].len, data, len);
	*wlen = b[0].len + len;
	if (pad) {
		memcpy(wire + *wlen, padb, b[2].len);
		*wlen += b[2].len;
	}
	return 0;
}

static int rc4_unseal_stream(struct sspi_context *ctx, u8 *wire, u32 len,
			     struct sspi_buffer *b, u32 *qop)
{
	struct sspi_message msg = { .count = 2, .buffers = b };

	b[0] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_STREAM, .len = len, .data = wire };
	b[1] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_DATA };
	return sspi_decrypt(ctx, &msg, 0, qop);
}

static int rc4_unseal_split(struct sspi_context *ctx, u8 *tok, u32 toklen, u8 *data,
			    u32 len, u8 *pad, u32 *qop)
{
	struct sspi_buffer b[3] = {
		{ .type = SSPI_SECBUFFER_TOKEN, .len = toklen, .data = tok },
		{ .type = SSPI_SECBUFFER_DATA, .len = len, .data = data },
		{ .type = SSPI_SECBUFFER_PADDING, .len = 1, .data = pad },
	};
	struct sspi_message msg = { .count = pad ? 3 : 2, .buffers = b };

	return sspi_decrypt(ctx, &msg, 0, qop);
}

static int rc4_sign(struct sspi_context *ctx, u8 *data, u32 len, u8 *mic)
{
	struct sspi_buffer b[2] = {
		{ .type = SSPI_SECBUFFER_DATA, .len = len, .data = data },
		{ .type = SSPI_SECBUFFER_TOKEN, .len = RC4_MIC, .data = mic },
	};
	struct sspi_message msg = { .count = 2, .buffers = b };
	int err = sspi_make_signature(ctx, 0, &msg, 0);

	return err ? err : b[1].len == RC4_MIC ? 0 : -EMSGSIZE;
}

static int rc4_verify(struct sspi_context *ctx, u8 *data, u32 len, u8 *mic, u32 miclen)
{
	struct sspi_buffer b[2] = {
		{ .type = SSPI_SECBUFFER_DATA, .len = len, .data = data },
		{ .type = SSPI_SECBUFFER_TOKEN, .len = miclen, .data = mic },
	};
	struct sspi_message msg = { .count = 2, .buffers = b };
	u32 qop;

	return sspi_verify_signature(ctx, &msg, 0, &qop);
}

static void rc4_import_vec(struct kunit *test, const u8 *key, u32 flags, u64 send,
			   u64 recv, struct sspi_context **ctx)
{
	struct sspi_krb5_import imp = {
		.enctype = SSPI_KRB5_ENCTYPE_ARCFOUR_HMAC,
		.flags = flags | SSPI_KRB5_F_REPLAY | SSPI_KRB5_F_SEQUENCE,
		.send_seq = send,
		.recv_seq = recv,
		.key_len = 16,
	};

	memcpy(imp.key, key, 16);
	*ctx = rc4_import(test, &imp);
}

/* MIT's tokens (krb5_rc4_vectors.h), as each side of a context. */
struct rc4_mit_case {
	const char *desc;
	bool dce;
};

static const struct rc4_mit_case rc4_mit_cases[] = {
	{ "RFC 4757 sections 7.2, 7.3: MIT krb5 1.20 tokens", false },
	{ "RFC 4757 sections 7.2, 7.3: MIT krb5 1.20 tokens, DCE style", true },
};

static void rc4_mit_desc(const struct rc4_mit_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(rc4_mit, rc4_mit_cases, rc4_mit_desc);

static void sspi_rc4_mit_vectors_test(struct kunit *test)
{
	const bool dce = ((const struct rc4_mit_case *)test->param_value)->dce;
	u8 *w = kunit_kmalloc(test, 256, GFP_KERNEL);
	struct sspi_context *acc, *init;
	struct sspi_buffer b[5];
	struct sspi_message msg = { .buffers = b };
	u8 so[2] = { 'S', 'O' }, pad[1];
	const u8 *key = dce ? rc4_dce_key : rc4_std_key;
	u32 fl = dce ? SSPI_KRB5_F_DCE_STYLE : 0;
	u32 iseq = dce ? RC4_DCE_INIT_SEQ : RC4_STD_INIT_SEQ;
	u32 aseq = dce ? RC4_DCE_ACC_SEQ : RC4_STD_ACC_SEQ;
	u32 qop;

	KUNIT_ASSERT_NOT_NULL(test, w);
	rc4_allow(test, true);
	rc4_import_vec(test, key, fl, aseq, iseq, &acc);
	rc4_import_vec(test, key, fl | SSPI_KRB5_F_INITIATOR, iseq, aseq, &init);

	/* gss_wrap sealed: in DCE style too it pads, and counts the data */
	memcpy(w, dce ? rc4_dce_wrap : rc4_std_wrap, sizeof(rc4_std_wrap));
	KUNIT_ASSERT_EQ(test, rc4_unseal_stream(acc, w, sizeof(rc4_std_wrap), b, &qop), 0);
	KUNIT_EXPECT_EQ(test, qop, 0);
	KUNIT_ASSERT_EQ(test, b[1].len, 11);
	KUNIT_EXPECT_MEMEQ(test, b[1].data, "hello world", 11);
	KUNIT_EXPECT_PTR_EQ(test, b[1].data, (void *)(w + 45));

	memcpy(w, dce ? rc4_dce_integ : rc4_std_integ, sizeof(rc4_std_integ));
	KUNIT_ASSERT_EQ(test, rc4_unseal_stream(acc, w, sizeof(rc4_std_integ), b, &qop), 0);
	KUNIT_EXPECT_EQ(test, qop, SSPI_SECQOP_WRAP_NO_ENCRYPT);
	KUNIT_EXPECT_MEMEQ(test, b[1].data, "hello world", 11);

	/* gss_wrap_iov: [TOKEN, SIGN_ONLY, DATA, PADDING] */
	memcpy(w, dce ? rc4_dce_iov_tok : rc4_std_iov_tok, 45);
	memcpy(w + 64, dce ? rc4_dce_iov_data : rc4_std_iov_data, 8);
	pad[0] = rc4_std_iov_pad[0];
	b[0] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_TOKEN, .len = 45, .data = w };
	b[1] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_DATA |
		SSPI_SECBUFFER_READONLY_WITH_CHECKSUM, .len = 2, .data = so };
	b[2] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_DATA, .len = 8,
		.data = w + 64 };
	b[3] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_PADDING, .len = 1,
		.data = pad };
	msg.count = dce ? 3 : 4;
	KUNIT_ASSERT_EQ(test, sspi_decrypt(acc, &msg, 0, &qop), 0);
	KUNIT_EXPECT_MEMEQ(test, w + 64, "payload!", 8);

	memcpy(w, dce ? rc4_dce_mic : rc4_std_mic, RC4_MIC);
	memcpy(w + 64, "mic data", 8);
	KUNIT_EXPECT_EQ(test, rc4_verify(acc, w + 64, 8, w, RC4_MIC), 0);
	/* each token once */
	KUNIT_EXPECT_EQ(test, rc4_verify(acc, w + 64, 8, w, RC4_MIC), -EILSEQ);

	/* the acceptor's token, to the initiator */
	memcpy(w, dce ? rc4_dce_acc_wrap : rc4_std_acc_wrap, sizeof(rc4_std_acc_wrap));
	KUNIT_ASSERT_EQ(test, rc4_unseal_stream(init, w, sizeof(rc4_std_acc_wrap), b,
						&qop), 0);
	KUNIT_EXPECT_MEMEQ(test, b[1].data, "from the acceptor", 17);
	/* and not to the acceptor: it is its own direction */
	memcpy(w, dce ? rc4_dce_acc_wrap : rc4_std_acc_wrap, sizeof(rc4_std_acc_wrap));
	KUNIT_EXPECT_EQ(test, rc4_unseal_stream(acc, w, sizeof(rc4_std_acc_wrap), b,
						&qop), -EBADMSG);
}

/* Both directions, both layouts, sealed and integrity-only, DCE style. */
static void sspi_rc4_round_trip_test(struct kunit *test)
{
	u8 *data = kunit_kzalloc(test, RC4_MSG, GFP_KERNEL);
	u8 *want = kunit_kzalloc(test, RC4_MSG, GFP_KERNEL);
	u8 *wire = kunit_kzalloc(test, RC4_MSG + 64, GFP_KERNEL);
	struct sspi_context_info info;
	struct sspi_context *pair[2];
	u32 toklen, wlen, qop, len;
	struct sspi_buffer b[2];
	int i, dir, integ, dce;

	KUNIT_ASSERT_NOT_NULL(test, data);
	KUNIT_ASSERT_NOT_NULL(test, want);
	KUNIT_ASSERT_NOT_NULL(test, wire);
	for (dce = 0; dce < 2; dce++) {
		rc4_pair(test, dce ? SSPI_KRB5_F_DCE_STYLE : 0, 100, 7000, pair);
		KUNIT_ASSERT_EQ(test, sspi_query(pair[0], &info), 0);
		KUNIT_EXPECT_EQ(test, info.sizes.security_trailer,
				dce ? RC4_DCE_TRAILER : RC4_TRAILER);
		KUNIT_EXPECT_EQ(test, info.sizes.max_signature, RC4_MIC);
		KUNIT_EXPECT_EQ(test, info.sizes.block_size, 1);
		KUNIT_EXPECT_STREQ(test, info.cipher, "arcfour-hmac");
		KUNIT_EXPECT_EQ(test, info.key_bits, 128);
		for (i = 0; i < 16; i++) {
			dir = i & 1;
			integ = (i >> 1) & 1;
			/* 0, 83 (the largest with a one-byte DER length), 84, 1000 */
			len = (i >> 2) == 0 ? 0 : (i >> 2) == 1 ? 83 : (i >> 2) == 2 ? 84 : RC4_MSG;
			rc4_fill(want, len, i);
			memcpy(data, want, len);
			KUNIT_ASSERT_EQ(test, rc4_seal(pair[dir], integ ?
						       SSPI_SECQOP_WRAP_NO_ENCRYPT : 0,
						       data, len, !dce, wire, &toklen, &wlen), 0);
			KUNIT_EXPECT_EQ(test, toklen, dce || len <= 83 ? 45 :
					len < 212 ? 46 : 47);
			KUNIT_EXPECT_EQ(test, wire[0], 0x60);
			KUNIT_EXPECT_EQ(test, get_unaligned_be16(wire + toklen - 32), 0x0201);
			KUNIT_EXPECT_EQ(test, get_unaligned_be16(wire + toklen - 30), 0x1100);
			KUNIT_EXPECT_EQ(test, get_unaligned_be16(wire + toklen - 28),
					integ ? 0xffff : 0x1000);
			KUNIT_EXPECT_EQ(test, get_unaligned_be16(wire + toklen - 26), 0xffff);
			if (!dce)
				KUNIT_EXPECT_EQ(test, wlen, toklen + len + 1);
			if (integ) {
				KUNIT_EXPECT_MEMEQ(test, data, want, len);
				if (!dce)
					KUNIT_EXPECT_EQ(test, wire[wlen - 1], 1);
			} else if (len) {
				KUNIT_EXPECT_MEMNEQ(test, data, want, len);
			}

			/* the whole token in STREAM: DATA points into it */
			KUNIT_ASSERT_EQ(test, rc4_unseal_stream(pair[!dir], wire, wlen, b, &qop),
					0);
			KUNIT_EXPECT_EQ(test, qop, integ ? SSPI_SECQOP_WRAP_NO_ENCRYPT : 0);
			KUNIT_EXPECT_EQ(test, b[1].len, len);
			if (len) {
				KUNIT_EXPECT_PTR_EQ(test, b[1].data, (void *)(wire + toklen));
				KUNIT_EXPECT_MEMEQ(test, b[1].data, want, len);
			}

			/* sealed again, unsealed as [TOKEN, DATA, PADDING] */
			memcpy(data, want, len);
			KUNIT_ASSERT_EQ(test, rc4_seal(pair[dir], integ ?
						       SSPI_SECQOP_WRAP_NO_ENCRYPT : 0,
						       data, len, !dce, wire, &toklen, &wlen), 0);
			KUNIT_ASSERT_EQ(test, rc4_unseal_split(pair[!dir], wire, toklen, data, len,
							       dce ? NULL : wire + wlen - 1, &qop),
					0);
			KUNIT_EXPECT_MEMEQ(test, data, want, len);
		}
	}
}

/* READONLY_WITH_CHECKSUM buffers are signed, READONLY ones ignored. */
static void sspi_rc4_sign_only_test(struct kunit *test)
{
	u8 *mem = kunit_kzalloc(test, RC4_TRAILER + 4 * 64, GFP_KERNEL);
	u8 *tok = mem, *hdr = mem + RC4_TRAILER, *body = hdr + 64, *ro = body + 64;
	u8 *want = ro + 64, pad[1];
	struct sspi_context *pair[2];
	struct sspi_buffer b[5];
	struct sspi_message msg = { .count = 5, .buffers = b };
	u32 qop;
	int integ;

	KUNIT_ASSERT_NOT_NULL(test, mem);
	rc4_pair(test, 0, 1, 2, pair);
	for (integ = 0; integ < 2; integ++) {
		rc4_fill(hdr, 64, 1);
		rc4_fill(body, 64, 2);
		rc4_fill(want, 64, 2);
		rc4_fill(ro, 64, 3);
		b[0] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_TOKEN, .len = RC4_TRAILER,
			.data = tok };
		b[1] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_DATA |
			SSPI_SECBUFFER_READONLY_WITH_CHECKSUM, .len = 64, .data = hdr };
		b[2] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_DATA, .len = 64, .data = body };
		b[3] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_DATA |
			SSPI_SECBUFFER_READONLY, .len = 64, .data = ro };
		b[4] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_PADDING, .len = 1,
			.data = pad };
		KUNIT_ASSERT_EQ(test, sspi_encrypt(pair[0], integ ? SSPI_SECQOP_WRAP_NO_ENCRYPT : 0,
						   &msg, 0), 0);
		/* the DER length counts the encrypted data and padding only */
		KUNIT_EXPECT_EQ(test, b[0].len, 45);
		KUNIT_EXPECT_EQ(test, tok[1], 11 + 32 + 64 + 1);
		/* the signed-only header altered: refused, the data zeroed */
		hdr[5] ^= 1;
		KUNIT_EXPECT_EQ(test, sspi_decrypt(pair[1], &msg, 0, &qop), -EBADMSG);
		if (!integ)
			KUNIT_EXPECT_TRUE(test, !memchr_inv(body, 0, 64));
		hdr[5] ^= 1;
		/* the READONLY buffer is not covered */
		ro[0] ^= 1;
		if (integ) {
			KUNIT_EXPECT_EQ(test, sspi_decrypt(pair[1], &msg, 0, &qop), 0);
			KUNIT_EXPECT_MEMEQ(test, body, want, 64);
		}
	}
}

/* MIC tokens both ways; reflections and replays refused. */
static void sspi_rc4_mic_test(struct kunit *test)
{
	u8 *data = kunit_kzalloc(test, RC4_MSG, GFP_KERNEL);
	u8 mic[RC4_MIC];
	struct sspi_context *pair[2];
	int dir;

	KUNIT_ASSERT_NOT_NULL(test, data);
	rc4_pair(test, SSPI_KRB5_F_REPLAY, 5, 0xfffffffe, pair);
	rc4_fill(data, RC4_MSG, 9);
	for (dir = 0; dir < 2; dir++) {
		KUNIT_ASSERT_EQ(test, rc4_sign(pair[dir], data, RC4_MSG, mic), 0);
		KUNIT_EXPECT_EQ(test, mic[0], 0x60);
		KUNIT_EXPECT_EQ(test, mic[1], 35);
		KUNIT_EXPECT_EQ(test, get_unaligned_be64(mic + 13), 0x01011100ffffffffULL);
		KUNIT_EXPECT_EQ(test, rc4_verify(pair[dir], data, RC4_MSG, mic, RC4_MIC),
				-EBADMSG);
		KUNIT_EXPECT_EQ(test, rc4_verify(pair[!dir], data, RC4_MSG, mic, RC4_MIC - 1),
				-EINVAL);
		data[RC4_MSG - 1] ^= 0x80;
		KUNIT_EXPECT_EQ(test, rc4_verify(pair[!dir], data, RC4_MSG, mic, RC4_MIC),
				-EBADMSG);
		data[RC4_MSG - 1] ^= 0x80;
		KUNIT_EXPECT_EQ(test, rc4_verify(pair[!dir], data, RC4_MSG, mic, RC4_MIC), 0);
		KUNIT_EXPECT_EQ(test, rc4_verify(pair[!dir], data, RC4_MSG, mic, RC4_MIC),
				-EILSEQ);
	}
}

/*
 * Every byte of a token altered, one at a time: -EINVAL or -EBADMSG, no
 * plaintext left in the buffers, the window untouched (the unaltered
 * token passes last).  The checksum does not cover SND_SEQ (RFC 1964):
 * in a token without confidentiality its four sequence number bytes are
 * the sequence window's to judge, and are left out here.
 */
static void sspi_rc4_altered_test(struct kunit *test)
{
	u8 *data = kunit_kzalloc(test, 100, GFP_KERNEL);
	u8 *want = kunit_kzalloc(test, 100, GFP_KERNEL);
	u8 *wire = kunit_kzalloc(test, 200, GFP_KERNEL);
	u8 *sent = kunit_kzalloc(test, 200, GFP_KERNEL);
	struct sspi_context *pair[2];
	u32 toklen, wlen, qop, i;
	struct sspi_buffer b[2];
	u8 mic[RC4_MIC];
	int integ, err;

	KUNIT_ASSERT_NOT_NULL(test, data);
	KUNIT_ASSERT_NOT_NULL(test, want);
	KUNIT_ASSERT_NOT_NULL(test, wire);
	KUNIT_ASSERT_NOT_NULL(test, sent);
	rc4_pair(test, SSPI_KRB5_F_REPLAY | SSPI_KRB5_F_SEQUENCE, 10, 20, pair);
	for (integ = 0; integ < 2; integ++) {
		rc4_fill(want, 100, 4);
		memcpy(data, want, 100);
		KUNIT_ASSERT_EQ(test, rc4_seal(pair[0], integ ? SSPI_SECQOP_WRAP_NO_ENCRYPT : 0,
					       data, 100, true, sent, &toklen, &wlen), 0);
		for (i = 0; i < wlen; i++) {
			if (integ && i >= toklen - 24 && i < toklen - 20)
				continue;
			memcpy(wire, sent, wlen);
			wire[i] ^= 0x01;
			err = rc4_unseal_stream(pair[1], wire, wlen, b, &qop);
			KUNIT_EXPECT_TRUE_MSG(test, err == -EINVAL || err == -EBADMSG,
					      "byte %u: %d", i, err);
			/* the data is as sent or zeroed, never the plaintext */
			if (!integ)
				KUNIT_EXPECT_TRUE_MSG(test, !memchr_inv(wire + toklen, 0, 100) ||
						      !memcmp(wire + toklen, sent + toklen, 100) ||
						      i >= toklen, "byte %u", i);
			if (!integ && i >= toklen)
				KUNIT_EXPECT_TRUE_MSG(test, !memchr_inv(wire + toklen, 0, 100),
						      "byte %u", i);
		}
		memcpy(wire, sent, wlen);
		KUNIT_ASSERT_EQ(test, rc4_unseal_stream(pair[1], wire, wlen, b, &qop), 0);
		KUNIT_EXPECT_MEMEQ(test, b[1].data, want, 100);
		/* a replay: refused, and nothing decrypted left */
		memcpy(wire, sent, wlen);
		KUNIT_EXPECT_EQ(test, rc4_unseal_stream(pair[1], wire, wlen, b, &qop), -EILSEQ);
		if (!integ)
			KUNIT_EXPECT_TRUE(test, !memchr_inv(wire + toklen, 0, 100) ||
					  !memcmp(wire + toklen, sent + toklen, 100));
	}

	KUNIT_ASSERT_EQ(test, rc4_sign(pair[1], want, 100, mic), 0);
	for (i = 0; i < RC4_MIC; i++) {
		u8 m[RC4_MIC];

		if (i >= RC4_MIC - 16 && i < RC4_MIC - 12)
			continue;
		memcpy(m, mic, RC4_MIC);
		m[i] ^= 0x80;
		err = rc4_verify(pair[0], want, 100, m, RC4_MIC);
		KUNIT_EXPECT_TRUE_MSG(test, err == -EINVAL || err == -EBADMSG, "byte %u: %d",
				      i, err);
	}
	KUNIT_EXPECT_EQ(test, rc4_verify(pair[0], want, 100, mic, RC4_MIC), 0);
	KUNIT_EXPECT_EQ(test, rc4_verify(pair[0], want, 100, mic, RC4_MIC), -EILSEQ);
}

/*
 * rc4-hmac's data key comes from the low 32 bits of the sequence number:
 * the send side stops after 0xffffffff (SEC_E_CONTEXT_EXPIRED, nothing
 * changed) rather than wrap and reuse a key, and an import whose send
 * sequence does not fit in 32 bits is refused.  The receive window still
 * places 32-bit numbers in 64 bits.
 */
static void sspi_rc4_send_limit_test(struct kunit *test)
{
	struct sspi_krb5_import imp = {
		.enctype = SSPI_KRB5_ENCTYPE_ARCFOUR_HMAC,
		.flags = SSPI_KRB5_F_INITIATOR,
		.send_seq = 0x100000000ULL,
		.key_len = 16,
	};
	u8 data[16], want[16], wire[80], mic[RC4_MIC], tok[RC4_TRAILER];
	struct sspi_context *pair[2];
	struct sspi_context_info info;
	u32 toklen, wlen, qop;
	struct sspi_buffer b[3];
	struct sspi_message msg = { .count = 3, .buffers = b };
	u64 handle = 0;

	rc4_pair(test, SSPI_KRB5_F_REPLAY | SSPI_KRB5_F_SEQUENCE, 0xffffffff, 3, pair);
	memset(want, 1, sizeof(want));
	memcpy(data, want, sizeof(data));
	KUNIT_ASSERT_EQ(test, rc4_seal(pair[0], 0, data, 16, true, wire, &toklen, &wlen), 0);
	KUNIT_EXPECT_EQ(test, rc4_unseal_stream(pair[1], wire, wlen, b, &qop), 0);
	KUNIT_EXPECT_MEMEQ(test, b[1].data, want, 16);
	KUNIT_ASSERT_EQ(test, sspi_query(pair[1], &info), 0);
	KUNIT_EXPECT_EQ(test, info.rx_seq, 0x100000000ULL);
	KUNIT_ASSERT_EQ(test, sspi_query(pair[0], &info), 0);
	KUNIT_EXPECT_EQ(test, info.tx_seq, 0x100000000ULL);

	/* the next one would be number 0 again: refused, nothing written */
	memcpy(data, want, sizeof(data));
	memset(tok, 0x5a, sizeof(tok));
	b[0] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_TOKEN, .len = sizeof(tok),
				     .data = tok };
	b[1] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_DATA, .len = 16, .data = data };
	b[2] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_PADDING, .len = 1, .data = wire };
	KUNIT_EXPECT_EQ(test, sspi_encrypt(pair[0], 0, &msg, 0), -EKEYEXPIRED);
	KUNIT_EXPECT_MEMEQ(test, data, want, 16);
	KUNIT_EXPECT_EQ(test, b[0].len, sizeof(tok));
	KUNIT_EXPECT_PTR_EQ(test, memchr_inv(tok, 0x5a, sizeof(tok)), NULL);
	KUNIT_EXPECT_EQ(test, sspi_encrypt(pair[0], SSPI_SECQOP_WRAP_NO_ENCRYPT, &msg, 0),
			-EKEYEXPIRED);
	KUNIT_EXPECT_EQ(test, rc4_sign(pair[0], want, 16, mic), -EKEYEXPIRED);
	KUNIT_ASSERT_EQ(test, sspi_query(pair[0], &info), 0);
	KUNIT_EXPECT_EQ(test, info.tx_seq, 0x100000000ULL);
	/* the other direction goes on */
	KUNIT_ASSERT_EQ(test, rc4_seal(pair[1], 0, data, 16, true, wire, &toklen, &wlen), 0);
	KUNIT_EXPECT_EQ(test, rc4_unseal_stream(pair[0], wire, wlen, b, &qop), 0);

	/* a send sequence past 32 bits does not import; a receive one does */
	get_random_bytes(imp.key, 16);
	KUNIT_EXPECT_EQ(test, rc4_try_import(&imp, &handle), -EINVAL);
	KUNIT_EXPECT_EQ(test, handle, 0);
	imp.send_seq = U32_MAX;
	imp.recv_seq = 0x100000005ULL;
	rc4_import(test, &imp);
}

/*
 * A stream with a hole: token 1 tampered (refused, nothing used up).  The
 * number is outside rc4-hmac's checksum, so a gap is not taken on its
 * word: with SEQUENCE token 2 is refused and changes nothing, and 1
 * genuine then opens and the stream goes on; with REPLAY only, 2 is taken
 * (one ahead, within the window), 1 genuine coming late is taken too,
 * and replays are refused.
 */
static void sspi_rc4_gap_test(struct kunit *test)
{
	static const u32 flags[] = {
		SSPI_KRB5_F_REPLAY | SSPI_KRB5_F_SEQUENCE, SSPI_KRB5_F_REPLAY,
	};
	u8 *mem = kunit_kzalloc(test, 4 * 80 + 80, GFP_KERNEL);
	struct sspi_context *pair[2];
	struct sspi_context_info info;
	u32 toklen, wlen[4], qop;
	struct sspi_buffer b[2];
	u8 data[16], *w[4], *copy;
	int i, j;

	KUNIT_ASSERT_NOT_NULL(test, mem);
	copy = mem + 4 * 80;
	for (j = 0; j < ARRAY_SIZE(flags); j++) {
		bool sequence = flags[j] & SSPI_KRB5_F_SEQUENCE;

		rc4_pair(test, flags[j], 10, 20, pair);
		for (i = 0; i < 4; i++) {
			w[i] = mem + i * 80;
			memset(data, i, sizeof(data));
			KUNIT_ASSERT_EQ(test, rc4_seal(pair[0], 0, data, 16, true, w[i],
						       &toklen, &wlen[i]), 0);
		}
		memcpy(copy, w[0], wlen[0]);
		KUNIT_EXPECT_EQ(test, rc4_unseal_stream(pair[1], copy, wlen[0], b, &qop), 0);
		memcpy(copy, w[1], wlen[1]);
		copy[wlen[1] - 2] ^= 1;
		KUNIT_EXPECT_EQ(test, rc4_unseal_stream(pair[1], copy, wlen[1], b, &qop),
				-EBADMSG);
		KUNIT_ASSERT_EQ(test, sspi_query(pair[1], &info), 0);
		KUNIT_EXPECT_EQ(test, info.rx_seq, 11);
		memcpy(copy, w[2], wlen[2]);
		KUNIT_EXPECT_EQ(test, rc4_unseal_stream(pair[1], copy, wlen[2], b, &qop),
				sequence ? -EILSEQ : 0);
		KUNIT_ASSERT_EQ(test, sspi_query(pair[1], &info), 0);
		KUNIT_EXPECT_EQ(test, info.rx_seq, sequence ? 11 : 13);
		memcpy(copy, w[1], wlen[1]);
		KUNIT_EXPECT_EQ(test, rc4_unseal_stream(pair[1], copy, wlen[1], b, &qop), 0);
		memset(data, 1, sizeof(data));
		KUNIT_EXPECT_MEMEQ(test, b[1].data, data, 16);
		memcpy(copy, w[2], wlen[2]);
		KUNIT_EXPECT_EQ(test, rc4_unseal_stream(pair[1], copy, wlen[2], b, &qop),
				sequence ? 0 : -EILSEQ);
		memcpy(copy, w[3], wlen[3]);
		KUNIT_EXPECT_EQ(test, rc4_unseal_stream(pair[1], copy, wlen[3], b, &qop), 0);
		KUNIT_ASSERT_EQ(test, sspi_query(pair[1], &info), 0);
		KUNIT_EXPECT_EQ(test, info.rx_seq, 14);
	}
}

/*
 * With REPLAY only, a gap is taken only within the window's width: a
 * token 64 ahead of the one expected is refused and changes nothing (its
 * number may be anyone's); one 63 ahead is taken, and then the tokens it
 * skipped, and the refused one, in its turn.
 */
static void sspi_rc4_gap_width_test(struct kunit *test)
{
	u8 *mem = kunit_kzalloc(test, 65 * 80 + 80, GFP_KERNEL);
	u32 toklen, wlen[65], qop;
	struct sspi_context *pair[2];
	struct sspi_context_info info;
	struct sspi_buffer b[2];
	u8 data[16], *copy;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, mem);
	copy = mem + 65 * 80;
	rc4_pair(test, SSPI_KRB5_F_REPLAY, 10, 20, pair);
	for (i = 0; i < 65; i++) {
		memset(data, i, sizeof(data));
		KUNIT_ASSERT_EQ(test, rc4_seal(pair[0], 0, data, 16, true, mem + i * 80,
					       &toklen, &wlen[i]), 0);
	}
	memcpy(copy, mem + 64 * 80, wlen[64]);
	KUNIT_EXPECT_EQ(test, rc4_unseal_stream(pair[1], copy, wlen[64], b, &qop),
			-EILSEQ);
	KUNIT_ASSERT_EQ(test, sspi_query(pair[1], &info), 0);
	KUNIT_EXPECT_EQ(test, info.rx_seq, 10);
	memcpy(copy, mem + 63 * 80, wlen[63]);
	KUNIT_EXPECT_EQ(test, rc4_unseal_stream(pair[1], copy, wlen[63], b, &qop), 0);
	KUNIT_ASSERT_EQ(test, sspi_query(pair[1], &info), 0);
	KUNIT_EXPECT_EQ(test, info.rx_seq, 74);
	memcpy(copy, mem, wlen[0]);
	KUNIT_EXPECT_EQ(test, rc4_unseal_stream(pair[1], copy, wlen[0], b, &qop), 0);
	memset(data, 0, sizeof(data));
	KUNIT_EXPECT_MEMEQ(test, b[1].data, data, 16);
	memcpy(copy, mem + 64 * 80, wlen[64]);
	KUNIT_EXPECT_EQ(test, rc4_unseal_stream(pair[1], copy, wlen[64], b, &qop), 0);
}

/* Page data as DATA: sealed and unsealed through the scatterlist. */
static void sspi_rc4_scatterlist_test(struct kunit *test)
{
	struct page *pages[2];
	struct scatterlist sg[2];
	u8 *want = kunit_kmalloc(test, 6000, GFP_KERNEL);
	u8 *got = kunit_kmalloc(test, 6000, GFP_KERNEL);
	u8 tok[RC4_TRAILER], pad[1];
	struct sspi_context *pair[2];
	struct sspi_buffer b[3];
	struct sspi_message msg = { .count = 3, .buffers = b };
	u32 qop;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, want);
	KUNIT_ASSERT_NOT_NULL(test, got);
	rc4_pair(test, 0, 1, 1, pair);
	sg_init_table(sg, 2);
	for (i = 0; i < 2; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, pages[i]);
		sg_set_page(&sg[i], pages[i], PAGE_SIZE, 0);
	}
	rc4_fill(want, 6000, 3);
	sg_pcopy_from_buffer(sg, 2, want, 6000, 100);
	b[0] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_TOKEN, .len = sizeof(tok),
		.data = tok };
	b[1] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_DATA, .len = 6000, .sg = sg,
		.offset = 100 };
	b[2] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_PADDING, .len = 1, .data = pad };
	KUNIT_EXPECT_EQ(test, sspi_encrypt(pair[0], 0, &msg, 0), 0);
	sg_pcopy_to_buffer(sg, 2, got, 6000, 100);
	KUNIT_EXPECT_MEMNEQ(test, got, want, 6000);
	KUNIT_EXPECT_EQ(test, sspi_decrypt(pair[1], &msg, 0, &qop), 0);
	sg_pcopy_to_buffer(sg, 2, got, 6000, 100);
	KUNIT_EXPECT_MEMEQ(test, got, want, 6000);
	for (i = 0; i < 2; i++)
		__free_page(pages[i]);
}

/* Imports refused: without allow_rc4, or one field of a good one changed. */
struct rc4_bad_import_case {
	const char *desc;
	bool allow;
	u32 key_len;
	u32 reserved;
	int err;
};

static const struct rc4_bad_import_case rc4_bad_imports[] = {
	{ "allow_rc4 off", false, 16, 0, -ENOPKG },
	{ "key not 16 bytes", true, 32, 0, -EINVAL },
	{ "reserved not zero", true, 16, 1, -EINVAL },
};

static void rc4_bad_import_desc(const struct rc4_bad_import_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(rc4_bad_import, rc4_bad_imports, rc4_bad_import_desc);

static void sspi_rc4_bad_import_test(struct kunit *test)
{
	const struct rc4_bad_import_case *c = test->param_value;
	struct sspi_krb5_import imp = {
		.enctype = SSPI_KRB5_ENCTYPE_ARCFOUR_HMAC,
		.flags = SSPI_KRB5_F_INITIATOR,
		.key_len = c->key_len,
		.reserved = c->reserved,
	};
	u64 handle = 0;

	rc4_allow(test, c->allow);
	KUNIT_EXPECT_EQ(test, rc4_try_import(&imp, &handle), c->err);
	KUNIT_EXPECT_EQ(test, handle, 0);
}

/*
 * EncryptMessage calls refused: [TOKEN, DATA 8, PADDING] with a buffer
 * too small or missing, a QOP, a caller sequence number.  The sealed
 * token is 45 bytes (RC4_TRAILER room), PADDING takes 1.
 */
struct rc4_bad_seal_case {
	const char *desc;
	u32 tok_type;
	u32 tok_len;
	u32 pad_len;
	unsigned int count;
	u32 qop;
	u32 seqno;
	int err;
};

static const struct rc4_bad_seal_case rc4_bad_seals[] = {
	{ "TOKEN shorter than the token", SSPI_SECBUFFER_TOKEN, 44, 1, 3, 0, 0, -ENOBUFS },
	{ "a QOP rc4-hmac does not have", SSPI_SECBUFFER_TOKEN, RC4_TRAILER, 1, 3, 1, 0,
	  -ENOPROTOOPT },
	{ "a caller sequence number", SSPI_SECBUFFER_TOKEN, RC4_TRAILER, 1, 3, 0, 5, -EINVAL },
	{ "PADDING of 0 bytes", SSPI_SECBUFFER_TOKEN, RC4_TRAILER, 0, 3, 0, 0, -ENOBUFS },
	{ "no PADDING", SSPI_SECBUFFER_TOKEN, RC4_TRAILER, 0, 2, 0, 0, -EINVAL },
	{ "no TOKEN", SSPI_SECBUFFER_EMPTY, RC4_TRAILER, 0, 2, 0, 0, -EINVAL },
};

static void rc4_bad_seal_desc(const struct rc4_bad_seal_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(rc4_bad_seal, rc4_bad_seals, rc4_bad_seal_desc);

static void sspi_rc4_bad_seal_test(struct kunit *test)
{
	const struct rc4_bad_seal_case *c = test->param_value;
	u8 tok[RC4_TRAILER], data[8] = {}, pad[1];
	struct sspi_context *pair[2];
	struct sspi_buffer b[3] = {
		{ .type = c->tok_type, .len = c->tok_len, .data = tok },
		{ .type = SSPI_SECBUFFER_DATA, .len = 8, .data = data },
		{ .type = SSPI_SECBUFFER_PADDING, .len = c->pad_len, .data = pad },
	};
	struct sspi_message msg = { .count = c->count, .buffers = b };

	rc4_pair(test, 0, 1, 1, pair);
	KUNIT_EXPECT_EQ(test, sspi_encrypt(pair[0], c->qop, &msg, c->seqno), c->err);
}

/*
 * DecryptMessage of a good token [TOKEN 45, DATA 8, PADDING 1] split
 * wrongly: refused, and the token as sealed still opens after.
 */
struct rc4_bad_split_case {
	const char *desc;
	u32 tok_len;
	u32 data_len;
	unsigned int count;
};

static const struct rc4_bad_split_case rc4_bad_splits[] = {
	{ "DATA one byte short", 45, 7, 3 },
	{ "no PADDING", 45, 8, 2 },
	{ "TOKEN one byte short", 44, 8, 3 },
};

static void rc4_bad_split_desc(const struct rc4_bad_split_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(rc4_bad_split, rc4_bad_splits, rc4_bad_split_desc);

static void sspi_rc4_bad_split_test(struct kunit *test)
{
	const struct rc4_bad_split_case *c = test->param_value;
	u8 tok[RC4_TRAILER], data[8] = {}, pad[1];
	struct sspi_context *pair[2];
	struct sspi_buffer b[3] = {
		{ .type = SSPI_SECBUFFER_TOKEN, .len = sizeof(tok), .data = tok },
		{ .type = SSPI_SECBUFFER_DATA, .len = 8, .data = data },
		{ .type = SSPI_SECBUFFER_PADDING, .len = 1, .data = pad },
	};
	struct sspi_message msg = { .count = 3, .buffers = b };
	u32 qop;

	rc4_pair(test, 0, 1, 1, pair);
	KUNIT_ASSERT_EQ(test, sspi_encrypt(pair[0], 0, &msg, 0), 0);
	KUNIT_EXPECT_EQ(test, b[0].len, 45);
	b[0].len = c->tok_len;
	b[1].len = c->data_len;
	msg.count = c->count;
	KUNIT_EXPECT_EQ(test, sspi_decrypt(pair[1], &msg, 0, &qop), -EINVAL);
	b[0].len = 45;
	b[1].len = 8;
	msg.count = 3;
	KUNIT_EXPECT_EQ(test, sspi_decrypt(pair[1], &msg, 0, &qop), 0);
}

/* MakeSignature refused: a TOKEN too small, a QOP. */
static void sspi_rc4_bad_mic_test(struct kunit *test)
{
	u8 data[8] = {}, mic[RC4_MIC];
	struct sspi_context *pair[2];
	struct sspi_buffer b[2] = {
		{ .type = SSPI_SECBUFFER_DATA, .len = 8, .data = data },
		{ .type = SSPI_SECBUFFER_TOKEN, .len = RC4_MIC - 1, .data = mic },
	};
	struct sspi_message msg = { .count = 2, .buffers = b };

	rc4_pair(test, 0, 1, 1, pair);
	KUNIT_EXPECT_EQ(test, sspi_make_signature(pair[0], 0, &msg, 0), -ENOBUFS);
	b[1].len = RC4_MIC;
	KUNIT_EXPECT_EQ(test, sspi_make_signature(pair[0], 1, &msg, 0), -ENOPROTOOPT);
}

static struct kunit_case sspi_rc4_test_cases[] = {
	KUNIT_CASE_PARAM(sspi_rc4_mit_vectors_test, rc4_mit_gen_params),
	KUNIT_CASE(sspi_rc4_round_trip_test),
	KUNIT_CASE(sspi_rc4_sign_only_test),
	KUNIT_CASE(sspi_rc4_mic_test),
	KUNIT_CASE(sspi_rc4_altered_test),
	KUNIT_CASE(sspi_rc4_send_limit_test),
	KUNIT_CASE(sspi_rc4_gap_test),
	KUNIT_CASE(sspi_rc4_gap_width_test),
	KUNIT_CASE(sspi_rc4_scatterlist_test),
	KUNIT_CASE_PARAM(sspi_rc4_bad_import_test, rc4_bad_import_gen_params),
	KUNIT_CASE_PARAM(sspi_rc4_bad_seal_test, rc4_bad_seal_gen_params),
	KUNIT_CASE_PARAM(sspi_rc4_bad_split_test, rc4_bad_split_gen_params),
	KUNIT_CASE(sspi_rc4_bad_mic_test),
	{}
};

static struct kunit_suite sspi_rc4_test_suite = {
	.name = "sspi_krb5_rc4",
	.test_cases = sspi_rc4_test_cases,
};

kunit_test_suite(sspi_rc4_test_suite);
