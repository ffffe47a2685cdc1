// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>

#include "json_writer.h"

void jsonw_init(struct json_writer *jw, FILE *out, bool pretty)
{
	jw->out = out;
	jw->pretty = pretty;
	jw->depth = 0;
	jw->first[0] = true;
	jw->after_name = false;
	jw->error = false;
}

static void jsonw_indent(struct json_writer *jw)
{
	int i;

	if (!jw->pretty)
		return;
	fputc('\n', jw->out);
	for (i = 0; i < jw->depth; i++)
		fputs("    ", jw->out);
}

/* Called before every value or member name: separators and layout. */
static void jsonw_before_element(struct json_writer *jw)
{
	if (jw->after_name) {
		jw->after_name = false;
		return;
	}
	if (!jw->first[jw->depth])
		fputc(',', jw->out);
	if (jw->depth > 0)
		jsonw_indent(jw);
	jw->first[jw->depth] = false;
}

static void jsonw_open(struct json_writer *jw, char c)
{
	jsonw_before_element(jw);
	fputc(c, jw->out);
	if (jw->depth + 1 >= JSONW_MAX_DEPTH) {
		jw->error = true;
		return;
	}
	jw->depth++;
	jw->first[jw->depth] = true;
}

static void jsonw_close(struct json_writer *jw, char c)
{
	bool empty;

	if (jw->depth == 0 || jw->after_name) {
		jw->error = true;
		return;
	}
	empty = jw->first[jw->depth];
	jw->depth--;
	if (!empty)
		jsonw_indent(jw);
	fputc(c, jw->out);
}

void jsonw_start_object(struct json_writer *jw)
{
	jsonw_open(jw, '{');
}

void jsonw_end_object(struct json_writer *jw)
{
	jsonw_close(jw, '}');
}

void jsonw_start_array(struct json_writer *jw)
{
	jsonw_open(jw, '[');
}

void jsonw_end_array(struct json_writer *jw)
{
	jsonw_close(jw, ']');
}

/* RFC 8259 section 7: quote, backslash and control characters are escaped. */
static void jsonw_quoted(struct json_writer *jw, const char *s)
{
	const unsigned char *p;

	fputc('"', jw->out);
	for (p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", jw->out);
			break;
		case '\\':
			fputs("\\\\", jw->out);
			break;
		case '\n':
			fputs("\\n", jw->out);
			break;
		case '\r':
			fputs("\\r", jw->out);
			break;
		case '\t':
			fputs("\\t", jw->out);
			break;
		case '\b':
			fputs("\\b", jw->out);
			break;
		case '\f':
			fputs("\\f", jw->out);
			break;
		default:
			if (*p < 0x20)
				fprintf(jw->out, "\\u%04x", *p);
			else
				fputc(*p, jw->out);
		}
	}
	fputc('"', jw->out);
}

void jsonw_name(struct json_writer *jw, const char *name)
{
	if (jw->after_name)
		jw->error = true;
	jsonw_before_element(jw);
	jsonw_quoted(jw, name);
	fputs(jw->pretty ? ": " : ":", jw->out);
	jw->after_name = true;
}

void jsonw_string(struct json_writer *jw, const char *s)
{
	jsonw_before_element(jw);
	jsonw_quoted(jw, s ? s : "");
}

void jsonw_uint(struct json_writer *jw, uint64_t v)
{
	jsonw_before_element(jw);
	fprintf(jw->out, "%" PRIu64, v);
}

void jsonw_int(struct json_writer *jw, int64_t v)
{
	jsonw_before_element(jw);
	fprintf(jw->out, "%" PRId64, v);
}

void jsonw_bool(struct json_writer *jw, bool v)
{
	jsonw_before_element(jw);
	fputs(v ? "true" : "false", jw->out);
}

void jsonw_null(struct json_writer *jw)
{
	jsonw_before_element(jw);
	fputs("null", jw->out);
}

void jsonw_string_field(struct json_writer *jw, const char *name,
			const char *s)
{
	jsonw_name(jw, name);
	jsonw_string(jw, s);
}

void jsonw_uint_field(struct json_writer *jw, const char *name, uint64_t v)
{
	jsonw_name(jw, name);
	jsonw_uint(jw, v);
}

void jsonw_int_field(struct json_writer *jw, const char *name, int64_t v)
{
	jsonw_name(jw, name);
	jsonw_int(jw, v);
}

void jsonw_bool_field(struct json_writer *jw, const char *name, bool v)
{
	jsonw_name(jw, name);
	jsonw_bool(jw, v);
}

int jsonw_finish(struct json_writer *jw)
{
	if (jw->depth != 0 || jw->after_name)
		jw->error = true;
	fputc('\n', jw->out);
	fflush(jw->out);
	return jw->error ? -1 : 0;
}
