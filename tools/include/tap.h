/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The native unit tests' TAP output: CHECK(cond, what) prints "ok N what"
 * or "not ok N what" and the file and line that failed; tap_done() prints
 * the plan and is main()'s exit status. A test program includes this once.
 */
#ifndef TOOLS_TAP_H
#define TOOLS_TAP_H

#include <stdio.h>

static int tap_tests, tap_failures;
/* appended to every check's description, e.g. " (PAGE_SHIFT 16)" */
static char tap_suffix[32];

static void tap_check(int ok, const char *what, const char *file, int line)
{
	tap_tests++;
	printf("%sok %d %s%s\n", ok ? "" : "not ", tap_tests, what, tap_suffix);
	if (!ok) {
		tap_failures++;
		printf("# %s:%d: check failed\n", file, line);
	}
}

#define CHECK(c, w) tap_check(!!(c), (w), __FILE__, __LINE__)

static int tap_done(void)
{
	printf("1..%d\n", tap_tests);
	if (tap_failures)
		printf("# %d of %d failed\n", tap_failures, tap_tests);
	return tap_failures ? 1 : 0;
}

#endif
