// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM_CREATE_SPAPR_TCE_IOMMU: the virtual-mode TCE hypercall handlers.
 *
 * H_PUT_TCE, H_PUT_TCE_INDIRECT, H_STUFF_TCE and H_GET_TCE for a bound
 * LIOBN, called from the HV hypercall path with the MMU on, in process
 * context: they may sleep (v1 pins, the allocation of a plan) but never
 * under a block lock. Each change goes through book3s_64_tce_commit.c:
 * resolve the whole call, commit, invalidate, release; the tracepoints of
 * the last two steps show their order.
 *
 * Locking: the LIOBN and its tables are found under kvm->srcu (which the
 * call holds for the memslots anyway): whoever takes them off their lists
 * waits for an SRCU grace period before undoing anything. H_GET_TCE only
 * reads the view, under RCU.
 */
#include <linux/export.h>
#include <linux/kvm_host.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <asm/hvcall.h>
#include <asm/iommu.h>
#include <asm/kvm_ppc.h>
#include <asm/mmu_context.h>

#include "book3s_64_tce_iommu.h"
#include "book3s_64_tce_rules.h"
#include "trace_tce_iommu.h"

/* ---- the virtual mode's accessors (struct tce_mode) --------------------- */

static void vm_rcu_enter(void)
	__acquires(RCU)
{
	rcu_read_lock();
}

static void vm_rcu_exit(void)
	__releases(RCU)
{
	rcu_read_unlock();
}

static struct mm_iommu_table_group_mem_t *vm_mem(struct mm_struct *mm,
						 unsigned long ua,
						 unsigned long size)
{
	return mm_iommu_lookup(mm, ua, size);
}

/*
 * v1: the page is pinned when it is mapped. Always for writing, whatever
 * the TCE's direction: a page pinned for reading only may be the zero
 * page or one that copy-on-write replaces later.
 */
static long vm_pin(unsigned long ua, unsigned long *hpa)
{
	struct page *page;

	if (kvmppc_tce_fault_pin())
		return H_HARDWARE;
	if (pin_user_pages_fast(ua & PAGE_MASK, 1, FOLL_WRITE | FOLL_LONGTERM,
				&page) != 1)
		return H_HARDWARE;
	*hpa = page_to_phys(page) | (ua & ~PAGE_MASK);
	return H_SUCCESS;
}

static void vm_unpin(unsigned long hpa)
{
	unpin_user_page(pfn_to_page(hpa >> PAGE_SHIFT));
}

static __be64 *vm_ua_entry(struct iommu_table *tbl, unsigned long entry)
{
	return IOMMU_TABLE_USERSPACE_ENTRY(tbl, entry);
}

const struct tce_mode tce_mode_vm = {
	.rcu_enter = vm_rcu_enter,
	.rcu_exit = vm_rcu_exit,
	.mem = vm_mem,
	.mem_hpa = mm_iommu_ua_to_hpa,
	.pin = vm_pin,
	.unpin = vm_unpin,
	.exchange = iommu_tce_xchg_no_kill,
	.ua_entry = vm_ua_entry,
	.kill = iommu_tce_kill,
};

/* The bound LIOBN @liobn, under kvm->srcu or RCU */
static struct kvmppc_tce_iommu *vm_liobn_find(struct kvm *kvm,
					      unsigned long liobn)
{
	RCU_LOCKDEP_WARN(!srcu_read_lock_held(&kvm->srcu) &&
			 !rcu_read_lock_held(),
			 "bound LIOBNs looked up unprotected");
	return kvmppc_tce_liobn_find(kvm, liobn);
}

/**
 * tce_view_page_alloc - page @pg of the view, allocated if it was not
 * @ti: the LIOBN
 * @pg: the page, below ti->npages
 *
 * Two callers may race: one page is published (cmpxchg, which orders its
 * zeroing before it), the other is freed. Charged to the caller's memory
 * cgroup, as the rest of the LIOBN.
 *
 * Context: process context, may sleep.
 * Return: the page, or NULL when it could not be allocated.
 */
struct page *tce_view_page_alloc(struct kvmppc_tce_iommu *ti, unsigned long pg)
{
	struct page *page = READ_ONCE(ti->pages[pg]), *old;

	if (page)
		return page;
	page = kvmppc_tce_fault_alloc() ? NULL :
	       alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	if (!page)
		return NULL;
	old = cmpxchg(&ti->pages[pg], NULL, page);
	if (old) {
		__free_page(page);
		return old;
	}
	atomic_long_inc(&ti->view_pages);
	return page;
}

/* The view pages the plan writes (kvmppc_tce_view_ready()) */
static long view_alloc(struct tce_plan *p)
{
	unsigned long i;

	for (i = 0; i < p->n; i++) {
		unsigned long idx = p->idx + i;

		if (!p->steps[i].tce)
			continue;
		if (!tce_view_page_alloc(p->ti, idx / TCE_VIEW_PAGE))
			return H_HARDWARE;
		/* the rest of this page is there now */
		i += TCE_VIEW_PAGE - 1 - idx % TCE_VIEW_PAGE;
	}
	return H_SUCCESS;
}

/**
 * kvmppc_tce_change - resolve, commit, invalidate and release a plan
 * @p: the plan, its steps' TCEs set
 *
 * Context: process context, under kvm->srcu.
 * Return: what the guest gets: H_SUCCESS, H_PARAMETER (a rule refused an
 * entry: nothing changed) or H_HARDWARE (also when a page of the view
 * could not be allocated: nothing changed either).
 */
long kvmppc_tce_change(struct tce_plan *p)
{
	long ret;

	if (!p->replicate) {
		ret = view_alloc(p);
		if (ret != H_SUCCESS)
			return ret;
	}
	ret = kvmppc_tce_resolve(p);
	if (ret != H_SUCCESS)
		return ret;
	ret = kvmppc_tce_commit(p);
	kvmppc_tce_vm_finish(p);
	return ret;
}

static void vm_killed(struct tce_plan *p)
{
	trace_kvm_tce_iommu_kill(p->ti->liobn, p->ti->offset + p->idx,
				 p->committed);
}

static void vm_released(struct tce_plan *p, unsigned long step)
{
	trace_kvm_tce_iommu_release(p->ti->liobn, p->ti->offset + p->idx + step);
}

static const struct tce_report vm_report = {
	.killed = vm_killed,
	.released = vm_released,
};

/**
 * kvmppc_tce_vm_finish - invalidate, then release, with the tracepoints
 * @p: the plan, committed (kvmppc_tce_commit() or kvmppc_tce_clear())
 */
void kvmppc_tce_vm_finish(struct tce_plan *p)
{
	kvmppc_tce_finish(p, &vm_report);
}

static void plan_init(struct tce_plan *p, struct kvmppc_tce_iommu *ti,
		      unsigned long idx, unsigned long n,
		      struct tce_step *steps, struct tce_old *old)
{
	kvmppc_tce_plan_init(p, &tce_mode_vm, ti, kvm_memslots(ti->kvm), idx,
			     n, steps, old);
}

/* A plan's memory: on the stack, or allocated for more than a few entries */
static int plan_alloc(struct tce_plan_mem *m, unsigned long n)
{
	if (tce_plan_mem_small(m, n))
		return 0;
	m->steps = kmalloc_array(n, sizeof(*m->steps), GFP_KERNEL);
	m->old = kmalloc_array(n * TCE_TABLES_MAX, sizeof(*m->old), GFP_KERNEL);
	if (m->steps && m->old)
		return 0;
	kfree(m->steps);
	kfree(m->old);
	return -ENOMEM;
}

static void plan_free(struct tce_plan_mem *m)
{
	if (m->steps == m->small_steps)
		return;
	kfree(m->steps);
	kfree(m->old);
}

/* The entries of ti's window a call names (tce_rule_range()) */
static long window_range(struct kvmppc_tce_iommu *ti, unsigned long ioba,
			 unsigned long npages, unsigned long *idx)
{
	return tce_rule_range(ti->page_shift, ti->offset, ti->size, ioba,
			      npages, idx);
}

static long h_put_tce(struct kvmppc_tce_iommu *ti, unsigned long ioba, u64 tce)
{
	struct tce_old old[TCE_TABLES_MAX];
	struct tce_step step = { .tce = tce };
	struct tce_plan p;
	unsigned long idx;
	long ret;

	ret = window_range(ti, ioba, 1, &idx);
	if (ret != H_SUCCESS)
		return ret;
	plan_init(&p, ti, idx, 1, &step, old);
	return kvmppc_tce_change(&p);
}

static long h_put_tce_indirect(struct kvm_vcpu *vcpu,
			       struct kvmppc_tce_iommu *ti, unsigned long ioba,
			       unsigned long list, unsigned long npages)
{
	struct kvm_memory_slot *slot;
	unsigned long idx, i, lua;
	struct tce_plan_mem m;
	struct tce_plan p;
	long ret;

	ret = window_range(ti, ioba, npages, &idx);
	if (ret == H_SUCCESS)
		ret = tce_rule_list(list, npages);
	if (ret != H_SUCCESS || !npages)
		return ret;
	slot = __gfn_to_memslot(kvm_memslots(vcpu->kvm), list >> PAGE_SHIFT);
	ret = tce_rule_slot(slot, list, npages * sizeof(u64), false, &lua);
	if (ret != H_SUCCESS)
		return ret;
	if (plan_alloc(&m, npages))
		return H_HARDWARE;
	/* read once: what is resolved is what is committed */
	for (i = 0; i < npages; i++) {
		u64 raw;

		if (get_user(raw, (u64 __user *)lua + i)) {
			ret = H_PARAMETER;
			goto out;
		}
		m.steps[i].tce = be64_to_cpu((__force __be64)raw);
	}
	plan_init(&p, ti, idx, npages, m.steps, m.old);
	ret = kvmppc_tce_change(&p);
out:
	plan_free(&m);
	return ret;
}

/*
 * H_STUFF_TCE clears (tce_rule_stuff()): it cannot fail once the range is
 * valid, so it goes in chunks, each committed, invalidated and released
 * before the next, with a chance to reschedule between them.
 */
static long h_stuff_tce(struct kvmppc_tce_iommu *ti, unsigned long ioba,
			u64 tce, unsigned long npages)
{
	unsigned long idx, done, n, i;
	struct tce_plan_mem m;
	struct tce_plan p;
	long ret;

	ret = window_range(ti, ioba, npages, &idx);
	if (ret == H_SUCCESS)
		ret = tce_rule_stuff(tce);
	if (ret != H_SUCCESS || !npages)
		return ret;
	n = min_t(unsigned long, npages, TCE_CHUNK);
	if (plan_alloc(&m, n))
		return H_HARDWARE;
	for (i = 0; i < n; i++)
		m.steps[i].tce = tce;
	for (done = 0; done < npages && ret == H_SUCCESS; done += n) {
		n = min_t(unsigned long, npages - done, TCE_CHUNK);
		/*
		 * Clearing where the view has no page: all clear already. A
		 * chunk spans two view pages at most, its first and its last.
		 */
		BUILD_BUG_ON(TCE_VIEW_PAGE < TCE_CHUNK);
		if (!tce && !tce_view(ti, idx + done) &&
		    !tce_view(ti, idx + done + n - 1))
			continue;
		plan_init(&p, ti, idx + done, n, m.steps, m.old);
		ret = kvmppc_tce_change(&p);
		cond_resched();
	}
	plan_free(&m);
	return ret;
}

static long h_get_tce(struct kvm_vcpu *vcpu, struct kvmppc_tce_iommu *ti,
		      unsigned long ioba)
{
	unsigned long idx;
	long ret;

	ret = window_range(ti, ioba, 1, &idx);
	if (ret != H_SUCCESS)
		return ret;
	kvmppc_set_gpr(vcpu, 4, tce_view_get(ti, idx));
	return H_SUCCESS;
}

static bool is_tce_hcall(unsigned long req)
{
	return req == H_PUT_TCE || req == H_PUT_TCE_INDIRECT ||
	       req == H_STUFF_TCE || req == H_GET_TCE;
}

/* How many entries a TCE hypercall asks for, as its tracepoints show it */
static unsigned long hcall_npages(struct kvm_vcpu *vcpu, unsigned long req)
{
	if (req == H_PUT_TCE_INDIRECT || req == H_STUFF_TCE)
		return kvmppc_get_gpr(vcpu, 7);
	return 1;
}

/**
 * kvmppc_tce_iommu_count_exit - count a TCE hypercall handed to userspace
 * @vcpu: the vCPU leaving KVM_RUN with KVM_EXIT_PAPR_HCALL
 * @req: the hypercall number
 */
void kvmppc_tce_iommu_count_exit(struct kvm_vcpu *vcpu, unsigned long req)
{
	if (!is_tce_hcall(req))
		return;
	atomic64_inc(&vcpu->kvm->stat.tce_iommu_user);
	trace_kvm_tce_iommu_hcall_user(vcpu->vcpu_id, req,
				       kvmppc_get_gpr(vcpu, 4),
				       kvmppc_get_gpr(vcpu, 5),
				       kvmppc_get_gpr(vcpu, 6),
				       hcall_npages(vcpu, req), H_TOO_HARD);
}
EXPORT_SYMBOL_GPL(kvmppc_tce_iommu_count_exit);

/* H_GET_TCE reads one entry of the view: RCU is enough */
static bool serve_get(struct kvm_vcpu *vcpu, unsigned long liobn,
		      unsigned long ioba, long *ret)
{
	struct kvmppc_tce_iommu *ti;

	rcu_read_lock();
	ti = vm_liobn_find(vcpu->kvm, liobn);
	if (ti)
		*ret = h_get_tce(vcpu, ti, ioba);
	rcu_read_unlock();
	return ti;
}

/* The others change entries: under kvm->srcu, for memslots and tables */
static bool serve_change(struct kvm_vcpu *vcpu, unsigned long req,
			 unsigned long liobn, unsigned long a1,
			 unsigned long a2, unsigned long a3, long *ret)
{
	struct kvmppc_tce_iommu *ti;
	int srcu;

	srcu = srcu_read_lock(&vcpu->kvm->srcu);
	ti = vm_liobn_find(vcpu->kvm, liobn);
	if (ti) {
		if (req == H_PUT_TCE)
			*ret = h_put_tce(ti, a1, a2);
		else if (req == H_PUT_TCE_INDIRECT)
			*ret = h_put_tce_indirect(vcpu, ti, a1, a2, a3);
		else
			*ret = h_stuff_tce(ti, a1, a2, a3);
	}
	srcu_read_unlock(&vcpu->kvm->srcu, srcu);
	return ti;
}

/*
 * A bound LIOBN's call served with the MMU on (either way): counted,
 * answered in r3 and traced. a1, a2: r5 and r6 as the guest gave them.
 */
static void vm_served(struct kvm_vcpu *vcpu, unsigned long req,
		      unsigned long liobn, unsigned long a1, unsigned long a2,
		      long ret)
{
	atomic64_inc(&vcpu->kvm->stat.tce_iommu_vm);
	if (ret == H_PARAMETER)
		atomic64_inc(&vcpu->kvm->stat.tce_iommu_h_parameter);
	kvmppc_set_gpr(vcpu, 3, ret);
	/* H_GET_TCE: the TCE returned, the others: the TCE or list given */
	trace_kvm_tce_iommu_hcall_vm(vcpu->vcpu_id, req, liobn, a1,
				     req == H_GET_TCE && ret == H_SUCCESS ?
				     kvmppc_get_gpr(vcpu, 4) : a2,
				     hcall_npages(vcpu, req), ret);
}

/**
 * kvmppc_tce_iommu_hcall - serve a TCE hypercall for a bound LIOBN
 * @vcpu: the calling vCPU, in virtual mode
 * @req: the hypercall number
 *
 * Return: true when the LIOBN in r4 is bound here: the call was served and
 * its return value set in r3 (and r4 for H_GET_TCE). false otherwise: the
 * caller goes on as if this file did not exist.
 */
bool kvmppc_tce_iommu_hcall(struct kvm_vcpu *vcpu, unsigned long req)
{
	unsigned long a1 = kvmppc_get_gpr(vcpu, 5), a2 = kvmppc_get_gpr(vcpu, 6);
	unsigned long a3 = kvmppc_get_gpr(vcpu, 7);
	unsigned long liobn = kvmppc_get_gpr(vcpu, 4);
	bool bound;
	long ret;

	if (!is_tce_hcall(req))
		return false;
	if (list_empty(&vcpu->kvm->arch.tce_iommu_liobns))
		return false;
	if (req == H_GET_TCE)
		bound = serve_get(vcpu, liobn, a1, &ret);
	else
		bound = serve_change(vcpu, req, liobn, a1, a2, a3, &ret);
	if (!bound)
		return false;
	vm_served(vcpu, req, liobn, a1, a2, ret);
	return true;
}
EXPORT_SYMBOL_GPL(kvmppc_tce_iommu_hcall);

/**
 * kvmppc_tce_iommu_early - serve a TCE hypercall as a POWER9 guest exits
 * @vcpu: the vCPU, out of the guest with a hypercall, before the exit
 *	  processing (book3s_hv.c, kvmhv_run_single_vcpu())
 *
 * For a bound LIOBN, what kvmppc_tce_early() can finish without sleeping;
 * counted as virtual mode (the MMU is on), and in tce_iommu_early, and
 * traced as virtual mode. While the kill or release events are traced,
 * every call takes the whole exit (the early path emits neither).
 *
 * Context: interrupts hard-disabled, preemption off, inside the guest
 * entry's kvm->srcu read section.
 * Return: true when the call was served (r3, and r4 for H_GET_TCE, set);
 * false: nothing changed, the exit goes on.
 */
bool kvmppc_tce_iommu_early(struct kvm_vcpu *vcpu)
{
	unsigned long req = kvmppc_get_gpr(vcpu, 3);
	unsigned long liobn = kvmppc_get_gpr(vcpu, 4);
	unsigned long a1 = kvmppc_get_gpr(vcpu, 5), a2 = kvmppc_get_gpr(vcpu, 6);
	long ret;

	if (!is_tce_hcall(req) || list_empty(&vcpu->kvm->arch.tce_iommu_liobns))
		return false;
	/* traced, a call takes the whole path, which emits every event */
	if (trace_kvm_tce_iommu_kill_enabled() ||
	    trace_kvm_tce_iommu_release_enabled())
		return false;
	ret = kvmppc_tce_early(vcpu, req);
	if (ret == H_TOO_HARD)
		return false;
	atomic64_inc(&vcpu->kvm->stat.tce_iommu_early);
	vm_served(vcpu, req, liobn, a1, a2, ret);
	return true;
}
EXPORT_SYMBOL_GPL(kvmppc_tce_iommu_early);
