// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_CREATE_SPAPR_TCE_IOMMU when things go wrong, with the debug kernel's
 * fault injection (debugfs kvm_tce_iommu/):
 *
 * - fail_bind N makes a bind fail with ENOMEM at step N (1 the VFIO claim
 *   of the table taken, 2 the window and a new LIOBN's view settled, 3 the
 *   binding attached to its table, 4 the current mappings replicated into a
 *   new table, 5 just before the fd). A failed bind leaves nothing behind:
 *   a new LIOBN is neither served nor orphaned, the table's claim is given
 *   back to VFIO, a second table it began to write is cleared, the LIOBN's
 *   first table and the guest's mappings are untouched, locked memory and
 *   pinned pages are where they were.
 * - clear_delay_ms makes a table's final clear (close, revoke, a failed
 *   bind's undo) take that long, so that unbinding the group's device from
 *   vfio-pci comes in the middle of it: the revoke waits for the clear, and
 *   the device, the group and the LIOBN come out of it usable.
 *
 * - fail_xchg_skip N, fail_xchg M: after N more exchanges of a commit, the
 *   platform refuses the next M. The call answers H_HARDWARE; the refused
 *   entry is cleared in the hardware and the view when the clearing goes
 *   through, and keeps its old TCE in both when even that is refused; the
 *   entries before it stay written, those after it untouched; nothing
 *   held is lost or leaked (the preregistered memory unregisters at the
 *   end). DMA shows what the hardware holds. On POWER8 the same runs once
 *   in virtual mode and once in real mode.
 * - fail_mem_skip N, fail_mem M: the preregistered memory of a new page is
 *   not found (either mode); fail_pin_skip N, fail_pin M: a v1 pin fails.
 *   The call answers H_HARDWARE having changed nothing: view, hardware,
 *   mapping counts and pins as before. Real mode that meets it gives the
 *   whole call to virtual mode, with what it had resolved given back.
 * - fail_alloc_skip N, fail_alloc 1: the (N+1)th allocation of a bind is
 *   refused, for every N in turn until the bind needs no more: ENOMEM, and
 *   nothing left, as with fail_bind. The same switch refuses a page of the
 *   view a hypercall needs (the view is allocated as it is written): the
 *   call answers H_HARDWARE having changed nothing, in either mode.
 *
 * The lab fails the machine on any kernel report (lockdep, a WARN in VFIO,
 * use after free poisoning): these cases make sure the paths run.
 */
#include <endian.h>
#include <errno.h>
#include <pthread.h>
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
#include "lib/vfio.h"
#include "lib/vm.h"

/* one LIOBN per case */
#define LIOBN_NEW	0x80000200ULL
#define LIOBN_SECOND	0x80000210ULL
#define LIOBN_CLOSE	0x80000220ULL
#define LIOBN_UNDO	0x80000230ULL

#define SHIFT		12
#define PAGE_4K		(1ULL << SHIFT)
#define ENTRIES		256ULL
#define GUEST_MEM	(16UL << 20)
/* entry k of the window maps guest page PAGE_GPA(k), read and write */
#define PAGE_BASE	0x400000ULL
#define PAGE_GPA(k)	(PAGE_BASE + ((uint64_t)(k) << SHIFT))
/* an entry the guest never maps: VFIO's MAP_DMA uses it */
#define VFIO_ENTRY	200
/* edu copies the first half of a page to its second half */
#define XFER		2048U
#define RW		(TCE_PCI_READ | TCE_PCI_WRITE)
#define MAP_RW		(VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE)

#define STEPS		5	/* BIND_STEP_CLAIMED .. BIND_STEP_PUBLISH */
#define CLEAR_DELAY_MS	500
/* the unbinding comes this long after the close or the bind began */
#define UNBIND_AFTER_MS	100

#define FAULTS		"/sys/kernel/debug/kvm_tce_iommu/"
#define FAIL_BIND	FAULTS "fail_bind"
#define CLEAR_DELAY	FAULTS "clear_delay_ms"
#define FAIL_XCHG	FAULTS "fail_xchg"
#define FAIL_XCHG_SKIP	FAULTS "fail_xchg_skip"
#define FAIL_MEM	FAULTS "fail_mem"
#define FAIL_MEM_SKIP	FAULTS "fail_mem_skip"
#define FAIL_PIN	FAULTS "fail_pin"
#define FAIL_PIN_SKIP	FAULTS "fail_pin_skip"
#define FAIL_ALLOC	FAULTS "fail_alloc"
#define FAIL_ALLOC_SKIP	FAULTS "fail_alloc_skip"

/* a bind's allocations (bind_alloc()): a new LIOBN of ENTRIES, a new table */
#define ALLOCS_NEW_LIOBN	7	/* binding, LIOBN, locks, view index, 2 rm, table */
#define ALLOCS_NEW_TABLE	4	/* binding, table, the replicate's 2 */

#ifndef KVM_CAP_SPAPR_TCE_IOMMU
#error "the patched kernel's uapi headers are needed"
#endif

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static void pause_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

static int fault_set(const char *file, unsigned int val)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%u", val);
	return sysfs_write(file, buf);
}

/* the counted failures, all off (a test killed at its timeout may leave them) */
static void faults_clear(struct __test_metadata *_metadata)
{
	static const char *const files[] = {
		FAIL_XCHG, FAIL_XCHG_SKIP, FAIL_MEM, FAIL_MEM_SKIP,
		FAIL_PIN, FAIL_PIN_SKIP, FAIL_ALLOC, FAIL_ALLOC_SKIP,
	};
	unsigned int i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (!access(files[i], W_OK))
			EXPECT_EQ(0, fault_set(files[i], 0)) TH_LOG("%s", files[i]);
}

/* what a fault file holds now */
static unsigned int fault_get(struct __test_metadata *_metadata, const char *file)
{
	unsigned int v = ~0U;
	FILE *f = fopen(file, "r");

	EXPECT_NE(NULL, f) TH_LOG("%s: %s", file, strerror(errno));
	if (!f)
		return v;
	EXPECT_EQ(1, fscanf(f, "%u", &v));
	fclose(f);
	return v;
}

FIXTURE(faults) {
	struct vm *vm;
	struct vcpu *vcpu;
	struct tce_container c[2];	/* edu A's group, edu B's */
	struct edu e[2];
	int bfd[2];			/* A's binding, B's */
	char bdf[2][32];
	int nedu;
	struct kvm_stats st;
	long locked_before, pins_before;
	time_t start;
};

FIXTURE_SETUP(faults)
{
	char found[4][32];
	int i;

	self->st.fd = -1;
	for (i = 0; i < 2; i++) {
		tce_container_init(&self->c[i]);
		edu_init(&self->e[i]);
		self->bfd[i] = -1;
	}
	self->start = time(NULL);
	self->nedu = edu_find(found, 4);
	NEED(self->nedu >= 1, "no edu device bound to vfio-pci");
	for (i = 0; i < 2 && i < self->nedu; i++)
		strcpy(self->bdf[i], found[i]);
	NEED(!access(FAIL_BIND, W_OK) && !access(CLEAR_DELAY, W_OK),
	     "no %s or %s (a debug kernel with debugfs mounted is needed)",
	     FAIL_BIND, CLEAR_DELAY);
	/* a test killed at its timeout may have left them set */
	ASSERT_EQ(0, fault_set(FAIL_BIND, 0)) TH_LOG("%s: %s", FAIL_BIND, strerror(errno));
	ASSERT_EQ(0, fault_set(CLEAR_DELAY, 0)) TH_LOG("%s: %s", CLEAR_DELAY, strerror(errno));
	faults_clear(_metadata);

	self->locked_before = vm_locked_kb();
	ASSERT_LE(0, self->locked_before);
	self->pins_before = pins_steady();
	NEED(self->pins_before >= 0, "no FOLL_PIN counters in /proc/vmstat");
	self->vm = vm_create(KVM_VM_PPC_HV, GUEST_MEM);
	ASSERT_NE(NULL, self->vm) TH_LOG("KVM_CREATE_VM: %s", strerror(errno));
	NEED(kvm_check_cap(self->vm->fd, KVM_CAP_SPAPR_TCE_IOMMU) == 1,
	     "no KVM_CAP_SPAPR_TCE_IOMMU");
	self->vcpu = script_vcpu(_metadata, self->vm);
	ASSERT_EQ(0, kvm_stats_open(self->vm->fd, &self->st)) TH_LOG("%s", strerror(errno));
}

FIXTURE_TEARDOWN(faults)
{
	int i;

	/* first, so that the closes below clear at once, and can */
	EXPECT_EQ(0, fault_set(FAIL_BIND, 0));
	EXPECT_EQ(0, fault_set(CLEAR_DELAY, 0));
	faults_clear(_metadata);
	if (fast_host())
		rm_bail_set(0);
	for (i = 0; i < 2; i++) {
		edu_close(&self->e[i]);
		if (self->bfd[i] >= 0)
			close(self->bfd[i]);
		tce_container_close(&self->c[i]);
	}
	if (self->st.fd >= 0)
		kvm_stats_close(&self->st);
	vcpu_free(self->vcpu);
	vm_destroy(self->vm);
	/* whatever happened, leave the devices to the next tests */
	for (i = 0; i < 2; i++)
		if (self->bdf[i][0])
			EXPECT_EQ(0, vfio_pci_rebind(self->bdf[i]))
				TH_LOG("%s is not back on vfio-pci", self->bdf[i]);
	/* nothing left behind: locked memory and pinned pages are back */
	if (self->locked_before >= 0)
		EXPECT_EQ(self->locked_before, vm_locked_kb());
	if (self->pins_before >= 0)
		EXPECT_EQ(self->pins_before, pins_settle(self->pins_before, PINS_WAIT_MS));
	TH_LOG("%ld s", (long)(time(NULL) - self->start));
}

/* group i's small window, whole */
static int bind_win(FIXTURE_DATA(faults) *self, uint64_t liobn, int i)
{
	return vm_bind_tce_iommu(self->vm, liobn, self->c[i].group, SHIFT,
				 self->c[i].win_start >> SHIFT, ENTRIES);
}

static uint64_t ioba(FIXTURE_DATA(faults) *self, uint64_t k)
{
	return self->c[0].win_start + (k << SHIFT);
}

/* container i for edu i: v2, the guest RAM preregistered, a small window */
static void setup_v2(struct __test_metadata *_metadata,
		     FIXTURE_DATA(faults) *self, int i)
{
	tce_v2_open(_metadata, &self->c[i], self->bdf[i], self->vm->mem, GUEST_MEM,
		    ENTRIES << SHIFT);
	/* one LIOBN, one window: B's must be A's */
	if (i)
		ASSERT_EQ(self->c[0].win_start, self->c[i].win_start)
			TH_LOG("the two containers' windows differ");
}

static void open_edu(struct __test_metadata *_metadata,
		     FIXTURE_DATA(faults) *self, int i)
{
	ASSERT_EQ(0, edu_open(&self->e[i], self->c[i].group, self->bdf[i]))
		TH_LOG("edu %s: %s", self->bdf[i], strerror(errno));
}

static uint64_t user_exits(struct __test_metadata *_metadata,
			   FIXTURE_DATA(faults) *self)
{
	uint64_t v = 0;

	EXPECT_EQ(0, kvm_stats_get(&self->st, "tce_iommu_user", &v))
		TH_LOG("no statistic tce_iommu_user");
	return v;
}

/* the guest maps entry k to PAGE_GPA(k) with H_PUT_TCE; none may exit */
static void guest_map(struct __test_metadata *_metadata,
		      FIXTURE_DATA(faults) *self, uint64_t liobn, uint64_t k)
{
	struct hcall_op *ops = script_ops(self->vm);
	struct run_stats st;
	const char *why;

	script_set(&ops[0], H_PUT_TCE, liobn, ioba(self, k), PAGE_GPA(k) | RW, 0);
	ASSERT_EQ(0, script_start(self->vcpu, 1));
	ASSERT_EQ(0, vcpu_run_guest(self->vcpu, NULL, NULL, 60, &st, &why))
		TH_LOG("H_PUT_TCE of entry %llu: %s", (unsigned long long)k, why);
	EXPECT_EQ(0, st.hcall_exits);
	EXPECT_EQ(H_SUCCESS, (int64_t)ops[0].ret)
		TH_LOG("H_PUT_TCE of entry %llu", (unsigned long long)k);
}

/* H_PUT_TCE for liobn exits to userspace: nobody in KVM serves it */
static void guest_liobn_unserved(struct __test_metadata *_metadata,
				 FIXTURE_DATA(faults) *self, uint64_t liobn)
{
	struct hcall_op *ops = script_ops(self->vm);
	unsigned long calls = 0;
	struct run_stats st;
	const char *why;

	script_set(&ops[0], H_PUT_TCE, liobn, ioba(self, 1), PAGE_GPA(1) | RW, 0);
	ASSERT_EQ(0, script_start(self->vcpu, 1));
	ASSERT_EQ(0, vcpu_run_guest(self->vcpu, hcall_answer_h_parameter, &calls, 60,
				    &st, &why))
		TH_LOG("%s", why);
	EXPECT_EQ(1, calls) TH_LOG("H_PUT_TCE did not exit to userspace");
	EXPECT_EQ(H_PARAMETER, (int64_t)ops[0].ret) TH_LOG("userspace's answer");
}

/*
 * edu copies the first half of guest page gpa to its second half, reading
 * at iova and writing at iova + XFER. 0: it landed; -1: it did not; -2: a
 * transfer did not complete.
 */
static int dma_lands(FIXTURE_DATA(faults) *self, struct edu *e, uint64_t gpa,
		     uint64_t iova, unsigned int seed)
{
	uint8_t *src = vm_gpa(self->vm, gpa), *dst = src + XFER;

	memset(dst, 0, XFER);
	return edu_roundtrip(e, src, dst, iova, iova + XFER, XFER, seed);
}

/* the same through an IOVA that must not be mapped: the second half untouched */
static bool dma_stays_out(FIXTURE_DATA(faults) *self, struct edu *e,
			  uint64_t gpa, uint64_t iova, unsigned int seed)
{
	uint8_t *src = vm_gpa(self->vm, gpa);

	return edu_roundtrip_stays_out(e, src, src + XFER, iova, iova + XFER,
				       XFER, seed);
}

/* VFIO owns container i's window again: MAP_DMA then UNMAP_DMA work */
static void vfio_owns_window(struct __test_metadata *_metadata,
			     FIXTURE_DATA(faults) *self, int i)
{
	uint64_t iova = ioba(self, VFIO_ENTRY);

	EXPECT_EQ(0, tce_container_map(&self->c[i], iova,
				       vm_gpa(self->vm, PAGE_GPA(VFIO_ENTRY)), PAGE_4K, MAP_RW))
		TH_LOG("MAP_DMA: %s (the table's claim was not given back)", strerror(errno));
	EXPECT_EQ(0, tce_container_unmap(&self->c[i], iova, PAGE_4K))
		TH_LOG("UNMAP_DMA: %s", strerror(errno));
}

/* a bind made to fail at step: -1, want; a binding made by mistake is kept */
static void expect_errno(struct __test_metadata *_metadata, int fd, int err,
			 int want, unsigned int step, int *keep)
{
	EXPECT_EQ(-1, fd) TH_LOG("fail_bind %u: bound", step);
	if (fd >= 0) {
		if (keep)
			*keep = fd;
		else
			close(fd);
	} else {
		EXPECT_EQ(want, err) TH_LOG("fail_bind %u: %s", step, strerror(err));
	}
}

/* ---- a failed bind leaves nothing behind ------------------------------- */

/* about 3 s on powernv8 */
TEST_F_TIMEOUT(faults, failed_bind_new_liobn_leaves_nothing, 10)
{
	struct kvm_create_spapr_tce_64 t = {
		.liobn = LIOBN_NEW, .page_shift = SHIFT, .size = ENTRIES,
	};
	unsigned int step;

	setup_v2(_metadata, self, 0);
	t.offset = self->c[0].win_start >> SHIFT;
	for (step = 1; step <= STEPS; step++) {
		long locked = vm_locked_kb(), pins = pins_held();
		int fd, err;

		ASSERT_EQ(0, fault_set(FAIL_BIND, step));
		fd = bind_win(self, LIOBN_NEW, 0);
		err = errno;
		ASSERT_EQ(0, fault_set(FAIL_BIND, 0));
		expect_errno(_metadata, fd, err, ENOMEM, step, NULL);

		/* the LIOBN is not served, and nothing holds it */
		guest_liobn_unserved(_metadata, self, LIOBN_NEW);
		fd = ioctl(self->vm->fd, KVM_CREATE_SPAPR_TCE_64, &t);
		EXPECT_LE(0, fd) TH_LOG("fail_bind %u: KVM_CREATE_SPAPR_TCE_64 of the LIOBN: %s",
					step, strerror(errno));
		if (fd >= 0)
			close(fd);
		/* the table's claim went back to VFIO */
		vfio_owns_window(_metadata, self, 0);
		EXPECT_EQ(locked, vm_locked_kb()) TH_LOG("fail_bind %u: VmLck", step);
		EXPECT_EQ(pins, pins_settle(pins, PINS_WAIT_MS))
			TH_LOG("fail_bind %u: pinned pages", step);

		/* and the same bind works */
		fd = bind_win(self, LIOBN_NEW, 0);
		EXPECT_LE(0, fd) TH_LOG("fail_bind %u, then 0: %s", step, strerror(errno));
		if (fd >= 0)
			close(fd);
	}
}

/* 20-24 s on powernv8/9: 36 edu transfers of 100 ms, two device resets */
TEST_F_TIMEOUT(faults, failed_bind_second_table_leaves_first_alone, 90)
{
	uint64_t user0;
	unsigned int step;

	NEED(self->nedu >= 2, "a second edu device is needed");
	setup_v2(_metadata, self, 0);
	setup_v2(_metadata, self, 1);
	self->bfd[0] = bind_win(self, LIOBN_SECOND, 0);
	ASSERT_LE(0, self->bfd[0]) TH_LOG("KVM_CREATE_SPAPR_TCE_IOMMU: %s", strerror(errno));
	guest_map(_metadata, self, LIOBN_SECOND, 1);
	open_edu(_metadata, self, 0);
	open_edu(_metadata, self, 1);
	ASSERT_EQ(0, dma_lands(self, &self->e[0], PAGE_GPA(1), ioba(self, 1), 1))
		TH_LOG("DMA through A");
	user0 = user_exits(_metadata, self);

	for (step = 1; step <= STEPS; step++) {
		long locked = vm_locked_kb(), pins = pins_held();
		uint64_t k = 1 + step;
		int fd, err;

		ASSERT_EQ(0, fault_set(FAIL_BIND, step));
		fd = bind_win(self, LIOBN_SECOND, 1);
		err = errno;
		ASSERT_EQ(0, fault_set(FAIL_BIND, 0));
		expect_errno(_metadata, fd, err, ENOMEM, step, &self->bfd[1]);
		ASSERT_EQ(-1, self->bfd[1]);

		/* the LIOBN carries on with A: served in KVM, DMA lands */
		guest_map(_metadata, self, LIOBN_SECOND, k);
		EXPECT_EQ(user0, user_exits(_metadata, self))
			TH_LOG("fail_bind %u: the LIOBN exited to userspace", step);
		EXPECT_EQ(0, dma_lands(self, &self->e[0], PAGE_GPA(1), ioba(self, 1), 10 + step))
			TH_LOG("fail_bind %u: DMA through A, the guest's first mapping", step);

		/* B's table is VFIO's again, and B can reach memory through it */
		EXPECT_EQ(0, tce_container_map(&self->c[1], ioba(self, VFIO_ENTRY),
					       vm_gpa(self->vm, PAGE_GPA(VFIO_ENTRY)), PAGE_4K,
					       MAP_RW))
			TH_LOG("fail_bind %u: MAP_DMA in B's container: %s", step,
			       strerror(errno));
		EXPECT_EQ(0, dma_lands(self, &self->e[1], PAGE_GPA(VFIO_ENTRY),
				       ioba(self, VFIO_ENTRY), 20 + step))
			TH_LOG("fail_bind %u: DMA through B, VFIO's mapping", step);
		EXPECT_EQ(0, tce_container_unmap(&self->c[1], ioba(self, VFIO_ENTRY), PAGE_4K))
			TH_LOG("fail_bind %u: UNMAP_DMA in B's container: %s", step,
			       strerror(errno));
		/* but not through what the guest mapped: B's table was cleared */
		EXPECT_TRUE(dma_stays_out(self, &self->e[1], PAGE_GPA(1), ioba(self, 1),
					  30 + step))
			TH_LOG("fail_bind %u: the guest's mapping reached memory through B", step);

		EXPECT_EQ(locked, vm_locked_kb()) TH_LOG("fail_bind %u: VmLck", step);
		EXPECT_EQ(pins, pins_settle(pins, PINS_WAIT_MS))
			TH_LOG("fail_bind %u: pinned pages", step);
	}

	/* the bind works, and brings every current mapping into B's table */
	self->bfd[1] = bind_win(self, LIOBN_SECOND, 1);
	ASSERT_LE(0, self->bfd[1]) TH_LOG("fail_bind 0: %s", strerror(errno));
	EXPECT_EQ(0, dma_lands(self, &self->e[1], PAGE_GPA(1), ioba(self, 1), 40))
		TH_LOG("DMA through B, the guest's first mapping");
	EXPECT_EQ(0, dma_lands(self, &self->e[1], PAGE_GPA(1 + STEPS),
			       ioba(self, 1 + STEPS), 41))
		TH_LOG("DMA through B, the guest's last mapping");
	EXPECT_EQ(user0, user_exits(_metadata, self));
}

/* ---- the device goes away while a table is being cleared --------------- */

struct closer {
	pthread_t thread;
	int fd;
	long t0, t1;
};

static void *close_thread(void *arg)
{
	struct closer *c = arg;

	c->t0 = now_ms();
	close(c->fd);
	c->t1 = now_ms();
	return NULL;
}

/* the group works again: a container, and the LIOBN bound and served */
static void group_reusable(struct __test_metadata *_metadata,
			   FIXTURE_DATA(faults) *self, int i, uint64_t liobn,
			   uint64_t k)
{
	tce_container_close(&self->c[i]);
	setup_v2(_metadata, self, i);
	self->bfd[i] = bind_win(self, liobn, i);
	ASSERT_LE(0, self->bfd[i]) TH_LOG("binding %s again: %s", self->bdf[i],
					  strerror(errno));
	guest_map(_metadata, self, liobn, k);
	close(self->bfd[i]);
	self->bfd[i] = -1;
}

/* about 5 s on powernv8: the close's clear, an unbind, a rebind */
TEST_F_TIMEOUT(faults, revoke_waits_for_a_close_in_progress, 15)
{
	struct closer c;
	long u0, u1;
	uint64_t k;
	int ret, err;

	setup_v2(_metadata, self, 0);
	self->bfd[0] = bind_win(self, LIOBN_CLOSE, 0);
	ASSERT_LE(0, self->bfd[0]) TH_LOG("KVM_CREATE_SPAPR_TCE_IOMMU: %s", strerror(errno));
	for (k = 1; k <= 4; k++)
		guest_map(_metadata, self, LIOBN_CLOSE, k);

	/* the close clears the table, slowly; the device goes meanwhile */
	ASSERT_EQ(0, fault_set(CLEAR_DELAY, CLEAR_DELAY_MS));
	c.fd = self->bfd[0];
	self->bfd[0] = -1;
	ASSERT_EQ(0, pthread_create(&c.thread, NULL, close_thread, &c));
	pause_ms(UNBIND_AFTER_MS);
	u0 = now_ms();
	ret = vfio_pci_unbind(self->bdf[0]);
	err = errno;
	u1 = now_ms();
	pthread_join(c.thread, NULL);
	ASSERT_EQ(0, fault_set(CLEAR_DELAY, 0));
	EXPECT_EQ(0, ret) TH_LOG("unbind %s: %s", self->bdf[0], strerror(err));
	TH_LOG("close %ld..%ld ms, unbind %ld..%ld ms", 0L, c.t1 - c.t0, u0 - c.t0, u1 - c.t0);
	EXPECT_LE(CLEAR_DELAY_MS, c.t1 - c.t0) TH_LOG("the close did not clear the table");
	/* the revoke waited for the close's clear before VFIO took the group */
	EXPECT_LE(CLEAR_DELAY_MS - UNBIND_AFTER_MS, u1 - c.t0)
		TH_LOG("the unbinding did not wait for the close's clear");

	/* everything back once the group's container is closed */
	tce_container_close(&self->c[0]);
	EXPECT_EQ(self->locked_before, vm_locked_kb());
	EXPECT_EQ(self->pins_before, pins_settle(self->pins_before, PINS_WAIT_MS));
	ASSERT_EQ(0, vfio_pci_rebind(self->bdf[0])) TH_LOG("%s is not back on vfio-pci",
							   self->bdf[0]);
	group_reusable(_metadata, self, 0, LIOBN_CLOSE, 5);
}

struct binder {
	pthread_t thread;
	struct vm *vm;
	uint64_t liobn, offset;
	int group;
	int ret, err;
	long t0, t1;
};

static void *bind_thread(void *arg)
{
	struct binder *b = arg;

	b->t0 = now_ms();
	b->ret = vm_bind_tce_iommu(b->vm, b->liobn, b->group, SHIFT, b->offset,
				   ENTRIES);
	b->err = errno;
	b->t1 = now_ms();
	return NULL;
}

/* about 7 s on powernv8: a device reset, the undo's clear, unbind, rebind */
TEST_F_TIMEOUT(faults, revoke_during_a_failed_bind, 20)
{
	struct binder b = { 0 };
	long locked, pins, u0, u1;
	int ret, err;

	NEED(self->nedu >= 2, "a second edu device is needed");
	setup_v2(_metadata, self, 0);
	self->bfd[0] = bind_win(self, LIOBN_UNDO, 0);
	ASSERT_LE(0, self->bfd[0]) TH_LOG("KVM_CREATE_SPAPR_TCE_IOMMU: %s", strerror(errno));
	guest_map(_metadata, self, LIOBN_UNDO, 1);
	open_edu(_metadata, self, 0);
	ASSERT_EQ(0, dma_lands(self, &self->e[0], PAGE_GPA(1), ioba(self, 1), 1))
		TH_LOG("DMA through A");
	locked = vm_locked_kb();
	pins = pins_held();
	setup_v2(_metadata, self, 1);

	/*
	 * B's bind fails after it replicated the guest's mapping into B's
	 * table; its undo clears that table, slowly; B's device goes
	 * meanwhile (B's device fd is not open: vfio-pci does not wait).
	 */
	ASSERT_EQ(0, fault_set(CLEAR_DELAY, CLEAR_DELAY_MS));
	ASSERT_EQ(0, fault_set(FAIL_BIND, 4));
	b.vm = self->vm;
	b.liobn = LIOBN_UNDO;
	b.group = self->c[1].group;
	b.offset = self->c[1].win_start >> SHIFT;
	ASSERT_EQ(0, pthread_create(&b.thread, NULL, bind_thread, &b));
	pause_ms(UNBIND_AFTER_MS);
	u0 = now_ms();
	ret = vfio_pci_unbind(self->bdf[1]);
	err = errno;
	u1 = now_ms();
	pthread_join(b.thread, NULL);
	ASSERT_EQ(0, fault_set(FAIL_BIND, 0));
	ASSERT_EQ(0, fault_set(CLEAR_DELAY, 0));
	EXPECT_EQ(0, ret) TH_LOG("unbind %s: %s", self->bdf[1], strerror(err));
	TH_LOG("bind %ld..%ld ms, unbind %ld..%ld ms", 0L, b.t1 - b.t0, u0 - b.t0, u1 - b.t0);
	EXPECT_EQ(-1, b.ret) TH_LOG("B bound");
	if (b.ret >= 0) {
		self->bfd[1] = b.ret;
	} else {
		/* either is right, depending on when the revoke came */
		EXPECT_TRUE(b.err == ENOMEM || b.err == ENODEV) TH_LOG("%s", strerror(b.err));
		TH_LOG("B's bind failed with %s",
		       b.err == ENOMEM ? "ENOMEM: the injected fault at step 4" :
		       b.err == ENODEV ? "ENODEV: revoked before it attached" :
		       strerror(b.err));
	}

	/* the LIOBN carries on with A */
	guest_map(_metadata, self, LIOBN_UNDO, 2);
	EXPECT_EQ(0, dma_lands(self, &self->e[0], PAGE_GPA(1), ioba(self, 1), 2))
		TH_LOG("DMA through A after B's failed bind");

	/* B's side gave everything back */
	if (self->bfd[1] >= 0)
		close(self->bfd[1]);
	self->bfd[1] = -1;
	tce_container_close(&self->c[1]);
	EXPECT_EQ(locked, vm_locked_kb()) TH_LOG("VmLck of B's side");
	EXPECT_EQ(pins, pins_settle(pins, PINS_WAIT_MS)) TH_LOG("pinned pages of B's side");
	ASSERT_EQ(0, vfio_pci_rebind(self->bdf[1])) TH_LOG("%s is not back on vfio-pci",
							   self->bdf[1]);
	/* B's group joins the LIOBN, which A still serves */
	group_reusable(_metadata, self, 1, LIOBN_UNDO, 3);
	EXPECT_EQ(0, dma_lands(self, &self->e[0], PAGE_GPA(3), ioba(self, 3), 3))
		TH_LOG("DMA through A at the end");
}

/* ---- the platform refuses an exchange ----------------------------------- */

/* one hypercall of the script guest, served in the kernel: its r3 */
static int64_t guest_call(struct __test_metadata *_metadata,
			  FIXTURE_DATA(faults) *self, uint64_t nr, uint64_t a0,
			  uint64_t a1, uint64_t a2, uint64_t a3)
{
	struct hcall_op *ops = script_ops(self->vm);
	struct run_stats st;
	const char *why;

	script_set(&ops[0], nr, a0, a1, a2, a3);
	EXPECT_EQ(0, script_start(self->vcpu, 1));
	EXPECT_EQ(0, vcpu_run_guest(self->vcpu, NULL, NULL, 60, &st, &why))
		TH_LOG("hypercall 0x%llx: %s", (unsigned long long)nr, why);
	EXPECT_EQ(0, st.hcall_exits);
	return ops[0].ret;
}

static uint64_t stat_of(struct __test_metadata *_metadata,
			FIXTURE_DATA(faults) *self, const char *name)
{
	uint64_t v = 0;

	EXPECT_EQ(0, kvm_stats_get(&self->st, name, &v)) TH_LOG("no statistic %s", name);
	return v;
}

/* Calls a fast path served, and calls the whole exit served (tce_served()) */
static uint64_t fast_served(struct __test_metadata *_metadata, FIXTURE_DATA(faults) *self)
{
	uint64_t fast = 0, exit = 0;

	EXPECT_EQ(0, tce_served(&self->st, &fast, &exit)) TH_LOG("%s", strerror(errno));
	return fast;
}

static uint64_t exit_served(struct __test_metadata *_metadata, FIXTURE_DATA(faults) *self)
{
	uint64_t fast = 0, exit = 0;

	EXPECT_EQ(0, tce_served(&self->st, &fast, &exit)) TH_LOG("%s", strerror(errno));
	return exit;
}

/* the next fail exchanges after skip are refused */
static void refuse(struct __test_metadata *_metadata, unsigned int skip,
		   unsigned int fail)
{
	ASSERT_EQ(0, fault_set(FAIL_XCHG_SKIP, skip));
	ASSERT_EQ(0, fault_set(FAIL_XCHG, fail));
}

/* every failure asked for in file was used up */
static void faults_used(struct __test_metadata *_metadata, const char *file,
			const char *what)
{
	unsigned int left = fault_get(_metadata, file);

	EXPECT_EQ(0, left) TH_LOG("%s: %u failures of %s left", what, left, file);
}

static void refusals_used(struct __test_metadata *_metadata, const char *what)
{
	faults_used(_metadata, FAIL_XCHG, what);
}

/* entry k maps page p, in the view and (DMA) in the hardware */
static void entry_maps(struct __test_metadata *_metadata,
		       FIXTURE_DATA(faults) *self, const uint64_t *view,
		       uint64_t k, int p, const char *what)
{
	EXPECT_EQ(PAGE_GPA(p) | RW, view[k])
		TH_LOG("%s: entry %llu's view", what, (unsigned long long)k);
	EXPECT_EQ(0, dma_lands(self, &self->e[0], PAGE_GPA(p), ioba(self, k), k + p))
		TH_LOG("%s: DMA through entry %llu into page %d", what,
		       (unsigned long long)k, p);
}

/* entry k maps nothing: the view says so, and page p is out of reach */
static void entry_clear(struct __test_metadata *_metadata,
			FIXTURE_DATA(faults) *self, const uint64_t *view,
			uint64_t k, int p, const char *what)
{
	EXPECT_EQ(0, view[k] & RW)
		TH_LOG("%s: entry %llu's view 0x%llx", what, (unsigned long long)k,
		       (unsigned long long)view[k]);
	EXPECT_TRUE(dma_stays_out(self, &self->e[0], PAGE_GPA(p), ioba(self, k), k + p))
		TH_LOG("%s: entry %llu still reaches page %d", what,
		       (unsigned long long)k, p);
}

static void exchange_refusals(struct __test_metadata *_metadata,
			      FIXTURE_DATA(faults) *self, const uint64_t *view,
			      const char *mode)
{
	uint64_t list_gpa = PAGE_GPA(60), *list = vm_gpa(self->vm, list_gpa);
	int k;

	/* an unmapping refused, and its clearing too: both keep the mapping */
	guest_map(_metadata, self, LIOBN_NEW, 1);
	refuse(_metadata, 0, 2);
	EXPECT_EQ(H_HARDWARE, guest_call(_metadata, self, H_PUT_TCE, LIOBN_NEW,
					 ioba(self, 1), 0, 0)) TH_LOG("%s", mode);
	refusals_used(_metadata, mode);
	entry_maps(_metadata, self, view, 1, 1, "unmapping and clearing refused");

	/* an unmapping refused whose clearing goes through: clear in both */
	refuse(_metadata, 0, 1);
	EXPECT_EQ(H_HARDWARE, guest_call(_metadata, self, H_PUT_TCE, LIOBN_NEW,
					 ioba(self, 1), 0, 0)) TH_LOG("%s", mode);
	refusals_used(_metadata, mode);
	entry_clear(_metadata, self, view, 1, 1, "unmapping refused, cleared");

	/* a remapping refused, cleared: neither page reachable */
	guest_map(_metadata, self, LIOBN_NEW, 2);
	refuse(_metadata, 0, 1);
	EXPECT_EQ(H_HARDWARE, guest_call(_metadata, self, H_PUT_TCE, LIOBN_NEW,
					 ioba(self, 2), PAGE_GPA(3) | RW, 0)) TH_LOG("%s", mode);
	refusals_used(_metadata, mode);
	entry_clear(_metadata, self, view, 2, 2, "remapping refused, old page");
	entry_clear(_metadata, self, view, 2, 3, "remapping refused, new page");

	/* a remapping refused, its clearing too: the old page stays */
	guest_map(_metadata, self, LIOBN_NEW, 4);
	refuse(_metadata, 0, 2);
	EXPECT_EQ(H_HARDWARE, guest_call(_metadata, self, H_PUT_TCE, LIOBN_NEW,
					 ioba(self, 4), PAGE_GPA(5) | RW, 0)) TH_LOG("%s", mode);
	refusals_used(_metadata, mode);
	entry_maps(_metadata, self, view, 4, 4, "remapping and clearing refused");

	/* INDIRECT of 8..11, the third refused: 8, 9 written, 10 clear, 11 not */
	guest_map(_metadata, self, LIOBN_NEW, 11);
	for (k = 0; k < 4; k++)
		list[k] = htobe64(PAGE_GPA(20 + k) | RW);
	refuse(_metadata, 2, 1);
	EXPECT_EQ(H_HARDWARE, guest_call(_metadata, self, H_PUT_TCE_INDIRECT, LIOBN_NEW,
					 ioba(self, 8), list_gpa, 4)) TH_LOG("%s", mode);
	refusals_used(_metadata, mode);
	entry_maps(_metadata, self, view, 8, 20, "INDIRECT's first");
	entry_maps(_metadata, self, view, 9, 21, "INDIRECT's second");
	entry_clear(_metadata, self, view, 10, 22, "INDIRECT's third refused");
	entry_maps(_metadata, self, view, 11, 11, "after the refused one");

	/* and everything still works: STUFF clears, then the window is clear */
	EXPECT_EQ(H_SUCCESS, guest_call(_metadata, self, H_STUFF_TCE, LIOBN_NEW,
					ioba(self, 0), 0, 16)) TH_LOG("%s", mode);
	for (k = 0; k < 16; k++)
		EXPECT_EQ(0, view[k] & RW) TH_LOG("%s: entry %d", mode, k);
	entry_clear(_metadata, self, view, 4, 4, "cleared after");
	entry_clear(_metadata, self, view, 8, 20, "cleared after");
}

/* about 10 s on powernv8 (both modes) */
TEST_F_TIMEOUT(faults, refused_exchange_keeps_hardware_and_view_agreeing, 60)
{
	bool rm = fast_host();
	uint64_t *view, rm0, vm0;

	NEED(!access(FAIL_XCHG, W_OK), "no %s (debug kernel)", FAIL_XCHG);
	setup_v2(_metadata, self, 0);
	open_edu(_metadata, self, 0);
	self->bfd[0] = bind_win(self, LIOBN_NEW, 0);
	ASSERT_LE(0, self->bfd[0]) TH_LOG("bind: %s", strerror(errno));
	view = mmap(NULL, ENTRIES * 8, PROT_READ, MAP_SHARED, self->bfd[0], 0);
	ASSERT_NE(MAP_FAILED, view) TH_LOG("mmap: %s", strerror(errno));

	if (rm)
		ASSERT_EQ(0, rm_bail_set(RM_BAIL_FOUND)) TH_LOG("rm_bail: %s", strerror(errno));
	vm0 = exit_served(_metadata, self);
	exchange_refusals(_metadata, self, view, "virtual mode");
	EXPECT_LT(vm0, exit_served(_metadata, self));
	if (rm) {
		ASSERT_EQ(0, rm_bail_set(0));
		rm0 = fast_served(_metadata, self);
		vm0 = exit_served(_metadata, self);
		exchange_refusals(_metadata, self, view, "real mode");
		/* 4 maps, 4 refused PUTs, the refused INDIRECT, the STUFF */
		EXPECT_EQ(rm0 + 10, fast_served(_metadata, self));
		EXPECT_EQ(vm0, exit_served(_metadata, self));
	}
	munmap(view, ENTRIES * 8);

	/* no count left in the preregistered memory: it unregisters */
	EXPECT_EQ(0, close(self->bfd[0]));
	self->bfd[0] = -1;
	edu_close(&self->e[0]);
	EXPECT_EQ(0, tce_container_unregister(&self->c[0], self->vm->mem, GUEST_MEM))
		TH_LOG("UNREGISTER_MEMORY: %s (a mapping count was leaked)", strerror(errno));
}

/* ---- a page's preregistered memory, or its v1 pin, refused -------------- */

static void fail_next(struct __test_metadata *_metadata, const char *skip_file,
		      unsigned int skip, const char *file, unsigned int fail)
{
	ASSERT_EQ(0, fault_set(skip_file, skip)) TH_LOG("%s: %s", skip_file, strerror(errno));
	ASSERT_EQ(0, fault_set(file, fail)) TH_LOG("%s: %s", file, strerror(errno));
}

/* the list of an INDIRECT of 4: pages first..first + 3, read and write */
static uint64_t list_of_4(FIXTURE_DATA(faults) *self, int first)
{
	uint64_t list_gpa = PAGE_GPA(60), *list = vm_gpa(self->vm, list_gpa);
	int k;

	for (k = 0; k < 4; k++)
		list[k] = htobe64(PAGE_GPA(first + k) | RW);
	return list_gpa;
}

/*
 * Entry 8 maps page 8; an INDIRECT of 4 over entries 8..11 and an H_PUT_TCE
 * of entry 9 meet the failure after skip: H_HARDWARE, and everything is as
 * before (entry 8 still reaches page 8 only, 9..11 nothing), in virtual
 * mode (counted once each, no H_PARAMETER).
 */
static void refused_page_changes_nothing(struct __test_metadata *_metadata,
					 FIXTURE_DATA(faults) *self, uint64_t liobn,
					 const uint64_t *view, const char *skip_file,
					 const char *file, long pins0, int per_map)
{
	long pins = pins0 + per_map;
	uint64_t vm0, hp0;
	int k;

	guest_map(_metadata, self, liobn, 8);
	EXPECT_EQ(pins, pins_settle(pins, PINS_WAIT_MS)) TH_LOG("pins of entry 8");
	vm0 = exit_served(_metadata, self);
	hp0 = stat_of(_metadata, self, "tce_iommu_h_parameter");

	fail_next(_metadata, skip_file, 2, file, 1);
	EXPECT_EQ(H_HARDWARE, guest_call(_metadata, self, H_PUT_TCE_INDIRECT, liobn,
					 ioba(self, 8), list_of_4(self, 20), 4))
		TH_LOG("INDIRECT, the third page refused");
	faults_used(_metadata, file, "INDIRECT");
	fail_next(_metadata, skip_file, 0, file, 1);
	EXPECT_EQ(H_HARDWARE, guest_call(_metadata, self, H_PUT_TCE, liobn, ioba(self, 9),
					 PAGE_GPA(30) | RW, 0)) TH_LOG("H_PUT_TCE refused");
	faults_used(_metadata, file, "H_PUT_TCE");

	EXPECT_EQ(vm0 + 2, exit_served(_metadata, self));
	EXPECT_EQ(hp0, stat_of(_metadata, self, "tce_iommu_h_parameter"));
	EXPECT_EQ(pins, pins_settle(pins, PINS_WAIT_MS)) TH_LOG("pins after the refusals");
	/* the device reaching page 8 through entry 8 shows it holds page 8 */
	entry_maps(_metadata, self, view, 8, 8, "entry 8 after the refusals");
	for (k = 9; k < 12; k++)
		EXPECT_EQ(0, view[k]) TH_LOG("entry %d's view", k);
	entry_clear(_metadata, self, view, 9, 21, "entry 9, the refused INDIRECT's page");
	entry_clear(_metadata, self, view, 9, 30, "entry 9, the refused H_PUT_TCE's page");

	/* and the same calls, not refused, work */
	EXPECT_EQ(H_SUCCESS, guest_call(_metadata, self, H_PUT_TCE_INDIRECT, liobn,
					ioba(self, 8), list_of_4(self, 20), 4));
	for (k = 0; k < 4; k++)
		EXPECT_EQ(PAGE_GPA(20 + k) | RW, view[8 + k]) TH_LOG("entry %d", 8 + k);
	entry_maps(_metadata, self, view, 10, 22, "INDIRECT not refused");
	pins = pins0 + 4 * per_map;	/* entry 8's old page unpinned */
	EXPECT_EQ(pins, pins_settle(pins, PINS_WAIT_MS)) TH_LOG("pins after the INDIRECT");
	EXPECT_EQ(H_SUCCESS, guest_call(_metadata, self, H_STUFF_TCE, liobn, ioba(self, 0),
					0, 16));
	EXPECT_EQ(pins0, pins_settle(pins0, PINS_WAIT_MS)) TH_LOG("pins after the clearing");
}

/* 10-11 s on powernv8/9 */
TEST_F_TIMEOUT(faults, refused_preregistered_memory_changes_nothing, 60)
{
	bool rm = fast_host();
	uint64_t *view, rm0, vm0;
	long pins;
	int k;

	NEED(!access(FAIL_MEM, W_OK), "no %s (debug kernel)", FAIL_MEM);
	setup_v2(_metadata, self, 0);
	open_edu(_metadata, self, 0);
	self->bfd[0] = bind_win(self, LIOBN_NEW, 0);
	ASSERT_LE(0, self->bfd[0]) TH_LOG("bind: %s", strerror(errno));
	view = mmap(NULL, ENTRIES * 8, PROT_READ, MAP_SHARED, self->bfd[0], 0);
	ASSERT_NE(MAP_FAILED, view) TH_LOG("mmap: %s", strerror(errno));

	if (rm)
		ASSERT_EQ(0, rm_bail_set(RM_BAIL_FOUND)) TH_LOG("rm_bail: %s", strerror(errno));
	pins = pins_steady();	/* the preregistered memory's, and the device's */
	refused_page_changes_nothing(_metadata, self, LIOBN_NEW, view, FAIL_MEM_SKIP,
				     FAIL_MEM, pins, 0);
	if (rm) {
		/* real mode meets it, gives back what it resolved, virtual mode does all */
		ASSERT_EQ(0, rm_bail_set(0));
		rm0 = fast_served(_metadata, self);
		vm0 = exit_served(_metadata, self);
		fail_next(_metadata, FAIL_MEM_SKIP, 2, FAIL_MEM, 1);
		EXPECT_EQ(H_SUCCESS, guest_call(_metadata, self, H_PUT_TCE_INDIRECT, LIOBN_NEW,
						ioba(self, 8), list_of_4(self, 40), 4));
		faults_used(_metadata, FAIL_MEM, "real mode's INDIRECT");
		EXPECT_EQ(rm0, fast_served(_metadata, self));
		EXPECT_EQ(vm0 + 1, exit_served(_metadata, self));
		for (k = 0; k < 4; k++)
			EXPECT_EQ(PAGE_GPA(40 + k) | RW, view[8 + k]) TH_LOG("entry %d", 8 + k);
		entry_maps(_metadata, self, view, 9, 41, "real mode gave the INDIRECT up");
		/* and real mode serves the clearing */
		EXPECT_EQ(H_SUCCESS, guest_call(_metadata, self, H_STUFF_TCE, LIOBN_NEW,
						ioba(self, 0), 0, 16));
		EXPECT_EQ(rm0 + 1, fast_served(_metadata, self));
	}
	munmap(view, ENTRIES * 8);

	/* no count left in the preregistered memory: it unregisters */
	EXPECT_EQ(0, close(self->bfd[0]));
	self->bfd[0] = -1;
	edu_close(&self->e[0]);
	EXPECT_EQ(0, tce_container_unregister(&self->c[0], self->vm->mem, GUEST_MEM))
		TH_LOG("UNREGISTER_MEMORY: %s (a mapping count was leaked)", strerror(errno));
}

/* 10-12 s on powernv8/9 */
TEST_F_TIMEOUT(faults, refused_v1_pin_changes_nothing, 60)
{
	uint64_t *view;
	long pins;

	NEED(!access(FAIL_PIN, W_OK), "no %s (debug kernel)", FAIL_PIN);
	ASSERT_EQ(0, tce_container_open(&self->c[0], self->bdf[0], VFIO_SPAPR_TCE_IOMMU))
		TH_LOG("v1 container: %s", strerror(errno));
	ASSERT_EQ(0, tce_container_enable(&self->c[0]))
		TH_LOG("VFIO_IOMMU_ENABLE: %s", strerror(errno));
	open_edu(_metadata, self, 0);
	/* the whole default window, of 4 KiB pages */
	self->bfd[0] = vm_bind_tce_iommu(self->vm, LIOBN_NEW, self->c[0].group, 0, 0, 0);
	ASSERT_LE(0, self->bfd[0]) TH_LOG("bind: %s", strerror(errno));
	view = mmap(NULL, ENTRIES * 8, PROT_READ, MAP_SHARED, self->bfd[0], 0);
	ASSERT_NE(MAP_FAILED, view) TH_LOG("mmap: %s", strerror(errno));

	/* v1 is virtual mode's alone: no rm_bail needed */
	/* one pin per mapped entry, none left by a refused call */
	pins = pins_steady();
	refused_page_changes_nothing(_metadata, self, LIOBN_NEW, view, FAIL_PIN_SKIP,
				     FAIL_PIN, pins, 1);
	munmap(view, ENTRIES * 8);
}

/* ---- every allocation of a bind refused in turn ------------------------- */

/* a bind with allocation k refused: fd, *err, and whether k was needed */
static int bind_alloc_refused(struct __test_metadata *_metadata,
			      FIXTURE_DATA(faults) *self, uint64_t liobn, int i,
			      unsigned int k, int *err, bool *needed)
{
	int fd;

	fail_next(_metadata, FAIL_ALLOC_SKIP, k, FAIL_ALLOC, 1);
	fd = bind_win(self, liobn, i);
	*err = errno;
	*needed = !fault_get(_metadata, FAIL_ALLOC);
	EXPECT_EQ(0, fault_set(FAIL_ALLOC, 0));
	EXPECT_EQ(0, fault_set(FAIL_ALLOC_SKIP, 0));
	return fd;
}

/* about 1 s on powernv8/9 */
TEST_F_TIMEOUT(faults, failed_allocation_in_bind_leaves_nothing, 30)
{
	struct kvm_create_spapr_tce_64 t = {
		.liobn = LIOBN_NEW, .page_shift = SHIFT, .size = ENTRIES,
	};
	unsigned int k;
	bool needed = true;
	int fd = -1, err;

	NEED(!access(FAIL_ALLOC, W_OK), "no %s (debug kernel)", FAIL_ALLOC);
	setup_v2(_metadata, self, 0);
	t.offset = self->c[0].win_start >> SHIFT;
	for (k = 0; k <= ALLOCS_NEW_LIOBN; k++) {
		long locked = vm_locked_kb(), pins = pins_held();

		fd = bind_alloc_refused(_metadata, self, LIOBN_NEW, 0, k, &err, &needed);
		if (!needed)
			break;
		EXPECT_EQ(-1, fd) TH_LOG("allocation %u refused: bound", k);
		if (fd >= 0) {
			close(fd);
			continue;
		}
		EXPECT_EQ(ENOMEM, err) TH_LOG("allocation %u refused: %s", k, strerror(err));
		guest_liobn_unserved(_metadata, self, LIOBN_NEW);
		fd = ioctl(self->vm->fd, KVM_CREATE_SPAPR_TCE_64, &t);
		EXPECT_LE(0, fd) TH_LOG("allocation %u refused: KVM_CREATE_SPAPR_TCE_64: %s",
					k, strerror(errno));
		if (fd >= 0)
			close(fd);
		vfio_owns_window(_metadata, self, 0);
		EXPECT_EQ(locked, vm_locked_kb()) TH_LOG("allocation %u refused: VmLck", k);
		EXPECT_EQ(pins, pins_settle(pins, PINS_WAIT_MS))
			TH_LOG("allocation %u refused: pinned pages", k);
	}
	/* every allocation was refused once, and then the bind needed no more */
	EXPECT_FALSE(needed) TH_LOG("still refused after %u allocations", k);
	EXPECT_EQ(ALLOCS_NEW_LIOBN, k) TH_LOG("a new LIOBN's bind made %u allocations", k);
	ASSERT_LE(0, fd) TH_LOG("the bind with nothing refused: %s", strerror(err));
	self->bfd[0] = fd;
	guest_map(_metadata, self, LIOBN_NEW, 1);
}

/*
 * The first write into a page of the view allocates it; refused, the call
 * is H_HARDWARE and nothing changed: no page, no entry, no mapping count
 * (the memory unregisters), no DMA. Then it goes through. About 1 s.
 */
TEST_F_TIMEOUT(faults, failed_view_allocation_changes_nothing, 30)
{
	long locked, pins;

	NEED(!access(FAIL_ALLOC, W_OK), "no %s (debug kernel)", FAIL_ALLOC);
	setup_v2(_metadata, self, 0);
	self->bfd[0] = vm_bind_tce_iommu(self->vm, LIOBN_NEW, self->c[0].group, SHIFT,
					 self->c[0].win_start >> SHIFT, ENTRIES);
	ASSERT_LE(0, self->bfd[0]) TH_LOG("KVM_CREATE_SPAPR_TCE_IOMMU: %s", strerror(errno));
	open_edu(_metadata, self, 0);
	ASSERT_EQ(0, fdinfo_get(self->bfd[0], "view_pages"));
	locked = vm_locked_kb();
	pins = pins_held();

	fail_next(_metadata, FAIL_ALLOC_SKIP, 0, FAIL_ALLOC, 1);
	EXPECT_EQ(H_HARDWARE, guest_call(_metadata, self, H_PUT_TCE, LIOBN_NEW, ioba(self, 1),
					 PAGE_GPA(1) | RW, 0));
	EXPECT_EQ(0, fault_get(_metadata, FAIL_ALLOC)) TH_LOG("the allocation was not refused");
	EXPECT_EQ(0, fault_set(FAIL_ALLOC, 0));
	EXPECT_EQ(0, fdinfo_get(self->bfd[0], "view_pages"));
	EXPECT_EQ(H_SUCCESS, guest_call(_metadata, self, H_GET_TCE, LIOBN_NEW, ioba(self, 1), 0, 0));
	EXPECT_EQ(0, script_ops(self->vm)[0].r4) TH_LOG("the refused entry");
	EXPECT_TRUE(dma_stays_out(self, &self->e[0], PAGE_GPA(1), ioba(self, 1), 1));
	EXPECT_EQ(locked, vm_locked_kb()) TH_LOG("VmLck");
	EXPECT_EQ(pins, pins_held()) TH_LOG("pinned pages");

	/* nothing refused: the page comes, the entry maps */
	EXPECT_EQ(H_SUCCESS, guest_call(_metadata, self, H_PUT_TCE, LIOBN_NEW, ioba(self, 1),
					PAGE_GPA(1) | RW, 0));
	EXPECT_EQ(1, fdinfo_get(self->bfd[0], "view_pages"));
	EXPECT_EQ(0, dma_lands(self, &self->e[0], PAGE_GPA(1), ioba(self, 1), 2));
	EXPECT_EQ(H_SUCCESS, guest_call(_metadata, self, H_PUT_TCE, LIOBN_NEW, ioba(self, 1), 0, 0));
	edu_close(&self->e[0]);
	close(self->bfd[0]);
	self->bfd[0] = -1;
	EXPECT_EQ(0, tce_container_unregister(&self->c[0], self->vm->mem, GUEST_MEM))
		TH_LOG("VFIO_IOMMU_SPAPR_UNREGISTER_MEMORY: %s", strerror(errno));
}

/* 17-21 s on powernv8/9 */
TEST_F_TIMEOUT(faults, failed_allocation_in_replicate_leaves_first_alone, 90)
{
	bool needed = true;
	uint64_t user0;
	unsigned int k;
	int fd = -1, err;

	NEED(!access(FAIL_ALLOC, W_OK), "no %s (debug kernel)", FAIL_ALLOC);
	NEED(self->nedu >= 2, "a second edu device is needed");
	setup_v2(_metadata, self, 0);
	setup_v2(_metadata, self, 1);
	self->bfd[0] = bind_win(self, LIOBN_SECOND, 0);
	ASSERT_LE(0, self->bfd[0]) TH_LOG("KVM_CREATE_SPAPR_TCE_IOMMU: %s", strerror(errno));
	guest_map(_metadata, self, LIOBN_SECOND, 1);
	open_edu(_metadata, self, 0);
	open_edu(_metadata, self, 1);
	user0 = user_exits(_metadata, self);

	for (k = 0; k <= ALLOCS_NEW_TABLE; k++) {
		long locked = vm_locked_kb(), pins = pins_held();

		fd = bind_alloc_refused(_metadata, self, LIOBN_SECOND, 1, k, &err, &needed);
		if (!needed)
			break;
		EXPECT_EQ(-1, fd) TH_LOG("allocation %u refused: bound", k);
		if (fd >= 0) {
			close(fd);
			continue;
		}
		EXPECT_EQ(ENOMEM, err) TH_LOG("allocation %u refused: %s", k, strerror(err));
		/* the LIOBN carries on with A, in KVM */
		guest_map(_metadata, self, LIOBN_SECOND, 2 + k);
		EXPECT_EQ(user0, user_exits(_metadata, self));
		/* B's table is VFIO's again */
		vfio_owns_window(_metadata, self, 1);
		EXPECT_EQ(locked, vm_locked_kb()) TH_LOG("allocation %u refused: VmLck", k);
		EXPECT_EQ(pins, pins_settle(pins, PINS_WAIT_MS))
			TH_LOG("allocation %u refused: pinned pages", k);
	}
	EXPECT_FALSE(needed) TH_LOG("still refused after %u allocations", k);
	EXPECT_EQ(ALLOCS_NEW_TABLE, k) TH_LOG("a second table's bind made %u allocations", k);
	ASSERT_LE(0, fd) TH_LOG("the bind with nothing refused: %s", strerror(err));
	self->bfd[1] = fd;
	/* A kept every mapping; B got them all (the replicate ran whole) */
	EXPECT_EQ(0, dma_lands(self, &self->e[0], PAGE_GPA(1), ioba(self, 1), 1))
		TH_LOG("DMA through A, the first mapping");
	EXPECT_EQ(0, dma_lands(self, &self->e[1], PAGE_GPA(1), ioba(self, 1), 2))
		TH_LOG("DMA through B, the first mapping");
	EXPECT_EQ(0, dma_lands(self, &self->e[1], PAGE_GPA(1 + ALLOCS_NEW_TABLE),
			       ioba(self, 1 + ALLOCS_NEW_TABLE), 3))
		TH_LOG("DMA through B, the last mapping");
}

TEST_HARNESS_MAIN
