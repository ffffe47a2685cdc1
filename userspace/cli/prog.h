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

/*
 * Pieces of the output above shared with `bpfrt estimate`, so the same
 * things print the same way and carry the same JSON field names.
 */
struct flag_desc;
/* "\t\tNAME: meaning" for each bit of @flags. */
void print_flag_lines(FILE *out, __u32 flags, const struct flag_desc *tab);
/* "\tworst case X, largest contributors:" and one line each; nothing if
 * @cnt is 0.
 */
void print_contrib_lines(FILE *out, __u64 worst_ps,
			 const struct bpfrt_contrib *contrib, __u32 cnt,
			 const struct bpfrt_map_desc *maps, __u32 map_cnt);
/* "field": name, or the number when @name is NULL. */
void json_name_or_num(struct json_writer *jw, const char *field,
		      const char *name, __u32 num);
/* "field": "s", or null when @s is NULL. */
void json_string_or_null(struct json_writer *jw, const char *field,
			 const char *s);
/* "field": v, or null when !@valid or v is U64 max. */
void json_u64_or_null(struct json_writer *jw, const char *field, __u64 v,
		      bool valid);
/* "field": [names of the bits of @flags]. */
void json_flags(struct json_writer *jw, const char *field, __u32 flags,
		const struct flag_desc *tab);
/* The meaning of each bit of @flags, as array elements. */
void json_notes(struct json_writer *jw, __u32 flags,
		const struct flag_desc *tab);
/* One object of "maps": @m at @index, with its map id when @with_id. */
void json_map(struct json_writer *jw, __u32 index,
	      const struct bpfrt_map_desc *m, bool with_id);
/* One contributor object of "contributors". */
void json_contrib(struct json_writer *jw, const struct bpfrt_contrib *c,
		  const struct bpfrt_map_desc *maps, __u32 map_cnt);

/* `bpfrt events`: one event, a text line or a JSON line. */
void event_print(struct cli_ctx *ctx, const struct bpfrt_event *ev);

#endif /* _BPFRT_PROG_H */
