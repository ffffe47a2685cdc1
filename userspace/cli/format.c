// SPDX-License-Identifier: GPL-2.0
/* Pure formatting of durations, shares and the worst-case explanation. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "format.h"
#include "names.h"

/* The analyzer's "no map" index (BPFRT_AN_NONE) and "unknown id". */
#define ID_NONE (~(__u32)0)

/* Appends to a fixed buffer; once full, keeps it terminated and stops. */
struct strbuf {
	char *buf;
	size_t len;
	size_t used;
};

static void sb_init(struct strbuf *sb, char *buf, size_t len)
{
	sb->buf = buf;
	sb->len = len;
	sb->used = 0;
	if (len)
		buf[0] = '\0';
}

__attribute__((format(printf, 2, 3)))
static void sb_printf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (sb->used + 1 >= sb->len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(sb->buf + sb->used, sb->len - sb->used, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sb->len - sb->used)
		sb->used = sb->len - 1;
	else
		sb->used += n;
}

static const char *const units[] = { "ps", "ns", "us", "ms", "s" };
#define UNIT_S 4

static __u64 pow10u(int e)
{
	__u64 p = 1;

	while (e-- > 0)
		p *= 10;
	return p;
}

/* @v / @div rounded half up, without overflow. */
static __u64 div_round(__u64 v, __u64 div)
{
	__u64 q = v / div, rem = v % div;

	return rem >= div - rem ? q + 1 : q;
}

/* @v in units[@unit], three significant digits, in the largest unit <= s. */
static char *fmt_scaled(char *buf, size_t len, __u64 v, int unit)
{
	unsigned int r, intd;
	int digits = 0, e;
	__u64 t;

	if (v < 1000) {
		snprintf(buf, len, "%llu %s", (unsigned long long)v,
			 units[unit]);
		return buf;
	}
	for (t = v; t; t /= 10)
		digits++;
	r = div_round(v, pow10u(digits - 3));
	if (r == 1000) {	/* 9995 rounds to 1.00e4 */
		r = 100;
		digits++;
	}
	e = (digits - 1) / 3;
	if (unit + e > UNIT_S) {
		/* beyond 999 s: whole seconds read better than 1.23e3 s */
		snprintf(buf, len, "%llu s", (unsigned long long)
			 div_round(v, pow10u(3 * (UNIT_S - unit))));
		return buf;
	}
	intd = digits - 3 * e;
	if (intd == 1)
		snprintf(buf, len, "%u.%02u %s", r / 100, r % 100,
			 units[unit + e]);
	else if (intd == 2)
		snprintf(buf, len, "%u.%u %s", r / 10, r % 10, units[unit + e]);
	else
		snprintf(buf, len, "%u %s", r, units[unit + e]);
	return buf;
}

char *fmt_duration_ns(char *buf, size_t len, __u64 ns)
{
	if (ns == BPFRT_UNBOUNDED) {
		snprintf(buf, len, "unbounded");
		return buf;
	}
	return fmt_scaled(buf, len, ns, 1);
}

char *fmt_duration_ps(char *buf, size_t len, __u64 ps)
{
	if (ps == BPFRT_UNBOUNDED) {
		snprintf(buf, len, "unbounded");
		return buf;
	}
	return fmt_scaled(buf, len, ps, 0);
}

char *fmt_share_pm(char *buf, size_t len, __u32 share_pm)
{
	if (!share_pm)
		snprintf(buf, len, "<0.1%%");
	else if (share_pm < 100)
		snprintf(buf, len, "%u.%u%%", share_pm / 10, share_pm % 10);
	else
		snprintf(buf, len, "%u%%", (share_pm + 5) / 10);
	return buf;
}

char *fmt_count(char *buf, size_t len, __u64 v)
{
	if (v == ~(__u64)0)
		snprintf(buf, len, "unbounded");
	else
		snprintf(buf, len, "%llu", (unsigned long long)v);
	return buf;
}

char *fmt_tag(char *buf, size_t len, const __u8 tag[BPFRT_TAG_SIZE])
{
	struct strbuf sb;
	int i;

	sb_init(&sb, buf, len);
	for (i = 0; i < BPFRT_TAG_SIZE; i++)
		sb_printf(&sb, "%02x", tag[i]);
	return buf;
}

static void sb_map(struct strbuf *sb, __u32 index,
		   const struct bpfrt_map_desc *maps, __u32 map_cnt)
{
	const struct bpfrt_map_desc *m;
	const char *type;

	if (index == ID_NONE) {
		sb_printf(sb, "an unknown map");
		return;
	}
	if (!maps || index >= map_cnt) {
		sb_printf(sb, "map #%u", index);
		return;
	}
	m = &maps[index];
	if (m->name[0])
		sb_printf(sb, "map '%.*s'", BPFRT_OBJ_NAME_LEN, m->name);
	else
		sb_printf(sb, "map id %u", m->id);
	type = map_type_name(m->type);
	if (type)
		sb_printf(sb, " (%s)", type);
	else
		sb_printf(sb, " (type %u)", m->type);
}

static void sb_times(struct strbuf *sb, __u64 n, const char *what)
{
	if (n == 1)
		sb_printf(sb, ", %s once", what);
	else
		sb_printf(sb, ", %s %llu times", what, (unsigned long long)n);
}

char *fmt_callee(char *buf, size_t len, __u32 kind, __u32 op, __u32 id,
		 const struct bpfrt_map_desc *maps, __u32 map_cnt)
{
	const char *name;

	snprintf(buf, len, "-");
	if (id == ~(__u32)0)
		return buf;
	switch (kind) {
	case BPFRT_SITE_HELPER:
		name = helper_name(id);
		if (name)
			snprintf(buf, len, "%s", name);
		else
			snprintf(buf, len, "helper %u", id);
		break;
	case BPFRT_SITE_MAP_OP:
		name = map_op_name(op);
		if (name && id < map_cnt && maps[id].name[0])
			snprintf(buf, len, "%s %.*s", name,
				 BPFRT_OBJ_NAME_LEN, maps[id].name);
		else if (name)
			snprintf(buf, len, "%s map #%u", name, id);
		else
			snprintf(buf, len, "op %u map #%u", op, id);
		break;
	case BPFRT_SITE_FUNC:
		snprintf(buf, len, "func %u", id);
		break;
	case BPFRT_SITE_KFUNC:
		snprintf(buf, len, "btf_id %u", id);
		break;
	}
	return buf;
}

char *fmt_contrib(char *buf, size_t len, const struct bpfrt_contrib *c,
		  const struct bpfrt_map_desc *maps, __u32 map_cnt)
{
	const char *name;
	struct strbuf sb;

	sb_init(&sb, buf, len);
	switch (c->kind) {
	case BPFRT_CONTRIB_INSNS:
		sb_printf(&sb, "the instructions of func %u", c->func);
		sb_times(&sb, c->multiplier, "run");
		return buf;
	case BPFRT_CONTRIB_LOOP:
		sb_printf(&sb, "the loop body at func %u insn %u, %llu iteration%s",
			  c->func, c->insn, (unsigned long long)c->multiplier,
			  c->multiplier == 1 ? "" : "s");
		return buf;
	case BPFRT_CONTRIB_HELPER:
		name = helper_name(c->id);
		if (name)
			sb_printf(&sb, "helper %s", name);
		else
			sb_printf(&sb, "helper %u", c->id);
		break;
	case BPFRT_CONTRIB_MAP_OP:
		name = map_op_name(c->op);
		if (name)
			sb_printf(&sb, "map %s on ", name);
		else
			sb_printf(&sb, "map op %u on ", c->op);
		sb_map(&sb, c->id, maps, map_cnt);
		break;
	case BPFRT_CONTRIB_KFUNC:
		sb_printf(&sb, "kfunc call");
		break;
	case BPFRT_CONTRIB_CALL:
		sb_printf(&sb, "the call overhead of func %u", c->id);
		break;
	case BPFRT_CONTRIB_CALLBACK:
		sb_printf(&sb, "the invocations of callback func %u", c->id);
		break;
	case BPFRT_CONTRIB_TAIL_CALL:
		sb_printf(&sb, "tail call");
		break;
	case BPFRT_CONTRIB_UNKNOWN_CALL:
		sb_printf(&sb, "a call to an unknown target");
		break;
	default:
		sb_printf(&sb, "contributor of kind %u", c->kind);
		break;
	}
	sb_printf(&sb, " at func %u insn %u", c->func, c->insn);
	sb_times(&sb, c->multiplier, "run");
	return buf;
}

char *fmt_worst_explanation(char *buf, size_t len, __u64 worst_ps,
			    const struct bpfrt_contrib *contrib, __u32 cnt,
			    const struct bpfrt_map_desc *maps, __u32 map_cnt)
{
	char what[FMT_CONTRIB_LEN], num[FMT_DURATION_LEN];
	bool unbounded = worst_ps == BPFRT_UNBOUNDED;
	__u64 sum_pm = 0;
	__u32 i;
	struct strbuf sb;

	sb_init(&sb, buf, len);
	if (cnt > BPFRT_MAX_CONTRIB)
		cnt = BPFRT_MAX_CONTRIB;
	if (unbounded) {
		sb_printf(&sb, "worst case unbounded");
		if (cnt)
			sb_printf(&sb, "; largest known contributors: ");
	} else {
		sb_printf(&sb, "worst case %s",
			  fmt_duration_ps(num, sizeof(num), worst_ps));
		if (!cnt) {
			sb_printf(&sb, " (no breakdown available)");
			return buf;
		}
		sb_printf(&sb, ": ");
	}
	for (i = 0; i < cnt; i++) {
		fmt_contrib(what, sizeof(what), &contrib[i], maps, map_cnt);
		if (i)
			sb_printf(&sb, "; ");
		if (unbounded) {
			sb_printf(&sb, "%s", what);
		} else {
			sb_printf(&sb, "%s is %s",
				  fmt_share_pm(num, sizeof(num),
					       contrib[i].share_pm), what);
			sum_pm += contrib[i].share_pm;
		}
	}
	if (!unbounded && sum_pm + 10 <= 1000)
		sb_printf(&sb, "; %s elsewhere",
			  fmt_share_pm(num, sizeof(num),
				       (__u32)(1000 - sum_pm)));
	return buf;
}
