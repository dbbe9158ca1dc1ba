// SPDX-License-Identifier: GPL-2.0
/*
 * minivmm's guest: reads its plan and DMA window from the device tree, runs
 * the TCE hypercall workloads, times every call with the timebase, writes
 * the results into guest memory for minivmm, and stops with MV_H_DONE.
 * Freestanding, real mode, no interrupts, no floating point.
 */
#include <stddef.h>
#include <stdint.h>

#include "../abi.h"
#include "../../../selftests/lib/hcall.h"

#define TCE_RW			(TCE_PCI_READ | TCE_PCI_WRITE)
#define TCE_READ		TCE_PCI_READ
#define TCE_WRITE		TCE_PCI_WRITE
#define PAGE_SHIFT		12
#define SAMPLE_ENTRIES		3	/* at the top of the window */

long hcall(unsigned long nr, unsigned long a0, unsigned long a1,
	   unsigned long a2, unsigned long a3, unsigned long *r4);
long hcall_timed(unsigned long nr, unsigned long a0, unsigned long a1,
		 unsigned long a2, unsigned long a3, unsigned long *r4,
		 uint64_t *ticks);

void *memset(void *s, int c, size_t n)
{
	unsigned char *p = s;

	while (n--)
		*p++ = (unsigned char)c;
	return s;
}

void *memcpy(void *d, const void *s, size_t n)
{
	unsigned char *dp = d;
	const unsigned char *sp = s;

	while (n--)
		*dp++ = *sp++;
	return d;
}

static size_t str_len(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

static int str_eq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

static int mem_eq(const char *a, const char *b, size_t n)
{
	while (n--)
		if (*a++ != *b++)
			return 0;
	return 1;
}

static uint32_t be32(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static uint64_t be64(const void *p)
{
	return (uint64_t)be32(p) << 32 | be32((const uint8_t *)p + 4);
}

/* ---- console ---------------------------------------------------------- */

static void put_chunk(const char *s, unsigned long n)
{
	unsigned long w[2] = { 0, 0 };
	unsigned long i;

	/* up to 16 bytes, packed big-endian into r6 and r7 */
	for (i = 0; i < n; i++)
		w[i / 8] |= (unsigned long)(unsigned char)s[i] << (56 - 8 * (i % 8));
	hcall(H_PUT_TERM_CHAR, 0, n, w[0], w[1], NULL);
}

static void puts_(const char *s)
{
	size_t n = str_len(s);

	while (n) {
		unsigned long c = n > 16 ? 16 : n;

		put_chunk(s, c);
		s += c;
		n -= c;
	}
}

static void putu(uint64_t v)
{
	char buf[24];
	int i = 23;

	buf[i] = '\0';
	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	puts_(buf + i);
}

/* ---- device tree ------------------------------------------------------ */

#define FDT_MAGIC	0xd00dfeed
#define FDT_BEGIN_NODE	1
#define FDT_END_NODE	2
#define FDT_PROP	3
#define FDT_NOP		4
#define FDT_END		9

/*
 * The value of property `name` of the first node whose name starts with
 * `node` (any node when NULL) at the given depth (the root is 0), or at any
 * depth when depth < 0.
 */
static const uint8_t *fdt_prop(const uint8_t *fdt, const char *node, int depth,
			       const char *name, uint32_t *len)
{
	const uint8_t *st, *strs;
	uint32_t off, end;
	int d = 0, match = 0;

	if (be32(fdt) != FDT_MAGIC)
		return NULL;
	st = fdt + be32(fdt + 8);
	strs = fdt + be32(fdt + 12);
	end = be32(fdt + 36);
	for (off = 0; off < end;) {
		uint32_t tok = be32(st + off);

		off += 4;
		if (tok == FDT_BEGIN_NODE) {
			const char *nm = (const char *)st + off;
			size_t n = str_len(nm);

			d++;
			if (depth < 0 || d - 1 == depth) {
				size_t k = node ? str_len(node) : 0;

				match = !node || (n >= k && mem_eq(nm, node, k));
			} else if (depth >= 0 && d - 1 < depth) {
				match = 0;
			}
			off += (uint32_t)((n + 4) & ~3UL);
		} else if (tok == FDT_END_NODE) {
			d--;
			match = 0;
		} else if (tok == FDT_PROP) {
			uint32_t l = be32(st + off), no = be32(st + off + 4);

			if (match && str_eq((const char *)strs + no, name)) {
				*len = l;
				return st + off + 8;
			}
			off += 8 + ((l + 3) & ~3U);
		} else if (tok == FDT_NOP) {
			continue;
		} else {
			break;
		}
	}
	return NULL;
}

/* ---- workloads -------------------------------------------------------- */

struct ctx {
	unsigned long cpu;
	uint64_t liobn, win_start, entries;	/* usable entries */
	unsigned int shift;			/* the window's IOMMU pages */
	uint64_t scratch, scratch_pages;
	uint64_t src, dst;			/* DMA sample pages */
	uint64_t *list;				/* this vCPU's TCE list page */
	uint8_t *results;
	uint32_t flags;
};

struct run {
	struct mv_result *res;
	uint32_t *samples;
	uint64_t max_samples;
};

static uint64_t ioba_of(struct ctx *c, uint64_t idx)
{
	return c->win_start + (idx << c->shift);
}

/* scratch_pages: of the window's IOMMU page size */
static uint64_t tce_of(struct ctx *c, uint64_t i, uint64_t perm)
{
	return (c->scratch + ((i % c->scratch_pages) << c->shift)) | perm;
}

/* One timed hypercall into the workload's record. */
static long timed(struct run *r, unsigned long nr, unsigned long a0,
		  unsigned long a1, unsigned long a2, unsigned long a3,
		  unsigned long *r4, uint64_t tces)
{
	uint64_t t = 0;
	long rc = hcall_timed(nr, a0, a1, a2, a3, r4, &t);

	r->res->calls++;
	r->res->tces += tces;
	r->res->ticks += t;
	if (r->res->nsamples < r->max_samples)
		r->samples[r->res->nsamples++] = t > 0xffffffffULL ? 0xffffffffU : (uint32_t)t;
	if (rc != H_SUCCESS && r->res->status == H_SUCCESS)
		r->res->status = rc;
	return rc;
}

/* Untimed cleanup: clear [first, first + n) with H_STUFF_TCE. */
static long clear_range(struct ctx *c, uint64_t first, uint64_t n)
{
	return hcall(H_STUFF_TCE, c->liobn, ioba_of(c, first), 0, n, NULL);
}

static void wl_put(struct ctx *c, struct run *r, uint64_t calls,
		   uint64_t first, uint64_t n)
{
	uint64_t i;

	for (i = 0; i + 1 < calls || (calls == 1 && i == 0); i += 2) {
		uint64_t idx = first + (i / 2) % n;

		if (timed(r, H_PUT_TCE, c->liobn, ioba_of(c, idx),
			  tce_of(c, i / 2, TCE_RW), 0, NULL, 1))
			return;
		if (calls > 1 && timed(r, H_PUT_TCE, c->liobn, ioba_of(c, idx),
				       0, 0, NULL, 1))
			return;
	}
}

static void wl_indirect(struct ctx *c, struct run *r, uint64_t calls,
			uint64_t batch)
{
	uint64_t i, k, span = c->entries - batch + 1;

	for (i = 0; i < calls; i++) {
		uint64_t first = (i * batch) % span;

		for (k = 0; k < batch; k++)
			c->list[k] = __builtin_bswap64(tce_of(c, i * batch + k, TCE_RW));
		if (timed(r, H_PUT_TCE_INDIRECT, c->liobn, ioba_of(c, first),
			  (unsigned long)c->list, batch, NULL, batch))
			break;
	}
}

static void wl_stuff(struct ctx *c, struct run *r, uint64_t calls,
		     uint64_t batch)
{
	uint64_t i, span = c->entries - batch + 1;

	for (i = 0; i < calls; i++)
		if (timed(r, H_STUFF_TCE, c->liobn, ioba_of(c, (i * batch) % span),
			  0, batch, NULL, batch))
			break;
}

static void wl_get(struct ctx *c, struct run *r, uint64_t calls)
{
	unsigned long val = 0;
	uint64_t i;

	for (i = 0; i < calls; i++) {
		if (timed(r, H_GET_TCE, c->liobn, ioba_of(c, i % c->entries), 0, 0,
			  &val, 1))
			break;
		if ((i % c->entries) == 0 && val != tce_of(c, 0, TCE_RW)) {
			r->res->status = -9999;	/* the table lost what was put */
			break;
		}
	}
}

static void wl_map_window(struct ctx *c, struct run *r, uint64_t calls)
{
	uint64_t pass, first;

	for (pass = 0; pass < calls; pass++) {
		for (first = 0; first < c->entries; first += 512) {
			uint64_t n = c->entries - first < 512 ? c->entries - first : 512;
			uint64_t k;

			for (k = 0; k < n; k++)
				c->list[k] = __builtin_bswap64(tce_of(c, first + k, TCE_RW));
			if (timed(r, H_PUT_TCE_INDIRECT, c->liobn, ioba_of(c, first),
				  (unsigned long)c->list, n, NULL, n))
				return;
		}
		if (timed(r, H_STUFF_TCE, c->liobn, ioba_of(c, 0), 0, c->entries,
			  NULL, c->entries))
			return;
	}
}

static void wl_random(struct ctx *c, struct run *r, uint64_t calls)
{
	uint64_t i, x = 0x9e3779b97f4a7c15ULL ^ c->cpu;

	for (i = 0; i < calls; i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		if (timed(r, H_PUT_TCE, c->liobn, ioba_of(c, (x >> 33) % c->entries),
			  tce_of(c, i, TCE_RW), 0, NULL, 1))
			break;
	}
}

/* nr: H_SET_DABR (value 0) or H_PROD (of this vCPU) */
static void wl_floor(struct run *r, uint64_t calls, unsigned long nr,
		     unsigned long cpu)
{
	unsigned long arg = nr == H_SET_DABR ? 0 : cpu;
	uint64_t i;

	for (i = 0; i < calls; i++)
		if (timed(r, nr, arg, 0, 0, 0, NULL, 0))
			break;
}

/*
 * The DMA samples: entry A -> src (device reads), B -> dst (device writes),
 * C mapped to dst and unmapped again. minivmm checks A/B carry a DMA and C
 * does not, then lets the guest clear A and B.
 */
static long samples_map(struct ctx *c)
{
	uint64_t a = c->entries, b = a + 1, cc = a + 2;
	long rc;

	rc = hcall(H_PUT_TCE, c->liobn, ioba_of(c, a), c->src | TCE_READ, 0, NULL);
	rc = rc ? rc : hcall(H_PUT_TCE, c->liobn, ioba_of(c, b), c->dst | TCE_WRITE, 0, NULL);
	rc = rc ? rc : hcall(H_PUT_TCE, c->liobn, ioba_of(c, cc), c->dst | TCE_RW, 0, NULL);
	rc = rc ? rc : hcall(H_PUT_TCE, c->liobn, ioba_of(c, cc), 0, 0, NULL);
	return rc;
}

static void fail(const char *why, long status)
{
	puts_("minivmm-guest: ");
	puts_(why);
	puts_("\n");
	hcall(MV_H_DONE, (unsigned long)status, 0, 0, 0, NULL);
	for (;;)
		;
}

/*
 * The fuzz workload: minivmm writes a script of hypercalls at the plan's
 * sample offset; the guest makes them in order, stores r3 and r4 of each,
 * and asks for the next script (MV_H_FUZZ_BATCH, with the number of calls
 * made) until minivmm answers none. minivmm checks the answers.
 */
static void wl_fuzz(struct ctx *c, struct run *r, uint32_t plan_idx,
		    const struct mv_plan_entry *pe)
{
	volatile struct mv_fuzz_call *s =
		(volatile struct mv_fuzz_call *)(c->results + pe->samples);
	unsigned long made = 0, next = 0, i;
	long rc;

	if (pe->stride < MV_FUZZ_BATCH_MAX * sizeof(struct mv_fuzz_call))
		fail("fuzz script area too small", -1);
	for (;;) {
		rc = hcall(MV_H_FUZZ_BATCH, plan_idx, made, 0, 0, &next);
		if (rc != H_SUCCESS) {
			r->res->status = rc;
			return;
		}
		if (!next)
			return;
		if (next > MV_FUZZ_BATCH_MAX)
			fail("fuzz script too long", -1);
		for (i = 0; i < next; i++) {
			unsigned long r4 = 0;
			uint64_t t = 0;

			s[i].ret = (uint64_t)hcall_timed(s[i].nr, s[i].arg[0], s[i].arg[1],
							 s[i].arg[2], s[i].arg[3], &r4, &t);
			s[i].r4 = r4;
			s[i].ticks = t;
		}
		r->res->calls += next;
		r->res->tces += next;
		made = next;
	}
}

/*
 * The fuzz's second vCPU (struct mv_race): rewrites the raced INDIRECT's
 * list from a[] and b[] in turn while minivmm says GO, one 8-byte store an
 * entry (an entry is old or new, never torn), and answers each STOP once.
 */
static void wl_race(volatile struct mv_race *m)
{
	uint64_t round = 0, i, n, state, seq;

	for (;;) {
		state = __atomic_load_n(&m->state, __ATOMIC_ACQUIRE);
		seq = MV_RACE_SEQ(state);
		state = MV_RACE_KIND(state);
		if (state == MV_RACE_DONE)
			return;
		if (state == MV_RACE_GO) {
			volatile uint64_t *dst = (volatile uint64_t *)(unsigned long)m->list;
			const volatile uint64_t *src = round++ & 1 ? m->b : m->a;

			n = m->n < 512 ? m->n : 512;
			for (i = 0; i < n; i++)
				dst[i] = src[i];
			m->rounds++;
			if (m->started != seq)
				__atomic_store_n(&m->started, seq, __ATOMIC_RELEASE);
		} else if (state == MV_RACE_STOP && m->ack != seq) {
			/* every store of the list before the answer */
			__atomic_store_n(&m->ack, seq, __ATOMIC_RELEASE);
		}
	}
}

static uint64_t cells64(const uint8_t *p)
{
	return be64(p);
}

void guest_main(const uint8_t *fdt, unsigned long cpu);
void guest_main(const uint8_t *fdt, unsigned long cpu)
{
	const uint8_t *plan, *win, *p;
	struct mv_results *res;
	struct ctx c = { .cpu = cpu };
	uint32_t len, n, i;
	long status = H_SUCCESS;

	plan = fdt_prop(fdt, "chosen", 1, "minivmm,plan", &len);
	if (!plan || len < MV_PLAN_HDR_CELLS * 4 || be32(plan) != MV_PLAN_VERSION)
		fail("no usable /chosen/minivmm,plan", -1);
	n = be32(plan + 4);
	c.flags = be32(plan + 8);
	if (len < (MV_PLAN_HDR_CELLS + n * MV_PLAN_CELLS) * 4)
		fail("short plan", -1);
	/* ibm,dma-window: liobn, 2 cells of bus address, 2 cells of size */
	win = fdt_prop(fdt, NULL, -1, "ibm,dma-window", &len);
	if (!win || len != 20)
		fail("no ibm,dma-window", -1);
	c.liobn = be32(win);
	c.win_start = be64(win + 4);
	c.shift = PAGE_SHIFT;
	p = fdt_prop(fdt, "chosen", 1, "minivmm,iommu-page-shift", &len);
	if (p && len == 4)
		c.shift = be32(p);
	c.entries = (be64(win + 12) >> c.shift);
	if (c.entries <= SAMPLE_ENTRIES + 512)
		fail("DMA window too small", -1);
	c.entries -= SAMPLE_ENTRIES;
	p = fdt_prop(fdt, "chosen", 1, "minivmm,results", &len);
	if (!p || len != 16)
		fail("no minivmm,results", -1);
	c.results = (uint8_t *)(unsigned long)cells64(p);
	p = fdt_prop(fdt, "chosen", 1, "minivmm,scratch", &len);
	if (!p || len != 16)
		fail("no minivmm,scratch", -1);
	c.scratch = cells64(p);
	c.scratch_pages = cells64(p + 8) >> c.shift;
	p = fdt_prop(fdt, "chosen", 1, "minivmm,samples", &len);
	if (!p || len != 16)
		fail("no minivmm,samples", -1);
	c.src = cells64(p);
	c.dst = cells64(p + 8);
	p = fdt_prop(fdt, "chosen", 1, "minivmm,lists", &len);
	if (!p || len != 8)
		fail("no minivmm,lists", -1);
	c.list = (uint64_t *)(unsigned long)(cells64(p) + cpu * 4096);
	res = (struct mv_results *)c.results;

	if (cpu == 0) {
		puts_("minivmm-guest: liobn ");
		putu(c.liobn);
		puts_(", ");
		putu(c.entries);
		puts_(" entries, ");
		putu(n);
		puts_(" workloads\n");
	}
	for (i = 0; i < n; i++) {
		const uint8_t *e = plan + (MV_PLAN_HDR_CELLS + i * MV_PLAN_CELLS) * 4;
		struct mv_plan_entry pe = {
			.id = be32(e), .calls = be32(e + 4), .batch = be32(e + 8),
			.nvcpus = be32(e + 12), .samples = be64(e + 16),
			.stride = be32(e + 24), .slot = be32(e + 28),
		};
		struct run r;
		uint64_t per;

		if (cpu >= pe.nvcpus)
			continue;
		if (pe.id == MV_WL_FUZZ && cpu) {
			wl_race((volatile struct mv_race *)(unsigned long)MV_GPA_RACE);
			continue;
		}
		if (pe.slot + cpu >= MV_MAX_RESULTS)
			fail("result slot out of range", -1);
		r.res = &res->r[pe.slot + cpu];
		r.res->id = pe.id;
		r.res->vcpu = (uint32_t)cpu;
		r.samples = (uint32_t *)(c.results + pe.samples + cpu * pe.stride);
		r.max_samples = pe.stride / 4;
		per = c.entries / pe.nvcpus;
		/* untimed preparation, outside the START..DONE marks */
		if (pe.id == MV_WL_GET)
			hcall(H_PUT_TCE, c.liobn, ioba_of(&c, 0), tce_of(&c, 0, TCE_RW), 0, NULL);
		hcall(MV_H_MARK, i, MV_MARK_WORKLOAD_START, 0, 0, NULL);

		switch (pe.id) {
		case MV_WL_PUT:
			wl_put(&c, &r, pe.calls, 0, c.entries);
			break;
		case MV_WL_INDIRECT:
			if (pe.batch < 1 || pe.batch > 512)
				fail("bad INDIRECT batch", -1);
			wl_indirect(&c, &r, pe.calls, pe.batch);
			break;
		case MV_WL_STUFF:
			if (pe.batch < 1 || pe.batch > c.entries)
				fail("bad STUFF batch", -1);
			wl_stuff(&c, &r, pe.calls, pe.batch);
			break;
		case MV_WL_GET:
			wl_get(&c, &r, pe.calls);
			break;
		case MV_WL_MAP_WINDOW:
			wl_map_window(&c, &r, pe.calls);
			break;
		case MV_WL_RANDOM:
			wl_random(&c, &r, pe.calls);
			break;
		case MV_WL_PUT_MT:
			wl_put(&c, &r, pe.calls, cpu * per, per);
			break;
		case MV_WL_PUT_SHARED:
			wl_put(&c, &r, pe.calls, 0, c.entries);
			break;
		case MV_WL_NULL:
			wl_floor(&r, pe.calls, MV_H_NULL, cpu);
			break;
		case MV_WL_FLOOR:
			wl_floor(&r, pe.calls, pe.batch, cpu);
			break;
		case MV_WL_FUZZ:
			wl_fuzz(&c, &r, i, &pe);
			break;
		default:
			fail("unknown workload", -1);
		}
		if (r.res->status != H_SUCCESS && status == H_SUCCESS)
			status = r.res->status;
		if (cpu == 0 && res->nresults < pe.slot + pe.nvcpus)
			res->nresults = pe.slot + pe.nvcpus;
		hcall(MV_H_MARK, i, MV_MARK_WORKLOAD_DONE, 0, 0, NULL);
		/* untimed cleanup: whatever the workload left mapped */
		if (cpu == 0 && (pe.id == MV_WL_GET || pe.id == MV_WL_INDIRECT ||
				 pe.id == MV_WL_RANDOM))
			clear_range(&c, 0, c.entries);
		/* the fuzz used the whole window, sample entries included */
		if (cpu == 0 && pe.id == MV_WL_FUZZ)
			clear_range(&c, 0, c.entries + SAMPLE_ENTRIES);
		/* (the fuzz makes DMA checks of its own) */
		if (cpu == 0 && pe.nvcpus == 1 && pe.id != MV_WL_FUZZ &&
		    (c.flags & MV_PLAN_F_DMA_SAMPLES)) {
			long rc = samples_map(&c);

			if (rc && status == H_SUCCESS)
				status = rc;
			hcall(MV_H_MARK, i, MV_MARK_SAMPLES_MAPPED, (unsigned long)rc, 0, NULL);
			clear_range(&c, c.entries, SAMPLE_ENTRIES);
		}
	}
	if (cpu == 0)
		res->magic = MV_RESULTS_MAGIC;
	hcall(MV_H_DONE, (unsigned long)status, 0, 0, 0, NULL);
	for (;;)
		;
}
