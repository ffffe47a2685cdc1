// SPDX-License-Identifier: GPL-2.0
/*
 * From a loaded program to its registry record: images, maps, summary, and
 * the call sites of the JIT images, located through the JIT's own
 * instruction-to-offset map. The estimate is prog_estimate.c's.
 */
#include <linux/bpf.h>
#include <linux/filter.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "bpfrt.h"
#include "prog_estimate.h"
#include "record.h"
#include "resolve.h"

/* The program's functions as the JIT left them (resolve.h). */
struct bpfrt_rec_ctx {
	const struct bpf_prog *prog;
	u32 func_cnt;
	const struct bpf_prog *const *fprogs;
};

/* The record's copy of the program's maps, as they were at load. */
static void bpfrt_fill_maps(struct bpfrt_prog_rec *rec)
{
	const struct bpf_prog_aux *aux = rec->prog->aux;
	u32 i;

	for (i = 0; i < rec->map_cnt; i++) {
		const struct bpf_map *map = aux->used_maps[i];

		rec->maps[i].id = map->id;
		rec->maps[i].type = map->map_type;
		rec->maps[i].max_entries = map->max_entries;
		rec->maps[i].key_size = map->key_size;
		rec->maps[i].value_size = map->value_size;
		strscpy(rec->maps[i].name, map->name, sizeof(rec->maps[i].name));
	}
}

static const struct bpfrt_jit_map *bpfrt_find_map(const struct bpfrt_jit_map *maps,
						  u32 cnt,
						  const struct bpf_prog *fp)
{
	u32 i;

	for (i = 0; i < cnt; i++)
		if (maps[i].func == fp && maps[i].len == fp->len)
			return &maps[i];
	return NULL;
}

/*
 * The call sites of every function, from the JIT's offset map: the call is
 * the last five bytes of its instruction's code (arch/x86/net/
 * bpf_jit_comp.c: emit_call), so it starts at end_off - 5. Each is
 * checked to be an E8 call whose target is the one the instruction names;
 * anything else leaves the program not terminable.
 */
static bool bpfrt_find_sites(struct bpfrt_rec_ctx *c, struct bpfrt_prog_rec *rec,
			     const struct bpfrt_jit_map *maps, u32 map_cnt)
{
	u32 f, i, n = 0;
	bool exact = true;

	for (f = 0; f < c->func_cnt; f++) {
		const struct bpf_prog *fp = c->fprogs[f];
		const struct bpfrt_jit_map *m = bpfrt_find_map(maps, map_cnt, fp);
		const u8 *image = (const u8 *)fp->bpf_func;

		for (i = 0; i < fp->len; i++) {
			const struct bpf_insn *insn = &fp->insnsi[i];
			struct bpfrt_site *s;
			unsigned long expect;
			struct bpfrt_an_annot a = {};
			u16 kind;
			s32 rel;
			u32 end;

			if (insn->code != (BPF_JMP | BPF_CALL))
				continue;
			if (!m) {
				exact = false;
				continue;
			}
			end = m->end_off[i];
			if (end < 5 || end > fp->jited_len || image[end - 5] != 0xe8) {
				exact = false;
				continue;
			}
			memcpy(&rel, image + end - 4, sizeof(rel));
			bpfrt_resolve_call(c->prog, insn, &a, &kind);
			expect = kind == BPFRT_SITE_FUNC ?
				 (unsigned long)c->prog->aux->func[insn->off]->bpf_func :
				 bpfrt_call_target(insn);
			if ((unsigned long)(image + end) + (long)rel != expect) {
				exact = false;
				continue;
			}
			s = &rec->sites[n++];
			s->func = f;
			s->insn = i;
			s->jit_off = end - 5;
			s->kind = kind;
			s->op = a.op;
			s->id = kind == BPFRT_SITE_UNKNOWN ? U32_MAX : a.id;
			s->target = expect;
		}
	}
	rec->site_cnt = n;
	return exact;
}

/*
 * Which functions are used only as callbacks (loaded by address for a loop
 * helper, never called bpf-to-bpf): only those may have their entry made
 * to "return 1" (DESIGN.md, termination rules). Also notes tail calls.
 * From the final instructions: after jit_subprogs() a bpf-to-bpf call and
 * a callback load carry the callee's index in ->off.
 */
static void bpfrt_classify_funcs(struct bpfrt_rec_ctx *c, struct bpfrt_prog_rec *rec)
{
	const struct bpf_prog *prog = c->prog;
	u32 f, i;
	u8 *use;

	if (!prog->jited) {
		/* One array, whatever the functions; no image to patch. */
		for (i = 0; i < prog->len; i++)
			if (prog->insnsi[i].code == (BPF_JMP | BPF_TAIL_CALL))
				rec->has_tail_calls = true;
		return;
	}
	use = c->func_cnt > 1 ? kcalloc(c->func_cnt, sizeof(*use), GFP_KERNEL) :
				NULL;
	for (f = 0; f < c->func_cnt; f++) {
		const struct bpf_prog *fp = c->fprogs[f];

		for (i = 0; i < fp->len; i++) {
			const struct bpf_insn *insn = &fp->insnsi[i];
			bool ld = insn->code == (BPF_LD | BPF_IMM | BPF_DW);

			if (insn->code == (BPF_JMP | BPF_TAIL_CALL))
				rec->has_tail_calls = true;
			if (use && insn->code == (BPF_JMP | BPF_CALL) &&
			    insn->src_reg == BPF_PSEUDO_CALL &&
			    (u16)insn->off < c->func_cnt)
				use[(u16)insn->off] |= 1;	/* called */
			if (use && ld && insn->src_reg == BPF_PSEUDO_FUNC &&
			    (u16)insn->off < c->func_cnt)
				use[(u16)insn->off] |= 2;	/* a callback */
			if (ld)
				i++;
		}
	}
	for (f = 0; use && f < c->func_cnt; f++)
		if (use[f] == 2)
			rec->images[f].flags |= BPFRT_IMG_CALLBACK_ONLY;
	kfree(use);
}

/* The summary's fields that do not depend on the estimate. */
static void bpfrt_fill_summary(struct bpfrt_prog_rec *rec)
{
	const struct bpf_prog *prog = rec->prog;
	struct bpfrt_prog_summary *s = &rec->sum;
	u32 i;

	s->type = prog->type;
	strscpy(s->name, prog->aux->name, sizeof(s->name));
	memcpy(s->tag, prog->tag, sizeof(s->tag));
	s->func_cnt = rec->func_cnt;
	s->insn_cnt = 0;
	if (prog->blinded)
		s->flags |= BPFRT_PROG_F_BLINDED;
	if (prog->jited && prog->aux->func_cnt) {
		/* The functions are JITed (and blinded) one by one. */
		for (i = 0; i < prog->aux->func_cnt; i++) {
			s->insn_cnt += prog->aux->func[i]->len;
			if (prog->aux->func[i]->blinded)
				s->flags |= BPFRT_PROG_F_BLINDED;
		}
	} else {
		s->insn_cnt = prog->len;
	}
	if (prog->jited)
		s->flags |= BPFRT_PROG_F_JITED;
	if (prog->type == BPF_PROG_TYPE_EXT)
		s->flags |= BPFRT_PROG_F_EXT;
}

/*
 * The record and its arrays (images, call sites, maps) in one allocation:
 * a load pays for each allocation it makes, and they live and die
 * together. Sites are sized for every call instruction.
 */
static struct bpfrt_prog_rec *bpfrt_rec_alloc(struct bpfrt_rec_ctx *c)
{
	const struct bpf_prog *prog = c->prog;
	u32 maps = min_t(u32, prog->aux->used_map_cnt, BPFRT_AN_MAX_MAPS);
	u32 images = prog->jited ? c->func_cnt : 0, calls = 0, f, i;
	struct bpfrt_prog_rec *rec;
	size_t size;
	u8 *p;

	for (f = 0; images && f < c->func_cnt; f++)
		for (i = 0; i < c->fprogs[f]->len; i++)
			if (c->fprogs[f]->insnsi[i].code == (BPF_JMP | BPF_CALL))
				calls++;
	size = ALIGN(sizeof(*rec), 8) + images * sizeof(*rec->images) +
	       calls * sizeof(*rec->sites) + maps * sizeof(*rec->maps);
	rec = kvzalloc(size, GFP_KERNEL);
	if (!rec)
		return NULL;
	p = (u8 *)rec + ALIGN(sizeof(*rec), 8);
	if (images)
		rec->images = (void *)p;
	p += images * sizeof(*rec->images);
	if (calls)
		rec->sites = (void *)p;
	p += calls * sizeof(*rec->sites);
	if (maps)
		rec->maps = (void *)p;
	rec->map_cnt = maps;
	rec->mem_bytes = size;
	return rec;
}

struct bpfrt_prog_rec *bpfrt_rec_build(const struct bpf_prog *prog,
				       const struct bpfrt_jit_map *maps,
				       u32 map_cnt, bool estimate)
{
	struct bpfrt_rec_ctx c = { .prog = prog };
	struct bpfrt_prog_rec *rec;
	u32 f;

	c.func_cnt = bpfrt_prog_funcs(&c.prog, &c.fprogs);
	rec = bpfrt_rec_alloc(&c);
	if (!rec)
		return ERR_PTR(-ENOMEM);
	INIT_LIST_HEAD(&rec->est_node);
	rec->aux = prog->aux;
	rec->prog = prog;
	rec->verified_insns = prog->aux->verified_insns;
	rec->func_cnt = c.func_cnt;
	bpfrt_fill_maps(rec);
	if (prog->jited) {
		for (f = 0; f < c.func_cnt; f++) {
			rec->images[f].start = (void *)c.fprogs[f]->bpf_func;
			rec->images[f].len = c.fprogs[f]->jited_len;
			rec->images[f].insn_cnt = c.fprogs[f]->len;
			rec->jited_len += c.fprogs[f]->jited_len;
		}
		if (bpfrt_find_sites(&c, rec, maps, map_cnt))
			rec->sum.flags |= BPFRT_PROG_F_TERMINABLE;
	}
	bpfrt_classify_funcs(&c, rec);

	if (estimate)
		bpfrt_estimate_new(rec);
	else
		rec->est_state = BPFRT_EST_QUEUED;
	bpfrt_fill_summary(rec);
	return rec;
}
