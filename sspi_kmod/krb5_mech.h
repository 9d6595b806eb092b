/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sspi_kmod: the Kerberos package's mechanisms.  kerberos.c is the SSPI
 * side, once for all of them: which buffer plays which role, STREAM or
 * TOKEN, the QOP and MessageSeqNo, the sequence numbers and the receive
 * window, pointing DATA at the plaintext and wiping what failed.  A
 * mechanism makes and checks the tokens of one RFC:
 *
 *   krb5_rfc4121.c  RFC 4121 Wrap and MIC tokens over the AES enctypes
 *                   (their profiles: krb5_rfc3961.c, krb5_rfc8009.c)
 *   krb5_rfc4757.c  RFC 4757 rc4-hmac tokens in RFC 1964's framing
 *
 * Every call is made under the lock of the direction it uses: tx for
 * wrap and get_mic, rx for unwrap and verify_mic.
 */
#ifndef _SSPI_KMOD_KRB5_MECH_H
#define _SSPI_KMOD_KRB5_MECH_H

#include <linux/types.h>
#include <sspi_kmod/sspi.h>

#include "buffer.h"

struct sspi_context_info;

/* Windows' cbMaxToken for Kerberos, whatever the enctype */
#define SSPI_KRB5_MAX_TOKEN	48000

/* the module parameter allow_rc4 (krb5_rfc4757.c); tests flip it */
extern bool sspi_krb5_allow_rc4;

/**
 * struct sspi_krb5 - a Kerberos context, the SSPI side's part
 * @mech: its mechanism
 * @priv: the mechanism's state
 * @flags: the SSPI_KRB5_F_* flags of the import
 * @seq_detect: SSPI_SEQ_DETECT_* for the receive window
 */
struct sspi_krb5 {
	const struct sspi_krb5_mech *mech;
	void *priv;
	u32 flags;
	unsigned int seq_detect;
};

static inline bool sspi_krb5_initiator(const struct sspi_krb5 *k)
{
	return k->flags & SSPI_KRB5_F_INITIATOR;
}

static inline bool sspi_krb5_dce(const struct sspi_krb5 *k)
{
	return k->flags & SSPI_KRB5_F_DCE_STYLE;
}

/* DATA buffers: encrypted (no flags), signed only, or left out. */
static inline bool sspi_krb5_is_data(const struct sspi_buffer *b)
{
	return b->type == SSPI_SECBUFFER_DATA;
}

static inline bool sspi_krb5_is_sign_only(const struct sspi_buffer *b)
{
	return sspi_buf_type(b) == SSPI_SECBUFFER_DATA &&
	       (b->type & SSPI_SECBUFFER_READONLY_WITH_CHECKSUM);
}

/**
 * struct sspi_krb5_msg - one message, as the SSPI side hands it on
 * @msg: the buffers
 * @tok: TOKEN, or on receipt STREAM when @stream
 * @out: on receipt from STREAM, the empty DATA buffer that comes back
 *	pointing at the plaintext
 * @stream: the whole token is in STREAM
 * @sealed: with confidentiality: sending, as the QOP says; on receipt,
 *	as the token says
 * @dlen: bytes of the encrypted data: sending, of the DATA buffers; on
 *	receipt from STREAM, of the plaintext inside it
 * @pt_off: on receipt from STREAM, where that plaintext starts in it
 * @seq: sending, the context's sequence number; on receipt, the one the
 *	token carries (a 32-bit one in 64 bits, for a @seq32 mechanism),
 *	then as placed in the window
 * @verdict: on receipt, the window's verdict on @seq
 * @decrypted: on receipt, bytes were decrypted in place: to be wiped if
 *	the message is refused
 */
struct sspi_krb5_msg {
	struct sspi_message *msg;
	struct sspi_buffer *tok;
	struct sspi_buffer *out;
	bool stream;
	bool sealed;
	u32 dlen;
	u32 pt_off;
	u64 seq;
	int verdict;
	bool decrypted;
};

/**
 * struct sspi_krb5_mech - one Kerberos mechanism (an RFC's tokens)
 * @name: for messages
 * @handles: whether it does the import's enctype
 * @init: check the import's key and set up @k->priv (@k->flags set);
 *	-ENOPKG when the kernel lacks an algorithm or an administrator
 *	refuses it
 * @destroy: free @k->priv, zeroizing every key
 * @sizes: fill in the sizes but max_token, and the names
 * @wrap_space: check the buffers can take the Wrap token of @m, for
 *	-EINVAL or -ENOBUFS before the sequence number is looked at
 * @wrap: make the Wrap token of @m, sealing the DATA buffers in place
 * @unwrap_header: read the token's header from @m->tok; @m->sealed
 * @unwrap_place: find the token's parts in the buffers (from STREAM,
 *	@m->out is known) and the sequence number it carries; @m->pt_off and
 *	@m->dlen from STREAM
 * @unwrap: check the token and decrypt it in place
 * @unwrap_wipe: zero what @unwrap decrypted
 * @mic_space: check TOKEN can take the MIC token of @m (-EINVAL,
 *	-ENOBUFS)
 * @get_mic: make the MIC token of @m
 * @verify_open: read the MIC token in @m->tok and the number it carries
 * @verify_mic: check it
 * @seq32: its tokens carry 32-bit sequence numbers: received ones wrap
 *	(the window places them), but nothing is sent past 0xffffffff and an
 *	import's send_seq must fit in 32 bits
 * @seq_unauthenticated: the number its tokens carry is outside the
 *	checksum (RFC 4757's SND_SEQ): a gap is not taken on its word
 *
 * A received token's number is put to the window only once @unwrap or
 * @verify_mic found the token authentic: a forged number gets no verdict.
 */
struct sspi_krb5_mech {
	const char *name;
	bool (*handles)(u32 enctype);
	int (*init)(struct sspi_krb5 *k, const struct sspi_krb5_import *imp);
	void (*destroy)(struct sspi_krb5 *k);
	void (*sizes)(struct sspi_krb5 *k, struct sspi_context_info *info);
	int (*wrap_space)(struct sspi_krb5 *k, struct sspi_krb5_msg *m);
	int (*wrap)(struct sspi_krb5 *k, struct sspi_krb5_msg *m);
	int (*unwrap_header)(struct sspi_krb5 *k, struct sspi_krb5_msg *m);
	int (*unwrap_place)(struct sspi_krb5 *k, struct sspi_krb5_msg *m);
	int (*unwrap)(struct sspi_krb5 *k, struct sspi_krb5_msg *m);
	void (*unwrap_wipe)(struct sspi_krb5 *k, struct sspi_krb5_msg *m);
	int (*mic_space)(struct sspi_krb5 *k, struct sspi_krb5_msg *m);
	int (*get_mic)(struct sspi_krb5 *k, struct sspi_krb5_msg *m);
	int (*verify_open)(struct sspi_krb5 *k, struct sspi_krb5_msg *m);
	int (*verify_mic)(struct sspi_krb5 *k, struct sspi_krb5_msg *m);
	bool seq32;
	bool seq_unauthenticated;
};

extern const struct sspi_krb5_mech sspi_krb5_rfc4121_mech;
extern const struct sspi_krb5_mech sspi_krb5_rfc4757_mech;

#endif /* _SSPI_KMOD_KRB5_MECH_H */
