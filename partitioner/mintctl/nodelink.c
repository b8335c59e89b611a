// SPDX-License-Identifier: GPL-2.0
/*
 * node0's side of a node's link: what node0's kernel says about it
 * (/sys/kernel/mint/NAME/link, the device's counters), and its device put
 * into the bridge of the links when the node starts (rtnl_io.c).
 */
#include <errno.h>
#include <string.h>

#include "mintctl.h"
#include "node.h"
#include "rtnl_io.h"

int node_link_read(const struct cli_ctx *ctx, const char *name,
		   struct mint_link_file *l, char *why, size_t whylen)
{
	char buf[1024];
	int ret;

	memset(l, 0, sizeof(*l));
	ret = node_read(ctx, name, "link", buf, sizeof(buf));
	if (ret) {
		if (why)
			snprintf(why, whylen, "%s", strerror(-ret));
		return ret;
	}
	return mint_link_parse(buf, l, why, whylen);
}

void node_link_stats_read(const struct cli_ctx *ctx, const char *ifname,
			  struct node_link_stats *s)
{
	static const char *const names[] = { "rx_packets", "tx_packets",
					     "rx_dropped", "tx_dropped" };
	uint64_t *const dst[] = { &s->rx_packets, &s->tx_packets,
				  &s->rx_dropped, &s->tx_dropped };
	char path[4096], buf[64];
	size_t i;

	memset(s, 0, sizeof(*s));
	if (!mint_ifname_valid(ifname))
		return;
	for (i = 0; i < 4; i++) {
		snprintf(path, sizeof(path),
			 "%s/sys/class/net/%s/statistics/%s", cli_root(ctx),
			 ifname, names[i]);
		if (file_read_str(path, buf, sizeof(buf)) ||
		    mint_parse_u64(buf, dst[i], NULL, 0))
			return;
	}
	s->have = true;
}

/* The device node0's kernel made for @n's link, from its link file. */
static int link_device(const struct cli_ctx *ctx, const struct mint_node *n,
		       struct mint_link_file *l)
{
	char why[256];
	int ret = node_link_read(ctx, n->name, l, why, sizeof(why));

	if (ret == -ENOENT)
		return cli_error(
			ctx, CLI_EXIT_FAIL,
			"%s: node0's kernel shows no link of the node "
			"(no %s/%s/link); boot node0 with a mint "
			"kernel that has links (drivers/net/mint_link)",
			n->name, MINT_SYSFS_DIR, n->name);
	if (ret)
		return cli_error(ctx, CLI_EXIT_FAIL,
				 "%s: cannot read its link in node0's kernel "
				 "(%s/%s/link): %s",
				 n->name, MINT_SYSFS_DIR, n->name, why);
	if (!mint_link_present(l))
		return cli_error(ctx, CLI_EXIT_FAIL,
				 "%s: node0's kernel holds no link of the node "
				 "(its link file says state %s), though the "
				 "config gives it one; see dmesg",
				 n->name, l->state[0] ? l->state : "-");
	if (!l->ifname[0])
		return cli_error(ctx, CLI_EXIT_FAIL,
				 "%s: its link file (%s/%s/link) names no "
				 "network device",
				 n->name, MINT_SYSFS_DIR, n->name);
	return CLI_EXIT_OK;
}

int node_link_up(const struct cli_ctx *ctx, const struct mint_config *cfg,
		 const struct mint_node *n)
{
	const struct mint_ipv4 *addr = &cfg->part.address;
	struct mint_link_file l;
	char why[512], text[48] = "";
	struct rtnl r;
	int ret;

	if (!n->link.size)
		return CLI_EXIT_OK;
	ret = link_device(ctx, n, &l);
	if (ret)
		return ret;
	if (addr->prefix) {
		snprintf(text, sizeof(text), ", address ");
		mint_ipv4_format(addr, true, text + strlen(text),
				 sizeof(text) - strlen(text));
	}
	if (*cli_root(ctx)) {
		cli_note(ctx,
			 "%s: link %s not put into bridge %s (MTU %u%s): "
			 "netlink reaches the running kernel, not the one of "
			 "the sysroot %s",
			 n->name, l.ifname, MINT_LINK_BRIDGE, MINT_LINK_MTU,
			 text, ctx->sysroot);
		return CLI_EXIT_OK;
	}
	ret = rtnl_open(&r);
	if (ret)
		return cli_error(ctx, CLI_EXIT_FAIL,
				 "%s: cannot open a netlink socket to put %s "
				 "into bridge %s: %s",
				 n->name, l.ifname, MINT_LINK_BRIDGE,
				 strerror(-ret));
	ret = rtnl_bridge_port(&r, MINT_LINK_BRIDGE, addr, l.ifname,
			       MINT_LINK_MTU, why, sizeof(why));
	rtnl_close(&r);
	if (ret)
		return cli_error(ctx, CLI_EXIT_FAIL, "%s: %s", n->name, why);
	cli_note(ctx, "%s: link %s in bridge %s (MTU %u%s), both up", n->name,
		 l.ifname, MINT_LINK_BRIDGE, MINT_LINK_MTU, text);
	return CLI_EXIT_OK;
}
