// SPDX-License-Identifier: GPL-2.0
/* The node's e820 table. */
#include <errno.h>
#include <stdio.h>

#include "nl_test.h"

struct want {
	uint64_t addr, size;
	uint32_t type;
};

static void assert_e820(const struct nl_e820 *e, const struct want *w, size_t n)
{
	ck_assert_uint_eq(e->n, n);
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(
			e->e[i].addr == w[i].addr &&
				e->e[i].size == w[i].size &&
				e->e[i].type == w[i].type,
			"entry %zu: 0x%lx+0x%lx type %u, want 0x%lx+0x%lx "
			"type %u",
			i, (unsigned long)e->e[i].addr,
			(unsigned long)e->e[i].size, e->e[i].type,
			(unsigned long)w[i].addr, (unsigned long)w[i].size,
			w[i].type);
}

/* demo.conf node1 on the q35 map, worked out by hand in docs/node-boot.md */
static const struct want node1_q35[] = {
	{ 0x0, 0x20000, 2 }, /* node0's RAM below the slice */
	{ 0x20000, 0x10000, 1 }, /* node1's low slice */
	{ 0x30000, 0x70000, 2 }, /* node0 RAM + EBDA, merged */
	/* 0xa0000-0xeffff: a gap in the firmware map, stays a gap */
	{ 0xf0000, 0x28000000 - 0xf0000, 2 }, /* BIOS + node0 RAM */
	{ 0x28000000, 0x27e00000, 1 }, /* node RAM up to ctrl */
	{ 0x4fe00000, 0x80000000 - 0x4fe00000, 2 }, /* ctrl, node2, fw */
	{ 0xb0000000, 0x10000000, 2 }, /* ECAM */
	{ 0xfed1c000, 0x4000, 2 },
	{ 0xfeffc000, 0x4000, 2 },
	{ 0xfffc0000, 0x180000000 - 0xfffc0000, 2 }, /* BIOS + high RAM */
	{ 0xfd00000000, 0x10000000000 - 0xfd00000000, 2 },
};

START_TEST(e820_node1_q35)
{
	struct nl_memmap m;
	struct nl_e820 e;
	struct nl_err err;

	nlt_q35(&m);
	ck_assert_ok(nl_e820_build(1, nlt_node1_ram, 1, &m, &e, &err), err);
	assert_e820(&e, node1_q35, sizeof(node1_q35) / sizeof(node1_q35[0]));
}
END_TEST

/* A second range is RAM in full: only the first one has the ctrl area. */
START_TEST(e820_two_ranges)
{
	static const struct want w[] = {
		{ 0x0, 0x30000, 2 },
		{ 0x30000, 0x10000, 1 },
		{ 0x40000, 0x60000, 2 },
		{ 0xf0000, 0x20000000 - 0xf0000, 2 },
		{ 0x20000000, 0x10000000, 1 },
		{ 0x30000000, 0x20000000, 2 },
		{ 0x50000000, 0xfe00000, 1 },
		{ 0x5fe00000, 0x80000000 - 0x5fe00000, 2 },
		{ 0xb0000000, 0x10000000, 2 },
		{ 0xfed1c000, 0x4000, 2 },
		{ 0xfeffc000, 0x4000, 2 },
		{ 0xfffc0000, 0x180000000 - 0xfffc0000, 2 },
		{ 0xfd00000000, 0x10000000000 - 0xfd00000000, 2 },
	};
	static const struct nl_range r[2] = {
		{ 0x50000000, 0x60000000, 0 },
		{ 0x20000000, 0x30000000, 0 },
	};
	struct nl_memmap m;
	struct nl_e820 e;
	struct nl_err err;

	nlt_q35(&m);
	ck_assert_ok(nl_e820_build(2, r, 2, &m, &e, &err), err);
	assert_e820(&e, w, sizeof(w) / sizeof(w[0]));
}
END_TEST

/* Property, for several nodes: sorted, merged, RAM exactly where the node
 * owns memory (its range less ctrl, its slice), every other listed byte
 * reserved, nothing that the machine map does not list. */
START_TEST(e820_property_every_machine_range)
{
	static const struct nl_range nodes[] = {
		{ 0x28000000, 0x50000000, 0 },
		{ 0x50000000, 0x78000000, 0 },
		{ 0x1000000, 0x3000000, 0 },
		{ 0x7fa00000, 0x7fe00000, 0 },
	};
	struct nl_memmap m;
	struct nl_e820 e;
	struct nl_err err;

	nlt_q35(&m);
	for (unsigned int k = 0; k < 4; k++) {
		const struct nl_range *r = &nodes[k];
		uint64_t ctrl = r->end - MINT_CTRL_SIZE;
		uint64_t low = MINT_LOW_SLICE(k + 1);
		uint64_t low_end = low + MINT_LOW_SLOT, covered = 0;

		ck_assert_ok(nl_e820_build(k + 1, r, 1, &m, &e, &err), err);
		ck_assert_uint_ge(e.n, 2);
		for (size_t i = 0; i < e.n; i++) {
			const struct nl_e820_entry *x = &e.e[i];
			uint64_t end = x->addr + x->size;
			int in_node = x->addr >= r->start && end <= ctrl;
			int in_low = x->addr >= low && end <= low_end;
			size_t listed = 0;

			ck_assert_uint_gt(x->size, 0);
			if (i) {
				const struct nl_e820_entry *p = &e.e[i - 1];

				ck_assert_uint_ge(x->addr, p->addr + p->size);
				ck_assert_msg(x->addr > p->addr + p->size ||
						      x->type != p->type,
					      "node %u: entries %zu, %zu not "
					      "merged",
					      k + 1, i - 1, i);
			}
			if (x->type == 1) {
				ck_assert_msg(in_node || in_low,
					      "node %u: entry %zu RAM outside "
					      "the node",
					      k + 1, i);
				covered += x->size;
			} else {
				ck_assert_uint_eq(x->type, 2);
				ck_assert(end <= r->start || x->addr >= ctrl);
				ck_assert(end <= low || x->addr >= low_end);
			}
			for (size_t j = 0; j < m.n; j++)
				if (x->addr < m.r[j].end && m.r[j].start < end)
					listed += (end < m.r[j].end
							   ? end
							   : m.r[j].end) -
						  (x->addr > m.r[j].start
							   ? x->addr
							   : m.r[j].start);
			ck_assert_msg(listed == x->size,
				      "node %u: entry %zu has unlisted bytes",
				      k + 1, i);
		}
		/* all of the node's memory is there as RAM */
		ck_assert_uint_eq(covered, (ctrl - r->start) + MINT_LOW_SLOT);
	}
}
END_TEST

static const struct e820_err_case {
	const char *name;
	unsigned int id;
	struct nl_range ram[2];
	size_t nram;
	int ret;
	const char *needle;
} e820_err_cases[] = {
	{ "e820_err_id_0",
	  0,
	  { { 0x28000000, 0x50000000 } },
	  1,
	  -EINVAL,
	  "node id 0 is not in 1..7" },
	{ "e820_err_id_8",
	  8,
	  { { 0x28000000, 0x50000000 } },
	  1,
	  -EINVAL,
	  "node id 8" },
	{ "e820_err_no_ram", 1, { { 0 } }, 0, -EINVAL, "node has no RAM" },
	{ "e820_err_unaligned",
	  1,
	  { { 0x28000000, 0x28100000 } },
	  1,
	  -EINVAL,
	  "not 2 MiB aligned" },
	{ "e820_err_ram_over_fw_reserved",
	  1,
	  { { 0x78000000, 0x80000000 } },
	  1,
	  -EINVAL,
	  "node RAM 0x78000000-0x7fffffff is not RAM in the machine's memory "
	  "map: 0x7ffe0000-0x7fffffff is Reserved" },
	{ "e820_err_ram_in_gap",
	  1,
	  { { 0x80000000, 0x90000000 } },
	  1,
	  -EINVAL,
	  "node RAM 0x80000000-0x8fffffff is not RAM in the machine's memory "
	  "map: nothing listed at 0x80000000" },
	{ "e820_err_ram_over_ecam",
	  1,
	  { { 0x28000000, 0x50000000 }, { 0xa0000000, 0xb0200000 } },
	  2,
	  -EINVAL,
	  "nothing listed at 0xa0000000" },
	{ "e820_err_ram_over_low_slice",
	  1,
	  { { 0x0, 0x2000000 } },
	  1,
	  -EINVAL,
	  "node RAM 0x0-0x1ffffff overlaps the node's low slice" },
	{ "e820_err_ctrl_only",
	  1,
	  { { 0x28000000, 0x28200000 } },
	  1,
	  -ENOSPC,
	  "holds nothing but the control area" },
};

START_TEST(e820_err_case)
{
	const struct e820_err_case *c = &e820_err_cases[_i];
	struct nl_memmap m;
	struct nl_e820 e;
	struct nl_err err;

	nlt_q35(&m);
	ck_assert_fails(nl_e820_build(c->id, c->nram ? c->ram : NULL, c->nram,
				      &m, &e, &err),
			c->ret, err, c->needle);
}
END_TEST

START_TEST(e820_err_low_slice_not_ram)
{
	static const struct nl_fwmap_entry fw[] = {
		{ "0x0", "0x2ffff", "System RAM" },
		{ "0x30000", "0x3ffff", "Reserved" },
		{ "0x100000", "0x7fffffff", "System RAM" },
	};
	static const struct nl_range ram[] = { { 0x40000000, 0x50000000, 0 } };
	struct nl_memmap m;
	struct nl_e820 e;
	struct nl_err err;

	ck_assert_ok(nl_memmap_from_firmware(fw, 3, &m, &err), err);
	ck_assert_ok(nl_e820_build(1, ram, 1, &m, &e, &err), err);
	ck_assert_fails(nl_e820_build(2, ram, 1, &m, &e, &err), -EINVAL, err,
			"node low slice 0x30000-0x3ffff is not RAM in the "
			"machine's memory map: 0x30000-0x3ffff is Reserved");
	ck_assert_fails(nl_e820_build(5, ram, 1, &m, &e, &err), -EINVAL, err,
			"node low slice 0x60000-0x6ffff is not RAM in the "
			"machine's memory map: nothing listed at 0x60000");
}
END_TEST

START_TEST(e820_err_empty_machine)
{
	struct nl_memmap m = { .n = 0 };
	struct nl_e820 e;
	struct nl_err err;

	ck_assert_fails(nl_e820_build(1, nlt_node1_ram, 1, &m, &e, &err),
			-EINVAL, err, "the machine's memory map is empty");
	ck_assert_fails(nl_e820_build(1, nlt_node1_ram, 1, NULL, &e, &err),
			-EINVAL, err, "the machine's memory map is empty");
	m.n = NL_MEMMAP_MAX + 1;
	ck_assert_fails(nl_e820_build(1, nlt_node1_ram, 1, &m, &e, &err),
			-E2BIG, err, "machine memory map has 257 entries");
}
END_TEST

/* 128 entries fit, 129 do not. Map: RAM below 1 MiB and the node's RAM,
 * then N separate reserved ranges with gaps between them. */
static int build_many(size_t nres, struct nl_e820 *e, struct nl_err *err)
{
	static const struct nl_range ram[] = { { 0x40000000, 0x50000000, 0 } };
	struct nl_memmap m;

	m.n = 0;
	m.r[m.n++] = (struct nl_range){ 0x0, 0x9fc00, NL_MEM_RAM };
	m.r[m.n++] = (struct nl_range){ 0x40000000, 0x50000000, NL_MEM_RAM };
	for (size_t i = 0; i < nres; i++)
		m.r[m.n++] = (struct nl_range){ 0x60000000 + i * 0x2000,
						0x60001000 + i * 0x2000,
						NL_MEM_RESERVED };
	return nl_e820_build(1, ram, 1, &m, e, err);
}

START_TEST(e820_max_entries)
{
	struct nl_e820 e;
	struct nl_err err;

	/* fixed entries: 0-0x20000 res, slice, 0x30000-0x9fc00 res, node RAM,
	 * ctrl = 5; so 123 reserved ranges make 128 */
	ck_assert_ok(build_many(123, &e, &err), err);
	ck_assert_uint_eq(e.n, 128);
	ck_assert_uint_eq(e.e[127].addr, 0x60000000 + 122 * 0x2000);
	ck_assert_fails(build_many(124, &e, &err), -E2BIG, err,
			"the node's e820 table needs more than 128 entries");
}
END_TEST

/* A link inside the machine's RAM: reserved like the rest around it, so
 * the table is node1's without one. */
START_TEST(e820_link_in_ram)
{
	static const struct nl_range link = { 0x78000000, 0x78200000,
					      NL_MEM_RESERVED };
	struct nl_memmap m;
	struct nl_e820 e;
	struct nl_err err;

	nlt_q35(&m);
	ck_assert_ok(
		nl_e820_build_link(1, nlt_node1_ram, 1, &link, &m, &e, &err),
		err);
	assert_e820(&e, node1_q35, sizeof(node1_q35) / sizeof(node1_q35[0]));
}
END_TEST

/* A link where the machine's map lists nothing: reserved all the same
 * (never RAM, never a gap the node's PCI code may place BARs in). */
START_TEST(e820_link_in_gap)
{
	static const struct nl_range link = { 0x90000000, 0x90400000,
					      NL_MEM_RESERVED };
	struct want w[sizeof(node1_q35) / sizeof(node1_q35[0]) + 1];
	struct nl_memmap m;
	struct nl_e820 e;
	struct nl_err err;
	size_t i, n = 0;

	for (i = 0; i < sizeof(node1_q35) / sizeof(node1_q35[0]); i++) {
		if (node1_q35[i].addr == 0xb0000000)
			w[n++] = (struct want){ 0x90000000, 0x400000, 2 };
		w[n++] = node1_q35[i];
	}
	nlt_q35(&m);
	ck_assert_ok(
		nl_e820_build_link(1, nlt_node1_ram, 1, &link, &m, &e, &err),
		err);
	assert_e820(&e, w, n);
	/* an empty link is none */
	ck_assert_ok(nl_e820_build_link(1, nlt_node1_ram, 1,
					&(struct nl_range){ 0, 0, 0 }, &m, &e,
					&err),
		     err);
	assert_e820(&e, node1_q35, sizeof(node1_q35) / sizeof(node1_q35[0]));
}
END_TEST

START_TEST(e820_link_errors)
{
	static const struct nl_range on_ram = { 0x4f000000, 0x4f200000, 0 };
	static const struct nl_range on_low = { 0x0, 0x200000, 0 };
	static const struct nl_range reversed = { 0x90200000, 0x90000000, 0 };
	struct nl_memmap m;
	struct nl_e820 e;
	struct nl_err err;

	nlt_q35(&m);
	ck_assert_fails(
		nl_e820_build_link(1, nlt_node1_ram, 1, &on_ram, &m, &e, &err),
		-EINVAL, err,
		"node link 0x4f000000-0x4f1fffff overlaps node RAM "
		"0x28000000-0x4fffffff");
	ck_assert_fails(
		nl_e820_build_link(1, nlt_node1_ram, 1, &on_low, &m, &e, &err),
		-EINVAL, err,
		"node link 0x0-0x1fffff overlaps the node's low slice");
	ck_assert_fails(nl_e820_build_link(1, nlt_node1_ram, 1, &reversed, &m,
					   &e, &err),
			-EINVAL, err, "ends before it starts");
}
END_TEST

Suite *nl_suite_e820(void)
{
	Suite *s = suite_create("e820");

	NL_TEST(s, e820_node1_q35);
	NL_TEST(s, e820_two_ranges);
	NL_TEST(s, e820_property_every_machine_range);
	NL_ROWS(s, e820_err_case, e820_err_cases);
	NL_TEST(s, e820_err_low_slice_not_ram);
	NL_TEST(s, e820_err_empty_machine);
	NL_TEST(s, e820_max_entries);
	NL_TEST(s, e820_link_in_ram);
	NL_TEST(s, e820_link_in_gap);
	NL_TEST(s, e820_link_errors);
	return s;
}
