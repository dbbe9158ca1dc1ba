/* SPDX-License-Identifier: GPL-2.0 */
/* The built-in guest, linked into minivmm. */
	.section .rodata.guest,"a"
	.balign 16
	.globl minivmm_guest_elf
minivmm_guest_elf:
	.incbin MINIVMM_GUEST_ELF
	.globl minivmm_guest_elf_end
minivmm_guest_elf_end:
	.section .note.GNU-stack,"",@progbits
