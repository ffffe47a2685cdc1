/* SPDX-License-Identifier: GPL-2.0 */
/* Estimating a recorded program with the current cost model (prog_estimate.c). */
#ifndef _BPFRT_PROG_ESTIMATE_H
#define _BPFRT_PROG_ESTIMATE_H

#include <linux/bpf.h>

#include "registry.h"

/*
 * Estimates @rec, a record nobody else can see yet (record.c, at load),
 * with the current cost model, in place. Process context.
 */
void bpfrt_estimate_new(struct bpfrt_prog_rec *rec);

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

#endif /* _BPFRT_PROG_ESTIMATE_H */
