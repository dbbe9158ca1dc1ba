/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MINIVMM_PROBE_H
#define MINIVMM_PROBE_H

int probe_main(int argc, char **argv);

#endif
