// SPDX-License-Identifier: GPL-2.0
/* mintctl bootargs [--format=plain|grub|shell] CONFIG */
#include <getopt.h>
#include <string.h>

#include "mintctl.h"

/* In the order of enum mint_bootargs_format. */
const char *const cli_bootargs_formats[] = { "plain", "grub", "shell", NULL };

int cmd_bootargs(const struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_getopt_tab g;
	enum mint_bootargs_format fmt = MINT_BOOTARGS_PLAIN;
	struct mint_config cfg;
	struct mint_buf out;
	int opt, ret, i;

	cli_getopt_begin(ctx, &g);
	while ((opt = cli_getopt(&g, argc, argv)) != -1) {
		if (opt != OPT_FORMAT)
			return cli_bad_option(ctx, argv, opt);
		for (i = 0; cli_bootargs_formats[i]; i++)
			if (!strcmp(optarg, cli_bootargs_formats[i]))
				break;
		fmt = (enum mint_bootargs_format)i;
		if (!cli_bootargs_formats[i])
			return cli_usage(ctx,
					 "unknown format '%s'; use plain, grub "
					 "or shell",
					 optarg);
	}
	if (optind != argc - 1)
		return cli_usage(ctx, optind == argc ? "missing CONFIG"
						     : "too many arguments");
	mint_config_init(&cfg);
	ret = cli_load_config(ctx, argv[optind], &cfg, false);
	if (!ret) {
		mint_buf_init(&out);
		mint_bootargs(&cfg, fmt, &out);
		ret = cli_write(ctx, &out);
		mint_buf_free(&out);
	}
	mint_config_free(&cfg);
	return ret;
}
