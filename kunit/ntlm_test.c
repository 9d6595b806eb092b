// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the NTLM package (sspi_kmod/ntlm*.c): MS-NLMP 4.2
 * vectors sealed and signed by both sides (ntlm_vectors.h), a live
 * gss-ntlmssp exchange's tokens made and taken by both sides, every altered
 * byte of every variant refused with the RC4 state left as it was,
 * round trips in every buffer layout, sequence numbers, datagram mode,
 * sign-only contexts, allow_weak_ntlm, bad imports and bad buffers, and
 * Negotiate's delegation to NTLM.
 */

#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/random.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <sspi_kmod/sspi.h>

#include "../sspi_kmod/compat.h"
#include "../sspi_kmod/context.h"
#include "../sspi_kmod/ntlm.h"
#include "../sspi_kmod/package.h"
#include "harness.h"
#include "ntlm_vectors.h"

#define SIG	SSPI_NTLM_SIG_LEN
#define PT_LEN	sizeof(ntlm_plaintext)
#define WIRE	(SIG + PT_LEN)

static void ntlm_restore_weak(void *arg)
{
	sspi_ntlm_allow_weak = (bool)(unsigned long)arg;
}

/* allow_weak_ntlm as @on for the test, back as it was after it. */
static void ntlm_allow_weak(struct kunit *test, bool on)
{
	void *was = (void *)(unsigned long)sspi_ntlm_allow_weak;

	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, ntlm_restore_weak, was), 0);
	sspi_ntlm_allow_weak = on;
}

static void ntlm_imp(struct sspi_ntlm_import *imp, u32 neg, bool initiator,
		     u32 send, u32 recv, const u8 *key)
{
	*imp = (struct sspi_ntlm_import){
		.negotiate_flags = neg,
		.flags = initiator ? SSPI_NTLM_F_INITIATOR : 0,
		.send_seq = send,
		.recv_seq = recv,
	};
	memcpy(imp->session_key, key, 16);
}

static struct sspi_context *ntlm_import(struct kunit *test, u32 neg,
					bool initiator, u32 send, u32 recv,
					const u8 *key)
{
	struct sspi_ntlm_import imp;

	ntlm_imp(&imp, neg, initiator, send, recv, key);
	return sspi_kunit_import(test, "NTLM", &imp, sizeof(imp));
}

/* The two sides of a vector's context: [0] sends, [1] receives. */
static void ntlm_vec_pair(struct kunit *test, const struct ntlm_vector *v,
			  struct sspi_context **pair)
{
	bool dg = v->flags & SSPI_NTLMSSP_NEGOTIATE_DATAGRAM;
	u32 s = dg ? 0 : v->seq;

	ntlm_allow_weak(test, v->weak);
	pair[0] = ntlm_import(test, v->flags, v->initiator, s, s, v->key);
	pair[1] = ntlm_import(test, v->flags, !v->initiator, s, s, v->key);
}

static u32 ntlm_vec_seqno(const struct ntlm_vector *v)
{
	return v->flags & SSPI_NTLMSSP_NEGOTIATE_DATAGRAM ? v->seq : 0;
}

static int ntlm_seal(struct sspi_context *ctx, u32 qop, u8 *tok, u32 toklen,
		     u8 *data, u32 len, u32 seqno)
{
	struct sspi_buffer b[2] = {
		{ .type = SSPI_SECBUFFER_TOKEN, .len = toklen, .data = tok },
		{ .type = SSPI_SECBUFFER_DATA, .len = len, .data = data },
	};
	struct sspi_message msg = { .count = 2, .buffers = b };
	int err = sspi_encrypt(ctx, qop, &msg, seqno);

	return err ? err : b[0].len == SIG ? 0 : -EMSGSIZE;
}

static int ntlm_unseal(struct sspi_context *ctx, u8 *tok, u8 *data, u32 len,
		       u32 seqno, u32 *qop)
{
	struct sspi_buffer b[2] = {
		{ .type = SSPI_SECBUFFER_TOKEN, .len = SIG, .data = tok },
		{ .type = SSPI_SECBUFFER_DATA, .len = len, .data = data },
	};
	struct sspi_message msg = { .count = 2, .buffers = b };

	return sspi_decrypt(ctx, &msg, seqno, qop);
}

static int ntlm_sign(struct sspi_context *ctx, u8 *data, u32 len, u8 *sig,
		     u32 seqno)
{
	struct sspi_buffer b[2] = {
		{ .type = SSPI_SECBUFFER_DATA, .len = len, .data = data },
		{ .type = SSPI_SECBUFFER_TOKEN, .len = SIG, .data = sig },
	};
	struct sspi_message msg = { .count = 2, .buffers = b };

	return sspi_make_signature(ctx, 0, &msg, seqno);
}

static int ntlm_verify(struct sspi_context *ctx, u8 *data, u32 len, u8 *sig,
		       u32 seqno)
{
	struct sspi_buffer b[2] = {
		{ .type = SSPI_SECBUFFER_DATA, .len = len, .data = data },
		{ .type = SSPI_SECBUFFER_TOKEN, .len = SIG, .data = sig },
	};
	struct sspi_message msg = { .count = 2, .buffers = b };
	u32 qop;

	return sspi_verify_signature(ctx, &msg, seqno, &qop);
}

static void ntlm_vec_desc(const struct ntlm_vector *v, char *desc)
{
	strscpy(desc, v->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ntlm_vec, ntlm_vectors, ntlm_vec_desc);

/*
 * EncryptMessage makes the vector's DATA and signature; the other side's
 * DecryptMessage takes them back, as [TOKEN, DATA] and as [STREAM, DATA].
 */
static void sspi_ntlm_vector_seal_test(struct kunit *test)
{
	const struct ntlm_vector *v = test->param_value;
	bool seal = v->flags & SSPI_NTLMSSP_NEGOTIATE_SEAL;
	u32 seqno = ntlm_vec_seqno(v), qop = 1;
	u8 *buf = kunit_kzalloc(test, 2 * WIRE + 8, GFP_KERNEL);
	u8 *tok, *data, *wire;
	struct sspi_context *pair[2], *rx2;
	struct sspi_buffer b[2];
	struct sspi_message msg = { .count = 2, .buffers = b };
	bool dg = v->flags & SSPI_NTLMSSP_NEGOTIATE_DATAGRAM;
	u32 s = dg ? 0 : v->seq;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	tok = buf;
	data = buf + SIG + 4;
	wire = buf + WIRE + 4;
	ntlm_vec_pair(test, v, pair);
	memcpy(data, ntlm_plaintext, PT_LEN);
	/* a TOKEN larger than the signature comes back 16 bytes long */
	KUNIT_ASSERT_EQ(test, ntlm_seal(pair[0], 0, tok, SIG + 4, data, PT_LEN, seqno), 0);
	KUNIT_EXPECT_MEMEQ(test, tok, v->seal_sig, SIG);
	KUNIT_EXPECT_MEMEQ(test, data, v->wrapped, PT_LEN);

	KUNIT_ASSERT_EQ(test, ntlm_unseal(pair[1], tok, data, PT_LEN, seqno, &qop), 0);
	KUNIT_EXPECT_MEMEQ(test, data, ntlm_plaintext, PT_LEN);
	KUNIT_EXPECT_EQ(test, qop, seal ? 0 : SSPI_SECQOP_WRAP_NO_ENCRYPT);

	/* STREAM: DATA comes back pointing at the plaintext inside it */
	rx2 = ntlm_import(test, v->flags, !v->initiator, s, s, v->key);
	memcpy(wire, v->seal_sig, SIG);
	memcpy(wire + SIG, v->wrapped, PT_LEN);
	b[0] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_STREAM, .len = WIRE, .data = wire };
	b[1] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_DATA };
	KUNIT_ASSERT_EQ(test, sspi_decrypt(rx2, &msg, seqno, &qop), 0);
	KUNIT_EXPECT_PTR_EQ(test, b[1].data, (void *)(wire + SIG));
	KUNIT_EXPECT_EQ(test, b[1].len, PT_LEN);
	KUNIT_EXPECT_MEMEQ(test, wire + SIG, ntlm_plaintext, PT_LEN);
}

/* MakeSignature makes the vector's signature; VerifySignature takes it. */
static void sspi_ntlm_vector_sign_test(struct kunit *test)
{
	const struct ntlm_vector *v = test->param_value;
	u32 seqno = ntlm_vec_seqno(v);
	u8 *buf = kunit_kzalloc(test, SIG + PT_LEN, GFP_KERNEL);
	struct sspi_context *pair[2];

	KUNIT_ASSERT_NOT_NULL(test, buf);
	ntlm_vec_pair(test, v, pair);
	memcpy(buf + SIG, ntlm_plaintext, PT_LEN);
	KUNIT_ASSERT_EQ(test, ntlm_sign(pair[0], buf + SIG, PT_LEN, buf, seqno), 0);
	KUNIT_EXPECT_MEMEQ(test, buf, v->sign_sig, SIG);
	KUNIT_EXPECT_MEMEQ(test, buf + SIG, ntlm_plaintext, PT_LEN);
	KUNIT_EXPECT_EQ(test, ntlm_verify(pair[1], buf + SIG, PT_LEN, buf, seqno), 0);
}

/*
 * What altering byte @i of signature || message must come to: the
 * version and checksum -EBADMSG, the sequence number -EILSEQ, the text
 * -EBADMSG; NTLMv1's RandomPad is not judged (0 as the peer's keystream
 * byte is both in use).
 */
static int ntlm_altered_err(const struct ntlm_vector *v, unsigned int i)
{
	bool ess = v->flags & SSPI_NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY;

	if (!ess && i >= 4 && i < 8)
		return 0;
	if (i >= 12 && i < 16)
		return -EILSEQ;
	return -EBADMSG;
}

static void ntlm_gss_desc(const struct ntlm_gss_capture *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ntlm_gss, ntlm_gss_captures, ntlm_gss_desc);

/*
 * gss-ntlmssp's live tokens (ntlm_vectors.h): each side of the module's
 * context makes the tokens gss-ntlmssp's made on that side, byte for byte,
 * and takes the other side's, in the exchange's order.
 */
static void sspi_ntlm_gss_peer_test(struct kunit *test)
{
	const struct ntlm_gss_capture *c = test->param_value;
	u8 *mine = kunit_kzalloc(test, WIRE, GFP_KERNEL);
	u8 *theirs = kunit_kzalloc(test, WIRE, GFP_KERNEL);
	struct sspi_context *client, *server;
	struct sspi_buffer b[2];
	struct sspi_message msg = { .count = 2, .buffers = b };
	unsigned int i;
	u32 qop;

	KUNIT_ASSERT_NOT_NULL(test, mine);
	KUNIT_ASSERT_NOT_NULL(test, theirs);
	ntlm_allow_weak(test, c->weak);
	client = ntlm_import(test, c->flags, true, 0, 0, c->key);
	server = ntlm_import(test, c->flags, false, 0, 0, c->key);
	for (i = 0; i < ARRAY_SIZE(c->tokens); i++) {
		const struct ntlm_gss_token *t = &c->tokens[i];
		struct sspi_context *maker = t->from_client ? client : server;
		struct sspi_context *taker = t->from_client ? server : client;

		memcpy(mine + SIG, ntlm_plaintext, PT_LEN);
		memcpy(theirs, t->bytes, t->len);
		if (t->wrap) {
			KUNIT_ASSERT_EQ(test, ntlm_seal(maker, 0, mine, SIG, mine + SIG, PT_LEN, 0),
					0);
			KUNIT_EXPECT_MEMEQ_MSG(test, mine, t->bytes, WIRE, "token %u", i);
			b[0] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_STREAM, .len = t->len,
				.data = theirs };
			b[1] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_DATA };
			KUNIT_ASSERT_EQ(test, sspi_decrypt(taker, &msg, 0, &qop), 0);
			KUNIT_EXPECT_EQ(test, b[1].len, PT_LEN);
			KUNIT_EXPECT_MEMEQ(test, theirs + SIG, ntlm_plaintext, PT_LEN);
		} else {
			KUNIT_ASSERT_EQ(test, ntlm_sign(maker, mine + SIG, PT_LEN, mine, 0), 0);
			KUNIT_EXPECT_MEMEQ_MSG(test, mine, t->bytes, SIG, "token %u", i);
			memcpy(theirs + SIG, ntlm_plaintext, PT_LEN);
			KUNIT_EXPECT_EQ(test,
					ntlm_verify(taker, theirs + SIG, PT_LEN, theirs, 0), 0);
		}
	}
}

/*
 * Negotiate that selected NTLM (SSPI_NEGOTIATE_MECH_NTLM): the context
 * seals and takes MS-NLMP 4.2.4.4 as the NTLM package does, and a plain
 * NTLM context is its peer.  Skipped while no Negotiate package is
 * registered.
 */
static void sspi_ntlm_negotiate_test(struct kunit *test)
{
	const struct ntlm_vector *v = &ntlm_vectors[2];
	struct sspi_negotiate_import *neg;
	struct sspi_ntlm_import *imp;
	struct sspi_context *client, *server;
	struct sspi_context_info info;
	u8 *p = kunit_kzalloc(test, WIRE, GFP_KERNEL);
	size_t len = sizeof(*neg) + sizeof(*imp);
	u32 qop;

	KUNIT_ASSERT_NOT_NULL(test, p);
	if (!sspi_package_find("Negotiate"))
		kunit_skip(test, "no Negotiate package");
	neg = kunit_kzalloc(test, len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, neg);
	neg->mech = SSPI_NEGOTIATE_MECH_NTLM;
	neg->len = sizeof(*imp);
	imp = (struct sspi_ntlm_import *)neg->import;
	ntlm_imp(imp, v->flags, true, 0, 0, v->key);
	client = sspi_kunit_import(test, "Negotiate", neg, len);
	server = ntlm_import(test, v->flags, false, 0, 0, v->key);
	KUNIT_ASSERT_EQ(test, sspi_query(client, &info), 0);
	KUNIT_EXPECT_STREQ(test, info.package, "Negotiate");
	KUNIT_EXPECT_STREQ(test, info.cipher, "rc4-hmac-md5-128");
	KUNIT_EXPECT_EQ(test, info.key_bits, 128);

	memcpy(p + SIG, ntlm_plaintext, PT_LEN);
	KUNIT_ASSERT_EQ(test, ntlm_seal(client, 0, p, SIG, p + SIG, PT_LEN, 0), 0);
	KUNIT_EXPECT_MEMEQ(test, p, v->seal_sig, SIG);
	KUNIT_EXPECT_MEMEQ(test, p + SIG, v->wrapped, PT_LEN);
	KUNIT_EXPECT_EQ(test, ntlm_unseal(server, p, p + SIG, PT_LEN, 0, &qop), 0);
	KUNIT_EXPECT_MEMEQ(test, p + SIG, ntlm_plaintext, PT_LEN);
	/* and back: the server's message, unsealed through Negotiate */
	KUNIT_ASSERT_EQ(test, ntlm_seal(server, 0, p, SIG, p + SIG, PT_LEN, 0), 0);
	KUNIT_EXPECT_EQ(test, ntlm_unseal(client, p, p + SIG, PT_LEN, 0, &qop), 0);
	KUNIT_EXPECT_MEMEQ(test, p + SIG, ntlm_plaintext, PT_LEN);
}

/*
 * Every byte of the sealed message and of the signature, altered, is
 * refused by one receiver, which then still takes the genuine message:
 * the RC4 state and the sequence number were left as they were.
 */
static void sspi_ntlm_vector_altered_test(struct kunit *test)
{
	const struct ntlm_vector *v = test->param_value;
	u32 seqno = ntlm_vec_seqno(v), qop;
	u8 *w = kunit_kzalloc(test, WIRE, GFP_KERNEL);
	struct sspi_context *pair[2];
	struct sspi_context_info before, after;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, w);
	ntlm_vec_pair(test, v, pair);
	KUNIT_ASSERT_EQ(test, sspi_query(pair[1], &before), 0);
	for (i = 0; i < WIRE; i++) {
		int want = ntlm_altered_err(v, i);

		if (!want)
			continue;
		memcpy(w, v->seal_sig, SIG);
		memcpy(w + SIG, v->wrapped, PT_LEN);
		w[i] ^= 0x01;
		KUNIT_EXPECT_EQ_MSG(test, ntlm_unseal(pair[1], w, w + SIG, PT_LEN, seqno, &qop),
				    want, "sealed byte %u", i);
		memcpy(w, v->sign_sig, SIG);
		memcpy(w + SIG, ntlm_plaintext, PT_LEN);
		w[i] ^= 0x80;
		KUNIT_EXPECT_EQ_MSG(test, ntlm_verify(pair[1], w + SIG, PT_LEN, w, seqno),
				    want, "signed byte %u", i);
	}
	KUNIT_ASSERT_EQ(test, sspi_query(pair[1], &after), 0);
	KUNIT_EXPECT_EQ(test, after.rx_seq, before.rx_seq);
	memcpy(w, v->seal_sig, SIG);
	memcpy(w + SIG, v->wrapped, PT_LEN);
	KUNIT_EXPECT_EQ(test, ntlm_unseal(pair[1], w, w + SIG, PT_LEN, seqno, &qop), 0);
	KUNIT_EXPECT_MEMEQ(test, w + SIG, ntlm_plaintext, PT_LEN);
}

/* NTLMv1: a RandomPad other than 0 (Samba sends RC4's) is taken. */
static void sspi_ntlm_v1_random_pad_test(struct kunit *test)
{
	const struct ntlm_vector *v = &ntlm_vectors[0];
	u8 *w = kunit_kzalloc(test, WIRE, GFP_KERNEL);
	struct sspi_context *pair[2];
	u32 qop;

	KUNIT_ASSERT_NOT_NULL(test, w);
	ntlm_vec_pair(test, v, pair);
	memcpy(w, v->seal_sig, SIG);
	memcpy(w + SIG, v->wrapped, PT_LEN);
	get_random_bytes(w + 4, 4);
	KUNIT_EXPECT_EQ(test, ntlm_unseal(pair[1], w, w + SIG, PT_LEN, 0, &qop), 0);
	KUNIT_EXPECT_MEMEQ(test, w + SIG, ntlm_plaintext, PT_LEN);
}

/* The variants of the round trips. */
struct ntlm_variant {
	const char *name;
	u32 flags;
	bool weak;
};

#define F(x)	SSPI_NTLMSSP_NEGOTIATE_##x
#define ESS	F(EXTENDED_SESSIONSECURITY)

static const struct ntlm_variant ntlm_variants[] = {
	{ "ESS 128 KEY_EXCH", F(128) | F(KEY_EXCH) | ESS | F(SIGN) | F(SEAL) },
	{ "ESS 128", F(128) | ESS | F(SIGN) | F(SEAL) },
	{ "ESS 56 KEY_EXCH", F(56) | F(KEY_EXCH) | ESS | F(SIGN) | F(SEAL) },
	{ "ESS 40 KEY_EXCH", F(KEY_EXCH) | ESS | F(SIGN) | F(SEAL), true },
	{ "ESS 128 datagram", F(128) | F(KEY_EXCH) | ESS | F(SIGN) |
	  F(SEAL) | F(DATAGRAM) },
	{ "ESS 128 sign only", F(128) | F(KEY_EXCH) | ESS | F(SIGN) },
	{ "ESS sign only, no KEY_EXCH", ESS | F(SIGN) },
	{ "NTLMv1", F(128) | F(SIGN) | F(SEAL), true },
	{ "NTLMv1 LM_KEY 56", F(56) | F(LM_KEY) | F(SIGN) | F(SEAL), true },
	{ "NTLMv1 LM_KEY 40", F(LM_KEY) | F(SIGN) | F(SEAL), true },
	{ "NTLMv1 datagram", F(128) | F(SIGN) | F(SEAL) | F(DATAGRAM), true },
	{ "NTLMv1 sign only", F(SIGN), true },
};

static void ntlm_variant_desc(const struct ntlm_variant *v, char *desc)
{
	strscpy(desc, v->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ntlm_variant, ntlm_variants, ntlm_variant_desc);

static void ntlm_pair(struct kunit *test, const struct ntlm_variant *v,
		      struct sspi_context **pair)
{
	u8 key[16];

	get_random_bytes(key, sizeof(key));
	ntlm_allow_weak(test, v->weak);
	pair[0] = ntlm_import(test, v->flags, true, 0, 0, key);
	pair[1] = ntlm_import(test, v->flags, false, 0, 0, key);
}

static void ntlm_fill(u8 *p, u32 len, u8 seed)
{
	u32 i;

	for (i = 0; i < len; i++)
		p[i] = seed + i * 13;
}

#define RT_MAX	5000

/*
 * Messages of several sizes each way, sealed as [TOKEN, DATA, DATA
 * (signed only), DATA (read-only), DATA] and signed, interleaved: the
 * peer takes every one, the text comes back, the signed-only and
 * read-only buffers are never written, sealing encrypts.
 */
static void sspi_ntlm_round_trip_test(struct kunit *test)
{
	static const u32 sizes[] = { 0, 1, 255, 256, 257, 1000, RT_MAX };
	const struct ntlm_variant *v = test->param_value;
	bool seal = v->flags & SSPI_NTLMSSP_NEGOTIATE_SEAL;
	bool dg = v->flags & SSPI_NTLMSSP_NEGOTIATE_DATAGRAM;
	u8 *want = kunit_kmalloc(test, RT_MAX, GFP_KERNEL);
	u8 *d = kunit_kmalloc(test, RT_MAX, GFP_KERNEL);
	u8 *hdr = kunit_kmalloc(test, 24, GFP_KERNEL);
	u8 *ro = kunit_kmalloc(test, 8, GFP_KERNEL);
	u8 *tok = kunit_kmalloc(test, 2 * SIG, GFP_KERNEL);
	struct sspi_context *pair[2];
	struct sspi_buffer b[5];
	struct sspi_message msg = { .count = 5, .buffers = b };
	unsigned int i, dir;
	u32 qop, seqno = 0;

	KUNIT_ASSERT_NOT_NULL(test, want);
	KUNIT_ASSERT_NOT_NULL(test, d);
	KUNIT_ASSERT_NOT_NULL(test, hdr);
	KUNIT_ASSERT_NOT_NULL(test, ro);
	KUNIT_ASSERT_NOT_NULL(test, tok);
	ntlm_pair(test, v, pair);
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		for (dir = 0; dir < 2; dir++) {
			struct sspi_context *tx = pair[dir], *rx = pair[!dir];
			u32 len = sizes[i], half = len / 2, sno = 0;

			if (dg) {
				seqno = 100 - i * 2 - dir;
				sno = seqno + 1000;
			}
			ntlm_fill(want, len, i + dir);
			memcpy(d, want, len);
			ntlm_fill(hdr, 24, 0x40);
			ntlm_fill(ro, 8, 0x80);
			b[0] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_TOKEN, .len = 2 * SIG,
				.data = tok };
			b[1] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_DATA, .len = half,
				.data = d };
			b[2] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_DATA |
				SSPI_SECBUFFER_READONLY_WITH_CHECKSUM, .len = 24, .data = hdr };
			b[3] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_DATA |
				SSPI_SECBUFFER_READONLY, .len = 8, .data = ro };
			b[4] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_DATA, .len = len - half,
				.data = d + half };
			KUNIT_ASSERT_EQ(test, sspi_encrypt(tx, 0, &msg, seqno), 0);
			KUNIT_EXPECT_EQ(test, b[0].len, SIG);
			if (!seal)
				KUNIT_EXPECT_MEMEQ(test, d, want, len);
			else if (len >= 8)
				KUNIT_EXPECT_MEMNEQ(test, d, want, len);
			/* the read-only buffer is not signed: changing it is fine */
			ro[0] ^= 0xff;
			KUNIT_ASSERT_EQ(test, sspi_decrypt(rx, &msg, seqno, &qop), 0);
			KUNIT_EXPECT_MEMEQ(test, d, want, len);
			KUNIT_EXPECT_EQ(test, qop, seal ? 0 : SSPI_SECQOP_WRAP_NO_ENCRYPT);
			ntlm_fill(want, 24, 0x40);
			KUNIT_EXPECT_MEMEQ(test, hdr, want, 24);

			/* then a signature over the same text */
			ntlm_fill(want, len, i + dir);
			KUNIT_ASSERT_EQ(test, ntlm_sign(tx, d, len, tok, sno), 0);
			KUNIT_EXPECT_MEMEQ(test, d, want, len);
			KUNIT_EXPECT_EQ(test, ntlm_verify(rx, d, len, tok, sno), 0);
		}
	}
}

/* The same through scatterlists crossing pages, at an offset. */
static void sspi_ntlm_scatterlist_test(struct kunit *test)
{
	const struct ntlm_variant *v = &ntlm_variants[0];
	u8 *want = kunit_kmalloc(test, 6000, GFP_KERNEL);
	u8 *got = kunit_kmalloc(test, 6000, GFP_KERNEL);
	u8 *tok = kunit_kmalloc(test, SIG, GFP_KERNEL);
	struct sspi_context *pair[2];
	struct page *pages[2];
	struct scatterlist sg[2];
	struct sspi_buffer b[2];
	struct sspi_message msg = { .count = 2, .buffers = b };
	u32 qop;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, want);
	KUNIT_ASSERT_NOT_NULL(test, got);
	KUNIT_ASSERT_NOT_NULL(test, tok);
	ntlm_pair(test, v, pair);
	sg_init_table(sg, 2);
	for (i = 0; i < 2; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, pages[i]);
		sg_set_page(&sg[i], pages[i], PAGE_SIZE, 0);
	}
	ntlm_fill(want, 6000, 3);
	sg_pcopy_from_buffer(sg, 2, want, 6000, 100);
	b[0] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_TOKEN, .len = SIG, .data = tok };
	b[1] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_DATA, .len = 6000, .sg = sg,
		.offset = 100 };
	KUNIT_EXPECT_EQ(test, sspi_encrypt(pair[0], 0, &msg, 0), 0);
	sg_pcopy_to_buffer(sg, 2, got, 6000, 100);
	KUNIT_EXPECT_MEMNEQ(test, got, want, 6000);
	KUNIT_EXPECT_EQ(test, sspi_decrypt(pair[1], &msg, 0, &qop), 0);
	sg_pcopy_to_buffer(sg, 2, got, 6000, 100);
	KUNIT_EXPECT_MEMEQ(test, got, want, 6000);
	for (i = 0; i < 2; i++)
		__free_page(pages[i]);
}

/*
 * Connection mode: messages are taken in order only.  One out of order is
 * SEC_E_OUT_OF_SEQUENCE (extended session security: the number is in the
 * clear), a replay too; neither moves the receiver.  Without extended
 * session security the one RC4 stream makes either a wrong checksum.
 */
static void sspi_ntlm_sequence_test(struct kunit *test)
{
	const struct ntlm_variant *v = test->param_value;
	bool ess = v->flags & SSPI_NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY;
	u8 *m = kunit_kzalloc(test, 3 * (SIG + 32), GFP_KERNEL);
	u8 *w = kunit_kzalloc(test, SIG + 32, GFP_KERNEL);
	u8 *want = kunit_kzalloc(test, 32, GFP_KERNEL);
	int bad = ess ? -EILSEQ : -EBADMSG;
	struct sspi_context *pair[2];
	struct sspi_context_info info;
	int i;
	u32 qop;

	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_ASSERT_NOT_NULL(test, w);
	KUNIT_ASSERT_NOT_NULL(test, want);
	if (v->flags & SSPI_NTLMSSP_NEGOTIATE_DATAGRAM)
		kunit_skip(test, "datagram mode: sspi_ntlm_datagram_test");
	ntlm_pair(test, v, pair);
	for (i = 0; i < 3; i++) {
		u8 *p = m + i * (SIG + 32);

		ntlm_fill(p + SIG, 32, i);
		KUNIT_ASSERT_EQ(test, ntlm_seal(pair[0], 0, p, SIG, p + SIG, 32, 0), 0);
	}
	/* message 1 before message 0 */
	memcpy(w, m + SIG + 32, SIG + 32);
	KUNIT_EXPECT_EQ(test, ntlm_unseal(pair[1], w, w + SIG, 32, 0, &qop), bad);
	for (i = 0; i < 2; i++) {
		memcpy(w, m + i * (SIG + 32), SIG + 32);
		KUNIT_EXPECT_EQ(test, ntlm_unseal(pair[1], w, w + SIG, 32, 0, &qop), 0);
		ntlm_fill(want, 32, i);
		KUNIT_EXPECT_MEMEQ(test, w + SIG, want, 32);
	}
	/* message 0 again: a replay */
	memcpy(w, m, SIG + 32);
	KUNIT_EXPECT_EQ(test, ntlm_unseal(pair[1], w, w + SIG, 32, 0, &qop), bad);
	KUNIT_ASSERT_EQ(test, sspi_query(pair[1], &info), 0);
	KUNIT_EXPECT_EQ(test, info.rx_seq, 2);
	KUNIT_EXPECT_EQ(test, info.tx_seq, ess ? 0 : 2);
	/* the next message still goes through */
	memcpy(w, m + 2 * (SIG + 32), SIG + 32);
	KUNIT_EXPECT_EQ(test, ntlm_unseal(pair[1], w, w + SIG, 32, 0, &qop), 0);
	ntlm_fill(want, 32, 2);
	KUNIT_EXPECT_MEMEQ(test, w + SIG, want, 32);
}

/*
 * Connection mode is strict by design: the sequence number the receiver
 * expects and, sealing, the one RC4 stream run on with every message.  A
 * tampered message is refused and uses up nothing, so the genuine one is
 * still taken and the stream goes on; a message after one that never
 * came is refused, as Windows refuses it.
 */
static void sspi_ntlm_tamper_test(struct kunit *test)
{
	const struct ntlm_variant *v = test->param_value;
	bool ess = v->flags & SSPI_NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY;
	u8 *m = kunit_kzalloc(test, 3 * (SIG + 32), GFP_KERNEL);
	u8 *w = kunit_kzalloc(test, SIG + 32, GFP_KERNEL);
	u8 *want = kunit_kzalloc(test, 32, GFP_KERNEL);
	struct sspi_context *pair[2];
	struct sspi_context_info info;
	int i;
	u32 qop;

	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_ASSERT_NOT_NULL(test, w);
	KUNIT_ASSERT_NOT_NULL(test, want);
	if (v->flags & SSPI_NTLMSSP_NEGOTIATE_DATAGRAM)
		kunit_skip(test, "datagram mode: sspi_ntlm_datagram_test");
	ntlm_pair(test, v, pair);
	for (i = 0; i < 3; i++) {
		u8 *p = m + i * (SIG + 32);

		ntlm_fill(p + SIG, 32, i);
		KUNIT_ASSERT_EQ(test, ntlm_seal(pair[0], 0, p, SIG, p + SIG, 32, 0), 0);
	}
	memcpy(w, m, SIG + 32);
	KUNIT_EXPECT_EQ(test, ntlm_unseal(pair[1], w, w + SIG, 32, 0, &qop), 0);
	/* 1 tampered */
	memcpy(w, m + SIG + 32, SIG + 32);
	w[SIG + 31] ^= 1;
	KUNIT_EXPECT_EQ(test, ntlm_unseal(pair[1], w, w + SIG, 32, 0, &qop), -EBADMSG);
	/* 2 in its place: refused, the receiver still waits for 1 */
	memcpy(w, m + 2 * (SIG + 32), SIG + 32);
	KUNIT_EXPECT_EQ(test, ntlm_unseal(pair[1], w, w + SIG, 32, 0, &qop),
			ess ? -EILSEQ : -EBADMSG);
	/* 1 genuine, then 2: the stream goes on */
	for (i = 1; i < 3; i++) {
		memcpy(w, m + i * (SIG + 32), SIG + 32);
		KUNIT_EXPECT_EQ(test, ntlm_unseal(pair[1], w, w + SIG, 32, 0, &qop), 0);
		ntlm_fill(want, 32, i);
		KUNIT_EXPECT_MEMEQ(test, w + SIG, want, 32);
	}
	KUNIT_ASSERT_EQ(test, sspi_query(pair[1], &info), 0);
	KUNIT_EXPECT_EQ(test, info.rx_seq, 3);
}

/*
 * Signatures carry 32-bit sequence numbers: a context imported at
 * 0xffffffff sends once, then is spent (SEC_E_CONTEXT_EXPIRED, nothing
 * changed) rather than wrap to 0.  NTLMv1's one counter is spent for
 * both directions; with extended session security the receive side goes
 * on.
 */
static void sspi_ntlm_send_limit_test(struct kunit *test)
{
	const struct ntlm_variant *v = test->param_value;
	bool ess = v->flags & SSPI_NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY;
	u8 *m = kunit_kzalloc(test, 2 * (SIG + 32), GFP_KERNEL);
	u8 *want = kunit_kzalloc(test, 32, GFP_KERNEL);
	struct sspi_context_info info;
	struct sspi_context *pair[2];
	u8 key[16], *p = m + SIG + 32;
	int i;
	u32 qop;

	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_ASSERT_NOT_NULL(test, want);
	if (v->flags & SSPI_NTLMSSP_NEGOTIATE_DATAGRAM)
		kunit_skip(test, "datagram mode: the caller's numbers");
	get_random_bytes(key, sizeof(key));
	ntlm_allow_weak(test, v->weak);
	/* NTLMv1: one counter, one start */
	pair[0] = ntlm_import(test, v->flags, true, U32_MAX, ess ? 5 : U32_MAX, key);
	pair[1] = ntlm_import(test, v->flags, false, ess ? 5 : U32_MAX, U32_MAX, key);
	ntlm_fill(want, 32, 3);
	memcpy(m + SIG, want, 32);
	KUNIT_ASSERT_EQ(test, ntlm_seal(pair[0], 0, m, SIG, m + SIG, 32, 0), 0);
	if (ess)
		KUNIT_EXPECT_EQ(test, get_unaligned_le32(m + 12), U32_MAX);
	KUNIT_EXPECT_EQ(test, ntlm_unseal(pair[1], m, m + SIG, 32, 0, &qop), 0);
	KUNIT_EXPECT_MEMEQ(test, m + SIG, want, 32);
	KUNIT_ASSERT_EQ(test, sspi_query(pair[0], &info), 0);
	KUNIT_EXPECT_EQ(test, info.tx_seq, 0x100000000ULL);

	/* the next would carry 0 again: refused, nothing written or used */
	memset(p, 0x5a, SIG);
	memcpy(p + SIG, want, 32);
	KUNIT_EXPECT_EQ(test, ntlm_seal(pair[0], 0, p, SIG, p + SIG, 32, 0), -EKEYEXPIRED);
	KUNIT_EXPECT_EQ(test, ntlm_sign(pair[0], p + SIG, 32, p, 0), -EKEYEXPIRED);
	KUNIT_EXPECT_PTR_EQ(test, memchr_inv(p, 0x5a, SIG), NULL);
	KUNIT_EXPECT_MEMEQ(test, p + SIG, want, 32);
	KUNIT_ASSERT_EQ(test, sspi_query(pair[0], &info), 0);
	KUNIT_EXPECT_EQ(test, info.tx_seq, 0x100000000ULL);
	/* the peer's answers: NTLMv1's counter is spent for it too */
	for (i = 0; i < 2; i++) {
		memcpy(m + SIG, want, 32);
		KUNIT_ASSERT_EQ(test, ntlm_seal(pair[1], 0, m, SIG, m + SIG, 32, 0),
				ess ? 0 : -EKEYEXPIRED);
		if (ess)
			KUNIT_EXPECT_EQ(test, ntlm_unseal(pair[0], m, m + SIG, 32, 0, &qop), 0);
	}
}

/*
 * Signatures and sealed messages in one sequence: a signature taken in
 * place of a sealed message is refused, and a replayed one too.
 */
static void sspi_ntlm_replay_test(struct kunit *test)
{
	const struct ntlm_variant *v = &ntlm_variants[0];
	u8 *a = kunit_kzalloc(test, SIG + 16, GFP_KERNEL);
	u8 *s = kunit_kzalloc(test, SIG + 16, GFP_KERNEL);
	struct sspi_context *pair[2];
	u32 qop;

	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, s);
	ntlm_pair(test, v, pair);
	ntlm_fill(a + SIG, 16, 1);
	ntlm_fill(s + SIG, 16, 2);
	KUNIT_ASSERT_EQ(test, ntlm_seal(pair[0], 0, a, SIG, a + SIG, 16, 0), 0);
	KUNIT_ASSERT_EQ(test, ntlm_sign(pair[0], s + SIG, 16, s, 0), 0);
	/* the signature (number 1) first: out of sequence */
	KUNIT_EXPECT_EQ(test, ntlm_verify(pair[1], s + SIG, 16, s, 0), -EILSEQ);
	KUNIT_EXPECT_EQ(test, ntlm_unseal(pair[1], a, a + SIG, 16, 0, &qop), 0);
	KUNIT_EXPECT_EQ(test, ntlm_verify(pair[1], s + SIG, 16, s, 0), 0);
	/* and again: a replay */
	KUNIT_EXPECT_EQ(test, ntlm_verify(pair[1], s + SIG, 16, s, 0), -EILSEQ);
}

/*
 * Datagram mode: each message has its own RC4 key from the caller's
 * MessageSeqNo, so messages are taken in any order, and only with their
 * own number; replay detection is the caller's, who owns the numbers.
 */
static void sspi_ntlm_datagram_test(struct kunit *test)
{
	static const u32 seqs[] = { 5, 9, 0, 0xffffffff };
	const struct ntlm_variant *v = &ntlm_variants[4];
	u8 *m = kunit_kzalloc(test, ARRAY_SIZE(seqs) * (SIG + 40), GFP_KERNEL);
	u8 *copy = kunit_kzalloc(test, SIG + 40, GFP_KERNEL);
	struct sspi_context *pair[2];
	int i;
	u32 qop;

	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_ASSERT_NOT_NULL(test, copy);
	ntlm_pair(test, v, pair);
	for (i = 0; i < ARRAY_SIZE(seqs); i++) {
		u8 *p = m + i * (SIG + 40);

		ntlm_fill(p + SIG, 40, i);
		KUNIT_ASSERT_EQ(test, ntlm_seal(pair[1], 0, p, SIG, p + SIG, 40, seqs[i]), 0);
		KUNIT_EXPECT_EQ(test, get_unaligned_le32(p + 12), seqs[i]);
	}
	for (i = ARRAY_SIZE(seqs) - 1; i >= 0; i--) {
		u8 *p = m + i * (SIG + 40);

		memcpy(copy, p, SIG + 40);
		/* another number than the message's own */
		KUNIT_EXPECT_EQ(test, ntlm_unseal(pair[0], copy, copy + SIG, 40, seqs[i] + 1,
						  &qop), -EILSEQ);
		KUNIT_EXPECT_EQ(test, ntlm_unseal(pair[0], copy, copy + SIG, 40, seqs[i], &qop), 0);
		memcpy(copy, p, SIG + 40);
		KUNIT_EXPECT_EQ(test, ntlm_unseal(pair[0], p, p + SIG, 40, seqs[i], &qop), 0);
		ntlm_fill(copy + SIG, 40, i);
		KUNIT_EXPECT_MEMEQ(test, p + SIG, copy + SIG, 40);
	}
}

/*
 * SSPI_NTLM_F_DATAGRAM makes datagram mode as the negotiate flag does:
 * the same message from the same key.
 */
static void sspi_ntlm_datagram_flag_test(struct kunit *test)
{
	u32 neg = ntlm_variants[4].flags;
	u8 *a = kunit_kzalloc(test, 2 * (SIG + 24), GFP_KERNEL);
	struct sspi_ntlm_import imp;
	struct sspi_context *ctx[2];
	u8 key[16];
	u32 qop;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, a);
	get_random_bytes(key, sizeof(key));
	ctx[0] = ntlm_import(test, neg, true, 0, 0, key);
	ntlm_imp(&imp, neg & ~SSPI_NTLMSSP_NEGOTIATE_DATAGRAM, true, 0, 0, key);
	imp.flags |= SSPI_NTLM_F_DATAGRAM;
	ctx[1] = sspi_kunit_import(test, "NTLM", &imp, sizeof(imp));
	for (i = 0; i < 2; i++) {
		u8 *p = a + i * (SIG + 24);

		ntlm_fill(p + SIG, 24, 5);
		KUNIT_ASSERT_EQ(test, ntlm_seal(ctx[i], 0, p, SIG, p + SIG, 24, 42), 0);
	}
	KUNIT_EXPECT_MEMEQ(test, a, a + SIG + 24, SIG + 24);
	/* and the message is its own: the receiver takes it out of any order */
	ctx[0] = ntlm_import(test, neg, false, 0, 0, key);
	KUNIT_EXPECT_EQ(test, ntlm_unseal(ctx[0], a, a + SIG, 24, 42, &qop), 0);
}

/*
 * A sign-only context (SIGN without SEAL) wraps as Samba's gensec_wrap
 * and WinPR do: the signature, then the text in the clear, with or
 * without SECQOP_WRAP_NO_ENCRYPT, and DecryptMessage reports that QOP.  A
 * sealing context takes SECQOP_WRAP_NO_ENCRYPT the same way: the text is
 * signed, not sealed, and the peer checks it with VerifySignature.
 */
static void sspi_ntlm_wrap_no_encrypt_test(struct kunit *test)
{
	u8 *p = kunit_kzalloc(test, SIG + 20, GFP_KERNEL);
	u8 *want = kunit_kzalloc(test, 20, GFP_KERNEL);
	struct sspi_context *pair[2], *sealing[2];
	u32 qop = 0;

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_NOT_NULL(test, want);
	ntlm_pair(test, &ntlm_variants[5], pair);
	ntlm_fill(want, 20, 7);
	memcpy(p + SIG, want, 20);
	KUNIT_ASSERT_EQ(test, ntlm_seal(pair[0], SSPI_SECQOP_WRAP_NO_ENCRYPT, p, SIG, p + SIG, 20,
					0), 0);
	KUNIT_EXPECT_MEMEQ(test, p + SIG, want, 20);
	KUNIT_ASSERT_EQ(test, ntlm_unseal(pair[1], p, p + SIG, 20, 0, &qop), 0);
	KUNIT_EXPECT_EQ(test, qop, SSPI_SECQOP_WRAP_NO_ENCRYPT);
	KUNIT_ASSERT_EQ(test, ntlm_seal(pair[0], 0, p, SIG, p + SIG, 20, 0), 0);
	KUNIT_EXPECT_MEMEQ(test, p + SIG, want, 20);
	KUNIT_ASSERT_EQ(test, ntlm_unseal(pair[1], p, p + SIG, 20, 0, &qop), 0);
	KUNIT_EXPECT_MEMEQ(test, p + SIG, want, 20);

	ntlm_pair(test, &ntlm_variants[0], sealing);
	KUNIT_ASSERT_EQ(test, ntlm_seal(sealing[0], SSPI_SECQOP_WRAP_NO_ENCRYPT, p, SIG, p + SIG,
					20, 0), 0);
	KUNIT_EXPECT_MEMEQ(test, p + SIG, want, 20);
	KUNIT_EXPECT_EQ(test, ntlm_verify(sealing[1], p + SIG, 20, p, 0), 0);
	KUNIT_EXPECT_EQ(test, ntlm_seal(sealing[0], 2, p, SIG, p + SIG, 20, 0), -ENOPROTOOPT);
}

/* Without allow_weak_ntlm what Windows refuses is refused, the rest not. */
struct ntlm_gate_case {
	const char *name;
	u32 flags;
	bool weak;
};

static const struct ntlm_gate_case ntlm_gate_cases[] = {
	{ "NTLMv1", F(128) | F(SIGN) | F(SEAL), true },
	{ "NTLMv1 sign only", F(SIGN), true },
	{ "NTLMv1 LM_KEY 40", F(LM_KEY) | F(SIGN) | F(SEAL), true },
	{ "ESS 40-bit sealing", ESS | F(SIGN) | F(SEAL), true },
	{ "ESS 40-bit KEY_EXCH", ESS | F(SIGN) | F(KEY_EXCH), true },
	{ "ESS sign only, no key for RC4", ESS | F(SIGN), false },
	{ "ESS 56-bit", F(56) | ESS | F(SIGN) | F(SEAL), false },
	{ "ESS 128-bit", F(128) | ESS | F(SIGN) | F(SEAL), false },
};

static void ntlm_gate_desc(const struct ntlm_gate_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ntlm_gate, ntlm_gate_cases, ntlm_gate_desc);

static void sspi_ntlm_allow_weak_test(struct kunit *test)
{
	const struct ntlm_gate_case *c = test->param_value;
	struct sspi_ntlm_import imp;
	u8 key[16] = { 1, 2, 3 };
	u64 handle;

	ntlm_imp(&imp, c->flags, true, 0, 0, key);
	ntlm_allow_weak(test, false);
	KUNIT_EXPECT_EQ(test, sspi_kunit_try_import("NTLM", &imp, sizeof(imp), &handle),
			c->weak ? -ENOPKG : 0);
	if (!c->weak)
		sspi_context_delete(&init_net, handle, NULL);
	sspi_ntlm_allow_weak = true;
	KUNIT_EXPECT_EQ(test, sspi_kunit_try_import("NTLM", &imp, sizeof(imp), &handle), 0);
	sspi_context_delete(&init_net, handle, NULL);
}

/* Imports refused: a good one with one thing wrong. */
struct ntlm_bad_import {
	const char *name;
	size_t len;
	u32 neg;
	u32 flags;
	u32 send;
	u32 recv;
};

static const struct ntlm_bad_import ntlm_bad_imports[] = {
	{ "one byte short", 39, F(128) | ESS | F(SIGN) },
	{ "one byte long", 41, F(128) | ESS | F(SIGN) },
	{ "unknown flag", 40, F(128) | ESS | F(SIGN), 0x04 },
	{ "high flag", 40, F(128) | ESS | F(SIGN), 0x80000000 },
	{ "neither SIGN nor SEAL", 40, F(128) | ESS | F(ALWAYS_SIGN) },
	{ "NTLMv1, two first numbers", 40, F(128) | F(SIGN) | F(SEAL), 0, 1, 2 },
};

static void ntlm_bad_import_desc(const struct ntlm_bad_import *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ntlm_bad_import, ntlm_bad_imports, ntlm_bad_import_desc);

static void sspi_ntlm_bad_import_test(struct kunit *test)
{
	const struct ntlm_bad_import *c = test->param_value;
	u8 *buf = kunit_kzalloc(test, 64, GFP_KERNEL);
	struct sspi_ntlm_import *imp = (struct sspi_ntlm_import *)buf;
	u64 handle;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	ntlm_allow_weak(test, true);
	imp->negotiate_flags = c->neg;
	imp->flags = c->flags | SSPI_NTLM_F_INITIATOR;
	imp->send_seq = c->send;
	imp->recv_seq = c->recv;
	KUNIT_EXPECT_EQ(test, sspi_kunit_try_import("NTLM", buf, c->len, &handle), -EINVAL);
}

/*
 * Bad buffers get their status, and change nothing: the context still
 * seals its next message with the number it had.
 */
static void sspi_ntlm_bad_buffers_test(struct kunit *test)
{
	u8 *p = kunit_kzalloc(test, 2 * SIG + 64, GFP_KERNEL);
	u8 *tok, *d;
	struct sspi_context *pair[2];
	struct sspi_buffer b[3];
	struct sspi_message msg = { .count = 2, .buffers = b };
	u32 qop;

	KUNIT_ASSERT_NOT_NULL(test, p);
	tok = p;
	d = p + 2 * SIG;
	ntlm_pair(test, &ntlm_variants[0], pair);
	b[0] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_DATA, .len = 16, .data = d };
	b[1] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_DATA, .len = 16, .data = d + 16 };
	KUNIT_EXPECT_EQ(test, sspi_encrypt(pair[0], 0, &msg, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, sspi_make_signature(pair[0], 0, &msg, 0), -EINVAL);
	b[1] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_TOKEN, .len = SIG - 1, .data = tok };
	KUNIT_EXPECT_EQ(test, sspi_encrypt(pair[0], 0, &msg, 0), -ENOBUFS);
	KUNIT_EXPECT_EQ(test, sspi_make_signature(pair[0], 0, &msg, 0), -ENOBUFS);
	KUNIT_EXPECT_EQ(test, sspi_decrypt(pair[1], &msg, 0, &qop), -EINVAL);
	KUNIT_EXPECT_EQ(test, sspi_verify_signature(pair[1], &msg, 0, &qop), -EINVAL);
	b[1].type |= SSPI_SECBUFFER_READONLY;
	b[1].len = SIG;
	KUNIT_EXPECT_EQ(test, sspi_encrypt(pair[0], 0, &msg, 0), -EINVAL);
	b[1].type = SSPI_SECBUFFER_TOKEN;
	KUNIT_EXPECT_EQ(test, sspi_encrypt(pair[0], 3, &msg, 0), -ENOPROTOOPT);
	KUNIT_EXPECT_EQ(test, sspi_make_signature(pair[0], 1, &msg, 0), -ENOPROTOOPT);
	/* connection mode takes no MessageSeqNo */
	KUNIT_EXPECT_EQ(test, sspi_encrypt(pair[0], 0, &msg, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, sspi_decrypt(pair[1], &msg, 1, &qop), -EINVAL);
	/* STREAM: shorter than a signature; a DATA that is not empty */
	b[0] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_STREAM, .len = SIG - 1, .data = d };
	b[1] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_DATA };
	KUNIT_EXPECT_EQ(test, sspi_decrypt(pair[1], &msg, 0, &qop), -EINVAL);
	b[0].len = 32;
	b[1] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_DATA, .len = 1, .data = tok };
	KUNIT_EXPECT_EQ(test, sspi_decrypt(pair[1], &msg, 0, &qop), -EINVAL);
	b[1] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_DATA };
	b[2] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_DATA };
	msg.count = 3;
	KUNIT_EXPECT_EQ(test, sspi_decrypt(pair[1], &msg, 0, &qop), -EINVAL);

	/* and the context goes on from number 0 */
	ntlm_fill(d, 32, 9);
	KUNIT_ASSERT_EQ(test, ntlm_seal(pair[0], 0, tok, SIG, d, 32, 0), 0);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(tok + 12), 0);
	KUNIT_EXPECT_EQ(test, ntlm_unseal(pair[1], tok, d, 32, 0, &qop), 0);
}

/* QueryContextAttributes: Windows' sizes, the cipher and its strength. */
struct ntlm_query_case {
	const char *name;
	u32 flags;
	const char *cipher;
	u32 key_bits;
};

static const struct ntlm_query_case ntlm_query_cases[] = {
	{ "ESS 128", F(128) | F(56) | F(KEY_EXCH) | ESS | F(SIGN) | F(SEAL),
	  "rc4-hmac-md5-128", 128 },
	{ "ESS 56", F(56) | ESS | F(SIGN) | F(SEAL), "rc4-hmac-md5-56", 56 },
	{ "ESS 40", ESS | F(SIGN) | F(SEAL), "rc4-hmac-md5-40", 40 },
	{ "ESS 128 datagram", F(128) | F(DATAGRAM) | ESS | F(SIGN) |
	  F(SEAL), "rc4-hmac-md5-128-datagram", 128 },
	{ "ESS sign only", F(128) | ESS | F(SIGN), "hmac-md5", 128 },
	{ "ESS sign only 56", F(56) | ESS | F(SIGN), "hmac-md5", 56 },
	{ "NTLMv1", F(128) | F(SIGN) | F(SEAL), "rc4-crc32-128", 128 },
	{ "NTLMv1 LM_KEY 56", F(LM_KEY) | F(56) | F(SIGN) | F(SEAL),
	  "rc4-crc32-56", 56 },
	{ "NTLMv1 LM_KEY 40", F(LM_KEY) | F(SIGN) | F(SEAL), "rc4-crc32-40",
	  40 },
};

static void ntlm_query_desc(const struct ntlm_query_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ntlm_query, ntlm_query_cases, ntlm_query_desc);

static void sspi_ntlm_query_test(struct kunit *test)
{
	const struct ntlm_query_case *c = test->param_value;
	struct sspi_context_info info;
	struct sspi_context *ctx;
	u8 key[16] = {};

	ntlm_allow_weak(test, true);
	ctx = ntlm_import(test, c->flags, true, 7, 7, key);
	KUNIT_ASSERT_EQ(test, sspi_query(ctx, &info), 0);
	KUNIT_EXPECT_STREQ(test, info.package, "NTLM");
	KUNIT_EXPECT_EQ(test, info.sizes.max_token, 2888);
	KUNIT_EXPECT_EQ(test, info.sizes.max_signature, 16);
	KUNIT_EXPECT_EQ(test, info.sizes.block_size, 0);
	KUNIT_EXPECT_EQ(test, info.sizes.security_trailer, 16);
	KUNIT_EXPECT_STREQ(test, info.cipher, c->cipher);
	KUNIT_EXPECT_EQ(test, info.key_bits, c->key_bits);
	KUNIT_EXPECT_EQ(test, info.tx_seq, 7);
	KUNIT_EXPECT_EQ(test, info.rx_seq, 7);
}

#undef ESS
#undef F

static struct kunit_case sspi_ntlm_test_cases[] = {
	KUNIT_CASE_PARAM(sspi_ntlm_vector_seal_test, ntlm_vec_gen_params),
	KUNIT_CASE_PARAM(sspi_ntlm_vector_sign_test, ntlm_vec_gen_params),
	KUNIT_CASE_PARAM(sspi_ntlm_vector_altered_test, ntlm_vec_gen_params),
	KUNIT_CASE_PARAM(sspi_ntlm_gss_peer_test, ntlm_gss_gen_params),
	KUNIT_CASE(sspi_ntlm_negotiate_test),
	KUNIT_CASE(sspi_ntlm_v1_random_pad_test),
	KUNIT_CASE_PARAM(sspi_ntlm_round_trip_test, ntlm_variant_gen_params),
	KUNIT_CASE(sspi_ntlm_scatterlist_test),
	KUNIT_CASE_PARAM(sspi_ntlm_sequence_test, ntlm_variant_gen_params),
	KUNIT_CASE_PARAM(sspi_ntlm_tamper_test, ntlm_variant_gen_params),
	KUNIT_CASE_PARAM(sspi_ntlm_send_limit_test, ntlm_variant_gen_params),
	KUNIT_CASE(sspi_ntlm_replay_test),
	KUNIT_CASE(sspi_ntlm_datagram_test),
	KUNIT_CASE(sspi_ntlm_datagram_flag_test),
	KUNIT_CASE(sspi_ntlm_wrap_no_encrypt_test),
	KUNIT_CASE_PARAM(sspi_ntlm_allow_weak_test, ntlm_gate_gen_params),
	KUNIT_CASE_PARAM(sspi_ntlm_bad_import_test, ntlm_bad_import_gen_params),
	KUNIT_CASE(sspi_ntlm_bad_buffers_test),
	KUNIT_CASE_PARAM(sspi_ntlm_query_test, ntlm_query_gen_params),
	{}
};

static struct kunit_suite sspi_ntlm_test_suite = {
	.name = "sspi_ntlm",
	.test_cases = sspi_ntlm_test_cases,
};

kunit_test_suite(sspi_ntlm_test_suite);
