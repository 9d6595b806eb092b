// SPDX-License-Identifier: GPL-2.0
/*
 * sspi_kmod KUnit: the netlink handlers that take key material (CTX_IMPORT,
 * CTX_UPDATE_KEYS) wipe it from the request's skb once they used it, on
 * success and on every error path.  The handlers are called as genetlink
 * calls them, on a request built here; their replies go to a port nobody
 * holds.
 */

#include <kunit/test.h>
#include <linux/netlink.h>
#include <linux/string.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/netlink.h>
#include <sspi_kmod/sspi.h>

#include "../sspi_kmod/context.h"
#include "../sspi_kmod/generated/netlink.h"
#include "harness.h"

/* a port no socket has: the handler's reply is refused, not delivered */
#define SSPI_KUNIT_NOBODY	0x7ffffff0

struct sspi_nl_kunit_req {
	struct sk_buff *skb;
	struct nlattr *attrs[SSPI_A_MAX + 1];
	struct netlink_ext_ack extack;
	struct genl_info info;
};

static void sspi_nl_kunit_free(void *skb)
{
	kfree_skb(skb);
}

/* Start a request of @cmd; attributes are added to r->skb. */
static struct sspi_nl_kunit_req *sspi_nl_kunit_start(struct kunit *test, u8 cmd)
{
	struct sspi_nl_kunit_req *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	struct genlmsghdr *g;
	struct nlmsghdr *nlh;

	KUNIT_ASSERT_NOT_NULL(test, r);
	r->skb = nlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r->skb);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, sspi_nl_kunit_free, r->skb), 0);
	nlh = nlmsg_put(r->skb, SSPI_KUNIT_NOBODY, 1, GENL_ID_CTRL, GENL_HDRLEN, 0);
	KUNIT_ASSERT_NOT_NULL(test, nlh);
	g = nlmsg_data(nlh);
	g->cmd = cmd;
	g->version = SSPI_FAMILY_VERSION;
	/* the requester: a kernel socket, its rights not from a file */
	NETLINK_CB(r->skb).sk = init_net.genl_sock;
	NETLINK_CB(r->skb).flags = NETLINK_SKB_DST;
	return r;
}

/* End the request and parse it as genetlink would hand it over. */
static void sspi_nl_kunit_end(struct kunit *test, struct sspi_nl_kunit_req *r)
{
	struct nlmsghdr *nlh = nlmsg_hdr(r->skb);

	nlmsg_end(r->skb, nlh);
	KUNIT_ASSERT_EQ(test, nlmsg_parse_deprecated(nlh, GENL_HDRLEN, r->attrs,
						     SSPI_A_MAX, NULL, NULL), 0);
	r->info.snd_seq = nlh->nlmsg_seq;
	r->info.snd_portid = SSPI_KUNIT_NOBODY;
	r->info.nlhdr = nlh;
	r->info.genlhdr = nlmsg_data(nlh);
	r->info.attrs = r->attrs;
	r->info.extack = &r->extack;
	genl_info_net_set(&r->info, &init_net);
}

static bool sspi_nl_kunit_zero(const struct nlattr *a)
{
	return a && !memchr_inv(nla_data(a), 0, nla_len(a));
}

static void sspi_nl_kunit_tls(struct sspi_tls_import *imp)
{
	memset(imp, 0, sizeof(*imp));
	imp->version = SSPI_TLS_VERSION_1_3;
	imp->cipher = SSPI_TLS_CIPHER_AES_GCM_128;
	memset(imp->tx.key, 0x5a, sizeof(imp->tx.key));
	memset(imp->rx.key, 0xa5, sizeof(imp->rx.key));
	memset(imp->tx.iv, 0x11, sizeof(imp->tx.iv));
	memset(imp->rx.iv, 0x22, sizeof(imp->rx.iv));
}

static int sspi_nl_kunit_import(struct kunit *test, const struct sspi_tls_import *imp,
				bool *wiped)
{
	struct sspi_nl_kunit_req *r = sspi_nl_kunit_start(test, SSPI_CMD_CTX_IMPORT);
	int err;

	KUNIT_ASSERT_EQ(test, nla_put_string(r->skb, SSPI_A_PKG_NAME, "Schannel"), 0);
	KUNIT_ASSERT_EQ(test, nla_put(r->skb, SSPI_A_CTX_IMPORT, sizeof(*imp), imp), 0);
	sspi_nl_kunit_end(test, r);
	KUNIT_ASSERT_FALSE(test, sspi_nl_kunit_zero(r->attrs[SSPI_A_CTX_IMPORT]));
	err = sspi_nl_ctx_import_doit(r->skb, &r->info);
	*wiped = sspi_nl_kunit_zero(r->attrs[SSPI_A_CTX_IMPORT]);
	return err;
}

/* The contexts of init_net, which only this suite's tests make. */
static void sspi_nl_kunit_flush(void)
{
	sspi_context_flush(&init_net, NULL);
}

static void sspi_nl_import_wipe_test(struct kunit *test)
{
	struct sspi_tls_import imp;
	bool wiped;
	int err;

	/* refused by the package: the keys are wiped all the same */
	sspi_nl_kunit_tls(&imp);
	imp.reserved = 1;
	err = sspi_nl_kunit_import(test, &imp, &wiped);
	KUNIT_EXPECT_EQ(test, err, -EINVAL);
	KUNIT_EXPECT_TRUE(test, wiped);

	/* a cipher the package does not know */
	sspi_nl_kunit_tls(&imp);
	imp.cipher = 0x7777;
	err = sspi_nl_kunit_import(test, &imp, &wiped);
	KUNIT_EXPECT_NE(test, err, 0);
	KUNIT_EXPECT_TRUE(test, wiped);

	/* imported (the reply then finds nobody to go to) */
	sspi_nl_kunit_tls(&imp);
	err = sspi_nl_kunit_import(test, &imp, &wiped);
	sspi_nl_kunit_flush();
	KUNIT_EXPECT_EQ(test, err, -ECONNREFUSED);
	KUNIT_EXPECT_TRUE(test, wiped);
}

static int sspi_nl_kunit_update(struct kunit *test, u64 handle, size_t len,
				bool *wiped)
{
	struct sspi_nl_kunit_req *r = sspi_nl_kunit_start(test, SSPI_CMD_CTX_UPDATE_KEYS);
	struct sspi_tls_keys keys;
	int err;

	memset(&keys, 0x3c, sizeof(keys));
	memset(keys.rec_seq, 0, sizeof(keys.rec_seq));
	KUNIT_ASSERT_EQ(test, nla_put_u64_64bit(r->skb, SSPI_A_CTX_HANDLE, handle,
						SSPI_A_PAD), 0);
	KUNIT_ASSERT_EQ(test, nla_put_u32(r->skb, SSPI_A_DIRECTION, 1), 0);
	KUNIT_ASSERT_EQ(test, nla_put(r->skb, SSPI_A_KEYS, len, &keys), 0);
	sspi_nl_kunit_end(test, r);
	KUNIT_ASSERT_FALSE(test, sspi_nl_kunit_zero(r->attrs[SSPI_A_KEYS]));
	err = sspi_nl_ctx_update_keys_doit(r->skb, &r->info);
	*wiped = sspi_nl_kunit_zero(r->attrs[SSPI_A_KEYS]);
	return err;
}

static void sspi_nl_update_keys_wipe_test(struct kunit *test)
{
	struct sspi_tls_import imp;
	struct sspi_context *ctx;
	bool wiped;
	int err;

	sspi_nl_kunit_tls(&imp);
	ctx = sspi_kunit_import(test, "Schannel", &imp, sizeof(imp));

	/* taken */
	err = sspi_nl_kunit_update(test, ctx->handle, sizeof(struct sspi_tls_keys), &wiped);
	KUNIT_EXPECT_EQ(test, err, 0);
	KUNIT_EXPECT_TRUE(test, wiped);

	/* refused by the package: a short structure */
	err = sspi_nl_kunit_update(test, ctx->handle, 40, &wiped);
	KUNIT_EXPECT_NE(test, err, 0);
	KUNIT_EXPECT_TRUE(test, wiped);

	/* no such context */
	err = sspi_nl_kunit_update(test, ctx->handle ^ 0x5555,
				   sizeof(struct sspi_tls_keys), &wiped);
	KUNIT_EXPECT_EQ(test, err, -ENOENT);
	KUNIT_EXPECT_TRUE(test, wiped);
}

static struct kunit_case sspi_nl_test_cases[] = {
	KUNIT_CASE(sspi_nl_import_wipe_test),
	KUNIT_CASE(sspi_nl_update_keys_wipe_test),
	{}
};

static struct kunit_suite sspi_nl_test_suite = {
	.name = "sspi_netlink",
	.test_cases = sspi_nl_test_cases,
};

kunit_test_suite(sspi_nl_test_suite);
