// SPDX-License-Identifier: GPL-2.0
/*
 * sspictl: the little JSON output -j needs.  json_string() writes one
 * string anywhere; the json_open()..json_close() family writes one
 * document on stdout, putting the commas between members and elements.
 */

#include "sspictl.h"

#define JSON_DEPTH 16

static bool json_first[JSON_DEPTH];
static int json_depth;
static bool json_keyed;

void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* Before a value or a key: the comma, unless it is the first */
static void json_sep(void)
{
	if (json_keyed) {
		json_keyed = false;
		return;
	}
	if (json_depth && !json_first[json_depth])
		putchar(',');
	json_first[json_depth] = false;
}

void json_open(char bracket)
{
	json_sep();
	putchar(bracket);
	if (json_depth < JSON_DEPTH - 1)
		json_depth++;
	json_first[json_depth] = true;
}

void json_close(char bracket)
{
	putchar(bracket);
	if (json_depth)
		json_depth--;
	if (!json_depth)
		putchar('\n');
}

void json_key(const char *key)
{
	json_sep();
	json_string(stdout, key);
	putchar(':');
	json_keyed = true;
}

void json_str(const char *s)
{
	json_sep();
	json_string(stdout, s);
}

void json_uint(u64 v)
{
	json_sep();
	printf("%llu", v);
}

void json_bool(bool v)
{
	json_sep();
	fputs(v ? "true" : "false", stdout);
}

void json_hex(const u8 *b, size_t len)
{
	json_sep();
	putchar('"');
	print_hex(stdout, b, len);
	putchar('"');
}

void json_handle(u64 handle)
{
	json_sep();
	printf("\"0x%016llx\"", handle);
}
