// SPDX-License-Identifier: GPL-2.0
/*
 * Every unexported kernel symbol the module relies on, resolved once at load
 * through the kallsyms resolver. A missing required symbol refuses the load
 * and names the symbol, so an operator knows which kernel feature is absent.
 */
#include <linux/bpf.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>

#include "bpfrt.h"

struct bpfrt_symbols bpfrt_syms;

struct bpfrt_symbol_req {
	const char *name;
	void **slot;
};

#define BPFRT_SYM(field) { #field, (void **)&bpfrt_syms.field }

static const struct bpfrt_symbol_req bpfrt_required[] = {
	BPFRT_SYM(is_bpf_text_address),
	BPFRT_SYM(bpf_prog_get_curr_or_next),
	BPFRT_SYM(core_kernel_text),
	BPFRT_SYM(text_poke_bp),
	BPFRT_SYM(text_poke),
	BPFRT_SYM(text_mutex),
};

/*
 * Lets the test suite prove that a missing symbol refuses the load with a
 * message naming it; an administrator never needs it.
 */
static char *require_symbol;
module_param(require_symbol, charp, 0400);
MODULE_PARM_DESC(require_symbol,
		 "extra kernel symbol that must resolve for the module to load (testing aid; default: none)");

static int bpfrt_require(const char *name, void **slot)
{
	unsigned long addr = bpfrt_lookup_name(name);

	if (!addr) {
		pr_err("required kernel symbol '%s' not found; this kernel is not supported\n",
		       name);
		return -ENOENT;
	}
	if (slot)
		*slot = (void *)addr;
	return 0;
}

int bpfrt_symbols_init(void)
{
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(bpfrt_required); i++) {
		ret = bpfrt_require(bpfrt_required[i].name,
				    bpfrt_required[i].slot);
		if (ret)
			return ret;
	}
	if (require_symbol && *require_symbol)
		return bpfrt_require(require_symbol, NULL);
	return 0;
}
