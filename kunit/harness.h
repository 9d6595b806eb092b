/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sspi_kmod KUnit: what the package suites share -- importing a context
 * the way a caller does, and giving it back when the test ends.
 */
#ifndef _SSPI_KUNIT_HARNESS_H
#define _SSPI_KUNIT_HARNESS_H

#include <kunit/test.h>
#include <linux/types.h>

struct sspi_context;

int sspi_kunit_try_import(const char *package, const void *imp, size_t len,
			  u64 *handle);
struct sspi_context *sspi_kunit_import(struct kunit *test, const char *package,
				       const void *imp, size_t len);

#endif /* _SSPI_KUNIT_HARNESS_H */
