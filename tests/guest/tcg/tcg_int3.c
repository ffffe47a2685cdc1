// SPDX-License-Identifier: GPL-2.0
/*
 * tcg_int3: support for the test guests, never installed with bpfrt.
 *
 * Kernel code patching (text_poke_bp(): static keys, static calls, the BPF
 * dispatcher, trampolines, bpfrt's own stubs) puts an int3 on the site's
 * first byte while it rewrites the rest, then writes the new first byte and
 * synchronises every CPU. Under QEMU's multi-threaded TCG a vCPU can still
 * run its translation of that int3 after the new byte is in memory. By then
 * the patch is finished and poke_int3_handler() no longer knows the site.
 * Linux 6.1's kprobe handler backs up over an int3 that is no longer in
 * memory, so the site runs again from memory; later kernels (6.12 here) die
 * with "Oops: int3", whatever the kernel was patching.
 *
 * This die notifier gives every guest 6.1's behaviour: an int3 taken in
 * kernel mode whose byte in memory is no longer 0xcc is retried. An int3
 * still in memory is left alone, so a stray int3 (a jump into a JIT image's
 * padding, a site left half-patched) still oopses and fails the run. It runs
 * after every other DIE_INT3 notifier (lowest priority), so bpfrt's own
 * notifier for its sites is exercised first. The retries are counted in
 * /sys/module/tcg_int3/parameters/retries, which the guest prints at the
 * end of each run.
 */
#include <linux/atomic.h>
#include <linux/kdebug.h>
#include <linux/limits.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/notifier.h>
#include <linux/ptrace.h>
#include <linux/uaccess.h>

#define TCG_INT3_OPCODE 0xcc

static atomic_t tcg_int3_retries = ATOMIC_INIT(0);

static int retries_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&tcg_int3_retries));
}

static const struct kernel_param_ops retries_ops = {
	.get = retries_get,
};

module_param_cb(retries, &retries_ops, NULL, 0444);
MODULE_PARM_DESC(retries, "stale int3 traps retried since load");

/* NMI-like context (exc_int3): no locks, no allocation, no printk. */
static int tcg_int3_notify(struct notifier_block *nb, unsigned long val,
			   void *data)
{
	struct die_args *args = data;
	struct pt_regs *regs = args->regs;
	unsigned long site;
	u8 byte;

	if (val != DIE_INT3 || !regs || user_mode(regs))
		return NOTIFY_DONE;
	site = regs->ip - 1;
	if (copy_from_kernel_nofault(&byte, (void *)site, 1) ||
	    byte == TCG_INT3_OPCODE)
		return NOTIFY_DONE;
	regs->ip = site;
	atomic_inc(&tcg_int3_retries);
	return NOTIFY_STOP;
}

static struct notifier_block tcg_int3_nb = {
	.notifier_call = tcg_int3_notify,
	.priority = INT_MIN,
};

static int __init tcg_int3_init(void)
{
	return register_die_notifier(&tcg_int3_nb);
}

static void __exit tcg_int3_exit(void)
{
	unregister_die_notifier(&tcg_int3_nb);
}

module_init(tcg_int3_init);
module_exit(tcg_int3_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Test guests: retry int3 traps QEMU TCG runs after a text patch");
