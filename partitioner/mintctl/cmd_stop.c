// SPDX-License-Identifier: GPL-2.0
/* mintctl stop [--force] (--all | NODE...) */
#include <getopt.h>

#include "mintctl.h"
#include "node.h"

static int stop_one(const struct cli_ctx *ctx, const char *name, void *force)
{
	return node_stop(ctx, name, *(bool *)force);
}

int cmd_stop(const struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_getopt_tab g;
	struct cli_ctx local = *ctx;
	bool force = false;
	struct cli_nodes w = { .pick = cli_started,
			       .none = "no node is started; nothing to stop",
			       .fn = stop_one,
			       .arg = &force };
	int opt;

	cli_getopt_begin(ctx, &g);
	while ((opt = cli_getopt(&g, argc, argv)) != -1) {
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
	return cli_run_nodes(&local, argc, argv, &w);
}
