// SPDX-License-Identifier: GPL-2.0
/*
 * The nodes a command acts on: its NODE... operands, or --all, and the
 * loop over them that every such command (start, load, stop, restart,
 * release) shares: each node is tried, the first error is the result.
 */
#include <getopt.h>
#include <string.h>

#include "mintctl.h"
#include "node.h"

int cli_node_operands(const struct cli_ctx *ctx, int argc, char **argv,
		      unsigned int flags)
{
	bool all = flags & CLI_NODES_ALL;
	int i, j, ret;

	if (all && optind < argc)
		return cli_usage(ctx, "give NODE names or --all, not both");
	if (!all && optind == argc && !(flags & CLI_NODES_OPTIONAL))
		return cli_usage(ctx, "missing NODE (or --all)");
	for (i = optind; i < argc; i++) {
		if (!strcmp(argv[i], "node0") && !(flags & CLI_NODES_NODE0))
			return cli_usage(ctx,
					 "node0 is the Linux running mintctl; "
					 "name a node it started");
		ret = strcmp(argv[i], "node0")
			      ? cli_check_node_name(ctx, argv[i])
			      : CLI_EXIT_OK;
		if (ret)
			return ret;
		for (j = optind; j < i; j++)
			if (!strcmp(argv[i], argv[j]))
				return cli_usage(ctx,
						 "node '%s' is given twice",
						 argv[i]);
	}
	return CLI_EXIT_OK;
}

bool cli_started(const struct cli_ctx *ctx, const char *name, const char *state)
{
	(void)ctx;
	(void)name;
	return mint_state_holds_cpus(state);
}

int cli_each_node(const struct cli_ctx *ctx, const char *const *names, int n,
		  cli_node_fn *fn, void *arg)
{
	int i, ret, status = CLI_EXIT_OK;

	for (i = 0; i < n; i++) {
		ret = fn(ctx, names[i], arg);
		if (ret && !status)
			status = ret;
	}
	return status;
}

struct picking {
	const struct cli_nodes *w;
	int picked;
};

/* --all: @name, when its state is one @arg's pick takes. */
static int pick_one(const struct cli_ctx *ctx, const char *name, void *arg)
{
	struct picking *p = arg;
	char state[64];

	if (node_state(ctx, name, state, sizeof(state)) ||
	    !p->w->pick(ctx, name, state))
		return CLI_EXIT_OK;
	p->picked++;
	return p->w->fn(ctx, name, p->w->arg);
}

/* --all: the nodes node0's kernel has defined, in name order. */
static int each_defined(const struct cli_ctx *ctx, const struct cli_nodes *w)
{
	char names[NODE_NAMES_MAX][MINT_NAME_MAX + 1];
	const char *v[NODE_NAMES_MAX];
	struct picking p = { .w = w };
	int i, n, ret;

	n = node_list(ctx, names, NODE_NAMES_MAX);
	if (n < 0)
		return cli_error(ctx, CLI_EXIT_FAIL,
				 "cannot list the nodes in /sys/kernel/mint: "
				 "%s",
				 strerror(-n));
	for (i = 0; i < n; i++)
		v[i] = names[i];
	ret = cli_each_node(ctx, v, n, pick_one, &p);
	if (!p.picked)
		cli_warn(ctx, "%s", w->none);
	return ret;
}

static int for_nodes(const struct cli_ctx *ctx, int argc, char **argv,
		     const struct cli_nodes *w)
{
	if (w->all && w->every)
		return w->every(ctx, w);
	if (w->all)
		return each_defined(ctx, w);
	return cli_each_node(ctx, (const char *const *)argv + optind,
			     argc - optind, w->fn, w->arg);
}

int cli_run_nodes(const struct cli_ctx *ctx, int argc, char **argv,
		  const struct cli_nodes *w)
{
	int ret;

	ret = cli_node_operands(ctx, argc, argv, w->all ? CLI_NODES_ALL : 0);
	if (!ret && w->check)
		ret = w->check(ctx, w);
	if (!ret)
		ret = cli_need_kernel(ctx);
	if (ret)
		return ret;
	if (!w->config)
		return for_nodes(ctx, argc, argv, w);
	mint_config_init(w->cfg);
	ret = cli_load_config(ctx, w->config, w->cfg, false);
	if (!ret)
		ret = for_nodes(ctx, argc, argv, w);
	mint_config_free(w->cfg);
	return ret;
}
