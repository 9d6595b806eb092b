// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for sspi_kmod/handle.c: context handles are a keyed
 * permutation of a counter, so they never repeat and do not reveal the
 * counter, and the module undoes the permutation to find the counter
 * (the context table's index) again.
 */

#include <kunit/test.h>
#include <linux/bitops.h>
#include <linux/random.h>
#include <linux/siphash.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include "../sspi_kmod/handle.h"

/* The inverse of the four Feistel rounds, written independently here. */
static u64 sspi_test_unpermute(const siphash_key_t *key, u64 y)
{
	u32 l = upper_32_bits(y), r = lower_32_bits(y), t;
	int i;

	for (i = 3; i >= 0; i--) {
		t = r ^ (u32)siphash_2u32(l, i, key);
		r = l;
		l = t;
	}
	return (u64)l << 32 | r;
}

static int sspi_test_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* Every output has exactly one input: the permutation can be undone. */
static void sspi_handle_invertible_test(struct kunit *test)
{
	siphash_key_t key = { { 0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL } };
	u64 x;
	int i;

	for (i = 0; i < 4096; i++) {
		x = i < 2048 ? i : get_random_u64();
		KUNIT_EXPECT_EQ(test, sspi_test_unpermute(&key, sspi_handle_permute(&key, x)), x);
	}
	KUNIT_EXPECT_EQ(test, sspi_test_unpermute(&key, sspi_handle_permute(&key, U64_MAX)),
			U64_MAX);
}

/* The key decides the mapping. */
static void sspi_handle_keyed_test(struct kunit *test)
{
	siphash_key_t k1 = { { 1, 2 } }, k2 = { { 1, 3 } };
	int i, same = 0;

	for (i = 1; i <= 256; i++)
		same += sspi_handle_permute(&k1, i) == sspi_handle_permute(&k2, i);
	KUNIT_EXPECT_EQ(test, same, 0);
}

/*
 * The module's inverse agrees with the one written here, and both undo
 * the permutation over the whole range, the halves' edges included.
 */
static void sspi_handle_unpermute_test(struct kunit *test)
{
	siphash_key_t key;
	u64 x, y;
	int i;

	get_random_bytes(&key, sizeof(key));
	for (i = 0; i < 4096; i++) {
		switch (i & 3) {
		case 0:
			x = i;
			break;
		case 1:
			x = U64_MAX - i;
			break;
		case 2:
			x = (u64)i << 32 | U32_MAX;
			break;
		default:
			x = get_random_u64();
		}
		y = sspi_handle_permute(&key, x);
		KUNIT_EXPECT_EQ(test, sspi_handle_unpermute(&key, y), x);
		KUNIT_EXPECT_EQ(test, sspi_handle_unpermute(&key, x), sspi_test_unpermute(&key, x));
		KUNIT_EXPECT_EQ(test, sspi_handle_permute(&key, sspi_handle_unpermute(&key, x)), x);
	}
}

/*
 * Each handle gives back the counter it was made from, the counters
 * grow, and no counter is zero: the context table's index.
 */
static void sspi_handle_counter_test(struct kunit *test)
{
	u64 h, c, prev = 0;
	int i;

	for (i = 0; i < 1024; i++) {
		h = sspi_handle_next(&c);
		KUNIT_EXPECT_NE(test, c, 0);
		KUNIT_EXPECT_GT(test, c, prev);
		KUNIT_EXPECT_EQ(test, sspi_handle_counter(h), c);
		/* a handle off by one bit belongs to another counter */
		KUNIT_EXPECT_NE(test, sspi_handle_counter(h ^ BIT_ULL(i & 63)), c);
		prev = c;
	}
}

/* Handles are non-zero, distinct, and consecutive ones share no pattern. */
static void sspi_handle_next_test(struct kunit *test)
{
	const int n = 8192;
	u64 *h = kunit_kmalloc_array(test, n, sizeof(*h), GFP_KERNEL);
	unsigned long bits = 0;
	u64 c;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, h);
	for (i = 0; i < n; i++) {
		h[i] = sspi_handle_next(&c);
		KUNIT_EXPECT_NE(test, h[i], 0);
		if (i)
			bits += hweight64(h[i] ^ h[i - 1]);
	}
	/*
	 * A random-looking sequence differs in 32 bits on average from one
	 * handle to the next (standard deviation of the mean: 0.06); a counter
	 * in the clear would differ in about 2.
	 */
	KUNIT_EXPECT_GT(test, bits / (n - 1), 28);
	KUNIT_EXPECT_LT(test, bits / (n - 1), 36);

	sort(h, n, sizeof(*h), sspi_test_cmp_u64, NULL);
	for (i = 1; i < n; i++)
		KUNIT_EXPECT_NE(test, h[i], h[i - 1]);
}

static struct kunit_case sspi_handle_test_cases[] = {
	KUNIT_CASE(sspi_handle_invertible_test),
	KUNIT_CASE(sspi_handle_keyed_test),
	KUNIT_CASE(sspi_handle_unpermute_test),
	KUNIT_CASE(sspi_handle_counter_test),
	KUNIT_CASE(sspi_handle_next_test),
	{}
};

static struct kunit_suite sspi_handle_test_suite = {
	.name = "sspi_handle",
	.test_cases = sspi_handle_test_cases,
};

kunit_test_suite(sspi_handle_test_suite);
