// SPDX-License-Identifier: GPL-2.0
/*
 * The --system pass: the config against the machine node0 booted on. Its
 * checks that hold before the reboot into mint too are shared with the
 * --preflight pass (preflight.c).
 */
#include <errno.h>
#include <string.h>

#include "internal.h"

#define BOOTARGS_HINT                                                        \
	"boot node0 with the output of 'mintctl bootargs' for this file on " \
	"its command line"

/* Is [base, base + size) covered by adjacent top-level Reserved entries? */
static bool reserved(const struct mint_sysinfo *si, uint64_t base,
		     uint64_t size)
{
	uint64_t pos = base, last = base + size - 1;
	bool moved = true;
	size_t i;

	while (moved) {
		moved = false;
		for (i = 0; i < si->nr_iomem; i++) {
			const struct mint_iomem_entry *e = &si->iomem[i];

			if (strcmp(e->name, "Reserved") || e->start > pos ||
			    e->end < pos)
				continue;
			if (e->end >= last)
				return true;
			pos = e->end + 1;
			moved = true;
		}
	}
	return false;
}

static bool pci_present(const struct mint_sysinfo *si,
			const struct mint_pci_addr *a)
{
	size_t i;

	for (i = 0; i < si->nr_pci; i++)
		if (mint_pci_equal(&si->pci[i], a))
			return true;
	return false;
}

#define FWMAP "the firmware memory map (/sys/firmware/memmap)"

/* Node RAM and the low slice must be RAM the firmware calls usable. */
static bool usable(const struct mint_sysinfo *si, uint64_t base, uint64_t size,
		   struct mint_buf *what)
{
	mint_buf_init(what);
	if (mint_fwmap_usable(si, base, size, what))
		return true;
	if (!what->data || what->nomem) {
		mint_buf_free(what);
		mint_buf_puts(what, "(out of memory)");
	}
	return false;
}

/* The link's region: usable RAM, and held back as node RAM is. */
static void check_link(const struct mint_node *n, const struct mint_sysinfo *si,
		       bool need_reserved, struct mint_diags *d)
{
	const struct mint_range *l = &n->link;
	struct mint_buf what;
	char size[32];

	if (!l->size)
		return;
	mint_format_size(l->size, size, sizeof(size));
	if (!usable(si, l->base, l->size, &what))
		mint_diag_add(d, l->line, MINT_SCOPE_NODE, n->name, "link",
			      "%s@0x%llx is not usable RAM: " FWMAP
			      " has %s; place the link inside its System RAM "
			      "entries",
			      size, (unsigned long long)l->base, what.data);
	else if (need_reserved && !reserved(si, l->base, l->size))
		mint_diag_add(d, l->line, MINT_SCOPE_NODE, n->name, "link",
			      "%s@0x%llx is not reserved in /proc/iomem; %s",
			      size, (unsigned long long)l->base, BOOTARGS_HINT);
	mint_buf_free(&what);
}

static void check_ram(const struct mint_node *n, const struct mint_sysinfo *si,
		      bool need_reserved, struct mint_diags *d)
{
	uint64_t slice = mint_node_low_slice(n->index);
	struct mint_buf what;
	char size[32];
	unsigned int i;

	for (i = 0; i < n->nr_mem; i++) {
		const struct mint_range *r = &n->mem[i];

		mint_format_size(r->size, size, sizeof(size));
		if (!usable(si, r->base, r->size, &what))
			mint_diag_add(
				d, r->line, MINT_SCOPE_NODE, n->name, "memory",
				"%s@0x%llx is not usable RAM: " FWMAP
				" has %s; place node RAM inside its "
				"System RAM entries",
				size, (unsigned long long)r->base, what.data);
		else if (need_reserved && !reserved(si, r->base, r->size))
			mint_diag_add(
				d, r->line, MINT_SCOPE_NODE, n->name, "memory",
				"%s@0x%llx is not reserved in /proc/iomem; "
				"%s",
				size, (unsigned long long)r->base,
				BOOTARGS_HINT);
		mint_buf_free(&what);
	}
	check_link(n, si, need_reserved, d);
	if (!usable(si, slice, MINT_LOW_SLOT, &what))
		mint_diag_add(
			d, n->line, MINT_SCOPE_NODE, n->name, NULL,
			"its low-memory slice 0x%llx-0x%llx is not usable "
			"RAM: " FWMAP " has %s; the node's real-mode "
			"trampoline needs RAM there, so this machine "
			"cannot run node %u",
			(unsigned long long)slice,
			(unsigned long long)(slice + MINT_LOW_SLOT - 1),
			what.data, n->index);
	else if (need_reserved && !reserved(si, slice, MINT_LOW_SLOT))
		mint_diag_add(d, n->line, MINT_SCOPE_NODE, n->name, NULL,
			      "its low-memory slice 0x%llx-0x%llx is not "
			      "reserved in /proc/iomem; %s",
			      (unsigned long long)slice,
			      (unsigned long long)(slice + MINT_LOW_SLOT - 1),
			      BOOTARGS_HINT);
	mint_buf_free(&what);
}

static void check_node(const struct mint_node *n, const struct mint_sysinfo *si,
		       bool need_reserved, struct mint_diags *d)
{
	uint64_t missing = n->cpus & ~si->cpus_present;
	char a[64], b[64];
	unsigned int i;

	if (missing) {
		mint_cpulist_format(missing, a, sizeof(a));
		mint_cpulist_format(si->cpus_present, b, sizeof(b));
		mint_diag_add(d, n->keys.line[MINT_KEY_CPUS], MINT_SCOPE_NODE,
			      n->name, "cpus",
			      "CPU%s %s %s not present on this machine "
			      "(present: %s); give CPUs that exist",
			      (missing & (missing - 1)) ? "s" : "", a,
			      (missing & (missing - 1)) ? "are" : "is", b);
	}
	check_ram(n, si, need_reserved, d);
	for (i = 0; i < n->nr_devices; i++) {
		if (pci_present(si, &n->devices[i]))
			continue;
		mint_pci_format(&n->devices[i], a, sizeof(a));
		mint_diag_add(d, n->keys.line[MINT_KEY_DEVICES],
			      MINT_SCOPE_NODE, n->name, "devices",
			      "%s is not present on this machine (no "
			      "/sys/bus/pci/devices/%s); check 'lspci -D'",
			      a, a);
	}
	if (n->nr_devices && !n->iommu_off && !si->iommu)
		mint_diag_add(
			d, n->keys.line[MINT_KEY_DEVICES], MINT_SCOPE_NODE,
			n->name, "devices",
			"this machine shows no IOMMU (/sys/class/iommu "
			"is empty), so the DMA of the node's devices "
			"cannot be confined to its RAM and node0 refuses "
			"to give them away: enable VT-d or AMD-Vi in the "
			"firmware setup (and no intel_iommu=off or "
			"amd_iommu=off on node0's command line), or write "
			"iommu = off to give them away unconfined");
}

/* node0's VMs run pinned off CPU 0, on the CPUs no node takes. */
static void check_node0_vms(const struct mint_config *cfg,
			    const struct mint_sysinfo *si, struct mint_diags *d)
{
	uint64_t mine = si->cpus_present & ~1ULL;
	unsigned int i, nr;
	char list[64];

	for (i = 0; i < cfg->nr_nodes; i++)
		mine &= ~cfg->nodes[i].cpus;
	nr = (unsigned int)__builtin_popcountll(mine);
	mint_cpulist_format(mine, list, sizeof(list));
	for (i = 0; i < cfg->nr_vms; i++) {
		const struct mint_vm *vm = &cfg->vms[i];

		if (vm->node_index != 0 || vm->vcpus <= nr)
			continue;
		mint_diag_add(d, vm->keys.line[MINT_KEY_VCPUS] ?: vm->line,
			      MINT_SCOPE_VM, vm->name, "vcpus",
			      "%u vCPUs do not fit node0: besides CPU 0, it "
			      "keeps %u CPU%s here (%s); lower vcpus or give "
			      "nodes fewer CPUs",
			      vm->vcpus, nr, nr == 1 ? "" : "s",
			      nr ? list : "none");
	}
}

void mint_system_checks(const struct mint_config *cfg,
			const struct mint_sysinfo *si, bool need_reserved,
			struct mint_diags *d)
{
	unsigned int i;

	for (i = 0; i < cfg->nr_nodes; i++)
		check_node(&cfg->nodes[i], si, need_reserved, d);
	check_node0_vms(cfg, si, d);
}

int mint_config_validate_system(const struct mint_config *cfg,
				const struct mint_sysinfo *si,
				struct mint_diags *d)
{
	size_t before = mint_diags_count(d);

	mint_system_checks(cfg, si, true, d);
	if (d->nomem)
		return -ENOMEM;
	return mint_diags_count(d) > before ? -EINVAL : 0;
}
