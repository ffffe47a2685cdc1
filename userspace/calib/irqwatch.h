/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interrupt watch: counts, per CPU, every interrupt the kernel takes, so a
 * measurement can be discarded because an interrupt hit it, not because it
 * looks slow.
 *
 * A small BPF program is attached (raw tracepoints) to the entry of every
 * hard-interrupt path the kernel traces: the x86 system vectors
 * (local_timer_entry, reschedule_entry, call_function_entry, ...), device
 * interrupt handlers (irq_handler_entry) and NMIs (nmi_handler). It adds one
 * to its CPU's slot of an array map that userspace has mmap()ed, so reading
 * a count costs one memory load and no system call. Softirqs run on the
 * way out of a hard interrupt (counted) or in ksoftirqd, which preempts the
 * benchmark only at a cond_resched() point, and BPF_PROG_TEST_RUN stops its
 * clock around those (net/bpf/test_run.c: bpf_test_timer_continue).
 */
#ifndef _BPFRT_CALIB_IRQWATCH_H
#define _BPFRT_CALIB_IRQWATCH_H

#include <stdbool.h>
#include <linux/types.h>

#define IRQWATCH_MAX_CPUS	64
#define IRQWATCH_MAX_LINKS	16

/*
 * Kinds of interrupts, counted apart: a cross-CPU function call (IPI) is
 * what a CPU asks of another, text patching among others; an XDP test run
 * causes some itself, before and after its timed loop (net/bpf/test_run.c:
 * bpf_prog_change_xdp). An irq_work interrupt is raised by the measured
 * code itself (a ring buffer's or perf buffer's wakeup: kernel/bpf/
 * ringbuf.c, bpf_ringbuf_commit), so its cost is part of what is measured.
 */
enum irqwatch_kind {
	IRQWATCH_EXTERNAL,	/* timer, devices, NMIs, other vectors */
	IRQWATCH_CALL_IPI,	/* call_function, call_function_single */
	IRQWATCH_IRQ_WORK,	/* irq_work: self-raised */
	IRQWATCH_KINDS,
};

#define IRQWATCH_ALL	((1u << IRQWATCH_KINDS) - 1)
/* What interrupts a measurement: everything but the code's own irq_work. */
#define IRQWATCH_FOREIGN ((1u << IRQWATCH_EXTERNAL) | (1u << IRQWATCH_CALL_IPI))

struct irqwatch {
	int map_fd;
	int prog_fd[IRQWATCH_KINDS];
	int links[IRQWATCH_MAX_LINKS];
	int nlinks;
	/* IRQWATCH_KINDS x IRQWATCH_MAX_CPUS counters, mmap()ed */
	volatile __u64 *count;
	size_t map_len;
	char attached[256];		/* names of the tracepoints attached */
};

/*
 * Loads and attaches the watch. Returns 0, or a negative errno when no
 * tracepoint could be attached (the caller then runs without it, and says
 * so: every batch is then taken as clean).
 */
int irqwatch_open(struct irqwatch *w);
void irqwatch_close(struct irqwatch *w);
bool irqwatch_active(const struct irqwatch *w);
/* Interrupts taken so far on @cpu (0 if the watch is not active). */
__u64 irqwatch_count(const struct irqwatch *w, int cpu);
/* The same for the kinds in @mask (bits of enum irqwatch_kind). */
__u64 irqwatch_count_kinds(const struct irqwatch *w, int cpu,
			   unsigned int mask);

#endif /* _BPFRT_CALIB_IRQWATCH_H */
