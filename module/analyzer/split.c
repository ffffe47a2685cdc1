// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace input: one ELF program's instructions, with the subprograms
 * libbpf appends to it, split into functions and annotated the way
 * bpfrt_an_estimate() wants. In the object, a bpf-to-bpf call and a callback
 * reference carry the callee as an offset relative to the next instruction;
 * helpers carry their id. (In the kernel the module builds annotations from
 * the final program instead.)
 */
#include "an_internal.h"

static bool an_rel_target(u32 i, s32 imm, u32 cnt, u32 *t)
{
	s64 x = (s64)i + 1 + imm;

	if (x < 0 || x >= cnt)
		return false;
	*t = (u32)x;
	return true;
}

/* index of the function starting at insns[t] (funcs sorted by start) */
static u32 an_func_at(const struct bpfrt_an_func *funcs, u32 nf,
		      const struct bpf_insn *at)
{
	u32 lo = 0, hi = nf;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (funcs[mid].insns < at)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int bpfrt_an_split_raw(const struct bpf_insn *insns, __u32 cnt,
		       const __u32 *map_of_insn,
		       struct bpfrt_an_func *funcs, __u32 max_funcs,
		       struct bpfrt_an_annot *annot)
{
	u8 *start;
	u32 i, t = 0, nf = 0;
	int err = -EINVAL;

	if (!insns || !cnt || !funcs || !annot || !max_funcs)
		return -EINVAL;
	if (cnt > BPFRT_AN_MAX_INSNS)
		return -E2BIG;
	start = an_calloc(cnt, 1);	/* 1 function start, 2 second ld slot */
	if (!start)
		return -ENOMEM;
	memset(annot, 0, sizeof(*annot) * cnt);
	start[0] = 1;
	for (i = 0; i < cnt; i++) {
		const struct bpf_insn *in = &insns[i];

		if (in->code == (BPF_JMP | BPF_CALL) &&
		    in->src_reg == BPF_PSEUDO_CALL) {
			if (!an_rel_target(i, in->imm, cnt, &t))
				goto out;
			start[t] |= 1;
		} else if (an_is_ld_imm64(in)) {
			if (i + 1 >= cnt)
				goto out;
			if (in->src_reg == BPF_PSEUDO_FUNC) {
				if (!an_rel_target(i, in->imm, cnt, &t))
					goto out;
				start[t] |= 1;
			}
			start[++i] |= 2;
		}
	}
	for (i = 0; i < cnt; i++) {
		if ((start[i] & 3) == 3)
			goto out;	/* a function cannot start mid-insn */
		if (!(start[i] & 1))
			continue;
		if (nf >= max_funcs) {
			err = -E2BIG;
			goto out;
		}
		if (nf)
			funcs[nf - 1].insn_cnt = i - funcs[nf - 1].insn_cnt;
		funcs[nf].insns = &insns[i];
		funcs[nf].insn_cnt = i;	/* start, until the next one */
		funcs[nf].reserved = 0;
		funcs[nf].annot = &annot[i];
		nf++;
	}
	funcs[nf - 1].insn_cnt = cnt - funcs[nf - 1].insn_cnt;

	for (i = 0; i < cnt; i++) {
		const struct bpf_insn *in = &insns[i];
		struct bpfrt_an_annot *a = &annot[i];

		if (in->code == (BPF_JMP | BPF_CALL)) {
			switch (in->src_reg) {
			case 0:
				if (in->imm == BPF_FUNC_tail_call) {
					a->kind = BPFRT_AN_K_TAIL_CALL;
				} else if (in->imm > 0 &&
					   in->imm < BPFRT_CM_MAX_HELPERS) {
					a->kind = BPFRT_AN_K_HELPER;
					a->id = in->imm;
				} else {
					a->kind = BPFRT_AN_K_UNKNOWN_CALL;
				}
				break;
			case BPF_PSEUDO_CALL:
				an_rel_target(i, in->imm, cnt, &t);
				a->kind = BPFRT_AN_K_FUNC;
				a->id = an_func_at(funcs, nf, &insns[t]);
				break;
			case BPF_PSEUDO_KFUNC_CALL:
				a->kind = BPFRT_AN_K_KFUNC;
				a->id = in->imm;
				break;
			default:
				a->kind = BPFRT_AN_K_UNKNOWN_CALL;
				break;
			}
		} else if (an_is_ld_imm64(in)) {
			u32 m = map_of_insn ? map_of_insn[i] : AN_NONE;
			bool value = in->src_reg == BPF_PSEUDO_MAP_VALUE ||
				     in->src_reg == BPF_PSEUDO_MAP_IDX_VALUE;

			switch (in->src_reg) {
			case 0:
				a->kind = BPFRT_AN_K_LD_CONST;
				break;
			case BPF_PSEUDO_MAP_IDX:
			case BPF_PSEUDO_MAP_IDX_VALUE:
				if (m == AN_NONE)
					m = (u32)in->imm;
				break;
			case BPF_PSEUDO_FUNC:
				an_rel_target(i, in->imm, cnt, &t);
				a->kind = BPFRT_AN_K_LD_FUNC;
				a->id = an_func_at(funcs, nf, &insns[t]);
				break;
			default:
				a->kind = BPFRT_AN_K_LD_OTHER;
				break;
			}
			/* relocations not applied: src_reg 0 may be a map */
			if (a->kind != BPFRT_AN_K_LD_FUNC && m != AN_NONE) {
				a->kind = value ? BPFRT_AN_K_LD_MAP_VALUE :
						  BPFRT_AN_K_LD_MAP;
				a->id = m;
			} else if (a->kind == BPFRT_AN_K_NONE) {
				a->kind = BPFRT_AN_K_LD_OTHER;
			}
			i++;
		}
	}
	err = nf;
out:
	an_free(start);
	return err;
}
