/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libsspi: sspi_kmod from userspace -- the "sspi" generic netlink family
 * and /dev/sspi, in C.
 *
 * Every function that can fail returns 0 on success and -1 on failure,
 * with the reason in sspi_error(); none prints anything or exits.  The
 * library keeps one netlink socket and one /dev/sspi descriptor per
 * process, opened on first use: it is not thread-safe.
 *
 * <sspi_kmod/sspi_user.h> is the Windows-named API on top of this one.
 */
#ifndef _SSPI_KMOD_LIBSSPI_H
#define _SSPI_KMOD_LIBSSPI_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include <linux/sspi.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * sspi_error() - why the last call that failed did
 *
 * Return: a message naming the operation and the reason, valid until the
 * next libsspi call of the same thread.
 */
const char *sspi_error(void);

/**
 * sspi_error_status() - the SECURITY_STATUS the last failure carried
 *
 * Return: the kernel's status when it gave one (a reply's failed status,
 * or the one an extended ACK begins with: "SEC_E_INVALID_HANDLE: no such
 * context"), else SEC_E_INTERNAL_ERROR.
 */
__u32 sspi_error_status(void);

/**
 * sspi_open() - reach the module now rather than at the first request
 *
 * Return: 0, or -1 when the "sspi" generic netlink family is not there
 * (sspi_kmod not loaded) or cannot be used.
 */
int sspi_open(void);

/* SECURITY_STATUS codes and their names (SEC_E_OK, ...) */
struct sspi_status_info {
	__u32 status;
	const char *name;
};

const struct sspi_status_info *sspi_status_by_value(__u32 status);
const struct sspi_status_info *sspi_status_by_name(const char *name);
const struct sspi_status_info *sspi_status_table(size_t *n);
/* The status's name, or "0x%08X" when it has none (a static buffer) */
const char *sspi_status_name(__u32 status);
/* SEC_E_* other than SEC_E_OK: Windows' FAILED(), as <linux/sspi.h> says */
static inline bool sspi_status_failed(__u32 status)
{
	return SSPI_STATUS_FAILED(status);
}

/* No SECURITY_STATUS has all bits set: "no status in the reply" */
#define SSPI_STATUS_NONE	0xffffffffu

/* The most buffers one message has */
#define SSPI_MAX_BUFS	16

/**
 * struct sspi_buf - one SecBuffer
 * @type: BufferType with its flags (SSPI_SECBUFFER_*)
 * @len: the bytes at @data, or the room asked for when @data is NULL
 * @data: the buffer's bytes; NULL for a buffer with none of its own
 */
struct sspi_buf {
	__u32 type;
	__u32 len;
	__u8 *data;
};

/**
 * struct sspi_msg - one EncryptMessage, DecryptMessage, MakeSignature or
 *	VerifySignature
 * @handle: the context
 * @qop: in for encrypt and sign, out for decrypt and verify
 * @seqno: MessageSeqNo, 0 for the context's own numbering
 * @status: out: the SECURITY_STATUS
 * @count: buffers in @buf
 * @buf: the buffers
 * @ioc_flags: through /dev/sspi: 0, SSPI_IOC_F_COPY or SSPI_IOC_F_PIN
 *	(<linux/sspi.h>: in place or by copy)
 */
struct sspi_msg {
	__u64 handle;
	__u32 qop;
	__u32 seqno;
	__u32 status;
	unsigned int count;
	struct sspi_buf buf[SSPI_MAX_BUFS];
	__u32 ioc_flags;
};

/* Append a buffer to @m (at most SSPI_MAX_BUFS: more are dropped) */
void sspi_msg_add(struct sspi_msg *m, __u32 type, void *data, __u32 len);
/* The first buffer of @type (flags ignored), or NULL */
struct sspi_buf *sspi_msg_find(struct sspi_msg *m, __u32 type);

/* How a message reaches the kernel */
enum sspi_transport {
	SSPI_TRANSPORT_NETLINK,	/* copies; buffers of up to 64 KiB */
	SSPI_TRANSPORT_IOCTL,	/* /dev/sspi, in place in the caller's memory */
};

/**
 * sspi_message() - one message operation
 * @cmd: SSPI_CMD_ENCRYPT, _DECRYPT, _SIGN or _VERIFY
 * @m: the message
 * @t: the transport
 *
 * Through netlink, every output buffer needs no bytes of its own
 * (@data NULL, @len the room); the reply's buffers replace m->buf[], their
 * bytes valid until the next call.  Through /dev/sspi every buffer has
 * its bytes, and the kernel works on them in place.
 *
 * Return: 0 with m->status set (failed or not), m->buf[] as the kernel
 * left it when the status says it means something; -1 when the request
 * reached no context (sspi_error() says why).
 */
int sspi_message(__u8 cmd, struct sspi_msg *m, enum sspi_transport t);

/**
 * sspi_message_batch() - many message operations in one system call
 * @cmd: SSPI_CMD_ENCRYPT, _DECRYPT, _SIGN or _VERIFY, for every message
 * @m: the messages, each as for sspi_message() through /dev/sspi (its own
 *	context, buffers in the caller's memory, ioc_flags)
 * @n: how many, 1 to SSPI_IOC_MAX_BATCH
 * @flags: 0, or SSPI_IOC_BATCH_F_CONTINUE to go on after a message that
 *	failed (without it the batch stops there)
 * @done: out: the messages processed, in order; those after it were not
 *
 * Through SSPI_IOC_BATCH: one system call for all @n messages.
 *
 * Return: 0 with m[i].status (and m[i].buf[] as for sspi_message()) set
 * for every i below *@done, failed or not -- SSPI_STATUS_NONE for one
 * whose own structure the kernel refused (sspi_error() says why); -1 when
 * the batch reached no message (sspi_error() says why).
 */
int sspi_message_batch(__u8 cmd, struct sspi_msg *m, unsigned int n,
		       unsigned int flags, unsigned int *done);

/* Packages */
struct sspi_pkg_info {
	char name[64];
	char comment[256];
	__u32 caps;		/* SSPI_PKG_CAP_* */
};

typedef int (*sspi_pkg_fn)(const struct sspi_pkg_info *pkg, void *arg);

/* @fn for each registered package; its non-zero return stops with -1 */
int sspi_pkg_list(sspi_pkg_fn fn, void *arg);
/* The package called @name: 0, or -1 (none such is a failure too) */
int sspi_pkg_get(const char *name, struct sspi_pkg_info *pkg);

/* Contexts */

/* What one direction's message operations came to (SSPI_A_CTX_STATS) */
struct sspi_ctx_dir_stats {
	__u64 messages;		/* calls that did not fail */
	__u64 bytes;		/* their DATA bytes */
	unsigned int nfailed;	/* entries of failed[]: the statuses seen */
	struct {
		__u32 status;	/* a failure status ... */
		__u64 count;	/* ... and the calls that ended in it */
	} failed[32];
};

struct sspi_ctx_info {
	__u64 handle;
	char package[64];
	__u32 owner;
	__u64 expiry;
	__u32 protocol;
	char cipher[64];
	char tx_driver[128];
	char rx_driver[128];
	__u64 tx_seq;
	__u64 rx_seq;
	__u32 sizes[SSPI_SIZES_MAX + 1];	/* by SSPI_SIZES_* */
	bool has_sizes;
	char negotiated[64];	/* Negotiate's selected package; "" for others */
	__u32 key_bits;		/* the session key's effective bits (KeySize) */
	bool expired;		/* past its expiry, listed until reaped: only
				 * handle, package, negotiated, owner,
				 * expiry and the counts are set
				 */
	bool has_stats;		/* the kernel sent the counts */
	struct sspi_ctx_dir_stats tx_stats;	/* EncryptMessage, MakeSignature */
	struct sspi_ctx_dir_stats rx_stats;	/* DecryptMessage, VerifySignature */
};

typedef int (*sspi_ctx_fn)(const struct sspi_ctx_info *ctx, void *arg);

/* How long an imported context lives: neither, or one of the two */
struct sspi_ctx_limit {
	bool has_lifetime;
	__u32 lifetime;		/* SSPI_A_CTX_LIFETIME: seconds from now */
	bool has_expiry;
	__u64 expiry;		/* SSPI_A_CTX_EXPIRY: CLOCK_REALTIME second */
};

/* CTX_IMPORT of the package's import structure (@limit may be NULL) */
int sspi_ctx_import(const char *pkg, const void *blob, size_t len,
		    const struct sspi_ctx_limit *limit, __u64 *handle);
/*
 * CTX_GET of one context.  A context past its expiry time fails with
 * SEC_E_CONTEXT_EXPIRED (sspi_error_status()), but @info is filled in
 * with what is left of it, info->expired set.
 */
int sspi_ctx_get(__u64 handle, struct sspi_ctx_info *info);
/* CTX_GET of every context the caller may use */
int sspi_ctx_list(sspi_ctx_fn fn, void *arg);
int sspi_ctx_delete(__u64 handle);
/* CTX_UPDATE_KEYS: @dir SSPI_DIR_TX or SSPI_DIR_RX */
int sspi_ctx_update_keys(__u64 handle, __u32 dir, const void *keys,
			 size_t len);

/* The Kerberos enctypes the "Kerberos" package takes */
struct sspi_krb5_enctype {
	const char *name;	/* MIT's name */
	__u32 etype;		/* SSPI_KRB5_ENCTYPE_* */
	unsigned int key_len;
};

const struct sspi_krb5_enctype *sspi_krb5_enctype_by_number(__u32 etype);
/* One of MIT's names or aliases ("aes256-cts"); NULL if none */
const struct sspi_krb5_enctype *sspi_krb5_enctype_by_name(const char *s);

/* A NegotiateFlags bit the "NTLM" package acts on, and its name */
struct sspi_ntlm_flag {
	const char *name;	/* "sign", "seal", "extended-session-security", ... */
	__u32 flag;		/* SSPI_NTLMSSP_NEGOTIATE_* */
};

/* The SSPI_NTLMSSP_NEGOTIATE_* bits by name, @n of them */
const struct sspi_ntlm_flag *sspi_ntlm_flag_table(size_t *n);

/**
 * sspi_ntlm_auth_flags() - the NegotiateFlags of an AUTHENTICATE message
 * @msg: the NTLMSSP AUTHENTICATE message (MS-NLMP 2.2.1.3) a client sent
 * @len: its bytes
 * @flags: out: its NegotiateFlags (offset 60, little-endian), which
 *	&struct sspi_ntlm_import.negotiate_flags takes
 *
 * Return: 0, or -1 when @msg is not an AUTHENTICATE message.
 */
int sspi_ntlm_auth_flags(const void *msg, size_t len, __u32 *flags);

/* The "Negotiate" package's mechanisms: the package each one is */
const char *sspi_negotiate_mech_name(__u32 mech);
/* "Kerberos", "kerberos", "krb5", "NTLM", "ntlm": SSPI_NEGOTIATE_MECH_*, or 0 */
__u32 sspi_negotiate_mech_by_name(const char *name);

/**
 * sspi_negotiate_wrap() - a mechanism's import as the "Negotiate" package
 *	takes it
 * @mech: SSPI_NEGOTIATE_MECH_KERBEROS or SSPI_NEGOTIATE_MECH_NTLM
 * @import: the mechanism's import, &struct sspi_krb5_import or &struct
 *	sspi_ntlm_import
 * @len: its size, which must be the structure's
 * @total: out: the bytes of the result, for sspi_ctx_import()
 *
 * Return: a &struct sspi_negotiate_import with a copy of @import, to be
 * freed (and its keys wiped) with sspi_negotiate_free(); NULL on failure.
 */
struct sspi_negotiate_import *sspi_negotiate_wrap(__u32 mech,
						  const void *import,
						  size_t len, size_t *total);
void sspi_negotiate_free(struct sspi_negotiate_import *n, size_t total);

/* Names of the generic netlink family's commands and attributes */
const char *sspi_nl_cmd_name(int cmd);
const char *sspi_nl_attr_name(int type);

#ifdef __cplusplus
}
#endif

#endif /* _SSPI_KMOD_LIBSSPI_H */
