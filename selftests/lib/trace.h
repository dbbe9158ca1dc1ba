/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel tracepoints through tracefs, for one test at a time: the global
 * trace buffer is cleared when a test begins and read when it ends.
 */
#ifndef SELFTESTS_TRACE_H
#define SELFTESTS_TRACE_H

/* events: a system ("kvm_tce_iommu") or one event ("system/event") */
int trace_available(const char *events);
/* clear the buffer and enable events; 0 or -1 with errno */
int trace_begin(const char *events);
/*
 * Disable events and return what was recorded: one line per event, from
 * the event's name on ("name: fields"), in order. malloc'ed; NULL on error.
 */
char *trace_end(const char *events);

#endif
