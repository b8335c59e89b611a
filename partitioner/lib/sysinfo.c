// SPDX-License-Identifier: GPL-2.0
/*
 * The running machine as struct mint_sysinfo: CPUs present, top-level
 * /proc/iomem entries, the firmware memory map, PCI functions. Pure: text
 * in, structs out; the system layer (sysfiles.c) reads the files and hands
 * their text to these parsers.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

void mint_sysinfo_init(struct mint_sysinfo *si)
{
	memset(si, 0, sizeof(*si));
}

void mint_sysinfo_free(struct mint_sysinfo *si)
{
	free(si->iomem);
	free(si->fwmap);
	free(si->pci);
	mint_sysinfo_init(si);
}

/* Hex digits up to the first non-hex character; overflow is an error. */
static const char *parse_hex(const char *s, const char *end, uint64_t *out)
{
	uint64_t v = 0;
	const char *start = s;
	int h;

	for (; s < end; s++) {
		if (*s >= '0' && *s <= '9')
			h = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			h = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			h = *s - 'A' + 10;
		else
			break;
		if (v >> 60)
			return NULL;
		v = v * 16 + (uint64_t)h;
	}
	if (s == start)
		return NULL;
	*out = v;
	return s;
}

static int iomem_line(const char *p, const char *end,
		      struct mint_iomem_entry *e)
{
	const char *name;
	size_t n;

	p = parse_hex(p, end, &e->start);
	if (!p || p >= end || *p != '-')
		return -EINVAL;
	p = parse_hex(p + 1, end, &e->end);
	if (!p || end - p < 3 || memcmp(p, " : ", 3))
		return -EINVAL;
	name = p + 3;
	n = (size_t)(end - name);
	if (n >= sizeof(e->name))
		n = sizeof(e->name) - 1;
	memcpy(e->name, name, n);
	e->name[n] = '\0';
	return e->start <= e->end ? 0 : -EINVAL;
}

int mint_sysinfo_parse_iomem(const char *text, size_t len,
			     struct mint_sysinfo *si, char *why, size_t whylen)
{
	const char *p = text, *end = text + len, *eol;
	struct mint_iomem_entry e, *v;
	unsigned int line = 0;
	bool all_zero = true;
	size_t cap = 0;

	si->nr_iomem = 0;
	while (p < end) {
		eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		line++;
		if (eol == p || *p == ' ') /* children are indented */
			goto next;
		if (iomem_line(p, eol, &e)) {
			WHY("line %u of /proc/iomem is not 'START-END : NAME'",
			    line);
			return -EINVAL;
		}
		if (si->nr_iomem == cap) {
			cap = cap ? cap * 2 : 64;
			v = realloc(si->iomem, cap * sizeof(*v));
			if (!v)
				return -ENOMEM;
			si->iomem = v;
		}
		si->iomem[si->nr_iomem++] = e;
		if (e.start || e.end)
			all_zero = false;
	next:
		p = eol + 1;
	}
	si->iomem_hidden = si->nr_iomem && all_zero;
	return 0;
}

int mint_sysinfo_parse_present(const char *text, size_t len,
			       struct mint_sysinfo *si, char *why,
			       size_t whylen)
{
	char buf[4096];

	while (len && (text[len - 1] == '\n' || text[len - 1] == ' '))
		len--;
	if (len >= sizeof(buf) || memchr(text, '\0', len)) {
		WHY("the CPU list is not a cpulist");
		return -EINVAL;
	}
	memcpy(buf, text, len);
	buf[len] = '\0';
	return mint_cpulist_parse_sys(buf, &si->cpus_present, why, whylen);
}

int mint_sysinfo_add_pci(struct mint_sysinfo *si, const char *name)
{
	struct mint_pci_addr a, *v;

	if (strlen(name) != 12 || mint_pci_parse(name, &a, NULL, 0))
		return 0;
	v = realloc(si->pci, (si->nr_pci + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	si->pci = v;
	si->pci[si->nr_pci++] = a;
	return 0;
}

/* @text without trailing blanks and newlines, into @out (NUL-terminated). */
static bool sys_word(const char *text, char *out, size_t len)
{
	size_t n = strlen(text);

	while (n && (text[n - 1] == '\n' || text[n - 1] == ' '))
		n--;
	if (!n || n >= len)
		return false;
	memcpy(out, text, n);
	out[n] = '\0';
	return true;
}

int mint_sysinfo_add_fwmap(struct mint_sysinfo *si, const char *start,
			   const char *end, const char *type, char *why,
			   size_t whylen)
{
	struct mint_fwmap_entry e, *v;
	char num[32];
	size_t i;

	if (!sys_word(start, num, sizeof(num)) ||
	    mint_parse_u64(num, &e.start, NULL, 0) ||
	    !sys_word(end, num, sizeof(num)) ||
	    mint_parse_u64(num, &e.end, NULL, 0) || e.end < e.start ||
	    !sys_word(type, e.type, sizeof(e.type))) {
		WHY("a firmware memory map entry is not START, END and TYPE "
		    "('%.20s', '%.20s', '%.20s')",
		    start, end, type);
		return -EINVAL;
	}
	v = realloc(si->fwmap, (si->nr_fwmap + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	si->fwmap = v;
	for (i = si->nr_fwmap; i && v[i - 1].start > e.start; i--)
		v[i] = v[i - 1];
	v[i] = e;
	si->nr_fwmap++;
	return 0;
}
