// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>

#include "stats.h"

uint64_t ticks_to_ns(uint64_t ticks, uint64_t tb_hz)
{
	if (!tb_hz)
		return 0;
	return (uint64_t)(((unsigned __int128)ticks * 1000000000u) / tb_hz);
}

uint64_t percentile_sorted(const uint32_t *sorted, size_t n, unsigned int p)
{
	size_t rank;

	if (!n)
		return 0;
	if (p > 100)
		p = 100;
	rank = ((uint64_t)n * p + 99) / 100;	/* ceil(n * p / 100) */
	if (rank < 1)
		rank = 1;
	return sorted[rank - 1];
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

void stats_compute(uint32_t *samples, size_t n, uint64_t tb_hz, struct stats *st)
{
	uint64_t sum = 0;
	size_t i;

	st->n = n;
	if (!n) {
		st->mean_ns = st->p50_ns = st->p99_ns = st->max_ns = st->total_ns = 0;
		return;
	}
	qsort(samples, n, sizeof(*samples), cmp_u32);
	for (i = 0; i < n; i++)
		sum += samples[i];
	st->total_ns = ticks_to_ns(sum, tb_hz);
	st->mean_ns = ticks_to_ns(sum, tb_hz) / n;
	st->p50_ns = ticks_to_ns(percentile_sorted(samples, n, 50), tb_hz);
	st->p99_ns = ticks_to_ns(percentile_sorted(samples, n, 99), tb_hz);
	st->max_ns = ticks_to_ns(samples[n - 1], tb_hz);
}

char *fmt_us(uint64_t ns, char *buf, size_t len)
{
	snprintf(buf, len, "%llu.%03llu", (unsigned long long)(ns / 1000),
		 (unsigned long long)(ns % 1000));
	return buf;
}
