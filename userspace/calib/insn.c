// SPDX-License-Identifier: GPL-2.0
/* A growable BPF instruction array (see insn.h). */
#include <stdlib.h>
#include <string.h>

#include "insn.h"

void calib_prog_init(struct calib_prog *p)
{
	memset(p, 0, sizeof(*p));
}

void calib_prog_free(struct calib_prog *p)
{
	free(p->insns);
	calib_prog_init(p);
}

bool calib_prog_ok(const struct calib_prog *p)
{
	return !p->oom;
}

void calib_emit(struct calib_prog *p, struct bpf_insn insn)
{
	if (p->oom)
		return;
	if (p->cnt == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 256;
		struct bpf_insn *n = realloc(p->insns, cap * sizeof(*n));

		if (!n) {
			p->oom = true;
			return;
		}
		p->insns = n;
		p->cap = cap;
	}
	p->insns[p->cnt++] = insn;
}

static void emit_ld_pair(struct calib_prog *p, int dst, int src, __s32 lo,
			 __s32 hi)
{
	calib_emit(p, CI(BPF_LD | BPF_DW | BPF_IMM, dst, src, 0, lo));
	calib_emit(p, CI(0, 0, 0, 0, hi));
}

void calib_emit_ld_imm64(struct calib_prog *p, int dst, __u64 v)
{
	emit_ld_pair(p, dst, 0, (__s32)(__u32)v, (__s32)(__u32)(v >> 32));
}

void calib_emit_ld_map(struct calib_prog *p, int dst, int map_fd)
{
	emit_ld_pair(p, dst, BPF_PSEUDO_MAP_FD, map_fd, 0);
}

void calib_emit_ld_map_value(struct calib_prog *p, int dst, int map_fd,
			     __u32 off)
{
	emit_ld_pair(p, dst, BPF_PSEUDO_MAP_VALUE, map_fd, (__s32)off);
}

void calib_emit_ld_func(struct calib_prog *p, int dst, __s32 rel)
{
	emit_ld_pair(p, dst, BPF_PSEUDO_FUNC, rel, 0);
}
