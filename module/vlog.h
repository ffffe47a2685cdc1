/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The verifier log of a program being loaded: where the loader asked for it
 * (BPF_PROG_LOAD's log_buf, log_size, log_level), so the module can tell the
 * loader, in the text libbpf and bpftool print, why it refused the load.
 */
#ifndef _BPFRT_VLOG_H
#define _BPFRT_VLOG_H

#include <linux/bpfptr.h>
#include <linux/types.h>

struct bpfrt_check_args;

struct bpfrt_load_log {
	u64 buf;		/* log_buf, a user address; 0: no log */
	u32 size;		/* log_size, bytes at @buf */
	u32 level;		/* log_level */
	bpfptr_t uattr;		/* the loader's union bpf_attr */
	u32 uattr_size;		/* its size; 0 where bpf_check() lacks it */
};

/* In the bpf_check() wrapper: where this load's log is. */
void bpfrt_load_log_save(struct bpfrt_load_log *log,
			 const struct bpfrt_check_args *a);

/*
 * After bpf_check() succeeded, in the loader's context (may sleep): appends
 * @msg on a line of its own after the verifier's text, keeping the buffer
 * NUL-terminated and never writing past log_size. When the rest of the
 * buffer is too small, @msg replaces the end of the verifier's text (the
 * reason matters more than the last lines of a successful verification);
 * when the whole buffer is, @msg is cut. Returns 0, -ENOENT when the loader
 * gave no log, or -EFAULT.
 */
int bpfrt_load_log_append(const struct bpfrt_load_log *log, const char *msg);

#endif /* _BPFRT_VLOG_H */
