/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The only file of the analyzer that differs between the kernel module and
 * userspace: integer types, memory allocation, memset/memcpy and a 64-bit
 * division. Everything else includes only <linux/types.h>, <linux/bpf.h> and
 * this file.
 */
#ifndef BPFRT_ANALYZER_PLATFORM_H
#define BPFRT_ANALYZER_PLATFORM_H

#ifdef __KERNEL__

#include <linux/types.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <linux/math64.h>
#include <linux/bitops.h>
#include <linux/errno.h>
#include <linux/limits.h>
#include <linux/sched.h>

/* kvcalloc falls back to vmalloc for the large per-instruction arrays. */
static inline void *an_calloc(size_t n, size_t size)
{
	return kvcalloc(n, size, GFP_KERNEL | __GFP_NOWARN);
}

/* Uninitialised memory for the arena's chunks (arena.c zeroes what it hands out). */
static inline void *an_malloc(size_t size)
{
	return kvmalloc(size, GFP_KERNEL | __GFP_NOWARN);
}

static inline void an_free(void *p)
{
	kvfree(p);
}

static inline u64 an_div_u64(u64 a, u32 b)
{
	return div_u64(a, b);
}

/* Index of the lowest set bit; x != 0. */
static inline u32 an_ffs(u32 x)
{
	return __ffs(x);
}

/*
 * The module keeps one first chunk of the arena between estimates
 * (arena.c): allocating it anew was a third of what the analysis of a
 * small program cost.
 */
#define AN_KEEP_SPARE		1
#define an_xchg(p, v)		xchg(p, v)
#define an_cmpxchg(p, o, n)	cmpxchg(p, o, n)

static inline u64 an_div64(u64 a, u64 b)
{
	return div64_u64(a, b);
}

/*
 * A long analysis (up to a million instructions, most of a second) lets
 * other tasks run: the module analyses where it may sleep (its
 * allocations are GFP_KERNEL), on a kernel without forced preemption.
 */
static inline void an_yield(void)
{
	cond_resched();
}

#else /* userspace */

#include <linux/types.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s8 s8;
typedef __s16 s16;
typedef __s32 s32;
typedef __s64 s64;

#ifndef U64_MAX
#define U64_MAX ((u64)~0ULL)
#endif
#ifndef S64_MAX
#define S64_MAX ((s64)(U64_MAX >> 1))
#endif
#ifndef S64_MIN
#define S64_MIN ((s64)(-S64_MAX - 1))
#endif
#ifndef U32_MAX
#define U32_MAX ((u32)~0U)
#endif
#ifndef S32_MAX
#define S32_MAX ((s32)(U32_MAX >> 1))
#endif
#ifndef S32_MIN
#define S32_MIN ((s32)(-S32_MAX - 1))
#endif

#ifndef E2BIG
#include <errno.h>
#endif

/*
 * The benchmark and the fuzzer count the analyzer's memory by supplying
 * these two (test builds only).
 */
#ifdef BPFRT_AN_TEST_ALLOC
void *bpfrt_an_test_calloc(size_t n, size_t size);
void *bpfrt_an_test_malloc(size_t size);
void bpfrt_an_test_free(void *p);
#define calloc(n, s)	bpfrt_an_test_calloc(n, s)
#define malloc(s)	bpfrt_an_test_malloc(s)
#define free(p)		bpfrt_an_test_free(p)
#endif

static inline void *an_calloc(size_t n, size_t size)
{
	return calloc(n, size);
}

static inline void *an_malloc(size_t size)
{
	return malloc(size);
}

static inline void an_free(void *p)
{
	free(p);
}

static inline u64 an_div_u64(u64 a, u32 b)
{
	return a / b;
}

static inline u32 an_ffs(u32 x)
{
	return (u32)__builtin_ctz(x);
}

/* Userspace frees everything: the tests count every byte. */
#define AN_KEEP_SPARE		0
#define an_xchg(p, v)		__atomic_exchange_n(p, v, __ATOMIC_ACQ_REL)
#define an_cmpxchg(p, o, n)	\
	({ __typeof__(*(p)) __o = (o); \
	   __atomic_compare_exchange_n(p, &__o, n, false, __ATOMIC_ACQ_REL, \
				       __ATOMIC_ACQUIRE); __o; })

static inline u64 an_div64(u64 a, u64 b)
{
	return a / b;
}

static inline void an_yield(void)
{
}

#endif /* __KERNEL__ */

#endif /* BPFRT_ANALYZER_PLATFORM_H */
