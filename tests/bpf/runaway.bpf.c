// SPDX-License-Identifier: GPL-2.0
/*
 * Runaway programs for the watchdog tests: each would run for hours (2^46
 * callback invocations) unless terminated. Every one is verified, so the
 * verifier has proved that it reaches its exit however its helpers fail and
 * whenever its callbacks ask to stop - which is what termination uses.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#define LOOPS (1 << 23)

/* Not constant to the verifier: keeps bpf_loop a real helper call. */
__u64 loop_flags;
__u64 sink;

static int inner(__u32 i, void *ctx)
{
	sink += i;
	return 0;
}

static int outer(__u32 i, void *ctx)
{
	bpf_loop(LOOPS, inner, NULL, loop_flags);
	return 0;
}

/* bpf_loop nested twice, both real helper calls with kernel-called
 * callbacks: stopped by callbacks returning 1.
 */
SEC("xdp")
int nested_loop(struct xdp_md *ctx)
{
	bpf_loop(LOOPS, outer, NULL, loop_flags);
	return XDP_PASS;
}

static int outer_inlined(__u32 i, void *ctx)
{
	bpf_loop(LOOPS, inner, NULL, 0);
	return 0;
}

/* The same with flags 0: the verifier inlines both loops into BPF code. */
SEC("xdp")
int nested_inlined(struct xdp_md *ctx)
{
	bpf_loop(LOOPS, outer_inlined, NULL, 0);
	return XDP_PASS;
}

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1 << 16);
	__type(key, __u32);
	__type(value, __u64);
} big_array SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1 << 16);
	__type(key, __u32);
	__type(value, __u64);
} big_hash SEC(".maps");

static long heavy_elem(struct bpf_map *map, __u32 *key, __u64 *val, void *ctx)
{
	bpf_loop(LOOPS, inner, NULL, loop_flags);
	return 0;
}

/* for_each over 65536 elements, each callback a 2^23 loop. */
SEC("xdp")
int each_big_array(struct xdp_md *ctx)
{
	bpf_for_each_map_elem(&big_array, heavy_elem, NULL, 0);
	return XDP_PASS;
}

/* Needs the hash filled from userspace (term_run -f big_hash:N). */
SEC("xdp")
int each_big_hash(struct xdp_md *ctx)
{
	bpf_for_each_map_elem(&big_hash, heavy_elem, NULL, 0);
	return XDP_PASS;
}

struct {
	__uint(type, BPF_MAP_TYPE_USER_RINGBUF);
	__uint(max_entries, 256 * 1024);
} user_rb SEC(".maps");

static long heavy_sample(struct bpf_dynptr *dynptr, void *ctx)
{
	bpf_loop(LOOPS, inner, NULL, loop_flags);
	return 0;
}

/* Drains a ring userspace filled (term_run -u user_rb:N). */
SEC("xdp")
int drain_user_rb(struct xdp_md *ctx)
{
	long n = bpf_user_ringbuf_drain(&user_rb, heavy_sample, NULL, 0);

	sink = n;
	return XDP_PASS;
}

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} out_rb SEC(".maps");

/* Written by term_run -s: the loopback TCP connection to look up. */
struct sk_cfg {
	__u32 saddr, daddr;	/* network order */
	__u16 sport, dport;	/* network order */
	__u32 found;		/* written by the program */
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct sk_cfg);
} sk_cfg_map SEC(".maps");

/*
 * Holds a ring-buffer reservation and a socket reference across a runaway
 * loop; terminated, it still reaches the release and the submit, because
 * the verifier proved every path does.
 */
SEC("xdp")
int hold_and_spin(struct xdp_md *ctx)
{
	struct bpf_sock_tuple t = {};
	struct bpf_sock *sk;
	struct sk_cfg *cfg;
	__u32 k = 0;
	__u64 *rec;

	cfg = bpf_map_lookup_elem(&sk_cfg_map, &k);
	if (!cfg)
		return XDP_ABORTED;
	rec = bpf_ringbuf_reserve(&out_rb, sizeof(*rec), 0);
	if (!rec)
		return XDP_ABORTED;
	t.ipv4.saddr = cfg->saddr;
	t.ipv4.daddr = cfg->daddr;
	t.ipv4.sport = cfg->sport;
	t.ipv4.dport = cfg->dport;
	sk = bpf_sk_lookup_tcp(ctx, &t, sizeof(t.ipv4),
			       (__u64)-1 /* BPF_F_CURRENT_NETNS */, 0);
	cfg->found = sk != NULL;
	bpf_loop(LOOPS, outer, NULL, loop_flags);
	if (sk)
		bpf_sk_release(sk);
	*rec = 42;
	bpf_ringbuf_submit(rec, 0);
	return XDP_PASS;
}

struct locked {
	struct bpf_spin_lock lock;
	__u64 count;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct locked);
} lock_map SEC(".maps");

/* Takes and releases a bpf_spin_lock each iteration of a runaway loop:
 * lock helpers are never stubbed, so termination cannot leave it held.
 */
static int locked_step(__u32 i, void *ctx)
{
	__u32 k = 0;
	struct locked *l = bpf_map_lookup_elem(&lock_map, &k);

	if (!l)
		return 1;
	bpf_spin_lock(&l->lock);
	l->count++;
	bpf_spin_unlock(&l->lock);
	return 0;
}

static int locked_outer(__u32 i, void *ctx)
{
	bpf_loop(LOOPS, locked_step, NULL, loop_flags);
	return 0;
}

SEC("xdp")
int spin_lock_loop(struct xdp_md *ctx)
{
	bpf_loop(LOOPS, locked_outer, NULL, loop_flags);
	return XDP_PASS;
}

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u32);
} chain SEC(".maps");

/* tail_entry -> tail_middle -> tail_runaway (term_run -t fills chain). */
SEC("xdp")
int tail_runaway(struct xdp_md *ctx)
{
	bpf_loop(LOOPS, outer, NULL, loop_flags);
	return XDP_PASS;
}

SEC("xdp")
int tail_middle(struct xdp_md *ctx)
{
	bpf_tail_call(ctx, &chain, 1);
	return XDP_DROP;
}

SEC("xdp")
int tail_entry(struct xdp_md *ctx)
{
	bpf_tail_call(ctx, &chain, 0);
	return XDP_DROP;
}

static int outer_short(__u32 i, void *ctx)
{
	bpf_loop(1 << 12, inner, NULL, loop_flags);
	return 0;
}

/* Long (a few seconds) but bounded: finishes by itself after an rmmod
 * restored it mid-termination.
 */
SEC("xdp")
int bounded_slow(struct xdp_md *ctx)
{
	bpf_loop(1 << 12, outer_short, NULL, loop_flags);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
