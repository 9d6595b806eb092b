/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sspi_kmod: the counters of a context's message operations.
 */
#ifndef _SSPI_KMOD_STATS_H
#define _SSPI_KMOD_STATS_H

#include <sspi_kmod/sspi.h>

#include "context.h"

void sspi_stats_init(struct sspi_direction *dir);
void sspi_stats_account(struct sspi_context *ctx, struct sspi_direction *dir,
			enum sspi_op op, const struct sspi_message *msg,
			int err);
void sspi_stats_account_sync(struct sspi_context *ctx, struct sspi_direction *dir,
			     enum sspi_op op, const struct sspi_message *msg,
			     int err);

#endif /* _SSPI_KMOD_STATS_H */
