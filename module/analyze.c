// SPDX-License-Identifier: GPL-2.0
/*
 * From a loaded program to a record: the analyzer's input is built from the
 * final instructions (after every verifier rewrite and the JIT's fixups),
 * calls are resolved by their target address, and the call sites of the JIT
 * images are located through the JIT's own instruction-to-offset map.
 *
 * What the final instructions look like (kernel/bpf/verifier.c):
 *  - helper calls: imm = helper function - __bpf_call_base
 *    (do_misc_fixups), map helpers already turned into the map's own
 *    operation (ops->map_lookup_elem, ...);
 *  - kfunc calls: src_reg BPF_PSEUDO_KFUNC_CALL, imm relative to
 *    __bpf_call_base (fixup_kfunc_call);
 *  - JITed multi-function programs: each function is its own bpf_prog in
 *    aux->func[], bpf-to-bpf calls and callback loads carry the callee's
 *    index in ->off (jit_subprogs);
 *  - interpreted programs: bpf-to-bpf calls are BPF_JMP|BPF_CALL_ARGS with
 *    the relative target in ->off (bpf_patch_call_args).
 */
#include <linux/bpf.h>
#include <linux/filter.h>
#include <linux/kallsyms.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>

#include "analyze.h"
#include "bpfrt.h"
#include "capture.h"
#include "costs.h"
#include "helpers.h"

/* Every ld_imm64 that is not a map or callback and lands here is a
 * kernel pointer (BTF object, per-CPU variable ...), not a constant.
 */
#define BPFRT_KERNEL_HALF 0xffff800000000000ULL

static unsigned long bpfrt_call_target(const struct bpf_insn *insn)
{
	return (unsigned long)__bpf_call_base + (long)insn->imm;
}

/* Which map operation @target is, for one of the program's maps. */
static bool bpfrt_map_op_of(const struct bpf_map *map, unsigned long target,
			    u8 *op)
{
	const struct bpf_map_ops *ops = map->ops;
	static const struct {
		size_t off;
		u8 op;
	} slots[] = {
		{ offsetof(struct bpf_map_ops, map_lookup_elem), BPFRT_MOP_LOOKUP },
		{ offsetof(struct bpf_map_ops, map_update_elem), BPFRT_MOP_UPDATE },
		{ offsetof(struct bpf_map_ops, map_delete_elem), BPFRT_MOP_DELETE },
		{ offsetof(struct bpf_map_ops, map_push_elem), BPFRT_MOP_PUSH },
		{ offsetof(struct bpf_map_ops, map_pop_elem), BPFRT_MOP_POP },
		{ offsetof(struct bpf_map_ops, map_peek_elem), BPFRT_MOP_PEEK },
		{ offsetof(struct bpf_map_ops, map_redirect), BPFRT_MOP_REDIRECT },
		{ offsetof(struct bpf_map_ops, map_for_each_callback), BPFRT_MOP_FOR_EACH },
		{ offsetof(struct bpf_map_ops, map_lookup_percpu_elem), BPFRT_MOP_LOOKUP_PERCPU },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(slots); i++) {
		unsigned long fn = *(const unsigned long *)((const u8 *)ops + slots[i].off);

		if (fn && fn == target) {
			*op = slots[i].op;
			return true;
		}
	}
	return false;
}

struct bpfrt_ctx {
	const struct bpf_prog *prog;
	u32 func_cnt;
	/* per function: aux->func of a JITed multi-function program, else
	 * &prog (an interpreted one is cut up by the splitter instead)
	 */
	const struct bpf_prog *const *fprogs;
	struct bpf_insn *raw;			/* interpreted multi-func copy */
	struct bpfrt_an_func *funcs;
	struct bpfrt_an_annot *annot;		/* all functions, concatenated */
	struct bpfrt_an_map *maps;
	u32 map_cnt;
	void *mem;		/* funcs, annot and maps: one allocation */
};

/*
 * The functions of @c->prog as the JIT left them: a JITed multi-function
 * program has one bpf_prog per function (aux->func), anything else is one.
 */
static void bpfrt_ctx_funcs(struct bpfrt_ctx *c)
{
	const struct bpf_prog_aux *aux = c->prog->aux;

	if (c->prog->jited && aux->func_cnt) {
		c->func_cnt = min_t(u32, aux->func_cnt, BPFRT_AN_MAX_FUNCS);
		c->fprogs = (const struct bpf_prog *const *)aux->func;
	} else {
		c->func_cnt = 1;
		c->fprogs = &c->prog;
	}
}

/*
 * The analyzer's input arrays in one allocation: a load pays for each
 * allocation it makes, and these three live and die together.
 */
static int bpfrt_ctx_alloc(struct bpfrt_ctx *c, u32 nfuncs, u32 ninsns)
{
	size_t funcs = ALIGN(nfuncs * sizeof(*c->funcs), 8);
	size_t annot = ALIGN((size_t)max_t(u32, ninsns, 1) * sizeof(*c->annot), 8);
	size_t maps = c->map_cnt * sizeof(*c->maps);
	u8 *p;

	p = kvzalloc(funcs + annot + maps, GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	c->mem = p;
	c->funcs = (void *)p;
	c->annot = (void *)(p + funcs);
	c->maps = c->map_cnt ? (void *)(p + funcs + annot) : NULL;
	return 0;
}

/*
 * The function the verifier's own inlined hash lookups call: for a lookup in
 * a hash map (plain, LRU, per-CPU, of maps) it emits "call
 * __htab_map_lookup_elem" and a few instructions instead of the map's
 * lookup operation (kernel/bpf/hashtab.c: htab_map_gen_lookup and its
 * variants). A lookup on the map in R1, not an unknown call. Resolved on
 * first use; ~0UL caches "not in this kernel".
 */
static unsigned long bpfrt_htab_lookup_fn(void)
{
	static unsigned long addr;
	unsigned long a = READ_ONCE(addr);

	if (!a) {
		a = bpfrt_lookup_name("__htab_map_lookup_elem") ?: ~0UL;
		WRITE_ONCE(addr, a);
	}
	return a == ~0UL ? 0 : a;
}

/* Resolves one call instruction into an annotation and a site kind. */
static void bpfrt_resolve_call(struct bpfrt_ctx *c, const struct bpf_insn *insn,
			       struct bpfrt_an_annot *a, u16 *site_kind)
{
	const struct bpf_prog_aux *aux = c->prog->aux;
	unsigned long target;
	u32 i;
	int id;
	u8 op;

	if (insn->src_reg == BPF_PSEUDO_CALL) {
		a->kind = BPFRT_AN_K_FUNC;
		a->id = insn->off;
		*site_kind = BPFRT_SITE_FUNC;
		return;
	}
	if (insn->src_reg == BPF_PSEUDO_KFUNC_CALL) {
		a->kind = BPFRT_AN_K_KFUNC;
		*site_kind = BPFRT_SITE_KFUNC;
		return;
	}
	target = bpfrt_call_target(insn);
	for (i = 0; i < aux->used_map_cnt; i++) {
		if (bpfrt_map_op_of(aux->used_maps[i], target, &op)) {
			a->kind = BPFRT_AN_K_MAP_OP;
			a->op = op;
			a->id = i;
			a->map_type = aux->used_maps[i]->map_type;
			*site_kind = BPFRT_SITE_MAP_OP;
			return;
		}
	}
	if (target == bpfrt_htab_lookup_fn()) {
		/* no map index: the analyzer takes the map in R1 */
		a->kind = BPFRT_AN_K_MAP_OP;
		a->op = BPFRT_MOP_LOOKUP;
		a->id = BPFRT_AN_NONE;
		a->map_type = BPF_MAP_TYPE_HASH;
		*site_kind = BPFRT_SITE_MAP_OP;
		return;
	}
	id = bpfrt_helper_id(target);
	if (id > 0) {
		a->kind = BPFRT_AN_K_HELPER;
		a->id = id;
		*site_kind = BPFRT_SITE_HELPER;
		return;
	}
	a->kind = BPFRT_AN_K_UNKNOWN_CALL;
	*site_kind = BPFRT_SITE_UNKNOWN;
}

static void bpfrt_resolve_ld_imm64(struct bpfrt_ctx *c,
				   const struct bpf_insn *insn,
				   struct bpfrt_an_annot *a)
{
	const struct bpf_prog_aux *aux = c->prog->aux;
	u64 v = (u64)(u32)insn[0].imm | ((u64)(u32)insn[1].imm << 32);
	u32 i;

	if (insn->src_reg == BPF_PSEUDO_FUNC) {
		a->kind = BPFRT_AN_K_LD_FUNC;
		a->id = insn->off;
		return;
	}
	for (i = 0; i < aux->used_map_cnt; i++) {
		const struct bpf_map *map = aux->used_maps[i];

		if (v == (u64)(unsigned long)map) {
			a->kind = BPFRT_AN_K_LD_MAP;
			a->id = i;
			return;
		}
	}
	a->kind = v >= BPFRT_KERNEL_HALF ? BPFRT_AN_K_LD_OTHER :
					   BPFRT_AN_K_LD_CONST;
}

/*
 * Interpreted programs keep one instruction array with BPF_CALL_ARGS
 * calls; rewritten as ELF-style relative pseudo calls, the analyzer's
 * splitter cuts them into functions.
 */
static int bpfrt_split_interpreted(struct bpfrt_ctx *c)
{
	const struct bpf_prog *prog = c->prog;
	u32 i;
	int n;

	c->raw = kvmalloc_array(prog->len, sizeof(*c->raw), GFP_KERNEL);
	if (!c->raw)
		return -ENOMEM;
	memcpy(c->raw, prog->insnsi, prog->len * sizeof(*c->raw));
	for (i = 0; i < prog->len; i++) {
		struct bpf_insn *insn = &c->raw[i];

		if (insn->code == (BPF_JMP | BPF_CALL_ARGS)) {
			insn->code = BPF_JMP | BPF_CALL;
			insn->src_reg = BPF_PSEUDO_CALL;
			insn->imm = insn->off;
			insn->off = 0;
		}
	}
	n = bpfrt_an_split_raw(c->raw, prog->len, NULL, c->funcs,
			       BPFRT_AN_MAX_FUNCS, c->annot);
	if (n < 0)
		return n;
	c->func_cnt = n;
	/* Calls are resolved by the splitter; maps and helpers by us. */
	for (i = 0; i < prog->len; i++) {
		struct bpf_insn *insn = &c->raw[i];
		u16 kind;

		if (insn->code == (BPF_JMP | BPF_CALL) &&
		    insn->src_reg != BPF_PSEUDO_CALL)
			bpfrt_resolve_call(c, insn, &c->annot[i], &kind);
		if (insn->code == (BPF_LD | BPF_IMM | BPF_DW) &&
		    insn->src_reg != BPF_PSEUDO_FUNC && i + 1 < prog->len) {
			bpfrt_resolve_ld_imm64(c, insn, &c->annot[i]);
			i++;
		}
	}
	return 0;
}

static int bpfrt_build_input(struct bpfrt_ctx *c)
{
	const struct bpf_prog *prog = c->prog;
	const struct bpf_prog_aux *aux = prog->aux;
	bool split = false;
	u32 f, i, total = 0;
	u16 kind;
	int ret;

	/* An interpreted multi-function program is cut up by the splitter. */
	if (!prog->jited) {
		for (i = 0; i < prog->len && !split; i++)
			split = prog->insnsi[i].code == (BPF_JMP | BPF_CALL_ARGS);
	}
	bpfrt_ctx_funcs(c);
	for (f = 0; f < c->func_cnt; f++)
		total += c->fprogs[f]->len;
	c->map_cnt = min_t(u32, aux->used_map_cnt, BPFRT_AN_MAX_MAPS);
	ret = bpfrt_ctx_alloc(c, split ? BPFRT_AN_MAX_FUNCS : c->func_cnt,
			      total);
	if (ret)
		return ret;

	if (split)
		return bpfrt_split_interpreted(c);

	total = 0;
	for (f = 0; f < c->func_cnt; f++) {
		const struct bpf_prog *fp = c->fprogs[f];
		struct bpfrt_an_annot *annot = c->annot + total;

		c->funcs[f].insns = fp->insnsi;
		c->funcs[f].insn_cnt = fp->len;
		c->funcs[f].annot = annot;
		for (i = 0; i < fp->len; i++) {
			const struct bpf_insn *insn = &fp->insnsi[i];

			if (insn->code == (BPF_JMP | BPF_CALL)) {
				bpfrt_resolve_call(c, insn, &annot[i], &kind);
			} else if (insn->code == (BPF_JMP | BPF_TAIL_CALL)) {
				annot[i].kind = BPFRT_AN_K_TAIL_CALL;
			} else if (insn->code == (BPF_LD | BPF_IMM | BPF_DW) &&
				   i + 1 < fp->len) {
				bpfrt_resolve_ld_imm64(c, insn, &annot[i]);
				i++;
			}
		}
		total += fp->len;
	}
	return 0;
}

static void bpfrt_ctx_free(struct bpfrt_ctx *c)
{
	kvfree(c->raw);
	kvfree(c->mem);
}

/* The analyzer's view of the program's maps (c->maps, sized at allocation). */
static void bpfrt_fill_an_maps(struct bpfrt_ctx *c)
{
	const struct bpf_prog_aux *aux = c->prog->aux;
	u32 i;

	for (i = 0; i < c->map_cnt; i++) {
		const struct bpf_map *map = aux->used_maps[i];

		c->maps[i].type = map->map_type;
		c->maps[i].max_entries = map->max_entries;
		c->maps[i].key_size = map->key_size;
		c->maps[i].value_size = map->value_size;
	}
}

/* The record's copy of the program's maps, as they were at load. */
static void bpfrt_fill_maps(struct bpfrt_prog_rec *rec)
{
	const struct bpf_prog_aux *aux = rec->prog->aux;
	u32 i;

	for (i = 0; i < rec->map_cnt; i++) {
		const struct bpf_map *map = aux->used_maps[i];

		rec->maps[i].id = map->id;
		rec->maps[i].type = map->map_type;
		rec->maps[i].max_entries = map->max_entries;
		rec->maps[i].key_size = map->key_size;
		rec->maps[i].value_size = map->value_size;
		strscpy(rec->maps[i].name, map->name, sizeof(rec->maps[i].name));
	}
}

static const struct bpfrt_jit_map *bpfrt_find_map(const struct bpfrt_jit_map *maps,
						  u32 cnt,
						  const struct bpf_prog *fp)
{
	u32 i;

	for (i = 0; i < cnt; i++)
		if (maps[i].func == fp && maps[i].len == fp->len)
			return &maps[i];
	return NULL;
}

/*
 * The call sites of every function, from the JIT's offset map: the call is
 * the last five bytes of its instruction's code (arch/x86/net/
 * bpf_jit_comp.c: emit_call), so it starts at end_off - 5. Each is
 * checked to be an E8 call whose target is the one the instruction names;
 * anything else leaves the program not terminable.
 */
static bool bpfrt_find_sites(struct bpfrt_ctx *c, struct bpfrt_prog_rec *rec,
			     const struct bpfrt_jit_map *maps, u32 map_cnt)
{
	u32 f, i, n = 0;
	bool exact = true;

	for (f = 0; f < c->func_cnt; f++) {
		const struct bpf_prog *fp = c->fprogs[f];
		const struct bpfrt_jit_map *m = bpfrt_find_map(maps, map_cnt, fp);
		const u8 *image = (const u8 *)fp->bpf_func;

		for (i = 0; i < fp->len; i++) {
			const struct bpf_insn *insn = &fp->insnsi[i];
			struct bpfrt_site *s;
			unsigned long expect;
			struct bpfrt_an_annot a = {};
			u16 kind;
			s32 rel;
			u32 end;

			if (insn->code != (BPF_JMP | BPF_CALL))
				continue;
			if (!m) {
				exact = false;
				continue;
			}
			end = m->end_off[i];
			if (end < 5 || end > fp->jited_len || image[end - 5] != 0xe8) {
				exact = false;
				continue;
			}
			memcpy(&rel, image + end - 4, sizeof(rel));
			bpfrt_resolve_call(c, insn, &a, &kind);
			expect = kind == BPFRT_SITE_FUNC ?
				 (unsigned long)c->prog->aux->func[insn->off]->bpf_func :
				 bpfrt_call_target(insn);
			if ((unsigned long)(image + end) + (long)rel != expect) {
				exact = false;
				continue;
			}
			s = &rec->sites[n++];
			s->func = f;
			s->insn = i;
			s->jit_off = end - 5;
			s->kind = kind;
			s->op = a.op;
			s->id = kind == BPFRT_SITE_UNKNOWN ? U32_MAX : a.id;
			s->target = expect;
		}
	}
	rec->site_cnt = n;
	return exact;
}

/*
 * Which functions are used only as callbacks (loaded by address for a loop
 * helper, never called bpf-to-bpf): only those may have their entry made
 * to "return 1" (DESIGN.md, termination rules). Also notes tail calls.
 * From the final instructions: after jit_subprogs() a bpf-to-bpf call and
 * a callback load carry the callee's index in ->off.
 */
static void bpfrt_classify_funcs(struct bpfrt_ctx *c, struct bpfrt_prog_rec *rec)
{
	const struct bpf_prog *prog = c->prog;
	u32 f, i;
	u8 *use;

	if (!prog->jited) {
		/* One array, whatever the functions; no image to patch. */
		for (i = 0; i < prog->len; i++)
			if (prog->insnsi[i].code == (BPF_JMP | BPF_TAIL_CALL))
				rec->has_tail_calls = true;
		return;
	}
	use = c->func_cnt > 1 ? kcalloc(c->func_cnt, sizeof(*use), GFP_KERNEL) :
				NULL;
	for (f = 0; f < c->func_cnt; f++) {
		const struct bpf_prog *fp = c->fprogs[f];

		for (i = 0; i < fp->len; i++) {
			const struct bpf_insn *insn = &fp->insnsi[i];
			bool ld = insn->code == (BPF_LD | BPF_IMM | BPF_DW);

			if (insn->code == (BPF_JMP | BPF_TAIL_CALL))
				rec->has_tail_calls = true;
			if (use && insn->code == (BPF_JMP | BPF_CALL) &&
			    insn->src_reg == BPF_PSEUDO_CALL &&
			    (u16)insn->off < c->func_cnt)
				use[(u16)insn->off] |= 1;	/* called */
			if (use && ld && insn->src_reg == BPF_PSEUDO_FUNC &&
			    (u16)insn->off < c->func_cnt)
				use[(u16)insn->off] |= 2;	/* a callback */
			if (ld)
				i++;
		}
	}
	for (f = 0; use && f < c->func_cnt; f++)
		if (use[f] == 2)
			rec->images[f].flags |= BPFRT_IMG_CALLBACK_ONLY;
	kfree(use);
}

/* The summary's fields that do not depend on the estimate. */
static void bpfrt_fill_summary(struct bpfrt_prog_rec *rec)
{
	const struct bpf_prog *prog = rec->prog;
	struct bpfrt_prog_summary *s = &rec->sum;
	u32 i;

	s->type = prog->type;
	strscpy(s->name, prog->aux->name, sizeof(s->name));
	memcpy(s->tag, prog->tag, sizeof(s->tag));
	s->func_cnt = rec->func_cnt;
	s->insn_cnt = 0;
	if (prog->blinded)
		s->flags |= BPFRT_PROG_F_BLINDED;
	if (prog->jited && prog->aux->func_cnt) {
		/* The functions are JITed (and blinded) one by one. */
		for (i = 0; i < prog->aux->func_cnt; i++) {
			s->insn_cnt += prog->aux->func[i]->len;
			if (prog->aux->func[i]->blinded)
				s->flags |= BPFRT_PROG_F_BLINDED;
		}
	} else {
		s->insn_cnt = prog->len;
	}
	if (prog->jited)
		s->flags |= BPFRT_PROG_F_JITED;
	if (prog->type == BPF_PROG_TYPE_EXT)
		s->flags |= BPFRT_PROG_F_EXT;
}

/*
 * The estimate of @prog with the current cost model, into @res; caller
 * holds bpfrt_costs_lock. *func_cnt: the functions the analyzer saw (an
 * interpreted program's are found by the splitter). The program's maps
 * are read under its used_maps_mutex: once the program has an fd,
 * BPF_PROG_BIND_MAP may replace the array (kernel/bpf/syscall.c).
 */
static int bpfrt_estimate_prog(const struct bpf_prog *prog,
			       struct bpfrt_an_result *res, u32 *func_cnt)
{
	struct bpfrt_ctx c = { .prog = prog };
	struct bpfrt_an_prog in = {};
	int ret;

	lockdep_assert_held(&bpfrt_costs_lock);
	mutex_lock(&prog->aux->used_maps_mutex);
	ret = bpfrt_build_input(&c);
	if (!ret) {
		bpfrt_fill_an_maps(&c);
		in.funcs = c.funcs;
		in.func_cnt = c.func_cnt;
		in.maps = c.maps;
		in.map_cnt = c.map_cnt;
		if (prog->type == BPF_PROG_TYPE_EXT)
			in.flags |= BPFRT_AN_PROG_EXTENSION;
		*func_cnt = c.func_cnt;
	}
	mutex_unlock(&prog->aux->used_maps_mutex);
	if (!ret)
		ret = bpfrt_an_estimate(&in, bpfrt_costs, res);
	bpfrt_ctx_free(&c);
	return ret;
}

/*
 * Stores an estimate made with cost model generation @gen (or its failure,
 * @err) in @rec. Readers copy these under bpfrt_registry_lock; an event
 * posted from atomic context meanwhile may mix old and new fields, each of
 * which is whole.
 */
static void bpfrt_store_estimate(struct bpfrt_prog_rec *rec, int err,
				 const struct bpfrt_an_result *res, u32 gen)
{
	struct bpfrt_prog_summary *s = &rec->sum;

	rec->costs_gen = gen;
	if (err) {
		memset(&rec->est, 0, sizeof(rec->est));
		WRITE_ONCE(s->flags, s->flags | BPFRT_PROG_F_EST_FAILED);
		WRITE_ONCE(s->est_errno, -err);
		WRITE_ONCE(s->est_flags, 0);
		WRITE_ONCE(s->best_ns, 0);
		WRITE_ONCE(s->worst_ns, BPFRT_UNBOUNDED);
	} else {
		if (res != &rec->est)
			rec->est = *res;
		WRITE_ONCE(s->flags, s->flags & ~BPFRT_PROG_F_EST_FAILED);
		WRITE_ONCE(s->est_errno, 0);
		WRITE_ONCE(s->est_flags, res->flags);
		WRITE_ONCE(s->best_ns, res->best_ns);
		WRITE_ONCE(s->worst_ns, res->worst_ns);
	}
}

/* The module's own cost, for /sys/kernel/bpfrt/stats. */
static void bpfrt_count_analysis(u64 ns)
{
	s64 max = atomic64_read(&bpfrt_capture_stats.analysis_max_ns);

	atomic64_add(ns, &bpfrt_capture_stats.analysis_ns);
	while ((u64)max < ns) {
		s64 was = atomic64_cmpxchg(&bpfrt_capture_stats.analysis_max_ns,
					   max, ns);

		if (was == max)
			break;
		max = was;
	}
}

/*
 * The CPU time of an analysis, for the stats: its wall time when the task
 * was not switched out meanwhile, else the run time the scheduler counted
 * for the task (exact at each switch, at most a tick off at either end). A
 * deferred estimate runs at nice 19 and may wait long for a CPU: its wall
 * time says little about what it cost.
 */
struct bpfrt_cpu_mark {
	u64 wall;
	u64 run;
	unsigned long switches;
};

static void bpfrt_cpu_mark(struct bpfrt_cpu_mark *m)
{
	m->switches = current->nvcsw + current->nivcsw;
	m->run = current->se.sum_exec_runtime;
	m->wall = ktime_get_ns();
}

static u64 bpfrt_cpu_since(const struct bpfrt_cpu_mark *m)
{
	u64 wall = ktime_get_ns() - m->wall;

	if (current->nvcsw + current->nivcsw == m->switches)
		return wall;
	return current->se.sum_exec_runtime - m->run;
}

/*
 * Estimates @rec's program into @res, counted in the module's stats. Takes
 * bpfrt_costs_lock unless @costs_held. Returns 0 or -errno.
 */
static int bpfrt_estimate_counted(struct bpfrt_prog_rec *rec,
				  struct bpfrt_an_result *res, u32 *gen,
				  u32 *func_cnt, bool costs_held)
{
	struct bpfrt_cpu_mark mark;
	int ret;

	bpfrt_cpu_mark(&mark);
	if (!costs_held)
		mutex_lock(&bpfrt_costs_lock);
	ret = bpfrt_estimate_prog(rec->prog, res, func_cnt);
	*gen = bpfrt_costs_gen;
	if (!costs_held)
		mutex_unlock(&bpfrt_costs_lock);
	bpfrt_count_analysis(bpfrt_cpu_since(&mark));
	return ret;
}

/*
 * The record and its arrays (images, call sites, maps) in one allocation:
 * a load pays for each allocation it makes, and they live and die
 * together. Sites are sized for every call instruction.
 */
static struct bpfrt_prog_rec *bpfrt_rec_alloc(struct bpfrt_ctx *c)
{
	const struct bpf_prog *prog = c->prog;
	u32 maps = min_t(u32, prog->aux->used_map_cnt, BPFRT_AN_MAX_MAPS);
	u32 images = prog->jited ? c->func_cnt : 0, calls = 0, f, i;
	struct bpfrt_prog_rec *rec;
	size_t size;
	u8 *p;

	for (f = 0; images && f < c->func_cnt; f++)
		for (i = 0; i < c->fprogs[f]->len; i++)
			if (c->fprogs[f]->insnsi[i].code == (BPF_JMP | BPF_CALL))
				calls++;
	size = ALIGN(sizeof(*rec), 8) + images * sizeof(*rec->images) +
	       calls * sizeof(*rec->sites) + maps * sizeof(*rec->maps);
	rec = kvzalloc(size, GFP_KERNEL);
	if (!rec)
		return NULL;
	p = (u8 *)rec + ALIGN(sizeof(*rec), 8);
	if (images)
		rec->images = (void *)p;
	p += images * sizeof(*rec->images);
	if (calls)
		rec->sites = (void *)p;
	p += calls * sizeof(*rec->sites);
	if (maps)
		rec->maps = (void *)p;
	rec->map_cnt = maps;
	rec->mem_bytes = size;
	return rec;
}

struct bpfrt_prog_rec *bpfrt_analyze(const struct bpf_prog *prog,
				     const struct bpfrt_jit_map *maps,
				     u32 map_cnt, bool estimate)
{
	struct bpfrt_ctx c = { .prog = prog };
	struct bpfrt_prog_rec *rec;
	u32 f, gen, func_cnt;
	int ret;

	bpfrt_ctx_funcs(&c);
	rec = bpfrt_rec_alloc(&c);
	if (!rec)
		return ERR_PTR(-ENOMEM);
	INIT_LIST_HEAD(&rec->est_node);
	rec->aux = prog->aux;
	rec->prog = prog;
	rec->verified_insns = prog->aux->verified_insns;
	rec->func_cnt = c.func_cnt;
	bpfrt_fill_maps(rec);
	if (prog->jited) {
		for (f = 0; f < c.func_cnt; f++) {
			rec->images[f].start = (void *)c.fprogs[f]->bpf_func;
			rec->images[f].len = c.fprogs[f]->jited_len;
			rec->images[f].insn_cnt = c.fprogs[f]->len;
			rec->jited_len += c.fprogs[f]->jited_len;
		}
		if (bpfrt_find_sites(&c, rec, maps, map_cnt))
			rec->sum.flags |= BPFRT_PROG_F_TERMINABLE;
	}
	bpfrt_classify_funcs(&c, rec);

	if (estimate) {
		/* Nobody sees the record yet: the estimate goes in place. */
		ret = bpfrt_estimate_counted(rec, &rec->est, &gen, &func_cnt,
					     false);
		/* An interpreted program's functions are the splitter's. */
		if (!ret && !prog->jited)
			rec->func_cnt = func_cnt;
		bpfrt_store_estimate(rec, ret, &rec->est, gen);
	} else {
		rec->est_state = BPFRT_EST_QUEUED;
	}
	bpfrt_fill_summary(rec);
	return rec;
}

int bpfrt_estimate_claimed(struct bpfrt_prog_rec *rec)
	__acquires(&bpfrt_registry_lock)
{
	struct bpfrt_an_result *res;
	u32 gen = READ_ONCE(bpfrt_costs_gen), func_cnt;
	int ret;

	res = kzalloc(sizeof(*res), GFP_KERNEL);
	ret = res ? bpfrt_estimate_counted(rec, res, &gen, &func_cnt, false) :
		    -ENOMEM;
	mutex_lock(&bpfrt_registry_lock);
	bpfrt_store_estimate(rec, ret, res, gen);
	kfree(res);
	return ret;
}

int bpfrt_reestimate(struct bpfrt_prog_rec *rec)
{
	struct bpfrt_an_result *res;
	u32 gen = bpfrt_costs_gen, func_cnt;
	int ret;

	lockdep_assert_held(&bpfrt_registry_lock);
	lockdep_assert_held(&bpfrt_costs_lock);
	res = kzalloc(sizeof(*res), GFP_KERNEL);
	ret = res ? bpfrt_estimate_counted(rec, res, &gen, &func_cnt, true) :
		    -ENOMEM;
	bpfrt_store_estimate(rec, ret, res, gen);
	kfree(res);
	return ret;
}

void bpfrt_reestimate_if_stale(struct bpfrt_prog_rec *rec)
{
	lockdep_assert_held(&bpfrt_registry_lock);
	mutex_lock(&bpfrt_costs_lock);
	if (rec->est_state == BPFRT_EST_DONE && rec->costs_gen != bpfrt_costs_gen)
		bpfrt_reestimate(rec);
	mutex_unlock(&bpfrt_costs_lock);
}
