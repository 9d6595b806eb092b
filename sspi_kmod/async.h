/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sspi_kmod: asynchronous message operations (sspi_submit()), the core's
 * side that packages see.
 */
#ifndef _SSPI_KMOD_ASYNC_H
#define _SSPI_KMOD_ASYNC_H

#include <sspi_kmod/sspi.h>

struct sspi_direction;

void sspi_async_init(struct sspi_direction *dir);
void sspi_async_wait_idle(struct sspi_direction *dir);
void sspi_dir_account(struct sspi_context *ctx, struct sspi_direction *dir,
		      enum sspi_op op, const struct sspi_message *msg, int err);
void sspi_request_complete(struct sspi_request *req, int err);
u64 sspi_async_rewind_sync(struct sspi_direction *dir, u64 *seen);
u64 sspi_async_refused(struct sspi_direction *dir);

/* The package's state of @req: sspi_package_ops.reqsize bytes */
static inline void *sspi_request_pkg(struct sspi_request *req)
{
	return req->__ctx;
}

/*
 * Whether @req was submitted behind requests still in flight: a decrypt
 * then runs ahead of their outcome, and must leave the caller's bytes as
 * they are until it ends.
 */
static inline bool sspi_request_behind(const struct sspi_request *req)
{
	return req->behind;
}

/*
 * For a package's @decrypt_async: how many of the sequence numbers it
 * handed out ahead came back -- decrypts refused since it last looked,
 * *@seen -- before @req's turn.
 */
static inline u64 sspi_request_rewind(const struct sspi_request *req, u64 *seen)
{
	u64 back = req->epoch - *seen;

	*seen = req->epoch;
	return back;
}

#endif /* _SSPI_KMOD_ASYNC_H */
