// SPDX-License-Identifier: GPL-2.0
/*
 * Upstream behaviour the product must keep: a TCE hypercall for a LIOBN
 * that no in-kernel table serves exits to userspace as KVM_EXIT_PAPR_HCALL
 * with exactly the guest's arguments, and what userspace puts in
 * papr_hcall.ret (and args[] for r4...) is what the guest gets back.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "lib/harness.h"
#include "lib/hcall.h"
#include "lib/kvmstats.h"
#include "lib/vm.h"

#define LIOBN		0x80000001ULL	/* bit 31 set: must stay zero-extended */
#define OTHER_LIOBN	0x80000002ULL
#define IOBA		0x7000ULL
#define TCE		(0x200000ULL | TCE_PCI_READ | TCE_PCI_WRITE)
#define LIST_GPA	0x300000ULL
#define NPAGES		7ULL
#define STUFF_VAL	(0x210000ULL | TCE_PCI_READ)
#define GOT_TCE		0x0123456789abc003ULL
#define GUEST_MEM	(64UL << 20)

/*
 * In: r14 liobn, r15 ioba, r16 tce, r17 list gpa, r18 npages, r19 stuff value.
 * Out: r20 H_PUT_TCE, r21 H_GET_TCE, r22 its r4, r23 H_STUFF_TCE,
 * r24 H_PUT_TCE_INDIRECT return values.
 */
GUEST_CODE(tce_calls,
	"li 3,0x20\n mr 4,14\n mr 5,15\n mr 6,16\n sc 1\n mr 20,3\n"
	"li 3,0x1c\n mr 4,14\n mr 5,15\n sc 1\n mr 21,3\n mr 22,4\n"
	"li 3,0x138\n mr 4,14\n mr 5,15\n mr 6,19\n mr 7,18\n sc 1\n mr 23,3\n"
	"li 3,0x13c\n mr 4,14\n mr 5,15\n mr 6,17\n mr 7,18\n sc 1\n mr 24,3\n"
	GUEST_DONE);

struct seen {
	int n;
	uint64_t nr[8];
	uint64_t args[8][4];
};

/* Answers each exit with a return value of its own so mix-ups show. */
static int answer(void *ctx, struct vcpu *vcpu)
{
	struct seen *s = ctx;
	struct kvm_run *run = vcpu->run;

	if (s->n == 8)
		return -1;
	s->nr[s->n] = run->papr_hcall.nr;
	memcpy(s->args[s->n], run->papr_hcall.args, sizeof(s->args[0]));
	s->n++;
	switch (run->papr_hcall.nr) {
	case H_PUT_TCE:
		run->papr_hcall.ret = H_SUCCESS;
		break;
	case H_GET_TCE:
		run->papr_hcall.ret = H_SUCCESS;
		run->papr_hcall.args[0] = GOT_TCE;
		break;
	case H_STUFF_TCE:
		run->papr_hcall.ret = H_PARAMETER;
		break;
	case H_PUT_TCE_INDIRECT:
		run->papr_hcall.ret = H_HARDWARE;
		break;
	default:
		return -1;
	}
	return 0;
}

FIXTURE(tce_exit) {
	struct vm *vm;
	struct vcpu *vcpu;
};

FIXTURE_VARIANT(tce_exit) {
	int type;
	const char *name;
};

FIXTURE_VARIANT_ADD(tce_exit, hv) {
	.type = KVM_VM_PPC_HV, .name = "KVM-HV",
};

FIXTURE_VARIANT_ADD(tce_exit, pr) {
	.type = KVM_VM_PPC_PR, .name = "KVM-PR",
};

FIXTURE_SETUP(tce_exit)
{
	uint64_t gprs[6] = { LIOBN, IOBA, TCE, LIST_GPA, NPAGES, STUFF_VAL };

	VM_CREATE_OR_SKIP(self->vm, variant->type, variant->name, GUEST_MEM);
	ASSERT_EQ(0, vm_enable_tce_hcalls(self->vm));
	ASSERT_EQ(0, vm_load_code(self->vm, GUEST_CODE_GPA, tce_calls_start,
				  tce_calls_end));
	self->vcpu = vcpu_add(self->vm, 0);
	ASSERT_NE(NULL, self->vcpu) TH_LOG("vcpu: %s", strerror(errno));
	ASSERT_EQ(0, vcpu_start(self->vcpu, gprs, 6));
}

FIXTURE_TEARDOWN(tce_exit)
{
	vcpu_free(self->vcpu);
	vm_destroy(self->vm);
}

static void expect_exits(struct __test_metadata *_metadata, struct seen *s,
			 uint64_t liobn)
{
	ASSERT_EQ(4, s->n);
	EXPECT_EQ(H_PUT_TCE, s->nr[0]);
	EXPECT_EQ(liobn, s->args[0][0]);
	EXPECT_EQ(IOBA, s->args[0][1]);
	EXPECT_EQ(TCE, s->args[0][2]);

	EXPECT_EQ(H_GET_TCE, s->nr[1]);
	EXPECT_EQ(liobn, s->args[1][0]);
	EXPECT_EQ(IOBA, s->args[1][1]);

	EXPECT_EQ(H_STUFF_TCE, s->nr[2]);
	EXPECT_EQ(liobn, s->args[2][0]);
	EXPECT_EQ(IOBA, s->args[2][1]);
	EXPECT_EQ(STUFF_VAL, s->args[2][2]);
	EXPECT_EQ(NPAGES, s->args[2][3]);

	EXPECT_EQ(H_PUT_TCE_INDIRECT, s->nr[3]);
	EXPECT_EQ(liobn, s->args[3][0]);
	EXPECT_EQ(IOBA, s->args[3][1]);
	EXPECT_EQ(LIST_GPA, s->args[3][2]);
	EXPECT_EQ(NPAGES, s->args[3][3]);
}

/* Each TCE hypercall exits once, carrying exactly r4.. of the guest. */
TEST_F_TIMEOUT(tce_exit, exits_with_guest_args, 120)
{
	struct run_stats st;
	struct seen s = { 0 };
	const char *why;

	ASSERT_EQ(0, vcpu_run_guest(self->vcpu, answer, &s, 60, &st, &why))
		TH_LOG("%s", why);
	EXPECT_EQ(4, st.hcall_exits);
	expect_exits(_metadata, &s, LIOBN);
	if (variant->type == KVM_VM_PPC_HV) {
		struct kvm_stats ks;
		uint64_t user = 0;

		/* the VM counts what it handed to userspace (KVM-HV) */
		ASSERT_EQ(0, kvm_stats_open(self->vm->fd, &ks));
		if (!kvm_stats_get(&ks, "tce_iommu_user", &user))
			EXPECT_EQ(4, user);
		kvm_stats_close(&ks);
	}
}

/* papr_hcall.ret lands in the guest's r3, args[0] in its r4. */
TEST_F_TIMEOUT(tce_exit, userspace_answer_reaches_guest, 120)
{
	struct seen s = { 0 };
	const char *why;

	ASSERT_EQ(0, vcpu_run_guest(self->vcpu, answer, &s, 60, NULL, &why))
		TH_LOG("%s", why);
	EXPECT_EQ(H_SUCCESS, (int64_t)vcpu_gpr(self->vcpu, 20));
	EXPECT_EQ(H_SUCCESS, (int64_t)vcpu_gpr(self->vcpu, 21));
	EXPECT_EQ(GOT_TCE, vcpu_gpr(self->vcpu, 22));
	EXPECT_EQ(H_PARAMETER, (int64_t)vcpu_gpr(self->vcpu, 23));
	EXPECT_EQ(H_HARDWARE, (int64_t)vcpu_gpr(self->vcpu, 24));
}

/* An in-kernel table for another LIOBN does not capture this one's calls. */
TEST_F_TIMEOUT(tce_exit, other_liobn_table_still_exits, 120)
{
	struct kvm_create_spapr_tce_64 t = {
		.liobn = OTHER_LIOBN, .page_shift = 12, .offset = 0, .size = 64,
	};
	struct seen s = { 0 };
	const char *why;
	int tfd;

	tfd = ioctl(self->vm->fd, KVM_CREATE_SPAPR_TCE_64, &t);
	ASSERT_LE(0, tfd) TH_LOG("KVM_CREATE_SPAPR_TCE_64: %s", strerror(errno));
	ASSERT_EQ(0, vcpu_run_guest(self->vcpu, answer, &s, 60, NULL, &why))
		TH_LOG("%s", why);
	expect_exits(_metadata, &s, LIOBN);
	close(tfd);
}

TEST_HARNESS_MAIN
