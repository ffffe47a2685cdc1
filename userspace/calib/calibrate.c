// SPDX-License-Identifier: GPL-2.0
/*
 * `bpfrt calibrate`: the whole run. Sets up the measuring environment
 * (bench.h), the parameter map the benchmarks read their operands from,
 * runs the stages (instructions, helpers, map operations) and records in
 * the table how, where and when it was measured.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <bpf/bpf.h>

#include "bpfrt_version.h"
#include "calib.h"
#include "stats.h"

/* stats.h explains both; bpfrt(8) too. */
#define CALIB_QUANTILE	0.95
#define CALIB_MARGIN	0.25
#define CALIB_ROUNDS	100
#define CALIB_ROUNDS_QUICK 20


void calib_set_params(struct calib_run *cr, unsigned int round)
{
	__u64 v[CALIB_PARAM_SIZE / 8];
	__u32 key = 0, i;
	__u64 x = 0x9e3779b97f4a7c15ULL * (round + 1);

	/*
	 * Operands change every round: small and large, positive and
	 * negative, so data-dependent instructions (division, multiply on
	 * some machines) see their range.
	 */
	for (i = 0; i < CALIB_PARAM_SIZE / 8; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		v[i] = x;
	}
	v[0] = round & 1 ? x | 1 : (x & 0xffff) | 1;
	v[1] = round & 2 ? ~0ULL - round : round + 3;
	v[4] = 1000 + (round * 397) % 4000;	/* R9: jumps (insns.c) */
	v[5] = 0;				/* bpf_loop flags */
	v[6] = 1;				/* empty prog-array slot */
	v[7] = round & 1 ? 256 : 0;		/* maps.c: keys beyond the filled */
	bpf_map_update_elem(cr->param_fd, &key, v, BPF_ANY);
}

void calib_emit_operands(struct calib_prog *p, struct calib_run *cr)
{
	static const int regs[] = { BPF_REG_2, BPF_REG_3, BPF_REG_4,
				    BPF_REG_5, BPF_REG_9 };
	int i;

	calib_emit_ld_map_value(p, BPF_REG_8, cr->param_fd, 0);
	for (i = 0; i < 5; i++)
		calib_emit(p, CI_LDX(BPF_DW, regs[i], BPF_REG_8, i * 8));
	for (i = 0; i < 8; i++)
		calib_emit(p, CI_STX(BPF_DW, BPF_REG_10, regs[i % 5],
				     -8 * (i + 1)));
}

struct progress_state {
	struct calib_run *cr;
	unsigned int last_pct;
	unsigned int items;
	double t0;		/* when the stage began */
};


/* Before each round (and once after the last): new operands, progress. */
static void on_round(void *arg, unsigned int round, unsigned int rounds)
{
	struct progress_state *ps = arg;
	struct calib_run *cr = ps->cr;
	FILE *f = cr->o->progress;
	unsigned int pct = rounds ? round * 100 / rounds : 100;

	if (round < rounds)
		calib_set_params(cr, round);
	if (!f)
		return;
	if (cr->o->progress_tty) {
		fprintf(f, "\rcalibrate: [%u/%u] %s: %u items, round %u/%u ",
			cr->stage_no, cr->stages, cr->stage, ps->items, round,
			rounds);
		if (round == rounds)
			fprintf(f, "(%.1f s)\n", calib_now_s() - ps->t0);
	} else if (round == rounds || round == 0 ||
		   pct >= ps->last_pct + 25) {
		fprintf(f, "calibrate: [%u/%u] %s: %u items, round %u/%u",
			cr->stage_no, cr->stages, cr->stage, ps->items, round,
			rounds);
		if (round == rounds)
			fprintf(f, " (%.1f s)", calib_now_s() - ps->t0);
		fputc('\n', f);
		ps->last_pct = pct;
	}
	fflush(f);
}

void calib_stage(struct calib_run *cr, const char *name)
{
	cr->stage = name;
	cr->stage_t0 = calib_now_s();
}

void calib_measure(struct calib_run *cr, struct calib_item **items,
		   unsigned int n)
{
	struct progress_state ps = { .cr = cr, .items = n,
				     .t0 = cr->stage_t0 };

	cr->stage_no++;
	calib_set_params(cr, 0);
	calib_engine_run(&cr->env, items, n, cr->rounds, on_round, &ps);
}

bool calib_item_cost(struct calib_run *cr, struct calib_item *it,
		     struct bpfrt_cost *c, struct costtab_note *n)
{
	struct calib_stat_cfg cfg = { cr->quantile, cr->margin };
	int ret;

	if (getenv("BPFRT_CALIB_DEBUG"))
		fprintf(stderr, "calib: %-40s %-10s err %d units %u rep %u test %u base %u dirty %u | test min %.1f med %.1f q %.1f | base min %.1f med %.1f\n",
			it->name, calib_type_name(it->type), it->err, it->units,
			it->repeat, it->test.n, it->base.n, it->dirty,
			calib_min(it->test.v, it->test.n),
			calib_median(it->test.v, it->test.n),
			calib_quantile(it->test.v, it->test.n, cr->quantile),
			calib_min(it->base.v, it->base.n),
			calib_median(it->base.v, it->base.n));
	memset(n, 0, sizeof(*n));
	n->present = true;
	snprintf(n->types, sizeof(n->types), "%s", calib_type_name(it->type));
	n->samples = it->test.n + it->base.n;
	n->discarded = it->dirty;
	if (it->err) {
		snprintf(n->reason, sizeof(n->reason), "%.60s: %s", it->name,
			 calib_strerror(it->err));
		return false;
	}
	ret = calib_unit_cost(it->test.v, it->test.n, it->base.v, it->base.n,
			      it->units, &cfg, c);
	if (ret) {
		snprintf(n->reason, sizeof(n->reason), "%.60s: %s", it->name,
			 ret == -ENODATA ? "too few clean batches" :
			 strerror(-ret));
		return false;
	}
	snprintf(n->reason, sizeof(n->reason),
		 "%.60s: %u copies, %u runs per batch", it->name, it->units,
		 it->repeat);
	return true;
}

static void provenance(struct costtab *t)
{
	struct utsname u;
	char line[256];
	time_t now = time(NULL);
	struct tm tm;
	FILE *f;

	snprintf(t->tool_version, sizeof(t->tool_version), "%s",
		 BPFRT_VERSION);
	gmtime_r(&now, &tm);
	strftime(t->created, sizeof(t->created), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (!uname(&u)) {
		snprintf(t->hostname, sizeof(t->hostname), "%s", u.nodename);
		snprintf(t->arch, sizeof(t->arch), "%.31s", u.machine);
		snprintf(t->kernel_release, sizeof(t->kernel_release), "%s",
			 u.release);
		snprintf(t->kernel_version, sizeof(t->kernel_version), "%s",
			 u.version);
	}
	t->cpus = sysconf(_SC_NPROCESSORS_ONLN) > 0 ?
		  (unsigned int)sysconf(_SC_NPROCESSORS_ONLN) : 0;
	f = fopen("/proc/cpuinfo", "r");
	while (f && fgets(line, sizeof(line), f)) {
		char *c = strchr(line, ':');

		if (!strncmp(line, "model name", 10) && c) {
			c++;
			while (*c == ' ')
				c++;
			c[strcspn(c, "\n")] = '\0';
			snprintf(t->cpu_model, sizeof(t->cpu_model), "%s", c);
			break;
		}
	}
	if (f)
		fclose(f);
	/* what `bpfrt costs show` and the module will say */
	snprintf(t->description, sizeof(t->description), "calibrated %.10s on %.16s, %.20s",
		 t->created, t->hostname, t->kernel_release);
}

double calib_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int calib_run_all(const struct calib_opts *o, struct costtab *tab)
{
	struct rlimit rl = { 65536, 65536 };
	struct calib_run cr = { .o = o, .tab = tab, .param_fd = -1 };
	double t0 = calib_now_s();
	int ret;

	/* one fd per program: helpers on several types add up */
	if (setrlimit(RLIMIT_NOFILE, &rl)) {
		getrlimit(RLIMIT_NOFILE, &rl);
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	ret = calib_env_open(&cr.env);
	if (ret)
		return ret;
	cr.param_fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "bpfrt_cparam", 4,
				     CALIB_PARAM_SIZE, 1, NULL);
	if (cr.param_fd < 0) {
		ret = -errno;
		goto out;
	}
	cr.rounds = o->quick ? CALIB_ROUNDS_QUICK : CALIB_ROUNDS;
	cr.quantile = CALIB_QUANTILE;
	cr.margin = CALIB_MARGIN;
	cr.stages = 3;

	provenance(tab);
	tab->quick = o->quick;
	tab->rounds = cr.rounds;
	tab->quantile = cr.quantile;
	tab->margin = cr.margin;
	snprintf(tab->timing, sizeof(tab->timing),
		 "BPF_PROG_TEST_RUN duration (repeat) or in-program bpf_ktime_get_ns; test minus base program, per copy; CPU %d",
		 cr.env.cpu);
	snprintf(tab->outlier_rule, sizeof(tab->outlier_rule),
		 cr.env.irq_ok ?
		 "batches an interrupt hit are discarded (counted on %s); worst = q%.0f of the rest x %.2f" :
		 "no interrupt counter (%s); worst = q%.0f of all batches x %.2f",
		 cr.env.irq_ok ? "irq tracepoints" : "unavailable",
		 cr.quantile * 100, 1 + cr.margin);
	if (o->progress && !cr.env.irq_ok)
		fprintf(o->progress,
			"calibrate: warning: interrupts cannot be counted; no batch is discarded\n");

	ret = calib_insns(&cr);
	if (!ret)
		ret = calib_helpers(&cr);
	if (!ret)
		ret = calib_maps(&cr);
	tab->calibrate_s = calib_now_s() - t0;
out:
	if (cr.param_fd >= 0)
		close(cr.param_fd);
	calib_env_close(&cr.env);
	return ret;
}
