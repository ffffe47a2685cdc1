// SPDX-License-Identifier: GPL-2.0
/*
 * The one resolver for kernel symbols that are not exported.
 *
 * kallsyms_lookup_name() itself stopped being exported in 5.7. Registering a
 * kprobe on it makes the kprobe core resolve its address for us (kp.addr);
 * the probe is unregistered at once and never fires. Everything else is then
 * looked up through that function. Addresses are never taken from a
 * System.map: KASLR moves them and Debian ships a placeholder map.
 */
#include <linux/kprobes.h>
#include <linux/printk.h>

#include "bpfrt.h"

typedef unsigned long (*kallsyms_lookup_name_t)(const char *name);

static kallsyms_lookup_name_t bpfrt_kallsyms_lookup_name;

int bpfrt_kallsyms_init(void)
{
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };
	int ret;

	ret = register_kprobe(&kp);
	if (ret) {
		pr_err("cannot resolve kallsyms_lookup_name with a kprobe: %d\n",
		       ret);
		return ret;
	}
	bpfrt_kallsyms_lookup_name = (kallsyms_lookup_name_t)kp.addr;
	unregister_kprobe(&kp);

	if (!bpfrt_kallsyms_lookup_name) {
		pr_err("kprobe on kallsyms_lookup_name gave no address\n");
		return -ENOENT;
	}
	return 0;
}

/* Returns 0 when @name is unknown (or kallsyms is not initialised). */
unsigned long bpfrt_lookup_name(const char *name)
{
	if (!bpfrt_kallsyms_lookup_name)
		return 0;
	return bpfrt_kallsyms_lookup_name(name);
}
