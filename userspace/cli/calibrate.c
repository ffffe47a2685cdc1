// SPDX-License-Identifier: GPL-2.0
/*
 * bpfrt calibrate [--quick] [-o FILE] [--upload]: measures this machine's
 * cost table (userspace/calib/) and writes it to FILE (default: standard
 * output, unless --upload), and/or uploads it to the module. Progress goes
 * to standard error.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calib.h"
#include "cli.h"
#include "costs.h"
#include "costtab.h"

static int usage(struct cli_ctx *ctx)
{
	if (ctx->json)
		return cli_err(ctx, "usage: bpfrt calibrate [--quick] [-o FILE] [--upload]");
	fprintf(ctx->out,
		"Usage: bpfrt calibrate [--quick] [-o|--output FILE] [--upload]\n"
		"\n"
		"Measures instruction classes, every helper callable from a test-runnable\n"
		"program type, and map operations with BPF_PROG_TEST_RUN, and writes the\n"
		"cost table to FILE (standard output without -o and --upload).\n"
		"  --quick   fewer rounds, sizes and program types (tests)\n"
		"  --upload  make it the module's table (recorded programs are estimated again)\n"
		"See bpfrt(8), CALIBRATION.\n");
	return 0;
}

static void summary(struct cli_ctx *ctx, FILE *f, const struct costtab *t)
{
	unsigned int i, ty, op, ins = 0, hm = 0, hn = 0, mo = 0;

	for (i = 0; i < BPFRT_IC_NR; i++)
		ins += costtab_insn_measured(t, i);
	for (i = 1; i < BPFRT_CM_MAX_HELPERS; i++) {
		if (costtab_helper_measured(t, i))
			hm++;
		else if (t->helper[i].present)
			hn++;
	}
	for (ty = 0; ty < BPFRT_CM_MAX_MAP_TYPES; ty++)
		for (op = 0; op < BPFRT_MAP_OP_NR; op++)
			mo += costtab_map_op_measured(t, ty, op);
	(void)ctx;
	fprintf(f, "calibrate: %.1f s: %u of %u instruction classes, %u helpers measured, %u not, %u map operations\n",
		t->calibrate_s, ins, BPFRT_IC_NR, hm, hn, mo);
}

int do_calibrate(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "quick",	no_argument, NULL, 'q' },
		{ "output",	required_argument, NULL, 'o' },
		{ "upload",	no_argument, NULL, 'u' },
		{ "help",	no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct calib_opts co = { 0 };
	struct bpfrt_costs_set reply;
	const char *out = NULL;
	bool upload = false;
	struct costtab *t;
	char err[256];
	int c, ret;

	/* argv[0] is the first argument: getopt wants a program name */
	optind = 0;
	opterr = 0;
	argc++;
	argv--;
	while ((c = getopt_long(argc, argv, "+qo:uh", opts, NULL)) != -1) {
		switch (c) {
		case 'q':
			co.quick = true;
			break;
		case 'o':
			out = optarg;
			break;
		case 'u':
			upload = true;
			break;
		case 'h':
			return usage(ctx);
		default:
			return cli_err(ctx, "unknown option or missing argument '%s'",
				       argv[optind - 1]);
		}
	}
	if (optind < argc) {
		if (!strcmp(argv[optind], "help"))
			return usage(ctx);
		return cli_err(ctx, "unexpected argument '%s'", argv[optind]);
	}
	if (!out && !upload)
		out = "-";

	t = malloc(sizeof(*t));
	if (!t)
		return cli_err(ctx, "out of memory");
	costtab_init(t);
	co.progress = stderr;
	co.progress_tty = isatty(STDERR_FILENO);
	ret = calib_run_all(&co, t);
	if (ret) {
		free(t);
		return cli_err(ctx, "calibration failed: %s%s", strerror(-ret),
			       ret == -EPERM ? " (needs root: CAP_BPF and CAP_PERFMON)" : "");
	}
	summary(ctx, stderr, t);
	ret = 0;
	if (out && costtab_save_file(out, t, err, sizeof(err)))
		ret = cli_err(ctx, "%s", err);
	if (!ret && upload) {
		ret = costs_upload(ctx, t, &reply);
		if (!ret)
			fprintf(stderr, "calibrate: uploaded: %u programs estimated again\n",
				reply.progs);
	}
	free(t);
	return ret;
}
