// SPDX-License-Identifier: GPL-2.0
/* mintctl release (--all | NODE...) */
#include <getopt.h>

#include "mintctl.h"

int cmd_release(const struct mint_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = { { "all", no_argument, NULL, 'a' },
					      { NULL, 0, NULL, 0 } };
	bool all = false;
	int opt, ret;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":a", opts, NULL)) != -1) {
		if (opt != 'a')
			return cli_bad_option(ctx, argv, opt);
		all = true;
	}
	ret = cli_node_operands(ctx, argc, argv, all, false);
	if (ret)
		return ret;
	return cli_need_kernel(ctx);
}
