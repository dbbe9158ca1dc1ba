/* SPDX-License-Identifier: GPL-2.0 */
/* Native shim: PAPR return codes (see linux/kvm_host.h here) */
#ifndef SHIM_ASM_HVCALL_H
#define SHIM_ASM_HVCALL_H

#define H_SUCCESS	0
#define H_HARDWARE	-1
#define H_PARAMETER	-4
#define H_TOO_HARD	9999

#endif
