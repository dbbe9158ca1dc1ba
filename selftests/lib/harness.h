/* SPDX-License-Identifier: GPL-2.0 */
/*
 * For the tests built on kselftest_harness.h (include it first): steps that
 * several tests assert, skip or fail the same way.
 */
#ifndef SELFTESTS_HARNESS_H
#define SELFTESTS_HARNESS_H

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/vfio.h>

#include "script.h"
#include "vfio.h"
#include "vm.h"

/*
 * In the lab (LAB_MACHINE set) a missing prerequisite is a failure;
 * elsewhere a skip. SKIP() returns from the function it is written in:
 * use NEED() in the test, its fixture's setup, or a helper it ends with.
 */
#define NEED(cond, fmt, ...) do {					\
	if (!(cond)) {							\
		if (getenv("LAB_MACHINE"))				\
			ASSERT_TRUE(0) TH_LOG(fmt, ##__VA_ARGS__);	\
		SKIP(return, fmt, ##__VA_ARGS__);			\
	}								\
} while (0)

/*
 * vm = a VM of type (KVM_VM_PPC_HV or KVM_VM_PPC_PR), name for the logs:
 * a skip where the host does not offer KVM-PR (KVM_CREATE_VM's EINVAL),
 * a failure for anything else. Returns from the caller as SKIP() does.
 */
#define VM_CREATE_OR_SKIP(vm, type, name, mem_size) do {		\
	(vm) = vm_create((type), (mem_size));				\
	if (!(vm) && (type) == KVM_VM_PPC_PR && errno == EINVAL)	\
		SKIP(return, "%s is not offered by this host", (name));	\
	ASSERT_NE(NULL, (vm)) TH_LOG("KVM_CREATE_VM(%s): %s", (name),	\
				     strerror(errno));			\
} while (0)

/* the script guest loaded into vm, and the vCPU 0 that runs it */
static inline struct vcpu *script_vcpu(struct __test_metadata *_metadata,
				       struct vm *vm)
{
	struct vcpu *vcpu;

	ASSERT_EQ(0, script_load(vm));
	vcpu = vcpu_add(vm, 0);
	ASSERT_NE(NULL, vcpu) TH_LOG("KVM_CREATE_VCPU: %s", strerror(errno));
	return vcpu;
}

/* runs n script entries, for timeout_s at most; none may exit to userspace */
static inline void script_run(struct __test_metadata *_metadata,
			      struct vcpu *vcpu, unsigned int n,
			      unsigned int timeout_s)
{
	struct run_stats st;
	const char *why;

	ASSERT_EQ(0, script_start(vcpu, n));
	ASSERT_EQ(0, vcpu_run_guest(vcpu, NULL, NULL, timeout_s, &st, &why))
		TH_LOG("%s", why);
	EXPECT_EQ(0, st.hcall_exits);
}

/*
 * A v2 container of bdf's group, [mem, mem + size) preregistered; unless
 * window is 0, its default window replaced by a small one of window bytes.
 */
static inline void tce_v2_open(struct __test_metadata *_metadata,
			       struct tce_container *c, const char *bdf,
			       void *mem, size_t size, uint64_t window)
{
	ASSERT_EQ(0, tce_container_open(c, bdf, VFIO_SPAPR_TCE_v2_IOMMU))
		TH_LOG("container of %s: %s", bdf, strerror(errno));
	ASSERT_EQ(0, tce_container_register(c, mem, size))
		TH_LOG("REGISTER_MEMORY: %s", strerror(errno));
	if (window)
		ASSERT_EQ(0, tce_container_small_window(c, window))
			TH_LOG("small window: %s", strerror(errno));
}

#endif
