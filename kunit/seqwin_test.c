// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for sspi_kmod/seqwin.c: receive-side sequence windows.
 */

#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/limits.h>

#include "../sspi_kmod/seqwin.h"

/* accept @seq: check it, expect @want, commit it */
static void accept(struct kunit *test, struct sspi_seqwin *w, u64 seq,
		   enum sspi_seq_verdict want)
{
	KUNIT_ASSERT_EQ(test, sspi_seqwin_check(w, seq), want);
	sspi_seqwin_commit(w, seq);
}

static void sspi_seqwin_in_order_test(struct kunit *test)
{
	struct sspi_seqwin w;
	u64 i;

	sspi_seqwin_init(&w, 5);
	for (i = 5; i < 205; i++)
		accept(test, &w, i, SSPI_SEQ_IN_ORDER);
	KUNIT_EXPECT_EQ(test, w.next, 205);
	for (i = 205 - SSPI_SEQWIN_SIZE; i < 205; i++)
		KUNIT_EXPECT_EQ(test, sspi_seqwin_check(&w, i), SSPI_SEQ_REPLAY);
	KUNIT_EXPECT_EQ(test, sspi_seqwin_check(&w, 205 - SSPI_SEQWIN_SIZE - 1),
			SSPI_SEQ_TOO_OLD);
	KUNIT_EXPECT_EQ(test, sspi_seqwin_check(&w, 0), SSPI_SEQ_TOO_OLD);
}

static void sspi_seqwin_gap_and_late_test(struct kunit *test)
{
	struct sspi_seqwin w;

	sspi_seqwin_init(&w, 0);
	accept(test, &w, 0, SSPI_SEQ_IN_ORDER);
	accept(test, &w, 3, SSPI_SEQ_GAP);
	KUNIT_EXPECT_EQ(test, w.next, 4);
	KUNIT_EXPECT_EQ(test, sspi_seqwin_check(&w, 0), SSPI_SEQ_REPLAY);
	KUNIT_EXPECT_EQ(test, sspi_seqwin_check(&w, 3), SSPI_SEQ_REPLAY);
	accept(test, &w, 2, SSPI_SEQ_LATE);
	KUNIT_EXPECT_EQ(test, sspi_seqwin_check(&w, 2), SSPI_SEQ_REPLAY);
	KUNIT_EXPECT_EQ(test, sspi_seqwin_check(&w, 1), SSPI_SEQ_LATE);
	/* a late message does not move the expected number */
	KUNIT_EXPECT_EQ(test, w.next, 4);
	accept(test, &w, 4, SSPI_SEQ_IN_ORDER);
}

/*
 * What a context with replay and sequence detection makes of a stream
 * with a hole: the message after the hole is taken and the stream goes on;
 * the one skipped, coming late, and every replay are refused.
 */
static void sspi_seqwin_gap_continue_test(struct kunit *test)
{
	const unsigned int rs = SSPI_SEQ_DETECT_REPLAY | SSPI_SEQ_DETECT_SEQUENCE;
	struct sspi_seqwin w;
	u64 i;

	sspi_seqwin_init(&w, 10);
	accept(test, &w, 10, SSPI_SEQ_IN_ORDER);
	/* 11 lost or refused: 12 is a gap, taken */
	KUNIT_EXPECT_EQ(test, sspi_seq_verdict_errno(sspi_seqwin_check(&w, 12), rs), 0);
	accept(test, &w, 12, SSPI_SEQ_GAP);
	for (i = 13; i < 20; i++) {
		KUNIT_EXPECT_EQ(test, sspi_seq_verdict_errno(sspi_seqwin_check(&w, i), rs), 0);
		accept(test, &w, i, SSPI_SEQ_IN_ORDER);
	}
	/* replays of what was taken, and 11 late: refused, window kept */
	KUNIT_EXPECT_EQ(test, sspi_seq_verdict_errno(sspi_seqwin_check(&w, 12), rs), -EILSEQ);
	KUNIT_EXPECT_EQ(test, sspi_seq_verdict_errno(sspi_seqwin_check(&w, 19), rs), -EILSEQ);
	KUNIT_EXPECT_EQ(test, sspi_seq_verdict_errno(sspi_seqwin_check(&w, 11), rs), -EILSEQ);
	KUNIT_EXPECT_EQ(test, w.next, 20);
	/* far ahead: a gap past the window, and then too old behind it */
	KUNIT_EXPECT_EQ(test, sspi_seq_verdict_errno(sspi_seqwin_check(&w, 500), rs), 0);
	accept(test, &w, 500, SSPI_SEQ_GAP);
	KUNIT_EXPECT_EQ(test, sspi_seq_verdict_errno(sspi_seqwin_check(&w, 19), rs), -EILSEQ);
	KUNIT_EXPECT_EQ(test, sspi_seq_verdict_errno(sspi_seqwin_check(&w, 500), rs), -EILSEQ);
	accept(test, &w, 501, SSPI_SEQ_IN_ORDER);
}

static void sspi_seqwin_edge_test(struct kunit *test)
{
	struct sspi_seqwin w;

	sspi_seqwin_init(&w, 0);
	accept(test, &w, 100, SSPI_SEQ_GAP);
	/* 101 - 1 - 37 = 63: the oldest slot still inside the window */
	KUNIT_EXPECT_EQ(test, sspi_seqwin_check(&w, 37), SSPI_SEQ_LATE);
	KUNIT_EXPECT_EQ(test, sspi_seqwin_check(&w, 36), SSPI_SEQ_TOO_OLD);
	accept(test, &w, 37, SSPI_SEQ_LATE);
	KUNIT_EXPECT_EQ(test, sspi_seqwin_check(&w, 37), SSPI_SEQ_REPLAY);
	/* moving by exactly the window size forgets everything */
	accept(test, &w, 100 + SSPI_SEQWIN_SIZE, SSPI_SEQ_GAP);
	KUNIT_EXPECT_EQ(test, sspi_seqwin_check(&w, 100), SSPI_SEQ_TOO_OLD);
	KUNIT_EXPECT_EQ(test, sspi_seqwin_check(&w, 101), SSPI_SEQ_LATE);
	/* and a jump far beyond it too */
	accept(test, &w, 1000000, SSPI_SEQ_GAP);
	KUNIT_EXPECT_EQ(test, sspi_seqwin_check(&w, 999999), SSPI_SEQ_LATE);
	KUNIT_EXPECT_EQ(test, sspi_seqwin_check(&w, 1000000), SSPI_SEQ_REPLAY);
}

static void sspi_seqwin_exhausted_test(struct kunit *test)
{
	struct sspi_seqwin w;

	sspi_seqwin_init(&w, U64_MAX - 1);
	accept(test, &w, U64_MAX - 1, SSPI_SEQ_IN_ORDER);
	KUNIT_EXPECT_EQ(test, w.next, U64_MAX);
	KUNIT_EXPECT_EQ(test, sspi_seqwin_check(&w, U64_MAX), SSPI_SEQ_EXHAUSTED);
	KUNIT_EXPECT_EQ(test, sspi_seqwin_check(&w, U64_MAX - 1), SSPI_SEQ_REPLAY);
	KUNIT_EXPECT_EQ(test, sspi_seq_verdict_errno(SSPI_SEQ_EXHAUSTED, 0),
			-EKEYEXPIRED);
}

/* 32-bit numbers: placed nearest to the number expected next */
static void sspi_seqwin_check32_test(struct kunit *test)
{
	struct sspi_seqwin w;
	u64 seq64 = 0;

	sspi_seqwin_init(&w, 5);
	KUNIT_EXPECT_EQ(test, sspi_seqwin_check32(&w, 5, &seq64), SSPI_SEQ_IN_ORDER);
	KUNIT_EXPECT_EQ(test, seq64, 5);
	/* below zero: too old, and not placed */
	seq64 = 77;
	KUNIT_EXPECT_EQ(test, sspi_seqwin_check32(&w, U32_MAX, &seq64),
			SSPI_SEQ_TOO_OLD);
	KUNIT_EXPECT_EQ(test, seq64, 77);
	KUNIT_EXPECT_EQ(test, sspi_seqwin_check32(&w, 0, &seq64), SSPI_SEQ_LATE);
	KUNIT_EXPECT_EQ(test, seq64, 0);

	/* across the 32-bit wrap, both ways */
	sspi_seqwin_init(&w, U32_MAX - 1);
	accept(test, &w, U32_MAX - 1, SSPI_SEQ_IN_ORDER);
	KUNIT_EXPECT_EQ(test, sspi_seqwin_check32(&w, 1, &seq64), SSPI_SEQ_GAP);
	KUNIT_EXPECT_EQ(test, seq64, (u64)U32_MAX + 2);
	sspi_seqwin_commit(&w, seq64);
	KUNIT_EXPECT_EQ(test, sspi_seqwin_check32(&w, U32_MAX, &seq64), SSPI_SEQ_LATE);
	KUNIT_EXPECT_EQ(test, seq64, U32_MAX);
	KUNIT_EXPECT_EQ(test, sspi_seqwin_check32(&w, U32_MAX - 1, &seq64),
			SSPI_SEQ_REPLAY);
	KUNIT_EXPECT_EQ(test, seq64, U32_MAX - 1);

	/* 2^31 - 1 ahead is a gap, 2^31 ahead lies behind */
	sspi_seqwin_init(&w, 1ULL << 32);
	KUNIT_EXPECT_EQ(test, sspi_seqwin_check32(&w, S32_MAX, &seq64), SSPI_SEQ_GAP);
	KUNIT_EXPECT_EQ(test, seq64, (1ULL << 32) + S32_MAX);
	KUNIT_EXPECT_EQ(test, sspi_seqwin_check32(&w, 1U << 31, &seq64),
			SSPI_SEQ_TOO_OLD);
	KUNIT_EXPECT_EQ(test, seq64, 1ULL << 31);
}

struct sspi_seq_policy_case {
	enum sspi_seq_verdict verdict;
	unsigned int flags;
	int err;
	const char *desc;
};

#define R SSPI_SEQ_DETECT_REPLAY
#define S SSPI_SEQ_DETECT_SEQUENCE

static const struct sspi_seq_policy_case sspi_seq_policy_cases[] = {
	{ SSPI_SEQ_IN_ORDER, 0, 0, "in-order, no detection" },
	{ SSPI_SEQ_IN_ORDER, R | S, 0, "in-order, replay+sequence" },
	{ SSPI_SEQ_REPLAY, 0, 0, "replay, no detection" },
	{ SSPI_SEQ_REPLAY, R, -EILSEQ, "replay, replay" },
	{ SSPI_SEQ_REPLAY, S, -EILSEQ, "replay, sequence" },
	{ SSPI_SEQ_TOO_OLD, 0, 0, "too old, no detection" },
	{ SSPI_SEQ_TOO_OLD, R, -EILSEQ, "too old, replay" },
	{ SSPI_SEQ_GAP, R, 0, "gap, replay" },
	{ SSPI_SEQ_GAP, S, 0, "gap, sequence" },
	{ SSPI_SEQ_GAP, R | S, 0, "gap, replay+sequence" },
	{ SSPI_SEQ_LATE, S, -EILSEQ, "late, sequence" },
	{ SSPI_SEQ_LATE, R, 0, "late, replay" },
	{ SSPI_SEQ_LATE, R | S, -EILSEQ, "late, replay+sequence" },
	{ SSPI_SEQ_EXHAUSTED, 0, -EKEYEXPIRED, "exhausted, no detection" },
};

#undef R
#undef S

static void sspi_seq_policy_desc(const struct sspi_seq_policy_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(sspi_seq_policy, sspi_seq_policy_cases, sspi_seq_policy_desc);

static void sspi_seq_policy_test(struct kunit *test)
{
	const struct sspi_seq_policy_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, sspi_seq_verdict_errno(c->verdict, c->flags), c->err);
}

static struct kunit_case sspi_seqwin_test_cases[] = {
	KUNIT_CASE(sspi_seqwin_in_order_test),
	KUNIT_CASE(sspi_seqwin_gap_and_late_test),
	KUNIT_CASE(sspi_seqwin_gap_continue_test),
	KUNIT_CASE(sspi_seqwin_edge_test),
	KUNIT_CASE(sspi_seqwin_exhausted_test),
	KUNIT_CASE(sspi_seqwin_check32_test),
	KUNIT_CASE_PARAM(sspi_seq_policy_test, sspi_seq_policy_gen_params),
	{}
};

static struct kunit_suite sspi_seqwin_test_suite = {
	.name = "sspi_seqwin",
	.test_cases = sspi_seqwin_test_cases,
};

kunit_test_suite(sspi_seqwin_test_suite);
