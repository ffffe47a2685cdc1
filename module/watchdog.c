// SPDX-License-Identifier: GPL-2.0
/*
 * The watchdog: a per-CPU hard-interrupt hrtimer (pinned, one per online
 * CPU) that looks at what its CPU was running when it fired.
 *
 * Finding the instance: the interrupted registers (get_irq_regs(), set for
 * the APIC timer interrupt) are unwound with the kernel's unwinder, which
 * falls back to frame pointers in JIT code (arch/x86/kernel/unwind_orc.c).
 * The outermost frame in a recorded program's entry image is the instance:
 * callbacks, bpf-to-bpf callees and helpers sit above it, programs nested
 * from inside it (a kprobe in a helper) too. Its stack pointer identifies
 * the activation.
 *
 * Same instance, or the next one at the same address? XDP runs back to
 * back with identical frames. While the watchdog is on it keeps the
 * kernel's run statistics on (bpf_stats_enabled_key), and the per-CPU
 * count of completed runs (prog->stats->cnt, include/linux/filter.h:
 * __bpf_prog_run) tells them apart: an instance seen twice with the same
 * frame and an unchanged count has not returned in between. A tail-called
 * program runs in its caller's frame and its own count does not move, so
 * the counts of every program that makes tail calls are added in. Frames
 * that are not a recorded entry image (a timer callback called by the
 * kernel) have no count to trust and are ignored: a missed detection, never
 * a false one.
 *
 * Acting: past half the limit the program is armed (terminate.c) from a
 * work item; past the limit the CPU is marked as terminating this program
 * (instance mode) or the program is terminated everywhere (program mode).
 * Marking is a per-CPU store, so an armed program stops even when every
 * CPU is stuck in a runaway instance and no work item can run.
 *
 * Blind spots: programs running with interrupts off (the timer cannot
 * fire), in hard interrupt or NMI context, sleepable programs while they
 * sleep, interpreted programs (their frames are the interpreter's).
 */
#include <linux/bpf.h>
#include <linux/cpuhotplug.h>
#include <linux/delay.h>
#include <linux/filter.h>
#include <linux/hrtimer.h>
#include <linux/kstrtox.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/u64_stats_sync.h>
#include <linux/uaccess.h>
#include <linux/sched/task_stack.h>
#include <asm/irq_regs.h>
#include <asm/unwind.h>
#include <linux/bpfrt.h>

#include "bpfrt.h"
#include "events.h"
#include "registry.h"
#include "stub.h"
#include "terminate.h"
#include "watchdog.h"

/* --- knobs (module parameters and /sys/kernel/bpfrt/watchdog/) ---------- */

enum { BPFRT_ACT_REPORT, BPFRT_ACT_TERMINATE };
enum { BPFRT_MODE_INSTANCE, BPFRT_MODE_PROGRAM };

static const char * const bpfrt_act_names[] = { "report", "terminate" };
static const char * const bpfrt_mode_names[] = { "instance", "program" };

#define BPFRT_PERIOD_MIN_US	100
#define BPFRT_PERIOD_MAX_US	1000000

static bool watchdog_enabled;
static unsigned int watchdog_period_us = 1000;
static u64 watchdog_limit_ns = 100 * NSEC_PER_MSEC;
static int watchdog_action = BPFRT_ACT_REPORT;
static int watchdog_mode = BPFRT_MODE_INSTANCE;

/* Serialises knob writes and starting/stopping the timers. */
static DEFINE_MUTEX(bpfrt_wd_lock);

/* --- per-CPU state ----------------------------------------------------- */

struct bpfrt_wd_cpu {
	struct hrtimer timer;
	/* The suspect: an instance seen on two ticks or more. */
	struct bpf_prog *prog;		/* referenced while suspected */
	struct bpfrt_prog_rec *rec;
	unsigned long sp;		/* its outermost frame */
	u64 runs;			/* completed-runs count then */
	u64 first_ns;			/* first seen (it started before) */
	u64 trigger_ns;			/* 0, or when it went over the limit */
	u32 misses;			/* ticks in a row it was not seen */
	bool armed_req;			/* arming was requested */
	/* The candidate seen on the last tick (not referenced). */
	struct bpfrt_prog_rec *cand_rec;
	unsigned long cand_sp;
	u64 cand_runs;
	u64 cand_ns;
};

static DEFINE_PER_CPU(struct bpfrt_wd_cpu, bpfrt_wd);

/*
 * Set while the module unloads (bpfrt_wd_drain): every suspect instance of
 * an armed program is terminated at once, in instance mode.
 */
static bool bpfrt_wd_draining;
/* How long an unload waits for those instances to return. */
#define BPFRT_WD_DRAIN_MS	2000

/*
 * Ticks a suspect may go unseen and stay one. The unwinder misses a small
 * callback's frame whenever the tick lands in its prologue or epilogue,
 * which for a 2^23-iteration loop is most ticks; the run count, not the
 * sighting, says when the instance returned, so the bound only caps how
 * long a suspect invisible for good is kept (a second at 1 ms).
 */
#define BPFRT_WD_MAX_MISSES 1000

/* Counters for /sys/kernel/bpfrt/watchdog/stats, summed over CPUs. */
struct bpfrt_wd_stats {
	u64 ticks;		/* timer expiries */
	u64 no_regs;		/* no interrupted kernel context */
	u64 in_bpf;		/* a recorded program's frame was found */
	u64 not_entry;		/* only a callback's or subprogram's frame */
	u64 scanned;		/* found by the stack scan, not the unwinder */
	u64 suspects;		/* instances seen on two ticks */
	u64 over_limit;		/* instances past the limit */
};

static DEFINE_PER_CPU(struct bpfrt_wd_stats, bpfrt_wd_stats);
static enum cpuhp_state bpfrt_wd_hp_state;
static bool bpfrt_wd_running;

/*
 * Completed runs of @rec's program on this CPU, plus of every program of
 * its type that makes tail calls (a tail-called program runs in their
 * frames, and only their count moves when it returns).
 */
u64 bpfrt_wd_runs(const struct bpfrt_prog_rec *rec)
{
	const struct bpf_prog *prog = rec->prog;
	u64 n = 0;

	if (prog->stats)
		n = u64_stats_read(&this_cpu_ptr(prog->stats)->cnt);
	return n + bpfrt_index_tail_runs(prog->type);
}

/*
 * When the unwinder cannot get through (a tick in a JIT prologue or
 * epilogue, where the frame pointer is not yet or no longer the frame's),
 * the interrupted task stack is scanned instead: the highest word that is a
 * return address into a recorded entry image - a call (E8) precedes it - is
 * the outermost instance's. Words above the entry frame were written
 * before the instance started, so they cannot be return addresses into
 * it; the run count still guards against any stale match. Stacks other
 * than the task's (softirq on the interrupt stack) are left to the
 * unwinder.
 */
static const struct bpfrt_index_entry *bpfrt_scan_stack(struct pt_regs *regs,
							unsigned long *sp)
{
	unsigned long base = (unsigned long)task_stack_page(current);
	unsigned long top = base + THREAD_SIZE, p;
	const struct bpfrt_index_entry *found = NULL, *e;
	u8 op;

	if (regs->sp < base || regs->sp >= top)
		return NULL;
	for (p = regs->sp & ~7UL; p < top; p += sizeof(long)) {
		unsigned long v = READ_ONCE_NOCHECK(*(unsigned long *)p);

		if (v < MODULES_VADDR || v >= MODULES_END)
			continue;
		e = bpfrt_index_find(v);
		if (!e || e->func != 0 || v < e->start + 5)
			continue;
		if (copy_from_kernel_nofault(&op, (void *)(v - 5), 1) ||
		    op != 0xe8)
			continue;
		found = e;
		*sp = p + sizeof(long);	/* sp once the call returns */
	}
	return found;
}

/*
 * The outermost entry-image frame on this CPU's interrupted stack: its
 * record and stack pointer. Interrupt context.
 */
static const struct bpfrt_index_entry *bpfrt_find_instance(struct pt_regs *regs,
							   unsigned long *sp)
{
	const struct bpfrt_index_entry *found = NULL, *e;
	struct unwind_state state;
	int frames = 0;

	e = bpfrt_index_find(regs->ip);
	if (e) {
		found = e;
		*sp = regs->sp;
	}
	for (unwind_start(&state, current, regs, NULL);
	     !unwind_done(&state) && frames < 64;
	     unwind_next_frame(&state), frames++) {
		e = bpfrt_index_find(state.ip);
		if (e) {
			found = e;
			*sp = state.sp;
		}
	}
	/* Only an entry image has a run count to tell instances apart. */
	if (found && found->func == 0)
		return found;
	if (found)
		this_cpu_inc(bpfrt_wd_stats.not_entry);
	found = bpfrt_scan_stack(regs, sp);
	if (found)
		this_cpu_inc(bpfrt_wd_stats.scanned);
	return found;
}

static void bpfrt_wd_event(u16 type, struct bpfrt_wd_cpu *w, u64 latency_ns,
			   u32 sites)
{
	struct bpfrt_prog_summary sum = w->rec->sum;
	struct bpfrt_event_extra x = {
		.limit_ns = READ_ONCE(watchdog_limit_ns),
		.latency_ns = latency_ns,
		.cpu = smp_processor_id(),
		.sites = sites,
	};

	sum.id = bpfrt_rec_id(w->rec);
	bpfrt_event_post_ext(type, &sum, &x);
}

/* The suspect has returned (or is no longer seen): forget it. */
static void bpfrt_wd_release(struct bpfrt_wd_cpu *w, u64 now)
{
	struct bpf_prog *prog = w->prog;

	if (!prog)
		return;
	if (this_cpu_read(bpfrt_cpu_target.rec) == w->rec) {
		this_cpu_write(bpfrt_cpu_target.rec, NULL);
		atomic64_inc(&w->rec->term.completed);
		atomic64_set(&w->rec->term.last_latency_ns, now - w->trigger_ns);
		bpfrt_wd_event(BPFRT_EV_TERMINATED, w, now - w->trigger_ns,
			       w->rec->term.npatches);
	}
	atomic_dec(&w->rec->term.suspects);
	w->prog = NULL;
	w->rec = NULL;
	bpfrt_term_kick();
	bpf_prog_put(prog);	/* irq-safe; no rec access after this */
}

/* A new suspect: take a reference so its record outlives our interest. */
static void bpfrt_wd_suspect(struct bpfrt_wd_cpu *w)
{
	struct bpf_prog *prog = (struct bpf_prog *)w->cand_rec->prog;

	if (IS_ERR(bpf_prog_inc_not_zero(prog)))
		return;		/* being freed: it will not run long */
	this_cpu_inc(bpfrt_wd_stats.suspects);
	w->prog = prog;
	w->rec = w->cand_rec;
	w->sp = w->cand_sp;
	w->runs = w->cand_runs;
	w->first_ns = w->cand_ns;
	w->trigger_ns = 0;
	w->misses = 0;
	w->armed_req = false;
	atomic_inc(&w->rec->term.suspects);
}

/* @drain: the module unloads; terminate now, whatever the limit. */
static void bpfrt_wd_over_limit(struct bpfrt_wd_cpu *w, u64 now, bool drain)
{
	w->trigger_ns = now;
	if (!drain) {
		this_cpu_inc(bpfrt_wd_stats.over_limit);
		bpfrt_wd_event(BPFRT_EV_RUNTIME_EXCEEDED, w, now - w->first_ns,
			       0);
		pr_warn_ratelimited("program %u (%s) on CPU %d running for over %llu ns\n",
				    bpfrt_rec_id(w->rec), w->rec->sum.name,
				    smp_processor_id(), now - w->first_ns);
	}
	if (!drain && READ_ONCE(watchdog_action) != BPFRT_ACT_TERMINATE)
		return;
	if (!(w->rec->sum.flags & BPFRT_PROG_F_TERMINABLE)) {
		bpfrt_wd_event(BPFRT_EV_NOT_TERMINABLE, w, 0, 0);
		return;
	}
	atomic64_inc(&w->rec->term.requested);
	if (!drain && READ_ONCE(watchdog_mode) == BPFRT_MODE_PROGRAM)
		WRITE_ONCE(w->rec->term.all_cpus, true);
	else
		*this_cpu_ptr(&bpfrt_cpu_target) = (struct bpfrt_target){
			.rec = w->rec,
			.runs = w->runs,
		};
	bpfrt_wd_event(BPFRT_EV_TERMINATING, w, 0, 0);
}

static void bpfrt_wd_tick(struct bpfrt_wd_cpu *w)
{
	const struct bpfrt_index_entry *e = NULL;
	struct pt_regs *regs = get_irq_regs();
	u64 now = ktime_get_ns(), limit = READ_ONCE(watchdog_limit_ns);
	unsigned long sp = 0;
	u64 runs = 0;

	this_cpu_inc(bpfrt_wd_stats.ticks);
	if (regs && !user_mode(regs))
		e = bpfrt_find_instance(regs, &sp);
	else
		this_cpu_inc(bpfrt_wd_stats.no_regs);
	if (e) {
		this_cpu_inc(bpfrt_wd_stats.in_bpf);
		runs = bpfrt_wd_runs(e->rec);
	}

	/*
	 * The suspect is still running while its run count has not moved
	 * and no other instance is found in its place. The unwinder does not
	 * always get through (an interrupt in a prologue, say), so a few
	 * ticks without seeing it are tolerated; only a tick that sees it
	 * may declare it over the limit.
	 */
	if (w->prog) {
		bool seen = e && e->rec == w->rec && sp == w->sp;

		if (bpfrt_wd_runs(w->rec) == w->runs && (seen || !e) &&
		    (seen || ++w->misses <= BPFRT_WD_MAX_MISSES)) {
			u64 ran = now - w->first_ns;
			/* unloading: an armed program's instance must end */
			bool drain = READ_ONCE(bpfrt_wd_draining) &&
				     READ_ONCE(w->rec->term.patches);

			if (!seen)
				return;
			w->misses = 0;

			if (!w->armed_req && limit && ran >= limit / 2 &&
			    READ_ONCE(watchdog_action) == BPFRT_ACT_TERMINATE &&
			    (w->rec->sum.flags & BPFRT_PROG_F_TERMINABLE) &&
			    !IS_ERR(bpf_prog_inc_not_zero(w->prog))) {
				w->armed_req = true;
				bpfrt_term_request_arm(w->prog);
			}
			if (!w->trigger_ns && (drain || (limit && ran >= limit)))
				bpfrt_wd_over_limit(w, now, drain);
			return;
		}
		bpfrt_wd_release(w, now);
	}

	/* Seen on the last tick too, unchanged: it becomes the suspect. */
	if (e && e->rec == w->cand_rec && sp == w->cand_sp &&
	    runs == w->cand_runs) {
		bpfrt_wd_suspect(w);
		return;
	}
	w->cand_rec = e ? e->rec : NULL;
	w->cand_sp = sp;
	w->cand_runs = runs;
	/* It started before this tick; counting from here never overshoots. */
	w->cand_ns = now;
}

static enum hrtimer_restart bpfrt_wd_timer_fn(struct hrtimer *timer)
{
	struct bpfrt_wd_cpu *w = container_of(timer, struct bpfrt_wd_cpu, timer);

	rcu_read_lock();
	bpfrt_wd_tick(w);
	rcu_read_unlock();
	hrtimer_forward_now(timer,
			    ns_to_ktime((u64)READ_ONCE(watchdog_period_us) *
					NSEC_PER_USEC));
	return HRTIMER_RESTART;
}

/* CPU hotplug callbacks run on the CPU concerned. */
static int bpfrt_wd_cpu_online(unsigned int cpu)
{
	struct bpfrt_wd_cpu *w = this_cpu_ptr(&bpfrt_wd);

	hrtimer_init(&w->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_PINNED_HARD);
	w->timer.function = bpfrt_wd_timer_fn;
	hrtimer_start(&w->timer,
		      ns_to_ktime((u64)READ_ONCE(watchdog_period_us) *
				  NSEC_PER_USEC),
		      HRTIMER_MODE_REL_PINNED_HARD);
	return 0;
}

static int bpfrt_wd_cpu_offline(unsigned int cpu)
{
	struct bpfrt_wd_cpu *w = this_cpu_ptr(&bpfrt_wd);

	hrtimer_cancel(&w->timer);
	local_irq_disable();
	bpfrt_wd_release(w, ktime_get_ns());
	w->cand_rec = NULL;
	local_irq_enable();
	return 0;
}

static int bpfrt_wd_start(void)
{
	int ret;

	lockdep_assert_held(&bpfrt_wd_lock);
	if (bpfrt_wd_running)
		return 0;
	ret = bpfrt_index_get();
	if (ret)
		return ret;
	/* Run counts are only kept while someone asks for them. */
	static_branch_inc(&bpf_stats_enabled_key);
	ret = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "bpfrt/watchdog:online",
				bpfrt_wd_cpu_online, bpfrt_wd_cpu_offline);
	if (ret < 0) {
		static_branch_dec(&bpf_stats_enabled_key);
		bpfrt_index_put();
		return ret;
	}
	bpfrt_wd_hp_state = ret;
	WRITE_ONCE(bpfrt_wd_running, true);
	return 0;
}

static void bpfrt_wd_stop(void)
{
	lockdep_assert_held(&bpfrt_wd_lock);
	if (!bpfrt_wd_running)
		return;
	/* Runs the offline callback on every CPU: timers and suspects go. */
	cpuhp_remove_state(bpfrt_wd_hp_state);
	static_branch_dec(&bpf_stats_enabled_key);
	bpfrt_index_put();
	WRITE_ONCE(bpfrt_wd_running, false);
}

/*
 * Why at load: arming patches code, which needs a CPU that can sleep. If
 * runaway instances occupy every CPU before a work item can arm them
 * (they start together, or there are as many as CPUs), nothing could; a
 * program armed at load is terminated by the watchdog's per-CPU store
 * alone. Only programs the estimate already suspects pay the stubs' cost.
 */
/*
 * Running, not just enabled: while the module is loaded or unloaded the
 * hooks record programs outside the watchdog's lifetime.
 */
bool bpfrt_wd_arms_at_load(void)
{
	return READ_ONCE(bpfrt_wd_running) && READ_ONCE(watchdog_limit_ns) &&
	       READ_ONCE(watchdog_action) == BPFRT_ACT_TERMINATE;
}

void bpfrt_wd_arm_if_suspect(struct bpfrt_prog_rec *rec)
{
	u64 limit = READ_ONCE(watchdog_limit_ns);

	if (!bpfrt_wd_arms_at_load() || !limit ||
	    !(rec->sum.flags & BPFRT_PROG_F_TERMINABLE))
		return;
	if ((rec->sum.flags & BPFRT_PROG_F_EST_FAILED) ||
	    rec->sum.worst_ns >= limit)
		bpfrt_term_arm_pinned(rec);
}

/* --- sysfs --------------------------------------------------------------- */

static ssize_t enabled_show(struct kobject *k, struct kobj_attribute *a,
			    char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(watchdog_enabled));
}

static ssize_t enabled_store(struct kobject *k, struct kobj_attribute *a,
			     const char *buf, size_t len)
{
	bool on;
	int ret = kstrtobool(buf, &on);

	if (ret)
		return ret;
	mutex_lock(&bpfrt_wd_lock);
	if (on)
		ret = bpfrt_wd_start();
	else
		bpfrt_wd_stop();
	if (!ret)
		WRITE_ONCE(watchdog_enabled, on);
	mutex_unlock(&bpfrt_wd_lock);
	/* Off: nothing will call the armed-at-load stubs into action. */
	if (!on)
		bpfrt_term_unpin_all();
	return ret ? ret : len;
}

static ssize_t period_us_show(struct kobject *k, struct kobj_attribute *a,
			      char *buf)
{
	return sysfs_emit(buf, "%u\n", READ_ONCE(watchdog_period_us));
}

static ssize_t period_us_store(struct kobject *k, struct kobj_attribute *a,
			       const char *buf, size_t len)
{
	unsigned int v;
	int ret = kstrtouint(buf, 10, &v);

	if (ret)
		return ret;
	if (v < BPFRT_PERIOD_MIN_US || v > BPFRT_PERIOD_MAX_US)
		return -EINVAL;
	/* Timers pick it up at their next expiry. */
	WRITE_ONCE(watchdog_period_us, v);
	return len;
}

static ssize_t limit_ns_show(struct kobject *k, struct kobj_attribute *a,
			     char *buf)
{
	return sysfs_emit(buf, "%llu\n", READ_ONCE(watchdog_limit_ns));
}

static ssize_t limit_ns_store(struct kobject *k, struct kobj_attribute *a,
			      const char *buf, size_t len)
{
	u64 v;
	int ret = kstrtou64(buf, 10, &v);

	if (ret)
		return ret;
	WRITE_ONCE(watchdog_limit_ns, v);
	return len;
}

static ssize_t bpfrt_choice_show(char *buf, const char * const *names,
				 size_t n, int cur)
{
	ssize_t len = 0;
	size_t i;

	for (i = 0; i < n; i++)
		len += sysfs_emit_at(buf, len, i == cur ? "[%s]%s" : "%s%s",
				     names[i], i + 1 < n ? " " : "\n");
	return len;
}

static int bpfrt_choice_parse(const char *buf, const char * const *names,
			      size_t n)
{
	int i = __sysfs_match_string(names, n, buf);

	return i < 0 ? -EINVAL : i;
}

static ssize_t action_show(struct kobject *k, struct kobj_attribute *a,
			   char *buf)
{
	return bpfrt_choice_show(buf, bpfrt_act_names,
				 ARRAY_SIZE(bpfrt_act_names),
				 READ_ONCE(watchdog_action));
}

static ssize_t action_store(struct kobject *k, struct kobj_attribute *a,
			    const char *buf, size_t len)
{
	int v = bpfrt_choice_parse(buf, bpfrt_act_names,
				   ARRAY_SIZE(bpfrt_act_names));

	if (v < 0)
		return v;
	WRITE_ONCE(watchdog_action, v);
	return len;
}

static ssize_t mode_show(struct kobject *k, struct kobj_attribute *a,
			 char *buf)
{
	return bpfrt_choice_show(buf, bpfrt_mode_names,
				 ARRAY_SIZE(bpfrt_mode_names),
				 READ_ONCE(watchdog_mode));
}

static ssize_t mode_store(struct kobject *k, struct kobj_attribute *a,
			  const char *buf, size_t len)
{
	int v = bpfrt_choice_parse(buf, bpfrt_mode_names,
				   ARRAY_SIZE(bpfrt_mode_names));

	if (v < 0)
		return v;
	WRITE_ONCE(watchdog_mode, v);
	return len;
}

static ssize_t stats_show(struct kobject *k, struct kobj_attribute *a,
			  char *buf)
{
	struct bpfrt_wd_stats sum = {};
	int cpu;

	for_each_possible_cpu(cpu) {
		const struct bpfrt_wd_stats *s = per_cpu_ptr(&bpfrt_wd_stats, cpu);

		sum.ticks += READ_ONCE(s->ticks);
		sum.no_regs += READ_ONCE(s->no_regs);
		sum.in_bpf += READ_ONCE(s->in_bpf);
		sum.not_entry += READ_ONCE(s->not_entry);
		sum.scanned += READ_ONCE(s->scanned);
		sum.suspects += READ_ONCE(s->suspects);
		sum.over_limit += READ_ONCE(s->over_limit);
	}
	return sysfs_emit(buf, "ticks %llu\nno_kernel_context %llu\nin_bpf %llu\nnot_entry %llu\nscanned %llu\nsuspects %llu\nover_limit %llu\n",
			  sum.ticks, sum.no_regs, sum.in_bpf, sum.not_entry,
			  sum.scanned, sum.suspects, sum.over_limit);
}

static struct kobj_attribute wd_stats_attr = __ATTR_RO(stats);

static struct kobj_attribute wd_enabled_attr = __ATTR_RW_MODE(enabled, 0644);
static struct kobj_attribute wd_period_attr = __ATTR_RW_MODE(period_us, 0644);
static struct kobj_attribute wd_limit_attr = __ATTR_RW_MODE(limit_ns, 0644);
static struct kobj_attribute wd_action_attr = __ATTR_RW_MODE(action, 0644);
static struct kobj_attribute wd_mode_attr = __ATTR_RW_MODE(mode, 0644);

static struct attribute *bpfrt_wd_attrs[] = {
	&wd_enabled_attr.attr,
	&wd_period_attr.attr,
	&wd_limit_attr.attr,
	&wd_action_attr.attr,
	&wd_mode_attr.attr,
	&wd_stats_attr.attr,
	NULL,
};

static const struct attribute_group bpfrt_wd_group = {
	.name = "watchdog",
	.attrs = bpfrt_wd_attrs,
};

/* --- module parameters (modprobe.d), checked once at load --------------- */

module_param_named(watchdog_enabled, watchdog_enabled, bool, 0444);
MODULE_PARM_DESC(watchdog_enabled,
		 "start the runtime watchdog at load (bool; default 0)");
module_param_named(watchdog_period_us, watchdog_period_us, uint, 0444);
MODULE_PARM_DESC(watchdog_period_us,
		 "watchdog period in microseconds, 100..1000000 (default 1000)");
module_param_named(watchdog_limit_ns, watchdog_limit_ns, ullong, 0444);
MODULE_PARM_DESC(watchdog_limit_ns,
		 "runtime limit of one program instance in nanoseconds, 0 = none (default 100000000)");
static char *watchdog_action_param = "report";
module_param_named(watchdog_action, watchdog_action_param, charp, 0444);
MODULE_PARM_DESC(watchdog_action,
		 "what to do past the limit: report or terminate (default report)");
static char *watchdog_mode_param = "instance";
module_param_named(watchdog_mode, watchdog_mode_param, charp, 0444);
MODULE_PARM_DESC(watchdog_mode,
		 "terminate the running instance only, or the program on every CPU: instance or program (default instance)");

int bpfrt_watchdog_init(void)
{
	int ret;

	watchdog_action = bpfrt_choice_parse(watchdog_action_param,
					     bpfrt_act_names,
					     ARRAY_SIZE(bpfrt_act_names));
	watchdog_mode = bpfrt_choice_parse(watchdog_mode_param,
					   bpfrt_mode_names,
					   ARRAY_SIZE(bpfrt_mode_names));
	if (watchdog_action < 0 || watchdog_mode < 0 ||
	    watchdog_period_us < BPFRT_PERIOD_MIN_US ||
	    watchdog_period_us > BPFRT_PERIOD_MAX_US) {
		pr_err("invalid watchdog parameter (action '%s', mode '%s', period %u us)\n",
		       watchdog_action_param, watchdog_mode_param,
		       watchdog_period_us);
		return -EINVAL;
	}
	ret = sysfs_create_group(bpfrt_sysfs_kobj(), &bpfrt_wd_group);
	if (ret)
		return ret;
	if (watchdog_enabled) {
		mutex_lock(&bpfrt_wd_lock);
		ret = bpfrt_wd_start();
		mutex_unlock(&bpfrt_wd_lock);
		if (ret)
			goto err_remove_group;
	}
	return 0;

err_remove_group:
	sysfs_remove_group(bpfrt_sysfs_kobj(), &bpfrt_wd_group);
	return ret;
}

/* Some CPU runs a suspect instance of an armed program. */
static bool bpfrt_wd_armed_suspects(void)
{
	bool busy = false;
	int cpu;

	/* A suspect's record outlives an RCU grace period after its free. */
	rcu_read_lock();
	for_each_online_cpu(cpu) {
		struct bpfrt_prog_rec *rec =
			READ_ONCE(per_cpu_ptr(&bpfrt_wd, cpu)->rec);

		if (rec && READ_ONCE(rec->term.patches))
			busy = true;
	}
	rcu_read_unlock();
	return busy;
}

/*
 * Before the watchdog stops for good. Unloading restores every armed
 * image; an instance still running in one would go on as long as it would
 * without us, and unloading waits for it (the stubs' code may not go while
 * it can run: terminate.c, rcu_barrier_tasks()). So instances of armed
 * programs - their estimate or their run already exceeded the limit - are
 * terminated now, each on its own CPU, and waited for, at most
 * BPFRT_WD_DRAIN_MS. The wait lasts at least three periods, so that an
 * instance that started just before is a suspect by then. Instances of
 * programs that are not armed run on undisturbed: they have no stubs.
 */
static void bpfrt_wd_drain(void)
{
	u64 period_ns = (u64)READ_ONCE(watchdog_period_us) * NSEC_PER_USEC;
	u64 start = ktime_get_ns(), now;

	WRITE_ONCE(bpfrt_wd_draining, true);
	for (;;) {
		usleep_range(1000, 2000);
		now = ktime_get_ns();
		if (now - start >= 3 * period_ns && !bpfrt_wd_armed_suspects())
			break;
		if (now - start >= (u64)BPFRT_WD_DRAIN_MS * NSEC_PER_MSEC) {
			pr_warn("unload: instances still running after %u ms; waiting for them to return\n",
				BPFRT_WD_DRAIN_MS);
			break;
		}
	}
}

void bpfrt_watchdog_exit(void)
{
	sysfs_remove_group(bpfrt_sysfs_kobj(), &bpfrt_wd_group);
	mutex_lock(&bpfrt_wd_lock);
	if (bpfrt_wd_running)
		bpfrt_wd_drain();
	bpfrt_wd_stop();
	mutex_unlock(&bpfrt_wd_lock);
}
