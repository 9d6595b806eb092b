// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libsspi: the reason the last failing call gives, one per thread.
 */
#include <stdarg.h>
#include <stdio.h>

#include "internal.h"

static __thread char last_error[512];

const char *sspi_error(void)
{
	return last_error[0] ? last_error : "no error";
}

int sspi_set_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_error, sizeof(last_error), fmt, ap);
	va_end(ap);
	return -1;
}
