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
 */

#include <linux/atomic.h>
#include <linux/random.h>
#include <linux/siphash.h>

#include "handle.h"

#define SSPI_HANDLE_ROUNDS 4

static siphash_key_t sspi_handle_key;
static atomic64_t sspi_handle_counter = ATOMIC64_INIT(0);

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
		t = l ^ (u32)siphash_2u32(r, i, key);
		l = r;
		r = t;
	}
	return (u64)l << 32 | r;
}

/**
 * sspi_handle_next() - a new context handle
 *
 * Return: a non-zero handle never returned before since the module loaded.
 */
u64 sspi_handle_next(void)
{
	u64 h;

	do {
		h = sspi_handle_permute(&sspi_handle_key,
					atomic64_inc_return(&sspi_handle_counter));
	} while (!h);
	return h;
}

void sspi_handle_init(void)
{
	get_random_bytes(&sspi_handle_key, sizeof(sspi_handle_key));
}
