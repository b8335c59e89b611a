// SPDX-License-Identifier: GPL-2.0
/* mintctl console NODE[/VM] */
#include <getopt.h>
#include <string.h>

#include "mintctl.h"

int cmd_console(const struct mint_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = { { NULL, 0, NULL, 0 } };
	char node[MINT_NAME_MAX + 2], why[256];
	const char *arg, *slash;
	int opt, ret;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":", opts, NULL)) != -1)
		return cli_bad_option(ctx, argv, opt);
	if (optind != argc - 1)
		return cli_usage(ctx, optind == argc ? "missing NODE"
						     : "too many arguments");
	arg = argv[optind];
	slash = strchr(arg, '/');
	snprintf(node, sizeof(node), "%.*s",
		 (int)(slash ? (size_t)(slash - arg) : strlen(arg)), arg);
	ret = cli_check_node_name(ctx, node);
	if (ret)
		return ret;
	if (slash && mint_check_name(slash + 1, "vm", why, sizeof(why)))
		return cli_usage(ctx, "%s", why);
	return cli_error(ctx, MINT_EXIT_ENV,
			 "not available yet: node and VM consoles arrive "
			 "with the node-lifecycle work");
}
