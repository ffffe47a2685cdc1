/* SPDX-License-Identifier: GPL-2.0 */
/* Turning a loaded bpf_prog into its registry record (see record.c). */
#ifndef _BPFRT_RECORD_H
#define _BPFRT_RECORD_H

#include <linux/bpf.h>

#include "registry.h"

/* Instruction-to-JIT-offset map of one function (see capture.c). */
struct bpfrt_jit_map {
	const struct bpf_prog *func;	/* the function's final bpf_prog */
	u32 len;			/* entries: func->len */
	const u32 *end_off;		/* end offset of each insn in the image */
};

/*
 * Builds the record of @prog: summary, maps, images and call sites (exact
 * when @maps has the offset map of every function, else none and the
 * program is not terminable). With @estimate, also its estimate with the
 * current cost model; without, the record is BPFRT_EST_QUEUED for
 * defer.c. Process context. Returns the record or an ERR_PTR.
 */
struct bpfrt_prog_rec *bpfrt_rec_build(const struct bpf_prog *prog,
				       const struct bpfrt_jit_map *maps,
				       u32 map_cnt, bool estimate);

#endif /* _BPFRT_RECORD_H */
