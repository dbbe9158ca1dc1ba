/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A few helpers to make a ppc64 KVM VM, load a tiny real-mode guest into it,
 * run it, and read what it did. Every function returns NULL or a negative
 * value with errno set on failure and prints nothing: the caller's test
 * decides how to report.
 */
#ifndef SELFTESTS_VM_H
#define SELFTESTS_VM_H

#include <stddef.h>
#include <stdint.h>
#include <linux/kvm.h>

#ifndef KVM_VM_PPC_HV
#define KVM_VM_PPC_HV 1
#define KVM_VM_PPC_PR 2
#endif

#define MSR_SF		(1ULL << 63)
#define MSR_ME		(1ULL << 12)
#define MSR_RI		(1ULL << 1)
#define MSR_LE		(1ULL << 0)
#define GUEST_MSR	(MSR_SF | MSR_ME | MSR_RI | MSR_LE)

#define GUEST_CODE_GPA	0x10000UL

/*
 * GUEST_CODE(name, "asm...") places real-mode guest instructions in the
 * test binary between name_start and name_end; vm_load_code() copies them.
 * The code runs with MSR_IR/DR off, 64-bit, little-endian, and ends with
 * "li 3,0x6000; sc 1" (H_LAB_DONE).
 */
#define GUEST_CODE(name, body)						\
	extern const uint32_t name##_start[], name##_end[];		\
	__asm__(".pushsection .rodata.guest." #name ",\"a\"\n"		\
		".balign 4\n"						\
		".globl " #name "_start\n"				\
		#name "_start:\n"					\
		body							\
		".globl " #name "_end\n"				\
		#name "_end:\n"						\
		".popsection\n")

#define GUEST_DONE "li 3,0x6000\n sc 1\n 99: b 99b\n"

struct vm {
	int kvm_fd;
	int fd;
	int type;
	uint8_t *mem;
	size_t mem_size;
};

struct vcpu {
	struct vm *vm;
	int fd;
	int id;
	struct kvm_run *run;
	size_t run_size;
};

/* Counted exits of one vcpu_run_guest() */
struct run_stats {
	unsigned long hcall_exits;	/* KVM_EXIT_PAPR_HCALL, H_LAB_DONE excluded */
	unsigned long other_exits;	/* KVM_EXIT_INTR and friends */
};

/*
 * Called for every KVM_EXIT_PAPR_HCALL but the final H_LAB_DONE; sets
 * run->papr_hcall.ret (and args[] for r4..). Returns 0 to continue, or
 * negative to stop the run.
 */
typedef int (*hcall_handler)(void *ctx, struct vcpu *vcpu);
/*
 * An hcall_handler that answers H_PARAMETER to every call, as a VMM with
 * no table for the LIOBN would, and counts them in *(unsigned long *)ctx.
 */
int hcall_answer_h_parameter(void *ctx, struct vcpu *vcpu);

int kvm_open(void);
int kvm_check_cap(int fd, long cap);

struct vm *vm_create(int type, size_t mem_size);
/* KVM_CAP_PPC_ENABLE_HCALL: let KVM serve hypercall nr itself (or not) */
int vm_enable_hcall(struct vm *vm, unsigned long nr, int on);
/*
 * H_PUT_TCE_INDIRECT and H_STUFF_TCE are off by default in KVM (H_PUT_TCE
 * and H_GET_TCE are on); a VMM that wants them in the kernel, as QEMU does,
 * turns them on.
 */
int vm_enable_tce_hcalls(struct vm *vm);
/*
 * KVM_CREATE_SPAPR_TCE_IOMMU: binds the table of groupfd's container for
 * size pages of 1 << page_shift bytes from page offset of its window (all
 * 0: its whole default window) to liobn. The binding's fd, or -1.
 */
int vm_bind_tce_iommu(struct vm *vm, uint64_t liobn, int groupfd,
		      uint32_t page_shift, uint64_t offset, uint64_t size);
void vm_destroy(struct vm *vm);
int vm_load_code(struct vm *vm, uint64_t gpa, const uint32_t *start,
		 const uint32_t *end);
void *vm_gpa(struct vm *vm, uint64_t gpa);

struct vcpu *vcpu_add(struct vm *vm, int id);
void vcpu_free(struct vcpu *vcpu);
int vcpu_get_regs(struct vcpu *vcpu, struct kvm_regs *regs);
int vcpu_set_regs(struct vcpu *vcpu, const struct kvm_regs *regs);
/* pc = GUEST_CODE_GPA, real-mode LE MSR, r14.. = gprs[0..n-1] */
int vcpu_start(struct vcpu *vcpu, const uint64_t *gprs, int n);
uint64_t vcpu_gpr(struct vcpu *vcpu, int n);

/*
 * Run until the guest says H_LAB_DONE. Returns 0, or -1 with *why set to a
 * static description (unexpected exit, KVM_RUN error, timeout, handler).
 */
int vcpu_run_guest(struct vcpu *vcpu, hcall_handler h, void *ctx,
		   unsigned int timeout_s, struct run_stats *st,
		   const char **why);

const char *exit_reason_name(unsigned int reason);

#endif
