/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bpf_check(), the function the verifier hook wraps, takes the attr size
 * since 6.4 (kernel/bpf/syscall.c: bpf_prog_load passes uattr_size down).
 * The wrapper is written once against struct bpfrt_check_args;
 * BPFRT_BPF_CHECK_ENTRY() defines its entry point with this kernel's
 * signature, and bpfrt_bpf_check_call() calls the original.
 */
#ifndef _BPFRT_COMPAT_BPF_CHECK_H
#define _BPFRT_COMPAT_BPF_CHECK_H

#include <linux/bpf.h>
#include <linux/bpfptr.h>

struct bpfrt_check_args {
	struct bpf_prog **prog;
	union bpf_attr *attr;
	bpfptr_t uattr;
	u32 uattr_size;		/* 0 where bpf_check() does not take it */
};

#ifdef BPFRT_HAVE_BPF_CHECK_UATTR_SIZE
typedef int (*bpfrt_bpf_check_fn)(struct bpf_prog **prog,
				  union bpf_attr *attr, bpfptr_t uattr,
				  u32 uattr_size);

static inline int bpfrt_bpf_check_call(void *orig,
				       const struct bpfrt_check_args *a)
{
	return ((bpfrt_bpf_check_fn)orig)(a->prog, a->attr, a->uattr,
					  a->uattr_size);
}

#define BPFRT_BPF_CHECK_ENTRY(name, body)				\
static int name(struct bpf_prog **prog, union bpf_attr *attr,		\
		bpfptr_t uattr, u32 uattr_size)				\
{									\
	struct bpfrt_check_args a = { prog, attr, uattr, uattr_size };	\
	return body(&a);						\
}
#else
typedef int (*bpfrt_bpf_check_fn)(struct bpf_prog **prog,
				  union bpf_attr *attr, bpfptr_t uattr);

static inline int bpfrt_bpf_check_call(void *orig,
				       const struct bpfrt_check_args *a)
{
	return ((bpfrt_bpf_check_fn)orig)(a->prog, a->attr, a->uattr);
}

#define BPFRT_BPF_CHECK_ENTRY(name, body)				\
static int name(struct bpf_prog **prog, union bpf_attr *attr,		\
		bpfptr_t uattr)						\
{									\
	struct bpfrt_check_args a = { prog, attr, uattr, 0 };		\
	return body(&a);						\
}
#endif

#endif /* _BPFRT_COMPAT_BPF_CHECK_H */
