// SPDX-License-Identifier: GPL-2.0
/*
 * An uncertain estimate: bpf_loop's count is read from a global at run time
 * (10), so the analyzer caps it at BPF_MAX_LOOPS (2^23) and flags the
 * estimate loop_capped: its worst case is seconds, its real runs are short.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

__u32 capped_loops = 10;
__u64 capped_total;

static int capped_step(__u32 index, void *ctx)
{
	__u64 *acc = ctx;

	*acc += index;
	return 0;
}

SEC("xdp")
int policy_capped(struct xdp_md *ctx)
{
	__u64 acc = 0;

	bpf_loop(capped_loops, capped_step, &acc, 0);
	capped_total = acc;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
