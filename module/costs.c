// SPDX-License-Identifier: GPL-2.0
/*
 * The cost model estimates are computed with. It starts as the analyzer's
 * conservative built-in table (analyzer/default_costs.c); `bpfrt calibrate`
 * or `bpfrt costs load` uploads a measured one (BPFRT_IOC_COSTS_SET), and
 * every recorded program is then estimated again with it.
 *
 *   /sys/kernel/bpfrt/costs_source	 "builtin" or "uploaded"
 *   /sys/kernel/bpfrt/costs_description what the table is (its uploader's
 *					 words, or "built-in conservative
 *					 defaults")
 *   /sys/kernel/bpfrt/costs_generation	 table changes since the module was
 *					 loaded (0: the built-in table, never
 *					 replaced)
 *
 * Locking: bpfrt_costs_lock protects the model, its source, description and
 * generation. A change takes bpfrt_registry_lock first, then
 * bpfrt_costs_lock (never the other way round), so no program can be freed
 * or recorded while the records are estimated again.
 */
#include <linux/bpfrt.h>
#include <linux/kobject.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "prog_estimate.h"
#include "bpfrt.h"
#include "costs.h"
#include "registry.h"

#define BPFRT_COSTS_BUILTIN_DESC "built-in conservative defaults"

DEFINE_MUTEX(bpfrt_costs_lock);
struct bpfrt_cost_model *bpfrt_costs;
u32 bpfrt_costs_source = BPFRT_COSTS_BUILTIN;
u32 bpfrt_costs_gen;
static char bpfrt_costs_desc[BPFRT_COSTS_DESC_LEN] = BPFRT_COSTS_BUILTIN_DESC;

const char *bpfrt_costs_description(void)
{
	lockdep_assert_held(&bpfrt_costs_lock);
	return bpfrt_costs_desc;
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

struct bpfrt_reest_state {
	u32 done;
	u32 failed;
};

static int bpfrt_reest_one(struct bpfrt_prog_rec *rec, void *arg)
{
	struct bpfrt_reest_state *st = arg;

	/* A deferred estimate is made with the new table (defer.c). */
	if (rec->est_state != BPFRT_EST_DONE) {
		st->done++;
		return 0;
	}
	if (bpfrt_reestimate(rec))
		st->failed++;
	else
		st->done++;
	/* Many large programs take a while; the locks are mutexes. */
	cond_resched();
	return 0;
}

int bpfrt_costs_replace(struct bpfrt_cost_model *cm, const char *desc,
			u32 *progs, u32 *failed)
{
	struct bpfrt_reest_state st = {};
	struct bpfrt_cost_model *old;
	bool builtin = !cm;
	int ret;

	if (builtin) {
		cm = kvzalloc(sizeof(*cm), GFP_KERNEL);
		if (!cm)
			return -ENOMEM;
		bpfrt_cost_model_default(cm);
	} else if (bpfrt_cost_model_validate(cm, NULL)) {
		/* The ioctl validates first; this is the last line. */
		kvfree(cm);
		return -EINVAL;
	}

	mutex_lock(&bpfrt_registry_lock);
	mutex_lock(&bpfrt_costs_lock);
	old = bpfrt_costs;
	bpfrt_costs = cm;
	bpfrt_costs_source = builtin ? BPFRT_COSTS_BUILTIN :
				       BPFRT_COSTS_UPLOADED;
	strscpy(bpfrt_costs_desc, builtin ? BPFRT_COSTS_BUILTIN_DESC : desc,
		sizeof(bpfrt_costs_desc));
	bpfrt_costs_gen++;
	/* Every recorded program, with or without an id yet. */
	ret = bpfrt_registry_walk_all(bpfrt_reest_one, &st);
	mutex_unlock(&bpfrt_costs_lock);
	mutex_unlock(&bpfrt_registry_lock);

	kvfree(old);
	*progs = st.done;
	*failed = st.failed;
	return ret;
}

/* --- sysfs ---------------------------------------------------------------- */

static ssize_t costs_source_show(struct kobject *kobj,
				 struct kobj_attribute *attr, char *buf)
{
	u32 src;

	mutex_lock(&bpfrt_costs_lock);
	src = bpfrt_costs_source;
	mutex_unlock(&bpfrt_costs_lock);
	return sysfs_emit(buf, "%s\n",
			  src == BPFRT_COSTS_BUILTIN ? "builtin" : "uploaded");
}

static ssize_t costs_description_show(struct kobject *kobj,
				      struct kobj_attribute *attr, char *buf)
{
	ssize_t n;

	mutex_lock(&bpfrt_costs_lock);
	n = sysfs_emit(buf, "%s\n", bpfrt_costs_desc);
	mutex_unlock(&bpfrt_costs_lock);
	return n;
}

static ssize_t costs_generation_show(struct kobject *kobj,
				     struct kobj_attribute *attr, char *buf)
{
	u32 gen;

	mutex_lock(&bpfrt_costs_lock);
	gen = bpfrt_costs_gen;
	mutex_unlock(&bpfrt_costs_lock);
	return sysfs_emit(buf, "%u\n", gen);
}

static struct kobj_attribute costs_source_attr = __ATTR_RO(costs_source);
static struct kobj_attribute costs_description_attr =
	__ATTR_RO(costs_description);
static struct kobj_attribute costs_generation_attr =
	__ATTR_RO(costs_generation);

static struct attribute *bpfrt_costs_attrs[] = {
	&costs_source_attr.attr,
	&costs_description_attr.attr,
	&costs_generation_attr.attr,
	NULL,
};

static const struct attribute_group bpfrt_costs_group = {
	.attrs = bpfrt_costs_attrs,
};

int bpfrt_costs_sysfs_init(void)
{
	return sysfs_create_group(bpfrt_sysfs_kobj(), &bpfrt_costs_group);
}

void bpfrt_costs_sysfs_exit(void)
{
	sysfs_remove_group(bpfrt_sysfs_kobj(), &bpfrt_costs_group);
}
