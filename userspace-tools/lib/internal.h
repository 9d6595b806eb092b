/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libsspi: what its files share and do not export.
 */
#ifndef LIBSSPI_INTERNAL_H
#define LIBSSPI_INTERNAL_H

#include <sspi_kmod/libsspi.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define __printf(a, b) __attribute__((__format__(printf, a, b)))
#define LIBSSPI_LOCAL __attribute__((visibility("hidden")))

/* err.c: the message sspi_error() returns; always returns -1 */
LIBSSPI_LOCAL __printf(1, 2) int sspi_set_error(const char *fmt, ...);
/* after sspi_set_error(): the failure was the kernel's @status */
LIBSSPI_LOCAL void sspi_set_error_status(__u32 status);

/* nl.c: requests and replies of the "sspi" family */
struct nl_msg;
struct nlattr;

typedef int (*sspi_nl_reply_fn)(struct nlattr **tb, struct nlattr *attrs,
				int len, void *arg);

LIBSSPI_LOCAL int sspi_nl_open(void);
LIBSSPI_LOCAL struct nl_msg *sspi_nl_request(__u8 cmd, int flags,
					     size_t size);
LIBSSPI_LOCAL int sspi_nl_exchange(struct nl_msg *msg, sspi_nl_reply_fn fn,
				   void *arg);
LIBSSPI_LOCAL int sspi_nl_message(__u8 cmd, struct sspi_msg *m);

/* ioc.c: /dev/sspi */
LIBSSPI_LOCAL int sspi_ioc_message(__u8 cmd, struct sspi_msg *m);

#endif
