// SPDX-License-Identifier: GPL-2.0
/* The resolved config as config text: defaults filled in, one per key. */
#include <errno.h>
#include <string.h>

#include "config.h"

static void opt_str(struct mint_buf *b, const char *key, const char *value)
{
	if (value)
		mint_buf_printf(b, "%s = %s\n", key, value);
}

static void opt_addr(struct mint_buf *b, const struct mint_ipv4 *a)
{
	char text[32];

	if (!a->prefix)
		return;
	mint_ipv4_format(a, true, text, sizeof(text));
	mint_buf_printf(b, "address = %s\n", text);
}

static void format_node(struct mint_buf *b, const struct mint_node *n)
{
	char text[MINT_MAX_DEVICES * 14 + 64], size[32];
	uint64_t slice = mint_node_low_slice(n->index);
	unsigned int i;
	size_t len = 0;

	mint_format_size(mint_node_ram(n), size, sizeof(size));
	mint_buf_printf(b,
			"\n[node %s]\n# node %u: %s of RAM, low-memory slice "
			"0x%llx-0x%llx\n",
			n->name, n->index, size, (unsigned long long)slice,
			(unsigned long long)(slice + MINT_LOW_SLOT - 1));
	mint_cpulist_format(n->cpus, text, sizeof(text));
	mint_buf_printf(b, "cpus = %s\n", text);
	for (i = 0; i < n->nr_mem; i++) {
		mint_format_size(n->mem[i].size, size, sizeof(size));
		mint_buf_printf(b, "memory = %s@0x%llx\n", size,
				(unsigned long long)n->mem[i].base);
	}
	for (i = 0; i < n->nr_devices; i++) {
		if (i)
			text[len++] = ',';
		mint_pci_format(&n->devices[i], text + len, sizeof(text) - len);
		len += strlen(text + len);
	}
	if (n->nr_devices)
		mint_buf_printf(b, "devices = %s\n", text);
	mint_buf_printf(b, "iommu = %s\n",
			n->iommu_off ? MINT_IOMMU_OFF : MINT_IOMMU_REQUIRED);
	if (n->link.size) {
		mint_format_size(n->link.size, size, sizeof(size));
		mint_buf_printf(b, "link = %s@0x%llx\n", size,
				(unsigned long long)n->link.base);
	}
	opt_addr(b, &n->address);
	mint_buf_printf(b, "console = %s\n", mint_console_name(n->console));
	opt_str(b, "kernel", n->kernel);
	opt_str(b, "initrd", n->initrd);
	opt_str(b, "cmdline", n->cmdline);
	mint_buf_printf(b, "autostart = %s\n", n->autostart ? "yes" : "no");
}

static void format_vm(struct mint_buf *b, const struct mint_vm *vm)
{
	char size[32];

	mint_format_size(vm->memory, size, sizeof(size));
	mint_buf_printf(b, "\n[vm %s]\nnode = %s\nvcpus = %u\nmemory = %s\n",
			vm->name, vm->node, vm->vcpus, size);
	opt_str(b, "kernel", vm->kernel);
	opt_str(b, "initrd", vm->initrd);
	opt_str(b, "cmdline", vm->cmdline);
	opt_str(b, "disk", vm->disk);
	mint_buf_printf(b, "cpu_model = %s\n",
			vm->cpu_model ?: MINT_VM_CPU_MODEL_DEFAULT);
	mint_buf_printf(b, "net = %s\n", mint_net_name(vm->net_mint));
	opt_addr(b, &vm->address);
	mint_buf_printf(b, "autostart = %s\nrestart = %s\n",
			vm->autostart ? "yes" : "no",
			mint_restart_name(vm->restart));
}

int mint_config_format(const struct mint_config *cfg, const char *node,
		       struct mint_buf *out)
{
	unsigned int i;

	mint_buf_printf(out,
			"# resolved by mintctl show: defaults filled in\n"
			"[partition]\nversion = %u\nname = %s\niommu = %s\n",
			cfg->part.version, cfg->part.name,
			cfg->part.iommu_off ? MINT_IOMMU_OFF
					    : MINT_IOMMU_REQUIRED);
	opt_addr(out, &cfg->part.address);
	opt_str(out, "authorized_keys", cfg->part.authorized_keys);
	mint_buf_printf(
		out, "# low-memory reservation: 0x%llx-0x%llx\n",
		(unsigned long long)MINT_LOW_BASE,
		(unsigned long long)(MINT_LOW_BASE +
				     mint_low_reservation_size(cfg->nr_nodes) -
				     1));
	for (i = 0; i < cfg->nr_nodes; i++)
		if (!node || !strcmp(node, cfg->nodes[i].name))
			format_node(out, &cfg->nodes[i]);
	for (i = 0; i < cfg->nr_vms; i++)
		if (!node || !strcmp(node, cfg->vms[i].node))
			format_vm(out, &cfg->vms[i]);
	return out->nomem ? -ENOMEM : 0;
}
