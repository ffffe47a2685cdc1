// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/bpfrt/: the administrator's knobs. Every attribute is
 * documented in the kernel ABI-document style in module/ABI/sysfs-kernel-bpfrt.
 *
 *   version	(read-only) module version, then the ABI version, e.g.
 *		"0.1.0 abi 1"
 *   stats	(read-only) capture counters, one "name value" per line
 */
#include <linux/kobject.h>
#include <linux/sysfs.h>
#include <linux/bpfrt.h>

#include "bpfrt.h"
#include "capture.h"
#include "defer.h"
#include "helpers.h"
#include "registry.h"

static struct kobject *bpfrt_kobj;

/*
 * The /sys/kernel/bpfrt directory; each feature adds its own attribute
 * group to it in its init and removes it in its exit (policy.c, ...).
 */
struct kobject *bpfrt_sysfs_kobj(void)
{
	return bpfrt_kobj;
}

static ssize_t version_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%s abi %d\n", BPFRT_VERSION, BPFRT_ABI_VERSION);
}

static struct kobj_attribute version_attr = __ATTR_RO(version);

static ssize_t stats_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	struct bpfrt_capture_stats *s = &bpfrt_capture_stats;
	struct bpfrt_defer_stats *d = &bpfrt_defer_stats;

	return sysfs_emit(buf,
			  "recorded %u\n"
			  "captured %lld\n"
			  "adopted %lld\n"
			  "freed %lld\n"
			  "classic_skipped %lld\n"
			  "record_failed %lld\n"
			  "verifier_rejected %lld\n"
			  "helpers_identified %u\n"
			  "record_bytes %llu\n"
			  "analysis_ns %lld\n"
			  "analysis_max_ns %lld\n"
			  "estimates_deferred %lld\n"
			  "estimates_pending %u\n"
			  "estimated_by_worker %lld\n"
			  "estimated_by_caller %lld\n"
			  "estimates_skipped %lld\n",
			  bpfrt_registry_count(),
			  atomic64_read(&s->captured),
			  atomic64_read(&s->adopted),
			  atomic64_read(&s->freed),
			  atomic64_read(&s->classic_skipped),
			  atomic64_read(&s->failed),
			  atomic64_read(&s->verifier_rejected),
			  bpfrt_helpers_known(),
			  bpfrt_registry_bytes(),
			  atomic64_read(&s->analysis_ns),
			  atomic64_read(&s->analysis_max_ns),
			  atomic64_read(&d->deferred),
			  bpfrt_defer_pending(),
			  atomic64_read(&d->by_worker),
			  atomic64_read(&d->by_caller),
			  atomic64_read(&d->skipped));
}

static struct kobj_attribute stats_attr = __ATTR_RO(stats);

static struct attribute *bpfrt_attrs[] = {
	&version_attr.attr,
	&stats_attr.attr,
	NULL,
};

static const struct attribute_group bpfrt_attr_group = {
	.attrs = bpfrt_attrs,
};

int bpfrt_sysfs_init(void)
{
	int ret;

	bpfrt_kobj = kobject_create_and_add("bpfrt", kernel_kobj);
	if (!bpfrt_kobj)
		return -ENOMEM;

	ret = sysfs_create_group(bpfrt_kobj, &bpfrt_attr_group);
	if (ret)
		goto err_put_kobj;
	return 0;

err_put_kobj:
	kobject_put(bpfrt_kobj);
	return ret;
}

void bpfrt_sysfs_exit(void)
{
	sysfs_remove_group(bpfrt_kobj, &bpfrt_attr_group);
	kobject_put(bpfrt_kobj);
}
