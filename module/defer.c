// SPDX-License-Identifier: GPL-2.0
/*
 * Deferred estimates. A program that nothing judges at load (no policy
 * limit for its type, the watchdog not arming programs at load) is
 * recorded at load with everything that only exists then (the JIT's offset
 * maps, hence its call sites) but without its estimate, which a worker
 * thread makes afterwards at the lowest priority. The analysis is most of
 * what the module adds to a load, and grows with the program; the loader
 * no longer waits for it.
 *
 * Nobody sees a record without its estimate: the ioctls and the free hook
 * settle a record first, which estimates a queued record in the caller's
 * context, or waits for whoever is estimating it. So every program that
 * got an id has its "estimated" event before its "freed" one, and a busy
 * machine, where the worker may wait long for a CPU, only delays queries
 * by the analysis they would have waited for at load.
 *
 * A record's est_state, under bpfrt_registry_lock:
 *   QUEUED   on bpfrt_defer_list. Only one with an id is estimated: until
 *            bpf_prog_alloc_id() the load can still fail, and its error
 *            path frees the program whatever its reference count
 *            (kernel/bpf/syscall.c: bpf_prog_load, __bpf_prog_put_noref).
 *            The free hook drops such a record unestimated.
 *   RUNNING  claimed, estimated with the lock dropped. Its program lives:
 *            the free hook settles the record before the kernel frees it.
 *   DONE     estimated, off the list.
 *
 * /sys/kernel/bpfrt/defer_estimates (module parameter defer_estimates)
 * turns deferral off: every program is then estimated in its load again.
 */
#include <linux/bpf.h>
#include <linux/filter.h>
#include <linux/kthread.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <uapi/linux/sched/types.h>
#include <linux/sysfs.h>
#include <linux/wait.h>

#include "prog_estimate.h"
#include "bpfrt.h"
#include "defer.h"
#include "events.h"
#include "policy.h"
#include "registry.h"
#include "watchdog.h"

struct bpfrt_defer_stats bpfrt_defer_stats;

static bool defer_estimates = true;
module_param(defer_estimates, bool, 0444);
MODULE_PARM_DESC(defer_estimates,
		 "estimate programs nothing judges at load after the load, in a worker thread (bool; default 1)");

/* Queued and running records, in queue order; under bpfrt_registry_lock. */
static LIST_HEAD(bpfrt_defer_list);
static u64 bpfrt_defer_seq;
static u32 bpfrt_defer_len;
/* Estimates finished; settlers waiting for a RUNNING record watch it. */
static unsigned long bpfrt_defer_done;
static DECLARE_WAIT_QUEUE_HEAD(bpfrt_defer_done_wq);

/* The worker: sleeps on bpfrt_defer_wq until kicked. */
static struct task_struct *bpfrt_defer_task;
static DECLARE_WAIT_QUEUE_HEAD(bpfrt_defer_wq);
static atomic_t bpfrt_defer_kicked;

bool bpfrt_defer_allowed(const struct bpf_prog *prog)
{
	return READ_ONCE(defer_estimates) && READ_ONCE(bpfrt_defer_task) &&
	       prog->jited && !bpfrt_policy_limits(prog->type) &&
	       !bpfrt_wd_arms_at_load();
}

void bpfrt_defer_queue(struct bpfrt_prog_rec *rec)
{
	lockdep_assert_held(&bpfrt_registry_lock);
	rec->est_seq = ++bpfrt_defer_seq;
	list_add_tail(&rec->est_node, &bpfrt_defer_list);
	bpfrt_defer_len++;
	atomic64_inc(&bpfrt_defer_stats.deferred);
}

/*
 * A wake-up costs the loader more than the rest of the kick: skip it while
 * an earlier kick is still unseen, the worker scans the whole queue when it
 * takes the kick (and the id written before this one is visible to it: the
 * xchg orders them).
 */
void bpfrt_defer_kick(void)
{
	if (!atomic_xchg(&bpfrt_defer_kicked, 1))
		wake_up(&bpfrt_defer_wq);
}

void bpfrt_defer_forget(struct bpfrt_prog_rec *rec)
{
	lockdep_assert_held(&bpfrt_registry_lock);
	if (list_empty(&rec->est_node))
		return;
	list_del_init(&rec->est_node);
	bpfrt_defer_len--;
}

u32 bpfrt_defer_pending(void)
{
	return READ_ONCE(bpfrt_defer_len);
}

/*
 * The first record with an id queued up to @upto: a QUEUED one if any,
 * else (@running) one being estimated. Under bpfrt_registry_lock.
 */
static struct bpfrt_prog_rec *bpfrt_defer_next(u64 upto, bool running)
{
	struct bpfrt_prog_rec *rec, *busy = NULL;

	list_for_each_entry(rec, &bpfrt_defer_list, est_node) {
		if (rec->est_seq > upto)
			break;
		if (!bpfrt_rec_id(rec))
			continue;
		if (rec->est_state == BPFRT_EST_QUEUED)
			return rec;
		if (running && !busy)
			busy = rec;
	}
	return busy;
}

/*
 * Estimates the QUEUED record @rec. Called and returns with
 * bpfrt_registry_lock held; drops it while estimating.
 */
static void bpfrt_defer_run(struct bpfrt_prog_rec *rec, bool worker)
{
	struct bpfrt_prog_summary sum;

	rec->est_state = BPFRT_EST_RUNNING;
	mutex_unlock(&bpfrt_registry_lock);
	bpfrt_estimate_claimed(rec);	/* retakes the lock */
	rec->est_state = BPFRT_EST_DONE;
	bpfrt_defer_forget(rec);
	/* The cost model may have been replaced meanwhile (costs.c). */
	bpfrt_reestimate_if_stale(rec);
	bpfrt_defer_done++;
	wake_up_all(&bpfrt_defer_done_wq);
	atomic64_inc(worker ? &bpfrt_defer_stats.by_worker :
			      &bpfrt_defer_stats.by_caller);
	sum = rec->sum;
	sum.id = bpfrt_rec_id(rec);
	bpfrt_event_post(BPFRT_EV_PROG_ESTIMATED, &sum);
}

void bpfrt_defer_settle(struct bpfrt_prog_rec *rec)
{
	unsigned long done;

	lockdep_assert_held(&bpfrt_registry_lock);
	if (rec->est_state == BPFRT_EST_QUEUED) {
		bpfrt_defer_run(rec, false);
		return;
	}
	if (rec->est_state != BPFRT_EST_RUNNING)
		return;
	/* One analysis at most: the one running now. */
	done = bpfrt_defer_done;
	mutex_unlock(&bpfrt_registry_lock);
	wait_event(bpfrt_defer_done_wq, READ_ONCE(bpfrt_defer_done) != done);
	mutex_lock(&bpfrt_registry_lock);
}

struct bpfrt_prog_rec *bpfrt_defer_settle_freed(const struct bpf_prog_aux *aux,
						bool *skipped)
{
	struct bpfrt_prog_rec *rec = bpfrt_registry_find(aux);

	lockdep_assert_held(&bpfrt_registry_lock);
	*skipped = false;
	while (rec && rec->est_state != BPFRT_EST_DONE) {
		/*
		 * Queued without an id, or with nobody to read its event:
		 * once the program is gone no query can find it either.
		 */
		if (rec->est_state == BPFRT_EST_QUEUED &&
		    (!bpfrt_rec_id(rec) || !bpfrt_events_watched())) {
			*skipped = true;
			atomic64_inc(&bpfrt_defer_stats.skipped);
			break;
		}
		/* A running estimate is always waited for: it reads the program. */
		bpfrt_defer_settle(rec);
		rec = bpfrt_registry_find(aux);
	}
	return rec;
}

int bpfrt_defer_settle_all(void)
{
	struct bpfrt_prog_rec *rec;
	int ret = 0;
	u64 upto;

	mutex_lock(&bpfrt_registry_lock);
	upto = bpfrt_defer_seq;
	while ((rec = bpfrt_defer_next(upto, true))) {
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		bpfrt_defer_settle(rec);
	}
	mutex_unlock(&bpfrt_registry_lock);
	return ret;
}

/*
 * The worker, at nice 19 like khugepaged, and SCHED_BATCH: estimates are
 * bookkeeping and should not take a CPU from the machine's work; whoever
 * needs one sooner makes it (bpfrt_defer_settle). Nice alone is not
 * enough: 6.12's EEVDF let a freshly started worker preempt the loader
 * that woke it (bench-load: the first loads after insmod paid the whole
 * analysis), and a batch task never preempts on wake-up
 * (kernel/sched/fair.c: check_preempt_wakeup_fair).
 */
static int bpfrt_defer_worker(void *unused)
{
	struct sched_attr batch = {
		.size = sizeof(batch),
		.sched_policy = SCHED_BATCH,
		.sched_nice = MAX_NICE,
	};
	struct bpfrt_prog_rec *rec;

	if (sched_setattr_nocheck(current, &batch))
		set_user_nice(current, MAX_NICE);
	while (!kthread_should_stop()) {
		wait_event_interruptible(bpfrt_defer_wq,
					 atomic_xchg(&bpfrt_defer_kicked, 0) ||
					 kthread_should_stop());
		for (;;) {
			mutex_lock(&bpfrt_registry_lock);
			rec = bpfrt_defer_next(U64_MAX, false);
			if (rec)
				bpfrt_defer_run(rec, true);
			mutex_unlock(&bpfrt_registry_lock);
			if (!rec || kthread_should_stop())
				break;
			cond_resched();
		}
	}
	return 0;
}

/* --- the knob ------------------------------------------------------------ */

static ssize_t defer_estimates_show(struct kobject *k,
				    struct kobj_attribute *a, char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(defer_estimates));
}

static ssize_t defer_estimates_store(struct kobject *k,
				     struct kobj_attribute *a,
				     const char *buf, size_t len)
{
	bool on;
	int ret = kstrtobool(buf, &on);

	if (ret)
		return ret;
	/* Records already queued stay so: they are estimated all the same. */
	WRITE_ONCE(defer_estimates, on);
	return len;
}

static struct kobj_attribute defer_estimates_attr =
	__ATTR_RW_MODE(defer_estimates, 0644);

int bpfrt_defer_init(void)
{
	struct task_struct *t;
	int ret;

	ret = sysfs_create_file(bpfrt_sysfs_kobj(), &defer_estimates_attr.attr);
	if (ret)
		return ret;
	t = kthread_run(bpfrt_defer_worker, NULL, "bpfrt_estimate");
	if (IS_ERR(t)) {
		sysfs_remove_file(bpfrt_sysfs_kobj(),
				  &defer_estimates_attr.attr);
		return PTR_ERR(t);
	}
	WRITE_ONCE(bpfrt_defer_task, t);
	return 0;
}

/*
 * Before the load and free hooks go: the worker estimates programs the
 * free hook keeps alive. Loads after this are estimated in the loader
 * again (bpfrt_defer_allowed); records still queued are settled by the
 * free hook while it is there, and freed unestimated with the registry.
 * Stopping twice is harmless.
 */
void bpfrt_defer_stop(void)
{
	struct task_struct *t = bpfrt_defer_task;

	if (!t)
		return;
	WRITE_ONCE(bpfrt_defer_task, NULL);
	kthread_stop(t);
}

void bpfrt_defer_exit(void)
{
	bpfrt_defer_stop();
	sysfs_remove_file(bpfrt_sysfs_kobj(), &defer_estimates_attr.attr);
}
