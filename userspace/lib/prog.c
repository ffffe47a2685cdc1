// SPDX-License-Identifier: GPL-2.0
/* libbpfrt: the program list and a program's record (PROG_LIST, PROG_INFO). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "libbpfrt.h"

/* First guesses; both grow to what the module reports. */
#define LIST_PAGE_INIT	64
#define SITES_INIT	64
/* A program's call sites do not change; a few retries cover a race with
 * a freed id's reuse, anything more is a broken reply.
 */
#define INFO_TRIES	4

static void terminate(char *s, size_t len)
{
	s[len - 1] = '\0';
}

int bpfrt_prog_list(int fd, __u32 start_id, struct bpfrt_prog_summary *entries,
		    __u32 *count, __u32 *next_id, __u32 *total)
{
	struct bpfrt_prog_list req;
	__u32 i, room = *count;

	memset(&req, 0, sizeof(req));
	req.size = sizeof(req);
	req.entry_size = sizeof(*entries);
	req.start_id = start_id;
	req.count = room;
	req.entries = (__u64)(unsigned long)entries;
	if (ioctl(fd, BPFRT_IOC_PROG_LIST, &req) < 0)
		return -errno;
	if (req.count > room)
		return -EPROTO;
	for (i = 0; i < req.count; i++)
		terminate(entries[i].name, sizeof(entries[i].name));
	*count = req.count;
	*next_id = req.next_id;
	if (total)
		*total = req.total;
	return 0;
}

static int grow(struct bpfrt_prog_summary **arr, __u32 *cap, __u32 want)
{
	struct bpfrt_prog_summary *p;

	if (want <= *cap)
		return 0;
	if (want > (__u32)-1 / sizeof(**arr) / 2)
		return -E2BIG;
	p = realloc(*arr, (size_t)want * sizeof(**arr));
	if (!p)
		return -ENOMEM;
	*arr = p;
	*cap = want;
	return 0;
}

int bpfrt_prog_list_pages(bpfrt_list_page_fn page, void *arg,
			  struct bpfrt_prog_summary **progs, __u32 *cnt)
{
	struct bpfrt_prog_summary *arr = NULL;
	__u32 n = 0, cap = 0, start_id = 0;
	int err;

	for (;;) {
		__u32 got, next_id = 0, total = 0, i;

		/* room for this page: what is known to exist, or double */
		if (n == cap) {
			err = grow(&arr, &cap, cap ? 2 * cap : LIST_PAGE_INIT);
			if (err)
				goto fail;
		}
		got = cap - n;
		err = page(arg, start_id, arr + n, &got, &next_id, &total);
		if (err)
			goto fail;
		if (got > cap - n) {
			err = -EPROTO;
			goto fail;
		}
		for (i = 0; i < got; i++)
			if (arr[n + i].id < start_id ||
			    (n + i && arr[n + i].id <= arr[n + i - 1].id)) {
				err = -EPROTO;
				goto fail;
			}
		n += got;
		if (!next_id)
			break;
		if (next_id <= start_id) {
			err = -EPROTO;
			goto fail;
		}
		start_id = next_id;
		/* more to come: make room for all of them in one step */
		if (total > n) {
			err = grow(&arr, &cap, total + total / 8);
			if (err)
				goto fail;
		}
	}
	*progs = arr;
	*cnt = n;
	return 0;
fail:
	free(arr);
	*progs = NULL;
	*cnt = 0;
	return err;
}

static int list_page_ioctl(void *arg, __u32 start_id,
			   struct bpfrt_prog_summary *entries, __u32 *count,
			   __u32 *next_id, __u32 *total)
{
	return bpfrt_prog_list(*(int *)arg, start_id, entries, count, next_id,
			       total);
}

int bpfrt_prog_list_all(int fd, struct bpfrt_prog_summary **progs,
			__u32 *cnt)
{
	return bpfrt_prog_list_pages(list_page_ioctl, &fd, progs, cnt);
}

static int grow_sites(struct bpfrt_call_site **sites, __u32 *room, __u32 want)
{
	struct bpfrt_call_site *p;

	if (want > (1U << 24))		/* no program has 16M call sites */
		return -EPROTO;
	p = realloc(*sites, (size_t)want * sizeof(**sites));
	if (!p)
		return -ENOMEM;
	*sites = p;
	*room = want;
	return 0;
}

int bpfrt_prog_info(int fd, __u32 id, struct bpfrt_prog_info *info,
		    struct bpfrt_call_site **sites, __u32 *site_room,
		    struct bpfrt_map_desc *maps)
{
	__u32 i, room = 0;
	int tries, err;

	if (sites) {
		room = *sites ? *site_room : 0;
		if (!room) {
			err = grow_sites(sites, site_room, SITES_INIT);
			if (err)
				return err;
			room = *site_room;
		}
	}
	for (tries = 0; tries < INFO_TRIES; tries++) {
		memset(info, 0, sizeof(*info));
		info->size = sizeof(*info);
		info->id = id;
		if (sites) {
			info->site_cnt = room;
			info->sites = (__u64)(unsigned long)*sites;
		}
		if (maps)
			info->maps = (__u64)(unsigned long)maps;
		err = ioctl(fd, BPFRT_IOC_PROG_INFO, info) < 0 ? -errno : 0;
		if (err && err != -ENOSPC)
			return err;
		if (!sites) {
			if (err)
				return err;
			break;
		}
		if (!err && info->site_cnt <= room)
			break;
		/* more sites than room: ask again with room for all */
		err = grow_sites(sites, site_room,
				 info->site_cnt > room ? info->site_cnt
						       : 2 * room);
		if (err)
			return err;
		room = *site_room;
	}
	if (tries == INFO_TRIES)
		return -EPROTO;
	terminate(info->summary.name, sizeof(info->summary.name));
	if (info->contrib_cnt > BPFRT_MAX_CONTRIB)
		info->contrib_cnt = BPFRT_MAX_CONTRIB;
	if (sites)
		for (i = 0; i < info->site_cnt; i++)
			terminate((*sites)[i].target, sizeof((*sites)[i].target));
	if (maps)
		for (i = 0; i < info->map_cnt && i < BPFRT_MAX_MAPS; i++)
			terminate(maps[i].name, sizeof(maps[i].name));
	return 0;
}

static int prog_term_ioctl(int fd, unsigned long cmd, __u32 id, __u32 *sites)
{
	struct bpfrt_prog_term t;

	memset(&t, 0, sizeof(t));
	t.size = sizeof(t);
	t.id = id;
	if (ioctl(fd, cmd, &t) < 0)
		return -errno;
	*sites = t.sites;
	return 0;
}

int bpfrt_prog_terminate(int fd, __u32 id, __u32 *sites)
{
	return prog_term_ioctl(fd, BPFRT_IOC_PROG_TERMINATE, id, sites);
}

int bpfrt_prog_restore(int fd, __u32 id, __u32 *sites)
{
	return prog_term_ioctl(fd, BPFRT_IOC_PROG_RESTORE, id, sites);
}
