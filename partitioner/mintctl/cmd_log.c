// SPDX-License-Identifier: GPL-2.0
/* mintctl log [--follow] NODE */
#include <getopt.h>

#include "mintctl.h"

int cmd_log(const struct mint_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "follow", no_argument, NULL, 'f' }, { NULL, 0, NULL, 0 }
	};
	int opt, ret;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":f", opts, NULL)) != -1)
		if (opt != 'f')
			return cli_bad_option(ctx, argv, opt);
	if (optind != argc - 1)
		return cli_usage(ctx, optind == argc ? "missing NODE"
						     : "too many arguments");
	ret = cli_node_operands(ctx, argc, argv, false, false);
	if (ret)
		return ret;
	return cli_error(ctx, MINT_EXIT_ENV,
			 "not available yet: the node log ring arrives with "
			 "the node-lifecycle work");
}
