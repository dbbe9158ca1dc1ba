/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The TCE rules of KVM_CREATE_SPAPR_TCE_IOMMU: what a guest may ask of a
 * bound LIOBN's window, written once for every mode.
 *
 * Everything here is a static inline function of its arguments (a window's
 * geometry, a TCE, a memory slot): no VM state, no lock, no allocation, no
 * side effect, no tracing, no printk. Real-mode code may call all of it;
 * so may anything that cannot sleep.
 */
#ifndef __KVM_BOOK3S_64_TCE_RULES_H
#define __KVM_BOOK3S_64_TCE_RULES_H

#include <linux/dma-direction.h>
#include <linux/kvm_host.h>
#include <linux/sizes.h>
#include <asm/hvcall.h>
#include <asm/tce.h>

#define TCE_LIST_MAX	512	/* PAPR: one 4 KiB page of TCEs */

/* PAPR's permission bits; no permission is an unmapping, whatever else */
static inline bool tce_rule_maps(u64 tce)
{
	return tce & (TCE_PCI_READ | TCE_PCI_WRITE);
}

/* The direction a TCE lets a device use its page in */
static inline enum dma_data_direction tce_rule_dir(u64 tce)
{
	switch (tce & (TCE_PCI_READ | TCE_PCI_WRITE)) {
	case TCE_PCI_READ | TCE_PCI_WRITE:
		return DMA_BIDIRECTIONAL;
	case TCE_PCI_READ:
		return DMA_TO_DEVICE;
	case TCE_PCI_WRITE:
		return DMA_FROM_DEVICE;
	default:
		return DMA_NONE;
	}
}

/* The guest physical address a mapping TCE points at */
static inline unsigned long tce_rule_gpa(u64 tce)
{
	return tce & ~(u64)(TCE_PCI_READ | TCE_PCI_WRITE);
}

/*
 * The entries [*idx, *idx + npages) of the window (start offset, size
 * entries, of 1 << page_shift bytes each) that ioba starts: ioba is
 * IOMMU-page aligned and the whole range, computed without overflow, lies
 * in the window. An empty range (npages 0: PAPR does not make a count of
 * 0 an error) may start at the window's end.
 */
static inline long tce_rule_range(u32 page_shift, u64 offset, u64 size,
				  unsigned long ioba, unsigned long npages,
				  unsigned long *idx)
{
	unsigned long entry;

	if (ioba & ((1UL << page_shift) - 1))
		return H_PARAMETER;
	entry = ioba >> page_shift;
	if (entry < offset || entry - offset > size ||
	    npages > size - (entry - offset))
		return H_PARAMETER;
	*idx = entry - offset;
	return H_SUCCESS;
}

/*
 * A memory slot that serves guest physical [gpa, gpa + len): the slot is
 * live (not being deleted), holds all of the range, and is writable when
 * the device may write. The userspace address of gpa goes to *ua.
 */
static inline long tce_rule_slot(struct kvm_memory_slot *slot,
				 unsigned long gpa, unsigned long len,
				 bool write, unsigned long *ua)
{
	unsigned long gfn = gpa >> PAGE_SHIFT;
	unsigned long last = (gpa + len - 1) >> PAGE_SHIFT;

	if (!slot || slot->flags & KVM_MEMSLOT_INVALID)
		return H_PARAMETER;
	if (gfn < slot->base_gfn || last >= slot->base_gfn + slot->npages)
		return H_PARAMETER;
	if (write && slot->flags & KVM_MEM_READONLY)
		return H_PARAMETER;
	*ua = slot->userspace_addr +
	      ((gfn - slot->base_gfn) << PAGE_SHIFT) + (gpa & ~PAGE_MASK);
	return H_SUCCESS;
}

/*
 * A mapping TCE's page: its guest address is IOMMU-page aligned (the bits
 * between the permissions and the page are reserved), the page is wholly
 * in the slot given, writable if the TCE lets the device write, and its
 * userspace address is IOMMU-page aligned too (a slot need not start on an
 * IOMMU page: the hardware would get a host page it cannot express).
 */
static inline long tce_rule_tce_page(struct kvm_memory_slot *slot,
				     u32 page_shift, u64 tce,
				     unsigned long *ua)
{
	unsigned long gpa = tce_rule_gpa(tce);
	unsigned long mask = (1UL << page_shift) - 1;
	long ret;

	if (gpa & mask)
		return H_PARAMETER;
	ret = tce_rule_slot(slot, gpa, 1UL << page_shift,
			    tce & TCE_PCI_WRITE, ua);
	if (ret != H_SUCCESS)
		return ret;
	return *ua & mask ? H_PARAMETER : H_SUCCESS;
}

/* A host physical address the hardware table can hold for this window */
static inline long tce_rule_hpa(u32 page_shift, unsigned long hpa)
{
	return hpa & ((1UL << page_shift) - 1) ? H_PARAMETER : H_SUCCESS;
}

/*
 * An H_PUT_TCE_INDIRECT list: 4 KiB aligned, at most 512 entries (none
 * are read when npages is 0)
 */
static inline long tce_rule_list(unsigned long list, unsigned long npages)
{
	if (list & (SZ_4K - 1) || npages > TCE_LIST_MAX)
		return H_PARAMETER;
	return H_SUCCESS;
}

/* H_STUFF_TCE clears: a value with a permission bit is refused */
static inline long tce_rule_stuff(u64 tce)
{
	return tce_rule_maps(tce) ? H_PARAMETER : H_SUCCESS;
}

#endif
