/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Building BPF programs at run time as raw instruction arrays, for the
 * calibration micro-benchmarks. A struct calib_prog grows as instructions
 * are appended; an allocation failure is remembered and reported once by
 * calib_prog_ok(), so builders need not check every append.
 */
#ifndef _BPFRT_CALIB_INSN_H
#define _BPFRT_CALIB_INSN_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/bpf.h>

#define CI(c, d, s, o, i) \
	((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), \
			    .off = (o), .imm = (i) })

#define CI_ALU64_IMM(op, d, i)	CI(BPF_ALU64 | (op) | BPF_K, d, 0, 0, i)
#define CI_ALU64_REG(op, d, s)	CI(BPF_ALU64 | (op) | BPF_X, d, s, 0, 0)
#define CI_ALU32_IMM(op, d, i)	CI(BPF_ALU | (op) | BPF_K, d, 0, 0, i)
#define CI_ALU32_REG(op, d, s)	CI(BPF_ALU | (op) | BPF_X, d, s, 0, 0)
#define CI_MOV64_IMM(d, i)	CI_ALU64_IMM(BPF_MOV, d, i)
#define CI_MOV64_REG(d, s)	CI_ALU64_REG(BPF_MOV, d, s)
#define CI_MOV32_REG(d, s)	CI_ALU32_REG(BPF_MOV, d, s)
#define CI_LDX(sz, d, s, o)	CI(BPF_LDX | (sz) | BPF_MEM, d, s, o, 0)
#define CI_STX(sz, d, s, o)	CI(BPF_STX | (sz) | BPF_MEM, d, s, o, 0)
#define CI_ST(sz, d, o, i)	CI(BPF_ST | (sz) | BPF_MEM, d, 0, o, i)
#define CI_ATOMIC(sz, d, s, o, op) CI(BPF_STX | (sz) | BPF_ATOMIC, d, s, o, op)
#define CI_ENDIAN(d, bits)	CI(BPF_ALU | BPF_END | BPF_TO_BE, d, 0, 0, bits)
#define CI_JMP_IMM(op, d, i, o)	CI(BPF_JMP | (op) | BPF_K, d, 0, o, i)
#define CI_JMP_REG(op, d, s, o)	CI(BPF_JMP | (op) | BPF_X, d, s, o, 0)
#define CI_JMP32_IMM(op, d, i, o) CI(BPF_JMP32 | (op) | BPF_K, d, 0, o, i)
#define CI_JA(o)		CI(BPF_JMP | BPF_JA, 0, 0, o, 0)
#define CI_CALL(id)		CI(BPF_JMP | BPF_CALL, 0, 0, 0, id)
#define CI_CALL_REL(o)		CI(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, o)
#define CI_EXIT()		CI(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

struct calib_prog {
	struct bpf_insn *insns;
	size_t cnt;
	size_t cap;
	bool oom;
};

void calib_prog_init(struct calib_prog *p);
void calib_prog_free(struct calib_prog *p);
/* false if an append failed since calib_prog_init() */
bool calib_prog_ok(const struct calib_prog *p);

void calib_emit(struct calib_prog *p, struct bpf_insn insn);
/* Two-slot ld_imm64 of a 64-bit constant. */
void calib_emit_ld_imm64(struct calib_prog *p, int dst, __u64 v);
/* ld_imm64 of a map (BPF_PSEUDO_MAP_FD) or a pointer @off bytes into its
 * first value (BPF_PSEUDO_MAP_VALUE).
 */
void calib_emit_ld_map(struct calib_prog *p, int dst, int map_fd);
void calib_emit_ld_map_value(struct calib_prog *p, int dst, int map_fd,
			     __u32 off);
/* ld_imm64 of a callback: @rel instructions after the ld_imm64 + 1. */
void calib_emit_ld_func(struct calib_prog *p, int dst, __s32 rel);
/* Index the next instruction will get. */
static inline size_t calib_pc(const struct calib_prog *p)
{
	return p->cnt;
}

#endif /* _BPFRT_CALIB_INSN_H */
