/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The arithmetic of calibration: from the clean batches of a benchmark item
 * to the best, typical and worst cost of one measured operation. Pure
 * functions, unit-tested (tests/unit/test_calib.c).
 *
 * Samples are the time of one run (ns), averaged over a batch, of the "test"
 * program (with @units copies of the operation) and of the "base" program
 * (without). Only batches no interrupt hit are samples (bench.h). Then:
 *
 *   best    = (min(test) - min(base)) / units / (1 + margin)
 *   typical = (median(test) - median(base)) / units
 *   worst   = (Q(test) - min(base)) / units * (1 + margin)
 *
 * Q is the nearest-rank quantile @quantile of the test batches. Noise only
 * ever adds time, so the minima are the closest to the undisturbed cost;
 * the worst case is measured against the undisturbed harness (min(base)),
 * so whatever slowed the test batches down is charged to the operation.
 * The quantile leaves out the slowest (1 - quantile) of the clean batches:
 * slowdowns no interrupt explains (the host descheduling the virtual CPU,
 * which the guest cannot see), bounded in number, not in size. The margin
 * covers what a finite sample cannot show, both ways: the cheapest case a
 * sample missed as much as the slowest (and code that runs a real mix of
 * instructions faster than a sequence of one kind, as emulated code can). All three are at least 1 ps and
 * ordered best <= typical <= worst.
 */
#ifndef _BPFRT_CALIB_STATS_H
#define _BPFRT_CALIB_STATS_H

#include <linux/types.h>

#include "analyzer.h"

/* Clean batches an item needs, of each program, to give a cost. */
#define CALIB_MIN_SAMPLES	5

struct calib_stat_cfg {
	double quantile;	/* of the test batches, for worst: 0.95 */
	double margin;		/* added to worst: 0.25 is 25% */
};

/* Nearest-rank quantile of @n values (q in [0,1]); @v is not modified. */
double calib_quantile(const double *v, unsigned int n, double q);
double calib_min(const double *v, unsigned int n);
double calib_median(const double *v, unsigned int n);

/*
 * The cost of one operation, in ps, from @nt test and @nb base samples.
 * Returns 0, -ENODATA with fewer than CALIB_MIN_SAMPLES of either, or
 * -EINVAL (units 0, a non-finite sample). Allocates a sorting copy
 * (-ENOMEM).
 */
int calib_unit_cost(const double *test, unsigned int nt, const double *base,
		    unsigned int nb, unsigned int units,
		    const struct calib_stat_cfg *cfg, struct bpfrt_cost *out);

/*
 * @a minus the parts of it that another entry @b already accounts for:
 * best - b.worst, typical - b.typical, worst - b.best, each at least 1 ps,
 * then ordered. Subtracting b's extremes the other way round keeps @a's
 * range at least as wide as measured.
 */
void calib_cost_sub(struct bpfrt_cost *a, const struct bpfrt_cost *b);

/* @a + @b, entry by entry (saturating). */
void calib_cost_add(struct bpfrt_cost *a, const struct bpfrt_cost *b);

/*
 * Folds @c into @acc, an envelope over several measurements of one entry
 * (program types, key and value sizes): best is the minimum, worst the
 * maximum, typical the maximum of the typicals (the most expensive
 * ordinary case). @n counts the folded measurements (0: @acc is empty).
 */
void calib_cost_envelope(struct bpfrt_cost *acc, unsigned int *n,
			 const struct bpfrt_cost *c);

#endif /* _BPFRT_CALIB_STATS_H */
