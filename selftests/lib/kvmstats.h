/* SPDX-License-Identifier: GPL-2.0 */
/* KVM binary statistics (KVM_GET_STATS_FD) read by name. */
#ifndef SELFTESTS_KVMSTATS_H
#define SELFTESTS_KVMSTATS_H

#include <stddef.h>
#include <stdint.h>

struct kvm_stats {
	int fd;
	uint32_t num_desc;
	uint32_t name_size;
	uint32_t data_offset;
	void *descs;		/* num_desc descriptors, each with its name */
	size_t desc_size;	/* bytes of one descriptor and its name */
};

/* KVM_GET_STATS_FD on a VM or vCPU fd; 0 or -1 with errno */
int kvm_stats_open(int fd, struct kvm_stats *s);
/* the first value of the statistic `name`; 0 or -1 when it does not exist */
int kvm_stats_get(struct kvm_stats *s, const char *name, uint64_t *val);
void kvm_stats_close(struct kvm_stats *s);
/*
 * "key:\tN" of fd's /proc/self/fdinfo (a KVM_CREATE_SPAPR_TCE_IOMMU
 * binding's: its window and memory); -1 when it has no such line
 */
long long fdinfo_get(int fd, const char *key);

#endif
