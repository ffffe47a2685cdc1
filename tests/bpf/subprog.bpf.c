// SPDX-License-Identifier: GPL-2.0
/*
 * bpf-to-bpf calls: a static function called twice and a global function
 * (verified once, separately) calling a helper. The JIT compiles each
 * function into its own image (kernel/bpf/verifier.c: jit_subprogs).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

__u64 out;

static __noinline __u64 mix(__u64 a, __u64 b)
{
	return a * 2654435761ULL + (b ^ (a >> 7));
}

__noinline int stamp(__u64 v)
{
	out = v + bpf_ktime_get_ns();
	return 0;
}

SEC("xdp")
int subprog(struct xdp_md *ctx)
{
	__u64 x = ctx->data_end - ctx->data;

	x = mix(x, 3);
	x = mix(x, 5);
	stamp(x);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
