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

int tce_container_small_window(struct tce_container *c, uint64_t size)
{
	struct vfio_iommu_spapr_tce_remove rm = {
		.argsz = sizeof(rm), .start_addr = c->win_start,
	};
	struct vfio_iommu_spapr_tce_create cr = {
		.argsz = sizeof(cr), .page_shift = 12, .window_size = size,
		.levels = 1,
	};

	if (ioctl(c->container, VFIO_IOMMU_SPAPR_TCE_REMOVE, &rm) < 0 ||
	    ioctl(c->container, VFIO_IOMMU_SPAPR_TCE_CREATE, &cr) < 0)
		return -1;
	c->win_start = (uint32_t)cr.start_addr;
	c->win_size = (uint32_t)size;
	return 0;
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

long vm_locked_kb(void)
{
	char line[128];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "VmLck:", 6))
			kb = strtol(line + 6, NULL, 10);
	fclose(f);
	return kb;
}
