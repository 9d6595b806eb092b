// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for sspi_kmod/context.c, package.c and message.c: the
 * lifetime, visibility and ownership of contexts, and the checks the core
 * makes before a package runs.  A test package records what reaches it.
 */

#include <kunit/test.h>
#include <kunit/test-bug.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/errno.h>
#include <linux/mutex.h>
#include <linux/scatterlist.h>
#include <linux/timekeeping.h>
#include <net/net_namespace.h>

#include "../sspi_kmod/compat.h"
#include "../sspi_kmod/context.h"
#include "../sspi_kmod/handle.h"
#include "../sspi_kmod/package.h"

struct sspi_test_state {
	u32 marker;
	unsigned int encrypts;
	unsigned int decrypts;
};

static atomic_t sspi_test_destroyed = ATOMIC_INIT(0);

static int sspi_test_init(struct sspi_context *ctx, const void *data, size_t len)
{
	struct sspi_test_state *st = (void *)ctx->priv;

	if (len != sizeof(u32))
		return -EINVAL;
	st->marker = *(const u32 *)data;
	return 0;
}

static void sspi_test_destroy(struct sspi_context *ctx)
{
	atomic_inc(&sspi_test_destroyed);
}

static int sspi_test_encrypt(struct sspi_context *ctx, u32 qop,
			     struct sspi_message *msg, u32 seqno)
{
	struct sspi_test_state *st = (void *)ctx->priv;
	struct kunit *test = kunit_get_current_test();

	/* senders hold the send lock, and only that */
	KUNIT_EXPECT_TRUE(test, mutex_is_locked(&ctx->tx.lock));
	KUNIT_EXPECT_FALSE(test, mutex_is_locked(&ctx->rx.lock));
	st->encrypts++;
	return 0;
}

static int sspi_test_decrypt(struct sspi_context *ctx, struct sspi_message *msg,
			     u32 seqno, u32 *qop)
{
	struct sspi_test_state *st = (void *)ctx->priv;
	struct kunit *test = kunit_get_current_test();

	KUNIT_EXPECT_TRUE(test, mutex_is_locked(&ctx->rx.lock));
	KUNIT_EXPECT_FALSE(test, mutex_is_locked(&ctx->tx.lock));
	st->decrypts++;
	*qop = SSPI_SECQOP_WRAP_NO_ENCRYPT;
	return SSPI_I_RENEGOTIATE;
}

static void sspi_test_query(struct sspi_context *ctx,
			    struct sspi_context_info *info)
{
	struct sspi_test_state *st = (void *)ctx->priv;
	struct kunit *test = kunit_get_current_test();

	/* a query sees both directions at rest */
	KUNIT_EXPECT_TRUE(test, mutex_is_locked(&ctx->tx.lock));
	KUNIT_EXPECT_TRUE(test, mutex_is_locked(&ctx->rx.lock));
	info->tx_seq = st->encrypts;
	info->rx_seq = st->decrypts;
	info->protocol = st->marker;
}

static int sspi_test_update_keys(struct sspi_context *ctx, enum sspi_dir dir,
				 const void *keys, size_t len)
{
	struct sspi_test_state *st = (void *)ctx->priv;
	struct kunit *test = kunit_get_current_test();

	KUNIT_EXPECT_EQ(test, mutex_is_locked(&ctx->tx.lock), dir == SSPI_TX);
	KUNIT_EXPECT_EQ(test, mutex_is_locked(&ctx->rx.lock), dir == SSPI_RX);
	if (len != sizeof(u32))
		return -EINVAL;
	st->marker = *(const u32 *)keys;
	return 0;
}

static const struct sspi_package_ops sspi_test_ops = {
	.init = sspi_test_init,
	.destroy = sspi_test_destroy,
	.encrypt = sspi_test_encrypt,
	.decrypt = sspi_test_decrypt,
	.query = sspi_test_query,
	.update_keys = sspi_test_update_keys,
};

static struct sspi_package sspi_test_pkg = {
	.name = "sspi-kunit",
	.comment = "records what reaches it",
	.priv_size = sizeof(struct sspi_test_state),
	.ops = &sspi_test_ops,
};

static const u32 sspi_test_marker = 0x5e55;
static const kuid_t sspi_test_owner = KUIDT_INIT(1000);

static u64 sspi_test_import(struct kunit *test, struct net *net, time64_t expiry)
{
	u64 handle = 0;

	KUNIT_ASSERT_EQ(test, sspi_context_import("SSPI-KUNIT", net, sspi_test_owner,
						  expiry, &sspi_test_marker,
						  sizeof(sspi_test_marker), &handle), 0);
	KUNIT_ASSERT_NE(test, handle, 0);
	return handle;
}

static int sspi_context_test_suite_init(struct kunit_suite *suite)
{
	return sspi_package_register(&sspi_test_pkg);
}

/* Unregistering deletes the package's contexts, and no one else's. */
static void sspi_context_test_suite_exit(struct kunit_suite *suite)
{
	sspi_package_unregister(&sspi_test_pkg);
}

/*
 * A stand-in namespace: only compared by address, and alive (a dying
 * namespace gets no new contexts).
 */
KUNIT_DEFINE_ACTION_WRAPPER(sspi_test_put_cred, put_cred, const struct cred *);

static struct net *sspi_test_net(struct kunit *test)
{
	struct net *net = kunit_kzalloc(test, sizeof(*net), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, net);
	refcount_set(sspi_net_refcount(net), 1);
	return net;
}

static void sspi_package_registry_test(struct kunit *test)
{
	struct sspi_package dup = { .name = "Sspi-Kunit", .ops = &sspi_test_ops };
	int err;

	KUNIT_EXPECT_PTR_EQ(test, sspi_package_find("sspi-kunit"),
			    (const struct sspi_package *)&sspi_test_pkg);
	KUNIT_EXPECT_NULL(test, sspi_package_find("no-such-package"));
	err = sspi_package_register(&dup);
	KUNIT_EXPECT_EQ(test, err, -EEXIST);
	if (!err)	/* never leave a stack object on the list */
		sspi_package_unregister(&dup);
}

static void sspi_package_ops_required_test(struct kunit *test)
{
	struct sspi_package_ops ops = sspi_test_ops;
	struct sspi_package pkg = { .name = "sspi-kunit-partial", .ops = &ops };
	int err;

	ops.query = NULL;
	err = sspi_package_register(&pkg);
	KUNIT_EXPECT_EQ(test, err, -EINVAL);
	if (!err)
		sspi_package_unregister(&pkg);
	KUNIT_EXPECT_NULL(test, sspi_package_find("sspi-kunit-partial"));
}

/* Query and key update reach the package under the documented locks. */
static void sspi_context_query_update_test(struct kunit *test)
{
	struct sspi_requester req = { .uid = sspi_test_owner };
	struct sspi_context_info info;
	struct sspi_context *ctx;
	u32 marker = 0xabcd;
	u64 handle;

	handle = sspi_test_import(test, &init_net, 0);
	ctx = sspi_context_get(&init_net, handle, &req);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ctx);

	KUNIT_EXPECT_EQ(test, sspi_query(ctx, &info), 0);
	KUNIT_EXPECT_STREQ(test, info.package, "sspi-kunit");
	KUNIT_EXPECT_EQ(test, info.protocol, sspi_test_marker);

	KUNIT_EXPECT_EQ(test, sspi_update_keys(ctx, 3, &marker, sizeof(marker)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, sspi_update_keys(ctx, SSPI_TX, &marker, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, sspi_update_keys(ctx, SSPI_RX, &marker,
					       sizeof(marker)), 0);
	KUNIT_EXPECT_EQ(test, sspi_query(ctx, &info), 0);
	KUNIT_EXPECT_EQ(test, info.protocol, marker);

	KUNIT_EXPECT_EQ(test, sspi_context_delete(&init_net, handle, &req), 0);
	KUNIT_EXPECT_EQ(test, sspi_query(ctx, &info), -EKEYEXPIRED);
	KUNIT_EXPECT_EQ(test, sspi_update_keys(ctx, SSPI_TX, &marker,
					       sizeof(marker)), -EKEYEXPIRED);
	sspi_context_put(ctx);
}

static void sspi_context_import_errors_test(struct kunit *test)
{
	u64 handle = 0;
	u8 bad[3] = {};

	KUNIT_EXPECT_EQ(test, sspi_context_import("no-such-package", &init_net,
						  sspi_test_owner, 0, &sspi_test_marker,
						  sizeof(u32), &handle), -EPROTONOSUPPORT);
	KUNIT_EXPECT_EQ(test, sspi_context_import("sspi-kunit", &init_net,
						  sspi_test_owner, 0, bad, sizeof(bad),
						  &handle), -EINVAL);
	KUNIT_EXPECT_EQ(test, handle, 0);
}

static void sspi_context_visibility_test(struct kunit *test)
{
	struct net *other = sspi_test_net(test);
	struct sspi_requester owner = { .uid = sspi_test_owner };
	struct sspi_requester stranger = { .uid = KUIDT_INIT(1001) };
	struct sspi_requester admin = { .uid = KUIDT_INIT(1001), .admin = true };
	struct sspi_context *ctx;
	u64 handle;

	handle = sspi_test_import(test, &init_net, 0);

	ctx = sspi_context_lookup(&init_net, handle);
	KUNIT_ASSERT_NOT_NULL(test, ctx);
	KUNIT_EXPECT_EQ(test, ((struct sspi_test_state *)ctx->priv)->marker,
			sspi_test_marker);
	sspi_context_put(ctx);

	/* another namespace, another user: as if the handle did not exist */
	KUNIT_EXPECT_NULL(test, sspi_context_lookup(other, handle));
	KUNIT_EXPECT_NULL(test, sspi_context_get(&init_net, handle, &stranger));
	KUNIT_EXPECT_NULL(test, sspi_context_lookup(&init_net, handle + 1));
	KUNIT_EXPECT_EQ(test, sspi_context_delete(&init_net, handle, &stranger), -ENOENT);
	KUNIT_EXPECT_EQ(test, sspi_context_delete(other, handle, &owner), -ENOENT);

	ctx = sspi_context_get(&init_net, handle, &owner);
	KUNIT_EXPECT_NOT_NULL(test, ctx);
	sspi_context_put(ctx);
	ctx = sspi_context_get(&init_net, handle, &admin);
	KUNIT_EXPECT_NOT_NULL(test, ctx);
	sspi_context_put(ctx);

	KUNIT_EXPECT_EQ(test, sspi_context_delete(&init_net, handle, &admin), 0);
	KUNIT_EXPECT_NULL(test, sspi_context_lookup(&init_net, handle));
	KUNIT_EXPECT_EQ(test, sspi_context_delete(&init_net, handle, &admin), -ENOENT);
}

/* Credentials of @uid, with CAP_NET_ADMIN or none; freed when @test ends. */
static const struct cred *sspi_test_cred(struct kunit *test, kuid_t uid,
					 bool net_admin)
{
	struct cred *cred = prepare_creds();

	KUNIT_ASSERT_NOT_NULL(test, cred);
	cred->uid = uid;
	cred->euid = uid;
	cred->fsuid = uid;
	cap_clear(cred->cap_effective);
	if (net_admin)
		cap_raise(cred->cap_effective, CAP_NET_ADMIN);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, sspi_test_put_cred,
							cred), 0);
	return cred;
}

/*
 * sspi_context_lookup_cred(): the owner rule of netlink and /dev/sspi for
 * a consumer acting for a user; sspi_context_lookup() has none.
 */
static void sspi_context_lookup_cred_test(struct kunit *test)
{
	const struct cred *owner = sspi_test_cred(test, sspi_test_owner, false);
	const struct cred *other = sspi_test_cred(test, KUIDT_INIT(1001), false);
	const struct cred *admin = sspi_test_cred(test, KUIDT_INIT(1001), true);
	struct sspi_context *ctx;
	u64 handle;

	handle = sspi_test_import(test, &init_net, 0);

	/* another uid without the capability: as if there were no context */
	KUNIT_EXPECT_NULL(test, sspi_context_lookup_cred(&init_net, handle, other));

	ctx = sspi_context_lookup_cred(&init_net, handle, owner);
	KUNIT_ASSERT_NOT_NULL(test, ctx);
	KUNIT_EXPECT_EQ(test, ctx->handle, handle);
	sspi_context_put(ctx);

	ctx = sspi_context_lookup_cred(&init_net, handle, admin);
	KUNIT_EXPECT_NOT_NULL(test, ctx);
	sspi_context_put(ctx);

	/* the unchecked lookup finds it whoever asks */
	ctx = sspi_context_lookup(&init_net, handle);
	KUNIT_EXPECT_NOT_NULL(test, ctx);
	sspi_context_put(ctx);

	/* another namespace, or no such handle: nobody finds it */
	KUNIT_EXPECT_NULL(test, sspi_context_lookup_cred(sspi_test_net(test),
							 handle, owner));
	KUNIT_EXPECT_NULL(test, sspi_context_lookup_cred(&init_net, handle + 1,
							 admin));
	KUNIT_EXPECT_EQ(test, sspi_context_delete(&init_net, handle, NULL), 0);
	KUNIT_EXPECT_NULL(test, sspi_context_lookup_cred(&init_net, handle, owner));
}

/* Deleting a context in use: the user finishes, then gets "closed". */
static void sspi_context_delete_while_held_test(struct kunit *test)
{
	struct sspi_buffer buf = { .type = SSPI_SECBUFFER_DATA };
	struct sspi_message msg = { .count = 1, .buffers = &buf };
	struct sspi_context *ctx;
	int destroyed;
	u64 handle;

	handle = sspi_test_import(test, &init_net, 0);
	ctx = sspi_context_lookup(&init_net, handle);
	KUNIT_ASSERT_NOT_NULL(test, ctx);
	KUNIT_EXPECT_EQ(test, sspi_encrypt(ctx, 0, &msg, 0), 0);

	destroyed = atomic_read(&sspi_test_destroyed);
	KUNIT_EXPECT_EQ(test, sspi_context_delete(&init_net, handle, NULL), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&sspi_test_destroyed), destroyed);
	KUNIT_EXPECT_EQ(test, sspi_encrypt(ctx, 0, &msg, 0), -EKEYEXPIRED);
	KUNIT_EXPECT_EQ(test, sspi_decrypt(ctx, &msg, 0, NULL), -EKEYEXPIRED);
	KUNIT_EXPECT_EQ(test, ((struct sspi_test_state *)ctx->priv)->encrypts, 1);

	sspi_context_put(ctx);
	KUNIT_EXPECT_EQ(test, atomic_read(&sspi_test_destroyed), destroyed + 1);
}

static void sspi_context_expiry_test(struct kunit *test)
{
	struct sspi_buffer buf = { .type = SSPI_SECBUFFER_DATA };
	struct sspi_message msg = { .count = 1, .buffers = &buf };
	time64_t now = ktime_get_real_seconds();
	struct sspi_context *ctx;
	u64 handle = 0;

	/* already expired: refused at import */
	KUNIT_EXPECT_EQ(test, sspi_context_import("sspi-kunit", &init_net, sspi_test_owner,
						  now - 1, &sspi_test_marker,
						  sizeof(sspi_test_marker), &handle),
			-EKEYEXPIRED);
	KUNIT_EXPECT_EQ(test, handle, 0);

	ctx = sspi_context_lookup(&init_net, sspi_test_import(test, &init_net, now + 3600));
	KUNIT_ASSERT_NOT_NULL(test, ctx);
	KUNIT_EXPECT_EQ(test, sspi_encrypt(ctx, 0, &msg, 0), 0);
	/* time passes: the same context is now past its expiry */
	ctx->expiry = now - 1;
	KUNIT_EXPECT_EQ(test, sspi_encrypt(ctx, 0, &msg, 0), -EKEYEXPIRED);
	KUNIT_EXPECT_EQ(test, sspi_decrypt(ctx, &msg, 0, NULL), -EKEYEXPIRED);
	KUNIT_EXPECT_EQ(test, ((struct sspi_test_state *)ctx->priv)->encrypts, 1);
	sspi_context_put(ctx);
}

/* A namespace on its way out gets no new context. */
static void sspi_context_dying_net_test(struct kunit *test)
{
	struct net *dying = sspi_test_net(test);
	u64 handle = 0;
	int destroyed = atomic_read(&sspi_test_destroyed);

	refcount_set(sspi_net_refcount(dying), 0);
	KUNIT_EXPECT_EQ(test, sspi_context_import("sspi-kunit", dying, sspi_test_owner, 0,
						  &sspi_test_marker, sizeof(sspi_test_marker),
						  &handle), -ENOENT);
	KUNIT_EXPECT_EQ(test, handle, 0);
	/* the package's state was set up, so it is torn down */
	KUNIT_EXPECT_EQ(test, atomic_read(&sspi_test_destroyed), destroyed + 1);
}

/* Malformed buffer arrays never reach the package. */
static void sspi_message_shape_test(struct kunit *test)
{
	struct sspi_buffer bufs[SSPI_MAX_BUFFERS + 1] = {};
	struct sspi_message msg = { .buffers = bufs };
	struct scatterlist sg;
	struct sspi_context *ctx;
	u8 byte;

	ctx = sspi_context_lookup(&init_net, sspi_test_import(test, &init_net, 0));
	KUNIT_ASSERT_NOT_NULL(test, ctx);
	sg_init_one(&sg, &byte, 1);

	msg.count = 0;
	KUNIT_EXPECT_EQ(test, sspi_encrypt(ctx, 0, &msg, 0), -EINVAL);
	msg.count = SSPI_MAX_BUFFERS + 1;
	KUNIT_EXPECT_EQ(test, sspi_encrypt(ctx, 0, &msg, 0), -EINVAL);
	msg.count = 1;
	bufs[0] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_DATA, .len = 1 };
	KUNIT_EXPECT_EQ(test, sspi_encrypt(ctx, 0, &msg, 0), -EINVAL);
	bufs[0].data = &byte;
	bufs[0].sg = &sg;
	KUNIT_EXPECT_EQ(test, sspi_decrypt(ctx, &msg, 0, NULL), -EINVAL);
	bufs[0].sg = NULL;
	bufs[0].offset = 1;
	KUNIT_EXPECT_EQ(test, sspi_encrypt(ctx, 0, &msg, 0), -EINVAL);
	/* a scatterlist shorter than the range claimed, or one that wraps */
	bufs[0] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_DATA, .len = 2, .sg = &sg };
	KUNIT_EXPECT_EQ(test, sspi_encrypt(ctx, 0, &msg, 0), -EINVAL);
	bufs[0].len = 1;
	bufs[0].offset = U32_MAX;
	KUNIT_EXPECT_EQ(test, sspi_encrypt(ctx, 0, &msg, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, sspi_encrypt(ctx, 0, NULL, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, ((struct sspi_test_state *)ctx->priv)->encrypts, 0);
	KUNIT_EXPECT_EQ(test, ((struct sspi_test_state *)ctx->priv)->decrypts, 0);

	/* well-formed: linear, scatterlist, and an empty buffer */
	bufs[0] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_DATA, .len = 1, .data = &byte };
	bufs[1] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_TOKEN, .len = 1, .sg = &sg };
	bufs[2] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_EMPTY };
	msg.count = 3;
	KUNIT_EXPECT_EQ(test, sspi_encrypt(ctx, 0, &msg, 0), 0);
	KUNIT_EXPECT_EQ(test, ((struct sspi_test_state *)ctx->priv)->encrypts, 1);
	sspi_context_put(ctx);
}

/* Informational results and the QOP come back from decrypt. */
static void sspi_message_decrypt_result_test(struct kunit *test)
{
	struct sspi_buffer buf = { .type = SSPI_SECBUFFER_DATA };
	struct sspi_message msg = { .count = 1, .buffers = &buf };
	struct sspi_context *ctx;
	u32 qop = 0;

	ctx = sspi_context_lookup(&init_net, sspi_test_import(test, &init_net, 0));
	KUNIT_ASSERT_NOT_NULL(test, ctx);
	KUNIT_EXPECT_EQ(test, sspi_decrypt(ctx, &msg, 0, &qop), SSPI_I_RENEGOTIATE);
	KUNIT_EXPECT_EQ(test, qop, SSPI_SECQOP_WRAP_NO_ENCRYPT);
	sspi_context_put(ctx);
}

/*
 * The dispatcher of the transports: each operation reaches the package as
 * its own function would, and the outcome says what the result means.  The
 * test package seals with 0, unseals with SEC_I_RENEGOTIATE and neither
 * signs nor verifies.
 */
struct sspi_dispatch_case {
	const char *desc;
	enum sspi_op op;
	bool no_ctx;		/* the handle named no context */
	u32 qop;
	u32 last_type;		/* the type of the third buffer */
	unsigned int count;	/* buffers passed */
	int err;
	u32 status;
	bool buffers;
	bool wipe;
};

static const struct sspi_dispatch_case sspi_dispatch_cases[] = {
	{ "encrypt sealed whole", SSPI_OP_ENCRYPT, false, 0, SSPI_SECBUFFER_PADDING, 3,
	  0, 0x00000000, true, false },
	{ "encrypt without encryption", SSPI_OP_ENCRYPT, false, 0x80000001,
	  SSPI_SECBUFFER_PADDING, 3, 0, 0x00000000, true, true },
	{ "encrypt with an EXTRA buffer", SSPI_OP_ENCRYPT, false, 0, SSPI_SECBUFFER_EXTRA, 3,
	  0, 0x00000000, true, true },
	{ "encrypt of a malformed array", SSPI_OP_ENCRYPT, false, 0, SSPI_SECBUFFER_PADDING, 0,
	  -EINVAL, 0x80090308, false, true },
	{ "encrypt without a context", SSPI_OP_ENCRYPT, true, 0, SSPI_SECBUFFER_PADDING, 3,
	  -ENOENT, 0x80090301, false, true },
	{ "decrypt informational", SSPI_OP_DECRYPT, false, 0, SSPI_SECBUFFER_PADDING, 3,
	  SSPI_I_RENEGOTIATE, 0x00090321, true, true },
	{ "decrypt without a context", SSPI_OP_DECRYPT, true, 0, SSPI_SECBUFFER_PADDING, 3,
	  -ENOENT, 0x80090301, false, true },
	{ "sign unsupported", SSPI_OP_SIGN, false, 0, SSPI_SECBUFFER_PADDING, 3,
	  -EOPNOTSUPP, 0x80090302, false, true },
	{ "verify unsupported", SSPI_OP_VERIFY, false, 0, SSPI_SECBUFFER_PADDING, 3,
	  -EOPNOTSUPP, 0x80090302, false, true },
	{ "an unknown operation", (enum sspi_op)42, false, 0, SSPI_SECBUFFER_PADDING, 3,
	  -EINVAL, 0x80090308, false, true },
};

static void sspi_dispatch_case_desc(const struct sspi_dispatch_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(sspi_dispatch, sspi_dispatch_cases, sspi_dispatch_case_desc);

static void sspi_message_dispatch_test(struct kunit *test)
{
	const struct sspi_dispatch_case *c = test->param_value;
	u8 data[4] = {}, token[4] = {}, last[4] = {};
	struct sspi_buffer bufs[] = {
		{ .type = SSPI_SECBUFFER_DATA, .len = sizeof(data), .data = data },
		{ .type = SSPI_SECBUFFER_TOKEN, .len = sizeof(token), .data = token },
		{ .type = c->last_type, .len = sizeof(last), .data = last },
	};
	struct sspi_message msg = { .count = c->count, .buffers = bufs };
	struct sspi_outcome out = {};
	struct sspi_context *ctx = NULL;
	struct sspi_test_state *st;
	u32 qop = c->qop;

	if (!c->no_ctx) {
		ctx = sspi_context_lookup(&init_net, sspi_test_import(test, &init_net, 0));
		KUNIT_ASSERT_NOT_NULL(test, ctx);
	}
	KUNIT_EXPECT_EQ(test, sspi_message_op(ctx, c->op, &msg, 0, &qop, &out), c->err);
	KUNIT_EXPECT_EQ(test, out.err, c->err);
	KUNIT_EXPECT_EQ(test, out.status, c->status);
	KUNIT_EXPECT_EQ(test, out.buffers, c->buffers);
	KUNIT_EXPECT_EQ(test, out.wipe, c->wipe);
	if (!ctx)
		return;
	st = (void *)ctx->priv;
	/* the package ran once for an operation it has and a valid array */
	KUNIT_EXPECT_EQ(test, st->encrypts, c->op == SSPI_OP_ENCRYPT && !c->err);
	KUNIT_EXPECT_EQ(test, st->decrypts, c->op == SSPI_OP_DECRYPT);
	/* the QOP comes back from decrypt, and is left alone by encrypt */
	KUNIT_EXPECT_EQ(test, qop, c->op == SSPI_OP_DECRYPT ?
			SSPI_SECQOP_WRAP_NO_ENCRYPT : c->qop);
	sspi_context_put(ctx);
}

static unsigned int sspi_test_saved_max;

static void sspi_test_restore_max(void *net)
{
	sspi_max_contexts = sspi_test_saved_max;
	sspi_context_flush(net, NULL);
}

/* A namespace holds at most max_contexts contexts; others are not held back. */
static void sspi_context_limit_test(struct kunit *test)
{
	struct net *other = sspi_test_net(test), *third = sspi_test_net(test);
	u64 handle = 0, first, mine;

	sspi_test_saved_max = sspi_max_contexts;
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, sspi_test_restore_max, other), 0);
	sspi_max_contexts = 2;
	first = sspi_test_import(test, other, 0);
	sspi_test_import(test, other, 0);
	KUNIT_EXPECT_EQ(test, sspi_context_import("sspi-kunit", other, sspi_test_owner, 0,
						  &sspi_test_marker, sizeof(u32), &handle),
			-EMFILE);
	KUNIT_EXPECT_EQ(test, handle, 0);
	/* another namespace has its own count */
	mine = sspi_test_import(test, third, 0);
	KUNIT_EXPECT_EQ(test, sspi_context_delete(third, mine, NULL), 0);
	/* a deleted context makes room */
	KUNIT_EXPECT_EQ(test, sspi_context_delete(other, first, NULL), 0);
	sspi_test_import(test, other, 0);
}

/* Flushing a namespace deletes its contexts and no others. */
static void sspi_context_flush_test(struct kunit *test)
{
	struct net *other = sspi_test_net(test);
	u64 mine, theirs;
	struct sspi_context *ctx;

	mine = sspi_test_import(test, &init_net, 0);
	theirs = sspi_test_import(test, other, 0);
	sspi_context_flush(other, NULL);
	KUNIT_EXPECT_NULL(test, sspi_context_lookup(other, theirs));
	ctx = sspi_context_lookup(&init_net, mine);
	KUNIT_EXPECT_NOT_NULL(test, ctx);
	sspi_context_put(ctx);
}

/*
 * The table is indexed by the counter behind each handle: a listing goes
 * in import order, resumes from where it stopped whatever was deleted
 * meanwhile, and returns each context that stayed exactly once.
 */
static void sspi_context_listing_test(struct kunit *test)
{
	struct sspi_requester owner = { .uid = sspi_test_owner };
	struct net *net = sspi_test_net(test);
	struct sspi_ctx_pos pos = {};
	struct sspi_context *ctx;
	u64 h[6];
	int i;

	for (i = 0; i < ARRAY_SIZE(h); i++)
		h[i] = sspi_test_import(test, net, 0);
	/* a context of another namespace in between is not listed */
	sspi_context_delete(&init_net, sspi_test_import(test, &init_net, 0), NULL);
	for (i = 0; i < ARRAY_SIZE(h); i++) {
		ctx = sspi_context_lookup(net, h[i]);
		KUNIT_ASSERT_NOT_NULL(test, ctx);
		KUNIT_EXPECT_EQ(test, (u64)ctx->index, sspi_handle_counter(h[i]));
		sspi_context_put(ctx);
		/* any other bit pattern is another slot, or not this context */
		KUNIT_EXPECT_NULL(test, sspi_context_lookup(net, h[i] ^ BIT_ULL(i)));
		KUNIT_EXPECT_NULL(test, sspi_context_lookup(net, ~h[i]));
	}
	KUNIT_EXPECT_NULL(test, sspi_context_lookup(net, 0));

	/* two listed, then the second and the third deleted */
	for (i = 0; i < 2; i++) {
		ctx = sspi_context_get_next(net, &pos, &owner);
		KUNIT_ASSERT_NOT_NULL(test, ctx);
		KUNIT_EXPECT_EQ(test, ctx->handle, h[i]);
		sspi_context_put(ctx);
	}
	KUNIT_EXPECT_EQ(test, sspi_context_delete(net, h[1], NULL), 0);
	KUNIT_EXPECT_EQ(test, sspi_context_delete(net, h[2], NULL), 0);
	for (i = 3; i < ARRAY_SIZE(h); i++) {
		ctx = sspi_context_get_next(net, &pos, &owner);
		KUNIT_ASSERT_NOT_NULL(test, ctx);
		KUNIT_EXPECT_EQ(test, ctx->handle, h[i]);
		sspi_context_put(ctx);
	}
	KUNIT_EXPECT_NULL(test, sspi_context_get_next(net, &pos, &owner));
	/* the end stays the end */
	KUNIT_EXPECT_NULL(test, sspi_context_get_next(net, &pos, &owner));

	/* a listing from the start sees the four left, and none for a stranger */
	pos = (struct sspi_ctx_pos){};
	for (i = 0; (ctx = sspi_context_get_next(net, &pos, &owner)); i++)
		sspi_context_put(ctx);
	KUNIT_EXPECT_EQ(test, i, 4);
	pos = (struct sspi_ctx_pos){};
	owner.uid = KUIDT_INIT(1001);
	KUNIT_EXPECT_NULL(test, sspi_context_get_next(net, &pos, &owner));
	/* the last index there is ends a listing */
	pos.index = ULONG_MAX;
	KUNIT_EXPECT_NULL(test, sspi_context_get_next(net, &pos, NULL));

	sspi_context_flush(net, NULL);
	pos = (struct sspi_ctx_pos){};
	KUNIT_EXPECT_NULL(test, sspi_context_get_next(net, &pos, NULL));
}

static struct kunit_case sspi_context_test_cases[] = {
	KUNIT_CASE(sspi_package_registry_test),
	KUNIT_CASE(sspi_package_ops_required_test),
	KUNIT_CASE(sspi_context_query_update_test),
	KUNIT_CASE(sspi_context_import_errors_test),
	KUNIT_CASE(sspi_context_visibility_test),
	KUNIT_CASE(sspi_context_lookup_cred_test),
	KUNIT_CASE(sspi_context_delete_while_held_test),
	KUNIT_CASE(sspi_context_expiry_test),
	KUNIT_CASE(sspi_context_dying_net_test),
	KUNIT_CASE(sspi_message_shape_test),
	KUNIT_CASE(sspi_message_decrypt_result_test),
	KUNIT_CASE_PARAM(sspi_message_dispatch_test, sspi_dispatch_gen_params),
	KUNIT_CASE(sspi_context_flush_test),
	KUNIT_CASE(sspi_context_limit_test),
	KUNIT_CASE(sspi_context_listing_test),
	{}
};

static struct kunit_suite sspi_context_test_suite = {
	.name = "sspi_context",
	.suite_init = sspi_context_test_suite_init,
	.suite_exit = sspi_context_test_suite_exit,
	.test_cases = sspi_context_test_cases,
};

kunit_test_suite(sspi_context_test_suite);
