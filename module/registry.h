/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The registry: the module's record of every BPF program the kernel has
 * loaded, from the end of its load until the kernel frees it.
 */
#ifndef _BPFRT_REGISTRY_H
#define _BPFRT_REGISTRY_H

#include <linux/bpf.h>
#include <linux/bpfrt.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/types.h>

#include "analyzer/analyzer.h"

/* One call instruction of a JIT image (see struct bpfrt_call_site). */
struct bpfrt_site {
	u32 func;
	u32 insn;		/* BPF insn index, U32_MAX if decoded */
	u32 jit_off;		/* of the 5-byte call within the func image */
	u16 kind;		/* BPFRT_SITE_* */
	u16 op;
	u32 id;
	unsigned long target;	/* called address */
};

/* bpfrt_image.flags */
/* loaded as a callback, never called bpf-to-bpf */
#define BPFRT_IMG_CALLBACK_ONLY	(1U << 0)

/* One function's JIT image. */
struct bpfrt_image {
	void *start;		/* bpf_func of the function */
	u32 len;		/* jited_len */
	u32 insn_cnt;
	u32 flags;		/* BPFRT_IMG_* */
};

/* Termination state of a record (terminate.c), under bpfrt_term_lock. */
struct bpfrt_patch;
struct bpfrt_term {
	u32 npatches;
	struct bpfrt_patch *patches;	/* non-NULL while armed */
	/* stubs act on every CPU (program mode or a manual termination) */
	bool all_cpus;
	/* armed at load: its estimate exceeds the watchdog's limit */
	bool pinned;
	/* the program is being freed: never armed again */
	bool dead;
	atomic_t suspects;		/* CPUs running a suspicious instance */
	atomic64_t requested;		/* terminations requested */
	atomic64_t completed;		/* instances that returned after it */
	atomic64_t last_latency_ns;	/* trigger to return, last one */
	atomic64_t stub_hits;		/* calls answered by a stub */
};

/* bpfrt_prog_rec.est_state (defer.c), under bpfrt_registry_lock */
enum {
	BPFRT_EST_DONE,		/* estimated (at load, or since) */
	BPFRT_EST_QUEUED,	/* waiting for the deferred estimate */
	BPFRT_EST_RUNNING,	/* being estimated, the lock dropped */
};

struct bpfrt_prog_rec {
	struct hlist_node node;		/* registry hash, keyed by aux */
	struct rcu_head rcu;
	/*
	 * Key: the aux is shared by a program and its constant-blinded
	 * clone (kernel/bpf/core.c: bpf_prog_clone_create) and outlives
	 * both, so neither blinding nor reallocation confuses it.
	 */
	const struct bpf_prog_aux *aux;
	const struct bpf_prog *prog;	/* valid while the record exists */
	/*
	 * 0 until the kernel assigns one; kept after the kernel clears
	 * aux->id on unload, so the freed event still names the program.
	 */
	u32 id;
	struct bpfrt_prog_summary sum;	/* what PROG_LIST reports (id aside) */
	/* the policy limit it was over at load (policy.c), for its event */
	u64 policy_limit_ns;
	u64 verified_insns;
	u64 verify_ns;
	u64 jited_len;
	struct bpfrt_an_result est;
	u32 costs_gen;			/* bpfrt_costs_gen est was made with */
	/* A deferred estimate (defer.c), under bpfrt_registry_lock. */
	u32 est_state;			/* BPFRT_EST_* */
	u64 est_seq;			/* queue order */
	struct list_head est_node;	/* on the queue unless DONE */
	u32 func_cnt;
	struct bpfrt_image *images;	/* func_cnt entries; NULL if not JITed */
	u32 site_cnt;
	struct bpfrt_site *sites;
	u32 map_cnt;
	struct bpfrt_map_desc *maps;
	bool has_tail_calls;		/* BPF_TAIL_CALL in some function */
	/* bytes this record allocated (itself, images, sites, maps) */
	u32 mem_bytes;
	struct bpfrt_term term;
};

/*
 * The image index: every function image of every record, sorted by
 * address, for the watchdog's lookups in interrupt context. Published with
 * RCU; maintained only while someone needs it (bpfrt_index_users).
 */
struct bpfrt_index_entry {
	unsigned long start, end;
	struct bpfrt_prog_rec *rec;
	u32 func;
};

struct bpfrt_index {
	struct rcu_head rcu;
	u32 cnt;
	u32 tail_cnt;			/* records that make tail calls */
	struct bpfrt_prog_rec **tail;	/* points into the same allocation */
	struct bpfrt_index_entry e[];
};

/* Under rcu_read_lock() (or in interrupt context): the image holding
 * @addr, or NULL.
 */
const struct bpfrt_index_entry *bpfrt_index_find(unsigned long addr);
/*
 * In interrupt context: completed runs, on this CPU, of every recorded
 * program of @type that makes tail calls (those that can have tail-called
 * an instance of that type).
 */
u64 bpfrt_index_tail_runs(enum bpf_prog_type type);
/* Start and stop maintaining the index (watchdog enable/disable). */
int bpfrt_index_get(void);
void bpfrt_index_put(void);

/* Protects the registry's writers and the ioctl readers. */
extern struct mutex bpfrt_registry_lock;

int bpfrt_registry_init(void);
void bpfrt_registry_exit(void);

/* Adds @rec unless its program is already recorded (then -EEXIST). */
int bpfrt_registry_add(struct bpfrt_prog_rec *rec);
/* Removes and frees the record of @aux, if any; returns true if found. */
bool bpfrt_registry_remove(const struct bpf_prog_aux *aux);
/* Lookup under bpfrt_registry_lock or rcu_read_lock(). */
struct bpfrt_prog_rec *bpfrt_registry_find(const struct bpf_prog_aux *aux);
/* Lookup by program id, under bpfrt_registry_lock. */
struct bpfrt_prog_rec *bpfrt_registry_find_id(u32 id);
/*
 * Calls @fn for the records with an id >= @start_id in increasing id order,
 * under bpfrt_registry_lock, until @fn returns non-zero; returns that.
 */
int bpfrt_registry_walk_ids(u32 start_id,
			    int (*fn)(struct bpfrt_prog_rec *rec, void *arg),
			    void *arg);
u32 bpfrt_registry_count(void);
/* Bytes all records hold (their mem_bytes), for /sys/kernel/bpfrt/stats. */
u64 bpfrt_registry_bytes(void);
/*
 * Calls @fn for every record, ids or not, in no order, under
 * bpfrt_registry_lock, until @fn returns non-zero; returns that.
 */
int bpfrt_registry_walk_all(int (*fn)(struct bpfrt_prog_rec *rec, void *arg),
			    void *arg);

void bpfrt_rec_free(struct bpfrt_prog_rec *rec);

/* The record's id: learnt after the load hooks (capture.c). */
static inline u32 bpfrt_rec_id(const struct bpfrt_prog_rec *rec)
{
	return READ_ONCE(rec->id);
}

#endif /* _BPFRT_REGISTRY_H */
