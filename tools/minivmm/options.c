// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi.h"
#include "options.h"

const char *const path_names[NR_PATHS] = {
	[PATH_USER] = "user",
	[PATH_KVM_TABLE] = "kvm-table",
	[PATH_KVM_VFIO] = "kvm-vfio",
	[PATH_IOMMU] = "iommu",
	[PATH_FLOOR] = "floor",
};

static const struct {
	const char *name;
	unsigned int id;
	unsigned int batch;
} workloads[] = {
	{ "put", MV_WL_PUT, 1 },
	{ "indirect", MV_WL_INDIRECT, 512 },
	{ "stuff", MV_WL_STUFF, 64 },
	{ "get", MV_WL_GET, 1 },
	{ "map-window", MV_WL_MAP_WINDOW, 512 },
	{ "random", MV_WL_RANDOM, 1 },
	{ "put-mt", MV_WL_PUT_MT, 1 },
	{ "put-shared", MV_WL_PUT_SHARED, 1 },
	{ "null", MV_WL_NULL, 1 },
	/* not a benchmark: not in DEFAULT_WORKLOADS */
	{ "fuzz", MV_WL_FUZZ, MV_FUZZ_BATCH_MAX },
};

#define DEFAULT_WORKLOADS "put,indirect-1,indirect-8,indirect-64,indirect-512,stuff,get,map-window,random,put-mt,put-shared,null"

const char *workload_name(unsigned int id)
{
	size_t i;

	if (id == MV_WL_FLOOR)
		return "floor";
	for (i = 0; i < sizeof(workloads) / sizeof(workloads[0]); i++)
		if (workloads[i].id == id)
			return workloads[i].name;
	return "?";
}

const char *usage_text(void)
{
	return
	"usage: minivmm [options]              benchmark TCE hypercalls\n"
	"       minivmm probe GROUP [--json] [--set-memlock PID]\n"
	"  --paths LIST       user,kvm-table,kvm-vfio,iommu,floor (default: all)\n"
	"  --workloads LIST   put,indirect[-N],stuff[-N],get,map-window,random,\n"
	"                     put-mt,put-shared,null (default: " DEFAULT_WORKLOADS "),\n"
	"                     fuzz (random TCE hypercalls checked against the model)\n"
	"  --calls N          timed hypercalls per workload and vCPU (default 1000);\n"
	"                     fuzz: its calls in all (make fuzz: 1000000)\n"
	"  --seed N           the fuzz workload's seed (default 1)\n"
	"  --rounds N         run the paths in turn N times, samples pooled (default 1)\n"
	"  --vcpus N          vCPUs of the multi-vCPU workloads (default 2, max 8)\n"
	"  --ram MB           guest RAM (default 256)\n"
	"  --window MB        DMA window (default 64, at most the RAM; with --ddw,\n"
	"                     a power of 2 up to 1048576, 1 TiB)\n"
	"  --ddw SHIFT        the iommu path on a 64-bit window of 1 << SHIFT byte\n"
	"                     IOMMU pages (VFIO_IOMMU_SPAPR_TCE_CREATE), not the\n"
	"                     default window\n"
	"  --hugepages        guest RAM of hugepages (IOMMU pages beyond 64 KiB)\n"
	"  --vfio DEV         pass through a group (N, /dev/vfio/N) or PCI device\n"
	"  --guest ELF        boot another guest (see Documentation/minivmm.md)\n"
	"  --json FILE        write the results as JSON\n"
	"  --machine NAME     label the results\n"
	"  --pr               KVM-PR instead of KVM-HV\n"
	"  --quiet            no guest console\n";
}

static int parse_uint(const char *s, unsigned long long max,
		      unsigned long long *out)
{
	char *e;

	if (!s || !*s || *s == '-')
		return -1;
	errno = 0;
	*out = strtoull(s, &e, 10);
	if (errno || *e || *out > max)
		return -1;
	return 0;
}

static int add_workload(struct options *o, const char *tok, char *err, size_t len)
{
	size_t i, n;

	for (i = 0; i < sizeof(workloads) / sizeof(workloads[0]); i++) {
		unsigned long long b = workloads[i].batch;

		n = strlen(workloads[i].name);
		if (strncmp(tok, workloads[i].name, n))
			continue;
		if (tok[n] == '-' && (workloads[i].id == MV_WL_INDIRECT ||
				      workloads[i].id == MV_WL_STUFF)) {
			if (parse_uint(tok + n + 1, 1ULL << 30, &b) || b == 0 ||
			    (workloads[i].id == MV_WL_INDIRECT && b > 512)) {
				snprintf(err, len, "bad batch in workload '%s' (INDIRECT: 1..512)", tok);
				return -1;
			}
		} else if (tok[n]) {
			continue;
		}
		if (workloads[i].id == MV_WL_FUZZ) {
			unsigned int k;

			for (k = 0; k < o->nwl; k++) {
				if (o->wl[k].id == MV_WL_FUZZ) {
					snprintf(err, len, "workload 'fuzz' given twice");
					return -1;
				}
			}
		}
		if (o->nwl == MAX_WORKLOADS) {
			snprintf(err, len, "at most %d workloads", MAX_WORKLOADS);
			return -1;
		}
		o->wl[o->nwl].id = workloads[i].id;
		o->wl[o->nwl].batch = (unsigned int)b;
		snprintf(o->wl[o->nwl].name, sizeof(o->wl[0].name), "%s", tok);
		o->nwl++;
		return 0;
	}
	snprintf(err, len, "unknown workload '%s'", tok);
	return -1;
}

static int parse_list(const char *arg, int paths, struct options *o,
		      char *err, size_t len)
{
	char buf[512], *save = NULL, *tok;
	int i;

	if (strlen(arg) >= sizeof(buf) || !*arg) {
		snprintf(err, len, "empty or too long list '%s'", arg);
		return -1;
	}
	strcpy(buf, arg);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (!paths) {
			if (add_workload(o, tok, err, len))
				return -1;
			continue;
		}
		for (i = 0; i < NR_PATHS; i++)
			if (!strcmp(tok, path_names[i]))
				break;
		if (i == NR_PATHS) {
			snprintf(err, len, "unknown path '%s'", tok);
			return -1;
		}
		o->paths |= 1u << i;
	}
	return 0;
}

/*
 * A 64-bit window (--ddw): the iommu path alone (the others, and the fuzz
 * model, speak of 4 KiB pages of the default window), a power-of-2 size
 * (the platform's rule) of at least 1024 IOMMU pages, and the guest RAM
 * in pages as large as the IOMMU's beyond the host's 64 KiB.
 */
static int check_ddw(const struct options *o, char *err, size_t len)
{
	unsigned int k;

	if (o->paths & ~((1u << PATH_IOMMU) | (1u << PATH_FLOOR))) {
		snprintf(err, len, "--ddw serves the iommu path only (--paths iommu[,floor])");
		return -1;
	}
	for (k = 0; k < o->nwl; k++) {
		if (o->wl[k].id == MV_WL_FUZZ) {
			snprintf(err, len, "--ddw: the fuzz workload needs the default window");
			return -1;
		}
	}
	if (o->window & (o->window - 1) || o->window >> o->ddw_shift < 1024) {
		snprintf(err, len, "--ddw: the window must be a power of 2 of at least 1024 IOMMU pages");
		return -1;
	}
	if (o->ddw_shift > 16 && !o->hugepages) {
		snprintf(err, len, "--ddw %u: IOMMU pages beyond 64 KiB need --hugepages",
			 o->ddw_shift);
		return -1;
	}
	if ((4ULL << o->ddw_shift) * 2 >= o->ram - MV_GPA_SCRATCH) {
		snprintf(err, len, "--ddw %u: --ram too small for its sample and scratch pages",
			 o->ddw_shift);
		return -1;
	}
	return 0;
}

int parse_options(int argc, char **argv, struct options *o, char *err, size_t len)
{
	unsigned long long v;
	int i;

	memset(o, 0, sizeof(*o));
	o->calls = 1000;
	o->seed = 1;
	o->rounds = 1;
	o->vcpus = 2;
	o->ram = 256ULL << 20;
	o->window = 64ULL << 20;
	o->machine = "local";

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;
		int takes = 1;

		if (!strcmp(a, "--paths")) {
			if (!val || parse_list(val, 1, o, err, len))
				goto bad_list;
			o->paths_explicit = 1;
		} else if (!strcmp(a, "--workloads")) {
			if (!val || parse_list(val, 0, o, err, len))
				goto bad_list;
		} else if (!strcmp(a, "--calls")) {
			if (parse_uint(val, 10000000, &v) || !v)
				goto bad_value;
			o->calls = (unsigned int)v;
		} else if (!strcmp(a, "--seed")) {
			if (parse_uint(val, UINT64_MAX, &v))
				goto bad_value;
			o->seed = v;
		} else if (!strcmp(a, "--rounds")) {
			if (parse_uint(val, 100, &v) || !v)
				goto bad_value;
			o->rounds = (unsigned int)v;
		} else if (!strcmp(a, "--vcpus")) {
			if (parse_uint(val, MV_MAX_VCPUS, &v) || !v)
				goto bad_value;
			o->vcpus = (unsigned int)v;
		} else if (!strcmp(a, "--ram")) {
			if (parse_uint(val, 1024, &v) || v < 128)
				goto bad_value;
			o->ram = v << 20;
		} else if (!strcmp(a, "--window")) {
			if (parse_uint(val, 1ULL << 20, &v) || v < 4)
				goto bad_value;
			o->window = v << 20;
		} else if (!strcmp(a, "--ddw")) {
			if (parse_uint(val, 30, &v) || v < 12)
				goto bad_value;
			o->ddw_shift = (unsigned int)v;
		} else if (!strcmp(a, "--hugepages")) {
			o->hugepages = 1;
			takes = 0;
		} else if (!strcmp(a, "--vfio")) {
			if (!val || !*val)
				goto bad_value;
			o->vfio = val;
		} else if (!strcmp(a, "--guest")) {
			if (!val || !*val)
				goto bad_value;
			o->guest = val;
		} else if (!strcmp(a, "--json")) {
			if (!val || !*val)
				goto bad_value;
			o->json = val;
		} else if (!strcmp(a, "--machine")) {
			if (!val || !*val)
				goto bad_value;
			o->machine = val;
		} else if (!strcmp(a, "--pr")) {
			o->pr = 1;
			takes = 0;
		} else if (!strcmp(a, "--quiet")) {
			o->quiet = 1;
			takes = 0;
		} else {
			snprintf(err, len, "unknown option '%s'", a);
			return -1;
		}
		i += takes;
		continue;
bad_value:
		if (!strcmp(a, "--ram"))
			snprintf(err, len, "--ram wants 128..1024 (MB), not '%s'", val ? val : "");
		else if (!strcmp(a, "--window"))
			snprintf(err, len, "--window wants 4..1048576 (MB), not '%s'", val ? val : "");
		else if (!strcmp(a, "--ddw"))
			snprintf(err, len, "--ddw wants an IOMMU page shift of 12..30, not '%s'",
				 val ? val : "");
		else if (!strcmp(a, "--rounds"))
			snprintf(err, len, "--rounds wants 1..100, not '%s'", val ? val : "");
		else if (!strcmp(a, "--seed"))
			snprintf(err, len, "--seed wants 0..2^64-1, not '%s'", val ? val : "");
		else if (!strcmp(a, "--vcpus"))
			snprintf(err, len, "--vcpus wants 1..%d, not '%s'", MV_MAX_VCPUS, val ? val : "");
		else
			snprintf(err, len, "%s wants a value, not '%s'", a, val ? val : "");
		return -1;
bad_list:
		if (!val)
			snprintf(err, len, "%s wants a list", a);
		return -1;
	}
	if (!o->paths)
		o->paths = (1u << NR_PATHS) - 1;
	if (!o->nwl && parse_list(DEFAULT_WORKLOADS, 0, o, err, len))
		return -1;
	if (o->ddw_shift)
		return check_ddw(o, err, len);
	if (o->window > o->ram) {
		snprintf(err, len, "the DMA window (%llu MB) is larger than the guest RAM (%llu MB)",
			 (unsigned long long)(o->window >> 20),
			 (unsigned long long)(o->ram >> 20));
		return -1;
	}
	if (o->window > (4096ULL << 20)) {
		snprintf(err, len, "a window over 4096 MB needs --ddw");
		return -1;
	}
	return 0;
}
