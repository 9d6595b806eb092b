// SPDX-License-Identifier: GPL-2.0
/*
 * sspictl: values on the command line -- hex strings (strict: an even
 * number of hex digits, nothing else), numbers and context handles (any
 * form strtoull's base 0 takes, the whole argument).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sspictl.h"

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* 0, or -1 if @s is not hex or decodes to more than @max bytes */
int parse_hex(const char *s, u8 *buf, size_t max, size_t *len)
{
	size_t n = strlen(s), i;

	if (!n || n % 2 || n / 2 > max)
		return -1;
	for (i = 0; i < n / 2; i++) {
		int hi = hex_digit(s[2 * i]), lo = hex_digit(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		buf[i] = hi << 4 | lo;
	}
	*len = n / 2;
	return 0;
}

int parse_u64(const char *s, u64 *v)
{
	unsigned long long x;
	char *end;

	/* strtoull takes "-1" as ULLONG_MAX: refuse signs */
	if (!*s || strchr(s, '-') || strchr(s, '+'))
		return -1;
	errno = 0;
	x = strtoull(s, &end, 0);
	if (errno || *end)
		return -1;
	*v = x;
	return 0;
}

int parse_u32(const char *s, u32 *v)
{
	u64 x;

	if (parse_u64(s, &x) || x > UINT32_MAX)
		return -1;
	*v = x;
	return 0;
}

int parse_handle(const char *s, u64 *handle)
{
	return parse_u64(s, handle);
}

void print_hex(FILE *f, const u8 *b, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		fprintf(f, "%02x", b[i]);
}

bool is_help(const char *arg)
{
	return !strcmp(arg, "help") || !strcmp(arg, "-h") ||
	       !strcmp(arg, "--help");
}

static const struct opt *find_opt(const struct opt *opts, size_t n,
				  const char *arg, size_t len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strlen(opts[i].name) == len &&
		    !strncmp(opts[i].name, arg, len))
			return &opts[i];
	return NULL;
}

/*
 * The options of @opts anywhere in @argv, as "--name VALUE" or
 * "--name=VALUE"; other words go to @pos, at most @max_pos of them.
 * Returns 0, EXIT_USAGE after saying why, or -1 when help was asked for
 * (and printed).
 */
int parse_opts(int argc, char **argv, const struct opt *opts, size_t n_opts,
	       char **pos, int max_pos, int *n_pos, const char *usage)
{
	int i;

	*n_pos = 0;
	for (i = 0; i < argc; i++) {
		const char *arg = argv[i], *eq = strchr(arg, '=');
		const struct opt *o;

		if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
			fputs(usage, stdout);
			return -1;
		}
		if (arg[0] != '-' || !arg[1]) {
			if (*n_pos >= max_pos)
				return usage_error(usage, "unexpected argument %s", arg);
			pos[(*n_pos)++] = argv[i];
			continue;
		}
		o = find_opt(opts, n_opts, arg, eq ? (size_t)(eq - arg) : strlen(arg));
		if (!o)
			return usage_error(usage, "unknown option %s", arg);
		if (o->flag) {
			if (eq)
				return usage_error(usage, "%s takes no value", o->name);
			*o->flag = true;
			continue;
		}
		if (*o->arg)
			return usage_error(usage, "%s given twice", o->name);
		if (eq) {
			*o->arg = eq + 1;
		} else {
			if (i + 1 >= argc)
				return usage_error(usage, "%s needs a value", o->name);
			*o->arg = argv[++i];
		}
	}
	return 0;
}
