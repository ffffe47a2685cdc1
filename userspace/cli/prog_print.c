// SPDX-License-Identifier: GPL-2.0
/*
 * Printing of the module's program records (prog.h): `bpfrt prog list` and
 * `bpfrt prog show` as text and JSON, and the pieces `bpfrt estimate` and
 * `bpfrt events` share with them. The commands are prog.c's.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "format.h"
#include "names.h"
#include "prog.h"

#define U64_NONE (~(__u64)0)
#define U32_NONE (~(__u32)0)

static bool est_failed(const struct bpfrt_prog_summary *s)
{
	return s->flags & BPFRT_PROG_F_EST_FAILED;
}

void prog_summary_line(FILE *out, const struct bpfrt_prog_summary *s)
{
	char best[FMT_DURATION_LEN], worst[FMT_DURATION_LEN];
	char tag[FMT_TAG_LEN], flags[256];

	fprintf(out, "%u: ", s->id);
	print_prog_type(out, s->type);
	if (s->name[0])
		fprintf(out, "  name %.*s", BPFRT_OBJ_NAME_LEN, s->name);
	fprintf(out, "  tag %s", fmt_tag(tag, sizeof(tag), s->tag));
	if (est_failed(s))
		fprintf(out, "  estimate failed (%s)", strerror(s->est_errno));
	else
		fprintf(out, "  worst %s  best %s",
			fmt_duration_ns(worst, sizeof(worst), s->worst_ns),
			fmt_duration_ns(best, sizeof(best), s->best_ns));
	fprintf(out, "  insns %u  funcs %u", s->insn_cnt, s->func_cnt);
	if (s->flags)
		fprintf(out, "  flags %s", flags_names(flags, sizeof(flags),
			s->flags, prog_flag_descs, ","));
	if (s->est_flags)
		fprintf(out, "  estimate %s", flags_names(flags, sizeof(flags),
			s->est_flags, est_flag_descs, ","));
}

/* A known name as a string, else the number (bpftool does the same). */
void json_name_or_num(struct json_writer *jw, const char *field,
			     const char *name, __u32 num)
{
	jsonw_name(jw, field);
	if (name)
		jsonw_string(jw, name);
	else
		jsonw_uint(jw, num);
}

/* A u64 that may be "none" (U64 max) or not applicable: null. */
void json_string_or_null(struct json_writer *jw, const char *field,
			 const char *s)
{
	jsonw_name(jw, field);
	if (s)
		jsonw_string(jw, s);
	else
		jsonw_null(jw);
}

void json_u64_or_null(struct json_writer *jw, const char *field,
			     __u64 v, bool valid)
{
	jsonw_name(jw, field);
	if (valid && v != U64_NONE)
		jsonw_uint(jw, v);
	else
		jsonw_null(jw);
}

void json_flags(struct json_writer *jw, const char *field,
		       __u32 flags, const struct flag_desc *tab)
{
	int bit;

	jsonw_name(jw, field);
	jsonw_start_array(jw);
	for (bit = 0; bit < 32; bit++) {
		const struct flag_desc *d;
		char num[16];

		if (!(flags & (1U << bit)))
			continue;
		d = flag_desc_find(tab, 1U << bit);
		if (d) {
			jsonw_string(jw, d->name);
		} else {
			snprintf(num, sizeof(num), "bit%d", bit);
			jsonw_string(jw, num);
		}
	}
	jsonw_end_array(jw);
}

void prog_summary_json(struct json_writer *jw,
		       const struct bpfrt_prog_summary *s)
{
	char tag[FMT_TAG_LEN], name[BPFRT_OBJ_NAME_LEN + 1];

	snprintf(name, sizeof(name), "%.*s", BPFRT_OBJ_NAME_LEN, s->name);
	jsonw_uint_field(jw, "id", s->id);
	json_name_or_num(jw, "type", prog_type_name(s->type), s->type);
	jsonw_string_field(jw, "name", name);
	jsonw_string_field(jw, "tag", fmt_tag(tag, sizeof(tag), s->tag));
	json_u64_or_null(jw, "best_ns", s->best_ns, !est_failed(s));
	json_u64_or_null(jw, "worst_ns", s->worst_ns, !est_failed(s));
	jsonw_uint_field(jw, "insn_cnt", s->insn_cnt);
	jsonw_uint_field(jw, "func_cnt", s->func_cnt);
	json_flags(jw, "flags", s->flags, prog_flag_descs);
	json_flags(jw, "estimate_flags", s->est_flags, est_flag_descs);
	jsonw_bool_field(jw, "jited", s->flags & BPFRT_PROG_F_JITED);
	jsonw_bool_field(jw, "terminable", s->flags & BPFRT_PROG_F_TERMINABLE);
	jsonw_uint_field(jw, "est_errno", s->est_errno);
	if (est_failed(s))
		jsonw_string_field(jw, "est_error", strerror(s->est_errno));
}

int prog_print_list(struct cli_ctx *ctx,
		    const struct bpfrt_prog_summary *progs, __u32 cnt)
{
	__u32 i;

	if (!ctx->json) {
		for (i = 0; i < cnt; i++) {
			prog_summary_line(ctx->out, &progs[i]);
			fputc('\n', ctx->out);
		}
		return 0;
	}
	jsonw_init(&ctx->jw, ctx->out, ctx->pretty);
	jsonw_start_array(&ctx->jw);
	for (i = 0; i < cnt; i++) {
		jsonw_start_object(&ctx->jw);
		prog_summary_json(&ctx->jw, &progs[i]);
		jsonw_end_object(&ctx->jw);
	}
	jsonw_end_array(&ctx->jw);
	return jsonw_finish(&ctx->jw) ? 1 : 0;
}

/* --- prog show ID --- */

static __u32 shown_maps(const struct bpfrt_prog_info *info,
			const struct bpfrt_map_desc *maps)
{
	if (!maps)
		return 0;
	return info->map_cnt < BPFRT_MAX_MAPS ? info->map_cnt : BPFRT_MAX_MAPS;
}

static __u32 contrib_cnt(const struct bpfrt_prog_info *info)
{
	return info->contrib_cnt < BPFRT_MAX_CONTRIB ? info->contrib_cnt
						     : BPFRT_MAX_CONTRIB;
}

void print_flag_lines(FILE *out, __u32 flags,
		      const struct flag_desc *tab)
{
	int bit;

	for (bit = 0; bit < 32; bit++) {
		const struct flag_desc *d;

		if (!(flags & (1U << bit)))
			continue;
		d = flag_desc_find(tab, 1U << bit);
		if (d)
			fprintf(out, "\t\t%s: %s\n", d->name, d->text);
		else
			fprintf(out, "\t\tbit%d: not known to this bpfrt\n",
				bit);
	}
}

void print_contrib_lines(FILE *out, __u64 worst_ps,
			 const struct bpfrt_contrib *contrib, __u32 cnt,
			 const struct bpfrt_map_desc *maps, __u32 map_cnt)
{
	char d[FMT_DURATION_LEN], d2[FMT_DURATION_LEN], n1[24];
	char what[FMT_CONTRIB_LEN];
	bool unbounded = worst_ps == U64_NONE;
	__u64 sum_pm = 0;
	__u32 i;

	if (!cnt)
		return;
	fprintf(out, "\tworst case %s, largest contributors:\n",
		fmt_duration_ps(d, sizeof(d), worst_ps));
	for (i = 0; i < cnt; i++) {
		const struct bpfrt_contrib *c = &contrib[i];

		fmt_contrib(what, sizeof(what), c, maps, map_cnt);
		fprintf(out, "\t\t%5s  %9s  %s\n",
			unbounded ? "-" :
			fmt_share_pm(n1, sizeof(n1), c->share_pm),
			fmt_duration_ps(d2, sizeof(d2), c->cost_ps), what);
		sum_pm += c->share_pm;
	}
	if (!unbounded && sum_pm + 10 <= 1000)
		fprintf(out, "\t\t%5s  %9s  elsewhere\n",
			fmt_share_pm(n1, sizeof(n1), (__u32)(1000 - sum_pm)),
			"");
}

/* The watchdog's record of this program (JITed programs only). */
static void print_term_text(FILE *out, const struct bpfrt_prog_info *info)
{
	char d[FMT_DURATION_LEN];

	if (!(info->summary.flags & BPFRT_PROG_F_JITED))
		return;
	fprintf(out, "	termination: %s%s  requested %llu  completed %llu",
		info->term_state & BPFRT_TERM_ARMED ? "armed" : "not armed",
		info->term_state & BPFRT_TERM_ALL_CPUS ? ", all CPUs" : "",
		(unsigned long long)info->term_requested,
		(unsigned long long)info->term_completed);
	if (info->term_completed)
		fprintf(out, "  last_latency %s",
			fmt_duration_ns(d, sizeof(d),
					info->term_last_latency_ns));
	fprintf(out, "  stub_hits %llu  image_crc32 0x%08x\n",
		(unsigned long long)info->term_stub_hits, info->image_crc32);
}

static void print_info_text(struct cli_ctx *ctx,
			    const struct bpfrt_prog_info *info,
			    const struct bpfrt_call_site *sites,
			    const struct bpfrt_map_desc *maps)
{
	const struct bpfrt_prog_summary *s = &info->summary;
	char tag[FMT_TAG_LEN], d[FMT_DURATION_LEN];
	char n1[24], n2[24], what[FMT_CONTRIB_LEN];
	__u32 map_cnt = shown_maps(info, maps), i;
	FILE *out = ctx->out;

	fprintf(out, "%u: ", s->id);
	print_prog_type(out, s->type);
	if (s->name[0])
		fprintf(out, "  name %.*s", BPFRT_OBJ_NAME_LEN, s->name);
	fprintf(out, "  tag %s\n", fmt_tag(tag, sizeof(tag), s->tag));

	fprintf(out, "\tinsns %u  funcs %u  jited %lluB", s->insn_cnt,
		s->func_cnt, (unsigned long long)info->jited_len);
	if (!(s->flags & BPFRT_PROG_F_ADOPTED))
		fprintf(out, "  verified_insns %llu  verify_time %s",
			(unsigned long long)info->verified_insns,
			fmt_duration_ns(d, sizeof(d), info->verify_ns));
	fputc('\n', out);

	if (est_failed(s)) {
		fprintf(out, "\testimate failed: %s\n", strerror(s->est_errno));
	} else {
		fprintf(out, "\tbest %s  insns %s  helper_calls %s\n",
			fmt_duration_ps(d, sizeof(d), info->best_ps),
			fmt_count(n1, sizeof(n1), info->best_insns),
			fmt_count(n2, sizeof(n2), info->best_helper_calls));
		fprintf(out, "\tworst %s  insns %s  helper_calls %s\n",
			fmt_duration_ps(d, sizeof(d), info->worst_ps),
			fmt_count(n1, sizeof(n1), info->worst_insns),
			fmt_count(n2, sizeof(n2), info->worst_helper_calls));
	}
	if (s->flags) {
		fprintf(out, "\tflags:\n");
		print_flag_lines(out, s->flags, prog_flag_descs);
	}
	if (s->est_flags) {
		fprintf(out, "\testimate depends on:\n");
		print_flag_lines(out, s->est_flags, est_flag_descs);
	}

	if (!est_failed(s))
		print_contrib_lines(out, info->worst_ps, info->contrib,
				    contrib_cnt(info), maps, map_cnt);

	if (info->map_cnt) {
		fprintf(out, "\tmaps: %u\n", info->map_cnt);
		for (i = 0; i < map_cnt; i++) {
			const struct bpfrt_map_desc *m = &maps[i];
			const char *type = map_type_name(m->type);

			fprintf(out, "\t\t%u: ", i);
			if (type)
				fputs(type, out);
			else
				fprintf(out, "type %u", m->type);
			if (m->name[0])
				fprintf(out, "  name %.*s", BPFRT_OBJ_NAME_LEN,
					m->name);
			fprintf(out, "  id %u  max_entries %u  key %uB  value %uB\n",
				m->id, m->max_entries, m->key_size,
				m->value_size);
		}
		if (map_cnt < info->map_cnt)
			fprintf(out, "\t\t(%u more not shown)\n",
				info->map_cnt - map_cnt);
	}

	if (sites && info->site_cnt) {
		fprintf(out, "\tcall sites: %u\n", info->site_cnt);
		fprintf(out, "\t\t%4s  %5s  %-8s  %-7s  %-24s  %s\n", "func",
			"insn", "jit_off", "kind", "callee", "target");
		for (i = 0; i < info->site_cnt; i++) {
			const struct bpfrt_call_site *cs = &sites[i];
			const char *kind = site_kind_name(cs->kind);
			char insn[16], off[16], kbuf[16];

			if (cs->insn == U32_NONE)
				snprintf(insn, sizeof(insn), "-");
			else
				snprintf(insn, sizeof(insn), "%u", cs->insn);
			snprintf(off, sizeof(off), "0x%x", cs->jit_off);
			if (!kind) {
				snprintf(kbuf, sizeof(kbuf), "%u", cs->kind);
				kind = kbuf;
			}
			fprintf(out, "\t\t%4u  %5s  %-8s  %-7s  %-24s  %.*s\n",
				cs->func, insn, off, kind,
				fmt_callee(what, sizeof(what), cs->kind, cs->op,
					   cs->id, maps, map_cnt),
				BPFRT_SYM_LEN,
				cs->target[0] ? cs->target : "-");
		}
	}
	print_term_text(out, info);
}

void json_notes(struct json_writer *jw, __u32 flags,
		       const struct flag_desc *tab)
{
	int bit;

	for (bit = 0; bit < 32; bit++) {
		const struct flag_desc *d = flag_desc_find(tab, 1U << bit);

		if ((flags & (1U << bit)) && d)
			jsonw_string(jw, d->text);
	}
}

void json_contrib(struct json_writer *jw, const struct bpfrt_contrib *c,
			 const struct bpfrt_map_desc *maps, __u32 map_cnt)
{
	char what[FMT_CONTRIB_LEN];

	jsonw_start_object(jw);
	json_name_or_num(jw, "kind", contrib_kind_name(c->kind), c->kind);
	jsonw_uint_field(jw, "func", c->func);
	jsonw_uint_field(jw, "insn", c->insn);
	jsonw_uint_field(jw, "id", c->id);
	switch (c->kind) {
	case BPFRT_CONTRIB_HELPER:
		jsonw_name(jw, "helper");
		if (helper_name(c->id))
			jsonw_string(jw, helper_name(c->id));
		else
			jsonw_null(jw);
		break;
	case BPFRT_CONTRIB_MAP_OP:
		json_name_or_num(jw, "op", map_op_name(c->op), c->op);
		json_u64_or_null(jw, "map_index", c->id, c->id != U32_NONE);
		break;
	case BPFRT_CONTRIB_CALL:
	case BPFRT_CONTRIB_CALLBACK:
		jsonw_uint_field(jw, "callee_func", c->id);
		break;
	}
	jsonw_uint_field(jw, "multiplier", c->multiplier);
	json_u64_or_null(jw, "cost_ps", c->cost_ps, true);
	jsonw_uint_field(jw, "share_pm", c->share_pm);
	jsonw_string_field(jw, "description",
			   fmt_contrib(what, sizeof(what), c, maps, map_cnt));
	jsonw_end_object(jw);
}

void json_map(struct json_writer *jw, __u32 index,
	      const struct bpfrt_map_desc *m, bool with_id)
{
	char name[BPFRT_OBJ_NAME_LEN + 1];

	snprintf(name, sizeof(name), "%.*s", BPFRT_OBJ_NAME_LEN, m->name);
	jsonw_start_object(jw);
	jsonw_uint_field(jw, "index", index);
	if (with_id)
		jsonw_uint_field(jw, "id", m->id);
	json_name_or_num(jw, "type", map_type_name(m->type), m->type);
	jsonw_string_field(jw, "name", name);
	jsonw_uint_field(jw, "max_entries", m->max_entries);
	jsonw_uint_field(jw, "key_bytes", m->key_size);
	jsonw_uint_field(jw, "value_bytes", m->value_size);
	jsonw_end_object(jw);
}

static void json_site(struct json_writer *jw, const struct bpfrt_call_site *cs,
		      const struct bpfrt_map_desc *maps, __u32 map_cnt)
{
	char target[BPFRT_SYM_LEN + 1];

	snprintf(target, sizeof(target), "%.*s", BPFRT_SYM_LEN, cs->target);
	jsonw_start_object(jw);
	jsonw_uint_field(jw, "func", cs->func);
	json_u64_or_null(jw, "insn", cs->insn, cs->insn != U32_NONE);
	jsonw_uint_field(jw, "jit_off", cs->jit_off);
	json_name_or_num(jw, "kind", site_kind_name(cs->kind), cs->kind);
	json_u64_or_null(jw, "id", cs->id, cs->id != U32_NONE);
	if (cs->kind == BPFRT_SITE_HELPER) {
		json_string_or_null(jw, "helper", helper_name(cs->id));
	} else if (cs->kind == BPFRT_SITE_MAP_OP) {
		json_name_or_num(jw, "op", map_op_name(cs->op), cs->op);
		jsonw_name(jw, "map_name");
		if (cs->id < map_cnt) {
			char name[BPFRT_OBJ_NAME_LEN + 1];

			snprintf(name, sizeof(name), "%.*s",
				 BPFRT_OBJ_NAME_LEN, maps[cs->id].name);
			jsonw_string(jw, name);
		} else {
			jsonw_null(jw);
		}
	}
	jsonw_string_field(jw, "target", target);
	jsonw_end_object(jw);
}

static int print_info_json(struct cli_ctx *ctx,
			   const struct bpfrt_prog_info *info,
			   const struct bpfrt_call_site *sites,
			   const struct bpfrt_map_desc *maps)
{
	const struct bpfrt_prog_summary *s = &info->summary;
	bool adopted = s->flags & BPFRT_PROG_F_ADOPTED, ok = !est_failed(s);
	__u32 map_cnt = shown_maps(info, maps), i;
	struct json_writer *jw = &ctx->jw;
	char *explain;

	jsonw_init(jw, ctx->out, ctx->pretty);
	jsonw_start_object(jw);
	prog_summary_json(jw, s);
	json_u64_or_null(jw, "verified_insns", info->verified_insns, !adopted);
	json_u64_or_null(jw, "verify_ns", info->verify_ns, !adopted);
	jsonw_uint_field(jw, "jited_bytes", info->jited_len);
	jsonw_bool_field(jw, "term_armed", info->term_state & BPFRT_TERM_ARMED);
	jsonw_bool_field(jw, "term_all_cpus",
			 info->term_state & BPFRT_TERM_ALL_CPUS);
	jsonw_uint_field(jw, "term_requested", info->term_requested);
	jsonw_uint_field(jw, "term_completed", info->term_completed);
	jsonw_uint_field(jw, "term_last_latency_ns",
			 info->term_last_latency_ns);
	jsonw_uint_field(jw, "term_stub_hits", info->term_stub_hits);
	jsonw_uint_field(jw, "image_crc32", info->image_crc32);
	json_u64_or_null(jw, "best_ps", info->best_ps, ok);
	json_u64_or_null(jw, "worst_ps", info->worst_ps, ok);
	json_u64_or_null(jw, "best_insns", info->best_insns, ok);
	json_u64_or_null(jw, "worst_insns", info->worst_insns, ok);
	json_u64_or_null(jw, "best_helper_calls", info->best_helper_calls, ok);
	json_u64_or_null(jw, "worst_helper_calls", info->worst_helper_calls,
			 ok);

	jsonw_name(jw, "notes");
	jsonw_start_array(jw);
	json_notes(jw, s->flags, prog_flag_descs);
	json_notes(jw, s->est_flags, est_flag_descs);
	jsonw_end_array(jw);

	jsonw_name(jw, "worst_explanation");
	explain = malloc(FMT_EXPLAIN_LEN);
	if (ok && explain)
		jsonw_string(jw, fmt_worst_explanation(explain,
			FMT_EXPLAIN_LEN, info->worst_ps, info->contrib,
			contrib_cnt(info), maps, map_cnt));
	else
		jsonw_null(jw);
	free(explain);

	jsonw_name(jw, "contributors");
	jsonw_start_array(jw);
	for (i = 0; ok && i < contrib_cnt(info); i++)
		json_contrib(jw, &info->contrib[i], maps, map_cnt);
	jsonw_end_array(jw);

	jsonw_uint_field(jw, "map_cnt", info->map_cnt);
	jsonw_name(jw, "maps");
	jsonw_start_array(jw);
	for (i = 0; i < map_cnt; i++)
		json_map(jw, i, &maps[i], true);
	jsonw_end_array(jw);

	jsonw_uint_field(jw, "site_cnt", info->site_cnt);
	jsonw_name(jw, "call_sites");
	jsonw_start_array(jw);
	for (i = 0; sites && i < info->site_cnt; i++)
		json_site(jw, &sites[i], maps, map_cnt);
	jsonw_end_array(jw);

	jsonw_end_object(jw);
	return jsonw_finish(jw) ? 1 : 0;
}

int prog_print_info(struct cli_ctx *ctx, const struct bpfrt_prog_info *info,
		    const struct bpfrt_call_site *sites,
		    const struct bpfrt_map_desc *maps)
{
	if (ctx->json)
		return print_info_json(ctx, info, sites, maps);
	print_info_text(ctx, info, sites, maps);
	return 0;
}
