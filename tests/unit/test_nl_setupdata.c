// SPDX-License-Identifier: GPL-2.0
/* setup_data: the Jailhouse v2 block, the mint block and the chain. */
#include <errno.h>

#include "nl_test.h"

static void node1_layout(struct nl_layout *l)
{
	memset(l, 0, sizeof(*l));
	l->node_id = 1;
	l->ctrl_base = 0x4fe00000;
	l->low_base = 0x20000;
	l->low_size = 0x10000;
	l->kernel = 0x28400000;
}

START_TEST(sd_jailhouse_node1)
{
	static const uint32_t apic[] = { 2, 3 };
	struct jailhouse_setup_data_v2 jh;
	struct nl_memmap m;
	struct nl_machine mc;
	struct nl_node n;
	struct nl_err err;

	nlt_q35(&m);
	nlt_machine(&mc, &m);
	nlt_node1(&n);
	n.apic_ids = apic;
	n.ncpus = 2;
	memset(&jh, 0xa5, sizeof(jh));
	ck_assert_ok(nl_jailhouse_fill(&jh, &n, &mc, &err), err);
	ck_assert_uint_eq(jh.version, 2);
	ck_assert_uint_eq(jh.compatible_version, 1);
	ck_assert_uint_eq(jh.pm_timer_address, 0);
	ck_assert_uint_eq(jh.num_cpus, 2);
	ck_assert_uint_eq(jh.pci_mmconfig_base, NLT_ECAM);
	ck_assert_uint_eq(jh.tsc_khz, NLT_TSC_KHZ);
	ck_assert_uint_eq(jh.apic_khz, 0);
	ck_assert_uint_eq(jh.standard_ioapic, 0);
	ck_assert_uint_eq(jh.cpu_ids[0], 2); /* boot CPU first */
	ck_assert_uint_eq(jh.cpu_ids[1], 3);
	for (int i = 2; i < 255; i++)
		ck_assert_uint_eq(jh.cpu_ids[i], 0);
	ck_assert_uint_eq(jh.flags, 0x2); /* COM2 */
}
END_TEST

/* Upstream jailhouse_serial_fixup(): bit n = pcuart_base[n]. */
static const struct uart_case {
	const char *name;
	uint16_t port;
	int index;
	uint32_t flags;
} uart_cases[] = {
	{ "sd_uart_com1", 0x3f8, 0, 0x1 }, { "sd_uart_com2", 0x2f8, 1, 0x2 },
	{ "sd_uart_com3", 0x3e8, 2, 0x4 }, { "sd_uart_com4", 0x2e8, 3, 0x8 },
	{ "sd_uart_shm", 0, -1, 0x0 },
};

START_TEST(sd_uart_case)
{
	const struct uart_case *c = &uart_cases[_i];
	struct jailhouse_setup_data_v2 jh;
	struct mint_setup_data md;
	struct nl_layout l;
	struct nl_memmap m;
	struct nl_machine mc;
	struct nl_node n;
	struct nl_err err;

	nlt_q35(&m);
	nlt_machine(&mc, &m);
	nlt_node1(&n);
	node1_layout(&l);
	n.uart_port = c->port;
	ck_assert_int_eq(nl_uart_index(c->port), c->index);
	ck_assert_ok(nl_jailhouse_fill(&jh, &n, &mc, &err), err);
	ck_assert_uint_eq(jh.flags, c->flags);
	ck_assert_ok(nl_mint_fill(&md, &n, &mc, &l, &err), err);
	ck_assert_uint_eq(md.uart_port, c->port);
}
END_TEST

START_TEST(sd_uart_index_other)
{
	ck_assert_int_eq(nl_uart_index(0x3f9), -1);
	ck_assert_int_eq(nl_uart_index(0x2e0), -1);
	ck_assert_int_eq(nl_uart_index(0xffff), -1);
}
END_TEST

START_TEST(sd_mint_node1)
{
	static const uint32_t devs[] = { 0x0010, 0x0018, 0x0101 };
	struct mint_setup_data md;
	struct nl_layout l;
	struct nl_memmap m;
	struct nl_machine mc;
	struct nl_node n;
	struct nl_err err;

	nlt_q35(&m);
	nlt_machine(&mc, &m);
	mc.bsp_apic_id = 1;
	mc.ecam_end_bus = 0x3f;
	nlt_node1(&n);
	n.devices = devs;
	n.ndevices = 3;
	node1_layout(&l);
	memset(&md, 0xa5, sizeof(md));
	ck_assert_ok(nl_mint_fill(&md, &n, &mc, &l, &err), err);
	ck_assert_uint_eq(md.magic, MINT_SETUP_MAGIC);
	ck_assert_uint_eq(md.version, MINT_SETUP_VERSION);
	ck_assert_uint_eq(md.node_id, 1);
	ck_assert_uint_eq(md.real_bsp_apic_id, 1);
	ck_assert_uint_eq(md.tsc_khz, NLT_TSC_KHZ);
	ck_assert_uint_eq(md.ctrl_base, 0x4fe00000);
	ck_assert_uint_eq(md.low_base, 0x20000);
	ck_assert_uint_eq(md.low_size, 0x10000);
	ck_assert_uint_eq(md.uart_port, 0x2f8);
	ck_assert_uint_eq(md.num_devices, 3);
	ck_assert_uint_eq(md.ecam_base, NLT_ECAM);
	ck_assert_uint_eq(md.ecam_end_bus, 0x3f);
	ck_assert_uint_eq(md.kernel_addr, 0x28400000);
	for (int i = 0; i < 7; i++)
		ck_assert_uint_eq(md.reserved[i], 0);
	ck_assert_uint_eq(md.devices[0], 0x0010);
	ck_assert_uint_eq(md.devices[1], 0x0018);
	ck_assert_uint_eq(md.devices[2], 0x0101);
	for (int i = 3; i < MINT_MAX_DEVICES; i++)
		ck_assert_uint_eq(md.devices[i], 0);
	ck_assert_str_eq(md.name, "node1");
	for (int i = 5; i < 32; i++)
		ck_assert_uint_eq((uint8_t)md.name[i], 0);
}
END_TEST

/* Version 3: the link's region, as the node's link driver reads it. */
START_TEST(sd_mint_link)
{
	struct mint_setup_data md;
	struct nl_layout l;
	struct nl_memmap m;
	struct nl_machine mc;
	struct nl_node n;
	struct nl_err err;

	nlt_q35(&m);
	nlt_machine(&mc, &m);
	nlt_node1(&n);
	n.link_base = 0x7fe00000;
	n.link_size = 0x200000;
	node1_layout(&l);
	memset(&md, 0xa5, sizeof(md));
	ck_assert_ok(nl_mint_fill(&md, &n, &mc, &l, &err), err);
	ck_assert_uint_eq(md.version, 3);
	ck_assert_uint_eq(md.link_base, 0x7fe00000);
	ck_assert_uint_eq(md.link_size, 0x200000);
	ck_assert_uint_eq(md.kernel_addr, 0x28400000);
}
END_TEST

START_TEST(sd_mint_no_ecam)
{
	struct mint_setup_data md;
	struct jailhouse_setup_data_v2 jh;
	struct nl_layout l;
	struct nl_memmap m;
	struct nl_machine mc;
	struct nl_node n;
	struct nl_err err;
	char name[NL_NAME_MAX + 1];

	nlt_q35(&m);
	nlt_machine(&mc, &m);
	mc.ecam_base = 0;
	nlt_node1(&n);
	memset(name, 'x', NL_NAME_MAX);
	name[NL_NAME_MAX] = 0;
	n.name = name; /* longest name: 31 chars + NUL */
	node1_layout(&l);
	ck_assert_ok(nl_mint_fill(&md, &n, &mc, &l, &err), err);
	ck_assert_uint_eq(md.ecam_base, 0);
	ck_assert_uint_eq(md.ecam_end_bus, 0);
	ck_assert_uint_eq(md.num_devices, 0);
	ck_assert_int_eq(memcmp(md.name, name, NL_NAME_MAX), 0);
	ck_assert_uint_eq(md.name[NL_NAME_MAX], 0);
	ck_assert_ok(nl_jailhouse_fill(&jh, &n, &mc, &err), err);
	ck_assert_uint_eq(jh.pci_mmconfig_base, 0);
}
END_TEST

START_TEST(sd_mint_layout_mismatch)
{
	struct mint_setup_data md;
	struct nl_layout l;
	struct nl_memmap m;
	struct nl_machine mc;
	struct nl_node n;
	struct nl_err err;

	nlt_q35(&m);
	nlt_machine(&mc, &m);
	nlt_node1(&n);
	node1_layout(&l);
	l.node_id = 2;
	ck_assert_fails(nl_mint_fill(&md, &n, &mc, &l, &err), -EINVAL, err,
			"layout is for node 2, not node 1");
}
END_TEST

/* The chain as the kernel walks it: header, data, physical next. */
START_TEST(sd_chain_bytes)
{
	uint8_t buf[NL_SETUP_DATA_SIZE];
	struct jailhouse_setup_data_v2 jh;
	struct mint_setup_data md;
	struct nl_layout l;
	struct nl_memmap m;
	struct nl_machine mc;
	struct nl_node n;
	struct nl_err err;
	size_t used = 0;

	nlt_q35(&m);
	nlt_machine(&mc, &m);
	nlt_node1(&n);
	node1_layout(&l);
	memset(buf, 0xa5, sizeof(buf));
	ck_assert_ok(nl_setup_data_build(buf, sizeof(buf), 0x28001000, &n, &mc,
					 &l, &used, &err),
		     err);
	/* 16 + 284 = 300 -> next block at 304 (8-byte aligned) */
	ck_assert_uint_eq(le64(buf + 0), 0x28001000 + 304);
	ck_assert_uint_eq(le32(buf + 8), 6); /* SETUP_JAILHOUSE */
	ck_assert_uint_eq(le32(buf + 12), 284);
	ck_assert_uint_eq(le16(buf + 16), 2); /* version */
	ck_assert_uint_eq(le16(buf + 18), 1); /* compatible_version */
	ck_assert_uint_eq(le16(buf + 22), 1); /* num_cpus */
	ck_assert_uint_eq(le64(buf + 24), NLT_ECAM);
	ck_assert_uint_eq(le32(buf + 32), NLT_TSC_KHZ);
	ck_assert_uint_eq(buf[16 + 25], 2); /* cpu_ids[0] */
	ck_assert_uint_eq(le32(buf + 16 + 280), 2); /* flags: COM2 */
	for (int i = 300; i < 304; i++)
		ck_assert_uint_eq(buf[i], 0); /* padding */
	ck_assert_uint_eq(le64(buf + 304), 0); /* end of chain */
	ck_assert_uint_eq(le32(buf + 312), 0x6d6e); /* SETUP_MINT_NODE */
	ck_assert_uint_eq(le32(buf + 316), 176);
	ck_assert_uint_eq(le32(buf + 320), 0x544e494d); /* "MINT" */
	ck_assert_int_eq(memcmp(buf + 320, "MINT", 4), 0);
	ck_assert_uint_eq(le16(buf + 320 + 4), 3); /* version */
	ck_assert_uint_eq(le16(buf + 320 + 6), 1); /* node_id */
	ck_assert_uint_eq(le64(buf + 320 + 16), 0x4fe00000); /* ctrl_base */
	ck_assert_str_eq((char *)buf + 320 + 120, "node1");
	ck_assert_uint_eq(le64(buf + 320 + 152), 0x28400000); /* kernel */
	ck_assert_uint_eq(le64(buf + 320 + 160), 0); /* link_base: none */
	ck_assert_uint_eq(le64(buf + 320 + 168), 0); /* link_size */
	ck_assert_uint_eq(used, 304 + 16 + 176);
	for (size_t i = used; i < sizeof(buf); i++)
		ck_assert_uint_eq(buf[i], 0);
	/* identical to the fill functions' structs */
	ck_assert_ok(nl_jailhouse_fill(&jh, &n, &mc, &err), err);
	ck_assert_ok(nl_mint_fill(&md, &n, &mc, &l, &err), err);
	ck_assert_int_eq(memcmp(buf + 16, &jh, sizeof(jh)), 0);
	ck_assert_int_eq(memcmp(buf + 320, &md, sizeof(md)), 0);
}
END_TEST

START_TEST(sd_chain_errors)
{
	uint8_t buf[NL_SETUP_DATA_SIZE];
	struct nl_layout l;
	struct nl_memmap m;
	struct nl_machine mc;
	struct nl_node n;
	struct nl_err err;
	size_t used = 0;

	nlt_q35(&m);
	nlt_machine(&mc, &m);
	nlt_node1(&n);
	node1_layout(&l);
	ck_assert_ok(nl_setup_data_build(buf, 496, 0x28001000, &n, &mc, &l,
					 &used, &err),
		     err);
	ck_assert_fails(nl_setup_data_build(buf, 495, 0x28001000, &n, &mc, &l,
					    &used, &err),
			-ENOSPC, err,
			"setup_data needs 496 bytes, 495 available");
	ck_assert_fails(nl_setup_data_build(buf, sizeof(buf), 0x28001004, &n,
					    &mc, &l, &used, &err),
			-EINVAL, err,
			"setup_data address 0x28001004 is not 8-byte aligned");
	n.id = 9;
	ck_assert_fails(nl_setup_data_build(buf, sizeof(buf), 0x28001000, &n,
					    &mc, &l, &used, &err),
			-EINVAL, err, "node id 9");
	n.id = 2;
	ck_assert_fails(nl_setup_data_build(buf, sizeof(buf), 0x28001000, &n,
					    &mc, &l, &used, &err),
			-EINVAL, err, "layout is for node 1, not node 2");
}
END_TEST

/* nl_node_check: one row per rule. */
enum {
	MUT_NONE,
	MUT_ID,
	MUT_NAME,
	MUT_CPUS,
	MUT_NCPUS,
	MUT_UART,
	MUT_DEVS,
	MUT_NDEVS,
	MUT_ECAM,
	MUT_TSC,
	MUT_BSP,
	MUT_ENDBUS,
	MUT_LINK /* v: its base, list[0]: its size */
};
static const struct node_case {
	const char *name;
	int what;
	uint64_t v;
	const char *s;
	uint32_t list[4];
	size_t nlist;
	int ret;
	const char *needle;
} node_cases[] = {
	{ "node_ok", MUT_NONE, 0, NULL, { 0 }, 0, 0, "" },
	{ "node_ok_name_chars", MUT_NAME, 0, "A-z_0.9", { 0 }, 0, 0, "" },
	{ "node_ok_apic_254", MUT_CPUS, 0, NULL, { 254, 1 }, 2, 0, "" },
	{ "node_ok_16_devices", MUT_NDEVS, 16, NULL, { 0 }, 0, 0, "" },
	{ "node_err_id_0",
	  MUT_ID,
	  0,
	  NULL,
	  { 0 },
	  0,
	  -EINVAL,
	  "node id 0 is not in 1..7" },
	{ "node_err_id_8",
	  MUT_ID,
	  8,
	  NULL,
	  { 0 },
	  0,
	  -EINVAL,
	  "node id 8 is not in 1..7" },
	{ "node_err_name_null",
	  MUT_NAME,
	  1,
	  NULL,
	  { 0 },
	  0,
	  -EINVAL,
	  "node 1 has no name" },
	{ "node_err_name_empty",
	  MUT_NAME,
	  0,
	  "",
	  { 0 },
	  0,
	  -EINVAL,
	  "node 1 has no name" },
	{ "node_err_name_long",
	  MUT_NAME,
	  0,
	  "abcdefghijklmnopqrstuvwxyz789012",
	  { 0 },
	  0,
	  -EINVAL,
	  "is longer than 31 characters" },
	{ "node_err_name_space",
	  MUT_NAME,
	  0,
	  "node 1",
	  { 0 },
	  0,
	  -EINVAL,
	  "node name \"node 1\": character 0x20" },
	{ "node_err_name_slash",
	  MUT_NAME,
	  0,
	  "a/b",
	  { 0 },
	  0,
	  -EINVAL,
	  "character 0x2f" },
	{ "node_err_no_cpu",
	  MUT_CPUS,
	  0,
	  NULL,
	  { 0 },
	  0,
	  -EINVAL,
	  "node node1 has no CPU" },
	{ "node_err_too_many_cpus",
	  MUT_NCPUS,
	  256,
	  NULL,
	  { 0 },
	  0,
	  -E2BIG,
	  "node node1 has 256 CPUs, at most 255" },
	{ "node_err_apic_255",
	  MUT_CPUS,
	  0,
	  NULL,
	  { 2, 255 },
	  2,
	  -EINVAL,
	  "APIC ID 255 does not fit" },
	{ "node_err_apic_x2apic",
	  MUT_CPUS,
	  0,
	  NULL,
	  { 300 },
	  1,
	  -EINVAL,
	  "APIC ID 300 does not fit" },
	{ "node_err_apic_is_bsp",
	  MUT_CPUS,
	  0,
	  NULL,
	  { 2, 0 },
	  2,
	  -EINVAL,
	  "APIC ID 0 is node0's boot CPU" },
	{ "node_err_apic_bsp_not_0",
	  MUT_BSP,
	  2,
	  NULL,
	  { 0 },
	  0,
	  -EINVAL,
	  "APIC ID 2 is node0's boot CPU" },
	{ "node_err_apic_twice",
	  MUT_CPUS,
	  0,
	  NULL,
	  { 2, 3, 2 },
	  3,
	  -EINVAL,
	  "APIC ID 2 is listed twice" },
	{ "node_err_uart",
	  MUT_UART,
	  0x3f0,
	  NULL,
	  { 0 },
	  0,
	  -EINVAL,
	  "UART port 0x3f0 is not a COM port" },
	{ "node_err_ecam_unaligned",
	  MUT_ECAM,
	  0xb0001000,
	  NULL,
	  { 0 },
	  0,
	  -EINVAL,
	  "ECAM base 0xb0001000 is not 1 MiB aligned" },
	{ "node_err_too_many_devices",
	  MUT_NDEVS,
	  17,
	  NULL,
	  { 0 },
	  0,
	  -E2BIG,
	  "node node1 has 17 devices, at most 16" },
	{ "node_err_devices_no_ecam",
	  MUT_ECAM,
	  0,
	  NULL,
	  { 0 },
	  0,
	  -EINVAL,
	  "owns PCI devices but the machine has no ECAM" },
	{ "node_err_device_range",
	  MUT_DEVS,
	  0,
	  NULL,
	  { 0x10000 },
	  1,
	  -EINVAL,
	  "device 0x10000 is not bus << 8 | devfn" },
	{ "node_err_device_bus",
	  MUT_ENDBUS,
	  0x0f,
	  NULL,
	  { 0x1008 },
	  1,
	  -EINVAL,
	  "device 10:01.0 is on a bus beyond the ECAM's last bus 0f" },
	{ "node_err_device_twice",
	  MUT_DEVS,
	  0,
	  NULL,
	  { 0x10, 0x11, 0x10 },
	  3,
	  -EINVAL,
	  "device 00:02.0 is listed twice" },
	{ "node_err_tsc_0",
	  MUT_TSC,
	  0,
	  NULL,
	  { 0 },
	  0,
	  -EINVAL,
	  "tsc_khz is 0" },
	{ "node_ok_link_2m",
	  MUT_LINK,
	  0x7fe00000,
	  NULL,
	  { 0x200000 },
	  1,
	  0,
	  "" },
	{ "node_ok_link_64m",
	  MUT_LINK,
	  0x80000000,
	  NULL,
	  { 0x4000000 },
	  1,
	  0,
	  "" },
	{ "node_err_link_base_unaligned",
	  MUT_LINK,
	  0x7ff00000,
	  NULL,
	  { 0x200000 },
	  1,
	  -EINVAL,
	  "node node1: link 0x7ff00000+0x200000 is not 2 MiB aligned or not "
	  "2 MiB to 64 MiB" },
	{ "node_err_link_1m",
	  MUT_LINK,
	  0x7fe00000,
	  NULL,
	  { 0x100000 },
	  1,
	  -EINVAL,
	  "link 0x7fe00000+0x100000 is not" },
	{ "node_err_link_3m",
	  MUT_LINK,
	  0x7fe00000,
	  NULL,
	  { 0x300000 },
	  1,
	  -EINVAL,
	  "link 0x7fe00000+0x300000 is not" },
	{ "node_err_link_66m",
	  MUT_LINK,
	  0x80000000,
	  NULL,
	  { 0x4200000 },
	  1,
	  -EINVAL,
	  "link 0x80000000+0x4200000 is not" },
	{ "node_err_link_no_size",
	  MUT_LINK,
	  0x7fe00000,
	  NULL,
	  { 0 },
	  1,
	  -EINVAL,
	  "node node1: link at 0x7fe00000 has no size" },
};

START_TEST(node_case)
{
	const struct node_case *c = &node_cases[_i];
	static const uint32_t many[17] = { 1,  2,  3,  4,  5,  6,  7,  8, 9,
					   10, 11, 12, 13, 14, 15, 16, 17 };
	static const uint32_t one_dev[] = { 0x10 };
	struct nl_memmap m;
	struct nl_machine mc;
	struct nl_node n;
	struct nl_err err;

	nlt_q35(&m);
	nlt_machine(&mc, &m);
	nlt_node1(&n);
	n.devices = one_dev;
	n.ndevices = 1;
	switch (c->what) {
	case MUT_ID:
		n.id = (unsigned int)c->v;
		break;
	case MUT_NAME:
		n.name = c->s;
		break;
	case MUT_CPUS:
		n.apic_ids = c->nlist ? c->list : NULL;
		n.ncpus = c->nlist;
		break;
	case MUT_NCPUS:
		n.ncpus = c->v;
		break;
	case MUT_UART:
		n.uart_port = (uint16_t)c->v;
		break;
	case MUT_DEVS:
		n.devices = c->list;
		n.ndevices = c->nlist;
		break;
	case MUT_NDEVS:
		n.devices = many;
		n.ndevices = c->v;
		break;
	case MUT_ECAM:
		mc.ecam_base = c->v;
		break;
	case MUT_TSC:
		mc.tsc_khz = 0;
		break;
	case MUT_BSP:
		mc.bsp_apic_id = (uint32_t)c->v;
		break;
	case MUT_ENDBUS:
		mc.ecam_end_bus = (uint8_t)c->v;
		n.devices = c->list;
		n.ndevices = c->nlist;
		break;
	case MUT_LINK:
		n.link_base = c->v;
		n.link_size = c->list[0];
		break;
	}
	if (c->ret == 0)
		ck_assert_ok(nl_node_check(&n, &mc, &err), err);
	else
		ck_assert_fails(nl_node_check(&n, &mc, &err), c->ret, err,
				c->needle);
}
END_TEST

Suite *nl_suite_setupdata(void)
{
	Suite *s = suite_create("setupdata");

	NL_TEST(s, sd_jailhouse_node1);
	NL_ROWS(s, sd_uart_case, uart_cases);
	NL_TEST(s, sd_uart_index_other);
	NL_TEST(s, sd_mint_node1);
	NL_TEST(s, sd_mint_link);
	NL_TEST(s, sd_mint_no_ecam);
	NL_TEST(s, sd_mint_layout_mismatch);
	NL_TEST(s, sd_chain_bytes);
	NL_TEST(s, sd_chain_errors);
	NL_ROWS(s, node_case, node_cases);
	return s;
}
