// SPDX-License-Identifier: GPL-2.0
/*
 * The load-time policy's judgement (policy.h): a recorded program's
 * estimate against the limit of the published policy (policy_knobs.c), the
 * reason in words for the loader and the kernel log, and what happens then.
 */
#include <linux/bpf.h>
#include <linux/filter.h>
#include <linux/kernel.h>
#include <linux/ratelimit.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/bpfrt.h>

#include "bpfrt.h"
#include "events.h"
#include "helpers.h"
#include "policy.h"
#include "policy_state.h"
#include "registry.h"
#include "terminate.h"
#include "vlog.h"

/* The reason given to the loader and the kernel log. */
#define BPFRT_REASON_LEN	640

struct bpfrt_policy_stats bpfrt_policy_stats;

/* One rate limit for every policy line in the kernel log. */
static DEFINE_RATELIMIT_STATE(bpfrt_policy_rs, 5 * HZ, 10);

/*
 * What makes an estimate uncertain: a count capped at a kernel maximum, a
 * bound that is coarse or missing, or a cost that is not known. Named as
 * the CLI names them. Not in the list: tail_call and extension (the bound
 * covers this program only) and default_cost (built-in costs are known,
 * just not measured on this machine).
 */
static const struct {
	u32 bit;
	const char *name;
} bpfrt_uncertain_flags[] = {
	{ BPFRT_EST_F_LOOP_CAPPED,	"loop_capped" },
	{ BPFRT_EST_F_LOOP_UNBOUNDED,	"loop_unbounded" },
	{ BPFRT_EST_F_UNBOUNDED,	"unbounded" },
	{ BPFRT_EST_F_RECURSION,	"recursion" },
	{ BPFRT_EST_F_IRREDUCIBLE,	"irreducible" },
	{ BPFRT_EST_F_NO_EXIT,		"no_exit" },
	{ BPFRT_EST_F_IMPRECISE,	"imprecise" },
	{ BPFRT_EST_F_MISSING_COST,	"missing_cost" },
	{ BPFRT_EST_F_UNKNOWN_CALL,	"unknown_call" },
	{ BPFRT_EST_F_UNKNOWN_MAP,	"unknown_map" },
};

static u32 bpfrt_uncertain_mask(void)
{
	u32 mask = 0;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bpfrt_uncertain_flags); i++)
		mask |= bpfrt_uncertain_flags[i].bit;
	return mask;
}

/* --- judging ------------------------------------------------------------ */

enum bpfrt_judgement { BPFRT_UNDER, BPFRT_EXEMPT, BPFRT_OVER };

/* How a program was judged, copied out of the policy it was judged by. */
struct bpfrt_verdict {
	u64 limit_ns;
	u32 action;
	u32 uncertain_mode;
	bool type_limit;	/* the limit is its type's (type_limits_ns) */
	bool judged;		/* a limit applied */
	bool uncertain;		/* the estimate is uncertain or missing */
	bool over_estimate;	/* the estimate itself is over the limit */
};

static bool bpfrt_exempt_match(const struct bpfrt_exempt *e,
			       const struct bpfrt_prog_summary *s)
{
	if (e->kind == BPFRT_EXEMPT_TAG)
		return !memcmp(e->tag, s->tag, BPF_TAG_SIZE);
	return !strncmp(s->name, e->name, e->len);
}

/* Pure: @s under policy @p. */
static enum bpfrt_judgement
bpfrt_policy_decide(const struct bpfrt_policy *p,
		    const struct bpfrt_prog_summary *s, struct bpfrt_verdict *v)
{
	bool failed = s->flags & BPFRT_PROG_F_EST_FAILED;
	bool over;
	u32 i;

	memset(v, 0, sizeof(*v));
	v->limit_ns = p->limit_ns;
	v->action = p->action;
	v->uncertain_mode = p->uncertain;
	for (i = 0; i < p->type_cnt; i++) {
		if (p->types[i].type == s->type) {
			v->limit_ns = p->types[i].limit_ns;
			v->type_limit = true;
			break;
		}
	}
	if (!v->limit_ns)
		return BPFRT_UNDER;
	v->judged = true;

	v->uncertain = failed || (s->est_flags & bpfrt_uncertain_mask());
	/* No estimate, or no finite one, is over any limit. */
	v->over_estimate = failed || s->worst_ns == BPFRT_UNBOUNDED ||
			   s->worst_ns > v->limit_ns;
	switch (p->uncertain) {
	case BPFRT_UNCERTAIN_OVER:
		over = v->over_estimate || v->uncertain;
		break;
	case BPFRT_UNCERTAIN_UNDER:
		over = v->over_estimate && !v->uncertain;
		break;
	default:
		over = v->over_estimate;
		break;
	}
	if (!over)
		return BPFRT_UNDER;
	for (i = 0; i < p->exempt_cnt; i++)
		if (bpfrt_exempt_match(&p->exempt[i], s))
			return BPFRT_EXEMPT;
	return BPFRT_OVER;
}

/* --- the reason, in words ----------------------------------------------- */

struct bpfrt_sb {
	char *buf;
	size_t len;
	size_t used;
};

static __printf(2, 3) void bpfrt_sb_add(struct bpfrt_sb *sb,
					const char *fmt, ...)
{
	va_list ap;

	if (sb->used + 1 >= sb->len)
		return;
	va_start(ap, fmt);
	sb->used += vscnprintf(sb->buf + sb->used, sb->len - sb->used, fmt, ap);
	va_end(ap);
}

/*
 * @ns with a unit and three significant digits, rounded half up, as the CLI
 * prints durations: "374 ns", "1.07 ms", "283 ms", "2.26 s"; whole seconds
 * from 1000 s on.
 */
static void bpfrt_sb_duration(struct bpfrt_sb *sb, u64 ns)
{
	static const char * const units[] = { "ns", "us", "ms", "s" };
	u64 p = 1, q, rem, t;
	u32 r, digits = 0, e, intd;

	if (ns == BPFRT_UNBOUNDED) {
		bpfrt_sb_add(sb, "unbounded");
		return;
	}
	if (ns < 1000) {
		bpfrt_sb_add(sb, "%llu ns", ns);
		return;
	}
	for (t = ns; t; t /= 10)
		digits++;
	for (e = 0; e < digits - 3; e++)
		p *= 10;
	q = ns / p;
	rem = ns % p;
	r = q + (rem >= p - rem);
	if (r == 1000) {
		r = 100;
		digits++;
	}
	e = (digits - 1) / 3;
	if (e > 3) {
		q = ns / 1000000000;
		rem = ns % 1000000000;
		bpfrt_sb_add(sb, "%llu s", q + (rem >= 1000000000 - rem));
		return;
	}
	intd = digits - 3 * e;
	if (intd == 1)
		bpfrt_sb_add(sb, "%u.%02u %s", r / 100, r % 100, units[e]);
	else if (intd == 2)
		bpfrt_sb_add(sb, "%u.%u %s", r / 10, r % 10, units[e]);
	else
		bpfrt_sb_add(sb, "%u %s", r, units[e]);
}

static const char * const bpfrt_map_op_names[] = {
	[BPFRT_MAP_OP_LOOKUP]		= "lookup",
	[BPFRT_MAP_OP_UPDATE]		= "update",
	[BPFRT_MAP_OP_DELETE]		= "delete",
	[BPFRT_MAP_OP_PUSH]		= "push",
	[BPFRT_MAP_OP_POP]		= "pop",
	[BPFRT_MAP_OP_PEEK]		= "peek",
	[BPFRT_MAP_OP_REDIRECT]		= "redirect",
	[BPFRT_MAP_OP_FOR_EACH]		= "for_each",
	[BPFRT_MAP_OP_LOOKUP_PERCPU]	= "lookup_percpu",
};

/* The largest contributor to the worst case, as the CLI words it. */
static void bpfrt_sb_contrib(struct bpfrt_sb *sb,
			     const struct bpfrt_prog_rec *rec,
			     const struct bpfrt_an_contrib *c)
{
	const char *name;

	switch (c->kind) {
	case BPFRT_AN_C_INSNS:
		bpfrt_sb_add(sb, "the instructions of func %u", c->func);
		break;
	case BPFRT_AN_C_LOOP:
		bpfrt_sb_add(sb, "the loop body at func %u insn %u", c->func,
			     c->insn);
		break;
	case BPFRT_AN_C_HELPER:
		name = bpfrt_helper_name(c->id);
		if (name)
			bpfrt_sb_add(sb, "helper bpf_%s", name);
		else
			bpfrt_sb_add(sb, "helper %u", c->id);
		break;
	case BPFRT_AN_C_MAP_OP:
		if (c->op < ARRAY_SIZE(bpfrt_map_op_names) &&
		    bpfrt_map_op_names[c->op])
			bpfrt_sb_add(sb, "map %s", bpfrt_map_op_names[c->op]);
		else
			bpfrt_sb_add(sb, "map op %u", c->op);
		if (c->id < rec->map_cnt && rec->maps[c->id].name[0])
			bpfrt_sb_add(sb, " on map '%s'", rec->maps[c->id].name);
		break;
	case BPFRT_AN_C_KFUNC:
		bpfrt_sb_add(sb, "kfunc call");
		break;
	case BPFRT_AN_C_CALL:
		bpfrt_sb_add(sb, "the call overhead of func %u", c->id);
		break;
	case BPFRT_AN_C_CALLBACK:
		bpfrt_sb_add(sb, "the invocations of callback func %u", c->id);
		break;
	case BPFRT_AN_C_TAIL_CALL:
		bpfrt_sb_add(sb, "tail call");
		break;
	default:
		bpfrt_sb_add(sb, "a call to an unknown target");
		break;
	}
	if (c->kind != BPFRT_AN_C_INSNS && c->kind != BPFRT_AN_C_LOOP)
		bpfrt_sb_add(sb, " at func %u insn %u", c->func, c->insn);
	if (c->multiplier == 1)
		bpfrt_sb_add(sb, ", run once");
	else
		bpfrt_sb_add(sb, ", run %llu times", c->multiplier);
	bpfrt_sb_add(sb, " (%u.%u%% of the worst case)", c->share_pm / 10,
		     c->share_pm % 10);
}

static void bpfrt_sb_limit(struct bpfrt_sb *sb,
			   const struct bpfrt_prog_summary *s,
			   const struct bpfrt_verdict *v)
{
	if (v->type_limit)
		bpfrt_sb_add(sb, "the limit for %s programs of ",
			     bpfrt_prog_type_name(s->type));
	else
		bpfrt_sb_add(sb, "the limit of ");
	bpfrt_sb_duration(sb, v->limit_ns);
	/* the exact value too, when the duration rounded it */
	if (v->limit_ns >= 1000)
		bpfrt_sb_add(sb, " (%llu ns, ", v->limit_ns);
	else
		bpfrt_sb_add(sb, " (");
	bpfrt_sb_add(sb, "policy %s)",
		     v->type_limit ? "type_limits_ns" : "limit_ns");
}

static void bpfrt_sb_uncertain(struct bpfrt_sb *sb,
			       const struct bpfrt_prog_summary *s)
{
	const char *sep = "";
	size_t i;

	if (s->flags & BPFRT_PROG_F_EST_FAILED) {
		bpfrt_sb_add(sb, "missing");
		return;
	}
	for (i = 0; i < ARRAY_SIZE(bpfrt_uncertain_flags); i++) {
		if (s->est_flags & bpfrt_uncertain_flags[i].bit) {
			bpfrt_sb_add(sb, "%s%s", sep,
				     bpfrt_uncertain_flags[i].name);
			sep = ",";
		}
	}
}

/* Why @rec is over the limit of @v, in one sentence without a period. */
static void bpfrt_policy_why(struct bpfrt_sb *sb,
			     const struct bpfrt_prog_rec *rec,
			     const struct bpfrt_verdict *v)
{
	const struct bpfrt_prog_summary *s = &rec->sum;

	if (s->flags & BPFRT_PROG_F_EST_FAILED) {
		bpfrt_sb_add(sb,
			     "there is no worst-case estimate (the analyzer failed with error %u) to compare with ",
			     s->est_errno);
		bpfrt_sb_limit(sb, s, v);
		return;
	}
	bpfrt_sb_add(sb, "worst-case estimate ");
	bpfrt_sb_duration(sb, s->worst_ns);
	if (s->worst_ns != BPFRT_UNBOUNDED && s->worst_ns >= 1000)
		bpfrt_sb_add(sb, " (%llu ns)", s->worst_ns);
	if (v->over_estimate) {
		bpfrt_sb_add(sb, " exceeds ");
		bpfrt_sb_limit(sb, s, v);
		if (v->uncertain) {
			bpfrt_sb_add(sb, "; the estimate is uncertain (");
			bpfrt_sb_uncertain(sb, s);
			bpfrt_sb_add(sb, ")");
		}
	} else {
		bpfrt_sb_add(sb, " is within ");
		bpfrt_sb_limit(sb, s, v);
		bpfrt_sb_add(sb, " but uncertain (");
		bpfrt_sb_uncertain(sb, s);
		bpfrt_sb_add(sb,
			     "), and uncertain estimates count as over the limit (policy uncertain=over)");
	}
	if (rec->est.contrib_cnt) {
		bpfrt_sb_add(sb, "; largest contributor: ");
		bpfrt_sb_contrib(sb, rec, &rec->est.contrib[0]);
	}
}

/* --- enforcement -------------------------------------------------------- */

/* A BPF_TAIL_CALL in some function of @prog. */
static bool bpfrt_has_tail_calls(const struct bpf_prog *prog)
{
	const struct bpf_prog_aux *aux = prog->aux;
	u32 f, i, n = prog->jited && aux->func_cnt ? aux->func_cnt : 1;

	for (f = 0; f < n; f++) {
		const struct bpf_prog *fp = n > 1 ? aux->func[f] : prog;

		for (i = 0; i < fp->len; i++)
			if (fp->insnsi[i].code == (BPF_JMP | BPF_TAIL_CALL))
				return true;
	}
	return false;
}

bool bpfrt_policy_limits(u32 type)
{
	const struct bpfrt_policy *p;
	bool limited;
	u32 i;

	rcu_read_lock();
	p = bpfrt_policy_get();
	limited = p->limit_ns;
	for (i = 0; i < p->type_cnt; i++)
		if (p->types[i].type == type)
			limited = p->types[i].limit_ns;
	rcu_read_unlock();
	return limited;
}

int bpfrt_policy_judge(const struct bpf_prog *prog,
		       const struct bpfrt_load_log *log)
{
	enum bpfrt_judgement j = BPFRT_UNDER;
	struct bpfrt_prog_summary sum;
	struct bpfrt_prog_rec *rec;
	struct bpfrt_sb why = {};
	struct bpfrt_event_extra extra = {};
	struct bpfrt_verdict v = {};
	char *msg, type_buf[16];
	const char *type;
	bool reject;

	mutex_lock(&bpfrt_registry_lock);
	rec = bpfrt_registry_find(prog->aux);
	/*
	 * A deferred record has no estimate yet: it was deferred because no
	 * limit applied when its load was recorded (defer.c).
	 */
	if (rec && rec->est_state != BPFRT_EST_DONE)
		rec = NULL;
	if (rec) {
		rcu_read_lock();
		j = bpfrt_policy_decide(bpfrt_policy_get(), &rec->sum, &v);
		rcu_read_unlock();
	}
	if (j == BPFRT_OVER) {
		/* Only now: most loads are under the limit, or have none. */
		why.buf = kmalloc(BPFRT_REASON_LEN, GFP_KERNEL);
		if (why.buf) {
			why.len = BPFRT_REASON_LEN;
			why.buf[0] = '\0';
		}
		rec->sum.flags |= BPFRT_PROG_F_OVER_LIMIT;
		sum = rec->sum;
		bpfrt_policy_why(&why, rec, &v);
		if (v.action != BPFRT_ACTION_REJECT)
			rec->policy_limit_ns = v.limit_ns;
	}
	mutex_unlock(&bpfrt_registry_lock);
	if (j == BPFRT_OVER && v.action == BPFRT_ACTION_REJECT) {
		/*
		 * No id, no fd: nothing else can know the program, and it
		 * cannot run. bpf_prog_load() frees it on its error path and
		 * the free hook finds no record: REJECTED is its only event.
		 * The watchdog may have armed it at load (its estimate is
		 * over the watchdog's limit too): the patches go before the
		 * record does (lock order: bpfrt_term_lock, then the
		 * registry's).
		 */
		bpfrt_term_release(prog->aux);
		mutex_lock(&bpfrt_registry_lock);
		bpfrt_registry_remove(prog->aux);
		mutex_unlock(&bpfrt_registry_lock);
	}

	if (rec && v.judged)
		atomic64_inc(&bpfrt_policy_stats.judged);
	if (j == BPFRT_EXEMPT) {
		atomic64_inc(&bpfrt_policy_stats.over_limit);
		atomic64_inc(&bpfrt_policy_stats.exempted);
	}
	if (j != BPFRT_OVER) {
		kfree(why.buf);
		return 0;
	}
	atomic64_inc(&bpfrt_policy_stats.over_limit);

	reject = v.action == BPFRT_ACTION_REJECT;
	/*
	 * The watchdog reads the run counts of records that make tail calls
	 * without a reference to their program (registry.c:
	 * bpfrt_index_tail_runs), as the free hook knows: the program is
	 * freed as soon as we return, so wait until no interrupt still sees
	 * the record in the index it was just removed from.
	 */
	if (reject && bpfrt_has_tail_calls(prog))
		synchronize_rcu();
	type = bpfrt_prog_type_name(sum.type);
	if (!type) {
		snprintf(type_buf, sizeof(type_buf), "type %u", sum.type);
		type = type_buf;
	}
	if (__ratelimit(&bpfrt_policy_rs))
		pr_warn("%s program '%s' (%s, tag %*phN) loaded by %s[%d]: %s%s\n",
			reject ? "rejected" : "over-limit",
			sum.name, type, BPF_TAG_SIZE, sum.tag, current->comm,
			task_pid_nr(current),
			why.buf ?: "(no memory for the reason)",
			reject ? "" : "; loaded anyway (action audit)");

	if (!reject) {
		/* Its event waits for the id (capture.c: the perf hook). */
		atomic64_inc(&bpfrt_policy_stats.audited);
		kfree(why.buf);
		return 0;
	}

	atomic64_inc(&bpfrt_policy_stats.rejected);
	sum.id = 0;
	extra.limit_ns = v.limit_ns;
	bpfrt_event_post_ext(BPFRT_EV_PROG_REJECTED, &sum, &extra);
	if (log) {
		msg = kasprintf(GFP_KERNEL,
				"bpfrt: load rejected by the runtime policy (error EDQUOT): %s. Policy: %s",
				why.buf ?: "over the limit",
				BPFRT_SYSFS_POLICY_DIR);
		if (msg)
			bpfrt_load_log_append(log, msg);
		kfree(msg);
	}
	kfree(why.buf);
	return -BPFRT_REJECT_ERRNO;
}
