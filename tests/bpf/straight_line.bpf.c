// SPDX-License-Identifier: GPL-2.0
/*
 * A straight-line XDP program: no branches, no loops, no helpers. It
 * stores arithmetic on the packet length in a global (the .bss array map,
 * read back by tests) and returns XDP_PASS (2).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

__u32 last_x;

SEC("xdp")
int straight_line(struct xdp_md *ctx)
{
	__u32 len = ctx->data_end - ctx->data;
	__u32 x = len * 3 + 7;

	x ^= x >> 3;
	x += len << 2;
	last_x = x;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
