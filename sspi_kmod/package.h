/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sspi_kmod: security packages and the one ops table each implements.
 * The core calls a package only through these ops; a package never sees
 * netlink or ioctl, only its own import structure and sspi_message.
 */
#ifndef _SSPI_KMOD_PACKAGE_H
#define _SSPI_KMOD_PACKAGE_H

#include <linux/list.h>
#include <linux/types.h>
#include <sspi_kmod/sspi.h>

struct sspi_context;
struct sspi_package;

/**
 * struct sspi_package_ops - what a package implements
 * @init: set up a new context's state (ctx->priv) from the package's
 *	import structure @data of @len bytes; key transforms are allocated
 *	and keyed here, once.  Called before the context is visible.  On
 *	failure @init undoes its own work: @destroy is not called.
 * @destroy: free the state and zeroize key material; may sleep
 * @encrypt: EncryptMessage, under the context's send lock
 * @decrypt: DecryptMessage, under the context's receive lock
 * @sign: MakeSignature, under the send lock (optional)
 * @verify: VerifySignature, under the receive lock (optional)
 * @query: QueryContextAttributes: fill in @info (sizes, protocol, cipher,
 *	drivers, sequence numbers), under both locks
 * @update_keys: install new keys for direction @dir from the package's
 *	key structure @keys of @len bytes, under that direction's lock;
 *	on failure the old keys stay (optional)
 * @reqsize: the bytes of package state one sspi_request needs for
 *	@encrypt_async and @decrypt_async on this context (optional)
 * @encrypt_async: EncryptMessage of @req's message for sspi_submit(),
 *	under the send lock: everything but the crypto happens here (the
 *	checks, the sequence number, the framing); the crypto is started,
 *	and -EINPROGRESS returned when the driver goes on with it, whose
 *	completion then calls sspi_request_complete(); or the result, when
 *	the message was refused or the driver finished at once (optional)
 * @decrypt_async: DecryptMessage of @req's message for sspi_submit(),
 *	under the receive lock, ahead of the requests before it
 *	(Documentation/kernel-api.rst): the checks, then the crypto on the
 *	sequence number that follows theirs, leaving the caller's bytes as
 *	they are while sspi_request_behind() (the requests before it may
 *	yet give their numbers back).  Returns a refusal before the crypto
 *	(no number taken, nothing written); or 0 and the crypto's result in
 *	*@crypto; or -EINPROGRESS, the driver's completion then calling
 *	sspi_request_complete() with it (optional; with @decrypt_restart
 *	and @decrypt_end)
 * @decrypt_restart: the crypto of @req again, @back sequence numbers
 *	lower: requests before it were refused after it started.  Returns
 *	-EINPROGRESS or the crypto's result; must not sleep
 * @decrypt_end: the end of @req's DecryptMessage, once the requests
 *	before it ended and its crypto ran on the right number, with the
 *	crypto's result @crypto: what sspi_decrypt() returns.  A result
 *	@crypto other than 0 gives the number back.  Must not sleep
 * @request_free: free what @req's package state holds (optional)
 * @select: a delegating package (Negotiate) has this op and no other: from
 *	its import structure @data of @len bytes (8-byte aligned) it picks
 *	the registered package @inner that runs the context, and the bytes
 *	of @inner's own import, @inner_data (within @data) of @inner_len.
 *	The core then runs @inner's @init, and every later operation is
 *	@inner's.  Returns 0, -EINVAL for a malformed structure, or
 *	-EPROTONOSUPPORT (SEC_E_SECPKG_NOT_FOUND) when the package it names
 *	is not registered.
 */
struct sspi_package_ops {
	int (*init)(struct sspi_context *ctx, const void *data, size_t len);
	void (*destroy)(struct sspi_context *ctx);
	int (*encrypt)(struct sspi_context *ctx, u32 qop,
		       struct sspi_message *msg, u32 seqno);
	int (*decrypt)(struct sspi_context *ctx, struct sspi_message *msg,
		       u32 seqno, u32 *qop);
	int (*sign)(struct sspi_context *ctx, u32 qop,
		    struct sspi_message *msg, u32 seqno);
	int (*verify)(struct sspi_context *ctx, struct sspi_message *msg,
		      u32 seqno, u32 *qop);
	unsigned int (*reqsize)(struct sspi_context *ctx);
	int (*encrypt_async)(struct sspi_context *ctx, struct sspi_request *req);
	int (*decrypt_async)(struct sspi_context *ctx, struct sspi_request *req,
			     int *crypto);
	int (*decrypt_restart)(struct sspi_context *ctx, struct sspi_request *req,
			       u64 back);
	int (*decrypt_end)(struct sspi_context *ctx, struct sspi_request *req,
			   int crypto);
	void (*request_free)(struct sspi_request *req);
	void (*query)(struct sspi_context *ctx, struct sspi_context_info *info);
	int (*update_keys)(struct sspi_context *ctx, enum sspi_dir dir,
			   const void *keys, size_t len);
	int (*select)(const void *data, size_t len,
		      const struct sspi_package **inner,
		      const void **inner_data, size_t *inner_len);
};

/**
 * struct sspi_package - a registered security package
 * @name: SSPI's name for it ("Schannel", "Kerberos", "NTLM", "Negotiate")
 * @comment: one line for listings
 * @priv_size: bytes of package state in each context (0 for a delegating
 *	package: the context holds its selected package's state)
 * @caps: for a delegating package, the SSPI_PKG_CAP_* operations the
 *	packages it selects offer; 0 for others, whose @ops tell
 * @ops: the package's operations
 * @list: in the registry
 */
struct sspi_package {
	const char *name;
	const char *comment;
	size_t priv_size;
	u32 caps;
	const struct sspi_package_ops *ops;
	struct list_head list;
};

int sspi_package_register(struct sspi_package *pkg);
void sspi_package_unregister(struct sspi_package *pkg);
const struct sspi_package *sspi_package_find(const char *name);
int sspi_package_for_each(int (*fn)(const struct sspi_package *pkg, void *arg),
			  void *arg);

#endif /* _SSPI_KMOD_PACKAGE_H */
