// SPDX-License-Identifier: GPL-2.0
/*
 * sspi_kmod: RFC 4121 token headers and Wrap token geometry.
 *
 * A Wrap token is the header followed by a body rotated right by RRC
 * bytes.  Unrotated, the body is, with confidentiality,
 * E(confounder | data | filler (EC bytes) | header copy) | checksum, and
 * without, data | checksum.  Microsoft's layouts (MS-KILE 3.4.5.4.1)
 * rotate the whole trailer to the front, so that the header, the trailer
 * and the confounder make one SSPI TOKEN buffer and the data stays where
 * it is; in DCE style they pad with EC = 16 and rotate by RRC + EC while
 * the RRC field says RRC alone.
 */

#include <linux/errno.h>
#include <linux/string.h>

#include "compat.h"
#include "krb5_token.h"

/**
 * sspi_krb5_hdr_put() - write a token header
 * @h: the fields; a MIC token's EC and RRC are filler and not read
 * @out: 16 bytes
 */
void sspi_krb5_hdr_put(const struct sspi_krb5_hdr *h, u8 *out)
{
	put_unaligned_be16(h->tok_id, out);
	out[2] = h->flags;
	out[3] = 0xff;
	if (h->tok_id == SSPI_KRB5_TOK_MIC) {
		memset(out + 4, 0xff, 4);
	} else {
		put_unaligned_be16(h->ec, out + 4);
		put_unaligned_be16(h->rrc, out + 6);
	}
	put_unaligned_be64(h->seq, out + 8);
}

/**
 * sspi_krb5_hdr_get() - read and check a received token header
 * @in: 16 bytes
 * @tok_id: the token kind expected
 * @expect_flags: the values the SentByAcceptor and AcceptorSubkey flags
 *	must have in tokens this side receives
 * @h: the fields
 *
 * Flags RFC 4121 does not define are ignored, as it asks.
 *
 * Return: 0; -EINVAL (SEC_E_INVALID_TOKEN) for another kind of token,
 * filler that is not 0xff, a Sealed MIC, or an AcceptorSubkey flag
 * naming a key the context does not hold; -EBADMSG (SEC_E_MESSAGE_ALTERED)
 * for a token of this side's own direction: a reflection.
 */
int sspi_krb5_hdr_get(const u8 *in, u16 tok_id, u8 expect_flags,
		      struct sspi_krb5_hdr *h)
{
	static const u8 mic_filler[5] = { 0xff, 0xff, 0xff, 0xff, 0xff };

	h->tok_id = get_unaligned_be16(in);
	h->flags = in[2];
	h->ec = get_unaligned_be16(in + 4);
	h->rrc = get_unaligned_be16(in + 6);
	h->seq = get_unaligned_be64(in + 8);
	/*
	 * RFC 4121 4.2.2: unknown flags are ignored; the header copy of a
	 * sealed token and the checksum of the others cover them.
	 */
	if (h->tok_id != tok_id)
		return -EINVAL;
	if (tok_id == SSPI_KRB5_TOK_MIC ? memcmp(in + 3, mic_filler, 5) : in[3] != 0xff)
		return -EINVAL;
	if (tok_id == SSPI_KRB5_TOK_MIC && (h->flags & SSPI_KRB5_FLAG_SEALED))
		return -EINVAL;
	if ((h->flags ^ expect_flags) & SSPI_KRB5_FLAG_ACCEPTOR_SUBKEY)
		return -EINVAL;
	if ((h->flags ^ expect_flags) & SSPI_KRB5_FLAG_SENT_BY_ACCEPTOR)
		return -EBADMSG;
	return 0;
}

/**
 * sspi_krb5_hdr_copy_ok() - whether a decrypted header copy matches
 * @hdr: the header the token came with
 * @copy: the copy that was encrypted with the data
 *
 * RRC is not compared: it is set after encryption, so the copy holds 0
 * there (RFC 4121 section 4.2.4).  EC is: it is the one protection of
 * the boundary between data and filler -- moved by one byte, the same
 * ciphertext would decrypt to a message one byte shorter.  MIT's and
 * Windows' senders put the real EC in the copy; Heimdal compares it too.
 *
 * Return: true when everything but RRC matches.
 */
bool sspi_krb5_hdr_copy_ok(const u8 *hdr, const u8 *copy)
{
	return !memcmp(hdr, copy, 6) && !memcmp(hdr + 8, copy + 8, 8);
}

/**
 * sspi_krb5_wrap_geom() - the geometry of a Wrap token this side sends
 * @g: filled in
 * @sealed: with confidentiality
 * @dce: DCE style
 * @mac_len: the enctype's checksum length
 *
 * Sealed: EC 0 (AES needs no padding), 16 in DCE style; the trailer
 * rotated to the front (RRC = 16 + mac_len, + EC outside DCE style).
 * Integrity only: EC and RRC are the checksum's length.
 */
void sspi_krb5_wrap_geom(struct sspi_krb5_wrap_geom *g, bool sealed, bool dce,
			 unsigned int mac_len)
{
	g->sealed = sealed;
	if (sealed) {
		g->ec = dce ? SSPI_KRB5_DCE_EC : 0;
		g->trailer = g->ec + SSPI_KRB5_HDR_LEN + mac_len;
		g->rotate = g->trailer;
		g->rrc = dce ? g->trailer - g->ec : g->trailer;
		g->token = SSPI_KRB5_HDR_LEN + g->trailer + SSPI_KRB5_CONF_LEN;
	} else {
		g->ec = mac_len;
		g->trailer = mac_len;
		g->rotate = mac_len;
		g->rrc = mac_len;
		g->token = SSPI_KRB5_HDR_LEN + mac_len;
	}
}

/**
 * sspi_krb5_wrap_geom_rx() - the geometry of a received Wrap token
 * @g: filled in; @g->token is left 0 (a received token's TOKEN buffer is
 *	as long as the sender made it)
 * @h: its header, checked by sspi_krb5_hdr_get()
 * @dce: the context is DCE style
 * @mac_len: the enctype's checksum length
 *
 * Return: 0, or -EINVAL (SEC_E_INVALID_TOKEN) when an integrity-only
 * token's EC is not the checksum's length.
 */
int sspi_krb5_wrap_geom_rx(struct sspi_krb5_wrap_geom *g,
			   const struct sspi_krb5_hdr *h, bool dce,
			   unsigned int mac_len)
{
	g->sealed = h->flags & SSPI_KRB5_FLAG_SEALED;
	g->ec = h->ec;
	g->rrc = h->rrc;
	g->token = 0;
	if (g->sealed) {
		g->trailer = h->ec + SSPI_KRB5_HDR_LEN + mac_len;
		g->rotate = h->rrc + (dce ? h->ec : 0);
		return 0;
	}
	if (h->ec != mac_len)
		return -EINVAL;
	g->trailer = mac_len;
	g->rotate = h->rrc;
	return 0;
}
