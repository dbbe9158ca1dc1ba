// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM_CREATE_SPAPR_TCE_IOMMU: a guest LIOBN bound to VFIO IOMMU groups.
 *
 * The guest's H_PUT_TCE, H_PUT_TCE_INDIRECT, H_STUFF_TCE and H_GET_TCE for
 * a bound LIOBN are served here and written straight into the hardware TCE
 * tables of the groups bound to it; LIOBNs nobody bound keep going to the
 * emulated tables of book3s_64_vio.c or to userspace.
 *
 * Objects:
 * - struct kvmppc_tce_iommu: one per bound LIOBN, on kvm->arch.tce_iommu_liobns
 *   (RCU list, written under kvm->lock). Holds the guest-visible table.
 * - struct kvmppc_tce_binding: one per (LIOBN, group), behind the fd that
 *   KVM_CREATE_SPAPR_TCE_IOMMU returns. Holds the group's VFIO container
 *   (vfio_file_spapr_tce_kvm_get(): the group cannot leave its container
 *   while bound) and a reference on the group's hardware table. It is on
 *   its LIOBN's list of bindings ("listed") from the ioctl until its fd is
 *   closed or VFIO revokes it, whichever comes first.
 *
 * VFIO revokes a binding when the group's last device goes away (its driver
 * unbound): binding_revoke() then clears the group's table and takes the
 * binding off its LIOBN, whose guest-visible table carries on, and the fd
 * stays until userspace closes it. A LIOBN lives as long as one of its
 * binding fds.
 *
 * Locking:
 * - Hypercalls take no lock to find the LIOBN and its bindings: both lists
 *   are read under kvm->srcu (which the hypercall holds for the memslots
 *   anyway) and changed under kvm->lock; whoever takes a binding or a LIOBN
 *   off its list waits for an SRCU grace period before undoing its
 *   mappings or dropping its reference. H_GET_TCE only reads the view and
 *   looks under RCU; a LIOBN is freed an RCU grace period after its last
 *   reference.
 * - A change of guest entries takes the stripe lock (a mutex) of each block
 *   of 64 entries it changes, so that the guest's view, the hardware
 *   entries of every bound table and their accounting change together,
 *   while vCPUs working on other entries do not wait for each other. One
 *   stripe is held at a time.
 * - b->hw_lock serialises the bulk changes of one binding's table: the
 *   replication of the current mappings into a new binding, and the
 *   clearing of a binding's table once it is off the list.
 * - VFIO calls binding_revoke() with its group lock held; KVM calls VFIO
 *   with none of its locks held: group_lock -> kvm->lock.
 *
 * The TCE rules below (window, TCE, list) are plain functions of their
 * arguments and take no lock, so that any handler can use them.
 */
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/hash.h>
#include <linux/highmem.h>
#include <linux/iommu.h>
#include <linux/kvm_host.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/vfio.h>

#include <asm/hvcall.h>
#include <asm/iommu.h>
#include <asm/kvm_book3s.h>
#include <asm/kvm_ppc.h>
#include <asm/mmu_context.h>
#include <asm/tce.h>

#define CREATE_TRACE_POINTS
#include "trace_tce_iommu.h"

#define TCE_LIST_MAX	512	/* PAPR: one 4 KiB page of TCEs */
#define TCE_LIST_SMALL	16	/* lists copied on the stack */
#define TCE_BLOCK	64	/* entries per stripe lock */
#define TCE_STRIPE_BITS	6
#define TCE_STRIPES	BIT(TCE_STRIPE_BITS)

struct kvmppc_tce_iommu {
	struct list_head list;
	struct kvm *kvm;
	u64 liobn;
	u32 page_shift;
	u64 offset;		/* window start, in IOMMU pages */
	u64 size;		/* window size, in IOMMU pages */
	refcount_t refs;	/* the list's and each binding's */
	struct list_head bindings;	/* SRCU; changed under kvm->lock */
	unsigned int files;	/* binding fds, listed or revoked; kvm->lock */
	struct mutex stripes[TCE_STRIPES];	/* see stripe() */
	struct rcu_head rcu;
	unsigned long npages;
	struct page *pages[];	/* guest-visible TCEs, CPU byte order */
};

struct kvmppc_tce_binding {
	struct list_head next;
	struct kvm *kvm;
	struct kvmppc_tce_iommu *ti;
	struct file *group_file;
	struct vfio_spapr_tce_kvm_info info;
	struct iommu_table *tbl;
	struct mutex hw_lock;	/* replication and clearing of tbl */
	bool listed;		/* on ti->bindings; kvm->lock */
	bool revoked;		/* by VFIO; kvm->lock */
};

/* ---- the TCE rules (no locks, no side effects) --------------------------- */

/*
 * The entries [*idx, *idx + npages) of the window that ioba starts: the ioba
 * is IOMMU-page aligned, npages is at least 1, and the whole range, computed
 * without overflow, lies in the window.
 */
static long tce_rule_range(u32 page_shift, u64 offset, u64 size,
			   unsigned long ioba, unsigned long npages,
			   unsigned long *idx)
{
	unsigned long entry;

	if (ioba & ((1UL << page_shift) - 1) || !npages)
		return H_PARAMETER;
	entry = ioba >> page_shift;
	if (entry < offset || entry - offset >= size ||
	    npages > size - (entry - offset))
		return H_PARAMETER;
	*idx = entry - offset;
	return H_SUCCESS;
}

/* PAPR's permission bits; no permission is an unmapping, whatever else. */
static bool tce_maps(u64 tce)
{
	return tce & (TCE_PCI_READ | TCE_PCI_WRITE);
}

/* The guest physical address a mapping TCE points at. */
static unsigned long tce_gpa(u64 tce)
{
	return tce & ~(u64)(TCE_PCI_READ | TCE_PCI_WRITE);
}

/*
 * Guest physical [gpa, gpa + len) lies in one memory slot: its userspace
 * address goes to *ua.
 */
static long tce_rule_ram(struct kvm *kvm, unsigned long gpa, unsigned long len,
			 unsigned long *ua)
{
	unsigned long gfn = gpa >> PAGE_SHIFT;
	unsigned long last = (gpa + len - 1) >> PAGE_SHIFT;
	struct kvm_memory_slot *slot = __gfn_to_memslot(kvm_memslots(kvm), gfn);

	if (!slot || last >= slot->base_gfn + slot->npages)
		return H_PARAMETER;
	*ua = __gfn_to_hva_memslot(slot, gfn) | (gpa & ~PAGE_MASK);
	return H_SUCCESS;
}

/*
 * A mapping TCE is valid when its address is IOMMU-page aligned (the bits
 * between the permissions and the page are reserved) and the whole IOMMU
 * page lies in one memory slot of the guest. Its userspace address goes to
 * *ua.
 */
static long tce_rule_tce(struct kvm *kvm, u32 page_shift, u64 tce,
			 unsigned long *ua)
{
	unsigned long gpa = tce_gpa(tce);

	*ua = 0;
	if (!tce_maps(tce))
		return H_SUCCESS;
	if (gpa & ((1UL << page_shift) - 1))
		return H_PARAMETER;
	return tce_rule_ram(kvm, gpa, 1UL << page_shift, ua);
}

/* An H_PUT_TCE_INDIRECT list: 4 KiB aligned, at most 512 entries. */
static long tce_rule_list(unsigned long list, unsigned long npages)
{
	if (list & (SZ_4K - 1) || !npages || npages > TCE_LIST_MAX)
		return H_PARAMETER;
	return H_SUCCESS;
}

/* ---- the guest-visible table ------------------------------------------- */

#define TCES_PER_TABLE_PAGE	(PAGE_SIZE / sizeof(u64))

static u64 *guest_tce(struct kvmppc_tce_iommu *ti, unsigned long idx)
{
	u64 *page = page_address(ti->pages[idx / TCES_PER_TABLE_PAGE]);

	return &page[idx % TCES_PER_TABLE_PAGE];
}

/* ---- one hardware entry ------------------------------------------------ */

/*
 * Undo what an entry held before an exchange took it out: v2, the mapping
 * count of the preregistered memory its userspace record names; v1, the pin
 * of the page at hpa.
 */
static void hw_put_old(struct kvmppc_tce_binding *b, __be64 *pua,
		       unsigned long hpa)
{
	struct mm_iommu_table_group_mem_t *old;

	if (!b->info.v2) {
		unpin_user_page(pfn_to_page(hpa >> PAGE_SHIFT));
		return;
	}
	if (WARN_ON_ONCE(!pua))
		return;
	old = mm_iommu_lookup(b->ti->kvm->mm, be64_to_cpu(*pua),
			      1ULL << b->tbl->it_page_shift);
	if (!WARN_ON_ONCE(!old))
		mm_iommu_mapped_dec(old);
}

/*
 * v2: translate through the preregistered memory; the table's userspace
 * record (it_userspace) is kept exactly as VFIO's own v2 mapping keeps it,
 * so that VFIO's UNMAP_DMA and container release undo our mappings.
 * v1: pin the page, as VFIO's v1 MAP_DMA does (and VFIO's unmapping unpins
 * it); the window was accounted when the container was enabled.
 */
static long hw_map(struct kvmppc_tce_binding *b, unsigned long entry,
		   unsigned long ua, enum dma_data_direction dir)
{
	struct iommu_table *tbl = b->tbl;
	struct mm_struct *mm = b->ti->kvm->mm;
	enum dma_data_direction olddir = dir;
	struct mm_iommu_table_group_mem_t *mem = NULL;
	struct page *page = NULL;
	unsigned long hpa = 0;
	__be64 *pua = NULL;

	if (b->info.v2) {
		pua = IOMMU_TABLE_USERSPACE_ENTRY(tbl, entry);
		mem = mm_iommu_lookup(mm, ua, 1ULL << tbl->it_page_shift);
		if (!pua || !mem ||
		    mm_iommu_ua_to_hpa(mem, ua, tbl->it_page_shift, &hpa) ||
		    mm_iommu_mapped_inc(mem))
			return H_HARDWARE;
	} else {
		/*
		 * Always for writing, whatever the TCE's direction: a page
		 * pinned for reading only may be the zero page or one that
		 * copy-on-write replaces later, and the device would read
		 * something else than the guest's memory.
		 */
		if (pin_user_pages_fast(ua & PAGE_MASK, 1,
					FOLL_WRITE | FOLL_LONGTERM, &page) != 1)
			return H_HARDWARE;
		hpa = page_to_phys(page) | (ua & ~PAGE_MASK);
	}

	if (iommu_tce_xchg_no_kill(mm, tbl, entry, &hpa, &olddir)) {
		if (mem)
			mm_iommu_mapped_dec(mem);
		else
			unpin_user_page(page);
		return H_HARDWARE;
	}
	/* hpa and olddir now hold what the entry had */
	if (olddir != DMA_NONE)
		hw_put_old(b, pua, hpa);
	if (pua)
		*pua = cpu_to_be64(ua);
	return H_SUCCESS;
}

static void hw_unmap(struct kvmppc_tce_binding *b, unsigned long entry)
{
	struct iommu_table *tbl = b->tbl;
	struct mm_struct *mm = b->ti->kvm->mm;
	enum dma_data_direction dir = DMA_NONE;
	unsigned long hpa = 0;
	__be64 *pua;

	if (WARN_ON_ONCE(iommu_tce_xchg_no_kill(mm, tbl, entry, &hpa, &dir)))
		return;
	if (dir == DMA_NONE)
		return;
	pua = b->info.v2 ? IOMMU_TABLE_USERSPACE_ENTRY(tbl, entry) : NULL;
	hw_put_old(b, pua, hpa);
	if (pua)
		*pua = 0;
}

/* ---- the stripe locks ------------------------------------------------- */

/* The lock of the block of TCE_BLOCK entries that idx is in */
static struct mutex *stripe(struct kvmppc_tce_iommu *ti, unsigned long idx)
{
	return &ti->stripes[hash_long(idx / TCE_BLOCK, TCE_STRIPE_BITS)];
}

/* The end of idx's block, or end if that comes first */
static unsigned long block_end(unsigned long idx, unsigned long end)
{
	return min(end, round_down(idx, TCE_BLOCK) + TCE_BLOCK);
}

/* Hypercalls walk a LIOBN's bindings under kvm->srcu */
static inline bool bindings_readable(struct kvmppc_tce_iommu *ti)
{
	return srcu_read_lock_held(&ti->kvm->srcu);
}

/*
 * Sets guest entry idx to tce in every bound table, then in the guest's
 * view. On a hardware failure the entry is cleared everywhere and
 * H_HARDWARE returned. Called under kvm->srcu with idx's stripe lock held;
 * tce already validated.
 */
static long set_tce(struct kvmppc_tce_iommu *ti, unsigned long idx, u64 tce,
		    unsigned long ua)
{
	enum dma_data_direction dir = iommu_tce_direction(tce);
	unsigned long entry = ti->offset + idx;
	struct kvmppc_tce_binding *b;
	long ret = H_SUCCESS;

	lockdep_assert_held(stripe(ti, idx));
	list_for_each_entry_srcu(b, &ti->bindings, next, bindings_readable(ti)) {
		if (dir == DMA_NONE) {
			hw_unmap(b, entry);
			continue;
		}
		ret = hw_map(b, entry, ua, dir);
		if (ret != H_SUCCESS)
			break;
	}
	if (ret != H_SUCCESS) {
		list_for_each_entry_srcu(b, &ti->bindings, next,
					 bindings_readable(ti))
			hw_unmap(b, entry);
		tce = 0;
	}
	WRITE_ONCE(*guest_tce(ti, idx), tce);
	return ret;
}

/*
 * Invalidate the TCE caches of every bound table for [idx, idx + n).
 * Callers skip it when no entry was mapped before or after the call: the
 * hardware entries did not change (under the stripe locks they are what the
 * view says) and the call that last unmapped them invalidated already.
 */
static void kill_tces(struct kvmppc_tce_iommu *ti, unsigned long idx,
		      unsigned long n)
{
	struct kvmppc_tce_binding *b;

	list_for_each_entry_srcu(b, &ti->bindings, next, bindings_readable(ti))
		iommu_tce_kill(b->tbl, ti->offset + idx, n);
}

/* ---- hypercalls (virtual mode) ------------------------------------------ */

/*
 * The bound LIOBN, under kvm->srcu (every hypercall but H_GET_TCE) or
 * under RCU (H_GET_TCE, which only reads the view): either keeps it until
 * it is unlocked.
 */
static struct kvmppc_tce_iommu *liobn_find(struct kvm *kvm,
					   unsigned long liobn)
{
	struct kvmppc_tce_iommu *ti;

	list_for_each_entry_srcu(ti, &kvm->arch.tce_iommu_liobns, list,
				 srcu_read_lock_held(&kvm->srcu) ||
				 rcu_read_lock_held())
		if (ti->liobn == liobn)
			return ti;
	return NULL;
}

static void liobn_free(struct kvmppc_tce_iommu *ti)
{
	unsigned long i;

	for (i = 0; i < ti->npages; i++)
		if (ti->pages[i])
			__free_page(ti->pages[i]);
	kfree(ti);
}

static void liobn_free_rcu(struct rcu_head *head)
{
	liobn_free(container_of(head, struct kvmppc_tce_iommu, rcu));
}

/*
 * The last reference goes after the LIOBN left kvm->arch.tce_iommu_liobns
 * and an SRCU grace period passed (or it was never on the list); an RCU
 * grace period more, for H_GET_TCE, and it is freed.
 */
static void liobn_put(struct kvmppc_tce_iommu *ti)
{
	if (refcount_dec_and_test(&ti->refs))
		call_rcu(&ti->rcu, liobn_free_rcu);
}

static long h_put_tce(struct kvm_vcpu *vcpu, struct kvmppc_tce_iommu *ti,
		      unsigned long ioba, u64 tce)
{
	unsigned long idx, ua;
	bool changed;
	long ret;

	ret = tce_rule_range(ti->page_shift, ti->offset, ti->size, ioba, 1, &idx);
	if (ret == H_SUCCESS)
		ret = tce_rule_tce(vcpu->kvm, ti->page_shift, tce, &ua);
	if (ret != H_SUCCESS)
		return ret;
	mutex_lock(stripe(ti, idx));
	changed = tce_maps(*guest_tce(ti, idx)) || tce_maps(tce);
	ret = set_tce(ti, idx, tce, ua);
	mutex_unlock(stripe(ti, idx));
	if (changed)
		kill_tces(ti, idx, 1);
	return ret;
}

static long h_put_tce_indirect(struct kvm_vcpu *vcpu,
			       struct kvmppc_tce_iommu *ti, unsigned long ioba,
			       unsigned long list, unsigned long npages)
{
	u64 small[2 * TCE_LIST_SMALL];	/* short lists: no allocation */
	unsigned long idx, i, *uas, lua;
	u64 *tces = small;
	bool changed = false;
	long ret;

	ret = tce_rule_range(ti->page_shift, ti->offset, ti->size, ioba, npages,
			     &idx);
	if (ret == H_SUCCESS)
		ret = tce_rule_list(list, npages);
	if (ret != H_SUCCESS)
		return ret;

	if (npages > TCE_LIST_SMALL) {
		tces = kmalloc_array(npages, sizeof(*tces) + sizeof(*uas),
				     GFP_KERNEL);
		if (!tces)
			return H_HARDWARE;
	}
	uas = (unsigned long *)(tces + npages);
	/* read once: what is validated is what is used */
	ret = tce_rule_ram(vcpu->kvm, list, npages * sizeof(u64), &lua);
	if (ret != H_SUCCESS)
		goto out;
	for (i = 0; i < npages; i++) {
		if (get_user(tces[i], (u64 __user *)lua + i)) {
			ret = H_PARAMETER;
			goto out;
		}
		tces[i] = be64_to_cpu((__force __be64)tces[i]);
		ret = tce_rule_tce(vcpu->kvm, ti->page_shift, tces[i], &uas[i]);
		if (ret != H_SUCCESS)
			goto out;
	}
	for (i = 0; i < npages && ret == H_SUCCESS; ) {
		unsigned long end = block_end(idx + i, idx + npages) - idx;
		struct mutex *lock = stripe(ti, idx + i);

		mutex_lock(lock);
		for (; i < end && ret == H_SUCCESS; i++) {
			changed |= tce_maps(*guest_tce(ti, idx + i)) ||
				   tce_maps(tces[i]);
			ret = set_tce(ti, idx + i, tces[i], uas[i]);
		}
		mutex_unlock(lock);
	}
	if (changed)
		kill_tces(ti, idx, npages);
out:
	if (tces != small)
		kfree(tces);
	return ret;
}

static long h_stuff_tce(struct kvm_vcpu *vcpu, struct kvmppc_tce_iommu *ti,
			unsigned long ioba, u64 tce, unsigned long npages)
{
	unsigned long idx, i;
	bool changed = false;
	long ret;

	ret = tce_rule_range(ti->page_shift, ti->offset, ti->size, ioba, npages,
			     &idx);
	if (ret != H_SUCCESS)
		return ret;
	/* as for emulated tables: H_STUFF_TCE clears, it does not map */
	if (tce_maps(tce))
		return H_PARAMETER;
	for (i = 0; i < npages; ) {
		unsigned long end = block_end(idx + i, idx + npages) - idx;
		struct mutex *lock = stripe(ti, idx + i);

		mutex_lock(lock);
		for (; i < end; i++) {
			if (tce_maps(*guest_tce(ti, idx + i))) {
				set_tce(ti, idx + i, 0, 0);
				changed = true;
			}
			WRITE_ONCE(*guest_tce(ti, idx + i), tce);
		}
		mutex_unlock(lock);
		cond_resched();
	}
	if (changed)
		kill_tces(ti, idx, npages);
	return H_SUCCESS;
}

static long h_get_tce(struct kvm_vcpu *vcpu, struct kvmppc_tce_iommu *ti,
		      unsigned long ioba)
{
	unsigned long idx;
	long ret;

	ret = tce_rule_range(ti->page_shift, ti->offset, ti->size, ioba, 1, &idx);
	if (ret != H_SUCCESS)
		return ret;
	/* an aligned u64: whole, before or after a concurrent change */
	kvmppc_set_gpr(vcpu, 4, READ_ONCE(*guest_tce(ti, idx)));
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

/* H_GET_TCE reads one entry of the view: RCU is enough */
static bool serve_get(struct kvm_vcpu *vcpu, unsigned long liobn,
		      unsigned long ioba, long *ret)
{
	struct kvmppc_tce_iommu *ti;

	rcu_read_lock();
	ti = liobn_find(vcpu->kvm, liobn);
	if (ti)
		*ret = h_get_tce(vcpu, ti, ioba);
	rcu_read_unlock();
	return ti;
}

/* The others change entries: under kvm->srcu, for memslots and bindings */
static bool serve_change(struct kvm_vcpu *vcpu, unsigned long req,
			 unsigned long liobn, unsigned long a1,
			 unsigned long a2, unsigned long a3, long *ret)
{
	struct kvmppc_tce_iommu *ti;
	int srcu;

	srcu = srcu_read_lock(&vcpu->kvm->srcu);
	ti = liobn_find(vcpu->kvm, liobn);
	if (ti) {
		if (req == H_PUT_TCE)
			*ret = h_put_tce(vcpu, ti, a1, a2);
		else if (req == H_PUT_TCE_INDIRECT)
			*ret = h_put_tce_indirect(vcpu, ti, a1, a2, a3);
		else
			*ret = h_stuff_tce(vcpu, ti, a1, a2, a3);
	}
	srcu_read_unlock(&vcpu->kvm->srcu, srcu);
	return ti;
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

	atomic64_inc(&vcpu->kvm->stat.tce_iommu_vm);
	if (ret == H_PARAMETER)
		atomic64_inc(&vcpu->kvm->stat.tce_iommu_h_parameter);
	kvmppc_set_gpr(vcpu, 3, ret);
	/* H_GET_TCE: the TCE returned, the others: the TCE or list given */
	trace_kvm_tce_iommu_hcall_vm(vcpu->vcpu_id, req, liobn, a1,
				     req == H_GET_TCE && ret == H_SUCCESS ?
				     kvmppc_get_gpr(vcpu, 4) : a2,
				     hcall_npages(vcpu, req), ret);
	return true;
}

/* ---- the binding fd ---------------------------------------------------- */

static int (*vfio_get(void))(struct file *, struct vfio_spapr_tce_kvm_info *)
{
	return symbol_get(vfio_file_spapr_tce_kvm_get);
}

static void vfio_put_container(struct kvmppc_tce_binding *b)
{
	void (*fn)(struct file *file, struct vfio_spapr_tce_kvm_info *info);

	fn = symbol_get(vfio_file_spapr_tce_kvm_put);
	if (WARN_ON(!fn))
		return;
	fn(b->group_file, &b->info);
	symbol_put(vfio_file_spapr_tce_kvm_put);
}

/*
 * Clear b's table: b is off its LIOBN's list and an SRCU grace period has
 * passed, so no hypercall writes it any more. Every entry of the window is
 * exchanged with nothing, whatever the guest's view says now (hypercalls
 * for the LIOBN's other groups go on changing the view).
 */
static void unmap_all(struct kvmppc_tce_binding *b)
{
	struct kvmppc_tce_iommu *ti = b->ti;
	unsigned long i;

	mutex_lock(&b->hw_lock);
	for (i = 0; i < ti->size; i++) {
		hw_unmap(b, ti->offset + i);
		if (!(i % TCE_BLOCK))
			cond_resched();
	}
	iommu_tce_kill(b->tbl, ti->offset, ti->size);
	mutex_unlock(&b->hw_lock);
}

/* Off the LIOBN's list; kvm->lock held. Returns whether it was on it. */
static bool binding_unlist(struct kvmppc_tce_binding *b)
{
	lockdep_assert_held(&b->kvm->lock);

	if (!b->listed)
		return false;
	list_del_rcu(&b->next);
	b->listed = false;
	return true;
}

static int binding_group_id(struct kvmppc_tce_binding *b)
{
	return iommu_group_id(b->info.iommu_group);
}

/* After the VFIO put: it waits for a revoke of b in progress to finish */
static void binding_free(struct kvmppc_tce_binding *b)
{
	vfio_put_container(b);
	iommu_tce_table_put(b->tbl);
	fput(b->group_file);
	kfree(b);
}

static int binding_release(struct inode *inode, struct file *file)
{
	struct kvmppc_tce_binding *b = file->private_data;
	struct kvmppc_tce_iommu *ti = b->ti;
	struct kvm *kvm = b->kvm;
	bool was_listed, last;

	mutex_lock(&kvm->lock);
	was_listed = binding_unlist(b);
	last = !--ti->files;
	if (last)
		list_del_rcu(&ti->list);
	mutex_unlock(&kvm->lock);

	if (was_listed || last)
		synchronize_srcu_expedited(&kvm->srcu);
	if (was_listed) {
		unmap_all(b);
		trace_kvm_tce_iommu_unbind(ti->liobn, binding_group_id(b), false,
					   last);
	}
	binding_free(b);
	if (last)
		liobn_put(ti);		/* the list's reference */
	liobn_put(ti);			/* the binding's reference */
	kvm_put_kvm(kvm);
	return 0;
}

/*
 * VFIO's callback: the group's last device is going away and the group is
 * about to leave its container. Called with VFIO's group lock held.
 */
static void binding_revoke(struct vfio_spapr_tce_kvm_info *info)
{
	struct kvmppc_tce_binding *b = container_of(info, struct kvmppc_tce_binding,
						    info);
	struct kvm *kvm = b->kvm;
	bool was_listed;

	mutex_lock(&kvm->lock);
	b->revoked = true;	/* a bind in progress gives up */
	was_listed = binding_unlist(b);
	mutex_unlock(&kvm->lock);

	if (was_listed) {
		synchronize_srcu_expedited(&kvm->srcu);
		unmap_all(b);
		trace_kvm_tce_iommu_unbind(b->ti->liobn, binding_group_id(b),
					   true, false);
	}
}

static vm_fault_t binding_fault(struct vm_fault *vmf)
{
	struct kvmppc_tce_binding *b = vmf->vma->vm_file->private_data;

	if (vmf->pgoff >= b->ti->npages)
		return VM_FAULT_SIGBUS;
	get_page(b->ti->pages[vmf->pgoff]);
	vmf->page = b->ti->pages[vmf->pgoff];
	return 0;
}

static const struct vm_operations_struct binding_vm_ops = {
	.fault = binding_fault,
};

/* A read-only view of the guest-visible table, for migration and debug. */
static int binding_mmap(struct file *file, struct vm_area_struct *vma)
{
	if (vma->vm_flags & VM_WRITE)
		return -EPERM;
	vm_flags_clear(vma, VM_MAYWRITE);
	vma->vm_ops = &binding_vm_ops;
	return 0;
}

static const struct file_operations binding_fops = {
	.mmap = binding_mmap,
	.release = binding_release,
};

/* ---- KVM_CREATE_SPAPR_TCE_IOMMU ------------------------------------------ */

/* The group's hardware table for the requested (or default) window. */
static struct iommu_table *find_table(struct iommu_table_group *tg,
				      struct kvm_create_spapr_tce_iommu *args)
{
	struct iommu_table *tbl;
	int i;

	for (i = 0; i < IOMMU_TABLE_GROUP_MAX_TABLES; i++) {
		tbl = tg->tables[i];
		if (!tbl)
			continue;
		if (!args->page_shift) {
			/* the documented rule: the group's first window */
			args->page_shift = tbl->it_page_shift;
			args->offset = tbl->it_offset;
			args->size = tbl->it_size;
			return tbl;
		}
		if (tbl->it_page_shift == args->page_shift &&
		    tbl->it_offset == args->offset && args->size &&
		    args->size <= tbl->it_size)
			return tbl;
	}
	return NULL;
}

/* v2: every memory slot of the guest must be preregistered memory. */
static bool guest_ram_preregistered(struct kvm *kvm)
{
	struct kvm_memory_slot *slot;
	int bkt;
	bool ok = true;

	mutex_lock(&kvm->slots_lock);
	kvm_for_each_memslot(slot, bkt, kvm_memslots(kvm)) {
		if (!mm_iommu_lookup(kvm->mm, slot->userspace_addr,
				     slot->npages << PAGE_SHIFT)) {
			ok = false;
			break;
		}
	}
	mutex_unlock(&kvm->slots_lock);
	return ok;
}

/*
 * Maps the guest's current TCEs into a newly bound table. b is on the
 * LIOBN's list and a grace period has passed, so every hypercall from now
 * on writes b's table too; each block is copied under its stripe lock, so
 * that a hypercall changes an entry either before the copy or after it.
 * Called under kvm->srcu (memslots). On failure the caller takes b off the
 * list and clears its table.
 */
static long replicate(struct kvmppc_tce_binding *b)
{
	struct kvmppc_tce_iommu *ti = b->ti;
	unsigned long i = 0, ua;
	long ret = H_SUCCESS;

	mutex_lock(&b->hw_lock);
	/* revoked meanwhile: nothing to copy, the revoke cleared or will clear */
	while (READ_ONCE(b->listed) && i < ti->size && ret == H_SUCCESS) {
		unsigned long end = block_end(i, ti->size);
		struct mutex *lock = stripe(ti, i);

		mutex_lock(lock);
		for (; i < end && ret == H_SUCCESS; i++) {
			u64 tce = *guest_tce(ti, i);

			if (!tce_maps(tce))
				continue;
			ret = tce_rule_tce(ti->kvm, ti->page_shift, tce, &ua);
			if (ret == H_SUCCESS)
				ret = hw_map(b, ti->offset + i, ua,
					     iommu_tce_direction(tce));
		}
		mutex_unlock(lock);
		cond_resched();
	}
	iommu_tce_kill(b->tbl, ti->offset, ti->size);
	mutex_unlock(&b->hw_lock);
	return ret;
}

static struct kvmppc_tce_iommu *liobn_new(struct kvm *kvm,
					  struct kvm_create_spapr_tce_iommu *args)
{
	unsigned long npages = DIV_ROUND_UP(args->size * sizeof(u64), PAGE_SIZE);
	struct kvmppc_tce_iommu *ti;
	unsigned long i;

	ti = kzalloc(struct_size(ti, pages, npages), GFP_KERNEL_ACCOUNT);
	if (!ti)
		return NULL;
	for (i = 0; i < npages; i++) {
		ti->pages[i] = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
		if (!ti->pages[i]) {
			ti->npages = npages;
			liobn_free(ti);
			return NULL;
		}
	}
	ti->npages = npages;
	ti->kvm = kvm;
	ti->liobn = args->liobn;
	ti->page_shift = args->page_shift;
	ti->offset = args->offset;
	ti->size = args->size;
	refcount_set(&ti->refs, 1);	/* the list's */
	for (i = 0; i < TCE_STRIPES; i++)
		mutex_init(&ti->stripes[i]);
	INIT_LIST_HEAD(&ti->bindings);
	return ti;
}

/* The bound LIOBN, for those who change the list. kvm->lock held. */
static struct kvmppc_tce_iommu *liobn_find_locked(struct kvm *kvm, u64 liobn)
{
	struct kvmppc_tce_iommu *ti;

	lockdep_assert_held(&kvm->lock);
	list_for_each_entry(ti, &kvm->arch.tce_iommu_liobns, list)
		if (ti->liobn == liobn)
			return ti;
	return NULL;
}

/* An emulated KVM_CREATE_SPAPR_TCE_64 table has it. kvm->lock held. */
static bool emulated_liobn(struct kvm *kvm, u64 liobn)
{
	struct kvmppc_spapr_tce_table *stt;

	lockdep_assert_held(&kvm->lock);
	list_for_each_entry(stt, &kvm->arch.spapr_tce_tables, list)
		if (stt->liobn == liobn)
			return true;
	return false;
}

static int check_container(struct kvm *kvm, struct vfio_spapr_tce_kvm_info *info)
{
	if (!info->v2 && !info->enabled) {
		pr_debug("kvm: TCE IOMMU: the v1 container is not enabled (VFIO_IOMMU_ENABLE)\n");
		return -EINVAL;
	}
	if (info->v2 && !info->prereg) {
		pr_debug("kvm: TCE IOMMU: the v2 container has no preregistered memory (VFIO_IOMMU_SPAPR_REGISTER_MEMORY)\n");
		return -EINVAL;
	}
	if (info->mm != current->mm || kvm->mm != current->mm) {
		pr_debug("kvm: TCE IOMMU: the container belongs to another process\n");
		return -EPERM;
	}
	if (info->v2 && !guest_ram_preregistered(kvm)) {
		pr_debug("kvm: TCE IOMMU: guest memory is not all preregistered\n");
		return -EINVAL;
	}
	return 0;
}

/**
 * kvm_vm_ioctl_create_spapr_tce_iommu - KVM_CREATE_SPAPR_TCE_IOMMU
 * @kvm: the VM
 * @args: the request (see Documentation in the series)
 *
 * Return: a new file descriptor for the binding, or a negative errno.
 */
long kvm_vm_ioctl_create_spapr_tce_iommu(struct kvm *kvm,
					 struct kvm_create_spapr_tce_iommu *args)
{
	int (*get)(struct file *file, struct vfio_spapr_tce_kvm_info *info);
	struct kvmppc_tce_iommu *ti, *iter, *fresh = NULL;
	struct iommu_table_group *tg;
	struct kvmppc_tce_binding *b;
	struct iommu_table *tbl;
	bool listed;
	int ret, fd;

	if (args->flags || args->pad)
		return -EINVAL;
	if (args->page_shift &&
	    (args->page_shift < 12 || args->page_shift > 34 || !args->size ||
	     args->offset + args->size > (ULLONG_MAX >> args->page_shift) ||
	     args->offset + args->size < args->offset))
		return -EINVAL;

	b = kzalloc(sizeof(*b), GFP_KERNEL_ACCOUNT);
	if (!b)
		return -ENOMEM;
	b->kvm = kvm;
	b->info.revoke = binding_revoke;
	mutex_init(&b->hw_lock);
	b->group_file = fget(args->groupfd);
	if (!b->group_file) {
		ret = -EBADF;
		goto free_b;
	}
	get = vfio_get();
	if (!get) {
		ret = -EBADF;	/* no VFIO: cannot be a VFIO group */
		goto put_file;
	}
	ret = get(b->group_file, &b->info);
	symbol_put(vfio_file_spapr_tce_kvm_get);
	if (ret)
		goto put_file;
	ret = check_container(kvm, &b->info);
	if (ret)
		goto put_container;
	tg = iommu_group_get_iommudata(b->info.iommu_group);
	tbl = tg ? find_table(tg, args) : NULL;
	if (!tbl || (b->info.v2 && !tbl->it_userspace)) {
		pr_debug("kvm: TCE IOMMU: no hardware window matches\n");
		ret = -EINVAL;
		goto put_container;
	}
	b->tbl = iommu_tce_table_get(tbl);

	mutex_lock(&kvm->lock);
	if (b->revoked) {
		pr_debug("kvm: TCE IOMMU: the group's last device went away\n");
		ret = -ENODEV;
		goto unlock;
	}
	if (emulated_liobn(kvm, args->liobn)) {
		ret = -EBUSY;	/* an emulated KVM_CREATE_SPAPR_TCE_64 table */
		goto unlock;
	}
	ti = liobn_find_locked(kvm, args->liobn);
	if (!ti) {
		fresh = liobn_new(kvm, args);
		ti = fresh;
		if (!ti) {
			ret = -ENOMEM;
			goto unlock;
		}
	} else if (ti->page_shift != args->page_shift ||
		   ti->offset != args->offset || ti->size != args->size) {
		ret = -EINVAL;	/* one LIOBN, one window */
		goto unlock;
	}

	/* a group serves at most one LIOBN, and once */
	list_for_each_entry(iter, &kvm->arch.tce_iommu_liobns, list) {
		struct kvmppc_tce_binding *other;

		list_for_each_entry(other, &iter->bindings, next)
			if (other->info.iommu_group == b->info.iommu_group)
				ret = -EBUSY;
	}
	if (ret)
		goto unlock;

	b->ti = ti;
	refcount_inc(&ti->refs);	/* the binding's */
	list_add_tail_rcu(&b->next, &ti->bindings);
	b->listed = true;
	ti->files++;
	kvm_get_kvm(kvm);
	if (!fresh) {
		long hret;
		int srcu;

		mutex_unlock(&kvm->lock);
		/* from now on every hypercall writes b's table too */
		synchronize_srcu_expedited(&kvm->srcu);
		srcu = srcu_read_lock(&kvm->srcu);	/* memslots */
		hret = replicate(b);
		srcu_read_unlock(&kvm->srcu, srcu);
		mutex_lock(&kvm->lock);
		if (!b->listed) {
			ret = -ENODEV;	/* revoked meanwhile */
			goto undo;
		}
		if (hret != H_SUCCESS) {
			ret = -EIO;	/* the current mappings did not go in */
			goto undo;
		}
	}

	fd = anon_inode_getfd("kvm-spapr-tce-iommu", &binding_fops, b,
			      O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = fd;
		goto undo;
	}
	if (fresh)
		list_add_rcu(&fresh->list, &kvm->arch.tce_iommu_liobns);
	/* under kvm->lock: the fd cannot be released yet */
	trace_kvm_tce_iommu_bind(args->liobn, binding_group_id(b),
				 args->page_shift, args->offset, args->size,
				 b->info.v2, fresh);
	mutex_unlock(&kvm->lock);
	return fd;

undo:
	/* kvm->lock held; b is one of ti's files, listed unless revoked */
	listed = binding_unlist(b);
	ti->files--;
	mutex_unlock(&kvm->lock);
	if (listed && !fresh) {
		/* hypercalls may have mapped into b's table: clear it */
		synchronize_srcu_expedited(&kvm->srcu);
		unmap_all(b);
	}
	liobn_put(ti);			/* the binding's */
	kvm_put_kvm_no_destroy(kvm);
	goto unlocked;
unlock:
	mutex_unlock(&kvm->lock);
unlocked:
	if (fresh)
		liobn_put(fresh);	/* never on the list */
	/* first: it waits for a revoke of b in progress, which uses b->tbl */
	vfio_put_container(b);
	iommu_tce_table_put(b->tbl);
	goto put_file;
put_container:
	vfio_put_container(b);
put_file:
	fput(b->group_file);
free_b:
	kfree(b);
	return ret;
}

/* For KVM_CREATE_SPAPR_TCE_64: is this LIOBN bound here? kvm->lock held. */
bool kvmppc_tce_iommu_liobn_in_use(struct kvm *kvm, u64 liobn)
{
	return liobn_find_locked(kvm, liobn);
}
