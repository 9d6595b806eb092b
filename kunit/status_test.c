// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for sspi_kmod/status.c: the errno <-> SSPI status mapping.
 *
 * The expected pairs are written out here independently of the table in
 * status.c, from Documentation/status.rst and the Windows values in
 * winerror.h.
 */

#include <kunit/test.h>
#include <linux/errno.h>
#include <sspi_kmod/sspi.h>

struct sspi_status_case {
	u32 status;
	int err;
	const char *name;
};

static const struct sspi_status_case sspi_status_cases[] = {
	{ 0x00000000, 0, "SEC_E_OK" },
	{ 0x80090300, -ENOMEM, "SEC_E_INSUFFICIENT_MEMORY" },
	{ 0x80090301, -ENOENT, "SEC_E_INVALID_HANDLE" },
	{ 0x80090302, -EOPNOTSUPP, "SEC_E_UNSUPPORTED_FUNCTION" },
	{ 0x80090304, -EIO, "SEC_E_INTERNAL_ERROR" },
	{ 0x80090305, -EPROTONOSUPPORT, "SEC_E_SECPKG_NOT_FOUND" },
	{ 0x80090308, -EINVAL, "SEC_E_INVALID_TOKEN" },
	{ 0x8009030A, -ENOPROTOOPT, "SEC_E_QOP_NOT_SUPPORTED" },
	{ 0x8009030F, -EBADMSG, "SEC_E_MESSAGE_ALTERED" },
	{ 0x80090310, -EILSEQ, "SEC_E_OUT_OF_SEQUENCE" },
	{ 0x80090317, -EKEYEXPIRED, "SEC_E_CONTEXT_EXPIRED" },
	{ 0x80090318, -ENODATA, "SEC_E_INCOMPLETE_MESSAGE" },
	{ 0x80090321, -ENOBUFS, "SEC_E_BUFFER_TOO_SMALL" },
	{ 0x80090330, -EKEYREJECTED, "SEC_E_DECRYPT_FAILURE" },
	{ 0x80090337, -ENOPKG, "SEC_E_CRYPTO_SYSTEM_INVALID" },
	{ 0x00090312, SSPI_I_CONTINUE_NEEDED, "SEC_I_CONTINUE_NEEDED" },
	{ 0x00090317, SSPI_I_CONTEXT_EXPIRED, "SEC_I_CONTEXT_EXPIRED" },
	{ 0x00090321, SSPI_I_RENEGOTIATE, "SEC_I_RENEGOTIATE" },
};

static void sspi_status_case_desc(const struct sspi_status_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(sspi_status, sspi_status_cases, sspi_status_case_desc);

/* Each documented pair maps both ways and carries Windows' name. */
static void sspi_status_pair_test(struct kunit *test)
{
	const struct sspi_status_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, sspi_status_from_errno(c->err), c->status);
	KUNIT_EXPECT_EQ(test, sspi_errno_from_status(c->status), c->err);
	KUNIT_EXPECT_STREQ(test, sspi_status_name(c->status), c->name);
}

/* No two statuses share an errno, so every outcome stays distinguishable. */
static void sspi_status_errno_unique_test(struct kunit *test)
{
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(sspi_status_cases); i++)
		for (j = i + 1; j < ARRAY_SIZE(sspi_status_cases); j++) {
			KUNIT_EXPECT_NE(test, sspi_status_cases[i].err,
					sspi_status_cases[j].err);
			KUNIT_EXPECT_NE(test, sspi_status_cases[i].status,
					sspi_status_cases[j].status);
		}
}

/* Failures keep their class: SEC_E_ codes are negative, SEC_I_ are not. */
static void sspi_status_severity_test(struct kunit *test)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sspi_status_cases); i++) {
		const struct sspi_status_case *c = &sspi_status_cases[i];

		if (SSPI_STATUS_FAILED(c->status))
			KUNIT_EXPECT_LT(test, c->err, 0);
		else
			KUNIT_EXPECT_GE(test, c->err, 0);
	}
}

/*
 * The outcome rule of every transport: which statuses failed (Windows'
 * FAILED(): the severity bit), and which return the message's buffers --
 * success, SEC_I_*, and SEC_E_INCOMPLETE_MESSAGE for its MISSING buffer.
 */
struct sspi_outcome_case {
	const char *name;
	u32 status;
	bool failed;
	bool buffers;
};

static const struct sspi_outcome_case sspi_outcome_cases[] = {
	{ "SEC_E_OK", 0x00000000, false, true },
	{ "SEC_E_INSUFFICIENT_MEMORY", 0x80090300, true, false },
	{ "SEC_E_INVALID_HANDLE", 0x80090301, true, false },
	{ "SEC_E_UNSUPPORTED_FUNCTION", 0x80090302, true, false },
	{ "SEC_E_INTERNAL_ERROR", 0x80090304, true, false },
	{ "SEC_E_SECPKG_NOT_FOUND", 0x80090305, true, false },
	{ "SEC_E_INVALID_TOKEN", 0x80090308, true, false },
	{ "SEC_E_QOP_NOT_SUPPORTED", 0x8009030A, true, false },
	{ "SEC_E_MESSAGE_ALTERED", 0x8009030F, true, false },
	{ "SEC_E_OUT_OF_SEQUENCE", 0x80090310, true, false },
	{ "SEC_E_CONTEXT_EXPIRED", 0x80090317, true, false },
	{ "SEC_E_INCOMPLETE_MESSAGE", 0x80090318, true, true },
	{ "SEC_E_BUFFER_TOO_SMALL", 0x80090321, true, false },
	{ "SEC_E_DECRYPT_FAILURE", 0x80090330, true, false },
	{ "SEC_E_CRYPTO_SYSTEM_INVALID", 0x80090337, true, false },
	{ "SEC_I_CONTINUE_NEEDED", 0x00090312, false, true },
	{ "SEC_I_CONTEXT_EXPIRED", 0x00090317, false, true },
	{ "SEC_I_RENEGOTIATE", 0x00090321, false, true },
	/* values no package returns follow the severity bit alone */
	{ "unknown error 0x80090399", 0x80090399, true, false },
	{ "unknown error 0xFFFFFFFF", 0xFFFFFFFF, true, false },
	{ "unknown success 0x7FFFFFFF", 0x7FFFFFFF, false, true },
};

static void sspi_outcome_case_desc(const struct sspi_outcome_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(sspi_outcome, sspi_outcome_cases, sspi_outcome_case_desc);

static void sspi_status_outcome_test(struct kunit *test)
{
	const struct sspi_outcome_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, SSPI_STATUS_FAILED(c->status), c->failed);
	KUNIT_EXPECT_EQ(test, sspi_status_returns_buffers(c->status), c->buffers);
}

static void sspi_status_unknown_test(struct kunit *test)
{
	/* errno values outside the mapping are internal errors */
	KUNIT_EXPECT_EQ(test, sspi_status_from_errno(-EFAULT),
			(u32)SSPI_SEC_E_INTERNAL_ERROR);
	KUNIT_EXPECT_EQ(test, sspi_status_from_errno(-MAX_ERRNO),
			(u32)SSPI_SEC_E_INTERNAL_ERROR);
	KUNIT_EXPECT_EQ(test, sspi_status_from_errno(SSPI_I_RENEGOTIATE + 1),
			(u32)SSPI_SEC_E_INTERNAL_ERROR);
	KUNIT_EXPECT_EQ(test, sspi_status_from_errno(INT_MIN),
			(u32)SSPI_SEC_E_INTERNAL_ERROR);

	/* and unknown statuses have no name */
	KUNIT_EXPECT_EQ(test, sspi_errno_from_status(0x80090399), -EIO);
	KUNIT_EXPECT_EQ(test, sspi_errno_from_status(0xFFFFFFFF), -EIO);
	KUNIT_EXPECT_NULL(test, sspi_status_name(0x80090399));
	KUNIT_EXPECT_NULL(test, sspi_status_name(1));
}

static struct kunit_case sspi_status_test_cases[] = {
	KUNIT_CASE_PARAM(sspi_status_pair_test, sspi_status_gen_params),
	KUNIT_CASE(sspi_status_errno_unique_test),
	KUNIT_CASE(sspi_status_severity_test),
	KUNIT_CASE_PARAM(sspi_status_outcome_test, sspi_outcome_gen_params),
	KUNIT_CASE(sspi_status_unknown_test),
	{}
};

static struct kunit_suite sspi_status_test_suite = {
	.name = "sspi_status",
	.test_cases = sspi_status_test_cases,
};

kunit_test_suite(sspi_status_test_suite);
