/* SPDX-License-Identifier: GPL-2.0 */
/* Which call sites get a stub, and what each returns (see stub_plan.c). */
#ifndef _BPFRT_STUB_PLAN_H
#define _BPFRT_STUB_PLAN_H

#include <linux/types.h>

#include "registry.h"
#include "stub.h"

/* Resolves the outcome table to this kernel's helper ids (at init). */
void bpfrt_rules_init(void);

/*
 * Fills @p for call site @s of @rec's program: the stub and what it
 * returns. False when the site is left alone.
 */
bool bpfrt_plan_site(const struct bpfrt_prog_rec *rec,
		     const struct bpfrt_site *s, struct bpfrt_patch *p);

/* The entry nop of a function image (after an endbr on IBT kernels). */
void *bpfrt_entry_nop(const struct bpfrt_image *img);

#endif /* _BPFRT_STUB_PLAN_H */
