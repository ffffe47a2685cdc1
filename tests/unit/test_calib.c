// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the pure parts of calibration and cost tables: the
 * statistics (quantiles, per-unit costs, the outlier rule's arithmetic),
 * cost table validation (one test per rule) and the JSON file format
 * (round trip, and every way a file is refused).
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "analyzer.h"
#include "costtab.h"
#include "stats.h"

/* --- statistics ---------------------------------------------------------- */

static void test_quantile_nearest_rank(void **state)
{
	double v[20];
	int i;

	(void)state;
	/* out of order on purpose: the function sorts a copy */
	for (i = 0; i < 20; i++)
		v[i] = 20 - i;
	assert_true(calib_quantile(v, 20, 0.95) == 19);
	assert_true(calib_quantile(v, 20, 0.5) == 10);
	assert_true(calib_quantile(v, 20, 1.0) == 20);
	assert_true(calib_quantile(v, 20, 0.0) == 1);
	assert_true(calib_quantile(v, 20, 0.01) == 1);
	assert_true(v[0] == 20);	/* not modified */
	assert_true(calib_min(v, 20) == 1);
	assert_true(calib_median(v, 20) == 10.5);
	assert_true(isnan(calib_quantile(v, 0, 0.5)));
}

static void fill(double *v, unsigned int n, double x)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		v[i] = x;
}

static void test_unit_cost_basic(void **state)
{
	struct calib_stat_cfg cfg = { .quantile = 0.95, .margin = 0.25 };
	double test[20], base[20];
	struct bpfrt_cost c;
	unsigned int i;

	(void)state;
	/* base 100 ns, test 100 + 16 x 10 ns, with some spread */
	for (i = 0; i < 20; i++) {
		base[i] = 100 + (i % 3);
		test[i] = 260 + i;
	}
	assert_int_equal(calib_unit_cost(test, 20, base, 20, 16, &cfg, &c), 0);
	/* best: (260 - 100) / 16 / 1.25 = 8 ns */
	assert_int_equal(c.best_ps, 8000);
	/* typical: (nearest-rank median 269 - 101) / 16 = 10.5 ns */
	assert_int_equal(c.typical_ps, 10500);
	/* worst: (q95 = 278 - 100) / 16 * 1.25 = 13.906 ns */
	assert_int_equal(c.worst_ps, 13906);
}

static void test_unit_cost_outlier_rule(void **state)
{
	struct calib_stat_cfg cfg = { .quantile = 0.95, .margin = 0.0 };
	double test[40], base[40];
	struct bpfrt_cost c;

	(void)state;
	fill(base, 40, 50);
	fill(test, 40, 150);
	/* two unexplained slowdowns (5%): left out by the quantile */
	test[7] = 5000;
	test[30] = 9000;
	assert_int_equal(calib_unit_cost(test, 40, base, 40, 10, &cfg, &c), 0);
	assert_int_equal(c.worst_ps, 10000);
	/* three (7.5%): the quantile reaches one, and worst shows it */
	test[12] = 4000;
	assert_int_equal(calib_unit_cost(test, 40, base, 40, 10, &cfg, &c), 0);
	assert_int_equal(c.worst_ps, 395000);
}

static void test_unit_cost_errors(void **state)
{
	struct calib_stat_cfg cfg = { .quantile = 0.95, .margin = 0.25 };
	double test[10], base[10];
	struct bpfrt_cost c;

	(void)state;
	fill(test, 10, 10);
	fill(base, 10, 5);
	assert_int_equal(calib_unit_cost(test, 4, base, 10, 1, &cfg, &c),
			 -ENODATA);
	assert_int_equal(calib_unit_cost(test, 10, base, 4, 1, &cfg, &c),
			 -ENODATA);
	assert_int_equal(calib_unit_cost(test, 10, base, 10, 0, &cfg, &c),
			 -EINVAL);
	test[3] = NAN;
	assert_int_equal(calib_unit_cost(test, 10, base, 10, 1, &cfg, &c),
			 -EINVAL);
}

static void test_unit_cost_floor_and_order(void **state)
{
	struct calib_stat_cfg cfg = { .quantile = 0.95, .margin = 0.25 };
	double test[10], base[10];
	struct bpfrt_cost c;

	(void)state;
	/* the operation is lost in the noise: every value is at least 1 ps */
	fill(test, 10, 100);
	fill(base, 10, 101);
	assert_int_equal(calib_unit_cost(test, 10, base, 10, 4, &cfg, &c), 0);
	assert_int_equal(c.best_ps, 1);
	assert_true(c.best_ps <= c.typical_ps && c.typical_ps <= c.worst_ps);
}

static void test_cost_sub_add_envelope(void **state)
{
	struct bpfrt_cost a = { 1000, 2000, 5000 }, b = { 100, 200, 400 };
	struct bpfrt_cost big = { 5000, 5000, 5000 }, acc;
	unsigned int n = 0;

	(void)state;
	/* best - b.worst, typical - b.typical, worst - b.best */
	calib_cost_sub(&a, &b);
	assert_int_equal(a.best_ps, 600);
	assert_int_equal(a.typical_ps, 1800);
	assert_int_equal(a.worst_ps, 4900);
	calib_cost_sub(&a, &big);	/* floors at 1 ps, stays ordered */
	assert_int_equal(a.best_ps, 1);
	assert_true(a.typical_ps >= a.best_ps && a.worst_ps >= a.typical_ps);

	calib_cost_envelope(&acc, &n, &(struct bpfrt_cost){ 10, 20, 30 });
	calib_cost_envelope(&acc, &n, &(struct bpfrt_cost){ 5, 15, 50 });
	calib_cost_envelope(&acc, &n, &(struct bpfrt_cost){ 8, 40, 45 });
	assert_int_equal(n, 3);
	assert_int_equal(acc.best_ps, 5);
	assert_int_equal(acc.typical_ps, 40);
	assert_int_equal(acc.worst_ps, 50);

	a = (struct bpfrt_cost){ 1, 2, ~0ULL - 1 };
	calib_cost_add(&a, &b);
	assert_true(a.worst_ps == ~0ULL);	/* saturates */
}

/* --- validation: one test per rule --------------------------------------- */

static struct bpfrt_cost_model *model(void)
{
	static struct bpfrt_cost_model cm;

	bpfrt_cost_model_default(&cm);
	return &cm;
}

static void expect_fault(struct bpfrt_cost_model *cm, int err, __u32 fault,
			 __u32 part, __u32 index)
{
	struct bpfrt_cm_where w;

	assert_int_equal(bpfrt_cost_model_validate(cm, &w), err);
	assert_int_equal(w.fault, fault);
	assert_int_equal(w.part, part);
	assert_int_equal(w.index, index);
}

static void test_validate_default_ok(void **state)
{
	struct bpfrt_cm_where w;

	(void)state;
	assert_int_equal(bpfrt_cost_model_validate(model(), &w), 0);
	assert_int_equal(w.fault, BPFRT_CM_FAULT_NONE);
	assert_int_equal(bpfrt_cost_model_validate(model(), NULL), 0);
}

static void test_validate_header(void **state)
{
	struct bpfrt_cost_model *cm = model();

	(void)state;
	cm->size--;
	expect_fault(cm, -EINVAL, BPFRT_CM_FAULT_HEADER, BPFRT_CM_PART_HEADER, 0);
	cm = model();
	cm->version = BPFRT_CM_VERSION + 1;
	expect_fault(cm, -EINVAL, BPFRT_CM_FAULT_HEADER, BPFRT_CM_PART_HEADER, 0);
	cm = model();
	cm->reserved = 1;
	expect_fault(cm, -EINVAL, BPFRT_CM_FAULT_HEADER, BPFRT_CM_PART_HEADER, 0);
}

static void test_validate_missing(void **state)
{
	struct bpfrt_cost_model *cm = model();

	(void)state;
	memset(&cm->insn[BPFRT_IC_DIV], 0, sizeof(cm->insn[0]));
	expect_fault(cm, -EINVAL, BPFRT_CM_FAULT_MISSING, BPFRT_CM_PART_INSN,
		     BPFRT_IC_DIV);
}

static void test_validate_order(void **state)
{
	struct bpfrt_cost_model *cm = model();

	(void)state;
	cm->helper[5].best_ps = cm->helper[5].typical_ps + 1;
	expect_fault(cm, -EINVAL, BPFRT_CM_FAULT_ORDER, BPFRT_CM_PART_HELPER, 5);
	cm = model();
	cm->insn[BPFRT_IC_ALU64].worst_ps = cm->insn[BPFRT_IC_ALU64].typical_ps - 1;
	expect_fault(cm, -EINVAL, BPFRT_CM_FAULT_ORDER, BPFRT_CM_PART_INSN,
		     BPFRT_IC_ALU64);
}

static void test_validate_range(void **state)
{
	struct bpfrt_cost_model *cm = model();
	struct bpfrt_cm_where w;

	(void)state;
	cm->map_op[BPF_MAP_TYPE_HASH][BPFRT_MAP_OP_UPDATE].worst_ps =
		BPFRT_CM_MAX_PS + 1;
	assert_int_equal(bpfrt_cost_model_validate(cm, &w), -ERANGE);
	assert_int_equal(w.fault, BPFRT_CM_FAULT_RANGE);
	assert_int_equal(w.part, BPFRT_CM_PART_MAP_OP);
	assert_int_equal(w.index, BPF_MAP_TYPE_HASH);
	assert_int_equal(w.op, BPFRT_MAP_OP_UPDATE);
	cm->map_op[BPF_MAP_TYPE_HASH][BPFRT_MAP_OP_UPDATE].worst_ps =
		BPFRT_CM_MAX_PS;
	assert_int_equal(bpfrt_cost_model_validate(cm, NULL), 0);
}

static void test_validate_measured(void **state)
{
	struct bpfrt_cost_model *cm = model();

	(void)state;
	/* a measured bit on an entry with no cost */
	memset(&cm->helper[7], 0, sizeof(cm->helper[7]));
	cm->helper_measured[0] |= 1ULL << 7;
	expect_fault(cm, -EINVAL, BPFRT_CM_FAULT_MEASURED, BPFRT_CM_PART_HELPER, 7);
	/* on an instruction class slot beyond BPFRT_IC_NR */
	cm = model();
	cm->insn_measured |= 1u << (BPFRT_CM_INSN_CLASSES - 1);
	expect_fault(cm, -EINVAL, BPFRT_CM_FAULT_MEASURED, BPFRT_CM_PART_INSN,
		     BPFRT_CM_INSN_CLASSES - 1);
}

static void test_validate_unused(void **state)
{
	struct bpfrt_cost_model *cm = model();

	(void)state;
	cm->insn[BPFRT_IC_NR].worst_ps = 5;
	expect_fault(cm, -EINVAL, BPFRT_CM_FAULT_UNUSED, BPFRT_CM_PART_INSN,
		     BPFRT_IC_NR);
	cm = model();
	cm->helper[0].worst_ps = 5;	/* BPF_FUNC_unspec */
	expect_fault(cm, -EINVAL, BPFRT_CM_FAULT_UNUSED, BPFRT_CM_PART_HELPER, 0);
	cm = model();
	cm->map_op[3][BPFRT_MAP_OP_NR].best_ps = 1;
	expect_fault(cm, -EINVAL, BPFRT_CM_FAULT_UNUSED, BPFRT_CM_PART_MAP_OP, 3);
}

/* --- JSON files ---------------------------------------------------------- */

static struct costtab *table(void)
{
	struct costtab *t = calloc(1, sizeof(*t));
	struct bpfrt_cost c1 = { 90, 110, 250 }, c2 = { 30000, 45000, 90000 },
			  c3 = { 100000, 150000, 800000 };

	assert_non_null(t);
	costtab_init(t);
	snprintf(t->description, sizeof(t->description), "calibrated on test");
	snprintf(t->created, sizeof(t->created), "2025-01-02T03:04:05Z");
	snprintf(t->hostname, sizeof(t->hostname), "host \"quoted\"");
	snprintf(t->kernel_release, sizeof(t->kernel_release), "6.1.0-test");
	t->cpus = 2;
	t->quick = true;
	t->rounds = 12;
	t->quantile = 0.95;
	t->margin = 0.25;
	costtab_set_insn(t, BPFRT_IC_ALU64, &c1, true);
	t->insn[BPFRT_IC_ALU64].samples = 24;
	t->insn[BPFRT_IC_ALU64].discarded = 1;
	snprintf(t->insn[BPFRT_IC_ALU64].types, COSTTAB_STR, "sched_cls");
	costtab_set_helper(t, BPF_FUNC_ktime_get_ns, &c2, true);
	snprintf(t->helper[BPF_FUNC_ktime_get_ns].reason, COSTTAB_NOTE,
		 "16 calls per program");
	/* listed but not measured: keeps its default, with the reason */
	t->helper[BPF_FUNC_probe_write_user].present = true;
	snprintf(t->helper[BPF_FUNC_probe_write_user].reason, COSTTAB_NOTE,
		 "never called");
	costtab_set_map_op(t, BPF_MAP_TYPE_LRU_HASH, BPFRT_MAP_OP_UPDATE, &c3,
			   true);
	return t;
}

static void test_json_round_trip(void **state)
{
	struct costtab *t = table(), *u = calloc(1, sizeof(*u));
	char err[256], *text;

	(void)state;
	text = costtab_to_json(t, true);
	assert_non_null(text);
	assert_int_equal(costtab_from_json(text, u, err, sizeof(err)), 0);
	assert_memory_equal(&t->cm, &u->cm, sizeof(t->cm));
	assert_string_equal(u->description, "calibrated on test");
	assert_string_equal(u->hostname, "host \"quoted\"");
	assert_string_equal(u->kernel_release, "6.1.0-test");
	assert_int_equal(u->cpus, 2);
	assert_true(u->quick);
	assert_int_equal(u->rounds, 12);
	assert_true(u->margin == 0.25);
	assert_int_equal(u->insn[BPFRT_IC_ALU64].samples, 24);
	assert_int_equal(u->insn[BPFRT_IC_ALU64].discarded, 1);
	assert_string_equal(u->insn[BPFRT_IC_ALU64].types, "sched_cls");
	assert_true(costtab_helper_measured(u, BPF_FUNC_ktime_get_ns));
	assert_false(costtab_helper_measured(u, BPF_FUNC_probe_write_user));
	assert_true(u->helper[BPF_FUNC_probe_write_user].present);
	assert_string_equal(u->helper[BPF_FUNC_probe_write_user].reason,
			    "never called");
	assert_true(costtab_map_op_measured(u, BPF_MAP_TYPE_LRU_HASH,
					    BPFRT_MAP_OP_UPDATE));
	/* an entry the file does not list keeps the built-in value */
	assert_memory_equal(&u->cm.helper[BPF_FUNC_trace_printk],
			    &model()->helper[BPF_FUNC_trace_printk],
			    sizeof(struct bpfrt_cost));
	free(text);
	free(t);
	free(u);
}

/* Parses @text, expects -EINVAL and @what in the message. */
static void refused(const char *text, const char *what)
{
	struct costtab *t = calloc(1, sizeof(*t));
	char err[256] = "";

	assert_int_equal(costtab_from_json(text, t, err, sizeof(err)), -EINVAL);
	if (!strstr(err, what))
		fail_msg("message '%s' lacks '%s'", err, what);
	free(t);
}

#define HDR "\"format\": \"bpfrt-costs\", \"format_version\": 1, " \
	    "\"cost_model_version\": 1"

static void test_json_refused(void **state)
{
	(void)state;
	refused("{ not json", "not JSON");
	refused("[1, 2]", "not a JSON object");
	refused("{\"format\": \"other\"}", "not a cost table");
	refused("{\"format\": \"bpfrt-costs\", \"format_version\": 2, "
		"\"cost_model_version\": 1}", "format_version 2");
	refused("{\"format\": \"bpfrt-costs\", \"format_version\": 1, "
		"\"cost_model_version\": 9}", "cost_model_version 9");
	refused("{" HDR ", \"insns\": {\"bogus\": {\"best_ps\": 1, "
		"\"typical_ps\": 1, \"worst_ps\": 1}}}", "unknown instruction class");
	refused("{" HDR ", \"insns\": {\"alu64\": {\"best_ps\": 1}}}",
		"needs best_ps, typical_ps and worst_ps");
	refused("{" HDR ", \"insns\": {\"alu64\": {\"best_ps\": -1, "
		"\"typical_ps\": 1, \"worst_ps\": 1}}}", "negative");
	refused("{" HDR ", \"insns\": {\"alu64\": {\"best_ps\": \"1\", "
		"\"typical_ps\": 1, \"worst_ps\": 1}}}", "not an integer");
	refused("{" HDR ", \"helpers\": {\"no_such_helper\": {\"best_ps\": 1, "
		"\"typical_ps\": 1, \"worst_ps\": 1}}}", "unknown helper");
	refused("{" HDR ", \"map_ops\": {\"hash\": {\"frobnicate\": "
		"{\"best_ps\": 1, \"typical_ps\": 1, \"worst_ps\": 1}}}}",
		"unknown map operation");
	refused("{" HDR ", \"map_ops\": {\"no_map\": {}}}", "unknown map type");
	/* the table rules, through the file */
	refused("{" HDR ", \"insns\": {\"div\": {\"best_ps\": 9, "
		"\"typical_ps\": 5, \"worst_ps\": 10}}}",
		"insns.div: best, typical and worst are not in order");
	refused("{" HDR ", \"insns\": {\"div\": {\"best_ps\": 0, "
		"\"typical_ps\": 0, \"worst_ps\": 0}}}", "insns.div: no cost");
	refused("{" HDR ", \"helpers\": {\"bpf_ktime_get_ns\": {\"best_ps\": 1, "
		"\"typical_ps\": 1, \"worst_ps\": 2000000000000}}}",
		"above one second");
	refused("{" HDR ", \"helpers\": {\"bpf_ktime_get_ns\": {\"best_ps\": 0, "
		"\"typical_ps\": 0, \"worst_ps\": 0, \"measured\": true}}}",
		"marked measured but absent");
}

static void test_json_helper_by_id(void **state)
{
	struct costtab *t = calloc(1, sizeof(*t));
	char err[256];

	(void)state;
	/* an id the CLI has no name for (a newer kernel) round-trips */
	assert_int_equal(costtab_from_json("{" HDR ", \"helpers\": "
		"{\"helper_300\": {\"id\": 300, \"best_ps\": 1, "
		"\"typical_ps\": 2, \"worst_ps\": 3, \"measured\": true}}}",
		t, err, sizeof(err)), 0);
	assert_true(costtab_helper_measured(t, 300));
	assert_int_equal(t->cm.helper[300].worst_ps, 3);
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quantile_nearest_rank),
		cmocka_unit_test(test_unit_cost_basic),
		cmocka_unit_test(test_unit_cost_outlier_rule),
		cmocka_unit_test(test_unit_cost_errors),
		cmocka_unit_test(test_unit_cost_floor_and_order),
		cmocka_unit_test(test_cost_sub_add_envelope),
		cmocka_unit_test(test_validate_default_ok),
		cmocka_unit_test(test_validate_header),
		cmocka_unit_test(test_validate_missing),
		cmocka_unit_test(test_validate_order),
		cmocka_unit_test(test_validate_range),
		cmocka_unit_test(test_validate_measured),
		cmocka_unit_test(test_validate_unused),
		cmocka_unit_test(test_json_round_trip),
		cmocka_unit_test(test_json_refused),
		cmocka_unit_test(test_json_helper_by_id),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
