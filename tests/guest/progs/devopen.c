// SPDX-License-Identifier: GPL-2.0
/*
 * devopen PATH: opens PATH read-write and prints "ok" or the errno name
 * (EACCES, EPERM, ...), so a case can check exactly which error it got.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: devopen PATH\n");
		return 2;
	}
	fd = open(argv[1], O_RDWR);
	if (fd < 0) {
		const char *name = errno == EACCES ? "EACCES" :
				   errno == EPERM ? "EPERM" :
				   errno == ENOENT ? "ENOENT" : strerror(errno);
		printf("%s\n", name);
		return 1;
	}
	close(fd);
	printf("ok\n");
	return 0;
}
