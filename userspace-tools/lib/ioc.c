// SPDX-License-Identifier: GPL-2.0
/*
 * libsspi: EncryptMessage, DecryptMessage, MakeSignature and
 * VerifySignature through /dev/sspi (SSPI_IOC_ENCRYPT, _DECRYPT, _SIGN,
 * _VERIFY): the buffers stay in this process's memory and the kernel
 * works on them in place.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "internal.h"

#define SSPI_DEV_PATH	"/dev/" SSPI_DEV_NAME

static int ioc_fd = -1;

static const struct {
	__u8 cmd;
	unsigned long req;
	const char *name;
	bool qop_out;	/* the kernel says the message's QOP */
} ioc_ops[] = {
	{ SSPI_CMD_ENCRYPT, SSPI_IOC_ENCRYPT, "SSPI_IOC_ENCRYPT", false },
	{ SSPI_CMD_DECRYPT, SSPI_IOC_DECRYPT, "SSPI_IOC_DECRYPT", true },
	{ SSPI_CMD_SIGN, SSPI_IOC_SIGN, "SSPI_IOC_SIGN", false },
	{ SSPI_CMD_VERIFY, SSPI_IOC_VERIFY, "SSPI_IOC_VERIFY", true },
};

static int ioc_open(void)
{
	if (ioc_fd < 0) {
		ioc_fd = open(SSPI_DEV_PATH, O_RDWR | O_CLOEXEC);
		if (ioc_fd < 0) {
			return sspi_set_error("%s: %s", SSPI_DEV_PATH,
					      strerror(errno));
		}
	}
	return 0;
}

static int ioc_op(__u8 cmd)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ioc_ops); i++)
		if (ioc_ops[i].cmd == cmd)
			return i;
	return sspi_set_error("/dev/sspi: no ioctl for command %u", cmd);
}

/* @m as the kernel takes it: @im, its buffers in @b */
static void ioc_fill(struct sspi_ioc_message *im, struct sspi_ioc_buffer *b,
		     const struct sspi_msg *m)
{
	unsigned int i;

	memset(im, 0, sizeof(*im));
	memset(b, 0, SSPI_MAX_BUFS * sizeof(*b));
	im->size = sizeof(*im);
	im->flags = m->ioc_flags;
	im->handle = m->handle;
	im->qop = m->qop;
	im->seqno = m->seqno;
	im->status = SSPI_STATUS_NONE;
	im->count = m->count;
	im->buffers = (uintptr_t)b;
	for (i = 0; i < m->count && i < SSPI_MAX_BUFS; i++) {
		b[i].type = m->buf[i].type;
		b[i].len = m->buf[i].len;
		b[i].data = (uintptr_t)m->buf[i].data;
	}
}

/* The kernel's results for @m, which returned @ret: 0, or -1 without a status */
static int ioc_results(struct sspi_msg *m, const struct sspi_ioc_message *im,
		       const struct sspi_ioc_buffer *b, int ret, int op)
{
	unsigned int i;

	if (ret < 0 && im->status == SSPI_STATUS_NONE)
		return sspi_set_error("%s: %s", ioc_ops[op].name, strerror(errno));
	if (ret == 0 && im->status == SSPI_STATUS_NONE)
		return sspi_set_error("%s: no status", ioc_ops[op].name);
	m->status = im->status;
	if (ioc_ops[op].qop_out)
		m->qop = im->qop;
	if (ret < 0 && im->status != SSPI_SEC_E_INCOMPLETE_MESSAGE) {
		m->count = 0;
		return 0;
	}
	for (i = 0; i < m->count; i++) {
		m->buf[i].type = b[i].type;
		m->buf[i].len = b[i].len;
		m->buf[i].data = (__u8 *)(uintptr_t)b[i].data;
	}
	return 0;
}

/*
 * As sspi_nl_message() for @cmd (SSPI_CMD_ENCRYPT, _DECRYPT, _SIGN or _VERIFY):
 * 0 with m->status set (and m->buf[] as the kernel left it, pointing into
 * the caller's memory, when the status says so), -1 when the request
 * reached no context (sspi_error() says why).
 */
int sspi_ioc_message(__u8 cmd, struct sspi_msg *m)
{
	struct sspi_ioc_buffer b[SSPI_MAX_BUFS];
	struct sspi_ioc_message im;
	int op = ioc_op(cmd);
	int ret;

	if (op < 0 || ioc_open())
		return -1;
	ioc_fill(&im, b, m);
	ret = ioctl(ioc_fd, ioc_ops[op].req, &im);
	if (ret < 0 && im.status != SSPI_STATUS_NONE) {
		/* a status, and in words what the kernel said: e.g. EFAULT */
		sspi_set_error("%s: %s", ioc_ops[op].name, strerror(errno));
		sspi_set_error_status(im.status);
	}
	return ioc_results(m, &im, b, ret, op);
}

int sspi_message_batch(__u8 cmd, struct sspi_msg *m, unsigned int n,
		       unsigned int flags, unsigned int *done)
{
	struct sspi_ioc_batch batch;
	struct sspi_ioc_message *im;
	struct sspi_ioc_buffer *b;
	int op = ioc_op(cmd), ret, saved;
	unsigned int i;

	*done = 0;
	if (op < 0 || ioc_open())
		return -1;
	if (!n || n > SSPI_IOC_MAX_BATCH)
		return sspi_set_error("SSPI_IOC_BATCH: %u messages (1 to %u)", n,
				      SSPI_IOC_MAX_BATCH);
	im = calloc(n, sizeof(*im));
	b = calloc((size_t)n * SSPI_MAX_BUFS, sizeof(*b));
	if (!im || !b) {
		free(im);
		free(b);
		return sspi_set_error("SSPI_IOC_BATCH: out of memory");
	}
	for (i = 0; i < n; i++)
		ioc_fill(&im[i], &b[i * SSPI_MAX_BUFS], &m[i]);
	memset(&batch, 0, sizeof(batch));
	batch.size = sizeof(batch);
	batch.flags = flags;
	batch.op = _IOC_NR(ioc_ops[op].req);
	batch.count = n;
	batch.messages = (uintptr_t)im;
	ret = ioctl(ioc_fd, SSPI_IOC_BATCH, &batch);
	saved = errno;
	if (ret < 0 && !batch.done) {
		ret = sspi_set_error("SSPI_IOC_BATCH: %s", strerror(saved));
		goto out;
	}
	ret = 0;
	for (i = 0; i < batch.done; i++) {
		if (im[i].status == SSPI_STATUS_NONE) {
			/* refused before its context: its own structure */
			m[i].status = SSPI_STATUS_NONE;
			m[i].count = 0;
			sspi_set_error("SSPI_IOC_BATCH: message %u: %s", i, strerror(saved));
			continue;
		}
		ioc_results(&m[i], &im[i], &b[i * SSPI_MAX_BUFS],
			    SSPI_STATUS_FAILED(im[i].status) ? -1 : 0, op);
	}
	*done = batch.done;
out:
	free(im);
	free(b);
	return ret;
}
