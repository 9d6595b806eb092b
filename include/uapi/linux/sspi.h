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

#include <linux/types.h>

/* SECURITY_STATUS values (winerror.h).  SEC_I_* are successes. */
#define SSPI_SEC_E_OK				0x00000000
#define SSPI_SEC_E_INSUFFICIENT_MEMORY		0x80090300
#define SSPI_SEC_E_INVALID_HANDLE		0x80090301
#define SSPI_SEC_E_UNSUPPORTED_FUNCTION		0x80090302
#define SSPI_SEC_E_INTERNAL_ERROR		0x80090304
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

#endif /* _UAPI_LINUX_SSPI_H */
