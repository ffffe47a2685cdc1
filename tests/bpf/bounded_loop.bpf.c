// SPDX-License-Identifier: GPL-2.0
/*
 * A bounded loop (verified by simulating every iteration): 64 iterations
 * counting up with a constant bound. Needs CAP_BPF (back-edges).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

__u64 sum;

SEC("xdp")
int bounded_loop(struct xdp_md *ctx)
{
	__u64 acc = ctx->data_end - ctx->data;
	int i;

	for (i = 0; i < 64; i++)
		acc = acc * 31 + i;
	sum = acc;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
