/* SPDX-License-Identifier: GPL-2.0 */
/* Native shim (see linux/kvm_host.h here) */
#ifndef SHIM_LINUX_SIZES_H
#define SHIM_LINUX_SIZES_H

#define SZ_4K	0x00001000

#endif
