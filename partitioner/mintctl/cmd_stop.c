// SPDX-License-Identifier: GPL-2.0
/* mintctl stop [--force] (--all | NODE...) */
#include <getopt.h>

#include "mintctl.h"
#include "node.h"

static int stop_one(const struct mint_ctx *ctx, const char *name, void *force)
{
	return node_stop(ctx, name, *(bool *)force);
}

int cmd_stop(const struct mint_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "force", no_argument, NULL, 'f' },
		{ "quiet", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 }
	};
	struct mint_ctx local = *ctx;
	bool force = false;
	struct cli_nodes w = { .pick = cli_started,
			       .none = "no node is started; nothing to stop",
			       .fn = stop_one,
			       .arg = &force };
	int opt, ret;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":afq", opts, NULL)) != -1) {
		switch (opt) {
		case 'a':
			w.all = true;
			break;
		case 'f':
			force = true;
			break;
		case 'q':
			local.quiet = true;
			break;
		default:
			return cli_bad_option(ctx, argv, opt);
		}
	}
	ctx = &local;
	ret = cli_node_operands(ctx, argc, argv, w.all, false);
	if (ret)
		return ret;
	ret = cli_need_kernel(ctx);
	if (ret)
		return ret;
	return cli_for_nodes(ctx, argc, argv, &w);
}
