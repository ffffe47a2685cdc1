// SPDX-License-Identifier: GPL-2.0
/* Interrupt watch: per-CPU interrupt counts read without a system call. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <bpf/bpf.h>

#include "insn.h"
#include "irqwatch.h"

/*
 * Every traced entry into a hard-interrupt handler on x86-64
 * (arch/x86/include/asm/trace/irq_vectors.h, include/trace/events/irq.h,
 * include/trace/events/nmi.h). A name the kernel lacks is skipped.
 */
static const struct {
	const char *name;
	enum irqwatch_kind kind;
} irqwatch_tracepoints[] = {
	{ "local_timer_entry",		IRQWATCH_EXTERNAL },
	{ "reschedule_entry",		IRQWATCH_EXTERNAL },
	{ "call_function_entry",	IRQWATCH_CALL_IPI },
	{ "call_function_single_entry",	IRQWATCH_CALL_IPI },
	{ "irq_work_entry",		IRQWATCH_IRQ_WORK },
	{ "x86_platform_ipi_entry",	IRQWATCH_EXTERNAL },
	{ "spurious_apic_entry",	IRQWATCH_EXTERNAL },
	{ "error_apic_entry",		IRQWATCH_EXTERNAL },
	{ "thermal_apic_entry",		IRQWATCH_EXTERNAL },
	{ "threshold_apic_entry",	IRQWATCH_EXTERNAL },
	{ "deferred_error_apic_entry",	IRQWATCH_EXTERNAL },
	{ "irq_handler_entry",		IRQWATCH_EXTERNAL },
	{ "nmi_handler",		IRQWATCH_EXTERNAL },
};

#define N_TP (sizeof(irqwatch_tracepoints) / sizeof(irqwatch_tracepoints[0]))

/* counts[kind][cpu] += 1 */
static int irqwatch_load(struct irqwatch *w, unsigned int kind)
{
	struct calib_prog p;
	int fd;

	calib_prog_init(&p);
	calib_emit(&p, CI_CALL(BPF_FUNC_get_smp_processor_id));
	calib_emit(&p, CI_JMP_IMM(BPF_JGT, BPF_REG_0, IRQWATCH_MAX_CPUS - 1, 6));
	calib_emit(&p, CI_ALU64_IMM(BPF_LSH, BPF_REG_0, 3));
	calib_emit_ld_map_value(&p, BPF_REG_1, w->map_fd,
				kind * IRQWATCH_MAX_CPUS * sizeof(__u64));
	calib_emit(&p, CI_ALU64_REG(BPF_ADD, BPF_REG_1, BPF_REG_0));
	calib_emit(&p, CI_MOV64_IMM(BPF_REG_2, 1));
	calib_emit(&p, CI_ATOMIC(BPF_DW, BPF_REG_1, BPF_REG_2, 0, BPF_ADD));
	calib_emit(&p, CI_MOV64_IMM(BPF_REG_0, 0));
	calib_emit(&p, CI_EXIT());
	if (!calib_prog_ok(&p)) {
		calib_prog_free(&p);
		return -ENOMEM;
	}
	fd = bpf_prog_load(BPF_PROG_TYPE_RAW_TRACEPOINT, "bpfrt_irqwatch",
			   "GPL", p.insns, p.cnt, NULL);
	calib_prog_free(&p);
	return fd < 0 ? -errno : fd;
}

int irqwatch_open(struct irqwatch *w)
{
	LIBBPF_OPTS(bpf_map_create_opts, mopts, .map_flags = BPF_F_MMAPABLE);
	long page = sysconf(_SC_PAGESIZE);
	size_t i;
	void *mem;
	int ret;

	size_t size = IRQWATCH_KINDS * IRQWATCH_MAX_CPUS * sizeof(__u64);
	unsigned int k;

	memset(w, 0, sizeof(*w));
	for (k = 0; k < IRQWATCH_KINDS; k++)
		w->prog_fd[k] = -1;
	w->map_fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "bpfrt_irqs", 4, size, 1,
				   &mopts);
	if (w->map_fd < 0) {
		ret = -errno;
		goto err;
	}
	w->map_len = (size + page - 1) / page * page;
	mem = mmap(NULL, w->map_len, PROT_READ, MAP_SHARED, w->map_fd, 0);
	if (mem == MAP_FAILED) {
		ret = -errno;
		goto err;
	}
	w->count = mem;
	for (k = 0; k < IRQWATCH_KINDS; k++) {
		w->prog_fd[k] = irqwatch_load(w, k);
		if (w->prog_fd[k] < 0) {
			ret = w->prog_fd[k];
			goto err;
		}
	}
	for (i = 0; i < N_TP && w->nlinks < IRQWATCH_MAX_LINKS; i++) {
		int fd = bpf_raw_tracepoint_open(irqwatch_tracepoints[i].name,
				w->prog_fd[irqwatch_tracepoints[i].kind]);
		size_t len = strlen(w->attached);

		if (fd < 0)
			continue;
		w->links[w->nlinks++] = fd;
		snprintf(w->attached + len, sizeof(w->attached) - len, "%s%s",
			 len ? " " : "", irqwatch_tracepoints[i].name);
	}
	if (!w->nlinks) {
		ret = -ENOENT;
		goto err;
	}
	return 0;
err:
	irqwatch_close(w);
	return ret;
}

void irqwatch_close(struct irqwatch *w)
{
	unsigned int k;
	int i;

	for (i = 0; i < w->nlinks; i++)
		close(w->links[i]);
	w->nlinks = 0;
	if (w->count)
		munmap((void *)w->count, w->map_len);
	w->count = NULL;
	for (k = 0; k < IRQWATCH_KINDS; k++) {
		if (w->prog_fd[k] >= 0)
			close(w->prog_fd[k]);
		w->prog_fd[k] = -1;
	}
	if (w->map_fd >= 0)
		close(w->map_fd);
	w->map_fd = -1;
}

bool irqwatch_active(const struct irqwatch *w)
{
	return w->count && w->nlinks;
}

__u64 irqwatch_count_kinds(const struct irqwatch *w, int cpu,
			   unsigned int mask)
{
	unsigned int k;
	__u64 n = 0;

	if (!irqwatch_active(w) || cpu < 0 || cpu >= IRQWATCH_MAX_CPUS)
		return 0;
	for (k = 0; k < IRQWATCH_KINDS; k++)
		if (mask & (1u << k))
			n += w->count[k * IRQWATCH_MAX_CPUS + cpu];
	return n;
}

__u64 irqwatch_count(const struct irqwatch *w, int cpu)
{
	return irqwatch_count_kinds(w, cpu, IRQWATCH_ALL);
}
