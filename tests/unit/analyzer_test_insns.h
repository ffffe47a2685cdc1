/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hand assembly of BPF instructions for the analyzer tests, and a cost model
 * with round numbers so the expected values can be derived by hand.
 */
#ifndef BPFRT_ANALYZER_TEST_INSNS_H
#define BPFRT_ANALYZER_TEST_INSNS_H

#include <string.h>
#include <linux/bpf.h>
#include "../../module/analyzer/analyzer.h"

#define I(c, d, s, o, i) \
	((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), \
			    .off = (o), .imm = (i) })

#define ALU64_IMM(op, d, i)	I(BPF_ALU64 | BPF_OP(op) | BPF_K, d, 0, 0, i)
#define ALU64_REG(op, d, s)	I(BPF_ALU64 | BPF_OP(op) | BPF_X, d, s, 0, 0)
#define ALU32_IMM(op, d, i)	I(BPF_ALU | BPF_OP(op) | BPF_K, d, 0, 0, i)
#define ALU32_REG(op, d, s)	I(BPF_ALU | BPF_OP(op) | BPF_X, d, s, 0, 0)
#define MOV64_IMM(d, i)		ALU64_IMM(BPF_MOV, d, i)
#define MOV64_REG(d, s)		ALU64_REG(BPF_MOV, d, s)
#define MOV32_IMM(d, i)		ALU32_IMM(BPF_MOV, d, i)
#define LDX(sz, d, s, o)	I(BPF_LDX | BPF_SIZE(sz) | BPF_MEM, d, s, o, 0)
#define STX(sz, d, s, o)	I(BPF_STX | BPF_SIZE(sz) | BPF_MEM, d, s, o, 0)
#define ST(sz, d, o, i)		I(BPF_ST | BPF_SIZE(sz) | BPF_MEM, d, 0, o, i)
#define JMP_IMM(op, d, i, o)	I(BPF_JMP | BPF_OP(op) | BPF_K, d, 0, o, i)
#define JMP_REG(op, d, s, o)	I(BPF_JMP | BPF_OP(op) | BPF_X, d, s, o, 0)
#define JMP32_IMM(op, d, i, o)	I(BPF_JMP32 | BPF_OP(op) | BPF_K, d, 0, o, i)
#define JA(o)			I(BPF_JMP | BPF_JA, 0, 0, o, 0)
#define CALL(id)		I(BPF_JMP | BPF_CALL, 0, 0, 0, id)
#define CALL_REL(o)		I(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, o)
#define EXIT()			I(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)
/* two slots */
#define LD_IMM64(d, src, imm)	I(BPF_LD | BPF_DW | BPF_IMM, d, src, 0, imm), \
				I(0, 0, 0, 0, 0)

#define NPS	1000ULL		/* every instruction class costs 1 ns */
#define H_BEST	5000ULL		/* every helper: 5 ns best */
#define H_WORST	50000ULL	/* and 50 ns worst */
#define M_BEST	2000ULL		/* every map operation: 2 ns best */
#define M_WORST	20000ULL	/* and 20 ns worst */
#define FE_PS	1000ULL		/* for_each: 1 ns per element walked */

/*
 * Test cost model: every instruction class 1 ns (best = worst), every helper
 * 5 / 50 ns, every map operation 2 / 20 ns, for_each 1 ns per element walked.
 * Everything is marked measured so flags can be compared exactly.
 */
static inline void test_cost_model(struct bpfrt_cost_model *cm)
{
	unsigned int i, t, o;

	memset(cm, 0, sizeof(*cm));
	cm->size = sizeof(*cm);
	cm->version = BPFRT_CM_VERSION;
	for (i = 0; i < BPFRT_IC_NR; i++) {
		cm->insn[i].best_ps = NPS;
		cm->insn[i].typical_ps = NPS;
		cm->insn[i].worst_ps = NPS;
	}
	cm->insn_measured = ~0u;
	for (i = 0; i < BPFRT_CM_MAX_HELPERS; i++) {
		cm->helper[i].best_ps = H_BEST;
		cm->helper[i].typical_ps = H_BEST;
		cm->helper[i].worst_ps = H_WORST;
	}
	memset(cm->helper_measured, 0xff, sizeof(cm->helper_measured));
	for (t = 0; t < BPFRT_CM_MAX_MAP_TYPES; t++) {
		for (o = 0; o < BPFRT_MAP_OP_NR; o++) {
			cm->map_op[t][o].best_ps = M_BEST;
			cm->map_op[t][o].typical_ps = M_BEST;
			cm->map_op[t][o].worst_ps = M_WORST;
		}
		cm->map_op[t][BPFRT_MAP_OP_FOR_EACH].best_ps = FE_PS;
		cm->map_op[t][BPFRT_MAP_OP_FOR_EACH].typical_ps = FE_PS;
		cm->map_op[t][BPFRT_MAP_OP_FOR_EACH].worst_ps = FE_PS;
	}
	memset(cm->map_op_measured, 0xff, sizeof(cm->map_op_measured));
}

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

#endif /* BPFRT_ANALYZER_TEST_INSNS_H */
