// SPDX-License-Identifier: GPL-2.0
/*
 * Map operations and common helpers on one fixed path, for the cost
 * model's soundness check (tests/guest/progs/bpfrt_sound.c): update,
 * lookup and delete on a hash, an LRU hash and a per-CPU hash map, lookups
 * in an array (inlined by the verifier) and a per-CPU array, a division by
 * a register, bpf_ktime_get_ns, bpf_get_prandom_u32 and bpf_csum_diff over
 * a 64-byte buffer. Every lookup follows an update of the same key, so it
 * finds its element: the worst path (every "if (p)" taken) is the one that
 * runs, whatever the packet. Returns XDP_PASS (2).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u64);
} ops_hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u64);
} ops_lru SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} ops_pcpu_hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} ops_array SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} ops_pcpu_array SEC(".maps");

__u64 ops_result;

SEC("xdp")
int map_ops(struct xdp_md *ctx)
{
	__u32 len = ctx->data_end - ctx->data;
	__u32 key = len & 7, zero = 0;
	__u64 buf[8] = { len, len * 3, len ^ 5, 7, 11, 13, 17, 19 };
	__u64 v = len, *p;

	bpf_map_update_elem(&ops_hash, &key, &v, BPF_ANY);
	p = bpf_map_lookup_elem(&ops_hash, &key);
	if (p)
		v += *p;
	bpf_map_delete_elem(&ops_hash, &key);

	bpf_map_update_elem(&ops_lru, &key, &v, BPF_ANY);
	p = bpf_map_lookup_elem(&ops_lru, &key);
	if (p)
		v += *p;

	bpf_map_update_elem(&ops_pcpu_hash, &key, &v, BPF_ANY);
	p = bpf_map_lookup_elem(&ops_pcpu_hash, &key);
	if (p)
		v += *p;

	p = bpf_map_lookup_elem(&ops_array, &key);
	if (p)
		*p += v;
	p = bpf_map_lookup_elem(&ops_pcpu_array, &zero);
	if (p)
		*p += v;

	v = v / (len | 1);
	v += bpf_ktime_get_ns() & 1;
	v += bpf_get_prandom_u32() & 1;
	v += bpf_csum_diff(0, 0, (void *)buf, sizeof(buf), 0);
	ops_result = v;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
