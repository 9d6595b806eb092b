/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sspi_kmod: security contexts.
 */
#ifndef _SSPI_KMOD_CONTEXT_H
#define _SSPI_KMOD_CONTEXT_H

#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/types.h>
#include <linux/u64_stats_sync.h>
#include <linux/uidgid.h>
#include <linux/spinlock.h>
#include <linux/timekeeping.h>
#include <linux/wait.h>
#include <sspi_kmod/sspi.h>
#include <net/net_namespace.h>

#include "seqwin.h"

struct sspi_package;

/**
 * struct sspi_dir_counters - what the operations of one direction came to
 * @syncp: lets a reader see the counters whole where u64 stores tear
 * @messages: operations that did not fail
 * @bytes: their DATA bytes
 * @failed: failed operations, by sspi_status_failure_index()
 *
 * Written under a lock of the direction (one set under @alock, one under
 * @lock), read without it (sspi_query_stats()).
 */
struct sspi_dir_counters {
	struct u64_stats_sync syncp;
	u64_stats_t messages;
	u64_stats_t bytes;
	u64_stats_t failed[SSPI_NR_FAILURES];
};

/**
 * struct sspi_direction - the state of one direction of a context
 * @lock: serialises the operations of this direction; a sender and a
 *	receiver never wait for each other
 * @seq: send: the sequence number of the next message
 * @win: receive: the sequence window
 * @stats: the outcomes of this direction's operations ended by sspi_submit()
 *	or refused there
 * @sync_stats: those of the synchronous calls, counted under @lock
 * @alock: guards @inflight, @delivering, @refused and @stats (taken in any
 *	context)
 * @inflight: sspi_submit()'s requests not yet ended, in submission order
 * @delivering: a caller is ending requests from the head of @inflight
 * @refused: receive: decrypts run ahead (sspi_submit()) whose crypto
 *	refused the message, each giving back the sequence number it took
 * @idle: woken when @inflight empties
 */
struct sspi_direction {
	struct mutex lock;	/* serialises this direction's operations */
	u64 seq;
	struct sspi_seqwin win;
	struct sspi_dir_counters stats;
	struct sspi_dir_counters sync_stats;
	spinlock_t alock;	/* any context: requests end in softirqs */
	struct list_head inflight;
	bool delivering;
	u64 refused;
	wait_queue_head_t idle;
};

/**
 * struct sspi_context - a security context
 * @index: the context table's index: the counter @handle was made from
 * @rcu: frees the context after a grace period
 * @ref: the table holds one reference while the context is listed
 * @handle: the caller's name for it; never zero, never reused
 * @pkg: the package whose operations run, and which owns @priv
 * @outer: the package imported by name: a delegating package (Negotiate)
 *	that selected @pkg, or @pkg itself
 * @net: the network namespace it is visible in
 * @owner: effective uid of the importer
 * @expiry: wall-clock second it expires at; 0 for never
 * @dead: deleted or reaped: listed no more, refused by every operation
 * @tx: send direction
 * @rx: receive direction
 * @priv: the package's state, @pkg->priv_size bytes
 */
struct sspi_context {
	unsigned long index;
	struct rcu_head rcu;
	refcount_t ref;
	u64 handle;
	const struct sspi_package *pkg;
	const struct sspi_package *outer;
	possible_net_t net;
	kuid_t owner;
	time64_t expiry;
	bool dead;
	struct sspi_direction tx;
	struct sspi_direction rx;
	u8 priv[] __aligned(sizeof(u64));
};

/**
 * struct sspi_requester - who asks for a context
 * @uid: effective uid of the caller
 * @admin: CAP_NET_ADMIN in the user namespace owning the context's netns
 */
struct sspi_requester {
	kuid_t uid;
	bool admin;
};

/**
 * struct sspi_ctx_pos - where a listing of contexts stands
 * @index: the table's index of the last context listed; 0 for none yet
 *	(no context has index 0)
 */
struct sspi_ctx_pos {
	unsigned long index;
};

extern unsigned int sspi_max_contexts;
extern unsigned int sspi_max_contexts_per_user;
extern unsigned int sspi_max_contexts_total;

int sspi_context_import(const char *pkg_name, struct net *net, kuid_t owner,
			time64_t expiry, const void *data, size_t len,
			u64 *handle);
struct sspi_context *sspi_context_get(struct net *net, u64 handle,
				      const struct sspi_requester *req);
struct sspi_context *sspi_context_get_next(struct net *net,
					   struct sspi_ctx_pos *pos,
					   const struct sspi_requester *req);
int sspi_context_delete(struct net *net, u64 handle,
			const struct sspi_requester *req);
void sspi_context_flush(struct net *net, const struct sspi_package *pkg);
void sspi_context_exit(void);

/**
 * sspi_context_expired() - whether a context may no longer be used
 * @ctx: the context
 *
 * Inline: every message operation asks, and most contexts never expire,
 * which then costs no clock read.
 *
 * Return: true once it was deleted (or reaped) or its expiry time has
 * passed.
 */
static inline bool sspi_context_expired(const struct sspi_context *ctx)
{
	return READ_ONCE(ctx->dead) ||
	       (ctx->expiry && ktime_get_real_seconds() >= ctx->expiry);
}

#endif /* _SSPI_KMOD_CONTEXT_H */
