// SPDX-License-Identifier: GPL-2.0
/*
 * The cost model estimates are computed with. It starts as the analyzer's
 * conservative built-in table (analyzer/default_costs.c); calibration will
 * upload a measured one.
 */
#include <linux/bpfrt.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "costs.h"

/* Serialises estimates against replacing the model. */
DEFINE_MUTEX(bpfrt_costs_lock);
struct bpfrt_cost_model *bpfrt_costs;
u32 bpfrt_costs_source = BPFRT_COSTS_BUILTIN;

const char *bpfrt_costs_description(void)
{
	return bpfrt_costs_source == BPFRT_COSTS_BUILTIN ?
	       "built-in conservative defaults" : "uploaded";
}

int bpfrt_costs_init(void)
{
	/* About 40 KiB: too large for the stack, fine for kvmalloc. */
	bpfrt_costs = kvzalloc(sizeof(*bpfrt_costs), GFP_KERNEL);
	if (!bpfrt_costs)
		return -ENOMEM;
	bpfrt_cost_model_default(bpfrt_costs);
	return 0;
}

void bpfrt_costs_exit(void)
{
	kvfree(bpfrt_costs);
	bpfrt_costs = NULL;
}
