/* SPDX-License-Identifier: GPL-2.0 */
/* sPAPR TCE containers for the tests. */
#ifndef SELFTESTS_VFIO_H
#define SELFTESTS_VFIO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct tce_container {
	int container;
	int group;
	uint32_t win_start;
	uint32_t win_size;
};

/* none of the steps: fds -1 */
void tce_container_init(struct tce_container *c);
/* open the group of bdf and a container, attach, VFIO_SET_IOMMU(type) */
int tce_container_open(struct tce_container *c, const char *bdf, int type);
/* v2: preregister [mem, mem + size) */
int tce_container_register(struct tce_container *c, void *mem, size_t size);
/* v2: and unregister it */
int tce_container_unregister(struct tce_container *c, void *mem, size_t size);
/*
 * v2: VFIO_IOMMU_SPAPR_TCE_CREATE of a window of size bytes, of pages of
 * 1 << shift bytes, its table of levels levels; its bus address to *start
 */
int tce_container_create_window(struct tce_container *c, uint32_t shift,
				uint64_t size, uint32_t levels, uint64_t *start);
/* v2: VFIO_IOMMU_SPAPR_TCE_REMOVE of the window at start */
int tce_container_remove_window(struct tce_container *c, uint64_t start);
/*
 * v2: replace the default 32-bit window by a small one of 4 KiB pages
 * (tables of a big window cost much to create and clear under emulation)
 */
int tce_container_small_window(struct tce_container *c, uint64_t size);
/* VFIO_IOMMU_MAP_DMA of [va, va + size) at iova; VFIO_DMA_MAP_FLAG_* */
int tce_container_map(struct tce_container *c, uint64_t iova, void *va,
		      uint64_t size, uint32_t flags);
/* VFIO_IOMMU_UNMAP_DMA of [iova, iova + size) */
int tce_container_unmap(struct tce_container *c, uint64_t iova, uint64_t size);
/* v1: VFIO_IOMMU_ENABLE */
int tce_container_enable(struct tce_container *c);
void tce_container_close(struct tce_container *c);

/* this process's locked memory (VmLck), in kB; -1 on error */
long vm_locked_kb(void);
/* another process's */
long pid_locked_kb(pid_t pid);

#endif
