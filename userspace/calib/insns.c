// SPDX-License-Identifier: GPL-2.0
/*
 * Instruction classes: for each class a program with K copies of
 * instructions of the class (varied registers, offsets, sizes, operations
 * and operand values) and the same program without them. All are
 * sched_cls programs timed by BPF_PROG_TEST_RUN (bench.h).
 *
 * Operands come from the parameter map (calibrate.c: calib_set_params),
 * so the verifier cannot fold them and every round runs with other values.
 * Where a class cannot run alone the baseline keeps the scaffolding: a
 * conditional jump needs its compared register set (the same move is in
 * both programs), a not-taken jump falls into an instruction the baseline
 * also has. Classes that include others (a bpf-to-bpf call includes the
 * callee's instructions) are reduced by those afterwards (stats.h:
 * calib_cost_sub).
 *
 * EXIT: in the x86-64 JIT an exit is a jump to the function's epilogue
 * (arch/x86/net/bpf_jit_comp.c, BPF_EXIT), so it costs a JA; the epilogue
 * and prologue of a function belong to its call (CALL_FUNC, CALLBACK),
 * and those of the entry program to the harness that calls it, which every
 * measurement subtracts.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>

#include "calib.h"
#include "stats.h"

#define K_CHEAP		512	/* copies of a cheap instruction */
#define K_MEDIUM	128
#define K_CALL		32
#define R_CHEAP		32	/* runs per batch */

enum ins_item {
	II_ALU32, II_ALU64, II_MUL, II_DIV, II_ENDIAN,
	II_LDX_B, II_LDX_H, II_LDX_W, II_LDX_DW,
	II_ST_B, II_ST_H, II_ST_W, II_ST_DW,
	II_ATOMIC, II_ATOMIC_FETCH, II_LD_IMM64, II_LD_ABS,
	II_JMP_TAKEN, II_JMP_NOT_TAKEN, II_JA,
	II_CALL_LIGHT, II_CALL_HEAVY, II_CALLBACK,
	II_TAIL_DIRECT, II_TAIL_INDIRECT, II_TAIL_TAKEN,
	II_NR,
};

struct ins_ctx {
	struct calib_run *cr;
	int prog_array_fd;
	int tail_target_fd;
	/* bpf-to-bpf calls to patch once the callee's place is known */
	size_t call_at[K_CALL];
	unsigned int ncalls;
	size_t ld_func_at;
};

static const int dregs[] = { BPF_REG_2, BPF_REG_3, BPF_REG_4, BPF_REG_5 };
static const __u8 sizes[] = { BPF_B, BPF_H, BPF_W, BPF_DW };

static void body_alu(struct calib_prog *p, unsigned int k, __u8 cls)
{
	static const struct {
		__u8 op;
		bool imm;
		__s32 v;
	} ops[] = {
		{ BPF_ADD, false, 0 }, { BPF_SUB, false, 0 },
		{ BPF_AND, false, 0 }, { BPF_OR, false, 0 },
		{ BPF_XOR, false, 0 }, { BPF_LSH, true, 3 },
		{ BPF_RSH, true, 5 }, { BPF_ARSH, true, 7 },
		{ BPF_MOV, false, 0 }, { BPF_ADD, true, 12345 },
		{ BPF_NEG, true, 0 }, { BPF_XOR, true, 0x5a5a },
	};
	unsigned int i;

	for (i = 0; i < k; i++) {
		int d = dregs[i % 4], n = i % (sizeof(ops) / sizeof(ops[0]));

		if (ops[n].imm)
			calib_emit(p, CI(cls | ops[n].op | BPF_K, d, 0, 0,
					 ops[n].v));
		else
			calib_emit(p, CI(cls | ops[n].op | BPF_X, d, BPF_REG_9,
					 0, 0));
	}
}

static void body_mul(struct calib_prog *p, unsigned int k)
{
	unsigned int i;

	for (i = 0; i < k; i++) {
		__u8 cls = i & 1 ? BPF_ALU : BPF_ALU64;
		int d = dregs[i % 4];

		if (i & 2)
			calib_emit(p, CI(cls | BPF_MUL | BPF_K, d, 0, 0,
					 2654435 + i));
		else
			calib_emit(p, CI(cls | BPF_MUL | BPF_X, d, BPF_REG_9,
					 0, 0));
	}
}

/*
 * Division by constants: the verifier guards division by a register with
 * a zero test and a branch (kernel/bpf/verifier.c: do_misc_fixups), which
 * the analyzer costs as the jumps they are; the class itself is the
 * division.
 */
static void body_div(struct calib_prog *p, unsigned int k)
{
	static const __s32 divs[] = { 3, 7, 1000, 0x7fffffff, 255, 65537 };
	unsigned int i;

	for (i = 0; i < k; i++) {
		__u8 cls = i & 1 ? BPF_ALU : BPF_ALU64;
		__u8 op = i & 2 ? BPF_MOD : BPF_DIV;

		calib_emit(p, CI(cls | op | BPF_K, dregs[i % 4], 0, 0,
				 divs[i % 6]));
	}
}

static void body_endian(struct calib_prog *p, unsigned int k)
{
	static const int bits[] = { 16, 32, 64 };
	unsigned int i;

	/* To big endian: a real byte swap on x86 (to little is a no-op). */
	for (i = 0; i < k; i++)
		calib_emit(p, CI_ENDIAN(dregs[i % 4], bits[i % 3]));
}

/*
 * Alternately the stack and the parameter map value, varied offsets. In the
 * map value only its upper half: the lower half holds the parameters
 * programs read (calib_set_params), which stores must not change.
 */
static void mem_addr(unsigned int i, __u8 size, int *base, __s16 *off)
{
	unsigned int w = size == BPF_DW ? 8 : size == BPF_W ? 4 :
			 size == BPF_H ? 2 : 1;

	if (i & 1) {
		*base = BPF_REG_10;
		*off = -(__s16)(8 + ((i * 8) % 56)) + (__s16)(w * (i % (8 / w)));
	} else {
		*base = BPF_REG_8;
		*off = (__s16)(128 + ((i * 24) % 120) / w * w);
	}
}

static void body_ldx(struct calib_prog *p, unsigned int k, __u8 size)
{
	unsigned int i;

	for (i = 0; i < k; i++) {
		int base;
		__s16 off;

		mem_addr(i, size, &base, &off);
		calib_emit(p, CI_LDX(size, dregs[i % 4], base, off));
	}
}

static void body_st(struct calib_prog *p, unsigned int k, __u8 size)
{
	unsigned int i;

	for (i = 0; i < k; i++) {
		int base;
		__s16 off;

		mem_addr(i, size, &base, &off);
		if (i % 3 == 2)
			calib_emit(p, CI_ST(size, base, off, (__s32)(i * 77)));
		else
			calib_emit(p, CI_STX(size, base, dregs[i % 4], off));
	}
}

static void body_atomic(struct calib_prog *p, unsigned int k, bool fetch)
{
	static const __s32 plain[] = { BPF_ADD, BPF_OR, BPF_AND, BPF_XOR };
	static const __s32 fetching[] = { BPF_ADD | BPF_FETCH, BPF_XCHG,
					  BPF_CMPXCHG, BPF_OR | BPF_FETCH };
	unsigned int i;

	for (i = 0; i < k; i++) {
		__u8 size = i & 2 ? BPF_W : BPF_DW;
		int base, src = dregs[i % 4];
		__s16 off;

		mem_addr(i, BPF_DW, &base, &off);
		calib_emit(p, CI_ATOMIC(size, base, src, off,
					fetch ? fetching[i % 4] : plain[i % 4]));
	}
}

static void body_ld_imm64(struct calib_prog *p, unsigned int k)
{
	unsigned int i;

	for (i = 0; i < k; i++)
		calib_emit_ld_imm64(p, dregs[i % 4],
				    0x0123456789abcdefULL * (i + 1));
}

static void body_ld_abs(struct calib_prog *p, unsigned int k)
{
	unsigned int i;

	for (i = 0; i < k; i++) {
		__u8 size = sizes[i % 3];	/* B, H, W */

		calib_emit(p, CI(BPF_LD | BPF_ABS | size, 0, 0, 0,
				 (__s32)((i * 6) % 40)));
	}
}

/*
 * R9 holds V in [1000, 5000] (calib_set_params). Each copy is
 *   w1 = w9; if w1 <op> C goto +1; r3 += 1
 * and the baseline keeps "w1 = w9" (and, for not-taken, "r3 += 1"). W1 is
 * dead after every copy and R3 unknown throughout, so the verifier's states
 * converge after each branch and it cannot decide any of them.
 */
static void body_jmp(struct calib_prog *p, unsigned int k, bool taken,
		     bool test)
{
	static const struct {
		__u8 op;
		__s32 c_taken;
		__s32 c_not;
	} conds[] = {
		{ BPF_JGT, 10, 1 << 30 },
		{ BPF_JGE, 100, 1 << 30 },
		{ BPF_JLT, 1 << 30, 10 },
		{ BPF_JLE, 1 << 30, 10 },
		{ BPF_JSGT, 10, 1 << 30 },
		{ BPF_JSGE, 10, 1 << 30 },
		{ BPF_JSLT, 1 << 30, 10 },
		{ BPF_JSLE, 1 << 30, 10 },
		{ BPF_JSET, 0xffff, 0x40000000 },
		{ BPF_JNE, 7, 0 },		/* not-taken: JEQ below */
	};
	unsigned int i;

	for (i = 0; i < k; i++) {
		unsigned int n = i % (sizeof(conds) / sizeof(conds[0]));
		__u8 cls = i & 1 ? BPF_JMP32 : BPF_JMP;
		__u8 op = conds[n].op;
		__s32 c = taken ? conds[n].c_taken : conds[n].c_not;

		if (!taken && op == BPF_JNE) {
			op = BPF_JEQ;
			c = 7;
		}
		calib_emit(p, CI_MOV32_REG(BPF_REG_1, BPF_REG_9));
		if (test)
			calib_emit(p, CI(cls | op | BPF_K, BPF_REG_1, 0, 1, c));
		if (test || !taken)
			calib_emit(p, CI_ALU64_IMM(BPF_ADD, BPF_REG_3, 1));
	}
}

/*
 * K unconditional jumps, none of them to the next instruction (the
 * verifier removes those): laid out backwards, 0 -> K -> K-1 -> ... -> 1,
 * then forward past them.
 */
static void body_ja(struct calib_prog *p, unsigned int k)
{
	unsigned int i;

	if (!k)
		return;
	/* at 0: to K; at j in 2..K: to j-1; at 1: past K */
	calib_emit(p, CI_JA((__s16)(k - 1)));
	calib_emit(p, CI_JA((__s16)(k - 1)));
	for (i = 2; i <= k; i++)
		calib_emit(p, CI_JA(-2));
}

static void body_calls(struct calib_prog *p, struct ins_ctx *x,
		       unsigned int k)
{
	unsigned int i;

	x->ncalls = 0;
	for (i = 0; i < k && i < K_CALL; i++) {
		x->call_at[x->ncalls++] = calib_pc(p);
		calib_emit(p, CI_CALL_REL(0));
	}
}

/* The callee (after the main function's exit); patches the calls. */
static void tail_callee(struct calib_prog *p, struct ins_ctx *x, bool heavy)
{
	size_t at = calib_pc(p);
	unsigned int i;

	if (heavy) {
		/* every callee-saved register: the JIT saves and restores it */
		calib_emit(p, CI_MOV64_IMM(BPF_REG_6, 1));
		calib_emit(p, CI_MOV64_IMM(BPF_REG_7, 2));
		calib_emit(p, CI_MOV64_IMM(BPF_REG_8, 3));
		calib_emit(p, CI_MOV64_IMM(BPF_REG_9, 4));
		calib_emit(p, CI_ST(BPF_DW, BPF_REG_10, -256, 0));
	}
	calib_emit(p, CI_MOV64_IMM(BPF_REG_0, 0));
	calib_emit(p, CI_EXIT());
	if (!calib_prog_ok(p))
		return;
	for (i = 0; i < x->ncalls; i++)
		p->insns[x->call_at[i]].imm = (__s32)(at - x->call_at[i] - 1);
	if (x->ld_func_at)
		p->insns[x->ld_func_at].imm = (__s32)(at - x->ld_func_at - 1);
}

/*
 * bpf_loop(k, cb, NULL, flags) with flags read from the parameter map (0,
 * unknown to the verifier): the helper stays a helper (the verifier
 * inlines only constant flags, kernel/bpf/verifier.c: optimize_bpf_loop).
 */
static void body_loop(struct calib_prog *p, struct ins_ctx *x, unsigned int k)
{
	calib_emit(p, CI_MOV64_IMM(BPF_REG_1, k));
	x->ld_func_at = calib_pc(p);
	calib_emit_ld_func(p, BPF_REG_2, 0);
	calib_emit(p, CI_MOV64_IMM(BPF_REG_3, 0));
	calib_emit(p, CI_LDX(BPF_DW, BPF_REG_4, BPF_REG_8, 40));
	calib_emit(p, CI(BPF_CALL | BPF_JMP, 0, 0, 0, BPF_FUNC_loop));
}

/*
 * Tail calls into an empty slot (they fall through) with a constant index
 * (the JIT emits a patchable direct jump) or an index from memory
 * (bounds check and lookup), and a taken one into a program that returns
 * at once.
 */
static void body_tail(struct calib_prog *p, struct ins_ctx *x, unsigned int k,
		      enum ins_item what, bool test)
{
	unsigned int i;

	for (i = 0; i < k; i++) {
		calib_emit(p, CI_MOV64_REG(BPF_REG_1, CALIB_REG_CTX));
		calib_emit_ld_map(p, BPF_REG_2, x->prog_array_fd);
		if (what == II_TAIL_INDIRECT)
			calib_emit(p, CI_LDX(BPF_W, BPF_REG_3, BPF_REG_8, 48));
		else
			calib_emit(p, CI_MOV64_IMM(BPF_REG_3,
						   what == II_TAIL_TAKEN ? 0 : 1));
		if (test)
			calib_emit(p, CI_CALL(BPF_FUNC_tail_call));
	}
}

static const struct {
	const char *name;
	unsigned int k;
} ins_items[II_NR] = {
	[II_ALU32] = { "alu32", K_CHEAP },
	[II_ALU64] = { "alu64", K_CHEAP },
	[II_MUL] = { "mul", K_CHEAP },
	[II_DIV] = { "div", K_MEDIUM },
	[II_ENDIAN] = { "endian", K_CHEAP },
	[II_LDX_B] = { "ldx_b", K_CHEAP },
	[II_LDX_H] = { "ldx_h", K_CHEAP },
	[II_LDX_W] = { "ldx_w", K_CHEAP },
	[II_LDX_DW] = { "ldx_dw", K_CHEAP },
	[II_ST_B] = { "st_b", K_CHEAP },
	[II_ST_H] = { "st_h", K_CHEAP },
	[II_ST_W] = { "st_w", K_CHEAP },
	[II_ST_DW] = { "st_dw", K_CHEAP },
	[II_ATOMIC] = { "atomic", K_MEDIUM },
	[II_ATOMIC_FETCH] = { "atomic_fetch", K_MEDIUM },
	[II_LD_IMM64] = { "ld_imm64", K_CHEAP },
	[II_LD_ABS] = { "ld_abs", K_MEDIUM },
	[II_JMP_TAKEN] = { "jmp_taken", K_MEDIUM },
	[II_JMP_NOT_TAKEN] = { "jmp_not_taken", K_MEDIUM },
	[II_JA] = { "ja", K_MEDIUM },
	[II_CALL_LIGHT] = { "call_func", K_CALL },
	[II_CALL_HEAVY] = { "call_func (callee saves r6-r9)", K_CALL },
	[II_CALLBACK] = { "callback (bpf_loop)", 256 },
	[II_TAIL_DIRECT] = { "tail_call (constant index, empty)", K_CALL },
	[II_TAIL_INDIRECT] = { "tail_call (index from memory, empty)", K_CALL },
	[II_TAIL_TAKEN] = { "tail_call (taken)", 1 },
};

static int build(struct ins_ctx *x, enum ins_item what, bool test,
		 enum bpf_prog_type type, struct calib_prog *p)
{
	struct calib_run *cr = x->cr;
	unsigned int k = test ? ins_items[what].k : 0;

	calib_prog_init(p);
	x->ncalls = 0;
	x->ld_func_at = 0;
	calib_frame_begin(p, &cr->env, type);
	calib_emit_operands(p, cr);
	calib_emit(p, CI_MOV64_IMM(BPF_REG_0, 0));
	switch (what) {
	case II_ALU32:
		body_alu(p, k, BPF_ALU);
		break;
	case II_ALU64:
		body_alu(p, k, BPF_ALU64);
		break;
	case II_MUL:
		body_mul(p, k);
		break;
	case II_DIV:
		body_div(p, k);
		break;
	case II_ENDIAN:
		body_endian(p, k);
		break;
	case II_LDX_B: case II_LDX_H: case II_LDX_W: case II_LDX_DW:
		body_ldx(p, k, sizes[what - II_LDX_B]);
		break;
	case II_ST_B: case II_ST_H: case II_ST_W: case II_ST_DW:
		body_st(p, k, sizes[what - II_ST_B]);
		break;
	case II_ATOMIC:
	case II_ATOMIC_FETCH:
		body_atomic(p, k, what == II_ATOMIC_FETCH);
		break;
	case II_LD_IMM64:
		body_ld_imm64(p, k);
		break;
	case II_LD_ABS:
		body_ld_abs(p, k);
		break;
	case II_JMP_TAKEN:
	case II_JMP_NOT_TAKEN:
		body_jmp(p, ins_items[what].k, what == II_JMP_TAKEN, test);
		break;
	case II_JA:
		body_ja(p, k);
		break;
	case II_CALL_LIGHT:
	case II_CALL_HEAVY:
		body_calls(p, x, k);
		break;
	case II_CALLBACK:
		body_loop(p, x, k);
		break;
	case II_TAIL_DIRECT:
	case II_TAIL_INDIRECT:
	case II_TAIL_TAKEN:
		body_tail(p, x, ins_items[what].k, what, test);
		break;
	case II_NR:
		break;
	}
	calib_frame_end(p, &cr->env, type);
	/* the baseline of a call has no call: no callee either */
	if (((what == II_CALL_LIGHT || what == II_CALL_HEAVY) && test) ||
	    what == II_CALLBACK)
		tail_callee(p, x, what == II_CALL_HEAVY);
	return calib_prog_ok(p) ? 0 : -ENOMEM;
}

static int load_item(struct ins_ctx *x, enum ins_item what,
		     struct calib_item *it)
{
	/* timed by the kernel (bench.c), and LD_ABS needs an skb */
	enum bpf_prog_type type = BPF_PROG_TYPE_SCHED_CLS;
	struct calib_prog p;
	int pass, fd, ret = 0;

	calib_item_init(it);
	snprintf(it->name, sizeof(it->name), "%s", ins_items[what].name);
	it->type = type;
	/* body_ja: k + 1 jumps */
	it->units = ins_items[what].k + (what == II_JA);
	it->repeat = what == II_TAIL_TAKEN ? 256 : R_CHEAP;
	for (pass = 0; pass < 2 && !ret; pass++) {
		ret = build(x, what, pass == 0, type, &p);
		if (!ret) {
			fd = calib_load(&x->cr->env, type, &p);
			if (fd < 0)
				ret = fd;
			else if (pass == 0)
				it->fd_test = fd;
			else
				it->fd_base = fd;
		}
		calib_prog_free(&p);
	}
	if (ret)
		it->err = ret;
	return ret;
}

/* A program returning at once, in slot 0 of the program array. */
static int tail_setup(struct ins_ctx *x)
{
	struct calib_prog p;
	__u32 key = 0;
	int ret = 0;

	x->prog_array_fd = bpf_map_create(BPF_MAP_TYPE_PROG_ARRAY,
					  "bpfrt_ctail", 4, 4, 2, NULL);
	if (x->prog_array_fd < 0)
		return -errno;
	calib_prog_init(&p);
	calib_emit(&p, CI_MOV64_IMM(BPF_REG_0, 0));
	calib_emit(&p, CI_EXIT());
	x->tail_target_fd = calib_load(&x->cr->env, BPF_PROG_TYPE_SCHED_CLS,
				       &p);
	calib_prog_free(&p);
	if (x->tail_target_fd < 0)
		return x->tail_target_fd;
	if (bpf_map_update_elem(x->prog_array_fd, &key, &x->tail_target_fd,
				BPF_ANY))
		ret = -errno;
	return ret;
}

static void set_measured(struct calib_run *cr, unsigned int ic,
			 const struct bpfrt_cost *c,
			 const struct costtab_note *n)
{
	costtab_set_insn(cr->tab, ic, c, true);
	cr->tab->insn[ic] = *n;
}

static void set_not_measured(struct calib_run *cr, unsigned int ic,
			     const char *why)
{
	struct costtab_note *n = &cr->tab->insn[ic];

	memset(n, 0, sizeof(*n));
	n->present = true;
	snprintf(n->reason, sizeof(n->reason), "%s", why);
}

int calib_insns(struct calib_run *cr)
{
	static const unsigned int direct[][2] = {
		{ II_ALU32, BPFRT_IC_ALU32 }, { II_ALU64, BPFRT_IC_ALU64 },
		{ II_MUL, BPFRT_IC_MUL }, { II_DIV, BPFRT_IC_DIV },
		{ II_ENDIAN, BPFRT_IC_ENDIAN },
		{ II_LDX_B, BPFRT_IC_LDX_B }, { II_LDX_H, BPFRT_IC_LDX_H },
		{ II_LDX_W, BPFRT_IC_LDX_W }, { II_LDX_DW, BPFRT_IC_LDX_DW },
		{ II_ST_B, BPFRT_IC_ST_B }, { II_ST_H, BPFRT_IC_ST_H },
		{ II_ST_W, BPFRT_IC_ST_W }, { II_ST_DW, BPFRT_IC_ST_DW },
		{ II_ATOMIC, BPFRT_IC_ATOMIC },
		{ II_ATOMIC_FETCH, BPFRT_IC_ATOMIC_FETCH },
		{ II_LD_IMM64, BPFRT_IC_LD_IMM64 },
		{ II_LD_ABS, BPFRT_IC_LD_ABS },
		{ II_JMP_TAKEN, BPFRT_IC_JMP_TAKEN },
		{ II_JMP_NOT_TAKEN, BPFRT_IC_JMP_NOT_TAKEN },
		{ II_JA, BPFRT_IC_JA },
	};
	struct ins_ctx x = { .cr = cr, .prog_array_fd = -1,
			     .tail_target_fd = -1 };
	struct calib_item items[II_NR], *ptr[II_NR];
	struct bpfrt_cost c[II_NR], alu, exitc, sub, acc;
	struct costtab_note note[II_NR];
	bool ok[II_NR];
	unsigned int i, nacc;

	calib_stage(cr, "instructions");
	if (tail_setup(&x))
		x.prog_array_fd = x.prog_array_fd >= 0 ? x.prog_array_fd : -1;
	for (i = 0; i < II_NR; i++) {
		bool tail = i >= II_TAIL_DIRECT;

		if (tail && x.tail_target_fd < 0) {
			calib_item_init(&items[i]);
			snprintf(items[i].name, sizeof(items[i].name), "%s",
				 ins_items[i].name);
			items[i].err = -ENOENT;
		} else {
			load_item(&x, i, &items[i]);
		}
		ptr[i] = &items[i];
	}
	calib_measure(cr, ptr, II_NR);
	for (i = 0; i < II_NR; i++)
		ok[i] = calib_item_cost(cr, &items[i], &c[i], &note[i]);

	for (i = 0; i < sizeof(direct) / sizeof(direct[0]); i++) {
		if (ok[direct[i][0]])
			set_measured(cr, direct[i][1], &c[direct[i][0]],
				     &note[direct[i][0]]);
		else
			set_not_measured(cr, direct[i][1],
					 note[direct[i][0]].reason);
	}

	/* Derived classes need ALU64 and JA (= EXIT). */
	if (!ok[II_ALU64] || !ok[II_JA]) {
		set_not_measured(cr, BPFRT_IC_EXIT, "needs ja and alu64");
		set_not_measured(cr, BPFRT_IC_CALL_FUNC, "needs ja and alu64");
		set_not_measured(cr, BPFRT_IC_CALLBACK, "needs ja and alu64");
		set_not_measured(cr, BPFRT_IC_TAIL_CALL, "needs ja and alu64");
		goto out;
	}
	alu = c[II_ALU64];
	exitc = c[II_JA];
	memset(&acc, 0, sizeof(acc));
	note[II_JA].present = true;
	set_measured(cr, BPFRT_IC_EXIT, &exitc, &note[II_JA]);
	snprintf(cr->tab->insn[BPFRT_IC_EXIT].reason, COSTTAB_NOTE,
		 "as ja: the x86-64 JIT turns exit into a jump to the epilogue; prologue and epilogue are costed with the call");

	/* call: call + callee (mov, exit; heavy: 5 more insns) */
	nacc = 0;
	for (i = II_CALL_LIGHT; i <= II_CALL_HEAVY; i++) {
		unsigned int extra = i == II_CALL_HEAVY ? 5 : 1, j;

		if (!ok[i])
			continue;
		sub = c[i];
		for (j = 0; j < extra; j++)
			calib_cost_sub(&sub, &alu);
		calib_cost_sub(&sub, &exitc);
		calib_cost_envelope(&acc, &nacc, &sub);
	}
	if (nacc) {
		note[II_CALL_LIGHT].samples += note[II_CALL_HEAVY].samples;
		note[II_CALL_LIGHT].discarded += note[II_CALL_HEAVY].discarded;
		snprintf(note[II_CALL_LIGHT].reason, COSTTAB_NOTE,
			 "call + callee prologue/epilogue, light and heavy callee, less the callee's instructions");
		set_measured(cr, BPFRT_IC_CALL_FUNC, &acc, &note[II_CALL_LIGHT]);
	} else {
		set_not_measured(cr, BPFRT_IC_CALL_FUNC,
				 note[II_CALL_LIGHT].reason);
	}

	if (ok[II_CALLBACK]) {
		sub = c[II_CALLBACK];
		calib_cost_sub(&sub, &alu);
		calib_cost_sub(&sub, &exitc);
		snprintf(note[II_CALLBACK].reason, COSTTAB_NOTE,
			 "one bpf_loop iteration calling an empty callback, less the callback's instructions");
		set_measured(cr, BPFRT_IC_CALLBACK, &sub, &note[II_CALLBACK]);
	} else {
		set_not_measured(cr, BPFRT_IC_CALLBACK,
				 note[II_CALLBACK].reason);
	}

	nacc = 0;
	for (i = II_TAIL_DIRECT; i <= II_TAIL_TAKEN; i++) {
		if (!ok[i])
			continue;
		/*
		 * taken: the target's "r0 = 0; exit" replaces the caller's
		 * own in the baseline, so the difference is the tail call
		 */
		sub = c[i];
		calib_cost_envelope(&acc, &nacc, &sub);
		note[II_TAIL_DIRECT].samples += i != II_TAIL_DIRECT ?
						note[i].samples : 0;
	}
	if (nacc) {
		snprintf(note[II_TAIL_DIRECT].reason, COSTTAB_NOTE,
			 "envelope of empty slot (constant and memory index) and a taken tail call");
		set_measured(cr, BPFRT_IC_TAIL_CALL, &acc, &note[II_TAIL_DIRECT]);
	} else {
		set_not_measured(cr, BPFRT_IC_TAIL_CALL,
				 note[II_TAIL_DIRECT].reason);
	}
out:
	set_not_measured(cr, BPFRT_IC_NOSPEC,
			 "the verifier inserts it only for unprivileged loaders; calibration runs privileged");
	set_not_measured(cr, BPFRT_IC_KFUNC,
			 "kfuncs are not enumerated: built-in default for any kfunc");
	set_not_measured(cr, BPFRT_IC_UNKNOWN_CALL,
			 "a call whose target is unknown cannot be measured");
	set_not_measured(cr, BPFRT_IC_HELPER_DEFAULT,
			 "default for helpers without an entry: built-in");
	set_not_measured(cr, BPFRT_IC_MAP_OP_DEFAULT,
			 "default for map operations without an entry: built-in");
	for (i = 0; i < II_NR; i++)
		calib_item_release(&items[i]);
	if (x.tail_target_fd >= 0)
		close(x.tail_target_fd);
	if (x.prog_array_fd >= 0)
		close(x.prog_array_fd);
	return 0;
}
