/* SPDX-License-Identifier: GPL-2.0 */
/* Reading a loaded program's final instructions (see resolve.c). */
#ifndef _BPFRT_RESOLVE_H
#define _BPFRT_RESOLVE_H

#include <linux/bpf.h>
#include <linux/filter.h>

#include "analyzer/analyzer.h"

/* Where a helper or kfunc call instruction calls (do_misc_fixups). */
static inline unsigned long bpfrt_call_target(const struct bpf_insn *insn)
{
	return (unsigned long)__bpf_call_base + (long)insn->imm;
}

/*
 * The functions of *@progp as the JIT left them: a JITed multi-function
 * program has one bpf_prog per function (aux->func), anything else is one
 * (then *@fprogs is @progp itself, so @progp must outlive *@fprogs; an
 * interpreted program's functions are the analyzer splitter's). Returns
 * the number of functions, at most BPFRT_AN_MAX_FUNCS.
 */
u32 bpfrt_prog_funcs(const struct bpf_prog *const *progp,
		     const struct bpf_prog *const **fprogs);

/*
 * Resolves the call instruction @insn of @prog into an analyzer
 * annotation and the kind of its call site (BPFRT_SITE_*): bpf-to-bpf
 * call, kfunc, an operation of one of the program's maps, the verifier's
 * inlined hash lookup, a helper, or unknown (never misnamed).
 */
void bpfrt_resolve_call(const struct bpf_prog *prog, const struct bpf_insn *insn,
			struct bpfrt_an_annot *a, u16 *site_kind);

/*
 * Resolves the 64-bit load @insn (two instructions) of @prog: a callback's
 * address, one of the program's maps, a kernel pointer or a constant.
 */
void bpfrt_resolve_ld_imm64(const struct bpf_prog *prog,
			    const struct bpf_insn *insn,
			    struct bpfrt_an_annot *a);

#endif /* _BPFRT_RESOLVE_H */
