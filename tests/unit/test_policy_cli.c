// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of `bpfrt policy`: durations, parsing the knobs' texts, the
 * exact text and JSON of `show`, the read-modify-write of `set type` and
 * `set exempt add/del`, the error sentences, and whole CLI runs against a
 * fake knob directory ($BPFRT_SYSFS_POLICY points at a temporary one,
 * filled the way the module formats its files).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "cli.h"
#include "policy_cli.h"

/* --- a CLI run ---------------------------------------------------------- */

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

/* --- a fake knob directory ---------------------------------------------- */

static char fake_dir[64];

static void put(const char *name, const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", fake_dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static char *get(const char *name)
{
	static char buf[4096];
	char path[128];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", fake_dir, name);
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* The module's defaults, as it prints them. */
static int setup_fake(void **state)
{
	(void)state;
	snprintf(fake_dir, sizeof(fake_dir), "/tmp/bpfrt-policy-XXXXXX");
	assert_non_null(mkdtemp(fake_dir));
	setenv("BPFRT_SYSFS_POLICY", fake_dir, 1);
	put("limit_ns", "0\n");
	put("action", "[audit] reject\n");
	put("type_limits_ns", "none\n");
	put("exempt", "none\n");
	put("uncertain", "[estimate] over under\n");
	put("stats", "judged 0\nover_limit 0\nexempted 0\naudited 0\nrejected 0\n");
	return 0;
}

static int teardown_fake(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fake_dir);
	assert_int_equal(system(cmd), 0);
	unsetenv("BPFRT_SYSFS_POLICY");
	return 0;
}

/* --- durations ---------------------------------------------------------- */

static void test_duration(void **state)
{
	static const struct {
		const char *s;
		__u64 ns;
	} ok[] = {
		{ "0", 0 }, { "off", 0 }, { "250000", 250000 }, { "7ns", 7 },
		{ "250us", 250000 }, { "1ms", 1000000 }, { "1.5ms", 1500000 },
		{ "2s", 2000000000 }, { "0.000000001s", 1 },
		{ "18446744073709551615", 18446744073709551615ULL },
		{ "18446744073s", 18446744073000000000ULL },
	};
	static const char *const bad[] = {
		"", "abc", "-1", "+5", "1.", ".5", "1.5xs", "1 ms", "0x10",
		"1.5ns", "0.0000000001s", "18446744073709551616",
		"18446744074s", "1e6", "off2",
	};
	size_t i;
	__u64 ns;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		ns = 12345;
		assert_int_equal(policy_parse_duration(ok[i].s, &ns), 0);
		assert_true(ns == ok[i].ns);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(policy_parse_duration(bad[i], &ns), -EINVAL);
}

static void test_choice(void **state)
{
	char out[16];

	(void)state;
	assert_int_equal(policy_parse_choice("audit [reject]\n", out, sizeof(out)), 0);
	assert_string_equal(out, "reject");
	assert_int_equal(policy_parse_choice("[estimate] over under\n", out, sizeof(out)), 0);
	assert_string_equal(out, "estimate");
	assert_int_equal(policy_parse_choice("audit reject\n", out, sizeof(out)), -EINVAL);
	assert_int_equal(policy_parse_choice("[] x\n", out, sizeof(out)), -EINVAL);
	assert_int_equal(policy_parse_choice("[averyveryverylongchoice]\n", out, sizeof(out)), -EINVAL);
}

/* --- show --------------------------------------------------------------- */

static void parse_example(struct policy_state *st)
{
	assert_int_equal(policy_state_parse(st, "10000000\n", "audit [reject]\n",
		"xdp:50000,sched_cls:0\n", "name:cilium_,tag:0123456789abcdef\n",
		"estimate [over] under\n",
		"judged 40\nover_limit 3\nexempted 1\naudited 0\nrejected 2\n"), 0);
}

static void test_state_parse(void **state)
{
	struct policy_state st;

	(void)state;
	parse_example(&st);
	assert_true(st.limit_ns == 10000000);
	assert_string_equal(st.action, "reject");
	assert_string_equal(st.uncertain, "over");
	assert_int_equal(st.type_cnt, 2);
	assert_string_equal(st.types[1].type, "sched_cls");
	assert_true(st.types[0].limit_ns == 50000);
	assert_int_equal(st.exempt_cnt, 2);
	assert_string_equal(st.exempt[1], "tag:0123456789abcdef");
	assert_true(st.have_stats && st.judged == 40 && st.rejected == 2);

	assert_int_equal(policy_state_parse(&st, "x\n", "[audit] reject\n",
		"none\n", "none\n", "[estimate] over under\n", NULL), -EPROTO);
	assert_int_equal(policy_state_parse(&st, "0\n", "[audit] reject\n",
		"xdp\n", "none\n", "[estimate] over under\n", NULL), -EPROTO);
	assert_int_equal(policy_state_parse(&st, "0\n", "audit reject\n",
		"none\n", "none\n", "[estimate] over under\n", NULL), -EPROTO);
	assert_int_equal(policy_state_parse(&st, "0\n", "[audit] reject\n",
		"none\n", "none\n", "[estimate] over under\n", NULL), 0);
	assert_false(st.have_stats);
	assert_int_equal(st.type_cnt + st.exempt_cnt, 0);
}

static char *print_state(const struct policy_state *st, bool json, bool pretty)
{
	struct cli_ctx ctx = { .json = json, .pretty = pretty };
	char *buf = NULL;
	size_t len = 0;

	ctx.out = open_memstream(&buf, &len);
	ctx.err = ctx.out;
	assert_int_equal(policy_print(&ctx, st), 0);
	fclose(ctx.out);
	return buf;
}

static void test_print_text(void **state)
{
	struct policy_state st;
	char *out;

	(void)state;
	parse_example(&st);
	out = print_state(&st, false, false);
	assert_string_equal(out,
		"limit_ns        10000000 (10.0 ms)\n"
		"action          reject\n"
		"type_limits_ns  xdp:50000 (50.0 us), sched_cls:0 (no limit)\n"
		"exempt          name:cilium_, tag:0123456789abcdef\n"
		"uncertain       over (uncertain estimates are always over the limit)\n"
		"stats           judged 40, over_limit 3, exempted 1, audited 0, rejected 2\n");
	free(out);

	assert_int_equal(policy_state_parse(&st, "0\n", "[audit] reject\n",
		"none\n", "none\n", "[estimate] over under\n", NULL), 0);
	out = print_state(&st, false, false);
	assert_string_equal(out,
		"limit_ns        0 (no limit)\n"
		"action          audit\n"
		"type_limits_ns  none\n"
		"exempt          none\n"
		"uncertain       estimate (uncertain estimates are judged by their value)\n");
	free(out);
}

static void test_print_json(void **state)
{
	struct policy_state st;
	char *out;

	(void)state;
	parse_example(&st);
	out = print_state(&st, true, false);
	assert_string_equal(out,
		"{\"limit_ns\":10000000,\"action\":\"reject\","
		"\"type_limits_ns\":{\"xdp\":50000,\"sched_cls\":0},"
		"\"exempt\":[\"name:cilium_\",\"tag:0123456789abcdef\"],"
		"\"uncertain\":\"over\","
		"\"stats\":{\"judged\":40,\"over_limit\":3,\"exempted\":1,"
		"\"audited\":0,\"rejected\":2}}\n");
	free(out);
}

/* --- set: editing lists ------------------------------------------------- */

static void test_types_edit(void **state)
{
	struct policy_state st;
	char out[256];

	(void)state;
	parse_example(&st);
	assert_int_equal(policy_types_edit(&st, "xdp", "7", out, sizeof(out)), 0);
	assert_string_equal(out, "xdp:7,sched_cls:0");
	assert_int_equal(policy_types_edit(&st, "kprobe", "9", out, sizeof(out)), 0);
	assert_string_equal(out, "xdp:50000,sched_cls:0,kprobe:9");
	assert_int_equal(policy_types_edit(&st, "xdp", NULL, out, sizeof(out)), 0);
	assert_string_equal(out, "sched_cls:0");
	assert_int_equal(policy_types_edit(&st, "lsm", NULL, out, sizeof(out)), 0);
	assert_string_equal(out, "xdp:50000,sched_cls:0");
	st.type_cnt = 1;
	assert_int_equal(policy_types_edit(&st, "xdp", NULL, out, sizeof(out)), 0);
	assert_string_equal(out, "none");
	assert_int_equal(policy_types_edit(&st, "kprobe", "9", out, 8), -E2BIG);
}

static void test_exempt_edit(void **state)
{
	struct policy_state st;
	char out[256];

	(void)state;
	parse_example(&st);
	assert_int_equal(policy_exempt_edit(&st, "name:foo", true, out, sizeof(out)), 0);
	assert_string_equal(out, "name:cilium_,tag:0123456789abcdef,name:foo");
	assert_int_equal(policy_exempt_edit(&st, "name:cilium_", true, out, sizeof(out)), 0);
	assert_string_equal(out, "name:cilium_,tag:0123456789abcdef");
	assert_int_equal(policy_exempt_edit(&st, "name:cilium_", false, out, sizeof(out)), 0);
	assert_string_equal(out, "tag:0123456789abcdef");
	assert_int_equal(policy_exempt_edit(&st, "name:nope", false, out, sizeof(out)), -ENOENT);
	st.exempt_cnt = 1;
	assert_int_equal(policy_exempt_edit(&st, "name:cilium_", false, out, sizeof(out)), 0);
	assert_string_equal(out, "none");
}

static void test_write_error(void **state)
{
	char buf[512];

	(void)state;
	setenv("BPFRT_SYSFS_POLICY", "/sys/kernel/bpfrt/policy", 1);
	policy_write_error(buf, sizeof(buf), "action", "deny", EINVAL);
	assert_string_equal(buf, "cannot set action to 'deny': the module refused it (expected audit or reject)");
	policy_write_error(buf, sizeof(buf), "limit_ns", "x", EINVAL);
	assert_string_equal(buf, "cannot set limit_ns to 'x': the module refused it (expected a number of nanoseconds, 0 for no limit)");
	policy_write_error(buf, sizeof(buf), "exempt", "foo", EINVAL);
	assert_non_null(strstr(buf, "tag:HEX (16 hex digits)"));
	policy_write_error(buf, sizeof(buf), "limit_ns", "5", EACCES);
	assert_string_equal(buf, "cannot set limit_ns: permission denied (the policy knobs are writable by root only, with CAP_SYS_ADMIN)");
	policy_write_error(buf, sizeof(buf), "limit_ns", "5", EPERM);
	assert_non_null(strstr(buf, "permission denied"));
	policy_write_error(buf, sizeof(buf), "uncertain", "over", ENOENT);
	assert_string_equal(buf, "cannot set uncertain: /sys/kernel/bpfrt/policy/uncertain not found: is the bpfrt module loaded (a version with the load-time policy)?");
	policy_write_error(buf, sizeof(buf), "limit_ns", "5", EIO);
	assert_string_equal(buf, "cannot set limit_ns to '5': Input/output error");
	unsetenv("BPFRT_SYSFS_POLICY");
}

/* --- whole runs --------------------------------------------------------- */

static void test_run_show(void **state)
{
	struct run r;

	(void)state;
	RUN(&r, "policy");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "limit_ns        0 (no limit)\naction          audit\n"));
	run_free(&r);
	RUN(&r, "-j", "po", "sh");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "{\"limit_ns\":0,\"action\":\"audit\","));
	run_free(&r);
	RUN(&r, "policy", "show", "extra");
	assert_int_equal(r.status, 1);
	assert_string_equal(r.err, "Error: unexpected argument 'extra'\n");
	run_free(&r);
}

static void test_run_set(void **state)
{
	struct run r;

	(void)state;
	RUN(&r, "policy", "set", "limit", "1.5ms", "action", "reject",
	    "type", "xdp", "50us", "type", "lsm", "off", "exempt", "add",
	    "name:foo", "uncertain", "under");
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "");		/* quiet, as bpftool */
	assert_string_equal(r.err, "");
	assert_string_equal(get("limit_ns"), "1500000");
	assert_string_equal(get("action"), "reject");
	/* each `type` reads the list the one before wrote */
	assert_string_equal(get("type_limits_ns"), "xdp:50000,lsm:0");
	assert_string_equal(get("exempt"), "name:foo");
	assert_string_equal(get("uncertain"), "under");
	run_free(&r);

	RUN(&r, "policy", "set", "type", "xdp", "default", "exempt", "del", "name:foo");
	assert_int_equal(r.status, 0);
	assert_string_equal(get("type_limits_ns"), "lsm:0");
	assert_string_equal(get("exempt"), "none");
	run_free(&r);

	RUN(&r, "-j", "policy", "set", "types", "none", "exempt", "name:a,tag:0123456789abcdef");
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "null\n");
	assert_string_equal(get("type_limits_ns"), "none");
	assert_string_equal(get("exempt"), "name:a,tag:0123456789abcdef");
	run_free(&r);

	put("type_limits_ns", "garbage\n");
	RUN(&r, "policy", "set", "type", "xdp", "1");
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "unexpected contents in "));
	run_free(&r);
}

/* Every argument is checked before anything is written. */
static void test_run_set_errors(void **state)
{
	static const struct {
		const char *argv[6];
		const char *err;
	} cases[] = {
		{ { "limit", "5", "action", "deny" },
		  "Error: invalid action 'deny' (expected audit or reject)\n" },
		{ { "limit", "1.5xs" },
		  "Error: invalid duration '1.5xs' for limit (expected NUMBER[ns|us|ms|s] or off)\n" },
		{ { "limit", "5", "uncertain", "maybe" },
		  "Error: invalid value 'maybe' for uncertain (expected estimate, over or under)\n" },
		{ { "limit", "5", "type", "xdp" },
		  "Error: expected a duration or 'default' after 'type xdp'\n" },
		{ { "type", "xdp", "fast" },
		  "Error: invalid duration 'fast' for type xdp (expected NUMBER[ns|us|ms|s], off or default)\n" },
		{ { "limit", "5", "bogus", "1" },
		  "Error: unknown policy key 'bogus' (keys: limit, action, type, types, exempt, uncertain)\n" },
		{ { "limit" }, "Error: expected a value after 'limit'\n" },
		{ { "exempt", "add" },
		  "Error: expected name:PREFIX or tag:HEX after 'exempt add'\n" },
		{ { "limit", "5", "exempt", "del" },
		  "Error: expected name:PREFIX or tag:HEX after 'exempt del'\n" },
	};
	const char *argv[10];
	size_t i, n;
	struct run r;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		argv[0] = "bpfrt";
		argv[1] = "policy";
		argv[2] = "set";
		for (n = 0; cases[i].argv[n]; n++)
			argv[3 + n] = cases[i].argv[n];
		argv[3 + n] = NULL;
		run_cli(&r, 3 + n, argv);
		assert_int_equal(r.status, 1);
		assert_string_equal(r.err, cases[i].err);
		assert_string_equal(get("limit_ns"), "0\n");	/* untouched */
		run_free(&r);
	}
	RUN(&r, "policy", "set");
	assert_int_equal(r.status, 1);
	run_free(&r);
	RUN(&r, "-j", "policy", "set", "bogus", "1");
	assert_string_equal(r.out, "{\"error\":\"unknown policy key 'bogus' (keys: limit, action, type, types, exempt, uncertain)\"}\n");
	run_free(&r);
	RUN(&r, "policy", "set", "exempt", "del", "name:absent");
	assert_string_equal(r.err, "Error: 'name:absent' is not in the exempt list\n");
	run_free(&r);
}

/* A write the system refuses is reported with the knob and the value. */
static void test_run_write_fails(void **state)
{
	char path[128];
	struct run r;

	(void)state;
	snprintf(path, sizeof(path), "%s/limit_ns", fake_dir);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(mkdir(path, 0755), 0);
	RUN(&r, "policy", "set", "limit", "5");
	assert_int_equal(r.status, 1);
	assert_string_equal(r.err, "Error: cannot set limit_ns to '5': Is a directory\n");
	run_free(&r);
	assert_int_equal(rmdir(path), 0);

	/* no module: the files are not there */
	setenv("BPFRT_SYSFS_POLICY", "/nonexistent/bpfrt-policy", 1);
	RUN(&r, "policy");
	assert_int_equal(r.status, 1);
	assert_string_equal(r.err, "Error: /nonexistent/bpfrt-policy/limit_ns not found: is the bpfrt module loaded (a version with the load-time policy)?\n");
	run_free(&r);
	RUN(&r, "policy", "set", "action", "audit");
	assert_string_equal(r.err, "Error: cannot set action: /nonexistent/bpfrt-policy/action not found: is the bpfrt module loaded (a version with the load-time policy)?\n");
	run_free(&r);
	setenv("BPFRT_SYSFS_POLICY", fake_dir, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_duration),
		cmocka_unit_test(test_choice),
		cmocka_unit_test(test_state_parse),
		cmocka_unit_test(test_print_text),
		cmocka_unit_test(test_print_json),
		cmocka_unit_test(test_types_edit),
		cmocka_unit_test(test_exempt_edit),
		cmocka_unit_test(test_write_error),
		cmocka_unit_test_setup_teardown(test_run_show, setup_fake, teardown_fake),
		cmocka_unit_test_setup_teardown(test_run_set, setup_fake, teardown_fake),
		cmocka_unit_test_setup_teardown(test_run_set_errors, setup_fake, teardown_fake),
		cmocka_unit_test_setup_teardown(test_run_write_fails, setup_fake, teardown_fake),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
