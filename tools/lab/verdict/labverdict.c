// SPDX-License-Identifier: GPL-2.0
/*
 * labverdict: judge one lab machine's console log.
 *
 *   labverdict [--host-status N|timeout] [--counts FILE] MACHINE CONSOLE
 *
 * Prints one line per test and a closing "MACHINE: N passed, N failed,
 * N skipped"; writes "passed failed skipped" to FILE with --counts.
 * Exit status: 0 when nothing failed, 1 otherwise, 2 on bad usage.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verdict.h"

static int usage(void)
{
	fprintf(stderr,
		"usage: labverdict [--host-status N|timeout] [--counts FILE] MACHINE CONSOLE\n");
	return 2;
}

int main(int argc, char **argv)
{
	static const char *const tag[] = { "ok  ", "FAIL", "SKIP" };
	const char *counts = NULL;
	struct lab_verdict *v;
	int host_status = 0;
	char line[8192];
	size_t i, np, nf, ns;
	FILE *f;
	int a;

	for (a = 1; a < argc && !strncmp(argv[a], "--", 2); a++) {
		if (!strcmp(argv[a], "--host-status") && a + 1 < argc) {
			char *e;

			a++;
			if (!strcmp(argv[a], "timeout")) {
				host_status = LV_HOST_TIMEOUT;
				continue;
			}
			host_status = (int)strtol(argv[a], &e, 10);
			if (*e || host_status < 0)
				return usage();
		} else if (!strcmp(argv[a], "--counts") && a + 1 < argc) {
			counts = argv[++a];
		} else {
			return usage();
		}
	}
	if (argc - a != 2)
		return usage();

	f = fopen(argv[a + 1], "r");
	if (!f) {
		fprintf(stderr, "labverdict: %s: %s\n", argv[a + 1], strerror(errno));
		return 2;
	}
	v = lv_new(argv[a]);
	while (fgets(line, sizeof(line), f)) {
		size_t n = strlen(line);

		lv_line(v, line);
		/* swallow the rest of an over-long line */
		while (n == sizeof(line) - 1 && line[n - 1] != '\n' &&
		       fgets(line, sizeof(line), f))
			n = strlen(line);
	}
	fclose(f);
	lv_finish(v, host_status);

	for (i = 0; i < lv_nresults(v); i++) {
		const struct lv_result *r = lv_result(v, i);

		printf("%s: %s %s\n", argv[a], tag[r->status], r->name);
	}
	np = lv_count(v, LV_PASS);
	nf = lv_count(v, LV_FAIL);
	ns = lv_count(v, LV_SKIP);
	printf("%s: %zu passed, %zu failed, %zu skipped\n", argv[a], np, nf, ns);
	if (counts) {
		f = fopen(counts, "w");
		if (!f || fprintf(f, "%zu %zu %zu\n", np, nf, ns) < 0 || fclose(f)) {
			fprintf(stderr, "labverdict: cannot write %s\n", counts);
			lv_free(v);
			return 2;
		}
	}
	lv_free(v);
	return nf ? 1 : 0;
}
