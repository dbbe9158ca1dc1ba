/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The lab's verdict on one machine's console: which tests passed, failed
 * or were skipped, and whether the kernel complained or the run stopped short.
 *
 * The console is fed one line at a time. The lab's /init frames each test
 * program with marker lines (see tools/lab/init.sh):
 *
 *   @@LAB start N               N programs follow
 *   @@LAB program NAME          announced once per program, before any runs
 *   @@LAB begin NAME            NAME's own output (TAP 13) follows
 *   @@LAB end NAME rc=RC        NAME exited with RC (124: timed out)
 *   @@LAB section NAME / @@LAB section-end   kernel/tool output not parsed
 *                                            for TAP (still checked for splats)
 *   @@LAB done                  every program ran
 */
#ifndef LAB_VERDICT_H
#define LAB_VERDICT_H

#include <stddef.h>

enum lv_status { LV_PASS, LV_FAIL, LV_SKIP };

struct lv_result {
	enum lv_status status;
	char *name;		/* "program: test" or "machine: what went wrong" */
};

struct lab_verdict;

struct lab_verdict *lv_new(const char *machine);
void lv_free(struct lab_verdict *v);

/* Feed one console line; a trailing '\n' or "\r\n" is ignored. */
void lv_line(struct lab_verdict *v, const char *line);

/*
 * No more console. host_status: 0 when QEMU exited by itself, LV_HOST_TIMEOUT
 * when the host killed it on its timeout, any other value is QEMU's exit code.
 */
#define LV_HOST_TIMEOUT (-1)
void lv_finish(struct lab_verdict *v, int host_status);

size_t lv_count(const struct lab_verdict *v, enum lv_status s);
size_t lv_nresults(const struct lab_verdict *v);
const struct lv_result *lv_result(const struct lab_verdict *v, size_t i);

/* Exposed for the unit tests. */
int lv_is_splat(const char *line);

enum lv_tap_kind { TAP_OTHER, TAP_PLAN, TAP_RESULT };
struct lv_tap {
	enum lv_tap_kind kind;
	long plan;		/* TAP_PLAN: N of 1..N */
	int ok;			/* TAP_RESULT */
	int skip;		/* TAP_RESULT or TAP_PLAN: "# SKIP" directive */
	long number;		/* TAP_RESULT: -1 when absent */
	const char *desc;	/* TAP_RESULT: start of description in line */
	size_t desc_len;
};
void lv_parse_tap(const char *line, struct lv_tap *t);

#endif
