/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Declarations shared by the parts of the bpfrt module. Each part lives in
 * the file named after it; main.c only calls their init and exit functions.
 */
#ifndef _BPFRT_H
#define _BPFRT_H

#include <linux/types.h>

#include "bpfrt_version.h"

/* kallsyms.c: the one resolver for symbols the kernel does not export. */
int bpfrt_kallsyms_init(void);
unsigned long bpfrt_lookup_name(const char *name);

/* symbols.c: every unexported kernel object the module relies on. */
struct bpfrt_symbols {
	/* kernel/bpf/core.c: tells JIT text from other text */
	bool (*is_bpf_text_address)(unsigned long addr);
	/* kernel/bpf/syscall.c: walks programs loaded before the module */
	struct bpf_prog *(*bpf_prog_get_curr_or_next)(u32 *id);
	/* kernel/extable.c: tells helper functions from other addresses */
	int (*core_kernel_text)(unsigned long addr);
	/* arch/x86/kernel/alternative.c: live patching of 5 bytes */
	void (*text_poke_bp)(void *addr, const void *opcode, size_t len,
			     const void *emulate);
	/* arch/x86/kernel/alternative.c: plain write of kernel text */
	void *(*text_poke)(void *addr, const void *opcode, size_t len);
	/* kernel/extable.c: serialises every text patcher */
	struct mutex *text_mutex;
};

extern struct bpfrt_symbols bpfrt_syms;
int bpfrt_symbols_init(void);

/* helpers.c, registry.c, costs.c, events.c, capture.c, adopt.c: see
 * their headers.
 */

/* chardev.c: /dev/bpfrt */
int bpfrt_chardev_init(void);
void bpfrt_chardev_exit(void);

/* sysfs.c: /sys/kernel/bpfrt/ */
int bpfrt_sysfs_init(void);
void bpfrt_sysfs_exit(void);
struct kobject *bpfrt_sysfs_kobj(void);

#endif /* _BPFRT_H */
