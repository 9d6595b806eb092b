/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * sspi_kmod: SSPI seal/unseal for kernel and userspace consumers.
 *
 * Numbers shared by the kernel and its userspace helpers: SSPI status
 * codes, buffer types and flags, and quality-of-protection values.  They
 * are Windows' own values, so that a caller can pass them through
 * unchanged.
 */
#ifndef _UAPI_LINUX_SSPI_H
#define _UAPI_LINUX_SSPI_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* SECURITY_STATUS values (winerror.h).  SEC_I_* are successes. */
#define SSPI_SEC_E_OK				0x00000000
#define SSPI_SEC_E_INSUFFICIENT_MEMORY		0x80090300
#define SSPI_SEC_E_INVALID_HANDLE		0x80090301
#define SSPI_SEC_E_UNSUPPORTED_FUNCTION		0x80090302
#define SSPI_SEC_E_INTERNAL_ERROR		0x80090304
#define SSPI_SEC_E_SECPKG_NOT_FOUND		0x80090305
#define SSPI_SEC_E_INVALID_TOKEN		0x80090308
#define SSPI_SEC_E_QOP_NOT_SUPPORTED		0x8009030A
#define SSPI_SEC_E_MESSAGE_ALTERED		0x8009030F
#define SSPI_SEC_E_OUT_OF_SEQUENCE		0x80090310
#define SSPI_SEC_E_CONTEXT_EXPIRED		0x80090317
#define SSPI_SEC_E_INCOMPLETE_MESSAGE		0x80090318
#define SSPI_SEC_E_BUFFER_TOO_SMALL		0x80090321
#define SSPI_SEC_E_DECRYPT_FAILURE		0x80090330
#define SSPI_SEC_E_CRYPTO_SYSTEM_INVALID	0x80090337
#define SSPI_SEC_I_CONTINUE_NEEDED		0x00090312
#define SSPI_SEC_I_CONTEXT_EXPIRED		0x00090317
#define SSPI_SEC_I_RENEGOTIATE			0x00090321

/*
 * Whether a SECURITY_STATUS is a failure, as Windows' FAILED() tells: its
 * severity bit.  SEC_E_OK and the SEC_I_* codes did not fail.
 */
#define SSPI_STATUS_FAILED(status)		(((__u32)(status) & 0x80000000U) != 0)

/* SecBuffer types (sspi.h) */
#define SSPI_SECBUFFER_EMPTY			0
#define SSPI_SECBUFFER_DATA			1
#define SSPI_SECBUFFER_TOKEN			2
#define SSPI_SECBUFFER_PKG_PARAMS		3
#define SSPI_SECBUFFER_MISSING			4
#define SSPI_SECBUFFER_EXTRA			5
#define SSPI_SECBUFFER_STREAM_TRAILER		6
#define SSPI_SECBUFFER_STREAM_HEADER		7
#define SSPI_SECBUFFER_PADDING			9
#define SSPI_SECBUFFER_STREAM			10
#define SSPI_SECBUFFER_MECHLIST			11
#define SSPI_SECBUFFER_CHANNEL_BINDINGS		14
#define SSPI_SECBUFFER_ALERT			17

/* SecBuffer flags, in the top four bits of BufferType */
#define SSPI_SECBUFFER_READONLY			0x80000000
#define SSPI_SECBUFFER_READONLY_WITH_CHECKSUM	0x10000000
#define SSPI_SECBUFFER_ATTRMASK			0xF0000000

/* Quality of protection (fQOP) */
#define SSPI_SECQOP_WRAP_NO_ENCRYPT		0x80000001
#define SSPI_SECQOP_WRAP_OOB_DATA		0x40000000
/*
 * "Schannel" only: seal a handshake message (TLS 1.3 KeyUpdate, TLS 1.2
 * renegotiation) in the send direction's sequence, for the helper
 */
#define SSPI_SECQOP_TLS_HANDSHAKE		0x00010000

/* TLS-record package ("Schannel"): versions and ciphers, as kTLS numbers them */
#define SSPI_TLS_VERSION_1_2			0x0303
#define SSPI_TLS_VERSION_1_3			0x0304
#define SSPI_TLS_CIPHER_AES_GCM_128		51
#define SSPI_TLS_CIPHER_AES_GCM_256		52
#define SSPI_TLS_CIPHER_CHACHA20_POLY1305	54

/**
 * struct sspi_tls_keys - the keys of one direction, in kTLS's terms
 * @key: the traffic key; the first 16 (AES-128-GCM) or 32 bytes are used
 * @iv: TLS 1.2 AES-GCM: the 4-byte implicit salt, then the 8-byte explicit
 *	nonce of the first record (counted up by one per record, as kTLS
 *	does); otherwise the 12-byte static IV
 * @rec_seq: the sequence number of the next record, big-endian
 */
struct sspi_tls_keys {
	__u8 key[32];
	__u8 iv[12];
	__u8 rec_seq[8];
};

/**
 * struct sspi_tls_import - what the TLS-record package imports
 * @version: %SSPI_TLS_VERSION_1_2 or %SSPI_TLS_VERSION_1_3
 * @cipher: an SSPI_TLS_CIPHER_* value
 * @reserved: must be zero
 * @tx: keys of the records this side sends
 * @rx: keys of the records it receives
 */
struct sspi_tls_import {
	__u16 version;
	__u16 cipher;
	__u32 reserved;
	struct sspi_tls_keys tx;
	struct sspi_tls_keys rx;
};

/* Kerberos package ("Kerberos"): enctypes, as RFC 3961 numbers them */
#define SSPI_KRB5_ENCTYPE_AES128_CTS_HMAC_SHA1_96	17
#define SSPI_KRB5_ENCTYPE_AES256_CTS_HMAC_SHA1_96	18
#define SSPI_KRB5_ENCTYPE_AES128_CTS_HMAC_SHA256_128	19
#define SSPI_KRB5_ENCTYPE_AES256_CTS_HMAC_SHA384_192	20
#define SSPI_KRB5_ENCTYPE_ARCFOUR_HMAC			23

/* struct sspi_krb5_import flags */
#define SSPI_KRB5_F_INITIATOR		0x01	/* this side initiated */
#define SSPI_KRB5_F_ACCEPTOR_SUBKEY	0x02	/* @key is the acceptor's subkey */
#define SSPI_KRB5_F_REPLAY		0x04	/* detect replays (GSS_C_REPLAY_FLAG) */
#define SSPI_KRB5_F_SEQUENCE		0x08	/* also refuse late tokens */
#define SSPI_KRB5_F_DCE_STYLE		0x10	/* DCE style (GSS_C_DCE_STYLE) */
#define SSPI_KRB5_F_ALL			0x1f

/**
 * struct sspi_krb5_import - what the Kerberos package imports: an
 *	established RFC 4121 context, as MIT's lucid context describes it
 * @enctype: an SSPI_KRB5_ENCTYPE_* value, the enctype of @key
 * @flags: SSPI_KRB5_F_* bits
 * @send_seq: the sequence number of the first token this side sends; for
 *	enctype 23 (rc4-hmac, 32-bit numbers) at most 0xffffffff
 * @recv_seq: the sequence number of the first token it expects
 * @key_len: bytes of @key: 16 for enctypes 17, 19 and 23; 32 for 18 and 20
 * @reserved: must be zero
 * @key: the key every token is protected with: the acceptor's subkey when
 *	%SSPI_KRB5_F_ACCEPTOR_SUBKEY is set, else the context key (the
 *	initiator's subkey, or the ticket's session key)
 */
struct sspi_krb5_import {
	__u32 enctype;
	__u32 flags;
	__u64 send_seq;
	__u64 recv_seq;
	__u32 key_len;
	__u32 reserved;
	__u8 key[32];
};

/*
 * NTLM package ("NTLM", MS-NLMP 3.4): the NegotiateFlags bits (MS-NLMP
 * 2.2.2.5) that choose its session security
 */
#define SSPI_NTLMSSP_NEGOTIATE_SIGN			0x00000010
#define SSPI_NTLMSSP_NEGOTIATE_SEAL			0x00000020
#define SSPI_NTLMSSP_NEGOTIATE_DATAGRAM			0x00000040
#define SSPI_NTLMSSP_NEGOTIATE_LM_KEY			0x00000080
#define SSPI_NTLMSSP_NEGOTIATE_ALWAYS_SIGN		0x00008000
#define SSPI_NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY	0x00080000
#define SSPI_NTLMSSP_NEGOTIATE_128			0x20000000
#define SSPI_NTLMSSP_NEGOTIATE_KEY_EXCH			0x40000000
#define SSPI_NTLMSSP_NEGOTIATE_56			0x80000000

/* struct sspi_ntlm_import flags */
#define SSPI_NTLM_F_INITIATOR		0x01	/* this side is the client */
#define SSPI_NTLM_F_DATAGRAM		0x02	/* datagram mode, as the flag */
#define SSPI_NTLM_F_ALL			0x03

/**
 * struct sspi_ntlm_import - what the NTLM package imports: the session
 *	security state of an authenticated NTLMSSP exchange
 * @negotiate_flags: the NegotiateFlags of the AUTHENTICATE message
 *	(offset 60, little-endian), SSPI_NTLMSSP_NEGOTIATE_* bits
 * @flags: SSPI_NTLM_F_* bits
 * @send_seq: the sequence number of the first message this side sends
 * @recv_seq: the sequence number of the first message it expects
 * @session_key: the ExportedSessionKey (MS-NLMP 3.1.5.1.2), every key of
 *	the session is derived from it
 */
struct sspi_ntlm_import {
	__u32 negotiate_flags;
	__u32 flags;
	__u32 send_seq;
	__u32 recv_seq;
	__u8 session_key[16];
};

/* Negotiate package ("Negotiate"): the mechanisms it can have selected */
#define SSPI_NEGOTIATE_MECH_KERBEROS	1
#define SSPI_NEGOTIATE_MECH_NTLM	2

/**
 * struct sspi_negotiate_import - what the Negotiate package imports: the
 *	mechanism SPNEGO selected, and that mechanism's own import
 * @mech: an SSPI_NEGOTIATE_MECH_* value
 * @len: bytes of @import
 * @import: the selected package's import structure, &struct
 *	sspi_krb5_import or &struct sspi_ntlm_import
 */
struct sspi_negotiate_import {
	__u32 mech;
	__u32 len;
	__u8 import[];
};

/*
 * Generic netlink family "sspi" (Documentation/netlink/specs/sspi.yaml):
 * its commands, attributes and limits are generated from the spec into
 * <linux/sspi_netlink.h>, where the spec documents each of them.
 *
 * A request the family cannot act on (a missing or malformed attribute,
 * one its command does not take, no permission) fails with an errno and an
 * extended ack naming the bad attribute.  A request that reaches a context
 * is answered with a message carrying %SSPI_A_STATUS, the SECURITY_STATUS
 * of the operation, success or not; buffers come back only when the status
 * says they mean something (success, SEC_I_*, or SEC_E_INCOMPLETE_MESSAGE
 * with its MISSING buffer).
 */
#include "sspi_netlink.h"	/* next to this header, wherever it is */

#define SSPI_GENL_NAME				SSPI_FAMILY_NAME
#define SSPI_GENL_VERSION			SSPI_FAMILY_VERSION
/* No command has the number 0 */
#define SSPI_CMD_UNSPEC				0

/* SSPI_A_PKG_CAPS bits */
#define SSPI_PKG_CAP_ENCRYPT			0x1
#define SSPI_PKG_CAP_DECRYPT			0x2
#define SSPI_PKG_CAP_SIGN			0x4
#define SSPI_PKG_CAP_VERIFY			0x8
#define SSPI_PKG_CAP_UPDATE_KEYS		0x10

/* SSPI_A_DIRECTION values */
#define SSPI_DIR_TX				1
#define SSPI_DIR_RX				2

/*
 * /dev/sspi: EncryptMessage, DecryptMessage, MakeSignature and
 * VerifySignature on user memory.
 *
 * Each ioctl takes a &struct sspi_ioc_message whose @size says how much of
 * the structure the caller knows; fields past that are taken as zero,
 * bytes the caller has past what the kernel knows must be zero.  The
 * context is looked up in the network namespace of the process that
 * opened the device, with the opener's credentials.
 */
#define SSPI_DEV_NAME				"sspi"
#define SSPI_IOC_MAGIC				0xB9
/* The most bytes the buffers of one ioctl may have together */
#define SSPI_IOC_MAX_BYTES			(1U << 20)

/**
 * struct sspi_ioc_buffer - one SecBuffer in user memory
 * @type: BufferType with its flags (SSPI_SECBUFFER_*)
 * @len: in: the bytes at @data (the buffer's size); out: the bytes the
 *	buffer now holds (for MISSING, the bytes still needed)
 * @data: in: user address of the buffer; out: where the buffer now starts
 *	(DecryptMessage points its output buffers into the input, as
 *	SSPI does), 0 for a buffer with no bytes of its own
 */
struct sspi_ioc_buffer {
	__u32 type;
	__u32 len;
	__u64 data;
};

/**
 * struct sspi_ioc_message - argument of the /dev/sspi message ioctls
 * @size: sizeof(struct sspi_ioc_message) as the caller was built
 * @flags: zero, or one of %SSPI_IOC_F_COPY and %SSPI_IOC_F_PIN
 * @handle: the context's handle
 * @qop: encrypt and sign: the quality of protection asked for; decrypt
 *	and verify: out, the one the message had
 * @seqno: MessageSeqNo, 0 for the context's own numbering
 * @status: out: the SECURITY_STATUS of the operation
 * @count: the number of buffers, at most 16
 * @buffers: user address of @count &struct sspi_ioc_buffer
 * @reserved: must be zero
 *
 * The ioctl returns 0 when the operation succeeded (@status SEC_E_OK or a
 * SEC_I_ code) and -1 with errno set when it did not; @status is written
 * whenever the request reached a context, and the buffer array is written
 * back on success and for SEC_E_INCOMPLETE_MESSAGE.
 */
struct sspi_ioc_message {
	__u32 size;
	__u32 flags;
	__u64 handle;
	__u32 qop;
	__u32 seqno;
	__u32 status;
	__u32 count;
	__u64 buffers;
	__u64 reserved[2];
};

/*
 * How the buffers reach the package.  EncryptMessage works in place in the
 * caller's memory (its pages pinned) on every DATA buffer of at least
 * %SSPI_IOC_PIN_MIN bytes that is not flagged read-only and shares no
 * byte with another buffer, and on a kernel copy of the rest; the other
 * operations work on a copy.  SSPI_IOC_F_PIN works in place on every such
 * DATA buffer of EncryptMessage and DecryptMessage, whatever its size: a
 * DecryptMessage refused by its integrity check then leaves those bytes
 * decrypted in place, unspecified (as Windows' DecryptMessage does), where
 * the copy leaves them untouched.  SSPI_IOC_F_COPY copies every buffer.
 * The results are otherwise the same whichever way is taken.
 */
#define SSPI_IOC_F_COPY		0x1
#define SSPI_IOC_F_PIN		0x2
#define SSPI_IOC_PIN_MIN	4096

#define SSPI_IOC_ENCRYPT	_IOWR(SSPI_IOC_MAGIC, 1, struct sspi_ioc_message)
#define SSPI_IOC_DECRYPT	_IOWR(SSPI_IOC_MAGIC, 2, struct sspi_ioc_message)
#define SSPI_IOC_SIGN		_IOWR(SSPI_IOC_MAGIC, 3, struct sspi_ioc_message)
#define SSPI_IOC_VERIFY		_IOWR(SSPI_IOC_MAGIC, 4, struct sspi_ioc_message)

/* The most members of one batch */
#define SSPI_IOC_MAX_BATCH	1024
/* Go on with the next member after one failed */
#define SSPI_IOC_BATCH_F_CONTINUE	0x1

/**
 * struct sspi_ioc_batch - argument of %SSPI_IOC_BATCH: many messages, one call
 * @size: sizeof(struct sspi_ioc_batch) as the caller was built
 * @flags: zero or %SSPI_IOC_BATCH_F_CONTINUE
 * @op: the operation of every member: the _IOC_NR() of %SSPI_IOC_ENCRYPT,
 *	%SSPI_IOC_DECRYPT, %SSPI_IOC_SIGN or %SSPI_IOC_VERIFY (1 to 4)
 * @count: the number of members, 1 to %SSPI_IOC_MAX_BATCH
 * @messages: user address of @count &struct sspi_ioc_message one after the
 *	other, each with its own handle, flags and buffers, all of the same
 *	@size (the first member's)
 * @done: out: the members processed, in order, the failed ones included
 * @failed: out: how many of those failed
 * @reserved: must be zero
 *
 * Each member is processed as the ioctl @op would process it alone, and
 * its results (@status, @qop, the buffer array and the bytes) are written
 * back the same way.  Without %SSPI_IOC_BATCH_F_CONTINUE the batch stops
 * after the first member that fails; members after @done are not read
 * and not written.  The ioctl returns 0 when every member succeeded, and
 * otherwise -1 with errno that of the first member that failed (or of the
 * batch itself: EINVAL, EFAULT, with @done 0).
 */
struct sspi_ioc_batch {
	__u32 size;
	__u32 flags;
	__u32 op;
	__u32 count;
	__u64 messages;
	__u32 done;
	__u32 failed;
	__u64 reserved[2];
};

#define SSPI_IOC_BATCH		_IOWR(SSPI_IOC_MAGIC, 5, struct sspi_ioc_batch)

#endif /* _UAPI_LINUX_SSPI_H */
