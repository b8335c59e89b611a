// SPDX-License-Identifier: GPL-2.0
/*
 * The running machine, read through a sysroot so tests can use a fake
 * tree: CPUs present and online, top-level /proc/iomem entries, the
 * firmware memory map, PCI functions, IOMMUs. The parsers are pure (text
 * in, structs out); mint_sysinfo_load() and its helpers are the only
 * functions here that touch files.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "readfile.h"

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
	si->ram_total = 0;
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
		if (!strcmp(e.name, "System RAM"))
			si->ram_total += e.end - e.start + 1;
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

static void join(char *out, size_t len, const char *root, const char *rel)
{
	size_t n = strlen(root);

	while (n > 1 && root[n - 1] == '/')
		n--;
	if (n == 1 && root[0] == '/')
		n = 0;
	snprintf(out, len, "%.*s/%s", (int)n, root, rel);
}

static int load_file(const char *sysroot, const char *rel,
		     struct mint_sysinfo *si, char **text, size_t *len,
		     char *why, size_t whylen)
{
	int ret;

	join(si->failed_path, sizeof(si->failed_path), sysroot, rel);
	ret = mint_read_file(si->failed_path, 1 << 22, 0, text, len);
	if (ret)
		WHY("cannot read %s: %s", si->failed_path, strerror(-ret));
	return ret;
}

/* sys/firmware/memmap/N/{start,end,type}, in any order of N. */
static int load_fwmap(const char *sysroot, struct mint_sysinfo *si, char *why,
		      size_t whylen)
{
	static const char *const files[] = { "start", "end", "type" };
	char dir[256], rel[64 + 256], *text[3] = { NULL, NULL, NULL };
	struct dirent *de;
	size_t len;
	int ret = 0, i;
	DIR *dp;

	join(dir, sizeof(dir), sysroot, "sys/firmware/memmap");
	dp = opendir(dir);
	if (!dp) {
		ret = -errno;
		snprintf(si->failed_path, sizeof(si->failed_path), "%s", dir);
		WHY("cannot read %s: %s; mintctl needs the firmware memory map "
		    "(CONFIG_FIRMWARE_MEMMAP) to tell RAM from firmware areas",
		    dir, strerror(-ret));
		return ret;
	}
	while (!ret && (de = readdir(dp))) {
		if (de->d_name[0] == '.')
			continue;
		for (i = 0; i < 3 && !ret; i++) {
			snprintf(rel, sizeof(rel), "sys/firmware/memmap/%s/%s",
				 de->d_name, files[i]);
			ret = load_file(sysroot, rel, si, &text[i], &len, why,
					whylen);
			if (!ret &&
			    (memchr(text[i], '\0', len) || len > 64 || !len)) {
				WHY("%s is not a line of text",
				    si->failed_path);
				ret = -EINVAL;
			}
		}
		if (!ret)
			ret = mint_sysinfo_add_fwmap(si, text[0], text[1],
						     text[2], why, whylen);
		for (i = 0; i < 3; i++) {
			free(text[i]);
			text[i] = NULL;
		}
	}
	closedir(dp);
	if (!ret && !si->nr_fwmap) {
		snprintf(si->failed_path, sizeof(si->failed_path), "%s", dir);
		WHY("%s is empty; mintctl needs the firmware memory map to "
		    "tell RAM from firmware areas",
		    dir);
		ret = -ENOENT;
	}
	return ret;
}

/* sys/bus/pci/devices (may be missing: a machine without PCI). */
static int load_pci(const char *sysroot, struct mint_sysinfo *si, char *why,
		    size_t whylen)
{
	struct dirent *de;
	char dir[256];
	int ret = 0;
	DIR *dp;

	join(dir, sizeof(dir), sysroot, "sys/bus/pci/devices");
	dp = opendir(dir);
	if (!dp && errno != ENOENT) {
		ret = -errno;
		snprintf(si->failed_path, sizeof(si->failed_path), "%s", dir);
		WHY("cannot read %s: %s", dir, strerror(-ret));
		return ret;
	}
	while (dp && (de = readdir(dp))) {
		ret = mint_sysinfo_add_pci(si, de->d_name);
		if (ret)
			break;
	}
	if (dp)
		closedir(dp);
	return ret;
}

/* The pre-flight facts: CPUs online (all present when the file is missing)
 * and whether sys/class/iommu lists an IOMMU. */
static int load_preflight(const char *sysroot, struct mint_sysinfo *si,
			  char *why, size_t whylen)
{
	struct mint_sysinfo online;
	struct dirent *de;
	char dir[256], *text;
	size_t len;
	DIR *dp;
	int ret;

	si->cpus_online = si->cpus_present;
	ret = load_file(sysroot, "sys/devices/system/cpu/online", si, &text,
			&len, NULL, 0);
	if (!ret) {
		mint_sysinfo_init(&online);
		ret = mint_sysinfo_parse_present(text, len, &online, why,
						 whylen);
		free(text);
		if (ret)
			return ret;
		si->cpus_online = online.cpus_present;
	} else if (ret != -ENOENT) {
		WHY("cannot read %s: %s", si->failed_path, strerror(-ret));
		return ret;
	}
	join(dir, sizeof(dir), sysroot, "sys/class/iommu");
	dp = opendir(dir);
	while (dp && (de = readdir(dp)))
		if (de->d_name[0] != '.')
			si->iommu = true;
	if (dp)
		closedir(dp);
	return 0;
}

int mint_sysinfo_load(const char *sysroot, enum mint_sysinfo_mode mode,
		      struct mint_sysinfo *si, char *why, size_t whylen)
{
	bool preflight = mode == MINT_SYSINFO_PREFLIGHT;
	char *text;
	size_t len;
	int ret;

	ret = load_file(sysroot, "sys/devices/system/cpu/present", si, &text,
			&len, why, whylen);
	if (ret)
		return ret;
	ret = mint_sysinfo_parse_present(text, len, si, why, whylen);
	free(text);
	if (ret)
		return ret;
	ret = load_file(sysroot, "proc/iomem", si, &text, &len, why, whylen);
	if (ret && !preflight)
		return ret;
	if (!ret) {
		ret = mint_sysinfo_parse_iomem(text, len, si, why, whylen);
		free(text);
	}
	if (ret == -ENOMEM || (ret && !preflight))
		return ret;
	if (si->iomem_hidden && !preflight) {
		WHY("%s shows every address as 0, as it does for users "
		    "other than root; run as root",
		    si->failed_path);
		return -EACCES;
	}
	if (ret ||
	    si->iomem_hidden) { /* pre-flight: only names what is where */
		free(si->iomem);
		si->iomem = NULL;
		si->nr_iomem = 0;
	}
	ret = load_fwmap(sysroot, si, why, whylen)
		      ?: load_pci(sysroot, si, why, whylen);
	if (!ret && preflight)
		ret = load_preflight(sysroot, si, why, whylen);
	if (!ret)
		si->failed_path[0] = '\0';
	return ret;
}
