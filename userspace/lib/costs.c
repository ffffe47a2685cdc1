// SPDX-License-Identifier: GPL-2.0
/* libbpfrt: the module's cost table (COSTS_GET, COSTS_SET). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "libbpfrt.h"

/* The built-in table is a few tens of KiB; a table beyond this is a bug. */
#define COSTS_INIT	(64u * 1024)
#define COSTS_MAX	(64u * 1024 * 1024)

int bpfrt_costs_get(int fd, void **buf, __u32 *len,
		    struct bpfrt_costs_get *meta)
{
	struct bpfrt_costs_get req;
	__u32 room = COSTS_INIT;
	void *p = NULL, *q;

	for (;;) {
		q = realloc(p, room);
		if (!q) {
			free(p);
			return -ENOMEM;
		}
		p = q;
		memset(&req, 0, sizeof(req));
		req.size = sizeof(req);
		req.buf_size = room;
		req.buf = (__u64)(unsigned long)p;
		if (ioctl(fd, BPFRT_IOC_COSTS_GET, &req) == 0)
			break;
		if (errno != ENOSPC) {
			int err = -errno;

			free(p);
			return err;
		}
		/* the module says how much it needs; if not, double */
		if (req.buf_size > room)
			room = req.buf_size;
		else if (room <= COSTS_MAX / 2)
			room *= 2;
		else
			room = COSTS_MAX + 1;
		if (room > COSTS_MAX) {
			free(p);
			return -E2BIG;
		}
	}
	if (req.buf_size > room) {
		free(p);
		return -EPROTO;
	}
	req.description[sizeof(req.description) - 1] = '\0';
	if (meta)
		*meta = req;
	*buf = p;
	*len = req.buf_size;
	return 0;
}

int bpfrt_costs_set(int fd, const void *buf, __u32 len, const char *desc,
		    struct bpfrt_costs_set *reply)
{
	struct bpfrt_costs_set req;
	int err = 0;

	memset(&req, 0, sizeof(req));
	req.size = sizeof(req);
	if (buf) {
		if (!desc || strlen(desc) >= sizeof(req.description))
			return -EINVAL;
		req.buf = (__u64)(unsigned long)buf;
		req.buf_size = len;
		strcpy(req.description, desc);
	} else {
		req.flags = BPFRT_COSTS_SET_BUILTIN;
	}
	if (ioctl(fd, BPFRT_IOC_COSTS_SET, &req) < 0)
		err = -errno;
	if (reply)
		*reply = req;
	return err;
}
