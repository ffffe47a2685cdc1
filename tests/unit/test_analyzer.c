// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the analyzer on hand-assembled programs.
 *
 * Cost model (analyzer_test_insns.h): every instruction 1 ns = 1000 ps, best
 * and worst; helpers 5 ns best / 50 ns worst; map operations 2 / 20 ns;
 * for_each 1 ns per element walked; a call instruction counts as one
 * instruction whose cost is that of the helper (or call overhead + callee).
 * Every expected value below is derived by hand in the comment above it.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <cmocka.h>

#include "analyzer_test_insns.h"

static struct bpfrt_cost_model cm;

static int run(const struct bpf_insn *insns, unsigned int n,
	       const struct bpfrt_an_annot *annot, struct bpfrt_an_result *res)
{
	struct bpfrt_an_func f = { .insns = insns, .insn_cnt = n,
				   .annot = annot };
	struct bpfrt_an_prog p = { .funcs = &f, .func_cnt = 1 };

	return bpfrt_an_estimate(&p, &cm, res);
}

static int run_prog(struct bpfrt_an_func *f, unsigned int nf,
		    const struct bpfrt_an_map *maps, unsigned int nmaps,
		    unsigned int budget, struct bpfrt_an_result *res)
{
	struct bpfrt_an_prog p = { .funcs = f, .func_cnt = nf, .maps = maps,
				   .map_cnt = nmaps,
				   .loop_insn_budget = budget };

	return bpfrt_an_estimate(&p, &cm, res);
}

static void expect(const struct bpfrt_an_result *r, uint64_t best_ps,
		   uint64_t worst_ps, uint64_t best_insns, uint64_t worst_insns)
{
	assert_int_equal(r->best_ps, best_ps);
	assert_int_equal(r->worst_ps, worst_ps);
	assert_int_equal(r->best_insns, best_insns);
	assert_int_equal(r->worst_insns, worst_insns);
}

static struct bpfrt_an_annot A_FUNC(unsigned int f)
{
	return (struct bpfrt_an_annot){ .kind = BPFRT_AN_K_FUNC, .id = f };
}

static struct bpfrt_an_annot A_LD_FUNC(unsigned int f)
{
	return (struct bpfrt_an_annot){ .kind = BPFRT_AN_K_LD_FUNC, .id = f };
}

static struct bpfrt_an_annot A_LD_MAP(unsigned int m)
{
	return (struct bpfrt_an_annot){ .kind = BPFRT_AN_K_LD_MAP, .id = m };
}

/* ---- straight line and branches ---- */

/* r0 = 0; r0 += 1; r0 *= 3; r0 -= 1; r0 >>= 1; exit: 6 insns, 6000 ps. */
static void test_straight_line(void **state)
{
	struct bpf_insn p[] = {
		MOV64_IMM(0, 0), ALU64_IMM(BPF_ADD, 0, 1),
		ALU64_IMM(BPF_MUL, 0, 3), ALU64_IMM(BPF_SUB, 0, 1),
		ALU64_IMM(BPF_RSH, 0, 1), EXIT(),
	};
	struct bpfrt_an_result r;

	(void)state;
	assert_int_equal(run(p, ARRAY_LEN(p), NULL, &r), 0);
	expect(&r, 6000, 6000, 6, 6);
	assert_int_equal(r.best_ns, 6);
	assert_int_equal(r.worst_ns, 6);
	assert_int_equal(r.flags, 0);
	assert_int_equal(r.worst_helper_calls, 0);
}

/*
 * Diamond with a helper on one side:
 *   0: r0 = 0
 *   1: if r1 == 0 goto 5
 *   2: call ktime_get_ns      (50 ns worst, 5 ns best)
 *   3: r0 += 2
 *   4: goto 6
 *   5: r0 = 3
 *   6: exit
 * then-path 0,1,2,3,4,6: 5 insns * 1000 + helper = 55000 worst, 6 insns,
 *   1 helper; best of it 10000.
 * else-path 0,1,5,6: 4 insns = 4000, no helper: that is the best path.
 */
static void test_diamond(void **state)
{
	struct bpf_insn p[] = {
		MOV64_IMM(0, 0), JMP_IMM(BPF_JEQ, 1, 0, 3),
		CALL(BPF_FUNC_ktime_get_ns), ALU64_IMM(BPF_ADD, 0, 2),
		JA(1), MOV64_IMM(0, 3), EXIT(),
	};
	struct bpfrt_an_result r;

	(void)state;
	assert_int_equal(run(p, ARRAY_LEN(p), NULL, &r), 0);
	expect(&r, 4000, 55000, 4, 6);
	assert_int_equal(r.worst_helper_calls, 1);
	assert_int_equal(r.best_helper_calls, 0);
	/* the helper dominates the worst case: 50000 of 55000 = 909 per mille */
	assert_true(r.contrib_cnt >= 1);
	assert_int_equal(r.contrib[0].kind, BPFRT_AN_C_HELPER);
	assert_int_equal(r.contrib[0].insn, 2);
	assert_int_equal(r.contrib[0].id, BPF_FUNC_ktime_get_ns);
	assert_int_equal(r.contrib[0].multiplier, 1);
	assert_int_equal(r.contrib[0].share_pm, 909);
}

/*
 * Nested branches, with an early exit:
 *   0: if r1 > 10 goto 6
 *   1: if r2 > 20 goto 4
 *   2: r0 = 1
 *   3: goto 7
 *   4: call get_prandom_u32
 *   5: goto 7
 *   6: exit                 (early: path 0,6 = 2 insns, best)
 *   7: r0 += 1
 *   8: exit
 * worst: 0,1,4,5,7,8 = 5 insns + helper = 55000 ps, 6 insns
 * other: 0,1,2,3,7,8 = 6 insns = 6000
 * best: 0,6 = 2000, 2 insns
 */
static void test_nested_branches(void **state)
{
	struct bpf_insn p[] = {
		JMP_IMM(BPF_JGT, 1, 10, 5), JMP_IMM(BPF_JGT, 2, 20, 2),
		MOV64_IMM(0, 1), JA(3), CALL(BPF_FUNC_get_prandom_u32), JA(1),
		EXIT(), ALU64_IMM(BPF_ADD, 0, 1), EXIT(),
	};
	struct bpfrt_an_result r;

	(void)state;
	assert_int_equal(run(p, ARRAY_LEN(p), NULL, &r), 0);
	expect(&r, 2000, 55000, 2, 6);
}

/* ---- loops ---- */

/*
 * for (i = 0; i < 10; i++) as clang rotates it (test at the bottom):
 *   0: r1 = 0
 *   1: r0 += 1          <- header
 *   2: r1 += 1
 *   3: if r1 < 10 goto 1
 *   4: exit
 * r1 after the increment is 1..10; the back-edge is taken for 1..9: 9 times.
 * One iteration (1,2,3 taken) = 3 insns; the last one (3 not taken) too.
 * worst = 1 + 9 * 3 + 3 + 1 = 32 insns = 32000 ps. The loop can only leave
 * through that test, so best = worst.
 */
static void test_loop_lt_up(void **state)
{
	struct bpf_insn p[] = {
		MOV64_IMM(1, 0), ALU64_IMM(BPF_ADD, 0, 1),
		ALU64_IMM(BPF_ADD, 1, 1), JMP_IMM(BPF_JLT, 1, 10, -3), EXIT(),
	};
	struct bpfrt_an_result r;

	(void)state;
	assert_int_equal(run(p, ARRAY_LEN(p), NULL, &r), 0);
	expect(&r, 32000, 32000, 32, 32);
	assert_int_equal(r.flags, 0);
}

/*
 * for (i = 0; i <= 5; i++) tested at the top:
 *   0: r1 = 0
 *   1: if r1 > 5 goto 5   <- header, leaves when r1 > 5
 *   2: r0 += r1
 *   3: r1 += 1
 *   4: goto 1
 *   5: exit
 * r1 = 0..5 stays (6 iterations, back-edge 6 times), leaves at r1 = 6.
 * iteration 1,2,3,4 = 4 insns; leaving 1 = 1 insn.
 * worst = best = 1 + 6 * 4 + 1 + 1 = 27 insns.
 */
static void test_loop_le_top(void **state)
{
	struct bpf_insn p[] = {
		MOV64_IMM(1, 0), JMP_IMM(BPF_JGT, 1, 5, 3),
		ALU64_REG(BPF_ADD, 0, 1), ALU64_IMM(BPF_ADD, 1, 1), JA(-4),
		EXIT(),
	};
	struct bpfrt_an_result r;

	(void)state;
	assert_int_equal(run(p, ARRAY_LEN(p), NULL, &r), 0);
	expect(&r, 27000, 27000, 27, 27);
}

/*
 * for (i = 0; i != 8; i += 2), rotated:
 *   0: r1 = 0; 1: r0 += 1 (header); 2: r1 += 2; 3: if r1 != 8 goto 1; 4: exit
 * r1 after the step: 2, 4, 6, 8: back-edge 3 times.
 * worst = best = 1 + 3 * 3 + 3 + 1 = 14 insns.
 */
static void test_loop_ne_up(void **state)
{
	struct bpf_insn p[] = {
		MOV64_IMM(1, 0), ALU64_IMM(BPF_ADD, 0, 1),
		ALU64_IMM(BPF_ADD, 1, 2), JMP_IMM(BPF_JNE, 1, 8, -3), EXIT(),
	};
	struct bpfrt_an_result r;

	(void)state;
	assert_int_equal(run(p, ARRAY_LEN(p), NULL, &r), 0);
	expect(&r, 14000, 14000, 14, 14);
}

/*
 * for (int i = 10; i > 0; i--) in 32-bit arithmetic:
 *   0: w1 = 10; 1: r0 += 1 (header); 2: w1 += -1; 3: if w1 s> 0 goto 1 (jmp32)
 *   4: exit
 * w1 after the step: 9 .. 0: back-edge for 9..1 = 9 times.
 * worst = best = 1 + 9 * 3 + 3 + 1 = 32 insns.
 */
static void test_loop_down_32(void **state)
{
	struct bpf_insn p[] = {
		MOV32_IMM(1, 10), ALU64_IMM(BPF_ADD, 0, 1),
		ALU32_IMM(BPF_ADD, 1, -1), JMP32_IMM(BPF_JSGT, 1, 0, -3),
		EXIT(),
	};
	struct bpfrt_an_result r;

	(void)state;
	assert_int_equal(run(p, ARRAY_LEN(p), NULL, &r), 0);
	expect(&r, 32000, 32000, 32, 32);
}

/*
 * Counting down to zero with "!=" and a counter in r6 (callee-saved):
 *   0: r6 = 5; 1: call get_prandom_u32 (header); 2: r6 += -1;
 *   3: if r6 != 0 goto 1; 4: exit
 * r6 after the step 4..0: back-edge 4 times, body 5 times.
 * iteration = 2 insns + helper: worst 52000, best 7000, 3 insns.
 * worst = 1000 + 5 * 52000 + 1000 = 262000; best = 1000 + 5 * 7000 + 1000
 * = 37000; insns 1 + 5 * 3 + 1 = 17; helper calls 5.
 */
static void test_loop_ne_down_helper(void **state)
{
	struct bpf_insn p[] = {
		MOV64_IMM(6, 5), CALL(BPF_FUNC_get_prandom_u32),
		ALU64_IMM(BPF_ADD, 6, -1), JMP_IMM(BPF_JNE, 6, 0, -3), EXIT(),
	};
	struct bpfrt_an_result r;

	(void)state;
	assert_int_equal(run(p, ARRAY_LEN(p), NULL, &r), 0);
	expect(&r, 37000, 262000, 17, 17);
	assert_int_equal(r.worst_helper_calls, 5);
	assert_int_equal(r.best_helper_calls, 5);
	/* the helper in the loop: 5 * 50000 = 250000 of 262000 = 954 pm */
	assert_int_equal(r.contrib[0].kind, BPFRT_AN_C_HELPER);
	assert_int_equal(r.contrib[0].insn, 1);
	assert_int_equal(r.contrib[0].multiplier, 5);
	assert_int_equal(r.contrib[0].cost_ps, 250000);
	assert_int_equal(r.contrib[0].share_pm, 954);
}

/*
 * Counter spilled to the stack around a helper call (r1-r5 are clobbered):
 *   0: r1 = 0
 *   1: *(u64 *)(r10 - 8) = r1
 *   2: r1 = *(u64 *)(r10 - 8)     <- header
 *   3: r1 += 1
 *   4: *(u64 *)(r10 - 8) = r1
 *   5: call ktime_get_ns
 *   6: r1 = *(u64 *)(r10 - 8)
 *   7: if r1 < 4 goto 2
 *   8: exit
 * counter after the step 1..4: back-edge 3 times, body 4 times.
 * body = 5 insns + helper: worst 55000, best 10000, 6 insns.
 * worst = 2000 + 4 * 55000 + 1000 = 223000, best = 2000 + 4 * 10000 + 1000
 * = 43000; insns 2 + 4 * 6 + 1 = 27.
 */
static void test_loop_stack_counter(void **state)
{
	struct bpf_insn p[] = {
		MOV64_IMM(1, 0), STX(BPF_DW, 10, 1, -8), LDX(BPF_DW, 1, 10, -8),
		ALU64_IMM(BPF_ADD, 1, 1), STX(BPF_DW, 10, 1, -8),
		CALL(BPF_FUNC_ktime_get_ns), LDX(BPF_DW, 1, 10, -8),
		JMP_IMM(BPF_JLT, 1, 4, -6), EXIT(),
	};
	struct bpfrt_an_result r;

	(void)state;
	assert_int_equal(run(p, ARRAY_LEN(p), NULL, &r), 0);
	expect(&r, 43000, 223000, 27, 27);
	assert_int_equal(r.flags, 0);
}

/*
 * The same, but the counter's slot is passed to the helper (which may write
 * it): no bound can be inferred. Budget 800 instructions, every iteration
 * 8 instructions: 100 back-edges (derivation below).
 *   5: r1 = r10; 6: r1 += -8; then call
 */
static void test_loop_stack_counter_clobbered(void **state)
{
	struct bpf_insn p[] = {
		MOV64_IMM(1, 0), STX(BPF_DW, 10, 1, -8), LDX(BPF_DW, 1, 10, -8),
		ALU64_IMM(BPF_ADD, 1, 1), STX(BPF_DW, 10, 1, -8),
		MOV64_REG(1, 10), ALU64_IMM(BPF_ADD, 1, -8),
		CALL(BPF_FUNC_ktime_get_ns), LDX(BPF_DW, 1, 10, -8),
		JMP_IMM(BPF_JLT, 1, 4, -8), EXIT(),
	};
	struct bpfrt_an_func f = { .insns = p, .insn_cnt = ARRAY_LEN(p) };
	struct bpfrt_an_result r;

	(void)state;
	assert_int_equal(run_prog(&f, 1, NULL, 0, 800, &r), 0);
	/* iteration 2..9 = 7 insns + helper = 57000 worst, 8 insns; budget
	 * 800 / 8 = 100 back-edges. worst = 2000 + 101 * 57000 + 1000
	 */
	expect(&r, 2000 + 12000 + 1000, 2000 + 101 * 57000 + 1000,
	       2 + 8 + 1, 2 + 101 * 8 + 1);
	assert_true(r.flags & BPFRT_AN_F_LOOP_UNBOUNDED);
}

/*
 * A bound the analysis cannot know (loaded from memory):
 *   0: r1 = *(u64 *)(r2 + 0); 1: r0 += 1 (header); 2: r1 += -1;
 *   3: if r1 != 0 goto 1; 4: exit
 * Budget 300 instructions, cheapest iteration 3: 100 back-edges, flagged.
 * worst = 1 + 100 * 3 + 3 + 1 = 305 insns; best = 1 + 3 + 1 = 5.
 */
static void test_loop_unbounded(void **state)
{
	struct bpf_insn p[] = {
		LDX(BPF_DW, 1, 2, 0), ALU64_IMM(BPF_ADD, 0, 1),
		ALU64_IMM(BPF_ADD, 1, -1), JMP_IMM(BPF_JNE, 1, 0, -3), EXIT(),
	};
	struct bpfrt_an_func f = { .insns = p, .insn_cnt = ARRAY_LEN(p) };
	struct bpfrt_an_result r;

	(void)state;
	assert_int_equal(run_prog(&f, 1, NULL, 0, 300, &r), 0);
	expect(&r, 5000, 305000, 5, 305);
	assert_int_equal(r.flags, BPFRT_AN_F_LOOP_UNBOUNDED);
	assert_int_equal(r.contrib[0].kind, BPFRT_AN_C_LOOP);
	assert_int_equal(r.contrib[0].insn, 1);
	assert_int_equal(r.contrib[0].multiplier, 101);
	assert_int_equal(r.contrib[0].cost_ps, 303000);
}

/*
 * Two exits: for (i = 0; i < n && i < 100; i++) with n unknown.
 *   0: r2 = *(u64 *)(r1 + 0)       (n)
 *   1: r3 = 0
 *   2: if r3 >= r2 goto 6          <- header, exit (unknown bound)
 *   3: r3 += 1
 *   4: if r3 < 100 goto 2          back-edge when r3 (after step) < 100
 *   5: exit
 *   6: exit
 * r3 after the step 1..100: back-edge for 1..99 = 99 times.
 * iteration 2,3,4 = 3 insns; exits: 2 taken (1 insn, then exit) or 2,3,4
 * not taken (3 insns, then exit). worst = 2 + 99 * 3 + 3 + 1 = 303 insns.
 * Best: the loop may leave at once: 2 + 1 + 1 = 4 insns.
 */
static void test_loop_two_exits(void **state)
{
	struct bpf_insn p[] = {
		LDX(BPF_DW, 2, 1, 0), MOV64_IMM(3, 0),
		JMP_REG(BPF_JGE, 3, 2, 3), ALU64_IMM(BPF_ADD, 3, 1),
		JMP_IMM(BPF_JLT, 3, 100, -3), EXIT(), EXIT(),
	};
	struct bpfrt_an_result r;

	(void)state;
	assert_int_equal(run(p, ARRAY_LEN(p), NULL, &r), 0);
	expect(&r, 4000, 303000, 4, 303);
	assert_int_equal(r.flags, 0);
}

/*
 * Nested loops, 3 x 4:
 *   0: r1 = 0
 *   1: r2 = 0            <- outer header
 *   2: r0 += 1           <- inner header
 *   3: r2 += 1
 *   4: if r2 < 4 goto 2  inner: back-edge 3 times
 *   5: r1 += 1
 *   6: if r1 < 3 goto 1  outer: back-edge 2 times
 *   7: exit
 * inner per entry = 3 * 3 + 3 = 12 insns; outer iteration = 1 + 12 + 2 = 15;
 * outer per entry = 2 * 15 + 15 = 45; total = 1 + 45 + 1 = 47 insns.
 */
static void test_loop_nested(void **state)
{
	struct bpf_insn p[] = {
		MOV64_IMM(1, 0), MOV64_IMM(2, 0), ALU64_IMM(BPF_ADD, 0, 1),
		ALU64_IMM(BPF_ADD, 2, 1), JMP_IMM(BPF_JLT, 2, 4, -3),
		ALU64_IMM(BPF_ADD, 1, 1), JMP_IMM(BPF_JLT, 1, 3, -6), EXIT(),
	};
	struct bpfrt_an_result r;

	(void)state;
	assert_int_equal(run(p, ARRAY_LEN(p), NULL, &r), 0);
	expect(&r, 47000, 47000, 47, 47);
	/* the inner loop body runs 12 times per outer entry: 3 * 4 = 12 */
	assert_int_equal(r.contrib[0].kind, BPFRT_AN_C_LOOP);
	assert_int_equal(r.contrib[0].insn, 2);
	assert_int_equal(r.contrib[0].multiplier, 12);
	assert_int_equal(r.contrib[0].cost_ps, 36000);
}

/*
 * A "continue" of the outer loop from inside the inner loop, and a break out
 * of both (multi-level exits):
 *   0: r1 = 0
 *   1: r2 = 0              <- outer header
 *   2: r2 += 1             <- inner header
 *   3: if r3 == 7 goto 9   break out of both loops (r3 unknown)
 *   4: if r2 < 5 goto 2    inner back-edge: 4 times
 *   5: r1 += 1
 *   6: if r1 < 2 goto 1    outer back-edge: once
 *   7: r0 = 0
 *   8: exit
 *   9: r0 = 1
 *  10: exit
 * inner iteration 2,3,4 = 3; inner exit via 4: 3 insns; via 3: 2 insns.
 * inner per entry, worst to 5: 4 * 3 + 3 = 15; to 9: 4 * 3 + 2 = 14.
 * outer iteration = 1 + 15 + 2 = 18; outer to 7: 18 (last pass); to 9:
 * 1 + 14 = 15. outer per entry worst to 7 = 18 + 18 = 36, to 9 = 18 + 15 = 33.
 * worst = 1 + 36 + 2 = 39 insns; best: break at once: 0,1,2,3,9,10 = 6.
 */
static void test_loop_multilevel_exit(void **state)
{
	struct bpf_insn p[] = {
		MOV64_IMM(1, 0), MOV64_IMM(2, 0), ALU64_IMM(BPF_ADD, 2, 1),
		JMP_IMM(BPF_JEQ, 3, 7, 5), JMP_IMM(BPF_JLT, 2, 5, -3),
		ALU64_IMM(BPF_ADD, 1, 1), JMP_IMM(BPF_JLT, 1, 2, -6),
		MOV64_IMM(0, 0), EXIT(), MOV64_IMM(0, 1), EXIT(),
	};
	struct bpfrt_an_result r;

	(void)state;
	assert_int_equal(run(p, ARRAY_LEN(p), NULL, &r), 0);
	expect(&r, 6000, 39000, 6, 39);
}

/* ---- loop helpers ---- */

/*
 * bpf_loop(10, cb, NULL, 0):
 *   main: 0: r1 = 10; 1-2: r2 = cb (ld_imm64); 3: r3 = 0; 4: r4 = 0;
 *         5: call bpf_loop; 6: exit
 *   cb:   0: r0 = 0; 1: exit            (2 insns, 2000 ps)
 * each callback = callback overhead 1000 + 2000 = 3000, 10 of them.
 * worst = 4000 + 50000 + 30000 + 1000 = 85000; best = 4000 + 5000 + 30000 +
 * 1000 = 40000; insns 4 + 1 + 10 * 2 + 1 = 26; helper calls 1.
 */
static void test_bpf_loop_const(void **state)
{
	struct bpf_insn m[] = {
		MOV64_IMM(1, 10), LD_IMM64(2, BPF_PSEUDO_FUNC, 0),
		MOV64_IMM(3, 0), MOV64_IMM(4, 0), CALL(BPF_FUNC_loop), EXIT(),
	};
	struct bpf_insn cb[] = { MOV64_IMM(0, 0), EXIT() };
	struct bpfrt_an_annot am[ARRAY_LEN(m)] = { [1] = A_LD_FUNC(1) };
	struct bpfrt_an_func f[] = {
		{ .insns = m, .insn_cnt = ARRAY_LEN(m), .annot = am },
		{ .insns = cb, .insn_cnt = ARRAY_LEN(cb) },
	};
	struct bpfrt_an_result r;

	(void)state;
	assert_int_equal(run_prog(f, 2, NULL, 0, 0, &r), 0);
	expect(&r, 40000, 85000, 26, 26);
	assert_int_equal(r.worst_helper_calls, 1);
	assert_int_equal(r.flags, 0);
}

/*
 * bpf_loop with a count loaded from memory: 2^23 callbacks (flagged), none
 * in the best case.
 *   0: r1 = *(u32 *)(r6 + 0)  instead of r1 = 10
 * worst = 4000 + 50000 + 8388608 * 3000 + 1000; best = 4000 + 5000 + 1000.
 */
static void test_bpf_loop_variable(void **state)
{
	struct bpf_insn m[] = {
		LDX(BPF_W, 1, 6, 0), LD_IMM64(2, BPF_PSEUDO_FUNC, 0),
		MOV64_IMM(3, 0), MOV64_IMM(4, 0), CALL(BPF_FUNC_loop), EXIT(),
	};
	struct bpf_insn cb[] = { MOV64_IMM(0, 0), EXIT() };
	struct bpfrt_an_annot am[ARRAY_LEN(m)] = { [1] = A_LD_FUNC(1) };
	struct bpfrt_an_func f[] = {
		{ .insns = m, .insn_cnt = ARRAY_LEN(m), .annot = am },
		{ .insns = cb, .insn_cnt = ARRAY_LEN(cb) },
	};
	struct bpfrt_an_result r;

	(void)state;
	assert_int_equal(run_prog(f, 2, NULL, 0, 0, &r), 0);
	expect(&r, 10000, 55000 + 8388608ULL * 3000, 6,
	       6 + 8388608ULL * 2);
	assert_int_equal(r.flags, BPFRT_AN_F_LOOP_CAPPED);
	/* the callbacks dominate: the callback's own instructions */
	assert_int_equal(r.contrib[0].func, 1);
	assert_int_equal(r.contrib[0].multiplier, 8388608);
}

/*
 * nr_loops above BPF_MAX_LOOPS: the helper returns -E2BIG without calling
 * the callback: worst = best = 4000 + helper + 1000.
 */
static void test_bpf_loop_too_big(void **state)
{
	struct bpf_insn m[] = {
		MOV64_IMM(1, (1 << 23) + 1), LD_IMM64(2, BPF_PSEUDO_FUNC, 0),
		MOV64_IMM(3, 0), MOV64_IMM(4, 0), CALL(BPF_FUNC_loop), EXIT(),
	};
	struct bpf_insn cb[] = { MOV64_IMM(0, 0), EXIT() };
	struct bpfrt_an_annot am[ARRAY_LEN(m)] = { [1] = A_LD_FUNC(1) };
	struct bpfrt_an_func f[] = {
		{ .insns = m, .insn_cnt = ARRAY_LEN(m), .annot = am },
		{ .insns = cb, .insn_cnt = ARRAY_LEN(cb) },
	};
	struct bpfrt_an_result r;

	(void)state;
	assert_int_equal(run_prog(f, 2, NULL, 0, 0, &r), 0);
	expect(&r, 10000, 55000, 6, 6);
}

/*
 * The verifier's inlined bpf_loop (verifier.c inline_bpf_loop) with
 * nr_loops = 5 known and a callback of 2 insns:
 *   0: r1 = 5
 *   1: r3 = 0
 *   2: if r1 <= 0x800000 goto 5
 *   3: w0 = -E2BIG
 *   4: goto 21
 *   5-7: spill r6, r7, r8
 *   8: r6 = r1; 9: w7 = 0; 10: r8 = r3
 *  11: if r7 >= r6 goto 17     <- header, leaves when r7 >= 5
 *  12: r1 = r7; 13: r2 = r8
 *  14: call cb (bpf-to-bpf)
 *  15: r7 += 1
 *  16: if r0 == 0 goto 11
 *  17: r0 = r7; 18-20: fill r6, r7, r8
 *  21: exit
 * r7 = 0..4 stays: back-edge 5 times. Iteration 11,12,13,14,15,16 = 6 insns,
 * the call costs 1000 overhead + 2000 callee and adds 2 insns: 8 insns, 8000.
 * Leaving: via 11 (1 insn) or via 16 not taken (8): worst 8000.
 * worst = 9 (0,1,2,5..10) + 5 * 8 + 8 + 5 (17..21) = 62 insns.
 * best: the -E2BIG branch 0,1,2,3,4,21 = 6 insns (not pruned: the analysis
 * does not evaluate conditions).
 */
static struct bpf_insn inl_main[] = {
	MOV64_IMM(1, 5), MOV64_IMM(3, 0),
	JMP_IMM(BPF_JLE, 1, 1 << 23, 2), MOV32_IMM(0, -7), JA(16),
	STX(BPF_DW, 10, 6, -24), STX(BPF_DW, 10, 7, -16),
	STX(BPF_DW, 10, 8, -8), MOV64_REG(6, 1), MOV32_IMM(7, 0),
	MOV64_REG(8, 3), JMP_REG(BPF_JGE, 7, 6, 5), MOV64_REG(1, 7),
	MOV64_REG(2, 8), CALL_REL(0), ALU64_IMM(BPF_ADD, 7, 1),
	JMP_IMM(BPF_JEQ, 0, 0, -6), MOV64_REG(0, 7), LDX(BPF_DW, 6, 10, -24),
	LDX(BPF_DW, 7, 10, -16), LDX(BPF_DW, 8, 10, -8), EXIT(),
};

static void test_inlined_bpf_loop(void **state)
{
	struct bpf_insn cb[] = { MOV64_IMM(0, 0), EXIT() };
	struct bpfrt_an_annot am[ARRAY_LEN(inl_main)] = { [14] = A_FUNC(1) };
	struct bpfrt_an_func f[] = {
		{ .insns = inl_main, .insn_cnt = ARRAY_LEN(inl_main),
		  .annot = am },
		{ .insns = cb, .insn_cnt = ARRAY_LEN(cb) },
	};
	struct bpfrt_an_result r;

	(void)state;
	assert_int_equal(run_prog(f, 2, NULL, 0, 0, &r), 0);
	expect(&r, 6000, 62000, 6, 62);
	assert_int_equal(r.flags, 0);
}

/*
 * The same with nr_loops unknown (r1 loaded): the inlined form caps it at
 * BPF_MAX_LOOPS: worst = 9 + 2^23 * 8 + 8 + 5 insns, flagged LOOP_CAPPED.
 */
static void test_inlined_bpf_loop_variable(void **state)
{
	struct bpf_insn p[ARRAY_LEN(inl_main)];
	struct bpf_insn cb[] = { MOV64_IMM(0, 0), EXIT() };
	struct bpfrt_an_annot am[ARRAY_LEN(inl_main)] = { [14] = A_FUNC(1) };
	struct bpfrt_an_func f[] = {
		{ .insns = p, .insn_cnt = ARRAY_LEN(p), .annot = am },
		{ .insns = cb, .insn_cnt = ARRAY_LEN(cb) },
	};
	struct bpfrt_an_result r;
	uint64_t w = 9 + 8388608ULL * 8 + 8 + 5;

	(void)state;
	memcpy(p, inl_main, sizeof(p));
	p[0] = LDX(BPF_W, 1, 1, 0);
	assert_int_equal(run_prog(f, 2, NULL, 0, 0, &r), 0);
	expect(&r, 6000, w * 1000, 6, w);
	assert_int_equal(r.flags, BPFRT_AN_F_LOOP_CAPPED);
}

/*
 * bpf_for_each_map_elem over an array of 16 and over a hash of 100:
 *   0-1: r1 = map; 2-3: r2 = cb; 4: r3 = 0; 5: r4 = 0; 6: call; 7: exit
 *   cb: r0 = 0; exit (2000 ps, 2 insns)
 * array: walks 16 elements (1000 each), 16 callbacks (1000 + 2000 each);
 *   worst = 4000 + 50000 + 16000 + 48000 + 1000 = 119000;
 *   best: an array always has its elements, the callback may stop at the
 *   first: 4000 + 5000 + 1000 + 3000 + 1000 = 14000.
 *   insns worst 4 + 1 + 16 * 2 + 1 = 38, best 4 + 1 + 2 + 1 = 8.
 * hash of 100: walks roundup_pow_of_two(100) = 128 buckets, 100 callbacks;
 *   worst = 4000 + 50000 + 128000 + 300000 + 1000 = 483000; at best the
 *   walk stops in the first bucket, and the hash may be empty (no callback):
 *   best = 4000 + 5000 + 1000 + 1000 = 11000; insns 4 + 1 + 200 + 1 = 206
 *   and 6.
 */
static void for_each(unsigned int type, unsigned int max_entries,
		     struct bpfrt_an_result *r)
{
	struct bpf_insn m[] = {
		LD_IMM64(1, BPF_PSEUDO_MAP_IDX, 0),
		LD_IMM64(2, BPF_PSEUDO_FUNC, 0), MOV64_IMM(3, 0),
		MOV64_IMM(4, 0), CALL(BPF_FUNC_for_each_map_elem), EXIT(),
	};
	struct bpf_insn cb[] = { MOV64_IMM(0, 0), EXIT() };
	struct bpfrt_an_annot am[ARRAY_LEN(m)] = { [0] = A_LD_MAP(0),
						   [2] = A_LD_FUNC(1) };
	struct bpfrt_an_func f[] = {
		{ .insns = m, .insn_cnt = ARRAY_LEN(m), .annot = am },
		{ .insns = cb, .insn_cnt = ARRAY_LEN(cb) },
	};
	struct bpfrt_an_map map = { .type = type, .max_entries = max_entries,
				    .key_size = 4, .value_size = 8 };

	assert_int_equal(run_prog(f, 2, &map, 1, 0, r), 0);
}

static void test_for_each_array(void **state)
{
	struct bpfrt_an_result r;

	(void)state;
	for_each(BPF_MAP_TYPE_ARRAY, 16, &r);
	expect(&r, 14000, 119000, 8, 38);
	assert_int_equal(r.flags, 0);
}

static void test_for_each_hash(void **state)
{
	struct bpfrt_an_result r;

	(void)state;
	for_each(BPF_MAP_TYPE_HASH, 100, &r);
	expect(&r, 11000, 483000, 6, 206);
}

/*
 * A map helper on a known map is costed as that map's operation:
 *   0-1: r1 = map; 2: r2 = r10; 3: r2 += -8; 4: call map_lookup_elem; 5: exit
 * worst = 3000 + 20000 (map op) + 1000 = 24000; best = 3000 + 2000 + 1000.
 */
static void test_map_lookup(void **state)
{
	struct bpf_insn m[] = {
		LD_IMM64(1, BPF_PSEUDO_MAP_IDX, 0), MOV64_REG(2, 10),
		ALU64_IMM(BPF_ADD, 2, -8), CALL(BPF_FUNC_map_lookup_elem),
		EXIT(),
	};
	struct bpfrt_an_annot am[ARRAY_LEN(m)] = { [0] = A_LD_MAP(0) };
	struct bpfrt_an_func f = { .insns = m, .insn_cnt = ARRAY_LEN(m),
				   .annot = am };
	struct bpfrt_an_map map = { .type = BPF_MAP_TYPE_HASH,
				    .max_entries = 10 };
	struct bpfrt_an_result r;

	(void)state;
	assert_int_equal(run_prog(&f, 1, &map, 1, 0, &r), 0);
	expect(&r, 6000, 24000, 5, 5);
	assert_int_equal(r.contrib[0].kind, BPFRT_AN_C_MAP_OP);
	assert_int_equal(r.contrib[0].op, BPFRT_MAP_OP_LOOKUP);
	assert_int_equal(r.contrib[0].id, 0);
}

/* ---- calls ---- */

/*
 * main calls f1 twice; f1 has a diamond (worst 4 insns with a helper, best
 * 3 insns):
 *   main: 0: call f1; 1: call f1; 2: exit
 *   f1:   0: if r1 == 0 goto 2; 1: call ktime_get_ns; 2: exit
 *   f1 worst: 0,1,2 = 2 insns + helper = 52000, 3 insns; best: 0,2 = 2000.
 *   each call = 1000 overhead + f1, 1 insn + f1's.
 * worst = 2 * (1000 + 52000) + 1000 = 107000, insns 2 * 4 + 1 = 9
 * best = 2 * (1000 + 2000) + 1000 = 7000, insns 2 * 3 + 1 = 7
 */
static void test_subprog_calls(void **state)
{
	struct bpf_insn m[] = { CALL_REL(0), CALL_REL(0), EXIT() };
	struct bpf_insn f1[] = {
		JMP_IMM(BPF_JEQ, 1, 0, 1), CALL(BPF_FUNC_ktime_get_ns), EXIT(),
	};
	struct bpfrt_an_annot am[3] = { A_FUNC(1), A_FUNC(1) };
	struct bpfrt_an_func f[] = {
		{ .insns = m, .insn_cnt = 3, .annot = am },
		{ .insns = f1, .insn_cnt = 3 },
	};
	struct bpfrt_an_result r;

	(void)state;
	assert_int_equal(run_prog(f, 2, NULL, 0, 0, &r), 0);
	expect(&r, 7000, 107000, 7, 9);
	assert_int_equal(r.worst_helper_calls, 2);
	/* the helper inside f1, reached by both calls: 2 * 50000 */
	assert_int_equal(r.contrib[0].func, 1);
	assert_int_equal(r.contrib[0].insn, 1);
	assert_int_equal(r.contrib[0].multiplier, 2);
	assert_int_equal(r.contrib[0].cost_ps, 100000);
}

/*
 * Call chain main -> f1 -> f2 inside a loop of f1 (4 iterations):
 *   main: 0: call f1; 1: exit
 *   f1:   0: r6 = 0; 1: call f2 (header); 2: r6 += 1; 3: if r6 < 4 goto 1;
 *         4: exit
 *   f2:   0: r0 = 1; 1: exit                 (2 insns)
 * f1: back-edge 3 times; iteration = call (1000 + 2000, 3 insns) + 2 = 5000,
 *     5 insns; f1 = 1 + 4 * 5 + 1 = 22 insns.
 * main = call (1000 + 22000) + exit = 24000, 24 insns.
 */
static void test_call_chain_in_loop(void **state)
{
	struct bpf_insn m[] = { CALL_REL(0), EXIT() };
	struct bpf_insn f1[] = {
		MOV64_IMM(6, 0), CALL_REL(0), ALU64_IMM(BPF_ADD, 6, 1),
		JMP_IMM(BPF_JLT, 6, 4, -3), EXIT(),
	};
	struct bpf_insn f2[] = { MOV64_IMM(0, 1), EXIT() };
	struct bpfrt_an_annot am[2] = { A_FUNC(1) };
	struct bpfrt_an_annot a1[5] = { [1] = A_FUNC(2) };
	struct bpfrt_an_func f[] = {
		{ .insns = m, .insn_cnt = 2, .annot = am },
		{ .insns = f1, .insn_cnt = 5, .annot = a1 },
		{ .insns = f2, .insn_cnt = 2 },
	};
	struct bpfrt_an_result r;

	(void)state;
	assert_int_equal(run_prog(f, 3, NULL, 0, 0, &r), 0);
	expect(&r, 24000, 24000, 24, 24);
}

/*
 * Tail call: the call may jump away (the other program is not included) or
 * fall through:
 *   0-1: r2 = prog array; 2: r3 = 0; 3: call tail_call; 4: r0 = 1; 5: exit
 * worst = 3 * 1000 (ld, mov, tail call) + 2000 = 5000; best: jumped away
 * after 3 insns = 3000.
 */
static void test_tail_call(void **state)
{
	struct bpf_insn m[] = {
		LD_IMM64(2, BPF_PSEUDO_MAP_IDX, 0), MOV64_IMM(3, 0),
		CALL(BPF_FUNC_tail_call), MOV64_IMM(0, 1), EXIT(),
	};
	struct bpfrt_an_annot am[ARRAY_LEN(m)] = { [0] = A_LD_MAP(0) };
	struct bpfrt_an_func f = { .insns = m, .insn_cnt = ARRAY_LEN(m),
				   .annot = am };
	struct bpfrt_an_map map = { .type = BPF_MAP_TYPE_PROG_ARRAY,
				    .max_entries = 4 };
	struct bpfrt_an_result r;

	(void)state;
	assert_int_equal(run_prog(&f, 1, &map, 1, 0, &r), 0);
	expect(&r, 3000, 5000, 3, 5);
	assert_int_equal(r.flags, BPFRT_AN_F_TAIL_CALL);
}

/* The kernel's BPF_TAIL_CALL instruction (code 0xf5) behaves the same. */
static void test_tail_call_kernel_insn(void **state)
{
	struct bpf_insn m[] = {
		I(BPF_JMP | 0xf0, 0, 0, 0, 0), MOV64_IMM(0, 1), EXIT(),
	};
	struct bpfrt_an_result r;

	(void)state;
	assert_int_equal(run(m, ARRAY_LEN(m), NULL, &r), 0);
	expect(&r, 1000, 3000, 1, 3);
	assert_int_equal(r.flags, BPFRT_AN_F_TAIL_CALL);
}

/* ---- saturation ---- */

/*
 * Three nested bpf_loop with unknown counts: (2^23)^3 * 1000 ps is far
 * beyond 2^64: the worst case saturates instead of wrapping.
 *   f0: r1 = *(r1); r2 = f1; call bpf_loop; exit   (f1 the same with f2,
 *   f2 the same with f3, f3: r0 = 0; exit)
 */
static void test_saturation(void **state)
{
	struct bpf_insn lvl[3][5];
	struct bpf_insn leaf[] = { MOV64_IMM(0, 0), EXIT() };
	struct bpfrt_an_annot an[3][5];
	struct bpfrt_an_func f[4];
	struct bpfrt_an_result r;
	int i;

	(void)state;
	memset(an, 0, sizeof(an));
	for (i = 0; i < 3; i++) {
		struct bpf_insn t[] = {
			LDX(BPF_W, 1, 1, 0), LD_IMM64(2, BPF_PSEUDO_FUNC, 0),
			CALL(BPF_FUNC_loop), EXIT(),
		};

		memcpy(lvl[i], t, sizeof(t));
		an[i][1] = A_LD_FUNC(i + 1);
		f[i] = (struct bpfrt_an_func){ .insns = lvl[i], .insn_cnt = 5,
					       .annot = an[i] };
	}
	f[3] = (struct bpfrt_an_func){ .insns = leaf, .insn_cnt = 2 };
	assert_int_equal(run_prog(f, 4, NULL, 0, 0, &r), 0);
	assert_int_equal(r.worst_ps, BPFRT_AN_UNBOUNDED);
	assert_int_equal(r.worst_ns, BPFRT_AN_UNBOUNDED);
	assert_true(r.flags & BPFRT_AN_F_UNBOUNDED);
	assert_true(r.flags & BPFRT_AN_F_LOOP_CAPPED);
	/* best: no callback at all: ldx, ld_imm64, exit + helper best */
	assert_int_equal(r.best_ps, 3000 + 5000);
}

/* ---- hostile input ---- */

static void test_bad_opcode(void **state)
{
	struct bpf_insn p[] = { MOV64_IMM(0, 0), I(0xff, 0, 0, 0, 0), EXIT() };
	struct bpfrt_an_result r;

	(void)state;
	assert_int_equal(run(p, ARRAY_LEN(p), NULL, &r), -EINVAL);
	assert_int_equal(r.err_func, 0);
	assert_int_equal(r.err_insn, 1);
}

static void test_jump_out_of_range(void **state)
{
	struct bpf_insn p[] = { JA(5), EXIT() };
	struct bpf_insn q[] = { JMP_IMM(BPF_JEQ, 1, 0, -3), EXIT() };
	struct bpfrt_an_result r;

	(void)state;
	assert_int_equal(run(p, 2, NULL, &r), -EINVAL);
	assert_int_equal(r.err_insn, 0);
	assert_int_equal(run(q, 2, NULL, &r), -EINVAL);
}

/* A jump into the second half of an ld_imm64 is rejected. */
static void test_jump_into_ld_imm64(void **state)
{
	struct bpf_insn p[] = {
		JA(1), LD_IMM64(1, 0, 7), EXIT(),
	};
	struct bpfrt_an_result r;

	(void)state;
	assert_int_equal(run(p, ARRAY_LEN(p), NULL, &r), -EINVAL);
}

static void test_falls_off_end(void **state)
{
	struct bpf_insn p[] = { MOV64_IMM(0, 0), MOV64_IMM(0, 1) };
	struct bpf_insn q[] = { MOV64_IMM(0, 0), LD_IMM64(1, 0, 0) };
	struct bpf_insn t[] = { MOV64_IMM(0, 0), I(BPF_LD | BPF_DW | BPF_IMM,
						  1, 0, 0, 0) };
	struct bpfrt_an_result r;

	(void)state;
	assert_int_equal(run(p, 2, NULL, &r), -EINVAL);
	assert_int_equal(run(q, 3, NULL, &r), -EINVAL);
	assert_int_equal(run(t, 2, NULL, &r), -EINVAL);	/* truncated */
}

static void test_write_fp(void **state)
{
	struct bpf_insn p[] = { MOV64_IMM(10, 0), EXIT() };
	struct bpfrt_an_result r;

	(void)state;
	assert_int_equal(run(p, 2, NULL, &r), -EINVAL);
}

static void test_bad_annotation(void **state)
{
	struct bpf_insn p[] = { CALL_REL(0), EXIT() };
	struct bpfrt_an_annot a[2] = { A_FUNC(7) };
	struct bpfrt_an_annot b[2] = { A_LD_MAP(0) };	/* on a call */
	struct bpfrt_an_result r;

	(void)state;
	assert_int_equal(run(p, 2, a, &r), -EINVAL);
	assert_int_equal(run(p, 2, b, &r), -EINVAL);
}

/* Unannotated bpf-to-bpf call: costed as an unknown call, flagged. */
static void test_unknown_call(void **state)
{
	struct bpf_insn p[] = { CALL_REL(0), EXIT() };
	struct bpfrt_an_result r;

	(void)state;
	assert_int_equal(run(p, 2, NULL, &r), 0);
	expect(&r, 2000, 2000, 2, 2);
	assert_int_equal(r.flags, BPFRT_AN_F_UNKNOWN_CALL);
}

/* "goto self": no exit, flagged, unbounded. */
static void test_infinite_loop(void **state)
{
	struct bpf_insn p[] = { MOV64_IMM(0, 0), JA(-1) };
	struct bpfrt_an_result r;

	(void)state;
	assert_int_equal(run(p, 2, NULL, &r), 0);
	assert_int_equal(r.worst_ps, BPFRT_AN_UNBOUNDED);
	assert_true(r.flags & BPFRT_AN_F_NO_EXIT);
}

/*
 * Irreducible: two entries into a cycle.
 *   0: if r1 == 0 goto 2
 *   1: r0 += 1        <- 1 and 2 form a cycle entered at both
 *   2: r0 += 2
 *   3: if r0 < 10 goto 1
 *   4: exit
 * flagged; worst = budget (100) * every block once (insns 0..4 = 5, plus
 * each block's most expensive edge is already counted: 5 insns) = 500000.
 */
static void test_irreducible(void **state)
{
	struct bpf_insn p[] = {
		JMP_IMM(BPF_JEQ, 1, 0, 1), ALU64_IMM(BPF_ADD, 0, 1),
		ALU64_IMM(BPF_ADD, 0, 2), JMP_IMM(BPF_JLT, 0, 10, -3), EXIT(),
	};
	struct bpfrt_an_func f = { .insns = p, .insn_cnt = ARRAY_LEN(p) };
	struct bpfrt_an_result r;

	(void)state;
	assert_int_equal(run_prog(&f, 1, NULL, 0, 100, &r), 0);
	assert_true(r.flags & BPFRT_AN_F_IRREDUCIBLE);
	assert_int_equal(r.worst_ps, 500000);
	assert_int_equal(r.best_ps, 0);
}

/* main -> f1 -> main: a cycle in the call graph is unbounded. */
static void test_recursion(void **state)
{
	struct bpf_insn m[] = { CALL_REL(0), EXIT() };
	struct bpf_insn f1[] = { CALL_REL(0), EXIT() };
	struct bpfrt_an_annot am[2] = { A_FUNC(1) };
	struct bpfrt_an_annot a1[2] = { A_FUNC(0) };
	struct bpfrt_an_func f[] = {
		{ .insns = m, .insn_cnt = 2, .annot = am },
		{ .insns = f1, .insn_cnt = 2, .annot = a1 },
	};
	struct bpfrt_an_result r;

	(void)state;
	assert_int_equal(run_prog(f, 2, NULL, 0, 0, &r), 0);
	assert_int_equal(r.worst_ps, BPFRT_AN_UNBOUNDED);
	assert_true(r.flags & BPFRT_AN_F_RECURSION);
}

static void test_limits(void **state)
{
	static struct bpfrt_an_func f[BPFRT_AN_MAX_FUNCS + 1];
	struct bpf_insn p[] = { MOV64_IMM(0, 0), EXIT() };
	struct bpfrt_an_result r;
	unsigned int i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(f); i++)
		f[i] = (struct bpfrt_an_func){ .insns = p, .insn_cnt = 2 };
	assert_int_equal(run_prog(f, ARRAY_LEN(f), NULL, 0, 0, &r), -E2BIG);
	assert_int_equal(run_prog(f, BPFRT_AN_MAX_FUNCS, NULL, 0, 0, &r), 0);
	f[0].insn_cnt = BPFRT_AN_MAX_INSNS;	/* with 255 others: too many */
	assert_int_equal(run_prog(f, 2, NULL, 0, 0, &r), -E2BIG);
	assert_int_equal(run_prog(NULL, 0, NULL, 0, 0, &r), -EINVAL);
	assert_int_equal(run_prog(f, 0, NULL, 0, 0, &r), -EINVAL);
}

static void test_bad_cost_model(void **state)
{
	struct bpf_insn p[] = { MOV64_IMM(0, 0), EXIT() };
	struct bpfrt_an_func f = { .insns = p, .insn_cnt = 2 };
	struct bpfrt_an_prog pr = { .funcs = &f, .func_cnt = 1 };
	struct bpfrt_an_result r;
	struct bpfrt_cost_model bad = cm;

	(void)state;
	bad.size--;
	assert_int_equal(bpfrt_an_estimate(&pr, &bad, &r), -EINVAL);
	bad = cm;
	bad.reserved = 1;
	assert_int_equal(bpfrt_an_estimate(&pr, &bad, &r), -EINVAL);
}

/*
 * Missing and default costs: an absent helper entry falls back to the
 * model's helper default (flagged MISSING_COST); the built-in model flags
 * DEFAULT_COST.
 */
static void test_cost_flags(void **state)
{
	struct bpf_insn p[] = { CALL(BPF_FUNC_ktime_get_ns), EXIT() };
	struct bpfrt_an_func f = { .insns = p, .insn_cnt = 2 };
	struct bpfrt_an_prog pr = { .funcs = &f, .func_cnt = 1 };
	struct bpfrt_cost_model *m = malloc(sizeof(*m));
	struct bpfrt_an_result r;

	(void)state;
	assert_non_null(m);
	*m = cm;
	memset(&m->helper[BPF_FUNC_ktime_get_ns], 0, sizeof(m->helper[0]));
	m->insn[BPFRT_IC_HELPER_DEFAULT].worst_ps = 7000;
	assert_int_equal(bpfrt_an_estimate(&pr, m, &r), 0);
	assert_int_equal(r.worst_ps, 7000 + 1000);
	assert_int_equal(r.flags, BPFRT_AN_F_MISSING_COST);

	bpfrt_cost_model_default(m);
	assert_int_equal(bpfrt_cost_model_check(m), 0);
	assert_int_equal(bpfrt_an_estimate(&pr, m, &r), 0);
	assert_int_equal(r.flags, BPFRT_AN_F_DEFAULT_COST);
	/* ktime_get_ns: 200 ns worst in the built-in table, exit 10 ns */
	assert_int_equal(r.worst_ns, 210);
	free(m);
}

/* ---- the userspace splitter ---- */

/*
 * .bpf.o layout: main at 0, a subprogram at 4 called by relative offset, a
 * callback at 6 referenced by ld_imm64 BPF_PSEUDO_FUNC (both relative to
 * the instruction after the first slot, as libbpf relocates them).
 *   0: call +3 (-> 4)     1-2: r2 = callback (+4 -> 6)   3: exit
 *   4: r0 = 0             5: exit
 *   6: r0 = 1             7: exit
 */
static void test_split_raw(void **state)
{
	struct bpf_insn p[] = {
		CALL_REL(3), LD_IMM64(2, BPF_PSEUDO_FUNC, 4), EXIT(),
		MOV64_IMM(0, 0), EXIT(), MOV64_IMM(0, 1), EXIT(),
	};
	struct bpfrt_an_annot an[ARRAY_LEN(p)];
	struct bpfrt_an_func f[4];
	struct bpfrt_an_result r;
	int nf;

	(void)state;
	nf = bpfrt_an_split_raw(p, ARRAY_LEN(p), NULL, f, 4, an);
	assert_int_equal(nf, 3);
	assert_int_equal(f[0].insn_cnt, 4);
	assert_int_equal(f[1].insn_cnt, 2);
	assert_int_equal(f[2].insn_cnt, 2);
	assert_int_equal(an[0].kind, BPFRT_AN_K_FUNC);
	assert_int_equal(an[0].id, 1);
	assert_int_equal(an[1].kind, BPFRT_AN_K_LD_FUNC);
	assert_int_equal(an[1].id, 2);
	/* main: call (1000 + 2000) + ld_imm64 + exit = 5000 */
	assert_int_equal(run_prog(f, nf, NULL, 0, 0, &r), 0);
	expect(&r, 5000, 5000, 5, 5);
	/* a call target outside the program */
	p[0] = CALL_REL(30);
	assert_int_equal(bpfrt_an_split_raw(p, ARRAY_LEN(p), NULL, f, 4, an),
			 -EINVAL);
	p[0] = CALL_REL(3);
	assert_int_equal(bpfrt_an_split_raw(p, ARRAY_LEN(p), NULL, f, 2, an),
			 -E2BIG);
}

/* ---- soundness corner cases ---- */

/*
 * bpf_loop(10, cb) where the callback may return 1 (r0 = index & 1): the
 * helper stops at the first non-zero return, so the best case runs the
 * callback once; the worst case all 10 times. Callback 3 insns + 1000
 * invocation overhead = 4000.
 * worst = 4000 (4 insns) + 50000 + 10 * 4000 + 1000 = 95000, 4+1+30+1 = 36
 * best  = 4000 + 5000 + 1 * 4000 + 1000 = 14000, 4+1+3+1 = 9 insns.
 */
static void test_bpf_loop_const_may_stop(void **state)
{
	struct bpf_insn m[] = {
		MOV64_IMM(1, 10), LD_IMM64(2, BPF_PSEUDO_FUNC, 0),
		MOV64_IMM(3, 0), MOV64_IMM(4, 0), CALL(BPF_FUNC_loop), EXIT(),
	};
	struct bpf_insn cb[] = {
		MOV64_REG(0, 1), ALU64_IMM(BPF_AND, 0, 1), EXIT(),
	};
	struct bpfrt_an_annot am[ARRAY_LEN(m)] = { [1] = A_LD_FUNC(1) };
	struct bpfrt_an_func f[] = {
		{ .insns = m, .insn_cnt = ARRAY_LEN(m), .annot = am },
		{ .insns = cb, .insn_cnt = ARRAY_LEN(cb) },
	};
	struct bpfrt_an_result r;

	(void)state;
	assert_int_equal(run_prog(f, 2, NULL, 0, 0, &r), 0);
	expect(&r, 14000, 95000, 9, 36);
	assert_int_equal(r.flags, 0);
}

/*
 * An uninferred loop whose cheapest iteration in time is not its shortest:
 *   0: r6 = *(u64 *)(r1 + 0)      count, unknown
 *   1: r7 = *(u64 *)(r1 + 8)      selector, unknown
 *   2: r6 += -1                   <- header
 *   3: if r7 != 0 goto 6
 *   4: call ktime_get_ns          path A: 2,3,4,5,9 = 5 insns,
 *   5: goto 9                       best 4 * 1000 + 5000 = 9000, worst 54000
 *   6: r0 += 1                    path B: 2,3,6,7,8,9 = 6 insns,
 *   7: r0 += 1                      6000 best and worst
 *   8: r0 += 1
 *   9: if r6 != 0 goto 2
 *  10: exit
 * The verifier walks at least 5 instructions per iteration: budget 600 /
 * 5 = 120 back-edges (budget / 6, from the cheaper path B, would be 100:
 * too few). worst = 2000 + 120 * 54000 + (54000 + 1000) = 6537000, insns
 * 2 + 120 * 5 + 5 + 1 = 608; best = 2000 + 6000 + 1000 = 9000 (B, then
 * 10), 2 + 6 + 1 = 9 insns.
 */
static void test_loop_fallback_fewest_insns(void **state)
{
	struct bpf_insn p[] = {
		LDX(BPF_DW, 6, 1, 0), LDX(BPF_DW, 7, 1, 8),
		ALU64_IMM(BPF_ADD, 6, -1), JMP_IMM(BPF_JNE, 7, 0, 2),
		CALL(BPF_FUNC_ktime_get_ns), JA(3),
		ALU64_IMM(BPF_ADD, 0, 1), ALU64_IMM(BPF_ADD, 0, 1),
		ALU64_IMM(BPF_ADD, 0, 1), JMP_IMM(BPF_JNE, 6, 0, -8), EXIT(),
	};
	struct bpfrt_an_func f = { .insns = p, .insn_cnt = ARRAY_LEN(p) };
	struct bpfrt_an_result r;

	(void)state;
	assert_int_equal(run_prog(&f, 1, NULL, 0, 600, &r), 0);
	expect(&r, 9000, 6537000, 9, 608);
	assert_true(r.flags & BPFRT_AN_F_LOOP_UNBOUNDED);
	assert_int_equal(r.contrib[0].kind, BPFRT_AN_C_HELPER);
	assert_int_equal(r.contrib[0].multiplier, 121);
}

/*
 * A counter in a stack slot, reset through a pointer that only points at
 * it from the second iteration on:
 *   0: r7 = r1                     not this frame
 *   1: *(u64 *)(r10 - 8) = 0
 *   2: *(u64 *)(r7 + 0) = 0        <- header; resets the counter once r7
 *   3: r1 = *(u64 *)(r10 - 8)         points at it
 *   4: r1 += 1
 *   5: *(u64 *)(r10 - 8) = r1
 *   6: r7 = r10
 *   7: r7 += -8
 *   8: if r1 < 10 goto 2
 *   9: exit
 * It never ends (the verifier would refuse it); "10 iterations" would be
 * wrong. No bound: budget 700 / 7 insns = 100 back-edges, flagged.
 * worst = 2000 + 100 * 7000 + 7000 + 1000 = 710000, 710 insns;
 * best = 2000 + 7000 + 1000 = 10000, 10 insns.
 */
static void test_loop_fp_round_the_back_edge(void **state)
{
	struct bpf_insn p[] = {
		MOV64_REG(7, 1), ST(BPF_DW, 10, -8, 0), ST(BPF_DW, 7, 0, 0),
		LDX(BPF_DW, 1, 10, -8), ALU64_IMM(BPF_ADD, 1, 1),
		STX(BPF_DW, 10, 1, -8), MOV64_REG(7, 10),
		ALU64_IMM(BPF_ADD, 7, -8), JMP_IMM(BPF_JLT, 1, 10, -7), EXIT(),
	};
	struct bpfrt_an_func f = { .insns = p, .insn_cnt = ARRAY_LEN(p) };
	struct bpfrt_an_result r;

	(void)state;
	assert_int_equal(run_prog(&f, 1, NULL, 0, 700, &r), 0);
	expect(&r, 10000, 710000, 10, 710);
	assert_true(r.flags & BPFRT_AN_F_LOOP_UNBOUNDED);
}

/*
 * A bpf-to-bpf callee writes below the pointer it is given: the caller's
 * counter at fp-16 is reset through fp-8 - 8.
 *   main: 0: *(u64 *)(r10 - 16) = 0
 *         1: r1 = r10              <- header
 *         2: r1 += -8
 *         3: call f1
 *         4: r1 = *(u64 *)(r10 - 16)
 *         5: r1 += 1
 *         6: *(u64 *)(r10 - 16) = r1
 *         7: if r1 < 10 goto 1
 *         8: exit
 *   f1:   0: *(u64 *)(r1 - 8) = 0; 1: r0 = 0; 2: exit     (3000, 3 insns)
 * No bound: the verifier walks 7 instructions of main per iteration (the
 * callee apart): budget 700 / 7 = 100 back-edges. An iteration costs
 * 2000 + (1000 + 3000) + 3000 + 1000 = 10000 and counts 10 insns.
 * worst = 1000 + 100 * 10000 + 10000 + 1000 = 1012000, 1012 insns;
 * best = 1000 + 10000 + 1000 = 12000, 12 insns.
 */
static void test_callee_writes_below_pointer(void **state)
{
	struct bpf_insn m[] = {
		ST(BPF_DW, 10, -16, 0), MOV64_REG(1, 10),
		ALU64_IMM(BPF_ADD, 1, -8), CALL_REL(0),
		LDX(BPF_DW, 1, 10, -16), ALU64_IMM(BPF_ADD, 1, 1),
		STX(BPF_DW, 10, 1, -16), JMP_IMM(BPF_JLT, 1, 10, -7), EXIT(),
	};
	struct bpf_insn f1[] = {
		ST(BPF_DW, 1, -8, 0), MOV64_IMM(0, 0), EXIT(),
	};
	struct bpfrt_an_annot am[ARRAY_LEN(m)] = { [3] = A_FUNC(1) };
	struct bpfrt_an_func f[] = {
		{ .insns = m, .insn_cnt = ARRAY_LEN(m), .annot = am },
		{ .insns = f1, .insn_cnt = ARRAY_LEN(f1) },
	};
	struct bpfrt_an_result r;

	(void)state;
	assert_int_equal(run_prog(f, 2, NULL, 0, 700, &r), 0);
	expect(&r, 12000, 1012000, 12, 1012);
	assert_true(r.flags & BPFRT_AN_F_LOOP_UNBOUNDED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_straight_line),
		cmocka_unit_test(test_diamond),
		cmocka_unit_test(test_nested_branches),
		cmocka_unit_test(test_loop_lt_up),
		cmocka_unit_test(test_loop_le_top),
		cmocka_unit_test(test_loop_ne_up),
		cmocka_unit_test(test_loop_down_32),
		cmocka_unit_test(test_loop_ne_down_helper),
		cmocka_unit_test(test_loop_stack_counter),
		cmocka_unit_test(test_loop_stack_counter_clobbered),
		cmocka_unit_test(test_loop_unbounded),
		cmocka_unit_test(test_loop_two_exits),
		cmocka_unit_test(test_loop_nested),
		cmocka_unit_test(test_loop_multilevel_exit),
		cmocka_unit_test(test_bpf_loop_const),
		cmocka_unit_test(test_bpf_loop_variable),
		cmocka_unit_test(test_bpf_loop_too_big),
		cmocka_unit_test(test_inlined_bpf_loop),
		cmocka_unit_test(test_inlined_bpf_loop_variable),
		cmocka_unit_test(test_for_each_array),
		cmocka_unit_test(test_for_each_hash),
		cmocka_unit_test(test_map_lookup),
		cmocka_unit_test(test_subprog_calls),
		cmocka_unit_test(test_call_chain_in_loop),
		cmocka_unit_test(test_tail_call),
		cmocka_unit_test(test_tail_call_kernel_insn),
		cmocka_unit_test(test_saturation),
		cmocka_unit_test(test_bad_opcode),
		cmocka_unit_test(test_jump_out_of_range),
		cmocka_unit_test(test_jump_into_ld_imm64),
		cmocka_unit_test(test_falls_off_end),
		cmocka_unit_test(test_write_fp),
		cmocka_unit_test(test_bad_annotation),
		cmocka_unit_test(test_unknown_call),
		cmocka_unit_test(test_infinite_loop),
		cmocka_unit_test(test_irreducible),
		cmocka_unit_test(test_recursion),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_bad_cost_model),
		cmocka_unit_test(test_cost_flags),
		cmocka_unit_test(test_split_raw),
		cmocka_unit_test(test_bpf_loop_const_may_stop),
		cmocka_unit_test(test_loop_fallback_fewest_insns),
		cmocka_unit_test(test_loop_fp_round_the_back_edge),
		cmocka_unit_test(test_callee_writes_below_pointer),
	};

	test_cost_model(&cm);
	return cmocka_run_group_tests_name("analyzer", tests, NULL, NULL);
}
