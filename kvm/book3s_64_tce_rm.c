// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM_CREATE_SPAPR_TCE_IOMMU: the real-mode TCE hypercall handlers, and
 * the same handlers early in a POWER9 guest exit (kvmppc_tce_early()).
 *
 * On POWER8 (HV, hash MMU) a guest's hypercall first reaches
 * book3s_hv_rmhandlers.S's hcall_real_table with the MMU off, before the
 * guest exit. H_PUT_TCE, H_PUT_TCE_INDIRECT, H_STUFF_TCE and H_GET_TCE
 * come here. A call for a LIOBN bound with KVM_CREATE_SPAPR_TCE_IOMMU is
 * served through the same resolve and commit as in virtual mode
 * (book3s_64_tce_commit.c), with the real mode's accessors below. Anything
 * else returns H_TOO_HARD having changed nothing, and the hypercall goes
 * on exactly as if this file did not exist: virtual mode (an emulated
 * table, a bound LIOBN's call real mode cannot finish) or userspace.
 *
 * Real mode gives a call up (H_TOO_HARD) when: a table is v1 (pages are
 * pinned when mapped: that sleeps), a table cannot be served now (a
 * bridge real mode cannot invalidate: realmode(); a level of the range
 * not allocated yet: alloc_run()), the guest's view is vmalloc'ed or
 * lacks a page the call writes, an INDIRECT list is not in preregistered
 * memory, no entry or more than TCE_CHUNK are asked for, the LIOBN's plan or
 * a block lock is busy, or a rule refuses an entry (virtual mode then
 * answers H_PARAMETER and counts it). It gives up only before the commit:
 * what resolve took, it gives back; after the commit, nothing can fail.
 *
 * Rules of this file, and of everything it calls: the MMU is off and
 * interrupts are off. No sleeping, no allocation, no lock but the block
 * bits (tried, never waited for) and the LIOBN's plan bit, no printk, no
 * tracepoint, no WARN or BUG, no lockdep annotation, nothing vmalloc'ed
 * touched through its virtual address, no call out of an allow-list
 * (tools/rmcheck.py checks the object after each build). Built without
 * ftrace, KASAN, KCOV, UBSAN and the stack protector.
 *
 * Lifetime: the guest entry (kvmppc_run_core()) holds kvm->srcu across
 * the time the guest runs, so the LIOBN, its tables and the memslots,
 * which their owners free only after an SRCU grace period, stay; the
 * preregistered regions, freed after an RCU grace period, stay because
 * interrupts are off. That read lock is the VM's of the core's first
 * vcore only: on a split core (POWER8 dynamic micro-threading) the other
 * subcores may run vcores of other VMs, whose calls real mode leaves to
 * virtual mode (rm_srcu_held()).
 *
 * POWER9 (kvmppc_tce_early(), called by kvmhv_run_single_vcpu() once the
 * guest state is left): the MMU is on, interrupts are still off, kvm->srcu
 * is held. The same rules hold; only the invalidation differs
 * (tce_mode_early: the platform's tce_kill, OPAL on PHB4, which may be
 * called with interrupts off), and so what realmode() is asked (no PHB3
 * needed). The caller counts and traces.
 */
#include <linux/kvm_host.h>
#include <linux/mm.h>

#include <asm/hvcall.h>
#include <asm/iommu.h>
#include <asm/kvm_ppc.h>
#include <asm/mmu_context.h>
#include <asm/paca.h>

#include "book3s_64_tce_iommu.h"
#include "book3s_64_tce_rules.h"

/* Where real mode gives a call up under fault injection (debug kernels) */
enum {
	RM_BAIL_FOUND = 1,	/* the LIOBN found, nothing done */
	RM_BAIL_RESOLVED,	/* every entry resolved and held */
	RM_BAIL_LOCKED,		/* the block locks of the range taken */
};

/* ---- the real mode's accessors (struct tce_mode) ----------------------- */

static long rm_xchg(struct mm_struct *mm, struct iommu_table *tbl,
		    unsigned long entry, unsigned long *hpa,
		    enum dma_data_direction *dir)
{
	return tbl->it_ops->xchg_no_kill_rm(tbl, entry, hpa, dir);
}

static __be64 *rm_ua_entry(struct iommu_table *tbl, unsigned long entry)
{
	return tbl->it_ops->useraddrptr_rm(tbl, entry);
}

static void rm_kill(struct iommu_table *tbl, unsigned long entry,
		    unsigned long n)
{
	tbl->it_ops->tce_kill_rm(tbl, entry, n);
}

static const struct tce_mode tce_mode_rm = {
	.mem = mm_iommu_lookup_rm,
	.mem_hpa = mm_iommu_ua_to_hpa_rm,
	.exchange = rm_xchg,
	/* marked in its region: dirtied when the region is unpinned */
	.dirty = mm_iommu_ua_mark_dirty_rm,
	.ua_entry = rm_ua_entry,
	.kill = rm_kill,
};

/*
 * POWER9 (kvmppc_tce_early()): the MMU is on but interrupts are off; the
 * same accessors, which neither sleep nor allocate, but the platform's
 * own invalidation (OPAL on PHB4), which may be called with interrupts off.
 */
static void early_kill(struct iommu_table *tbl, unsigned long entry,
		       unsigned long n)
{
	tbl->it_ops->tce_kill(tbl, entry, n);
}

static const struct tce_mode tce_mode_early = {
	.mem = mm_iommu_lookup_rm,
	.mem_hpa = mm_iommu_ua_to_hpa_rm,
	.exchange = rm_xchg,
	.dirty = mm_iommu_ua_mark_dirty_rm,
	.ua_entry = rm_ua_entry,
	.kill = early_kill,
};

/* ---- the calls ---------------------------------------------------------- */

/* Whether this guest entry holds vcpu's kvm->srcu (see the top) */
static bool rm_srcu_held(struct kvm_vcpu *vcpu)
{
	struct kvm_split_mode *sip = local_paca->kvm_hstate.kvm_split_mode;

	return !sip || sip->vc[0]->kvm == vcpu->kvm;
}

static struct kvmppc_tce_iommu *rm_liobn(struct kvm_vcpu *vcpu)
{
	struct kvm *kvm = vcpu->kvm;

	if (list_empty(&kvm->arch.tce_iommu_liobns) || !rm_srcu_held(vcpu))
		return NULL;
	return kvmppc_tce_liobn_find(kvm, vcpu->arch.regs.gpr[4]);
}

/* The memslots, as the guest entry's kvm->srcu read section sees them */
static struct kvm_memslots *rm_slots(struct kvm *kvm)
{
	return rcu_dereference_raw(kvm->memslots[0]);
}

/*
 * The bound LIOBN a call names, if real mode can serve it at all (the
 * view's pages reachable), and the entries [*idx, *idx + n) of its window
 * the call's ioba (r5) starts; NULL otherwise.
 */
static struct kvmppc_tce_iommu *rm_range(struct kvm_vcpu *vcpu,
					 unsigned long n, unsigned long *idx)
{
	struct kvmppc_tce_iommu *ti = rm_liobn(vcpu);

	if (!ti || !ti->view_linear ||
	    tce_rule_range(ti->page_shift, ti->offset, ti->size,
			   vcpu->arch.regs.gpr[5], n, idx) != H_SUCCESS)
		return NULL;
	return ti;
}

/*
 * Whether the plan's mode can write every table of the plan now, every
 * entry of the range allocated (a missing level is virtual mode's to
 * allocate), and the view the plan writes.
 */
static bool rm_ready(struct tce_plan *p)
{
	unsigned long entry = p->ti->offset + p->idx;
	bool mmu_off = p->mode == &tce_mode_rm;
	unsigned int t;

	for (t = 0; t < p->ntables; t++) {
		struct iommu_table *tbl = p->tables[t]->tbl;
		bool allocated;

		if (!p->tables[t]->v2 || !tbl->it_ops->realmode ||
		    !tbl->it_ops->alloc_run ||
		    !tbl->it_ops->realmode(tbl, mmu_off))
			return false;
		if (tbl->it_ops->alloc_run(tbl, entry, p->n, &allocated) !=
		    p->n || !allocated)
			return false;
	}
	return kvmppc_tce_view_ready(p);
}

/*
 * Resolve, lock, commit, invalidate, release: all of the plan, or (before
 * the commit) nothing and H_TOO_HARD.
 */
static long rm_change(struct tce_plan *p)
{
	struct kvmppc_tce_iommu *ti = p->ti;
	long ret;

	if (!rm_ready(p) || kvmppc_tce_fault_rm(RM_BAIL_FOUND))
		return H_TOO_HARD;
	if (kvmppc_tce_resolve(p) != H_SUCCESS)
		return H_TOO_HARD;	/* resolve gave back what it took */
	if (kvmppc_tce_fault_rm(RM_BAIL_RESOLVED))
		goto unresolve;
	if (!kvmppc_tce_block_trylock_range(ti, p->idx, p->n))
		goto unresolve;
	if (kvmppc_tce_fault_rm(RM_BAIL_LOCKED)) {
		kvmppc_tce_block_unlock_range(ti, p->idx, p->n);
		goto unresolve;
	}
	p->locked = true;
	ret = kvmppc_tce_commit(p);
	kvmppc_tce_block_unlock_range(ti, p->idx, p->n);
	kvmppc_tce_finish(p, NULL);
	return ret;

unresolve:
	kvmppc_tce_unresolve(p);
	return H_TOO_HARD;
}

/*
 * A plan for n entries: on the stack (m's small arrays) or the LIOBN's
 * own, which one call at a time has (*busy).
 */
static bool rm_plan(struct tce_plan *p, const struct tce_mode *mode,
		    struct kvmppc_tce_iommu *ti, unsigned long idx,
		    unsigned long n, struct tce_plan_mem *m, bool *busy)
{
	*busy = false;
	if (!tce_plan_mem_small(m, n)) {
		if (test_and_set_bit_lock(0, &ti->rm_busy))
			return false;
		*busy = true;
		m->steps = ti->rm_steps;
		m->old = ti->rm_old;
	}
	kvmppc_tce_plan_init(p, mode, ti, rm_slots(ti->kvm), idx, n, m->steps,
			     m->old);
	return true;
}

static void rm_plan_done(struct kvmppc_tce_iommu *ti, bool busy)
{
	if (busy)
		clear_bit_unlock(0, &ti->rm_busy);
}

/* A call served in real mode: counted, and r3 is what the guest gets */
static long rm_served(struct kvm_vcpu *vcpu, long ret)
{
	if (ret != H_TOO_HARD)
		atomic64_inc(&vcpu->kvm->stat.tce_iommu_rm);
	return ret;
}

/*
 * H_PUT_TCE_INDIRECT's list, read once through its host address: it must
 * lie in preregistered memory (real mode cannot read userspace memory).
 */
static bool rm_read_list(struct tce_plan *p, unsigned long list)
{
	struct mm_iommu_table_group_mem_t *mem;
	struct kvm_memory_slot *slot;
	unsigned long lua, hpa, i;
	__be64 *tces;

	slot = __gfn_to_memslot(p->slots, list >> PAGE_SHIFT);
	if (tce_rule_slot(slot, list, p->n * sizeof(u64), false, &lua) !=
	    H_SUCCESS)
		return false;
	mem = mm_iommu_lookup_rm(p->mm, lua, p->n * sizeof(u64));
	if (!mem || mm_iommu_ua_to_hpa_rm(mem, lua, PAGE_SHIFT, &hpa))
		return false;
	tces = __va(hpa);
	for (i = 0; i < p->n; i++)
		p->steps[i].tce = be64_to_cpu(READ_ONCE(tces[i]));
	return true;
}

static long fast_put(struct kvm_vcpu *vcpu, const struct tce_mode *mode)
{
	struct tce_old old[TCE_TABLES_MAX];
	struct kvmppc_tce_iommu *ti;
	struct tce_step step;
	struct tce_plan p;
	unsigned long idx;

	ti = rm_range(vcpu, 1, &idx);
	if (!ti)
		return H_TOO_HARD;
	kvmppc_tce_plan_init(&p, mode, ti, rm_slots(ti->kvm), idx, 1, &step,
			     old);
	step.tce = vcpu->arch.regs.gpr[6];
	return rm_change(&p);
}

long kvmppc_tce_rm_put(struct kvm_vcpu *vcpu)
{
	return rm_served(vcpu, fast_put(vcpu, &tce_mode_rm));
}

/* A count of 0 changes nothing: virtual mode answers it, as any refusal */
static long fast_put_indirect(struct kvm_vcpu *vcpu,
			      const struct tce_mode *mode)
{
	unsigned long list = vcpu->arch.regs.gpr[6];
	unsigned long n = vcpu->arch.regs.gpr[7];
	struct kvmppc_tce_iommu *ti;
	struct tce_plan_mem m;
	struct tce_plan p;
	unsigned long idx;
	long ret = H_TOO_HARD;
	bool busy;

	if (!n)
		return H_TOO_HARD;
	ti = rm_range(vcpu, n, &idx);
	if (!ti || tce_rule_list(list, n) != H_SUCCESS)
		return H_TOO_HARD;
	if (!rm_plan(&p, mode, ti, idx, n, &m, &busy))
		return H_TOO_HARD;
	if (rm_read_list(&p, list))
		ret = rm_change(&p);
	rm_plan_done(ti, busy);
	return ret;
}

long kvmppc_tce_rm_put_indirect(struct kvm_vcpu *vcpu)
{
	return rm_served(vcpu, fast_put_indirect(vcpu, &tce_mode_rm));
}

static long fast_stuff(struct kvm_vcpu *vcpu, const struct tce_mode *mode)
{
	unsigned long tce = vcpu->arch.regs.gpr[6];
	unsigned long n = vcpu->arch.regs.gpr[7];
	struct kvmppc_tce_iommu *ti;
	struct tce_plan_mem m;
	struct tce_plan p;
	unsigned long idx, i;
	long ret;
	bool busy;

	/* more than one chunk: virtual mode, which may reschedule between */
	if (!n || n > TCE_CHUNK || tce_rule_stuff(tce) != H_SUCCESS)
		return H_TOO_HARD;
	ti = rm_range(vcpu, n, &idx);
	if (!ti)
		return H_TOO_HARD;
	if (!rm_plan(&p, mode, ti, idx, n, &m, &busy))
		return H_TOO_HARD;
	for (i = 0; i < n; i++)
		p.steps[i].tce = tce;
	ret = rm_change(&p);
	rm_plan_done(ti, busy);
	return ret;
}

long kvmppc_tce_rm_stuff(struct kvm_vcpu *vcpu)
{
	return rm_served(vcpu, fast_stuff(vcpu, &tce_mode_rm));
}

static long fast_get(struct kvm_vcpu *vcpu)
{
	struct kvmppc_tce_iommu *ti;
	unsigned long idx;

	ti = rm_range(vcpu, 1, &idx);
	if (!ti || kvmppc_tce_fault_rm(RM_BAIL_FOUND))
		return H_TOO_HARD;
	vcpu->arch.regs.gpr[4] = tce_view_get(ti, idx);
	return H_SUCCESS;
}

long kvmppc_tce_rm_get(struct kvm_vcpu *vcpu)
{
	return rm_served(vcpu, fast_get(vcpu));
}

/**
 * kvmppc_tce_early - serve a bound LIOBN's TCE hypercall as the guest exits
 * @vcpu: the vCPU, just out of the guest with a hypercall (POWER9, HV)
 * @req: the hypercall (r3)
 *
 * The same resolve and commit as real mode, with the MMU on, before the
 * exit processing: what real mode would hand over, and any call for a
 * LIOBN not bound, is H_TOO_HARD with nothing changed, and the exit goes on.
 *
 * Context: interrupts hard-disabled, preemption off, out of the guest
 * state (RCU watching), inside the guest entry's kvm->srcu read section.
 * Return: the hypercall's return value, or H_TOO_HARD.
 */
long kvmppc_tce_early(struct kvm_vcpu *vcpu, unsigned long req)
{
	switch (req) {
	case H_PUT_TCE:
		return fast_put(vcpu, &tce_mode_early);
	case H_PUT_TCE_INDIRECT:
		return fast_put_indirect(vcpu, &tce_mode_early);
	case H_STUFF_TCE:
		return fast_stuff(vcpu, &tce_mode_early);
	case H_GET_TCE:
		return fast_get(vcpu);
	}
	return H_TOO_HARD;
}
EXPORT_SYMBOL_GPL(kvmppc_tce_early);
