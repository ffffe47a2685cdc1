/* SPDX-License-Identifier: GPL-2.0 */
/* The cost model in use: the built-in table until one is uploaded. */
#ifndef _BPFRT_COSTS_H
#define _BPFRT_COSTS_H

#include <linux/mutex.h>

#include "analyzer/analyzer.h"

#define BPFRT_COSTS_DESC_LEN	64

/* Held while the model is read (estimates) or replaced. */
extern struct mutex bpfrt_costs_lock;
extern struct bpfrt_cost_model *bpfrt_costs;
extern u32 bpfrt_costs_source;		/* BPFRT_COSTS_* */
/* Bumped at every change; a record notes the one it was estimated with. */
extern u32 bpfrt_costs_gen;

int bpfrt_costs_init(void);
void bpfrt_costs_exit(void);
/* Under bpfrt_costs_lock. */
const char *bpfrt_costs_description(void);

/*
 * Makes @cm (kvmalloc()ed, validated; NULL: a fresh built-in table) the
 * model, described by @desc, and estimates every recorded program again.
 * Takes ownership of @cm, also on failure. *progs and *failed count the programs estimated
 * again and those whose new estimate failed (flagged EST_FAILED). Process
 * context; takes bpfrt_registry_lock, then bpfrt_costs_lock.
 */
int bpfrt_costs_replace(struct bpfrt_cost_model *cm, const char *desc,
			u32 *progs, u32 *failed);

/* /sys/kernel/bpfrt/costs_*: after bpfrt_sysfs_init(). */
int bpfrt_costs_sysfs_init(void);
void bpfrt_costs_sysfs_exit(void);

#endif /* _BPFRT_COSTS_H */
