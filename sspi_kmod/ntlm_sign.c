// SPDX-License-Identifier: GPL-2.0
/*
 * sspi_kmod: the signature of one NTLM message, and sealing and unsealing
 * it (MS-NLMP 3.4.3, 3.4.4).  The signature, NTLMSSP_MESSAGE_SIGNATURE, is
 * 16 bytes:
 *
 * with extended session security (3.4.4.2)
 *   0..3   Version   01 00 00 00
 *   4..11  Checksum  HMAC-MD5(SigningKey, SeqNum || message)[0..8],
 *                    RC4-encrypted under NEGOTIATE_KEY_EXCH
 *   12..15 SeqNum    little endian, in the clear
 *
 * without it (NTLMv1, 3.4.4.1)
 *   0..3   Version   01 00 00 00
 *   4..7   RandomPad RC4(0): sent as 0, as gss-ntlmssp (which checks it)
 *                    and MS-NLMP's examples do; never judged on receipt,
 *                    as Samba sends the RC4 output itself
 *   8..11  Checksum  RC4(CRC32(message))
 *   12..15 SeqNum    RC4(SeqNum)
 *
 * The message is the DATA buffers in order, encrypted ones and ones
 * signed only; sealing encrypts the first with the direction's RC4 handle
 * before the signature's RC4 bytes are taken from the same handle.  The
 * checksum is over the plaintext.
 */

#include <crypto/algapi.h>
#include <linux/crc32.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/scatterlist.h>
#include <linux/string.h>

#include "buffer.h"
#include "compat.h"
#include "ntlm.h"

enum ntlm_pass { NTLM_SEAL, NTLM_UNSEAL, NTLM_WIPE };

/*
 * One run of contiguous message bytes at @p: NTLM_SEAL sums then
 * encrypts, NTLM_UNSEAL decrypts then sums, NTLM_WIPE zeroes what was
 * decrypted; in place.  CRC32 in *@crc without extended session security,
 * else HMAC-MD5 in d->desc.
 */
static int ntlm_span(struct sspi_ntlm *k, struct sspi_ntlm_dir *d, u8 *p,
		     u32 n, bool enc, enum ntlm_pass op, u32 *crc)
{
	if (op == NTLM_WIPE) {
		memzero_explicit(p, n);
		return 0;
	}
	if (enc && op == NTLM_UNSEAL)
		arc4_crypt(&d->arc4, p, p, n);
	if (k->ess) {
		int err = crypto_shash_update(d->desc, p, n);

		if (err)
			return err;
	} else {
		*crc = crc32_le(*crc, p, n);
	}
	if (enc && op == NTLM_SEAL)
		arc4_crypt(&d->arc4, p, p, n);
	return 0;
}

/*
 * Run the message's segments through ntlm_span(), each where it lies: a
 * scatterlist is mapped a page at a time (sg_miter), so a message of any
 * size costs one pass and no copy.
 */
static int ntlm_pass(struct sspi_ntlm *k, struct sspi_ntlm_dir *d,
		     struct sspi_ntlm_msg *m, enum ntlm_pass op, u32 *crc)
{
	unsigned int i;
	int err = 0;

	for (i = 0; i < m->n && !err; i++) {
		bool enc = m->sealed && m->seg[i].enc;
		struct sspi_buffer *b = m->seg[i].b;
		unsigned int dir = SG_MITER_FROM_SG;
		struct sg_mapping_iter mi;
		u32 left = m->seg[i].len;

		if (op == NTLM_WIPE && !enc)
			continue;
		if (!left)
			continue;
		if (left > b->len)
			return -EINVAL;
		if (enc && op == NTLM_UNSEAL)
			m->decrypted = true;
		if (!b->sg) {
			err = ntlm_span(k, d, b->data, left, enc, op, crc);
			continue;
		}
		if (enc)
			dir |= SG_MITER_TO_SG;
		sg_miter_start(&mi, b->sg, sg_nents(b->sg), dir);
		if (b->offset && !sg_miter_skip(&mi, b->offset))
			err = -EINVAL;
		while (!err && left && sg_miter_next(&mi)) {
			u32 n = min_t(u32, mi.length, left);

			err = ntlm_span(k, d, mi.addr, n, enc, op, crc);
			left -= n;
		}
		sg_miter_stop(&mi);
		if (!err && left)
			err = -EINVAL;
	}
	return err;
}

/*
 * The checksum of the message (extended session security) in @mac[0..8],
 * RC4-encrypted when the flags say so; the message is sealed or unsealed
 * on the way as @op says.
 */
static int ntlm_ess_sum(struct sspi_ntlm *k, struct sspi_ntlm_dir *d,
			struct sspi_ntlm_msg *m, enum ntlm_pass op, u8 *mac)
{
	__le32 seq = cpu_to_le32(m->seq);
	int err;

	if (k->datagram && k->rc4) {
		err = sspi_ntlm_datagram_key(k, d, m->seq);
		if (err)
			return err;
	}
	err = crypto_shash_init(d->desc);
	if (!err)
		err = crypto_shash_update(d->desc, (u8 *)&seq, sizeof(seq));
	if (!err)
		err = ntlm_pass(k, d, m, op, NULL);
	if (!err)
		err = crypto_shash_final(d->desc, mac);
	if (!err && k->keyex)
		arc4_crypt(&d->arc4, mac, mac, 8);
	return err;
}

/*
 * The RC4 bytes of an NTLMv1 signature, @w[0..12] = RandomPad, Checksum,
 * SeqNum, after the message (sealed or unsealed as @op says): CRC32 in @w.
 */
static int ntlm_v1_sum(struct sspi_ntlm *k, struct sspi_ntlm_dir *d,
		       struct sspi_ntlm_msg *m, enum ntlm_pass op, __le32 *w)
{
	u32 crc = ~0U;
	int err;

	err = ntlm_pass(k, d, m, op, &crc);
	if (err)
		return err;
	w[0] = 0;
	w[1] = cpu_to_le32(~crc);
	w[2] = cpu_to_le32(m->seq);
	return 0;
}

/**
 * sspi_ntlm_protect() - sign a message and, when @m->sealed, seal it
 * @k: the context
 * @d: the sending direction (NTLMv1: the shared one)
 * @m: the message; @m->seq set; @m->sig receives the signature
 *
 * Return: 0, or the error of a transform or a buffer; then the RC4 handle
 * is as it was.
 */
int sspi_ntlm_protect(struct sspi_ntlm *k, struct sspi_ntlm_dir *d,
		      struct sspi_ntlm_msg *m)
{
	u8 mac[MD5_DIGEST_SIZE];
	__le32 w[3];
	int err;

	if (k->rc4)
		memcpy(&d->saved, &d->arc4, sizeof(d->saved));
	put_unaligned_le32(SSPI_NTLM_SIG_VERSION, m->sig);
	if (k->ess) {
		err = ntlm_ess_sum(k, d, m, NTLM_SEAL, mac);
		if (!err) {
			memcpy(m->sig + 4, mac, 8);
			put_unaligned_le32(m->seq, m->sig + 12);
		}
	} else {
		err = ntlm_v1_sum(k, d, m, NTLM_SEAL, w);
		if (!err) {
			arc4_crypt(&d->arc4, (u8 *)w, (u8 *)w, sizeof(w));
			memcpy(m->sig + 4, w, sizeof(w));
			/* RandomPad: the keystream went by, 0 goes out */
			memset(m->sig + 4, 0, 4);
		}
	}
	if (err && k->rc4)
		memcpy(&d->arc4, &d->saved, sizeof(d->arc4));
	memzero_explicit(mac, sizeof(mac));
	memzero_explicit(w, sizeof(w));
	return err;
}

/**
 * sspi_ntlm_check() - check a received message's signature and, when
 *	@m->sealed, unseal it in place
 * @k: the context
 * @d: the receiving direction (NTLMv1: the shared one)
 * @m: the message; @m->sig the signature received, @m->seq the sequence
 *	number expected
 *
 * The sequence number carried in the clear (extended session security) is
 * judged before any cryptography.  On any failure the RC4 handle is as it
 * was and what was decrypted is zeroed.
 *
 * Return: 0; -EBADMSG for a wrong version or checksum; -EILSEQ for a
 * sequence number other than @m->seq; else a transform's or a buffer's
 * error.
 */
int sspi_ntlm_check(struct sspi_ntlm *k, struct sspi_ntlm_dir *d,
		    struct sspi_ntlm_msg *m)
{
	u8 mac[MD5_DIGEST_SIZE];
	__le32 w[3];
	int err;

	if (get_unaligned_le32(m->sig) != SSPI_NTLM_SIG_VERSION)
		return -EBADMSG;
	if (k->ess && get_unaligned_le32(m->sig + 12) != m->seq)
		return -EILSEQ;
	if (k->rc4)
		memcpy(&d->saved, &d->arc4, sizeof(d->saved));
	if (k->ess) {
		err = ntlm_ess_sum(k, d, m, NTLM_UNSEAL, mac);
		if (!err && crypto_memneq(mac, m->sig + 4, 8))
			err = -EBADMSG;
	} else {
		err = ntlm_v1_sum(k, d, m, NTLM_UNSEAL, w);
		if (!err) {
			u8 got[12];

			/* Checksum and SeqNum: the peer's RC4 output, ours */
			memcpy(got, m->sig + 4, sizeof(got));
			arc4_crypt(&d->arc4, got, got, sizeof(got));
			if (crypto_memneq(got + 4, &w[1], 4))
				err = -EBADMSG;
			else if (crypto_memneq(got + 8, &w[2], 4))
				err = -EILSEQ;
			memzero_explicit(got, sizeof(got));
		}
	}
	memzero_explicit(mac, sizeof(mac));
	memzero_explicit(w, sizeof(w));
	if (!err)
		return 0;
	if (k->rc4)
		memcpy(&d->arc4, &d->saved, sizeof(d->arc4));
	if (m->decrypted)
		ntlm_pass(k, d, m, NTLM_WIPE, NULL);
	return err;
}
