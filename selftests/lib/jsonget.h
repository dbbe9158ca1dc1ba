/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Look up one value of a JSON document by a '/'-separated path of object
 * keys ("machines/powernv8/paths/user/put/calls"). Enough for the tests to
 * read minivmm's results; not a general JSON library.
 */
#ifndef SELFTESTS_JSONGET_H
#define SELFTESTS_JSONGET_H

#include <stddef.h>
#include <stdint.h>

/*
 * Copies the value's text (a number, true/false/null, a string without its
 * quotes, or "{" / "[" for a container) into out. 0, or -1 when the path
 * does not exist or the document is malformed.
 */
int json_get(const char *doc, const char *path, char *out, size_t len);
/* The value as an unsigned integer; -1 when absent or not a number. */
int json_get_u64(const char *doc, const char *path, uint64_t *v);
/* Reads a whole file into a NUL-terminated buffer (free() it). */
char *read_text(const char *file);

#endif
