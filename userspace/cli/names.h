/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Names of the kernel's and bpfrt's numbers, for people and for JSON: BPF
 * program types, map types, helpers, map operations, and bpfrt's flags,
 * contributor kinds, call-site kinds and event types. Pure lookups, shared
 * by every object that prints a program (prog, events, estimate).
 *
 * A lookup returns NULL for a number it does not know (a newer kernel or
 * module); callers print the number instead.
 */
#ifndef _BPFRT_NAMES_H
#define _BPFRT_NAMES_H

#include <stddef.h>
#include <stdio.h>
#include <linux/types.h>

/*
 * One helper-table entry per name in <linux/bpf.h>'s __BPF_FUNC_MAPPER. The
 * mapper calls FN(name) up to 6.1 and FN(name, id) in later headers' inner
 * ___BPF_FUNC_MAPPER, so the macro takes the id as an optional argument.
 * The mapper itself separates the entries with commas.
 */
#define BPFRT_HELPER_NAME_ENTRY(x, ...)	[BPF_FUNC_ ## x] = "bpf_" #x

/* "xdp", "tracepoint", ... as bpftool names them; NULL if unknown. */
const char *prog_type_name(__u32 type);
/* bpftool's name of @type, or "type N" when it has none. */
void print_prog_type(FILE *out, __u32 type);
/* "hash", "array", ...; NULL if unknown. */
const char *map_type_name(__u32 type);
/* "bpf_map_lookup_elem", ...; NULL if unknown. */
const char *helper_name(__u32 id);
/* "lookup", "update", ... (BPFRT_MOP_*); NULL if unknown. */
const char *map_op_name(__u32 op);
/* "insns", "loop", "helper", ... (BPFRT_CONTRIB_*); NULL if unknown. */
const char *contrib_kind_name(__u32 kind);
/* "helper", "map_op", "kfunc", "func", "unknown" (BPFRT_SITE_*). */
const char *site_kind_name(__u32 kind);
/* "prog_estimated", "prog_freed", "lost", "prog_rejected", ... (BPFRT_EV_*). */
const char *event_type_name(__u32 type);

/* A flag bit, its JSON/short name and its meaning in words. */
struct flag_desc {
	__u32 bit;
	const char *name;
	const char *text;
};

/* Terminated by an entry with bit 0. */
extern const struct flag_desc prog_flag_descs[];	/* BPFRT_PROG_F_* */
extern const struct flag_desc est_flag_descs[];		/* BPFRT_EST_F_* */

/* The entry of @bit (a single bit) in @tab, or NULL. */
const struct flag_desc *flag_desc_find(const struct flag_desc *tab,
				       __u32 bit);

/*
 * Writes the names of the bits of @flags joined by @sep into @buf, "bitN"
 * for bits @tab does not know, "" for no bits. Returns @buf.
 */
char *flags_names(char *buf, size_t len, __u32 flags,
		  const struct flag_desc *tab, const char *sep);

#endif /* _BPFRT_NAMES_H */
