// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers: every helper the running kernel has is enumerated, each on every
 * program type BPF_PROG_TEST_RUN can run (libbpf_probe_bpf_helper() says
 * which types may call it), and measured where a call can be built.
 *
 * Building a call: the kernel's own verifier tells what each argument must
 * be. The harness starts with every argument a scalar 0, loads the program,
 * and reads the verifier's complaint: "R2 type=scalar expected=fp, pkt,
 * ..." (kernel/bpf/verifier.c: check_reg_type) makes R2 a pointer to an
 * initialised stack buffer and the next argument its size; "expected=ctx"
 * the context; "expected=map_ptr" a map, and "cannot pass map_type N"
 * another kind of map; "expected=func" a callback; "expected=map_value"
 * a read-only map value holding a string. A helper that needs what a
 * generic harness cannot make (a socket, a BTF object, a dynptr, a map
 * with a timer or spin lock in BTF, a reference that must be released) is
 * listed as not measured with the verifier's words as the reason.
 *
 * What is measured: @K copies of the call (argument set-up and call) in one
 * program, against the same program with "r0 = 0" in place of each call;
 * one r0 = 0 (an ALU64 instruction) is added back. Arguments vary between
 * copies (buffer sizes 8 to 64 bytes). The last call's return value is kept:
 * a helper that returned an error (-4095..-1) with the harness's arguments
 * ran an early-exit path only, so its entry keeps the built-in default
 * (conservative) and is listed as not measured, with the error.
 *
 * Never called, whatever the verifier says: helpers with effects outside
 * this process's own BPF objects (bpf_probe_write_user, bpf_send_signal*,
 * bpf_override_return, bpf_sys_bpf, bpf_sys_close, ...): see
 * helper_excluded().
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "calib.h"
#include "names.h"
#include "stats.h"

#define H_K		16	/* calls per program */
/*
 * Calls per program for an acquire/release pair: each copy branches on the
 * acquired pointer, and the verifier does not merge those paths (reference
 * state), so copies multiply its work.
 */
#define H_K_PAIR	4
#define H_R_REPEAT	16	/* runs per batch, kernel-timed types */
#define H_R_SELF	4	/* runs per batch, self-timed types */
#define H_ATTEMPTS	24	/* verifier round trips per helper and type */
#define RETVAL_OFF	120	/* parameter map: last call's return value */
#define STACK_ZERO_LO	-320	/* stack zeroed for buffers: [-320, -64) */
#define ARGBUF(n)	(-128 - 64 * (n))	/* buffer of argument slot n */

/*
 * Program types, in the order a quick run picks the first that works, and
 * their families: a helper's implementation can differ between families
 * (bpf_perf_event_output for skb, xdp and tracing programs, ...), not within
 * one. A full run measures each helper once per family, a quick run once.
 */
static const struct {
	enum bpf_prog_type type;
	unsigned int family;
} h_types[] = {
	{ BPF_PROG_TYPE_SCHED_CLS, 0 },
	{ BPF_PROG_TYPE_SOCKET_FILTER, 0 },
	{ BPF_PROG_TYPE_CGROUP_SKB, 0 },
	{ BPF_PROG_TYPE_LWT_XMIT, 0 },
	{ BPF_PROG_TYPE_LWT_SEG6LOCAL, 0 },
	{ BPF_PROG_TYPE_FLOW_DISSECTOR, 1 },
	{ BPF_PROG_TYPE_SK_LOOKUP, 2 },
	{ BPF_PROG_TYPE_XDP, 3 },
	{ BPF_PROG_TYPE_RAW_TRACEPOINT, 4 },
	{ BPF_PROG_TYPE_SYSCALL, 5 },
};

#define N_HTYPES (sizeof(h_types) / sizeof(h_types[0]))

enum arg_kind {
	A_SCALAR,	/* mov imm */
	A_SIZE,		/* a buffer's size: 8, 16, 32, 64 by copy */
	A_CTX,
	A_STACK,	/* pointer to a zeroed 64-byte stack buffer */
	A_MAP,		/* a map of kind .map */
	A_FUNC,		/* a callback: r0 = 0; exit */
	A_CONST_STR,	/* read-only map value holding a string */
	A_LOCK,		/* a bpf_spin_lock in a map value (map with BTF) */
	A_PARAM_ZERO,	/* 0, read from memory: unknown to the verifier */
	/* values tried for a scalar when the call returns an error: */
	A_KPTR,		/* a kernel address: the parameter map's value */
	A_UPTR,		/* a user address: a buffer of this process */
	A_ONE,		/* 1 */
	/* buffer contents tried when the call returns an error: */
	A_STACK_NUM,	/* the stack buffer starts with "1234567" */
	A_STACK_SYM,	/* ... with "kfree", a kernel symbol */
};

struct h_arg {
	__u8 kind;
	__u8 map;	/* index into h_maps */
};

struct h_recipe {
	struct h_arg a[5];
	__u32 release;		/* helper releasing what the call acquired */
	bool release_same;	/* ... called with the call's own R1 */
	bool void_ret;		/* returns nothing: R0 is set after it */
};

/*
 * Helpers that acquire a reference the program must release: measured
 * together with their release (when the acquire succeeds).
 */
static const struct {
	__u32 acquire, release;
	bool same;		/* release(the call's R1), else release(R0) */
} h_pairs[] = {
	{ BPF_FUNC_sk_lookup_tcp, BPF_FUNC_sk_release, false },
	{ BPF_FUNC_sk_lookup_udp, BPF_FUNC_sk_release, false },
	{ BPF_FUNC_skc_lookup_tcp, BPF_FUNC_sk_release, false },
	{ BPF_FUNC_ringbuf_reserve, BPF_FUNC_ringbuf_discard, false },
	{ BPF_FUNC_spin_lock, BPF_FUNC_spin_unlock, true },
};

/* A release helper measured as the second half of a pair. */
static const struct {
	__u32 release, acquire;
} h_release_via[] = {
	{ BPF_FUNC_ringbuf_discard, BPF_FUNC_ringbuf_reserve },
	{ BPF_FUNC_spin_unlock, BPF_FUNC_spin_lock },
};

static __u32 pair_of(__u32 acquire)
{
	unsigned int i;

	for (i = 0; i < sizeof(h_pairs) / sizeof(h_pairs[0]); i++)
		if (h_pairs[i].acquire == acquire)
			return h_pairs[i].release;
	return 0;
}

/* user memory the probe-read family and copy_from_user may read */
static char h_user_buf[256] = "bpfrt calibration buffer";

/* Maps the harness can pass: created on first use. */
static const struct {
	enum bpf_map_type type;
	__u32 key, value, entries, flags;
} h_map_defs[] = {
	{ BPF_MAP_TYPE_ARRAY,		4, 64, 4, 0 },
	/* struct bpf_cgroup_storage_key: cgroup id and attach type */
	{ BPF_MAP_TYPE_CGROUP_STORAGE,	12, 64, 0, 0 },
	{ BPF_MAP_TYPE_HASH,		4, 64, 16, 0 },
	{ BPF_MAP_TYPE_PERCPU_ARRAY,	4, 64, 4, 0 },
	{ BPF_MAP_TYPE_PERF_EVENT_ARRAY, 4, 4, 64, 0 },
	{ BPF_MAP_TYPE_RINGBUF,		0, 0, 1 << 20, 0 },
	{ BPF_MAP_TYPE_STACK_TRACE,	4, 8 * 32, 16, 0 },
	{ BPF_MAP_TYPE_QUEUE,		0, 64, 16, 0 },
	{ BPF_MAP_TYPE_STACK,		0, 64, 16, 0 },
	{ BPF_MAP_TYPE_LRU_HASH,	4, 64, 16, 0 },
	{ BPF_MAP_TYPE_DEVMAP,		4, 4, 4, 0 },
	{ BPF_MAP_TYPE_CPUMAP,		4, 4, 4, 0 },
	{ BPF_MAP_TYPE_XSKMAP,		4, 4, 4, 0 },
	{ BPF_MAP_TYPE_SOCKMAP,		4, 4, 4, 0 },
	{ BPF_MAP_TYPE_SOCKHASH,	4, 4, 4, 0 },
	{ BPF_MAP_TYPE_CGROUP_ARRAY,	4, 4, 4, 0 },
	{ BPF_MAP_TYPE_BLOOM_FILTER,	0, 8, 16, 0 },
	{ BPF_MAP_TYPE_DEVMAP_HASH,	4, 4, 4, 0 },
	{ BPF_MAP_TYPE_REUSEPORT_SOCKARRAY, 4, 4, 4, 0 },
	{ BPF_MAP_TYPE_USER_RINGBUF,	0, 0, 65536, 0 },
};

#define N_MAPS (sizeof(h_map_defs) / sizeof(h_map_defs[0]))

struct h_ctx {
	struct calib_run *cr;
	int map_fd[N_MAPS];		/* -1: not created, -2: failed */
	int str_fd;			/* read-only map with a string */
	int lock_fd;			/* array whose value holds a spin lock */
	int max_id;			/* helpers are 1 .. max_id - 1 */
	struct ring_buffer *rb;		/* drains the ring buffer map */
	double probe_s, run_s;		/* time in support probes, test runs */
	unsigned int probes, runs;
	char why[COSTTAB_NOTE];
};

/*
 * Never called: effects outside the calibrating process's own BPF objects,
 * or control flow the harness cannot contain.
 */
static const char *helper_excluded(__u32 id)
{
	switch (id) {
	case BPF_FUNC_probe_write_user:
		return "writes user memory: never called by the harness";
	case BPF_FUNC_override_return:
		return "changes a probed function's return: never called by the harness";
	case BPF_FUNC_send_signal:
	case BPF_FUNC_send_signal_thread:
		return "sends a signal: never called by the harness";
	case BPF_FUNC_sys_bpf:
		return "runs bpf() commands: never called by the harness";
	case BPF_FUNC_sys_close:
		return "closes file descriptors: never called by the harness";
	case BPF_FUNC_tail_call:
		return "costed as the tail_call instruction class";
	case BPF_FUNC_map_lookup_elem:
	case BPF_FUNC_map_update_elem:
	case BPF_FUNC_map_delete_elem:
	case BPF_FUNC_map_push_elem:
	case BPF_FUNC_map_pop_elem:
	case BPF_FUNC_map_peek_elem:
		return "measured as map operations (map stage): the envelope over map types";
	}
	return NULL;
}

static int h_drop(void *ctx, void *data, size_t len)
{
	(void)ctx;
	(void)data;
	(void)len;
	return 0;
}

static int h_map(struct h_ctx *h, unsigned int i)
{
	LIBBPF_OPTS(bpf_map_create_opts, o);

	if (h->map_fd[i] != -1)
		return h->map_fd[i];
	o.map_flags = h_map_defs[i].flags;
	h->map_fd[i] = bpf_map_create(h_map_defs[i].type, "bpfrt_hmap",
				      h_map_defs[i].key, h_map_defs[i].value,
				      h_map_defs[i].entries, &o);
	if (h->map_fd[i] < 0)
		h->map_fd[i] = -2;
	/* nobody reads what programs write: the harness drains it */
	if (h->map_fd[i] >= 0 && h_map_defs[i].type == BPF_MAP_TYPE_RINGBUF)
		h->rb = ring_buffer__new(h->map_fd[i], h_drop, NULL, NULL);
	return h->map_fd[i];
}

/* A read-only array holding a string without conversions (formats). */
static int h_str_map(struct h_ctx *h)
{
	LIBBPF_OPTS(bpf_map_create_opts, o, .map_flags = BPF_F_RDONLY_PROG);
	char v[64] = "bpfrt\n";
	__u32 key = 0;
	int fd;

	if (h->str_fd != -1)
		return h->str_fd;
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "bpfrt_hstr", 4, sizeof(v), 1,
			    &o);
	if (fd >= 0 && (bpf_map_update_elem(fd, &key, v, BPF_ANY) ||
			bpf_map_freeze(fd))) {
		close(fd);
		fd = -2;
	}
	h->str_fd = fd < 0 ? -2 : fd;
	return h->str_fd;
}

/*
 * An array whose value is struct { struct bpf_spin_lock lock; int pad; },
 * described in BTF: the verifier finds the lock through the map's BTF
 * (kernel/bpf/btf.c: btf_find_spin_lock).
 */
static int h_lock_map(struct h_ctx *h)
{
	LIBBPF_OPTS(bpf_map_create_opts, o);
	struct btf *btf;
	int i_int, lock, val, fd = -2;

	if (h->lock_fd != -1)
		return h->lock_fd;
	btf = btf__new_empty();
	if (!btf)
		goto out;
	i_int = btf__add_int(btf, "int", 4, BTF_INT_SIGNED);
	lock = btf__add_struct(btf, "bpf_spin_lock", 4);
	if (i_int < 0 || lock < 0 || btf__add_field(btf, "val", i_int, 0, 0))
		goto out;
	val = btf__add_struct(btf, "bpfrt_lock_val", 8);
	if (val < 0 || btf__add_field(btf, "lock", lock, 0, 0) ||
	    btf__add_field(btf, "pad", i_int, 32, 0) ||
	    btf__load_into_kernel(btf))
		goto out;
	o.btf_fd = btf__fd(btf);
	o.btf_key_type_id = i_int;
	o.btf_value_type_id = val;
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "bpfrt_hlock", 4, 8, 1, &o);
	if (fd < 0)
		fd = -2;
out:
	btf__free(btf);
	h->lock_fd = fd;
	return fd;
}

/* Emits argument @s of copy @copy into R(s+1). */
static void emit_arg(struct h_ctx *h, struct calib_prog *p,
		     const struct h_arg *a, int s, unsigned int copy,
		     size_t *func_at, unsigned int *nfunc)
{
	static const int sizes[] = { 8, 16, 32, 64 };
	int reg = BPF_REG_1 + s;

	switch (a->kind) {
	case A_SCALAR:
		calib_emit(p, CI_MOV64_IMM(reg, 0));
		break;
	case A_SIZE:
		calib_emit(p, CI_MOV64_IMM(reg, sizes[copy % 4]));
		break;
	case A_CTX:
		calib_emit(p, CI_MOV64_REG(reg, CALIB_REG_CTX));
		break;
	case A_STACK_NUM:
	case A_STACK_SYM:
		/* 8 bytes, NUL-terminated, little endian */
		calib_emit_ld_imm64(p, reg, a->kind == A_STACK_NUM ?
				    0x0037363534333231ULL :
				    0x000000656572666bULL);
		calib_emit(p, CI_STX(BPF_DW, BPF_REG_10, reg, ARGBUF(s)));
		/* fall through */
	case A_STACK:
		calib_emit(p, CI_MOV64_REG(reg, BPF_REG_10));
		calib_emit(p, CI_ALU64_IMM(BPF_ADD, reg, ARGBUF(s)));
		break;
	case A_MAP:
		calib_emit_ld_map(p, reg, h->map_fd[a->map]);
		break;
	case A_FUNC:
		if (*nfunc < H_K * 5)
			func_at[(*nfunc)++] = calib_pc(p);
		calib_emit_ld_func(p, reg, 0);
		break;
	case A_CONST_STR:
		calib_emit_ld_map_value(p, reg, h->str_fd, 0);
		break;
	case A_LOCK:
		calib_emit_ld_map_value(p, reg, h->lock_fd, 0);
		break;
	case A_PARAM_ZERO:
		calib_emit(p, CI_LDX(BPF_DW, reg, BPF_REG_8, 40));
		break;
	case A_KPTR:
		calib_emit_ld_map_value(p, reg, h->cr->param_fd, 128);
		break;
	case A_UPTR:
		calib_emit_ld_imm64(p, reg, (__u64)(unsigned long)h_user_buf);
		break;
	case A_ONE:
		calib_emit(p, CI_MOV64_IMM(reg, 1));
		break;
	}
}

static int build(struct h_ctx *h, __u32 id, enum bpf_prog_type type,
		 const struct h_recipe *r, unsigned int k, bool test,
		 struct calib_prog *p)
{
	size_t func_at[H_K * 5];
	unsigned int nfunc = 0, i;
	int off, s;

	calib_prog_init(p);
	calib_frame_begin(p, &h->cr->env, type);
	calib_emit_operands(p, h->cr);
	for (off = STACK_ZERO_LO; off < -64; off += 8)
		calib_emit(p, CI_ST(BPF_DW, BPF_REG_10, off, 0));
	calib_emit(p, CI_MOV64_IMM(BPF_REG_0, 0));
	for (i = 0; i < k; i++) {
		for (s = 0; s < 5; s++)
			emit_arg(h, p, &r->a[s], s, i, func_at, &nfunc);
		if (!test) {
			calib_emit(p, CI_MOV64_IMM(BPF_REG_0, 0));
			continue;
		}
		/*
		 * release(the same object): the verifier knows a lock by the
		 * register that took it (a new id for each load of its map
		 * value), so R1 is kept in R9, free in these programs
		 */
		if (r->release && r->release_same)
			calib_emit(p, CI_MOV64_REG(BPF_REG_9, BPF_REG_1));
		calib_emit(p, CI_CALL(id));
		if (r->void_ret)
			calib_emit(p, CI_MOV64_IMM(BPF_REG_0, 0));
		if (r->release && r->release_same) {
			calib_emit(p, CI_MOV64_REG(BPF_REG_1, BPF_REG_9));
			calib_emit(p, CI_CALL(r->release));
			calib_emit(p, CI_MOV64_IMM(BPF_REG_0, 0));
		} else if (r->release) {
			/* if (r0) { release(r0, 0); r0 = 0; } */
			calib_emit(p, CI_JMP_IMM(BPF_JEQ, BPF_REG_0, 0, 4));
			calib_emit(p, CI_MOV64_REG(BPF_REG_1, BPF_REG_0));
			calib_emit(p, CI_MOV64_IMM(BPF_REG_2, 0));
			calib_emit(p, CI_CALL(r->release));
			calib_emit(p, CI_MOV64_IMM(BPF_REG_0, 0));
		}
	}
	calib_emit(p, CI_STX(BPF_DW, BPF_REG_8, BPF_REG_0, RETVAL_OFF));
	calib_frame_end(p, &h->cr->env, type);
	if (nfunc) {
		size_t at = calib_pc(p);

		calib_emit(p, CI_MOV64_IMM(BPF_REG_0, 0));
		calib_emit(p, CI_EXIT());
		if (calib_prog_ok(p))
			for (i = 0; i < nfunc; i++)
				p->insns[func_at[i]].imm =
					(__s32)(at - func_at[i] - 1);
	}
	return calib_prog_ok(p) ? 0 : -ENOMEM;
}

/* The last line of the verifier's log that says something. */
static void log_reason(const char *log, char *buf, size_t len)
{
	const char *end = log + strlen(log), *s, *e;

	while (end > log && (end[-1] == '\n' || end[-1] == ' '))
		end--;
	e = end;
	s = e;
	while (s > log && s[-1] != '\n')
		s--;
	/* "processed N insns ..." is a summary, not a reason */
	if (!strncmp(s, "processed ", 10) && s > log) {
		e = s - 1;
		s = e;
		while (s > log && s[-1] != '\n')
			s--;
	}
	snprintf(buf, len, "verifier: %.*s", (int)(e - s), s);
}

static bool has_token(const char *list, const char *tok)
{
	size_t n = strlen(tok);
	const char *p = list;

	while ((p = strstr(p, tok))) {
		bool start = p == list || p[-1] == ' ' || p[-1] == ',' ||
			     p[-1] == '=' || p[-1] == '_';
		bool end = p[n] == ',' || p[n] == '\0' || p[n] == '\n' ||
			   p[n] == ' ';

		if (start && end)
			return true;
		p += n;
	}
	return false;
}

/*
 * Reads the verifier's complaint and changes @r to answer it. Returns true
 * if something changed, false (and h->why) when nothing can.
 */
static bool answer(struct h_ctx *h, __u32 id, const char *log,
		   struct h_recipe *r)
{
	const char *p;
	int regno, s;
	char line[256];

	p = strstr(log, " expected=");
	if (p) {
		const char *q = p;

		while (q > log && q[-1] != '\n')
			q--;
		if (sscanf(q, "R%d type=", &regno) == 1 && regno >= 1 &&
		    regno <= 5) {
			const char *list = p + 10;
			size_t n = strcspn(list, "\n");

			snprintf(line, sizeof(line), "%.*s", (int)n, list);
			s = regno - 1;
			if (has_token(line, "ctx") && r->a[s].kind != A_CTX) {
				r->a[s].kind = A_CTX;
				return true;
			}
			if (has_token(line, "map_ptr") && r->a[s].kind != A_MAP) {
				r->a[s].kind = A_MAP;
				r->a[s].map = 0;
				if (h_map(h, 0) < 0)
					goto cannot;
				return true;
			}
			if (has_token(line, "fp") && r->a[s].kind != A_STACK) {
				r->a[s].kind = A_STACK;
				if (s < 4 && r->a[s + 1].kind == A_SCALAR)
					r->a[s + 1].kind = A_SIZE;
				return true;
			}
			if (has_token(line, "func") && r->a[s].kind != A_FUNC) {
				r->a[s].kind = A_FUNC;
				return true;
			}
			if (has_token(line, "scalar") &&
			    r->a[s].kind != A_SCALAR && r->a[s].kind != A_SIZE) {
				r->a[s].kind = A_SCALAR;
				return true;
			}
			if (!strncmp(line, "map_value", 9) &&
			    r->a[s].kind != A_CONST_STR && h_str_map(h) >= 0) {
				r->a[s].kind = A_CONST_STR;
				return true;
			}
cannot:
			snprintf(h->why, sizeof(h->why),
				 "needs R%d to be %.100s: the harness cannot make it",
				 regno, line);
			return false;
		}
	}
	p = strstr(log, "cannot pass map_type ");
	if (p) {
		for (s = 0; s < 5; s++) {
			unsigned int m;

			if (r->a[s].kind != A_MAP)
				continue;
			for (m = r->a[s].map + 1; m < N_MAPS; m++)
				if (h_map(h, m) >= 0)
					break;
			if (m < N_MAPS) {
				r->a[s].map = m;
				return true;
			}
		}
		snprintf(h->why, sizeof(h->why),
			 "needs a kind of map the harness cannot make");
		return false;
	}
	/* a helper returning void: R0 is unreadable after it */
	if (strstr(log, "R0 !read_ok") && !r->void_ret) {
		r->void_ret = true;
		return true;
	}
	if (strstr(log, "in order to use bpf_spin_lock") ||
	    strstr(log, "expected=map_value, ptr_")) {
		/* the lock: a map value whose BTF has a struct bpf_spin_lock */
		for (s = 0; s < 5; s++)
			if (r->a[s].kind == A_CONST_STR ||
			    r->a[s].kind == A_SCALAR) {
				if (h_lock_map(h) < 0)
					break;
				r->a[s].kind = A_LOCK;
				return true;
			}
	}
	if ((strstr(log, "bpf_spin_unlock is missing") ||
	     strstr(log, "function calls are not allowed while holding a lock")) &&
	    !r->release) {
		unsigned int i;

		for (i = 0; i < sizeof(h_pairs) / sizeof(h_pairs[0]); i++)
			if (h_pairs[i].acquire == id) {
				r->release = h_pairs[i].release;
				r->release_same = h_pairs[i].same;
				return true;
			}
	}
	if (strstr(log, "Unreleased reference")) {
		unsigned int i;

		for (i = 0; i < sizeof(h_pairs) / sizeof(h_pairs[0]); i++)
			if (h_pairs[i].acquire == id && !r->release) {
				r->release = h_pairs[i].release;
				r->release_same = h_pairs[i].same;
				return true;
			}
		snprintf(h->why, sizeof(h->why),
			 "acquires a reference that must be released by another helper");
		return false;
	}
	if (strstr(log, "invalid zero-sized read") ||
	    strstr(log, "invalid indirect access to stack") ||
	    strstr(log, "min value is negative")) {
		for (s = 0; s < 4; s++)
			if (r->a[s].kind == A_STACK &&
			    r->a[s + 1].kind == A_SCALAR) {
				r->a[s + 1].kind = A_SIZE;
				return true;
			}
		/* a map whose key or value is empty: try the next kind */
		for (s = 0; s < 5; s++) {
			unsigned int m;

			if (r->a[s].kind != A_MAP)
				continue;
			for (m = r->a[s].map + 1; m < N_MAPS; m++)
				if (h_map(h, m) >= 0)
					break;
			if (m < N_MAPS) {
				r->a[s].map = m;
				return true;
			}
		}
	}
	log_reason(log, h->why, sizeof(h->why));
	return false;
}

/* The return value of the helper's last call in the item's last batch. */
static __s64 last_retval(struct h_ctx *h)
{
	__u64 v[PARAM_WORDS];
	__u32 key = 0;

	if (bpf_map_lookup_elem(h->cr->param_fd, &key, v))
		return 0;
	return (__s64)v[RETVAL_OFF / 8];
}

static void append(char *buf, size_t len, const char *s)
{
	size_t n = strlen(buf);

	if (strstr(buf, s))
		return;
	snprintf(buf + n, len - n, "%s%s", n ? "," : "", s);
}

static bool is_errno(__s64 v)
{
	return v < 0 && v >= -4095;
}

/* Helpers whose negative results are values, not errors. */
static bool returns_value(__u32 id)
{
	return id == BPF_FUNC_strncmp;
}

/* The return value of one call with recipe @r; *ok false if not run. */
static __s64 probe_run(struct h_ctx *h, __u32 id, enum bpf_prog_type type,
		       const struct h_recipe *r, bool *ok)
{
	struct calib_prog p;
	double ns;
	bool clean;
	int fd;

	*ok = false;
	if (build(h, id, type, r, 1, true, &p))
		return 0;
	fd = calib_load(&h->cr->env, type, &p);
	calib_prog_free(&p);
	if (fd < 0)
		return 0;
	{
		double t0 = calib_now_s();

		*ok = !calib_batch(&h->cr->env, fd, type, 1, &ns, &clean);
		h->run_s += calib_now_s() - t0;
		h->runs++;
	}
	close(fd);
	return last_retval(h);
}

/*
 * The call verifies but returns an error: try other values for its plain
 * scalar arguments (a kernel or a user address for the probe-read family,
 * small numbers for families and flags), one argument at a time.
 */
static void better_scalars(struct h_ctx *h, __u32 id, enum bpf_prog_type type,
			   struct h_recipe *r)
{
	static const __u8 tries[] = { A_KPTR, A_UPTR, A_ONE };
	static const __u8 bufs[] = { A_STACK_NUM, A_STACK_SYM };
	bool ok;
	__s64 rv = probe_run(h, id, type, r, &ok);
	unsigned int s, t, last = 0;

	if (!ok || !is_errno(rv) || returns_value(id))
		return;
	/* arguments end at most one after the last the verifier shaped */
	for (s = 0; s < 5; s++)
		if (r->a[s].kind != A_SCALAR)
			last = s + 1;
	for (s = 0; s < 5 && s <= last; s++) {
		if (r->a[s].kind != A_SCALAR)
			continue;
		for (t = 0; t < sizeof(tries); t++) {
			r->a[s].kind = tries[t];
			rv = probe_run(h, id, type, r, &ok);
			if (ok && !is_errno(rv))
				return;
		}
		r->a[s].kind = A_SCALAR;
	}
	for (s = 0; s < 5; s++) {
		if (r->a[s].kind != A_STACK)
			continue;
		for (t = 0; t < sizeof(bufs); t++) {
			r->a[s].kind = bufs[t];
			rv = probe_run(h, id, type, r, &ok);
			if (ok && !is_errno(rv))
				return;
		}
		r->a[s].kind = A_STACK;
	}
}

/* Whether @r, found for another type, loads as @type. */
static bool try_recipe(struct h_ctx *h, __u32 id, enum bpf_prog_type type,
		       const struct h_recipe *r)
{
	struct calib_prog p;
	int fd;

	if (build(h, id, type, r, 1, true, &p))
		return false;
	fd = calib_load(&h->cr->env, type, &p);
	calib_prog_free(&p);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

/*
 * A recipe for calling @id from @type: true, or false with the reason in
 * h->why. Each attempt loads the program with one copy of the call.
 */
static bool find_recipe(struct h_ctx *h, __u32 id, enum bpf_prog_type type,
			struct h_recipe *r)
{
	struct calib_prog p;
	int i, fd;

	memset(r, 0, sizeof(*r));
	/* the verifier inlines bpf_loop with constant zero flags */
	if (id == BPF_FUNC_loop)
		r->a[3].kind = A_PARAM_ZERO;
	for (i = 0; i < H_ATTEMPTS; i++) {
		if (build(h, id, type, r, 1, true, &p)) {
			snprintf(h->why, sizeof(h->why), "out of memory");
			return false;
		}
		fd = calib_load(&h->cr->env, type, &p);
		calib_prog_free(&p);
		if (fd >= 0) {
			close(fd);
			better_scalars(h, id, type, r);
			return true;
		}
		if (fd == -EPERM && !strstr(h->cr->env.log, "expected")) {
			log_reason(h->cr->env.log, h->why, sizeof(h->why));
			return false;
		}
		if (strstr(h->cr->env.log, "might sleep")) {
			snprintf(h->why, sizeof(h->why),
				 "may sleep: not callable from %s",
				 calib_type_name(type));
			return false;
		}
		if (!answer(h, id, h->cr->env.log, r))
			return false;
	}
	snprintf(h->why, sizeof(h->why),
		 "no working arguments after %d attempts", H_ATTEMPTS);
	return false;
}

/* 1: the kernel has helper @id, 0: it has not (ids end here). */
static int helper_exists(struct h_ctx *h, __u32 id)
{
	struct calib_prog p;
	int fd;

	calib_prog_init(&p);
	calib_emit(&p, CI_CALL(id));
	calib_emit(&p, CI_MOV64_IMM(BPF_REG_0, 0));
	calib_emit(&p, CI_EXIT());
	fd = calib_load(&h->cr->env, BPF_PROG_TYPE_RAW_TRACEPOINT, &p);
	calib_prog_free(&p);
	if (fd >= 0) {
		close(fd);
		return 1;
	}
	/* kernel/bpf/verifier.c: check_helper_call, id >= __BPF_FUNC_MAX_ID */
	return strstr(h->cr->env.log, "invalid func ") ? 0 : 1;
}

struct h_item {
	__u32 id;
	enum bpf_prog_type type;
	bool sized;		/* the call passes a buffer size */
	struct calib_item it;
};

static bool recipe_sized(const struct h_recipe *r)
{
	unsigned int s;

	for (s = 0; s < 5; s++)
		if (r->a[s].kind == A_SIZE)
			return true;
	return false;
}

/* Before each round: room in the ring buffer (consumed here). */
static void h_prepare(struct calib_env *env, struct calib_item *it,
		      unsigned int round)
{
	struct h_ctx *h = it->arg;

	(void)env;
	(void)round;
	if (h->rb)
		ring_buffer__consume(h->rb);
}

int calib_helpers(struct calib_run *cr)
{
	struct h_ctx h = { .cr = cr, .str_fd = -1, .lock_fd = -1 };
	struct h_item *items = NULL;
	struct calib_item **ptr = NULL;
	unsigned int n = 0, cap = 0, i, t, m;
	struct h_recipe r;
	__u32 id;

	for (m = 0; m < N_MAPS; m++)
		h.map_fd[m] = -1;
	calib_stage(cr, "helpers");
	if (cr->o->progress)
		fprintf(cr->o->progress,
			"calibrate: enumerating helpers and building calls\n");

	for (id = 1; id < BPFRT_CM_MAX_HELPERS; id++) {
		struct costtab_note *note = &cr->tab->helper[id];
		const char *ex;
		bool any = false, built = false;
		unsigned int families = 0;

		if (!helper_exists(&h, id))
			break;
		memset(note, 0, sizeof(*note));
		note->present = true;
		ex = helper_excluded(id);
		for (t = 0; t < N_HTYPES; t++) {
			enum bpf_prog_type type = h_types[t].type;
			unsigned int fam = 1u << h_types[t].family;

			/* quick: one type per helper; full: one per family */
			if ((cr->o->quick && built) || (families & fam))
				continue;
			{
				double t0 = calib_now_s();
				int sup = libbpf_probe_bpf_helper(type, id, NULL);

				h.probe_s += calib_now_s() - t0;
				h.probes++;
				if (sup != 1)
					continue;
			}
			any = true;
			if (ex)
				break;
			/* the recipe of another type usually works as it is */
			if (!(built && try_recipe(&h, id, type, &r)) &&
			    !find_recipe(&h, id, type, &r)) {
				if (!note->reason[0])
					snprintf(note->reason,
						 sizeof(note->reason),
						 "%s: %.130s",
						 calib_type_name(type), h.why);
				continue;
			}
			if (n == cap) {
				struct h_item *ni;

				cap = cap ? 2 * cap : 256;
				ni = realloc(items, cap * sizeof(*ni));
				if (!ni)
					break;
				items = ni;
			}
			items[n].id = id;
			items[n].type = type;
			items[n].sized = recipe_sized(&r);
			calib_item_init(&items[n].it);
			items[n].it.prepare = h_prepare;
			items[n].it.arg = &h;
			snprintf(items[n].it.name, sizeof(items[n].it.name),
				 "%s", helper_name(id) ?: "helper");
			items[n].it.type = type;
			items[n].it.units = r.release ? H_K_PAIR : H_K;
			items[n].it.repeat = calib_type_has_repeat(type) ?
					     H_R_REPEAT : H_R_SELF;
			{
				struct calib_prog p;
				int fd;

				build(&h, id, type, &r, items[n].it.units,
				      true, &p);
				fd = calib_load(&cr->env, type, &p);
				calib_prog_free(&p);
				items[n].it.fd_test = fd;
				build(&h, id, type, &r, items[n].it.units,
				      false, &p);
				fd = calib_load(&cr->env, type, &p);
				calib_prog_free(&p);
				items[n].it.fd_base = fd;
				if (items[n].it.fd_test < 0 ||
				    items[n].it.fd_base < 0) {
					log_reason(cr->env.log, note->reason,
						   sizeof(note->reason));
					calib_item_release(&items[n].it);
					continue;
				}
			}
			n++;
			built = true;
			families |= fam;
		}
		if (ex)
			snprintf(note->reason, sizeof(note->reason), "%s", ex);
		else if (!any)
			snprintf(note->reason, sizeof(note->reason),
				 "no test-runnable program type may call it");
	}
	h.max_id = id;
	if (cr->o->progress)
		fprintf(cr->o->progress,
			"calibrate: %u helpers enumerated, %u calls built (%.1f s)\n",
			id - 1, n, calib_now_s() - cr->stage_t0);
	if (getenv("BPFRT_CALIB_DEBUG"))
		fprintf(stderr, "calib: %u support probes %.1f s, %u probe runs %.1f s; loads: %u ok %.1f s, %u failed %.1f s\n",
			h.probes, h.probe_s, h.runs, h.run_s, cr->env.loads_ok,
			cr->env.load_ok_s, cr->env.loads_failed,
			cr->env.load_failed_s);

	ptr = calloc(n ? n : 1, sizeof(*ptr));
	if (ptr) {
		for (i = 0; i < n; i++)
			ptr[i] = &items[i].it;
		calib_measure(cr, ptr, n);
	}

	/* per helper: the envelope of its types, or why not */
	for (i = 0; i < n; ) {
		struct costtab_note *note = &cr->tab->helper[items[i].id];
		struct bpfrt_cost acc = { 0 }, c,
				  alu = cr->tab->cm.insn[BPFRT_IC_ALU64];
		unsigned int j, nacc = 0, samples = 0, dirty = 0;
		char types[COSTTAB_STR] = "", err[COSTTAB_NOTE] = "";
		__u32 cur = items[i].id;
		/* still the built-in entry: nothing was set for cur yet */
		__u64 builtin_worst = cr->tab->cm.helper[cur].worst_ps;
		bool sized = false;

		for (j = i; j < n && items[j].id == cur; j++) {
			struct costtab_note in;
			__s64 rv;

			/* one more batch to read what the call returns */
			calib_batch(&cr->env, items[j].it.fd_test,
				    items[j].type, 1, &(double){ 0 },
				    &(bool){ 0 });
			rv = last_retval(&h);
			if (!calib_item_cost(cr, &items[j].it, &c, &in)) {
				snprintf(err, sizeof(err), "%s: %.130s",
					 calib_type_name(items[j].type),
					 in.reason);
				continue;
			}
			if (is_errno(rv) && !returns_value(cur)) {
				snprintf(err, sizeof(err),
					 "%s: returned %lld (%s?) with the harness's arguments: an early exit, kept the default (that path: %llu ps)",
					 calib_type_name(items[j].type),
					 (long long)rv, calib_strerror((int)rv),
					 (unsigned long long)c.worst_ps);
				continue;
			}
			/* "r0 = 0" replaced the call in the baseline */
			calib_cost_add(&c, &alu);
			calib_cost_envelope(&acc, &nacc, &c);
			sized |= items[j].sized;
			append(types, sizeof(types),
			       calib_type_name(items[j].type));
			samples += in.samples;
			dirty += in.discarded;
		}
		if (nacc) {
			/*
			 * A size the program chooses (probe reads, csum_diff,
			 * stack walks) was measured at 8-64 bytes only; a
			 * program may pass far more. The worst case keeps the
			 * built-in value, priced for the largest plausible
			 * size, when that is higher: never lower than sound.
			 */
			bool kept = sized && builtin_worst > acc.worst_ps;

			if (kept)
				acc.worst_ps = builtin_worst;
			costtab_set_helper(cr->tab, cur, &acc, true);
			note->samples = samples;
			note->discarded = dirty;
			snprintf(note->types, sizeof(note->types), "%s", types);
			snprintf(note->reason, sizeof(note->reason),
				 "%u calls per program, argument sizes 8-64%s%s%s",
				 pair_of(cur) ? H_K_PAIR : H_K, pair_of(cur) ? ", with " : "",
				 pair_of(cur) ? helper_name(pair_of(cur)) ?: "?" : "",
				 kept ? "; worst kept at the built-in value (sizes up to the verifier's limit)" : "");
		} else if (err[0]) {
			snprintf(note->reason, sizeof(note->reason), "%s", err);
		}
		i = j;
	}

	/* a release measured inside its pair gets the pair's cost */
	for (i = 0; i < sizeof(h_release_via) / sizeof(h_release_via[0]); i++) {
		__u32 rel = h_release_via[i].release, acq = h_release_via[i].acquire;
		struct costtab_note *rn = &cr->tab->helper[rel];

		if (!costtab_helper_measured(cr->tab, acq) ||
		    costtab_helper_measured(cr->tab, rel))
			continue;
		costtab_set_helper(cr->tab, rel, &cr->tab->cm.helper[acq], true);
		*rn = cr->tab->helper[acq];
		snprintf(rn->reason, sizeof(rn->reason),
			 "measured with %s: the pair's cost", helper_name(acq) ?: "?");
	}

	for (i = 0; i < n; i++)
		calib_item_release(&items[i].it);
	free(items);
	free(ptr);
	for (m = 0; m < N_MAPS; m++)
		if (h.map_fd[m] >= 0)
			close(h.map_fd[m]);
	if (h.str_fd >= 0)
		close(h.str_fd);
	if (h.lock_fd >= 0)
		close(h.lock_fd);
	ring_buffer__free(h.rb);
	return 0;
}
