// SPDX-License-Identifier: GPL-2.0
/*
 * KVM and VFIO as modules, loaded the way a distribution loads them: the
 * lab's init (tools/lab/init.sh) runs only "modprobe kvm-hv" at boot and
 * "modprobe vfio-pci" before handing the edu devices to vfio-pci. Nothing
 * names the sPAPR TCE IOMMU backend: vfio's softdep ("post:
 * vfio_iommu_type1 vfio_iommu_spapr_tce") must have brought it, since the
 * kernel loads no backend on demand (VFIO_CHECK_EXTENSION answers 0 and
 * VFIO_SET_IOMMU fails with ENODEV without it). So KVM, kvm-hv, VFIO,
 * vfio-pci and vfio_iommu_spapr_tce are in /proc/modules, and a VMM's
 * container offers both sPAPR TCE IOMMU types and takes the v2 one.
 *
 * A kernel without module support has no /proc/modules: SKIP.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/vfio.h>

#include "kselftest.h"
#include "lib/edu.h"
#include "lib/vfio.h"

static const char *const wanted[] = {
	"kvm", "kvm_hv", "vfio", "vfio_iommu_spapr_tce", "vfio_pci",
};

static bool loaded(FILE *f, const char *name)
{
	char line[512];
	size_t n = strlen(name);

	rewind(f);
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, name, n) && line[n] == ' ')
			return true;
	return false;
}

int main(void)
{
	struct tce_container c;
	char bdf[1][32];
	unsigned int i;
	FILE *f;
	int fd;

	ksft_print_header();
	f = fopen("/proc/modules", "r");
	if (!f) {
		if (errno == ENOENT)
			ksft_exit_skip("no /proc/modules: a kernel without modules\n");
		ksft_exit_fail_msg("/proc/modules: %s\n", strerror(errno));
	}
	ksft_set_plan(sizeof(wanted) / sizeof(wanted[0]) + 4);

	for (i = 0; i < sizeof(wanted) / sizeof(wanted[0]); i++)
		ksft_test_result(loaded(f, wanted[i]), "%s loaded\n", wanted[i]);
	fclose(f);

	fd = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		ksft_print_msg("/dev/vfio/vfio: %s\n", strerror(errno));
	ksft_test_result(fd >= 0 &&
			 ioctl(fd, VFIO_GET_API_VERSION) == VFIO_API_VERSION,
			 "/dev/vfio/vfio speaks VFIO_API_VERSION\n");
	ksft_test_result(fd >= 0 &&
			 ioctl(fd, VFIO_CHECK_EXTENSION, VFIO_SPAPR_TCE_IOMMU) == 1,
			 "a container offers VFIO_SPAPR_TCE_IOMMU\n");
	ksft_test_result(fd >= 0 &&
			 ioctl(fd, VFIO_CHECK_EXTENSION, VFIO_SPAPR_TCE_v2_IOMMU) == 1,
			 "a container offers VFIO_SPAPR_TCE_v2_IOMMU\n");
	if (fd >= 0)
		close(fd);

	if (edu_find(bdf, 1) < 1) {
		ksft_test_result_skip("no edu device bound to vfio-pci\n");
	} else if (tce_container_open(&c, bdf[0], VFIO_SPAPR_TCE_v2_IOMMU)) {
		ksft_print_msg("%s: %s\n", bdf[0], strerror(errno));
		ksft_test_result_fail("VFIO_SET_IOMMU(VFIO_SPAPR_TCE_v2_IOMMU) on %s's group\n",
				      bdf[0]);
		tce_container_close(&c);
	} else {
		ksft_test_result_pass("VFIO_SET_IOMMU(VFIO_SPAPR_TCE_v2_IOMMU) on %s's group\n",
				      bdf[0]);
		tce_container_close(&c);
	}
	ksft_finished();
}
