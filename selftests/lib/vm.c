// SPDX-License-Identifier: GPL-2.0
/*
 * Minimal ppc64 KVM VM for the selftests: one memory slot at guest physical
 * 0, real-mode guest code, KVM_EXIT_PAPR_HCALL handled by a callback.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <unistd.h>

#include "hcall.h"
#include "vm.h"

int kvm_open(void)
{
	return open("/dev/kvm", O_RDWR | O_CLOEXEC);
}

int kvm_check_cap(int fd, long cap)
{
	return ioctl(fd, KVM_CHECK_EXTENSION, cap);
}

int vm_enable_hcall(struct vm *vm, unsigned long nr, int on)
{
	struct kvm_enable_cap cap = {
		.cap = KVM_CAP_PPC_ENABLE_HCALL,
		.args = { nr, on ? 1 : 0 },
	};

	return ioctl(vm->fd, KVM_ENABLE_CAP, &cap);
}

int vm_enable_tce_hcalls(struct vm *vm)
{
	if (vm_enable_hcall(vm, H_PUT_TCE_INDIRECT, 1) < 0)
		return -1;
	return vm_enable_hcall(vm, H_STUFF_TCE, 1);
}

struct vm *vm_create(int type, size_t mem_size)
{
	struct kvm_userspace_memory_region slot = { 0 };
	struct vm *vm;
	int err;

	vm = calloc(1, sizeof(*vm));
	if (!vm)
		return NULL;
	vm->fd = -1;
	vm->type = type;
	vm->mem = MAP_FAILED;
	vm->kvm_fd = kvm_open();
	if (vm->kvm_fd < 0)
		goto fail;
	vm->fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, type);
	if (vm->fd < 0)
		goto fail;
	vm->mem_size = mem_size;
	vm->mem = mmap(NULL, mem_size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (vm->mem == MAP_FAILED)
		goto fail;
	slot.slot = 0;
	slot.guest_phys_addr = 0;
	slot.memory_size = mem_size;
	slot.userspace_addr = (uintptr_t)vm->mem;
	if (ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &slot) < 0)
		goto fail;
	return vm;
fail:
	err = errno;
	vm_destroy(vm);
	errno = err;
	return NULL;
}

int vm_bind_tce_iommu(struct vm *vm, uint64_t liobn, int groupfd,
		      uint32_t page_shift, uint64_t offset, uint64_t size)
{
	struct kvm_create_spapr_tce_iommu a = {
		.liobn = liobn, .groupfd = groupfd, .page_shift = page_shift,
		.offset = offset, .size = size,
	};

	return ioctl(vm->fd, KVM_CREATE_SPAPR_TCE_IOMMU, &a);
}

void vm_destroy(struct vm *vm)
{
	if (!vm)
		return;
	if (vm->fd >= 0)
		close(vm->fd);
	if (vm->kvm_fd >= 0)
		close(vm->kvm_fd);
	if (vm->mem != MAP_FAILED)
		munmap(vm->mem, vm->mem_size);
	free(vm);
}

void *vm_gpa(struct vm *vm, uint64_t gpa)
{
	if (gpa >= vm->mem_size)
		return NULL;
	return vm->mem + gpa;
}

int vm_load_code(struct vm *vm, uint64_t gpa, const uint32_t *start,
		 const uint32_t *end)
{
	size_t len = (size_t)(end - start) * sizeof(*start);

	if (gpa >= vm->mem_size || len > vm->mem_size - gpa) {
		errno = E2BIG;
		return -1;
	}
	memcpy(vm->mem + gpa, start, len);
	return 0;
}

struct vcpu *vcpu_add(struct vm *vm, int id)
{
	struct kvm_enable_cap papr = { .cap = KVM_CAP_PPC_PAPR };
	struct vcpu *vcpu;
	int size, err;

	vcpu = calloc(1, sizeof(*vcpu));
	if (!vcpu)
		return NULL;
	vcpu->vm = vm;
	vcpu->id = id;
	vcpu->run = MAP_FAILED;
	vcpu->fd = ioctl(vm->fd, KVM_CREATE_VCPU, id);
	if (vcpu->fd < 0)
		goto fail;
	size = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (size < 0)
		goto fail;
	vcpu->run_size = (size_t)size;
	vcpu->run = mmap(NULL, vcpu->run_size, PROT_READ | PROT_WRITE,
			 MAP_SHARED, vcpu->fd, 0);
	if (vcpu->run == MAP_FAILED)
		goto fail;
	/* PR needs it to hand hypercalls to KVM; HV is always PAPR */
	if (ioctl(vcpu->fd, KVM_ENABLE_CAP, &papr) < 0)
		goto fail;
	return vcpu;
fail:
	err = errno;
	vcpu_free(vcpu);
	errno = err;
	return NULL;
}

void vcpu_free(struct vcpu *vcpu)
{
	if (!vcpu)
		return;
	if (vcpu->run != MAP_FAILED)
		munmap(vcpu->run, vcpu->run_size);
	if (vcpu->fd >= 0)
		close(vcpu->fd);
	free(vcpu);
}

int vcpu_get_regs(struct vcpu *vcpu, struct kvm_regs *regs)
{
	return ioctl(vcpu->fd, KVM_GET_REGS, regs);
}

int vcpu_set_regs(struct vcpu *vcpu, const struct kvm_regs *regs)
{
	return ioctl(vcpu->fd, KVM_SET_REGS, regs);
}

int vcpu_start(struct vcpu *vcpu, const uint64_t *gprs, int n)
{
	struct kvm_regs regs;
	int i;

	if (n < 0 || n > 18) {
		errno = EINVAL;
		return -1;
	}
	if (vcpu_get_regs(vcpu, &regs) < 0)
		return -1;
	regs.pc = GUEST_CODE_GPA;
	regs.msr = GUEST_MSR;
	for (i = 0; i < n; i++)
		regs.gpr[14 + i] = gprs[i];
	return vcpu_set_regs(vcpu, &regs);
}

uint64_t vcpu_gpr(struct vcpu *vcpu, int n)
{
	struct kvm_regs regs;

	if (n < 0 || n > 31 || vcpu_get_regs(vcpu, &regs) < 0)
		return 0xdeadbeefdeadbeefULL;
	return regs.gpr[n];
}

static volatile sig_atomic_t run_timed_out;

static void on_alarm(int sig)
{
	(void)sig;
	run_timed_out = 1;
}

static int arm_timer(unsigned int seconds, struct sigaction *old)
{
	struct itimerval it = { .it_value = { .tv_sec = seconds } };
	struct sigaction sa = { .sa_handler = on_alarm };

	/* no SA_RESTART: KVM_RUN must come back with EINTR */
	sigemptyset(&sa.sa_mask);
	run_timed_out = 0;
	if (sigaction(SIGALRM, &sa, old) < 0)
		return -1;
	return setitimer(ITIMER_REAL, &it, NULL);
}

static void disarm_timer(const struct sigaction *old)
{
	struct itimerval it = { 0 };

	setitimer(ITIMER_REAL, &it, NULL);
	sigaction(SIGALRM, old, NULL);
}

int hcall_answer_h_parameter(void *ctx, struct vcpu *vcpu)
{
	unsigned long *calls = ctx;

	(*calls)++;
	vcpu->run->papr_hcall.ret = H_PARAMETER;
	return 0;
}

int vcpu_run_guest(struct vcpu *vcpu, hcall_handler h, void *ctx,
		   unsigned int timeout_s, struct run_stats *st,
		   const char **why)
{
	struct run_stats local;
	struct sigaction old;
	int ret = -1;

	if (!st)
		st = &local;
	memset(st, 0, sizeof(*st));
	*why = NULL;
	if (arm_timer(timeout_s, &old) < 0) {
		*why = "cannot arm the run timer";
		return -1;
	}
	for (;;) {
		if (ioctl(vcpu->fd, KVM_RUN, 0) < 0) {
			if (errno == EINTR && !run_timed_out) {
				st->other_exits++;
				continue;
			}
			*why = run_timed_out ? "guest timed out" : "KVM_RUN failed";
			break;
		}
		if (vcpu->run->exit_reason == KVM_EXIT_INTR) {
			st->other_exits++;
			continue;
		}
		if (vcpu->run->exit_reason != KVM_EXIT_PAPR_HCALL) {
			*why = exit_reason_name(vcpu->run->exit_reason);
			break;
		}
		if (vcpu->run->papr_hcall.nr == H_LAB_DONE) {
			vcpu->run->papr_hcall.ret = H_SUCCESS;
			ret = 0;
			break;
		}
		st->hcall_exits++;
		if (!h) {
			static char msg[160];

			snprintf(msg, sizeof(msg),
				 "unexpected exit to userspace: hcall 0x%llx (0x%llx, 0x%llx, 0x%llx, 0x%llx)",
				 (unsigned long long)vcpu->run->papr_hcall.nr,
				 (unsigned long long)vcpu->run->papr_hcall.args[0],
				 (unsigned long long)vcpu->run->papr_hcall.args[1],
				 (unsigned long long)vcpu->run->papr_hcall.args[2],
				 (unsigned long long)vcpu->run->papr_hcall.args[3]);
			*why = msg;
			break;
		}
		if (h(ctx, vcpu) < 0) {
			*why = "hypercall handler stopped the run";
			break;
		}
	}
	disarm_timer(&old);
	return ret;
}

const char *exit_reason_name(unsigned int reason)
{
	switch (reason) {
	case KVM_EXIT_UNKNOWN:
		return "KVM_EXIT_UNKNOWN";
	case KVM_EXIT_MMIO:
		return "KVM_EXIT_MMIO";
	case KVM_EXIT_FAIL_ENTRY:
		return "KVM_EXIT_FAIL_ENTRY";
	case KVM_EXIT_INTERNAL_ERROR:
		return "KVM_EXIT_INTERNAL_ERROR";
	case KVM_EXIT_PAPR_HCALL:
		return "KVM_EXIT_PAPR_HCALL";
	case KVM_EXIT_DEBUG:
		return "KVM_EXIT_DEBUG";
	case KVM_EXIT_SHUTDOWN:
		return "KVM_EXIT_SHUTDOWN";
	case KVM_EXIT_SYSTEM_EVENT:
		return "KVM_EXIT_SYSTEM_EVENT";
	default:
		return "unexpected exit reason";
	}
}
