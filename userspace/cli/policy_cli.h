/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bpfrt policy { show | set }: the module's load-time policy, read from and
 * written to its sysfs knobs (/sys/kernel/bpfrt/policy/, or the directory
 * in $BPFRT_SYSFS_POLICY for tests). The pieces that need no module are
 * exposed for the unit tests.
 */
#ifndef _BPFRT_POLICY_CLI_H
#define _BPFRT_POLICY_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include "cli.h"

#define POLICY_MAX_ITEMS	64	/* as the module's lists */
#define POLICY_ITEM_LEN		40	/* "tag:" + 16 hex, "cgroup_sock_addr" */
#define POLICY_VALUE_LEN	4096	/* a sysfs page */

struct policy_type_limit {
	char type[POLICY_ITEM_LEN];
	__u64 limit_ns;
};

/* The knobs as read from sysfs. */
struct policy_state {
	__u64 limit_ns;
	char action[16];
	char uncertain[16];
	unsigned int type_cnt;
	struct policy_type_limit types[POLICY_MAX_ITEMS];
	unsigned int exempt_cnt;
	char exempt[POLICY_MAX_ITEMS][POLICY_ITEM_LEN];	/* "name:..." */
	bool have_stats;
	__u64 judged, over_limit, exempted, audited, rejected;
};

/* The directory of the knobs: $BPFRT_SYSFS_POLICY or the module's. */
const char *policy_dir(void);

/*
 * A duration as the CLI takes it: a number with an optional unit ns, us, ms
 * or s ("250us", "1.5ms"; a bare number is nanoseconds), or "off" (0).
 * Returns 0, or -EINVAL for anything else, a fraction of a nanosecond or
 * more than U64_MAX ns.
 */
int policy_parse_duration(const char *s, __u64 *ns);

/* The current choice of a "[audit] reject" line into @out; -EINVAL if none. */
int policy_parse_choice(const char *line, char *out, size_t len);

/*
 * Fills @st from the knobs' texts (each as read, newline included);
 * @stats may be NULL. Returns 0 or -EPROTO when a text is malformed.
 */
int policy_state_parse(struct policy_state *st, const char *limit_ns,
		       const char *action, const char *type_limits_ns,
		       const char *exempt, const char *uncertain,
		       const char *stats);

/* One list knob's text into @st: 0 or -EPROTO. */
int policy_parse_types(struct policy_state *st, const char *text);
int policy_parse_exempt(struct policy_state *st, const char *text);

/* `bpfrt policy show` of @st: text lines or one JSON object. */
int policy_print(struct cli_ctx *ctx, const struct policy_state *st);

/*
 * The type_limits_ns value with TYPE's limit set to @value ("NS") or, when
 * @value is NULL, TYPE's entry removed; "none" for an empty table.
 */
int policy_types_edit(const struct policy_state *st, const char *type,
		      const char *value, char *out, size_t len);

/* The exempt value with @item added (@add) or removed; -ENOENT if absent. */
int policy_exempt_edit(const struct policy_state *st, const char *item,
		       bool add, char *out, size_t len);

/*
 * The sentence for a failed write of @value to @knob with errno @err, e.g.
 * "cannot set action to 'deny': the module refused it (expected audit or
 * reject)".
 */
void policy_write_error(char *buf, size_t len, const char *knob,
			const char *value, int err);

#endif /* _BPFRT_POLICY_CLI_H */
