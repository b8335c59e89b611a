// SPDX-License-Identifier: GPL-2.0
/* mintctl check [--system | --preflight] CONFIG */
#include <getopt.h>

#include "mintctl.h"

int cmd_check(const struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_getopt_tab g;
	struct mint_config cfg;
	bool system = false, preflight = false;
	int opt, ret;

	cli_getopt_begin(ctx, &g);
	while ((opt = cli_getopt(&g, argc, argv)) != -1) {
		if (opt == OPT_SYSTEM)
			system = true;
		else if (opt == OPT_PREFLIGHT)
			preflight = true;
		else
			return cli_bad_option(ctx, argv, opt);
	}
	if (system && preflight)
		return cli_usage(ctx, "give --system or --preflight, not both");
	if (optind != argc - 1)
		return cli_usage(ctx, optind == argc ? "missing CONFIG"
						     : "too many arguments");
	if (preflight)
		return cli_preflight(ctx, argv[optind]);
	mint_config_init(&cfg);
	ret = cli_load_config(ctx, argv[optind], &cfg, system);
	mint_config_free(&cfg);
	return ret;
}
