// SPDX-License-Identifier: GPL-2.0
/*
 * sspictl: control and data-path tool for sspi_kmod, in the manner of
 * iproute2: "sspictl [-j] OBJECT COMMAND [ARGS]".
 *
 *   sspictl version			module and tool versions
 *   sspictl status [CODE|NAME]...	SSPI status codes and their names
 *   sspictl pkg list			security packages (ctx.c)
 *   sspictl ctx import|list|show|delete|update-keys	contexts (ctx.c, and
 *					the package's file: pkgs.c)
 *   sspictl seal|unseal HANDLE		the data path (seal.c, and the
 *					package's: tls_seal.c, token.c; the
 *					packages: tls.c, krb5.c, ntlm.c,
 *					negotiate.c)
 *   sspictl sign|verify HANDLE		signatures (token.c)
 *   sspictl tls derive ...		TLS keys from a key log, printed (tls.c)
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

const char prog_name[] = "sspictl";

static const char main_usage[] =
	"Usage: sspictl [OPTIONS] OBJECT COMMAND [ARGS]\n"
	"  sspictl version\n"
	"  sspictl status [CODE|NAME]...\n"
	"  sspictl pkg list\n"
	"  sspictl ctx import tls KEYS [--lifetime SECONDS] [--print-keys]\n"
	"  sspictl ctx import kerberos --enctype N --key HEX --initiator|--acceptor\n"
	"          [--acceptor-subkey HEX] [--send-seq N] [--recv-seq N]\n"
	"          [--flags replay,sequence,dce] [--endtime UNIX|--lifetime SECONDS]\n"
	"  sspictl ctx import ntlm --session-key HEX --flags N --initiator|--acceptor\n"
	"          [--datagram] [--send-seq N] [--recv-seq N] [--lifetime SECONDS]\n"
	"  sspictl ctx import negotiate --mech ntlm|kerberos MECHANISM-OPTIONS\n"
	"  sspictl ctx list\n"
	"  sspictl ctx show HANDLE\n"
	"  sspictl ctx delete HANDLE\n"
	"  sspictl ctx update-keys HANDLE --tx|--rx KEYS\n"
	"  sspictl seal HANDLE [--qop N]     stdin to records (Kerberos, NTLM: a token) on stdout\n"
	"  sspictl unseal HANDLE             records (Kerberos, NTLM: a token) on stdin to stdout\n"
	"  sspictl sign HANDLE [--qop N]     the signature of stdin, in hex\n"
	"  sspictl verify HANDLE --token HEX check the signature of stdin\n"
	"  sspictl tls derive KEYS           the keys an import would use\n"
	"  sspictl help [OBJECT]\n"
	"options:\n"
	"  -j, --json    JSON output\n"
	"  -s, --stats   ctx list, ctx show: the counters of each context too\n"
	"  --ioctl       seal, unseal, sign and verify through /dev/sspi, not netlink\n"
	"  -v, --verbose say more on stderr (unseal: an unencrypted token)\n"
	"OBJECT --help (or help OBJECT) describes an object's commands.\n"
	"Exit status: 0 success, 1 failure (the reason on stderr), 2 usage.\n";

static void usage(FILE *f)
{
	fputs(main_usage, f);
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

static int cmd_help(int argc, char **argv);

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} objects[] = {
	{ "version", cmd_version },
	{ "status", cmd_status },
	{ "pkg", cmd_pkg },
	{ "ctx", cmd_ctx },
	{ "seal", cmd_seal },
	{ "unseal", cmd_unseal },
	{ "sign", cmd_sign },
	{ "verify", cmd_verify },
	{ "tls", cmd_tls },
	{ "help", cmd_help },
};

static int cmd_help(int argc, char **argv)
{
	static const char * const help_args[] = { "--help", NULL };
	size_t i;

	if (!argc || !strcmp(argv[0], "help")) {
		usage(stdout);
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(objects); i++)
		if (!strcmp(argv[0], objects[i].name) &&
		    objects[i].fn != cmd_version && objects[i].fn != cmd_status)
			return objects[i].fn(1, (char **)help_args);
	usage(stdout);
	return 0;
}

/*
 * A command's exit status, unless what it printed did not reach standard
 * output (a full disk, a closed pipe): then that is a failure too.
 */
static int finish(int ret)
{
	if (!fflush(stdout) && !ferror(stdout))
		return ret;
	fprintf(stderr, "sspictl: writing standard output: %s\n",
		strerror(errno));
	return ret ? ret : EXIT_FAIL;
}

int main(int argc, char **argv)
{
	size_t i;

	argc--, argv++;
	while (argc && argv[0][0] == '-') {
		if (!strcmp(argv[0], "-h") || !strcmp(argv[0], "--help")) {
			usage(stdout);
			return 0;
		}
		if (!strcmp(argv[0], "-j") || !strcmp(argv[0], "--json")) {
			opt_json = true;
		} else if (!strcmp(argv[0], "-s") ||
			   !strcmp(argv[0], "--stats")) {
			opt_stats = true;
		} else if (!strcmp(argv[0], "--ioctl")) {
			opt_ioctl = true;
		} else if (!strcmp(argv[0], "-v") ||
			   !strcmp(argv[0], "--verbose")) {
			opt_verbose = true;
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
			return finish(objects[i].fn(argc - 1, argv + 1));
	fprintf(stderr, "sspictl: unknown object %s\n", argv[0]);
	usage(stderr);
	return 2;
}
