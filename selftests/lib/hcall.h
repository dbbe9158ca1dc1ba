/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PAPR hypercall numbers and return codes the tests and minivmm (VMM and
 * guest, which is freestanding: defines only) use (LoPAPR, hvcall.h).
 */
#ifndef SELFTESTS_HCALL_H
#define SELFTESTS_HCALL_H

#define H_SUCCESS		0
#define H_HARDWARE		(-1)
#define H_FUNCTION		(-2)
#define H_PRIVILEGE		(-3)
#define H_PARAMETER		(-4)

#define H_GET_TCE		0x1c
#define H_PUT_TCE		0x20
#define H_SET_DABR		0x28
#define H_PUT_TERM_CHAR		0x58
#define H_PROD			0xe8
#define H_STUFF_TCE		0x138
#define H_PUT_TCE_INDIRECT	0x13c

/*
 * Not a PAPR hypercall: KVM hands any number it does not know to userspace,
 * and the tests' guests use this one to say they are finished.
 */
#define H_LAB_DONE		0x6000

/* TCE permission bits (low bits of a TCE) */
#define TCE_PCI_READ		0x1	/* the device may read: DMA to the device */
#define TCE_PCI_WRITE		0x2	/* the device may write guest memory */

#endif
