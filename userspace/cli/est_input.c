// SPDX-License-Identifier: GPL-2.0
/*
 * The analyzer's input for one program of an object file, built from the
 * instructions libbpf would load: relocated, with the subprograms it calls
 * appended, maps as BPF_PSEUDO_MAP_IDX[_VALUE] with the object's map index.
 * This mirrors what the module builds from the kernel's final program
 * (module/prog_estimate.c): the same function split (one function per call or
 * callback target, in instruction order, as the verifier's subprogs), and
 * the same map indices (first reference order, as aux->used_maps).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "estimate.h"

static bool is_ld_imm64(const struct bpf_insn *in)
{
	return in->code == (BPF_LD | BPF_IMM | BPF_DW);
}

static bool is_map_ld(const struct bpf_insn *in)
{
	return in->src_reg == BPF_PSEUDO_MAP_IDX ||
	       in->src_reg == BPF_PSEUDO_MAP_IDX_VALUE;
}

/* The target of a PC-relative call or callback is inside the program. */
static bool rel_ok(__u32 i, __s32 imm, __u32 cnt)
{
	__s64 t = (__s64)i + 1 + imm;

	return t >= 0 && t < cnt;
}

/*
 * Finds what bpfrt_an_split_raw() would refuse, so the error can say where:
 * a truncated ld_imm64, a call or callback target outside the program, or a
 * function starting in the second half of an ld_imm64.
 */
static int check_shape(struct est_input *in, const struct bpf_insn *insns,
		       __u32 cnt)
{
	unsigned char *second;
	__u32 i;
	int err = 0;

	second = calloc(cnt, 1);
	if (!second)
		return -ENOMEM;
	for (i = 0; i < cnt; i++) {
		if (!is_ld_imm64(&insns[i]))
			continue;
		if (i + 1 >= cnt) {
			in->err_insn = i;
			err = -EINVAL;
			goto out;
		}
		second[++i] = 1;
	}
	for (i = 0; i < cnt; i++) {
		const struct bpf_insn *x = &insns[i];
		bool call = x->code == (BPF_JMP | BPF_CALL) &&
			    x->src_reg == BPF_PSEUDO_CALL;
		bool cb = is_ld_imm64(x) && x->src_reg == BPF_PSEUDO_FUNC;

		if (!call && !cb)
			continue;
		if (!rel_ok(i, x->imm, cnt) ||
		    second[(__s64)i + 1 + x->imm]) {
			in->err_insn = i;
			err = -EINVAL;
			goto out;
		}
	}
out:
	free(second);
	return err;
}

/* The program's map index of object map @idx, added on first reference. */
static int use_map(struct est_input *in, const struct est_obj_map *omaps,
		   __u32 idx)
{
	const struct est_obj_map *m = &omaps[idx];
	__u32 k;

	for (k = 0; k < in->map_cnt; k++)
		if (in->obj_map[k] == idx)
			return k;
	if (in->map_cnt >= BPFRT_AN_MAX_MAPS)
		return -E2BIG;
	k = in->map_cnt++;
	in->obj_map[k] = idx;
	in->maps[k].type = m->type;
	in->maps[k].max_entries = m->max_entries;
	in->maps[k].key_size = m->key_size;
	in->maps[k].value_size = m->value_size;
	return k;
}

int est_input_build(struct est_input *in, const struct bpf_insn *insns,
		    __u32 cnt, const struct est_obj_map *omaps, __u32 omap_cnt,
		    __u32 prog_type)
{
	__u32 i;
	int n;

	memset(in, 0, sizeof(*in));
	in->err_insn = BPFRT_AN_NONE;
	in->insn_cnt = cnt;
	if (!insns || !cnt)
		return -EINVAL;
	if (cnt > BPFRT_AN_MAX_INSNS)
		return -E2BIG;
	in->funcs = calloc(BPFRT_AN_MAX_FUNCS, sizeof(*in->funcs));
	in->annot = calloc(cnt, sizeof(*in->annot));
	in->map_of_insn = calloc(cnt, sizeof(*in->map_of_insn));
	if (!in->funcs || !in->annot || !in->map_of_insn)
		return -ENOMEM;

	n = check_shape(in, insns, cnt);
	if (n)
		return n;
	for (i = 0; i < cnt; i++) {
		const struct bpf_insn *x = &insns[i];

		in->map_of_insn[i] = BPFRT_AN_NONE;
		if (!is_ld_imm64(x))
			continue;
		if (is_map_ld(x)) {
			if ((__u32)x->imm >= omap_cnt) {
				in->err_insn = i;
				return -EINVAL;
			}
			n = use_map(in, omaps, (__u32)x->imm);
			if (n < 0)
				return n;
			in->map_of_insn[i] = n;
		}
		i++;	/* the second slot */
		in->map_of_insn[i] = BPFRT_AN_NONE;
	}

	n = bpfrt_an_split_raw(insns, cnt, in->map_of_insn, in->funcs,
			       BPFRT_AN_MAX_FUNCS, in->annot);
	if (n < 0)
		return n;
	in->prog.funcs = in->funcs;
	in->prog.func_cnt = n;
	in->prog.maps = in->maps;
	in->prog.map_cnt = in->map_cnt;
	if (prog_type == BPF_PROG_TYPE_EXT)
		in->prog.flags |= BPFRT_AN_PROG_EXTENSION;
	return 0;
}

int est_input_sites(const struct est_input *in, struct est_site **sites)
{
	struct est_site *out = NULL, *q;
	__u32 f, i, n = 0;

	*sites = NULL;
	for (f = 0; f < in->prog.func_cnt; f++) {
		const struct bpfrt_an_func *fn = &in->prog.funcs[f];

		for (i = 0; i < fn->insn_cnt; i++) {
			const struct bpfrt_an_annot *a = &fn->annot[i];
			struct est_site s = { .func = f, .insn = i, .id = a->id };

			if (fn->insns[i].code != (BPF_JMP | BPF_CALL))
				continue;
			switch (a->kind) {
			case BPFRT_AN_K_HELPER:
				s.kind = BPFRT_SITE_HELPER;
				break;
			case BPFRT_AN_K_TAIL_CALL:
				s.kind = BPFRT_SITE_HELPER;
				s.id = BPF_FUNC_tail_call;
				break;
			case BPFRT_AN_K_KFUNC:
				s.kind = BPFRT_SITE_KFUNC;
				break;
			case BPFRT_AN_K_FUNC:
				s.kind = BPFRT_SITE_FUNC;
				break;
			default:
				s.kind = BPFRT_SITE_UNKNOWN;
				s.id = BPFRT_AN_NONE;
				break;
			}
			q = realloc(out, (n + 1) * sizeof(*out));
			if (!q) {
				free(out);
				return -ENOMEM;
			}
			out = q;
			out[n++] = s;
		}
	}
	*sites = out;
	return n;
}

void est_input_free(struct est_input *in)
{
	free(in->funcs);
	free(in->annot);
	free(in->map_of_insn);
	in->funcs = NULL;
	in->annot = NULL;
	in->map_of_insn = NULL;
}
