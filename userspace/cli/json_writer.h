/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small streaming JSON writer: values are written as they come, commas and
 * (in pretty mode) indentation are handled here. Nesting depth is bounded.
 */
#ifndef _BPFRT_JSON_WRITER_H
#define _BPFRT_JSON_WRITER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSONW_MAX_DEPTH 32

struct json_writer {
	FILE *out;
	bool pretty;
	int depth;
	bool first[JSONW_MAX_DEPTH];	/* no element written yet at depth */
	bool after_name;		/* a member name awaits its value */
	bool error;			/* misuse detected; output is invalid */
};

void jsonw_init(struct json_writer *jw, FILE *out, bool pretty);
/* Ends the document with a newline; returns -1 if the writer was misused. */
int jsonw_finish(struct json_writer *jw);

void jsonw_start_object(struct json_writer *jw);
void jsonw_end_object(struct json_writer *jw);
void jsonw_start_array(struct json_writer *jw);
void jsonw_end_array(struct json_writer *jw);
void jsonw_name(struct json_writer *jw, const char *name);

void jsonw_string(struct json_writer *jw, const char *s);
void jsonw_uint(struct json_writer *jw, uint64_t v);
void jsonw_int(struct json_writer *jw, int64_t v);
void jsonw_bool(struct json_writer *jw, bool v);
void jsonw_null(struct json_writer *jw);

/* name + value in one call, the common case in objects */
void jsonw_string_field(struct json_writer *jw, const char *name,
			const char *s);
void jsonw_uint_field(struct json_writer *jw, const char *name, uint64_t v);
void jsonw_int_field(struct json_writer *jw, const char *name, int64_t v);
void jsonw_bool_field(struct json_writer *jw, const char *name, bool v);

#endif /* _BPFRT_JSON_WRITER_H */
