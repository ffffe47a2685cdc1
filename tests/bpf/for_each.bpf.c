// SPDX-License-Identifier: GPL-2.0
/*
 * bpf_for_each_map_elem over an array (256 entries: 256 callbacks at most)
 * and a hash map (1000 entries: the walk covers 1024 buckets).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u64);
} arr SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1000);
	__type(key, __u32);
	__type(value, __u64);
} hash SEC(".maps");

__u64 seen;

static long visit(struct bpf_map *map, __u32 *key, __u64 *val, void *ctx)
{
	__u64 *acc = ctx;

	*acc += *val + *key;
	return 0;
}

SEC("xdp")
int each_array(struct xdp_md *ctx)
{
	__u64 acc = 0;

	bpf_for_each_map_elem(&arr, visit, &acc, 0);
	seen = acc;
	return XDP_PASS;
}

SEC("xdp")
int each_hash(struct xdp_md *ctx)
{
	__u64 acc = 0;
	__u32 k = 7;
	__u64 v = 1;

	bpf_map_update_elem(&hash, &k, &v, BPF_ANY);
	bpf_for_each_map_elem(&hash, visit, &acc, 0);
	seen = acc;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
