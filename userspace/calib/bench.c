// SPDX-License-Identifier: GPL-2.0
/* The measuring engine of `bpfrt calibrate` (see bench.h). */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>

#include "bench.h"
#include "calib.h"

static const struct {
	enum bpf_prog_type type;
	const char *name;
	bool repeat;
} calib_types[] = {
	/*
	 * XDP with repeat > 1 re-points the XDP dispatcher before and after
	 * the runs (net/bpf/test_run.c: bpf_prog_change_xdp): text patching
	 * with an IPI to every CPU, slow and interrupting the measuring CPU
	 * in every batch. XDP programs time themselves instead.
	 */
	{ BPF_PROG_TYPE_XDP,		"xdp",		false },
	{ BPF_PROG_TYPE_SCHED_CLS,	"sched_cls",	true },
	{ BPF_PROG_TYPE_SCHED_ACT,	"sched_act",	true },
	{ BPF_PROG_TYPE_SOCKET_FILTER,	"socket_filter", true },
	{ BPF_PROG_TYPE_CGROUP_SKB,	"cgroup_skb",	true },
	{ BPF_PROG_TYPE_LWT_IN,		"lwt_in",	true },
	{ BPF_PROG_TYPE_LWT_OUT,	"lwt_out",	true },
	{ BPF_PROG_TYPE_LWT_XMIT,	"lwt_xmit",	true },
	{ BPF_PROG_TYPE_LWT_SEG6LOCAL,	"lwt_seg6local", true },
	{ BPF_PROG_TYPE_FLOW_DISSECTOR,	"flow_dissector", true },
	{ BPF_PROG_TYPE_SK_LOOKUP,	"sk_lookup",	true },
	/* net/bpf/test_run.c: no repeat, no duration for these */
	{ BPF_PROG_TYPE_RAW_TRACEPOINT,	"raw_tracepoint", false },
	{ BPF_PROG_TYPE_SYSCALL,	"syscall",	false },
};

#define N_TYPES (sizeof(calib_types) / sizeof(calib_types[0]))

const char *calib_strerror(int err)
{
	/* include/linux/errno.h: kernel-internal, not in the C library */
	if (err == -524)
		return "not supported (ENOTSUPP)";
	return strerror(-err);
}

bool calib_type_has_repeat(enum bpf_prog_type type)
{
	size_t i;

	for (i = 0; i < N_TYPES; i++)
		if (calib_types[i].type == type)
			return calib_types[i].repeat;
	return false;
}

const char *calib_type_name(enum bpf_prog_type type)
{
	size_t i;

	for (i = 0; i < N_TYPES; i++)
		if (calib_types[i].type == type)
			return calib_types[i].name;
	return "unknown";
}

/*
 * An Ethernet + IPv4 + TCP packet (64 bytes), so helpers that parse headers
 * (checksums, lookups, flow dissection) take their ordinary path.
 */
static void calib_fill_packet(unsigned char *pkt, size_t len)
{
	unsigned char *ip = pkt + 14, *tcp = ip + 20;

	memset(pkt, 0, len);
	memset(pkt, 0x02, 12);			/* locally administered MACs */
	pkt[12] = 0x08;				/* ETH_P_IP */
	ip[0] = 0x45;
	ip[3] = 64 - 14;			/* total length */
	ip[8] = 64;				/* ttl */
	ip[9] = IPPROTO_TCP;
	ip[12] = 10, ip[15] = 1;		/* 10.0.0.1 -> 10.0.0.2 */
	ip[16] = 10, ip[19] = 2;
	tcp[0] = 0x30, tcp[1] = 0x39;		/* 12345 -> 80 */
	tcp[3] = 80;
	tcp[12] = 0x50;				/* data offset 5 */
	tcp[13] = 0x02;				/* SYN */
}

/*
 * int main(void *ctx) (global) for the entry, and
 * int sub(void *, void *, void *, void *) (static) for every subprogram:
 * static functions' arguments are not checked against their BTF, which only
 * has to exist. Returns the BTF's fd or a negative errno (then programs
 * with callbacks fail to load and are reported as such).
 */
static int calib_btf_open(struct calib_env *env)
{
	int i_int, p_void, proto, fd, i;

	env->btf = btf__new_empty();
	if (!env->btf)
		return -ENOMEM;
	i_int = btf__add_int(env->btf, "int", 4, BTF_INT_SIGNED);
	p_void = btf__add_ptr(env->btf, 0);
	proto = btf__add_func_proto(env->btf, i_int);
	if (i_int < 0 || p_void < 0 || proto < 0 ||
	    btf__add_func_param(env->btf, "ctx", p_void))
		return -EINVAL;
	env->btf_main = btf__add_func(env->btf, "bpfrt_main", BTF_FUNC_GLOBAL,
				      proto);
	proto = btf__add_func_proto(env->btf, i_int);
	if (proto < 0)
		return -EINVAL;
	for (i = 0; i < 4; i++)
		if (btf__add_func_param(env->btf, "a", p_void))
			return -EINVAL;
	env->btf_sub = btf__add_func(env->btf, "bpfrt_sub", BTF_FUNC_STATIC,
				     proto);
	if ((int)env->btf_main < 0 || (int)env->btf_sub < 0)
		return -EINVAL;
	if (btf__load_into_kernel(env->btf))
		return -errno;
	fd = btf__fd(env->btf);
	return fd < 0 ? -EINVAL : fd;
}

int calib_env_open(struct calib_env *env)
{
	LIBBPF_OPTS(bpf_map_create_opts, mopts, .map_flags = BPF_F_MMAPABLE);
	long page = sysconf(_SC_PAGESIZE);
	cpu_set_t set;
	void *mem;
	int ret;

	memset(env, 0, sizeof(*env));
	env->time_map_fd = -1;
	env->btf_fd = -1;
	/* Everything on one CPU: the interrupt counts are that CPU's. */
	env->cpu = sched_getcpu();
	if (env->cpu < 0)
		env->cpu = 0;
	CPU_ZERO(&set);
	CPU_SET(env->cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		return -errno;
	calib_fill_packet(env->pkt, 64);

	env->time_map_fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "bpfrt_ctime", 4,
					  sizeof(__u64), 1, &mopts);
	if (env->time_map_fd < 0)
		return -errno;
	env->time_len = page;
	mem = mmap(NULL, env->time_len, PROT_READ, MAP_SHARED,
		   env->time_map_fd, 0);
	if (mem == MAP_FAILED) {
		ret = -errno;
		calib_env_close(env);
		return ret;
	}
	env->time_ns = mem;
	env->irq_ok = irqwatch_open(&env->irq) == 0;
	env->btf_fd = calib_btf_open(env);
	return 0;
}

void calib_env_close(struct calib_env *env)
{
	if (env->irq_ok)
		irqwatch_close(&env->irq);
	env->irq_ok = false;
	if (env->time_ns)
		munmap((void *)env->time_ns, env->time_len);
	env->time_ns = NULL;
	if (env->time_map_fd >= 0)
		close(env->time_map_fd);
	env->time_map_fd = -1;
	btf__free(env->btf);
	env->btf = NULL;
	env->btf_fd = -1;
}

static int cmp_u32(const void *a, const void *b)
{
	__u32 x = *(const __u32 *)a, y = *(const __u32 *)b;

	return x < y ? -1 : x > y;
}

/* Start of every subprogram: targets of pseudo calls and pseudo funcs. */
static unsigned int calib_subprogs(const struct calib_prog *p, __u32 *starts,
				   unsigned int max)
{
	unsigned int n = 0, i, j, out = 0;
	size_t pc;

	for (pc = 0; pc < p->cnt; pc++) {
		const struct bpf_insn *in = &p->insns[pc];
		long t = -1;

		if (in->code == (BPF_JMP | BPF_CALL) &&
		    in->src_reg == BPF_PSEUDO_CALL)
			t = (long)pc + 1 + in->imm;
		else if (in->code == (BPF_LD | BPF_IMM | BPF_DW) &&
			 in->src_reg == BPF_PSEUDO_FUNC)
			t = (long)pc + 1 + in->imm;
		if (t > 0 && t < (long)p->cnt && n < max)
			starts[n++] = (__u32)t;
	}
	qsort(starts, n, sizeof(*starts), cmp_u32);
	for (i = 0; i < n; i = j) {
		for (j = i; j < n && starts[j] == starts[i]; j++)
			;
		starts[out++] = starts[i];
	}
	return out;
}

void calib_frame_begin(struct calib_prog *p, const struct calib_env *env,
		       enum bpf_prog_type type)
{
	(void)env;
	calib_emit(p, CI_MOV64_REG(CALIB_REG_CTX, BPF_REG_1));
	if (!calib_type_has_repeat(type)) {
		calib_emit(p, CI_CALL(BPF_FUNC_ktime_get_ns));
		calib_emit(p, CI_MOV64_REG(CALIB_REG_T0, BPF_REG_0));
	}
}

void calib_frame_end(struct calib_prog *p, const struct calib_env *env,
		     enum bpf_prog_type type)
{
	if (!calib_type_has_repeat(type)) {
		calib_emit(p, CI_CALL(BPF_FUNC_ktime_get_ns));
		calib_emit(p, CI_ALU64_REG(BPF_SUB, BPF_REG_0, CALIB_REG_T0));
		calib_emit_ld_map_value(p, BPF_REG_1, env->time_map_fd, 0);
		calib_emit(p, CI_STX(BPF_DW, BPF_REG_1, BPF_REG_0, 0));
	}
	calib_emit(p, CI_MOV64_IMM(BPF_REG_0, 0));
	calib_emit(p, CI_EXIT());
}

int calib_load(struct calib_env *env, enum bpf_prog_type type,
	       const struct calib_prog *p)
{
	LIBBPF_OPTS(bpf_prog_load_opts, opts,
		.log_buf = env->log,
		.log_size = sizeof(env->log),
		.log_level = 1,
	);
	struct bpf_func_info fi[65];
	__u32 starts[64];
	unsigned int n, i;
	double t0;
	int fd;

	if (!calib_prog_ok(p))
		return -ENOMEM;
	/* kernel/bpf/verifier.c: syscall programs must be sleepable */
	if (type == BPF_PROG_TYPE_SYSCALL)
		opts.prog_flags = BPF_F_SLEEPABLE;
	/* net/core/filter.c: sk_lookup programs name their attach point */
	if (type == BPF_PROG_TYPE_SK_LOOKUP)
		opts.expected_attach_type = BPF_SK_LOOKUP;
	n = calib_subprogs(p, starts, 64);
	if (n && env->btf_fd >= 0) {
		fi[0].insn_off = 0;
		fi[0].type_id = env->btf_main;
		for (i = 0; i < n; i++) {
			fi[i + 1].insn_off = starts[i];
			fi[i + 1].type_id = env->btf_sub;
		}
		opts.prog_btf_fd = env->btf_fd;
		opts.func_info = fi;
		opts.func_info_cnt = n + 1;
		opts.func_info_rec_size = sizeof(fi[0]);
	}
	/*
	 * Without a log first: at log level 1 the verifier prints every
	 * instruction it processes, which costs more than verifying. Only a
	 * failure is loaded again to read why.
	 */
	env->log[0] = '\0';
	opts.log_buf = NULL;
	opts.log_size = 0;
	opts.log_level = 0;
	t0 = calib_now_s();
	fd = bpf_prog_load(type, "bpfrt_calib", "GPL", p->insns, p->cnt, &opts);
	if (fd >= 0) {
		env->loads_ok++;
		env->load_ok_s += calib_now_s() - t0;
		return fd;
	}
	opts.log_buf = env->log;
	opts.log_size = sizeof(env->log);
	opts.log_level = 1;
	fd = bpf_prog_load(type, "bpfrt_calib", "GPL", p->insns, p->cnt, &opts);
	env->loads_failed++;
	env->load_failed_s += calib_now_s() - t0;
	if (fd < 0) {
		fd = -errno;
		if (getenv("BPFRT_CALIB_DEBUG")) {
			size_t len = strlen(env->log);

			fprintf(stderr, "calib: load %s (%zu insns): %s: ...%s\n",
				calib_type_name(type), p->cnt, strerror(-fd),
				env->log + (len > 600 ? len - 600 : 0));
		}
	}
	return fd;
}

static void calib_run_opts(struct calib_env *env, enum bpf_prog_type type,
			   struct bpf_test_run_opts *o,
			   struct bpf_sk_lookup *skl)
{
	switch (type) {
	case BPF_PROG_TYPE_SK_LOOKUP:
		/* net/bpf/test_run.c: a context, no data */
		memset(skl, 0, sizeof(*skl));
		skl->family = AF_INET;
		skl->protocol = IPPROTO_TCP;
		skl->remote_ip4 = htonl(0x0a000001);
		skl->local_ip4 = htonl(0x0a000002);
		skl->remote_port = htons(12345);
		skl->local_port = 80;
		o->ctx_in = skl;
		o->ctx_size_in = sizeof(*skl);
		break;
	case BPF_PROG_TYPE_RAW_TRACEPOINT:
	case BPF_PROG_TYPE_SYSCALL:
		break;
	default:
		o->data_in = env->pkt;
		o->data_size_in = 64;
		break;
	}
}

int calib_batch(struct calib_env *env, int prog_fd, enum bpf_prog_type type,
		__u32 repeat, double *ns_per_run, bool *clean)
{
	struct bpf_sk_lookup skl;
	__u64 irq0, sum = 0;
	__u32 i;

	if (!repeat)
		repeat = 1;
	irq0 = irqwatch_count_kinds(&env->irq, env->cpu, IRQWATCH_FOREIGN);
	if (calib_type_has_repeat(type)) {
		LIBBPF_OPTS(bpf_test_run_opts, o, .repeat = repeat);

		calib_run_opts(env, type, &o, &skl);
		if (bpf_prog_test_run_opts(prog_fd, &o))
			return -errno;
		sum = (__u64)o.duration * repeat;
		env->retval = o.retval;
	} else {
		for (i = 0; i < repeat; i++) {
			LIBBPF_OPTS(bpf_test_run_opts, o);

			calib_run_opts(env, type, &o, &skl);
			if (bpf_prog_test_run_opts(prog_fd, &o))
				return -errno;
			sum += *env->time_ns;
			env->retval = o.retval;
		}
	}
	*clean = irqwatch_count_kinds(&env->irq, env->cpu, IRQWATCH_FOREIGN) ==
		 irq0;
	*ns_per_run = (double)sum / repeat;
	return 0;
}

static int samples_add(struct calib_samples *s, double v)
{
	if (s->n == s->cap) {
		unsigned int cap = s->cap ? 2 * s->cap : 64;
		double *n = realloc(s->v, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		s->v = n;
		s->cap = cap;
	}
	s->v[s->n++] = v;
	return 0;
}

void calib_item_init(struct calib_item *it)
{
	memset(it, 0, sizeof(*it));
	it->fd_test = it->fd_base = -1;
	it->repeat = 1;
	it->units = 1;
}

void calib_item_release(struct calib_item *it)
{
	if (it->fd_test >= 0)
		close(it->fd_test);
	if (it->fd_base >= 0)
		close(it->fd_base);
	it->fd_test = it->fd_base = -1;
	free(it->test.v);
	free(it->base.v);
	memset(&it->test, 0, sizeof(it->test));
	memset(&it->base, 0, sizeof(it->base));
}

/* One batch of one of the item's programs; false when the item failed. */
static bool engine_batch(struct calib_env *env, struct calib_item *it,
			 bool test, bool record)
{
	double ns;
	bool clean;
	int ret;

	ret = calib_batch(env, test ? it->fd_test : it->fd_base, it->type,
			  it->repeat, &ns, &clean);
	if (ret) {
		it->err = ret;
		return false;
	}
	if (!record) {
		if (getenv("BPFRT_CALIB_DEBUG"))
			fprintf(stderr, "calib: warm-up %s %s: %.1f ns, retval %u\n",
				it->name, test ? "test" : "base", ns,
				env->retval);
		return true;
	}
	if (!clean && env->irq_ok) {
		it->dirty++;
		return true;
	}
	if (samples_add(test ? &it->test : &it->base, ns)) {
		it->err = -ENOMEM;
		return false;
	}
	return true;
}

void calib_engine_run(struct calib_env *env, struct calib_item **items,
		      unsigned int n, unsigned int rounds,
		      calib_progress_fn progress, void *parg)
{
	unsigned int r, i;

	for (i = 0; i < n; i++) {
		struct calib_item *it = items[i];

		if (it->err || it->fd_test < 0 || it->fd_base < 0)
			continue;
		if (it->prepare)
			it->prepare(env, it, 0);
		if (engine_batch(env, it, false, false))
			engine_batch(env, it, true, false);
	}
	for (r = 0; r < rounds; r++) {
		if (progress)
			progress(parg, r, rounds);
		for (i = 0; i < n; i++) {
			struct calib_item *it = items[i];
			bool test_first = (r + i) & 1;

			if (it->err || it->fd_test < 0 || it->fd_base < 0)
				continue;
			if (it->prepare)
				it->prepare(env, it, r);
			if (engine_batch(env, it, test_first, true))
				engine_batch(env, it, !test_first, true);
		}
	}
	if (progress)
		progress(parg, rounds, rounds);
}
