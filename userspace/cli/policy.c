// SPDX-License-Identifier: GPL-2.0
/*
 * bpfrt policy [show]
 * bpfrt policy set KEY VALUE [KEY VALUE ...]
 *
 * The module's load-time policy lives in sysfs (/sys/kernel/bpfrt/policy/,
 * one file per knob, documented in module/ABI/sysfs-kernel-bpfrt); this
 * object reads those files and writes them, one knob per KEY, in order.
 * Every argument is checked before the first write, so a typo changes
 * nothing; a knob the module refuses stops the command there.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/bpfrt.h>

#include "cli.h"
#include "format.h"
#include "policy_cli.h"

const char *policy_dir(void)
{
	const char *dir = getenv("BPFRT_SYSFS_POLICY");

	return dir && *dir ? dir : BPFRT_SYSFS_POLICY_DIR;
}

/* --- parsing ------------------------------------------------------------ */

int policy_parse_duration(const char *s, __u64 *ns)
{
	static const struct {
		const char *unit;
		__u64 mul;
	} units[] = {
		{ "", 1 }, { "ns", 1 }, { "us", 1000 }, { "ms", 1000000 },
		{ "s", 1000000000 },
	};
	__u64 whole = 0, frac = 0, pow = 1, mul = 0, v;
	const char *p = s;
	size_t i;

	if (!strcmp(s, "off")) {
		*ns = 0;
		return 0;
	}
	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	for (; isdigit((unsigned char)*p); p++) {
		if (whole > UINT64_MAX / 10 ||
		    (whole == UINT64_MAX / 10 &&
		     (__u64)(*p - '0') > UINT64_MAX % 10))
			return -EINVAL;
		whole = whole * 10 + (*p - '0');
	}
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return -EINVAL;
		for (; isdigit((unsigned char)*p); p++) {
			if (pow == 1000000000)
				return -EINVAL;	/* below a nanosecond */
			frac = frac * 10 + (*p - '0');
			pow *= 10;
		}
	}
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(p, units[i].unit))
			mul = units[i].mul;
	if (!mul)
		return -EINVAL;
	/* frac / pow of a unit must be whole nanoseconds */
	if (frac * mul % pow)
		return -EINVAL;
	if (whole > UINT64_MAX / mul)
		return -EINVAL;
	v = whole * mul;
	if (v > UINT64_MAX - frac * mul / pow)
		return -EINVAL;
	*ns = v + frac * mul / pow;
	return 0;
}

int policy_parse_choice(const char *line, char *out, size_t len)
{
	const char *open = strchr(line, '['), *close;

	if (!open)
		return -EINVAL;
	close = strchr(open, ']');
	if (!close || close == open + 1 || (size_t)(close - open - 1) >= len)
		return -EINVAL;
	memcpy(out, open + 1, close - open - 1);
	out[close - open - 1] = '\0';
	return 0;
}

/* A whole line of digits (the newline sysfs adds allowed). */
static int parse_u64_line(const char *s, __u64 *v)
{
	char *end;

	if (!isdigit((unsigned char)*s))
		return -EPROTO;
	errno = 0;
	*v = strtoull(s, &end, 10);
	if (errno || (*end && strcmp(end, "\n")))
		return -EPROTO;
	return 0;
}

/*
 * Splits a "none" or "a,b,c" line into @items (each < POLICY_ITEM_LEN).
 * Returns the count or -EPROTO.
 */
static int split_list(const char *line, char items[][POLICY_ITEM_LEN],
		      unsigned int max)
{
	unsigned int n = 0;
	const char *p = line;
	size_t len;

	if (!strcmp(line, "none\n") || !strcmp(line, "none") || !*line ||
	    !strcmp(line, "\n"))
		return 0;
	while (*p && *p != '\n') {
		len = strcspn(p, ",\n");
		if (!len || len >= POLICY_ITEM_LEN || n == max)
			return -EPROTO;
		memcpy(items[n], p, len);
		items[n][len] = '\0';
		n++;
		p += len;
		if (*p == ',')
			p++;
	}
	return n;
}

static int parse_stats(struct policy_state *st, const char *text)
{
	static const char *const names[] = {
		"judged", "over_limit", "exempted", "audited", "rejected",
	};
	__u64 *vals[] = {
		&st->judged, &st->over_limit, &st->exempted, &st->audited,
		&st->rejected,
	};
	char name[32];
	unsigned long long v;
	const char *p = text;
	size_t i;
	int n;

	while (*p) {
		if (sscanf(p, "%31s %llu%n", name, &v, &n) != 2)
			return -EPROTO;
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (!strcmp(name, names[i]))
				*vals[i] = v;
		p += n;
		while (*p == '\n')
			p++;
	}
	st->have_stats = true;
	return 0;
}

int policy_parse_types(struct policy_state *st, const char *text)
{
	char items[POLICY_MAX_ITEMS][POLICY_ITEM_LEN];
	char *colon;
	int n, i;

	n = split_list(text, items, POLICY_MAX_ITEMS);
	if (n < 0)
		return n;
	for (i = 0; i < n; i++) {
		colon = strchr(items[i], ':');
		if (!colon)
			return -EPROTO;
		*colon = '\0';
		/* both POLICY_ITEM_LEN: split_list() bounded it */
		memcpy(st->types[i].type, items[i], strlen(items[i]) + 1);
		if (parse_u64_line(colon + 1, &st->types[i].limit_ns))
			return -EPROTO;
	}
	st->type_cnt = n;
	return 0;
}

int policy_parse_exempt(struct policy_state *st, const char *text)
{
	int n = split_list(text, st->exempt, POLICY_MAX_ITEMS);

	if (n < 0)
		return n;
	st->exempt_cnt = n;
	return 0;
}

int policy_state_parse(struct policy_state *st, const char *limit_ns,
		       const char *action, const char *type_limits_ns,
		       const char *exempt, const char *uncertain,
		       const char *stats)
{
	memset(st, 0, sizeof(*st));
	if (parse_u64_line(limit_ns, &st->limit_ns) ||
	    policy_parse_choice(action, st->action, sizeof(st->action)) ||
	    policy_parse_choice(uncertain, st->uncertain,
				sizeof(st->uncertain)) ||
	    policy_parse_types(st, type_limits_ns) ||
	    policy_parse_exempt(st, exempt))
		return -EPROTO;
	if (stats && parse_stats(st, stats))
		return -EPROTO;
	return 0;
}

/* --- show --------------------------------------------------------------- */

static const char *limit_words(char *buf, size_t len, __u64 ns)
{
	char d[FMT_DURATION_LEN];

	if (!ns)
		snprintf(buf, len, "0 (no limit)");
	else
		snprintf(buf, len, "%llu (%s)", (unsigned long long)ns,
			 fmt_duration_ns(d, sizeof(d), ns));
	return buf;
}

static const char *uncertain_words(const char *mode)
{
	if (!strcmp(mode, "estimate"))
		return "judged by their value";
	if (!strcmp(mode, "over"))
		return "always over the limit";
	if (!strcmp(mode, "under"))
		return "never over the limit";
	return NULL;
}

int policy_print(struct cli_ctx *ctx, const struct policy_state *st)
{
	struct json_writer *jw = &ctx->jw;
	char buf[64], d[FMT_DURATION_LEN];
	const char *words;
	unsigned int i;

	if (ctx->json) {
		jsonw_init(jw, ctx->out, ctx->pretty);
		jsonw_start_object(jw);
		jsonw_uint_field(jw, "limit_ns", st->limit_ns);
		jsonw_string_field(jw, "action", st->action);
		jsonw_name(jw, "type_limits_ns");
		jsonw_start_object(jw);
		for (i = 0; i < st->type_cnt; i++)
			jsonw_uint_field(jw, st->types[i].type,
					 st->types[i].limit_ns);
		jsonw_end_object(jw);
		jsonw_name(jw, "exempt");
		jsonw_start_array(jw);
		for (i = 0; i < st->exempt_cnt; i++)
			jsonw_string(jw, st->exempt[i]);
		jsonw_end_array(jw);
		jsonw_string_field(jw, "uncertain", st->uncertain);
		if (st->have_stats) {
			jsonw_name(jw, "stats");
			jsonw_start_object(jw);
			jsonw_uint_field(jw, "judged", st->judged);
			jsonw_uint_field(jw, "over_limit", st->over_limit);
			jsonw_uint_field(jw, "exempted", st->exempted);
			jsonw_uint_field(jw, "audited", st->audited);
			jsonw_uint_field(jw, "rejected", st->rejected);
			jsonw_end_object(jw);
		}
		jsonw_end_object(jw);
		return jsonw_finish(jw) ? 1 : 0;
	}

	fprintf(ctx->out, "limit_ns        %s\n",
		limit_words(buf, sizeof(buf), st->limit_ns));
	fprintf(ctx->out, "action          %s\n", st->action);
	fprintf(ctx->out, "type_limits_ns  ");
	if (!st->type_cnt)
		fprintf(ctx->out, "none");
	for (i = 0; i < st->type_cnt; i++) {
		if (st->types[i].limit_ns)
			fmt_duration_ns(d, sizeof(d), st->types[i].limit_ns);
		else
			snprintf(d, sizeof(d), "no limit");
		fprintf(ctx->out, "%s%s:%llu (%s)", i ? ", " : "",
			st->types[i].type,
			(unsigned long long)st->types[i].limit_ns, d);
	}
	fprintf(ctx->out, "\nexempt          ");
	if (!st->exempt_cnt)
		fprintf(ctx->out, "none");
	for (i = 0; i < st->exempt_cnt; i++)
		fprintf(ctx->out, "%s%s", i ? ", " : "", st->exempt[i]);
	words = uncertain_words(st->uncertain);
	fprintf(ctx->out, "\nuncertain       %s%s%s%s\n", st->uncertain,
		words ? " (uncertain estimates are " : "", words ? words : "",
		words ? ")" : "");
	if (st->have_stats)
		fprintf(ctx->out,
			"stats           judged %llu, over_limit %llu, exempted %llu, audited %llu, rejected %llu\n",
			(unsigned long long)st->judged,
			(unsigned long long)st->over_limit,
			(unsigned long long)st->exempted,
			(unsigned long long)st->audited,
			(unsigned long long)st->rejected);
	return 0;
}

/* --- sysfs -------------------------------------------------------------- */

/* Reads knob @name into @buf (NUL-terminated). 0 or -errno. */
static int knob_read(const char *name, char *buf, size_t len)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd, err = 0;

	snprintf(path, sizeof(path), "%s/%s", policy_dir(), name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0)
		err = -errno;
	else
		buf[n] = '\0';
	close(fd);
	return err;
}

/* Writes @value to knob @name in one write(), as sysfs wants. */
static int knob_write(const char *name, const char *value)
{
	size_t len = strlen(value);
	char path[PATH_MAX];
	ssize_t n;
	int fd, err = 0;

	snprintf(path, sizeof(path), "%s/%s", policy_dir(), name);
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, value, len);
	if (n < 0)
		err = -errno;
	else if ((size_t)n != len)
		err = -EIO;
	if (close(fd) && !err)
		err = -errno;
	return err;
}

static int read_state(struct cli_ctx *ctx, struct policy_state *st)
{
	static const char *const names[] = {
		"limit_ns", "action", "type_limits_ns", "exempt", "uncertain",
		"stats",
	};
	static char text[6][POLICY_VALUE_LEN];
	size_t i;
	int err;

	for (i = 0; i < 6; i++) {
		err = knob_read(names[i], text[i], sizeof(text[i]));
		if (err == -ENOENT && i == 5) {
			text[i][0] = '\0';	/* stats are optional */
			continue;
		}
		if (err == -ENOENT)
			return cli_err(ctx, "%s/%s not found: is the bpfrt module loaded (a version with the load-time policy)?",
				       policy_dir(), names[i]);
		if (err)
			return cli_err(ctx, "cannot read %s/%s: %s", policy_dir(),
				       names[i], strerror(-err));
	}
	if (policy_state_parse(st, text[0], text[1], text[2], text[3],
			       text[4], text[5][0] ? text[5] : NULL))
		return cli_err(ctx, "unexpected contents in %s: a newer bpfrt module?",
			       policy_dir());
	return 0;
}

/* --- set ---------------------------------------------------------------- */

int policy_types_edit(const struct policy_state *st, const char *type,
		      const char *value, char *out, size_t len)
{
	size_t used = 0;
	unsigned int i;
	bool done = false;
	int n;

	out[0] = '\0';
	for (i = 0; i < st->type_cnt; i++) {
		const char *v = NULL;
		char num[24];

		if (strcmp(st->types[i].type, type)) {
			snprintf(num, sizeof(num), "%llu",
				 (unsigned long long)st->types[i].limit_ns);
			v = num;
		} else if (value) {
			v = value;
			done = true;
		}
		if (!v)
			continue;
		n = snprintf(out + used, len - used, "%s%s:%s",
			     used ? "," : "", st->types[i].type, v);
		if (n < 0 || (size_t)n >= len - used)
			return -E2BIG;
		used += n;
	}
	if (value && !done) {
		n = snprintf(out + used, len - used, "%s%s:%s", used ? "," : "",
			     type, value);
		if (n < 0 || (size_t)n >= len - used)
			return -E2BIG;
		used += n;
	}
	if (!used)
		snprintf(out, len, "none");
	return 0;
}

int policy_exempt_edit(const struct policy_state *st, const char *item,
		       bool add, char *out, size_t len)
{
	size_t used = 0;
	unsigned int i;
	bool found = false;
	int n;

	out[0] = '\0';
	for (i = 0; i < st->exempt_cnt; i++) {
		if (!strcmp(st->exempt[i], item)) {
			found = true;
			if (!add)
				continue;
		}
		n = snprintf(out + used, len - used, "%s%s", used ? "," : "",
			     st->exempt[i]);
		if (n < 0 || (size_t)n >= len - used)
			return -E2BIG;
		used += n;
	}
	if (!add && !found)
		return -ENOENT;
	if (add && !found) {
		n = snprintf(out + used, len - used, "%s%s", used ? "," : "",
			     item);
		if (n < 0 || (size_t)n >= len - used)
			return -E2BIG;
		used += n;
	}
	if (!used)
		snprintf(out, len, "none");
	return 0;
}

static const char *knob_hint(const char *knob)
{
	if (!strcmp(knob, "limit_ns"))
		return "expected a number of nanoseconds, 0 for no limit";
	if (!strcmp(knob, "action"))
		return "expected audit or reject";
	if (!strcmp(knob, "type_limits_ns"))
		return "expected TYPE:NS items with bpftool's program type names (xdp, sched_cls, kprobe, ...), each type once";
	if (!strcmp(knob, "exempt"))
		return "expected at most 64 distinct items name:PREFIX (1 to 15 of A-Z a-z 0-9 _ .) or tag:HEX (16 hex digits)";
	if (!strcmp(knob, "uncertain"))
		return "expected estimate, over or under";
	return "invalid value";
}

void policy_write_error(char *buf, size_t len, const char *knob,
			const char *value, int err)
{
	switch (err) {
	case EINVAL:
		snprintf(buf, len, "cannot set %s to '%s': the module refused it (%s)",
			 knob, value, knob_hint(knob));
		break;
	case EACCES:
	case EPERM:
		snprintf(buf, len, "cannot set %s: permission denied (the policy knobs are writable by root only, with CAP_SYS_ADMIN)",
			 knob);
		break;
	case ENOENT:
		snprintf(buf, len, "cannot set %s: %s/%s not found: is the bpfrt module loaded (a version with the load-time policy)?",
			 knob, policy_dir(), knob);
		break;
	default:
		snprintf(buf, len, "cannot set %s to '%s': %s", knob, value,
			 strerror(err));
		break;
	}
}

/* One KEY VALUE... of `policy set`, checked before anything is written. */
struct policy_change {
	const char *key;	/* as typed */
	const char *knob;	/* the sysfs file */
	const char *arg;	/* limit, action, types, exempt, uncertain:
				 * the value; type: TYPE; exempt add/del: ITEM */
	const char *arg2;	/* type: DURATION or "default" */
	int op;			/* CHANGE_* */
	__u64 ns;
};

enum { CHANGE_SET, CHANGE_TYPE, CHANGE_EXEMPT_ADD, CHANGE_EXEMPT_DEL };

static int policy_help(struct cli_ctx *ctx)
{
	if (ctx->json) {
		jsonw_init(&ctx->jw, ctx->out, ctx->pretty);
		jsonw_null(&ctx->jw);
		return jsonw_finish(&ctx->jw) ? 1 : 0;
	}
	fprintf(ctx->out,
		"Usage: bpfrt policy [ show ]\n"
		"       bpfrt policy set KEY VALUE [ KEY VALUE ... ]\n"
		"       bpfrt policy help\n"
		"\n"
		"       KEY VALUE := { limit DURATION | action { audit | reject } |\n"
		"                      type TYPE { DURATION | default } | types { LIST | none } |\n"
		"                      exempt { LIST | none | add ITEM | del ITEM } |\n"
		"                      uncertain { estimate | over | under } }\n"
		"       DURATION := { NUMBER[ns|us|ms|s] | off }   (a bare number is ns)\n"
		"       ITEM := { name:PREFIX | tag:HEX }\n"
		"\n"
		"Shows or changes the load-time policy in %s.\n"
		"See bpfrt(8).\n", BPFRT_SYSFS_POLICY_DIR);
	return 0;
}

/* Parses argv into @ch (room for argc / 2 + 1); returns the count or -1. */
static int parse_changes(struct cli_ctx *ctx, int argc, char **argv,
			 struct policy_change *ch)
{
	int i = 0, n = 0;

	if (!argc) {
		cli_err(ctx, "expected KEY VALUE after 'set' (keys: limit, action, type, types, exempt, uncertain)");
		return -1;
	}
	while (i < argc) {
		struct policy_change *c = &ch[n];
		const char *key = argv[i];

		memset(c, 0, sizeof(*c));
		c->key = key;
		if (i + 1 >= argc) {
			cli_err(ctx, "expected a value after '%s'", key);
			return -1;
		}
		c->arg = argv[i + 1];
		i += 2;
		if (!strcmp(key, "limit")) {
			c->knob = "limit_ns";
			if (policy_parse_duration(c->arg, &c->ns)) {
				cli_err(ctx, "invalid duration '%s' for limit (expected NUMBER[ns|us|ms|s] or off)",
					c->arg);
				return -1;
			}
		} else if (!strcmp(key, "action")) {
			c->knob = "action";
			if (strcmp(c->arg, "audit") && strcmp(c->arg, "reject")) {
				cli_err(ctx, "invalid action '%s' (expected audit or reject)",
					c->arg);
				return -1;
			}
		} else if (!strcmp(key, "uncertain")) {
			c->knob = "uncertain";
			if (strcmp(c->arg, "estimate") && strcmp(c->arg, "over") &&
			    strcmp(c->arg, "under")) {
				cli_err(ctx, "invalid value '%s' for uncertain (expected estimate, over or under)",
					c->arg);
				return -1;
			}
		} else if (!strcmp(key, "types")) {
			c->knob = "type_limits_ns";
		} else if (!strcmp(key, "type")) {
			c->knob = "type_limits_ns";
			c->op = CHANGE_TYPE;
			if (i >= argc) {
				cli_err(ctx, "expected a duration or 'default' after 'type %s'",
					c->arg);
				return -1;
			}
			c->arg2 = argv[i++];
			if (strcmp(c->arg2, "default") &&
			    policy_parse_duration(c->arg2, &c->ns)) {
				cli_err(ctx, "invalid duration '%s' for type %s (expected NUMBER[ns|us|ms|s], off or default)",
					c->arg2, c->arg);
				return -1;
			}
		} else if (!strcmp(key, "exempt")) {
			c->knob = "exempt";
			if (!strcmp(c->arg, "add") || !strcmp(c->arg, "del")) {
				c->op = !strcmp(c->arg, "add") ?
					CHANGE_EXEMPT_ADD : CHANGE_EXEMPT_DEL;
				if (i >= argc) {
					cli_err(ctx, "expected name:PREFIX or tag:HEX after 'exempt %s'",
						c->arg);
					return -1;
				}
				c->arg = argv[i++];
			}
		} else {
			cli_err(ctx, "unknown policy key '%s' (keys: limit, action, type, types, exempt, uncertain)",
				key);
			return -1;
		}
		n++;
	}
	return n;
}

static int apply_change(struct cli_ctx *ctx, const struct policy_change *c)
{
	static char value[POLICY_VALUE_LEN];
	static struct policy_state st;
	char msg[512], num[24];
	int err;

	switch (c->op) {
	case CHANGE_TYPE:
	case CHANGE_EXEMPT_ADD:
	case CHANGE_EXEMPT_DEL:
		/* read-modify-write of one list: only that knob is read */
		memset(&st, 0, sizeof(st));
		err = knob_read(c->knob, value, sizeof(value));
		if (!err)
			err = c->op == CHANGE_TYPE ?
			      policy_parse_types(&st, value) :
			      policy_parse_exempt(&st, value);
		if (err == -EPROTO)
			return cli_err(ctx, "unexpected contents in %s/%s: a newer bpfrt module?",
				       policy_dir(), c->knob);
		if (err) {
			policy_write_error(msg, sizeof(msg), c->knob, "", -err);
			return cli_err(ctx, "%s", msg);
		}
		if (c->op == CHANGE_TYPE) {
			snprintf(num, sizeof(num), "%llu",
				 (unsigned long long)c->ns);
			err = policy_types_edit(&st, c->arg,
						strcmp(c->arg2, "default") ?
						num : NULL, value,
						sizeof(value));
		} else {
			err = policy_exempt_edit(&st, c->arg,
						 c->op == CHANGE_EXEMPT_ADD,
						 value, sizeof(value));
			if (err == -ENOENT)
				return cli_err(ctx, "'%s' is not in the exempt list",
					       c->arg);
		}
		if (err)
			return cli_err(ctx, "the new %s value is too long",
				       c->knob);
		break;
	default:
		if (!strcmp(c->knob, "limit_ns"))
			snprintf(value, sizeof(value), "%llu",
				 (unsigned long long)c->ns);
		else
			snprintf(value, sizeof(value), "%s", c->arg);
		break;
	}
	err = knob_write(c->knob, value);
	if (err) {
		policy_write_error(msg, sizeof(msg), c->knob, value, -err);
		return cli_err(ctx, "%s", msg);
	}
	return 0;
}

static int do_set(struct cli_ctx *ctx, int argc, char **argv)
{
	struct policy_change *ch;
	int n, i, ret = 0;

	ch = calloc(argc / 2 + 1, sizeof(*ch));
	if (!ch)
		return cli_err(ctx, "out of memory");
	n = parse_changes(ctx, argc, argv, ch);
	if (n < 0) {
		free(ch);
		return 1;
	}
	for (i = 0; i < n && !ret; i++)
		ret = apply_change(ctx, &ch[i]);
	free(ch);
	if (ret)
		return ret;
	/* Quiet on success, as bpftool's commands that change things. */
	if (ctx->json) {
		jsonw_init(&ctx->jw, ctx->out, ctx->pretty);
		jsonw_null(&ctx->jw);
		return jsonw_finish(&ctx->jw) ? 1 : 0;
	}
	return 0;
}

static int do_show(struct cli_ctx *ctx, int argc, char **argv)
{
	struct policy_state st;

	if (argc)
		return cli_err(ctx, "unexpected argument '%s'", argv[0]);
	if (read_state(ctx, &st))
		return 1;
	return policy_print(ctx, &st);
}

static const struct cli_cmd policy_cmds[] = {
	{ "show",	do_show },
	{ "set",	do_set },
	{ NULL, NULL },
};

int do_policy(struct cli_ctx *ctx, int argc, char **argv)
{
	/* `bpfrt policy` alone shows it, as `bpfrt prog` lists. */
	if (!argc)
		return do_show(ctx, 0, argv);
	return cli_dispatch(ctx, policy_cmds, argc, argv, policy_help);
}
