// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "edu.h"
#include "realmode.h"

#define RM_DIR	"/sys/kernel/debug/kvm_tce_iommu/"

#define EARLY_PARAM	"/sys/module/kvm_hv/parameters/tce_early"

/* Whether /proc/cpuinfo has a line "KEY<tabs>: VALUE..." */
static bool cpuinfo_has(const char *key, const char *value)
{
	size_t k = strlen(key);
	char line[256];
	bool found = false;
	FILE *f = fopen("/proc/cpuinfo", "r");

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = !strncmp(line, key, k) && line[k] == '\t' &&
			strstr(line, value);
	fclose(f);
	return found;
}

bool realmode_host(void)
{
	return cpuinfo_has("cpu", ": POWER8") && cpuinfo_has("platform", ": PowerNV") &&
	       cpuinfo_has("MMU", ": Hash");
}

bool early_host(void)
{
	return cpuinfo_has("platform", ": PowerNV") && cpuinfo_has("MMU", ": Radix") &&
	       !access(EARLY_PARAM, F_OK);
}

int early_set(bool on)
{
	return sysfs_write(EARLY_PARAM, on ? "Y" : "N");
}

bool fast_host(void)
{
	return realmode_host() || early_host();
}

int tce_served(struct kvm_stats *st, uint64_t *fast, uint64_t *exit)
{
	uint64_t vm, rm, early;

	if (kvm_stats_get(st, "tce_iommu_vm", &vm) ||
	    kvm_stats_get(st, "tce_iommu_rm", &rm) ||
	    kvm_stats_get(st, "tce_iommu_early", &early))
		return -1;
	if (early > vm) {
		errno = ERANGE;
		return -1;
	}
	*fast = rm + early;
	*exit = vm - early;
	return 0;
}

int rm_bail_set(unsigned int stage)
{
	return sysfs_write_long(RM_DIR "rm_bail", stage);
}

long long rm_bailed(void)
{
	return sysfs_read_long(RM_DIR "rm_bailed");
}
