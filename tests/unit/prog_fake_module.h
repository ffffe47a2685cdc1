/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A fake /dev/bpfrt for unit tests: the test binaries are linked with
 * -Wl,--wrap=ioctl, so every ioctl() libbpfrt makes lands in
 * __wrap_ioctl() below, which answers from `fake` the way the uapi header
 * says the module does. It also checks what the caller sent (sizes,
 * reserved fields), so a wrong request fails the test.
 */
#ifndef _PROG_FAKE_MODULE_H
#define _PROG_FAKE_MODULE_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <string.h>
#include <linux/bpfrt.h>

#define FAKE_MAX_PROGS	2048
#define FAKE_MAX_SITES	256

struct fake_module {
	/* VERSION */
	__u64 features;
	/* PROG_LIST */
	struct bpfrt_prog_summary progs[FAKE_MAX_PROGS];
	__u32 nprogs;
	__u32 page_max;		/* entries per page at most; 0: no limit */
	int list_errno;		/* answer PROG_LIST with this error */
	__u32 list_calls;
	/* PROG_INFO: the program of id info.id */
	struct bpfrt_prog_info info;
	struct bpfrt_call_site sites[FAKE_MAX_SITES];
	__u32 nsites;
	struct bpfrt_map_desc maps[BPFRT_MAX_MAPS];
	bool info_enospc;	/* too little room is -ENOSPC, not a success */
	__u32 info_calls;
	__u32 info_rooms[8];	/* site_cnt (room) of each call */
	bool info_sites_ptr_zero; /* the last call passed sites = 0 */
	/* COSTS_GET */
	__u32 costs_need;
	bool costs_no_size;	/* -ENOSPC without saying the size needed */
	__u32 costs_calls;
	/* any request */
	int bad_request;	/* a malformed request was seen */
};

static struct fake_module fake;

static void fake_reset(void)
{
	memset(&fake, 0, sizeof(fake));
	fake.features = BPFRT_FEAT_VERSION | BPFRT_FEAT_CAPTURE |
			BPFRT_FEAT_EVENTS | BPFRT_FEAT_COSTS;
}

static int fake_fail(int err)
{
	errno = err;
	return -1;
}

static int fake_version(struct bpfrt_version *v)
{
	if (v->size != sizeof(*v))
		fake.bad_request++;
	memset(v, 0, sizeof(*v));
	v->size = sizeof(*v);
	v->abi_version = BPFRT_ABI_VERSION;
	v->features = fake.features;
	strcpy(v->module_version, "9.9.9");
	strcpy(v->kernel_release, "6.1.0-test");
	return 0;
}

static int fake_prog_list(struct bpfrt_prog_list *req)
{
	char *out = (char *)(unsigned long)req->entries;
	__u32 i, n = 0, room = req->count;

	fake.list_calls++;
	if (req->size != sizeof(*req) ||
	    req->entry_size != sizeof(struct bpfrt_prog_summary) ||
	    req->reserved[0] || req->reserved[1])
		fake.bad_request++;
	if (fake.list_errno)
		return fake_fail(fake.list_errno);
	if (fake.page_max && room > fake.page_max)
		room = fake.page_max;
	req->next_id = 0;
	for (i = 0; i < fake.nprogs; i++) {
		if (fake.progs[i].id < req->start_id)
			continue;
		if (n == room) {
			/* more remain: the next page starts after the last */
			req->next_id = fake.progs[i - 1].id + 1;
			break;
		}
		memcpy(out + (size_t)n * req->entry_size, &fake.progs[i],
		       sizeof(fake.progs[i]));
		n++;
	}
	req->count = n;
	req->total = fake.nprogs;
	return 0;
}

static int fake_prog_info(struct bpfrt_prog_info *info)
{
	struct bpfrt_call_site *sites;
	struct bpfrt_map_desc *maps;
	__u32 room = info->site_cnt, n;

	if (fake.info_calls < 8)
		fake.info_rooms[fake.info_calls] = room;
	fake.info_calls++;
	fake.info_sites_ptr_zero = !info->sites;
	if (info->size != sizeof(*info) || info->reserved0 ||
	    (!info->sites && info->site_cnt))
		fake.bad_request++;
	if (!fake.info.summary.id || info->id != fake.info.summary.id)
		return fake_fail(ENOENT);
	sites = (struct bpfrt_call_site *)(unsigned long)info->sites;
	maps = (struct bpfrt_map_desc *)(unsigned long)info->maps;
	{
		__u64 sites_ptr = info->sites, maps_ptr = info->maps;

		*info = fake.info;
		info->size = sizeof(*info);
		info->id = info->summary.id;
		info->sites = sites_ptr;
		info->maps = maps_ptr;
	}
	n = fake.nsites < room ? fake.nsites : room;
	if (sites)
		memcpy(sites, fake.sites, n * sizeof(*sites));
	info->site_cnt = fake.nsites;
	if (maps)
		memcpy(maps, fake.maps, (fake.info.map_cnt < BPFRT_MAX_MAPS ?
			fake.info.map_cnt : BPFRT_MAX_MAPS) * sizeof(*maps));
	if (fake.info_enospc && room < fake.nsites)
		return fake_fail(ENOSPC);
	return 0;
}

static int fake_costs_get(struct bpfrt_costs_get *req)
{
	fake.costs_calls++;
	if (req->size != sizeof(*req) || req->reserved0 ||
	    req->reserved[0] || req->reserved[1])
		fake.bad_request++;
	if (req->buf_size < fake.costs_need) {
		if (!fake.costs_no_size)
			req->buf_size = fake.costs_need;
		return fake_fail(ENOSPC);
	}
	memset((void *)(unsigned long)req->buf, 0xc5, fake.costs_need);
	memcpy((void *)(unsigned long)req->buf, &fake.costs_need,
	       sizeof(fake.costs_need));
	req->buf_size = fake.costs_need;
	req->source = BPFRT_COSTS_UPLOADED;
	strcpy(req->description, "test table");
	return 0;
}

int __wrap_ioctl(int fd, unsigned long request, ...);
int __wrap_ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	void *arg;

	(void)fd;
	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	switch (request) {
	case BPFRT_IOC_VERSION:
		return fake_version(arg);
	case BPFRT_IOC_PROG_LIST:
		return fake_prog_list(arg);
	case BPFRT_IOC_PROG_INFO:
		return fake_prog_info(arg);
	case BPFRT_IOC_COSTS_GET:
		return fake_costs_get(arg);
	default:
		return fake_fail(ENOTTY);
	}
}

#endif /* _PROG_FAKE_MODULE_H */
