// SPDX-License-Identifier: GPL-2.0
/*
 * The machine's memory map as node0 sees it: /sys/firmware/memmap, the
 * firmware's e820 before node0's memmap= options changed it.
 */
#include <inttypes.h>
#include <stdio.h>

#include "internal.h"

static const struct {
	uint32_t type;
	const char *name;
} type_names[] = {
	/* arch/x86/kernel/e820.c e820_type_to_string() */
	{ NL_MEM_RAM, "System RAM" },
	{ NL_MEM_RESERVED, "Reserved" },
	{ NL_MEM_ACPI, "ACPI Tables" },
	{ NL_MEM_NVS, "ACPI Non-volatile Storage" },
	{ NL_MEM_UNUSABLE, "Unusable memory" },
	{ NL_MEM_PMEM, "Persistent Memory" },
	{ NL_MEM_PRAM, "Persistent Memory (legacy)" },
	{ NL_MEM_SOFT_RESERVED, "Soft Reserved" },
	/* the lower-case spelling of older kernels */
	{ NL_MEM_RESERVED, "reserved" },
	{ NL_MEM_OTHER, "Unknown E820 type" },
};

static void trim(const char **s, size_t *len)
{
	while (*len && (**s == ' ' || **s == '\t' || **s == '\n'))
		(*s)++, (*len)--;
	while (*len && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t' ||
			(*s)[*len - 1] == '\n'))
		(*len)--;
}

uint32_t nl_mem_type_from_name(const char *name, size_t len)
{
	size_t i;

	trim(&name, &len);
	for (i = 0; i < NL_ARRAY_SIZE(type_names); i++)
		if (strlen(type_names[i].name) == len &&
		    !memcmp(type_names[i].name, name, len))
			return type_names[i].type;
	return NL_MEM_OTHER;
}

const char *nl_mem_type_name(uint32_t type)
{
	size_t i;

	for (i = 0; i < NL_ARRAY_SIZE(type_names); i++)
		if (type_names[i].type == type)
			return type_names[i].name;
	return "Unknown E820 type";
}

static int hexdigit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Hex number, "0x" optional; the whole of [s, s + len) must be used. */
static int parse_hex(const char *s, size_t len, uint64_t *v)
{
	uint64_t x = 0;
	int d;

	if (len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2, len -= 2;
	if (len == 0 || len > 16)
		return -1;
	for (; len; s++, len--) {
		d = hexdigit(*s);
		if (d < 0)
			return -1;
		x = x << 4 | (uint64_t)d;
	}
	*v = x;
	return 0;
}

static int cmp_range(const void *a, const void *b)
{
	const struct nl_range *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->end < y->end ? -1 : x->end > y->end;
}

/* Sort (insertion sort: maps are short), then reject overlaps. */
static int finish(struct nl_memmap *map, struct nl_err *err)
{
	size_t i, j;

	for (i = 1; i < map->n; i++) {
		struct nl_range t = map->r[i];

		for (j = i; j > 0 && cmp_range(&map->r[j - 1], &t) > 0; j--)
			map->r[j] = map->r[j - 1];
		map->r[j] = t;
	}
	for (i = 1; i < map->n; i++)
		if (map->r[i].start < map->r[i - 1].end)
			return nl_fail(err, -EINVAL,
				       "memory map entries 0x%" PRIx64
				       "-0x%" PRIx64 " (%s) and 0x%" PRIx64
				       "-0x%" PRIx64 " (%s) overlap",
				       map->r[i - 1].start,
				       map->r[i - 1].end - 1,
				       nl_mem_type_name(map->r[i - 1].type),
				       map->r[i].start, map->r[i].end - 1,
				       nl_mem_type_name(map->r[i].type));
	return 0;
}

/* Add [start, last] (inclusive, as the kernel prints it). */
static int add(struct nl_memmap *map, uint64_t start, uint64_t last,
	       uint32_t type, const char *where, struct nl_err *err)
{
	if (last < start)
		return nl_fail(err, -EINVAL,
			       "%s: end 0x%" PRIx64 " before start 0x%" PRIx64,
			       where, last, start);
	if (last == UINT64_MAX)
		return nl_fail(err, -EINVAL,
			       "%s: range reaches the top of the address space",
			       where);
	if (map->n >= NL_MEMMAP_MAX)
		return nl_fail(err, -E2BIG,
			       "memory map has more than %d entries",
			       NL_MEMMAP_MAX);
	map->r[map->n].start = start;
	map->r[map->n].end = last + 1;
	map->r[map->n].type = type;
	map->n++;
	return 0;
}

int nl_memmap_from_firmware(const struct nl_fwmap_entry *ent, size_t n,
			    struct nl_memmap *map, struct nl_err *err)
{
	char where[48];
	uint64_t start, last;
	size_t i, len;
	const char *s;
	int ret;

	map->n = 0;
	if (n == 0)
		return nl_fail(err, -EINVAL, "firmware memory map is empty");
	for (i = 0; i < n; i++) {
		snprintf(where, sizeof(where), "firmware memmap entry %zu", i);
		if (!ent[i].start || !ent[i].end || !ent[i].type)
			return nl_fail(err, -EINVAL, "%s: missing a field",
				       where);
		s = ent[i].start;
		len = strlen(s);
		trim(&s, &len);
		if (parse_hex(s, len, &start))
			return nl_fail(err, -EINVAL, "%s: bad start \"%s\"",
				       where, ent[i].start);
		s = ent[i].end;
		len = strlen(s);
		trim(&s, &len);
		if (parse_hex(s, len, &last))
			return nl_fail(err, -EINVAL, "%s: bad end \"%s\"",
				       where, ent[i].end);
		ret = add(
			map, start, last,
			nl_mem_type_from_name(ent[i].type, strlen(ent[i].type)),
			where, err);
		if (ret)
			return ret;
	}
	return finish(map, err);
}
