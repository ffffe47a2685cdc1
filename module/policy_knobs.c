// SPDX-License-Identifier: GPL-2.0
/*
 * The load-time policy's knobs (policy.h), in /sys/kernel/bpfrt/policy/ and
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
 *
 * The judgement that uses them is policy.c's.
 */
#include <linux/bpf.h>
#include <linux/capability.h>
#include <linux/ctype.h>
#include <linux/kernel.h>
#include <linux/kobject.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/bpfrt.h>

#include "bpfrt.h"
#include "compat/prog_types.h"
#include "policy.h"
#include "policy_state.h"

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

const struct bpfrt_policy *bpfrt_policy_get(void)
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

const char *bpfrt_prog_type_name(u32 type)
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
