/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sspi_kmod: working with the buffers of a message.
 */
#ifndef _SSPI_KMOD_BUFFER_H
#define _SSPI_KMOD_BUFFER_H

#include <linux/errno.h>
#include <linux/limits.h>
#include <linux/scatterlist.h>
#include <linux/string.h>
#include <linux/types.h>
#include <sspi_kmod/sspi.h>

struct sspi_buffer *sspi_msg_find(struct sspi_message *msg, u32 type,
				  unsigned int from);

/**
 * sspi_buf_type() - a buffer's type without its flags
 * @b: the buffer
 *
 * Return: the SSPI_SECBUFFER_* type.
 */
static inline u32 sspi_buf_type(const struct sspi_buffer *b)
{
	return b->type & ~SSPI_SECBUFFER_ATTRMASK;
}

/**
 * sspi_sg_next() - the entry after @sg, as sg_next() returns it
 * @sg: an entry of a scatterlist
 *
 * sg_next() itself is a function of the kernel's: a call for each entry
 * of the short lists a record has.
 *
 * Return: the next entry, following a chain, or NULL after the last.
 */
static inline struct scatterlist *sspi_sg_next(struct scatterlist *sg)
{
	if (sg_is_last(sg))
		return NULL;
	sg++;
	if (unlikely(sg_is_chain(sg)))
		sg = sg_chain_ptr(sg);
	return sg;
}

bool sspi_buf_written(enum sspi_op op, const struct sspi_buffer *b);
bool sspi_buf_sealed(const struct sspi_buffer *b);

int sspi_sg_copy_from(struct scatterlist *sg, u32 off, void *dst, u32 len);
int sspi_sg_copy_to(struct scatterlist *sg, u32 off, const void *src, u32 len);

/*
 * [off, off + len) lies inside the buffer, and every position in it,
 * counted from the start of a scatterlist, fits in 32 bits.
 */
static inline bool sspi_buf_range_ok(const struct sspi_buffer *b, u32 off, u32 len)
{
	return (u64)off + len <= b->len && (u64)b->offset + b->len <= U32_MAX;
}

/*
 * The helpers every record calls a few times are inline: most of their
 * buffers are linear memory, a check and a memcpy().
 */

/**
 * sspi_buf_copy_from() - read bytes of a buffer
 * @b: the buffer
 * @off: where to start, within the buffer
 * @dst: where to copy to
 * @len: how many bytes
 *
 * Return: 0, or -EINVAL if the range lies outside the buffer.
 */
static inline int sspi_buf_copy_from(const struct sspi_buffer *b, u32 off,
				     void *dst, u32 len)
{
	if (!sspi_buf_range_ok(b, off, len))
		return -EINVAL;
	if (!len)
		return 0;
	if (b->sg)
		return sspi_sg_copy_from(b->sg, b->offset + off, dst, len);
	memcpy(dst, b->data + off, len);
	return 0;
}

/**
 * sspi_buf_copy_to() - write bytes into a buffer
 * @b: the buffer
 * @off: where to start, within the buffer
 * @src: the bytes
 * @len: how many
 *
 * Return: 0, or -EINVAL if the range lies outside the buffer.
 */
static inline int sspi_buf_copy_to(struct sspi_buffer *b, u32 off,
				   const void *src, u32 len)
{
	if (!sspi_buf_range_ok(b, off, len))
		return -EINVAL;
	if (!len)
		return 0;
	if (b->sg)
		return sspi_sg_copy_to(b->sg, b->offset + off, src, len);
	memcpy(b->data + off, src, len);
	return 0;
}

/**
 * struct sspi_sgbuild - a scatterlist assembled from pieces of buffers
 * @sg: the caller's array of entries
 * @max: its size
 * @n: entries used
 * @bytes: bytes described
 */
struct sspi_sgbuild {
	struct scatterlist *sg;
	unsigned int max;
	unsigned int n;
	unsigned int bytes;
};

/**
 * sspi_buf_slice() - point a buffer at bytes of another
 * @out: the buffer to point; its type is kept
 * @in: the buffer holding the bytes
 * @off: where they start in @in; the caller has checked the range
 * @len: how many
 *
 * @out gets @in's kind of memory, and only that: the same scatterlist
 * from further on, or a pointer into the same linear memory.
 */
static inline void sspi_buf_slice(struct sspi_buffer *out,
				  const struct sspi_buffer *in, u32 off, u32 len)
{
	out->len = len;
	out->sg = in->sg;
	out->offset = in->sg ? in->offset + off : 0;
	out->data = !in->sg && in->data ? in->data + off : NULL;
}

/**
 * sspi_sgb_init() - start assembling a scatterlist
 * @b: the builder
 * @sg: an array of entries owned by the caller (e.g. in a direction's
 *	state); NULL to count the entries a list would take, writing none
 * @max: its size
 */
static inline void sspi_sgb_init(struct sspi_sgbuild *b, struct scatterlist *sg,
				 unsigned int max)
{
	b->sg = sg;
	b->max = max;
	b->n = 0;
	b->bytes = 0;
}

int sspi_sgb_add_mem(struct sspi_sgbuild *b, void *p, u32 len);
int sspi_sgb_add_sg(struct sspi_sgbuild *b, struct scatterlist *src,
		    u32 off, u32 len);

/**
 * sspi_sgb_add_buf() - append a range of a buffer
 * @b: the builder
 * @buf: the buffer
 * @off: where the range starts, within the buffer
 * @len: its length
 *
 * Return: 0; -EINVAL if the range lies outside the buffer or its memory
 * cannot be described by a scatterlist; -E2BIG if the array is full (the
 * builder then holds what was added before).
 */
static inline int sspi_sgb_add_buf(struct sspi_sgbuild *b,
				   const struct sspi_buffer *buf, u32 off, u32 len)
{
	if (!sspi_buf_range_ok(buf, off, len))
		return -EINVAL;
	if (buf->sg)
		return sspi_sgb_add_sg(b, buf->sg, buf->offset + off, len);
	return sspi_sgb_add_mem(b, buf->data + off, len);
}

/**
 * sspi_sgb_finish() - end the list
 * @b: the builder
 *
 * Return: the assembled scatterlist, or NULL if nothing was added (or
 * the builder only counted).
 */
static inline struct scatterlist *sspi_sgb_finish(struct sspi_sgbuild *b)
{
	if (!b->n || !b->sg)
		return NULL;
	sg_mark_end(&b->sg[b->n - 1]);
	return b->sg;
}

#endif /* _SSPI_KMOD_BUFFER_H */
