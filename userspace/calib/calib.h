/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `bpfrt calibrate`: measures this machine's cost model (instruction
 * classes, helpers, map operations) and produces a struct bpfrt_cost_model
 * plus the notes a cost table file keeps (what was measured, how, and what
 * was not, with the reason).
 */
#ifndef _BPFRT_CALIB_H
#define _BPFRT_CALIB_H

#include <stdbool.h>
#include <stdio.h>

#include "analyzer.h"
#include "bench.h"
#include "costtab.h"

struct calib_opts {
	bool quick;		/* fewer rounds, sizes and program types */
	FILE *progress;		/* progress lines, or NULL */
	bool progress_tty;	/* rewrite one line with \r */
};

/*
 * Runs the whole calibration and fills @tab (costtab_init()ed by the
 * caller): the model starts as the built-in table, measured entries
 * replace their defaults and get their measured bit. Returns 0 or a
 * negative errno (the environment could not be set up).
 */
int calib_run_all(const struct calib_opts *o, struct costtab *tab);

/* Stages, each adding its entries and notes to @tab. */
struct calib_run;
int calib_insns(struct calib_run *cr);
int calib_helpers(struct calib_run *cr);
int calib_maps(struct calib_run *cr);

/* Shared by the stages (calibrate.c). */
struct calib_run {
	const struct calib_opts *o;
	struct calib_env env;
	struct costtab *tab;
	int param_fd;			/* array, one 256-byte value */
	unsigned int rounds;
	double quantile;		/* stats.h */
	double margin;
	const char *stage;
	unsigned int stage_no, stages;
	double stage_t0;		/* CLOCK_MONOTONIC s, stage start */
};

/* CLOCK_MONOTONIC in seconds. */
double calib_now_s(void);
/* Starts stage @name (its time is reported with its last round). */
void calib_stage(struct calib_run *cr, const char *name);

/*
 * The parameter map: one array value of CALIB_PARAM_SIZE bytes. Words 0-6
 * are operands programs read (R2-R5, R9, bpf_loop flags 0, an empty
 * prog-array index), word 7 the map stage's miss offset; word 15 receives a helper's return value; bytes
 * 128-255 are scratch memory for the store benchmarks.
 */
#define CALIB_PARAM_SIZE	256
#define PARAM_WORDS		(CALIB_PARAM_SIZE / 8)

/* Writes the operands of round @round into the parameter map. */
void calib_set_params(struct calib_run *cr, unsigned int round);
/* Emits: R8 = pointer to the parameter value; R2..R5, R9 = its first five
 * words; the first 64 bytes of the stack = those words.
 */
void calib_emit_operands(struct calib_prog *p, struct calib_run *cr);
/*
 * The cost of one unit of @it from its samples (stats.h), and its note
 * (program type, samples, discarded batches, how or why not). False when
 * the item failed or has too few clean batches.
 */
bool calib_item_cost(struct calib_run *cr, struct calib_item *it,
		     struct bpfrt_cost *c, struct costtab_note *n);
/* Runs the engine over @items with a progress line for the stage. */
void calib_measure(struct calib_run *cr, struct calib_item **items,
		   unsigned int n);

#endif /* _BPFRT_CALIB_H */
