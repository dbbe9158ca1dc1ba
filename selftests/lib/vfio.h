/* SPDX-License-Identifier: GPL-2.0 */
/* sPAPR TCE containers for the tests. */
#ifndef SELFTESTS_VFIO_H
#define SELFTESTS_VFIO_H

#include <stddef.h>
#include <stdint.h>

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
/*
 * v2: replace the default 32-bit window by a small one of 4 KiB pages
 * (tables of a big window cost much to create and clear under emulation)
 */
int tce_container_small_window(struct tce_container *c, uint64_t size);
/* v1: VFIO_IOMMU_ENABLE */
int tce_container_enable(struct tce_container *c);
void tce_container_close(struct tce_container *c);

/* this process's locked memory (VmLck), in kB; -1 on error */
long vm_locked_kb(void);

#endif
