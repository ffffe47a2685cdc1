// SPDX-License-Identifier: GPL-2.0
/*
 * Helper identification by address.
 *
 * Every helper is described by a struct bpf_func_proto object whose ->func
 * is the function a call lands in. The protos are static objects named
 * after their helper: bpf_<helper>_proto, or a variant for one program
 * type (bpf_xdp_sk_lookup_tcp_proto, bpf_get_stackid_proto_tp, ...). At
 * init every kernel symbol is visited once (kallsyms_on_each_symbol), each
 * proto-like name is mapped to a helper name by the rules in
 * bpfrt_proto_helper() and the object's ->func read with a fault-safe
 * copy. The protos' own get_func_proto() paths are never called: some of
 * them have side effects (kernel/trace/bpf_trace.c: trace_printk and
 * probe_write_user).
 *
 * A function reached from protos of two different helpers is dropped: an
 * unknown target is reported as unknown, never misnamed.
 */
#include <linux/bpf.h>
#include <linux/bpf_verifier.h>
#include <linux/kallsyms.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "bpfrt.h"
#include "helpers.h"

/*
 * Helper names indexed by id, from this kernel's uapi list. The mapper puts
 * the commas between entries itself (6.1 and 6.12 alike); newer kernels
 * pass only the name to FN through __BPF_FUNC_MAPPER_APPLY.
 */
#define BPFRT_HELPER_NAME(name, ...) \
	[BPF_FUNC_ ## name] = #name
static const char * const bpfrt_helper_names[__BPF_FUNC_MAX_ID] = {
	__BPF_FUNC_MAPPER(BPFRT_HELPER_NAME)
};

/* Protos whose names do not follow the prefix/suffix rules below. */
static const struct {
	const char *core;
	const char *helper;
} bpfrt_proto_aliases[] = {
	{ "skb_event_output", "perf_event_output" },
	{ "xdp_event_output", "perf_event_output" },
	{ "lwt_in_push_encap", "lwt_push_encap" },
	{ "lwt_xmit_push_encap", "lwt_push_encap" },
	{ "flow_dissector_load_bytes", "skb_load_bytes" },
	{ "sk_reuseport_load_bytes", "skb_load_bytes" },
	{ "sk_reuseport_load_bytes_relative", "skb_load_bytes_relative" },
	{ "get_raw_smp_processor_id", "get_smp_processor_id" },
	{ "probe_read_compat", "probe_read" },
	{ "probe_read_compat_str", "probe_read_str" },
	{ "get_socket_ptr_cookie", "get_socket_cookie" },
	{ "sk_lookup_assign", "sk_assign" },
};

struct bpfrt_helper_addr {
	unsigned long func;
	int id;			/* -1: ambiguous */
};

#define BPFRT_MAX_HELPER_ADDRS 1024

static struct bpfrt_helper_addr *bpfrt_helper_addrs;
static u32 bpfrt_helper_addr_cnt;
static u32 bpfrt_helper_prop[__BPF_FUNC_MAX_ID];

u32 bpfrt_helper_props(u32 id)
{
	return id < __BPF_FUNC_MAX_ID ? bpfrt_helper_prop[id] : 0;
}

/* Folds one proto of helper @id into its properties. */
static void bpfrt_helper_note_proto(int id, const struct bpf_func_proto *p)
{
	u32 props = bpfrt_helper_prop[id], i, uninit = 0;
	bool first = !(props & BPFRT_HP_SEEN);

	for (i = 0; i < 5; i++) {
		u32 t = p->arg_type[i];

		if (t & OBJ_RELEASE)
			props |= BPFRT_HP_RELEASE;
		if (base_type(t) == ARG_PTR_TO_SPIN_LOCK)
			props |= BPFRT_HP_LOCK;
		if (t & MEM_UNINIT)
			uninit |= 1U << (BPFRT_HP_UNINIT_SHIFT + i);
	}
	/* "every proto" properties start true and only ever drop. */
	if (first)
		props |= BPFRT_HP_RET_OR_NULL | BPFRT_HP_RET_INTEGER |
			 (0x1fU << BPFRT_HP_UNINIT_SHIFT);
	if (!(p->ret_type & PTR_MAYBE_NULL))
		props &= ~BPFRT_HP_RET_OR_NULL;
	if (p->ret_type != RET_INTEGER)
		props &= ~BPFRT_HP_RET_INTEGER;
	props &= ~(0x1fU << BPFRT_HP_UNINIT_SHIFT) | uninit;
	bpfrt_helper_prop[id] = props | BPFRT_HP_SEEN;
}

const char *bpfrt_helper_name(u32 id)
{
	return id < __BPF_FUNC_MAX_ID ? bpfrt_helper_names[id] : NULL;
}

int bpfrt_helper_by_name(const char *name, size_t len)
{
	int id;

	for (id = 1; id < __BPF_FUNC_MAX_ID; id++) {
		const char *h = bpfrt_helper_names[id];

		if (h && strlen(h) == len && !strncmp(h, name, len))
			return id;
	}
	return -1;
}

/*
 * The helper a proto symbol describes, or -1. @core is the symbol without
 * its "bpf_" prefix and from "_proto" on: "xdp_sk_lookup_tcp" for
 * bpf_xdp_sk_lookup_tcp_proto. Rules, first match wins: an alias; the
 * core itself; the longest helper name the core ends with after a
 * qualifier ("xdp_" + sk_lookup_tcp); the longest helper name the core
 * starts with before a qualifier (get_netns_cookie + "_sock").
 */
static int bpfrt_proto_helper(const char *core, size_t len)
{
	int id, best = -1;
	size_t i, best_len = 0;

	for (i = 0; i < ARRAY_SIZE(bpfrt_proto_aliases); i++)
		if (strlen(bpfrt_proto_aliases[i].core) == len &&
		    !strncmp(bpfrt_proto_aliases[i].core, core, len)) {
			const char *h = bpfrt_proto_aliases[i].helper;

			return bpfrt_helper_by_name(h, strlen(h));
		}
	id = bpfrt_helper_by_name(core, len);
	if (id > 0)
		return id;

	for (id = 1; id < __BPF_FUNC_MAX_ID; id++) {
		const char *h = bpfrt_helper_names[id];
		size_t hl = h ? strlen(h) : 0;

		if (!hl || hl + 1 >= len || hl <= best_len)
			continue;
		if (core[len - hl - 1] == '_' && !strncmp(core + len - hl, h, hl)) {
			best = id;
			best_len = hl;
		}
	}
	if (best > 0)
		return best;

	for (id = 1; id < __BPF_FUNC_MAX_ID; id++) {
		const char *h = bpfrt_helper_names[id];
		size_t hl = h ? strlen(h) : 0;

		if (!hl || hl + 1 >= len || hl <= best_len)
			continue;
		if (core[hl] == '_' && !strncmp(core, h, hl)) {
			best = id;
			best_len = hl;
		}
	}
	return best;
}

static void bpfrt_helper_addr_add(unsigned long func, int id)
{
	u32 i;

	for (i = 0; i < bpfrt_helper_addr_cnt; i++)
		if (bpfrt_helper_addrs[i].func == func) {
			if (bpfrt_helper_addrs[i].id != id)
				bpfrt_helper_addrs[i].id = -1;
			return;
		}
	if (bpfrt_helper_addr_cnt < BPFRT_MAX_HELPER_ADDRS)
		bpfrt_helper_addrs[bpfrt_helper_addr_cnt++] =
			(struct bpfrt_helper_addr){ .func = func, .id = id };
}

static int bpfrt_helpers_visit(BPFRT_KSYM_EACH_PARAMS)
{
	const char *core = name, *p;
	struct bpf_func_proto proto;
	int id;

	p = strstr(name, "_proto");
	if (!p || (p[6] && p[6] != '_'))
		return 0;
	if (!strncmp(core, "bpf_", 4))
		core += 4;
	if (p <= core)
		return 0;
	id = bpfrt_proto_helper(core, p - core);
	if (id <= 0)
		return 0;
	/* A symbol named like a proto that is not one fails one of these. */
	if (copy_from_kernel_nofault(&proto, (void *)addr, sizeof(proto)))
		return 0;
	if (!proto.func || !bpfrt_syms.core_kernel_text((unsigned long)proto.func))
		return 0;
	bpfrt_helper_addr_add((unsigned long)proto.func, id);
	bpfrt_helper_note_proto(id, &proto);
	return 0;
}

static int bpfrt_helper_addr_cmp(const void *a, const void *b)
{
	const struct bpfrt_helper_addr *x = a, *y = b;

	return x->func < y->func ? -1 : x->func > y->func;
}

int bpfrt_helper_id(unsigned long addr)
{
	u32 lo = 0, hi = bpfrt_helper_addr_cnt;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (bpfrt_helper_addrs[mid].func == addr)
			return bpfrt_helper_addrs[mid].id;
		if (bpfrt_helper_addrs[mid].func < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

u32 bpfrt_helpers_known(void)
{
	return bpfrt_helper_addr_cnt;
}

int bpfrt_helpers_init(void)
{
	int (*each)(bpfrt_ksym_each_fn fn, void *data);

	each = (void *)bpfrt_lookup_name("kallsyms_on_each_symbol");
	if (!each) {
		pr_err("required kernel symbol 'kallsyms_on_each_symbol' not found\n");
		return -ENOENT;
	}
	bpfrt_helper_addrs = kvcalloc(BPFRT_MAX_HELPER_ADDRS,
				      sizeof(*bpfrt_helper_addrs), GFP_KERNEL);
	if (!bpfrt_helper_addrs)
		return -ENOMEM;
	each(bpfrt_helpers_visit, NULL);
	sort(bpfrt_helper_addrs, bpfrt_helper_addr_cnt,
	     sizeof(*bpfrt_helper_addrs), bpfrt_helper_addr_cmp, NULL);
	pr_debug("identified %u helper functions\n", bpfrt_helper_addr_cnt);
	return 0;
}

void bpfrt_helpers_exit(void)
{
	kvfree(bpfrt_helper_addrs);
	bpfrt_helper_addrs = NULL;
	bpfrt_helper_addr_cnt = 0;
	memset(bpfrt_helper_prop, 0, sizeof(bpfrt_helper_prop));
}
