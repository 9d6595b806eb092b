// SPDX-License-Identifier: GPL-2.0
/*
 * sspi_kmod: what a context's message operations came to -- messages and
 * DATA bytes each way, failures by status -- counted under a lock of the
 * direction and read without it; failures are trace events too.  The
 * synchronous calls count under the direction's mutex, which they hold
 * anyway; what sspi_submit() ends, maybe from a crypto driver's
 * completion, counts in a second set under the direction's spinlock.  A
 * reader adds the two up.
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
	memset(&dir->sync_stats, 0, sizeof(dir->sync_stats));
	u64_stats_init(&dir->sync_stats.syncp);
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

static void sspi_stats_count(struct sspi_context *ctx, struct sspi_dir_counters *c,
			     enum sspi_op op, const struct sspi_message *msg,
			     int err)
{
	u32 status;

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
	lockdep_assert_held(&dir->alock);
	sspi_stats_count(ctx, &dir->stats, op, msg, err);
}

/**
 * sspi_stats_account_sync() - count a synchronous operation's outcome
 * @ctx: the context
 * @dir: the direction @op belongs to, whose @lock the caller holds
 * @op: the operation
 * @msg: as for sspi_stats_account()
 * @err: the operation's return value
 *
 * As sspi_stats_account(), without the spinlock: the direction's mutex
 * already serialises the synchronous calls, the only writers of this set.
 */
void sspi_stats_account_sync(struct sspi_context *ctx, struct sspi_direction *dir,
			     enum sspi_op op, const struct sspi_message *msg,
			     int err)
{
	lockdep_assert_held(&dir->lock);
	sspi_stats_count(ctx, &dir->sync_stats, op, msg, err);
}

static void sspi_stats_read_one(const struct sspi_dir_counters *c,
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

/* A direction's counts: its two sets, each read whole, added up. */
static void sspi_stats_read(const struct sspi_direction *dir,
			    struct sspi_dir_stats *st)
{
	struct sspi_dir_stats sync;
	unsigned int i;

	sspi_stats_read_one(&dir->stats, st);
	sspi_stats_read_one(&dir->sync_stats, &sync);
	st->messages += sync.messages;
	st->bytes += sync.bytes;
	for (i = 0; i < SSPI_NR_FAILURES; i++)
		st->failed[i].count += sync.failed[i].count;
}

/**
 * sspi_query_stats() - what a context's message operations came to
 * @ctx: the context (a reference held by the caller); it may be deleted
 *	or expired: its counts stay readable
 * @st: filled in, one direction at a time; each direction's counts are
 *	read whole (each of its two sets of counters, added up), without
 *	waiting for an operation in progress
 *
 * Context: any context.
 */
void sspi_query_stats(struct sspi_context *ctx, struct sspi_context_stats *st)
{
	sspi_stats_read(&ctx->tx, &st->tx);
	sspi_stats_read(&ctx->rx, &st->rx);
}
EXPORT_SYMBOL_GPL(sspi_query_stats);
