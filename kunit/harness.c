// SPDX-License-Identifier: GPL-2.0
/*
 * sspi_kmod KUnit: the import, lookup and release every package suite
 * does, once (kunit/harness.h).
 */

#include <kunit/test.h>
#include <linux/slab.h>
#include <linux/uidgid.h>
#include <net/net_namespace.h>
#include <sspi_kmod/sspi.h>

#include "../sspi_kmod/context.h"
#include "harness.h"

struct sspi_kunit_ref {
	struct sspi_context *ctx;
	u64 handle;
};

/* At the end of a test: delete the context and drop the test's reference. */
static void sspi_kunit_release(void *arg)
{
	struct sspi_kunit_ref *r = arg;

	sspi_context_delete(&init_net, r->handle, NULL);
	sspi_context_put(r->ctx);
}

/**
 * sspi_kunit_try_import() - import a context as root in the initial netns
 * @package: the package, by SSPI name
 * @imp: its import structure
 * @len: the structure's size (a test may pass a wrong one)
 * @handle: the new context's handle
 *
 * For imports a test expects to fail; one that succeeds is the test's to
 * delete.
 *
 * Return: what sspi_context_import() returns.
 */
int sspi_kunit_try_import(const char *package, const void *imp, size_t len,
			  u64 *handle)
{
	return sspi_context_import(package, &init_net, GLOBAL_ROOT_UID, 0, imp, len,
				   handle);
}

/**
 * sspi_kunit_import() - import a context and hold it for the test
 * @test: the test; it fails (and stops) if the import does
 * @package: the package, by SSPI name
 * @imp: its import structure
 * @len: the structure's size
 *
 * The context is deleted, and the reference returned dropped, when @test
 * ends.
 *
 * Return: the context.
 */
struct sspi_context *sspi_kunit_import(struct kunit *test, const char *package,
				       const void *imp, size_t len)
{
	struct sspi_kunit_ref *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_ASSERT_EQ(test, sspi_kunit_try_import(package, imp, len, &r->handle), 0);
	r->ctx = sspi_context_lookup(&init_net, r->handle);
	KUNIT_ASSERT_NOT_NULL(test, r->ctx);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, sspi_kunit_release, r), 0);
	return r->ctx;
}
