// SPDX-License-Identifier: GPL-2.0
/*
 * Native unit tests of minivmm's platform-independent parts: statistics,
 * the JSON writer, option parsing and its errors, the device tree (round
 * trip through dtc), and the answers to the TCE hypercalls that reach
 * minivmm (tce_user.c over the reference model). TAP 13 on stdout.
 */
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../selftests/lib/hcall.h"
#include "abi.h"
#include "devtree.h"
#include "fuzz.h"
#include "json.h"
#include "options.h"
#include "stats.h"
#include "tce_user.h"

#include "../../include/tap.h"

static void test_stats(void)
{
	uint32_t s1[] = { 5, 1, 4, 2, 3 };
	uint32_t s2[100], one[] = { 512 };
	struct stats st;
	char buf[32];
	int i;

	stats_compute(s1, 5, 1000000000, &st);	/* 1 tick = 1 ns */
	CHECK(st.n == 5 && st.mean_ns == 3 && st.p50_ns == 3 && st.p99_ns == 5 &&
	      st.max_ns == 5 && st.total_ns == 15, "stats: 1..5");
	CHECK(s1[0] == 1 && s1[4] == 5, "stats: samples sorted in place");
	for (i = 0; i < 100; i++)
		s2[i] = (uint32_t)(100 - i);	/* 100..1 */
	stats_compute(s2, 100, 1000000000, &st);
	CHECK(st.p50_ns == 50 && st.p99_ns == 99 && st.max_ns == 100 &&
	      st.mean_ns == 50, "stats: nearest-rank p50/p99 of 1..100");
	CHECK(percentile_sorted(s2, 100, 100) == 100 && percentile_sorted(s2, 100, 1) == 1,
	      "stats: p100 is the max, p1 the min");
	CHECK(percentile_sorted(s2, 0, 50) == 0, "stats: no samples");
	stats_compute(one, 1, 512000000, &st);	/* POWER timebase: 512 MHz */
	CHECK(st.mean_ns == 1000 && st.p50_ns == 1000 && st.p99_ns == 1000,
	      "stats: 512 ticks at 512 MHz is 1 us");
	CHECK(ticks_to_ns(0xffffffffffffULL, 512000000) == 549755813887998ULL,
	      "stats: tick conversion does not overflow");
	stats_compute(NULL, 0, 512000000, &st);
	CHECK(st.n == 0 && st.mean_ns == 0, "stats: empty set");
	CHECK(!strcmp(fmt_us(49123, buf, sizeof(buf)), "49.123") &&
	      !strcmp(fmt_us(7, buf, sizeof(buf)), "0.007"), "stats: microsecond format");
}

static char *json_of(void (*fn)(struct json *), int *rc)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	struct json j;

	json_init(&j, f);
	fn(&j);
	*rc = json_finish(&j);
	fclose(f);
	return out;
}

static void doc_ok(struct json *j)
{
	json_begin_object(j, NULL);
	json_string(j, "name", "a\"b\\c\n");
	json_begin_object(j, "inner");
	json_uint(j, "calls", 18446744073709551615ULL);
	json_int(j, "status", -4);
	json_us(j, "mean_us", 49123);
	json_null(j, "kernel_rm");
	json_end_object(j);
	json_begin_array(j, "list");
	json_uint(j, NULL, 1);
	json_uint(j, NULL, 2);
	json_end_array(j);
	json_begin_object(j, "empty");
	json_end_object(j);
	json_end_object(j);
}

static void doc_unclosed(struct json *j)
{
	json_begin_object(j, NULL);
	json_uint(j, "x", 1);
}

static void doc_two(struct json *j)
{
	json_uint(j, NULL, 1);
	json_uint(j, NULL, 2);
}

static void test_json(void)
{
	const char *want =
		"{\n"
		"  \"name\": \"a\\\"b\\\\c\\n\",\n"
		"  \"inner\": {\n"
		"    \"calls\": 18446744073709551615,\n"
		"    \"status\": -4,\n"
		"    \"mean_us\": 49.123,\n"
		"    \"kernel_rm\": null\n"
		"  },\n"
		"  \"list\": [\n"
		"    1,\n"
		"    2\n"
		"  ],\n"
		"  \"empty\": {}\n"
		"}\n";
	char *out;
	int rc;

	out = json_of(doc_ok, &rc);
	CHECK(rc == 0 && !strcmp(out, want), "json: exact document");
	if (strcmp(out, want))
		printf("# got:\n%s", out);
	free(out);
	out = json_of(doc_unclosed, &rc);
	CHECK(rc == -1, "json: an unclosed object is an error");
	free(out);
	out = json_of(doc_two, &rc);
	CHECK(rc == -1, "json: two top-level values are an error");
	free(out);
}

static int parse(const char *line, struct options *o, char *err)
{
	char buf[512], *argv[32];
	int argc = 0;

	snprintf(buf, sizeof(buf), "%s", line);
	argv[argc++] = "minivmm";
	for (char *t = strtok(buf, " "); t && argc < 31; t = strtok(NULL, " "))
		argv[argc++] = t;
	argv[argc] = NULL;
	err[0] = '\0';
	return parse_options(argc, argv, o, err, 256);
}

static void test_options(void)
{
	struct options o;
	char err[256];

	CHECK(parse("", &o, err) == 0 && o.paths == (1u << NR_PATHS) - 1 &&
	      o.calls == 1000 && o.rounds == 1 && o.vcpus == 2 && o.ram == 256ULL << 20 &&
	      o.window == 64ULL << 20 && o.nwl == 12 && !o.paths_explicit,
	      "options: defaults");
	CHECK(parse("--paths user,floor --workloads put,indirect-64,stuff-16 --calls 7 --rounds 3 --vcpus 4 --ram 512 --window 128 --vfio 0002:01:00.0 --json r.json --machine m --pr --quiet",
		    &o, err) == 0 &&
	      o.paths == ((1u << PATH_USER) | (1u << PATH_FLOOR)) && o.paths_explicit &&
	      o.nwl == 3 && o.wl[1].id == MV_WL_INDIRECT && o.wl[1].batch == 64 &&
	      o.wl[2].id == MV_WL_STUFF && o.wl[2].batch == 16 &&
	      !strcmp(o.wl[1].name, "indirect-64") && o.calls == 7 && o.rounds == 3 &&
	      o.vcpus == 4 &&
	      o.ram == 512ULL << 20 && o.window == 128ULL << 20 &&
	      !strcmp(o.vfio, "0002:01:00.0") && !strcmp(o.json, "r.json") &&
	      !strcmp(o.machine, "m") && o.pr && o.quiet, "options: every option");
	CHECK(parse("--bogus", &o, err) == -1 && !strcmp(err, "unknown option '--bogus'"),
	      "options: unknown option");
	CHECK(parse("--vcpus 0", &o, err) == -1 && strstr(err, "--vcpus wants 1..8"),
	      "options: zero vCPUs");
	CHECK(parse("--vcpus 9", &o, err) == -1, "options: too many vCPUs");
	CHECK(parse("--rounds 0", &o, err) == -1 && strstr(err, "--rounds wants 1..100"),
	      "options: zero rounds");
	CHECK(parse("--rounds 101", &o, err) == -1, "options: too many rounds");
	CHECK(parse("--ram 128 --window 256", &o, err) == -1 &&
	      strstr(err, "larger than the guest RAM"), "options: window larger than RAM");
	CHECK(parse("--ram 64", &o, err) == -1 && strstr(err, "--ram wants 128..1024"),
	      "options: RAM too small");
	CHECK(parse("--calls", &o, err) == -1 && strstr(err, "--calls wants a value"),
	      "options: missing value");
	CHECK(parse("--calls -5", &o, err) == -1, "options: negative count");
	CHECK(parse("--calls 12x", &o, err) == -1, "options: trailing garbage");
	CHECK(parse("--paths user,gpu", &o, err) == -1 && !strcmp(err, "unknown path 'gpu'"),
	      "options: unknown path");
	CHECK(parse("--workloads indirect-513", &o, err) == -1 &&
	      strstr(err, "INDIRECT: 1..512"), "options: INDIRECT batch over 512");
	CHECK(parse("--workloads indirect-0", &o, err) == -1, "options: zero batch");
	CHECK(parse("--workloads fuzz --seed 18446744073709551615 --calls 1000000", &o, err) == 0 &&
	      o.nwl == 1 && o.wl[0].id == MV_WL_FUZZ && o.wl[0].batch == MV_FUZZ_BATCH_MAX &&
	      o.seed == UINT64_MAX && o.calls == 1000000, "options: the fuzz workload, --seed");
	CHECK(parse("", &o, err) == 0 && o.seed == 1, "options: --seed defaults to 1");
	{
		unsigned int k, fz = 0;

		for (k = 0; k < o.nwl; k++)
			fz += o.wl[k].id == MV_WL_FUZZ;
		CHECK(!fz, "options: fuzz is not a default workload");
	}
	CHECK(parse("--seed x", &o, err) == -1 && strstr(err, "--seed wants"),
	      "options: a bad seed");
	CHECK(parse("--workloads fuzz,put,fuzz", &o, err) == -1 && strstr(err, "twice"),
	      "options: fuzz given twice");
	CHECK(parse("--workloads put-x", &o, err) == -1 &&
	      !strcmp(err, "unknown workload 'put-x'"), "options: unknown workload");
	/* a 64-bit window */
	CHECK(parse("--paths iommu,floor --ddw 16 --window 1048576 --workloads put", &o, err) == 0 &&
	      o.ddw_shift == 16 && o.window == 1ULL << 40 && !o.hugepages,
	      "options: --ddw 16, a 1 TiB window");
	CHECK(parse("--paths iommu --ddw 24 --hugepages --window 16384", &o, err) == 0 &&
	      o.ddw_shift == 24 && o.hugepages, "options: --ddw 24 --hugepages");
	CHECK(parse("--paths iommu --ddw 24 --window 16384", &o, err) == -1 &&
	      strstr(err, "need --hugepages"), "options: --ddw 24 without hugepages");
	CHECK(parse("--ddw 16 --window 1024", &o, err) == -1 &&
	      strstr(err, "iommu path only"), "options: --ddw on every path");
	CHECK(parse("--paths iommu --ddw 16 --window 1536", &o, err) == -1 &&
	      strstr(err, "power of 2"), "options: --ddw window not a power of 2");
	CHECK(parse("--paths iommu --ddw 16 --window 32", &o, err) == -1 &&
	      strstr(err, "1024 IOMMU pages"), "options: --ddw window under 1024 pages");
	CHECK(parse("--paths iommu --ddw 16 --window 1024 --workloads fuzz", &o, err) == -1 &&
	      strstr(err, "default window"), "options: --ddw with the fuzz");
	CHECK(parse("--ddw 11", &o, err) == -1 && strstr(err, "--ddw wants"),
	      "options: --ddw shift too small");
	CHECK(parse("--window 8192", &o, err) == -1 && strstr(err, "larger than the guest RAM"),
	      "options: a big window without --ddw");
	CHECK(parse("--window 2097152", &o, err) == -1 && strstr(err, "--window wants 4..1048576"),
	      "options: a window over 1 TiB");
}

static int run(const char *cmd)
{
	int rc = system(cmd);

	return rc == -1 ? -1 : WEXITSTATUS(rc);
}

static void test_fdt(void)
{
	static uint8_t buf[MV_FDT_MAX];
	uint32_t plan[MV_PLAN_HDR_CELLS + MV_PLAN_CELLS] = {
		MV_PLAN_VERSION, 1, MV_PLAN_F_DMA_SAMPLES,
		MV_WL_PUT, 1000, 1, 1, 0, 0x10000, 0x1000, 0,
	};
	struct fdt_params p = {
		.ram = 256ULL << 20, .nvcpus = 2, .liobn = 0x80000001,
		.win_start = 0x0, .win_size = 64ULL << 20,
		.plan = plan, .plan_cells = MV_PLAN_HDR_CELLS + MV_PLAN_CELLS,
		.results = MV_GPA_RESULTS, .results_size = MV_RESULTS_MAX,
		.scratch = MV_GPA_SCRATCH + 0x4000, .scratch_size = 0x1000000,
		.sample_src = MV_GPA_SCRATCH, .sample_dst = MV_GPA_SCRATCH + 0x1000,
		.lists = MV_GPA_LISTS,
	};
	char dtb[] = "/tmp/minivmm-test-XXXXXX", cmd[512];
	const fdt32_t *w;
	int fd, len, node;
	FILE *f;

	CHECK(build_fdt(buf, sizeof(buf), &p) == 0 && fdt_check_header(buf) == 0,
	      "fdt: builds a valid blob");
	node = fdt_path_offset(buf, "/pci@800000020000000");
	w = fdt_getprop(buf, node, "ibm,dma-window", &len);
	CHECK(w && len == 20 && fdt32_to_cpu(w[0]) == 0x80000001 &&
	      fdt32_to_cpu(w[1]) == 0 && fdt32_to_cpu(w[2]) == 0 &&
	      fdt32_to_cpu(w[3]) == 0 && fdt32_to_cpu(w[4]) == 64 << 20,
	      "fdt: ibm,dma-window is (LIOBN, 2-cell address, 2-cell size)");
	CHECK(build_fdt(buf, 256, &p) != 0, "fdt: too small a buffer is an error");

	CHECK(build_fdt(buf, sizeof(buf), &p) == 0, "fdt: rebuilt");
	fd = mkstemp(dtb);
	CHECK(fd >= 0 && write(fd, buf, fdt_totalsize(buf)) == (ssize_t)fdt_totalsize(buf),
	      "fdt: written");
	close(fd);
	snprintf(cmd, sizeof(cmd), "dtc -q -I dtb -O dts -o %s.dts %s", dtb, dtb);
	CHECK(run(cmd) == 0, "fdt: dtc reads it back");
	snprintf(cmd, sizeof(cmd), "%s.dts", dtb);
	f = fopen(cmd, "r");
	if (f) {
		char dts[16384];
		size_t n = fread(dts, 1, sizeof(dts) - 1, f);

		dts[n] = '\0';
		fclose(f);
		CHECK(strstr(dts, "ibm,dma-window = <0x80000001 0x00 0x00 0x00 0x4000000>;") != NULL,
		      "fdt: dts has the DMA window");
		CHECK(strstr(dts, "ibm,#dma-address-cells = <0x02>;") &&
		      strstr(dts, "ibm,#dma-size-cells = <0x02>;"),
		      "fdt: dts has the DMA cell counts");
		CHECK(strstr(dts, "reg = <0x00 0x00 0x00 0x10000000>;") &&
		      strstr(dts, "device_type = \"memory\";"), "fdt: dts has /memory");
		CHECK(strstr(dts, "PowerPC,POWER@0 {") && strstr(dts, "PowerPC,POWER@1 {"),
		      "fdt: dts has both CPUs");
		CHECK(strstr(dts, "minivmm,plan = <0x01 0x01 0x01 0x01 0x3e8 0x01 0x01 0x00 0x10000 0x1000 0x00>;") != NULL,
		      "fdt: dts has the plan in /chosen");
		CHECK(strstr(dts, "compatible = \"hvterm1\";") != NULL, "fdt: dts has the console");
	} else {
		CHECK(0, "fdt: dts readable");
	}
	unlink(cmd);
	unlink(dtb);
}

/* ---- the TCE hypercalls that reach minivmm ------------------------------ */

#define T_LIOBN		0x80000001ULL
#define T_OTHER		0x80000002ULL
#define T_WIN		0x10000000ULL	/* a 32-bit DMA window's start */
#define T_ENTRIES	64ULL
#define T_RAM		(1ULL << 20)
#define T_IOBA(i)	(T_WIN + ((uint64_t)(i) << 12))

static uint8_t t_mem[T_RAM] __attribute__((aligned(65536)));
static uint64_t t_table[T_ENTRIES];

/* a fake VFIO container: records every call, refuses one IOVA */
static struct {
	unsigned int maps, unmaps;
	uint64_t iova, gpa, perm;
	uint64_t refuse_map, refuse_unmap;
} vf;

static int fake_map(void *ctx, uint64_t iova, uint64_t gpa, uint64_t perm)
{
	(void)ctx;
	vf.maps++;
	vf.iova = iova;
	vf.gpa = gpa;
	vf.perm = perm;
	return iova == vf.refuse_map ? -1 : 0;
}

static int fake_unmap(void *ctx, uint64_t iova)
{
	(void)ctx;
	vf.unmaps++;
	vf.iova = iova;
	return iova == vf.refuse_unmap ? -1 : 0;
}

static long tcall(struct mv_tce *t, uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2,
		  uint64_t a3, uint64_t *r4)
{
	uint64_t args[4] = { a0, a1, a2, a3 };

	return mv_tce_answer(t, nr, args, r4);
}

static void be64_at(uint64_t gpa, uint64_t v)
{
	int i;

	for (i = 7; i >= 0; i--, v >>= 8)
		t_mem[gpa + i] = (uint8_t)v;
}

static void t_user(struct mv_tce *t)
{
	memset(t_table, 0, sizeof(t_table));
	memset(&vf, 0, sizeof(vf));
	vf.refuse_map = vf.refuse_unmap = UINT64_MAX;
	mv_tce_init_user(t, T_LIOBN, T_WIN, T_ENTRIES, t_table, t_mem, T_RAM,
			 fake_map, fake_unmap, NULL);
}

static void test_tce_user(void)
{
	struct mv_tce t;
	uint64_t r4 = 0x1111, i;
	int ok;

	CHECK(mv_tce_init_user(&t, T_LIOBN, T_WIN + 8, T_ENTRIES, t_table, t_mem, T_RAM,
			       NULL, NULL, NULL) == -1 &&
	      mv_tce_init_user(&t, T_LIOBN, T_WIN, T_ENTRIES, t_table, t_mem, T_RAM,
			       fake_map, NULL, NULL) == -1,
	      "tce: an unaligned window or half a VFIO side refused");
	t_user(&t);
	/* (a) a LIOBN minivmm does not know */
	CHECK(tcall(&t, H_PUT_TCE, T_OTHER, T_IOBA(0), 0x1003, 0, &r4) == H_PARAMETER &&
	      tcall(&t, H_PUT_TCE_INDIRECT, T_OTHER, T_IOBA(0), 0x4000, 1, &r4) == H_PARAMETER &&
	      tcall(&t, H_STUFF_TCE, T_OTHER, T_IOBA(0), 0, 1, &r4) == H_PARAMETER &&
	      tcall(&t, H_GET_TCE, T_OTHER, T_IOBA(0), 0, 0, &r4) == H_PARAMETER &&
	      r4 == 0x1111 && !vf.maps && !vf.unmaps,
	      "tce user: every TCE hypercall for an unknown LIOBN is H_PARAMETER");
	CHECK(tcall(&t, 0x28, T_LIOBN, 0, 0, 0, &r4) == H_FUNCTION,
	      "tce user: not a TCE hypercall: H_FUNCTION");
	/* a mapping, VFIO told exactly */
	CHECK(tcall(&t, H_PUT_TCE, T_LIOBN, T_IOBA(3), 0x5000 | TCE_PCI_WRITE, 0, &r4) == H_SUCCESS &&
	      t_table[3] == (0x5000 | TCE_PCI_WRITE) && vf.maps == 1 && !vf.unmaps &&
	      vf.iova == T_IOBA(3) && vf.gpa == 0x5000 && vf.perm == TCE_PCI_WRITE,
	      "tce user: H_PUT_TCE maps iova -> gpa with its permission");
	/* (b) an unmapping keeps its address bits, and unmaps on the VFIO side */
	CHECK(tcall(&t, H_PUT_TCE, T_LIOBN, T_IOBA(3), 0x5000, 0, &r4) == H_SUCCESS &&
	      vf.unmaps == 1 && vf.iova == T_IOBA(3) && vf.maps == 1 &&
	      tcall(&t, H_GET_TCE, T_LIOBN, T_IOBA(3), 0, 0, &r4) == H_SUCCESS &&
	      r4 == 0x5000, "tce user: an unmapping keeps its address bits (H_GET_TCE)");
	CHECK(tcall(&t, H_PUT_TCE, T_LIOBN, T_IOBA(4), 0xdead000ULL | 0x7fc, 0, &r4) == H_SUCCESS &&
	      tcall(&t, H_GET_TCE, T_LIOBN, T_IOBA(4), 0, 0, &r4) == H_SUCCESS &&
	      r4 == (0xdead000ULL | 0x7fc) && vf.unmaps == 1 && vf.maps == 1,
	      "tce user: an unmapping beyond RAM, reserved bits set: kept, no VFIO call");
	/* (c) the documented rules */
	CHECK(tcall(&t, H_PUT_TCE, T_LIOBN, T_IOBA(5), 0x6000 | 0x10 | TCE_PCI_READ, 0, &r4) == H_PARAMETER &&
	      tcall(&t, H_PUT_TCE, T_LIOBN, T_IOBA(5) + 8, 0x6001, 0, &r4) == H_PARAMETER &&
	      tcall(&t, H_PUT_TCE, T_LIOBN, T_IOBA(T_ENTRIES), 0x6001, 0, &r4) == H_PARAMETER &&
	      tcall(&t, H_PUT_TCE, T_LIOBN, T_WIN - 0x1000, 0x6001, 0, &r4) == H_PARAMETER &&
	      tcall(&t, H_PUT_TCE, T_LIOBN, T_IOBA(5), T_RAM | TCE_PCI_READ, 0, &r4) == H_PARAMETER &&
	      tcall(&t, H_STUFF_TCE, T_LIOBN, T_IOBA(5), TCE_PCI_READ, 1, &r4) == H_PARAMETER &&
	      t_table[5] == 0 && vf.maps == 1,
	      "tce user: reserved bits, unaligned/outside IOBAs, pages beyond RAM, mapping STUFF: H_PARAMETER");
	CHECK(tcall(&t, H_STUFF_TCE, T_LIOBN, T_IOBA(0), 0, 0, &r4) == H_SUCCESS &&
	      tcall(&t, H_STUFF_TCE, T_LIOBN, T_IOBA(T_ENTRIES), 0, 0, &r4) == H_SUCCESS &&
	      tcall(&t, H_PUT_TCE_INDIRECT, T_LIOBN, T_IOBA(0), 0x4000, 0, &r4) == H_SUCCESS &&
	      tcall(&t, H_PUT_TCE_INDIRECT, T_LIOBN, T_IOBA(0), 0x7ffff000ULL, 0, &r4) == H_SUCCESS &&
	      tcall(&t, H_PUT_TCE_INDIRECT, T_LIOBN, T_IOBA(0), 0x4100, 0, &r4) == H_PARAMETER &&
	      tcall(&t, H_STUFF_TCE, T_LIOBN, T_IOBA(T_ENTRIES + 1), 0, 0, &r4) == H_PARAMETER &&
	      vf.maps == 1 && vf.unmaps == 1 && t_table[3] == 0x5000,
	      "tce user: count 0 is H_SUCCESS and changes nothing (list not read)");
	CHECK(tcall(&t, H_PUT_TCE_INDIRECT, T_LIOBN, T_IOBA(0), 0x4000, 513, &r4) == H_PARAMETER &&
	      tcall(&t, H_PUT_TCE_INDIRECT, T_LIOBN, T_IOBA(0), 0x4008, 1, &r4) == H_PARAMETER &&
	      tcall(&t, H_PUT_TCE_INDIRECT, T_LIOBN, T_IOBA(0), T_RAM, 1, &r4) == H_PARAMETER &&
	      tcall(&t, H_PUT_TCE_INDIRECT, T_LIOBN, T_IOBA(T_ENTRIES - 1), 0x4000, 2, &r4) == H_PARAMETER,
	      "tce user: INDIRECT over 512, unaligned list, list beyond RAM, range leaving the window");
	/* INDIRECT: all or nothing, then the VFIO side of what changed */
	for (i = 0; i < 8; i++)
		be64_at(0x4000 + 8 * i, (0x10000 + (i << 12)) | TCE_PCI_READ | TCE_PCI_WRITE);
	be64_at(0x4000 + 8 * 7, 0x17000 | 0x20 | TCE_PCI_READ);
	CHECK(tcall(&t, H_PUT_TCE_INDIRECT, T_LIOBN, T_IOBA(10), 0x4000, 8, &r4) == H_PARAMETER &&
	      vf.maps == 1 && t_table[10] == 0 && t_table[16] == 0,
	      "tce user: INDIRECT whose last TCE is bad changes nothing, maps nothing");
	be64_at(0x4000 + 8 * 7, 0x17000 | TCE_PCI_READ);
	CHECK(tcall(&t, H_PUT_TCE_INDIRECT, T_LIOBN, T_IOBA(10), 0x4000, 8, &r4) == H_SUCCESS &&
	      vf.maps == 9 && t_table[10] == (0x10000 | 3) && t_table[17] == (0x17000 | 1) &&
	      vf.iova == T_IOBA(17) && vf.gpa == 0x17000 && vf.perm == TCE_PCI_READ,
	      "tce user: INDIRECT of 8 (big-endian list in guest memory): 8 maps");
	CHECK(tcall(&t, H_STUFF_TCE, T_LIOBN, T_IOBA(0), 0, T_ENTRIES, &r4) == H_SUCCESS &&
	      vf.unmaps == 9 && vf.maps == 9, "tce user: STUFF of the window unmaps only the 8 mapped");
	for (ok = 1, i = 0; i < T_ENTRIES; i++)
		ok &= t_table[i] == 0;
	CHECK(ok, "tce user: the window reads 0 after the STUFF");
	/* H_HARDWARE from VFIO */
	vf.refuse_map = T_IOBA(20);
	CHECK(tcall(&t, H_PUT_TCE, T_LIOBN, T_IOBA(20), 0x9001, 0, &r4) == H_HARDWARE &&
	      t_table[20] == 0, "tce user: MAP_DMA refused: H_HARDWARE, the entry cleared");
	vf.refuse_map = UINT64_MAX;
	tcall(&t, H_PUT_TCE, T_LIOBN, T_IOBA(21), 0x9001, 0, &r4);
	vf.refuse_unmap = T_IOBA(21);
	CHECK(tcall(&t, H_PUT_TCE, T_LIOBN, T_IOBA(21), 0xa002, 0, &r4) == H_HARDWARE &&
	      t_table[21] == 0x9001, "tce user: UNMAP_DMA refused: H_HARDWARE, the old TCE kept");

	/* no VFIO (the user path without --vfio) */
	memset(t_table, 0, sizeof(t_table));
	mv_tce_init_user(&t, T_LIOBN, 0, T_ENTRIES, t_table, t_mem, T_RAM, NULL, NULL, NULL);
	CHECK(tcall(&t, H_PUT_TCE, T_LIOBN, 0x1000, 0x3003, 0, &r4) == H_SUCCESS &&
	      t_table[1] == 0x3003, "tce user: without VFIO the table alone");

	/* an in-kernel path that left a call to minivmm */
	for (i = 0; i < T_ENTRIES; i++)
		t_table[i] = 0x100000 + (i << 12);
	memset(&vf, 0, sizeof(vf));
	CHECK(mv_tce_init_kernel(&t, T_LIOBN, T_WIN, T_ENTRIES, t_table, t_mem, T_RAM) == 0,
	      "tce kernel: set up");
	r4 = 0;
	CHECK(tcall(&t, H_GET_TCE, T_LIOBN, T_IOBA(7), 0, 0, &r4) == H_SUCCESS &&
	      r4 == 0x100000 + (7 << 12), "tce kernel: H_GET_TCE from the KVM table");
	r4 = 0x2222;
	CHECK(tcall(&t, H_GET_TCE, T_OTHER, T_IOBA(7), 0, 0, &r4) == H_PARAMETER &&
	      tcall(&t, H_GET_TCE, T_LIOBN, T_IOBA(T_ENTRIES), 0, 0, &r4) == H_PARAMETER &&
	      r4 == 0x2222, "tce kernel: H_GET_TCE for an unknown LIOBN or outside: H_PARAMETER");
	CHECK(tcall(&t, H_PUT_TCE, T_OTHER, T_IOBA(0), 0x1003, 0, &r4) == H_PARAMETER &&
	      tcall(&t, H_STUFF_TCE, T_OTHER, T_IOBA(0), 0, 1, &r4) == H_PARAMETER,
	      "tce kernel: an unknown LIOBN is H_PARAMETER, not H_HARDWARE");
	CHECK(tcall(&t, H_PUT_TCE, T_LIOBN, T_IOBA(0), 0x1003 | 0x40, 0, &r4) == H_PARAMETER &&
	      tcall(&t, H_PUT_TCE, T_LIOBN, T_IOBA(0), 0x1003, 0, &r4) == H_HARDWARE &&
	      tcall(&t, H_STUFF_TCE, T_LIOBN, T_IOBA(0), 0, 0, &r4) == H_HARDWARE &&
	      t_table[0] == 0x100000 && !vf.maps,
	      "tce kernel: refused by the rules H_PARAMETER, else H_HARDWARE; the table untouched");
	CHECK(mv_tce_init_kernel(&t, T_LIOBN, T_WIN, T_ENTRIES, NULL, t_mem, T_RAM) == 0 &&
	      tcall(&t, H_GET_TCE, T_LIOBN, T_IOBA(0), 0, 0, &r4) == H_HARDWARE &&
	      tcall(&t, H_GET_TCE, T_OTHER, T_IOBA(0), 0, 0, &r4) == H_PARAMETER,
	      "tce kernel: no view of the table: H_HARDWARE, unknown LIOBN still H_PARAMETER");
	mv_tce_init_none(&t);
	CHECK(tcall(&t, H_GET_TCE, T_LIOBN, T_IOBA(0), 0, 0, &r4) == H_PARAMETER &&
	      tcall(&t, H_PUT_TCE, T_LIOBN, T_IOBA(0), 0x1003, 0, &r4) == H_PARAMETER,
	      "tce none: no table, every TCE hypercall H_PARAMETER");
}

/* ---- the fuzz workload's generator and checker -------------------------- */

#define F_LIOBN		0x80000001ULL
#define F_WIN		0x10000000ULL
#define F_ENTRIES	1024ULL
#define F_RAM		(4ULL << 20)

static const struct fuzz_layout f_layout = {
	.liobn = F_LIOBN, .win_start = F_WIN, .entries = F_ENTRIES, .ram = F_RAM,
	.target_lo = 0x200000, .lists = 0x100000,
};

/* a path that does what the model says: a model of its own, over fake RAM */
static uint8_t f_mem[F_RAM] __attribute__((aligned(4096)));
static uint64_t f_view[F_ENTRIES];
static struct mv_fuzz_call f_script[MV_FUZZ_BATCH_MAX];
static struct tce_model f_ref;

static void ref_init(void)
{
	memset(f_view, 0, sizeof(f_view));
	memset(f_mem, 0, sizeof(f_mem));
	tce_model_init(&f_ref);
	tce_model_add_slot(&f_ref, 0, F_RAM, 0, f_mem);	/* lists read from "guest memory" */
	tce_model_add_window(&f_ref, F_LIOBN, 12, F_WIN >> 12, F_ENTRIES, f_view);
}

/*
 * The guest's side of one batch: the script made on the reference path;
 * with refuse, that path refuses the first valid H_PUT_TCE of the bound
 * LIOBN with H_HARDWARE and leaves its entry (upstream-like); its index
 * in *refused (-1: none).
 */
static unsigned int ref_batch_refusing(struct fuzz *f, int refuse, int *refused)
{
	unsigned int n = fuzz_next_batch(f), i;

	*refused = -1;
	fuzz_write_batch(f, f_script, f_mem);
	for (i = 0; i < n; i++) {
		volatile struct mv_fuzz_call *s = &f_script[i];
		uint64_t r4 = 0;

		if (refuse && *refused < 0 && s->nr == H_PUT_TCE && s->arg[0] == F_LIOBN) {
			f_ref.check_only = 1;
			s->ret = (uint64_t)tce_model_hcall(&f_ref, s->nr, f_script[i].arg, &r4);
			f_ref.check_only = 0;
			if (s->ret == H_SUCCESS) {
				s->ret = (uint64_t)(int64_t)H_HARDWARE;
				*refused = (int)i;
				continue;
			}
		}
		s->ret = (uint64_t)tce_model_hcall(&f_ref, s->nr, f_script[i].arg, &r4);
		s->r4 = r4;
	}
	return n;
}

static unsigned int ref_batch(struct fuzz *f)
{
	int refused;

	return ref_batch_refusing(f, 0, &refused);
}

/* TAP comments: every line of out */
static void print_comment(const char *out)
{
	const char *p, *nl;

	for (p = out; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl) {
			printf("# %s\n", p);
			break;
		}
		printf("# %.*s\n", (int)(nl - p), p);
	}
}

static int f_start(struct fuzz *f, struct fuzz_result *res, uint64_t seed, uint64_t calls,
		   int stop_first, FILE *out)
{
	memset(res, 0, sizeof(*res));
	ref_init();
	if (fuzz_init(f, &f_layout, seed, calls, res))
		return -1;
	f->out = out;
	f->stop_first = stop_first;
	f->kernel = 1;
	f->no_bound_exits = stop_first;
	snprintf(f->label, sizeof(f->label), "test fuzz %s", stop_first ? "iommu" : "kvm-vfio");
	snprintf(f->path, sizeof(f->path), "%s", stop_first ? "iommu" : "kvm-vfio");
	snprintf(f->repro, sizeof(f->repro), " --vfio 0");
	fuzz_sync_view(f, f_view);
	return 0;
}

static int same_calls(const struct fuzz_call *a, const struct fuzz_call *b)
{
	return a->nr == b->nr && !memcmp(a->args, b->args, sizeof(a->args)) &&
	       a->cls == b->cls && a->nlist == b->nlist &&
	       !memcmp(a->list, b->list, a->nlist * sizeof(a->list[0]));
}

static void test_fuzz_generator(void)
{
	static struct fuzz a, b, c;
	static struct fuzz_result ra, rb, rc;
	uint64_t s1 = 5, s2 = 5, calls = 0;
	int same = 1, differ = 0, prefix = 1, i;
	unsigned int n, k;

	CHECK(fuzz_rand(&s1) == fuzz_rand(&s2) && s1 == s2 && fuzz_rand(&s1) != fuzz_rand(&s1),
	      "fuzz: splitmix64 is a function of its state");
	CHECK(fuzz_init(&a, &f_layout, 42, 20000, &ra) == 0 &&
	      fuzz_init(&b, &f_layout, 42, 20000, &rb) == 0 &&
	      fuzz_init(&c, &f_layout, 43, 300, &rc) == 0, "fuzz: set up");
	while ((n = fuzz_next_batch(&a)) != 0) {
		if (fuzz_next_batch(&b) != n)
			same = 0;
		for (k = 0; k < n; k++)
			same &= same_calls(&a.batch[k], &b.batch[k]) &&
				a.batch[k].index == calls + k;
		calls += n;
	}
	CHECK(same && calls == 20000 && !fuzz_next_batch(&b),
	      "fuzz: the same seed makes the same 20000 calls");
	fuzz_free(&b);
	fuzz_init(&b, &f_layout, 42, 200, &rb);
	fuzz_free(&a);
	fuzz_init(&a, &f_layout, 42, 20000, &ra);
	for (i = 0; i < 4; i++) {
		n = fuzz_next_batch(&b);
		if (fuzz_next_batch(&a) < n)
			prefix = 0;
		for (k = 0; k < n; k++) {
			prefix &= same_calls(&a.batch[k], &b.batch[k]);
			differ += fuzz_next_batch(&c) && !same_calls(&c.batch[k], &a.batch[k]);
		}
	}
	CHECK(prefix && rb.seed == 42 && b.generated == 200 && !fuzz_next_batch(&b),
	      "fuzz: --calls M makes the first M calls of a longer run (a reproducer is exact)");
	CHECK(differ > 0, "fuzz: another seed makes other calls");
	fuzz_free(&a);
	fuzz_free(&b);
	fuzz_free(&c);
}

/*
 * kvm-vfio's stream: the same calls as every path's, but no INDIRECT list
 * entry is an unmapping with an address in RAM (each became a read mapping
 * of a target page, counted); every other entry as it was.
 */
static void test_fuzz_spare_host(void)
{
	static struct fuzz a, b;
	static struct fuzz_result ra, rb;
	uint64_t changed = 0, unsafe = 0, bad_target = 0, other = 0;
	unsigned int n, k, i;
	int shared;

	CHECK(fuzz_init(&a, &f_layout, 7, 6400, &ra) == 0 &&
	      fuzz_init(&b, &f_layout, 7, 6400, &rb) == 0, "fuzz spare_host: set up");
	b.spare_host = 1;
	while ((n = fuzz_next_batch(&a)) != 0) {
		if (fuzz_next_batch(&b) != n)
			other++;
		shared = 0;
		for (k = 0; k < n; k++) {
			const struct fuzz_call *x = &a.batch[k], *y = &b.batch[k];
			/* the calls after the first with RAM's last page share its list */
			int copy = x->nr == H_PUT_TCE_INDIRECT && x->args[2] == F_RAM - 4096 &&
				   shared++;

			if (x->nr != y->nr || memcmp(x->args, y->args, sizeof(x->args)) ||
			    x->nlist != y->nlist) {
				other++;
				continue;
			}
			for (i = 0; i < x->nlist; i++) {
				uint64_t t = x->list[i], u = y->list[i];
				int in_ram_unmap = !(t & TCE_MODEL_PERM) && (t & ~TCE_MODEL_PERM) < F_RAM;

				if (!(u & TCE_MODEL_PERM) && (u & ~TCE_MODEL_PERM) < F_RAM)
					unsafe++;
				if (t == u) {
					other += in_ram_unmap;
					continue;
				}
				changed += !copy;
				if (!in_ram_unmap)
					other++;
				if ((u & ~TCE_MODEL_PERM) < f_layout.target_lo ||
				    (u & ~TCE_MODEL_PERM) >= F_RAM || (u & 0xfff) != TCE_MODEL_READ)
					bad_target++;
			}
		}
	}
	CHECK(!other && !unsafe && !bad_target && changed > 100 && changed == rb.spared &&
	      !ra.spared,
	      "fuzz spare_host: only INDIRECT unmappings in RAM change, to read mappings of targets, all counted");
	printf("# spare_host: %llu list entries rewritten in 6400 calls\n",
	       (unsigned long long)changed);
	fuzz_free(&a);
	fuzz_free(&b);
}

static void test_fuzz_classes(void)
{
	static struct fuzz f;
	static struct fuzz_result res;
	uint64_t list[8] = { 0x201003, 0x202001, 0, F_RAM | 0x2000, 0x203002 };
	uint64_t args[4];
	unsigned int k, missing = 0;

	/* classification of hand-made calls */
	args[0] = F_LIOBN;
	args[1] = F_WIN + 0x3000;
	args[2] = 0x100000;
	args[3] = 5;
	CHECK(fuzz_classify(&f_layout, H_PUT_TCE_INDIRECT, args, list) == FZ_IND_UNMAP_BEYOND_AFTER,
	      "fuzz class: an unmapping beyond RAM after valid INDIRECT entries");
	list[0] = F_RAM | 0x2000;
	CHECK(fuzz_classify(&f_layout, H_PUT_TCE_INDIRECT, args, list) == FZ_IND_UNMAP_BEYOND_FIRST,
	      "fuzz class: ... as the first entry");
	args[3] = 0;
	args[2] = F_RAM;
	CHECK(fuzz_classify(&f_layout, H_PUT_TCE_INDIRECT, args, list) == FZ_IND_LIST_BEYOND,
	      "fuzz class: count 0, list beyond RAM: the list first");
	args[2] = 0x100000;
	args[1] = F_WIN + F_ENTRIES * 4096;
	CHECK(fuzz_classify(&f_layout, H_PUT_TCE_INDIRECT, args, list) == FZ_IND_COUNT0_END &&
	      fuzz_classify(&f_layout, H_STUFF_TCE, args, NULL) == FZ_STUFF_COUNT0_END,
	      "fuzz class: count 0 at the window's end");
	args[3] = 1;
	CHECK(fuzz_classify(&f_layout, H_STUFF_TCE, args, NULL) == FZ_STUFF_IOBA_END &&
	      fuzz_classify(&f_layout, H_GET_TCE, args, NULL) == FZ_GET_IOBA_END,
	      "fuzz class: a range of 1 at the window's end");
	args[1] = F_WIN + 5;
	CHECK(fuzz_classify(&f_layout, H_PUT_TCE, args, NULL) == FZ_PUT_IOBA_UNALIGNED,
	      "fuzz class: unaligned IOBA");
	args[1] = F_WIN;
	args[2] = 0x201000 | 0x30 | 3;
	CHECK(fuzz_classify(&f_layout, H_PUT_TCE, args, NULL) == FZ_PUT_MAP_RESERVED,
	      "fuzz class: reserved bits in a mapping");
	args[2] = (F_RAM - 4096) | 2;
	CHECK(fuzz_classify(&f_layout, H_PUT_TCE, args, NULL) == FZ_PUT_MAP_LAST_W,
	      "fuzz class: W mapping of RAM's last page");
	args[1] = UINT64_MAX & ~0xfffULL;
	CHECK(fuzz_classify(&f_layout, H_STUFF_TCE, args, NULL) == FZ_STUFF_IOBA_WRAP,
	      "fuzz class: IOBA near 2^64");
	args[0] = F_LIOBN | 1ULL << 32;
	CHECK(fuzz_classify(&f_layout, H_GET_TCE, args, NULL) == FZ_GET_UNBOUND,
	      "fuzz class: the bound LIOBN with upper bits set is another LIOBN");

	/* 100000 calls on a path that is the model: no disagreement, every class */
	CHECK(f_start(&f, &res, 1, 100000, 1, NULL) == 0, "fuzz: 100000 calls set up");
	f.race = 1;	/* raced calls made unraced: the lists' first version */
	while (ref_batch(&f))
		if (fuzz_check_batch(&f, f_script, f_view))
			break;
	CHECK(!f.stopped && res.calls == 100000 && res.disagreements == 0 &&
	      res.view_checks == res.batches && res.batches >= (100000 + 63) / 64 &&
	      res.raced && res.batches <= (100000 + 63) / 64 + res.raced && !res.raced_mixed &&
	      !res.view_entries_differing,
	      "fuzz: a path that answers as the model does: no disagreement in 100000 calls");
	for (k = 0; k < FUZZ_NCLASSES; k++) {
		if (res.cls[k].calls)
			continue;
		missing++;
		printf("# class never generated: %s\n", fuzz_class_name(k));
	}
	CHECK(!missing, "fuzz: every class is generated in 100000 calls");
	printf("# model answers: %llu H_SUCCESS, %llu H_PARAMETER of %llu\n",
	       (unsigned long long)res.rc_expected[FUZZ_RC_SUCCESS],
	       (unsigned long long)res.rc_expected[FUZZ_RC_PARAMETER],
	       (unsigned long long)res.calls);
	CHECK(res.rc_expected[FUZZ_RC_SUCCESS] * 100 >= res.calls * 65 &&
	      res.rc_expected[FUZZ_RC_SUCCESS] * 100 <= res.calls * 80,
	      "fuzz: 65-80% of the calls are valid (the table fills)");
	{
		uint64_t e, mapped = 0;

		for (e = 0; e < F_ENTRIES; e++)
			mapped += (f_view[e] & 3) != 0;
		printf("# entries mapped at the end: %llu of %llu\n", (unsigned long long)mapped,
		       (unsigned long long)F_ENTRIES);
		CHECK(mapped > 16, "fuzz: the table does not stay empty");
	}
	/* DMA samples: mapped RW pages in the target area, unmapped ones elsewhere */
	{
		struct fuzz_dma d[FUZZ_DMA_MAPPED + FUZZ_DMA_UNMAPPED];
		unsigned int n = fuzz_dma_pick(&f, d), i, ok = n == 3, nm = 0;

		for (i = 0; i < n; i++) {
			uint64_t v = f_view[d[i].idx];

			ok &= d[i].iova == F_WIN + d[i].idx * 4096 && d[i].gpa >= 0x200000 &&
			      d[i].gpa < F_RAM;
			if (d[i].mapped) {
				ok &= (v & 3) == 3 && (v & ~0xfffULL) == d[i].gpa;
				nm++;
			} else {
				ok &= !(v & 3) && d[i].gpa != d[0].gpa && d[i].gpa != d[1].gpa;
			}
		}
		CHECK(ok && nm == FUZZ_DMA_MAPPED,
		      "fuzz: DMA samples: RW mappings of target pages, an entry unmapped since");
		CHECK(fuzz_dma_due(&f, 1) && !fuzz_dma_due(&f, 0) == !!(f.nbatches % f.dma_every),
		      "fuzz: DMA samples due every dma_every batches and at the end");
	}
	fuzz_free(&f);
}

/* the first call of the current batch whose model answer is nr's success */
static int find_call(const struct fuzz *f, uint64_t nr, long ret)
{
	unsigned int i;

	for (i = 0; i < f->n; i++)
		if (f->batch[i].nr == nr && (long)(int64_t)f_script[i].ret == ret &&
		    f->batch[i].args[0] == F_LIOBN)
			return (int)i;
	return -1;
}

/*
 * A batch made on the reference path up to its raced last call (none:
 * the batch checked, and the next one); the view before that call in
 * before. The raced call itself is made with its first list.
 */
static const struct fuzz_call *ref_raced(struct fuzz *f, int kind, uint64_t *before)
{
	for (;;) {
		unsigned int n = fuzz_next_batch(f), i;
		const struct fuzz_call *c;
		uint64_t r4;

		if (!n)
			return NULL;
		fuzz_write_batch(f, f_script, f_mem);
		for (i = 0; i < n; i++) {
			if (i == n - 1)
				memcpy(before, f_view, sizeof(f_view));
			f_script[i].ret = (uint64_t)tce_model_hcall(&f_ref, f_script[i].nr,
								    f_script[i].arg, &r4);
			f_script[i].r4 = r4;
		}
		c = fuzz_raced_call(f);
		if (c && c->raced == kind && c->nlist >= 2)
			return c;
		fuzz_check_batch(f, f_script, f_view);
	}
}

static void test_fuzz_race(void)
{
	static struct fuzz f;
	static struct fuzz_result res;
	static uint64_t before[F_ENTRIES];
	const struct fuzz_call *c;
	uint64_t e0, i, bad = 0;
	int rc;

	/* the raced call ends its batch; a mix of the lists is an answer */
	f_start(&f, &res, 21, 100000, 1, NULL);
	f.race = 1;
	c = ref_raced(&f, 1, before);
	e0 = c ? (c->args[1] - F_WIN) >> 12 : 0;
	for (i = 1; c && i < c->nlist; i += 2)
		f_view[e0 + i] = c->alt[i];
	rc = c ? fuzz_check_batch(&f, f_script, f_view) : -1;
	CHECK(c && c == &f.batch[f.n - 1] && f.n <= FUZZ_BATCH && rc == 0 && !res.disagreements &&
	      res.raced == 1 && res.raced_mixed == 1 && !res.raced_refused,
	      "fuzz race: entries of both lists, H_SUCCESS: agrees, counted as mixed");
	rc = c ? ref_raced(&f, 1, before) != NULL : 0;
	if (rc)
		fuzz_check_batch(&f, f_script, f_view);
	CHECK(rc && !res.disagreements && res.raced_mixed == 1,
	      "fuzz race: the model went on with the mix (the next raced batch agrees)");
	fuzz_free(&f);

	/* alt has an entry beyond RAM: refused with nothing written agrees */
	f_start(&f, &res, 22, 100000, 1, NULL);
	f.race = 1;
	c = ref_raced(&f, 2, before);
	if (c) {
		memcpy(f_view, before, sizeof(f_view));
		f_script[f.n - 1].ret = (uint64_t)(int64_t)H_PARAMETER;
	}
	rc = c ? fuzz_check_batch(&f, f_script, f_view) : -1;
	CHECK(c && rc == 0 && !res.disagreements && res.raced_refused == 1,
	      "fuzz race: a list that became invalid, H_PARAMETER and nothing written: agrees");
	fuzz_free(&f);

	/* ... refused, but the entries before the bad one written: disagrees */
	f_start(&f, &res, 22, 100000, 1, NULL);
	f.race = 1;
	c = ref_raced(&f, 2, before);
	if (c)
		f_script[f.n - 1].ret = (uint64_t)(int64_t)H_PARAMETER;
	rc = c ? fuzz_check_batch(&f, f_script, f_view) : 0;
	CHECK(c && rc == -1 && (f.batch[f.n - 1].bad & FUZZ_BAD_VIEW),
	      "fuzz race: refused after writing entries: a disagreement (all or nothing)");
	fuzz_free(&f);

	/* ... H_SUCCESS with the entry beyond RAM in the table: disagrees */
	f_start(&f, &res, 22, 100000, 1, NULL);
	f.race = 1;
	c = ref_raced(&f, 2, before);
	e0 = c ? (c->args[1] - F_WIN) >> 12 : 0;
	for (i = 0; c && i < c->nlist; i++)
		if ((c->alt[i] & ~0xfffULL) >= F_RAM) {
			f_view[e0 + i] = c->alt[i];
			bad++;
		}
	rc = c ? fuzz_check_batch(&f, f_script, f_view) : 0;
	CHECK(c && bad == 1 && rc == -1 && (f.batch[f.n - 1].bad & FUZZ_BAD_VIEW),
	      "fuzz race: H_SUCCESS that wrote the entry beyond RAM: a disagreement");
	fuzz_free(&f);

	/* a valid pair of lists answered H_PARAMETER: disagrees */
	f_start(&f, &res, 23, 100000, 1, NULL);
	f.race = 1;
	c = ref_raced(&f, 1, before);
	if (c) {
		memcpy(f_view, before, sizeof(f_view));
		f_script[f.n - 1].ret = (uint64_t)(int64_t)H_PARAMETER;
	}
	rc = c ? fuzz_check_batch(&f, f_script, f_view) : 0;
	CHECK(c && rc == -1 && (f.batch[f.n - 1].bad & FUZZ_BAD_RC),
	      "fuzz race: two valid lists refused: a disagreement");
	fuzz_free(&f);
}

static void test_fuzz_checks(void)
{
	static struct fuzz f;
	static struct fuzz_result res;
	char *out = NULL, want[256];
	size_t len = 0;
	FILE *o;
	int i, rc, batches;
	uint64_t idx;

	/* a wrong return code stops a stopping path, with a reproducer */
	o = open_memstream(&out, &len);
	f_start(&f, &res, 7, 10000, 1, o);
	for (batches = 0; batches < 3; batches++) {
		ref_batch(&f);
		fuzz_check_batch(&f, f_script, f_view);
	}
	ref_batch(&f);
	i = find_call(&f, H_PUT_TCE, H_SUCCESS);
	idx = f.batch[i].index;
	f_script[i].ret = (uint64_t)(int64_t)H_PARAMETER;
	rc = fuzz_check_batch(&f, f_script, f_view);
	fclose(o);
	snprintf(want, sizeof(want), "test fuzz iommu: DISAGREEMENT seed 7 call %llu: H_PUT_TCE liobn=0x80000001 ioba=",
		 (unsigned long long)idx);
	CHECK(i >= 0 && rc == -1 && f.stopped && res.disagreements == 1 && strstr(out, want) &&
	      strstr(out, ": model H_SUCCESS, iommu H_PARAMETER [H_PUT_TCE: "),
	      "fuzz check: a wrong return code is a disagreement, printed with the call");
	snprintf(want, sizeof(want), "test fuzz iommu: reproduce: minivmm --workloads fuzz --paths iommu --seed 7 --calls %llu --vfio 0\n",
		 (unsigned long long)idx + 1);
	CHECK(strstr(out, want) && !fuzz_next_batch(&f) && strstr(res.stopped, "seed 7"),
	      "fuzz check: the run stops, the reproducer's --calls ends at that call");
	print_comment(out);
	free(out);
	fuzz_free(&f);

	/* a wrong entry in the view */
	o = open_memstream(&out, &len);
	f_start(&f, &res, 8, 10000, 1, o);
	do {
		ref_batch(&f);
		i = find_call(&f, H_PUT_TCE, H_SUCCESS);
		if (i < 0)
			fuzz_check_batch(&f, f_script, f_view);
	} while (i < 0);
	idx = (f.batch[i].args[1] - F_WIN) >> 12;
	f_view[idx] ^= 0x1000;
	rc = fuzz_check_batch(&f, f_script, f_view);
	fclose(o);
	snprintf(want, sizeof(want), "VIEW seed 8 after call %llu: entry %llu (ioba 0x%llx): model 0x%llx, iommu 0x%llx, last written by call ",
		 (unsigned long long)f.batch[f.n - 1].index, (unsigned long long)idx,
		 (unsigned long long)(F_WIN + idx * 4096), (unsigned long long)(f_view[idx] ^ 0x1000),
		 (unsigned long long)f_view[idx]);
	CHECK(rc == -1 && res.view_entries_differing == 1 && res.disagreements == 1 &&
	      strstr(out, want) && strstr(out, "it was the last call to write an entry that differs"),
	      "fuzz check: a wrong view entry is found and blamed on its last writer");
	print_comment(out);
	free(out);
	fuzz_free(&f);

	/* a view entry no call wrote */
	o = open_memstream(&out, &len);
	f_start(&f, &res, 9, 10000, 1, o);
	for (;;) {
		ref_batch(&f);
		for (idx = 0; idx < F_ENTRIES; idx++) {
			uint64_t first, n;
			unsigned int k;
			int hit = 0;

			for (k = 0; k < f.n; k++) {
				const struct fuzz_call *c = &f.batch[k];

				first = (c->args[1] - F_WIN) >> 12;
				n = c->nr == H_PUT_TCE ? 1 : c->args[3];
				hit |= c->nr != H_GET_TCE && first <= idx && idx - first < n;
			}
			if (!hit)
				break;
		}
		if (idx < F_ENTRIES)
			break;
		fuzz_check_batch(&f, f_script, f_view);	/* every entry written: next */
	}
	f_view[idx] = 0xbad003;
	rc = fuzz_check_batch(&f, f_script, f_view);
	fclose(o);
	CHECK(rc == -1 && res.view_untouched == 1 && res.disagreements == 1 &&
	      strstr(out, "and no call of the batch wrote it") && strstr(out, "reproduce:"),
	      "fuzz check: an entry no call wrote that changed is a disagreement");
	free(out);
	fuzz_free(&f);

	/* an INDIRECT both refused, but the path wrote its first entry anyway */
	o = open_memstream(&out, &len);
	f_start(&f, &res, 14, 100000, 1, o);
	for (i = -1; i < 0;) {
		unsigned int k;

		ref_batch(&f);
		for (k = 0; k < f.n && i < 0; k++)
			if (f.batch[k].cls == FZ_IND_MAP_FAR_AFTER && f.batch[k].list[0] & 3 &&
			    (long)(int64_t)f_script[k].ret == H_PARAMETER)
				i = (int)k;
		if (i < 0)
			fuzz_check_batch(&f, f_script, f_view);
	}
	idx = (f.batch[i].args[1] - F_WIN) >> 12;
	f_view[idx] = f.batch[i].list[0];
	rc = fuzz_check_batch(&f, f_script, f_view);
	fclose(o);
	snprintf(want, sizeof(want), "reproduce: minivmm --workloads fuzz --paths iommu --seed 14 --calls %llu ",
		 (unsigned long long)f.batch[i].index + 1);
	CHECK(rc == -1 && (f.batch[i].bad & FUZZ_BAD_VIEW) && strstr(out, want) &&
	      strstr(out, "model H_PARAMETER, iommu H_PARAMETER, but it was the last call"),
	      "fuzz check: a refused INDIRECT that wrote an entry is blamed for it (all or nothing)");
	print_comment(out);
	free(out);
	fuzz_free(&f);

	/* a wrong H_GET_TCE answer */
	o = open_memstream(&out, &len);
	f_start(&f, &res, 10, 10000, 1, o);
	do {
		ref_batch(&f);
		i = find_call(&f, H_GET_TCE, H_SUCCESS);
		if (i < 0)
			fuzz_check_batch(&f, f_script, f_view);
	} while (i < 0);
	f_script[i].r4 ^= 0x2000;
	rc = fuzz_check_batch(&f, f_script, f_view);
	fclose(o);
	CHECK(rc == -1 && res.disagreements == 1 && res.cls[f.batch[i].cls].rc_diffs == 1 &&
	      strstr(out, "H_GET_TCE liobn=0x80000001") && strstr(out, "r4=0x"),
	      "fuzz check: a wrong H_GET_TCE TCE is a disagreement");
	free(out);
	fuzz_free(&f);

	/* a bound LIOBN's call that reached userspace, on iommu */
	o = open_memstream(&out, &len);
	f_start(&f, &res, 11, 10000, 1, o);
	ref_batch(&f);
	for (i = 0; f.batch[i].args[0] != F_LIOBN; i++)
		;
	fuzz_note_exit(&f, f.batch[i].nr, f.batch[i].args);
	rc = fuzz_check_batch(&f, f_script, f_view);
	fclose(o);
	CHECK(rc == -1 && res.bound_exits == 1 && res.user_exits == 1 &&
	      strstr(out, "left to userspace (KVM_EXIT_PAPR_HCALL)"),
	      "fuzz check: a bound LIOBN's call left to userspace is a disagreement (iommu)");
	free(out);
	fuzz_free(&f);

	/* upstream's paths go on: counted by class, the model follows the path */
	o = open_memstream(&out, &len);
	f_start(&f, &res, 12, 64 * 40, 0, o);
	for (batches = 0; ref_batch_refusing(&f, batches % 2 == 0, &i); batches++)
		if (fuzz_check_batch(&f, f_script, f_view))
			break;
	fclose(o);
	{
		uint64_t put_diffs = 0;
		unsigned int k;

		for (k = FZ_PUT_UNBOUND; k <= FZ_PUT_UNMAP_RESERVED; k++)
			put_diffs += res.cls[k].rc_diffs;
		printf("# upstream: %llu calls, %llu disagreements, %llu PUT rc diffs, %llu H_HARDWARE, %llu view, %llu followups\n",
		       (unsigned long long)res.calls, (unsigned long long)res.disagreements,
		       (unsigned long long)put_diffs,
		       (unsigned long long)res.rc_actual[FUZZ_RC_HARDWARE],
		       (unsigned long long)res.view_entries_differing,
		       (unsigned long long)res.get_followups);
		CHECK(!f.stopped && res.calls == 64 * 40 && res.disagreements >= 10 &&
		      put_diffs == res.disagreements && res.rc_actual[FUZZ_RC_HARDWARE] == put_diffs,
		      "fuzz check: upstream's paths: every disagreement counted in its class, no stop");
	}
	print_comment(out);
	CHECK(strstr(out, "DISAGREEMENT") && !strstr(out, "reproduce:"),
	      "fuzz check: upstream's paths print one example per class, no reproducer");
	free(out);
	fuzz_free(&f);

	/* a failed DMA check stops a stopping path */
	o = open_memstream(&out, &len);
	f_start(&f, &res, 13, 1000, 1, o);
	ref_batch(&f);
	fuzz_check_batch(&f, f_script, f_view);
	{
		struct fuzz_dma d = { 1, 5, F_WIN + 5 * 4096, 0x300000 };

		CHECK(fuzz_dma_result(&f, &d, 1, NULL) == 0 && res.dma_passed == 1 &&
		      fuzz_dma_result(&f, &d, 0, "it did not land") == -1 && res.dma_failed == 1 &&
		      f.stopped, "fuzz check: a failed DMA sample stops the run");
	}
	fclose(o);
	CHECK(strstr(out, "DMA seed 13 after call 63: entry 5 (iova 0x10005000)") &&
	      strstr(out, "it did not land") && strstr(out, "--calls 64 --vfio 0"),
	      "fuzz check: the DMA failure is printed with a reproducer");
	free(out);
	fuzz_free(&f);
}

int main(void)
{
	printf("TAP version 13\n");
	test_stats();
	test_json();
	test_options();
	test_fdt();
	test_tce_user();
	test_fuzz_generator();
	test_fuzz_spare_host();
	test_fuzz_classes();
	test_fuzz_checks();
	test_fuzz_race();
	return tap_done();
}
