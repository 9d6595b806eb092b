// SPDX-License-Identifier: GPL-2.0
/*
 * sspictl and sspi-gss: messages on stderr, "PROG: " first, and the
 * global options both have.
 */
#include <stdarg.h>

#include "sspictl.h"

bool opt_json;
bool opt_stats;
bool opt_ioctl;
bool opt_verbose;
bool err_quiet;

static void say(const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", prog_name);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void err_msg(const char *fmt, ...)
{
	va_list ap;

	if (err_quiet)
		return;
	va_start(ap, fmt);
	say(fmt, ap);
	va_end(ap);
}

/* Say what is wrong and how it is used; the usage exit status */
int usage_error(const char *usage, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(fmt, ap);
	va_end(ap);
	if (usage)
		fputs(usage, stderr);
	return EXIT_USAGE;
}

/* -v: what happens, on stderr */
void verbose(const char *fmt, ...)
{
	va_list ap;

	if (!opt_verbose)
		return;
	va_start(ap, fmt);
	say(fmt, ap);
	va_end(ap);
}

int lib_err(void)
{
	err_msg("%s", sspi_error());
	return -1;
}

int lib_fail(void)
{
	lib_err();
	return EXIT_FAIL;
}
