// SPDX-License-Identifier: GPL-2.0
/*
 * sspi_kmod: the replacement of one direction's keys (TLS 1.3 KeyUpdate,
 * a renegotiated TLS 1.2 session).
 */

#include <linux/errno.h>
#include <linux/export.h>
#include <linux/mutex.h>

#include "async.h"
#include "context.h"
#include "package.h"

/**
 * sspi_update_keys() - install new keys for one direction of a context
 * @ctx: the context (a reference held by the caller)
 * @dir: %SSPI_TX or %SSPI_RX
 * @keys: the package's key structure (for "Schannel" a
 *	&struct sspi_tls_keys: TLS 1.3 KeyUpdate, or the keys of a
 *	renegotiated TLS 1.2 session)
 * @len: its size
 *
 * Waits for an operation in progress in that direction; the next one uses
 * the new keys.  On failure the old keys stay in use.
 *
 * Context: process context; may sleep.
 * Return: 0; -EINVAL for a bad @dir or key structure; -EOPNOTSUPP when the
 * package cannot change keys; -EKEYEXPIRED once the context was deleted
 * or expired; -ENOMEM.
 */
int sspi_update_keys(struct sspi_context *ctx, enum sspi_dir dir,
		     const void *keys, size_t len)
{
	struct sspi_direction *d;
	int err;

	if (dir != SSPI_TX && dir != SSPI_RX)
		return -EINVAL;
	if (!ctx->pkg->ops->update_keys)
		return -EOPNOTSUPP;
	d = dir == SSPI_TX ? &ctx->tx : &ctx->rx;
	mutex_lock(&d->lock);
	/* the transform of messages still in flight is about to go */
	sspi_async_wait_idle(d);
	if (sspi_context_expired(ctx))
		err = -EKEYEXPIRED;
	else
		err = ctx->pkg->ops->update_keys(ctx, dir, keys, len);
	mutex_unlock(&d->lock);
	return err;
}
EXPORT_SYMBOL_GPL(sspi_update_keys);
