/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The policy's state, shared by its knobs (policy_knobs.c: parsing,
 * publishing, sysfs and module parameters) and its judgement (policy.c).
 * Private to those two files; everything else uses policy.h.
 */
#ifndef _BPFRT_POLICY_STATE_H
#define _BPFRT_POLICY_STATE_H

#include <linux/atomic.h>
#include <linux/bpf.h>
#include <linux/rcupdate.h>
#include <linux/types.h>

#define BPFRT_POLICY_MAX_TYPES	64
#define BPFRT_POLICY_MAX_EXEMPT	64

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
 * The current policy, under rcu_read_lock() or the knobs' writer lock:
 * never changed once published (policy_knobs.c).
 */
const struct bpfrt_policy *bpfrt_policy_get(void);

/* bpftool's name of program type @type, or NULL (policy_knobs.c). */
const char *bpfrt_prog_type_name(u32 type);

/* What the judgement counted, shown in /sys/kernel/bpfrt/policy/stats. */
struct bpfrt_policy_stats {
	atomic64_t judged;	/* loads compared with a limit */
	atomic64_t over_limit;	/* of which over it (exempted included) */
	atomic64_t exempted;
	atomic64_t audited;
	atomic64_t rejected;
};

extern struct bpfrt_policy_stats bpfrt_policy_stats;

#endif /* _BPFRT_POLICY_STATE_H */
