// SPDX-License-Identifier: GPL-2.0
/* mintctl restart [--config=FILE] [--force] [--timeout=S] (--all | NODE...) */
#include <getopt.h>
#include <string.h>

#include "mintctl.h"
#include "node.h"

#define NAMES_MAX 64

/* Stop @n if it is started, then start it from the config. */
static int restart_one(const struct mint_ctx *ctx, const char *config,
		       const struct mint_node *n, bool force,
		       unsigned int timeout)
{
	/* every start loads afresh: no one-off options, no earlier load */
	const struct node_boot b = { .timeout = timeout };
	char state[64];
	int ret;

	if (!node_state(ctx, n->name, state, sizeof(state)) &&
	    node_state_active(state)) {
		ret = node_stop(ctx, n->name, force);
		if (ret)
			return ret;
	}
	return node_start(ctx, config, n, &b);
}

int cmd_restart(const struct mint_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "config", required_argument, NULL, 'c' },
		{ "force", no_argument, NULL, 'f' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "timeout", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 }
	};
	struct mint_ctx local = *ctx;
	char names[NAMES_MAX][MINT_NAME_MAX + 1], state[64];
	const char *config = MINT_DEFAULT_CONFIG;
	struct mint_config cfg;
	unsigned int timeout = 60;
	bool all = false, force = false;
	int opt, ret, i, n, idx, status = MINT_EXIT_OK, count = 0;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":ac:fqt:", opts, NULL)) != -1) {
		switch (opt) {
		case 'a':
			all = true;
			break;
		case 'c':
			config = optarg;
			break;
		case 'f':
			force = true;
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
	/* A node that is not in the config is not stopped: it could not be
	 * started again. */
	if (all) {
		n = node_list(ctx, names, NAMES_MAX);
		if (n < 0) {
			ret = cli_error(ctx, MINT_EXIT_FAIL,
					"cannot list the nodes in "
					"/sys/kernel/mint: %s",
					strerror(-n));
			goto out;
		}
	} else {
		for (n = 0, i = optind; i < argc && n < NAMES_MAX; i++)
			snprintf(names[n++], sizeof(names[0]), "%s", argv[i]);
	}
	for (i = 0; i < n; i++) {
		if (all && (node_state(ctx, names[i], state, sizeof(state)) ||
			    !node_state_active(state)))
			continue;
		idx = mint_config_find_node(&cfg, names[i]);
		if (idx <= 0) {
			ret = cli_error(
				ctx, MINT_EXIT_CONFIG,
				"%s: not in %s, so it cannot be started "
				"again; left as it is",
				names[i], config);
		} else {
			ret = restart_one(ctx, config, &cfg.nodes[idx - 1],
					  force, timeout);
		}
		if (ret && !status)
			status = ret;
		count++;
	}
	if (all && !count)
		cli_warn(ctx, "no node is started; nothing to restart");
	ret = status;
out:
	mint_config_free(&cfg);
	return ret;
}
