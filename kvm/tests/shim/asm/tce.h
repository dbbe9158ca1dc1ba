/* SPDX-License-Identifier: GPL-2.0 */
/* Native shim: the TCE permission bits (see linux/kvm_host.h here) */
#ifndef SHIM_ASM_TCE_H
#define SHIM_ASM_TCE_H

#define TCE_PCI_WRITE	0x2
#define TCE_PCI_READ	0x1

#endif
