/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libbpfrt: thin wrappers around the /dev/bpfrt ioctls. Every function
 * returns 0 or a negative errno, like libbpf.
 */
#ifndef _LIBBPFRT_H
#define _LIBBPFRT_H

#include <linux/bpfrt.h>

/*
 * Opens /dev/bpfrt (or $BPFRT_DEVICE, for tests). Returns a file descriptor
 * or a negative errno: -ENOENT when the module is not loaded, -EACCES or
 * -EPERM when the caller lacks the privilege.
 */
int bpfrt_open(void);

/* BPFRT_IOC_VERSION; fills *v (v->size is set by the function). */
int bpfrt_get_version(int fd, struct bpfrt_version *v);

/* A sentence explaining a bpfrt_open() failure to a person. */
const char *bpfrt_open_hint(int err);

#endif /* _LIBBPFRT_H */
