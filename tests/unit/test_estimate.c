// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of `bpfrt estimate`'s pure parts: the analyzer input built
 * from relocated instructions (function split, map indices in first
 * reference order as the verifier's used_maps, errors with their
 * position), the text and JSON output, and the command's argument and
 * file errors. Hostile instruction streams never crash the builder or the
 * analyzer. Objects compiled by clang are covered by tests/estimate-host.sh.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "analyzer_test_insns.h"
#include "cli.h"
#include "estimate.h"

#define MAP_IDX(d, idx)		LD_IMM64(d, BPF_PSEUDO_MAP_IDX, idx)
#define MAP_VAL(d, idx)		LD_IMM64(d, BPF_PSEUDO_MAP_IDX_VALUE, idx)
#define LD_FUNC(d, rel)		LD_IMM64(d, BPF_PSEUDO_FUNC, rel)

/* An object with three maps: 0 array "arr", 1 hash "counts", 2 ".bss". */
static const struct est_obj_map omaps[] = {
	{ "arr", BPF_MAP_TYPE_ARRAY, 256, 4, 8 },
	{ "counts", BPF_MAP_TYPE_HASH, 1000, 4, 8 },
	{ "x.bss", BPF_MAP_TYPE_ARRAY, 1, 4, 16 },
};

/* --- input --- */

static void test_single_function(void **state)
{
	const struct bpf_insn insns[] = {
		MOV64_IMM(BPF_REG_0, 2),
		EXIT(),
	};
	struct est_input in;

	(void)state;
	assert_int_equal(est_input_build(&in, insns, ARRAY_LEN(insns), omaps,
					 3, BPF_PROG_TYPE_XDP), 0);
	assert_int_equal(in.prog.func_cnt, 1);
	assert_int_equal(in.prog.funcs[0].insn_cnt, 2);
	assert_int_equal(in.map_cnt, 0);
	assert_int_equal(in.prog.flags, 0);
	est_input_free(&in);
}

/*
 * Maps are numbered by first reference, as the verifier fills used_maps:
 * the object's map 2 first, then 0; map 2 again keeps index 0, and a
 * value reference (MAP_IDX_VALUE) counts as a reference to the map.
 */
static void test_map_order(void **state)
{
	const struct bpf_insn insns[] = {
		MAP_VAL(BPF_REG_6, 2),		/* 0: .bss value */
		MAP_IDX(BPF_REG_1, 0),		/* 2: arr */
		MAP_IDX(BPF_REG_1, 2),		/* 4: .bss again */
		MOV64_IMM(BPF_REG_0, 0),
		EXIT(),
	};
	struct est_input in;

	(void)state;
	assert_int_equal(est_input_build(&in, insns, ARRAY_LEN(insns), omaps,
					 3, BPF_PROG_TYPE_XDP), 0);
	assert_int_equal(in.map_cnt, 2);
	assert_int_equal(in.obj_map[0], 2);
	assert_int_equal(in.obj_map[1], 0);
	assert_int_equal(in.maps[0].type, BPF_MAP_TYPE_ARRAY);
	assert_int_equal(in.maps[0].value_size, 16);
	assert_int_equal(in.maps[1].max_entries, 256);
	assert_int_equal(in.annot[0].kind, BPFRT_AN_K_LD_MAP_VALUE);
	assert_int_equal(in.annot[0].id, 0);
	assert_int_equal(in.annot[2].kind, BPFRT_AN_K_LD_MAP);
	assert_int_equal(in.annot[2].id, 1);
	assert_int_equal(in.annot[4].kind, BPFRT_AN_K_LD_MAP);
	assert_int_equal(in.annot[4].id, 0);
	assert_int_equal(in.prog.map_cnt, 2);
	est_input_free(&in);
}

/* A constant ld_imm64 is a constant, whatever its value. */
static void test_const_ld(void **state)
{
	const struct bpf_insn insns[] = {
		LD_IMM64(BPF_REG_1, 0, 1),
		MOV64_IMM(BPF_REG_0, 0),
		EXIT(),
	};
	struct est_input in;

	(void)state;
	assert_int_equal(est_input_build(&in, insns, ARRAY_LEN(insns), omaps,
					 3, BPF_PROG_TYPE_XDP), 0);
	assert_int_equal(in.map_cnt, 0);
	assert_int_equal(in.annot[0].kind, BPFRT_AN_K_LD_CONST);
	est_input_free(&in);
}

/* Subprograms appended by libbpf become functions 1.. in order. */
static void test_functions(void **state)
{
	const struct bpf_insn insns[] = {
		CALL_REL(4),			/* 0: -> 5 */
		LD_FUNC(BPF_REG_2, 5),		/* 1: -> 7 */
		MOV64_IMM(BPF_REG_0, 0),	/* 3 */
		EXIT(),				/* 4 */
		MOV64_IMM(BPF_REG_0, 1),	/* 5: func 1 */
		EXIT(),
		MOV64_IMM(BPF_REG_0, 0),	/* 7: func 2, a callback */
		EXIT(),
	};
	struct est_input in;

	(void)state;
	assert_int_equal(est_input_build(&in, insns, ARRAY_LEN(insns), omaps,
					 3, BPF_PROG_TYPE_EXT), 0);
	assert_int_equal(in.prog.func_cnt, 3);
	assert_int_equal(in.prog.funcs[1].insn_cnt, 2);
	assert_ptr_equal(in.prog.funcs[2].insns, &insns[7]);
	assert_int_equal(in.annot[0].kind, BPFRT_AN_K_FUNC);
	assert_int_equal(in.annot[0].id, 1);
	assert_int_equal(in.annot[1].kind, BPFRT_AN_K_LD_FUNC);
	assert_int_equal(in.annot[1].id, 2);
	assert_int_equal(in.prog.flags, BPFRT_AN_PROG_EXTENSION);
	est_input_free(&in);
}

/* Call sites as prog show names them; a tail call is bpf_tail_call. */
static void test_sites(void **state)
{
	const struct bpf_insn insns[] = {
		CALL(BPF_FUNC_ktime_get_ns),		/* 0 */
		CALL_REL(3),				/* 1: -> 5 */
		CALL(BPF_FUNC_tail_call),		/* 2 */
		MOV64_IMM(BPF_REG_0, 0),
		EXIT(),
		I(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_KFUNC_CALL, 0, 77), /* 5 */
		EXIT(),
	};
	struct est_site *s;
	struct est_input in;

	(void)state;
	assert_int_equal(est_input_build(&in, insns, ARRAY_LEN(insns), omaps,
					 3, BPF_PROG_TYPE_XDP), 0);
	assert_int_equal(est_input_sites(&in, &s), 4);
	assert_int_equal(s[0].kind, BPFRT_SITE_HELPER);
	assert_int_equal(s[0].id, BPF_FUNC_ktime_get_ns);
	assert_int_equal(s[1].kind, BPFRT_SITE_FUNC);
	assert_int_equal(s[1].id, 1);
	assert_int_equal(s[2].kind, BPFRT_SITE_HELPER);
	assert_int_equal(s[2].id, BPF_FUNC_tail_call);
	assert_int_equal(s[3].kind, BPFRT_SITE_KFUNC);
	assert_int_equal(s[3].func, 1);
	assert_int_equal(s[3].insn, 0);
	assert_int_equal(s[3].id, 77);
	free(s);
	est_input_free(&in);
}

static void expect_bad(const struct bpf_insn *insns, __u32 cnt, int err,
		       __u32 where)
{
	struct est_input in;

	assert_int_equal(est_input_build(&in, insns, cnt, omaps, 3,
					 BPF_PROG_TYPE_XDP), err);
	assert_int_equal(in.err_insn, where);
	est_input_free(&in);
}

static void test_errors(void **state)
{
	const struct bpf_insn truncated[] = {
		MOV64_IMM(BPF_REG_0, 0),
		I(BPF_LD | BPF_DW | BPF_IMM, 1, 0, 0, 0),
	};
	const struct bpf_insn call_out[] = {
		MOV64_IMM(BPF_REG_0, 0),
		CALL_REL(7),
		EXIT(),
	};
	const struct bpf_insn call_back[] = {
		MOV64_IMM(BPF_REG_0, 0),
		EXIT(),
		CALL_REL(-4),
		EXIT(),
	};
	const struct bpf_insn into_ld[] = {
		CALL_REL(1),			/* -> 2, the second slot */
		LD_IMM64(BPF_REG_1, 0, 5),
		EXIT(),
	};
	const struct bpf_insn bad_map[] = {
		MOV64_IMM(BPF_REG_0, 0),
		MAP_IDX(BPF_REG_1, 3),		/* the object has 3 maps */
		EXIT(),
	};
	const struct bpf_insn bad_cb[] = {
		LD_FUNC(BPF_REG_2, 100),
		EXIT(),
	};
	struct est_input in;

	(void)state;
	expect_bad(truncated, ARRAY_LEN(truncated), -EINVAL, 1);
	expect_bad(call_out, ARRAY_LEN(call_out), -EINVAL, 1);
	expect_bad(call_back, ARRAY_LEN(call_back), -EINVAL, 2);
	expect_bad(into_ld, ARRAY_LEN(into_ld), -EINVAL, 0);
	expect_bad(bad_map, ARRAY_LEN(bad_map), -EINVAL, 1);
	expect_bad(bad_cb, ARRAY_LEN(bad_cb), -EINVAL, 0);
	assert_int_equal(est_input_build(&in, NULL, 0, omaps, 3, 0), -EINVAL);
	est_input_free(&in);
}

/* More distinct maps than the kernel's MAX_USED_MAPS: -E2BIG. */
static void test_too_many_maps(void **state)
{
	__u32 n = BPFRT_AN_MAX_MAPS + 1, i;
	struct bpf_insn *insns = calloc(2 * n + 2, sizeof(*insns));
	struct est_obj_map *many = calloc(n, sizeof(*many));
	struct est_input in;

	(void)state;
	assert_non_null(insns);
	assert_non_null(many);
	for (i = 0; i < n; i++) {
		struct bpf_insn ld[] = { MAP_IDX(BPF_REG_1, (int)i) };

		memcpy(&insns[2 * i], ld, sizeof(ld));
		many[i].type = BPF_MAP_TYPE_ARRAY;
		many[i].max_entries = 1;
	}
	insns[2 * n] = MOV64_IMM(BPF_REG_0, 0);
	insns[2 * n + 1] = EXIT();
	assert_int_equal(est_input_build(&in, insns, 2 * n + 2, many, n, 0),
			 -E2BIG);
	est_input_free(&in);
	/* exactly the limit is fine */
	insns[2 * (n - 1)] = MOV64_IMM(BPF_REG_0, 0);
	insns[2 * (n - 1) + 1] = EXIT();
	assert_int_equal(est_input_build(&in, insns, 2 * n, many, n, 0), 0);
	assert_int_equal(in.map_cnt, BPFRT_AN_MAX_MAPS);
	est_input_free(&in);
	free(insns);
	free(many);
}

/*
 * The whole path with the analyzer: a hash lookup through a helper call is
 * costed as a lookup on that hash map (the map in R1), named in the
 * explanation; worst = 5 instructions + the map op (test cost model).
 */
static void test_estimate_helper_map(void **state)
{
	const struct bpf_insn insns[] = {
		MAP_IDX(BPF_REG_1, 1),			/* counts */
		MOV64_REG(BPF_REG_2, BPF_REG_10),
		CALL(BPF_FUNC_map_lookup_elem),
		MOV64_IMM(BPF_REG_0, 0),
		EXIT(),
	};
	struct bpfrt_cost_model cm;
	struct est_input in;
	struct est_prog p = { .name = "look", .section = "xdp",
			      .type = BPF_PROG_TYPE_XDP };
	struct bpfrt_contrib c[BPFRT_MAX_CONTRIB];
	char *out = NULL;
	size_t len = 0;
	struct cli_ctx ctx = { 0 };
	struct est_costs costs = { .source = EST_COSTS_BUILTIN,
				   .description = "test" };
	__u32 n, i;

	(void)state;
	test_cost_model(&cm);
	assert_int_equal(est_input_build(&in, insns, ARRAY_LEN(insns), omaps,
					 3, BPF_PROG_TYPE_XDP), 0);
	assert_int_equal(bpfrt_an_estimate(&in.prog, &cm, &p.res), 0);
	assert_int_equal(p.res.worst_ps, 4 * NPS + M_WORST);
	p.insn_cnt = ARRAY_LEN(insns);
	p.func_cnt = in.prog.func_cnt;
	p.map_cnt = in.map_cnt;
	strcpy(p.maps[0].name, omaps[1].name);
	p.maps[0].type = omaps[1].type;
	est_input_free(&in);

	n = est_contribs(&p, c);
	assert_true(n >= 2);
	for (i = 0; i < n; i++)
		if (c[i].kind == BPFRT_CONTRIB_MAP_OP)
			break;
	assert_true(i < n);
	assert_int_equal(c[i].id, 0);
	assert_int_equal(c[i].op, BPFRT_MOP_LOOKUP);
	assert_int_equal(c[i].cost_ps, M_WORST);

	ctx.out = open_memstream(&out, &len);
	ctx.err = stderr;
	assert_int_equal(est_print(&ctx, "f.o", &costs, &p, 1, false), 0);
	fclose(ctx.out);
	assert_non_null(strstr(out, "costs: bpfrt's built-in table, test\n"));
	assert_non_null(strstr(out, "look: xdp  section xdp  worst 24 ns  best "));
	assert_non_null(strstr(out, "  insns 6  funcs 1\n"));
	assert_non_null(strstr(out, "\tworst case 24.0 ns: 83% is map lookup on map 'counts' (hash) at func 0 insn 3, run once"));
	free(out);
}

/* JSON: prog show's names; a failed program has nulls and the reason. */
static void test_json(void **state)
{
	struct est_prog p[2] = {
		{ .name = "ok", .section = "xdp", .type = BPF_PROG_TYPE_XDP,
		  .insn_cnt = 2, .func_cnt = 1 },
		{ .name = "bad", .section = "ext/x", .type = BPF_PROG_TYPE_EXT,
		  .insn_cnt = 3, .err = -EINVAL, .err_what = "analyzer",
		  .err_detail = "at func 0 insn 2" },
	};
	struct est_costs costs = { .source = EST_COSTS_MODULE,
				   .module_source = BPFRT_COSTS_UPLOADED,
				   .description = "uploaded" };
	struct cli_ctx ctx = { .json = true };
	char *out = NULL;
	size_t len = 0;

	(void)state;
	p[0].res.best_ns = 1;
	p[0].res.worst_ns = 7;
	p[0].res.worst_ps = 6500;
	p[0].res.flags = BPFRT_AN_F_TAIL_CALL;
	ctx.out = open_memstream(&out, &len);
	ctx.err = stderr;
	assert_int_equal(est_print(&ctx, "f.o", &costs, p, 2, false), 0);
	fclose(ctx.out);
	assert_non_null(strstr(out, "{\"file\":\"f.o\",\"costs\":{\"table\":\"module\",\"module_source\":\"uploaded\",\"description\":\"uploaded\"},\"programs\":[{"));
	assert_non_null(strstr(out, "\"name\":\"ok\",\"type\":\"xdp\",\"section\":\"xdp\",\"best_ns\":1,\"worst_ns\":7,\"insn_cnt\":2,\"func_cnt\":1,\"flags\":[],\"estimate_flags\":[\"tail_call\"],\"est_errno\":0,"));
	assert_non_null(strstr(out, "\"worst_explanation\":\"worst case 6.50 ns (no breakdown available)\""));
	assert_non_null(strstr(out, "\"name\":\"bad\",\"type\":\"ext\",\"section\":\"ext/x\",\"best_ns\":null,\"worst_ns\":null,\"insn_cnt\":3,\"func_cnt\":0,\"flags\":[\"est_failed\",\"ext\"],\"estimate_flags\":[],\"est_errno\":22,\"est_error\":\"Invalid argument, analyzer: at func 0 insn 2\""));
	assert_non_null(strstr(out, "\"worst_explanation\":null,\"contributors\":[],\"map_cnt\":0,\"maps\":[],\"site_cnt\":0,\"call_sites\":[]}]}\n"));
	free(out);
}

/* --- the command's own errors (no object needed) --- */

struct run {
	char *out, *err;
	size_t out_len, err_len;
	int status;
};

static void run_cli(struct run *r, int argc, const char **argv)
{
	FILE *out = open_memstream(&r->out, &r->out_len);
	FILE *err = open_memstream(&r->err, &r->err_len);

	r->status = cli_main(argc, (char **)argv, out, err);
	fclose(out);
	fclose(err);
}

#define RUN(r, ...) do {						\
	const char *argv_[] = { "bpfrt", __VA_ARGS__, NULL };		\
	run_cli((r), (int)(sizeof(argv_) / sizeof(argv_[0])) - 1, argv_); \
} while (0)

static void test_cli_errors(void **state)
{
	char path[] = "/tmp/bpfrt-est-XXXXXX";
	struct run r;
	int fd;

	(void)state;
	setenv("BPFRT_DEVICE", "/nonexistent/bpfrt-unit-test", 1);
	RUN(&r, "estimate", "/nonexistent/x.bpf.o");
	assert_int_equal(r.status, 1);
	assert_string_equal(r.err, "Error: cannot open /nonexistent/x.bpf.o: No such file or directory\n");
	free(r.out);
	free(r.err);

	RUN(&r, "-j", "estimate", "/");
	assert_int_equal(r.status, 1);
	assert_string_equal(r.out, "{\"error\":\"/ is not a regular file\"}\n");
	free(r.out);
	free(r.err);

	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "not an ELF file\n", 16), 16);
	close(fd);
	RUN(&r, "estimate", path);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "is not a BPF object file libbpf can open"));
	free(r.out);
	free(r.err);

	RUN(&r, "estimate", path, "costs", "calibrated");
	assert_int_equal(r.status, 1);
	assert_string_equal(r.err, "Error: unknown cost table 'calibrated' (expected auto, builtin or module)\n");
	free(r.out);
	free(r.err);

	RUN(&r, "estimate", path, "a", "b");
	assert_int_equal(r.status, 1);
	assert_string_equal(r.err, "Error: unexpected argument 'b'\n");
	free(r.out);
	free(r.err);

	/* explicitly the module's table, with no module */
	RUN(&r, "estimate", path, "costs", "module");
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "the module's cost table: the bpfrt kernel module is not loaded"));
	free(r.out);
	free(r.err);
	unlink(path);

	RUN(&r, "estimate");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "Usage: bpfrt estimate FILE"));
	free(r.out);
	free(r.err);
}

/*
 * Hostile instruction streams: random bytes with the opcodes that matter
 * for the split (calls, ld_imm64, exits) made common. Nothing may crash;
 * every result is 0 or a negative errno.
 */
static void test_hostile(void **state)
{
	static const __u8 codes[] = {
		BPF_JMP | BPF_CALL, BPF_LD | BPF_DW | BPF_IMM,
		BPF_JMP | BPF_EXIT, BPF_JMP | BPF_JA, BPF_ALU64 | BPF_MOV,
		BPF_JMP | BPF_JEQ, 0xff, 0,
	};
	struct bpfrt_cost_model cm;
	struct bpf_insn insns[40];
	unsigned int seed = 1, round, i;

	(void)state;
	bpfrt_cost_model_default(&cm);
	for (round = 0; round < 20000; round++) {
		__u32 cnt = 1 + rand_r(&seed) % 40;
		struct bpfrt_an_result res;
		struct est_input in;
		int err;

		for (i = 0; i < cnt; i++) {
			insns[i].code = codes[rand_r(&seed) % sizeof(codes)];
			insns[i].dst_reg = rand_r(&seed) % 16;
			insns[i].src_reg = rand_r(&seed) % 8;
			insns[i].off = (__s16)(rand_r(&seed) % 16 - 8);
			insns[i].imm = (__s32)(rand_r(&seed) % 24) - 8;
		}
		err = est_input_build(&in, insns, cnt, omaps, 3, 0);
		assert_true(err == 0 || err == -EINVAL || err == -E2BIG);
		if (!err) {
			err = bpfrt_an_estimate(&in.prog, &cm, &res);
			assert_true(err == 0 || err == -EINVAL || err == -E2BIG);
		}
		est_input_free(&in);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_single_function),
		cmocka_unit_test(test_map_order),
		cmocka_unit_test(test_const_ld),
		cmocka_unit_test(test_functions),
		cmocka_unit_test(test_sites),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_too_many_maps),
		cmocka_unit_test(test_estimate_helper_map),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_cli_errors),
		cmocka_unit_test(test_hostile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
