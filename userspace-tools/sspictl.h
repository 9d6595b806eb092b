/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sspictl and sspi-gss: shared declarations.  What talks to the kernel is
 * libsspi's (<sspi_kmod/libsspi.h>); what is here prints and parses.
 */
#ifndef SSPICTL_H
#define SSPICTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>
#include <stdio.h>
#include <sys/types.h>
#include <linux/sspi.h>
#include <sspi_kmod/libsspi.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define BIT(n) (1UL << (n))
#define __printf(a, b) __attribute__((__format__(printf, a, b)))

/* The kernel's names for <linux/types.h>'s types, as tools/include has */
typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;

/* Exit statuses: 0 success, 1 failure (reason on stderr), 2 usage */
#define EXIT_FAIL	1
#define EXIT_USAGE	2

extern bool opt_json;
extern bool opt_stats;
extern bool opt_ioctl;
extern bool opt_verbose;
extern bool err_quiet;
/* The program's name, which messages begin with: each main() defines it */
extern const char prog_name[];

/* cli.c: "PROG: " + message on stderr */
__printf(2, 3) int usage_error(const char *usage, const char *fmt, ...);
__printf(1, 2) void err_msg(const char *fmt, ...);
__printf(1, 2) void verbose(const char *fmt, ...);
/* The last libsspi failure, said (unless err_quiet); returns -1 */
int lib_err(void);
/* The same, returning EXIT_FAIL */
int lib_fail(void);

/* json.c: minimal JSON writer for -j, on stdout */
void json_string(FILE *f, const char *s);
void json_open(char bracket);
void json_close(char bracket);
void json_key(const char *key);
void json_str(const char *s);
void json_uint(u64 v);
void json_bool(bool v);
void json_hex(const u8 *b, size_t len);
void json_handle(u64 handle);

/* parse.c: command-line values */
int parse_hex(const char *s, u8 *buf, size_t max, size_t *len);
int parse_u64(const char *s, u64 *v);
int parse_u32(const char *s, u32 *v);
int parse_handle(const char *s, u64 *handle);
void print_hex(FILE *f, const u8 *b, size_t len);
bool is_help(const char *arg);

/* An option: a value (@arg) or a flag (@flag) */
struct opt {
	const char *name;
	const char **arg;
	bool *flag;
};

#define OPT(_name, _arg)	{ .name = (_name), .arg = (_arg) }
#define FLAG(_name, _flag)	{ .name = (_name), .flag = (_flag) }

int parse_opts(int argc, char **argv, const struct opt *opts, size_t n_opts,
	       char **pos, int max_pos, int *n_pos, const char *usage);

/* io.c: the transport the options chose, standard input and output */
int msg_transport(u8 cmd, struct sspi_msg *m);
int write_all(const u8 *p, size_t len);
ssize_t read_full(u8 *p, size_t len);
int read_input(u8 **buf, size_t *len, size_t max);
int print_handle(u64 handle);
int handle_args(int argc, char **argv, const char *usage,
		const struct opt *opts, size_t n_opts, u64 *handle);

/* ctx.c: contexts */
int ctx_query(u64 handle, struct sspi_ctx_info *info);
int cmd_ctx(int argc, char **argv);
int cmd_pkg(int argc, char **argv);

/*
 * pkgs.c: what sspictl does differently for each package, one entry per
 * package (tls.c, tls_seal.c: "Schannel"; krb5.c, token.c: "Kerberos";
 * ntlm.c, token.c: "NTLM"; negotiate.c: "Negotiate").  Adding a package
 * is one file of these functions and one table entry.  A delegating
 * package (Negotiate) has no seal or unseal: its contexts' are the
 * negotiated package's.
 */
struct sspictl_pkg {
	const char *name;		/* the kernel's name for it */
	const char * const *aliases;	/* the command line's, NULL-ended */
	/* ctx import ALIAS ARGS: an exit status */
	int (*import)(int argc, char **argv);
	/* ctx update-keys HANDLE ARGS: an exit status */
	int (*update_keys)(int argc, char **argv);
	/*
	 * seal: stdin to stdout, an exit status.  @ci is NULL when the
	 * context could not be asked about (--ioctl: the kernel says why)
	 */
	int (*seal)(u64 handle, u32 qop, const struct sspi_ctx_info *ci);
	/* unseal: stdin to stdout, an exit status */
	int (*unseal)(u64 handle);
	/* ctx show: the name of the context's protocol version */
	const char *(*protocol_name)(u32 protocol);
};

const struct sspictl_pkg *pkg_by_name(const char *name);
const struct sspictl_pkg *pkg_by_alias(const char *alias);
/* The package of a context that cannot be asked about: TLS records */
const struct sspictl_pkg *pkg_fallback(void);
/* The package ctx update-keys is for */
const struct sspictl_pkg *pkg_update_keys(void);

extern const struct sspictl_pkg tls_pkg;
extern const struct sspictl_pkg krb5_pkg;
extern const struct sspictl_pkg ntlm_pkg;
extern const struct sspictl_pkg negotiate_pkg;

/* tls_keys.c: TLS traffic keys from an NSS key log */
struct tls_cipher_info {
	const char *name;
	u16 id;		/* SSPI_TLS_CIPHER_* */
	unsigned int key_len;
	const char *hash;	/* the suite's PRF / HKDF hash */
	unsigned int hash_len;
};

const struct tls_cipher_info *tls_cipher_by_name(const char *name);
const struct tls_cipher_info *tls_cipher_by_id(u16 id);

#define TLS_SECRET_MAX	64
#define TLS_RANDOM_LEN	32

/* What a key log holds for one client random */
struct tls_keylog {
	u8 master[TLS_SECRET_MAX];		/* CLIENT_RANDOM (1.2) */
	size_t master_len;
	u8 client_secret[TLS_SECRET_MAX];	/* CLIENT_TRAFFIC_SECRET_0 */
	size_t client_secret_len;
	u8 server_secret[TLS_SECRET_MAX];	/* SERVER_TRAFFIC_SECRET_0 */
	size_t server_secret_len;
};

int tls_keylog_read(const char *path, const u8 *client_random,
		    struct tls_keylog *kl);
void tls_keylog_wipe(struct tls_keylog *kl);
int tls13_expand_label(const char *hash, const u8 *secret,
		       size_t secret_len, const char *label, u8 *out,
		       size_t out_len);
int tls13_traffic_keys(const struct tls_cipher_info *c, const u8 *secret,
		       size_t secret_len, struct sspi_tls_keys *k);
int tls13_next_secret(const struct tls_cipher_info *c, u8 *secret,
		      size_t secret_len);
int tls12_key_block(const struct tls_cipher_info *c, const u8 *master,
		    size_t master_len, const u8 *server_random,
		    const u8 *client_random, struct sspi_tls_keys *client,
		    struct sspi_tls_keys *server);
void tls_put_seq(struct sspi_tls_keys *k, u64 seq);

/* tls.c: the TLS-record package's command line */
int cmd_tls(int argc, char **argv);
int tls_import(int argc, char **argv);
int tls_update_keys(int argc, char **argv);
const char *tls_protocol_name(u32 protocol);

/* tls_seal.c: TLS records */
int tls_seal(u64 handle, u32 qop, const struct sspi_ctx_info *ci);
int tls_unseal(u64 handle);

/* krb5.c: the Kerberos package's ("Kerberos") import */
#define KRB5_PKG_NAME	"Kerberos"

int krb5_import(int argc, char **argv);
int krb5_import_args(int argc, char **argv, struct sspi_krb5_import *imp,
		     struct sspi_ctx_limit *limit, bool *print_keys);
void krb5_print_import(const struct sspi_krb5_import *imp,
		       const struct sspi_ctx_limit *limit);

/* ntlm.c: the NTLM package's ("NTLM") import */
#define NTLM_PKG_NAME	"NTLM"

int ntlm_import_args(int argc, char **argv, struct sspi_ntlm_import *imp,
		     struct sspi_ctx_limit *limit, bool *print_keys);
void ntlm_print_import(const struct sspi_ntlm_import *imp,
		       const struct sspi_ctx_limit *limit);

/* negotiate.c: the Negotiate package's ("Negotiate") import */
#define NEGOTIATE_PKG_NAME	"Negotiate"

/* seal.c: seal and unseal, for the context's package */
int cmd_seal(int argc, char **argv);
int cmd_unseal(int argc, char **argv);

/* token.c: GSSAPI-style messages, one token each (Kerberos, NTLM) */
int krb5_seal(u64 handle, u32 qop, const struct sspi_ctx_info *ci);
int ntlm_seal(u64 handle, u32 qop, const struct sspi_ctx_info *ci);
int token_unseal(u64 handle);
int cmd_sign(int argc, char **argv);
int cmd_verify(int argc, char **argv);

#endif
