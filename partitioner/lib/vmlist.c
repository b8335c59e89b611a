// SPDX-License-Identifier: GPL-2.0
/*
 * The VMs a kernel runs, one per line as shell assignments, for the VM
 * supervisor inside a node (mint-vmd's vm_parse reads them, no eval):
 *   name='guest1' vcpus=1 memory=256M kernel='...' initrd='...' disk=''
 *   cpu_model=''
 *   cmdline='...' autostart=1 restart='no' avoid_cpus='0,2-3'
 *   net='mint' address='10.0.0.21/24'
 * avoid_cpus: for node0's VMs, CPU 0 and every CPU a node of the config
 * takes (node0 pins its VMs to the CPUs it keeps, so that starting a node
 * never takes a CPU from under a running VM); empty for a node's VMs.
 * net: 'mint' (a tap on the node's link, node0's mintbr0 for node0) or
 * 'none'; address: the VM's on it, '' when not given.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "config.h"

static int quoted(struct mint_buf *b, const char *key, const char *val)
{
	const char *p;
	int ret = mint_buf_printf(b, " %s='", key);

	for (p = val ? val : ""; !ret && *p; p++)
		ret = *p == '\'' ? mint_buf_puts(b, "'\\''")
				 : mint_buf_add(b, p, 1);
	return ret ?: mint_buf_puts(b, "'");
}

int mint_config_vms_shell(const struct mint_config *cfg, const char *node,
			  struct mint_buf *out)
{
	int idx = mint_config_find_node(cfg, node);
	uint64_t avoid = 0;
	char mem[32], cpus[256] = "", addr[32];
	unsigned int i;
	int ret = 0;

	if (idx < 0)
		return -ENOENT;
	if (idx == 0) {
		avoid = 1; /* CPU 0 */
		for (i = 0; i < cfg->nr_nodes; i++)
			avoid |= cfg->nodes[i].cpus;
		mint_cpulist_format(avoid, cpus, sizeof(cpus));
	}
	for (i = 0; i < cfg->nr_vms && !ret; i++) {
		const struct mint_vm *vm = &cfg->vms[i];

		if (vm->node_index != idx)
			continue;
		mint_format_size(vm->memory, mem, sizeof(mem));
		addr[0] = 0;
		if (vm->address.prefix)
			mint_ipv4_format(&vm->address, true, addr,
					 sizeof(addr));
		ret = mint_buf_printf(out, "name='%s' vcpus=%u memory=%s",
				      vm->name, vm->vcpus, mem) ?:
		      quoted(out, "kernel", vm->kernel) ?:
		      quoted(out, "initrd", vm->initrd) ?:
		      quoted(out, "disk", vm->disk) ?:
		      quoted(out, "cpu_model", vm->cpu_model) ?:
		      quoted(out, "cmdline", vm->cmdline) ?:
		      mint_buf_printf(out,
				      " autostart=%d restart='%s' avoid_cpus='%s'"
				      " net='%s' address='%s'\n",
				      vm->autostart ? 1 : 0,
				      mint_restart_name(vm->restart), cpus,
				      mint_net_name(vm->net_mint), addr);
	}
	return ret;
}

int mint_vms_report_find(const char *report, const char *name, char *state,
			 size_t slen, char *detail, size_t dlen)
{
	size_t n = strlen(name), w;
	const char *p, *nl, *rest;

	for (p = report; p && *p; p = nl ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		if (strncmp(p, name, n) || p[n] != ' ')
			continue;
		rest = p + n + 1;
		w = strcspn(rest, " \n");
		snprintf(state, slen, "%.*s", (int)w, rest);
		rest += w;
		if (*rest == ' ')
			rest++;
		snprintf(detail, dlen, "%.*s",
			 (int)(nl ? (size_t)(nl - rest) : strlen(rest)), rest);
		return 0;
	}
	return -ENOENT;
}
