// SPDX-License-Identifier: GPL-2.0
/*
 * Adoption: programs the load hooks did not see (loaded before the module,
 * or while its hooks were being installed) are found by walking the
 * kernel's program ids (kernel/bpf/syscall.c: bpf_prog_get_curr_or_next
 * takes a reference, so the program stays alive while it is analyzed).
 * They are estimated like any other; what only the load path knows is
 * missing and flagged: verification time, and the JIT offset maps, without
 * which call sites are not identified and the program is not terminable.
 */
#include <linux/bpf.h>
#include <linux/filter.h>
#include <linux/workqueue.h>

#include "bpfrt.h"
#include "capture.h"
#include "registry.h"

static DEFINE_MUTEX(bpfrt_adopt_lock);

/* True if recorded already; also gives an id-less record its id. */
static bool bpfrt_adopt_known(const struct bpf_prog *prog)
{
	struct bpfrt_prog_rec *rec;

	mutex_lock(&bpfrt_registry_lock);
	rec = bpfrt_registry_find(prog->aux);
	if (rec && !bpfrt_rec_id(rec))
		WRITE_ONCE(rec->id, prog->aux->id);
	mutex_unlock(&bpfrt_registry_lock);
	return rec;
}

void bpfrt_adopt_all(void)
{
	struct bpf_prog *prog;
	u32 id = 0;

	/* One walk at a time: two would race to record the same program. */
	mutex_lock(&bpfrt_adopt_lock);
	for (;;) {
		prog = bpfrt_syms.bpf_prog_get_curr_or_next(&id);
		if (IS_ERR_OR_NULL(prog))
			break;
		if (!bpf_prog_was_classic(prog) && !bpfrt_adopt_known(prog))
			bpfrt_record_prog(prog, 0, true, NULL, 0);
		bpf_prog_put(prog);
		id++;
		cond_resched();
	}
	mutex_unlock(&bpfrt_adopt_lock);
}

static void bpfrt_adopt_fn(struct work_struct *work)
{
	bpfrt_adopt_all();
}

static DECLARE_WORK(bpfrt_adopt_work, bpfrt_adopt_fn);

/* Any context: the walk itself runs later from a workqueue. */
void bpfrt_adopt_schedule(void)
{
	schedule_work(&bpfrt_adopt_work);
}

void bpfrt_adopt_cancel(void)
{
	cancel_work_sync(&bpfrt_adopt_work);
}
