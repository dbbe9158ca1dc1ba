// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/vfio.h>

#include "edu.h"
#include "vfio.h"

void tce_container_init(struct tce_container *c)
{
	memset(c, 0, sizeof(*c));
	c->container = c->group = -1;
}

int tce_container_open(struct tce_container *c, const char *bdf, int type)
{
	struct vfio_iommu_spapr_tce_info info = { .argsz = sizeof(info) };

	tce_container_init(c);
	c->group = vfio_group_open(bdf);
	if (c->group < 0)
		return -1;
	c->container = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	if (c->container < 0 ||
	    ioctl(c->group, VFIO_GROUP_SET_CONTAINER, &c->container) < 0)
		return -1;
	if (!type)
		return 0;
	if (ioctl(c->container, VFIO_SET_IOMMU, type) < 0 ||
	    ioctl(c->container, VFIO_IOMMU_SPAPR_TCE_GET_INFO, &info) < 0)
		return -1;
	c->win_start = info.dma32_window_start;
	c->win_size = info.dma32_window_size;
	return 0;
}

int tce_container_register(struct tce_container *c, void *mem, size_t size)
{
	struct vfio_iommu_spapr_register_memory reg = {
		.argsz = sizeof(reg), .vaddr = (uintptr_t)mem, .size = size,
	};

	return ioctl(c->container, VFIO_IOMMU_SPAPR_REGISTER_MEMORY, &reg);
}

int tce_container_unregister(struct tce_container *c, void *mem, size_t size)
{
	struct vfio_iommu_spapr_register_memory reg = {
		.argsz = sizeof(reg), .vaddr = (uintptr_t)mem, .size = size,
	};

	return ioctl(c->container, VFIO_IOMMU_SPAPR_UNREGISTER_MEMORY, &reg);
}

int tce_container_create_window(struct tce_container *c, uint32_t shift,
				uint64_t size, uint32_t levels, uint64_t *start)
{
	struct vfio_iommu_spapr_tce_create cr = {
		.argsz = sizeof(cr), .page_shift = shift, .window_size = size,
		.levels = levels,
	};

	if (ioctl(c->container, VFIO_IOMMU_SPAPR_TCE_CREATE, &cr) < 0)
		return -1;
	*start = cr.start_addr;
	return 0;
}

int tce_container_remove_window(struct tce_container *c, uint64_t start)
{
	struct vfio_iommu_spapr_tce_remove rm = {
		.argsz = sizeof(rm), .start_addr = start,
	};

	return ioctl(c->container, VFIO_IOMMU_SPAPR_TCE_REMOVE, &rm);
}

int tce_container_small_window(struct tce_container *c, uint64_t size)
{
	uint64_t start;

	if (tce_container_remove_window(c, c->win_start) < 0 ||
	    tce_container_create_window(c, 12, size, 1, &start) < 0)
		return -1;
	c->win_start = (uint32_t)start;
	c->win_size = (uint32_t)size;
	return 0;
}

int tce_container_map(struct tce_container *c, uint64_t iova, void *va,
		      uint64_t size, uint32_t flags)
{
	struct vfio_iommu_type1_dma_map m = {
		.argsz = sizeof(m), .flags = flags, .vaddr = (uintptr_t)va,
		.iova = iova, .size = size,
	};

	return ioctl(c->container, VFIO_IOMMU_MAP_DMA, &m);
}

int tce_container_unmap(struct tce_container *c, uint64_t iova, uint64_t size)
{
	struct vfio_iommu_type1_dma_unmap u = {
		.argsz = sizeof(u), .iova = iova, .size = size,
	};

	return ioctl(c->container, VFIO_IOMMU_UNMAP_DMA, &u);
}

int tce_container_enable(struct tce_container *c)
{
	return ioctl(c->container, VFIO_IOMMU_ENABLE);
}

void tce_container_close(struct tce_container *c)
{
	int err = errno;

	if (c->container >= 0)
		close(c->container);
	if (c->group >= 0)
		close(c->group);
	tce_container_init(c);
	errno = err;
}

/* VmLck of a /proc/.../status file, in kB; -1 on error */
static long status_locked_kb(const char *path)
{
	char line[128];
	long kb = -1;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "VmLck:", 6))
			kb = strtol(line + 6, NULL, 10);
	fclose(f);
	return kb;
}

long vm_locked_kb(void)
{
	return status_locked_kb("/proc/self/status");
}

long pid_locked_kb(pid_t pid)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	return status_locked_kb(path);
}
