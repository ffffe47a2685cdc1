// SPDX-License-Identifier: GPL-2.0
/*
 * A light tc (sched_cls) program, for per-program-type limits: the same
 * cost class as straight_line, another type. Returns TC_ACT_OK (0).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

__u32 tc_last_len;

SEC("tc")
int policy_tc(struct __sk_buff *skb)
{
	tc_last_len = skb->len * 3 + 1;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
