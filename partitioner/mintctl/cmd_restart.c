// SPDX-License-Identifier: GPL-2.0
/* mintctl restart [--config=FILE] [--force] [--timeout=S] (--all | NODE...) */
#include <getopt.h>

#include "mintctl.h"
#include "node.h"

/* Stop @n if it is started, then start it from the config. */
static int restart_one(const struct cli_ctx *ctx, const struct mint_config *cfg,
		       const char *config, const struct mint_node *n,
		       bool force, unsigned int timeout)
{
	/* every start loads afresh: no one-off options, no earlier load */
	const struct node_boot b = { .timeout = timeout };
	char state[64];
	int ret;

	if (!node_state(ctx, n->name, state, sizeof(state)) &&
	    mint_state_holds_cpus(state)) {
		ret = node_stop(ctx, n->name, force);
		if (ret)
			return ret;
	}
	return node_start(ctx, cfg, config, n, &b);
}

struct restart {
	const char *config;
	const struct mint_config *cfg;
	bool force;
	unsigned int timeout;
};

/* A node that is not in the config is not stopped: it could not be
 * started again. */
static int restart_named(const struct cli_ctx *ctx, const char *name, void *arg)
{
	const struct restart *r = arg;
	int idx = mint_config_find_node(r->cfg, name);

	if (idx <= 0)
		return cli_error(ctx, CLI_EXIT_CONFIG,
				 "%s: not in %s, so it cannot be started "
				 "again; left as it is",
				 name, r->config);
	return restart_one(ctx, r->cfg, r->config, &r->cfg->nodes[idx - 1],
			   r->force, r->timeout);
}

int cmd_restart(const struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_getopt_tab g;
	struct cli_ctx local = *ctx;
	struct mint_config cfg;
	struct restart r = { .config = CLI_DEFAULT_CONFIG,
			     .cfg = &cfg,
			     .timeout = 60 };
	struct cli_nodes w = { .pick = cli_started,
			       .none = "no node is started; nothing to "
				       "restart",
			       .cfg = &cfg,
			       .fn = restart_named,
			       .arg = &r };
	int opt, ret;

	cli_getopt_begin(ctx, &g);
	while ((opt = cli_getopt(&g, argc, argv)) != -1) {
		switch (opt) {
		case 'a':
			w.all = true;
			break;
		case 'c':
			r.config = optarg;
			break;
		case 'f':
			r.force = true;
			break;
		case 'q':
			local.quiet = true;
			break;
		case 't':
			ret = cli_parse_timeout(ctx, optarg, &r.timeout);
			if (ret)
				return ret;
			break;
		default:
			return cli_bad_option(ctx, argv, opt);
		}
	}
	w.config = r.config;
	return cli_run_nodes(&local, argc, argv, &w);
}
