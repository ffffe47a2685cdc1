// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of `bpfrt prog` and `bpfrt events`: their exact text and JSON
 * output for fixed records (worked out by hand from the formats in the man
 * page), and whole runs of the CLI against the fake module of
 * prog_fake_module.h ($BPFRT_DEVICE points at /dev/null, or at a FIFO that
 * stands in for the event stream): arguments, errors, paging, signals.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <cmocka.h>
#include <linux/bpf.h>

#include "cli.h"
#include "prog.h"
#include "libbpfrt.h"
#include "prog_fake_module.h"

#define U32_NONE (~(__u32)0)

/* --- fixtures --- */

static const __u8 tag1[BPFRT_TAG_SIZE] = { 0x01, 0x23, 0x45, 0x67,
					   0x89, 0xab, 0xcd, 0xef };

static void summary1(struct bpfrt_prog_summary *s)
{
	memset(s, 0, sizeof(*s));
	s->id = 12;
	s->type = BPF_PROG_TYPE_XDP;
	strcpy(s->name, "straight_line");
	memcpy(s->tag, tag1, sizeof(tag1));
	s->flags = BPFRT_PROG_F_JITED | BPFRT_PROG_F_TERMINABLE;
	s->best_ns = 450;
	s->worst_ns = 1234;
	s->insn_cnt = 57;
	s->func_cnt = 1;
}

/* unknown type, no name, unbounded, two estimate flags */
static void summary2(struct bpfrt_prog_summary *s)
{
	memset(s, 0, sizeof(*s));
	s->id = 13;
	s->type = 99;
	s->est_flags = BPFRT_EST_F_LOOP_CAPPED | BPFRT_EST_F_TAIL_CALL;
	s->worst_ns = BPFRT_UNBOUNDED;
	s->insn_cnt = 10;
	s->func_cnt = 2;
}

/* adopted, and the analyzer refused it */
static void summary3(struct bpfrt_prog_summary *s)
{
	memset(s, 0, sizeof(*s));
	s->id = 14;
	s->type = BPF_PROG_TYPE_KPROBE;
	strcpy(s->name, "bad");
	s->flags = BPFRT_PROG_F_ADOPTED | BPFRT_PROG_F_EST_FAILED;
	s->est_errno = E2BIG;
}

#define LINE1 "12: xdp  name straight_line  tag 0123456789abcdef  worst 1.23 us  best 450 ns  insns 57  funcs 1  flags jited,terminable"
#define LINE2 "13: type 99  tag 0000000000000000  worst unbounded  best 0 ns  insns 10  funcs 2  estimate loop_capped,tail_call"
#define LINE3 "14: kprobe  name bad  tag 0000000000000000  estimate failed (Argument list too long)  insns 0  funcs 0  flags adopted,est_failed"

#define JSON1 "{\"id\":12,\"type\":\"xdp\",\"name\":\"straight_line\"," \
	"\"tag\":\"0123456789abcdef\",\"best_ns\":450,\"worst_ns\":1234," \
	"\"insn_cnt\":57,\"func_cnt\":1,\"flags\":[\"jited\",\"terminable\"]," \
	"\"estimate_flags\":[],\"jited\":true,\"terminable\":true," \
	"\"est_errno\":0}"
#define JSON2 "{\"id\":13,\"type\":99,\"name\":\"\"," \
	"\"tag\":\"0000000000000000\",\"best_ns\":0,\"worst_ns\":null," \
	"\"insn_cnt\":10,\"func_cnt\":2,\"flags\":[]," \
	"\"estimate_flags\":[\"loop_capped\",\"tail_call\"],\"jited\":false," \
	"\"terminable\":false,\"est_errno\":0}"
#define JSON3 "{\"id\":14,\"type\":\"kprobe\",\"name\":\"bad\"," \
	"\"tag\":\"0000000000000000\",\"best_ns\":null,\"worst_ns\":null," \
	"\"insn_cnt\":0,\"func_cnt\":0,\"flags\":[\"adopted\"," \
	"\"est_failed\"],\"estimate_flags\":[],\"jited\":false," \
	"\"terminable\":false,\"est_errno\":7," \
	"\"est_error\":\"Argument list too long\"}"

/* A bpf_loop program: its callback (func 1) runs 8388608 times. */
static void info1(struct bpfrt_prog_info *info, struct bpfrt_call_site *sites,
		  struct bpfrt_map_desc *maps)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	info->id = 12;
	summary1(&info->summary);
	info->summary.est_flags = BPFRT_EST_F_LOOP_CAPPED;
	info->summary.worst_ns = 8390000;
	info->summary.func_cnt = 2;
	info->verified_insns = 60;
	info->verify_ns = 1200000;
	info->jited_len = 312;
	info->best_ps = 450000;
	info->worst_ps = 8390000000ULL;
	info->best_insns = 12;
	info->worst_insns = 25165830;
	info->best_helper_calls = 1;
	info->worst_helper_calls = 8388609;
	info->contrib_cnt = 3;
	info->contrib[0] = (struct bpfrt_contrib){
		.func = 1, .kind = BPFRT_CONTRIB_INSNS, .multiplier = 8388608,
		.cost_ps = 8138000000ULL, .share_pm = 970 };
	info->contrib[1] = (struct bpfrt_contrib){
		.insn = 3, .kind = BPFRT_CONTRIB_HELPER, .id = 181,
		.multiplier = 1, .cost_ps = 176000000, .share_pm = 21 };
	info->contrib[2] = (struct bpfrt_contrib){
		.func = 1, .insn = 2, .kind = BPFRT_CONTRIB_MAP_OP,
		.op = BPFRT_MOP_LOOKUP, .id = 0, .multiplier = 8388608,
		.cost_ps = 70000000, .share_pm = 8 };
	info->map_cnt = 1;
	memset(maps, 0, sizeof(*maps));
	maps[0] = (struct bpfrt_map_desc){ .id = 5, .type = BPF_MAP_TYPE_HASH,
		.max_entries = 1024, .key_size = 4, .value_size = 8,
		.name = "counts" };
	info->site_cnt = 3;
	memset(sites, 0, 3 * sizeof(*sites));
	sites[0] = (struct bpfrt_call_site){ .insn = 3, .jit_off = 0x2c,
		.kind = BPFRT_SITE_HELPER, .id = 181, .target = "bpf_loop" };
	sites[1] = (struct bpfrt_call_site){ .func = 1, .insn = 2,
		.jit_off = 0x10, .kind = BPFRT_SITE_MAP_OP,
		.op = BPFRT_MOP_LOOKUP, .id = 0,
		.target = "__htab_map_lookup_elem" };
	sites[2] = (struct bpfrt_call_site){ .insn = U32_NONE, .jit_off = 0x80,
		.kind = BPFRT_SITE_UNKNOWN, .id = U32_NONE };
}

static const char info1_text[] =
	"12: xdp  name straight_line  tag 0123456789abcdef\n"
	"\tinsns 57  funcs 2  jited 312B  verified_insns 60  verify_time 1.20 ms\n"
	"\tbest 450 ns  insns 12  helper_calls 1\n"
	"\tworst 8.39 ms  insns 25165830  helper_calls 8388609\n"
	"\tflags:\n"
	"\t\tjited: runs as JIT code\n"
	"\t\tterminable: can be stopped: every JIT image and call site was identified with certainty\n"
	"\testimate depends on:\n"
	"\t\tloop_capped: loop count capped at the kernel maximum (a loop helper's count, such as bpf_loop's, is not a constant)\n"
	"\tworst case 8.39 ms, largest contributors:\n"
	"\t\t  97%    8.14 ms  the instructions of func 1, run 8388608 times\n"
	"\t\t 2.1%     176 us  helper bpf_loop at func 0 insn 3, run once\n"
	"\t\t 0.8%    70.0 us  map lookup on map 'counts' (hash) at func 1 insn 2, run 8388608 times\n"
	"\tmaps: 1\n"
	"\t\t0: hash  name counts  id 5  max_entries 1024  key 4B  value 8B\n"
	"\tcall sites: 3\n"
	"\t\tfunc   insn  jit_off   kind     callee                    target\n"
	"\t\t   0      3  0x2c      helper   bpf_loop                  bpf_loop\n"
	"\t\t   1      2  0x10      map_op   lookup counts             __htab_map_lookup_elem\n"
	"\t\t   0      -  0x80      unknown  -                         -\n"
	"\ttermination: not armed  requested 0  completed 0  stub_hits 0  image_crc32 0x00000000\n";

static const char info1_json[] =
	"{\"id\":12,\"type\":\"xdp\",\"name\":\"straight_line\","
	"\"tag\":\"0123456789abcdef\",\"best_ns\":450,\"worst_ns\":8390000,"
	"\"insn_cnt\":57,\"func_cnt\":2,\"flags\":[\"jited\",\"terminable\"],"
	"\"estimate_flags\":[\"loop_capped\"],\"jited\":true,"
	"\"terminable\":true,\"est_errno\":0,"
	"\"verified_insns\":60,\"verify_ns\":1200000,\"jited_bytes\":312,"
	"\"term_armed\":false,\"term_all_cpus\":false,\"term_requested\":0,"
	"\"term_completed\":0,\"term_last_latency_ns\":0,\"term_stub_hits\":0,"
	"\"image_crc32\":0,"
	"\"best_ps\":450000,\"worst_ps\":8390000000,\"best_insns\":12,"
	"\"worst_insns\":25165830,\"best_helper_calls\":1,"
	"\"worst_helper_calls\":8388609,"
	"\"notes\":[\"runs as JIT code\",\"can be stopped: every JIT image "
	"and call site was identified with certainty\",\"loop count capped "
	"at the kernel maximum (a loop helper's count, such as bpf_loop's, "
	"is not a constant)\"],"
	"\"worst_explanation\":\"worst case 8.39 ms: 97% is the instructions "
	"of func 1, run 8388608 times; 2.1% is helper bpf_loop at func 0 "
	"insn 3, run once; 0.8% is map lookup on map 'counts' (hash) at func "
	"1 insn 2, run 8388608 times\","
	"\"contributors\":["
	"{\"kind\":\"insns\",\"func\":1,\"insn\":0,\"id\":0,"
	"\"multiplier\":8388608,\"cost_ps\":8138000000,\"share_pm\":970,"
	"\"description\":\"the instructions of func 1, run 8388608 times\"},"
	"{\"kind\":\"helper\",\"func\":0,\"insn\":3,\"id\":181,"
	"\"helper\":\"bpf_loop\",\"multiplier\":1,\"cost_ps\":176000000,"
	"\"share_pm\":21,\"description\":\"helper bpf_loop at func 0 insn 3, "
	"run once\"},"
	"{\"kind\":\"map_op\",\"func\":1,\"insn\":2,\"id\":0,\"op\":\"lookup\","
	"\"map_index\":0,\"multiplier\":8388608,\"cost_ps\":70000000,"
	"\"share_pm\":8,\"description\":\"map lookup on map 'counts' (hash) "
	"at func 1 insn 2, run 8388608 times\"}],"
	"\"map_cnt\":1,\"maps\":[{\"index\":0,\"id\":5,\"type\":\"hash\","
	"\"name\":\"counts\",\"max_entries\":1024,\"key_bytes\":4,"
	"\"value_bytes\":8}],"
	"\"site_cnt\":3,\"call_sites\":["
	"{\"func\":0,\"insn\":3,\"jit_off\":44,\"kind\":\"helper\",\"id\":181,"
	"\"helper\":\"bpf_loop\",\"target\":\"bpf_loop\"},"
	"{\"func\":1,\"insn\":2,\"jit_off\":16,\"kind\":\"map_op\",\"id\":0,"
	"\"op\":\"lookup\",\"map_name\":\"counts\","
	"\"target\":\"__htab_map_lookup_elem\"},"
	"{\"func\":0,\"insn\":null,\"jit_off\":128,\"kind\":\"unknown\","
	"\"id\":null,\"target\":\"\"}]}\n";

/* --- output capture --- */

struct capture {
	struct cli_ctx ctx;
	char *out, *err;
	size_t out_len, err_len;
};

static void cap_open(struct capture *c, bool json, bool pretty)
{
	memset(c, 0, sizeof(*c));
	c->ctx.json = json;
	c->ctx.pretty = pretty;
	c->ctx.out = open_memstream(&c->out, &c->out_len);
	c->ctx.err = open_memstream(&c->err, &c->err_len);
}

static void cap_close(struct capture *c)
{
	fclose(c->ctx.out);
	fclose(c->ctx.err);
}

static void cap_free(struct capture *c)
{
	free(c->out);
	free(c->err);
}

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

static void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
}

#define RUN(r, ...) do {						\
	const char *argv_[] = { "bpfrt", __VA_ARGS__, NULL };		\
	run_cli((r), (int)(sizeof(argv_) / sizeof(argv_[0])) - 1, argv_); \
} while (0)

/* --- prog list output --- */

static void test_list_text(void **state)
{
	struct bpfrt_prog_summary s[3];
	struct capture c;

	(void)state;
	summary1(&s[0]);
	summary2(&s[1]);
	summary3(&s[2]);
	cap_open(&c, false, false);
	assert_int_equal(prog_print_list(&c.ctx, s, 3), 0);
	cap_close(&c);
	assert_string_equal(c.out, LINE1 "\n" LINE2 "\n" LINE3 "\n");
	assert_int_equal(c.err_len, 0);
	cap_free(&c);
}

static void test_list_json(void **state)
{
	struct bpfrt_prog_summary s[3];
	struct capture c;

	(void)state;
	summary1(&s[0]);
	summary2(&s[1]);
	summary3(&s[2]);
	cap_open(&c, true, false);
	assert_int_equal(prog_print_list(&c.ctx, s, 3), 0);
	cap_close(&c);
	assert_string_equal(c.out, "[" JSON1 "," JSON2 "," JSON3 "]\n");
	cap_free(&c);
}

static void test_list_empty(void **state)
{
	struct capture c;

	(void)state;
	cap_open(&c, false, false);
	assert_int_equal(prog_print_list(&c.ctx, NULL, 0), 0);
	cap_close(&c);
	assert_string_equal(c.out, "");
	cap_free(&c);
	cap_open(&c, true, false);
	assert_int_equal(prog_print_list(&c.ctx, NULL, 0), 0);
	cap_close(&c);
	assert_string_equal(c.out, "[]\n");
	cap_free(&c);
}

static void test_list_pretty(void **state)
{
	struct bpfrt_prog_summary s;
	struct capture c;

	(void)state;
	summary1(&s);
	cap_open(&c, true, true);
	assert_int_equal(prog_print_list(&c.ctx, &s, 1), 0);
	cap_close(&c);
	assert_string_equal(c.out,
		"[\n"
		"    {\n"
		"        \"id\": 12,\n"
		"        \"type\": \"xdp\",\n"
		"        \"name\": \"straight_line\",\n"
		"        \"tag\": \"0123456789abcdef\",\n"
		"        \"best_ns\": 450,\n"
		"        \"worst_ns\": 1234,\n"
		"        \"insn_cnt\": 57,\n"
		"        \"func_cnt\": 1,\n"
		"        \"flags\": [\n"
		"            \"jited\",\n"
		"            \"terminable\"\n"
		"        ],\n"
		"        \"estimate_flags\": [],\n"
		"        \"jited\": true,\n"
		"        \"terminable\": true,\n"
		"        \"est_errno\": 0\n"
		"    }\n"
		"]\n");
	cap_free(&c);
}

static void test_summary_name_not_terminated(void **state)
{
	struct bpfrt_prog_summary s;
	struct capture c;

	(void)state;
	summary1(&s);
	/* a full 16-byte name with no NUL is printed, never overrun */
	memcpy(s.name, "0123456789abcdef", BPFRT_OBJ_NAME_LEN);
	cap_open(&c, false, false);
	prog_summary_line(c.ctx.out, &s);
	cap_close(&c);
	assert_non_null(strstr(c.out, "  name 0123456789abcdef  tag "));
	cap_free(&c);
}

/* --- prog show output --- */

static void test_show_text(void **state)
{
	struct bpfrt_map_desc maps[BPFRT_MAX_MAPS];
	struct bpfrt_call_site sites[3];
	struct bpfrt_prog_info info;
	struct capture c;

	(void)state;
	info1(&info, sites, maps);
	cap_open(&c, false, false);
	assert_int_equal(prog_print_info(&c.ctx, &info, sites, maps), 0);
	cap_close(&c);
	assert_string_equal(c.out, info1_text);
	cap_free(&c);
}

static void test_show_json(void **state)
{
	struct bpfrt_map_desc maps[BPFRT_MAX_MAPS];
	struct bpfrt_call_site sites[3];
	struct bpfrt_prog_info info;
	struct capture c;

	(void)state;
	info1(&info, sites, maps);
	cap_open(&c, true, false);
	assert_int_equal(prog_print_info(&c.ctx, &info, sites, maps), 0);
	cap_close(&c);
	assert_string_equal(c.out, info1_json);
	cap_free(&c);
}

static void test_show_failed_estimate(void **state)
{
	struct bpfrt_prog_info info;
	struct capture c;

	(void)state;
	memset(&info, 0, sizeof(info));
	summary3(&info.summary);
	info.jited_len = 100;
	cap_open(&c, false, false);
	assert_int_equal(prog_print_info(&c.ctx, &info, NULL, NULL), 0);
	cap_close(&c);
	assert_string_equal(c.out,
		"14: kprobe  name bad  tag 0000000000000000\n"
		"\tinsns 0  funcs 0  jited 100B\n"
		"\testimate failed: Argument list too long\n"
		"\tflags:\n"
		"\t\tadopted: loaded before the bpfrt module: no verifier statistics\n"
		"\t\test_failed: the analyzer refused the program: no estimate\n");
	cap_free(&c);

	cap_open(&c, true, false);
	assert_int_equal(prog_print_info(&c.ctx, &info, NULL, NULL), 0);
	cap_close(&c);
	assert_string_equal(c.out,
		"{\"id\":14,\"type\":\"kprobe\",\"name\":\"bad\","
		"\"tag\":\"0000000000000000\",\"best_ns\":null,\"worst_ns\":null,"
		"\"insn_cnt\":0,\"func_cnt\":0,\"flags\":[\"adopted\","
		"\"est_failed\"],\"estimate_flags\":[],\"jited\":false,"
		"\"terminable\":false,\"est_errno\":7,"
		"\"est_error\":\"Argument list too long\","
		"\"verified_insns\":null,\"verify_ns\":null,\"jited_bytes\":100,"
		"\"term_armed\":false,\"term_all_cpus\":false,\"term_requested\":0,"
		"\"term_completed\":0,\"term_last_latency_ns\":0,\"term_stub_hits\":0,"
		"\"image_crc32\":0,"
		"\"best_ps\":null,\"worst_ps\":null,\"best_insns\":null,"
		"\"worst_insns\":null,\"best_helper_calls\":null,"
		"\"worst_helper_calls\":null,"
		"\"notes\":[\"loaded before the bpfrt module: no verifier "
		"statistics\",\"the analyzer refused the program: no estimate\"],"
		"\"worst_explanation\":null,\"contributors\":[],"
		"\"map_cnt\":0,\"maps\":[],\"site_cnt\":0,\"call_sites\":[]}\n");
	cap_free(&c);
}

static void test_show_unbounded_and_many_maps(void **state)
{
	struct bpfrt_map_desc maps[BPFRT_MAX_MAPS];
	struct bpfrt_prog_info info;
	struct capture c;
	int i;

	(void)state;
	memset(&info, 0, sizeof(info));
	summary2(&info.summary);
	info.worst_ps = BPFRT_UNBOUNDED;
	info.worst_insns = UINT64_MAX;
	info.worst_helper_calls = 5;
	info.contrib_cnt = 1;
	info.contrib[0] = (struct bpfrt_contrib){ .kind = BPFRT_CONTRIB_LOOP,
		.insn = 4, .multiplier = 1000000, .cost_ps = BPFRT_UNBOUNDED };
	info.map_cnt = 70;	/* more than BPFRT_MAX_MAPS */
	memset(maps, 0, sizeof(maps));
	for (i = 0; i < BPFRT_MAX_MAPS; i++)
		maps[i].type = BPF_MAP_TYPE_ARRAY;
	cap_open(&c, false, false);
	assert_int_equal(prog_print_info(&c.ctx, &info, NULL, maps), 0);
	cap_close(&c);
	assert_non_null(strstr(c.out,
		"\tworst unbounded  insns unbounded  helper_calls 5\n"));
	assert_non_null(strstr(c.out,
		"\tworst case unbounded, largest contributors:\n"
		"\t\t    -  unbounded  the loop body at func 0 insn 4, 1000000 iterations\n"
		"\tmaps: 70\n"
		"\t\t0: array  id 0  max_entries 0  key 0B  value 0B\n"));
	assert_non_null(strstr(c.out,
		"\t\t63: array  id 0  max_entries 0  key 0B  value 0B\n"
		"\t\t(6 more not shown)\n"));
	cap_free(&c);

	cap_open(&c, true, false);
	assert_int_equal(prog_print_info(&c.ctx, &info, NULL, maps), 0);
	cap_close(&c);
	assert_non_null(strstr(c.out, "\"worst_ns\":null,"));
	assert_non_null(strstr(c.out, "\"worst_ps\":null,"));
	assert_non_null(strstr(c.out, "\"worst_insns\":null,"));
	assert_non_null(strstr(c.out,
		"\"worst_explanation\":\"worst case unbounded; largest known "
		"contributors: the loop body at func 0 insn 4, 1000000 "
		"iterations\""));
	assert_non_null(strstr(c.out, "\"cost_ps\":null,"));
	assert_non_null(strstr(c.out, "\"map_cnt\":70,"));
	cap_free(&c);
}

/* --- events output --- */

static void event(struct bpfrt_event *ev, __u16 type, __u64 seq,
		  __u64 time_ns)
{
	memset(ev, 0, sizeof(*ev));
	ev->size = sizeof(*ev);
	ev->version = BPFRT_EVENT_VERSION;
	ev->type = type;
	ev->seq = seq;
	ev->time_ns = time_ns;
	if (type == BPFRT_EV_PROG_ESTIMATED || type == BPFRT_EV_PROG_FREED)
		summary1(&ev->prog);
}

static void test_event_text(void **state)
{
	struct bpfrt_event ev;
	struct capture c;

	(void)state;
	cap_open(&c, false, false);
	event(&ev, BPFRT_EV_PROG_ESTIMATED, 5, 12345678901234ULL);
	event_print(&c.ctx, &ev);
	event(&ev, BPFRT_EV_PROG_FREED, 6, 1500000000);
	event_print(&c.ctx, &ev);
	event(&ev, BPFRT_EV_LOST, 7, 1500000000);
	ev.lost = 3;
	event_print(&c.ctx, &ev);
	ev.lost = 1;
	event_print(&c.ctx, &ev);
	event(&ev, 9, 8, 0);
	event_print(&c.ctx, &ev);
	cap_close(&c);
	assert_string_equal(c.out,
		"[12345.678901] prog_estimated  " LINE1 "\n"
		"[    1.500000] prog_freed  " LINE1 "\n"
		"[    1.500000] lost  3 events\n"
		"[    1.500000] lost  1 event\n"
		"[    0.000000] event type 9\n");
	cap_free(&c);
}

static void test_event_json_lines(void **state)
{
	struct bpfrt_event ev;
	struct capture c;

	(void)state;
	cap_open(&c, true, false);
	event(&ev, BPFRT_EV_PROG_ESTIMATED, 5, 12345678901234ULL);
	event_print(&c.ctx, &ev);
	event(&ev, BPFRT_EV_LOST, 7, 1500000000);
	ev.lost = 3;
	event_print(&c.ctx, &ev);
	event(&ev, 9, 8, 0);
	event_print(&c.ctx, &ev);
	cap_close(&c);
	/* JSON Lines: one whole object per line */
	assert_string_equal(c.out,
		"{\"seq\":5,\"time_ns\":12345678901234,\"type\":\"prog_estimated\","
		"\"prog\":" JSON1 "}\n"
		"{\"seq\":7,\"time_ns\":1500000000,\"type\":\"lost\",\"lost\":3}\n"
		"{\"seq\":8,\"time_ns\":0,\"type\":9}\n");
	cap_free(&c);
}

/* --- whole runs against the fake module --- */

static struct bpfrt_call_site fixture_sites[3];

static int setup_fake_module(void **state)
{
	struct bpfrt_map_desc maps[BPFRT_MAX_MAPS];

	(void)state;
	fake_reset();
	setenv("BPFRT_DEVICE", "/dev/null", 1);
	summary1(&fake.progs[0]);
	summary2(&fake.progs[1]);
	fake.nprogs = 2;
	info1(&fake.info, fixture_sites, maps);
	memcpy(fake.sites, fixture_sites, sizeof(fixture_sites));
	fake.nsites = 3;
	memcpy(fake.maps, maps, sizeof(maps[0]));
	return 0;
}

static void test_run_prog_list(void **state)
{
	struct run r;

	(void)state;
	RUN(&r, "prog", "list");
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, LINE1 "\n" LINE2 "\n");
	assert_int_equal(r.err_len, 0);
	run_free(&r);
	/* show without an id, the object alone, and prefixes: the same */
	RUN(&r, "prog", "show");
	assert_string_equal(r.out, LINE1 "\n" LINE2 "\n");
	run_free(&r);
	RUN(&r, "prog");
	assert_string_equal(r.out, LINE1 "\n" LINE2 "\n");
	run_free(&r);
	RUN(&r, "p", "l");
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, LINE1 "\n" LINE2 "\n");
	run_free(&r);
	RUN(&r, "-j", "prog", "list");
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "[" JSON1 "," JSON2 "]\n");
	run_free(&r);
}

static void test_run_prog_list_pages(void **state)
{
	struct run r;
	__u32 i;
	char *line;

	(void)state;
	/* 150 programs, 20 per page: the CLI must page through all */
	fake.nprogs = 150;
	fake.page_max = 20;
	for (i = 0; i < 150; i++) {
		summary1(&fake.progs[i]);
		fake.progs[i].id = 100 + i;
	}
	RUN(&r, "prog", "list");
	assert_int_equal(r.status, 0);
	assert_int_equal(fake.list_calls, 8);
	i = 0;
	for (line = r.out; (line = strchr(line, '\n')); line++)
		i++;
	assert_int_equal(i, 150);
	assert_true(strncmp(r.out, "100: xdp", 8) == 0);
	assert_non_null(strstr(r.out, "\n249: xdp"));
	run_free(&r);
}

static void test_run_prog_show(void **state)
{
	struct run r;

	(void)state;
	RUN(&r, "prog", "show", "12");
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, info1_text);
	assert_int_equal(r.err_len, 0);
	run_free(&r);
	RUN(&r, "prog", "sh", "id", "12");
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, info1_text);
	run_free(&r);
	RUN(&r, "prog", "list", "id", "12");
	assert_string_equal(r.out, info1_text);
	run_free(&r);
	RUN(&r, "-j", "prog", "show", "12");
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, info1_json);
	run_free(&r);
}

static void test_run_prog_show_unknown_id(void **state)
{
	struct run r;

	(void)state;
	RUN(&r, "prog", "show", "77");
	assert_int_equal(r.status, 1);
	assert_string_equal(r.err,
		"Error: no program with id 77 recorded by bpfrt\n");
	assert_string_equal(r.out, "");
	run_free(&r);
	/* JSON: exactly one document, on stdout */
	RUN(&r, "-j", "prog", "show", "id", "77");
	assert_int_equal(r.status, 1);
	assert_string_equal(r.out,
		"{\"error\":\"no program with id 77 recorded by bpfrt\"}\n");
	assert_int_equal(r.err_len, 0);
	run_free(&r);
}

static void expect_bad_args(const char *a1, const char *a2, const char *a3,
			    const char *want)
{
	const char *argv[] = { "bpfrt", "prog", "show", a1, a2, a3, NULL };
	int argc = 4 + (a2 != NULL) + (a2 && a3);
	char err[256];
	struct run r;

	run_cli(&r, argc, argv);
	assert_int_equal(r.status, 1);
	snprintf(err, sizeof(err), "Error: %s\n", want);
	assert_string_equal(r.err, err);
	assert_string_equal(r.out, "");
	run_free(&r);
	/* never asked the module */
	assert_int_equal(fake.info_calls, 0);
	assert_int_equal(fake.list_calls, 0);
}

static void test_run_prog_show_bad_args(void **state)
{
	struct run r;

	(void)state;
	expect_bad_args("abc", NULL, NULL,
		"invalid program id 'abc' (expected a number from 1 to 4294967295)");
	expect_bad_args("0", NULL, NULL,
		"invalid program id '0' (expected a number from 1 to 4294967295)");
	expect_bad_args("-1", NULL, NULL,
		"invalid program id '-1' (expected a number from 1 to 4294967295)");
	expect_bad_args("12abc", NULL, NULL,
		"invalid program id '12abc' (expected a number from 1 to 4294967295)");
	expect_bad_args("4294967296", NULL, NULL,
		"invalid program id '4294967296' (expected a number from 1 to 4294967295)");
	expect_bad_args("id", NULL, NULL, "expected a program id after 'id'");
	expect_bad_args("12", "13", NULL, "unexpected argument '13'");
	expect_bad_args("id", "12", "x", "unexpected argument 'x'");

	RUN(&r, "-j", "prog", "show", "abc");
	assert_int_equal(r.status, 1);
	assert_string_equal(r.out,
		"{\"error\":\"invalid program id 'abc' (expected a number from "
		"1 to 4294967295)\"}\n");
	run_free(&r);

	RUN(&r, "prog", "frob");
	assert_int_equal(r.status, 1);
	assert_string_equal(r.err, "Error: unknown command 'frob'\n");
	assert_non_null(strstr(r.out, "Usage: bpfrt prog { show | list } [PROG]"));
	run_free(&r);

	RUN(&r, "prog", "help");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "PROG := [ id ] ID"));
	run_free(&r);
}

static void test_run_prog_module_errors(void **state)
{
	struct run r;

	(void)state;
	fake.list_errno = ENOTTY;	/* a module without capture */
	RUN(&r, "prog", "list");
	assert_int_equal(r.status, 1);
	assert_string_equal(r.err, "Error: the loaded bpfrt module does not "
			    "record programs; load a newer bpfrt module\n");
	run_free(&r);

	fake.list_errno = EIO;
	RUN(&r, "-j", "prog", "list");
	assert_int_equal(r.status, 1);
	assert_string_equal(r.out, "{\"error\":\"program list on /dev/bpfrt "
			    "failed: Input/output error\"}\n");
	run_free(&r);

	setenv("BPFRT_DEVICE", "/nonexistent/bpfrt-unit-test", 1);
	RUN(&r, "prog", "show", "12");
	assert_int_equal(r.status, 1);
	assert_string_equal(r.err, "Error: the bpfrt kernel module is not "
			    "loaded; load it with 'modprobe bpfrt' (as root)\n");
	run_free(&r);
	RUN(&r, "-j", "prog");
	assert_int_equal(r.status, 1);
	assert_string_equal(r.out, "{\"error\":\"the bpfrt kernel module is "
			    "not loaded; load it with 'modprobe bpfrt' (as "
			    "root)\"}\n");
	run_free(&r);
}

/* --- bpfrt events, with a FIFO for /dev/bpfrt --- */

static char fifo_dir[64], fifo_path[96];
static int fifo_fd = -1;

static int setup_fifo(void **state)
{
	setup_fake_module(state);
	strcpy(fifo_dir, "/tmp/bpfrt-unit-XXXXXX");
	if (!mkdtemp(fifo_dir))
		return -1;
	snprintf(fifo_path, sizeof(fifo_path), "%s/dev", fifo_dir);
	if (mkfifo(fifo_path, 0600))
		return -1;
	/* hold both ends, so records wait in the pipe for the CLI */
	fifo_fd = open(fifo_path, O_RDWR | O_NONBLOCK);
	if (fifo_fd < 0)
		return -1;
	setenv("BPFRT_DEVICE", fifo_path, 1);
	return 0;
}

static int teardown_fifo(void **state)
{
	(void)state;
	close(fifo_fd);
	unlink(fifo_path);
	rmdir(fifo_dir);
	return 0;
}

/* Writes records of the given sizes (estimated, freed, lost in turn). */
static void feed(const __u32 *sizes, int n)
{
	unsigned char buf[4096];
	struct bpfrt_event ev;
	size_t len = 0;
	int i;

	for (i = 0; i < n; i++) {
		event(&ev, 1 + i % 3, 100 + i, 2000000000ULL + i * 1000);
		if (ev.type == BPFRT_EV_LOST)
			ev.lost = 4;
		ev.size = sizes[i];
		memset(buf + len, 0x5a, sizes[i]);
		memcpy(buf + len, &ev, sizes[i] < sizeof(ev) ? sizes[i]
							     : sizeof(ev));
		len += sizes[i];
	}
	assert_int_equal(write(fifo_fd, buf, len), len);
}

static void test_run_events_count(void **state)
{
	/* this module's size, a newer module's, an older module's */
	const __u32 sizes[] = { sizeof(struct bpfrt_event),
				sizeof(struct bpfrt_event) + 24, 112 };
	struct run r;

	(void)state;
	feed(sizes, 3);
	RUN(&r, "events", "-n", "3");
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out,
		"[    2.000000] prog_estimated  " LINE1 "\n"
		"[    2.000001] prog_freed  " LINE1 "\n"
		"[    2.000002] lost  4 events\n");
	assert_int_equal(r.err_len, 0);
	run_free(&r);

	feed(sizes, 2);
	RUN(&r, "-j", "events", "--count", "2");
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out,
		"{\"seq\":100,\"time_ns\":2000000000,\"type\":\"prog_estimated\","
		"\"prog\":" JSON1 "}\n"
		"{\"seq\":101,\"time_ns\":2000001000,\"type\":\"prog_freed\","
		"\"prog\":" JSON1 "}\n");
	run_free(&r);

	/* more records than asked for: stops after the count */
	feed(sizes, 3);
	RUN(&r, "ev", "--count=1");
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out,
		"[    2.000000] prog_estimated  " LINE1 "\n");
	run_free(&r);
}

static void test_run_events_older_record_lacks_lost(void **state)
{
	/* a lost record of an older module that ends before @lost */
	const __u32 sizes[] = { 64, 64, 64 };
	struct run r;

	(void)state;
	feed(sizes, 3);
	RUN(&r, "events", "-n", "3");
	assert_int_equal(r.status, 0);
	/* 64 bytes carry the summary up to worst_ns only */
	assert_non_null(strstr(r.out, "[    2.000002] lost  0 events\n"));
	run_free(&r);
}

static void test_run_events_malformed(void **state)
{
	const __u32 sizes[] = { sizeof(struct bpfrt_event), 8 };
	struct run r;

	(void)state;
	feed(sizes, 2);
	RUN(&r, "-j", "events", "-n", "5");
	assert_int_equal(r.status, 1);
	/* the good event, then the error as one more JSON line */
	assert_string_equal(r.out,
		"{\"seq\":100,\"time_ns\":2000000000,\"type\":\"prog_estimated\","
		"\"prog\":" JSON1 "}\n"
		"{\"error\":\"malformed record in the event stream of "
		"/dev/bpfrt\"}\n");
	run_free(&r);
}

static void test_run_events_errors(void **state)
{
	struct run r;

	(void)state;
	RUN(&r, "events", "-n");
	assert_int_equal(r.status, 1);
	assert_string_equal(r.err, "Error: expected a number after '-n'\n");
	run_free(&r);
	RUN(&r, "events", "--count", "x");
	assert_string_equal(r.err, "Error: invalid count 'x' (expected a "
			    "number of at least 1)\n");
	run_free(&r);
	RUN(&r, "events", "--count=0");
	assert_string_equal(r.err, "Error: invalid count '0' (expected a "
			    "number of at least 1)\n");
	run_free(&r);
	RUN(&r, "events", "bogus");
	assert_string_equal(r.err, "Error: unexpected argument 'bogus'\n");
	run_free(&r);
	RUN(&r, "events", "help");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "Usage: bpfrt events [ { -n | --count } COUNT ]"));
	run_free(&r);

	fake.features = BPFRT_FEAT_VERSION;	/* a module without events */
	RUN(&r, "events");
	assert_int_equal(r.status, 1);
	assert_string_equal(r.err, "Error: the loaded bpfrt module (v9.9.9) "
			    "has no event stream; load a newer bpfrt module\n");
	run_free(&r);
}

/* Runs `bpfrt events` in a child; returns its pid once it is running. */
static pid_t spawn_events(bool block_sigint)
{
	int ready[2];
	pid_t pid;
	char c;

	assert_int_equal(pipe(ready), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		const char *argv[] = { "bpfrt", "events", NULL };
		FILE *devnull = fopen("/dev/null", "w");
		sigset_t set;
		int status;

		if (block_sigint) {
			sigemptyset(&set);
			sigaddset(&set, SIGINT);
			sigprocmask(SIG_BLOCK, &set, NULL);
		}
		if (write(ready[1], "r", 1) != 1)
			_exit(99);
		status = cli_main(2, (char **)argv, devnull, devnull);
		_exit(status);
	}
	close(ready[1]);
	assert_int_equal(read(ready[0], &c, 1), 1);
	close(ready[0]);
	return pid;
}

static int wait_exit(pid_t pid)
{
	int status;

	assert_int_equal(waitpid(pid, &status, 0), pid);
	/* killed by the signal instead of ending cleanly: fail */
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static void test_run_events_sigint_pending(void **state)
{
	pid_t pid;

	(void)state;
	/* SIGINT arrives before the stream starts: it must still end it */
	pid = spawn_events(true);
	assert_int_equal(kill(pid, SIGINT), 0);
	assert_int_equal(wait_exit(pid), 0);
}

/* Whether @pid sleeps (in ppoll, the only place the CLI can sleep here). */
static bool sleeping(pid_t pid)
{
	char path[64], buf[256], *p;
	FILE *f;
	bool s = false;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return false;
	if (fgets(buf, sizeof(buf), f)) {
		p = strrchr(buf, ')');
		s = p && p[1] == ' ' && p[2] == 'S';
	}
	fclose(f);
	return s;
}

static void test_run_events_sigint_while_waiting(void **state)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	pid_t pid;
	int i;

	(void)state;
	pid = spawn_events(false);
	for (i = 0; i < 500 && !sleeping(pid); i++)
		nanosleep(&ts, NULL);
	assert_true(sleeping(pid));
	assert_int_equal(kill(pid, SIGINT), 0);
	assert_int_equal(wait_exit(pid), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list_text),
		cmocka_unit_test(test_list_json),
		cmocka_unit_test(test_list_empty),
		cmocka_unit_test(test_list_pretty),
		cmocka_unit_test(test_summary_name_not_terminated),
		cmocka_unit_test(test_show_text),
		cmocka_unit_test(test_show_json),
		cmocka_unit_test(test_show_failed_estimate),
		cmocka_unit_test(test_show_unbounded_and_many_maps),
		cmocka_unit_test(test_event_text),
		cmocka_unit_test(test_event_json_lines),
		cmocka_unit_test_setup(test_run_prog_list, setup_fake_module),
		cmocka_unit_test_setup(test_run_prog_list_pages,
				       setup_fake_module),
		cmocka_unit_test_setup(test_run_prog_show, setup_fake_module),
		cmocka_unit_test_setup(test_run_prog_show_unknown_id,
				       setup_fake_module),
		cmocka_unit_test_setup(test_run_prog_show_bad_args,
				       setup_fake_module),
		cmocka_unit_test_setup(test_run_prog_module_errors,
				       setup_fake_module),
		cmocka_unit_test_setup_teardown(test_run_events_count,
						setup_fifo, teardown_fifo),
		cmocka_unit_test_setup_teardown(test_run_events_older_record_lacks_lost,
						setup_fifo, teardown_fifo),
		cmocka_unit_test_setup_teardown(test_run_events_malformed,
						setup_fifo, teardown_fifo),
		cmocka_unit_test_setup_teardown(test_run_events_errors,
						setup_fifo, teardown_fifo),
		cmocka_unit_test_setup_teardown(test_run_events_sigint_pending,
						setup_fifo, teardown_fifo),
		cmocka_unit_test_setup_teardown(test_run_events_sigint_while_waiting,
						setup_fifo, teardown_fifo),
	};

	return cmocka_run_group_tests_name("prog_cli", tests, NULL, NULL);
}
