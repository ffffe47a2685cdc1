/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bpfrt analyzer: best-case and worst-case runtime of a BPF program from its
 * instructions and a cost model.
 *
 * The same sources build into the kernel module (analysing the final, fixed-up
 * program) and into userspace (analysing the programs of a .bpf.o). The caller
 * resolves what each call and each ld_imm64 refers to, because that differs
 * between the two, and passes it as an annotation array parallel to the
 * instructions of every function.
 *
 * Units: costs are picoseconds (_ps), results are also given in nanoseconds
 * (_ns). All arithmetic saturates: BPFRT_AN_UNBOUNDED (U64 max) means "no
 * finite bound", and is never the result of a wrap-around.
 *
 * The analysis is linear in the program size (one depth-first search, one
 * loop-nesting pass using union-find, at most BPFRT_AN_VALUE_PASSES forward
 * passes of constant propagation and one dynamic-programming pass per loop
 * nest level) and its memory is O(instructions + functions + maps).
 */
#ifndef BPFRT_ANALYZER_H
#define BPFRT_ANALYZER_H

#include <linux/types.h>
#include <linux/bpf.h>
#ifndef __KERNEL__
#include <stdbool.h>
#endif

/* ------------------------------------------------------------------------
 * Limits. Inputs beyond them are rejected with -E2BIG.
 */

/* Total instructions over all functions: prog->len is capped by
 * BPF_COMPLEXITY_LIMIT_INSNS (1M) for privileged loaders.
 */
#define BPFRT_AN_MAX_INSNS		1000000u
/* Functions per program: the verifier's BPF_MAX_SUBPROGS is 256. */
#define BPFRT_AN_MAX_FUNCS		256u
/* Maps per program: MAX_USED_MAPS is 64. */
#define BPFRT_AN_MAX_MAPS		64u
/* Loops per function and loop nesting depth; far beyond what a verified
 * program can contain, they only bound the analysis of hostile input.
 */
#define BPFRT_AN_MAX_LOOPS		65536u
#define BPFRT_AN_MAX_LOOP_DEPTH		64u

/* Kernel constants the bounds depend on (include/linux/bpf.h, 6.1). */
#define BPFRT_AN_MAX_LOOPS_HELPER	(1u << 23)	/* BPF_MAX_LOOPS */
#define BPFRT_AN_MAX_USER_RINGBUF	(128u * 1024)	/* BPF_MAX_USER_RINGBUF_SAMPLES */
#define BPFRT_AN_COMPLEXITY_LIMIT	1000000u	/* BPF_COMPLEXITY_LIMIT_INSNS */

#define BPFRT_AN_UNBOUNDED		(~(__u64)0)
#define BPFRT_AN_NONE			(~(__u32)0)

/* ------------------------------------------------------------------------
 * Cost model. Flat and fixed-width so it can be passed by ioctl unchanged.
 */

/* Instruction classes (index into bpfrt_cost_model.insn). */
enum bpfrt_insn_class {
	BPFRT_IC_ALU32,		/* 32-bit ALU except mul/div/mod, incl. mov */
	BPFRT_IC_ALU64,		/* 64-bit ALU except mul/div/mod, incl. mov */
	BPFRT_IC_MUL,		/* mul, 32 and 64 bit */
	BPFRT_IC_DIV,		/* div and mod, 32 and 64 bit */
	BPFRT_IC_ENDIAN,	/* byte swaps */
	BPFRT_IC_LDX_B,		/* loads by size */
	BPFRT_IC_LDX_H,
	BPFRT_IC_LDX_W,
	BPFRT_IC_LDX_DW,
	BPFRT_IC_ST_B,		/* stores (ST and STX) by size */
	BPFRT_IC_ST_H,
	BPFRT_IC_ST_W,
	BPFRT_IC_ST_DW,
	BPFRT_IC_ATOMIC,	/* atomic add/and/or/xor without fetch */
	BPFRT_IC_ATOMIC_FETCH,	/* fetch variants, xchg, cmpxchg */
	BPFRT_IC_LD_IMM64,
	BPFRT_IC_LD_ABS,	/* legacy packet loads (LD_ABS/LD_IND) */
	BPFRT_IC_JMP_TAKEN,	/* conditional jump, taken */
	BPFRT_IC_JMP_NOT_TAKEN,	/* conditional jump, falls through */
	BPFRT_IC_JA,		/* unconditional jump */
	BPFRT_IC_CALL_FUNC,	/* bpf-to-bpf call + its exit, excl. callee body */
	BPFRT_IC_EXIT,		/* program exit */
	BPFRT_IC_CALLBACK,	/* one callback invocation by a loop helper */
	BPFRT_IC_TAIL_CALL,	/* tail call, either outcome */
	BPFRT_IC_KFUNC,		/* default for a kfunc call */
	BPFRT_IC_UNKNOWN_CALL,	/* default for a call whose target is unknown */
	BPFRT_IC_HELPER_DEFAULT,/* helper without an entry in the table */
	BPFRT_IC_MAP_OP_DEFAULT,/* map operation without an entry */
	BPFRT_IC_NOSPEC,	/* speculation barrier the verifier inserts */
	BPFRT_IC_NR,
};

#define BPFRT_CM_INSN_CLASSES	32
#define BPFRT_CM_MAX_HELPERS	512
#define BPFRT_CM_MAX_MAP_TYPES	64
#define BPFRT_CM_MAP_OPS	16

/* Map operations (second index of bpfrt_cost_model.map_op). */
enum bpfrt_map_op {
	BPFRT_MAP_OP_LOOKUP,
	BPFRT_MAP_OP_UPDATE,
	BPFRT_MAP_OP_DELETE,
	BPFRT_MAP_OP_PUSH,
	BPFRT_MAP_OP_POP,
	BPFRT_MAP_OP_PEEK,
	BPFRT_MAP_OP_REDIRECT,
	/* per element (array) or bucket (hash) walked, excluding the callback */
	BPFRT_MAP_OP_FOR_EACH,
	BPFRT_MAP_OP_LOOKUP_PERCPU,
	BPFRT_MAP_OP_NR,
};

/*
 * One cost entry. An entry whose three values are all zero is absent: the
 * analyzer uses the category default and sets BPFRT_AN_F_MISSING_COST.
 */
struct bpfrt_cost {
	__u64 best_ps;
	__u64 typical_ps;
	__u64 worst_ps;
};

#define BPFRT_CM_VERSION	1

struct bpfrt_cost_model {
	__u32 size;		/* sizeof(struct bpfrt_cost_model) */
	__u32 version;		/* BPFRT_CM_VERSION */
	__u32 insn_measured;	/* bit per bpfrt_insn_class: value was measured */
	__u32 reserved;		/* must be zero */
	/* bit per helper id / per (map type * BPFRT_CM_MAP_OPS + op) */
	__u64 helper_measured[BPFRT_CM_MAX_HELPERS / 64];
	__u64 map_op_measured[BPFRT_CM_MAX_MAP_TYPES * BPFRT_CM_MAP_OPS / 64];
	struct bpfrt_cost insn[BPFRT_CM_INSN_CLASSES];
	struct bpfrt_cost helper[BPFRT_CM_MAX_HELPERS];
	struct bpfrt_cost map_op[BPFRT_CM_MAX_MAP_TYPES][BPFRT_CM_MAP_OPS];
};

/* Fill @cm with the conservative built-in table (default_costs.c). */
void bpfrt_cost_model_default(struct bpfrt_cost_model *cm);
/* 0, or -EINVAL when size/version/reserved are wrong. */
int bpfrt_cost_model_check(const struct bpfrt_cost_model *cm);

/*
 * A single operation costing more than this (one second) is not a cost,
 * it is a mistake; refusing it also keeps every sum of a few million of
 * them far from saturation.
 */
#define BPFRT_CM_MAX_PS		1000000000000ULL

/* Why bpfrt_cost_model_validate() refused a table. */
enum bpfrt_cm_fault {
	BPFRT_CM_FAULT_NONE,
	BPFRT_CM_FAULT_HEADER,		/* size, version or reserved */
	BPFRT_CM_FAULT_MISSING,		/* an instruction class has no cost */
	BPFRT_CM_FAULT_ORDER,		/* best > typical or typical > worst */
	BPFRT_CM_FAULT_RANGE,		/* a value above BPFRT_CM_MAX_PS */
	/* measured bit on an absent or unused entry */
	BPFRT_CM_FAULT_MEASURED,
	BPFRT_CM_FAULT_UNUSED,		/* a value in a slot nothing uses */
	BPFRT_CM_FAULT_NR,
};

/* Which part of the table a fault is in. */
enum bpfrt_cm_part {
	BPFRT_CM_PART_HEADER,
	BPFRT_CM_PART_INSN,		/* index = instruction class */
	BPFRT_CM_PART_HELPER,		/* index = helper id */
	BPFRT_CM_PART_MAP_OP,		/* index = map type, op = map op */
};

struct bpfrt_cm_where {
	__u32 fault;			/* enum bpfrt_cm_fault */
	__u32 part;			/* enum bpfrt_cm_part */
	__u32 index;
	__u32 op;
};

/*
 * Everything a table must satisfy before estimates use it, beyond
 * bpfrt_cost_model_check(): every instruction class below BPFRT_IC_NR has
 * a cost; in every entry best <= typical <= worst <= BPFRT_CM_MAX_PS;
 * measured bits only on present entries of used slots; slots beyond
 * BPFRT_IC_NR and BPFRT_MAP_OP_NR all zero. Returns 0, -EINVAL, or -ERANGE
 * (a value too large); @where (may be NULL) says what and where.
 */
int bpfrt_cost_model_validate(const struct bpfrt_cost_model *cm,
			      struct bpfrt_cm_where *where);

/* ------------------------------------------------------------------------
 * Input.
 */

/* What a call or an ld_imm64 refers to, resolved by the caller. */
enum bpfrt_an_kind {
	/*
	 * no information: decoded from the instruction, degrading to "unknown"
	 * (flagged)
	 */
	BPFRT_AN_K_NONE,
	/* for BPF_JMP|BPF_CALL and BPF_JMP|BPF_TAIL_CALL */
	BPFRT_AN_K_HELPER,	/* id = helper id (BPF_FUNC_*) */
	/*
	 * op = bpfrt_map_op, id = map index or BPFRT_AN_NONE (then the map
	 * in R1 is used), map_type = map type when id is NONE
	 */
	BPFRT_AN_K_MAP_OP,
	BPFRT_AN_K_KFUNC,	/* id = BTF id (informational) */
	BPFRT_AN_K_FUNC,	/* bpf-to-bpf call, id = function index */
	BPFRT_AN_K_TAIL_CALL,
	BPFRT_AN_K_UNKNOWN_CALL,
	/* for the first slot of BPF_LD|BPF_IMM|BPF_DW */
	BPFRT_AN_K_LD_MAP,	/* id = map index: a map pointer */
	BPFRT_AN_K_LD_MAP_VALUE,/* id = map index: a pointer into a value */
	BPFRT_AN_K_LD_FUNC,	/* id = function index: a callback */
	BPFRT_AN_K_LD_CONST,	/* the 64-bit immediate is a plain constant */
	BPFRT_AN_K_LD_OTHER,	/* some other pointer (BTF object, ...) */
	BPFRT_AN_K_NR,
};

struct bpfrt_an_annot {
	__u8 kind;		/* enum bpfrt_an_kind */
	__u8 op;		/* enum bpfrt_map_op for BPFRT_AN_K_MAP_OP */
	__u16 map_type;		/* BPF_MAP_TYPE_* for BPFRT_AN_K_MAP_OP */
	__u32 id;
};

struct bpfrt_an_func {
	const struct bpf_insn *insns;
	__u32 insn_cnt;
	__u32 reserved;
	/* insn_cnt entries, or NULL: every call and ld_imm64 decoded raw */
	const struct bpfrt_an_annot *annot;
};

struct bpfrt_an_map {
	__u32 type;		/* BPF_MAP_TYPE_* */
	__u32 max_entries;
	__u32 key_size;
	__u32 value_size;
};

/* bpfrt_an_prog.flags */
/* BPF_PROG_TYPE_EXT: replaces a function of another program */
#define BPFRT_AN_PROG_EXTENSION	(1u << 0)

struct bpfrt_an_prog {
	const struct bpfrt_an_func *funcs;	/* funcs[0] is the entry */
	__u32 func_cnt;
	__u32 map_cnt;
	const struct bpfrt_an_map *maps;
	__u32 flags;
	/*
	 * Iterations assumed for a loop whose bound cannot be inferred, as an
	 * instruction budget: the verifier simulates every iteration of a
	 * bounded loop within BPF_COMPLEXITY_LIMIT_INSNS processed
	 * instructions, so a loop whose cheapest iteration has k instructions
	 * runs at most budget / k times. 0 means BPFRT_AN_COMPLEXITY_LIMIT.
	 */
	__u32 loop_insn_budget;
};

/* ------------------------------------------------------------------------
 * Output.
 */

/* bpfrt_an_result.flags: what the bound depends on. */
/* a loop helper's count is not a constant: kernel maximum used */
#define BPFRT_AN_F_LOOP_CAPPED	(1u << 0)
/* a loop's trip count was not inferred: verifier budget used */
#define BPFRT_AN_F_LOOP_UNBOUNDED (1u << 1)
/* tail calls: the target program is not included */
#define BPFRT_AN_F_TAIL_CALL	(1u << 2)
#define BPFRT_AN_F_EXTENSION	(1u << 3)  /* extension program */
#define BPFRT_AN_F_MISSING_COST	(1u << 4)  /* a cost entry was absent */
#define BPFRT_AN_F_DEFAULT_COST	(1u << 5)  /* a cost was not measured */
#define BPFRT_AN_F_UNKNOWN_CALL	(1u << 6)  /* a call target is unknown */
/* irreducible control flow: coarse bound, best is 0 */
#define BPFRT_AN_F_IRREDUCIBLE	(1u << 7)
#define BPFRT_AN_F_UNKNOWN_MAP	(1u << 8)  /* a map operand is unknown */
#define BPFRT_AN_F_RECURSION	(1u << 9)  /* call graph cycle: unbounded */
#define BPFRT_AN_F_NO_EXIT	(1u << 10) /* a function cannot reach exit */
/* an internal analysis limit was hit: bound is looser */
#define BPFRT_AN_F_IMPRECISE	(1u << 11)
#define BPFRT_AN_F_UNBOUNDED	(1u << 12) /* worst case saturated */

/* Kinds of contributors. */
enum bpfrt_an_contrib_kind {
	BPFRT_AN_C_INSNS,	/* the plain instructions of a function */
	/* the plain instructions of a loop body; insn is the loop header */
	BPFRT_AN_C_LOOP,
	BPFRT_AN_C_HELPER,	/* id = helper id */
	BPFRT_AN_C_MAP_OP,	/* id = map index or NONE, op = map op */
	BPFRT_AN_C_KFUNC,
	BPFRT_AN_C_CALL,	/* call overhead of a bpf-to-bpf call, id = callee */
	BPFRT_AN_C_CALLBACK,	/* callback invocations overhead, id = callback */
	BPFRT_AN_C_TAIL_CALL,
	BPFRT_AN_C_UNKNOWN_CALL,
};

struct bpfrt_an_contrib {
	__u32 func;		/* function the instruction is in */
	__u32 insn;		/* instruction index within that function */
	__u16 kind;		/* enum bpfrt_an_contrib_kind */
	__u16 op;		/* map op for BPFRT_AN_C_MAP_OP */
	__u32 id;
	__u64 multiplier;	/* times it runs on the worst path */
	__u64 cost_ps;		/* multiplier * cost of one execution */
	__u32 share_pm;		/* cost_ps / worst_ps, per mille */
	__u32 reserved;
};

#define BPFRT_AN_TOP_N		8

struct bpfrt_an_result {
	__u64 best_ns;		/* rounded down */
	__u64 worst_ns;		/* rounded up; BPFRT_AN_UNBOUNDED if none */
	__u64 best_ps;
	__u64 worst_ps;
	__u64 best_insns;	/* instructions on the best path */
	__u64 worst_insns;	/* instructions on the worst path */
	__u64 best_helper_calls;	/* helper, map-op and kfunc calls */
	__u64 worst_helper_calls;
	__u32 flags;		/* BPFRT_AN_F_* */
	__u32 contrib_cnt;
	/* where an input error was found (BPFRT_AN_NONE if not known) */
	__u32 err_func;
	__u32 err_insn;
	struct bpfrt_an_contrib contrib[BPFRT_AN_TOP_N];
};

/*
 * Analyse @prog with cost model @cm.
 * Returns 0 and fills @res, or a negative errno:
 *   -EINVAL  malformed input (bad opcode, jump out of range, falls off the
 *            end, bad annotation, bad cost model); res->err_func/err_insn
 *            say where
 *   -E2BIG   beyond a BPFRT_AN_MAX_* limit
 *   -ENOMEM  allocation failed
 * Never crashes, recurses or allocates more than O(input) on any input.
 */
int bpfrt_an_estimate(const struct bpfrt_an_prog *prog,
		      const struct bpfrt_cost_model *cm,
		      struct bpfrt_an_result *res);

/*
 * Frees the memory the analyzer keeps between estimates (one 8 KiB chunk,
 * in the module only). Call when no estimate can run any more.
 */
void bpfrt_an_arena_exit(void);

/*
 * Userspace helper for an ELF program (the instructions as in a .bpf.o after
 * libbpf has appended the subprograms it calls): bpf-to-bpf calls are
 * src_reg=BPF_PSEUDO_CALL with imm = relative offset, callbacks are
 * ld_imm64 src_reg=BPF_PSEUDO_FUNC with imm = relative offset, helpers have
 * imm = helper id, kfuncs src_reg=BPF_PSEUDO_KFUNC_CALL, maps are
 * ld_imm64 src_reg=BPF_PSEUDO_MAP_IDX[_VALUE] with imm = map index, or
 * BPF_PSEUDO_MAP_FD[_VALUE] (map unknown unless @map_of_insn says).
 *
 * Splits @insns into functions (entry at 0, one function at every call or
 * callback target) and fills @funcs (up to @max_funcs) and @annot (@cnt
 * entries, parallel to @insns; funcs[i].annot points into it).
 * @map_of_insn, if not NULL, gives for each ld_imm64 the map index (or
 * BPFRT_AN_NONE) and overrides the instruction's own.
 * Returns the number of functions, or -EINVAL / -E2BIG (too many functions).
 */
int bpfrt_an_split_raw(const struct bpf_insn *insns, __u32 cnt,
		       const __u32 *map_of_insn,
		       struct bpfrt_an_func *funcs, __u32 max_funcs,
		       struct bpfrt_an_annot *annot);

/*
 * The verifier's inlined bpf_loop (kernel/bpf/verifier.c: inline_bpf_loop)
 * is a fixed sequence of BPFRT_AN_INLINED_LOOP_LEN instructions: its loop
 * header ("if r7 >= r6") is at offset BPFRT_AN_INLINED_LOOP_HEADER, the
 * bpf-to-bpf call of the callback at BPFRT_AN_INLINED_LOOP_CALL.
 * bpfrt_an_inlined_loop_at() is true when insns[start] begins the whole
 * sequence exactly (constant blinding or any other rewrite: false). The
 * analyzer bounds such a loop by BPF_MAX_LOOPS; the module's terminator
 * makes that callback call, and no other, return 1.
 */
#define BPFRT_AN_INLINED_LOOP_LEN	19
#define BPFRT_AN_INLINED_LOOP_HEADER	9
#define BPFRT_AN_INLINED_LOOP_CALL	12
bool bpfrt_an_inlined_loop_at(const struct bpf_insn *insns, __u32 len,
			      __u32 start);

#endif /* BPFRT_ANALYZER_H */
