// SPDX-License-Identifier: GPL-2.0
/*
 * sspi_kmod: what a context's message operations came to -- messages and
 * DATA bytes each way, failures by status -- counted under the
 * direction's lock and read without it; failures are trace events too.
 */

#include <linux/export.h>
#include <linux/lockdep.h>
#include <linux/string.h>
#include <linux/u64_stats_sync.h>

#include "stats.h"
#include "status.h"
#include "sspi_trace.h"

/**
 * sspi_stats_init() - zero counters for a new context's direction
 * @dir: the direction
 */
void sspi_stats_init(struct sspi_direction *dir)
{
	memset(&dir->stats, 0, sizeof(dir->stats));
	u64_stats_init(&dir->stats.syncp);
}

/* The DATA bytes of a message, as its buffers describe them now */
static u64 sspi_stats_data_bytes(const struct sspi_message *msg)
{
	unsigned int i;
	u64 n = 0;

	for (i = 0; i < msg->count; i++)
		if ((msg->buffers[i].type & ~SSPI_SECBUFFER_ATTRMASK) ==
		    SSPI_SECBUFFER_DATA)
			n += msg->buffers[i].len;
	return n;
}

/**
 * sspi_stats_account() - count a message operation's outcome
 * @ctx: the context
 * @dir: the direction @op belongs to, whose @alock the caller holds
 * @op: the operation
 * @msg: its buffers, as the operation left them; only read when @err is
 *	not a failure (the array was found well formed then)
 * @err: the operation's return value
 *
 * A failure is also the trace event sspi_msg_refused.
 */
void sspi_stats_account(struct sspi_context *ctx, struct sspi_direction *dir,
			enum sspi_op op, const struct sspi_message *msg,
			int err)
{
	struct sspi_dir_counters *c = &dir->stats;
	u32 status;

	lockdep_assert_held(&dir->alock);
	if (err >= 0) {
		u64 bytes = sspi_stats_data_bytes(msg);

		u64_stats_update_begin(&c->syncp);
		u64_stats_inc(&c->messages);
		u64_stats_add(&c->bytes, bytes);
		u64_stats_update_end(&c->syncp);
		return;
	}
	status = sspi_status_from_errno(err);
	u64_stats_update_begin(&c->syncp);
	u64_stats_inc(&c->failed[sspi_status_failure_index(status)]);
	u64_stats_update_end(&c->syncp);
	trace_sspi_msg_refused(ctx, op, status);
}

static void sspi_stats_read(const struct sspi_dir_counters *c,
			    struct sspi_dir_stats *st)
{
	unsigned int start, i;

	do {
		start = u64_stats_fetch_begin(&c->syncp);
		st->messages = u64_stats_read(&c->messages);
		st->bytes = u64_stats_read(&c->bytes);
		for (i = 0; i < SSPI_NR_FAILURES; i++) {
			st->failed[i].status = sspi_status_failure(i);
			st->failed[i].count = u64_stats_read(&c->failed[i]);
		}
	} while (u64_stats_fetch_retry(&c->syncp, start));
}

/**
 * sspi_query_stats() - what a context's message operations came to
 * @ctx: the context (a reference held by the caller); it may be deleted
 *	or expired: its counts stay readable
 * @st: filled in, one direction at a time; each direction's counts are
 *	read whole, without waiting for an operation in progress
 *
 * Context: any context.
 */
void sspi_query_stats(struct sspi_context *ctx, struct sspi_context_stats *st)
{
	sspi_stats_read(&ctx->tx.stats, &st->tx);
	sspi_stats_read(&ctx->rx.stats, &st->rx);
}
EXPORT_SYMBOL_GPL(sspi_query_stats);
