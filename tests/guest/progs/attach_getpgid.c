// SPDX-License-Identifier: GPL-2.0
/*
 * attach_getpgid [-g VAR=N] [-i FILE] [-e FILE] OBJ PROG: loads OBJ with libbpf,
 * attaches PROG where its section says (an fentry on getpgid, say), calls
 * getpgid(2) once and prints how long the call took:
 *   prog NAME id ID duration_ns D
 * For programs we did not write and cannot change, such as the kernel's
 * selftest bpf_loop_bench: -g sets the 32-bit global VAR of the object's
 * .bss (found through the object's BTF) to N before the load.
 *   -i FILE    write the program id to FILE once attached
 *   -e FILE    after the call, keep the program loaded until FILE exists
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "guest_util.h"

static int fail(const char *what)
{
	fprintf(stderr, "attach_getpgid: %s: %s\n", what,
		errno ? strerror(errno) : "failed");
	return 1;
}

/* The .bss map of @obj (libbpf names it after the object). */
static struct bpf_map *bss_map(struct bpf_object *obj)
{
	struct bpf_map *map;
	size_t n;

	bpf_object__for_each_map(map, obj) {
		const char *name = bpf_map__name(map);

		n = strlen(name);
		if (n >= 4 && !strcmp(name + n - 4, ".bss"))
			return map;
	}
	return NULL;
}

/* Sets the u32 global @var of .bss to @val, before the load. */
static int set_bss_u32(struct bpf_object *obj, const char *var, __u32 val)
{
	const struct btf_var_secinfo *vs;
	struct btf *btf = bpf_object__btf(obj);
	const struct btf_type *sec;
	struct bpf_map *map = bss_map(obj);
	const void *init;
	size_t size;
	char *data;
	int id, i, ret;

	if (!btf || !map)
		return fail("no BTF or no .bss");
	id = btf__find_by_name_kind(btf, ".bss", BTF_KIND_DATASEC);
	if (id < 0)
		return fail("no .bss datasec");
	sec = btf__type_by_id(btf, id);
	init = bpf_map__initial_value(map, &size);
	if (!init)
		return fail(".bss initial value");
	data = malloc(size);
	if (!data)
		return fail("malloc");
	memcpy(data, init, size);
	vs = btf_var_secinfos(sec);
	for (i = 0; i < btf_vlen(sec); i++, vs++) {
		const struct btf_type *v = btf__type_by_id(btf, vs->type);

		if (strcmp(btf__name_by_offset(btf, v->name_off), var))
			continue;
		if (vs->size != sizeof(val) || vs->offset + vs->size > size) {
			free(data);
			errno = EINVAL;
			return fail("variable is not a u32 inside .bss");
		}
		memcpy(data + vs->offset, &val, sizeof(val));
		ret = bpf_map__set_initial_value(map, data, size);
		free(data);
		if (ret) {
			errno = -ret;
			return fail("set .bss");
		}
		return 0;
	}
	free(data);
	errno = ENOENT;
	return fail("no such .bss variable");
}

int main(int argc, char **argv)
{
	struct bpf_prog_info info = {};
	__u32 info_len = sizeof(info);
	const char *idfile = NULL, *endfile = NULL;
	char var[64] = "";
	struct bpf_program *prog;
	struct bpf_object *obj;
	struct bpf_link *link;
	struct timespec t0, t1;
	unsigned int val = 0;
	int opt;

	while ((opt = getopt(argc, argv, "g:i:e:")) != -1) {
		switch (opt) {
		case 'g':
			if (sscanf(optarg, "%63[^=]=%u", var, &val) != 2) {
				fprintf(stderr, "attach_getpgid: bad -g %s\n",
					optarg);
				return 2;
			}
			break;
		case 'i':
			idfile = optarg;
			break;
		case 'e':
			endfile = optarg;
			break;
		default:
			return 2;
		}
	}
	if (optind != argc - 2) {
		fprintf(stderr, "usage: attach_getpgid [-g VAR=N] [-i FILE] [-e FILE] OBJ PROG\n");
		return 2;
	}
	obj = bpf_object__open_file(argv[optind], NULL);
	if (!obj)
		return fail("open");
	if (var[0] && set_bss_u32(obj, var, val))
		return 1;
	if (bpf_object__load(obj))
		return fail("load");
	prog = bpf_object__find_program_by_name(obj, argv[optind + 1]);
	if (!prog)
		return fail("no such program");
	link = bpf_program__attach(prog);
	if (!link)
		return fail("attach");
	if (bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &info_len))
		return fail("info");
	if (idfile && write_id_file(idfile, info.id))
		return fail("id file");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	syscall(SYS_getpgid, 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("prog %s id %u duration_ns %lld\n", argv[optind + 1], info.id,
	       (long long)(t1.tv_sec - t0.tv_sec) * 1000000000LL +
	       (t1.tv_nsec - t0.tv_nsec));
	fflush(stdout);
	wait_for_file(endfile);
	bpf_link__destroy(link);
	bpf_object__close(obj);
	return 0;
}
