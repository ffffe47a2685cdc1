// SPDX-License-Identifier: GPL-2.0
/*
 * Estimating a recorded program: the analyzer's input built from the final
 * instructions (resolve.h says what they look like), the analysis with
 * the current cost model, and the estimate stored in the record, at load
 * or later (defer.c) or again when the cost model changes (costs.c).
 */
#include <linux/bpf.h>
#include <linux/filter.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>

#include "bpfrt.h"
#include "capture.h"
#include "costs.h"
#include "prog_estimate.h"
#include "resolve.h"

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
			bpfrt_resolve_call(prog, insn, &c->annot[i], &kind);
		if (insn->code == (BPF_LD | BPF_IMM | BPF_DW) &&
		    insn->src_reg != BPF_PSEUDO_FUNC && i + 1 < prog->len) {
			bpfrt_resolve_ld_imm64(prog, insn, &c->annot[i]);
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
	c->func_cnt = bpfrt_prog_funcs(&c->prog, &c->fprogs);
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
				bpfrt_resolve_call(prog, insn, &annot[i], &kind);
			} else if (insn->code == (BPF_JMP | BPF_TAIL_CALL)) {
				annot[i].kind = BPFRT_AN_K_TAIL_CALL;
			} else if (insn->code == (BPF_LD | BPF_IMM | BPF_DW) &&
				   i + 1 < fp->len) {
				bpfrt_resolve_ld_imm64(prog, insn, &annot[i]);
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

void bpfrt_estimate_new(struct bpfrt_prog_rec *rec)
{
	u32 gen, func_cnt;
	int ret;

	/* Nobody sees the record yet: the estimate goes in place. */
	ret = bpfrt_estimate_counted(rec, &rec->est, &gen, &func_cnt, false);
	/* An interpreted program's functions are the splitter's. */
	if (!ret && !rec->prog->jited)
		rec->func_cnt = func_cnt;
	bpfrt_store_estimate(rec, ret, &rec->est, gen);
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
