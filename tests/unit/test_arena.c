// SPDX-License-Identifier: GPL-2.0
/*
 * The analyzer's arena (module/analyzer/arena.c): zeroed, aligned memory;
 * small requests share chunks, large ones get blocks of their own; a mark
 * gives back exactly what came after it; nothing is left at the end; an
 * overflowing or failing request is NULL. Built with BPFRT_AN_TEST_ALLOC:
 * every chunk and block the arena takes from the system is counted here.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "arena.h"
#include "../an_test_alloc.h"

static int reset(void **state)
{
	(void)state;
	an_test_reset();
	an_test_dirty = 1;	/* a missing memset in the arena shows */
	return 0;
}

static void assert_zero(const void *p, size_t n)
{
	const unsigned char *c = p;
	size_t i;

	for (i = 0; i < n; i++)
		assert_int_equal(c[i], 0);
}

/* Small requests: zeroed, 16-byte aligned, disjoint, one chunk for all. */
static void test_small_share_a_chunk(void **state)
{
	struct an_arena a = { 0 };
	unsigned char *p[20];
	size_t i;

	(void)state;
	for (i = 0; i < 20; i++) {
		p[i] = an_alloc(&a, 3 + i, 7);
		assert_non_null(p[i]);
		assert_int_equal((uintptr_t)p[i] % 16, 0);
		assert_zero(p[i], (3 + i) * 7);
		memset(p[i], (int)i + 1, (3 + i) * 7);
	}
	/* none overlaps another: each still holds its own bytes */
	for (i = 0; i < 20; i++) {
		size_t j;

		for (j = 0; j < (3 + i) * 7; j++)
			assert_int_equal(p[i][j], i + 1);
	}
	assert_int_equal(an_test_calls, 1);	/* 1.9 KiB fit the first chunk */
	an_arena_destroy(&a);
	assert_int_equal(an_test_blocks, 0);
}

/* A request above 16 KiB gets a block of its own, sized to it. */
static void test_large_own_block(void **state)
{
	struct an_arena a = { 0 };
	unsigned char *small, *big;

	(void)state;
	small = an_alloc(&a, 1, 100);
	big = an_alloc(&a, 100000, 4);
	assert_non_null(small);
	assert_non_null(big);
	assert_zero(big, 400000);
	assert_int_equal(an_test_blocks, 2);
	assert_true(an_test_bytes >= 400000 && an_test_bytes < 400000 + 8192 + 64);
	an_arena_destroy(&a);
	assert_int_equal(an_test_blocks, 0);
	assert_int_equal(an_test_bytes, 0);
}

/*
 * Release to a mark frees the chunks and blocks taken after it and reuses
 * the mark's chunk from where it was: the next allocation gets the same
 * address, zeroed again.
 */
static void test_release_to_mark(void **state)
{
	struct an_arena a = { 0 };
	struct an_mark m;
	unsigned char *keep, *p, *q;
	size_t blocks;
	int i;

	(void)state;
	keep = an_alloc(&a, 1, 64);
	assert_non_null(keep);
	memset(keep, 0x11, 64);
	blocks = an_test_blocks;
	m = an_arena_mark(&a);
	p = an_alloc(&a, 1, 256);
	assert_non_null(p);
	memset(p, 0x22, 256);
	for (i = 0; i < 10; i++)	/* more chunks, and a block */
		assert_non_null(an_alloc(&a, 1, 6000));
	assert_non_null(an_alloc(&a, 1, 50000));
	assert_true(an_test_blocks > blocks + 1);
	an_arena_release(&a, m);
	assert_int_equal(an_test_blocks, blocks);
	q = an_alloc(&a, 1, 256);
	assert_ptr_equal(q, p);
	assert_zero(q, 256);
	for (i = 0; i < 64; i++)
		assert_int_equal(keep[i], 0x11);
	an_arena_destroy(&a);
	assert_int_equal(an_test_blocks, 0);
}

/*
 * A request larger than the next chunk but not large enough for a block
 * of its own gets a chunk it fits in (ASan sees any byte beyond it).
 */
static void test_between_chunk_and_block(void **state)
{
	struct an_arena a = { 0 };
	unsigned char *p, *q;

	(void)state;
	p = an_alloc(&a, 1, 12000);	/* the first chunk is 8 KiB */
	assert_non_null(p);
	assert_zero(p, 12000);
	memset(p, 1, 12000);
	q = an_alloc(&a, 1, 16384);	/* the largest that is not a block */
	assert_non_null(q);
	assert_zero(q, 16384);
	memset(q, 2, 16384);
	assert_int_equal(p[11999], 1);
	assert_true(an_test_bytes >= 12000 + 16384);
	an_arena_destroy(&a);
	assert_int_equal(an_test_blocks, 0);
}

/* A mark taken on an empty arena gives everything back. */
static void test_release_to_empty(void **state)
{
	struct an_arena a = { 0 };
	struct an_mark m = an_arena_mark(&a);

	(void)state;
	assert_non_null(an_alloc(&a, 1, 10));
	assert_non_null(an_alloc(&a, 1, 40000));
	an_arena_release(&a, m);
	assert_int_equal(an_test_blocks, 0);
	assert_non_null(an_alloc(&a, 1, 10));
	an_arena_destroy(&a);
	assert_int_equal(an_test_blocks, 0);
}

/* n * size overflowing, or the system saying no: NULL, nothing leaked. */
static void test_failures(void **state)
{
	struct an_arena a = { 0 };

	(void)state;
	assert_null(an_alloc(&a, SIZE_MAX / 2, 4));
	assert_null(an_alloc(&a, SIZE_MAX, 1));
	assert_int_equal(an_test_calls, 0);
	an_test_fail_at = 1;
	assert_null(an_alloc(&a, 1, 10));	/* first chunk */
	an_test_fail_at = 3;
	assert_non_null(an_alloc(&a, 1, 10));	/* call 2: a chunk */
	assert_null(an_alloc(&a, 1, 30000));	/* call 3: a block */
	assert_non_null(an_alloc(&a, 1, 10));	/* the chunk still serves */
	an_arena_destroy(&a);
	assert_int_equal(an_test_blocks, 0);
}

/* Zero-sized requests are valid, distinct pointers. */
static void test_zero_size(void **state)
{
	struct an_arena a = { 0 };
	void *p, *q;

	(void)state;
	p = an_alloc(&a, 0, 8);
	q = an_alloc(&a, 5, 0);
	assert_non_null(p);
	assert_non_null(q);
	assert_ptr_not_equal(p, q);
	an_arena_destroy(&a);
	assert_int_equal(an_test_blocks, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_small_share_a_chunk, reset),
		cmocka_unit_test_setup(test_large_own_block, reset),
		cmocka_unit_test_setup(test_release_to_mark, reset),
		cmocka_unit_test_setup(test_between_chunk_and_block, reset),
		cmocka_unit_test_setup(test_release_to_empty, reset),
		cmocka_unit_test_setup(test_failures, reset),
		cmocka_unit_test_setup(test_zero_size, reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
