/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sspi_kmod: in-kernel API.
 *
 * Functions return 0 on success, a negative errno on failure, and, where a
 * function documents it, a positive enum sspi_info value for SSPI's
 * informational outcomes (SEC_I_*).  The errno values are mapped to SSPI
 * status codes one to one; see Documentation/status.rst.
 *
 * The symbols live in the SSPI_KMOD symbol namespace: a consumer module
 * says SSPI_KMOD_IMPORT_NS(); once.
 */
#ifndef _SSPI_KMOD_SSPI_H
#define _SSPI_KMOD_SSPI_H

#include <linux/list.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/types.h>
#include <uapi/linux/sspi.h>

struct cred;
struct net;
struct scatterlist;
struct sspi_context;

/*
 * MODULE_IMPORT_NS() takes a token before 6.13 and a string from 6.13 on;
 * the modinfo tag it expands to is the same on every version.
 */
#define SSPI_KMOD_IMPORT_NS() MODULE_INFO(import_ns, "SSPI_KMOD")

/**
 * enum sspi_info - informational outcomes, returned as positive values
 * @SSPI_I_CONTINUE_NEEDED: SEC_I_CONTINUE_NEEDED, more exchanges follow
 * @SSPI_I_CONTEXT_EXPIRED: SEC_I_CONTEXT_EXPIRED, the peer closed the
 *	context (a TLS close_notify)
 * @SSPI_I_RENEGOTIATE: SEC_I_RENEGOTIATE, the peer sent handshake data
 *	that the caller's handshake code must process
 */
enum sspi_info {
	SSPI_I_CONTINUE_NEEDED = 1,
	SSPI_I_CONTEXT_EXPIRED,
	SSPI_I_RENEGOTIATE,
};

/**
 * struct sspi_buffer - one buffer of a message (SSPI's SecBuffer)
 * @type: an SSPI_SECBUFFER_* type, with SSPI_SECBUFFER_READONLY or
 *	SSPI_SECBUFFER_READONLY_WITH_CHECKSUM in the top four bits
 * @len: on input, the bytes in the buffer (for a buffer the call writes,
 *	its room); on output, the bytes written (cbBuffer)
 * @data: the bytes, when the buffer is linear memory
 * @sg: the bytes, when the buffer is a scatterlist over pages (then @data
 *	is NULL); page data is sealed and unsealed in place, never copied
 * @offset: where the buffer starts within @sg
 */
struct sspi_buffer {
	u32 type;
	u32 len;
	void *data;
	struct scatterlist *sg;
	u32 offset;
};

/**
 * struct sspi_message - the buffers of one message (SSPI's SecBufferDesc)
 * @count: number of buffers, at most %SSPI_MAX_BUFFERS
 * @buffers: the buffers
 */
struct sspi_message {
	unsigned int count;
	struct sspi_buffer *buffers;
};

#define SSPI_MAX_BUFFERS 16

/**
 * enum sspi_op - the four message operations, for sspi_message_op()
 * @SSPI_OP_ENCRYPT: EncryptMessage, as sspi_encrypt()
 * @SSPI_OP_DECRYPT: DecryptMessage, as sspi_decrypt()
 * @SSPI_OP_SIGN: MakeSignature, as sspi_make_signature()
 * @SSPI_OP_VERIFY: VerifySignature, as sspi_verify_signature()
 */
enum sspi_op {
	SSPI_OP_ENCRYPT,
	SSPI_OP_DECRYPT,
	SSPI_OP_SIGN,
	SSPI_OP_VERIFY,
};

/**
 * struct sspi_outcome - what a message operation came to
 * @err: the operation's return value: 0, a positive &enum sspi_info value
 *	or a negative errno
 * @status: the SECURITY_STATUS of @err, as sspi_status_from_errno() maps it
 * @buffers: whether the buffers mean something to the caller and go back
 *	to it: when @status did not fail (SSPI_STATUS_FAILED()), and for
 *	SEC_E_INCOMPLETE_MESSAGE, whose MISSING buffer tells how much more
 *	input is needed
 * @wipe: whether the message's memory may hold plaintext and is to be
 *	zeroized when freed; false only for a message sealed with encryption
 *	whose every buffer now holds ciphertext or framing
 */
struct sspi_outcome {
	int err;
	u32 status;
	bool buffers;
	bool wipe;
};

struct sspi_context *sspi_context_lookup(struct net *net, u64 handle);
struct sspi_context *sspi_context_lookup_cred(struct net *net, u64 handle,
					      const struct cred *cred);
void sspi_context_put(struct sspi_context *ctx);
int sspi_encrypt(struct sspi_context *ctx, u32 qop, struct sspi_message *msg,
		 u32 seqno);
int sspi_decrypt(struct sspi_context *ctx, struct sspi_message *msg,
		 u32 seqno, u32 *qop);
int sspi_make_signature(struct sspi_context *ctx, u32 qop,
			struct sspi_message *msg, u32 seqno);
int sspi_verify_signature(struct sspi_context *ctx, struct sspi_message *msg,
			  u32 seqno, u32 *qop);
int sspi_message_op(struct sspi_context *ctx, enum sspi_op op,
		    struct sspi_message *msg, u32 seqno, u32 *qop,
		    struct sspi_outcome *out);

struct sspi_request;

/**
 * typedef sspi_done_t - the end of a message submitted with sspi_submit()
 * @req: the request
 * @err: what the synchronous call would have returned
 *
 * Called once for each sspi_submit() that returned -EINPROGRESS, in the
 * order the requests of one direction were submitted.
 *
 * Context: softirq or process context: must not sleep (and so must not
 * submit again: hand that to a work item).
 */
typedef void (*sspi_done_t)(struct sspi_request *req, int err);

/**
 * struct sspi_request - one message operation for sspi_submit()
 * @op: the operation
 * @msg: its buffers: they, and the memory they describe, stay the
 *	caller's to keep unchanged until the request ends
 * @qop: %SSPI_OP_ENCRYPT and %SSPI_OP_SIGN: the quality of protection
 *	asked for; %SSPI_OP_DECRYPT and %SSPI_OP_VERIFY: out, the one the
 *	message had
 * @seqno: 0 for the context's own sequence numbers, else as for the
 *	synchronous call
 * @done: called when the request ends after sspi_submit() returned
 *	-EINPROGRESS
 * @data: the caller's
 *
 * A request is allocated once (sspi_request_alloc()) and used for any
 * number of messages of its context, one at a time: nothing is allocated
 * per message.
 */
struct sspi_request {
	enum sspi_op op;
	struct sspi_message *msg;
	u32 qop;
	u32 seqno;
	sspi_done_t done;
	void *data;
	/* private: */
	struct sspi_context *ctx;	/* sspi_request_alloc()'s */
	struct list_head node;		/* in the direction's requests in flight */
	int err;			/* the outcome, once known */
	bool finished;
	bool ahead;			/* a decrypt run before those before it ended */
	bool behind;			/* others were in flight at submission */
	u64 epoch;			/* the direction's refusals at submission */
	unsigned int pkg_size;		/* bytes of @__ctx */
	void *__ctx[] __aligned(ARCH_KMALLOC_MINALIGN);	/* the package's */
};

struct sspi_request *sspi_request_alloc(struct sspi_context *ctx, gfp_t gfp);
void sspi_request_free(struct sspi_request *req);
int sspi_submit(struct sspi_request *req);

/**
 * struct sspi_sizes - QueryContextAttributes SIZES and STREAM_SIZES
 * @max_token: cbMaxToken, the largest token the package makes
 * @max_signature: cbMaxSignature (0 when the package does not sign)
 * @block_size: cbBlockSize, the unit messages are padded to
 * @security_trailer: cbSecurityTrailer, the TOKEN a message needs
 * @stream_header: cbHeader, the STREAM_HEADER a message needs
 * @stream_trailer: cbTrailer, the STREAM_TRAILER a message needs
 * @max_message: cbMaximumMessage, the most DATA one message may carry
 * @buffers: cBuffers, the buffers EncryptMessage takes
 */
struct sspi_sizes {
	u32 max_token;
	u32 max_signature;
	u32 block_size;
	u32 security_trailer;
	u32 stream_header;
	u32 stream_trailer;
	u32 max_message;
	u32 buffers;
};

#define SSPI_NAME_LEN 64

/**
 * struct sspi_context_info - what sspi_query() tells of a context
 * @package: the package's name, as the context was imported ("Negotiate"
 *	for a context Negotiate delegates)
 * @negotiated: for a delegating package (Negotiate), the name of the
 *	package it selected and whose operations run the context
 *	("Kerberos", "NTLM"); NULL for every other context
 * @sizes: the sizes buffers must have
 * @protocol: the protocol version (e.g. %SSPI_TLS_VERSION_1_3), 0 if none
 * @cipher: the cipher's name
 * @tx_driver: the crypto driver sealing (crypto_aead_driver_name())
 * @rx_driver: the crypto driver unsealing
 * @tx_seq: the sequence number of the next message sent
 * @rx_seq: the sequence number of the next message expected
 * @key_bits: SecPkgContext_KeyInfo's KeySize: the effective strength in
 *	bits of the session key, i.e. of the key protecting confidentiality
 *	(128, 56 or 40 for NTLM as its flags weaken the sealing key, the
 *	enctype's key for Kerberos, the cipher's key for TLS); a sign-only
 *	context reports the same, the key its signatures depend on
 */
struct sspi_context_info {
	const char *package;
	const char *negotiated;
	struct sspi_sizes sizes;
	u32 protocol;
	char cipher[SSPI_NAME_LEN];
	char tx_driver[SSPI_NAME_LEN];
	char rx_driver[SSPI_NAME_LEN];
	u64 tx_seq;
	u64 rx_seq;
	u32 key_bits;
};

/**
 * enum sspi_dir - one direction of a context
 * @SSPI_TX: what this side seals
 * @SSPI_RX: what this side unseals
 */
enum sspi_dir {
	SSPI_TX = SSPI_DIR_TX,
	SSPI_RX = SSPI_DIR_RX,
};

/* The failure statuses (SSPI_STATUS_FAILED()) an operation can end in */
#define SSPI_NR_FAILURES 14

/**
 * struct sspi_status_count - how many operations ended in one status
 * @status: an SSPI status code
 * @count: the operations of one direction that ended in @status
 */
struct sspi_status_count {
	u32 status;
	u64 count;
};

/**
 * struct sspi_dir_stats - what the operations of one direction came to
 * @messages: the operations that did not fail (SEC_E_OK, SEC_I_*): the
 *	messages sealed and signed (send direction), or unsealed and
 *	verified (receive direction)
 * @bytes: the bytes of the DATA buffers of those messages: plaintext
 *	sealed or unsealed, data signed or verified
 * @failed: the operations that failed, by status: every failure status
 *	of Documentation/status.rst once, in a fixed order, with its count
 *	(0 for a status never seen)
 */
struct sspi_dir_stats {
	u64 messages;
	u64 bytes;
	struct sspi_status_count failed[SSPI_NR_FAILURES];
};

/**
 * struct sspi_context_stats - what a context's operations came to
 * @tx: EncryptMessage and MakeSignature
 * @rx: DecryptMessage and VerifySignature
 *
 * Every message operation on the context is counted in one direction,
 * whichever interface it came through (kernel API, netlink, /dev/sspi),
 * once the context was found: a call with a malformed buffer array, on
 * a deleted or expired context, or asking for what the package does not
 * do is a failure too.  The counts start at 0 when the context is
 * imported; UPDATE_KEYS keeps them.
 */
struct sspi_context_stats {
	struct sspi_dir_stats tx;
	struct sspi_dir_stats rx;
};

int sspi_query(struct sspi_context *ctx, struct sspi_context_info *info);
void sspi_query_stats(struct sspi_context *ctx, struct sspi_context_stats *st);
int sspi_update_keys(struct sspi_context *ctx, enum sspi_dir dir,
		     const void *keys, size_t len);

u32 sspi_status_from_errno(int err);
int sspi_errno_from_status(u32 status);
const char *sspi_status_name(u32 status);
bool sspi_status_returns_buffers(u32 status);

#endif /* _SSPI_KMOD_SSPI_H */
