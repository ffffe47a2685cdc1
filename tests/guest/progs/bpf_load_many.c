// SPDX-License-Identifier: GPL-2.0
/*
 * bpf_load_many OBJ N WAITFILE: loads OBJ N times with libbpf, prints the
 * id of every program loaded (one per line), then keeps them loaded until
 * WAITFILE exists; exiting closes them all. Exit 1 if any load fails.
 * Several run at once to check that concurrent loads are all captured.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

int main(int argc, char **argv)
{
	struct bpf_object **objs;
	struct bpf_program *prog;
	int n, i;

	if (argc != 4) {
		fprintf(stderr, "usage: bpf_load_many OBJ N WAITFILE\n");
		return 2;
	}
	n = atoi(argv[2]);
	objs = calloc(n, sizeof(*objs));
	if (!objs)
		return 1;
	for (i = 0; i < n; i++) {
		objs[i] = bpf_object__open_file(argv[1], NULL);
		if (!objs[i] || bpf_object__load(objs[i])) {
			fprintf(stderr, "load %d of %s: %s\n", i, argv[1],
				strerror(errno));
			return 1;
		}
		bpf_object__for_each_program(prog, objs[i]) {
			struct bpf_prog_info info = { 0 };
			__u32 len = sizeof(info);

			if (bpf_obj_get_info_by_fd(bpf_program__fd(prog),
						   &info, &len))
				return 1;
			printf("%u\n", info.id);
		}
	}
	fflush(stdout);
	while (access(argv[3], F_OK))
		usleep(20000);
	for (i = 0; i < n; i++)
		bpf_object__close(objs[i]);
	free(objs);
	return 0;
}
