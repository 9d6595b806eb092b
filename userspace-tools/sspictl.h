/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sspictl: shared declarations.
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
extern bool opt_ioctl;
extern bool opt_verbose;
extern bool err_quiet;

/* sspictl.c: "sspictl: " + message on stderr; returns EXIT_USAGE */
__printf(2, 3) int usage_error(const char *usage, const char *fmt, ...);
__printf(1, 2) void err_msg(const char *fmt, ...);

/* status.c: SSPI status codes and their names */
struct sspi_status_info {
	u32 status;
	const char *name;
};

const struct sspi_status_info *sspi_status_by_value(u32 status);
const struct sspi_status_info *sspi_status_by_name(const char *name);
const struct sspi_status_info *sspi_status_table(size_t *n);
const char *sspi_status_name(u32 status);
bool sspi_status_failed(u32 status);

/* json.c: minimal JSON writer for -j, on stdout */
void json_string(FILE *f, const char *s);
void json_open(char bracket);
void json_close(char bracket);
void json_key(const char *key);
void json_str(const char *s);
void json_uint(u64 v);
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

/* A SecBuffer as the transports hand it over */
#define SSPICTL_MAX_BUFS	16

struct sspi_buf {
	u32 type;
	u32 len;
	u8 *data;	/* NULL: a buffer with no bytes of its own */
};

/* One EncryptMessage / DecryptMessage / MakeSignature / VerifySignature */
struct sspi_msg {
	u64 handle;
	u32 qop;
	u32 status;
	unsigned int count;
	struct sspi_buf buf[SSPICTL_MAX_BUFS];
};

struct sspi_buf *sspi_msg_find(struct sspi_msg *m, u32 type);

/*
 * nl.c: the "sspi" generic netlink family.  Functions returning int give
 * 0 on success and -1 after printing why not.
 */
struct nl_msg;
struct nlattr;

typedef int (*nl_reply_fn)(struct nlattr **tb, struct nlattr *attrs, int len,
			   void *arg);

int nl_open(void);
struct nl_msg *nl_request(u8 cmd, int flags, size_t size);
int nl_exchange(struct nl_msg *msg, nl_reply_fn fn, void *arg);
int nl_message(u8 cmd, struct sspi_msg *m);
const char *nl_attr_name(int type);

/* ioc.c: /dev/sspi; @cmd is the SSPI_CMD_* of the operation */
int ioc_message(u8 cmd, struct sspi_msg *m);

/* ctx.c: contexts and packages */
struct sspi_ctx_info {
	u64 handle;
	char package[64];
	u32 owner;
	u64 expiry;
	u32 protocol;
	char cipher[64];
	char tx_driver[128];
	char rx_driver[128];
	u64 tx_seq;
	u64 rx_seq;
	u32 sizes[SSPI_SIZES_MAX + 1];
	bool has_sizes;
};

int ctx_query(u64 handle, struct sspi_ctx_info *info);
/* How long an imported context lives: neither, or one of the two */
struct ctx_limit {
	bool has_lifetime;
	u32 lifetime;		/* SSPI_A_CTX_LIFETIME: seconds from now */
	bool has_expiry;
	u64 expiry;		/* SSPI_A_CTX_EXPIRY: CLOCK_REALTIME second */
};

int ctx_import(const char *pkg, const void *blob, size_t len,
	       const struct ctx_limit *limit, u64 *handle);
int print_handle(u64 handle);
int ctx_update_keys(u64 handle, u32 dir, const void *keys,
		    size_t len);
int cmd_ctx(int argc, char **argv);
int cmd_pkg(int argc, char **argv);

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
int cmd_ctx_import_tls(int argc, char **argv);
int cmd_ctx_update_keys(int argc, char **argv);
int cmd_tls(int argc, char **argv);

/* krb5.c: the Kerberos package's ("Kerberos") import */
#define KRB5_PKG_NAME	"Kerberos"

int cmd_ctx_import_krb5(int argc, char **argv);

/* seal.c: the data path */
int msg_transport(u8 cmd, struct sspi_msg *m);
int write_all(const u8 *p, size_t len);
ssize_t read_full(u8 *p, size_t len);
int read_input(u8 **buf, size_t *len, size_t max);
int cmd_seal(int argc, char **argv);
int cmd_unseal(int argc, char **argv);

/* token.c: Kerberos-style messages, one token each */
int krb5_seal(u64 handle, u32 qop, const struct sspi_ctx_info *ci);
int krb5_unseal(u64 handle);
int cmd_sign(int argc, char **argv);
int cmd_verify(int argc, char **argv);

#endif
