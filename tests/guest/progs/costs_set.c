// SPDX-License-Identifier: GPL-2.0
/*
 * costs_set RULE: sends BPFRT_IOC_COSTS_SET a table or an argument that
 * breaks one validation rule (or none: "valid"), and prints what came back:
 *   errno NAME fault F part P index I op O
 * ("errno 0" on success). The CLI refuses invalid tables before the module
 * sees them, so the module's own checks are exercised from here.
 *
 * Table rules (the table is the built-in one, then broken):
 *   size version reserved   the header (bpfrt_cost_model_check)
 *   missing                 an instruction class with no cost
 *   order                   best > typical
 *   range                   worst above one second
 *   measured                a measured bit on an absent entry
 *   unused                  a value in a slot beyond BPFRT_IC_NR
 * Argument rules:
 *   bufsize                 buf_size is not the table's size (-EMSGSIZE)
 *   nobuf                   no table pointer
 *   fault                   a user pointer that faults (-EFAULT)
 *   nodesc                  empty description
 *   ctrldesc                a control character in the description
 *   longdesc                no NUL in the description
 *   reserved0 argreserved   reserved fields not zero
 *   outputs                 an output field (progs) not zero on input
 *   flags                   an unknown flag
 *   builtin-buf             BPFRT_COSTS_SET_BUILTIN with a table
 *   argsize                 the argument's size field below 4
 *   bigarg                  a larger argument with non-zero extra bytes
 *   nosysadmin              CAP_BPF without CAP_SYS_ADMIN (-EPERM)
 *   valid                   the built-in table, described as RULE valid
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/bpfrt.h>

/* The table layout (module/analyzer/analyzer.h), built-in values. */
#include "../../../module/analyzer/default_costs.c"

static const char *errname(int e)
{
	switch (e) {
	case 0: return "0";
	case EINVAL: return "EINVAL";
	case ERANGE: return "ERANGE";
	case EMSGSIZE: return "EMSGSIZE";
	case EFAULT: return "EFAULT";
	case EPERM: return "EPERM";
	case E2BIG: return "E2BIG";
	case ENOTTY: return "ENOTTY";
	default: return strerror(e);
	}
}

/* Keeps CAP_BPF, drops the rest (CAP_SYS_ADMIN among them). */
static int drop_sys_admin(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2] = { { 0 } };

	d[CAP_BPF / 32].effective = 1u << (CAP_BPF % 32);
	d[CAP_BPF / 32].permitted = 1u << (CAP_BPF % 32);
	return syscall(SYS_capset, &h, d);
}

int main(int argc, char **argv)
{
	static struct bpfrt_cost_model cm;
	struct {
		struct bpfrt_costs_set s;
		__u64 extra;
	} big;
	struct bpfrt_costs_set *s = &big.s;
	const char *rule;
	unsigned long req = BPFRT_IOC_COSTS_SET;
	int fd, ret;

	if (argc != 2) {
		fprintf(stderr, "usage: costs_set RULE\n");
		return 2;
	}
	rule = argv[1];
	fd = open(BPFRT_DEVICE_PATH, O_RDWR);
	if (fd < 0) {
		perror(BPFRT_DEVICE_PATH);
		return 1;
	}
	bpfrt_cost_model_default(&cm);
	memset(&big, 0, sizeof(big));
	s->size = sizeof(*s);
	s->buf = (__u64)(unsigned long)&cm;
	s->buf_size = sizeof(cm);
	snprintf(s->description, sizeof(s->description), "costs_set %s", rule);

	if (!strcmp(rule, "size"))
		cm.size--;
	else if (!strcmp(rule, "version"))
		cm.version++;
	else if (!strcmp(rule, "reserved"))
		cm.reserved = 1;
	else if (!strcmp(rule, "missing"))
		memset(&cm.insn[BPFRT_IC_MUL], 0, sizeof(cm.insn[0]));
	else if (!strcmp(rule, "order"))
		cm.helper[BPF_FUNC_ktime_get_ns].best_ps =
			cm.helper[BPF_FUNC_ktime_get_ns].typical_ps + 1;
	else if (!strcmp(rule, "range"))
		cm.map_op[BPF_MAP_TYPE_HASH][BPFRT_MAP_OP_LOOKUP].worst_ps =
			BPFRT_CM_MAX_PS + 1;
	else if (!strcmp(rule, "measured")) {
		memset(&cm.helper[3], 0, sizeof(cm.helper[3]));
		cm.helper_measured[0] |= 1ULL << 3;
	} else if (!strcmp(rule, "unused"))
		cm.insn[BPFRT_IC_NR].worst_ps = 1;
	else if (!strcmp(rule, "bufsize"))
		s->buf_size = sizeof(cm) - 8;
	else if (!strcmp(rule, "nobuf"))
		s->buf = 0;
	else if (!strcmp(rule, "fault"))
		s->buf = 8;
	else if (!strcmp(rule, "nodesc"))
		memset(s->description, 0, sizeof(s->description));
	else if (!strcmp(rule, "ctrldesc"))
		s->description[3] = '\n';
	else if (!strcmp(rule, "longdesc"))
		memset(s->description, 'x', sizeof(s->description));
	else if (!strcmp(rule, "reserved0"))
		s->reserved0 = 1;
	else if (!strcmp(rule, "argreserved"))
		s->reserved[1] = 1;
	else if (!strcmp(rule, "outputs"))
		s->progs = 1;
	else if (!strcmp(rule, "flags"))
		s->flags = 1u << 7;
	else if (!strcmp(rule, "builtin-buf"))
		s->flags = BPFRT_COSTS_SET_BUILTIN;
	else if (!strcmp(rule, "argsize"))
		s->size = 2;
	else if (!strcmp(rule, "bigarg")) {
		s->size = sizeof(big);
		big.extra = 1;
	} else if (!strcmp(rule, "nosysadmin")) {
		if (drop_sys_admin()) {
			perror("capset");
			return 1;
		}
	} else if (strcmp(rule, "valid")) {
		fprintf(stderr, "unknown rule %s\n", rule);
		return 2;
	}
	ret = ioctl(fd, req, s);
	printf("errno %s fault %u part %u index %u op %u progs %u\n",
	       errname(ret ? errno : 0), s->fault, s->fault_part,
	       s->fault_index, s->fault_op, s->progs);
	close(fd);
	return 0;
}
