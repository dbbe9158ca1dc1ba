/* SPDX-License-Identifier: GPL-2.0 */
/* A small streaming JSON writer: objects, arrays, strings, integers, null. */
#ifndef MINIVMM_JSON_H
#define MINIVMM_JSON_H

#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 16

struct json {
	FILE *f;
	int depth;
	int count[JSON_MAX_DEPTH];	/* members written at each level */
	int error;			/* misuse or I/O error: set, sticky */
};

void json_init(struct json *j, FILE *f);
void json_begin_object(struct json *j, const char *key);
void json_end_object(struct json *j);
void json_begin_array(struct json *j, const char *key);
void json_end_array(struct json *j);
/* key is NULL inside arrays and for the top-level value */
void json_string(struct json *j, const char *key, const char *val);
void json_int(struct json *j, const char *key, int64_t val);
void json_uint(struct json *j, const char *key, uint64_t val);
/* a nanosecond count written as microseconds with three decimals */
void json_us(struct json *j, const char *key, uint64_t ns);
void json_null(struct json *j, const char *key);
/* 0 when the document is complete and nothing went wrong */
int json_finish(struct json *j);

#endif
