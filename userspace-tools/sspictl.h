/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sspictl: shared declarations.
 */
#ifndef SSPICTL_H
#define SSPICTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/sspi.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Exit statuses: 0 success, 1 failure (reason on stderr), 2 usage */
#define EXIT_FAIL	1
#define EXIT_USAGE	2

extern bool opt_json;
extern bool opt_ioctl;
extern bool err_quiet;

/* sspictl.c: "sspictl: " + message on stderr; returns EXIT_USAGE */
int usage_error(const char *usage, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void err_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* status.c: SSPI status codes and their names */
struct sspi_status_info {
	uint32_t status;
	const char *name;
};

const struct sspi_status_info *sspi_status_by_value(uint32_t status);
const struct sspi_status_info *sspi_status_by_name(const char *name);
const struct sspi_status_info *sspi_status_table(size_t *n);
const char *sspi_status_name(uint32_t status);
bool sspi_status_failed(uint32_t status);

/* json.c: minimal JSON writer for -j, on stdout */
void json_string(FILE *f, const char *s);
void json_open(char bracket);
void json_close(char bracket);
void json_key(const char *key);
void json_str(const char *s);
void json_uint(uint64_t v);
void json_hex(const uint8_t *b, size_t len);
void json_handle(uint64_t handle);

/* parse.c: command-line values */
int parse_hex(const char *s, uint8_t *buf, size_t max, size_t *len);
int parse_u64(const char *s, uint64_t *v);
int parse_u32(const char *s, uint32_t *v);
int parse_handle(const char *s, uint64_t *handle);
void print_hex(FILE *f, const uint8_t *b, size_t len);
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
	uint32_t type;
	uint32_t len;
	uint8_t *data;	/* NULL: a buffer with no bytes of its own */
};

/* One EncryptMessage / DecryptMessage */
struct sspi_msg {
	uint64_t handle;
	uint32_t qop;
	uint32_t status;
	unsigned int count;
	struct sspi_buf buf[SSPICTL_MAX_BUFS];
};

struct sspi_buf *sspi_msg_find(struct sspi_msg *m, uint32_t type);

/*
 * nl.c: the "sspi" generic netlink family.  Functions returning int give
 * 0 on success and -1 after printing why not.
 */
struct nl_msg;
struct nlattr;

typedef int (*nl_reply_fn)(struct nlattr **tb, struct nlattr *attrs, int len,
			   void *arg);

int nl_open(void);
struct nl_msg *nl_request(uint8_t cmd, int flags, size_t size);
int nl_exchange(struct nl_msg *msg, nl_reply_fn fn, void *arg);
int nl_message(uint8_t cmd, struct sspi_msg *m);
const char *nl_attr_name(int type);

/* ioc.c: /dev/sspi */
int ioc_message(bool decrypt, struct sspi_msg *m);

/* ctx.c: contexts and packages */
struct sspi_ctx_info {
	uint64_t handle;
	char package[64];
	uint32_t owner;
	uint64_t expiry;
	uint32_t protocol;
	char cipher[64];
	char tx_driver[128];
	char rx_driver[128];
	uint64_t tx_seq;
	uint64_t rx_seq;
	uint32_t sizes[SSPI_SIZES_MAX + 1];
	bool has_sizes;
};

int ctx_query(uint64_t handle, struct sspi_ctx_info *info);
int ctx_import(const char *pkg, const void *blob, size_t len,
	       uint32_t lifetime, bool has_lifetime, uint64_t *handle);
int ctx_update_keys(uint64_t handle, uint32_t dir, const void *keys,
		    size_t len);
int cmd_ctx(int argc, char **argv);
int cmd_pkg(int argc, char **argv);

/* tls_keys.c: TLS traffic keys from an NSS key log */
struct tls_cipher_info {
	const char *name;
	uint16_t id;		/* SSPI_TLS_CIPHER_* */
	unsigned int key_len;
	const char *hash;	/* the suite's PRF / HKDF hash */
	unsigned int hash_len;
};

const struct tls_cipher_info *tls_cipher_by_name(const char *name);
const struct tls_cipher_info *tls_cipher_by_id(uint16_t id);

#define TLS_SECRET_MAX	64
#define TLS_RANDOM_LEN	32

/* What a key log holds for one client random */
struct tls_keylog {
	uint8_t master[TLS_SECRET_MAX];		/* CLIENT_RANDOM (1.2) */
	size_t master_len;
	uint8_t client_secret[TLS_SECRET_MAX];	/* CLIENT_TRAFFIC_SECRET_0 */
	size_t client_secret_len;
	uint8_t server_secret[TLS_SECRET_MAX];	/* SERVER_TRAFFIC_SECRET_0 */
	size_t server_secret_len;
};

int tls_keylog_read(const char *path, const uint8_t *client_random,
		    struct tls_keylog *kl);
void tls_keylog_wipe(struct tls_keylog *kl);
int tls13_expand_label(const char *hash, const uint8_t *secret,
		       size_t secret_len, const char *label, uint8_t *out,
		       size_t out_len);
int tls13_traffic_keys(const struct tls_cipher_info *c, const uint8_t *secret,
		       size_t secret_len, struct sspi_tls_keys *k);
int tls13_next_secret(const struct tls_cipher_info *c, uint8_t *secret,
		      size_t secret_len);
int tls12_key_block(const struct tls_cipher_info *c, const uint8_t *master,
		    size_t master_len, const uint8_t *server_random,
		    const uint8_t *client_random, struct sspi_tls_keys *client,
		    struct sspi_tls_keys *server);
void tls_put_seq(struct sspi_tls_keys *k, uint64_t seq);

/* tls.c: the TLS-record package's command line */
int cmd_ctx_import_tls(int argc, char **argv);
int cmd_ctx_update_keys(int argc, char **argv);
int cmd_tls(int argc, char **argv);

/* seal.c: the data path */
int cmd_seal(int argc, char **argv);
int cmd_unseal(int argc, char **argv);

#endif
