/* SPDX-License-Identifier: GPL-2.0 */
/* The costs object, shared with calibrate (upload). */
#ifndef _BPFRT_CLI_COSTS_H
#define _BPFRT_CLI_COSTS_H

#include <linux/bpfrt.h>

struct cli_ctx;
struct costtab;

/*
 * Uploads @t to the module with its description; *reply gets the module's
 * answer. Returns 0, or 1 after reporting the error (cli_err()).
 */
int costs_upload(struct cli_ctx *ctx, const struct costtab *t,
		 struct bpfrt_costs_set *reply);

#endif /* _BPFRT_CLI_COSTS_H */
