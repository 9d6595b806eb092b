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
	unsigned long req = 0;
	const char *what = NULL;
	bool qop_out = false;
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(ioc_ops); i++) {
		if (ioc_ops[i].cmd == cmd) {
			req = ioc_ops[i].req;
			what = ioc_ops[i].name;
			qop_out = ioc_ops[i].qop_out;
		}
	}
	if (!what) {
		return sspi_set_error("/dev/sspi: no ioctl for command %u", cmd);
	}
	if (ioc_fd < 0) {
		ioc_fd = open(SSPI_DEV_PATH, O_RDWR | O_CLOEXEC);
		if (ioc_fd < 0) {
			return sspi_set_error("%s: %s", SSPI_DEV_PATH,
					      strerror(errno));
		}
	}
	memset(&im, 0, sizeof(im));
	memset(b, 0, sizeof(b));
	im.size = sizeof(im);
	im.handle = m->handle;
	im.qop = m->qop;
	im.seqno = m->seqno;
	im.status = SSPI_STATUS_NONE;
	im.count = m->count;
	im.buffers = (uintptr_t)b;
	for (i = 0; i < m->count; i++) {
		b[i].type = m->buf[i].type;
		b[i].len = m->buf[i].len;
		b[i].data = (uintptr_t)m->buf[i].data;
	}

	ret = ioctl(ioc_fd, req, &im);
	if (ret < 0 && im.status == SSPI_STATUS_NONE)
		return sspi_set_error("%s: %s", what, strerror(errno));
	if (ret == 0 && im.status == SSPI_STATUS_NONE)
		return sspi_set_error("%s: no status", what);
	m->status = im.status;
	if (qop_out)
		m->qop = im.qop;
	if (ret < 0 && im.status != SSPI_SEC_E_INCOMPLETE_MESSAGE) {
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
