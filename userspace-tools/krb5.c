// SPDX-License-Identifier: GPL-2.0
/*
 * sspictl: the Kerberos package's ("Kerberos") import -- an established
 * RFC 4121 context, as a GSSAPI helper knows it (MIT's lucid context:
 * enctype, key, acceptor subkey, role, sequence numbers, flags, endtime),
 * put into a struct sspi_krb5_import.
 *
 *   sspictl ctx import kerberos --enctype N --key HEX
 *	[--acceptor-subkey HEX] --initiator|--acceptor [--send-seq N]
 *	[--recv-seq N] [--flags replay,sequence,dce]
 *	[--endtime UNIX | --lifetime SECONDS] [--print-keys]
 */
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>

#include "sspictl.h"

static const char import_usage[] =
	"Usage: sspictl [-j] ctx import kerberos --enctype N --key HEX\n"
	"         --initiator|--acceptor [--acceptor-subkey HEX]\n"
	"         [--send-seq N] [--recv-seq N] [--flags replay,sequence,dce]\n"
	"         [--endtime UNIX | --lifetime SECONDS] [--print-keys]\n"
	"  --enctype         17 aes128-cts-hmac-sha1-96, 18 aes256-cts-hmac-sha1-96,\n"
	"                    19 aes128-cts-hmac-sha256-128,\n"
	"                    20 aes256-cts-hmac-sha384-192, 23 arcfour-hmac (rc4-hmac)\n"
	"  --key             the context key (initiator's subkey or session key):\n"
	"                    16 bytes of hex for 17, 19 and 23, 32 for 18 and 20\n"
	"  --acceptor-subkey the acceptor's subkey, of the same enctype: every token\n"
	"                    is then protected with it instead of --key\n"
	"  --initiator, --acceptor   which side this context is (one of the two)\n"
	"  --send-seq, --recv-seq    sequence numbers of the first token sent and\n"
	"                    expected (default 0)\n"
	"  --flags           detect replays and late tokens; DCE style\n"
	"  --endtime         the context's end, in seconds since the epoch (0 never)\n"
	"  --lifetime        or seconds from now (0 no limit)\n"
	"Prints the new context's handle.  --print-keys prints the import instead.\n";

static const struct {
	const char *name;
	u32 flag;
} krb5_flag_names[] = {
	{ "initiator", SSPI_KRB5_F_INITIATOR },
	{ "acceptor-subkey", SSPI_KRB5_F_ACCEPTOR_SUBKEY },
	{ "replay", SSPI_KRB5_F_REPLAY },
	{ "sequence", SSPI_KRB5_F_SEQUENCE },
	{ "dce", SSPI_KRB5_F_DCE_STYLE },
};

/* The flags --flags may name */
#define KRB5_USER_FLAGS	(SSPI_KRB5_F_REPLAY | SSPI_KRB5_F_SEQUENCE | \
			 SSPI_KRB5_F_DCE_STYLE)

/* A number or one of MIT's names; NULL if neither */
static const struct sspi_krb5_enctype *enctype_parse(const char *s)
{
	u32 n;

	if (!parse_u32(s, &n))
		return sspi_krb5_enctype_by_number(n);
	return sspi_krb5_enctype_by_name(s);
}

/* --flags: a comma-separated list of replay, sequence, dce */
static int flags_parse(const char *s, u32 *flags)
{
	const char *p = s, *end;
	size_t i, len;
	u32 f;

	for (;;) {
		end = strchr(p, ',');
		len = end ? (size_t)(end - p) : strlen(p);
		f = 0;
		for (i = 0; i < ARRAY_SIZE(krb5_flag_names); i++)
			if ((krb5_flag_names[i].flag & KRB5_USER_FLAGS) &&
			    strlen(krb5_flag_names[i].name) == len &&
			    !strncmp(krb5_flag_names[i].name, p, len))
				f = krb5_flag_names[i].flag;
		if (!f)
			return usage_error(import_usage,
					   "--flags: unknown flag \"%.*s\" (replay, sequence, dce)",
					   (int)len, p);
		*flags |= f;
		if (!end)
			return 0;
		p = end + 1;
	}
}

static int key_parse(const char *name, const char *hex,
		     const struct sspi_krb5_enctype *et, u8 *key)
{
	size_t len = strlen(hex) / 2;
	u8 *buf = malloc(len ? len : 1);
	int ret = 0;

	if (!buf) {
		err_msg("out of memory");
		return EXIT_FAIL;
	}
	if (parse_hex(hex, buf, len, &len))
		ret = usage_error(import_usage,
				  "%s: not a hex string (an even number of hex digits)",
				  name);
	else if (len != et->key_len)
		ret = usage_error(import_usage,
				  "%s: enctype %u (%s) takes a %u-byte key, not %zu",
				  name, et->etype, et->name, et->key_len, len);
	else
		memcpy(key, buf, len);
	OPENSSL_cleanse(buf, len);
	free(buf);
	return ret;
}

struct krb5_opts {
	const char *enctype, *key, *subkey, *send_seq, *recv_seq, *flags;
	const char *endtime, *lifetime;
	bool initiator, acceptor, print_keys;
};

/* The import and its limit the options describe: 0 or EXIT_USAGE */
static int krb5_import_build(const struct krb5_opts *o,
			     struct sspi_krb5_import *imp,
			     struct sspi_ctx_limit *limit)
{
	const struct sspi_krb5_enctype *et;
	u8 key[32];
	int ret;

	memset(imp, 0, sizeof(*imp));
	memset(limit, 0, sizeof(*limit));
	if (!o->enctype)
		return usage_error(import_usage, "--enctype is required");
	et = enctype_parse(o->enctype);
	if (!et)
		return usage_error(import_usage,
				   "--enctype: unknown enctype %s (17, 18, 19, 20, 23 or their names)",
				   o->enctype);
	if (!o->key)
		return usage_error(import_usage, "--key is required");
	if (!o->initiator && !o->acceptor)
		return usage_error(import_usage,
				   "one of --initiator and --acceptor is required");
	if (o->initiator && o->acceptor)
		return usage_error(import_usage,
				   "--initiator or --acceptor, not both");
	imp->enctype = et->etype;
	imp->key_len = et->key_len;
	/* the context key is checked even when the subkey replaces it */
	ret = key_parse("--key", o->key, et, key);
	if (!ret && o->subkey) {
		ret = key_parse("--acceptor-subkey", o->subkey, et, imp->key);
		imp->flags |= SSPI_KRB5_F_ACCEPTOR_SUBKEY;
	} else if (!ret) {
		memcpy(imp->key, key, et->key_len);
	}
	OPENSSL_cleanse(key, sizeof(key));
	if (ret)
		return ret;
	if (o->initiator)
		imp->flags |= SSPI_KRB5_F_INITIATOR;
	if (o->flags) {
		ret = flags_parse(o->flags, &imp->flags);
		if (ret)
			return ret;
	}
	if (o->send_seq && parse_u64(o->send_seq, &imp->send_seq))
		return usage_error(import_usage, "--send-seq: not a number: %s",
				   o->send_seq);
	if (o->recv_seq && parse_u64(o->recv_seq, &imp->recv_seq))
		return usage_error(import_usage, "--recv-seq: not a number: %s",
				   o->recv_seq);
	if (o->endtime && o->lifetime)
		return usage_error(import_usage,
				   "--endtime or --lifetime, not both");
	if (o->endtime) {
		if (parse_u64(o->endtime, &limit->expiry))
			return usage_error(import_usage,
					   "--endtime: not a number of seconds since the epoch: %s",
					   o->endtime);
		limit->has_expiry = true;
	}
	if (o->lifetime) {
		if (parse_u32(o->lifetime, &limit->lifetime))
			return usage_error(import_usage,
					   "--lifetime: not a number of seconds: %s",
					   o->lifetime);
		limit->has_lifetime = true;
	}
	return 0;
}

void krb5_print_import(const struct sspi_krb5_import *imp,
		       const struct sspi_ctx_limit *limit)
{
	const struct sspi_krb5_enctype *et = sspi_krb5_enctype_by_number(imp->enctype);
	bool first = true;
	size_t i;

	if (opt_json) {
		json_open('{');
		json_key("enctype");
		json_uint(imp->enctype);
		json_key("enctype_name");
		json_str(et->name);
		json_key("flags");
		json_open('[');
		for (i = 0; i < ARRAY_SIZE(krb5_flag_names); i++)
			if (imp->flags & krb5_flag_names[i].flag)
				json_str(krb5_flag_names[i].name);
		json_close(']');
		json_key("send_seq");
		json_uint(imp->send_seq);
		json_key("recv_seq");
		json_uint(imp->recv_seq);
		json_key("key");
		json_hex(imp->key, imp->key_len);
		if (limit->has_expiry) {
			json_key("endtime");
			json_uint(limit->expiry);
		}
		if (limit->has_lifetime) {
			json_key("lifetime");
			json_uint(limit->lifetime);
		}
		json_close('}');
		return;
	}
	printf("enctype %u %s\nflags 0x%02x", imp->enctype, et->name,
	       imp->flags);
	for (i = 0; i < ARRAY_SIZE(krb5_flag_names); i++) {
		if (!(imp->flags & krb5_flag_names[i].flag))
			continue;
		printf("%s%s", first ? " " : ",", krb5_flag_names[i].name);
		first = false;
	}
	printf("\nsend-seq %llu\nrecv-seq %llu\nkey ", imp->send_seq,
	       imp->recv_seq);
	print_hex(stdout, imp->key, imp->key_len);
	printf("\n");
	if (limit->has_expiry)
		printf("endtime %llu\n", limit->expiry);
	if (limit->has_lifetime)
		printf("lifetime %u\n", limit->lifetime);
}

/*
 * ctx import kerberos's options (also Negotiate's with --mech kerberos):
 * the import, its limit and --print-keys.  0, EXIT_USAGE after saying
 * why, or -1 when help was printed.
 */
int krb5_import_args(int argc, char **argv, struct sspi_krb5_import *imp,
		     struct sspi_ctx_limit *limit, bool *print_keys)
{
	struct krb5_opts o = { 0 };
	const struct opt opts[] = {
		OPT("--enctype", &o.enctype), OPT("--key", &o.key),
		OPT("--acceptor-subkey", &o.subkey),
		FLAG("--initiator", &o.initiator),
		FLAG("--acceptor", &o.acceptor),
		OPT("--send-seq", &o.send_seq), OPT("--recv-seq", &o.recv_seq),
		OPT("--flags", &o.flags), OPT("--endtime", &o.endtime),
		OPT("--lifetime", &o.lifetime),
		FLAG("--print-keys", &o.print_keys),
	};
	int n_pos, ret;

	memset(imp, 0, sizeof(*imp));
	ret = parse_opts(argc, argv, opts, ARRAY_SIZE(opts), NULL, 0, &n_pos,
			 import_usage);
	if (ret)
		return ret;
	ret = krb5_import_build(&o, imp, limit);
	if (ret) {
		OPENSSL_cleanse(imp, sizeof(*imp));
		return ret;
	}
	*print_keys = o.print_keys;
	return 0;
}

int krb5_import(int argc, char **argv)
{
	struct sspi_krb5_import imp;
	struct sspi_ctx_limit limit;
	bool print_keys;
	u64 handle;
	int ret;

	ret = krb5_import_args(argc, argv, &imp, &limit, &print_keys);
	if (ret)
		return ret < 0 ? 0 : ret;
	if (print_keys) {
		krb5_print_import(&imp, &limit);
		OPENSSL_cleanse(&imp, sizeof(imp));
		return 0;
	}
	ret = sspi_ctx_import(KRB5_PKG_NAME, &imp, sizeof(imp), &limit, &handle);
	OPENSSL_cleanse(&imp, sizeof(imp));
	if (ret)
		return lib_fail();
	return print_handle(handle);
}

static const char * const krb5_aliases[] = { "krb5", NULL };

const struct sspictl_pkg krb5_pkg = {
	.name = KRB5_PKG_NAME,
	.aliases = krb5_aliases,
	.import = krb5_import,
	.seal = krb5_seal,
	.unseal = token_unseal,
};
