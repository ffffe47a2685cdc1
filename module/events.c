// SPDX-License-Identifier: GPL-2.0
/*
 * The event stream: a fixed ring of the last BPFRT_EVENT_RING events with
 * consecutive sequence numbers. Posting never blocks or allocates, so the
 * load and free hooks can post from any context; each reader keeps its own
 * position and is told, with a BPFRT_EV_LOST record, how many events it
 * missed when it fell more than a ring behind.
 */
#include <linux/sched/signal.h>
#include <linux/spinlock.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include "events.h"

#define BPFRT_EVENT_RING 1024	/* power of two */

static struct bpfrt_event bpfrt_ring[BPFRT_EVENT_RING];
static u64 bpfrt_ring_head;	/* sequence number of the next event */
static DEFINE_SPINLOCK(bpfrt_ring_lock);
static DECLARE_WAIT_QUEUE_HEAD(bpfrt_ring_wait);

void bpfrt_event_post(u16 type, const struct bpfrt_prog_summary *prog)
{
	bpfrt_event_post_ext(type, prog, NULL);
}

void bpfrt_event_post_ext(u16 type, const struct bpfrt_prog_summary *prog,
			  const struct bpfrt_event_extra *x)
{
	struct bpfrt_event *ev;
	unsigned long flags;

	spin_lock_irqsave(&bpfrt_ring_lock, flags);
	ev = &bpfrt_ring[bpfrt_ring_head & (BPFRT_EVENT_RING - 1)];
	memset(ev, 0, sizeof(*ev));
	ev->size = sizeof(*ev);
	ev->version = BPFRT_EVENT_VERSION;
	ev->type = type;
	ev->seq = bpfrt_ring_head++;
	ev->time_ns = ktime_get_ns();
	if (prog)
		ev->prog = *prog;
	if (x) {
		ev->limit_ns = x->limit_ns;
		ev->latency_ns = x->latency_ns;
		ev->cpu = x->cpu;
		ev->sites = x->sites;
	}
	spin_unlock_irqrestore(&bpfrt_ring_lock, flags);
	wake_up_interruptible(&bpfrt_ring_wait);
}

/* Open files of /dev/bpfrt: each can read every event from its open on. */
static atomic_t bpfrt_readers = ATOMIC_INIT(0);

void bpfrt_reader_init(struct bpfrt_reader *r)
{
	atomic_inc(&bpfrt_readers);
	spin_lock_irq(&bpfrt_ring_lock);
	r->next_seq = bpfrt_ring_head;
	spin_unlock_irq(&bpfrt_ring_lock);
}

void bpfrt_reader_release(struct bpfrt_reader *r)
{
	atomic_dec(&bpfrt_readers);
}

bool bpfrt_events_watched(void)
{
	return atomic_read(&bpfrt_readers) > 0;
}

/*
 * Takes the next record for @r into @ev; false when there is none. A
 * reader more than a ring behind gets a LOST record first.
 */
static bool bpfrt_event_take(struct bpfrt_reader *r, struct bpfrt_event *ev)
{
	bool ok = true;

	spin_lock_irq(&bpfrt_ring_lock);
	if (r->next_seq == bpfrt_ring_head) {
		ok = false;
	} else if (bpfrt_ring_head - r->next_seq > BPFRT_EVENT_RING) {
		u64 oldest = bpfrt_ring_head - BPFRT_EVENT_RING;

		memset(ev, 0, sizeof(*ev));
		ev->size = sizeof(*ev);
		ev->version = BPFRT_EVENT_VERSION;
		ev->type = BPFRT_EV_LOST;
		ev->seq = r->next_seq;
		ev->time_ns = ktime_get_ns();
		ev->lost = oldest - r->next_seq;
		r->next_seq = oldest;
	} else {
		*ev = bpfrt_ring[r->next_seq & (BPFRT_EVENT_RING - 1)];
		r->next_seq++;
	}
	spin_unlock_irq(&bpfrt_ring_lock);
	return ok;
}

static bool bpfrt_event_ready(struct bpfrt_reader *r)
{
	return READ_ONCE(bpfrt_ring_head) != READ_ONCE(r->next_seq);
}

ssize_t bpfrt_events_read(struct bpfrt_reader *r, struct file *file,
			  char __user *buf, size_t len)
{
	struct bpfrt_event ev;
	size_t done = 0;
	int ret;

	if (len < sizeof(ev))
		return -EINVAL;
	while (!done) {
		if (!bpfrt_event_ready(r)) {
			if (file->f_flags & O_NONBLOCK)
				return -EAGAIN;
			ret = wait_event_interruptible(bpfrt_ring_wait,
						       bpfrt_event_ready(r));
			if (ret)
				return ret;
		}
		/* Whole records only, as many as fit. */
		while (len - done >= sizeof(ev) && bpfrt_event_take(r, &ev)) {
			if (copy_to_user(buf + done, &ev, sizeof(ev)))
				return done ? done : -EFAULT;
			done += sizeof(ev);
		}
	}
	return done;
}

__poll_t bpfrt_events_poll(struct bpfrt_reader *r, struct file *file,
			   poll_table *wait)
{
	poll_wait(file, &bpfrt_ring_wait, wait);
	return bpfrt_event_ready(r) ? EPOLLIN | EPOLLRDNORM : 0;
}
