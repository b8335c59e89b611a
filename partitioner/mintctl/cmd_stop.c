// SPDX-License-Identifier: GPL-2.0
/* mintctl stop [--force] (--all | NODE...) */
#include <getopt.h>
#include <string.h>

#include "mintctl.h"
#include "node.h"

#define NAMES_MAX 64

int cmd_stop(const struct mint_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "force", no_argument, NULL, 'f' },
		{ "quiet", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 }
	};
	struct mint_ctx local = *ctx;
	char names[NAMES_MAX][MINT_NAME_MAX + 1], state[64];
	bool all = false, force = false;
	int opt, ret, i, n, status = MINT_EXIT_OK, stopped = 0;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":afq", opts, NULL)) != -1) {
		switch (opt) {
		case 'a':
			all = true;
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
	ret = cli_node_operands(ctx, argc, argv, all, false);
	if (ret)
		return ret;
	ret = cli_need_kernel(ctx);
	if (ret)
		return ret;
	if (!all) {
		for (i = optind; i < argc; i++) {
			ret = node_stop(ctx, argv[i], force);
			if (ret && !status)
				status = ret;
		}
		return status;
	}
	n = node_list(ctx, names, NAMES_MAX);
	if (n < 0)
		return cli_error(ctx, MINT_EXIT_FAIL,
				 "cannot list the nodes in /sys/kernel/mint: "
				 "%s",
				 strerror(-n));
	for (i = 0; i < n; i++) {
		if (node_state(ctx, names[i], state, sizeof(state)) ||
		    !node_state_active(state))
			continue;
		ret = node_stop(ctx, names[i], force);
		if (ret && !status)
			status = ret;
		stopped++;
	}
	if (!stopped)
		cli_warn(ctx, "no node is started; nothing to stop");
	return status;
}
