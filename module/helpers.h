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
/* The id of the helper called @name ("probe_read_kernel"), or -1. */
int bpfrt_helper_by_name(const char *name, size_t len);

/*
 * What every proto seen for a helper says (all variants of a helper, e.g.
 * bpf_get_stack_proto and bpf_get_stack_proto_tp, must agree for a
 * property to hold).
 */
#define BPFRT_HP_SEEN		(1U << 0)	/* at least one proto found */
#define BPFRT_HP_RELEASE	(1U << 1)	/* some arg is OBJ_RELEASE */
#define BPFRT_HP_LOCK		(1U << 2)	/* some arg is a spin lock */
#define BPFRT_HP_RET_OR_NULL	(1U << 3)	/* every proto returns *_OR_NULL */
#define BPFRT_HP_RET_INTEGER	(1U << 4)	/* every proto returns an integer */
/* bit 8+i: arg i+1 is MEM_UNINIT in every proto */
#define BPFRT_HP_UNINIT_SHIFT	8

u32 bpfrt_helper_props(u32 id);

#endif /* _BPFRT_HELPERS_H */
