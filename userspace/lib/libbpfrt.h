/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libbpfrt: thin wrappers around the /dev/bpfrt ioctls. Every function
 * returns 0 or a negative errno, like libbpf.
 */
#ifndef _LIBBPFRT_H
#define _LIBBPFRT_H

#include <stddef.h>
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

/* --- programs (BPFRT_FEAT_CAPTURE) --- */

/*
 * BPFRT_IOC_PROG_LIST, one page: up to *count programs whose id is >=
 * @start_id, in id order, into @entries. On return *count is the number
 * written, *next_id the @start_id of the next page (0 after the last page)
 * and *total (if not NULL) the number of programs recorded.
 */
int bpfrt_prog_list(int fd, __u32 start_id, struct bpfrt_prog_summary *entries,
		    __u32 *count, __u32 *next_id, __u32 *total);

/* A source of pages with bpfrt_prog_list()'s contract; @arg is its own. */
typedef int (*bpfrt_list_page_fn)(void *arg, __u32 start_id,
				  struct bpfrt_prog_summary *entries,
				  __u32 *count, __u32 *next_id, __u32 *total);

/*
 * Pages through every program with @page: *progs (malloc()ed; the caller
 * frees it) receives *cnt summaries in id order. Programs loaded or freed
 * meanwhile may or may not be included; none is listed twice. -EPROTO when
 * a page breaks the contract (more entries than room, an id below
 * start_id, a next_id that does not advance).
 */
int bpfrt_prog_list_pages(bpfrt_list_page_fn page, void *arg,
			  struct bpfrt_prog_summary **progs, __u32 *cnt);

/* bpfrt_prog_list_pages() over the module's list. */
int bpfrt_prog_list_all(int fd, struct bpfrt_prog_summary **progs,
			__u32 *cnt);

/*
 * BPFRT_IOC_PROG_INFO: what the module recorded of program @id, into *info.
 * @sites:	NULL if the call sites are not wanted; else the address of a
 *		malloc()ed array of *@site_room entries (or NULL and 0),
 *		grown with realloc() until every site fits; the caller frees
 *		*sites. On return info->site_cnt sites are in *sites.
 * @maps:	NULL, or room for BPFRT_MAX_MAPS entries; the first
 *		min(info->map_cnt, BPFRT_MAX_MAPS) are filled.
 * Returns -ENOENT when no program @id is recorded.
 */
int bpfrt_prog_info(int fd, __u32 id, struct bpfrt_prog_info *info,
		    struct bpfrt_call_site **sites, __u32 *site_room,
		    struct bpfrt_map_desc *maps);

/* --- cost table (BPFRT_FEAT_COSTS) --- */

/*
 * BPFRT_IOC_COSTS_GET: the module's cost table (a struct bpfrt_cost_model)
 * into *buf, malloc()ed (the caller frees it), of *len bytes; the buffer
 * is grown while the module answers -ENOSPC. @meta (if not NULL) receives
 * the reply: source (BPFRT_COSTS_*) and description.
 */
/*
 * BPFRT_IOC_PROG_TERMINATE / _RESTORE of program @id; *sites says how many
 * call sites were patched or restored. -EOPNOTSUPP: not terminable.
 */
int bpfrt_prog_terminate(int fd, __u32 id, __u32 *sites);
int bpfrt_prog_restore(int fd, __u32 id, __u32 *sites);

int bpfrt_costs_get(int fd, void **buf, __u32 *len,
		    struct bpfrt_costs_get *meta);

/*
 * BPFRT_IOC_COSTS_SET (BPFRT_FEAT_COSTS_SET): makes @buf (@len bytes, a
 * struct bpfrt_cost_model) the module's table, described by @desc (1..63
 * printable characters); @buf NULL goes back to the built-in table.
 * @reply (if not NULL) receives the module's answer: programs estimated
 * again, and when the table is refused (-EINVAL, -ERANGE) the fault and
 * where it is (BPFRT_COSTS_FAULT_*, BPFRT_COSTS_PART_*).
 */
int bpfrt_costs_set(int fd, const void *buf, __u32 len, const char *desc,
		    struct bpfrt_costs_set *reply);

/* --- event stream (BPFRT_FEAT_EVENTS) --- */

/* The smallest record a reader accepts: size, version, type and seq. */
#define BPFRT_EVENT_MIN_SIZE	16
#define BPFRT_EVENT_BUF_SIZE	65536

/*
 * Decodes the record at the start of @data (@len > 0 bytes, what is left
 * of one read()). Records from another module version may be shorter or
 * longer than struct bpfrt_event: the known part is copied, the rest of
 * *ev zeroed, unknown trailing fields skipped. Returns the record's size
 * (the bytes to advance by), or -EPROTO when its size is below
 * BPFRT_EVENT_MIN_SIZE or beyond @len.
 */
int bpfrt_event_parse(const void *data, size_t len, struct bpfrt_event *ev);

/* Records of one read() not yet returned. */
struct bpfrt_event_buf {
	size_t len;		/* bytes read */
	size_t off;		/* bytes consumed */
	unsigned char data[BPFRT_EVENT_BUF_SIZE];
};

static inline void bpfrt_event_buf_init(struct bpfrt_event_buf *b)
{
	b->len = 0;
	b->off = 0;
}

/*
 * The next event of the stream on @fd, from @b if a previous read() left
 * records there, else from one new read(). Returns 0 and fills *ev;
 * -EAGAIN when @fd is non-blocking and nothing is ready (poll() it);
 * -ENODATA when read() returned end of file; -EPROTO on a malformed record
 * (the rest of that read() is dropped); another -errno from read().
 */
int bpfrt_event_read(int fd, struct bpfrt_event_buf *b, struct bpfrt_event *ev);

#endif /* _LIBBPFRT_H */
