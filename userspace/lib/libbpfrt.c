// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "libbpfrt.h"

int bpfrt_open(void)
{
	const char *path = getenv("BPFRT_DEVICE");
	int fd;

	if (!path || !*path)
		path = BPFRT_DEVICE_PATH;
	fd = open(path, O_RDWR | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

const char *bpfrt_open_hint(int err)
{
	switch (err) {
	case -ENOENT:
	case -ENODEV:
	case -ENXIO:
		return "the bpfrt kernel module is not loaded; load it with 'modprobe bpfrt' (as root)";
	case -EACCES:
	case -EPERM:
		return "permission denied; /dev/bpfrt needs root (CAP_BPF or CAP_SYS_ADMIN)";
	default:
		return "cannot open " BPFRT_DEVICE_PATH;
	}
}

int bpfrt_get_version(int fd, struct bpfrt_version *v)
{
	memset(v, 0, sizeof(*v));
	v->size = sizeof(*v);
	if (ioctl(fd, BPFRT_IOC_VERSION, v) < 0)
		return -errno;
	/* The module never returns unterminated strings; make sure anyway. */
	v->module_version[sizeof(v->module_version) - 1] = '\0';
	v->kernel_release[sizeof(v->kernel_release) - 1] = '\0';
	return 0;
}
