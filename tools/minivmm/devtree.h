/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MINIVMM_DEVTREE_H
#define MINIVMM_DEVTREE_H

#include <stddef.h>
#include <stdint.h>

#include "abi.h"

struct fdt_params {
	uint64_t ram;
	unsigned int nvcpus;
	uint32_t liobn;
	uint64_t win_start, win_size;
	uint32_t win_shift;		/* its IOMMU pages; 0: 4 KiB */
	const uint32_t *plan;		/* host-order cells, converted to BE */
	unsigned int plan_cells;
	uint64_t results, results_size;
	uint64_t scratch, scratch_size;
	uint64_t sample_src, sample_dst;
	uint64_t lists;
};

/* Builds the guest's flattened device tree into buf. 0 or a libfdt error. */
int build_fdt(void *buf, size_t size, const struct fdt_params *p);

#endif
