// SPDX-License-Identifier: GPL-2.0
/*
 * sspictl: TLS traffic keys from an NSS key log (SSLKEYLOGFILE, OpenSSL's
 * keylog callback), derived with libcrypto's KDFs:
 *
 * - TLS 1.3 (RFC 8446 7.1, 7.3): from CLIENT_TRAFFIC_SECRET_0 and
 *   SERVER_TRAFFIC_SECRET_0, key = HKDF-Expand-Label(secret, "key", "",
 *   key length), iv = HKDF-Expand-Label(secret, "iv", "", 12); a key
 *   update's next secret is HKDF-Expand-Label(secret, "traffic upd", "",
 *   Hash.length);
 * - TLS 1.2 (RFC 5246 6.3): from CLIENT_RANDOM's master secret, key_block
 *   = PRF(master, "key expansion", server_random || client_random), cut
 *   into client_write_key, server_write_key, client_write_IV,
 *   server_write_IV (AEAD suites have no MAC keys; the IVs are 4 bytes
 *   for AES-GCM, RFC 5288, and 12 for ChaCha20-Poly1305, RFC 7905).
 *
 * The hash is SHA-384 for the AES-256-GCM suites, SHA-256 otherwise.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>

#include "sspictl.h"

#define TLS13_LABEL_PREFIX	"tls13 "
#define TLS_IV_LEN		12
#define TLS12_GCM_SALT_LEN	4

static const struct tls_cipher_info ciphers[] = {
	{ "aes-128-gcm", SSPI_TLS_CIPHER_AES_GCM_128, 16, "SHA256", 32 },
	{ "aes-256-gcm", SSPI_TLS_CIPHER_AES_GCM_256, 32, "SHA384", 48 },
	{ "chacha20-poly1305", SSPI_TLS_CIPHER_CHACHA20_POLY1305, 32,
	  "SHA256", 32 },
};

const struct tls_cipher_info *tls_cipher_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ciphers); i++)
		if (!strcasecmp(ciphers[i].name, name))
			return &ciphers[i];
	return NULL;
}

const struct tls_cipher_info *tls_cipher_by_id(u16 id)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ciphers); i++)
		if (ciphers[i].id == id)
			return &ciphers[i];
	return NULL;
}

static void crypto_error(const char *what)
{
	unsigned long e = ERR_get_error();

	err_msg("%s: %s", what, e ? ERR_reason_error_string(e) : "failed");
	ERR_clear_error();
}

/* Parse one secret field; false if it is no hex of at most the room */
static bool keylog_secret(const char *hex, u8 *buf, size_t *len)
{
	return !parse_hex(hex, buf, TLS_SECRET_MAX, len);
}

/*
 * The secrets @path holds for @client_random (a later line for the same
 * label wins).  0, or -1 after saying why.  Finding none is not an error
 * here: the lengths stay zero.
 */
int tls_keylog_read(const char *path, const u8 *client_random,
		    struct tls_keylog *kl)
{
	char *line = NULL, *label, *cr_hex, *secret_hex, *save;
	u8 cr[TLS_RANDOM_LEN];
	size_t size = 0, cr_len;
	unsigned int lineno = 0;
	bool ok = true;
	FILE *f;

	memset(kl, 0, sizeof(*kl));
	f = fopen(path, "r");
	if (!f) {
		err_msg("%s: %s", path, strerror(errno));
		return -1;
	}
	while (ok && getline(&line, &size, f) >= 0) {
		lineno++;
		label = strtok_r(line, " \t\r\n", &save);
		if (!label || label[0] == '#')
			continue;
		cr_hex = strtok_r(NULL, " \t\r\n", &save);
		secret_hex = strtok_r(NULL, " \t\r\n", &save);
		if (!cr_hex || !secret_hex ||
		    parse_hex(cr_hex, cr, sizeof(cr), &cr_len) ||
		    cr_len != TLS_RANDOM_LEN ||
		    memcmp(cr, client_random, TLS_RANDOM_LEN))
			continue;
		if (!strcmp(label, "CLIENT_RANDOM"))
			ok = keylog_secret(secret_hex, kl->master,
					   &kl->master_len);
		else if (!strcmp(label, "CLIENT_TRAFFIC_SECRET_0"))
			ok = keylog_secret(secret_hex, kl->client_secret,
					   &kl->client_secret_len);
		else if (!strcmp(label, "SERVER_TRAFFIC_SECRET_0"))
			ok = keylog_secret(secret_hex, kl->server_secret,
					   &kl->server_secret_len);
		if (!ok)
			err_msg("%s:%u: %s: malformed secret", path, lineno,
				label);
	}
	if (line) {
		OPENSSL_cleanse(line, size);
		free(line);
	}
	if (ok && ferror(f)) {
		err_msg("%s: read error", path);
		ok = false;
	}
	fclose(f);
	if (!ok)
		tls_keylog_wipe(kl);
	return ok ? 0 : -1;
}

void tls_keylog_wipe(struct tls_keylog *kl)
{
	OPENSSL_cleanse(kl, sizeof(*kl));
}

/* HKDF-Expand-Label(secret, label, "", out_len) with @hash */
int tls13_expand_label(const char *hash, const u8 *secret,
		       size_t secret_len, const char *label, u8 *out,
		       size_t out_len)
{
	u8 info[2 + 1 + 255 + 1];
	size_t label_len = strlen(TLS13_LABEL_PREFIX) + strlen(label);
	int mode = EVP_KDF_HKDF_MODE_EXPAND_ONLY;
	OSSL_PARAM params[5];
	EVP_KDF_CTX *kctx;
	EVP_KDF *kdf;
	int ret = -1;

	if (label_len > 255 || out_len > 0xffff)
		return -1;
	/* struct HkdfLabel: length, label, an empty context */
	info[0] = out_len >> 8;
	info[1] = out_len & 0xff;
	info[2] = label_len;
	memcpy(info + 3, TLS13_LABEL_PREFIX, strlen(TLS13_LABEL_PREFIX));
	memcpy(info + 3 + strlen(TLS13_LABEL_PREFIX), label, strlen(label));
	info[3 + label_len] = 0;

	kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
	kctx = kdf ? EVP_KDF_CTX_new(kdf) : NULL;
	EVP_KDF_free(kdf);
	if (!kctx) {
		crypto_error("HKDF");
		return -1;
	}
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
						     (char *)hash, 0);
	params[1] = OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode);
	params[2] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
						      (void *)secret,
						      secret_len);
	params[3] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO,
						      info, label_len + 4);
	params[4] = OSSL_PARAM_construct_end();
	if (EVP_KDF_derive(kctx, out, out_len, params) <= 0)
		crypto_error("HKDF-Expand-Label");
	else
		ret = 0;
	EVP_KDF_CTX_free(kctx);
	return ret;
}

/* A TLS 1.3 direction's key and IV from its traffic secret; sequence 0 */
int tls13_traffic_keys(const struct tls_cipher_info *c, const u8 *secret,
		       size_t secret_len, struct sspi_tls_keys *k)
{
	memset(k, 0, sizeof(*k));
	if (tls13_expand_label(c->hash, secret, secret_len, "key", k->key,
			       c->key_len) ||
	    tls13_expand_label(c->hash, secret, secret_len, "iv", k->iv,
			       TLS_IV_LEN)) {
		OPENSSL_cleanse(k, sizeof(*k));
		return -1;
	}
	return 0;
}

/* application_traffic_secret_N+1 in place of _N */
int tls13_next_secret(const struct tls_cipher_info *c, u8 *secret,
		      size_t secret_len)
{
	u8 next[TLS_SECRET_MAX];
	int ret;

	if (secret_len > sizeof(next))
		return -1;
	ret = tls13_expand_label(c->hash, secret, secret_len, "traffic upd",
				 next, secret_len);
	if (!ret)
		memcpy(secret, next, secret_len);
	OPENSSL_cleanse(next, sizeof(next));
	return ret;
}

/* PRF(master, "key expansion", server_random || client_random) */
static int tls12_prf(const char *hash, const u8 *master,
		     size_t master_len, const u8 *server_random,
		     const u8 *client_random, u8 *out,
		     size_t out_len)
{
	static const char label[] = "key expansion";
	u8 seed[sizeof(label) - 1 + 2 * TLS_RANDOM_LEN];
	OSSL_PARAM params[4];
	EVP_KDF_CTX *kctx;
	EVP_KDF *kdf;
	int ret = -1;

	memcpy(seed, label, sizeof(label) - 1);
	memcpy(seed + sizeof(label) - 1, server_random, TLS_RANDOM_LEN);
	memcpy(seed + sizeof(label) - 1 + TLS_RANDOM_LEN, client_random,
	       TLS_RANDOM_LEN);

	kdf = EVP_KDF_fetch(NULL, "TLS1-PRF", NULL);
	kctx = kdf ? EVP_KDF_CTX_new(kdf) : NULL;
	EVP_KDF_free(kdf);
	if (!kctx) {
		crypto_error("TLS1-PRF");
		return -1;
	}
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
						     (char *)hash, 0);
	params[1] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SECRET,
						      (void *)master,
						      master_len);
	params[2] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SEED,
						      seed, sizeof(seed));
	params[3] = OSSL_PARAM_construct_end();
	if (EVP_KDF_derive(kctx, out, out_len, params) <= 0)
		crypto_error("TLS1-PRF");
	else
		ret = 0;
	EVP_KDF_CTX_free(kctx);
	return ret;
}

/*
 * The TLS 1.2 keys of both directions.  The IVs are the 4-byte salt
 * (AES-GCM; the explicit-nonce half is left zero for the caller) or the
 * 12-byte fixed IV (ChaCha20-Poly1305); sequence numbers zero.
 */
int tls12_key_block(const struct tls_cipher_info *c, const u8 *master,
		    size_t master_len, const u8 *server_random,
		    const u8 *client_random, struct sspi_tls_keys *client,
		    struct sspi_tls_keys *server)
{
	size_t iv_len = c->id == SSPI_TLS_CIPHER_CHACHA20_POLY1305 ?
			TLS_IV_LEN : TLS12_GCM_SALT_LEN;
	u8 block[2 * 32 + 2 * TLS_IV_LEN];
	size_t kl = c->key_len;

	memset(client, 0, sizeof(*client));
	memset(server, 0, sizeof(*server));
	if (tls12_prf(c->hash, master, master_len, server_random,
		      client_random, block, 2 * kl + 2 * iv_len))
		return -1;
	memcpy(client->key, block, kl);
	memcpy(server->key, block + kl, kl);
	memcpy(client->iv, block + 2 * kl, iv_len);
	memcpy(server->iv, block + 2 * kl + iv_len, iv_len);
	OPENSSL_cleanse(block, sizeof(block));
	return 0;
}

void tls_put_seq(struct sspi_tls_keys *k, u64 seq)
{
	int i;

	for (i = 7; i >= 0; i--, seq >>= 8)
		k->rec_seq[i] = seq & 0xff;
}
