// SPDX-License-Identifier: GPL-2.0
/*
 * The cross checks of the links and their addresses: each link clear of
 * every node's RAM and every other link; addresses unique, in node0's
 * network when [partition] has one, and only where there is a link; a
 * VM's net = mint only where there is a link to join.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

#define BAD(keys, k) (((keys)->bad >> (k)) & 1)

static bool overlaps(const struct mint_range *a, const struct mint_range *b)
{
	return a->base < b->base + b->size && b->base < a->base + a->size;
}

static void range_text(const struct mint_range *r, char *out, size_t len)
{
	char size[32];

	mint_format_size(r->size, size, sizeof(size));
	snprintf(out, len, "%s@0x%llx", size, (unsigned long long)r->base);
}

/* Node @i's link against every node's RAM and the links before it. */
static void check_link(const struct mint_config *cfg, unsigned int i,
		       struct mint_diags *d)
{
	const struct mint_node *n = &cfg->nodes[i], *o;
	const struct mint_range *l = &n->link;
	char a[64], b[64];
	unsigned int j, k;

	range_text(l, a, sizeof(a));
	for (j = 0; j < cfg->nr_nodes; j++) {
		o = &cfg->nodes[j];
		for (k = 0; k < o->nr_mem; k++) {
			if (!overlaps(l, &o->mem[k]))
				continue;
			range_text(&o->mem[k], b, sizeof(b));
			if (j == i)
				mint_diag_add(d, l->line, MINT_SCOPE_NODE,
					      n->name, "link",
					      "%s overlaps the node's own "
					      "memory %s (line %u); place the "
					      "link outside its RAM",
					      a, b, o->mem[k].line);
			else
				mint_diag_add(d, l->line, MINT_SCOPE_NODE,
					      n->name, "link",
					      "%s overlaps memory %s of node "
					      "'%s' (line %u); place the link "
					      "outside every node's RAM",
					      a, b, o->name, o->mem[k].line);
		}
		if (j >= i || !o->link.size || !overlaps(l, &o->link))
			continue;
		range_text(&o->link, b, sizeof(b));
		mint_diag_add(d, l->line, MINT_SCOPE_NODE, n->name, "link",
			      "%s overlaps the link %s of node '%s' (line %u); "
			      "give each link its own region",
			      a, b, o->name, o->link.line);
	}
}

/* Who has an address, for the uniqueness and network checks. */
struct owner {
	const struct mint_ipv4 *addr;
	enum mint_scope scope;
	const char *name; /* NULL for [partition] */
	unsigned int line;
};

static void owner_text(const struct owner *o, char *out, size_t len)
{
	if (o->scope == MINT_SCOPE_PARTITION)
		snprintf(out, len, "node0 ([partition])");
	else
		snprintf(out, len, "%s '%s'",
			 o->scope == MINT_SCOPE_NODE ? "node" : "vm", o->name);
}

/* @o against node0's network @net (from the line @net_line). */
static void check_subnet(const struct owner *o, const struct mint_ipv4 *net,
			 unsigned int net_line, struct mint_diags *d)
{
	struct mint_ipv4 base = { net->addr & mint_ipv4_mask(net->prefix),
				  net->prefix };
	char a[32], n[32];

	mint_ipv4_format(o->addr, true, a, sizeof(a));
	mint_ipv4_format(&base, true, n, sizeof(n));
	if (!mint_ipv4_in_subnet(o->addr, net))
		mint_diag_add(d, o->line, o->scope, o->name, "address",
			      "%s is not in node0's network %s ([partition] "
			      "address, line %u); give an address in it",
			      a, n, net_line);
	else if (o->addr->prefix != net->prefix)
		mint_diag_add(d, o->line, o->scope, o->name, "address",
			      "%s has another prefix than node0's network %s "
			      "([partition] address, line %u); write /%u",
			      a, n, net_line, net->prefix);
}

static void check_addresses(const struct mint_config *cfg, struct mint_diags *d)
{
	struct owner own[1 + MINT_MAX_NODES + MINT_MAX_VMS];
	const struct mint_partition *p = &cfg->part;
	unsigned int nr = 0, i, j;
	char a[32], who[MINT_NAME_MAX + 32];

	if (p->address.prefix)
		own[nr++] =
			(struct owner){ &p->address, MINT_SCOPE_PARTITION, NULL,
					p->keys.line[MINT_KEY_ADDRESS] };
	for (i = 0; i < cfg->nr_nodes; i++)
		if (cfg->nodes[i].address.prefix)
			own[nr++] = (struct owner){
				&cfg->nodes[i].address, MINT_SCOPE_NODE,
				cfg->nodes[i].name,
				cfg->nodes[i].keys.line[MINT_KEY_ADDRESS]
			};
	for (i = 0; i < cfg->nr_vms; i++)
		if (cfg->vms[i].address.prefix)
			own[nr++] = (struct owner){
				&cfg->vms[i].address, MINT_SCOPE_VM,
				cfg->vms[i].name,
				cfg->vms[i].keys.line[MINT_KEY_ADDRESS]
			};
	/* sorted by line, so that the later one is reported */
	for (i = 1; i < nr; i++)
		for (j = i; j > 0 && own[j].line < own[j - 1].line; j--) {
			struct owner t = own[j];

			own[j] = own[j - 1];
			own[j - 1] = t;
		}
	for (i = 0; i < nr; i++) {
		for (j = 0; j < i; j++) {
			if (own[j].addr->addr != own[i].addr->addr)
				continue;
			mint_ipv4_format(own[i].addr, false, a, sizeof(a));
			owner_text(&own[j], who, sizeof(who));
			mint_diag_add(d, own[i].line, own[i].scope, own[i].name,
				      "address",
				      "%s is already the address of %s (line "
				      "%u); give each its own address",
				      a, who, own[j].line);
			break;
		}
		if (j == i && p->address.prefix &&
		    own[i].scope != MINT_SCOPE_PARTITION)
			check_subnet(&own[i], &p->address,
				     p->keys.line[MINT_KEY_ADDRESS], d);
	}
}

static void check_vm_net(const struct mint_config *cfg,
			 const struct mint_vm *vm, struct mint_diags *d)
{
	const struct mint_node *n;
	unsigned int line = vm->keys.line[MINT_KEY_NET];

	if (vm->address.prefix && !vm->net_mint &&
	    !BAD(&vm->keys, MINT_KEY_NET))
		mint_diag_add(d, vm->keys.line[MINT_KEY_ADDRESS], MINT_SCOPE_VM,
			      vm->name, "address",
			      "an address needs 'net = mint' (the VM on its "
			      "node's link); add it, or remove the address");
	if (!vm->net_mint || vm->node_index < 0)
		return;
	if (vm->node_index == 0) {
		if (!mint_config_has_bridge(cfg))
			mint_diag_add(d, line, MINT_SCOPE_VM, vm->name, "net",
				      "node0 has no network of links: no "
				      "node has a link and [partition] has no "
				      "address; give a node a link, or write "
				      "net = none");
		return;
	}
	n = &cfg->nodes[vm->node_index - 1];
	if (!n->link.size && !BAD(&n->keys, MINT_KEY_LINK))
		mint_diag_add(d, line, MINT_SCOPE_VM, vm->name, "net",
			      "node '%s' has no link for the VM to join; add "
			      "'link = SIZE@ADDRESS' to [node %s], or write "
			      "net = none",
			      n->name, n->name);
}

void mint_validate_net(const struct mint_config *cfg, struct mint_diags *d)
{
	const struct mint_node *n;
	unsigned int i;

	for (i = 0; i < cfg->nr_nodes; i++) {
		n = &cfg->nodes[i];
		if (n->link.size)
			check_link(cfg, i, d);
		if (n->address.prefix && !n->link.size &&
		    !BAD(&n->keys, MINT_KEY_LINK))
			mint_diag_add(d, n->keys.line[MINT_KEY_ADDRESS],
				      MINT_SCOPE_NODE, n->name, "address",
				      "an address needs a link to be on; add "
				      "'link = SIZE@ADDRESS' (a region of RAM "
				      "node0 holds back for it), or remove "
				      "the address");
	}
	check_addresses(cfg, d);
	for (i = 0; i < cfg->nr_vms; i++)
		check_vm_net(cfg, &cfg->vms[i], d);
}
