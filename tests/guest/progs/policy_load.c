// SPDX-License-Identifier: GPL-2.0
/*
 * policy_load [-t TYPE] [-i INSNS] [-n COUNT] [-s LOG_SIZE] [-e ERRNO] [-p]
 *             [-L]
 *
 * Loads a program built here (INSNS additions to r2 and an exit; default
 * 256, no maps, no BTF) COUNT times (default 1) of TYPE (xdp, sched_cls or
 * socket_filter; default sched_cls) with the raw bpf() syscall: exactly
 * one BPF_PROG_LOAD per load, none of libbpf's retries. Every load must
 * fail with ERRNO (a number, or a name: EDQUOT, EPERM, ...) or, with -e 0
 * (the default), succeed (its fd is closed at once).
 *
 * With -s, every load has a verifier log of LOG_SIZE bytes at level 1,
 * followed by 64 guard bytes that must be left alone, and the log must be
 * NUL-terminated within LOG_SIZE; -p prints the last load's log between
 * "--- log ---" lines, -L its length ("log_len N"). Prints "loads N as
 * expected M" and exits 1 if a load is not as expected, 3 at once if the
 * guard or the terminator is not.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/bpf.h>

#define GUARD_LEN 64
#define GUARD_BYTE 0xa5

static int errno_by_name(const char *s)
{
	static const struct {
		const char *name;
		int err;
	} names[] = {
		{ "EDQUOT", EDQUOT }, { "EPERM", EPERM }, { "EACCES", EACCES },
		{ "EINVAL", EINVAL }, { "ENOSPC", ENOSPC },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(s, names[i].name))
			return names[i].err;
	return atoi(s);
}

static int type_by_name(const char *s)
{
	if (!strcmp(s, "xdp"))
		return BPF_PROG_TYPE_XDP;
	if (!strcmp(s, "sched_cls"))
		return BPF_PROG_TYPE_SCHED_CLS;
	if (!strcmp(s, "socket_filter"))
		return BPF_PROG_TYPE_SOCKET_FILTER;
	return -1;
}

int main(int argc, char **argv)
{
	int type = BPF_PROG_TYPE_SCHED_CLS, n_insns = 256, count = 1;
	int expect = 0, print = 0, print_len = 0, good = 0, bad = 0, c, i, fd;
	long log_size = 0;
	struct bpf_insn *insns;
	char *log = NULL;
	union bpf_attr attr;

	while ((c = getopt(argc, argv, "t:i:n:s:e:pL")) != -1) {
		switch (c) {
		case 't':
			type = type_by_name(optarg);
			if (type < 0) {
				fprintf(stderr, "unknown type %s\n", optarg);
				return 2;
			}
			break;
		case 'i':
			n_insns = atoi(optarg);
			break;
		case 'n':
			count = atoi(optarg);
			break;
		case 's':
			log_size = atol(optarg);
			break;
		case 'e':
			expect = errno_by_name(optarg);
			break;
		case 'p':
			print = 1;
			break;
		case 'L':
			print_len = 1;
			break;
		default:
			return 2;
		}
	}
	if (optind != argc || n_insns < 0 || count < 1 || log_size < 0) {
		fprintf(stderr, "usage: policy_load [-t TYPE] [-i INSNS] [-n COUNT] [-s LOG_SIZE] [-e ERRNO] [-p] [-L]\n");
		return 2;
	}

	/*
	 * r2 = 0, then r2 += 1 INSNS times, r0 = XDP_PASS or TC_ACT_OK or
	 * (socket filter) 0, exit
	 */
	insns = calloc(n_insns + 3, sizeof(*insns));
	if (!insns)
		return 1;
	insns[0] = (struct bpf_insn){ .code = BPF_ALU64 | BPF_MOV | BPF_K,
				      .dst_reg = BPF_REG_2 };
	for (i = 1; i <= n_insns; i++)
		insns[i] = (struct bpf_insn){ .code = BPF_ALU64 | BPF_ADD | BPF_K,
					      .dst_reg = BPF_REG_2, .imm = 1 };
	insns[n_insns + 1] = (struct bpf_insn){
		.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0,
		.imm = type == BPF_PROG_TYPE_XDP ? 2 : 0 };
	insns[n_insns + 2] = (struct bpf_insn){ .code = BPF_JMP | BPF_EXIT };
	if (log_size) {
		log = malloc(log_size + GUARD_LEN);
		if (!log)
			return 1;
	}

	for (i = 0; i < count; i++) {
		memset(&attr, 0, sizeof(attr));
		attr.prog_type = type;
		attr.insns = (unsigned long)insns;
		attr.insn_cnt = n_insns + 3;
		attr.license = (unsigned long)"GPL";
		snprintf(attr.prog_name, sizeof(attr.prog_name), "policy_load");
		if (log) {
			memset(log, GUARD_BYTE, log_size + GUARD_LEN);
			log[0] = '\0';
			attr.log_buf = (unsigned long)log;
			attr.log_size = log_size;
			attr.log_level = 1;
		}
		fd = syscall(__NR_bpf, BPF_PROG_LOAD, &attr, sizeof(attr));
		if (fd >= 0) {
			close(fd);
			errno = 0;
		}
		if (errno == expect) {
			good++;
		} else {
			bad++;
			if (bad == 1)
				fprintf(stderr, "load %d: %s (errno %d), expected errno %d\n",
					i, fd >= 0 ? "loaded" : strerror(errno),
					errno, expect);
		}
		if (log) {
			int j;

			for (j = 0; j < GUARD_LEN; j++) {
				if ((unsigned char)log[log_size + j] != GUARD_BYTE) {
					fprintf(stderr, "load %d: byte %d after the log was written\n",
						i, j);
					return 3;
				}
			}
			if (!memchr(log, '\0', log_size)) {
				fprintf(stderr, "load %d: log not NUL-terminated\n", i);
				return 3;
			}
		}
	}
	if (print && log)
		printf("--- log ---\n%s--- log ---\n", log);
	if (print_len && log)
		printf("log_len %zu\n", strlen(log));
	printf("loads %d as expected %d\n", count, good);
	return bad ? 1 : 0;
}
