// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <linux/pci_regs.h>
#include <linux/vfio.h>

#include "edu.h"

#define EDU_ID		0x00
#define EDU_LIVE	0x04
#define EDU_DMA_SRC	0x80
#define EDU_DMA_DST	0x88
#define EDU_DMA_CNT	0x90
#define EDU_DMA_CMD	0x98
#define EDU_CMD_START	0x1
#define EDU_CMD_TO_RAM	0x2

static int read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	int ok;

	if (!f)
		return -1;
	ok = fgets(buf, (int)len, f) != NULL;
	fclose(f);
	if (!ok)
		return -1;
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

int edu_find(char (*bdf)[32], int max)
{
	char path[PATH_MAX], val[64];
	struct dirent *de;
	int n = 0;
	DIR *d;

	d = opendir("/sys/bus/pci/devices");
	if (!d)
		return 0;
	while ((de = readdir(d)) != NULL && n < max) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/vendor", de->d_name);
		if (read_line(path, val, sizeof(val)) || strcmp(val, "0x1234"))
			continue;
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/device", de->d_name);
		if (read_line(path, val, sizeof(val)) || strcmp(val, "0x11e8"))
			continue;
		if (!vfio_pci_bound(de->d_name))
			continue;
		if (strlen(de->d_name) >= 32)
			continue;
		memcpy(bdf[n++], de->d_name, strlen(de->d_name) + 1);
	}
	closedir(d);
	/* readdir order is not sorted: make "the first edu" stable */
	qsort(bdf, (size_t)n, 32, (int (*)(const void *, const void *))strcmp);
	return n;
}

int pci_iommu_group(const char *bdf)
{
	char path[PATH_MAX], link[PATH_MAX];
	ssize_t l;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group", bdf);
	l = readlink(path, link, sizeof(link) - 1);
	if (l < 0)
		return -1;
	link[l] = '\0';
	return atoi(strrchr(link, '/') + 1);
}

int vfio_group_node(const char *dev, char *node, size_t len, char *bdf,
		    size_t blen)
{
	char *e;
	long n;

	if (bdf && blen)
		bdf[0] = '\0';
	n = strtol(dev, &e, 10);
	if (*dev && !*e && n >= 0) {
		snprintf(node, len, "/dev/vfio/%ld", n);
		return 0;
	}
	if (!strncmp(dev, "/dev/vfio/", 10)) {
		snprintf(node, len, "%s", dev);
		return 0;
	}
	n = pci_iommu_group(dev);
	if (n < 0)
		return -1;
	if (bdf && blen)
		snprintf(bdf, blen, "%s", dev);
	snprintf(node, len, "/dev/vfio/%ld", n);
	return 0;
}

int vfio_group_open_viable(const char *dev, char *node, size_t len, char *bdf,
			   size_t blen, char *err, size_t elen)
{
	struct vfio_group_status st = { .argsz = sizeof(st) };
	int g;

	if (vfio_group_node(dev, node, len, bdf, blen)) {
		snprintf(err, elen, "%s: no such group or PCI device", dev);
		return -1;
	}
	g = open(node, O_RDWR | O_CLOEXEC);
	if (g < 0) {
		snprintf(err, elen, "%s: %s%s", node, strerror(errno),
			 errno == EBUSY ? " (the group is in use)" : "");
		return -1;
	}
	if (ioctl(g, VFIO_GROUP_GET_STATUS, &st) < 0 ||
	    !(st.flags & VFIO_GROUP_FLAGS_VIABLE)) {
		snprintf(err, elen, "%s is not viable: bind every device of the group to vfio-pci",
			 node);
		close(g);
		return -1;
	}
	return g;
}

int vfio_group_open(const char *bdf)
{
	char path[64];
	int g = pci_iommu_group(bdf);

	if (g < 0)
		return -1;
	snprintf(path, sizeof(path), "/dev/vfio/%d", g);
	return open(path, O_RDWR | O_CLOEXEC);
}

int sysfs_write(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, val, strlen(val));
	close(fd);
	return n == (ssize_t)strlen(val) ? 0 : -1;
}

long sysfs_read_long(const char *path)
{
	FILE *f = fopen(path, "r");
	long v = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

int sysfs_write_long(const char *path, long v)
{
	char val[32];

	snprintf(val, sizeof(val), "%ld", v);
	return sysfs_write(path, val);
}

bool vfio_pci_bound(const char *bdf)
{
	char path[PATH_MAX], link[PATH_MAX];
	ssize_t l;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver", bdf);
	l = readlink(path, link, sizeof(link) - 1);
	if (l < 0)
		return false;
	link[l] = '\0';
	return !strcmp(strrchr(link, '/') + 1, "vfio-pci");
}

int vfio_pci_unbind(const char *bdf)
{
	return sysfs_write("/sys/bus/pci/drivers/vfio-pci/unbind", bdf);
}

int vfio_pci_rebind(const char *bdf)
{
	if (!vfio_pci_bound(bdf) &&
	    sysfs_write("/sys/bus/pci/drivers_probe", bdf))
		return -1;
	return vfio_pci_bound(bdf) ? 0 : -1;
}

static uint32_t rd32(struct edu *e, unsigned int off)
{
	uint32_t v = *(volatile uint32_t *)(e->bar + off);

	__sync_synchronize();
	return e->swap ? __builtin_bswap32(v) : v;
}

static void wr32(struct edu *e, unsigned int off, uint32_t v)
{
	*(volatile uint32_t *)(e->bar + off) = e->swap ? __builtin_bswap32(v) : v;
	__sync_synchronize();
}

static uint64_t rd64(struct edu *e, unsigned int off)
{
	uint64_t v = *(volatile uint64_t *)(e->bar + off);

	__sync_synchronize();
	return e->swap ? __builtin_bswap64(v) : v;
}

static void wr64(struct edu *e, unsigned int off, uint64_t v)
{
	*(volatile uint64_t *)(e->bar + off) = e->swap ? __builtin_bswap64(v) : v;
	__sync_synchronize();
}

void edu_init(struct edu *e)
{
	memset(e, 0, sizeof(*e));
	e->device_fd = -1;
	e->bar = MAP_FAILED;
}

int edu_open(struct edu *e, int group_fd, const char *bdf)
{
	struct vfio_region_info bar = { .argsz = sizeof(bar),
					.index = VFIO_PCI_BAR0_REGION_INDEX };
	struct vfio_region_info cfg = { .argsz = sizeof(cfg),
					.index = VFIO_PCI_CONFIG_REGION_INDEX };
	uint16_t cmd;
	uint32_t id;

	edu_init(e);
	snprintf(e->bdf, sizeof(e->bdf), "%s", bdf);
	e->device_fd = ioctl(group_fd, VFIO_GROUP_GET_DEVICE_FD, bdf);
	if (e->device_fd < 0)
		return -1;
	if (ioctl(e->device_fd, VFIO_DEVICE_GET_REGION_INFO, &bar) < 0 ||
	    ioctl(e->device_fd, VFIO_DEVICE_GET_REGION_INFO, &cfg) < 0)
		goto fail;
	e->bar_size = bar.size;
	e->bar = mmap(NULL, bar.size, PROT_READ | PROT_WRITE, MAP_SHARED,
		      e->device_fd, (off_t)bar.offset);
	if (e->bar == MAP_FAILED)
		goto fail;
	if (pread(e->device_fd, &cmd, 2, (off_t)cfg.offset + PCI_COMMAND) != 2)
		goto fail;
	cmd |= PCI_COMMAND_MASTER | PCI_COMMAND_MEMORY;
	if (pwrite(e->device_fd, &cmd, 2, (off_t)cfg.offset + PCI_COMMAND) != 2)
		goto fail;
	id = *(volatile uint32_t *)e->bar;
	e->swap = (id & 0xff) != 0xed && (id >> 24) == 0xed;
	if ((rd32(e, EDU_ID) & 0xffff) != 0x00ed) {
		errno = ENODEV;
		goto fail;
	}
	wr32(e, EDU_LIVE, 0x12345678);
	if (rd32(e, EDU_LIVE) != ~0x12345678U) {
		errno = EIO;
		goto fail;
	}
	return 0;
fail:
	edu_close(e);
	return -1;
}

void edu_close(struct edu *e)
{
	int err = errno;

	if (e->bar != MAP_FAILED && e->bar)
		munmap((void *)e->bar, e->bar_size);
	e->bar = MAP_FAILED;
	if (e->device_fd >= 0)
		close(e->device_fd);
	e->device_fd = -1;
	errno = err;
}

int edu_request_eventfd(struct edu *e)
{
	struct vfio_irq_info info = { .argsz = sizeof(info),
				      .index = VFIO_PCI_REQ_IRQ_INDEX };
	char buf[sizeof(struct vfio_irq_set) + sizeof(int32_t)]
		__attribute__((aligned(8)));
	struct vfio_irq_set *set = (struct vfio_irq_set *)buf;
	int32_t fd;

	if (ioctl(e->device_fd, VFIO_DEVICE_GET_IRQ_INFO, &info) < 0)
		return -1;
	if (info.count < 1 || !(info.flags & VFIO_IRQ_INFO_EVENTFD)) {
		errno = EOPNOTSUPP;
		return -1;
	}
	fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (fd < 0)
		return -1;
	memset(buf, 0, sizeof(buf));
	set->argsz = sizeof(buf);
	set->flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER;
	set->index = VFIO_PCI_REQ_IRQ_INDEX;
	set->start = 0;
	set->count = 1;
	memcpy(set->data, &fd, sizeof(fd));
	if (ioctl(e->device_fd, VFIO_DEVICE_SET_IRQS, set) < 0) {
		int err = errno;

		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

static int edu_dma(struct edu *e, uint64_t src, uint64_t dst, uint32_t len,
		   uint64_t cmd)
{
	struct timespec ts = { .tv_nsec = 5 * 1000 * 1000 };
	int i;

	if (len == 0 || len > EDU_DMA_MAX) {
		errno = EINVAL;
		return -1;
	}
	wr64(e, EDU_DMA_SRC, src);
	wr64(e, EDU_DMA_DST, dst);
	wr64(e, EDU_DMA_CNT, len);
	wr64(e, EDU_DMA_CMD, cmd | EDU_CMD_START);
	/* edu runs the transfer from a 100 ms timer */
	for (i = 0; i < 2000; i++) {
		if (!(rd64(e, EDU_DMA_CMD) & EDU_CMD_START))
			return 0;
		nanosleep(&ts, NULL);
	}
	errno = ETIMEDOUT;
	return -1;
}

int edu_dma_to_ram(struct edu *e, uint64_t iova, uint32_t len)
{
	return edu_dma(e, EDU_BUF, iova, len, EDU_CMD_TO_RAM);
}

int edu_dma_from_ram(struct edu *e, uint64_t iova, uint32_t len)
{
	return edu_dma(e, iova, EDU_BUF, len, 0);
}

void edu_fill(uint8_t *p, uint32_t len, unsigned int seed)
{
	uint32_t i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(i * 13 + seed);
}

int edu_roundtrip(struct edu *e, uint8_t *src, const uint8_t *dst,
		  uint64_t src_iova, uint64_t dst_iova, uint32_t len,
		  unsigned int seed)
{
	edu_fill(src, len, seed);
	if (edu_dma_from_ram(e, src_iova, len) || edu_dma_to_ram(e, dst_iova, len))
		return -2;
	return memcmp(src, dst, len) ? -1 : 0;
}

bool edu_roundtrip_stays_out(struct edu *e, uint8_t *src, uint8_t *dst,
			     uint64_t src_iova, uint64_t dst_iova, uint32_t len,
			     unsigned int seed)
{
	uint32_t i;

	memset(dst, 0xee, len);
	edu_fill(src, len, seed);
	edu_dma_from_ram(e, src_iova, len);
	edu_dma_to_ram(e, dst_iova, len);
	for (i = 0; i < len; i++)
		if (dst[i] != 0xee)
			return false;
	return true;
}
