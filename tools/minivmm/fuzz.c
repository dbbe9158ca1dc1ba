// SPDX-License-Identifier: GPL-2.0
/*
 * The fuzz workload's generator and checker (see fuzz.h). The calls come
 * from one splitmix64 stream of the seed, batch after batch, whatever the
 * paths answer: `--seed N --calls M` makes the same first M calls again.
 * The model is a struct tce_model of its own (the window and the memory
 * slot the path has), fed the same calls in the same order.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

#define PERM		TCE_MODEL_PERM
#define RSVD_MASK	0xffcULL		/* between the permissions and the page */
#define PAGE_MASK	(~(FUZZ_PAGE - 1))
#define WRAP_SPAN	(1ULL << 32)		/* "near 2^64": in its last 4 GiB */
#define PAST_SPAN	(FUZZ_PAST_PAGES * FUZZ_PAGE)
#define VIEW_LINES	4			/* differing entries printed per batch */
#define SHOW_ENTRIES	6			/* INDIRECT entries printed per call */
#define UPSTREAM_LINES	400			/* lines a path that goes on may print */

static const char *const class_names[FUZZ_NCLASSES] = {
#define FUZZ_CLASS_NAME(id, name) [FZ_##id] = name,
	FUZZ_CLASSES(FUZZ_CLASS_NAME)
#undef FUZZ_CLASS_NAME
};

const char *fuzz_class_name(unsigned int cls)
{
	return cls < FUZZ_NCLASSES ? class_names[cls] : "?";
}

const char *fuzz_hcall_name(uint64_t nr)
{
	switch (nr) {
	case TCE_H_PUT_TCE:
		return "H_PUT_TCE";
	case TCE_H_GET_TCE:
		return "H_GET_TCE";
	case TCE_H_STUFF_TCE:
		return "H_STUFF_TCE";
	case TCE_H_PUT_TCE_INDIRECT:
		return "H_PUT_TCE_INDIRECT";
	}
	return "H_?";
}

static const char *const rc_slot_names[FUZZ_NRC] = {
	[FUZZ_RC_SUCCESS] = "H_SUCCESS",
	[FUZZ_RC_PARAMETER] = "H_PARAMETER",
	[FUZZ_RC_HARDWARE] = "H_HARDWARE",
	[FUZZ_RC_FUNCTION] = "H_FUNCTION",
	[FUZZ_RC_OTHER] = "other",
};

const char *fuzz_rc_slot_name(unsigned int slot)
{
	return slot < FUZZ_NRC ? rc_slot_names[slot] : "?";
}

static unsigned int rc_slot(long rc)
{
	switch (rc) {
	case TCE_H_SUCCESS:
		return FUZZ_RC_SUCCESS;
	case TCE_H_PARAMETER:
		return FUZZ_RC_PARAMETER;
	case TCE_H_HARDWARE:
		return FUZZ_RC_HARDWARE;
	case TCE_H_FUNCTION:
		return FUZZ_RC_FUNCTION;
	}
	return FUZZ_RC_OTHER;
}

static const char *rc_str(long rc, char *buf, size_t len)
{
	if (rc_slot(rc) != FUZZ_RC_OTHER)
		return tce_model_rc_name(rc);
	snprintf(buf, len, "%ld", rc);
	return buf;
}

/* ---- classes: what a call had ------------------------------------------ */

enum { IO_INSIDE, IO_FIRST, IO_LAST, IO_END, IO_PAST, IO_FAR, IO_UNALIGNED, IO_WRAP };

/* The IOBA's kind; *entry: its entry in the window (valid for FIRST..END) */
static int ioba_kind(const struct fuzz_layout *l, uint64_t ioba, uint64_t *entry)
{
	uint64_t e, off = l->win_start / FUZZ_PAGE;

	if (ioba & (FUZZ_PAGE - 1))
		return IO_UNALIGNED;
	if (ioba > UINT64_MAX - WRAP_SPAN)
		return IO_WRAP;
	e = ioba / FUZZ_PAGE;
	if (e < off)
		return IO_FAR;
	e -= off;
	*entry = e;
	if (e == 0)
		return IO_FIRST;
	if (e == l->entries - 1)
		return IO_LAST;
	if (e < l->entries)
		return IO_INSIDE;
	if (e == l->entries)
		return IO_END;
	return e - l->entries <= FUZZ_PAST_PAGES ? IO_PAST : IO_FAR;
}

enum { TC_MAP_RAM, TC_MAP_LAST, TC_MAP_BEYOND, TC_MAP_FAR, TC_MAP_RESERVED, TC_UNMAP_0,
	TC_UNMAP_ADDR, TC_UNMAP_BEYOND, TC_UNMAP_RESERVED, TC_KINDS };

static const char *const tce_kind_names[TC_KINDS] = {
	[TC_MAP_RAM] = "map RAM",
	[TC_MAP_LAST] = "map RAM's last page",
	[TC_MAP_BEYOND] = "map just beyond RAM",
	[TC_MAP_FAR] = "map far beyond RAM",
	[TC_MAP_RESERVED] = "map, reserved bits",
	[TC_UNMAP_0] = "unmap 0",
	[TC_UNMAP_ADDR] = "unmap, RAM address",
	[TC_UNMAP_BEYOND] = "unmap, address beyond RAM",
	[TC_UNMAP_RESERVED] = "unmap, reserved bits",
};

static int tce_kind(const struct fuzz_layout *l, uint64_t tce)
{
	uint64_t gpa = tce & PAGE_MASK;

	if (tce & PERM) {
		if (tce & RSVD_MASK)
			return TC_MAP_RESERVED;
		if (gpa >= l->ram)
			return gpa - l->ram < PAST_SPAN ? TC_MAP_BEYOND : TC_MAP_FAR;
		return gpa == l->ram - FUZZ_PAGE ? TC_MAP_LAST : TC_MAP_RAM;
	}
	if (tce & RSVD_MASK)
		return TC_UNMAP_RESERVED;
	if (gpa >= l->ram)
		return TC_UNMAP_BEYOND;
	return gpa ? TC_UNMAP_ADDR : TC_UNMAP_0;
}

/* the entries a "valid entries" INDIRECT list holds */
static int entry_is_plain(int kind)
{
	return kind == TC_MAP_RAM || kind == TC_MAP_LAST || kind == TC_UNMAP_0;
}

static const unsigned int ind_entry_class[TC_KINDS][2] = {
	[TC_UNMAP_ADDR] = { FZ_IND_UNMAP_ADDR_FIRST, FZ_IND_UNMAP_ADDR_AFTER },
	[TC_MAP_BEYOND] = { FZ_IND_MAP_BEYOND_FIRST, FZ_IND_MAP_BEYOND_AFTER },
	[TC_MAP_FAR] = { FZ_IND_MAP_FAR_FIRST, FZ_IND_MAP_FAR_AFTER },
	[TC_MAP_RESERVED] = { FZ_IND_MAP_RESERVED_FIRST, FZ_IND_MAP_RESERVED_AFTER },
	[TC_UNMAP_BEYOND] = { FZ_IND_UNMAP_BEYOND_FIRST, FZ_IND_UNMAP_BEYOND_AFTER },
	[TC_UNMAP_RESERVED] = { FZ_IND_UNMAP_RESERVED_FIRST, FZ_IND_UNMAP_RESERVED_AFTER },
};

enum { LS_PAGE, LS_LAST, LS_UNALIGNED, LS_BEYOND, LS_FAR };

static int list_kind(const struct fuzz_layout *l, uint64_t list)
{
	if (list & (FUZZ_PAGE - 1))
		return LS_UNALIGNED;
	if (list >= l->ram)
		return list - l->ram < PAST_SPAN ? LS_BEYOND : LS_FAR;
	return list == l->ram - FUZZ_PAGE ? LS_LAST : LS_PAGE;
}

/* the classes every call has, for a bad LIOBN or IOBA */
struct call_classes {
	unsigned int unbound, unaligned, end, past, far, wrap;
};

static const struct call_classes cc_put = {
	FZ_PUT_UNBOUND, FZ_PUT_IOBA_UNALIGNED, FZ_PUT_IOBA_END, FZ_PUT_IOBA_PAST,
	FZ_PUT_IOBA_FAR, FZ_PUT_IOBA_WRAP,
};
static const struct call_classes cc_get = {
	FZ_GET_UNBOUND, FZ_GET_IOBA_UNALIGNED, FZ_GET_IOBA_END, FZ_GET_IOBA_PAST,
	FZ_GET_IOBA_FAR, FZ_GET_IOBA_WRAP,
};
static const struct call_classes cc_stuff = {
	FZ_STUFF_UNBOUND, FZ_STUFF_IOBA_UNALIGNED, FZ_STUFF_IOBA_END, FZ_STUFF_IOBA_PAST,
	FZ_STUFF_IOBA_FAR, FZ_STUFF_IOBA_WRAP,
};
static const struct call_classes cc_ind = {
	FZ_IND_UNBOUND, FZ_IND_IOBA_UNALIGNED, FZ_IND_IOBA_END, FZ_IND_IOBA_PAST,
	FZ_IND_IOBA_FAR, FZ_IND_IOBA_WRAP,
};

static unsigned int put_class(const struct fuzz_layout *l, uint64_t tce)
{
	static const unsigned int ram[4] = { 0, FZ_PUT_MAP_RAM_R, FZ_PUT_MAP_RAM_W,
					     FZ_PUT_MAP_RAM_RW };
	static const unsigned int last[4] = { 0, FZ_PUT_MAP_LAST_R, FZ_PUT_MAP_LAST_W,
					      FZ_PUT_MAP_LAST_RW };

	switch (tce_kind(l, tce)) {
	case TC_MAP_RAM:
		return ram[tce & PERM];
	case TC_MAP_LAST:
		return last[tce & PERM];
	case TC_MAP_BEYOND:
		return FZ_PUT_MAP_BEYOND;
	case TC_MAP_FAR:
		return FZ_PUT_MAP_FAR;
	case TC_MAP_RESERVED:
		return FZ_PUT_MAP_RESERVED;
	case TC_UNMAP_0:
		return FZ_PUT_UNMAP_0;
	case TC_UNMAP_ADDR:
		return FZ_PUT_UNMAP_ADDR;
	case TC_UNMAP_BEYOND:
		return FZ_PUT_UNMAP_BEYOND;
	}
	return FZ_PUT_UNMAP_RESERVED;
}

static unsigned int stuff_class(const struct fuzz_layout *l, int k, uint64_t e, uint64_t n,
				uint64_t value)
{
	if (n == 0)
		return k == IO_END ? FZ_STUFF_COUNT0_END : FZ_STUFF_COUNT0;
	if (n == UINT64_MAX)
		return FZ_STUFF_COUNT_HUGE;
	if (n == 1ULL << 40)
		return FZ_STUFF_COUNT_2_40;
	if (n > l->entries - e)
		return FZ_STUFF_RANGE_PAST;
	if (e == 0 && n == l->entries)
		return FZ_STUFF_WHOLE;
	if (n > TCE_MODEL_LIST_MAX)
		return FZ_STUFF_COUNT_OVER;
	if (value & PERM)
		return FZ_STUFF_VALUE_PERM;
	return value ? FZ_STUFF_VALUE_ADDR : FZ_STUFF_VALUE_0;
}

static unsigned int ind_class(const struct fuzz_layout *l, int k, uint64_t e, uint64_t n,
			      uint64_t list_gpa, const uint64_t *list)
{
	int lk = list_kind(l, list_gpa);
	uint64_t i;

	if (lk == LS_UNALIGNED)
		return FZ_IND_LIST_UNALIGNED;
	if (lk == LS_BEYOND)
		return FZ_IND_LIST_BEYOND;
	if (lk == LS_FAR)
		return FZ_IND_LIST_FAR;
	if (n == 0)
		return k == IO_END ? FZ_IND_COUNT0_END : FZ_IND_COUNT0;
	if (n == UINT64_MAX)
		return FZ_IND_COUNT_HUGE;
	if (n == 1ULL << 40)
		return FZ_IND_COUNT_2_40;
	if (n > TCE_MODEL_LIST_MAX)
		return FZ_IND_COUNT_OVER;
	if (n > l->entries - e)
		return FZ_IND_RANGE_PAST;
	for (i = 0; list && i < n; i++) {
		int tk = tce_kind(l, list[i]);

		if (!entry_is_plain(tk))
			return ind_entry_class[tk][i > 0];
	}
	if (lk == LS_LAST)
		return FZ_IND_LIST_LAST;
	return n == TCE_MODEL_LIST_MAX ? FZ_IND_COUNT_512 : FZ_IND_VALID;
}

unsigned int fuzz_classify(const struct fuzz_layout *l, uint64_t nr, const uint64_t args[4],
			   const uint64_t *list)
{
	const struct call_classes *cc;
	uint64_t e = 0, n = args[3];
	int k;

	switch (nr) {
	case TCE_H_PUT_TCE:
		cc = &cc_put;
		break;
	case TCE_H_GET_TCE:
		cc = &cc_get;
		break;
	case TCE_H_STUFF_TCE:
		cc = &cc_stuff;
		break;
	case TCE_H_PUT_TCE_INDIRECT:
		cc = &cc_ind;
		break;
	default:
		return FUZZ_NCLASSES;
	}
	if (args[0] != l->liobn)
		return cc->unbound;
	k = ioba_kind(l, args[1], &e);
	switch (k) {
	case IO_UNALIGNED:
		return cc->unaligned;
	case IO_PAST:
		return cc->past;
	case IO_FAR:
		return cc->far;
	case IO_WRAP:
		return cc->wrap;
	case IO_END:
		/* a range of 0 may start at the window's end */
		if (nr == TCE_H_PUT_TCE || nr == TCE_H_GET_TCE || n)
			return cc->end;
		break;
	}
	switch (nr) {
	case TCE_H_PUT_TCE:
		return put_class(l, args[2]);
	case TCE_H_GET_TCE:
		return k == IO_FIRST ? FZ_GET_FIRST : k == IO_LAST ? FZ_GET_LAST : FZ_GET_INSIDE;
	case TCE_H_STUFF_TCE:
		return stuff_class(l, k, e, n, args[2]);
	}
	return ind_class(l, k, e, n, args[2], list);
}

/* ---- the generator ------------------------------------------------------ */

uint64_t fuzz_rand(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* uniform in [0, n), n > 0 (the modulo bias is far below what matters here) */
static uint64_t below(struct fuzz *f, uint64_t n)
{
	return fuzz_rand(&f->rng) % n;
}

static unsigned int pct(struct fuzz *f)
{
	return (unsigned int)below(f, 100);
}

static uint64_t ioba_of(const struct fuzz *f, uint64_t e)
{
	return f->l.win_start + e * FUZZ_PAGE;
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* A first entry for n (1..entries) entries that fit: near the hot spot mostly */
static uint64_t gen_entry(struct fuzz *f, uint64_t n)
{
	uint64_t span = f->l.entries - n + 1, e;
	unsigned int r = pct(f);

	if (r < 4)
		return 0;
	if (r < 8)
		return span - 1;
	if (r < 65) {
		e = f->hot + below(f, 512);
		if (e < span)
			return e;
	}
	return below(f, span);
}

/* An IOBA at the window's end, past it, far outside, unaligned or near 2^64 */
static uint64_t gen_bad_ioba(struct fuzz *f)
{
	uint64_t end = ioba_of(f, f->l.entries), v;

	switch (below(f, 5)) {
	case 0:
		return end;
	case 1:
		return end + (1 + below(f, FUZZ_PAST_PAGES)) * FUZZ_PAGE;
	case 2:
		switch (below(f, 4)) {
		case 0:
			v = 1ULL << 63;
			break;
		case 1:
			v = fuzz_rand(&f->rng) & ((1ULL << 52) - 1) & PAGE_MASK;
			break;
		case 2:
			if (f->l.win_start >= FUZZ_PAGE) {
				v = f->l.win_start - FUZZ_PAGE;	/* below the window */
				break;
			}
			/* fall through */
		default:
			v = end + (FUZZ_PAST_PAGES + 1 + below(f, 1 << 20)) * FUZZ_PAGE;
		}
		if (v >= f->l.win_start && v - f->l.win_start <= (f->l.entries + FUZZ_PAST_PAGES) *
		    FUZZ_PAGE)
			v = end + (FUZZ_PAST_PAGES + 1) * FUZZ_PAGE;
		return v;
	case 3:
		v = ioba_of(f, gen_entry(f, 1));
		return v + 1 + below(f, FUZZ_PAGE - 1);
	}
	return (UINT64_MAX & PAGE_MASK) - below(f, 16) * FUZZ_PAGE;
}

static uint64_t gen_ioba1(struct fuzz *f)
{
	return pct(f) < 92 ? ioba_of(f, gen_entry(f, 1)) : gen_bad_ioba(f);
}

static uint64_t gen_liobn(struct fuzz *f)
{
	uint64_t v, liobn = f->l.liobn;

	if (pct(f) < 96)
		return liobn;
	switch (below(f, 5)) {
	case 0:
		v = liobn + 1;
		break;
	case 1:
		v = 0;
		break;
	case 2:
		v = fuzz_rand(&f->rng) & 0xffffffffULL;
		break;
	case 3:
		v = fuzz_rand(&f->rng);
		break;
	default:
		/* the bound LIOBN in the low 32 bits: an argument is 64 bits */
		v = (liobn & 0xffffffffULL) | (1 + below(f, 0xffffffffULL)) << 32;
	}
	return v == liobn ? v ^ 0x100 : v;
}

static uint64_t gen_perm(struct fuzz *f)
{
	static const uint64_t perms[4] = { TCE_MODEL_READ, TCE_MODEL_WRITE, PERM, PERM };

	return perms[below(f, 4)];
}

static uint64_t gen_ram_page(struct fuzz *f)
{
	uint64_t pages = (f->l.ram - FUZZ_PAGE - f->l.target_lo) / FUZZ_PAGE;

	return f->l.target_lo + below(f, pages) * FUZZ_PAGE;
}

static uint64_t gen_beyond(struct fuzz *f)
{
	return f->l.ram + below(f, FUZZ_PAST_PAGES) * FUZZ_PAGE;
}

static uint64_t gen_far(struct fuzz *f)
{
	uint64_t v;

	switch (below(f, 3)) {
	case 0:
		v = 1ULL << 40;
		break;
	case 1:
		v = fuzz_rand(&f->rng) & ((1ULL << 52) - 1) & PAGE_MASK;
		break;
	default:
		v = UINT64_MAX & PAGE_MASK;
	}
	if (v < f->l.ram + PAST_SPAN)
		v = f->l.ram + PAST_SPAN + below(f, 1 << 20) * FUZZ_PAGE;
	return v;
}

static uint64_t gen_reserved(struct fuzz *f)
{
	return (1 + below(f, RSVD_MASK >> 2)) << 2;
}

/*
 * A TCE of the kind. The draws are made one statement at a time: the order
 * in which C evaluates the operands of | is not defined, the stream's is.
 */
static uint64_t gen_tce(struct fuzz *f, int kind)
{
	uint64_t last = f->l.ram - FUZZ_PAGE, v;

	switch (kind) {
	case TC_MAP_RAM:
		v = gen_ram_page(f);
		return v | gen_perm(f);
	case TC_MAP_LAST:
		return last | gen_perm(f);
	case TC_MAP_BEYOND:
		v = gen_beyond(f);
		return v | gen_perm(f);
	case TC_MAP_FAR:
		v = gen_far(f);
		return v | gen_perm(f);
	case TC_MAP_RESERVED:
		v = below(f, 4) ? gen_ram_page(f) : last;
		v |= gen_reserved(f);
		return v | gen_perm(f);
	case TC_UNMAP_0:
		return 0;
	case TC_UNMAP_ADDR:
		return below(f, 8) ? gen_ram_page(f) : last;
	case TC_UNMAP_BEYOND:
		return below(f, 2) ? gen_beyond(f) : gen_far(f);
	}
	v = below(f, 2) ? gen_ram_page(f) : 0;
	return v | gen_reserved(f);
}

/* H_PUT_TCE's TCE: 80% valid (mappings of RAM, clears) */
static int pick_put_kind(struct fuzz *f)
{
	static const struct {
		unsigned int upto;
		int kind;
	} w[] = {
		{ 58, TC_MAP_RAM }, { 64, TC_MAP_LAST }, { 74, TC_UNMAP_0 },
		{ 80, TC_UNMAP_ADDR }, { 84, TC_MAP_BEYOND }, { 88, TC_MAP_FAR },
		{ 92, TC_MAP_RESERVED }, { 96, TC_UNMAP_BEYOND }, { 100, TC_UNMAP_RESERVED },
	};
	unsigned int r = pct(f), i;

	for (i = 0; r >= w[i].upto; i++)
		;
	return w[i].kind;
}

/* n valid list entries; in one list of five, one or two of another kind */
static void gen_list(struct fuzz *f, uint64_t *list, uint64_t n)
{
	static const int odd[] = { TC_UNMAP_ADDR, TC_MAP_BEYOND, TC_MAP_FAR, TC_MAP_RESERVED,
				   TC_UNMAP_BEYOND, TC_UNMAP_RESERVED };
	uint64_t i, k, nodd;

	for (i = 0; i < n; i++) {
		unsigned int r = pct(f);

		list[i] = gen_tce(f, r < 85 ? TC_MAP_RAM : r < 88 ? TC_MAP_LAST : TC_UNMAP_0);
	}
	if (!n || pct(f) >= 20)
		return;
	nodd = 1 + below(f, 2);
	for (k = 0; k < nodd; k++) {
		uint64_t pos = n == 1 || pct(f) < 30 ? 0 : 1 + below(f, n - 1);

		list[pos] = gen_tce(f, odd[below(f, sizeof(odd) / sizeof(odd[0]))]);
	}
}

/* A count, and an IOBA to go with it, for H_STUFF_TCE or H_PUT_TCE_INDIRECT */
static void gen_range(struct fuzz *f, struct fuzz_call *c, int stuff)
{
	uint64_t entries = f->l.entries, n = 0, e;
	unsigned int r = pct(f);
	int past = 0, whole = 0;

	if (r < 20)
		n = 1;
	else if (r < (stuff ? 58 : 65))
		n = 2 + below(f, 31);
	else if (r < (stuff ? 68 : 77))
		n = 33 + below(f, 478);
	else if (r < (stuff ? 71 : 80))
		n = 511;
	else if (r < (stuff ? 75 : 85))
		n = 512;
	else if (stuff && r < 80)
		n = entries > 512 ? 513 + below(f, min_u64(4096, entries) - 512) : 512;
	else if (stuff && r < 83)
		whole = 1;
	else if (r < (stuff ? 86 : 88))
		n = 0;
	else if (!stuff && r < 91)
		n = 513 + below(f, 488);
	else if (r < (stuff ? 89 : 94))
		n = UINT64_MAX;
	else if (r < (stuff ? 92 : 96))
		n = 1ULL << 40;
	else
		past = 1;

	if (whole) {
		n = entries;
		c->args[1] = ioba_of(f, 0);
	} else if (past) {
		/* a count the rules take, a range that leaves the window */
		n = 2 + below(f, min_u64(511, entries - 1));
		e = entries - n + 1 + below(f, n - 1);
		c->args[1] = ioba_of(f, e);
	} else {
		if (n == 0)
			e = pct(f) < 30 ? entries : gen_entry(f, 1);
		else if (n > entries || (!stuff && n > TCE_MODEL_LIST_MAX))
			e = gen_entry(f, 1);
		else
			e = gen_entry(f, n);
		c->args[1] = pct(f) < 8 ? gen_bad_ioba(f) : ioba_of(f, e);
	}
	c->args[3] = n;
}

/*
 * fuzz.spare_host: an unmapping list entry whose address (reserved bits
 * included) lies in RAM becomes a read mapping of a page of the targets;
 * anything else, kept. No draw from the stream: the calls after it are
 * the same as every other path's.
 */
static uint64_t spare_host(struct fuzz *f, uint64_t tce)
{
	uint64_t span = f->l.ram - f->l.target_lo;

	if (tce & PERM || (tce & ~PERM) >= f->l.ram)
		return tce;
	f->res->spared++;
	return (f->l.target_lo + ((tce & PAGE_MASK) % span)) | TCE_MODEL_READ;
}

static void gen_indirect(struct fuzz *f, struct fuzz_call *c, unsigned int pos)
{
	uint64_t n, nl, i;
	unsigned int r;

	c->nr = TCE_H_PUT_TCE_INDIRECT;
	gen_range(f, c, 0);
	n = c->args[3];
	/* a list page of its own: the position in the batch names it */
	r = pct(f);
	if (r < 90)
		c->args[2] = f->l.lists + pos * FUZZ_PAGE;
	else if (r < 94)
		c->args[2] = f->l.ram - FUZZ_PAGE;
	else if (r < 96)
		c->args[2] = f->l.lists + pos * FUZZ_PAGE + 8 * (1 + below(f, 511));
	else if (r < 98)
		c->args[2] = gen_beyond(f);
	else
		c->args[2] = gen_far(f);
	nl = n <= TCE_MODEL_LIST_MAX ? n : 16;
	if (c->args[2] == f->l.ram - FUZZ_PAGE) {
		/* RAM's last page: one list per batch, every call there shares it */
		if (f->last_owner >= 0) {
			memcpy(c->list, f->batch[f->last_owner].list, sizeof(c->list));
		} else {
			gen_list(f, c->list, nl);
			gen_list(f, c->list + nl, TCE_MODEL_LIST_MAX - nl);
			f->last_owner = (int)pos;
		}
		nl = TCE_MODEL_LIST_MAX;
	} else {
		gen_list(f, c->list, nl);
	}
	if (f->spare_host)
		for (i = 0; i < nl; i++)
			c->list[i] = spare_host(f, c->list[i]);
	c->nlist = (unsigned int)nl;
}

static void gen_stuff(struct fuzz *f, struct fuzz_call *c)
{
	unsigned int r;

	c->nr = TCE_H_STUFF_TCE;
	gen_range(f, c, 1);
	r = pct(f);
	if (r < 80)
		c->args[2] = 0;
	else if (r < 85)
		c->args[2] = gen_ram_page(f);
	else if (r < 88)
		c->args[2] = gen_tce(f, TC_UNMAP_RESERVED);
	else if (r < 90)
		c->args[2] = gen_far(f);
	else
		c->args[2] = gen_tce(f, TC_MAP_RAM);
}

/*
 * A raced INDIRECT: 1..512 entries in the window, a list page of its own;
 * list and alt are both valid mappings of RAM, except that in three of ten
 * one entry of alt maps just beyond RAM. The batch ends with it.
 */
static void gen_raced(struct fuzz *f, struct fuzz_call *c, unsigned int pos)
{
	uint64_t n = 1 + below(f, TCE_MODEL_LIST_MAX), i;

	c->nr = TCE_H_PUT_TCE_INDIRECT;
	c->args[1] = ioba_of(f, gen_entry(f, n));
	c->args[2] = f->l.lists + pos * FUZZ_PAGE;
	c->args[3] = n;
	for (i = 0; i < n; i++) {
		c->list[i] = gen_tce(f, TC_MAP_RAM);
		c->alt[i] = gen_tce(f, TC_MAP_RAM);
	}
	c->raced = 1;
	if (pct(f) < 30) {
		c->alt[below(f, n)] = gen_tce(f, TC_MAP_BEYOND);
		c->raced = 2;
	}
	c->nlist = (unsigned int)n;
}

static void gen_call(struct fuzz *f, struct fuzz_call *c, unsigned int pos)
{
	unsigned int r = pct(f);

	c->index = f->generated;
	c->bad = 0;
	c->exited = 0;
	c->exp = c->ret = 0;
	c->exp_r4 = c->r4 = 0;
	c->nlist = 0;
	c->raced = 0;
	c->args[0] = gen_liobn(f);
	c->args[2] = c->args[3] = 0;
	if (r < 35) {
		c->nr = TCE_H_PUT_TCE;
		c->args[1] = gen_ioba1(f);
		c->args[2] = gen_tce(f, pick_put_kind(f));
	} else if (r < 55) {
		c->nr = TCE_H_GET_TCE;
		c->args[1] = gen_ioba1(f);
	} else if (r < 70) {
		gen_stuff(f, c);
	} else if (f->race && pos + 1 < FUZZ_BATCH && c->args[0] == f->l.liobn &&
		   below(f, 100) < 3) {
		gen_raced(f, c, pos);
	} else {
		gen_indirect(f, c, pos);
	}
	if (c->raced)
		c->cls = c->raced == 2 ? FZ_IND_RACED_BAD : FZ_IND_RACED;
	else
		c->cls = fuzz_classify(&f->l, c->nr, c->args, c->nlist ? c->list : NULL);
}

unsigned int fuzz_next_batch(struct fuzz *f)
{
	unsigned int i, n;

	f->n = 0;
	f->exit_cursor = 0;
	if (f->stopped || f->generated >= f->total)
		return 0;
	n = (unsigned int)min_u64(FUZZ_BATCH, f->total - f->generated);
	f->last_owner = -1;
	f->nbatches++;
	f->res->batches++;
	for (i = 0; i < n; i++) {
		gen_call(f, &f->batch[i], i);
		f->generated++;
		if (f->batch[i].raced) {
			n = i + 1;	/* the view is checked right after it */
			break;
		}
	}
	f->n = n;
	return n;
}

const struct fuzz_call *fuzz_raced_call(const struct fuzz *f)
{
	return f->n && f->batch[f->n - 1].raced ? &f->batch[f->n - 1] : NULL;
}

static void put_be64(uint8_t *p, uint64_t v)
{
	int i;

	for (i = 7; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

void fuzz_race_arm(const struct fuzz_call *c, struct mv_race *m)
{
	unsigned int i;

	m->list = c->args[2];
	m->n = c->nlist;
	for (i = 0; i < c->nlist; i++) {
		put_be64((uint8_t *)&m->a[i], c->list[i]);
		put_be64((uint8_t *)&m->b[i], c->alt[i]);
	}
}

void fuzz_write_batch(const struct fuzz *f, struct mv_fuzz_call *script, uint8_t *mem)
{
	unsigned int i, k;

	for (i = 0; i < f->n; i++) {
		const struct fuzz_call *c = &f->batch[i];
		uint64_t list = c->args[2];

		script[i].nr = c->nr;
		for (k = 0; k < 4; k++)
			script[i].arg[k] = c->args[k];
		script[i].ret = 0x5eed5eed5eed5eedULL;	/* not an answer: never made */
		script[i].r4 = 0;
		script[i].ticks = 0;
		if (c->nr != TCE_H_PUT_TCE_INDIRECT || !mem || !c->nlist ||
		    list_kind(&f->l, list) > LS_LAST)
			continue;
		for (k = 0; k < c->nlist; k++)
			put_be64(mem + list + 8ULL * k, c->list[k]);
	}
}

void fuzz_note_exit(struct fuzz *f, uint64_t nr, const uint64_t args[4])
{
	unsigned int i;

	f->res->user_exits++;
	for (i = f->exit_cursor; i < f->n; i++) {
		struct fuzz_call *c = &f->batch[i];

		if (c->nr == nr && !memcmp(c->args, args, sizeof(c->args))) {
			c->exited = 1;
			f->exit_cursor = i + 1;
			return;
		}
	}
}

/* ---- the model ---------------------------------------------------------- */

/* The model's commit: the page an entry mapped, for the DMA samples */
static enum tce_model_commit note_commit(void *ctx, const struct tce_model_window *w,
					 uint64_t idx, uint64_t old, uint64_t tce)
{
	struct fuzz *f = ctx;

	(void)w;
	(void)tce;
	if (old & PERM)
		f->last_map[idx] = old & PAGE_MASK;
	return TCE_MODEL_COMMIT_OK;
}

int fuzz_init(struct fuzz *f, const struct fuzz_layout *l, uint64_t seed, uint64_t calls,
	      struct fuzz_result *res)
{
	uint64_t nb;

	memset(f, 0, sizeof(*f));
	if (!l->entries || l->entries > (1ULL << 32) || (l->win_start & (FUZZ_PAGE - 1)) ||
	    l->win_start + l->entries * FUZZ_PAGE < l->win_start ||
	    (l->ram & (FUZZ_PAGE - 1)) || (l->target_lo & (FUZZ_PAGE - 1)) ||
	    l->target_lo + FUZZ_PAGE >= l->ram || (l->lists & (FUZZ_PAGE - 1)) ||
	    l->lists + FUZZ_BATCH * FUZZ_PAGE > l->target_lo)
		return -1;
	f->l = *l;
	f->res = res;
	f->seed = seed;
	f->rng = seed;
	/* the DMA samples' own stream: no call depends on them */
	f->dma_rng = seed ^ 0xd1b54a32d192ed03ULL;
	f->total = calls;
	f->last_owner = -1;
	f->view = calloc(l->entries, sizeof(*f->view));
	f->last_map = calloc(l->entries, sizeof(*f->last_map));
	f->stamp = calloc(l->entries, sizeof(*f->stamp));
	f->batch = calloc(FUZZ_BATCH, sizeof(*f->batch));
	if (!f->view || !f->last_map || !f->stamp || !f->batch) {
		fuzz_free(f);
		return -1;
	}
	tce_model_init(&f->model);
	if (tce_model_add_slot(&f->model, 0, l->ram, 0, NULL) ||
	    tce_model_add_window(&f->model, l->liobn, 12, l->win_start / FUZZ_PAGE, l->entries,
				 f->view)) {
		fuzz_free(f);
		return -1;
	}
	/* no page_ok: one slot, page aligned everywhere, all preregistered */
	tce_model_set_hooks(&f->model, NULL, note_commit, f);
	f->hot = l->entries > 512 ? below(f, l->entries - 512) : 0;
	nb = (calls + FUZZ_BATCH - 1) / FUZZ_BATCH;
	f->dma_every = nb / 32 > 16 ? nb / 32 : 16;
	res->ran = 1;
	res->seed = seed;
	return 0;
}

void fuzz_free(struct fuzz *f)
{
	free(f->view);
	free(f->last_map);
	free(f->stamp);
	free(f->batch);
	f->view = f->last_map = f->stamp = NULL;
	f->batch = NULL;
}

void fuzz_sync_view(struct fuzz *f, const uint64_t *view)
{
	memcpy(f->view, view, f->l.entries * sizeof(*view));
}

/*
 * A raced INDIRECT, the batch's last call: view is the path's table right
 * after it. Any mix of the two lists is a list the guest could have
 * written, so the answer must be that of one mix: H_SUCCESS with each
 * entry from list or alt (a valid one), or, when alt has an entry the
 * rules refuse, H_PARAMETER with nothing written (f->view unchanged). The
 * model takes the entries the path shows, when allowed, so that the view
 * check after the batch finds only what no mix explains.
 */
static long model_raced(struct fuzz *f, struct fuzz_call *c, const uint64_t *view)
{
	uint64_t e0 = (c->args[1] - f->l.win_start) / FUZZ_PAGE, i, from_alt = 0;

	f->res->raced++;
	if (c->ret == TCE_H_PARAMETER && c->raced == 2) {
		f->res->raced_refused++;
		return TCE_H_PARAMETER;
	}
	for (i = 0; i < c->nlist; i++) {
		uint64_t got = view[e0 + i], tce = c->list[i];

		if (got != tce && got == c->alt[i] && tce_kind(&f->l, got) == TC_MAP_RAM) {
			tce = got;
			from_alt++;
		}
		tce_model_put(&f->model, c->args[0], c->args[1] + i * FUZZ_PAGE, tce);
	}
	if (from_alt && from_alt < c->nlist)
		f->res->raced_mixed++;
	return TCE_H_SUCCESS;
}

static long model_call(struct fuzz *f, struct fuzz_call *c)
{
	uint64_t be[TCE_MODEL_LIST_MAX], n = c->args[3], i;

	switch (c->nr) {
	case TCE_H_PUT_TCE:
		return tce_model_put(&f->model, c->args[0], c->args[1], c->args[2]);
	case TCE_H_GET_TCE:
		return tce_model_get(&f->model, c->args[0], c->args[1], &c->exp_r4);
	case TCE_H_STUFF_TCE:
		return tce_model_stuff(&f->model, c->args[0], c->args[1], c->args[2], n);
	}
	/* the list as the guest's memory holds it: big-endian */
	for (i = 0; i < n && i < c->nlist; i++)
		put_be64((uint8_t *)&be[i], c->list[i]);
	for (; i < n && i < TCE_MODEL_LIST_MAX; i++)
		be[i] = 0;
	return tce_model_put_indirect(&f->model, c->args[0], c->args[1], be, c->args[2], n);
}

/* The entries a call may have written: 0 when none */
static int call_range(const struct fuzz *f, const struct fuzz_call *c, uint64_t *first,
		      uint64_t *count)
{
	uint64_t e = 0, n;
	int k;

	if (c->nr == TCE_H_GET_TCE || c->args[0] != f->l.liobn)
		return 0;
	k = ioba_kind(&f->l, c->args[1], &e);
	if (k != IO_FIRST && k != IO_LAST && k != IO_INSIDE)
		return 0;
	n = c->nr == TCE_H_PUT_TCE ? 1 : min_u64(c->args[3], f->l.entries - e);
	if (!n)
		return 0;
	*first = e;
	*count = n;
	return 1;
}

/* What call c asked entry e (which it covers) to become: 0 when nothing known */
static int value_asked(const struct fuzz_call *c, uint64_t first, uint64_t e, uint64_t *v)
{
	switch (c->nr) {
	case TCE_H_PUT_TCE:
	case TCE_H_STUFF_TCE:
		*v = c->args[2];
		return 1;
	}
	if (e - first >= c->nlist)
		return 0;
	*v = c->list[e - first];
	return 1;
}

/*
 * The call of the batch to blame for entry e holding got, among those whose
 * range covers e, the last of: those whose answer disagreed; else those
 * that asked for that value (a refused call that wrote anyway); else those
 * the model carried out (the model holds the last one's value); else any.
 * -1: no call covers it.
 */
static int last_writer(const struct fuzz *f, uint64_t e, uint64_t got)
{
	uint64_t first, n, v;
	int i, pass;

	for (pass = 0; pass < 4; pass++) {
		for (i = (int)f->n - 1; i >= 0; i--) {
			const struct fuzz_call *c = &f->batch[i];

			if (!call_range(f, c, &first, &n) || e < first || e - first >= n)
				continue;
			if (pass == 0 && !(c->bad & ~FUZZ_BAD_VIEW))
				continue;
			if (pass == 1 && (!value_asked(c, first, e, &v) || v != got))
				continue;
			if (pass == 2 && c->exp != TCE_H_SUCCESS)
				continue;
			return i;
		}
	}
	return -1;
}

/* ---- reports ------------------------------------------------------------ */

static int may_print(struct fuzz *f)
{
	if (!f->out)
		return 0;
	if (f->stop_first)
		return 1;
	return f->lines < UPSTREAM_LINES ? (f->lines++, 1) : 0;
}

static void describe(const struct fuzz *f, const struct fuzz_call *c, char *buf, size_t len)
{
	size_t o;
	uint64_t i, shown = 0, odd = 0, n = c->args[3];

	o = (size_t)snprintf(buf, len, "%s liobn=0x%llx ioba=0x%llx", fuzz_hcall_name(c->nr),
			     (unsigned long long)c->args[0], (unsigned long long)c->args[1]);
	switch (c->nr) {
	case TCE_H_PUT_TCE:
		snprintf(buf + o, len - o, " tce=0x%llx", (unsigned long long)c->args[2]);
		return;
	case TCE_H_GET_TCE:
		return;
	case TCE_H_STUFF_TCE:
		snprintf(buf + o, len - o, " value=0x%llx npages=%llu",
			 (unsigned long long)c->args[2], (unsigned long long)n);
		return;
	}
	o += (size_t)snprintf(buf + o, len - o, " list=0x%llx npages=%llu",
			      (unsigned long long)c->args[2], (unsigned long long)n);
	if (n > TCE_MODEL_LIST_MAX || !n)
		return;
	for (i = 0; i < n && i < c->nlist && o < len; i++) {
		int k = tce_kind(&f->l, c->list[i]);

		if (entry_is_plain(k))
			continue;
		odd++;
		if (shown++ < SHOW_ENTRIES)
			o += (size_t)snprintf(buf + o, len - o, " [%llu]=0x%llx (%s)",
					      (unsigned long long)i,
					      (unsigned long long)c->list[i], tce_kind_names[k]);
	}
	if (o >= len)
		return;
	if (!odd)
		snprintf(buf + o, len - o, ", every entry valid");
	else if (odd > SHOW_ENTRIES)
		snprintf(buf + o, len - o, " and %llu more not valid",
			 (unsigned long long)(odd - SHOW_ENTRIES));
}

static void report_call(struct fuzz *f, const struct fuzz_call *c)
{
	char what[512], e[24], a[24];

	if (!may_print(f))
		return;
	describe(f, c, what, sizeof(what));
	fprintf(f->out, "%s: DISAGREEMENT seed %llu call %llu: %s: model %s",
		f->label, (unsigned long long)f->seed, (unsigned long long)c->index, what,
		rc_str(c->exp, e, sizeof(e)));
	if (c->bad & FUZZ_BAD_R4)
		fprintf(f->out, " r4=0x%llx", (unsigned long long)c->exp_r4);
	fprintf(f->out, ", %s %s", f->path, rc_str(c->ret, a, sizeof(a)));
	if (c->bad & FUZZ_BAD_R4)
		fprintf(f->out, " r4=0x%llx", (unsigned long long)c->r4);
	if (c->bad & FUZZ_BAD_EXIT)
		fprintf(f->out, ", and it was left to userspace (KVM_EXIT_PAPR_HCALL): a bound LIOBN's calls never are");
	else if (c->exited && f->kernel)
		fprintf(f->out, " (the kernel left it to userspace; minivmm answered)");
	if (c->bad & FUZZ_BAD_VIEW)
		fprintf(f->out, "%s it was the last call to write an entry that differs (below)",
			c->bad & ~FUZZ_BAD_VIEW ? ";" : ", but");
	fprintf(f->out, " [%s]\n", fuzz_class_name(c->cls));
}

static void report_view(struct fuzz *f, uint64_t e, uint64_t want, uint64_t got, int w)
{
	if (!may_print(f))
		return;
	fprintf(f->out, "%s: VIEW seed %llu after call %llu: entry %llu (ioba 0x%llx): model 0x%llx, %s 0x%llx, ",
		f->label, (unsigned long long)f->seed,
		(unsigned long long)f->batch[f->n - 1].index, (unsigned long long)e,
		(unsigned long long)ioba_of(f, e), (unsigned long long)want, f->path,
		(unsigned long long)got);
	if (w < 0)
		fprintf(f->out, "and no call of the batch wrote it\n");
	else
		fprintf(f->out, "last written by call %llu [%s]\n",
			(unsigned long long)f->batch[w].index, fuzz_class_name(f->batch[w].cls));
}

static void report_repro(struct fuzz *f, uint64_t index)
{
	if (!f->out)
		return;
	fprintf(f->out, "%s: reproduce: minivmm --workloads fuzz --paths %s --seed %llu --calls %llu%s\n",
		f->label, f->path, (unsigned long long)f->seed, (unsigned long long)index + 1,
		f->repro);
}

static void stop(struct fuzz *f, uint64_t index, const char *what)
{
	f->stopped = 1;
	snprintf(f->res->stopped, sizeof(f->res->stopped), "%s at call %llu (seed %llu)", what,
		 (unsigned long long)index, (unsigned long long)f->seed);
	report_repro(f, index);
}

/* ---- the check ---------------------------------------------------------- */

int fuzz_check_batch(struct fuzz *f, const struct mv_fuzz_call *script, const uint64_t *view)
{
	struct fuzz_result *res = f->res;
	uint64_t stamp = f->nbatches, e = 0, first, n, ndiff = 0, untouched = 0;
	int first_bad = -1, w, shown = 0;
	unsigned int i;

	if (!f->n)
		return 0;
	for (i = 0; i < f->n; i++) {
		struct fuzz_call *c = &f->batch[i];
		struct fuzz_class_stat *st = &res->cls[c->cls];

		c->ret = (long)(int64_t)script[i].ret;
		c->r4 = script[i].r4;
		c->exp = c->raced ? model_raced(f, c, view) : model_call(f, c);
		res->calls++;
		res->rc_actual[rc_slot(c->ret)]++;
		res->rc_expected[rc_slot(c->exp)]++;
		res->ticks += script[i].ticks;
		st->calls++;
		st->ticks += script[i].ticks;
		if (c->exited && f->kernel && c->args[0] == f->l.liobn) {
			res->bound_exits++;
			st->exits++;
			if (f->no_bound_exits)
				c->bad |= FUZZ_BAD_EXIT;
		}
		if (c->ret != c->exp) {
			c->bad |= FUZZ_BAD_RC;
		} else if (c->nr == TCE_H_GET_TCE && c->exp == TCE_H_SUCCESS &&
			   c->r4 != c->exp_r4) {
			ioba_kind(&f->l, c->args[1], &e);
			if (f->stamp[e] == stamp)
				res->get_followups++;	/* an earlier diff changed it */
			else
				c->bad |= FUZZ_BAD_R4;
		}
		if (c->bad & (FUZZ_BAD_RC | FUZZ_BAD_R4))
			st->rc_diffs++;
		if (!c->bad)
			continue;
		if (first_bad < 0)
			first_bad = (int)i;
		/* what the path did to its entries is now unknown */
		if (call_range(f, c, &first, &n))
			for (e = first; e < first + n; e++)
				f->stamp[e] = stamp;
	}

	/* the whole view, each differing entry blamed on its last writer */
	res->view_checks++;
	for (e = 0; e < f->l.entries; e++) {
		if (f->view[e] == view[e])
			continue;
		ndiff++;
		w = last_writer(f, e, view[e]);
		if (w < 0) {
			untouched++;
		} else if (!(f->batch[w].bad & FUZZ_BAD_VIEW)) {
			f->batch[w].bad |= FUZZ_BAD_VIEW;
			res->cls[f->batch[w].cls].view_diffs++;
			if (first_bad < 0 || w < first_bad)
				first_bad = w;
		}
	}
	res->view_entries_differing += ndiff;
	res->view_untouched += untouched;

	/* count and print: a stopping path its first diff, the others one per class */
	for (i = 0; i < f->n; i++) {
		struct fuzz_call *c = &f->batch[i];

		if (!c->bad)
			continue;
		res->disagreements++;
		if (f->stop_first ? (int)i == first_bad : !f->printed[c->cls]) {
			f->printed[c->cls] = 1;
			report_call(f, c);
		}
	}
	if (untouched)
		res->disagreements++;
	if (f->stop_first && first_bad >= 0) {
		unsigned int more = 0;

		for (i = first_bad + 1; i < f->n; i++)
			more += f->batch[i].bad != 0;
		if (more && may_print(f))
			fprintf(f->out, "%s: and %u later calls of the batch disagreed (maybe as a consequence)\n",
				f->label, more);
	}
	if (ndiff && (f->stop_first || untouched || (first_bad >= 0 &&
						     f->printed[f->batch[first_bad].cls] == 1))) {
		for (e = 0; e < f->l.entries && shown < VIEW_LINES; e++) {
			if (f->view[e] == view[e])
				continue;
			report_view(f, e, f->view[e], view[e], last_writer(f, e, view[e]));
			shown++;
		}
		if (ndiff > VIEW_LINES && may_print(f))
			fprintf(f->out, "%s: VIEW %llu entries differ in all\n", f->label,
				(unsigned long long)ndiff);
	}
	if (first_bad >= 0)
		f->printed[f->batch[first_bad].cls] = 2;	/* its view lines are out */

	if (f->stop_first && (first_bad >= 0 || untouched)) {
		uint64_t at = first_bad >= 0 ? f->batch[first_bad].index : f->batch[f->n - 1].index;

		stop(f, at, first_bad >= 0 ? "disagreement with the model" :
		     "the view differs from the model's");
		return -1;
	}
	/* a path that goes on: carry on from what it has, so diffs do not cascade */
	if (ndiff)
		fuzz_sync_view(f, view);
	return 0;
}

/* ---- DMA samples -------------------------------------------------------- */

int fuzz_dma_due(const struct fuzz *f, int last)
{
	return !f->stopped && (last || (f->nbatches % f->dma_every) == 0);
}

static int in_target(const struct fuzz *f, uint64_t gpa)
{
	return gpa >= f->l.target_lo && gpa < f->l.ram;
}

unsigned int fuzz_dma_pick(struct fuzz *f, struct fuzz_dma *s)
{
	uint64_t start = fuzz_rand(&f->dma_rng) % f->l.entries, k, e, v;
	unsigned int n = 0, nm = 0, i;

	for (k = 0; k < f->l.entries && nm < FUZZ_DMA_MAPPED; k++) {
		e = (start + k) % f->l.entries;
		v = f->view[e];
		if ((v & PERM) != PERM || (v & RSVD_MASK) || !in_target(f, v & PAGE_MASK))
			continue;
		for (i = 0; i < n && s[i].gpa != (v & PAGE_MASK); i++)
			;
		if (i < n)
			continue;	/* one page, one sample */
		s[n++] = (struct fuzz_dma){ 1, e, ioba_of(f, e), v & PAGE_MASK };
		nm++;
	}
	for (k = 0; k < f->l.entries && n < nm + FUZZ_DMA_UNMAPPED; k++) {
		e = (start + k) % f->l.entries;
		v = f->last_map[e];
		if ((f->view[e] & PERM) || !v || !in_target(f, v))
			continue;
		for (i = 0; i < nm && s[i].gpa != v; i++)
			;
		if (i < nm)
			continue;
		s[n++] = (struct fuzz_dma){ 0, e, ioba_of(f, e), v };
	}
	return n;
}

int fuzz_dma_result(struct fuzz *f, const struct fuzz_dma *s, int ok, const char *why)
{
	uint64_t at = f->generated ? f->generated - 1 : 0;

	if (ok) {
		f->res->dma_passed++;
		return 0;
	}
	f->res->dma_failed++;
	if (may_print(f))
		fprintf(f->out, "%s: DMA seed %llu after call %llu: entry %llu (iova 0x%llx), %s page 0x%llx in the model: %s\n",
			f->label, (unsigned long long)f->seed, (unsigned long long)at,
			(unsigned long long)s->idx, (unsigned long long)s->iova,
			s->mapped ? "mapping RW the" : "unmapped, it last mapped the",
			(unsigned long long)s->gpa, why);
	if (!f->stop_first)
		return 0;
	stop(f, at, "a DMA check failed");
	return -1;
}
