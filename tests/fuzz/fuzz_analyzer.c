// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the analyzer: the input bytes become functions,
 * instructions, annotations and maps.
 *
 * Layout (missing bytes read as zero):
 *   u8  header: bits 0-2 functions - 1, bit 7 raw mode, bit 6 budget present
 *   u8  maps (mod 5)
 *   u16 loop_insn_budget (if bit 6)
 *   per map: u8 type, u32 max_entries
 *   per function: u16 length (mod 4096, at least 1), then per instruction
 *     8 bytes (code, regs, off, imm) and 3 annotation bytes
 * In raw mode instructions and annotations are used as they are (mostly
 * rejected: that tests validation). Otherwise each instruction is mapped
 * onto a valid encoding (opcode from a table, registers and jump targets in
 * range, ld_imm64 well formed, an exit at the end), so the fuzzer spends its
 * time in the analysis proper: loops of every shape, irreducible flow, deep
 * nesting, calls, loop helpers.
 *
 * Checked on every accepted input: best <= worst, ns consistent with ps,
 * shares <= 1000, a deterministic second run.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>
#include "../../module/analyzer/analyzer.h"

struct rd {
	const uint8_t *p;
	size_t n;
};

/*
 * The library is built with BPFRT_AN_TEST_ALLOC: its memory is counted and
 * must stay linear in the input (checked below).
 */
#include "../an_test_alloc.h"

static uint8_t g8(struct rd *r)
{
	if (!r->n)
		return 0;
	r->n--;
	return *r->p++;
}

static uint16_t g16(struct rd *r)
{
	return g8(r) | (uint16_t)g8(r) << 8;
}

static uint32_t g32(struct rd *r)
{
	return g16(r) | (uint32_t)g16(r) << 16;
}

static uint8_t codes[512];
static unsigned int ncodes;
static struct bpfrt_cost_model cm;

static const int32_t helpers[] = {
	BPF_FUNC_map_lookup_elem, BPF_FUNC_map_update_elem,
	BPF_FUNC_map_delete_elem, BPF_FUNC_tail_call, BPF_FUNC_loop,
	BPF_FUNC_for_each_map_elem, BPF_FUNC_find_vma,
	BPF_FUNC_user_ringbuf_drain, BPF_FUNC_ktime_get_ns,
	BPF_FUNC_trace_printk, BPF_FUNC_map_push_elem, BPF_FUNC_redirect_map,
	BPF_FUNC_probe_read_kernel, BPF_FUNC_get_stackid,
};

static const int32_t atomics[] = {
	BPF_ADD, BPF_OR, BPF_AND, BPF_XOR, BPF_ADD | BPF_FETCH,
	BPF_OR | BPF_FETCH, BPF_AND | BPF_FETCH, BPF_XOR | BPF_FETCH,
	BPF_XCHG, BPF_CMPXCHG,
};

static void init(void)
{
	static const uint8_t sizes[] = { BPF_B, BPF_H, BPF_W, BPF_DW };
	unsigned int op, s;

	bpfrt_cost_model_default(&cm);
	for (op = 0; op <= BPF_END; op += 0x10) {
		codes[ncodes++] = BPF_ALU64 | op | BPF_K;
		codes[ncodes++] = BPF_ALU64 | op | BPF_X;
		codes[ncodes++] = BPF_ALU | op | BPF_K;
		codes[ncodes++] = BPF_ALU | op | BPF_X;
	}
	for (s = 0; s < 4; s++) {
		codes[ncodes++] = BPF_LDX | BPF_MEM | sizes[s];
		codes[ncodes++] = BPF_ST | BPF_MEM | sizes[s];
		codes[ncodes++] = BPF_STX | BPF_MEM | sizes[s];
		if (sizes[s] != BPF_DW) {
			codes[ncodes++] = BPF_LD | BPF_ABS | sizes[s];
			codes[ncodes++] = BPF_LD | BPF_IND | sizes[s];
		}
	}
	codes[ncodes++] = BPF_STX | BPF_ATOMIC | BPF_W;
	codes[ncodes++] = BPF_STX | BPF_ATOMIC | BPF_DW;
	codes[ncodes++] = BPF_LD | BPF_IMM | BPF_DW;
	codes[ncodes++] = BPF_LD | BPF_IMM | BPF_DW;
	for (op = 0; op <= BPF_JSLE; op += 0x10) {
		if (op == BPF_CALL || op == BPF_EXIT) {
			codes[ncodes++] = BPF_JMP | op;
			continue;
		}
		codes[ncodes++] = BPF_JMP | op | BPF_K;
		codes[ncodes++] = BPF_JMP | op | BPF_X;
		/* conditional jumps are the interesting part: twice */
		codes[ncodes++] = BPF_JMP | op | BPF_K;
		if (op != BPF_JA) {
			codes[ncodes++] = BPF_JMP32 | op | BPF_K;
			codes[ncodes++] = BPF_JMP32 | op | BPF_X;
		}
	}
	codes[ncodes++] = BPF_JMP | BPF_CALL;
	codes[ncodes++] = BPF_JMP | BPF_CALL;
	codes[ncodes++] = BPF_JMP | 0xf0;	/* BPF_TAIL_CALL */
	codes[ncodes++] = BPF_ST | 0xc0;	/* BPF_NOSPEC */
}

static void fix_insn(struct bpf_insn *in, uint32_t i, uint32_t n,
		     uint8_t *skip)
{
	uint8_t code = codes[in->code % ncodes], cls = BPF_CLASS(code);
	uint8_t op = BPF_OP(code);

	in->code = code;
	in->dst_reg %= 11;
	in->src_reg %= 12;
	switch (cls) {
	case BPF_ALU:
	case BPF_ALU64:
	case BPF_LDX:
		if (in->dst_reg == BPF_REG_10)
			in->dst_reg = BPF_REG_0;
		if (op == BPF_END && (cls == BPF_ALU || cls == BPF_ALU64))
			in->imm = 16 << (in->imm % 3);
		if (cls != BPF_LDX)
			in->off = 0;
		break;
	case BPF_STX:
		if (BPF_MODE(code) == BPF_ATOMIC) {
			in->imm = atomics[(uint32_t)in->imm % 10];
			if (in->src_reg == BPF_REG_10)
				in->src_reg = 0;
		}
		break;
	case BPF_LD:
		if (code == (BPF_LD | BPF_IMM | BPF_DW)) {
			if (i + 2 >= n) {
				in->code = BPF_ALU64 | BPF_MOV | BPF_K;
				in->dst_reg = in->dst_reg == 10 ? 0 : in->dst_reg;
				break;
			}
			if (in->dst_reg == BPF_REG_10)
				in->dst_reg = 0;
			in->src_reg %= 7;
			in->off = 0;
			memset(&in[1], 0, sizeof(in[1]));
			in[1].imm = in->imm >> 8;
			*skip = 1;
		}
		break;
	case BPF_JMP:
	case BPF_JMP32:
		if (code == (BPF_JMP | BPF_CALL)) {
			in->src_reg %= 3;
			in->off = 0;
			if (in->src_reg == 0)
				in->imm = helpers[(uint32_t)in->imm % 14];
		} else if (op != BPF_EXIT && code != (BPF_JMP | 0xf0)) {
			/* any target in the function */
			in->off = (int32_t)((uint16_t)in->off % n) - (int32_t)i - 1;
		}
		break;
	}
}

static void fix_annot(struct bpfrt_an_annot *a, const struct bpf_insn *in,
		      uint32_t nf, uint32_t nm, const uint8_t b[3])
{
	uint8_t k = b[0] % 8;

	memset(a, 0, sizeof(*a));
	if (in->code == (BPF_JMP | BPF_CALL)) {
		switch (k) {
		case 1:
			a->kind = BPFRT_AN_K_HELPER;
			a->id = helpers[b[1] % 14];
			break;
		case 2:
			a->kind = BPFRT_AN_K_MAP_OP;
			a->op = b[2] % BPFRT_MAP_OP_NR;
			a->id = nm && b[1] % 4 ? b[1] % nm : BPFRT_AN_NONE;
			a->map_type = b[1] & 1 ? 0xffff : b[2] % 32;
			break;
		case 3:
			a->kind = BPFRT_AN_K_KFUNC;
			break;
		case 4:
		case 5:
			a->kind = BPFRT_AN_K_FUNC;
			a->id = b[1] % nf;
			break;
		case 6:
			a->kind = BPFRT_AN_K_TAIL_CALL;
			break;
		case 7:
			a->kind = BPFRT_AN_K_UNKNOWN_CALL;
			break;
		}
	} else if (in->code == (BPF_LD | BPF_IMM | BPF_DW)) {
		switch (k) {
		case 1:
		case 2:
			if (nm) {
				a->kind = k == 1 ? BPFRT_AN_K_LD_MAP :
						   BPFRT_AN_K_LD_MAP_VALUE;
				a->id = b[1] % nm;
			}
			break;
		case 3:
		case 4:
		case 5:
			a->kind = BPFRT_AN_K_LD_FUNC;
			a->id = b[1] % nf;
			break;
		case 6:
			a->kind = BPFRT_AN_K_LD_CONST;
			break;
		case 7:
			a->kind = BPFRT_AN_K_LD_OTHER;
			break;
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rd r = { data, size };
	struct bpfrt_an_func funcs[8];
	struct bpfrt_an_map maps[4];
	struct bpfrt_an_prog prog = { 0 };
	struct bpfrt_an_result res, res2;
	struct bpf_insn *insns[8] = { 0 };
	struct bpfrt_an_annot *annot[8] = { 0 };
	uint8_t hdr, raw;
	uint32_t nf, nm, f, i, total = 0;
	int err, err2;

	if (!ncodes)
		init();
	hdr = g8(&r);
	nf = 1 + (hdr & 7);
	raw = hdr & 0x80;
	nm = g8(&r) % 5;
	if (hdr & 0x40)
		prog.loop_insn_budget = g16(&r);
	for (i = 0; i < nm; i++) {
		maps[i].type = g8(&r) % 32;
		maps[i].max_entries = g32(&r);
		if (!(maps[i].max_entries & 0x80000000))
			maps[i].max_entries &= 0xffff;
		maps[i].key_size = 4;
		maps[i].value_size = 8;
	}
	for (f = 0; f < nf; f++) {
		uint32_t n = g16(&r) % 4096, left = r.n / 11;
		uint8_t skip = 0;

		if (n > left + 1)
			n = left + 1;
		if (!n)
			n = 1;
		insns[f] = calloc(n, sizeof(struct bpf_insn));
		annot[f] = calloc(n, sizeof(struct bpfrt_an_annot));
		if (!insns[f] || !annot[f])
			goto out;
		for (i = 0; i < n; i++) {
			struct bpf_insn *in = &insns[f][i];
			uint8_t b[3];

			in->code = g8(&r);
			in->dst_reg = g8(&r) & 0xf;
			in->src_reg = g8(&r) & 0xf;
			in->off = (int16_t)g16(&r);
			in->imm = (int32_t)(g16(&r) | (uint32_t)g8(&r) << 16);
			b[0] = g8(&r);
			b[1] = g8(&r);
			b[2] = g8(&r);
			if (raw) {
				annot[f][i].kind = b[0] % (BPFRT_AN_K_NR + 1);
				annot[f][i].id = b[1];
				annot[f][i].op = b[2] % 17;
				annot[f][i].map_type = b[2];
				continue;
			}
			if (skip) {
				skip = 0;
				continue;
			}
			if (i == n - 1) {
				*in = (struct bpf_insn){ .code = BPF_JMP | BPF_EXIT };
				continue;
			}
			fix_insn(in, i, n, &skip);
			fix_annot(&annot[f][i], in, nf, nm, b);
		}
		funcs[f].insns = insns[f];
		funcs[f].insn_cnt = n;
		total += n;
		funcs[f].reserved = 0;
		funcs[f].annot = (hdr & 0x20) && !raw ? NULL : annot[f];
	}
	prog.funcs = funcs;
	prog.func_cnt = nf;
	prog.maps = maps;
	prog.map_cnt = nm;
	prog.flags = hdr & 0x10 ? BPFRT_AN_PROG_EXTENSION : 0;

	an_test_reset();
	err = bpfrt_an_estimate(&prog, &cm, &res);
	/* linear memory: a fixed part (state pool, summaries) + per insn */
	if (an_test_peak > 1024 * 1024 + 256 * (size_t)total)
		abort();
	if (an_test_bytes)
		abort();	/* everything freed, on every path */
	if (!err && an_test_calls) {
		/* One allocation fails: -ENOMEM, and still nothing left behind. */
		struct bpfrt_an_result res2;
		size_t calls = an_test_calls;
		int err2;

		an_test_calls = 0;
		an_test_fail_at = 1 + (total * 7919u + hdr) % calls;
		err2 = bpfrt_an_estimate(&prog, &cm, &res2);
		an_test_fail_at = 0;
		if (err2 != -ENOMEM || an_test_bytes)
			abort();
	}
	if (!err) {
		if (res.best_ps > res.worst_ps)
			abort();
		if ((res.worst_ps == BPFRT_AN_UNBOUNDED) !=
		    (res.worst_ns == BPFRT_AN_UNBOUNDED))
			abort();
		if (res.worst_ps != BPFRT_AN_UNBOUNDED &&
		    res.worst_ns * 1000 < res.worst_ps)
			abort();
		if (res.contrib_cnt > BPFRT_AN_TOP_N)
			abort();
		for (i = 0; i < res.contrib_cnt; i++)
			if (res.contrib[i].share_pm > 1000)
				abort();
	} else if (err != -EINVAL && err != -E2BIG) {
		abort();
	}
	err2 = bpfrt_an_estimate(&prog, &cm, &res2);
	if (err2 != err || (!err && memcmp(&res, &res2, sizeof(res))))
		abort();
out:
	for (f = 0; f < 8; f++) {
		free(insns[f]);
		free(annot[f]);
	}
	return 0;
}
