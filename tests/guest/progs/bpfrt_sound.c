// SPDX-License-Identifier: GPL-2.0
/* guest-ldflags: -lm */
/*
 * bpfrt_sound [-n BATCHES] [-q QUANTILE] [-m MIN_BATCH_NS] OBJ...
 *
 * Soundness and tightness of the module's estimates (issue 5): every
 * program of the objects is loaded with libbpf (the module records and
 * estimates it), driven along its worst path (the inputs are chosen per
 * program: a table below), and timed with BPF_PROG_TEST_RUN in batches of
 * repeated runs, alternating with batches of an empty program of the same
 * type (r0 = XDP_PASS; exit), which the module also estimates.
 *
 * Per batch, the time of one run is opts.duration (net/bpf/test_run.c:
 * bpf_test_run, the loop timed with ktime_get_ns() and divided by the
 * runs). The harness's own share -- the loop, the call into the program,
 * the program's entry and exit -- is taken out as the empty program
 * measures it:
 *
 *   H        = min over the empty program's batches - its best estimate
 *   observed = batch time - H
 *
 * so the cheapest harness seen is subtracted, and whatever made a batch
 * slower is charged to the program. Against the worst estimate the
 * observation is taken with the least harness the empty program allows
 * (its worst estimate instead of its best: observed + their difference). A batch during which the CPU took an
 * interrupt (a timer, a device, an NMI: counted with irq tracepoints, the
 * calibration's rule, userspace/calib/irqwatch.h) is discarded.
 *
 * XDP test runs with a repeat count re-point the kernel's XDP dispatcher at
 * the program before the timed loop and back after it (net/bpf/test_run.c:
 * bpf_prog_change_xdp), text patching that takes long under emulation and
 * interrupts the CPU -- unless the program is in the dispatcher already
 * (kernel/bpf/dispatcher.c: bpf_dispatcher_add_prog only counts it). So
 * each program is attached, in generic mode, to the loopback device while
 * it is measured, and the empty program to the loopback device of a
 * network namespace of its own; nothing else uses either device.
 *
 * Programs without an entry in the table (how to drive their worst path)
 * are listed and skipped.
 *
 * The observed maximum is the QUANTILE (0.95, the calibration's) of the
 * clean batches: the same rule the cost table's worst values come from,
 * which leaves out the slowest 5% -- slowdowns of the host the guest cannot
 * see. The largest clean batch is reported too. Under instruction counting
 * the host cannot slow the guest down, and the guest case and the bench
 * run with -q 1: the observed maximum is the largest clean batch.
 *
 * Tolerance: the harness's noise, which the subtraction above cannot
 * remove: the 99th percentile of the empty program's batches above their
 * minimum, pooled over the short-running programs of the run (a few
 * hundred batches), and at least the empty program's own spread next to
 * this program (its QUANTILE minus its minimum), and never less than the
 * resolution of what the kernel reports: opts.duration is whole
 * nanoseconds per run (the batch's total divided by the repeat count,
 * truncated), so the program's time and the harness's are each up to 1 ns
 * short. Under instruction counting (make bench, the icount guest cases)
 * the noise is 0 and that resolution is the whole tolerance.
 *
 *   PASS  observed max <= worst estimate + tolerance
 *         and observed max >= best estimate - tolerance
 * (the worst path cannot be faster than the best case). The observed
 * minimum is reported too; it is not held against the best estimate: a
 * class's best cost is measured in a sequence of its own instructions,
 * and emulated code can run a real mix faster.
 *   ratio = worst estimate / observed max (the overestimation)
 *
 * Output: one "SOUND NAME PASS|FAIL ..." line per program, a table, and
 * the median ratio over the programs whose worst path does not depend on
 * their input ("fixed") and over all. Exit status 1 if a program fails or
 * cannot be measured.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <fcntl.h>
#include <net/if.h>
#include <linux/if_link.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/bpfrt.h>

/* The calibration's interrupt watch, shared rather than copied. */
#include "../../../userspace/calib/insn.c"
#include "../../../userspace/calib/irqwatch.c"

#define MAX_SAMPLES	4096
#define LONG_RUN_NS	1000000	/* see measure() */
#define MAX_NOISE	65536
/* opts.duration's resolution: whole ns per run, truncated (see below). */
#define DURATION_RES_NS	1.0

/* The empty program's batches above their minimum, all programs. */
static double noise[MAX_NOISE];
static unsigned int nnoise;

/* How to drive a program along its worst path. */
struct drive {
	const char *prog;
	bool fixed;		/* worst path independent of the input */
	const char *how;
	/* a global to set before load (0: none) */
	const char *global;
	__u64 value;
	/* a hash map to fill after load, keys 0..n-1 */
	const char *fill_map;
	__u32 fill_n;
	/* packet bytes to set: offset, value */
	int pkt_off[2];
	unsigned char pkt_val[2];
};

static const struct drive drives[] = {
	{ .prog = "straight_line", .fixed = true, .how = "any packet" },
	{ .prog = "bounded_loop", .fixed = true, .how = "64 iterations, any packet" },
	{ .prog = "branchy", .fixed = false, .how = "packet[14] odd, packet[15] > 100: both inner branches",
	  .pkt_off = { 14, 15 }, .pkt_val = { 1, 200 } },
	{ .prog = "loop_const", .fixed = true, .how = "bpf_loop(1000), inlined" },
	{ .prog = "loop_var", .fixed = false, .how = "nr_loops = 2^23, the kernel's cap the estimate assumes",
	  .global = "nr_loops", .value = 1u << 23 },
	{ .prog = "loop_flags", .fixed = true, .how = "bpf_loop(500) through the helper" },
	{ .prog = "each_array", .fixed = true, .how = "256 elements" },
	{ .prog = "each_hash", .fixed = false, .how = "hash filled with 1000 elements (max_entries)",
	  .fill_map = "hash", .fill_n = 1000 },
	{ .prog = "subprog", .fixed = true, .how = "two calls and a global function" },
	{ .prog = "tail_target", .fixed = true, .how = "any packet" },
	{ .prog = "map_ops", .fixed = true, .how = "every lookup finds the element just updated" },
	{ .prog = "tail_caller", .fixed = true, .how = "empty program array: the tail call falls through (the estimate excludes targets)" },
};

#define N_DRIVES (sizeof(drives) / sizeof(drives[0]))

struct result {
	char name[32];
	bool known, fixed, pass, measured, skipped;
	bool long_runs;		/* interrupted batches kept */
	__u32 repeat, clean, total;
	double best_ns, worst_ns;
	double obs_min, obs_q, obs_max, tol;
	double spread;		/* the empty program's worst - best estimate */
	double ratio;
	char why[160];
};

static struct irqwatch irq;
static bool irq_ok;
static int cpu;
static unsigned int nbatches = 30;
static double quantile = 0.95;
static double min_batch_ns = 500000;

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Nearest rank, as the calibration's (userspace/calib/stats.c). */
static double quant(double *v, unsigned int n, double q)
{
	unsigned int k;

	if (!n)
		return NAN;
	qsort(v, n, sizeof(*v), cmp_double);
	k = (unsigned int)ceil(q * n - 1e-9);
	if (k < 1)
		k = 1;
	return v[(k > n ? n : k) - 1];
}

static const struct drive *find_drive(const char *name)
{
	size_t i;

	for (i = 0; i < N_DRIVES; i++)
		if (!strcmp(drives[i].prog, name))
			return &drives[i];
	return NULL;
}

/* The module's estimate of program @fd (ns). */
static int estimate(int fd, double *best_ns, double *worst_ns, __u32 *flags)
{
	struct bpf_prog_info pi = { 0 };
	struct bpfrt_prog_info info;
	__u32 len = sizeof(pi);
	int dev, ret;

	if (bpf_obj_get_info_by_fd(fd, &pi, &len))
		return -errno;
	dev = open(BPFRT_DEVICE_PATH, O_RDWR);
	if (dev < 0)
		return -errno;
	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	info.id = pi.id;
	ret = ioctl(dev, BPFRT_IOC_PROG_INFO, &info) ? -errno : 0;
	close(dev);
	if (ret)
		return ret;
	if (info.summary.flags & BPFRT_PROG_F_EST_FAILED)
		return -EINVAL;
	*best_ns = info.best_ps / 1000.0;
	*worst_ns = info.worst_ps == BPFRT_UNBOUNDED ? INFINITY :
		    info.worst_ps / 1000.0;
	*flags = info.summary.est_flags;
	return 0;
}

/* One batch: ns per run; *clean false if an interrupt hit the CPU. */
static int batch(int fd, unsigned char *pkt, __u32 repeat, double *ns,
		 bool *clean)
{
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = pkt, .data_size_in = 64,
		    .repeat = repeat);
	__u64 before = irqwatch_count_kinds(&irq, cpu, IRQWATCH_FOREIGN);

	if (bpf_prog_test_run_opts(fd, &o))
		return -errno;
	*clean = irqwatch_count_kinds(&irq, cpu, IRQWATCH_FOREIGN) == before;
	*ns = o.duration;
	return 0;
}

static int empty_prog(void)
{
	struct bpf_insn insns[] = {
		CI_MOV64_IMM(BPF_REG_0, 2),	/* XDP_PASS */
		CI_EXIT(),
	};

	return bpf_prog_load(BPF_PROG_TYPE_XDP, "bpfrt_empty", "GPL", insns,
			     2, NULL);
}

/* Sets global @name of the object's .data or .bss before load. */
static int set_global(struct bpf_object *obj, const char *name, __u64 v)
{
	struct btf *btf = bpf_object__btf(obj);
	struct bpf_map *map;

	if (!btf)
		return -ENOENT;
	bpf_object__for_each_map(map, obj) {
		const char *mn = bpf_map__name(map);
		const char *sec = strstr(mn, ".data") ? ".data" :
				  strstr(mn, ".bss") ? ".bss" : NULL;
		const struct btf_var_secinfo *vs;
		const struct btf_type *t;
		size_t size;
		unsigned char *buf;
		int id, i, ret;

		if (!sec)
			continue;
		id = btf__find_by_name_kind(btf, sec, BTF_KIND_DATASEC);
		if (id < 0)
			continue;
		t = btf__type_by_id(btf, id);
		vs = btf_var_secinfos(t);
		for (i = 0; i < btf_vlen(t); i++, vs++) {
			const struct btf_type *var = btf__type_by_id(btf, vs->type);

			if (strcmp(btf__name_by_offset(btf, var->name_off), name))
				continue;
			buf = malloc(bpf_map__value_size(map));
			if (!buf)
				return -ENOMEM;
			memcpy(buf, bpf_map__initial_value(map, &size), size);
			memcpy(buf + vs->offset, &v, vs->size < 8 ? vs->size : 8);
			ret = bpf_map__set_initial_value(map, buf, size);
			free(buf);
			return ret;
		}
	}
	return -ENOENT;
}

static int fill(struct bpf_object *obj, const char *name, __u32 n)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, name);
	__u64 v = 1;
	__u32 k;

	if (!map)
		return -ENOENT;
	for (k = 0; k < n; k++)
		if (bpf_map__update_elem(map, &k, sizeof(k), &v, sizeof(v),
					 BPF_ANY))
			return -errno;
	return 0;
}

/* Loopback devices holding the programs in the XDP dispatcher. */
static int lo_ifindex;
static bool in_dispatcher;

static int lo_attach(int fd)
{
	return bpf_xdp_attach(lo_ifindex, fd, XDP_FLAGS_SKB_MODE, NULL);
}

static void lo_detach(void)
{
	bpf_xdp_detach(lo_ifindex, XDP_FLAGS_SKB_MODE, NULL);
}

/*
 * The empty program on the loopback device of a namespace of its own,
 * kept alive by the returned fd; 0 when it cannot be done.
 */
static int keep_empty(int empty_fd)
{
	int orig, ns = -1;

	orig = open("/proc/self/ns/net", O_RDONLY);
	if (orig < 0)
		return -errno;
	if (unshare(CLONE_NEWNET))
		goto out;
	ns = open("/proc/self/ns/net", O_RDONLY);
	if (ns >= 0 && lo_attach(empty_fd)) {
		close(ns);
		ns = -1;
	}
out:
	if (setns(orig, CLONE_NEWNET)) {
		perror("setns");
		exit(1);
	}
	close(orig);
	return ns;
}

static void measure(struct bpf_program *prog, int empty_fd,
		    const struct drive *d, struct result *r)
{
	static double obs[MAX_SAMPLES], emp[MAX_SAMPLES];
	double e_best, e_worst, ns, h, e_min, e_q;
	unsigned char pkt[64] = { 0 };
	unsigned int ne = 0, no = 0, i;
	int fd = bpf_program__fd(prog), ret;
	__u32 flags;
	bool clean;

	pkt[12] = 0x08;				/* IPv4 ethertype */
	for (i = 0; d && i < 2; i++)
		if (d->pkt_off[i])
			pkt[d->pkt_off[i]] = d->pkt_val[i];
	ret = estimate(fd, &r->best_ns, &r->worst_ns, &flags);
	if (!ret)
		ret = estimate(empty_fd, &e_best, &e_worst, &flags);
	if (ret) {
		snprintf(r->why, sizeof(r->why), "no estimate from the module: %s",
			 strerror(-ret));
		return;
	}
	/* warm up (the first runs translate code), then size the batches */
	ret = batch(fd, pkt, 1, &ns, &clean);
	if (!ret && ns < min_batch_ns)
		ret = batch(fd, pkt, 16, &ns, &clean);
	if (ret) {
		snprintf(r->why, sizeof(r->why), "test run: %s", strerror(-ret));
		return;
	}
	r->repeat = ns >= min_batch_ns ? 1 :
		    (__u32)(min_batch_ns / (ns > 1 ? ns : 1));
	if (r->repeat > 10000)
		r->repeat = 10000;
	/*
	 * A run longer than a quarter of the timer period (HZ=250: 4 ms)
	 * cannot avoid the tick: such batches are kept with their interrupts
	 * (the observation only gets larger).
	 */
	r->long_runs = ns > LONG_RUN_NS;
	batch(empty_fd, pkt, r->repeat, &ns, &clean);
	for (i = 0; i < nbatches && no < MAX_SAMPLES; i++) {
		r->total++;
		if (!batch(empty_fd, pkt, r->repeat, &ns, &clean) &&
		    (clean || !irq_ok || r->long_runs))
			emp[ne++] = ns;
		if (batch(fd, pkt, r->repeat, &ns, &clean))
			continue;
		if (clean || !irq_ok || r->long_runs)
			obs[no++] = ns;
	}
	r->clean = no;
	if (no < 5 || ne < 5) {
		snprintf(r->why, sizeof(r->why),
			 "too few clean batches (%u of %u)", no, r->total);
		return;
	}
	e_q = quant(emp, ne, quantile);
	e_min = emp[0];			/* sorted by quant() */
	h = e_min - e_best;
	/*
	 * The harness is at least e_min - e_worst: judged against the worst
	 * estimate, the observation carries that much more (judge()).
	 */
	r->spread = e_worst - e_best;
	if (h < 0)
		h = 0;
	for (i = 0; i < no; i++)
		obs[i] -= h;
	r->obs_q = quant(obs, no, quantile);
	r->obs_min = obs[0];
	r->obs_max = obs[no - 1];
	r->tol = e_q - e_min;
	if (r->tol < DURATION_RES_NS)
		r->tol = DURATION_RES_NS;
	r->measured = true;
	r->ratio = r->obs_q > 0 ? r->worst_ns / r->obs_q : INFINITY;
	for (i = 0; !r->long_runs && i < ne && nnoise < MAX_NOISE; i++)
		noise[nnoise++] = emp[i] - e_min;
}

/* The verdict, once the pooled noise of the whole run is known. */
static void judge(struct result *r, double pooled)
{
	if (!r->measured)
		return;
	if (!r->long_runs && pooled > r->tol)
		r->tol = pooled;
	r->pass = r->obs_q + r->spread <= r->worst_ns + r->tol &&
		  r->obs_q >= r->best_ns - r->tol;
	if (!r->pass)
		snprintf(r->why, sizeof(r->why), "%s",
			 r->obs_q + r->spread > r->worst_ns + r->tol ?
			 "observed max above the worst estimate" :
			 "observed max below the best estimate");
}

static int run_object(const char *path, int empty_fd, struct result *res,
		      unsigned int *n, unsigned int max)
{
	struct bpf_program *prog;
	struct bpf_object *obj;
	int ret = 0;

	obj = bpf_object__open_file(path, NULL);
	if (!obj) {
		fprintf(stderr, "open %s: %s\n", path, strerror(errno));
		return 1;
	}
	bpf_object__for_each_program(prog, obj) {
		const struct drive *d = find_drive(bpf_program__name(prog));

		if (d && d->global && set_global(obj, d->global, d->value)) {
			fprintf(stderr, "%s: cannot set %s\n",
				bpf_program__name(prog), d->global);
			ret = 1;
		}
	}
	if (bpf_object__load(obj)) {
		fprintf(stderr, "load %s: %s\n", path, strerror(errno));
		bpf_object__close(obj);
		return 1;
	}
	bpf_object__for_each_program(prog, obj) {
		const struct drive *d = find_drive(bpf_program__name(prog));
		struct result *r;

		if (bpf_program__type(prog) != BPF_PROG_TYPE_XDP || *n >= max)
			continue;
		r = &res[(*n)++];
		memset(r, 0, sizeof(*r));
		snprintf(r->name, sizeof(r->name), "%s", bpf_program__name(prog));
		r->known = d;
		r->fixed = d && d->fixed;
		if (!d) {
			/* never run blind: it may run for hours (runaway) */
			r->skipped = true;
			printf("SOUND %s SKIP no worst-path driver\n", r->name);
			continue;
		}
		if (d->fill_map && fill(obj, d->fill_map, d->fill_n)) {
			snprintf(r->why, sizeof(r->why), "cannot fill map %s",
				 d->fill_map);
			continue;
		}
		if (in_dispatcher && lo_attach(bpf_program__fd(prog))) {
			snprintf(r->why, sizeof(r->why), "attach to lo: %s",
				 strerror(errno));
			continue;
		}
		measure(prog, empty_fd, d, r);
		if (in_dispatcher)
			lo_detach();
		printf("measured %s: %u/%u batches of %u runs\n", r->name,
		       r->clean, r->total, r->repeat);
		fflush(stdout);
	}
	bpf_object__close(obj);
	return ret;
}

static double median_ratio(const struct result *res, unsigned int n,
			   bool fixed_only, unsigned int *cnt)
{
	double v[256];
	unsigned int i, k = 0;

	for (i = 0; i < n && k < 256; i++)
		if (res[i].measured && (!fixed_only || res[i].fixed) &&
		    isfinite(res[i].ratio))
			v[k++] = res[i].ratio;
	*cnt = k;
	if (!k)
		return NAN;
	qsort(v, k, sizeof(*v), cmp_double);
	return k % 2 ? v[k / 2] : (v[k / 2 - 1] + v[k / 2]) / 2;
}

int main(int argc, char **argv)
{
	static struct result res[256];
	unsigned int n = 0, i, nf, na, failed = 0;
	double mf, ma, pooled;
	cpu_set_t set;
	int c, empty_fd, ns_fd, ret = 0;

	while ((c = getopt(argc, argv, "n:q:m:")) != -1) {
		switch (c) {
		case 'n':
			nbatches = atoi(optarg);
			break;
		case 'q':
			quantile = atof(optarg);
			break;
		case 'm':
			min_batch_ns = atof(optarg);
			break;
		default:
			return 2;
		}
	}
	if (optind >= argc || nbatches < 5 || quantile <= 0 || quantile > 1) {
		fprintf(stderr, "usage: bpfrt_sound [-n BATCHES>=5] [-q QUANTILE] [-m MIN_BATCH_NS] OBJ...\n");
		return 2;
	}
	cpu = sched_getcpu();
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
	irq_ok = !irqwatch_open(&irq);
	if (!irq_ok)
		fprintf(stderr, "warning: interrupts cannot be counted: no batch is discarded\n");
	empty_fd = empty_prog();
	if (empty_fd < 0) {
		fprintf(stderr, "empty program: %s\n", strerror(errno));
		return 1;
	}
	lo_ifindex = if_nametoindex("lo");
	ns_fd = lo_ifindex ? keep_empty(empty_fd) : -1;
	in_dispatcher = ns_fd >= 0;
	if (!in_dispatcher)
		fprintf(stderr, "warning: programs are not kept in the XDP dispatcher: every batch re-points it\n");
	for (i = optind; i < (unsigned int)argc; i++)
		ret |= run_object(argv[i], empty_fd, res, &n, 256);
	pooled = nnoise >= 20 ? quant(noise, nnoise, 0.99) : 0;
	for (i = 0; i < n; i++) {
		struct result *r = &res[i];

		if (r->skipped)
			continue;
		judge(r, pooled);
		printf("SOUND %s %s %s %u/%u repeat %u best_ns %.1f worst_ns %.1f obs_min_ns %.1f obs_max_ns %.1f obs_all_max_ns %.1f harness_spread_ns %.1f tol_ns %.1f ratio %.2f%s%s\n",
		       r->name, r->pass ? "PASS" : "FAIL",
		       r->long_runs ? "kept" : "clean", r->clean, r->total,
		       r->repeat, r->best_ns, r->worst_ns, r->obs_min,
		       r->obs_q, r->obs_max, r->spread, r->tol, r->ratio,
		       r->why[0] ? " : " : "", r->why);
	}
	printf("harness noise (pooled q99 of the empty program's batches above their minimum): %.1f ns over %u batches\n",
	       pooled, nnoise);

	printf("\n%-16s %-5s %6s %7s %11s %11s %11s %11s %10s %7s  %s\n",
	       "program", "path", "repeat", "clean", "best_ns", "worst_ns",
	       "obs_max_ns", "obs_min_ns", "tol_ns", "ratio", "verdict");
	for (i = 0; i < n; i++) {
		const struct result *r = &res[i];

		if (r->skipped) {
			printf("%-16s %-5s %s\n", r->name, "?",
			       "SKIP: no worst-path driver");
			continue;
		}
		printf("%-16s %-5s %6u %3u/%-3u %11.1f %11.1f %11.1f %11.1f %10.1f %7.2f  %s%s%s\n",
		       r->name, !r->known ? "?" : r->fixed ? "fixed" : "input",
		       r->repeat, r->clean, r->total, r->best_ns, r->worst_ns,
		       r->obs_q, r->obs_min, r->tol, r->ratio,
		       r->pass ? "PASS" : "FAIL", r->why[0] ? ": " : "",
		       r->why);
		if (!r->pass)
			failed++;
	}
	mf = median_ratio(res, n, true, &nf);
	ma = median_ratio(res, n, false, &na);
	printf("\nmedian overestimation (worst estimate / observed max), fixed worst path: %.2f (%u programs)\n",
	       mf, nf);
	printf("median overestimation, all programs: %.2f (%u programs)\n",
	       ma, na);
	printf("observed max = q%.0f of clean batches; %u batches per program; interrupts %s\n",
	       quantile * 100, nbatches,
	       irq_ok ? "counted (batches hit are discarded)" : "not counted");
	printf("SOUND SUMMARY %s programs %u failed %u median_fixed %.2f median_all %.2f\n",
	       failed || ret ? "FAIL" : "PASS", n, failed, mf, ma);
	if (irq_ok)
		irqwatch_close(&irq);
	if (ns_fd >= 0)
		close(ns_fd);
	close(empty_fd);
	return failed || ret ? 1 : 0;
}
