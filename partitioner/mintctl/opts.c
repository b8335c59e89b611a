// SPDX-License-Identifier: GPL-2.0
/*
 * The option tables (struct cli_opt) turned into what getopt_long, --help
 * and the "did you mean" hints need. Pure: no I/O.
 */
#include <stdio.h>
#include <string.h>

#include "mintctl.h"

void cli_getopt_init(struct cli_getopt_tab *g, const struct cli_opt *opts)
{
	char *s = g->shortopts;
	int n = 0;

	memset(g, 0, sizeof(*g));
	*s++ = ':';
	for (; opts && opts->name && n < CLI_OPTS_MAX; opts++, n++) {
		g->longopts[n] = (struct option){
			opts->name,
			opts->arg ? required_argument : no_argument,
			NULL,
			opts->key,
		};
		if (opts->key >= 0x100)
			continue;
		*s++ = (char)opts->key;
		if (opts->arg)
			*s++ = ':';
	}
}

void cli_opt_flags(const struct cli_opt *o, char *out, size_t len)
{
	char letter[8] = "";

	if (o->key < 0x100)
		snprintf(letter, sizeof(letter), "-%c, ", o->key);
	snprintf(out, len, "%s--%s%s%s", letter, o->name, o->metavar ? "=" : "",
		 o->metavar ? o->metavar : "");
}

const struct cli_opt *cli_opt_find(const struct cli_opt *opts, const char *name)
{
	for (; opts && opts->name; opts++)
		if (!strcmp(opts->name, name))
			return opts;
	return NULL;
}

bool cli_option_hint(const char *arg, const struct cli_opt *opts, char *out,
		     size_t len, bool *exact)
{
	const char *cands[CLI_OPTS_MAX + 2], *hint;
	char word[32];
	size_t n = 0, wl;

	*exact = false;
	if (strncmp(arg, "--", 2))
		return false;
	wl = strcspn(arg + 2, "=");
	if (!wl || wl >= sizeof(word))
		return false;
	memcpy(word, arg + 2, wl);
	word[wl] = 0;
	cands[n++] = "help";
	for (; opts && opts->name && n <= CLI_OPTS_MAX; opts++)
		cands[n++] = opts->name;
	cands[n] = NULL;
	hint = mint_suggest(word, cands);
	if (!hint)
		return false;
	*exact = !strcmp(hint, word);
	snprintf(out, len, "--%s", hint);
	return true;
}
