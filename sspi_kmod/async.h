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

/* The package's state of @req: sspi_package_ops.reqsize bytes */
static inline void *sspi_request_pkg(struct sspi_request *req)
{
	return req->__ctx;
}

#endif /* _SSPI_KMOD_ASYNC_H */
