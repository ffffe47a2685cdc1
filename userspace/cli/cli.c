// SPDX-License-Identifier: GPL-2.0
/* Global options, dispatch and error reporting shared by every object. */
#include <getopt.h>
#include <stdarg.h>
#include <string.h>

#include "cli.h"
#include "bpfrt_version.h"

const struct cli_cmd *cli_find_cmd(const struct cli_cmd *cmds,
				   const char *word)
{
	size_t len = strlen(word);

	if (!len)
		return NULL;
	for (; cmds->name; cmds++)
		if (!strncmp(cmds->name, word, len))
			return cmds;
	return NULL;
}

int cli_dispatch(struct cli_ctx *ctx, const struct cli_cmd *cmds, int argc,
		 char **argv, int (*help)(struct cli_ctx *ctx))
{
	const struct cli_cmd *cmd;

	if (argc < 1 || !strcmp(argv[0], "help"))
		return help(ctx);
	cmd = cli_find_cmd(cmds, argv[0]);
	if (!cmd) {
		cli_err(ctx, "unknown command '%s'", argv[0]);
		if (!ctx->json)
			help(ctx);
		return 1;
	}
	return cmd->fn(ctx, argc - 1, argv + 1);
}

int cli_err(struct cli_ctx *ctx, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);

	if (ctx->json) {
		struct json_writer jw;

		jsonw_init(&jw, ctx->out, ctx->pretty);
		jsonw_start_object(&jw);
		jsonw_string_field(&jw, "error", msg);
		jsonw_end_object(&jw);
		jsonw_finish(&jw);
	} else {
		fprintf(ctx->err, "Error: %s\n", msg);
	}
	return 1;
}

static int do_help(struct cli_ctx *ctx)
{
	if (ctx->json) {
		jsonw_init(&ctx->jw, ctx->out, ctx->pretty);
		jsonw_null(&ctx->jw);
		return jsonw_finish(&ctx->jw) ? 1 : 0;
	}
	fprintf(ctx->out,
		"Usage: bpfrt [OPTIONS] OBJECT { COMMAND | help }\n"
		"       bpfrt version\n"
		"\n"
		"       OBJECT := { prog | events | estimate | policy | costs | calibrate |\n"
		"                   version }\n"
		"       OPTIONS := { -j|--json [-p|--pretty] | -h|--help | -V|--version }\n"
		"\n"
		"Commands and objects may be abbreviated to any unique prefix.\n"
		"See bpfrt(8).\n");
	return 0;
}

static const struct cli_cmd top_cmds[] = {
	{ "prog",	do_prog },
	{ "events",	do_events },
	{ "estimate",	do_estimate },
	{ "policy",	do_policy },
	{ "costs",	do_costs },
	{ "calibrate",	do_calibrate },
	{ "version",	do_version },
	{ NULL, NULL },
};

int cli_main(int argc, char **argv, FILE *out, FILE *err)
{
	static const struct option opts[] = {
		{ "json",	no_argument, NULL, 'j' },
		{ "pretty",	no_argument, NULL, 'p' },
		{ "help",	no_argument, NULL, 'h' },
		{ "version",	no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli_ctx ctx = { .out = out, .err = err };
	bool show_version = false, show_help = false;
	int c;

	/* getopt keeps state across calls; tests call cli_main repeatedly. */
	optind = 0;
	opterr = 0;
	/* '+': stop at the first non-option, so ARGS of commands are theirs. */
	while ((c = getopt_long(argc, argv, "+jphV", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			ctx.json = true;
			break;
		case 'p':
			ctx.json = true;
			ctx.pretty = true;
			break;
		case 'h':
			show_help = true;
			break;
		case 'V':
			show_version = true;
			break;
		default:
			return cli_err(&ctx, "unknown option '%s'",
				       argv[optind - 1]);
		}
	}
	argc -= optind;
	argv += optind;

	if (show_help)
		return do_help(&ctx);
	if (show_version)
		return do_version(&ctx, 0, NULL);
	return cli_dispatch(&ctx, top_cmds, argc, argv, do_help);
}
