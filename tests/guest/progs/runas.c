// SPDX-License-Identifier: GPL-2.0
/*
 * runas UID COMMAND [ARGS...]: drops to an unprivileged user (uid = gid =
 * UID, no supplementary groups, so no capabilities) and runs COMMAND.
 * Used to check what an unprivileged user gets from /dev/bpfrt.
 */
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	uid_t uid;

	if (argc < 3) {
		fprintf(stderr, "usage: runas UID COMMAND [ARGS...]\n");
		return 2;
	}
	uid = (uid_t)strtoul(argv[1], NULL, 10);
	if (setgroups(0, NULL) || setgid(uid) || setuid(uid)) {
		perror("runas: dropping privileges");
		return 2;
	}
	execvp(argv[2], argv + 2);
	perror("runas: exec");
	return 127;
}
