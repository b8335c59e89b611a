// SPDX-License-Identifier: GPL-2.0
/*
 * libmint: node state names and classes, from the ABI contract.
 */
#include <stdio.h>
#include <string.h>

#include "states.h"

const char *const mint_state_names[MINT_STATE_COUNT + 1] = MINT_STATE_NAMES;

_Static_assert(sizeof(mint_state_names) / sizeof(mint_state_names[0]) ==
		       MINT_STATE_COUNT + 1,
	       "MINT_STATE_NAMES names a state beyond MINT_STATE_COUNT");

int mint_state_parse(const char *name)
{
	int i;

	for (i = 0; i < MINT_STATE_COUNT; i++)
		if (mint_state_names[i] && !strcmp(mint_state_names[i], name))
			return i;
	return -1;
}

static bool in_class(const char *name, unsigned int mask)
{
	int s = mint_state_parse(name);

	return s >= 0 && (mask & MINT_STATE_BIT(s));
}

bool mint_state_holds_cpus(const char *name)
{
	return in_class(name, MINT_STATES_HOLDING_CPUS);
}

bool mint_state_failed(const char *name)
{
	return in_class(name, MINT_STATES_FAILED);
}

size_t mint_state_join(unsigned int mask, const char *sep, const char *last,
		       char *buf, size_t size)
{
	unsigned int i, left = 0;
	size_t len = 0;
	int n;

	for (i = 0; i < MINT_STATE_COUNT; i++)
		left += !!(mask & MINT_STATE_BIT(i));
	if (size)
		buf[0] = 0;
	for (i = 0; i < MINT_STATE_COUNT; i++) {
		if (!(mask & MINT_STATE_BIT(i)))
			continue;
		left--;
		n = snprintf(buf + (len < size ? len : size),
			     len < size ? size - len : 0, "%s%s",
			     mint_state_names[i],
			     !left	 ? ""
			     : left == 1 ? last
					 : sep);
		if (n > 0)
			len += (size_t)n;
	}
	return len;
}
