// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for sspi_kmod/async.c: sspi_submit() on a test package
 * whose asynchronous seal holds each request until the test ends it, in
 * whatever order, as a crypto driver may.  Requests of a direction end in
 * submission order; a result known at submission with nothing before it
 * is returned without a callback; one behind requests in flight waits for
 * them; refused requests are not queued; other operations run at once.
 *
 * A second package opens messages ahead (decrypt_async): each message
 * holds the sequence number it was sealed with, and opens only on that
 * one.  A message refused must give its number back to those after it,
 * whose crypto then runs again, whatever they came to before.
 */

#include <kunit/test.h>
#include <kunit/test-bug.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <net/net_namespace.h>
#include <sspi_kmod/sspi.h>

#include "../sspi_kmod/async.h"
#include "../sspi_kmod/compat.h"
#include "../sspi_kmod/context.h"
#include "../sspi_kmod/package.h"

#define ASYNC_TEST_MAX		8
#define ASYNC_TEST_PKG_SIZE	24

/* What the package does with the next seal */
enum async_test_mode {
	ASYNC_HOLD,		/* keep it in flight: -EINPROGRESS */
	ASYNC_NOW,		/* finish it at once: 0 */
};

/*
 * The test's view: the mode, the requests held, the order the callbacks
 * came in and their results.
 */
struct async_test_state {
	enum async_test_mode mode;
	unsigned int restarts;
	unsigned int ends;
	bool behind[ASYNC_TEST_MAX];
	struct sspi_request *held[ASYNC_TEST_MAX];
	unsigned int nheld;
	unsigned int ended[ASYNC_TEST_MAX];
	int results[ASYNC_TEST_MAX];
	unsigned int nended;
	unsigned int decrypts;
};

static struct async_test_state async_st;

static int async_test_init(struct sspi_context *ctx, const void *data, size_t len)
{
	return 0;
}

static void async_test_destroy(struct sspi_context *ctx)
{
}

static int async_test_encrypt(struct sspi_context *ctx, u32 qop,
			      struct sspi_message *msg, u32 seqno)
{
	return 0;
}

static int async_test_decrypt(struct sspi_context *ctx, struct sspi_message *msg,
			      u32 seqno, u32 *qop)
{
	async_st.decrypts++;
	*qop = 7;
	return SSPI_I_RENEGOTIATE;
}

static void async_test_query(struct sspi_context *ctx, struct sspi_context_info *info)
{
}

static unsigned int async_test_reqsize(struct sspi_context *ctx)
{
	return ASYNC_TEST_PKG_SIZE;
}

static int async_test_encrypt_async(struct sspi_context *ctx, struct sspi_request *req)
{
	struct kunit *test = kunit_get_current_test();

	/* under the send lock, with the package's room zeroed */
	KUNIT_EXPECT_TRUE(test, mutex_is_locked(&ctx->tx.lock));
	KUNIT_EXPECT_EQ(test, req->pkg_size, ASYNC_TEST_PKG_SIZE);
	if (async_st.mode == ASYNC_NOW)
		return 0;
	async_st.held[async_st.nheld++] = req;
	return -EINPROGRESS;
}

/* The ahead package: a message opens on the number it holds, and no other. */

struct ahead_test_priv {
	u64 seq;	/* the next number handed out */
	u64 refused;	/* the direction's refusals taken into account */
};

struct ahead_test_req {
	u64 seq;	/* the number the crypto runs on */
};

static int ahead_test_open(const struct sspi_message *msg, u64 seq)
{
	return get_unaligned_le32(msg->buffers[0].data) == seq ? 0 : -EBADMSG;
}

static int ahead_test_decrypt(struct sspi_context *ctx, struct sspi_message *msg,
			      u32 seqno, u32 *qop)
{
	struct ahead_test_priv *p = (struct ahead_test_priv *)ctx->priv;
	int err;

	p->seq -= sspi_async_rewind_sync(&ctx->rx, &p->refused);
	err = ahead_test_open(msg, p->seq);
	if (!err)
		p->seq++;
	return err;
}

static int ahead_test_decrypt_async(struct sspi_context *ctx, struct sspi_request *req,
				    int *crypto)
{
	struct ahead_test_priv *p = (struct ahead_test_priv *)ctx->priv;
	struct ahead_test_req *a = sspi_request_pkg(req);
	unsigned int i = (uintptr_t)req->data;

	KUNIT_EXPECT_TRUE(kunit_get_current_test(), mutex_is_locked(&ctx->rx.lock));
	if (req->msg->buffers[0].len != 4)
		return -EINVAL;
	p->seq -= sspi_request_rewind(req, &p->refused);
	a->seq = p->seq++;
	async_st.behind[i] = sspi_request_behind(req);
	if (async_st.mode == ASYNC_NOW) {
		*crypto = ahead_test_open(req->msg, a->seq);
		return 0;
	}
	async_st.held[async_st.nheld++] = req;
	return -EINPROGRESS;
}

static int ahead_test_decrypt_restart(struct sspi_context *ctx, struct sspi_request *req,
				      u64 back)
{
	struct ahead_test_req *a = sspi_request_pkg(req);

	async_st.restarts++;
	a->seq -= back;
	if (async_st.mode == ASYNC_NOW)
		return ahead_test_open(req->msg, a->seq);
	async_st.held[async_st.nheld++] = req;
	return -EINPROGRESS;
}

static int ahead_test_decrypt_end(struct sspi_context *ctx, struct sspi_request *req,
				  int crypto)
{
	async_st.ends++;
	return crypto;
}

/* The "driver" finishes a held request: on the number it was given. */
static void ahead_test_finish(struct sspi_request *req)
{
	struct ahead_test_req *a = sspi_request_pkg(req);

	sspi_request_complete(req, ahead_test_open(req->msg, a->seq));
}

static const struct sspi_package_ops ahead_test_ops = {
	.init = async_test_init,
	.destroy = async_test_destroy,
	.encrypt = async_test_encrypt,
	.decrypt = ahead_test_decrypt,
	.query = async_test_query,
	.reqsize = async_test_reqsize,
	.decrypt_async = ahead_test_decrypt_async,
	.decrypt_restart = ahead_test_decrypt_restart,
	.decrypt_end = ahead_test_decrypt_end,
};

static struct sspi_package ahead_test_pkg = {
	.name = "sspi-kunit-ahead",
	.comment = "opens a message on the sequence number it holds",
	.priv_size = sizeof(struct ahead_test_priv),
	.ops = &ahead_test_ops,
};

static const struct sspi_package_ops async_test_ops = {
	.init = async_test_init,
	.destroy = async_test_destroy,
	.encrypt = async_test_encrypt,
	.decrypt = async_test_decrypt,
	.query = async_test_query,
	.reqsize = async_test_reqsize,
	.encrypt_async = async_test_encrypt_async,
};

static struct sspi_package async_test_pkg = {
	.name = "sspi-kunit-async",
	.comment = "holds its seals until the test ends them",
	.priv_size = 8,
	.ops = &async_test_ops,
};

static void async_test_done(struct sspi_request *req, int err)
{
	async_st.ended[async_st.nended] = (uintptr_t)req->data;
	async_st.results[async_st.nended] = err;
	async_st.nended++;
}

struct async_test_ctx {
	struct sspi_context *ctx;
	struct sspi_request *req[ASYNC_TEST_MAX];
	struct sspi_buffer buf[ASYNC_TEST_MAX];
	struct sspi_message msg[ASYNC_TEST_MAX];
	u8 data[ASYNC_TEST_MAX][4];
};

static void async_test_release(void *p)
{
	struct async_test_ctx *t = p;
	unsigned int i;

	for (i = 0; i < ASYNC_TEST_MAX; i++)
		sspi_request_free(t->req[i]);
	sspi_context_put(t->ctx);
}

/* A context of package @name and ASYNC_TEST_MAX requests for it. */
static struct async_test_ctx *async_test_setup_pkg(struct kunit *test, const char *name)
{
	struct async_test_ctx *t;
	unsigned int i;
	u64 handle;

	memset(&async_st, 0, sizeof(async_st));
	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_ASSERT_EQ(test, sspi_context_import(name, &init_net,
						  GLOBAL_ROOT_UID, 0, &handle, sizeof(handle),
						  &handle), 0);
	t->ctx = sspi_context_lookup(&init_net, handle);
	KUNIT_ASSERT_NOT_NULL(test, t->ctx);
	for (i = 0; i < ASYNC_TEST_MAX; i++) {
		t->req[i] = sspi_request_alloc(t->ctx, GFP_KERNEL);
		if (!t->req[i])
			break;
		t->buf[i] = (struct sspi_buffer){ .type = SSPI_SECBUFFER_DATA,
						  .len = sizeof(t->data[i]), .data = t->data[i] };
		t->msg[i] = (struct sspi_message){ .count = 1, .buffers = &t->buf[i] };
		t->req[i]->op = SSPI_OP_ENCRYPT;
		t->req[i]->msg = &t->msg[i];
		t->req[i]->done = async_test_done;
		t->req[i]->data = (void *)(uintptr_t)i;
	}
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, async_test_release, t), 0);
	KUNIT_ASSERT_EQ(test, i, ASYNC_TEST_MAX);
	return t;
}

static struct async_test_ctx *async_test_setup(struct kunit *test)
{
	return async_test_setup_pkg(test, "sspi-kunit-async");
}

/* Requests 0..@n-1 open the messages sealed with @sealed[]. */
static struct async_test_ctx *ahead_test_setup(struct kunit *test, const u32 *sealed,
					       unsigned int n)
{
	struct async_test_ctx *t = async_test_setup_pkg(test, "sspi-kunit-ahead");
	unsigned int i;

	for (i = 0; i < n; i++) {
		put_unaligned_le32(sealed[i], t->data[i]);
		t->req[i]->op = SSPI_OP_DECRYPT;
	}
	return t;
}

static void ahead_test_expect(struct kunit *test, const int *errs, unsigned int n)
{
	unsigned int i;

	KUNIT_ASSERT_EQ(test, async_st.nended, n);
	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_EQ_MSG(test, async_st.ended[i], i, "end %u", i);
		KUNIT_EXPECT_EQ_MSG(test, async_st.results[i], errs[i], "message %u", i);
	}
}

/*
 * A forged message among five in flight, all finished by the "driver" in
 * reverse: the two after it ran on numbers one too high and failed; they
 * run again, one lower, and open.  The direction's next number is then
 * the fifth message's.
 */
static void sspi_async_ahead_forged_test(struct kunit *test)
{
	static const u32 sealed[] = { 0, 1, 99, 2, 3 };
	static const int errs[] = { 0, 0, -EBADMSG, 0, 0 };
	struct async_test_ctx *t = ahead_test_setup(test, sealed, ARRAY_SIZE(sealed));
	struct sspi_buffer b = { .type = SSPI_SECBUFFER_DATA, .len = 4, .data = t->data[7] };
	struct sspi_message m = { .count = 1, .buffers = &b };
	int i;

	for (i = 0; i < (int)ARRAY_SIZE(sealed); i++)
		KUNIT_ASSERT_EQ(test, sspi_submit(t->req[i]), -EINPROGRESS);
	KUNIT_EXPECT_FALSE(test, async_st.behind[0]);
	KUNIT_EXPECT_TRUE(test, async_st.behind[1]);
	KUNIT_EXPECT_TRUE(test, async_st.behind[4]);
	async_st.mode = ASYNC_NOW;	/* the runs again end at once */
	for (i = (int)ARRAY_SIZE(sealed) - 1; i >= 0; i--)
		ahead_test_finish(async_st.held[i]);
	ahead_test_expect(test, errs, ARRAY_SIZE(errs));
	KUNIT_EXPECT_EQ(test, async_st.restarts, 2);
	KUNIT_EXPECT_EQ(test, async_st.ends, 5);
	KUNIT_EXPECT_EQ(test, t->ctx->rx.refused, 1);

	/* the synchronous call goes on from there */
	put_unaligned_le32(4, t->data[7]);
	KUNIT_EXPECT_EQ(test, sspi_decrypt(t->ctx, &m, 0, NULL), 0);
	put_unaligned_le32(6, t->data[7]);
	KUNIT_EXPECT_EQ(test, sspi_decrypt(t->ctx, &m, 0, NULL), -EBADMSG);
}

/*
 * A message that opened on a number ahead is not taken: the one before
 * it was refused, so it must open on that one's number, and does not.
 */
static void sspi_async_ahead_undone_test(struct kunit *test)
{
	static const u32 sealed[] = { 0, 99, 2 };
	static const int errs[] = { 0, -EBADMSG, -EBADMSG };
	struct async_test_ctx *t = ahead_test_setup(test, sealed, ARRAY_SIZE(sealed));
	int i;

	for (i = 0; i < (int)ARRAY_SIZE(sealed); i++)
		KUNIT_ASSERT_EQ(test, sspi_submit(t->req[i]), -EINPROGRESS);
	ahead_test_finish(async_st.held[2]);	/* opens, on 2 */
	ahead_test_finish(async_st.held[1]);
	KUNIT_EXPECT_EQ(test, async_st.nended, 0);
	ahead_test_finish(async_st.held[0]);
	/* 2 runs again on 1, held by the "driver" */
	KUNIT_ASSERT_EQ(test, async_st.nended, 2);
	KUNIT_ASSERT_EQ(test, async_st.nheld, 4);
	KUNIT_EXPECT_PTR_EQ(test, async_st.held[3], t->req[2]);
	KUNIT_EXPECT_EQ(test, ((struct ahead_test_req *)sspi_request_pkg(t->req[2]))->seq, 1);
	ahead_test_finish(async_st.held[3]);
	ahead_test_expect(test, errs, ARRAY_SIZE(errs));
	KUNIT_EXPECT_EQ(test, async_st.restarts, 1);
	KUNIT_EXPECT_TRUE(test, list_empty(&t->ctx->rx.inflight));
}

/*
 * Submitted after a refusal ended: the package takes the number back at
 * submission.  Refused before the crypto, behind one in flight: ended in
 * its turn, no number taken.  Alone and done at once: returned.
 */
static void sspi_async_ahead_submit_test(struct kunit *test)
{
	static const u32 sealed[] = { 0, 99, 1, 2, 3 };
	struct async_test_ctx *t = ahead_test_setup(test, sealed, ARRAY_SIZE(sealed));

	KUNIT_ASSERT_EQ(test, sspi_submit(t->req[0]), -EINPROGRESS);
	KUNIT_ASSERT_EQ(test, sspi_submit(t->req[1]), -EINPROGRESS);
	ahead_test_finish(async_st.held[1]);
	ahead_test_finish(async_st.held[0]);
	KUNIT_ASSERT_EQ(test, async_st.nended, 2);
	KUNIT_EXPECT_EQ(test, async_st.results[1], -EBADMSG);

	async_st.mode = ASYNC_NOW;
	KUNIT_EXPECT_EQ(test, sspi_submit(t->req[2]), 0);	/* on 1 */
	KUNIT_EXPECT_FALSE(test, async_st.behind[2]);
	async_st.mode = ASYNC_HOLD;
	KUNIT_ASSERT_EQ(test, sspi_submit(t->req[3]), -EINPROGRESS);	/* on 2 */
	t->buf[6].len = 3;
	t->req[6]->op = SSPI_OP_DECRYPT;
	KUNIT_EXPECT_EQ(test, sspi_submit(t->req[6]), -EINPROGRESS);
	KUNIT_ASSERT_EQ(test, sspi_submit(t->req[4]), -EINPROGRESS);	/* on 3 */
	KUNIT_ASSERT_EQ(test, async_st.nheld, 4);
	ahead_test_finish(async_st.held[3]);
	ahead_test_finish(async_st.held[2]);
	KUNIT_ASSERT_EQ(test, async_st.nended, 5);
	KUNIT_EXPECT_EQ(test, async_st.ended[2], 3);
	KUNIT_EXPECT_EQ(test, async_st.results[2], 0);
	KUNIT_EXPECT_EQ(test, async_st.ended[3], 6);
	KUNIT_EXPECT_EQ(test, async_st.results[3], -EINVAL);
	KUNIT_EXPECT_EQ(test, async_st.ended[4], 4);
	KUNIT_EXPECT_EQ(test, async_st.results[4], 0);
	KUNIT_EXPECT_EQ(test, async_st.restarts, 0);
}

/* Done at submission, nothing in flight: returned, no callback. */
static void sspi_async_direct_test(struct kunit *test)
{
	struct async_test_ctx *t = async_test_setup(test);

	async_st.mode = ASYNC_NOW;
	KUNIT_EXPECT_EQ(test, sspi_submit(t->req[0]), 0);
	KUNIT_EXPECT_EQ(test, sspi_submit(t->req[0]), 0);
	KUNIT_EXPECT_EQ(test, async_st.nended, 0);
	KUNIT_EXPECT_TRUE(test, list_empty(&t->ctx->tx.inflight));
}

/* Ended by the "driver" in the order 3, 1, 0, 2: delivered 0, 1, 2, 3. */
static void sspi_async_order_test(struct kunit *test)
{
	struct async_test_ctx *t = async_test_setup(test);
	static const int errs[4] = { 0, -EBADMSG, 0, -EIO };
	unsigned int i;

	for (i = 0; i < 4; i++)
		KUNIT_ASSERT_EQ(test, sspi_submit(t->req[i]), -EINPROGRESS);
	KUNIT_ASSERT_EQ(test, async_st.nheld, 4);
	/* in flight: a second submission of one of them is refused */
	KUNIT_EXPECT_EQ(test, sspi_submit(t->req[1]), -EBUSY);

	sspi_request_complete(async_st.held[3], errs[3]);
	KUNIT_EXPECT_EQ(test, async_st.nended, 0);
	sspi_request_complete(async_st.held[1], errs[1]);
	KUNIT_EXPECT_EQ(test, async_st.nended, 0);
	sspi_request_complete(async_st.held[0], errs[0]);
	KUNIT_ASSERT_EQ(test, async_st.nended, 2);
	sspi_request_complete(async_st.held[2], errs[2]);
	KUNIT_ASSERT_EQ(test, async_st.nended, 4);
	for (i = 0; i < 4; i++) {
		KUNIT_EXPECT_EQ(test, async_st.ended[i], i);
		KUNIT_EXPECT_EQ(test, async_st.results[i], errs[i]);
	}
	KUNIT_EXPECT_TRUE(test, list_empty(&t->ctx->tx.inflight));
	/* and the request can be submitted again */
	async_st.mode = ASYNC_NOW;
	KUNIT_EXPECT_EQ(test, sspi_submit(t->req[1]), 0);
}

/* Done at submission behind one in flight: it waits for it. */
static void sspi_async_behind_test(struct kunit *test)
{
	struct async_test_ctx *t = async_test_setup(test);

	KUNIT_ASSERT_EQ(test, sspi_submit(t->req[0]), -EINPROGRESS);
	async_st.mode = ASYNC_NOW;
	KUNIT_EXPECT_EQ(test, sspi_submit(t->req[1]), -EINPROGRESS);
	KUNIT_EXPECT_EQ(test, async_st.nended, 0);
	sspi_request_complete(async_st.held[0], 0);
	KUNIT_ASSERT_EQ(test, async_st.nended, 2);
	KUNIT_EXPECT_EQ(test, async_st.ended[0], 0);
	KUNIT_EXPECT_EQ(test, async_st.ended[1], 1);
	KUNIT_EXPECT_EQ(test, async_st.results[1], 0);
}

/*
 * Refused at submission (a malformed message, a missing callback, an
 * unknown operation): returned, not queued, nothing called; other
 * operations run at once in their own direction, beside seals in flight.
 */
static void sspi_async_refused_test(struct kunit *test)
{
	struct async_test_ctx *t = async_test_setup(test);
	struct sspi_request *r = t->req[0];

	r->msg = NULL;
	KUNIT_EXPECT_EQ(test, sspi_submit(r), -EINVAL);
	r->msg = &t->msg[0];
	r->done = NULL;
	KUNIT_EXPECT_EQ(test, sspi_submit(r), -EINVAL);
	r->done = async_test_done;
	r->op = 9;
	KUNIT_EXPECT_EQ(test, sspi_submit(r), -EINVAL);
	r->op = SSPI_OP_SIGN;
	KUNIT_EXPECT_EQ(test, sspi_submit(r), -EOPNOTSUPP);
	KUNIT_EXPECT_TRUE(test, list_empty(&t->ctx->tx.inflight));
	KUNIT_EXPECT_EQ(test, async_st.nheld + async_st.nended, 0);

	KUNIT_ASSERT_EQ(test, sspi_submit(t->req[1]), -EINPROGRESS);
	r->op = SSPI_OP_DECRYPT;
	r->qop = 0;
	KUNIT_EXPECT_EQ(test, sspi_submit(r), SSPI_I_RENEGOTIATE);
	KUNIT_EXPECT_EQ(test, r->qop, 7);
	KUNIT_EXPECT_EQ(test, async_st.decrypts, 1);
	KUNIT_EXPECT_EQ(test, async_st.nended, 0);
	sspi_request_complete(async_st.held[0], 0);
	KUNIT_EXPECT_EQ(test, async_st.nended, 1);
}

/* The outcomes are counted in the direction, as the synchronous calls'. */
static void sspi_async_stats_test(struct kunit *test)
{
	struct async_test_ctx *t = async_test_setup(test);
	struct sspi_context_stats st;
	unsigned int i;
	u64 failed = 0;

	KUNIT_ASSERT_EQ(test, sspi_submit(t->req[0]), -EINPROGRESS);
	KUNIT_ASSERT_EQ(test, sspi_submit(t->req[1]), -EINPROGRESS);
	sspi_query_stats(t->ctx, &st);
	KUNIT_EXPECT_EQ(test, st.tx.messages, 0);
	sspi_request_complete(async_st.held[0], 0);
	sspi_request_complete(async_st.held[1], -EBADMSG);
	sspi_query_stats(t->ctx, &st);
	KUNIT_EXPECT_EQ(test, st.tx.messages, 1);
	KUNIT_EXPECT_EQ(test, st.tx.bytes, 4);
	for (i = 0; i < SSPI_NR_FAILURES; i++)
		failed += st.tx.failed[i].count;
	KUNIT_EXPECT_EQ(test, failed, 1);
}

static int sspi_async_test_suite_init(struct kunit_suite *suite)
{
	int err = sspi_package_register(&async_test_pkg);

	if (!err) {
		err = sspi_package_register(&ahead_test_pkg);
		if (err)
			sspi_package_unregister(&async_test_pkg);
	}
	return err;
}

static void sspi_async_test_suite_exit(struct kunit_suite *suite)
{
	sspi_package_unregister(&ahead_test_pkg);
	sspi_package_unregister(&async_test_pkg);
}

static struct kunit_case sspi_async_test_cases[] = {
	KUNIT_CASE(sspi_async_direct_test),
	KUNIT_CASE(sspi_async_order_test),
	KUNIT_CASE(sspi_async_behind_test),
	KUNIT_CASE(sspi_async_refused_test),
	KUNIT_CASE(sspi_async_stats_test),
	KUNIT_CASE(sspi_async_ahead_forged_test),
	KUNIT_CASE(sspi_async_ahead_undone_test),
	KUNIT_CASE(sspi_async_ahead_submit_test),
	{}
};

static struct kunit_suite sspi_async_test_suite = {
	.name = "sspi_async",
	.suite_init = sspi_async_test_suite_init,
	.suite_exit = sspi_async_test_suite_exit,
	.test_cases = sspi_async_test_cases,
};

kunit_test_suite(sspi_async_test_suite);
