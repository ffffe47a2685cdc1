// SPDX-License-Identifier: GPL-2.0
/*
 * Appending to the loader's verifier log once bpf_check() has finished with
 * it. The verifier's own state (struct bpf_verifier_log, with the length it
 * wrote) is freed when bpf_check() returns, so the end of its text is found
 * again in the user buffer: bpf_check() leaves a NUL-terminated text at the
 * start of it on success (see compat/verifier_log.h).
 *
 * libbpf asks for a log only when a load fails (bpf_object_load_prog and
 * bpf_prog_load retry with log_level 1) and prints it between "-- BEGIN
 * PROG LOAD LOG --" and "-- END PROG LOAD LOG --"; bpftool prints libbpf's
 * warnings. So the reason appended here reaches the person loading.
 */
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "compat/bpf_check.h"
#include "compat/verifier_log.h"
#include "vlog.h"

/* Bytes read at a time while looking for the end of the text. */
#define BPFRT_VLOG_CHUNK 256

void bpfrt_load_log_save(struct bpfrt_load_log *log,
			 const struct bpfrt_check_args *a)
{
	log->buf = a->attr->log_buf;
	log->size = a->attr->log_size;
	log->level = a->attr->log_level;
	log->uattr = a->uattr;
	log->uattr_size = a->uattr_size;
}

/*
 * The length of the NUL-terminated text at the start of the buffer and its
 * last character ('\n' when empty). A buffer without a NUL (another thread
 * of the loader wrote over it) counts as full.
 */
static int bpfrt_vlog_text_end(char __user *ubuf, u32 size, u32 *len,
			       char *last)
{
	char chunk[BPFRT_VLOG_CHUNK];
	u32 off = 0, n;
	char *nul;

	*last = '\n';
	while (off < size) {
		n = min_t(u32, sizeof(chunk), size - off);
		if (copy_from_user(chunk, ubuf + off, n))
			return -EFAULT;
		nul = memchr(chunk, '\0', n);
		if (nul) {
			if (nul > chunk)
				*last = nul[-1];
			*len = off + (nul - chunk);
			return 0;
		}
		*last = chunk[n - 1];
		off += n;
		/* a log may be up to 1 GiB (bpf_verifier_log_attr_valid) */
		if (fatal_signal_pending(current))
			return -EINTR;
		cond_resched();
	}
	*len = size - 1;
	return 0;
}

int bpfrt_load_log_append(const struct bpfrt_load_log *log, const char *msg)
{
	char __user *ubuf = u64_to_user_ptr(log->buf);
	u32 text_len, line_len, len, pos, room, need;
	const char *src;
	char *line, last;
	int ret;

	/*
	 * A load from a BPF_PROG_TYPE_SYSCALL program passes a kernel attr;
	 * its log_buf is not the caller's to write here.
	 */
	if (!log->level || !log->buf || log->size < 2 || log->uattr.is_kernel)
		return -ENOENT;

	ret = bpfrt_vlog_text_end(ubuf, log->size, &text_len, &last);
	if (ret)
		return ret;

	/* A line of its own, ending with a newline like the verifier's. */
	line = kasprintf(GFP_KERNEL, "\n%s\n", msg);
	if (!line)
		return -ENOMEM;
	line_len = strlen(line);
	room = log->size - 1;			/* the last byte is the NUL */
	if (last == '\n') {
		/* the text ends with a whole line, or is empty */
		src = line + 1;
		len = line_len - 1;
	} else {
		src = line;
		len = line_len;
	}
	need = text_len + len + 1;
	if (text_len + len <= room) {
		pos = text_len;			/* after the text */
	} else if (line_len <= room) {
		pos = room - line_len;		/* over the end of the text */
		src = line;
		len = line_len;
	} else {
		pos = 0;			/* the buffer is too small: cut */
		src = line + 1;
		len = room;
	}

	ret = 0;
	if (copy_to_user(ubuf + pos, src, len) ||
	    put_user('\0', ubuf + pos + len))
		ret = -EFAULT;
	kfree(line);
	/* What the whole log would need, as the kernel reports it. */
	if (!ret)
		bpfrt_vlog_set_true_size(log->uattr, log->uattr_size, need);
	return ret;
}
