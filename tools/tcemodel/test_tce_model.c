// SPDX-License-Identifier: GPL-2.0
/*
 * Native unit tests of the PAPR TCE hypercall model (tce_model.c): every
 * rule of Documentation/papr-tce-model.md, with the exact return code and
 * the exact entries of the view after each call. TAP 13 on stdout.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tce_model.h"

#include "../include/tap.h"

/* an exact return code, named in the diagnostics when it differs */
static void check_rc(long got, long want, const char *what, int line)
{
	tap_check(got == want, what, __FILE__, line);
	if (got != want)
		printf("# got %s (%ld), want %s (%ld)\n", tce_model_rc_name(got), got,
		       tce_model_rc_name(want), want);
}
#define RC(call, want, w) check_rc((call), (want), w, __LINE__)

/* ---- the fixture -------------------------------------------------------- */

#define KiB		1024ULL
#define MiB		(1024 * KiB)
#define LA		0x80000001ULL	/* 4 KiB pages, entries 0x10.. */
#define LB		0x80000002ULL	/* 64 KiB pages, entries 0.. */
#define LC		0x80000003ULL	/* never bound */
#define A_OFF		0x10ULL
#define A_SIZE		1024ULL
#define A_BASE		(A_OFF << 12)			/* first IOBA of A */
#define A_END		((A_OFF + A_SIZE) << 12)	/* one past its last entry */
#define B_SIZE		16ULL
#define R		TCE_MODEL_READ
#define W		TCE_MODEL_WRITE
#define RW		(TCE_MODEL_READ | TCE_MODEL_WRITE)

/*
 * Guest RAM: S0 [0, 1M) read-write; S1 [1M, 1M+32K) read-only; S2
 * [1M+32K, 1M+64K) read-write without a host pointer; a hole up to 2M; S3
 * [2M, 2M+4K); S4 [3M, 3M+2K) (ends inside a 4 KiB page).
 */
#define S1_GPA		(1 * MiB)
#define S2_GPA		(1 * MiB + 32 * KiB)
#define HOLE_GPA	(1 * MiB + 64 * KiB)
#define S3_GPA		(2 * MiB)
#define S4_GPA		(3 * MiB)

static uint64_t ram0[1 * MiB / 8], ram1[32 * KiB / 8], ram4[2 * KiB / 8];
static uint64_t va[A_SIZE], vb[B_SIZE], snap_a[A_SIZE], snap_b[B_SIZE];
static struct tce_model m;

/* hooks: page_ok refuses two pages; commit records and may refuse one entry */
#define BAD_ALIGN_GPA	0x80000ULL	/* "userspace address not IOMMU-page aligned" */
#define BAD_HOLD_GPA	0x90000ULL	/* "preregistered memory refuses it" */
static unsigned int page_calls, commit_calls;
static uint64_t refuse_idx = UINT64_MAX;
static enum tce_model_commit refuse_how;
static uint64_t last_old, last_new, last_idx;
static uint64_t *scribble;		/* commit scribbles here (read-once test) */

static long page_ok(void *ctx, const struct tce_model_window *w, uint64_t gpa, uint64_t tce)
{
	(void)ctx;
	(void)w;
	(void)tce;
	page_calls++;
	if (gpa == BAD_ALIGN_GPA)
		return TCE_H_PARAMETER;
	if (gpa == BAD_HOLD_GPA)
		return TCE_H_HARDWARE;
	return TCE_H_SUCCESS;
}

static enum tce_model_commit commit(void *ctx, const struct tce_model_window *w,
				    uint64_t idx, uint64_t old, uint64_t tce)
{
	(void)ctx;
	(void)w;
	commit_calls++;
	last_idx = idx;
	last_old = old;
	last_new = tce;
	if (scribble)
		scribble[idx + 1] = ~0ULL;	/* the guest rewrites its list meanwhile */
	return idx == refuse_idx ? refuse_how : TCE_MODEL_COMMIT_OK;
}

static void setup(void)
{
	unsigned int i;

	tce_model_init(&m);
	for (i = 0; i < A_SIZE; i++)
		va[i] = 0x5a5a000ULL + (i << 12);	/* unmapped, address bits set */
	memset(vb, 0, sizeof(vb));
	memset(ram0, 0, sizeof(ram0));
	tce_model_add_window(&m, LA, 12, A_OFF, A_SIZE, va);
	tce_model_add_window(&m, LB, 16, 0, B_SIZE, vb);
	tce_model_add_slot(&m, 0, 1 * MiB, 0, ram0);
	tce_model_add_slot(&m, S1_GPA, 32 * KiB, 1, ram1);
	tce_model_add_slot(&m, S2_GPA, 32 * KiB, 0, NULL);
	tce_model_add_slot(&m, S3_GPA, 4 * KiB, 0, NULL);
	tce_model_add_slot(&m, S4_GPA, 2 * KiB, 0, ram4);
	tce_model_set_hooks(&m, page_ok, commit, NULL);
	page_calls = commit_calls = 0;
	refuse_idx = UINT64_MAX;
	scribble = NULL;
}

static void snap(void)
{
	memcpy(snap_a, va, sizeof(va));
	memcpy(snap_b, vb, sizeof(vb));
}

static int unchanged(void)
{
	return !memcmp(snap_a, va, sizeof(va)) && !memcmp(snap_b, vb, sizeof(vb));
}

/* unchanged but for entry idx of A, which holds v */
static int only_a(uint64_t idx, uint64_t v)
{
	uint64_t i;

	for (i = 0; i < A_SIZE; i++)
		if (va[i] != (i == idx ? v : snap_a[i]))
			return 0;
	return !memcmp(snap_b, vb, sizeof(vb));
}

static void put_be64(void *p, uint64_t v)
{
	unsigned char *b = p;
	int i;

	for (i = 7; i >= 0; i--, v >>= 8)
		b[i] = (unsigned char)v;
}

/* a list as the guest writes it: big-endian TCEs */
static void be_list(uint64_t *list, const uint64_t *tces, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		put_be64(&list[i], tces[i]);
}

#define IOBA(i)		(A_BASE + ((uint64_t)(i) << 12))
/* 64 distinct read-write pages of S0 that page_ok accepts */
#define PAGE_OF(i)	(0xa0000ULL + ((uint64_t)(i) % 64) * 0x1000)

static int host_is_le(void)
{
	const uint16_t one = 1;

	return *(const unsigned char *)&one == 1;
}
#define MAP(gpa, p)	((uint64_t)(gpa) | (p))

/* ---- setup and API ------------------------------------------------------ */

static void test_api(void)
{
	static uint64_t v[8];
	struct tce_model t;
	unsigned int i;

	tce_model_init(&t);
	CHECK(tce_model_add_window(&t, 1, 11, 0, 8, v) == -EINVAL, "window: page shift 11 refused");
	CHECK(tce_model_add_window(&t, 1, 35, 0, 8, v) == -EINVAL, "window: page shift 35 refused");
	CHECK(tce_model_add_window(&t, 1, 12, 0, 0, v) == -EINVAL, "window: size 0 refused");
	CHECK(tce_model_add_window(&t, 1, 12, 0, 8, NULL) == -EINVAL, "window: no view refused");
	CHECK(tce_model_add_window(&t, 1, 12, UINT64_MAX, 2, v) == -EINVAL,
	      "window: offset + size overflowing refused");
	CHECK(tce_model_add_window(&t, 1, 34, 1ULL << 30, 1, v) == -EINVAL,
	      "window: an entry whose IOBA needs more than 64 bits refused");
	CHECK(tce_model_add_window(&t, 1, 34, (1ULL << 30) - 1, 1, v) == 0,
	      "window: the highest IOBA a 64-bit address holds accepted");
	CHECK(tce_model_add_window(&t, 1, 12, 0, 8, v) == -EEXIST, "window: a LIOBN bound twice refused");
	for (i = 2; i <= TCE_MODEL_MAX_WINDOWS; i++)
		tce_model_add_window(&t, i, 12, 0, 8, v);
	CHECK(t.nwin == TCE_MODEL_MAX_WINDOWS &&
	      tce_model_add_window(&t, 99, 12, 0, 8, v) == -ENOSPC, "window: table full");
	CHECK(tce_model_window(&t, 5) && tce_model_window(&t, 5)->liobn == 5 &&
	      !tce_model_window(&t, 99), "window: lookup by LIOBN");
	CHECK(tce_model_remove_window(&t, 5) == 0 && !tce_model_window(&t, 5) &&
	      tce_model_window(&t, 8) && tce_model_remove_window(&t, 5) == -ENOENT,
	      "window: removed, the others kept, a second removal -ENOENT");

	CHECK(tce_model_add_slot(&t, 0, 0, 0, NULL) == -EINVAL, "slot: size 0 refused");
	CHECK(tce_model_add_slot(&t, UINT64_MAX - 10, 100, 0, NULL) == -EINVAL,
	      "slot: gpa + size overflowing refused");
	CHECK(tce_model_add_slot(&t, 0x10000, 0x10000, 0, NULL) == 0 &&
	      tce_model_add_slot(&t, 0x1ffff, 1, 0, NULL) == -EEXIST &&
	      tce_model_add_slot(&t, 0xf000, 0x1001, 0, NULL) == -EEXIST,
	      "slot: overlapping slots refused");
	CHECK(tce_model_add_slot(&t, 0x20000, 0x1000, 0, NULL) == 0 &&
	      tce_model_add_slot(&t, 0xf000, 0x1000, 0, NULL) == 0,
	      "slot: adjacent slots accepted");
	for (i = 0; t.nslots < TCE_MODEL_MAX_SLOTS; i++)
		tce_model_add_slot(&t, 0x100000 + i * 0x1000ULL, 0x1000, 0, NULL);
	CHECK(tce_model_add_slot(&t, 0x10000000, 0x1000, 0, NULL) == -ENOSPC, "slot: table full");

	CHECK(tce_model_is_tce_hcall(0x1c) && tce_model_is_tce_hcall(0x20) &&
	      tce_model_is_tce_hcall(0x138) && tce_model_is_tce_hcall(0x13c) &&
	      !tce_model_is_tce_hcall(0x28), "the four TCE hypercall numbers");
	CHECK(!strcmp(tce_model_rc_name(-4), "H_PARAMETER") &&
	      !strcmp(tce_model_rc_name(0), "H_SUCCESS") &&
	      !strcmp(tce_model_rc_name(-1), "H_HARDWARE") && !strcmp(tce_model_rc_name(7), "H_?"),
	      "return code names");
	CHECK(TCE_H_SUCCESS == 0 && TCE_H_HARDWARE == -1 && TCE_H_FUNCTION == -2 &&
	      TCE_H_PARAMETER == -4, "return codes are hvcall.h's");
}

/* ---- an unbound LIOBN --------------------------------------------------- */

static void test_unbound(void)
{
	uint64_t list[1], r4 = 0x1234;

	setup();
	snap();
	put_be64(list, MAP(0x1000, R));
	RC(tce_model_put(&m, LC, A_BASE, MAP(0x1000, R)), TCE_H_PARAMETER, "unbound: H_PUT_TCE");
	RC(tce_model_put_indirect(&m, LC, A_BASE, list, 0x4000, 1), TCE_H_PARAMETER,
	   "unbound: H_PUT_TCE_INDIRECT");
	RC(tce_model_put_indirect(&m, LC, A_BASE, list, 0x4000, 0), TCE_H_PARAMETER,
	   "unbound: H_PUT_TCE_INDIRECT of 0");
	RC(tce_model_stuff(&m, LC, A_BASE, 0, 1), TCE_H_PARAMETER, "unbound: H_STUFF_TCE");
	RC(tce_model_stuff(&m, LC, A_BASE, 0, 0), TCE_H_PARAMETER, "unbound: H_STUFF_TCE of 0");
	RC(tce_model_get(&m, LC, A_BASE, &r4), TCE_H_PARAMETER, "unbound: H_GET_TCE");
	CHECK(r4 == 0x1234 && unchanged() && !commit_calls && !page_calls,
	      "unbound: nothing changed, r4 not written");
	tce_model_remove_window(&m, LA);
	RC(tce_model_put(&m, LA, A_BASE, MAP(0x1000, R)), TCE_H_PARAMETER,
	   "unbound: H_PUT_TCE after the window went");
	RC(tce_model_get(&m, LA, A_BASE, &r4), TCE_H_PARAMETER,
	   "unbound: H_GET_TCE after the window went");
	RC(tce_model_put(&m, LB, 0, MAP(0x10000, R)), TCE_H_SUCCESS, "unbound: the other LIOBN still served");
}

/* ---- H_PUT_TCE ---------------------------------------------------------- */

static void test_put(void)
{
	uint64_t r4;

	setup();
	snap();
	RC(tce_model_put(&m, LA, A_BASE, MAP(0x1000, RW)), TCE_H_SUCCESS, "put: map the first entry");
	CHECK(only_a(0, MAP(0x1000, RW)), "put: the entry holds the TCE, nothing else changed");
	CHECK(commit_calls == 1 && last_idx == 0 && last_old == 0x5a5a000ULL &&
	      last_new == MAP(0x1000, RW) && page_calls == 1,
	      "put: page checked, committed once with the old and new TCE");
	snap();
	RC(tce_model_put(&m, LA, IOBA(A_SIZE - 1), MAP(0xff000, R)), TCE_H_SUCCESS,
	   "put: the window's last entry");
	CHECK(only_a(A_SIZE - 1, MAP(0xff000, R)), "put: last entry written");

	snap();
	RC(tce_model_put(&m, LA, A_BASE + 1, MAP(0x2000, R)), TCE_H_PARAMETER, "put: IOBA + 1");
	RC(tce_model_put(&m, LA, A_BASE + 0x800, MAP(0x2000, R)), TCE_H_PARAMETER, "put: IOBA + 0x800");
	RC(tce_model_put(&m, LA, A_BASE - 0x1000, MAP(0x2000, R)), TCE_H_PARAMETER,
	   "put: the entry before the window");
	RC(tce_model_put(&m, LA, 0, MAP(0x2000, R)), TCE_H_PARAMETER, "put: IOBA 0, below the window");
	RC(tce_model_put(&m, LA, A_END, MAP(0x2000, R)), TCE_H_PARAMETER, "put: IOBA at the window's end");
	RC(tce_model_put(&m, LA, 0xfffffffffffff000ULL, MAP(0x2000, R)), TCE_H_PARAMETER,
	   "put: the highest IOBA");
	RC(tce_model_put(&m, LB, 0x8000, MAP(0x10000, R)), TCE_H_PARAMETER,
	   "put: 4 KiB aligned but not 64 KiB aligned IOBA (64 KiB window)");
	CHECK(unchanged(), "put: refused IOBAs change nothing");

	/* reserved bits: between the permission bits and the page */
	RC(tce_model_put(&m, LA, IOBA(1), MAP(0x2000, R) | 0x4), TCE_H_PARAMETER,
	   "put: reserved bit (PAPR bit 61) set");
	RC(tce_model_put(&m, LA, IOBA(1), MAP(0x2000, W) | 0x800), TCE_H_PARAMETER,
	   "put: reserved bit (PAPR bit 52) set");
	RC(tce_model_put(&m, LA, IOBA(1), MAP(0x2000, RW) | 0xffc), TCE_H_PARAMETER,
	   "put: every reserved bit set");
	RC(tce_model_put(&m, LB, 0, MAP(0x11000, R)), TCE_H_PARAMETER,
	   "put: 64 KiB window, address 4 KiB aligned only");
	CHECK(unchanged(), "put: refused TCEs change nothing");

	/* the page: in RAM, wholly in one slot */
	RC(tce_model_put(&m, LA, IOBA(1), MAP(HOLE_GPA, R)), TCE_H_PARAMETER, "put: page in a hole");
	RC(tce_model_put(&m, LA, IOBA(1), MAP(0x40000000000ULL, R)), TCE_H_PARAMETER,
	   "put: page far beyond RAM");
	RC(tce_model_put(&m, LA, IOBA(1), MAP(0xfffffffffffff000ULL, RW)), TCE_H_PARAMETER,
	   "put: the highest page");
	RC(tce_model_put(&m, LB, 0, MAP(S1_GPA, R)), TCE_H_PARAMETER,
	   "put: a 64 KiB page over two slots (S1, S2)");
	RC(tce_model_put(&m, LB, 0, MAP(S3_GPA, R)), TCE_H_PARAMETER,
	   "put: a 64 KiB page in a 4 KiB slot");
	CHECK(unchanged(), "put: pages outside RAM change nothing");
	RC(tce_model_put(&m, LA, IOBA(1), MAP(S3_GPA, RW)), TCE_H_SUCCESS, "put: a 4 KiB slot's page");
	RC(tce_model_put(&m, LB, 1 << 16, MAP(0xf0000, RW)), TCE_H_SUCCESS,
	   "put: a 64 KiB page ending at its slot's end");
	RC(tce_model_put(&m, LA, IOBA(2), MAP(0, R)), TCE_H_SUCCESS, "put: guest page 0");
	CHECK(va[1] == MAP(S3_GPA, RW) && vb[1] == MAP(0xf0000, RW) && va[2] == MAP(0, R),
	      "put: accepted pages written");

	/* a read-only slot */
	snap();
	RC(tce_model_put(&m, LA, IOBA(3), MAP(S1_GPA, W)), TCE_H_PARAMETER,
	   "put: TCE_PCI_WRITE into a read-only slot");
	RC(tce_model_put(&m, LA, IOBA(3), MAP(S1_GPA + 0x7000, RW)), TCE_H_PARAMETER,
	   "put: read/write into a read-only slot");
	CHECK(unchanged(), "put: writes into a read-only slot change nothing");
	RC(tce_model_put(&m, LA, IOBA(3), MAP(S1_GPA, R)), TCE_H_SUCCESS,
	   "put: TCE_PCI_READ of a read-only slot");
	CHECK(only_a(3, MAP(S1_GPA, R)), "put: read-only mapping written");

	/* page_ok: the misaligned-slot rule, and a page that cannot be held */
	snap();
	page_calls = 0;
	RC(tce_model_put(&m, LA, IOBA(4), MAP(BAD_ALIGN_GPA, R)), TCE_H_PARAMETER,
	   "put: page whose userspace address is not IOMMU-page aligned");
	RC(tce_model_put(&m, LA, IOBA(4), MAP(BAD_HOLD_GPA, R)), TCE_H_HARDWARE,
	   "put: page the preregistered memory refuses: H_HARDWARE");
	CHECK(unchanged() && page_calls == 2, "put: page_ok refusals change nothing");

	/* unmapping: any address bits, kept in the view */
	setup();
	snap();
	RC(tce_model_put(&m, LA, IOBA(5), 0xdeadbeef000ULL | 0xffc), TCE_H_SUCCESS,
	   "put: unmapping TCE with reserved bits and an address beyond RAM");
	CHECK(only_a(5, 0xdeadbeef000ULL | 0xffc) && !page_calls && !commit_calls,
	      "put: kept as written; no page check, no exchange (it was unmapped)");
	RC(tce_model_get(&m, LA, IOBA(5), &r4), TCE_H_SUCCESS, "put: H_GET_TCE of it");
	CHECK(r4 == (0xdeadbeef000ULL | 0xffc), "put: H_GET_TCE returns the address bits");
	RC(tce_model_put(&m, LA, IOBA(5), MAP(0x3000, RW)), TCE_H_SUCCESS, "put: map it");
	RC(tce_model_put(&m, LA, IOBA(5), 0x3000), TCE_H_SUCCESS, "put: unmap, address kept");
	CHECK(va[5] == 0x3000 && commit_calls == 2 && last_old == MAP(0x3000, RW) &&
	      last_new == 0x3000, "put: the unmapping exchanged the mapping out");

	/* H_HARDWARE at the exchange */
	setup();
	tce_model_put(&m, LA, IOBA(6), MAP(0x6000, R));
	snap();
	refuse_idx = 6;
	refuse_how = TCE_MODEL_COMMIT_CLEARED;
	RC(tce_model_put(&m, LA, IOBA(6), MAP(0x7000, RW)), TCE_H_HARDWARE,
	   "put: exchange refused, entry cleared: H_HARDWARE");
	CHECK(only_a(6, 0), "put: the refused entry reads 0");
	tce_model_put(&m, LA, IOBA(6), MAP(0x6000, R));
	snap();
	refuse_how = TCE_MODEL_COMMIT_KEPT;
	RC(tce_model_put(&m, LA, IOBA(6), MAP(0x7000, RW)), TCE_H_HARDWARE,
	   "put: exchange and clearing refused: H_HARDWARE");
	CHECK(unchanged(), "put: the view keeps the old TCE");
}

/* ---- H_GET_TCE ---------------------------------------------------------- */

static void test_get(void)
{
	uint64_t r4 = 0;

	setup();
	RC(tce_model_get(&m, LA, A_BASE, &r4), TCE_H_SUCCESS, "get: first entry");
	CHECK(r4 == 0x5a5a000ULL, "get: the view's entry");
	RC(tce_model_get(&m, LA, IOBA(A_SIZE - 1), &r4), TCE_H_SUCCESS, "get: last entry");
	CHECK(r4 == 0x5a5a000ULL + ((A_SIZE - 1) << 12), "get: the last entry's value");
	r4 = 0x77;
	RC(tce_model_get(&m, LA, A_BASE + 8, &r4), TCE_H_PARAMETER, "get: unaligned IOBA");
	RC(tce_model_get(&m, LA, A_END, &r4), TCE_H_PARAMETER, "get: IOBA at the window's end");
	RC(tce_model_get(&m, LA, A_BASE - 0x1000, &r4), TCE_H_PARAMETER, "get: IOBA below the window");
	RC(tce_model_get(&m, LA, UINT64_MAX & ~0xfffULL, &r4), TCE_H_PARAMETER, "get: highest IOBA");
	CHECK(r4 == 0x77, "get: r4 untouched on H_PARAMETER");
	tce_model_put(&m, LB, 15 << 16, MAP(0x20000, W));
	RC(tce_model_get(&m, LB, 15 << 16, &r4), TCE_H_SUCCESS, "get: 64 KiB window's last entry");
	CHECK(r4 == MAP(0x20000, W) && va[0] == 0x5a5a000ULL, "get: windows are separate");
}

/* ---- H_PUT_TCE_INDIRECT ------------------------------------------------- */

static void test_indirect(void)
{
	static uint64_t tces[TCE_MODEL_LIST_MAX + 1], list[TCE_MODEL_LIST_MAX + 1];
	unsigned int i;
	uint64_t r4;
	int ok;

	for (i = 0; i <= TCE_MODEL_LIST_MAX; i++)
		tces[i] = MAP(PAGE_OF(i), i % 3 + 1);	/* R, W, RW */
	be_list(list, tces, TCE_MODEL_LIST_MAX + 1);

	setup();
	snap();
	RC(tce_model_put_indirect(&m, LA, IOBA(10), list, 0x4000, 3), TCE_H_SUCCESS, "indirect: 3 TCEs");
	for (ok = 1, i = 0; i < A_SIZE; i++)
		ok &= va[i] == (i >= 10 && i < 13 ? tces[i - 10] : snap_a[i]);
	CHECK(ok && commit_calls == 3 && page_calls == 3, "indirect: exactly entries 10..12 written");
	CHECK(((unsigned char *)list)[0] == (unsigned char)(tces[0] >> 56) &&
	      ((unsigned char *)list)[7] == (unsigned char)tces[0],
	      "indirect: the test's list is big-endian in memory");
	setup();
	RC(tce_model_put_indirect(&m, LA, IOBA(1), tces, 0x4000, 1), TCE_H_SUCCESS,
	   "indirect: a list in CPU order is still read as big-endian");
	CHECK(va[1] == (host_is_le() ? __builtin_bswap64(tces[0]) : tces[0]),
	      "indirect: (on a little-endian host its TCE comes out byte-swapped)");
	setup();
	RC(tce_model_put_indirect(&m, LA, A_BASE, list, 0x4000, 1), TCE_H_SUCCESS, "indirect: count 1");
	CHECK(va[0] == tces[0] && va[1] == snap_a[1] && va[A_SIZE - 1] == snap_a[A_SIZE - 1],
	      "indirect: count 1 writes one entry");
	setup();
	RC(tce_model_put_indirect(&m, LA, IOBA(A_SIZE - 512), list, 0x4000, 512), TCE_H_SUCCESS,
	   "indirect: count 512, up to the window's end");
	for (ok = 1, i = 0; i < A_SIZE; i++)
		ok &= va[i] == (i >= A_SIZE - 512 ? tces[i - (A_SIZE - 512)] : snap_a[i]);
	CHECK(ok, "indirect: count 512 writes 512 entries");
	setup();
	snap();
	RC(tce_model_put_indirect(&m, LA, A_BASE, list, 0x4000, 513), TCE_H_PARAMETER,
	   "indirect: count 513 (the window has room)");
	RC(tce_model_put_indirect(&m, LA, A_BASE, list, 0x4000, UINT64_MAX), TCE_H_PARAMETER,
	   "indirect: count 2^64-1");
	CHECK(unchanged() && !commit_calls, "indirect: counts over 512 change nothing");

	/* the list: 4 KiB aligned, in RAM */
	RC(tce_model_put_indirect(&m, LA, A_BASE, list, 0x4008, 1), TCE_H_PARAMETER,
	   "indirect: list 8-byte aligned only");
	RC(tce_model_put_indirect(&m, LA, A_BASE, list, 0x4800, 1), TCE_H_PARAMETER,
	   "indirect: list 2 KiB aligned only");
	RC(tce_model_put_indirect(&m, LA, A_BASE, list, HOLE_GPA, 1), TCE_H_PARAMETER,
	   "indirect: list in a hole");
	RC(tce_model_put_indirect(&m, LA, A_BASE, list, 0x7ffffffff000ULL, 1), TCE_H_PARAMETER,
	   "indirect: list far beyond RAM");
	RC(tce_model_put_indirect(&m, LA, A_BASE, list, S4_GPA, 257), TCE_H_PARAMETER,
	   "indirect: list running past its slot's end (257 TCEs in 2 KiB)");
	RC(tce_model_put_indirect(&m, LA, A_BASE, NULL, S2_GPA, 1), TCE_H_PARAMETER,
	   "indirect: list in a slot the model cannot read");
	CHECK(unchanged() && !commit_calls && !page_calls, "indirect: refused lists change nothing");
	RC(tce_model_put_indirect(&m, LA, A_BASE, list, S4_GPA, 256), TCE_H_SUCCESS,
	   "indirect: list filling its 2 KiB slot");
	RC(tce_model_put_indirect(&m, LA, A_BASE, list, S1_GPA, 2), TCE_H_SUCCESS,
	   "indirect: list in a read-only slot");
	RC(tce_model_put_indirect(&m, LA, A_BASE, list, 1 * MiB - 4096, 512), TCE_H_SUCCESS,
	   "indirect: list in the last page of a slot");

	/* the list from the slot's memory, read once */
	setup();
	be_list(&ram0[0x4000 / 8], tces, 4);
	RC(tce_model_put_indirect(&m, LA, IOBA(20), NULL, 0x4000, 4), TCE_H_SUCCESS,
	   "indirect: list read from guest memory");
	CHECK(va[20] == tces[0] && va[23] == tces[3] && va[24] == snap_a[24],
	      "indirect: guest memory's list written");
	setup();
	be_list(&ram0[0x4000 / 8], tces, 4);
	scribble = &ram0[0x4000 / 8] - 20;	/* commit of entry 20 + i rewrites TCE i + 1 */
	RC(tce_model_put_indirect(&m, LA, IOBA(20), NULL, 0x4000, 4), TCE_H_SUCCESS,
	   "indirect: the guest rewrites the list during the call");
	CHECK(va[20] == tces[0] && va[21] == tces[1] && va[22] == tces[2] && va[23] == tces[3],
	      "indirect: the list was read once, before the commit");
	scribble = NULL;

	/* the range */
	setup();
	snap();
	RC(tce_model_put_indirect(&m, LA, IOBA(A_SIZE - 2), list, 0x4000, 3), TCE_H_PARAMETER,
	   "indirect: range one past the window's end");
	RC(tce_model_put_indirect(&m, LA, A_BASE - 0x1000, list, 0x4000, 2), TCE_H_PARAMETER,
	   "indirect: range starting one entry below the window");
	RC(tce_model_put_indirect(&m, LA, A_BASE + 0x100, list, 0x4000, 2), TCE_H_PARAMETER,
	   "indirect: unaligned IOBA");
	RC(tce_model_put_indirect(&m, LA, 0xffffffffffffe000ULL, list, 0x4000, 4), TCE_H_PARAMETER,
	   "indirect: IOBA + count past 2^64");
	CHECK(unchanged() && !commit_calls, "indirect: refused ranges change nothing");

	/* all or nothing */
	for (i = 0; i < 512; i++)
		tces[i] = MAP(PAGE_OF(i), RW);
	tces[511] |= 0x10;
	be_list(list, tces, 512);
	setup();
	tce_model_put(&m, LA, IOBA(0), MAP(0x2000, R));
	snap();
	commit_calls = page_calls = 0;
	RC(tce_model_put_indirect(&m, LA, A_BASE, list, 0x4000, 512), TCE_H_PARAMETER,
	   "indirect: 512 TCEs, the last with a reserved bit");
	CHECK(unchanged() && !commit_calls && page_calls == 511,
	      "indirect: no entry changed (511 resolved, none committed)");
	tces[511] = MAP(S1_GPA, W);
	be_list(list, tces, 512);
	RC(tce_model_put_indirect(&m, LA, A_BASE, list, 0x4000, 512), TCE_H_PARAMETER,
	   "indirect: the last TCE writes a read-only slot");
	tces[511] = MAP(HOLE_GPA, R);
	be_list(list, tces, 512);
	RC(tce_model_put_indirect(&m, LA, A_BASE, list, 0x4000, 512), TCE_H_PARAMETER,
	   "indirect: the last TCE's page is not in RAM");
	tces[511] = MAP(BAD_ALIGN_GPA, R);
	be_list(list, tces, 512);
	RC(tce_model_put_indirect(&m, LA, A_BASE, list, 0x4000, 512), TCE_H_PARAMETER,
	   "indirect: the last TCE's page is misaligned in userspace");
	tces[511] = MAP(BAD_HOLD_GPA, R);
	be_list(list, tces, 512);
	RC(tce_model_put_indirect(&m, LA, A_BASE, list, 0x4000, 512), TCE_H_HARDWARE,
	   "indirect: the last TCE's page cannot be held: H_HARDWARE");
	tces[511] = MAP(0x1000, R);
	tces[0] = MAP(0x1000, R) | 0x100;
	be_list(list, tces, 512);
	RC(tce_model_put_indirect(&m, LA, A_BASE, list, 0x4000, 512), TCE_H_PARAMETER,
	   "indirect: the first TCE with a reserved bit");
	CHECK(unchanged() && !commit_calls, "indirect: every refused call left every entry as it was");
	tces[0] = MAP(BAD_HOLD_GPA, R);
	tces[5] = MAP(HOLE_GPA, R);
	be_list(list, tces, 512);
	RC(tce_model_put_indirect(&m, LA, A_BASE, list, 0x4000, 512), TCE_H_HARDWARE,
	   "indirect: the first failing TCE decides (H_HARDWARE before H_PARAMETER)");
	tces[0] = MAP(HOLE_GPA, R);
	tces[5] = MAP(BAD_HOLD_GPA, R);
	be_list(list, tces, 512);
	RC(tce_model_put_indirect(&m, LA, A_BASE, list, 0x4000, 512), TCE_H_PARAMETER,
	   "indirect: the first failing TCE decides (H_PARAMETER before H_HARDWARE)");
	CHECK(unchanged(), "indirect: still nothing changed");

	/* unmapping entries: anything goes, kept */
	tces[0] = 0xfff0000000000ULL | 0xffc;	/* beyond RAM, reserved bits */
	tces[1] = 0;
	tces[2] = MAP(0x3000, W);
	be_list(list, tces, 3);
	setup();
	RC(tce_model_put_indirect(&m, LA, IOBA(7), list, 0x4000, 3), TCE_H_SUCCESS,
	   "indirect: unmapping entries whose address is beyond RAM");
	CHECK(va[7] == tces[0] && va[8] == 0 && va[9] == tces[2], "indirect: kept as written");
	RC(tce_model_get(&m, LA, IOBA(7), &r4), TCE_H_SUCCESS, "indirect: H_GET_TCE of it");
	CHECK(r4 == tces[0], "indirect: H_GET_TCE returns its address bits");

	/* H_HARDWARE at the exchange of the third of four */
	for (i = 0; i < 4; i++)
		tces[i] = MAP(0x20000 + i * 0x1000ULL, RW);
	be_list(list, tces, 4);
	setup();
	tce_model_put(&m, LA, IOBA(32), MAP(0x9000, R));
	snap();
	refuse_idx = 32;
	refuse_how = TCE_MODEL_COMMIT_CLEARED;
	RC(tce_model_put_indirect(&m, LA, IOBA(30), list, 0x4000, 4), TCE_H_HARDWARE,
	   "indirect: third exchange refused: H_HARDWARE");
	CHECK(va[30] == tces[0] && va[31] == tces[1] && va[32] == 0 && va[33] == snap_a[33],
	      "indirect: entries before written, the refused one cleared, the one after untouched");
	setup();
	tce_model_put(&m, LA, IOBA(32), MAP(0x9000, R));
	refuse_idx = 32;
	refuse_how = TCE_MODEL_COMMIT_KEPT;
	RC(tce_model_put_indirect(&m, LA, IOBA(30), list, 0x4000, 4), TCE_H_HARDWARE,
	   "indirect: third exchange and its clearing refused: H_HARDWARE");
	CHECK(va[30] == tces[0] && va[31] == tces[1] && va[32] == MAP(0x9000, R) &&
	      va[33] == snap_a[33], "indirect: the refused entry keeps its old TCE");
}

static void test_indirect_zero(void)
{
	uint64_t list[1];

	put_be64(list, MAP(0x1000, R));
	setup();
	snap();
	RC(tce_model_put_indirect(&m, LA, A_BASE, list, 0x4000, 0), TCE_H_SUCCESS, "indirect 0: H_SUCCESS");
	RC(tce_model_put_indirect(&m, LA, IOBA(500), list, 0x4000, 0), TCE_H_SUCCESS,
	   "indirect 0: mid-window");
	RC(tce_model_put_indirect(&m, LA, A_END, list, 0x4000, 0), TCE_H_SUCCESS,
	   "indirect 0: IOBA at the window's end");
	RC(tce_model_put_indirect(&m, LA, A_BASE, list, HOLE_GPA, 0), TCE_H_SUCCESS,
	   "indirect 0: the list's location in RAM is not checked (hole)");
	RC(tce_model_put_indirect(&m, LA, A_BASE, NULL, 0x7ffffffff000ULL, 0), TCE_H_SUCCESS,
	   "indirect 0: list far beyond RAM, no pointer");
	RC(tce_model_put_indirect(&m, LA, A_BASE, NULL, S2_GPA, 0), TCE_H_SUCCESS,
	   "indirect 0: list in a slot the model cannot read");
	CHECK(unchanged() && !commit_calls && !page_calls, "indirect 0: nothing changed, nothing read");
	RC(tce_model_put_indirect(&m, LA, A_END + 0x1000, list, 0x4000, 0), TCE_H_PARAMETER,
	   "indirect 0: IOBA past the window's end");
	RC(tce_model_put_indirect(&m, LA, A_BASE - 0x1000, list, 0x4000, 0), TCE_H_PARAMETER,
	   "indirect 0: IOBA below the window");
	RC(tce_model_put_indirect(&m, LA, A_BASE + 0x10, list, 0x4000, 0), TCE_H_PARAMETER,
	   "indirect 0: unaligned IOBA");
	RC(tce_model_put_indirect(&m, LA, A_BASE, list, 0x4010, 0), TCE_H_PARAMETER,
	   "indirect 0: unaligned list");
	RC(tce_model_put_indirect(&m, LB, 0x8000, list, 0x4000, 0), TCE_H_PARAMETER,
	   "indirect 0: IOBA not 64 KiB aligned (64 KiB window)");
	CHECK(unchanged(), "indirect 0: refused calls change nothing");
}

/* ---- H_STUFF_TCE -------------------------------------------------------- */

static void test_stuff(void)
{
	uint64_t i;
	int ok;

	setup();
	tce_model_put(&m, LA, IOBA(3), MAP(0x3000, R));
	tce_model_put(&m, LA, IOBA(900), MAP(0x4000, W));
	snap();
	commit_calls = 0;
	RC(tce_model_stuff(&m, LA, IOBA(2), 0, 8), TCE_H_SUCCESS, "stuff: clear 8 entries");
	for (ok = 1, i = 0; i < A_SIZE; i++)
		ok &= va[i] == (i >= 2 && i < 10 ? 0 : snap_a[i]);
	CHECK(ok && commit_calls == 1 && last_idx == 3 && last_old == MAP(0x3000, R) && last_new == 0,
	      "stuff: exactly entries 2..9 are 0; one exchange (the one mapped)");
	setup();
	tce_model_put(&m, LA, IOBA(3), MAP(0x3000, R));
	commit_calls = 0;
	RC(tce_model_stuff(&m, LA, A_BASE, 0xabc000ULL | 0x7fc, A_SIZE), TCE_H_SUCCESS,
	   "stuff: the whole window, an unmapping value with address and reserved bits");
	for (ok = 1, i = 0; i < A_SIZE; i++)
		ok &= va[i] == (0xabc000ULL | 0x7fc);
	CHECK(ok && commit_calls == 1, "stuff: every entry holds the value as given");
	setup();
	snap();
	RC(tce_model_stuff(&m, LA, A_BASE, 0, 513), TCE_H_SUCCESS, "stuff: count 513 (no 512 limit)");
	for (ok = 1, i = 0; i < A_SIZE; i++)
		ok &= va[i] == (i < 513 ? 0 : snap_a[i]);
	CHECK(ok, "stuff: exactly 513 entries cleared");
	setup();
	RC(tce_model_stuff(&m, LA, IOBA(A_SIZE - 1), 0, 1), TCE_H_SUCCESS, "stuff: count 1, last entry");
	CHECK(va[A_SIZE - 1] == 0 && va[A_SIZE - 2] != 0, "stuff: last entry cleared");

	setup();
	snap();
	RC(tce_model_stuff(&m, LA, A_BASE, MAP(0x1000, R), 1), TCE_H_PARAMETER,
	   "stuff: value with TCE_PCI_READ");
	RC(tce_model_stuff(&m, LA, A_BASE, MAP(0x1000, W), 4), TCE_H_PARAMETER,
	   "stuff: value with TCE_PCI_WRITE");
	RC(tce_model_stuff(&m, LA, A_BASE, RW, 0), TCE_H_PARAMETER,
	   "stuff: value with permission bits, count 0");
	RC(tce_model_stuff(&m, LA, A_BASE, 0, A_SIZE + 1), TCE_H_PARAMETER,
	   "stuff: one more than the window");
	RC(tce_model_stuff(&m, LA, IOBA(A_SIZE - 1), 0, 2), TCE_H_PARAMETER,
	   "stuff: range one past the window's end");
	RC(tce_model_stuff(&m, LA, IOBA(A_SIZE - 1), 0, UINT64_MAX), TCE_H_PARAMETER,
	   "stuff: count 2^64-1");
	RC(tce_model_stuff(&m, LA, IOBA(A_SIZE - 1), 0, 0 - (A_SIZE - 1)), TCE_H_PARAMETER,
	   "stuff: index + count wrapping to 0");
	RC(tce_model_stuff(&m, LA, IOBA(5), 0, UINT64_MAX - 4), TCE_H_PARAMETER,
	   "stuff: index + count wrapping into the window");
	RC(tce_model_stuff(&m, LA, A_BASE + 0x200, 0, 1), TCE_H_PARAMETER, "stuff: unaligned IOBA");
	RC(tce_model_stuff(&m, LA, A_BASE - 0x1000, 0, 2), TCE_H_PARAMETER,
	   "stuff: starting below the window");
	CHECK(unchanged() && !commit_calls, "stuff: refused calls change nothing");

	/* count 0 */
	RC(tce_model_stuff(&m, LA, A_BASE, 0, 0), TCE_H_SUCCESS, "stuff 0: H_SUCCESS");
	RC(tce_model_stuff(&m, LA, A_END, 0x123000, 0), TCE_H_SUCCESS, "stuff 0: IOBA at the window's end");
	CHECK(unchanged() && !commit_calls, "stuff 0: nothing changed");
	RC(tce_model_stuff(&m, LA, A_END + 0x1000, 0, 0), TCE_H_PARAMETER,
	   "stuff 0: IOBA past the window's end");
	RC(tce_model_stuff(&m, LA, A_BASE + 4, 0, 0), TCE_H_PARAMETER, "stuff 0: unaligned IOBA");
	RC(tce_model_stuff(&m, LA, 0, 0, 0), TCE_H_PARAMETER, "stuff 0: IOBA below the window");

	/* H_HARDWARE in the middle */
	setup();
	for (i = 10; i < 14; i++)
		tce_model_put(&m, LA, IOBA(i), MAP(0x1000 * i, RW));
	snap();
	refuse_idx = 12;
	refuse_how = TCE_MODEL_COMMIT_CLEARED;
	RC(tce_model_stuff(&m, LA, IOBA(10), 0x5000, 4), TCE_H_HARDWARE,
	   "stuff: third exchange refused: H_HARDWARE");
	CHECK(va[10] == 0x5000 && va[11] == 0x5000 && va[12] == 0 && va[13] == snap_a[13],
	      "stuff: entries before written, the refused one cleared, the one after untouched");
}

/* ---- check_only, the dispatcher ----------------------------------------- */

static void test_check_only(void)
{
	uint64_t list[2], r4;

	setup();
	put_be64(&list[0], MAP(0x1000, R));
	put_be64(&list[1], MAP(0x2000, RW));
	m.check_only = 1;
	snap();
	RC(tce_model_put(&m, LA, A_BASE, MAP(0x1000, R)), TCE_H_SUCCESS, "check only: put accepted");
	RC(tce_model_put(&m, LA, A_BASE, MAP(0x1000, R) | 4), TCE_H_PARAMETER, "check only: put refused");
	RC(tce_model_put_indirect(&m, LA, A_BASE, list, 0x4000, 2), TCE_H_SUCCESS,
	   "check only: indirect accepted");
	RC(tce_model_put_indirect(&m, LA, A_BASE, list, HOLE_GPA, 2), TCE_H_PARAMETER,
	   "check only: indirect refused");
	RC(tce_model_stuff(&m, LA, A_BASE, 0, 100), TCE_H_SUCCESS, "check only: stuff accepted");
	RC(tce_model_stuff(&m, LA, A_BASE, R, 100), TCE_H_PARAMETER, "check only: stuff refused");
	RC(tce_model_get(&m, LA, A_BASE, &r4), TCE_H_SUCCESS, "check only: get");
	CHECK(r4 == snap_a[0] && unchanged() && !commit_calls && page_calls == 3,
	      "check only: pages checked, nothing written, nothing committed");
}

static void test_hcall(void)
{
	uint64_t a[4], r4 = 0;

	setup();
	put_be64(&ram0[0x5000 / 8], MAP(0x8000, RW));
	a[0] = LA; a[1] = IOBA(1); a[2] = MAP(0x7000, R); a[3] = 0;
	RC(tce_model_hcall(&m, TCE_H_PUT_TCE, a, &r4), TCE_H_SUCCESS, "hcall: H_PUT_TCE");
	a[1] = IOBA(2); a[2] = 0x5000; a[3] = 1;
	RC(tce_model_hcall(&m, TCE_H_PUT_TCE_INDIRECT, a, &r4), TCE_H_SUCCESS,
	   "hcall: H_PUT_TCE_INDIRECT, list from guest memory");
	a[1] = IOBA(1);
	RC(tce_model_hcall(&m, TCE_H_GET_TCE, a, &r4), TCE_H_SUCCESS, "hcall: H_GET_TCE");
	CHECK(r4 == MAP(0x7000, R) && va[2] == MAP(0x8000, RW), "hcall: r4 and the entries");
	a[1] = IOBA(1); a[2] = 0; a[3] = 2;
	RC(tce_model_hcall(&m, TCE_H_STUFF_TCE, a, &r4), TCE_H_SUCCESS, "hcall: H_STUFF_TCE");
	CHECK(va[1] == 0 && va[2] == 0, "hcall: cleared");
	RC(tce_model_hcall(&m, 0x28, a, &r4), TCE_H_FUNCTION, "hcall: not a TCE hypercall");
	a[0] = LC;
	RC(tce_model_hcall(&m, TCE_H_GET_TCE, a, &r4), TCE_H_PARAMETER, "hcall: unbound LIOBN");
}

/*
 * Another CPU of the guest rewrites a list entry between two mappings that
 * differ in three bytes while the model reads it: each call must store one
 * of the two, never a value made of bytes of both (a torn read).
 */
#define TORN_A		MAP(PAGE_OF(1), RW)
#define TORN_B		MAP(PAGE_OF(62), R)
#define TORN_CALLS	200000

static volatile int torn_stop;

static void *torn_writer(void *arg)
{
	volatile uint64_t *e = arg;
	uint64_t a, b;

	put_be64(&a, TORN_A);
	put_be64(&b, TORN_B);
	while (!torn_stop) {
		*e = a;
		*e = b;
	}
	return NULL;
}

static void test_indirect_torn(void)
{
	unsigned int i, torn = 0, rc_bad = 0;
	pthread_t t;
	int started;

	setup();
	tce_model_set_hooks(&m, NULL, NULL, NULL);
	put_be64(&ram0[0x4000 / 8], TORN_A);
	started = !pthread_create(&t, NULL, torn_writer, &ram0[0x4000 / 8]);
	tap_check(started, "indirect torn: the writer thread starts", __FILE__, __LINE__);
	if (!started)
		return;	/* nothing to join */
	for (i = 0; i < TORN_CALLS; i++) {
		if (tce_model_put_indirect(&m, LA, A_BASE, NULL, 0x4000, 1) != TCE_H_SUCCESS)
			rc_bad++;
		else if (va[0] != TORN_A && va[0] != TORN_B && !torn++)
			printf("# call %u stored 0x%llx\n", i, (unsigned long long)va[0]);
	}
	torn_stop = 1;
	pthread_join(t, NULL);
	tap_check(!rc_bad, "indirect torn: every call H_SUCCESS", __FILE__, __LINE__);
	tap_check(!torn, "indirect torn: every entry stored is one of the two", __FILE__, __LINE__);
	if (torn)
		printf("# %u torn entries in %u calls\n", torn, TORN_CALLS);
}

int main(void)
{
	printf("TAP version 13\n");
	test_api();
	test_unbound();
	test_put();
	test_get();
	test_indirect();
	test_indirect_zero();
	test_indirect_torn();
	test_stuff();
	test_check_only();
	test_hcall();
	return tap_done();
}
