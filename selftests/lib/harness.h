/* SPDX-License-Identifier: GPL-2.0 */
/*
 * For the tests built on kselftest_harness.h (include it first): steps that
 * several tests assert, skip or fail the same way.
 */
#ifndef SELFTESTS_HARNESS_H
#define SELFTESTS_HARNESS_H

#include <stdlib.h>

/*
 * In the lab (LAB_MACHINE set) a missing prerequisite is a failure;
 * elsewhere a skip. SKIP() returns from the function it is written in:
 * use NEED() in the test, its fixture's setup, or a helper it ends with.
 */
#define NEED(cond, fmt, ...) do {					\
	if (!(cond)) {							\
		if (getenv("LAB_MACHINE"))				\
			ASSERT_TRUE(0) TH_LOG(fmt, ##__VA_ARGS__);	\
		SKIP(return, fmt, ##__VA_ARGS__);			\
	}								\
} while (0)

#endif
