// SPDX-License-Identifier: GPL-2.0
/* guest-ldflags: -Wl,--wrap=syscall */
/*
 * bpf_load_time [-p PROG] [-k DIR] [-c COPIES] OBJ
 *
 * Loads a BPF object with libbpf (all programs, or only PROG) without
 * running anything, and prints one line per program:
 *   prog NAME id ID insns N load_ns T
 * T is the wall time of the successful BPF_PROG_LOAD command of that
 * program alone (map creation, BTF and libbpf's feature probes excluded):
 * libbpf's bpf() calls go through syscall(), which is wrapped here
 * (-Wl,--wrap=syscall). N is the instruction count the loader passed.
 * -k DIR pins each program as DIR/NAME (DIR/NAME_I with -c), so it stays
 * loaded after the process exits. -c loads the object COPIES times.
 * Exit status 1 when the object does not load.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

struct load_rec {
	char name[BPF_OBJ_NAME_LEN];
	__u32 insn_cnt;
	long long ns;
};

static struct load_rec *recs;
static size_t nrecs;

long __real_syscall(long nr, ...);

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Every syscall() of this program and of libbpf.a lands here. */
long __wrap_syscall(long nr, long a1, long a2, long a3, long a4, long a5,
		    long a6)
{
	const union bpf_attr *attr = (const union bpf_attr *)a2;
	long long t0;
	long ret;

	if (nr != __NR_bpf || a1 != BPF_PROG_LOAD)
		return __real_syscall(nr, a1, a2, a3, a4, a5, a6);
	t0 = now_ns();
	ret = __real_syscall(nr, a1, a2, a3, a4, a5, a6);
	if (ret >= 0) {
		struct load_rec *r = realloc(recs, (nrecs + 1) * sizeof(*r));

		if (r) {
			recs = r;
			r = &recs[nrecs++];
			r->ns = now_ns() - t0;
			r->insn_cnt = attr->insn_cnt;
			memcpy(r->name, attr->prog_name, sizeof(r->name));
			r->name[sizeof(r->name) - 1] = '\0';
		}
	}
	return ret;
}

/* The last successful load of @prog: the kernel's name is truncated. */
static const struct load_rec *find_rec(const struct bpf_program *prog)
{
	const char *name = bpf_program__name(prog);
	size_t i;

	for (i = nrecs; i-- > 0;)
		if (!strncmp(recs[i].name, name, BPF_OBJ_NAME_LEN - 1) &&
		    recs[i].insn_cnt == bpf_program__insn_cnt(prog))
			return &recs[i];
	return NULL;
}

static int load_once(const char *path, const char *only, const char *pin_dir,
		     int copy, int copies)
{
	struct bpf_program *prog;
	struct bpf_object *obj;
	int failed = 0, seen = 0;

	nrecs = 0;
	obj = bpf_object__open_file(path, NULL);
	if (!obj) {
		fprintf(stderr, "open %s: %s\n", path, strerror(errno));
		return 1;
	}
	bpf_object__for_each_program(prog, obj) {
		bool want = !only || !strcmp(bpf_program__name(prog), only);

		bpf_program__set_autoload(prog, want);
		seen += want;
	}
	if (!seen) {
		fprintf(stderr, "no program %s in %s\n", only, path);
		bpf_object__close(obj);
		return 1;
	}
	if (bpf_object__load(obj)) {
		fprintf(stderr, "load %s: %s\n", path, strerror(errno));
		bpf_object__close(obj);
		return 1;
	}
	bpf_object__for_each_program(prog, obj) {
		const struct load_rec *r;
		struct bpf_prog_info info = { 0 };
		__u32 len = sizeof(info);

		if (!bpf_program__autoload(prog))
			continue;
		r = find_rec(prog);
		if (bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &len))
			info.id = 0;
		printf("prog %s id %u insns %u load_ns %lld\n",
		       bpf_program__name(prog), info.id, r ? r->insn_cnt : 0,
		       r ? r->ns : -1LL);
		if (pin_dir) {
			char pin[512];

			if (copies > 1)
				/* bpffs refuses dots in names */
				snprintf(pin, sizeof(pin), "%s/%s_%d", pin_dir,
					 bpf_program__name(prog), copy);
			else
				snprintf(pin, sizeof(pin), "%s/%s", pin_dir,
					 bpf_program__name(prog));
			if (bpf_program__pin(prog, pin)) {
				fprintf(stderr, "pin %s: %s\n", pin,
					strerror(errno));
				failed = 1;
			}
		}
	}
	bpf_object__close(obj);
	return failed;
}

int main(int argc, char **argv)
{
	const char *only = NULL, *pin_dir = NULL;
	int c, copies = 1, i, failed = 0;

	while ((c = getopt(argc, argv, "p:k:c:")) != -1) {
		switch (c) {
		case 'p':
			only = optarg;
			break;
		case 'k':
			pin_dir = optarg;
			break;
		case 'c':
			copies = atoi(optarg);
			break;
		default:
			return 2;
		}
	}
	if (optind != argc - 1 || copies < 1) {
		fprintf(stderr, "usage: bpf_load_time [-p PROG] [-k DIR] [-c COPIES] OBJ\n");
		return 2;
	}
	libbpf_set_strict_mode(LIBBPF_STRICT_ALL);
	for (i = 0; i < copies && !failed; i++)
		failed = load_once(argv[optind], only, pin_dir, i, copies);
	free(recs);
	return failed;
}
