// SPDX-License-Identifier: GPL-2.0
/*
 * libsspi: the reason the last failing call gives, one per thread.
 */
#include <stdarg.h>
#include <stdio.h>

#include "internal.h"

static __thread char last_error[512];
static __thread __u32 last_status;

const char *sspi_error(void)
{
	return last_error[0] ? last_error : "no error";
}

__u32 sspi_error_status(void)
{
	return last_status;
}

int sspi_set_error(const char *fmt, ...)
{
	va_list ap;

	last_status = SSPI_SEC_E_INTERNAL_ERROR;
	va_start(ap, fmt);
	vsnprintf(last_error, sizeof(last_error), fmt, ap);
	va_end(ap);
	return -1;
}

void sspi_set_error_status(__u32 status)
{
	last_status = status;
}
