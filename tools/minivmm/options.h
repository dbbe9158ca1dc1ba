/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MINIVMM_OPTIONS_H
#define MINIVMM_OPTIONS_H

#include <stddef.h>
#include <stdint.h>

enum mv_path {
	PATH_USER,
	PATH_KVM_TABLE,
	PATH_KVM_VFIO,
	PATH_IOMMU,
	PATH_FLOOR,
	NR_PATHS
};

#define MAX_WORKLOADS 16

struct workload_opt {
	unsigned int id;	/* enum mv_workload */
	unsigned int batch;
	char name[24];		/* "indirect-64", "put", ... */
};

struct options {
	unsigned int paths;		/* bit per enum mv_path */
	int paths_explicit;		/* --paths given: a missing one is an error */
	struct workload_opt wl[MAX_WORKLOADS];
	unsigned int nwl;
	unsigned int calls;		/* per workload and vCPU; fuzz: in all */
	uint64_t seed;			/* the fuzz workload's */
	unsigned int rounds;	/* every path, in turn, this many times */
	unsigned int vcpus;		/* for the multi-vCPU workloads */
	uint64_t ram;			/* bytes */
	uint64_t window;		/* bytes */
	unsigned int ddw_shift;		/* --ddw: its IOMMU page shift, or 0 */
	int hugepages;			/* guest RAM of hugepages */
	const char *vfio;		/* group number, /dev/vfio/N or a PCI address */
	const char *guest;		/* another guest's ELF */
	const char *json;
	const char *machine;
	int pr;
	int quiet;
};

extern const char *const path_names[NR_PATHS];

/*
 * Parses the benchmark's command line. Returns 0, or -1 with a one-line
 * reason in err. Does not touch the system.
 */
int parse_options(int argc, char **argv, struct options *o, char *err, size_t errlen);
const char *workload_name(unsigned int id);
const char *usage_text(void);

#endif
