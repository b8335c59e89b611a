// SPDX-License-Identifier: GPL-2.0
/* mintctl start [--config=FILE] [--timeout=SECONDS] (--all | NODE...) */
#include <getopt.h>
#include <string.h>

#include "mintctl.h"
#include "node.h"

int cmd_start(const struct mint_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "config", required_argument, NULL, 'c' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "timeout", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 }
	};
	struct mint_ctx local = *ctx;
	const char *config = MINT_DEFAULT_CONFIG;
	struct mint_config cfg;
	unsigned int timeout = 60, i;
	bool all = false;
	int opt, ret, k, status = MINT_EXIT_OK;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":ac:qt:", opts, NULL)) != -1) {
		switch (opt) {
		case 'a':
			all = true;
			break;
		case 'c':
			config = optarg;
			break;
		case 'q':
			local.quiet = true;
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
	ctx = &local;
	ret = cli_node_operands(ctx, argc, argv, all, false);
	if (ret)
		return ret;
	ret = cli_need_kernel(ctx);
	if (ret)
		return ret;
	mint_config_init(&cfg);
	ret = cli_load_config(ctx, config, &cfg, false);
	if (ret)
		goto out;
	if (all) {
		for (i = 0; i < cfg.nr_nodes; i++)
			if (cfg.nodes[i].autostart) {
				ret = node_start(ctx, config, &cfg.nodes[i],
						 timeout);
				if (ret && !status)
					status = ret;
			}
		ret = status;
		goto out;
	}
	for (k = optind; k < argc; k++) {
		int idx = mint_config_find_node(&cfg, argv[k]);

		if (idx <= 0) {
			ret = cli_error(ctx, MINT_EXIT_CONFIG,
					"no node '%s' in %s", argv[k], config);
		} else {
			ret = node_start(ctx, config, &cfg.nodes[idx - 1],
					 timeout);
		}
		if (ret && !status)
			status = ret;
	}
	ret = status;
out:
	mint_config_free(&cfg);
	return ret;
}
