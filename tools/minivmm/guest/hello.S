/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The smallest guest that follows minivmm's convention (see
 * Documentation/minivmm.md): a greeting through H_PUT_TERM_CHAR, then the
 * exit hypercall with status 0. `minivmm --guest hello-guest.elf`.
 */
	.section .text.start,"ax"
	.globl _start
_start:
	bl	1f
	.ascii	"hello from a for"	/* 16 bytes: r6, r7 */
	.ascii	"eign guest\n\0\0\0\0\0"
1:	mflr	9
	li	10,0
2:	li	3,0x58		/* H_PUT_TERM_CHAR */
	li	4,0
	li	5,16
	cmpdi	10,1
	bne	3f
	li	5,11		/* "eign guest\n" */
	/* the bytes go big-endian in the registers: load byte-reversed */
3:	li	11,8
	ldbrx	6,0,9
	ldbrx	7,9,11
	sc	1
	addi	9,9,16
	addi	10,10,1
	cmpdi	10,2
	blt	2b
	li	3,0x6000	/* done */
	li	4,0
	sc	1
4:	b	4b
