// SPDX-License-Identifier: GPL-2.0
/*
 * Is a range usable RAM in the firmware memory map, and if not, what lies
 * there? Pure: the map and /proc/iomem come in struct mint_sysinfo.
 */
#include <string.h>

#include "config.h"

#define PIECES_MAX 4 /* described; more are summed up as ", ..." */

struct piece {
	const char *type; /* NULL: no entry of the map covers it */
	uint64_t first, last;
};

/* A top-level /proc/iomem entry over [first, last] that says more than
 * the firmware's type does, such as "PCI ECAM 0000 [bus 00-ff]". */
static const char *iomem_name(const struct mint_sysinfo *si, uint64_t first,
			      uint64_t last)
{
	size_t i;

	for (i = 0; i < si->nr_iomem; i++) {
		const struct mint_iomem_entry *e = &si->iomem[i];

		if (e->start <= last && e->end >= first &&
		    strcmp(e->name, "Reserved") &&
		    strcmp(e->name, MINT_FWMAP_RAM))
			return e->name;
	}
	return NULL;
}

/* The entry holding @pos (one that is not RAM when entries overlap), and
 * where the next entry after @pos starts. */
static const struct mint_fwmap_entry *entry_at(const struct mint_sysinfo *si,
					       uint64_t pos, uint64_t *next,
					       bool *has_next)
{
	const struct mint_fwmap_entry *e = NULL;
	size_t i;

	*has_next = false;
	for (i = 0; i < si->nr_fwmap; i++) {
		const struct mint_fwmap_entry *f = &si->fwmap[i];

		if (f->start <= pos && f->end >= pos) {
			if (!e || strcmp(f->type, MINT_FWMAP_RAM))
				e = f;
		} else if (f->start > pos && (!*has_next || f->start < *next)) {
			*next = f->start;
			*has_next = true;
		}
	}
	return e;
}

static bool same_kind(const struct piece *p, const char *type)
{
	return p->type && type ? !strcmp(p->type, type) : p->type == type;
}

bool mint_fwmap_usable(const struct mint_sysinfo *si, uint64_t base,
		       uint64_t size, struct mint_buf *what)
{
	struct piece v[PIECES_MAX];
	uint64_t pos = base, last, stop, next = 0;
	const struct mint_fwmap_entry *e;
	unsigned int n = 0, i;
	bool has_next, more = false;
	const char *type, *name;

	if (!size)
		return true;
	last = base + size - 1 < base ? UINT64_MAX : base + size - 1;
	for (;;) {
		e = entry_at(si, pos, &next, &has_next);
		stop = last;
		if (has_next && next - 1 < stop)
			stop = next - 1;
		if (e && e->end < stop)
			stop = e->end;
		type = e ? e->type : NULL;
		if (type && !strcmp(type, MINT_FWMAP_RAM)) {
			/* usable */
		} else if (n && same_kind(&v[n - 1], type) &&
			   v[n - 1].last + 1 == pos) {
			v[n - 1].last = stop;
		} else if (n < PIECES_MAX) {
			v[n++] = (struct piece){ type, pos, stop };
		} else {
			more = true;
		}
		if (stop == last)
			break;
		pos = stop + 1;
	}
	for (i = 0; i < n; i++) {
		mint_buf_printf(what, "%s%s at 0x%llx-0x%llx", i ? ", " : "",
				v[i].type ? v[i].type : "no entry",
				(unsigned long long)v[i].first,
				(unsigned long long)v[i].last);
		name = iomem_name(si, v[i].first, v[i].last);
		if (name)
			mint_buf_printf(what, " (/proc/iomem: %s)", name);
	}
	if (more)
		mint_buf_puts(what, ", ...");
	return n == 0;
}
