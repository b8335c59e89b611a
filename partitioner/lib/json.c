// SPDX-License-Identifier: GPL-2.0
/* The resolved config as JSON (schema in docs/config.md). */
#include <errno.h>
#include <string.h>

#include "config.h"

/* Length of the valid UTF-8 sequence at @p (1..4), or 0 when invalid. */
static size_t utf8_len(const unsigned char *p)
{
	size_t n, i;
	uint32_t c;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		n = 2;
		c = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 3;
		c = p[0] & 0x0f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4;
		c = p[0] & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	return n;
}

int mint_json_string(struct mint_buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	if (!s)
		return mint_buf_puts(b, "null");
	mint_buf_puts(b, "\"");
	while (*p) {
		n = utf8_len(p);
		if (*p == '"' || *p == '\\') {
			mint_buf_printf(b, "\\%c", *p);
		} else if (*p == '\t') {
			mint_buf_puts(b, "\\t");
		} else if (*p == '\n') {
			mint_buf_puts(b, "\\n");
		} else if (*p < 0x20 || *p == 0x7f) {
			mint_buf_printf(b, "\\u%04x", *p);
		} else if (!n) {
			mint_buf_puts(b, "\\ufffd"); /* not UTF-8: one byte */
			n = 1;
		} else {
			mint_buf_add(b, (const char *)p, n);
		}
		p += n ? n : 1;
	}
	return mint_buf_puts(b, "\"");
}

/* "10.0.0.2/24", or null */
static void json_addr(struct mint_buf *b, const struct mint_ipv4 *a)
{
	char text[32];

	if (!a->prefix) {
		mint_buf_puts(b, "null");
		return;
	}
	mint_ipv4_format(a, true, text, sizeof(text));
	mint_buf_printf(b, "\"%s\"", text);
}

static void json_node(struct mint_buf *b, const struct mint_node *n)
{
	char text[64];
	unsigned int i;
	bool first = true;

	mint_buf_puts(b, "    {\n      \"name\": ");
	mint_json_string(b, n->name);
	mint_buf_printf(b, ",\n      \"index\": %u,\n      \"cpus\": [",
			n->index);
	for (i = 0; i <= MINT_MAX_CPU_ID; i++) {
		if (!(n->cpus & (1ULL << i)))
			continue;
		mint_buf_printf(b, "%s%u", first ? "" : ", ", i);
		first = false;
	}
	mint_cpulist_format(n->cpus, text, sizeof(text));
	mint_buf_printf(b, "],\n      \"cpulist\": \"%s\",\n", text);
	mint_buf_puts(b, "      \"memory\": [");
	for (i = 0; i < n->nr_mem; i++)
		mint_buf_printf(
			b, "%s\n        { \"base\": %llu, \"size\": %llu }",
			i ? "," : "", (unsigned long long)n->mem[i].base,
			(unsigned long long)n->mem[i].size);
	mint_buf_printf(b,
			"%s],\n      \"memory_total\": %llu,\n"
			"      \"low_slice\": { \"base\": %llu, \"size\": "
			"%llu },\n      \"devices\": [",
			n->nr_mem ? "\n      " : "",
			(unsigned long long)mint_node_ram(n),
			(unsigned long long)mint_node_low_slice(n->index),
			(unsigned long long)MINT_LOW_SLOT);
	for (i = 0; i < n->nr_devices; i++) {
		mint_pci_format(&n->devices[i], text, sizeof(text));
		mint_buf_printf(b, "%s\"%s\"", i ? ", " : "", text);
	}
	mint_buf_printf(b, "],\n      \"iommu\": \"%s\",\n",
			n->iommu_off ? MINT_IOMMU_OFF : MINT_IOMMU_REQUIRED);
	if (n->link.size)
		mint_buf_printf(b,
				"      \"link\": { \"base\": %llu, \"size\": "
				"%llu },\n",
				(unsigned long long)n->link.base,
				(unsigned long long)n->link.size);
	else
		mint_buf_puts(b, "      \"link\": null,\n");
	mint_buf_puts(b, "      \"address\": ");
	json_addr(b, &n->address);
	mint_buf_puts(b, ",\n");
	mint_buf_printf(b, "      \"console\": \"%s\",\n",
			mint_console_name(n->console));
	mint_buf_printf(b, "      \"console_port\": %u,\n      \"kernel\": ",
			mint_console_port(n->console));
	mint_json_string(b, n->kernel);
	mint_buf_puts(b, ",\n      \"initrd\": ");
	mint_json_string(b, n->initrd);
	mint_buf_puts(b, ",\n      \"cmdline\": ");
	mint_json_string(b, n->cmdline);
	mint_buf_printf(b, ",\n      \"autostart\": %s\n    }",
			n->autostart ? "true" : "false");
}

static void json_vm(struct mint_buf *b, const struct mint_vm *vm)
{
	mint_buf_puts(b, "    {\n      \"name\": ");
	mint_json_string(b, vm->name);
	mint_buf_puts(b, ",\n      \"node\": ");
	mint_json_string(b, vm->node);
	mint_buf_printf(b,
			",\n      \"vcpus\": %u,\n      \"memory\": %llu,\n"
			"      \"kernel\": ",
			vm->vcpus, (unsigned long long)vm->memory);
	mint_json_string(b, vm->kernel);
	mint_buf_puts(b, ",\n      \"initrd\": ");
	mint_json_string(b, vm->initrd);
	mint_buf_puts(b, ",\n      \"cmdline\": ");
	mint_json_string(b, vm->cmdline);
	mint_buf_puts(b, ",\n      \"disk\": ");
	mint_json_string(b, vm->disk);
	mint_buf_puts(b, ",\n      \"cpu_model\": ");
	mint_json_string(b, vm->cpu_model ?: MINT_VM_CPU_MODEL_DEFAULT);
	mint_buf_printf(b,
			",\n      \"autostart\": %s,\n      \"restart\": "
			"\"%s\",\n      \"net\": \"%s\",\n      \"address\": ",
			vm->autostart ? "true" : "false",
			mint_restart_name(vm->restart),
			mint_net_name(vm->net_mint));
	json_addr(b, &vm->address);
	mint_buf_puts(b, "\n    }");
}

int mint_config_json(const struct mint_config *cfg, const char *node,
		     struct mint_buf *out)
{
	unsigned int i;
	bool first = true;

	mint_buf_printf(
		out, "{\n  \"version\": %u,\n  \"name\": ", cfg->part.version);
	mint_json_string(out, cfg->part.name);
	mint_buf_printf(
		out,
		",\n  \"iommu\": \"%s\",\n  \"low_memory\": { \"base\": "
		"%llu, \"size\": %llu },\n  \"address\": ",
		cfg->part.iommu_off ? MINT_IOMMU_OFF : MINT_IOMMU_REQUIRED,
		(unsigned long long)MINT_LOW_BASE,
		(unsigned long long)mint_low_reservation_size(cfg->nr_nodes));
	json_addr(out, &cfg->part.address);
	mint_buf_puts(out, ",\n  \"authorized_keys\": ");
	mint_json_string(out, cfg->part.authorized_keys);
	mint_buf_puts(out, ",\n  \"nodes\": [");
	for (i = 0; i < cfg->nr_nodes; i++) {
		if (node && strcmp(node, cfg->nodes[i].name))
			continue;
		mint_buf_puts(out, first ? "\n" : ",\n");
		json_node(out, &cfg->nodes[i]);
		first = false;
	}
	mint_buf_puts(out, first ? "],\n  \"vms\": [" : "\n  ],\n  \"vms\": [");
	first = true;
	for (i = 0; i < cfg->nr_vms; i++) {
		if (node && strcmp(node, cfg->vms[i].node))
			continue;
		mint_buf_puts(out, first ? "\n" : ",\n");
		json_vm(out, &cfg->vms[i]);
		first = false;
	}
	mint_buf_puts(out, first ? "]\n}\n" : "\n  ]\n}\n");
	return out->nomem ? -ENOMEM : 0;
}
