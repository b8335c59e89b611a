// SPDX-License-Identifier: GPL-2.0
/* mintctl release (--all | NODE...) */
#include <getopt.h>
#include <string.h>

#include "mintctl.h"
#include "node.h"

/*
 * Does @name still hold CPUs? node0's kernel does not say directly: a
 * stopped node always does; an offline or loaded one does when a restart
 * stopped it and then failed to load, and then its CPUs are not online in
 * node0.
 */
static bool holds_cpus(const struct cli_ctx *ctx, const char *name,
		       const char *state)
{
	char buf[256];
	uint64_t mine = 0, online = 0;

	if (mint_state_is(state, MINT_STATE_STOPPED))
		return true;
	if (!mint_state_is(state, MINT_STATE_OFFLINE) &&
	    !mint_state_is(state, MINT_STATE_LOADED))
		return false;
	if (node_read(ctx, name, "cpus", buf, sizeof(buf)) ||
	    mint_cpulist_parse_sys(buf, &mine, NULL, 0) ||
	    node0_online_cpus(ctx, buf, sizeof(buf)) ||
	    mint_cpulist_parse_sys(buf, &online, NULL, 0))
		return false;
	return mine && (mine & ~online);
}

static int release_one(const struct cli_ctx *ctx, const char *name,
		       void *unused)
{
	(void)unused;
	return node_release(ctx, name);
}

int cmd_release(const struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_getopt_tab g;
	struct cli_ctx local = *ctx;
	struct cli_nodes w = {
		.pick = holds_cpus,
		.none = "no stopped node holds CPUs; nothing to release",
		.fn = release_one,
	};
	int opt;

	cli_getopt_begin(ctx, &g);
	while ((opt = cli_getopt(&g, argc, argv)) != -1) {
		if (opt == 'a')
			w.all = true;
		else if (opt == 'q')
			local.quiet = true;
		else
			return cli_bad_option(ctx, argv, opt);
	}
	return cli_run_nodes(&local, argc, argv, &w);
}
