// SPDX-License-Identifier: GPL-2.0
/* The machine memory map: /sys/firmware/memmap and /proc/iomem. */
#include <errno.h>
#include <stdio.h>

#include "nl_test.h"

static const struct nl_range q35_want[Q35_N] = {
	{ 0x0, 0x9fc00, NL_MEM_RAM },
	{ 0x9fc00, 0xa0000, NL_MEM_RESERVED },
	{ 0xf0000, 0x100000, NL_MEM_RESERVED },
	{ 0x100000, 0x7ffe0000, NL_MEM_RAM },
	{ 0x7ffe0000, 0x80000000, NL_MEM_RESERVED },
	{ 0xb0000000, 0xc0000000, NL_MEM_RESERVED },
	{ 0xfed1c000, 0xfed20000, NL_MEM_RESERVED },
	{ 0xfeffc000, 0xff000000, NL_MEM_RESERVED },
	{ 0xfffc0000, 0x100000000, NL_MEM_RESERVED },
	{ 0x100000000, 0x180000000, NL_MEM_RAM },
	{ 0xfd00000000, 0x10000000000, NL_MEM_RESERVED },
};

static void assert_map(const struct nl_memmap *m, const struct nl_range *want,
		       size_t n)
{
	ck_assert_uint_eq(m->n, n);
	for (size_t i = 0; i < n; i++) {
		ck_assert_msg(
			m->r[i].start == want[i].start &&
				m->r[i].end == want[i].end &&
				m->r[i].type == want[i].type,
			"entry %zu: 0x%lx-0x%lx type %u, want 0x%lx-0x%lx "
			"type %u",
			i, (unsigned long)m->r[i].start,
			(unsigned long)m->r[i].end, m->r[i].type,
			(unsigned long)want[i].start,
			(unsigned long)want[i].end, want[i].type);
	}
}

START_TEST(memmap_fw_q35)
{
	struct nl_memmap m;

	nlt_q35(&m);
	assert_map(&m, q35_want, Q35_N);
}
END_TEST

/* Directory order is not address order (memmap/10 sorts before 2). */
START_TEST(memmap_fw_sorts_and_trims)
{
	static const struct nl_fwmap_entry e[] = {
		{ " 0x100000000\n", "0x17fffffff", "System RAM" },
		{ "0x0", "0x9FBFF\n", " System RAM \n" },
		{ "100000", "7ffdffff", "System RAM\n" },
	};
	static const struct nl_range want[] = {
		{ 0x0, 0x9fc00, NL_MEM_RAM },
		{ 0x100000, 0x7ffe0000, NL_MEM_RAM },
		{ 0x100000000, 0x180000000, NL_MEM_RAM },
	};
	struct nl_memmap m;
	struct nl_err err;

	ck_assert_ok(nl_memmap_from_firmware(e, 3, &m, &err), err);
	assert_map(&m, want, 3);
}
END_TEST

static const struct type_case {
	const char *name;
	const char *text;
	uint32_t type;
} type_cases[] = {
	{ "memtype_system_ram", "System RAM\n", NL_MEM_RAM },
	{ "memtype_reserved", "Reserved", NL_MEM_RESERVED },
	{ "memtype_reserved_lower", "reserved", NL_MEM_RESERVED },
	{ "memtype_acpi", "ACPI Tables", NL_MEM_ACPI },
	{ "memtype_nvs", "ACPI Non-volatile Storage", NL_MEM_NVS },
	{ "memtype_unusable", "Unusable memory", NL_MEM_UNUSABLE },
	{ "memtype_pmem", "Persistent Memory", NL_MEM_PMEM },
	{ "memtype_pram", "Persistent Memory (legacy)", NL_MEM_PRAM },
	{ "memtype_soft_reserved", "Soft Reserved", NL_MEM_SOFT_RESERVED },
	{ "memtype_unknown", "Unknown E820 type", NL_MEM_OTHER },
	{ "memtype_pci_window", "PCI Bus 0000:00", NL_MEM_OTHER },
	{ "memtype_prefix_is_not_match", "System RAMX", NL_MEM_OTHER },
	{ "memtype_empty", "", NL_MEM_OTHER },
};

START_TEST(memtype_case)
{
	const struct type_case *c = &type_cases[_i];

	ck_assert_uint_eq(nl_mem_type_from_name(c->text, strlen(c->text)),
			  c->type);
	if (c->type != NL_MEM_OTHER && strcmp(c->text, "reserved"))
		ck_assert_uint_eq(nl_mem_type_from_name(
					  nl_mem_type_name(c->type),
					  strlen(nl_mem_type_name(c->type))),
				  c->type);
}
END_TEST

START_TEST(memtype_name_unknown)
{
	ck_assert_str_eq(nl_mem_type_name(99), "Unknown E820 type");
	ck_assert_str_eq(nl_mem_type_name(NL_MEM_RAM), "System RAM");
	ck_assert_str_eq(nl_mem_type_name(NL_MEM_RESERVED), "Reserved");
}
END_TEST

static const struct fw_err_case {
	const char *name;
	struct nl_fwmap_entry e[2];
	size_t n;
	int ret;
	const char *needle;
} fw_err_cases[] = {
	{ "memmap_fw_err_empty",
	  { { 0 } },
	  0,
	  -EINVAL,
	  "firmware memory map is empty" },
	{ "memmap_fw_err_missing_field",
	  { { "0x0", NULL, "System RAM" } },
	  1,
	  -EINVAL,
	  "entry 0: missing a field" },
	{ "memmap_fw_err_bad_start",
	  { { "0xzz", "0x1000", "Reserved" } },
	  1,
	  -EINVAL,
	  "entry 0: bad start \"0xzz\"" },
	{ "memmap_fw_err_bad_end",
	  { { "0x0", "0xfff", "Reserved" }, { "0x1000", "12 34", "Reserved" } },
	  2,
	  -EINVAL,
	  "entry 1: bad end \"12 34\"" },
	{ "memmap_fw_err_bare_0x",
	  { { "0x", "0x1000", "Reserved" } },
	  1,
	  -EINVAL,
	  "bad start" },
	{ "memmap_fw_err_17_digits",
	  { { "0x0", "0x10000000000000000", "Reserved" } },
	  1,
	  -EINVAL,
	  "bad end" },
	{ "memmap_fw_err_end_before_start",
	  { { "0x2000", "0x1fff", "Reserved" } },
	  1,
	  -EINVAL,
	  "end 0x1fff before start 0x2000" },
	{ "memmap_fw_err_top_of_space",
	  { { "0x1000", "0xffffffffffffffff", "Reserved" } },
	  1,
	  -EINVAL,
	  "reaches the top of the address space" },
	{ "memmap_fw_err_overlap",
	  { { "0x0", "0x1fff", "System RAM" },
	    { "0x1000", "0x2fff", "Reserved" } },
	  2,
	  -EINVAL,
	  "entries 0x0-0x1fff (System RAM) and 0x1000-0x2fff (Reserved) "
	  "overlap" },
};

START_TEST(memmap_fw_err_case)
{
	const struct fw_err_case *c = &fw_err_cases[_i];
	struct nl_memmap m;
	struct nl_err err;

	ck_assert_fails(nl_memmap_from_firmware(c->e, c->n, &m, &err), c->ret,
			err, c->needle);
}
END_TEST

START_TEST(memmap_fw_err_too_many)
{
	static struct nl_fwmap_entry e[NL_MEMMAP_MAX + 1];
	static char buf[NL_MEMMAP_MAX + 1][2][24];
	struct nl_memmap m;
	struct nl_err err;

	for (int i = 0; i <= NL_MEMMAP_MAX; i++) {
		snprintf(buf[i][0], sizeof(buf[i][0]), "0x%x", i * 0x2000);
		snprintf(buf[i][1], sizeof(buf[i][1]), "0x%x",
			 i * 0x2000 + 0xfff);
		e[i] = (struct nl_fwmap_entry){ buf[i][0], buf[i][1],
						"Reserved" };
	}
	ck_assert_ok(nl_memmap_from_firmware(e, NL_MEMMAP_MAX, &m, &err), err);
	ck_assert_uint_eq(m.n, NL_MEMMAP_MAX);
	ck_assert_fails(nl_memmap_from_firmware(e, NL_MEMMAP_MAX + 1, &m, &err),
			-E2BIG, err, "more than 256 entries");
}
END_TEST

/* node0 on the q35 rig with memmap=64K$0x10000 640M$0x28000000
 * 640M$0x50000000: what root reads in /proc/iomem. */
static const char iomem_q35[] =
	"00000000-00000fff : Reserved\n"
	"00001000-0000ffff : System RAM\n"
	"00010000-0008ffff : Reserved\n"
	"00090000-0009fbff : System RAM\n"
	"0009fc00-0009ffff : Reserved\n"
	"000a0000-000bffff : PCI Bus 0000:00\n"
	"000c0000-000c99ff : Video ROM\n"
	"000f0000-000fffff : Reserved\n"
	"  000f0000-000fffff : System ROM\n"
	"00100000-27ffffff : System RAM\n"
	"  01000000-01ffffff : Kernel code\n"
	"  02000000-025fffff : Kernel rodata\n"
	"28000000-77ffffff : Reserved\n"
	"78000000-7ffdffff : System RAM\n"
	"7ffe0000-7fffffff : Reserved\n"
	"80000000-afffffff : PCI Bus 0000:00\n"
	"b0000000-bfffffff : PCI ECAM 0000 [bus 00-ff]\n"
	"  b0000000-bfffffff : Reserved\n"
	"c0000000-febfffff : PCI Bus 0000:00\n"
	"  fd000000-fdffffff : 0000:00:01.0\n"
	"fec00000-fec003ff : IOAPIC 0\n"
	"fed00000-fed003ff : HPET 0\n"
	"fed1c000-fed1ffff : Reserved\n"
	"  fed1f410-fed1f414 : iTCO_wdt.0.auto\n"
	"fee00000-fee00fff : Local APIC\n"
	"feffc000-feffffff : Reserved\n"
	"fffc0000-ffffffff : Reserved\n"
	"100000000-17fffffff : System RAM\n"
	"\n"
	"fd00000000-ffffffffff : Reserved";

static const struct nl_range iomem_want[] = {
	{ 0x0, 0x1000, NL_MEM_RESERVED },
	{ 0x1000, 0x10000, NL_MEM_RAM },
	{ 0x10000, 0x90000, NL_MEM_RESERVED },
	{ 0x90000, 0x9fc00, NL_MEM_RAM },
	{ 0x9fc00, 0xa0000, NL_MEM_RESERVED },
	{ 0xf0000, 0x100000, NL_MEM_RESERVED },
	{ 0x100000, 0x28000000, NL_MEM_RAM },
	{ 0x28000000, 0x78000000, NL_MEM_RESERVED },
	{ 0x78000000, 0x7ffe0000, NL_MEM_RAM },
	{ 0x7ffe0000, 0x80000000, NL_MEM_RESERVED },
	{ 0xb0000000, 0xc0000000, NL_MEM_RESERVED },
	{ 0xfed1c000, 0xfed20000, NL_MEM_RESERVED },
	{ 0xfeffc000, 0xff000000, NL_MEM_RESERVED },
	{ 0xfffc0000, 0x100000000, NL_MEM_RESERVED },
	{ 0x100000000, 0x180000000, NL_MEM_RAM },
	{ 0xfd00000000, 0x10000000000, NL_MEM_RESERVED },
};

START_TEST(memmap_iomem_q35)
{
	struct nl_memmap m;
	struct nl_err err;

	ck_assert_ok(
		nl_memmap_from_iomem(iomem_q35, strlen(iomem_q35), &m, &err),
		err);
	assert_map(&m, iomem_want, sizeof(iomem_want) / sizeof(iomem_want[0]));
}
END_TEST

/* The fallback gives the node the same e820 as the firmware map once the
 * held-back node RAM is RAM again. */
START_TEST(memmap_iomem_restore_matches_firmware)
{
	struct nl_memmap fw, io;
	struct nl_e820 a, b;
	struct nl_err err;

	nlt_q35(&fw);
	ck_assert_ok(
		nl_memmap_from_iomem(iomem_q35, strlen(iomem_q35), &io, &err),
		err);
	ck_assert_ok(nl_memmap_restore_ram(&io, 0x28000000, 0x50000000, &err),
		     err);
	ck_assert_ok(nl_memmap_restore_ram(&io, 0x10000, 0x90000, &err), err);
	ck_assert_ok(nl_e820_build(1, nlt_node1_ram, 1, &fw, &a, &err), err);
	ck_assert_ok(nl_e820_build(1, nlt_node1_ram, 1, &io, &b, &err), err);
	/* page 0 and 0x1000-0x10000 are split in iomem but not in the
	 * firmware map; both reserve them for the node */
	ck_assert_uint_eq(a.n, b.n);
	for (size_t i = 0; i < a.n; i++) {
		ck_assert_uint_eq(a.e[i].addr, b.e[i].addr);
		ck_assert_uint_eq(a.e[i].size, b.e[i].size);
		ck_assert_uint_eq(a.e[i].type, b.e[i].type);
	}
}
END_TEST

/* A memory-type name inside a range already taken is not taken again; one
 * under a non-memory line (a PCI window) is. */
START_TEST(memmap_iomem_nested)
{
	static const char text[] = "00000000-0009ffff : System RAM\n"
				   "  00090000-0009ffff : Reserved\n"
				   "    00090000-00090fff : Reserved\n"
				   "00100000-001fffff : PCI Bus 0000:00\n"
				   "  00100000-001fffff : Reserved\n"
				   "    00100000-00100fff : System RAM\n"
				   "00200000-002fffff : ACPI Tables\n";
	static const struct nl_range want[] = {
		{ 0x0, 0xa0000, NL_MEM_RAM },
		{ 0x100000, 0x200000, NL_MEM_RESERVED },
		{ 0x200000, 0x300000, NL_MEM_ACPI },
	};
	struct nl_memmap m;
	struct nl_err err;

	ck_assert_ok(nl_memmap_from_iomem(text, strlen(text), &m, &err), err);
	assert_map(&m, want, 3);
}
END_TEST

static const struct iomem_err_case {
	const char *name;
	const char *text;
	int ret;
	const char *needle;
} iomem_err_cases[] = {
	{ "memmap_iomem_err_unprivileged",
	  "00000000-00000000 : Reserved\n00000000-00000000 : System RAM\n",
	  -EPERM, "only zero addresses" },
	{ "memmap_iomem_err_no_colon", "00000000-00000fff Reserved\n", -EINVAL,
	  "line 1: expected \"START-END : NAME\"" },
	{ "memmap_iomem_err_no_dash", "00000000 : Reserved\n", -EINVAL,
	  "line 1: expected" },
	{ "memmap_iomem_err_bad_hex",
	  "00000000-00000fff : Reserved\n0000g000-0000ffff : System RAM\n",
	  -EINVAL, "line 2: bad address" },
	{ "memmap_iomem_err_no_memory", "000a0000-000bffff : PCI Bus 0000:00\n",
	  -EINVAL, "no memory ranges" },
	{ "memmap_iomem_err_empty", "", -EINVAL, "no memory ranges" },
	{ "memmap_iomem_err_overlap",
	  "00000000-00001fff : System RAM\n00001000-00002fff : Reserved\n",
	  -EINVAL, "overlap" },
	{ "memmap_iomem_err_end_before_start", "00002000-00001000 : Reserved\n",
	  -EINVAL, "line 1: end 0x1000 before start 0x2000" },
};

START_TEST(memmap_iomem_err_case)
{
	const struct iomem_err_case *c = &iomem_err_cases[_i];
	struct nl_memmap m;
	struct nl_err err;

	ck_assert_fails(
		nl_memmap_from_iomem(c->text, strlen(c->text), &m, &err),
		c->ret, err, c->needle);
}
END_TEST

START_TEST(memmap_restore_splits)
{
	static const struct nl_fwmap_entry e[] = {
		{ "0x0", "0xfffff", "Reserved" },
		{ "0x100000", "0x1fffff", "System RAM" },
		{ "0x200000", "0x2fffff", "ACPI Tables" },
	};
	static const struct nl_range want[] = {
		{ 0x0, 0x10000, NL_MEM_RESERVED },
		{ 0x10000, 0x100000, NL_MEM_RAM },
		{ 0x100000, 0x180000, NL_MEM_RAM },
		{ 0x180000, 0x200000, NL_MEM_RAM },
		{ 0x200000, 0x300000, NL_MEM_ACPI },
	};
	struct nl_memmap m;
	struct nl_err err;

	ck_assert_ok(nl_memmap_from_firmware(e, 3, &m, &err), err);
	/* across a Reserved and a RAM entry */
	ck_assert_ok(nl_memmap_restore_ram(&m, 0x10000, 0x180000, &err), err);
	assert_map(&m, want, 5);

	ck_assert_fails(nl_memmap_restore_ram(&m, 0x1f0000, 0x210000, &err),
			-EINVAL, err,
			"0x1f0000-0x20ffff overlaps ACPI Tables at "
			"0x200000-0x2fffff");
	ck_assert_fails(nl_memmap_restore_ram(&m, 0x2f0000, 0x310000, &err),
			-EINVAL, err, "overlaps ACPI Tables");
	ck_assert_fails(
		nl_memmap_restore_ram(&m, 0x400000, 0x500000, &err), -EINVAL,
		err, "0x400000-0x4fffff is not in the memory map at 0x400000");
	ck_assert_fails(nl_memmap_restore_ram(&m, 0x5000, 0x5000, &err),
			-EINVAL, err, "empty range 0x5000");
	assert_map(&m, want, 5); /* failures leave the map alone */
}
END_TEST

START_TEST(memmap_restore_gap_inside)
{
	static const struct nl_fwmap_entry e[] = {
		{ "0x0", "0xfffff", "Reserved" },
		{ "0x200000", "0x2fffff", "Reserved" },
	};
	struct nl_memmap m;
	struct nl_err err;

	ck_assert_ok(nl_memmap_from_firmware(e, 2, &m, &err), err);
	ck_assert_fails(nl_memmap_restore_ram(&m, 0x80000, 0x280000, &err),
			-EINVAL, err, "is not in the memory map at 0x100000");
}
END_TEST

START_TEST(memmap_restore_too_many)
{
	struct nl_memmap m;
	struct nl_err err;

	m.n = NL_MEMMAP_MAX;
	for (size_t i = 0; i < NL_MEMMAP_MAX; i++)
		m.r[i] = (struct nl_range){ i * 0x10000, (i + 1) * 0x10000,
					    NL_MEM_RESERVED };
	/* splitting one entry in three makes 258 */
	ck_assert_fails(nl_memmap_restore_ram(&m, 0x1000, 0x2000, &err), -E2BIG,
			err, "more than 256 entries");
	ck_assert_uint_eq(m.n, NL_MEMMAP_MAX);
	ck_assert_uint_eq(m.r[0].type, NL_MEM_RESERVED);
}
END_TEST

Suite *nl_suite_memmap(void)
{
	Suite *s = suite_create("memmap");

	NL_TEST(s, memmap_fw_q35);
	NL_TEST(s, memmap_fw_sorts_and_trims);
	NL_ROWS(s, memtype_case, type_cases);
	NL_TEST(s, memtype_name_unknown);
	NL_ROWS(s, memmap_fw_err_case, fw_err_cases);
	NL_TEST(s, memmap_fw_err_too_many);
	NL_TEST(s, memmap_iomem_q35);
	NL_TEST(s, memmap_iomem_restore_matches_firmware);
	NL_TEST(s, memmap_iomem_nested);
	NL_ROWS(s, memmap_iomem_err_case, iomem_err_cases);
	NL_TEST(s, memmap_restore_splits);
	NL_TEST(s, memmap_restore_gap_inside);
	NL_TEST(s, memmap_restore_too_many);
	return s;
}
