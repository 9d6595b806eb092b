// SPDX-License-Identifier: GPL-2.0
/*
 * sspi_kmod: /dev/sspi, EncryptMessage, DecryptMessage, MakeSignature and
 * VerifySignature on user memory (Documentation/ioctl.rst).  No size limit
 * of netlink attributes here: buffers go up to SSPI_IOC_MAX_BYTES in all.
 *
 * The buffers are copied into one kernel allocation, the operation runs
 * there, and what the operation produced is copied back to where it came
 * from: output buffers of DecryptMessage point into the caller's input,
 * as SSPI's do.
 */

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/nsproxy.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <net/net_namespace.h>
#include <sspi_kmod/sspi.h>

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
	u8 *base[SSPI_MAX_BUFFERS];	/* where buffer i was copied to */
	u8 *mem;
	size_t total;
};

static int sspi_ioc_copy_in(struct sspi_ioc *io, const struct sspi_ioc_message *m)
{
	unsigned int i;
	u8 *p;

	if (copy_from_user(io->ubuf, u64_to_user_ptr(m->buffers),
			   m->count * sizeof(io->ubuf[0])))
		return -EFAULT;
	for (i = 0; i < m->count; i++) {
		/* each at most the limit, so the sum cannot wrap */
		if (io->ubuf[i].len > SSPI_IOC_MAX_BYTES - io->total)
			return -E2BIG;
		io->total += io->ubuf[i].len;
		if (io->ubuf[i].len && !io->ubuf[i].data)
			return -EFAULT;
	}
	io->mem = kmalloc(io->total ?: 1, GFP_KERNEL | __GFP_NOWARN);
	if (!io->mem)
		return -ENOMEM;
	p = io->mem;
	for (i = 0; i < m->count; i++) {
		u32 len = io->ubuf[i].len;

		if (copy_from_user(p, u64_to_user_ptr(io->ubuf[i].data), len))
			return -EFAULT;
		io->base[i] = p;
		io->kbuf[i] = (struct sspi_buffer){
			.type = io->ubuf[i].type,
			.len = len,
			.data = len ? p : NULL,
		};
		p += len;
	}
	return 0;
}

/* The caller's address of kernel byte @p, or 0 if it is none of theirs. */
static u64 sspi_ioc_user_addr(const struct sspi_ioc *io, unsigned int count,
			      const u8 *p, u32 len)
{
	unsigned int i;

	if (!p)
		return 0;
	for (i = 0; i < count; i++)
		if (p >= io->base[i] &&
		    p + len <= io->base[i] + io->ubuf[i].len)
			return io->ubuf[i].data + (p - io->base[i]);
	return 0;
}

/* Whether operation @cmd writes buffers of type @type. */
static bool sspi_ioc_written(unsigned int cmd, u32 type)
{
	switch (cmd) {
	case SSPI_IOC_ENCRYPT:
		return type != SSPI_SECBUFFER_EXTRA;
	case SSPI_IOC_DECRYPT:
		return type == SSPI_SECBUFFER_DATA;
	case SSPI_IOC_SIGN:
		return type == SSPI_SECBUFFER_TOKEN;
	default:
		return false;
	}
}

/*
 * The results: the bytes the operation wrote back where they belong --
 * every writable buffer of a sealed message, the plaintext (DATA) of an
 * unsealed one, the TOKEN of a signature, nothing of a verified one --
 * then the buffer array.
 */
static int sspi_ioc_copy_out(struct sspi_ioc *io, const struct sspi_ioc_message *m,
			     unsigned int cmd)
{
	struct sspi_ioc_buffer out[SSPI_MAX_BUFFERS];
	unsigned int i;

	for (i = 0; i < m->count; i++) {
		const struct sspi_buffer *b = &io->kbuf[i];
		u32 type = b->type & ~SSPI_SECBUFFER_ATTRMASK;
		u64 addr = sspi_ioc_user_addr(io, m->count, b->data, b->len);

		if (b->data && !addr)	/* a package bug: say so, write nothing */
			return -EIO;
		out[i] = (struct sspi_ioc_buffer){
			.type = b->type,
			.len = b->len,
			.data = addr,
		};
		if (!addr || (b->type & SSPI_SECBUFFER_ATTRMASK) ||
		    !sspi_ioc_written(cmd, type))
			continue;
		if (copy_to_user(u64_to_user_ptr(addr), b->data, b->len))
			return -EFAULT;
	}
	if (copy_to_user(u64_to_user_ptr(m->buffers), out,
			 m->count * sizeof(out[0])))
		return -EFAULT;
	return 0;
}

/*
 * Whether the kernel copy holds nothing secret after the operation: a
 * message sealed with encryption, no part of it left readable.  Anything
 * else is wiped when freed.
 */
static bool sspi_ioc_only_ciphertext(const struct sspi_ioc *io,
				     const struct sspi_ioc_message *m,
				     unsigned int cmd, int err)
{
	unsigned int i;

	if (cmd != SSPI_IOC_ENCRYPT || err || (m->qop & SSPI_SECQOP_WRAP_NO_ENCRYPT))
		return false;
	for (i = 0; i < m->count; i++) {
		switch (io->ubuf[i].type) {
		case SSPI_SECBUFFER_STREAM_HEADER:
		case SSPI_SECBUFFER_STREAM_TRAILER:
		case SSPI_SECBUFFER_TOKEN:
		case SSPI_SECBUFFER_PADDING:
		case SSPI_SECBUFFER_DATA:	/* sealed: no flags */
			break;
		case SSPI_SECBUFFER_EMPTY:
			if (!io->ubuf[i].len)
				break;
			fallthrough;
		default:
			return false;
		}
	}
	return true;
}

static long sspi_dev_crypt(struct file *file, unsigned int cmd,
			   struct sspi_ioc_message __user *uarg)
{
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

	io = kzalloc(sizeof(*io), GFP_KERNEL);
	if (!io) {
		err = -ENOMEM;
		goto out_ctx;
	}
	err = sspi_ioc_copy_in(io, &m);
	if (err)
		goto out;

	msg.count = m.count;
	msg.buffers = io->kbuf;
	if (!ctx)
		err = -ENOENT;
	else if (cmd == SSPI_IOC_ENCRYPT)
		err = sspi_encrypt(ctx, m.qop, &msg, m.seqno);
	else if (cmd == SSPI_IOC_DECRYPT)
		err = sspi_decrypt(ctx, &msg, m.seqno, &m.qop);
	else if (cmd == SSPI_IOC_SIGN)
		err = sspi_make_signature(ctx, m.qop, &msg, m.seqno);
	else
		err = sspi_verify_signature(ctx, &msg, m.seqno, &m.qop);
	m.status = sspi_status_from_errno(err);
	if (err >= 0 || err == -ENODATA) {
		int cerr = sspi_ioc_copy_out(io, &m, cmd);

		if (cerr) {
			err = cerr;
			m.status = sspi_status_from_errno(err);
		}
	}
	if (copy_to_user(uarg, &m, min_t(u32, usize, sizeof(m))))
		err = -EFAULT;
out:
	if (sspi_ioc_only_ciphertext(io, &m, cmd, err))
		kfree(io->mem);
	else
		kfree_sensitive(io->mem);
	kfree(io);
out_ctx:
	if (ctx)
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
		return sspi_dev_crypt(file, SSPI_IOC_ENCRYPT, (void __user *)arg);
	case _IOC_NR(SSPI_IOC_DECRYPT):
		return sspi_dev_crypt(file, SSPI_IOC_DECRYPT, (void __user *)arg);
	case _IOC_NR(SSPI_IOC_SIGN):
		return sspi_dev_crypt(file, SSPI_IOC_SIGN, (void __user *)arg);
	case _IOC_NR(SSPI_IOC_VERIFY):
		return sspi_dev_crypt(file, SSPI_IOC_VERIFY, (void __user *)arg);
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
