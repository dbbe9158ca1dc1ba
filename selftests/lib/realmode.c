// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>

#include "edu.h"
#include "realmode.h"

#define RM_DIR	"/sys/kernel/debug/kvm_tce_iommu/"

bool realmode_host(void)
{
	bool power8 = false, powernv = false, hash = false;
	char line[256];
	FILE *f = fopen("/proc/cpuinfo", "r");

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "cpu\t", 4) && strstr(line, ": POWER8"))
			power8 = true;
		if (!strncmp(line, "platform\t", 9) && strstr(line, ": PowerNV"))
			powernv = true;
		if (!strncmp(line, "MMU\t", 4) && strstr(line, ": Hash"))
			hash = true;
	}
	fclose(f);
	return power8 && powernv && hash;
}

int rm_bail_set(unsigned int stage)
{
	char val[16];

	snprintf(val, sizeof(val), "%u", stage);
	return sysfs_write(RM_DIR "rm_bail", val);
}

long long rm_bailed(void)
{
	long long v = -1;
	FILE *f = fopen(RM_DIR "rm_bailed", "r");

	if (!f)
		return -1;
	if (fscanf(f, "%lld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}
