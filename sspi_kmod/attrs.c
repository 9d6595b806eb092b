// SPDX-License-Identifier: GPL-2.0
/*
 * sspi_kmod: QueryContextAttributes (sizes, protocol, cipher, drivers,
 * sequence numbers) and the replacement of one direction's keys.
 */

#include <linux/errno.h>
#include <linux/export.h>
#include <linux/mutex.h>
#include <linux/string.h>

#include "context.h"
#include "package.h"

/**
 * sspi_query() - QueryContextAttributes: what a context is and needs
 * @ctx: the context (a reference held by the caller)
 * @info: filled in; SIZES and STREAM_SIZES, the protocol, the cipher, the
 *	crypto drivers of both directions and their next sequence numbers
 *
 * Waits for an operation in progress in either direction, so that the
 * sequence numbers and drivers reported belong together.
 *
 * Context: process context; may sleep.
 * Return: 0; -EKEYEXPIRED once the context was deleted or expired.
 */
int sspi_query(struct sspi_context *ctx, struct sspi_context_info *info)
{
	int err = 0;

	memset(info, 0, sizeof(*info));
	info->package = ctx->pkg->name;
	mutex_lock(&ctx->tx.lock);
	mutex_lock_nested(&ctx->rx.lock, SINGLE_DEPTH_NESTING);
	if (sspi_context_expired(ctx))
		err = -EKEYEXPIRED;
	else
		ctx->pkg->ops->query(ctx, info);
	mutex_unlock(&ctx->rx.lock);
	mutex_unlock(&ctx->tx.lock);
	return err;
}
EXPORT_SYMBOL_GPL(sspi_query);

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
	if (sspi_context_expired(ctx))
		err = -EKEYEXPIRED;
	else
		err = ctx->pkg->ops->update_keys(ctx, dir, keys, len);
	mutex_unlock(&d->lock);
	return err;
}
EXPORT_SYMBOL_GPL(sspi_update_keys);
