// SPDX-License-Identifier: GPL-2.0
/*
 * sspi_kmod: receive-side sequence windows.
 *
 * A window remembers the sequence number it expects next and which of the
 * 64 numbers below it were accepted.  Checking a number changes nothing;
 * a package commits it only after the message's integrity check passed,
 * so a forged message can never move the window.  Which verdicts are
 * errors is the context's choice (replay and/or sequence detection).
 * Tokens that carry 32-bit numbers (RFC 1964's framing, as RFC 4757
 * rc4-hmac uses it) are placed in the 64-bit space first.
 */

#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/limits.h>

#include "seqwin.h"

/**
 * sspi_seqwin_init() - start a window
 * @w: the window
 * @next: the first sequence number expected
 */
void sspi_seqwin_init(struct sspi_seqwin *w, u64 next)
{
	w->next = next;
	w->seen = 0;
}

/**
 * sspi_seqwin_check() - classify a received sequence number
 * @w: the window
 * @seq: the number the message carries
 *
 * Return: the verdict; the window is not changed.  The last number of the
 * 64-bit space is never accepted, so a window cannot wrap.
 */
enum sspi_seq_verdict sspi_seqwin_check(const struct sspi_seqwin *w, u64 seq)
{
	u64 back;

	if (seq == U64_MAX)
		return SSPI_SEQ_EXHAUSTED;
	if (seq == w->next)
		return SSPI_SEQ_IN_ORDER;
	if (seq > w->next)
		return SSPI_SEQ_GAP;
	back = w->next - 1 - seq;
	if (back >= SSPI_SEQWIN_SIZE)
		return SSPI_SEQ_TOO_OLD;
	if (w->seen & BIT_ULL(back))
		return SSPI_SEQ_REPLAY;
	return SSPI_SEQ_LATE;
}

/**
 * sspi_seqwin_check32() - classify a received 32-bit sequence number
 * @w: the window
 * @seq: the number the message carries; 32-bit numbers wrap
 * @seq64: where the 64-bit number @seq stands for goes: the one nearest
 *	to the number expected next (up to 2^31 below it, 2^31 - 1 above)
 *
 * Return: the verdict, as sspi_seqwin_check() gives it for *@seq64; the
 * window is not changed.  A number that would fall below zero is
 * %SSPI_SEQ_TOO_OLD with *@seq64 left as it was: a verdict the caller
 * never commits.
 */
enum sspi_seq_verdict sspi_seqwin_check32(const struct sspi_seqwin *w, u32 seq,
					  u64 *seq64)
{
	s64 delta = (s32)(seq - (u32)w->next);

	if (delta < 0 && (u64)-delta > w->next)
		return SSPI_SEQ_TOO_OLD;
	*seq64 = w->next + delta;
	return sspi_seqwin_check(w, *seq64);
}

/**
 * sspi_seqwin_commit() - record a number whose message was accepted
 * @w: the window
 * @seq: the number; sspi_seqwin_check() said %SSPI_SEQ_IN_ORDER,
 *	%SSPI_SEQ_GAP or %SSPI_SEQ_LATE for it
 */
void sspi_seqwin_commit(struct sspi_seqwin *w, u64 seq)
{
	u64 shift;

	if (seq >= w->next) {
		shift = seq - w->next + 1;
		w->seen = shift >= SSPI_SEQWIN_SIZE ? 0 : w->seen << shift;
		w->seen |= BIT_ULL(0);
		w->next = seq + 1;
	} else if (w->next - 1 - seq < SSPI_SEQWIN_SIZE) {
		w->seen |= BIT_ULL(w->next - 1 - seq);
	}
}

/**
 * sspi_seq_verdict_errno() - apply a context's detection flags to a verdict
 * @verdict: from sspi_seqwin_check()
 * @flags: %SSPI_SEQ_DETECT_REPLAY and/or %SSPI_SEQ_DETECT_SEQUENCE
 *
 * Replay detection refuses replays and numbers too old to be told apart
 * from replays; sequence detection also refuses late messages, those
 * below the number expected next.  A gap -- a number beyond the one
 * expected, messages in between lost or refused -- is accepted either
 * way, as MIT's GSS_S_GAP_TOKEN is: the window moves past it and the
 * stream goes on, while the messages skipped are late (or too old) if
 * they come after all.
 *
 * Return: 0 to accept, -EILSEQ (SEC_E_OUT_OF_SEQUENCE) to refuse, and
 * -EKEYEXPIRED (SEC_E_CONTEXT_EXPIRED) once the sequence space is used up.
 */
int sspi_seq_verdict_errno(enum sspi_seq_verdict verdict, unsigned int flags)
{
	switch (verdict) {
	case SSPI_SEQ_IN_ORDER:
		return 0;
	case SSPI_SEQ_REPLAY:
	case SSPI_SEQ_TOO_OLD:
		return flags & (SSPI_SEQ_DETECT_REPLAY | SSPI_SEQ_DETECT_SEQUENCE) ?
		       -EILSEQ : 0;
	case SSPI_SEQ_GAP:
		return 0;
	case SSPI_SEQ_LATE:
		return flags & SSPI_SEQ_DETECT_SEQUENCE ? -EILSEQ : 0;
	case SSPI_SEQ_EXHAUSTED:
		return -EKEYEXPIRED;
	}
	return -EILSEQ;
}
