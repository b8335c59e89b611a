// SPDX-License-Identifier: GPL-2.0
/* mintctl status [--json] [NODE...] */
#include <getopt.h>

#include "mintctl.h"

int cmd_status(const struct mint_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' }, { NULL, 0, NULL, 0 }
	};
	int opt, ret;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":", opts, NULL)) != -1)
		if (opt != 'j')
			return cli_bad_option(ctx, argv, opt);
	ret = cli_node_operands(ctx, argc, argv, false, true);
	if (ret)
		return ret;
	return cli_need_kernel(ctx);
}
