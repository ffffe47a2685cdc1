// SPDX-License-Identifier: GPL-2.0
/*
 * term_run [options] OBJ PROG: loads OBJ with libbpf and runs PROG once
 * through BPF_PROG_TEST_RUN, for the termination tests. Prints
 *   prog NAME id ID retval R duration_ns D
 * Options prepare what the runaway programs of tests/bpf/runaway.bpf.c
 * need:
 *   -c CPU     run pinned to CPU
 *   -n N       repeat count of the test run (default 1)
 *   -f MAP:N   put N elements into hash map MAP first
 *   -u MAP:N   write N 8-byte samples into user ring buffer MAP first
 *   -s         open a loopback TCP connection for hold_and_spin to look
 *              up; afterwards require exactly one ring-buffer sample (42),
 *              that the socket was found and that its reference count is
 *              what it was before the run (no leaked reference)
 *   -t         fill the prog array "chain" (tail_middle, tail_runaway)
 *   -i FILE    write the program id to FILE once loaded
 *   -w FILE    then wait until FILE exists before running
 *   -e FILE    after the run, keep the program loaded until FILE exists
 */

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "guest_util.h"

struct sk_cfg {
	__u32 saddr, daddr;
	__u16 sport, dport;
	__u32 found;
};

static int fail(const char *what)
{
	fprintf(stderr, "term_run: %s: %s\n", what, strerror(errno));
	return 1;
}

static int fill_hash(struct bpf_object *obj, const char *spec)
{
	char name[64];
	unsigned int n, i;
	struct bpf_map *map;
	__u64 v = 1;

	if (sscanf(spec, "%63[^:]:%u", name, &n) != 2)
		return fail("bad -f");
	map = bpf_object__find_map_by_name(obj, name);
	if (!map)
		return fail("no such map");
	for (i = 0; i < n; i++)
		if (bpf_map__update_elem(map, &i, sizeof(i), &v, sizeof(v), 0))
			return fail("hash update");
	return 0;
}

static int fill_user_rb(struct bpf_object *obj, const char *spec)
{
	struct user_ring_buffer *urb;
	struct bpf_map *map;
	unsigned int n, i;
	char name[64];

	if (sscanf(spec, "%63[^:]:%u", name, &n) != 2)
		return fail("bad -u");
	map = bpf_object__find_map_by_name(obj, name);
	if (!map)
		return fail("no such map");
	urb = user_ring_buffer__new(bpf_map__fd(map), NULL);
	if (!urb)
		return fail("user_ring_buffer__new");
	for (i = 0; i < n; i++) {
		__u64 *s = user_ring_buffer__reserve(urb, sizeof(*s));

		if (!s)
			break;		/* full */
		*s = i;
		user_ring_buffer__submit(urb, s);
	}
	/* The samples stay in the map; the handle is not needed. */
	user_ring_buffer__free(urb);
	return 0;
}

/* The client's side of the pair, the socket the program looks up. */
static struct sockaddr_in client_addr, server_addr;

/*
 * The reference count of the client's socket, from /proc/net/tcp (the
 * "ref" column after the inode, net/ipv4/tcp_ipv4.c: get_tcp4_sock), or
 * -1. bpf_sk_lookup_tcp() takes a reference on an established socket and
 * the program must drop it with bpf_sk_release(): after the run the count
 * is what it was before, or the socket leaked.
 */
static int client_refcnt(void)
{
	char want_l[32], want_r[32], line[512], l[32], r[32];
	unsigned long inode;
	int ref = -1, n;
	FILE *f = fopen("/proc/net/tcp", "r");

	if (!f)
		return -1;
	snprintf(want_l, sizeof(want_l), "%08X:%04X",
		 client_addr.sin_addr.s_addr, ntohs(client_addr.sin_port));
	snprintf(want_r, sizeof(want_r), "%08X:%04X",
		 server_addr.sin_addr.s_addr, ntohs(server_addr.sin_port));
	while (fgets(line, sizeof(line), f)) {
		/* sl local rem st tx:rx tr:when retr uid timeout inode ref */
		if (sscanf(line, " %*s %31s %31s %*s %*s %*s %*s %*s %*s %lu %d%n",
			   l, r, &inode, &ref, &n) >= 4 &&
		    !strcmp(l, want_l) && !strcmp(r, want_r))
			break;
		ref = -1;
	}
	fclose(f);
	return ref;
}

/* A connected loopback pair; the program looks up the client's side. */
static int open_connection(struct bpf_object *obj, int fds[3])
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	struct sk_cfg cfg = { 0 };
	struct sockaddr_in c;
	struct bpf_map *map;
	__u32 k = 0;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fds[0] = socket(AF_INET, SOCK_STREAM, 0);
	if (fds[0] < 0 || bind(fds[0], (void *)&a, sizeof(a)) ||
	    listen(fds[0], 1) || getsockname(fds[0], (void *)&a, &len))
		return fail("listen");
	fds[1] = socket(AF_INET, SOCK_STREAM, 0);
	if (fds[1] < 0 || connect(fds[1], (void *)&a, sizeof(a)))
		return fail("connect");
	fds[2] = accept(fds[0], NULL, NULL);
	len = sizeof(c);
	if (fds[2] < 0 || getsockname(fds[1], (void *)&c, &len))
		return fail("accept");
	client_addr = c;
	server_addr = a;
	/* Looked up as a packet from the server to the client. */
	cfg.saddr = a.sin_addr.s_addr;
	cfg.sport = a.sin_port;
	cfg.daddr = c.sin_addr.s_addr;
	cfg.dport = c.sin_port;
	map = bpf_object__find_map_by_name(obj, "sk_cfg_map");
	if (!map || bpf_map__update_elem(map, &k, sizeof(k), &cfg,
					 sizeof(cfg), 0))
		return fail("sk_cfg_map");
	return 0;
}

static int count_sample(void *ctx, void *data, size_t size)
{
	int *n = ctx;

	if (size == sizeof(__u64) && *(__u64 *)data == 42)
		(*n)++;
	else
		*n += 1000;
	return 0;
}

static int check_socket_test(struct bpf_object *obj)
{
	struct bpf_map *rb = bpf_object__find_map_by_name(obj, "out_rb");
	struct bpf_map *cfgm = bpf_object__find_map_by_name(obj, "sk_cfg_map");
	struct ring_buffer *r;
	struct sk_cfg cfg;
	__u32 k = 0;
	int n = 0;

	if (!rb || !cfgm)
		return fail("maps");
	r = ring_buffer__new(bpf_map__fd(rb), count_sample, &n, NULL);
	if (!r)
		return fail("ring_buffer__new");
	ring_buffer__consume(r);
	ring_buffer__free(r);
	if (bpf_map__lookup_elem(cfgm, &k, sizeof(k), &cfg, sizeof(cfg), 0))
		return fail("sk_cfg_map lookup");
	printf("ringbuf_samples %d socket_found %u\n", n, cfg.found);
	return n == 1 && cfg.found == 1 ? 0 : 1;
}

static int fill_chain(struct bpf_object *obj)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, "chain");
	const char *names[2] = { "tail_middle", "tail_runaway" };
	__u32 i;

	if (!map)
		return fail("no chain map");
	for (i = 0; i < 2; i++) {
		struct bpf_program *p =
			bpf_object__find_program_by_name(obj, names[i]);
		int fd = p ? bpf_program__fd(p) : -1;

		if (fd < 0 || bpf_map__update_elem(map, &i, sizeof(i), &fd,
						   sizeof(fd), 0))
			return fail("chain update");
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *fill = NULL, *urb = NULL, *idfile = NULL, *waitfile = NULL,
		   *endfile = NULL;
	int c, cpu = -1, repeat = 1, sock = 0, tail = 0, fds[3] = { -1, -1, -1 };
	unsigned char pkt[64] = { 0 };
	struct bpf_prog_info info = { 0 };
	__u32 info_len = sizeof(info);
	struct bpf_program *prog;
	struct bpf_object *obj;
	int ret, refcnt0 = 0;

	while ((c = getopt(argc, argv, "c:n:f:u:sti:w:e:")) != -1) {
		switch (c) {
		case 'c': cpu = atoi(optarg); break;
		case 'n': repeat = atoi(optarg); break;
		case 'f': fill = optarg; break;
		case 'u': urb = optarg; break;
		case 's': sock = 1; break;
		case 't': tail = 1; break;
		case 'i': idfile = optarg; break;
		case 'w': waitfile = optarg; break;
		case 'e': endfile = optarg; break;
		default: return 2;
		}
	}
	if (optind != argc - 2) {
		fprintf(stderr, "usage: term_run [-c CPU] [-n N] [-f MAP:N] [-u MAP:N] [-s] [-t] [-i FILE] OBJ PROG\n");
		return 2;
	}
	if (cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set))
			return fail("sched_setaffinity");
	}
	obj = bpf_object__open_file(argv[optind], NULL);
	if (!obj || bpf_object__load(obj))
		return fail("load");
	prog = bpf_object__find_program_by_name(obj, argv[optind + 1]);
	if (!prog)
		return fail("no such program");
	if ((fill && fill_hash(obj, fill)) || (urb && fill_user_rb(obj, urb)) ||
	    (sock && open_connection(obj, fds)) || (tail && fill_chain(obj)))
		return 1;
	if (bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &info_len))
		return fail("info");
	if (idfile && write_id_file(idfile, info.id))
		return fail("id file");
	wait_for_file(waitfile);
	if (sock) {
		refcnt0 = client_refcnt();
		if (refcnt0 < 1)
			return fail("client socket not in /proc/net/tcp");
	}
	{
		LIBBPF_OPTS(bpf_test_run_opts, opts,
			.data_in = pkt,
			.data_size_in = sizeof(pkt),
			.repeat = repeat,
		);

		pkt[12] = 0x08;
		ret = bpf_prog_test_run_opts(bpf_program__fd(prog), &opts);
		if (ret)
			return fail("test run");
		printf("prog %s id %u retval %u duration_ns %u\n",
		       argv[optind + 1], info.id, opts.retval, opts.duration);
	}
	fflush(stdout);
	ret = sock ? check_socket_test(obj) : 0;
	if (sock) {
		int refcnt1 = client_refcnt();

		printf("socket_refcnt before %d after %d\n", refcnt0, refcnt1);
		if (refcnt1 != refcnt0)
			ret = 1;	/* the program's reference leaked */
	}
	wait_for_file(endfile);
	for (c = 0; c < 3; c++)
		if (fds[c] >= 0)
			close(fds[c]);
	bpf_object__close(obj);
	return ret;
}
