/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * bpfrt: runtime estimates and fast-path termination for BPF programs.
 *
 * The userspace ABI of /dev/bpfrt. Rules (Documentation/process/
 * botching-up-ioctls.rst):
 *  - every argument struct starts with a __u32 size that the caller sets to
 *    sizeof() of the struct it was compiled with; the module accepts smaller
 *    (older) and larger (newer) structs as long as the bytes it does not know
 *    are zero (copy_struct_from_user()), and answers with the size it filled;
 *  - fixed-width fields only, no implicit padding, pointers as __u64;
 *  - reserved fields must be zero on input and are zero on output;
 *  - an unknown command returns -ENOTTY; a retired number is never reused.
 */
#ifndef _UAPI_LINUX_BPFRT_H
#define _UAPI_LINUX_BPFRT_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* Bumped when an incompatible change is made (never so far). */
#define BPFRT_ABI_VERSION	1

#define BPFRT_DEVICE_PATH	"/dev/bpfrt"
#define BPFRT_SYSFS_DIR		"/sys/kernel/bpfrt"

/* 0xB8 is unassigned in Documentation/userspace-api/ioctl/ioctl-number.rst */
#define BPFRT_IOC_MAGIC		0xB8

/* Feature bits reported by BPFRT_IOC_VERSION: what this module implements. */
#define BPFRT_FEAT_VERSION	(1ULL << 0)	/* the version ioctl itself */

#define BPFRT_VERSION_LEN	32
#define BPFRT_RELEASE_LEN	65		/* __NEW_UTS_LEN + 1 */

/**
 * struct bpfrt_version - argument of BPFRT_IOC_VERSION
 * @size:		in: sizeof(struct bpfrt_version) as known to the
 *			caller; out: the number of bytes the module filled
 * @abi_version:	out: BPFRT_ABI_VERSION of the module
 * @features:		out: BPFRT_FEAT_* bits
 * @module_version:	out: NUL-terminated module version, "0.1.0"
 * @kernel_release:	out: NUL-terminated release of the running kernel
 * @pad:		must be zero
 * @reserved:		must be zero
 */
struct bpfrt_version {
	__u32 size;
	__u32 abi_version;
	__u64 features;
	char module_version[BPFRT_VERSION_LEN];
	char kernel_release[BPFRT_RELEASE_LEN];
	__u8 pad[7];
	__u64 reserved[4];
};

/* Command numbers; 0x00 is the version query and always will be. */
#define BPFRT_IOC_VERSION	_IOWR(BPFRT_IOC_MAGIC, 0x00, struct bpfrt_version)

#endif /* _UAPI_LINUX_BPFRT_H */
