// SPDX-License-Identifier: GPL-2.0
/*
 * The benchmark: for each path, a VM running the guest's workloads (one
 * vCPU), and a second VM for the multi-vCPU workloads; the TCE hypercalls
 * that reach minivmm are handled as a VMM without acceleration would, and
 * with an edu device the mappings are proven by DMA after each workload.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <linux/vfio.h>

#include "../../selftests/lib/edu.h"
#include "../../selftests/lib/hcall.h"
#include "../../selftests/lib/kvmstats.h"
#include "../../selftests/lib/pins.h"
#include "../../selftests/lib/vfio.h"
#include "abi.h"
#include "bench.h"
#include "devtree.h"
#include "fuzz.h"
#include "tce_user.h"
#include "vm.h"

#define PAGE			(1ULL << MV_TCE_SHIFT)
#define LIOBN			0x80000001U
#define SAMPLE_ENTRIES		3
#define DMA_LEN			2048U
#define RUN_TIMEOUT		1200
#define MAX_PLAN		MAX_WORKLOADS

struct run_ctx {
	struct bench *b;
	struct mvm *vm;
	enum mv_path path;
	struct path_result *pr;
	unsigned int nplan;
	int plan_wl[MAX_PLAN];		/* plan index -> index in pr->wl */
	uint64_t mark_exits[MV_MAX_VCPUS];
	/* the window */
	uint64_t win_start, entries;	/* all entries, samples included */
	unsigned int shift;		/* its IOMMU pages */
	uint64_t iopage;		/* 1 << shift */
	unsigned int ddw_levels;	/* --ddw: the levels of its table */
	/* userspace TCE table (PATH_USER) */
	uint64_t *table;
	/* the answers to the TCE hypercalls that reach minivmm */
	struct mv_tce tce;
	/* VFIO */
	int group, container, kvmdev, tfd;
	uint64_t *kvm_table;		/* read-only view of the KVM table */
	size_t kvm_table_len;
	struct edu edu;
	int have_edu;
	/* KVM's counters of bound-LIOBN hypercalls (single-vCPU iommu VMs) */
	struct kvm_stats kstats;
	int use_kstats;
	uint64_t k_rm0, k_vm0;
	/* the fuzz workload: its plan entry, script, and the fuzzer once started */
	int fuzz_plan;
	uint64_t fuzz_script;
	uint64_t fuzz_t0;		/* CLOCK_MONOTONIC at the first batch */
	struct fuzz *fz;
	/* the guest's second vCPU rewrites a raced INDIRECT's list (fuzz) */
	int racer_on;
	char fail[160];
};

static void ctx_init(struct run_ctx *r)
{
	memset(r, 0, sizeof(*r));
	r->group = r->container = r->kvmdev = r->tfd = -1;
	r->edu.device_fd = -1;
	r->kvm_table = MAP_FAILED;
	r->kstats.fd = -1;
	r->fuzz_plan = -1;
	mv_tce_init_none(&r->tce);
}

/* ---- VFIO --------------------------------------------------------------- */

/* An edu device of the group (the one named, or the first found). */
static int find_edu(const char *group_node, const char *named, char *bdf)
{
	char found[8][32];
	const char *g = strrchr(group_node, '/') + 1;
	int n, i;

	if (named[0]) {
		n = edu_find(found, 8);
		for (i = 0; i < n; i++)
			if (!strcmp(found[i], named))
				break;
		if (i == n)
			return -1;
		strcpy(bdf, named);
		return 0;
	}
	n = edu_find(found, 8);
	for (i = 0; i < n; i++) {
		if (pci_iommu_group(found[i]) == atoi(g)) {
			strcpy(bdf, found[i]);
			return 0;
		}
	}
	return -1;
}

/*
 * --ddw: a 64-bit window of the IOMMU pages asked for, with the fewest
 * table levels the platform takes for its size.
 */
static int ddw_create(struct run_ctx *r, const struct vfio_iommu_spapr_tce_info *info)
{
	struct vfio_iommu_spapr_tce_create cr = {
		.argsz = sizeof(cr), .page_shift = r->shift,
		.window_size = r->b->o->window,
	};

	if (!(info->flags & VFIO_IOMMU_SPAPR_INFO_DDW) ||
	    !(info->ddw.pgsizes & r->iopage)) {
		snprintf(r->fail, sizeof(r->fail),
			 "--ddw %u: the group has no 64-bit window of such pages (pgsizes 0x%llx)",
			 r->shift, (unsigned long long)info->ddw.pgsizes);
		return -1;
	}
	for (cr.levels = 1; cr.levels <= info->ddw.levels; cr.levels++)
		if (!ioctl(r->container, VFIO_IOMMU_SPAPR_TCE_CREATE, &cr))
			break;
	if (cr.levels > info->ddw.levels) {
		snprintf(r->fail, sizeof(r->fail),
			 "VFIO_IOMMU_SPAPR_TCE_CREATE of %llu MB of %llu KiB pages, 1 to %u levels: %s",
			 (unsigned long long)(r->b->o->window >> 20),
			 (unsigned long long)(r->iopage >> 10), info->ddw.levels, strerror(errno));
		return -1;
	}
	r->win_start = cr.start_addr;
	r->ddw_levels = cr.levels;
	return 0;
}

static int vfio_setup(struct run_ctx *r)
{
	struct vfio_iommu_spapr_tce_info info = { .argsz = sizeof(info) };
	struct vfio_iommu_spapr_register_memory reg = { .argsz = sizeof(reg) };
	char node[64], bdf[32], edu_bdf[32];

	r->group = vfio_group_open_viable(r->b->o->vfio, node, sizeof(node), bdf,
					  sizeof(bdf), r->fail, sizeof(r->fail));
	if (r->group < 0)
		return -1;
	r->container = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	if (r->container < 0 ||
	    ioctl(r->group, VFIO_GROUP_SET_CONTAINER, &r->container) < 0 ||
	    ioctl(r->container, VFIO_SET_IOMMU, VFIO_SPAPR_TCE_v2_IOMMU) < 0 ||
	    ioctl(r->container, VFIO_IOMMU_SPAPR_TCE_GET_INFO, &info) < 0) {
		snprintf(r->fail, sizeof(r->fail), "%s: sPAPR TCE v2 container: %s",
			 node, strerror(errno));
		return -1;
	}
	if (r->b->o->ddw_shift) {
		if (ddw_create(r, &info))
			return -1;
	} else if (r->b->o->window > info.dma32_window_size) {
		snprintf(r->fail, sizeof(r->fail),
			 "--window %llu MB exceeds the group's 32-bit DMA window (%u MB)",
			 (unsigned long long)(r->b->o->window >> 20),
			 info.dma32_window_size >> 20);
		return -1;
	} else {
		r->win_start = info.dma32_window_start;
	}
	reg.vaddr = (uintptr_t)r->vm->mem;
	reg.size = r->vm->ram;
	if (ioctl(r->container, VFIO_IOMMU_SPAPR_REGISTER_MEMORY, &reg) < 0) {
		snprintf(r->fail, sizeof(r->fail),
			 "preregistering %llu MB of guest RAM: %s (RLIMIT_MEMLOCK? see minivmm probe)",
			 (unsigned long long)(r->vm->ram >> 20), strerror(errno));
		return -1;
	}
	if (!find_edu(node, bdf, edu_bdf) &&
	    !edu_open(&r->edu, r->group, edu_bdf))
		r->have_edu = 1;
	return 0;
}

static void vfio_teardown(struct run_ctx *r)
{
	if (r->have_edu)
		edu_close(&r->edu);
	r->have_edu = 0;
	if (r->container >= 0)
		close(r->container);	/* unmaps, unregisters, unpins */
	if (r->group >= 0)
		close(r->group);
	r->container = r->group = -1;
}

/* the `user` path's VFIO side (tce_user.c calls them for the entries that change) */
static int vfio_map(void *ctx, uint64_t iova, uint64_t gpa, uint64_t perm)
{
	struct run_ctx *r = ctx;
	struct vfio_iommu_type1_dma_map map = {
		.argsz = sizeof(map),
		.flags = (perm & TCE_PCI_READ ? VFIO_DMA_MAP_FLAG_READ : 0) |
			 (perm & TCE_PCI_WRITE ? VFIO_DMA_MAP_FLAG_WRITE : 0),
		.vaddr = (uintptr_t)r->vm->mem + gpa,
		.iova = iova,
		.size = PAGE,
	};

	return ioctl(r->container, VFIO_IOMMU_MAP_DMA, &map);
}

static int vfio_unmap(void *ctx, uint64_t iova)
{
	struct run_ctx *r = ctx;
	struct vfio_iommu_type1_dma_unmap unmap = {
		.argsz = sizeof(unmap), .iova = iova, .size = PAGE,
	};

	return ioctl(r->container, VFIO_IOMMU_UNMAP_DMA, &unmap);
}

static int on_fuzz_batch(struct run_ctx *r, struct mvcpu *c);

static int on_hcall(void *ctx, struct mvcpu *c)
{
	struct run_ctx *r = ctx;
	struct kvm_run *run = c->run;
	uint64_t nr = run->papr_hcall.nr, args[4], r4 = 0;
	unsigned int i;

	if (nr == H_SET_DABR || nr == H_PROD) {
		/* a host that leaves it to userspace: answer as PAPR says */
		c->tce_exits++;
		run->papr_hcall.ret = H_SUCCESS;
		return 0;
	}
	if (nr == MV_H_FUZZ_BATCH)
		return on_fuzz_batch(r, c);
	if (!tce_model_is_tce_hcall(nr)) {
		run->papr_hcall.ret = H_FUNCTION;
		return 0;
	}
	c->tce_exits++;
	/*
	 * The `user` path: our table, the model's answer, VFIO for what
	 * changed (what QEMU does without acceleration). An in-kernel path
	 * that left a call to us (KVM-PR does H_GET_TCE): answered from the
	 * KVM table by the same rules. A LIOBN we do not know: H_PARAMETER.
	 */
	for (i = 0; i < 4; i++)
		args[i] = run->papr_hcall.args[i];
	if (r->fz && r->fz->n)
		fuzz_note_exit(r->fz, nr, args);	/* a call of the fuzz script */
	run->papr_hcall.ret = mv_tce_answer(&r->tce, nr, args, &r4);
	if (nr == H_GET_TCE && run->papr_hcall.ret == H_SUCCESS)
		run->papr_hcall.args[0] = r4;
	return 0;
}

/* ---- DMA proof ---------------------------------------------------------- */

static void dma_checks(struct run_ctx *r, struct wl_result *w, unsigned int seed)
{
	uint64_t a = r->win_start + (r->entries - SAMPLE_ENTRIES) * r->iopage;
	uint8_t *src = r->vm->mem + MV_GPA_SCRATCH;
	uint8_t *dst = src + r->iopage;
	uint8_t before[DMA_LEN];
	unsigned int i;

	for (i = 0; i < DMA_LEN; i++) {
		src[i] = (uint8_t)(i * 7 + seed);
		dst[i] = 0;
	}
	/* A -> edu -> B: must land */
	if (edu_dma_from_ram(&r->edu, a, DMA_LEN) ||
	    edu_dma_to_ram(&r->edu, a + r->iopage, DMA_LEN) ||
	    memcmp(src, dst, DMA_LEN))
		w->dma_failed++;
	else
		w->dma_passed++;
	/* A -> edu -> C (mapped to dst, then unmapped): must not land */
	memcpy(before, dst, DMA_LEN);
	for (i = 0; i < DMA_LEN; i++)
		src[i] = (uint8_t)(i * 11 + seed + 1);
	edu_dma_from_ram(&r->edu, a, DMA_LEN);
	edu_dma_to_ram(&r->edu, a + 2 * r->iopage, DMA_LEN);
	if (memcmp(before, dst, DMA_LEN))
		w->dma_failed++;
	else
		w->dma_passed++;
}

/* ---- the fuzz workload (fuzz.c decides and compares) --------------------- */

/* The path's table as the guest sees it: ours, or the mmap of the KVM fd */
static const uint64_t *path_view(const struct run_ctx *r)
{
	if (r->path == PATH_USER)
		return r->table;
	return r->kvm_table != MAP_FAILED ? r->kvm_table : NULL;
}

static int fuzz_start(struct run_ctx *r)
{
	const struct options *o = r->b->o;
	struct fuzz_layout l = {
		.liobn = LIOBN, .win_start = r->win_start, .entries = r->entries,
		.ram = r->vm->ram, .target_lo = MV_GPA_SCRATCH + 4 * PAGE,
		.lists = MV_GPA_FUZZ_LISTS,
	};
	const uint64_t *view = path_view(r);
	struct fuzz *f;

	if (!view) {
		fprintf(stderr, "minivmm: %s: fuzz: no view of the path's TCE table (mmap of its fd failed)\n",
			path_names[r->path]);
		return -1;
	}
	f = calloc(1, sizeof(*f));
	if (!f || fuzz_init(f, &l, o->seed, o->calls, &r->pr->fz)) {
		fprintf(stderr, "minivmm: %s: fuzz: cannot set up the fuzzer\n",
			path_names[r->path]);
		free(f);
		return -1;
	}
	f->out = stdout;
	snprintf(f->label, sizeof(f->label), "%s fuzz %s", o->machine, path_names[r->path]);
	snprintf(f->path, sizeof(f->path), "%s", path_names[r->path]);
	snprintf(f->repro, sizeof(f->repro), " --ram %llu --window %llu%s%s%s",
		 (unsigned long long)(o->ram >> 20), (unsigned long long)(o->window >> 20),
		 o->vfio ? " --vfio " : "", o->vfio ? o->vfio : "", o->pr ? " --pr" : "");
	/* ours stop at the first disagreement; upstream's are counted, by class */
	f->stop_first = r->path == PATH_USER || r->path == PATH_IOMMU;
	f->kernel = r->path != PATH_USER;
	f->no_bound_exits = r->path == PATH_IOMMU;
	f->spare_host = r->path == PATH_KVM_VFIO;
	f->race = 1;
	fuzz_sync_view(f, view);	/* what the table holds now (earlier workloads) */
	r->fz = f;
	return 0;
}

/*
 * DMA samples: through an entry the model has mapped RW, the device reads
 * its page and writes it back (the page must get the bytes again, so both
 * went to that page); through an entry unmapped since it mapped a page, a
 * write must not reach that page.
 */
static void fuzz_dma(struct run_ctx *r)
{
	struct fuzz_dma s[FUZZ_DMA_MAPPED + FUZZ_DMA_UNMAPPED];
	unsigned int n = fuzz_dma_pick(r->fz, s), i;
	uint8_t want[DMA_LEN], *src = NULL;
	uint64_t src_iova = 0;

	for (i = 0; i < n; i++) {
		uint8_t *page = r->vm->mem + s[i].gpa;
		unsigned int seed = (unsigned int)(r->fz->res->dma_passed +
						   r->fz->res->dma_failed) * 7 + i;
		const char *why = NULL;

		if (s[i].mapped) {
			edu_fill(page, DMA_LEN, seed);
			memcpy(want, page, DMA_LEN);
			if (edu_dma_from_ram(&r->edu, s[i].iova, DMA_LEN)) {
				why = "the device's read through it did not complete";
			} else {
				memset(page, 0, DMA_LEN);
				if (edu_dma_to_ram(&r->edu, s[i].iova, DMA_LEN))
					why = "the device's write through it did not complete";
				else if (memcmp(page, want, DMA_LEN))
					why = "the bytes did not come back into the page: the device reached another one";
			}
			if (!why) {
				src = page;
				src_iova = s[i].iova;
			}
		} else if (!edu_roundtrip_stays_out(&r->edu, src ? src : r->vm->mem + MV_GPA_SCRATCH,
						    page, src ? src_iova : s[i].iova, s[i].iova,
						    DMA_LEN, seed)) {
			why = "a device write through the unmapped entry reached the page it last mapped";
		}
		if (fuzz_dma_result(r->fz, &s[i], !why, why))
			break;
	}
}

/*
 * The racer: the guest's second vCPU, which rewrites the raced call's list
 * while the first makes the batch (struct mv_race). On a host of more than
 * one CPU the two vCPUs run at once (powernv9 in the lab); on powernv8's
 * one CPU only preemption interleaves them, and never inside real mode.
 */
static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static struct mv_race *race_box(struct run_ctx *r)
{
	return (struct mv_race *)(r->vm->mem + MV_GPA_RACE);
}

/* Until the second vCPU set *field to seq: 0, or -1 after 10 s */
static int racer_wait(uint64_t *field, uint64_t seq)
{
	uint64_t t0 = mono_ns();

	while (__atomic_load_n(field, __ATOMIC_ACQUIRE) != seq) {
		if (mono_ns() - t0 > 10000000000ULL)
			return -1;
		sched_yield();	/* one host CPU: let the other vCPU run */
	}
	return 0;
}

/* Starts the racer on call c's list; returns once it rewrote it once */
static int racer_start(struct run_ctx *r, const struct fuzz_call *c)
{
	struct mv_race *m = race_box(r);
	uint64_t seq = m->seq + 1;

	fuzz_race_arm(c, m);
	m->seq = seq;
	__atomic_store_n(&m->state, MV_RACE_STATE(seq, MV_RACE_GO), __ATOMIC_RELEASE);
	r->racer_on = 1;
	return racer_wait(&m->started, seq);
}

/* Stops the racer and waits until it stopped writing: 0, or -1 */
static int racer_end(struct run_ctx *r)
{
	struct mv_race *m;
	uint64_t seq;

	if (!r->racer_on)
		return 0;
	m = race_box(r);
	seq = m->seq;
	__atomic_store_n(&m->state, MV_RACE_STATE(seq, MV_RACE_STOP), __ATOMIC_RELEASE);
	r->racer_on = 0;
	return racer_wait(&m->ack, seq);
}

/*
 * MV_H_FUZZ_BATCH: the guest made the script's calls (r5 of them); check
 * them, make the DMA samples when due, write the next script, answer its
 * length in r4 (0: over, or stopped at a disagreement).
 */
static int on_fuzz_batch(struct run_ctx *r, struct mvcpu *c)
{
	struct kvm_run *run = c->run;
	uint64_t idx = run->papr_hcall.args[0], made = run->papr_hcall.args[1];
	struct mv_fuzz_call *script = (struct mv_fuzz_call *)(r->vm->mem + r->fuzz_script);
	struct fuzz *f = r->fz;
	const struct fuzz_call *raced;
	uint64_t t0, t1, t2;
	unsigned int n;
	int bad = 0;

	/* the batch was made: its list stays as it is now */
	if (racer_end(r)) {
		c->error = "fuzz: the second vCPU did not stop rewriting the list";
		return -1;
	}
	run->papr_hcall.ret = H_SUCCESS;
	run->papr_hcall.args[0] = 0;
	if (r->fuzz_plan < 0 || idx != (uint64_t)r->fuzz_plan) {
		run->papr_hcall.ret = H_PARAMETER;	/* not the fuzz workload's */
		return 0;
	}
	if (!f) {
		if (made || fuzz_start(r)) {
			c->error = "the fuzz workload could not start";
			return -1;
		}
		f = r->fz;
		r->fuzz_t0 = mono_ns();
	} else if (made != f->n) {
		fprintf(stderr, "minivmm: %s: fuzz: the guest made %llu calls of a script of %u\n",
			path_names[r->path], (unsigned long long)made, f->n);
		c->error = "the fuzz guest did not make its script";
		return -1;
	}
	t0 = mono_ns();
	if (f->n)
		bad = fuzz_check_batch(f, script, path_view(r));
	t1 = mono_ns();
	if (f->n && !bad && r->have_edu && fuzz_dma_due(f, f->generated >= f->total))
		fuzz_dma(r);
	t2 = mono_ns();
	if (f->stopped && !r->pr->error[0])
		snprintf(r->pr->error, sizeof(r->pr->error), "fuzz: %s", f->res->stopped);
	n = fuzz_next_batch(f);
	if (n)
		fuzz_write_batch(f, script, r->vm->mem);
	raced = n ? fuzz_raced_call(f) : NULL;
	if (raced && racer_start(r, raced)) {
		c->error = "fuzz: the second vCPU did not start rewriting the list";
		return -1;
	}
	if (!n)	/* the fuzz is over: so is the second vCPU's part */
		__atomic_store_n(&race_box(r)->state,
				 MV_RACE_STATE(race_box(r)->seq, MV_RACE_DONE), __ATOMIC_RELEASE);
	f->res->check_ns += t1 - t0;
	f->res->dma_ns += t2 - t1;
	f->res->gen_ns += mono_ns() - t2;
	f->res->wall_ns = mono_ns() - r->fuzz_t0;
	run->papr_hcall.args[0] = n;
	return 0;
}

static int on_mark(void *ctx, struct mvcpu *c, uint64_t idx, uint64_t kind,
		   uint64_t arg)
{
	struct run_ctx *r = ctx;
	struct wl_result *w;

	if (idx >= r->nplan)
		return -1;
	w = &r->pr->wl[r->plan_wl[idx]];
	switch (kind) {
	case MV_MARK_WORKLOAD_START: {
		uint64_t kb = vm_locked_kb();

		if (kb > r->b->locked_kb_peak)
			r->b->locked_kb_peak = kb;
		r->mark_exits[c->id] = c->tce_exits + c->null_exits;
		if (r->use_kstats &&
		    (kvm_stats_get(&r->kstats, "tce_iommu_rm", &r->k_rm0) ||
		     kvm_stats_get(&r->kstats, "tce_iommu_vm", &r->k_vm0)))
			r->use_kstats = 0;
		return 0;
	}
	case MV_MARK_WORKLOAD_DONE:
		w->user_exits += c->tce_exits + c->null_exits - r->mark_exits[c->id];
		if (r->use_kstats) {
			uint64_t rm, vm;

			if (!kvm_stats_get(&r->kstats, "tce_iommu_rm", &rm) &&
			    !kvm_stats_get(&r->kstats, "tce_iommu_vm", &vm)) {
				w->kernel_rm += rm - r->k_rm0;
				w->kernel_vm += vm - r->k_vm0;
				w->has_kstats = 1;
			}
		}
		return 0;
	case MV_MARK_SAMPLES_MAPPED:
		if (arg != H_SUCCESS)
			w->dma_failed += 2;	/* the guest could not even map them */
		else if (r->have_edu)
			dma_checks(r, w, (unsigned int)idx);
		return 0;
	}
	return -1;
}

/* ---- paths -------------------------------------------------------------- */

static int kvm_table_setup(struct run_ctx *r, int with_vfio)
{
	struct kvm_create_spapr_tce_64 t = {
		.liobn = LIOBN, .page_shift = 12,
		.offset = r->win_start / PAGE, .size = r->entries,
	};

	if (mvm_enable_hcall(r->vm, H_PUT_TCE_INDIRECT) ||
	    mvm_enable_hcall(r->vm, H_STUFF_TCE)) {
		snprintf(r->fail, sizeof(r->fail), "KVM_CAP_PPC_ENABLE_HCALL: %s", strerror(errno));
		return -1;
	}
	if (with_vfio) {
		struct vfio_iommu_type1_dma_map map = {
			.argsz = sizeof(map), .flags = VFIO_DMA_MAP_FLAG_READ,
			.vaddr = (uintptr_t)r->vm->mem, .iova = r->win_start,
			.size = PAGE,
		};
		struct vfio_iommu_type1_dma_unmap unmap = {
			.argsz = sizeof(unmap), .iova = r->win_start, .size = PAGE,
		};
		struct kvm_create_device cd = { .type = KVM_DEV_TYPE_VFIO };
		struct kvm_device_attr attr = {
			.group = KVM_DEV_VFIO_FILE, .attr = KVM_DEV_VFIO_FILE_ADD,
			.addr = (uintptr_t)&r->group,
		};

		/* the first MAP_DMA creates the default window KVM attaches to */
		if (ioctl(r->container, VFIO_IOMMU_MAP_DMA, &map) ||
		    ioctl(r->container, VFIO_IOMMU_UNMAP_DMA, &unmap)) {
			snprintf(r->fail, sizeof(r->fail), "creating the default DMA window: %s",
				 strerror(errno));
			return -1;
		}
		if (ioctl(r->vm->fd, KVM_CREATE_DEVICE, &cd) < 0) {
			snprintf(r->fail, sizeof(r->fail), "KVM_CREATE_DEVICE(VFIO): %s", strerror(errno));
			return -1;
		}
		r->kvmdev = cd.fd;
		if (ioctl(r->kvmdev, KVM_SET_DEVICE_ATTR, &attr) < 0) {
			snprintf(r->fail, sizeof(r->fail), "KVM_DEV_VFIO_FILE_ADD: %s", strerror(errno));
			return -1;
		}
	}
	r->tfd = ioctl(r->vm->fd, KVM_CREATE_SPAPR_TCE_64, &t);
	if (r->tfd < 0) {
		snprintf(r->fail, sizeof(r->fail), "KVM_CREATE_SPAPR_TCE_64: %s", strerror(errno));
		return -1;
	}
	r->kvm_table_len = (r->entries * 8 + 65535) & ~65535ULL;
	r->kvm_table = mmap(NULL, r->kvm_table_len, PROT_READ, MAP_SHARED, r->tfd, 0);
	if (with_vfio) {
		struct kvm_vfio_spapr_tce st = { .groupfd = r->group, .tablefd = r->tfd };
		struct kvm_device_attr attr = {
			.group = KVM_DEV_VFIO_GROUP,
			.attr = KVM_DEV_VFIO_GROUP_SET_SPAPR_TCE,
			.addr = (uintptr_t)&st,
		};

		if (ioctl(r->kvmdev, KVM_SET_DEVICE_ATTR, &attr) < 0) {
			snprintf(r->fail, sizeof(r->fail), "KVM_DEV_VFIO_GROUP_SET_SPAPR_TCE: %s",
				 strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* KVM_CREATE_SPAPR_TCE_IOMMU: the LIOBN bound to the group in one step */
static int iommu_setup(struct run_ctx *r)
{
#ifdef KVM_CAP_SPAPR_TCE_IOMMU
	struct kvm_create_spapr_tce_iommu t = {
		.liobn = LIOBN, .groupfd = r->group, .page_shift = r->shift,
		.offset = r->win_start >> r->shift, .size = r->entries,
	};

	if (r->group < 0) {
		snprintf(r->fail, sizeof(r->fail), "the iommu path needs --vfio");
		return -1;
	}
	r->tfd = ioctl(r->vm->fd, KVM_CREATE_SPAPR_TCE_IOMMU, &t);
	if (r->tfd < 0) {
		snprintf(r->fail, sizeof(r->fail), "KVM_CREATE_SPAPR_TCE_IOMMU: %s",
			 strerror(errno));
		return -1;
	}
	r->kvm_table_len = (r->entries * 8 + 65535) & ~65535ULL;
	r->kvm_table = mmap(NULL, r->kvm_table_len, PROT_READ, MAP_SHARED, r->tfd, 0);
	return 0;
#else
	snprintf(r->fail, sizeof(r->fail), "built without KVM_CAP_SPAPR_TCE_IOMMU");
	return -1;
#endif
}

static void path_teardown(struct run_ctx *r)
{
	r->racer_on = 0;	/* the VM is over: nothing writes any more */
	if (r->fz) {
		fuzz_free(r->fz);
		free(r->fz);
		r->fz = NULL;
	}
	mv_tce_init_none(&r->tce);	/* its view goes now */
	if (r->kvm_table != MAP_FAILED)
		munmap(r->kvm_table, r->kvm_table_len);
	r->kvm_table = MAP_FAILED;
	if (r->tfd >= 0)
		close(r->tfd);
	if (r->kvmdev >= 0)
		close(r->kvmdev);
	r->tfd = r->kvmdev = -1;
	vfio_teardown(r);
	free(r->table);
	r->table = NULL;
}

/* ---- one VM ------------------------------------------------------------- */

static int has_fuzz(const struct options *o)
{
	unsigned int k;

	for (k = 0; k < o->nwl; k++)
		if (o->wl[k].id == MV_WL_FUZZ)
			return 1;
	return 0;
}

static int wl_is_mt(unsigned int id)
{
	return id == MV_WL_PUT_MT || id == MV_WL_PUT_SHARED;
}

static uint64_t samples_per_vcpu(const struct options *o, unsigned int id,
				 uint64_t entries)
{
	if (id == MV_WL_MAP_WINDOW)
		return (entries - SAMPLE_ENTRIES + 511) / 512 + 1;
	if (id == MV_WL_FUZZ)	/* no samples: the script, as many u32 */
		return MV_FUZZ_BATCH_MAX * sizeof(struct mv_fuzz_call) / 4;
	return o->calls;
}

static int run_vm(struct bench *b, enum mv_path path, int mt, int kvm_fd)
{
	const struct options *o = b->o;
	struct path_result *pr = &b->path[path];
	/* the fuzz's VM has a second vCPU, which rewrites raced lists */
	unsigned int nvcpus = mt ? o->vcpus : path != PATH_FLOOR && has_fuzz(o) ? 2 : 1;
	unsigned int tce_vcpus = mt ? nvcpus : 1;	/* that make TCE calls */
	uint32_t plan[MV_PLAN_HDR_CELLS + MAX_PLAN * MV_PLAN_CELLS];
	uint64_t samples_off = 0x10000;
	unsigned int slot = 0, timeout = RUN_TIMEOUT;
	struct fdt_params fp = { 0 };
	struct run_ctx r;
	const char *why = NULL;
	unsigned int i, k;
	int ret = -1, use_vfio;
	void *fdt;

	ctx_init(&r);
	r.b = b;
	r.path = path;
	r.pr = pr;
	r.vm = mvm_create(kvm_fd, o->pr ? KVM_VM_PPC_PR : KVM_VM_PPC_HV, o->ram,
			  nvcpus, o->hugepages, &why);
	if (!r.vm) {
		snprintf(pr->error, sizeof(pr->error), "%s: %s", why, strerror(errno));
		return -1;
	}
	r.vm->quiet = o->quiet;
	r.vm->hcall = on_hcall;
	r.vm->mark = on_mark;
	r.vm->ctx = &r;
	r.shift = o->ddw_shift ? o->ddw_shift : MV_TCE_SHIFT;
	r.iopage = 1ULL << r.shift;
	r.entries = o->window >> r.shift;

	use_vfio = o->vfio && (path == PATH_USER || path == PATH_KVM_VFIO ||
			       path == PATH_IOMMU);
	if (use_vfio && vfio_setup(&r))
		goto out;
	if (path == PATH_USER) {
		r.table = calloc(r.entries, sizeof(*r.table));
		if (!r.table) {
			snprintf(r.fail, sizeof(r.fail), "no memory for the table");
			goto out;
		}
		if (mv_tce_init_user(&r.tce, LIOBN, r.win_start, r.entries, r.table,
				     r.vm->mem, r.vm->ram, r.container >= 0 ? vfio_map : NULL,
				     r.container >= 0 ? vfio_unmap : NULL, &r)) {
			snprintf(r.fail, sizeof(r.fail), "the userspace TCE table's window");
			goto out;
		}
	} else if (path == PATH_KVM_TABLE || path == PATH_KVM_VFIO) {
		if (kvm_table_setup(&r, path == PATH_KVM_VFIO))
			goto out;
	} else if (path == PATH_IOMMU) {
		if (iommu_setup(&r))
			goto out;
		/* VM-wide counters: exact per workload with one vCPU only */
		r.use_kstats = tce_vcpus == 1 && !kvm_stats_open(r.vm->fd, &r.kstats);
	}
	if (r.tfd >= 0 &&
	    mv_tce_init_kernel(&r.tce, LIOBN, r.win_start, r.entries,
			       r.kvm_table != MAP_FAILED ? r.kvm_table : NULL, r.vm->mem,
			       r.vm->ram)) {
		snprintf(r.fail, sizeof(r.fail), "the KVM TCE table's window");
		goto out;
	}

	/* the plan */
	for (i = 0, k = 0; i <= o->nwl; i++) {
		unsigned int id, batch, w = i;
		uint32_t *e = plan + MV_PLAN_HDR_CELLS + k * MV_PLAN_CELLS;
		uint64_t stride, calls;
		unsigned int ev;	/* the entry's vCPUs */

		if (path == PATH_FLOOR) {
			if (i > 0 || mt)
				break;
			id = MV_WL_FLOOR;
			batch = b->floor_hcall;
			w = MAX_WORKLOADS;
		} else {
			if (i == o->nwl)
				break;
			id = o->wl[i].id;
			batch = o->wl[i].batch;
			if (wl_is_mt(id) != mt)
				continue;
		}
		calls = id == MV_WL_MAP_WINDOW ? 1 : o->calls;
		ev = mt || id == MV_WL_FUZZ ? nvcpus : 1;
		stride = (samples_per_vcpu(o, id, r.entries) * 4 + PAGE - 1) & ~(PAGE - 1);
		if (samples_off + stride * ev > MV_RESULTS_MAX ||
		    slot + ev > MV_MAX_RESULTS) {
			snprintf(r.fail, sizeof(r.fail), "--calls too large for the results area");
			goto out;
		}
		e[0] = id;
		e[1] = (uint32_t)calls;
		e[2] = batch;
		e[3] = ev;
		e[4] = (uint32_t)(samples_off >> 32);
		e[5] = (uint32_t)samples_off;
		e[6] = (uint32_t)stride;
		e[7] = slot;
		r.plan_wl[k] = (int)w;
		if (id == MV_WL_FUZZ) {
			r.fuzz_plan = (int)k;
			r.fuzz_script = MV_GPA_RESULTS + samples_off;
			/* a slow path may take ~10 ms per call under TCG */
			timeout += o->calls / 100;
		}
		samples_off += stride * ev;
		slot += ev;
		k++;
	}
	r.nplan = k;
	if (!k && !o->guest) {
		ret = 0;
		goto out;
	}
	plan[0] = MV_PLAN_VERSION;
	plan[1] = k;
	plan[2] = r.have_edu ? MV_PLAN_F_DMA_SAMPLES : 0;

	fp.ram = o->ram;
	fp.nvcpus = nvcpus;
	fp.liobn = LIOBN;
	fp.win_start = r.win_start;
	fp.win_size = o->window;
	fp.win_shift = o->ddw_shift;
	fp.plan = plan;
	fp.plan_cells = MV_PLAN_HDR_CELLS + k * MV_PLAN_CELLS;
	fp.results = MV_GPA_RESULTS;
	fp.results_size = MV_RESULTS_MAX;
	fp.scratch = MV_GPA_SCRATCH + 4 * r.iopage;
	fp.scratch_size = o->ram - MV_GPA_SCRATCH - 4 * r.iopage;
	fp.sample_src = MV_GPA_SCRATCH;
	fp.sample_dst = MV_GPA_SCRATCH + r.iopage;
	fp.lists = MV_GPA_LISTS;
	fdt = r.vm->mem + MV_GPA_FDT;
	if (build_fdt(fdt, MV_FDT_MAX, &fp)) {
		snprintf(r.fail, sizeof(r.fail), "building the device tree failed");
		goto out;
	}
	mvm_install_vectors(r.vm);
	if (mvm_load_elf(r.vm, b->guest, b->guest_len, &why)) {
		snprintf(r.fail, sizeof(r.fail), "guest image: %s", why);
		goto out;
	}
	if (mvm_run(r.vm, MV_GPA_FDT, timeout, &why)) {
		snprintf(r.fail, sizeof(r.fail), "%s", why);
		goto out;
	}
	if (r.fuzz_plan >= 0)
		pr->fz.race_rounds += race_box(&r)->rounds;

	for (i = 0; i < nvcpus; i++) {
		if (r.vm->vcpu[i].status) {
			snprintf(r.fail, sizeof(r.fail), "the guest stopped with status %lld",
				 (long long)r.vm->vcpu[i].status);
			goto out;
		}
	}
	/* results */
	{
		struct mv_results *res = (struct mv_results *)(r.vm->mem + MV_GPA_RESULTS);

		if (o->guest && res->magic != MV_RESULTS_MAGIC) {
			/* another guest: it ran and stopped well; count its exits */
			pr->foreign = 1;
			for (i = 0; i < nvcpus; i++)
				pr->foreign_tce_exits += r.vm->vcpu[i].tce_exits;
			ret = 0;
			goto out;
		}
		if (res->magic != MV_RESULTS_MAGIC) {
			snprintf(r.fail, sizeof(r.fail), "the guest left no results");
			goto out;
		}
		for (i = 0; i < k; i++) {
			uint32_t *e = plan + MV_PLAN_HDR_CELLS + i * MV_PLAN_CELLS;
			struct wl_result *w = &pr->wl[r.plan_wl[i]];
			uint64_t off = (uint64_t)e[4] << 32 | e[5], total = w->nsamples, v;
			uint32_t *all = realloc(w->samples, (w->nsamples + e[6] / 4 * e[3] + 1) *
						sizeof(*all));

			if (!all) {
				snprintf(r.fail, sizeof(r.fail), "no memory for the samples");
				goto out;
			}
			w->samples = all;	/* pooled over the rounds */
			for (v = 0; v < e[3]; v++) {
				struct mv_result *m = &res->r[e[7] + v];
				uint64_t ns = m->nsamples < e[6] / 4 ? m->nsamples : e[6] / 4;

				memcpy(all + total, r.vm->mem + MV_GPA_RESULTS + off + v * e[6],
				       ns * 4);
				total += ns;
				w->calls += m->calls;
				w->tces += m->tces;
				if (m->status && !w->status)
					w->status = m->status;
			}
			w->nsamples = total;
			w->ran = 1;
			if (w->status && !pr->error[0])
				snprintf(pr->error, sizeof(pr->error), "%s: hypercall returned %lld",
					 path == PATH_FLOOR ? "floor" : o->wl[r.plan_wl[i]].name,
					 (long long)w->status);
		}
	}
	if (path == PATH_IOMMU && r.tfd >= 0) {
		pr->binding_bytes = fdinfo_get(r.tfd, "bytes");
		pr->view_pages = fdinfo_get(r.tfd, "view_pages");
		pr->view_pages_max = fdinfo_get(r.tfd, "view_pages_max");
		pr->table_levels = r.ddw_levels;
	}
	ret = 0;
out:
	if (r.fail[0] && !pr->error[0])
		snprintf(pr->error, sizeof(pr->error), "%s", r.fail);
	if (r.kstats.fd >= 0)
		kvm_stats_close(&r.kstats);
	path_teardown(&r);
	mvm_destroy(r.vm);
	return ret;
}

static int path_supported(struct bench *b, enum mv_path p, int kvm_fd)
{
	struct path_result *pr = &b->path[p];

	if ((p == PATH_KVM_VFIO || p == PATH_IOMMU) && !b->o->vfio) {
		snprintf(pr->unsupported, sizeof(pr->unsupported), "needs a device: --vfio");
		return 0;
	}
	if ((p == PATH_KVM_TABLE || p == PATH_KVM_VFIO) &&
	    ioctl(kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_SPAPR_TCE_64) <= 0) {
		snprintf(pr->unsupported, sizeof(pr->unsupported),
			 "the running kernel lacks KVM_CAP_SPAPR_TCE_64");
		return 0;
	}
	if (p == PATH_KVM_VFIO &&
	    ioctl(kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_SPAPR_TCE_VFIO) <= 0) {
		snprintf(pr->unsupported, sizeof(pr->unsupported),
			 "the running kernel lacks KVM_CAP_SPAPR_TCE_VFIO");
		return 0;
	}
	if (p == PATH_IOMMU) {
#ifdef KVM_CAP_SPAPR_TCE_IOMMU
		if (ioctl(kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_SPAPR_TCE_IOMMU) <= 0) {
			snprintf(pr->unsupported, sizeof(pr->unsupported),
				 "the running kernel lacks KVM_CAP_SPAPR_TCE_IOMMU");
			return 0;
		}
#else
		snprintf(pr->unsupported, sizeof(pr->unsupported),
			 "the running kernel lacks KVM_CAP_SPAPR_TCE_IOMMU");
		return 0;
#endif
	}
	return 1;
}

/* The group must exist, be viable and free before anything runs. */
static int vfio_precheck(const char *dev, char *err, size_t len)
{
	char node[64];
	int g = vfio_group_open_viable(dev, node, sizeof(node), NULL, 0, err, len);

	if (g < 0)
		return -1;
	close(g);
	return 0;
}

/*
 * POWER8 serves H_SET_DABR in real mode, the cheapest round trip there is.
 * Later CPUs have no DABR (KVM answers H_HARDWARE): H_PROD of the calling
 * vCPU is their cheapest in-kernel call.
 */
static unsigned int floor_hcall(void)
{
	char line[256];
	unsigned int nr = H_PROD;
	FILE *f = fopen("/proc/cpuinfo", "r");

	if (!f)
		return nr;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "cpu", 3) && strstr(line, "POWER8"))
			nr = H_SET_DABR;
	fclose(f);
	return nr;
}

int bench_run(struct bench *b, char *err, size_t len)
{
	int kvm_fd, p, failed = 0;
	unsigned int i, round;

	kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm_fd < 0) {
		snprintf(err, len, "/dev/kvm: %s", strerror(errno));
		return 2;
	}
	if (b->o->vfio && vfio_precheck(b->o->vfio, err, len)) {
		close(kvm_fd);
		return 2;
	}
	for (p = 0; p < NR_PATHS; p++) {
		if (!(b->o->paths & (1u << p)) || !b->o->paths_explicit ||
		    path_supported(b, p, kvm_fd))
			continue;
		snprintf(err, len, "path %s: %s", path_names[p], b->path[p].unsupported);
		close(kvm_fd);
		return 2;
	}
	for (p = 0; p < NR_PATHS; p++)
		b->path[p].binding_bytes = b->path[p].view_pages =
			b->path[p].view_pages_max = -1;
	b->locked_kb_before = vm_locked_kb();
	b->pins_before = pins_steady();
	b->floor_hcall = floor_hcall();
	/*
	 * Path after path, round after round: whatever drifts during the run
	 * (the emulator's code cache, the host's load) falls on every path.
	 */
	for (round = 0; round < b->o->rounds; round++) {
		for (p = 0; p < NR_PATHS; p++) {
			struct path_result *pr = &b->path[p];

			if (!(b->o->paths & (1u << p)) || pr->error[0])
				continue;
			if (!path_supported(b, p, kvm_fd))
				continue;
			pr->ran = 1;
			if (b->o->guest)	/* another guest: one VM, --vcpus vCPUs */
				run_vm(b, p, 1, kvm_fd);
			else if (run_vm(b, p, 0, kvm_fd) == 0 && p != PATH_FLOOR &&
				 !pr->error[0])
				run_vm(b, p, 1, kvm_fd);
			if (pr->error[0]) {
				fprintf(stderr, "minivmm: %s: %s\n", path_names[p], pr->error);
				failed = 1;
			}
		}
		if (b->o->guest)
			break;
	}
	for (p = 0; p < NR_PATHS; p++) {
		for (i = 0; i <= MAX_WORKLOADS; i++) {
			struct wl_result *w = &b->path[p].wl[i];

			if (w->dma_failed)
				failed = 1;
			stats_compute(w->samples, w->nsamples, b->tb_hz, &w->st);
			free(w->samples);
			w->samples = NULL;
		}
	}
	close(kvm_fd);
	b->locked_kb_after = vm_locked_kb();
	if (b->locked_kb_after != b->locked_kb_before) {
		fprintf(stderr, "minivmm: locked memory went from %llu kB to %llu kB\n",
			(unsigned long long)b->locked_kb_before,
			(unsigned long long)b->locked_kb_after);
		failed = 1;
	}
	/* every pin of every path given back (v2: the preregistered memory's) */
	b->pins_after = b->pins_before < 0 ? -1 : pins_settle(b->pins_before, PINS_WAIT_MS);
	if (b->pins_after != b->pins_before) {
		fprintf(stderr, "minivmm: pinned pages went from %ld to %ld\n",
			b->pins_before, b->pins_after);
		failed = 1;
	}
	return failed;
}
