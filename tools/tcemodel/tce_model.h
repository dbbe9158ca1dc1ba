/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A reference model of the PAPR TCE hypercalls H_PUT_TCE, H_PUT_TCE_INDIRECT,
 * H_STUFF_TCE and H_GET_TCE as Documentation/api-spapr-tce-iommu.rst
 * ("Hypercalls") and Documentation/papr-tce-model.md state them: the return
 * code of every call and the guest's view of every window after it.
 *
 * Plain C, libc only, no allocation: a struct tce_model holds up to
 * TCE_MODEL_MAX_WINDOWS windows and TCE_MODEL_MAX_SLOTS memory slots; each
 * window's view is storage the caller gives. Not thread-safe: serialise the
 * calls on one model.
 */
#ifndef TCE_MODEL_H
#define TCE_MODEL_H

#include <stdint.h>

/* PAPR return codes (arch/powerpc/include/asm/hvcall.h) */
#define TCE_H_SUCCESS		0
#define TCE_H_HARDWARE		(-1)
#define TCE_H_FUNCTION		(-2)
#define TCE_H_PARAMETER		(-4)

/* hypercall numbers */
#define TCE_H_GET_TCE		0x1c
#define TCE_H_PUT_TCE		0x20
#define TCE_H_STUFF_TCE		0x138
#define TCE_H_PUT_TCE_INDIRECT	0x13c

/* TCE permission bits (PAPR bits 63 and 62, big-endian numbering) */
#define TCE_MODEL_READ		0x1ULL	/* the device may read the page */
#define TCE_MODEL_WRITE		0x2ULL	/* the device may write the page */
#define TCE_MODEL_PERM		(TCE_MODEL_READ | TCE_MODEL_WRITE)

#define TCE_MODEL_LIST_MAX	512	/* TCEs in an H_PUT_TCE_INDIRECT list */
#define TCE_MODEL_LIST_ALIGN	4096ULL	/* its alignment, in bytes */
#define TCE_MODEL_MAX_WINDOWS	8
#define TCE_MODEL_MAX_SLOTS	32
#define TCE_MODEL_SHIFT_MIN	12	/* IOMMU page shifts accepted */
#define TCE_MODEL_SHIFT_MAX	34

struct tce_model_window {
	uint64_t liobn;
	unsigned int page_shift;	/* IOMMU page: 1 << page_shift bytes */
	uint64_t offset;		/* first entry: ioba >> page_shift */
	uint64_t size;			/* entries */
	/*
	 * The guest's view: size u64, CPU byte order, entry `offset` first,
	 * each as the guest last wrote it. The caller's storage; the model
	 * takes it as it is when the window is added.
	 */
	uint64_t *view;
};

struct tce_model_slot {
	uint64_t gpa;			/* guest physical base, bytes */
	uint64_t size;			/* bytes, > 0 */
	int readonly;			/* KVM_MEM_READONLY: no TCE_PCI_WRITE */
	/* optional: where the slot's guest memory is (H_PUT_TCE_INDIRECT lists) */
	const void *host;
};

/*
 * Commit hook answers (see tce_model_set_hooks()): how one entry's
 * exchange went on the caller's side (the hardware tables, VFIO).
 */
enum tce_model_commit {
	TCE_MODEL_COMMIT_OK = 0,	/* done: the view takes the new TCE */
	TCE_MODEL_COMMIT_CLEARED,	/* refused, the entry cleared: view 0 */
	TCE_MODEL_COMMIT_KEPT,		/* refused, even the clearing: view keeps old */
};

/*
 * page_ok: a mapping TCE's page, which passed every rule of the model, at
 * guest physical gpa (IOMMU-page aligned, wholly in one slot): return
 * TCE_H_SUCCESS; TCE_H_PARAMETER when its userspace or host address is
 * not aligned to the IOMMU page (a memory slot that starts inside an IOMMU
 * page); TCE_H_HARDWARE when the page cannot be held (preregistered memory
 * or pinning refuses it). No side effect: a call may still fail after it.
 * NULL: every page is fine.
 *
 * commit: the entry idx (0 = the window's first) goes from old to tce, in
 * order, once the whole call was resolved. Called only when old or tce maps
 * (an unmapped entry that stays unmapped cannot fail, and changes only the
 * view). The first answer other than TCE_MODEL_COMMIT_OK ends the call with
 * TCE_H_HARDWARE: the entries before stay as written, the ones after are not
 * touched. NULL: every exchange succeeds.
 */
typedef long (*tce_model_page_fn)(void *ctx, const struct tce_model_window *w,
				  uint64_t gpa, uint64_t tce);
typedef enum tce_model_commit (*tce_model_commit_fn)(void *ctx,
						    const struct tce_model_window *w,
						    uint64_t idx, uint64_t old,
						    uint64_t tce);

struct tce_model {
	struct tce_model_window win[TCE_MODEL_MAX_WINDOWS];
	unsigned int nwin;
	struct tce_model_slot slot[TCE_MODEL_MAX_SLOTS];
	unsigned int nslots;
	tce_model_page_fn page_ok;
	tce_model_commit_fn commit;
	void *ctx;
	/*
	 * Nonzero: every call is resolved and answered (TCE_H_SUCCESS: it
	 * would be carried out), but nothing is written: no view entry, no
	 * commit hook. H_GET_TCE reads the view as usual. For a view the
	 * caller cannot write (a read-only mmap of someone else's table).
	 */
	int check_only;
};

/* An empty model: no window (every LIOBN unbound), no RAM, no hooks. */
void tce_model_init(struct tce_model *m);

/*
 * Binds liobn to a window of size entries of 1 << page_shift bytes from
 * entry offset, whose view is the caller's array of size u64 (not cleared).
 * 0; -EINVAL (page_shift outside TCE_MODEL_SHIFT_MIN..MAX, size 0, no view,
 * or a window whose end does not fit in a 64-bit IOBA), -EEXIST (liobn is
 * bound), -ENOSPC (TCE_MODEL_MAX_WINDOWS windows already).
 */
int tce_model_add_window(struct tce_model *m, uint64_t liobn, unsigned int page_shift,
			 uint64_t offset, uint64_t size, uint64_t *view);
/* Unbinds liobn: 0, or -ENOENT. Its view is left as it is. */
int tce_model_remove_window(struct tce_model *m, uint64_t liobn);
/* The window of liobn, or NULL when it is not bound. */
struct tce_model_window *tce_model_window(struct tce_model *m, uint64_t liobn);

/*
 * Adds a memory slot of guest RAM [gpa, gpa + size); host (may be NULL)
 * is where its bytes are. 0; -EINVAL (size 0 or gpa + size overflowing),
 * -EEXIST (overlaps another slot), -ENOSPC.
 */
int tce_model_add_slot(struct tce_model *m, uint64_t gpa, uint64_t size, int readonly,
		       const void *host);

void tce_model_set_hooks(struct tce_model *m, tce_model_page_fn page_ok,
			 tce_model_commit_fn commit, void *ctx);

/* The hypercalls: each returns the PAPR code, and changes the view as it says. */
long tce_model_put(struct tce_model *m, uint64_t liobn, uint64_t ioba, uint64_t tce);
/*
 * list: the guest's list page as it lies in guest memory, i.e. npages TCEs
 * in big-endian byte order (PAPR), at guest physical list_gpa. NULL: the
 * model reads it from the host pointer of the slot holding list_gpa (or
 * answers TCE_H_PARAMETER when that slot has none). It is read once, and
 * only after list_gpa passed its rules (npages 0: never).
 */
long tce_model_put_indirect(struct tce_model *m, uint64_t liobn, uint64_t ioba,
			    const uint64_t *list, uint64_t list_gpa, uint64_t npages);
long tce_model_stuff(struct tce_model *m, uint64_t liobn, uint64_t ioba, uint64_t value,
		     uint64_t npages);
/* *tce (r4) is written on TCE_H_SUCCESS only. */
long tce_model_get(struct tce_model *m, uint64_t liobn, uint64_t ioba, uint64_t *tce);

/*
 * One hypercall by number, args = r4..r7 as the guest passed them; the
 * INDIRECT list is read through the slots' host pointers. *r4 gets
 * H_GET_TCE's TCE. Numbers that are not TCE hypercalls: TCE_H_FUNCTION.
 */
long tce_model_hcall(struct tce_model *m, uint64_t nr, const uint64_t args[4], uint64_t *r4);

/* nonzero for the four TCE hypercall numbers */
int tce_model_is_tce_hcall(uint64_t nr);

/* "H_SUCCESS", "H_PARAMETER", ... or "H_?" (for test and log messages) */
const char *tce_model_rc_name(long rc);

#endif
