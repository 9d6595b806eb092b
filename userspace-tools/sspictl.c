// SPDX-License-Identifier: GPL-2.0
/*
 * sspictl: control and data-path tool for sspi_kmod, in the manner of
 * iproute2: "sspictl [-j] OBJECT COMMAND [ARGS]".
 *
 *   sspictl version			module and tool versions
 *   sspictl status [CODE|NAME]...	SSPI status codes and their names
 *
 * Exit status: 0 success, 1 failure (the reason on stderr), 2 usage.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sspictl.h"

#define SSPICTL_VERSION "0.1.0"
#define SYSFS_MODULE "/sys/module/sspi_kmod"

bool opt_json;

static void usage(FILE *f)
{
	fputs("Usage: sspictl [-j] OBJECT COMMAND [ARGS]\n"
	      "  sspictl version\n"
	      "  sspictl status [CODE|NAME]...\n"
	      "options:\n"
	      "  -j, --json    JSON output\n", f);
}

static int read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	if (!f)
		return -errno;
	if (!fgets(buf, len, f)) {
		fclose(f);
		return -EIO;
	}
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

static int cmd_version(int argc, char **argv)
{
	char mod[64];
	int err;

	(void)argv;
	if (argc) {
		usage(stderr);
		return 2;
	}
	err = read_line(SYSFS_MODULE "/version", mod, sizeof(mod));
	if (err == -ENOENT) {
		fprintf(stderr, "sspictl: sspi_kmod is not loaded\n");
		return 1;
	}
	if (err) {
		fprintf(stderr, "sspictl: %s/version: %s\n", SYSFS_MODULE, strerror(-err));
		return 1;
	}
	if (opt_json) {
		printf("{\"sspictl\":\"%s\",\"module\":", SSPICTL_VERSION);
		json_string(stdout, mod);
		printf("}\n");
	} else {
		printf("sspictl %s\nsspi_kmod %s\n", SSPICTL_VERSION, mod);
	}
	return 0;
}

static void print_status(const struct sspi_status_info *s, bool first)
{
	if (opt_json)
		printf("%s{\"name\":\"%s\",\"value\":%u}", first ? "" : ",",
		       s->name, s->status);
	else
		printf("%-28s 0x%08X\n", s->name, s->status);
}

static int cmd_status(int argc, char **argv)
{
	const struct sspi_status_info *t;
	size_t i, n, shown = 0;
	int ret = 0;

	if (opt_json)
		printf("[");
	if (!argc) {
		t = sspi_status_table(&n);
		for (i = 0; i < n; i++)
			print_status(&t[i], shown++ == 0);
	}
	for (i = 0; i < (size_t)argc; i++) {
		char *end;
		unsigned long v = strtoul(argv[i], &end, 0);

		t = *end ? sspi_status_by_name(argv[i]) : sspi_status_by_value(v);
		if (!t) {
			fprintf(stderr, "sspictl: unknown status %s\n", argv[i]);
			ret = 1;
			continue;
		}
		print_status(t, shown++ == 0);
	}
	if (opt_json)
		printf("]\n");
	return ret;
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} objects[] = {
	{ "version", cmd_version },
	{ "status", cmd_status },
};

int main(int argc, char **argv)
{
	size_t i;

	argc--, argv++;
	while (argc && argv[0][0] == '-') {
		if (!strcmp(argv[0], "-j") || !strcmp(argv[0], "--json")) {
			opt_json = true;
		} else if (!strcmp(argv[0], "-h") || !strcmp(argv[0], "--help")) {
			usage(stdout);
			return 0;
		} else {
			fprintf(stderr, "sspictl: unknown option %s\n", argv[0]);
			usage(stderr);
			return 2;
		}
		argc--, argv++;
	}
	if (!argc) {
		usage(stderr);
		return 2;
	}
	for (i = 0; i < ARRAY_SIZE(objects); i++)
		if (!strcmp(argv[0], objects[i].name))
			return objects[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "sspictl: unknown object %s\n", argv[0]);
	usage(stderr);
	return 2;
}
