/* SPDX-License-Identifier: GPL-2.0 */
/*
 * minivmm's answers to the TCE hypercalls that reach userspace, given by
 * the reference model (tools/tcemodel): on the `user` path minivmm keeps
 * the table and carries the calls out (VFIO MAP_DMA/UNMAP_DMA for the
 * entries that change); on the in-kernel paths it only answers what the
 * kernel left to it. Platform-independent (unit-tested natively).
 */
#ifndef MINIVMM_TCE_USER_H
#define MINIVMM_TCE_USER_H

#include <stdint.h>

#include "../tcemodel/tce_model.h"

#define MV_TCE_SHIFT	12	/* minivmm's windows have 4 KiB IOMMU pages */

/*
 * The VFIO side of the `user` path: 0, or -1 when the container refused.
 * perm is the TCE's TCE_PCI_READ/TCE_PCI_WRITE bits.
 */
typedef int (*mv_tce_map_fn)(void *ctx, uint64_t iova, uint64_t gpa, uint64_t perm);
typedef int (*mv_tce_unmap_fn)(void *ctx, uint64_t iova);

enum mv_tce_mode {
	MV_TCE_NONE,	/* no table for the LIOBN here (the floor path) */
	MV_TCE_USER,	/* minivmm's own table: the `user` path */
	MV_TCE_KERNEL,	/* an in-kernel table minivmm can only read (or not even) */
};

struct mv_tce {
	enum mv_tce_mode mode;
	uint64_t liobn;
	uint64_t win_start;		/* IOBA of entry 0 */
	int have_view;			/* the model holds the window */
	struct tce_model model;
	const uint8_t *mem;		/* guest RAM, for the IOMMU-page alignment rule */
	mv_tce_map_fn map;
	mv_tce_unmap_fn unmap;
	void *ctx;
};

/* No table: every TCE hypercall is answered H_PARAMETER. */
void mv_tce_init_none(struct mv_tce *t);
/*
 * The `user` path: the window [win_start, win_start + entries pages) of
 * liobn, table its view (entries u64, cleared by the caller), guest RAM
 * [0, ram) at mem; map/unmap (both or neither) do the VFIO side. 0 or -1.
 */
int mv_tce_init_user(struct mv_tce *t, uint64_t liobn, uint64_t win_start,
		     uint64_t entries, uint64_t *table, const uint8_t *mem, uint64_t ram,
		     mv_tce_map_fn map, mv_tce_unmap_fn unmap, void *ctx);
/*
 * An in-kernel path's table for liobn: view is the read-only mmap of the
 * KVM table (NULL when there is none), never written. 0 or -1.
 */
int mv_tce_init_kernel(struct mv_tce *t, uint64_t liobn, uint64_t win_start,
		       uint64_t entries, const uint64_t *view, const uint8_t *mem,
		       uint64_t ram);

/*
 * The answer to hypercall nr with args r4..r7; *r4 gets H_GET_TCE's TCE.
 * A LIOBN the table does not hold, and any call the rules refuse:
 * H_PARAMETER. USER: the model's answer, the table and VFIO changed as it
 * says. KERNEL: H_GET_TCE from the kernel's table; any other call the
 * rules accept cannot be carried out on the kernel's table: H_HARDWARE.
 * Numbers that are not TCE hypercalls: H_FUNCTION.
 */
long mv_tce_answer(struct mv_tce *t, uint64_t nr, const uint64_t args[4], uint64_t *r4);

#endif
