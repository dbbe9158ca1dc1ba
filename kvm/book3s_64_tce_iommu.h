/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * KVM_CREATE_SPAPR_TCE_IOMMU: the objects every layer shares.
 *
 *   book3s_64_tce_rules.h   the TCE rules (static inlines, no VM state)
 *   book3s_64_tce_commit.c  resolve, commit, invalidate, release: the one
 *                           implementation of a change of entries; built
 *                           into the kernel image
 *   book3s_64_tce_vm.c      the virtual-mode hypercall handlers
 *   book3s_64_tce_iommu.c   the uapi and the lifecycle: bind, replicate,
 *                           release, revoke, mmap
 *
 * A bound LIOBN (struct kvmppc_tce_iommu) has the guest's view of its
 * window and the hardware tables it writes (struct kvmppc_tce_hwt, one per
 * distinct iommu_table, however many groups share it). A table bound here
 * has exactly one writer: it is claimed (iommu_table_kvm_claim()) for the
 * LIOBN, and nobody else writes it while the claim lasts.
 */
#ifndef __KVM_BOOK3S_64_TCE_IOMMU_H
#define __KVM_BOOK3S_64_TCE_IOMMU_H

#include <linux/bitops.h>
#include <linux/dma-direction.h>
#include <linux/kvm_host.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/rculist.h>
#include <linux/refcount.h>

#define TCE_BLOCK_SHIFT	6
#define TCE_BLOCK	BIT(TCE_BLOCK_SHIFT)	/* entries per block lock */
#define TCE_TABLES_MAX	4	/* distinct hardware tables per LIOBN */
#define TCE_CHUNK	512	/* entries one commit handles at most */

struct iommu_table;

/*
 * One hardware table a LIOBN writes. On ti->tables (SRCU for hypercalls,
 * changed under kvm->lock) while listed; hw_lock orders the bulk writers
 * of the table (replication into it, its final clear).
 */
struct kvmppc_tce_hwt {
	struct list_head next;
	struct iommu_table *tbl;	/* referenced and claimed */
	bool v2;			/* preregistered memory, else pins */
	bool listed;			/* kvm->lock */
	unsigned int groups;		/* bindings behind it; kvm->lock */
	struct mutex hw_lock;
};

struct kvmppc_tce_iommu {
	struct list_head list;		/* kvm->arch.tce_iommu_liobns */
	struct kvm *kvm;
	u64 liobn;
	u32 page_shift;
	u64 offset;			/* window start, in IOMMU pages */
	u64 size;			/* window size, in IOMMU pages */
	refcount_t refs;		/* the list's and each binding's */
	struct list_head tables;	/* kvmppc_tce_hwt; see above */
	struct mutex tables_lock;	/* a table's retirement, a bind's choice */
	unsigned int files;		/* binding fds; kvm->lock */
	unsigned long *block_locks;	/* one bit per TCE_BLOCK entries */
	struct rcu_head rcu;
	unsigned long npages;
	struct page **pages;		/* the guest's view, CPU byte order */
};

/* What an entry of a hardware table held before a commit took it out */
struct tce_old {
	unsigned long hpa;
	unsigned long ua;		/* v2: the userspace record */
	enum dma_data_direction dir;
};

/* One entry of a call, as resolved before anything changes */
struct tce_step {
	u64 tce;
	unsigned long ua;
	unsigned long hpa;
	bool held;			/* each table holds the new page */
	unsigned int live;		/* tables to release it from */
};

/*
 * A change of entries [idx, idx + n) of one LIOBN: n <= TCE_CHUNK. The
 * tables are those listed when the call was resolved (the call runs in one
 * SRCU read section: none of them goes away under it).
 */
struct tce_plan {
	struct kvmppc_tce_iommu *ti;
	struct kvm_memslots *slots;
	struct mm_struct *mm;
	unsigned long idx;
	unsigned long n;
	unsigned int ntables;
	struct kvmppc_tce_hwt *tables[TCE_TABLES_MAX];
	unsigned long committed;	/* steps the commit went through */
	bool changed;			/* an entry was or became mapped */
	bool replicate;			/* into new tables, view untouched */
	struct tce_step *steps;		/* n of them */
	struct tce_old *old;		/* n * ntables: [step * ntables + t] */
};

/* ---- book3s_64_tce_commit.c ---------------------------------------------- */

static inline u64 *tce_view(struct kvmppc_tce_iommu *ti, unsigned long idx)
{
	u64 *page = page_address(ti->pages[idx / (PAGE_SIZE / sizeof(u64))]);

	return &page[idx % (PAGE_SIZE / sizeof(u64))];
}

long kvmppc_tce_resolve(struct tce_plan *p);
long kvmppc_tce_commit(struct tce_plan *p);
void kvmppc_tce_clear(struct tce_plan *p);
void kvmppc_tce_kill(struct tce_plan *p, unsigned int t);
bool kvmppc_tce_release(struct tce_plan *p, unsigned long step,
			unsigned int t);
void kvmppc_tce_unresolve(struct tce_plan *p);
void kvmppc_tce_block_lock(struct kvmppc_tce_iommu *ti, unsigned long idx)
	__acquires(bitlock);
void kvmppc_tce_block_unlock(struct kvmppc_tce_iommu *ti, unsigned long idx)
	__releases(bitlock);

#ifdef CONFIG_DEBUG_KERNEL
bool kvmppc_tce_fault_bind(unsigned int step);
unsigned int kvmppc_tce_fault_clear_delay(void);
#else
static inline bool kvmppc_tce_fault_bind(unsigned int step)
{
	return false;
}

static inline unsigned int kvmppc_tce_fault_clear_delay(void)
{
	return 0;
}
#endif

/* ---- book3s_64_tce_vm.c -------------------------------------------------- */

struct kvmppc_tce_iommu *kvmppc_tce_liobn_find(struct kvm *kvm,
					       unsigned long liobn);
long kvmppc_tce_change(struct tce_plan *p);
void kvmppc_tce_finish(struct tce_plan *p);

#endif
