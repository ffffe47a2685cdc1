// SPDX-License-Identifier: GPL-2.0
/*
 * Arena allocation for one estimate (see arena.h).
 *
 * Chunks grow from AN_CHUNK_FIRST to AN_CHUNK_MAX bytes; a request above
 * AN_BIG_MIN gets a block of its own, so a large program's per-instruction
 * arrays are allocated exactly as before and no chunk is left mostly
 * unused. Allocations are 16-byte aligned, like malloc's.
 */
#include "analyzer.h"
#include "arena.h"

#define AN_ALIGN	16u
#define AN_CHUNK_FIRST	8192u
#define AN_CHUNK_MAX	65536u
#define AN_BIG_MIN	16384u

struct an_chunk {
	struct an_chunk *next;
	size_t size;		/* bytes of data */
	size_t used;
	/* data follows at AN_HDR */
};

static size_t an_round(size_t x)
{
	return (x + AN_ALIGN - 1) & ~(size_t)(AN_ALIGN - 1);
}

#define AN_HDR		an_round(sizeof(struct an_chunk))

static u8 *an_chunk_data(struct an_chunk *c)
{
	return (u8 *)c + AN_HDR;
}

/*
 * One first-sized chunk kept for the next estimate (AN_KEEP_SPARE): taken
 * and given back with atomic exchanges, so estimates running at once each
 * get a chunk of their own.
 */
static struct an_chunk *an_spare;

static struct an_chunk *an_chunk_new(size_t size, bool zero)
{
	struct an_chunk *c = NULL;

	if (AN_KEEP_SPARE && AN_HDR + size == AN_CHUNK_FIRST)
		c = an_xchg(&an_spare, NULL);
	if (!c)
		c = zero ? an_calloc(1, AN_HDR + size) : an_malloc(AN_HDR + size);
	if (c) {
		c->size = size;
		c->used = 0;
		c->next = NULL;
	}
	return c;
}

static void *an_carve(struct an_arena *a, size_t n, size_t size, bool zero)
{
	struct an_chunk *c = a->chunk;
	size_t bytes;
	void *p;

	if (size && n > (SIZE_MAX - AN_ALIGN) / size)
		return NULL;
	bytes = n * size;
	bytes = an_round(bytes ? bytes : 1);
	if (bytes > AN_BIG_MIN) {
		/*
		 * Zeroed by the allocator: kernels with init_on_alloc (Debian's)
		 * zero every allocation, and a memset here would do it again.
		 */
		c = an_chunk_new(bytes, zero);
		if (!c)
			return NULL;
		c->used = bytes;
		c->next = a->big;
		a->big = c;
		return an_chunk_data(c);
	}
	if (!c || c->size - c->used < bytes) {
		size_t csize = a->next_size ? a->next_size : AN_CHUNK_FIRST;

		/* a request above the next chunk's size (up to AN_BIG_MIN) */
		if (csize < AN_HDR + bytes)
			csize = AN_HDR + bytes;
		c = an_chunk_new(csize - AN_HDR, false);
		if (!c)
			return NULL;
		c->next = a->chunk;
		a->chunk = c;
		a->next_size = csize < AN_CHUNK_MAX ? csize * 2 : AN_CHUNK_MAX;
	}
	p = an_chunk_data(c) + c->used;
	c->used += bytes;
	if (zero)
		memset(p, 0, bytes);
	return p;
}

void *an_alloc(struct an_arena *a, size_t n, size_t size)
{
	return an_carve(a, n, size, true);
}

void *an_alloc_raw(struct an_arena *a, size_t n, size_t size)
{
	return an_carve(a, n, size, false);
}

struct an_mark an_arena_mark(const struct an_arena *a)
{
	struct an_mark m = {
		.chunk = a->chunk,
		.used = a->chunk ? a->chunk->used : 0,
		.big = a->big,
	};

	return m;
}

static void an_chunks_free(struct an_chunk **list, struct an_chunk *upto)
{
	while (*list && *list != upto) {
		struct an_chunk *c = *list;

		*list = c->next;
		if (AN_KEEP_SPARE && AN_HDR + c->size == AN_CHUNK_FIRST &&
		    !an_cmpxchg(&an_spare, NULL, c))
			continue;
		an_free(c);
	}
}

void an_arena_release(struct an_arena *a, struct an_mark m)
{
	an_chunks_free(&a->big, m.big);
	an_chunks_free(&a->chunk, m.chunk);
	if (a->chunk)
		a->chunk->used = m.used;
}

void an_arena_destroy(struct an_arena *a)
{
	an_chunks_free(&a->big, NULL);
	an_chunks_free(&a->chunk, NULL);
	a->next_size = 0;
}

void bpfrt_an_arena_exit(void)
{
	an_free(an_xchg(&an_spare, NULL));
}
