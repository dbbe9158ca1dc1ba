/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entry of minivmm's guest. Every vCPU starts here in real mode, 64-bit,
 * little-endian, with r3 = device tree address and r4 = its cpu number.
 */
	.section .text.start,"ax"
	.globl _start
_start:
	bl	1f
1:	mflr	12
	addis	2,12,(.TOC. - 1b)@ha
	addi	2,2,(.TOC. - 1b)@l
	/* stack: 64 KiB per vCPU below MV_GPA_STACKS + (cpu + 1) * 64 KiB */
	addi	5,4,1
	sldi	5,5,16
	lis	1,0x80		/* 0x800000 = MV_GPA_STACKS */
	add	1,1,5
	addi	1,1,-128
	li	0,0
	std	0,0(1)
	bl	guest_main
2:	b	2b

/*
 * long hcall(unsigned long nr, unsigned long a0, unsigned long a1,
 *            unsigned long a2, unsigned long a3, unsigned long *r4)
 * Issues "sc 1" with r3 = nr, r4-r7 = a0-a3; returns r3 and stores r4.
 */
	.text
	.globl hcall
hcall:
	std	8,-8(1)
	sc	1
	ld	8,-8(1)
	cmpdi	8,0
	beq	1f
	std	4,0(8)
1:	blr

/* Same, timed with the timebase: *ticks = cycles between the two mftb. */
	.globl hcall_timed
hcall_timed:
	std	8,-8(1)
	std	9,-16(1)
	mftb	10
	std	10,-24(1)
	sc	1
	mftb	11
	ld	10,-24(1)
	subf	11,10,11
	ld	9,-16(1)
	std	11,0(9)
	ld	8,-8(1)
	cmpdi	8,0
	beq	1f
	std	4,0(8)
1:	blr
