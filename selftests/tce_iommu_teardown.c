// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_CREATE_SPAPR_TCE_IOMMU teardown while two vCPUs hammer the LIOBN with
 * H_PUT_TCE map/unmap pairs: closing the binding, closing the group fd
 * (the binding keeps the group), killing the whole VMM, each 30 times; and
 * unbinding the device from vfio-pci, 30 times, which takes the group out
 * of its container under the binding's feet (now and then a VMM has the
 * device open and closes it when vfio-pci asks through the request
 * eventfd); and binding a second group to the hammered LIOBN and closing it
 * again, 30 times, while the current mappings are copied into its table.
 * Afterwards the locked memory (VmLck, of the killed VMMs too) and the
 * machine's pinned pages are back at their baseline and the group can be
 * used again; the lab fails the machine on any kernel report (lockdep, use
 * after free poisoning, list corruption, kmemleak, a WARN in VFIO).
 */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/vfio.h>

#include "kselftest_harness.h"
#include "lib/edu.h"
#include "lib/harness.h"
#include "lib/hcall.h"
#include "lib/pins.h"
#include "lib/trace.h"
#include "lib/vfio.h"
#include "lib/vm.h"

#define LIOBN		0x80000050ULL
#define SHIFT		12
#define ENTRIES		256ULL
#define GUEST_MEM	(16UL << 20)
/*
 * Per iteration on the slowest lab machine (powernv8, debug kernel): about
 * 0.1 s closing or killing, 0.8 s with UNBIND_PAIRS, a few seconds when the
 * device is opened (vfio-pci resets it). Every case's timeout is about
 * three times its time there.
 */
#define ITERATIONS	30	/* each i % 5 six times, each (i % 5, i % 3) twice */
#define PAIRS		50	/* map/unmap pairs per vCPU per iteration */
#define UNBIND_ITERATIONS 30
/* one unbinding in 6 with the device open: 1, 7, 13, 19, 25, every pause */
#define UNBIND_DEV_OPEN	6
#define UNBIND_PAIRS	1000	/* long enough to be unbound mid-run */
/* vfio-pci asks for the device as soon as the unbinding finds it open */
#define REQUEST_WAIT_MS	15000

#ifndef KVM_CAP_SPAPR_TCE_IOMMU
#error "the patched kernel's uapi headers are needed"
#endif

/*
 * r14 liobn, r15 first ioba, r16 tce, r17 pairs: H_PUT_TCE map then unmap
 * of (ioba + (i % 64) pages), then H_LAB_DONE. r20 counts non-zero returns.
 */
GUEST_CODE(hammer,
	"li 20,0\n"
	"li 21,0\n"
	"1: cmpd 21,17\n"
	"beq 2f\n"
	"andi. 5,21,63\n"
	"sldi 5,5,12\n"
	"add 5,5,15\n"
	"mr 22,5\n"
	"li 3,0x20\n"
	"mr 4,14\n"
	"mr 6,16\n"
	"sc 1\n"
	"cmpdi 3,0\n"
	"beq 3f\n"
	"addi 20,20,1\n"
	"3: li 3,0x20\n"
	"mr 4,14\n"
	"mr 5,22\n"
	"li 6,0\n"
	"sc 1\n"
	"addi 21,21,1\n"
	"b 1b\n"
	"2:\n"
	GUEST_DONE);

struct hammer_vm {
	struct vm *vm;
	struct vcpu *vcpu[2];
	pthread_t thread[2];
	struct tce_container c;
	int bfd;
};

/* H_PUT_TCE calls that exited because the LIOBN was unbound mid-run */
static unsigned long exits_after_unbind;
/* vCPUs that reached H_LAB_DONE */
static unsigned long vcpus_done;
/*
 * While set, a vCPU that reaches H_LAB_DONE starts its pairs again: the
 * unbinding case hammers until its unbinding is over, however fast the
 * hypercalls are (real mode serves them without an exit).
 */
static int keep_hammering;
static uint64_t hammer_gprs[2][4];
/* the failures (r20) of the rounds a vCPU started again after */
static uint64_t hammer_failed_before[2];

/* After unbinding, H_PUT_TCE exits: answer as a VMM with no table would. */
static void *vcpu_thread(void *arg)
{
	struct vcpu *v = arg;

	for (;;) {
		if (ioctl(v->fd, KVM_RUN, 0) < 0) {
			if (errno == EINTR)
				continue;
			return (void *)1L;
		}
		if (v->run->exit_reason != KVM_EXIT_PAPR_HCALL)
			return (void *)2L;
		if (v->run->papr_hcall.nr == H_LAB_DONE) {
			if (__atomic_load_n(&keep_hammering, __ATOMIC_RELAXED)) {
				hammer_failed_before[v->id] += vcpu_gpr(v, 20);
				if (vcpu_start(v, hammer_gprs[v->id], 4))
					return (void *)4L;
				continue;
			}
			__atomic_add_fetch(&vcpus_done, 1, __ATOMIC_RELAXED);
			return NULL;
		}
		if (v->run->papr_hcall.nr != H_PUT_TCE)
			return (void *)3L;
		__atomic_add_fetch(&exits_after_unbind, 1, __ATOMIC_RELAXED);
		v->run->papr_hcall.ret = H_PARAMETER;
	}
}

/* the VM and its vCPUs: once per test */
static int hammer_vm_create(struct hammer_vm *h)
{
	int i;

	memset(h, 0, sizeof(*h));
	h->bfd = -1;
	tce_container_init(&h->c);
	h->vm = vm_create(KVM_VM_PPC_HV, GUEST_MEM);
	if (!h->vm)
		return -1;
	if (vm_load_code(h->vm, GUEST_CODE_GPA, hammer_start, hammer_end))
		return -1;
	for (i = 0; i < 2; i++) {
		h->vcpu[i] = vcpu_add(h->vm, i);
		if (!h->vcpu[i])
			return -1;
	}
	return 0;
}

/* a container, the binding, and both vCPUs back at the guest's start */
static int hammer_bind(struct hammer_vm *h, const char *bdf, uint64_t pairs)
{
	int i;

	if (tce_container_open(&h->c, bdf, VFIO_SPAPR_TCE_v2_IOMMU) ||
	    tce_container_register(&h->c, h->vm->mem, GUEST_MEM) ||
	    tce_container_small_window(&h->c, ENTRIES << SHIFT))
		return -1;
	h->bfd = vm_bind_tce_iommu(h->vm, LIOBN, h->c.group, SHIFT,
				   h->c.win_start >> SHIFT, ENTRIES);
	if (h->bfd < 0)
		return -1;
	for (i = 0; i < 2; i++) {
		uint64_t *gprs = hammer_gprs[h->vcpu[i]->id];

		gprs[0] = LIOBN;
		gprs[1] = h->c.win_start + ((uint64_t)i * 64 << SHIFT);
		gprs[2] = 0x800000 | TCE_PCI_READ | TCE_PCI_WRITE;
		gprs[3] = pairs;
		if (vcpu_start(h->vcpu[i], gprs, 4))
			return -1;
	}
	return 0;
}

static int hammer_setup(struct hammer_vm *h, const char *bdf)
{
	if (hammer_vm_create(h))
		return -1;
	return hammer_bind(h, bdf, PAIRS);
}

static int hammer_start_threads(struct hammer_vm *h)
{
	int i;

	for (i = 0; i < 2; i++)
		if (pthread_create(&h->thread[i], NULL, vcpu_thread, h->vcpu[i]))
			return -1;
	return 0;
}

static int hammer_join(struct hammer_vm *h)
{
	void *r;
	int i, bad = 0;

	for (i = 0; i < 2; i++) {
		pthread_join(h->thread[i], &r);
		bad |= r != NULL;
	}
	return bad ? -1 : 0;
}

static void hammer_destroy(struct hammer_vm *h)
{
	int i;

	if (h->bfd >= 0)
		close(h->bfd);
	tce_container_close(&h->c);
	for (i = 0; i < 2; i++)
		vcpu_free(h->vcpu[i]);
	vm_destroy(h->vm);
	h->vm = NULL;
}

static void pause_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/* the hypercalls that did not return H_SUCCESS, counted by the guest */
static uint64_t hammer_failures(struct hammer_vm *h)
{
	uint64_t n = vcpu_gpr(h->vcpu[0], 20) + vcpu_gpr(h->vcpu[1], 20) +
		     hammer_failed_before[0] + hammer_failed_before[1];

	hammer_failed_before[0] = 0;
	hammer_failed_before[1] = 0;
	return n;
}

struct unbinder {
	pthread_t thread;
	const char *bdf;
	int ret;
};

/* blocks until vfio-pci has let the device go: until its fd is closed */
static void *unbind_thread(void *arg)
{
	struct unbinder *u = arg;

	u->ret = vfio_pci_unbind(u->bdf);
	return NULL;
}

FIXTURE(teardown) {
	char bdf[32];
	long baseline;
	long pins_baseline;
	int iterations;		/* for the log */
	time_t start;
};

FIXTURE_SETUP(teardown)
{
	char found[4][32];
	int fd;

	NEED(edu_find(found, 4) >= 1, "no edu device bound to vfio-pci");
	strcpy(self->bdf, found[0]);
	fd = kvm_open();
	ASSERT_LE(0, fd);
	if (kvm_check_cap(fd, KVM_CAP_SPAPR_TCE_IOMMU) != 1) {
		close(fd);
		SKIP(return, "no KVM_CAP_SPAPR_TCE_IOMMU");
	}
	close(fd);
	self->baseline = vm_locked_kb();
	ASSERT_LE(0, self->baseline);
	self->pins_baseline = pins_steady();
	ASSERT_LE(0, self->pins_baseline) TH_LOG("no FOLL_PIN counts in /proc/vmstat");
	self->iterations = ITERATIONS;
	self->start = time(NULL);
}

FIXTURE_TEARDOWN(teardown)
{
	/* whatever happened, leave the device to the next tests */
	if (self->bdf[0])
		EXPECT_EQ(0, vfio_pci_rebind(self->bdf));
	TH_LOG("%d iterations in %ld s", self->iterations, (long)(time(NULL) - self->start));
}

/* the group is usable again: attach, register, detach */
static int group_reusable(const char *bdf)
{
	struct tce_container c;
	static char buf[1 << 16] __attribute__((aligned(65536)));
	int ret;

	ret = tce_container_open(&c, bdf, VFIO_SPAPR_TCE_v2_IOMMU);
	if (!ret)
		ret = tce_container_register(&c, buf, sizeof(buf));
	tce_container_close(&c);
	return ret;
}

/* about 3 s on powernv8 */
TEST_F_TIMEOUT(teardown, close_binding_while_hammering, 15)
{
	struct hammer_vm h;
	int i;

	ASSERT_EQ(0, hammer_vm_create(&h)) TH_LOG("%s", strerror(errno));
	for (i = 0; i < ITERATIONS; i++) {
		ASSERT_EQ(0, hammer_bind(&h, self->bdf, PAIRS)) TH_LOG("iteration %d: %s", i,
								strerror(errno));
		ASSERT_EQ(0, hammer_start_threads(&h));
		pause_ms(i % 5);
		close(h.bfd);
		h.bfd = -1;
		EXPECT_EQ(0, hammer_join(&h)) TH_LOG("iteration %d", i);
		tce_container_close(&h.c);
		ASSERT_EQ(self->baseline, vm_locked_kb()) TH_LOG("iteration %d", i);
	}
	hammer_destroy(&h);
	EXPECT_EQ(0, group_reusable(self->bdf));
	EXPECT_EQ(self->baseline, vm_locked_kb());
	EXPECT_EQ(self->pins_baseline, pins_settle(self->pins_baseline, PINS_WAIT_MS));
	/* the binding went away while the vCPUs were still at it */
	TH_LOG("%lu hypercalls exited after the unbinding", exits_after_unbind);
	EXPECT_LT(0, exits_after_unbind);
}

/* about 4 s on powernv8 */
TEST_F_TIMEOUT(teardown, close_group_fd_while_hammering, 15)
{
	struct hammer_vm h;
	int i;

	ASSERT_EQ(0, hammer_vm_create(&h)) TH_LOG("%s", strerror(errno));
	for (i = 0; i < ITERATIONS; i++) {
		ASSERT_EQ(0, hammer_bind(&h, self->bdf, PAIRS)) TH_LOG("iteration %d: %s", i,
								strerror(errno));
		ASSERT_EQ(0, hammer_start_threads(&h));
		pause_ms(i % 5);
		/* the binding keeps the group and its container */
		close(h.c.group);
		h.c.group = -1;
		close(h.c.container);
		h.c.container = -1;
		EXPECT_EQ(0, hammer_join(&h)) TH_LOG("iteration %d", i);
		close(h.bfd);
		h.bfd = -1;
		ASSERT_EQ(self->baseline, vm_locked_kb()) TH_LOG("iteration %d", i);
	}
	hammer_destroy(&h);
	EXPECT_EQ(0, group_reusable(self->bdf));
	EXPECT_EQ(self->baseline, vm_locked_kb());
	EXPECT_EQ(self->pins_baseline, pins_settle(self->pins_baseline, PINS_WAIT_MS));
}

/* about 5 s on powernv8 */
TEST_F_TIMEOUT(teardown, kill_vmm_while_hammering, 20)
{
	/* the machine's pins before the first VMM: FIXTURE_SETUP's count */
	long pins_base = self->pins_baseline;
	int i, status;

	for (i = 0; i < ITERATIONS; i++) {
		int pipefd[2];
		long kb, pins;
		char c = 0;
		pid_t pid;

		ASSERT_EQ(0, pipe(pipefd));
		pid = fork();
		ASSERT_LE(0, pid);
		if (pid == 0) {
			struct hammer_vm h;

			close(pipefd[0]);
			if (hammer_setup(&h, self->bdf) || hammer_start_threads(&h))
				_exit(1);
			if (write(pipefd[1], "r", 1) != 1)
				_exit(1);
			hammer_join(&h);
			for (;;)
				pause();
		}
		close(pipefd[1]);
		ASSERT_EQ(1, read(pipefd[0], &c, 1)) TH_LOG("iteration %d: setup failed", i);
		if (i % 10 == 0)
			TH_LOG("kill: iteration %d at %ld s", i, (long)(time(NULL) - self->start));
		close(pipefd[0]);
		/* the VMM registered its guest memory: it holds locked pages */
		kb = pid_locked_kb(pid);
		EXPECT_LT(0, kb) TH_LOG("iteration %d: the VMM's VmLck is %ld kB", i, kb);
		pins = pins_held();
		EXPECT_LT(pins_base, pins) TH_LOG("iteration %d: %ld pins, %ld before", i,
						  pins, pins_base);
		pause_ms(i % 5);
		ASSERT_EQ(0, kill(pid, SIGKILL));
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		/*
		 * The dead VMM's pins are all given back: waitpid() returns
		 * once its files are closed, the unpinning of its guest
		 * memory comes after an RCU grace period, so poll a little.
		 */
		pins = pins_settle(pins_base, PINS_WAIT_MS);
		ASSERT_EQ(pins_base, pins) TH_LOG("iteration %d: %ld pins left", i,
						  pins - pins_base);
	}
	/* the dead VMM's group is free and works */
	EXPECT_EQ(0, group_reusable(self->bdf)) TH_LOG("%s", strerror(errno));
	EXPECT_EQ(self->baseline, vm_locked_kb());
	EXPECT_EQ(pins_base, pins_settle(pins_base, PINS_WAIT_MS));
}

/* about 35 s on powernv8, 39 s on powernv9 with modules */
TEST_F_TIMEOUT(teardown, unbind_device_while_hammering, 150)
{
	const char *event = "kvm_tce_iommu/kvm_tce_iommu_unbind";
	unsigned long overlapped = 0, requests = 0;
	char want[128], *got, *line;
	struct hammer_vm h;
	int i, revoked = 0;

	self->iterations = UNBIND_ITERATIONS;

	if (!trace_available(event) && getenv("LAB_MACHINE"))
		ASSERT_TRUE(0) TH_LOG("no tracefs or no %s", event);
	snprintf(want, sizeof(want),
		 "kvm_tce_iommu_unbind: liobn=0x%llx group=%d why=revoked last=0",
		 LIOBN, pci_iommu_group(self->bdf));
	if (trace_available(event))
		ASSERT_EQ(0, trace_begin(event)) TH_LOG("%s", strerror(errno));
	ASSERT_EQ(0, hammer_vm_create(&h)) TH_LOG("%s", strerror(errno));
	for (i = 0; i < UNBIND_ITERATIONS; i++) {
		struct unbinder u = { .bdf = self->bdf };
		struct edu e;
		int efd = -1;
		/*
		 * Now and then a VMM has the device open (opening it resets
		 * the device: seconds under TCG) and gives vfio-pci a request
		 * channel, as a real VMM does; it closes the device when
		 * vfio-pci asks for it back.
		 */
		bool dev_open = i % UNBIND_DEV_OPEN == 1;

		ASSERT_EQ(0, hammer_bind(&h, self->bdf, UNBIND_PAIRS))
			TH_LOG("iteration %d: %s", i, strerror(errno));
		if (dev_open) {
			ASSERT_EQ(0, edu_open(&e, h.c.group, self->bdf))
				TH_LOG("iteration %d: %s", i, strerror(errno));
			efd = edu_request_eventfd(&e);
			ASSERT_LE(0, efd) TH_LOG("iteration %d: request eventfd: %s", i,
						 strerror(errno));
		}
		__atomic_store_n(&vcpus_done, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&keep_hammering, 1, __ATOMIC_RELAXED);
		ASSERT_EQ(0, hammer_start_threads(&h));
		pause_ms(i % 5);
		ASSERT_EQ(0, pthread_create(&u.thread, NULL, unbind_thread, &u));
		if (dev_open) {
			struct pollfd p = { .fd = efd, .events = POLLIN };
			int n = poll(&p, 1, REQUEST_WAIT_MS);

			/* never the unbinding's 10 s waits for the fd to go */
			EXPECT_EQ(1, n) TH_LOG("iteration %d: no device request in %d ms",
					       i, REQUEST_WAIT_MS);
			requests += n == 1;
			edu_close(&e);
			close(efd);
		}
		pthread_join(u.thread, NULL);
		ASSERT_EQ(0, u.ret) TH_LOG("iteration %d: unbind: %s", i, strerror(errno));
		if (__atomic_load_n(&vcpus_done, __ATOMIC_RELAXED) < 2)
			overlapped++;
		__atomic_store_n(&keep_hammering, 0, __ATOMIC_RELAXED);
		/*
		 * The group left its container, the container released its
		 * tables and preregistered memory: the locked memory is back
		 * while the binding, group and container fds are all open.
		 */
		ASSERT_EQ(self->baseline, vm_locked_kb()) TH_LOG("iteration %d", i);
		EXPECT_EQ(0, hammer_join(&h)) TH_LOG("iteration %d", i);
		/* the LIOBN stayed KVM's: every call succeeded, none exited */
		EXPECT_EQ(0, hammer_failures(&h)) TH_LOG("iteration %d", i);
		close(h.bfd);
		h.bfd = -1;
		tce_container_close(&h.c);
		ASSERT_EQ(0, vfio_pci_rebind(self->bdf)) TH_LOG("iteration %d", i);
		ASSERT_EQ(self->baseline, vm_locked_kb()) TH_LOG("iteration %d", i);
	}
	hammer_destroy(&h);
	if (trace_available(event)) {
		/* each unbinding revoked the binding; closing it was silent */
		got = trace_end(event);
		ASSERT_NE(NULL, got);
		for (line = strtok(got, "\n"); line; line = strtok(NULL, "\n")) {
			EXPECT_STREQ(want, line);
			revoked++;
		}
		free(got);
		EXPECT_EQ(UNBIND_ITERATIONS, revoked);
	}
	EXPECT_EQ(0, exits_after_unbind);
	EXPECT_EQ(0, group_reusable(self->bdf)) TH_LOG("%s", strerror(errno));
	EXPECT_EQ(self->baseline, vm_locked_kb());
	EXPECT_EQ(self->pins_baseline, pins_settle(self->pins_baseline, PINS_WAIT_MS));
	/* most unbindings came while the vCPUs were at it */
	TH_LOG("%lu of %d unbindings while both vCPUs were running, %lu device requests",
	       overlapped, UNBIND_ITERATIONS, requests);
	EXPECT_LE(UNBIND_ITERATIONS / 2, overlapped);
}

/* about 25 s on powernv8 */
TEST_F_TIMEOUT(teardown, bind_second_group_while_hammering, 75)
{
	struct tce_container c2;
	char found[4][32];
	struct hammer_vm h;
	int i;

	NEED(edu_find(found, 4) >= 2, "a second edu device is needed");
	ASSERT_EQ(0, hammer_vm_create(&h)) TH_LOG("%s", strerror(errno));
	tce_container_init(&c2);
	tce_v2_open(_metadata, &c2, found[1], h.vm->mem, GUEST_MEM, ENTRIES << SHIFT);
	for (i = 0; i < ITERATIONS; i++) {
		int bfd2;

		ASSERT_EQ(0, hammer_bind(&h, self->bdf, UNBIND_PAIRS))
			TH_LOG("iteration %d: %s", i, strerror(errno));
		ASSERT_EQ(h.c.win_start, c2.win_start) TH_LOG("the two windows differ");
		ASSERT_EQ(0, hammer_start_threads(&h));
		pause_ms(i % 5);
		/* the current mappings go into the second table as calls go on */
		bfd2 = vm_bind_tce_iommu(h.vm, LIOBN, c2.group, SHIFT,
					 c2.win_start >> SHIFT, ENTRIES);
		EXPECT_LE(0, bfd2) TH_LOG("iteration %d: %s", i, strerror(errno));
		pause_ms(i % 3);
		if (bfd2 >= 0)
			close(bfd2);
		EXPECT_EQ(0, hammer_join(&h)) TH_LOG("iteration %d", i);
		/* the LIOBN stayed bound to the first group all along */
		EXPECT_EQ(0, hammer_failures(&h)) TH_LOG("iteration %d", i);
		close(h.bfd);
		h.bfd = -1;
		tce_container_close(&h.c);
	}
	hammer_destroy(&h);
	/*
	 * Nothing the copies or the hypercalls mapped stayed in the second
	 * table: its container lets its preregistered memory go without a
	 * WARN (the lab fails on one) and the locked memory is back.
	 */
	tce_container_close(&c2);
	EXPECT_EQ(self->baseline, vm_locked_kb());
	EXPECT_EQ(self->pins_baseline, pins_settle(self->pins_baseline, PINS_WAIT_MS));
	EXPECT_EQ(0, exits_after_unbind);
}

TEST_HARNESS_MAIN
