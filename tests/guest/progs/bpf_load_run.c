// SPDX-License-Identifier: GPL-2.0
/*
 * bpf_load_run OBJ [-p PROG] [-n REPEAT] [-r EXPECTED_RETVAL] [-k]
 *
 * Opens and loads a BPF object with libbpf, then runs each program (or
 * PROG) once through BPF_PROG_TEST_RUN with REPEAT repetitions on a 64-byte
 * packet, printing one line per program:
 *   prog NAME id ID retval R duration_ns D
 * -k keeps the programs loaded (pinned under /sys/fs/bpf/NAME) for later
 * cases. Exit status 1 on any load, run or retval mismatch.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

static int run_prog(struct bpf_program *prog, int repeat, long expect)
{
	unsigned char pkt[64] = { 0 };
	struct bpf_prog_info info = { 0 };
	__u32 info_len = sizeof(info);
	LIBBPF_OPTS(bpf_test_run_opts, opts,
		.data_in = pkt,
		.data_size_in = sizeof(pkt),
		.repeat = repeat,
	);
	int fd = bpf_program__fd(prog), ret;

	/* An Ethernet header with an IPv4 ethertype, the rest zero. */
	pkt[12] = 0x08;
	if (bpf_obj_get_info_by_fd(fd, &info, &info_len)) {
		fprintf(stderr, "%s: get info: %s\n", bpf_program__name(prog),
			strerror(errno));
		return 1;
	}
	ret = bpf_prog_test_run_opts(fd, &opts);
	if (ret) {
		fprintf(stderr, "%s: test run: %s\n", bpf_program__name(prog),
			strerror(errno));
		return 1;
	}
	printf("prog %s id %u retval %u duration_ns %u\n",
	       bpf_program__name(prog), info.id, opts.retval, opts.duration);
	if (expect >= 0 && opts.retval != (__u32)expect) {
		fprintf(stderr, "%s: retval %u, expected %ld\n",
			bpf_program__name(prog), opts.retval, expect);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *only = NULL;
	struct bpf_object *obj;
	struct bpf_program *prog;
	int repeat = 1, c, failed = 0, ran = 0, keep = 0;
	long expect = -1;

	while ((c = getopt(argc, argv, "p:n:r:k")) != -1) {
		switch (c) {
		case 'p':
			only = optarg;
			break;
		case 'n':
			repeat = atoi(optarg);
			break;
		case 'r':
			expect = atol(optarg);
			break;
		case 'k':
			keep = 1;
			break;
		default:
			return 2;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "usage: bpf_load_run OBJ [-p PROG] [-n REPEAT] [-r RETVAL] [-k]\n");
		return 2;
	}

	libbpf_set_strict_mode(LIBBPF_STRICT_ALL);
	obj = bpf_object__open_file(argv[optind], NULL);
	if (!obj) {
		fprintf(stderr, "open %s: %s\n", argv[optind], strerror(errno));
		return 1;
	}
	if (bpf_object__load(obj)) {
		fprintf(stderr, "load %s: %s\n", argv[optind], strerror(errno));
		bpf_object__close(obj);
		return 1;
	}
	bpf_object__for_each_program(prog, obj) {
		if (only && strcmp(only, bpf_program__name(prog)))
			continue;
		ran++;
		failed |= run_prog(prog, repeat, expect);
		if (keep) {
			char path[256];

			snprintf(path, sizeof(path), "/sys/fs/bpf/%s",
				 bpf_program__name(prog));
			if (bpf_program__pin(prog, path))
				failed = 1;
		}
	}
	bpf_object__close(obj);
	if (!ran) {
		fprintf(stderr, "no program%s%s in %s\n", only ? " " : "",
			only ? only : "", argv[optind]);
		return 1;
	}
	return failed;
}
