// SPDX-License-Identifier: GPL-2.0
/*
 * Full real images, named by MINT_STOCK_BZIMAGE (Debian's vmlinuz) and
 * MINT_BZIMAGE (the project's bzImage). A missing variable or file is a
 * failure, not a skip. The images change with the build, so the checks are
 * made against what this file reads from the image itself, independently of
 * the parser, not against fixed numbers (the fixtures pin those).
 */
#include <errno.h>

#include "nl_test.h"

/* The compressor magic at the start of the compressed kernel. */
static int known_compression(const uint8_t *p, size_t len)
{
	static const struct {
		const char *magic;
		size_t len;
	} fmt[] = {
		{ "\x1f\x8b", 2 }, /* gzip */
		{ "\x28\xb5\x2f\xfd", 4 }, /* zstd */
		{ "\xfd"
		  "7zXZ\x00",
		  6 }, /* xz */
		{ "BZh", 3 }, /* bzip2 */
		{ "\x5d\x00", 2 }, /* lzma */
		{ "\x89LZO", 4 }, /* lzo */
		{ "\x02\x21\x4c\x18", 4 }, /* lz4 legacy */
	};

	for (size_t i = 0; i < sizeof(fmt) / sizeof(fmt[0]); i++)
		if (len >= fmt[i].len && !memcmp(p, fmt[i].magic, fmt[i].len))
			return 1;
	return 0;
}

/* arch/x86/boot/tools/build.c: CRC-32 (reflected, init ~0, no final xor)
 * of setup + kernel, appended as the last 4 bytes of the payload. */
static uint32_t build_crc(const uint8_t *p, size_t len)
{
	uint32_t crc = 0xffffffff;

	while (len--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320 & -(crc & 1));
	}
	return crc;
}

static void check_real(const char *var, int unsigned_build)
{
	const char *path;
	size_t len, setup, payload;
	uint8_t *img = nlt_env_image(var, &len, &path);
	struct nl_bzimage bz, head;
	struct nl_memmap map;
	struct nl_machine m;
	struct nl_node n;
	struct nl_image *ni;
	struct nl_err err;
	uint8_t *initrd;

	ck_assert_msg(nl_bzimage_parse(img, len, &bz, &err) == 0, "%s: %s",
		      path, err.msg);
	/* the 4 KiB header alone parses to the same values */
	ck_assert_ok(nl_bzimage_parse_header(img, 4096, &head, &err), err);
	head.file_size = bz.file_size;
	ck_assert_int_eq(memcmp(&head, &bz, sizeof(bz)), 0);

	/* independent reads */
	setup = ((size_t)(img[0x1f1] ? img[0x1f1] : 4) + 1) * 512;
	payload = (size_t)le32(img + 0x1f4) * 16;
	ck_assert_uint_eq(bz.setup_size, setup);
	ck_assert_uint_eq(bz.payload_size, payload);
	ck_assert_uint_le(setup + payload, len);
	ck_assert_uint_ge(le16(img + 0x206), 0x020c);
	ck_assert_uint_eq(bz.version, le16(img + 0x206));
	ck_assert_uint_eq(bz.init_size, le32(img + 0x260));
	ck_assert_uint_eq(bz.pref_address, le64(img + 0x258));
	ck_assert_uint_eq(bz.kernel_alignment, le32(img + 0x230));
	ck_assert_uint_eq(bz.cmdline_size, le32(img + 0x238));
	ck_assert_msg(known_compression(img + setup + bz.payload_offset,
					len - setup - bz.payload_offset),
		      "%s: no compressor magic at payload_offset 0x%x "
		      "(file offset 0x%zx)",
		      path, bz.payload_offset, setup + bz.payload_offset);
	if (unsigned_build) {
		ck_assert_uint_eq(setup + payload, len);
		ck_assert_uint_eq(build_crc(img, len - 4), le32(img + len - 4));
	}

	/* a node1 image from it: the kernel segment is the payload */
	initrd = calloc(1, 1 << 20);
	ck_assert_ptr_nonnull(initrd);
	nlt_q35(&map);
	nlt_machine(&m, &map);
	nlt_node1(&n);
	ck_assert_ok(
		nl_image_build(img, len, initrd, 1 << 20, &n, &m, &ni, &err),
		err);
	ck_assert_ptr_eq(ni->seg[1].buf, img + setup);
	ck_assert_uint_eq(ni->seg[1].bufsz, payload);
	ck_assert_uint_eq(ni->seg[1].mem, 0x28200000);
	ck_assert_uint_ge(ni->seg[1].memsz, bz.init_size);
	ck_assert_uint_eq(le32(ni->params + 0x260), bz.init_size);
	ck_assert_uint_eq(ni->entry, 0x28000000);
	nl_image_free(ni);
	free(initrd);
	free(img);
}

START_TEST(real_stock_bzimage)
{
	check_real("MINT_STOCK_BZIMAGE", 0);
}
END_TEST

START_TEST(real_mint_bzimage)
{
	check_real("MINT_BZIMAGE", 1);
}
END_TEST

/* Truncating a real image anywhere inside the payload is caught. */
START_TEST(real_truncated)
{
	const char *path;
	size_t len;
	uint8_t *img = nlt_env_image("MINT_BZIMAGE", &len, &path);
	struct nl_bzimage bz;
	struct nl_err err;
	size_t end;

	ck_assert_ok(nl_bzimage_parse(img, len, &bz, &err), err);
	end = bz.setup_size + bz.payload_size;
	ck_assert_fails(nl_bzimage_parse(img, end - 1, &bz, &err), -EINVAL, err,
			"ends beyond the end of the file");
	ck_assert_fails(nl_bzimage_parse(img, end / 2, &bz, &err), -EINVAL, err,
			"ends beyond the end of the file");
	ck_assert_ok(nl_bzimage_parse(img, end, &bz, &err), err);
	free(img);
}
END_TEST

Suite *nl_suite_real(void)
{
	Suite *s = suite_create("real");

	NL_TEST(s, real_stock_bzimage);
	NL_TEST(s, real_mint_bzimage);
	NL_TEST(s, real_truncated);
	return s;
}
