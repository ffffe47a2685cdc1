// SPDX-License-Identifier: GPL-2.0
/*
 * `bpfrt estimate`'s output (estimate.h: est_print): the estimates of an
 * object's programs as text lines, the detail view, or JSON. Pure: it
 * takes the results as plain structs, so the unit tests check the exact
 * output without libbpf or a kernel. estimate.c makes the estimates.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "estimate.h"
#include "format.h"
#include "names.h"
#include "prog.h"

#define U64_NONE (~(__u64)0)

__u32 est_contribs(const struct est_prog *p,
		   struct bpfrt_contrib out[BPFRT_MAX_CONTRIB])
{
	__u32 i, n = p->res.contrib_cnt;

	if (p->err)
		return 0;
	if (n > BPFRT_MAX_CONTRIB)
		n = BPFRT_MAX_CONTRIB;
	for (i = 0; i < n; i++) {
		const struct bpfrt_an_contrib *c = &p->res.contrib[i];

		memset(&out[i], 0, sizeof(out[i]));
		out[i].func = c->func;
		out[i].insn = c->insn;
		out[i].kind = c->kind;
		out[i].op = c->op;
		out[i].id = c->id;
		out[i].multiplier = c->multiplier;
		out[i].cost_ps = c->cost_ps;
		out[i].share_pm = c->share_pm;
	}
	return n;
}

/* BPFRT_PROG_F_* that apply to a program that is not loaded. */
static __u32 est_prog_flags(const struct est_prog *p)
{
	__u32 f = 0;

	if (p->type == BPF_PROG_TYPE_EXT)
		f |= BPFRT_PROG_F_EXT;
	if (p->err)
		f |= BPFRT_PROG_F_EST_FAILED;
	return f;
}

static char *fmt_error(char *buf, size_t len, const struct est_prog *p)
{
	snprintf(buf, len, "%s%s%s%s%s", strerror(-p->err),
		 p->err_what ? ", " : "", p->err_what ? p->err_what : "",
		 p->err_detail[0] ? ": " : "", p->err_detail);
	return buf;
}

static const char *costs_source_name(const struct est_costs *c)
{
	return c->source == EST_COSTS_MODULE ? "module" : "builtin";
}

static void print_line(FILE *out, const struct est_prog *p)
{
	char best[FMT_DURATION_LEN], worst[FMT_DURATION_LEN], buf[512];
	__u32 flags = est_prog_flags(p);

	fprintf(out, "%s: ", p->name);
	print_prog_type(out, p->type);
	fprintf(out, "  section %s", p->section);
	if (p->err)
		fprintf(out, "  estimate failed (%s)",
			fmt_error(buf, sizeof(buf), p));
	else
		fprintf(out, "  worst %s  best %s",
			fmt_duration_ns(worst, sizeof(worst), p->res.worst_ns),
			fmt_duration_ns(best, sizeof(best), p->res.best_ns));
	fprintf(out, "  insns %u  funcs %u", p->insn_cnt, p->func_cnt);
	if (flags)
		fprintf(out, "  flags %s", flags_names(buf, sizeof(buf), flags,
			prog_flag_descs, ","));
	if (!p->err && p->res.flags)
		fprintf(out, "  estimate %s", flags_names(buf, sizeof(buf),
			p->res.flags, est_flag_descs, ","));
	fputc('\n', out);
}

static void print_maps_text(FILE *out, const struct est_prog *p)
{
	__u32 i;

	if (!p->map_cnt)
		return;
	fprintf(out, "\tmaps: %u\n", p->map_cnt);
	for (i = 0; i < p->map_cnt; i++) {
		const struct bpfrt_map_desc *m = &p->maps[i];

		fprintf(out, "\t\t%u: ", i);
		if (map_type_name(m->type))
			fputs(map_type_name(m->type), out);
		else
			fprintf(out, "type %u", m->type);
		fprintf(out, "  name %.*s  max_entries %u  key %uB  value %uB\n",
			BPFRT_OBJ_NAME_LEN, m->name, m->max_entries,
			m->key_size, m->value_size);
	}
}

static void print_sites_text(FILE *out, const struct est_prog *p)
{
	char callee[64], kbuf[16];
	__u32 i;

	if (!p->site_cnt)
		return;
	fprintf(out, "\tcall sites: %u\n", p->site_cnt);
	fprintf(out, "\t\t%4s  %5s  %-7s  %s\n", "func", "insn", "kind",
		"callee");
	for (i = 0; i < p->site_cnt; i++) {
		const struct est_site *s = &p->sites[i];
		const char *kind = site_kind_name(s->kind);

		if (!kind) {
			snprintf(kbuf, sizeof(kbuf), "%u", s->kind);
			kind = kbuf;
		}
		fprintf(out, "\t\t%4u  %5u  %-7s  %s\n", s->func, s->insn,
			kind, fmt_callee(callee, sizeof(callee), s->kind, 0,
					 s->id, NULL, 0));
	}
}

static void print_detail(FILE *out, const struct est_prog *p)
{
	struct bpfrt_contrib contrib[BPFRT_MAX_CONTRIB];
	char d[FMT_DURATION_LEN], n1[24], n2[24], buf[512];
	__u32 flags = est_prog_flags(p), cnt = est_contribs(p, contrib);

	fprintf(out, "%s: ", p->name);
	print_prog_type(out, p->type);
	fprintf(out, "  section %s\n", p->section);
	fprintf(out, "\tinsns %u  funcs %u\n", p->insn_cnt, p->func_cnt);
	if (p->err) {
		fprintf(out, "\testimate failed: %s\n",
			fmt_error(buf, sizeof(buf), p));
	} else {
		fprintf(out, "\tbest %s  insns %s  helper_calls %s\n",
			fmt_duration_ps(d, sizeof(d), p->res.best_ps),
			fmt_count(n1, sizeof(n1), p->res.best_insns),
			fmt_count(n2, sizeof(n2), p->res.best_helper_calls));
		fprintf(out, "\tworst %s  insns %s  helper_calls %s\n",
			fmt_duration_ps(d, sizeof(d), p->res.worst_ps),
			fmt_count(n1, sizeof(n1), p->res.worst_insns),
			fmt_count(n2, sizeof(n2), p->res.worst_helper_calls));
	}
	if (flags) {
		fprintf(out, "\tflags:\n");
		print_flag_lines(out, flags, prog_flag_descs);
	}
	if (!p->err && p->res.flags) {
		fprintf(out, "\testimate depends on:\n");
		print_flag_lines(out, p->res.flags, est_flag_descs);
	}
	if (!p->err)
		print_contrib_lines(out, p->res.worst_ps, contrib, cnt,
				    p->maps, p->map_cnt);
	print_maps_text(out, p);
	print_sites_text(out, p);
}

static void print_text(struct cli_ctx *ctx, const struct est_costs *costs,
		       const struct est_prog *progs, __u32 cnt, bool detail)
{
	struct bpfrt_contrib contrib[BPFRT_MAX_CONTRIB];
	char *explain = malloc(FMT_EXPLAIN_LEN);
	__u32 i, n;

	fprintf(ctx->out, "costs: %s table, %s\n",
		costs->source == EST_COSTS_MODULE ? "the module's" :
		"bpfrt's built-in", costs->description);
	for (i = 0; i < cnt; i++) {
		const struct est_prog *p = &progs[i];

		if (detail) {
			print_detail(ctx->out, p);
			continue;
		}
		print_line(ctx->out, p);
		n = est_contribs(p, contrib);
		if (!p->err && explain)
			fprintf(ctx->out, "\t%s\n", fmt_worst_explanation(explain,
				FMT_EXPLAIN_LEN, p->res.worst_ps, contrib, n,
				p->maps, p->map_cnt));
	}
	free(explain);
}

static void json_prog(struct json_writer *jw, const struct est_prog *p,
		      char *explain)
{
	struct bpfrt_contrib contrib[BPFRT_MAX_CONTRIB];
	__u32 n = est_contribs(p, contrib), i;
	bool ok = !p->err;
	char buf[512];

	jsonw_start_object(jw);
	jsonw_string_field(jw, "name", p->name);
	json_name_or_num(jw, "type", prog_type_name(p->type), p->type);
	jsonw_string_field(jw, "section", p->section);
	json_u64_or_null(jw, "best_ns", p->res.best_ns, ok);
	json_u64_or_null(jw, "worst_ns", p->res.worst_ns, ok);
	jsonw_uint_field(jw, "insn_cnt", p->insn_cnt);
	jsonw_uint_field(jw, "func_cnt", p->func_cnt);
	json_flags(jw, "flags", est_prog_flags(p), prog_flag_descs);
	json_flags(jw, "estimate_flags", ok ? p->res.flags : 0,
		   est_flag_descs);
	jsonw_uint_field(jw, "est_errno", ok ? 0 : -p->err);
	if (!ok)
		jsonw_string_field(jw, "est_error",
				   fmt_error(buf, sizeof(buf), p));
	json_u64_or_null(jw, "best_ps", p->res.best_ps, ok);
	json_u64_or_null(jw, "worst_ps", p->res.worst_ps, ok);
	json_u64_or_null(jw, "best_insns", p->res.best_insns, ok);
	json_u64_or_null(jw, "worst_insns", p->res.worst_insns, ok);
	json_u64_or_null(jw, "best_helper_calls", p->res.best_helper_calls,
			 ok);
	json_u64_or_null(jw, "worst_helper_calls", p->res.worst_helper_calls,
			 ok);

	jsonw_name(jw, "notes");
	jsonw_start_array(jw);
	json_notes(jw, est_prog_flags(p), prog_flag_descs);
	json_notes(jw, ok ? p->res.flags : 0, est_flag_descs);
	jsonw_end_array(jw);

	jsonw_name(jw, "worst_explanation");
	if (ok && explain)
		jsonw_string(jw, fmt_worst_explanation(explain,
			FMT_EXPLAIN_LEN, p->res.worst_ps, contrib, n, p->maps,
			p->map_cnt));
	else
		jsonw_null(jw);

	jsonw_name(jw, "contributors");
	jsonw_start_array(jw);
	for (i = 0; i < n; i++)
		json_contrib(jw, &contrib[i], p->maps, p->map_cnt);
	jsonw_end_array(jw);

	jsonw_uint_field(jw, "map_cnt", p->map_cnt);
	jsonw_name(jw, "maps");
	jsonw_start_array(jw);
	for (i = 0; i < p->map_cnt; i++)
		json_map(jw, i, &p->maps[i], false);
	jsonw_end_array(jw);

	jsonw_uint_field(jw, "site_cnt", p->site_cnt);
	jsonw_name(jw, "call_sites");
	jsonw_start_array(jw);
	for (i = 0; i < p->site_cnt; i++) {
		const struct est_site *cs = &p->sites[i];

		jsonw_start_object(jw);
		jsonw_uint_field(jw, "func", cs->func);
		jsonw_uint_field(jw, "insn", cs->insn);
		json_name_or_num(jw, "kind", site_kind_name(cs->kind),
				 cs->kind);
		json_u64_or_null(jw, "id", cs->id, cs->id != BPFRT_AN_NONE);
		if (cs->kind == BPFRT_SITE_HELPER) {
			json_string_or_null(jw, "helper", helper_name(cs->id));
		}
		jsonw_end_object(jw);
	}
	jsonw_end_array(jw);
	jsonw_end_object(jw);
}

int est_print(struct cli_ctx *ctx, const char *file,
	      const struct est_costs *costs, const struct est_prog *progs,
	      __u32 cnt, bool detail)
{
	struct json_writer *jw = &ctx->jw;
	char *explain;
	__u32 i;
	int ret;

	if (!ctx->json) {
		print_text(ctx, costs, progs, cnt, detail);
		return ferror(ctx->out) ? 1 : 0;
	}
	explain = malloc(FMT_EXPLAIN_LEN);
	jsonw_init(jw, ctx->out, ctx->pretty);
	jsonw_start_object(jw);
	jsonw_string_field(jw, "file", file);
	jsonw_name(jw, "costs");
	jsonw_start_object(jw);
	jsonw_string_field(jw, "table", costs_source_name(costs));
	if (costs->source == EST_COSTS_MODULE)
		jsonw_string_field(jw, "module_source",
				   costs->module_source == BPFRT_COSTS_UPLOADED ?
				   "uploaded" : "builtin");
	jsonw_string_field(jw, "description", costs->description);
	jsonw_end_object(jw);
	jsonw_name(jw, "programs");
	jsonw_start_array(jw);
	for (i = 0; i < cnt; i++)
		json_prog(jw, &progs[i], explain);
	jsonw_end_array(jw);
	jsonw_end_object(jw);
	ret = jsonw_finish(jw) ? 1 : 0;
	free(explain);
	return ret;
}
