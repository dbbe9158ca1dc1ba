// SPDX-License-Identifier: GPL-2.0
/*
 * Console verdict for one lab machine. See verdict.h for the framing.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verdict.h"

#define MAX_SPLATS 20

struct program {
	char *name;
	int started;
	int ended;
};

struct lab_verdict {
	char *machine;
	struct lv_result *res;
	size_t nres, cap;

	struct program *progs;
	size_t nprogs;
	long announced;		/* N of "@@LAB start N", -1 before it */
	int done;
	int finished;
	int in_section;
	int in_kmemleak;
	size_t splats;

	/* the program whose output is being read */
	struct program *cur;
	long plan;		/* -1: no plan line yet */
	int plan_skip;
	long reported;		/* result lines seen */
	long failed;		/* "not ok" lines seen */
};

static void *xalloc(size_t n)
{
	void *p = calloc(1, n ? n : 1);

	if (!p) {
		fprintf(stderr, "labverdict: out of memory\n");
		exit(2);
	}
	return p;
}

static char *xstrndup(const char *s, size_t n)
{
	char *p = xalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static void add(struct lab_verdict *v, enum lv_status st, const char *fmt, ...)
{
	va_list ap;
	int len;

	if (v->nres == v->cap) {
		size_t ncap = v->cap ? v->cap * 2 : 16;
		struct lv_result *n = realloc(v->res, ncap * sizeof(*n));

		if (!n) {
			fprintf(stderr, "labverdict: out of memory\n");
			exit(2);
		}
		v->res = n;
		v->cap = ncap;
	}
	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	v->res[v->nres].name = xalloc((size_t)len + 1);
	va_start(ap, fmt);
	vsnprintf(v->res[v->nres].name, (size_t)len + 1, fmt, ap);
	va_end(ap);
	v->res[v->nres].status = st;
	v->nres++;
}

struct lab_verdict *lv_new(const char *machine)
{
	struct lab_verdict *v = xalloc(sizeof(*v));

	v->machine = xstrndup(machine, strlen(machine));
	v->announced = -1;
	return v;
}

void lv_free(struct lab_verdict *v)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; i < v->nres; i++)
		free(v->res[i].name);
	for (i = 0; i < v->nprogs; i++)
		free(v->progs[i].name);
	free(v->res);
	free(v->progs);
	free(v->machine);
	free(v);
}

static struct program *find_prog(struct lab_verdict *v, const char *name,
				 size_t len, int create)
{
	struct program *n;
	size_t i;

	for (i = 0; i < v->nprogs; i++)
		if (strlen(v->progs[i].name) == len &&
		    !memcmp(v->progs[i].name, name, len))
			return &v->progs[i];
	if (!create)
		return NULL;
	n = realloc(v->progs, (v->nprogs + 1) * sizeof(*n));
	if (!n) {
		fprintf(stderr, "labverdict: out of memory\n");
		exit(2);
	}
	v->progs = n;
	n = &v->progs[v->nprogs++];
	memset(n, 0, sizeof(*n));
	n->name = xstrndup(name, len);
	return n;
}

/* Kernel messages carry a "[    1.234567] " stamp (CONFIG_PRINTK_TIME). */
static const char *kernel_msg(const char *line)
{
	const char *p = line;

	while ((p = strchr(p, '[')) != NULL) {
		const char *q = p + 1;
		int digits = 0, frac = 0;

		while (*q == ' ')
			q++;
		while (isdigit((unsigned char)*q)) {
			q++;
			digits++;
		}
		if (digits && *q == '.') {
			q++;
			while (isdigit((unsigned char)*q)) {
				q++;
				frac++;
			}
			if (frac == 6 && *q == ']')
				return q[1] == ' ' ? q + 2 : q + 1;
		}
		p++;
	}
	return NULL;
}

static const char *const splat_words[] = {
	"BUG:", "WARNING:", "Oops", "Kernel panic", "kernel BUG at",
	"Unable to handle kernel", "INFO: possible", "INFO: task",
	"INFO: rcu", "detected stall", "UBSAN:", "new suspected memory leak",
	"unreferenced object", "general protection fault",
	"Kernel stack overflow", "stack-protector", "list_add corruption",
	"list_del corruption", "Machine check", "hard LOCKUP", "soft lockup",
	"Bad page", "ODEBUG:", "refcount_t:", "Trying to vfree",
	"Unable to recover from", "Kernel attempted to",
};

int lv_is_splat(const char *line)
{
	const char *m = kernel_msg(line);
	size_t i;

	if (!m)
		return 0;
	/* SLUB reports start "BUG kmalloc-64 (Not tainted): ..." */
	if (!strncmp(m, "BUG ", 4))
		return 1;
	for (i = 0; i < sizeof(splat_words) / sizeof(splat_words[0]); i++)
		if (strstr(m, splat_words[i]))
			return 1;
	return 0;
}

static int word_ci(const char *p, const char *w)
{
	size_t n = strlen(w);
	size_t i;

	for (i = 0; i < n; i++)
		if (toupper((unsigned char)p[i]) != w[i])
			return 0;
	return 1;
}

/* p points at a TAP directive's '#': is it "# SKIP..."? */
static int directive_skip(const char *p)
{
	p++;
	while (*p == ' ' || *p == '\t')
		p++;
	return word_ci(p, "SKIP");
}

void lv_parse_tap(const char *line, struct lv_tap *t)
{
	const char *p = line, *hash, *end;
	char *e;

	memset(t, 0, sizeof(*t));
	t->kind = TAP_OTHER;
	t->number = -1;

	if (!strncmp(p, "1..", 3) && isdigit((unsigned char)p[3])) {
		t->plan = strtol(p + 3, &e, 10);
		while (*e == ' ')
			e++;
		if (*e && *e != '#')
			return;
		t->kind = TAP_PLAN;
		t->skip = *e == '#' && directive_skip(e);
		return;
	}
	if (!strncmp(p, "not ok", 6)) {
		t->ok = 0;
		p += 6;
	} else if (!strncmp(p, "ok", 2)) {
		t->ok = 1;
		p += 2;
	} else {
		return;
	}
	if (*p && *p != ' ' && *p != '\t')
		return;		/* "okay", "not okay" */
	t->kind = TAP_RESULT;
	while (*p == ' ')
		p++;
	if (isdigit((unsigned char)*p)) {
		t->number = strtol(p, &e, 10);
		p = e;
	}
	while (*p == ' ')
		p++;
	if (*p == '-' && p[1] == ' ')
		p += 2;
	hash = strchr(p, '#');
	end = hash ? hash : p + strlen(p);
	while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	t->desc = p;
	t->desc_len = (size_t)(end - p);
	t->skip = hash && directive_skip(hash);
}

static void close_program(struct lab_verdict *v, int have_rc, int rc)
{
	struct program *pg = v->cur;
	long k;

	if (!pg)
		return;
	pg->ended = 1;
	v->cur = NULL;

	if (v->plan_skip && v->reported == 0) {
		add(v, LV_SKIP, "%s", pg->name);
		if (have_rc && rc != 0 && rc != 4)
			add(v, LV_FAIL, "%s: exit status %d after skipping", pg->name, rc);
		return;
	}
	if (v->plan < 0 && v->reported == 0) {
		/* not a TAP producer: the exit status is the result */
		if (!have_rc)
			add(v, LV_FAIL, "%s: did not finish", pg->name);
		else if (rc == 0)
			add(v, LV_PASS, "%s", pg->name);
		else if (rc == 4)
			add(v, LV_SKIP, "%s", pg->name);
		else if (rc == 124)
			add(v, LV_FAIL, "%s: timed out", pg->name);
		else
			add(v, LV_FAIL, "%s: exit status %d", pg->name, rc);
		return;
	}
	for (k = v->reported; k < v->plan; k++)
		add(v, LV_FAIL, "%s: test %ld of %ld did not report", pg->name,
		    k + 1, v->plan);
	if (v->plan >= 0 && v->reported > v->plan)
		add(v, LV_FAIL, "%s: %ld results for a plan of %ld", pg->name,
		    v->reported, v->plan);
	if (!have_rc)
		add(v, LV_FAIL, "%s: did not finish", pg->name);
	else if (rc == 124)
		add(v, LV_FAIL, "%s: timed out", pg->name);
	else if (rc != 0 && rc != 4 && v->failed == 0)
		add(v, LV_FAIL, "%s: exit status %d", pg->name, rc);
	else if (rc == 0 && v->failed > 0)
		add(v, LV_FAIL, "%s: exit status 0 despite failed tests", pg->name);
}

static void lab_marker(struct lab_verdict *v, const char *m)
{
	const char *sp;
	size_t len;

	if (!strncmp(m, "start ", 6)) {
		v->announced = strtol(m + 6, NULL, 10);
	} else if (!strncmp(m, "program ", 8)) {
		find_prog(v, m + 8, strlen(m + 8), 1);
	} else if (!strncmp(m, "begin ", 6)) {
		if (v->cur)
			close_program(v, 0, 0);
		v->cur = find_prog(v, m + 6, strlen(m + 6), 1);
		v->cur->started = 1;
		v->plan = -1;
		v->plan_skip = 0;
		v->reported = 0;
		v->failed = 0;
	} else if (!strncmp(m, "end ", 4)) {
		m += 4;
		sp = strstr(m, " rc=");
		len = sp ? (size_t)(sp - m) : strlen(m);
		if (!v->cur || strlen(v->cur->name) != len ||
		    memcmp(v->cur->name, m, len)) {
			add(v, LV_FAIL, "lab: end of %.*s without its begin",
			    (int)len, m);
			return;
		}
		close_program(v, sp != NULL, sp ? atoi(sp + 4) : 0);
	} else if (!strncmp(m, "section-end", 11)) {
		v->in_section = 0;
		v->in_kmemleak = 0;
	} else if (!strncmp(m, "section ", 8)) {
		v->in_section = 1;
		v->in_kmemleak = !strcmp(m + 8, "kmemleak");
	} else if (!strcmp(m, "done")) {
		if (v->cur)
			close_program(v, 0, 0);
		v->done = 1;
	}
}

void lv_line(struct lab_verdict *v, const char *raw)
{
	char buf[4096];
	size_t n = strlen(raw);
	struct lv_tap t;

	if (v->finished)
		return;
	while (n && (raw[n - 1] == '\n' || raw[n - 1] == '\r'))
		n--;
	if (n >= sizeof(buf))
		n = sizeof(buf) - 1;
	memcpy(buf, raw, n);
	buf[n] = '\0';

	if (lv_is_splat(buf)) {
		if (v->splats < MAX_SPLATS && v->cur)
			add(v, LV_FAIL, "kernel: %s (during %s)", kernel_msg(buf),
			    v->cur->name);
		else if (v->splats < MAX_SPLATS)
			add(v, LV_FAIL, "kernel: %s", kernel_msg(buf));
		v->splats++;
		return;
	}
	if (!strncmp(buf, "@@LAB ", 6)) {
		lab_marker(v, buf + 6);
		return;
	}
	if (v->in_kmemleak && !strncmp(buf, "unreferenced object", 19)) {
		add(v, LV_FAIL, "kmemleak: %s", buf);
		return;
	}
	if (!v->cur || v->in_section)
		return;
	if (!strncmp(buf, "Bail out!", 9)) {
		v->failed++;
		add(v, LV_FAIL, "%s: %s", v->cur->name, buf);
		return;
	}
	lv_parse_tap(buf, &t);
	if (t.kind == TAP_PLAN && v->plan < 0) {
		v->plan = t.plan;
		v->plan_skip = t.skip;
	} else if (t.kind == TAP_RESULT) {
		v->reported++;
		if (!t.ok && !t.skip)
			v->failed++;
		add(v, t.skip ? LV_SKIP : t.ok ? LV_PASS : LV_FAIL, "%s: %.*s",
		    v->cur->name, (int)t.desc_len, t.desc);
	}
}

void lv_finish(struct lab_verdict *v, int host_status)
{
	size_t i;

	if (v->finished)
		return;
	if (v->splats > MAX_SPLATS)
		add(v, LV_FAIL, "kernel: %zu more reports not listed",
		    v->splats - MAX_SPLATS);
	if (v->announced < 0 && v->nprogs == 0) {
		add(v, LV_FAIL, "%s: did not reach the lab's /init", v->machine);
	} else {
		if (v->cur)
			close_program(v, 0, 0);
		for (i = 0; i < v->nprogs; i++)
			if (!v->progs[i].started)
				add(v, LV_FAIL, "%s: did not run", v->progs[i].name);
		if (v->announced >= 0 && (size_t)v->announced != v->nprogs)
			add(v, LV_FAIL, "lab: %ld programs announced, %zu named",
			    v->announced, v->nprogs);
		if (!v->done)
			add(v, LV_FAIL, "%s: stopped before the end of its plan",
			    v->machine);
	}
	if (host_status == LV_HOST_TIMEOUT)
		add(v, LV_FAIL, "%s: killed on the host's timeout", v->machine);
	else if (host_status != 0)
		add(v, LV_FAIL, "%s: qemu exited with status %d", v->machine,
		    host_status);
	v->finished = 1;
}

size_t lv_count(const struct lab_verdict *v, enum lv_status s)
{
	size_t i, n = 0;

	for (i = 0; i < v->nres; i++)
		n += v->res[i].status == s;
	return n;
}

size_t lv_nresults(const struct lab_verdict *v)
{
	return v->nres;
}

const struct lv_result *lv_result(const struct lab_verdict *v, size_t i)
{
	return i < v->nres ? &v->res[i] : NULL;
}
