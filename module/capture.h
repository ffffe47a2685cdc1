/* SPDX-License-Identifier: GPL-2.0 */
/* The load and free hooks that feed the registry. */
#ifndef _BPFRT_CAPTURE_H
#define _BPFRT_CAPTURE_H

#include <linux/types.h>

int bpfrt_capture_init(void);
void bpfrt_capture_exit(void);

/* Statistics, for sysfs. */
struct bpfrt_capture_stats {
	atomic64_t captured;		/* recorded at load */
	atomic64_t adopted;		/* recorded after the fact */
	atomic64_t classic_skipped;	/* classic BPF: not recorded */
	atomic64_t failed;		/* could not be recorded (ENOMEM) */
	atomic64_t freed;		/* records dropped when freed */
	atomic64_t verifier_rejected;	/* bpf_check() failures seen */
	/* CPU time of the estimates, wherever made (prog_estimate.c), in ns. */
	atomic64_t analysis_ns;		/* sum */
	atomic64_t analysis_max_ns;	/* the longest one */
};

extern struct bpfrt_capture_stats bpfrt_capture_stats;

/* adopt.c: records programs the load hooks did not see. */
void bpfrt_adopt_all(void);
void bpfrt_adopt_schedule(void);
void bpfrt_adopt_cancel(void);

struct bpfrt_jit_map;
/*
 * capture.c: records @prog, which the caller keeps alive (a reference, or
 * being in its load path), with the offset maps of its functions if known.
 */
int bpfrt_record_prog(const struct bpf_prog *prog, u64 verify_ns,
		      bool adopted, const struct bpfrt_jit_map *maps,
		      u32 map_cnt);

#endif /* _BPFRT_CAPTURE_H */
