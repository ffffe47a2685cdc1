// SPDX-License-Identifier: GPL-2.0
/*
 * bpfrt: runtime estimates and fast-path termination for BPF programs.
 *
 * This file only initialises and tears down; each part lives in its own
 * file. Teardown runs in the reverse order of initialisation: the hooks
 * go before the registry they feed, the device before everything it reads.
 */
#include <linux/module.h>

#include "analyzer/analyzer.h"
#include "bpfrt.h"
#include "capture.h"
#include "costs.h"
#include "defer.h"
#include "helpers.h"
#include "policy.h"
#include "registry.h"
#include "terminate.h"
#include "watchdog.h"

static int __init bpfrt_init(void)
{
	int ret;

	ret = bpfrt_kallsyms_init();
	if (ret)
		return ret;

	ret = bpfrt_symbols_init();
	if (ret)
		return ret;

	ret = bpfrt_helpers_init();
	if (ret)
		return ret;

	ret = bpfrt_costs_init();
	if (ret)
		goto err_helpers_exit;

	ret = bpfrt_registry_init();
	if (ret)
		goto err_costs_exit;

	ret = bpfrt_sysfs_init();
	if (ret)
		goto err_registry_exit;

	ret = bpfrt_costs_sysfs_init();
	if (ret)
		goto err_sysfs_exit;

	/* Its knobs go in sysfs; capture judges loads with it. */
	ret = bpfrt_policy_init();
	if (ret)
		goto err_costs_sysfs_exit;

	/* Before capture: the load hooks arm suspects as they record them. */
	ret = bpfrt_term_init();
	if (ret)
		goto err_policy_exit;

	/* Before capture: loads queue records for its worker. */
	ret = bpfrt_defer_init();
	if (ret)
		goto err_term_exit;

	ret = bpfrt_capture_init();
	if (ret)
		goto err_defer_exit;

	ret = bpfrt_watchdog_init();
	if (ret)
		goto err_capture_exit;

	ret = bpfrt_chardev_init();
	if (ret)
		goto err_watchdog_exit;

	pr_info("version %s loaded\n", BPFRT_VERSION);
	return 0;

err_watchdog_exit:
	bpfrt_watchdog_exit();
err_capture_exit:
	bpfrt_term_stop();
	bpfrt_defer_stop();
	bpfrt_capture_exit();
err_defer_exit:
	bpfrt_defer_exit();
err_term_exit:
	bpfrt_an_arena_exit();
	bpfrt_term_exit();
err_policy_exit:
	bpfrt_policy_exit();
err_costs_sysfs_exit:
	bpfrt_costs_sysfs_exit();
err_sysfs_exit:
	bpfrt_sysfs_exit();
err_registry_exit:
	bpfrt_registry_exit();
err_costs_exit:
	bpfrt_costs_exit();
err_helpers_exit:
	bpfrt_helpers_exit();
	return ret;
}

static void __exit bpfrt_exit(void)
{
	bpfrt_chardev_exit();
	bpfrt_watchdog_exit();
	/*
	 * Termination stops before capture: the free hook must still see
	 * programs freed while their images are restored; loads meanwhile
	 * are no longer armed (terminate.c: bpfrt_term_live).
	 */
	bpfrt_term_stop();
	/* The worker goes before the free hook that keeps its programs alive. */
	bpfrt_defer_stop();
	bpfrt_capture_exit();
	bpfrt_defer_exit();
	/* No analysis can run any more: no hooks, no device. */
	bpfrt_an_arena_exit();
	bpfrt_term_exit();
	bpfrt_policy_exit();
	bpfrt_costs_sysfs_exit();
	bpfrt_sysfs_exit();
	bpfrt_registry_exit();
	bpfrt_costs_exit();
	bpfrt_helpers_exit();
	pr_info("unloaded\n");
}

module_init(bpfrt_init);
module_exit(bpfrt_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("bpfrt developers");
MODULE_DESCRIPTION("Runtime estimates and fast-path termination for BPF programs");
MODULE_VERSION(BPFRT_VERSION);
