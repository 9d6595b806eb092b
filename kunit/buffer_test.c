// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for sspi_kmod/buffer.c: finding buffers, copying in and out
 * of linear and scatterlist buffers, and assembling scatterlists from
 * pieces of buffers without copying data.
 */

#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "../sspi_kmod/buffer.h"

static void sspi_buffer_find_test(struct kunit *test)
{
	struct sspi_buffer bufs[] = {
		{ .type = SSPI_SECBUFFER_TOKEN },
		{ .type = SSPI_SECBUFFER_DATA | SSPI_SECBUFFER_READONLY_WITH_CHECKSUM },
		{ .type = SSPI_SECBUFFER_DATA },
		{ .type = SSPI_SECBUFFER_PADDING },
	};
	struct sspi_message msg = { .count = ARRAY_SIZE(bufs), .buffers = bufs };

	KUNIT_EXPECT_PTR_EQ(test, sspi_msg_find(&msg, SSPI_SECBUFFER_DATA, 0), &bufs[1]);
	KUNIT_EXPECT_PTR_EQ(test, sspi_msg_find(&msg, SSPI_SECBUFFER_DATA, 2), &bufs[2]);
	KUNIT_EXPECT_NULL(test, sspi_msg_find(&msg, SSPI_SECBUFFER_DATA, 3));
	KUNIT_EXPECT_NULL(test, sspi_msg_find(&msg, SSPI_SECBUFFER_STREAM, 0));
	KUNIT_EXPECT_EQ(test, sspi_buf_type(&bufs[1]), SSPI_SECBUFFER_DATA);
}

/* Three separately allocated chunks of 5, 7 and 11 bytes, as one list. */
struct sspi_test_chunks {
	struct scatterlist sg[3];
	u8 *mem[3];
};

static const unsigned int sspi_test_chunk_len[3] = { 5, 7, 11 };

static void sspi_test_chunks_init(struct kunit *test, struct sspi_test_chunks *c)
{
	int i, j, v = 0;

	sg_init_table(c->sg, 3);
	for (i = 0; i < 3; i++) {
		c->mem[i] = kunit_kzalloc(test, sspi_test_chunk_len[i], GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, c->mem[i]);
		for (j = 0; j < sspi_test_chunk_len[i]; j++)
			c->mem[i][j] = v++;
		sg_set_buf(&c->sg[i], c->mem[i], sspi_test_chunk_len[i]);
	}
}

static void sspi_buffer_copy_test(struct kunit *test)
{
	struct sspi_test_chunks *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	/* bytes 3..22 of the chunks: a buffer that starts inside the first */
	struct sspi_buffer b = { .type = SSPI_SECBUFFER_DATA, .len = 20, .offset = 3 };
	u8 out[20], in[15];
	int i;

	KUNIT_ASSERT_NOT_NULL(test, c);
	sspi_test_chunks_init(test, c);
	b.sg = c->sg;

	KUNIT_ASSERT_EQ(test, sspi_buf_copy_from(&b, 0, out, 20), 0);
	for (i = 0; i < 20; i++)
		KUNIT_EXPECT_EQ(test, out[i], 3 + i);

	for (i = 0; i < 15; i++)
		in[i] = 0xa0 + i;
	KUNIT_ASSERT_EQ(test, sspi_buf_copy_to(&b, 2, in, 15), 0);
	/* buffer offset 2 is chunk byte 5: the first of the second chunk */
	KUNIT_EXPECT_EQ(test, c->mem[0][4], 4);
	KUNIT_EXPECT_MEMEQ(test, c->mem[1], in, 7);
	KUNIT_EXPECT_MEMEQ(test, c->mem[2], in + 7, 8);
	KUNIT_EXPECT_EQ(test, c->mem[2][8], 20);

	/* the same through linear memory */
	b = (struct sspi_buffer){ .type = SSPI_SECBUFFER_DATA, .len = 11, .data = c->mem[2] };
	KUNIT_ASSERT_EQ(test, sspi_buf_copy_to(&b, 10, in, 1), 0);
	KUNIT_EXPECT_EQ(test, c->mem[2][10], in[0]);
	KUNIT_ASSERT_EQ(test, sspi_buf_copy_from(&b, 0, out, 11), 0);
	KUNIT_EXPECT_MEMEQ(test, out, c->mem[2], 11);
}

/*
 * A scatterlist entry over two pages, starting inside the first (as a
 * compound page or a range of contiguous pages is described): copies
 * cross from one page to the next within the entry, then on into the
 * next entry; a range past the list's end is refused.
 */
static void sspi_buffer_copy_pages_test(struct kunit *test)
{
	struct page *pages = alloc_pages(GFP_KERNEL, 1);
	u8 *mem, tail[8], out[40], in[40];
	struct scatterlist sg[2];
	struct sspi_buffer b = { .type = SSPI_SECBUFFER_DATA };
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, pages);
	mem = page_address(pages);
	for (i = 0; i < 2 * PAGE_SIZE; i++)
		mem[i] = i % 251;
	for (i = 0; i < sizeof(tail); i++)
		tail[i] = 0xe0 + i;
	sg_init_table(sg, 2);
	sg_set_page(&sg[0], pages, 2 * PAGE_SIZE - 100, 100);
	sg_set_buf(&sg[1], tail, sizeof(tail));

	/* 20 bytes either side of the page boundary, counted from the list's start */
	b.sg = sg;
	b.offset = PAGE_SIZE - 100 - 20;
	b.len = 40;
	KUNIT_ASSERT_EQ(test, sspi_buf_copy_from(&b, 0, out, 40), 0);
	KUNIT_EXPECT_MEMEQ(test, out, mem + PAGE_SIZE - 20, 40);

	for (i = 0; i < 40; i++)
		in[i] = 0x80 + i;
	KUNIT_ASSERT_EQ(test, sspi_buf_copy_to(&b, 0, in, 40), 0);
	KUNIT_EXPECT_MEMEQ(test, mem + PAGE_SIZE - 20, in, 40);
	KUNIT_EXPECT_EQ(test, mem[PAGE_SIZE - 21], (PAGE_SIZE - 21) % 251);
	KUNIT_EXPECT_EQ(test, mem[PAGE_SIZE + 20], (PAGE_SIZE + 20) % 251);

	/* the last 4 bytes of the second page, then 6 of the next entry */
	b.offset = 2 * PAGE_SIZE - 100 - 4;
	b.len = 10;
	KUNIT_ASSERT_EQ(test, sspi_buf_copy_from(&b, 0, out, 10), 0);
	KUNIT_EXPECT_MEMEQ(test, out, mem + 2 * PAGE_SIZE - 4, 4);
	KUNIT_EXPECT_MEMEQ(test, out + 4, tail, 6);

	/* a buffer claiming bytes past the list's end is refused */
	b.len = 13;
	KUNIT_EXPECT_EQ(test, sspi_buf_copy_from(&b, 0, out, 13), -EINVAL);
	KUNIT_EXPECT_EQ(test, sspi_buf_copy_to(&b, 12, in, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, tail[7], 0xe7);

	__free_pages(pages, 1);
}

static void sspi_buffer_range_test(struct kunit *test)
{
	struct sspi_test_chunks *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	u8 mem[8] = {}, out[8];
	struct sspi_buffer b = { .type = SSPI_SECBUFFER_DATA, .len = 8, .data = mem };

	KUNIT_EXPECT_EQ(test, sspi_buf_copy_from(&b, 0, out, 8), 0);
	KUNIT_EXPECT_EQ(test, sspi_buf_copy_from(&b, 1, out, 8), -EINVAL);
	KUNIT_EXPECT_EQ(test, sspi_buf_copy_to(&b, 8, out, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, sspi_buf_copy_to(&b, U32_MAX, out, 2), -EINVAL);
	KUNIT_EXPECT_EQ(test, sspi_buf_copy_to(&b, 8, out, 0), 0);

	/* scatterlist buffers: an offset that would wrap is refused */
	KUNIT_ASSERT_NOT_NULL(test, c);
	sspi_test_chunks_init(test, c);
	b = (struct sspi_buffer){ .type = SSPI_SECBUFFER_DATA, .len = 8, .sg = c->sg,
				  .offset = U32_MAX - 3 };
	memset(out, 0x5a, sizeof(out));
	KUNIT_EXPECT_EQ(test, sspi_buf_copy_to(&b, 4, out, 4), -EINVAL);
	KUNIT_EXPECT_EQ(test, c->mem[0][0], 0);
	KUNIT_EXPECT_EQ(test, sspi_buf_copy_from(&b, 0, out, 1), -EINVAL);
}

/* [13 linear bytes][bytes 4..19 of the chunks][16 linear bytes] */
static void sspi_buffer_sgbuild_test(struct kunit *test)
{
	struct sspi_test_chunks *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	u8 *head = kunit_kzalloc(test, 13, GFP_KERNEL);
	u8 *tail = kunit_kzalloc(test, 16, GFP_KERNEL);
	u8 *flat = kunit_kzalloc(test, 45, GFP_KERNEL);
	struct sspi_buffer b = { .type = SSPI_SECBUFFER_DATA, .len = 23 };
	struct scatterlist sg[8], *out;
	struct sspi_sgbuild sgb;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_ASSERT_NOT_NULL(test, head);
	KUNIT_ASSERT_NOT_NULL(test, tail);
	KUNIT_ASSERT_NOT_NULL(test, flat);
	sspi_test_chunks_init(test, c);
	b.sg = c->sg;
	memset(head, 0xee, 13);
	memset(tail, 0xdd, 16);

	sspi_sgb_init(&sgb, sg, ARRAY_SIZE(sg));
	KUNIT_ASSERT_EQ(test, sspi_sgb_add_mem(&sgb, head, 13), 0);
	KUNIT_ASSERT_EQ(test, sspi_sgb_add_buf(&sgb, &b, 4, 16), 0);
	KUNIT_ASSERT_EQ(test, sspi_sgb_add_mem(&sgb, tail, 16), 0);
	out = sspi_sgb_finish(&sgb);
	KUNIT_ASSERT_PTR_EQ(test, out, &sg[0]);
	/* one entry per piece: head, 1 + 7 + 8 from three chunks, tail */
	KUNIT_EXPECT_EQ(test, sgb.n, 5);
	KUNIT_EXPECT_EQ(test, sgb.bytes, 45);
	KUNIT_EXPECT_EQ(test, sg_nents(out), 5);
	KUNIT_ASSERT_EQ(test, sg_copy_to_buffer(out, sg_nents(out), flat, 45), 45);
	KUNIT_EXPECT_MEMEQ(test, flat, head, 13);
	for (i = 0; i < 16; i++)
		KUNIT_EXPECT_EQ(test, flat[13 + i], 4 + i);
	KUNIT_EXPECT_MEMEQ(test, flat + 29, tail, 16);

	/* writes through the assembled list land in the caller's memory */
	memset(flat, 0x11, 45);
	sg_copy_from_buffer(out, sg_nents(out), flat, 45);
	KUNIT_EXPECT_EQ(test, c->mem[0][3], 3);
	KUNIT_EXPECT_EQ(test, c->mem[0][4], 0x11);
	KUNIT_EXPECT_EQ(test, c->mem[2][7], 0x11);
	KUNIT_EXPECT_EQ(test, c->mem[2][8], 20);
}

static void sspi_buffer_sgbuild_errors_test(struct kunit *test)
{
	struct sspi_test_chunks *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	struct sspi_buffer b = { .type = SSPI_SECBUFFER_DATA, .len = 23 };
	struct scatterlist sg[4];
	struct sspi_sgbuild sgb;
	void *v;

	KUNIT_ASSERT_NOT_NULL(test, c);
	sspi_test_chunks_init(test, c);
	b.sg = c->sg;

	/* three source entries do not fit in two */
	sspi_sgb_init(&sgb, sg, 2);
	KUNIT_EXPECT_NULL(test, sspi_sgb_finish(&sgb));
	KUNIT_EXPECT_EQ(test, sspi_sgb_add_buf(&sgb, &b, 0, 23), -E2BIG);
	/* without an array the builder counts what they would take */
	sspi_sgb_init(&sgb, NULL, 0);
	KUNIT_EXPECT_EQ(test, sspi_sgb_add_buf(&sgb, &b, 0, 23), 0);
	KUNIT_EXPECT_EQ(test, sspi_sgb_add_mem(&sgb, c->mem[0], 5), 0);
	KUNIT_EXPECT_EQ(test, sgb.n, 4);
	KUNIT_EXPECT_EQ(test, sgb.bytes, 28);
	KUNIT_EXPECT_NULL(test, sspi_sgb_finish(&sgb));
	sspi_sgb_init(&sgb, sg, ARRAY_SIZE(sg));
	KUNIT_EXPECT_EQ(test, sspi_sgb_add_buf(&sgb, &b, 20, 4), -EINVAL);
	/* a buffer claiming more than its list holds */
	b.len = 40;
	KUNIT_EXPECT_EQ(test, sspi_sgb_add_buf(&sgb, &b, 0, 40), -EINVAL);

	/* a byte count that would wrap */
	sspi_sgb_init(&sgb, sg, ARRAY_SIZE(sg));
	KUNIT_EXPECT_EQ(test, sspi_sgb_add_mem(&sgb, c->mem[0], 5), 0);
	sgb.bytes = U32_MAX - 2;
	KUNIT_EXPECT_EQ(test, sspi_sgb_add_mem(&sgb, c->mem[1], 7), -EINVAL);
	KUNIT_EXPECT_EQ(test, sgb.n, 1);

	/* an empty array holds nothing */
	sspi_sgb_init(&sgb, sg, 0);
	KUNIT_EXPECT_EQ(test, sspi_sgb_add_mem(&sgb, c->mem[0], 5), -E2BIG);

	/* vmalloc memory cannot be described linearly */
	v = vmalloc(64);
	KUNIT_ASSERT_NOT_NULL(test, v);
	sspi_sgb_init(&sgb, sg, ARRAY_SIZE(sg));
	KUNIT_EXPECT_EQ(test, sspi_sgb_add_mem(&sgb, v, 64), -EINVAL);
	vfree(v);
}

/*
 * Which buffers an operation writes, by the type it leaves them with: what
 * a transport copies back to its caller (Documentation/ioctl.rst).
 */
struct sspi_buffer_written_case {
	const char *desc;
	enum sspi_op op;
	u32 type;
	bool written;
};

#define SSPI_RO		SSPI_SECBUFFER_READONLY
#define SSPI_ROC	SSPI_SECBUFFER_READONLY_WITH_CHECKSUM

static const struct sspi_buffer_written_case sspi_buffer_written_cases[] = {
	{ "encrypt STREAM_HEADER", SSPI_OP_ENCRYPT, SSPI_SECBUFFER_STREAM_HEADER, true },
	{ "encrypt DATA", SSPI_OP_ENCRYPT, SSPI_SECBUFFER_DATA, true },
	{ "encrypt STREAM_TRAILER", SSPI_OP_ENCRYPT, SSPI_SECBUFFER_STREAM_TRAILER, true },
	{ "encrypt TOKEN", SSPI_OP_ENCRYPT, SSPI_SECBUFFER_TOKEN, true },
	{ "encrypt PADDING", SSPI_OP_ENCRYPT, SSPI_SECBUFFER_PADDING, true },
	{ "encrypt EMPTY", SSPI_OP_ENCRYPT, SSPI_SECBUFFER_EMPTY, true },
	{ "encrypt EXTRA", SSPI_OP_ENCRYPT, SSPI_SECBUFFER_EXTRA, false },
	{ "encrypt DATA|READONLY", SSPI_OP_ENCRYPT, SSPI_SECBUFFER_DATA | SSPI_RO, false },
	{ "encrypt DATA|READONLY_WITH_CHECKSUM", SSPI_OP_ENCRYPT,
	  SSPI_SECBUFFER_DATA | SSPI_ROC, false },
	{ "encrypt TOKEN|READONLY", SSPI_OP_ENCRYPT, SSPI_SECBUFFER_TOKEN | SSPI_RO, false },
	{ "decrypt DATA", SSPI_OP_DECRYPT, SSPI_SECBUFFER_DATA, true },
	{ "decrypt STREAM_HEADER", SSPI_OP_DECRYPT, SSPI_SECBUFFER_STREAM_HEADER, false },
	{ "decrypt STREAM_TRAILER", SSPI_OP_DECRYPT, SSPI_SECBUFFER_STREAM_TRAILER, false },
	{ "decrypt STREAM", SSPI_OP_DECRYPT, SSPI_SECBUFFER_STREAM, false },
	{ "decrypt TOKEN", SSPI_OP_DECRYPT, SSPI_SECBUFFER_TOKEN, false },
	{ "decrypt PADDING", SSPI_OP_DECRYPT, SSPI_SECBUFFER_PADDING, false },
	{ "decrypt EXTRA", SSPI_OP_DECRYPT, SSPI_SECBUFFER_EXTRA, false },
	{ "decrypt MISSING", SSPI_OP_DECRYPT, SSPI_SECBUFFER_MISSING, false },
	{ "decrypt ALERT", SSPI_OP_DECRYPT, SSPI_SECBUFFER_ALERT, false },
	{ "decrypt DATA|READONLY_WITH_CHECKSUM", SSPI_OP_DECRYPT,
	  SSPI_SECBUFFER_DATA | SSPI_ROC, false },
	{ "sign TOKEN", SSPI_OP_SIGN, SSPI_SECBUFFER_TOKEN, true },
	{ "sign DATA", SSPI_OP_SIGN, SSPI_SECBUFFER_DATA, false },
	{ "sign PADDING", SSPI_OP_SIGN, SSPI_SECBUFFER_PADDING, false },
	{ "sign TOKEN|READONLY", SSPI_OP_SIGN, SSPI_SECBUFFER_TOKEN | SSPI_RO, false },
	{ "verify TOKEN", SSPI_OP_VERIFY, SSPI_SECBUFFER_TOKEN, false },
	{ "verify DATA", SSPI_OP_VERIFY, SSPI_SECBUFFER_DATA, false },
};

static void sspi_buffer_written_desc(const struct sspi_buffer_written_case *c,
				     char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(sspi_buffer_written, sspi_buffer_written_cases,
		  sspi_buffer_written_desc);

static void sspi_buffer_written_test(struct kunit *test)
{
	const struct sspi_buffer_written_case *c = test->param_value;
	u8 mem[4];
	struct sspi_buffer b = { .type = c->type, .len = sizeof(mem), .data = mem };

	KUNIT_EXPECT_EQ(test, sspi_buf_written(c->op, &b), c->written);
}

/*
 * Which buffers, as the caller passes them, hold no plaintext once their
 * message is sealed with encryption: whether the copy may be freed unwiped.
 */
struct sspi_buffer_sealed_case {
	const char *desc;
	u32 type;
	u32 len;
	bool sealed;
};

static const struct sspi_buffer_sealed_case sspi_buffer_sealed_cases[] = {
	{ "STREAM_HEADER", SSPI_SECBUFFER_STREAM_HEADER, 5, true },
	{ "DATA", SSPI_SECBUFFER_DATA, 16, true },
	{ "STREAM_TRAILER", SSPI_SECBUFFER_STREAM_TRAILER, 17, true },
	{ "TOKEN", SSPI_SECBUFFER_TOKEN, 60, true },
	{ "PADDING", SSPI_SECBUFFER_PADDING, 16, true },
	{ "EMPTY without bytes", SSPI_SECBUFFER_EMPTY, 0, true },
	{ "EMPTY with bytes", SSPI_SECBUFFER_EMPTY, 4, false },
	{ "EXTRA", SSPI_SECBUFFER_EXTRA, 4, false },
	{ "MISSING", SSPI_SECBUFFER_MISSING, 0, false },
	{ "STREAM", SSPI_SECBUFFER_STREAM, 64, false },
	{ "PKG_PARAMS", SSPI_SECBUFFER_PKG_PARAMS, 4, false },
	{ "DATA|READONLY", SSPI_SECBUFFER_DATA | SSPI_RO, 16, false },
	{ "DATA|READONLY_WITH_CHECKSUM", SSPI_SECBUFFER_DATA | SSPI_ROC, 16, false },
	{ "TOKEN|READONLY", SSPI_SECBUFFER_TOKEN | SSPI_RO, 60, false },
};

static void sspi_buffer_sealed_desc(const struct sspi_buffer_sealed_case *c,
				    char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(sspi_buffer_sealed, sspi_buffer_sealed_cases,
		  sspi_buffer_sealed_desc);

static void sspi_buffer_sealed_test(struct kunit *test)
{
	const struct sspi_buffer_sealed_case *c = test->param_value;
	struct sspi_buffer b = { .type = c->type, .len = c->len };

	KUNIT_EXPECT_EQ(test, sspi_buf_sealed(&b), c->sealed);
}

static struct kunit_case sspi_buffer_test_cases[] = {
	KUNIT_CASE(sspi_buffer_find_test),
	KUNIT_CASE(sspi_buffer_copy_test),
	KUNIT_CASE(sspi_buffer_copy_pages_test),
	KUNIT_CASE(sspi_buffer_range_test),
	KUNIT_CASE(sspi_buffer_sgbuild_test),
	KUNIT_CASE(sspi_buffer_sgbuild_errors_test),
	KUNIT_CASE_PARAM(sspi_buffer_written_test, sspi_buffer_written_gen_params),
	KUNIT_CASE_PARAM(sspi_buffer_sealed_test, sspi_buffer_sealed_gen_params),
	{}
};

static struct kunit_suite sspi_buffer_test_suite = {
	.name = "sspi_buffer",
	.test_cases = sspi_buffer_test_cases,
};

kunit_test_suite(sspi_buffer_test_suite);
