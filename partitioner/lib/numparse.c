// SPDX-License-Identifier: GPL-2.0
/*
 * Overflow-checked number and size parsing. No strtoull, atoi or sscanf:
 * those accept signs, leading blanks and octal, and saturate silently.
 */
#include <errno.h>
#include <stdio.h>

#include "config.h"

#define WHY(...)                                            \
	do {                                                \
		if (why)                                    \
			snprintf(why, whylen, __VA_ARGS__); \
	} while (0)

static int digit_value(char c, unsigned int base)
{
	int v;

	if (c >= '0' && c <= '9')
		v = c - '0';
	else if (c >= 'a' && c <= 'f')
		v = c - 'a' + 10;
	else if (c >= 'A' && c <= 'F')
		v = c - 'A' + 10;
	else
		return -1;
	return (unsigned int)v < base ? v : -1;
}

/*
 * Parse the digits at *sp; stop at the first character that is not a digit
 * of the base. Return 0, -EINVAL (no digits) or -ERANGE.
 */
static int parse_digits(const char **sp, uint64_t *out)
{
	const char *s = *sp;
	unsigned int base = 10;
	uint64_t v = 0;
	int dv, ndigits = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	while ((dv = digit_value(*s, base)) >= 0) {
		if (v > (UINT64_MAX - (uint64_t)dv) / base)
			return -ERANGE;
		v = v * base + (uint64_t)dv;
		s++;
		ndigits++;
	}
	if (!ndigits)
		return -EINVAL;
	*sp = s;
	*out = v;
	return 0;
}

int mint_parse_u64(const char *s, uint64_t *out, char *why, size_t whylen)
{
	const char *p = s;
	int ret;

	ret = parse_digits(&p, out);
	if (ret == -ERANGE) {
		WHY("'%s' is too large (more than 64 bits); "
		    "check the number of digits",
		    s);
		return ret;
	}
	if (ret || *p) {
		WHY("'%s' is not a number; write a decimal number or "
		    "0x followed by hex digits",
		    s);
		return -EINVAL;
	}
	return 0;
}

int mint_parse_size(const char *s, uint64_t *out, char *why, size_t whylen)
{
	const char *p = s;
	unsigned int shift = 0;
	uint64_t v;
	int ret;

	ret = parse_digits(&p, &v);
	if (ret == -ERANGE) {
		WHY("'%s' is too large (more than 64 bits); "
		    "check the number of digits",
		    s);
		return ret;
	}
	if (ret) {
		WHY("'%s' is not a size; write a number with an optional "
		    "K, M, G or T suffix, e.g. 512M",
		    s);
		return -EINVAL;
	}
	switch (*p) {
	case '\0':
		break;
	case 'k':
	case 'K':
		shift = 10;
		break;
	case 'm':
	case 'M':
		shift = 20;
		break;
	case 'g':
	case 'G':
		shift = 30;
		break;
	case 't':
	case 'T':
		shift = 40;
		break;
	case ' ':
	case '\t':
		WHY("'%s' has a blank after the number; write the size without "
		    "blanks, e.g. 512M",
		    s);
		return -EINVAL;
	default:
		WHY("'%s' has an unknown size suffix '%s'; use K, M, G or T "
		    "(binary units), e.g. 512M",
		    s, p);
		return -EINVAL;
	}
	if (*p && p[1]) {
		WHY("'%s' has an unknown size suffix '%s'; use K, M, G or T "
		    "(binary units), e.g. 512M",
		    s, p);
		return -EINVAL;
	}
	if (shift && v > (UINT64_MAX >> shift)) {
		WHY("'%s' is too large (more than 64 bits); "
		    "check the number and its suffix",
		    s);
		return -ERANGE;
	}
	*out = v << shift;
	return 0;
}

void mint_format_size(uint64_t size, char *out, size_t outlen)
{
	if (size && size % MINT_GIB == 0)
		snprintf(out, outlen, "%lluG",
			 (unsigned long long)(size / MINT_GIB));
	else if (size && size % MINT_MIB == 0)
		snprintf(out, outlen, "%lluM",
			 (unsigned long long)(size / MINT_MIB));
	else if (size && size % MINT_KIB == 0)
		snprintf(out, outlen, "%lluK",
			 (unsigned long long)(size / MINT_KIB));
	else
		snprintf(out, outlen, "%llu", (unsigned long long)size);
}
