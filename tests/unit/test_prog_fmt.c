// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the pure formatting shared by `bpfrt prog`, `bpfrt events`
 * and `bpfrt estimate`: durations, shares, tags, the name tables (helpers
 * from both shapes of the kernel's helper mapper), flag names and texts,
 * contributors and the worst-case explanation. Every expected string is
 * worked out by hand from the rules in format.h.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <linux/bpf.h>

#include "format.h"
#include "names.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* --- durations --- */

static void expect_ns(__u64 ns, const char *want)
{
	char buf[FMT_DURATION_LEN];

	assert_string_equal(fmt_duration_ns(buf, sizeof(buf), ns), want);
}

static void expect_ps(__u64 ps, const char *want)
{
	char buf[FMT_DURATION_LEN];

	assert_string_equal(fmt_duration_ps(buf, sizeof(buf), ps), want);
}

static void test_duration_ns_small(void **state)
{
	(void)state;
	expect_ns(0, "0 ns");
	expect_ns(1, "1 ns");
	expect_ns(57, "57 ns");
	expect_ns(999, "999 ns");
}

static void test_duration_ns_units(void **state)
{
	(void)state;
	expect_ns(1000, "1.00 us");
	expect_ns(1234, "1.23 us");
	expect_ns(12345, "12.3 us");
	expect_ns(123456, "123 us");
	expect_ns(1000000, "1.00 ms");
	expect_ns(1234567, "1.23 ms");
	expect_ns(8390000, "8.39 ms");
	expect_ns(1000000000, "1.00 s");
	expect_ns(8388608000ULL, "8.39 s");
	expect_ns(999000000000ULL, "999 s");
}

static void test_duration_ns_rounding(void **state)
{
	(void)state;
	/* half up at the third significant digit */
	expect_ns(1004, "1.00 us");
	expect_ns(1005, "1.01 us");
	expect_ns(12349, "12.3 us");
	expect_ns(12350, "12.4 us");
	/* rounding up can carry into the next unit */
	expect_ns(9995, "10.0 us");
	expect_ns(999499, "999 us");
	expect_ns(999500, "1.00 ms");
	expect_ns(999999999, "1.00 s");
}

static void test_duration_ns_large(void **state)
{
	(void)state;
	/* from 1000 s on: whole seconds, rounded half up */
	expect_ns(999400000000ULL, "999 s");
	expect_ns(999500000000ULL, "1000 s");
	expect_ns(1234000000000ULL, "1234 s");
	expect_ns(1234500000000ULL, "1235 s");
	/* U64 max is BPFRT_UNBOUNDED; one less is a real (huge) number */
	expect_ns(UINT64_MAX, "unbounded");
	expect_ns(BPFRT_UNBOUNDED, "unbounded");
	expect_ns(UINT64_MAX - 1, "18446744074 s");
}

static void test_duration_ps(void **state)
{
	(void)state;
	expect_ps(0, "0 ps");
	expect_ps(999, "999 ps");
	expect_ps(1000, "1.00 ns");
	expect_ps(1500, "1.50 ns");
	expect_ps(70000000, "70.0 us");
	expect_ps(176000000, "176 us");
	expect_ps(8138000000ULL, "8.14 ms");
	expect_ps(1000000000000ULL, "1.00 s");
	expect_ps(1234000000000000ULL, "1234 s");
	expect_ps(UINT64_MAX, "unbounded");
	/* 18446744.073709551614 s */
	expect_ps(UINT64_MAX - 1, "18446744 s");
}

static void test_duration_truncates(void **state)
{
	char buf[4];

	(void)state;
	/* a short buffer gets a terminated prefix, never an overflow */
	assert_string_equal(fmt_duration_ns(buf, sizeof(buf), 1234), "1.2");
}

/* --- shares and tags --- */

static void expect_share(__u32 pm, const char *want)
{
	char buf[16];

	assert_string_equal(fmt_share_pm(buf, sizeof(buf), pm), want);
}

static void test_share(void **state)
{
	(void)state;
	expect_share(0, "<0.1%");
	expect_share(1, "0.1%");
	expect_share(21, "2.1%");
	expect_share(99, "9.9%");
	expect_share(100, "10%");
	expect_share(104, "10%");
	expect_share(105, "11%");
	expect_share(970, "97%");
	expect_share(995, "100%");
	expect_share(1000, "100%");
}

static void test_tag(void **state)
{
	const __u8 tag[BPFRT_TAG_SIZE] = { 0x01, 0x23, 0x45, 0x67,
					   0x89, 0xab, 0xcd, 0xef };
	char buf[FMT_TAG_LEN];

	(void)state;
	assert_string_equal(fmt_tag(buf, sizeof(buf), tag), "0123456789abcdef");
}

/* --- name tables --- */

static void test_prog_type_names(void **state)
{
	(void)state;
	assert_string_equal(prog_type_name(BPF_PROG_TYPE_XDP), "xdp");
	assert_string_equal(prog_type_name(6), "xdp");
	assert_string_equal(prog_type_name(5), "tracepoint");
	assert_string_equal(prog_type_name(0), "unspec");
	assert_string_equal(prog_type_name(BPF_PROG_TYPE_SYSCALL), "syscall");
	/* newer than Debian 12's headers: by its fixed number */
	assert_string_equal(prog_type_name(32), "netfilter");
	assert_null(prog_type_name(1000));
	assert_null(prog_type_name(UINT32_MAX));
}

static void test_map_type_names(void **state)
{
	(void)state;
	assert_string_equal(map_type_name(1), "hash");
	assert_string_equal(map_type_name(BPF_MAP_TYPE_ARRAY), "array");
	assert_string_equal(map_type_name(BPF_MAP_TYPE_USER_RINGBUF),
			    "user_ringbuf");
	assert_string_equal(map_type_name(32), "cgrp_storage");
	assert_string_equal(map_type_name(33), "arena");
	assert_null(map_type_name(1000));
}

static void test_helper_names(void **state)
{
	(void)state;
	assert_null(helper_name(0));		/* BPF_FUNC_unspec */
	assert_string_equal(helper_name(1), "bpf_map_lookup_elem");
	assert_string_equal(helper_name(5), "bpf_ktime_get_ns");
	assert_string_equal(helper_name(181), "bpf_loop");
	assert_string_equal(helper_name(BPF_FUNC_loop), "bpf_loop");
	/* added in 6.2; the fallback table names them on older headers */
	assert_string_equal(helper_name(210), "bpf_cgrp_storage_get");
	assert_string_equal(helper_name(211), "bpf_cgrp_storage_delete");
	assert_null(helper_name(212));
	assert_null(helper_name(UINT32_MAX));
}

/*
 * The helper table is generated with BPFRT_HELPER_NAME_ENTRY from the
 * headers' mapper. These fakes have the mapper's shapes: 6.1's FN(name)
 * list separated by commas, 6.2's inner ___BPF_FUNC_MAPPER(FN, ctx) that
 * passes FN(name, id) through its compatibility wrapper, and FN(name, id)
 * called directly.
 */
#define FAKE_MAPPER_61(FN)	\
	FN(unspec),		\
	FN(map_lookup_elem),	\
	FN(map_update_elem),	\
	/* */

#define FAKE___MAPPER_62(FN, ctx...)	\
	FN(unspec, 0, ##ctx)		\
	FN(map_lookup_elem, 1, ##ctx)	\
	FN(ktime_get_ns, 5, ##ctx)	\
	/* */
#define FAKE_MAPPER_APPLY(name, value, FN) FN(name),
#define FAKE_MAPPER_62(FN) FAKE___MAPPER_62(FAKE_MAPPER_APPLY, FN)

#define FAKE_MAPPER_IDS(FN)	\
	FN(unspec, 0),		\
	FN(ktime_get_ns, 5),	\
	FN(loop, 181),		\
	/* */

static const char *const fake_61[] = {
	FAKE_MAPPER_61(BPFRT_HELPER_NAME_ENTRY)
};
static const char *const fake_62[] = {
	FAKE_MAPPER_62(BPFRT_HELPER_NAME_ENTRY)
};
static const char *const fake_ids[] = {
	FAKE_MAPPER_IDS(BPFRT_HELPER_NAME_ENTRY)
};

static void test_helper_mapper_shapes(void **state)
{
	(void)state;
	assert_int_equal(ARRAY_SIZE(fake_61), 3);
	assert_string_equal(fake_61[0], "bpf_unspec");
	assert_string_equal(fake_61[1], "bpf_map_lookup_elem");
	assert_string_equal(fake_61[2], "bpf_map_update_elem");

	assert_int_equal(ARRAY_SIZE(fake_62), 6);
	assert_string_equal(fake_62[1], "bpf_map_lookup_elem");
	assert_null(fake_62[2]);
	assert_string_equal(fake_62[5], "bpf_ktime_get_ns");

	assert_int_equal(ARRAY_SIZE(fake_ids), 182);
	assert_string_equal(fake_ids[5], "bpf_ktime_get_ns");
	assert_string_equal(fake_ids[181], "bpf_loop");
}

static void test_small_tables(void **state)
{
	(void)state;
	assert_string_equal(map_op_name(BPFRT_MOP_LOOKUP), "lookup");
	assert_string_equal(map_op_name(BPFRT_MOP_LOOKUP_PERCPU),
			    "lookup_percpu");
	assert_null(map_op_name(9));
	assert_string_equal(contrib_kind_name(BPFRT_CONTRIB_INSNS), "insns");
	assert_string_equal(contrib_kind_name(BPFRT_CONTRIB_UNKNOWN_CALL),
			    "unknown_call");
	assert_null(contrib_kind_name(9));
	assert_string_equal(site_kind_name(BPFRT_SITE_MAP_OP), "map_op");
	assert_string_equal(site_kind_name(BPFRT_SITE_UNKNOWN), "unknown");
	assert_null(site_kind_name(5));
	assert_null(event_type_name(0));
	assert_string_equal(event_type_name(BPFRT_EV_PROG_ESTIMATED),
			    "prog_estimated");
	assert_string_equal(event_type_name(BPFRT_EV_PROG_FREED), "prog_freed");
	assert_string_equal(event_type_name(BPFRT_EV_LOST), "lost");
	assert_string_equal(event_type_name(BPFRT_EV_PROG_REJECTED),
			    "prog_rejected");
	assert_string_equal(event_type_name(BPFRT_EV_PROG_OVER_LIMIT),
			    "prog_over_limit");
	assert_null(event_type_name(6));
}

/* --- flags --- */

static void test_flag_tables_complete(void **state)
{
	int bit;

	(void)state;
	/* every bit the uapi defines has a name and an explanation */
	for (bit = 0; bit <= 7; bit++) {
		const struct flag_desc *d = flag_desc_find(prog_flag_descs,
							   1U << bit);

		assert_non_null(d);
		assert_true(strlen(d->name) > 0 && strlen(d->text) > 0);
	}
	assert_null(flag_desc_find(prog_flag_descs, 1U << 8));
	for (bit = 0; bit <= 12; bit++) {
		const struct flag_desc *d = flag_desc_find(est_flag_descs,
							   1U << bit);

		assert_non_null(d);
		assert_true(strlen(d->name) > 0 && strlen(d->text) > 0);
	}
	assert_null(flag_desc_find(est_flag_descs, 1U << 13));
}

static void test_flag_texts(void **state)
{
	(void)state;
	assert_string_equal(flag_desc_find(est_flag_descs,
					   BPFRT_EST_F_TAIL_CALL)->text,
			    "tail calls: the called programs are not included");
	assert_string_equal(flag_desc_find(est_flag_descs,
					   BPFRT_EST_F_LOOP_CAPPED)->text,
			    "loop count capped at the kernel maximum (a loop "
			    "helper's count, such as bpf_loop's, is not a "
			    "constant)");
	assert_string_equal(flag_desc_find(prog_flag_descs,
					   BPFRT_PROG_F_JITED)->text,
			    "runs as JIT code");
	assert_string_equal(flag_desc_find(prog_flag_descs,
					   BPFRT_PROG_F_EST_FAILED)->name,
			    "est_failed");
}

static void test_flags_names(void **state)
{
	char buf[128], small[12];

	(void)state;
	assert_string_equal(flags_names(buf, sizeof(buf), 0, prog_flag_descs,
					","), "");
	assert_string_equal(flags_names(buf, sizeof(buf),
					BPFRT_PROG_F_JITED |
					BPFRT_PROG_F_TERMINABLE | (1U << 20),
					prog_flag_descs, ","),
			    "jited,terminable,bit20");
	assert_string_equal(flags_names(buf, sizeof(buf),
					BPFRT_EST_F_TAIL_CALL |
					BPFRT_EST_F_LOOP_CAPPED,
					est_flag_descs, " "),
			    "loop_capped tail_call");
	assert_string_equal(flags_names(buf, sizeof(buf), 1U << 31,
					est_flag_descs, ","), "bit31");
	/* truncation keeps whole names: "jited,terminable" needs 17 bytes */
	assert_string_equal(flags_names(small, sizeof(small),
					BPFRT_PROG_F_JITED |
					BPFRT_PROG_F_TERMINABLE,
					prog_flag_descs, ","), "jited");
}

/* --- contributors and the explanation --- */

static const struct bpfrt_map_desc test_maps[] = {
	{ .id = 5, .type = BPF_MAP_TYPE_HASH, .max_entries = 1024,
	  .key_size = 4, .value_size = 8, .name = "counts" },
	{ .id = 9, .type = BPF_MAP_TYPE_ARRAY, .max_entries = 1,
	  .key_size = 4, .value_size = 4, .name = "" },
	{ .id = 11, .type = 77, .max_entries = 1, .name = "odd" },
};

static void expect_contrib(const struct bpfrt_contrib *c, const char *want)
{
	char buf[FMT_CONTRIB_LEN];

	assert_string_equal(fmt_contrib(buf, sizeof(buf), c, test_maps,
					ARRAY_SIZE(test_maps)), want);
}

static void test_contrib_kinds(void **state)
{
	struct bpfrt_contrib c;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.kind = BPFRT_CONTRIB_HELPER;
	c.insn = 7;
	c.id = 1;
	c.multiplier = 1;
	expect_contrib(&c, "helper bpf_map_lookup_elem at func 0 insn 7, run once");
	c.id = 4000;
	c.multiplier = 2;
	expect_contrib(&c, "helper 4000 at func 0 insn 7, run 2 times");

	c.kind = BPFRT_CONTRIB_INSNS;
	c.func = 1;
	c.insn = 0;
	c.multiplier = 8388608;
	expect_contrib(&c, "the instructions of func 1, run 8388608 times");

	c.kind = BPFRT_CONTRIB_LOOP;
	c.func = 0;
	c.insn = 4;
	c.multiplier = 100;
	expect_contrib(&c, "the loop body at func 0 insn 4, 100 iterations");
	c.multiplier = 1;
	expect_contrib(&c, "the loop body at func 0 insn 4, 1 iteration");

	c.kind = BPFRT_CONTRIB_CALL;
	c.insn = 5;
	c.id = 2;
	expect_contrib(&c, "the call overhead of func 2 at func 0 insn 5, run once");

	c.kind = BPFRT_CONTRIB_CALLBACK;
	c.insn = 3;
	c.id = 1;
	c.multiplier = 8388608;
	expect_contrib(&c, "the invocations of callback func 1 at func 0 insn 3, run 8388608 times");

	c.multiplier = 1;
	c.kind = BPFRT_CONTRIB_KFUNC;
	c.insn = 9;
	expect_contrib(&c, "kfunc call at func 0 insn 9, run once");
	c.kind = BPFRT_CONTRIB_TAIL_CALL;
	c.insn = 20;
	expect_contrib(&c, "tail call at func 0 insn 20, run once");
	c.kind = BPFRT_CONTRIB_UNKNOWN_CALL;
	c.insn = 1;
	expect_contrib(&c, "a call to an unknown target at func 0 insn 1, run once");
	c.kind = 99;
	c.insn = 0;
	expect_contrib(&c, "contributor of kind 99 at func 0 insn 0, run once");
}

static void test_contrib_map_ops(void **state)
{
	struct bpfrt_contrib c;
	char buf[FMT_CONTRIB_LEN];

	(void)state;
	memset(&c, 0, sizeof(c));
	c.kind = BPFRT_CONTRIB_MAP_OP;
	c.op = BPFRT_MOP_UPDATE;
	c.insn = 12;
	c.id = 0;
	c.multiplier = 3;
	expect_contrib(&c, "map update on map 'counts' (hash) at func 0 insn 12, run 3 times");
	c.op = BPFRT_MOP_LOOKUP;
	c.multiplier = 1;
	c.id = 1;	/* no name: the map id */
	expect_contrib(&c, "map lookup on map id 9 (array) at func 0 insn 12, run once");
	c.id = 2;	/* a map type newer than this CLI */
	expect_contrib(&c, "map lookup on map 'odd' (type 77) at func 0 insn 12, run once");
	c.id = 5;	/* beyond the maps known */
	expect_contrib(&c, "map lookup on map #5 at func 0 insn 12, run once");
	c.id = UINT32_MAX;	/* the analyzer could not tell which map */
	expect_contrib(&c, "map lookup on an unknown map at func 0 insn 12, run once");
	c.id = 0;
	c.op = 42;
	expect_contrib(&c, "map op 42 on map 'counts' (hash) at func 0 insn 12, run once");
	/* without a map table (NULL) only the index is known */
	c.op = BPFRT_MOP_DELETE;
	assert_string_equal(fmt_contrib(buf, sizeof(buf), &c, NULL, 0),
			    "map delete on map #0 at func 0 insn 12, run once");
}

static const struct bpfrt_contrib loop_contribs[] = {
	{ .func = 1, .insn = 0, .kind = BPFRT_CONTRIB_INSNS,
	  .multiplier = 8388608, .cost_ps = 8138000000ULL, .share_pm = 970 },
	{ .func = 0, .insn = 3, .kind = BPFRT_CONTRIB_HELPER, .id = 181,
	  .multiplier = 1, .cost_ps = 176000000, .share_pm = 21 },
};

static void test_explanation(void **state)
{
	char buf[FMT_EXPLAIN_LEN];

	(void)state;
	/* 970 + 21 = 991 per mille: the 0.9% left is below 1%, not shown */
	assert_string_equal(fmt_worst_explanation(buf, sizeof(buf),
				8390000000ULL, loop_contribs, 2, NULL, 0),
		"worst case 8.39 ms: 97% is the instructions of func 1, run "
		"8388608 times; 2.1% is helper bpf_loop at func 0 insn 3, run "
		"once");
}

static void test_explanation_elsewhere_and_maps(void **state)
{
	const struct bpfrt_contrib c[] = {
		{ .kind = BPFRT_CONTRIB_MAP_OP, .op = BPFRT_MOP_LOOKUP,
		  .insn = 7, .id = 0, .multiplier = 1, .share_pm = 600 },
		{ .kind = BPFRT_CONTRIB_INSNS, .multiplier = 1,
		  .share_pm = 300 },
	};
	char buf[FMT_EXPLAIN_LEN];

	(void)state;
	assert_string_equal(fmt_worst_explanation(buf, sizeof(buf), 1234000,
				c, 2, test_maps, ARRAY_SIZE(test_maps)),
		"worst case 1.23 us: 60% is map lookup on map 'counts' (hash) "
		"at func 0 insn 7, run once; 30% is the instructions of func 0, "
		"run once; 10% elsewhere");
}

static void test_explanation_edge_cases(void **state)
{
	const struct bpfrt_contrib loop = {
		.kind = BPFRT_CONTRIB_LOOP, .insn = 4,
		.multiplier = 4294967295ULL, .cost_ps = BPFRT_UNBOUNDED,
	};
	char buf[FMT_EXPLAIN_LEN], small[32];

	(void)state;
	assert_string_equal(fmt_worst_explanation(buf, sizeof(buf), 1234000,
						  NULL, 0, NULL, 0),
			    "worst case 1.23 us (no breakdown available)");
	assert_string_equal(fmt_worst_explanation(buf, sizeof(buf),
						  BPFRT_UNBOUNDED, NULL, 0,
						  NULL, 0),
			    "worst case unbounded");
	assert_string_equal(fmt_worst_explanation(buf, sizeof(buf),
						  BPFRT_UNBOUNDED, &loop, 1,
						  NULL, 0),
			    "worst case unbounded; largest known contributors: "
			    "the loop body at func 0 insn 4, 4294967295 "
			    "iterations");
	/* a short buffer: a terminated prefix of the whole sentence */
	fmt_worst_explanation(small, sizeof(small), 8390000000ULL,
			      loop_contribs, 2, NULL, 0);
	assert_int_equal(strlen(small), sizeof(small) - 1);
	assert_memory_equal(small, "worst case 8.39 ms: 97% is the ",
			    sizeof(small) - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_duration_ns_small),
		cmocka_unit_test(test_duration_ns_units),
		cmocka_unit_test(test_duration_ns_rounding),
		cmocka_unit_test(test_duration_ns_large),
		cmocka_unit_test(test_duration_ps),
		cmocka_unit_test(test_duration_truncates),
		cmocka_unit_test(test_share),
		cmocka_unit_test(test_tag),
		cmocka_unit_test(test_prog_type_names),
		cmocka_unit_test(test_map_type_names),
		cmocka_unit_test(test_helper_names),
		cmocka_unit_test(test_helper_mapper_shapes),
		cmocka_unit_test(test_small_tables),
		cmocka_unit_test(test_flag_tables_complete),
		cmocka_unit_test(test_flag_texts),
		cmocka_unit_test(test_flags_names),
		cmocka_unit_test(test_contrib_kinds),
		cmocka_unit_test(test_contrib_map_ops),
		cmocka_unit_test(test_explanation),
		cmocka_unit_test(test_explanation_elsewhere_and_maps),
		cmocka_unit_test(test_explanation_edge_cases),
	};

	return cmocka_run_group_tests_name("prog_fmt", tests, NULL, NULL);
}
