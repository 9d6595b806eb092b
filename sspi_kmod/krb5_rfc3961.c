// SPDX-License-Identifier: GPL-2.0
/*
 * sspi_kmod: RFC 3961's simplified profile, as RFC 3962's AES enctypes
 * use it -- keys derived with DK (section 5.1 n-fold, section 5.3 DK)
 * and tokens sealed MAC-and-encrypt: the HMAC under Ki covers the
 * plaintext, the cipher under Ke the same bytes (section 5.3).
 */

#include <crypto/skcipher.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/gcd.h>
#include <linux/kernel.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "krb5_crypto.h"

/* Byte @pos of @in (@len bytes) rotated right by @rot bits. */
static u8 sspi_krb5_rotated_byte(const u8 *in, unsigned int len,
				 unsigned int rot, unsigned int pos)
{
	unsigned int bits = len * 8;
	unsigned int start = (pos * 8 + bits - rot % bits) % bits;
	unsigned int shift = start % 8;
	u8 b = in[start / 8] << shift;

	if (shift)
		b |= in[(start / 8 + 1) % len] >> (8 - shift);
	return b;
}

/**
 * sspi_krb5_nfold() - RFC 3961 section 5.1 n-fold
 * @in: the input
 * @inlen: its length in bytes, at least 1
 * @out: where the result goes
 * @outlen: its length in bytes, at least 1
 *
 * The input is repeated, each copy rotated 13 bits further right, up to
 * the least common multiple of both lengths; the @outlen-byte pieces are
 * added in ones'-complement arithmetic.  Here byte by byte from the end,
 * each carry going into the next byte up and the carry out of the top of
 * a piece into the bottom of the next (the end-around carry).
 */
void sspi_krb5_nfold(const u8 *in, unsigned int inlen, u8 *out,
		     unsigned int outlen)
{
	unsigned int lcm = inlen / gcd(inlen, outlen) * outlen;
	unsigned int carry = 0, i;

	memset(out, 0, outlen);
	for (i = lcm; i-- > 0;) {
		carry += out[i % outlen] +
			 sspi_krb5_rotated_byte(in, inlen, 13 * (i / inlen),
						i % inlen);
		out[i % outlen] = carry;
		carry >>= 8;
	}
	while (carry) {
		for (i = outlen; carry && i-- > 0;) {
			carry += out[i];
			out[i] = carry;
			carry >>= 8;
		}
	}
}

/*
 * RFC 3961 DK for AES: random-to-key is the identity, so the key is the
 * first key_len bytes of E(n-fold(constant)), E(E(n-fold(constant))), ...
 * -- which is CBC with a zero IV over the folded constant followed by
 * zeros.  Ki and Kc are as long as Ke here (@len, at most key_len).
 */
static int sspi_krb5_dk(const struct sspi_krb5_enctype *et, const u8 *base,
			const u8 *constant, u8 *out, unsigned int len)
{
	struct crypto_skcipher *tfm;
	struct skcipher_request *req = NULL;
	struct scatterlist sg;
	DECLARE_CRYPTO_WAIT(wait);
	u8 *buf;
	int err;

	buf = kzalloc(2 * SSPI_KRB5_BLOCK + SSPI_KRB5_BLOCK, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	tfm = crypto_alloc_skcipher("cbc(aes)", 0, 0);
	if (IS_ERR(tfm)) {
		err = PTR_ERR(tfm) == -ENOENT ? -ENOPKG : PTR_ERR(tfm);
		goto out_buf;
	}
	err = crypto_skcipher_setkey(tfm, base, et->key_len);
	if (err)
		goto out;
	req = skcipher_request_alloc(tfm, GFP_KERNEL);
	if (!req) {
		err = -ENOMEM;
		goto out;
	}
	sspi_krb5_nfold(constant, 5, buf, SSPI_KRB5_BLOCK);
	sg_init_one(&sg, buf, 2 * SSPI_KRB5_BLOCK);
	skcipher_request_set_callback(req, CRYPTO_TFM_REQ_MAY_BACKLOG |
				      CRYPTO_TFM_REQ_MAY_SLEEP,
				      crypto_req_done, &wait);
	/* the IV: the last block of @buf, zero */
	skcipher_request_set_crypt(req, &sg, &sg, 2 * SSPI_KRB5_BLOCK,
				   buf + 2 * SSPI_KRB5_BLOCK);
	err = crypto_wait_req(crypto_skcipher_encrypt(req), &wait);
	if (!err)
		memcpy(out, buf, len);
	skcipher_request_free(req);
out:
	crypto_free_skcipher(tfm);
out_buf:
	kfree_sensitive(buf);
	return err;
}

/* Checksum the plaintext, then encrypt it. */
static int sspi_krb5_rfc3961_encrypt(struct sspi_krb5_keys *k,
				     struct sspi_krb5_sealed *s)
{
	struct scatterlist *sg;
	unsigned int bytes;
	int err;

	/*
	 * The checksum's list is the longer one (the signed-only buffers):
	 * once it is built, so can the cipher's be.
	 */
	sg = s->sg(s, SSPI_KRB5_PART_MAC, &bytes);
	if (IS_ERR(sg))
		return PTR_ERR(sg);
	err = sspi_krb5_mac(k, SSPI_KRB5_KI, sg, bytes);
	if (err)
		return err;
	sg = s->sg(s, SSPI_KRB5_PART_ENC, &bytes);
	if (IS_ERR(sg))
		return PTR_ERR(sg);
	return sspi_krb5_cipher(k, true, sg, bytes);
}

/* Decrypt, then checksum the plaintext: the caller wipes what failed. */
static int sspi_krb5_rfc3961_decrypt(struct sspi_krb5_keys *k,
				     struct sspi_krb5_sealed *s)
{
	struct scatterlist *sg;
	unsigned int bytes;
	int err;

	sg = s->sg(s, SSPI_KRB5_PART_ENC, &bytes);
	if (IS_ERR(sg))
		return PTR_ERR(sg);
	s->decrypted = true;
	err = sspi_krb5_cipher(k, false, sg, bytes);
	if (err)
		return err;
	sg = s->sg(s, SSPI_KRB5_PART_MAC, &bytes);
	if (IS_ERR(sg))
		return PTR_ERR(sg);
	err = sspi_krb5_mac(k, SSPI_KRB5_KI, sg, bytes);
	if (!err && !sspi_krb5_mac_ok(k, s->mac))
		err = -EBADMSG;
	return err;
}

const struct sspi_krb5_profile sspi_krb5_rfc3961 = {
	.name = "RFC 3961 simplified profile",
	.derive = sspi_krb5_dk,
	.encrypt = sspi_krb5_rfc3961_encrypt,
	.decrypt = sspi_krb5_rfc3961_decrypt,
};
