// SPDX-License-Identifier: GPL-2.0
/*
 * sspi_kmod: /dev/sspi, EncryptMessage, DecryptMessage, MakeSignature and
 * VerifySignature on user memory (Documentation/ioctl.rst).  No size limit
 * of netlink attributes here: buffers go up to SSPI_IOC_MAX_BYTES in all.
 *
 * The buffers are copied into kernel pages, one page at a time (a 1 MiB
 * message needs no high-order allocation), or -- large DATA buffers the
 * operation seals or unseals -- worked on in place in the caller's pages,
 * pinned for the call; the operation sees them all as ranges of one
 * scatterlist.  What the operation produced in the copy is copied back to
 * where it came from: output buffers of DecryptMessage point into the
 * caller's input, as SSPI's do.  The context is looked up first: an
 * unknown handle costs no allocation and no copy.  SSPI_IOC_BATCH runs
 * many messages through one call, one state and one copy.
 */

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/nsproxy.h>
#include <linux/pagemap.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <net/net_namespace.h>
#include <sspi_kmod/sspi.h>

#include "buffer.h"
#include "chardev.h"
#include "context.h"

static int sspi_dev_open(struct inode *inode, struct file *file)
{
	/* contexts are looked up in the opener's namespace */
	file->private_data = get_net(current->nsproxy->net_ns);
	return 0;
}

static int sspi_dev_release(struct inode *inode, struct file *file)
{
	put_net(file->private_data);
	return 0;
}

/* Scatterlist entries and pages of the copy a message has without an allocation */
#define SSPI_IOC_INLINE_SG	8
#define SSPI_IOC_INLINE_PAGES	4
/* Pages of the copy, and pages pinned, one message may need at most */
#define SSPI_IOC_MAX_PAGES	((SSPI_IOC_MAX_BYTES >> PAGE_SHIFT) + SSPI_MAX_BUFFERS)

/*
 * One ioctl's state: the caller's buffer array, and where each buffer's
 * bytes are for the package: in the caller's own pages, pinned, or in the
 * copy.  A batch reuses it from one member to the next, and keeps the
 * copy's pages until the end of the call.
 */
struct sspi_ioc {
	struct sspi_ioc_buffer ubuf[SSPI_MAX_BUFFERS];
	struct sspi_buffer kbuf[SSPI_MAX_BUFFERS];
	u32 start[SSPI_MAX_BUFFERS];	/* where buffer i starts in the message */
	u32 boff[SSPI_MAX_BUFFERS];	/* where a copied buffer starts in the copy */
	u32 pin_first[SSPI_MAX_BUFFERS];	/* a pinned one's first page in upages */
	bool pinned[SSPI_MAX_BUFFERS];
	struct scatterlist *sgl;	/* the message: inline_sg or sgt's */
	struct sg_table sgt;
	struct scatterlist inline_sg[SSPI_IOC_INLINE_SG];
	struct page **pages;		/* the copy's pages: npages allocated */
	unsigned int npages;
	struct page *inline_pages[SSPI_IOC_INLINE_PAGES];
	struct page **upages;		/* the caller's pages pinned: nupages */
	unsigned int nupages;
	size_t total;			/* bytes of the message */
	size_t copied;			/* bytes of the copy in use */
};

/* User pages one call remembers having found writable */
#define SSPI_IOC_WPAGES		16

/*
 * One ioctl call's state, which a batch's members share: the message
 * state, allocated for the first message that reaches a context; who asks
 * (the opener's credentials, which do not change); the last member's
 * context, whose reference is kept for the next member naming it while it
 * is listed; and the user pages found writable so far (a ring of page
 * addresses), which are not faulted in again.
 */
struct sspi_ioc_call {
	struct sspi_ioc *io;
	struct sspi_requester req;
	bool have_req;
	struct sspi_context *ctx;
	u64 wpage[SSPI_IOC_WPAGES];
	unsigned int nwpage;
};

/*
 * The end of one message: the copy's bytes in use wiped unless they hold
 * nothing but what was sealed, the caller's pages unpinned (dirty: the
 * package may have written them), the state ready for the next member.
 */
static void sspi_ioc_release(struct sspi_ioc *io, bool wipe)
{
	unsigned int i;

	/*
	 * the bytes in use, which every message wipes unless they hold only
	 * what it sealed: those past them held nothing else either (a
	 * message refused early may have no pages yet)
	 */
	if (wipe)
		for (i = 0; i < min_t(size_t, io->npages, DIV_ROUND_UP(io->copied, PAGE_SIZE)); i++)
			memzero_explicit(page_address(io->pages[i]),
					 min_t(size_t, io->copied - i * PAGE_SIZE, PAGE_SIZE));
	if (io->nupages)
		unpin_user_pages_dirty_lock(io->upages, io->nupages, true);
	if (io->sgt.sgl)
		sg_free_table(&io->sgt);
	io->sgt.sgl = NULL;
	io->sgl = NULL;
	io->nupages = 0;
	io->total = 0;
	io->copied = 0;
	memset(io->pinned, 0, sizeof(io->pinned));
}

/* The copy's pages, freed when the call ends (wiped by sspi_ioc_release()). */
static void sspi_ioc_free(struct sspi_ioc *io)
{
	unsigned int i;

	if (!io)
		return;
	for (i = 0; i < io->npages; i++)
		__free_page(io->pages[i]);
	if (io->pages != io->inline_pages)
		kfree(io->pages);
	kfree(io->upages);
	kfree(io);
}

/*
 * Copy @len bytes between the caller's @uaddr and the copy at @off, a page
 * at a time.
 */
static int sspi_ioc_xfer(struct sspi_ioc *io, size_t off, u64 uaddr, size_t len,
			 bool to_user)
{
	while (len) {
		size_t in = offset_in_page(off);
		size_t n = min_t(size_t, len, PAGE_SIZE - in);
		u8 *k = (u8 *)page_address(io->pages[off >> PAGE_SHIFT]) + in;
		void __user *u = u64_to_user_ptr(uaddr);

		if (to_user ? copy_to_user(u, k, n) : copy_from_user(k, u, n))
			return -EFAULT;
		off += n;
		uaddr += n;
		len -= n;
	}
	return 0;
}

/*
 * Pages for @io->copied bytes of copy; those of an earlier member are
 * kept.  A small copy's pages are listed in the state itself.
 */
static int sspi_ioc_alloc(struct sspi_ioc *io)
{
	unsigned int need = DIV_ROUND_UP(io->copied, PAGE_SIZE);
	struct page **pages;

	if (!io->pages)
		io->pages = io->inline_pages;
	if (need > SSPI_IOC_INLINE_PAGES && io->pages == io->inline_pages) {
		pages = kcalloc(SSPI_IOC_MAX_PAGES, sizeof(*pages), GFP_KERNEL);
		if (!pages)
			return -ENOMEM;
		memcpy(pages, io->inline_pages, io->npages * sizeof(*pages));
		io->pages = pages;
	}
	while (io->npages < need) {
		/* lowmem: page_address() is the kernel's address of it */
		io->pages[io->npages] = alloc_page(GFP_KERNEL);
		if (!io->pages[io->npages])
			return -ENOMEM;
		io->npages++;
	}
	return 0;
}

/* Pages a range of @len bytes starting @off bytes into a page spans. */
static unsigned int sspi_ioc_span(size_t off, size_t len)
{
	return DIV_ROUND_UP(offset_in_page(off) + len, PAGE_SIZE);
}

/* Pin the caller's pages of buffer @i, writable. */
static int sspi_ioc_pin(struct sspi_ioc *io, unsigned int i)
{
	u64 addr = io->ubuf[i].data;
	unsigned int n = sspi_ioc_span(addr, io->ubuf[i].len);
	int got;

	if (!io->upages) {
		io->upages = kcalloc(SSPI_IOC_MAX_PAGES, sizeof(*io->upages), GFP_KERNEL);
		if (!io->upages)
			return -ENOMEM;
	}
	got = pin_user_pages_fast(addr & PAGE_MASK, n, FOLL_WRITE,
				  io->upages + io->nupages);
	if (got > 0)
		io->nupages += got;
	if (got < 0 && got != -EFAULT && got != -ENOMEM)
		return -EFAULT;
	if (got < 0)
		return got;
	if (got != n)
		return -EFAULT;
	return 0;
}

/*
 * The message's scatterlist: each buffer's bytes in order, from the
 * caller's pinned pages or from the copy, so that buffer i is bytes
 * [start[i], start[i] + len) of it whichever way it came in.
 */
static int sspi_ioc_build_sg(struct sspi_ioc *io, unsigned int count)
{
	struct scatterlist *sg;
	unsigned int i, nents = 0;
	int err;

	for (i = 0; i < count; i++)
		if (io->ubuf[i].len)
			nents += sspi_ioc_span(io->pinned[i] ? io->ubuf[i].data : io->boff[i],
					       io->ubuf[i].len);
	if (!nents)
		return 0;
	if (nents <= SSPI_IOC_INLINE_SG) {
		sg_init_table(io->inline_sg, nents);
		io->sgl = io->inline_sg;
	} else {
		err = sg_alloc_table(&io->sgt, nents, GFP_KERNEL);
		if (err)
			return err;
		io->sgl = io->sgt.sgl;
	}
	sg = io->sgl;
	for (i = 0; i < count; i++) {
		size_t off = io->pinned[i] ? offset_in_page(io->ubuf[i].data) : io->boff[i];
		size_t left = io->ubuf[i].len;
		unsigned int p = io->pinned[i] ? io->pin_first[i] : io->boff[i] >> PAGE_SHIFT;

		while (left) {
			size_t in = offset_in_page(off);
			size_t n = min_t(size_t, left, PAGE_SIZE - in);

			sg_set_page(sg, io->pinned[i] ? io->upages[p] : io->pages[p], n, in);
			sg = sg_next(sg);
			off += n;
			left -= n;
			p++;
		}
	}
	return 0;
}

static bool sspi_ioc_readonly(const struct sspi_ioc_buffer *u)
{
	return u->type & SSPI_SECBUFFER_ATTRMASK;
}

/*
 * No writable buffer shares a byte of the caller's memory with a buffer
 * flagged read-only: what the operation writes to the one would land in
 * the other.  -EINVAL, before anything is copied, if one does.
 */
static int sspi_ioc_check_overlap(const struct sspi_ioc *io, unsigned int count)
{
	const struct sspi_ioc_buffer *r, *w;
	unsigned int i, j;

	for (i = 0; i < count; i++) {
		r = &io->ubuf[i];
		if (!r->len || !sspi_ioc_readonly(r))
			continue;
		for (j = 0; j < count; j++) {
			w = &io->ubuf[j];
			if (!w->len || sspi_ioc_readonly(w))
				continue;
			/* written so that no end can wrap */
			if (w->data >= r->data ? w->data - r->data < r->len :
						 r->data - w->data < w->len)
				return -EINVAL;
		}
	}
	return 0;
}

/*
 * Whether buffer @i is worked on in place in the caller's memory: a DATA
 * buffer the operation may seal or unseal, writable, large enough that
 * pinning costs less than copying (or the caller asked), and sharing no
 * byte with another buffer, so that the package sees what a copy would.
 */
static bool sspi_ioc_pinnable(const struct sspi_ioc *io, unsigned int count,
			      unsigned int i, enum sspi_op op, u32 flags)
{
	const struct sspi_ioc_buffer *u = &io->ubuf[i], *o;
	struct sspi_buffer b = { .type = u->type, .len = u->len };
	unsigned int j;

	if (flags & SSPI_IOC_F_COPY || !u->len || sspi_ioc_readonly(u) ||
	    sspi_buf_type(&b) != SSPI_SECBUFFER_DATA)
		return false;
	if (op == SSPI_OP_DECRYPT ? !(flags & SSPI_IOC_F_PIN) :
	    op != SSPI_OP_ENCRYPT || (u->len < SSPI_IOC_PIN_MIN && !(flags & SSPI_IOC_F_PIN)))
		return false;
	for (j = 0; j < count; j++) {
		o = &io->ubuf[j];
		if (j == i || !o->len)
			continue;
		if (u->data >= o->data ? u->data - o->data < o->len :
					 o->data - u->data < u->len)
			return false;
	}
	return true;
}

/*
 * Whether buffer @j, copied, starts where the copied buffer @i ends, in the
 * caller's memory and in the copy; neither empty.
 */
static bool sspi_ioc_follows(const struct sspi_ioc *io, unsigned int i, unsigned int j)
{
	return io->ubuf[i].len && io->ubuf[j].len && !io->pinned[i] && !io->pinned[j] &&
	       io->ubuf[j].data == io->ubuf[i].data + io->ubuf[i].len &&
	       io->boff[j] == io->boff[i] + io->ubuf[i].len;
}

static int sspi_ioc_copy_in(struct sspi_ioc *io, const struct sspi_ioc_message *m,
			    enum sspi_op op)
{
	unsigned int i, j;
	int err;

	if (copy_from_user(io->ubuf, u64_to_user_ptr(m->buffers),
			   m->count * sizeof(io->ubuf[0])))
		return -EFAULT;
	for (i = 0; i < m->count; i++) {
		/* each at most the limit, so the sum cannot wrap */
		if (io->ubuf[i].len > SSPI_IOC_MAX_BYTES - io->total)
			return -E2BIG;
		io->start[i] = io->total;
		io->total += io->ubuf[i].len;
		if (io->ubuf[i].len && !io->ubuf[i].data)
			return -EFAULT;
	}
	err = sspi_ioc_check_overlap(io, m->count);
	if (err)
		return err;
	for (i = 0; i < m->count; i++) {
		io->pinned[i] = sspi_ioc_pinnable(io, m->count, i, op, m->flags);
		if (io->pinned[i]) {
			io->pin_first[i] = io->nupages;
			err = sspi_ioc_pin(io, i);
			if (err)
				return err;
		} else {
			io->boff[i] = io->copied;
			io->copied += io->ubuf[i].len;
		}
	}
	err = sspi_ioc_alloc(io);
	if (err)
		return err;
	err = sspi_ioc_build_sg(io, m->count);
	if (err)
		return err;
	for (i = 0; i < m->count; i++) {
		u32 len = io->ubuf[i].len, run = len;

		/*
		 * buffers one after the other in the caller's memory come
		 * one after the other in the copy too: one copy for them
		 */
		if (len && !io->pinned[i] && (!i || !sspi_ioc_follows(io, i - 1, i))) {
			for (j = i + 1; j < m->count && sspi_ioc_follows(io, j - 1, j); j++)
				run += io->ubuf[j].len;
			err = sspi_ioc_xfer(io, io->boff[i], io->ubuf[i].data, run, false);
			if (err)
				return err;
		}
		io->kbuf[i] = (struct sspi_buffer){
			.type = io->ubuf[i].type,
			.len = len,
			.sg = len ? io->sgl : NULL,
			.offset = len ? io->start[i] : 0,
		};
	}
	return 0;
}

/*
 * The caller's buffer holding bytes [off, off + len) of the copy; -1 if
 * none does.
 */
static int sspi_ioc_user_buf(const struct sspi_ioc *io, unsigned int count,
			     u32 off, u32 len)
{
	unsigned int i;

	for (i = 0; i < count; i++)
		if (io->ubuf[i].len && off >= io->start[i] &&
		    (u64)off + len <= (u64)io->start[i] + io->ubuf[i].len)
			return i;
	return -1;
}

/*
 * The results: the bytes the operation wrote back where they belong (the
 * core says which, sspi_buf_written()), then the buffer array.  Bytes are
 * written only into memory of a buffer the caller did not flag read-only,
 * whatever the flags of the output buffer pointing there: an output that
 * would land in read-only memory makes it -EINVAL, with nothing written.
 */
static int sspi_ioc_copy_out(struct sspi_ioc *io, const struct sspi_ioc_message *m,
			     enum sspi_op op)
{
	struct sspi_ioc_buffer out[SSPI_MAX_BUFFERS];
	bool write[SSPI_MAX_BUFFERS] = {};
	u32 src[SSPI_MAX_BUFFERS];
	unsigned int i, j;
	int k, err;

	for (i = 0; i < m->count; i++) {
		const struct sspi_buffer *b = &io->kbuf[i];
		u64 addr = 0;

		/* a package bug, memory not of the copy: say so, write nothing */
		if (b->data || (b->sg && b->sg != io->sgl))
			return -EIO;
		k = b->sg ? sspi_ioc_user_buf(io, m->count, b->offset, b->len) : -1;
		if (k >= 0)
			addr = io->ubuf[k].data + (b->offset - io->start[k]);
		else if (b->sg && b->len)
			return -EIO;
		out[i] = (struct sspi_ioc_buffer){
			.type = b->type,
			.len = b->len,
			.data = addr,
		};
		if (!addr || !b->len || !sspi_buf_written(op, b))
			continue;
		if (sspi_ioc_readonly(&io->ubuf[k]))
			return -EINVAL;
		/* in place: the package wrote the caller's own pages */
		if (io->pinned[k])
			continue;
		src[i] = io->boff[k] + (b->offset - io->start[k]);
		write[i] = true;
	}
	for (i = 0; i < m->count; i = j) {
		u32 len = write[i] ? io->kbuf[i].len : 0;

		/* outputs one after the other, in the copy and in the caller's memory: one copy */
		for (j = i + 1; j < m->count && write[i] && write[j] &&
		     src[j] == src[i] + len && out[j].data == out[i].data + len; j++)
			len += io->kbuf[j].len;
		if (!len)
			continue;
		err = sspi_ioc_xfer(io, src[i], out[i].data, len, true);
		if (err)
			return err;
	}
	if (copy_to_user(u64_to_user_ptr(m->buffers), out,
			 m->count * sizeof(out[0])))
		return -EFAULT;
	return 0;
}

/*
 * Whether the operation may write into the caller's buffer @u: the
 * buffers it produces from (sspi_buf_written()), and for DecryptMessage
 * the input it unseals in place, where its DATA outputs point.
 */
static bool sspi_ioc_may_write(enum sspi_op op, const struct sspi_ioc_buffer *u)
{
	struct sspi_buffer b = { .type = u->type, .len = u->len };
	u32 type = sspi_buf_type(&b);

	if (!u->len || sspi_ioc_readonly(u))
		return false;
	if (op == SSPI_OP_DECRYPT)
		return type == SSPI_SECBUFFER_DATA || type == SSPI_SECBUFFER_STREAM;
	return sspi_buf_written(op, &b);
}

static bool sspi_ioc_wpage_known(const struct sspi_ioc_call *call, u64 page)
{
	unsigned int i;

	for (i = 0; i < min_t(unsigned int, call->nwpage, SSPI_IOC_WPAGES); i++)
		if (call->wpage[i] == page)
			return true;
	return false;
}

/*
 * Fault in [@addr, @addr + @len) writable, unless this call found every
 * page of it writable already: a batch's members lie mostly in the same
 * few pages, and faulting in a page that is there walks its page table
 * all the same.  The pages of a range of at most two are remembered.
 */
static int sspi_ioc_fault_in(struct sspi_ioc_call *call, u64 addr, size_t len)
{
	u64 first, last;

	if (!len)
		return 0;
	first = addr & ~(u64)(PAGE_SIZE - 1);
	last = (addr + len - 1) & ~(u64)(PAGE_SIZE - 1);
	if (last - first <= PAGE_SIZE && sspi_ioc_wpage_known(call, first) &&
	    sspi_ioc_wpage_known(call, last))
		return 0;
	if (fault_in_safe_writeable(u64_to_user_ptr(addr), len))
		return -EFAULT;
	if (last - first <= PAGE_SIZE) {
		call->wpage[call->nwpage++ % SSPI_IOC_WPAGES] = first;
		if (last != first)
			call->wpage[call->nwpage++ % SSPI_IOC_WPAGES] = last;
	}
	return 0;
}

/*
 * Before the package runs: everything the results go to can be written
 * (the structure, the buffer array, the buffers the operation writes), so
 * that an unwritable one is EFAULT with the sequence number unused rather
 * than a message processed and its results lost.  Memory made read-only
 * between this check and the copy-out still fails after the package ran;
 * so does, in a batch, memory made read-only after an earlier member found
 * it writable.
 */
static int sspi_ioc_check_writable(struct sspi_ioc_call *call,
				   const struct sspi_ioc_message *m, void __user *uarg,
				   u32 usize, enum sspi_op op)
{
	const struct sspi_ioc *io = call->io;
	unsigned int i;

	if (sspi_ioc_fault_in(call, (uintptr_t)uarg, min_t(u32, usize, sizeof(*m))) ||
	    sspi_ioc_fault_in(call, m->buffers, m->count * sizeof(io->ubuf[0])))
		return -EFAULT;
	for (i = 0; i < m->count; i++)
		if (!io->pinned[i] && sspi_ioc_may_write(op, &io->ubuf[i]) &&
		    sspi_ioc_fault_in(call, io->ubuf[i].data, io->ubuf[i].len))
			return -EFAULT;
	return 0;
}

/*
 * A request refused after the context lookup but before the package ran:
 * @m's status says why (the status is written whenever the request
 * reached a context).  Returns @err, or -EFAULT.
 */
static int sspi_ioc_refuse(struct sspi_ioc_message __user *uarg, u32 usize,
			   struct sspi_ioc_message *m, int err)
{
	m->status = sspi_status_from_errno(err);
	if (copy_to_user(uarg, m, min_t(u32, usize, sizeof(*m))))
		return -EFAULT;
	return err;
}

/*
 * The context @handle names, for @call's next message; NULL if there is
 * none the opener may use.  A context not deleted or reaped (still listed)
 * is what a lookup would find again: the previous member's is kept.
 */
static struct sspi_context *sspi_ioc_context(struct file *file,
					     struct sspi_ioc_call *call, u64 handle)
{
	struct net *net = file->private_data;
	struct sspi_context *ctx = call->ctx;

	if (ctx && ctx->handle == handle && !READ_ONCE(ctx->dead))
		return ctx;
	sspi_context_put(ctx);
	if (!call->have_req) {
		call->req.uid = file->f_cred->euid;
		call->req.admin = file_ns_capable(file, net->user_ns, CAP_NET_ADMIN);
		call->have_req = true;
	}
	call->ctx = sspi_context_get(net, handle, &call->req);
	return call->ctx;
}

/*
 * One message: @uarg's structure, @usize bytes of it, through @call's
 * state, allocated here the first time (after the context lookup, so that
 * its failure is a status), and reset again when this returns.  The errno
 * of the operation, 0 or a positive value for success.
 */
static int sspi_dev_message(struct file *file, enum sspi_op op,
			    struct sspi_ioc_message __user *uarg, u32 usize,
			    struct sspi_ioc_call *call)
{
	struct sspi_outcome res = { .wipe = true };
	struct sspi_ioc_message m;
	struct sspi_context *ctx;
	struct sspi_message msg;
	struct sspi_ioc *io = call->io;
	int err;

	err = copy_struct_from_user(&m, sizeof(m), uarg, usize);
	if (err)
		return err;
	if (usize < offsetofend(struct sspi_ioc_message, buffers) ||
	    m.flags & ~(SSPI_IOC_F_COPY | SSPI_IOC_F_PIN) ||
	    m.flags == (SSPI_IOC_F_COPY | SSPI_IOC_F_PIN) ||
	    m.reserved[0] || m.reserved[1] || !m.count || m.count > SSPI_MAX_BUFFERS)
		return -EINVAL;

	ctx = sspi_ioc_context(file, call, m.handle);
	if (!ctx)
		/* before any allocation or copy of the caller's buffers */
		return sspi_ioc_refuse(uarg, usize, &m, -ENOENT);

	if (!io) {
		io = kzalloc(sizeof(*io), GFP_KERNEL);
		if (!io)
			return sspi_ioc_refuse(uarg, usize, &m, -ENOMEM);
		call->io = io;
	}
	err = sspi_ioc_copy_in(io, &m, op);
	if (!err)
		err = sspi_ioc_check_writable(call, &m, uarg, usize, op);
	if (err) {
		/*
		 * refused before the package ran (a layout, memory, a bad
		 * or unwritable buffer, too many bytes): the status too
		 */
		err = sspi_ioc_refuse(uarg, usize, &m, err);
		goto out;
	}

	msg.count = m.count;
	msg.buffers = io->kbuf;
	err = sspi_message_op(ctx, op, &msg, m.seqno, &m.qop, &res);
	m.status = res.status;
	if (res.buffers) {
		int cerr = sspi_ioc_copy_out(io, &m, op);

		if (cerr) {
			err = cerr;
			m.status = sspi_status_from_errno(err);
		}
	}
	if (copy_to_user(uarg, &m, min_t(u32, usize, sizeof(m))))
		err = -EFAULT;
out:
	/* the copy kept unwiped only when it holds nothing but what was sealed */
	sspi_ioc_release(io, err < 0 || res.wipe);
	return err;
}

/* The end of a call: the state freed, the last context's reference dropped. */
static void sspi_ioc_call_end(struct sspi_ioc_call *call)
{
	sspi_ioc_free(call->io);
	sspi_context_put(call->ctx);
}

/* The operation of each message ioctl, by number */
static const enum sspi_op sspi_ioc_ops[] = {
	[_IOC_NR(SSPI_IOC_ENCRYPT)] = SSPI_OP_ENCRYPT,
	[_IOC_NR(SSPI_IOC_DECRYPT)] = SSPI_OP_DECRYPT,
	[_IOC_NR(SSPI_IOC_SIGN)] = SSPI_OP_SIGN,
	[_IOC_NR(SSPI_IOC_VERIFY)] = SSPI_OP_VERIFY,
};

static long sspi_dev_crypt(struct file *file, enum sspi_op op,
			   struct sspi_ioc_message __user *uarg)
{
	struct sspi_ioc_call call = {};
	u32 usize;
	int err;

	if (get_user(usize, &uarg->size))
		return -EFAULT;
	if (usize > PAGE_SIZE)
		return -E2BIG;
	err = sspi_dev_message(file, op, uarg, usize, &call);
	sspi_ioc_call_end(&call);
	return err > 0 ? 0 : err;
}

/*
 * SSPI_IOC_BATCH: the members one after the other, through one state and
 * one copy, stopping after the first that fails unless told to go on, or
 * when the caller is killed.
 */
static long sspi_dev_batch(struct file *file, struct sspi_ioc_batch __user *uarg)
{
	struct sspi_ioc_message __user *um;
	struct sspi_ioc_call call = {};
	struct sspi_ioc_batch b;
	u32 usize, msize, i;
	int err, first = 0;

	if (get_user(usize, &uarg->size))
		return -EFAULT;
	if (usize > PAGE_SIZE)
		return -E2BIG;
	err = copy_struct_from_user(&b, sizeof(b), uarg, usize);
	if (err)
		return err;
	if (usize < offsetofend(struct sspi_ioc_batch, failed) ||
	    b.flags & ~SSPI_IOC_BATCH_F_CONTINUE || b.reserved[0] || b.reserved[1] ||
	    b.op < _IOC_NR(SSPI_IOC_ENCRYPT) || b.op > _IOC_NR(SSPI_IOC_VERIFY) ||
	    !b.count || b.count > SSPI_IOC_MAX_BATCH)
		return -EINVAL;
	um = u64_to_user_ptr(b.messages);
	if (get_user(msize, &um->size))
		return -EFAULT;
	if (msize > PAGE_SIZE)
		return -E2BIG;
	/* the members' stride: a structure at most a page, 8-byte aligned */
	if (msize < offsetofend(struct sspi_ioc_message, buffers) || msize % 8)
		return -EINVAL;

	b.done = 0;
	b.failed = 0;
	for (i = 0; i < b.count; i++) {
		u32 size;

		if (fatal_signal_pending(current)) {
			err = -EINTR;
		} else {
			err = get_user(size, &um->size);
			if (!err && size != msize)
				err = -EINVAL;
		}
		if (err) {
			first = first ?: err;
			break;
		}
		err = sspi_dev_message(file, sspi_ioc_ops[b.op], um, msize, &call);
		b.done++;
		if (err < 0) {
			b.failed++;
			first = first ?: err;
			if (!(b.flags & SSPI_IOC_BATCH_F_CONTINUE))
				break;
		}
		um = (void __user *)um + msize;
		cond_resched();
	}
	sspi_ioc_call_end(&call);
	if (put_user(b.done, &uarg->done) || put_user(b.failed, &uarg->failed))
		return -EFAULT;
	return first;
}

/*
 * Commands are told apart by number, not by the size encoded in them: the
 * structure's own size field versions it, so a caller built with a larger
 * one still reaches an older kernel.
 */
static long sspi_dev_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	if (_IOC_TYPE(cmd) != SSPI_IOC_MAGIC || _IOC_DIR(cmd) != (_IOC_READ | _IOC_WRITE))
		return -ENOTTY;
	switch (_IOC_NR(cmd)) {
	case _IOC_NR(SSPI_IOC_ENCRYPT) ... _IOC_NR(SSPI_IOC_VERIFY):
		return sspi_dev_crypt(file, sspi_ioc_ops[_IOC_NR(cmd)], (void __user *)arg);
	case _IOC_NR(SSPI_IOC_BATCH):
		return sspi_dev_batch(file, (void __user *)arg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations sspi_dev_fops = {
	.owner = THIS_MODULE,
	.open = sspi_dev_open,
	.release = sspi_dev_release,
	.unlocked_ioctl = sspi_dev_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static struct miscdevice sspi_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = SSPI_DEV_NAME,
	.fops = &sspi_dev_fops,
	.mode = 0666,
};

/**
 * sspi_chardev_init() - create /dev/sspi
 *
 * Return: 0 or the error of misc_register().
 */
int __init sspi_chardev_init(void)
{
	return misc_register(&sspi_dev);
}

/**
 * sspi_chardev_exit() - remove /dev/sspi; open files keep the module
 */
void sspi_chardev_exit(void)
{
	misc_deregister(&sspi_dev);
}
