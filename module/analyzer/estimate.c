// SPDX-License-Identifier: GPL-2.0
/*
 * Path costs: best and worst path through every function, loops collapsed
 * innermost first, calls composed at their call sites (callees first), and
 * the reconstruction of the worst path that names its main contributors.
 *
 * A region is a loop (rooted at its header) or the function's top level.
 * Inside a region, with its inner loops collapsed into their headers and its
 * back-edges removed, the control-flow graph is acyclic and reverse
 * postorder is a topological order: one dynamic-programming pass gives, for
 * every block, the worst and best cost from the region's root, for every
 * back-edge the cost of one iteration, and for every edge leaving the region
 * the cost of leaving through it. A loop then costs
 *	trip * (worst iteration) + (worst path from header to the exit)
 * on each of its exits, which its parent region uses like a block.
 */
#include "an_internal.h"

/* ---- contributors ---- */

static void an_top_add(struct an_fsum *fs, const struct bpfrt_an_contrib *it)
{
	u32 i, min = 0;

	if (!it->cost_ps)
		return;
	for (i = 0; i < fs->ncontrib; i++) {
		struct bpfrt_an_contrib *c = &fs->contrib[i];

		if (c->func == it->func && c->insn == it->insn &&
		    c->kind == it->kind) {
			c->cost_ps = an_sadd(c->cost_ps, it->cost_ps);
			c->multiplier = an_sadd(c->multiplier, it->multiplier);
			return;
		}
	}
	if (fs->ncontrib < BPFRT_AN_TOP_N) {
		fs->contrib[fs->ncontrib++] = *it;
		return;
	}
	for (i = 1; i < BPFRT_AN_TOP_N; i++)
		if (fs->contrib[i].cost_ps < fs->contrib[min].cost_ps)
			min = i;
	if (it->cost_ps > fs->contrib[min].cost_ps)
		fs->contrib[min] = *it;
}

static void an_item(struct an_fn *fn, u32 insn, u16 kind, u16 op, u32 id,
		    u64 mult, u64 cost)
{
	struct bpfrt_an_contrib it = {
		.func = fn->idx, .insn = insn, .kind = kind, .op = op,
		.id = id, .multiplier = mult, .cost_ps = cost,
	};

	an_top_add(&fn->ctx->fsum[fn->idx], &it);
}

/* ---- costs of instructions, edges and calls ---- */

/* @insns instructions the verifier walks too (vmin). */
static void an_add(struct an_path *p, u64 ps, u64 insns, u64 helpers)
{
	p->ps = an_sadd(p->ps, ps);
	p->insns = an_sadd(p->insns, insns);
	p->helpers = an_sadd(p->helpers, helpers);
	p->vmin = an_sadd(p->vmin, insns);
}

static void an_sub_path(struct an_fn *fn, u32 f, struct an_path *w,
			struct an_path *b)
{
	const struct an_fsum *fs = &fn->ctx->fsum[f];

	if (fs->state != AN_FS_DONE) {
		/* a cycle in the call graph: no bound */
		an_path_unbounded(w);
		memset(b, 0, sizeof(*b));
		fn->flags |= BPFRT_AN_F_RECURSION;
		return;
	}
	*w = fs->w;
	*b = fs->b;
	fn->flags |= fs->flags;
}

/* Any callback this function could pass: those it loads with ld_imm64. */
static void an_cb_any(struct an_fn *fn, struct an_path *w, struct an_path *b)
{
	u32 i, saved = fn->flags;
	bool any = false;

	if (!fn->cb_any_done) {
		fn->cb_any_done = true;
		memset(&fn->cb_any_w, 0, sizeof(fn->cb_any_w));
		memset(&fn->cb_any_b, 0, sizeof(fn->cb_any_b));
		fn->flags = 0;
		for (i = 0; fn->annot && i < fn->n; i++) {
			struct an_path sw, sb;

			if (fn->annot[i].kind != BPFRT_AN_K_LD_FUNC ||
			    !an_is_ld_imm64(&fn->insns[i]))
				continue;
			an_sub_path(fn, fn->annot[i].id, &sw, &sb);
			if (!any || an_path_gt(&sw, &fn->cb_any_w))
				fn->cb_any_w = sw;
			if (!any || an_path_gt(&fn->cb_any_b, &sb))
				fn->cb_any_b = sb;
			any = true;
		}
		if (!any) {
			const struct bpfrt_cost *c;

			c = an_cost_insn(fn->ctx, BPFRT_IC_UNKNOWN_CALL,
					 &fn->flags);
			fn->cb_any_w.ps = c->worst_ps;
			fn->cb_any_w.insns = 1;
			fn->cb_any_b.ps = c->best_ps;
			fn->cb_any_b.insns = 1;
		}
		fn->cb_any_flags = fn->flags | BPFRT_AN_F_UNKNOWN_CALL;
		fn->flags = saved;
	}
	*w = fn->cb_any_w;
	*b = fn->cb_any_b;
	fn->flags |= fn->cb_any_flags;
}

struct an_callcost {
	struct an_path w;
	struct an_path b;
	u64 base_w;		/* the call itself, incl. elements walked */
	u64 cb_over_w;		/* callback invocation overheads */
	u32 sub;		/* callee or callback, AN_NONE */
	u64 sub_mult;		/* its invocations per call */
};

static void an_call_cost(struct an_fn *fn, const struct an_call *c,
			 struct an_callcost *cc)
{
	const struct an_ctx *ctx = fn->ctx;
	const struct bpfrt_cost *e;
	u32 *fl = &fn->flags;
	u64 helpers = 0;

	memset(cc, 0, sizeof(*cc));
	cc->sub = AN_NONE;
	switch (c->kind) {
	case BPFRT_AN_K_HELPER:
	case BPFRT_AN_K_MAP_OP:
		/*
		 * for_each: the helper's own cost here, the map's per-element
		 * cost times the elements walked below
		 */
		if (c->is_map_op && c->op == BPFRT_MAP_OP_FOR_EACH)
			e = an_cost_helper(ctx, BPF_FUNC_for_each_map_elem, fl);
		else if (c->is_map_op || c->kind == BPFRT_AN_K_MAP_OP)
			e = an_cost_map_op(ctx, c->map_type, c->op, fl);
		else
			e = an_cost_helper(ctx, c->id, fl);
		helpers = 1;
		break;
	case BPFRT_AN_K_KFUNC:
		e = an_cost_insn(ctx, BPFRT_IC_KFUNC, fl);
		helpers = 1;
		break;
	case BPFRT_AN_K_FUNC:
		e = an_cost_insn(ctx, BPFRT_IC_CALL_FUNC, fl);
		break;
	case BPFRT_AN_K_TAIL_CALL:
		e = an_cost_insn(ctx, BPFRT_IC_TAIL_CALL, fl);
		*fl |= BPFRT_AN_F_TAIL_CALL;
		break;
	default:
		e = an_cost_insn(ctx, BPFRT_IC_UNKNOWN_CALL, fl);
		*fl |= BPFRT_AN_F_UNKNOWN_CALL;
		break;
	}
	*fl |= c->rflags;
	an_add(&cc->w, e->worst_ps, 1, helpers);
	an_add(&cc->b, e->best_ps, 1, helpers);
	if (c->walk || c->walk_b) {
		/* for_each: per element (array) or bucket (hash) walked */
		const struct bpfrt_cost *fe;

		fe = an_cost_map_op(ctx, c->map_type, BPFRT_MAP_OP_FOR_EACH, fl);
		an_add(&cc->w, an_smul(c->walk, fe->worst_ps), 0, 0);
		an_add(&cc->b, an_smul(c->walk_b, fe->best_ps), 0, 0);
	}
	cc->base_w = cc->w.ps;
	if (c->kind == BPFRT_AN_K_FUNC) {
		struct an_path sw, sb;

		an_sub_path(fn, c->id, &sw, &sb);
		an_path_add(&cc->w, &sw);
		an_path_add(&cc->b, &sb);
		cc->sub = c->id;
		cc->sub_mult = 1;
	}
	if (c->n_w || c->n_b) {
		const struct bpfrt_cost *o;
		struct an_path sw, sb;

		if (c->cb != AN_NONE)
			an_sub_path(fn, c->cb, &sw, &sb);
		else
			an_cb_any(fn, &sw, &sb);
		o = an_cost_insn(ctx, BPFRT_IC_CALLBACK, fl);
		an_add(&sw, o->worst_ps, 0, 0);
		an_add(&sb, o->best_ps, 0, 0);
		an_path_mul(&sw, c->n_w);
		an_path_mul(&sb, c->n_b);
		an_path_add(&cc->w, &sw);
		an_path_add(&cc->b, &sb);
		cc->cb_over_w = an_smul(c->n_w, o->worst_ps);
		cc->sub = c->cb;
		cc->sub_mult = c->n_w;
	}
}

static bool an_is_term(const struct an_fn *fn, u32 b, u32 i)
{
	const struct an_blk *bk = &fn->blk[b];

	return (bk->flags & AN_B_TERM_JMP) && i == bk->end - 1;
}

static void an_block_cost(struct an_fn *fn, u32 b, struct an_path *w,
			  struct an_path *bst)
{
	const struct an_blk *bk = &fn->blk[b];
	/*
	 * Plain instructions are summed apart and added once: at most
	 * BPFRT_AN_MAX_INSNS of BPFRT_CM_MAX_PS each, no sum can wrap.
	 */
	u64 pw = 0, pb = 0, n = 0;
	u32 i;

	memset(w, 0, sizeof(*w));
	memset(bst, 0, sizeof(*bst));
	for (i = bk->start; i < bk->end; i++) {
		const struct bpf_insn *in = &fn->insns[i];
		int ic;

		if (an_is_term(fn, b, i))
			break;
		ic = an_insn_class(in);
		if (ic >= 0) {
			const struct bpfrt_cost *c;

			c = an_cost_insn(fn->ctx, ic, &fn->flags);
			pw += c->worst_ps;
			pb += c->best_ps;
			n++;
		} else {
			const struct an_call *call = an_find_call(fn, i);
			struct an_callcost cc;

			if (call) {
				u64 vw = w->vmin, vb = bst->vmin;

				an_call_cost(fn, call, &cc);
				an_path_add(w, &cc.w);
				an_path_add(bst, &cc.b);
				/* the callee's body is not walked here */
				w->vmin = an_sadd(vw, 1);
				bst->vmin = an_sadd(vb, 1);
			}
		}
		if (an_is_ld_imm64(in))
			i++;
	}
	an_add(w, pw, n, 0);
	an_add(bst, pb, n, 0);
}

static void an_edge_cost(struct an_fn *fn, u32 b, u32 s, struct an_path *w,
			 struct an_path *bst)
{
	static const u8 ic[] = {
		[AN_E_TAKEN] = BPFRT_IC_JMP_TAKEN,
		[AN_E_NOT_TAKEN] = BPFRT_IC_JMP_NOT_TAKEN,
		[AN_E_JA] = BPFRT_IC_JA,
		[AN_E_EXIT] = BPFRT_IC_EXIT,
	};
	u8 k = fn->blk[b].ekind[s];
	const struct bpfrt_cost *c;

	memset(w, 0, sizeof(*w));
	memset(bst, 0, sizeof(*bst));
	if (k == AN_E_FALL || k >= ARRAY_SIZE_AN(ic))
		return;
	c = an_cost_insn(fn->ctx, ic[k], &fn->flags);
	an_add(w, c->worst_ps, 1, 0);
	an_add(bst, c->best_ps, 1, 0);
}

/* ---- the per-region dynamic programme ---- */

static u32 an_edge_target(const struct an_fn *fn, u32 e)
{
	return fn->blk[e >> 1].succ[e & 1];
}

static void an_exit_push(struct an_fn *fn, u32 r, u32 x)
{
	if (r == fn->nloop) {
		fn->exit[x].next = fn->top_exits;
		fn->top_exits = x;
		fn->top_nexits++;
	} else {
		fn->exit[x].next = fn->loop[r].exits;
		fn->loop[r].exits = x;
		fn->loop[r].nexits++;
	}
}

static void an_prop(struct an_fn *fn, u32 r, u32 e, const struct an_path *pw,
		    const struct an_path *pb, u8 mp, u32 rec)
{
	bool top = r == fn->nloop;
	u32 t = an_edge_target(fn, e);
	struct an_blk *tb;

	if (t == AN_EXIT ||
	    (!top && t != fn->loop[r].header && !an_in_loop(fn, t, r))) {
		if (rec == AN_NONE) {
			if (fn->nexit >= fn->exit_cap) {
				fn->flags |= BPFRT_AN_F_IMPRECISE; /* cannot happen */
				return;
			}
			rec = fn->nexit++;
			fn->exit[rec].edge = e;
		}
		fn->exit[rec].w = *pw;
		fn->exit[rec].b = *pb;
		an_exit_push(fn, r, rec);
		return;
	}
	if (!top && t == fn->loop[r].header) {
		struct an_loop *lp = &fn->loop[r];

		if (!lp->latch_seen) {
			lp->iw = *pw;
			lp->ib = *pb;
			lp->wlatch = e;
			lp->latch_mp = mp;
			lp->latch_seen = 1;
		} else {
			if (an_path_gt(pw, &lp->iw)) {
				lp->iw = *pw;
				lp->wlatch = e;
			}
			an_path_take_best(&lp->ib, pb);
			lp->latch_mp &= mp;
		}
		return;
	}
	if (t >= fn->nblk)
		return;
	tb = &fn->blk[t];
	if (!(tb->flags & AN_B_REACHED)) {
		tb->dw = *pw;
		tb->db = *pb;
		tb->argmax = e;
		tb->mustpass = mp;
		tb->flags |= AN_B_REACHED;
		return;
	}
	if (an_path_gt(pw, &tb->dw)) {
		tb->dw = *pw;
		tb->argmax = e;
	}
	an_path_take_best(&tb->db, pb);
	tb->mustpass &= mp;
}

static bool an_is_own_header(const struct an_fn *fn, u32 x)
{
	const struct an_blk *xb = &fn->blk[x];

	return xb->loop != AN_NONE && fn->loop[xb->loop].header == x;
}

static void an_node(struct an_fn *fn, u32 r, u32 x, bool as_root)
{
	struct an_blk *xb = &fn->blk[x];
	struct an_path bw, bb, ew, eb, pw, pb;
	u32 s, c, bit = 0;
	u8 mp;

	if (!(xb->flags & AN_B_REACHED))
		return;
	if (!as_root && an_is_own_header(fn, x)) {
		/* a collapsed inner loop: continue from each of its exits */
		u32 l2 = xb->loop, e = fn->loop[l2].exits, nx;

		fn->loop[l2].exits = AN_NONE;
		while (e != AN_NONE) {
			nx = fn->exit[e].next;
			pw = xb->dw;
			pb = xb->db;
			an_path_add(&pw, &fn->exit[e].w);
			an_path_add(&pb, &fn->exit[e].b);
			an_prop(fn, r, fn->exit[e].edge, &pw, &pb,
				xb->mustpass, e);
			e = nx;
		}
		return;
	}
	mp = xb->mustpass;
	if (r != fn->nloop)
		for (c = fn->loop[r].cand; c != AN_NONE;
		     c = fn->cand[c].next, bit++)
			if (fn->cand[c].blk == x && bit < 8)
				mp |= 1u << bit;
	an_block_cost(fn, x, &bw, &bb);
	for (s = 0; s < 2; s++) {
		if (xb->succ[s] == AN_NONE)
			continue;
		an_edge_cost(fn, x, s, &ew, &eb);
		pw = xb->dw;
		pb = xb->db;
		an_path_add(&pw, &bw);
		an_path_add(&pw, &ew);
		an_path_add(&pb, &bb);
		an_path_add(&pb, &eb);
		an_prop(fn, r, an_edge(x, s), &pw, &pb, mp, AN_NONE);
	}
}

static void an_region(struct an_fn *fn, u32 r)
{
	u32 k, x;

	if (r != fn->nloop) {
		struct an_loop *lp = &fn->loop[r];
		struct an_blk *hb = &fn->blk[lp->header];

		lp->exits = AN_NONE;
		lp->nexits = 0;
		lp->latch_seen = 0;
		lp->latch_mp = 0;
		lp->wlatch = AN_NONE;
		memset(&lp->iw, 0, sizeof(lp->iw));
		memset(&lp->ib, 0, sizeof(lp->ib));
		memset(&hb->dw, 0, sizeof(hb->dw));
		memset(&hb->db, 0, sizeof(hb->db));
		hb->mustpass = 0;
		hb->flags |= AN_B_REACHED;
		an_node(fn, r, lp->header, true);
	} else {
		struct an_blk *eb = &fn->blk[0];

		memset(&eb->dw, 0, sizeof(eb->dw));
		memset(&eb->db, 0, sizeof(eb->db));
		eb->mustpass = 0;
		eb->flags |= AN_B_REACHED;
		fn->top_exits = AN_NONE;
		fn->top_nexits = 0;
	}
	for (k = fn->rstart[r]; k < fn->rstart[r + 1]; k++)
		an_node(fn, r, fn->rorder[k], false);
	if (r != fn->nloop) {
		struct an_loop *lp = &fn->loop[r];
		struct an_path it;

		an_loop_trip(fn, r);
		for (x = lp->exits; x != AN_NONE; x = fn->exit[x].next) {
			it = lp->iw;
			an_path_mul(&it, lp->trip_w);
			an_path_add(&fn->exit[x].w, &it);
			it = lp->ib;
			an_path_mul(&it, lp->trip_b);
			an_path_add(&fn->exit[x].b, &it);
		}
		fn->blk[lp->header].flags &= ~AN_B_REACHED;
	}
}

/* ---- worst-path reconstruction ---- */

static void an_plain_add(struct an_fn *fn, u32 l, u64 ps)
{
	if (l == AN_NONE)
		fn->top_plain_ps = an_sadd(fn->top_plain_ps, ps);
	else
		fn->loop[l].plain_ps = an_sadd(fn->loop[l].plain_ps, ps);
}

/* The worst path of region r passes edge e m times. */
static void an_request(struct an_fn *fn, u32 r, u32 e, u64 m)
{
	u32 src = e >> 1, l;
	struct an_path ew, eb;

	an_edge_cost(fn, src, e & 1, &ew, &eb);
	an_plain_add(fn, fn->blk[src].loop, an_smul(m, ew.ps));
	fn->blk[src].acc = an_sadd(fn->blk[src].acc, m);
	/* a multi-level exit runs each loop it leaves once more */
	for (l = fn->blk[src].loop; l != AN_NONE && l != r;
	     l = fn->loop[l].parent)
		fn->loop[l].entered = an_sadd(fn->loop[l].entered, m);
}

static void an_call_items(struct an_fn *fn, const struct an_call *c, u64 m)
{
	const struct an_fsum *sub;
	struct an_callcost cc;
	u16 kind;
	u32 id = c->id, i;

	an_call_cost(fn, c, &cc);
	switch (c->kind) {
	case BPFRT_AN_K_HELPER:
		kind = c->is_map_op ? BPFRT_AN_C_MAP_OP : BPFRT_AN_C_HELPER;
		if (c->is_map_op)
			id = c->map;
		break;
	case BPFRT_AN_K_MAP_OP:
		kind = BPFRT_AN_C_MAP_OP;
		id = c->map;
		break;
	case BPFRT_AN_K_KFUNC:
		kind = BPFRT_AN_C_KFUNC;
		break;
	case BPFRT_AN_K_FUNC:
		kind = BPFRT_AN_C_CALL;
		break;
	case BPFRT_AN_K_TAIL_CALL:
		kind = BPFRT_AN_C_TAIL_CALL;
		break;
	default:
		kind = BPFRT_AN_C_UNKNOWN_CALL;
		break;
	}
	an_item(fn, c->insn, kind, c->op, id, m, an_smul(m, cc.base_w));
	if (cc.cb_over_w)
		an_item(fn, c->insn, BPFRT_AN_C_CALLBACK, 0, c->cb,
			an_smul(m, c->n_w), an_smul(m, cc.cb_over_w));
	if (cc.sub == AN_NONE)
		return;
	sub = &fn->ctx->fsum[cc.sub];
	if (sub->state != AN_FS_DONE)
		return;
	for (i = 0; i < sub->ncontrib; i++) {
		struct bpfrt_an_contrib it = sub->contrib[i];
		u64 s = an_smul(m, cc.sub_mult);

		it.multiplier = an_smul(it.multiplier, s);
		it.cost_ps = an_smul(it.cost_ps, s);
		an_top_add(&fn->ctx->fsum[fn->idx], &it);
	}
}

static void an_contributors(struct an_fn *fn, u32 worst_exit)
{
	u32 r, k, b, i, l;

	for (b = 0; b < fn->nblk; b++)
		fn->blk[b].acc = 0;
	for (l = 0; l < fn->nloop; l++) {
		fn->loop[l].entered = 0;
		fn->loop[l].plain_ps = 0;
	}
	fn->top_plain_ps = 0;
	an_request(fn, fn->nloop, fn->exit[worst_exit].edge, 1);
	/* outer regions first: the top level, then loops outer to inner */
	for (r = 0; r <= fn->nloop; r++) {
		u32 rr = r == 0 ? fn->nloop : fn->nloop - r;

		if (rr != fn->nloop) {
			struct an_loop *lp = &fn->loop[rr];

			if (lp->entered && lp->wlatch != AN_NONE && lp->trip_w)
				an_request(fn, rr, lp->wlatch,
					   an_smul(lp->entered, lp->trip_w));
		}
		for (k = fn->rstart[rr + 1]; k-- > fn->rstart[rr]; ) {
			u32 x = fn->rorder[k];
			struct an_blk *xb = &fn->blk[x];
			u64 m = an_is_own_header(fn, x) ?
				fn->loop[xb->loop].entered : xb->acc;

			if (m && xb->argmax != AN_NONE)
				an_request(fn, rr, xb->argmax, m);
		}
	}
	for (b = 0; b < fn->nblk; b++) {
		struct an_blk *bk = &fn->blk[b];
		u64 plain = 0;	/* cannot wrap: see an_block_cost */

		if (!bk->acc)
			continue;
		for (i = bk->start; i < bk->end; i++) {
			const struct bpf_insn *in = &fn->insns[i];
			int ic;

			if (an_is_term(fn, b, i))
				break;
			ic = an_insn_class(in);
			if (ic >= 0) {
				const struct bpfrt_cost *c;

				c = an_cost_insn(fn->ctx, ic, &fn->flags);
				plain += c->worst_ps;
			} else {
				const struct an_call *call = an_find_call(fn, i);

				if (call)
					an_call_items(fn, call, bk->acc);
			}
			if (an_is_ld_imm64(in))
				i++;
		}
		an_plain_add(fn, bk->loop, an_smul(bk->acc, plain));
	}
	for (l = 0; l < fn->nloop; l++) {
		u32 h = fn->loop[l].header;

		an_item(fn, fn->blk[h].start, BPFRT_AN_C_LOOP, 0, l,
			fn->blk[h].acc, fn->loop[l].plain_ps);
	}
	an_item(fn, 0, BPFRT_AN_C_INSNS, 0, 0, 1, fn->top_plain_ps);
}

/* ---- per function ---- */

static int an_regions_order(struct an_fn *fn)
{
	u32 k, nreg = fn->nloop + 1, *cur;
	struct an_mark mark;

	fn->rorder = an_fn_alloc(fn, fn->nrpo ? fn->nrpo : 1, sizeof(u32));
	fn->rstart = an_fn_alloc(fn, nreg + 1, sizeof(u32));
	if (!fn->rorder || !fn->rstart)
		return -ENOMEM;
	mark = an_arena_mark(&fn->ctx->arena);
	cur = an_fn_alloc(fn, nreg, sizeof(u32));
	if (!cur)
		return -ENOMEM;
	/* counting sort by region, stable: RPO within each region */
	for (k = 0; k < fn->nrpo; k++)
		fn->rstart[an_region_of(fn, fn->rpo[k]) + 1]++;
	for (k = 0; k < nreg; k++)
		fn->rstart[k + 1] += fn->rstart[k];
	for (k = 0; k < nreg; k++)
		cur[k] = fn->rstart[k];
	for (k = 0; k < fn->nrpo; k++) {
		u32 b = fn->rpo[k];

		fn->rorder[cur[an_region_of(fn, b)]++] = b;
	}
	an_arena_release(&fn->ctx->arena, mark);
	return 0;
}

static int an_exits_alloc(struct an_fn *fn)
{
	u32 k, s, cnt = 0;

	for (k = 0; k < fn->nrpo; k++) {
		u32 b = fn->rpo[k], l = fn->blk[b].loop;

		for (s = 0; s < 2; s++) {
			u32 t = fn->blk[b].succ[s];

			if (t == AN_NONE)
				continue;
			if (t == AN_EXIT ||
			    (l != AN_NONE && t != fn->loop[l].header &&
			     !an_in_loop(fn, t, l)))
				cnt++;
		}
	}
	fn->exit_cap = cnt;
	fn->exit = an_fn_alloc(fn, cnt ? cnt : 1, sizeof(*fn->exit));
	return fn->exit ? 0 : -ENOMEM;
}

/* Irreducible flow: every block may run budget times. */
static void an_irreducible(struct an_fn *fn, struct an_fsum *fs)
{
	u64 budget = fn->ctx->prog->loop_insn_budget ?
		     fn->ctx->prog->loop_insn_budget :
		     BPFRT_AN_COMPLEXITY_LIMIT;
	struct an_path sum = { 0 }, bw, bb, ew, eb, mx;
	u32 k, s;

	for (k = 0; k < fn->nrpo; k++) {
		u32 b = fn->rpo[k];

		an_block_cost(fn, b, &bw, &bb);
		an_path_add(&sum, &bw);
		memset(&mx, 0, sizeof(mx));
		for (s = 0; s < 2; s++) {
			if (fn->blk[b].succ[s] == AN_NONE)
				continue;
			an_edge_cost(fn, b, s, &ew, &eb);
			if (an_path_gt(&ew, &mx))
				mx = ew;
		}
		an_path_add(&sum, &mx);
	}
	an_path_mul(&sum, budget);
	fs->w = sum;
	memset(&fs->b, 0, sizeof(fs->b));
	fn->flags |= BPFRT_AN_F_IRREDUCIBLE | BPFRT_AN_F_LOOP_UNBOUNDED;
	an_item(fn, 0, BPFRT_AN_C_INSNS, 0, 0, budget, sum.ps);
}

int an_estimate_fn(struct an_fn *fn)
{
	struct an_fsum *fs = &fn->ctx->fsum[fn->idx];
	u32 l, x, worst = AN_NONE, best = AN_NONE;
	int err;

	if (fn->irreducible) {
		an_irreducible(fn, fs);
		return 0;
	}
	err = an_regions_order(fn);
	if (!err)
		err = an_exits_alloc(fn);
	if (err)
		return err;
	for (l = 0; l < fn->nloop; l++)
		an_region(fn, l);
	an_region(fn, fn->nloop);

	for (x = fn->top_exits; x != AN_NONE; x = fn->exit[x].next) {
		if (worst == AN_NONE || an_path_gt(&fn->exit[x].w,
						   &fn->exit[worst].w))
			worst = x;
		if (best == AN_NONE || an_path_gt(&fn->exit[best].b,
						  &fn->exit[x].b))
			best = x;
	}
	if (worst == AN_NONE) {
		an_path_unbounded(&fs->w);
		an_path_unbounded(&fs->b);
		fn->flags |= BPFRT_AN_F_NO_EXIT;
		return 0;
	}
	fs->w = fn->exit[worst].w;
	fs->b = fn->exit[best].b;
	an_contributors(fn, worst);
	return 0;
}
