// SPDX-License-Identifier: GPL-2.0
/*
 * Cost table files (see costtab.h), with json-c.
 *
 * {
 *   "format": "bpfrt-costs", "format_version": 1, "cost_model_version": 1,
 *   "description": "...", "created": "2025-01-01T00:00:00Z",
 *   "tool_version": "0.1.0",
 *   "machine": { "hostname", "arch", "cpu_model", "cpus" },
 *   "kernel": { "release", "version" },
 *   "method": { "quick", "rounds", "worst_quantile", "worst_margin",
 *               "timing", "outlier_rule", "calibrate_seconds" },
 *   "insns":   { "alu64": ENTRY, ... },
 *   "helpers": { "bpf_ktime_get_ns": ENTRY + "id", ... },
 *   "map_ops": { "hash": { "lookup": ENTRY, ... }, ... }
 * }
 * ENTRY: { "best_ps", "typical_ps", "worst_ps", "measured", and when known
 *          "samples", "discarded", "prog_types", "note" }
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "costtab.h"
#include "names.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const char *const insn_names[BPFRT_IC_NR] = {
	[BPFRT_IC_ALU32]		= "alu32",
	[BPFRT_IC_ALU64]		= "alu64",
	[BPFRT_IC_MUL]			= "mul",
	[BPFRT_IC_DIV]			= "div",
	[BPFRT_IC_ENDIAN]		= "endian",
	[BPFRT_IC_LDX_B]		= "ldx_b",
	[BPFRT_IC_LDX_H]		= "ldx_h",
	[BPFRT_IC_LDX_W]		= "ldx_w",
	[BPFRT_IC_LDX_DW]		= "ldx_dw",
	[BPFRT_IC_ST_B]			= "st_b",
	[BPFRT_IC_ST_H]			= "st_h",
	[BPFRT_IC_ST_W]			= "st_w",
	[BPFRT_IC_ST_DW]		= "st_dw",
	[BPFRT_IC_ATOMIC]		= "atomic",
	[BPFRT_IC_ATOMIC_FETCH]		= "atomic_fetch",
	[BPFRT_IC_LD_IMM64]		= "ld_imm64",
	[BPFRT_IC_LD_ABS]		= "ld_abs",
	[BPFRT_IC_JMP_TAKEN]		= "jmp_taken",
	[BPFRT_IC_JMP_NOT_TAKEN]	= "jmp_not_taken",
	[BPFRT_IC_JA]			= "ja",
	[BPFRT_IC_CALL_FUNC]		= "call_func",
	[BPFRT_IC_EXIT]			= "exit",
	[BPFRT_IC_CALLBACK]		= "callback",
	[BPFRT_IC_TAIL_CALL]		= "tail_call",
	[BPFRT_IC_KFUNC]		= "kfunc",
	[BPFRT_IC_UNKNOWN_CALL]		= "unknown_call",
	[BPFRT_IC_HELPER_DEFAULT]	= "helper_default",
	[BPFRT_IC_MAP_OP_DEFAULT]	= "map_op_default",
	[BPFRT_IC_NOSPEC]		= "nospec",
};

const char *costtab_insn_name(unsigned int ic)
{
	return ic < BPFRT_IC_NR ? insn_names[ic] : NULL;
}

int costtab_insn_by_name(const char *name)
{
	unsigned int i;

	for (i = 0; i < BPFRT_IC_NR; i++)
		if (insn_names[i] && !strcmp(insn_names[i], name))
			return i;
	return -1;
}

void costtab_init(struct costtab *t)
{
	memset(t, 0, sizeof(*t));
	bpfrt_cost_model_default(&t->cm);
}

static bool bit_get(const __u64 *bits, unsigned int i)
{
	return bits[i / 64] & (1ULL << (i % 64));
}

static void bit_set(__u64 *bits, unsigned int i, bool on)
{
	if (on)
		bits[i / 64] |= 1ULL << (i % 64);
	else
		bits[i / 64] &= ~(1ULL << (i % 64));
}

bool costtab_insn_measured(const struct costtab *t, unsigned int ic)
{
	return ic < 32 && (t->cm.insn_measured & (1u << ic));
}

bool costtab_helper_measured(const struct costtab *t, unsigned int id)
{
	return id < BPFRT_CM_MAX_HELPERS && bit_get(t->cm.helper_measured, id);
}

bool costtab_map_op_measured(const struct costtab *t, unsigned int type,
			     unsigned int op)
{
	return type < BPFRT_CM_MAX_MAP_TYPES && op < BPFRT_CM_MAP_OPS &&
	       bit_get(t->cm.map_op_measured, type * BPFRT_CM_MAP_OPS + op);
}

void costtab_set_insn(struct costtab *t, unsigned int ic,
		      const struct bpfrt_cost *c, bool measured)
{
	if (ic >= BPFRT_IC_NR)
		return;
	t->cm.insn[ic] = *c;
	if (measured)
		t->cm.insn_measured |= 1u << ic;
	else
		t->cm.insn_measured &= ~(1u << ic);
	t->insn[ic].present = true;
}

void costtab_set_helper(struct costtab *t, unsigned int id,
			const struct bpfrt_cost *c, bool measured)
{
	if (!id || id >= BPFRT_CM_MAX_HELPERS)
		return;
	t->cm.helper[id] = *c;
	bit_set(t->cm.helper_measured, id, measured);
	t->helper[id].present = true;
}

void costtab_set_map_op(struct costtab *t, unsigned int type, unsigned int op,
			const struct bpfrt_cost *c, bool measured)
{
	if (type >= BPFRT_CM_MAX_MAP_TYPES || op >= BPFRT_MAP_OP_NR)
		return;
	t->cm.map_op[type][op] = *c;
	bit_set(t->cm.map_op_measured, type * BPFRT_CM_MAP_OPS + op, measured);
	t->map_op[type][op].present = true;
}

/* --- writing ------------------------------------------------------------- */

static void add_str(json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, json_object_new_string(v ? v : ""));
}

static void add_u64(json_object *o, const char *k, __u64 v)
{
	json_object_object_add(o, k, json_object_new_uint64(v));
}

static json_object *entry_json(const struct bpfrt_cost *c, bool measured,
			       const struct costtab_note *n)
{
	json_object *e = json_object_new_object();

	add_u64(e, "best_ps", c->best_ps);
	add_u64(e, "typical_ps", c->typical_ps);
	add_u64(e, "worst_ps", c->worst_ps);
	json_object_object_add(e, "measured", json_object_new_boolean(measured));
	if (n->samples || n->discarded) {
		add_u64(e, "samples", n->samples);
		add_u64(e, "discarded", n->discarded);
	}
	if (n->types[0])
		add_str(e, "prog_types", n->types);
	if (n->reason[0])
		add_str(e, "note", n->reason);
	return e;
}

static bool same_cost(const struct bpfrt_cost *a, const struct bpfrt_cost *b)
{
	return a->best_ps == b->best_ps && a->typical_ps == b->typical_ps &&
	       a->worst_ps == b->worst_ps;
}

/* "bpf_ktime_get_ns", or "helper_N" for an id this CLI has no name for. */
static void helper_key(char *buf, size_t len, unsigned int id)
{
	const char *n = helper_name(id);

	if (n)
		snprintf(buf, len, "%s", n);
	else
		snprintf(buf, len, "helper_%u", id);
}

static void map_type_key(char *buf, size_t len, unsigned int type)
{
	const char *n = map_type_name(type);

	if (n)
		snprintf(buf, len, "%s", n);
	else
		snprintf(buf, len, "type_%u", type);
}

json_object *costtab_json_object(const struct costtab *t)
{
	struct bpfrt_cost_model *def;
	json_object *root, *o, *sect;
	unsigned int i, ty, op;
	char key[64];

	def = malloc(sizeof(*def));
	if (!def)
		return NULL;
	bpfrt_cost_model_default(def);

	root = json_object_new_object();
	add_str(root, "format", COSTTAB_FORMAT);
	add_u64(root, "format_version", COSTTAB_FORMAT_VERSION);
	add_u64(root, "cost_model_version", t->cm.version);
	add_str(root, "description", t->description);
	add_str(root, "created", t->created);
	add_str(root, "tool_version", t->tool_version);

	o = json_object_new_object();
	add_str(o, "hostname", t->hostname);
	add_str(o, "arch", t->arch);
	add_str(o, "cpu_model", t->cpu_model);
	add_u64(o, "cpus", t->cpus);
	json_object_object_add(root, "machine", o);

	o = json_object_new_object();
	add_str(o, "release", t->kernel_release);
	add_str(o, "version", t->kernel_version);
	json_object_object_add(root, "kernel", o);

	o = json_object_new_object();
	json_object_object_add(o, "quick", json_object_new_boolean(t->quick));
	add_u64(o, "rounds", t->rounds);
	json_object_object_add(o, "worst_quantile",
			       json_object_new_double(t->quantile));
	json_object_object_add(o, "worst_margin",
			       json_object_new_double(t->margin));
	add_str(o, "timing", t->timing);
	add_str(o, "outlier_rule", t->outlier_rule);
	json_object_object_add(o, "calibrate_seconds",
			       json_object_new_double(t->calibrate_s));
	json_object_object_add(root, "method", o);

	sect = json_object_new_object();
	for (i = 0; i < BPFRT_IC_NR; i++)
		json_object_object_add(sect, insn_names[i],
				       entry_json(&t->cm.insn[i],
						  costtab_insn_measured(t, i),
						  &t->insn[i]));
	json_object_object_add(root, "insns", sect);

	sect = json_object_new_object();
	for (i = 1; i < BPFRT_CM_MAX_HELPERS; i++) {
		bool m = costtab_helper_measured(t, i);

		if (!m && !t->helper[i].present &&
		    same_cost(&t->cm.helper[i], &def->helper[i]))
			continue;
		helper_key(key, sizeof(key), i);
		o = entry_json(&t->cm.helper[i], m, &t->helper[i]);
		add_u64(o, "id", i);
		json_object_object_add(sect, key, o);
	}
	json_object_object_add(root, "helpers", sect);

	sect = json_object_new_object();
	for (ty = 0; ty < BPFRT_CM_MAX_MAP_TYPES; ty++) {
		json_object *per = NULL;

		for (op = 0; op < BPFRT_MAP_OP_NR; op++) {
			bool m = costtab_map_op_measured(t, ty, op);

			if (!m && !t->map_op[ty][op].present &&
			    same_cost(&t->cm.map_op[ty][op],
				      &def->map_op[ty][op]))
				continue;
			if (!per)
				per = json_object_new_object();
			json_object_object_add(per, map_op_name(op),
					       entry_json(&t->cm.map_op[ty][op],
							  m, &t->map_op[ty][op]));
		}
		if (per) {
			map_type_key(key, sizeof(key), ty);
			json_object_object_add(sect, key, per);
		}
	}
	json_object_object_add(root, "map_ops", sect);
	free(def);
	return root;
}

const char *costtab_json_string(json_object *o, bool pretty)
{
	return json_object_to_json_string_ext(o,
			(pretty ? JSON_C_TO_STRING_PRETTY |
				  JSON_C_TO_STRING_SPACED :
				  JSON_C_TO_STRING_PLAIN) |
			JSON_C_TO_STRING_NOSLASHESCAPE);
}

char *costtab_to_json(const struct costtab *t, bool pretty)
{
	json_object *root = costtab_json_object(t);
	char *out;

	if (!root)
		return NULL;
	out = strdup(costtab_json_string(root, pretty));
	json_object_put(root);
	return out;
}

/* --- reading ------------------------------------------------------------- */

struct rd {
	char *err;
	size_t errlen;
};

static int rd_fail(struct rd *r, const char *fmt, const char *a,
		   const char *b)
{
	snprintf(r->err, r->errlen, fmt, a, b);
	return -EINVAL;
}

static void get_str(json_object *o, const char *k, char *dst, size_t len)
{
	json_object *v;

	if (json_object_object_get_ex(o, k, &v) &&
	    json_object_is_type(v, json_type_string))
		snprintf(dst, len, "%s", json_object_get_string(v));
}

/* A non-negative integer member; 0 if absent, -EINVAL if not one. */
static int get_u64(struct rd *r, json_object *o, const char *k, __u64 *dst,
		   const char *where)
{
	json_object *v;

	*dst = 0;
	if (!json_object_object_get_ex(o, k, &v))
		return 0;
	if (!json_object_is_type(v, json_type_int))
		return rd_fail(r, "%s: %s is not an integer", where, k);
	errno = 0;
	if (json_object_get_int64(v) < 0)
		return rd_fail(r, "%s: %s is negative", where, k);
	*dst = json_object_get_uint64(v);
	if (errno)
		return rd_fail(r, "%s: %s is out of range", where, k);
	return 0;
}

static int get_entry(struct rd *r, json_object *e, const char *where,
		     struct bpfrt_cost *c, bool *measured,
		     struct costtab_note *n)
{
	json_object *v;
	__u64 x;
	int ret;

	if (!json_object_is_type(e, json_type_object))
		return rd_fail(r, "%s: not an object%s", where, "");
	if (!json_object_object_get_ex(e, "best_ps", &v) ||
	    !json_object_object_get_ex(e, "typical_ps", &v) ||
	    !json_object_object_get_ex(e, "worst_ps", &v))
		return rd_fail(r, "%s: needs best_ps, typical_ps and worst_ps%s",
			       where, "");
	ret = get_u64(r, e, "best_ps", &c->best_ps, where);
	if (!ret)
		ret = get_u64(r, e, "typical_ps", &c->typical_ps, where);
	if (!ret)
		ret = get_u64(r, e, "worst_ps", &c->worst_ps, where);
	if (ret)
		return ret;
	*measured = json_object_object_get_ex(e, "measured", &v) &&
		    json_object_get_boolean(v);
	memset(n, 0, sizeof(*n));
	n->present = true;
	if (!get_u64(r, e, "samples", &x, where))
		n->samples = x;
	if (!get_u64(r, e, "discarded", &x, where))
		n->discarded = x;
	get_str(e, "prog_types", n->types, sizeof(n->types));
	get_str(e, "note", n->reason, sizeof(n->reason));
	return 0;
}

static int helper_by_name(const char *name)
{
	unsigned int id;

	if (!strncmp(name, "helper_", 7))
		return atoi(name + 7);
	for (id = 1; id < BPFRT_CM_MAX_HELPERS; id++) {
		const char *n = helper_name(id);

		if (n && !strcmp(n, name))
			return id;
	}
	return -1;
}

static int map_type_by_name(const char *name)
{
	unsigned int t;

	if (!strncmp(name, "type_", 5))
		return atoi(name + 5);
	for (t = 0; t < BPFRT_CM_MAX_MAP_TYPES; t++) {
		const char *n = map_type_name(t);

		if (n && !strcmp(n, name))
			return t;
	}
	return -1;
}

static int map_op_by_name(const char *name)
{
	unsigned int op;

	for (op = 0; op < BPFRT_MAP_OP_NR; op++)
		if (map_op_name(op) && !strcmp(map_op_name(op), name))
			return op;
	return -1;
}

static const char *const fault_words[BPFRT_CM_FAULT_NR] = {
	[BPFRT_CM_FAULT_NONE]		= "no fault",
	[BPFRT_CM_FAULT_HEADER]		= "bad size, version or reserved field",
	[BPFRT_CM_FAULT_MISSING]	= "no cost (all three values are 0)",
	[BPFRT_CM_FAULT_ORDER]		= "best, typical and worst are not in order",
	[BPFRT_CM_FAULT_RANGE]		= "a value above one second",
	[BPFRT_CM_FAULT_MEASURED]	= "marked measured but absent or unused",
	[BPFRT_CM_FAULT_UNUSED]		= "a value in an unused slot",
};

static int rd_sections(struct rd *r, json_object *root, struct costtab *t)
{
	json_object *sect, *v;
	struct bpfrt_cost c;
	bool m;
	int ret;

	if (json_object_object_get_ex(root, "insns", &sect)) {
		json_object_object_foreach(sect, k, e) {
			struct costtab_note n;
			int ic = costtab_insn_by_name(k);
			char where[96];

			snprintf(where, sizeof(where), "insns.%s", k);
			if (ic < 0)
				return rd_fail(r, "%s: unknown instruction class%s",
					       where, "");
			ret = get_entry(r, e, where, &c, &m, &n);
			if (ret)
				return ret;
			costtab_set_insn(t, ic, &c, m);
			t->insn[ic] = n;
		}
	}
	if (json_object_object_get_ex(root, "helpers", &sect)) {
		json_object_object_foreach(sect, k, e) {
			struct costtab_note n;
			int id = helper_by_name(k);
			char where[96];
			__u64 x;

			snprintf(where, sizeof(where), "helpers.%s", k);
			if (json_object_is_type(e, json_type_object) &&
			    json_object_object_get_ex(e, "id", &v)) {
				ret = get_u64(r, e, "id", &x, where);
				if (ret)
					return ret;
				id = x < BPFRT_CM_MAX_HELPERS ? (int)x : -1;
			}
			if (id <= 0 || id >= BPFRT_CM_MAX_HELPERS)
				return rd_fail(r, "%s: unknown helper or id out of range%s",
					       where, "");
			ret = get_entry(r, e, where, &c, &m, &n);
			if (ret)
				return ret;
			costtab_set_helper(t, id, &c, m);
			t->helper[id] = n;
		}
	}
	if (json_object_object_get_ex(root, "map_ops", &sect)) {
		json_object_object_foreach(sect, tk, per) {
			int ty = map_type_by_name(tk);

			if (ty < 0 || ty >= BPFRT_CM_MAX_MAP_TYPES ||
			    !json_object_is_type(per, json_type_object))
				return rd_fail(r, "map_ops.%s: unknown map type%s",
					       tk, "");
			json_object_object_foreach(per, ok, e) {
				struct costtab_note n;
				int op = map_op_by_name(ok);
				char where[96];

				snprintf(where, sizeof(where), "map_ops.%s.%s",
					 tk, ok);
				if (op < 0)
					return rd_fail(r, "%s: unknown map operation%s",
						       where, "");
				ret = get_entry(r, e, where, &c, &m, &n);
				if (ret)
					return ret;
				costtab_set_map_op(t, ty, op, &c, m);
				t->map_op[ty][op] = n;
			}
		}
	}
	return 0;
}

int costtab_from_json(const char *text, struct costtab *t, char *err,
		      size_t errlen)
{
	enum json_tokener_error jerr;
	struct bpfrt_cm_where w;
	json_object *root, *o, *v;
	struct rd r = { err, errlen };
	char fmt[64] = "";
	__u64 x;
	int ret;

	costtab_init(t);
	root = json_tokener_parse_verbose(text, &jerr);
	if (!root) {
		snprintf(err, errlen, "not JSON: %s",
			 json_tokener_error_desc(jerr));
		return -EINVAL;
	}
	ret = -EINVAL;
	if (!json_object_is_type(root, json_type_object)) {
		snprintf(err, errlen, "not a cost table (not a JSON object)");
		goto out;
	}
	get_str(root, "format", fmt, sizeof(fmt));
	if (strcmp(fmt, COSTTAB_FORMAT)) {
		snprintf(err, errlen, "not a cost table (format is not \"%s\")",
			 COSTTAB_FORMAT);
		goto out;
	}
	if (get_u64(&r, root, "format_version", &x, "table"))
		goto out;
	if (x != COSTTAB_FORMAT_VERSION) {
		snprintf(err, errlen, "format_version %llu is not supported (this bpfrt reads %d)",
			 (unsigned long long)x, COSTTAB_FORMAT_VERSION);
		goto out;
	}
	if (get_u64(&r, root, "cost_model_version", &x, "table"))
		goto out;
	if (x != BPFRT_CM_VERSION) {
		snprintf(err, errlen, "cost_model_version %llu is not supported (this bpfrt uses %d)",
			 (unsigned long long)x, BPFRT_CM_VERSION);
		goto out;
	}
	get_str(root, "description", t->description, sizeof(t->description));
	get_str(root, "created", t->created, sizeof(t->created));
	get_str(root, "tool_version", t->tool_version, sizeof(t->tool_version));
	if (json_object_object_get_ex(root, "machine", &o)) {
		get_str(o, "hostname", t->hostname, sizeof(t->hostname));
		get_str(o, "arch", t->arch, sizeof(t->arch));
		get_str(o, "cpu_model", t->cpu_model, sizeof(t->cpu_model));
		if (!get_u64(&r, o, "cpus", &x, "machine"))
			t->cpus = x;
	}
	if (json_object_object_get_ex(root, "kernel", &o)) {
		get_str(o, "release", t->kernel_release,
			sizeof(t->kernel_release));
		get_str(o, "version", t->kernel_version,
			sizeof(t->kernel_version));
	}
	if (json_object_object_get_ex(root, "method", &o)) {
		if (json_object_object_get_ex(o, "quick", &v))
			t->quick = json_object_get_boolean(v);
		if (!get_u64(&r, o, "rounds", &x, "method"))
			t->rounds = x;
		if (json_object_object_get_ex(o, "worst_quantile", &v))
			t->quantile = json_object_get_double(v);
		if (json_object_object_get_ex(o, "worst_margin", &v))
			t->margin = json_object_get_double(v);
		if (json_object_object_get_ex(o, "calibrate_seconds", &v))
			t->calibrate_s = json_object_get_double(v);
		get_str(o, "timing", t->timing, sizeof(t->timing));
		get_str(o, "outlier_rule", t->outlier_rule,
			sizeof(t->outlier_rule));
	}
	ret = rd_sections(&r, root, t);
	if (ret)
		goto out;
	ret = bpfrt_cost_model_validate(&t->cm, &w);
	if (ret) {
		const char *part = w.part == BPFRT_CM_PART_INSN ? "insns" :
				   w.part == BPFRT_CM_PART_HELPER ? "helpers" :
				   w.part == BPFRT_CM_PART_MAP_OP ? "map_ops" :
				   "header";
		const char *what = w.fault < BPFRT_CM_FAULT_NR ?
				   fault_words[w.fault] : "invalid";

		if (w.part == BPFRT_CM_PART_INSN)
			snprintf(err, errlen, "insns.%s: %s",
				 costtab_insn_name(w.index) ?: "?", what);
		else if (w.part == BPFRT_CM_PART_HELPER)
			snprintf(err, errlen, "helpers (id %u): %s", w.index,
				 what);
		else if (w.part == BPFRT_CM_PART_MAP_OP)
			snprintf(err, errlen, "map_ops (type %u, op %u): %s",
				 w.index, w.op, what);
		else
			snprintf(err, errlen, "%s: %s", part, what);
		ret = -EINVAL;
	}
out:
	json_object_put(root);
	return ret;
}

int costtab_load_file(const char *path, struct costtab *t, char *err,
		      size_t errlen)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	size_t len = 0, cap = 0, n;
	char *buf = NULL, *nb;
	int ret;

	if (!f) {
		ret = -errno;
		snprintf(err, errlen, "cannot open %s: %s", path,
			 strerror(errno));
		return ret;
	}
	do {
		if (cap - len < 4096) {
			cap = cap ? 2 * cap : 65536;
			if (cap > 64u << 20) {
				snprintf(err, errlen, "%s: larger than 64 MiB",
					 path);
				ret = -E2BIG;
				goto out;
			}
			nb = realloc(buf, cap);
			if (!nb) {
				ret = -ENOMEM;
				snprintf(err, errlen, "out of memory");
				goto out;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
	} while (n > 0);
	if (ferror(f)) {
		ret = -EIO;
		snprintf(err, errlen, "cannot read %s", path);
		goto out;
	}
	buf[len] = '\0';
	ret = costtab_from_json(buf, t, err, errlen);
out:
	free(buf);
	if (f != stdin)
		fclose(f);
	return ret;
}

int costtab_save_file(const char *path, const struct costtab *t, char *err,
		      size_t errlen)
{
	char *text = costtab_to_json(t, true);
	FILE *f;
	int ret = 0;

	if (!text) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	f = strcmp(path, "-") ? fopen(path, "w") : stdout;
	if (!f) {
		ret = -errno;
		snprintf(err, errlen, "cannot create %s: %s", path,
			 strerror(errno));
		free(text);
		return ret;
	}
	if (fputs(text, f) < 0 || fputc('\n', f) < 0)
		ret = -EIO;
	if (f != stdout) {
		if (fclose(f))
			ret = -EIO;
	} else if (fflush(f)) {
		ret = -EIO;
	}
	if (ret)
		snprintf(err, errlen, "cannot write %s", path);
	free(text);
	return ret;
}
