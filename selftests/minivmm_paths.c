// SPDX-License-Identifier: GPL-2.0
/*
 * minivmm in every path the host supports, with its counters asserted: in
 * `user` every TCE hypercall exits to minivmm; in `kvm-table`, `kvm-vfio`
 * (and `iommu` where the kernel has it) none does; with the edu device every
 * DMA check holds; minivmm's locked memory is back where it started; bad
 * input gets exit status 2 and leaves the group usable; the fuzz workload,
 * fixed seeds, agrees with the reference model on `user` and `iommu`;
 * `iommu` on a 64-bit window (--ddw) of 64 KiB pages and 1 TiB, and of
 * 16 MiB pages over hugepages, serves every call in the kernel, DMAs
 * through it and allocates its view as it is used.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/kvm.h>
#include <linux/vfio.h>

#include "kselftest_harness.h"
#include "lib/edu.h"
#include "lib/jsonget.h"
#include "lib/realmode.h"

#define CALLS		40
#define RESULT		"/tmp/minivmm-test.json"
#define RAM_KB		(256ULL << 10)	/* minivmm's default guest RAM */

static const char *machine(void)
{
	const char *m = getenv("LAB_MACHINE");

	return m ? m : "local";
}

/* Runs minivmm with the arguments (space separated); its exit status. */
static int minivmm(const char *args)
{
	char cmd[1024];
	int rc;

	unlink(RESULT);
	snprintf(cmd, sizeof(cmd), "minivmm --quiet --machine %s --json " RESULT " %s >/tmp/minivmm-test.out 2>&1",
		 machine(), args);
	rc = system(cmd);
	if (system("sed 's/^/# /' /tmp/minivmm-test.out") != 0)
		printf("# (no output)\n");
	return rc == -1 || !WIFEXITED(rc) ? -1 : WEXITSTATUS(rc);
}

/* exit status of "minivmm ARGS" (no --json) */
static int minivmm_probe_rc(const char *args)
{
	char cmd[256];
	int rc;

	snprintf(cmd, sizeof(cmd), "minivmm %s >/dev/null 2>&1", args);
	rc = system(cmd);
	return rc == -1 || !WIFEXITED(rc) ? -1 : WEXITSTATUS(rc);
}

static int edu(char *bdf)
{
	char found[4][32];

	if (edu_find(found, 4) < 1)
		return -1;
	strcpy(bdf, found[0]);
	return 0;
}

static uint64_t get(struct __test_metadata *_metadata, const char *doc,
		    const char *path, const char *wl, const char *field)
{
	char key[256];
	uint64_t v = ~0ULL;

	snprintf(key, sizeof(key), "machines/%s/paths/%s/%s/%s", machine(), path, wl, field);
	EXPECT_EQ(0, json_get_u64(doc, key, &v)) TH_LOG("no %s in the results", key);
	return v;
}

static int has_kvm_cap(long cap)
{
	int fd = open("/dev/kvm", O_RDWR), r;

	if (fd < 0)
		return 0;
	r = ioctl(fd, KVM_CHECK_EXTENSION, cap);
	close(fd);
	return r > 0;
}

/*
 * Checks one path's workloads: each made calls_per_wl calls, all or none of
 * them exited to minivmm, and with dma both DMA checks held.
 */
static void check_path(struct __test_metadata *_metadata, const char *doc,
		       const char *path, const char *const *wls, int n,
		       uint64_t calls_per_wl, int all_exit, int dma)
{
	int i;

	for (i = 0; i < n; i++) {
		uint64_t calls = get(_metadata, doc, path, wls[i], "calls");
		uint64_t exits = get(_metadata, doc, path, wls[i], "userspace_exits");

		if (strcmp(wls[i], "map-window"))
			EXPECT_EQ(calls_per_wl, calls) TH_LOG("%s %s", path, wls[i]);
		EXPECT_EQ(all_exit ? calls : 0, exits) TH_LOG("%s %s: exits", path, wls[i]);
		EXPECT_EQ(0, get(_metadata, doc, path, wls[i], "status"));
		if (dma) {
			EXPECT_EQ(2, get(_metadata, doc, path, wls[i], "dma_checks_passed"))
				TH_LOG("%s %s", path, wls[i]);
			EXPECT_EQ(0, get(_metadata, doc, path, wls[i], "dma_checks_failed"));
		}
	}
}

static void check_locked(struct __test_metadata *_metadata, const char *doc,
			 int vfio)
{
	char key[128];
	uint64_t before, after, peak;

	snprintf(key, sizeof(key), "machines/%s/locked_kb_before", machine());
	ASSERT_EQ(0, json_get_u64(doc, key, &before));
	snprintf(key, sizeof(key), "machines/%s/locked_kb_after", machine());
	ASSERT_EQ(0, json_get_u64(doc, key, &after));
	snprintf(key, sizeof(key), "machines/%s/locked_kb_peak", machine());
	ASSERT_EQ(0, json_get_u64(doc, key, &peak));
	EXPECT_EQ(before, after) TH_LOG("locked memory leaked");
	if (vfio)
		EXPECT_LE(before + RAM_KB, peak) TH_LOG("the preregistered RAM was not accounted");
}

/* a test of the iommu path skips where the kernel or its headers lack it */
#ifdef KVM_CAP_SPAPR_TCE_IOMMU
#define SKIP_WITHOUT_TCE_IOMMU()						\
	do {								\
		if (!has_kvm_cap(KVM_CAP_SPAPR_TCE_IOMMU))		\
			SKIP(return, "the running kernel lacks KVM_CAP_SPAPR_TCE_IOMMU"); \
	} while (0)
#else
#define SKIP_WITHOUT_TCE_IOMMU() \
	SKIP(return, "built without KVM_CAP_SPAPR_TCE_IOMMU in the uapi headers")
#endif

/* minivmm runs as a child process: nothing for a fixture to hold */
FIXTURE(mv) {
	int unused;
};

FIXTURE_SETUP(mv)
{
	self->unused = 0;
}

FIXTURE_TEARDOWN(mv)
{
}

static const char *const single[] = {
	"put", "indirect-8", "stuff", "get", "map-window", "random",
};
#define NSINGLE ((int)(sizeof(single) / sizeof(single[0])))
#define SINGLE_ARGS "--workloads put,indirect-8,stuff,get,map-window,random"

/*
 * minivmm over the single-vCPU workloads on one path (with the first edu
 * device when vfio); *doc gets its JSON results.
 */
static void run_single(struct __test_metadata *_metadata, const char *path,
		       int vfio, char **doc)
{
	char bdf[32] = "", args[256];

	if (vfio)
		ASSERT_EQ(0, edu(bdf)) TH_LOG("no edu device bound to vfio-pci");
	snprintf(args, sizeof(args), "--paths %s --calls %d %s%s " SINGLE_ARGS,
		 path, CALLS, vfio ? "--vfio " : "", bdf);
	ASSERT_EQ(0, minivmm(args));
	*doc = read_text(RESULT);
	ASSERT_NE(NULL, *doc);
}

TEST_F_TIMEOUT(mv, user_every_call_exits, 900)
{
	char *doc;

	run_single(_metadata, "user", 1, &doc);
	check_path(_metadata, doc, "user", single, NSINGLE, CALLS, 1, 1);
	check_locked(_metadata, doc, 1);
	free(doc);
}

TEST_F_TIMEOUT(mv, kvm_table_in_kernel, 900)
{
	char *doc;

	run_single(_metadata, "kvm-table", 0, &doc);
	check_path(_metadata, doc, "kvm-table", single, NSINGLE, CALLS, 0, 0);
	check_locked(_metadata, doc, 0);
	free(doc);
}

TEST_F_TIMEOUT(mv, kvm_vfio_in_kernel_and_dma, 900)
{
	char *doc;

	run_single(_metadata, "kvm-vfio", 1, &doc);
	check_path(_metadata, doc, "kvm-vfio", single, NSINGLE, CALLS, 0, 1);
	check_locked(_metadata, doc, 1);
	free(doc);
}

TEST_F_TIMEOUT(mv, iommu_path, 900)
{
	char *doc;

	SKIP_WITHOUT_TCE_IOMMU();
	run_single(_metadata, "iommu", 1, &doc);
	check_path(_metadata, doc, "iommu", single, NSINGLE, CALLS, 0, 1);
	check_locked(_metadata, doc, 1);
	/* KVM's counters: every call of every workload served in the kernel */
	for (int i = 0; i < NSINGLE; i++) {
		uint64_t calls = get(_metadata, doc, "iommu", single[i], "calls");

		EXPECT_EQ(calls, get(_metadata, doc, "iommu", single[i], "kernel_rm") +
				 get(_metadata, doc, "iommu", single[i], "kernel_vm"))
			TH_LOG("%s", single[i]);
	}
	free(doc);
}

/*
 * The iommu path on a 64-bit window (minivmm --ddw): every call served in
 * the kernel, both DMA checks of every workload, and a view allocated as it
 * is used. The lab's PHB3 (powernv8) has windows of 64 KiB and 16 MiB
 * pages, PHB4 (powernv9) of 64 KiB (its 2 MiB and 1 GiB ones would need
 * hugepages QEMU's radix machine does not have).
 */
struct ddw_case {
	unsigned int shift;
	unsigned long long window_mb;
	unsigned int hugepages;		/* of 16 MiB, for the guest RAM */
	const char *machines;		/* where the window must be there */
};

static const struct ddw_case ddw_cases[] = {
	{ 16, 1ULL << 20, 0, "powernv8 powernv9" },	/* 1 TiB of 64 KiB pages */
	{ 24, 16384, 16, "powernv8" },			/* 16 GiB of 16 MiB pages */
};

#define DDW_CALLS	40
#define DDW_WLS		"put,indirect-64,stuff,get"

static void run_ddw(struct __test_metadata *_metadata, const struct ddw_case *c)
{
	static const char *const wls[] = { "put", "indirect-64", "stuff", "get" };
	const char *nr_path = "/proc/sys/vm/nr_hugepages";
	char bdf[32], args[256], key[192];
	long nr = -1;
	uint64_t v, max;
	char *doc;
	int i, rc;

	ASSERT_EQ(0, edu(bdf)) TH_LOG("no edu device bound to vfio-pci");
	if (c->hugepages) {
		nr = sysfs_read_long(nr_path);
		ASSERT_LE(0, nr) TH_LOG("%s", nr_path);
		ASSERT_EQ(0, sysfs_write_long(nr_path, nr + c->hugepages));
		ASSERT_LE(nr + c->hugepages, sysfs_read_long(nr_path))
			TH_LOG("could not reserve %u hugepages", c->hugepages);
	}
	snprintf(args, sizeof(args),
		 "--paths iommu --ddw %u --window %llu%s --calls %d --workloads " DDW_WLS
		 " --vfio %s", c->shift, c->window_mb, c->hugepages ? " --hugepages" : "",
		 DDW_CALLS, bdf);
	rc = minivmm(args);
	if (nr >= 0)
		EXPECT_EQ(0, sysfs_write_long(nr_path, nr));
	ASSERT_EQ(0, rc) TH_LOG("minivmm %s", args);
	doc = read_text(RESULT);
	ASSERT_NE(NULL, doc);
	check_path(_metadata, doc, "iommu", wls, 4, DDW_CALLS, 0, 1);
	check_locked(_metadata, doc, 1);
	for (i = 0; i < 4; i++) {
		uint64_t rm = get(_metadata, doc, "iommu", wls[i], "kernel_rm");
		uint64_t vm = get(_metadata, doc, "iommu", wls[i], "kernel_vm");

		EXPECT_EQ(DDW_CALLS, rm + vm) TH_LOG("%s", wls[i]);
		/* real mode: all but put's first call, into a new view page */
		if (realmode_host())
			EXPECT_EQ(DDW_CALLS - !i, rm) TH_LOG("%s: in real mode", wls[i]);
	}
	/* the workloads' entries and the samples': two view pages, or all */
	snprintf(key, sizeof(key), "machines/%s/paths/iommu/binding/view_pages_max", machine());
	EXPECT_EQ(0, json_get_u64(doc, key, &max)) TH_LOG("no %s", key);
	snprintf(key, sizeof(key), "machines/%s/paths/iommu/binding/view_pages", machine());
	EXPECT_EQ(0, json_get_u64(doc, key, &v)) TH_LOG("no %s", key);
	EXPECT_EQ(max < 2 ? max : 2, v) TH_LOG("view pages allocated, of %llu",
					       (unsigned long long)max);
	snprintf(key, sizeof(key), "machines/%s/paths/iommu/binding/iommu_page_shift", machine());
	EXPECT_EQ(0, json_get_u64(doc, key, &v));
	EXPECT_EQ(c->shift, v);
	free(doc);
}

TEST_F_TIMEOUT(mv, iommu_64bit_windows, 900)
{
	unsigned int k, ran = 0;

	SKIP_WITHOUT_TCE_IOMMU();
	for (k = 0; k < sizeof(ddw_cases) / sizeof(ddw_cases[0]); k++) {
		const struct ddw_case *c = &ddw_cases[k];

		if (!strstr(c->machines, machine()))
			continue;
		printf("# --ddw %u --window %llu\n", c->shift, c->window_mb);
		run_ddw(_metadata, c);
		ran++;
	}
	if (!ran)
		SKIP(return, "%s: no 64-bit window this test needs", machine());
}

/*
 * The fuzz workload (minivmm.md), a few thousand calls of fixed seeds on
 * `user` and `iommu`: every return code, every view and every DMA sample
 * agrees with the model; every bound-LIOBN call was served in the kernel
 * (in real mode too on POWER8); nothing stays locked. make fuzz runs the
 * long version.
 */
#define FUZZ_CALLS	2048

static void check_fuzz(struct __test_metadata *_metadata, const char *doc, const char *path,
		       uint64_t seed)
{
	uint64_t calls = get(_metadata, doc, path, "fuzz", "calls");
	uint64_t exits = get(_metadata, doc, path, "fuzz", "userspace_exits");
	uint64_t batches, raced;

	EXPECT_EQ(seed, get(_metadata, doc, path, "fuzz", "seed"));
	EXPECT_EQ(FUZZ_CALLS, calls) TH_LOG("%s seed %llu", path, (unsigned long long)seed);
	EXPECT_EQ(0, get(_metadata, doc, path, "fuzz", "disagreements"))
		TH_LOG("%s seed %llu: the lines above name the call", path, (unsigned long long)seed);
	EXPECT_EQ(get(_metadata, doc, path, "fuzz", "model_returns/H_SUCCESS"),
		  get(_metadata, doc, path, "fuzz", "returns/H_SUCCESS"));
	/* batches of 64 calls, except that a raced INDIRECT ends its batch */
	batches = get(_metadata, doc, path, "fuzz", "batches");
	raced = get(_metadata, doc, path, "fuzz", "raced");
	EXPECT_LT(0, raced) TH_LOG("%s seed %llu: no raced INDIRECT", path, (unsigned long long)seed);
	/* the second vCPU rewrote the lists, at least once per raced call */
	EXPECT_LE(raced, get(_metadata, doc, path, "fuzz", "race_rounds"))
		TH_LOG("%s seed %llu: lists the second vCPU rewrote", path, (unsigned long long)seed);
	EXPECT_LE(FUZZ_CALLS / 64, batches);
	EXPECT_GE(FUZZ_CALLS / 64 + raced, batches);
	EXPECT_EQ(batches, get(_metadata, doc, path, "fuzz", "view_checks"));
	EXPECT_EQ(0, get(_metadata, doc, path, "fuzz", "view_entries_differing"));
	/* 3 samples after every 16th batch and after the last */
	EXPECT_EQ(3 * ((batches - 1) / 16 + 1), get(_metadata, doc, path, "fuzz", "dma_checks_passed"));
	EXPECT_EQ(0, get(_metadata, doc, path, "fuzz", "dma_checks_failed"));
	if (!strcmp(path, "user")) {
		EXPECT_EQ(calls, exits);
		return;
	}
	EXPECT_EQ(0, get(_metadata, doc, path, "fuzz", "bound_liobn_exits"));
	/* the calls for unbound LIOBNs exit; every other one was served */
	EXPECT_LT(0, exits);
	EXPECT_EQ(calls - exits, get(_metadata, doc, path, "fuzz", "kernel_rm") +
				 get(_metadata, doc, path, "fuzz", "kernel_vm"));
	if (realmode_host())
		EXPECT_LT(calls / 2, get(_metadata, doc, path, "fuzz", "kernel_rm"))
			TH_LOG("real mode served too few");
}

TEST_F_TIMEOUT(mv, fuzz_agrees_with_the_model, 900)
{
	static const uint64_t seeds[] = { 1, 0x5eed };
	char bdf[32], args[256];
	unsigned int i;
	char *doc;

	SKIP_WITHOUT_TCE_IOMMU();
	ASSERT_EQ(0, edu(bdf)) TH_LOG("no edu device bound to vfio-pci");
	for (i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
		snprintf(args, sizeof(args), "--paths user,iommu --workloads fuzz --seed %llu --calls %d --vfio %s",
			 (unsigned long long)seeds[i], FUZZ_CALLS, bdf);
		ASSERT_EQ(0, minivmm(args)) TH_LOG("seed %llu", (unsigned long long)seeds[i]);
		doc = read_text(RESULT);
		ASSERT_NE(NULL, doc);
		check_fuzz(_metadata, doc, "user", seeds[i]);
		check_fuzz(_metadata, doc, "iommu", seeds[i]);
		check_locked(_metadata, doc, 1);
		free(doc);
	}
}

TEST_F_TIMEOUT(mv, floor_and_multi_vcpu, 900)
{
	static const char *const mt[] = { "put-mt", "put-shared" };
	static const char *const fl[] = { "floor" };
	char args[256];
	char *doc;

	snprintf(args, sizeof(args),
		 "--paths kvm-table,floor --calls %d --vcpus 2 --workloads put-mt,put-shared",
		 CALLS);
	ASSERT_EQ(0, minivmm(args));
	doc = read_text(RESULT);
	ASSERT_NE(NULL, doc);
	check_path(_metadata, doc, "kvm-table", mt, 2, 2 * CALLS, 0, 0);
	check_path(_metadata, doc, "floor", fl, 1, CALLS, 0, 0);
	free(doc);
}

TEST_F_TIMEOUT(mv, bad_input_exits_2, 600)
{
	char bdf[32], node[64], args[256];
	int g, c;

	EXPECT_EQ(2, minivmm("--bogus"));
	EXPECT_EQ(2, minivmm("--vcpus 0"));
	EXPECT_EQ(2, minivmm("--ram 128 --window 256"));
	EXPECT_EQ(2, minivmm("--workloads indirect-513"));
	EXPECT_EQ(2, minivmm("--vfio 999"));
	EXPECT_EQ(2, minivmm("--vfio 0009:09:00.0"));
#ifdef KVM_CAP_SPAPR_TCE_IOMMU
	if (!has_kvm_cap(KVM_CAP_SPAPR_TCE_IOMMU))
#endif
		/* a path asked for by name that this kernel lacks */
		EXPECT_EQ(2, minivmm("--paths iommu --vfio 0"));
	ASSERT_EQ(0, edu(bdf));
	/* a group another process holds */
	snprintf(node, sizeof(node), "/dev/vfio/%d", pci_iommu_group(bdf));
	g = open(node, O_RDWR);
	ASSERT_LE(0, g);
	snprintf(args, sizeof(args), "--paths user --calls 4 --vfio %s", bdf);
	EXPECT_EQ(2, minivmm(args));
	close(g);
	/* and nothing left behind: the group attaches to a new container */
	g = open(node, O_RDWR);
	ASSERT_LE(0, g) TH_LOG("%s: %s", node, strerror(errno));
	c = open("/dev/vfio/vfio", O_RDWR);
	ASSERT_LE(0, c);
	EXPECT_EQ(0, ioctl(g, VFIO_GROUP_SET_CONTAINER, &c));
	EXPECT_EQ(0, ioctl(c, VFIO_SET_IOMMU, VFIO_SPAPR_TCE_v2_IOMMU));
	close(c);
	close(g);
}

/* --pr: KVM-PR, where the host offers it (hash hosts); PR never serves H_GET_TCE */
TEST_F_TIMEOUT(mv, pr_option, 300)
{
	static const char *const served[] = { "put", "indirect-8" };
	static const char *const get_wl[] = { "get" };
	int kvm = open("/dev/kvm", O_RDWR), vm;
	char args[256];
	char *doc;

	ASSERT_LE(0, kvm);
	vm = ioctl(kvm, KVM_CREATE_VM, 2 /* KVM_VM_PPC_PR */);
	close(kvm);
	if (vm < 0)
		SKIP(return, "KVM-PR is not offered by this host");
	close(vm);
	snprintf(args, sizeof(args),
		 "--pr --paths user,kvm-table --workloads put,indirect-8,get --calls %d", CALLS);
	ASSERT_EQ(0, minivmm(args));
	doc = read_text(RESULT);
	ASSERT_NE(NULL, doc);
	check_path(_metadata, doc, "user", served, 2, CALLS, 1, 0);
	check_path(_metadata, doc, "kvm-table", served, 2, CALLS, 0, 0);
	check_path(_metadata, doc, "kvm-table", get_wl, 1, CALLS, 1, 0);
	free(doc);
}

/* Another guest following the convention boots, talks, and stops. */
TEST_F_TIMEOUT(mv, another_guest, 300)
{
	char *out;
	int rc;

	rc = system("minivmm --paths user,kvm-table --vcpus 1 "
		    "--guest /lab/tools/hello-guest.elf >/tmp/minivmm-guest.out 2>&1");
	if (system("sed 's/^/# /' /tmp/minivmm-guest.out") != 0)
		printf("# (no output)\n");
	ASSERT_TRUE(WIFEXITED(rc));
	EXPECT_EQ(0, WEXITSTATUS(rc));
	out = read_text("/tmp/minivmm-guest.out");
	ASSERT_NE(NULL, out);
	/* once per path */
	EXPECT_NE(NULL, strstr(out, "hello from a foreign guest\nhello from a foreign guest\n"));
	EXPECT_NE(NULL, strstr(out, "user       the guest ran and stopped"));
	EXPECT_NE(NULL, strstr(out, "kvm-table  the guest ran and stopped"));
	free(out);
	EXPECT_EQ(2, minivmm("--guest /nonexistent.elf"));
}

/* minivmm probe: the windows, the locked memory needed, RLIMIT_MEMLOCK. */
TEST_F_TIMEOUT(mv, probe, 300)
{
	char bdf[32], cmd[256], lim[256];
	uint64_t win = 0, v1 = 0, v2 = 0, set = 0;
	char *doc, *p;
	pid_t child;
	int rc;

	ASSERT_EQ(0, edu(bdf));
	child = fork();
	ASSERT_LE(0, child);
	if (child == 0) {
		pause();
		_exit(0);
	}
	snprintf(cmd, sizeof(cmd), "minivmm probe %s --ram 128 --json --set-memlock %d >"
		 RESULT " 2>/tmp/minivmm-probe.err", bdf, (int)child);
	rc = system(cmd);
	ASSERT_TRUE(WIFEXITED(rc));
	EXPECT_EQ(0, WEXITSTATUS(rc));
	doc = read_text(RESULT);
	ASSERT_NE(NULL, doc);
	ASSERT_EQ(0, json_get_u64(doc, "dma32_window_size", &win));
	ASSERT_EQ(0, json_get_u64(doc, "locked_v1_bytes", &v1));
	ASSERT_EQ(0, json_get_u64(doc, "locked_v2_bytes", &v2));
	EXPECT_LT(0, win);
	EXPECT_EQ(win, v1) TH_LOG("v1 locks the whole 32-bit window");
	EXPECT_EQ(128ULL << 20, v2) TH_LOG("v2 locks the RAM it preregisters");
	if (!json_get_u64(doc, "memlock_limit_set_bytes", &set))
		EXPECT_LE(win > v2 ? win : v2, set);
	free(doc);
	/* the child's soft limit now covers it (or was unlimited) */
	snprintf(cmd, sizeof(cmd), "/proc/%d/limits", (int)child);
	doc = read_text(cmd);
	ASSERT_NE(NULL, doc);
	p = strstr(doc, "Max locked memory");
	ASSERT_NE(NULL, p);
	sscanf(p + strlen("Max locked memory"), "%255s", lim);
	if (strcmp(lim, "unlimited"))
		EXPECT_LE(win > v2 ? win : v2, strtoull(lim, NULL, 10));
	free(doc);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	EXPECT_EQ(2, minivmm_probe_rc("probe"));
	EXPECT_EQ(2, minivmm_probe_rc("probe 999"));
}

TEST_HARNESS_MAIN
