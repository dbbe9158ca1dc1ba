/* SPDX-License-Identifier: GPL-2.0 */
/* The VM: KVM objects, guest memory, the guest image, vCPU threads. */
#ifndef MINIVMM_VM_H
#define MINIVMM_VM_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/kvm.h>

#include "abi.h"

struct mvm;

struct mvcpu {
	struct mvm *vm;
	int id;
	int fd;
	struct kvm_run *run;
	pthread_t thread;
	int started;
	int done;		/* MV_H_DONE seen */
	int64_t status;		/* the guest's status at MV_H_DONE */
	const char *error;	/* why the vCPU stopped otherwise */
	/* counters for the current workload */
	uint64_t tce_exits;
	uint64_t console_exits;
	uint64_t null_exits;
};

/*
 * Called for each KVM_EXIT_PAPR_HCALL that is not one of minivmm's own
 * (MV_H_*). Sets run->papr_hcall.ret (and args[0] for r4). Returns 0, or -1
 * to stop the vCPU with an error.
 */
typedef int (*mv_hcall_fn)(void *ctx, struct mvcpu *vcpu);
/* MV_H_MARK: index, kind, arg. Returns 0 or -1 to stop. */
typedef int (*mv_mark_fn)(void *ctx, struct mvcpu *vcpu, uint64_t idx,
			  uint64_t kind, uint64_t arg);

struct mvm {
	int kvm_fd;
	int fd;
	uint8_t *mem;
	uint64_t ram;
	unsigned int nvcpus;
	struct mvcpu vcpu[MV_MAX_VCPUS];
	uint64_t entry;
	int quiet;
	mv_hcall_fn hcall;
	mv_mark_fn mark;
	void *ctx;
	pthread_mutex_t lock;	/* serialises hcall and mark callbacks */
	volatile int stop;
};

/* errors: NULL + errno, and *why names the step; hugepages: MAP_HUGETLB RAM */
struct mvm *mvm_create(int kvm_fd, int type, uint64_t ram, unsigned int nvcpus,
		       int hugepages, const char **why);
void mvm_destroy(struct mvm *vm);
/* Loads an ELF64 LE PPC image's PT_LOAD segments; entry point kept. */
int mvm_load_elf(struct mvm *vm, const void *elf, size_t len, const char **why);
/* Exception vector stubs that report MV_H_FAULT. */
void mvm_install_vectors(struct mvm *vm);
/* Starts every vCPU at the entry: r3 = fdt, r4 = cpu. */
int mvm_run(struct mvm *vm, uint64_t fdt_gpa, unsigned int timeout_s,
	    const char **why);
/* KVM_CAP_PPC_ENABLE_HCALL for nr */
int mvm_enable_hcall(struct mvm *vm, unsigned long nr);

#endif
