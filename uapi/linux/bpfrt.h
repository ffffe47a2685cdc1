/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * bpfrt: runtime estimates and fast-path termination for BPF programs.
 *
 * The userspace ABI of /dev/bpfrt. Rules (Documentation/process/
 * botching-up-ioctls.rst):
 *  - every argument struct starts with a __u32 size that the caller sets to
 *    sizeof() of the struct it was compiled with; the module accepts smaller
 *    (older) and larger (newer) structs as long as the bytes it does not know
 *    are zero (copy_struct_from_user()), and answers with the size it filled;
 *    a struct larger than a page is refused with -E2BIG;
 *  - the size encoded in a command number is not part of the command: the
 *    struct's own size field governs, so a command keeps working for binaries
 *    built when its struct was smaller (magic, number and direction must
 *    match);
 *  - fixed-width fields only, no implicit padding, pointers as __u64;
 *  - reserved fields must be zero on input and are zero on output;
 *  - an unknown command returns -ENOTTY; a retired number is never reused.
 */
#ifndef _UAPI_LINUX_BPFRT_H
#define _UAPI_LINUX_BPFRT_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* Bumped when an incompatible change is made (never so far). */
#define BPFRT_ABI_VERSION	1

#define BPFRT_DEVICE_PATH	"/dev/bpfrt"
#define BPFRT_SYSFS_DIR		"/sys/kernel/bpfrt"

/* 0xB8 is unassigned in Documentation/userspace-api/ioctl/ioctl-number.rst */
#define BPFRT_IOC_MAGIC		0xB8

/* Feature bits reported by BPFRT_IOC_VERSION: what this module implements. */
#define BPFRT_FEAT_VERSION	(1ULL << 0)	/* the version ioctl itself */
#define BPFRT_FEAT_CAPTURE	(1ULL << 1)	/* programs captured, estimated,
						 * listed (PROG_LIST, PROG_INFO) */
#define BPFRT_FEAT_EVENTS	(1ULL << 2)	/* read()/poll() event stream */
#define BPFRT_FEAT_COSTS	(1ULL << 3)	/* COSTS_GET */
#define BPFRT_FEAT_COSTS_SET	(1ULL << 4)	/* COSTS_SET: tables uploaded,
						 * programs estimated again */
#define BPFRT_FEAT_WATCHDOG	(1ULL << 8)	/* watchdog, PROG_TERMINATE,
						 * PROG_RESTORE */

#define BPFRT_VERSION_LEN	32
#define BPFRT_RELEASE_LEN	65		/* __NEW_UTS_LEN + 1 */

/**
 * struct bpfrt_version - argument of BPFRT_IOC_VERSION
 * @size:		in: sizeof(struct bpfrt_version) as known to the
 *			caller; out: the number of bytes the module filled
 * @abi_version:	out: BPFRT_ABI_VERSION of the module
 * @features:		out: BPFRT_FEAT_* bits
 * @module_version:	out: NUL-terminated module version, "0.1.0"
 * @kernel_release:	out: NUL-terminated release of the running kernel
 * @pad:		must be zero
 * @reserved:		must be zero
 */
struct bpfrt_version {
	__u32 size;
	__u32 abi_version;
	__u64 features;
	char module_version[BPFRT_VERSION_LEN];
	char kernel_release[BPFRT_RELEASE_LEN];
	__u8 pad[7];
	__u64 reserved[4];
};

#define BPFRT_OBJ_NAME_LEN	16		/* BPF_OBJ_NAME_LEN */
#define BPFRT_TAG_SIZE		8		/* BPF_TAG_SIZE */
#define BPFRT_SYM_LEN		48		/* kernel symbol names in records */

/* struct bpfrt_prog_summary.flags: what the module knows of a program. */
#define BPFRT_PROG_F_JITED	(1U << 0)	/* runs as JIT code */
#define BPFRT_PROG_F_TERMINABLE	(1U << 1)	/* every image and call site was
						 * identified with certainty */
#define BPFRT_PROG_F_ADOPTED	(1U << 2)	/* loaded before the module: no
						 * verifier statistics */
#define BPFRT_PROG_F_BLINDED	(1U << 3)	/* constant blinding applied */
#define BPFRT_PROG_F_DECODED	(1U << 4)	/* call sites found by decoding
						 * the image (no offset map) */
#define BPFRT_PROG_F_EST_FAILED	(1U << 5)	/* the analyzer refused the
						 * program: see est_errno */
#define BPFRT_PROG_F_EXT	(1U << 6)	/* extension (freplace) program */
#define BPFRT_PROG_F_OVER_LIMIT	(1U << 7)	/* over the policy's limit at load
						 * (loaded: action audit) */

/*
 * Estimate flags (struct bpfrt_prog_summary.est_flags): what the bound
 * depends on. Equal to the analyzer's BPFRT_AN_F_* (module/analyzer).
 */
#define BPFRT_EST_F_LOOP_CAPPED		(1U << 0)  /* loop helper count not
						    * constant: kernel maximum */
#define BPFRT_EST_F_LOOP_UNBOUNDED	(1U << 1)  /* loop trip count not
						    * inferred: verifier budget */
#define BPFRT_EST_F_TAIL_CALL		(1U << 2)  /* tail-call targets not
						    * included */
#define BPFRT_EST_F_EXTENSION		(1U << 3)
#define BPFRT_EST_F_MISSING_COST	(1U << 4)
#define BPFRT_EST_F_DEFAULT_COST	(1U << 5)
#define BPFRT_EST_F_UNKNOWN_CALL	(1U << 6)
#define BPFRT_EST_F_IRREDUCIBLE		(1U << 7)
#define BPFRT_EST_F_UNKNOWN_MAP		(1U << 8)
#define BPFRT_EST_F_RECURSION		(1U << 9)
#define BPFRT_EST_F_NO_EXIT		(1U << 10)
#define BPFRT_EST_F_IMPRECISE		(1U << 11)
#define BPFRT_EST_F_UNBOUNDED		(1U << 12)

/* "No finite bound" in worst_ns and friends. */
#define BPFRT_UNBOUNDED		(~(__u64)0)

/**
 * struct bpfrt_prog_summary - one program, as listed by BPFRT_IOC_PROG_LIST
 * @id:		kernel program id (as bpftool shows it)
 * @type:	BPF_PROG_TYPE_*
 * @name:	program name, NUL-terminated
 * @tag:	program tag
 * @flags:	BPFRT_PROG_F_*
 * @est_flags:	BPFRT_EST_F_*
 * @best_ns:	best-case runtime estimate
 * @worst_ns:	worst-case runtime estimate, BPFRT_UNBOUNDED if none
 * @insn_cnt:	final (post-fixup) instructions, all functions
 * @func_cnt:	functions (1 for a program without bpf-to-bpf calls)
 * @est_errno:	analyzer error (positive errno) when BPFRT_PROG_F_EST_FAILED
 * @reserved:	zero
 */
struct bpfrt_prog_summary {
	__u32 id;
	__u32 type;
	char name[BPFRT_OBJ_NAME_LEN];
	__u8 tag[BPFRT_TAG_SIZE];
	__u32 flags;
	__u32 est_flags;
	__u64 best_ns;
	__u64 worst_ns;
	__u32 insn_cnt;
	__u32 func_cnt;
	__u32 est_errno;
	__u32 reserved;
};

/**
 * struct bpfrt_prog_list - argument of BPFRT_IOC_PROG_LIST (paging)
 * @size:	sizeof(struct bpfrt_prog_list)
 * @entry_size:	in: sizeof(struct bpfrt_prog_summary) as the caller knows
 *		it (at least the size of version 1); entries are written
 *		with this stride, truncated or zero-extended
 * @start_id:	in: list programs whose id is >= start_id, in id order
 * @count:	in: room in @entries; out: entries written
 * @entries:	in: user pointer to @count entries of @entry_size bytes
 * @total:	out: programs recorded (including ones not listed yet)
 * @next_id:	out: start_id for the next page; 0 when this was the last
 * @reserved:	zero
 *
 * Programs whose load has not finished (no id yet) are not listed.
 */
struct bpfrt_prog_list {
	__u32 size;
	__u32 entry_size;
	__u32 start_id;
	__u32 count;
	__u64 entries;
	__u32 total;
	__u32 next_id;
	__u64 reserved[2];
};

/* Kinds of a contributor to the worst case (BPFRT_AN_C_* in the analyzer). */
#define BPFRT_CONTRIB_INSNS		0	/* plain instructions of a function */
#define BPFRT_CONTRIB_LOOP		1	/* plain instructions of a loop body;
						 * insn is the loop header */
#define BPFRT_CONTRIB_HELPER		2	/* id = helper id */
#define BPFRT_CONTRIB_MAP_OP		3	/* id = map index, op = map op */
#define BPFRT_CONTRIB_KFUNC		4
#define BPFRT_CONTRIB_CALL		5	/* bpf-to-bpf call, id = callee */
#define BPFRT_CONTRIB_CALLBACK		6	/* callback invocations, id = callee */
#define BPFRT_CONTRIB_TAIL_CALL		7
#define BPFRT_CONTRIB_UNKNOWN_CALL	8

/*
 * Map operations (struct bpfrt_contrib.op for BPFRT_CONTRIB_MAP_OP). Equal
 * to the analyzer's enum bpfrt_map_op (module/analyzer/analyzer.h).
 */
#define BPFRT_MOP_LOOKUP		0
#define BPFRT_MOP_UPDATE		1
#define BPFRT_MOP_DELETE		2
#define BPFRT_MOP_PUSH		3
#define BPFRT_MOP_POP		4
#define BPFRT_MOP_PEEK		5
#define BPFRT_MOP_REDIRECT		6
#define BPFRT_MOP_FOR_EACH		7
#define BPFRT_MOP_LOOKUP_PERCPU	8

/**
 * struct bpfrt_contrib - one of the largest contributors to the worst case
 * @func:	function index
 * @insn:	instruction index within that function
 * @kind:	BPFRT_CONTRIB_*
 * @op:		BPFRT_MOP_* for BPFRT_CONTRIB_MAP_OP
 * @id:		helper id, map index or callee function, by @kind
 * @multiplier:	times it runs on the worst path
 * @cost_ps:	total cost on the worst path, picoseconds
 * @share_pm:	share of the worst case, per mille
 * @reserved:	zero
 */
struct bpfrt_contrib {
	__u32 func;
	__u32 insn;
	__u16 kind;
	__u16 op;
	__u32 id;
	__u64 multiplier;
	__u64 cost_ps;
	__u32 share_pm;
	__u32 reserved;
};

#define BPFRT_MAX_CONTRIB	8

/* struct bpfrt_call_site.kind */
#define BPFRT_SITE_HELPER	0	/* id = helper id (BPF_FUNC_*) */
#define BPFRT_SITE_MAP_OP	1	/* id = map index, op = map op */
#define BPFRT_SITE_KFUNC	2
#define BPFRT_SITE_FUNC		3	/* bpf-to-bpf call, id = callee */
#define BPFRT_SITE_UNKNOWN	4	/* target not identified */

/**
 * struct bpfrt_call_site - one call instruction in the JIT image
 * @func:	function index
 * @insn:	BPF instruction index in that function, or ~0U when the site
 *		was found by decoding the image
 * @jit_off:	offset of the 5-byte call from the function's image start
 * @kind:	BPFRT_SITE_*
 * @op:		map op for BPFRT_SITE_MAP_OP
 * @id:		by @kind; ~0U when unknown
 * @target:	the called kernel function's name, NUL-terminated
 */
struct bpfrt_call_site {
	__u32 func;
	__u32 insn;
	__u32 jit_off;
	__u16 kind;
	__u16 op;
	__u32 id;
	__u32 reserved;
	char target[BPFRT_SYM_LEN];
};

/**
 * struct bpfrt_map_desc - a map the program uses, by index (used_maps order)
 */
struct bpfrt_map_desc {
	__u32 id;		/* kernel map id */
	__u32 type;		/* BPF_MAP_TYPE_* */
	__u32 max_entries;
	__u32 key_size;
	__u32 value_size;
	__u32 reserved;
	char name[BPFRT_OBJ_NAME_LEN];
};

#define BPFRT_MAX_MAPS		64	/* MAX_USED_MAPS */

/**
 * struct bpfrt_prog_info - argument of BPFRT_IOC_PROG_INFO
 * @size:		sizeof(struct bpfrt_prog_info)
 * @id:			in: program id
 * @summary:		out: as in the list
 * @verified_insns:	out: instructions the verifier processed
 * @verify_ns:		out: time bpf_check() took; 0 if not seen (adopted)
 * @jited_len:		out: bytes of JIT code, all functions
 * @best_ps, @worst_ps:	out: the estimate in picoseconds
 * @best_insns, @worst_insns: out: BPF instructions on the best/worst path
 * @best_helper_calls, @worst_helper_calls: out: helper/map/kfunc calls on
 *			the best/worst path
 * @contrib_cnt:	out: valid entries in @contrib
 * @map_cnt:		out: maps the program uses; the first
 *			min(map_cnt, BPFRT_MAX_MAPS) are in @maps
 * @contrib:		out: largest contributors, largest first
 * @site_cnt:		in: room in @sites; out: call sites in the program
 *			(may exceed the room: call again with more)
 * @sites:		in: user pointer to @site_cnt struct bpfrt_call_site,
 *			or 0
 * @maps:		in: user pointer to BPFRT_MAX_MAPS struct
 *			bpfrt_map_desc, or 0
 * @term_requested:	out: terminations requested (watchdog or manual)
 * @term_completed:	out: terminated instances that returned
 * @term_last_latency_ns: out: request to return, the last one
 * @term_stub_hits:	out: calls a stub answered instead of the helper
 * @term_state:		out: BPFRT_TERM_*
 * @image_crc32:	out: CRC32 of all JIT images (0 if not JITed); equal
 *			before arming and after restoring
 * @reserved:		zero
 */
struct bpfrt_prog_info {
	__u32 size;
	__u32 id;
	struct bpfrt_prog_summary summary;
	__u64 verified_insns;
	__u64 verify_ns;
	__u64 jited_len;
	__u64 best_ps;
	__u64 worst_ps;
	__u64 best_insns;
	__u64 worst_insns;
	__u64 best_helper_calls;
	__u64 worst_helper_calls;
	__u32 contrib_cnt;
	__u32 map_cnt;
	struct bpfrt_contrib contrib[BPFRT_MAX_CONTRIB];
	__u32 site_cnt;
	__u32 reserved0;
	__u64 sites;
	__u64 maps;
	__u64 term_requested;
	__u64 term_completed;
	__u64 term_last_latency_ns;
	__u64 term_stub_hits;
	__u32 term_state;
	__u32 image_crc32;
	__u64 reserved[2];
};

/* struct bpfrt_prog_info.term_state */
#define BPFRT_TERM_ARMED	(1U << 0)	/* call sites lead to stubs now */
#define BPFRT_TERM_ALL_CPUS	(1U << 1)	/* stubs act on every CPU */

/**
 * struct bpfrt_costs_get - argument of BPFRT_IOC_COSTS_GET
 * @size:	sizeof(struct bpfrt_costs_get)
 * @buf_size:	in: bytes at @buf; out: bytes of the cost table
 * @buf:	in: user pointer; receives the table (struct bpfrt_cost_model
 *		of module/analyzer/analyzer.h, whose first __u32 is its size)
 *		when @buf_size is large enough, else -ENOSPC
 * @source:	out: BPFRT_COSTS_BUILTIN or BPFRT_COSTS_UPLOADED
 * @description: out: what the table is: "built-in conservative defaults",
 *		or the uploader's description
 * @generation:	out: table changes since the module was loaded (0: the
 *		built-in table was never replaced)
 * @reserved:	zero
 */
struct bpfrt_costs_get {
	__u32 size;
	__u32 buf_size;
	__u64 buf;
	__u32 source;
	__u32 reserved0;
	char description[64];	/* out: what the table is, e.g. "built-in" */
	__u32 generation;
	__u32 reserved1;
	__u64 reserved[1];
};

#define BPFRT_COSTS_BUILTIN	0
#define BPFRT_COSTS_UPLOADED	1

/* struct bpfrt_costs_set.flags */
#define BPFRT_COSTS_SET_BUILTIN	(1U << 0)	/* go back to the built-in table
						 * (@buf 0, @buf_size 0) */

/*
 * Why a table was refused (struct bpfrt_costs_set.fault), and where
 * (fault_part, fault_index, fault_op). Equal to the analyzer's
 * enum bpfrt_cm_fault and enum bpfrt_cm_part.
 */
#define BPFRT_COSTS_FAULT_NONE		0
#define BPFRT_COSTS_FAULT_HEADER	1	/* size, version or reserved of
						 * the table */
#define BPFRT_COSTS_FAULT_MISSING	2	/* an instruction class has no
						 * cost (all three values 0) */
#define BPFRT_COSTS_FAULT_ORDER		3	/* best > typical or typical >
						 * worst */
#define BPFRT_COSTS_FAULT_RANGE		4	/* a value above one second */
#define BPFRT_COSTS_FAULT_MEASURED	5	/* "measured" bit on an absent
						 * or unused entry */
#define BPFRT_COSTS_FAULT_UNUSED	6	/* a value in a slot no class or
						 * map operation uses */
#define BPFRT_COSTS_PART_HEADER		0
#define BPFRT_COSTS_PART_INSN		1	/* index: instruction class */
#define BPFRT_COSTS_PART_HELPER		2	/* index: helper id */
#define BPFRT_COSTS_PART_MAP_OP		3	/* index: map type, op: map op */

/**
 * struct bpfrt_costs_set - argument of BPFRT_IOC_COSTS_SET
 * @size:	sizeof(struct bpfrt_costs_set)
 * @buf_size:	in: bytes at @buf: exactly the size of the module's table
 *		(the buf_size COSTS_GET answers), else -EMSGSIZE
 * @buf:	in: user pointer to a struct bpfrt_cost_model
 *		(module/analyzer/analyzer.h)
 * @flags:	in: BPFRT_COSTS_SET_*
 * @reserved0:	zero
 * @description: in: NUL-terminated, what the table is, as COSTS_GET and
 *		/sys/kernel/bpfrt/costs_description will say; not empty
 *		(all zero with BPFRT_COSTS_SET_BUILTIN)
 * @progs:	out: recorded programs estimated again with the new table
 * @failed:	out: of those, how many the analyzer refused (flagged
 *		BPFRT_PROG_F_EST_FAILED)
 * @fault:	out: BPFRT_COSTS_FAULT_*; also written back when the ioctl
 *		fails with -EINVAL or -ERANGE because the table is invalid
 * @fault_part:	out: BPFRT_COSTS_PART_*
 * @fault_index: out: instruction class, helper id or map type
 * @fault_op:	out: map operation
 * @reserved:	zero
 *
 * A table that is refused changes nothing. An accepted one is used for
 * every estimate from then on, and every recorded program is estimated
 * again before the ioctl returns.
 */
struct bpfrt_costs_set {
	__u32 size;
	__u32 buf_size;
	__u64 buf;
	__u32 flags;
	__u32 reserved0;
	char description[64];
	__u32 progs;
	__u32 failed;
	__u32 fault;
	__u32 fault_part;
	__u32 fault_index;
	__u32 fault_op;
	__u64 reserved[2];
};

/*
 * Event stream: read() on /dev/bpfrt returns whole records, oldest first,
 * from the moment the file was opened; poll() says when one is ready. A
 * reader that falls behind by more than the module's ring gets a
 * BPFRT_EV_LOST record counting what it missed. Records only grow at
 * their end (new fields after the old ones); @size says how long one is.
 */
#define BPFRT_EVENT_VERSION	1

#define BPFRT_EV_PROG_ESTIMATED	1	/* a program was loaded and estimated */
#define BPFRT_EV_PROG_FREED	2	/* the kernel freed a recorded program */
#define BPFRT_EV_LOST		3	/* @lost events were dropped */
#define BPFRT_EV_PROG_REJECTED	4	/* the policy refused a load: the program
					 * never got an id (@prog.id is 0) and
					 * no PROG_FREED follows; @limit_ns */
#define BPFRT_EV_PROG_OVER_LIMIT 5	/* a program over the policy's limit was
					 * loaded (action audit), after its
					 * PROG_ESTIMATED; @limit_ns */
/* The watchdog (/sys/kernel/bpfrt/watchdog/). */
#define BPFRT_EV_RUNTIME_EXCEEDED 16	/* an instance ran past the limit
					 * (action report or terminate) */
#define BPFRT_EV_TERMINATING	17	/* its termination was requested */
#define BPFRT_EV_TERMINATED	18	/* the terminated instance returned */
#define BPFRT_EV_NOT_TERMINABLE	19	/* over the limit, but its call sites
					 * are not known with certainty */

/**
 * struct bpfrt_event - one record of the event stream
 * @size:	bytes of this record
 * @version:	BPFRT_EVENT_VERSION
 * @type:	BPFRT_EV_*
 * @seq:	sequence number, consecutive across all events
 * @time_ns:	CLOCK_MONOTONIC time of the event
 * @prog:	the program (for PROG_* events)
 * @lost:	for BPFRT_EV_LOST, events dropped
 * @limit_ns:	for BPFRT_EV_PROG_REJECTED and BPFRT_EV_PROG_OVER_LIMIT, the
 *		worst-case limit the program was judged against
 *		(/sys/kernel/bpfrt/policy); for the watchdog's events, its
 *		runtime limit; 0 otherwise
 * @latency_ns:	for BPFRT_EV_RUNTIME_EXCEEDED, how long the instance had run
 *		when seen over the limit; for BPFRT_EV_TERMINATED, from the
 *		termination request to the instance's return (watchdog-period
 *		granularity)
 * @cpu:	for the watchdog's events, the CPU of the instance
 * @sites:	for BPFRT_EV_TERMINATED, the call sites armed with stubs
 */
struct bpfrt_event {
	__u32 size;
	__u16 version;
	__u16 type;
	__u64 seq;
	__u64 time_ns;
	struct bpfrt_prog_summary prog;
	__u64 lost;
	__u64 limit_ns;
	__u64 latency_ns;
	__u32 cpu;
	__u32 sites;
};

/*
 * Load-time policy (/sys/kernel/bpfrt/policy/, documented in
 * module/ABI/sysfs-kernel-bpfrt): a BPF_PROG_LOAD the policy rejects fails
 * with this errno, which neither the verifier nor bpf_prog_load() returns,
 * and the reason is appended to the loader's verifier log if it gave one.
 */
#define BPFRT_REJECT_ERRNO	EDQUOT		/* "Disk quota exceeded" */
#define BPFRT_SYSFS_POLICY_DIR	BPFRT_SYSFS_DIR "/policy"

/**
 * struct bpfrt_prog_term - argument of BPFRT_IOC_PROG_TERMINATE / _RESTORE
 * @size:	sizeof(struct bpfrt_prog_term)
 * @id:		in: program id
 * @sites:	out: call sites and callback entries patched (TERMINATE) or
 *		restored (RESTORE)
 * @reserved:	zero
 *
 * TERMINATE makes every running and future instance of the program, on
 * every CPU, finish fast: helper calls return a legitimate failure and
 * loop-helper callbacks ask to stop (see README, "Termination"). It stays
 * so until RESTORE or until the program is freed. -EOPNOTSUPP when the
 * program's call sites are not known with certainty. Both commands need
 * CAP_SYS_ADMIN (-EPERM otherwise), like BPFRT_IOC_COSTS_SET.
 */
struct bpfrt_prog_term {
	__u32 size;
	__u32 id;
	__u32 sites;
	__u32 reserved0;
	__u64 reserved[2];
};

/* Command numbers; 0x00 is the version query and always will be. */
#define BPFRT_IOC_VERSION	_IOWR(BPFRT_IOC_MAGIC, 0x00, struct bpfrt_version)
#define BPFRT_IOC_PROG_LIST	_IOWR(BPFRT_IOC_MAGIC, 0x01, struct bpfrt_prog_list)
#define BPFRT_IOC_PROG_INFO	_IOWR(BPFRT_IOC_MAGIC, 0x02, struct bpfrt_prog_info)
#define BPFRT_IOC_COSTS_GET	_IOWR(BPFRT_IOC_MAGIC, 0x03, struct bpfrt_costs_get)
#define BPFRT_IOC_COSTS_SET	_IOWR(BPFRT_IOC_MAGIC, 0x04, struct bpfrt_costs_set)
#define BPFRT_IOC_PROG_TERMINATE _IOWR(BPFRT_IOC_MAGIC, 0x05, struct bpfrt_prog_term)
#define BPFRT_IOC_PROG_RESTORE	_IOWR(BPFRT_IOC_MAGIC, 0x06, struct bpfrt_prog_term)

#endif /* _UAPI_LINUX_BPFRT_H */
