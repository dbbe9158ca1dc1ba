/* SPDX-License-Identifier: GPL-2.0 */
/*
 * QEMU's "edu" test device behind VFIO: find it, open it, and make it DMA.
 *
 * edu copies between memory (through the IOMMU) and a 4 KiB buffer of its
 * own at device address 0x40000, which is not visible through its BAR: a
 * test moves data RAM -> edu -> RAM and compares. On qemu-system-ppc64 its
 * registers are big-endian; QEMU 7.2 refuses a transfer of a full 4096 bytes
 * (off by one), so transfers are at most EDU_DMA_MAX bytes.
 */
#ifndef SELFTESTS_EDU_H
#define SELFTESTS_EDU_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#define EDU_DMA_MAX	4095
#define EDU_BUF		0x40000ULL

struct edu {
	char bdf[32];
	int device_fd;
	volatile uint8_t *bar;
	size_t bar_size;
	int swap;
};

/* BDFs of the edu devices bound to vfio-pci; returns how many (<= max) */
int edu_find(char (*bdf)[32], int max);
/* IOMMU group number of a PCI device, or -1 */
int pci_iommu_group(const char *bdf);
/*
 * "3", "/dev/vfio/3" or a PCI address -> the group's device node; with a PCI
 * address it is copied to bdf (when given). 0, or -1 for none of those.
 */
int vfio_group_node(const char *dev, char *node, size_t len, char *bdf,
		    size_t blen);
/*
 * Opens the group dev names (as vfio_group_node() reads it) and checks it is
 * viable. The group fd, or -1 with a one-line reason in err (no such group,
 * in use, not viable).
 */
int vfio_group_open_viable(const char *dev, char *node, size_t len, char *bdf,
			   size_t blen, char *err, size_t elen);
/* open /dev/vfio/N of the device's group */
int vfio_group_open(const char *bdf);

/* writes val to a sysfs (or procfs) file: 0, or -1 with errno */
int sysfs_write(const char *path, const char *val);
/* the number a sysfs or /proc file holds; -1 when it cannot be read */
long sysfs_read_long(const char *path);
/* writes a number into it: 0, or -1 */
int sysfs_write_long(const char *path, long v);
/* the PCI device is bound to vfio-pci */
bool vfio_pci_bound(const char *bdf);
/*
 * Unbinds the PCI device from vfio-pci; blocks until vfio-pci has let it
 * go: until every fd of the device is closed. 0, or -1.
 */
int vfio_pci_unbind(const char *bdf);
/* Back to vfio-pci (the lab set driver_override): 0 when bound after. */
int vfio_pci_rebind(const char *bdf);

/* none of it open: edu_close() does nothing */
void edu_init(struct edu *e);
/* The group must be attached to a container with an IOMMU set. */
int edu_open(struct edu *e, int group_fd, const char *bdf);
void edu_close(struct edu *e);
/*
 * The device request channel a VMM gives vfio-pci: an eventfd on
 * VFIO_PCI_REQ_IRQ_INDEX, which vfio-pci signals when it wants the device
 * back (an unbinding waits for the device fd to be closed). Returns the
 * eventfd (EFD_NONBLOCK), or -1. Closing the device drops the trigger; close
 * the eventfd after edu_close().
 */
int edu_request_eventfd(struct edu *e);
/* 0 when the transfer completed (which says nothing of whether it landed) */
int edu_dma_to_ram(struct edu *e, uint64_t iova, uint32_t len);
int edu_dma_from_ram(struct edu *e, uint64_t iova, uint32_t len);

/* len bytes of a pattern that differs from one seed to the next */
void edu_fill(uint8_t *p, uint32_t len, unsigned int seed);
/*
 * The pattern of seed into src; edu copies it into its buffer through
 * src_iova, then out through dst_iova. 0: dst now holds it; -1: it does
 * not; -2: a transfer did not complete.
 */
int edu_roundtrip(struct edu *e, uint8_t *src, const uint8_t *dst,
		  uint64_t src_iova, uint64_t dst_iova, uint32_t len,
		  unsigned int seed);
/*
 * The same where neither IOVA may reach memory: both transfers, however
 * the first ends; true when dst keeps a pattern (0xee) that neither src
 * nor whatever edu's buffer holds can have.
 */
bool edu_roundtrip_stays_out(struct edu *e, uint8_t *src, uint8_t *dst,
			     uint64_t src_iova, uint64_t dst_iova, uint32_t len,
			     unsigned int seed);

#endif
