# SPDX-License-Identifier: GPL-2.0
#
# Kernel features the module adapts to, detected in the target tree's
# headers (not by version number). Each becomes a BPFRT_HAVE_* macro that
# only compat/compat.h looks at. Debian's split headers keep include/ in
# the -common tree, which is $(srctree) for out-of-tree builds.

bpfrt_grep = $(shell grep -Eqs $(2) $(srctree)/$(1) && echo y)

# bpf_check() takes the attr size since the verifier log rework of 6.4
# (kernel/bpf/syscall.c: bpf_prog_load passes uattr_size down).
bpfrt_pat_bpf_check := 'int bpf_check\(.*u32 uattr_size\);'
ifeq ($(call bpfrt_grep,include/linux/bpf.h,$(bpfrt_pat_bpf_check)),y)
ccflags-y += -DBPFRT_HAVE_BPF_CHECK_UATTR_SIZE
endif

# kallsyms_on_each_symbol()'s callback lost its struct module * argument
# in 6.2 (kernel/kallsyms.c only walks vmlinux symbols).
bpfrt_pat_kallsyms_mod := 'kallsyms_on_each_symbol\(int \(\*fn\)\(void \*, const char \*, struct module \*'
ifeq ($(call bpfrt_grep,include/linux/kallsyms.h,$(bpfrt_pat_kallsyms_mod)),y)
ccflags-y += -DBPFRT_HAVE_KALLSYMS_EACH_MODULE_ARG
endif

# BPF_PROG_TYPE_NETFILTER exists since 6.4 (policy.c names program types).
bpfrt_pat_netfilter := 'BPF_PROG_TYPE_NETFILTER'
ifeq ($(call bpfrt_grep,include/uapi/linux/bpf.h,$(bpfrt_pat_netfilter)),y)
ccflags-y += -DBPFRT_HAVE_PROG_TYPE_NETFILTER
endif

# Since the verifier log rework of 6.4 bpf_check() reports the log's full
# size in union bpf_attr.log_true_size (kernel/bpf/verifier.c: bpf_check).
bpfrt_pat_log_true_size := '__u32[[:space:]]+log_true_size;'
ifeq ($(call bpfrt_grep,include/uapi/linux/bpf.h,$(bpfrt_pat_log_true_size)),y)
ccflags-y += -DBPFRT_HAVE_LOG_TRUE_SIZE
endif

# The headers must be where we look, or every test above silently fails.
ifeq ($(wildcard $(srctree)/include/linux/bpf.h),)
$(error bpfrt: kernel headers not found at $(srctree)/include/linux/bpf.h)
endif
