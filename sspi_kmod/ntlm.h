/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sspi_kmod: the NTLM package (MS-NLMP 3.4 session security).  ntlm.c is
 * the SSPI side: the import, which buffer plays which role, the QOP and
 * MessageSeqNo, the sequence numbers.  The cryptography is split as the
 * specification splits it:
 *
 *   ntlm_keys.c  MS-NLMP 3.4.5: SIGNKEY and SEALKEY, 128/56/40-bit
 *                weakening, LM_KEY, the datagram per-message RC4 key
 *   ntlm_sign.c  MS-NLMP 3.4.3 and 3.4.4: the signature of one message,
 *                sealing and unsealing it, with and without extended
 *                session security
 *
 * A refused message changes nothing: the RC4 state is saved before a
 * message and put back when it fails, and the sequence numbers move only
 * once a message was accepted.
 */
#ifndef _SSPI_KMOD_NTLM_H
#define _SSPI_KMOD_NTLM_H

#include <crypto/arc4.h>
#include <crypto/hash.h>
#include <crypto/md5.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <sspi_kmod/sspi.h>

#define SSPI_NTLM_SIG_LEN	16	/* NTLMSSP_MESSAGE_SIGNATURE */
#define SSPI_NTLM_SIG_VERSION	1
#define SSPI_NTLM_KEY_LEN	16

/*
 * cbMaxToken as Windows 7 and later report it for NTLM
 * (QuerySecurityPackageInfo); Windows XP reported 1904.
 */
#define SSPI_NTLM_MAX_TOKEN	2888

/* the module parameter allow_weak_ntlm (ntlm.c); tests flip it */
extern bool sspi_ntlm_allow_weak;

/**
 * struct sspi_ntlm_dir - the state of one direction
 * @hmac: hmac(md5) keyed with the direction's signing key (extended
 *	session security only)
 * @desc: its descriptor, for the message under way
 * @arc4: the RC4 handle: for the context's life in connection mode, for
 *	one message in datagram mode
 * @saved: @arc4 as it was before the message under way
 * @seal_key: the direction's sealing key, for datagram mode's
 *	per-message keys (extended session security only)
 */
struct sspi_ntlm_dir {
	struct crypto_shash *hmac;
	struct shash_desc *desc;
	struct arc4_ctx arc4;
	struct arc4_ctx saved;
	u8 seal_key[SSPI_NTLM_KEY_LEN];
};

/**
 * struct sspi_ntlm - an NTLM context
 * @neg_flags: the NegotiateFlags imported
 * @initiator: this side is the client
 * @ess: extended session security (NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY)
 * @seal: confidentiality (NTLMSSP_NEGOTIATE_SEAL); without it only signing
 * @keyex: with extended session security, the checksum is RC4-encrypted
 *	(NTLMSSP_NEGOTIATE_KEY_EXCH)
 * @rc4: RC4 is used at all: sealing, the NTLMv1 signature or an encrypted
 *	checksum
 * @datagram: datagram mode (NTLMSSP_NEGOTIATE_DATAGRAM)
 * @bits: the sealing key's strength: 128, 56 or 40
 * @md5: for the keys at import and datagram mode's per-message keys
 * @tx: what this side sends with
 * @rx: what it receives with; without extended session security, @tx is
 *	the one RC4 handle of both directions and @rx is unused
 * @v1_lock: without extended session security, serialises the two
 *	directions, which share @tx and @v1_seq
 * @v1_seq: without extended session security, the one sequence counter
 *	of both directions; spent once past 0xffffffff
 */
struct sspi_ntlm {
	u32 neg_flags;
	bool initiator;
	bool ess;
	bool seal;
	bool keyex;
	bool rc4;
	bool datagram;
	unsigned int bits;
	struct crypto_shash *md5;
	struct sspi_ntlm_dir tx;
	struct sspi_ntlm_dir rx;
	struct mutex v1_lock;	/* the shared state of NTLMv1 */
	u64 v1_seq;
};

/**
 * struct sspi_ntlm_msg - one message, as ntlm.c hands it on
 * @seg: the DATA buffers signed, in message order
 * @seg.b: the buffer
 * @seg.len: its bytes
 * @seg.enc: encrypted (else signed only)
 * @n: entries of @seg
 * @sealed: encrypt (or decrypt) the @seg.enc segments
 * @seq: the sequence number the signature carries
 * @sig: the signature made, or received
 * @decrypted: on receipt, bytes were decrypted in place
 */
struct sspi_ntlm_msg {
	struct {
		struct sspi_buffer *b;
		u32 len;
		bool enc;
	} seg[SSPI_MAX_BUFFERS];
	unsigned int n;
	bool sealed;
	u32 seq;
	u8 sig[SSPI_NTLM_SIG_LEN];
	bool decrypted;
};

/* ntlm_keys.c */
int sspi_ntlm_keys_init(struct sspi_ntlm *k, const u8 *session_key);
void sspi_ntlm_keys_free(struct sspi_ntlm *k);
int sspi_ntlm_datagram_key(struct sspi_ntlm *k, struct sspi_ntlm_dir *d,
			   u32 seq);

/* ntlm_sign.c */
int sspi_ntlm_protect(struct sspi_ntlm *k, struct sspi_ntlm_dir *d,
		      struct sspi_ntlm_msg *m);
int sspi_ntlm_check(struct sspi_ntlm *k, struct sspi_ntlm_dir *d,
		    struct sspi_ntlm_msg *m);

int sspi_ntlm_register(void);
void sspi_ntlm_unregister(void);

#endif /* _SSPI_KMOD_NTLM_H */
