// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for sspi_kmod/stats.c: the failure statuses' numbering, and
 * the counters of a context's message operations through the kernel API
 * (sspi_encrypt, sspi_decrypt, sspi_make_signature, sspi_query_stats) on
 * a pair of TLS 1.3 contexts whose keys mirror each other.
 */

#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <sspi_kmod/sspi.h>

#include "../sspi_kmod/compat.h"
#include "../sspi_kmod/status.h"
#include "harness.h"

/* Every failure status of <linux/sspi.h> */
static const u32 stats_failures[] = {
	SSPI_SEC_E_INSUFFICIENT_MEMORY, SSPI_SEC_E_INVALID_HANDLE,
	SSPI_SEC_E_UNSUPPORTED_FUNCTION, SSPI_SEC_E_INTERNAL_ERROR,
	SSPI_SEC_E_SECPKG_NOT_FOUND, SSPI_SEC_E_INVALID_TOKEN,
	SSPI_SEC_E_QOP_NOT_SUPPORTED, SSPI_SEC_E_MESSAGE_ALTERED,
	SSPI_SEC_E_OUT_OF_SEQUENCE, SSPI_SEC_E_CONTEXT_EXPIRED,
	SSPI_SEC_E_INCOMPLETE_MESSAGE, SSPI_SEC_E_BUFFER_TOO_SMALL,
	SSPI_SEC_E_DECRYPT_FAILURE, SSPI_SEC_E_CRYPTO_SYSTEM_INVALID,
};

/* Each failure status has its own index below SSPI_NR_FAILURES. */
static void sspi_stats_index_test(struct kunit *test)
{
	DECLARE_BITMAP(seen, SSPI_NR_FAILURES) = {};
	unsigned int i, idx;

	KUNIT_ASSERT_EQ(test, ARRAY_SIZE(stats_failures), SSPI_NR_FAILURES);
	for (i = 0; i < ARRAY_SIZE(stats_failures); i++) {
		idx = sspi_status_failure_index(stats_failures[i]);
		KUNIT_ASSERT_LT(test, idx, SSPI_NR_FAILURES);
		KUNIT_EXPECT_FALSE_MSG(test, test_bit(idx, seen),
				       "index %u given twice", idx);
		__set_bit(idx, seen);
		KUNIT_EXPECT_EQ(test, sspi_status_failure(idx), stats_failures[i]);
	}
	/* what is not a known failure counts as an internal error */
	idx = sspi_status_failure_index(SSPI_SEC_E_INTERNAL_ERROR);
	KUNIT_EXPECT_EQ(test, sspi_status_failure_index(SSPI_SEC_E_OK), idx);
	KUNIT_EXPECT_EQ(test, sspi_status_failure_index(0x80090399), idx);
	KUNIT_EXPECT_EQ(test, sspi_status_failure(SSPI_NR_FAILURES),
			(u32)SSPI_SEC_E_INTERNAL_ERROR);
}

static u64 stats_failed(const struct sspi_dir_stats *st, u32 status)
{
	unsigned int i;

	for (i = 0; i < SSPI_NR_FAILURES; i++)
		if (st->failed[i].status == status)
			return st->failed[i].count;
	return U64_MAX;		/* not listed: never expected */
}

static u64 stats_failed_total(const struct sspi_dir_stats *st)
{
	unsigned int i;
	u64 n = 0;

	for (i = 0; i < SSPI_NR_FAILURES; i++)
		n += st->failed[i].count;
	return n;
}

static void stats_keys(struct sspi_tls_keys *k)
{
	get_random_bytes(k->key, 16);
	get_random_bytes(k->iv, 12);
	memset(k->rec_seq, 0, sizeof(k->rec_seq));
}

/* @a seals what @b unseals, and the reverse */
static void stats_pair(struct kunit *test, struct sspi_context **a,
		       struct sspi_context **b)
{
	struct sspi_tls_import imp = {
		.version = SSPI_TLS_VERSION_1_3,
		.cipher = SSPI_TLS_CIPHER_AES_GCM_128,
	};
	struct sspi_tls_keys k;

	stats_keys(&imp.tx);
	stats_keys(&imp.rx);
	*a = sspi_kunit_import(test, "Schannel", &imp, sizeof(imp));
	k = imp.tx;
	imp.tx = imp.rx;
	imp.rx = k;
	*b = sspi_kunit_import(test, "Schannel", &imp, sizeof(imp));
	memzero_explicit(&imp, sizeof(imp));
	memzero_explicit(&k, sizeof(k));
}

/* Seal @len bytes into @rec (room for 5 + @len + 17): the record's length */
static int stats_seal(struct sspi_context *ctx, u8 *rec, u32 len)
{
	struct sspi_buffer b[4] = {
		{ .type = SSPI_SECBUFFER_STREAM_HEADER, .len = 5, .data = rec },
		{ .type = SSPI_SECBUFFER_DATA, .len = len, .data = rec + 5 },
		{ .type = SSPI_SECBUFFER_STREAM_TRAILER, .len = 17,
		  .data = rec + 5 + len },
		{ .type = SSPI_SECBUFFER_EMPTY },
	};
	struct sspi_message msg = { .count = 4, .buffers = b };
	int err;

	memset(rec + 5, 'p', len);
	err = sspi_encrypt(ctx, 0, &msg, 0);
	return err ? err : 5 + len + 17;
}

static int stats_unseal(struct sspi_context *ctx, u8 *rec, u32 len)
{
	struct sspi_buffer b[4] = {
		{ .type = SSPI_SECBUFFER_DATA, .len = len, .data = rec },
		{ .type = SSPI_SECBUFFER_EMPTY }, { .type = SSPI_SECBUFFER_EMPTY },
		{ .type = SSPI_SECBUFFER_EMPTY },
	};
	struct sspi_message msg = { .count = 4, .buffers = b };

	return sspi_decrypt(ctx, &msg, 0, NULL);
}

/*
 * Messages and plaintext bytes each way, failures by status, nothing
 * counted twice or in the other direction.
 */
static void sspi_stats_counts_test(struct kunit *test)
{
	static const u32 lens[] = { 10, 200, 1 };
	struct sspi_context_stats st;
	struct sspi_context *a, *b;
	struct sspi_buffer nobuf = { .type = SSPI_SECBUFFER_DATA };
	struct sspi_message bad = { .count = 1, .buffers = &nobuf };
	u8 (*recs)[5 + 200 + 17];
	int rlen[3];
	unsigned int i;

	/* buffers are directly mapped memory, which a stack may not be */
	recs = kunit_kcalloc(test, 3, sizeof(*recs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, recs);
	stats_pair(test, &a, &b);
	sspi_query_stats(a, &st);
	KUNIT_EXPECT_EQ(test, st.tx.messages, 0);
	KUNIT_EXPECT_EQ(test, stats_failed_total(&st.tx), 0);

	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		rlen[i] = stats_seal(a, recs[i], lens[i]);
		KUNIT_ASSERT_GT(test, rlen[i], 0);
	}
	/* a DATA buffer claiming bytes it has no memory for */
	nobuf.len = 4;
	KUNIT_EXPECT_EQ(test, sspi_encrypt(a, 0, &bad, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, sspi_make_signature(a, 0, &bad, 0), -EINVAL);
	/* TLS records are not signed */
	nobuf.data = recs[0];
	KUNIT_EXPECT_EQ(test, sspi_make_signature(a, 0, &bad, 0), -EOPNOTSUPP);

	/* the first two arrive, the third altered, then truncated */
	KUNIT_EXPECT_EQ(test, stats_unseal(b, recs[0], rlen[0]), 0);
	KUNIT_EXPECT_EQ(test, stats_unseal(b, recs[1], rlen[1]), 0);
	recs[2][rlen[2] - 1] ^= 1;
	KUNIT_EXPECT_EQ(test, stats_unseal(b, recs[2], rlen[2]), -EBADMSG);
	KUNIT_EXPECT_EQ(test, stats_unseal(b, recs[2], 3), -ENODATA);

	sspi_query_stats(a, &st);
	KUNIT_EXPECT_EQ(test, st.tx.messages, 3);
	KUNIT_EXPECT_EQ(test, st.tx.bytes, 211);
	KUNIT_EXPECT_EQ(test, stats_failed(&st.tx, SSPI_SEC_E_INVALID_TOKEN), 2);
	KUNIT_EXPECT_EQ(test,
			stats_failed(&st.tx, SSPI_SEC_E_UNSUPPORTED_FUNCTION), 1);
	KUNIT_EXPECT_EQ(test, stats_failed_total(&st.tx), 3);
	KUNIT_EXPECT_EQ(test, st.rx.messages, 0);
	KUNIT_EXPECT_EQ(test, stats_failed_total(&st.rx), 0);

	sspi_query_stats(b, &st);
	KUNIT_EXPECT_EQ(test, st.rx.messages, 2);
	KUNIT_EXPECT_EQ(test, st.rx.bytes, 210);
	KUNIT_EXPECT_EQ(test, stats_failed(&st.rx, SSPI_SEC_E_MESSAGE_ALTERED), 1);
	KUNIT_EXPECT_EQ(test, stats_failed(&st.rx, SSPI_SEC_E_INCOMPLETE_MESSAGE), 1);
	KUNIT_EXPECT_EQ(test, stats_failed_total(&st.rx), 2);
	KUNIT_EXPECT_EQ(test, st.tx.messages, 0);
	KUNIT_EXPECT_EQ(test, stats_failed_total(&st.tx), 0);
}

static struct kunit_case sspi_stats_test_cases[] = {
	KUNIT_CASE(sspi_stats_index_test),
	KUNIT_CASE(sspi_stats_counts_test),
	{}
};

static struct kunit_suite sspi_stats_test_suite = {
	.name = "sspi_stats",
	.test_cases = sspi_stats_test_cases,
};

kunit_test_suite(sspi_stats_test_suite);
