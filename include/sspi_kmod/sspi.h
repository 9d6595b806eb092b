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

#include <linux/module.h>
#include <linux/types.h>
#include <uapi/linux/sspi.h>

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

struct sspi_context *sspi_context_lookup(struct net *net, u64 handle);
void sspi_context_put(struct sspi_context *ctx);
int sspi_encrypt(struct sspi_context *ctx, u32 qop, struct sspi_message *msg,
		 u32 seqno);
int sspi_decrypt(struct sspi_context *ctx, struct sspi_message *msg,
		 u32 seqno, u32 *qop);

u32 sspi_status_from_errno(int err);
int sspi_errno_from_status(u32 status);
const char *sspi_status_name(u32 status);

#endif /* _SSPI_KMOD_SSPI_H */
