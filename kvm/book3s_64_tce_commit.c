// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM_CREATE_SPAPR_TCE_IOMMU: resolve, commit, invalidate, release.
 *
 * The one implementation of a change of guest TCEs into the hardware
 * tables of a bound LIOBN, in four steps that callers run in this order:
 *
 * 1. kvmppc_tce_resolve(): every entry of the call is checked against the
 *    rules and translated (guest physical -> userspace -> host physical),
 *    and each table takes a hold on each new page (v2: a mapping count of
 *    its preregistered memory; v1: a pin). Nothing a guest, a device or
 *    the VMM can see changes; kvmppc_tce_unresolve() gives the holds back.
 * 2. kvmppc_tce_commit(): under the block locks, each entry is exchanged
 *    into every table, the userspace record written (v2) and the guest's
 *    view updated. Nothing here sleeps, allocates with GFP_KERNEL or
 *    fails but the platform's exchange.
 * 3. kvmppc_tce_kill(): the TCE cache of each table is invalidated for
 *    the range.
 * 4. kvmppc_tce_release(): only then is what the old entries held given
 *    back: a device that still had a cached TCE can no longer reach a
 *    page that is unpinned or no longer counted.
 *
 * Both modes run exactly this code; what differs between them is a few
 * accessors (struct tce_mode: translate, exchange, invalidate, and v1's
 * pins, which only virtual mode has), given by the plan. This file is
 * built into the kernel image whatever KVM is built as, and is built
 * without instrumentation (no ftrace, KASAN, KCOV, UBSAN or stack
 * protector): real mode (book3s_64_tce_rm.c) runs it with the MMU off.
 * So nothing here sleeps, allocates, takes a lock other than the block
 * bits, traces, prints, WARNs in a path real mode takes, or calls
 * anything but its own functions, the accessors and the preregistered
 * memory's counters; tools/rmcheck.py checks the calls after each build.
 * What may sleep (v1 pins in step 1) is behind an accessor real mode
 * does not have.
 *
 * The block locks are bit locks in ti->block_locks (not lockdep-tracked).
 * Virtual mode holds one at a time, with preemption off, during the
 * commit only; real mode tries to take every one of its range before it
 * commits and gives up the call (H_TOO_HARD) if one is held.
 */
#include <linux/bit_spinlock.h>
#include <linux/debugfs.h>
#include <linux/export.h>
#include <linux/iommu.h>
#include <linux/kvm_host.h>
#include <linux/mm.h>

#include <asm/iommu.h>
#include <asm/mmu_context.h>

#include "book3s_64_tce_iommu.h"
#include "book3s_64_tce_rules.h"

void kvmppc_tce_block_lock(struct kvmppc_tce_iommu *ti, unsigned long idx)
	__acquires(bitlock)
{
	bit_spin_lock(idx >> TCE_BLOCK_SHIFT, ti->block_locks);
}
EXPORT_SYMBOL_GPL(kvmppc_tce_block_lock);

void kvmppc_tce_block_unlock(struct kvmppc_tce_iommu *ti, unsigned long idx)
	__releases(bitlock)
{
	bit_spin_unlock(idx >> TCE_BLOCK_SHIFT, ti->block_locks);
}
EXPORT_SYMBOL_GPL(kvmppc_tce_block_unlock);

/*
 * Every block lock of [idx, idx + n), or none: for real mode, which must
 * not wait for one and must not have committed anything when it gives up.
 * Interrupts are off: the holder cannot be preempted.
 */
bool kvmppc_tce_block_trylock_range(struct kvmppc_tce_iommu *ti,
				    unsigned long idx, unsigned long n)
{
	unsigned long first = idx >> TCE_BLOCK_SHIFT;
	unsigned long last = (idx + n - 1) >> TCE_BLOCK_SHIFT, b;

	for (b = first; b <= last; b++) {
		if (test_and_set_bit_lock(b, ti->block_locks)) {
			while (b-- > first)
				clear_bit_unlock(b, ti->block_locks);
			return false;
		}
	}
	return true;
}

void kvmppc_tce_block_unlock_range(struct kvmppc_tce_iommu *ti,
				   unsigned long idx, unsigned long n)
{
	unsigned long b = idx >> TCE_BLOCK_SHIFT;

	for (; b <= (idx + n - 1) >> TCE_BLOCK_SHIFT; b++)
		clear_bit_unlock(b, ti->block_locks);
}

/**
 * kvmppc_tce_liobn_find - the bound LIOBN @liobn of @kvm
 * @kvm: the VM
 * @liobn: the LIOBN
 *
 * Context: under kvm->srcu or RCU (virtual mode; the caller says so to
 * lockdep), or in real mode, inside the guest entry's kvm->srcu read
 * section with interrupts off. The result lasts until that ends.
 */
struct kvmppc_tce_iommu *kvmppc_tce_liobn_find(struct kvm *kvm,
					       unsigned long liobn)
{
	struct kvmppc_tce_iommu *ti;

	list_for_each_entry_lockless(ti, &kvm->arch.tce_iommu_liobns, list)
		if (ti->liobn == liobn)
			return ti;
	return NULL;
}
EXPORT_SYMBOL_GPL(kvmppc_tce_liobn_find);

/**
 * kvmppc_tce_plan_init - a plan of a change of ti's [idx, idx + n)
 * @p: the plan
 * @mode: the mode it runs in
 * @ti: the LIOBN
 * @slots: the memslots, read by the caller as its mode allows
 * @idx: the first entry
 * @n: how many, at most TCE_CHUNK
 * @steps: n steps, their TCEs set by the caller after this
 * @old: n * TCE_TABLES_MAX old entries
 *
 * The tables are those listed now. Context: as kvmppc_tce_liobn_find().
 */
void kvmppc_tce_plan_init(struct tce_plan *p, const struct tce_mode *mode,
			  struct kvmppc_tce_iommu *ti,
			  struct kvm_memslots *slots, unsigned long idx,
			  unsigned long n, struct tce_step *steps,
			  struct tce_old *old)
{
	struct kvmppc_tce_hwt *hwt;

	memset(p, 0, sizeof(*p));
	p->mode = mode;
	p->ti = ti;
	p->slots = slots;
	p->mm = ti->kvm->mm;
	p->idx = idx;
	p->n = n;
	p->steps = steps;
	p->old = old;
	list_for_each_entry_lockless(hwt, &ti->tables, next) {
		if (p->ntables == TCE_TABLES_MAX)
			break;	/* a bind never lists more */
		p->tables[p->ntables++] = hwt;
	}
}
EXPORT_SYMBOL_GPL(kvmppc_tce_plan_init);

/*
 * A hold of one table on the page at ua, whose host address goes to *hpa.
 * The preregistered memory is looked up and counted in one RCU read
 * section (real mode: interrupts off): a region whose count is taken
 * cannot be freed.
 */
static long hold_page(struct tce_plan *p, struct kvmppc_tce_hwt *hwt,
		      unsigned long ua, unsigned long *hpa)
{
	const struct tce_mode *m = p->mode;
	u32 shift = p->ti->page_shift;
	struct mm_iommu_table_group_mem_t *mem;
	long ret = H_SUCCESS;

	if (!hwt->v2) {
		if (!m->pin)
			return H_TOO_HARD;
		ret = m->pin(ua, hpa);
		if (ret == H_SUCCESS && tce_rule_hpa(shift, *hpa) != H_SUCCESS) {
			m->unpin(*hpa);
			ret = H_PARAMETER;
		}
		return ret;
	}

	if (m->rcu_enter)
		m->rcu_enter();
	mem = kvmppc_tce_fault_mem() ? NULL : m->mem(p->mm, ua, 1UL << shift);
	if (!mem || m->mem_hpa(mem, ua, shift, hpa))
		ret = H_HARDWARE;
	else if (tce_rule_hpa(shift, *hpa) != H_SUCCESS)
		ret = H_PARAMETER;
	else if (mm_iommu_mapped_inc(mem))
		ret = H_HARDWARE;
	if (m->rcu_exit)
		m->rcu_exit();
	return ret;
}

/* Gives back a hold (or what an old entry held) on the page at hpa/ua */
static void put_page_hold(struct tce_plan *p, struct kvmppc_tce_hwt *hwt,
			  unsigned long ua, unsigned long hpa)
{
	const struct tce_mode *m = p->mode;
	struct mm_iommu_table_group_mem_t *mem;

	if (!hwt->v2) {
		if (m->unpin)
			m->unpin(hpa);
		return;
	}
	if (m->rcu_enter)
		m->rcu_enter();
	/* never missing: the count held keeps the region registered */
	mem = m->mem(p->mm, ua, 1UL << p->ti->page_shift);
	if (mem)
		mm_iommu_mapped_dec(mem);
	if (m->rcu_exit)
		m->rcu_exit();
}

static void put_step_holds(struct tce_plan *p, struct tce_step *s,
			   unsigned int ntables)
{
	unsigned int t;

	for (t = 0; t < ntables; t++)
		put_page_hold(p, p->tables[t], s->ua, s->hpa);
	s->held = false;
}

/**
 * kvmppc_tce_view_ready - whether the view can take what the plan writes
 * @p: the plan, each step's tce set
 *
 * A step whose TCE is not 0 writes its entry of the view, which needs its
 * page; a step of 0 into a page not allocated changes nothing there (the
 * entry is 0 already, in the view and, with one writer, in the hardware).
 * Virtual mode allocates what is missing first; real mode gives the call
 * up. Context: any mode.
 */
bool kvmppc_tce_view_ready(struct tce_plan *p)
{
	unsigned long i;

	for (i = 0; i < p->n; i++) {
		unsigned long idx = p->idx + i;

		if (READ_ONCE(p->ti->pages[idx / TCE_VIEW_PAGE])) {
			/* the rest of this page is there too */
			i += TCE_VIEW_PAGE - 1 - idx % TCE_VIEW_PAGE;
			continue;
		}
		if (p->steps[i].tce)
			return false;
	}
	return true;
}

/**
 * kvmppc_tce_resolve - check and translate every entry of a plan
 * @p: the plan: ti, slots, mm, idx, n, the tables and each step's tce set
 *
 * Context: may sleep in virtual mode (v1 pins). Under the kvm->srcu read
 * lock that protects @p->slots.
 * Return: H_SUCCESS with every mapping step held by every table, or the
 * first rule's H_PARAMETER/H_HARDWARE (H_TOO_HARD: a v1 table in real
 * mode) with nothing held.
 */
long kvmppc_tce_resolve(struct tce_plan *p)
{
	struct kvmppc_tce_iommu *ti = p->ti;
	unsigned long i;
	unsigned int t;
	long ret;

	p->committed = 0;
	p->changed = false;
	for (i = 0; i < p->n; i++) {
		struct tce_step *s = &p->steps[i];
		struct kvm_memory_slot *slot;

		s->held = false;
		s->live = 0;
		s->ua = 0;
		s->hpa = 0;
		if (!tce_rule_maps(s->tce))
			continue;
		slot = __gfn_to_memslot(p->slots,
					tce_rule_gpa(s->tce) >> PAGE_SHIFT);
		ret = tce_rule_tce_page(slot, ti->page_shift, s->tce, &s->ua);
		for (t = 0; ret == H_SUCCESS && t < p->ntables; t++) {
			ret = hold_page(p, p->tables[t], s->ua, &s->hpa);
			if (ret != H_SUCCESS)
				while (t--)
					put_page_hold(p, p->tables[t], s->ua,
						      s->hpa);
		}
		if (ret != H_SUCCESS) {
			p->n = i;	/* the steps before hold their pages */
			kvmppc_tce_unresolve(p);
			return ret;
		}
		s->held = true;
	}
	return H_SUCCESS;
}
EXPORT_SYMBOL_GPL(kvmppc_tce_resolve);

/**
 * kvmppc_tce_unresolve - give back the holds of the steps not committed
 * @p: a resolved plan, committed or not
 */
void kvmppc_tce_unresolve(struct tce_plan *p)
{
	unsigned long i;

	for (i = p->committed; i < p->n; i++)
		if (p->steps[i].held)
			put_step_holds(p, &p->steps[i], p->ntables);
}
EXPORT_SYMBOL_GPL(kvmppc_tce_unresolve);

/*
 * Exchanges step s into table t at hardware entry @entry; what the entry
 * held goes to *old. Returns 0, or an errno with the entry unchanged.
 */
static long xchg_one(struct tce_plan *p, unsigned int t, unsigned long entry,
		     struct tce_step *s, struct tce_old *old)
{
	struct kvmppc_tce_hwt *hwt = p->tables[t];
	struct iommu_table *tbl = hwt->tbl;
	__be64 *pua = NULL;
	long ret;

	old->dir = s->held ? tce_rule_dir(s->tce) : DMA_NONE;
	old->hpa = s->held ? s->hpa : 0;
	old->ua = 0;
	if (hwt->v2) {
		pua = p->mode->ua_entry(tbl, entry);
		if (!pua)
			return -ENOMEM;
	}
	if (kvmppc_tce_fault_xchg())
		return -EIO;
	ret = p->mode->exchange(p->mm, tbl, entry, &old->hpa, &old->dir);
	if (ret)
		return ret;
	if (pua) {
		old->ua = be64_to_cpu(*pua);
		*pua = cpu_to_be64(s->held ? s->ua : 0);
		if (p->mode->dirty && (old->dir == DMA_FROM_DEVICE ||
				       old->dir == DMA_BIDIRECTIONAL))
			p->mode->dirty(p->mm, old->ua);
	}
	return 0;
}

/*
 * Step s could not go into table @failed: clear its entry from every
 * table. What each entry held before the call is released after the
 * invalidation like any other old mapping; so is the step's own page in
 * the tables before @failed, where it was briefly live (s->live). The
 * holds of the tables from @failed on were never used and go at once.
 * Returns whether every table is now clear.
 */
static bool undo_step(struct tce_plan *p, unsigned int failed,
		      unsigned long entry, struct tce_step *s,
		      struct tce_old *old)
{
	struct tce_step none = { .tce = 0 };
	bool clear = true;
	unsigned int t;

	s->live = 0;
	for (t = 0; t < p->ntables; t++) {
		struct tce_old again;

		if (t >= failed && s->held)
			put_page_hold(p, p->tables[t], s->ua, s->hpa);
		if (xchg_one(p, t, entry, &none, &again)) {
			/* the entry keeps what it has (t < failed: our page) */
			clear = false;
			if (t >= failed)
				old[t].dir = DMA_NONE;
			continue;
		}
		if (t >= failed)
			old[t] = again;
		else if (s->held)
			s->live |= BIT(t);
	}
	s->held = false;
	return clear;
}

/**
 * kvmppc_tce_commit - write a resolved plan into the tables and the view
 * @p: a plan kvmppc_tce_resolve() accepted, whose view is ready
 *     (kvmppc_tce_view_ready(); a replication writes no view)
 *
 * Takes the block locks one at a time, unless the caller holds them all
 * (@p->locked). A step that only unmaps an entry
 * the view already holds unmapped is skipped (the one writer keeps the
 * hardware as the view says). With @p->replicate, only the hardware is
 * written, and only where the view still holds the step's TCE.
 *
 * Context: does not sleep; under the kvm->srcu read lock.
 * Return: H_SUCCESS; H_HARDWARE when the platform refused an exchange:
 * the failed step's entry is cleared in every table and in the view (or,
 * if even that is refused, the view keeps what the hardware may still
 * hold) and the steps after it are not committed.
 */
long kvmppc_tce_commit(struct tce_plan *p)
{
	struct kvmppc_tce_iommu *ti = p->ti;
	unsigned long i, locked = ULONG_MAX;
	long ret = H_SUCCESS;
	unsigned int t;

	for (i = 0; i < p->n && ret == H_SUCCESS; i++) {
		unsigned long idx = p->idx + i, entry = ti->offset + idx;
		struct tce_old *old = &p->old[i * p->ntables];
		struct tce_step *s = &p->steps[i];
		u64 *view = tce_view(ti, idx);	/* NULL: the step is 0 */
		u64 cur;

		if (!p->locked &&
		    (locked == ULONG_MAX ||
		     idx >> TCE_BLOCK_SHIFT != locked >> TCE_BLOCK_SHIFT)) {
			if (locked != ULONG_MAX)
				kvmppc_tce_block_unlock(ti, locked);
			kvmppc_tce_block_lock(ti, idx);
			locked = idx;
		}
		p->committed = i + 1;
		for (t = 0; t < p->ntables; t++)
			old[t].dir = DMA_NONE;
		cur = view ? READ_ONCE(*view) : 0;
		if (p->replicate && (cur != s->tce || !s->held)) {
			/* a hypercall changed it since: it wrote the table */
			if (s->held)
				put_step_holds(p, s, p->ntables);
			continue;
		}
		if (!s->held && !tce_rule_maps(cur)) {
			/* unmapped already, in the view and the hardware */
			if (view)
				WRITE_ONCE(*view, s->tce);
			continue;
		}
		p->changed = true;
		for (t = 0; t < p->ntables; t++)
			if (xchg_one(p, t, entry, s, &old[t]))
				break;
		if (t < p->ntables) {
			ret = H_HARDWARE;
			if (!undo_step(p, t, entry, s, old)) {
				if (!p->replicate)
					WRITE_ONCE(*view, cur);
				continue;
			}
			if (!p->replicate)
				WRITE_ONCE(*view, 0);
			continue;
		}
		s->held = false;	/* the tables hold the page now */
		if (!p->replicate)
			WRITE_ONCE(*view, s->tce);
	}
	if (locked != ULONG_MAX)
		kvmppc_tce_block_unlock(ti, locked);
	return ret;
}
EXPORT_SYMBOL_GPL(kvmppc_tce_commit);

/**
 * kvmppc_tce_clear - take every entry of the plan's range out of its table
 * @p: a plan of one table (p->tables[0]) that nothing else writes any more
 *
 * For a table leaving its LIOBN: the view is not touched, every entry is
 * exchanged with nothing whatever the view says, and what each held is
 * released by kvmppc_tce_release() after kvmppc_tce_kill(). An entry the
 * platform refuses to clear keeps its mapping (WARN).
 */
void kvmppc_tce_clear(struct tce_plan *p)
{
	struct tce_step none = { .tce = 0 };
	unsigned long i;

	for (i = 0; i < p->n; i++) {
		p->steps[i].held = false;
		p->steps[i].live = 0;
		if (WARN_ON_ONCE(xchg_one(p, 0, p->ti->offset + p->idx + i,
					  &none, &p->old[i])))
			p->old[i].dir = DMA_NONE;
	}
	p->committed = p->n;
	p->changed = true;
}
EXPORT_SYMBOL_GPL(kvmppc_tce_clear);

/**
 * kvmppc_tce_kill - invalidate table t's TCE cache for the committed range
 * @p: a committed plan
 * @t: the table
 */
void kvmppc_tce_kill(struct tce_plan *p, unsigned int t)
{
	if (p->committed)
		p->mode->kill(p->tables[t]->tbl, p->ti->offset + p->idx,
			      p->committed);
}
EXPORT_SYMBOL_GPL(kvmppc_tce_kill);

/**
 * kvmppc_tce_release - give back what step's old entry in table t held
 * @p: a committed plan whose tables were all invalidated
 * @step: the step
 * @t: the table
 *
 * Return: whether the entry held anything.
 */
bool kvmppc_tce_release(struct tce_plan *p, unsigned long step, unsigned int t)
{
	struct tce_old *o = &p->old[step * p->ntables + t];
	struct tce_step *s = &p->steps[step];
	bool released = false;

	if (s->live & BIT(t)) {
		put_page_hold(p, p->tables[t], s->ua, s->hpa);
		s->live &= ~BIT(t);
		released = true;
	}
	if (o->dir != DMA_NONE) {
		put_page_hold(p, p->tables[t], o->ua, o->hpa);
		o->dir = DMA_NONE;
		released = true;
	}
	return released;
}
EXPORT_SYMBOL_GPL(kvmppc_tce_release);

/**
 * kvmppc_tce_finish - invalidate, then release, a committed plan
 * @p: the plan, committed (kvmppc_tce_commit() or kvmppc_tce_clear())
 * @r: what to report each invalidation and release to, or NULL
 *
 * Every table's TCE cache is invalidated for the range before anything an
 * old entry held is given back; the holds of steps never committed go too.
 */
void kvmppc_tce_finish(struct tce_plan *p, const struct tce_report *r)
{
	unsigned long i;
	unsigned int t;

	if (p->changed) {
		for (t = 0; t < p->ntables; t++) {
			kvmppc_tce_kill(p, t);
			if (r)
				r->killed(p);
		}
	}
	for (i = 0; i < p->committed; i++)
		for (t = 0; t < p->ntables; t++)
			if (kvmppc_tce_release(p, i, t) && r)
				r->released(p, i);
	kvmppc_tce_unresolve(p);
}
EXPORT_SYMBOL_GPL(kvmppc_tce_finish);

#ifdef CONFIG_DEBUG_KERNEL
/*
 * Fault injection for the tests, debug kernels only, in debugfs
 * kvm_tce_iommu/: fail_bind (a bind fails with ENOMEM at that step, 0 for
 * none; book3s_64_tce_iommu.c numbers the steps), clear_delay_ms (a
 * table's final clear waits that long first, so that a revoke or a close
 * can be made to come in the middle of it), rm_bail (below), and the
 * counted failures fail_xchg, fail_mem, fail_pin and fail_alloc, each with
 * its _skip (struct tce_fault).
 */
static u32 fail_bind;
static u32 clear_delay_ms;
static u32 rm_bail;
static u64 rm_bailed;

/*
 * A step that fails on demand, for the tests of what its failure leaves:
 * after skip more passes of the step, the next n fail. Plain counters,
 * for tests with one vCPU; real mode may run the exchange's and the
 * preregistered memory's.
 */
struct tce_fault {
	u32 skip;
	u32 n;
};

static struct tce_fault fault_xchg;	/* the platform's exchange: -EIO */
static struct tce_fault fault_mem;	/* a page's preregistered memory */
static struct tce_fault fault_pin;	/* a v1 pin (virtual mode) */
static struct tce_fault fault_alloc;	/* an allocation of a bind */

static bool tce_fault_hit(struct tce_fault *f)
{
	u32 skip = READ_ONCE(f->skip), n = READ_ONCE(f->n);

	if (!n)
		return false;
	if (skip) {
		WRITE_ONCE(f->skip, skip - 1);
		return false;
	}
	WRITE_ONCE(f->n, n - 1);
	return true;
}

bool kvmppc_tce_fault_bind(unsigned int step)
{
	return READ_ONCE(fail_bind) == step;
}
EXPORT_SYMBOL_GPL(kvmppc_tce_fault_bind);

unsigned int kvmppc_tce_fault_clear_delay(void)
{
	return READ_ONCE(clear_delay_ms);
}
EXPORT_SYMBOL_GPL(kvmppc_tce_fault_clear_delay);

/*
 * Real mode gives a call up (H_TOO_HARD) at stage rm_bail (0: never;
 * book3s_64_tce_rm.c numbers the stages); rm_bailed counts how often it
 * did. Real mode: a plain increment, no tracing.
 */
bool kvmppc_tce_fault_rm(unsigned int stage)
{
	if (READ_ONCE(rm_bail) != stage)
		return false;
	WRITE_ONCE(rm_bailed, rm_bailed + 1);
	return true;
}

/* The exchange of a commit (either mode, any table): the entry untouched */
bool kvmppc_tce_fault_xchg(void)
{
	return tce_fault_hit(&fault_xchg);
}

/* A new page's preregistered memory is not found (either mode) */
bool kvmppc_tce_fault_mem(void)
{
	return tce_fault_hit(&fault_mem);
}

bool kvmppc_tce_fault_pin(void)
{
	return tce_fault_hit(&fault_pin);
}
EXPORT_SYMBOL_GPL(kvmppc_tce_fault_pin);

bool kvmppc_tce_fault_alloc(void)
{
	return tce_fault_hit(&fault_alloc);
}
EXPORT_SYMBOL_GPL(kvmppc_tce_fault_alloc);

static void tce_fault_files(struct dentry *dir, const char *name,
			    struct tce_fault *f)
{
	char skip[32];

	snprintf(skip, sizeof(skip), "%s_skip", name);
	debugfs_create_u32(name, 0600, dir, &f->n);
	debugfs_create_u32(skip, 0600, dir, &f->skip);
}

static int __init tce_fault_init(void)
{
	struct dentry *dir = debugfs_create_dir("kvm_tce_iommu", NULL);

	debugfs_create_u32("fail_bind", 0600, dir, &fail_bind);
	debugfs_create_u32("clear_delay_ms", 0600, dir, &clear_delay_ms);
	debugfs_create_u32("rm_bail", 0600, dir, &rm_bail);
	debugfs_create_u64("rm_bailed", 0600, dir, &rm_bailed);
	tce_fault_files(dir, "fail_xchg", &fault_xchg);
	tce_fault_files(dir, "fail_mem", &fault_mem);
	tce_fault_files(dir, "fail_pin", &fault_pin);
	tce_fault_files(dir, "fail_alloc", &fault_alloc);
	return 0;
}
late_initcall(tce_fault_init);
#endif
