// SPDX-License-Identifier: GPL-2.0
/*
 * bpf_loop three ways:
 *  - loop_const: constant count 1000 and flags 0, so the verifier inlines it
 *    (kernel/bpf/verifier.c: optimize_bpf_loop) into a BPF loop calling the
 *    callback;
 *  - loop_var: count read from a global at run time: the analyzer must cap
 *    it at BPF_MAX_LOOPS (2^23) and say so;
 *  - loop_flags: constant count with non-constant flags, which keeps the
 *    real helper call.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

__u32 nr_loops = 100;
__u64 flags_g;
__u64 total;

static int step(__u32 index, void *ctx)
{
	__u64 *acc = ctx;

	*acc += index * 3;
	return 0;
}

SEC("xdp")
int loop_const(struct xdp_md *ctx)
{
	__u64 acc = 0;

	bpf_loop(1000, step, &acc, 0);
	total = acc;
	return XDP_PASS;
}

SEC("xdp")
int loop_var(struct xdp_md *ctx)
{
	__u64 acc = 0;

	bpf_loop(nr_loops, step, &acc, 0);
	total = acc;
	return XDP_PASS;
}

SEC("xdp")
int loop_flags(struct xdp_md *ctx)
{
	__u64 acc = 0;

	bpf_loop(500, step, &acc, flags_g);
	total = acc;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
