// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_CREATE_SPAPR_TCE_IOMMU: a hardware TCE table bound to a LIOBN has
 * exactly one writer, the LIOBN's hypercalls.
 *
 * - While bound, the container refuses to write or free the bound table
 *   (MAP_DMA and UNMAP_DMA into the window, TCE_REMOVE of it, UNREGISTER
 *   of preregistered memory, v1 DISABLE: EBUSY); a second, unbound window
 *   of the same container stays VFIO's. Closing the binding gives it all
 *   back.
 * - A table is bound once: the same group again (this VM or another), or a
 *   second group of the same container (its groups share one table) on
 *   another LIOBN, is EBUSY; the second group on the same LIOBN joins.
 * - Upstream's kvm-vfio attachment (KVM_DEV_VFIO_GROUP_SET_SPAPR_TCE) and
 *   a binding exclude each other, in both orders.
 * - Two groups of one container bound to one LIOBN: closing the first
 *   binding leaves the shared table to the second (the guest's view,
 *   H_GET_TCE and DMA through the second device all unchanged); closing
 *   the second clears it.
 *
 * Every case ends with the process's locked memory and the machine's
 * pinned pages back where they were before it.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <linux/vfio.h>

#include "kselftest_harness.h"
#include "lib/edu.h"
#include "lib/harness.h"
#include "lib/hcall.h"
#include "lib/kvmstats.h"
#include "lib/pins.h"
#include "lib/script.h"
#include "lib/vfio.h"
#include "lib/vm.h"

/* one LIOBN (and LIOBN + 1 for "another") per case */
#define LIOBN_V2	0x80000100ULL
#define LIOBN_DDW	0x80000110ULL
#define LIOBN_V1	0x80000120ULL
#define LIOBN_ONCE	0x80000130ULL
#define LIOBN_SHARED	0x80000140ULL
#define LIOBN_KVFIO	0x80000150ULL
#define LIOBN_KVFIO_1ST	0x80000160ULL
#define LIOBN_CLOSE	0x80000170ULL
#define LIOBN_RACE	0x80000180ULL

#define SHIFT		12
#define PAGE_4K		(1ULL << SHIFT)
#define ENTRIES		256ULL
#define GUEST_MEM	(16UL << 20)
#define SRC_GPA		0x400000ULL
#define DST_GPA		0x401000ULL
#define XFER		2048U
#define RW		(TCE_PCI_READ | TCE_PCI_WRITE)

/* the second window: 64 KiB pages */
#define DDW_SHIFT	16
#define DDW_PAGE	(1ULL << DDW_SHIFT)
#define DDW_SIZE	(256ULL << 20)
#define GPA_64K		0x500000ULL	/* 64 KiB aligned, in the guest RAM */

/* a preregistered region the guest does not use */
#define EXTRA_SIZE	(1UL << 20)

#define MAP_RW		(VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE)

#ifndef KVM_CAP_SPAPR_TCE_IOMMU
#error "the patched kernel's uapi headers are needed"
#endif

/* On powernv both groups of the lab's machine share a container. */
static bool on_powernv(void)
{
	const char *m = getenv("LAB_MACHINE");

	return m && (!strcmp(m, "powernv8") || !strcmp(m, "powernv9"));
}

FIXTURE(owner) {
	struct vm *vm, *vm2;
	struct vcpu *vcpu;
	struct tce_container c;	/* the first group and its container */
	int group2;		/* the second group, joined to c */
	char bdf[2][32];
	int nedu;
	int bfd[2];
	uint64_t *view;		/* mmap of a binding */
	void *extra;		/* EXTRA_SIZE, preregistered */
	int kvmdev, tfd;
	struct edu e[2];
	long locked_before, pins_before;
	time_t start;
};

FIXTURE_SETUP(owner)
{
	char found[4][32];
	int i;

	self->group2 = self->kvmdev = self->tfd = -1;
	self->bfd[0] = self->bfd[1] = -1;
	self->view = MAP_FAILED;
	self->extra = MAP_FAILED;
	tce_container_init(&self->c);
	for (i = 0; i < 2; i++)
		edu_init(&self->e[i]);
	self->start = time(NULL);
	self->nedu = edu_find(found, 4);
	NEED(self->nedu >= 1, "no edu device bound to vfio-pci");
	for (i = 0; i < 2 && i < self->nedu; i++)
		strcpy(self->bdf[i], found[i]);
	self->locked_before = vm_locked_kb();
	self->pins_before = pins_held();
	if (getenv("LAB_MACHINE"))
		ASSERT_LE(0, self->pins_before) TH_LOG("no FOLL_PIN counters in /proc/vmstat");
	self->vm = vm_create(KVM_VM_PPC_HV, GUEST_MEM);
	ASSERT_NE(NULL, self->vm) TH_LOG("KVM_CREATE_VM: %s", strerror(errno));
	NEED(kvm_check_cap(self->vm->fd, KVM_CAP_SPAPR_TCE_IOMMU) == 1,
	     "no KVM_CAP_SPAPR_TCE_IOMMU");
	self->vcpu = script_vcpu(_metadata, self->vm);
}

FIXTURE_TEARDOWN(owner)
{
	int i;

	for (i = 0; i < 2; i++)
		edu_close(&self->e[i]);
	if (self->view != MAP_FAILED)
		munmap(self->view, ENTRIES * 8);
	for (i = 0; i < 2; i++)
		if (self->bfd[i] >= 0)
			close(self->bfd[i]);
	if (self->tfd >= 0)
		close(self->tfd);
	if (self->kvmdev >= 0)
		close(self->kvmdev);
	if (self->group2 >= 0)
		close(self->group2);
	tce_container_close(&self->c);
	if (self->extra != MAP_FAILED)
		munmap(self->extra, EXTRA_SIZE);
	vcpu_free(self->vcpu);
	vm_destroy(self->vm2);
	vm_destroy(self->vm);
	/* nothing left behind: locked memory and pinned pages are back */
	if (self->locked_before >= 0)
		EXPECT_EQ(self->locked_before, vm_locked_kb());
	if (self->pins_before >= 0)
		EXPECT_EQ(self->pins_before, pins_settle(self->pins_before, PINS_WAIT_MS));
	TH_LOG("%ld s", (long)(time(NULL) - self->start));
}

/* the container's small window, whole */
static int bind_win(FIXTURE_DATA(owner) *self, struct vm *vm, uint64_t liobn,
		    int groupfd)
{
	return vm_bind_tce_iommu(vm, liobn, groupfd, SHIFT,
				 self->c.win_start >> SHIFT, ENTRIES);
}

static uint64_t ioba(FIXTURE_DATA(owner) *self, uint64_t i)
{
	return self->c.win_start + (i << SHIFT);
}

/* v2, the guest RAM preregistered, a window of ENTRIES 4 KiB pages */
static void setup_v2(struct __test_metadata *_metadata,
		     FIXTURE_DATA(owner) *self)
{
	tce_v2_open(_metadata, &self->c, self->bdf[0], self->vm->mem, GUEST_MEM,
		    ENTRIES << SHIFT);
}

/* the second edu device's group into the first's container; 0 or errno */
static int join_second_group(FIXTURE_DATA(owner) *self)
{
	self->group2 = vfio_group_open(self->bdf[1]);
	if (self->group2 < 0)
		return errno;
	if (ioctl(self->group2, VFIO_GROUP_SET_CONTAINER, &self->c.container) < 0)
		return errno;
	return 0;
}

/* both edu devices, the second group in the first's container */
#define NEED_SHARED_CONTAINER(self) do {				\
	int __err;							\
									\
	NEED((self)->nedu >= 2, "a second edu device is needed");	\
	__err = join_second_group(self);				\
	if (__err) {							\
		if (on_powernv())					\
			ASSERT_EQ(0, __err) TH_LOG("the second group cannot join the first's container: %s", \
						   strerror(__err));	\
		SKIP(return, "the second group cannot join the first's container: %s", \
		     strerror(__err));					\
	}								\
} while (0)

/* a refused bind: -1, EBUSY; a binding made by mistake is closed */
static void expect_ebusy(struct __test_metadata *_metadata, int fd,
			 const char *what)
{
	int err = errno;

	EXPECT_EQ(-1, fd) TH_LOG("%s: bound", what);
	if (fd >= 0)
		close(fd);
	else
		EXPECT_EQ(EBUSY, err) TH_LOG("%s: %s", what, strerror(err));
}

/* runs n script entries; none may exit to userspace */
static void run(struct __test_metadata *_metadata, FIXTURE_DATA(owner) *self,
		unsigned int n)
{
	script_run(_metadata, self->vcpu, n, 60);
}

/* the guest maps entries 1 (SRC, device reads) and 2 (DST, device writes) */
static void guest_map_src_dst(struct __test_metadata *_metadata,
			      FIXTURE_DATA(owner) *self, uint64_t liobn)
{
	struct hcall_op *ops = script_ops(self->vm);

	script_set(&ops[0], H_PUT_TCE, liobn, ioba(self, 1), SRC_GPA | TCE_PCI_READ, 0);
	script_set(&ops[1], H_PUT_TCE, liobn, ioba(self, 2), DST_GPA | TCE_PCI_WRITE, 0);
	run(_metadata, self, 2);
	ASSERT_EQ(H_SUCCESS, (int64_t)ops[0].ret);
	ASSERT_EQ(H_SUCCESS, (int64_t)ops[1].ret);
}

/* H_GET_TCE of entries 1 and 2 return the guest's two mappings */
static void guest_sees_src_dst(struct __test_metadata *_metadata,
			       FIXTURE_DATA(owner) *self, uint64_t liobn)
{
	struct hcall_op *ops = script_ops(self->vm);

	script_set(&ops[0], H_GET_TCE, liobn, ioba(self, 1), 0, 0);
	script_set(&ops[1], H_GET_TCE, liobn, ioba(self, 2), 0, 0);
	run(_metadata, self, 2);
	EXPECT_EQ(H_SUCCESS, (int64_t)ops[0].ret);
	EXPECT_EQ(SRC_GPA | TCE_PCI_READ, ops[0].r4);
	EXPECT_EQ(H_SUCCESS, (int64_t)ops[1].ret);
	EXPECT_EQ(DST_GPA | TCE_PCI_WRITE, ops[1].r4);
}

/*
 * edu copies SRC -> its buffer -> DST through IOVAs ioba(1) and ioba(2).
 * 0: DST now holds SRC; -1: it does not; -2: a transfer did not complete.
 */
static int dma_lands(FIXTURE_DATA(owner) *self, struct edu *e, unsigned int seed)
{
	uint8_t *dst = vm_gpa(self->vm, DST_GPA);

	memset(dst, 0, XFER);
	return edu_roundtrip(e, vm_gpa(self->vm, SRC_GPA), dst, ioba(self, 1),
			     ioba(self, 2), XFER, seed);
}

/* the same with nothing mapped: DST untouched */
static bool dma_stays_out(FIXTURE_DATA(owner) *self, struct edu *e,
			  unsigned int seed)
{
	return edu_roundtrip_stays_out(e, vm_gpa(self->vm, SRC_GPA),
				       vm_gpa(self->vm, DST_GPA), ioba(self, 1),
				       ioba(self, 2), XFER, seed);
}

/* ---- A: the container while its window is bound ------------------------- */

TEST_F_TIMEOUT(owner, v2_bound_window_refuses_vfio, 90)
{
	uint8_t *src = vm_gpa(self->vm, SRC_GPA), *dst = vm_gpa(self->vm, DST_GPA);

	setup_v2(_metadata, self);
	self->extra = mmap(NULL, EXTRA_SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->extra);
	ASSERT_EQ(0, tce_container_register(&self->c, self->extra, EXTRA_SIZE))
		TH_LOG("REGISTER_MEMORY of a second region: %s", strerror(errno));
	self->bfd[0] = bind_win(self, self->vm, LIOBN_V2, self->c.group);
	ASSERT_LE(0, self->bfd[0]) TH_LOG("KVM_CREATE_SPAPR_TCE_IOMMU: %s", strerror(errno));
	guest_map_src_dst(_metadata, self, LIOBN_V2);

	EXPECT_EQ(-1, tce_container_map(&self->c, ioba(self, 3), src, PAGE_4K, MAP_RW));
	EXPECT_EQ(EBUSY, errno) TH_LOG("MAP_DMA of a free entry of the bound window");
	EXPECT_EQ(-1, tce_container_unmap(&self->c, ioba(self, 1), 2 * PAGE_4K));
	EXPECT_EQ(EBUSY, errno) TH_LOG("UNMAP_DMA of the guest's two entries");
	EXPECT_EQ(-1, tce_container_unmap(&self->c, ioba(self, 0), ENTRIES << SHIFT));
	EXPECT_EQ(EBUSY, errno) TH_LOG("UNMAP_DMA of the whole bound window");
	EXPECT_EQ(-1, tce_container_remove_window(&self->c, self->c.win_start));
	EXPECT_EQ(EBUSY, errno) TH_LOG("TCE_REMOVE of the bound window");
	EXPECT_EQ(-1, tce_container_unregister(&self->c, self->vm->mem, GUEST_MEM));
	EXPECT_EQ(EBUSY, errno) TH_LOG("UNREGISTER_MEMORY of the guest RAM");
	EXPECT_EQ(-1, tce_container_unregister(&self->c, self->extra, EXTRA_SIZE));
	EXPECT_EQ(EBUSY, errno) TH_LOG("UNREGISTER_MEMORY of a region the guest does not use");

	/* none of that touched the table: the guest's view, H_GET_TCE, DMA */
	self->view = mmap(NULL, ENTRIES * 8, PROT_READ, MAP_SHARED, self->bfd[0], 0);
	ASSERT_NE(MAP_FAILED, self->view) TH_LOG("mmap: %s", strerror(errno));
	EXPECT_EQ(0, self->view[0]);
	EXPECT_EQ(SRC_GPA | TCE_PCI_READ, self->view[1]);
	EXPECT_EQ(DST_GPA | TCE_PCI_WRITE, self->view[2]);
	EXPECT_EQ(0, self->view[3]);
	guest_sees_src_dst(_metadata, self, LIOBN_V2);
	ASSERT_EQ(0, edu_open(&self->e[0], self->c.group, self->bdf[0]))
		TH_LOG("edu %s: %s", self->bdf[0], strerror(errno));
	EXPECT_EQ(0, dma_lands(self, &self->e[0], 1))
		TH_LOG("the guest's mappings after VFIO's refused calls");

	/* unbound: VFIO's again, every call */
	munmap(self->view, ENTRIES * 8);
	self->view = MAP_FAILED;
	close(self->bfd[0]);
	self->bfd[0] = -1;
	EXPECT_EQ(0, tce_container_map(&self->c, ioba(self, 1), src, PAGE_4K,
				       VFIO_DMA_MAP_FLAG_READ))
		TH_LOG("MAP_DMA: %s", strerror(errno));
	EXPECT_EQ(0, tce_container_map(&self->c, ioba(self, 2), dst, PAGE_4K,
				       VFIO_DMA_MAP_FLAG_WRITE))
		TH_LOG("MAP_DMA: %s", strerror(errno));
	EXPECT_EQ(0, dma_lands(self, &self->e[0], 2)) TH_LOG("VFIO's own mappings");
	edu_close(&self->e[0]);
	EXPECT_EQ(0, tce_container_unmap(&self->c, ioba(self, 0), ENTRIES << SHIFT))
		TH_LOG("UNMAP_DMA: %s", strerror(errno));
	EXPECT_EQ(0, tce_container_remove_window(&self->c, self->c.win_start))
		TH_LOG("TCE_REMOVE: %s", strerror(errno));
	EXPECT_EQ(0, tce_container_unregister(&self->c, self->vm->mem, GUEST_MEM))
		TH_LOG("UNREGISTER_MEMORY of the guest RAM: %s", strerror(errno));
	EXPECT_EQ(0, tce_container_unregister(&self->c, self->extra, EXTRA_SIZE))
		TH_LOG("UNREGISTER_MEMORY of the second region: %s", strerror(errno));
}

TEST_F_TIMEOUT(owner, v2_second_window_unaffected, 60)
{
	struct vfio_iommu_spapr_tce_info info = { .argsz = sizeof(info) };
	uint8_t *ddw_mem = vm_gpa(self->vm, GPA_64K);
	uint8_t *src = vm_gpa(self->vm, SRC_GPA);
	uint64_t second;
	bool ddw;

	setup_v2(_metadata, self);
	ASSERT_EQ(0, ioctl(self->c.container, VFIO_IOMMU_SPAPR_TCE_GET_INFO, &info));
	ddw = (info.flags & VFIO_IOMMU_SPAPR_INFO_DDW) &&
	      (info.ddw.pgsizes & DDW_PAGE) &&
	      info.ddw.max_dynamic_windows_supported >= 2 && info.ddw.levels >= 1;
	if (!ddw) {
		if (on_powernv())
			ASSERT_TRUE(ddw) TH_LOG("GET_INFO: flags 0x%x pgsizes 0x%llx windows %u levels %u",
						info.flags, (unsigned long long)info.ddw.pgsizes,
						info.ddw.max_dynamic_windows_supported,
						info.ddw.levels);
		SKIP(return, "no second window of 64 KiB pages: flags 0x%x pgsizes 0x%llx windows %u",
		     info.flags, (unsigned long long)info.ddw.pgsizes,
		     info.ddw.max_dynamic_windows_supported);
	}
	self->bfd[0] = bind_win(self, self->vm, LIOBN_DDW, self->c.group);
	ASSERT_LE(0, self->bfd[0]) TH_LOG("KVM_CREATE_SPAPR_TCE_IOMMU: %s", strerror(errno));

	/* a second window while the first is bound: VFIO's to use */
	ASSERT_EQ(0, tce_container_create_window(&self->c, DDW_SHIFT, DDW_SIZE, 1, &second))
		TH_LOG("TCE_CREATE: %s", strerror(errno));
	ASSERT_NE(self->c.win_start, second);
	EXPECT_EQ(0, tce_container_map(&self->c, second, ddw_mem, DDW_PAGE, MAP_RW))
		TH_LOG("MAP_DMA, first entry of the second window: %s", strerror(errno));
	EXPECT_EQ(0, tce_container_map(&self->c, second + DDW_SIZE - DDW_PAGE,
				       ddw_mem + DDW_PAGE, DDW_PAGE, VFIO_DMA_MAP_FLAG_READ))
		TH_LOG("MAP_DMA, last entry of the second window: %s", strerror(errno));
	EXPECT_EQ(-1, tce_container_map(&self->c, ioba(self, 3), src, PAGE_4K, MAP_RW));
	EXPECT_EQ(EBUSY, errno) TH_LOG("MAP_DMA into the bound window, the second one present");
	EXPECT_EQ(0, tce_container_unmap(&self->c, second, DDW_SIZE))
		TH_LOG("UNMAP_DMA of the second window: %s", strerror(errno));
	EXPECT_EQ(0, tce_container_remove_window(&self->c, second))
		TH_LOG("TCE_REMOVE of the second window: %s", strerror(errno));

	/* the bound one is still refused, then given back at the close */
	EXPECT_EQ(-1, tce_container_remove_window(&self->c, self->c.win_start));
	EXPECT_EQ(EBUSY, errno) TH_LOG("TCE_REMOVE of the bound window");
	EXPECT_EQ(-1, tce_container_map(&self->c, ioba(self, 3), src, PAGE_4K, MAP_RW));
	EXPECT_EQ(EBUSY, errno) TH_LOG("MAP_DMA into the bound window");
	close(self->bfd[0]);
	self->bfd[0] = -1;
	EXPECT_EQ(0, tce_container_map(&self->c, ioba(self, 3), src, PAGE_4K, MAP_RW))
		TH_LOG("MAP_DMA after the close: %s", strerror(errno));
	EXPECT_EQ(0, tce_container_unmap(&self->c, ioba(self, 3), PAGE_4K))
		TH_LOG("UNMAP_DMA after the close: %s", strerror(errno));
	EXPECT_EQ(0, tce_container_remove_window(&self->c, self->c.win_start))
		TH_LOG("TCE_REMOVE after the close: %s", strerror(errno));
}

TEST_F_TIMEOUT(owner, v1_bound_window_refuses_vfio, 90)
{
	uint8_t *mem = vm_gpa(self->vm, GPA_64K);
	uint64_t iova;

	ASSERT_EQ(0, tce_container_open(&self->c, self->bdf[0], VFIO_SPAPR_TCE_IOMMU))
		TH_LOG("container of %s: %s", self->bdf[0], strerror(errno));
	ASSERT_EQ(0, tce_container_enable(&self->c)) TH_LOG("ENABLE: %s", strerror(errno));
	/* the default window, whatever its page size: 64 KiB covers both */
	iova = self->c.win_start + DDW_PAGE;
	self->bfd[0] = vm_bind_tce_iommu(self->vm, LIOBN_V1, self->c.group, 0, 0, 0);
	ASSERT_LE(0, self->bfd[0]) TH_LOG("KVM_CREATE_SPAPR_TCE_IOMMU: %s", strerror(errno));

	EXPECT_EQ(-1, tce_container_map(&self->c, iova, mem, DDW_PAGE, MAP_RW));
	EXPECT_EQ(EBUSY, errno) TH_LOG("MAP_DMA into the bound window");
	EXPECT_EQ(-1, tce_container_unmap(&self->c, iova, DDW_PAGE));
	EXPECT_EQ(EBUSY, errno) TH_LOG("UNMAP_DMA in the bound window");
	EXPECT_EQ(-1, ioctl(self->c.container, VFIO_IOMMU_DISABLE));
	EXPECT_EQ(EBUSY, errno) TH_LOG("DISABLE while bound");

	close(self->bfd[0]);
	self->bfd[0] = -1;
	EXPECT_EQ(0, tce_container_map(&self->c, iova, mem, DDW_PAGE, MAP_RW))
		TH_LOG("MAP_DMA after the close: %s", strerror(errno));
	EXPECT_EQ(0, tce_container_unmap(&self->c, iova, DDW_PAGE))
		TH_LOG("UNMAP_DMA after the close: %s", strerror(errno));
	EXPECT_EQ(0, ioctl(self->c.container, VFIO_IOMMU_DISABLE))
		TH_LOG("DISABLE after the close: %s", strerror(errno));
}

/* ---- B: a table is bound once ------------------------------------------ */

TEST_F_TIMEOUT(owner, group_is_bound_once, 60)
{
	setup_v2(_metadata, self);
	self->vm2 = vm_create(KVM_VM_PPC_HV, GUEST_MEM);
	ASSERT_NE(NULL, self->vm2) TH_LOG("the second VM: %s", strerror(errno));
	/* the other VM's RAM too: only the owner rule can refuse it */
	ASSERT_EQ(0, tce_container_register(&self->c, self->vm2->mem, GUEST_MEM));
	self->bfd[0] = bind_win(self, self->vm, LIOBN_ONCE, self->c.group);
	ASSERT_LE(0, self->bfd[0]) TH_LOG("KVM_CREATE_SPAPR_TCE_IOMMU: %s", strerror(errno));

	expect_ebusy(_metadata, bind_win(self, self->vm, LIOBN_ONCE, self->c.group),
		     "the same VM, the same LIOBN");
	expect_ebusy(_metadata, bind_win(self, self->vm, LIOBN_ONCE + 1, self->c.group),
		     "the same VM, another LIOBN");
	expect_ebusy(_metadata, bind_win(self, self->vm2, LIOBN_ONCE, self->c.group),
		     "another VM, the same LIOBN");
	expect_ebusy(_metadata, bind_win(self, self->vm2, LIOBN_ONCE + 1, self->c.group),
		     "another VM, another LIOBN");

	/* once the binding is closed, the other VM may have the group */
	close(self->bfd[0]);
	self->bfd[0] = bind_win(self, self->vm2, LIOBN_ONCE + 1, self->c.group);
	EXPECT_LE(0, self->bfd[0]) TH_LOG("the other VM after the close: %s", strerror(errno));
}

TEST_F_TIMEOUT(owner, shared_table_is_bound_once, 60)
{
	setup_v2(_metadata, self);
	NEED_SHARED_CONTAINER(self);
	self->vm2 = vm_create(KVM_VM_PPC_HV, GUEST_MEM);
	ASSERT_NE(NULL, self->vm2) TH_LOG("the second VM: %s", strerror(errno));
	ASSERT_EQ(0, tce_container_register(&self->c, self->vm2->mem, GUEST_MEM));
	self->bfd[0] = bind_win(self, self->vm, LIOBN_SHARED, self->c.group);
	ASSERT_LE(0, self->bfd[0]) TH_LOG("KVM_CREATE_SPAPR_TCE_IOMMU: %s", strerror(errno));

	/* the second group's table is the first's */
	expect_ebusy(_metadata, bind_win(self, self->vm, LIOBN_SHARED + 1, self->group2),
		     "the second group, another LIOBN");
	expect_ebusy(_metadata, bind_win(self, self->vm2, LIOBN_SHARED, self->group2),
		     "the second group, another VM");
	self->bfd[1] = bind_win(self, self->vm, LIOBN_SHARED, self->group2);
	EXPECT_LE(0, self->bfd[1]) TH_LOG("the second group, the same LIOBN and window: %s",
					  strerror(errno));

	/* without its own binding the table is still the LIOBN's */
	if (self->bfd[1] >= 0)
		close(self->bfd[1]);
	self->bfd[1] = -1;
	expect_ebusy(_metadata, bind_win(self, self->vm, LIOBN_SHARED + 1, self->group2),
		     "the second group, another LIOBN, after its own binding's close");

	/* with no binding left it is free */
	close(self->bfd[0]);
	self->bfd[0] = -1;
	self->bfd[1] = bind_win(self, self->vm, LIOBN_SHARED + 1, self->group2);
	EXPECT_LE(0, self->bfd[1]) TH_LOG("the second group, another LIOBN, table free: %s",
					  strerror(errno));
}

/* ---- C: upstream's kvm-vfio attachment -------------------------------- */

static int kvm_vfio_file(int kvmdev, uint64_t op, int group)
{
	struct kvm_device_attr attr = {
		.group = KVM_DEV_VFIO_FILE, .attr = op, .addr = (uintptr_t)&group,
	};

	return ioctl(kvmdev, KVM_SET_DEVICE_ATTR, &attr);
}

static int kvm_vfio_set_spapr_tce(int kvmdev, int group, int tablefd)
{
	struct kvm_vfio_spapr_tce st = { .groupfd = group, .tablefd = tablefd };
	struct kvm_device_attr attr = {
		.group = KVM_DEV_VFIO_GROUP, .attr = KVM_DEV_VFIO_GROUP_SET_SPAPR_TCE,
		.addr = (uintptr_t)&st,
	};

	return ioctl(kvmdev, KVM_SET_DEVICE_ATTR, &attr);
}

/* the kvm-vfio device with the group, and an emulated table over the window */
static void setup_kvm_vfio(struct __test_metadata *_metadata,
			   FIXTURE_DATA(owner) *self, uint64_t liobn)
{
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_VFIO };
	struct kvm_create_spapr_tce_64 t = {
		.liobn = liobn, .page_shift = SHIFT,
		.offset = self->c.win_start >> SHIFT, .size = ENTRIES,
	};

	ASSERT_EQ(0, ioctl(self->vm->fd, KVM_CREATE_DEVICE, &cd))
		TH_LOG("KVM_CREATE_DEVICE(VFIO): %s", strerror(errno));
	self->kvmdev = cd.fd;
	ASSERT_EQ(0, kvm_vfio_file(self->kvmdev, KVM_DEV_VFIO_FILE_ADD, self->c.group))
		TH_LOG("KVM_DEV_VFIO_FILE_ADD: %s", strerror(errno));
	self->tfd = ioctl(self->vm->fd, KVM_CREATE_SPAPR_TCE_64, &t);
	ASSERT_LE(0, self->tfd) TH_LOG("KVM_CREATE_SPAPR_TCE_64: %s", strerror(errno));
}

TEST_F_TIMEOUT(owner, kvm_vfio_refused_while_bound, 60)
{
	setup_v2(_metadata, self);
	self->bfd[0] = bind_win(self, self->vm, LIOBN_KVFIO, self->c.group);
	ASSERT_LE(0, self->bfd[0]) TH_LOG("KVM_CREATE_SPAPR_TCE_IOMMU: %s", strerror(errno));
	setup_kvm_vfio(_metadata, self, LIOBN_KVFIO + 1);

	EXPECT_EQ(-1, kvm_vfio_set_spapr_tce(self->kvmdev, self->c.group, self->tfd));
	EXPECT_EQ(EBUSY, errno) TH_LOG("SET_SPAPR_TCE of a bound group");
	close(self->bfd[0]);
	self->bfd[0] = -1;
	EXPECT_EQ(0, kvm_vfio_set_spapr_tce(self->kvmdev, self->c.group, self->tfd))
		TH_LOG("SET_SPAPR_TCE after the close: %s", strerror(errno));
}

TEST_F_TIMEOUT(owner, bind_refused_while_kvm_vfio_attached, 60)
{
	int i;

	setup_v2(_metadata, self);
	/* tce_vfio's order: MAP_DMA/UNMAP_DMA, then kvm-vfio */
	ASSERT_EQ(0, tce_container_map(&self->c, ioba(self, 0), self->vm->mem, PAGE_4K,
				       VFIO_DMA_MAP_FLAG_READ))
		TH_LOG("MAP_DMA: %s", strerror(errno));
	ASSERT_EQ(0, tce_container_unmap(&self->c, ioba(self, 0), PAGE_4K));
	setup_kvm_vfio(_metadata, self, LIOBN_KVFIO_1ST);
	ASSERT_EQ(0, kvm_vfio_set_spapr_tce(self->kvmdev, self->c.group, self->tfd))
		TH_LOG("SET_SPAPR_TCE: %s", strerror(errno));

	expect_ebusy(_metadata, bind_win(self, self->vm, LIOBN_KVFIO_1ST + 1, self->c.group),
		     "a group attached by kvm-vfio, another LIOBN");

	/* kvm-vfio lets the group go: the table is free */
	EXPECT_EQ(0, kvm_vfio_file(self->kvmdev, KVM_DEV_VFIO_FILE_DEL, self->c.group))
		TH_LOG("KVM_DEV_VFIO_FILE_DEL: %s", strerror(errno));
	/*
	 * The attachment gives the table back when it is freed, an RCU grace
	 * period after the detach (a hypercall may still walk it): EBUSY
	 * until then, never longer than a few grace periods.
	 */
	for (i = 0; i < 200; i++) {
		self->bfd[0] = bind_win(self, self->vm, LIOBN_KVFIO_1ST + 1,
					self->c.group);
		if (self->bfd[0] >= 0 || errno != EBUSY)
			break;
		usleep(10000);
	}
	EXPECT_LE(0, self->bfd[0]) TH_LOG("after KVM_DEV_VFIO_FILE_DEL: %s", strerror(errno));
	TH_LOG("the table was free %d ms after KVM_DEV_VFIO_FILE_DEL", i * 10);
}

/* ---- D: two groups, one table, one LIOBN: the last close clears -------- */

static uint64_t served(struct __test_metadata *_metadata, struct kvm_stats *st,
		       const char *name)
{
	uint64_t v = 0;

	EXPECT_EQ(0, kvm_stats_get(st, name, &v)) TH_LOG("statistic %s", name);
	return v;
}

TEST_F_TIMEOUT(owner, shared_table_survives_first_close, 120)
{
	struct hcall_op *ops = script_ops(self->vm);
	uint64_t kern0, kern1, user0, user1;
	struct kvm_stats st;

	setup_v2(_metadata, self);
	NEED_SHARED_CONTAINER(self);
	ASSERT_EQ(0, kvm_stats_open(self->vm->fd, &st)) TH_LOG("%s", strerror(errno));

	/* one mapping before the second group joins the LIOBN, one after */
	self->bfd[0] = bind_win(self, self->vm, LIOBN_CLOSE, self->c.group);
	ASSERT_LE(0, self->bfd[0]) TH_LOG("the first group: %s", strerror(errno));
	script_set(&ops[0], H_PUT_TCE, LIOBN_CLOSE, ioba(self, 1), SRC_GPA | TCE_PCI_READ, 0);
	run(_metadata, self, 1);
	ASSERT_EQ(H_SUCCESS, (int64_t)ops[0].ret);
	self->bfd[1] = bind_win(self, self->vm, LIOBN_CLOSE, self->group2);
	ASSERT_LE(0, self->bfd[1]) TH_LOG("the second group: %s", strerror(errno));
	script_set(&ops[0], H_PUT_TCE, LIOBN_CLOSE, ioba(self, 2), DST_GPA | TCE_PCI_WRITE, 0);
	run(_metadata, self, 1);
	ASSERT_EQ(H_SUCCESS, (int64_t)ops[0].ret);
	self->view = mmap(NULL, ENTRIES * 8, PROT_READ, MAP_SHARED, self->bfd[1], 0);
	ASSERT_NE(MAP_FAILED, self->view) TH_LOG("mmap: %s", strerror(errno));

	ASSERT_EQ(0, edu_open(&self->e[0], self->c.group, self->bdf[0]))
		TH_LOG("edu %s: %s", self->bdf[0], strerror(errno));
	ASSERT_EQ(0, edu_open(&self->e[1], self->group2, self->bdf[1]))
		TH_LOG("edu %s: %s", self->bdf[1], strerror(errno));
	EXPECT_EQ(0, dma_lands(self, &self->e[0], 1)) TH_LOG("the first device");
	EXPECT_EQ(0, dma_lands(self, &self->e[1], 2)) TH_LOG("the second device");

	/* the first binding goes; the table is the second's now */
	close(self->bfd[0]);
	self->bfd[0] = -1;
	EXPECT_EQ(0, self->view[0]);
	EXPECT_EQ(SRC_GPA | TCE_PCI_READ, self->view[1]);
	EXPECT_EQ(DST_GPA | TCE_PCI_WRITE, self->view[2]);
	EXPECT_EQ(0, self->view[3]);
	kern0 = served(_metadata, &st, "tce_iommu_vm") + served(_metadata, &st, "tce_iommu_rm");
	user0 = served(_metadata, &st, "tce_iommu_user");
	guest_sees_src_dst(_metadata, self, LIOBN_CLOSE);
	kern1 = served(_metadata, &st, "tce_iommu_vm") + served(_metadata, &st, "tce_iommu_rm");
	user1 = served(_metadata, &st, "tce_iommu_user");
	EXPECT_EQ(2, kern1 - kern0) TH_LOG("H_GET_TCE served in the kernel: LIOBN still bound");
	EXPECT_EQ(0, user1 - user0);
	EXPECT_EQ(0, dma_lands(self, &self->e[1], 3))
		TH_LOG("the second device after the first binding's close");

	/* the last binding goes: the table is cleared, DMA stays out */
	munmap(self->view, ENTRIES * 8);
	self->view = MAP_FAILED;
	close(self->bfd[1]);
	self->bfd[1] = -1;
	EXPECT_TRUE(dma_stays_out(self, &self->e[1], 4))
		TH_LOG("the second device reached memory after the last close");
	EXPECT_TRUE(dma_stays_out(self, &self->e[0], 5))
		TH_LOG("the first device reached memory after the last close");
	kvm_stats_close(&st);
}

/*
 * A bind looks its table up and claims it under the container's lock, so a
 * TCE_REMOVE racing it either comes first (the bind finds no window:
 * EINVAL) or finds the table claimed (EBUSY); never a table freed under
 * the bind. Two threads race them; every bound window must work.
 */
#define RACE_ROUNDS	200

struct race {
	struct tce_container *c;
	uint64_t start;
	int removed, busy, bad_remove, bad_create;
	volatile bool stop;
};

static void *remove_create_thread(void *arg)
{
	struct race *r = arg;
	uint64_t start;

	while (!r->stop) {
		if (tce_container_remove_window(r->c, r->start)) {
			if (errno == EBUSY)
				r->busy++;
			else
				r->bad_remove = errno;
			usleep(1000);
			continue;
		}
		r->removed++;
		if (tce_container_create_window(r->c, SHIFT, ENTRIES << SHIFT, 1, &start) ||
		    start != r->start) {
			r->bad_create = errno ? errno : -1;
			break;
		}
	}
	return NULL;
}

/* about 20 s on powernv8 */
TEST_F_TIMEOUT(owner, bind_races_window_removal, 120)
{
	struct hcall_op *ops = script_ops(self->vm);
	struct race r = { .c = &self->c };
	int bound = 0, einval = 0, other = 0, i;
	pthread_t t;

	setup_v2(_metadata, self);
	r.start = self->c.win_start;
	/* in turn first: a window removed and created again can be bound */
	ASSERT_EQ(0, tce_container_remove_window(&self->c, r.start));
	ASSERT_EQ(-1, bind_win(self, self->vm, LIOBN_RACE, self->c.group));
	EXPECT_EQ(EINVAL, errno) TH_LOG("bind without the window: %s", strerror(errno));
	ASSERT_EQ(0, tce_container_create_window(&self->c, SHIFT, ENTRIES << SHIFT, 1,
						 &r.start));
	ASSERT_EQ(self->c.win_start, r.start);
	self->bfd[0] = bind_win(self, self->vm, LIOBN_RACE, self->c.group);
	ASSERT_LE(0, self->bfd[0]) TH_LOG("bind of the window created again: %s",
					  strerror(errno));
	close(self->bfd[0]);
	self->bfd[0] = -1;

	ASSERT_EQ(0, pthread_create(&t, NULL, remove_create_thread, &r));
	for (i = 0; i < RACE_ROUNDS && !r.bad_create; i++) {
		int fd = bind_win(self, self->vm, LIOBN_RACE, self->c.group);

		if (fd < 0) {
			if (errno == EINVAL)
				einval++;
			else
				other = errno;
			/* a window takes longer to create than a bind to fail */
			usleep(5000);
			continue;
		}
		bound++;
		/* the bound table is live: a map and an unmap go through */
		script_set(&ops[0], H_PUT_TCE, LIOBN_RACE, ioba(self, 1), SRC_GPA | RW, 0);
		script_set(&ops[1], H_PUT_TCE, LIOBN_RACE, ioba(self, 1), 0, 0);
		run(_metadata, self, 2);
		EXPECT_EQ(H_SUCCESS, (int64_t)ops[0].ret) TH_LOG("round %d: map", i);
		EXPECT_EQ(H_SUCCESS, (int64_t)ops[1].ret) TH_LOG("round %d: unmap", i);
		EXPECT_EQ(0, close(fd));
	}
	r.stop = true;
	pthread_join(t, NULL);
	TH_LOG("%d bound, %d EINVAL; %d removed, %d EBUSY", bound, einval, r.removed, r.busy);
	EXPECT_EQ(0, other) TH_LOG("bind: %s", strerror(other));
	EXPECT_EQ(0, r.bad_remove) TH_LOG("TCE_REMOVE: %s", strerror(r.bad_remove));
	EXPECT_EQ(0, r.bad_create) TH_LOG("TCE_CREATE failed or moved the window");
	EXPECT_LT(0, bound) TH_LOG("no bind won a round");
	/* the window is there at the end, and VFIO's again */
	if (!r.bad_create) {
		EXPECT_EQ(0, tce_container_map(&self->c, ioba(self, 3),
					       vm_gpa(self->vm, SRC_GPA), PAGE_4K, MAP_RW))
			TH_LOG("MAP_DMA after the race: %s", strerror(errno));
		EXPECT_EQ(0, tce_container_unmap(&self->c, ioba(self, 3), PAGE_4K));
	}
}

TEST_HARNESS_MAIN
