/* SPDX-License-Identifier: GPL-2.0 */
/* Turning a loaded bpf_prog into a registry record with its estimate. */
#ifndef _BPFRT_ANALYZE_H
#define _BPFRT_ANALYZE_H

#include <linux/bpf.h>

#include "registry.h"

/* Instruction-to-JIT-offset map of one function (see capture.c). */
struct bpfrt_jit_map {
	const struct bpf_prog *func;	/* the function's final bpf_prog */
	u32 len;			/* entries: func->len */
	const u32 *end_off;		/* end offset of each insn in the image */
};

/*
 * Builds the record of @prog: summary, maps, images and call sites (exact
 * when @maps has the offset map of every function, else none and the
 * program is not terminable). With @estimate, also its estimate with the
 * current cost model; without, the record is BPFRT_EST_QUEUED for
 * defer.c. Process context. Returns the record or an ERR_PTR.
 */
struct bpfrt_prog_rec *bpfrt_analyze(const struct bpf_prog *prog,
				     const struct bpfrt_jit_map *maps,
				     u32 map_cnt, bool estimate);

/*
 * Estimates @rec, which the caller has claimed (defer.c: its program stays
 * alive and nobody else writes its estimate), without holding
 * bpfrt_registry_lock, then stores the estimate (or the failure) and
 * returns with the lock held. Process context. Returns 0 or -errno.
 */
int bpfrt_estimate_claimed(struct bpfrt_prog_rec *rec);

/*
 * Estimates the recorded program of @rec again with the current cost model
 * and replaces its estimate (on failure: flagged EST_FAILED with the errno).
 * Caller holds bpfrt_registry_lock, which keeps rec->prog alive (the free
 * hook removes the record under it before the program goes), and
 * bpfrt_costs_lock. Process context: allocates. Returns 0 or -errno.
 */
int bpfrt_reestimate(struct bpfrt_prog_rec *rec);

/*
 * For a record just estimated (bpfrt_registry_lock held): if the cost model
 * changed after its estimate was made, estimate it again, so no record
 * keeps an estimate from a replaced table.
 */
void bpfrt_reestimate_if_stale(struct bpfrt_prog_rec *rec);

#endif /* _BPFRT_ANALYZE_H */
