// SPDX-License-Identifier: GPL-2.0
/*
 * Number-to-name tables. The kernel's tables are indexed by the uapi enums
 * of <linux/bpf.h> so the compiler checks every name against the headers;
 * numbers newer than the headers the CLI is built with (Debian 12 ships
 * 6.1's) are in small fallback tables, by their fixed ABI values.
 */
#include <stdio.h>
#include <string.h>
#include <linux/bpf.h>
#include <linux/bpfrt.h>

#include "names.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct num_name {
	__u32 num;
	const char *name;
};

/* A name from @tab, else from @late (numbers newer than the headers). */
static const char *lookup(const char *const *tab, size_t n, __u32 num,
			  const struct num_name *late, size_t n_late)
{
	size_t i;

	if (num < n && tab[num])
		return tab[num];
	for (i = 0; i < n_late; i++)
		if (late[i].num == num)
			return late[i].name;
	return NULL;
}

/* The names bpftool and libbpf use: the enum's suffix in lower case. */
static const char *const prog_types[] = {
	[BPF_PROG_TYPE_UNSPEC]			= "unspec",
	[BPF_PROG_TYPE_SOCKET_FILTER]		= "socket_filter",
	[BPF_PROG_TYPE_KPROBE]			= "kprobe",
	[BPF_PROG_TYPE_SCHED_CLS]		= "sched_cls",
	[BPF_PROG_TYPE_SCHED_ACT]		= "sched_act",
	[BPF_PROG_TYPE_TRACEPOINT]		= "tracepoint",
	[BPF_PROG_TYPE_XDP]			= "xdp",
	[BPF_PROG_TYPE_PERF_EVENT]		= "perf_event",
	[BPF_PROG_TYPE_CGROUP_SKB]		= "cgroup_skb",
	[BPF_PROG_TYPE_CGROUP_SOCK]		= "cgroup_sock",
	[BPF_PROG_TYPE_LWT_IN]			= "lwt_in",
	[BPF_PROG_TYPE_LWT_OUT]			= "lwt_out",
	[BPF_PROG_TYPE_LWT_XMIT]		= "lwt_xmit",
	[BPF_PROG_TYPE_SOCK_OPS]		= "sock_ops",
	[BPF_PROG_TYPE_SK_SKB]			= "sk_skb",
	[BPF_PROG_TYPE_CGROUP_DEVICE]		= "cgroup_device",
	[BPF_PROG_TYPE_SK_MSG]			= "sk_msg",
	[BPF_PROG_TYPE_RAW_TRACEPOINT]		= "raw_tracepoint",
	[BPF_PROG_TYPE_CGROUP_SOCK_ADDR]	= "cgroup_sock_addr",
	[BPF_PROG_TYPE_LWT_SEG6LOCAL]		= "lwt_seg6local",
	[BPF_PROG_TYPE_LIRC_MODE2]		= "lirc_mode2",
	[BPF_PROG_TYPE_SK_REUSEPORT]		= "sk_reuseport",
	[BPF_PROG_TYPE_FLOW_DISSECTOR]		= "flow_dissector",
	[BPF_PROG_TYPE_CGROUP_SYSCTL]		= "cgroup_sysctl",
	[BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE]	= "raw_tracepoint_writable",
	[BPF_PROG_TYPE_CGROUP_SOCKOPT]		= "cgroup_sockopt",
	[BPF_PROG_TYPE_TRACING]			= "tracing",
	[BPF_PROG_TYPE_STRUCT_OPS]		= "struct_ops",
	[BPF_PROG_TYPE_EXT]			= "ext",
	[BPF_PROG_TYPE_LSM]			= "lsm",
	[BPF_PROG_TYPE_SK_LOOKUP]		= "sk_lookup",
	[BPF_PROG_TYPE_SYSCALL]			= "syscall",
};

static const struct num_name prog_types_late[] = {
	{ 32, "netfilter" },		/* BPF_PROG_TYPE_NETFILTER, 6.4 */
};

static const char *const map_types[] = {
	[BPF_MAP_TYPE_UNSPEC]			= "unspec",
	[BPF_MAP_TYPE_HASH]			= "hash",
	[BPF_MAP_TYPE_ARRAY]			= "array",
	[BPF_MAP_TYPE_PROG_ARRAY]		= "prog_array",
	[BPF_MAP_TYPE_PERF_EVENT_ARRAY]		= "perf_event_array",
	[BPF_MAP_TYPE_PERCPU_HASH]		= "percpu_hash",
	[BPF_MAP_TYPE_PERCPU_ARRAY]		= "percpu_array",
	[BPF_MAP_TYPE_STACK_TRACE]		= "stack_trace",
	[BPF_MAP_TYPE_CGROUP_ARRAY]		= "cgroup_array",
	[BPF_MAP_TYPE_LRU_HASH]			= "lru_hash",
	[BPF_MAP_TYPE_LRU_PERCPU_HASH]		= "lru_percpu_hash",
	[BPF_MAP_TYPE_LPM_TRIE]			= "lpm_trie",
	[BPF_MAP_TYPE_ARRAY_OF_MAPS]		= "array_of_maps",
	[BPF_MAP_TYPE_HASH_OF_MAPS]		= "hash_of_maps",
	[BPF_MAP_TYPE_DEVMAP]			= "devmap",
	[BPF_MAP_TYPE_SOCKMAP]			= "sockmap",
	[BPF_MAP_TYPE_CPUMAP]			= "cpumap",
	[BPF_MAP_TYPE_XSKMAP]			= "xskmap",
	[BPF_MAP_TYPE_SOCKHASH]			= "sockhash",
	[BPF_MAP_TYPE_CGROUP_STORAGE]		= "cgroup_storage",
	[BPF_MAP_TYPE_REUSEPORT_SOCKARRAY]	= "reuseport_sockarray",
	[BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE]	= "percpu_cgroup_storage",
	[BPF_MAP_TYPE_QUEUE]			= "queue",
	[BPF_MAP_TYPE_STACK]			= "stack",
	[BPF_MAP_TYPE_SK_STORAGE]		= "sk_storage",
	[BPF_MAP_TYPE_DEVMAP_HASH]		= "devmap_hash",
	[BPF_MAP_TYPE_STRUCT_OPS]		= "struct_ops",
	[BPF_MAP_TYPE_RINGBUF]			= "ringbuf",
	[BPF_MAP_TYPE_INODE_STORAGE]		= "inode_storage",
	[BPF_MAP_TYPE_TASK_STORAGE]		= "task_storage",
	[BPF_MAP_TYPE_BLOOM_FILTER]		= "bloom_filter",
	[BPF_MAP_TYPE_USER_RINGBUF]		= "user_ringbuf",
};

static const struct num_name map_types_late[] = {
	{ 32, "cgrp_storage" },		/* BPF_MAP_TYPE_CGRP_STORAGE, 6.2 */
	{ 33, "arena" },		/* BPF_MAP_TYPE_ARENA, 6.9 */
};

/* Generated from the headers' own list of helpers. */
static const char *const helpers[] = {
	__BPF_FUNC_MAPPER(BPFRT_HELPER_NAME_ENTRY)
};

/* Helpers were frozen after these two (6.2); kfuncs replaced them. */
static const struct num_name helpers_late[] = {
	{ 210, "bpf_cgrp_storage_get" },
	{ 211, "bpf_cgrp_storage_delete" },
};

static const char *const map_ops[] = {
	[BPFRT_MOP_LOOKUP]		= "lookup",
	[BPFRT_MOP_UPDATE]		= "update",
	[BPFRT_MOP_DELETE]		= "delete",
	[BPFRT_MOP_PUSH]		= "push",
	[BPFRT_MOP_POP]		= "pop",
	[BPFRT_MOP_PEEK]		= "peek",
	[BPFRT_MOP_REDIRECT]		= "redirect",
	[BPFRT_MOP_FOR_EACH]		= "for_each",
	[BPFRT_MOP_LOOKUP_PERCPU]	= "lookup_percpu",
};

static const char *const contrib_kinds[] = {
	[BPFRT_CONTRIB_INSNS]		= "insns",
	[BPFRT_CONTRIB_LOOP]		= "loop",
	[BPFRT_CONTRIB_HELPER]		= "helper",
	[BPFRT_CONTRIB_MAP_OP]		= "map_op",
	[BPFRT_CONTRIB_KFUNC]		= "kfunc",
	[BPFRT_CONTRIB_CALL]		= "call",
	[BPFRT_CONTRIB_CALLBACK]	= "callback",
	[BPFRT_CONTRIB_TAIL_CALL]	= "tail_call",
	[BPFRT_CONTRIB_UNKNOWN_CALL]	= "unknown_call",
};

static const char *const site_kinds[] = {
	[BPFRT_SITE_HELPER]	= "helper",
	[BPFRT_SITE_MAP_OP]	= "map_op",
	[BPFRT_SITE_KFUNC]	= "kfunc",
	[BPFRT_SITE_FUNC]	= "func",
	[BPFRT_SITE_UNKNOWN]	= "unknown",
};

static const char *const event_types[] = {
	[BPFRT_EV_PROG_ESTIMATED]	= "prog_estimated",
	[BPFRT_EV_PROG_FREED]		= "prog_freed",
	[BPFRT_EV_LOST]			= "lost",
	[BPFRT_EV_PROG_REJECTED]	= "prog_rejected",
	[BPFRT_EV_PROG_OVER_LIMIT]	= "prog_over_limit",
	[BPFRT_EV_RUNTIME_EXCEEDED]	= "runtime_exceeded",
	[BPFRT_EV_TERMINATING]		= "terminating",
	[BPFRT_EV_TERMINATED]		= "terminated",
	[BPFRT_EV_NOT_TERMINABLE]	= "not_terminable",
};

const char *prog_type_name(__u32 type)
{
	return lookup(prog_types, ARRAY_SIZE(prog_types), type,
		      prog_types_late, ARRAY_SIZE(prog_types_late));
}

void print_prog_type(FILE *out, __u32 type)
{
	const char *name = prog_type_name(type);

	if (name)
		fputs(name, out);
	else
		fprintf(out, "type %u", type);
}

const char *map_type_name(__u32 type)
{
	return lookup(map_types, ARRAY_SIZE(map_types), type,
		      map_types_late, ARRAY_SIZE(map_types_late));
}

const char *helper_name(__u32 id)
{
	/* 0 is BPF_FUNC_unspec: not a helper anything can call */
	if (!id)
		return NULL;
	return lookup(helpers, ARRAY_SIZE(helpers), id,
		      helpers_late, ARRAY_SIZE(helpers_late));
}

const char *map_op_name(__u32 op)
{
	return lookup(map_ops, ARRAY_SIZE(map_ops), op, NULL, 0);
}

const char *contrib_kind_name(__u32 kind)
{
	return lookup(contrib_kinds, ARRAY_SIZE(contrib_kinds), kind, NULL, 0);
}

const char *site_kind_name(__u32 kind)
{
	return lookup(site_kinds, ARRAY_SIZE(site_kinds), kind, NULL, 0);
}

const char *event_type_name(__u32 type)
{
	return lookup(event_types, ARRAY_SIZE(event_types), type, NULL, 0);
}

const struct flag_desc prog_flag_descs[] = {
	{ BPFRT_PROG_F_JITED, "jited", "runs as JIT code" },
	{ BPFRT_PROG_F_TERMINABLE, "terminable",
	  "can be stopped: every JIT image and call site was identified with certainty" },
	{ BPFRT_PROG_F_ADOPTED, "adopted",
	  "loaded before the bpfrt module: no verifier statistics" },
	{ BPFRT_PROG_F_BLINDED, "blinded", "constant blinding applied" },
	{ BPFRT_PROG_F_DECODED, "decoded",
	  "call sites found by decoding the JIT image (no instruction offset map)" },
	{ BPFRT_PROG_F_EST_FAILED, "est_failed",
	  "the analyzer refused the program: no estimate" },
	{ BPFRT_PROG_F_EXT, "ext", "extension (freplace) program" },
	{ BPFRT_PROG_F_OVER_LIMIT, "over_limit",
	  "over the load-time policy's limit when loaded (let through: action audit)" },
	{ 0, NULL, NULL },
};

const struct flag_desc est_flag_descs[] = {
	{ BPFRT_EST_F_LOOP_CAPPED, "loop_capped",
	  "loop count capped at the kernel maximum (a loop helper's count, such as bpf_loop's, is not a constant)" },
	{ BPFRT_EST_F_LOOP_UNBOUNDED, "loop_unbounded",
	  "a loop's trip count was not inferred: bounded by the verifier's instruction budget" },
	{ BPFRT_EST_F_TAIL_CALL, "tail_call",
	  "tail calls: the called programs are not included" },
	{ BPFRT_EST_F_EXTENSION, "extension",
	  "extension program: estimated on its own, not as part of the program it replaces a function of" },
	{ BPFRT_EST_F_MISSING_COST, "missing_cost",
	  "the cost table lacks an entry: a category default was used" },
	{ BPFRT_EST_F_DEFAULT_COST, "default_cost",
	  "some costs were not measured on this machine: built-in defaults were used" },
	{ BPFRT_EST_F_UNKNOWN_CALL, "unknown_call",
	  "a call target is unknown: a conservative default cost was used" },
	{ BPFRT_EST_F_IRREDUCIBLE, "irreducible",
	  "irreducible control flow: a coarse bound, and a best case of 0" },
	{ BPFRT_EST_F_UNKNOWN_MAP, "unknown_map",
	  "a map operand is unknown: the program's largest map was assumed" },
	{ BPFRT_EST_F_RECURSION, "recursion",
	  "the call graph has a cycle: no finite bound" },
	{ BPFRT_EST_F_NO_EXIT, "no_exit", "a function cannot reach its exit" },
	{ BPFRT_EST_F_IMPRECISE, "imprecise",
	  "an internal analysis limit was hit: the bound is looser" },
	{ BPFRT_EST_F_UNBOUNDED, "unbounded",
	  "the worst case exceeds what can be counted: no finite bound" },
	{ 0, NULL, NULL },
};

const struct flag_desc *flag_desc_find(const struct flag_desc *tab,
				       __u32 bit)
{
	for (; tab->bit; tab++)
		if (tab->bit == bit)
			return tab;
	return NULL;
}

char *flags_names(char *buf, size_t len, __u32 flags,
		  const struct flag_desc *tab, const char *sep)
{
	size_t used = 0;
	int bit, n;

	if (!len)
		return buf;
	buf[0] = '\0';
	for (bit = 0; bit < 32; bit++) {
		const struct flag_desc *d;
		char num[16];
		const char *name;

		if (!(flags & (1U << bit)))
			continue;
		d = flag_desc_find(tab, 1U << bit);
		if (d) {
			name = d->name;
		} else {
			snprintf(num, sizeof(num), "bit%d", bit);
			name = num;
		}
		n = snprintf(buf + used, len - used, "%s%s",
			     used ? sep : "", name);
		if (n < 0 || (size_t)n >= len - used) {
			buf[used] = '\0';	/* whole names only */
			break;
		}
		used += n;
	}
	return buf;
}
