/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `bpfrt estimate FILE.bpf.o [PROGRAM]`: the userspace analyzer's estimate
 * of the programs of an object file, before anything is loaded.
 *
 * The pure parts live here so unit tests can drive them with hand-made
 * instructions: building the analyzer's input from the instructions libbpf
 * would load (est_input.c), and printing the results (estimate.c). Only
 * opening the object and relocating it needs libbpf.
 */
#ifndef _BPFRT_ESTIMATE_H
#define _BPFRT_ESTIMATE_H

#include <stdbool.h>
#include <linux/bpf.h>
#include <linux/bpfrt.h>

#include "analyzer.h"
#include "cli.h"

/* One map of the object, in libbpf's object order (its map index). */
struct est_obj_map {
	char name[BPFRT_OBJ_NAME_LEN];	/* truncated as the kernel does */
	__u32 type;
	__u32 max_entries;
	__u32 key_size;
	__u32 value_size;
};

/*
 * The analyzer's input for one program. The maps are the ones the program
 * references, in the order of their first reference: the order in which the
 * verifier fills aux->used_maps (kernel/bpf/verifier.c:
 * resolve_pseudo_ldimm64), so map indices mean the same thing here as in
 * the module's records.
 */
struct est_input {
	struct bpfrt_an_prog prog;
	struct bpfrt_an_func *funcs;	/* BPFRT_AN_MAX_FUNCS */
	struct bpfrt_an_annot *annot;	/* one per instruction */
	__u32 *map_of_insn;		/* one per instruction */
	struct bpfrt_an_map maps[BPFRT_AN_MAX_MAPS];
	__u32 obj_map[BPFRT_AN_MAX_MAPS];	/* object index of each map */
	__u32 map_cnt;
	__u32 insn_cnt;
	/* where a malformed input was found (BPFRT_AN_NONE if not known) */
	__u32 err_insn;
};

/*
 * Builds @in from @cnt relocated instructions: maps referenced by ld_imm64
 * src_reg BPF_PSEUDO_MAP_IDX[_VALUE] with imm = index into @omaps, calls and
 * callbacks PC-relative (what libbpf produces for a loader program:
 * bpf_object__gen_loader()). @prog_type BPF_PROG_TYPE_EXT marks an
 * extension. Returns 0, or -EINVAL (in->err_insn says where), -E2BIG (more
 * maps or functions than the kernel allows) or -ENOMEM. Free with
 * est_input_free() either way.
 */
int est_input_build(struct est_input *in, const struct bpf_insn *insns,
		    __u32 cnt, const struct est_obj_map *omaps, __u32 omap_cnt,
		    __u32 prog_type);
void est_input_free(struct est_input *in);

/* Where the cost table came from. */
enum est_costs_source {
	EST_COSTS_BUILTIN,	/* this bpfrt's built-in table */
	EST_COSTS_MODULE,	/* the loaded module's table (COSTS_GET) */
};

struct est_costs {
	enum est_costs_source source;
	__u32 module_source;	/* BPFRT_COSTS_* when source is MODULE */
	char description[64];
};

/* One call instruction of a program (BPFRT_SITE_* kinds, as prog show). */
struct est_site {
	__u32 func;
	__u32 insn;		/* within the function */
	__u32 kind;		/* BPFRT_SITE_* */
	__u32 id;		/* helper id, callee function, kfunc BTF id */
};

/* One program's estimate, as printed. */
struct est_prog {
	char name[128];		/* libbpf's name (may exceed the kernel's 15) */
	char section[128];
	__u32 type;		/* BPF_PROG_TYPE_* */
	__u32 insn_cnt;		/* relocated instructions, all functions */
	__u32 func_cnt;
	int err;		/* 0 or a negative errno */
	const char *err_what;	/* "load", "input", "analyzer"... or NULL */
	char err_detail[256];	/* more words on the error, or "" */
	struct bpfrt_an_result res;
	__u32 map_cnt;
	struct bpfrt_map_desc maps[BPFRT_MAX_MAPS];
	__u32 site_cnt;
	struct est_site *sites;	/* malloc()ed, or NULL */
};

/*
 * The call sites of @in (helpers, kfuncs, bpf-to-bpf calls, tail calls as
 * the helper bpf_tail_call) into *@sites, malloc()ed. Returns their
 * number, or -ENOMEM.
 */
int est_input_sites(const struct est_input *in, struct est_site **sites);

/* The contributors of @p as the uapi's contributor records. */
__u32 est_contribs(const struct est_prog *p,
		   struct bpfrt_contrib out[BPFRT_MAX_CONTRIB]);

/*
 * Output. Text: a "costs:" line, then per program one line in the shape of
 * `bpfrt prog list` and its worst-case explanation (@detail: everything, in
 * the shape of `bpfrt prog show`). JSON: {"file", "costs", "programs": [...]}
 * with `bpfrt prog show`'s field names. Returns 0, or 1 on a write error.
 */
int est_print(struct cli_ctx *ctx, const char *file,
	      const struct est_costs *costs, const struct est_prog *progs,
	      __u32 cnt, bool detail);

#endif /* _BPFRT_ESTIMATE_H */
