// SPDX-License-Identifier: GPL-2.0
/*
 * minivmm: a tiny POWER KVM VMM that measures TCE hypercalls over every
 * path side by side. See Documentation/minivmm.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench.h"
#include "options.h"
#include "probe.h"

extern const char minivmm_guest_elf[], minivmm_guest_elf_end[];

static uint64_t timebase_hz(void)
{
	char line[256];
	uint64_t hz = 0;
	FILE *f = fopen("/proc/cpuinfo", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "timebase", 8) && strchr(line, ':'))
			hz = strtoull(strchr(line, ':') + 1, NULL, 10);
	fclose(f);
	return hz;
}

static void *read_file(const char *path, size_t *len)
{
	struct stat st;
	void *buf;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0 || st.st_size <= 0 || st.st_size > (64 << 20)) {
		close(fd);
		errno = EFBIG;
		return NULL;
	}
	buf = malloc((size_t)st.st_size);
	if (buf && read(fd, buf, (size_t)st.st_size) != st.st_size) {
		free(buf);
		buf = NULL;
		errno = EIO;
	}
	close(fd);
	*len = (size_t)st.st_size;
	return buf;
}

int main(int argc, char **argv)
{
	static struct bench b;
	struct options o;
	char err[256] = "";
	void *guest = NULL;
	int rc;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1 && !strcmp(argv[1], "probe"))
		return probe_main(argc, argv);
	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs(usage_text(), stdout);
		return 0;
	}
	if (parse_options(argc, argv, &o, err, sizeof(err))) {
		fprintf(stderr, "minivmm: %s (see --help)\n", err);
		return 2;
	}
	b.o = &o;
	b.tb_hz = timebase_hz();
	if (!b.tb_hz) {
		fprintf(stderr, "minivmm: no timebase frequency in /proc/cpuinfo\n");
		return 2;
	}
	if (o.guest) {
		guest = read_file(o.guest, &b.guest_len);
		if (!guest) {
			fprintf(stderr, "minivmm: --guest %s: %s\n", o.guest, strerror(errno));
			return 2;
		}
		b.guest = guest;
	} else {
		b.guest = minivmm_guest_elf;
		b.guest_len = (size_t)(minivmm_guest_elf_end - minivmm_guest_elf);
	}
	rc = bench_run(&b, err, sizeof(err));
	if (rc == 2) {
		fprintf(stderr, "minivmm: %s\n", err);
		free(guest);
		return 2;
	}
	bench_print(&b);
	if (o.json && bench_json(&b, o.json)) {
		fprintf(stderr, "minivmm: cannot write %s\n", o.json);
		rc = 1;
	}
	free(guest);
	return rc ? 1 : 0;
}
