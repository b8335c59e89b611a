// SPDX-License-Identifier: GPL-2.0
/* mintctl bootargs [--format=plain|grub|shell] CONFIG */
#include <getopt.h>
#include <string.h>

#include "mintctl.h"

int cmd_bootargs(const struct mint_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' }, { NULL, 0, NULL, 0 }
	};
	enum mint_bootargs_format fmt = MINT_BOOTARGS_PLAIN;
	struct mint_config cfg;
	struct mint_buf out;
	int opt, ret;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (opt != 'f')
			return cli_bad_option(ctx, argv, opt);
		if (!strcmp(optarg, "plain"))
			fmt = MINT_BOOTARGS_PLAIN;
		else if (!strcmp(optarg, "grub"))
			fmt = MINT_BOOTARGS_GRUB;
		else if (!strcmp(optarg, "shell"))
			fmt = MINT_BOOTARGS_SHELL;
		else
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
