// SPDX-License-Identifier: GPL-2.0
/*
 * Value analysis: constants, frame-pointer offsets, map and callback
 * references, and induction variables, over registers and the most used
 * 8-byte stack slots.
 *
 * One forward pass in reverse postorder ignores back-edges. At a loop header
 * every location the loop may define becomes "its value at the last entry to
 * this header" (an induction value), so at each back-edge the value of a
 * location relative to the previous iteration is known: that is its step.
 * Which locations a loop defines depends on where stores through stack
 * pointers land, which this pass discovers: the pass is repeated while that
 * set grows (at most BPFRT_AN_VALUE_PASSES times, then every location is
 * assumed defined, which is always sound).
 *
 * In-states live in a fixed pool and are released once their block is
 * processed; a block that finds the pool empty starts from "unknown", which
 * only costs precision (BPFRT_AN_F_IMPRECISE).
 */
#include "an_internal.h"
#include "an_state.h"

static int an_regloc(u8 reg)
{
	if (reg == BPF_REG_10)
		return -1;
	return reg == AN_REG_AX ? AN_LOC_AX : reg;
}

static u32 an_frame_slot(s64 addr)
{
	return (u32)((-addr - 1) / 8);	/* addr in [-512, -1] */
}

/* tracked location of the aligned 8-byte slot at frame offset o, or -1 */
static int an_slot_loc(const struct an_fn *fn, s64 o)
{
	int t;

	if (o < -512 || o > -8 || (o & 7))
		return -1;
	t = fn->slot_of[an_frame_slot(o)];
	return t < 0 ? -1 : AN_LOC_SLOT0 + t;
}

/* mask of tracked locations overlapping frame bytes [o, o + size) */
static u32 an_slots_overlapping(const struct an_fn *fn, s64 o, s64 size)
{
	s64 lo = o, hi = o + size - 1;

	if (lo < -512)
		lo = -512;
	if (hi > -1)
		hi = -1;
	if (lo > hi)
		return 0;
	/* frame slots an_frame_slot(hi) .. an_frame_slot(lo) */
	return fn->slots_below[an_frame_slot(lo) + 1] &
	       ~fn->slots_below[an_frame_slot(hi)];
}

static void an_pick_slots(struct an_fn *fn)
{
	u32 i, nt = 0;

	memset(fn->slot_of, -1, sizeof(fn->slot_of));
	for (i = 0; i < fn->n && nt < AN_NSLOT; i++) {
		const struct bpf_insn *in = &fn->insns[i];
		u8 cls = BPF_CLASS(in->code);
		s64 o = in->off;
		bool fp;

		if (an_is_ld_imm64(in)) {
			i++;
			continue;
		}
		if (BPF_SIZE(in->code) != BPF_DW)
			continue;
		fp = (cls == BPF_LDX && in->src_reg == BPF_REG_10) ||
		     ((cls == BPF_ST || cls == BPF_STX) &&
		      in->dst_reg == BPF_REG_10);
		if (!fp || o < -512 || o > -8 || (o & 7))
			continue;
		if (fn->slot_of[an_frame_slot(o)] < 0)
			fn->slot_of[an_frame_slot(o)] = nt++;
	}
	fn->slots_below[0] = 0;
	for (i = 0; i < 64; i++)
		fn->slots_below[i + 1] = fn->slots_below[i] |
			(fn->slot_of[i] < 0 ? 0 :
			 1u << (AN_LOC_SLOT0 + fn->slot_of[i]));
}

static u32 an_size_bytes(u8 code)
{
	switch (BPF_SIZE(code)) {
	case BPF_B:
		return 1;
	case BPF_H:
		return 2;
	case BPF_W:
		return 4;
	}
	return 8;
}

/* Locations an instruction defines without looking at values. */
static u32 an_insn_defs(const struct an_fn *fn, const struct bpf_insn *in)
{
	u8 cls = BPF_CLASS(in->code);
	int loc;

	switch (cls) {
	case BPF_LD:
		if (an_is_ld_imm64(in)) {
			loc = an_regloc(in->dst_reg);
			return loc < 0 ? 0 : 1u << loc;
		}
		return 0x3f;	/* LD_ABS: r0, and r1-r5 scratched */
	case BPF_LDX:
	case BPF_ALU:
	case BPF_ALU64:
		loc = an_regloc(in->dst_reg);
		return loc < 0 ? 0 : 1u << loc;
	case BPF_ST:
	case BPF_STX: {
		u32 m = 0;

		if (in->code == AN_NOSPEC_CODE)
			return 0;
		if (in->dst_reg == BPF_REG_10)
			m = an_slots_overlapping(fn, in->off,
						 an_size_bytes(in->code));
		if (BPF_MODE(in->code) == BPF_ATOMIC) {
			if (in->imm == BPF_CMPXCHG)
				m |= 1;
			else if (in->imm & BPF_FETCH) {
				loc = an_regloc(in->src_reg);
				if (loc >= 0)
					m |= 1u << loc;
			}
		}
		return m;
	}
	case BPF_JMP:
		if (BPF_OP(in->code) == BPF_CALL ||
		    in->code == AN_TAIL_CALL_CODE)
			return 0x3f;
		return 0;
	}
	return 0;
}

static void an_note_defs(struct an_fn *fn, u32 blk, u32 mask)
{
	u32 l;

	for (l = fn->blk[blk].loop; l != AN_NONE; l = fn->loop[l].parent)
		fn->loop[l].viol |= mask & ~fn->loop[l].defmask;
}

static void an_syntactic_defs(struct an_fn *fn)
{
	u32 b, i, l;

	for (l = 0; l < fn->nloop; l++) {
		fn->loop[l].defmask = 0;
		fn->loop[l].fpmask = 0;
	}
	for (b = 0; b < fn->nblk; b++) {
		struct an_blk *bk = &fn->blk[b];
		u32 m = 0;

		if (bk->loop == AN_NONE || bk->rpo == AN_NONE)
			continue;
		for (i = bk->start; i < bk->end; i++) {
			m |= an_insn_defs(fn, &fn->insns[i]);
			if (an_is_ld_imm64(&fn->insns[i]))
				i++;
		}
		fn->loop[bk->loop].defmask |= m;
	}
	/* inner loops come first: fold each into its parent */
	for (l = 0; l < fn->nloop; l++)
		if (fn->loop[l].parent != AN_NONE)
			fn->loop[fn->loop[l].parent].defmask |=
				fn->loop[l].defmask;
}

/* ---- the pass ---- */

struct an_pass {
	struct an_fn *fn;
	struct an_state *w;	/* working state */
	u32 blk;
};

static struct an_val an_rd(struct an_pass *ps, u8 reg)
{
	int loc = an_regloc(reg);

	if (loc < 0)
		return an_v(AN_V_FP, 0);
	return an_get(ps->w, loc);
}

static void an_wr(struct an_pass *ps, u8 reg, struct an_val v)
{
	int loc = an_regloc(reg);

	if (loc >= 0)
		an_set(ps->w, loc, v);
}

/* A store of sv (size bytes) through base value bv + off. */
static void an_store(struct an_pass *ps, struct an_val bv, s64 off, u32 size,
		     struct an_val sv)
{
	struct an_fn *fn = ps->fn;
	u32 m;
	s64 o;

	if (bv.tag == AN_V_FP) {
		if (__builtin_add_overflow(bv.val, off, &o))
			goto any;
		if (size == 8 && an_slot_loc(fn, o) >= 0) {
			int loc = an_slot_loc(fn, o);

			an_set(ps->w, loc, sv);
			an_note_defs(fn, ps->blk, 1u << loc);
			return;
		}
		m = an_slots_overlapping(fn, o, size);
		an_set_tag(ps->w, m, AN_V_NS);
		an_note_defs(fn, ps->blk, m);
		return;
	}
	if (!an_maybe_fp(&bv))
		return;
any:
	an_set_tag(ps->w, AN_ALL_SLOTS, AN_V_ANY);
	an_note_defs(fn, ps->blk, AN_ALL_SLOTS);
}

/*
 * A callee may write our frame through a pointer argument. A helper writes
 * from the pointer up, within the size it is given; BPF code the call runs
 * (a bpf-to-bpf callee, a callback) may also write below it: the verifier
 * checks a pointer into the caller's frame against that whole frame
 * (kernel/bpf/verifier.c: check_stack_access_within_bounds), and the
 * callee may load pointers the caller spilled anywhere in it: @bpf_code
 * makes any pointer argument into this frame clobber every slot.
 */
static void an_clobber_args(struct an_pass *ps, bool bpf_code)
{
	struct an_fn *fn = ps->fn;
	u32 r, m = 0;

	for (r = BPF_REG_1; r <= BPF_REG_5; r++) {
		struct an_val v = an_get(ps->w, r);

		if (v.tag == AN_V_FP && bpf_code)
			m |= AN_ALL_SLOTS;
		else if (v.tag == AN_V_FP && v.val >= -512 && v.val < 0)
			m |= an_slots_overlapping(fn, v.val, -v.val);
		else if (an_maybe_fp(&v))
			m |= AN_ALL_SLOTS;
	}
	an_set_tag(ps->w, m, AN_V_NS);
	if (m)
		an_note_defs(fn, ps->blk, m);
}

static struct an_val an_trunc32(struct an_val v)
{
	if (v.tag == AN_V_CONST)
		return an_v(AN_V_CONST, (u32)v.val);
	if (v.tag == AN_V_IV) {
		v.vflags |= AN_VF_W32;
		return v;
	}
	return an_v(AN_V_NS, 0);
}

static bool an_fold(u8 op, bool is64, u64 a, u64 b, u64 *r)
{
	u32 sh = is64 ? 63 : 31;

	if (!is64) {
		a = (u32)a;
		b = (u32)b;
	}
	switch (op) {
	case BPF_ADD:
		*r = a + b;
		break;
	case BPF_SUB:
		*r = a - b;
		break;
	case BPF_MUL:
		*r = a * b;
		break;
	case BPF_DIV:
		*r = b ? (is64 ? an_div64(a, b) : (u32)a / (u32)b) : 0;
		break;
	case BPF_MOD:
		*r = b ? (is64 ? a - an_div64(a, b) * b : (u32)a % (u32)b) : a;
		break;
	case BPF_OR:
		*r = a | b;
		break;
	case BPF_AND:
		*r = a & b;
		break;
	case BPF_XOR:
		*r = a ^ b;
		break;
	case BPF_LSH:
		*r = a << (b & sh);
		break;
	case BPF_RSH:
		*r = a >> (b & sh);
		break;
	case BPF_ARSH:
		if (is64)
			*r = (u64)((s64)a >> (b & sh));
		else
			*r = (u32)((s32)(u32)a >> (b & sh));
		break;
	default:
		return false;
	}
	if (!is64)
		*r = (u32)*r;
	return true;
}

static void an_alu(struct an_pass *ps, const struct bpf_insn *in)
{
	bool is64 = BPF_CLASS(in->code) == BPF_ALU64;
	u8 op = BPF_OP(in->code);
	struct an_val d = an_rd(ps, in->dst_reg), s, r;
	s64 c;
	u64 f;

	s = BPF_SRC(in->code) == BPF_X ? an_rd(ps, in->src_reg) :
					 an_v(AN_V_CONST, in->imm);
	r = an_v(AN_V_NS, 0);
	if (op == BPF_MOV) {
		if (in->off != 0)	/* sign-extending move (newer ISA) */
			r = an_v(AN_V_NS, 0);
		else
			r = is64 ? s : an_trunc32(s);
	} else if (op == BPF_END || op == BPF_NEG) {
		if (op == BPF_NEG && d.tag == AN_V_CONST)
			r = an_v(AN_V_CONST, is64 ? -(u64)d.val :
				 (u32)-(u32)d.val);
	} else if (in->off != 0) {
		/* signed div/mod (newer ISA): not folded */
	} else if (d.tag == AN_V_CONST && s.tag == AN_V_CONST) {
		if (an_fold(op, is64, d.val, s.val, &f))
			r = an_v(AN_V_CONST, (s64)f);
	} else if ((op == BPF_ADD || op == BPF_SUB) &&
		   (s.tag == AN_V_CONST ||
		    (op == BPF_ADD && d.tag == AN_V_CONST))) {
		struct an_val base = s.tag == AN_V_CONST ? d : s;

		c = s.tag == AN_V_CONST ? s.val : d.val;
		if (op == BPF_SUB) {
			if (c == S64_MIN)
				goto generic;
			c = -c;
		}
		if (base.tag == AN_V_FP && is64) {
			if (__builtin_add_overflow(base.val, c, &base.val))
				r = an_v(AN_V_ANY, 0);
			else
				r = base;
		} else if (base.tag == AN_V_IV && !(is64 && (base.vflags &
							      AN_VF_W32))) {
			if (!is64)
				c = (s32)c;
			if (c > (1LL << 40) || c < -(1LL << 40) ||
			    __builtin_add_overflow(base.val, c, &base.val) ||
			    base.val > (1LL << 48) || base.val < -(1LL << 48))
				goto generic;
			if (!is64)
				base.vflags |= AN_VF_W32;
			r = base;
		} else {
			goto generic;
		}
	} else {
generic:
		if (is64 && (an_maybe_fp(&d) || an_maybe_fp(&s)))
			r = an_v(AN_V_ANY, 0);
		else
			r = an_v(AN_V_NS, 0);
	}
	an_wr(ps, in->dst_reg, r);
}

static void an_ldx(struct an_pass *ps, const struct bpf_insn *in)
{
	struct an_val b = an_rd(ps, in->src_reg), r = an_v(AN_V_NS, 0);
	u32 size = an_size_bytes(in->code);
	bool plain = BPF_MODE(in->code) == BPF_MEM;
	s64 o;

	if (b.tag == AN_V_FP && !__builtin_add_overflow(b.val, in->off, &o)) {
		int loc = an_slot_loc(ps->fn, o);

		if (size == 8 && plain)
			r = loc >= 0 ? an_get(ps->w, loc) : an_v(AN_V_ANY, 0);
	} else if (an_maybe_fp(&b) && size == 8) {
		r = an_v(AN_V_ANY, 0);
	}
	an_wr(ps, in->dst_reg, r);
}

static void an_ld_imm64(struct an_pass *ps, u32 i)
{
	const struct bpf_insn *in = &ps->fn->insns[i];
	const struct bpfrt_an_annot *a = ps->fn->annot ? &ps->fn->annot[i] :
				       NULL;
	u64 imm = (u32)in[0].imm | ((u64)(u32)in[1].imm << 32);
	struct an_val r = an_v(AN_V_NS, 0);
	u8 kind = a ? a->kind : BPFRT_AN_K_NONE;

	switch (kind) {
	case BPFRT_AN_K_LD_MAP:
		r = an_v(AN_V_MAP, a->id);
		break;
	case BPFRT_AN_K_LD_FUNC:
		r = an_v(AN_V_FUNC, a->id);
		break;
	case BPFRT_AN_K_LD_CONST:
		r = an_v(AN_V_CONST, (s64)imm);
		break;
	case BPFRT_AN_K_NONE:
		if (in->src_reg == 0)
			r = an_v(AN_V_CONST, (s64)imm);
		break;
	}
	an_wr(ps, in->dst_reg, r);
}

static bool an_is_hash(u32 type)
{
	return type == BPF_MAP_TYPE_HASH || type == BPF_MAP_TYPE_PERCPU_HASH ||
	       type == BPF_MAP_TYPE_LRU_HASH ||
	       type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
}

static u64 an_roundup_pow2(u64 x)
{
	u64 p = 1;

	while (p < x && p < (1ULL << 32))
		p <<= 1;
	return p;
}

/* Elements (callbacks) and walked entries of bpf_for_each_map_elem. */
static void an_walk_bound(const struct an_fn *fn, struct an_call *c, u32 map)
{
	const struct bpfrt_an_prog *prog = fn->ctx->prog;
	u32 m;

	c->n_b = 0;
	if (map != AN_NONE) {
		const struct bpfrt_an_map *mp = &prog->maps[map];

		c->n_w = mp->max_entries;
		c->walk = an_is_hash(mp->type) ?
			  an_roundup_pow2(mp->max_entries) : mp->max_entries;
		/*
		 * Best case: an array always has max_entries elements and the
		 * callback may stop at the first; a hash may stop at its first
		 * bucket, or be empty (no callback).
		 */
		if (mp->max_entries) {
			c->walk_b = 1;
			c->n_b = an_is_hash(mp->type) ? 0 : 1;
		}
		return;
	}
	/* unknown map: the worst map of the program */
	c->rflags |= BPFRT_AN_F_UNKNOWN_MAP;
	c->n_w = prog->map_cnt ? 0 : U32_MAX;
	c->walk = prog->map_cnt ? 0 : an_roundup_pow2(U32_MAX);
	for (m = 0; m < prog->map_cnt; m++) {
		u64 walk = an_roundup_pow2(prog->maps[m].max_entries);

		if (prog->maps[m].max_entries > c->n_w)
			c->n_w = prog->maps[m].max_entries;
		if (walk > c->walk)
			c->walk = walk;
	}
}

static u32 an_val_map(const struct an_val *v)
{
	return v->tag == AN_V_MAP ? (u32)v->val : AN_NONE;
}

static void an_set_cb(struct an_call *c, const struct an_val *v)
{
	if (v->tag == AN_V_FUNC) {
		c->cb = (u32)v->val;
	} else {
		c->cb = AN_NONE;
		c->cflags |= AN_CF_CB_UNKNOWN;
	}
}

/*
 * The call record of instruction @insn, or NULL. Blocks are visited in
 * about instruction order, so the call after the last one found is tried
 * before the binary search.
 */
struct an_call *an_find_call(struct an_fn *fn, u32 insn)
{
	u32 lo = 0, hi = fn->ncall;

	if (fn->call_next < fn->ncall && fn->call[fn->call_next].insn == insn)
		return &fn->call[fn->call_next++];
	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (fn->call[mid].insn < insn)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < fn->ncall && fn->call[lo].insn == insn) {
		fn->call_next = lo + 1;
		return &fn->call[lo];
	}
	return NULL;
}

/*
 * A loop helper's callback that returns non-zero stops the loop
 * (kernel/bpf/bpf_iter.c: bpf_loop), so the best case runs it once unless
 * every exit of the callback (analysed before its caller) returns 0.
 */
static bool an_cb_returns_zero(const struct an_fn *fn, u32 cb)
{
	const struct an_ctx *ctx = fn->ctx;

	return cb < ctx->prog->func_cnt &&
	       ctx->fsum[cb].state == AN_FS_DONE && ctx->fsum[cb].ret_zero;
}

static void an_call(struct an_pass *ps, u32 i)
{
	struct an_fn *fn = ps->fn;
	const struct bpfrt_an_prog *prog = fn->ctx->prog;
	struct an_call *c = an_find_call(fn, i);
	struct an_val w[BPF_REG_4];	/* the arguments read: r1..r3 */
	u32 r, map = AN_NONE;
	int op;

	if (!c)
		return;		/* cannot happen: every call was recorded */
	/* reset what a previous pass found */
	c->rflags = 0;
	c->cflags = 0;
	c->cb = AN_NONE;
	c->n_w = 0;
	c->n_b = 0;
	c->walk = 0;
	c->walk_b = 0;
	c->is_map_op = false;
	c->op = 0;
	c->map_type = AN_MT_NONE;
	c->map = AN_NONE;
	for (r = BPF_REG_1; r <= BPF_REG_3; r++)
		w[r] = an_get(ps->w, r);

	switch (c->kind) {
	case BPFRT_AN_K_HELPER:
		op = an_helper_map_op(c->id);
		if (op >= 0) {
			map = an_val_map(&w[BPF_REG_1]);
			c->op = op;
			if (map != AN_NONE) {
				c->is_map_op = true;
				c->map_type = prog->maps[map].type;
			} else {
				c->rflags |= BPFRT_AN_F_UNKNOWN_MAP;
			}
		}
		switch (c->id) {
		case BPF_FUNC_loop:
			if (w[BPF_REG_1].tag == AN_V_CONST) {
				u32 nr = (u32)w[BPF_REG_1].val;

				/* beyond BPF_MAX_LOOPS: -E2BIG, no callback */
				c->n_w = nr > BPFRT_AN_MAX_LOOPS_HELPER ? 0 : nr;
				c->n_b = c->n_w;
			} else {
				c->n_w = BPFRT_AN_MAX_LOOPS_HELPER;
				c->rflags |= BPFRT_AN_F_LOOP_CAPPED;
			}
			an_set_cb(c, &w[BPF_REG_2]);
			if (c->n_b > 1 && !an_cb_returns_zero(fn, c->cb))
				c->n_b = 1;
			break;
		case BPF_FUNC_for_each_map_elem:
			an_walk_bound(fn, c, map);
			an_set_cb(c, &w[BPF_REG_2]);
			break;
		case BPF_FUNC_user_ringbuf_drain:
			c->n_w = BPFRT_AN_MAX_USER_RINGBUF;
			c->rflags |= BPFRT_AN_F_LOOP_CAPPED;
			an_set_cb(c, &w[BPF_REG_2]);
			break;
		case BPF_FUNC_find_vma:
			c->n_w = 1;
			an_set_cb(c, &w[BPF_REG_3]);
			break;
		}
		break;
	case BPFRT_AN_K_MAP_OP: {
		const struct bpfrt_an_annot *a = &fn->annot[i];

		c->op = a->op;
		map = a->id != AN_NONE ? a->id : an_val_map(&w[BPF_REG_1]);
		c->is_map_op = true;
		if (map != AN_NONE) {
			c->map_type = prog->maps[map].type;
		} else {
			c->map_type = a->map_type;
			if (a->map_type == AN_MT_NONE)
				c->rflags |= BPFRT_AN_F_UNKNOWN_MAP;
		}
		if (a->op == BPFRT_MAP_OP_FOR_EACH) {
			an_walk_bound(fn, c, map);
			an_set_cb(c, &w[BPF_REG_2]);
		}
		break;
	}
	default:
		break;
	}
	c->map = map;

	an_clobber_args(ps, c->kind == BPFRT_AN_K_FUNC ||
			    c->kind == BPFRT_AN_K_UNKNOWN_CALL ||
			    c->cb != AN_NONE || (c->cflags & AN_CF_CB_UNKNOWN));
	an_set_tag(ps->w, 1u << BPF_REG_0,
		   c->kind == BPFRT_AN_K_FUNC ||
		   c->kind == BPFRT_AN_K_UNKNOWN_CALL ? AN_V_ANY : AN_V_NS);
	an_set_tag(ps->w, AN_SCRATCH_REGS, AN_V_NS);
}

static void an_insn(struct an_pass *ps, u32 i)
{
	const struct bpf_insn *in = &ps->fn->insns[i];
	u8 cls = BPF_CLASS(in->code);
	struct an_val r0;

	switch (cls) {
	case BPF_LD:
		if (an_is_ld_imm64(in)) {
			an_ld_imm64(ps, i);
		} else {	/* LD_ABS/LD_IND behave like a helper call */
			an_set_tag(ps->w, AN_SCRATCH_REGS | 1u << BPF_REG_0,
				   AN_V_NS);
		}
		break;
	case BPF_LDX:
		an_ldx(ps, in);
		break;
	case BPF_ST:
		if (in->code != AN_NOSPEC_CODE)
			an_store(ps, an_rd(ps, in->dst_reg), in->off,
				 an_size_bytes(in->code),
				 an_v(AN_V_CONST, in->imm));
		break;
	case BPF_STX:
		if (BPF_MODE(in->code) == BPF_ATOMIC) {
			an_store(ps, an_rd(ps, in->dst_reg), in->off,
				 an_size_bytes(in->code), an_v(AN_V_NS, 0));
			if (in->imm == BPF_CMPXCHG)
				an_set_tag(ps->w, 1u << BPF_REG_0, AN_V_NS);
			else if (in->imm & BPF_FETCH)
				an_wr(ps, in->src_reg, an_v(AN_V_NS, 0));
		} else {
			an_store(ps, an_rd(ps, in->dst_reg), in->off,
				 an_size_bytes(in->code),
				 an_rd(ps, in->src_reg));
		}
		break;
	case BPF_ALU:
	case BPF_ALU64:
		an_alu(ps, in);
		break;
	case BPF_JMP:
		if (BPF_OP(in->code) == BPF_CALL ||
		    in->code == AN_TAIL_CALL_CODE) {
			an_call(ps, i);
		} else if (in->code == (BPF_JMP | BPF_EXIT)) {
			r0 = an_get(ps->w, BPF_REG_0);
			if (r0.tag != AN_V_CONST || r0.val)
				ps->fn->ret_nonzero = true;
		}
		break;
	}
}

/* ---- loop candidates ---- */

static u8 an_negate(u8 op)
{
	switch (op) {
	case BPF_JEQ: return BPF_JNE;
	case BPF_JNE: return BPF_JEQ;
	case BPF_JGT: return BPF_JLE;
	case BPF_JLE: return BPF_JGT;
	case BPF_JGE: return BPF_JLT;
	case BPF_JLT: return BPF_JGE;
	case BPF_JSGT: return BPF_JSLE;
	case BPF_JSLE: return BPF_JSGT;
	case BPF_JSGE: return BPF_JSLT;
	case BPF_JSLT: return BPF_JSGE;
	}
	return 0xff;
}

/* "K op v" as "v op' K" */
static u8 an_swap(u8 op)
{
	switch (op) {
	case BPF_JGT: return BPF_JLT;
	case BPF_JLT: return BPF_JGT;
	case BPF_JGE: return BPF_JLE;
	case BPF_JLE: return BPF_JGE;
	case BPF_JSGT: return BPF_JSLT;
	case BPF_JSLT: return BPF_JSGT;
	case BPF_JSGE: return BPF_JSLE;
	case BPF_JSLE: return BPF_JSGE;
	}
	return op;
}

static void an_candidate(struct an_pass *ps, u32 i)
{
	struct an_fn *fn = ps->fn;
	const struct bpf_insn *in = &fn->insns[i];
	struct an_blk *bk = &fn->blk[ps->blk];
	u32 l = bk->loop, exit_slot;
	struct an_val d, s, iv;
	struct an_loop *lp;
	struct an_cand *c;
	bool in0, in1, swapped = false;
	u8 op;

	if (l == AN_NONE || !(bk->flags & AN_B_TERM_JMP) ||
	    bk->succ[1] == AN_NONE || BPF_OP(in->code) == BPF_JSET)
		return;
	lp = &fn->loop[l];
	in0 = an_in_loop(fn, bk->succ[0], l);
	in1 = an_in_loop(fn, bk->succ[1], l);
	if (in0 == in1)
		return;
	exit_slot = in0 ? 1 : 0;
	op = BPF_OP(in->code);
	if (exit_slot == 0)	/* leaves when the condition is false */
		op = an_negate(op);
	if (op == 0xff)
		return;
	d = an_rd(ps, in->dst_reg);
	s = BPF_SRC(in->code) == BPF_X ? an_rd(ps, in->src_reg) :
					 an_v(AN_V_CONST, in->imm);
	if (d.tag == AN_V_IV && d.loop == l && s.tag == AN_V_CONST) {
		iv = d;
	} else if (s.tag == AN_V_IV && s.loop == l && d.tag == AN_V_CONST) {
		iv = s;
		s = d;
		swapped = true;
	} else {
		return;
	}
	if (lp->ncand >= AN_MAX_CAND_PER_LOOP || fn->ncand >= fn->cand_cap)
		return;
	c = &fn->cand[fn->ncand];
	memset(c, 0, sizeof(*c));
	c->blk = ps->blk;
	c->slot = exit_slot;
	c->loc = iv.loc;
	c->op = swapped ? an_swap(op) : op;
	c->delta = iv.val;
	c->init = iv.init;
	c->bound = s.val;
	if (BPF_CLASS(in->code) == BPF_JMP32)
		c->cflags |= AN_C_JMP32;
	if (iv.vflags & AN_VF_W32)
		c->cflags |= AN_C_W32;
	if (iv.vflags & AN_VF_INIT)
		c->cflags |= AN_C_INIT;
	/* append, keeping list order = bit order in the cost pass */
	c->next = AN_NONE;
	if (lp->cand == AN_NONE) {
		lp->cand = fn->ncand;
	} else {
		u32 x = lp->cand;

		while (fn->cand[x].next != AN_NONE)
			x = fn->cand[x].next;
		fn->cand[x].next = fn->ncand;
	}
	lp->ncand++;
	fn->ncand++;
}

/* At a back-edge into loop l: the step of every candidate's location. */
static void an_latch(struct an_pass *ps, u32 l)
{
	struct an_fn *fn = ps->fn;
	struct an_loop *lp = &fn->loop[l];
	u32 x, loc;

	/*
	 * A location the loop defines comes round as an induction value,
	 * taken not to point into this frame; one that may do so on a
	 * back-edge must be ANY at the header, or a store through it would
	 * go unseen (an_store) and a counter in a stack slot could be reset
	 * behind the analysis' back. an_values() runs again with it.
	 */
	for (loc = 0; loc < AN_NLOC; loc++) {
		struct an_val v;

		/*
		 * Also the locations this pass found defined that defmask
		 * lacks: the next pass will define them, and finding now that
		 * they come round as pointers saves a pass (pyperf600: the
		 * slots a helper may write are found in the first pass, their
		 * pointers in the second; a third pass is then the last).
		 */
		if (!((lp->defmask | lp->viol) & (1u << loc)) ||
		    (lp->fpmask & (1u << loc)))
			continue;
		v = an_get(ps->w, loc);
		if (an_maybe_fp(&v))
			lp->fpviol |= 1u << loc;
	}

	for (x = fn->loop[l].cand; x != AN_NONE; x = fn->cand[x].next) {
		struct an_cand *c = &fn->cand[x];
		struct an_val cv = an_get(ps->w, c->loc);
		const struct an_val *v = &cv;

		c->latches++;
		if (v->tag != AN_V_IV || v->loop != l || v->loc != c->loc ||
		    v->val == 0) {
			c->cflags |= AN_C_BAD;
			continue;
		}
		if (v->vflags & AN_VF_W32)
			c->cflags |= AN_C_W32;
		if (!(c->cflags & AN_C_STEP)) {
			c->step = v->val;
			c->cflags |= AN_C_STEP;
		} else if (c->step != v->val) {
			c->cflags |= AN_C_BAD;
		}
	}
}

static void an_header(struct an_pass *ps, u32 l)
{
	u32 m = ps->fn->loop[l].defmask, loc;

	for (loc = 0; loc < AN_NLOC; loc++) {
		struct an_val cur, *v = &cur;
		struct an_val iv = an_v(AN_V_IV, 0);

		if (!(m & (1u << loc)))
			continue;
		if (ps->fn->loop[l].fpmask & (1u << loc)) {
			an_set_tag(ps->w, 1u << loc, AN_V_ANY);
			continue;
		}
		cur = an_get(ps->w, loc);
		iv.loop = l;
		iv.loc = loc;
		switch (v->tag) {
		case AN_V_CONST:
			iv.init = v->val;
			iv.vflags = AN_VF_INIT;
			*v = iv;
			break;
		case AN_V_NS:
		case AN_V_IV:
			*v = iv;
			break;
		case AN_V_MAP:
		case AN_V_FUNC:
			*v = an_v(AN_V_NS, 0);
			break;
		default:
			*v = an_v(AN_V_ANY, 0);
			break;
		}
		an_set(ps->w, loc, cur);
	}
}

static struct an_state *an_state_of(struct an_fn *fn, u32 b, bool alloc)
{
	struct an_blk *bk = &fn->blk[b];

	if (bk->state != AN_NONE)
		return fn->pool[bk->state];
	if (!alloc || (bk->flags & AN_B_TOP))
		return NULL;
	if (!fn->pool_nfree && fn->pool_n < fn->pool_cap) {
		/* not zeroed: an_state_fill() below writes its masks */
		struct an_state *s = an_alloc_raw(&fn->ctx->arena, 1,
						  sizeof(*s));

		if (!s) {
			fn->pool_oom = true;	/* an_values: -ENOMEM */
		} else {
			fn->pool[fn->pool_n] = s;
			fn->pool_free[fn->pool_nfree++] = fn->pool_n++;
		}
	}
	if (!fn->pool_nfree) {
		bk->flags |= AN_B_TOP;
		fn->flags |= BPFRT_AN_F_IMPRECISE;
		return NULL;
	}
	bk->state = fn->pool_free[--fn->pool_nfree];
	an_state_fill(fn->pool[bk->state], AN_V_UNDEF);
	return fn->pool[bk->state];
}

static void an_state_put(struct an_fn *fn, u32 b)
{
	struct an_blk *bk = &fn->blk[b];

	if (bk->state != AN_NONE) {
		fn->pool_free[fn->pool_nfree++] = bk->state;
		bk->state = AN_NONE;
	}
}

static void an_pass_run(struct an_fn *fn)
{
	struct an_pass ps = { .fn = fn, .w = &fn->work };
	struct an_state *in;
	u32 k, b, l, i;

	for (b = 0; b < fn->nblk; b++) {
		fn->blk[b].state = AN_NONE;
		fn->blk[b].flags &= ~AN_B_TOP;
	}
	fn->ret_nonzero = false;
	fn->pool_nfree = 0;
	for (i = 0; i < fn->pool_n; i++)
		fn->pool_free[fn->pool_nfree++] = fn->pool_n - 1 - i;
	fn->ncand = 0;
	for (l = 0; l < fn->nloop; l++) {
		fn->loop[l].cand = AN_NONE;
		fn->loop[l].ncand = 0;
		fn->loop[l].viol = 0;
		fn->loop[l].fpviol = 0;
	}
	/* entry: arguments and scratch registers are not our frame */
	in = an_state_of(fn, 0, true);
	if (!in)
		return;		/* no memory: pool_oom, an_values fails */
	an_state_fill(in, AN_V_NS);

	for (k = 0; k < fn->nrpo; k++) {
		struct an_blk *bk;
		u32 s;

		b = fn->rpo[k];
		bk = &fn->blk[b];
		ps.blk = b;
		if (!(k & 4095))
			an_yield();
		in = an_state_of(fn, b, false);
		if (in)
			an_state_copy(&fn->work, in);
		else
			an_state_fill(&fn->work, AN_V_ANY);
		an_state_put(fn, b);
		if ((bk->flags & AN_B_HEADER) && bk->loop != AN_NONE &&
		    fn->loop[bk->loop].header == b)
			an_header(&ps, bk->loop);
		for (i = bk->start; i < bk->end; i++) {
			an_insn(&ps, i);
			if (an_is_ld_imm64(&fn->insns[i]))
				i++;
		}
		if (!fn->irreducible && (bk->flags & AN_B_TERM_JMP))
			an_candidate(&ps, i - 1);
		for (s = 0; s < 2; s++) {
			u32 t = bk->succ[s];
			struct an_state *ts;

			if (t >= fn->nblk)
				continue;
			if (bk->flags & (s ? AN_B_BACK1 : AN_B_BACK0)) {
				if (!fn->irreducible && fn->blk[t].loop != AN_NONE &&
				    fn->loop[fn->blk[t].loop].header == t)
					an_latch(&ps, fn->blk[t].loop);
				continue;
			}
			ts = an_state_of(fn, t, true);
			if (ts)
				an_merge(ts, &fn->work);
		}
	}
}

int an_values(struct an_fn *fn)
{
	u32 pass, l;
	bool grew = true;

	an_pick_slots(fn);
	fn->pool_cap = fn->nblk < AN_POOL_STATES ? fn->nblk : AN_POOL_STATES;
	/*
	 * States come one by one as the pass needs them: a pass holds a few
	 * at a time, and a pool sized for every block was a large zeroed
	 * allocation for every function (Debian's kernels zero every
	 * allocation: init_on_alloc). Only entries below pool_n are read.
	 */
	fn->pool_n = 0;
	fn->pool_oom = false;
	fn->pool = an_alloc_raw(&fn->ctx->arena, fn->pool_cap,
				sizeof(*fn->pool));
	fn->pool_free = an_alloc_raw(&fn->ctx->arena, fn->pool_cap,
				     sizeof(u32));
	fn->cand_cap = fn->nloop * AN_MAX_CAND_PER_LOOP;
	if (fn->cand_cap > 16384)
		fn->cand_cap = 16384;
	fn->cand = an_fn_alloc(fn, fn->cand_cap ? fn->cand_cap : 1,
			     sizeof(*fn->cand));
	if (!fn->pool || !fn->pool_free || !fn->cand)
		return -ENOMEM;
	an_syntactic_defs(fn);
	for (pass = 0; pass < BPFRT_AN_VALUE_PASSES && grew; pass++) {
		an_pass_run(fn);
		grew = false;
		for (l = 0; l < fn->nloop; l++) {
			struct an_loop *lp = &fn->loop[l];

			if (lp->viol & ~lp->defmask) {
				lp->defmask |= lp->viol;
				grew = true;
			}
			if (lp->fpviol & ~lp->fpmask) {
				lp->fpmask |= lp->fpviol;
				grew = true;
			}
		}
		for (l = 0; l < fn->nloop; l++)
			if (fn->loop[l].parent != AN_NONE)
				fn->loop[fn->loop[l].parent].defmask |=
					fn->loop[l].defmask;
	}
	if (grew) {
		/* did not settle: every location may change in every loop */
		for (l = 0; l < fn->nloop; l++) {
			fn->loop[l].defmask = AN_ALL_LOCS;
			fn->loop[l].fpmask = AN_ALL_LOCS;
		}
		fn->flags |= BPFRT_AN_F_IMPRECISE;
		an_pass_run(fn);
	}
	return fn->pool_oom ? -ENOMEM : 0;
}
