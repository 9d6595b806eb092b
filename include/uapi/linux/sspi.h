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
#define SSPI_KRB5_F_SEQUENCE		0x08	/* detect reorders and gaps */
#define SSPI_KRB5_F_DCE_STYLE		0x10	/* DCE style (GSS_C_DCE_STYLE) */
#define SSPI_KRB5_F_ALL			0x1f

/**
 * struct sspi_krb5_import - what the Kerberos package imports: an
 *	established RFC 4121 context, as MIT's lucid context describes it
 * @enctype: an SSPI_KRB5_ENCTYPE_* value, the enctype of @key
 * @flags: SSPI_KRB5_F_* bits
 * @send_seq: the sequence number of the first token this side sends
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
 * Generic netlink family "sspi" (Documentation/netlink/specs/sspi.yaml).
 *
 * A request the family cannot act on (a missing or malformed attribute,
 * no permission) fails with an errno and an extended ack naming the bad
 * attribute.  A request that reaches a context is answered with a message
 * carrying %SSPI_A_STATUS, the SECURITY_STATUS of the operation, success
 * or not; buffers come back only when the status says they mean something
 * (success, SEC_I_*, or SEC_E_INCOMPLETE_MESSAGE with its MISSING buffer).
 */
#define SSPI_GENL_NAME				"sspi"
#define SSPI_GENL_VERSION			1

/**
 * enum sspi_cmd - commands of the "sspi" generic netlink family
 * @SSPI_CMD_UNSPEC: unused
 * @SSPI_CMD_PKG_GET: dump the registered packages
 * @SSPI_CMD_CTX_IMPORT: import a context (CAP_NET_ADMIN); replies with
 *	its handle
 * @SSPI_CMD_CTX_DELETE: delete a context (CAP_NET_ADMIN)
 * @SSPI_CMD_CTX_GET: describe a context (do) or every context the caller
 *	may use in its network namespace (dump)
 * @SSPI_CMD_ENCRYPT: EncryptMessage on %SSPI_A_BUFFER attributes
 * @SSPI_CMD_DECRYPT: DecryptMessage on %SSPI_A_BUFFER attributes
 * @SSPI_CMD_CTX_UPDATE_KEYS: install new keys for one direction
 *	(CAP_NET_ADMIN)
 * @SSPI_CMD_SIGN: MakeSignature on %SSPI_A_BUFFER attributes
 * @SSPI_CMD_VERIFY: VerifySignature on %SSPI_A_BUFFER attributes
 * @__SSPI_CMD_MAX: one past the last command
 */
enum sspi_cmd {
	SSPI_CMD_UNSPEC,
	SSPI_CMD_PKG_GET,
	SSPI_CMD_CTX_IMPORT,
	SSPI_CMD_CTX_DELETE,
	SSPI_CMD_CTX_GET,
	SSPI_CMD_ENCRYPT,
	SSPI_CMD_DECRYPT,
	SSPI_CMD_CTX_UPDATE_KEYS,
	SSPI_CMD_SIGN,
	SSPI_CMD_VERIFY,
	__SSPI_CMD_MAX,
};

#define SSPI_CMD_MAX (__SSPI_CMD_MAX - 1)

/**
 * enum sspi_attr - attributes of the "sspi" family
 * @SSPI_A_UNSPEC: unused
 * @SSPI_A_PAD: padding for 64-bit attributes
 * @SSPI_A_STATUS: u32, the SECURITY_STATUS of the operation (reply)
 * @SSPI_A_PKG_NAME: string, a package's name ("Schannel", ...)
 * @SSPI_A_PKG_COMMENT: string, what the package does (reply)
 * @SSPI_A_PKG_CAPS: u32, SSPI_PKG_CAP_* bits (reply)
 * @SSPI_A_CTX_HANDLE: u64, a context's handle
 * @SSPI_A_CTX_IMPORT: binary, the package's import structure (for
 *	"Schannel" a &struct sspi_tls_import, for "Kerberos" a
 *	&struct sspi_krb5_import)
 * @SSPI_A_CTX_LIFETIME: u32, seconds the context may be used, 0 = no limit
 * @SSPI_A_CTX_EXPIRY: u64, CLOCK_REALTIME second the context expires at,
 *	0 = never; on import, instead of %SSPI_A_CTX_LIFETIME (a Kerberos
 *	context's endtime)
 * @SSPI_A_CTX_OWNER: u32, the owner's uid as the requester sees it (reply)
 * @SSPI_A_CTX_SIZES: nest of SSPI_SIZES_* (reply)
 * @SSPI_A_CTX_PROTOCOL: u32, the protocol version (e.g.
 *	%SSPI_TLS_VERSION_1_3) (reply)
 * @SSPI_A_CTX_CIPHER: string, the cipher's name (reply)
 * @SSPI_A_CTX_TX_DRIVER: string, the crypto driver sealing (reply)
 * @SSPI_A_CTX_RX_DRIVER: string, the crypto driver unsealing (reply)
 * @SSPI_A_CTX_TX_SEQ: u64, the next send sequence number (reply)
 * @SSPI_A_CTX_RX_SEQ: u64, the next receive sequence number (reply)
 * @SSPI_A_DIRECTION: u32, %SSPI_DIR_TX or %SSPI_DIR_RX
 * @SSPI_A_KEYS: binary, new keys of one direction (for "Schannel" a
 *	&struct sspi_tls_keys)
 * @SSPI_A_QOP: u32, quality of protection (SSPI_SECQOP_*)
 * @SSPI_A_SEQNO: u32, MessageSeqNo (0 = the context's own numbering)
 * @SSPI_A_BUFFER: nest of SSPI_BUF_*, one SecBuffer; repeated, in order
 * @__SSPI_A_MAX: one past the last attribute
 */
enum sspi_attr {
	SSPI_A_UNSPEC,
	SSPI_A_PAD,
	SSPI_A_STATUS,
	SSPI_A_PKG_NAME,
	SSPI_A_PKG_COMMENT,
	SSPI_A_PKG_CAPS,
	SSPI_A_CTX_HANDLE,
	SSPI_A_CTX_IMPORT,
	SSPI_A_CTX_LIFETIME,
	SSPI_A_CTX_EXPIRY,
	SSPI_A_CTX_OWNER,
	SSPI_A_CTX_SIZES,
	SSPI_A_CTX_PROTOCOL,
	SSPI_A_CTX_CIPHER,
	SSPI_A_CTX_TX_DRIVER,
	SSPI_A_CTX_RX_DRIVER,
	SSPI_A_CTX_TX_SEQ,
	SSPI_A_CTX_RX_SEQ,
	SSPI_A_DIRECTION,
	SSPI_A_KEYS,
	SSPI_A_QOP,
	SSPI_A_SEQNO,
	SSPI_A_BUFFER,
	__SSPI_A_MAX,
};

#define SSPI_A_MAX (__SSPI_A_MAX - 1)

/**
 * enum sspi_buf_attr - one SecBuffer, nested in %SSPI_A_BUFFER
 * @SSPI_BUF_UNSPEC: unused
 * @SSPI_BUF_TYPE: u32, BufferType with its flags (SSPI_SECBUFFER_*)
 * @SSPI_BUF_DATA: binary, the buffer's bytes (at most 65535: larger
 *	messages go through /dev/sspi)
 * @SSPI_BUF_LEN: u32, the size of a buffer sent without %SSPI_BUF_DATA
 *	(room for output, e.g. STREAM_HEADER; 0 for EMPTY); in a reply, the
 *	byte count of a buffer that has no data (MISSING).  A request's
 *	buffer has exactly one of %SSPI_BUF_DATA and %SSPI_BUF_LEN.
 * @__SSPI_BUF_MAX: one past the last attribute
 */
enum sspi_buf_attr {
	SSPI_BUF_UNSPEC,
	SSPI_BUF_TYPE,
	SSPI_BUF_DATA,
	SSPI_BUF_LEN,
	__SSPI_BUF_MAX,
};

#define SSPI_BUF_MAX (__SSPI_BUF_MAX - 1)

/**
 * enum sspi_sizes_attr - SecPkgContext_Sizes and _StreamSizes, nested in
 *	%SSPI_A_CTX_SIZES; all u32
 * @SSPI_SIZES_UNSPEC: unused
 * @SSPI_SIZES_MAX_TOKEN: cbMaxToken
 * @SSPI_SIZES_MAX_SIGNATURE: cbMaxSignature
 * @SSPI_SIZES_BLOCK_SIZE: cbBlockSize
 * @SSPI_SIZES_SECURITY_TRAILER: cbSecurityTrailer
 * @SSPI_SIZES_STREAM_HEADER: cbHeader
 * @SSPI_SIZES_STREAM_TRAILER: cbTrailer
 * @SSPI_SIZES_MAX_MESSAGE: cbMaximumMessage
 * @SSPI_SIZES_BUFFERS: cBuffers
 * @__SSPI_SIZES_MAX: one past the last attribute
 */
enum sspi_sizes_attr {
	SSPI_SIZES_UNSPEC,
	SSPI_SIZES_MAX_TOKEN,
	SSPI_SIZES_MAX_SIGNATURE,
	SSPI_SIZES_BLOCK_SIZE,
	SSPI_SIZES_SECURITY_TRAILER,
	SSPI_SIZES_STREAM_HEADER,
	SSPI_SIZES_STREAM_TRAILER,
	SSPI_SIZES_MAX_MESSAGE,
	SSPI_SIZES_BUFFERS,
	__SSPI_SIZES_MAX,
};

#define SSPI_SIZES_MAX (__SSPI_SIZES_MAX - 1)

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
 * struct sspi_ioc_message - argument of every /dev/sspi ioctl
 * @size: sizeof(struct sspi_ioc_message) as the caller was built
 * @flags: must be zero
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

#define SSPI_IOC_ENCRYPT	_IOWR(SSPI_IOC_MAGIC, 1, struct sspi_ioc_message)
#define SSPI_IOC_DECRYPT	_IOWR(SSPI_IOC_MAGIC, 2, struct sspi_ioc_message)
#define SSPI_IOC_SIGN		_IOWR(SSPI_IOC_MAGIC, 3, struct sspi_ioc_message)
#define SSPI_IOC_VERIFY		_IOWR(SSPI_IOC_MAGIC, 4, struct sspi_ioc_message)

#endif /* _UAPI_LINUX_SSPI_H */
