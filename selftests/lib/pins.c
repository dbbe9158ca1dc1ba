// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>

#include "pins.h"

long pins_held(void)
{
	long acquired = -1, released = -1, v;
	char name[64];
	FILE *f = fopen("/proc/vmstat", "r");

	if (!f)
		return -1;
	while (fscanf(f, "%63s %ld", name, &v) == 2) {
		if (!strcmp(name, "nr_foll_pin_acquired"))
			acquired = v;
		else if (!strcmp(name, "nr_foll_pin_released"))
			released = v;
	}
	fclose(f);
	if (acquired < 0 || released < 0)
		return -1;
	return acquired - released;
}
