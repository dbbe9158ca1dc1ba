/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Integer statistics over per-call timings. No floating point: minivmm keeps
 * none live across KVM_RUN (KVM-HV can hand the guest's FP registers to the
 * VMM thread), so everything is computed in nanoseconds as integers.
 */
#ifndef MINIVMM_STATS_H
#define MINIVMM_STATS_H

#include <stddef.h>
#include <stdint.h>

struct stats {
	uint64_t n;
	uint64_t mean_ns;
	uint64_t p50_ns;
	uint64_t p99_ns;
	uint64_t max_ns;
	uint64_t total_ns;
};

/* timebase ticks -> nanoseconds, without overflow for any 64-bit count */
uint64_t ticks_to_ns(uint64_t ticks, uint64_t tb_hz);

/*
 * Percentile by nearest rank on sorted samples: the smallest sample with at
 * least p% of the samples at or below it (p in 1..100).
 */
uint64_t percentile_sorted(const uint32_t *sorted, size_t n, unsigned int p);

/* Sorts samples in place, fills st in nanoseconds. n may be 0 (all zero). */
void stats_compute(uint32_t *samples, size_t n, uint64_t tb_hz, struct stats *st);

/* "49.123" from 49123 ns: microseconds with three decimals */
char *fmt_us(uint64_t ns, char *buf, size_t len);

#endif
