// SPDX-License-Identifier: GPL-2.0
/*
 * A node's link in 'mintctl status': a line under its row, a "link"
 * object in its JSON. node0's is the bridge of the links, mintbr0.
 */
#include <inttypes.h>
#include <string.h>

#include "mintctl.h"
#include "node.h"

bool node_row_has_link(const struct node_row *r)
{
	return r->link_configured ||
	       (!r->node0 && r->ni.has_link && mint_link_present(&r->ni.link));
}

/* "  link: up 10.0.0.2/24 on mint-node1, rx 12 tx 10 packets, dropped rx 0
 * tx 0" (the counters left out when unreadable) */
void node_row_link_text(FILE *f, const struct node_row *r)
{
	const struct node_link_stats *s = &r->link_stats;

	if (!node_row_has_link(r))
		return;
	fprintf(f, "  link: %s %s", r->link_state,
		r->link_address[0] ? r->link_address : "-");
	if (r->link_ifname[0])
		fprintf(f, " on %s", r->link_ifname);
	if (s->have)
		fprintf(f,
			", rx %" PRIu64 " tx %" PRIu64
			" packets, dropped rx %" PRIu64 " tx %" PRIu64,
			s->rx_packets, s->tx_packets, s->rx_dropped,
			s->tx_dropped);
	if (!r->node0 && r->ni.has_link &&
	    (r->ni.link.resets || r->ni.link.errors))
		fprintf(f, ", %" PRIu64 " resets, %" PRIu64 " errors",
			r->ni.link.resets, r->ni.link.errors);
	fputc('\n', f);
}

static void json_u64(struct mint_buf *b, const char *key, bool have, uint64_t v)
{
	if (have)
		mint_buf_printf(b, ", \"%s\": %" PRIu64, key, v);
	else
		mint_buf_printf(b, ", \"%s\": null", key);
}

void node_row_link_json(struct mint_buf *b, const struct node_row *r)
{
	const struct node_link_stats *s = &r->link_stats;
	bool file = !r->node0 && r->ni.has_link;

	mint_buf_puts(b, ",\n      \"link\": ");
	if (!node_row_has_link(r)) {
		mint_buf_puts(b, "null");
		return;
	}
	mint_buf_puts(b, "{\"address\": ");
	mint_json_string(b, r->link_address[0] ? r->link_address : NULL);
	mint_buf_puts(b, ", \"ifname\": ");
	mint_json_string(b, r->link_ifname[0] ? r->link_ifname : NULL);
	mint_buf_puts(b, ", \"state\": ");
	mint_json_string(b, r->link_state);
	json_u64(b, "rx_packets", s->have, s->rx_packets);
	json_u64(b, "tx_packets", s->have, s->tx_packets);
	json_u64(b, "rx_dropped", s->have, s->rx_dropped);
	json_u64(b, "tx_dropped", s->have, s->tx_dropped);
	json_u64(b, "resets", file, r->ni.link.resets);
	json_u64(b, "errors", file, r->ni.link.errors);
	mint_buf_puts(b, "}");
}
