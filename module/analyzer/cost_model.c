// SPDX-License-Identifier: GPL-2.0
/*
 * Cost model lookups: instruction classes, helpers and map operations, with
 * the fall-backs for absent entries and the flags that say so.
 */
#include "an_internal.h"

static bool an_absent(const struct bpfrt_cost *c)
{
	return !c->best_ps && !c->typical_ps && !c->worst_ps;
}

int bpfrt_cost_model_check(const struct bpfrt_cost_model *cm)
{
	if (!cm || cm->size != sizeof(*cm) || cm->version != BPFRT_CM_VERSION ||
	    cm->reserved)
		return -EINVAL;
	return 0;
}

static int an_cm_fault(struct bpfrt_cm_where *w, u32 fault, u32 part,
		       u32 index, u32 op)
{
	if (w) {
		w->fault = fault;
		w->part = part;
		w->index = index;
		w->op = op;
	}
	return fault == BPFRT_CM_FAULT_RANGE ? -ERANGE : -EINVAL;
}

/* The rules of one entry; @measured says whether its bit is set. */
static int an_cm_entry(const struct bpfrt_cost *c, bool measured, bool used,
		       struct bpfrt_cm_where *w, u32 part, u32 index, u32 op)
{
	if (!used) {
		if (!an_absent(c))
			return an_cm_fault(w, BPFRT_CM_FAULT_UNUSED, part,
					   index, op);
		if (measured)
			return an_cm_fault(w, BPFRT_CM_FAULT_MEASURED, part,
					   index, op);
		return 0;
	}
	if (c->best_ps > c->typical_ps || c->typical_ps > c->worst_ps)
		return an_cm_fault(w, BPFRT_CM_FAULT_ORDER, part, index, op);
	if (c->worst_ps > BPFRT_CM_MAX_PS)
		return an_cm_fault(w, BPFRT_CM_FAULT_RANGE, part, index, op);
	if (measured && an_absent(c))
		return an_cm_fault(w, BPFRT_CM_FAULT_MEASURED, part, index, op);
	return 0;
}

int bpfrt_cost_model_validate(const struct bpfrt_cost_model *cm,
			      struct bpfrt_cm_where *w)
{
	u32 i, t, o, bit;
	int ret;

	if (w)
		memset(w, 0, sizeof(*w));
	if (bpfrt_cost_model_check(cm))
		return an_cm_fault(w, BPFRT_CM_FAULT_HEADER,
				   BPFRT_CM_PART_HEADER, 0, 0);
	for (i = 0; i < BPFRT_CM_INSN_CLASSES; i++) {
		bool used = i < BPFRT_IC_NR;

		if (used && an_absent(&cm->insn[i]))
			return an_cm_fault(w, BPFRT_CM_FAULT_MISSING,
					   BPFRT_CM_PART_INSN, i, 0);
		ret = an_cm_entry(&cm->insn[i], cm->insn_measured & (1u << i),
				  used, w, BPFRT_CM_PART_INSN, i, 0);
		if (ret)
			return ret;
	}
	for (i = 0; i < BPFRT_CM_MAX_HELPERS; i++) {
		bool m = cm->helper_measured[i / 64] & (1ULL << (i % 64));

		/* helper id 0 is BPF_FUNC_unspec: nothing calls it */
		ret = an_cm_entry(&cm->helper[i], m, i != 0, w,
				  BPFRT_CM_PART_HELPER, i, 0);
		if (ret)
			return ret;
	}
	for (t = 0; t < BPFRT_CM_MAX_MAP_TYPES; t++) {
		for (o = 0; o < BPFRT_CM_MAP_OPS; o++) {
			bit = t * BPFRT_CM_MAP_OPS + o;
			ret = an_cm_entry(&cm->map_op[t][o],
					  cm->map_op_measured[bit / 64] &
					  (1ULL << (bit % 64)),
					  o < BPFRT_MAP_OP_NR, w,
					  BPFRT_CM_PART_MAP_OP, t, o);
			if (ret)
				return ret;
		}
	}
	return 0;
}

/* Instruction class of a non-jump, non-call instruction; -1 otherwise. */
int an_insn_class(const struct bpf_insn *insn)
{
	u8 cls = BPF_CLASS(insn->code), op = BPF_OP(insn->code);
	static const u8 ldx[4] = { BPFRT_IC_LDX_W, BPFRT_IC_LDX_H,
				   BPFRT_IC_LDX_B, BPFRT_IC_LDX_DW };
	static const u8 st[4] = { BPFRT_IC_ST_W, BPFRT_IC_ST_H,
				  BPFRT_IC_ST_B, BPFRT_IC_ST_DW };

	switch (cls) {
	case BPF_ALU:
	case BPF_ALU64:
		if (op == BPF_MUL)
			return BPFRT_IC_MUL;
		if (op == BPF_DIV || op == BPF_MOD)
			return BPFRT_IC_DIV;
		if (op == BPF_END)
			return BPFRT_IC_ENDIAN;
		return cls == BPF_ALU ? BPFRT_IC_ALU32 : BPFRT_IC_ALU64;
	case BPF_LD:
		return an_is_ld_imm64(insn) ? BPFRT_IC_LD_IMM64 :
					      BPFRT_IC_LD_ABS;
	case BPF_LDX:
		return ldx[BPF_SIZE(insn->code) >> 3];
	case BPF_ST:
		if (insn->code == AN_NOSPEC_CODE)
			return BPFRT_IC_NOSPEC;
		return st[BPF_SIZE(insn->code) >> 3];
	case BPF_STX:
		if (BPF_MODE(insn->code) == BPF_ATOMIC)
			return insn->imm & BPF_FETCH ? BPFRT_IC_ATOMIC_FETCH :
						       BPFRT_IC_ATOMIC;
		return st[BPF_SIZE(insn->code) >> 3];
	}
	return -1;
}

/* The map operation a helper performs on the map in R1, or -1. */
int an_helper_map_op(u32 id)
{
	switch (id) {
	case BPF_FUNC_map_lookup_elem:
		return BPFRT_MAP_OP_LOOKUP;
	case BPF_FUNC_map_update_elem:
		return BPFRT_MAP_OP_UPDATE;
	case BPF_FUNC_map_delete_elem:
		return BPFRT_MAP_OP_DELETE;
	case BPF_FUNC_map_push_elem:
		return BPFRT_MAP_OP_PUSH;
	case BPF_FUNC_map_pop_elem:
		return BPFRT_MAP_OP_POP;
	case BPF_FUNC_map_peek_elem:
		return BPFRT_MAP_OP_PEEK;
	case BPF_FUNC_redirect_map:
		return BPFRT_MAP_OP_REDIRECT;
	case BPF_FUNC_for_each_map_elem:
		return BPFRT_MAP_OP_FOR_EACH;
	case BPF_FUNC_map_lookup_percpu_elem:
		return BPFRT_MAP_OP_LOOKUP_PERCPU;
	}
	return -1;
}

/*
 * Last resort when even the model's own default entry is absent: one
 * microsecond, worst. Flagged as missing.
 */
static const struct bpfrt_cost an_last_resort = {
	.best_ps = 1000, .typical_ps = 100000, .worst_ps = 1000000,
};

const struct bpfrt_cost *an_cost_insn(const struct an_ctx *ctx,
				      enum bpfrt_insn_class ic, u32 *flags)
{
	const struct bpfrt_cost *c = &ctx->cm->insn[ic];

	if (an_absent(c)) {
		*flags |= BPFRT_AN_F_MISSING_COST;
		return &an_last_resort;
	}
	if (!(ctx->cm->insn_measured & (1u << ic)))
		*flags |= BPFRT_AN_F_DEFAULT_COST;
	return c;
}

const struct bpfrt_cost *an_cost_helper(const struct an_ctx *ctx, u32 id,
					u32 *flags)
{
	const struct bpfrt_cost_model *cm = ctx->cm;

	if (id >= BPFRT_CM_MAX_HELPERS || an_absent(&cm->helper[id])) {
		*flags |= BPFRT_AN_F_MISSING_COST;
		return an_cost_insn(ctx, BPFRT_IC_HELPER_DEFAULT, flags);
	}
	if (!(cm->helper_measured[id / 64] & (1ULL << (id % 64))))
		*flags |= BPFRT_AN_F_DEFAULT_COST;
	return &cm->helper[id];
}

const struct bpfrt_cost *an_cost_map_op(const struct an_ctx *ctx, u32 type,
					u32 op, u32 *flags)
{
	const struct bpfrt_cost_model *cm = ctx->cm;
	u32 bit;

	if (type >= BPFRT_CM_MAX_MAP_TYPES || op >= BPFRT_CM_MAP_OPS ||
	    an_absent(&cm->map_op[type][op])) {
		*flags |= BPFRT_AN_F_MISSING_COST;
		return an_cost_insn(ctx, BPFRT_IC_MAP_OP_DEFAULT, flags);
	}
	bit = type * BPFRT_CM_MAP_OPS + op;
	if (!(cm->map_op_measured[bit / 64] & (1ULL << (bit % 64))))
		*flags |= BPFRT_AN_F_DEFAULT_COST;
	return &cm->map_op[type][op];
}
