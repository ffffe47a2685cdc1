// SPDX-License-Identifier: GPL-2.0
/* bpfrt version: the CLI's version and, when loaded, the module's. */
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "libbpfrt.h"
#include "bpfrt_version.h"

struct feature_name {
	__u64 bit;
	const char *name;
};

static const struct feature_name feature_names[] = {
	{ BPFRT_FEAT_VERSION, "version" },
	{ BPFRT_FEAT_CAPTURE, "capture" },
	{ BPFRT_FEAT_EVENTS, "events" },
	{ BPFRT_FEAT_COSTS, "costs" },
	{ BPFRT_FEAT_COSTS_SET, "costs_set" },
	{ BPFRT_FEAT_WATCHDOG, "watchdog" },
};

#define N_FEATURES (sizeof(feature_names) / sizeof(feature_names[0]))

static void print_features_text(struct cli_ctx *ctx, __u64 features)
{
	const char *sep = "";
	size_t i;

	fputs("features:", ctx->out);
	for (i = 0; i < N_FEATURES; i++) {
		if (features & feature_names[i].bit) {
			fprintf(ctx->out, "%s %s", sep, feature_names[i].name);
			sep = ",";
		}
		features &= ~feature_names[i].bit;
	}
	/* Bits this CLI does not know come from a newer module. */
	if (features)
		fprintf(ctx->out, "%s unknown(0x%llx)", sep,
			(unsigned long long)features);
	fputc('\n', ctx->out);
}

static void print_features_json(struct cli_ctx *ctx, __u64 features)
{
	size_t i;

	jsonw_name(&ctx->jw, "features");
	jsonw_start_array(&ctx->jw);
	for (i = 0; i < N_FEATURES; i++)
		if (features & feature_names[i].bit)
			jsonw_string(&ctx->jw, feature_names[i].name);
	jsonw_end_array(&ctx->jw);
	jsonw_uint_field(&ctx->jw, "feature_bits", features);
}

/*
 * Prints the version report. @v is NULL when the module could not be asked;
 * @why then says why.
 */
int cli_print_version(struct cli_ctx *ctx, const struct bpfrt_version *v,
		      const char *why)
{
	if (ctx->json) {
		jsonw_init(&ctx->jw, ctx->out, ctx->pretty);
		jsonw_start_object(&ctx->jw);
		jsonw_string_field(&ctx->jw, "version", BPFRT_VERSION);
		jsonw_uint_field(&ctx->jw, "abi_version", BPFRT_ABI_VERSION);
		jsonw_name(&ctx->jw, "module");
		if (v) {
			jsonw_start_object(&ctx->jw);
			jsonw_string_field(&ctx->jw, "version",
					   v->module_version);
			jsonw_uint_field(&ctx->jw, "abi_version",
					 v->abi_version);
			jsonw_string_field(&ctx->jw, "kernel_release",
					   v->kernel_release);
			print_features_json(ctx, v->features);
			jsonw_end_object(&ctx->jw);
		} else {
			jsonw_null(&ctx->jw);
			jsonw_string_field(&ctx->jw, "error", why);
		}
		jsonw_end_object(&ctx->jw);
		if (jsonw_finish(&ctx->jw))
			return 1;
		return v ? 0 : 1;
	}

	fprintf(ctx->out, "bpfrt v%s (ABI %d)\n", BPFRT_VERSION,
		BPFRT_ABI_VERSION);
	if (!v) {
		fprintf(ctx->err, "Error: %s\n", why);
		return 1;
	}
	fprintf(ctx->out, "module: v%s (ABI %u) on kernel %s\n",
		v->module_version, v->abi_version, v->kernel_release);
	print_features_text(ctx, v->features);
	if (v->abi_version != BPFRT_ABI_VERSION)
		fprintf(ctx->err,
			"Warning: module ABI %u differs from this CLI's ABI %d\n",
			v->abi_version, BPFRT_ABI_VERSION);
	return 0;
}

int do_version(struct cli_ctx *ctx, int argc, char **argv)
{
	struct bpfrt_version v;
	char why[256];
	int fd, ret;

	(void)argv;
	if (argc > 0)
		return cli_err(ctx, "'version' takes no arguments");

	fd = bpfrt_open();
	if (fd < 0) {
		snprintf(why, sizeof(why), "%s", bpfrt_open_hint(fd));
		return cli_print_version(ctx, NULL, why);
	}
	ret = bpfrt_get_version(fd, &v);
	close(fd);
	if (ret) {
		snprintf(why, sizeof(why),
			 "version query on %s failed: %s", BPFRT_DEVICE_PATH,
			 strerror(-ret));
		return cli_print_version(ctx, NULL, why);
	}
	return cli_print_version(ctx, &v, NULL);
}
