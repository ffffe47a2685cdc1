// SPDX-License-Identifier: GPL-2.0
/*
 * Capture: every program the kernel loads is recorded at the end of its
 * load, and its record dropped exactly when the kernel frees it.
 *
 * Load path (kernel/bpf/syscall.c: bpf_prog_load):
 *   bpf_check()                  wrapped: verification time and outcome;
 *     jit_subprogs()             multi-function programs are JITed here
 *   bpf_prog_select_runtime()    wrapped: after it returns, the program
 *                                is final; it is recorded in the loader's
 *                                context, which may sleep, and estimated
 *                                there too if the policy or the watchdog
 *                                judge it at load (else later: defer.c)
 *   bpf_prog_alloc_id()          the id exists from here on
 *   perf_event_bpf_event(LOAD)   observed: the record learns it has an id
 *                                and the "estimated" event is posted (a
 *                                deferred estimate's worker is woken)
 * JIT (arch/x86/net/bpf_jit_comp.c: bpf_int_jit_compile), per function on
 * its final pass:
 *   bpf_prog_fill_jited_linfo(prog, insn_to_jit_off)
 *                                wrapped: the only place the instruction
 *                                to image offset map exists (freed right
 *                                after); a copy waits in the pending list
 *                                until select_runtime takes it
 * Free (kernel/bpf/core.c: bpf_prog_free_deferred, a work item that runs
 * when no instance can run any more): wrapped, the record goes first,
 * estimated first if its estimate was deferred and not made yet.
 *
 * Wrappers instead of kretprobes: they run in the caller's context, can
 * allocate, and miss nothing under concurrency (a kretprobe silently
 * misses calls beyond maxactive).
 */
#include <linux/bpf.h>
#include <linux/filter.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/perf_event.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>

#include "compat/bpf_check.h"
#include "bpfrt.h"
#include "capture.h"
#include "defer.h"
#include "prog_estimate.h"
#include "events.h"
#include "hook.h"
#include "policy.h"
#include "record.h"
#include "registry.h"
#include "terminate.h"
#include "watchdog.h"
#include "vlog.h"

struct bpfrt_capture_stats bpfrt_capture_stats;

/* --- pending data of loads in progress ---------------------------------- */

/*
 * Data seen during a load, waiting for bpf_prog_select_runtime() of the
 * same task: offset maps (one per JITed function) and the verification
 * time. A task loads one program at a time, so (task, prog) identifies it.
 */
struct bpfrt_pending {
	struct list_head node;
	const struct task_struct *task;
	const struct bpf_prog *prog;		/* offset map: the function */
	const struct bpf_prog_aux *aux;		/* verify: the program */
	u64 verify_ns;
	struct bpfrt_load_log log;		/* verify: the loader's log */
	u32 len;
	u32 end_off[];
};

static LIST_HEAD(bpfrt_pending_list);
static DEFINE_MUTEX(bpfrt_pending_lock);

static void bpfrt_pending_add(struct bpfrt_pending *p)
{
	mutex_lock(&bpfrt_pending_lock);
	list_add_tail(&p->node, &bpfrt_pending_list);
	mutex_unlock(&bpfrt_pending_lock);
}

/* Moves the current task's entries to @out. */
static void bpfrt_pending_take(struct list_head *out)
{
	struct bpfrt_pending *p, *tmp;

	mutex_lock(&bpfrt_pending_lock);
	list_for_each_entry_safe(p, tmp, &bpfrt_pending_list, node)
		if (p->task == current)
			list_move_tail(&p->node, out);
	mutex_unlock(&bpfrt_pending_lock);
}

static void bpfrt_pending_free(struct list_head *list)
{
	struct bpfrt_pending *p, *tmp;

	list_for_each_entry_safe(p, tmp, list, node) {
		list_del(&p->node);
		kvfree(p);
	}
}

/* --- recording ---------------------------------------------------------- */

int bpfrt_record_prog(const struct bpf_prog *prog, u64 verify_ns,
		      bool adopted, const struct bpfrt_jit_map *maps,
		      u32 map_cnt)
{
	/* An adoption walk is off every loader's path already. */
	bool defer = !adopted && bpfrt_defer_allowed(prog);
	struct bpfrt_prog_summary sum;
	struct bpfrt_prog_rec *rec;
	int ret;

	rec = bpfrt_rec_build(prog, maps, map_cnt, !defer);
	if (IS_ERR(rec)) {
		atomic64_inc(&bpfrt_capture_stats.failed);
		pr_warn_ratelimited("cannot record program %s: %ld\n",
				    prog->aux->name, PTR_ERR(rec));
		return PTR_ERR(rec);
	}
	rec->verify_ns = verify_ns;
	if (adopted) {
		rec->sum.flags |= BPFRT_PROG_F_ADOPTED;
		rec->id = prog->aux->id;
	}

	mutex_lock(&bpfrt_registry_lock);
	ret = bpfrt_registry_add(rec);
	if (!ret && defer)
		bpfrt_defer_queue(rec);
	/* The cost table may have changed since the analysis (costs.c). */
	else if (!ret)
		bpfrt_reestimate_if_stale(rec);
	sum = rec->sum;
	sum.id = bpfrt_rec_id(rec);
	mutex_unlock(&bpfrt_registry_lock);
	if (ret) {
		bpfrt_rec_free(rec);
		return ret;
	}
	atomic64_inc(adopted ? &bpfrt_capture_stats.adopted :
			       &bpfrt_capture_stats.captured);
	if (defer)
		return 0;
	/* The caller keeps the program, hence the record, alive. */
	bpfrt_wd_arm_if_suspect(rec);
	/* A program caught at load has no id yet: see bpfrt_observe_perf. */
	if (adopted)
		bpfrt_event_post(BPFRT_EV_PROG_ESTIMATED, &sum);
	return 0;
}

/* --- hooks -------------------------------------------------------------- */

static int bpfrt_bpf_check_body(const struct bpfrt_check_args *a);
BPFRT_BPF_CHECK_ENTRY(bpfrt_bpf_check_wrapper, bpfrt_bpf_check_body)
static struct bpf_prog *bpfrt_select_runtime_wrapper(struct bpf_prog *fp,
						     int *err);
static void bpfrt_fill_linfo_wrapper(struct bpf_prog *prog,
				     const u32 *insn_to_jit_off);
static void bpfrt_free_deferred_wrapper(struct work_struct *work);
static void bpfrt_observe_perf(struct bpfrt_hook *hook, struct pt_regs *regs);

static struct bpfrt_hook bpfrt_hook_check = {
	.name = "bpf_check",
	.wrapper = bpfrt_bpf_check_wrapper,
};

static struct bpfrt_hook bpfrt_hook_select = {
	.name = "bpf_prog_select_runtime",
	.wrapper = bpfrt_select_runtime_wrapper,
};

static struct bpfrt_hook bpfrt_hook_linfo = {
	.name = "bpf_prog_fill_jited_linfo",
	.wrapper = bpfrt_fill_linfo_wrapper,
};

static struct bpfrt_hook bpfrt_hook_free = {
	.name = "bpf_prog_free_deferred",
	.wrapper = bpfrt_free_deferred_wrapper,
};

static struct bpfrt_hook bpfrt_hook_perf = {
	.name = "perf_event_bpf_event",
	.observe = bpfrt_observe_perf,
};

/* Installed in this order, removed in reverse: the free hook first, so no
 * record can outlive its program while the others are being installed.
 */
static struct bpfrt_hook *bpfrt_hooks[] = {
	&bpfrt_hook_free,
	&bpfrt_hook_perf,
	&bpfrt_hook_linfo,
	&bpfrt_hook_check,
	&bpfrt_hook_select,
};

static int bpfrt_bpf_check_body(const struct bpfrt_check_args *a)
{
	struct bpfrt_pending *p;
	LIST_HEAD(stale);
	u64 start;
	int ret;

	start = ktime_get_ns();
	ret = bpfrt_bpf_check_call(bpfrt_hook_check.orig, a);
	if (ret) {
		atomic64_inc(&bpfrt_capture_stats.verifier_rejected);
		/* Offset maps of functions JITed before a late failure. */
		bpfrt_pending_take(&stale);
		bpfrt_pending_free(&stale);
	} else {
		p = kzalloc(sizeof(*p), GFP_KERNEL);
		if (p) {
			p->task = current;
			p->aux = (*a->prog)->aux;
			p->verify_ns = ktime_get_ns() - start;
			bpfrt_load_log_save(&p->log, a);
			bpfrt_pending_add(p);
		}
	}
	bpfrt_hook_exit();
	return ret;
}

static void bpfrt_fill_linfo_wrapper(struct bpf_prog *prog,
				     const u32 *insn_to_jit_off)
{
	void (*orig)(struct bpf_prog *, const u32 *) = bpfrt_hook_linfo.orig;
	struct bpfrt_pending *p;

	/* Classic BPF is not recorded; everything else keeps a copy. */
	if (!bpf_prog_was_classic(prog) && prog->len) {
		p = kvzalloc(struct_size(p, end_off, prog->len), GFP_KERNEL);
		if (p) {
			p->task = current;
			p->prog = prog;
			p->len = prog->len;
			memcpy(p->end_off, insn_to_jit_off,
			       prog->len * sizeof(u32));
			bpfrt_pending_add(p);
		}
	}
	orig(prog, insn_to_jit_off);
	bpfrt_hook_exit();
}

/* Records @fp and judges it: 0, or the errno the policy fails the load with. */
static int bpfrt_capture_load(struct bpf_prog *fp)
{
	struct bpfrt_pending *p, *check = NULL;
	/* Most programs have a few functions: no allocation for those. */
	struct bpfrt_jit_map few[8], *maps = few;
	u32 n = 0, cnt = 0;
	u64 verify_ns = 0;
	LIST_HEAD(mine);
	int ret;

	bpfrt_pending_take(&mine);
	list_for_each_entry(p, &mine, node)
		cnt++;
	if (cnt > ARRAY_SIZE(few))
		maps = kvcalloc(cnt, sizeof(*maps), GFP_KERNEL);
	list_for_each_entry(p, &mine, node) {
		if (p->aux == fp->aux) {
			verify_ns = p->verify_ns;
			check = p;
		}
		if (p->prog && maps)
			maps[n++] = (struct bpfrt_jit_map){
				.func = p->prog,
				.len = p->len,
				.end_off = p->end_off,
			};
	}
	ret = bpfrt_record_prog(fp, verify_ns, false, maps, n);
	/* Judged: what the verifier just passed, in bpf_prog_load(). */
	if (!ret && check)
		ret = bpfrt_policy_judge(fp, &check->log);
	else
		ret = 0;
	if (maps != few)
		kvfree(maps);
	bpfrt_pending_free(&mine);
	return ret;
}

static struct bpf_prog *bpfrt_select_runtime_wrapper(struct bpf_prog *fp,
						     int *err)
{
	struct bpf_prog *(*orig)(struct bpf_prog *, int *) =
		bpfrt_hook_select.orig;
	LIST_HEAD(stale);
	int ret;

	fp = orig(fp, err);
	if (*err == 0 && !bpf_prog_was_classic(fp)) {
		ret = bpfrt_capture_load(fp);
		/*
		 * The policy refused it: bpf_prog_load() frees it on its
		 * error path (kernel/bpf/syscall.c: free_used_maps).
		 */
		if (ret)
			*err = ret;
	} else {
		if (*err == 0)
			atomic64_inc(&bpfrt_capture_stats.classic_skipped);
		bpfrt_pending_take(&stale);
		bpfrt_pending_free(&stale);
	}
	bpfrt_hook_exit();
	return fp;
}

static void bpfrt_free_deferred_wrapper(struct work_struct *work)
{
	void (*orig)(struct work_struct *) = bpfrt_hook_free.orig;
	struct bpf_prog_aux *aux = container_of(work, struct bpf_prog_aux,
						work);
	struct bpfrt_prog_summary sum;
	struct bpfrt_prog_rec *rec;
	bool found = false, tail = false, skipped;

	/* Patched images go back to their bytes before they are freed. */
	bpfrt_term_release(aux);
	mutex_lock(&bpfrt_registry_lock);
	/*
	 * A deferred estimate is made now if it was not yet, while the
	 * program lives: its "estimated" event comes before "freed". Unless
	 * nobody can see either (defer.c).
	 */
	rec = bpfrt_defer_settle_freed(aux, &skipped);
	if (rec) {
		sum = rec->sum;
		sum.id = bpfrt_rec_id(rec);
		tail = rec->has_tail_calls;
		found = bpfrt_registry_remove(aux);
	}
	mutex_unlock(&bpfrt_registry_lock);
	if (found) {
		atomic64_inc(&bpfrt_capture_stats.freed);
		if (!skipped)
			bpfrt_event_post(BPFRT_EV_PROG_FREED, &sum);
	}
	/*
	 * The watchdog reads the run counts of programs that make tail calls
	 * without holding them (registry.c: bpfrt_index_tail_runs): wait
	 * until no interrupt still sees this one in the old index.
	 */
	if (tail)
		synchronize_rcu();
	orig(work);
	bpfrt_hook_exit();
}

/*
 * perf_event_bpf_event(prog, PERF_BPF_EVENT_PROG_LOAD, 0) runs right
 * after the id is allocated (kernel/bpf/syscall.c: bpf_prog_load). The
 * record keeps the id (the kernel zeroes aux->id before the free, and the
 * freed event should still name the program). A program with an id but no
 * record was loaded while the hooks were being installed, or could not be
 * recorded: adoption catches it. Atomic context: no sleeping here.
 */
static void bpfrt_observe_perf(struct bpfrt_hook *hook, struct pt_regs *regs)
{
	struct bpf_prog *prog = (struct bpf_prog *)regs->di;
	struct bpfrt_event_extra over = {};
	struct bpfrt_prog_summary sum;
	struct bpfrt_prog_rec *rec;
	bool found = false, kick = false;

	if (regs->si != PERF_BPF_EVENT_PROG_LOAD || !prog ||
	    bpf_prog_was_classic(prog))
		return;
	rcu_read_lock();
	rec = bpfrt_registry_find(prog->aux);
	if (rec) {
		WRITE_ONCE(rec->id, prog->aux->id);
		/* Deferred: its estimate and its event come from defer.c. */
		kick = READ_ONCE(rec->est_state) != BPFRT_EST_DONE;
		sum = rec->sum;
		sum.id = prog->aux->id;
		over.limit_ns = rec->policy_limit_ns;
		found = true;
	}
	rcu_read_unlock();
	if (kick) {
		bpfrt_defer_kick();
	} else if (found) {
		bpfrt_event_post(BPFRT_EV_PROG_ESTIMATED, &sum);
		/* Over the policy's limit, let through (action audit). */
		if (sum.flags & BPFRT_PROG_F_OVER_LIMIT)
			bpfrt_event_post_ext(BPFRT_EV_PROG_OVER_LIMIT, &sum,
					     &over);
	} else {
		bpfrt_adopt_schedule();
	}
}

/*
 * Removes the first @n hooks, then what they may have left behind: the
 * perf hook can have scheduled an adoption walk, the check hook pending
 * entries of loads that never reached the end.
 */
static void bpfrt_capture_teardown(size_t n)
{
	LIST_HEAD(all);

	while (n--)
		bpfrt_hook_remove(bpfrt_hooks[n]);
	bpfrt_hooks_drain();
	bpfrt_adopt_cancel();

	mutex_lock(&bpfrt_pending_lock);
	list_splice_init(&bpfrt_pending_list, &all);
	mutex_unlock(&bpfrt_pending_lock);
	bpfrt_pending_free(&all);
}

int bpfrt_capture_init(void)
{
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(bpfrt_hooks); i++) {
		ret = bpfrt_hook_install(bpfrt_hooks[i]);
		if (ret) {
			bpfrt_capture_teardown(i);
			return ret;
		}
	}
	/* Programs loaded before the hooks were in place. */
	bpfrt_adopt_all();
	return 0;
}

void bpfrt_capture_exit(void)
{
	bpfrt_capture_teardown(ARRAY_SIZE(bpfrt_hooks));
}
