// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM_CREATE_SPAPR_TCE_IOMMU: the uapi and the lifecycle of a binding.
 *
 * A guest LIOBN is bound to VFIO IOMMU groups, one KVM_CREATE_SPAPR_TCE_IOMMU
 * per group; the hypercalls for it are then served by book3s_64_tce_vm.c
 * into the hardware tables behind those groups (book3s_64_tce_iommu.h has
 * the objects). This file binds (and copies the LIOBN's current mappings
 * into a table it did not write before), unbinds when a binding fd is
 * closed or VFIO revokes it, and maps the guest's view for userspace. It
 * may sleep and allocate; it never runs with the MMU off.
 *
 * Objects:
 * - struct kvmppc_tce_binding: one per (LIOBN, group), behind the fd the
 *   ioctl returns. Holds the group's VFIO container user and, through
 *   VFIO, a reference on and a claim of the group's table for the LIOBN
 *   (iommu_table_kvm_claim()): nobody else writes that table meanwhile. It
 *   counts in its table's groups ("attached") from the ioctl until its fd
 *   is closed or VFIO revokes it, whichever comes first.
 * - a table (struct kvmppc_tce_hwt) is written while one of its groups is
 *   attached; when the last one leaves, the table is taken off the LIOBN,
 *   cleared and given back. Two groups of one container share one table:
 *   it is written once per change, and stays mapped until both are gone.
 * - a LIOBN lives as long as one of its binding fds, revoked or not.
 *
 * Locking:
 * - bind_lock (a mutex) orders binds and releases of every VM: a LIOBN
 *   and its tables change shape under it only. Revokes do not take it.
 * - kvm->lock protects the lists (kvm->arch.tce_iommu_liobns, each
 *   LIOBN's tables) and the counts; hypercalls read the lists under
 *   kvm->srcu, so whoever unlists waits for an SRCU grace period before
 *   clearing a table or dropping a reference.
 * - b->clear_lock is held by whoever detaches b, across the clear of its
 *   table: a revoke of b waits there for a close or a failed bind that is
 *   still clearing, before VFIO drops the claim and the container user.
 * - ti->tables_lock is held by whoever takes a table's last group away,
 *   from the detach until the table is cleared, and by a bind while it
 *   chooses its table and attaches: a bind never picks a second object for
 *   an iommu_table whose clear is still running.
 * - hwt->hw_lock orders the bulk writers of one table (replication into
 *   it, its final clear).
 * - Lock order: bind_lock -> VFIO's group_lock -> b->clear_lock ->
 *   ti->tables_lock -> hwt->hw_lock -> kvm->lock; bind_lock ->
 *   ti->tables_lock -> kvm->lock. VFIO calls
 *   binding_revoke() with its group lock held; b->clear_lock is never held
 *   across a call into VFIO.
 */
#include <linux/anon_inodes.h>
#include <linux/delay.h>
#include <linux/file.h>
#include <linux/iommu.h>
#include <linux/kvm_host.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/rculist.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/vfio.h>

#include <asm/iommu.h>
#include <asm/kvm_book3s.h>
#include <asm/kvm_ppc.h>
#include <asm/mmu_context.h>

#include "book3s_64_tce_iommu.h"
#include "book3s_64_tce_rules.h"

#define CREATE_TRACE_POINTS
#include "trace_tce_iommu.h"

#define TCE_CLEAR_SMALL	16	/* entries per clear when memory is short */

/*
 * The steps of a bind that debug kernels can make fail (debugfs
 * kvm_tce_iommu/fail_bind), each with ENOMEM: the VFIO claim taken, the
 * window (and a new LIOBN's view) settled, the table attached, the
 * current mappings replicated, the binding about to get its fd.
 */
enum {
	BIND_STEP_CLAIMED = 1,
	BIND_STEP_WINDOW,
	BIND_STEP_ATTACHED,
	BIND_STEP_REPLICATED,
	BIND_STEP_PUBLISH,
};

static int bind_fault(unsigned int step)
{
	return kvmppc_tce_fault_bind(step) ? -ENOMEM : 0;
}

/*
 * An allocation a bind needs: debug kernels can refuse each in turn
 * (debugfs kvm_tce_iommu/fail_alloc, fail_alloc_skip).
 */
#define bind_alloc(alloc)	(kvmppc_tce_fault_alloc() ? NULL : (alloc))

struct kvmppc_tce_binding {
	struct kvm *kvm;
	struct kvmppc_tce_iommu *ti;
	struct kvmppc_tce_hwt *hwt;	/* while attached */
	struct file *group_file;
	struct vfio_spapr_tce_kvm_info info;
	struct mutex clear_lock;	/* see Locking */
	bool attached;			/* counted in hwt->groups; kvm->lock */
	bool revoked;			/* by VFIO; kvm->lock */
};

static DEFINE_MUTEX(bind_lock);

/* ---- the LIOBN --------------------------------------------------------- */

static void liobn_free(struct kvmppc_tce_iommu *ti)
{
	unsigned long i;

	for (i = 0; ti->pages && i < ti->npages; i++)
		if (ti->pages[i])
			__free_page(ti->pages[i]);
	kvfree(ti->pages);
	bitmap_free(ti->block_locks);
	kfree(ti->rm_steps);
	kfree(ti->rm_old);
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

/* A new LIOBN, not listed yet, without its view; its one reference is b's */
static struct kvmppc_tce_iommu *liobn_new(struct kvm *kvm, u64 liobn)
{
	struct kvmppc_tce_iommu *ti;

	ti = bind_alloc(kzalloc(sizeof(*ti), GFP_KERNEL_ACCOUNT));
	if (!ti)
		return NULL;
	ti->kvm = kvm;
	ti->liobn = liobn;
	refcount_set(&ti->refs, 1);
	INIT_LIST_HEAD(&ti->tables);
	mutex_init(&ti->tables_lock);
	return ti;
}

/*
 * The index of the view (its pages come as they are written) and the
 * block locks of a new LIOBN's window, no lock held
 */
static int liobn_alloc_view(struct kvmppc_tce_iommu *ti, u32 page_shift,
			    u64 offset, u64 size)
{
	unsigned long npages = DIV_ROUND_UP(size * sizeof(u64), PAGE_SIZE);

	ti->page_shift = page_shift;
	ti->offset = offset;
	ti->size = size;
	ti->block_locks = bind_alloc(bitmap_zalloc(DIV_ROUND_UP(size, TCE_BLOCK),
						   GFP_KERNEL_ACCOUNT));
	ti->pages = bind_alloc(kvcalloc(npages, sizeof(*ti->pages),
					GFP_KERNEL_ACCOUNT));
	/* real mode reaches these through the linear mapping: kmalloc */
	ti->rm_steps = bind_alloc(kmalloc_array(TCE_CHUNK,
						sizeof(*ti->rm_steps),
						GFP_KERNEL_ACCOUNT));
	ti->rm_old = bind_alloc(kmalloc_array(TCE_CHUNK * TCE_TABLES_MAX,
					      sizeof(*ti->rm_old),
					      GFP_KERNEL_ACCOUNT));
	if (!ti->block_locks || !ti->pages || !ti->rm_steps || !ti->rm_old)
		return -ENOMEM;
	ti->npages = npages;
	ti->view_linear = !is_vmalloc_addr(ti->pages);
	return 0;
}

/* What the LIOBN allocated, in bytes: for the binding's fdinfo */
static unsigned long liobn_bytes(struct kvmppc_tce_iommu *ti)
{
	return sizeof(*ti) + ti->npages * sizeof(*ti->pages) +
	       BITS_TO_LONGS(DIV_ROUND_UP(ti->size, TCE_BLOCK)) * sizeof(long) +
	       TCE_CHUNK * sizeof(*ti->rm_steps) +
	       TCE_CHUNK * TCE_TABLES_MAX * sizeof(*ti->rm_old) +
	       atomic_long_read(&ti->view_pages) * PAGE_SIZE;
}

/* The bound LIOBN, for those who change the lists. kvm->lock held. */
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

/* ---- tables ------------------------------------------------------------- */

/*
 * Take every entry of hwt's window out of its table: the table is off its
 * LIOBN and an SRCU grace period passed, so no hypercall writes it.
 */
static void table_clear(struct kvmppc_tce_iommu *ti, struct kvmppc_tce_hwt *hwt)
{
	struct tce_step small_steps[TCE_CLEAR_SMALL];
	struct tce_old small_old[TCE_CLEAR_SMALL];
	struct tce_step *steps = small_steps;
	struct tce_old *old = small_old;
	unsigned long chunk = TCE_CLEAR_SMALL, i;
	struct tce_plan p = {
		.mode = &tce_mode_vm, .ti = ti, .mm = ti->kvm->mm,
		.ntables = 1, .tables = { hwt },
	};

	/* fewer invalidations with bigger chunks; small ones never fail */
	if (ti->size > TCE_CLEAR_SMALL) {
		steps = kmalloc_array(TCE_CHUNK, sizeof(*steps), GFP_KERNEL);
		old = kmalloc_array(TCE_CHUNK, sizeof(*old), GFP_KERNEL);
		if (steps && old) {
			chunk = TCE_CHUNK;
		} else {
			kfree(steps);
			kfree(old);
			steps = small_steps;
			old = small_old;
		}
	}
	p.steps = steps;
	p.old = old;
	mutex_lock(&hwt->hw_lock);
	for (i = 0; i < ti->size; i += p.n) {
		bool allocated = true;

		p.idx = i;
		p.n = min_t(unsigned long, chunk, ti->size - i);
		/* a level never allocated holds nothing: skipped whole */
		if (hwt->tbl->it_ops->alloc_run)
			p.n = hwt->tbl->it_ops->alloc_run(hwt->tbl,
							  ti->offset + i, p.n,
							  &allocated);
		if (!allocated)
			continue;
		kvmppc_tce_clear(&p);
		kvmppc_tce_vm_finish(&p);
		cond_resched();
	}
	mutex_unlock(&hwt->hw_lock);
	if (steps != small_steps) {
		kfree(steps);
		kfree(old);
	}
}

/*
 * Copies the LIOBN's current mappings into a table it did not write
 * before. The table is listed and an SRCU grace period passed, so every
 * hypercall that commits from now on writes it too; a block whose view
 * changes between the copy's read and its commit was written by such a
 * hypercall, and the commit leaves it (tce_plan.replicate). Called under
 * kvm->srcu (memslots). Returns 0, -ENOMEM, or -EIO when an entry was
 * refused.
 */
static int table_replicate(struct kvmppc_tce_iommu *ti,
			   struct kvmppc_tce_hwt *hwt)
{
	struct tce_plan p = {
		.mode = &tce_mode_vm, .ti = ti, .mm = ti->kvm->mm,
		.ntables = 1, .tables = { hwt },
		.replicate = true,
	};
	struct tce_step *steps;
	unsigned long i, j;
	long ret = H_SUCCESS;

	steps = bind_alloc(kmalloc_array(TCE_BLOCK, sizeof(*steps),
					 GFP_KERNEL));
	p.old = bind_alloc(kmalloc_array(TCE_BLOCK, sizeof(*p.old),
					 GFP_KERNEL));
	p.steps = steps;
	if (!steps || !p.old) {
		kfree(steps);
		kfree(p.old);
		return -ENOMEM;
	}
	mutex_lock(&hwt->hw_lock);
	for (i = 0; i < ti->size && ret == H_SUCCESS; i += TCE_BLOCK) {
		bool any = false;

		if (!READ_ONCE(hwt->listed))
			break;	/* revoked meanwhile: the revoke clears it */
		p.idx = i;
		p.n = min_t(unsigned long, TCE_BLOCK, ti->size - i);
		for (j = 0; j < p.n; j++) {
			steps[j].tce = tce_view_get(ti, i + j);
			any |= tce_rule_maps(steps[j].tce);
		}
		if (!any)
			continue;
		p.slots = kvm_memslots(ti->kvm);
		ret = kvmppc_tce_change(&p);
		cond_resched();
	}
	mutex_unlock(&hwt->hw_lock);
	kfree(steps);
	kfree(p.old);
	return ret == H_SUCCESS ? 0 : -EIO;
}

/* ---- detaching a binding ------------------------------------------------ */

/*
 * b leaves its table, kvm->lock held. Returns whether it was attached;
 * *clear is its table when b was the table's last group: the table is then
 * off the LIOBN, and the caller clears and frees it after an SRCU grace
 * period.
 */
static bool binding_detach(struct kvmppc_tce_binding *b,
			   struct kvmppc_tce_hwt **clear)
{
	struct kvmppc_tce_hwt *hwt = b->hwt;

	lockdep_assert_held(&b->kvm->lock);
	*clear = NULL;
	if (!b->attached)
		return false;
	b->attached = false;
	if (--hwt->groups)
		return true;
	list_del_rcu(&hwt->next);
	WRITE_ONCE(hwt->listed, false);
	*clear = hwt;
	return true;
}

static void table_retire(struct kvmppc_tce_iommu *ti, struct kvmppc_tce_hwt *hwt)
{
	unsigned int delay = kvmppc_tce_fault_clear_delay();

	if (delay)
		msleep(delay);	/* debug: a clear that takes its time */
	table_clear(ti, hwt);
	kfree(hwt);
}

static int binding_group_id(struct kvmppc_tce_binding *b)
{
	return iommu_group_id(b->info.iommu_group);
}

static void vfio_put(struct kvmppc_tce_binding *b)
{
	void (*fn)(struct file *file, struct vfio_spapr_tce_kvm_info *info);

	fn = symbol_get(vfio_file_spapr_tce_kvm_put);
	if (WARN_ON(!fn))
		return;
	fn(b->group_file, &b->info);
	symbol_put(vfio_file_spapr_tce_kvm_put);
}

static int binding_release(struct inode *inode, struct file *file)
{
	struct kvmppc_tce_binding *b = file->private_data;
	struct kvmppc_tce_iommu *ti = b->ti;
	struct kvm *kvm = b->kvm;
	struct kvmppc_tce_hwt *clear;
	bool attached, last;

	mutex_lock(&bind_lock);
	mutex_lock(&b->clear_lock);
	mutex_lock(&ti->tables_lock);
	mutex_lock(&kvm->lock);
	attached = binding_detach(b, &clear);
	last = !--ti->files;
	if (last)
		list_del_rcu(&ti->list);
	mutex_unlock(&kvm->lock);

	if (clear || last)
		synchronize_srcu_expedited(&kvm->srcu);
	if (clear)
		table_retire(ti, clear);
	mutex_unlock(&ti->tables_lock);
	if (attached)
		trace_kvm_tce_iommu_unbind(ti->liobn, binding_group_id(b), false,
					   last);
	mutex_unlock(&b->clear_lock);
	/* drops the claim and the container user, unless revoked */
	vfio_put(b);
	mutex_unlock(&bind_lock);

	fput(b->group_file);
	kfree(b);
	if (last)
		liobn_put(ti);		/* the list's reference */
	liobn_put(ti);			/* the binding's reference */
	kvm_put_kvm(kvm);
	return 0;
}

/*
 * VFIO's callback: the group's last device is going away and the group is
 * about to leave its container; when this returns VFIO drops b's claim and
 * container user. Called with VFIO's group lock held.
 */
static void binding_revoke(struct vfio_spapr_tce_kvm_info *info)
{
	struct kvmppc_tce_binding *b = container_of(info, struct kvmppc_tce_binding,
						    info);
	struct kvm *kvm = b->kvm;
	struct kvmppc_tce_hwt *clear;
	bool attached;

	/* a close or a failed bind still clearing b's table: wait for it */
	mutex_lock(&b->clear_lock);
	mutex_lock(&b->ti->tables_lock);
	mutex_lock(&kvm->lock);
	b->revoked = true;	/* a bind in progress gives up */
	attached = binding_detach(b, &clear);
	mutex_unlock(&kvm->lock);

	if (clear) {
		synchronize_srcu_expedited(&kvm->srcu);
		table_retire(b->ti, clear);
	}
	mutex_unlock(&b->ti->tables_lock);
	if (attached)
		trace_kvm_tce_iommu_unbind(b->ti->liobn, binding_group_id(b),
					   true, false);
	mutex_unlock(&b->clear_lock);
}

/* ---- the binding fd ---------------------------------------------------- */

/*
 * A page of the view that is not allocated yet is allocated here: the
 * mapping must show what the hypercalls write into it later.
 */
static vm_fault_t binding_fault(struct vm_fault *vmf)
{
	struct kvmppc_tce_binding *b = vmf->vma->vm_file->private_data;
	struct page *page;

	if (vmf->pgoff >= b->ti->npages)
		return VM_FAULT_SIGBUS;
	page = tce_view_page_alloc(b->ti, vmf->pgoff);
	if (!page)
		return VM_FAULT_OOM;
	get_page(page);
	vmf->page = page;
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

/*
 * The LIOBN's window, how much of its view is allocated, and everything
 * the LIOBN allocated (the view's pages and index, the block locks, real
 * mode's plan), in bytes.
 */
static void binding_show_fdinfo(struct seq_file *m, struct file *file)
{
	struct kvmppc_tce_binding *b = file->private_data;
	struct kvmppc_tce_iommu *ti = b->ti;

	seq_printf(m, "liobn:\t0x%llx\n", ti->liobn);
	seq_printf(m, "page_shift:\t%u\n", ti->page_shift);
	seq_printf(m, "offset:\t%llu\n", ti->offset);
	seq_printf(m, "size:\t%llu\n", ti->size);
	seq_printf(m, "view_pages:\t%ld\n", atomic_long_read(&ti->view_pages));
	seq_printf(m, "view_pages_max:\t%lu\n", ti->npages);
	seq_printf(m, "bytes:\t%lu\n", liobn_bytes(ti));
}

static const struct file_operations binding_fops = {
	.mmap = binding_mmap,
	.release = binding_release,
	.show_fdinfo = binding_show_fdinfo,
};

/* ---- KVM_CREATE_SPAPR_TCE_IOMMU ------------------------------------------ */

/* v2: every memory slot of the guest must be preregistered memory. */
static bool guest_ram_preregistered(struct kvm *kvm)
{
	struct kvm_memory_slot *slot;
	bool ok = true;
	int bkt;

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
	/* v1 pins host pages: an IOMMU page must lie inside one */
	if (!info->v2 && info->tbl->it_page_shift > PAGE_SHIFT) {
		pr_debug("kvm: TCE IOMMU: v1 window with IOMMU pages larger than host pages\n");
		return -EINVAL;
	}
	if (info->v2 && !guest_ram_preregistered(kvm)) {
		pr_debug("kvm: TCE IOMMU: guest memory is not all preregistered\n");
		return -EINVAL;
	}
	return 0;
}

static int vfio_get(struct kvmppc_tce_binding *b)
{
	int (*get)(struct file *file, struct vfio_spapr_tce_kvm_info *info);
	int ret;

	get = symbol_get(vfio_file_spapr_tce_kvm_get);
	if (!get)
		return -EBADF;	/* no VFIO: cannot be a VFIO group */
	ret = get(b->group_file, &b->info);
	symbol_put(vfio_file_spapr_tce_kvm_get);
	return ret;
}

/*
 * The table b's window has in ti: the one already written for another
 * group of its container, or a new one (*fresh_hwt) that the caller lists.
 */
static int binding_table(struct kvmppc_tce_binding *b,
			 struct kvmppc_tce_hwt **hwt, bool *fresh_hwt)
{
	struct kvmppc_tce_iommu *ti = b->ti;
	struct kvmppc_tce_hwt *h;
	unsigned int n = 0;

	*fresh_hwt = false;
	mutex_lock(&b->kvm->lock);
	list_for_each_entry(h, &ti->tables, next) {
		n++;
		if (h->tbl == b->info.tbl) {
			*hwt = h;
			mutex_unlock(&b->kvm->lock);
			return 0;
		}
		if (h->v2 != b->info.v2) {
			mutex_unlock(&b->kvm->lock);
			return -EINVAL;	/* one LIOBN, one kind of container */
		}
	}
	mutex_unlock(&b->kvm->lock);
	if (n == TCE_TABLES_MAX)
		return -ENOSPC;
	h = bind_alloc(kzalloc(sizeof(*h), GFP_KERNEL_ACCOUNT));
	if (!h)
		return -ENOMEM;
	h->tbl = b->info.tbl;
	h->v2 = b->info.v2;
	mutex_init(&h->hw_lock);
	*hwt = h;
	*fresh_hwt = true;
	return 0;
}

/* Undo a bind that did not make it, bind_lock held; b may be attached */
static void bind_undo(struct kvmppc_tce_binding *b, bool fresh)
{
	struct kvmppc_tce_hwt *clear;
	struct kvm *kvm = b->kvm;

	mutex_lock(&b->clear_lock);
	mutex_lock(&b->ti->tables_lock);
	mutex_lock(&kvm->lock);
	binding_detach(b, &clear);
	mutex_unlock(&kvm->lock);
	if (clear) {
		/* hypercalls may have mapped into it: clear it */
		if (!fresh)
			synchronize_srcu_expedited(&kvm->srcu);
		table_retire(b->ti, clear);
	}
	mutex_unlock(&b->ti->tables_lock);
	mutex_unlock(&b->clear_lock);
}

static int bind_args_valid(struct kvm_create_spapr_tce_iommu *args)
{
	if (args->flags || args->pad)
		return -EINVAL;
	if (args->page_shift &&
	    (args->page_shift < 12 || args->page_shift > 34 || !args->size ||
	     args->offset + args->size > (ULLONG_MAX >> args->page_shift) ||
	     args->offset + args->size < args->offset))
		return -EINVAL;
	return 0;
}

/*
 * The LIOBN b binds: the one already bound (referenced for b), or a new
 * one (*fresh) that is listed only once the bind succeeds.
 */
static int bind_liobn(struct kvmppc_tce_binding *b, u64 liobn, bool *fresh)
{
	struct kvm *kvm = b->kvm;
	int ret = 0;

	*fresh = false;
	mutex_lock(&kvm->lock);
	if (emulated_liobn(kvm, liobn)) {
		ret = -EBUSY;	/* an emulated KVM_CREATE_SPAPR_TCE_64 table */
	} else {
		b->ti = liobn_find_locked(kvm, liobn);
		if (b->ti)
			refcount_inc(&b->ti->refs);	/* b's */
	}
	mutex_unlock(&kvm->lock);
	if (ret || b->ti)
		return ret;
	b->ti = liobn_new(kvm, liobn);
	if (!b->ti)
		return -ENOMEM;
	*fresh = true;
	return 0;
}

/* The window VFIO found is the LIOBN's (a new LIOBN takes it) */
static int bind_window(struct kvmppc_tce_binding *b, bool fresh)
{
	struct vfio_spapr_tce_kvm_info *info = &b->info;
	struct kvmppc_tce_iommu *ti = b->ti;

	if (fresh)
		return liobn_alloc_view(ti, info->page_shift, info->offset,
					info->size);
	if (ti->page_shift != info->page_shift || ti->offset != info->offset ||
	    ti->size != info->size)
		return -EINVAL;	/* one LIOBN, one window */
	return 0;
}

/* b counts in hwt, which a new table joins the LIOBN with. kvm->lock. */
static int bind_attach(struct kvmppc_tce_binding *b, struct kvmppc_tce_hwt *hwt,
		       bool fresh_hwt)
{
	lockdep_assert_held(&b->kvm->lock);
	if (b->revoked) {
		pr_debug("kvm: TCE IOMMU: the group's last device went away\n");
		return -ENODEV;
	}
	if (fresh_hwt) {
		list_add_tail_rcu(&hwt->next, &b->ti->tables);
		WRITE_ONCE(hwt->listed, true);
	}
	hwt->groups++;
	b->hwt = hwt;
	b->attached = true;
	return 0;
}

/*
 * A table that joined a LIOBN the guest may already use gets its current
 * mappings; every hypercall from the next grace period on writes it too.
 */
static int bind_replicate(struct kvmppc_tce_binding *b)
{
	struct kvm *kvm = b->kvm;
	int srcu, ret;

	synchronize_srcu_expedited(&kvm->srcu);
	srcu = srcu_read_lock(&kvm->srcu);	/* memslots */
	ret = table_replicate(b->ti, b->hwt);
	srcu_read_unlock(&kvm->srcu, srcu);
	return ret;
}

/* Binding done: the fd, and a new LIOBN on the VM's list */
static int bind_publish(struct kvmppc_tce_binding *b, bool fresh,
			struct kvm_create_spapr_tce_iommu *args)
{
	struct kvm *kvm = b->kvm;
	bool revoked;
	int fd;

	mutex_lock(&kvm->lock);
	revoked = b->revoked;
	mutex_unlock(&kvm->lock);
	if (revoked)
		return -ENODEV;	/* the group's last device went away */
	if (bind_fault(BIND_STEP_PUBLISH))
		return -ENOMEM;
	kvm_get_kvm(kvm);
	fd = anon_inode_getfd("kvm-spapr-tce-iommu", &binding_fops, b,
			      O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		kvm_put_kvm_no_destroy(kvm);
		return fd;
	}
	/* the fd cannot be released before bind_lock goes */
	mutex_lock(&kvm->lock);
	if (fresh) {
		refcount_inc(&b->ti->refs);	/* the list's */
		list_add_rcu(&b->ti->list, &kvm->arch.tce_iommu_liobns);
	}
	b->ti->files++;
	mutex_unlock(&kvm->lock);
	trace_kvm_tce_iommu_bind(args->liobn, binding_group_id(b),
				 b->info.page_shift, b->info.offset,
				 b->info.size, b->info.v2, fresh);
	return fd;
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
	struct kvmppc_tce_binding *b;
	struct kvmppc_tce_hwt *hwt;
	bool fresh, fresh_hwt = false;
	int ret;

	ret = bind_args_valid(args);
	if (ret)
		return ret;
	b = bind_alloc(kzalloc(sizeof(*b), GFP_KERNEL_ACCOUNT));
	if (!b)
		return -ENOMEM;
	b->kvm = kvm;
	mutex_init(&b->clear_lock);
	b->info.revoke = binding_revoke;
	b->info.page_shift = args->page_shift;
	b->info.offset = args->offset;
	b->info.size = args->size;
	b->group_file = fget(args->groupfd);
	if (!b->group_file) {
		kfree(b);
		return -EBADF;
	}

	mutex_lock(&bind_lock);
	ret = bind_liobn(b, args->liobn, &fresh);
	if (ret)
		goto put_file;
	b->info.owner = b->ti;
	ret = vfio_get(b);
	if (ret)
		goto put_liobn;
	ret = bind_fault(BIND_STEP_CLAIMED);
	if (!ret)
		ret = check_container(kvm, &b->info);
	if (!ret)
		ret = bind_window(b, fresh);
	if (!ret)
		ret = bind_fault(BIND_STEP_WINDOW);
	if (ret)
		goto put_vfio;

	/* a table whose last group is leaving is cleared before it is chosen */
	mutex_lock(&b->ti->tables_lock);
	ret = binding_table(b, &hwt, &fresh_hwt);
	if (ret) {
		mutex_unlock(&b->ti->tables_lock);
		goto put_vfio;
	}
	mutex_lock(&kvm->lock);
	ret = bind_attach(b, hwt, fresh_hwt);
	if (!ret && fresh && emulated_liobn(kvm, args->liobn))
		ret = -EBUSY;	/* KVM_CREATE_SPAPR_TCE_64 got there first */
	mutex_unlock(&kvm->lock);
	mutex_unlock(&b->ti->tables_lock);
	if (ret) {
		if (fresh_hwt && !b->attached)
			kfree(hwt);
		goto undo;
	}
	ret = bind_fault(BIND_STEP_ATTACHED);
	if (!ret && fresh_hwt && !fresh)
		ret = bind_replicate(b);
	if (!ret)
		ret = bind_fault(BIND_STEP_REPLICATED);
	if (ret)
		goto undo;
	ret = bind_publish(b, fresh, args);
	if (ret < 0)
		goto undo;
	mutex_unlock(&bind_lock);
	return ret;

undo:
	bind_undo(b, fresh);
put_vfio:
	vfio_put(b);
put_liobn:
	liobn_put(b->ti);	/* b's: a new LIOBN was never listed */
put_file:
	mutex_unlock(&bind_lock);
	fput(b->group_file);
	kfree(b);
	return ret;
}

/* For KVM_CREATE_SPAPR_TCE_64: is this LIOBN bound here? kvm->lock held. */
bool kvmppc_tce_iommu_liobn_in_use(struct kvm *kvm, u64 liobn)
{
	return liobn_find_locked(kvm, liobn);
}
