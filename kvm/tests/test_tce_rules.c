// SPDX-License-Identifier: GPL-2.0
/*
 * Native unit tests of the kernel's own TCE rules (kvm/book3s_64_tce_rules.h,
 * compiled here against the shims in kvm/tests/shim/): the cases a lab
 * test cannot bring about at will, a memory slot KVM is deleting
 * (KVM_MEMSLOT_INVALID: only for an SRCU grace period), a slot whose
 * userspace address is not aligned to the IOMMU page, a range whose end
 * overflows, and the window's edges. Built once per host page size
 * (SHIM_PAGE_SHIFT 12 and 16). TAP 13 on stdout.
 */
#include <stdio.h>
#include <string.h>

#include "../book3s_64_tce_rules.h"

#include "../../tools/include/tap.h"

#define RW	(TCE_PCI_READ | TCE_PCI_WRITE)

static void test_range(void)
{
	unsigned long idx = ~0UL;

	/* a window of 16 pages of 4 KiB at entry 0x100 */
	CHECK(tce_rule_range(12, 0x100, 16, 0x100000, 1, &idx) == H_SUCCESS &&
	      idx == 0, "range: the first entry");
	CHECK(tce_rule_range(12, 0x100, 16, 0x10f000, 1, &idx) == H_SUCCESS &&
	      idx == 15, "range: the last entry");
	CHECK(tce_rule_range(12, 0x100, 16, 0x110000, 1, &idx) == H_PARAMETER,
	      "range: one past the window");
	CHECK(tce_rule_range(12, 0x100, 16, 0xff000, 1, &idx) == H_PARAMETER,
	      "range: one before the window");
	CHECK(tce_rule_range(12, 0x100, 16, 0x100800, 1, &idx) == H_PARAMETER,
	      "range: an IOBA inside a page");
	CHECK(tce_rule_range(12, 0x100, 16, 0x100000, 16, &idx) == H_SUCCESS,
	      "range: the whole window");
	CHECK(tce_rule_range(12, 0x100, 16, 0x101000, 16, &idx) == H_PARAMETER,
	      "range: one entry too many");
	CHECK(tce_rule_range(12, 0x100, 16, 0x101000, ~0UL, &idx) == H_PARAMETER,
	      "range: a count whose end overflows");
	CHECK(tce_rule_range(12, 0x100, 16, ~0UL << 12, 2, &idx) == H_PARAMETER,
	      "range: an IOBA at the top of the address space");
	CHECK(tce_rule_range(12, 0x100, 16, 0x100000, 0, &idx) == H_SUCCESS,
	      "range: count 0 at the start");
	CHECK(tce_rule_range(12, 0x100, 16, 0x110000, 0, &idx) == H_SUCCESS &&
	      idx == 16, "range: count 0 at the window's end");
	CHECK(tce_rule_range(12, 0x100, 16, 0x111000, 0, &idx) == H_PARAMETER,
	      "range: count 0 past the end");
	CHECK(tce_rule_range(24, 1, 4, 1UL << 24, 4, &idx) == H_SUCCESS &&
	      tce_rule_range(24, 1, 4, (1UL << 24) + 0x10000, 1, &idx) == H_PARAMETER,
	      "range: 16 MiB pages, aligned and not");
}

static void test_slot(void)
{
	struct kvm_memory_slot s = {
		.base_gfn = 0x100, .npages = 16, .userspace_addr = 0x7f0000000000UL,
	};
	unsigned long base = s.base_gfn << PAGE_SHIFT, ua = 0;

	CHECK(tce_rule_slot(&s, base + 8, 8, true, &ua) == H_SUCCESS &&
	      ua == s.userspace_addr + 8, "slot: the userspace address");
	CHECK(tce_rule_slot(NULL, base, 8, false, &ua) == H_PARAMETER,
	      "slot: no slot");
	CHECK(tce_rule_slot(&s, base + 16 * PAGE_SIZE - 8, 16, false, &ua) ==
	      H_PARAMETER, "slot: a range running out of the slot");
	CHECK(tce_rule_slot(&s, base - 8, 16, false, &ua) == H_PARAMETER,
	      "slot: a range starting before the slot");
	s.flags = KVM_MEMSLOT_INVALID;
	ua = 0;
	CHECK(tce_rule_slot(&s, base, 8, false, &ua) == H_PARAMETER && !ua,
	      "slot: a slot being deleted (KVM_MEMSLOT_INVALID) is refused");
	s.flags = KVM_MEM_READONLY;
	CHECK(tce_rule_slot(&s, base, 8, true, &ua) == H_PARAMETER,
	      "slot: a device write into a read-only slot");
	CHECK(tce_rule_slot(&s, base, 8, false, &ua) == H_SUCCESS,
	      "slot: a device read from a read-only slot");
}

static void test_tce_page(void)
{
	struct kvm_memory_slot s = {
		.base_gfn = (16UL << 20) >> PAGE_SHIFT,
		.npages = (64UL << 20) >> PAGE_SHIFT,
		.userspace_addr = 0x7f0000000000UL,
	};
	unsigned long gpa = 16UL << 20, ua = 0;

	CHECK(tce_rule_tce_page(&s, 12, gpa | RW, &ua) == H_SUCCESS &&
	      ua == s.userspace_addr, "tce page: 4 KiB at the slot's start");
	CHECK(tce_rule_tce_page(&s, 12, gpa | 0x100 | RW, &ua) == H_PARAMETER,
	      "tce page: reserved bits set");
	CHECK(tce_rule_tce_page(&s, 24, gpa | TCE_PCI_READ, &ua) == H_SUCCESS,
	      "tce page: 16 MiB, slot aligned");
	CHECK(tce_rule_tce_page(&s, 24, (gpa + (64UL << 20)) | RW, &ua) ==
	      H_PARAMETER, "tce page: past the slot");
	/* the slot starts 64 KiB into a 16 MiB page of userspace */
	s.userspace_addr += 0x10000;
	CHECK(tce_rule_tce_page(&s, 24, gpa | RW, &ua) == H_PARAMETER,
	      "tce page: guest-aligned, userspace not aligned to the IOMMU page");
	CHECK(tce_rule_tce_page(&s, 16, gpa | RW, &ua) == H_SUCCESS,
	      "tce page: the same slot, 64 KiB pages");
	CHECK(tce_rule_hpa(24, 0x1000000) == H_SUCCESS &&
	      tce_rule_hpa(24, 0x1010000) == H_PARAMETER,
	      "hpa: aligned to the IOMMU page, or refused");
}

static void test_misc(void)
{
	CHECK(tce_rule_list(0x200000, 512) == H_SUCCESS &&
	      tce_rule_list(0x200000, 513) == H_PARAMETER &&
	      tce_rule_list(0x200008, 1) == H_PARAMETER &&
	      tce_rule_list(0x200000, 0) == H_SUCCESS &&
	      tce_rule_list(0x200008, 0) == H_PARAMETER,
	      "list: 4 KiB aligned, 0 to 512 entries");
	CHECK(tce_rule_stuff(0) == H_SUCCESS && tce_rule_stuff(0x1000) == H_SUCCESS &&
	      tce_rule_stuff(0x1001) == H_PARAMETER &&
	      tce_rule_stuff(0x1002) == H_PARAMETER, "stuff: clears only");
	CHECK(tce_rule_dir(0x1003) == DMA_BIDIRECTIONAL &&
	      tce_rule_dir(0x1001) == DMA_TO_DEVICE &&
	      tce_rule_dir(0x1002) == DMA_FROM_DEVICE &&
	      tce_rule_dir(0x1000) == DMA_NONE, "dir: the permission bits");
	CHECK(!tce_rule_maps(~0UL & ~3UL) && tce_rule_gpa(0x123003) == 0x123000,
	      "maps: no permission is an unmapping whatever the address");
}

int main(void)
{
	printf("TAP version 13\n");
	snprintf(tap_suffix, sizeof(tap_suffix), " (PAGE_SHIFT %d)", PAGE_SHIFT);
	test_range();
	test_slot();
	test_tce_page();
	test_misc();
	return tap_done();
}
