// SPDX-License-Identifier: GPL-2.0
/* Linux cpulist syntax ("2-3,5"), as in /sys/devices/system/cpu/online. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "config.h"

#define WHY(...)                                            \
	do {                                                \
		if (why)                                    \
			snprintf(why, whylen, __VA_ARGS__); \
	} while (0)

#define CPU_ID_LIMIT 8191 /* NR_CPUS maximum on x86_64 */

static const char *skip_blanks(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* A decimal CPU id; returns NULL when there is none or it is too large. */
static const char *parse_id(const char *s, unsigned int *id)
{
	unsigned int v = 0;
	const char *start = s;

	while (*s >= '0' && *s <= '9') {
		v = v * 10 + (unsigned int)(*s - '0');
		if (v > CPU_ID_LIMIT)
			return NULL;
		s++;
	}
	if (s == start)
		return NULL;
	*id = v;
	return s;
}

/* @unique: a CPU listed more than once is an error (a config is written by
 * hand; the kernel's lists never repeat one). */
static int cpulist_parse(const char *s, unsigned int max_id, bool unique,
			 uint64_t *mask, char *why, size_t whylen)
{
	const char *p = skip_blanks(s), *item;
	unsigned int lo, hi, i;
	uint64_t m = 0, dup = 0;
	char list[256];

	if (!*p) {
		WHY("the CPU list is empty; give CPUs such as 2-3,5");
		return -EINVAL;
	}
	for (;;) {
		item = p;
		p = parse_id(p, &lo);
		if (!p)
			goto bad_item;
		hi = lo;
		if (*p == '-') {
			p = parse_id(p + 1, &hi);
			if (!p)
				goto bad_item;
		}
		if (*p && *p != ',' && *p != ' ' && *p != '\t')
			goto bad_item;
		if (hi < lo) {
			WHY("'%.*s' is a descending range; write the lower CPU "
			    "first, e.g. %u-%u",
			    (int)(p - item), item, hi, lo);
			return -EINVAL;
		}
		if (hi > max_id) {
			WHY("CPU %u is out of range; CPU numbers go up to %u",
			    hi, max_id);
			return -ERANGE;
		}
		for (i = lo; i <= hi && i <= MINT_MAX_CPU_ID; i++) {
			dup |= m & (1ULL << i);
			m |= 1ULL << i;
		}
		p = skip_blanks(p);
		if (!*p)
			break;
		if (*p != ',') {
			WHY("'%s': separate CPUs and ranges with commas, e.g. "
			    "2-3,5",
			    s);
			return -EINVAL;
		}
		p = skip_blanks(p + 1);
		if (!*p || *p == ',') {
			WHY("'%s' has an empty item between commas; "
			    "remove the extra comma",
			    s);
			return -EINVAL;
		}
	}
	if (unique && dup) {
		mint_cpulist_format(dup, list, sizeof(list));
		WHY("CPU%s %s %s listed more than once in '%s'; list each CPU "
		    "once",
		    (dup & (dup - 1)) ? "s" : "", list,
		    (dup & (dup - 1)) ? "are" : "is", s);
		return -EINVAL;
	}
	*mask = m;
	return 0;
bad_item:
	item = skip_blanks(item);
	{
		size_t n = strcspn(item, ", \t");

		if (n == 0)
			WHY("'%s' has an empty item between commas; "
			    "remove the extra comma",
			    s);
		else if (strspn(item, "0123456789") == n)
			WHY("CPU %.*s is out of range; CPU numbers go up to %u",
			    (int)n, item, max_id);
		else
			WHY("'%.*s' is not a CPU or a range of CPUs; "
			    "write decimal CPU numbers such as 2-3,5",
			    (int)n, item);
	}
	return -EINVAL;
}

int mint_cpulist_parse(const char *s, unsigned int max_id, uint64_t *mask,
		       char *why, size_t whylen)
{
	if (max_id > MINT_MAX_CPU_ID)
		max_id = MINT_MAX_CPU_ID;
	return cpulist_parse(s, max_id, true, mask, why, whylen);
}

int mint_cpulist_parse_sys(const char *s, uint64_t *mask, char *why,
			   size_t whylen)
{
	return cpulist_parse(s, CPU_ID_LIMIT, false, mask, why, whylen);
}

void mint_cpulist_format(uint64_t mask, char *out, size_t outlen)
{
	unsigned int i = 0, j;
	size_t len = 0;
	int n;

	if (!outlen)
		return;
	out[0] = '\0';
	while (i <= MINT_MAX_CPU_ID) {
		if (!(mask & (1ULL << i))) {
			i++;
			continue;
		}
		j = i;
		while (j < MINT_MAX_CPU_ID && (mask & (1ULL << (j + 1))))
			j++;
		if (j == i)
			n = snprintf(out + len, outlen - len, "%s%u",
				     len ? "," : "", i);
		else
			n = snprintf(out + len, outlen - len, "%s%u-%u",
				     len ? "," : "", i, j);
		if (n < 0 || (size_t)n >= outlen - len)
			return;
		len += (size_t)n;
		i = j + 1;
	}
}
