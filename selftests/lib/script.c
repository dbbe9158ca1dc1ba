// SPDX-License-Identifier: GPL-2.0
#include <errno.h>

#include "script.h"

/* r14: table address, r15: number of entries */
GUEST_CODE(hcall_script,
	"mr 28,14\n"
	"mr 29,15\n"
	"1: cmpdi 29,0\n"
	"beq 2f\n"
	"ld 3,0(28)\n"
	"ld 4,8(28)\n"
	"ld 5,16(28)\n"
	"ld 6,24(28)\n"
	"ld 7,32(28)\n"
	"sc 1\n"
	"std 3,40(28)\n"
	"std 4,48(28)\n"
	"addi 28,28,56\n"
	"addi 29,29,-1\n"
	"b 1b\n"
	"2:\n"
	GUEST_DONE);

_Static_assert(sizeof(struct hcall_op) == 56, "the guest walks 56-byte entries");

int script_load(struct vm *vm)
{
	if (vm->mem_size < 0x100000) {
		errno = E2BIG;
		return -1;
	}
	return vm_load_code(vm, GUEST_CODE_GPA, hcall_script_start,
			    hcall_script_end);
}

struct hcall_op *script_ops(struct vm *vm)
{
	return vm_gpa(vm, SCRIPT_GPA);
}

int script_start(struct vcpu *vcpu, unsigned int n)
{
	struct hcall_op *ops = script_ops(vcpu->vm);
	uint64_t gprs[2] = { SCRIPT_GPA, n };
	unsigned int i;

	if (n > SCRIPT_MAX) {
		errno = E2BIG;
		return -1;
	}
	for (i = 0; i < n; i++)
		ops[i].ret = ops[i].r4 = SCRIPT_POISON;
	return vcpu_start(vcpu, gprs, 2);
}

void script_set(struct hcall_op *op, uint64_t nr, uint64_t a0, uint64_t a1,
		uint64_t a2, uint64_t a3)
{
	op->nr = nr;
	op->args[0] = a0;
	op->args[1] = a1;
	op->args[2] = a2;
	op->args[3] = a3;
}
