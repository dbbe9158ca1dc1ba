// SPDX-License-Identifier: GPL-2.0
/*
 * Upstream 6.12's accelerated passthrough, end to end: the edu device bound
 * to vfio-pci, a v2 sPAPR TCE container with the guest RAM preregistered, a
 * KVM_CREATE_SPAPR_TCE_64 table attached with KVM_DEV_VFIO_GROUP_SET_SPAPR_TCE.
 * The guest's TCE hypercalls (served in the kernel, no exit) program the
 * hardware TCE table: edu DMA through a mapped IOVA lands in guest memory
 * with the right bytes, and once the guest unmaps the IOVA it no longer does.
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/vfio.h>

#include "kselftest_harness.h"
#include "lib/edu.h"
#include "lib/harness.h"
#include "lib/hcall.h"
#include "lib/script.h"
#include "lib/vm.h"

#define LIOBN		0x80000020ULL
#define SHIFT		12
#define ENTRIES		1024ULL
#define GUEST_MEM	(64UL << 20)
#define SRC_GPA		0x1001000ULL
#define DST_GPA		0x1002000ULL
#define LIST_GPA	0x200000ULL
#define XFER		2048U

FIXTURE(vfio) {
	struct vm *vm;
	struct vcpu *vcpu;
	int container, group, kvmdev, tfd;
	struct edu edu;
	uint64_t win;		/* bus address of the 32-bit window */
};

FIXTURE_VARIANT(vfio) {
	int type;
	const char *name;
};

FIXTURE_VARIANT_ADD(vfio, hv) {
	.type = KVM_VM_PPC_HV, .name = "KVM-HV",
};

FIXTURE_VARIANT_ADD(vfio, pr) {
	.type = KVM_VM_PPC_PR, .name = "KVM-PR",
};

FIXTURE_SETUP(vfio)
{
	struct vfio_iommu_spapr_tce_info info = { .argsz = sizeof(info) };
	struct vfio_iommu_spapr_register_memory reg = { .argsz = sizeof(reg) };
	struct vfio_iommu_type1_dma_map map = { .argsz = sizeof(map) };
	struct vfio_iommu_type1_dma_unmap unmap = { .argsz = sizeof(unmap) };
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_VFIO };
	struct kvm_device_attr attr = { .group = KVM_DEV_VFIO_FILE };
	struct kvm_create_spapr_tce_64 t = { .liobn = LIOBN, .page_shift = SHIFT,
					     .size = ENTRIES };
	struct kvm_vfio_spapr_tce st;
	char bdf[4][32];

	self->container = self->group = self->kvmdev = self->tfd = -1;
	edu_init(&self->edu);
	NEED(edu_find(bdf, 4) >= 1, "no edu device bound to vfio-pci");
	VM_CREATE_OR_SKIP(self->vm, variant->type, variant->name, GUEST_MEM);
	ASSERT_EQ(0, vm_enable_tce_hcalls(self->vm));
	self->vcpu = script_vcpu(_metadata, self->vm);

	self->container = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->container);
	self->group = vfio_group_open(bdf[0]);
	ASSERT_LE(0, self->group) TH_LOG("group of %s: %s", bdf[0], strerror(errno));
	ASSERT_EQ(0, ioctl(self->group, VFIO_GROUP_SET_CONTAINER, &self->container));
	ASSERT_EQ(0, ioctl(self->container, VFIO_SET_IOMMU, VFIO_SPAPR_TCE_v2_IOMMU));
	ASSERT_EQ(0, ioctl(self->container, VFIO_IOMMU_SPAPR_TCE_GET_INFO, &info));
	self->win = info.dma32_window_start;
	ASSERT_LE(ENTRIES << SHIFT, info.dma32_window_size);
	reg.vaddr = (uintptr_t)self->vm->mem;
	reg.size = GUEST_MEM;
	ASSERT_EQ(0, ioctl(self->container, VFIO_IOMMU_SPAPR_REGISTER_MEMORY, &reg))
		TH_LOG("REGISTER_MEMORY: %s", strerror(errno));
	/* the first MAP_DMA creates the default window that KVM attaches to */
	map.flags = VFIO_DMA_MAP_FLAG_READ;
	map.vaddr = (uintptr_t)self->vm->mem;
	map.iova = self->win;
	map.size = 1 << SHIFT;
	ASSERT_EQ(0, ioctl(self->container, VFIO_IOMMU_MAP_DMA, &map))
		TH_LOG("MAP_DMA: %s", strerror(errno));
	unmap.iova = self->win;
	unmap.size = 1 << SHIFT;
	ASSERT_EQ(0, ioctl(self->container, VFIO_IOMMU_UNMAP_DMA, &unmap));

	ASSERT_EQ(0, ioctl(self->vm->fd, KVM_CREATE_DEVICE, &cd));
	self->kvmdev = cd.fd;
	attr.attr = KVM_DEV_VFIO_FILE_ADD;
	attr.addr = (uintptr_t)&self->group;
	ASSERT_EQ(0, ioctl(self->kvmdev, KVM_SET_DEVICE_ATTR, &attr));
	t.offset = self->win >> SHIFT;
	self->tfd = ioctl(self->vm->fd, KVM_CREATE_SPAPR_TCE_64, &t);
	ASSERT_LE(0, self->tfd) TH_LOG("KVM_CREATE_SPAPR_TCE_64: %s", strerror(errno));
	st.groupfd = self->group;
	st.tablefd = self->tfd;
	attr.group = KVM_DEV_VFIO_GROUP;
	attr.attr = KVM_DEV_VFIO_GROUP_SET_SPAPR_TCE;
	attr.addr = (uintptr_t)&st;
	ASSERT_EQ(0, ioctl(self->kvmdev, KVM_SET_DEVICE_ATTR, &attr))
		TH_LOG("SET_SPAPR_TCE: %s", strerror(errno));
	ASSERT_EQ(0, edu_open(&self->edu, self->group, bdf[0]))
		TH_LOG("edu %s: %s", bdf[0], strerror(errno));
}

FIXTURE_TEARDOWN(vfio)
{
	edu_close(&self->edu);
	if (self->tfd >= 0)
		close(self->tfd);
	if (self->kvmdev >= 0)
		close(self->kvmdev);
	if (self->group >= 0)
		close(self->group);
	if (self->container >= 0)
		close(self->container);
	vcpu_free(self->vcpu);
	vm_destroy(self->vm);
}

static void run_script(struct __test_metadata *_metadata,
		       FIXTURE_DATA(vfio) *self, unsigned int n)
{
	struct hcall_op *ops = script_ops(self->vm);
	struct run_stats st;
	const char *why;
	unsigned int i;

	ASSERT_EQ(0, script_start(self->vcpu, n));
	ASSERT_EQ(0, vcpu_run_guest(self->vcpu, NULL, NULL, 120, &st, &why))
		TH_LOG("%s", why);
	ASSERT_EQ(0, st.hcall_exits);
	for (i = 0; i < n; i++)
		ASSERT_EQ(H_SUCCESS, (int64_t)ops[i].ret) TH_LOG("hcall %u (0x%llx)",
				i, (unsigned long long)ops[i].nr);
}

/*
 * edu copies SRC_GPA -> its buffer -> DST_GPA through IOVAs a and b.
 * Returns 0 when DST now equals SRC.
 */
static int roundtrip(struct __test_metadata *_metadata,
		     FIXTURE_DATA(vfio) *self, uint64_t a, uint64_t b,
		     unsigned int seed)
{
	uint8_t *src = vm_gpa(self->vm, SRC_GPA);
	uint8_t *dst = vm_gpa(self->vm, DST_GPA);

	edu_fill(src, XFER, seed);
	EXPECT_EQ(0, edu_dma_from_ram(&self->edu, a, XFER));
	EXPECT_EQ(0, edu_dma_to_ram(&self->edu, b, XFER));
	return memcmp(src, dst, XFER) ? -1 : 0;
}

/* H_PUT_TCE maps: DMA lands. H_PUT_TCE of 0 unmaps: DMA stops at once. */
TEST_F_TIMEOUT(vfio, put_tce_dma, 240)
{
	struct hcall_op *ops = script_ops(self->vm);
	uint64_t a = self->win + 0x1000, b = self->win + 0x2000;
	uint8_t *dst = vm_gpa(self->vm, DST_GPA);
	uint8_t before[XFER];

	script_set(&ops[0], H_PUT_TCE, LIOBN, a, SRC_GPA | TCE_PCI_READ, 0);
	script_set(&ops[1], H_PUT_TCE, LIOBN, b, DST_GPA | TCE_PCI_WRITE, 0);
	run_script(_metadata, self, 2);
	memset(dst, 0, XFER);
	ASSERT_EQ(0, roundtrip(_metadata, self, a, b, 1))
		TH_LOG("DMA through the guest's mapping did not land");

	script_set(&ops[0], H_PUT_TCE, LIOBN, b, 0, 0);
	run_script(_metadata, self, 1);
	memcpy(before, dst, XFER);
	roundtrip(_metadata, self, a, b, 77);
	EXPECT_EQ(0, memcmp(before, dst, XFER))
		TH_LOG("DMA reached guest memory through an unmapped IOVA");
}

/* The same through H_PUT_TCE_INDIRECT and H_STUFF_TCE. */
TEST_F_TIMEOUT(vfio, indirect_and_stuff_dma, 240)
{
	struct hcall_op *ops = script_ops(self->vm);
	uint64_t *list = vm_gpa(self->vm, LIST_GPA);
	uint64_t a = self->win + 0x10000, b = self->win + 0x11000;
	uint8_t *dst = vm_gpa(self->vm, DST_GPA);
	uint8_t before[XFER];

	list[0] = htobe64(SRC_GPA | TCE_PCI_READ);
	list[1] = htobe64(DST_GPA | TCE_PCI_READ | TCE_PCI_WRITE);
	script_set(&ops[0], H_PUT_TCE_INDIRECT, LIOBN, a, LIST_GPA, 2);
	run_script(_metadata, self, 1);
	memset(dst, 0, XFER);
	ASSERT_EQ(0, roundtrip(_metadata, self, a, b, 3))
		TH_LOG("DMA through the INDIRECT mapping did not land");

	script_set(&ops[0], H_STUFF_TCE, LIOBN, b, 0, 1);
	run_script(_metadata, self, 1);
	memcpy(before, dst, XFER);
	roundtrip(_metadata, self, a, b, 99);
	EXPECT_EQ(0, memcmp(before, dst, XFER))
		TH_LOG("DMA reached guest memory after H_STUFF_TCE cleared the IOVA");
}

TEST_HARNESS_MAIN
