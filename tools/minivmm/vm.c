// SPDX-License-Identifier: GPL-2.0
/*
 * VM lifecycle and the vCPU run loops. One thread per vCPU; hypercalls the
 * guest makes to the VMM are dispatched under vm->lock.
 */
#include <elf.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "vm.h"

#define H_PUT_TERM_CHAR		0x58
#define H_SUCCESS		0

#define MSR_SF	(1ULL << 63)
#define MSR_ME	(1ULL << 12)
#define MSR_RI	(1ULL << 1)
#define MSR_LE	(1ULL << 0)

struct mvm *mvm_create(int kvm_fd, int type, uint64_t ram, unsigned int nvcpus,
		       int hugepages, const char **why)
{
	struct kvm_userspace_memory_region slot = { 0 };
	struct kvm_enable_cap papr = { .cap = KVM_CAP_PPC_PAPR };
	struct mvm *vm;
	int size, err;
	unsigned int i;

	if (nvcpus < 1 || nvcpus > MV_MAX_VCPUS) {
		*why = "vCPU count";
		errno = EINVAL;
		return NULL;
	}
	vm = calloc(1, sizeof(*vm));
	if (!vm) {
		*why = "memory";
		return NULL;
	}
	pthread_mutex_init(&vm->lock, NULL);
	vm->kvm_fd = kvm_fd;
	vm->mem = MAP_FAILED;
	for (i = 0; i < MV_MAX_VCPUS; i++) {
		vm->vcpu[i].fd = -1;
		vm->vcpu[i].run = MAP_FAILED;
	}
	vm->fd = ioctl(kvm_fd, KVM_CREATE_VM, type);
	if (vm->fd < 0) {
		*why = "KVM_CREATE_VM";
		goto fail;
	}
	vm->ram = ram;
	vm->mem = mmap(NULL, ram, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE |
		       (hugepages ? MAP_HUGETLB : 0), -1, 0);
	if (vm->mem == MAP_FAILED) {
		*why = hugepages ? "mmap of the guest RAM in hugepages (/proc/sys/vm/nr_hugepages)" :
				   "mmap of the guest RAM";
		goto fail;
	}
	slot.memory_size = ram;
	slot.userspace_addr = (uintptr_t)vm->mem;
	if (ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &slot) < 0) {
		*why = "KVM_SET_USER_MEMORY_REGION";
		goto fail;
	}
	size = ioctl(kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (size < 0) {
		*why = "KVM_GET_VCPU_MMAP_SIZE";
		goto fail;
	}
	for (i = 0; i < nvcpus; i++) {
		struct mvcpu *c = &vm->vcpu[i];

		c->vm = vm;
		c->id = (int)i;
		c->fd = ioctl(vm->fd, KVM_CREATE_VCPU, i);
		if (c->fd < 0) {
			*why = "KVM_CREATE_VCPU";
			goto fail;
		}
		c->run = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE,
			      MAP_SHARED, c->fd, 0);
		if (c->run == MAP_FAILED) {
			*why = "mmap of kvm_run";
			goto fail;
		}
		if (ioctl(c->fd, KVM_ENABLE_CAP, &papr) < 0) {
			*why = "KVM_ENABLE_CAP(KVM_CAP_PPC_PAPR)";
			goto fail;
		}
		vm->nvcpus = i + 1;
	}
	return vm;
fail:
	err = errno;
	mvm_destroy(vm);
	errno = err;
	return NULL;
}

void mvm_destroy(struct mvm *vm)
{
	unsigned int i;
	int size;

	if (!vm)
		return;
	size = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	for (i = 0; i < MV_MAX_VCPUS; i++) {
		if (vm->vcpu[i].run != MAP_FAILED && size > 0)
			munmap(vm->vcpu[i].run, (size_t)size);
		if (vm->vcpu[i].fd >= 0)
			close(vm->vcpu[i].fd);
	}
	if (vm->fd >= 0)
		close(vm->fd);
	if (vm->mem != MAP_FAILED)
		munmap(vm->mem, vm->ram);
	pthread_mutex_destroy(&vm->lock);
	free(vm);
}

int mvm_enable_hcall(struct mvm *vm, unsigned long nr)
{
	struct kvm_enable_cap cap = {
		.cap = KVM_CAP_PPC_ENABLE_HCALL, .args = { nr, 1 },
	};

	return ioctl(vm->fd, KVM_ENABLE_CAP, &cap);
}

int mvm_load_elf(struct mvm *vm, const void *elf, size_t len, const char **why)
{
	const Elf64_Ehdr *eh = elf;
	unsigned int i;

	if (len < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_ident[EI_DATA] != ELFDATA2LSB || eh->e_machine != EM_PPC64) {
		*why = "not a little-endian ELF64 PowerPC image";
		return -1;
	}
	if (eh->e_phoff > len || eh->e_phnum > (len - eh->e_phoff) / sizeof(Elf64_Phdr)) {
		*why = "ELF program headers out of the file";
		return -1;
	}
	for (i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *ph = (const Elf64_Phdr *)((const uint8_t *)elf +
							     eh->e_phoff) + i;

		if (ph->p_type != PT_LOAD)
			continue;
		if (ph->p_filesz > ph->p_memsz || ph->p_offset > len ||
		    ph->p_filesz > len - ph->p_offset ||
		    ph->p_paddr < MV_GPA_IMAGE || ph->p_paddr >= vm->ram ||
		    ph->p_memsz > vm->ram - ph->p_paddr) {
			*why = "ELF segment outside the file or the guest RAM (images load at 4 MiB or above)";
			return -1;
		}
		memcpy(vm->mem + ph->p_paddr, (const uint8_t *)elf + ph->p_offset,
		       ph->p_filesz);
		memset(vm->mem + ph->p_paddr + ph->p_filesz, 0,
		       ph->p_memsz - ph->p_filesz);
	}
	if (eh->e_entry < MV_GPA_IMAGE || eh->e_entry >= vm->ram) {
		*why = "ELF entry point outside the guest RAM";
		return -1;
	}
	vm->entry = eh->e_entry;
	return 0;
}

/*
 * Every interrupt vector from 0x100 to 0x1780 reports itself:
 *   li r4,vec; mfsrr0 r5; mfsrr1 r6; li r3,MV_H_FAULT; sc 1; b .
 */
void mvm_install_vectors(struct mvm *vm)
{
	uint32_t *p;
	unsigned int v;

	for (v = 0x100; v < 0x1800; v += 0x80) {
		p = (uint32_t *)(vm->mem + v);
		p[0] = 0x38800000 | v;			/* li r4,v */
		p[1] = 0x7cba02a6;			/* mfsrr0 r5 */
		p[2] = 0x7cdb02a6;			/* mfsrr1 r6 */
		p[3] = 0x38600000 | MV_H_FAULT;		/* li r3,MV_H_FAULT */
		p[4] = 0x44000022;			/* sc 1 */
		p[5] = 0x48000000;			/* b . */
	}
}

static void console_out(struct mvcpu *c)
{
	uint64_t n = c->run->papr_hcall.args[1];
	char buf[16];
	uint64_t i;

	if (n > 16)
		n = 16;
	for (i = 0; i < n; i++)
		buf[i] = (char)(c->run->papr_hcall.args[2 + i / 8] >> (56 - 8 * (i % 8)));
	if (!c->vm->quiet)
		fwrite(buf, 1, n, stdout);
	c->run->papr_hcall.ret = H_SUCCESS;
}

static void *vcpu_loop(void *arg)
{
	struct mvcpu *c = arg;
	struct mvm *vm = c->vm;
	struct kvm_run *run = c->run;

	for (;;) {
		int rc;

		if (vm->stop) {
			c->error = "stopped: the run timed out";
			break;
		}
		if (ioctl(c->fd, KVM_RUN, 0) < 0) {
			if (errno == EINTR)
				continue;
			c->error = "KVM_RUN failed";
			break;
		}
		if (run->exit_reason == KVM_EXIT_INTR)
			continue;
		if (run->exit_reason != KVM_EXIT_PAPR_HCALL) {
			c->error = "unexpected exit (not a hypercall)";
			break;
		}
		switch (run->papr_hcall.nr) {
		case MV_H_NULL:
			/* the bare loop minivmm's own handling is measured against */
			c->null_exits++;
			run->papr_hcall.ret = H_SUCCESS;
			continue;
		case MV_H_DONE:
			c->status = (int64_t)run->papr_hcall.args[0];
			c->done = 1;
			return NULL;
		case MV_H_FAULT:
			fprintf(stderr, "minivmm: vCPU %d: guest interrupt 0x%llx at 0x%llx (SRR1 0x%llx)\n",
				c->id, (unsigned long long)run->papr_hcall.args[0],
				(unsigned long long)run->papr_hcall.args[1],
				(unsigned long long)run->papr_hcall.args[2]);
			c->error = "guest took an interrupt";
			return NULL;
		case H_PUT_TERM_CHAR:
			c->console_exits++;
			console_out(c);
			continue;
		case MV_H_MARK:
			pthread_mutex_lock(&vm->lock);
			rc = vm->mark ? vm->mark(vm->ctx, c, run->papr_hcall.args[0],
						 run->papr_hcall.args[1],
						 run->papr_hcall.args[2]) : 0;
			pthread_mutex_unlock(&vm->lock);
			run->papr_hcall.ret = H_SUCCESS;
			break;
		default:
			pthread_mutex_lock(&vm->lock);
			rc = vm->hcall ? vm->hcall(vm->ctx, c) : -1;
			pthread_mutex_unlock(&vm->lock);
			break;
		}
		if (rc < 0) {
			if (!c->error)
				c->error = "hypercall handling failed";
			break;
		}
	}
	return NULL;
}

static void on_sigusr1(int sig)
{
	(void)sig;
}

int mvm_run(struct mvm *vm, uint64_t fdt_gpa, unsigned int timeout_s,
	    const char **why)
{
	struct sigaction sa = { .sa_handler = on_sigusr1 };
	struct timespec tick = { .tv_nsec = 20 * 1000 * 1000 };
	time_t deadline = time(NULL) + timeout_s;
	unsigned int i, done;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);	/* no SA_RESTART: KVM_RUN returns EINTR */
	for (i = 0; i < vm->nvcpus; i++) {
		struct mvcpu *c = &vm->vcpu[i];
		struct kvm_regs regs;

		if (ioctl(c->fd, KVM_GET_REGS, &regs) < 0) {
			*why = "KVM_GET_REGS";
			return -1;
		}
		regs.pc = vm->entry;
		regs.msr = MSR_SF | MSR_ME | MSR_RI | MSR_LE;
		regs.gpr[3] = fdt_gpa;
		regs.gpr[4] = i;
		regs.gpr[5] = 0;
		if (ioctl(c->fd, KVM_SET_REGS, &regs) < 0) {
			*why = "KVM_SET_REGS";
			return -1;
		}
	}
	for (i = 0; i < vm->nvcpus; i++) {
		if (pthread_create(&vm->vcpu[i].thread, NULL, vcpu_loop, &vm->vcpu[i])) {
			vm->vcpu[i].error = "pthread_create failed";
			vm->stop = 1;
			break;
		}
		vm->vcpu[i].started = 1;
	}
	if (vm->stop) {
		/* a thread failed to start: stop the ones that did */
		for (i = 0; i < vm->nvcpus; i++)
			if (vm->vcpu[i].started)
				pthread_kill(vm->vcpu[i].thread, SIGUSR1);
	}
	do {
		nanosleep(&tick, NULL);
		for (done = 0, i = 0; i < vm->nvcpus; i++) {
			done += !vm->vcpu[i].started || vm->vcpu[i].done ||
				vm->vcpu[i].error;
			if (vm->vcpu[i].error)
				vm->stop = 1;	/* one failed: stop the others */
		}
		if (!vm->stop && time(NULL) > deadline)
			vm->stop = 1;
		if (vm->stop)
			for (i = 0; i < vm->nvcpus; i++)
				if (vm->vcpu[i].started && !vm->vcpu[i].done &&
				    !vm->vcpu[i].error)
					pthread_kill(vm->vcpu[i].thread, SIGUSR1);
	} while (done < vm->nvcpus);
	for (i = 0; i < vm->nvcpus; i++)
		if (vm->vcpu[i].started)
			pthread_join(vm->vcpu[i].thread, NULL);
	for (i = 0; i < vm->nvcpus; i++) {
		if (vm->vcpu[i].error) {
			*why = vm->vcpu[i].error;
			return -1;
		}
	}
	return 0;
}
