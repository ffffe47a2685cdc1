// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the CLI's pure parts: argument parsing and dispatch, the
 * JSON writer, and the `version` report. The device path is redirected with
 * $BPFRT_DEVICE so the "module absent" path is exercised on the host.
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

#include "cli.h"
#include "libbpfrt.h"
#include "bpfrt_version.h"

/* Captures a CLI run's two streams. */
struct run {
	char *out, *err;
	size_t out_len, err_len;
	int status;
};

static void run_cli(struct run *r, int argc, const char **argv)
{
	FILE *out = open_memstream(&r->out, &r->out_len);
	FILE *err = open_memstream(&r->err, &r->err_len);

	assert_non_null(out);
	assert_non_null(err);
	r->status = cli_main(argc, (char **)argv, out, err);
	fclose(out);
	fclose(err);
}

static void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
}

#define RUN(r, ...) do {						\
	const char *argv_[] = { "bpfrt", __VA_ARGS__, NULL };		\
	run_cli((r), (int)(sizeof(argv_) / sizeof(argv_[0])) - 1, argv_); \
} while (0)

static int setup_no_device(void **state)
{
	(void)state;
	/* A path that cannot exist: the CLI must say the module is absent. */
	setenv("BPFRT_DEVICE", "/nonexistent/bpfrt-unit-test", 1);
	return 0;
}

/* --- dispatch --- */

static int cmd_a_calls, cmd_b_calls;
static int cmd_a(struct cli_ctx *c, int argc, char **argv)
{
	(void)c; (void)argv;
	cmd_a_calls++;
	return argc;
}

static int cmd_b(struct cli_ctx *c, int argc, char **argv)
{
	(void)c; (void)argc; (void)argv;
	cmd_b_calls++;
	return 0;
}

static const struct cli_cmd test_cmds[] = {
	{ "show", cmd_a },
	{ "set", cmd_b },
	{ NULL, NULL },
};

static void test_find_cmd_prefix(void **state)
{
	(void)state;
	assert_ptr_equal(cli_find_cmd(test_cmds, "show"), &test_cmds[0]);
	assert_ptr_equal(cli_find_cmd(test_cmds, "sh"), &test_cmds[0]);
	assert_ptr_equal(cli_find_cmd(test_cmds, "se"), &test_cmds[1]);
	/* an ambiguous prefix picks the first entry, as bpftool does */
	assert_ptr_equal(cli_find_cmd(test_cmds, "s"), &test_cmds[0]);
	assert_null(cli_find_cmd(test_cmds, "shows"));
	assert_null(cli_find_cmd(test_cmds, "x"));
	assert_null(cli_find_cmd(test_cmds, ""));
}

static int help_calls;
static int count_help(struct cli_ctx *c)
{
	(void)c;
	help_calls++;
	return 0;
}

static void test_dispatch_passes_remaining_args(void **state)
{
	struct cli_ctx ctx = { .out = stdout, .err = stderr };
	char *argv[] = { "sh", "one", "two", NULL };

	(void)state;
	cmd_a_calls = 0;
	/* cmd_a returns its argc: the command name itself is consumed */
	assert_int_equal(cli_dispatch(&ctx, test_cmds, 3, argv, count_help), 2);
	assert_int_equal(cmd_a_calls, 1);
}

static void test_dispatch_help_and_empty(void **state)
{
	struct cli_ctx ctx = { .out = stdout, .err = stderr };
	char *help[] = { "help", NULL };

	(void)state;
	help_calls = 0;
	assert_int_equal(cli_dispatch(&ctx, test_cmds, 0, NULL, count_help), 0);
	assert_int_equal(cli_dispatch(&ctx, test_cmds, 1, help, count_help), 0);
	assert_int_equal(help_calls, 2);
}

static void test_unknown_command_text(void **state)
{
	struct run r;

	(void)state;
	RUN(&r, "frobnicate");
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "Error: unknown command 'frobnicate'\n"));
	/* text mode follows the error with usage on stdout */
	assert_non_null(strstr(r.out, "Usage: bpfrt"));
	run_free(&r);
}

static void test_unknown_command_json(void **state)
{
	struct run r;

	(void)state;
	RUN(&r, "-j", "frobnicate");
	assert_int_equal(r.status, 1);
	assert_string_equal(r.out, "{\"error\":\"unknown command 'frobnicate'\"}\n");
	assert_int_equal(r.err_len, 0);
	run_free(&r);
}

static void test_unknown_option(void **state)
{
	struct run r;

	(void)state;
	RUN(&r, "--bogus", "version");
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "Error: unknown option '--bogus'"));
	run_free(&r);
}

static void test_help_option(void **state)
{
	struct run r;

	(void)state;
	RUN(&r, "-h");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "OBJECT := { prog | events | estimate |"));
	assert_non_null(strstr(r.out, "costs | calibrate |"));
	assert_non_null(strstr(r.out, "version }"));
	run_free(&r);
}

/* --- version --- */

static void test_version_module_absent_text(void **state)
{
	struct run r;

	(void)state;
	RUN(&r, "version");
	assert_int_equal(r.status, 1);
	assert_string_equal(r.out, "bpfrt v" BPFRT_VERSION " (ABI 1)\n");
	/* the hint must say how to load the module */
	assert_non_null(strstr(r.err, "modprobe bpfrt"));
	assert_true(strncmp(r.err, "Error: ", 7) == 0);
	run_free(&r);
}

static void test_version_module_absent_json(void **state)
{
	struct run r;

	(void)state;
	RUN(&r, "-j", "ver");
	assert_int_equal(r.status, 1);
	assert_string_equal(r.out,
		"{\"version\":\"" BPFRT_VERSION "\",\"abi_version\":1,"
		"\"module\":null,\"error\":\"the bpfrt kernel module is not "
		"loaded; load it with 'modprobe bpfrt' (as root)\"}\n");
	run_free(&r);
}

static void test_version_rejects_arguments(void **state)
{
	struct run r;

	(void)state;
	RUN(&r, "version", "extra");
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "takes no arguments"));
	run_free(&r);
}

static void fill_version(struct bpfrt_version *v, __u64 features)
{
	memset(v, 0, sizeof(*v));
	v->size = sizeof(*v);
	v->abi_version = 1;
	v->features = features;
	strcpy(v->module_version, "9.8.7");
	strcpy(v->kernel_release, "6.1.0-99-amd64");
}

static char *print_version_to_string(bool json, bool pretty,
				     const struct bpfrt_version *v, int *status)
{
	struct cli_ctx ctx = { .json = json, .pretty = pretty };
	char *buf = NULL;
	size_t len;

	ctx.out = open_memstream(&buf, &len);
	ctx.err = ctx.out;
	*status = cli_print_version(&ctx, v, "unused");
	fclose(ctx.out);
	return buf;
}

static void test_version_module_present_json(void **state)
{
	struct bpfrt_version v;
	char *s;
	int status;

	(void)state;
	/* bit 0 is known ("version"); bit 40 is from a newer module */
	fill_version(&v, BPFRT_FEAT_VERSION | (1ULL << 40));
	s = print_version_to_string(true, false, &v, &status);
	assert_int_equal(status, 0);
	assert_string_equal(s,
		"{\"version\":\"" BPFRT_VERSION "\",\"abi_version\":1,"
		"\"module\":{\"version\":\"9.8.7\",\"abi_version\":1,"
		"\"kernel_release\":\"6.1.0-99-amd64\","
		"\"features\":[\"version\"],\"feature_bits\":1099511627777}}\n");
	free(s);
}

static void test_version_module_present_text(void **state)
{
	struct bpfrt_version v;
	char *s;
	int status;

	(void)state;
	fill_version(&v, BPFRT_FEAT_VERSION | (1ULL << 40));
	s = print_version_to_string(false, false, &v, &status);
	assert_int_equal(status, 0);
	assert_string_equal(s,
		"bpfrt v" BPFRT_VERSION " (ABI 1)\n"
		"module: v9.8.7 (ABI 1) on kernel 6.1.0-99-amd64\n"
		"features: version, unknown(0x10000000000)\n");
	free(s);
}

/* Every feature bit the uapi defines has a name: none shows as unknown. */
static void test_version_all_features_named(void **state)
{
	struct bpfrt_version v;
	char *s;
	int status;

	(void)state;
	fill_version(&v, BPFRT_FEAT_VERSION | BPFRT_FEAT_CAPTURE |
			 BPFRT_FEAT_EVENTS | BPFRT_FEAT_COSTS |
			 BPFRT_FEAT_COSTS_SET | BPFRT_FEAT_WATCHDOG);
	s = print_version_to_string(false, false, &v, &status);
	assert_int_equal(status, 0);
	assert_string_equal(s,
		"bpfrt v" BPFRT_VERSION " (ABI 1)\n"
		"module: v9.8.7 (ABI 1) on kernel 6.1.0-99-amd64\n"
		"features: version, capture, events, costs, costs_set, watchdog\n");
	free(s);
}

/* --- packaging --- */

/* dkms.conf's PACKAGE_VERSION must be the version the module reports. */
static void test_dkms_version_matches(void **state)
{
	char line[256], want[128];
	bool found = false;
	FILE *f = fopen(REPO_ROOT "/dkms.conf", "r");

	(void)state;
	assert_non_null(f);
	snprintf(want, sizeof(want), "PACKAGE_VERSION=\"%s\"\n", BPFRT_VERSION);
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "PACKAGE_VERSION=", 16)) {
			assert_string_equal(line, want);
			found = true;
		}
	fclose(f);
	assert_true(found);
}

/* --- JSON writer --- */

static char *jw_run(bool pretty, void (*fn)(struct json_writer *), int *ret)
{
	struct json_writer jw;
	char *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	jsonw_init(&jw, f, pretty);
	fn(&jw);
	*ret = jsonw_finish(&jw);
	fclose(f);
	return buf;
}

static void jw_nested(struct json_writer *jw)
{
	jsonw_start_object(jw);
	jsonw_uint_field(jw, "run_cnt", UINT64_MAX);
	jsonw_int_field(jw, "delta", -5);
	jsonw_name(jw, "ids");
	jsonw_start_array(jw);
	jsonw_uint(jw, 1);
	jsonw_uint(jw, 2);
	jsonw_end_array(jw);
	jsonw_name(jw, "empty");
	jsonw_start_object(jw);
	jsonw_end_object(jw);
	jsonw_bool_field(jw, "ok", true);
	jsonw_name(jw, "none");
	jsonw_null(jw);
	jsonw_end_object(jw);
}

static void test_json_compact(void **state)
{
	int ret;
	char *s = jw_run(false, jw_nested, &ret);

	(void)state;
	assert_int_equal(ret, 0);
	assert_string_equal(s,
		"{\"run_cnt\":18446744073709551615,\"delta\":-5,"
		"\"ids\":[1,2],\"empty\":{},\"ok\":true,\"none\":null}\n");
	free(s);
}

static void test_json_pretty(void **state)
{
	int ret;
	char *s = jw_run(true, jw_nested, &ret);

	(void)state;
	assert_int_equal(ret, 0);
	assert_string_equal(s,
		"{\n"
		"    \"run_cnt\": 18446744073709551615,\n"
		"    \"delta\": -5,\n"
		"    \"ids\": [\n"
		"        1,\n"
		"        2\n"
		"    ],\n"
		"    \"empty\": {},\n"
		"    \"ok\": true,\n"
		"    \"none\": null\n"
		"}\n");
	free(s);
}

static void jw_escapes(struct json_writer *jw)
{
	jsonw_start_array(jw);
	jsonw_string(jw, "q\"b\\n\nt\tc\x01");
	jsonw_end_array(jw);
}

static void test_json_escapes(void **state)
{
	int ret;
	char *s = jw_run(false, jw_escapes, &ret);

	(void)state;
	assert_int_equal(ret, 0);
	assert_string_equal(s, "[\"q\\\"b\\\\n\\nt\\tc\\u0001\"]\n");
	free(s);
}

static void jw_unbalanced(struct json_writer *jw)
{
	jsonw_start_object(jw);
	jsonw_name(jw, "dangling");
}

static void jw_extra_close(struct json_writer *jw)
{
	jsonw_start_array(jw);
	jsonw_end_array(jw);
	jsonw_end_array(jw);
}

static void test_json_misuse_detected(void **state)
{
	int ret;
	char *s;

	(void)state;
	s = jw_run(false, jw_unbalanced, &ret);
	assert_int_equal(ret, -1);
	free(s);
	s = jw_run(false, jw_extra_close, &ret);
	assert_int_equal(ret, -1);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find_cmd_prefix),
		cmocka_unit_test(test_dispatch_passes_remaining_args),
		cmocka_unit_test(test_dispatch_help_and_empty),
		cmocka_unit_test(test_unknown_command_text),
		cmocka_unit_test(test_unknown_command_json),
		cmocka_unit_test(test_unknown_option),
		cmocka_unit_test(test_help_option),
		cmocka_unit_test(test_version_module_absent_text),
		cmocka_unit_test(test_version_module_absent_json),
		cmocka_unit_test(test_version_rejects_arguments),
		cmocka_unit_test(test_version_module_present_json),
		cmocka_unit_test(test_version_module_present_text),
		cmocka_unit_test(test_version_all_features_named),
		cmocka_unit_test(test_dkms_version_matches),
		cmocka_unit_test(test_json_compact),
		cmocka_unit_test(test_json_pretty),
		cmocka_unit_test(test_json_escapes),
		cmocka_unit_test(test_json_misuse_detected),
	};

	return cmocka_run_group_tests_name("cli", tests, setup_no_device, NULL);
}
