// SPDX-License-Identifier: GPL-2.0
/*
 * sspi_kmod: context handles.
 *
 * A handle is a 64-bit counter passed through a keyed permutation: a
 * four-round Feistel network whose round function is SipHash under a key
 * drawn when the module loads.  The counter never repeats, and a
 * permutation maps distinct inputs to distinct outputs, so no handle is
 * ever handed out twice while the module is loaded.  Without the key,
 * handles do not reveal the counter or each other: four Feistel rounds of
 * a pseudo-random function are a pseudo-random permutation (Luby-Rackoff),
 * with 32-bit halves up to about 2^16 observed handles.  That is a second
 * line of defence only: every use of a handle is checked against the
 * context's namespace and owner.  Zero is never a handle.
 *
 * A Feistel network runs backwards with the same round function, so the
 * module turns a handle back into its counter (sspi_handle_counter()):
 * the context table is indexed by the counter, dense and in the order of
 * imports, rather than hashed by the handle.
 */

#include <linux/atomic.h>
#include <linux/random.h>
#include <linux/siphash.h>

#include "handle.h"

#define SSPI_HANDLE_ROUNDS 4

static siphash_key_t sspi_handle_key;
static atomic64_t sspi_handle_count = ATOMIC64_INIT(0);

static u32 sspi_handle_round(const siphash_key_t *key, u32 half, int i)
{
	return (u32)siphash_2u32(half, i, key);
}

/**
 * sspi_handle_permute() - the keyed 64-bit permutation behind handles
 * @key: SipHash key
 * @x: the value to permute
 *
 * Return: the permuted value; distinct @x give distinct results.
 */
u64 sspi_handle_permute(const siphash_key_t *key, u64 x)
{
	u32 l = upper_32_bits(x), r = lower_32_bits(x), t;
	int i;

	for (i = 0; i < SSPI_HANDLE_ROUNDS; i++) {
		t = l ^ sspi_handle_round(key, r, i);
		l = r;
		r = t;
	}
	return (u64)l << 32 | r;
}

/**
 * sspi_handle_unpermute() - the inverse of sspi_handle_permute()
 * @key: SipHash key
 * @y: a permuted value
 *
 * The rounds in reverse order: each round maps (l, r) to
 * (r, l ^ F(r)), so (l', r') comes from (r' ^ F(l'), l').
 *
 * Return: the x for which sspi_handle_permute(@key, x) is @y.
 */
u64 sspi_handle_unpermute(const siphash_key_t *key, u64 y)
{
	u32 l = upper_32_bits(y), r = lower_32_bits(y), t;
	int i;

	for (i = SSPI_HANDLE_ROUNDS - 1; i >= 0; i--) {
		t = r ^ sspi_handle_round(key, l, i);
		r = l;
		l = t;
	}
	return (u64)l << 32 | r;
}

/**
 * sspi_handle_next() - a new context handle
 * @counter: set to the counter the handle was made from
 *
 * Return: a non-zero handle never returned before since the module loaded;
 * sspi_handle_counter() of it is @counter, which is never zero.
 */
u64 sspi_handle_next(u64 *counter)
{
	u64 h, c;

	do {
		c = atomic64_inc_return(&sspi_handle_count);
		h = sspi_handle_permute(&sspi_handle_key, c);
	} while (!h);
	*counter = c;
	return h;
}

/**
 * sspi_handle_counter() - the counter a handle was made from
 * @handle: a handle, or any 64-bit value
 *
 * Every value is some counter's handle: the caller still checks that a
 * context was listed under the counter, and has @handle.
 *
 * Return: the counter sspi_handle_next() made @handle from.
 */
u64 sspi_handle_counter(u64 handle)
{
	return sspi_handle_unpermute(&sspi_handle_key, handle);
}

void sspi_handle_init(void)
{
	get_random_bytes(&sspi_handle_key, sizeof(sspi_handle_key));
}
