// SPDX-License-Identifier: GPL-2.0
/*
 * Which call sites of an armed program get a stub, and what each stub
 * returns (DESIGN.md, "Termination rules"): the outcome table below says,
 * per helper, what a stub returns and why the verified program already
 * handles it. Helpers that take or release locks or references, and helpers
 * without a failure outcome, are never stubbed; the proto of each helper
 * (helpers.c) is checked against the table, so a kernel whose helper
 * changed shape is left alone. terminate.c does the patching.
 */
#include <linux/bpf.h>
#include <linux/filter.h>
#include <linux/string.h>
#include <linux/bpfrt.h>

#include "bpfrt.h"
#include "helpers.h"
#include "registry.h"
#include "stub.h"
#include "stub_plan.h"

/* ---- what a stub may return, per helper ----------------------------------
 *
 * helper			outcome			why it is legitimate
 * map_lookup_elem, ..._percpu	NULL			*_OR_NULL: "not found"
 * ringbuf_reserve		NULL			*_OR_NULL: "no room";
 *							nothing is reserved
 * sk_lookup_tcp/udp,		NULL			*_OR_NULL: "no socket";
 * skc_lookup_tcp					nothing is acquired
 * map_update_elem		-E2BIG			map full / index too big
 * map_delete_elem		-ENOENT			no such key
 * ringbuf_output		-EAGAIN			ring full
 * perf_event_output		-ENOENT			no event on this CPU
 * get_stackid			-EFAULT			stack not available
 * trace_printk			-EINVAL			bad format
 * loop				-E2BIG			nr_loops over the maximum
 * user_ringbuf_drain		-EBUSY			another drain running
 * find_vma			-ENOENT			no VMA at that address
 * probe_read{,_str},		zero buf, -EFAULT	faulting read: the real
 * probe_read_{kernel,user}{,_str},			helpers zero the buffer
 * copy_from_user{,_task}				the same way
 * get_current_comm		zero buf, -EINVAL	no current task
 * get_stack, get_task_stack	zero buf, -EFAULT	stack not available
 * skb_load_bytes		zero buf, -EFAULT	offset out of range
 * for_each_map_elem		0			no element visited
 *
 * Never: spin_lock/unlock, ringbuf_submit/discard, sk_release, kptr_xchg,
 * object drops and anything else not listed (left alone: the instance still
 * finishes as soon as it reaches a stubbed call or callback).
 */
struct bpfrt_rule {
	const char *helper;
	u8 outcome;
	u8 buf_arg, size_arg;
	s32 err;
};

static const struct bpfrt_rule bpfrt_rules[] = {
	{ "map_lookup_elem", BPFRT_OUT_NULL },
	{ "map_lookup_percpu_elem", BPFRT_OUT_NULL },
	{ "ringbuf_reserve", BPFRT_OUT_NULL },
	{ "sk_lookup_tcp", BPFRT_OUT_NULL },
	{ "sk_lookup_udp", BPFRT_OUT_NULL },
	{ "skc_lookup_tcp", BPFRT_OUT_NULL },
	{ "map_update_elem", BPFRT_OUT_ERR, 0, 0, E2BIG },
	{ "map_delete_elem", BPFRT_OUT_ERR, 0, 0, ENOENT },
	{ "ringbuf_output", BPFRT_OUT_ERR, 0, 0, EAGAIN },
	{ "perf_event_output", BPFRT_OUT_ERR, 0, 0, ENOENT },
	{ "get_stackid", BPFRT_OUT_ERR, 0, 0, EFAULT },
	{ "trace_printk", BPFRT_OUT_ERR, 0, 0, EINVAL },
	{ "loop", BPFRT_OUT_ERR, 0, 0, E2BIG },
	{ "user_ringbuf_drain", BPFRT_OUT_ERR, 0, 0, EBUSY },
	{ "find_vma", BPFRT_OUT_ERR, 0, 0, ENOENT },
	{ "for_each_map_elem", BPFRT_OUT_ZERO },
	{ "probe_read", BPFRT_OUT_ZERO_BUF, 1, 2, EFAULT },
	{ "probe_read_str", BPFRT_OUT_ZERO_BUF, 1, 2, EFAULT },
	{ "probe_read_kernel", BPFRT_OUT_ZERO_BUF, 1, 2, EFAULT },
	{ "probe_read_kernel_str", BPFRT_OUT_ZERO_BUF, 1, 2, EFAULT },
	{ "probe_read_user", BPFRT_OUT_ZERO_BUF, 1, 2, EFAULT },
	{ "probe_read_user_str", BPFRT_OUT_ZERO_BUF, 1, 2, EFAULT },
	{ "copy_from_user", BPFRT_OUT_ZERO_BUF, 1, 2, EFAULT },
	{ "copy_from_user_task", BPFRT_OUT_ZERO_BUF, 1, 2, EFAULT },
	{ "get_current_comm", BPFRT_OUT_ZERO_BUF, 1, 2, EINVAL },
	{ "get_stack", BPFRT_OUT_ZERO_BUF, 2, 3, EFAULT },
	{ "get_task_stack", BPFRT_OUT_ZERO_BUF, 2, 3, EFAULT },
	{ "skb_load_bytes", BPFRT_OUT_ZERO_BUF, 3, 4, EFAULT },
};

/* Rules resolved to this kernel's helper ids, proto-checked. */
static const struct bpfrt_rule *bpfrt_rule_by_id[__BPF_FUNC_MAX_ID];

static bool bpfrt_rule_fits_proto(const struct bpfrt_rule *r, u32 props)
{
	if (!(props & BPFRT_HP_SEEN) ||
	    (props & (BPFRT_HP_RELEASE | BPFRT_HP_LOCK)))
		return false;
	switch (r->outcome) {
	case BPFRT_OUT_NULL:
		return props & BPFRT_HP_RET_OR_NULL;
	case BPFRT_OUT_ZERO_BUF:
		if (!(props & (1U << (BPFRT_HP_UNINIT_SHIFT + r->buf_arg - 1))))
			return false;
		fallthrough;
	case BPFRT_OUT_ERR:
	case BPFRT_OUT_ZERO:
		return props & BPFRT_HP_RET_INTEGER;
	default:
		return false;
	}
}

void bpfrt_rules_init(void)
{
	size_t i;
	int id;

	for (i = 0; i < ARRAY_SIZE(bpfrt_rules); i++) {
		const struct bpfrt_rule *r = &bpfrt_rules[i];

		id = bpfrt_helper_by_name(r->helper, strlen(r->helper));
		if (id <= 0)
			continue;
		if (bpfrt_rule_fits_proto(r, bpfrt_helper_props(id)))
			bpfrt_rule_by_id[id] = r;
		else
			pr_info("helper %s does not have the expected shape on this kernel: never stubbed\n",
				r->helper);
	}
}

/* Map operations: the same outcomes, decided by operation and map type. */
static bool bpfrt_map_op_rule(u16 op, u32 map_type, struct bpfrt_rule *r)
{
	memset(r, 0, sizeof(*r));
	switch (op) {
	case BPFRT_MOP_LOOKUP:
	case BPFRT_MOP_LOOKUP_PERCPU:
		r->outcome = BPFRT_OUT_NULL;
		return true;
	case BPFRT_MOP_UPDATE:
	case BPFRT_MOP_PUSH:
		r->outcome = BPFRT_OUT_ERR;
		r->err = E2BIG;
		return true;
	case BPFRT_MOP_DELETE:
		/* Arrays refuse deletes (kernel/bpf/arraymap.c); others miss. */
		r->outcome = BPFRT_OUT_ERR;
		r->err = map_type == BPF_MAP_TYPE_ARRAY ||
			 map_type == BPF_MAP_TYPE_PERCPU_ARRAY ? EINVAL : ENOENT;
		return true;
	case BPFRT_MOP_FOR_EACH:
		r->outcome = BPFRT_OUT_ZERO;
		return true;
	default:
		return false;
	}
}

/*
 * The inlined bpf_loop's callback call (analyzer.h: bpfrt_an_inlined_loop_at)
 * only decides whether the loop goes on: a stub returning 1 stops it. Any
 * other bpf-to-bpf call may return a pointer or a reference the caller
 * uses, and is left alone.
 */
static bool bpfrt_is_inlined_loop_call(const struct bpf_prog *fp, u32 i)
{
	return i >= BPFRT_AN_INLINED_LOOP_CALL &&
	       bpfrt_an_inlined_loop_at(fp->insnsi, fp->len,
					i - BPFRT_AN_INLINED_LOOP_CALL);
}

/*
 * With tail calls reachable, the JIT passes the tail-call count in rax to
 * bpf-to-bpf callees ("mov/lea rax, [rbp-X]" right before the call);
 * a C stub would not preserve it.
 */
static bool bpfrt_call_uses_rax(const u8 *site)
{
	return site[-7] == 0x48 && (site[-6] == 0x8b || site[-6] == 0x8d) &&
	       site[-5] == 0x85;
}

static const struct bpf_prog *bpfrt_func_prog(const struct bpfrt_prog_rec *rec,
					      u32 f)
{
	const struct bpf_prog *prog = rec->prog;

	return prog->aux->func_cnt ? prog->aux->func[f] : prog;
}

bool bpfrt_plan_site(const struct bpfrt_prog_rec *rec,
			    const struct bpfrt_site *s, struct bpfrt_patch *p)
{
	struct bpfrt_rule r;
	u8 *ip = (u8 *)rec->images[s->func].start + s->jit_off;

	switch (s->kind) {
	case BPFRT_SITE_HELPER:
		if (s->id >= __BPF_FUNC_MAX_ID || !bpfrt_rule_by_id[s->id])
			return false;
		r = *bpfrt_rule_by_id[s->id];
		break;
	case BPFRT_SITE_MAP_OP:
		if (s->id >= rec->map_cnt ||
		    !bpfrt_map_op_rule(s->op, rec->maps[s->id].type, &r))
			return false;
		break;
	case BPFRT_SITE_FUNC:
		if (s->insn == U32_MAX ||
		    !bpfrt_is_inlined_loop_call(bpfrt_func_prog(rec, s->func),
						s->insn) ||
		    s->jit_off < 7 || bpfrt_call_uses_rax(ip))
			return false;
		memset(&r, 0, sizeof(r));
		r.outcome = BPFRT_OUT_ONE;
		break;
	default:
		return false;
	}
	p->ip = ip;
	p->orig = (void *)s->target;
	p->stub = bpfrt_site_stub;
	p->outcome = r.outcome;
	p->buf_arg = r.buf_arg;
	p->size_arg = r.size_arg;
	p->err = r.err;
	return true;
}

void *bpfrt_entry_nop(const struct bpfrt_image *img)
{
	static const u8 endbr64[4] = { 0xf3, 0x0f, 0x1e, 0xfa };
	u8 *start = img->start;

	return memcmp(start, endbr64, sizeof(endbr64)) ? start : start + 4;
}
