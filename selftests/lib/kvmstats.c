// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/kvm.h>

#include "kvmstats.h"

int kvm_stats_open(int fd, struct kvm_stats *s)
{
	struct kvm_stats_header h;
	size_t len;

	memset(s, 0, sizeof(*s));
	s->fd = ioctl(fd, KVM_GET_STATS_FD, NULL);
	if (s->fd < 0)
		return -1;
	if (pread(s->fd, &h, sizeof(h), 0) != sizeof(h))
		goto fail;
	s->num_desc = h.num_desc;
	s->name_size = h.name_size;
	s->data_offset = h.data_offset;
	s->desc_size = sizeof(struct kvm_stats_desc) + h.name_size;
	len = s->desc_size * h.num_desc;
	s->descs = malloc(len ? len : 1);
	if (!s->descs || pread(s->fd, s->descs, len, h.desc_offset) != (ssize_t)len)
		goto fail;
	return 0;
fail:
	kvm_stats_close(s);
	errno = EIO;
	return -1;
}

int kvm_stats_get(struct kvm_stats *s, const char *name, uint64_t *val)
{
	uint32_t i;

	for (i = 0; i < s->num_desc; i++) {
		struct kvm_stats_desc *d = (void *)((char *)s->descs + i * s->desc_size);

		if (strncmp(d->name, name, s->name_size))
			continue;
		if (pread(s->fd, val, sizeof(*val), s->data_offset + d->offset) !=
		    sizeof(*val))
			return -1;
		return 0;
	}
	return -1;
}

void kvm_stats_close(struct kvm_stats *s)
{
	if (s->fd > 0)
		close(s->fd);
	free(s->descs);
	memset(s, 0, sizeof(*s));
	s->fd = -1;
}

long long fdinfo_get(int fd, const char *key)
{
	char path[64], line[128];
	size_t len = strlen(key);
	long long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, len) && line[len] == ':')
			v = strtoll(line + len + 1, NULL, 0);
	fclose(f);
	return v;
}
