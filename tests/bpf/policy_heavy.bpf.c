// SPDX-License-Identifier: GPL-2.0
/*
 * Over any policy limit the guest cases set, with a certain bound: bpf_loop
 * with a constant count of 2^20 and flags 0 (inlined by the verifier), so
 * the worst case is 2^20 callbacks, counted exactly (no loop_capped). Test
 * runs cost 2^20 short callbacks.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

__u64 heavy_total;

static int heavy_step(__u32 index, void *ctx)
{
	__u64 *acc = ctx;

	*acc += index ^ (*acc >> 3);
	return 0;
}

SEC("xdp")
int policy_heavy(struct xdp_md *ctx)
{
	__u64 acc = 0;

	bpf_loop(1 << 20, heavy_step, &acc, 0);
	heavy_total = acc;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
