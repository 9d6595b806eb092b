// SPDX-License-Identifier: GPL-2.0
/*
 * sspi_kmod: working with the buffers of a message.
 *
 * A buffer's bytes are linear memory or a range of a scatterlist.  Packages
 * read and write small parts (headers, trailers) by copying, and hand the
 * bulk to the crypto API as a scatterlist assembled from pieces of the
 * buffers -- entries are copied, the data never is, so page data is sealed
 * where it lies.  Linear memory must be directly mapped (kmalloc or the
 * page allocator): vmalloc or stack memory goes in as a scatterlist.
 */

#include <linux/errno.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/sched/task_stack.h>
#include <linux/string.h>

#include "buffer.h"
#include "compat.h"

/**
 * sspi_msg_find() - the first buffer of a type at or after an index
 * @msg: the message
 * @type: an SSPI_SECBUFFER_* type; flags are ignored
 * @from: the index to start at
 *
 * Return: the buffer, or NULL.
 */
struct sspi_buffer *sspi_msg_find(struct sspi_message *msg, u32 type,
				  unsigned int from)
{
	unsigned int i;

	for (i = from; i < msg->count; i++)
		if (sspi_buf_type(&msg->buffers[i]) == type)
			return &msg->buffers[i];
	return NULL;
}

/**
 * sspi_buf_written() - whether an operation produced a buffer's bytes
 * @op: the operation that ran
 * @b: one of its buffers, as the operation left it (its type may differ
 *	from the one it came in with)
 *
 * What a transport that copied the message copies back to the caller's
 * memory: every writable buffer of a sealed message (not EXTRA, which
 * holds the caller's own bytes), the plaintext (DATA) of an unsealed one,
 * the TOKEN of a signature, nothing of a verified message.  A buffer
 * flagged read-only (SSPI_SECBUFFER_READONLY or _READONLY_WITH_CHECKSUM)
 * is never written.
 *
 * Return: true if @op wrote @b's bytes.
 */
bool sspi_buf_written(enum sspi_op op, const struct sspi_buffer *b)
{
	u32 type = sspi_buf_type(b);

	if (b->type & SSPI_SECBUFFER_ATTRMASK)
		return false;
	switch (op) {
	case SSPI_OP_ENCRYPT:
		return type != SSPI_SECBUFFER_EXTRA;
	case SSPI_OP_DECRYPT:
		return type == SSPI_SECBUFFER_DATA;
	case SSPI_OP_SIGN:
		return type == SSPI_SECBUFFER_TOKEN;
	default:
		return false;
	}
}

/**
 * sspi_buf_sealed() - whether a buffer holds nothing readable once sealed
 * @b: a buffer of a message about to be sealed with encryption, as the
 *	caller passes it in
 *
 * The framing (STREAM_HEADER, STREAM_TRAILER, TOKEN, PADDING) and a DATA
 * buffer without flags hold only ciphertext and framing after
 * EncryptMessage encrypted them; an empty EMPTY holds nothing.  Anything
 * else -- a buffer signed but not encrypted, one the package does not
 * know -- may still hold plaintext.
 *
 * Return: true if @b holds no plaintext after a successful encryption.
 */
bool sspi_buf_sealed(const struct sspi_buffer *b)
{
	switch (b->type) {
	case SSPI_SECBUFFER_STREAM_HEADER:
	case SSPI_SECBUFFER_STREAM_TRAILER:
	case SSPI_SECBUFFER_TOKEN:
	case SSPI_SECBUFFER_PADDING:
	case SSPI_SECBUFFER_DATA:	/* sealed: no flags */
		return true;
	case SSPI_SECBUFFER_EMPTY:
		return !b->len;
	default:
		return false;
	}
}

/*
 * Copy @len bytes between @buf and the range a scatterlist describes from
 * @off on, page by page, as sg_pcopy_to_buffer() and sg_pcopy_from_buffer()
 * do, but without counting the list's entries first or setting up a
 * mapping iterator: the header and trailer of a record are a few bytes.
 * Return: 0, or -EINVAL if the list ends first.
 */
static int sspi_sg_copy(struct scatterlist *sg, u32 off, u8 *buf, u32 len,
			bool to_sg)
{
	struct page *page;
	u32 pos, n;

	while (len) {
		if (!sg)
			return -EINVAL;
		if (off >= sg->length) {
			off -= sg->length;
			sg = sspi_sg_next(sg);
			continue;
		}
		pos = sg->offset + off;
		page = sspi_nth_page(sg_page(sg), pos >> PAGE_SHIFT);
		n = min3(len, sg->length - off, (u32)(PAGE_SIZE - offset_in_page(pos)));
		if (to_sg)
			memcpy_to_page(page, offset_in_page(pos), buf, n);
		else
			memcpy_from_page(buf, page, offset_in_page(pos), n);
		buf += n;
		off += n;
		len -= n;
	}
	return 0;
}

/**
 * sspi_sg_copy_from() - read bytes of the range a scatterlist describes
 * @sg: the list
 * @off: where to start, counted from the start of @sg
 * @dst: where to copy to
 * @len: how many bytes
 *
 * Return: 0, or -EINVAL if the list ends first.
 */
int sspi_sg_copy_from(struct scatterlist *sg, u32 off, void *dst, u32 len)
{
	return sspi_sg_copy(sg, off, dst, len, false);
}

/**
 * sspi_sg_copy_to() - write bytes into the range a scatterlist describes
 * @sg: the list
 * @off: where to start, counted from the start of @sg
 * @src: the bytes
 * @len: how many
 *
 * Return: 0, or -EINVAL if the list ends first.
 */
int sspi_sg_copy_to(struct scatterlist *sg, u32 off, const void *src, u32 len)
{
	return sspi_sg_copy(sg, off, (u8 *)src, len, true);
}

static inline int sspi_sgb_add_page(struct sspi_sgbuild *b, struct page *page,
				    unsigned int len, unsigned int offset)
{
	struct scatterlist *sg;
	unsigned int bytes;

	if (b->sg && b->n == b->max)
		return -E2BIG;
	if (check_add_overflow(b->bytes, len, &bytes))
		return -EINVAL;
	if (!b->sg) {
		b->n++;
		b->bytes = bytes;
		return 0;
	}
	/*
	 * entries are set up as they are used, small records being common:
	 * sg_init_table() of one without its call and its end mark
	 */
	sg = &b->sg[b->n++];
	memset(sg, 0, sizeof(*sg));
	sg_set_page(sg, page, len, offset);
	b->bytes = bytes;
	return 0;
}

/**
 * sspi_sgb_add_mem() - append linear memory
 * @b: the builder
 * @p: directly mapped memory
 * @len: its length
 *
 * Return: 0; -EINVAL if @p is not directly mapped or on the stack; -E2BIG
 * if the array is full (the builder then holds what was added before).
 */
int sspi_sgb_add_mem(struct sspi_sgbuild *b, void *p, u32 len)
{
	if (!len)
		return 0;
	/* the last byte's page is the first's for a small buffer: ask once */
	if (!virt_addr_valid(p) ||
	    (offset_in_page(p) + len > PAGE_SIZE && !virt_addr_valid(p + len - 1)) ||
	    object_is_on_stack(p))
		return -EINVAL;
	return sspi_sgb_add_page(b, virt_to_page(p), len, offset_in_page(p));
}

/**
 * sspi_sgb_add_sg() - append a range of a scatterlist
 * @b: the builder
 * @src: the list
 * @off: where the range starts, counted from the start of @src
 * @len: its length
 *
 * One entry per piece of each source entry.
 *
 * Return: 0; -EINVAL if the list ends first; -E2BIG if the array is full.
 */
int sspi_sgb_add_sg(struct sspi_sgbuild *b, struct scatterlist *src,
		    u32 off, u32 len)
{
	unsigned int take;
	int err;

	if (!len)
		return 0;
	for (; src; src = sspi_sg_next(src)) {
		if (off >= src->length) {
			off -= src->length;
			continue;
		}
		take = min(src->length - off, len);
		err = sspi_sgb_add_page(b, sg_page(src), take, src->offset + off);
		if (err)
			return err;
		len -= take;
		off = 0;
		/* no step past the last piece */
		if (!len)
			return 0;
	}
	return -EINVAL;
}

