/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What minivmm and its guest agree on (see Documentation/minivmm.md):
 * private hypercall numbers, the benchmark plan in /chosen, the results
 * area in guest memory. Freestanding: the guest includes it too.
 */
#ifndef MINIVMM_ABI_H
#define MINIVMM_ABI_H

#include <stdint.h>

/* Private hypercalls: KVM passes numbers it does not know to the VMM. */
#define MV_H_DONE	0x6000	/* r4: guest status; the vCPU is finished */
#define MV_H_MARK	0x6001	/* r4: plan index, r5: MV_MARK_* */
#define MV_H_FAULT	0x6002	/* r4: vector, r5: SRR0, r6: SRR1 (from the stubs) */
#define MV_H_NULL	0x6003	/* does nothing: the bare exit-and-reenter cost */
/*
 * The fuzz workload: r4 plan index, r5 calls of the script the guest just
 * made (0 at the start). minivmm checks them, writes the next script and
 * answers r3 H_SUCCESS, r4 its number of calls (0: the workload is over).
 */
#define MV_H_FUZZ_BATCH	0x6004

#define MV_MARK_WORKLOAD_DONE	0	/* the workload's timed calls are over */
#define MV_MARK_SAMPLES_MAPPED	1	/* the DMA sample IOVAs are in place */
#define MV_MARK_WORKLOAD_START	2	/* the workload's timed calls begin */

enum mv_workload {
	MV_WL_PUT = 1,		/* H_PUT_TCE map + unmap pairs across the window */
	MV_WL_INDIRECT,		/* H_PUT_TCE_INDIRECT batches of `batch` TCEs */
	MV_WL_STUFF,		/* H_STUFF_TCE of `batch` entries */
	MV_WL_GET,		/* H_GET_TCE */
	MV_WL_MAP_WINDOW,	/* INDIRECT 512 over the whole window, STUFF it clear */
	MV_WL_RANDOM,		/* H_PUT_TCE at pseudo-random entries */
	MV_WL_PUT_MT,		/* PUT pairs, each vCPU on its own range */
	MV_WL_PUT_SHARED,	/* PUT pairs, every vCPU over the same range */
	MV_WL_FLOOR,		/* the cheapest in-kernel hypercall; batch = its number */
	MV_WL_NULL,		/* MV_H_NULL: exits, minivmm re-enters at once */
	MV_WL_FUZZ,		/* scripts of random TCE hypercalls, checked by minivmm */
};

/*
 * /chosen "minivmm,plan": big-endian u32 cells. Header: MV_PLAN_VERSION,
 * number of entries, flags. Then MV_PLAN_CELLS cells per entry.
 */
#define MV_PLAN_VERSION		1
#define MV_PLAN_HDR_CELLS	3
#define MV_PLAN_CELLS		8
#define MV_PLAN_F_DMA_SAMPLES	0x1	/* map the sample IOVAs after each workload */

struct mv_plan_entry {
	uint32_t id;		/* enum mv_workload */
	uint32_t calls;		/* timed hypercalls, per vCPU */
	uint32_t batch;		/* TCEs per INDIRECT/STUFF call */
	uint32_t nvcpus;	/* vCPUs taking part (the MT workloads) */
	uint64_t samples;	/* offset in the results area of vCPU 0's samples */
	uint32_t stride;	/* bytes between two vCPUs' sample arrays */
	uint32_t slot;		/* first result record (one per vCPU) */
};

/*
 * /chosen "minivmm,results": <addr-hi addr-lo size-hi size-lo>.
 * /chosen "minivmm,scratch": guest pages TCEs may point at, same format.
 * /chosen "minivmm,samples": <src-hi src-lo dst-hi dst-lo> DMA sample pages.
 * /chosen "minivmm,lists": base of one 4 KiB TCE list page per vCPU.
 */
#define MV_RESULTS_MAGIC	0x4d565231	/* "MVR1" */
#define MV_MAX_RESULTS		64

struct mv_result {
	uint32_t id;
	uint32_t vcpu;
	int64_t status;		/* H_SUCCESS, or the first failing return */
	uint64_t calls;		/* timed hypercalls made */
	uint64_t tces;		/* TCEs those calls covered */
	uint64_t ticks;		/* timebase ticks over the timed calls */
	uint64_t nsamples;	/* u32 tick counts at the plan's sample offset */
};

struct mv_results {
	uint32_t magic;
	uint32_t nresults;
	struct mv_result r[MV_MAX_RESULTS];
};

/*
 * The fuzz workload's script, at the plan entry's `samples` offset in the
 * results area: up to MV_FUZZ_BATCH_MAX calls, which the guest makes in
 * order (r3 = nr, r4..r7 = arg), storing r3 into ret and r4 into r4.
 * CPU byte order (minivmm and its guest are both little-endian).
 */
#define MV_FUZZ_BATCH_MAX	64

struct mv_fuzz_call {
	uint64_t nr;
	uint64_t arg[4];
	uint64_t ret;		/* r3 after the call */
	uint64_t r4;		/* r4 after the call */
	uint64_t ticks;		/* the call's timebase ticks, as the guest saw them */
};

/*
 * The fuzz workload's second vCPU: while the first makes a batch whose
 * last call is a raced INDIRECT, it rewrites that call's list (n entries
 * at guest physical `list`) from a[] and b[] in turn, 8 bytes a store,
 * until minivmm asks it to stop (state STOP) and it answers with ack =
 * seq; it sets started = seq once it rewrote the list a first time, which
 * minivmm waits for before the first vCPU goes on (so that the rewriting
 * overlaps the batch even on a host of one CPU). DONE: the fuzz is over,
 * the vCPU leaves. The kind and its seq are one word, so that a STOP is
 * never answered for a GO that follows it. At MV_GPA_RACE, CPU byte
 * order but for a[] and b[] (big-endian TCEs, as stored).
 */
enum {
	MV_RACE_IDLE,
	MV_RACE_GO,
	MV_RACE_STOP,
	MV_RACE_DONE,
};

#define MV_RACE_STATE(seq, kind)	((uint64_t)(seq) << 8 | (kind))
#define MV_RACE_KIND(state)		((state) & 0xff)
#define MV_RACE_SEQ(state)		((state) >> 8)

struct mv_race {
	uint64_t state;		/* MV_RACE_STATE(seq, kind): one word */
	uint64_t seq;		/* minivmm: of the last GO */
	uint64_t started;	/* the guest: the seq it rewrote once */
	uint64_t ack;		/* the guest: the seq it stopped */
	uint64_t rounds;	/* the guest: lists rewritten */
	uint64_t list;
	uint64_t n;
	uint64_t a[512], b[512];
};

/* Guest memory map of the built-in guest (guest physical addresses). */
#define MV_GPA_VECTORS		0x0ULL
#define MV_GPA_FDT		0x100000ULL
#define MV_FDT_MAX		0x10000U
#define MV_GPA_IMAGE		0x400000ULL
#define MV_GPA_STACKS		0x800000ULL	/* 64 KiB per vCPU, top down */
#define MV_STACK_SIZE		0x10000ULL
#define MV_GPA_LISTS		0x1000000ULL	/* 4 KiB TCE list page per vCPU */
#define MV_GPA_FUZZ_LISTS	0x1100000ULL	/* MV_FUZZ_BATCH_MAX list pages (fuzz) */
#define MV_GPA_RACE		0x1180000ULL	/* struct mv_race (fuzz) */
#define MV_GPA_RESULTS		0x2000000ULL
#define MV_RESULTS_MAX		0x2000000ULL
#define MV_GPA_SCRATCH		0x4000000ULL
#define MV_MAX_VCPUS		8

#endif
