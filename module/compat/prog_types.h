/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Program types newer than the oldest supported kernel, as designated
 * initializers of a name table indexed by BPF_PROG_TYPE_* (policy.c). The
 * names are bpftool's (libbpf's prog_type_name table).
 */
#ifndef _BPFRT_COMPAT_PROG_TYPES_H
#define _BPFRT_COMPAT_PROG_TYPES_H

#include <linux/bpf.h>

#ifdef BPFRT_HAVE_PROG_TYPE_NETFILTER
#define BPFRT_COMPAT_PROG_TYPE_NAMES \
	[BPF_PROG_TYPE_NETFILTER] = "netfilter",
#else
#define BPFRT_COMPAT_PROG_TYPE_NAMES
#endif

#endif /* _BPFRT_COMPAT_PROG_TYPES_H */
