/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pure text formatting of estimates: durations with a unit, shares of the
 * worst case, program tags, and the worst case explained in words from its
 * largest contributors. Nothing here talks to the module, so `bpfrt prog`
 * (the module's estimate) and `bpfrt estimate` (the userspace analyzer's)
 * print the same way.
 *
 * Every function writes a NUL-terminated string into @buf (truncated to
 * @len bytes if need be) and returns @buf, so it can be used as a printf
 * argument.
 */
#ifndef _BPFRT_FORMAT_H
#define _BPFRT_FORMAT_H

#include <stddef.h>
#include <linux/bpfrt.h>

/* Room for any duration: "18446744074 s", "unbounded". */
#define FMT_DURATION_LEN	24
/* Room for a tag in hex. */
#define FMT_TAG_LEN		(2 * BPFRT_TAG_SIZE + 1)
/* Room for one contributor's description. */
#define FMT_CONTRIB_LEN		192
/* Room for the whole worst-case explanation. */
#define FMT_EXPLAIN_LEN		(64 + BPFRT_MAX_CONTRIB * (FMT_CONTRIB_LEN + 16))

/*
 * @ns nanoseconds with a unit (ns, us, ms, s) and three significant digits,
 * rounded half up: "0 ns", "999 ns", "1.00 us", "12.3 ms", "456 s". From
 * 1000 s on, whole seconds ("1234 s"). BPFRT_UNBOUNDED is "unbounded".
 */
char *fmt_duration_ns(char *buf, size_t len, __u64 ns);
/* The same for picoseconds, starting at "ps"; U64 max is "unbounded". */
char *fmt_duration_ps(char *buf, size_t len, __u64 ps);

/*
 * A share given per mille, as a percentage: whole percent from 10% on
 * ("97%", rounded half up), one decimal below ("2.1%"), "<0.1%" for 0.
 */
char *fmt_share_pm(char *buf, size_t len, __u32 share_pm);

/* A count, or "unbounded" for U64 max. */
char *fmt_count(char *buf, size_t len, __u64 v);

/* The tag as 16 lower-case hex digits, as bpftool prints it. */
char *fmt_tag(char *buf, size_t len, const __u8 tag[BPFRT_TAG_SIZE]);

/*
 * What a call site of @kind (BPFRT_SITE_*) calls, in a word or two:
 * "bpf_map_lookup_elem", "lookup counts" (a map operation, @op, on map @id
 * of @maps; NULL if unknown), "func 2", "btf_id 123"; "-" when unknown.
 */
char *fmt_callee(char *buf, size_t len, __u32 kind, __u32 op, __u32 id,
		 const struct bpfrt_map_desc *maps, __u32 map_cnt);

/*
 * One contributor in words, e.g. "helper bpf_map_lookup_elem at func 0
 * insn 7, run once" or "map update on map 'counts' (hash) at func 0 insn
 * 12, run 3 times". @maps (the program's maps by index, @map_cnt of them;
 * NULL if unknown) names the map of a map operation.
 */
char *fmt_contrib(char *buf, size_t len, const struct bpfrt_contrib *c,
		  const struct bpfrt_map_desc *maps, __u32 map_cnt);

/*
 * The worst case explained in one sentence from its largest contributors
 * (@contrib, @cnt of them, largest first):
 *   "worst case 8.39 ms: 97% is the instructions of func 1, run 8388608
 *    times; 2.1% is helper bpf_loop at func 0 insn 3, run once; 0.9%
 *    elsewhere"
 * The remainder ("elsewhere") is given when it is at least 1%. @worst_ps
 * BPFRT_UNBOUNDED gives "worst case unbounded; largest known
 * contributors: ...".
 */
char *fmt_worst_explanation(char *buf, size_t len, __u64 worst_ps,
			    const struct bpfrt_contrib *contrib, __u32 cnt,
			    const struct bpfrt_map_desc *maps, __u32 map_cnt);

#endif /* _BPFRT_FORMAT_H */
