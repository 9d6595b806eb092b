// SPDX-License-Identifier: GPL-2.0
/*
 * sspi_kmod: /dev/sspi, EncryptMessage, DecryptMessage, MakeSignature and
 * VerifySignature on user memory (Documentation/ioctl.rst).  No size limit
 * of netlink attributes here: buffers go up to SSPI_IOC_MAX_BYTES in all.
 *
 * The buffers are copied into kernel pages, one page at a time (a 1 MiB
 * message needs no high-order allocation), which the operation sees as
 * ranges of one scatterlist; what the operation produced is copied back to
 * where it came from: output buffers of DecryptMessage point into the
 * caller's input, as SSPI's do.  The context is looked up first: an
 * unknown handle costs no allocation and no copy.
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

/* One ioctl's state: the caller's buffer array and the kernel copy. */
struct sspi_ioc {
	struct sspi_ioc_buffer ubuf[SSPI_MAX_BUFFERS];
	struct sspi_buffer kbuf[SSPI_MAX_BUFFERS];
	u32 start[SSPI_MAX_BUFFERS];	/* where buffer i starts in the copy */
	struct sg_table sgt;		/* the copy: npages pages */
	struct page **pages;
	unsigned int npages;
	size_t total;
};

/* The pages of the copy, wiped unless they hold nothing but ciphertext. */
static void sspi_ioc_free(struct sspi_ioc *io, bool wipe)
{
	unsigned int i;

	for (i = 0; i < io->npages; i++) {
		if (wipe)
			memzero_explicit(page_address(io->pages[i]), PAGE_SIZE);
		__free_page(io->pages[i]);
	}
	kfree(io->pages);
	if (io->sgt.sgl)
		sg_free_table(&io->sgt);
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

static int sspi_ioc_alloc(struct sspi_ioc *io)
{
	struct scatterlist *sg;
	size_t left = io->total;
	unsigned int i;
	int err;

	if (!io->total)
		return 0;
	io->pages = kcalloc(DIV_ROUND_UP(io->total, PAGE_SIZE), sizeof(*io->pages),
			    GFP_KERNEL);
	if (!io->pages)
		return -ENOMEM;
	err = sg_alloc_table(&io->sgt, DIV_ROUND_UP(io->total, PAGE_SIZE), GFP_KERNEL);
	if (err)
		return err;
	for_each_sg(io->sgt.sgl, sg, io->sgt.orig_nents, i) {
		/* lowmem: page_address() is the kernel's address of it */
		io->pages[i] = alloc_page(GFP_KERNEL);
		if (!io->pages[i])
			return -ENOMEM;
		io->npages++;
		sg_set_page(sg, io->pages[i], min_t(size_t, left, PAGE_SIZE), 0);
		left -= min_t(size_t, left, PAGE_SIZE);
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

static int sspi_ioc_copy_in(struct sspi_ioc *io, const struct sspi_ioc_message *m)
{
	unsigned int i;
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
	err = sspi_ioc_alloc(io);
	if (err)
		return err;
	for (i = 0; i < m->count; i++) {
		u32 len = io->ubuf[i].len;

		err = sspi_ioc_xfer(io, io->start[i], io->ubuf[i].data, len, false);
		if (err)
			return err;
		io->kbuf[i] = (struct sspi_buffer){
			.type = io->ubuf[i].type,
			.len = len,
			.sg = len ? io->sgt.sgl : NULL,
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
	unsigned int i;
	int j, err;

	for (i = 0; i < m->count; i++) {
		const struct sspi_buffer *b = &io->kbuf[i];
		u64 addr = 0;

		/* a package bug, memory not of the copy: say so, write nothing */
		if (b->data || (b->sg && b->sg != io->sgt.sgl))
			return -EIO;
		j = b->sg ? sspi_ioc_user_buf(io, m->count, b->offset, b->len) : -1;
		if (j >= 0)
			addr = io->ubuf[j].data + (b->offset - io->start[j]);
		else if (b->sg && b->len)
			return -EIO;
		out[i] = (struct sspi_ioc_buffer){
			.type = b->type,
			.len = b->len,
			.data = addr,
		};
		if (!addr || !b->len || !sspi_buf_written(op, b))
			continue;
		if (sspi_ioc_readonly(&io->ubuf[j]))
			return -EINVAL;
		write[i] = true;
	}
	for (i = 0; i < m->count; i++) {
		if (!write[i])
			continue;
		err = sspi_ioc_xfer(io, io->kbuf[i].offset, out[i].data,
				    io->kbuf[i].len, true);
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

/*
 * Before the package runs: everything the results go to can be written
 * (the structure, the buffer array, the buffers the operation writes), so
 * that an unwritable one is EFAULT with the sequence number unused rather
 * than a message processed and its results lost.  Memory made read-only
 * between this check and the copy-out still fails after the package ran.
 */
static int sspi_ioc_check_writable(const struct sspi_ioc *io,
				   const struct sspi_ioc_message *m, void __user *uarg,
				   u32 usize, enum sspi_op op)
{
	unsigned int i;

	if (fault_in_safe_writeable(uarg, min_t(u32, usize, sizeof(*m))) ||
	    fault_in_safe_writeable(u64_to_user_ptr(m->buffers),
				    m->count * sizeof(io->ubuf[0])))
		return -EFAULT;
	for (i = 0; i < m->count; i++)
		if (sspi_ioc_may_write(op, &io->ubuf[i]) &&
		    fault_in_safe_writeable(u64_to_user_ptr(io->ubuf[i].data),
					    io->ubuf[i].len))
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

static long sspi_dev_crypt(struct file *file, enum sspi_op op,
			   struct sspi_ioc_message __user *uarg)
{
	struct sspi_outcome res = { .wipe = true };
	struct sspi_ioc_message m;
	struct sspi_requester req;
	struct sspi_context *ctx;
	struct sspi_message msg;
	struct net *net = file->private_data;
	struct sspi_ioc *io;
	u32 usize;
	int err;

	if (get_user(usize, &uarg->size))
		return -EFAULT;
	if (usize > PAGE_SIZE)
		return -E2BIG;
	err = copy_struct_from_user(&m, sizeof(m), uarg, usize);
	if (err)
		return err;
	if (usize < offsetofend(struct sspi_ioc_message, buffers) || m.flags ||
	    m.reserved[0] || m.reserved[1] || !m.count || m.count > SSPI_MAX_BUFFERS)
		return -EINVAL;

	req.uid = file->f_cred->euid;
	req.admin = file_ns_capable(file, net->user_ns, CAP_NET_ADMIN);
	ctx = sspi_context_get(net, m.handle, &req);
	if (!ctx)
		/* before any allocation or copy of the caller's buffers */
		return sspi_ioc_refuse(uarg, usize, &m, -ENOENT);

	io = kzalloc(sizeof(*io), GFP_KERNEL);
	if (!io) {
		err = sspi_ioc_refuse(uarg, usize, &m, -ENOMEM);
		goto out_ctx;
	}
	err = sspi_ioc_copy_in(io, &m);
	if (err == -EINVAL || err == -ENOMEM)
		/* a layout refused, or no memory, before the package ran */
		err = sspi_ioc_refuse(uarg, usize, &m, err);
	if (!err)
		err = sspi_ioc_check_writable(io, &m, uarg, usize, op);
	if (err)
		goto out;

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
	/* freed unwiped only when it holds nothing but what was sealed */
	sspi_ioc_free(io, err || res.wipe);
	kfree(io);
out_ctx:
	sspi_context_put(ctx);
	return err > 0 ? 0 : err;
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
	case _IOC_NR(SSPI_IOC_ENCRYPT):
		return sspi_dev_crypt(file, SSPI_OP_ENCRYPT, (void __user *)arg);
	case _IOC_NR(SSPI_IOC_DECRYPT):
		return sspi_dev_crypt(file, SSPI_OP_DECRYPT, (void __user *)arg);
	case _IOC_NR(SSPI_IOC_SIGN):
		return sspi_dev_crypt(file, SSPI_OP_SIGN, (void __user *)arg);
	case _IOC_NR(SSPI_IOC_VERIFY):
		return sspi_dev_crypt(file, SSPI_OP_VERIFY, (void __user *)arg);
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
