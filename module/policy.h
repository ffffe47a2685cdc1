/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The load-time policy: a limit on the worst-case estimate (global, or per
 * program type), exemptions, and what happens over the limit: audit (log,
 * post an event, load anyway) or reject (the load fails with
 * BPFRT_REJECT_ERRNO and the loader's verifier log says why). The knobs are
 * in /sys/kernel/bpfrt/policy/ and are also module parameters (policy_*),
 * documented in module/ABI/sysfs-kernel-bpfrt.
 */
#ifndef _BPFRT_POLICY_H
#define _BPFRT_POLICY_H

struct bpf_prog;
struct bpfrt_load_log;

/* After sysfs (its attribute group) and before capture (its caller). */
int bpfrt_policy_init(void);
void bpfrt_policy_exit(void);

/*
 * Whether a program of @type is compared with a limit at load (a global or
 * a per-type limit applies): its estimate cannot wait (defer.c).
 */
bool bpfrt_policy_limits(u32 type);

/*
 * Judges @prog, which the load hook has just recorded, in the loader's
 * context after bpf_prog_select_runtime() returned (may sleep). Returns 0
 * to let the load go on, or -BPFRT_REJECT_ERRNO to fail it: the record is
 * dropped then (the program never gets an id), the reason appended to @log
 * (NULL if unknown), logged and posted as BPFRT_EV_PROG_REJECTED. A program
 * over the limit that is let through (action audit) is logged and flagged
 * BPFRT_PROG_F_OVER_LIMIT; its event is posted once it has an id. A program
 * that is not recorded (out of memory) is not judged.
 */
int bpfrt_policy_judge(const struct bpf_prog *prog,
		       const struct bpfrt_load_log *log);

#endif /* _BPFRT_POLICY_H */
