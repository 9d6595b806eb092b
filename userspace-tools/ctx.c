// SPDX-License-Identifier: GPL-2.0
/*
 * sspictl: packages and contexts over netlink.
 *
 *   sspictl pkg list
 *   sspictl ctx import PACKAGE ...	(tls: see tls.c; kerberos: krb5.c)
 *   sspictl ctx list
 *   sspictl ctx show HANDLE
 *   sspictl ctx delete HANDLE
 *   sspictl ctx update-keys HANDLE ...	(see tls.c)
 */
#include <errno.h>
#include <string.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/genl/genl.h>
#include <openssl/crypto.h>

#include "sspictl.h"

static const char pkg_usage[] =
	"Usage: sspictl [-j] pkg list\n"
	"  the registered security packages, their capabilities and comments\n";

static const char ctx_usage[] =
	"Usage: sspictl [-j] ctx COMMAND\n"
	"  ctx import tls OPTIONS        import a TLS-record context; prints its handle\n"
	"                                (sspictl ctx import tls --help)\n"
	"  ctx import kerberos OPTIONS   import an RFC 4121 context; prints its handle\n"
	"                                (sspictl ctx import kerberos --help)\n"
	"  ctx list                      every context this user may use\n"
	"  ctx show HANDLE               one context\n"
	"  ctx delete HANDLE             delete a context\n"
	"  ctx update-keys HANDLE --tx|--rx OPTIONS\n"
	"                                new keys for one direction\n"
	"                                (sspictl ctx update-keys --help)\n"
	"HANDLE: a number in any C form (0x..., decimal, 0...)\n";

/* A reply's SECURITY_STATUS, when it has one that failed: say so */
static int reply_status(struct nlattr **tb)
{
	u32 status;

	if (!tb[SSPI_A_STATUS])
		return 0;
	status = nla_get_u32(tb[SSPI_A_STATUS]);
	if (!sspi_status_failed(status))
		return 0;
	err_msg("%s", sspi_status_name(status));
	return -1;
}

static int put_handle_request(u8 cmd, u64 handle, int flags,
			      struct nl_msg **msgp)
{
	struct nl_msg *msg = nl_request(cmd, flags, 64);

	if (!msg)
		return -1;
	if (nla_put_u64(msg, SSPI_A_CTX_HANDLE, handle)) {
		nlmsg_free(msg);
		err_msg("out of memory");
		return -1;
	}
	*msgp = msg;
	return 0;
}

/* Packages */

static const char * const cap_names[] = {
	"encrypt", "decrypt", "sign", "verify", "update-keys",
};

static int pkg_reply(struct nlattr **tb, struct nlattr *attrs, int len,
		     void *arg)
{
	const char *name = "", *comment = "";
	u32 caps = 0;
	bool first = true;
	unsigned int i;

	(void)attrs;
	(void)len;
	(void)arg;
	if (tb[SSPI_A_PKG_NAME])
		name = nla_get_string(tb[SSPI_A_PKG_NAME]);
	if (tb[SSPI_A_PKG_COMMENT])
		comment = nla_get_string(tb[SSPI_A_PKG_COMMENT]);
	if (tb[SSPI_A_PKG_CAPS])
		caps = nla_get_u32(tb[SSPI_A_PKG_CAPS]);

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
	struct nl_msg *msg;
	int ret;

	if (argc && is_help(argv[0])) {
		fputs(pkg_usage, stdout);
		return 0;
	}
	if (argc != 1 || strcmp(argv[0], "list"))
		return usage_error(pkg_usage, argc ? "unknown pkg command %s" :
				   "pkg: no command%s", argc ? argv[0] : "");
	msg = nl_request(SSPI_CMD_PKG_GET, NLM_F_DUMP, 0);
	if (!msg)
		return EXIT_FAIL;
	if (opt_json)
		json_open('[');
	ret = nl_exchange(msg, pkg_reply, NULL);
	if (opt_json)
		json_close(']');
	return ret ? EXIT_FAIL : 0;
}

/* Contexts */

static void ctx_parse(struct nlattr **tb, struct sspi_ctx_info *ci)
{
	struct nlattr *st[SSPI_SIZES_MAX + 1];
	int i;

	memset(ci, 0, sizeof(*ci));
	if (tb[SSPI_A_CTX_HANDLE])
		ci->handle = nla_get_u64(tb[SSPI_A_CTX_HANDLE]);
	if (tb[SSPI_A_PKG_NAME])
		nla_strlcpy(ci->package, tb[SSPI_A_PKG_NAME],
			    sizeof(ci->package));
	if (tb[SSPI_A_CTX_OWNER])
		ci->owner = nla_get_u32(tb[SSPI_A_CTX_OWNER]);
	if (tb[SSPI_A_CTX_EXPIRY])
		ci->expiry = nla_get_u64(tb[SSPI_A_CTX_EXPIRY]);
	if (tb[SSPI_A_CTX_PROTOCOL])
		ci->protocol = nla_get_u32(tb[SSPI_A_CTX_PROTOCOL]);
	if (tb[SSPI_A_CTX_CIPHER])
		nla_strlcpy(ci->cipher, tb[SSPI_A_CTX_CIPHER],
			    sizeof(ci->cipher));
	if (tb[SSPI_A_CTX_TX_DRIVER])
		nla_strlcpy(ci->tx_driver, tb[SSPI_A_CTX_TX_DRIVER],
			    sizeof(ci->tx_driver));
	if (tb[SSPI_A_CTX_RX_DRIVER])
		nla_strlcpy(ci->rx_driver, tb[SSPI_A_CTX_RX_DRIVER],
			    sizeof(ci->rx_driver));
	if (tb[SSPI_A_CTX_TX_SEQ])
		ci->tx_seq = nla_get_u64(tb[SSPI_A_CTX_TX_SEQ]);
	if (tb[SSPI_A_CTX_RX_SEQ])
		ci->rx_seq = nla_get_u64(tb[SSPI_A_CTX_RX_SEQ]);
	if (tb[SSPI_A_CTX_SIZES] &&
	    !nla_parse_nested(st, SSPI_SIZES_MAX, tb[SSPI_A_CTX_SIZES], NULL)) {
		ci->has_sizes = true;
		for (i = 1; i <= SSPI_SIZES_MAX; i++)
			if (st[i])
				ci->sizes[i] = nla_get_u32(st[i]);
	}
}

static const char *protocol_name(u32 protocol)
{
	static char buf[16];

	switch (protocol) {
	case 0:
		return "-";
	case SSPI_TLS_VERSION_1_2:
		return "TLS1.2";
	case SSPI_TLS_VERSION_1_3:
		return "TLS1.3";
	}
	snprintf(buf, sizeof(buf), "0x%04x", protocol);
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

static void ctx_print(const struct sspi_ctx_info *ci)
{
	size_t i;

	if (opt_json) {
		json_open('{');
		json_key("handle");
		json_handle(ci->handle);
		json_key("package");
		json_str(ci->package);
		json_key("owner");
		json_uint(ci->owner);
		json_key("expiry");
		json_uint(ci->expiry);
		json_key("protocol");
		json_str(protocol_name(ci->protocol));
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
		json_close('}');
		return;
	}
	printf("handle 0x%016llx package %s owner %u expiry ",
	       ci->handle, ci->package, ci->owner);
	if (ci->expiry)
		printf("%llu\n", ci->expiry);
	else
		printf("never\n");
	printf("\tprotocol %s cipher %s\n", protocol_name(ci->protocol),
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
}

struct ctx_get {
	struct sspi_ctx_info *info;	/* do: where the one goes */
	bool found;
};

static int ctx_reply(struct nlattr **tb, struct nlattr *attrs, int len,
		     void *arg)
{
	struct ctx_get *g = arg;
	struct sspi_ctx_info ci;

	(void)attrs;
	(void)len;
	if (reply_status(tb))
		return -1;
	if (g->info) {
		ctx_parse(tb, g->info);
	} else {
		ctx_parse(tb, &ci);
		ctx_print(&ci);
	}
	g->found = true;
	return 0;
}

/* CTX_GET for one context: 0, or -1 after saying why not */
int ctx_query(u64 handle, struct sspi_ctx_info *info)
{
	struct ctx_get g = { .info = info };
	struct nl_msg *msg;

	if (put_handle_request(SSPI_CMD_CTX_GET, handle, 0, &msg) ||
	    nl_exchange(msg, ctx_reply, &g))
		return -1;
	if (!g.found) {
		err_msg("CTX_GET: no reply");
		return -1;
	}
	return 0;
}

static int ctx_list(int argc, char **argv)
{
	struct ctx_get g = { 0 };
	struct nl_msg *msg;
	int ret;

	if (argc == 1 && is_help(argv[0])) {
		fputs(ctx_usage, stdout);
		return 0;
	}
	if (argc)
		return usage_error(ctx_usage, "ctx list takes no arguments");
	msg = nl_request(SSPI_CMD_CTX_GET, NLM_F_DUMP, 0);
	if (!msg)
		return EXIT_FAIL;
	if (opt_json)
		json_open('[');
	ret = nl_exchange(msg, ctx_reply, &g);
	if (opt_json)
		json_close(']');
	return ret ? EXIT_FAIL : 0;
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
	struct sspi_ctx_info ci;
	u64 handle;
	int ret = one_handle(argc, argv, "show", &handle);

	if (ret)
		return ret < 0 ? 0 : ret;
	if (ctx_query(handle, &ci))
		return EXIT_FAIL;
	ctx_print(&ci);
	return 0;
}

static int status_reply(struct nlattr **tb, struct nlattr *attrs, int len,
			void *arg)
{
	u64 *handle = arg;

	(void)attrs;
	(void)len;
	if (reply_status(tb))
		return -1;
	if (handle && tb[SSPI_A_CTX_HANDLE])
		*handle = nla_get_u64(tb[SSPI_A_CTX_HANDLE]);
	return 0;
}

static int ctx_delete(int argc, char **argv)
{
	struct nl_msg *msg;
	u64 handle;
	int ret = one_handle(argc, argv, "delete", &handle);

	if (ret)
		return ret < 0 ? 0 : ret;
	if (put_handle_request(SSPI_CMD_CTX_DELETE, handle, 0, &msg) ||
	    nl_exchange(msg, status_reply, NULL))
		return EXIT_FAIL;
	return 0;
}

/* CTX_IMPORT: 0 with *handle set, or -1 after saying why not */
int ctx_import(const char *pkg, const void *blob, size_t len,
	       const struct ctx_limit *limit, u64 *handle)
{
	struct nl_msg *msg = nl_request(SSPI_CMD_CTX_IMPORT, 0, len + 128);
	u64 h = 0;

	if (!msg)
		return -1;
	if (nla_put_string(msg, SSPI_A_PKG_NAME, pkg) ||
	    nla_put(msg, SSPI_A_CTX_IMPORT, len, blob) ||
	    (limit->has_lifetime &&
	     nla_put_u32(msg, SSPI_A_CTX_LIFETIME, limit->lifetime)) ||
	    (limit->has_expiry &&
	     nla_put_u64(msg, SSPI_A_CTX_EXPIRY, limit->expiry))) {
		/* the import structure holds keys */
		OPENSSL_cleanse(nlmsg_hdr(msg), nlmsg_hdr(msg)->nlmsg_len);
		nlmsg_free(msg);
		err_msg("out of memory");
		return -1;
	}
	if (nl_exchange(msg, status_reply, &h))
		return -1;
	if (!h) {
		err_msg("CTX_IMPORT: no handle in the reply");
		return -1;
	}
	*handle = h;
	return 0;
}

/*
 * A new context's handle: alone on a line, or {"handle": "0x..."}.  0; or,
 * when it cannot be written, EXIT_FAIL after deleting the context, which
 * nobody could name any more.
 */
int print_handle(u64 handle)
{
	struct nl_msg *msg;

	if (opt_json) {
		json_open('{');
		json_key("handle");
		json_handle(handle);
		json_close('}');
	} else {
		printf("0x%016llx\n", handle);
	}
	if (!fflush(stdout) && !ferror(stdout))
		return 0;
	err_msg("writing the handle: %s; context deleted", strerror(errno));
	if (!put_handle_request(SSPI_CMD_CTX_DELETE, handle, 0, &msg))
		nl_exchange(msg, status_reply, NULL);
	return EXIT_FAIL;
}

/* CTX_UPDATE_KEYS: 0, or -1 after saying why not */
int ctx_update_keys(u64 handle, u32 dir, const void *keys,
		    size_t len)
{
	struct nl_msg *msg;

	if (put_handle_request(SSPI_CMD_CTX_UPDATE_KEYS, handle, 0, &msg))
		return -1;
	if (nla_put_u32(msg, SSPI_A_DIRECTION, dir) ||
	    nla_put(msg, SSPI_A_KEYS, len, keys)) {
		nlmsg_free(msg);
		err_msg("out of memory");
		return -1;
	}
	return nl_exchange(msg, status_reply, NULL);
}

static int ctx_import_cmd(int argc, char **argv)
{
	if (!argc)
		return usage_error(ctx_usage, "ctx import: which package? (tls, kerberos)");
	if (!strcmp(argv[0], "tls") || !strcasecmp(argv[0], "Schannel"))
		return cmd_ctx_import_tls(argc - 1, argv + 1);
	if (!strcasecmp(argv[0], "kerberos") || !strcmp(argv[0], "krb5"))
		return cmd_ctx_import_krb5(argc - 1, argv + 1);
	return usage_error(ctx_usage, "ctx import: unknown package %s", argv[0]);
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} ctx_cmds[] = {
	{ "import", ctx_import_cmd },
	{ "list", ctx_list },
	{ "show", ctx_show },
	{ "delete", ctx_delete },
	{ "update-keys", cmd_ctx_update_keys },
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
