// SPDX-License-Identifier: GPL-2.0
/*
 * sspictl: packages and contexts over netlink.
 *
 *   sspictl pkg list
 *   sspictl ctx import PACKAGE ...	(the package's, pkgs.c)
 *   sspictl ctx list
 *   sspictl ctx show HANDLE
 *   sspictl ctx delete HANDLE
 *   sspictl ctx update-keys HANDLE ...	(the package's, pkgs.c)
 */
#include <string.h>
#include <strings.h>

#include "sspictl.h"

static const char pkg_usage[] =
	"Usage: sspictl [-j] pkg list\n"
	"  the registered security packages, their capabilities and comments\n";

static const char ctx_usage[] =
	"Usage: sspictl [-j] [-s] ctx COMMAND\n"
	"  ctx import tls OPTIONS        import a TLS-record context; prints its handle\n"
	"                                (sspictl ctx import tls --help)\n"
	"  ctx import kerberos OPTIONS   import an RFC 4121 context; prints its handle\n"
	"                                (sspictl ctx import kerberos --help)\n"
	"  ctx import ntlm OPTIONS       import an NTLM session; prints its handle\n"
	"                                (sspictl ctx import ntlm --help)\n"
	"  ctx import negotiate --mech ntlm|kerberos OPTIONS\n"
	"                                a Negotiate context of that mechanism\n"
	"                                (sspictl ctx import negotiate --help)\n"
	"  ctx list                      every context this user may use\n"
	"  ctx show HANDLE               one context (a Negotiate one: and the\n"
	"                                negotiated package)\n"
	"  ctx delete HANDLE             delete a context\n"
	"  ctx update-keys HANDLE --tx|--rx OPTIONS\n"
	"                                new keys for one direction\n"
	"                                (sspictl ctx update-keys --help)\n"
	"HANDLE: a number in any C form (0x..., decimal, 0...)\n"
	"-s, --stats: list and show print each context's counters too\n";

/* Packages */

static const char * const cap_names[] = {
	"encrypt", "decrypt", "sign", "verify", "update-keys",
};

static int pkg_print(const struct sspi_pkg_info *p, void *arg)
{
	const char *name = p->name, *comment = p->comment;
	u32 caps = p->caps;
	bool first = true;
	unsigned int i;

	(void)arg;

	if (opt_json) {
		json_open('{');
		json_key("name");
		json_str(name);
		json_key("comment");
		json_str(comment);
		json_key("caps");
		json_open('[');
		for (i = 0; i < ARRAY_SIZE(cap_names); i++)
			if (caps & (1u << i))
				json_str(cap_names[i]);
		json_close(']');
		json_close('}');
		return 0;
	}
	printf("%s caps ", name);
	for (i = 0; i < ARRAY_SIZE(cap_names); i++) {
		if (!(caps & (1u << i)))
			continue;
		printf("%s%s", first ? "" : ",", cap_names[i]);
		first = false;
	}
	if (caps & ~((1u << ARRAY_SIZE(cap_names)) - 1))
		printf("%s0x%x", first ? "" : ",",
		       caps & ~((1u << ARRAY_SIZE(cap_names)) - 1));
	else if (first)
		printf("none");
	printf("\n\t%s\n", comment);
	return 0;
}

int cmd_pkg(int argc, char **argv)
{
	int ret;

	if (argc && is_help(argv[0])) {
		fputs(pkg_usage, stdout);
		return 0;
	}
	if (argc != 1 || strcmp(argv[0], "list"))
		return usage_error(pkg_usage, argc ? "unknown pkg command %s" :
				   "pkg: no command%s", argc ? argv[0] : "");
	/* nothing on stdout, not even [], without the module */
	if (sspi_open())
		return lib_fail();
	if (opt_json)
		json_open('[');
	ret = sspi_pkg_list(pkg_print, NULL);
	if (opt_json)
		json_close(']');
	return ret ? lib_fail() : 0;
}

/* Contexts */

/* The context's protocol version, as its package names it */
static const char *protocol_name(const struct sspi_ctx_info *ci)
{
	const struct sspictl_pkg *pkg = pkg_by_name(ci->package);
	static char buf[16];

	if (!ci->protocol)
		return "-";
	if (pkg && pkg->protocol_name)
		return pkg->protocol_name(ci->protocol);
	snprintf(buf, sizeof(buf), "0x%04x", ci->protocol);
	return buf;
}

static const struct {
	int attr;
	const char *json;
	const char *text;
} size_names[] = {
	{ SSPI_SIZES_STREAM_HEADER, "header", "header" },
	{ SSPI_SIZES_STREAM_TRAILER, "trailer", "trailer" },
	{ SSPI_SIZES_MAX_MESSAGE, "max_message", "max-message" },
	{ SSPI_SIZES_BUFFERS, "buffers", "buffers" },
	{ SSPI_SIZES_MAX_TOKEN, "max_token", "max-token" },
	{ SSPI_SIZES_MAX_SIGNATURE, "max_signature", "max-signature" },
	{ SSPI_SIZES_BLOCK_SIZE, "block_size", "block-size" },
	{ SSPI_SIZES_SECURITY_TRAILER, "security_trailer", "security-trailer" },
};

/* A status by its name, or in hex when the library does not know it */
static const char *status_text(u32 status)
{
	static char buf[16];
	const char *name = sspi_status_name(status);

	if (name)
		return name;
	snprintf(buf, sizeof(buf), "0x%08x", status);
	return buf;
}

static void dir_stats_print(const char *dir, const struct sspi_ctx_dir_stats *ds)
{
	unsigned int i;

	if (opt_json) {
		json_key(dir);
		json_open('{');
		json_key("messages");
		json_uint(ds->messages);
		json_key("bytes");
		json_uint(ds->bytes);
		json_key("failed");
		json_open('{');
		for (i = 0; i < ds->nfailed; i++) {
			json_key(status_text(ds->failed[i].status));
			json_uint(ds->failed[i].count);
		}
		json_close('}');
		json_close('}');
		return;
	}
	printf("	%s messages %llu bytes %llu failed", dir, ds->messages,
	       ds->bytes);
	for (i = 0; i < ds->nfailed; i++)
		printf(" %s %llu", status_text(ds->failed[i].status),
		       ds->failed[i].count);
	printf("%s\n", ds->nfailed ? "" : " 0");
}

/* The counts of both directions, with -s, when the kernel sent them */
static void stats_print(const struct sspi_ctx_info *ci)
{
	if (!opt_stats || !ci->has_stats)
		return;
	if (opt_json) {
		json_key("stats");
		json_open('{');
	}
	dir_stats_print("tx", &ci->tx_stats);
	dir_stats_print("rx", &ci->rx_stats);
	if (opt_json)
		json_close('}');
}

static void ctx_print(const struct sspi_ctx_info *ci)
{
	size_t i;

	if (opt_json) {
		json_open('{');
		json_key("handle");
		json_handle(ci->handle);
		json_key("package");
		json_str(ci->package);
		if (ci->negotiated[0]) {
			json_key("negotiated");
			json_str(ci->negotiated);
		}
		json_key("owner");
		json_uint(ci->owner);
		json_key("expiry");
		json_uint(ci->expiry);
		if (ci->expired) {
			/* the rest is gone with it */
			json_key("expired");
			json_bool(true);
			stats_print(ci);
			json_close('}');
			return;
		}
		json_key("protocol");
		json_str(protocol_name(ci));
		json_key("cipher");
		json_str(ci->cipher);
		json_key("tx_driver");
		json_str(ci->tx_driver);
		json_key("rx_driver");
		json_str(ci->rx_driver);
		json_key("tx_seq");
		json_uint(ci->tx_seq);
		json_key("rx_seq");
		json_uint(ci->rx_seq);
		json_key("sizes");
		json_open('{');
		for (i = 0; i < ARRAY_SIZE(size_names); i++) {
			json_key(size_names[i].json);
			json_uint(ci->sizes[size_names[i].attr]);
		}
		json_close('}');
		stats_print(ci);
		json_key("key_bits");
		json_uint(ci->key_bits);
		json_close('}');
		return;
	}
	printf("handle 0x%016llx package %s ", ci->handle, ci->package);
	if (ci->negotiated[0])
		printf("negotiated %s ", ci->negotiated);
	printf("owner %u expiry ", ci->owner);
	if (ci->expired) {
		printf("%llu expired\n", ci->expiry);
		stats_print(ci);
		return;
	}
	if (ci->expiry)
		printf("%llu\n", ci->expiry);
	else
		printf("never\n");
	printf("\tprotocol %s cipher %s\n", protocol_name(ci),
	       ci->cipher[0] ? ci->cipher : "-");
	printf("\ttx seq %llu driver %s\n", ci->tx_seq,
	       ci->tx_driver[0] ? ci->tx_driver : "-");
	printf("\trx seq %llu driver %s\n", ci->rx_seq,
	       ci->rx_driver[0] ? ci->rx_driver : "-");
	printf("\tsizes");
	for (i = 0; i < ARRAY_SIZE(size_names); i++)
		printf(" %s %u", size_names[i].text,
		       ci->sizes[size_names[i].attr]);
	printf("\n");
	stats_print(ci);
	printf("\tkey-bits %u\n", ci->key_bits);
}

static int ctx_print_one(const struct sspi_ctx_info *ci, void *arg)
{
	(void)arg;
	ctx_print(ci);
	return 0;
}

/* CTX_GET for one context: 0, or -1 after saying why not */
int ctx_query(u64 handle, struct sspi_ctx_info *info)
{
	if (sspi_ctx_get(handle, info))
		return lib_err();
	return 0;
}

static int ctx_list(int argc, char **argv)
{
	int ret;

	if (argc == 1 && is_help(argv[0])) {
		fputs(ctx_usage, stdout);
		return 0;
	}
	if (argc)
		return usage_error(ctx_usage, "ctx list takes no arguments");
	/* nothing on stdout, not even [], without the module */
	if (sspi_open())
		return lib_fail();
	if (opt_json)
		json_open('[');
	ret = sspi_ctx_list(ctx_print_one, NULL);
	if (opt_json)
		json_close(']');
	return ret ? lib_fail() : 0;
}

static int one_handle(int argc, char **argv, const char *cmd,
		      u64 *handle)
{
	if (argc == 1 && is_help(argv[0])) {
		fputs(ctx_usage, stdout);
		return -1;
	}
	if (argc != 1)
		return usage_error(ctx_usage, "ctx %s takes one HANDLE", cmd);
	if (parse_handle(argv[0], handle))
		return usage_error(ctx_usage, "bad handle %s", argv[0]);
	return 0;
}

static int ctx_show(int argc, char **argv)
{
	struct sspi_ctx_info ci = { 0 };
	u64 handle;
	int ret = one_handle(argc, argv, "show", &handle);

	if (ret)
		return ret < 0 ? 0 : ret;
	/* an expired context is shown, marked expired, until reaped */
	if (sspi_ctx_get(handle, &ci) && !ci.expired)
		return lib_fail();
	ctx_print(&ci);
	return 0;
}

static int ctx_delete(int argc, char **argv)
{
	u64 handle;
	int ret = one_handle(argc, argv, "delete", &handle);

	if (ret)
		return ret < 0 ? 0 : ret;
	if (sspi_ctx_delete(handle))
		return lib_fail();
	return 0;
}

static int ctx_import_cmd(int argc, char **argv)
{
	const struct sspictl_pkg *pkg;

	if (!argc)
		return usage_error(ctx_usage,
				   "ctx import: which package? (tls, kerberos, ntlm, negotiate)");
	pkg = pkg_by_alias(argv[0]);
	if (!pkg || !pkg->import)
		return usage_error(ctx_usage,
				   "ctx import: SEC_E_SECPKG_NOT_FOUND: unknown package %s",
				   argv[0]);
	return pkg->import(argc - 1, argv + 1);
}

static int ctx_update_keys_cmd(int argc, char **argv)
{
	return pkg_update_keys()->update_keys(argc, argv);
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} ctx_cmds[] = {
	{ "import", ctx_import_cmd },
	{ "list", ctx_list },
	{ "show", ctx_show },
	{ "delete", ctx_delete },
	{ "update-keys", ctx_update_keys_cmd },
};

int cmd_ctx(int argc, char **argv)
{
	size_t i;

	if (!argc)
		return usage_error(ctx_usage, "ctx: no command");
	if (is_help(argv[0])) {
		fputs(ctx_usage, stdout);
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(ctx_cmds); i++)
		if (!strcmp(argv[0], ctx_cmds[i].name))
			return ctx_cmds[i].fn(argc - 1, argv + 1);
	return usage_error(ctx_usage, "unknown ctx command %s", argv[0]);
}
