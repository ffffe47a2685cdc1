/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which BPF helper a JIT call target is. After the verifier's fixups a
 * helper call's imm is the helper function's address, not its id
 * (kernel/bpf/verifier.c: do_misc_fixups), so the id is recovered from the
 * address.
 */
#ifndef _BPFRT_HELPERS_H
#define _BPFRT_HELPERS_H

#include <linux/types.h>

int bpfrt_helpers_init(void);
void bpfrt_helpers_exit(void);

/* The helper id of the function at @addr, or -1 when not known for sure. */
int bpfrt_helper_id(unsigned long addr);
/* "map_lookup_elem", or NULL for an id this kernel does not define. */
const char *bpfrt_helper_name(u32 id);
/* Number of distinct helper functions identified at init. */
u32 bpfrt_helpers_known(void);

#endif /* _BPFRT_HELPERS_H */
