// SPDX-License-Identifier: GPL-2.0
/*
 * TCE hypercall rules for a LIOBN bound with KVM_CREATE_SPAPR_TCE_IOMMU:
 *
 * - a mapping whose guest page is IOMMU-page aligned but whose userspace
 *   address is not (a hugepage DMA window over a memory slot that starts
 *   64 KiB into a hugepage) is H_PARAMETER, the entry stays clear, and an
 *   aligned slot of the same hugepages maps;
 * - a TCE_PCI_WRITE mapping into a KVM_MEM_READONLY slot is H_PARAMETER, a
 *   TCE_PCI_READ one is not;
 * - an entry's old page is released (v2: its preregistered memory's
 *   mapping count dropped, v1: unpinned) only after the TCE cache
 *   invalidation that follows the exchange, one kvm_tce_iommu_kill per call
 *   and one kvm_tce_iommu_release per old mapping, for v2 and v1;
 * - a v1 binding pins exactly one page per mapped entry, whatever remaps,
 *   clears and unbinding do;
 * - H_STUFF_TCE over a whole 64-bit window of 65536 entries of 64 KiB;
 * - a 1 TiB window of 64 KiB pages (a multi-level table): the guest's view
 *   is allocated a page at a time as entries are written (fdinfo counts
 *   it to the byte), the first call into a level never allocated takes
 *   the whole exit and the next one the fast path (real mode, POWER9's
 *   early path), and edu's DMA goes through it;
 * - a VFIO_IOMMU_SPAPR_TCE_CREATE the platform cannot serve (one level of
 *   128 MiB for that window) leaves no locked memory behind.
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
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
#include "lib/realmode.h"
#include "lib/script.h"
#include "lib/trace.h"
#include "lib/vfio.h"
#include "lib/vm.h"

#define LIOBN		0x80000060ULL
#define SHIFT		12		/* the default window's IOMMU pages */
#define ENTRIES		1024ULL		/* of it, bound (v2) */
#define GUEST_MEM	(16UL << 20)
#define LIST_GPA	0x200000ULL
#define MAP_BASE	0x800000ULL	/* mapped pages: MAP_BASE + i * 64 KiB */
#define RW		(TCE_PCI_READ | TCE_PCI_WRITE)
#define SLOT1_GPA	(1ULL << 30)	/* aligned to any hugepage size */
#define SLOT2_GPA	(2ULL << 30)
#define MISALIGN	0x10000UL	/* one 64 KiB host page into a hugepage */
#define RO_SIZE		(1UL << 20)
#define NR_HUGEPAGES	"/proc/sys/vm/nr_hugepages"
#define EVENTS		"kvm_tce_iommu"
#define KILL_EVENT	EVENTS "/kvm_tce_iommu_kill"
#define RELEASE_EVENT	EVENTS "/kvm_tce_iommu_release"
#define KILL_FMT	"kvm_tce_iommu_kill: liobn=0x%llx entry=0x%lx npages=%lu"
#define RELEASE_FMT	"kvm_tce_iommu_release: liobn=0x%llx entry=0x%lx"
#define MARK		"tce_iommu_rules call "
#define STUFF_SHIFT	16
#define STUFF_ENTRIES	65536ULL
#define STUFF_VALUE	0x12340000ULL	/* no permission: an unmapping */
#define BIG_SHIFT	16
#define BIG_BYTES	(1ULL << 40)	/* the big window: 1 TiB */
#define BIG_MIN_BYTES	(1ULL << 34)	/* what the test takes at least */
#define XFER		256

#ifndef KVM_CAP_SPAPR_TCE_IOMMU
#error "the patched kernel's uapi headers are needed"
#endif

static unsigned long long ull(uint64_t v)
{
	return v;
}

/* a guest page of the mapped area, 64 KiB apart: distinct host pages */
static uint64_t guest_page(uint64_t i)
{
	return MAP_BASE + (i << 16);
}

FIXTURE(rules) {
	struct vm *vm;
	struct vcpu *vcpu;
	struct tce_container c;
	char bdf[32];
	long locked_before;
	int bfd;		/* the binding */
	uint64_t *view;		/* its mmap */
	size_t view_len;
	void *huge;		/* hugepages, huge_len bytes */
	size_t huge_len;
	long nr_huge_old;	/* nr_hugepages to restore; -1: untouched */
	void *extra;		/* the read-only slot's memory */
	cpu_set_t cpus;		/* the affinity to restore */
	bool cpus_saved;
	time_t start;
};

FIXTURE_SETUP(rules)
{
	char found[4][32];
	const char *why;

	self->bfd = -1;
	self->view = MAP_FAILED;
	self->huge = MAP_FAILED;
	self->extra = MAP_FAILED;
	self->nr_huge_old = -1;
	self->locked_before = -1;
	self->start = time(NULL);
	tce_container_init(&self->c);
	NEED(edu_find(found, 4) >= 1, "no edu device bound to vfio-pci");
	strcpy(self->bdf, found[0]);
	self->vm = vm_create(KVM_VM_PPC_HV, GUEST_MEM);
	ASSERT_NE(NULL, self->vm) TH_LOG("KVM_CREATE_VM: %s", strerror(errno));
	if (kvm_check_cap(self->vm->fd, KVM_CAP_SPAPR_TCE_IOMMU) != 1)
		SKIP(return, "no KVM_CAP_SPAPR_TCE_IOMMU");
	self->vcpu = script_vcpu(_metadata, self->vm);
	/* a first run, so that nothing the first entry sets up counts later */
	ASSERT_EQ(0, script_start(self->vcpu, 0));
	ASSERT_EQ(0, vcpu_run_guest(self->vcpu, NULL, NULL, 30, NULL, &why))
		TH_LOG("%s", why);
	self->locked_before = vm_locked_kb();
}

FIXTURE_TEARDOWN(rules)
{
	char val[32];
	int fd;

	if (self->view != MAP_FAILED)
		munmap(self->view, self->view_len);
	if (self->bfd >= 0)
		close(self->bfd);
	tce_container_close(&self->c);
	vcpu_free(self->vcpu);
	vm_destroy(self->vm);
	if (fast_host())
		rm_bail_set(0);
	if (self->huge != MAP_FAILED)
		munmap(self->huge, self->huge_len);
	if (self->extra != MAP_FAILED)
		munmap(self->extra, RO_SIZE);
	if (self->nr_huge_old >= 0) {
		snprintf(val, sizeof(val), "%ld", self->nr_huge_old);
		fd = open(NR_HUGEPAGES, O_WRONLY);
		EXPECT_LE(0, fd);
		if (fd >= 0) {
			EXPECT_EQ((ssize_t)strlen(val), write(fd, val, strlen(val)));
			close(fd);
		}
	}
	if (self->cpus_saved)
		sched_setaffinity(0, sizeof(self->cpus), &self->cpus);
	/* nothing left behind: the whole test's locked memory is back */
	if (self->locked_before >= 0)
		EXPECT_EQ(self->locked_before, vm_locked_kb());
	TH_LOG("%ld s", (long)(time(NULL) - self->start));
}

/* ---- helpers --------------------------------------------------------------- */

static int bind(FIXTURE_DATA(rules) *self, uint32_t shift, uint64_t offset,
		uint64_t size)
{
	return vm_bind_tce_iommu(self->vm, LIOBN, self->c.group, shift, offset,
				 size);
}

static int add_slot(struct vm *vm, uint32_t slot, uint64_t gpa, uint64_t size,
		    void *ua, uint32_t flags)
{
	struct kvm_userspace_memory_region r = {
		.slot = slot, .flags = flags, .guest_phys_addr = gpa,
		.memory_size = size, .userspace_addr = (uintptr_t)ua,
	};

	return ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &r);
}

/* runs n script entries; none may exit to userspace */
static void run(struct __test_metadata *_metadata, FIXTURE_DATA(rules) *self,
		unsigned int n)
{
	script_run(_metadata, self->vcpu, n, 30);
}

/* one hypercall; its return code */
static int64_t call(struct __test_metadata *_metadata, FIXTURE_DATA(rules) *self,
		    uint64_t nr, uint64_t ioba, uint64_t a2, uint64_t a3)
{
	struct hcall_op *ops = script_ops(self->vm);

	script_set(&ops[0], nr, LIOBN, ioba, a2, a3);
	run(_metadata, self, 1);
	return (int64_t)ops[0].ret;
}

/* a v2 container, the guest RAM preregistered */
static void open_v2(struct __test_metadata *_metadata, FIXTURE_DATA(rules) *self)
{
	tce_v2_open(_metadata, &self->c, self->bdf, self->vm->mem, GUEST_MEM, 0);
}

/* ... bound to LIOBN: ENTRIES of the default window */
static void bind_v2(struct __test_metadata *_metadata, FIXTURE_DATA(rules) *self)
{
	self->bfd = bind(self, SHIFT, self->c.win_start >> SHIFT, ENTRIES);
	ASSERT_LE(0, self->bfd) TH_LOG("KVM_CREATE_SPAPR_TCE_IOMMU: %s", strerror(errno));
}

/*
 * A v1 container, enabled, bound with page_shift 0: the whole default
 * window, which VFIO creates of 4 KiB pages.
 */
static void setup_v1(struct __test_metadata *_metadata, FIXTURE_DATA(rules) *self)
{
	ASSERT_EQ(0, tce_container_open(&self->c, self->bdf, VFIO_SPAPR_TCE_IOMMU))
		TH_LOG("container: %s", strerror(errno));
	ASSERT_EQ(0, tce_container_enable(&self->c))
		TH_LOG("VFIO_IOMMU_ENABLE: %s", strerror(errno));
	self->bfd = bind(self, 0, 0, 0);
	ASSERT_LE(0, self->bfd) TH_LOG("KVM_CREATE_SPAPR_TCE_IOMMU: %s", strerror(errno));
}

static uint64_t ioba(FIXTURE_DATA(rules) *self, uint64_t i)
{
	return self->c.win_start + (i << SHIFT);
}

static void map_view(struct __test_metadata *_metadata, FIXTURE_DATA(rules) *self,
		     uint64_t entries)
{
	self->view_len = entries * sizeof(uint64_t);
	self->view = mmap(NULL, self->view_len, PROT_READ, MAP_SHARED, self->bfd, 0);
	ASSERT_NE(MAP_FAILED, self->view) TH_LOG("mmap of the binding: %s", strerror(errno));
}

static uint64_t vm_stat(struct __test_metadata *_metadata, FIXTURE_DATA(rules) *self,
		     const char *name)
{
	struct kvm_stats st;
	uint64_t v = 0;

	if (kvm_stats_open(self->vm->fd, &st)) {
		EXPECT_TRUE(0) TH_LOG("KVM_GET_STATS_FD: %s", strerror(errno));
		return 0;
	}
	EXPECT_EQ(0, kvm_stats_get(&st, name, &v)) TH_LOG("no statistic %s", name);
	kvm_stats_close(&st);
	return v;
}

/* "Key:   N kB" of /proc/meminfo; -1 when it has no such line */
static long meminfo_kb(const char *key)
{
	char line[128];
	long kb = -1;
	size_t len = strlen(key);
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, len) && line[len] == ':')
			kb = strtol(line + len + 1, NULL, 10);
	fclose(f);
	return kb;
}

/*
 * NULL when the container offers dynamic DMA windows of 1 << shift byte
 * pages, else why not (in buf).
 */
static const char *ddw_missing(struct tce_container *c, unsigned int shift,
			       char *buf, size_t len)
{
	struct vfio_iommu_spapr_tce_info info = { .argsz = sizeof(info) };

	if (ioctl(c->container, VFIO_IOMMU_SPAPR_TCE_GET_INFO, &info) < 0) {
		snprintf(buf, len, "VFIO_IOMMU_SPAPR_TCE_GET_INFO: %s", strerror(errno));
		return buf;
	}
	if (!(info.flags & VFIO_IOMMU_SPAPR_INFO_DDW) ||
	    info.ddw.max_dynamic_windows_supported < 1) {
		snprintf(buf, len, "no dynamic DMA windows (flags 0x%x, max %u)",
			 info.flags, info.ddw.max_dynamic_windows_supported);
		return buf;
	}
	if (!(info.ddw.pgsizes & (1ULL << shift))) {
		snprintf(buf, len, "no dynamic DMA window of %lu KiB pages (pgsizes 0x%llx)",
			 (1UL << shift) >> 10, ull(info.ddw.pgsizes));
		return buf;
	}
	return NULL;
}

/* The lab's powernv hosts have these windows (skiboot's PHB3 and PHB4) */
static bool ddw_required(unsigned int shift)
{
	const char *m = getenv("LAB_MACHINE");
	bool p8 = m && !strcmp(m, "powernv8"), p9 = m && !strcmp(m, "powernv9");

	if (shift == 16)
		return p8 || p9;
	return (p8 && shift == 24) || (p9 && shift == 21);
}

/*
 * VFIO_IOMMU_SPAPR_TCE_CREATE of *entries pages of 1 << shift bytes, with
 * one table level, else two; halving *entries down to min. The window's
 * bus address goes to *start. 0, or -1 with errno of the last try.
 */
static int ddw_create(struct tce_container *c, unsigned int shift,
		      uint64_t *entries, uint64_t min, uint64_t *start)
{
	uint32_t levels;

	for (; *entries >= min; *entries /= 2) {
		for (levels = 1; levels <= 2; levels++)
			if (!tce_container_create_window(c, shift, *entries << shift,
							 levels, start))
				return 0;
	}
	return -1;
}

/* How many levels the container's windows may have; 0 when unknown */
static unsigned int ddw_max_levels(struct tce_container *c)
{
	struct vfio_iommu_spapr_tce_info info = { .argsz = sizeof(info) };

	if (ioctl(c->container, VFIO_IOMMU_SPAPR_TCE_GET_INFO, &info) < 0)
		return 0;
	return info.ddw.levels;
}

/*
 * The test needs windows of more than one table level: the lab's powernv
 * bridges have them (and must), pseries' hypervisor does not offer them.
 */
#define NEED_MULTI_LEVEL(shift) do {					\
	unsigned int max_ = ddw_max_levels(&self->c);			\
									\
	if (max_ < 2) {							\
		if (ddw_required(shift))				\
			ASSERT_TRUE(0) TH_LOG("windows of %u level(s) at most", max_); \
		SKIP(return, "windows of %u level(s) at most: no multi-level table", max_); \
	}								\
} while (0)

/*
 * The test needs dynamic DMA windows of 1 << shift byte pages: fails where
 * the lab's machine must have them, skips elsewhere. why: a char[160].
 */
#define NEED_DDW(shift, why) do {					\
	if (ddw_missing(&self->c, shift, why, sizeof(why))) {		\
		if (ddw_required(shift))				\
			ASSERT_TRUE(0) TH_LOG("%s", why);		\
		SKIP(return, "%s", why);				\
	}								\
} while (0)

/* ---- misaligned_host_address --------------------------------------------- */

TEST_F_TIMEOUT(rules, misaligned_host_address, 90)
{
	struct hcall_op *ops = script_ops(self->vm);
	uint64_t entries = 64, start = 0, hp0, hp1;
	long kb, nr, locked0, pins0;
	unsigned int shift;
	char why[160];
	int n = 0;
	size_t hp;

	kb = meminfo_kb("Hugepagesize");
	/*
	 * powernv9's firmware under QEMU names no radix page sizes: the
	 * kernel then has 4K and 64K pages only, no hugepages, and a slot
	 * cannot start inside an IOMMU page. powernv8 (hash, 16M) must have
	 * them.
	 */
	if (kb <= 0) {
		const char *m = getenv("LAB_MACHINE");

		if (m && !strcmp(m, "powernv8"))
			ASSERT_TRUE(0) TH_LOG("no Hugepagesize in /proc/meminfo");
		SKIP(return, "no hugepages on this host: no slot can start inside an IOMMU page");
	}
	hp = (size_t)kb << 10;
	shift = __builtin_ctzl(hp);
	ASSERT_EQ(1UL << shift, hp) TH_LOG("a hugepage of %ld kB", kb);
	nr = sysfs_read_long(NR_HUGEPAGES);
	NEED(nr >= 0, "no " NR_HUGEPAGES);
	locked0 = vm_locked_kb();
	pins0 = pins_held();
	ASSERT_LE(0, locked0);
	ASSERT_LE(0, pins0) TH_LOG("no nr_foll_pin_* in /proc/vmstat");

	/* two hugepages of our own */
	self->nr_huge_old = nr;
	ASSERT_EQ(0, sysfs_write_long(NR_HUGEPAGES, nr + 2))
		TH_LOG("%s: %s", NR_HUGEPAGES, strerror(errno));
	NEED(sysfs_read_long(NR_HUGEPAGES) >= nr + 2, "could not reserve 2 hugepages of %ld kB (%ld)",
	     kb, sysfs_read_long(NR_HUGEPAGES));
	self->huge_len = 2 * hp;
	self->huge = mmap(NULL, self->huge_len, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	ASSERT_NE(MAP_FAILED, self->huge) TH_LOG("mmap MAP_HUGETLB: %s", strerror(errno));
	ASSERT_EQ(0, (uintptr_t)self->huge & (hp - 1));
	memset(self->huge, 0x5a, 1);
	memset((char *)self->huge + hp, 0x5a, 1);

	open_v2(_metadata, self);
	ASSERT_EQ(0, tce_container_register(&self->c, self->huge, self->huge_len))
		TH_LOG("VFIO_IOMMU_SPAPR_REGISTER_MEMORY of the hugepages: %s", strerror(errno));
	NEED_DDW(shift, why);
	/* a second window, of hugepages */
	ASSERT_EQ(0, ddw_create(&self->c, shift, &entries, 2, &start))
		TH_LOG("VFIO_IOMMU_SPAPR_TCE_CREATE of %ld kB pages: %s", kb, strerror(errno));
	TH_LOG("window of %llu pages of %ld kB at 0x%llx", ull(entries), kb, ull(start));

	/*
	 * Slot 1 is hugepage aligned in the guest, not in userspace; slot 2,
	 * the second hugepage, is aligned in both.
	 */
	ASSERT_EQ(0, add_slot(self->vm, 1, SLOT1_GPA, hp, (char *)self->huge + MISALIGN, 0))
		TH_LOG("KVM_SET_USER_MEMORY_REGION slot 1: %s", strerror(errno));
	ASSERT_EQ(0, add_slot(self->vm, 2, SLOT2_GPA, hp, (char *)self->huge + hp, 0))
		TH_LOG("KVM_SET_USER_MEMORY_REGION slot 2: %s", strerror(errno));
	self->bfd = bind(self, shift, start >> shift, entries);
	ASSERT_LE(0, self->bfd) TH_LOG("KVM_CREATE_SPAPR_TCE_IOMMU: %s", strerror(errno));

	hp0 = vm_stat(_metadata, self, "tce_iommu_h_parameter");
	script_set(&ops[n++], H_PUT_TCE, LIOBN, start, SLOT1_GPA | RW, 0);
	script_set(&ops[n++], H_GET_TCE, LIOBN, start, 0, 0);
	script_set(&ops[n++], H_PUT_TCE, LIOBN, start + (1ULL << shift), SLOT2_GPA | RW, 0);
	script_set(&ops[n++], H_GET_TCE, LIOBN, start + (1ULL << shift), 0, 0);
	script_set(&ops[n++], H_PUT_TCE, LIOBN, start + (1ULL << shift), 0, 0);
	script_set(&ops[n++], H_GET_TCE, LIOBN, start + (1ULL << shift), 0, 0);
	run(_metadata, self, n);
	hp1 = vm_stat(_metadata, self, "tce_iommu_h_parameter");
	EXPECT_EQ(H_PARAMETER, (int64_t)ops[0].ret)
		TH_LOG("a TCE whose userspace address is 64 KiB into a hugepage");
	EXPECT_EQ(H_SUCCESS, (int64_t)ops[1].ret);
	EXPECT_EQ(0, ops[1].r4) TH_LOG("the refused entry stays clear");
	EXPECT_EQ(H_SUCCESS, (int64_t)ops[2].ret) TH_LOG("an aligned hugepage slot");
	EXPECT_EQ(H_SUCCESS, (int64_t)ops[3].ret);
	EXPECT_EQ(SLOT2_GPA | RW, ops[3].r4);
	EXPECT_EQ(H_SUCCESS, (int64_t)ops[4].ret) TH_LOG("clearing it");
	EXPECT_EQ(H_SUCCESS, (int64_t)ops[5].ret);
	EXPECT_EQ(0, ops[5].r4);
	EXPECT_EQ(1, hp1 - hp0) TH_LOG("tce_iommu_h_parameter");

	/* undone in order: nothing the binding mapped is left */
	close(self->bfd);
	self->bfd = -1;
	EXPECT_EQ(0, tce_container_remove_window(&self->c, start))
		TH_LOG("VFIO_IOMMU_SPAPR_TCE_REMOVE: %s", strerror(errno));
	EXPECT_EQ(0, tce_container_unregister(&self->c, self->huge, self->huge_len))
		TH_LOG("VFIO_IOMMU_SPAPR_UNREGISTER_MEMORY of the hugepages: %s", strerror(errno));
	EXPECT_EQ(0, tce_container_unregister(&self->c, self->vm->mem, GUEST_MEM))
		TH_LOG("VFIO_IOMMU_SPAPR_UNREGISTER_MEMORY of the RAM: %s", strerror(errno));
	tce_container_close(&self->c);
	EXPECT_EQ(0, add_slot(self->vm, 1, SLOT1_GPA, 0, NULL, 0));
	EXPECT_EQ(0, add_slot(self->vm, 2, SLOT2_GPA, 0, NULL, 0));
	EXPECT_EQ(locked0, vm_locked_kb()) TH_LOG("VmLck");
	EXPECT_EQ(pins0, pins_held()) TH_LOG("pinned pages");
}

/* ---- readonly_slot ---------------------------------------------------------- */

TEST_F_TIMEOUT(rules, readonly_slot, 60)
{
	struct hcall_op *ops = script_ops(self->vm);
	uint64_t hp0, hp1;
	int n = 0;

	if (kvm_check_cap(self->vm->fd, KVM_CAP_READONLY_MEM) <= 0)
		SKIP(return, "no KVM_CAP_READONLY_MEM on this VM");
	self->extra = mmap(NULL, RO_SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->extra);
	memset(self->extra, 0x5a, RO_SIZE);
	if (add_slot(self->vm, 1, SLOT1_GPA, RO_SIZE, self->extra, KVM_MEM_READONLY)) {
		ASSERT_EQ(EINVAL, errno) TH_LOG("KVM_SET_USER_MEMORY_REGION: %s", strerror(errno));
		SKIP(return, "KVM_SET_USER_MEMORY_REGION refuses KVM_MEM_READONLY (EINVAL)");
	}
	open_v2(_metadata, self);
	ASSERT_EQ(0, tce_container_register(&self->c, self->extra, RO_SIZE))
		TH_LOG("VFIO_IOMMU_SPAPR_REGISTER_MEMORY: %s", strerror(errno));
	bind_v2(_metadata, self);

	hp0 = vm_stat(_metadata, self, "tce_iommu_h_parameter");
	script_set(&ops[n++], H_PUT_TCE, LIOBN, ioba(self, 0), SLOT1_GPA | TCE_PCI_WRITE, 0);
	script_set(&ops[n++], H_PUT_TCE, LIOBN, ioba(self, 1), (SLOT1_GPA + 0x1000) | RW, 0);
	script_set(&ops[n++], H_PUT_TCE, LIOBN, ioba(self, 2), (SLOT1_GPA + 0x2000) | TCE_PCI_READ, 0);
	script_set(&ops[n++], H_GET_TCE, LIOBN, ioba(self, 0), 0, 0);
	script_set(&ops[n++], H_GET_TCE, LIOBN, ioba(self, 1), 0, 0);
	script_set(&ops[n++], H_GET_TCE, LIOBN, ioba(self, 2), 0, 0);
	script_set(&ops[n++], H_PUT_TCE, LIOBN, ioba(self, 2), 0, 0);
	run(_metadata, self, n);
	hp1 = vm_stat(_metadata, self, "tce_iommu_h_parameter");
	EXPECT_EQ(H_PARAMETER, (int64_t)ops[0].ret) TH_LOG("write-only into a read-only slot");
	EXPECT_EQ(H_PARAMETER, (int64_t)ops[1].ret) TH_LOG("read-write into a read-only slot");
	EXPECT_EQ(H_SUCCESS, (int64_t)ops[2].ret) TH_LOG("read-only from a read-only slot");
	EXPECT_EQ(0, ops[3].r4);
	EXPECT_EQ(0, ops[4].r4);
	EXPECT_EQ((SLOT1_GPA + 0x2000) | TCE_PCI_READ, ops[5].r4);
	EXPECT_EQ(H_SUCCESS, (int64_t)ops[6].ret);
	EXPECT_EQ(2, hp1 - hp0) TH_LOG("tce_iommu_h_parameter");
}

/* ---- release_after_invalidate ---------------------------------------------- */

struct tce_event {
	bool kill;
	uint64_t entry, npages;
};

#define CALLS		5
#define EVENTS_MAX	32

/* the kill and release events of one hypercall, in order */
struct call_events {
	unsigned int n, lost;
	struct tce_event ev[EVENTS_MAX];
};

/* what one hypercall must do: one kill, these releases, these pins */
struct call_want {
	const char *what;
	uint64_t kill_entry, kill_npages;
	uint64_t release_first, releases;	/* entries first .. first + n - 1 */
	long pins;				/* v1: pins above the baseline after it */
};

static int trace_mark(const char *text)
{
	const char *path = "/sys/kernel/tracing/trace_marker";
	ssize_t n;
	int fd;

	if (access(path, F_OK))
		path = "/sys/kernel/debug/tracing/trace_marker";
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* splits the recorded kill and release events by the call markers */
static void parse_events(struct __test_metadata *_metadata, char *text,
			 struct call_events *calls)
{
	char *line, *save = NULL, again[160];
	int cur = -1;

	memset(calls, 0, CALLS * sizeof(*calls));
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		unsigned long long liobn = 0;
		unsigned long entry = 0, npages = 0;
		struct tce_event ev = { 0 };
		const char *mark;
		int k;

		/* "tracing_mark_write: " or, without kallsyms, an address */
		mark = strstr(line, MARK);
		if (mark && sscanf(mark, MARK "%d", &k) == 1) {
			EXPECT_EQ(cur + 1, k);
			cur = k;
			continue;
		}
		if (!strncmp(line, "kvm_tce_iommu_kill: ", 20)) {
			sscanf(line, KILL_FMT, &liobn, &entry, &npages);
			snprintf(again, sizeof(again), KILL_FMT, LIOBN, entry, npages);
			ev.kill = true;
		} else if (!strncmp(line, "kvm_tce_iommu_release: ", 23)) {
			sscanf(line, RELEASE_FMT, &liobn, &entry);
			snprintf(again, sizeof(again), RELEASE_FMT, LIOBN, entry);
		} else {
			continue;	/* the system's other events */
		}
		EXPECT_STREQ(again, line) TH_LOG("the event's format, and our LIOBN");
		ev.entry = entry;
		ev.npages = npages;
		if (cur < 0 || cur >= CALLS) {
			EXPECT_TRUE(0) TH_LOG("an event outside the calls: %s", line);
			continue;
		}
		if (calls[cur].n == EVENTS_MAX)
			calls[cur].lost++;
		else
			calls[cur].ev[calls[cur].n++] = ev;
	}
	EXPECT_EQ(CALLS - 1, cur) TH_LOG("the markers of the calls");
}

static void check_call(struct __test_metadata *_metadata, const struct call_events *c,
		       const struct call_want *w)
{
	unsigned int i, j, kills = 0, releases = 0, seen[8] = { 0 };

	EXPECT_EQ(0, c->lost) TH_LOG("%s: more than %d events", w->what, EVENTS_MAX);
	for (i = 0; i < c->n; i++) {
		const struct tce_event *e = &c->ev[i];
		bool covered = false;

		if (e->kill) {
			kills++;
			EXPECT_EQ(w->kill_entry, e->entry) TH_LOG("%s: the kill's entry", w->what);
			EXPECT_EQ(w->kill_npages, e->npages) TH_LOG("%s: the kill's npages", w->what);
			continue;
		}
		releases++;
		for (j = 0; j < i; j++)
			if (c->ev[j].kill && c->ev[j].entry <= e->entry &&
			    e->entry - c->ev[j].entry < c->ev[j].npages)
				covered = true;
		EXPECT_TRUE(covered)
			TH_LOG("%s: entry 0x%llx released before a kill covering it", w->what,
			       ull(e->entry));
		if (e->entry >= w->release_first && e->entry - w->release_first < w->releases)
			seen[e->entry - w->release_first]++;
		else
			EXPECT_TRUE(0) TH_LOG("%s: entry 0x%llx released", w->what, ull(e->entry));
	}
	EXPECT_EQ(1, kills) TH_LOG("%s: kills", w->what);
	EXPECT_EQ(w->releases, releases) TH_LOG("%s: releases", w->what);
	for (j = 0; j < w->releases; j++)
		EXPECT_EQ(1, seen[j]) TH_LOG("%s: releases of entry 0x%llx", w->what,
					     ull(w->release_first + j));
}

/*
 * H_PUT_TCE maps entry e, remaps it to another page, unmaps it;
 * H_PUT_TCE_INDIRECT maps 8 entries from f, H_STUFF_TCE clears them. Each
 * call between two markers of the trace; the pins after each.
 */
static void release_sequence(struct __test_metadata *_metadata,
			     FIXTURE_DATA(rules) *self, bool v1)
{
	uint64_t *list = vm_gpa(self->vm, LIST_GPA);
	const uint64_t e = 5, f = 16;
	const uint64_t he = ioba(self, e) >> SHIFT, hf = ioba(self, f) >> SHIFT;
	const struct call_want want[CALLS] = {
		{ "map", he, 1, 0, 0, 1 },
		{ "remap", he, 1, he, 1, 1 },
		{ "unmap", he, 1, he, 1, 0 },
		{ "INDIRECT map of 8", hf, 8, 0, 0, 8 },
		{ "STUFF of the 8", hf, 8, hf, 8, 0 },
	};
	struct call_events got[CALLS];
	char mark[64], *text, *copy;
	long pins0, pins[CALLS];
	int64_t ret[CALLS];
	cpu_set_t one;
	int i;

	NEED(trace_available(KILL_EVENT) && trace_available(RELEASE_EVENT),
	     "no tracefs or no " KILL_EVENT " and " RELEASE_EVENT " events");
	/* real mode does not trace: every call in virtual mode here */
	if (realmode_host())
		ASSERT_EQ(0, rm_bail_set(RM_BAIL_FOUND)) TH_LOG("rm_bail: %s", strerror(errno));
	/* one CPU: the trace's order is the order things happened in */
	ASSERT_EQ(0, sched_getaffinity(0, sizeof(self->cpus), &self->cpus));
	self->cpus_saved = true;
	CPU_ZERO(&one);
	CPU_SET(sched_getcpu(), &one);
	ASSERT_EQ(0, sched_setaffinity(0, sizeof(one), &one));

	if (v1) {
		setup_v1(_metadata, self);
	} else {
		open_v2(_metadata, self);
		bind_v2(_metadata, self);
	}
	for (i = 0; i < 8; i++)
		list[i] = htobe64(guest_page(8 + i) | RW);
	pins0 = pins_held();
	ASSERT_LE(0, pins0) TH_LOG("no nr_foll_pin_* in /proc/vmstat");

	ASSERT_EQ(0, trace_begin(EVENTS)) TH_LOG("%s", strerror(errno));
	for (i = 0; i < CALLS; i++) {
		snprintf(mark, sizeof(mark), MARK "%d", i);
		ASSERT_EQ(0, trace_mark(mark)) TH_LOG("trace_marker: %s", strerror(errno));
		switch (i) {
		case 0:
			ret[i] = call(_metadata, self, H_PUT_TCE, ioba(self, e), guest_page(0) | RW, 0);
			break;
		case 1:
			ret[i] = call(_metadata, self, H_PUT_TCE, ioba(self, e), guest_page(1) | RW, 0);
			break;
		case 2:
			ret[i] = call(_metadata, self, H_PUT_TCE, ioba(self, e), 0, 0);
			break;
		case 3:
			ret[i] = call(_metadata, self, H_PUT_TCE_INDIRECT, ioba(self, f), LIST_GPA, 8);
			break;
		default:
			ret[i] = call(_metadata, self, H_STUFF_TCE, ioba(self, f), 0, 8);
			break;
		}
		pins[i] = pins_held() - pins0;
	}
	text = trace_end(EVENTS);
	ASSERT_NE(NULL, text) TH_LOG("%s", strerror(errno));
	copy = strdup(text);
	ASSERT_NE(NULL, copy);

	parse_events(_metadata, text, got);
	for (i = 0; i < CALLS; i++) {
		EXPECT_EQ(H_SUCCESS, ret[i]) TH_LOG("%s", want[i].what);
		check_call(_metadata, &got[i], &want[i]);
		/* v1 pins one page per mapped entry; v2 pins nothing more */
		EXPECT_EQ(v1 ? want[i].pins : 0, pins[i]) TH_LOG("%s: pins", want[i].what);
	}
	if (_metadata->exit_code == KSFT_FAIL) {
		char *line, *save = NULL;
		int lines = 0;

		TH_LOG("the trace:");
		for (line = strtok_r(copy, "\n", &save); line && lines++ < 64;
		     line = strtok_r(NULL, "\n", &save))
			TH_LOG("  %s", line);
	}
	free(copy);
	free(text);
}

TEST_F_TIMEOUT(rules, release_after_invalidate_v2, 60)
{
	release_sequence(_metadata, self, false);
}

TEST_F_TIMEOUT(rules, release_after_invalidate_v1, 60)
{
	release_sequence(_metadata, self, true);
}

/* ---- v1_pins_exact ------------------------------------------------------- */

#define PIN_N		16

TEST_F_TIMEOUT(rules, v1_pins_exact, 60)
{
	uint64_t *list = vm_gpa(self->vm, LIST_GPA);
	const uint64_t f = 32;
	long pins0, locked;
	int i;

	setup_v1(_metadata, self);
	pins0 = pins_held();
	ASSERT_LE(0, pins0) TH_LOG("no nr_foll_pin_* in /proc/vmstat");
	locked = vm_locked_kb();

	for (i = 0; i < PIN_N; i++)
		list[i] = htobe64(guest_page(i) | RW);
	ASSERT_EQ(H_SUCCESS, call(_metadata, self, H_PUT_TCE_INDIRECT, ioba(self, f), LIST_GPA, PIN_N));
	EXPECT_EQ(PIN_N, pins_held() - pins0) TH_LOG("after mapping %d entries", PIN_N);

	for (i = 0; i < PIN_N; i++)
		list[i] = htobe64(guest_page(PIN_N + i) | TCE_PCI_READ);
	ASSERT_EQ(H_SUCCESS, call(_metadata, self, H_PUT_TCE_INDIRECT, ioba(self, f), LIST_GPA, PIN_N));
	EXPECT_EQ(PIN_N, pins_held() - pins0) TH_LOG("after remapping them to other pages");

	ASSERT_EQ(H_SUCCESS, call(_metadata, self, H_STUFF_TCE, ioba(self, f), 0, PIN_N));
	EXPECT_EQ(0, pins_held() - pins0) TH_LOG("after H_STUFF_TCE cleared them");

	for (i = 0; i < PIN_N; i++)
		list[i] = htobe64(guest_page(i) | TCE_PCI_WRITE);
	ASSERT_EQ(H_SUCCESS, call(_metadata, self, H_PUT_TCE_INDIRECT, ioba(self, f), LIST_GPA, PIN_N));
	EXPECT_EQ(PIN_N, pins_held() - pins0) TH_LOG("after mapping them again");
	close(self->bfd);
	self->bfd = -1;
	EXPECT_EQ(0, pins_held() - pins0) TH_LOG("after closing the binding");
	/* v1 accounted the window at VFIO_IOMMU_ENABLE: mappings change nothing */
	EXPECT_EQ(locked, vm_locked_kb()) TH_LOG("VmLck");
}

/* ---- stuff_whole_window_preemptible ---------------------------------------- */

TEST_F_TIMEOUT(rules, stuff_whole_window_preemptible, 90)
{
	struct hcall_op *ops = script_ops(self->vm);
	uint64_t entries = STUFF_ENTRIES, start = 0, i, wrong = 0;
	char why[160];
	int n = 0;

	open_v2(_metadata, self);
	NEED_DDW(STUFF_SHIFT, why);
	ASSERT_EQ(0, ddw_create(&self->c, STUFF_SHIFT, &entries, STUFF_ENTRIES, &start))
		TH_LOG("VFIO_IOMMU_SPAPR_TCE_CREATE of %llu entries of 64 KiB: %s",
		       STUFF_ENTRIES, strerror(errno));
	self->bfd = bind(self, STUFF_SHIFT, start >> STUFF_SHIFT, entries);
	ASSERT_LE(0, self->bfd) TH_LOG("KVM_CREATE_SPAPR_TCE_IOMMU: %s", strerror(errno));
	map_view(_metadata, self, entries);

	/* mappings at both ends and in the middle, then all of it stuffed */
	script_set(&ops[n++], H_PUT_TCE, LIOBN, start, guest_page(0) | RW, 0);
	script_set(&ops[n++], H_PUT_TCE, LIOBN, start + ((entries / 2) << STUFF_SHIFT),
		   guest_page(1) | TCE_PCI_READ, 0);
	script_set(&ops[n++], H_PUT_TCE, LIOBN, start + ((entries - 1) << STUFF_SHIFT),
		   guest_page(2) | TCE_PCI_WRITE, 0);
	script_set(&ops[n++], H_STUFF_TCE, LIOBN, start, STUFF_VALUE, entries);
	script_set(&ops[n++], H_GET_TCE, LIOBN, start + ((entries - 1) << STUFF_SHIFT), 0, 0);
	run(_metadata, self, n);
	for (i = 0; i < 3; i++)
		EXPECT_EQ(H_SUCCESS, (int64_t)ops[i].ret) TH_LOG("mapping %llu", ull(i));
	EXPECT_EQ(H_SUCCESS, (int64_t)ops[3].ret) TH_LOG("H_STUFF_TCE of %llu entries",
							  ull(entries));
	EXPECT_EQ(H_SUCCESS, (int64_t)ops[4].ret);
	EXPECT_EQ(STUFF_VALUE, ops[4].r4);
	for (i = 0; i < entries; i++)
		if (self->view[i] != STUFF_VALUE && wrong++ < 4)
			TH_LOG("entry %llu: 0x%llx", ull(i), ull(self->view[i]));
	EXPECT_EQ(0, wrong) TH_LOG("entries of the view not stuffed");
}

/* ---- big_window_view_on_demand --------------------------------------------- */

/* the calls served by the fast path and through the whole exit, so far */
static void served(struct __test_metadata *_metadata, FIXTURE_DATA(rules) *self,
		   uint64_t *fast, uint64_t *exit)
{
	struct kvm_stats st;

	ASSERT_EQ(0, kvm_stats_open(self->vm->fd, &st))
		TH_LOG("KVM_GET_STATS_FD: %s", strerror(errno));
	EXPECT_EQ(0, tce_served(&st, fast, exit)) TH_LOG("%s", strerror(errno));
	kvm_stats_close(&st);
}

TEST_F_TIMEOUT(rules, big_window_view_on_demand, 120)
{
	uint64_t bytes = BIG_BYTES, entries, start = 0, f0, e0, f1, e1;
	long long page = sysconf(_SC_PAGESIZE), b0, b1, per_page;
	uint64_t a, b, c, z, iova_a, iova_b;
	uint32_t levels = 0, l;
	uint8_t *src, *dst;
	struct edu e;
	char why[160];

	open_v2(_metadata, self);
	NEED_DDW(BIG_SHIFT, why);
	NEED_MULTI_LEVEL(BIG_SHIFT);
	/* the biggest window of two levels or more the bridge gives */
	for (; bytes >= BIG_MIN_BYTES && !levels; bytes /= 2)
		for (l = 2; l <= 4 && !levels; l++)
			if (!tce_container_create_window(&self->c, BIG_SHIFT, bytes, l,
							 &start))
				levels = l;
	ASSERT_NE(0, levels) TH_LOG("VFIO_IOMMU_SPAPR_TCE_CREATE of 64 KiB pages, 2 to 4 levels: %s",
				    strerror(errno));
	bytes *= 2;
	entries = bytes >> BIG_SHIFT;
	per_page = page / 8;
	TH_LOG("window of %llu GiB (%llu entries, %u levels) at 0x%llx",
	       ull(bytes >> 30), ull(entries), levels, ull(start));
	self->bfd = bind(self, BIG_SHIFT, start >> BIG_SHIFT, entries);
	ASSERT_LE(0, self->bfd) TH_LOG("KVM_CREATE_SPAPR_TCE_IOMMU: %s", strerror(errno));

	/* nothing of the view yet */
	EXPECT_EQ(0, fdinfo_get(self->bfd, "view_pages"));
	EXPECT_EQ((long long)(entries / per_page), fdinfo_get(self->bfd, "view_pages_max"));
	b0 = fdinfo_get(self->bfd, "bytes");
	ASSERT_LT(0, b0);
	EXPECT_GT((long long)(entries * 8) / 64, b0)
		TH_LOG("%lld bytes for a view of %llu entries", b0, ull(entries));

	/* a level and a view page nobody wrote yet: the whole exit */
	a = entries / 4 * 3;
	b = entries / 2 + 3 * per_page;
	z = per_page;
	iova_a = start + (a << BIG_SHIFT);
	iova_b = start + ((a + 1) << BIG_SHIFT);
	served(_metadata, self, &f0, &e0);
	ASSERT_EQ(H_SUCCESS, call(_metadata, self, H_PUT_TCE, iova_a, guest_page(0) | RW, 0));
	served(_metadata, self, &f1, &e1);
	EXPECT_EQ(0, f1 - f0) TH_LOG("the first call into a new level, fast");
	EXPECT_EQ(1, e1 - e0);
	EXPECT_EQ(1, fdinfo_get(self->bfd, "view_pages"));
	/* the same level and page: the fast path where there is one */
	ASSERT_EQ(H_SUCCESS, call(_metadata, self, H_PUT_TCE, iova_b, guest_page(1) | RW, 0));
	served(_metadata, self, &f0, &e0);
	if (fast_host()) {
		EXPECT_EQ(1, f0 - f1) TH_LOG("the next call in that level, not fast");
		EXPECT_EQ(0, e0 - e1);
	} else {
		EXPECT_EQ(1, e0 - e1);
	}
	EXPECT_EQ(1, fdinfo_get(self->bfd, "view_pages"));

	/* reading and clearing where nothing is allocate nothing */
	EXPECT_EQ(H_SUCCESS, call(_metadata, self, H_GET_TCE, start + (z << BIG_SHIFT), 0, 0));
	EXPECT_EQ(0, script_ops(self->vm)[0].r4);
	EXPECT_EQ(H_SUCCESS, call(_metadata, self, H_STUFF_TCE, start + (z << BIG_SHIFT), 0,
				  per_page));
	EXPECT_EQ(1, fdinfo_get(self->bfd, "view_pages"));
	/* an unmapping TCE with address bits is kept: it needs its page */
	EXPECT_EQ(H_SUCCESS, call(_metadata, self, H_PUT_TCE, start + (b << BIG_SHIFT),
				  STUFF_VALUE, 0));
	EXPECT_EQ(2, fdinfo_get(self->bfd, "view_pages"));
	EXPECT_EQ(H_SUCCESS, call(_metadata, self, H_GET_TCE, start + (b << BIG_SHIFT), 0, 0));
	EXPECT_EQ(STUFF_VALUE, script_ops(self->vm)[0].r4);
	EXPECT_EQ(H_SUCCESS, call(_metadata, self, H_GET_TCE, iova_b, 0, 0));
	EXPECT_EQ(guest_page(1) | RW, script_ops(self->vm)[0].r4);

	/*
	 * A view page userspace's mapping allocated (reading it), over a
	 * level of the table nobody wrote yet: the whole exit allocates it.
	 */
	c = entries / 4;
	self->view_len = page;
	self->view = mmap(NULL, page, PROT_READ, MAP_SHARED, self->bfd, (c / per_page) * page);
	ASSERT_NE(MAP_FAILED, self->view) TH_LOG("mmap of the view: %s", strerror(errno));
	EXPECT_EQ(0, self->view[c % per_page]);
	EXPECT_EQ(3, fdinfo_get(self->bfd, "view_pages"));
	served(_metadata, self, &f0, &e0);
	ASSERT_EQ(H_SUCCESS, call(_metadata, self, H_PUT_TCE, start + (c << BIG_SHIFT),
				  guest_page(2) | RW, 0));
	served(_metadata, self, &f1, &e1);
	EXPECT_EQ(0, f1 - f0) TH_LOG("a call into a level not allocated, fast");
	EXPECT_EQ(1, e1 - e0);
	EXPECT_EQ(guest_page(2) | RW, self->view[c % per_page]) TH_LOG("the mapping's view");
	EXPECT_EQ(H_SUCCESS, call(_metadata, self, H_PUT_TCE, start + (c << BIG_SHIFT), 0, 0));
	EXPECT_EQ(3, fdinfo_get(self->bfd, "view_pages"));
	b1 = fdinfo_get(self->bfd, "bytes");
	EXPECT_EQ(b0 + 3 * page, b1) TH_LOG("bytes: %lld, then %lld", b0, b1);

	/* edu's DMA through the window: in, then (cleared) out */
	edu_init(&e);
	ASSERT_EQ(0, edu_open(&e, self->c.group, self->bdf)) TH_LOG("edu: %s", strerror(errno));
	src = vm_gpa(self->vm, guest_page(0));
	dst = vm_gpa(self->vm, guest_page(1));
	memset(dst, 0, XFER);
	EXPECT_EQ(0, edu_roundtrip(&e, src, dst, iova_a, iova_b, XFER, 7))
		TH_LOG("DMA at 0x%llx -> 0x%llx", ull(iova_a), ull(iova_b));
	EXPECT_EQ(H_SUCCESS, call(_metadata, self, H_STUFF_TCE, iova_a, 0, 2));
	EXPECT_TRUE(edu_roundtrip_stays_out(&e, src, dst, iova_a, iova_b, XFER, 8))
		TH_LOG("DMA through cleared entries");

	/*
	 * Mapped again when the binding goes: its clear takes them out of the
	 * table's allocated level (DMA no longer lands) and releases them (the
	 * memory unregisters while the window is still there).
	 */
	ASSERT_EQ(H_SUCCESS, call(_metadata, self, H_PUT_TCE, iova_a, guest_page(0) | RW, 0));
	ASSERT_EQ(H_SUCCESS, call(_metadata, self, H_PUT_TCE, iova_b, guest_page(1) | RW, 0));
	munmap(self->view, self->view_len);	/* the mapping holds the binding too */
	self->view = MAP_FAILED;
	close(self->bfd);
	self->bfd = -1;
	EXPECT_TRUE(edu_roundtrip_stays_out(&e, src, dst, iova_a, iova_b, XFER, 9))
		TH_LOG("DMA through a closed binding's entries");
	edu_close(&e);
	EXPECT_EQ(0, tce_container_unregister(&self->c, self->vm->mem, GUEST_MEM))
		TH_LOG("VFIO_IOMMU_SPAPR_UNREGISTER_MEMORY of the RAM: %s", strerror(errno));
	EXPECT_EQ(0, tce_container_remove_window(&self->c, start))
		TH_LOG("VFIO_IOMMU_SPAPR_TCE_REMOVE: %s", strerror(errno));
}

/* ---- failed_window_creation_accounts_nothing -------------------------------- */

TEST_F_TIMEOUT(rules, failed_window_creation_accounts_nothing, 60)
{
	uint64_t start = 0;
	long locked0, locked1;
	char why[160];

	open_v2(_metadata, self);
	NEED_DDW(BIG_SHIFT, why);
	NEED_MULTI_LEVEL(BIG_SHIFT);
	/* the first creation makes VFIO's pending default window too */
	ASSERT_EQ(0, tce_container_create_window(&self->c, BIG_SHIFT, BIG_BYTES, 2, &start))
		TH_LOG("VFIO_IOMMU_SPAPR_TCE_CREATE, 2 levels: %s", strerror(errno));
	ASSERT_EQ(0, tce_container_remove_window(&self->c, start));
	locked0 = vm_locked_kb();
	ASSERT_LE(0, locked0);
	/* a single level of 2^24 entries: more than one allocation can give */
	EXPECT_NE(0, tce_container_create_window(&self->c, BIG_SHIFT, BIG_BYTES, 1, &start))
		TH_LOG("a 1 TiB window of one level was created");
	EXPECT_EQ(locked0, vm_locked_kb()) TH_LOG("VmLck after a failed VFIO_IOMMU_SPAPR_TCE_CREATE");
	/* the same window of two levels, accounted, then given back */
	ASSERT_EQ(0, tce_container_create_window(&self->c, BIG_SHIFT, BIG_BYTES, 2, &start))
		TH_LOG("VFIO_IOMMU_SPAPR_TCE_CREATE, 2 levels: %s", strerror(errno));
	locked1 = vm_locked_kb();
	EXPECT_LT(locked0, locked1) TH_LOG("the window's table was not accounted");
	EXPECT_EQ(0, tce_container_remove_window(&self->c, start));
	EXPECT_EQ(locked0, vm_locked_kb()) TH_LOG("VmLck after VFIO_IOMMU_SPAPR_TCE_REMOVE");
}

TEST_HARNESS_MAIN
