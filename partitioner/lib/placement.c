// SPDX-License-Identifier: GPL-2.0
/* Where moved VMs run (placement.h). */
#include <stdio.h>
#include <string.h>

#include "placement.h"

/* The next line of @p: its three words into @w (false when it is not
 * three names); *@p moves past it. */
static bool next_line(const char **p, char w[3][MINT_NAME_MAX + 1])
{
	const char *s = *p, *end = s + strcspn(s, "\n");
	unsigned int k = 0;
	size_t n;
	char why[128];
	bool ok = true;

	*p = *end ? end + 1 : end;
	while (s < end) {
		s += strspn(s, " \t");
		if (s >= end)
			break;
		n = strcspn(s, " \t\n");
		if (k == 3 || n > MINT_NAME_MAX) {
			ok = false;
			break;
		}
		memcpy(w[k], s, n);
		w[k][n] = 0;
		if (mint_check_name(w[k], "node", why, sizeof(why)))
			ok = false;
		k++;
		s += n;
	}
	return ok && k == 3;
}

static int node_index(const struct mint_config *cfg, const char *name)
{
	unsigned int i;

	for (i = 0; i < cfg->nr_nodes; i++)
		if (!strcmp(cfg->nodes[i].name, name))
			return (int)i;
	return -1;
}

void mint_placement_where(const struct mint_config *cfg, const char *text,
			  const struct mint_vm *vm, char *node)
{
	char w[3][MINT_NAME_MAX + 1];
	const char *p = text ? text : "";

	snprintf(node, MINT_NAME_MAX + 1, "%s", vm->node);
	while (*p)
		if (next_line(&p, w) && !strcmp(w[0], vm->name) &&
		    !strcmp(w[2], vm->node) && node_index(cfg, w[1]) >= 0)
			snprintf(node, MINT_NAME_MAX + 1, "%s", w[1]);
}

int mint_placement_set(const char *text, const char *vm, const char *node,
		       const char *home, char *out, size_t len)
{
	char w[3][MINT_NAME_MAX + 1];
	const char *p = text ? text : "";
	size_t o = 0;
	int n;

	if (!len)
		return -1;
	out[0] = 0;
	while (*p) {
		if (!next_line(&p, w) || !strcmp(w[0], vm))
			continue;
		n = snprintf(out + o, len - o, "%s %s %s\n", w[0], w[1], w[2]);
		if (n < 0 || (size_t)n >= len - o)
			return -1;
		o += (size_t)n;
	}
	if (!strcmp(node, home))
		return 0;
	n = snprintf(out + o, len - o, "%s %s %s\n", vm, node, home);
	return n < 0 || (size_t)n >= len - o ? -1 : 0;
}

int mint_migrate_fits(const struct mint_config *cfg, const char *text,
		      const struct mint_vm *vm, unsigned int target, char *why,
		      size_t len)
{
	const struct mint_node *t = &cfg->nodes[target];
	char at[MINT_NAME_MAX + 1], a[32], b[32], c[32];
	unsigned int i, cpus = (unsigned int)__builtin_popcountll(t->cpus);
	uint64_t used = vm->memory, ram = mint_node_ram(t);

	mint_placement_where(cfg, text, vm, at);
	if (!strcmp(at, t->name)) {
		snprintf(why, len, "vm '%s' runs on %s already", vm->name,
			 t->name);
		return -1;
	}
	if (vm->vcpus > cpus) {
		snprintf(why, len, "%s has %u CPU%s, vm '%s' needs %u", t->name,
			 cpus, cpus == 1 ? "" : "s", vm->name, vm->vcpus);
		return -1;
	}
	if (vm->net_mint && !t->link.size) {
		snprintf(why, len,
			 "vm '%s' is on its node's link (net = mint) and %s "
			 "has no link",
			 vm->name, t->name);
		return -1;
	}
	for (i = 0; i < cfg->nr_vms; i++) {
		const struct mint_vm *o = &cfg->vms[i];

		if (o == vm)
			continue;
		mint_placement_where(cfg, text, o, at);
		if (strcmp(at, t->name))
			continue;
		used += o->memory;
		if (vm->disk && o->disk && !strcmp(vm->disk, o->disk)) {
			snprintf(why, len,
				 "vm '%s' on %s has the same disk %s; two VMs "
				 "writing one disk corrupt it",
				 o->name, t->name, vm->disk);
			return -1;
		}
	}
	if (used + MINT_NODE_OVERHEAD <= ram)
		return 0;
	mint_format_size(ram, a, sizeof(a));
	mint_format_size(used, b, sizeof(b));
	mint_format_size(MINT_NODE_OVERHEAD, c, sizeof(c));
	snprintf(why, len,
		 "%s has %s of RAM; its VMs would need %s with vm '%s', and "
		 "the node keeps %s for itself",
		 t->name, a, b, vm->name, c);
	return -1;
}
