// SPDX-License-Identifier: GPL-2.0
/* mintctl wait [--timeout=SECONDS] NODE STATE */
#include <errno.h>
#include <getopt.h>
#include <string.h>

#include "mintctl.h"
#include "node.h"

static int unknown_state(const struct cli_ctx *ctx, const char *state)
{
	const char *hint = mint_suggest(state, mint_state_names);
	char all[256];

	if (hint)
		return cli_usage(ctx, "unknown state '%s'; did you mean '%s'?",
				 state, hint);
	mint_state_join(MINT_STATES_ALL, ", ", " or ", all, sizeof(all));
	return cli_usage(ctx, "unknown state '%s'; use %s", state, all);
}

int cmd_wait(const struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_getopt_tab g;
	unsigned int timeout = 60;
	const char *node, *want;
	char state[64];
	int opt, ret;

	cli_getopt_begin(ctx, &g);
	while ((opt = cli_getopt(&g, argc, argv)) != -1) {
		if (opt != 't')
			return cli_bad_option(ctx, argv, opt);
		ret = cli_parse_timeout(ctx, optarg, &timeout);
		if (ret)
			return ret;
	}
	if (argc - optind != 2)
		return cli_usage(ctx, argc - optind < 2
					      ? "missing NODE or STATE"
					      : "too many arguments");
	node = argv[optind];
	want = argv[optind + 1];
	ret = cli_node_operands(ctx, optind + 1, argv, 0);
	if (ret)
		return ret;
	if (mint_state_parse(want) < 0)
		return unknown_state(ctx, want);
	ret = cli_need_kernel(ctx);
	if (ret)
		return ret;
	if (!node_defined(ctx, node))
		return cli_error(ctx, CLI_EXIT_CONFLICT,
				 "%s: no such node in node0's kernel ('mintctl "
				 "start %s' defines it)",
				 node, node);
	ret = node_wait(ctx, node, want, timeout, state, sizeof(state));
	if (ret == -ETIMEDOUT)
		return cli_error(ctx, CLI_EXIT_FAIL,
				 "%s: still %s after %us, not %s", node, state,
				 timeout, want);
	if (ret)
		return cli_error(ctx, CLI_EXIT_CONFLICT,
				 "%s: no longer in node0's kernel: %s", node,
				 strerror(-ret));
	return CLI_EXIT_OK;
}
