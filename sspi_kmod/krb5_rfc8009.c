// SPDX-License-Identifier: GPL-2.0
/*
 * sspi_kmod: RFC 8009's AES-CTS-HMAC-SHA2 profile -- keys derived with
 * KDF-HMAC-SHA2 (NIST SP 800-108 counter mode, section 3) and tokens
 * sealed encrypt-then-MAC: the HMAC under Ki covers the zero IV and the
 * ciphertext (section 5), so that nothing unauthenticated is decrypted.
 */

#include <crypto/hash.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "compat.h"
#include "krb5_crypto.h"

/*
 * RFC 8009 section 3: KDF-HMAC-SHA2(key, label, k) = the first k bits of
 * HMAC(key, 00000001 | label | 00 | k), k as 32 bits big-endian.
 * Ke is key_len bytes, Ki and Kc ki_len (@outlen).
 */
static int sspi_krb5_kdf_hmac(const struct sspi_krb5_enctype *et,
			      const u8 *base, const u8 *label, u8 *out,
			      unsigned int outlen)
{
	struct crypto_shash *tfm;
	u8 *buf;
	int err;

	/* counter, label, separator, length; then the digest */
	buf = kzalloc(4 + 5 + 1 + 4 + SSPI_KRB5_MAX_DIGEST, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	tfm = crypto_alloc_shash(et->hmac, 0, 0);
	if (IS_ERR(tfm)) {
		err = PTR_ERR(tfm) == -ENOENT ? -ENOPKG : PTR_ERR(tfm);
		goto out_buf;
	}
	err = crypto_shash_setkey(tfm, base, et->key_len);
	if (err)
		goto out;
	put_unaligned_be32(1, buf);
	memcpy(buf + 4, label, 5);
	put_unaligned_be32(outlen * 8, buf + 10);
	err = crypto_shash_tfm_digest(tfm, buf, 14, buf + 14);
	if (!err)
		memcpy(out, buf + 14, outlen);
out:
	crypto_free_shash(tfm);
out_buf:
	kfree_sensitive(buf);
	return err;
}

/* Encrypt, then checksum the IV and the ciphertext. */
static int sspi_krb5_rfc8009_encrypt(struct sspi_krb5_keys *k,
				     struct sspi_krb5_sealed *s)
{
	struct scatterlist *sg;
	unsigned int bytes;
	int err;

	/*
	 * The checksum's list is the longer one (the signed-only buffers and
	 * the IV): if it fits, so does the cipher's, and no byte is
	 * encrypted before that is known.
	 */
	sg = s->sg(s, SSPI_KRB5_PART_IV_MAC, &bytes);
	if (IS_ERR(sg))
		return PTR_ERR(sg);
	sg = s->sg(s, SSPI_KRB5_PART_ENC, &bytes);
	if (IS_ERR(sg))
		return PTR_ERR(sg);
	err = sspi_krb5_cipher(k, true, sg, bytes);
	if (err)
		return err;
	sg = s->sg(s, SSPI_KRB5_PART_IV_MAC, &bytes);
	if (IS_ERR(sg))
		return PTR_ERR(sg);
	return sspi_krb5_mac(k, SSPI_KRB5_KI, sg, bytes);
}

/* Check the checksum, and only then decrypt. */
static int sspi_krb5_rfc8009_decrypt(struct sspi_krb5_keys *k,
				     struct sspi_krb5_sealed *s)
{
	struct scatterlist *sg;
	unsigned int bytes;
	int err;

	sg = s->sg(s, SSPI_KRB5_PART_IV_MAC, &bytes);
	if (IS_ERR(sg))
		return PTR_ERR(sg);
	err = sspi_krb5_mac(k, SSPI_KRB5_KI, sg, bytes);
	if (err)
		return err;
	if (!sspi_krb5_mac_ok(k, s->mac))
		return -EBADMSG;
	sg = s->sg(s, SSPI_KRB5_PART_ENC, &bytes);
	if (IS_ERR(sg))
		return PTR_ERR(sg);
	s->decrypted = true;
	return sspi_krb5_cipher(k, false, sg, bytes);
}

const struct sspi_krb5_profile sspi_krb5_rfc8009 = {
	.name = "RFC 8009",
	.derive = sspi_krb5_kdf_hmac,
	.encrypt = sspi_krb5_rfc8009_encrypt,
	.decrypt = sspi_krb5_rfc8009_decrypt,
};
