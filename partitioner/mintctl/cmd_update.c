// SPDX-License-Identifier: GPL-2.0
/*
 * mintctl update [--config=FILE] [--dry-run] [--quiet] [--timeout=SECONDS]
 *                [--kernel=PATH] [--initrd=PATH] [--cmdline=TEXT] NODE
 *
 * Replaces NODE's kernel (or initrd, or command line) while its guests keep
 * running (docs/migration.md): every running VM on NODE moves to another
 * node with room (vm_migrate()), NODE stops and starts on the new image,
 * the VMs move back. The plan is made and checked first (--dry-run prints
 * it); a VM that cannot move stops the update before NODE is touched; a
 * new image that does not come up is replaced by the config's, so NODE
 * stays bootable and the VMs come back to it either way.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mintctl.h"
#include "node.h"
#include "placement.h"

#define SUPERVISOR_WAIT_S 60

struct move {
	const struct mint_vm *vm;
	char to[MINT_NAME_MAX + 1];
};

struct update {
	const char *config;
	const struct mint_config *cfg;
	const struct mint_node *node;
	struct node_boot *b;
	bool dry_run;
	struct move moves[MINT_MAX_VMS];
	unsigned int nr_moves;
};

/* Where each running VM of the node goes: the first running node of the
 * config, with a link address, that has room for it beside the VMs
 * planned there before it. An exit code. */
static int plan(const struct cli_ctx *ctx, struct update *u)
{
	const struct mint_config *cfg = u->cfg;
	char text[NODE_PLACEMENT_MAX], next[NODE_PLACEMENT_MAX],
		at[MINT_NAME_MAX + 1], why[512];
	char state[64], detail[512], last[512] = "";
	unsigned int i, t;

	if (placement_read(ctx, text, sizeof(text)))
		text[0] = 0;
	for (i = 0; i < cfg->nr_vms; i++) {
		const struct mint_vm *vm = &cfg->vms[i];

		mint_placement_where(cfg, text, vm, at);
		if (strcmp(at, u->node->name) ||
		    !vm_now(ctx, at, vm->name, state, sizeof(state), detail,
			    sizeof(detail)) ||
		    strcmp(state, "running"))
			continue;
		for (t = 0; t < cfg->nr_nodes; t++) {
			const struct mint_node *n = &cfg->nodes[t];

			if (n == u->node || !n->address.prefix ||
			    !node_runs(ctx, n->name)) {
				snprintf(last, sizeof(last), "%s %s", n->name,
					 n == u->node	      ? "is the node"
					 : !n->address.prefix ? "has no link "
								"address"
							      : "does not run");
				continue;
			}
			if (mint_migrate_fits(cfg, text, vm, t, why,
					      sizeof(why))) {
				snprintf(last, sizeof(last), "%s", why);
				continue;
			}
			break;
		}
		if (t == cfg->nr_nodes)
			return cli_error(ctx, CLI_EXIT_CONFLICT,
					 "%s: VM %s has no node to go to (last "
					 "tried: %s); nothing was changed",
					 u->node->name, vm->name, last);
		if (mint_placement_set(text, vm->name, cfg->nodes[t].name,
				       vm->node, next, sizeof(next)))
			return cli_error(ctx, CLI_EXIT_FAIL,
					 "too many moved VMs");
		memcpy(text, next, strlen(next) + 1);
		u->moves[u->nr_moves].vm = vm;
		snprintf(u->moves[u->nr_moves].to, sizeof(u->moves[0].to), "%s",
			 cfg->nodes[t].name);
		u->nr_moves++;
	}
	return CLI_EXIT_OK;
}

static void print_plan(const struct cli_ctx *ctx, const struct update *u)
{
	const struct node_boot *b = u->b;
	unsigned int i;

	fprintf(ctx->out, "update %s:\n", u->node->name);
	for (i = 0; i < u->nr_moves; i++)
		fprintf(ctx->out, "  migrate %s/%s -> %s\n", u->node->name,
			u->moves[i].vm->name, u->moves[i].to);
	fprintf(ctx->out, "  stop %s\n", u->node->name);
	fprintf(ctx->out, "  start %s on kernel %s, initrd %s, cmdline '%s'\n",
		u->node->name, b->kernel[0] ? b->kernel : u->node->kernel,
		b->initrd[0]	  ? b->initrd
		: u->node->initrd ? u->node->initrd
				  : "(none)",
		b->has_cmdline	   ? b->cmdline
		: u->node->cmdline ? u->node->cmdline
				   : "");
	for (i = u->nr_moves; i-- > 0;)
		fprintf(ctx->out, "  migrate %s/%s -> %s\n", u->moves[i].to,
			u->moves[i].vm->name, u->node->name);
	if (!u->nr_moves)
		fprintf(ctx->out, "  (no running VM to move)\n");
}

/* Whether the node's VM supervisor runs (asked on its terminal: a node
 * without VMs of its own reports nothing) within SUPERVISOR_WAIT_S, the
 * node running all the while. The node's kernel declares it running
 * before init: a node whose userspace dies (a bad init, a broken
 * initramfs) is running, then panics, and never answers. */
static bool supervisor_up(const struct cli_ctx *ctx, const char *node)
{
	static const char line[] =
		"if kill -0 \"$(cat /run/mint/vmd.pid 2>/dev/null)\" "
		"2>/dev/null; then echo @@MINT''VM up; else echo @@MINT''VM "
		"down; fi\n";
	double end = cli_now() + SUPERVISOR_WAIT_S;
	char reply[32];

	while (cli_now() < end && node_runs(ctx, node)) {
		if (!node_shell_poll(ctx, node, line, reply, sizeof(reply),
				     5) &&
		    !strcmp(reply, "up"))
			return true;
		sleep(1);
	}
	return false;
}

static int restart_node(const struct cli_ctx *ctx, struct update *u)
{
	const struct node_boot plain = { .timeout = u->b->timeout };
	struct mint_node n = *u->node;
	int ret;

	if (node_stop(ctx, n.name, false) && node_stop(ctx, n.name, true))
		return cli_error(ctx, CLI_EXIT_FAIL,
				 "%s: does not stop; its VMs run on the other "
				 "nodes",
				 n.name);
	node_boot_apply(u->b, &n);
	ret = node_start(ctx, u->cfg, u->config, &n, u->b);
	if (!ret && supervisor_up(ctx, n.name))
		return CLI_EXIT_OK;
	cli_warn(ctx,
		 "%s: did not come up on the new image (%s); starting it on "
		 "the config's image",
		 n.name,
		 ret ? "not running"
		     : "no VM supervisor, or it stopped running");
	node_stop(ctx, n.name, true);
	if (node_start(ctx, u->cfg, u->config, u->node, &plain))
		return cli_error(ctx, CLI_EXIT_FAIL,
				 "%s: does not start on the config's image "
				 "either; its VMs run on the other nodes",
				 n.name);
	return CLI_EXIT_FAIL; /* up again, on the old image */
}

static int run(const struct cli_ctx *ctx, struct update *u)
{
	double t0 = cli_now(), t_away, t_up;
	unsigned int i;
	int ret, back = CLI_EXIT_OK;

	for (i = 0; i < u->nr_moves; i++) {
		ret = vm_migrate(ctx, u->cfg, u->node->name,
				 u->moves[i].vm->name, u->moves[i].to,
				 u->b->timeout ? 10 * u->b->timeout : 0);
		if (ret)
			return cli_error(ctx, ret,
					 "%s: update stopped before the node: "
					 "%s/%s did not move (above); the VMs "
					 "moved so far stay where they are",
					 u->node->name, u->node->name,
					 u->moves[i].vm->name);
	}
	t_away = cli_now();
	ret = restart_node(ctx, u);
	if (ret && !node_runs(ctx, u->node->name))
		return ret;
	t_up = cli_now();
	if (ret && !supervisor_up(ctx, u->node->name))
		cli_warn(ctx, "%s: its VM supervisor is not up after %d s",
			 u->node->name, SUPERVISOR_WAIT_S);
	for (i = u->nr_moves; i-- > 0;)
		if (vm_migrate(ctx, u->cfg, u->moves[i].to,
			       u->moves[i].vm->name, u->node->name,
			       u->b->timeout ? 10 * u->b->timeout : 0))
			back = CLI_EXIT_FAIL; /* it runs on where it is */
	cli_note(ctx,
		 "%s: %s in %.1f s: %u VM(s) away %.1f s, node restart %.1f s, "
		 "back %.1f s",
		 u->node->name,
		 ret ? "NOT updated (the config's image runs)" : "updated",
		 cli_now() - t0, u->nr_moves, t_away - t0, t_up - t_away,
		 cli_now() - t_up);
	return ret ?: back;
}

static int update(const struct cli_ctx *ctx, struct update *u, const char *name)
{
	int idx = mint_config_find_node(u->cfg, name), ret;
	char state[64];

	if (idx <= 0)
		return cli_error(ctx, CLI_EXIT_CONFIG, "no node '%s' in %s",
				 name, u->config);
	u->node = &u->cfg->nodes[idx - 1];
	if (!node_boot_oneoff(u->b))
		return cli_usage(ctx, "give the new --kernel, --initrd or "
				      "--cmdline");
	ret = node_boot_check(ctx, u->b);
	ret = ret ?: cli_need_kernel(ctx);
	if (ret)
		return ret;
	if (node_state(ctx, name, state, sizeof(state)))
		snprintf(state, sizeof(state), "not defined");
	if (!mint_state_is(state, MINT_STATE_RUNNING))
		return cli_error(ctx, CLI_EXIT_CONFLICT,
				 "%s: is %s; 'mintctl start' starts it on a "
				 "new image (--kernel, --initrd, --cmdline)",
				 name, state);
	ret = plan(ctx, u);
	if (ret)
		return ret;
	if (u->dry_run) {
		print_plan(ctx, u);
		return CLI_EXIT_OK;
	}
	return run(ctx, u);
}

int cmd_update(const struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_getopt_tab g;
	struct cli_ctx local = *ctx;
	struct mint_config cfg;
	struct update *u = calloc(1, sizeof(*u));
	struct node_boot *b = calloc(1, sizeof(*b));
	int opt, ret = CLI_EXIT_OK;

	if (!u || !b) {
		free(u);
		free(b);
		return cli_error(ctx, CLI_EXIT_FAIL, "out of memory");
	}
	u->config = CLI_DEFAULT_CONFIG;
	u->cfg = &cfg;
	u->b = b;
	b->timeout = 60;
	cli_getopt_begin(ctx, &g);
	while (!ret && (opt = cli_getopt(&g, argc, argv)) != -1) {
		if (opt == 'c')
			u->config = optarg;
		else if (opt == 'n')
			u->dry_run = true;
		else if (opt == 'q')
			local.quiet = true;
		else if (opt == 't')
			ret = cli_parse_timeout(ctx, optarg, &b->timeout);
		else if (opt == NODE_OPT_KERNEL || opt == NODE_OPT_INITRD ||
			 opt == NODE_OPT_CMDLINE)
			ret = node_boot_option(ctx, b, opt, optarg);
		else
			ret = cli_bad_option(ctx, argv, opt);
	}
	if (!ret && argc - optind != 1)
		ret = cli_usage(ctx, argc == optind ? "missing NODE"
						    : "give one NODE");
	ret = ret ?: cli_check_node_name(ctx, argv[optind]);
	mint_config_init(&cfg);
	ret = ret ?: cli_load_config(&local, u->config, &cfg, false);
	ret = ret ?: update(&local, u, argv[optind]);
	mint_config_free(&cfg);
	free(u);
	free(b);
	return ret;
}
