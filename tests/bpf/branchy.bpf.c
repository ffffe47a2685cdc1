// SPDX-License-Identifier: GPL-2.0
/*
 * Branches on packet bytes: a short path (too-short packet) and a longer
 * one with a nested diamond, so best and worst differ.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

__u64 counter;

SEC("xdp")
int branchy(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	unsigned char *p = data;
	__u64 x;

	if (data + 16 > end)
		return XDP_DROP;
	x = p[12] * 7 + p[13];
	if (p[14] & 1) {
		x = x * 3 + p[15];
		if (p[15] > 100)
			x ^= x << 5;
		else
			x += 11;
	} else {
		x -= 5;
	}
	counter += x;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
