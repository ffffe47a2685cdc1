// SPDX-License-Identifier: GPL-2.0
/*
 * Loops: natural loops from the back-edges of the depth-first search, their
 * nesting, reducibility, and trip counts from the candidates found by the
 * value analysis (constprop.c).
 *
 * Loop bodies are collected innermost first (headers in decreasing DFS
 * preorder) and each collected loop is collapsed into its header with a
 * union-find, so every block is walked a constant number of times: near
 * linear in the size of the function (Tarjan's and Havlak's construction,
 * without Havlak's handling of irreducible loops: those are reported and
 * costed coarsely instead).
 */
#include "an_internal.h"

static u32 an_find(u32 *uf, u32 x)
{
	u32 r = x, t;

	while (uf[r] != r)
		r = uf[r];
	while (uf[x] != r) {	/* path compression */
		t = uf[x];
		uf[x] = r;
		x = t;
	}
	return r;
}

static bool an_is_back(const struct an_blk *b, u32 s)
{
	return b->flags & (s ? AN_B_BACK1 : AN_B_BACK0);
}

/* Is blk inside loop l (directly or in a nested loop)? O(nesting depth). */
bool an_in_loop(const struct an_fn *fn, u32 blk, u32 l)
{
	u32 x;

	if (blk >= fn->nblk)
		return false;
	for (x = fn->blk[blk].loop; x != AN_NONE; x = fn->loop[x].parent)
		if (x == l)
			return true;
	return false;
}

/*
 * The region a block is a member of: the loop it is the header of is its own
 * region as root, but as a node it belongs to the parent region. Returns a
 * loop index, or fn->nloop for the top level.
 */
u32 an_region_of(const struct an_fn *fn, u32 blk)
{
	u32 l = fn->blk[blk].loop;

	if (l == AN_NONE)
		return fn->nloop;
	if (fn->loop[l].header == blk)
		l = fn->loop[l].parent;
	return l == AN_NONE ? fn->nloop : l;
}

int an_loops_find(struct an_fn *fn)
{
	u32 *uf = NULL, *byp = NULL, *work = NULL, *mark = NULL;
	u32 i, nhead = 0, nb = fn->nblk;
	struct an_mark scratch;
	int err = -ENOMEM;

	for (i = 0; i < nb; i++)
		if (fn->blk[i].rpo != AN_NONE && (fn->blk[i].flags & AN_B_HEADER))
			nhead++;
	if (nhead > BPFRT_AN_MAX_LOOPS)
		return -E2BIG;
	fn->loop = an_fn_alloc(fn, nhead ? nhead : 1, sizeof(*fn->loop));
	if (!fn->loop)
		return -ENOMEM;
	scratch = an_arena_mark(&fn->ctx->arena);
	uf = an_fn_alloc(fn, nb, sizeof(u32));
	byp = an_fn_alloc(fn, nb, sizeof(u32));	/* block by preorder number */
	work = an_fn_alloc(fn, nb, sizeof(u32));
	mark = an_fn_alloc(fn, nb, sizeof(u32));
	if (!uf || !byp || !work || !mark)
		goto out;
	for (i = 0; i < nb; i++) {
		uf[i] = i;
		mark[i] = AN_NONE;
		if (fn->blk[i].rpo != AN_NONE)
			byp[fn->blk[i].pre] = i;
	}

	for (i = fn->nrpo; i-- > 0; ) {
		u32 h = byp[i], l, wn = 0, k, p;
		struct an_blk *hb = &fn->blk[h];

		if (!(hb->flags & AN_B_HEADER))
			continue;
		l = fn->nloop++;
		fn->loop[l].header = h;
		fn->loop[l].parent = AN_NONE;
		fn->loop[l].exits = AN_NONE;
		fn->loop[l].cand = AN_NONE;
		fn->loop[l].wlatch = AN_NONE;
		if (hb->loop != AN_NONE)
			fn->loop[hb->loop].parent = l;	/* cannot happen */
		hb->loop = l;
		mark[h] = l;
		/* seed with the sources of the back-edges into h */
		for (p = fn->pred_start[h]; p < fn->pred_start[h + 1]; p++) {
			u32 s = fn->pred[p], x;
			struct an_blk *sb = &fn->blk[s];

			if (!((sb->succ[0] == h && an_is_back(sb, 0)) ||
			      (sb->succ[1] == h && an_is_back(sb, 1))))
				continue;
			if (sb->succ[0] == h && an_is_back(sb, 0))
				fn->loop[l].nlatch++;
			if (sb->succ[1] == h && an_is_back(sb, 1))
				fn->loop[l].nlatch++;
			x = an_find(uf, s);
			if (mark[x] != l) {
				mark[x] = l;
				work[wn++] = x;
			}
		}
		/* walk predecessors back to h; every block found is in the loop */
		for (k = 0; k < wn; k++) {
			u32 x = work[k];
			struct an_blk *xb = &fn->blk[x];

			if (xb->loop == AN_NONE)
				xb->loop = l;
			else if (xb->loop != l && fn->loop[xb->loop].header == x)
				fn->loop[xb->loop].parent = l;
			for (p = fn->pred_start[x]; p < fn->pred_start[x + 1];
			     p++) {
				u32 y = fn->pred[p], z;

				if (fn->blk[y].rpo == AN_NONE)
					continue;
				z = an_find(uf, y);
				if (z == h || z == x || mark[z] == l)
					continue;
				/*
				 * A natural loop lies in the DFS subtree of its
				 * header; a path into it from elsewhere means h
				 * does not dominate: irreducible.
				 */
				if (fn->blk[z].pre < hb->pre ||
				    fn->blk[z].pre > hb->last) {
					fn->irreducible = true;
					continue;
				}
				mark[z] = l;
				work[wn++] = z;
			}
		}
		for (k = 0; k < wn; k++)
			uf[work[k]] = h;
	}
	/* depths, outer loops (found last) first */
	for (i = fn->nloop; i-- > 0; ) {
		struct an_loop *lp = &fn->loop[i];

		lp->depth = lp->parent == AN_NONE ? 1 :
			    fn->loop[lp->parent].depth + 1;
		if (lp->depth > BPFRT_AN_MAX_LOOP_DEPTH) {
			err = -E2BIG;
			goto out;
		}
	}
	err = 0;
out:
	an_arena_release(&fn->ctx->arena, scratch);
	return err;
}

/* ---- trip counts ---- */

/*
 * The tested value in iteration t (t = 0, 1, ...) is A + t * step, where
 * A = init + delta. The loop leaves through the candidate's edge in the first
 * iteration whose value satisfies "v op K"; every iteration before it takes
 * the back-edge once, so the back-edge is taken at most t* times. All values
 * from A to A + t* * step must lie in the domain of the comparison (32 or 64
 * bit, signed or unsigned) so that no wrap-around happens.
 */
static bool an_ceil_div(s64 num, s64 den, s64 *q)
{
	/* num >= 0, den > 0 */
	*q = num / den + (num % den != 0);
	return true;
}

static bool an_trip_one(const struct an_cand *c, u64 *trip)
{
	bool jmp32 = c->cflags & AN_C_JMP32, w32 = c->cflags & AN_C_W32;
	bool sgn = c->op == BPF_JSGT || c->op == BPF_JSGE ||
		   c->op == BPF_JSLT || c->op == BPF_JSLE;
	bool eqne = c->op == BPF_JEQ || c->op == BPF_JNE;
	s64 lo, hi, a0, k, a, t, v, diff, step = c->step;

	if (!(c->cflags & AN_C_INIT) || !(c->cflags & AN_C_STEP) ||
	    (c->cflags & AN_C_BAD) || step == 0)
		return false;
	if (jmp32) {
		if (sgn) {
			lo = S32_MIN;
			hi = S32_MAX;
			a0 = (s32)(u32)c->init;
			k = (s32)(u32)c->bound;
		} else {
			lo = 0;
			hi = U32_MAX;
			a0 = (u32)c->init;
			k = (u32)c->bound;
		}
		if (w32 && (c->init < 0 || c->init > U32_MAX))
			return false;
	} else if (w32) {
		lo = 0;
		hi = U32_MAX;
		a0 = c->init;
		k = c->bound;
		if (!sgn && !eqne && k < 0)
			return false;	/* K as u64 beyond S64_MAX */
	} else if (sgn || eqne) {
		lo = S64_MIN;
		hi = S64_MAX;
		a0 = c->init;
		k = c->bound;
	} else {
		lo = 0;
		hi = S64_MAX;
		a0 = c->init;
		k = c->bound;
		if (k < 0)
			return false;
	}
	if (a0 < lo || a0 > hi)
		return false;
	if (__builtin_add_overflow(a0, c->delta, &a) || a < lo || a > hi)
		return false;

	switch (c->op) {
	case BPF_JEQ:
		if (__builtin_sub_overflow(k, a, &diff))
			return false;
		/* t = diff / step must be a whole number >= 0 */
		if (step == S64_MIN || diff == S64_MIN ||
		    (diff != 0 && (diff < 0) != (step < 0)))
			return false;
		if (diff < 0) {
			diff = -diff;
			step = -step;
		}
		if (diff % step != 0)
			return false;
		t = diff / step;
		step = c->step;
		break;
	case BPF_JNE:
		t = a != k ? 0 : 1;
		break;
	case BPF_JGT:
	case BPF_JSGT:
		if (a > k)
			t = 0;
		else if (step > 0 && !__builtin_sub_overflow(k, a, &diff))
			t = diff / step + 1;
		else
			return false;
		break;
	case BPF_JGE:
	case BPF_JSGE:
		if (a >= k)
			t = 0;
		else if (step > 0 && !__builtin_sub_overflow(k, a, &diff))
			an_ceil_div(diff, step, &t);
		else
			return false;
		break;
	case BPF_JLT:
	case BPF_JSLT:
		if (a < k)
			t = 0;
		else if (step < 0 && step != S64_MIN &&
			 !__builtin_sub_overflow(a, k, &diff))
			t = diff / -step + 1;
		else
			return false;
		break;
	case BPF_JLE:
	case BPF_JSLE:
		if (a <= k)
			t = 0;
		else if (step < 0 && step != S64_MIN &&
			 !__builtin_sub_overflow(a, k, &diff))
			an_ceil_div(diff, -step, &t);
		else
			return false;
		break;
	default:
		return false;
	}
	/* the value at the exit must not have wrapped either */
	if (__builtin_mul_overflow(t, step, &v) ||
	    __builtin_add_overflow(a, v, &v) || v < lo || v > hi)
		return false;
	*trip = (u64)t;
	return true;
}

static bool an_insn_is(const struct bpf_insn *in, u8 code, u8 dst, u8 src,
		       s16 off, s32 imm)
{
	return in->code == code && in->dst_reg == dst && in->src_reg == src &&
	       in->off == off && in->imm == imm;
}

bool bpfrt_an_inlined_loop_at(const struct bpf_insn *insns, u32 len,
			      u32 start)
{
	const u8 mov64 = BPF_ALU64 | BPF_MOV | BPF_X;
	const u8 stx = BPF_STX | BPF_MEM | BPF_DW;
	const u8 ldx = BPF_LDX | BPF_MEM | BPF_DW;
	const struct bpf_insn *in = insns + start;
	s16 o;
	u32 r;

	if (start > len || len - start < BPFRT_AN_INLINED_LOOP_LEN)
		return false;
	o = in[3].off;		/* where r6, r7, r8 are spilled */
	if (o > -24)
		return false;
	for (r = 0; r < 3; r++)
		if (!an_insn_is(&in[3 + r], stx, BPF_REG_10, BPF_REG_6 + r,
				o + 8 * r, 0) ||
		    !an_insn_is(&in[16 + r], ldx, BPF_REG_6 + r, BPF_REG_10,
				o + 8 * r, 0))
			return false;
	return an_insn_is(&in[0], BPF_JMP | BPF_JLE | BPF_K, BPF_REG_1, 0, 2,
			  BPFRT_AN_MAX_LOOPS_HELPER) &&
	       an_insn_is(&in[1], BPF_ALU | BPF_MOV | BPF_K, BPF_REG_0, 0, 0,
			  -E2BIG) &&
	       an_insn_is(&in[2], BPF_JMP | BPF_JA, 0, 0, 16, 0) &&
	       an_insn_is(&in[6], mov64, BPF_REG_6, BPF_REG_1, 0, 0) &&
	       an_insn_is(&in[7], BPF_ALU | BPF_MOV | BPF_K, BPF_REG_7, 0, 0,
			  0) &&
	       an_insn_is(&in[8], mov64, BPF_REG_8, BPF_REG_3, 0, 0) &&
	       an_insn_is(&in[BPFRT_AN_INLINED_LOOP_HEADER],
			  BPF_JMP | BPF_JGE | BPF_X, BPF_REG_7, BPF_REG_6, 5,
			  0) &&
	       an_insn_is(&in[10], mov64, BPF_REG_1, BPF_REG_7, 0, 0) &&
	       an_insn_is(&in[11], mov64, BPF_REG_2, BPF_REG_8, 0, 0) &&
	       in[BPFRT_AN_INLINED_LOOP_CALL].code == (BPF_JMP | BPF_CALL) &&
	       in[BPFRT_AN_INLINED_LOOP_CALL].src_reg == BPF_PSEUDO_CALL &&
	       an_insn_is(&in[13], BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_7, 0,
			  0, 1) &&
	       an_insn_is(&in[14], BPF_JMP | BPF_JEQ | BPF_K, BPF_REG_0, 0,
			  -6, 0) &&
	       an_insn_is(&in[15], mov64, BPF_REG_0, BPF_REG_7, 0, 0);
}

/*
 * The loop of an inlined bpf_loop: its count is at most BPF_MAX_LOOPS
 * whatever R1 held.
 */
static bool an_is_inlined_bpf_loop(const struct an_fn *fn, u32 h)
{
	u32 s = fn->blk[h].start;

	return s >= BPFRT_AN_INLINED_LOOP_HEADER &&
	       bpfrt_an_inlined_loop_at(fn->insns, fn->n,
					s - BPFRT_AN_INLINED_LOOP_HEADER);
}

/*
 * Decide the trip count of loop l once its iteration paths are known
 * (latch_mp says which candidates lie on every iteration).
 */
void an_loop_trip(struct an_fn *fn, u32 l)
{
	struct an_loop *lp = &fn->loop[l];
	u64 best = AN_UNB, t, budget, iter_insns;
	u32 c, bit = 0, chosen = AN_NONE;

	lp->flags &= ~(AN_L_CAPPED | AN_L_FALLBACK | AN_L_EXACT);
	if (!lp->latch_seen) {
		/* no back-edge reachable from the header: runs once */
		lp->trip_w = 0;
		lp->trip_b = 0;
		return;
	}
	for (c = lp->cand; c != AN_NONE; c = fn->cand[c].next, bit++) {
		const struct an_cand *cd = &fn->cand[c];

		if (bit >= 8 || !(lp->latch_mp & (1u << bit)))
			continue;
		if (cd->latches != lp->nlatch)
			continue;
		if (an_trip_one(cd, &t) && t < best) {
			best = t;
			chosen = c;
		}
	}
	if (chosen != AN_NONE) {
		lp->trip_w = best;
		lp->trip_b = 0;
		if (lp->nexits == 1 &&
		    fn->exit[lp->exits].edge ==
		    an_edge(fn->cand[chosen].blk, fn->cand[chosen].slot)) {
			lp->trip_b = best;
			lp->flags |= AN_L_EXACT;
		}
		return;
	}
	if (an_is_inlined_bpf_loop(fn, lp->header)) {
		lp->trip_w = BPFRT_AN_MAX_LOOPS_HELPER;
		lp->trip_b = 0;
		lp->flags |= AN_L_CAPPED;
		fn->flags |= BPFRT_AN_F_LOOP_CAPPED;
		return;
	}
	budget = fn->ctx->prog->loop_insn_budget ?
		 fn->ctx->prog->loop_insn_budget : BPFRT_AN_COMPLEXITY_LIMIT;
	/*
	 * The fewest instructions the verifier walks per iteration, not the
	 * cheapest iteration's: a costlier iteration can be shorter.
	 */
	iter_insns = lp->ib.vmin ? lp->ib.vmin : 1;
	lp->trip_w = an_div64(budget, iter_insns);
	lp->trip_b = 0;
	lp->flags |= AN_L_FALLBACK;
	fn->flags |= BPFRT_AN_F_LOOP_UNBOUNDED;
}
