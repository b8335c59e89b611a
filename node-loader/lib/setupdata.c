// SPDX-License-Identifier: GPL-2.0
/*
 * What the node kernel learns through boot_params.hdr.setup_data: a
 * SETUP_JAILHOUSE v2 block (the upstream Jailhouse guest platform code reads
 * it) followed by a SETUP_MINT_NODE block (mint's own node identity).
 */
#include <inttypes.h>

#include "internal.h"

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the setup_data structs are copied as they are: little-endian only"
#endif

static const uint16_t com_ports[] = { 0x3f8, 0x2f8, 0x3e8, 0x2e8 };

int nl_uart_index(uint16_t port)
{
	size_t i;

	for (i = 0; i < NL_ARRAY_SIZE(com_ports); i++)
		if (com_ports[i] == port)
			return (int)i;
	return -1;
}

static int name_ok(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
}

int nl_node_check(const struct nl_node *node, const struct nl_machine *m,
		  struct nl_err *err)
{
	size_t i, j, len;

	if (node->id < 1 || node->id > MINT_MAX_NODES)
		return nl_fail(err, -EINVAL, "node id %u is not in 1..%d",
			       node->id, MINT_MAX_NODES);
	if (!node->name || !node->name[0])
		return nl_fail(err, -EINVAL, "node %u has no name", node->id);
	len = strlen(node->name);
	if (len > NL_NAME_MAX)
		return nl_fail(
			err, -EINVAL,
			"node name \"%.40s\" is longer than %d characters",
			node->name, NL_NAME_MAX);
	for (i = 0; i < len; i++)
		if (!name_ok(node->name[i]))
			return nl_fail(err, -EINVAL,
				       "node name \"%s\": character 0x%02x is "
				       "not one of A-Z a-z 0-9 _ - .",
				       node->name,
				       (unsigned char)node->name[i]);

	if (!node->apic_ids || node->ncpus == 0)
		return nl_fail(err, -EINVAL, "node %s has no CPU", node->name);
	if (node->ncpus > NL_MAX_CPUS)
		return nl_fail(err, -E2BIG, "node %s has %zu CPUs, at most %d",
			       node->name, node->ncpus, NL_MAX_CPUS);
	for (i = 0; i < node->ncpus; i++) {
		uint32_t id = node->apic_ids[i];

		/* jailhouse_setup_data.cpu_ids[] are u8; 0xff is broadcast */
		if (id > 0xfe)
			return nl_fail(err, -EINVAL,
				       "node %s: APIC ID %u does not fit the "
				       "8-bit xAPIC IDs of the Jailhouse setup "
				       "data",
				       node->name, id);
		if (id == m->bsp_apic_id)
			return nl_fail(
				err, -EINVAL,
				"node %s: APIC ID %u is node0's boot CPU",
				node->name, id);
		for (j = 0; j < i; j++)
			if (node->apic_ids[j] == id)
				return nl_fail(err, -EINVAL,
					       "node %s: APIC ID %u is listed "
					       "twice",
					       node->name, id);
	}

	if (node->uart_port && nl_uart_index(node->uart_port) < 0)
		return nl_fail(err, -EINVAL,
			       "node %s: UART port 0x%x is not a COM port "
			       "(0x3f8, 0x2f8, 0x3e8, 0x2e8)",
			       node->name, node->uart_port);

	if (m->ecam_base && !NL_IS_ALIGNED(m->ecam_base, 0x100000))
		return nl_fail(err, -EINVAL,
			       "ECAM base 0x%" PRIx64 " is not 1 MiB aligned",
			       m->ecam_base);
	if (node->ndevices > MINT_MAX_DEVICES)
		return nl_fail(err, -E2BIG,
			       "node %s has %zu devices, at most %d",
			       node->name, node->ndevices, MINT_MAX_DEVICES);
	if (node->ndevices && !m->ecam_base)
		return nl_fail(err, -EINVAL,
			       "node %s owns PCI devices but the machine has "
			       "no ECAM",
			       node->name);
	for (i = 0; i < node->ndevices; i++) {
		uint32_t d = node->devices[i];

		if (d > 0xffff)
			return nl_fail(err, -EINVAL,
				       "node %s: device 0x%x is not bus << 8 | "
				       "devfn",
				       node->name, d);
		if ((d >> 8) > m->ecam_end_bus)
			return nl_fail(
				err, -EINVAL,
				"node %s: device %02x:%02x.%x is on a bus "
				"beyond the ECAM's last bus %02x",
				node->name, d >> 8, (d >> 3) & 0x1f, d & 7,
				m->ecam_end_bus);
		for (j = 0; j < i; j++)
			if (node->devices[j] == d)
				return nl_fail(
					err, -EINVAL,
					"node %s: device %02x:%02x.%x is "
					"listed twice",
					node->name, d >> 8, (d >> 3) & 0x1f,
					d & 7);
	}

	if (node->link_size &&
	    (!NL_IS_ALIGNED(node->link_base, MINT_LINK_ALIGN) ||
	     !NL_IS_ALIGNED(node->link_size, MINT_LINK_ALIGN) ||
	     node->link_size < MINT_LINK_MIN_SIZE ||
	     node->link_size > MINT_LINK_MAX_SIZE ||
	     node->link_base + node->link_size < node->link_base))
		return nl_fail(err, -EINVAL,
			       "node %s: link 0x%" PRIx64 "+0x%" PRIx64
			       " is not 2 MiB aligned or not 2 MiB to 64 MiB",
			       node->name, node->link_base, node->link_size);
	if (!node->link_size && node->link_base)
		return nl_fail(err, -EINVAL,
			       "node %s: link at 0x%" PRIx64 " has no size",
			       node->name, node->link_base);

	if (m->tsc_khz == 0)
		return nl_fail(err, -EINVAL,
			       "tsc_khz is 0: the node cannot calibrate its "
			       "timers without it");
	return 0;
}

int nl_jailhouse_fill(struct jailhouse_setup_data_v2 *jh,
		      const struct nl_node *node, const struct nl_machine *m,
		      struct nl_err *err)
{
	int ret = nl_node_check(node, m, err);
	size_t i;

	if (ret)
		return ret;
	memset(jh, 0, sizeof(*jh));
	jh->version = 2;
	jh->compatible_version = JAILHOUSE_SETUP_REQUIRED_VERSION;
	jh->pm_timer_address = 0; /* no ACPI PM timer: node0's */
	jh->num_cpus = (uint16_t)node->ncpus;
	jh->pci_mmconfig_base = m->ecam_base;
	jh->tsc_khz = m->tsc_khz;
	jh->apic_khz = 0; /* calibrate the LAPIC timer against the TSC */
	jh->standard_ioapic = 0;
	for (i = 0; i < node->ncpus; i++)
		jh->cpu_ids[i] = (uint8_t)node->apic_ids[i];
	if (node->uart_port)
		jh->flags = 1u << nl_uart_index(node->uart_port);
	return 0;
}

int nl_mint_fill(struct mint_setup_data *md, const struct nl_node *node,
		 const struct nl_machine *m, const struct nl_layout *lay,
		 struct nl_err *err)
{
	int ret = nl_node_check(node, m, err);
	size_t i;

	if (ret)
		return ret;
	if (lay->node_id != node->id)
		return nl_fail(err, -EINVAL,
			       "layout is for node %u, not node %u",
			       lay->node_id, node->id);
	memset(md, 0, sizeof(*md));
	md->magic = MINT_SETUP_MAGIC;
	md->version = MINT_SETUP_VERSION;
	md->node_id = (uint16_t)node->id;
	md->real_bsp_apic_id = m->bsp_apic_id;
	md->tsc_khz = m->tsc_khz;
	md->ctrl_base = lay->ctrl_base;
	md->low_base = lay->low_base;
	md->low_size = (uint32_t)lay->low_size;
	md->uart_port = node->uart_port;
	md->num_devices = (uint16_t)node->ndevices;
	md->ecam_base = m->ecam_base;
	md->ecam_end_bus = m->ecam_base ? m->ecam_end_bus : 0;
	for (i = 0; i < node->ndevices; i++)
		md->devices[i] = node->devices[i];
	memcpy(md->name, node->name, strlen(node->name));
	md->kernel_addr = lay->kernel;
	md->link_base = node->link_base;
	md->link_size = node->link_size;
	return 0;
}

static void put_header(uint8_t *p, uint64_t next, uint32_t type, uint32_t len)
{
	nl_put64(p, next);
	nl_put32(p + 8, type);
	nl_put32(p + 12, len);
}

int nl_setup_data_build(void *buf, size_t size, uint64_t phys,
			const struct nl_node *node, const struct nl_machine *m,
			const struct nl_layout *lay, size_t *used,
			struct nl_err *err)
{
	const size_t jh_off = 0;
	const size_t md_off = NL_ALIGN_UP(
		NL_SETUP_HDR_SIZE + sizeof(struct jailhouse_setup_data_v2), 8);
	const size_t total =
		md_off + NL_SETUP_HDR_SIZE + sizeof(struct mint_setup_data);
	struct jailhouse_setup_data_v2 jh;
	struct mint_setup_data md;
	uint8_t *p = buf;
	int ret;

	if (size < total)
		return nl_fail(err, -ENOSPC,
			       "setup_data needs %zu bytes, %zu available",
			       total, size);
	if (!NL_IS_ALIGNED(phys, 8))
		return nl_fail(err, -EINVAL,
			       "setup_data address 0x%" PRIx64
			       " is not 8-byte aligned",
			       phys);
	ret = nl_jailhouse_fill(&jh, node, m, err);
	if (ret)
		return ret;
	ret = nl_mint_fill(&md, node, m, lay, err);
	if (ret)
		return ret;

	memset(p, 0, size);
	put_header(p + jh_off, phys + md_off, SETUP_JAILHOUSE, sizeof(jh));
	memcpy(p + jh_off + NL_SETUP_HDR_SIZE, &jh, sizeof(jh));
	put_header(p + md_off, 0, SETUP_MINT_NODE, sizeof(md));
	memcpy(p + md_off + NL_SETUP_HDR_SIZE, &md, sizeof(md));
	*used = total;
	return 0;
}
