// SPDX-License-Identifier: GPL-2.0
/*
 * sspi_kmod: QueryContextAttributes (sizes, protocol, cipher, drivers,
 * sequence numbers).
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
 * @info: filled in; the package imported by name and, for a delegating
 *	one (Negotiate), the package it selected; SIZES and STREAM_SIZES,
 *	the protocol, the cipher, the crypto drivers of both directions and
 *	their next sequence numbers, as the selected package reports them
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
	info->package = ctx->outer->name;
	if (ctx->outer != ctx->pkg)
		info->negotiated = ctx->pkg->name;
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
