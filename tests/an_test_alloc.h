/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The analyzer's memory, counted. A program built with BPFRT_AN_TEST_ALLOC
 * gets the analyzer's calloc and free here (module/analyzer/platform.h);
 * the tests, the fuzzer and the bench read the counters. Include it in one
 * file of the program. (calloc) and (free) are the C library's even where
 * platform.h has renamed them.
 */
#ifndef BPFRT_AN_TEST_ALLOC_H
#define BPFRT_AN_TEST_ALLOC_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static size_t an_test_bytes;	/* allocated now */
static size_t an_test_peak;	/* the most at once since reset */
static size_t an_test_blocks;	/* allocations not freed */
static size_t an_test_calls;	/* allocations asked for */
static size_t an_test_fail_at;	/* the call that fails, 0: none */
static int an_test_dirty;	/* malloc'd memory 0xa5, not zero */

static inline void an_test_reset(void)
{
	an_test_bytes = an_test_peak = an_test_blocks = 0;
	an_test_calls = an_test_fail_at = 0;
}

static void *an_test_alloc(size_t n, size_t size, int zero)
{
	size_t *p;

	if (++an_test_calls == an_test_fail_at)
		return NULL;
	if (size && n > (SIZE_MAX - 16) / size)
		return NULL;
	p = (calloc)(1, n * size + 16);
	if (!p)
		return NULL;
	if (!zero && an_test_dirty)
		memset(p + 2, 0xa5, n * size);
	p[0] = n * size;
	an_test_bytes += p[0];
	an_test_blocks++;
	if (an_test_bytes > an_test_peak)
		an_test_peak = an_test_bytes;
	return p + 2;
}

void *bpfrt_an_test_calloc(size_t n, size_t size)
{
	return an_test_alloc(n, size, 1);
}

void *bpfrt_an_test_malloc(size_t size)
{
	return an_test_alloc(1, size, 0);
}

void bpfrt_an_test_free(void *q)
{
	size_t *p = q;

	if (!p)
		return;
	p -= 2;
	an_test_bytes -= p[0];
	an_test_blocks--;
	(free)(p);
}

#endif /* BPFRT_AN_TEST_ALLOC_H */
