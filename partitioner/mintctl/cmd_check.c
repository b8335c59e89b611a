// SPDX-License-Identifier: GPL-2.0
/* mintctl check [--system | --preflight] CONFIG */
#include <getopt.h>

#include "mintctl.h"

int cmd_check(const struct mint_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "system", no_argument, NULL, 's' },
		{ "preflight", no_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 }
	};
	struct mint_config cfg;
	bool system = false, preflight = false;
	int opt, ret;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (opt == 's')
			system = true;
		else if (opt == 'p')
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
