// SPDX-License-Identifier: GPL-2.0
/*
 * sspictl: the TLS-record package's ("Schannel") command line -- keys
 * given as hex or derived from a key log, for import, key update and
 * "tls derive" (the derivation alone, printed, no kernel involved).
 */
#include <string.h>
#include <strings.h>
#include <openssl/crypto.h>

#include "sspictl.h"

#define TLS_IV_LEN		12
#define TLS_PKG_NAME		"Schannel"

static const char import_usage[] =
	"Usage: sspictl [-j] ctx import tls KEYS [--lifetime SECONDS] [--print-keys]\n"
	"KEYS, given:\n"
	"  --version 1.2|1.3 --cipher aes-128-gcm|aes-256-gcm|chacha20-poly1305\n"
	"  --tx-key HEX --tx-iv HEX [--tx-seq N] --rx-key HEX --rx-iv HEX [--rx-seq N]\n"
	"KEYS, from an NSS key log (SSLKEYLOGFILE):\n"
	"  --keylog FILE --client-random HEX --role client|server\n"
	"  [--server-random HEX (TLS 1.2: required)] [--version V] [--cipher C]\n"
	"  [--tx-seq N] [--rx-seq N]\n"
	"Keys are 16 (aes-128-gcm) or 32 bytes; IVs 12 bytes: for TLS 1.2 AES-GCM\n"
	"the 4-byte salt then the 8-byte explicit nonce of the first record, else\n"
	"the static IV.  Sequence numbers (the next record's) default to 0, or\n"
	"for a TLS 1.2 key log to 1 (the Finished messages used 0); a key log's\n"
	"TLS 1.2 AES-GCM explicit nonce is the sequence number.  The version\n"
	"defaults to the key log's.  A 48-byte TLS 1.3 secret is aes-256-gcm's;\n"
	"a 32-byte one may be aes-128-gcm's or chacha20-poly1305's: --cipher\n"
	"says which.\n"
	"Prints the new context's handle.  --print-keys prints the keys instead\n"
	"of importing them (as \"sspictl tls derive\" does).\n";

static const char update_usage[] =
	"Usage: sspictl ctx update-keys HANDLE --tx|--rx KEYS [--print-keys]\n"
	"KEYS, given:\n"
	"  --key HEX --iv HEX [--seq N]\n"
	"KEYS, TLS 1.3 from an NSS key log:\n"
	"  --keylog FILE --client-random HEX --role client|server --generation N\n"
	"  [--cipher C] [--seq N]\n"
	"  application_traffic_secret_N of the direction's sender (N >= 1, each\n"
	"  one HKDF-Expand-Label(secret_N-1, \"traffic upd\", \"\", Hash.length))\n"
	"The cipher is the context's (asked of the kernel) unless --cipher says.\n"
	"The sequence number defaults to 0.\n";

static const char tls_usage[] =
	"Usage: sspictl [-j] tls derive KEYS\n"
	"  the import \"ctx import tls KEYS\" would make, printed; KEYS as there\n"
	"  (sspictl ctx import tls --help)\n";

struct tls_opts {
	const char *version, *cipher, *lifetime;
	const char *tx_key, *tx_iv, *tx_seq, *rx_key, *rx_iv, *rx_seq;
	const char *keylog, *client_random, *server_random, *role;
	bool print_keys;
};

static int parse_version(const char *s, u16 *version)
{
	if (!strcmp(s, "1.2") || !strcasecmp(s, "tls1.2"))
		*version = SSPI_TLS_VERSION_1_2;
	else if (!strcmp(s, "1.3") || !strcasecmp(s, "tls1.3"))
		*version = SSPI_TLS_VERSION_1_3;
	else
		return -1;
	return 0;
}

const char *tls_protocol_name(u32 protocol)
{
	static char buf[16];

	switch (protocol) {
	case SSPI_TLS_VERSION_1_2:
		return "TLS1.2";
	case SSPI_TLS_VERSION_1_3:
		return "TLS1.3";
	}
	snprintf(buf, sizeof(buf), "0x%04x", protocol);
	return buf;
}

static const char *version_name(u16 version)
{
	return version == SSPI_TLS_VERSION_1_2 ? "1.2" : "1.3";
}

static bool gcm12(u16 version, const struct tls_cipher_info *c)
{
	return version == SSPI_TLS_VERSION_1_2 &&
	       c->id != SSPI_TLS_CIPHER_CHACHA20_POLY1305;
}

static int opt_key(const char *usage, const char *name, const char *hex,
		   const struct tls_cipher_info *c, u8 *key)
{
	size_t len;

	if (parse_hex(hex, key, 32, &len))
		return usage_error(usage, "%s: not a hex string of at most 32 bytes",
				   name);
	if (c && len != c->key_len)
		return usage_error(usage, "%s: %s takes a %u-byte key, not %zu",
				   name, c->name, c->key_len, len);
	if (!c && len != 16 && len != 32)
		return usage_error(usage, "%s: keys are 16 or 32 bytes, not %zu",
				   name, len);
	return 0;
}

static int opt_iv(const char *usage, const char *name, const char *hex,
		  u8 *iv)
{
	size_t len;

	if (parse_hex(hex, iv, TLS_IV_LEN, &len) || len != TLS_IV_LEN)
		return usage_error(usage, "%s: the IV is 12 bytes of hex", name);
	return 0;
}

static int opt_seq(const char *usage, const char *name, const char *s,
		   struct sspi_tls_keys *k)
{
	u64 seq;

	if (parse_u64(s, &seq))
		return usage_error(usage, "%s: not a number: %s", name, s);
	tls_put_seq(k, seq);
	return 0;
}

static int opt_random(const char *usage, const char *name, const char *hex,
		      u8 *random)
{
	size_t len;

	if (parse_hex(hex, random, TLS_RANDOM_LEN, &len) ||
	    len != TLS_RANDOM_LEN)
		return usage_error(usage, "%s: a random is 32 bytes of hex", name);
	return 0;
}

/* client: 1, server: 0, else a usage error */
static int opt_role(const char *usage, const char *role, bool *client)
{
	if (!role)
		return usage_error(usage, "--role client|server is required with --keylog");
	if (!strcmp(role, "client"))
		*client = true;
	else if (!strcmp(role, "server"))
		*client = false;
	else
		return usage_error(usage, "--role: client or server, not %s", role);
	return 0;
}

/* The 12-byte IV of TLS 1.2 AES-GCM: salt, then the explicit nonce */
static void put_explicit_nonce(struct sspi_tls_keys *k)
{
	memcpy(k->iv + 4, k->rec_seq, 8);
}

static int import_given(struct tls_opts *o, struct sspi_tls_import *imp,
			const struct tls_cipher_info *c)
{
	int ret;

	if (o->client_random || o->server_random || o->role)
		return usage_error(import_usage,
				   "--client-random, --server-random and --role go with --keylog");
	if (!o->version || !c)
		return usage_error(import_usage, "--version and --cipher are required");
	if (!o->tx_key || !o->tx_iv || !o->rx_key || !o->rx_iv)
		return usage_error(import_usage,
				   "--tx-key, --tx-iv, --rx-key and --rx-iv are required");
	ret = opt_key(import_usage, "--tx-key", o->tx_key, c, imp->tx.key);
	if (!ret)
		ret = opt_iv(import_usage, "--tx-iv", o->tx_iv, imp->tx.iv);
	if (!ret)
		ret = opt_key(import_usage, "--rx-key", o->rx_key, c, imp->rx.key);
	if (!ret)
		ret = opt_iv(import_usage, "--rx-iv", o->rx_iv, imp->rx.iv);
	if (!ret && o->tx_seq)
		ret = opt_seq(import_usage, "--tx-seq", o->tx_seq, &imp->tx);
	if (!ret && o->rx_seq)
		ret = opt_seq(import_usage, "--rx-seq", o->rx_seq, &imp->rx);
	return ret;
}

static int import_keylog13(struct tls_keylog *kl, struct sspi_tls_import *imp,
			   const struct tls_cipher_info **cp)
{
	const struct tls_cipher_info *c = *cp;

	if (!kl->client_secret_len || !kl->server_secret_len) {
		err_msg("key log: no %s for this client random",
			kl->client_secret_len ? "SERVER_TRAFFIC_SECRET_0" :
						"CLIENT_TRAFFIC_SECRET_0");
		return EXIT_FAIL;
	}
	if (kl->client_secret_len != kl->server_secret_len) {
		err_msg("key log: the traffic secrets differ in length");
		return EXIT_FAIL;
	}
	if (!c && kl->client_secret_len != 48) {
		err_msg("key log: %zu-byte secrets fit two ciphers: give --cipher",
			kl->client_secret_len);
		return EXIT_USAGE;
	}
	if (!c)
		c = tls_cipher_by_name("aes-256-gcm");
	if (kl->client_secret_len != c->hash_len) {
		err_msg("key log: %zu-byte traffic secrets, but %s uses %s (%u bytes)",
			kl->client_secret_len, c->name, c->hash, c->hash_len);
		return EXIT_FAIL;
	}
	*cp = c;
	/* the client's keys in tx, the server's in rx, for now */
	if (tls13_traffic_keys(c, kl->client_secret, kl->client_secret_len,
			       &imp->tx) ||
	    tls13_traffic_keys(c, kl->server_secret, kl->server_secret_len,
			       &imp->rx))
		return EXIT_FAIL;
	return 0;
}

static int import_keylog12(struct tls_opts *o, struct tls_keylog *kl,
			   const u8 *cr, struct sspi_tls_import *imp,
			   const struct tls_cipher_info *c)
{
	u8 sr[TLS_RANDOM_LEN];
	int ret;

	if (!o->server_random)
		return usage_error(import_usage,
				   "TLS 1.2: --server-random is required (a key log does not hold it)");
	if (!c)
		return usage_error(import_usage, "TLS 1.2: --cipher is required");
	ret = opt_random(import_usage, "--server-random", o->server_random, sr);
	if (ret)
		return ret;
	if (!kl->master_len) {
		err_msg("key log: no CLIENT_RANDOM line for this client random");
		return EXIT_FAIL;
	}
	if (kl->master_len != 48) {
		err_msg("key log: a %zu-byte master secret (48 expected)",
			kl->master_len);
		return EXIT_FAIL;
	}
	if (tls12_key_block(c, kl->master, kl->master_len, sr, cr, &imp->tx,
			    &imp->rx))
		return EXIT_FAIL;
	tls_put_seq(&imp->tx, 1);
	tls_put_seq(&imp->rx, 1);
	return 0;
}

static int import_keylog(struct tls_opts *o, struct sspi_tls_import *imp,
			 const struct tls_cipher_info **cp)
{
	u8 cr[TLS_RANDOM_LEN];
	struct sspi_tls_keys tmp;
	struct tls_keylog kl;
	bool client;
	int ret;

	if (o->tx_key || o->tx_iv || o->rx_key || o->rx_iv)
		return usage_error(import_usage,
				   "--keylog derives the keys: no --tx-key, --tx-iv, --rx-key or --rx-iv");
	if (!o->client_random)
		return usage_error(import_usage, "--keylog needs --client-random");
	ret = opt_random(import_usage, "--client-random", o->client_random, cr);
	if (!ret)
		ret = opt_role(import_usage, o->role, &client);
	if (ret)
		return ret;
	if (o->server_random && o->version &&
	    imp->version == SSPI_TLS_VERSION_1_3)
		return usage_error(import_usage, "--server-random is for TLS 1.2");
	if (tls_keylog_read(o->keylog, cr, &kl))
		return EXIT_FAIL;
	if (!o->version) {
		if (kl.client_secret_len || kl.server_secret_len) {
			imp->version = SSPI_TLS_VERSION_1_3;
		} else if (kl.master_len) {
			imp->version = SSPI_TLS_VERSION_1_2;
		} else {
			err_msg("%s: no secrets for client random %s",
				o->keylog, o->client_random);
			return EXIT_FAIL;
		}
	}
	if (imp->version == SSPI_TLS_VERSION_1_3)
		ret = import_keylog13(&kl, imp, cp);
	else
		ret = import_keylog12(o, &kl, cr, imp, *cp);
	tls_keylog_wipe(&kl);
	if (ret)
		return ret;
	if (!client) {
		tmp = imp->tx;
		imp->tx = imp->rx;
		imp->rx = tmp;
		OPENSSL_cleanse(&tmp, sizeof(tmp));
	}
	if (o->tx_seq)
		ret = opt_seq(import_usage, "--tx-seq", o->tx_seq, &imp->tx);
	if (!ret && o->rx_seq)
		ret = opt_seq(import_usage, "--rx-seq", o->rx_seq, &imp->rx);
	if (!ret && gcm12(imp->version, *cp)) {
		put_explicit_nonce(&imp->tx);
		put_explicit_nonce(&imp->rx);
	}
	return ret;
}

/* The import the options describe: 0, EXIT_FAIL or EXIT_USAGE */
static int tls_import_build(struct tls_opts *o, struct sspi_tls_import *imp,
			    const struct tls_cipher_info **cp)
{
	const struct tls_cipher_info *c = NULL;
	int ret;

	memset(imp, 0, sizeof(*imp));
	if (o->version && parse_version(o->version, &imp->version))
		return usage_error(import_usage, "--version: 1.2 or 1.3, not %s",
				   o->version);
	if (o->cipher) {
		c = tls_cipher_by_name(o->cipher);
		if (!c)
			return usage_error(import_usage, "--cipher: unknown cipher %s",
					   o->cipher);
	}
	if (o->keylog)
		ret = import_keylog(o, imp, &c);
	else
		ret = import_given(o, imp, c);
	if (ret) {
		OPENSSL_cleanse(imp, sizeof(*imp));
		return ret;
	}
	imp->cipher = c->id;
	*cp = c;
	return 0;
}

static void print_keys(const char *dir, const struct sspi_tls_keys *k,
		       size_t key_len)
{
	if (opt_json) {
		json_key(dir);
		json_open('{');
		json_key("key");
		json_hex(k->key, key_len);
		json_key("iv");
		json_hex(k->iv, sizeof(k->iv));
		json_key("seq");
		json_hex(k->rec_seq, sizeof(k->rec_seq));
		json_close('}');
		return;
	}
	printf("%s-key ", dir);
	print_hex(stdout, k->key, key_len);
	printf("\n%s-iv ", dir);
	print_hex(stdout, k->iv, sizeof(k->iv));
	printf("\n%s-seq ", dir);
	print_hex(stdout, k->rec_seq, sizeof(k->rec_seq));
	printf("\n");
}

static void print_import(const struct sspi_tls_import *imp,
			 const struct tls_cipher_info *c)
{
	if (opt_json) {
		json_open('{');
		json_key("version");
		json_str(version_name(imp->version));
		json_key("cipher");
		json_str(c->name);
	} else {
		printf("version %s\ncipher %s\n", version_name(imp->version),
		       c->name);
	}
	print_keys("tx", &imp->tx, c->key_len);
	print_keys("rx", &imp->rx, c->key_len);
	if (opt_json)
		json_close('}');
}

static int import_opts(int argc, char **argv, struct tls_opts *o,
		       const char *usage)
{
	const struct opt opts[] = {
		OPT("--version", &o->version), OPT("--cipher", &o->cipher),
		OPT("--lifetime", &o->lifetime),
		OPT("--tx-key", &o->tx_key), OPT("--tx-iv", &o->tx_iv),
		OPT("--tx-seq", &o->tx_seq), OPT("--rx-key", &o->rx_key),
		OPT("--rx-iv", &o->rx_iv), OPT("--rx-seq", &o->rx_seq),
		OPT("--keylog", &o->keylog),
		OPT("--client-random", &o->client_random),
		OPT("--server-random", &o->server_random),
		OPT("--role", &o->role),
		FLAG("--print-keys", &o->print_keys),
	};
	int n_pos;

	memset(o, 0, sizeof(*o));
	return parse_opts(argc, argv, opts, ARRAY_SIZE(opts), NULL, 0, &n_pos,
			  usage);
}

int tls_import(int argc, char **argv)
{
	struct sspi_ctx_limit limit = { 0 };
	const struct tls_cipher_info *c;
	struct sspi_tls_import imp;
	u32 lifetime = 0;
	struct tls_opts o;
	u64 handle;
	int ret;

	ret = import_opts(argc, argv, &o, import_usage);
	if (ret)
		return ret < 0 ? 0 : ret;
	if (o.lifetime && parse_u32(o.lifetime, &lifetime))
		return usage_error(import_usage, "--lifetime: not a number of seconds: %s",
				   o.lifetime);
	ret = tls_import_build(&o, &imp, &c);
	if (ret)
		return ret;
	if (o.print_keys) {
		print_import(&imp, c);
		OPENSSL_cleanse(&imp, sizeof(imp));
		return 0;
	}
	limit.has_lifetime = o.lifetime;
	limit.lifetime = lifetime;
	ret = sspi_ctx_import(TLS_PKG_NAME, &imp, sizeof(imp), &limit, &handle);
	OPENSSL_cleanse(&imp, sizeof(imp));
	if (ret)
		return lib_fail();
	return print_handle(handle);
}

int cmd_tls(int argc, char **argv)
{
	const struct tls_cipher_info *c;
	struct sspi_tls_import imp;
	struct tls_opts o;
	int ret;

	if (!argc)
		return usage_error(tls_usage, "tls: no command");
	if (is_help(argv[0])) {
		fputs(tls_usage, stdout);
		return 0;
	}
	if (strcmp(argv[0], "derive"))
		return usage_error(tls_usage, "unknown tls command %s", argv[0]);
	ret = import_opts(argc - 1, argv + 1, &o, import_usage);
	if (ret)
		return ret < 0 ? 0 : ret;
	ret = tls_import_build(&o, &imp, &c);
	if (ret)
		return ret;
	print_import(&imp, c);
	OPENSSL_cleanse(&imp, sizeof(imp));
	return 0;
}

/* Key update */

struct update_opts {
	const char *key, *iv, *seq, *cipher;
	const char *keylog, *client_random, *role, *generation;
	bool tx, rx, print_keys;
};

/* The context's cipher (NULL if sspictl does not know it): 0, or -1 */
static int ctx_cipher(u64 handle, const struct tls_cipher_info **c)
{
	struct sspi_ctx_info ci;

	if (ctx_query(handle, &ci))
		return -1;
	*c = tls_cipher_by_name(ci.cipher);
	return 0;
}

static int update_keylog(struct update_opts *u, u64 handle,
			 struct sspi_tls_keys *k, size_t *key_len)
{
	const struct tls_cipher_info *c = NULL;
	u8 cr[TLS_RANDOM_LEN], *secret;
	struct tls_keylog kl;
	u64 gen, i;
	size_t len;
	bool client;
	int ret;

	if (u->key || u->iv)
		return usage_error(update_usage, "--keylog derives the keys: no --key or --iv");
	if (!u->client_random || !u->generation)
		return usage_error(update_usage,
				   "--keylog needs --client-random, --role and --generation");
	ret = opt_random(update_usage, "--client-random", u->client_random, cr);
	if (!ret)
		ret = opt_role(update_usage, u->role, &client);
	if (ret)
		return ret;
	if (parse_u64(u->generation, &gen) || !gen)
		return usage_error(update_usage, "--generation: a number from 1, not %s",
				   u->generation);
	if (u->cipher) {
		c = tls_cipher_by_name(u->cipher);
		if (!c)
			return usage_error(update_usage, "--cipher: unknown cipher %s",
					   u->cipher);
	}
	if (tls_keylog_read(u->keylog, cr, &kl))
		return EXIT_FAIL;
	/* the sender's secret: ours for tx, the peer's for rx */
	if (client == u->tx) {
		secret = kl.client_secret;
		len = kl.client_secret_len;
	} else {
		secret = kl.server_secret;
		len = kl.server_secret_len;
	}
	ret = EXIT_FAIL;
	if (!len) {
		err_msg("%s: no %s_TRAFFIC_SECRET_0 for this client random",
			u->keylog, secret == kl.client_secret ? "CLIENT" : "SERVER");
		goto out;
	}
	if (!c && !u->print_keys && ctx_cipher(handle, &c))
		goto out;
	if (!c && len != 48) {
		err_msg("key log: a %zu-byte secret fits two ciphers: give --cipher",
			len);
		goto out;
	}
	if (!c)
		c = tls_cipher_by_name("aes-256-gcm");
	if (len != c->hash_len) {
		err_msg("key log: a %zu-byte traffic secret, but %s uses %s",
			len, c->name, c->hash);
		goto out;
	}
	for (i = 0; i < gen; i++)
		if (tls13_next_secret(c, secret, len))
			goto out;
	if (tls13_traffic_keys(c, secret, len, k))
		goto out;
	*key_len = c->key_len;
	ret = 0;
out:
	tls_keylog_wipe(&kl);
	return ret;
}

int tls_update_keys(int argc, char **argv)
{
	struct update_opts u = { 0 };
	const struct opt opts[] = {
		FLAG("--tx", &u.tx), FLAG("--rx", &u.rx),
		OPT("--key", &u.key), OPT("--iv", &u.iv), OPT("--seq", &u.seq),
		OPT("--cipher", &u.cipher), OPT("--keylog", &u.keylog),
		OPT("--client-random", &u.client_random), OPT("--role", &u.role),
		OPT("--generation", &u.generation),
		FLAG("--print-keys", &u.print_keys),
	};
	const struct tls_cipher_info *c = NULL;
	struct sspi_tls_keys k;
	size_t key_len = 0;
	u64 handle;
	char *pos[1];
	int n_pos, ret;

	ret = parse_opts(argc, argv, opts, ARRAY_SIZE(opts), pos, 1, &n_pos,
			 update_usage);
	if (ret)
		return ret < 0 ? 0 : ret;
	if (n_pos != 1 || parse_handle(pos[0], &handle))
		return usage_error(update_usage, "update-keys takes one HANDLE");
	if (u.tx == u.rx)
		return usage_error(update_usage, "one of --tx or --rx");
	memset(&k, 0, sizeof(k));
	if (u.keylog) {
		ret = update_keylog(&u, handle, &k, &key_len);
	} else {
		if (u.client_random || u.role || u.generation)
			return usage_error(update_usage,
					   "--client-random, --role and --generation go with --keylog");
		if (!u.key || !u.iv)
			return usage_error(update_usage, "--key and --iv are required");
		if (u.cipher) {
			c = tls_cipher_by_name(u.cipher);
			if (!c)
				return usage_error(update_usage,
						   "--cipher: unknown cipher %s", u.cipher);
		}
		if (!c && !u.print_keys && ctx_cipher(handle, &c))
			return EXIT_FAIL;
		ret = opt_key(update_usage, "--key", u.key, c, k.key);
		key_len = strlen(u.key) / 2;
		if (!ret)
			ret = opt_iv(update_usage, "--iv", u.iv, k.iv);
	}
	if (!ret && u.seq)
		ret = opt_seq(update_usage, "--seq", u.seq, &k);
	if (ret)
		goto out;
	if (u.print_keys) {
		if (opt_json)
			json_open('{');
		print_keys(u.tx ? "tx" : "rx", &k, key_len);
		if (opt_json)
			json_close('}');
	} else if (sspi_ctx_update_keys(handle, u.tx ? SSPI_DIR_TX : SSPI_DIR_RX,
					&k, sizeof(k))) {
		ret = lib_fail();
	}
out:
	OPENSSL_cleanse(&k, sizeof(k));
	return ret;
}

static const char * const tls_aliases[] = { "tls", NULL };

const struct sspictl_pkg tls_pkg = {
	.name = TLS_PKG_NAME,
	.aliases = tls_aliases,
	.import = tls_import,
	.update_keys = tls_update_keys,
	.seal = tls_seal,
	.unseal = tls_unseal,
	.protocol_name = tls_protocol_name,
};
