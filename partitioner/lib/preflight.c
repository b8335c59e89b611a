// SPDX-License-Identifier: GPL-2.0
/*
 * The --preflight pass: the config against the machine while it still runs
 * the kernel it had before mint, so that the first reboot into mint finds
 * its RAM, CPUs, devices and files. Pure: the facts come in struct
 * mint_sysinfo and struct mint_files. What only holds after the reboot
 * becomes a note, not an error.
 */
#include <errno.h>

#include "internal.h"

struct pctx {
	const struct mint_config *cfg;
	const struct mint_sysinfo *si;
	const struct mint_files *files;
	struct mint_diags *errors, *warnings, *notes;
};

static void check_file(struct mint_diags *d, unsigned int line,
		       enum mint_scope scope, const char *name,
		       enum mint_key key, const char *path,
		       enum mint_file_kind kind,
		       const struct mint_file_info *fi)
{
	char why[512];

	if (!path || !fi->looked ||
	    !mint_file_check(kind, fi, why, sizeof(why)))
		return;
	mint_diag_add(d, line, scope, name, mint_key_name(key), "%s %s", path,
		      why);
}

/* "640M@0x28000000, 64M@0x78000000" */
static void ranges_text(const struct mint_node *n, struct mint_buf *b)
{
	char size[32];
	unsigned int i;

	for (i = 0; i < n->nr_mem; i++) {
		mint_format_size(n->mem[i].size, size, sizeof(size));
		mint_buf_printf(b, "%s%s@0x%llx", i ? ", " : "", size,
				(unsigned long long)n->mem[i].base);
	}
}

static void node_notes(struct pctx *p, const struct mint_node *n)
{
	uint64_t online = n->cpus & p->si->cpus_present & p->si->cpus_online;
	uint64_t slice = mint_node_low_slice(n->index);
	struct mint_buf ram;
	char list[256];

	mint_buf_init(&ram);
	ranges_text(n, &ram);
	if (n->link.size) {
		mint_format_size(n->link.size, list, sizeof(list));
		mint_buf_printf(&ram, "), link (%s@0x%llx", list,
				(unsigned long long)n->link.base);
	}
	mint_diag_add(p->notes, n->line, MINT_SCOPE_NODE, n->name, NULL,
		      "its RAM (%s) and low-memory slice 0x%llx-0x%llx are "
		      "not reserved in this kernel; node0 holds them back "
		      "once it boots with this file's 'mintctl bootargs'",
		      ram.data ? ram.data : "none", (unsigned long long)slice,
		      (unsigned long long)(slice + MINT_LOW_SLOT - 1));
	mint_buf_free(&ram);
	if (!online)
		return;
	mint_cpulist_format(online, list, sizeof(list));
	mint_diag_add(p->notes, n->keys.line[MINT_KEY_CPUS], MINT_SCOPE_NODE,
		      n->name, "cpus",
		      "CPU%s %s %s online in this kernel, and in node0 after "
		      "the reboot until 'mintctl start %s' takes %s offline "
		      "for the node",
		      (online & (online - 1)) ? "s" : "", list,
		      (online & (online - 1)) ? "are" : "is", n->name,
		      (online & (online - 1)) ? "them" : "it");
}

static void check_node(struct pctx *p, unsigned int i)
{
	const struct mint_node *n = &p->cfg->nodes[i];

	check_file(p->errors, n->keys.line[MINT_KEY_KERNEL], MINT_SCOPE_NODE,
		   n->name, MINT_KEY_KERNEL, n->kernel, MINT_FILE_NODE_KERNEL,
		   &p->files->node_kernel[i]);
	check_file(p->errors, n->keys.line[MINT_KEY_INITRD], MINT_SCOPE_NODE,
		   n->name, MINT_KEY_INITRD, n->initrd, MINT_FILE_INITRD,
		   &p->files->node_initrd[i]);
	if (n->nr_devices && n->iommu_off)
		mint_diag_add(p->warnings, n->keys.line[MINT_KEY_DEVICES],
			      MINT_SCOPE_NODE, n->name, "devices",
			      "iommu = off: the node's devices are given away "
			      "unconfined, and their DMA can reach any memory "
			      "of the machine");

	node_notes(p, n);
}

static void check_vm(struct pctx *p, unsigned int i)
{
	const struct mint_vm *vm = &p->cfg->vms[i];
	const struct mint_keyinfo *k = &vm->keys;
	const char *keys;

	if (vm->node_index > 0) {
		keys = vm->initrd && vm->disk
			       ? "kernel, initrd and disk are paths"
		       : vm->initrd ? "kernel and initrd are paths"
		       : vm->disk   ? "kernel and disk are paths"
				    : "kernel is a path";
		mint_diag_add(p->notes, vm->line, MINT_SCOPE_VM, vm->name, NULL,
			      "its %s in the filesystem of node '%s', "
			      "which this kernel cannot see: not checked "
			      "here",
			      keys, vm->node);
		return;
	}
	if (vm->node_index < 0)
		return;
	check_file(p->errors, k->line[MINT_KEY_KERNEL], MINT_SCOPE_VM, vm->name,
		   MINT_KEY_KERNEL, vm->kernel, MINT_FILE_VM_KERNEL,
		   &p->files->vm_kernel[i]);
	check_file(p->errors, k->line[MINT_KEY_INITRD], MINT_SCOPE_VM, vm->name,
		   MINT_KEY_INITRD, vm->initrd, MINT_FILE_INITRD,
		   &p->files->vm_initrd[i]);
	check_file(p->errors, k->line[MINT_KEY_DISK], MINT_SCOPE_VM, vm->name,
		   MINT_KEY_DISK, vm->disk, MINT_FILE_DISK,
		   &p->files->vm_disk[i]);
}

int mint_config_preflight(const struct mint_config *cfg,
			  const struct mint_sysinfo *si,
			  const struct mint_files *files,
			  struct mint_diags *errors,
			  struct mint_diags *warnings, struct mint_diags *notes)
{
	struct pctx p = { cfg, si, files, errors, warnings, notes };
	size_t before = mint_diags_count(errors);
	unsigned int i;

	mint_system_checks(cfg, si, false, errors);
	check_file(errors, cfg->part.keys.line[MINT_KEY_AUTHORIZED_KEYS],
		   MINT_SCOPE_PARTITION, NULL, MINT_KEY_AUTHORIZED_KEYS,
		   cfg->part.authorized_keys, MINT_FILE_AUTHORIZED_KEYS,
		   &files->authorized_keys);
	for (i = 0; i < cfg->nr_nodes; i++)
		check_node(&p, i);
	for (i = 0; i < cfg->nr_vms; i++)
		check_vm(&p, i);
	if (errors->nomem || warnings->nomem || notes->nomem)
		return -ENOMEM;
	return mint_diags_count(errors) > before ? -EINVAL : 0;
}
