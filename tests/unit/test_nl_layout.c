// SPDX-License-Identifier: GPL-2.0
/* Placing boot_params, setup_data, cmdline, kernel and initrd in node RAM. */
#include <errno.h>

#include "nl_test.h"

#define MiB 0x100000ULL

static void debian_bz(struct nl_bzimage *bz)
{
	struct nl_err err;
	size_t len;
	uint8_t *h = nlt_fixture(DEBIAN_HEAD, &len);

	ck_assert_ok(nl_bzimage_parse_header(h, len, bz, &err), err);
	free(h);
}

static void syn_bz(struct nl_bzimage *bz)
{
	uint8_t img[SYN_LEN];
	struct nl_err err;

	nlt_synthetic(img);
	ck_assert_ok(nl_bzimage_parse(img, SYN_LEN, bz, &err), err);
}

/* demo.conf node1 with Debian's kernel and the 1100170-byte guest initrd */
START_TEST(layout_node1_debian)
{
	struct nl_bzimage bz;
	struct nl_layout l;
	struct nl_err err;

	debian_bz(&bz);
	ck_assert_ok(nl_layout_place(1, nlt_node1_ram, 1, &bz, 1100170, 300, &l,
				     &err),
		     err);
	ck_assert_uint_eq(l.node_id, 1);
	ck_assert_uint_eq(l.base, 0x28000000);
	ck_assert_uint_eq(l.ram_end, 0x50000000);
	ck_assert_uint_eq(l.setup_data, 0x28001000);
	ck_assert_uint_eq(l.cmdline, 0x28003000);
	ck_assert_uint_eq(l.params_memsz, 0x4000);
	ck_assert_uint_eq(l.kernel, 0x28200000);
	ck_assert_uint_eq(l.kernel_size, 0xb18200);
	ck_assert_uint_eq(l.kernel_memsz, 0x37dc000);
	ck_assert_uint_eq(l.ctrl_base, 0x4fe00000);
	/* 1100170 bytes = 268.6 pages -> 269 pages, right below ctrl */
	ck_assert_uint_eq(l.initrd_size, 1100170);
	ck_assert_uint_eq(l.initrd_memsz, 0x10d000);
	ck_assert_uint_eq(l.initrd, 0x4fe00000 - 0x10d000);
	ck_assert_uint_eq(l.low_base, 0x20000);
	ck_assert_uint_eq(l.low_size, 0x10000);
}
END_TEST

START_TEST(layout_no_initrd)
{
	struct nl_bzimage bz;
	struct nl_layout l;
	struct nl_err err;

	debian_bz(&bz);
	ck_assert_ok(nl_layout_place(7, nlt_node1_ram, 1, &bz, 0, 0, &l, &err),
		     err);
	ck_assert_uint_eq(l.initrd, 0);
	ck_assert_uint_eq(l.initrd_size, 0);
	ck_assert_uint_eq(l.initrd_memsz, 0);
	ck_assert_uint_eq(l.params_memsz, 0x4000);
	ck_assert_uint_eq(l.low_base, 0x80000);
}
END_TEST

/* Only the first range holds images; the others do not move anything. */
START_TEST(layout_first_range_only)
{
	static const struct nl_range ram[] = {
		{ 0x60000000, 0x70000000, 0 },
		{ 0x20000000, 0x30000000, 0 },
	};
	struct nl_bzimage bz;
	struct nl_layout l;
	struct nl_err err;

	syn_bz(&bz);
	ck_assert_ok(nl_layout_place(2, ram, 2, &bz, 0x1000, 10, &l, &err),
		     err);
	ck_assert_uint_eq(l.base, 0x60000000);
	ck_assert_uint_eq(l.kernel, 0x60200000);
	ck_assert_uint_eq(l.ctrl_base, 0x6fe00000);
	ck_assert_uint_eq(l.initrd, 0x6fdff000);
}
END_TEST

/* The load address follows kernel_alignment, not just B + 2 MiB. */
START_TEST(layout_kernel_alignment)
{
	struct nl_bzimage bz;
	struct nl_layout l;
	struct nl_err err;

	syn_bz(&bz);
	bz.kernel_alignment = 16 * MiB;
	ck_assert_ok(nl_layout_place(1, nlt_node1_ram, 1, &bz, 0, 0, &l, &err),
		     err);
	ck_assert_uint_eq(l.kernel, 0x29000000);
	bz.kernel_alignment = 0x1000;
	ck_assert_ok(nl_layout_place(1, nlt_node1_ram, 1, &bz, 0, 0, &l, &err),
		     err);
	ck_assert_uint_eq(l.kernel, 0x28200000);
}
END_TEST

/* The command line page(s) follow its length; cmdline_size is the limit. */
START_TEST(layout_cmdline_pages)
{
	struct nl_bzimage bz;
	struct nl_layout l;
	struct nl_err err;

	syn_bz(&bz);
	bz.cmdline_size = 8191;
	ck_assert_ok(
		nl_layout_place(1, nlt_node1_ram, 1, &bz, 0, 4095, &l, &err),
		err);
	ck_assert_uint_eq(l.params_memsz, 0x4000);
	ck_assert_ok(
		nl_layout_place(1, nlt_node1_ram, 1, &bz, 0, 4096, &l, &err),
		err);
	ck_assert_uint_eq(l.params_memsz, 0x5000);
	ck_assert_ok(
		nl_layout_place(1, nlt_node1_ram, 1, &bz, 0, 8191, &l, &err),
		err);
	ck_assert_fails(
		nl_layout_place(1, nlt_node1_ram, 1, &bz, 0, 8192, &l, &err),
		-ENOSPC, err,
		"command line is 8192 bytes, the kernel takes at most "
		"8191");
	/* a (fictional) kernel taking a command line past B + 2 MiB */
	bz.cmdline_size = 0x400000;
	ck_assert_fails(nl_layout_place(1, nlt_node1_ram, 1, &bz, 0,
					0x200000 - 0x3000, &l, &err),
			-ENOSPC, err,
			"does not fit below the kernel at 0x28200000");
}
END_TEST

/* The initrd may fill all the space between init_size and ctrl. */
START_TEST(layout_initrd_exact_fit)
{
	struct nl_bzimage bz;
	struct nl_layout l;
	struct nl_err err;
	uint64_t room = 0x4fe00000 - (0x28200000 + 0x37dc000);

	debian_bz(&bz);
	ck_assert_ok(
		nl_layout_place(1, nlt_node1_ram, 1, &bz, room, 0, &l, &err),
		err);
	ck_assert_uint_eq(l.initrd, 0x28200000 + 0x37dc000);
	ck_assert_uint_eq(l.initrd + l.initrd_memsz, l.ctrl_base);
	ck_assert_fails(nl_layout_place(1, nlt_node1_ram, 1, &bz, room + 1, 0,
					&l, &err),
			-ENOSPC, err,
			"node RAM 0x28000000-0x4fffffff (640 MiB) is too small "
			"for the kernel and the initrd: it needs at least "
			"642 MiB");
}
END_TEST

/* The kernel's init_size may reach right up to the control area. */
START_TEST(layout_kernel_exact_fit)
{
	static const struct nl_range ram[] = { { 0x28000000, 0x28600000, 0 } };
	struct nl_bzimage bz;
	struct nl_layout l;
	struct nl_err err;

	syn_bz(&bz);
	bz.init_size = 0x200000;
	ck_assert_ok(nl_layout_place(1, ram, 1, &bz, 0, 0, &l, &err), err);
	ck_assert_uint_eq(l.kernel, 0x28200000);
	ck_assert_uint_eq(l.kernel + l.kernel_memsz, l.ctrl_base);
	bz.init_size++;
	ck_assert_fails(nl_layout_place(1, ram, 1, &bz, 0, 0, &l, &err),
			-ENOSPC, err,
			"node RAM 0x28000000-0x285fffff (6 MiB) is too small "
			"for the kernel's init_size: it needs at least 8 MiB");
}
END_TEST

/* Without XLF_CAN_BE_LOADED_ABOVE_4G the initrd stays below
 * initrd_addr_max (boot.rst); with it, the limit does not apply. */
START_TEST(layout_initrd_addr_max)
{
	static const struct nl_range ram[] = { { 0x40000000, 0x80000000, 0 } };
	struct nl_bzimage bz;
	struct nl_layout l;
	struct nl_err err;

	syn_bz(&bz);
	bz.initrd_addr_max = 0x5fffffff;
	bz.xloadflags = NL_XLF_KERNEL_64;
	ck_assert_ok(nl_layout_place(1, ram, 1, &bz, 0x100000, 0, &l, &err),
		     err);
	ck_assert_uint_eq(l.initrd, 0x5ff00000);
	bz.xloadflags |= NL_XLF_CAN_BE_LOADED_ABOVE_4G;
	ck_assert_ok(nl_layout_place(1, ram, 1, &bz, 0x100000, 0, &l, &err),
		     err);
	ck_assert_uint_eq(l.initrd, 0x7fd00000);
	bz.xloadflags = 0;
	bz.initrd_addr_max = 0x402fffff; /* kernel ends at 0x40300000 */
	ck_assert_fails(nl_layout_place(1, ram, 1, &bz, 0x1000, 0, &l, &err),
			-ENOSPC, err,
			"initrd of 4096 bytes does not fit between the kernel "
			"(ends 0x402fffff) and the kernel's initrd_addr_max "
			"0x402fffff");
}
END_TEST

static const struct layout_err_case {
	const char *name;
	unsigned int id;
	struct nl_range ram[3];
	size_t nram;
	uint64_t initrd;
	size_t cmdline;
	int ret;
	const char *needle;
} layout_err_cases[] = {
	{ "layout_err_id_0",
	  0,
	  { { 0x28000000, 0x50000000 } },
	  1,
	  0,
	  0,
	  -EINVAL,
	  "node id 0 is not in 1..7" },
	{ "layout_err_id_8",
	  8,
	  { { 0x28000000, 0x50000000 } },
	  1,
	  0,
	  0,
	  -EINVAL,
	  "node id 8 is not in 1..7" },
	{ "layout_err_no_ram",
	  1,
	  { { 0 } },
	  0,
	  0,
	  0,
	  -EINVAL,
	  "node has no RAM range" },
	{ "layout_err_too_many_ranges",
	  1,
	  { { 0x28000000, 0x50000000 } },
	  17,
	  0,
	  0,
	  -E2BIG,
	  "node has 17 RAM ranges, at most 16" },
	{ "layout_err_empty_range",
	  1,
	  { { 0x28000000, 0x28000000 } },
	  1,
	  0,
	  0,
	  -EINVAL,
	  "node RAM range 0 is empty" },
	{ "layout_err_start_unaligned",
	  1,
	  { { 0x28001000, 0x50000000 } },
	  1,
	  0,
	  0,
	  -EINVAL,
	  "node RAM 0x28001000-0x4fffffff is not 2 MiB aligned" },
	{ "layout_err_end_unaligned",
	  1,
	  { { 0x28000000, 0x50001000 } },
	  1,
	  0,
	  0,
	  -EINVAL,
	  "is not 2 MiB aligned" },
	{ "layout_err_overlap",
	  1,
	  { { 0x28000000, 0x50000000 }, { 0x4fe00000, 0x60000000 } },
	  2,
	  0,
	  0,
	  -EINVAL,
	  "ranges 0x28000000-0x4fffffff and 0x4fe00000-0x5fffffff overlap" },
	/* the order of the ranges must not matter */
	{ "layout_err_overlap_later_lower",
	  1,
	  { { 0x40000000, 0x60000000 }, { 0x28000000, 0x48000000 } },
	  2,
	  0,
	  0,
	  -EINVAL,
	  "ranges 0x40000000-0x5fffffff and 0x28000000-0x47ffffff overlap" },
	{ "layout_err_overlap_later_contains",
	  1,
	  { { 0x40000000, 0x48000000 }, { 0x28000000, 0x60000000 } },
	  2,
	  0,
	  0,
	  -EINVAL,
	  "ranges 0x40000000-0x47ffffff and 0x28000000-0x5fffffff overlap" },
	{ "layout_err_overlap_earlier_contains",
	  1,
	  { { 0x28000000, 0x60000000 }, { 0x40000000, 0x48000000 } },
	  2,
	  0,
	  0,
	  -EINVAL,
	  "ranges 0x28000000-0x5fffffff and 0x40000000-0x47ffffff overlap" },
	{ "layout_err_below_pref_address",
	  1,
	  { { 0x200000, 0x40000000 } },
	  1,
	  0,
	  0,
	  -EINVAL,
	  "kernel load address 0x400000 is below the kernel's minimum "
	  "0x1000000 (pref_address): node RAM must start at or above "
	  "0xe00000" },
	{ "layout_err_too_small_kernel",
	  1,
	  { { 0x28000000, 0x2a000000 } },
	  1,
	  0,
	  0,
	  -ENOSPC,
	  "node RAM 0x28000000-0x29ffffff (32 MiB) is too small for the "
	  "kernel's init_size: it needs at least 60 MiB" },
	{ "layout_err_too_small_kernel_initrd",
	  1,
	  { { 0x28000000, 0x2a000000 } },
	  1,
	  0x400000,
	  0,
	  -ENOSPC,
	  "(32 MiB) is too small for the kernel and the initrd: it needs at "
	  "least 64 MiB" },
	{ "layout_err_ctrl_only",
	  1,
	  { { 0x28000000, 0x28200000 } },
	  1,
	  0,
	  0,
	  -ENOSPC,
	  "(2 MiB) is too small" },
	{ "layout_err_initrd_too_big",
	  1,
	  { { 0x28000000, 0x50000000 } },
	  1,
	  600 * 0x100000,
	  0,
	  -ENOSPC,
	  "(640 MiB) is too small for the kernel and the initrd: it needs at "
	  "least 660 MiB" },
	{ "layout_err_cmdline_too_long",
	  1,
	  { { 0x28000000, 0x50000000 } },
	  1,
	  0,
	  2048,
	  -ENOSPC,
	  "command line is 2048 bytes, the kernel takes at most 2047" },
};

/* Node RAM above 4 GiB and a second range (64-bit entry): the images go
 * into the first range wherever it is; without XLF_CAN_BE_LOADED_ABOVE_4G
 * a range reaching above 4 GiB is refused. */
START_TEST(layout_above_4g)
{
	static const struct nl_range ram[] = {
		{ 0x180000000ULL, 0x1c0000000ULL, 0 },
		{ 0x40000000, 0x60000000, 0 },
	};
	struct nl_bzimage bz;
	struct nl_layout l;
	struct nl_err err;

	debian_bz(&bz);
	ck_assert_ok(nl_layout_place(2, ram, 2, &bz, 0x100000, 100, &l, &err),
		     err);
	ck_assert_uint_eq(l.base, 0x180000000ULL);
	ck_assert_uint_eq(l.cmdline, 0x180003000ULL);
	ck_assert_uint_eq(l.kernel, 0x180200000ULL);
	ck_assert_uint_eq(l.ctrl_base, 0x1bfe00000ULL);
	ck_assert_uint_eq(l.initrd, 0x1bfe00000ULL - 0x100000);
	ck_assert_uint_eq(l.low_base, 0x30000);
	bz.xloadflags &= ~NL_XLF_CAN_BE_LOADED_ABOVE_4G;
	ck_assert_fails(
		nl_layout_place(2, ram, 2, &bz, 0x100000, 100, &l, &err),
		-EINVAL, err,
		"node RAM 0x180000000-0x1bfffffff reaches above 4 GiB, "
		"but the kernel lacks XLF_CAN_BE_LOADED_ABOVE_4G");
}
END_TEST

START_TEST(layout_err_case)
{
	const struct layout_err_case *c = &layout_err_cases[_i];
	struct nl_range ram[NL_MAX_RAM_RANGES + 1];
	struct nl_bzimage bz;
	struct nl_layout l;
	struct nl_err err;

	debian_bz(&bz);
	for (size_t k = 0; k < NL_MAX_RAM_RANGES + 1; k++)
		ram[k] = k < 3 ? c->ram[k]
			       : (struct nl_range){ 0x80000000 + k * 0x200000,
						    0x80200000 + k * 0x200000,
						    0 };
	ck_assert_fails(nl_layout_place(c->id, c->nram ? ram : NULL, c->nram,
					&bz, c->initrd, c->cmdline, &l, &err),
			c->ret, err, c->needle);
}
END_TEST

Suite *nl_suite_layout(void)
{
	Suite *s = suite_create("layout");

	NL_TEST(s, layout_node1_debian);
	NL_TEST(s, layout_no_initrd);
	NL_TEST(s, layout_first_range_only);
	NL_TEST(s, layout_kernel_alignment);
	NL_TEST(s, layout_cmdline_pages);
	NL_TEST(s, layout_initrd_exact_fit);
	NL_TEST(s, layout_kernel_exact_fit);
	NL_TEST(s, layout_initrd_addr_max);
	NL_TEST(s, layout_above_4g);
	NL_ROWS(s, layout_err_case, layout_err_cases);
	return s;
}
