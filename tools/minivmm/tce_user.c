// SPDX-License-Identifier: GPL-2.0
/*
 * The TCE hypercalls that reach minivmm, answered by the reference model
 * (see tce_user.h, Documentation/papr-tce-model.md).
 */
#include <stddef.h>
#include <string.h>

#include "tce_user.h"

void mv_tce_init_none(struct mv_tce *t)
{
	memset(t, 0, sizeof(*t));
	t->mode = MV_TCE_NONE;
	tce_model_init(&t->model);
}

/* A mapping's page must sit on an IOMMU page in minivmm's memory too */
static long page_ok(void *ctx, const struct tce_model_window *w, uint64_t gpa, uint64_t tce)
{
	const struct mv_tce *t = ctx;
	uintptr_t ua = (uintptr_t)(t->mem + gpa);

	(void)tce;
	return ua & ((1ULL << w->page_shift) - 1) ? TCE_H_PARAMETER : TCE_H_SUCCESS;
}

/*
 * The VFIO side of one entry's change, as the model commits it: what the
 * entry mapped is unmapped first (refused: nothing changed, the view keeps
 * it), then the new mapping is made (refused: the entry is left cleared).
 */
static enum tce_model_commit commit(void *ctx, const struct tce_model_window *w,
				    uint64_t idx, uint64_t old, uint64_t tce)
{
	const struct mv_tce *t = ctx;
	uint64_t iova = t->win_start + (idx << w->page_shift);

	if (!t->map)
		return TCE_MODEL_COMMIT_OK;
	if ((old & TCE_MODEL_PERM) && t->unmap(t->ctx, iova))
		return TCE_MODEL_COMMIT_KEPT;
	if ((tce & TCE_MODEL_PERM) &&
	    t->map(t->ctx, iova, tce & ~TCE_MODEL_PERM, tce & TCE_MODEL_PERM))
		return TCE_MODEL_COMMIT_CLEARED;
	return TCE_MODEL_COMMIT_OK;
}

static int init_model(struct mv_tce *t, enum mv_tce_mode mode, uint64_t liobn,
		      uint64_t win_start, uint64_t entries, uint64_t *view,
		      const uint8_t *mem, uint64_t ram)
{
	mv_tce_init_none(t);
	t->mode = mode;
	t->liobn = liobn;
	t->win_start = win_start;
	t->mem = mem;
	if (win_start & ((1ULL << MV_TCE_SHIFT) - 1) ||
	    tce_model_add_slot(&t->model, 0, ram, 0, mem))
		return -1;
	if (!view)
		return 0;
	if (tce_model_add_window(&t->model, liobn, MV_TCE_SHIFT, win_start >> MV_TCE_SHIFT,
				 entries, view))
		return -1;
	t->have_view = 1;
	tce_model_set_hooks(&t->model, page_ok, commit, t);
	return 0;
}

int mv_tce_init_user(struct mv_tce *t, uint64_t liobn, uint64_t win_start,
		     uint64_t entries, uint64_t *table, const uint8_t *mem, uint64_t ram,
		     mv_tce_map_fn map, mv_tce_unmap_fn unmap, void *ctx)
{
	if (!table || !map != !unmap ||
	    init_model(t, MV_TCE_USER, liobn, win_start, entries, table, mem, ram))
		return -1;
	t->map = map;
	t->unmap = unmap;
	t->ctx = ctx;
	return 0;
}

int mv_tce_init_kernel(struct mv_tce *t, uint64_t liobn, uint64_t win_start,
		       uint64_t entries, const uint64_t *view, const uint8_t *mem,
		       uint64_t ram)
{
	/* check_only: the model never writes the kernel's (read-only) table */
	if (init_model(t, MV_TCE_KERNEL, liobn, win_start, entries, (uint64_t *)view,
		       mem, ram))
		return -1;
	t->model.check_only = 1;
	return 0;
}

long mv_tce_answer(struct mv_tce *t, uint64_t nr, const uint64_t args[4], uint64_t *r4)
{
	long rc;

	if (!tce_model_is_tce_hcall(nr))
		return TCE_H_FUNCTION;
	if (t->mode == MV_TCE_NONE || args[0] != t->liobn)
		return TCE_H_PARAMETER;		/* a LIOBN minivmm does not know */
	if (!t->have_view)
		return TCE_H_HARDWARE;		/* a kernel table minivmm cannot see */
	rc = tce_model_hcall(&t->model, nr, args, r4);
	if (t->mode == MV_TCE_KERNEL && nr != TCE_H_GET_TCE && rc == TCE_H_SUCCESS)
		return TCE_H_HARDWARE;		/* valid, but not ours to carry out */
	return rc;
}
