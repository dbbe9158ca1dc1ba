// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_RUN must hand the VMM thread its own floating-point and vector
 * registers back, whatever the guest holds in them and however often the
 * thread was scheduled out inside the call.
 *
 * The check runs in assembly around a raw ioctl(KVM_RUN) system call: it
 * loads distinct values into the non-volatile VSX registers vs14-vs31 (whose
 * upper halves are f14-f31) and vs52-vs63 (v20-v31), enters the guest, and
 * stores the registers as they came back. The guest's own registers hold
 * other values (KVM_SET_ONE_REG). A competing CPU-bound task on the same CPU
 * and a long in-kernel hypercall loop make the vCPU thread reschedule inside
 * KVM_RUN; the first run of a fresh VM (MMU setup, which can sleep) is the
 * other classic case.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "lib/harness.h"
#include "lib/hcall.h"
#include "lib/vm.h"

#define LIOBN		0x80000030ULL
#define GUEST_MEM	(64UL << 20)
#define HCALLS_PER_RUN	2000
#define BUSY_RUNS	25
#define FRESH_VMS	15
#define NREGS		30	/* vs14..vs31, vs52..vs63 */

struct vsx_image {
	uint64_t r[NREGS][2];
};

/*
 * long fp_kvm_run(int fd, unsigned long req, const struct vsx_image *in,
 *                 struct vsx_image *out)
 * ioctl(fd, req, 0) with vs14-31/vs52-63 loaded from *in, stored to *out
 * right after the system call; returns the result or -errno. The caller's
 * values of those registers are preserved (ELFv2 ABI).
 */
#define VSR_EACH(op, base)						\
	op " 14," base ",9\n addi 9,9,16\n" op " 15," base ",9\n addi 9,9,16\n" \
	op " 16," base ",9\n addi 9,9,16\n" op " 17," base ",9\n addi 9,9,16\n" \
	op " 18," base ",9\n addi 9,9,16\n" op " 19," base ",9\n addi 9,9,16\n" \
	op " 20," base ",9\n addi 9,9,16\n" op " 21," base ",9\n addi 9,9,16\n" \
	op " 22," base ",9\n addi 9,9,16\n" op " 23," base ",9\n addi 9,9,16\n" \
	op " 24," base ",9\n addi 9,9,16\n" op " 25," base ",9\n addi 9,9,16\n" \
	op " 26," base ",9\n addi 9,9,16\n" op " 27," base ",9\n addi 9,9,16\n" \
	op " 28," base ",9\n addi 9,9,16\n" op " 29," base ",9\n addi 9,9,16\n" \
	op " 30," base ",9\n addi 9,9,16\n" op " 31," base ",9\n addi 9,9,16\n" \
	op " 52," base ",9\n addi 9,9,16\n" op " 53," base ",9\n addi 9,9,16\n" \
	op " 54," base ",9\n addi 9,9,16\n" op " 55," base ",9\n addi 9,9,16\n" \
	op " 56," base ",9\n addi 9,9,16\n" op " 57," base ",9\n addi 9,9,16\n" \
	op " 58," base ",9\n addi 9,9,16\n" op " 59," base ",9\n addi 9,9,16\n" \
	op " 60," base ",9\n addi 9,9,16\n" op " 61," base ",9\n addi 9,9,16\n" \
	op " 62," base ",9\n addi 9,9,16\n" op " 63," base ",9\n addi 9,9,16\n"

long fp_kvm_run(int fd, unsigned long req, const struct vsx_image *in,
		struct vsx_image *out);
__asm__(".text\n"
	".globl fp_kvm_run\n"
	".type fp_kvm_run,@function\n"
	"fp_kvm_run:\n"
	"mflr 0\n"
	"std 0,16(1)\n"
	"stdu 1,-576(1)\n"
	"std 29,520(1)\n"
	"std 30,528(1)\n"
	"std 31,536(1)\n"
	"mr 30,5\n"
	"mr 31,6\n"
	"addi 29,1,32\n"
	"li 9,0\n"
	VSR_EACH("stxvd2x", "29")
	"li 9,0\n"
	VSR_EACH("lxvd2x", "30")
	"li 0,54\n"		/* __NR_ioctl */
	"li 5,0\n"
	"sc\n"
	"bns+ 1f\n"
	"neg 3,3\n"
	"1:\n"
	"li 9,0\n"
	VSR_EACH("stxvd2x", "31")
	"li 9,0\n"
	VSR_EACH("lxvd2x", "29")
	"ld 29,520(1)\n"
	"ld 30,528(1)\n"
	"ld 31,536(1)\n"
	"addi 1,1,576\n"
	"ld 0,16(1)\n"
	"mtlr 0\n"
	"blr\n"
	".size fp_kvm_run,.-fp_kvm_run\n");

/* r14 liobn, r15 tce: HCALLS_PER_RUN H_PUT_TCE, H_LAB_DONE, again. */
GUEST_CODE(put_loop,
	"1: li 20,0\n"
	"2: andi. 5,20,63\n"
	"sldi 5,5,12\n"
	"li 3,0x20\n"
	"mr 4,14\n"
	"mr 6,15\n"
	"sc 1\n"
	"addi 20,20,1\n"
	"cmpwi 20,2000\n"
	"blt 2b\n"
	"li 3,0x6000\n"
	"sc 1\n"
	"b 1b\n");

static const char *reg_name(int i, char *buf, size_t len)
{
	snprintf(buf, len, i < 18 ? "vs%d (f%d)" : "vs%d (v%d)",
		 i < 18 ? 14 + i : 52 + i - 18, i < 18 ? 14 + i : 20 + i - 18);
	return buf;
}

static void host_values(struct vsx_image *img, unsigned int run)
{
	int i;

	for (i = 0; i < NREGS; i++) {
		img->r[i][0] = 0x1111000000000000ULL | ((uint64_t)i << 32) | run;
		img->r[i][1] = 0x2222000000000000ULL | ((uint64_t)i << 32) | run;
	}
}

static void guest_value(int vsr, uint64_t v[2])
{
	v[0] = 0x6e57000000000000ULL | ((uint64_t)vsr << 40) | 0xaaaa;
	v[1] = 0x6e57000000000000ULL | ((uint64_t)vsr << 40) | 0x5555;
}

/* Give every guest VSR (f0-f31 + their low halves) and VR its own value. */
static int set_guest_regs(struct vcpu *vcpu)
{
	uint64_t v[2];
	struct kvm_one_reg r = { .addr = (uintptr_t)v };
	int i;

	for (i = 0; i < 32; i++) {
		guest_value(i, v);
		r.id = KVM_REG_PPC_VSR(i);
		if (ioctl(vcpu->fd, KVM_SET_ONE_REG, &r) < 0)
			return -1;
		guest_value(32 + i, v);
		r.id = KVM_REG_PPC_VR(i);
		if (ioctl(vcpu->fd, KVM_SET_ONE_REG, &r) < 0)
			return -1;
	}
	return 0;
}

static int is_guest_value(int i, const uint64_t v[2])
{
	uint64_t g[2];

	guest_value(i < 18 ? 14 + i : 52 + i - 18, g);
	/* either doubleword, in either order: stxvd2x is not the ONE_REG layout */
	return v[0] == g[0] || v[0] == g[1] || v[1] == g[0] || v[1] == g[1];
}

struct tally {
	unsigned int calls, bad_calls, bad_regs, guest_regs;
	char first[256];
};

static void compare(const struct vsx_image *in, const struct vsx_image *out,
		    struct tally *t)
{
	int i, bad = 0;
	char name[32];

	t->calls++;
	for (i = 0; i < NREGS; i++) {
		if (in->r[i][0] == out->r[i][0] && in->r[i][1] == out->r[i][1])
			continue;
		bad++;
		t->bad_regs++;
		t->guest_regs += is_guest_value(i, out->r[i]);
		if (!t->first[0])
			snprintf(t->first, sizeof(t->first),
				 "call %u: %s expected 0x%016llx%016llx, got 0x%016llx%016llx%s",
				 t->calls, reg_name(i, name, sizeof(name)),
				 (unsigned long long)in->r[i][1],
				 (unsigned long long)in->r[i][0],
				 (unsigned long long)out->r[i][1],
				 (unsigned long long)out->r[i][0],
				 is_guest_value(i, out->r[i]) ? " (the guest's value)" : "");
	}
	t->bad_calls += bad != 0;
}

/* A CPU-bound task on the CPU the test thread is pinned to. */
static pid_t start_competitor(void)
{
	cpu_set_t set;
	pid_t pid;

	CPU_ZERO(&set);
	CPU_SET(0, &set);
	if (sched_setaffinity(0, sizeof(set), &set) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		volatile unsigned long spin = 0;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() == 1)
			_exit(0);

		for (;;)
			spin++;
	}
	return pid;
}

static void stop_competitor(pid_t pid)
{
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
}

struct fpvm {
	struct vm *vm;
	struct vcpu *vcpu;
	int tfd;
};

static int fpvm_create(struct fpvm *f, int type)
{
	struct kvm_create_spapr_tce_64 t = { .liobn = LIOBN, .page_shift = 12,
					     .size = 64 };
	uint64_t gprs[2] = { LIOBN, 0x1000000ULL | TCE_PCI_READ | TCE_PCI_WRITE };

	memset(f, 0, sizeof(*f));
	f->tfd = -1;
	f->vm = vm_create(type, GUEST_MEM);
	if (!f->vm)
		return -1;
	if (vm_load_code(f->vm, GUEST_CODE_GPA, put_loop_start, put_loop_end) < 0)
		return -1;
	f->vcpu = vcpu_add(f->vm, 0);
	if (!f->vcpu)
		return -1;
	f->tfd = ioctl(f->vm->fd, KVM_CREATE_SPAPR_TCE_64, &t);
	if (f->tfd < 0)
		return -1;
	if (set_guest_regs(f->vcpu) < 0)
		return -1;
	return vcpu_start(f->vcpu, gprs, 2);
}

static void fpvm_destroy(struct fpvm *f)
{
	if (f->tfd > 0)
		close(f->tfd);
	vcpu_free(f->vcpu);
	vm_destroy(f->vm);
	memset(f, 0, sizeof(*f));
}

/* One KVM_RUN: must come back at the guest's H_LAB_DONE. */
static int run_once(struct fpvm *f, unsigned int n, struct tally *t)
{
	struct vsx_image in, out;
	long rc;

	host_values(&in, n);
	memset(&out, 0, sizeof(out));
	do {
		rc = fp_kvm_run(f->vcpu->fd, KVM_RUN, &in, &out);
		compare(&in, &out, t);
	} while (rc == -EINTR);
	if (rc < 0)
		return (int)rc;
	if (f->vcpu->run->exit_reason != KVM_EXIT_PAPR_HCALL ||
	    f->vcpu->run->papr_hcall.nr != H_LAB_DONE)
		return -EIO;
	return 0;
}

FIXTURE(fp) {
	struct fpvm f;
	pid_t competitor;
};

FIXTURE_VARIANT(fp) {
	int type;
	const char *name;
};

FIXTURE_VARIANT_ADD(fp, hv) {
	.type = KVM_VM_PPC_HV, .name = "KVM-HV",
};

FIXTURE_VARIANT_ADD(fp, pr) {
	.type = KVM_VM_PPC_PR, .name = "KVM-PR",
};

FIXTURE_SETUP(fp)
{
	struct vm *probe;

	self->competitor = -1;
	VM_CREATE_OR_SKIP(probe, variant->type, variant->name, GUEST_MEM);
	vm_destroy(probe);
	self->competitor = start_competitor();
	ASSERT_LT(0, self->competitor) TH_LOG("competitor: %s", strerror(errno));
}

FIXTURE_TEARDOWN(fp)
{
	stop_competitor(self->competitor);
	fpvm_destroy(&self->f);
}

/* Many long KVM_RUN calls of one VM while another task competes for the CPU. */
TEST_F_TIMEOUT(fp, busy_runs, 600)
{
	struct tally t = { 0 };
	unsigned int i;

	ASSERT_EQ(0, fpvm_create(&self->f, variant->type))
		TH_LOG("VM: %s", strerror(errno));
	for (i = 0; i < BUSY_RUNS; i++)
		ASSERT_EQ(0, run_once(&self->f, i, &t)) TH_LOG("run %u", i);
	TH_LOG("%s: %u of %u KVM_RUN calls (%u hcalls each) returned wrong registers, %u registers wrong, %u of them the guest's",
	       variant->name, t.bad_calls, t.calls, HCALLS_PER_RUN, t.bad_regs,
	       t.guest_regs);
	EXPECT_EQ(0, t.bad_calls) TH_LOG("%s", t.first);
}

/* The first KVM_RUN of fresh VMs, which sets up the guest's MMU. */
TEST_F_TIMEOUT(fp, first_runs, 600)
{
	struct tally t = { 0 };
	unsigned int i;

	for (i = 0; i < FRESH_VMS; i++) {
		ASSERT_EQ(0, fpvm_create(&self->f, variant->type))
			TH_LOG("VM %u: %s", i, strerror(errno));
		ASSERT_EQ(0, run_once(&self->f, 100 + i, &t)) TH_LOG("VM %u", i);
		fpvm_destroy(&self->f);
	}
	TH_LOG("%s: %u of %u first KVM_RUN calls returned wrong registers, %u registers wrong, %u of them the guest's",
	       variant->name, t.bad_calls, t.calls, t.bad_regs, t.guest_regs);
	EXPECT_EQ(0, t.bad_calls) TH_LOG("%s", t.first);
}

TEST_HARNESS_MAIN
