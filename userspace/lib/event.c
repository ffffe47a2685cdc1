// SPDX-License-Identifier: GPL-2.0
/* libbpfrt: the event stream of /dev/bpfrt (read() and poll()). */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "libbpfrt.h"

int bpfrt_event_parse(const void *data, size_t len, struct bpfrt_event *ev)
{
	__u32 size;

	if (len < sizeof(size))
		return -EPROTO;
	memcpy(&size, data, sizeof(size));
	/* a size we cannot trust would desynchronise the whole stream */
	if (size < BPFRT_EVENT_MIN_SIZE || size > len)
		return -EPROTO;
	memset(ev, 0, sizeof(*ev));
	/* older modules send less, newer ones more: copy what both know */
	memcpy(ev, data, size < sizeof(*ev) ? size : sizeof(*ev));
	ev->prog.name[sizeof(ev->prog.name) - 1] = '\0';
	return (int)size;
}

int bpfrt_event_read(int fd, struct bpfrt_event_buf *b, struct bpfrt_event *ev)
{
	ssize_t n;
	int ret;

	if (b->off >= b->len) {
		b->off = 0;
		b->len = 0;
		n = read(fd, b->data, sizeof(b->data));
		if (n < 0)
			return -errno;
		if (n == 0)
			return -ENODATA;
		b->len = n;
	}
	ret = bpfrt_event_parse(b->data + b->off, b->len - b->off, ev);
	if (ret < 0) {
		b->off = b->len;
		return ret;
	}
	b->off += ret;
	return 0;
}
