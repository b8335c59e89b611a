// SPDX-License-Identifier: GPL-2.0
/*
 * mintctl start [--config=FILE] [--timeout=SECONDS] [--kernel=PATH]
 *               [--initrd=PATH] [--cmdline=TEXT] [--timing] (--all | NODE...)
 * mintctl load [--config=FILE] [--kernel=PATH] [--initrd=PATH]
 *              [--cmdline=TEXT] NODE...
 * mintctl load --save-image=DIR [--config=FILE] [--kernel=PATH]
 *              [--initrd=PATH] [--cmdline=TEXT] NODE
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "mintctl.h"
#include "node.h"

struct start {
	const char *config;
	const struct mint_config *cfg;
	struct node_boot *b;
};

/* @name of the config, with the one-off options in. */
static int start_one(const struct cli_ctx *ctx, const char *name, void *arg)
{
	const struct start *s = arg;
	int idx = mint_config_find_node(s->cfg, name);
	struct mint_node n;

	if (idx <= 0)
		return cli_error(ctx, CLI_EXIT_CONFIG, "no node '%s' in %s",
				 name, s->config);
	n = s->cfg->nodes[idx - 1];
	node_boot_apply(s->b, &n);
	return node_start(ctx, s->cfg, s->config, &n, s->b);
}

/* --all: the config's nodes whose autostart is yes, in file order. */
static int start_autostart(const struct cli_ctx *ctx, const struct cli_nodes *w)
{
	struct start *s = w->arg;
	const char *names[MINT_MAX_NODES];
	unsigned int i;
	int n = 0;

	for (i = 0; i < s->cfg->nr_nodes && n < MINT_MAX_NODES; i++)
		if (s->cfg->nodes[i].autostart)
			names[n++] = s->cfg->nodes[i].name;
	return cli_each_node(ctx, names, n, start_one, s);
}

/* The one-off options: not with --all, and their files usable. */
static int start_check(const struct cli_ctx *ctx, const struct cli_nodes *w)
{
	const struct start *s = w->arg;

	if (w->all && node_boot_oneoff(s->b))
		return cli_usage(ctx, "--kernel, --initrd and --cmdline go "
				      "with NODE names, not with --all");
	return node_boot_check(ctx, s->b);
}

/* start and load: NODE... (or --all) of the config, each as @b says. */
static int run_nodes(const struct cli_ctx *ctx, int argc, char **argv,
		     const char *config, bool all, struct node_boot *b)
{
	struct mint_config cfg;
	struct start s = { .config = config, .cfg = &cfg, .b = b };
	const struct cli_nodes w = { .all = all,
				     .every = start_autostart,
				     .check = start_check,
				     .config = config,
				     .cfg = &cfg,
				     .fn = start_one,
				     .arg = &s };

	if (b->load_only && optind == argc)
		return cli_usage(ctx, "missing NODE");
	if (b->save_image[0] && argc - optind > 1)
		return cli_usage(ctx, "--save-image takes one NODE");
	return cli_run_nodes(ctx, argc, argv, &w);
}

/* load --save-image=DIR: where the image goes (as given, relative to the
 * current directory). */
static int save_image_option(const struct cli_ctx *ctx, struct node_boot *b,
			     const char *arg)
{
	const char *p;

	if (!*arg)
		return cli_usage(ctx, "--save-image needs a directory");
	for (p = arg; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return cli_usage(ctx, "--save-image: the path holds a "
					      "control character");
	if (strlen(arg) > MINT_PATH_MAX)
		return cli_usage(ctx,
				 "--save-image: the path is longer than %d "
				 "bytes",
				 MINT_PATH_MAX);
	snprintf(b->save_image, sizeof(b->save_image), "%s", arg);
	return CLI_EXIT_OK;
}

static int start_or_load(const struct cli_ctx *ctx, int argc, char **argv,
			 bool load)
{
	struct cli_getopt_tab g;
	struct cli_ctx local = *ctx;
	const char *config = CLI_DEFAULT_CONFIG;
	struct node_boot *b = calloc(1, sizeof(*b));
	bool all = false;
	int opt, ret = CLI_EXIT_OK;

	if (!b)
		return cli_error(ctx, CLI_EXIT_FAIL, "out of memory");
	b->timeout = 60;
	b->load_only = load;
	b->use_loaded = !load;
	cli_getopt_begin(ctx, &g);
	while (!ret && (opt = cli_getopt(&g, argc, argv)) != -1) {
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
			ret = cli_parse_timeout(ctx, optarg, &b->timeout);
			break;
		case NODE_OPT_KERNEL:
		case NODE_OPT_INITRD:
		case NODE_OPT_CMDLINE:
			ret = node_boot_option(ctx, b, opt, optarg);
			break;
		case NODE_OPT_SAVE_IMAGE:
			ret = save_image_option(ctx, b, optarg);
			break;
		case NODE_OPT_TIMING:
			b->timing = true;
			break;
		default:
			ret = cli_bad_option(ctx, argv, opt);
		}
	}
	if (!ret)
		ret = run_nodes(&local, argc, argv, config, all, b);
	free(b);
	return ret;
}

int cmd_start(const struct cli_ctx *ctx, int argc, char **argv)
{
	return start_or_load(ctx, argc, argv, false);
}

int cmd_load(const struct cli_ctx *ctx, int argc, char **argv)
{
	return start_or_load(ctx, argc, argv, true);
}
