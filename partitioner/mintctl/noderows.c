// SPDX-License-Identifier: GPL-2.0
/*
 * The rows of 'mintctl status' and 'mintctl list': node0, the nodes node0's
 * kernel has defined, and the nodes of the config it has not defined.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mintctl.h"
#include "node.h"

static int row_cmp(const void *a, const void *b)
{
	const struct node_row *x = a, *y = b;

	if (x->node0 != y->node0)
		return x->node0 ? -1 : 1;
	if (x->ni.id != y->ni.id)
		return x->ni.id < y->ni.id ? -1 : 1;
	return strcmp(x->ni.name, y->ni.name);
}

static void node0_row(const struct cli_ctx *ctx, struct node_row *r)
{
	memset(r, 0, sizeof(*r));
	r->node0 = r->defined = true;
	snprintf(r->ni.name, sizeof(r->ni.name), "node0");
	snprintf(r->ni.state, sizeof(r->ni.state), "%s",
		 mint_state_names[MINT_STATE_RUNNING]);
	r->ni.id = 0;
	r->ni.heartbeat_age_ms = -1;
	if (node0_online_cpus(ctx, r->ni.cpulist, sizeof(r->ni.cpulist)) ||
	    mint_cpulist_parse_sys(r->ni.cpulist, &r->ni.cpus, NULL, 0))
		r->ni.cpus = 0;
	node0_vms_read(ctx, r->ni.vms, sizeof(r->ni.vms), &r->vms_age_s);
}

/* A node of the config that node0's kernel has not defined. */
static void config_row(const struct mint_node *n, struct node_row *r)
{
	unsigned int i;

	memset(r, 0, sizeof(*r));
	r->vms_age_s = -1;
	snprintf(r->ni.name, sizeof(r->ni.name), "%s", n->name);
	snprintf(r->ni.state, sizeof(r->ni.state), "%s",
		 mint_state_names[MINT_STATE_OFFLINE]);
	r->ni.id = (int)n->index;
	r->ni.cpus = n->cpus;
	mint_cpulist_format(n->cpus, r->ni.cpulist, sizeof(r->ni.cpulist));
	for (i = 0; i < n->nr_mem && i < MINT_MAX_RANGES; i++) {
		r->ni.mem[i].base = n->mem[i].base;
		r->ni.mem[i].size = n->mem[i].size;
	}
	r->ni.nr_mem = i;
	r->ni.heartbeat_age_ms = -1;
}

/* The config is optional: its nodes add rows for what is not defined. */
static int load_config(const struct cli_ctx *ctx, const char *path,
		       bool explicit, struct mint_config *cfg, bool *have)
{
	struct stat st;
	int ret;

	*have = false;
	if (explicit) {
		ret = cli_load_config(ctx, path, cfg, false);
		*have = !ret;
		return ret;
	}
	if (stat(path, &st) && errno == ENOENT)
		return CLI_EXIT_OK;
	if (cli_try_config(ctx, path, cfg))
		cli_warn(ctx,
			 "%s cannot be used (see 'mintctl check %s'); nodes it "
			 "declares but node0's kernel does not know are not "
			 "listed",
			 path, path);
	else
		*have = true;
	return CLI_EXIT_OK;
}

/*
 * mint-autostart's reason for not starting a node at boot (a start at an
 * earlier boot never returned), from /var/lib/mint/autostart-blocked/NODE:
 * its first line without the leading "NODE: ", or "" when there is none.
 */
static void autostart_blocked(const struct cli_ctx *ctx, const char *name,
			      char *out, size_t len)
{
	size_t skip = strlen(name);
	char path[4096];

	snprintf(path, sizeof(path), "%s/" AUTOSTART_BLOCKED_DIR "/%s",
		 cli_root(ctx), name);
	if (file_read_line(path, out, len))
		out[0] = 0;
	if (!strncmp(out, name, skip) && out[skip] == ':' &&
	    out[skip + 1] == ' ')
		memmove(out, out + skip + 2, strlen(out + skip + 2) + 1);
}

/* node0's side of the links: up when the bridge's operstate is, none
 * when there is no bridge. */
static void bridge_state(const struct cli_ctx *ctx, char *out, size_t len)
{
	char path[4096], buf[32];

	snprintf(path, sizeof(path), "%s/sys/class/net/%s/operstate",
		 cli_root(ctx), MINT_LINK_BRIDGE);
	if (file_read_str(path, buf, sizeof(buf)))
		snprintf(out, len, "%s", MINT_LINK_NONE);
	else
		snprintf(out, len, "%s",
			 strcmp(buf, "up") ? MINT_LINK_DOWN : MINT_LINK_UP);
}

/* What status shows of a row's link: the config's side (address, does it
 * give the node a link; node0: the bridge) and the device's counters. */
static void link_row(const struct cli_ctx *ctx, const struct mint_config *cfg,
		     bool have_cfg, struct node_row *r)
{
	const struct mint_ipv4 *addr = NULL;
	const char *ifname = NULL;
	int idx = have_cfg ? mint_config_find_node(cfg, r->ni.name) : -1;

	if (r->node0) {
		r->link_configured = idx == 0 && mint_config_has_bridge(cfg);
		addr = &cfg->part.address;
		ifname = MINT_LINK_BRIDGE;
	} else if (idx > 0) {
		r->link_configured = cfg->nodes[idx - 1].link.size != 0;
		addr = &cfg->nodes[idx - 1].address;
	}
	if (r->link_configured && addr->prefix)
		mint_ipv4_format(addr, true, r->link_address,
				 sizeof(r->link_address));
	if (!r->node0 && r->ni.has_link)
		ifname = r->ni.link.ifname;
	if (!node_row_has_link(r))
		return;
	if (r->node0)
		bridge_state(ctx, r->link_state, sizeof(r->link_state));
	else
		snprintf(r->link_state, sizeof(r->link_state), "%s",
			 r->ni.has_link && r->ni.link.state[0]
				 ? r->ni.link.state
				 : MINT_LINK_NONE);
	if (!ifname || !ifname[0])
		return;
	snprintf(r->link_ifname, sizeof(r->link_ifname), "%s", ifname);
	node_link_stats_read(ctx, ifname, &r->link_stats);
}

/* node0, the kernel's nodes, then the config's other nodes; sorted. */
static int collect(const struct cli_ctx *ctx, const struct mint_config *cfg,
		   bool have_cfg, struct node_row *rows)
{
	char names[NODE_NAMES_MAX][MINT_NAME_MAX + 1];
	int n, i, j, nr = 0;
	unsigned int k;

	n = node_list(ctx, names, NODE_NAMES_MAX);
	if (n < 0)
		return n;
	node0_row(ctx, &rows[nr++]);
	for (i = 0; i < n; i++) {
		if (node_info_read(ctx, names[i], &rows[nr].ni))
			continue; /* undefined meanwhile */
		rows[nr].defined = true;
		rows[nr].node0 = false;
		rows[nr].vms_age_s = -1;
		/* a record is shown only while the node is loaded with or
		 * runs that image (not once stopped, released, offline) */
		rows[nr].has_image =
			mint_image_rec_applies(rows[nr].ni.state) &&
			!node_image_read(ctx, names[i], &rows[nr].image);
		/* none when the file is missing or malformed: status is
		 * a health check, a timeline only information */
		rows[nr].has_timeline = !node_timeline_read(
			ctx, names[i],
			rows[nr].has_image ? &rows[nr].image : NULL,
			&rows[nr].timeline, NULL, 0);
		nr++;
	}
	for (k = 0; have_cfg && k < cfg->nr_nodes; k++) {
		for (j = 1; j < nr; j++)
			if (!strcmp(rows[j].ni.name, cfg->nodes[k].name))
				break;
		if (j == nr)
			config_row(&cfg->nodes[k], &rows[nr++]);
	}
	for (j = 1; j < nr; j++)
		autostart_blocked(ctx, rows[j].ni.name,
				  rows[j].autostart_blocked,
				  sizeof(rows[j].autostart_blocked));
	for (j = 0; j < nr; j++)
		link_row(ctx, cfg, have_cfg, &rows[j]);
	qsort(rows, nr, sizeof(rows[0]), row_cmp);
	return nr;
}

const char *node_row_state(const struct node_row *r)
{
	return r->defined ? r->ni.state : "offline (not defined)";
}

int node_rows_load(const struct cli_ctx *ctx, const char *config, bool explicit,
		   struct node_rows *rows)
{
	struct mint_config cfg;
	bool have_cfg;
	int ret;

	memset(rows, 0, sizeof(*rows));
	mint_config_init(&cfg);
	ret = load_config(ctx, config, explicit, &cfg, &have_cfg);
	if (ret)
		goto out;
	rows->v = calloc(NODE_ROWS_MAX, sizeof(*rows->v));
	if (!rows->v) {
		ret = cli_error(ctx, CLI_EXIT_FAIL, "out of memory");
		goto out;
	}
	rows->nr = collect(ctx, &cfg, have_cfg, rows->v);
	if (rows->nr < 0) {
		ret = cli_error(ctx, CLI_EXIT_FAIL,
				"cannot list the nodes in /sys/kernel/mint: %s",
				strerror(-rows->nr));
		rows->nr = 0;
		goto out;
	}
	rows->config = have_cfg ? config : NULL;
out:
	mint_config_free(&cfg);
	return ret;
}

void node_rows_free(struct node_rows *rows)
{
	free(rows->v);
	memset(rows, 0, sizeof(*rows));
}
