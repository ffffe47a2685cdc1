// SPDX-License-Identifier: GPL-2.0
/*
 * The load-time policy (policy.h). Knobs, in /sys/kernel/bpfrt/policy/ and
 * as module parameters with a "policy_" prefix (module/ABI/sysfs-kernel-bpfrt
 * documents each):
 *
 *   limit_ns		worst-case limit, nanoseconds; 0: no limit
 *   action		audit | reject
 *   type_limits_ns	per-type limits replacing limit_ns, "xdp:50000,..."
 *   exempt		never judged over: "name:PREFIX,tag:HEX,..."
 *   uncertain		how uncertain estimates count: estimate | over | under
 *   stats		(read-only) counters
 *
 * Consistency: all knobs live in one struct that is never changed once
 * published. A write copies the current struct, applies the whole change to
 * the copy and publishes the copy with RCU only if every part of the change
 * is valid; a reader sees the old struct or the new one, never a mix, and a
 * rejected write changes nothing. Writers are serialised by a mutex.
 */
#include <linux/bpf.h>
#include <linux/capability.h>
#include <linux/ctype.h>
#include <linux/filter.h>
#include <linux/kernel.h>
#include <linux/kobject.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/ratelimit.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/bpfrt.h>

#include "bpfrt.h"
#include "compat/prog_types.h"
#include "events.h"
#include "helpers.h"
#include "policy.h"
#include "registry.h"
#include "terminate.h"
#include "vlog.h"

#define BPFRT_POLICY_MAX_TYPES	64
#define BPFRT_POLICY_MAX_EXEMPT	64
/* The reason given to the loader and the kernel log. */
#define BPFRT_REASON_LEN	640

enum { BPFRT_ACTION_AUDIT, BPFRT_ACTION_REJECT };
enum { BPFRT_UNCERTAIN_ESTIMATE, BPFRT_UNCERTAIN_OVER, BPFRT_UNCERTAIN_UNDER };
enum { BPFRT_EXEMPT_NAME, BPFRT_EXEMPT_TAG };

struct bpfrt_type_limit {
	u32 type;		/* BPF_PROG_TYPE_* */
	u64 limit_ns;		/* 0: no limit for this type */
};

struct bpfrt_exempt {
	u8 kind;		/* BPFRT_EXEMPT_* */
	u8 len;			/* of the name prefix */
	char name[BPF_OBJ_NAME_LEN];
	u8 tag[BPF_TAG_SIZE];
};

struct bpfrt_policy {
	struct rcu_head rcu;
	u64 limit_ns;
	u32 action;		/* BPFRT_ACTION_* */
	u32 uncertain;		/* BPFRT_UNCERTAIN_* */
	u32 type_cnt;
	u32 exempt_cnt;
	struct bpfrt_type_limit types[BPFRT_POLICY_MAX_TYPES];
	struct bpfrt_exempt exempt[BPFRT_POLICY_MAX_EXEMPT];
};

/*
 * Before bpfrt_policy_init() module parameters are written here; after it
 * bpfrt_policy points to the published copy.
 */
static struct bpfrt_policy bpfrt_policy_params = {
	.limit_ns = 0,
	.action = BPFRT_ACTION_AUDIT,
	.uncertain = BPFRT_UNCERTAIN_ESTIMATE,
};

static struct bpfrt_policy __rcu *bpfrt_policy;
/* Serialises writers; readers use RCU. */
static DEFINE_MUTEX(bpfrt_policy_lock);

static struct {
	atomic64_t judged;	/* loads compared with a limit */
	atomic64_t over_limit;	/* of which over it (exempted included) */
	atomic64_t exempted;
	atomic64_t audited;
	atomic64_t rejected;
} bpfrt_policy_stats;

/* One rate limit for every policy line in the kernel log. */
static DEFINE_RATELIMIT_STATE(bpfrt_policy_rs, 5 * HZ, 10);

/* The current policy, under rcu_read_lock() or bpfrt_policy_lock. */
static const struct bpfrt_policy *bpfrt_policy_get(void)
{
	const struct bpfrt_policy *p;

	p = rcu_dereference_check(bpfrt_policy,
				  lockdep_is_held(&bpfrt_policy_lock));
	return p ?: &bpfrt_policy_params;
}

/* --- names -------------------------------------------------------------- */

/* bpftool's names (libbpf: prog_type_name), as the CLI prints them. */
static const char * const bpfrt_prog_type_names[] = {
	[BPF_PROG_TYPE_SOCKET_FILTER]		= "socket_filter",
	[BPF_PROG_TYPE_KPROBE]			= "kprobe",
	[BPF_PROG_TYPE_SCHED_CLS]		= "sched_cls",
	[BPF_PROG_TYPE_SCHED_ACT]		= "sched_act",
	[BPF_PROG_TYPE_TRACEPOINT]		= "tracepoint",
	[BPF_PROG_TYPE_XDP]			= "xdp",
	[BPF_PROG_TYPE_PERF_EVENT]		= "perf_event",
	[BPF_PROG_TYPE_CGROUP_SKB]		= "cgroup_skb",
	[BPF_PROG_TYPE_CGROUP_SOCK]		= "cgroup_sock",
	[BPF_PROG_TYPE_LWT_IN]			= "lwt_in",
	[BPF_PROG_TYPE_LWT_OUT]			= "lwt_out",
	[BPF_PROG_TYPE_LWT_XMIT]		= "lwt_xmit",
	[BPF_PROG_TYPE_SOCK_OPS]		= "sock_ops",
	[BPF_PROG_TYPE_SK_SKB]			= "sk_skb",
	[BPF_PROG_TYPE_CGROUP_DEVICE]		= "cgroup_device",
	[BPF_PROG_TYPE_SK_MSG]			= "sk_msg",
	[BPF_PROG_TYPE_RAW_TRACEPOINT]		= "raw_tracepoint",
	[BPF_PROG_TYPE_CGROUP_SOCK_ADDR]	= "cgroup_sock_addr",
	[BPF_PROG_TYPE_LWT_SEG6LOCAL]		= "lwt_seg6local",
	[BPF_PROG_TYPE_LIRC_MODE2]		= "lirc_mode2",
	[BPF_PROG_TYPE_SK_REUSEPORT]		= "sk_reuseport",
	[BPF_PROG_TYPE_FLOW_DISSECTOR]		= "flow_dissector",
	[BPF_PROG_TYPE_CGROUP_SYSCTL]		= "cgroup_sysctl",
	[BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE]	= "raw_tracepoint_writable",
	[BPF_PROG_TYPE_CGROUP_SOCKOPT]		= "cgroup_sockopt",
	[BPF_PROG_TYPE_TRACING]			= "tracing",
	[BPF_PROG_TYPE_STRUCT_OPS]		= "struct_ops",
	[BPF_PROG_TYPE_EXT]			= "ext",
	[BPF_PROG_TYPE_LSM]			= "lsm",
	[BPF_PROG_TYPE_SK_LOOKUP]		= "sk_lookup",
	[BPF_PROG_TYPE_SYSCALL]			= "syscall",
	BPFRT_COMPAT_PROG_TYPE_NAMES
};

static_assert(ARRAY_SIZE(bpfrt_prog_type_names) <= BPFRT_POLICY_MAX_TYPES);

static const char *bpfrt_prog_type_name(u32 type)
{
	if (type < ARRAY_SIZE(bpfrt_prog_type_names))
		return bpfrt_prog_type_names[type];
	return NULL;
}

/* The type named by @len bytes at @s; -EINVAL for an unknown name. */
static int bpfrt_prog_type_by_name(const char *s, size_t len)
{
	u32 t;

	for (t = 0; t < ARRAY_SIZE(bpfrt_prog_type_names); t++) {
		const char *n = bpfrt_prog_type_names[t];

		if (n && strlen(n) == len && !memcmp(n, s, len))
			return t;
	}
	return -EINVAL;
}

/*
 * What makes an estimate uncertain: a count capped at a kernel maximum, a
 * bound that is coarse or missing, or a cost that is not known. Named as
 * the CLI names them. Not in the list: tail_call and extension (the bound
 * covers this program only) and default_cost (built-in costs are known,
 * just not measured on this machine).
 */
static const struct {
	u32 bit;
	const char *name;
} bpfrt_uncertain_flags[] = {
	{ BPFRT_EST_F_LOOP_CAPPED,	"loop_capped" },
	{ BPFRT_EST_F_LOOP_UNBOUNDED,	"loop_unbounded" },
	{ BPFRT_EST_F_UNBOUNDED,	"unbounded" },
	{ BPFRT_EST_F_RECURSION,	"recursion" },
	{ BPFRT_EST_F_IRREDUCIBLE,	"irreducible" },
	{ BPFRT_EST_F_NO_EXIT,		"no_exit" },
	{ BPFRT_EST_F_IMPRECISE,	"imprecise" },
	{ BPFRT_EST_F_MISSING_COST,	"missing_cost" },
	{ BPFRT_EST_F_UNKNOWN_CALL,	"unknown_call" },
	{ BPFRT_EST_F_UNKNOWN_MAP,	"unknown_map" },
};

static u32 bpfrt_uncertain_mask(void)
{
	u32 mask = 0;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bpfrt_uncertain_flags); i++)
		mask |= bpfrt_uncertain_flags[i].bit;
	return mask;
}

static const char * const bpfrt_action_names[] = {
	[BPFRT_ACTION_AUDIT]	= "audit",
	[BPFRT_ACTION_REJECT]	= "reject",
};

static const char * const bpfrt_uncertain_names[] = {
	[BPFRT_UNCERTAIN_ESTIMATE]	= "estimate",
	[BPFRT_UNCERTAIN_OVER]		= "over",
	[BPFRT_UNCERTAIN_UNDER]		= "under",
};

/* --- parsing: each returns -EINVAL and leaves @p half-written on error -- */

/* Items of a list are separated by commas or white space. */
#define BPFRT_SEPARATORS ", \t\n"

/* The next item after *@s: its length (0 at the end) in @item. */
static size_t bpfrt_next_item(const char **s, const char **item)
{
	const char *p = *s + strspn(*s, BPFRT_SEPARATORS);
	size_t n = strcspn(p, BPFRT_SEPARATORS);

	*item = p;
	*s = p + n;
	return n;
}

/* The value without the newline `echo` adds. */
static size_t bpfrt_value_len(const char *val)
{
	size_t len = strlen(val);

	return len && val[len - 1] == '\n' ? len - 1 : len;
}

/* A decimal number of @len bytes: digits only, no sign, at most U64_MAX. */
static int bpfrt_parse_u64(const char *s, size_t len, u64 *v)
{
	char num[24];
	size_t i;

	if (!len || len >= sizeof(num))
		return -EINVAL;
	for (i = 0; i < len; i++)
		if (!isdigit(s[i]))
			return -EINVAL;
	memcpy(num, s, len);
	num[len] = '\0';
	/* an overflow (-ERANGE) is invalid like any other bad number */
	return kstrtou64(num, 10, v) ? -EINVAL : 0;
}

/* One of @names (@n of them), as the whole value. */
static int bpfrt_parse_choice(const char *val, const char * const *names,
			      size_t n, u32 *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (sysfs_streq(val, names[i])) {
			*out = i;
			return 0;
		}
	}
	return -EINVAL;
}

/* An empty list: nothing but separators, or the word "none". */
static bool bpfrt_list_is_empty(const char *val)
{
	const char *item, *s = val;
	size_t n = bpfrt_next_item(&s, &item);

	if (!n)
		return true;
	return n == 4 && !memcmp(item, "none", 4) &&
	       !bpfrt_next_item(&s, &item);
}

static int bpfrt_parse_limit_ns(struct bpfrt_policy *p, const char *val)
{
	return bpfrt_parse_u64(val, bpfrt_value_len(val), &p->limit_ns);
}

static int bpfrt_parse_action(struct bpfrt_policy *p, const char *val)
{
	return bpfrt_parse_choice(val, bpfrt_action_names,
				  ARRAY_SIZE(bpfrt_action_names), &p->action);
}

static int bpfrt_parse_uncertain(struct bpfrt_policy *p, const char *val)
{
	return bpfrt_parse_choice(val, bpfrt_uncertain_names,
				  ARRAY_SIZE(bpfrt_uncertain_names),
				  &p->uncertain);
}

/* "TYPE:NS" items; a type at most once; replaces the whole table. */
static int bpfrt_parse_type_limits(struct bpfrt_policy *p, const char *val)
{
	const char *item, *colon, *s = val;
	u32 i, cnt = 0;
	size_t n;
	int type;
	u64 ns;

	if (bpfrt_list_is_empty(val)) {
		p->type_cnt = 0;
		return 0;
	}
	while ((n = bpfrt_next_item(&s, &item))) {
		colon = memchr(item, ':', n);
		if (!colon)
			return -EINVAL;
		type = bpfrt_prog_type_by_name(item, colon - item);
		if (type < 0)
			return -EINVAL;
		if (bpfrt_parse_u64(colon + 1, item + n - colon - 1, &ns))
			return -EINVAL;
		for (i = 0; i < cnt; i++)
			if (p->types[i].type == type)
				return -EINVAL;
		/* cannot happen: each known type at most once */
		if (cnt == BPFRT_POLICY_MAX_TYPES)
			return -EINVAL;
		p->types[cnt].type = type;
		p->types[cnt].limit_ns = ns;
		cnt++;
	}
	p->type_cnt = cnt;
	return 0;
}

/* A BPF object name's characters (kernel/bpf/syscall.c: bpf_obj_name_cpy). */
static bool bpfrt_name_char_ok(char c)
{
	return isalnum(c) || c == '_' || c == '.';
}

static int bpfrt_parse_exempt_item(struct bpfrt_exempt *e, const char *item,
				   size_t n)
{
	size_t i;

	memset(e, 0, sizeof(*e));
	if (n > 5 && !memcmp(item, "name:", 5)) {
		item += 5;
		n -= 5;
		if (n >= BPF_OBJ_NAME_LEN)
			return -EINVAL;
		for (i = 0; i < n; i++)
			if (!bpfrt_name_char_ok(item[i]))
				return -EINVAL;
		e->kind = BPFRT_EXEMPT_NAME;
		e->len = n;
		memcpy(e->name, item, n);
		return 0;
	}
	if (n == 4 + 2 * BPF_TAG_SIZE && !memcmp(item, "tag:", 4)) {
		e->kind = BPFRT_EXEMPT_TAG;
		return hex2bin(e->tag, item + 4, BPF_TAG_SIZE) ? -EINVAL : 0;
	}
	return -EINVAL;
}

/* "name:PREFIX" and "tag:HEX" items, each at most once; replaces the list. */
static int bpfrt_parse_exempt(struct bpfrt_policy *p, const char *val)
{
	const char *item, *s = val;
	struct bpfrt_exempt e;
	u32 i, cnt = 0;
	size_t n;

	if (bpfrt_list_is_empty(val)) {
		p->exempt_cnt = 0;
		return 0;
	}
	while ((n = bpfrt_next_item(&s, &item))) {
		if (cnt == BPFRT_POLICY_MAX_EXEMPT ||
		    bpfrt_parse_exempt_item(&e, item, n))
			return -EINVAL;
		for (i = 0; i < cnt; i++)
			if (!memcmp(&p->exempt[i], &e, sizeof(e)))
				return -EINVAL;
		p->exempt[cnt++] = e;
	}
	p->exempt_cnt = cnt;
	return 0;
}

/* --- formatting: one line into a page, as sysfs and parameters want ------ */

static int bpfrt_show_limit_ns(const struct bpfrt_policy *p, char *buf)
{
	return scnprintf(buf, PAGE_SIZE, "%llu\n", p->limit_ns);
}

/* "[audit] reject": every choice, the current one in brackets. */
static int bpfrt_show_choice(char *buf, const char * const *names, size_t n,
			     u32 cur)
{
	int len = 0;
	size_t i;

	for (i = 0; i < n; i++)
		len += scnprintf(buf + len, PAGE_SIZE - len,
				 i == cur ? "%s[%s]" : "%s%s", i ? " " : "",
				 names[i]);
	len += scnprintf(buf + len, PAGE_SIZE - len, "\n");
	return len;
}

static int bpfrt_show_action(const struct bpfrt_policy *p, char *buf)
{
	return bpfrt_show_choice(buf, bpfrt_action_names,
				 ARRAY_SIZE(bpfrt_action_names), p->action);
}

static int bpfrt_show_uncertain(const struct bpfrt_policy *p, char *buf)
{
	return bpfrt_show_choice(buf, bpfrt_uncertain_names,
				 ARRAY_SIZE(bpfrt_uncertain_names),
				 p->uncertain);
}

static int bpfrt_show_type_limits(const struct bpfrt_policy *p, char *buf)
{
	int len = 0;
	u32 i;

	if (!p->type_cnt)
		return scnprintf(buf, PAGE_SIZE, "none\n");
	for (i = 0; i < p->type_cnt; i++)
		len += scnprintf(buf + len, PAGE_SIZE - len, "%s%s:%llu",
				 i ? "," : "",
				 bpfrt_prog_type_name(p->types[i].type),
				 p->types[i].limit_ns);
	len += scnprintf(buf + len, PAGE_SIZE - len, "\n");
	return len;
}

static int bpfrt_show_exempt(const struct bpfrt_policy *p, char *buf)
{
	const struct bpfrt_exempt *e;
	int len = 0;
	u32 i;

	if (!p->exempt_cnt)
		return scnprintf(buf, PAGE_SIZE, "none\n");
	for (i = 0; i < p->exempt_cnt; i++) {
		e = &p->exempt[i];
		if (e->kind == BPFRT_EXEMPT_NAME)
			len += scnprintf(buf + len, PAGE_SIZE - len,
					 "%sname:%.*s", i ? "," : "",
					 e->len, e->name);
		else
			len += scnprintf(buf + len, PAGE_SIZE - len,
					 "%stag:%*phN", i ? "," : "",
					 BPF_TAG_SIZE, e->tag);
	}
	len += scnprintf(buf + len, PAGE_SIZE - len, "\n");
	return len;
}

/* --- changing the policy ------------------------------------------------ */

typedef int (*bpfrt_parse_fn)(struct bpfrt_policy *p, const char *val);

/* Applies @parse to a copy; publishes it only if the whole value is valid. */
static int bpfrt_policy_write(bpfrt_parse_fn parse, const char *val)
{
	struct bpfrt_policy *old, *new;
	int ret;

	new = kmalloc(sizeof(*new), GFP_KERNEL);
	if (!new)
		return -ENOMEM;
	mutex_lock(&bpfrt_policy_lock);
	old = rcu_dereference_protected(bpfrt_policy,
					lockdep_is_held(&bpfrt_policy_lock));
	*new = old ? *old : bpfrt_policy_params;
	ret = parse(new, val);
	if (!ret) {
		if (old) {
			rcu_assign_pointer(bpfrt_policy, new);
			kfree_rcu(old, rcu);
			new = NULL;
		} else {
			/* a module parameter, before init: not yet shared */
			bpfrt_policy_params = *new;
		}
	}
	mutex_unlock(&bpfrt_policy_lock);
	kfree(new);
	return ret;
}

/*
 * A knob: its sysfs attribute in /sys/kernel/bpfrt/policy/ and, through
 * the same parse and show functions, its module parameter policy_NAME.
 */
struct bpfrt_knob {
	struct kobj_attribute attr;
	bpfrt_parse_fn parse;
	int (*show)(const struct bpfrt_policy *p, char *buf);
};

static int bpfrt_knob_format(const struct bpfrt_knob *k, char *buf)
{
	int len;

	rcu_read_lock();
	len = k->show(bpfrt_policy_get(), buf);
	rcu_read_unlock();
	return len;
}

static ssize_t bpfrt_knob_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	return bpfrt_knob_format(container_of(attr, struct bpfrt_knob, attr),
				 buf);
}

static ssize_t bpfrt_knob_store(struct kobject *kobj,
				struct kobj_attribute *attr, const char *buf,
				size_t count)
{
	const struct bpfrt_knob *k = container_of(attr, struct bpfrt_knob,
						  attr);
	int ret;

	/* Mode 0644 keeps others out; a root without the capability too. */
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	ret = bpfrt_policy_write(k->parse, buf);
	return ret ? ret : count;
}

#define BPFRT_KNOB(_name, _parse, _show)				\
static struct bpfrt_knob bpfrt_knob_##_name = {				\
	.attr = __ATTR(_name, 0644, bpfrt_knob_show, bpfrt_knob_store),	\
	.parse = _parse,						\
	.show = _show,							\
}

BPFRT_KNOB(limit_ns, bpfrt_parse_limit_ns, bpfrt_show_limit_ns);
BPFRT_KNOB(action, bpfrt_parse_action, bpfrt_show_action);
BPFRT_KNOB(type_limits_ns, bpfrt_parse_type_limits, bpfrt_show_type_limits);
BPFRT_KNOB(exempt, bpfrt_parse_exempt, bpfrt_show_exempt);
BPFRT_KNOB(uncertain, bpfrt_parse_uncertain, bpfrt_show_uncertain);

static int bpfrt_knob_param_set(const char *val, const struct kernel_param *kp)
{
	const struct bpfrt_knob *k = kp->arg;

	/*
	 * At load (modprobe.d) the policy is not published yet. The files in
	 * /sys/module/bpfrt/parameters are read-only, but root can chmod them.
	 */
	if (rcu_access_pointer(bpfrt_policy) && !capable(CAP_SYS_ADMIN))
		return -EPERM;
	return bpfrt_policy_write(k->parse, val);
}

static int bpfrt_knob_param_get(char *buf, const struct kernel_param *kp)
{
	return bpfrt_knob_format(kp->arg, buf);
}

static const struct kernel_param_ops bpfrt_knob_param_ops = {
	.set = bpfrt_knob_param_set,
	.get = bpfrt_knob_param_get,
};

module_param_cb(policy_limit_ns, &bpfrt_knob_param_ops,
		&bpfrt_knob_limit_ns, 0444);
MODULE_PARM_DESC(policy_limit_ns,
		 "Worst-case runtime limit for loaded BPF programs, in nanoseconds; 0 = no limit (default 0). Same as /sys/kernel/bpfrt/policy/limit_ns");
module_param_cb(policy_action, &bpfrt_knob_param_ops,
		&bpfrt_knob_action, 0444);
MODULE_PARM_DESC(policy_action,
		 "What a load over the limit gets: audit (log, event, loaded) or reject (fails with EDQUOT, reason in the verifier log) (default audit)");
module_param_cb(policy_type_limits_ns, &bpfrt_knob_param_ops,
		&bpfrt_knob_type_limits_ns, 0444);
MODULE_PARM_DESC(policy_type_limits_ns,
		 "Per-program-type limits in nanoseconds replacing policy_limit_ns, TYPE:NS[,TYPE:NS...] with bpftool's type names, e.g. xdp:50000; 0 = no limit for that type (default none)");
module_param_cb(policy_exempt, &bpfrt_knob_param_ops,
		&bpfrt_knob_exempt, 0444);
MODULE_PARM_DESC(policy_exempt,
		 "Programs never judged over the limit: name:PREFIX (program name prefix) and tag:HEX (16 hex digits) items, comma-separated (default none)");
module_param_cb(policy_uncertain, &bpfrt_knob_param_ops,
		&bpfrt_knob_uncertain, 0444);
MODULE_PARM_DESC(policy_uncertain,
		 "How an uncertain estimate (capped loop, unknown cost, no bound) counts: estimate (by its value), over (always over the limit) or under (never over) (default estimate)");

static ssize_t stats_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf,
			  "judged %lld\n"
			  "over_limit %lld\n"
			  "exempted %lld\n"
			  "audited %lld\n"
			  "rejected %lld\n",
			  atomic64_read(&bpfrt_policy_stats.judged),
			  atomic64_read(&bpfrt_policy_stats.over_limit),
			  atomic64_read(&bpfrt_policy_stats.exempted),
			  atomic64_read(&bpfrt_policy_stats.audited),
			  atomic64_read(&bpfrt_policy_stats.rejected));
}

static struct kobj_attribute bpfrt_policy_stats_attr = __ATTR_RO(stats);

static struct attribute *bpfrt_policy_attrs[] = {
	&bpfrt_knob_limit_ns.attr.attr,
	&bpfrt_knob_action.attr.attr,
	&bpfrt_knob_type_limits_ns.attr.attr,
	&bpfrt_knob_exempt.attr.attr,
	&bpfrt_knob_uncertain.attr.attr,
	&bpfrt_policy_stats_attr.attr,
	NULL,
};

/* A named group: the files are in /sys/kernel/bpfrt/policy/. */
static const struct attribute_group bpfrt_policy_group = {
	.name = "policy",
	.attrs = bpfrt_policy_attrs,
};

/* --- judging ------------------------------------------------------------ */

enum bpfrt_judgement { BPFRT_UNDER, BPFRT_EXEMPT, BPFRT_OVER };

/* How a program was judged, copied out of the policy it was judged by. */
struct bpfrt_verdict {
	u64 limit_ns;
	u32 action;
	u32 uncertain_mode;
	bool type_limit;	/* the limit is its type's (type_limits_ns) */
	bool judged;		/* a limit applied */
	bool uncertain;		/* the estimate is uncertain or missing */
	bool over_estimate;	/* the estimate itself is over the limit */
};

static bool bpfrt_exempt_match(const struct bpfrt_exempt *e,
			       const struct bpfrt_prog_summary *s)
{
	if (e->kind == BPFRT_EXEMPT_TAG)
		return !memcmp(e->tag, s->tag, BPF_TAG_SIZE);
	return !strncmp(s->name, e->name, e->len);
}

/* Pure: @s under policy @p. */
static enum bpfrt_judgement
bpfrt_policy_decide(const struct bpfrt_policy *p,
		    const struct bpfrt_prog_summary *s, struct bpfrt_verdict *v)
{
	bool failed = s->flags & BPFRT_PROG_F_EST_FAILED;
	bool over;
	u32 i;

	memset(v, 0, sizeof(*v));
	v->limit_ns = p->limit_ns;
	v->action = p->action;
	v->uncertain_mode = p->uncertain;
	for (i = 0; i < p->type_cnt; i++) {
		if (p->types[i].type == s->type) {
			v->limit_ns = p->types[i].limit_ns;
			v->type_limit = true;
			break;
		}
	}
	if (!v->limit_ns)
		return BPFRT_UNDER;
	v->judged = true;

	v->uncertain = failed || (s->est_flags & bpfrt_uncertain_mask());
	/* No estimate, or no finite one, is over any limit. */
	v->over_estimate = failed || s->worst_ns == BPFRT_UNBOUNDED ||
			   s->worst_ns > v->limit_ns;
	switch (p->uncertain) {
	case BPFRT_UNCERTAIN_OVER:
		over = v->over_estimate || v->uncertain;
		break;
	case BPFRT_UNCERTAIN_UNDER:
		over = v->over_estimate && !v->uncertain;
		break;
	default:
		over = v->over_estimate;
		break;
	}
	if (!over)
		return BPFRT_UNDER;
	for (i = 0; i < p->exempt_cnt; i++)
		if (bpfrt_exempt_match(&p->exempt[i], s))
			return BPFRT_EXEMPT;
	return BPFRT_OVER;
}

/* --- the reason, in words ----------------------------------------------- */

struct bpfrt_sb {
	char *buf;
	size_t len;
	size_t used;
};

static __printf(2, 3) void bpfrt_sb_add(struct bpfrt_sb *sb,
					const char *fmt, ...)
{
	va_list ap;

	if (sb->used + 1 >= sb->len)
		return;
	va_start(ap, fmt);
	sb->used += vscnprintf(sb->buf + sb->used, sb->len - sb->used, fmt, ap);
	va_end(ap);
}

/*
 * @ns with a unit and three significant digits, rounded half up, as the CLI
 * prints durations: "374 ns", "1.07 ms", "283 ms", "2.26 s"; whole seconds
 * from 1000 s on.
 */
static void bpfrt_sb_duration(struct bpfrt_sb *sb, u64 ns)
{
	static const char * const units[] = { "ns", "us", "ms", "s" };
	u64 p = 1, q, rem, t;
	u32 r, digits = 0, e, intd;

	if (ns == BPFRT_UNBOUNDED) {
		bpfrt_sb_add(sb, "unbounded");
		return;
	}
	if (ns < 1000) {
		bpfrt_sb_add(sb, "%llu ns", ns);
		return;
	}
	for (t = ns; t; t /= 10)
		digits++;
	for (e = 0; e < digits - 3; e++)
		p *= 10;
	q = ns / p;
	rem = ns % p;
	r = q + (rem >= p - rem);
	if (r == 1000) {
		r = 100;
		digits++;
	}
	e = (digits - 1) / 3;
	if (e > 3) {
		q = ns / 1000000000;
		rem = ns % 1000000000;
		bpfrt_sb_add(sb, "%llu s", q + (rem >= 1000000000 - rem));
		return;
	}
	intd = digits - 3 * e;
	if (intd == 1)
		bpfrt_sb_add(sb, "%u.%02u %s", r / 100, r % 100, units[e]);
	else if (intd == 2)
		bpfrt_sb_add(sb, "%u.%u %s", r / 10, r % 10, units[e]);
	else
		bpfrt_sb_add(sb, "%u %s", r, units[e]);
}

static const char * const bpfrt_map_op_names[] = {
	[BPFRT_MAP_OP_LOOKUP]		= "lookup",
	[BPFRT_MAP_OP_UPDATE]		= "update",
	[BPFRT_MAP_OP_DELETE]		= "delete",
	[BPFRT_MAP_OP_PUSH]		= "push",
	[BPFRT_MAP_OP_POP]		= "pop",
	[BPFRT_MAP_OP_PEEK]		= "peek",
	[BPFRT_MAP_OP_REDIRECT]		= "redirect",
	[BPFRT_MAP_OP_FOR_EACH]		= "for_each",
	[BPFRT_MAP_OP_LOOKUP_PERCPU]	= "lookup_percpu",
};

/* The largest contributor to the worst case, as the CLI words it. */
static void bpfrt_sb_contrib(struct bpfrt_sb *sb,
			     const struct bpfrt_prog_rec *rec,
			     const struct bpfrt_an_contrib *c)
{
	const char *name;

	switch (c->kind) {
	case BPFRT_AN_C_INSNS:
		bpfrt_sb_add(sb, "the instructions of func %u", c->func);
		break;
	case BPFRT_AN_C_LOOP:
		bpfrt_sb_add(sb, "the loop body at func %u insn %u", c->func,
			     c->insn);
		break;
	case BPFRT_AN_C_HELPER:
		name = bpfrt_helper_name(c->id);
		if (name)
			bpfrt_sb_add(sb, "helper bpf_%s", name);
		else
			bpfrt_sb_add(sb, "helper %u", c->id);
		break;
	case BPFRT_AN_C_MAP_OP:
		if (c->op < ARRAY_SIZE(bpfrt_map_op_names) &&
		    bpfrt_map_op_names[c->op])
			bpfrt_sb_add(sb, "map %s", bpfrt_map_op_names[c->op]);
		else
			bpfrt_sb_add(sb, "map op %u", c->op);
		if (c->id < rec->map_cnt && rec->maps[c->id].name[0])
			bpfrt_sb_add(sb, " on map '%s'", rec->maps[c->id].name);
		break;
	case BPFRT_AN_C_KFUNC:
		bpfrt_sb_add(sb, "kfunc call");
		break;
	case BPFRT_AN_C_CALL:
		bpfrt_sb_add(sb, "the call overhead of func %u", c->id);
		break;
	case BPFRT_AN_C_CALLBACK:
		bpfrt_sb_add(sb, "the invocations of callback func %u", c->id);
		break;
	case BPFRT_AN_C_TAIL_CALL:
		bpfrt_sb_add(sb, "tail call");
		break;
	default:
		bpfrt_sb_add(sb, "a call to an unknown target");
		break;
	}
	if (c->kind != BPFRT_AN_C_INSNS && c->kind != BPFRT_AN_C_LOOP)
		bpfrt_sb_add(sb, " at func %u insn %u", c->func, c->insn);
	if (c->multiplier == 1)
		bpfrt_sb_add(sb, ", run once");
	else
		bpfrt_sb_add(sb, ", run %llu times", c->multiplier);
	bpfrt_sb_add(sb, " (%u.%u%% of the worst case)", c->share_pm / 10,
		     c->share_pm % 10);
}

static void bpfrt_sb_limit(struct bpfrt_sb *sb,
			   const struct bpfrt_prog_summary *s,
			   const struct bpfrt_verdict *v)
{
	if (v->type_limit)
		bpfrt_sb_add(sb, "the limit for %s programs of ",
			     bpfrt_prog_type_name(s->type));
	else
		bpfrt_sb_add(sb, "the limit of ");
	bpfrt_sb_duration(sb, v->limit_ns);
	/* the exact value too, when the duration rounded it */
	if (v->limit_ns >= 1000)
		bpfrt_sb_add(sb, " (%llu ns, ", v->limit_ns);
	else
		bpfrt_sb_add(sb, " (");
	bpfrt_sb_add(sb, "policy %s)",
		     v->type_limit ? "type_limits_ns" : "limit_ns");
}

static void bpfrt_sb_uncertain(struct bpfrt_sb *sb,
			       const struct bpfrt_prog_summary *s)
{
	const char *sep = "";
	size_t i;

	if (s->flags & BPFRT_PROG_F_EST_FAILED) {
		bpfrt_sb_add(sb, "missing");
		return;
	}
	for (i = 0; i < ARRAY_SIZE(bpfrt_uncertain_flags); i++) {
		if (s->est_flags & bpfrt_uncertain_flags[i].bit) {
			bpfrt_sb_add(sb, "%s%s", sep,
				     bpfrt_uncertain_flags[i].name);
			sep = ",";
		}
	}
}

/* Why @rec is over the limit of @v, in one sentence without a period. */
static void bpfrt_policy_why(struct bpfrt_sb *sb,
			     const struct bpfrt_prog_rec *rec,
			     const struct bpfrt_verdict *v)
{
	const struct bpfrt_prog_summary *s = &rec->sum;

	if (s->flags & BPFRT_PROG_F_EST_FAILED) {
		bpfrt_sb_add(sb,
			     "there is no worst-case estimate (the analyzer failed with error %u) to compare with ",
			     s->est_errno);
		bpfrt_sb_limit(sb, s, v);
		return;
	}
	bpfrt_sb_add(sb, "worst-case estimate ");
	bpfrt_sb_duration(sb, s->worst_ns);
	if (s->worst_ns != BPFRT_UNBOUNDED && s->worst_ns >= 1000)
		bpfrt_sb_add(sb, " (%llu ns)", s->worst_ns);
	if (v->over_estimate) {
		bpfrt_sb_add(sb, " exceeds ");
		bpfrt_sb_limit(sb, s, v);
		if (v->uncertain) {
			bpfrt_sb_add(sb, "; the estimate is uncertain (");
			bpfrt_sb_uncertain(sb, s);
			bpfrt_sb_add(sb, ")");
		}
	} else {
		bpfrt_sb_add(sb, " is within ");
		bpfrt_sb_limit(sb, s, v);
		bpfrt_sb_add(sb, " but uncertain (");
		bpfrt_sb_uncertain(sb, s);
		bpfrt_sb_add(sb,
			     "), and uncertain estimates count as over the limit (policy uncertain=over)");
	}
	if (rec->est.contrib_cnt) {
		bpfrt_sb_add(sb, "; largest contributor: ");
		bpfrt_sb_contrib(sb, rec, &rec->est.contrib[0]);
	}
}

/* --- enforcement -------------------------------------------------------- */

/* A BPF_TAIL_CALL in some function of @prog. */
static bool bpfrt_has_tail_calls(const struct bpf_prog *prog)
{
	const struct bpf_prog_aux *aux = prog->aux;
	u32 f, i, n = prog->jited && aux->func_cnt ? aux->func_cnt : 1;

	for (f = 0; f < n; f++) {
		const struct bpf_prog *fp = n > 1 ? aux->func[f] : prog;

		for (i = 0; i < fp->len; i++)
			if (fp->insnsi[i].code == (BPF_JMP | BPF_TAIL_CALL))
				return true;
	}
	return false;
}

bool bpfrt_policy_limits(u32 type)
{
	const struct bpfrt_policy *p;
	bool limited;
	u32 i;

	rcu_read_lock();
	p = bpfrt_policy_get();
	limited = p->limit_ns;
	for (i = 0; i < p->type_cnt; i++)
		if (p->types[i].type == type)
			limited = p->types[i].limit_ns;
	rcu_read_unlock();
	return limited;
}

int bpfrt_policy_judge(const struct bpf_prog *prog,
		       const struct bpfrt_load_log *log)
{
	enum bpfrt_judgement j = BPFRT_UNDER;
	struct bpfrt_prog_summary sum;
	struct bpfrt_prog_rec *rec;
	struct bpfrt_sb why = {};
	struct bpfrt_event_extra extra = {};
	struct bpfrt_verdict v = {};
	char *msg, type_buf[16];
	const char *type;
	bool reject;

	mutex_lock(&bpfrt_registry_lock);
	rec = bpfrt_registry_find(prog->aux);
	/*
	 * A deferred record has no estimate yet: it was deferred because no
	 * limit applied when its load was recorded (defer.c).
	 */
	if (rec && rec->est_state != BPFRT_EST_DONE)
		rec = NULL;
	if (rec) {
		rcu_read_lock();
		j = bpfrt_policy_decide(bpfrt_policy_get(), &rec->sum, &v);
		rcu_read_unlock();
	}
	if (j == BPFRT_OVER) {
		/* Only now: most loads are under the limit, or have none. */
		why.buf = kmalloc(BPFRT_REASON_LEN, GFP_KERNEL);
		if (why.buf) {
			why.len = BPFRT_REASON_LEN;
			why.buf[0] = '\0';
		}
		rec->sum.flags |= BPFRT_PROG_F_OVER_LIMIT;
		sum = rec->sum;
		bpfrt_policy_why(&why, rec, &v);
		if (v.action != BPFRT_ACTION_REJECT)
			rec->policy_limit_ns = v.limit_ns;
	}
	mutex_unlock(&bpfrt_registry_lock);
	if (j == BPFRT_OVER && v.action == BPFRT_ACTION_REJECT) {
		/*
		 * No id, no fd: nothing else can know the program, and it
		 * cannot run. bpf_prog_load() frees it on its error path and
		 * the free hook finds no record: REJECTED is its only event.
		 * The watchdog may have armed it at load (its estimate is
		 * over the watchdog's limit too): the patches go before the
		 * record does (lock order: bpfrt_term_lock, then the
		 * registry's).
		 */
		bpfrt_term_release(prog->aux);
		mutex_lock(&bpfrt_registry_lock);
		bpfrt_registry_remove(prog->aux);
		mutex_unlock(&bpfrt_registry_lock);
	}

	if (rec && v.judged)
		atomic64_inc(&bpfrt_policy_stats.judged);
	if (j == BPFRT_EXEMPT) {
		atomic64_inc(&bpfrt_policy_stats.over_limit);
		atomic64_inc(&bpfrt_policy_stats.exempted);
	}
	if (j != BPFRT_OVER) {
		kfree(why.buf);
		return 0;
	}
	atomic64_inc(&bpfrt_policy_stats.over_limit);

	reject = v.action == BPFRT_ACTION_REJECT;
	/*
	 * The watchdog reads the run counts of records that make tail calls
	 * without a reference to their program (registry.c:
	 * bpfrt_index_tail_runs), as the free hook knows: the program is
	 * freed as soon as we return, so wait until no interrupt still sees
	 * the record in the index it was just removed from.
	 */
	if (reject && bpfrt_has_tail_calls(prog))
		synchronize_rcu();
	type = bpfrt_prog_type_name(sum.type);
	if (!type) {
		snprintf(type_buf, sizeof(type_buf), "type %u", sum.type);
		type = type_buf;
	}
	if (__ratelimit(&bpfrt_policy_rs))
		pr_warn("%s program '%s' (%s, tag %*phN) loaded by %s[%d]: %s%s\n",
			reject ? "rejected" : "over-limit",
			sum.name, type, BPF_TAG_SIZE, sum.tag, current->comm,
			task_pid_nr(current),
			why.buf ?: "(no memory for the reason)",
			reject ? "" : "; loaded anyway (action audit)");

	if (!reject) {
		/* Its event waits for the id (capture.c: the perf hook). */
		atomic64_inc(&bpfrt_policy_stats.audited);
		kfree(why.buf);
		return 0;
	}

	atomic64_inc(&bpfrt_policy_stats.rejected);
	sum.id = 0;
	extra.limit_ns = v.limit_ns;
	bpfrt_event_post_ext(BPFRT_EV_PROG_REJECTED, &sum, &extra);
	if (log) {
		msg = kasprintf(GFP_KERNEL,
				"bpfrt: load rejected by the runtime policy (error EDQUOT): %s. Policy: %s",
				why.buf ?: "over the limit",
				BPFRT_SYSFS_POLICY_DIR);
		if (msg)
			bpfrt_load_log_append(log, msg);
		kfree(msg);
	}
	kfree(why.buf);
	return -BPFRT_REJECT_ERRNO;
}

/* Readers are gone (the hooks are removed): takes the policy back. */
static void bpfrt_policy_unpublish(void)
{
	struct bpfrt_policy *p;

	mutex_lock(&bpfrt_policy_lock);
	p = rcu_replace_pointer(bpfrt_policy, NULL,
				lockdep_is_held(&bpfrt_policy_lock));
	mutex_unlock(&bpfrt_policy_lock);
	synchronize_rcu();
	kfree(p);
}

int bpfrt_policy_init(void)
{
	struct bpfrt_policy *p;
	int ret;

	/* Publishing the module parameters' values starts the policy. */
	p = kmalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	mutex_lock(&bpfrt_policy_lock);
	*p = bpfrt_policy_params;
	rcu_assign_pointer(bpfrt_policy, p);
	mutex_unlock(&bpfrt_policy_lock);

	ret = sysfs_create_group(bpfrt_sysfs_kobj(), &bpfrt_policy_group);
	if (ret)
		goto err_unpublish;
	return 0;

err_unpublish:
	bpfrt_policy_unpublish();
	return ret;
}

void bpfrt_policy_exit(void)
{
	/* Waits for writers in progress (kernfs drains the files). */
	sysfs_remove_group(bpfrt_sysfs_kobj(), &bpfrt_policy_group);
	bpfrt_policy_unpublish();
}
