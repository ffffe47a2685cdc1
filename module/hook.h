/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Function wrappers installed with ftrace. A hook either observes a call
 * (a callback in the traced function's context, preemption disabled) or
 * replaces the function by a wrapper with the same signature that runs in
 * the caller's context (may sleep where the caller may) and calls the
 * original through hook->orig.
 */
#ifndef _BPFRT_HOOK_H
#define _BPFRT_HOOK_H

#include <linux/atomic.h>
#include <linux/ftrace.h>
#include <linux/types.h>

struct bpfrt_hook {
	const char *name;		/* kernel function to hook */
	/* exactly one of these: */
	void *wrapper;			/* replaces the function */
	void (*observe)(struct bpfrt_hook *hook, struct pt_regs *regs);
	void *orig;			/* out: address of the function */
	struct ftrace_ops ops;
	bool installed;
};

/*
 * Installs @hook; returns 0 or a negative errno, and logs which function
 * could not be hooked.
 */
int bpfrt_hook_install(struct bpfrt_hook *hook);
void bpfrt_hook_remove(struct bpfrt_hook *hook);

/*
 * Wrappers call this last, just before returning: it balances the count
 * taken when the call was redirected, which bpfrt_hooks_drain() waits for.
 */
void bpfrt_hook_exit(void);

/*
 * After every hook is removed: waits until no task is inside a wrapper, so
 * the module text can go away.
 */
void bpfrt_hooks_drain(void);

#endif /* _BPFRT_HOOK_H */
