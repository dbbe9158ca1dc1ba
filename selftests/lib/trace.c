// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "trace.h"

static const char *tracefs(void)
{
	if (!access("/sys/kernel/tracing/trace", F_OK))
		return "/sys/kernel/tracing";
	return "/sys/kernel/debug/tracing";
}

static int put(const char *file, const char *val, int flags)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", tracefs(), file);
	fd = open(path, O_WRONLY | flags);
	if (fd < 0)
		return -1;
	n = write(fd, val, strlen(val));
	close(fd);
	return n == (ssize_t)strlen(val) ? 0 : -1;
}

static int enable(const char *events, const char *on)
{
	char file[PATH_MAX];

	snprintf(file, sizeof(file), "events/%s/enable", events);
	return put(file, on, 0);
}

int trace_available(const char *events)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/events/%s/enable", tracefs(), events);
	return !access(path, W_OK);
}

int trace_begin(const char *events)
{
	if (put("tracing_on", "0", 0) || put("trace", "", O_TRUNC) ||
	    enable(events, "1") || put("tracing_on", "1", 0))
		return -1;
	return 0;
}

/* "  task-pid [cpu] flags  12.345678: name: fields" -> "name: fields" */
static const char *event_part(const char *line)
{
	const char *p = strstr(line, "] ");

	if (!p)
		return NULL;
	p = strstr(p + 2, ": ");
	return p ? p + 2 : NULL;
}

char *trace_end(const char *events)
{
	char path[PATH_MAX], *line = NULL, *out;
	size_t cap = 0, len = 0, size = 1;
	FILE *f;

	if (put("tracing_on", "0", 0) || enable(events, "0"))
		return NULL;
	snprintf(path, sizeof(path), "%s/trace", tracefs());
	f = fopen(path, "r");
	if (!f)
		return NULL;
	out = calloc(1, size);
	while (out && getline(&line, &cap, f) > 0) {
		const char *ev = line[0] == '#' ? NULL : event_part(line);
		size_t n;
		char *grown;

		if (!ev)
			continue;
		n = strlen(ev);
		grown = realloc(out, size + n + 1);
		if (!grown) {
			free(out);
			out = NULL;
			break;
		}
		out = grown;
		memcpy(out + len, ev, n);
		len += n;
		if (n && out[len - 1] != '\n')
			out[len++] = '\n';
		out[len] = '\0';
		size += n + 1;
	}
	free(line);
	fclose(f);
	if (!out)
		errno = ENOMEM;
	return out;
}
