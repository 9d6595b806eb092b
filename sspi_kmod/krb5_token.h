/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sspi_kmod: RFC 4121 per-message tokens -- the 16-byte header of Wrap and
 * MIC tokens, and where a Wrap token's parts lie.  Pure functions on
 * bytes: no buffers, no crypto.
 */
#ifndef _SSPI_KMOD_KRB5_TOKEN_H
#define _SSPI_KMOD_KRB5_TOKEN_H

#include <linux/types.h>

#define SSPI_KRB5_TOK_MIC		0x0404
#define SSPI_KRB5_TOK_WRAP		0x0504
#define SSPI_KRB5_HDR_LEN		16
#define SSPI_KRB5_CONF_LEN		16	/* the confounder: one AES block */
#define SSPI_KRB5_DCE_EC		16	/* the filler Windows expects in DCE style */

/* RFC 4121 section 4.2.2 flags */
#define SSPI_KRB5_FLAG_SENT_BY_ACCEPTOR	0x01
#define SSPI_KRB5_FLAG_SEALED		0x02
#define SSPI_KRB5_FLAG_ACCEPTOR_SUBKEY	0x04

/**
 * struct sspi_krb5_hdr - the fields of a token header
 * @tok_id: %SSPI_KRB5_TOK_WRAP or %SSPI_KRB5_TOK_MIC
 * @flags: SSPI_KRB5_FLAG_* bits
 * @ec: Wrap: the extra count (filler bytes with confidentiality, the
 *	checksum's length without)
 * @rrc: Wrap: the right rotation count
 * @seq: the sender's sequence number
 */
struct sspi_krb5_hdr {
	u16 tok_id;
	u8 flags;
	u16 ec;
	u16 rrc;
	u64 seq;
};

void sspi_krb5_hdr_put(const struct sspi_krb5_hdr *h, u8 *out);
int sspi_krb5_hdr_get(const u8 *in, u16 tok_id, u8 expect_flags,
		      struct sspi_krb5_hdr *h);
bool sspi_krb5_hdr_copy_ok(const u8 *hdr, const u8 *copy);

/**
 * struct sspi_krb5_wrap_geom - where the parts of a Wrap token lie
 * @sealed: with confidentiality
 * @ec: the EC field
 * @rrc: the RRC field
 * @rotate: bytes the part after the header is really rotated right by
 *	(Windows rotates DCE-style tokens by RRC + EC)
 * @trailer: bytes after the data, before rotation: filler, encrypted
 *	header copy and checksum with confidentiality; the checksum without
 * @token: bytes of an SSPI TOKEN buffer holding the header and everything
 *	but the data: header, rotated trailer and, sealed, the confounder
 */
struct sspi_krb5_wrap_geom {
	bool sealed;
	u16 ec;
	u16 rrc;
	u32 rotate;
	u32 trailer;
	u32 token;
};

void sspi_krb5_wrap_geom(struct sspi_krb5_wrap_geom *g, bool sealed, bool dce,
			 unsigned int mac_len);
int sspi_krb5_wrap_geom_rx(struct sspi_krb5_wrap_geom *g,
			   const struct sspi_krb5_hdr *h, bool dce,
			   unsigned int mac_len);

#endif /* _SSPI_KMOD_KRB5_TOKEN_H */
