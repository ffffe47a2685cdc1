/* SPDX-License-Identifier: GPL-2.0 */
/* Estimates made after the load, off the loader's path (defer.c). */
#ifndef _BPFRT_DEFER_H
#define _BPFRT_DEFER_H

#include <linux/types.h>

struct bpf_prog;
struct bpf_prog_aux;
struct bpfrt_prog_rec;

/* Starts the worker thread; the sysfs knob goes in the bpfrt directory. */
int bpfrt_defer_init(void);
/*
 * Stops the worker (before the free hook goes); records still queued stay
 * so. Exit also removes the knob.
 */
void bpfrt_defer_stop(void);
void bpfrt_defer_exit(void);

/*
 * Whether the load of @prog may leave its estimate for later: deferral is
 * on (defer_estimates), nothing judges the program at load (no policy
 * limit for its type, the watchdog not arming programs at load), and it is
 * JITed (an interpreted program's functions are only known after the
 * analyzer's splitter has run).
 */
bool bpfrt_defer_allowed(const struct bpf_prog *prog);

/* Queues @rec (BPFRT_EST_QUEUED, just added; bpfrt_registry_lock held). */
void bpfrt_defer_queue(struct bpfrt_prog_rec *rec);

/*
 * The record has its id now: wakes the worker, which estimates only
 * records with an id. Any context but NMI.
 */
void bpfrt_defer_kick(void);

/* Takes @rec off the queue; bpfrt_registry_lock held (registry.c). */
void bpfrt_defer_forget(struct bpfrt_prog_rec *rec);

/*
 * For a record with an id that is not BPFRT_EST_DONE, with
 * bpfrt_registry_lock held: estimates it in the caller's context if it is
 * queued, or waits for whoever is estimating it. Drops the lock meanwhile
 * and returns with it held: the record may be gone then, the caller looks
 * it up again. Process context.
 */
void bpfrt_defer_settle(struct bpfrt_prog_rec *rec);

/*
 * For the free hook, bpfrt_registry_lock held (dropped and retaken
 * meanwhile): settles the record of @aux, whose program is about to be
 * freed, and returns it (NULL if there is none). Its estimate is skipped
 * (*skipped) when nobody could ever see it: the record has no id, or no
 * one has /dev/bpfrt open to read its event, and once the program is gone
 * no query can find it. One being made is always waited for.
 */
struct bpfrt_prog_rec *bpfrt_defer_settle_freed(const struct bpf_prog_aux *aux,
						bool *skipped);

/*
 * Settles every record with an id that was queued before the call, so a
 * reader of the whole registry sees no record without its estimate.
 * Process context, bpfrt_registry_lock not held. Returns 0, or -EINTR if
 * a fatal signal stopped it.
 */
int bpfrt_defer_settle_all(void);

/* For /sys/kernel/bpfrt/stats. */
struct bpfrt_defer_stats {
	atomic64_t deferred;	/* records whose estimate was deferred */
	atomic64_t by_worker;	/* estimated by the worker thread */
	atomic64_t by_caller;	/* estimated by a reader or the free hook */
	atomic64_t skipped;	/* freed before, with nobody to see it */
};

extern struct bpfrt_defer_stats bpfrt_defer_stats;
/* Records waiting now (queued or being estimated). */
u32 bpfrt_defer_pending(void);

#endif /* _BPFRT_DEFER_H */
