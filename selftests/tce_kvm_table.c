// SPDX-License-Identifier: GPL-2.0
/*
 * Upstream 6.12's in-kernel emulated TCE table (KVM_CREATE_SPAPR_TCE_64):
 * the guest's TCE hypercalls for its LIOBN never exit to userspace, and the
 * table read back through mmap of the table fd holds exactly what PAPR says.
 */
#include <endian.h>
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "lib/harness.h"
#include "lib/hcall.h"
#include "lib/script.h"
#include "lib/vm.h"

#define LIOBN		0x80000010ULL
#define ENTRIES		1024ULL
#define SHIFT		12
#define GUEST_MEM	(64UL << 20)
#define MAP_BASE	0x1000000ULL	/* gpa of the pages the guest maps */
#define LIST_GPA	0x200000ULL	/* H_PUT_TCE_INDIRECT list page */
#define RW		(TCE_PCI_READ | TCE_PCI_WRITE)

FIXTURE(table) {
	struct vm *vm;
	struct vcpu *vcpu;
	int tfd;
	uint64_t *tbl;
	size_t tbl_len;
	uint64_t want[ENTRIES];
};

FIXTURE_VARIANT(table) {
	int type;
	const char *name;
	int get_exits;		/* KVM-PR leaves H_GET_TCE to userspace */
};

FIXTURE_VARIANT_ADD(table, hv) {
	.type = KVM_VM_PPC_HV, .name = "KVM-HV", .get_exits = 0,
};

FIXTURE_VARIANT_ADD(table, pr) {
	.type = KVM_VM_PPC_PR, .name = "KVM-PR", .get_exits = 1,
};

FIXTURE_SETUP(table)
{
	struct kvm_create_spapr_tce_64 t = {
		.liobn = LIOBN, .page_shift = SHIFT, .offset = 0, .size = ENTRIES,
	};

	self->tfd = -1;
	self->tbl = MAP_FAILED;
	VM_CREATE_OR_SKIP(self->vm, variant->type, variant->name, GUEST_MEM);
	ASSERT_EQ(0, vm_enable_tce_hcalls(self->vm));
	ASSERT_EQ(1, kvm_check_cap(self->vm->fd, KVM_CAP_SPAPR_TCE_64));
	self->vcpu = script_vcpu(_metadata, self->vm);
	self->tfd = ioctl(self->vm->fd, KVM_CREATE_SPAPR_TCE_64, &t);
	ASSERT_LE(0, self->tfd) TH_LOG("KVM_CREATE_SPAPR_TCE_64: %s", strerror(errno));
	self->tbl_len = (ENTRIES * 8 + (size_t)getpagesize() - 1) &
			~((size_t)getpagesize() - 1);
	self->tbl = mmap(NULL, self->tbl_len, PROT_READ, MAP_SHARED, self->tfd, 0);
	ASSERT_NE(MAP_FAILED, self->tbl) TH_LOG("mmap table: %s", strerror(errno));
	memset(self->want, 0, sizeof(self->want));
}

FIXTURE_TEARDOWN(table)
{
	if (self->tbl != MAP_FAILED)
		munmap(self->tbl, self->tbl_len);
	if (self->tfd >= 0)
		close(self->tfd);
	vcpu_free(self->vcpu);
	vm_destroy(self->vm);
}

static uint64_t tce_for(uint64_t i, uint64_t perm)
{
	return (MAP_BASE + (i << SHIFT)) | perm;
}

/* What a VMM does with an H_GET_TCE that exits: answer from the table. */
static int answer_get(void *ctx, struct vcpu *vcpu)
{
	FIXTURE_DATA(table) *self = ctx;
	struct kvm_run *run = vcpu->run;
	uint64_t ioba = run->papr_hcall.args[1];

	if (run->papr_hcall.nr != H_GET_TCE || run->papr_hcall.args[0] != LIOBN)
		return -1;
	if ((ioba & ((1ULL << SHIFT) - 1)) || (ioba >> SHIFT) >= ENTRIES) {
		run->papr_hcall.ret = H_PARAMETER;
		return 0;
	}
	run->papr_hcall.args[0] = self->tbl[ioba >> SHIFT];
	run->papr_hcall.ret = H_SUCCESS;
	return 0;
}

/*
 * Runs n entries: none may exit, except H_GET_TCE on a host that leaves it
 * to userspace (KVM-PR), and then each of them exactly once.
 */
static void run_script(struct __test_metadata *_metadata,
		       FIXTURE_DATA(table) *self,
		       const FIXTURE_VARIANT(table) *variant, unsigned int n)
{
	struct hcall_op *ops = script_ops(self->vm);
	unsigned long gets = 0;
	struct run_stats st;
	const char *why;
	unsigned int i;

	for (i = 0; i < n; i++)
		gets += ops[i].nr == H_GET_TCE;
	ASSERT_EQ(0, script_start(self->vcpu, n));
	ASSERT_EQ(0, vcpu_run_guest(self->vcpu,
				    variant->get_exits ? answer_get : NULL,
				    self, 120, &st, &why))
		TH_LOG("%s (exit %u)", why, self->vcpu->run->exit_reason);
	EXPECT_EQ(variant->get_exits ? gets : 0, st.hcall_exits);
}

static void expect_table(struct __test_metadata *_metadata,
			 FIXTURE_DATA(table) *self)
{
	uint64_t i, wrong = 0;

	for (i = 0; i < ENTRIES; i++) {
		if (self->tbl[i] == self->want[i])
			continue;
		if (wrong++ < 4)
			TH_LOG("entry %llu: 0x%llx, expected 0x%llx",
			       (unsigned long long)i,
			       (unsigned long long)self->tbl[i],
			       (unsigned long long)self->want[i]);
	}
	EXPECT_EQ(0, wrong);
}

/* H_PUT_TCE over the first 256 entries, every one read back. */
TEST_F_TIMEOUT(table, put_served_in_kernel, 180)
{
	struct hcall_op *ops = script_ops(self->vm);
	uint64_t i;

	for (i = 0; i < 256; i++) {
		script_set(&ops[i], H_PUT_TCE, LIOBN, i << SHIFT,
			   tce_for(i, i & 1 ? TCE_PCI_READ : RW), 0);
		self->want[i] = tce_for(i, i & 1 ? TCE_PCI_READ : RW);
	}
	run_script(_metadata, self, variant, 256);
	for (i = 0; i < 256; i++)
		ASSERT_EQ(H_SUCCESS, (int64_t)ops[i].ret) TH_LOG("entry %llu",
								 (unsigned long long)i);
	expect_table(_metadata, self);
}

/* H_GET_TCE, H_STUFF_TCE and H_PUT_TCE_INDIRECT in the kernel, exact table. */
TEST_F_TIMEOUT(table, get_stuff_indirect, 180)
{
	struct hcall_op *ops = script_ops(self->vm);
	uint64_t *list = vm_gpa(self->vm, LIST_GPA);
	uint64_t i;
	int n = 0;

	for (i = 0; i < 32; i++) {
		script_set(&ops[n++], H_PUT_TCE, LIOBN, i << SHIFT, tce_for(i, RW), 0);
		self->want[i] = tce_for(i, RW);
	}
	script_set(&ops[n++], H_GET_TCE, LIOBN, 5 << SHIFT, 0, 0);
	/* clear entries 8..15 */
	script_set(&ops[n++], H_STUFF_TCE, LIOBN, 8 << SHIFT, 0, 8);
	for (i = 8; i < 16; i++)
		self->want[i] = 0;
	/* 100 entries from a big-endian list, at 600.. */
	for (i = 0; i < 100; i++) {
		list[i] = htobe64(tce_for(i + 600, TCE_PCI_WRITE));
		self->want[600 + i] = tce_for(i + 600, TCE_PCI_WRITE);
	}
	script_set(&ops[n++], H_PUT_TCE_INDIRECT, LIOBN, 600 << SHIFT, LIST_GPA, 100);
	script_set(&ops[n++], H_GET_TCE, LIOBN, 699 << SHIFT, 0, 0);
	script_set(&ops[n++], H_GET_TCE, LIOBN, 9 << SHIFT, 0, 0);
	run_script(_metadata, self, variant, n);

	EXPECT_EQ(H_SUCCESS, (int64_t)ops[32].ret);
	EXPECT_EQ(tce_for(5, RW), ops[32].r4);
	EXPECT_EQ(H_SUCCESS, (int64_t)ops[33].ret);
	EXPECT_EQ(H_SUCCESS, (int64_t)ops[34].ret);
	EXPECT_EQ(H_SUCCESS, (int64_t)ops[35].ret);
	EXPECT_EQ(tce_for(699, TCE_PCI_WRITE), ops[35].r4);
	EXPECT_EQ(H_SUCCESS, (int64_t)ops[36].ret);
	EXPECT_EQ(0, ops[36].r4);
	expect_table(_metadata, self);
}

/* Outside the window: H_PARAMETER, in the kernel, nothing written. */
TEST_F_TIMEOUT(table, outside_window_is_h_parameter, 180)
{
	struct hcall_op *ops = script_ops(self->vm);

	script_set(&ops[0], H_PUT_TCE, LIOBN, ENTRIES << SHIFT, tce_for(0, RW), 0);
	script_set(&ops[1], H_PUT_TCE, LIOBN, (1ULL << SHIFT) | 0x800, tce_for(1, RW), 0);
	script_set(&ops[2], H_GET_TCE, LIOBN, ENTRIES << SHIFT, 0, 0);
	script_set(&ops[3], H_STUFF_TCE, LIOBN, (ENTRIES - 4) << SHIFT, 0, 5);
	run_script(_metadata, self, variant, 4);
	EXPECT_EQ(H_PARAMETER, (int64_t)ops[0].ret);
	EXPECT_EQ(H_PARAMETER, (int64_t)ops[1].ret);
	EXPECT_EQ(H_PARAMETER, (int64_t)ops[2].ret);
	EXPECT_EQ(H_PARAMETER, (int64_t)ops[3].ret);
	expect_table(_metadata, self);
}

TEST_HARNESS_MAIN
