// SPDX-License-Identifier: GPL-2.0
/*
 * bpfrt: runtime estimates and fast-path termination for BPF programs.
 *
 * This file only initialises and tears down; each part lives in its own
 * file. Teardown runs in the reverse order of initialisation.
 */
#include <linux/module.h>

#include "bpfrt.h"

static int __init bpfrt_init(void)
{
	int ret;

	ret = bpfrt_kallsyms_init();
	if (ret)
		return ret;

	ret = bpfrt_symbols_init();
	if (ret)
		return ret;

	ret = bpfrt_sysfs_init();
	if (ret)
		return ret;

	ret = bpfrt_chardev_init();
	if (ret)
		goto err_sysfs_exit;

	pr_info("version %s loaded\n", BPFRT_VERSION);
	return 0;

err_sysfs_exit:
	bpfrt_sysfs_exit();
	return ret;
}

static void __exit bpfrt_exit(void)
{
	bpfrt_chardev_exit();
	bpfrt_sysfs_exit();
	pr_info("unloaded\n");
}

module_init(bpfrt_init);
module_exit(bpfrt_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("bpfrt developers");
MODULE_DESCRIPTION("Runtime estimates and fast-path termination for BPF programs");
MODULE_VERSION(BPFRT_VERSION);
