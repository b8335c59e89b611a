// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/mint/NAME/dma, parsed: its records and words are the ABI
 * contract's (MINT_DMA_*).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "dma.h"

#define WHY(...) ((void)(why && snprintf(why, whylen, __VA_ARGS__)))

/* Split @line (modified) into at most @max blank-separated words. */
static int words(char *line, char **w, int max)
{
	char *save = NULL, *tok;
	int n = 0;

	for (tok = strtok_r(line, " \t", &save); tok;
	     tok = strtok_r(NULL, " \t", &save)) {
		if (n == max)
			return max + 1;
		w[n++] = tok;
	}
	return n;
}

static bool is(const char *s, const char *a, const char *b)
{
	return !strcmp(s, a) || !strcmp(s, b);
}

static int parse_line(char *line, struct mint_dma *out)
{
	struct mint_dma_fault *f;
	struct mint_dma_dev *d;
	struct mint_dma_map *m;
	uint64_t x, y;
	char *w[5];
	int n = words(line, w, 4);

	if (n == 2 && !strcmp(w[0], MINT_DMA_IOMMU) &&
	    is(w[1], MINT_IOMMU_OFF, MINT_IOMMU_REQUIRED)) {
		out->iommu_off = !strcmp(w[1], MINT_IOMMU_OFF);
		return 0;
	}
	if (n == 3 && !strcmp(w[0], MINT_DMA_DEVICE) &&
	    out->nr_devices < MINT_MAX_DEVICES &&
	    strlen(w[2]) < sizeof(d->how)) {
		d = &out->devices[out->nr_devices];
		if (mint_pci_parse(w[1], &d->addr, NULL, 0))
			return -1;
		strcpy(d->how, w[2]);
		out->nr_devices++;
		return 0;
	}
	if (n == 4 && !strcmp(w[0], MINT_DMA_MAP) &&
	    out->nr_maps < MINT_MAX_RANGES &&
	    !mint_parse_u64(w[1], &x, NULL, 0) &&
	    !mint_parse_u64(w[2], &y, NULL, 0) && y >= x &&
	    is(w[3], MINT_DMA_MAP_OK, MINT_DMA_MAP_WRONG)) {
		m = &out->maps[out->nr_maps++];
		m->first = x;
		m->last = y;
		m->ok = !strcmp(w[3], MINT_DMA_MAP_OK);
		return 0;
	}
	if (n == 2 && !strcmp(w[0], MINT_DMA_FAULTS) &&
	    !mint_parse_u64(w[1], &x, NULL, 0)) {
		out->faults = x;
		return 0;
	}
	if (n == 4 && !strcmp(w[0], MINT_DMA_FAULT) &&
	    out->nr_recent < MINT_DMA_FAULTS_KEPT &&
	    is(w[2], MINT_DMA_READ, MINT_DMA_WRITE) &&
	    !mint_parse_u64(w[3], &x, NULL, 0)) {
		f = &out->recent[out->nr_recent];
		if (mint_pci_parse(w[1], &f->addr, NULL, 0))
			return -1;
		f->write = !strcmp(w[2], MINT_DMA_WRITE);
		f->iova = x;
		out->nr_recent++;
		return 0;
	}
	return -1;
}

int mint_dma_parse(const char *text, struct mint_dma *out, char *why,
		   size_t whylen)
{
	const char *p = text;
	char line[128], copy[128];
	size_t len;

	memset(out, 0, sizeof(*out));
	while (*p) {
		if (mint_next_line(&p, line, sizeof(line), &len)) {
			WHY("a line of %zu bytes", len);
			return -EINVAL;
		}
		memcpy(copy, line, len + 1);
		if (!line[0])
			continue;
		if (parse_line(copy, out)) {
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
