// SPDX-License-Identifier: GPL-2.0
/*
 * The stubs (see stub.h) and the table they find their site in.
 *
 * A patched call site is "call bpfrt_site_stub": the stub's return address
 * is the end of the 5-byte call, which names the site. A patched callback
 * entry is "call bpfrt_cb_thunk" in place of the entry nop; the thunk
 * (stub_thunk.S) saves the argument registers and asks
 * bpfrt_cb_should_stop() whether to return 1 from the callback at once.
 *
 * Sites are found in an RCU hash table. A stub copies what it needs under
 * rcu_read_lock() and forwards outside it, because the forwarded helper may
 * run long or sleep (sleepable programs). Entries are freed after a grace
 * period once unpublished; module unload waits for stubs in flight the way
 * hook.c waits for wrappers.
 */
#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/hashtable.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "bpfrt.h"
#include "registry.h"
#include "stub.h"
#include "watchdog.h"

DEFINE_PER_CPU(struct bpfrt_target, bpfrt_cpu_target);

#define BPFRT_PATCH_BITS 8
static DEFINE_HASHTABLE(bpfrt_patches, BPFRT_PATCH_BITS);
static DEFINE_SPINLOCK(bpfrt_patches_lock);
static atomic_t bpfrt_stubs_inflight = ATOMIC_INIT(0);

/*
 * An entry left by a program that was freed (its batch not yet unpublished)
 * may have the same address as a new program's site, since freed JIT memory
 * is reused: it is dead - no instance of a freed program runs - and goes
 * first, so a stub never finds it.
 */
void bpfrt_stub_publish(struct bpfrt_patch *p)
{
	u32 key = hash_ptr(p->ip, BPFRT_PATCH_BITS);
	struct bpfrt_patch *old;
	struct hlist_node *tmp;

	spin_lock(&bpfrt_patches_lock);
	hash_for_each_possible_safe(bpfrt_patches, old, tmp, node, key)
		if (old->ip == p->ip)
			hash_del_rcu(&old->node);
	hash_add_rcu(bpfrt_patches, &p->node, key);
	spin_unlock(&bpfrt_patches_lock);
}

/* Idempotent; the caller frees @p after an RCU grace period. */
void bpfrt_stub_unpublish(struct bpfrt_patch *p)
{
	spin_lock(&bpfrt_patches_lock);
	hash_del_rcu(&p->node);
	spin_unlock(&bpfrt_patches_lock);
}

static struct bpfrt_patch *bpfrt_patch_find(void *ip)
{
	struct bpfrt_patch *p;

	hash_for_each_possible_rcu(bpfrt_patches, p, node,
				   hash_ptr(ip, BPFRT_PATCH_BITS))
		if (p->ip == ip)
			return p;
	return NULL;
}

/* Is @ip a published site? Any context, the int3 handler's included. */
bool bpfrt_stub_is_site(void *ip)
{
	bool known;

	rcu_read_lock();
	known = bpfrt_patch_find(ip);
	rcu_read_unlock();
	return known;
}

/*
 * Does the stub act here? On every CPU when program-wide; else only in the
 * very instance the watchdog caught on this CPU. Under rcu_read_lock().
 */
static bool bpfrt_stub_acts(const struct bpfrt_patch *p)
{
	struct bpfrt_target t;
	unsigned long flags;

	if (READ_ONCE(p->rec->term.all_cpus))
		return true;
	/* The watchdog's interrupt on this CPU writes both fields. */
	local_irq_save(flags);
	t = *this_cpu_ptr(&bpfrt_cpu_target);
	local_irq_restore(flags);
	return t.rec == p->rec && bpfrt_wd_runs(p->rec) == t.runs;
}

typedef u64 (*bpfrt_helper_fn)(u64, u64, u64, u64, u64);

/*
 * The target of the 5-byte call at @ip, when it is a call again (restored)
 * and not one into this stub; else NULL.
 */
static bpfrt_helper_fn bpfrt_restored_target(void *ip)
{
	u8 insn[5];
	s32 rel;
	void *target;

	if (copy_from_kernel_nofault(insn, ip, sizeof(insn)) || insn[0] != 0xe8)
		return NULL;
	memcpy(&rel, &insn[1], sizeof(rel));
	target = (u8 *)ip + 5 + rel;
	if (target == (void *)bpfrt_site_stub)
		return NULL;
	return (bpfrt_helper_fn)target;
}

u64 notrace bpfrt_site_stub(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	void *ip = (u8 *)__builtin_return_address(0) - 5;
	u64 args[5] = { r1, r2, r3, r4, r5 };
	struct bpfrt_patch copy;
	struct bpfrt_patch *p;
	bpfrt_helper_fn fn;
	bool act;
	u64 ret;

	atomic_inc(&bpfrt_stubs_inflight);
	rcu_read_lock();
	p = bpfrt_patch_find(ip);
	if (p) {
		copy = *p;
		act = bpfrt_stub_acts(p);
		if (act)
			atomic64_inc(&p->rec->term.stub_hits);
	}
	rcu_read_unlock();

	/*
	 * A site is patched only after its entry is published, and restored
	 * a tasks-RCU grace period before the entry is removed. Tasks RCU
	 * does not wait for code in an interrupt taken by the idle task (an
	 * XDP program in softirq on an idle CPU), so an instance that called
	 * the stub just before the restore may find no entry: the site holds
	 * the original call again, and that is where the call goes.
	 */
	if (!p) {
		fn = bpfrt_restored_target(ip);
		if (fn) {
			ret = fn(r1, r2, r3, r4, r5);
		} else {
			pr_err_once("stub entered from %pS: no site entry, no call to forward to\n",
				    ip);
			ret = 0;
		}
		goto out;
	}
	if (!act) {
		fn = copy.orig;
		ret = fn(r1, r2, r3, r4, r5);
		goto out;
	}
	switch (copy.outcome) {
	case BPFRT_OUT_NULL:
	case BPFRT_OUT_ZERO:
		ret = 0;
		break;
	case BPFRT_OUT_ONE:
		ret = 1;
		break;
	case BPFRT_OUT_ZERO_BUF:
		/* The verifier proved buf writable for size bytes. */
		memset((void *)(unsigned long)args[copy.buf_arg - 1], 0,
		       args[copy.size_arg - 1]);
		fallthrough;
	case BPFRT_OUT_ERR:
		ret = (u64)(s64)-copy.err;
		break;
	default:
		fn = copy.orig;
		ret = fn(r1, r2, r3, r4, r5);
	}
out:
	atomic_dec(&bpfrt_stubs_inflight);
	return ret;
}

/*
 * Called by bpfrt_cb_thunk with the thunk's return address: the end of
 * the call that replaced the callback's entry nop.
 */
bool notrace bpfrt_cb_should_stop(unsigned long ret_addr)
{
	struct bpfrt_patch *p;
	bool act = false;

	atomic_inc(&bpfrt_stubs_inflight);
	rcu_read_lock();
	p = bpfrt_patch_find((void *)(ret_addr - 5));
	if (p && bpfrt_stub_acts(p)) {
		act = true;
		atomic64_inc(&p->rec->term.stub_hits);
	}
	rcu_read_unlock();
	atomic_dec(&bpfrt_stubs_inflight);
	return act;
}

void bpfrt_stubs_drain(void)
{
	/* Tasks between a stub's entry and its count. */
	synchronize_rcu_tasks();
	while (atomic_read(&bpfrt_stubs_inflight))
		msleep(20);
	/* Tasks between the count and the stub's last instruction. */
	synchronize_rcu_tasks();
}
