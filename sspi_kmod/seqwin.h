/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sspi_kmod: receive-side sequence windows: replay, reordering and gaps
 * (seqwin.c).
 */
#ifndef _SSPI_KMOD_SEQWIN_H
#define _SSPI_KMOD_SEQWIN_H

#include <linux/bits.h>
#include <linux/types.h>

#define SSPI_SEQWIN_SIZE 64

/**
 * struct sspi_seqwin - receive-side sequence window
 * @next: the sequence number expected next (one past the highest accepted)
 * @seen: bit i is set when @next - 1 - i was accepted
 */
struct sspi_seqwin {
	u64 next;
	u64 seen;
};

/**
 * enum sspi_seq_verdict - where a received sequence number falls
 * @SSPI_SEQ_IN_ORDER: the number expected next
 * @SSPI_SEQ_GAP: beyond it: messages in between are missing
 * @SSPI_SEQ_LATE: below it, inside the window, not seen before
 * @SSPI_SEQ_REPLAY: below it, inside the window, seen before
 * @SSPI_SEQ_TOO_OLD: below the window
 * @SSPI_SEQ_EXHAUSTED: the last number of the 64-bit space, never accepted
 */
enum sspi_seq_verdict {
	SSPI_SEQ_IN_ORDER,
	SSPI_SEQ_GAP,
	SSPI_SEQ_LATE,
	SSPI_SEQ_REPLAY,
	SSPI_SEQ_TOO_OLD,
	SSPI_SEQ_EXHAUSTED,
};

#define SSPI_SEQ_DETECT_REPLAY		BIT(0)
#define SSPI_SEQ_DETECT_SEQUENCE	BIT(1)

void sspi_seqwin_init(struct sspi_seqwin *w, u64 next);
enum sspi_seq_verdict sspi_seqwin_check(const struct sspi_seqwin *w, u64 seq);
enum sspi_seq_verdict sspi_seqwin_check32(const struct sspi_seqwin *w, u32 seq,
					  u64 *seq64);
void sspi_seqwin_commit(struct sspi_seqwin *w, u64 seq);
int sspi_seq_verdict_errno(enum sspi_seq_verdict verdict, unsigned int flags);

#endif /* _SSPI_KMOD_SEQWIN_H */
