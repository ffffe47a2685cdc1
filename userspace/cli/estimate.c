// SPDX-License-Identifier: GPL-2.0
/*
 * bpfrt estimate FILE [[name] PROGRAM] [costs { auto | builtin | module }]
 *
 * Estimates the programs of a BPF object file without loading anything
 * into the kernel. libbpf prepares the instructions exactly as it would
 * for a load, but in "loader generation" mode (bpf_object__gen_loader()):
 * bpf_object__load() then relocates every program, appends the
 * subprograms it calls with PC-relative calls, and writes map references
 * as BPF_PSEUDO_MAP_IDX[_VALUE] with the object's map index, while every
 * bpf() command it would have issued is recorded into a loader blob
 * instead of run (no privilege, no kernel). bpf_program__insns() then
 * gives the instructions the kernel would have received.
 *
 * What the verifier would still change (inlining, dead code, ...) is not
 * seen here: README.md, "bpfrt estimate and the module's estimate".
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "cli.h"
#include "estimate.h"
#include "format.h"
#include "libbpfrt.h"
#include "names.h"
#include "prog.h"

#define U64_NONE (~(__u64)0)

/* --- libbpf: the object's programs, relocated --- */

/* libbpf's words for @err (its own codes included). */
static const char *lbpf_err(int err, char *buf, size_t len)
{
	if (libbpf_strerror(err, buf, len))
		snprintf(buf, len, "%s", strerror(err < 0 ? -err : err));
	return buf;
}

/*
 * libbpf's first warning since the last reset, kept to explain a failure:
 * the first one names the cause ("missing BPF prog type ..."), the later
 * ones only that loading stopped.
 */
static char libbpf_msg[512];

static int libbpf_capture(enum libbpf_print_level level, const char *fmt,
			  va_list ap)
{
	const char *prefix = "libbpf: ";
	size_t n;

	if (level != LIBBPF_WARN || libbpf_msg[0])
		return 0;
	vsnprintf(libbpf_msg, sizeof(libbpf_msg), fmt, ap);
	n = strlen(prefix);
	if (!strncmp(libbpf_msg, prefix, n))
		memmove(libbpf_msg, libbpf_msg + n, strlen(libbpf_msg) - n + 1);
	n = strlen(libbpf_msg);
	while (n && libbpf_msg[n - 1] == '\n')
		libbpf_msg[--n] = '\0';
	return 0;
}

static void set_error(struct est_prog *p, int err, const char *what,
		      const char *fmt, ...)
{
	va_list ap;

	p->err = err < 0 ? err : -EINVAL;
	p->err_what = what;
	p->err_detail[0] = '\0';
	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(p->err_detail, sizeof(p->err_detail), fmt, ap);
		va_end(ap);
	}
}

static void copy_str(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src ? src : "");
}

/* The object's maps, in libbpf's order: the index MAP_IDX refers to. */
static int obj_maps(struct bpf_object *obj, struct est_obj_map **out,
		    __u32 *cnt)
{
	struct est_obj_map *maps = NULL, *q;
	struct bpf_map *map;
	__u32 n = 0;

	bpf_object__for_each_map(map, obj) {
		struct est_obj_map *m;

		q = realloc(maps, (n + 1) * sizeof(*maps));
		if (!q) {
			free(maps);
			return -ENOMEM;
		}
		maps = q;
		m = &maps[n++];
		memset(m, 0, sizeof(*m));
		/* the kernel keeps BPF_OBJ_NAME_LEN - 1 characters */
		snprintf(m->name, sizeof(m->name), "%.*s",
			 BPFRT_OBJ_NAME_LEN - 1, bpf_map__name(map));
		m->type = bpf_map__type(map);
		m->max_entries = bpf_map__max_entries(map);
		m->key_size = bpf_map__key_size(map);
		m->value_size = bpf_map__value_size(map);
	}
	*out = maps;
	*cnt = n;
	return 0;
}

static void estimate_one(struct est_prog *p, const struct bpf_program *prog,
			 const struct est_obj_map *omaps, __u32 omap_cnt,
			 const struct bpfrt_cost_model *cm)
{
	const struct bpf_insn *insns = bpf_program__insns(prog);
	size_t cnt = bpf_program__insn_cnt(prog);
	struct est_input in;
	__u32 i;
	int err, n;

	p->insn_cnt = cnt > UINT32_MAX ? UINT32_MAX : cnt;
	if (!insns || !cnt) {
		set_error(p, -ENODATA, "input", "no instructions");
		return;
	}
	err = est_input_build(&in, insns, p->insn_cnt, omaps, omap_cnt,
			      p->type);
	if (err) {
		if (in.err_insn != BPFRT_AN_NONE)
			set_error(p, err, "input", "malformed at insn %u",
				  in.err_insn);
		else
			set_error(p, err, "input", NULL);
		est_input_free(&in);
		return;
	}
	p->func_cnt = in.prog.func_cnt;
	p->map_cnt = in.map_cnt;
	n = est_input_sites(&in, &p->sites);
	p->site_cnt = n > 0 ? n : 0;
	for (i = 0; i < in.map_cnt && i < BPFRT_MAX_MAPS; i++) {
		const struct est_obj_map *m = &omaps[in.obj_map[i]];

		memcpy(p->maps[i].name, m->name, sizeof(p->maps[i].name));
		p->maps[i].type = m->type;
		p->maps[i].max_entries = m->max_entries;
		p->maps[i].key_size = m->key_size;
		p->maps[i].value_size = m->value_size;
	}
	err = bpfrt_an_estimate(&in.prog, cm, &p->res);
	if (err) {
		if (p->res.err_func != BPFRT_AN_NONE &&
		    p->res.err_insn != BPFRT_AN_NONE)
			set_error(p, err, "analyzer", "at func %u insn %u",
				  p->res.err_func, p->res.err_insn);
		else
			set_error(p, err, "analyzer", NULL);
	}
	est_input_free(&in);
}

struct est_run {
	const char *file;
	const void *data;		/* the file's bytes */
	size_t size;
	const char *only;		/* PROGRAM, or NULL for all */
	const struct bpfrt_cost_model *cm;
	struct est_prog *progs;
	__u32 cnt;
	char names[256];		/* the object's programs, for errors */
	char err[768];			/* object-level failure */
};

/*
 * Opens @r->file, lets libbpf relocate the selected programs (all, or only
 * @one when not NULL) in loader-generation mode and estimates them; with
 * @fill, also lists the programs into @r->progs. Returns 0 or -errno with
 * a message in @r->err (the object could not be opened or prepared).
 */
static int run_object(struct est_run *r, const char *one, bool fill)
{
	LIBBPF_OPTS(bpf_object_open_opts, open_opts);
	LIBBPF_OPTS(gen_loader_opts, gen);
	char objname[64], *dot;
	const char *base;
	struct est_obj_map *omaps = NULL;
	struct bpf_program *prog;
	struct bpf_object *obj;
	__u32 omap_cnt = 0, i;
	char ebuf[128];
	int err;

	/*
	 * Name the object as bpf_object__open_file() would (the file's base
	 * name up to its first dot): internal maps (.bss, .rodata) are named
	 * after it, as they are in the kernel when the object is loaded.
	 */
	base = strrchr(r->file, '/');
	base = base ? base + 1 : r->file;
	snprintf(objname, sizeof(objname), "%s", base);
	dot = strchr(objname, '.');
	if (dot)
		*dot = '\0';
	open_opts.object_name = objname;

	libbpf_msg[0] = '\0';
	obj = bpf_object__open_mem(r->data, r->size, &open_opts);
	if (!obj) {
		err = -errno;
		snprintf(r->err, sizeof(r->err),
			 "%s is not a BPF object file libbpf can open (%s)%s%s",
			 r->file, lbpf_err(err, ebuf, sizeof(ebuf)),
			 libbpf_msg[0] ? ": " : "", libbpf_msg);
		return err ? err : -EINVAL;
	}
	if (fill) {
		size_t used = 0;
		__u32 n = 0;

		bpf_object__for_each_program(prog, obj) {
			const char *name = bpf_program__name(prog);
			int w;

			if (!r->only || !strcmp(name, r->only))
				n++;
			w = snprintf(r->names + used, sizeof(r->names) - used,
				     "%s%s", used ? ", " : "", name);
			if (w > 0 && (size_t)w < sizeof(r->names) - used)
				used += w;
		}
		r->progs = calloc(n ? n : 1, sizeof(*r->progs));
		if (!r->progs) {
			bpf_object__close(obj);
			return -ENOMEM;
		}
		i = 0;
		bpf_object__for_each_program(prog, obj) {
			struct est_prog *p;

			if (r->only && strcmp(bpf_program__name(prog), r->only))
				continue;
			p = &r->progs[i++];
			copy_str(p->name, sizeof(p->name),
				 bpf_program__name(prog));
			copy_str(p->section, sizeof(p->section),
				 bpf_program__section_name(prog));
			p->type = bpf_program__type(prog);
		}
		r->cnt = n;
	}
	bpf_object__for_each_program(prog, obj) {
		const char *name = bpf_program__name(prog);
		bool want = one ? !strcmp(name, one) :
			    !r->only || !strcmp(name, r->only);

		bpf_program__set_autoload(prog, want);
	}
	err = bpf_object__gen_loader(obj, &gen);
	if (!err)
		err = bpf_object__load(obj);
	if (!err)
		err = obj_maps(obj, &omaps, &omap_cnt);
	if (err) {
		if (libbpf_msg[0])
			snprintf(r->err, sizeof(r->err), "%s", libbpf_msg);
		else
			snprintf(r->err, sizeof(r->err), "%s",
				 lbpf_err(err, ebuf, sizeof(ebuf)));
		bpf_object__close(obj);
		return err;
	}
	bpf_object__for_each_program(prog, obj) {
		const char *name = bpf_program__name(prog);

		if (!bpf_program__autoload(prog))
			continue;
		for (i = 0; i < r->cnt; i++) {
			struct est_prog *p = &r->progs[i];

			if (strcmp(p->name, name) || p->err || p->func_cnt)
				continue;
			estimate_one(p, prog, omaps, omap_cnt, r->cm);
			break;
		}
	}
	free(omaps);
	bpf_object__close(obj);
	return 0;
}

/*
 * All selected programs in one pass; when libbpf refuses the object as a
 * whole (one program it cannot prepare fails them all), each program on
 * its own, so the others are still estimated and the failing one says why.
 */
static int estimate_file(struct est_run *r)
{
	__u32 i;
	int err;

	err = run_object(r, NULL, true);
	if (!err || !r->progs)
		return err;
	if (!r->cnt)
		return err;
	for (i = 0; i < r->cnt; i++) {
		struct est_prog *p = &r->progs[i];

		r->err[0] = '\0';
		err = run_object(r, p->name, false);
		if (err && !p->err)
			set_error(p, err, "libbpf", "%s", r->err);
	}
	r->err[0] = '\0';
	return 0;
}

/*
 * libbpf 1.1 can crash on a malformed object (fuzzed objects made
 * bpf_object__open_mem() fault), so the whole preparation first runs in a
 * child process with a time limit; this process repeats it on the same
 * bytes only when the child survived. Returns 0, or -1 with the reason in
 * @r->err.
 */
#define EST_CHILD_SECONDS	120

static int libbpf_survives(struct est_run *r)
{
	int status, sig;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return 0;	/* no isolation, but no reason to refuse */
	if (pid == 0) {
		struct est_run c = *r;

		c.progs = NULL;
		c.cnt = 0;
		alarm(EST_CHILD_SECONDS);
		estimate_file(&c);
		_exit(0);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return 0;
	if (!WIFSIGNALED(status))
		return 0;
	sig = WTERMSIG(status);
	if (sig == SIGALRM)
		snprintf(r->err, sizeof(r->err),
			 "libbpf did not finish preparing %s in %d s",
			 r->file, EST_CHILD_SECONDS);
	else
		snprintf(r->err, sizeof(r->err),
			 "libbpf crashed preparing %s (%s): the file is not a valid BPF object",
			 r->file, strsignal(sig));
	return -1;
}

/* The whole file in memory, so every pass parses the same bytes. */
#define EST_MAX_FILE	(1024u * 1024 * 1024)

static int read_file(struct cli_ctx *ctx, const char *path, void **data,
		     size_t *size)
{
	struct stat st;
	size_t done = 0;
	char *buf;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return cli_err(ctx, "cannot open %s: %s", path,
			       strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return cli_err(ctx, "%s is not a regular file", path);
	}
	if ((unsigned long long)st.st_size > EST_MAX_FILE) {
		close(fd);
		return cli_err(ctx, "%s is too large for a BPF object (%lld bytes)",
			       path, (long long)st.st_size);
	}
	buf = malloc(st.st_size ? st.st_size : 1);
	if (!buf) {
		close(fd);
		return cli_err(ctx, "out of memory");
	}
	while (done < (size_t)st.st_size) {
		n = read(fd, buf + done, st.st_size - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += n;
	}
	close(fd);
	if (done != (size_t)st.st_size) {
		free(buf);
		return cli_err(ctx, "cannot read %s", path);
	}
	*data = buf;
	*size = done;
	return 0;
}

/* --- cost table --- */

static int load_costs(struct cli_ctx *ctx, const char *want,
		      struct bpfrt_cost_model *cm, struct est_costs *costs)
{
	struct bpfrt_costs_get meta;
	bool module = !strcmp(want, "module");
	void *buf = NULL;
	__u32 len = 0;
	int fd, err;

	bpfrt_cost_model_default(cm);
	memset(costs, 0, sizeof(*costs));
	costs->source = EST_COSTS_BUILTIN;
	snprintf(costs->description, sizeof(costs->description),
		 "built-in conservative defaults");
	if (!strcmp(want, "builtin"))
		return 0;

	fd = bpfrt_open();
	if (fd < 0) {
		if (module)
			return cli_err(ctx, "the module's cost table: %s",
				       bpfrt_open_hint(fd));
		return 0;
	}
	err = bpfrt_costs_get(fd, &buf, &len, &meta);
	close(fd);
	if (err) {
		if (module)
			return cli_err(ctx, "the module's cost table: %s",
				       err == -ENOTTY ?
				       "this module does not export it" :
				       strerror(-err));
		return 0;
	}
	if (len != sizeof(*cm) ||
	    bpfrt_cost_model_check((const struct bpfrt_cost_model *)buf)) {
		free(buf);
		if (module)
			return cli_err(ctx, "the module's cost table has another format (%u bytes, this bpfrt expects %zu, version %u)",
				       len, sizeof(*cm), BPFRT_CM_VERSION);
		fprintf(ctx->err, "Warning: the module's cost table has another format; using the built-in table\n");
		return 0;
	}
	memcpy(cm, buf, sizeof(*cm));
	free(buf);
	costs->source = EST_COSTS_MODULE;
	costs->module_source = meta.source;
	snprintf(costs->description, sizeof(costs->description), "%s",
		 meta.description);
	return 0;
}

/* --- command --- */

static int do_help(struct cli_ctx *ctx)
{
	if (ctx->json) {
		jsonw_init(&ctx->jw, ctx->out, ctx->pretty);
		jsonw_null(&ctx->jw);
		return jsonw_finish(&ctx->jw) ? 1 : 0;
	}
	fprintf(ctx->out,
		"Usage: bpfrt estimate FILE [PROGRAM] [costs COSTS]\n"
		"       bpfrt estimate help\n"
		"\n"
		"       FILE := a BPF object file (.bpf.o)\n"
		"       PROGRAM := [ name ] NAME\n"
		"       COSTS := { auto | builtin | module }\n"
		"\n"
		"Estimates the programs of FILE (or only PROGRAM, in detail)\n"
		"without loading them. COSTS: the module's cost table when it\n"
		"can be read (auto, the default), this bpfrt's built-in table,\n"
		"or the module's. See bpfrt(8).\n");
	return 0;
}

int do_estimate(struct cli_ctx *ctx, int argc, char **argv)
{
	libbpf_print_fn_t old_print;
	struct bpfrt_cost_model *cm;
	void *data = NULL;
	struct est_run r = { 0 };
	struct est_costs costs;
	const char *want = "auto";
	struct stat st;
	__u32 i;
	int ret, err;

	if (argc < 1 || !strcmp(argv[0], "help"))
		return do_help(ctx);
	r.file = argv[0];
	argc--;
	argv++;
	while (argc > 0) {
		if (!strcmp(argv[0], "costs")) {
			if (argc < 2)
				return cli_err(ctx, "expected auto, builtin or module after 'costs'");
			if (strcmp(argv[1], "auto") && strcmp(argv[1], "builtin") &&
			    strcmp(argv[1], "module"))
				return cli_err(ctx, "unknown cost table '%s' (expected auto, builtin or module)",
					       argv[1]);
			want = argv[1];
			argc -= 2;
			argv += 2;
			continue;
		}
		if (r.only)
			return cli_err(ctx, "unexpected argument '%s'", argv[0]);
		if (!strcmp(argv[0], "name")) {
			if (argc < 2)
				return cli_err(ctx, "expected a program name after 'name'");
			argc--;
			argv++;
		}
		r.only = argv[0];
		argc--;
		argv++;
	}

	if (stat(r.file, &st))
		return cli_err(ctx, "cannot open %s: %s", r.file,
			       strerror(errno));
	if (!S_ISREG(st.st_mode))
		return cli_err(ctx, "%s is not a regular file", r.file);

	cm = malloc(sizeof(*cm));
	if (!cm)
		return cli_err(ctx, "out of memory");
	if (load_costs(ctx, want, cm, &costs) ||
	    read_file(ctx, r.file, &data, &r.size)) {
		free(cm);
		return 1;
	}
	r.data = data;
	r.cm = cm;

	old_print = libbpf_set_print(libbpf_capture);
	err = libbpf_survives(&r) ? -EINVAL : estimate_file(&r);
	libbpf_set_print(old_print);

	if (err) {
		ret = cli_err(ctx, "%s", r.err[0] ? r.err : strerror(-err));
	} else if (!r.cnt && r.only) {
		ret = cli_err(ctx, "no program named '%s' in %s (programs: %s)",
			      r.only, r.file, r.names[0] ? r.names : "none");
	} else if (!r.cnt) {
		ret = cli_err(ctx, "%s has no BPF programs", r.file);
	} else {
		ret = est_print(ctx, r.file, &costs, r.progs, r.cnt, !!r.only);
		for (i = 0; i < r.cnt; i++)
			if (r.progs[i].err)
				ret = 1;
	}
	for (i = 0; i < r.cnt; i++)
		free(r.progs[i].sites);
	free(r.progs);
	free(cm);
	free(data);
	return ret;
}
