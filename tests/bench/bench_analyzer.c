// SPDX-License-Identifier: GPL-2.0
/*
 * Analysis time and peak memory of the analyzer against program size, from
 * 100 to 1,000,000 instructions, for two program shapes:
 *
 *   typical  what compiled BPF looks like: straight-line code, diamonds,
 *            early exits to a shared exit, helper calls, stack spills,
 *            counted loops (some nested, some with the counter on the
 *            stack), bpf_loop with callbacks, subprogram calls
 *   branchy  the analysis' worst case among valid programs: every
 *            instruction a conditional jump to a random later instruction
 *            (one block per instruction, two edges each, many live merges)
 *
 * For each, a least-squares fit of log(time) and log(peak bytes) against
 * log(instructions) gives the growth exponent (1 = linear).
 * Writes a text report and one JSON line to the file named on the command
 * line (default tests/out/bench-analyzer.txt) and to stdout.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/bpf.h>
#include "../../module/analyzer/analyzer.h"

/* ---- memory accounting (the library is built with BPFRT_AN_TEST_ALLOC) -- */

#include "../an_test_alloc.h"

/* ---- program generators ---- */

#define I(c, d, s, o, i) \
	((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), \
			    .off = (o), .imm = (i) })

struct gen {
	struct bpf_insn *p;
	struct bpfrt_an_annot *a;
	uint32_t n, cap;
	uint32_t *early;	/* jumps to patch to the final exit */
	uint32_t nearly;
	uint64_t rnd;
};

static uint32_t rnd(struct gen *g)
{
	g->rnd ^= g->rnd << 13;
	g->rnd ^= g->rnd >> 7;
	g->rnd ^= g->rnd << 17;
	return (uint32_t)(g->rnd >> 11);
}

static void emit(struct gen *g, struct bpf_insn in)
{
	if (g->n < g->cap)
		g->p[g->n++] = in;
}

static void alu(struct gen *g, int k)
{
	static const uint8_t ops[] = { BPF_ADD, BPF_SUB, BPF_XOR, BPF_AND,
				       BPF_OR, BPF_LSH, BPF_RSH, BPF_MUL };

	while (k--)
		emit(g, I(BPF_ALU64 | ops[rnd(g) % 8] | BPF_K, 6 + rnd(g) % 3,
			  0, 0, 1 + rnd(g) % 7));
}

static void snippet(struct gen *g, int depth);

static void diamond(struct gen *g)
{
	uint32_t j = g->n, k;

	emit(g, I(BPF_JMP | BPF_JGT | BPF_K, 7, 0, 0, 100));
	alu(g, 2 + rnd(g) % 4);
	k = g->n;
	emit(g, I(BPF_JMP | BPF_JA, 0, 0, 0, 0));
	g->p[j].off = g->n - j - 1;
	alu(g, 1 + rnd(g) % 3);
	g->p[k].off = g->n - k - 1;
}

static void helper(struct gen *g)
{
	emit(g, I(BPF_ALU64 | BPF_MOV | BPF_X, 1, 6, 0, 0));
	emit(g, I(BPF_ALU64 | BPF_MOV | BPF_K, 2, 0, 0, 8));
	emit(g, I(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_ktime_get_ns));
	emit(g, I(BPF_ALU64 | BPF_MOV | BPF_X, 8, 0, 0, 0));
}

/* an exit block shared by the early exits before it (jumps are 16-bit) */
static void flush_exits(struct gen *g)
{
	uint32_t i;

	emit(g, I(BPF_JMP | BPF_JA, 0, 0, 2, 0));
	for (i = 0; i < g->nearly; i++)
		g->p[g->early[i]].off = g->n - g->early[i] - 1;
	g->nearly = 0;
	emit(g, I(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 1));
	emit(g, I(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
}

static void early_exit(struct gen *g)
{
	if (g->nearly && g->n - g->early[0] > 20000)
		flush_exits(g);
	if (g->nearly < g->cap) {
		g->early[g->nearly++] = g->n;
		emit(g, I(BPF_JMP | BPF_JEQ | BPF_K, 8, 0, 0, 0));
	}
}

/* for (r9 = 0; r9 < K; r9++) { ... }, the counter sometimes on the stack */
static void loop(struct gen *g, int depth)
{
	uint32_t head, k = 2 + rnd(g) % 30;
	int stack = rnd(g) % 3 == 0;
	int reg = depth % 2 ? 9 : 5;

	emit(g, I(BPF_ALU64 | BPF_MOV | BPF_K, reg, 0, 0, 0));
	if (stack)
		emit(g, I(BPF_STX | BPF_MEM | BPF_DW, 10, reg, -8 * (depth + 1),
			  0));
	head = g->n;
	if (stack)
		emit(g, I(BPF_LDX | BPF_MEM | BPF_DW, reg, 10, -8 * (depth + 1),
			  0));
	snippet(g, depth + 1);
	if (stack)
		emit(g, I(BPF_LDX | BPF_MEM | BPF_DW, reg, 10, -8 * (depth + 1),
			  0));
	emit(g, I(BPF_ALU64 | BPF_ADD | BPF_K, reg, 0, 0, 1));
	if (stack)
		emit(g, I(BPF_STX | BPF_MEM | BPF_DW, 10, reg, -8 * (depth + 1),
			  0));
	emit(g, I(BPF_JMP | BPF_JLT | BPF_K, reg, 0, head - g->n - 1, k));
}

static void bpf_loop(struct gen *g)
{
	emit(g, I(BPF_ALU64 | BPF_MOV | BPF_K, 1, 0, 0, 16 + rnd(g) % 100));
	g->a[g->n] = (struct bpfrt_an_annot){ .kind = BPFRT_AN_K_LD_FUNC,
					      .id = 1 };
	emit(g, I(BPF_LD | BPF_IMM | BPF_DW, 2, BPF_PSEUDO_FUNC, 0, 0));
	emit(g, I(0, 0, 0, 0, 0));
	emit(g, I(BPF_ALU64 | BPF_MOV | BPF_K, 3, 0, 0, 0));
	emit(g, I(BPF_ALU64 | BPF_MOV | BPF_K, 4, 0, 0, 0));
	emit(g, I(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_loop));
}

static void subcall(struct gen *g)
{
	g->a[g->n] = (struct bpfrt_an_annot){ .kind = BPFRT_AN_K_FUNC,
					      .id = 2 };
	emit(g, I(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, 0));
}

static void snippet(struct gen *g, int depth)
{
	uint32_t r = rnd(g) % 100;

	if (r < 30)
		alu(g, 3 + rnd(g) % 6);
	else if (r < 55)
		diamond(g);
	else if (r < 65)
		helper(g);
	else if (r < 75)
		early_exit(g);
	else if (r < 85 && depth < 3)
		loop(g, depth);
	else if (r < 90 && depth == 0)
		bpf_loop(g);
	else if (r < 95)
		subcall(g);
	else
		emit(g, I(BPF_STX | BPF_MEM | BPF_DW, 10, 7, -64, 0));
}

static void typical(struct gen *g)
{
	uint32_t i;

	while (g->n + 200 < g->cap)
		snippet(g, 0);
	while (g->n + 2 < g->cap)
		alu(g, 1);
	for (i = 0; i < g->nearly; i++)
		g->p[g->early[i]].off = g->n - g->early[i] - 1;
	emit(g, I(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0));
	emit(g, I(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
}

static void branchy(struct gen *g)
{
	while (g->n + 2 < g->cap) {
		uint32_t left = g->cap - 2 - g->n;

		emit(g, I(BPF_JMP | BPF_JGT | BPF_K, 1 + rnd(g) % 5, 0,
			  (int16_t)(rnd(g) % (left < 30000 ? left : 30000)),
			  (int32_t)rnd(g) % 1000));
	}
	emit(g, I(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0));
	emit(g, I(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
}

/* ---- measurement ---- */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

struct point {
	uint32_t n;
	double t;
	double bytes;
	uint64_t worst_ns;
	uint32_t flags;
};

static int measure(int shape, uint32_t n, struct point *pt,
		   const struct bpfrt_cost_model *cm)
{
	static const struct bpf_insn cb[] = {
		I(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0),
		I(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
	};
	static const struct bpf_insn sub[] = {
		I(BPF_ALU64 | BPF_ADD | BPF_K, 1, 0, 0, 1),
		I(BPF_JMP | BPF_JGT | BPF_K, 1, 0, 1, 5),
		I(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 1),
		I(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
	};
	/* main + the callback (2) + the subprogram (4) = n instructions */
	struct gen g = { .cap = n - 6, .rnd = 0x9e3779b97f4a7c15ULL ^ n };
	struct bpfrt_an_func f[3];
	struct bpfrt_an_prog prog = { .funcs = f, .func_cnt = 3 };
	struct bpfrt_an_result res;
	double best = 1e9, t0;
	int rep, reps, err = 0;

	g.p = calloc(n, sizeof(*g.p));
	g.a = calloc(n, sizeof(*g.a));
	g.early = calloc(n, sizeof(*g.early));
	if (!g.p || !g.a || !g.early)
		return -ENOMEM;
	if (shape == 0)
		typical(&g);
	else
		branchy(&g);
	f[0] = (struct bpfrt_an_func){ .insns = g.p, .insn_cnt = g.n,
				       .annot = g.a };
	f[1] = (struct bpfrt_an_func){ .insns = cb, .insn_cnt = 2 };
	f[2] = (struct bpfrt_an_func){ .insns = sub, .insn_cnt = 4 };
	reps = n <= 10000 ? 20 : n <= 100000 ? 5 : 3;
	for (rep = 0; rep < reps; rep++) {
		an_test_reset();
		t0 = now_s();
		err = bpfrt_an_estimate(&prog, cm, &res);
		t0 = now_s() - t0;
		if (err)
			break;
		if (t0 < best)
			best = t0;
	}
	pt->n = g.n + 6;
	pt->t = best;
	pt->bytes = (double)an_test_peak;
	pt->worst_ns = res.worst_ns;
	pt->flags = res.flags;
	free(g.p);
	free(g.a);
	free(g.early);
	return err;
}

static double fit(const struct point *p, int k, int mem)
{
	double sx = 0, sy = 0, sxx = 0, sxy = 0;
	int i;

	for (i = 0; i < k; i++) {
		double x = log(p[i].n), y = log(mem ? p[i].bytes : p[i].t);

		sx += x;
		sy += y;
		sxx += x * x;
		sxy += x * y;
	}
	return (k * sxy - sx * sy) / (k * sxx - sx * sx);
}

int main(int argc, char **argv)
{
	static const uint32_t sizes[] = { 100, 300, 1000, 3000, 10000, 30000,
					  100000, 300000, 1000000 };
	static const char *const shapes[] = { "typical", "branchy" };
	enum { NS = sizeof(sizes) / sizeof(sizes[0]) };
	const char *path = argc > 1 ? argv[1] : "tests/out/bench-analyzer.txt";
	struct bpfrt_cost_model *cm = malloc(sizeof(*cm));
	struct point pts[2][NS];
	double et[2], em[2];
	FILE *out;
	int s, i;

	if (!cm)
		return 1;
	bpfrt_cost_model_default(cm);
	out = fopen(path, "w");
	if (!out) {
		perror(path);
		return 1;
	}
	for (s = 0; s < 2; s++) {
		for (i = 0; i < NS; i++) {
			int err = measure(s, sizes[i], &pts[s][i], cm);

			if (err) {
				fprintf(stderr, "%s n=%u: error %d\n", shapes[s],
					sizes[i], err);
				return 1;
			}
		}
		/* fit from 1000 instructions: below, fixed costs dominate */
		et[s] = fit(&pts[s][2], NS - 2, 0);
		em[s] = fit(&pts[s][2], NS - 2, 1);
	}
	for (s = 0; s < 2; s++) {
		FILE *o[2] = { stdout, out };
		int k;

		for (k = 0; k < 2; k++) {
			fprintf(o[k], "analyzer bench, %s programs\n", shapes[s]);
			fprintf(o[k], "%10s %12s %12s %10s %14s\n", "insns",
				"time_us", "ns_per_insn", "peak_kib",
				"bytes_per_insn");
			for (i = 0; i < NS; i++) {
				const struct point *p = &pts[s][i];

				fprintf(o[k], "%10u %12.1f %12.1f %10.0f %14.1f\n",
					p->n, p->t * 1e6, p->t * 1e9 / p->n,
					p->bytes / 1024, p->bytes / p->n);
			}
			fprintf(o[k],
				"fitted exponent (1000..1M insns): time %.3f, memory %.3f\n\n",
				et[s], em[s]);
		}
	}
	for (s = 0; s < 2; s++) {
		FILE *o[2] = { stdout, out };
		int k;

		for (k = 0; k < 2; k++) {
			fprintf(o[k], "{\"bench\":\"analyzer\",\"shape\":\"%s\","
				"\"time_exponent\":%.3f,\"memory_exponent\":%.3f,"
				"\"points\":[", shapes[s], et[s], em[s]);
			for (i = 0; i < NS; i++)
				fprintf(o[k], "%s{\"insns\":%u,\"time_us\":%.1f,"
					"\"peak_bytes\":%.0f}", i ? "," : "",
					pts[s][i].n, pts[s][i].t * 1e6,
					pts[s][i].bytes);
			fprintf(o[k], "]}\n");
		}
	}
	fclose(out);
	free(cm);
	/* near-linear: fail the bench if growth is clearly super-linear */
	return et[0] > 1.3 || et[1] > 1.3 || em[0] > 1.15 || em[1] > 1.15;
}
