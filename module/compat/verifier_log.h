/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The loader's verifier log after bpf_check() returned successfully.
 *
 * Both kernels leave the log as a NUL-terminated text at the start of the
 * user buffer once bpf_check() succeeded: 6.1 writes it in place
 * (kernel/bpf/verifier.c: bpf_verifier_vlog copies each line with its NUL),
 * 6.4 and later write a rotating buffer that bpf_check() finalizes
 * (kernel/bpf/log.c: bpf_vlog_finalize rotates it to the start; a log that
 * did not fit fails the load with -ENOSPC before we see it). So finding the
 * end of the text is the same everywhere.
 *
 * What differs: since 6.4 bpf_check() also reports the size the whole log
 * needs in union bpf_attr.log_true_size, so text appended later must be
 * counted there too.
 */
#ifndef _BPFRT_COMPAT_VERIFIER_LOG_H
#define _BPFRT_COMPAT_VERIFIER_LOG_H

#include <linux/bpf.h>
#include <linux/bpfptr.h>
#include <linux/stddef.h>

#ifdef BPFRT_HAVE_LOG_TRUE_SIZE
static inline void bpfrt_vlog_set_true_size(bpfptr_t uattr, u32 uattr_size,
					    u32 true_size)
{
	/* As bpf_check() does: only if the loader's attr has the field. */
	if (uattr_size < offsetofend(union bpf_attr, log_true_size))
		return;
	/* The load is failing anyway: a fault here changes nothing. */
	(void)copy_to_bpfptr_offset(uattr,
				    offsetof(union bpf_attr, log_true_size),
				    &true_size, sizeof(true_size));
}
#else
static inline void bpfrt_vlog_set_true_size(bpfptr_t uattr, u32 uattr_size,
					    u32 true_size)
{
}
#endif

#endif /* _BPFRT_COMPAT_VERIFIER_LOG_H */
