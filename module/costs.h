/* SPDX-License-Identifier: GPL-2.0 */
/* The cost model in use: the built-in table until one is uploaded. */
#ifndef _BPFRT_COSTS_H
#define _BPFRT_COSTS_H

#include <linux/mutex.h>

#include "analyzer/analyzer.h"

/* Held while the model is read (estimates) or replaced. */
extern struct mutex bpfrt_costs_lock;
extern struct bpfrt_cost_model *bpfrt_costs;
extern u32 bpfrt_costs_source;		/* BPFRT_COSTS_* */

int bpfrt_costs_init(void);
void bpfrt_costs_exit(void);
const char *bpfrt_costs_description(void);

#endif /* _BPFRT_COSTS_H */
