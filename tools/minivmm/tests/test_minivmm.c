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
#include "json.h"
#include "options.h"
#include "stats.h"
#include "tce_user.h"

static int tests, failures;

static void check(int ok, const char *what, int line)
{
	tests++;
	printf("%sok %d %s\n", ok ? "" : "not ", tests, what);
	if (!ok) {
		failures++;
		printf("# test_minivmm.c:%d: check failed\n", line);
	}
}
#define CHECK(c, w) check(!!(c), w, __LINE__)

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
	CHECK(parse("--workloads put-x", &o, err) == -1 &&
	      !strcmp(err, "unknown workload 'put-x'"), "options: unknown workload");
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

int main(void)
{
	printf("TAP version 13\n");
	test_stats();
	test_json();
	test_options();
	test_fdt();
	test_tce_user();
	printf("1..%d\n", tests);
	return failures ? 1 : 0;
}
