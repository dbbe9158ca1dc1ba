/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Just enough of the kernel for book3s_64_tce_rules.h to compile natively:
 * the native unit test (kvm/tests/test_tce_rules.c) runs the kernel's own
 * rule functions. The constants are Linux 6.12's (include/linux/kvm_host.h,
 * include/uapi/linux/kvm.h); PAGE_SHIFT is the build's choice (-D).
 */
#ifndef SHIM_LINUX_KVM_HOST_H
#define SHIM_LINUX_KVM_HOST_H

#include <stdbool.h>
#include <stdint.h>

typedef uint64_t u64;
typedef uint32_t u32;
typedef u64 gfn_t;

#ifndef SHIM_PAGE_SHIFT
#define SHIM_PAGE_SHIFT 16
#endif
#define PAGE_SHIFT	SHIM_PAGE_SHIFT
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))

#define KVM_MEM_READONLY	(1UL << 1)
#define KVM_MEMSLOT_INVALID	(1UL << 16)

struct kvm_memory_slot {
	gfn_t base_gfn;
	unsigned long npages;
	unsigned long userspace_addr;
	u32 flags;
};

#endif
