// SPDX-License-Identifier: GPL-2.0
/* mintctl show [--json | --vms | --link] CONFIG [NODE] */
#include <getopt.h>

#include "mintctl.h"

static int no_such_node(const struct cli_ctx *ctx, const char *file,
			const struct mint_config *cfg, const char *name)
{
	const char *cands[MINT_MAX_NODES + 2], *hint;
	unsigned int i;

	cands[0] = "node0";
	for (i = 0; i < cfg->nr_nodes; i++)
		cands[i + 1] = cfg->nodes[i].name;
	cands[i + 1] = NULL;
	hint = mint_suggest(name, cands);
	if (hint)
		return cli_usage(ctx, "%s has no node '%s'; did you mean '%s'?",
				 file, name, hint);
	return cli_usage(ctx, "%s has no node '%s'", file, name);
}

int cmd_show(const struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_getopt_tab g;
	bool vms = false, link = false;
	const char *file, *node = NULL;
	struct mint_config cfg;
	struct mint_buf out;
	bool json = false;
	int opt, ret;

	cli_getopt_begin(ctx, &g);
	while ((opt = cli_getopt(&g, argc, argv)) != -1) {
		if (opt == OPT_JSON)
			json = true;
		else if (opt == OPT_VMS)
			vms = true;
		else if (opt == OPT_LINK)
			link = true;
		else
			return cli_bad_option(ctx, argv, opt);
	}
	if (json + vms + link > 1)
		return cli_usage(ctx, "give one of --json, --vms and --link");
	if (optind == argc)
		return cli_usage(ctx, "missing CONFIG");
	if (argc - optind > 2)
		return cli_usage(ctx, "too many arguments");
	file = argv[optind];
	if (argc - optind == 2)
		node = argv[optind + 1];
	mint_config_init(&cfg);
	ret = cli_load_config(ctx, file, &cfg, false);
	if (ret)
		goto out;
	if (node && mint_config_find_node(&cfg, node) < 0) {
		ret = no_such_node(ctx, file, &cfg, node);
		goto out;
	}
	if ((vms || link) && !node) {
		ret = cli_usage(ctx, "%s needs a NODE",
				vms ? "--vms" : "--link");
		goto out;
	}
	mint_buf_init(&out);
	if (vms)
		mint_config_vms_shell(&cfg, node, &out);
	else if (link)
		mint_config_link_line(&cfg, node, &out);
	else if (json)
		mint_config_json(&cfg, node, &out);
	else
		mint_config_format(&cfg, node, &out);
	ret = cli_write(ctx, &out);
	mint_buf_free(&out);
out:
	mint_config_free(&cfg);
	return ret;
}
