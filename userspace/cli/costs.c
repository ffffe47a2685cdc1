// SPDX-License-Identifier: GPL-2.0
/*
 * bpfrt costs { show [FILE] | load FILE | save FILE | reset }: cost tables.
 * show prints the module's table (or a file's), load uploads a file to the
 * module (every recorded program is estimated again), save writes the
 * module's table to a file, reset goes back to the built-in table.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <json-c/json.h>

#include "cli.h"
#include "costs.h"
#include "costtab.h"
#include "format.h"
#include "libbpfrt.h"
#include "names.h"

/* Where a shown table comes from. */
struct costs_src {
	bool module;
	__u32 source;		/* BPFRT_COSTS_* for the module */
	__u32 generation;
	char what[160];		/* the file's path or "module" */
};

static const char *const fault_text[] = {
	[BPFRT_COSTS_FAULT_NONE] = "no fault",
	[BPFRT_COSTS_FAULT_HEADER] = "bad size, version or reserved field",
	[BPFRT_COSTS_FAULT_MISSING] = "an instruction class has no cost",
	[BPFRT_COSTS_FAULT_ORDER] = "best, typical and worst are not in order",
	[BPFRT_COSTS_FAULT_RANGE] = "a value above one second",
	[BPFRT_COSTS_FAULT_MEASURED] = "marked measured but absent or unused",
	[BPFRT_COSTS_FAULT_UNUSED] = "a value in an unused slot",
};

int costs_upload(struct cli_ctx *ctx, const struct costtab *t,
		 struct bpfrt_costs_set *reply)
{
	char desc[64];
	int fd, ret;

	fd = bpfrt_open();
	if (fd < 0)
		return cli_err(ctx, "%s", bpfrt_open_hint(fd));
	snprintf(desc, sizeof(desc), "%s",
		 t->description[0] ? t->description : "uploaded by bpfrt");
	ret = bpfrt_costs_set(fd, &t->cm, sizeof(t->cm), desc, reply);
	close(fd);
	if (!ret)
		return 0;
	if ((ret == -EINVAL || ret == -ERANGE) && reply->fault &&
	    reply->fault < sizeof(fault_text) / sizeof(fault_text[0]))
		return cli_err(ctx, "the module refused the table: %s (part %u, index %u, op %u)",
			       fault_text[reply->fault], reply->fault_part,
			       reply->fault_index, reply->fault_op);
	if (ret == -ENOTTY)
		return cli_err(ctx, "this module cannot take cost tables (no COSTS_SET)");
	if (ret == -EMSGSIZE)
		return cli_err(ctx, "the module's cost table has another size (another bpfrt version)");
	return cli_err(ctx, "uploading the cost table: %s", strerror(-ret));
}

/* The module's table as a costtab (values and measured bits only). */
static int costs_from_module(struct cli_ctx *ctx, struct costtab *t,
			     struct costs_src *src)
{
	struct bpfrt_costs_get meta;
	void *buf = NULL;
	__u32 len = 0;
	int fd, ret;

	fd = bpfrt_open();
	if (fd < 0)
		return cli_err(ctx, "%s", bpfrt_open_hint(fd));
	ret = bpfrt_costs_get(fd, &buf, &len, &meta);
	close(fd);
	if (ret)
		return cli_err(ctx, "reading the module's cost table: %s",
			       strerror(-ret));
	costtab_init(t);
	if (len != sizeof(t->cm) ||
	    bpfrt_cost_model_check((const struct bpfrt_cost_model *)buf)) {
		free(buf);
		return cli_err(ctx, "the module's cost table has another format (%u bytes, this bpfrt expects %zu)",
			       len, sizeof(t->cm));
	}
	memcpy(&t->cm, buf, sizeof(t->cm));
	free(buf);
	snprintf(t->description, sizeof(t->description), "%s",
		 meta.description);
	src->module = true;
	src->source = meta.source;
	src->generation = meta.generation;
	snprintf(src->what, sizeof(src->what), "module");
	return 0;
}

static unsigned int count_helpers(const struct costtab *t, bool measured)
{
	unsigned int i, n = 0;

	for (i = 1; i < BPFRT_CM_MAX_HELPERS; i++) {
		if (measured && costtab_helper_measured(t, i))
			n++;
		else if (!measured && !costtab_helper_measured(t, i) &&
			 t->helper[i].present)
			n++;
	}
	return n;
}

static unsigned int count_map_ops(const struct costtab *t)
{
	unsigned int ty, op, n = 0;

	for (ty = 0; ty < BPFRT_CM_MAX_MAP_TYPES; ty++)
		for (op = 0; op < BPFRT_MAP_OP_NR; op++)
			n += costtab_map_op_measured(t, ty, op);
	return n;
}

static void print_cost_row(FILE *out, const char *name,
			   const struct bpfrt_cost *c, bool measured,
			   const struct costtab_note *n)
{
	char b[FMT_DURATION_LEN], ty[FMT_DURATION_LEN], w[FMT_DURATION_LEN];

	fprintf(out, "  %-28s %10s %10s %10s  %s", name,
		fmt_duration_ps(b, sizeof(b), c->best_ps),
		fmt_duration_ps(ty, sizeof(ty), c->typical_ps),
		fmt_duration_ps(w, sizeof(w), c->worst_ps),
		measured ? "measured" : "default");
	if (n->types[0])
		fprintf(out, "  [%s]", n->types);
	if (n->samples || n->discarded)
		fprintf(out, "  %u samples, %u discarded", n->samples,
			n->discarded);
	fputc('\n', out);
}

static void show_text(struct cli_ctx *ctx, const struct costtab *t,
		      const struct costs_src *src)
{
	FILE *out = ctx->out;
	unsigned int i, ty, op, nm = count_helpers(t, true),
		     nn = count_helpers(t, false);
	char key[64];

	if (src->module)
		fprintf(out, "costs: module, %s table (generation %u): %s\n",
			src->source == BPFRT_COSTS_UPLOADED ? "uploaded" :
			"built-in", src->generation, t->description);
	else
		fprintf(out, "costs: file %s: %s\n", src->what,
			t->description[0] ? t->description : "(no description)");
	if (t->created[0])
		fprintf(out, "measured: %s on %s (%s, %u CPUs), kernel %s, bpfrt %s, %s, %.0f s\n",
			t->created, t->hostname, t->cpu_model[0] ?
			t->cpu_model : t->arch, t->cpus, t->kernel_release,
			t->tool_version, t->quick ? "quick" : "full",
			t->calibrate_s);
	if (t->outlier_rule[0])
		fprintf(out, "method: %s; %u rounds\n", t->outlier_rule,
			t->rounds);
	fprintf(out, "\ninstruction classes %17s %10s %10s\n", "best",
		"typical", "worst");
	for (i = 0; i < BPFRT_IC_NR; i++)
		print_cost_row(out, costtab_insn_name(i), &t->cm.insn[i],
			       costtab_insn_measured(t, i), &t->insn[i]);

	fprintf(out, "\nhelpers: %u measured", nm);
	if (nn)
		fprintf(out, ", %u not measured (built-in defaults, estimates using them are flagged default_cost)",
			nn);
	fprintf(out, "\n");
	for (i = 1; i < BPFRT_CM_MAX_HELPERS; i++) {
		if (!costtab_helper_measured(t, i))
			continue;
		snprintf(key, sizeof(key), "%s", helper_name(i) ?: "?");
		if (!helper_name(i))
			snprintf(key, sizeof(key), "helper %u", i);
		print_cost_row(out, key, &t->cm.helper[i], true,
			       &t->helper[i]);
	}
	if (nn) {
		fprintf(out, "\nhelpers not measured:\n");
		for (i = 1; i < BPFRT_CM_MAX_HELPERS; i++) {
			if (costtab_helper_measured(t, i) ||
			    !t->helper[i].present)
				continue;
			fprintf(out, "  %3u %-32s %s\n", i,
				helper_name(i) ?: "?",
				t->helper[i].reason[0] ? t->helper[i].reason :
				"no reason recorded");
		}
	}

	fprintf(out, "\nmap operations: %u measured\n", count_map_ops(t));
	for (ty = 0; ty < BPFRT_CM_MAX_MAP_TYPES; ty++) {
		for (op = 0; op < BPFRT_MAP_OP_NR; op++) {
			if (!costtab_map_op_measured(t, ty, op) &&
			    !t->map_op[ty][op].present)
				continue;
			snprintf(key, sizeof(key), "%s %s",
				 map_type_name(ty) ?: "?", map_op_name(op));
			print_cost_row(out, key, &t->cm.map_op[ty][op],
				       costtab_map_op_measured(t, ty, op),
				       &t->map_op[ty][op]);
		}
	}
}

static int show_json(struct cli_ctx *ctx, const struct costtab *t,
		     const struct costs_src *src)
{
	json_object *root = costtab_json_object(t), *o;

	if (!root)
		return cli_err(ctx, "out of memory");
	o = json_object_new_object();
	json_object_object_add(o, "module", json_object_new_boolean(src->module));
	if (src->module) {
		json_object_object_add(o, "source", json_object_new_string(
			src->source == BPFRT_COSTS_UPLOADED ? "uploaded" :
			"builtin"));
		json_object_object_add(o, "generation",
				       json_object_new_uint64(src->generation));
	} else {
		json_object_object_add(o, "file",
				       json_object_new_string(src->what));
	}
	json_object_object_add(o, "helpers_measured",
			       json_object_new_uint64(count_helpers(t, true)));
	json_object_object_add(o, "helpers_not_measured",
			       json_object_new_uint64(count_helpers(t, false)));
	json_object_object_add(o, "map_ops_measured",
			       json_object_new_uint64(count_map_ops(t)));
	json_object_object_add(root, "shown", o);
	fprintf(ctx->out, "%s\n", costtab_json_string(root, ctx->pretty));
	json_object_put(root);
	return 0;
}

static int load_file(struct cli_ctx *ctx, const char *path, struct costtab *t)
{
	char err[256];

	if (costtab_load_file(path, t, err, sizeof(err)))
		return cli_err(ctx, "%s: %s", path, err);
	return 0;
}

static int do_show(struct cli_ctx *ctx, int argc, char **argv)
{
	struct costs_src src = { 0 };
	struct costtab *t;
	int ret;

	if (argc > 1)
		return cli_err(ctx, "'costs show' takes at most a FILE");
	t = malloc(sizeof(*t));
	if (!t)
		return cli_err(ctx, "out of memory");
	if (argc == 1) {
		snprintf(src.what, sizeof(src.what), "%s", argv[0]);
		ret = load_file(ctx, argv[0], t);
	} else {
		ret = costs_from_module(ctx, t, &src);
	}
	if (!ret) {
		if (ctx->json)
			ret = show_json(ctx, t, &src);
		else
			show_text(ctx, t, &src);
	}
	free(t);
	return ret;
}

static int print_reply(struct cli_ctx *ctx, const char *what,
		       const struct bpfrt_costs_set *r)
{
	if (ctx->json) {
		jsonw_init(&ctx->jw, ctx->out, ctx->pretty);
		jsonw_start_object(&ctx->jw);
		jsonw_string_field(&ctx->jw, "table", what);
		jsonw_uint_field(&ctx->jw, "progs_estimated", r->progs);
		jsonw_uint_field(&ctx->jw, "progs_failed", r->failed);
		jsonw_end_object(&ctx->jw);
		return jsonw_finish(&ctx->jw) ? 1 : 0;
	}
	fprintf(ctx->out, "%s: %u programs estimated again", what, r->progs);
	if (r->failed)
		fprintf(ctx->out, " (%u failed)", r->failed);
	fputc('\n', ctx->out);
	return 0;
}

static int do_load(struct cli_ctx *ctx, int argc, char **argv)
{
	struct bpfrt_costs_set reply;
	struct costtab *t;
	int ret;

	if (argc != 1)
		return cli_err(ctx, "'costs load' needs a FILE");
	t = malloc(sizeof(*t));
	if (!t)
		return cli_err(ctx, "out of memory");
	ret = load_file(ctx, argv[0], t);
	if (!ret)
		ret = costs_upload(ctx, t, &reply);
	if (!ret)
		ret = print_reply(ctx, t->description[0] ? t->description :
				  argv[0], &reply);
	free(t);
	return ret;
}

static int do_save(struct cli_ctx *ctx, int argc, char **argv)
{
	struct costs_src src = { 0 };
	struct costtab *t;
	char err[256];
	int ret;

	if (argc != 1)
		return cli_err(ctx, "'costs save' needs a FILE");
	t = malloc(sizeof(*t));
	if (!t)
		return cli_err(ctx, "out of memory");
	ret = costs_from_module(ctx, t, &src);
	if (!ret && costtab_save_file(argv[0], t, err, sizeof(err)))
		ret = cli_err(ctx, "%s", err);
	free(t);
	return ret;
}

static int do_reset(struct cli_ctx *ctx, int argc, char **argv)
{
	struct bpfrt_costs_set reply;
	int fd, ret;

	(void)argv;
	if (argc)
		return cli_err(ctx, "'costs reset' takes no arguments");
	fd = bpfrt_open();
	if (fd < 0)
		return cli_err(ctx, "%s", bpfrt_open_hint(fd));
	ret = bpfrt_costs_set(fd, NULL, 0, NULL, &reply);
	close(fd);
	if (ret)
		return cli_err(ctx, "resetting the cost table: %s",
			       strerror(-ret));
	return print_reply(ctx, "built-in", &reply);
}

static int do_help(struct cli_ctx *ctx)
{
	if (ctx->json) {
		jsonw_init(&ctx->jw, ctx->out, ctx->pretty);
		jsonw_null(&ctx->jw);
		return jsonw_finish(&ctx->jw) ? 1 : 0;
	}
	fprintf(ctx->out,
		"Usage: bpfrt costs { show [FILE] | load FILE | save FILE | reset | help }\n"
		"\n"
		"       show   the module's cost table, or FILE's\n"
		"       load   upload FILE to the module; recorded programs are estimated again\n"
		"       save   write the module's table to FILE (- for stdout)\n"
		"       reset  go back to the built-in table\n"
		"See bpfrt(8), COST TABLES.\n");
	return 0;
}

static const struct cli_cmd costs_cmds[] = {
	{ "show",	do_show },
	{ "load",	do_load },
	{ "save",	do_save },
	{ "reset",	do_reset },
	{ NULL, NULL },
};

int do_costs(struct cli_ctx *ctx, int argc, char **argv)
{
	return cli_dispatch(ctx, costs_cmds, argc, argv, do_help);
}
