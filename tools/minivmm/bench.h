/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MINIVMM_BENCH_H
#define MINIVMM_BENCH_H

#include <stdint.h>

#include "fuzz.h"
#include "options.h"
#include "stats.h"

struct wl_result {
	int ran;
	struct stats st;
	uint32_t *samples;		/* every round's, until bench_run() ends */
	uint64_t nsamples;
	uint64_t calls;
	uint64_t tces;
	uint64_t user_exits;
	int64_t status;
	unsigned int dma_passed, dma_failed;
	int has_kstats;			/* kernel_rm/vm from KVM's counters */
	uint64_t kernel_rm, kernel_vm;
};

struct path_result {
	int ran;
	char unsupported[160];	/* non-empty: the path could not run here */
	char error[160];	/* non-empty: it ran and failed */
	int foreign;		/* --guest: a guest without minivmm's results */
	uint64_t foreign_tce_exits;	/* its TCE hypercalls that reached minivmm */
	struct wl_result wl[MAX_WORKLOADS + 1];	/* + the floor */
	struct fuzz_result fz;			/* the fuzz workload's findings */
	/* iommu: the binding's fdinfo at the end of its last VM (-1: none) */
	long long binding_bytes, view_pages, view_pages_max;
	unsigned int table_levels;		/* --ddw: its table's levels */
};

struct bench {
	const struct options *o;
	uint64_t locked_kb_before, locked_kb_after;	/* VmLck of minivmm itself */
	long pins_before, pins_after;	/* FOLL_PIN pins of the machine; -1: unknown */
	uint64_t locked_kb_peak;			/* seen at workload starts */
	unsigned int floor_hcall;			/* H_SET_DABR or H_PROD */
	uint64_t tb_hz;
	const void *guest;
	size_t guest_len;
	struct path_result path[NR_PATHS];
};

#include <stddef.h>

/*
 * Runs every selected path: 0; 1 when a DMA check or a run failed; 2 when
 * it could not start (no /dev/kvm, a bad group, a path asked for by name
 * that this kernel lacks), with the reason in err.
 */
int bench_run(struct bench *b, char *err, size_t len);
void bench_print(const struct bench *b);
int bench_json(const struct bench *b, const char *file);

#endif
