// SPDX-License-Identifier: GPL-2.0
/* SHA-256 against the FIPS 180-4 / NIST vectors; the image record. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image.h"

static const struct {
	const char *in;
	const char *hex;
} sha_cases[] = {
	{ "",
	  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
	{ "abc",
	  "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
	/* 448 bits: the padding fits the same block */
	{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
	/* 896 bits: two blocks, the padding in a third */
	{ "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
	  "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
	  "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1" },
	{ "The quick brown fox jumps over the lazy dog",
	  "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592" },
	/* 55, 56 and 64 bytes: the edges of the length field's block */
	{ "1234567890123456789012345678901234567890123456789012345",
	  "03c3a70e99ed5eeccd80f73771fcf1ece643d939d9ecc76f25544b0233f708e9" },
	{ "12345678901234567890123456789012345678901234567890123456",
	  "0be66ce72c2467e793202906000672306661791622e0ca9adf4a8955b2ed189c" },
	{ "1234567890123456789012345678901234567890123456789012345678901234",
	  "676491965ed3ec50cb7a63ee96315480a95c54426b0b72bca8a0d4ad1285ad55" },
};

START_TEST(tc_sha256)
{
	char hex[MINT_SHA256_HEX];

	mint_sha256_hex(sha_cases[_i].in, strlen(sha_cases[_i].in), hex);
	ck_assert_str_eq(hex, sha_cases[_i].hex);
}
END_TEST

/* One million 'a' in pieces of odd sizes: the same as at once. */
START_TEST(tc_sha256_million)
{
	static const char want[] = "cdc76e5c9914fb9281a1c7e284d73e67"
				   "f1809a48a497200e046d39ccc7112cd0";
	char buf[1000], hex[MINT_SHA256_HEX];
	unsigned char d[MINT_SHA256_LEN];
	struct mint_sha256 s;
	size_t done = 0, n = 1;
	unsigned int i;

	memset(buf, 'a', sizeof(buf));
	mint_sha256_init(&s);
	while (done < 1000000) {
		n = n % 997 + 1;
		if (n > 1000000 - done)
			n = 1000000 - done;
		mint_sha256_update(&s, buf, n);
		done += n;
	}
	mint_sha256_final(&s, d);
	for (i = 0; i < MINT_SHA256_LEN; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
	ck_assert_str_eq(hex, want);
}
END_TEST

#define D1 "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define D2 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

START_TEST(tc_rec_round_trip)
{
	struct mint_image_rec r, back;
	struct mint_buf b;
	char why[256] = "";

	memset(&r, 0, sizeof(r));
	strcpy(r.kernel, "/boot/mint/bzImage");
	strcpy(r.kernel_sha256, D1);
	strcpy(r.initrd, "/boot/mint/node.cpio.gz");
	strcpy(r.initrd_sha256, D2);
	strcpy(r.cmdline, "console=ttyS1 foo=\"a b\" x=y=z mint.oneoff=1");
	strcpy(r.config, "/etc/mint/partition.conf");
	r.oneoff = true;
	mint_buf_init(&b);
	ck_assert_int_eq(mint_image_rec_format(&r, &b), 0);
	ck_assert_int_eq(mint_image_rec_parse(b.data, &back, why, sizeof(why)),
			 0);
	ck_assert_msg(!memcmp(&r, &back, sizeof(r)), "%s", b.data);
	mint_buf_free(&b);
	/* no initrd: both empty */
	memset(r.initrd, 0, sizeof(r.initrd));
	memset(r.initrd_sha256, 0, sizeof(r.initrd_sha256));
	r.oneoff = false;
	mint_buf_init(&b);
	ck_assert_int_eq(mint_image_rec_format(&r, &b), 0);
	ck_assert_int_eq(mint_image_rec_parse(b.data, &back, why, sizeof(why)),
			 0);
	ck_assert(!memcmp(&r, &back, sizeof(r)));
	mint_buf_free(&b);
}
END_TEST

/* The timeline's stamps: written only when set, read back; a record
 * without them (an older mintctl's) reads as 0. */
START_TEST(tc_rec_tsc)
{
	struct mint_image_rec r, back;
	struct mint_buf b;
	char why[256] = "";

	memset(&r, 0, sizeof(r));
	strcpy(r.kernel, "/boot/mint/bzImage");
	strcpy(r.kernel_sha256, D1);
	mint_buf_init(&b);
	ck_assert_int_eq(mint_image_rec_format(&r, &b), 0);
	ck_assert_ptr_null(strstr(b.data, "tsc_"));
	ck_assert_int_eq(mint_image_rec_parse(b.data, &back, why, sizeof(why)),
			 0);
	ck_assert_uint_eq(back.tsc_mintctl, 0);
	ck_assert_uint_eq(back.tsc_files, 0);
	mint_buf_free(&b);
	r.tsc_mintctl = 123456789012345ULL;
	r.tsc_files = UINT64_MAX;
	mint_buf_init(&b);
	ck_assert_int_eq(mint_image_rec_format(&r, &b), 0);
	ck_assert_ptr_nonnull(strstr(b.data,
				     "\ntsc_mintctl=123456789012345\n"
				     "tsc_files=18446744073709551615\n"));
	ck_assert_int_eq(mint_image_rec_parse(b.data, &back, why, sizeof(why)),
			 0);
	ck_assert(!memcmp(&r, &back, sizeof(r)));
	mint_buf_free(&b);
	/* one of them */
	r.tsc_mintctl = 0;
	r.tsc_files = 7;
	mint_buf_init(&b);
	ck_assert_int_eq(mint_image_rec_format(&r, &b), 0);
	ck_assert_ptr_null(strstr(b.data, "tsc_mintctl"));
	ck_assert_int_eq(mint_image_rec_parse(b.data, &back, why, sizeof(why)),
			 0);
	ck_assert_uint_eq(back.tsc_files, 7);
	mint_buf_free(&b);
}
END_TEST

START_TEST(tc_rec_newline_refused)
{
	struct mint_image_rec r;
	struct mint_buf b;

	memset(&r, 0, sizeof(r));
	strcpy(r.kernel, "/boot/x");
	strcpy(r.kernel_sha256, D1);
	strcpy(r.cmdline, "a\nkernel=/evil");
	mint_buf_init(&b);
	ck_assert_int_eq(mint_image_rec_format(&r, &b), -EINVAL);
	mint_buf_free(&b);
}
END_TEST

static const struct {
	const char *text;
	const char *why; /* NULL: valid */
} parse_cases[] = {
	{ "kernel=/k\nkernel_sha256=" D1 "\n", NULL },
	{ "# c\n\nkernel=/k\nkernel_sha256=" D1 "\ninitrd=/i\ninitrd_sha256=" D2
	  "\ncmdline=\noneoff=1\nconfig=/c",
	  NULL },
	{ "kernel=/k\n", "no kernel and kernel_sha256" },
	{ "kernel=/k\nkernel_sha256=ABC\n", "no kernel and kernel_sha256" },
	{ "kernel=/k\nkernel_sha256=" D1 "\ninitrd=/i\n",
	  "initrd without its initrd_sha256" },
	{ "kernel=/k\nkernel_sha256=" D1 "\nsize=3\n",
	  "line 3: unknown key 'size'" },
	{ "kernel=/k\nkernel_sha256=" D1 "\noneoff=yes\n",
	  "line 3: bad value of 'oneoff'" },
	{ "kernel /k\n", "line 1: no '='" },
	/* the TSC stamps of the timeline: optional, decimal */
	{ "kernel=/k\nkernel_sha256=" D1 "\ntsc_mintctl=1\ntsc_files=2\n",
	  NULL },
	{ "kernel=/k\nkernel_sha256=" D1 "\ntsc_mintctl=0x10\n",
	  "line 3: bad value of 'tsc_mintctl'" },
	{ "kernel=/k\nkernel_sha256=" D1 "\ntsc_files=\n",
	  "line 3: bad value of 'tsc_files'" },
	{ "kernel=/k\nkernel_sha256=" D1 "\ntsc_files=-5\n",
	  "line 3: bad value of 'tsc_files'" },
	{ "kernel=/k\nkernel_sha256=" D1 "\ntsc_files=18446744073709551616\n",
	  "line 3: bad value of 'tsc_files'" },
	{ "kernel=/k\nkernel_sha256=" D1 "\ntsc_start=1\n",
	  "line 3: unknown key 'tsc_start'" },
};

START_TEST(tc_rec_parse)
{
	struct mint_image_rec r;
	char why[256] = "";
	int ret = mint_image_rec_parse(parse_cases[_i].text, &r, why,
				       sizeof(why));

	if (!parse_cases[_i].why) {
		ck_assert_msg(!ret, "%s", why);
		ck_assert_str_eq(r.kernel, "/k");
		return;
	}
	ck_assert_int_eq(ret, -EINVAL);
	ck_assert_msg(strstr(why, parse_cases[_i].why), "why '%s'", why);
}
END_TEST

START_TEST(tc_rec_too_long)
{
	char text[MINT_IMAGE_CMDLINE_MAX + 200], why[256] = "";
	struct mint_image_rec r;
	int n;

	n = snprintf(text, sizeof(text),
		     "kernel=/k\nkernel_sha256=%s\n"
		     "cmdline=",
		     D1);
	memset(text + n, 'x', MINT_IMAGE_CMDLINE_MAX + 1);
	text[n + MINT_IMAGE_CMDLINE_MAX + 1] = 0;
	ck_assert_int_eq(mint_image_rec_parse(text, &r, why, sizeof(why)),
			 -EINVAL);
	ck_assert_msg(strstr(why, "too long a value of 'cmdline'"), "%s", why);
}
END_TEST

START_TEST(tc_rec_applies)
{
	static const char *const yes[] = { "loaded",  "starting", "booting",
					   "running", "halted",	  "panic",
					   "hung" };
	static const char *const no[] = { "offline", "stopped", "", "load" };
	unsigned int i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		ck_assert_msg(mint_image_rec_applies(yes[i]), "%s", yes[i]);
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		ck_assert_msg(!mint_image_rec_applies(no[i]), "%s", no[i]);
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

int main(void)
{
	Suite *s = suite_create("image");
	TCase *tc = tcase_create("image");
	SRunner *sr;
	int nf;

	tcase_add_loop_test(tc, tc_sha256, 0, N(sha_cases));
	tcase_add_test(tc, tc_sha256_million);
	tcase_add_test(tc, tc_rec_round_trip);
	tcase_add_test(tc, tc_rec_tsc);
	tcase_add_test(tc, tc_rec_newline_refused);
	tcase_add_loop_test(tc, tc_rec_parse, 0, N(parse_cases));
	tcase_add_test(tc, tc_rec_too_long);
	tcase_add_test(tc, tc_rec_applies);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf ? EXIT_FAILURE : EXIT_SUCCESS;
}
