// SPDX-License-Identifier: GPL-2.0
/*
 * The registry of recorded programs: a hash table keyed by the program's
 * aux pointer. Writers (the load and free hooks, adoption, unload) and the
 * ioctls hold bpfrt_registry_lock; the atomic-context hooks look records up
 * under RCU, which is why records are freed after a grace period.
 */
#include <linux/hash.h>
#include <linux/hashtable.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/u64_stats_sync.h>
#include <linux/filter.h>

#include "bpfrt.h"
#include "defer.h"
#include "registry.h"

#define BPFRT_REGISTRY_BITS 10

/* Serialises registry writers and the ioctl readers. */
DEFINE_MUTEX(bpfrt_registry_lock);
static DEFINE_HASHTABLE(bpfrt_registry, BPFRT_REGISTRY_BITS);
static u32 bpfrt_registry_nr;
static u64 bpfrt_registry_mem;		/* sum of the records' mem_bytes */

static u32 bpfrt_aux_hash(const struct bpf_prog_aux *aux)
{
	return hash_ptr((void *)aux, BPFRT_REGISTRY_BITS);
}

void bpfrt_rec_free(struct bpfrt_prog_rec *rec)
{
	/* Its arrays are part of the same allocation (record.c). */
	kvfree(rec);
}

static void bpfrt_rec_free_rcu(struct rcu_head *head)
{
	bpfrt_rec_free(container_of(head, struct bpfrt_prog_rec, rcu));
}

struct bpfrt_prog_rec *bpfrt_registry_find(const struct bpf_prog_aux *aux)
{
	struct bpfrt_prog_rec *rec;

	hash_for_each_possible_rcu(bpfrt_registry, rec, node,
				   bpfrt_aux_hash(aux),
				   lockdep_is_held(&bpfrt_registry_lock))
		if (rec->aux == aux)
			return rec;
	return NULL;
}

/* --- image index ------------------------------------------------------- */

static struct bpfrt_index __rcu *bpfrt_index;
static int bpfrt_index_users;		/* under bpfrt_registry_lock */

static int bpfrt_index_cmp(const void *a, const void *b)
{
	const struct bpfrt_index_entry *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

static void bpfrt_index_free_rcu(struct rcu_head *head)
{
	kvfree(container_of(head, struct bpfrt_index, rcu));
}

/*
 * Rebuilds the index from the registry. If memory runs out, an empty index
 * is published instead: the watchdog is blind for a while, but never sees
 * a record that is gone.
 */
static void bpfrt_index_rebuild(void)
{
	struct bpfrt_index *idx = NULL, *old;
	struct bpfrt_prog_rec *rec;
	u32 n = 0, t = 0, f;
	int bkt;

	lockdep_assert_held(&bpfrt_registry_lock);
	if (bpfrt_index_users) {
		hash_for_each(bpfrt_registry, bkt, rec, node) {
			if (rec->images)
				n += rec->func_cnt;
			t += rec->has_tail_calls;
		}
		idx = kvmalloc(struct_size(idx, e, n) + t * sizeof(*idx->tail),
			       GFP_KERNEL);
	}
	if (idx) {
		idx->cnt = 0;
		idx->tail_cnt = 0;
		idx->tail = (struct bpfrt_prog_rec **)&idx->e[n];
		hash_for_each(bpfrt_registry, bkt, rec, node) {
			if (rec->has_tail_calls && idx->tail_cnt < t)
				idx->tail[idx->tail_cnt++] = rec;
			if (!rec->images)
				continue;
			for (f = 0; f < rec->func_cnt; f++) {
				struct bpfrt_index_entry *e = &idx->e[idx->cnt++];

				e->start = (unsigned long)rec->images[f].start;
				e->end = e->start + rec->images[f].len;
				e->rec = rec;
				e->func = f;
			}
		}
		sort(idx->e, idx->cnt, sizeof(idx->e[0]), bpfrt_index_cmp, NULL);
	}
	old = rcu_replace_pointer(bpfrt_index, idx,
				  lockdep_is_held(&bpfrt_registry_lock));
	if (old)
		call_rcu(&old->rcu, bpfrt_index_free_rcu);
}

const struct bpfrt_index_entry *bpfrt_index_find(unsigned long addr)
{
	const struct bpfrt_index *idx = rcu_dereference(bpfrt_index);
	u32 lo = 0, hi;

	if (!idx)
		return NULL;
	hi = idx->cnt;
	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;
		const struct bpfrt_index_entry *e = &idx->e[mid];

		if (addr < e->start)
			hi = mid;
		else if (addr >= e->end)
			lo = mid + 1;
		else
			return e;
	}
	return NULL;
}

u64 bpfrt_index_tail_runs(enum bpf_prog_type type)
{
	const struct bpfrt_index *idx = rcu_dereference(bpfrt_index);
	u64 n = 0;
	u32 i;

	for (i = 0; idx && i < idx->tail_cnt; i++) {
		const struct bpf_prog *prog = idx->tail[i]->prog;

		/*
		 * A tail call only enters a program of the caller's type
		 * (kernel/bpf/core.c: bpf_prog_array_compatible): others'
		 * runs say nothing about this instance.
		 */
		if (prog->type != type)
			continue;
		/* Alive: capture.c frees such programs a grace period
		 * after their record left the index.
		 */
		if (prog->stats)
			n += u64_stats_read(&this_cpu_ptr(prog->stats)->cnt);
	}
	return n;
}

int bpfrt_index_get(void)
{
	mutex_lock(&bpfrt_registry_lock);
	bpfrt_index_users++;
	bpfrt_index_rebuild();
	mutex_unlock(&bpfrt_registry_lock);
	return 0;
}

void bpfrt_index_put(void)
{
	mutex_lock(&bpfrt_registry_lock);
	bpfrt_index_users--;
	bpfrt_index_rebuild();
	mutex_unlock(&bpfrt_registry_lock);
}

/* --- records ------------------------------------------------------------ */

int bpfrt_registry_add(struct bpfrt_prog_rec *rec)
{
	lockdep_assert_held(&bpfrt_registry_lock);
	if (bpfrt_registry_find(rec->aux))
		return -EEXIST;
	hash_add_rcu(bpfrt_registry, &rec->node, bpfrt_aux_hash(rec->aux));
	bpfrt_registry_nr++;
	WRITE_ONCE(bpfrt_registry_mem, bpfrt_registry_mem + rec->mem_bytes);
	if (bpfrt_index_users)
		bpfrt_index_rebuild();
	return 0;
}

bool bpfrt_registry_remove(const struct bpf_prog_aux *aux)
{
	struct bpfrt_prog_rec *rec;

	lockdep_assert_held(&bpfrt_registry_lock);
	rec = bpfrt_registry_find(aux);
	if (!rec)
		return false;
	hash_del_rcu(&rec->node);
	bpfrt_defer_forget(rec);
	bpfrt_registry_nr--;
	WRITE_ONCE(bpfrt_registry_mem, bpfrt_registry_mem - rec->mem_bytes);
	if (rcu_access_pointer(bpfrt_index))
		bpfrt_index_rebuild();
	call_rcu(&rec->rcu, bpfrt_rec_free_rcu);
	return true;
}

u32 bpfrt_registry_count(void)
{
	return READ_ONCE(bpfrt_registry_nr);
}

u64 bpfrt_registry_bytes(void)
{
	return READ_ONCE(bpfrt_registry_mem);
}

int bpfrt_registry_walk_all(int (*fn)(struct bpfrt_prog_rec *rec, void *arg),
			    void *arg)
{
	struct bpfrt_prog_rec *rec;
	int bkt, ret;

	lockdep_assert_held(&bpfrt_registry_lock);
	hash_for_each(bpfrt_registry, bkt, rec, node) {
		ret = fn(rec, arg);
		if (ret)
			return ret;
	}
	return 0;
}

struct bpfrt_prog_rec *bpfrt_registry_find_id(u32 id)
{
	struct bpfrt_prog_rec *rec;
	int bkt;

	lockdep_assert_held(&bpfrt_registry_lock);
	if (!id)
		return NULL;
	hash_for_each(bpfrt_registry, bkt, rec, node)
		if (bpfrt_rec_id(rec) == id)
			return rec;
	return NULL;
}

struct bpfrt_id_rec {
	u32 id;
	struct bpfrt_prog_rec *rec;
};

static int bpfrt_id_cmp(const void *a, const void *b)
{
	const struct bpfrt_id_rec *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

int bpfrt_registry_walk_ids(u32 start_id,
			    int (*fn)(struct bpfrt_prog_rec *rec, void *arg),
			    void *arg)
{
	struct bpfrt_id_rec *ids;
	struct bpfrt_prog_rec *rec;
	u32 n = 0, i;
	int bkt, ret = 0;

	lockdep_assert_held(&bpfrt_registry_lock);
	if (!bpfrt_registry_nr)
		return 0;
	ids = kvmalloc_array(bpfrt_registry_nr, sizeof(*ids), GFP_KERNEL);
	if (!ids)
		return -ENOMEM;
	hash_for_each(bpfrt_registry, bkt, rec, node) {
		u32 id = bpfrt_rec_id(rec);

		if (id && id >= start_id && n < bpfrt_registry_nr)
			ids[n++] = (struct bpfrt_id_rec){ .id = id, .rec = rec };
	}
	sort(ids, n, sizeof(*ids), bpfrt_id_cmp, NULL);
	for (i = 0; i < n && !ret; i++)
		ret = fn(ids[i].rec, arg);
	kvfree(ids);
	return ret;
}

int bpfrt_registry_init(void)
{
	hash_init(bpfrt_registry);
	return 0;
}

/* Called after every hook is gone: nothing adds or looks up any more. */
void bpfrt_registry_exit(void)
{
	struct bpfrt_prog_rec *rec;
	struct hlist_node *tmp;
	int bkt;

	mutex_lock(&bpfrt_registry_lock);
	hash_for_each_safe(bpfrt_registry, bkt, tmp, rec, node) {
		hash_del_rcu(&rec->node);
		bpfrt_defer_forget(rec);
		call_rcu(&rec->rcu, bpfrt_rec_free_rcu);
	}
	bpfrt_registry_nr = 0;
	bpfrt_index_users = 0;
	bpfrt_index_rebuild();
	mutex_unlock(&bpfrt_registry_lock);
	/* The callbacks above run module code: wait for them. */
	rcu_barrier();
}
