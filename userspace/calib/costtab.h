/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Cost table files: a struct bpfrt_cost_model (what the module uses) plus
 * what a person needs to trust it: the machine and kernel it was measured
 * on, the method, and for every entry whether it was measured (with its
 * sample counts) or not (with the reason). JSON, read and written with
 * json-c; the format is described in bpfrt(8), COST TABLES.
 *
 * Loading starts from the built-in table: an entry the file does not have
 * keeps its built-in value and stays "not measured", so estimates that use
 * it are flagged (BPFRT_EST_F_DEFAULT_COST).
 */
#ifndef _BPFRT_CALIB_COSTTAB_H
#define _BPFRT_CALIB_COSTTAB_H

#include <stdbool.h>
#include <stddef.h>

#include "analyzer.h"

#define COSTTAB_FORMAT		"bpfrt-costs"
#define COSTTAB_FORMAT_VERSION	1

#define COSTTAB_STR		128
#define COSTTAB_NOTE		160

/* What is known of one entry besides its three values. */
struct costtab_note {
	bool present;		/* listed in the file (or measured) */
	unsigned int samples;	/* clean batches used (test + base) */
	unsigned int discarded;	/* batches discarded: an interrupt hit them */
	char types[COSTTAB_STR];/* program types measured on, "xdp,sched_cls" */
	char reason[COSTTAB_NOTE]; /* not measured: why; measured: how */
};

struct costtab {
	struct bpfrt_cost_model cm;
	/* provenance */
	char created[32];		/* UTC, ISO 8601 */
	char tool_version[32];
	char hostname[COSTTAB_STR];
	char arch[32];
	char cpu_model[COSTTAB_STR];
	unsigned int cpus;
	char kernel_release[COSTTAB_STR];
	char kernel_version[COSTTAB_STR];
	char description[64];		/* uploaded with the table */
	/* method */
	bool quick;
	unsigned int rounds;
	double quantile;		/* of clean batches, for worst */
	double margin;			/* worst = quantile * (1 + margin) */
	char timing[COSTTAB_NOTE];
	char outlier_rule[COSTTAB_NOTE];
	double calibrate_s;		/* how long calibration took */
	/* per entry */
	struct costtab_note insn[BPFRT_CM_INSN_CLASSES];
	struct costtab_note helper[BPFRT_CM_MAX_HELPERS];
	struct costtab_note map_op[BPFRT_CM_MAX_MAP_TYPES][BPFRT_CM_MAP_OPS];
};

/* Built-in model, no provenance, no notes. */
void costtab_init(struct costtab *t);

/* Name of an instruction class ("alu64") or NULL; and back (-1). */
const char *costtab_insn_name(unsigned int ic);
int costtab_insn_by_name(const char *name);

/*
 * Serialises @t. Returns a malloc()ed NUL-terminated string or NULL.
 * Every entry that is measured, has a note, or differs from the built-in
 * table is written; the rest is implied by "start from built-in".
 */
char *costtab_to_json(const struct costtab *t, bool pretty);

/* The same as a json-c object (the caller json_object_put()s it), so more
 * members can be added; and its text, valid until the object is put.
 */
struct json_object;
struct json_object *costtab_json_object(const struct costtab *t);
const char *costtab_json_string(struct json_object *o, bool pretty);

/*
 * Parses @text into @t (which is costtab_init()ed first). Returns 0, or
 * -EINVAL with a message in @err: not JSON, another format, an unsupported
 * format or cost-model version, an unknown name, a value that is not a
 * non-negative integer, or a table that fails bpfrt_cost_model_validate().
 */
int costtab_from_json(const char *text, struct costtab *t, char *err,
		      size_t errlen);

int costtab_load_file(const char *path, struct costtab *t, char *err,
		      size_t errlen);
int costtab_save_file(const char *path, const struct costtab *t, char *err,
		      size_t errlen);

/* Marks an entry measured or not. */
void costtab_set_insn(struct costtab *t, unsigned int ic,
		      const struct bpfrt_cost *c, bool measured);
void costtab_set_helper(struct costtab *t, unsigned int id,
			const struct bpfrt_cost *c, bool measured);
void costtab_set_map_op(struct costtab *t, unsigned int type, unsigned int op,
			const struct bpfrt_cost *c, bool measured);
bool costtab_insn_measured(const struct costtab *t, unsigned int ic);
bool costtab_helper_measured(const struct costtab *t, unsigned int id);
bool costtab_map_op_measured(const struct costtab *t, unsigned int type,
			     unsigned int op);

#endif /* _BPFRT_CALIB_COSTTAB_H */
