// SPDX-License-Identifier: GPL-2.0
/*
 * bpfrt events [-n|--count COUNT]: the module's event stream as it comes,
 * one line per event (a JSON object per line with -j), until interrupted
 * or COUNT events were printed.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "format.h"
#include "libbpfrt.h"
#include "names.h"
#include "prog.h"

void event_print(struct cli_ctx *ctx, const struct bpfrt_event *ev)
{
	const char *type = event_type_name(ev->type);
	/* the policy's events: the limit the program was judged against */
	bool has_limit = ev->type == BPFRT_EV_PROG_REJECTED ||
			 ev->type == BPFRT_EV_PROG_OVER_LIMIT;
	/* the watchdog's events: limit, CPU, how long, sites */
	bool wd = ev->type == BPFRT_EV_RUNTIME_EXCEEDED ||
		  ev->type == BPFRT_EV_TERMINATING ||
		  ev->type == BPFRT_EV_TERMINATED ||
		  ev->type == BPFRT_EV_NOT_TERMINABLE;
	bool has_prog = ev->type == BPFRT_EV_PROG_ESTIMATED ||
			ev->type == BPFRT_EV_PROG_FREED || has_limit || wd;
	char limit[FMT_DURATION_LEN], lat[FMT_DURATION_LEN];

	if (ctx->json) {
		struct json_writer *jw = &ctx->jw;

		jsonw_init(jw, ctx->out, ctx->pretty);
		jsonw_start_object(jw);
		jsonw_uint_field(jw, "seq", ev->seq);
		jsonw_uint_field(jw, "time_ns", ev->time_ns);
		jsonw_name(jw, "type");
		if (type)
			jsonw_string(jw, type);
		else
			jsonw_uint(jw, ev->type);
		if (has_prog) {
			jsonw_name(jw, "prog");
			jsonw_start_object(jw);
			prog_summary_json(jw, &ev->prog);
			jsonw_end_object(jw);
			if (has_limit || wd)
				jsonw_uint_field(jw, "limit_ns", ev->limit_ns);
			if (wd) {
				jsonw_uint_field(jw, "cpu", ev->cpu);
				jsonw_uint_field(jw, "latency_ns",
						 ev->latency_ns);
				jsonw_uint_field(jw, "sites", ev->sites);
			}
		} else if (ev->type == BPFRT_EV_LOST) {
			jsonw_uint_field(jw, "lost", ev->lost);
		}
		jsonw_end_object(jw);
		jsonw_finish(jw);	/* one line, flushed */
		return;
	}

	/* dmesg's timestamp: seconds of CLOCK_MONOTONIC, microseconds */
	fprintf(ctx->out, "[%5llu.%06llu] ",
		(unsigned long long)(ev->time_ns / 1000000000),
		(unsigned long long)(ev->time_ns % 1000000000 / 1000));
	if (type)
		fprintf(ctx->out, "%s  ", type);
	else
		fprintf(ctx->out, "event type %u", ev->type);
	if (has_prog)
		prog_summary_line(ctx->out, &ev->prog);
	if (has_limit || wd)
		fprintf(ctx->out, "  limit %s",
			fmt_duration_ns(limit, sizeof(limit), ev->limit_ns));
	if (wd)
		fprintf(ctx->out, "  cpu %u  after %s", ev->cpu,
			fmt_duration_ns(lat, sizeof(lat), ev->latency_ns));
	if (ev->type == BPFRT_EV_TERMINATED)
		fprintf(ctx->out, "  sites %u", ev->sites);
	else if (ev->type == BPFRT_EV_LOST)
		fprintf(ctx->out, "%llu event%s", (unsigned long long)ev->lost,
			ev->lost == 1 ? "" : "s");
	fputc('\n', ctx->out);
	fflush(ctx->out);
}

static volatile sig_atomic_t stop_requested;

static void on_stop_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static bool stop_pending(void)
{
	sigset_t pending;

	if (stop_requested)
		return true;
	if (sigpending(&pending))
		return false;
	return sigismember(&pending, SIGINT) || sigismember(&pending, SIGTERM);
}

/* Reads and prints events until a signal, @count (0: no limit) or error. */
static int stream(struct cli_ctx *ctx, int fd, unsigned long count)
{
	struct sigaction sa, old_int, old_term;
	struct bpfrt_event_buf *buf;
	sigset_t stop_set, old_mask, wait_mask;
	unsigned long seen = 0;
	struct bpfrt_event ev;
	int ret = 0, err;

	buf = malloc(sizeof(*buf));
	if (!buf)
		return cli_err(ctx, "out of memory");
	bpfrt_event_buf_init(buf);

	/*
	 * SIGINT and SIGTERM end the stream cleanly. They stay blocked except
	 * inside ppoll(), so one arriving between a check and the wait is not
	 * lost (it would otherwise leave us waiting for the next event).
	 */
	stop_requested = 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	sigemptyset(&stop_set);
	sigaddset(&stop_set, SIGINT);
	sigaddset(&stop_set, SIGTERM);
	sigprocmask(SIG_BLOCK, &stop_set, &old_mask);
	wait_mask = old_mask;
	sigdelset(&wait_mask, SIGINT);
	sigdelset(&wait_mask, SIGTERM);

	while (!stop_pending() && (!count || seen < count)) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };

		err = bpfrt_event_read(fd, buf, &ev);
		if (!err) {
			event_print(ctx, &ev);
			seen++;
			continue;
		}
		if (err == -EINTR)
			continue;
		if (err != -EAGAIN) {
			ret = err == -EPROTO ?
			      cli_err(ctx, "malformed record in the event stream of %s",
				      BPFRT_DEVICE_PATH) :
			      err == -ENODATA ?
			      cli_err(ctx, "the event stream of %s ended",
				      BPFRT_DEVICE_PATH) :
			      cli_err(ctx, "reading events from %s failed: %s",
				      BPFRT_DEVICE_PATH, strerror(-err));
			break;
		}
		if (ppoll(&pfd, 1, NULL, &wait_mask) < 0) {
			if (errno == EINTR)
				continue;
			ret = cli_err(ctx, "waiting for events failed: %s",
				      strerror(errno));
			break;
		}
		if ((pfd.revents & (POLLERR | POLLNVAL)) ||
		    (pfd.revents & (POLLHUP | POLLIN)) == POLLHUP) {
			ret = cli_err(ctx, "the event stream of %s was closed",
				      BPFRT_DEVICE_PATH);
			break;
		}
	}

	/* unblock first: a pending signal must reach our handler, not kill */
	sigprocmask(SIG_SETMASK, &old_mask, NULL);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	free(buf);
	return ret;
}

static int events_help(struct cli_ctx *ctx)
{
	if (ctx->json) {
		jsonw_init(&ctx->jw, ctx->out, ctx->pretty);
		jsonw_null(&ctx->jw);
		return jsonw_finish(&ctx->jw) ? 1 : 0;
	}
	fprintf(ctx->out,
		"Usage: bpfrt events [ { -n | --count } COUNT ]\n"
		"       bpfrt events help\n"
		"\n"
		"Prints the module's events (prog_estimated, prog_freed, lost,\n"
		"prog_rejected, prog_over_limit, ...) as they happen, one line\n"
		"each (with -j, one JSON object per line),\n"
		"until interrupted or COUNT events were printed. See bpfrt(8).\n");
	return 0;
}

static int parse_count(struct cli_ctx *ctx, const char *s, unsigned long *count)
{
	char *end;

	errno = 0;
	*count = strtoul(s, &end, 10);
	if (s[0] < '0' || s[0] > '9' || *end || errno || !*count)
		return cli_err(ctx, "invalid count '%s' (expected a number of at least 1)",
			       s);
	return 0;
}

int do_events(struct cli_ctx *ctx, int argc, char **argv)
{
	unsigned long count = 0;
	struct bpfrt_version v;
	int i, fd, ret, flags;

	for (i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "help") || !strcmp(a, "-h") ||
		    !strcmp(a, "--help"))
			return events_help(ctx);
		if (!strcmp(a, "-n") || !strcmp(a, "--count")) {
			if (++i == argc)
				return cli_err(ctx, "expected a number after '%s'",
					       a);
			if (parse_count(ctx, argv[i], &count))
				return 1;
		} else if (!strncmp(a, "--count=", 8)) {
			if (parse_count(ctx, a + 8, &count))
				return 1;
		} else {
			return cli_err(ctx, "unexpected argument '%s'", a);
		}
	}

	fd = bpfrt_open();
	if (fd < 0)
		return cli_err(ctx, "%s", bpfrt_open_hint(fd));
	/* an older module would fail read() with a less helpful error */
	ret = bpfrt_get_version(fd, &v);
	if (ret) {
		ret = cli_err(ctx, "version query on %s failed: %s",
			      BPFRT_DEVICE_PATH, strerror(-ret));
	} else if (!(v.features & BPFRT_FEAT_EVENTS)) {
		ret = cli_err(ctx, "the loaded bpfrt module (v%s) has no event stream; load a newer bpfrt module",
			      v.module_version);
	} else {
		flags = fcntl(fd, F_GETFL);
		if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0)
			ret = cli_err(ctx, "cannot make %s non-blocking: %s",
				      BPFRT_DEVICE_PATH, strerror(errno));
		else
			ret = stream(ctx, fd, count);
	}
	close(fd);
	return ret;
}
