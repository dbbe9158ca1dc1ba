/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pinned pages of the whole machine (FOLL_PIN), from /proc/vmstat:
 * nr_foll_pin_acquired - nr_foll_pin_released. v1 containers and v1
 * bindings pin guest pages without charging VmLck; this is how a test sees
 * a pin that was never given back, whichever process took it.
 */
#ifndef SELFTESTS_PINS_H
#define SELFTESTS_PINS_H

/* pins held now, machine-wide; -1 when /proc/vmstat cannot say */
long pins_held(void);

#endif
