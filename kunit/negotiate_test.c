// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for sspi_kmod/negotiate.c and the core's delegation
 * (context.c, package.c, query.c): a "Negotiate" context carrying a
 * Kerberos import is a Kerberos context that reports itself as
 * Negotiate; malformed Negotiate imports are refused before any package
 * sees them; a delegating package's contexts go with either package.
 */

#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/net_namespace.h>
#include <sspi_kmod/sspi.h>

#include "../sspi_kmod/context.h"
#include "../sspi_kmod/package.h"
#include "harness.h"

#define NEG_MSG		300
#define NEG_ROOM	128	/* TOKEN room: any Kerberos trailer fits */

/* A Negotiate import structure: the header and @len bytes of @inner. */
static void *neg_blob(struct kunit *test, u32 mech, const void *inner,
		      size_t len, size_t *total)
{
	struct sspi_negotiate_import *imp;

	imp = kunit_kzalloc(test, sizeof(*imp) + len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, imp);
	imp->mech = mech;
	imp->len = len;
	memcpy(imp->import, inner, len);
	*total = sizeof(*imp) + len;
	return imp;
}

static void neg_krb5(struct sspi_krb5_import *imp, bool initiator)
{
	*imp = (struct sspi_krb5_import){
		.enctype = SSPI_KRB5_ENCTYPE_AES256_CTS_HMAC_SHA1_96,
		.flags = SSPI_KRB5_F_REPLAY | SSPI_KRB5_F_SEQUENCE |
			 (initiator ? SSPI_KRB5_F_INITIATOR : 0),
		.send_seq = initiator ? 10 : 900,
		.recv_seq = initiator ? 900 : 10,
		.key_len = 32,
	};
}

/* Seal @data in place as [TOKEN, DATA, PADDING]; the token's length. */
static u32 neg_seal(struct kunit *test, struct sspi_context *ctx, u8 *tok,
		    u8 *data, u32 len)
{
	u8 pad[1];
	struct sspi_buffer b[3] = {
		{ .type = SSPI_SECBUFFER_TOKEN, .len = NEG_ROOM, .data = tok },
		{ .type = SSPI_SECBUFFER_DATA, .len = len, .data = data },
		{ .type = SSPI_SECBUFFER_PADDING, .len = 1, .data = pad },
	};
	struct sspi_message msg = { .count = 3, .buffers = b };

	KUNIT_ASSERT_EQ(test, sspi_encrypt(ctx, 0, &msg, 0), 0);
	return b[0].len;
}

static int neg_unseal(struct sspi_context *ctx, u8 *tok, u32 toklen,
		      u8 *data, u32 len)
{
	struct sspi_buffer b[2] = {
		{ .type = SSPI_SECBUFFER_TOKEN, .len = toklen, .data = tok },
		{ .type = SSPI_SECBUFFER_DATA, .len = len, .data = data },
	};
	struct sspi_message msg = { .count = 2, .buffers = b };
	u32 qop;

	return sspi_decrypt(ctx, &msg, 0, &qop);
}

/* Too big for a test's stack frame under KASAN */
struct neg_krb5_pair {
	struct sspi_context_info ninfo;
	struct sspi_context_info kinfo;
	struct sspi_krb5_import ki;
	struct sspi_krb5_import ka;
};

/*
 * Negotiate (Kerberos) against plain Kerberos, both ways, sealing and
 * signing: the wire is Kerberos's, the query says Negotiate + Kerberos,
 * and the context's operations are Kerberos's own (nothing in between).
 */
static void sspi_negotiate_kerberos_test(struct kunit *test)
{
	u8 *tok = kunit_kzalloc(test, NEG_ROOM, GFP_KERNEL);
	u8 *data = kunit_kzalloc(test, NEG_MSG, GFP_KERNEL);
	u8 *want = kunit_kzalloc(test, NEG_MSG, GFP_KERNEL);
	u8 *sealed = kunit_kzalloc(test, NEG_MSG, GFP_KERNEL);
	u8 *sealed_tok = kunit_kzalloc(test, NEG_ROOM, GFP_KERNEL);
	struct neg_krb5_pair *kp = kunit_kzalloc(test, sizeof(*kp), GFP_KERNEL);
	struct sspi_context_info *ninfo, *kinfo;
	struct sspi_krb5_import *ki, *ka;
	struct sspi_context *neg, *krb, *pair[2];
	struct sspi_buffer b[2];
	struct sspi_message msg = { .count = 2, .buffers = b };
	size_t len;
	void *blob;
	u32 toklen, qop;
	int dir;

	KUNIT_ASSERT_NOT_NULL(test, tok);
	KUNIT_ASSERT_NOT_NULL(test, data);
	KUNIT_ASSERT_NOT_NULL(test, want);
	KUNIT_ASSERT_NOT_NULL(test, sealed);
	KUNIT_ASSERT_NOT_NULL(test, sealed_tok);
	KUNIT_ASSERT_NOT_NULL(test, kp);
	ninfo = &kp->ninfo;
	kinfo = &kp->kinfo;
	ki = &kp->ki;
	ka = &kp->ka;
	neg_krb5(ki, true);
	get_random_bytes(ki->key, ki->key_len);
	neg_krb5(ka, false);
	memcpy(ka->key, ki->key, sizeof(ka->key));

	blob = neg_blob(test, SSPI_NEGOTIATE_MECH_KERBEROS, ki, sizeof(*ki), &len);
	neg = sspi_kunit_import(test, "Negotiate", blob, len);
	krb = sspi_kunit_import(test, "Kerberos", ka, sizeof(*ka));

	KUNIT_EXPECT_PTR_EQ(test, neg->pkg, sspi_package_find("Kerberos"));
	KUNIT_EXPECT_PTR_EQ(test, neg->outer, sspi_package_find("negotiate"));
	KUNIT_EXPECT_PTR_EQ(test, krb->outer, krb->pkg);

	KUNIT_ASSERT_EQ(test, sspi_query(neg, ninfo), 0);
	KUNIT_ASSERT_EQ(test, sspi_query(krb, kinfo), 0);
	KUNIT_EXPECT_STREQ(test, ninfo->package, "Negotiate");
	KUNIT_ASSERT_NOT_NULL(test, ninfo->negotiated);
	KUNIT_EXPECT_STREQ(test, ninfo->negotiated, "Kerberos");
	KUNIT_EXPECT_STREQ(test, kinfo->package, "Kerberos");
	KUNIT_EXPECT_NULL(test, kinfo->negotiated);
	/* everything else is Kerberos's report of the same enctype */
	KUNIT_EXPECT_MEMEQ(test, &ninfo->sizes, &kinfo->sizes, sizeof(ninfo->sizes));
	KUNIT_EXPECT_STREQ(test, ninfo->cipher, kinfo->cipher);
	KUNIT_EXPECT_EQ(test, ninfo->tx_seq, 10);
	KUNIT_EXPECT_EQ(test, ninfo->rx_seq, 900);

	pair[0] = neg;
	pair[1] = krb;
	for (dir = 0; dir < 2; dir++) {
		get_random_bytes(want, NEG_MSG);
		memcpy(data, want, NEG_MSG);
		toklen = neg_seal(test, pair[dir], tok, data, NEG_MSG);
		KUNIT_EXPECT_EQ(test, toklen, ninfo->sizes.security_trailer);
		KUNIT_EXPECT_MEMNEQ(test, data, want, NEG_MSG);
		memcpy(sealed, data, NEG_MSG);
		memcpy(sealed_tok, tok, toklen);
		KUNIT_EXPECT_EQ(test, neg_unseal(pair[!dir], tok, toklen, data,
						 NEG_MSG), 0);
		KUNIT_EXPECT_MEMEQ(test, data, want, NEG_MSG);
		/*
		 * replayed as sent (unsealing decrypted TOKEN's confounder in
		 * place): Kerberos's own window refuses it
		 */
		KUNIT_EXPECT_EQ(test, neg_unseal(pair[!dir], sealed_tok, toklen,
						 sealed, NEG_MSG), -EILSEQ);

		b[0] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_DATA,
					     .len = NEG_MSG, .data = data };
		b[1] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_TOKEN,
					     .len = NEG_ROOM, .data = tok };
		KUNIT_ASSERT_EQ(test, sspi_make_signature(pair[dir], 0, &msg, 0), 0);
		KUNIT_EXPECT_EQ(test, b[1].len, ninfo->sizes.max_signature);
		data[0] ^= 1;
		KUNIT_EXPECT_EQ(test, sspi_verify_signature(pair[!dir], &msg, 0, &qop),
				-EBADMSG);
		data[0] ^= 1;
		KUNIT_EXPECT_EQ(test, sspi_verify_signature(pair[!dir], &msg, 0, &qop), 0);
	}
	KUNIT_ASSERT_EQ(test, sspi_query(neg, ninfo), 0);
	KUNIT_EXPECT_EQ(test, ninfo->tx_seq, 12);
	KUNIT_EXPECT_EQ(test, ninfo->rx_seq, 902);
	/* not a TLS context: Kerberos has no key update */
	KUNIT_EXPECT_EQ(test, sspi_update_keys(neg, SSPI_TX, ki, sizeof(*ki)),
			-EOPNOTSUPP);
}

/* Negotiate imports refused: each changes one thing of a good one. */
struct neg_bad_case {
	const char *desc;
	u32 mech;
	s32 len_delta;		/* added to the header's len */
	size_t total;		/* if not 0: the bytes passed, header and all */
	bool bad_inner;		/* the Kerberos import itself is bad */
	int err;
};

static const struct neg_bad_case neg_bad_cases[] = {
	{ "empty", SSPI_NEGOTIATE_MECH_KERBEROS, .total = 1, .err = -EINVAL },
	{ "header cut short", SSPI_NEGOTIATE_MECH_KERBEROS, .total = 7, .err = -EINVAL },
	{ "header alone", SSPI_NEGOTIATE_MECH_KERBEROS, .total = 8, .err = -EINVAL },
	{ "len one more than follows", SSPI_NEGOTIATE_MECH_KERBEROS, 1, .err = -EINVAL },
	{ "len one less than follows", SSPI_NEGOTIATE_MECH_KERBEROS, -1, .err = -EINVAL },
	{ "len wrapping", SSPI_NEGOTIATE_MECH_KERBEROS, -0x7fffffff, .err = -EINVAL },
	{ "mech 0", 0, .err = -EINVAL },
	{ "mech 3", 3, .err = -EINVAL },
	{ "mech 0x101", 0x101, .err = -EINVAL },
	{ "Kerberos import refused", SSPI_NEGOTIATE_MECH_KERBEROS, .bad_inner = true,
	  .err = -EINVAL },
};

static void neg_bad_desc(const struct neg_bad_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(neg_bad, neg_bad_cases, neg_bad_desc);

static void sspi_negotiate_bad_import_test(struct kunit *test)
{
	const struct neg_bad_case *c = test->param_value;
	struct sspi_negotiate_import *imp;
	struct sspi_krb5_import ki;
	size_t len;
	u64 h = 0;

	neg_krb5(&ki, true);
	if (c->bad_inner)
		ki.reserved = 1;
	imp = neg_blob(test, c->mech, &ki, sizeof(ki), &len);
	imp->len += c->len_delta;
	if (c->total)
		len = c->total;
	KUNIT_EXPECT_EQ(test, sspi_kunit_try_import("Negotiate", imp, len, &h), c->err);
	KUNIT_EXPECT_EQ(test, h, 0);
}

/* SEC_E_SECPKG_NOT_FOUND: a package name nobody registered */
static void sspi_negotiate_not_found_test(struct kunit *test)
{
	struct sspi_krb5_import ki;
	size_t len;
	void *blob;
	u64 h = 0;

	neg_krb5(&ki, true);
	blob = neg_blob(test, SSPI_NEGOTIATE_MECH_KERBEROS, &ki, sizeof(ki), &len);
	KUNIT_EXPECT_EQ(test, sspi_kunit_try_import("Negotiate2", blob, len, &h),
			-EPROTONOSUPPORT);
	KUNIT_EXPECT_EQ(test, sspi_status_from_errno(-EPROTONOSUPPORT),
			SSPI_SEC_E_SECPKG_NOT_FOUND);
	KUNIT_EXPECT_EQ(test, h, 0);
}

/* ... and NTLM selected while the NTLM package is not registered */
static void sspi_negotiate_ntlm_missing_test(struct kunit *test)
{
	struct sspi_ntlm_import ni = {
		.negotiate_flags = SSPI_NTLMSSP_NEGOTIATE_SIGN |
				   SSPI_NTLMSSP_NEGOTIATE_SEAL |
				   SSPI_NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY |
				   SSPI_NTLMSSP_NEGOTIATE_128 |
				   SSPI_NTLMSSP_NEGOTIATE_KEY_EXCH,
		.flags = SSPI_NTLM_F_INITIATOR,
	};
	size_t len;
	void *blob;
	u64 h = 0;

	if (sspi_package_find("NTLM"))
		kunit_skip(test, "NTLM is registered: its selection is NTLM's tests'");
	blob = neg_blob(test, SSPI_NEGOTIATE_MECH_NTLM, &ni, sizeof(ni), &len);
	KUNIT_EXPECT_EQ(test, sspi_kunit_try_import("Negotiate", blob, len, &h),
			-EPROTONOSUPPORT);
	KUNIT_EXPECT_EQ(test, h, 0);
}

/*
 * A delegating test package over an inner test package, to unregister
 * either while contexts run: each takes the contexts imported through
 * the other with it.
 */
struct neg_inner_state {
	u32 marker;
};

static atomic_t neg_inner_destroyed = ATOMIC_INIT(0);

static int neg_inner_init(struct sspi_context *ctx, const void *data, size_t len)
{
	struct neg_inner_state *st = (void *)ctx->priv;

	if (len != sizeof(u32))
		return -EINVAL;
	st->marker = *(const u32 *)data;
	return 0;
}

static void neg_inner_destroy(struct sspi_context *ctx)
{
	atomic_inc(&neg_inner_destroyed);
}

static int neg_inner_encrypt(struct sspi_context *ctx, u32 qop,
			     struct sspi_message *msg, u32 seqno)
{
	return 0;
}

static int neg_inner_decrypt(struct sspi_context *ctx, struct sspi_message *msg,
			     u32 seqno, u32 *qop)
{
	return 0;
}

static void neg_inner_query(struct sspi_context *ctx,
			    struct sspi_context_info *info)
{
	info->protocol = ((struct neg_inner_state *)ctx->priv)->marker;
}

static const struct sspi_package_ops neg_inner_ops = {
	.init = neg_inner_init,
	.destroy = neg_inner_destroy,
	.encrypt = neg_inner_encrypt,
	.decrypt = neg_inner_decrypt,
	.query = neg_inner_query,
};

static struct sspi_package neg_inner_pkg = {
	.name = "sspi-kunit-inner",
	.comment = "selected by sspi-kunit-outer",
	.priv_size = sizeof(struct neg_inner_state),
	.ops = &neg_inner_ops,
};

/*
 * Its import: a u32 choosing sspi-kunit-inner (1) or itself (2), then the
 * chosen package's import.
 */
static int neg_outer_select(const void *data, size_t len,
			    const struct sspi_package **inner,
			    const void **inner_data, size_t *inner_len)
{
	const u32 *p = data;

	if (len < sizeof(u32))
		return -EINVAL;
	*inner = sspi_package_find(*p == 2 ? "sspi-kunit-outer" : "sspi-kunit-inner");
	if (!*inner)
		return -EPROTONOSUPPORT;
	*inner_data = p + 1;
	*inner_len = len - sizeof(u32);
	return 0;
}

static const struct sspi_package_ops neg_outer_ops = {
	.select = neg_outer_select,
};

static struct sspi_package neg_outer_pkg = {
	.name = "sspi-kunit-outer",
	.comment = "delegates to sspi-kunit-inner",
	.caps = SSPI_PKG_CAP_ENCRYPT | SSPI_PKG_CAP_DECRYPT,
	.ops = &neg_outer_ops,
};

static const u32 neg_outer_blob[2] = { 1, 0x4e47 };

static u64 neg_outer_import(struct kunit *test)
{
	u64 h = 0;

	KUNIT_ASSERT_EQ(test, sspi_kunit_try_import("sspi-kunit-outer", neg_outer_blob,
						    sizeof(neg_outer_blob), &h), 0);
	return h;
}

static void neg_unregister(void *pkg)
{
	if (sspi_package_find(((struct sspi_package *)pkg)->name))
		sspi_package_unregister(pkg);
}

static void neg_register(struct kunit *test, struct sspi_package *pkg)
{
	KUNIT_ASSERT_EQ(test, sspi_package_register(pkg), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, neg_unregister, pkg), 0);
}

static void sspi_negotiate_flush_test(struct kunit *test)
{
	struct sspi_context_info info;
	struct sspi_context *ctx;
	u64 h, keep;
	int i;

	for (i = 0; i < 2; i++) {
		neg_register(test, &neg_inner_pkg);
		neg_register(test, &neg_outer_pkg);
		h = neg_outer_import(test);
		keep = 0;
		KUNIT_ASSERT_EQ(test, sspi_kunit_try_import("sspi-kunit-inner",
							    &neg_outer_blob[1], sizeof(u32),
							    &keep), 0);
		ctx = sspi_context_lookup(&init_net, h);
		KUNIT_ASSERT_NOT_NULL(test, ctx);
		KUNIT_EXPECT_EQ(test, sspi_query(ctx, &info), 0);
		KUNIT_EXPECT_STREQ(test, info.package, "sspi-kunit-outer");
		KUNIT_EXPECT_STREQ(test, info.negotiated, "sspi-kunit-inner");
		KUNIT_EXPECT_EQ(test, info.protocol, 0x4e47);

		atomic_set(&neg_inner_destroyed, 0);
		/* round 0 withdraws the delegating package, round 1 the inner */
		if (i == 0)
			sspi_package_unregister(&neg_outer_pkg);
		else
			sspi_package_unregister(&neg_inner_pkg);
		KUNIT_EXPECT_NULL(test, sspi_context_lookup(&init_net, h));
		KUNIT_EXPECT_EQ(test, sspi_query(ctx, &info), -EKEYEXPIRED);
		/* held here: not destroyed yet (round 1: the inner's own is) */
		KUNIT_EXPECT_EQ(test, atomic_read(&neg_inner_destroyed), i);
		sspi_context_put(ctx);	/* the last reference: the inner destroys */
		KUNIT_EXPECT_EQ(test, atomic_read(&neg_inner_destroyed), i + 1);

		/* the inner package's own context goes only with it */
		ctx = sspi_context_lookup(&init_net, keep);
		KUNIT_EXPECT_EQ(test, !ctx, i == 1);
		sspi_context_put(ctx);
		sspi_context_delete(&init_net, keep, NULL);
		neg_unregister(&neg_outer_pkg);
		neg_unregister(&neg_inner_pkg);
	}
}

/* A delegating package selects a package that runs contexts itself. */
static void sspi_negotiate_rules_test(struct kunit *test)
{
	struct sspi_package_ops ops = neg_outer_ops;
	struct sspi_package pkg = { .name = "sspi-kunit-mixed", .ops = &ops };
	static const u32 self[2] = { 2, 0 };
	u64 h = 0;

	/* select and an op of its own: which would run? refused */
	ops.encrypt = neg_inner_encrypt;
	KUNIT_EXPECT_EQ(test, sspi_package_register(&pkg), -EINVAL);
	KUNIT_EXPECT_NULL(test, sspi_package_find("sspi-kunit-mixed"));

	neg_register(test, &neg_outer_pkg);
	KUNIT_EXPECT_EQ(test, sspi_kunit_try_import("sspi-kunit-outer", self, sizeof(self),
						    &h), -EINVAL);
	/* the inner package missing: SEC_E_SECPKG_NOT_FOUND */
	KUNIT_EXPECT_EQ(test, sspi_kunit_try_import("sspi-kunit-outer", neg_outer_blob,
						    sizeof(neg_outer_blob), &h),
			-EPROTONOSUPPORT);
	KUNIT_EXPECT_EQ(test, h, 0);
}

static struct kunit_case sspi_negotiate_test_cases[] = {
	KUNIT_CASE(sspi_negotiate_kerberos_test),
	KUNIT_CASE_PARAM(sspi_negotiate_bad_import_test, neg_bad_gen_params),
	KUNIT_CASE(sspi_negotiate_not_found_test),
	KUNIT_CASE(sspi_negotiate_ntlm_missing_test),
	KUNIT_CASE(sspi_negotiate_flush_test),
	KUNIT_CASE(sspi_negotiate_rules_test),
	{}
};

static struct kunit_suite sspi_negotiate_test_suite = {
	.name = "sspi_negotiate",
	.test_cases = sspi_negotiate_test_cases,
};

kunit_test_suite(sspi_negotiate_test_suite);
