// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_CREATE_SPAPR_TCE_IOMMU: the uapi (every documented errno, nothing left
 * behind), the four TCE hypercalls for a bound LIOBN (PAPR return codes,
 * boundaries, all-or-nothing, permissions, H_GET_TCE, the read-only view),
 * the tracepoints, DMA end to end with the edu device, one group and
 * two, and real mode (POWER8): which calls it serves, and that a call it
 * gives up at any stage leaves everything as virtual mode alone would.
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/vfio.h>

#include "kselftest_harness.h"
#include "lib/edu.h"
#include "lib/harness.h"
#include "lib/hcall.h"
#include "lib/kvmstats.h"
#include "lib/pins.h"
#include "lib/realmode.h"
#include "lib/script.h"
#include "lib/trace.h"
#include "lib/vfio.h"
#include "lib/vm.h"

#define LIOBN		0x80000040ULL
#define SHIFT		12
#define ENTRIES		1024ULL
#define GUEST_MEM	(64UL << 20)
#define MAP_BASE	0x1000000ULL
#define LIST_GPA	0x200000ULL
#define SRC_GPA		0x1001000ULL
#define DST_GPA		0x1002000ULL
#define XFER		2048U
#define RW		(TCE_PCI_READ | TCE_PCI_WRITE)

#ifndef KVM_CAP_SPAPR_TCE_IOMMU
#error "the patched kernel's uapi headers are needed"
#endif

static int first_edu(char *bdf, int n)
{
	char found[4][32];

	if (edu_find(found, 4) <= n)
		return -1;
	strcpy(bdf, found[n]);
	return 0;
}

FIXTURE(iommu) {
	struct vm *vm;
	struct vcpu *vcpu;
	struct tce_container c;
	char bdf[32];
	long locked_before;
	int bfd;		/* the binding */
	uint64_t *view;		/* its mmap */
	uint64_t want[ENTRIES];
};

FIXTURE_SETUP(iommu)
{
	self->bfd = -1;
	self->view = MAP_FAILED;
	tce_container_init(&self->c);
	memset(self->want, 0, sizeof(self->want));
	NEED(!first_edu(self->bdf, 0), "no edu device bound to vfio-pci");
	self->locked_before = vm_locked_kb();
	self->vm = vm_create(KVM_VM_PPC_HV, GUEST_MEM);
	ASSERT_NE(NULL, self->vm) TH_LOG("KVM_CREATE_VM: %s", strerror(errno));
	if (kvm_check_cap(self->vm->fd, KVM_CAP_SPAPR_TCE_IOMMU) != 1)
		SKIP(return, "no KVM_CAP_SPAPR_TCE_IOMMU");
	self->vcpu = script_vcpu(_metadata, self->vm);
}

FIXTURE_TEARDOWN(iommu)
{
	if (self->view != MAP_FAILED)
		munmap(self->view, ENTRIES * 8);
	if (self->bfd >= 0)
		close(self->bfd);
	tce_container_close(&self->c);
	vcpu_free(self->vcpu);
	vm_destroy(self->vm);
	if (fast_host())
		rm_bail_set(0);
	/* nothing left behind: the whole test's locked memory is back */
	if (self->locked_before >= 0)
		EXPECT_EQ(self->locked_before, vm_locked_kb());
}

static int bind(FIXTURE_DATA(iommu) *self, int groupfd, uint32_t shift,
		uint64_t offset, uint64_t size, uint32_t flags)
{
	struct kvm_create_spapr_tce_iommu a = {
		.liobn = LIOBN, .groupfd = groupfd, .flags = flags,
		.page_shift = shift, .offset = offset, .size = size,
	};

	return ioctl(self->vm->fd, KVM_CREATE_SPAPR_TCE_IOMMU, &a);
}

/* a v2 container with the guest RAM registered, bound to LIOBN */
static void setup_v2(struct __test_metadata *_metadata,
		     FIXTURE_DATA(iommu) *self)
{
	tce_v2_open(_metadata, &self->c, self->bdf, self->vm->mem, GUEST_MEM, 0);
	self->bfd = bind(self, self->c.group, SHIFT, self->c.win_start >> SHIFT,
			 ENTRIES, 0);
	ASSERT_LE(0, self->bfd) TH_LOG("KVM_CREATE_SPAPR_TCE_IOMMU: %s", strerror(errno));
	self->view = mmap(NULL, ENTRIES * 8, PROT_READ, MAP_SHARED, self->bfd, 0);
	ASSERT_NE(MAP_FAILED, self->view) TH_LOG("mmap: %s", strerror(errno));
}

/*
 * The view's pages, allocated by reading its mapping: a call that writes
 * into a page not allocated yet takes the whole exit (the fast paths do
 * not allocate), which the fast-path cases do not count.
 */
static void view_touch(FIXTURE_DATA(iommu) *self)
{
	long per_page = sysconf(_SC_PAGESIZE) / 8;
	volatile uint64_t sum = 0;
	uint64_t i;

	for (i = 0; i < ENTRIES; i += per_page)
		sum += self->view[i];
	(void)sum;
}

static uint64_t ioba(FIXTURE_DATA(iommu) *self, uint64_t i)
{
	return self->c.win_start + (i << SHIFT);
}

static uint64_t tce(uint64_t i, uint64_t perm)
{
	return (MAP_BASE + (i << SHIFT)) | perm;
}

/* runs n script entries; none may exit to userspace */
static void run(struct __test_metadata *_metadata, FIXTURE_DATA(iommu) *self,
		unsigned int n)
{
	script_run(_metadata, self->vcpu, n, 120);
}

static void expect_view(struct __test_metadata *_metadata,
			FIXTURE_DATA(iommu) *self)
{
	uint64_t i, wrong = 0;

	for (i = 0; i < ENTRIES; i++)
		if (self->view[i] != self->want[i] && wrong++ < 4)
			TH_LOG("entry %llu: 0x%llx, expected 0x%llx", (unsigned long long)i,
			       (unsigned long long)self->view[i],
			       (unsigned long long)self->want[i]);
	EXPECT_EQ(0, wrong);
}

/* ---- uapi ---------------------------------------------------------------- */

TEST_F_TIMEOUT(iommu, bad_fds_are_ebadf, 120)
{
	int nul = open("/dev/null", O_RDWR);

	EXPECT_EQ(-1, bind(self, -1, 0, 0, 0, 0));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(-1, bind(self, 1000, 0, 0, 0, 0));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(-1, bind(self, nul, 0, 0, 0, 0));
	EXPECT_EQ(EBADF, errno) TH_LOG("a file that is not a VFIO group");
	EXPECT_EQ(-1, bind(self, self->vm->fd, 0, 0, 0, 0));
	EXPECT_EQ(EBADF, errno) TH_LOG("the VM's own fd");
	close(nul);
}

TEST_F_TIMEOUT(iommu, unready_containers_are_einval, 120)
{
	/* a group with no container */
	self->c.group = vfio_group_open(self->bdf);
	ASSERT_LE(0, self->c.group);
	EXPECT_EQ(-1, bind(self, self->c.group, 0, 0, 0, 0));
	EXPECT_EQ(EINVAL, errno);
	tce_container_close(&self->c);

	/* a container with no IOMMU set; type1 does not exist on sPAPR */
	ASSERT_EQ(0, tce_container_open(&self->c, self->bdf, 0));
	EXPECT_EQ(-1, ioctl(self->c.container, VFIO_SET_IOMMU, VFIO_TYPE1_IOMMU));
	EXPECT_EQ(-1, bind(self, self->c.group, 0, 0, 0, 0));
	EXPECT_EQ(EINVAL, errno);
	tce_container_close(&self->c);

	/* v1, not enabled */
	ASSERT_EQ(0, tce_container_open(&self->c, self->bdf, VFIO_SPAPR_TCE_IOMMU));
	EXPECT_EQ(-1, bind(self, self->c.group, 0, 0, 0, 0));
	EXPECT_EQ(EINVAL, errno);
	tce_container_close(&self->c);

	/* v2, nothing registered */
	ASSERT_EQ(0, tce_container_open(&self->c, self->bdf, VFIO_SPAPR_TCE_v2_IOMMU));
	EXPECT_EQ(-1, bind(self, self->c.group, 0, 0, 0, 0));
	EXPECT_EQ(EINVAL, errno);
	/* v2, half of the guest RAM registered */
	ASSERT_EQ(0, tce_container_register(&self->c, self->vm->mem, GUEST_MEM / 2));
	EXPECT_EQ(-1, bind(self, self->c.group, 0, 0, 0, 0));
	EXPECT_EQ(EINVAL, errno);
	tce_container_close(&self->c);
}

TEST_F_TIMEOUT(iommu, flags_and_geometry_are_einval, 120)
{
	tce_v2_open(_metadata, &self->c, self->bdf, self->vm->mem, GUEST_MEM, 0);
	EXPECT_EQ(-1, bind(self, self->c.group, SHIFT, self->c.win_start >> SHIFT, ENTRIES, 1));
	EXPECT_EQ(EINVAL, errno) TH_LOG("unknown flag");
	EXPECT_EQ(-1, bind(self, self->c.group, SHIFT, (self->c.win_start >> SHIFT) + 1,
			   ENTRIES, 0));
	EXPECT_EQ(EINVAL, errno) TH_LOG("offset off the window");
	EXPECT_EQ(-1, bind(self, self->c.group, SHIFT, self->c.win_start >> SHIFT,
			   ((uint64_t)self->c.win_size >> SHIFT) + 1, 0));
	EXPECT_EQ(EINVAL, errno) TH_LOG("larger than the window");
	EXPECT_EQ(-1, bind(self, self->c.group, 16, self->c.win_start >> 16, 16, 0));
	EXPECT_EQ(EINVAL, errno) TH_LOG("a page size the window does not have");
	EXPECT_EQ(-1, bind(self, self->c.group, SHIFT, self->c.win_start >> SHIFT, 0, 0));
	EXPECT_EQ(EINVAL, errno) TH_LOG("size 0");
	EXPECT_EQ(-1, bind(self, self->c.group, 9, 0, 16, 0));
	EXPECT_EQ(EINVAL, errno) TH_LOG("page shift below 12");
	/* still bindable after all that */
	self->bfd = bind(self, self->c.group, 0, 0, 0, 0);
	EXPECT_LE(0, self->bfd) TH_LOG("the default window: %s", strerror(errno));
}

TEST_F_TIMEOUT(iommu, busy_liobn_and_group, 120)
{
	struct kvm_create_spapr_tce_64 t = { .liobn = LIOBN, .page_shift = SHIFT, .size = 64 };
	struct kvm_create_spapr_tce_64 t2 = { .liobn = LIOBN + 1, .page_shift = SHIFT, .size = 64 };
	struct kvm_create_spapr_tce_iommu a = { .liobn = LIOBN + 1, .page_shift = 0 };
	int tfd;

	tce_v2_open(_metadata, &self->c, self->bdf, self->vm->mem, GUEST_MEM, 0);

	/* an emulated table first: the LIOBN is taken */
	tfd = ioctl(self->vm->fd, KVM_CREATE_SPAPR_TCE_64, &t);
	ASSERT_LE(0, tfd);
	EXPECT_EQ(-1, bind(self, self->c.group, 0, 0, 0, 0));
	EXPECT_EQ(EBUSY, errno);
	close(tfd);

	/* bound first: no emulated table on it */
	self->bfd = bind(self, self->c.group, 0, 0, 0, 0);
	ASSERT_LE(0, self->bfd) TH_LOG("%s", strerror(errno));
	t.liobn = LIOBN;
	EXPECT_EQ(-1, ioctl(self->vm->fd, KVM_CREATE_SPAPR_TCE_64, &t));
	EXPECT_EQ(EBUSY, errno);
	/* the same group twice: same LIOBN or another */
	EXPECT_EQ(-1, bind(self, self->c.group, 0, 0, 0, 0));
	EXPECT_EQ(EBUSY, errno);
	a.groupfd = self->c.group;
	EXPECT_EQ(-1, ioctl(self->vm->fd, KVM_CREATE_SPAPR_TCE_IOMMU, &a));
	EXPECT_EQ(EBUSY, errno);
	/* other LIOBNs are not affected */
	tfd = ioctl(self->vm->fd, KVM_CREATE_SPAPR_TCE_64, &t2);
	EXPECT_LE(0, tfd);
	close(tfd);
	/* while bound, the group cannot leave its container */
	EXPECT_EQ(-1, ioctl(self->c.group, VFIO_GROUP_UNSET_CONTAINER));
	EXPECT_EQ(EBUSY, errno);
	close(self->bfd);
	self->bfd = -1;
	EXPECT_EQ(0, ioctl(self->c.group, VFIO_GROUP_UNSET_CONTAINER));
}

TEST_F_TIMEOUT(iommu, view_is_read_only, 120)
{
	setup_v2(_metadata, self);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, ENTRIES * 8, PROT_READ | PROT_WRITE, MAP_SHARED,
				   self->bfd, 0));
	EXPECT_EQ(EACCES, errno) TH_LOG("the binding fd is read-only");
	EXPECT_NE(0, mprotect(self->view, ENTRIES * 8, PROT_READ | PROT_WRITE));
}

TEST_F_TIMEOUT(iommu, pr_vm_is_eopnotsupp, 120)
{
	struct kvm_create_spapr_tce_iommu a = { .liobn = LIOBN };
	struct vm *pr = vm_create(KVM_VM_PPC_PR, GUEST_MEM);

	if (!pr)
		SKIP(return, "KVM-PR is not offered by this host");
	EXPECT_EQ(0, kvm_check_cap(pr->fd, KVM_CAP_SPAPR_TCE_IOMMU));
	ASSERT_EQ(0, tce_container_open(&self->c, self->bdf, VFIO_SPAPR_TCE_v2_IOMMU));
	a.groupfd = self->c.group;
	EXPECT_EQ(-1, ioctl(pr->fd, KVM_CREATE_SPAPR_TCE_IOMMU, &a));
	EXPECT_EQ(EOPNOTSUPP, errno);
	vm_destroy(pr);
}

/* ---- hypercalls ----------------------------------------------------------- */

TEST_F_TIMEOUT(iommu, put_get_boundaries, 240)
{
	struct hcall_op *ops = script_ops(self->vm);
	uint64_t vm0, vm1, hp0, hp1, us0, us1, rm0, rm1;
	struct kvm_stats st;
	int n = 0;

	setup_v2(_metadata, self);
	ASSERT_EQ(0, kvm_stats_open(self->vm->fd, &st)) TH_LOG("%s", strerror(errno));
	ASSERT_EQ(0, kvm_stats_get(&st, "tce_iommu_vm", &vm0));
	ASSERT_EQ(0, kvm_stats_get(&st, "tce_iommu_rm", &rm0));
	ASSERT_EQ(0, kvm_stats_get(&st, "tce_iommu_user", &us0));
	ASSERT_EQ(0, kvm_stats_get(&st, "tce_iommu_h_parameter", &hp0));
	script_set(&ops[n++], H_PUT_TCE, LIOBN, ioba(self, 0), tce(0, RW), 0);
	script_set(&ops[n++], H_PUT_TCE, LIOBN, ioba(self, ENTRIES - 1), tce(1, TCE_PCI_READ), 0);
	script_set(&ops[n++], H_PUT_TCE, LIOBN, ioba(self, ENTRIES), tce(2, RW), 0);
	script_set(&ops[n++], H_PUT_TCE, LIOBN, ioba(self, 5) | 0x800, tce(3, RW), 0);
	script_set(&ops[n++], H_PUT_TCE, LIOBN, ioba(self, 6), tce(4, RW) | 0x10, 0);
	script_set(&ops[n++], H_PUT_TCE, LIOBN, ioba(self, 7), GUEST_MEM | RW, 0);
	script_set(&ops[n++], H_PUT_TCE, LIOBN, ioba(self, 8), tce(8, TCE_PCI_WRITE), 0);
	script_set(&ops[n++], H_PUT_TCE, LIOBN, ioba(self, 9), 0x123000, 0);
	script_set(&ops[n++], H_GET_TCE, LIOBN, ioba(self, 0), 0, 0);
	script_set(&ops[n++], H_GET_TCE, LIOBN, ioba(self, ENTRIES - 1), 0, 0);
	script_set(&ops[n++], H_GET_TCE, LIOBN, ioba(self, ENTRIES), 0, 0);
	script_set(&ops[n++], H_GET_TCE, LIOBN, ioba(self, 9), 0, 0);
	run(_metadata, self, n);

	EXPECT_EQ(H_SUCCESS, (int64_t)ops[0].ret) TH_LOG("first entry");
	EXPECT_EQ(H_SUCCESS, (int64_t)ops[1].ret) TH_LOG("last entry");
	EXPECT_EQ(H_PARAMETER, (int64_t)ops[2].ret) TH_LOG("one past the window");
	EXPECT_EQ(H_PARAMETER, (int64_t)ops[3].ret) TH_LOG("misaligned ioba");
	EXPECT_EQ(H_PARAMETER, (int64_t)ops[4].ret) TH_LOG("reserved TCE bits");
	EXPECT_EQ(H_PARAMETER, (int64_t)ops[5].ret) TH_LOG("TCE outside the RAM");
	EXPECT_EQ(H_SUCCESS, (int64_t)ops[6].ret) TH_LOG("write-only");
	EXPECT_EQ(H_SUCCESS, (int64_t)ops[7].ret) TH_LOG("no permission: an unmapping");
	EXPECT_EQ(H_SUCCESS, (int64_t)ops[8].ret);
	EXPECT_EQ(tce(0, RW), ops[8].r4);
	EXPECT_EQ(H_SUCCESS, (int64_t)ops[9].ret);
	EXPECT_EQ(tce(1, TCE_PCI_READ), ops[9].r4);
	EXPECT_EQ(H_PARAMETER, (int64_t)ops[10].ret);
	EXPECT_EQ(H_SUCCESS, (int64_t)ops[11].ret);
	EXPECT_EQ(0x123000, ops[11].r4) TH_LOG("H_GET_TCE returns what was put");
	/* the VM's counters saw every call, in virtual mode, 5 rejected */
	ASSERT_EQ(0, kvm_stats_get(&st, "tce_iommu_vm", &vm1));
	ASSERT_EQ(0, kvm_stats_get(&st, "tce_iommu_rm", &rm1));
	ASSERT_EQ(0, kvm_stats_get(&st, "tce_iommu_user", &us1));
	ASSERT_EQ(0, kvm_stats_get(&st, "tce_iommu_h_parameter", &hp1));
	EXPECT_EQ((uint64_t)n, vm1 - vm0 + rm1 - rm0);
	EXPECT_EQ(0, us1 - us0);
	EXPECT_EQ(5, hp1 - hp0);
	kvm_stats_close(&st);
	self->want[0] = tce(0, RW);
	self->want[ENTRIES - 1] = tce(1, TCE_PCI_READ);
	self->want[8] = tce(8, TCE_PCI_WRITE);
	self->want[9] = 0x123000;
	expect_view(_metadata, self);
}

TEST_F_TIMEOUT(iommu, indirect_all_or_nothing, 240)
{
	struct hcall_op *ops = script_ops(self->vm);
	uint64_t *list = vm_gpa(self->vm, LIST_GPA);
	uint64_t i;
	int n = 0;

	setup_v2(_metadata, self);
	for (i = 0; i < 512; i++)
		list[i] = htobe64(tce(i, RW));
	script_set(&ops[n++], H_PUT_TCE_INDIRECT, LIOBN, ioba(self, 0), LIST_GPA, 0);
	script_set(&ops[n++], H_PUT_TCE_INDIRECT, LIOBN, ioba(self, ENTRIES), GUEST_MEM, 0);
	script_set(&ops[n++], H_PUT_TCE_INDIRECT, LIOBN, ioba(self, ENTRIES + 1), LIST_GPA, 0);
	script_set(&ops[n++], H_PUT_TCE_INDIRECT, LIOBN, ioba(self, 0), LIST_GPA + 8, 0);
	script_set(&ops[n++], H_PUT_TCE_INDIRECT, LIOBN, ioba(self, 0) + 8, LIST_GPA, 0);
	script_set(&ops[n++], H_PUT_TCE_INDIRECT, LIOBN, ioba(self, 0), LIST_GPA, 513);
	script_set(&ops[n++], H_PUT_TCE_INDIRECT, LIOBN, ioba(self, 0), LIST_GPA + 8, 1);
	script_set(&ops[n++], H_PUT_TCE_INDIRECT, LIOBN, ioba(self, 0), GUEST_MEM, 1);
	script_set(&ops[n++], H_PUT_TCE_INDIRECT, LIOBN, ioba(self, ENTRIES - 4), LIST_GPA, 5);
	script_set(&ops[n++], H_PUT_TCE_INDIRECT, LIOBN, ioba(self, 100), LIST_GPA, 1);
	script_set(&ops[n++], H_PUT_TCE_INDIRECT, LIOBN, ioba(self, 512), LIST_GPA, 512);
	run(_metadata, self, n);
	/* a count of 0 changes nothing, reads no list, but is checked */
	EXPECT_EQ(H_SUCCESS, (int64_t)ops[0].ret) TH_LOG("npages 0");
	EXPECT_EQ(H_SUCCESS, (int64_t)ops[1].ret) TH_LOG("npages 0 at the end, list outside the RAM");
	EXPECT_EQ(H_PARAMETER, (int64_t)ops[2].ret) TH_LOG("npages 0 past the end");
	EXPECT_EQ(H_PARAMETER, (int64_t)ops[3].ret) TH_LOG("npages 0, unaligned list");
	EXPECT_EQ(H_PARAMETER, (int64_t)ops[4].ret) TH_LOG("npages 0, misaligned ioba");
	EXPECT_EQ(H_PARAMETER, (int64_t)ops[5].ret) TH_LOG("npages 513");
	EXPECT_EQ(H_PARAMETER, (int64_t)ops[6].ret) TH_LOG("unaligned list");
	EXPECT_EQ(H_PARAMETER, (int64_t)ops[7].ret) TH_LOG("list outside the RAM");
	EXPECT_EQ(H_PARAMETER, (int64_t)ops[8].ret) TH_LOG("range past the window");
	EXPECT_EQ(H_SUCCESS, (int64_t)ops[9].ret) TH_LOG("npages 1");
	EXPECT_EQ(H_SUCCESS, (int64_t)ops[10].ret) TH_LOG("npages 512");
	self->want[100] = tce(0, RW);
	for (i = 0; i < 512; i++)
		self->want[512 + i] = tce(i, RW);
	expect_view(_metadata, self);

	/* one bad TCE in the middle: nothing changes */
	for (i = 0; i < 8; i++)
		list[i] = htobe64(tce(i + 100, TCE_PCI_READ));
	list[5] = htobe64(GUEST_MEM | RW);
	script_set(&ops[0], H_PUT_TCE_INDIRECT, LIOBN, ioba(self, 512), LIST_GPA, 8);
	run(_metadata, self, 1);
	EXPECT_EQ(H_PARAMETER, (int64_t)ops[0].ret);
	expect_view(_metadata, self);
}

TEST_F_TIMEOUT(iommu, stuff_rules, 240)
{
	struct hcall_op *ops = script_ops(self->vm);
	uint64_t i;
	int n = 0;

	setup_v2(_metadata, self);
	for (i = 0; i < 16; i++)
		script_set(&ops[n++], H_PUT_TCE, LIOBN, ioba(self, i), tce(i, RW), 0);
	script_set(&ops[n++], H_STUFF_TCE, LIOBN, ioba(self, ENTRIES - 4), 0, 5);
	script_set(&ops[n++], H_STUFF_TCE, LIOBN, ioba(self, 0), 0, 0);
	script_set(&ops[n++], H_STUFF_TCE, LIOBN, ioba(self, ENTRIES), 0, 0);
	script_set(&ops[n++], H_STUFF_TCE, LIOBN, ioba(self, ENTRIES + 1), 0, 0);
	script_set(&ops[n++], H_STUFF_TCE, LIOBN, ioba(self, 0), tce(0, RW), 0);
	script_set(&ops[n++], H_STUFF_TCE, LIOBN, ioba(self, 0), tce(0, RW), 4);
	script_set(&ops[n++], H_STUFF_TCE, LIOBN, ioba(self, 0), 0, ~0ULL);
	script_set(&ops[n++], H_STUFF_TCE, LIOBN, ioba(self, 4), 0, 8);
	run(_metadata, self, n);
	for (i = 0; i < 16; i++)
		EXPECT_EQ(H_SUCCESS, (int64_t)ops[i].ret);
	EXPECT_EQ(H_PARAMETER, (int64_t)ops[16].ret) TH_LOG("past the window");
	EXPECT_EQ(H_SUCCESS, (int64_t)ops[17].ret) TH_LOG("npages 0: nothing cleared");
	EXPECT_EQ(H_SUCCESS, (int64_t)ops[18].ret) TH_LOG("npages 0 at the end");
	EXPECT_EQ(H_PARAMETER, (int64_t)ops[19].ret) TH_LOG("npages 0 past the end");
	EXPECT_EQ(H_PARAMETER, (int64_t)ops[20].ret) TH_LOG("npages 0, a mapping value");
	EXPECT_EQ(H_PARAMETER, (int64_t)ops[21].ret) TH_LOG("a mapping value");
	EXPECT_EQ(H_PARAMETER, (int64_t)ops[22].ret) TH_LOG("npages overflowing");
	EXPECT_EQ(H_SUCCESS, (int64_t)ops[23].ret);
	for (i = 0; i < 16; i++)
		self->want[i] = i >= 4 && i < 12 ? 0 : tce(i, RW);
	expect_view(_metadata, self);
}

/* edu: SRC -> edu -> DST through IOVAs a and b; 0 when DST == SRC after */
static int roundtrip(struct edu *e, struct vm *vm, uint64_t a, uint64_t b,
		     unsigned int seed)
{
	return edu_roundtrip(e, vm_gpa(vm, SRC_GPA), vm_gpa(vm, DST_GPA), a, b,
			     XFER, seed);
}

/* ---- tracepoints ----------------------------------------------------------- */

#define EVENTS	"kvm_tce_iommu"

/* appends one expected event line */
static void want_line(char *buf, size_t size, const char *fmt, ...)
{
	size_t len = strlen(buf);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf + len, size - len, fmt, ap);
	va_end(ap);
	strncat(buf, "\n", size - strlen(buf) - 1);
}

static unsigned long long ull(uint64_t v)
{
	return v;
}

TEST_F_TIMEOUT(iommu, tracepoints, 240)
{
	struct hcall_op *ops = script_ops(self->vm);
	uint64_t *list = vm_gpa(self->vm, LIST_GPA);
	char want[4096] = "", *got;
	unsigned long long off;
	unsigned long user_calls = 0;
	struct run_stats st;
	const char *why;
	int group, n = 0;

	NEED(trace_available(EVENTS), "no tracefs or no " EVENTS " events");
	/* real mode does not trace: every call in virtual mode here */
	if (realmode_host())
		ASSERT_EQ(0, rm_bail_set(RM_BAIL_FOUND)) TH_LOG("rm_bail: %s", strerror(errno));
	group = pci_iommu_group(self->bdf);
	ASSERT_LE(0, group);
	ASSERT_EQ(0, trace_begin(EVENTS)) TH_LOG("%s", strerror(errno));

	setup_v2(_metadata, self);
	list[0] = htobe64(tce(8, RW));
	list[1] = htobe64(tce(9, TCE_PCI_READ));
	script_set(&ops[n++], H_PUT_TCE, LIOBN, ioba(self, 0), tce(0, RW), 0);
	script_set(&ops[n++], H_GET_TCE, LIOBN, ioba(self, 0), 0, 0);
	script_set(&ops[n++], H_PUT_TCE, LIOBN, ioba(self, ENTRIES), tce(1, RW), 0);
	script_set(&ops[n++], H_STUFF_TCE, LIOBN, ioba(self, 0), 0, 4);
	script_set(&ops[n++], H_PUT_TCE_INDIRECT, LIOBN, ioba(self, 8), LIST_GPA, 2);
	/* a LIOBN nobody bound: userspace's */
	script_set(&ops[n++], H_PUT_TCE, LIOBN + 1, 0, tce(2, RW), 0);
	ASSERT_EQ(0, script_start(self->vcpu, n));
	ASSERT_EQ(0, vcpu_run_guest(self->vcpu, hcall_answer_h_parameter, &user_calls,
				    120, &st, &why)) TH_LOG("%s", why);
	EXPECT_EQ(1, user_calls);
	munmap(self->view, ENTRIES * 8);
	self->view = MAP_FAILED;
	close(self->bfd);
	self->bfd = -1;

	got = trace_end(EVENTS);
	ASSERT_NE(NULL, got) TH_LOG("%s", strerror(errno));
	off = self->c.win_start >> SHIFT;
	want_line(want, sizeof(want),
		  "kvm_tce_iommu_bind: liobn=0x%llx group=%d page_shift=%d offset=0x%llx size=0x%llx container=v2 first=1",
		  LIOBN, group, SHIFT, ull(self->c.win_start >> SHIFT), ENTRIES);
	/* each change: its table's invalidation, then what it gave back */
	want_line(want, sizeof(want),
		  "kvm_tce_iommu_kill: liobn=0x%llx entry=0x%llx npages=1",
		  LIOBN, ull(off + 0));
	want_line(want, sizeof(want),
		  "kvm_tce_iommu_hcall_vm: vcpu=0 H_PUT_TCE liobn=0x%llx ioba=0x%llx arg=0x%llx npages=1 ret=H_SUCCESS",
		  LIOBN, ull(ioba(self, 0)), ull(tce(0, RW)));
	want_line(want, sizeof(want),
		  "kvm_tce_iommu_hcall_vm: vcpu=0 H_GET_TCE liobn=0x%llx ioba=0x%llx arg=0x%llx npages=1 ret=H_SUCCESS",
		  LIOBN, ull(ioba(self, 0)), ull(tce(0, RW)));
	want_line(want, sizeof(want),
		  "kvm_tce_iommu_hcall_vm: vcpu=0 H_PUT_TCE liobn=0x%llx ioba=0x%llx arg=0x%llx npages=1 ret=H_PARAMETER",
		  LIOBN, ull(ioba(self, ENTRIES)), ull(tce(1, RW)));
	want_line(want, sizeof(want),
		  "kvm_tce_iommu_kill: liobn=0x%llx entry=0x%llx npages=4",
		  LIOBN, ull(off + 0));
	want_line(want, sizeof(want),
		  "kvm_tce_iommu_release: liobn=0x%llx entry=0x%llx",
		  LIOBN, ull(off + 0));
	want_line(want, sizeof(want),
		  "kvm_tce_iommu_hcall_vm: vcpu=0 H_STUFF_TCE liobn=0x%llx ioba=0x%llx arg=0x0 npages=4 ret=H_SUCCESS",
		  LIOBN, ull(ioba(self, 0)));
	want_line(want, sizeof(want),
		  "kvm_tce_iommu_kill: liobn=0x%llx entry=0x%llx npages=2",
		  LIOBN, ull(off + 8));
	want_line(want, sizeof(want),
		  "kvm_tce_iommu_hcall_vm: vcpu=0 H_PUT_TCE_INDIRECT liobn=0x%llx ioba=0x%llx arg=0x%llx npages=2 ret=H_SUCCESS",
		  LIOBN, ull(ioba(self, 8)), ull(LIST_GPA));
	want_line(want, sizeof(want),
		  "kvm_tce_iommu_hcall_user: vcpu=0 H_PUT_TCE liobn=0x%llx ioba=0x0 arg=0x%llx npages=1 ret=H_TOO_HARD",
		  LIOBN + 1, ull(tce(2, RW)));
	/* the close clears the table 512 entries at a time */
	want_line(want, sizeof(want),
		  "kvm_tce_iommu_kill: liobn=0x%llx entry=0x%llx npages=512",
		  LIOBN, ull(off + 0));
	want_line(want, sizeof(want),
		  "kvm_tce_iommu_release: liobn=0x%llx entry=0x%llx",
		  LIOBN, ull(off + 8));
	want_line(want, sizeof(want),
		  "kvm_tce_iommu_release: liobn=0x%llx entry=0x%llx",
		  LIOBN, ull(off + 9));
	want_line(want, sizeof(want),
		  "kvm_tce_iommu_kill: liobn=0x%llx entry=0x%llx npages=512",
		  LIOBN, ull(off + 512));
	want_line(want, sizeof(want),
		  "kvm_tce_iommu_unbind: liobn=0x%llx group=%d why=closed last=1",
		  LIOBN, group);
	EXPECT_STREQ(want, got);
	free(got);
}

TEST_F_TIMEOUT(iommu, dma_put_indirect_stuff, 300)
{
	struct hcall_op *ops = script_ops(self->vm);
	uint64_t *list = vm_gpa(self->vm, LIST_GPA);
	uint8_t *dst = vm_gpa(self->vm, DST_GPA), before[XFER];
	struct edu e;

	setup_v2(_metadata, self);
	ASSERT_EQ(0, edu_open(&e, self->c.group, self->bdf));

	/* H_PUT_TCE maps, DMA lands; H_PUT_TCE of 0 unmaps, DMA stops */
	script_set(&ops[0], H_PUT_TCE, LIOBN, ioba(self, 1), SRC_GPA | TCE_PCI_READ, 0);
	script_set(&ops[1], H_PUT_TCE, LIOBN, ioba(self, 2), DST_GPA | TCE_PCI_WRITE, 0);
	run(_metadata, self, 2);
	memset(dst, 0, XFER);
	EXPECT_EQ(0, roundtrip(&e, self->vm, ioba(self, 1), ioba(self, 2), 1));
	script_set(&ops[0], H_PUT_TCE, LIOBN, ioba(self, 2), 0, 0);
	run(_metadata, self, 1);
	memcpy(before, dst, XFER);
	roundtrip(&e, self->vm, ioba(self, 1), ioba(self, 2), 2);
	EXPECT_EQ(0, memcmp(before, dst, XFER)) TH_LOG("DMA after H_PUT_TCE unmapped");

	/* H_PUT_TCE_INDIRECT maps, H_STUFF_TCE unmaps */
	list[0] = htobe64(SRC_GPA | TCE_PCI_READ);
	list[1] = htobe64(DST_GPA | RW);
	script_set(&ops[0], H_PUT_TCE_INDIRECT, LIOBN, ioba(self, 10), LIST_GPA, 2);
	run(_metadata, self, 1);
	EXPECT_EQ(H_SUCCESS, (int64_t)ops[0].ret);
	memset(dst, 0, XFER);
	EXPECT_EQ(0, roundtrip(&e, self->vm, ioba(self, 10), ioba(self, 11), 3));
	script_set(&ops[0], H_STUFF_TCE, LIOBN, ioba(self, 11), 0, 1);
	run(_metadata, self, 1);
	EXPECT_EQ(H_SUCCESS, (int64_t)ops[0].ret);
	memcpy(before, dst, XFER);
	roundtrip(&e, self->vm, ioba(self, 10), ioba(self, 11), 4);
	EXPECT_EQ(0, memcmp(before, dst, XFER)) TH_LOG("DMA after H_STUFF_TCE");
	edu_close(&e);
}

TEST_F_TIMEOUT(iommu, dma_two_groups_one_liobn, 300)
{
	struct hcall_op *ops = script_ops(self->vm);
	uint8_t *dst = vm_gpa(self->vm, DST_GPA);
	struct tce_container c2;
	struct edu e1, e2;
	char bdf2[32];
	int bfd2;

	if (first_edu(bdf2, 1))
		SKIP(return, "one edu device only");
	setup_v2(_metadata, self);
	/* a mapping made before the second group joins */
	script_set(&ops[0], H_PUT_TCE, LIOBN, ioba(self, 1), SRC_GPA | TCE_PCI_READ, 0);
	run(_metadata, self, 1);

	tce_v2_open(_metadata, &c2, bdf2, self->vm->mem, GUEST_MEM, 0);
	ASSERT_EQ(self->c.win_start, c2.win_start);
	bfd2 = bind(self, c2.group, SHIFT, self->c.win_start >> SHIFT, ENTRIES / 2, 0);
	EXPECT_EQ(-1, bfd2) TH_LOG("another geometry on the same LIOBN");
	EXPECT_EQ(EINVAL, errno);
	bfd2 = bind(self, c2.group, SHIFT, self->c.win_start >> SHIFT, ENTRIES, 0);
	ASSERT_LE(0, bfd2) TH_LOG("%s", strerror(errno));

	script_set(&ops[0], H_PUT_TCE, LIOBN, ioba(self, 2), DST_GPA | TCE_PCI_WRITE, 0);
	run(_metadata, self, 1);
	ASSERT_EQ(0, edu_open(&e1, self->c.group, self->bdf));
	ASSERT_EQ(0, edu_open(&e2, c2.group, bdf2));
	memset(dst, 0, XFER);
	EXPECT_EQ(0, roundtrip(&e1, self->vm, ioba(self, 1), ioba(self, 2), 5))
		TH_LOG("the first group");
	memset(dst, 0, XFER);
	EXPECT_EQ(0, roundtrip(&e2, self->vm, ioba(self, 1), ioba(self, 2), 6))
		TH_LOG("the second group, the old mapping included");

	/* unbinding the second group leaves the first working */
	edu_close(&e2);
	close(bfd2);
	memset(dst, 0, XFER);
	EXPECT_EQ(0, roundtrip(&e1, self->vm, ioba(self, 1), ioba(self, 2), 7));
	edu_close(&e1);
	tce_container_close(&c2);
}

TEST_F_TIMEOUT(iommu, v1_container, 240)
{
	struct hcall_op *ops = script_ops(self->vm);
	uint8_t *dst = vm_gpa(self->vm, DST_GPA), before[XFER];
	long locked;
	struct edu e;

	ASSERT_EQ(0, tce_container_open(&self->c, self->bdf, VFIO_SPAPR_TCE_IOMMU));
	ASSERT_EQ(0, tce_container_enable(&self->c)) TH_LOG("%s", strerror(errno));
	self->bfd = bind(self, self->c.group, SHIFT, self->c.win_start >> SHIFT, ENTRIES, 0);
	ASSERT_LE(0, self->bfd) TH_LOG("%s", strerror(errno));
	locked = vm_locked_kb();
	ASSERT_EQ(0, edu_open(&e, self->c.group, self->bdf));
	script_set(&ops[0], H_PUT_TCE, LIOBN, ioba(self, 1), SRC_GPA | TCE_PCI_READ, 0);
	script_set(&ops[1], H_PUT_TCE, LIOBN, ioba(self, 2), DST_GPA | TCE_PCI_WRITE, 0);
	run(_metadata, self, 2);
	EXPECT_EQ(H_SUCCESS, (int64_t)ops[0].ret);
	EXPECT_EQ(H_SUCCESS, (int64_t)ops[1].ret);
	memset(dst, 0, XFER);
	EXPECT_EQ(0, roundtrip(&e, self->vm, ioba(self, 1), ioba(self, 2), 8));
	/* v1 accounts the window at ENABLE: mapping changes nothing */
	EXPECT_EQ(locked, vm_locked_kb());
	script_set(&ops[0], H_PUT_TCE, LIOBN, ioba(self, 2), 0, 0);
	run(_metadata, self, 1);
	memcpy(before, dst, XFER);
	roundtrip(&e, self->vm, ioba(self, 1), ioba(self, 2), 9);
	EXPECT_EQ(0, memcmp(before, dst, XFER));
	edu_close(&e);
}

/* ---- the fast paths: real mode (POWER8), early in the exit (POWER9) ------- */

#define RM_LIST8	0x201000ULL	/* a second list page */

/*
 * Real mode exists on POWER8 PowerNV only, the early path on POWER9
 * PowerNV: the lab's powernv8 and powernv9 must have them. The cases below
 * run on either, as "the fast path".
 */
#define NEED_FAST() do {						\
	const char *lab = getenv("LAB_MACHINE");			\
									\
	if (lab && !strcmp(lab, "powernv8"))				\
		ASSERT_TRUE(realmode_host()) TH_LOG("powernv8 without real mode"); \
	if (lab && !strcmp(lab, "powernv9"))				\
		ASSERT_TRUE(early_host()) TH_LOG("powernv9 without the early path"); \
	if (!fast_host())						\
		SKIP(return, "no fast path here (POWER8 or POWER9 PowerNV only)"); \
	ASSERT_TRUE(!early_host() || !early_set(true)) TH_LOG("tce_early"); \
} while (0)

/* rm: served by a fast path (real mode, or early); vm: by the whole exit */
struct tce_counts {
	uint64_t vm, rm, user, hp;
};

static void counts(struct __test_metadata *_metadata, FIXTURE_DATA(iommu) *self,
		   struct tce_counts *c)
{
	struct kvm_stats st;

	ASSERT_EQ(0, kvm_stats_open(self->vm->fd, &st)) TH_LOG("%s", strerror(errno));
	ASSERT_EQ(0, tce_served(&st, &c->rm, &c->vm)) TH_LOG("%s", strerror(errno));
	ASSERT_EQ(0, kvm_stats_get(&st, "tce_iommu_user", &c->user));
	ASSERT_EQ(0, kvm_stats_get(&st, "tce_iommu_h_parameter", &c->hp));
	kvm_stats_close(&st);
}

/*
 * The calls every real-mode case makes, round r of them: maps for DMA,
 * INDIRECT of 8 and of 512, H_STUFF_TCE of 64, H_GET_TCE. Returns how
 * many; *changes: how many change entries. self->want follows.
 */
static int rm_calls(FIXTURE_DATA(iommu) *self, struct hcall_op *ops, int r,
		    int *changes)
{
	uint64_t *list8 = vm_gpa(self->vm, RM_LIST8);
	uint64_t *list = vm_gpa(self->vm, LIST_GPA);
	uint64_t i;
	int n = 0;

	for (i = 0; i < 8; i++) {
		list8[i] = htobe64(tce(16 + i + r, RW));
		self->want[16 + i] = tce(16 + i + r, RW);
	}
	for (i = 0; i < 512; i++) {
		list[i] = htobe64(tce(i, TCE_PCI_READ));
		self->want[512 + i] = tce(i, TCE_PCI_READ);
	}
	for (i = 600; i < 664; i++)
		self->want[i] = 0;
	script_set(&ops[n++], H_PUT_TCE, LIOBN, ioba(self, 1), SRC_GPA | TCE_PCI_READ, 0);
	script_set(&ops[n++], H_PUT_TCE, LIOBN, ioba(self, 2), DST_GPA | TCE_PCI_WRITE, 0);
	self->want[1] = SRC_GPA | TCE_PCI_READ;
	self->want[2] = DST_GPA | TCE_PCI_WRITE;
	script_set(&ops[n++], H_PUT_TCE_INDIRECT, LIOBN, ioba(self, 16), RM_LIST8, 8);
	script_set(&ops[n++], H_PUT_TCE_INDIRECT, LIOBN, ioba(self, 512), LIST_GPA, 512);
	script_set(&ops[n++], H_STUFF_TCE, LIOBN, ioba(self, 600), 0, 64);
	*changes = n;
	script_set(&ops[n++], H_GET_TCE, LIOBN, ioba(self, 16), 0, 0);
	return n;
}

static void rm_check(struct __test_metadata *_metadata, FIXTURE_DATA(iommu) *self,
		     struct hcall_op *ops, int n, int r, struct edu *e, const char *what)
{
	uint8_t *dst = vm_gpa(self->vm, DST_GPA);
	int i;

	for (i = 0; i < n; i++)
		EXPECT_EQ(H_SUCCESS, (int64_t)ops[i].ret) TH_LOG("%s: call %d", what, i);
	EXPECT_EQ(tce(16 + r, RW), ops[n - 1].r4) TH_LOG("%s: H_GET_TCE", what);
	expect_view(_metadata, self);
	memset(dst, 0, XFER);
	EXPECT_EQ(0, roundtrip(e, self->vm, ioba(self, 1), ioba(self, 2), 20 + r))
		TH_LOG("%s: DMA", what);
}

TEST_F_TIMEOUT(iommu, realmode_serves_v2_calls, 240)
{
	struct hcall_op *ops = script_ops(self->vm);
	struct tce_counts c0, c1;
	int n, changes;
	struct edu e;

	NEED_FAST();
	rm_bail_set(0);
	setup_v2(_metadata, self);
	view_touch(self);
	ASSERT_EQ(0, edu_open(&e, self->c.group, self->bdf));
	counts(_metadata, self, &c0);
	n = rm_calls(self, ops, 0, &changes);
	run(_metadata, self, n);
	counts(_metadata, self, &c1);
	rm_check(_metadata, self, ops, n, 0, &e, "real mode");
	/* every call completed in real mode, none reached virtual mode */
	EXPECT_EQ((uint64_t)n, c1.rm - c0.rm);
	EXPECT_EQ(0, c1.vm - c0.vm);
	EXPECT_EQ(0, c1.user - c0.user);
	edu_close(&e);
}

/*
 * Real mode gives each call up at stage 1, 2 and 3 in turn: virtual mode
 * then does all of it, and the view, the DMA, the counters, locked memory
 * and pins are what virtual mode alone gives. At the end the preregistered
 * memory unregisters (no mapping count was left taken) and its pins go.
 */
TEST_F_TIMEOUT(iommu, realmode_bail_leaves_nothing, 300)
{
	struct hcall_op *ops = script_ops(self->vm);
	long long bailed0, bailed1;
	struct tce_counts c0, c1;
	long pins0, locked;
	int n, changes, stage;
	struct edu e;

	NEED_FAST();
	pins0 = pins_steady();
	ASSERT_LE(0, pins0);
	ASSERT_EQ(0, rm_bail_set(0)) TH_LOG("rm_bail (a debug kernel is needed): %s",
					    strerror(errno));
	setup_v2(_metadata, self);
	view_touch(self);
	ASSERT_EQ(0, edu_open(&e, self->c.group, self->bdf));
	locked = vm_locked_kb();
	for (stage = RM_BAIL_FOUND; stage <= RM_BAIL_LOCKED; stage++) {
		char what[32];

		snprintf(what, sizeof(what), "rm_bail %d", stage);
		ASSERT_EQ(0, rm_bail_set(stage));
		counts(_metadata, self, &c0);
		bailed0 = rm_bailed();
		n = rm_calls(self, ops, stage, &changes);
		run(_metadata, self, n);
		counts(_metadata, self, &c1);
		bailed1 = rm_bailed();
		ASSERT_EQ(0, rm_bail_set(0));
		rm_check(_metadata, self, ops, n, stage, &e, what);
		/* H_GET_TCE changes nothing: only stage 1 gives it up */
		EXPECT_EQ(stage == RM_BAIL_FOUND ? 0 : n - changes, c1.rm - c0.rm)
			TH_LOG("%s: served in real mode", what);
		EXPECT_EQ(stage == RM_BAIL_FOUND ? n : changes, c1.vm - c0.vm)
			TH_LOG("%s: virtual mode", what);
		EXPECT_EQ(0, c1.user - c0.user) TH_LOG("%s", what);
		EXPECT_EQ(0, c1.hp - c0.hp) TH_LOG("%s", what);
		/* stage 1 gives every call up; 2 and 3 only the changes */
		EXPECT_EQ(stage == RM_BAIL_FOUND ? n : changes, bailed1 - bailed0)
			TH_LOG("%s: calls given up", what);
		EXPECT_EQ(locked, vm_locked_kb()) TH_LOG("%s: VmLck", what);
	}
	/* and real mode again, over what virtual mode left */
	counts(_metadata, self, &c0);
	n = rm_calls(self, ops, 5, &changes);
	run(_metadata, self, n);
	counts(_metadata, self, &c1);
	rm_check(_metadata, self, ops, n, 5, &e, "real mode after");
	EXPECT_EQ((uint64_t)n, c1.rm - c0.rm);
	edu_close(&e);

	munmap(self->view, ENTRIES * 8);
	self->view = MAP_FAILED;
	close(self->bfd);
	self->bfd = -1;
	EXPECT_EQ(0, tce_container_unregister(&self->c, self->vm->mem, GUEST_MEM))
		TH_LOG("UNREGISTER_MEMORY: %s (a mapping count left taken)", strerror(errno));
	tce_container_close(&self->c);
	EXPECT_EQ(pins0, pins_settle(pins0, PINS_WAIT_MS)) TH_LOG("pins");
}

/* v1 pins at map time, which real mode cannot: virtual mode serves it */
TEST_F_TIMEOUT(iommu, realmode_leaves_v1_to_virtual_mode, 240)
{
	struct hcall_op *ops = script_ops(self->vm);
	struct tce_counts c0, c1;

	NEED_FAST();
	rm_bail_set(0);
	ASSERT_EQ(0, tce_container_open(&self->c, self->bdf, VFIO_SPAPR_TCE_IOMMU));
	ASSERT_EQ(0, tce_container_enable(&self->c)) TH_LOG("%s", strerror(errno));
	self->bfd = bind(self, self->c.group, SHIFT, self->c.win_start >> SHIFT, ENTRIES, 0);
	ASSERT_LE(0, self->bfd) TH_LOG("%s", strerror(errno));
	counts(_metadata, self, &c0);
	script_set(&ops[0], H_PUT_TCE, LIOBN, ioba(self, 1), SRC_GPA | TCE_PCI_READ, 0);
	script_set(&ops[1], H_GET_TCE, LIOBN, ioba(self, 1), 0, 0);
	script_set(&ops[2], H_PUT_TCE, LIOBN, ioba(self, 1), 0, 0);
	run(_metadata, self, 3);
	counts(_metadata, self, &c1);
	EXPECT_EQ(H_SUCCESS, (int64_t)ops[0].ret);
	EXPECT_EQ(SRC_GPA | TCE_PCI_READ, ops[1].r4);
	EXPECT_EQ(H_SUCCESS, (int64_t)ops[2].ret);
	/* H_GET_TCE only reads the view: the fast path answers it, v1 or not */
	EXPECT_EQ(2, c1.vm - c0.vm);
	EXPECT_EQ(1, c1.rm - c0.rm);
}

/*
 * kvm-hv's tce_early off (POWER9): every call takes the whole exit, with
 * the same results; on again, the early path serves every one.
 */
TEST_F_TIMEOUT(iommu, early_switch_gives_the_whole_exit_back, 240)
{
	struct hcall_op *ops = script_ops(self->vm);
	struct tce_counts c0, c1;
	int n, changes, round;
	struct edu e;

	NEED_FAST();
	if (!early_host())
		SKIP(return, "no early path here (POWER9 PowerNV)");
	rm_bail_set(0);
	setup_v2(_metadata, self);
	ASSERT_EQ(0, edu_open(&e, self->c.group, self->bdf));
	for (round = 0; round < 2; round++) {
		const char *what = round ? "tce_early on" : "tce_early off";

		ASSERT_EQ(0, early_set(round)) TH_LOG("%s: %s", what, strerror(errno));
		counts(_metadata, self, &c0);
		n = rm_calls(self, ops, round, &changes);
		run(_metadata, self, n);
		counts(_metadata, self, &c1);
		rm_check(_metadata, self, ops, n, round, &e, what);
		EXPECT_EQ(round ? n : 0, c1.rm - c0.rm) TH_LOG("%s: early", what);
		EXPECT_EQ(round ? 0 : n, c1.vm - c0.vm) TH_LOG("%s: whole exit", what);
		EXPECT_EQ(0, c1.user - c0.user) TH_LOG("%s", what);
	}
	ASSERT_EQ(0, early_set(true));
	edu_close(&e);
}

TEST_HARNESS_MAIN
