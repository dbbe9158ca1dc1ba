// SPDX-License-Identifier: GPL-2.0
/*
 * minivmm probe GROUP [--ram MB] [--json] [--set-memlock PID]
 *
 * How much memory must a VMM be allowed to lock to pass this group through?
 * v1 (VFIO_IOMMU_ENABLE) locks the whole 32-bit DMA window; v2 locks the
 * guest RAM it preregisters. Reports both with the DMA windows and the
 * current RLIMIT_MEMLOCK, and can raise a process's limit.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <unistd.h>
#include <linux/vfio.h>

#include "../../selftests/lib/edu.h"
#include "json.h"
#include "probe.h"

static void print_limit(const char *what, rlim_t v)
{
	if (v == RLIM_INFINITY)
		printf("%s: unlimited\n", what);
	else
		printf("%s: %llu bytes (%llu MB)\n", what, (unsigned long long)v,
		       (unsigned long long)(v >> 20));
}

int probe_main(int argc, char **argv)
{
	struct vfio_iommu_spapr_tce_info info = { .argsz = sizeof(info) };
	const char *dev = NULL;
	unsigned long long ram = 256ULL << 20;
	struct rlimit lim, want;
	pid_t pid = 0;
	int json = 0, group = -1, container = -1, i, ret = 2;
	char node[64], err[160];
	uint64_t v1, v2, need;

	for (i = 2; i < argc; i++) {
		char *e;

		if (!strcmp(argv[i], "--json")) {
			json = 1;
		} else if (!strcmp(argv[i], "--set-memlock") && i + 1 < argc) {
			pid = (pid_t)strtol(argv[++i], &e, 10);
			if (*e || pid <= 0) {
				fprintf(stderr, "minivmm probe: --set-memlock wants a PID\n");
				return 2;
			}
		} else if (!strcmp(argv[i], "--ram") && i + 1 < argc) {
			ram = strtoull(argv[++i], &e, 10) << 20;
			if (*e || !ram) {
				fprintf(stderr, "minivmm probe: --ram wants MB\n");
				return 2;
			}
		} else if (!dev && argv[i][0] != '-') {
			dev = argv[i];
		} else {
			fprintf(stderr, "minivmm probe: unknown argument '%s'\n", argv[i]);
			return 2;
		}
	}
	if (!dev) {
		fprintf(stderr, "usage: minivmm probe GROUP [--ram MB] [--json] [--set-memlock PID]\n");
		return 2;
	}
	group = vfio_group_open_viable(dev, node, sizeof(node), NULL, 0, err,
				       sizeof(err));
	if (group < 0) {
		fprintf(stderr, "minivmm probe: %s\n", err);
		return 2;
	}
	container = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	if (container < 0 || ioctl(group, VFIO_GROUP_SET_CONTAINER, &container) < 0 ||
	    ioctl(container, VFIO_SET_IOMMU, VFIO_SPAPR_TCE_v2_IOMMU) < 0 ||
	    ioctl(container, VFIO_IOMMU_SPAPR_TCE_GET_INFO, &info) < 0) {
		fprintf(stderr, "minivmm probe: %s: sPAPR TCE container: %s\n", node,
			strerror(errno));
		goto out;
	}
	v1 = info.dma32_window_size;
	v2 = ram;
	need = v1 > v2 ? v1 : v2;
	if (prlimit(pid, RLIMIT_MEMLOCK, NULL, &lim) < 0) {
		fprintf(stderr, "minivmm probe: RLIMIT_MEMLOCK of %d: %s\n", (int)pid,
			strerror(errno));
		goto out;
	}
	if (pid) {
		want = lim;
		if (want.rlim_cur != RLIM_INFINITY && want.rlim_cur < need)
			want.rlim_cur = need;
		if (want.rlim_max != RLIM_INFINITY && want.rlim_max < want.rlim_cur)
			want.rlim_max = want.rlim_cur;
		if (prlimit(pid, RLIMIT_MEMLOCK, &want, NULL) < 0) {
			fprintf(stderr, "minivmm probe: raising RLIMIT_MEMLOCK of %d: %s\n",
				(int)pid, strerror(errno));
			goto out;
		}
	}
	if (json) {
		struct json j;

		json_init(&j, stdout);
		json_begin_object(&j, NULL);
		json_string(&j, "group", node);
		json_uint(&j, "dma32_window_start", info.dma32_window_start);
		json_uint(&j, "dma32_window_size", info.dma32_window_size);
		json_uint(&j, "ddw_pgsizes", info.ddw.pgsizes);
		json_uint(&j, "ddw_max_dynamic_windows", info.ddw.max_dynamic_windows_supported);
		json_uint(&j, "ddw_levels", info.ddw.levels);
		json_uint(&j, "locked_v1_bytes", v1);
		json_uint(&j, "locked_v2_bytes", v2);
		if (lim.rlim_cur == RLIM_INFINITY)
			json_null(&j, "memlock_limit_bytes");
		else
			json_uint(&j, "memlock_limit_bytes", lim.rlim_cur);
		if (pid) {
			json_int(&j, "pid", pid);
			if (want.rlim_cur == RLIM_INFINITY)
				json_null(&j, "memlock_limit_set_bytes");
			else
				json_uint(&j, "memlock_limit_set_bytes", want.rlim_cur);
		}
		json_end_object(&j);
		if (json_finish(&j))
			goto out;
	} else {
		printf("group: %s\n", node);
		printf("32-bit DMA window: 0x%x, %u MB\n", info.dma32_window_start,
		       info.dma32_window_size >> 20);
		printf("dynamic windows: up to %u, page sizes 0x%llx, %u levels\n",
		       info.ddw.max_dynamic_windows_supported,
		       (unsigned long long)info.ddw.pgsizes, info.ddw.levels);
		printf("locked memory needed: v1 (VFIO_IOMMU_ENABLE) %llu MB: the window; "
		       "v2 %llu MB: the guest RAM it preregisters\n",
		       (unsigned long long)(v1 >> 20), (unsigned long long)(v2 >> 20));
		print_limit("RLIMIT_MEMLOCK now", lim.rlim_cur);
		if (pid)
			print_limit("RLIMIT_MEMLOCK set", want.rlim_cur);
	}
	ret = 0;
out:
	if (container >= 0)
		close(container);
	close(group);
	return ret;
}
