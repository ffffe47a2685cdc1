// SPDX-License-Identifier: GPL-2.0
/*
 * Reading a loaded program's final instructions (after every verifier
 * rewrite and the JIT's fixups): its functions as the JIT left them, and
 * what each call and 64-bit load refers to, by target address. Both the
 * record (its call sites) and the estimate (the analyzer's annotations)
 * need them.
 *
 * What the final instructions look like (kernel/bpf/verifier.c):
 *  - helper calls: imm = helper function - __bpf_call_base
 *    (do_misc_fixups), map helpers already turned into the map's own
 *    operation (ops->map_lookup_elem, ...);
 *  - kfunc calls: src_reg BPF_PSEUDO_KFUNC_CALL, imm relative to
 *    __bpf_call_base (fixup_kfunc_call);
 *  - JITed multi-function programs: each function is its own bpf_prog in
 *    aux->func[], bpf-to-bpf calls and callback loads carry the callee's
 *    index in ->off (jit_subprogs);
 *  - interpreted programs: bpf-to-bpf calls are BPF_JMP|BPF_CALL_ARGS with
 *    the relative target in ->off (bpf_patch_call_args).
 */
#include <linux/bpf.h>
#include <linux/bpfrt.h>
#include <linux/filter.h>

#include "bpfrt.h"
#include "helpers.h"
#include "resolve.h"

/* Every ld_imm64 that is not a map or callback and lands here is a
 * kernel pointer (BTF object, per-CPU variable ...), not a constant.
 */
#define BPFRT_KERNEL_HALF 0xffff800000000000ULL

/* Which map operation @target is, for one of the program's maps. */
static bool bpfrt_map_op_of(const struct bpf_map *map, unsigned long target,
			    u8 *op)
{
	const struct bpf_map_ops *ops = map->ops;
	static const struct {
		size_t off;
		u8 op;
	} slots[] = {
		{ offsetof(struct bpf_map_ops, map_lookup_elem), BPFRT_MOP_LOOKUP },
		{ offsetof(struct bpf_map_ops, map_update_elem), BPFRT_MOP_UPDATE },
		{ offsetof(struct bpf_map_ops, map_delete_elem), BPFRT_MOP_DELETE },
		{ offsetof(struct bpf_map_ops, map_push_elem), BPFRT_MOP_PUSH },
		{ offsetof(struct bpf_map_ops, map_pop_elem), BPFRT_MOP_POP },
		{ offsetof(struct bpf_map_ops, map_peek_elem), BPFRT_MOP_PEEK },
		{ offsetof(struct bpf_map_ops, map_redirect), BPFRT_MOP_REDIRECT },
		{ offsetof(struct bpf_map_ops, map_for_each_callback), BPFRT_MOP_FOR_EACH },
		{ offsetof(struct bpf_map_ops, map_lookup_percpu_elem), BPFRT_MOP_LOOKUP_PERCPU },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(slots); i++) {
		unsigned long fn = *(const unsigned long *)((const u8 *)ops + slots[i].off);

		if (fn && fn == target) {
			*op = slots[i].op;
			return true;
		}
	}
	return false;
}

u32 bpfrt_prog_funcs(const struct bpf_prog *const *progp,
		     const struct bpf_prog *const **fprogs)
{
	const struct bpf_prog *prog = *progp;
	const struct bpf_prog_aux *aux = prog->aux;

	if (prog->jited && aux->func_cnt) {
		*fprogs = (const struct bpf_prog *const *)aux->func;
		return min_t(u32, aux->func_cnt, BPFRT_AN_MAX_FUNCS);
	}
	*fprogs = progp;
	return 1;
}

/*
 * The function the verifier's own inlined hash lookups call: for a lookup in
 * a hash map (plain, LRU, per-CPU, of maps) it emits "call
 * __htab_map_lookup_elem" and a few instructions instead of the map's
 * lookup operation (kernel/bpf/hashtab.c: htab_map_gen_lookup and its
 * variants). A lookup on the map in R1, not an unknown call. Resolved on
 * first use; ~0UL caches "not in this kernel".
 */
static unsigned long bpfrt_htab_lookup_fn(void)
{
	static unsigned long addr;
	unsigned long a = READ_ONCE(addr);

	if (!a) {
		a = bpfrt_lookup_name("__htab_map_lookup_elem") ?: ~0UL;
		WRITE_ONCE(addr, a);
	}
	return a == ~0UL ? 0 : a;
}

void bpfrt_resolve_call(const struct bpf_prog *prog, const struct bpf_insn *insn,
			struct bpfrt_an_annot *a, u16 *site_kind)
{
	const struct bpf_prog_aux *aux = prog->aux;
	unsigned long target;
	u32 i;
	int id;
	u8 op;

	if (insn->src_reg == BPF_PSEUDO_CALL) {
		a->kind = BPFRT_AN_K_FUNC;
		a->id = insn->off;
		*site_kind = BPFRT_SITE_FUNC;
		return;
	}
	if (insn->src_reg == BPF_PSEUDO_KFUNC_CALL) {
		a->kind = BPFRT_AN_K_KFUNC;
		*site_kind = BPFRT_SITE_KFUNC;
		return;
	}
	target = bpfrt_call_target(insn);
	for (i = 0; i < aux->used_map_cnt; i++) {
		if (bpfrt_map_op_of(aux->used_maps[i], target, &op)) {
			a->kind = BPFRT_AN_K_MAP_OP;
			a->op = op;
			a->id = i;
			a->map_type = aux->used_maps[i]->map_type;
			*site_kind = BPFRT_SITE_MAP_OP;
			return;
		}
	}
	if (target == bpfrt_htab_lookup_fn()) {
		/* no map index: the analyzer takes the map in R1 */
		a->kind = BPFRT_AN_K_MAP_OP;
		a->op = BPFRT_MOP_LOOKUP;
		a->id = BPFRT_AN_NONE;
		a->map_type = BPF_MAP_TYPE_HASH;
		*site_kind = BPFRT_SITE_MAP_OP;
		return;
	}
	id = bpfrt_helper_id(target);
	if (id > 0) {
		a->kind = BPFRT_AN_K_HELPER;
		a->id = id;
		*site_kind = BPFRT_SITE_HELPER;
		return;
	}
	a->kind = BPFRT_AN_K_UNKNOWN_CALL;
	*site_kind = BPFRT_SITE_UNKNOWN;
}

void bpfrt_resolve_ld_imm64(const struct bpf_prog *prog,
			    const struct bpf_insn *insn,
			    struct bpfrt_an_annot *a)
{
	const struct bpf_prog_aux *aux = prog->aux;
	u64 v = (u64)(u32)insn[0].imm | ((u64)(u32)insn[1].imm << 32);
	u32 i;

	if (insn->src_reg == BPF_PSEUDO_FUNC) {
		a->kind = BPFRT_AN_K_LD_FUNC;
		a->id = insn->off;
		return;
	}
	for (i = 0; i < aux->used_map_cnt; i++) {
		const struct bpf_map *map = aux->used_maps[i];

		if (v == (u64)(unsigned long)map) {
			a->kind = BPFRT_AN_K_LD_MAP;
			a->id = i;
			return;
		}
	}
	a->kind = v >= BPFRT_KERNEL_HALF ? BPFRT_AN_K_LD_OTHER :
					   BPFRT_AN_K_LD_CONST;
}
