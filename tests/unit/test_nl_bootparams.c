// SPDX-License-Identifier: GPL-2.0
/*
 * The zero page, field by field at the offsets of zero-page.rst and
 * boot.rst (literal numbers here, on purpose: not the library's table).
 */
#include <errno.h>

#include "nl_test.h"

struct bp_ctx {
	uint8_t *img;
	size_t len;
	struct nl_bzimage bz;
	struct nl_layout lay;
	struct nl_e820 e820;
	struct nl_memmap map;
};

static void setup_ctx(struct bp_ctx *c, const char *fixture)
{
	struct nl_err err;

	c->img = nlt_fixture(fixture, &c->len);
	ck_assert_ok(nl_bzimage_parse_header(c->img, c->len, &c->bz, &err),
		     err);
	ck_assert_ok(nl_layout_place(1, nlt_node1_ram, 1, &c->bz, 0x12345, 100,
				     &c->lay, &err),
		     err);
	nlt_q35(&c->map);
	ck_assert_ok(
		nl_e820_build(1, nlt_node1_ram, 1, &c->map, &c->e820, &err),
		err);
}

/* The fixture's first bytes are a PE header and boot sector code, and it has
 * the 0xff sentinel at 0x1ef: none of that may reach the zero page. */
START_TEST(bp_zero_outside_header)
{
	uint8_t page[4096];
	struct bp_ctx c;
	struct nl_err err;

	setup_ctx(&c, DEBIAN_HEAD);
	ck_assert_uint_eq(c.img[0x1ef], 0xff);
	ck_assert_uint_eq(c.img[0], 'M');
	memset(page, 0x5a, sizeof(page));
	ck_assert_ok(nl_boot_params_build(page, c.img, c.len, &c.bz, &c.lay,
					  &c.e820, &err),
		     err);
	for (int i = 0; i < 0x1f1; i++)
		if (i != 0x1e8) /* e820_entries */
			ck_assert_msg(page[i] == 0, "byte 0x%x = 0x%x", i,
				      page[i]);
	ck_assert_uint_eq(page[0x1ef], 0); /* sentinel */
	ck_assert_uint_eq(page[0x1e8], 11);
	/* after the header (ends 0x26c) up to the e820 table: zero */
	for (int i = 0x26c; i < 0x2d0; i++)
		ck_assert_msg(page[i] == 0, "byte 0x%x = 0x%x", i, page[i]);
	/* after the 11 entries: zero to the end of the page */
	for (int i = 0x2d0 + 11 * 20; i < 4096; i++)
		ck_assert_msg(page[i] == 0, "byte 0x%x = 0x%x", i, page[i]);
	free(c.img);
}
END_TEST

/* The setup header is copied as it is, except the loader's fields. */
START_TEST(bp_header_copied)
{
	static const struct {
		int off, size;
	} changed[] = {
		{ 0x210, 1 }, /* type_of_loader */
		{ 0x211, 1 }, /* loadflags */
		{ 0x214, 4 }, /* code32_start */
		{ 0x218, 4 }, /* ramdisk_image */
		{ 0x21c, 4 }, /* ramdisk_size */
		{ 0x224, 2 }, /* heap_end_ptr */
		{ 0x226, 1 }, /* ext_loader_ver */
		{ 0x227, 1 }, /* ext_loader_type */
		{ 0x228, 4 }, /* cmd_line_ptr */
		{ 0x23c, 4 }, /* hardware_subarch */
		{ 0x240, 8 }, /* hardware_subarch_data */
		{ 0x250, 8 }, /* setup_data */
	};
	uint8_t page[4096];
	struct bp_ctx c;
	struct nl_err err;

	setup_ctx(&c, MINT_HEAD);
	ck_assert_ok(nl_boot_params_build(page, c.img, c.len, &c.bz, &c.lay,
					  &c.e820, &err),
		     err);
	for (int i = 0x1f1; i < 0x26c; i++) {
		int skip = 0;

		for (size_t k = 0; k < sizeof(changed) / sizeof(changed[0]);
		     k++)
			if (i >= changed[k].off &&
			    i < changed[k].off + changed[k].size)
				skip = 1;
		if (!skip)
			ck_assert_msg(page[i] == c.img[i],
				      "byte 0x%x: 0x%x, image 0x%x", i, page[i],
				      c.img[i]);
	}
	ck_assert_int_eq(memcmp(page + 0x202, "HdrS", 4), 0);
	ck_assert_uint_eq(le32(page + 0x260), 0x1228000); /* init_size */
	ck_assert_uint_eq(le16(page + 0x1fa), 0xffff); /* vid_mode kept */
	free(c.img);
}
END_TEST

START_TEST(bp_loader_fields)
{
	uint8_t page[4096];
	struct bp_ctx c;
	struct nl_err err;

	setup_ctx(&c, DEBIAN_HEAD);
	ck_assert_ok(nl_boot_params_build(page, c.img, c.len, &c.bz, &c.lay,
					  &c.e820, &err),
		     err);
	ck_assert_uint_eq(page[0x210], 0xff); /* type_of_loader */
	ck_assert_uint_eq(page[0x211], 0x01); /* loadflags: LOADED_HIGH */
	ck_assert_uint_eq(le32(page + 0x214), 0x28200000); /* code32_start */
	ck_assert_uint_eq(le32(page + 0x218), 0x4fded000); /* ramdisk_image */
	ck_assert_uint_eq(le32(page + 0x21c), 0x12345); /* ramdisk_size */
	ck_assert_uint_eq(le32(page + 0x0c0), 0); /* ext_ramdisk_image */
	ck_assert_uint_eq(le32(page + 0x0c4), 0); /* ext_ramdisk_size */
	ck_assert_uint_eq(le16(page + 0x224), 0); /* heap_end_ptr */
	ck_assert_uint_eq(le32(page + 0x228), 0x28003000); /* cmd_line_ptr */
	ck_assert_uint_eq(le32(page + 0x0c8), 0); /* ext_cmd_line_ptr */
	ck_assert_uint_eq(le32(page + 0x23c), 0); /* hardware_subarch */
	ck_assert_uint_eq(le64(page + 0x240), 0);
	ck_assert_uint_eq(le64(page + 0x250), 0x28001000); /* setup_data */
	ck_assert_uint_eq(le64(page + 0x070), 0); /* acpi_rsdp_addr */
	ck_assert_uint_eq(le32(page + 0x1e0), 0); /* alt_mem_k */
	ck_assert_uint_eq(le16(page + 0x002), 0); /* ext_mem_k */
	ck_assert_uint_eq(page[0x1e8], c.e820.n);
	for (size_t i = 0; i < c.e820.n; i++) {
		const uint8_t *e = page + 0x2d0 + 20 * i;

		ck_assert_uint_eq(le64(e), c.e820.e[i].addr);
		ck_assert_uint_eq(le64(e + 8), c.e820.e[i].size);
		ck_assert_uint_eq(le32(e + 16), c.e820.e[i].type);
	}
	free(c.img);
}
END_TEST

/* Keep LOADED_HIGH and QUIET_FLAG; drop KASLR_FLAG, KEEP_SEGMENTS and
 * CAN_USE_HEAP (real-mode setup only). */
static const struct lf_case {
	const char *name;
	uint8_t in, out;
} lf_cases[] = {
	{ "bp_loadflags_plain", 0x01, 0x01 },
	{ "bp_loadflags_all", 0xff, 0x21 },
	{ "bp_loadflags_quiet", 0x21, 0x21 },
	{ "bp_loadflags_heap_kaslr", 0xc3, 0x01 },
};

START_TEST(bp_loadflags_case)
{
	const struct lf_case *lc = &lf_cases[_i];
	uint8_t page[4096];
	struct bp_ctx c;
	struct nl_err err;

	setup_ctx(&c, DEBIAN_HEAD);
	c.img[0x211] = lc->in;
	ck_assert_ok(nl_boot_params_build(page, c.img, c.len, &c.bz, &c.lay,
					  &c.e820, &err),
		     err);
	ck_assert_uint_eq(page[0x211], lc->out);
	free(c.img);
}
END_TEST

START_TEST(bp_errors)
{
	uint8_t page[4096];
	struct bp_ctx c;
	struct nl_bzimage bz;
	struct nl_layout lay;
	struct nl_e820 e;
	struct nl_err err;

	setup_ctx(&c, DEBIAN_HEAD);
	ck_assert_fails(nl_boot_params_build(page, NULL, c.len, &c.bz, &c.lay,
					     &c.e820, &err),
			-EINVAL, err, "does not hold the parsed setup header");
	ck_assert_fails(nl_boot_params_build(page, c.img, 0x26b, &c.bz, &c.lay,
					     &c.e820, &err),
			-EINVAL, err, "does not hold the parsed setup header");
	ck_assert_ok(nl_boot_params_build(page, c.img, 0x26c, &c.bz, &c.lay,
					  &c.e820, &err),
		     err);
	bz = c.bz;
	bz.hdr_len = 0x290 - 0x1f1 + 1;
	ck_assert_fails(nl_boot_params_build(page, c.img, c.len, &bz, &c.lay,
					     &c.e820, &err),
			-EINVAL, err, "does not hold the parsed setup header");
	bz.hdr_len = 0x268 - 0x1f1 - 1;
	ck_assert_fails(nl_boot_params_build(page, c.img, c.len, &bz, &c.lay,
					     &c.e820, &err),
			-EINVAL, err, "does not hold the parsed setup header");
	c.img[0x202] = 'X';
	ck_assert_fails(nl_boot_params_build(page, c.img, c.len, &c.bz, &c.lay,
					     &c.e820, &err),
			-EINVAL, err, "does not hold the parsed setup header");
	c.img[0x202] = 'H';

	e = c.e820;
	e.n = 1;
	ck_assert_fails(nl_boot_params_build(page, c.img, c.len, &c.bz, &c.lay,
					     &e, &err),
			-EINVAL, err, "1 e820 entries (need 2..128)");
	e.n = 129;
	ck_assert_fails(nl_boot_params_build(page, c.img, c.len, &c.bz, &c.lay,
					     &e, &err),
			-EINVAL, err, "129 e820 entries");

	lay = c.lay;
	lay.initrd = 0xfffff000;
	lay.initrd_size = 0x1001;
	c.bz.xloadflags &= ~NL_XLF_CAN_BE_LOADED_ABOVE_4G;
	ck_assert_fails(nl_boot_params_build(page, c.img, c.len, &c.bz, &lay,
					     &c.e820, &err),
			-EINVAL, err, "lacks XLF_CAN_BE_LOADED_ABOVE_4G");
	free(c.img);
}
END_TEST

/* Above 4 GiB (64-bit entry): the high halves go to the ext_* fields. */
START_TEST(bp_above_4g)
{
	uint8_t page[NL_BOOT_PARAMS_SIZE];
	struct bp_ctx c;
	struct nl_layout lay;
	struct nl_err err;

	setup_ctx(&c, DEBIAN_HEAD);
	lay = c.lay;
	lay.base = 0x180000000ULL;
	lay.kernel = 0x180400000ULL;
	lay.cmdline = 0x180003000ULL;
	lay.initrd = 0x1a0000000ULL;
	lay.initrd_size = 0x123456;
	c.bz.xloadflags |= NL_XLF_CAN_BE_LOADED_ABOVE_4G;
	ck_assert_ok(nl_boot_params_build(page, c.img, c.len, &c.bz, &lay,
					  &c.e820, &err),
		     err);
	ck_assert_uint_eq(le32(page + 0x214), 0); /* code32_start: none */
	ck_assert_uint_eq(le32(page + 0x228), 0x80003000); /* cmd_line_ptr */
	ck_assert_uint_eq(le32(page + 0x0c8), 1); /* ext_cmd_line_ptr */
	ck_assert_uint_eq(le32(page + 0x218), 0xa0000000); /* ramdisk_image */
	ck_assert_uint_eq(le32(page + 0x0c0), 1); /* ext_ramdisk_image */
	ck_assert_uint_eq(le32(page + 0x21c), 0x123456); /* ramdisk_size */
	ck_assert_uint_eq(le32(page + 0x0c4), 0); /* ext_ramdisk_size */
	free(c.img);
}
END_TEST

Suite *nl_suite_bootparams(void)
{
	Suite *s = suite_create("bootparams");

	NL_TEST(s, bp_zero_outside_header);
	NL_TEST(s, bp_header_copied);
	NL_TEST(s, bp_loader_fields);
	NL_ROWS(s, bp_loadflags_case, lf_cases);
	NL_TEST(s, bp_errors);
	NL_TEST(s, bp_above_4g);
	return s;
}
