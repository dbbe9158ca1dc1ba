/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * KVM_CREATE_SPAPR_TCE_IOMMU: the objects every layer shares.
 *
 *   book3s_64_tce_rules.h   the TCE rules (static inlines, no VM state)
 *   book3s_64_tce_commit.c  resolve, commit, invalidate, release: the one
 *                           implementation of a change of entries; built
 *                           into the kernel image
 *   book3s_64_tce_vm.c      the virtual-mode hypercall handlers and the
 *                           virtual mode's accessors (struct tce_mode)
 *   book3s_64_tce_rm.c      the real-mode hypercall handlers (POWER8, MMU
 *                           off) and the real mode's accessors; built into
 *                           the kernel image
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
#define TCE_PLAN_SMALL	8	/* entries a call's plan keeps on the stack */

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
	/*
	 * The guest's view, CPU byte order: page i holds entries
	 * [i * TCE_VIEW_PAGE, (i + 1) * TCE_VIEW_PAGE), or is NULL while they
	 * are all 0. A page comes when an entry of it is first written or
	 * mapped by userspace (virtual mode: tce_view_page_alloc()), is
	 * published with a cmpxchg, and goes with the LIOBN.
	 */
	struct page **pages;
	atomic_long_t view_pages;	/* pages[] allocated */
	bool view_linear;		/* pages[] is not vmalloc'ed */
	/* real mode's plan for calls of more than a few entries */
	unsigned long rm_busy;		/* bit 0: the plan is in use */
	struct tce_step *rm_steps;	/* TCE_CHUNK of them */
	struct tce_old *rm_old;		/* TCE_CHUNK * TCE_TABLES_MAX */
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

struct mm_iommu_table_group_mem_t;

/*
 * What differs between the modes a plan runs in: virtual mode
 * (book3s_64_tce_vm.c) and real mode (book3s_64_tce_rm.c). Everything
 * else of a change is the same code. The real mode's never sleep,
 * allocate, trace or fault; it has no v1 (pin, unpin: NULL) and no RCU
 * read section to enter (interrupts are off: rcu_enter, rcu_exit NULL).
 */
struct tce_mode {
	void (*rcu_enter)(void);
	void (*rcu_exit)(void);
	struct mm_iommu_table_group_mem_t *(*mem)(struct mm_struct *mm,
						  unsigned long ua,
						  unsigned long size);
	long (*mem_hpa)(struct mm_iommu_table_group_mem_t *mem,
			unsigned long ua, unsigned int shift,
			unsigned long *hpa);
	long (*pin)(unsigned long ua, unsigned long *hpa);
	void (*unpin)(unsigned long hpa);
	/* exchange (virtual mode marks the old page dirty as it goes) */
	long (*exchange)(struct mm_struct *mm, struct iommu_table *tbl,
			 unsigned long entry, unsigned long *hpa,
			 enum dma_data_direction *dir);
	/* v2: the old page at ua may have been written (or NULL: see exchange) */
	void (*dirty)(struct mm_struct *mm, unsigned long ua);
	__be64 *(*ua_entry)(struct iommu_table *tbl, unsigned long entry);
	void (*kill)(struct iommu_table *tbl, unsigned long entry,
		     unsigned long n);
};

/*
 * A change of entries [idx, idx + n) of one LIOBN: n <= TCE_CHUNK. The
 * tables are those listed when the call was resolved (the call runs in one
 * SRCU read section: none of them goes away under it).
 */
struct tce_plan {
	const struct tce_mode *mode;
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
	bool locked;			/* the caller holds all block locks */
	struct tce_step *steps;		/* n of them */
	struct tce_old *old;		/* n * ntables: [step * ntables + t] */
};

/*
 * The steps and old entries a plan of n entries needs: a short call's on
 * the caller's stack (tce_plan_mem_small()); a longer call's come from its
 * mode (virtual mode allocates them, real mode borrows the LIOBN's).
 */
struct tce_plan_mem {
	struct tce_step *steps;
	struct tce_old *old;
	struct tce_step small_steps[TCE_PLAN_SMALL];
	struct tce_old small_old[TCE_PLAN_SMALL * TCE_TABLES_MAX];
};

static inline bool tce_plan_mem_small(struct tce_plan_mem *m, unsigned long n)
{
	if (n > TCE_PLAN_SMALL)
		return false;
	m->steps = m->small_steps;
	m->old = m->small_old;
	return true;
}

/* ---- book3s_64_tce_commit.c ---------------------------------------------- */

#define TCE_VIEW_PAGE	(PAGE_SIZE / sizeof(u64))	/* entries per view page */

/* Entry idx of the view, or NULL while its page is not allocated (all 0) */
static inline u64 *tce_view(struct kvmppc_tce_iommu *ti, unsigned long idx)
{
	struct page *page = READ_ONCE(ti->pages[idx / TCE_VIEW_PAGE]);

	if (!page)
		return NULL;
	return (u64 *)page_address(page) + idx % TCE_VIEW_PAGE;
}

/* What entry idx of the view holds */
static inline u64 tce_view_get(struct kvmppc_tce_iommu *ti, unsigned long idx)
{
	u64 *view = tce_view(ti, idx);

	/* an aligned u64: whole, before or after a concurrent change */
	return view ? READ_ONCE(*view) : 0;
}

/* What a virtual-mode caller reports of a finishing plan (tracepoints) */
struct tce_report {
	void (*killed)(struct tce_plan *p);
	void (*released)(struct tce_plan *p, unsigned long step);
};

struct kvmppc_tce_iommu *kvmppc_tce_liobn_find(struct kvm *kvm,
					       unsigned long liobn);
void kvmppc_tce_plan_init(struct tce_plan *p, const struct tce_mode *mode,
			  struct kvmppc_tce_iommu *ti,
			  struct kvm_memslots *slots, unsigned long idx,
			  unsigned long n, struct tce_step *steps,
			  struct tce_old *old);
bool kvmppc_tce_view_ready(struct tce_plan *p);
long kvmppc_tce_resolve(struct tce_plan *p);
long kvmppc_tce_commit(struct tce_plan *p);
void kvmppc_tce_clear(struct tce_plan *p);
void kvmppc_tce_kill(struct tce_plan *p, unsigned int t);
bool kvmppc_tce_release(struct tce_plan *p, unsigned long step,
			unsigned int t);
void kvmppc_tce_unresolve(struct tce_plan *p);
void kvmppc_tce_finish(struct tce_plan *p, const struct tce_report *r);
bool kvmppc_tce_block_trylock_range(struct kvmppc_tce_iommu *ti,
				    unsigned long idx, unsigned long n);
void kvmppc_tce_block_unlock_range(struct kvmppc_tce_iommu *ti,
				   unsigned long idx, unsigned long n);
void kvmppc_tce_block_lock(struct kvmppc_tce_iommu *ti, unsigned long idx)
	__acquires(bitlock);
void kvmppc_tce_block_unlock(struct kvmppc_tce_iommu *ti, unsigned long idx)
	__releases(bitlock);

#ifdef CONFIG_DEBUG_KERNEL
bool kvmppc_tce_fault_bind(unsigned int step);
unsigned int kvmppc_tce_fault_clear_delay(void);
bool kvmppc_tce_fault_rm(unsigned int stage);
bool kvmppc_tce_fault_xchg(void);
bool kvmppc_tce_fault_mem(void);
bool kvmppc_tce_fault_pin(void);
bool kvmppc_tce_fault_alloc(void);
#else
static inline bool kvmppc_tce_fault_bind(unsigned int step)
{
	return false;
}

static inline unsigned int kvmppc_tce_fault_clear_delay(void)
{
	return 0;
}

static inline bool kvmppc_tce_fault_rm(unsigned int stage)
{
	return false;
}

static inline bool kvmppc_tce_fault_xchg(void)
{
	return false;
}

static inline bool kvmppc_tce_fault_mem(void)
{
	return false;
}

static inline bool kvmppc_tce_fault_pin(void)
{
	return false;
}

static inline bool kvmppc_tce_fault_alloc(void)
{
	return false;
}
#endif

/* ---- book3s_64_tce_vm.c -------------------------------------------------- */

extern const struct tce_mode tce_mode_vm;

long kvmppc_tce_change(struct tce_plan *p);
struct page *tce_view_page_alloc(struct kvmppc_tce_iommu *ti,
				 unsigned long pg);
void kvmppc_tce_vm_finish(struct tce_plan *p);

/* ---- book3s_64_tce_rm.c -------------------------------------------------- */

long kvmppc_tce_rm_put(struct kvm_vcpu *vcpu);
long kvmppc_tce_rm_put_indirect(struct kvm_vcpu *vcpu);
long kvmppc_tce_rm_stuff(struct kvm_vcpu *vcpu);
long kvmppc_tce_rm_get(struct kvm_vcpu *vcpu);
long kvmppc_tce_early(struct kvm_vcpu *vcpu, unsigned long req);

#endif
