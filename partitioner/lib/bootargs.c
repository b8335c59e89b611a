// SPDX-License-Identifier: GPL-2.0
/*
 * node0's kernel command-line fragment: a memmap=SIZE$BASE reservation per
 * node range and per link (each node's ranges, then its link), the
 * low-memory reservation, and no_ipi_broadcast=1 (without it Linux sends
 * "all but self" IPIs into the nodes' CPUs).
 */
#include <errno.h>

#include "config.h"

static void add_memmap(struct mint_buf *b, uint64_t size, uint64_t base,
		       const char *dollar)
{
	char s[32];

	mint_format_size(size, s, sizeof(s));
	mint_buf_printf(b, "memmap=%s%s0x%llx ", s, dollar,
			(unsigned long long)base);
}

int mint_bootargs(const struct mint_config *cfg, enum mint_bootargs_format fmt,
		  struct mint_buf *out)
{
	/* grub.cfg expands $NAME even inside a linux line: escape it. */
	const char *dollar = fmt == MINT_BOOTARGS_GRUB ? "\\$" : "$";
	unsigned int i, j;

	if (fmt == MINT_BOOTARGS_SHELL)
		mint_buf_puts(out, "'");
	for (i = 0; i < cfg->nr_nodes; i++) {
		const struct mint_node *n = &cfg->nodes[i];

		for (j = 0; j < n->nr_mem; j++)
			add_memmap(out, n->mem[j].size, n->mem[j].base, dollar);
		if (n->link.size)
			add_memmap(out, n->link.size, n->link.base, dollar);
	}
	add_memmap(out, mint_low_reservation_size(cfg->nr_nodes), MINT_LOW_BASE,
		   dollar);
	mint_buf_puts(out, "no_ipi_broadcast=1");
	/* Nothing above contains a single quote, so one pair suffices. */
	if (fmt == MINT_BOOTARGS_SHELL)
		mint_buf_puts(out, "'");
	mint_buf_puts(out, "\n");
	return out->nomem ? -ENOMEM : 0;
}
