// SPDX-License-Identifier: GPL-2.0
/* bzImage header parsing: real headers (fixtures), a synthetic image and
 * one row per error. */
#include <errno.h>

#include "nl_test.h"

static void poke(uint8_t *p, int off, int size, uint64_t v)
{
	for (int i = 0; i < size; i++)
		p[off + i] = (uint8_t)(v >> (8 * i));
}

/* Debian 6.12.117 cloud kernel, values read with Python struct (see
 * fixtures/README.md). */
START_TEST(bz_debian_header)
{
	struct nl_bzimage bz;
	struct nl_err err;
	size_t len;
	uint8_t *h = nlt_fixture(DEBIAN_HEAD, &len);

	ck_assert_uint_eq(len, 4096);
	ck_assert_ok(nl_bzimage_parse_header(h, len, &bz, &err), err);
	ck_assert_uint_eq(bz.version, 0x020f);
	ck_assert_uint_eq(bz.setup_sects, 39);
	ck_assert_uint_eq(bz.setup_size, 40 * 512);
	ck_assert_uint_eq(bz.syssize, 0xb1820);
	ck_assert_uint_eq(bz.payload_size, 0xb18200);
	ck_assert_uint_eq(bz.loadflags, 0x01);
	ck_assert_uint_eq(bz.relocatable_kernel, 1);
	ck_assert_uint_eq(bz.min_alignment, 21);
	ck_assert_uint_eq(bz.kernel_alignment, 0x200000);
	ck_assert_uint_eq(bz.xloadflags, 0x7f);
	ck_assert_uint_eq(bz.cmdline_size, 2047);
	ck_assert_uint_eq(bz.initrd_addr_max, 0x7fffffff);
	ck_assert_uint_eq(bz.payload_offset, 0x2cc);
	ck_assert_uint_eq(bz.payload_length, 0xae1992);
	ck_assert_uint_eq(bz.pref_address, 0x1000000);
	ck_assert_uint_eq(bz.init_size, 0x37dc000);
	ck_assert_uint_eq(bz.hdr_len, 0x202 + 0x6a - 0x1f1);
	ck_assert_uint_eq(bz.file_size, 4096);
	/* the header alone is not a loadable image */
	ck_assert_fails(nl_bzimage_parse(h, len, &bz, &err), -EINVAL, err,
			"bzImage truncated: 4096 bytes, the setup code alone "
			"is 20480");
	free(h);
}
END_TEST

/* The project's own kernel (build/bzImage of 2026-01-01). */
START_TEST(bz_mint_header)
{
	struct nl_bzimage bz;
	struct nl_err err;
	size_t len;
	uint8_t *h = nlt_fixture(MINT_HEAD, &len);

	ck_assert_uint_eq(len, 4096);
	ck_assert_ok(nl_bzimage_parse_header(h, len, &bz, &err), err);
	ck_assert_uint_eq(bz.version, 0x020f);
	ck_assert_uint_eq(bz.setup_sects, 31);
	ck_assert_uint_eq(bz.setup_size, 32 * 512);
	ck_assert_uint_eq(bz.syssize, 0x3f740);
	ck_assert_uint_eq(bz.payload_size, 0x3f7400);
	ck_assert_uint_eq(bz.loadflags, 0x01);
	ck_assert_uint_eq(bz.relocatable_kernel, 1);
	ck_assert_uint_eq(bz.min_alignment, 21);
	ck_assert_uint_eq(bz.kernel_alignment, 0x200000);
	ck_assert_uint_eq(bz.xloadflags, 0x63);
	ck_assert_uint_eq(bz.cmdline_size, 2047);
	ck_assert_uint_eq(bz.initrd_addr_max, 0x7fffffff);
	ck_assert_uint_eq(bz.payload_offset, 0x2c4);
	ck_assert_uint_eq(bz.payload_length, 0x3ef676);
	ck_assert_uint_eq(bz.pref_address, 0x1000000);
	ck_assert_uint_eq(bz.init_size, 0x1228000);
	ck_assert_uint_eq(bz.hdr_len, 0x7b);
	ck_assert_fails(nl_bzimage_parse(h, len, &bz, &err), -EINVAL, err,
			"truncated");
	free(h);
}
END_TEST

START_TEST(bz_synthetic_fields)
{
	uint8_t img[SYN_LEN];
	struct nl_bzimage bz;
	struct nl_err err;

	nlt_synthetic(img);
	ck_assert_ok(nl_bzimage_parse(img, SYN_LEN, &bz, &err), err);
	ck_assert_uint_eq(bz.setup_sects, 3);
	ck_assert_uint_eq(bz.setup_size, SYN_SETUP_SIZE);
	ck_assert_uint_eq(bz.payload_size, SYN_PAYLOAD);
	ck_assert_uint_eq(bz.init_size, 0x100000);
	ck_assert_uint_eq(bz.kernel_alignment, 0x200000);
	ck_assert_uint_eq(bz.pref_address, 0x1000000);
	ck_assert_uint_eq(bz.cmdline_size, 2047);
	ck_assert_uint_eq(bz.xloadflags, 3);
	ck_assert_uint_eq(bz.file_size, SYN_LEN);
}
END_TEST

/* boot.rst: "if the setup_sects field contains 0, the real value is 4" */
START_TEST(bz_setup_sects_zero_means_4)
{
	uint8_t img[SYN_LEN];
	struct nl_bzimage bz;
	struct nl_err err;

	nlt_synthetic(img);
	img[0x1f1] = 0;
	ck_assert_ok(nl_bzimage_parse_header(img, SYN_LEN, &bz, &err), err);
	ck_assert_uint_eq(bz.setup_sects, 4);
	ck_assert_uint_eq(bz.setup_size, 5 * 512);
	/* 0xa00 + 0x2000 > SYN_LEN */
	ck_assert_fails(nl_bzimage_parse(img, SYN_LEN, &bz, &err), -EINVAL, err,
			"payload 0xa00+0x2000 ends beyond");
}
END_TEST

START_TEST(bz_null_image)
{
	struct nl_bzimage bz;
	struct nl_err err;

	ck_assert_fails(nl_bzimage_parse_header(NULL, 4096, &bz, &err), -EINVAL,
			err, "too small: 0 bytes");
}
END_TEST

static const struct bz_case {
	const char *name;
	size_t len; /* 0: SYN_LEN */
	struct {
		int off, size;
		uint64_t val;
	} poke[2];
	int full; /* nl_bzimage_parse rather than _header */
	int ret;
	const char *needle;
} bz_cases[] = {
	{ "bz_ok_synthetic", 0, { { 0 } }, 1, 0, "" },
	{ "bz_ok_header_only", SYN_SETUP_SIZE, { { 0 } }, 0, 0, "" },
	{ "bz_ok_protocol_2_12", 0, { { 0x206, 2, 0x020c } }, 1, 0, "" },
	{ "bz_ok_trailing_bytes", SYN_LEN + 512, { { 0 } }, 1, 0, "" },
	{ "bz_ok_quiet_and_heap_flags", 0, { { 0x211, 1, 0xa1 } }, 1, 0, "" },
	{ "bz_err_too_small",
	  1023,
	  { { 0 } },
	  0,
	  -EINVAL,
	  "bzImage too small: 1023 bytes" },
	{ "bz_err_magic",
	  0,
	  { { 0x202, 4, 0x53726449 } },
	  0,
	  -EINVAL,
	  "no \"HdrS\" magic at 0x202 (found 0x53726449)" },
	{ "bz_err_boot_flag",
	  0,
	  { { 0x1fe, 2, 0x1234 } },
	  0,
	  -EINVAL,
	  "boot_flag at 0x1fe is 0x1234" },
	{ "bz_err_old_protocol",
	  0,
	  { { 0x206, 2, 0x020b } },
	  0,
	  -EINVAL,
	  "boot protocol 2.11 is too old" },
	{ "bz_err_jump_opcode",
	  0,
	  { { 0x200, 1, 0xe9 } },
	  0,
	  -EINVAL,
	  "bad jump e9 6a" },
	{ "bz_err_jump_backwards",
	  0,
	  { { 0x201, 1, 0x80 } },
	  0,
	  -EINVAL,
	  "bad jump eb 80" },
	{ "bz_err_header_short",
	  0,
	  { { 0x201, 1, 0x65 } },
	  0,
	  -EINVAL,
	  "setup header ends at 0x267, before init_size" },
	{ "bz_err_not_loaded_high",
	  0,
	  { { 0x211, 1, 0x20 } },
	  0,
	  -EINVAL,
	  "loadflags 0x20 lack LOADED_HIGH" },
	{ "bz_err_not_relocatable",
	  0,
	  { { 0x234, 1, 0 } },
	  0,
	  -EINVAL,
	  "not relocatable" },
	{ "bz_err_not_64bit",
	  0,
	  { { 0x236, 2, 0x0002 } },
	  0,
	  -EINVAL,
	  "not a 64-bit kernel: xloadflags 0x2 lack XLF_KERNEL_64" },
	{ "bz_err_align_zero",
	  0,
	  { { 0x230, 4, 0 } },
	  0,
	  -EINVAL,
	  "bad kernel_alignment 0x0" },
	{ "bz_err_align_not_pow2",
	  0,
	  { { 0x230, 4, 0x300000 } },
	  0,
	  -EINVAL,
	  "bad kernel_alignment 0x300000" },
	{ "bz_err_align_below_page",
	  0,
	  { { 0x230, 4, 0x800 } },
	  0,
	  -EINVAL,
	  "bad kernel_alignment 0x800" },
	{ "bz_err_min_align_above_align",
	  0,
	  { { 0x235, 1, 22 } },
	  0,
	  -EINVAL,
	  "bad min_alignment 2^22" },
	{ "bz_err_min_align_huge",
	  0,
	  { { 0x235, 1, 40 } },
	  0,
	  -EINVAL,
	  "bad min_alignment 2^40" },
	{ "bz_err_cmdline_size_zero",
	  0,
	  { { 0x238, 4, 0 } },
	  0,
	  -EINVAL,
	  "cmdline_size is 0" },
	{ "bz_err_syssize_zero",
	  0,
	  { { 0x1f4, 4, 0 } },
	  0,
	  -EINVAL,
	  "syssize is 0" },
	{ "bz_err_init_size_below_payload",
	  0,
	  { { 0x260, 4, 0x1ff0 } },
	  0,
	  -EINVAL,
	  "init_size 0x1ff0 is smaller than the payload (0x2000" },
	{ "bz_err_compressed_beyond_payload",
	  0,
	  { { 0x24c, 4, 0x1f01 } },
	  0,
	  -EINVAL,
	  "compressed kernel 0x100+0x1f01 lies beyond the payload" },
	{ "bz_err_pref_above_4g",
	  0,
	  { { 0x258, 8, 0x100000000ULL } },
	  0,
	  -EINVAL,
	  "pref_address 0x100000000 is above 4 GiB" },
	{ "bz_err_truncated_setup",
	  SYN_SETUP_SIZE,
	  { { 0 } },
	  1,
	  -EINVAL,
	  "the setup code alone is 2048" },
	{ "bz_err_truncated_payload",
	  SYN_LEN - 1,
	  { { 0 } },
	  1,
	  -EINVAL,
	  "payload 0x800+0x2000 ends beyond the end of the file (10239" },
};

START_TEST(bz_case)
{
	const struct bz_case *c = &bz_cases[_i];
	uint8_t img[SYN_LEN + 512] = { 0 };
	size_t len = c->len ? c->len : SYN_LEN;
	struct nl_bzimage bz;
	struct nl_err err;

	nlt_synthetic(img);
	for (int k = 0; k < 2; k++)
		if (c->poke[k].size)
			poke(img, c->poke[k].off, c->poke[k].size,
			     c->poke[k].val);
	if (c->ret == 0) {
		ck_assert_ok(
			c->full ? nl_bzimage_parse(img, len, &bz, &err)
				: nl_bzimage_parse_header(img, len, &bz, &err),
			err);
		ck_assert_uint_eq(bz.file_size, len);
		ck_assert_uint_eq(bz.payload_size, SYN_PAYLOAD);
	} else {
		ck_assert_fails(
			c->full ? nl_bzimage_parse(img, len, &bz, &err)
				: nl_bzimage_parse_header(img, len, &bz, &err),
			c->ret, err, c->needle);
	}
}
END_TEST

Suite *nl_suite_bzimage(void)
{
	Suite *s = suite_create("bzimage");

	NL_TEST(s, bz_debian_header);
	NL_TEST(s, bz_mint_header);
	NL_TEST(s, bz_synthetic_fields);
	NL_TEST(s, bz_setup_sects_zero_means_4);
	NL_TEST(s, bz_null_image);
	NL_ROWS(s, bz_case, bz_cases);
	return s;
}
