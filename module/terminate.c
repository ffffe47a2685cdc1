// SPDX-License-Identifier: GPL-2.0
/*
 * Fast-path termination (DESIGN.md, "Termination rules").
 *
 * Arming a program rewrites, in every function image, each call site whose
 * helper has a legitimate failure outcome into "call bpfrt_site_stub", and
 * the entry nop of each function used only as a loop-helper callback into
 * "call bpfrt_cb_thunk" (stub.c). The stubs act only on a CPU whose
 * instance is being terminated (or on every CPU for a program-wide
 * termination) and forward everywhere else, so arming a suspect early costs
 * other instances a lookup per helper call and nothing more.
 *
 * The outcome table below says, per helper, what a stub returns and why
 * the verified program already handles it. Helpers that take or release
 * locks or references, and helpers without a failure outcome, are never
 * stubbed; the proto of each helper (helpers.c) is checked against the
 * table, so a kernel whose helper changed shape is left alone.
 *
 * All patching is a compare-and-swap of 5 bytes under text_mutex with
 * text_poke_bp()'s int3 protocol, safe while other CPUs run the image - what
 * bpf_arch_text_poke() (arch/x86/net/bpf_jit_comp.c) does, minus its check
 * that the address is in a live program's symbol: a program being freed
 * has left the symbol tree already (kernel/bpf/syscall.c:
 * __bpf_prog_put_noref) but its images must still be restored before
 * bpf_jit_free(). It may sleep, so it happens here, in a work item or an
 * ioctl, never in the watchdog's interrupt.
 */
#include <linux/bpf.h>
#include <linux/crc32.h>
#include <linux/filter.h>
#include <linux/kdebug.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <asm/nops.h>
#include <asm/text-patching.h>
#include <linux/bpfrt.h>

#include "bpfrt.h"
#include "events.h"
#include "helpers.h"
#include "registry.h"
#include "stub.h"
#include "terminate.h"

DEFINE_MUTEX(bpfrt_term_lock);

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

static void bpfrt_rules_init(void)
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

/* Fills @p for call site @s; false when the site is left alone. */
static bool bpfrt_plan_site(const struct bpfrt_prog_rec *rec,
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

/* The entry nop of a function image (after an endbr on IBT kernels). */
static void *bpfrt_entry_nop(const struct bpfrt_image *img)
{
	static const u8 endbr64[4] = { 0xf3, 0x0f, 0x1e, 0xfa };
	u8 *start = img->start;

	return memcmp(start, endbr64, sizeof(endbr64)) ? start : start + 4;
}

/* --- arming --------------------------------------------------------------- */

/* The 5 bytes of "call target" at @ip, or the JIT's 5-byte nop. */
static int bpfrt_insn5(u8 insn[5], void *ip, void *target)
{
	static const u8 nop5[5] = { BYTES_NOP5 };
	long rel;
	s32 rel32;

	if (!target) {
		memcpy(insn, nop5, sizeof(nop5));
		return 0;
	}
	rel = (long)target - ((long)ip + 5);
	if (rel != (s32)rel)
		return -ERANGE;
	rel32 = rel;
	insn[0] = 0xe8;
	memcpy(&insn[1], &rel32, sizeof(rel32));
	return 0;
}

/* Replaces "call old" (or the nop, old NULL) at @ip by "call new". */
static int bpfrt_poke(void *ip, void *old, void *new)
{
	u8 old_insn[5], new_insn[5];
	int ret;

	ret = bpfrt_insn5(old_insn, ip, old);
	if (!ret)
		ret = bpfrt_insn5(new_insn, ip, new);
	if (ret)
		return ret;
	mutex_lock(bpfrt_syms.text_mutex);
	if (memcmp(ip, old_insn, sizeof(old_insn))) {
		ret = -EBUSY;
	} else {
		bpfrt_syms.text_poke_bp(ip, new_insn, sizeof(new_insn), NULL);
		/*
		 * The same bytes once more, in one plain write: a no-op for
		 * a CPU, but an emulator that translates guest code (QEMU
		 * TCG) drops whatever it translated from the int3 of the
		 * protocol's first step. A vCPU translating the site while
		 * the final byte landed could otherwise keep executing that
		 * int3, which kprobe_int3_handler() then rewinds forever
		 * (the byte in memory is no longer an int3): seen in the
		 * guest tests as a callback stuck at its entry.
		 */
		bpfrt_syms.text_poke(ip, new_insn, sizeof(new_insn));
	}
	mutex_unlock(bpfrt_syms.text_mutex);
	return ret;
}

/*
 * An int3 at one of our sites after text_poke_bp() is done with it. A CPU
 * cannot execute one: the protocol's last step writes the final first byte
 * and serialises every CPU. An emulator that translates guest code can:
 * QEMU TCG may keep running a translation made from the protocol's int3
 * until the bytes are written again (bpfrt_poke() does, right after).
 * Linux 6.1's kprobe handler backs up over an int3 that is no longer in
 * memory, so the site runs again; later kernels die on it. Emulate the
 * instruction now in memory instead: a call, or the JIT's 5-byte nop.
 */
static int bpfrt_stale_int3(struct notifier_block *nb, unsigned long val,
			    void *data)
{
	static const u8 nop5[5] = { BYTES_NOP5 };
	struct die_args *args = data;
	struct pt_regs *regs = args->regs;
	unsigned long site;
	u8 insn[5];
	s32 rel;

	if (val != DIE_INT3 || !regs || user_mode(regs))
		return NOTIFY_DONE;
	site = regs->ip - INT3_INSN_SIZE;
	if (!bpfrt_stub_is_site((void *)site) ||
	    copy_from_kernel_nofault(insn, (void *)site, sizeof(insn)))
		return NOTIFY_DONE;
	if (insn[0] == 0xe8) {
		memcpy(&rel, &insn[1], sizeof(rel));
		int3_emulate_call(regs, site + CALL_INSN_SIZE + rel);
	} else if (!memcmp(insn, nop5, sizeof(nop5))) {
		int3_emulate_jmp(regs, site + sizeof(nop5));
	} else {
		return NOTIFY_DONE;
	}
	return NOTIFY_STOP;
}

static struct notifier_block bpfrt_stale_int3_nb = {
	.notifier_call = bpfrt_stale_int3,
};

/* Patches of a disarmed program, waiting until no stub can use them. */
struct bpfrt_patch_batch {
	struct rcu_head rcu;
	u32 n;
	struct bpfrt_patch *patches;
};

static void bpfrt_batch_free_rcu(struct rcu_head *head)
{
	struct bpfrt_patch_batch *b = container_of(head, struct bpfrt_patch_batch,
						   rcu);

	kvfree(b->patches);
	kfree(b);
}

/*
 * A tasks-RCU grace period after the sites were restored, every task that
 * entered a stub through them has looked its site up: unpublish, then free
 * after a normal grace period (stubs look up under rcu_read_lock()).
 */
static void bpfrt_batch_unpublish_rcu(struct rcu_head *head)
{
	struct bpfrt_patch_batch *b = container_of(head, struct bpfrt_patch_batch,
						   rcu);
	u32 i;

	for (i = 0; i < b->n; i++)
		bpfrt_stub_unpublish(&b->patches[i]);
	call_rcu(&b->rcu, bpfrt_batch_free_rcu);
}

/*
 * Restores every live patch of @rec. What the stubs still need is freed
 * later by RCU callbacks: waiting here could wait for a CPU stuck in a
 * runaway instance (not a tasks-RCU quiescent state) that this very lock
 * must remain free to terminate. Caller holds bpfrt_term_lock.
 */
static u32 bpfrt_disarm(struct bpfrt_prog_rec *rec)
{
	struct bpfrt_patch *patches = rec->term.patches;
	u32 i, n = rec->term.npatches, restored = 0;
	struct bpfrt_patch_batch *b;
	int ret;

	lockdep_assert_held(&bpfrt_term_lock);
	if (!patches)
		return 0;
	for (i = 0; i < n; i++) {
		struct bpfrt_patch *p = &patches[i];

		if (!p->live)
			continue;
		/* Compare-and-swap back to the exact original bytes. */
		ret = bpfrt_poke(p->ip, p->stub, p->orig);
		if (ret)
			pr_err("cannot restore %pS of program %s: %d\n", p->ip,
			       rec->sum.name, ret);
		p->live = false;
		restored++;
	}
	rec->term.patches = NULL;
	rec->term.npatches = 0;
	/* Stubs entered through a site just restored still look it up. */
	b = kmalloc(sizeof(*b), GFP_KERNEL | __GFP_NOFAIL);
	b->n = n;
	b->patches = patches;
	call_rcu_tasks(&b->rcu, bpfrt_batch_unpublish_rcu);
	return restored;
}

/* Arms @rec. Caller holds bpfrt_term_lock; @rec is alive (a reference on
 * its program, or bpfrt_registry_lock).
 */
static int bpfrt_arm_sites(struct bpfrt_prog_rec *rec)
{
	struct bpfrt_patch *patches;
	u32 i, f, n = 0, cap;
	int ret;

	lockdep_assert_held(&bpfrt_term_lock);
	if (rec->term.patches)
		return 0;
	/* Being freed (bpfrt_term_release ran): its images are going. */
	if (rec->term.dead)
		return -ENOENT;
	if (!(rec->sum.flags & BPFRT_PROG_F_TERMINABLE) || !rec->images)
		return -EOPNOTSUPP;
	cap = rec->site_cnt + rec->func_cnt;
	patches = kvcalloc(max_t(u32, cap, 1), sizeof(*patches), GFP_KERNEL);
	if (!patches)
		return -ENOMEM;

	for (i = 0; i < rec->site_cnt; i++)
		if (bpfrt_plan_site(rec, &rec->sites[i], &patches[n]))
			patches[n++].rec = rec;
	for (f = 0; f < rec->func_cnt; f++) {
		if (!(rec->images[f].flags & BPFRT_IMG_CALLBACK_ONLY))
			continue;
		patches[n].ip = bpfrt_entry_nop(&rec->images[f]);
		patches[n].orig = NULL;		/* a nop */
		patches[n].stub = bpfrt_cb_thunk;
		patches[n].outcome = BPFRT_OUT_ONE;
		patches[n++].rec = rec;
	}

	rec->term.patches = patches;
	rec->term.npatches = n;
	/* Published before patched: a stub always finds its site. */
	for (i = 0; i < n; i++)
		bpfrt_stub_publish(&patches[i]);
	for (i = 0; i < n; i++) {
		ret = bpfrt_poke(patches[i].ip, patches[i].orig,
				 patches[i].stub);
		if (ret) {
			/* Someone else owns these bytes (a trampoline on
			 * the entry nop): leave this site alone.
			 */
			pr_debug("site %pS of %s not armed: %d\n",
				 patches[i].ip, rec->sum.name, ret);
			continue;
		}
		patches[i].live = true;
	}
	return 0;
}

static u32 bpfrt_live_patches(const struct bpfrt_prog_rec *rec)
{
	u32 i, n = 0;

	for (i = 0; rec->term.patches && i < rec->term.npatches; i++)
		n += rec->term.patches[i].live;
	return n;
}

/* --- work: arm requests from the watchdog, disarm when done ---------------- */

static DEFINE_PER_CPU(struct bpf_prog *, bpfrt_arm_req);
static void bpfrt_term_work_fn(struct work_struct *work);
static DECLARE_WORK(bpfrt_term_work, bpfrt_term_work_fn);
/*
 * Unbound: the CPU asking is stuck in the runaway instance, and a per-CPU
 * work item queued there would wait for it.
 */
static struct workqueue_struct *bpfrt_term_wq;

/*
 * Whether arming is possible, under bpfrt_term_lock: true from the end of
 * bpfrt_term_init() to the start of bpfrt_term_exit(). The load hooks
 * (capture.c) arm suspects at load and stay installed a little longer than
 * the terminator on unload; a program armed after bpfrt_term_exit() had
 * restored everything would keep our stubs in its image after the module
 * is gone.
 */
static bool bpfrt_term_live;

/* Records currently armed, under bpfrt_term_lock. */
static struct bpfrt_prog_rec **bpfrt_armed;
static u32 bpfrt_armed_cnt, bpfrt_armed_cap;

/*
 * Room for one more entry, taken before a record is armed: an armed record
 * nobody tracks would never be restored (not even on unload).
 */
static int bpfrt_armed_reserve(void)
{
	struct bpfrt_prog_rec **n;
	u32 cap;

	if (bpfrt_armed_cnt < bpfrt_armed_cap)
		return 0;
	cap = max_t(u32, 16, bpfrt_armed_cap * 2);
	n = krealloc_array(bpfrt_armed, cap, sizeof(*n), GFP_KERNEL);
	if (!n)
		return -ENOMEM;
	bpfrt_armed = n;
	bpfrt_armed_cap = cap;
	return 0;
}

/* Arms @rec and tracks it; caller holds bpfrt_term_lock. */
static int bpfrt_arm(struct bpfrt_prog_rec *rec)
{
	int ret;

	lockdep_assert_held(&bpfrt_term_lock);
	if (rec->term.patches)
		return 0;
	ret = bpfrt_armed_reserve();
	if (ret)
		return ret;
	ret = bpfrt_arm_sites(rec);
	if (!ret)
		bpfrt_armed[bpfrt_armed_cnt++] = rec;
	return ret;
}

static void bpfrt_armed_del(struct bpfrt_prog_rec *rec)
{
	u32 i;

	for (i = 0; i < bpfrt_armed_cnt; i++)
		if (bpfrt_armed[i] == rec) {
			bpfrt_armed[i] = bpfrt_armed[--bpfrt_armed_cnt];
			return;
		}
}

void bpfrt_term_request_arm(struct bpf_prog *prog)
{
	struct bpf_prog *old = this_cpu_xchg(bpfrt_arm_req, prog);

	if (old)
		bpf_prog_put(old);	/* irq-safe: frees from a work item */
	queue_work(bpfrt_term_wq, &bpfrt_term_work);
}

void bpfrt_term_arm_pinned(struct bpfrt_prog_rec *rec)
{
	mutex_lock(&bpfrt_term_lock);
	if (!bpfrt_term_live) {
		mutex_unlock(&bpfrt_term_lock);
		return;
	}
	bpfrt_arm(rec);
	if (rec->term.patches)
		rec->term.pinned = true;
	mutex_unlock(&bpfrt_term_lock);
}

void bpfrt_term_kick(void)
{
	queue_work(bpfrt_term_wq, &bpfrt_term_work);
}

/*
 * The watchdog was switched off: programs armed at load (pinned) would
 * keep stubs that only forward. Unpin them; the work restores each one
 * nobody is terminating.
 */
void bpfrt_term_unpin_all(void)
{
	u32 i;

	mutex_lock(&bpfrt_term_lock);
	for (i = 0; i < bpfrt_armed_cnt; i++)
		bpfrt_armed[i]->term.pinned = false;
	if (bpfrt_term_live)
		bpfrt_term_kick();
	mutex_unlock(&bpfrt_term_lock);
}

static void bpfrt_term_work_fn(struct work_struct *work)
{
	struct bpfrt_prog_rec *rec;
	struct bpf_prog *prog;
	u32 i;
	int cpu;

	mutex_lock(&bpfrt_term_lock);
	for_each_possible_cpu(cpu) {
		prog = xchg(per_cpu_ptr(&bpfrt_arm_req, cpu), NULL);
		if (!prog)
			continue;
		/* Our reference keeps the program, hence its record. */
		rcu_read_lock();
		rec = bpfrt_registry_find(prog->aux);
		rcu_read_unlock();
		if (bpfrt_term_live && rec)
			bpfrt_arm(rec);
		bpf_prog_put(prog);
	}
	/* Done with suspects: restore (instance mode; program-wide stays). */
	for (i = 0; i < bpfrt_armed_cnt;) {
		rec = bpfrt_armed[i];
		if (!atomic_read(&rec->term.suspects) && !rec->term.pinned &&
		    !READ_ONCE(rec->term.all_cpus)) {
			bpfrt_disarm(rec);
			bpfrt_armed_del(rec);
			continue;
		}
		i++;
	}
	mutex_unlock(&bpfrt_term_lock);
}

/* --- free hook, ioctls ----------------------------------------------------- */

void bpfrt_term_release(const struct bpf_prog_aux *aux)
{
	struct bpfrt_prog_rec *rec;

	mutex_lock(&bpfrt_term_lock);
	rcu_read_lock();
	rec = bpfrt_registry_find(aux);
	rcu_read_unlock();
	if (rec) {
		/*
		 * Until the free hook removes the record, a manual
		 * termination could still find it: it must not arm it.
		 */
		rec->term.dead = true;
		if (rec->term.patches) {
			bpfrt_disarm(rec);
			bpfrt_armed_del(rec);
		}
	}
	mutex_unlock(&bpfrt_term_lock);
}

static struct bpfrt_prog_rec *bpfrt_term_find(u32 id)
{
	struct bpfrt_prog_rec *rec;

	mutex_lock(&bpfrt_registry_lock);
	rec = bpfrt_registry_find_id(id);
	mutex_unlock(&bpfrt_registry_lock);
	return rec;
}

int bpfrt_term_prog(u32 id, u32 *sites)
{
	struct bpfrt_prog_summary sum;
	struct bpfrt_prog_rec *rec;
	int ret;

	/* The record cannot go: its free waits for bpfrt_term_lock. */
	mutex_lock(&bpfrt_term_lock);
	rec = bpfrt_term_find(id);
	if (!rec) {
		ret = -ENOENT;
		goto out;
	}
	if (!bpfrt_term_live) {
		ret = -ENODEV;
		goto out;
	}
	ret = bpfrt_arm(rec);
	if (ret)
		goto out;
	WRITE_ONCE(rec->term.all_cpus, true);
	atomic64_inc(&rec->term.requested);
	*sites = bpfrt_live_patches(rec);
	sum = rec->sum;
	sum.id = id;
	bpfrt_event_post(BPFRT_EV_TERMINATING, &sum);
	ret = 0;
out:
	mutex_unlock(&bpfrt_term_lock);
	return ret;
}

int bpfrt_term_restore(u32 id, u32 *sites)
{
	struct bpfrt_prog_rec *rec;
	int ret = 0;

	mutex_lock(&bpfrt_term_lock);
	rec = bpfrt_term_find(id);
	if (!rec) {
		ret = -ENOENT;
		goto out;
	}
	WRITE_ONCE(rec->term.all_cpus, false);
	rec->term.pinned = false;
	*sites = 0;
	if (rec->term.patches && !atomic_read(&rec->term.suspects)) {
		*sites = bpfrt_disarm(rec);
		bpfrt_armed_del(rec);
	}
out:
	mutex_unlock(&bpfrt_term_lock);
	return ret;
}

u32 bpfrt_term_image_crc(const struct bpfrt_prog_rec *rec)
{
	u32 crc = ~0U, f;

	for (f = 0; rec->images && f < rec->func_cnt; f++)
		crc = crc32_le(crc, rec->images[f].start, rec->images[f].len);
	return rec->images ? ~crc : 0;
}

int bpfrt_term_init(void)
{
	int ret;

	bpfrt_term_wq = alloc_workqueue("bpfrt_term", WQ_UNBOUND | WQ_HIGHPRI,
					0);
	if (!bpfrt_term_wq)
		return -ENOMEM;
	ret = register_die_notifier(&bpfrt_stale_int3_nb);
	if (ret) {
		destroy_workqueue(bpfrt_term_wq);
		return ret;
	}
	bpfrt_rules_init();
	mutex_lock(&bpfrt_term_lock);
	bpfrt_term_live = true;
	mutex_unlock(&bpfrt_term_lock);
	return 0;
}

/*
 * Stops arming and restores every armed program. Runs while the free hook
 * is still installed, so no image it restores can be freed under it.
 */
void bpfrt_term_stop(void)
{
	struct bpf_prog *prog;
	int cpu;

	mutex_lock(&bpfrt_term_lock);
	bpfrt_term_live = false;
	mutex_unlock(&bpfrt_term_lock);
	cancel_work_sync(&bpfrt_term_work);
	for_each_possible_cpu(cpu) {
		prog = xchg(per_cpu_ptr(&bpfrt_arm_req, cpu), NULL);
		if (prog)
			bpf_prog_put(prog);
	}
	mutex_lock(&bpfrt_term_lock);
	while (bpfrt_armed_cnt) {
		struct bpfrt_prog_rec *rec = bpfrt_armed[--bpfrt_armed_cnt];

		WRITE_ONCE(rec->term.all_cpus, false);
		bpfrt_disarm(rec);
	}
	kfree(bpfrt_armed);
	bpfrt_armed = NULL;
	bpfrt_armed_cap = 0;
	mutex_unlock(&bpfrt_term_lock);
}

/* Stops first if bpfrt_term_stop() was not called (it is idempotent). */
void bpfrt_term_exit(void)
{
	bpfrt_term_stop();
	/* Nothing queues it any more: the watchdog and arming have stopped. */
	destroy_workqueue(bpfrt_term_wq);
	/* The batches' callbacks are module code. */
	rcu_barrier_tasks();
	rcu_barrier();
	bpfrt_stubs_drain();
	/* Every site is restored and unpublished: no int3 can be ours. */
	unregister_die_notifier(&bpfrt_stale_int3_nb);
}
