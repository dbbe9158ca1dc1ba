/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Real-mode TCE hypercalls: whether this host has them (POWER8 PowerNV:
 * KVM-HV on a hash MMU serves hypercalls in real mode first), and the
 * debug kernel's switch that makes real mode give a call up at a stage
 * (debugfs kvm_tce_iommu/rm_bail, rm_bailed).
 */
#ifndef SELFTESTS_REALMODE_H
#define SELFTESTS_REALMODE_H

#include <stdbool.h>
#include <stdint.h>

#include "kvmstats.h"

#define RM_BAIL_FOUND		1	/* the LIOBN found, nothing done */
#define RM_BAIL_RESOLVED	2	/* every entry resolved and held */
#define RM_BAIL_LOCKED		3	/* the block locks taken */

bool realmode_host(void);
/*
 * POWER9 PowerNV (radix): kvm-hv serves bound LIOBNs' calls early in the
 * guest exit (its parameter tce_early), counted in tce_iommu_vm and, of
 * those, in tce_iommu_early.
 */
bool early_host(void);
/* tce_early on or off: 0, or -1 with errno */
int early_set(bool on);
/* real mode's host, or the early path's: the calls' fast path */
bool fast_host(void);
/*
 * A VM's bound-LIOBN calls by how they were served: *fast by a fast path
 * (tce_iommu_rm, and tce_iommu_early, which tce_iommu_vm counts too), *exit
 * through the whole exit (the rest of tce_iommu_vm). 0, or -1 with errno
 * (ERANGE: more early calls than virtual-mode ones).
 */
int tce_served(struct kvm_stats *st, uint64_t *fast, uint64_t *exit);
/* 0, or -1 with errno (ENOENT: not a debug kernel, or no debugfs) */
int rm_bail_set(unsigned int stage);
/* how many calls the switch gave up so far; -1 if unreadable */
long long rm_bailed(void);

#endif
