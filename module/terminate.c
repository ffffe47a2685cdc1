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
 * Which sites get a stub and what each returns is stub_plan.c's.
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
#include "registry.h"
#include "stub.h"
#include "stub_plan.h"
#include "terminate.h"

DEFINE_MUTEX(bpfrt_term_lock);

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
