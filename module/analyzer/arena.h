/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The analyzer's memory: one arena per estimate. Small arrays are carved
 * from chunks (the first one serves a small program entirely), large ones
 * get a block of their own; everything goes at once, or back to a mark.
 *
 * Why: an estimate needs some twenty-five arrays per function. Allocated
 * and freed one by one they were most of what the module added to the
 * load of a small program (issue 4's bench: kmalloc and kfree around a
 * few hundred instructions each, under icount).
 */
#ifndef BPFRT_AN_ARENA_H
#define BPFRT_AN_ARENA_H

#include "platform.h"

struct an_chunk;

struct an_arena {
	struct an_chunk *chunk;		/* chunks being carved, newest first */
	struct an_chunk *big;		/* blocks of their own, newest first */
	size_t next_size;		/* size of the next chunk */
};

/* A point to go back to: what was allocated after it is released. */
struct an_mark {
	struct an_chunk *chunk;
	size_t used;
	struct an_chunk *big;
};

/* Zeroed memory for n elements of size bytes, or NULL (overflow, ENOMEM). */
void *an_alloc(struct an_arena *a, size_t n, size_t size);
/*
 * The same, not zeroed: for arrays every element of which is written
 * before it is read. Zeroing is not free: in the kernel a memset of the
 * value analysis' state pool (up to 330 KiB per function) was a sizeable
 * part of a medium program's analysis.
 */
void *an_alloc_raw(struct an_arena *a, size_t n, size_t size);
struct an_mark an_arena_mark(const struct an_arena *a);
void an_arena_release(struct an_arena *a, struct an_mark m);
void an_arena_destroy(struct an_arena *a);

#endif /* BPFRT_AN_ARENA_H */
