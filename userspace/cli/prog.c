// SPDX-License-Identifier: GPL-2.0
/*
 * bpfrt prog { show | list } [[id] ID]: the programs the module recorded,
 * with their estimates; with an id, everything known of one program.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "format.h"
#include "libbpfrt.h"
#include "names.h"
#include "prog.h"

#define U32_NONE (~(__u32)0)

/* --- commands --- */

/* Reports a failed PROG_LIST / PROG_INFO; @id 0 for the list. */
static int ioctl_error(struct cli_ctx *ctx, int err, __u32 id)
{
	switch (err) {
	case -ENOENT:
		if (id)
			return cli_err(ctx, "no program with id %u recorded by bpfrt",
				       id);
		break;
	case -ENOTTY:
		return cli_err(ctx, "the loaded bpfrt module does not record programs; load a newer bpfrt module");
	case -EPERM:
	case -EACCES:
		return cli_err(ctx, "%s", bpfrt_open_hint(err));
	}
	return cli_err(ctx, "%s on %s failed: %s",
		       id ? "program query" : "program list",
		       BPFRT_DEVICE_PATH, strerror(-err));
}

/* [id] ID: 1 and *id when given, 0 when not, -1 after an error report. */
static int parse_prog_id(struct cli_ctx *ctx, int argc, char **argv, __u32 *id)
{
	unsigned long v;
	char *end;

	if (argc == 0)
		return 0;
	if (!strcmp(argv[0], "id")) {
		if (argc < 2) {
			cli_err(ctx, "expected a program id after 'id'");
			return -1;
		}
		argc--;
		argv++;
	}
	if (argc > 1) {
		cli_err(ctx, "unexpected argument '%s'", argv[1]);
		return -1;
	}
	errno = 0;
	v = strtoul(argv[0], &end, 10);
	if (argv[0][0] < '0' || argv[0][0] > '9' || *end || errno ||
	    v == 0 || v > U32_NONE) {
		cli_err(ctx, "invalid program id '%s' (expected a number from 1 to %u)",
			argv[0], U32_NONE);
		return -1;
	}
	*id = v;
	return 1;
}

static int show_one(struct cli_ctx *ctx, int fd, __u32 id)
{
	struct bpfrt_map_desc maps[BPFRT_MAX_MAPS];
	struct bpfrt_call_site *sites = NULL;
	struct bpfrt_prog_info info;
	__u32 room = 0;
	int err;

	err = bpfrt_prog_info(fd, id, &info, &sites, &room, maps);
	if (err) {
		free(sites);
		return ioctl_error(ctx, err, id);
	}
	err = prog_print_info(ctx, &info, sites, maps);
	free(sites);
	return err;
}

static int show_all(struct cli_ctx *ctx, int fd)
{
	struct bpfrt_prog_summary *progs;
	__u32 cnt;
	int err;

	err = bpfrt_prog_list_all(fd, &progs, &cnt);
	if (err)
		return ioctl_error(ctx, err, 0);
	err = prog_print_list(ctx, progs, cnt);
	free(progs);
	return err;
}

static int do_show(struct cli_ctx *ctx, int argc, char **argv)
{
	__u32 id = 0;
	int fd, ret;

	ret = parse_prog_id(ctx, argc, argv, &id);
	if (ret < 0)
		return 1;
	fd = bpfrt_open();
	if (fd < 0)
		return cli_err(ctx, "%s", bpfrt_open_hint(fd));
	ret = ret ? show_one(ctx, fd, id) : show_all(ctx, fd);
	close(fd);
	return ret;
}

/* bpfrt prog terminate|restore PROG */
static int prog_term(struct cli_ctx *ctx, int argc, char **argv,
		     bool terminate)
{
	__u32 id = 0, sites = 0;
	int fd, ret;

	ret = parse_prog_id(ctx, argc, argv, &id);
	if (ret < 0)
		return 1;
	if (!ret)
		return cli_err(ctx, "expected a program id");
	fd = bpfrt_open();
	if (fd < 0)
		return cli_err(ctx, "%s", bpfrt_open_hint(fd));
	ret = terminate ? bpfrt_prog_terminate(fd, id, &sites) :
			  bpfrt_prog_restore(fd, id, &sites);
	close(fd);
	if (ret == -EOPNOTSUPP)
		return cli_err(ctx, "program %u cannot be terminated: its call sites are not known with certainty",
			       id);
	if (ret)
		return ioctl_error(ctx, ret, id);
	if (ctx->json) {
		jsonw_init(&ctx->jw, ctx->out, ctx->pretty);
		jsonw_start_object(&ctx->jw);
		jsonw_uint_field(&ctx->jw, "id", id);
		jsonw_uint_field(&ctx->jw, terminate ? "sites_patched" :
				 "sites_restored", sites);
		jsonw_end_object(&ctx->jw);
		return jsonw_finish(&ctx->jw) ? 1 : 0;
	}
	fprintf(ctx->out, terminate ?
		"program %u terminated on every CPU: %u call sites patched\n" :
		"program %u restored: %u call sites restored\n", id, sites);
	return 0;
}

static int do_terminate(struct cli_ctx *ctx, int argc, char **argv)
{
	return prog_term(ctx, argc, argv, true);
}

static int do_restore(struct cli_ctx *ctx, int argc, char **argv)
{
	return prog_term(ctx, argc, argv, false);
}

static int do_help(struct cli_ctx *ctx)
{
	if (ctx->json) {
		jsonw_init(&ctx->jw, ctx->out, ctx->pretty);
		jsonw_null(&ctx->jw);
		return jsonw_finish(&ctx->jw) ? 1 : 0;
	}
	fprintf(ctx->out,
		"Usage: bpfrt prog { show | list } [PROG]\n"
		"       bpfrt prog { terminate | restore } PROG\n"
		"       bpfrt prog help\n"
		"\n"
		"       PROG := [ id ] ID\n"
		"\n"
		"Without PROG, one line per program the module recorded; with\n"
		"PROG, everything recorded of that program. See bpfrt(8).\n");
	return 0;
}

static int cmd_help(struct cli_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return do_help(ctx);
}

static const struct cli_cmd prog_cmds[] = {
	{ "show",	do_show },
	{ "list",	do_show },
	{ "terminate",	do_terminate },
	{ "restore",	do_restore },
	{ "help",	cmd_help },
	{ NULL, NULL },
};

int do_prog(struct cli_ctx *ctx, int argc, char **argv)
{
	/* as bpftool: the object alone runs its first command, show */
	if (argc == 0)
		return do_show(ctx, 0, argv);
	return cli_dispatch(ctx, prog_cmds, argc, argv, do_help);
}
