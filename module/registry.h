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

/* One function's JIT image. */
struct bpfrt_image {
	void *start;		/* bpf_func of the function */
	u32 len;		/* jited_len */
	u32 insn_cnt;
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
	u64 verified_insns;
	u64 verify_ns;
	u64 jited_len;
	struct bpfrt_an_result est;
	u32 costs_gen;			/* bpfrt_costs_gen est was made with */
	u32 func_cnt;
	struct bpfrt_image *images;	/* func_cnt entries; NULL if not JITed */
	u32 site_cnt;
	struct bpfrt_site *sites;
	u32 map_cnt;
	struct bpfrt_map_desc *maps;
};

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
