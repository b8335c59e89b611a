// SPDX-License-Identifier: GPL-2.0
/* Per-section and cross-node validation passes. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

#define BAD(keys, k) (((keys)->bad >> (k)) & 1)
#define MISSING(keys, k) (!(keys)->line[k] && !BAD(keys, k))

struct vctx {
	struct mint_config *cfg;
	struct mint_diags *d;
};

uint64_t mint_node_ram(const struct mint_node *node)
{
	uint64_t total = 0;
	unsigned int i;

	for (i = 0; i < node->nr_mem; i++)
		total += node->mem[i].size;
	return total;
}

int mint_config_find_node(const struct mint_config *cfg, const char *name)
{
	unsigned int i;

	if (!strcmp(name, "node0"))
		return 0;
	for (i = 0; i < cfg->nr_nodes; i++)
		if (!strcmp(cfg->nodes[i].name, name))
			return (int)i + 1;
	return -1;
}

static void range_text(const struct mint_range *r, char *out, size_t len)
{
	char size[32];

	mint_format_size(r->size, size, sizeof(size));
	snprintf(out, len, "%s@0x%llx", size, (unsigned long long)r->base);
}

static bool overlaps(const struct mint_range *a, const struct mint_range *b)
{
	return a->base < b->base + b->size && b->base < a->base + a->size;
}

static void check_partition(struct vctx *v)
{
	struct mint_partition *p = &v->cfg->part;

	if (!p->line)
		return;
	if (MISSING(&p->keys, MINT_KEY_VERSION))
		mint_diag_add(v->d, p->line, MINT_SCOPE_PARTITION, NULL,
			      "version", "missing; add 'version = %d'",
			      MINT_CONFIG_VERSION);
}

static void check_node(struct vctx *v, struct mint_node *n)
{
	struct mint_keyinfo *k = &n->keys;
	char a[64], b[64];
	unsigned int i, j;
	uint64_t total;

	if (MISSING(k, MINT_KEY_CPUS))
		mint_diag_add(v->d, n->line, MINT_SCOPE_NODE, n->name, "cpus",
			      "missing; give the node its CPUs, e.g. "
			      "'cpus = 2-3'");
	if (MISSING(k, MINT_KEY_MEMORY))
		mint_diag_add(v->d, n->line, MINT_SCOPE_NODE, n->name, "memory",
			      "missing; give the node RAM held back from "
			      "node0, e.g. 'memory = 640M@0x28000000'");
	if (MISSING(k, MINT_KEY_KERNEL))
		mint_diag_add(v->d, n->line, MINT_SCOPE_NODE, n->name, "kernel",
			      "missing; give the node's bzImage, e.g. "
			      "'kernel = /boot/mint/bzImage'");
	for (i = 0; i < n->nr_mem; i++) {
		for (j = 0; j < i; j++) {
			if (!overlaps(&n->mem[i], &n->mem[j]))
				continue;
			range_text(&n->mem[i], a, sizeof(a));
			range_text(&n->mem[j], b, sizeof(b));
			mint_diag_add(v->d, n->mem[i].line, MINT_SCOPE_NODE,
				      n->name, "memory",
				      "%s overlaps %s (line %u); make the "
				      "ranges disjoint",
				      a, b, n->mem[j].line);
		}
	}
	total = mint_node_ram(n);
	if (n->nr_mem && !BAD(k, MINT_KEY_MEMORY) &&
	    total < MINT_NODE_RAM_MIN) {
		mint_format_size(total, a, sizeof(a));
		mint_diag_add(v->d, k->line[MINT_KEY_MEMORY], MINT_SCOPE_NODE,
			      n->name, "memory",
			      "%s in all is too little; a node needs at least "
			      "256M",
			      a);
	}
}

/* A node's CPUs, RAM, devices and UART against every earlier node. */
static void check_node_pair(struct vctx *v, const struct mint_node *n,
			    const struct mint_node *o)
{
	char a[64], b[64];
	unsigned int i, j;
	uint64_t both = n->cpus & o->cpus;

	if (both) {
		mint_cpulist_format(both, a, sizeof(a));
		mint_diag_add(v->d, n->keys.line[MINT_KEY_CPUS],
			      MINT_SCOPE_NODE, n->name, "cpus",
			      "CPU%s %s %s already given to node '%s' "
			      "(line %u); give each CPU to one node",
			      (both & (both - 1)) ? "s" : "", a,
			      (both & (both - 1)) ? "are" : "is", o->name,
			      o->keys.line[MINT_KEY_CPUS]);
	}
	for (i = 0; i < n->nr_mem; i++) {
		for (j = 0; j < o->nr_mem; j++) {
			if (!overlaps(&n->mem[i], &o->mem[j]))
				continue;
			range_text(&n->mem[i], a, sizeof(a));
			range_text(&o->mem[j], b, sizeof(b));
			mint_diag_add(v->d, n->mem[i].line, MINT_SCOPE_NODE,
				      n->name, "memory",
				      "%s overlaps %s of node '%s' (line %u); "
				      "give each node its own RAM",
				      a, b, o->name, o->mem[j].line);
		}
	}
	for (i = 0; i < n->nr_devices; i++) {
		for (j = 0; j < o->nr_devices; j++) {
			if (!mint_pci_equal(&n->devices[i], &o->devices[j]))
				continue;
			mint_pci_format(&n->devices[i], a, sizeof(a));
			mint_diag_add(v->d, n->keys.line[MINT_KEY_DEVICES],
				      MINT_SCOPE_NODE, n->name, "devices",
				      "%s is already given to node '%s' "
				      "(line %u); give each device to one node",
				      a, o->name,
				      o->keys.line[MINT_KEY_DEVICES]);
		}
	}
	if (n->console != MINT_CONSOLE_SHM && n->console == o->console)
		mint_diag_add(v->d, n->keys.line[MINT_KEY_CONSOLE],
			      MINT_SCOPE_NODE, n->name, "console",
			      "%s is already the console of node '%s' "
			      "(line %u); use another UART or shm",
			      mint_console_name(n->console), o->name,
			      o->keys.line[MINT_KEY_CONSOLE]);
}

static void node_list(const struct mint_config *cfg, char *out, size_t len)
{
	size_t n = (size_t)snprintf(out, len, "node0");
	unsigned int i;

	for (i = 0; i < cfg->nr_nodes && n < len; i++)
		n += (size_t)snprintf(out + n, len - n, ", %s",
				      cfg->nodes[i].name);
}

static void check_vm_node(struct vctx *v, struct mint_vm *vm)
{
	const char *cands[MINT_MAX_NODES + 2], *hint;
	struct mint_config *cfg = v->cfg;
	char list[MINT_MAX_NODES * (MINT_NAME_MAX + 2) + 8];
	unsigned int i;

	vm->node_index = mint_config_find_node(cfg, vm->node);
	if (vm->node_index >= 0)
		return;
	cands[0] = "node0";
	for (i = 0; i < cfg->nr_nodes; i++)
		cands[i + 1] = cfg->nodes[i].name;
	cands[cfg->nr_nodes + 1] = NULL;
	hint = mint_suggest(vm->node, cands);
	if (hint) {
		mint_diag_add(v->d, vm->keys.line[MINT_KEY_NODE], MINT_SCOPE_VM,
			      vm->name, "node",
			      "no node '%s' in this file; did you mean '%s'?",
			      vm->node, hint);
		return;
	}
	node_list(cfg, list, sizeof(list));
	mint_diag_add(v->d, vm->keys.line[MINT_KEY_NODE], MINT_SCOPE_VM,
		      vm->name, "node",
		      "no node '%s' in this file; use one of: %s", vm->node,
		      list);
}

static void check_vm(struct vctx *v, struct mint_vm *vm)
{
	struct mint_keyinfo *k = &vm->keys;

	if (MISSING(k, MINT_KEY_NODE))
		mint_diag_add(v->d, vm->line, MINT_SCOPE_VM, vm->name, "node",
			      "missing; say which node runs this VM, e.g. "
			      "'node = node1' (or node0)");
	else if (!BAD(k, MINT_KEY_NODE))
		check_vm_node(v, vm);
	if (MISSING(k, MINT_KEY_KERNEL))
		mint_diag_add(v->d, vm->line, MINT_SCOPE_VM, vm->name, "kernel",
			      "missing; give the guest kernel, e.g. "
			      "'kernel = /boot/mint/guest/vmlinuz'");
}

/* The same file, written with or without repeated or trailing slashes. */
static bool same_path(const char *a, const char *b)
{
	while (*a && *a == *b) {
		if (*a == '/') {
			a += strspn(a, "/");
			b += strspn(b, "/");
			continue;
		}
		a++;
		b++;
	}
	return !a[strspn(a, "/")] && !b[strspn(b, "/")];
}

/* Two VMs of one kernel on the same disk would corrupt it: a disk path
 * names one disk per kernel (a node's /dev/vda is its own). */
static void check_vm_disk(struct vctx *v, unsigned int idx)
{
	const struct mint_vm *vm = &v->cfg->vms[idx], *o;
	unsigned int i;

	if (!vm->disk || vm->node_index < 0)
		return;
	for (i = 0; i < idx; i++) {
		o = &v->cfg->vms[i];
		if (!o->disk || o->node_index != vm->node_index ||
		    !same_path(o->disk, vm->disk))
			continue;
		mint_diag_add(v->d, vm->keys.line[MINT_KEY_DISK], MINT_SCOPE_VM,
			      vm->name, "disk",
			      "%s is already the disk of vm '%s' (line %u) on "
			      "%s (two VMs writing one disk corrupt it); give "
			      "each VM its own disk",
			      vm->disk, o->name, o->keys.line[MINT_KEY_DISK],
			      vm->node);
		return;
	}
}

/* Each VM's vCPUs and the sum of its node's VM memory fit the node. */
static void check_vm_fit(struct vctx *v, unsigned int idx)
{
	struct mint_config *cfg = v->cfg;
	struct mint_vm *vm = &cfg->vms[idx];
	struct mint_node *n;
	unsigned int cpus, i;
	uint64_t ram, used = 0;
	char a[32], b[32], c[32];

	if (vm->node_index <= 0)
		return; /* node0's share is only known with --system */
	n = &cfg->nodes[vm->node_index - 1];
	cpus = (unsigned int)__builtin_popcountll(n->cpus);
	if (cpus && !BAD(&vm->keys, MINT_KEY_VCPUS) && vm->vcpus > cpus)
		mint_diag_add(v->d, vm->keys.line[MINT_KEY_VCPUS] ?: vm->line,
			      MINT_SCOPE_VM, vm->name, "vcpus",
			      "%u vCPUs do not fit node '%s', which has %u "
			      "CPU%s; lower vcpus or give the node more CPUs",
			      vm->vcpus, n->name, cpus, cpus == 1 ? "" : "s");
	ram = mint_node_ram(n);
	if (!n->nr_mem || BAD(&n->keys, MINT_KEY_MEMORY) ||
	    BAD(&vm->keys, MINT_KEY_MEMORY))
		return;
	for (i = 0; i <= idx; i++)
		if (cfg->vms[i].node_index == vm->node_index &&
		    !BAD(&cfg->vms[i].keys, MINT_KEY_MEMORY))
			used += cfg->vms[i].memory;
	if (used + MINT_NODE_OVERHEAD <= ram)
		return;
	mint_format_size(ram, a, sizeof(a));
	mint_format_size(used, b, sizeof(b));
	mint_format_size(MINT_NODE_OVERHEAD, c, sizeof(c));
	mint_diag_add(v->d, vm->keys.line[MINT_KEY_MEMORY] ?: vm->line,
		      MINT_SCOPE_VM, vm->name, "memory",
		      "does not fit node '%s': it has %s, its VMs need %s "
		      "with this one, and the node keeps %s for itself; "
		      "lower memory or give the node more RAM",
		      n->name, a, b, c);
}

int mint_config_validate(struct mint_config *cfg, struct mint_diags *d)
{
	size_t before = mint_diags_count(d);
	struct vctx v = { cfg, d };
	unsigned int i, j;

	check_partition(&v);
	for (i = 0; i < cfg->nr_nodes; i++)
		check_node(&v, &cfg->nodes[i]);
	for (i = 0; i < cfg->nr_nodes; i++)
		for (j = 0; j < i; j++)
			check_node_pair(&v, &cfg->nodes[i], &cfg->nodes[j]);
	for (i = 0; i < cfg->nr_vms; i++)
		check_vm(&v, &cfg->vms[i]);
	for (i = 0; i < cfg->nr_vms; i++) {
		check_vm_fit(&v, i);
		check_vm_disk(&v, i);
	}
	mint_validate_net(cfg, d);
	if (d->nomem)
		return -ENOMEM;
	return mint_diags_count(d) > before ? -EINVAL : 0;
}

int mint_config_load(const char *buf, size_t len, struct mint_config *cfg,
		     struct mint_diags *d)
{
	int ret = mint_config_parse(buf, len, cfg, d), ret2;

	if (ret == -ENOMEM)
		return ret;
	ret2 = mint_config_validate(cfg, d);
	if (ret2 == -ENOMEM)
		return ret2;
	return ret ? ret : ret2;
}
