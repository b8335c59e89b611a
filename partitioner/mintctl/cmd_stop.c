// SPDX-License-Identifier: GPL-2.0
/* mintctl stop [--force] [--timeout=SECONDS] (--all | NODE...) */
#include <getopt.h>

#include "mintctl.h"

int cmd_stop(const struct mint_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "force", no_argument, NULL, 'f' },
		{ "timeout", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 }
	};
	unsigned int timeout = 60;
	bool all = false;
	int opt, ret;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":aft:", opts, NULL)) != -1) {
		switch (opt) {
		case 'a':
			all = true;
			break;
		case 'f':
			break;
		case 't':
			ret = cli_parse_timeout(ctx, optarg, &timeout);
			if (ret)
				return ret;
			break;
		default:
			return cli_bad_option(ctx, argv, opt);
		}
	}
	ret = cli_node_operands(ctx, argc, argv, all, false);
	if (ret)
		return ret;
	return cli_need_kernel(ctx);
}
