/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The measuring engine of `bpfrt calibrate`.
 *
 * A benchmark item is a pair of programs of the same type that differ only
 * in @units copies of the thing measured: "test" has them, "base" has
 * everything else (argument set-up, the program's own entry and exit). Both
 * are timed in batches of @repeat runs:
 *  - program types whose BPF_PROG_TEST_RUN has a repeat count (the skb
 *    types, flow dissector, sk_lookup) use the kernel's own per-run time
 *    (opts.duration: the loop of net/bpf/test_run.c: bpf_test_run, timed
 *    with ktime_get_ns() around all the runs, divided by their number;
 *    reschedules are not counted);
 *  - the others (raw_tracepoint, syscall, and XDP: bench.c says why) time
 *    themselves: the program reads
 *    bpf_ktime_get_ns() before and after the measured part and stores the
 *    difference in a map that userspace has mmap()ed.
 * Either way the loop and call overhead of the harness is the same in both
 * programs and cancels in test - base.
 *
 * Batches run round-robin over every item (round 1: one base and one test
 * batch of each item, round 2: again, ...), so a transient slowdown of the
 * machine touches a few batches of every item rather than all batches of
 * one. A batch during which the measuring CPU took an interrupt is
 * discarded and counted (irqwatch.h); nothing is discarded for being slow.
 */
#ifndef _BPFRT_CALIB_BENCH_H
#define _BPFRT_CALIB_BENCH_H

#include <stdbool.h>
#include <linux/bpf.h>

#include "insn.h"
#include "irqwatch.h"

struct btf;

/* Registers the frame reserves: the context and, for self-timed types, the
 * start time. Bodies may use R0-R5 (clobbered by calls), R8 and R9.
 */
#define CALIB_REG_CTX	BPF_REG_6
#define CALIB_REG_T0	BPF_REG_7

struct calib_env {
	struct irqwatch irq;
	bool irq_ok;
	int cpu;			/* the CPU everything runs on */
	int time_map_fd;		/* self-timed types: the last run's ns */
	volatile __u64 *time_ns;
	size_t time_len;
	unsigned char pkt[128];		/* packet for the network types */
	/* BTF for func_info: callbacks must be described (calib_load) */
	struct btf *btf;
	int btf_fd;
	__u32 btf_main, btf_sub;	/* FUNC type ids */
	char log[65536];		/* verifier log of the last failed load */
	__u32 retval;			/* of the last run */
	unsigned int loads_ok, loads_failed;	/* statistics */
	double load_ok_s, load_failed_s;
};

int calib_env_open(struct calib_env *env);
void calib_env_close(struct calib_env *env);

/* Whether @type is timed by BPF_PROG_TEST_RUN's repeat and duration (else
 * the program times itself).
 */
bool calib_type_has_repeat(enum bpf_prog_type type);
/* strerror(-err), knowing the kernel's own ENOTSUPP (524). */
const char *calib_strerror(int err);
/* Short name for reports: "xdp", "sched_cls", ... */
const char *calib_type_name(enum bpf_prog_type type);

/*
 * The program frame: calib_frame_begin() saves the context in
 * CALIB_REG_CTX and, for self-timed types, reads the clock into
 * CALIB_REG_T0; calib_frame_end() stores the elapsed time (self-timed
 * types) and exits with R0 = 0.
 */
void calib_frame_begin(struct calib_prog *p, const struct calib_env *env,
		       enum bpf_prog_type type);
void calib_frame_end(struct calib_prog *p, const struct calib_env *env,
		     enum bpf_prog_type type);

/*
 * Loads @p as @type. Returns the fd, or a negative errno with the verifier
 * log in env->log. A program with subprograms (targets of bpf-to-bpf calls
 * and callback loads) gets BTF func_info: the verifier wants a callback to
 * be a described static function (kernel/bpf/verifier.c: check_ld_imm).
 */
int calib_load(struct calib_env *env, enum bpf_prog_type type,
	       const struct calib_prog *p);

/*
 * One batch: @repeat runs of @prog_fd. *ns_per_run is the time of one run
 * (ns, average over the batch), *clean false if an interrupt hit the
 * measuring CPU meanwhile. Returns 0 or a negative errno.
 */
int calib_batch(struct calib_env *env, int prog_fd, enum bpf_prog_type type,
		__u32 repeat, double *ns_per_run, bool *clean);

struct calib_samples {
	double *v;
	unsigned int n, cap;
};

struct calib_item;
typedef void (*calib_prepare_fn)(struct calib_env *env,
				 struct calib_item *it, unsigned int round);

struct calib_item {
	char name[96];
	enum bpf_prog_type type;
	int fd_test, fd_base;
	__u32 units;			/* copies in test not in base */
	__u32 repeat;			/* runs per batch */
	calib_prepare_fn prepare;	/* varies arguments per batch, or NULL */
	void *arg;
	struct calib_samples test, base;
	unsigned int dirty;		/* batches discarded (interrupted) */
	int err;			/* first run error, 0 if none */
};

void calib_item_init(struct calib_item *it);
/* Closes the programs and frees the samples. */
void calib_item_release(struct calib_item *it);

typedef void (*calib_progress_fn)(void *arg, unsigned int round,
				  unsigned int rounds);

/*
 * Runs @rounds rounds over @items (round-robin, base and test order
 * alternating), plus one warm-up batch of each program first (not
 * recorded: its first runs translate and fault in code and data).
 * An item whose run fails stops being measured (it->err).
 */
void calib_engine_run(struct calib_env *env, struct calib_item **items,
		      unsigned int n, unsigned int rounds,
		      calib_progress_fn progress, void *parg);

#endif /* _BPFRT_CALIB_BENCH_H */
