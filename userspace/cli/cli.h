/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The bpfrt CLI: `bpfrt [OPTIONS] OBJECT COMMAND [ARGS]`, bpftool's grammar.
 * One source file per object; each exports its entry point here.
 */
#ifndef _BPFRT_CLI_H
#define _BPFRT_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "json_writer.h"

struct cli_ctx {
	FILE *out;		/* results: text or one JSON document */
	FILE *err;		/* errors and hints in text mode */
	bool json;		/* -j / --json */
	bool pretty;		/* -p / --pretty (implies json) */
	struct json_writer jw;
};

struct cli_cmd {
	const char *name;
	int (*fn)(struct cli_ctx *ctx, int argc, char **argv);
};

/*
 * Runs the command whose name @argv[0] is a prefix of (bpftool's matching:
 * the first table entry wins, so order tables by importance). With no
 * argument, or "help", calls @help. Returns the command's exit status.
 */
int cli_dispatch(struct cli_ctx *ctx, const struct cli_cmd *cmds, int argc,
		 char **argv, int (*help)(struct cli_ctx *ctx));

/* Prefix match; NULL when nothing matches. Exposed for unit tests. */
const struct cli_cmd *cli_find_cmd(const struct cli_cmd *cmds,
				   const char *word);

/*
 * Reports an error: "Error: ..." on ctx->err, or {"error": "..."} on ctx->out
 * in JSON mode. Returns 1, the exit status for usage and runtime errors.
 */
int cli_err(struct cli_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The whole program, with its streams as parameters so tests can run it. */
int cli_main(int argc, char **argv, FILE *out, FILE *err);

/* Objects */
int do_version(struct cli_ctx *ctx, int argc, char **argv);
int do_prog(struct cli_ctx *ctx, int argc, char **argv);	/* prog.c */
int do_events(struct cli_ctx *ctx, int argc, char **argv);	/* events.c */
int do_estimate(struct cli_ctx *ctx, int argc, char **argv);	/* estimate.c */
int do_policy(struct cli_ctx *ctx, int argc, char **argv);	/* policy.c */
int do_costs(struct cli_ctx *ctx, int argc, char **argv);	/* costs.c */
int do_calibrate(struct cli_ctx *ctx, int argc, char **argv);	/* calibrate.c */

struct bpfrt_version;
/* The report of `bpfrt version`; @v NULL means the module could not be asked. */
int cli_print_version(struct cli_ctx *ctx, const struct bpfrt_version *v,
		      const char *why);

#endif /* _BPFRT_CLI_H */
