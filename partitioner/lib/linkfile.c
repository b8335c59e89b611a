// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/mint/NAME/link, parsed: its records and state words are the
 * ABI contract's (MINT_LINK_*).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "linkfile.h"

#define WHY(...) ((void)(why && snprintf(why, whylen, __VA_ARGS__)))

bool mint_ifname_valid(const char *name)
{
	size_t n = strlen(name), i;

	if (!n || n > MINT_IFNAME_MAX || !strcmp(name, ".") ||
	    !strcmp(name, ".."))
		return false;
	for (i = 0; i < n; i++)
		if ((unsigned char)name[i] <= ' ' || name[i] == '/' ||
		    name[i] == ':' || name[i] == 0x7f)
			return false;
	return true;
}

static bool is_state(const char *s)
{
	return !strcmp(s, MINT_LINK_UP) || !strcmp(s, MINT_LINK_DOWN) ||
	       !strcmp(s, MINT_LINK_WAITING) || !strcmp(s, MINT_LINK_NONE);
}

/* One record; -1 when it is malformed (n: its number of words). */
static int parse_line(char *line, struct mint_link_file *out)
{
	static const char *const counters[] = { "epoch", "resets", "errors",
						"missed-kicks" };
	uint64_t *const dst[] = { &out->epoch, &out->resets, &out->errors,
				  &out->missed_kicks };
	char *w[4], *save = NULL, *tok;
	uint64_t x, y;
	int n = 0;
	size_t i;

	for (tok = strtok_r(line, " \t", &save); tok;
	     tok = strtok_r(NULL, " \t", &save)) {
		if (n < 4)
			w[n] = tok;
		n++;
	}
	if (!n)
		return 0;
	if (!strcmp(w[0], "ifname")) {
		if (n != 2 || !mint_ifname_valid(w[1]))
			return -1;
		snprintf(out->ifname, sizeof(out->ifname), "%s", w[1]);
		return 0;
	}
	if (!strcmp(w[0], "region")) {
		if (n != 3 || mint_parse_u64(w[1], &x, NULL, 0) ||
		    mint_parse_u64(w[2], &y, NULL, 0))
			return -1;
		out->has_region = true;
		out->base = x;
		out->size = y;
		return 0;
	}
	if (!strcmp(w[0], "state")) {
		if (n != 2 || !is_state(w[1]))
			return -1;
		snprintf(out->state, sizeof(out->state), "%s", w[1]);
		return 0;
	}
	for (i = 0; i < sizeof(counters) / sizeof(counters[0]); i++) {
		if (strcmp(w[0], counters[i]))
			continue;
		if (n != 2 || mint_parse_u64(w[1], &x, NULL, 0))
			return -1;
		*dst[i] = x;
		return 0;
	}
	return 0; /* a record of a newer kernel */
}

int mint_link_parse(const char *text, struct mint_link_file *out, char *why,
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
		if (parse_line(copy, out)) {
			WHY("'%s' is not a record of the link file", line);
			return -EINVAL;
		}
	}
	return 0;
}

bool mint_link_present(const struct mint_link_file *l)
{
	return l->has_region && l->size && strcmp(l->state, MINT_LINK_NONE);
}
