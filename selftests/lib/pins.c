// SPDX-License-Identifier: GPL-2.0
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "pins.h"

long pins_held(void)
{
	long acquired = -1, released = -1, v;
	char name[64];
	FILE *f;
	int fd;

	/* fold every CPU's pending deltas into the counters first */
	fd = open("/proc/sys/vm/stat_refresh", O_WRONLY);
	if (fd >= 0) {
		if (write(fd, "1", 1) < 0)
			v = 0;	/* counters a second old at worst */
		close(fd);
	}
	f = fopen("/proc/vmstat", "r");
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

long pins_settle(long want, int max_ms)
{
	long pins = pins_held();
	int waited;

	for (waited = 0; pins != want && waited < max_ms; waited += 20) {
		usleep(20 * 1000);
		pins = pins_held();
	}
	return pins;
}

long pins_steady(void)
{
	long pins, steady = pins_held();
	int i;

	if (steady < 0)
		return steady;
	for (i = 0; i < 40; i++) {
		usleep(50 * 1000);
		pins = pins_held();
		if (pins == steady)
			break;
		steady = pins;
	}
	return steady;
}
