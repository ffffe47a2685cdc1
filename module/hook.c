// SPDX-License-Identifier: GPL-2.0
/*
 * ftrace-based hooks (see hook.h).
 *
 * A wrapper is installed the way livepatch redirects a function: an ftrace
 * callback with FTRACE_OPS_FL_IPMODIFY and SAVE_REGS sets regs->ip to the
 * wrapper, and the ftrace trampoline returns there instead of into the
 * original (arch/x86/kernel/ftrace_64.S restores the modified ip). The
 * wrapper calls the original through its address; that call goes through
 * the same ftrace site again, and the callback recognises it by the return
 * address lying in this module and lets it through.
 *
 * Module unload: once the ops are unregistered no new call is redirected,
 * but tasks may still be inside a wrapper. Every redirect increments
 * bpfrt_hooks_inflight before the wrapper runs, the wrapper decrements it
 * at its very end, and bpfrt_hooks_drain() waits for zero and then for a
 * tasks-RCU grace period, after which no task can be executing the last
 * instructions of a wrapper (a voluntary context switch is a quiescent
 * state for tasks RCU, kernel/rcu/tasks.h).
 */
#include <linux/delay.h>
#include <linux/kallsyms.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/string.h>

#include "bpfrt.h"
#include "hook.h"

static atomic_t bpfrt_hooks_inflight = ATOMIC_INIT(0);

static void notrace bpfrt_hook_callback(unsigned long ip,
					unsigned long parent_ip,
					struct ftrace_ops *ops,
					struct ftrace_regs *fregs)
{
	struct bpfrt_hook *hook = container_of(ops, struct bpfrt_hook, ops);
	struct pt_regs *regs = ftrace_get_regs(fregs);

	if (!regs)
		return;
	if (hook->observe) {
		hook->observe(hook, regs);
		return;
	}
	/* The wrapper's own call of the original: let it through. */
	if (within_module(parent_ip, THIS_MODULE))
		return;
	atomic_inc(&bpfrt_hooks_inflight);
	regs->ip = (unsigned long)hook->wrapper;
}

int bpfrt_hook_install(struct bpfrt_hook *hook)
{
	int ret;

	hook->orig = (void *)bpfrt_lookup_name(hook->name);
	if (!hook->orig) {
		pr_err("cannot hook %s: symbol not found\n", hook->name);
		return -ENOENT;
	}

	hook->ops.func = bpfrt_hook_callback;
	hook->ops.flags = FTRACE_OPS_FL_SAVE_REGS;
	if (hook->wrapper)
		hook->ops.flags |= FTRACE_OPS_FL_IPMODIFY;

	/* By name: ftrace finds the patch site past an endbr itself. */
	ret = ftrace_set_filter(&hook->ops, (unsigned char *)hook->name,
				strlen(hook->name), 0);
	if (ret) {
		pr_err("cannot hook %s: not traceable (%d)\n", hook->name, ret);
		return ret;
	}
	ret = register_ftrace_function(&hook->ops);
	if (ret) {
		pr_err("cannot hook %s: ftrace registration failed (%d)%s\n",
		       hook->name, ret,
		       ret == -EBUSY ? ", another IP-modifying tracer owns it" : "");
		ftrace_free_filter(&hook->ops);
		return ret;
	}
	hook->installed = true;
	return 0;
}

void bpfrt_hook_remove(struct bpfrt_hook *hook)
{
	if (!hook->installed)
		return;
	unregister_ftrace_function(&hook->ops);
	ftrace_free_filter(&hook->ops);
	hook->installed = false;
}

void notrace bpfrt_hook_exit(void)
{
	atomic_dec(&bpfrt_hooks_inflight);
}

void bpfrt_hooks_drain(void)
{
	while (atomic_read(&bpfrt_hooks_inflight))
		msleep(20);
	synchronize_rcu_tasks();
}
