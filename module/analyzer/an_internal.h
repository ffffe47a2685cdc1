/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal structures of the analyzer, shared by its source files.
 *
 * One function is analysed at a time (callees first); everything in
 * struct an_fn is allocated for that function and freed before the next.
 */
#ifndef BPFRT_AN_INTERNAL_H
#define BPFRT_AN_INTERNAL_H

#include "platform.h"
#include "analyzer.h"
#include "arena.h"

#define AN_NONE		BPFRT_AN_NONE
#define AN_EXIT		(BPFRT_AN_NONE - 1)	/* virtual exit block */
#define AN_UNB		BPFRT_AN_UNBOUNDED
#define ARRAY_SIZE_AN(a)	(sizeof(a) / sizeof((a)[0]))

/* ---- saturating arithmetic: a bound never wraps ---- */

static inline u64 an_sadd(u64 a, u64 b)
{
	u64 r = a + b;

	return r < a ? AN_UNB : r;
}

static inline u64 an_smul(u64 a, u64 b)
{
	if (a == 0 || b == 0)
		return 0;
	if (a > AN_UNB / b)
		return AN_UNB;
	return a * b;
}

/* A path through the program: its time and what it executes. */
/*
 * vmin: in a best path, the fewest instructions of this function the
 * verifier walks on any path between the same two points (not necessarily
 * the cheapest path's: a path of fewer instructions can cost more). A call
 * counts as one: the verifier walks a callee's body apart from the caller's
 * (global functions and callbacks once, kernel/bpf/verifier.c:
 * check_func_call), so the callee is no part of the caller's iteration.
 * It bounds an uninferred loop's trip count (loops.c: an_loop_trip).
 */
struct an_path {
	u64 ps;
	u64 insns;
	u64 helpers;
	u64 vmin;
};

static inline void an_path_add(struct an_path *d, const struct an_path *s)
{
	d->ps = an_sadd(d->ps, s->ps);
	d->insns = an_sadd(d->insns, s->insns);
	d->helpers = an_sadd(d->helpers, s->helpers);
	d->vmin = an_sadd(d->vmin, s->vmin);
}

static inline void an_path_mul(struct an_path *d, u64 n)
{
	d->ps = an_smul(d->ps, n);
	d->insns = an_smul(d->insns, n);
	d->helpers = an_smul(d->helpers, n);
	d->vmin = an_smul(d->vmin, n);
}

/* "a is a worse (more expensive) path than b" */
static inline bool an_path_gt(const struct an_path *a, const struct an_path *b)
{
	if (a->ps != b->ps)
		return a->ps > b->ps;
	return a->insns > b->insns;
}

/*
 * Where two best paths meet: keep the cheaper, and the fewest verifier
 * instructions of either.
 */
static inline void an_path_take_best(struct an_path *d, const struct an_path *s)
{
	u64 vmin = d->vmin < s->vmin ? d->vmin : s->vmin;

	if (an_path_gt(d, s))
		*d = *s;
	d->vmin = vmin;
}

static inline void an_path_unbounded(struct an_path *p)
{
	p->ps = AN_UNB;
	p->insns = AN_UNB;
	p->helpers = AN_UNB;
	p->vmin = AN_UNB;
}

/* ---- instruction decoding helpers ---- */

#define AN_REG_AX	11	/* BPF_REG_AX, used by constant blinding */
#define AN_NREGS	12

static inline bool an_is_ld_imm64(const struct bpf_insn *insn)
{
	return insn->code == (BPF_LD | BPF_IMM | BPF_DW);
}

#define AN_TAIL_CALL_CODE	(BPF_JMP | 0xf0)	/* kernel BPF_TAIL_CALL */
#define AN_NOSPEC_CODE		(BPF_ST | 0xc0)		/* kernel BPF_NOSPEC */
#define AN_MODE_PROBE_MEM	0x20
#define AN_MODE_MEMSX		0x80
#define AN_MODE_PROBE_MEMSX	0xa0

/* ---- control-flow graph ---- */

/* Edge classes, for the cost of the terminating instruction. */
enum an_edge_kind {
	AN_E_FALL,		/* no terminating jump: free */
	AN_E_TAKEN,		/* conditional jump taken */
	AN_E_NOT_TAKEN,		/* conditional jump not taken */
	AN_E_JA,		/* unconditional jump */
	AN_E_EXIT,		/* exit instruction */
};

/* an_blk.flags */
#define AN_B_BACK0	0x01	/* succ[0] is a back-edge (DFS retreating) */
#define AN_B_BACK1	0x02
#define AN_B_HEADER	0x04	/* target of a back-edge: a loop header */
#define AN_B_REACHED	0x08	/* dist_* valid in the current region */
#define AN_B_TOP	0x10	/* value pass: no state, everything unknown */
#define AN_B_TERM_JMP	0x20	/* last insn is a jump/exit costed on edges */

struct an_blk {
	u32 start;		/* first instruction */
	u32 end;		/* one past the last instruction */
	u32 succ[2];		/* block, AN_EXIT or AN_NONE */
	u32 loop;		/* innermost loop, AN_NONE at top level */
	u32 rpo;		/* reverse postorder number, AN_NONE if unreachable */
	u32 pre;		/* DFS preorder number */
	u32 last;		/* highest preorder number in the DFS subtree */
	u32 argmax;		/* edge id (blk * 2 + slot) of the worst predecessor */
	u32 state;		/* value pass: in-state in the pool, AN_NONE */
	u8 ekind[2];		/* enum an_edge_kind per successor */
	u8 flags;
	u8 mustpass;		/* cost pass: bit per loop candidate passed */
	u64 acc;		/* times executed on the reconstructed worst path */
	struct an_path dw;	/* worst path from the region root to entry */
	struct an_path db;	/* best path */
};

static inline u32 an_edge(u32 blk, u32 slot)
{
	return blk * 2 + slot;
}

/* ---- loops ---- */

#define AN_L_CAPPED	0x01	/* trip count is a kernel cap */
#define AN_L_FALLBACK	0x02	/* trip count not inferred */
#define AN_L_EXACT	0x04	/* the loop always runs trip iterations */

struct an_loop {
	u32 header;		/* block */
	u32 parent;		/* enclosing loop or AN_NONE */
	u32 depth;		/* 1 for an outermost loop */
	u32 defmask;		/* locations (an_loc) defined in the loop */
	u32 viol;		/* locations found defined that defmask lacked */
	/* locations that may point into this frame on a back-edge */
	u32 fpmask;
	u32 fpviol;		/* found so on a back-edge, fpmask lacked */
	u32 nlatch;		/* back-edges into the header */
	u32 exits;		/* list of an_exit */
	u32 nexits;
	u32 cand;		/* list of an_cand */
	u32 ncand;
	u32 wlatch;		/* edge id of the worst back-edge */
	u32 flags;		/* AN_L_* */
	u8 latch_mp;		/* AND of mustpass bits over the latches */
	u8 latch_seen;
	u64 trip_w;		/* back-edge traversals per entry, worst */
	u64 trip_b;		/* and best */
	u64 entered;		/* times entered on the worst path */
	u64 plain_ps;		/* contribution of its plain instructions */
	struct an_path iw;	/* worst iteration: header to back-edge */
	struct an_path ib;	/* best iteration */
};

/* A path from a loop header (or function entry) out of its region. */
struct an_exit {
	u32 edge;		/* edge id; the target is outside the region */
	u32 next;
	struct an_path w;
	struct an_path b;
};

/* ---- value analysis ---- */

/* Tracked locations: r0..r9, AX, then up to AN_NSLOT 8-byte stack slots. */
#define AN_NSLOT	16
#define AN_LOC_AX	10
#define AN_NLOC		(11 + AN_NSLOT)
#define AN_LOC_SLOT0	11
#define AN_ALL_SLOTS	(((1u << AN_NSLOT) - 1) << AN_LOC_SLOT0)
#define AN_ALL_LOCS	((1u << AN_NLOC) - 1)
#define AN_SCRATCH_REGS	0x3eu		/* r1-r5: a call clobbers them */

enum an_tag {
	AN_V_UNDEF,	/* nothing flowed here yet */
	AN_V_ANY,	/* anything, possibly a pointer to this frame */
	AN_V_NS,	/* unknown, but not a pointer to this frame */
	AN_V_CONST,	/* val */
	AN_V_FP,	/* frame pointer + val */
	AN_V_MAP,	/* pointer to map val (index) */
	AN_V_FUNC,	/* callback: function val (index) */
	AN_V_IV,	/* (value of loc at the last entry to loop's header) + val */
};

#define AN_VF_W32	0x01	/* IV went through 32-bit arithmetic */
#define AN_VF_INIT	0x02	/* IV: init is the known entry value */

struct an_val {
	s64 val;
	s64 init;		/* IV: value on entry to the loop */
	u32 loop;		/* IV: loop index */
	u8 tag;
	u8 loc;			/* IV: location */
	u8 vflags;
	u8 pad;
};

/*
 * A state is mostly "unknown": a location is NS unless its bit is set in
 * one of the masks, and v[] holds only the valued ones. Copies and merges
 * touch the masks and the few valued locations (constprop.c), not all
 * AN_NLOC: they run for every block and edge, three times over, and were
 * most of the analysis of a large program.
 */
struct an_state {
	u32 valued;		/* CONST, FP, MAP, FUNC or IV, in v[] */
	u32 any;		/* ANY */
	u32 undef;		/* UNDEF */
	struct an_val v[AN_NLOC];
};

/* A loop exit test "loc-derived value OP constant", a trip count candidate. */
#define AN_C_JMP32	0x01
#define AN_C_W32	0x02
#define AN_C_INIT	0x04
#define AN_C_STEP	0x08
#define AN_C_BAD	0x10

struct an_cand {
	u32 next;
	u32 blk;		/* block whose last insn is the test */
	u8 slot;		/* successor slot that leaves the loop */
	u8 loc;
	u8 op;			/* BPF_J* the loop exits on, after negation */
	u8 cflags;
	u32 latches;		/* back-edges where the step was checked */
	s64 delta;		/* tested value = loc at header + delta */
	s64 init;
	s64 bound;		/* K, full 64-bit */
	s64 step;
};

#define AN_MAX_CAND_PER_LOOP	4
#define AN_POOL_STATES		512
#define BPFRT_AN_VALUE_PASSES	3

/* ---- calls ---- */

#define AN_CF_CB_UNKNOWN	0x01	/* callback function not resolved */

struct an_call {
	u32 insn;
	/* BPFRT_AN_K_{HELPER,MAP_OP,KFUNC,FUNC,TAIL_CALL, UNKNOWN_CALL} */
	u8 kind;
	u8 op;			/* map op, when a map operation */
	u16 map_type;		/* map type, or AN_MT_NONE */
	u32 id;			/* helper id / callee / map index or AN_NONE */
	u32 cb;			/* callback function or AN_NONE */
	u32 map;		/* map index or AN_NONE */
	u32 rflags;		/* BPFRT_AN_F_* this call adds */
	u32 cflags;
	u64 n_w;		/* callback invocations, worst */
	u64 n_b;		/* callback invocations, best */
	u64 walk;		/* elements/buckets the helper walks (worst) */
	u64 walk_b;		/* and in the best case */
	bool is_map_op;		/* costed as a map operation */
};

#define AN_MT_NONE	0xffff

/* ---- per-function summary ---- */

#define AN_FS_TODO	0
#define AN_FS_BUSY	1
#define AN_FS_DONE	2

struct an_fsum {
	struct an_path w;
	struct an_path b;
	u32 flags;		/* BPFRT_AN_F_* */
	u32 state;
	bool ret_zero;		/* every exit returns the constant 0 */
	u32 ncontrib;
	struct bpfrt_an_contrib contrib[BPFRT_AN_TOP_N];
};

/* ---- program-wide and per-function context ---- */

struct an_ctx {
	const struct bpfrt_an_prog *prog;
	const struct bpfrt_cost_model *cm;
	struct an_arena arena;		/* all of the estimate's memory */
	struct an_fsum *fsum;		/* func_cnt entries */
	u32 flags;			/* BPFRT_AN_F_* accumulated */
	u32 err_func;
	u32 err_insn;
};

struct an_fn {
	struct an_ctx *ctx;
	u32 idx;			/* function index */
	const struct bpf_insn *insns;
	const struct bpfrt_an_annot *annot;
	u32 n;				/* instructions */
	u32 flags;			/* BPFRT_AN_F_* of this function */

	u32 *blk_of;			/* n: block of each leader, else AN_NONE */
	struct an_blk *blk;
	u32 nblk;
	u32 *rpo;			/* reachable blocks in RPO */
	u32 nrpo;
	u32 *pred_start;		/* nblk + 1 */
	u32 *pred;			/* edge sources */
	bool irreducible;
	bool ret_nonzero;		/* some exit may return other than 0 */

	struct an_loop *loop;
	u32 nloop;			/* loops, inner before outer */
	/* region members in RPO, grouped by region (loops, then top level) */
	u32 *rorder;
	u32 *rstart;			/* nloop + 2 */
	u32 top_exits;			/* exit list of the top level */
	u32 top_nexits;
	/* unknown callbacks: the worst / best of the functions referenced */
	bool cb_any_done;
	struct an_path cb_any_w;
	struct an_path cb_any_b;
	u32 cb_any_flags;

	struct an_exit *exit;
	u32 nexit;
	u32 exit_cap;

	struct an_cand *cand;
	u32 ncand;
	u32 cand_cap;

	struct an_call *call;		/* sorted by instruction */
	u32 ncall;
	u32 call_next;			/* an_find_call: the likely next one */

	s8 slot_of[64];			/* frame slot (-8*(i+1)) -> tracked index */
	u32 slots_below[65];		/* locations of frame slots 0..i-1 */
	/*
	 * In-states, allocated as the pass first needs them (at most
	 * pool_cap: as many as blocks, up to AN_POOL_STATES), then reused.
	 */
	struct an_state **pool;
	u32 *pool_free;
	u32 pool_nfree;
	u32 pool_n;			/* allocated so far */
	u32 pool_cap;
	bool pool_oom;			/* a state could not be allocated */
	struct an_state work;

	u64 top_plain_ps;
};

/*
 * Zeroed arrays from the estimate's arena: whatever a function's analysis
 * allocates is released when it is done (analyzer.c: an_analyze), the
 * rest with the estimate; nothing is freed one by one.
 */
static inline void *an_ctx_alloc(struct an_ctx *ctx, size_t n, size_t size)
{
	return an_alloc(&ctx->arena, n, size);
}

static inline void *an_fn_alloc(struct an_fn *fn, size_t n, size_t size)
{
	return an_alloc(&fn->ctx->arena, n, size);
}

/* cfg.c */
int an_cfg_validate(struct an_ctx *ctx, u32 fidx);
int an_cfg_build(struct an_fn *fn);
void an_resolve_call(const struct an_fn *fn, u32 i, u8 *kind, u32 *id);

/* loops.c */
int an_loops_find(struct an_fn *fn);
bool an_in_loop(const struct an_fn *fn, u32 blk, u32 loop);
u32 an_region_of(const struct an_fn *fn, u32 blk);
void an_loop_trip(struct an_fn *fn, u32 l);

/* constprop.c */
int an_values(struct an_fn *fn);
struct an_call *an_find_call(struct an_fn *fn, u32 insn);

/* cost_model.c */
const struct bpfrt_cost *an_cost_insn(const struct an_ctx *ctx,
				      enum bpfrt_insn_class ic, u32 *flags);
const struct bpfrt_cost *an_cost_helper(const struct an_ctx *ctx, u32 id,
					u32 *flags);
const struct bpfrt_cost *an_cost_map_op(const struct an_ctx *ctx, u32 type,
					u32 op, u32 *flags);
int an_insn_class(const struct bpf_insn *insn);
int an_helper_map_op(u32 helper_id);

/* estimate.c */
int an_estimate_fn(struct an_fn *fn);

#endif /* BPFRT_AN_INTERNAL_H */
