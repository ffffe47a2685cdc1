/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fast-path termination: arming a program's call sites with stubs, and
 * restoring them byte for byte.
 */
#ifndef _BPFRT_TERMINATE_H
#define _BPFRT_TERMINATE_H

#include <linux/mutex.h>
#include <linux/types.h>

struct bpf_prog;
struct bpf_prog_aux;
struct bpfrt_prog_rec;

/* Serialises arming and restoring; taken before bpfrt_registry_lock. */
extern struct mutex bpfrt_term_lock;

int bpfrt_term_init(void);
/*
 * Stops arming and restores every armed program: after the watchdog has
 * stopped, before the load and free hooks go.
 */
void bpfrt_term_stop(void);
/* Frees what is left (stopping first if needed): after the hooks went. */
void bpfrt_term_exit(void);

/*
 * Interrupt context: ask for @prog's record to be armed. The caller hands
 * over one reference on @prog (taken with bpf_prog_inc_not_zero()).
 */
void bpfrt_term_request_arm(struct bpf_prog *prog);
/*
 * Process context: arm @rec (alive: the caller holds its program) and keep
 * it armed until it is freed, restored, or the module goes.
 */
void bpfrt_term_arm_pinned(struct bpfrt_prog_rec *rec);
/* Any context: re-examine armed programs (disarm those no longer needed). */
void bpfrt_term_kick(void);
/* Process context: programs armed at load are no longer kept armed. */
void bpfrt_term_unpin_all(void);

/* The free hook: restore @aux's program before the kernel frees it. */
void bpfrt_term_release(const struct bpf_prog_aux *aux);

/* ioctls: program-wide termination of program @id, and its restore. */
int bpfrt_term_prog(u32 id, u32 *sites);
int bpfrt_term_restore(u32 id, u32 *sites);

/* CRC32 of all of @rec's images, to prove a restore byte-exact. */
u32 bpfrt_term_image_crc(const struct bpfrt_prog_rec *rec);

#endif /* _BPFRT_TERMINATE_H */
