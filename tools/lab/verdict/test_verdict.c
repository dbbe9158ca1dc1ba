// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the lab's verdict logic on recorded-style console samples.
 * Prints TAP 13; exit status 0 when every check held.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verdict.h"

static int tests, failures;

static void check(int cond, const char *what, const char *file, int line)
{
	tests++;
	if (cond) {
		printf("ok %d %s\n", tests, what);
		return;
	}
	failures++;
	printf("not ok %d %s\n# %s:%d: check failed\n", tests, what, file, line);
}

#define CHECK(cond, what) check(!!(cond), what, __FILE__, __LINE__)

static struct lab_verdict *judge(const char *dir, const char *sample,
				 int host_status)
{
	char path[1024], line[4096];
	struct lab_verdict *v;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, sample);
	f = fopen(path, "r");
	if (!f) {
		printf("Bail out! cannot open %s\n", path);
		exit(1);
	}
	v = lv_new("m");
	while (fgets(line, sizeof(line), f))
		lv_line(v, line);
	fclose(f);
	lv_finish(v, host_status);
	return v;
}

static int has(struct lab_verdict *v, enum lv_status st, const char *name)
{
	size_t i;

	for (i = 0; i < lv_nresults(v); i++)
		if (lv_result(v, i)->status == st &&
		    !strcmp(lv_result(v, i)->name, name))
			return 1;
	return 0;
}

static int has_prefix(struct lab_verdict *v, enum lv_status st, const char *p)
{
	size_t i;

	for (i = 0; i < lv_nresults(v); i++)
		if (lv_result(v, i)->status == st &&
		    !strncmp(lv_result(v, i)->name, p, strlen(p)))
			return 1;
	return 0;
}

static int counts(struct lab_verdict *v, size_t p, size_t f, size_t s)
{
	if (lv_count(v, LV_PASS) == p && lv_count(v, LV_FAIL) == f &&
	    lv_count(v, LV_SKIP) == s)
		return 1;
	printf("# counts: passed %zu failed %zu skipped %zu, expected %zu %zu %zu\n",
	       lv_count(v, LV_PASS), lv_count(v, LV_FAIL), lv_count(v, LV_SKIP),
	       p, f, s);
	return 0;
}

static void test_tap_parser(void)
{
	struct lv_tap t;

	lv_parse_tap("1..12", &t);
	CHECK(t.kind == TAP_PLAN && t.plan == 12 && !t.skip, "tap: plan");
	lv_parse_tap("1..0 # SKIP no kvm", &t);
	CHECK(t.kind == TAP_PLAN && t.plan == 0 && t.skip, "tap: skipped plan");
	lv_parse_tap("1..3 trailing words", &t);
	CHECK(t.kind == TAP_OTHER, "tap: malformed plan is not a plan");
	lv_parse_tap("ok 7 global.name", &t);
	CHECK(t.kind == TAP_RESULT && t.ok && t.number == 7 && !t.skip &&
	      t.desc_len == 11 && !strncmp(t.desc, "global.name", 11),
	      "tap: ok with number and description");
	lv_parse_tap("not ok 3 - thing # TODO later", &t);
	CHECK(t.kind == TAP_RESULT && !t.ok && t.number == 3 && !t.skip &&
	      t.desc_len == 5, "tap: not ok with dash and TODO");
	lv_parse_tap("ok 4 # skip lowercase directive", &t);
	CHECK(t.kind == TAP_RESULT && t.ok && t.skip && t.desc_len == 0,
	      "tap: skip directive, any case");
	lv_parse_tap("okay then", &t);
	CHECK(t.kind == TAP_OTHER, "tap: 'okay' is not a result");
	lv_parse_tap("# ok 1 in a comment", &t);
	CHECK(t.kind == TAP_OTHER, "tap: comment is not a result");
	lv_parse_tap("ok", &t);
	CHECK(t.kind == TAP_RESULT && t.ok && t.number == -1,
	      "tap: bare ok");
}

static void test_splats(void)
{
	CHECK(lv_is_splat("[   31.200003] Oops: Kernel access of bad area, sig: 11 [#1]"),
	      "splat: oops");
	CHECK(lv_is_splat("[    2.000000] WARNING: CPU: 0 PID: 1 at mm/slub.c:123 foo+0x1/0x2"),
	      "splat: WARN");
	CHECK(lv_is_splat("[    2.000000] BUG: sleeping function called from invalid context at mm/slab.h:1"),
	      "splat: sleeping in atomic");
	CHECK(lv_is_splat("[    2.000000] BUG kmalloc-64 (Not tainted): Poison overwritten"),
	      "splat: SLUB corruption");
	CHECK(lv_is_splat("[    2.000000] kmemleak: 3 new suspected memory leaks (see /sys/kernel/debug/kmemleak)"),
	      "splat: kmemleak notice");
	CHECK(lv_is_splat("ok 1 fo[    3.000000] WARNING: possible recursive locking detected"),
	      "splat: interleaved into a test line");
	CHECK(!lv_is_splat("# WARNING: a test's own words are not a kernel report"),
	      "splat: test output is not a kernel report");
	CHECK(!lv_is_splat("[    0.100000] kvm-hv: nestedv2 get capabilities hcall failed, falling back to nestedv1 (rc=-2)"),
	      "splat: ordinary kernel message");
	CHECK(!lv_is_splat("[1.5] BUG: needs a six-digit fraction"),
	      "splat: only printk timestamps count");
}

static void test_samples(const char *dir)
{
	struct lab_verdict *v;

	v = judge(dir, "pass.log", 0);
	CHECK(counts(v, 4, 0, 1), "pass.log: 4 passed, 1 skipped");
	CHECK(has(v, LV_PASS, "tce_exit: global.ret_reaches_r3") &&
	      has(v, LV_SKIP, "tce_kernel: global.pr_control"),
	      "pass.log: results named program: test");
	lv_free(v);

	v = judge(dir, "fail.log", 0);
	CHECK(counts(v, 2, 2, 0), "fail.log: 2 passed, 2 failed");
	CHECK(has(v, LV_FAIL, "tce_exit: global.ret_reaches_r3"),
	      "fail.log: the not-ok test is the failed one");
	CHECK(has(v, LV_PASS, "tce_exit: global.args"),
	      "fail.log: dash and comment stripped from the name");
	CHECK(has(v, LV_FAIL, "extra: exit status 1"),
	      "fail.log: a non-TAP program is judged by its exit status");
	lv_free(v);

	v = judge(dir, "oops.log", 0);
	CHECK(has_prefix(v, LV_FAIL, "kernel: Oops: Kernel access of bad area") &&
	      has_prefix(v, LV_FAIL, "kernel: Kernel panic"),
	      "oops.log: the oops and the panic are failures");
	CHECK(has(v, LV_FAIL, "tce_exit: test 3 of 4 did not report") &&
	      has(v, LV_FAIL, "tce_exit: test 4 of 4 did not report"),
	      "oops.log: the tests the crash cut off failed");
	CHECK(has(v, LV_FAIL, "tce_kernel: did not run") &&
	      has(v, LV_FAIL, "m: stopped before the end of its plan"),
	      "oops.log: the rest of the plan failed");
	CHECK(lv_count(v, LV_PASS) == 2, "oops.log: the two passes still count");
	lv_free(v);

	v = judge(dir, "lockdep.log", 0);
	CHECK(counts(v, 2, 2, 0), "lockdep.log: 2 passed, 2 failed");
	CHECK(has(v, LV_FAIL, "kernel: WARNING: possible circular locking dependency detected (during tce_vfio)"),
	      "lockdep.log: the splat names the running program");
	CHECK(has_prefix(v, LV_FAIL, "kmemleak: unreferenced object 0xc000000004a1b200"),
	      "lockdep.log: a kmemleak report fails");
	lv_free(v);

	v = judge(dir, "cutoff.log", LV_HOST_TIMEOUT);
	CHECK(counts(v, 4, 7, 0), "cutoff.log: 4 passed, 7 failed");
	CHECK(has(v, LV_FAIL, "tce_kernel: test 5 of 5 did not report") &&
	      has(v, LV_FAIL, "tce_kernel: did not finish") &&
	      has(v, LV_FAIL, "tce_vfio: did not run") &&
	      has(v, LV_FAIL, "m: killed on the host's timeout"),
	      "cutoff.log: incomplete program, missing program, timeout");
	lv_free(v);

	v = judge(dir, "noboot.log", 0);
	CHECK(counts(v, 0, 2, 0), "noboot.log: 2 failed");
	CHECK(has(v, LV_FAIL, "m: did not reach the lab's /init"),
	      "noboot.log: no /init is a failure");
	lv_free(v);

	v = judge(dir, "skipall.log", 0);
	CHECK(counts(v, 0, 0, 2), "skipall.log: 2 skipped");
	lv_free(v);

	v = judge(dir, "pass.log", 3);
	CHECK(has(v, LV_FAIL, "m: qemu exited with status 3"),
	      "pass.log with QEMU status 3: fails");
	lv_free(v);
}

static void test_markers(void)
{
	struct lab_verdict *v = lv_new("m");

	lv_line(v, "@@LAB start 1\r\n");
	lv_line(v, "@@LAB program a");
	lv_line(v, "@@LAB begin a");
	lv_line(v, "1..2");
	lv_line(v, "ok 1 x");
	lv_line(v, "ok 2 y");
	lv_line(v, "ok 3 z");
	lv_line(v, "@@LAB end a rc=0");
	lv_line(v, "@@LAB end b rc=0");
	lv_line(v, "@@LAB done");
	lv_finish(v, 0);
	CHECK(has(v, LV_FAIL, "a: 3 results for a plan of 2"),
	      "markers: more results than planned fails");
	CHECK(has(v, LV_FAIL, "lab: end of b without its begin"),
	      "markers: unmatched end fails");
	lv_free(v);

	v = lv_new("m");
	lv_line(v, "@@LAB start 1");
	lv_line(v, "@@LAB program a");
	lv_line(v, "@@LAB begin a");
	lv_line(v, "1..1");
	lv_line(v, "ok 1 x");
	lv_line(v, "@@LAB end a rc=124");
	lv_line(v, "@@LAB done");
	lv_finish(v, 0);
	CHECK(counts(v, 1, 1, 0) && has(v, LV_FAIL, "a: timed out"),
	      "markers: a program killed by its timeout fails");
	lv_free(v);

	v = lv_new("m");
	lv_line(v, "@@LAB start 1");
	lv_line(v, "@@LAB program a");
	lv_line(v, "@@LAB begin a");
	lv_line(v, "1..1");
	lv_line(v, "ok 1 x");
	lv_line(v, "@@LAB end a rc=139");
	lv_line(v, "@@LAB done");
	lv_finish(v, 0);
	CHECK(has(v, LV_FAIL, "a: exit status 139"),
	      "markers: a crash after its last result fails");
	lv_free(v);

	v = lv_new("m");
	lv_line(v, "@@LAB start 1");
	lv_line(v, "@@LAB program a");
	lv_line(v, "@@LAB begin a");
	lv_line(v, "ok 1 x");
	lv_line(v, "Bail out! cannot open samples");
	lv_line(v, "@@LAB end a rc=1");
	lv_line(v, "@@LAB done");
	lv_finish(v, 0);
	CHECK(counts(v, 1, 1, 0) && has(v, LV_FAIL, "a: Bail out! cannot open samples"),
	      "markers: Bail out! fails the program");
	lv_free(v);

	v = lv_new("m");
	lv_line(v, "@@LAB start 1");
	lv_line(v, "@@LAB program a");
	lv_line(v, "@@LAB begin a");
	lv_line(v, "ok 1 x");
	lv_line(v, "@@LAB end a rc=2");
	lv_line(v, "@@LAB done");
	lv_finish(v, 0);
	CHECK(counts(v, 1, 1, 0) && has(v, LV_FAIL, "a: exit status 2"),
	      "markers: a failing exit with no plan yet fails");
	lv_free(v);

	/* what /init adds to a program's output: comments, not results */
	v = lv_new("m");
	lv_line(v, "@@LAB start 2");
	lv_line(v, "@@LAB program a");
	lv_line(v, "@@LAB program b");
	lv_line(v, "@@LAB begin a");
	lv_line(v, "1..1");
	lv_line(v, "ok 1 x");
	lv_line(v, "# lab: a left 2 processes behind: SIGKILL");
	lv_line(v, "# lab: a took 41 s");
	lv_line(v, "@@LAB end a rc=0");
	lv_line(v, "@@LAB begin b");
	lv_line(v, "# lab: b took 3 s");
	lv_line(v, "@@LAB end b rc=0");
	lv_line(v, "@@LAB done");
	lv_finish(v, 0);
	CHECK(counts(v, 2, 0, 0) && has(v, LV_PASS, "a: x") && has(v, LV_PASS, "b"),
	      "markers: /init's time and cleanup lines are not results");
	lv_free(v);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "tools/lab/verdict/samples";

	printf("TAP version 13\n");
	test_tap_parser();
	test_splats();
	test_samples(dir);
	test_markers();
	printf("1..%d\n", tests);
	return failures ? 1 : 0;
}
