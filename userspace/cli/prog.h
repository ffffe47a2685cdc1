/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Printing of the module's program records, by `bpfrt prog` and `bpfrt
 * events`. The functions take the module's answers as plain structs, so
 * the unit tests check the exact output without a module.
 */
#ifndef _BPFRT_PROG_H
#define _BPFRT_PROG_H

#include <stdio.h>
#include <linux/bpfrt.h>

#include "cli.h"

/*
 * One program on one line, no newline:
 * "12: xdp  name straight_line  tag 0123456789abcdef  worst 1.23 us  best
 *  450 ns  insns 57  funcs 1  flags jited,terminable  estimate loop_capped"
 */
void prog_summary_line(FILE *out, const struct bpfrt_prog_summary *s);

/* The summary's fields, into an object the caller has opened. */
void prog_summary_json(struct json_writer *jw,
		       const struct bpfrt_prog_summary *s);

/* `bpfrt prog list`: @cnt programs, text lines or one JSON array. */
int prog_print_list(struct cli_ctx *ctx,
		    const struct bpfrt_prog_summary *progs, __u32 cnt);

/*
 * `bpfrt prog show ID`: @info with its @sites (info->site_cnt of them, or
 * NULL) and @maps (min(info->map_cnt, BPFRT_MAX_MAPS) of them, or NULL).
 */
int prog_print_info(struct cli_ctx *ctx, const struct bpfrt_prog_info *info,
		    const struct bpfrt_call_site *sites,
		    const struct bpfrt_map_desc *maps);

/* `bpfrt events`: one event, a text line or a JSON line. */
void event_print(struct cli_ctx *ctx, const struct bpfrt_event *ev);

#endif /* _BPFRT_PROG_H */
