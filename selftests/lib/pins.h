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
/*
 * Pins released by a close or by a process's exit show a little later:
 * the preregistered memory of a v2 container is unpinned from an RCU
 * callback (mm_iommu_put() -> call_rcu()), after close() or waitpid() has
 * returned. Polls every 20 ms for at most max_ms until the pins are back
 * at want; returns the last count.
 */
long pins_settle(long want, int max_ms);
/* how long a released pin may take to show, for pins_settle() */
#define PINS_WAIT_MS	5000
/*
 * A baseline: a count that held for 50 ms, for at most 2 s (a previous
 * program's last unpinning may still be on its way); -1 when /proc/vmstat
 * cannot say.
 */
long pins_steady(void);

#endif
