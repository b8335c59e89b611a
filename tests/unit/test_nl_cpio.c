// SPDX-License-Identifier: GPL-2.0
/* The newc cpio archive appended to a node's initrd. */
#include <errno.h>
#include <string.h>

#include "nl_test.h"

static const char conf[] = "[partition]\nversion = 1\n";
static const struct nl_cpio_file files[] = {
	{ "etc/mint", 040755, NULL, 0 },
	{ "etc/mint/partition.conf", 0100644, conf, sizeof(conf) - 1 },
};

START_TEST(cpio_layout)
{
	uint8_t out[1024];
	struct nl_err err;
	size_t len;
	char hdr[111];

	ck_assert_int_eq(nl_cpio_build(files, 2, out, sizeof(out), &len, &err),
			 0);
	ck_assert_uint_eq(len, nl_cpio_size(files, 2));
	ck_assert_uint_eq(len % 4, 0);
	/* first entry: the directory, inode 1, mode 040755, no data */
	memcpy(hdr, out, 110);
	hdr[110] = 0;
	ck_assert_str_eq(hdr, "070701" /* magic */
			      "00000001" /* ino */
			      "000041ED" /* mode */
			      "00000000" /* uid */
			      "00000000" /* gid */
			      "00000001" /* nlink */
			      "00000000" /* mtime */
			      "00000000" /* filesize */
			      "00000000" /* devmajor */
			      "00000000" /* devminor */
			      "00000000" /* rdevmajor */
			      "00000000" /* rdevminor */
			      "00000009" /* namesize */
			      "00000000" /* check */);
	ck_assert_str_eq((char *)out + 110, "etc/mint");
	/* second entry starts 4-aligned after 110 + 9 bytes of name */
	ck_assert_int_eq(memcmp(out + 120, "070701", 6), 0);
	ck_assert_int_eq(memcmp(out + 120 + 54, "00000018", 8), 0); /* size */
	ck_assert_str_eq((char *)out + 120 + 110, "etc/mint/partition.conf");
	ck_assert_int_eq(memcmp(out + 120 + 136, conf, 24), 0);
	/* the trailer closes it */
	ck_assert_int_eq(memcmp(out + len - 14, "TRAILER!!!\0\0\0\0", 14), 0);
}
END_TEST

START_TEST(cpio_too_small)
{
	uint8_t out[64];
	struct nl_err err;
	size_t len;

	ck_assert_fails(nl_cpio_build(files, 2, out, sizeof(out), &len, &err),
			-ENOSPC, err, "cpio archive needs ");
	ck_assert_fails(nl_cpio_build(files, 2, out, sizeof(out), &len, &err),
			-ENOSPC, err, " bytes, 64 given");
}
END_TEST

START_TEST(cpio_absolute_name)
{
	const struct nl_cpio_file bad = { "/etc/x", 0100644, "x", 1 };
	uint8_t out[512];
	struct nl_err err;
	size_t len;

	ck_assert_fails(nl_cpio_build(&bad, 1, out, sizeof(out), &len, &err),
			-EINVAL, err, "cpio: bad file name '/etc/x'");
}
END_TEST

Suite *nl_suite_cpio(void)
{
	Suite *s = suite_create("cpio");

	NL_TEST(s, cpio_layout);
	NL_TEST(s, cpio_too_small);
	NL_TEST(s, cpio_absolute_name);
	return s;
}
