// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of libbpfrt's capture-and-query wrappers: event-record
 * decoding (records shorter, longer and malformed), buffered reading of
 * several records per read() through a real pipe, list paging as a pure
 * function over a fake page source, and the ioctl wrappers' retry logic
 * against the fake module of prog_fake_module.h.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <cmocka.h>

#include "libbpfrt.h"
#include "prog_fake_module.h"

/* --- event records --- */

/* A record of @size bytes: a full struct bpfrt_event, then @fill. */
static size_t make_record(unsigned char *buf, __u32 size, __u16 type,
			  __u64 seq, unsigned char fill)
{
	struct bpfrt_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.size = size;
	ev.version = BPFRT_EVENT_VERSION;
	ev.type = type;
	ev.seq = seq;
	ev.time_ns = 1000 + seq;
	ev.prog.id = 40 + seq;
	strcpy(ev.prog.name, "prog");
	ev.lost = 7;
	memset(buf, fill, size);
	memcpy(buf, &ev, size < sizeof(ev) ? size : sizeof(ev));
	return size;
}

static void test_event_parse_exact(void **state)
{
	unsigned char buf[256];
	struct bpfrt_event ev;

	(void)state;
	make_record(buf, sizeof(ev), BPFRT_EV_PROG_ESTIMATED, 1, 0);
	assert_int_equal(bpfrt_event_parse(buf, sizeof(ev), &ev), sizeof(ev));
	assert_int_equal(ev.size, sizeof(ev));
	assert_int_equal(ev.type, BPFRT_EV_PROG_ESTIMATED);
	assert_int_equal(ev.seq, 1);
	assert_int_equal(ev.time_ns, 1001);
	assert_int_equal(ev.prog.id, 41);
	assert_string_equal(ev.prog.name, "prog");
	assert_int_equal(ev.lost, 7);
}

static void test_event_parse_older_module(void **state)
{
	unsigned char buf[256];
	struct bpfrt_event ev;

	(void)state;
	/* 24 bytes: up to time_ns; the rest of the bytes read is garbage */
	make_record(buf, 24, BPFRT_EV_LOST, 2, 0xff);
	memset(buf + 24, 0xff, sizeof(buf) - 24);
	assert_int_equal(bpfrt_event_parse(buf, sizeof(buf), &ev), 24);
	assert_int_equal(ev.seq, 2);
	assert_int_equal(ev.time_ns, 1002);
	/* what the record did not carry is zero, not the garbage after it */
	assert_int_equal(ev.prog.id, 0);
	assert_int_equal(ev.lost, 0);
	assert_int_equal(ev.sites, 0);
}

static void test_event_parse_newer_module(void **state)
{
	unsigned char buf[256];
	struct bpfrt_event ev;
	__u32 size = sizeof(ev) + 40;

	(void)state;
	make_record(buf, size, BPFRT_EV_PROG_FREED, 3, 0xaa);
	/* the whole record is consumed, the known part copied */
	assert_int_equal(bpfrt_event_parse(buf, size, &ev), size);
	assert_int_equal(ev.size, size);
	assert_int_equal(ev.type, BPFRT_EV_PROG_FREED);
	assert_int_equal(ev.prog.id, 43);
	assert_int_equal(ev.lost, 7);
}

static void test_event_parse_minimum(void **state)
{
	unsigned char buf[64];
	struct bpfrt_event ev;

	(void)state;
	make_record(buf, BPFRT_EVENT_MIN_SIZE, BPFRT_EV_LOST, 9, 0x11);
	assert_int_equal(bpfrt_event_parse(buf, sizeof(buf), &ev), 16);
	assert_int_equal(ev.seq, 9);
	assert_int_equal(ev.time_ns, 0);
}

static void test_event_parse_invalid(void **state)
{
	unsigned char buf[256];
	struct bpfrt_event ev;

	(void)state;
	make_record(buf, 0, 0, 0, 0);
	memset(buf, 0, sizeof(buf));
	assert_int_equal(bpfrt_event_parse(buf, sizeof(buf), &ev), -EPROTO);
	make_record(buf, 15, BPFRT_EV_LOST, 1, 0);
	assert_int_equal(bpfrt_event_parse(buf, sizeof(buf), &ev), -EPROTO);
	/* a record longer than the bytes read */
	make_record(buf, 100, BPFRT_EV_LOST, 1, 0);
	assert_int_equal(bpfrt_event_parse(buf, 99, &ev), -EPROTO);
	assert_int_equal(bpfrt_event_parse(buf, 100, &ev), 100);
	/* not even a size field */
	assert_int_equal(bpfrt_event_parse(buf, 3, &ev), -EPROTO);
	/* a size near 4 GiB must not wrap anything */
	make_record(buf, 64, BPFRT_EV_LOST, 1, 0);
	memset(buf, 0xff, 4);
	assert_int_equal(bpfrt_event_parse(buf, sizeof(buf), &ev), -EPROTO);
}

struct pipe_fds {
	int rd, wr;
};

static void open_pipe(struct pipe_fds *p)
{
	int fds[2];

	assert_int_equal(pipe2(fds, O_NONBLOCK), 0);
	p->rd = fds[0];
	p->wr = fds[1];
}

static void test_event_read_several_per_read(void **state)
{
	struct bpfrt_event_buf *b = malloc(sizeof(*b));
	unsigned char data[1024];
	struct bpfrt_event ev;
	struct pipe_fds p;
	size_t len = 0;

	(void)state;
	open_pipe(&p);
	bpfrt_event_buf_init(b);
	/* three records of three sizes in one write, so one read */
	len += make_record(data + len, 24, BPFRT_EV_LOST, 1, 0xee);
	len += make_record(data + len, sizeof(ev), BPFRT_EV_PROG_ESTIMATED,
			   2, 0);
	len += make_record(data + len, sizeof(ev) + 8, BPFRT_EV_PROG_FREED,
			   3, 0xdd);
	assert_int_equal(write(p.wr, data, len), len);

	assert_int_equal(bpfrt_event_read(p.rd, b, &ev), 0);
	assert_int_equal(ev.seq, 1);
	assert_int_equal(ev.prog.id, 0);
	assert_int_equal(b->len, len);	/* all three came in one read */
	assert_int_equal(bpfrt_event_read(p.rd, b, &ev), 0);
	assert_int_equal(ev.seq, 2);
	assert_int_equal(ev.prog.id, 42);
	assert_int_equal(bpfrt_event_read(p.rd, b, &ev), 0);
	assert_int_equal(ev.seq, 3);
	assert_int_equal(ev.type, BPFRT_EV_PROG_FREED);
	assert_int_equal(bpfrt_event_read(p.rd, b, &ev), -EAGAIN);

	/* later records come with the next read */
	len = make_record(data, sizeof(ev), BPFRT_EV_LOST, 4, 0);
	assert_int_equal(write(p.wr, data, len), len);
	assert_int_equal(bpfrt_event_read(p.rd, b, &ev), 0);
	assert_int_equal(ev.seq, 4);

	close(p.wr);
	assert_int_equal(bpfrt_event_read(p.rd, b, &ev), -ENODATA);
	close(p.rd);
	free(b);
}

static void test_event_read_malformed(void **state)
{
	struct bpfrt_event_buf *b = malloc(sizeof(*b));
	unsigned char data[1024];
	struct bpfrt_event ev;
	struct pipe_fds p;
	size_t len = 0;

	(void)state;
	open_pipe(&p);
	bpfrt_event_buf_init(b);
	len += make_record(data + len, sizeof(ev), BPFRT_EV_LOST, 1, 0);
	len += make_record(data + len, 8, BPFRT_EV_LOST, 2, 0);	/* bad */
	len += make_record(data + len, sizeof(ev), BPFRT_EV_LOST, 3, 0);
	assert_int_equal(write(p.wr, data, len), len);
	assert_int_equal(bpfrt_event_read(p.rd, b, &ev), 0);
	assert_int_equal(ev.seq, 1);
	/* the stream cannot be trusted after a bad size: the rest is dropped */
	assert_int_equal(bpfrt_event_read(p.rd, b, &ev), -EPROTO);
	assert_int_equal(bpfrt_event_read(p.rd, b, &ev), -EAGAIN);

	/* a record cut short by the end of a read is malformed too */
	len = make_record(data, sizeof(ev), BPFRT_EV_LOST, 4, 0);
	assert_int_equal(write(p.wr, data, len - 10), len - 10);
	assert_int_equal(bpfrt_event_read(p.rd, b, &ev), -EPROTO);
	close(p.wr);
	close(p.rd);
	free(b);
}

/* --- paging, as a pure function over a fake source --- */

struct fake_pages {
	__u32 ids[FAKE_MAX_PROGS];
	__u32 n;
	__u32 page_max;
	__u32 calls;
	__u32 rooms[64];
	/* misbehaviours */
	bool overfill;		/* returns more entries than room */
	bool stuck_next;	/* next_id == start_id */
	bool id_below_start;	/* returns an id below start_id */
	bool repeat_last;	/* the next page repeats the last id */
	int fail_at_call;	/* 1-based call that fails with -EIO */
	__u32 free_on_call;	/* before this call, drop ids[0] */
};

static int fake_page(void *arg, __u32 start_id,
		     struct bpfrt_prog_summary *entries, __u32 *count,
		     __u32 *next_id, __u32 *total)
{
	struct fake_pages *fp = arg;
	__u32 i, n = 0, room = *count;

	if (fp->calls < 64)
		fp->rooms[fp->calls] = room;
	fp->calls++;
	if (fp->fail_at_call && (int)fp->calls == fp->fail_at_call)
		return -EIO;
	if (fp->free_on_call && fp->calls == fp->free_on_call) {
		memmove(fp->ids, fp->ids + 1, (fp->n - 1) * sizeof(fp->ids[0]));
		fp->n--;
	}
	if (fp->page_max && room > fp->page_max)
		room = fp->page_max;
	*next_id = 0;
	for (i = 0; i < fp->n; i++) {
		if (fp->ids[i] < start_id &&
		    !(fp->repeat_last && start_id && fp->ids[i] == start_id - 1))
			continue;
		if (n == room) {
			*next_id = fp->ids[i - 1] + 1;
			break;
		}
		memset(&entries[n], 0, sizeof(entries[n]));
		entries[n].id = fp->ids[i];
		n++;
	}
	if (fp->id_below_start && start_id && n)
		entries[0].id = start_id - 1;
	/* the second page says the next starts where it started */
	if (fp->stuck_next && fp->calls > 1 && *next_id)
		*next_id = start_id;
	*count = fp->overfill ? *count + 1 : n;
	*total = fp->n;
	return 0;
}

static struct fake_pages *new_pages(__u32 n, __u32 page_max)
{
	struct fake_pages *fp = calloc(1, sizeof(*fp));
	__u32 i;

	/* ids with gaps, as a real system's are */
	for (i = 0; i < n; i++)
		fp->ids[i] = 3 + 5 * i + (i % 3);
	fp->n = n;
	fp->page_max = page_max;
	return fp;
}

static void check_all_listed(const struct fake_pages *fp,
			     const struct bpfrt_prog_summary *progs, __u32 cnt)
{
	__u32 i;

	assert_int_equal(cnt, fp->n);
	for (i = 0; i < cnt; i++)
		assert_int_equal(progs[i].id, fp->ids[i]);
}

static void test_pages_empty(void **state)
{
	struct fake_pages *fp = new_pages(0, 0);
	struct bpfrt_prog_summary *progs;
	__u32 cnt = 99;

	(void)state;
	assert_int_equal(bpfrt_prog_list_pages(fake_page, fp, &progs, &cnt), 0);
	assert_int_equal(cnt, 0);
	assert_int_equal(fp->calls, 1);
	free(progs);
	free(fp);
}

static void test_pages_small_pages(void **state)
{
	struct fake_pages *fp = new_pages(200, 7);
	struct bpfrt_prog_summary *progs;
	__u32 cnt;

	(void)state;
	assert_int_equal(bpfrt_prog_list_pages(fake_page, fp, &progs, &cnt), 0);
	check_all_listed(fp, progs, cnt);
	/* 200 / 7 = 28 full pages and one of 4 */
	assert_int_equal(fp->calls, 29);
	free(progs);
	free(fp);
}

static void test_pages_grow_to_total(void **state)
{
	struct fake_pages *fp = new_pages(1000, 0);
	struct bpfrt_prog_summary *progs;
	__u32 cnt;

	(void)state;
	assert_int_equal(bpfrt_prog_list_pages(fake_page, fp, &progs, &cnt), 0);
	check_all_listed(fp, progs, cnt);
	/* a first page of 64; total says 936 more: one page for all of them */
	assert_int_equal(fp->calls, 2);
	assert_int_equal(fp->rooms[0], 64);
	assert_true(fp->rooms[1] >= 936);
	free(progs);
	free(fp);
}

static void test_pages_program_freed_meanwhile(void **state)
{
	struct fake_pages *fp = new_pages(30, 10);
	struct bpfrt_prog_summary *progs;
	__u32 cnt;

	(void)state;
	/* the first program goes away after the first page was read */
	fp->free_on_call = 2;
	assert_int_equal(bpfrt_prog_list_pages(fake_page, fp, &progs, &cnt), 0);
	/* it was listed, and nothing is listed twice or skipped */
	assert_int_equal(cnt, 30);
	assert_int_equal(progs[0].id, 3);
	check_all_listed(fp, progs + 1, cnt - 1);
	free(progs);
	free(fp);
}

static void expect_pages_error(struct fake_pages *fp, int want)
{
	struct bpfrt_prog_summary *progs = (void *)1;
	__u32 cnt = 99;

	assert_int_equal(bpfrt_prog_list_pages(fake_page, fp, &progs, &cnt),
			 want);
	assert_null(progs);
	assert_int_equal(cnt, 0);
	free(fp);
}

static void test_pages_contract_violations(void **state)
{
	struct fake_pages *fp;

	(void)state;
	fp = new_pages(10, 0);
	fp->overfill = true;
	expect_pages_error(fp, -EPROTO);

	fp = new_pages(30, 10);
	fp->stuck_next = true;		/* would loop for ever */
	expect_pages_error(fp, -EPROTO);

	fp = new_pages(30, 10);
	fp->id_below_start = true;
	expect_pages_error(fp, -EPROTO);

	fp = new_pages(30, 10);
	fp->repeat_last = true;		/* a program listed twice */
	expect_pages_error(fp, -EPROTO);

	fp = new_pages(30, 10);
	fp->fail_at_call = 2;
	expect_pages_error(fp, -EIO);
}

/* --- the ioctl wrappers against the fake module --- */

static int setup_fake(void **state)
{
	(void)state;
	fake_reset();
	return 0;
}

static void fake_add_progs(__u32 n)
{
	__u32 i;

	for (i = 0; i < n; i++) {
		struct bpfrt_prog_summary *s = &fake.progs[fake.nprogs++];

		memset(s, 0, sizeof(*s));
		s->id = 10 + 2 * i;
		s->type = 6;
		/* 16 bytes, no NUL: the library must terminate it */
		memcpy(s->name, "abcdefghijklmnop", BPFRT_OBJ_NAME_LEN);
	}
}

static void test_prog_list_one_page(void **state)
{
	struct bpfrt_prog_summary entries[4];
	__u32 count = 4, next_id = 1, total = 0;

	(void)state;
	fake_add_progs(10);
	assert_int_equal(bpfrt_prog_list(3, 0, entries, &count, &next_id,
					 &total), 0);
	assert_int_equal(fake.bad_request, 0);
	assert_int_equal(count, 4);
	assert_int_equal(total, 10);
	assert_int_equal(next_id, 17);		/* after id 16 */
	assert_int_equal(entries[3].id, 16);
	assert_string_equal(entries[0].name, "abcdefghijklmno");

	count = 4;
	assert_int_equal(bpfrt_prog_list(3, 25, entries, &count, &next_id,
					 NULL), 0);
	assert_int_equal(count, 2);		/* ids 26 and 28 */
	assert_int_equal(next_id, 0);
	assert_int_equal(entries[0].id, 26);
}

static void test_prog_list_all_ioctl(void **state)
{
	struct bpfrt_prog_summary *progs;
	__u32 cnt, i;

	(void)state;
	fake_add_progs(300);
	fake.page_max = 50;
	assert_int_equal(bpfrt_prog_list_all(3, &progs, &cnt), 0);
	assert_int_equal(fake.bad_request, 0);
	assert_int_equal(cnt, 300);
	for (i = 0; i < cnt; i++)
		assert_int_equal(progs[i].id, 10 + 2 * i);
	assert_int_equal(fake.list_calls, 6);
	free(progs);

	fake.list_errno = ENOTTY;
	assert_int_equal(bpfrt_prog_list_all(3, &progs, &cnt), -ENOTTY);
	assert_null(progs);
}

static void fake_set_info(__u32 id, __u32 nsites)
{
	__u32 i;

	fake.info.summary.id = id;
	fake.info.summary.type = 6;
	memcpy(fake.info.summary.name, "abcdefghijklmnop", 16);
	fake.info.worst_ps = 12345;
	fake.info.contrib_cnt = 1;
	fake.info.map_cnt = 2;
	fake.nsites = nsites;
	for (i = 0; i < nsites; i++) {
		fake.sites[i].func = i;
		fake.sites[i].jit_off = 0x10 * i;
		memset(fake.sites[i].target, 'x', BPFRT_SYM_LEN);
	}
	strcpy(fake.maps[0].name, "counts");
	memcpy(fake.maps[1].name, "0123456789abcdef", 16);
}

static void test_prog_info_grows_sites(void **state)
{
	struct bpfrt_map_desc maps[BPFRT_MAX_MAPS];
	struct bpfrt_call_site *sites = NULL;
	struct bpfrt_prog_info info;
	__u32 room = 0;

	(void)state;
	fake_set_info(12, 100);
	assert_int_equal(bpfrt_prog_info(3, 12, &info, &sites, &room, maps), 0);
	assert_int_equal(fake.bad_request, 0);
	/* a first try with 64, then exactly what the module reported */
	assert_int_equal(fake.info_calls, 2);
	assert_int_equal(fake.info_rooms[0], 64);
	assert_int_equal(fake.info_rooms[1], 100);
	assert_int_equal(room, 100);
	assert_int_equal(info.site_cnt, 100);
	assert_int_equal(info.worst_ps, 12345);
	assert_int_equal(sites[99].func, 99);
	assert_int_equal(sites[99].jit_off, 0x10 * 99);
	assert_int_equal(strlen(sites[99].target), BPFRT_SYM_LEN - 1);
	assert_string_equal(info.summary.name, "abcdefghijklmno");
	assert_string_equal(maps[0].name, "counts");
	assert_string_equal(maps[1].name, "0123456789abcde");

	/* the grown buffer is reused: one call the second time */
	fake.info_calls = 0;
	assert_int_equal(bpfrt_prog_info(3, 12, &info, &sites, &room, maps), 0);
	assert_int_equal(fake.info_calls, 1);
	assert_int_equal(fake.info_rooms[0], 100);
	free(sites);
}

static void test_prog_info_enospc(void **state)
{
	struct bpfrt_call_site *sites = NULL;
	struct bpfrt_prog_info info;
	__u32 room = 0;

	(void)state;
	/* a module that fails with -ENOSPC when the room is too small */
	fake_set_info(12, 200);
	fake.info_enospc = true;
	assert_int_equal(bpfrt_prog_info(3, 12, &info, &sites, &room, NULL), 0);
	assert_int_equal(fake.info_calls, 2);
	assert_int_equal(info.site_cnt, 200);
	assert_int_equal(sites[199].func, 199);
	free(sites);
}

static void test_prog_info_few_sites(void **state)
{
	struct bpfrt_call_site *sites = NULL;
	struct bpfrt_prog_info info;
	__u32 room = 0;

	(void)state;
	fake_set_info(12, 3);
	assert_int_equal(bpfrt_prog_info(3, 12, &info, &sites, &room, NULL), 0);
	assert_int_equal(fake.info_calls, 1);
	assert_int_equal(info.site_cnt, 3);
	assert_non_null(sites);
	free(sites);
}

static void test_prog_info_without_sites(void **state)
{
	struct bpfrt_prog_info info;

	(void)state;
	fake_set_info(12, 100);
	assert_int_equal(bpfrt_prog_info(3, 12, &info, NULL, NULL, NULL), 0);
	assert_int_equal(fake.bad_request, 0);
	assert_int_equal(fake.info_calls, 1);
	assert_true(fake.info_sites_ptr_zero);
	assert_int_equal(fake.info_rooms[0], 0);
	/* the count is still reported */
	assert_int_equal(info.site_cnt, 100);
}

static void test_prog_info_unknown_id(void **state)
{
	struct bpfrt_call_site *sites = NULL;
	struct bpfrt_prog_info info;
	__u32 room = 0;

	(void)state;
	fake_set_info(12, 1);
	assert_int_equal(bpfrt_prog_info(3, 13, &info, &sites, &room, NULL),
			 -ENOENT);
	free(sites);
}

static void test_costs_get_grows(void **state)
{
	struct bpfrt_costs_get meta;
	__u32 len = 0, first;
	void *buf = NULL;

	(void)state;
	fake.costs_need = 100000;	/* beyond the first guess of 64 KiB */
	assert_int_equal(bpfrt_costs_get(3, &buf, &len, &meta), 0);
	assert_int_equal(fake.bad_request, 0);
	assert_int_equal(fake.costs_calls, 2);
	assert_int_equal(len, 100000);
	memcpy(&first, buf, sizeof(first));
	assert_int_equal(first, 100000);
	assert_int_equal(((unsigned char *)buf)[len - 1], 0xc5);
	assert_int_equal(meta.source, BPFRT_COSTS_UPLOADED);
	assert_string_equal(meta.description, "test table");
	free(buf);
}

static void test_costs_get_first_try(void **state)
{
	__u32 len = 0;
	void *buf = NULL;

	(void)state;
	fake.costs_need = 5000;
	assert_int_equal(bpfrt_costs_get(3, &buf, &len, NULL), 0);
	assert_int_equal(fake.costs_calls, 1);
	assert_int_equal(len, 5000);
	free(buf);
}

static void test_costs_get_no_size_hint(void **state)
{
	__u32 len = 0;
	void *buf = NULL;

	(void)state;
	/* -ENOSPC without the size: the buffer doubles, 64 KiB -> 256 KiB */
	fake.costs_need = 200000;
	fake.costs_no_size = true;
	assert_int_equal(bpfrt_costs_get(3, &buf, &len, NULL), 0);
	assert_int_equal(fake.costs_calls, 3);
	assert_int_equal(len, 200000);
	free(buf);
}

static void test_costs_get_absurd_size(void **state)
{
	__u32 len = 0;
	void *buf = NULL;

	(void)state;
	fake.costs_need = 128u << 20;
	assert_int_equal(bpfrt_costs_get(3, &buf, &len, NULL), -E2BIG);
	assert_int_equal(fake.costs_calls, 1);
	assert_null(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_event_parse_exact),
		cmocka_unit_test(test_event_parse_older_module),
		cmocka_unit_test(test_event_parse_newer_module),
		cmocka_unit_test(test_event_parse_minimum),
		cmocka_unit_test(test_event_parse_invalid),
		cmocka_unit_test(test_event_read_several_per_read),
		cmocka_unit_test(test_event_read_malformed),
		cmocka_unit_test(test_pages_empty),
		cmocka_unit_test(test_pages_small_pages),
		cmocka_unit_test(test_pages_grow_to_total),
		cmocka_unit_test(test_pages_program_freed_meanwhile),
		cmocka_unit_test(test_pages_contract_violations),
		cmocka_unit_test_setup(test_prog_list_one_page, setup_fake),
		cmocka_unit_test_setup(test_prog_list_all_ioctl, setup_fake),
		cmocka_unit_test_setup(test_prog_info_grows_sites, setup_fake),
		cmocka_unit_test_setup(test_prog_info_enospc, setup_fake),
		cmocka_unit_test_setup(test_prog_info_few_sites, setup_fake),
		cmocka_unit_test_setup(test_prog_info_without_sites, setup_fake),
		cmocka_unit_test_setup(test_prog_info_unknown_id, setup_fake),
		cmocka_unit_test_setup(test_costs_get_grows, setup_fake),
		cmocka_unit_test_setup(test_costs_get_first_try, setup_fake),
		cmocka_unit_test_setup(test_costs_get_no_size_hint, setup_fake),
		cmocka_unit_test_setup(test_costs_get_absurd_size, setup_fake),
	};

	return cmocka_run_group_tests_name("prog_lib", tests, NULL, NULL);
}
