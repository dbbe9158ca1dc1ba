// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonget.h"

static const char *ws(const char *p)
{
	while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
		p++;
	return p;
}

/* p at the opening quote; returns past the closing one */
static const char *skip_string(const char *p)
{
	for (p++; *p && *p != '"'; p++)
		if (*p == '\\' && p[1])
			p++;
	return *p ? p + 1 : NULL;
}

static const char *skip_value(const char *p)
{
	int depth = 0;

	p = ws(p);
	if (*p == '"')
		return skip_string(p);
	if (*p != '{' && *p != '[') {
		while (*p && !strchr(",}] \n\t\r", *p))
			p++;
		return p;
	}
	do {
		if (*p == '"') {
			p = skip_string(p);
			if (!p)
				return NULL;
			continue;
		}
		if (*p == '{' || *p == '[')
			depth++;
		else if (*p == '}' || *p == ']')
			depth--;
		else if (!*p)
			return NULL;
		p++;
	} while (depth);
	return p;
}

/* p at '{': the value of member key, or NULL */
static const char *member(const char *p, const char *key, size_t klen)
{
	p = ws(p + 1);
	while (*p == '"') {
		const char *k = p + 1, *end = skip_string(p);

		if (!end)
			return NULL;
		p = ws(end);
		if (*p != ':')
			return NULL;
		p = ws(p + 1);
		if ((size_t)(end - 1 - k) == klen && !strncmp(k, key, klen))
			return p;
		p = skip_value(p);
		if (!p)
			return NULL;
		p = ws(p);
		if (*p == ',')
			p = ws(p + 1);
	}
	return NULL;
}

int json_get(const char *doc, const char *path, char *out, size_t len)
{
	const char *p = ws(doc), *end;
	size_t n;

	while (*path) {
		const char *slash = strchr(path, '/');
		size_t klen = slash ? (size_t)(slash - path) : strlen(path);

		if (*p != '{')
			return -1;
		p = member(p, path, klen);
		if (!p)
			return -1;
		path += klen + (slash ? 1 : 0);
	}
	if (*p == '{' || *p == '[') {
		snprintf(out, len, "%c", *p);
		return 0;
	}
	if (*p == '"') {
		end = skip_string(p);
		if (!end)
			return -1;
		p++;
		end--;
	} else {
		end = skip_value(p);
	}
	n = (size_t)(end - p);
	if (n >= len)
		n = len - 1;
	memcpy(out, p, n);
	out[n] = '\0';
	return 0;
}

int json_get_u64(const char *doc, const char *path, uint64_t *v)
{
	char buf[64], *e;

	if (json_get(doc, path, buf, sizeof(buf)) || !buf[0] || buf[0] == '-')
		return -1;
	*v = strtoull(buf, &e, 10);
	return *e ? -1 : 0;
}

char *read_text(const char *file)
{
	size_t len = 0, cap = 4096, n;
	FILE *f = fopen(file, "r");
	char *buf, *nb;

	/* read to the end: /proc files report no size */
	if (!f)
		return NULL;
	buf = malloc(cap);
	while (buf && (n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (cap - len - 1 == 0) {
			nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
	}
	if (buf)
		buf[len] = '\0';
	fclose(f);
	return buf;
}
