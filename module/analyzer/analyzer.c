// SPDX-License-Identifier: GPL-2.0
/*
 * Entry point: input limits, validation, the call graph (callees are
 * analysed before their callers, so costs compose at each call site), and
 * the result.
 */
#include "an_internal.h"

/* The function a call or ld_imm64 at insn i refers to, or AN_NONE. */
static u32 an_func_ref(const struct bpfrt_an_func *f, u32 i)
{
	const struct bpf_insn *in = &f->insns[i];
	const struct bpfrt_an_annot *a;

	if (!f->annot)
		return AN_NONE;
	a = &f->annot[i];
	if (a->kind == BPFRT_AN_K_FUNC && in->code == (BPF_JMP | BPF_CALL))
		return a->id;
	if (a->kind == BPFRT_AN_K_LD_FUNC && an_is_ld_imm64(in))
		return a->id;
	return AN_NONE;
}

/*
 * Depth-first postorder of the functions reachable from the entry, with an
 * explicit stack (depth bounded by the number of functions).
 */
static int an_func_order(struct an_ctx *ctx, u32 *order, u32 *norder)
{
	const struct bpfrt_an_prog *prog = ctx->prog;
	struct an_mark mark = an_arena_mark(&ctx->arena);
	u32 *stack, *cursor, sp = 0, n = 0;
	u8 *color;

	stack = an_ctx_alloc(ctx, prog->func_cnt, sizeof(u32));
	cursor = an_ctx_alloc(ctx, prog->func_cnt, sizeof(u32));
	color = an_ctx_alloc(ctx, prog->func_cnt, 1);
	if (!stack || !cursor || !color) {
		an_arena_release(&ctx->arena, mark);
		return -ENOMEM;
	}
	stack[sp++] = 0;
	color[0] = 1;
	while (sp) {
		u32 f = stack[sp - 1], g = AN_NONE, i;
		const struct bpfrt_an_func *fp = &prog->funcs[f];

		for (i = cursor[f]; i < fp->insn_cnt; i++) {
			g = an_func_ref(fp, i);
			if (an_is_ld_imm64(&fp->insns[i]))
				i++;
			if (g != AN_NONE)
				break;
		}
		cursor[f] = i + 1;
		if (g == AN_NONE) {
			color[f] = 2;
			order[n++] = f;
			sp--;
			continue;
		}
		if (color[g] == 0) {
			color[g] = 1;
			stack[sp++] = g;
		} else if (color[g] == 1) {
			ctx->flags |= BPFRT_AN_F_RECURSION;
		}
	}
	*norder = n;
	an_arena_release(&ctx->arena, mark);
	return 0;
}

static int an_analyze(struct an_ctx *ctx, u32 f)
{
	const struct bpfrt_an_func *fp = &ctx->prog->funcs[f];
	struct an_fsum *fs = &ctx->fsum[f];
	struct an_mark mark = an_arena_mark(&ctx->arena);
	struct an_fn *fn;
	int err;

	fn = an_ctx_alloc(ctx, 1, sizeof(*fn));
	if (!fn)
		return -ENOMEM;
	fn->ctx = ctx;
	fn->idx = f;
	fn->insns = fp->insns;
	fn->annot = fp->annot;
	fn->n = fp->insn_cnt;
	fs->state = AN_FS_BUSY;
	err = an_cfg_build(fn);
	if (!err)
		err = an_loops_find(fn);
	if (!err)
		err = an_values(fn);
	fs->ret_zero = !err && !fn->ret_nonzero;
	if (!err)
		err = an_estimate_fn(fn);
	if (err) {
		ctx->err_func = f;
	} else {
		fs->flags |= fn->flags;
		fs->state = AN_FS_DONE;
	}
	an_arena_release(&ctx->arena, mark);
	return err;
}

static u32 an_share_pm(u64 cost, u64 total)
{
	u64 pm;

	if (!total)
		return 0;
	if (cost <= AN_UNB / 1000)
		pm = an_div64(cost * 1000, total);
	else
		pm = an_div64(cost, total / 1000 ? total / 1000 : 1);
	return pm > 1000 ? 1000 : (u32)pm;
}

static void an_result(struct an_ctx *ctx, struct bpfrt_an_result *res)
{
	const struct an_fsum *fs = &ctx->fsum[0];
	u32 i, j;

	res->best_ps = fs->b.ps;
	res->worst_ps = fs->w.ps;
	res->best_insns = fs->b.insns;
	res->worst_insns = fs->w.insns;
	res->best_helper_calls = fs->b.helpers;
	res->worst_helper_calls = fs->w.helpers;
	res->flags = fs->flags | ctx->flags;
	if (ctx->prog->flags & BPFRT_AN_PROG_EXTENSION)
		res->flags |= BPFRT_AN_F_EXTENSION;
	if (res->worst_ps == AN_UNB)
		res->flags |= BPFRT_AN_F_UNBOUNDED;
	res->best_ns = res->best_ps == AN_UNB ? AN_UNB :
		       an_div_u64(res->best_ps, 1000);
	res->worst_ns = res->worst_ps == AN_UNB ? AN_UNB :
			an_div_u64(res->worst_ps, 1000) +
			(res->worst_ps - an_div_u64(res->worst_ps, 1000) * 1000 ?
			 1 : 0);
	/* contributors, most expensive first */
	res->contrib_cnt = fs->ncontrib;
	for (i = 0; i < fs->ncontrib; i++) {
		struct bpfrt_an_contrib it = fs->contrib[i];

		it.share_pm = an_share_pm(it.cost_ps, res->worst_ps);
		for (j = i; j > 0 && res->contrib[j - 1].cost_ps < it.cost_ps; j--)
			res->contrib[j] = res->contrib[j - 1];
		res->contrib[j] = it;
	}
}

int bpfrt_an_estimate(const struct bpfrt_an_prog *prog,
		      const struct bpfrt_cost_model *cm,
		      struct bpfrt_an_result *res)
{
	struct an_ctx ctx;
	u32 *order = NULL, norder = 0, f, total = 0;
	int err;

	if (!res)
		return -EINVAL;
	memset(res, 0, sizeof(*res));
	res->err_func = AN_NONE;
	res->err_insn = AN_NONE;
	if (!prog || !prog->funcs || !prog->func_cnt ||
	    bpfrt_cost_model_check(cm))
		return -EINVAL;
	if (prog->func_cnt > BPFRT_AN_MAX_FUNCS ||
	    prog->map_cnt > BPFRT_AN_MAX_MAPS)
		return -E2BIG;
	if (prog->map_cnt && !prog->maps)
		return -EINVAL;
	for (f = 0; f < prog->func_cnt; f++) {
		if (prog->funcs[f].insn_cnt > BPFRT_AN_MAX_INSNS - total)
			return -E2BIG;
		total += prog->funcs[f].insn_cnt;
	}

	memset(&ctx, 0, sizeof(ctx));
	ctx.prog = prog;
	ctx.cm = cm;
	ctx.err_func = AN_NONE;
	ctx.err_insn = AN_NONE;
	ctx.fsum = an_ctx_alloc(&ctx, prog->func_cnt, sizeof(*ctx.fsum));
	order = an_ctx_alloc(&ctx, prog->func_cnt, sizeof(u32));
	err = -ENOMEM;
	if (!ctx.fsum || !order)
		goto out;
	for (f = 0; f < prog->func_cnt; f++) {
		err = an_cfg_validate(&ctx, f);
		if (err)
			goto out;
	}
	err = an_func_order(&ctx, order, &norder);
	if (err)
		goto out;
	for (f = 0; f < norder; f++) {
		an_yield();
		err = an_analyze(&ctx, order[f]);
		if (err)
			goto out;
	}
	an_result(&ctx, res);
out:
	if (err) {
		res->err_func = ctx.err_func;
		res->err_insn = ctx.err_insn;
	}
	an_arena_destroy(&ctx.arena);
	return err;
}
