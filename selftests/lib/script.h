/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hypercall-script guest: a table of hypercalls in guest memory, run in
 * order. For each entry the guest loads nr into r3 and args into r4..r7,
 * issues "sc 1", and stores r3 and r4 back into ret and r4. Tests fill the
 * table, run the guest, and read the results.
 */
#ifndef SELFTESTS_SCRIPT_H
#define SELFTESTS_SCRIPT_H

#include <stdint.h>

#include "vm.h"

struct hcall_op {
	uint64_t nr;
	uint64_t args[4];
	uint64_t ret;
	uint64_t r4;
};

#define SCRIPT_GPA	0x20000UL
#define SCRIPT_MAX	((0x100000UL - SCRIPT_GPA) / sizeof(struct hcall_op))

/* Copy the script guest's code to GUEST_CODE_GPA. */
int script_load(struct vm *vm);
/* The script table in guest memory (SCRIPT_MAX entries). */
struct hcall_op *script_ops(struct vm *vm);
/* Point the vCPU at the first n entries; ret/r4 are preset to a poison. */
int script_start(struct vcpu *vcpu, unsigned int n);
/* Fill one entry. */
void script_set(struct hcall_op *op, uint64_t nr, uint64_t a0, uint64_t a1,
		uint64_t a2, uint64_t a3);

#define SCRIPT_POISON	0x5a5a5a5a5a5a5a5aULL

#endif
