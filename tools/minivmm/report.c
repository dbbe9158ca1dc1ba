// SPDX-License-Identifier: GPL-2.0
/* The human table and results.json (schema: Documentation/minivmm.md). */
#include <stdio.h>
#include <string.h>

#include "abi.h"
#include "bench.h"
#include "json.h"

static const char *wl_label(const struct bench *b, unsigned int i)
{
	return i == MAX_WORKLOADS ? "floor" : b->o->wl[i].name;
}

/* the fuzz workload is no benchmark: its findings have a table of their own */
static int is_fuzz(const struct bench *b, unsigned int i)
{
	return i < b->o->nwl && b->o->wl[i].id == MV_WL_FUZZ;
}

/* the lowest mean over the paths that ran workload i */
static uint64_t best_mean(const struct bench *b, unsigned int i)
{
	uint64_t best = 0;
	int p;

	for (p = 0; p < NR_PATHS; p++) {
		const struct wl_result *w = &b->path[p].wl[i];

		if (w->ran && w->st.n && w->st.mean_ns && (!best || w->st.mean_ns < best))
			best = w->st.mean_ns;
	}
	return best;
}

/*
 * Per path: calls, disagreements, return codes, exits; then, per class, the
 * classes that disagreed or exited (upstream's paths go on after a
 * disagreement, so their table is the finding).
 */
/*
 * Where a path's fuzz time goes, as the guest timed its calls: in all, per
 * call, and the three classes that took most of it.
 */
static void fuzz_print_cost(const struct bench *b, const struct fuzz_result *z,
			    const char *path)
{
	unsigned int top[3] = { FUZZ_NCLASSES, FUZZ_NCLASSES, FUZZ_NCLASSES };
	unsigned int k, t, u;

	if (!z->calls || !z->ticks)
		return;
	for (k = 0; k < FUZZ_NCLASSES; k++) {
		for (t = 0; t < 3; t++)
			if (top[t] == FUZZ_NCLASSES || z->cls[k].ticks > z->cls[top[t]].ticks)
				break;
		if (t == 3 || !z->cls[k].ticks)
			continue;
		for (u = 2; u > t; u--)
			top[u] = top[u - 1];
		top[t] = k;
	}
	printf("%s fuzz %-9s %.1f s in all: %.3f s in the calls (%.1f us per call), minivmm %.1f s checking, %.1f s DMA samples, %.1f s making calls; calls taking most:",
	       b->o->machine, path, z->wall_ns / 1e9, ticks_to_ns(z->ticks, b->tb_hz) / 1e9,
	       ticks_to_ns(z->ticks, b->tb_hz) / 1e3 / z->calls, z->check_ns / 1e9,
	       z->dma_ns / 1e9, z->gen_ns / 1e9);
	for (t = 0; t < 3 && top[t] != FUZZ_NCLASSES; t++)
		printf("%s %s %.0f%% (%.1f us per call)", t ? "," : "", fuzz_class_name(top[t]),
		       100.0 * z->cls[top[t]].ticks / z->ticks,
		       ticks_to_ns(z->cls[top[t]].ticks, b->tb_hz) / 1e3 / z->cls[top[t]].calls);
	printf("\n");
}

static void fuzz_print(const struct bench *b)
{
	const char *m = b->o->machine;
	unsigned int k;
	int p, header = 0;

	for (p = 0; p < NR_PATHS; p++) {
		const struct fuzz_result *z = &b->path[p].fz;

		if (!z->ran)
			continue;
		if (!header++)
			printf("\n%s fuzz: seed %llu; the model (tools/tcemodel) is the reference; kvm-table and kvm-vfio (upstream) do not fail the run\n",
			       m, (unsigned long long)z->seed);
		printf("%s fuzz %-9s %llu calls, %llu disagreements; answers:", m, path_names[p],
		       (unsigned long long)z->calls, (unsigned long long)z->disagreements);
		for (k = 0; k < FUZZ_NRC; k++)
			printf(" %s %llu", fuzz_rc_slot_name(k), (unsigned long long)z->rc_actual[k]);
		printf(" (model: %llu H_SUCCESS); %llu exits to minivmm, %llu of the bound LIOBN; %llu view checks, %llu entries differed; DMA %llu/%llu%s%s\n",
		       (unsigned long long)z->rc_expected[FUZZ_RC_SUCCESS],
		       (unsigned long long)z->user_exits, (unsigned long long)z->bound_exits,
		       (unsigned long long)z->view_checks,
		       (unsigned long long)z->view_entries_differing,
		       (unsigned long long)z->dma_passed,
		       (unsigned long long)(z->dma_passed + z->dma_failed),
		       z->stopped[0] ? "; STOPPED: " : "", z->stopped);
		if (z->raced)
			printf("%s fuzz %-9s %llu INDIRECTs whose list the second vCPU rewrote during the call (%llu rewrites): %llu took entries of both lists, %llu refused (H_PARAMETER, nothing written)\n",
			       m, path_names[p], (unsigned long long)z->raced,
			       (unsigned long long)z->race_rounds,
			       (unsigned long long)z->raced_mixed, (unsigned long long)z->raced_refused);
		fuzz_print_cost(b, z, path_names[p]);
	}
	for (p = 0; p < NR_PATHS; p++) {
		const struct fuzz_result *z = &b->path[p].fz;

		if (!z->ran || (!z->disagreements && !z->bound_exits))
			continue;
		printf("%s fuzz %-9s %-88s %8s %8s %8s %8s\n", m, path_names[p], "class", "calls",
		       "rc_diffs", "view", "exits");
		for (k = 0; k < FUZZ_NCLASSES; k++) {
			const struct fuzz_class_stat *c = &z->cls[k];

			if (!c->rc_diffs && !c->view_diffs && !c->exits)
				continue;
			printf("%s fuzz %-9s %-88s %8llu %8llu %8llu %8llu\n", m, path_names[p],
			       fuzz_class_name(k), (unsigned long long)c->calls,
			       (unsigned long long)c->rc_diffs, (unsigned long long)c->view_diffs,
			       (unsigned long long)c->exits);
		}
		if (z->view_untouched)
			printf("%s fuzz %-9s %llu differing entries no call of their batch wrote\n",
			       m, path_names[p], (unsigned long long)z->view_untouched);
		if (z->spared)
			printf("%s fuzz %-9s %llu INDIRECT list entries, unmappings with an address in RAM, were made read mappings (upstream would leak or BUG on them: Documentation/papr-tce-model.md)\n",
			       m, path_names[p], (unsigned long long)z->spared);
		if (z->get_followups)
			printf("%s fuzz %-9s %llu H_GET_TCE answers differed only after an earlier disagreement on the entry (not counted)\n",
			       m, path_names[p], (unsigned long long)z->get_followups);
	}
}

void bench_print(const struct bench *b)
{
	char m[24], p50[24], p99[24], mx[24];
	unsigned int i;
	int p;

	printf("\n%-14s %-10s %-13s %8s %10s %10s %10s %10s %12s %7s %9s %9s %7s\n",
	       "machine", "path", "workload", "calls", "mean_us", "p50_us", "p99_us",
	       "max_us", "TCEs/s", "ratio", "user_exit", "in_kernel", "dma");
	for (i = 0; i <= MAX_WORKLOADS; i++) {
		uint64_t best = best_mean(b, i);

		if (is_fuzz(b, i))
			continue;
		for (p = 0; p < NR_PATHS; p++) {
			const struct path_result *pr = &b->path[p];
			const struct wl_result *w = &pr->wl[i];
			uint64_t ratio, rate;
			char dma[16] = "-";

			if (!w->ran)
				continue;
			ratio = best ? w->st.mean_ns * 100 / best : 0;
			rate = w->st.total_ns ? (uint64_t)((unsigned __int128)w->tces *
					1000000000u / w->st.total_ns) : 0;
			if (w->dma_passed + w->dma_failed)
				snprintf(dma, sizeof(dma), "%u/%u", w->dma_passed,
					 w->dma_passed + w->dma_failed);
			printf("%-14s %-10s %-13s %8llu %10s %10s %10s %10s %12llu %4llu.%02llu %9llu %9llu %7s\n",
			       b->o->machine, path_names[p], wl_label(b, i),
			       (unsigned long long)w->calls,
			       fmt_us(w->st.mean_ns, m, sizeof(m)),
			       fmt_us(w->st.p50_ns, p50, sizeof(p50)),
			       fmt_us(w->st.p99_ns, p99, sizeof(p99)),
			       fmt_us(w->st.max_ns, mx, sizeof(mx)),
			       (unsigned long long)rate,
			       (unsigned long long)(ratio / 100), (unsigned long long)(ratio % 100),
			       (unsigned long long)w->user_exits,
			       (unsigned long long)(w->calls > w->user_exits ?
						    w->calls - w->user_exits : 0),
			       dma);
		}
	}
	fuzz_print(b);
	for (p = 0; p < NR_PATHS; p++) {
		const struct path_result *pr = &b->path[p];

		if (pr->binding_bytes >= 0) {
			printf("%-14s %-10s binding: %lld bytes, view pages %lld of %lld, window %llu MB of %u KiB pages",
			       b->o->machine, path_names[p], pr->binding_bytes, pr->view_pages,
			       pr->view_pages_max, (unsigned long long)(b->o->window >> 20),
			       (b->o->ddw_shift ? 1u << b->o->ddw_shift : 4096u) >> 10);
			if (pr->table_levels)
				printf(", %u table levels", pr->table_levels);
			printf("\n");
		}
		if (b->path[p].unsupported[0])
			printf("%-14s %-10s unsupported: %s\n", b->o->machine, path_names[p],
			       b->path[p].unsupported);
		if (b->path[p].error[0])
			printf("%-14s %-10s FAILED: %s\n", b->o->machine, path_names[p],
			       b->path[p].error);
		if (b->path[p].foreign)
			printf("%-14s %-10s the guest ran and stopped; %llu TCE hypercalls reached minivmm\n",
			       b->o->machine, path_names[p],
			       (unsigned long long)b->path[p].foreign_tce_exits);
	}
}

static void json_workload(struct json *j, const char *name, const struct wl_result *w)
{
	json_begin_object(j, name);
	json_uint(j, "calls", w->calls);
	json_uint(j, "tces", w->tces);
	json_us(j, "mean_us", w->st.mean_ns);
	json_us(j, "p50_us", w->st.p50_ns);
	json_us(j, "p99_us", w->st.p99_ns);
	json_us(j, "max_us", w->st.max_ns);
	json_uint(j, "tces_per_s", w->st.total_ns ? (uint64_t)((unsigned __int128)w->tces *
				  1000000000u / w->st.total_ns) : 0);
	json_uint(j, "userspace_exits", w->user_exits);
	/* which in-kernel mode served the calls: KVM's counters, iommu path */
	if (w->has_kstats) {
		json_uint(j, "kernel_rm", w->kernel_rm);
		json_uint(j, "kernel_vm", w->kernel_vm);
	} else {
		json_null(j, "kernel_rm");
		json_null(j, "kernel_vm");
	}
	json_uint(j, "kernel_calls", w->calls > w->user_exits ? w->calls - w->user_exits : 0);
	json_uint(j, "dma_checks_passed", w->dma_passed);
	json_uint(j, "dma_checks_failed", w->dma_failed);
	json_int(j, "status", w->status);
	json_end_object(j);
}

static void json_rcs(struct json *j, const char *key, const uint64_t *rc)
{
	unsigned int k;

	json_begin_object(j, key);
	for (k = 0; k < FUZZ_NRC; k++)
		json_uint(j, fuzz_rc_slot_name(k), rc[k]);
	json_end_object(j);
}

static void json_fuzz(struct json *j, const struct fuzz_result *z, const struct wl_result *w,
		      uint64_t tb_hz)
{
	unsigned int k;

	json_begin_object(j, "fuzz");
	json_uint(j, "seed", z->seed);
	json_uint(j, "calls", z->calls);
	json_uint(j, "guest_ns", ticks_to_ns(z->ticks, tb_hz));
	json_uint(j, "wall_ns", z->wall_ns);
	json_uint(j, "check_ns", z->check_ns);
	json_uint(j, "dma_ns", z->dma_ns);
	json_uint(j, "gen_ns", z->gen_ns);
	json_uint(j, "disagreements", z->disagreements);
	if (z->stopped[0])
		json_string(j, "stopped", z->stopped);
	else
		json_null(j, "stopped");
	json_rcs(j, "returns", z->rc_actual);
	json_rcs(j, "model_returns", z->rc_expected);
	json_uint(j, "userspace_exits", z->user_exits);
	json_uint(j, "bound_liobn_exits", z->bound_exits);
	if (w && w->has_kstats) {
		json_uint(j, "kernel_rm", w->kernel_rm);
		json_uint(j, "kernel_vm", w->kernel_vm);
	} else {
		json_null(j, "kernel_rm");
		json_null(j, "kernel_vm");
	}
	json_uint(j, "batches", z->batches);
	json_uint(j, "view_checks", z->view_checks);
	json_uint(j, "raced", z->raced);
	json_uint(j, "raced_mixed", z->raced_mixed);
	json_uint(j, "raced_refused", z->raced_refused);
	json_uint(j, "race_rounds", z->race_rounds);
	json_uint(j, "view_entries_differing", z->view_entries_differing);
	json_uint(j, "view_entries_untouched", z->view_untouched);
	json_uint(j, "get_followups", z->get_followups);
	json_uint(j, "spared_list_entries", z->spared);
	json_uint(j, "dma_checks_passed", z->dma_passed);
	json_uint(j, "dma_checks_failed", z->dma_failed);
	json_begin_object(j, "classes");
	for (k = 0; k < FUZZ_NCLASSES; k++) {
		const struct fuzz_class_stat *c = &z->cls[k];

		if (!c->calls)
			continue;
		json_begin_object(j, fuzz_class_name(k));
		json_uint(j, "calls", c->calls);
		json_uint(j, "rc_diffs", c->rc_diffs);
		json_uint(j, "view_diffs", c->view_diffs);
		json_uint(j, "exits", c->exits);
		json_uint(j, "guest_ns", ticks_to_ns(c->ticks, tb_hz));
		json_end_object(j);
	}
	json_end_object(j);
	json_end_object(j);
}

/* the iommu path's binding: its window, and what the kernel allocated */
static void json_binding(struct json *j, const struct bench *b, const struct path_result *pr)
{
	json_begin_object(j, "binding");
	json_uint(j, "window_bytes", b->o->window);
	json_uint(j, "iommu_page_shift", b->o->ddw_shift ? b->o->ddw_shift : 12);
	if (pr->table_levels)
		json_uint(j, "table_levels", pr->table_levels);
	else
		json_null(j, "table_levels");
	json_int(j, "bytes", pr->binding_bytes);
	json_int(j, "view_pages", pr->view_pages);
	json_int(j, "view_pages_max", pr->view_pages_max);
	json_end_object(j);
}

int bench_json(const struct bench *b, const char *file)
{
	struct json j;
	unsigned int i;
	FILE *f;
	int p;

	f = fopen(file, "w");
	if (!f)
		return -1;
	json_init(&j, f);
	json_begin_object(&j, NULL);
	json_begin_object(&j, "machines");
	json_begin_object(&j, b->o->machine);
	json_uint(&j, "timebase_hz", b->tb_hz);
	json_uint(&j, "locked_kb_before", b->locked_kb_before);
	json_uint(&j, "locked_kb_after", b->locked_kb_after);
	if (b->pins_before >= 0) {
		json_uint(&j, "pins_before", (uint64_t)b->pins_before);
		json_uint(&j, "pins_after", (uint64_t)b->pins_after);
	} else {
		json_null(&j, "pins_before");
		json_null(&j, "pins_after");
	}
	json_uint(&j, "locked_kb_peak", b->locked_kb_peak);
	json_string(&j, "floor_hcall", b->floor_hcall == 0x28 ? "H_SET_DABR" : "H_PROD");
	json_begin_object(&j, "paths");
	for (p = 0; p < NR_PATHS; p++) {
		const struct path_result *pr = &b->path[p];

		if (!(b->o->paths & (1u << p)))
			continue;
		json_begin_object(&j, path_names[p]);
		if (pr->unsupported[0]) {
			json_string(&j, "unsupported", pr->unsupported);
		} else {
			const struct wl_result *fw = NULL;

			if (pr->error[0])
				json_string(&j, "error", pr->error);
			if (pr->foreign)
				json_uint(&j, "guest_tce_exits", pr->foreign_tce_exits);
			for (i = 0; i <= MAX_WORKLOADS; i++) {
				if (is_fuzz(b, i))
					fw = pr->wl[i].ran ? &pr->wl[i] : NULL;
				else if (pr->wl[i].ran)
					json_workload(&j, wl_label(b, i), &pr->wl[i]);
			}
			if (pr->fz.ran)
				json_fuzz(&j, &pr->fz, fw, b->tb_hz);
			if (pr->binding_bytes >= 0)
				json_binding(&j, b, pr);
		}
		json_end_object(&j);
	}
	json_end_object(&j);
	json_end_object(&j);
	json_end_object(&j);
	json_end_object(&j);
	if (json_finish(&j)) {
		fclose(f);
		return -1;
	}
	return fclose(f);
}
