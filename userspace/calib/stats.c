// SPDX-License-Identifier: GPL-2.0
/* The arithmetic of calibration (see stats.h). */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double *sorted_copy(const double *v, unsigned int n)
{
	double *s = malloc((n ? n : 1) * sizeof(*s));

	if (!s)
		return NULL;
	memcpy(s, v, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_double);
	return s;
}

/* Nearest rank on sorted values: the smallest value with at least q*n
 * values at or below it.
 */
static double rank_sorted(const double *s, unsigned int n, double q)
{
	double r;
	unsigned int k;

	if (!n)
		return NAN;
	if (q <= 0)
		return s[0];
	if (q >= 1)
		return s[n - 1];
	r = ceil(q * n - 1e-9);
	k = r < 1 ? 1 : (unsigned int)r;
	return s[(k > n ? n : k) - 1];
}

double calib_quantile(const double *v, unsigned int n, double q)
{
	double *s = sorted_copy(v, n), r;

	if (!s)
		return NAN;
	r = rank_sorted(s, n, q);
	free(s);
	return r;
}

double calib_min(const double *v, unsigned int n)
{
	double m = n ? v[0] : NAN;
	unsigned int i;

	for (i = 1; i < n; i++)
		if (v[i] < m)
			m = v[i];
	return m;
}

double calib_median(const double *v, unsigned int n)
{
	double *s, r;

	if (!n)
		return NAN;
	s = sorted_copy(v, n);
	if (!s)
		return NAN;
	r = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
	free(s);
	return r;
}

static __u64 to_ps(double ns)
{
	double ps = ns * 1000.0;

	if (!(ps >= 1.0))
		return 1;
	if (ps >= (double)BPFRT_CM_MAX_PS)
		return BPFRT_CM_MAX_PS;
	return (__u64)llround(ps);
}

static void order(struct bpfrt_cost *c)
{
	if (c->best_ps < 1)
		c->best_ps = 1;
	if (c->typical_ps < c->best_ps)
		c->typical_ps = c->best_ps;
	if (c->worst_ps < c->typical_ps)
		c->worst_ps = c->typical_ps;
}

static bool all_finite(const double *v, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (!isfinite(v[i]))
			return false;
	return true;
}

int calib_unit_cost(const double *test, unsigned int nt, const double *base,
		    unsigned int nb, unsigned int units,
		    const struct calib_stat_cfg *cfg, struct bpfrt_cost *out)
{
	double *st, *sb, best, typ, worst;

	if (!units || !all_finite(test, nt) || !all_finite(base, nb))
		return -EINVAL;
	if (nt < CALIB_MIN_SAMPLES || nb < CALIB_MIN_SAMPLES)
		return -ENODATA;
	st = sorted_copy(test, nt);
	sb = sorted_copy(base, nb);
	if (!st || !sb) {
		free(st);
		free(sb);
		return -ENOMEM;
	}
	best = (st[0] - sb[0]) / units / (1.0 + cfg->margin);
	typ = (rank_sorted(st, nt, 0.5) - rank_sorted(sb, nb, 0.5)) / units;
	worst = (rank_sorted(st, nt, cfg->quantile) - sb[0]) / units;
	worst *= 1.0 + cfg->margin;
	free(st);
	free(sb);
	out->best_ps = to_ps(best);
	out->typical_ps = to_ps(typ);
	out->worst_ps = to_ps(worst);
	order(out);
	return 0;
}

static __u64 sub_floor(__u64 a, __u64 b)
{
	return a > b ? a - b : 1;
}

void calib_cost_sub(struct bpfrt_cost *a, const struct bpfrt_cost *b)
{
	a->best_ps = sub_floor(a->best_ps, b->worst_ps);
	a->typical_ps = sub_floor(a->typical_ps, b->typical_ps);
	a->worst_ps = sub_floor(a->worst_ps, b->best_ps);
	order(a);
}

static __u64 sat_add(__u64 a, __u64 b)
{
	return a + b < a ? ~0ULL : a + b;
}

void calib_cost_add(struct bpfrt_cost *a, const struct bpfrt_cost *b)
{
	a->best_ps = sat_add(a->best_ps, b->best_ps);
	a->typical_ps = sat_add(a->typical_ps, b->typical_ps);
	a->worst_ps = sat_add(a->worst_ps, b->worst_ps);
}

void calib_cost_envelope(struct bpfrt_cost *acc, unsigned int *n,
			 const struct bpfrt_cost *c)
{
	if (!*n) {
		*acc = *c;
	} else {
		if (c->best_ps < acc->best_ps)
			acc->best_ps = c->best_ps;
		if (c->typical_ps > acc->typical_ps)
			acc->typical_ps = c->typical_ps;
		if (c->worst_ps > acc->worst_ps)
			acc->worst_ps = c->worst_ps;
	}
	(*n)++;
	order(acc);
}
