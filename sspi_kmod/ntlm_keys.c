// SPDX-License-Identifier: GPL-2.0
/*
 * sspi_kmod: the NTLM package's keys (MS-NLMP 3.4.5), all of them derived
 * from the ExportedSessionKey at import and fixed for the context's life.
 *
 * With extended session security each direction has its own keys:
 *
 *   SIGNKEY = MD5(ExportedSessionKey || "session key to
 *             {client-to-server|server-to-client} signing key magic
 *             constant\0")
 *   SEALKEY = MD5(ExportedSessionKey[0..n) || "session key to
 *             {client-to-server|server-to-client} sealing key magic
 *             constant\0"), n = 16 (NEGOTIATE_128), 7 (NEGOTIATE_56) or 5
 *
 * the client sending with the client-to-server keys.  The signing key keys
 * the direction's hmac(md5) transform, once; the sealing key its RC4
 * handle (connection mode), or each message's (datagram mode:
 * MD5(SEALKEY || SeqNum), sspi_ntlm_datagram_key()).
 *
 * Without extended session security (NTLMv1) one RC4 handle serves both
 * directions, keyed with the ExportedSessionKey, or with LM_KEY a weakened
 * 8-byte key: its first 7 bytes and 0xa0 (NEGOTIATE_56), else its first 5
 * and e5 38 b0 (40 bits).
 */

#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "ntlm.h"

static const char ntlm_c2s_sign[] =
	"session key to client-to-server signing key magic constant";
static const char ntlm_s2c_sign[] =
	"session key to server-to-client signing key magic constant";
static const char ntlm_c2s_seal[] =
	"session key to client-to-server sealing key magic constant";
static const char ntlm_s2c_seal[] =
	"session key to server-to-client sealing key magic constant";

/* MD5(@key[0..@len) || @tail[0..@tlen)) into @out. */
static int ntlm_md5(struct sspi_ntlm *k, const u8 *key, unsigned int len,
		    const void *tail, unsigned int tlen, u8 *out)
{
	SHASH_DESC_ON_STACK(desc, k->md5);
	int err;

	desc->tfm = k->md5;
	err = crypto_shash_init(desc);
	if (!err)
		err = crypto_shash_update(desc, key, len);
	if (!err)
		err = crypto_shash_finup(desc, tail, tlen, out);
	shash_desc_zero(desc);
	return err;
}

/* KDF(key, constant): the constant with its NUL. */
static int ntlm_kdf(struct sspi_ntlm *k, const u8 *key, unsigned int len,
		    const char *constant, u8 *out)
{
	return ntlm_md5(k, key, len, constant, strlen(constant) + 1, out);
}

static int ntlm_dir_alloc(struct sspi_ntlm_dir *d)
{
	d->hmac = crypto_alloc_shash("hmac(md5)", 0, 0);
	if (IS_ERR(d->hmac)) {
		int err = PTR_ERR(d->hmac);

		d->hmac = NULL;
		return err == -ENOENT ? -ENOPKG : err;
	}
	d->desc = kzalloc(sizeof(*d->desc) + crypto_shash_descsize(d->hmac),
			  GFP_KERNEL_ACCOUNT);
	if (!d->desc)
		return -ENOMEM;
	d->desc->tfm = d->hmac;
	return 0;
}

/* One direction's keys with extended session security. */
static int ntlm_ess_dir(struct sspi_ntlm *k, struct sspi_ntlm_dir *d,
			const u8 *session_key, bool client_to_server)
{
	unsigned int n = k->bits == 128 ? 16 : k->bits == 56 ? 7 : 5;
	u8 key[MD5_DIGEST_SIZE];
	int err;

	err = ntlm_dir_alloc(d);
	if (!err)
		err = ntlm_kdf(k, session_key, SSPI_NTLM_KEY_LEN,
			       client_to_server ? ntlm_c2s_sign : ntlm_s2c_sign,
			       key);
	if (!err)
		err = crypto_shash_setkey(d->hmac, key, sizeof(key));
	if (!err)
		err = ntlm_kdf(k, session_key, n,
			       client_to_server ? ntlm_c2s_seal : ntlm_s2c_seal,
			       d->seal_key);
	if (!err)
		err = arc4_setkey(&d->arc4, d->seal_key, SSPI_NTLM_KEY_LEN);
	memzero_explicit(key, sizeof(key));
	return err;
}

/* The one RC4 key of NTLMv1, weakened under LM_KEY. */
static int ntlm_v1_key(struct sspi_ntlm *k, const u8 *session_key)
{
	u8 key[SSPI_NTLM_KEY_LEN];
	unsigned int len = SSPI_NTLM_KEY_LEN;
	int err;

	memcpy(key, session_key, len);
	if (k->neg_flags & SSPI_NTLMSSP_NEGOTIATE_LM_KEY) {
		if (k->neg_flags & SSPI_NTLMSSP_NEGOTIATE_56) {
			key[7] = 0xa0;
		} else {
			key[5] = 0xe5;
			key[6] = 0x38;
			key[7] = 0xb0;
		}
		len = 8;
	}
	err = arc4_setkey(&k->tx.arc4, key, len);
	memzero_explicit(key, sizeof(key));
	return err;
}

/**
 * sspi_ntlm_keys_init() - derive a context's keys and key its transforms
 * @k: the context, its flags set
 * @session_key: the ExportedSessionKey
 *
 * Return: 0; -ENOPKG when the kernel lacks md5 or hmac(md5); -ENOMEM.  On
 * failure the caller calls sspi_ntlm_keys_free().
 */
int sspi_ntlm_keys_init(struct sspi_ntlm *k, const u8 *session_key)
{
	int err;

	k->md5 = crypto_alloc_shash("md5", 0, 0);
	if (IS_ERR(k->md5)) {
		err = PTR_ERR(k->md5);
		k->md5 = NULL;
		return err == -ENOENT ? -ENOPKG : err;
	}
	if (!k->ess)
		return ntlm_v1_key(k, session_key);
	err = ntlm_ess_dir(k, &k->tx, session_key, k->initiator);
	if (!err)
		err = ntlm_ess_dir(k, &k->rx, session_key, !k->initiator);
	return err;
}

static void ntlm_dir_free(struct sspi_ntlm_dir *d)
{
	if (d->desc)
		kfree_sensitive(d->desc);
	crypto_free_shash(d->hmac);	/* NULL is fine; zeroizes its key */
	memzero_explicit(d, sizeof(*d));
}

/**
 * sspi_ntlm_keys_free() - free the transforms and zeroize every key
 * @k: the context
 */
void sspi_ntlm_keys_free(struct sspi_ntlm *k)
{
	ntlm_dir_free(&k->tx);
	ntlm_dir_free(&k->rx);
	crypto_free_shash(k->md5);
	k->md5 = NULL;
}

/**
 * sspi_ntlm_datagram_key() - key a direction's RC4 handle for one message
 * @k: the context (extended session security, datagram mode)
 * @d: the direction
 * @seq: the message's sequence number (the caller's MessageSeqNo)
 *
 * MS-NLMP 3.4.3: RC4Init(Handle, MD5(SealingKey || SeqNum)).
 *
 * Return: 0 or the hash's error.
 */
int sspi_ntlm_datagram_key(struct sspi_ntlm *k, struct sspi_ntlm_dir *d,
			   u32 seq)
{
	__le32 s = cpu_to_le32(seq);
	u8 key[MD5_DIGEST_SIZE];
	int err;

	err = ntlm_md5(k, d->seal_key, SSPI_NTLM_KEY_LEN, &s, sizeof(s), key);
	if (!err)
		err = arc4_setkey(&d->arc4, key, sizeof(key));
	memzero_explicit(key, sizeof(key));
	return err;
}
