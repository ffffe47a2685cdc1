/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stubs that patched JIT call sites and callback entries lead to. A stub
 * acts (returns a legitimate failure) only on a CPU running the instance
 * being terminated, or everywhere for a program-wide termination; anywhere
 * else it forwards to what the site called before, so other instances of
 * the same program are unaffected.
 */
#ifndef _BPFRT_STUB_H
#define _BPFRT_STUB_H

#include <linux/percpu.h>
#include <linux/types.h>

struct bpfrt_prog_rec;

/* What a stub returns when it acts (stub_plan.c's table decides). */
enum bpfrt_outcome {
	BPFRT_OUT_NONE,		/* left alone: no legitimate failure */
	BPFRT_OUT_NULL,		/* return NULL (an *_OR_NULL helper) */
	BPFRT_OUT_ERR,		/* return -err */
	BPFRT_OUT_ZERO_BUF,	/* zero buf_arg for size_arg bytes, -err */
	BPFRT_OUT_ZERO,		/* return 0 */
	BPFRT_OUT_ONE,		/* return 1 (a callback asking to stop) */
};

/* One patched site: a call (orig = its target) or a callback entry nop. */
struct bpfrt_patch {
	struct hlist_node node;		/* stub lookup by ip */
	void *ip;			/* the patched 5 bytes */
	void *orig;			/* original call target; NULL: a nop */
	void *stub;			/* what the site calls now */
	struct bpfrt_prog_rec *rec;
	u8 outcome;			/* enum bpfrt_outcome */
	u8 buf_arg, size_arg;		/* 1-based, for BPFRT_OUT_ZERO_BUF */
	u8 pad;
	s32 err;
	bool live;			/* the bytes are patched */
};

/*
 * The instance this CPU is terminating, set by the watchdog: its program
 * and the program's completed-run count when it was caught. A later
 * instance of the same program on this CPU has a higher count, so the
 * stubs leave it alone even before the watchdog clears the target.
 */
struct bpfrt_target {
	struct bpfrt_prog_rec *rec;
	u64 runs;
};

DECLARE_PER_CPU(struct bpfrt_target, bpfrt_cpu_target);

u64 bpfrt_site_stub(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5);
bool bpfrt_cb_should_stop(unsigned long ret_addr);
/* stub_thunk.S: called from a callback's entry nop. */
void bpfrt_cb_thunk(void);

void bpfrt_stub_publish(struct bpfrt_patch *p);
void bpfrt_stub_unpublish(struct bpfrt_patch *p);
bool bpfrt_stub_is_site(void *ip);
/* After every site is restored: waits until no task is inside a stub. */
void bpfrt_stubs_drain(void);

#endif /* _BPFRT_STUB_H */
