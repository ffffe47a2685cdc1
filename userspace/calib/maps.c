// SPDX-License-Identifier: GPL-2.0
/*
 * Map operations: lookup, update and delete on array, per-CPU array, hash,
 * per-CPU hash, LRU hash and LRU per-CPU hash maps at several key and value
 * sizes, lookup_percpu on the per-CPU ones, and the per-element cost of
 * bpf_for_each_map_elem. sched_cls programs, timed by the kernel.
 *
 * Every map has MAP_N entries, all present (filled from userspace). Each
 * program makes K calls with K different keys, which change every round;
 * in odd rounds the keys are beyond the filled range: lookups miss,
 * updates of a full hash fail and of an LRU map evict. So the samples hold
 * both paths and the worst case is the slower one.
 *
 *   lookup: K x (key; lookup)            vs K x (key; r0 = 0)
 *   update: K x (key; update)            vs K x (key; r0 = 0)
 *   delete: K x (key; update; delete)    vs K x (key; update)
 * (the verifier turns the helpers into the map's own operations, and
 * inlines array lookups: what is measured is what runs.) One "r0 = 0" is
 * added back to lookup and update.
 *
 * for_each, per element: bpf_for_each_map_elem with an empty callback over
 * a map with MAP_N elements against the same over a map with 1 (hash maps
 * of equal size, so the buckets walked are the same), less the callback's
 * invocation (CALLBACK) and its "r0 = 0; exit".
 *
 * The entries of the map helpers themselves (used when the analyzer does
 * not know the map) are the envelope over every map type measured.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "calib.h"
#include "names.h"
#include "stats.h"

#define MAP_N		256	/* entries (a power of two) */
#define WALK_N		4096	/* hash buckets for the walk item */
#define M_K		16	/* operations per program */
#define M_R		16	/* runs per batch */
#define KEY_OFF		(-128)	/* key on the stack: [-128, -64) */
#define VAL_OFF		(-384)	/* value on the stack: [-384, -128) */
#define MISS_OFF	56	/* parameter word 7: 0 or MAP_N (calibrate.c) */

static const enum bpf_map_type m_types[] = {
	BPF_MAP_TYPE_ARRAY, BPF_MAP_TYPE_PERCPU_ARRAY,
	BPF_MAP_TYPE_HASH, BPF_MAP_TYPE_PERCPU_HASH,
	BPF_MAP_TYPE_LRU_HASH, BPF_MAP_TYPE_LRU_PERCPU_HASH,
	BPF_MAP_TYPE_QUEUE, BPF_MAP_TYPE_STACK,
};

#define N_MTYPES (sizeof(m_types) / sizeof(m_types[0]))

static bool is_array(enum bpf_map_type t)
{
	return t == BPF_MAP_TYPE_ARRAY || t == BPF_MAP_TYPE_PERCPU_ARRAY;
}

/* queue and stack: no keys, push/pop/peek */
static bool is_queue(enum bpf_map_type t)
{
	return t == BPF_MAP_TYPE_QUEUE || t == BPF_MAP_TYPE_STACK;
}

static bool is_percpu(enum bpf_map_type t)
{
	return t == BPF_MAP_TYPE_PERCPU_ARRAY || t == BPF_MAP_TYPE_PERCPU_HASH ||
	       t == BPF_MAP_TYPE_LRU_PERCPU_HASH;
}

enum m_kind {
	MK_LOOKUP, MK_UPDATE, MK_DELETE, MK_LOOKUP_PERCPU, MK_FOR_EACH,
	MK_WALK,	/* for_each over empty hash buckets */
	MK_PUSH, MK_POP, MK_PEEK, MK_NR,
};

static const __u8 mk_op[] = {
	[MK_LOOKUP] = BPFRT_MAP_OP_LOOKUP,
	[MK_UPDATE] = BPFRT_MAP_OP_UPDATE,
	[MK_DELETE] = BPFRT_MAP_OP_DELETE,
	[MK_LOOKUP_PERCPU] = BPFRT_MAP_OP_LOOKUP_PERCPU,
	[MK_FOR_EACH] = BPFRT_MAP_OP_FOR_EACH,
	[MK_WALK] = BPFRT_MAP_OP_FOR_EACH,
	[MK_PUSH] = BPFRT_MAP_OP_PUSH,
	[MK_POP] = BPFRT_MAP_OP_POP,
	[MK_PEEK] = BPFRT_MAP_OP_PEEK,
};

/* The operations measured on a map type. */
static bool m_has(enum bpf_map_type t, enum m_kind k)
{
	if (is_queue(t))
		return k == MK_PUSH || k == MK_POP || k == MK_PEEK;
	if (k >= MK_PUSH)
		return false;
	if (k == MK_WALK)
		return !is_array(t);
	return k != MK_LOOKUP_PERCPU || is_percpu(t);
}

struct m_item {
	enum bpf_map_type type;
	enum m_kind kind;
	__u32 key, value;
	int map_fd, map2_fd;		/* for_each: full and one-element */
	struct calib_item it;
};

/* A map of @type with @entries of its max_entries filled. */
static int m_create(enum bpf_map_type type, __u32 key, __u32 value,
		    __u32 max, __u32 fill)
{
	int ncpu = libbpf_num_possible_cpus();
	size_t vlen = is_percpu(type) ? ((value + 7) / 8 * 8) * (ncpu > 0 ? ncpu : 1) :
		      value;
	unsigned char *k = calloc(1, key), *v = calloc(1, vlen);
	__u32 i;
	int fd;

	fd = bpf_map_create(type, "bpfrt_mmap", is_queue(type) ? 0 : key, value,
			    max, NULL);
	if (fd < 0 || !k || !v) {
		free(k);
		free(v);
		return fd < 0 ? -errno : -ENOMEM;
	}
	for (i = 0; i < fill; i++) {
		if (is_queue(type)) {
			memset(v, (int)i, vlen);
			if (bpf_map_update_elem(fd, NULL, v, BPF_ANY))
				break;
			continue;
		}
		memcpy(k, &i, sizeof(i));
		memset(v, (int)i, vlen);
		if (bpf_map_update_elem(fd, k, v, BPF_ANY)) {
			int err = -errno;

			close(fd);
			free(k);
			free(v);
			return err;
		}
	}
	free(k);
	free(v);
	return fd;
}

/* key index of copy @i: (R9 + i) % MAP_N + miss offset, stored in the key */
static void emit_key(struct calib_prog *p, unsigned int i)
{
	calib_emit(p, CI_MOV64_REG(BPF_REG_1, BPF_REG_9));
	calib_emit(p, CI_ALU64_IMM(BPF_ADD, BPF_REG_1, i));
	calib_emit(p, CI_ALU64_IMM(BPF_AND, BPF_REG_1, MAP_N - 1));
	calib_emit(p, CI_LDX(BPF_DW, BPF_REG_2, BPF_REG_8, MISS_OFF));
	calib_emit(p, CI_ALU64_IMM(BPF_AND, BPF_REG_2, MAP_N));
	calib_emit(p, CI_ALU64_REG(BPF_ADD, BPF_REG_1, BPF_REG_2));
	calib_emit(p, CI_STX(BPF_W, BPF_REG_10, BPF_REG_1, KEY_OFF));
}

static void emit_update(struct calib_prog *p, int map_fd)
{
	calib_emit_ld_map(p, BPF_REG_1, map_fd);
	calib_emit(p, CI_MOV64_REG(BPF_REG_2, BPF_REG_10));
	calib_emit(p, CI_ALU64_IMM(BPF_ADD, BPF_REG_2, KEY_OFF));
	calib_emit(p, CI_MOV64_REG(BPF_REG_3, BPF_REG_10));
	calib_emit(p, CI_ALU64_IMM(BPF_ADD, BPF_REG_3, VAL_OFF));
	calib_emit(p, CI_MOV64_IMM(BPF_REG_4, BPF_ANY));
	calib_emit(p, CI_CALL(BPF_FUNC_map_update_elem));
}

/* push with BPF_EXIST: a full queue or stack drops its oldest element */
static void emit_push(struct calib_prog *p, int map_fd, bool call)
{
	calib_emit_ld_map(p, BPF_REG_1, map_fd);
	calib_emit(p, CI_MOV64_REG(BPF_REG_2, BPF_REG_10));
	calib_emit(p, CI_ALU64_IMM(BPF_ADD, BPF_REG_2, VAL_OFF));
	calib_emit(p, CI_MOV64_IMM(BPF_REG_3, BPF_EXIST));
	calib_emit(p, call ? CI_CALL(BPF_FUNC_map_push_elem) :
			     CI_MOV64_IMM(BPF_REG_0, 0));
}

static int m_build(struct calib_run *cr, struct m_item *m, bool test,
		   struct calib_prog *p)
{
	enum bpf_prog_type type = BPF_PROG_TYPE_SCHED_CLS;
	unsigned int i;
	size_t ld_func = 0;
	int off;

	calib_prog_init(p);
	calib_frame_begin(p, &cr->env, type);
	calib_emit_operands(p, cr);
	for (off = VAL_OFF; off < -64; off += 8)
		calib_emit(p, CI_ST(BPF_DW, BPF_REG_10, off, 0));
	calib_emit(p, CI_MOV64_IMM(BPF_REG_0, 0));
	if (m->kind == MK_FOR_EACH || m->kind == MK_WALK) {
		calib_emit_ld_map(p, BPF_REG_1, test ? m->map_fd : m->map2_fd);
		ld_func = calib_pc(p);
		calib_emit_ld_func(p, BPF_REG_2, 0);
		calib_emit(p, CI_MOV64_IMM(BPF_REG_3, 0));
		calib_emit(p, CI_MOV64_IMM(BPF_REG_4, 0));
		calib_emit(p, CI_CALL(BPF_FUNC_for_each_map_elem));
	}
	for (i = 0; m->kind >= MK_PUSH && i < M_K; i++) {
		/* push: K pushes; pop and peek: K (push; pop/peek) */
		emit_push(p, m->map_fd, m->kind != MK_PUSH || test);
		if (m->kind == MK_PUSH || !test)
			continue;
		calib_emit_ld_map(p, BPF_REG_1, m->map_fd);
		calib_emit(p, CI_MOV64_REG(BPF_REG_2, BPF_REG_10));
		calib_emit(p, CI_ALU64_IMM(BPF_ADD, BPF_REG_2, VAL_OFF));
		calib_emit(p, CI_CALL(m->kind == MK_POP ? BPF_FUNC_map_pop_elem :
						      BPF_FUNC_map_peek_elem));
	}
	for (i = 0; m->kind < MK_FOR_EACH && i < M_K; i++) {
		emit_key(p, i);
		if (m->kind == MK_DELETE) {
			emit_update(p, m->map_fd);
			if (!test)
				continue;
		}
		calib_emit_ld_map(p, BPF_REG_1, m->map_fd);
		calib_emit(p, CI_MOV64_REG(BPF_REG_2, BPF_REG_10));
		calib_emit(p, CI_ALU64_IMM(BPF_ADD, BPF_REG_2, KEY_OFF));
		switch (m->kind) {
		case MK_LOOKUP:
			calib_emit(p, test ? CI_CALL(BPF_FUNC_map_lookup_elem) :
					     CI_MOV64_IMM(BPF_REG_0, 0));
			break;
		case MK_LOOKUP_PERCPU:
			calib_emit(p, CI_MOV64_IMM(BPF_REG_3, 0));
			calib_emit(p, test ? CI_CALL(BPF_FUNC_map_lookup_percpu_elem) :
					     CI_MOV64_IMM(BPF_REG_0, 0));
			break;
		case MK_UPDATE:
			calib_emit(p, CI_MOV64_REG(BPF_REG_3, BPF_REG_10));
			calib_emit(p, CI_ALU64_IMM(BPF_ADD, BPF_REG_3, VAL_OFF));
			calib_emit(p, CI_MOV64_IMM(BPF_REG_4, BPF_ANY));
			calib_emit(p, test ? CI_CALL(BPF_FUNC_map_update_elem) :
					     CI_MOV64_IMM(BPF_REG_0, 0));
			break;
		case MK_DELETE:
			calib_emit(p, CI_CALL(BPF_FUNC_map_delete_elem));
			break;
		default:
			break;
		}
	}
	calib_frame_end(p, &cr->env, type);
	if (ld_func) {
		size_t at = calib_pc(p);

		calib_emit(p, CI_MOV64_IMM(BPF_REG_0, 0));
		calib_emit(p, CI_EXIT());
		if (calib_prog_ok(p))
			p->insns[ld_func].imm = (__s32)(at - ld_func - 1);
	}
	return calib_prog_ok(p) ? 0 : -ENOMEM;
}

static int m_load(struct calib_run *cr, struct m_item *m)
{
	struct calib_prog p;
	int ret, fd, pass;

	for (pass = 0; pass < 2; pass++) {
		ret = m_build(cr, m, pass == 0, &p);
		fd = ret ? ret : calib_load(&cr->env, BPF_PROG_TYPE_SCHED_CLS, &p);
		calib_prog_free(&p);
		if (fd < 0)
			return fd;
		if (pass == 0)
			m->it.fd_test = fd;
		else
			m->it.fd_base = fd;
	}
	return 0;
}

/* Adds the cost of walking one empty bucket of a @type map to @c. */
static bool add_walk(struct calib_run *cr, struct m_item *items,
		     unsigned int n, enum bpf_map_type type,
		     struct bpfrt_cost *c)
{
	struct costtab_note in;
	struct bpfrt_cost w;
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (items[i].type != type || items[i].kind != MK_WALK)
			continue;
		if (!calib_item_cost(cr, &items[i].it, &w, &in))
			return false;
		calib_cost_add(c, &w);
		return true;
	}
	return false;
}

static const char *kind_name(enum m_kind k)
{
	return map_op_name(mk_op[k]) ?: "?";
}

int calib_maps(struct calib_run *cr)
{
	static const __u32 keys_full[] = { 4, 16, 64 }, vals_full[] = { 8, 64, 256 };
	static const __u32 keys_quick[] = { 4, 64 }, vals_quick[] = { 8, 256 };
	const __u32 *keys = cr->o->quick ? keys_quick : keys_full;
	const __u32 *vals = cr->o->quick ? vals_quick : vals_full;
	unsigned int nk = cr->o->quick ? 2 : 3, nv = cr->o->quick ? 2 : 3;
	struct m_item *items;
	struct calib_item **ptr;
	unsigned int n = 0, cap = N_MTYPES * 3 * 3 * MK_NR, i, t, ki, vi, k;
	struct bpfrt_cost helper_acc[MK_NR] = { 0 };
	unsigned int helper_n[MK_NR] = { 0 };

	calib_stage(cr, "map operations");
	items = calloc(cap, sizeof(*items));
	ptr = calloc(cap, sizeof(*ptr));
	if (!items || !ptr) {
		free(items);
		free(ptr);
		return -ENOMEM;
	}
	for (t = 0; t < N_MTYPES; t++) {
		enum bpf_map_type type = m_types[t];

		for (ki = 0; ki < nk; ki++) {
			__u32 key = keys[ki];

			if ((is_array(type) || is_queue(type)) && key != 4)
				continue;
			for (vi = 0; vi < nv; vi++) {
				int fd = m_create(type, key, vals[vi], MAP_N,
						  MAP_N);

				for (k = 0; k < MK_NR; k++) {
					struct m_item *m = &items[n];

					if (!m_has(type, k))
						continue;
					/* per element: one size is enough */
					if ((k == MK_FOR_EACH || k == MK_WALK) &&
					    (ki || vi))
						continue;
					m->type = type;
					m->kind = k;
					m->key = key;
					m->value = vals[vi];
					m->map_fd = fd;
					m->map2_fd = -1;
					calib_item_init(&m->it);
					snprintf(m->it.name, sizeof(m->it.name),
						 "%s %s key %u value %u",
						 map_type_name(type) ?: "?",
						 kind_name(k), key, vals[vi]);
					m->it.type = BPF_PROG_TYPE_SCHED_CLS;
					m->it.units = k == MK_FOR_EACH ? MAP_N - 1 :
						      k == MK_WALK ? WALK_N - MAP_N :
						      M_K;
					m->it.repeat = M_R;
					if (fd < 0) {
						m->it.err = fd;
					} else {
						if (k == MK_FOR_EACH)
							m->map2_fd = m_create(type, key,
								vals[vi],
								is_array(type) ? 1 : MAP_N,
								1);
						/* buckets: a big and a small map, 1 element each */
						if (k == MK_WALK) {
							m->map_fd = m_create(type, key,
								vals[vi], WALK_N, 1);
							m->map2_fd = m_create(type, key,
								vals[vi], MAP_N, 1);
						}
						if ((k == MK_FOR_EACH || k == MK_WALK) &&
						    (m->map_fd < 0 || m->map2_fd < 0))
							m->it.err = m->map_fd < 0 ?
								    m->map_fd : m->map2_fd;
						else
							m->it.err = m_load(cr, m);
					}
					ptr[n] = &m->it;
					n++;
				}
			}
		}
	}
	calib_measure(cr, ptr, n);

	/* per map type and operation: the envelope over sizes */
	for (t = 0; t < N_MTYPES; t++) {
		for (k = 0; k < MK_NR; k++) {
			struct bpfrt_cost acc = { 0 }, c;
			unsigned int nacc = 0, samples = 0, dirty = 0;
			char why[COSTTAB_NOTE] = "";
			struct costtab_note *note;
			enum bpf_map_type type = m_types[t];
			__u8 op = mk_op[k];

			if (k == MK_WALK)
				continue;	/* folded into MK_FOR_EACH */
			for (i = 0; i < n; i++) {
				struct costtab_note in;

				if (items[i].type != type || items[i].kind != k)
					continue;
				if (!calib_item_cost(cr, &items[i].it, &c, &in)) {
					snprintf(why, sizeof(why), "%.150s",
						 in.reason);
					continue;
				}
				if (k == MK_LOOKUP || k == MK_UPDATE ||
				    k == MK_LOOKUP_PERCPU || k == MK_PUSH)
					calib_cost_add(&c, &cr->tab->cm.insn[BPFRT_IC_ALU64]);
				if (k == MK_FOR_EACH) {
					calib_cost_sub(&c, &cr->tab->cm.insn[BPFRT_IC_CALLBACK]);
					calib_cost_sub(&c, &cr->tab->cm.insn[BPFRT_IC_ALU64]);
					calib_cost_sub(&c, &cr->tab->cm.insn[BPFRT_IC_EXIT]);
					/*
					 * hash: the analyzer charges FOR_EACH per
					 * bucket walked (constprop.c: an_walk_bound),
					 * so each costs an empty bucket plus an
					 * element's share
					 */
					if (!is_array(type) &&
					    !add_walk(cr, items, n, type, &c)) {
						snprintf(why, sizeof(why),
							 "the empty-bucket walk could not be measured");
						continue;
					}
				}
				calib_cost_envelope(&acc, &nacc, &c);
				samples += in.samples;
				dirty += in.discarded;
			}
			if (!m_has(type, k))
				continue;
			note = &cr->tab->map_op[type][op];
			memset(note, 0, sizeof(*note));
			note->present = true;
			snprintf(note->types, sizeof(note->types), "sched_cls");
			if (!nacc) {
				snprintf(note->reason, sizeof(note->reason), "%s",
					 why[0] ? why : "not measured");
				continue;
			}
			costtab_set_map_op(cr->tab, type, op, &acc, true);
			note->samples = samples;
			note->discarded = dirty;
			if (k == MK_FOR_EACH && is_array(type))
				snprintf(note->reason, sizeof(note->reason),
					 "per element: %u elements against 1, less the callback", MAP_N);
			else if (k == MK_FOR_EACH)
				snprintf(note->reason, sizeof(note->reason),
					 "per bucket: an empty bucket (%u against %u buckets) plus an element (%u against 1, less the callback)",
					 WALK_N, MAP_N, MAP_N);
			else
				snprintf(note->reason, sizeof(note->reason),
					 "%u keys per program (hits, and misses/evictions in odd rounds), keys %u-%u B, values %u-%u B",
					 M_K, is_array(type) ? 4 : keys[0],
					 is_array(type) ? 4 : keys[nk - 1],
					 vals[0], vals[nv - 1]);
			if (k != MK_FOR_EACH && k != MK_LOOKUP_PERCPU)
				calib_cost_envelope(&helper_acc[k], &helper_n[k], &acc);
		}
	}

	/* the map helpers, for a map the analyzer cannot name */
	for (k = 0; k < MK_NR; k++) {
		static const __u32 ids[MK_NR] = {
			[MK_LOOKUP] = BPF_FUNC_map_lookup_elem,
			[MK_UPDATE] = BPF_FUNC_map_update_elem,
			[MK_DELETE] = BPF_FUNC_map_delete_elem,
			[MK_PUSH] = BPF_FUNC_map_push_elem,
			[MK_POP] = BPF_FUNC_map_pop_elem,
			[MK_PEEK] = BPF_FUNC_map_peek_elem,
		};
		struct costtab_note *note = &cr->tab->helper[ids[k]];

		if (!ids[k] || !helper_n[k])
			continue;
		costtab_set_helper(cr->tab, ids[k], &helper_acc[k], true);
		note->present = true;
		snprintf(note->types, sizeof(note->types), "sched_cls");
		snprintf(note->reason, sizeof(note->reason),
			 "envelope of the %s measurements of every map type",
			 kind_name(k));
	}

	for (i = 0; i < n; i++) {
		bool first = true;
		unsigned int j;

		/* maps are shared by the items of one size: close once */
		for (j = 0; j < i; j++)
			if (items[j].map_fd == items[i].map_fd)
				first = false;
		if (first && items[i].map_fd >= 0)
			close(items[i].map_fd);
		if (items[i].map2_fd >= 0)
			close(items[i].map2_fd);
		calib_item_release(&items[i].it);
	}
	free(items);
	free(ptr);
	return 0;
}
