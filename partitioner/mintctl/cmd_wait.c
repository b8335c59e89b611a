// SPDX-License-Identifier: GPL-2.0
/* mintctl wait [--timeout=SECONDS] NODE STATE */
#include <getopt.h>
#include <string.h>

#include "mintctl.h"

static const char *const states[] = { "released", "stopped",  "starting",
				      "running",  "stopping", "failed",
				      NULL };

int cmd_wait(const struct mint_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = { { "timeout", required_argument,
						NULL, 't' },
					      { NULL, 0, NULL, 0 } };
	unsigned int timeout = 60, i;
	const char *state, *hint;
	int opt, ret;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":t:", opts, NULL)) != -1) {
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
	ret = cli_check_node_name(ctx, argv[optind]);
	if (ret)
		return ret;
	state = argv[optind + 1];
	for (i = 0; states[i]; i++)
		if (!strcmp(states[i], state))
			break;
	if (!states[i]) {
		hint = mint_suggest(state, states);
		if (hint)
			return cli_usage(ctx,
					 "unknown state '%s'; did you mean "
					 "'%s'?",
					 state, hint);
		return cli_usage(ctx,
				 "unknown state '%s'; use released, stopped, "
				 "starting, running, stopping or failed",
				 state);
	}
	return cli_need_kernel(ctx);
}
