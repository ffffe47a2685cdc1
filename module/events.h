/* SPDX-License-Identifier: GPL-2.0 */
/* The event stream read from /dev/bpfrt (struct bpfrt_event). */
#ifndef _BPFRT_EVENTS_H
#define _BPFRT_EVENTS_H

#include <linux/bpfrt.h>
#include <linux/fs.h>
#include <linux/poll.h>

/* Safe in any context but NMI: takes a spinlock, never allocates. */
void bpfrt_event_post(u16 type, const struct bpfrt_prog_summary *prog);

/* The fields of struct bpfrt_event beyond the program. */
struct bpfrt_event_extra {
	u64 limit_ns;
	u64 latency_ns;
	u32 cpu;
	u32 sites;
};

void bpfrt_event_post_ext(u16 type, const struct bpfrt_prog_summary *prog,
			  const struct bpfrt_event_extra *x);

/* Per open file: where this reader is in the stream. */
struct bpfrt_reader {
	u64 next_seq;
};

void bpfrt_reader_init(struct bpfrt_reader *r);
void bpfrt_reader_release(struct bpfrt_reader *r);
/*
 * Whether anyone can read an event posted now: a reader only gets events
 * posted after its open, so with /dev/bpfrt open nowhere none is ever read.
 */
bool bpfrt_events_watched(void);
ssize_t bpfrt_events_read(struct bpfrt_reader *r, struct file *file,
			  char __user *buf, size_t len);
__poll_t bpfrt_events_poll(struct bpfrt_reader *r, struct file *file,
			   poll_table *wait);

#endif /* _BPFRT_EVENTS_H */
