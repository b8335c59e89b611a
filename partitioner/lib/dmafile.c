// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/mint/NAME/dma, parsed: one record per line,
 *   iommu required|off
 *   device DDDD:BB:DD.F confined|unconfined|node0|absent
 *   map 0xFIRST 0xLAST ok|wrong
 *   faults COUNT
 *   fault DDDD:BB:DD.F read|write 0xADDRESS
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "dma.h"

#define WHY(...) ((void)(why && snprintf(why, whylen, __VA_ARGS__)))

static int parse_line(const char *line, struct mint_dma *out)
{
	char word[16], a[32], b[32], c[32];
	struct mint_dma_fault *f;
	struct mint_dma_dev *d;
	struct mint_dma_map *m;
	unsigned long long x, y;
	int n;

	n = sscanf(line, "%15s %31s %31s %31s", word, a, b, c);
	if (n == 2 && !strcmp(word, "iommu")) {
		out->iommu_off = !strcmp(a, MINT_IOMMU_OFF);
		return out->iommu_off || !strcmp(a, MINT_IOMMU_REQUIRED) ? 0
									 : -1;
	}
	if (n == 3 && !strcmp(word, "device")) {
		if (out->nr_devices == MINT_MAX_DEVICES)
			return -1;
		d = &out->devices[out->nr_devices];
		if (mint_pci_parse(a, &d->addr, NULL, 0) ||
		    strlen(b) >= sizeof(d->how))
			return -1;
		strcpy(d->how, b);
		out->nr_devices++;
		return 0;
	}
	if (n == 4 && !strcmp(word, "map")) {
		if (out->nr_maps == MINT_MAX_RANGES ||
		    sscanf(a, "%llx", &x) != 1 || sscanf(b, "%llx", &y) != 1 ||
		    y < x || (strcmp(c, "ok") && strcmp(c, "wrong")))
			return -1;
		m = &out->maps[out->nr_maps++];
		m->first = x;
		m->last = y;
		m->ok = !strcmp(c, "ok");
		return 0;
	}
	if (n == 2 && !strcmp(word, "faults"))
		return sscanf(a, "%llu", &x) == 1 ? (out->faults = x, 0) : -1;
	if (n == 4 && !strcmp(word, "fault")) {
		if (out->nr_recent == MINT_DMA_FAULTS_KEPT)
			return -1;
		f = &out->recent[out->nr_recent];
		if (mint_pci_parse(a, &f->addr, NULL, 0) ||
		    (strcmp(b, "read") && strcmp(b, "write")) ||
		    sscanf(c, "%llx", &x) != 1)
			return -1;
		f->write = !strcmp(b, "write");
		f->iova = x;
		out->nr_recent++;
		return 0;
	}
	return -1;
}

int mint_dma_parse(const char *text, struct mint_dma *out, char *why,
		   size_t whylen)
{
	const char *p = text, *nl;
	char line[128];
	size_t len;

	memset(out, 0, sizeof(*out));
	while (*p) {
		nl = strchr(p, '\n');
		len = nl ? (size_t)(nl - p) : strlen(p);
		if (len >= sizeof(line)) {
			WHY("a line of %zu bytes", len);
			return -EINVAL;
		}
		memcpy(line, p, len);
		line[len] = 0;
		p += len + (nl ? 1 : 0);
		if (!line[0])
			continue;
		if (parse_line(line, out)) {
			WHY("'%s' is not a record of the dma file", line);
			return -EINVAL;
		}
	}
	return 0;
}

unsigned int mint_dma_expected(const struct mint_node *n,
			       struct mint_dma_map *out)
{
	unsigned int i, nr = 0;
	uint64_t size;

	for (i = 0; i < n->nr_mem && i < MINT_MAX_RANGES; i++) {
		size = n->mem[i].size - (i ? 0 : MINT_CTRL_SIZE);
		if (!size || n->mem[i].size < size)
			continue;
		out[nr].first = n->mem[i].base;
		out[nr].last = n->mem[i].base + size - 1;
		out[nr].ok = true;
		nr++;
	}
	return nr;
}
