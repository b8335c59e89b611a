// SPDX-License-Identifier: GPL-2.0
/*
 * The node's e820 table. The node may use its own RAM (less the control area
 * at the end of its first range) and its private slice below 1 MiB; every
 * other range the machine's memory map lists, whatever its type, is reserved
 * for the node, so that nothing in the node allocates it (PCI BARs, the PCI
 * gap) or maps it as RAM. What the machine map does not list stays a gap,
 * except the node's link to node0, which is reserved wherever it lies: the
 * node's link driver maps it, nothing else may.
 */
#include <inttypes.h>

#include "internal.h"

#define MAX_POINTS (2 * (NL_MEMMAP_MAX + NL_MAX_RAM_RANGES + 3))

static int in(uint64_t a, uint64_t start, uint64_t end)
{
	return a >= start && a < end;
}

/* [start, end) must be covered, without holes, by RAM of @m. */
static int check_ram(const struct nl_memmap *m, uint64_t start, uint64_t end,
		     const char *what, struct nl_err *err)
{
	uint64_t at = start;
	size_t i;

	for (i = 0; i < m->n && at < end; i++) {
		const struct nl_range *r = &m->r[i];

		if (r->end <= at)
			continue;
		if (r->start > at)
			break;
		if (r->type != NL_MEM_RAM)
			return nl_fail(
				err, -EINVAL,
				"%s 0x%" PRIx64 "-0x%" PRIx64
				" is not RAM in the machine's memory map:"
				" 0x%" PRIx64 "-0x%" PRIx64 " is %s",
				what, start, end - 1, r->start, r->end - 1,
				nl_mem_type_name(r->type));
		at = r->end;
	}
	if (at < end)
		return nl_fail(err, -EINVAL,
			       "%s 0x%" PRIx64 "-0x%" PRIx64
			       " is not RAM in the machine's memory map: "
			       "nothing listed at 0x%" PRIx64,
			       what, start, end - 1, at);
	return 0;
}

static void add_point(uint64_t *pt, size_t *n, uint64_t v)
{
	size_t i, j;

	for (i = 0; i < *n && pt[i] < v; i++)
		;
	if (i < *n && pt[i] == v)
		return;
	for (j = *n; j > i; j--)
		pt[j] = pt[j - 1];
	pt[i] = v;
	(*n)++;
}

static int classify(uint64_t a, const struct nl_range *ram, size_t nram,
		    uint64_t ctrl, uint64_t low, const struct nl_range *link,
		    const struct nl_memmap *m)
{
	size_t i;

	if (in(a, low, low + MINT_LOW_SLOT))
		return NL_E820_RAM;
	if (in(a, ctrl, ctrl + MINT_CTRL_SIZE))
		return NL_E820_RESERVED;
	if (link && in(a, link->start, link->end))
		return NL_E820_RESERVED;
	for (i = 0; i < nram; i++)
		if (in(a, ram[i].start, ram[i].end))
			return NL_E820_RAM;
	for (i = 0; i < m->n; i++)
		if (in(a, m->r[i].start, m->r[i].end))
			return NL_E820_RESERVED;
	return 0; /* gap */
}

/* The link: clear of the node's RAM and low slice. */
static int check_link(const struct nl_range *link, const struct nl_range *ram,
		      size_t nram, uint64_t low, struct nl_err *err)
{
	size_t i;

	if (link->end < link->start)
		return nl_fail(err, -EINVAL,
			       "node link 0x%" PRIx64 "-0x%" PRIx64
			       " ends before it starts",
			       link->start, link->end);
	if (link->start < low + MINT_LOW_SLOT && low < link->end)
		return nl_fail(err, -EINVAL,
			       "node link 0x%" PRIx64 "-0x%" PRIx64
			       " overlaps the node's low slice",
			       link->start, link->end - 1);
	for (i = 0; i < nram; i++)
		if (link->start < ram[i].end && ram[i].start < link->end)
			return nl_fail(err, -EINVAL,
				       "node link 0x%" PRIx64 "-0x%" PRIx64
				       " overlaps node RAM 0x%" PRIx64
				       "-0x%" PRIx64,
				       link->start, link->end - 1, ram[i].start,
				       ram[i].end - 1);
	return 0;
}

int nl_e820_build(unsigned int node_id, const struct nl_range *ram, size_t nram,
		  const struct nl_memmap *machine, struct nl_e820 *e820,
		  struct nl_err *err)
{
	return nl_e820_build_link(node_id, ram, nram, NULL, machine, e820, err);
}

int nl_e820_build_link(unsigned int node_id, const struct nl_range *ram,
		       size_t nram, const struct nl_range *link,
		       const struct nl_memmap *machine, struct nl_e820 *e820,
		       struct nl_err *err)
{
	uint64_t pt[MAX_POINTS], ctrl, low;
	size_t i, npt = 0;
	int ret, type;

	e820->n = 0;
	if (node_id < 1 || node_id > MINT_MAX_NODES)
		return nl_fail(err, -EINVAL, "node id %u is not in 1..%d",
			       node_id, MINT_MAX_NODES);
	ret = nl_ram_check(ram, nram, err);
	if (ret)
		return ret;
	if (!machine || machine->n == 0)
		return nl_fail(err, -EINVAL,
			       "the machine's memory map is empty");
	if (machine->n > NL_MEMMAP_MAX)
		return nl_fail(err, -E2BIG,
			       "machine memory map has %zu entries",
			       machine->n);
	if (ram[0].end - ram[0].start <= MINT_CTRL_SIZE)
		return nl_fail(err, -ENOSPC,
			       "node RAM 0x%" PRIx64 "-0x%" PRIx64
			       " holds nothing but the control area",
			       ram[0].start, ram[0].end - 1);
	ctrl = ram[0].end - MINT_CTRL_SIZE;
	low = MINT_LOW_SLICE(node_id);

	for (i = 0; i < nram; i++) {
		if (ram[i].start < low + MINT_LOW_SLOT && low < ram[i].end)
			return nl_fail(err, -EINVAL,
				       "node RAM 0x%" PRIx64 "-0x%" PRIx64
				       " overlaps the node's low slice",
				       ram[i].start, ram[i].end - 1);
		ret = check_ram(machine, ram[i].start, ram[i].end, "node RAM",
				err);
		if (ret)
			return ret;
	}
	ret = check_ram(machine, low, low + MINT_LOW_SLOT, "node low slice",
			err);
	if (ret)
		return ret;
	if (link && link->end == link->start)
		link = NULL;
	if (link) {
		ret = check_link(link, ram, nram, low, err);
		if (ret)
			return ret;
	}

	add_point(pt, &npt, low);
	add_point(pt, &npt, low + MINT_LOW_SLOT);
	for (i = 0; i < nram; i++) {
		add_point(pt, &npt, ram[i].start);
		add_point(pt, &npt, ram[i].end);
	}
	add_point(pt, &npt, ctrl);
	if (link) {
		add_point(pt, &npt, link->start);
		add_point(pt, &npt, link->end);
	}
	for (i = 0; i < machine->n; i++) {
		add_point(pt, &npt, machine->r[i].start);
		add_point(pt, &npt, machine->r[i].end);
	}

	for (i = 0; i + 1 < npt; i++) {
		struct nl_e820_entry *last =
			e820->n ? &e820->e[e820->n - 1] : NULL;

		type = classify(pt[i], ram, nram, ctrl, low, link, machine);
		if (!type)
			continue;
		if (last && last->type == (uint32_t)type &&
		    last->addr + last->size == pt[i]) {
			last->size += pt[i + 1] - pt[i];
			continue;
		}
		if (e820->n == NL_E820_MAX)
			return nl_fail(err, -E2BIG,
				       "the node's e820 table needs more than "
				       "%d entries",
				       NL_E820_MAX);
		e820->e[e820->n].addr = pt[i];
		e820->e[e820->n].size = pt[i + 1] - pt[i];
		e820->e[e820->n].type = (uint32_t)type;
		e820->n++;
	}
	if (e820->n < 2)
		return nl_fail(err, -EINVAL,
			       "the node's e820 table has %zu entries, the "
			       "kernel needs at least 2",
			       e820->n);
	return 0;
}
