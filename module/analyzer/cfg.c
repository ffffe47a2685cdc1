// SPDX-License-Identifier: GPL-2.0
/*
 * Instruction validation, basic blocks, edges, depth-first order.
 *
 * Nothing here trusts the input: every opcode, register, jump target and
 * annotation is checked before anything indexes with it.
 */
#include "an_internal.h"

static int an_bad(struct an_ctx *ctx, u32 fidx, u32 insn)
{
	ctx->err_func = fidx;
	ctx->err_insn = insn;
	return -EINVAL;
}

static bool an_valid_atomic(s32 imm)
{
	switch (imm) {
	case BPF_ADD:
	case BPF_OR:
	case BPF_AND:
	case BPF_XOR:
	case BPF_ADD | BPF_FETCH:
	case BPF_OR | BPF_FETCH:
	case BPF_AND | BPF_FETCH:
	case BPF_XOR | BPF_FETCH:
	case BPF_XCHG:
	case BPF_CMPXCHG:
		return true;
	}
	return false;
}

static bool an_annot_is_call(u8 kind)
{
	return kind >= BPFRT_AN_K_HELPER && kind <= BPFRT_AN_K_UNKNOWN_CALL;
}

static bool an_annot_is_ld(u8 kind)
{
	return kind >= BPFRT_AN_K_LD_MAP && kind <= BPFRT_AN_K_LD_OTHER;
}

static int an_check_annot(struct an_ctx *ctx, u32 fidx, u32 i, bool is_call,
			  const struct bpfrt_an_annot *a)
{
	const struct bpfrt_an_prog *prog = ctx->prog;

	if (a->kind == BPFRT_AN_K_NONE)
		return 0;
	if (a->kind >= BPFRT_AN_K_NR)
		return an_bad(ctx, fidx, i);
	if (is_call ? !an_annot_is_call(a->kind) : !an_annot_is_ld(a->kind))
		return an_bad(ctx, fidx, i);
	switch (a->kind) {
	case BPFRT_AN_K_HELPER:
		if (a->id >= BPFRT_CM_MAX_HELPERS)
			return an_bad(ctx, fidx, i);
		break;
	case BPFRT_AN_K_MAP_OP:
		if (a->op >= BPFRT_CM_MAP_OPS)
			return an_bad(ctx, fidx, i);
		if (a->id != AN_NONE && a->id >= prog->map_cnt)
			return an_bad(ctx, fidx, i);
		if (a->id == AN_NONE && a->map_type >= BPFRT_CM_MAX_MAP_TYPES &&
		    a->map_type != AN_MT_NONE)
			return an_bad(ctx, fidx, i);
		break;
	case BPFRT_AN_K_FUNC:
	case BPFRT_AN_K_LD_FUNC:
		if (a->id >= prog->func_cnt)
			return an_bad(ctx, fidx, i);
		break;
	case BPFRT_AN_K_LD_MAP:
	case BPFRT_AN_K_LD_MAP_VALUE:
		if (a->id >= prog->map_cnt)
			return an_bad(ctx, fidx, i);
		break;
	}
	return 0;
}

static bool an_reg_ok(u8 r)
{
	return r <= AN_REG_AX;
}

/* Destination registers may not be the read-only frame pointer. */
static bool an_dst_ok(u8 r)
{
	return r <= AN_REG_AX && r != BPF_REG_10;
}

/*
 * Check one function: opcodes, registers, jump targets (inside the function
 * and never into the second half of an ld_imm64), no falling off the end,
 * annotations in range.
 */
int an_cfg_validate(struct an_ctx *ctx, u32 fidx)
{
	const struct bpfrt_an_func *f = &ctx->prog->funcs[fidx];
	const struct bpf_insn *insns = f->insns;
	u32 n = f->insn_cnt, i;
	struct an_mark mark;
	u8 *second;
	int err = 0;

	if (!insns || n == 0)
		return an_bad(ctx, fidx, 0);
	mark = an_arena_mark(&ctx->arena);
	second = an_ctx_alloc(ctx, n, 1);
	if (!second)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		if (an_is_ld_imm64(&insns[i])) {
			const struct bpf_insn *h = &insns[i + 1];

			if (i + 1 >= n || h->code || h->dst_reg ||
			    h->src_reg || h->off) {
				err = an_bad(ctx, fidx, i);
				goto out;
			}
			second[++i] = 1;
		}
	}
	for (i = 0; i < n; i++) {
		const struct bpf_insn *insn = &insns[i];
		u8 cls = BPF_CLASS(insn->code), op = BPF_OP(insn->code);
		u8 mode = BPF_MODE(insn->code), size = BPF_SIZE(insn->code);
		bool falls = true, jumps = false, is_call = false;
		u32 len = 1;

		if (second[i])
			continue;
		if (!an_reg_ok(insn->dst_reg) || !an_reg_ok(insn->src_reg))
			goto bad;
		switch (cls) {
		case BPF_LD:
			if (an_is_ld_imm64(insn)) {
				if (!an_dst_ok(insn->dst_reg))
					goto bad;
				len = 2;
			} else if ((mode == BPF_ABS || mode == BPF_IND) &&
				   size != BPF_DW) {
				;
			} else {
				goto bad;
			}
			break;
		case BPF_LDX:
			if (mode != BPF_MEM && mode != AN_MODE_PROBE_MEM &&
			    mode != AN_MODE_MEMSX && mode != AN_MODE_PROBE_MEMSX)
				goto bad;
			if (!an_dst_ok(insn->dst_reg))
				goto bad;
			break;
		case BPF_ST:
			if (insn->code != AN_NOSPEC_CODE && mode != BPF_MEM)
				goto bad;
			break;
		case BPF_STX:
			if (mode == BPF_ATOMIC) {
				if (size != BPF_W && size != BPF_DW)
					goto bad;
				if (!an_valid_atomic(insn->imm))
					goto bad;
				if (insn->src_reg == BPF_REG_10)
					goto bad;
			} else if (mode != BPF_MEM) {
				goto bad;
			}
			break;
		case BPF_ALU:
		case BPF_ALU64:
			if (op > BPF_END || !an_dst_ok(insn->dst_reg))
				goto bad;
			if (op == BPF_END && insn->imm != 16 &&
			    insn->imm != 32 && insn->imm != 64)
				goto bad;
			break;
		case BPF_JMP:
			if (insn->code == AN_TAIL_CALL_CODE)
				break;
			if (op == BPF_CALL) {
				if (insn->src_reg > BPF_PSEUDO_KFUNC_CALL)
					goto bad;
				is_call = true;
				break;
			}
			if (op == BPF_EXIT) {
				falls = false;
				break;
			}
			if (op == BPF_JA)
				falls = false;
			else if (op > BPF_JSLE)
				goto bad;
			jumps = true;
			break;
		case BPF_JMP32:
			if (op == BPF_JA || op == BPF_CALL || op == BPF_EXIT ||
			    op > BPF_JSLE)
				goto bad;
			jumps = true;
			break;
		}
		if (jumps) {
			s64 t = (s64)i + 1 + insn->off;

			if (t < 0 || t >= n || second[t])
				goto bad;
		}
		if (falls && i + len >= n)
			goto bad;
		if (f->annot && (is_call || insn->code == AN_TAIL_CALL_CODE ||
				 len == 2)) {
			err = an_check_annot(ctx, fidx, i, len != 2, &f->annot[i]);
			if (err)
				goto out;
		}
		continue;
bad:
		err = an_bad(ctx, fidx, i);
		goto out;
	}
out:
	an_arena_release(&ctx->arena, mark);
	return err;
}

/*
 * Resolve a call instruction: from the annotation, else decoded raw (only a
 * plain helper call with a helper id in range can be decoded).
 */
void an_resolve_call(const struct an_fn *fn, u32 i, u8 *kind, u32 *id)
{
	const struct bpf_insn *insn = &fn->insns[i];
	const struct bpfrt_an_annot *a = fn->annot ? &fn->annot[i] : NULL;

	*id = AN_NONE;
	if (insn->code == AN_TAIL_CALL_CODE) {
		*kind = BPFRT_AN_K_TAIL_CALL;
		return;
	}
	if (a && a->kind != BPFRT_AN_K_NONE) {
		*kind = a->kind;
		*id = a->id;
		if (*kind == BPFRT_AN_K_HELPER && *id == BPF_FUNC_tail_call)
			*kind = BPFRT_AN_K_TAIL_CALL;
		return;
	}
	if (insn->src_reg == BPF_PSEUDO_KFUNC_CALL) {
		*kind = BPFRT_AN_K_KFUNC;
		return;
	}
	if (insn->src_reg == 0 && insn->imm > 0 &&
	    insn->imm < BPFRT_CM_MAX_HELPERS) {
		*kind = insn->imm == BPF_FUNC_tail_call ?
			BPFRT_AN_K_TAIL_CALL : BPFRT_AN_K_HELPER;
		*id = insn->imm;
		return;
	}
	*kind = BPFRT_AN_K_UNKNOWN_CALL;
}

static bool an_is_call(const struct bpf_insn *insn)
{
	return insn->code == (BPF_JMP | BPF_CALL) ||
	       insn->code == AN_TAIL_CALL_CODE;
}

/* Instructions after which a new block starts, with an extra exit edge. */
static bool an_ends_with_exit_edge(const struct an_fn *fn, u32 i)
{
	const struct bpf_insn *insn = &fn->insns[i];
	u8 kind;
	u32 id;

	/* LD_ABS/LD_IND end the program (returning 0) when out of bounds. */
	if (BPF_CLASS(insn->code) == BPF_LD && !an_is_ld_imm64(insn))
		return true;
	if (!an_is_call(insn))
		return false;
	an_resolve_call(fn, i, &kind, &id);
	return kind == BPFRT_AN_K_TAIL_CALL;
}

static bool an_is_jump(const struct bpf_insn *insn)
{
	u8 cls = BPF_CLASS(insn->code), op = BPF_OP(insn->code);

	if (cls != BPF_JMP && cls != BPF_JMP32)
		return false;
	return op != BPF_CALL && insn->code != AN_TAIL_CALL_CODE;
}

static int an_dfs(struct an_fn *fn)
{
	u32 *stack, *slot, sp = 0, pre = 0, post, b;
	u8 *color;	/* 0 white, 1 on stack, 2 done */
	struct an_mark mark;
	int err = -ENOMEM;

	fn->rpo = an_fn_alloc(fn, fn->nblk, sizeof(*fn->rpo));
	if (!fn->rpo)
		return -ENOMEM;
	mark = an_arena_mark(&fn->ctx->arena);	/* the rest is scratch */
	stack = an_fn_alloc(fn, fn->nblk, sizeof(*stack));
	slot = an_fn_alloc(fn, fn->nblk, sizeof(*slot));
	color = an_fn_alloc(fn, fn->nblk, 1);
	if (!stack || !slot || !color)
		goto out;

	/* count reachable blocks first so RPO numbers can be assigned */
	post = 0;
	stack[sp] = 0;
	slot[sp++] = 0;
	color[0] = 1;
	fn->blk[0].pre = pre++;
	while (sp) {
		struct an_blk *bk;
		u32 s, t;

		b = stack[sp - 1];
		bk = &fn->blk[b];
		s = slot[sp - 1];
		if (s >= 2) {
			bk->last = pre - 1;
			color[b] = 2;
			fn->rpo[post++] = b;	/* postorder for now */
			sp--;
			continue;
		}
		slot[sp - 1] = s + 1;
		t = bk->succ[s];
		if (t >= fn->nblk)
			continue;	/* AN_EXIT or AN_NONE */
		if (color[t] == 1) {
			bk->flags |= s ? AN_B_BACK1 : AN_B_BACK0;
			fn->blk[t].flags |= AN_B_HEADER;
		} else if (color[t] == 0) {
			color[t] = 1;
			fn->blk[t].pre = pre++;
			stack[sp] = t;
			slot[sp++] = 0;
		}
	}
	/* reverse the postorder in place */
	fn->nrpo = post;
	for (b = 0; b < post / 2; b++) {
		u32 tmp = fn->rpo[b];

		fn->rpo[b] = fn->rpo[post - 1 - b];
		fn->rpo[post - 1 - b] = tmp;
	}
	for (b = 0; b < post; b++)
		fn->blk[fn->rpo[b]].rpo = b;
	err = 0;
out:
	an_arena_release(&fn->ctx->arena, mark);
	return err;
}

static int an_preds(struct an_fn *fn)
{
	u32 b, s, total = 0;

	fn->pred_start = an_fn_alloc(fn, fn->nblk + 1, sizeof(u32));
	if (!fn->pred_start)
		return -ENOMEM;
	for (b = 0; b < fn->nblk; b++) {
		if (fn->blk[b].rpo == AN_NONE)
			continue;
		for (s = 0; s < 2; s++) {
			u32 t = fn->blk[b].succ[s];

			if (t < fn->nblk) {
				fn->pred_start[t + 1]++;
				total++;
			}
		}
	}
	for (b = 0; b < fn->nblk; b++)
		fn->pred_start[b + 1] += fn->pred_start[b];
	fn->pred = an_fn_alloc(fn, total ? total : 1, sizeof(u32));
	if (!fn->pred)
		return -ENOMEM;
	/* fill using blk.argmax as a temporary cursor */
	for (b = 0; b < fn->nblk; b++)
		fn->blk[b].argmax = fn->pred_start[b];
	for (b = 0; b < fn->nblk; b++) {
		if (fn->blk[b].rpo == AN_NONE)
			continue;
		for (s = 0; s < 2; s++) {
			u32 t = fn->blk[b].succ[s];

			if (t < fn->nblk)
				fn->pred[fn->blk[t].argmax++] = b;
		}
	}
	for (b = 0; b < fn->nblk; b++)
		fn->blk[b].argmax = AN_NONE;
	return 0;
}

/* Blocks, edges, calls, DFS order and predecessors of a validated function. */
int an_cfg_build(struct an_fn *fn)
{
	const struct bpf_insn *insns = fn->insns;
	u32 n = fn->n, i, b, ncall = 0;
	int err;

	fn->blk_of = an_fn_alloc(fn, n, sizeof(u32));
	if (!fn->blk_of)
		return -ENOMEM;
	/* leaders; blk_of holds 1 for a leader during this pass */
	fn->blk_of[0] = 1;
	for (i = 0; i < n; i++) {
		const struct bpf_insn *insn = &insns[i];
		u32 len = an_is_ld_imm64(insn) ? 2 : 1;

		if (an_is_call(insn))
			ncall++;
		if (an_is_jump(insn)) {
			if (BPF_OP(insn->code) != BPF_EXIT)
				fn->blk_of[i + 1 + insn->off] = 1;
			if (i + 1 < n)
				fn->blk_of[i + 1] = 1;
		} else if (an_ends_with_exit_edge(fn, i)) {
			fn->blk_of[i + 1] = 1;	/* validated: i + 1 < n */
		}
		i += len - 1;
	}
	fn->nblk = 0;
	for (i = 0; i < n; i++)
		fn->blk_of[i] = fn->blk_of[i] ? fn->nblk++ : AN_NONE;
	fn->blk = an_fn_alloc(fn, fn->nblk, sizeof(*fn->blk));
	fn->call = an_fn_alloc(fn, ncall ? ncall : 1, sizeof(*fn->call));
	if (!fn->blk || !fn->call)
		return -ENOMEM;

	b = 0;
	for (i = 0; i < n; ) {
		struct an_blk *bk = &fn->blk[b];
		u32 last = i, j;

		bk->start = i;
		bk->loop = AN_NONE;
		bk->rpo = AN_NONE;
		bk->pre = AN_NONE;
		bk->argmax = AN_NONE;
		bk->state = AN_NONE;
		bk->succ[0] = AN_NONE;
		bk->succ[1] = AN_NONE;
		for (j = i; j < n && (j == i || fn->blk_of[j] == AN_NONE); ) {
			last = j;
			if (an_is_call(&insns[j])) {
				struct an_call *c = &fn->call[fn->ncall++];

				c->insn = j;
				an_resolve_call(fn, j, &c->kind, &c->id);
				c->cb = AN_NONE;
				c->map_type = AN_MT_NONE;
			}
			j += an_is_ld_imm64(&insns[j]) ? 2 : 1;
		}
		bk->end = j;
		{
			const struct bpf_insn *t = &insns[last];
			u8 op = BPF_OP(t->code);

			if (an_is_jump(t) && op == BPF_EXIT) {
				bk->succ[0] = AN_EXIT;
				bk->ekind[0] = AN_E_EXIT;
				bk->flags |= AN_B_TERM_JMP;
			} else if (an_is_jump(t) && op == BPF_JA) {
				bk->succ[0] = fn->blk_of[last + 1 + t->off];
				bk->ekind[0] = AN_E_JA;
				bk->flags |= AN_B_TERM_JMP;
			} else if (an_is_jump(t)) {
				bk->succ[0] = fn->blk_of[j];
				bk->ekind[0] = AN_E_NOT_TAKEN;
				bk->succ[1] = fn->blk_of[last + 1 + t->off];
				bk->ekind[1] = AN_E_TAKEN;
				bk->flags |= AN_B_TERM_JMP;
			} else {
				bk->succ[0] = fn->blk_of[j];
				bk->ekind[0] = AN_E_FALL;
				if (an_ends_with_exit_edge(fn, last)) {
					bk->succ[1] = AN_EXIT;
					bk->ekind[1] = AN_E_FALL;
				}
			}
		}
		i = j;
		b++;
	}
	err = an_dfs(fn);
	if (err)
		return err;
	return an_preds(fn);
}
