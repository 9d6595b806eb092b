// SPDX-License-Identifier: GPL-2.0
/*
 * sspictl: the NTLM package's ("NTLM") import -- the session security of
 * an authenticated NTLMSSP exchange (MS-NLMP 3.4): the ExportedSessionKey,
 * the NegotiateFlags of the AUTHENTICATE message, the role and the first
 * sequence numbers, put into a struct sspi_ntlm_import.
 *
 *   sspictl ctx import ntlm --session-key HEX --flags N
 *	--initiator|--acceptor [--datagram] [--send-seq N] [--recv-seq N]
 *	[--lifetime SECONDS] [--print-keys]
 *
 * Its messages are one token each (token.c): seal writes the 16-byte
 * signature, then the sealed text (gss_wrap's layout).
 */
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>

#include "sspictl.h"

static const char import_usage[] =
	"Usage: sspictl [-j] ctx import ntlm --session-key HEX --flags N\n"
	"         --initiator|--acceptor [--datagram] [--send-seq N] [--recv-seq N]\n"
	"         [--lifetime SECONDS] [--print-keys]\n"
	"  --session-key     the ExportedSessionKey: 16 bytes of hex\n"
	"  --flags           the NegotiateFlags of the AUTHENTICATE message, a\n"
	"                    number (base 0: 0xe2088235); they choose the session\n"
	"                    security (extended session security, key exchange,\n"
	"                    128/56/40-bit keys, sign or seal, datagram)\n"
	"  --initiator, --acceptor   which side this context is: the client is\n"
	"                    the initiator (one of the two)\n"
	"  --datagram        datagram mode: a key per message from its sequence\n"
	"                    number (also when --flags has NEGOTIATE_DATAGRAM 0x40)\n"
	"  --send-seq, --recv-seq    sequence numbers of the first message sent and\n"
	"                    expected (default 0; after SPNEGO's mechListMIC, where\n"
	"                    the peer's go on from)\n"
	"  --lifetime        seconds the context may be used (0 no limit)\n"
	"Prints the new context's handle.  --print-keys prints the import instead.\n";

static const struct {
	const char *name;
	u32 flag;
} ntlm_import_flag_names[] = {
	{ "initiator", SSPI_NTLM_F_INITIATOR },
	{ "datagram", SSPI_NTLM_F_DATAGRAM },
};

struct ntlm_opts {
	const char *key, *flags, *send_seq, *recv_seq, *lifetime;
	bool initiator, acceptor, datagram, print_keys;
};

/* The import and its limit the options describe: 0 or EXIT_USAGE */
static int ntlm_import_build(const struct ntlm_opts *o,
			     struct sspi_ntlm_import *imp,
			     struct sspi_ctx_limit *limit)
{
	u8 key[sizeof(imp->session_key) + 1];
	size_t len;
	int ret;

	memset(imp, 0, sizeof(*imp));
	memset(limit, 0, sizeof(*limit));
	if (!o->key)
		return usage_error(import_usage, "--session-key is required");
	if (!o->flags)
		return usage_error(import_usage,
				   "--flags is required (the NegotiateFlags)");
	if (!o->initiator && !o->acceptor)
		return usage_error(import_usage,
				   "one of --initiator and --acceptor is required");
	if (o->initiator && o->acceptor)
		return usage_error(import_usage,
				   "--initiator or --acceptor, not both");
	/* one byte more than the key: too long is told apart from not hex */
	ret = parse_hex(o->key, key, sizeof(key), &len);
	if (ret && strlen(o->key) % 2 == 0 && strlen(o->key) > 2 * sizeof(key) &&
	    strspn(o->key, "0123456789abcdefABCDEF") == strlen(o->key))
		return usage_error(import_usage,
				   "--session-key: 16 bytes, not %zu",
				   strlen(o->key) / 2);
	if (ret) {
		OPENSSL_cleanse(key, sizeof(key));
		return usage_error(import_usage,
				   "--session-key: not a hex string (an even number of hex digits)");
	}
	if (len != sizeof(imp->session_key)) {
		OPENSSL_cleanse(key, sizeof(key));
		return usage_error(import_usage,
				   "--session-key: 16 bytes, not %zu", len);
	}
	memcpy(imp->session_key, key, len);
	OPENSSL_cleanse(key, sizeof(key));
	if (parse_u32(o->flags, &imp->negotiate_flags))
		return usage_error(import_usage,
				   "--flags: not a 32-bit number: %s", o->flags);
	if (o->initiator)
		imp->flags |= SSPI_NTLM_F_INITIATOR;
	if (o->datagram ||
	    (imp->negotiate_flags & SSPI_NTLMSSP_NEGOTIATE_DATAGRAM))
		imp->flags |= SSPI_NTLM_F_DATAGRAM;
	if (o->send_seq && parse_u32(o->send_seq, &imp->send_seq))
		return usage_error(import_usage,
				   "--send-seq: not a 32-bit number: %s",
				   o->send_seq);
	if (o->recv_seq && parse_u32(o->recv_seq, &imp->recv_seq))
		return usage_error(import_usage,
				   "--recv-seq: not a 32-bit number: %s",
				   o->recv_seq);
	if (o->lifetime) {
		if (parse_u32(o->lifetime, &limit->lifetime))
			return usage_error(import_usage,
					   "--lifetime: not a number of seconds: %s",
					   o->lifetime);
		limit->has_lifetime = true;
	}
	return 0;
}

void ntlm_print_import(const struct sspi_ntlm_import *imp,
		       const struct sspi_ctx_limit *limit)
{
	const struct sspi_ntlm_flag *nf;
	bool first = true;
	size_t i, n;

	nf = sspi_ntlm_flag_table(&n);
	if (opt_json) {
		json_open('{');
		json_key("negotiate_flags");
		json_uint(imp->negotiate_flags);
		json_key("negotiate_flag_names");
		json_open('[');
		for (i = 0; i < n; i++)
			if (imp->negotiate_flags & nf[i].flag)
				json_str(nf[i].name);
		json_close(']');
		json_key("flags");
		json_open('[');
		for (i = 0; i < ARRAY_SIZE(ntlm_import_flag_names); i++)
			if (imp->flags & ntlm_import_flag_names[i].flag)
				json_str(ntlm_import_flag_names[i].name);
		json_close(']');
		json_key("send_seq");
		json_uint(imp->send_seq);
		json_key("recv_seq");
		json_uint(imp->recv_seq);
		json_key("session_key");
		json_hex(imp->session_key, sizeof(imp->session_key));
		if (limit->has_lifetime) {
			json_key("lifetime");
			json_uint(limit->lifetime);
		}
		json_close('}');
		return;
	}
	printf("negotiate-flags 0x%08x", imp->negotiate_flags);
	for (i = 0; i < n; i++) {
		if (!(imp->negotiate_flags & nf[i].flag))
			continue;
		printf("%s%s", first ? " " : ",", nf[i].name);
		first = false;
	}
	printf("\nflags 0x%02x", imp->flags);
	first = true;
	for (i = 0; i < ARRAY_SIZE(ntlm_import_flag_names); i++) {
		if (!(imp->flags & ntlm_import_flag_names[i].flag))
			continue;
		printf("%s%s", first ? " " : ",", ntlm_import_flag_names[i].name);
		first = false;
	}
	printf("\nsend-seq %u\nrecv-seq %u\nsession-key ", imp->send_seq,
	       imp->recv_seq);
	print_hex(stdout, imp->session_key, sizeof(imp->session_key));
	printf("\n");
	if (limit->has_lifetime)
		printf("lifetime %u\n", limit->lifetime);
}

/*
 * ctx import ntlm's options (also Negotiate's with --mech ntlm): the
 * import, its limit and --print-keys.  0, EXIT_USAGE after saying why, or
 * -1 when help was printed.
 */
int ntlm_import_args(int argc, char **argv, struct sspi_ntlm_import *imp,
		     struct sspi_ctx_limit *limit, bool *print_keys)
{
	struct ntlm_opts o = { 0 };
	const struct opt opts[] = {
		OPT("--session-key", &o.key), OPT("--flags", &o.flags),
		FLAG("--initiator", &o.initiator),
		FLAG("--acceptor", &o.acceptor),
		FLAG("--datagram", &o.datagram),
		OPT("--send-seq", &o.send_seq), OPT("--recv-seq", &o.recv_seq),
		OPT("--lifetime", &o.lifetime),
		FLAG("--print-keys", &o.print_keys),
	};
	int n_pos, ret;

	memset(imp, 0, sizeof(*imp));
	ret = parse_opts(argc, argv, opts, ARRAY_SIZE(opts), NULL, 0, &n_pos,
			 import_usage);
	if (ret)
		return ret;
	ret = ntlm_import_build(&o, imp, limit);
	if (ret) {
		OPENSSL_cleanse(imp, sizeof(*imp));
		return ret;
	}
	*print_keys = o.print_keys;
	return 0;
}

static int ntlm_import(int argc, char **argv)
{
	struct sspi_ntlm_import imp;
	struct sspi_ctx_limit limit;
	bool print_keys;
	u64 handle;
	int ret;

	ret = ntlm_import_args(argc, argv, &imp, &limit, &print_keys);
	if (ret)
		return ret < 0 ? 0 : ret;
	if (print_keys) {
		ntlm_print_import(&imp, &limit);
		OPENSSL_cleanse(&imp, sizeof(imp));
		return 0;
	}
	ret = sspi_ctx_import(NTLM_PKG_NAME, &imp, sizeof(imp), &limit, &handle);
	OPENSSL_cleanse(&imp, sizeof(imp));
	if (ret)
		return lib_fail();
	return print_handle(handle);
}

const struct sspictl_pkg ntlm_pkg = {
	.name = NTLM_PKG_NAME,
	.import = ntlm_import,
	.seal = ntlm_seal,
	.unseal = token_unseal,
};
