/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place where differences between kernel versions are handled.
 * Force-included into every module source by Kbuild, after the kernel's own
 * configuration. Differences are detected by feature (Kbuild greps the target
 * tree's headers and defines BPFRT_HAVE_* macros), not
 * by version number, so feature code never contains a version #if.
 *
 * Supported: Debian bookworm 6.1 and bookworm-backports 6.12.
 */
#ifndef _BPFRT_COMPAT_H
#define _BPFRT_COMPAT_H

#include <linux/kconfig.h>

/* Kernels the module cannot work on fail the build with the reason. */
#if !IS_ENABLED(CONFIG_KPROBES)
#error "bpfrt needs CONFIG_KPROBES (it resolves unexported symbols with a kprobe)"
#endif
#if !IS_ENABLED(CONFIG_BPF_SYSCALL)
#error "bpfrt needs CONFIG_BPF_SYSCALL"
#endif
#if !IS_ENABLED(CONFIG_BPF_JIT)
#error "bpfrt needs CONFIG_BPF_JIT"
#endif
#if !IS_ENABLED(CONFIG_HIGH_RES_TIMERS)
#error "bpfrt needs CONFIG_HIGH_RES_TIMERS (the watchdog is a hard hrtimer)"
#endif
#if !IS_ENABLED(CONFIG_DYNAMIC_FTRACE_WITH_REGS)
#error "bpfrt needs CONFIG_DYNAMIC_FTRACE_WITH_REGS (the load hook is an ftrace wrapper)"
#endif

/* kallsyms_on_each_symbol()'s callback (resolved at runtime: unexported). */
struct module;
#ifdef BPFRT_HAVE_KALLSYMS_EACH_MODULE_ARG
#define BPFRT_KSYM_EACH_PARAMS \
	void *data, const char *name, struct module *mod, unsigned long addr
#else
#define BPFRT_KSYM_EACH_PARAMS \
	void *data, const char *name, unsigned long addr
#endif
typedef int (*bpfrt_ksym_each_fn)(BPFRT_KSYM_EACH_PARAMS);

#endif /* _BPFRT_COMPAT_H */
