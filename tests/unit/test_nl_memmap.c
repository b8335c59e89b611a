// SPDX-License-Identifier: GPL-2.0
/* The machine memory map from /sys/firmware/memmap; memory type names. */
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

Suite *nl_suite_memmap(void)
{
	Suite *s = suite_create("memmap");

	NL_TEST(s, memmap_fw_q35);
	NL_TEST(s, memmap_fw_sorts_and_trims);
	NL_ROWS(s, memtype_case, type_cases);
	NL_TEST(s, memtype_name_unknown);
	NL_ROWS(s, memmap_fw_err_case, fw_err_cases);
	NL_TEST(s, memmap_fw_err_too_many);
	return s;
}
