/* SPDX-License-Identifier: GPL-2.0 */
/* The per-CPU watchdog that finds instances running past a limit. */
#ifndef _BPFRT_WATCHDOG_H
#define _BPFRT_WATCHDOG_H

struct bpfrt_prog_rec;

int bpfrt_watchdog_init(void);
/*
 * Completed runs, on this CPU, of @rec's program and of every program that
 * makes tail calls. @rec's program must be running on this CPU (or be
 * otherwise kept alive); under rcu_read_lock().
 */
u64 bpfrt_wd_runs(const struct bpfrt_prog_rec *rec);
/*
 * Process context, at load: a program whose worst-case estimate exceeds
 * the watchdog's limit is a suspect before it ever runs, and is armed now
 * (terminate.c) while the watchdog is set to terminate.
 */
void bpfrt_wd_arm_if_suspect(struct bpfrt_prog_rec *rec);
/*
 * Whether loads are checked by bpfrt_wd_arm_if_suspect() now (running, a
 * limit, action terminate): their estimates cannot wait (defer.c).
 */
bool bpfrt_wd_arms_at_load(void);
void bpfrt_watchdog_exit(void);

#endif /* _BPFRT_WATCHDOG_H */
