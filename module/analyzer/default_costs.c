// SPDX-License-Identifier: GPL-2.0
/*
 * The built-in cost model, used until `bpfrt calibrate` uploads a measured
 * one. Nothing here is measured: every entry leaves its "measured" bit clear,
 * so every estimate made with it carries BPFRT_AN_F_DEFAULT_COST.
 *
 * Where the numbers come from (picoseconds; best / typical / worst):
 * - Reference machine: an x86-64 server core at 2-4 GHz running JIT-compiled
 *   BPF. "best" is about one cycle at 4 GHz or less for simple instructions
 *   (they can retire several per cycle), "typical" a few cycles of latency,
 *   "worst" assumes the slowest plausible case on a 2 GHz core.
 * - Instruction latencies: public instruction tables (Agner Fog's
 *   "Instruction tables", the Intel and AMD optimisation manuals): 64-bit
 *   DIV up to ~90 cycles on Skylake-class cores, MUL 3 cycles, branch
 *   mispredict ~15-20 cycles, locked read-modify-write ~20 cycles
 *   uncontended.
 * - Memory: every load or store may miss every cache and the TLB: a DRAM
 *   access on a two-socket server is ~80-150 ns. That is the worst value of
 *   loads, atomics carry cross-socket cache-line transfers on top.
 * - Calls: with retpolines and return thunks a call/return pair costs tens
 *   of ns in the worst case.
 * - Helpers and map operations: order of magnitude of the kernel's own BPF
 *   benchmarks (tools/testing/selftests/bpf/benchs: array lookups a few ns,
 *   hash lookups tens of ns, LRU updates up to microseconds under
 *   contention) plus a generous worst case for collisions, lock contention
 *   and cold caches. A helper that walks user-controlled sizes (probe reads,
 *   csum_diff, stack walks) gets the cost of its largest plausible size.
 *
 * The worst values are deliberately generous: an estimate built on them is an
 * upper bound a calibrated model will lower, not a prediction.
 */
#include "an_internal.h"

#define NS(x)	((u64)(x) * 1000)
#define US(x)	((u64)(x) * 1000000)

struct an_default_entry {
	u16 id;
	u64 best_ps;
	u64 typical_ps;
	u64 worst_ps;
};

static const struct an_default_entry an_insn_defaults[] = {
	{ BPFRT_IC_ALU32,		100,	300,	NS(1) },
	{ BPFRT_IC_ALU64,		100,	300,	NS(1) },
	{ BPFRT_IC_MUL,			250,	NS(1),	NS(2) },
	{ BPFRT_IC_DIV,			NS(2),	NS(8),	NS(45) },
	{ BPFRT_IC_ENDIAN,		100,	300,	NS(1) },
	{ BPFRT_IC_LDX_B,		100,	NS(1),	NS(150) },
	{ BPFRT_IC_LDX_H,		100,	NS(1),	NS(150) },
	{ BPFRT_IC_LDX_W,		100,	NS(1),	NS(150) },
	{ BPFRT_IC_LDX_DW,		100,	NS(1),	NS(150) },
	{ BPFRT_IC_ST_B,		100,	500,	NS(50) },
	{ BPFRT_IC_ST_H,		100,	500,	NS(50) },
	{ BPFRT_IC_ST_W,		100,	500,	NS(50) },
	{ BPFRT_IC_ST_DW,		100,	500,	NS(50) },
	{ BPFRT_IC_ATOMIC,		NS(5),	NS(10),	NS(300) },
	{ BPFRT_IC_ATOMIC_FETCH,	NS(5),	NS(10),	NS(300) },
	{ BPFRT_IC_LD_IMM64,		100,	300,	NS(1) },
	{ BPFRT_IC_LD_ABS,		NS(2),	NS(5),	NS(150) },
	{ BPFRT_IC_JMP_TAKEN,		100,	500,	NS(10) },
	{ BPFRT_IC_JMP_NOT_TAKEN,	100,	300,	NS(10) },
	{ BPFRT_IC_JA,			100,	300,	NS(1) },
	{ BPFRT_IC_CALL_FUNC,		NS(1),	NS(3),	NS(30) },
	{ BPFRT_IC_EXIT,		500,	NS(1),	NS(10) },
	{ BPFRT_IC_CALLBACK,		NS(2),	NS(5),	NS(30) },
	{ BPFRT_IC_TAIL_CALL,		NS(3),	NS(8),	NS(50) },
	{ BPFRT_IC_KFUNC,		NS(5),	NS(20),	US(1) },
	{ BPFRT_IC_UNKNOWN_CALL,	NS(10),	NS(50),	US(10) },
	{ BPFRT_IC_HELPER_DEFAULT,	NS(5),	NS(20),	US(1) },
	{ BPFRT_IC_MAP_OP_DEFAULT,	NS(10),	NS(50),	US(2) },
	{ BPFRT_IC_NOSPEC,		NS(5),	NS(10),	NS(50) },
};

/* Helpers whose cost differs markedly from the generic helper default. */
static const struct an_default_entry an_helper_defaults[] = {
	/* map helpers, used when the map in R1 is unknown */
	{ BPF_FUNC_map_lookup_elem,	NS(5),	NS(30),	US(5) },
	{ BPF_FUNC_map_update_elem,	NS(20),	NS(150), US(50) },
	{ BPF_FUNC_map_delete_elem,	NS(20),	NS(100), US(50) },
	/* cheap getters */
	{ BPF_FUNC_ktime_get_ns,	NS(5),	NS(25),	NS(200) },
	{ BPF_FUNC_ktime_get_boot_ns,	NS(5),	NS(25),	NS(200) },
	{ BPF_FUNC_get_prandom_u32,	NS(1),	NS(5),	NS(100) },
	{ BPF_FUNC_get_smp_processor_id, NS(1),	NS(2),	NS(50) },
	{ BPF_FUNC_get_current_pid_tgid, NS(1),	NS(3),	NS(50) },
	{ BPF_FUNC_get_current_uid_gid,	NS(2),	NS(10),	NS(200) },
	{ BPF_FUNC_get_current_comm,	NS(5),	NS(20),	NS(300) },
	{ BPF_FUNC_get_current_task,	NS(1),	NS(2),	NS(50) },
	/* memory copies: largest plausible size, cold memory */
	{ BPF_FUNC_probe_read,		NS(10),	NS(50),	US(2) },
	{ BPF_FUNC_probe_read_str,	NS(10),	NS(60),	US(2) },
	{ BPF_FUNC_probe_read_user,	NS(10),	NS(50),	US(2) },
	{ BPF_FUNC_probe_read_kernel,	NS(10),	NS(50),	US(2) },
	{ BPF_FUNC_probe_read_user_str,	NS(10),	NS(60),	US(2) },
	{ BPF_FUNC_probe_read_kernel_str, NS(10), NS(60), US(2) },
	{ BPF_FUNC_copy_from_user,	NS(20),	NS(200), US(100) },
	{ BPF_FUNC_skb_load_bytes,	NS(10),	NS(30),	US(2) },
	{ BPF_FUNC_skb_store_bytes,	NS(20),	NS(50),	US(5) },
	{ BPF_FUNC_csum_diff,		NS(10),	NS(50),	US(5) },
	/* output */
	{ BPF_FUNC_trace_printk,	NS(500), US(1),	US(20) },
	{ BPF_FUNC_perf_event_output,	NS(200), NS(500), US(10) },
	{ BPF_FUNC_ringbuf_output,	NS(50),	NS(200), US(5) },
	{ BPF_FUNC_ringbuf_reserve,	NS(20),	NS(50),	US(2) },
	{ BPF_FUNC_ringbuf_submit,	NS(20),	NS(50),	US(2) },
	{ BPF_FUNC_ringbuf_discard,	NS(20),	NS(50),	US(2) },
	{ BPF_FUNC_snprintf,		NS(200), US(1),	US(50) },
	{ BPF_FUNC_seq_printf,		NS(200), US(1),	US(50) },
	/* stack walks: up to 127 frames, cold */
	{ BPF_FUNC_get_stackid,		US(1),	US(3),	US(50) },
	{ BPF_FUNC_get_stack,		US(1),	US(3),	US(50) },
	{ BPF_FUNC_get_task_stack,	US(1),	US(3),	US(50) },
	{ BPF_FUNC_d_path,		US(1),	US(3),	US(50) },
	/* locks: contended worst case */
	{ BPF_FUNC_spin_lock,		NS(10),	NS(20),	US(10) },
	{ BPF_FUNC_spin_unlock,		NS(5),	NS(10),	NS(500) },
	/* networking lookups */
	{ BPF_FUNC_sk_lookup_tcp,	NS(100), NS(300), US(10) },
	{ BPF_FUNC_sk_lookup_udp,	NS(100), NS(300), US(10) },
	{ BPF_FUNC_skc_lookup_tcp,	NS(100), NS(300), US(10) },
	{ BPF_FUNC_fib_lookup,		NS(100), NS(300), US(5) },
	{ BPF_FUNC_redirect,		NS(10),	NS(30),	US(1) },
	/* signals and timers */
	{ BPF_FUNC_send_signal,		US(1),	US(3),	US(50) },
	{ BPF_FUNC_timer_start,		NS(100), NS(300), US(5) },
	/* loop helpers: the helper itself; callbacks are costed separately */
	{ BPF_FUNC_loop,		NS(5),	NS(20),	NS(500) },
	{ BPF_FUNC_for_each_map_elem,	NS(10),	NS(30),	US(1) },
	{ BPF_FUNC_user_ringbuf_drain,	NS(50),	NS(200), US(2) },
	{ BPF_FUNC_find_vma,		NS(100), NS(500), US(5) },
};

struct an_default_map_entry {
	u16 type;
	u8 op;
	u64 best_ps;
	u64 typical_ps;
	u64 worst_ps;
};

#define MO(t, o, b, ty, w) { BPF_MAP_TYPE_##t, BPFRT_MAP_OP_##o, b, ty, w }

static const struct an_default_map_entry an_map_defaults[] = {
	/* arrays: an index computation and a copy of the value */
	MO(ARRAY, LOOKUP,		NS(1),	NS(3),	NS(300)),
	MO(ARRAY, UPDATE,		NS(10),	NS(30),	US(1)),
	MO(ARRAY, DELETE,		NS(1),	NS(2),	NS(50)),
	MO(ARRAY, FOR_EACH,		NS(2),	NS(5),	NS(300)),
	MO(PERCPU_ARRAY, LOOKUP,	NS(1),	NS(3),	NS(300)),
	MO(PERCPU_ARRAY, UPDATE,	NS(10),	NS(30),	US(1)),
	MO(PERCPU_ARRAY, DELETE,	NS(1),	NS(2),	NS(50)),
	MO(PERCPU_ARRAY, FOR_EACH,	NS(2),	NS(5),	NS(300)),
	MO(PERCPU_ARRAY, LOOKUP_PERCPU,	NS(1),	NS(3),	NS(300)),
	/* hashes: hash the key, walk a bucket; updates lock and allocate */
	MO(HASH, LOOKUP,		NS(10),	NS(30),	US(2)),
	MO(HASH, UPDATE,		NS(50),	NS(150), US(10)),
	MO(HASH, DELETE,		NS(30),	NS(100), US(5)),
	MO(HASH, FOR_EACH,		NS(5),	NS(20),	NS(500)),
	MO(PERCPU_HASH, LOOKUP,		NS(10),	NS(30),	US(2)),
	MO(PERCPU_HASH, UPDATE,		NS(50),	NS(200), US(10)),
	MO(PERCPU_HASH, DELETE,		NS(30),	NS(100), US(5)),
	MO(PERCPU_HASH, FOR_EACH,	NS(5),	NS(20),	NS(500)),
	MO(PERCPU_HASH, LOOKUP_PERCPU,	NS(10),	NS(30),	US(2)),
	MO(LRU_HASH, LOOKUP,		NS(10),	NS(40),	US(2)),
	MO(LRU_HASH, UPDATE,		NS(50),	NS(300), US(50)),
	MO(LRU_HASH, DELETE,		NS(30),	NS(100), US(10)),
	MO(LRU_HASH, FOR_EACH,		NS(5),	NS(20),	NS(500)),
	MO(LRU_PERCPU_HASH, LOOKUP,	NS(10),	NS(40),	US(2)),
	MO(LRU_PERCPU_HASH, UPDATE,	NS(50),	NS(300), US(50)),
	MO(LRU_PERCPU_HASH, DELETE,	NS(30),	NS(100), US(10)),
	MO(LRU_PERCPU_HASH, FOR_EACH,	NS(5),	NS(20),	NS(500)),
	/* longest prefix match: up to 128 levels for IPv6 keys */
	MO(LPM_TRIE, LOOKUP,		NS(50),	NS(200), US(20)),
	MO(LPM_TRIE, UPDATE,		NS(200), US(1),	US(50)),
	MO(LPM_TRIE, DELETE,		NS(200), US(1),	US(50)),
	/* queue and stack: a spinlock and a copy */
	MO(QUEUE, PUSH,			NS(20),	NS(50),	US(2)),
	MO(QUEUE, POP,			NS(20),	NS(50),	US(2)),
	MO(QUEUE, PEEK,			NS(20),	NS(50),	US(2)),
	MO(STACK, PUSH,			NS(20),	NS(50),	US(2)),
	MO(STACK, POP,			NS(20),	NS(50),	US(2)),
	MO(STACK, PEEK,			NS(20),	NS(50),	US(2)),
	/* redirect maps */
	MO(DEVMAP, REDIRECT,		NS(10),	NS(30),	US(1)),
	MO(DEVMAP_HASH, REDIRECT,	NS(10),	NS(40),	US(1)),
	MO(CPUMAP, REDIRECT,		NS(10),	NS(30),	US(1)),
	MO(XSKMAP, REDIRECT,		NS(10),	NS(30),	US(1)),
	MO(DEVMAP, LOOKUP,		NS(2),	NS(5),	NS(300)),
	MO(XSKMAP, LOOKUP,		NS(2),	NS(5),	NS(300)),
	/* socket maps: updates take the socket lock */
	MO(SOCKMAP, LOOKUP,		NS(5),	NS(20),	US(1)),
	MO(SOCKMAP, UPDATE,		NS(200), US(1),	US(50)),
	MO(SOCKMAP, DELETE,		NS(100), NS(500), US(20)),
	MO(SOCKHASH, LOOKUP,		NS(10),	NS(40),	US(2)),
	MO(SOCKHASH, UPDATE,		NS(200), US(1),	US(50)),
	MO(SOCKHASH, DELETE,		NS(100), NS(500), US(20)),
};

void bpfrt_cost_model_default(struct bpfrt_cost_model *cm)
{
	u32 i, ic, t, o;

	memset(cm, 0, sizeof(*cm));
	cm->size = sizeof(*cm);
	cm->version = BPFRT_CM_VERSION;
	for (i = 0; i < ARRAY_SIZE_AN(an_insn_defaults); i++) {
		const struct an_default_entry *e = &an_insn_defaults[i];

		cm->insn[e->id].best_ps = e->best_ps;
		cm->insn[e->id].typical_ps = e->typical_ps;
		cm->insn[e->id].worst_ps = e->worst_ps;
	}
	/* every helper: the generic default, then the specific entries */
	ic = BPFRT_IC_HELPER_DEFAULT;
	for (i = 1; i < BPFRT_CM_MAX_HELPERS; i++)
		cm->helper[i] = cm->insn[ic];
	for (i = 0; i < ARRAY_SIZE_AN(an_helper_defaults); i++) {
		const struct an_default_entry *e = &an_helper_defaults[i];

		if (e->id >= BPFRT_CM_MAX_HELPERS)
			continue;
		cm->helper[e->id].best_ps = e->best_ps;
		cm->helper[e->id].typical_ps = e->typical_ps;
		cm->helper[e->id].worst_ps = e->worst_ps;
	}
	/* every map type and operation: the generic default, then specifics */
	for (t = 0; t < BPFRT_CM_MAX_MAP_TYPES; t++)
		for (o = 0; o < BPFRT_MAP_OP_NR; o++)
			cm->map_op[t][o] = cm->insn[BPFRT_IC_MAP_OP_DEFAULT];
	for (i = 0; i < ARRAY_SIZE_AN(an_map_defaults); i++) {
		const struct an_default_map_entry *e = &an_map_defaults[i];

		if (e->type >= BPFRT_CM_MAX_MAP_TYPES)
			continue;
		cm->map_op[e->type][e->op].best_ps = e->best_ps;
		cm->map_op[e->type][e->op].typical_ps = e->typical_ps;
		cm->map_op[e->type][e->op].worst_ps = e->worst_ps;
	}
}
