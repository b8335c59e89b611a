// SPDX-License-Identifier: GPL-2.0
/* Number and size parsing: overflow, syntax, suffixes, formatting. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

static const struct {
	const char *in;
	int ret;
	uint64_t val;
} u64_cases[] = {
	{ "0", 0, 0 },
	{ "42", 0, 42 },
	{ "007", 0, 7 }, /* decimal, never octal */
	{ "0x10", 0, 16 },
	{ "0XfF", 0, 255 },
	{ "18446744073709551615", 0, UINT64_MAX },
	{ "18446744073709551616", -ERANGE, 0 },
	{ "99999999999999999999999", -ERANGE, 0 },
	{ "0xffffffffffffffff", 0, UINT64_MAX },
	{ "0x10000000000000000", -ERANGE, 0 },
	{ "", -EINVAL, 0 },
	{ "0x", -EINVAL, 0 },
	{ "-1", -EINVAL, 0 },
	{ "+1", -EINVAL, 0 },
	{ " 1", -EINVAL, 0 },
	{ "1 ", -EINVAL, 0 },
	{ "12a", -EINVAL, 0 },
	{ "0x1g", -EINVAL, 0 },
	{ "1K", -EINVAL, 0 },
};

START_TEST(tc_u64)
{
	uint64_t v = 12345;
	char why[256] = "";
	int ret = mint_parse_u64(u64_cases[_i].in, &v, why, sizeof(why));

	ck_assert_msg(ret == u64_cases[_i].ret, "'%s': ret %d, want %d",
		      u64_cases[_i].in, ret, u64_cases[_i].ret);
	if (!ret)
		ck_assert_uint_eq(v, u64_cases[_i].val);
	else
		ck_assert_msg(strchr(why, ';'), "'%s': why '%s' lacks a hint",
			      u64_cases[_i].in, why);
}
END_TEST

static const struct {
	const char *in;
	int ret;
	uint64_t val;
} size_cases[] = {
	{ "640M", 0, 640ULL << 20 },
	{ "640m", 0, 640ULL << 20 },
	{ "192K", 0, 192ULL << 10 },
	{ "4G", 0, 4ULL << 30 },
	{ "0x10M", 0, 16ULL << 20 },
	{ "4096", 0, 4096 },
	{ "17179869183G", 0, 17179869183ULL << 30 },
	{ "17179869184G", -ERANGE, 0 },
	{ "0x400000000G", -ERANGE, 0 },
	{ "18014398509481983K", 0, 18014398509481983ULL << 10 },
	{ "18014398509481984K", -ERANGE, 0 },
	{ "1T", 0, 1ULL << 40 },
	{ "3t", 0, 3ULL << 40 },
	{ "16777215T", 0, 16777215ULL << 40 },
	{ "16777216T", -ERANGE, 0 }, /* 2^64: never wrapped */
	{ "0x1000000T", -ERANGE, 0 },
	{ "1P", -EINVAL, 0 },
	{ "1TB", -EINVAL, 0 },
	{ "1MB", -EINVAL, 0 },
	{ "1 M", -EINVAL, 0 },
	{ "M", -EINVAL, 0 },
	{ "", -EINVAL, 0 },
	{ "1.5G", -EINVAL, 0 },
};

START_TEST(tc_size)
{
	uint64_t v = 0;
	char why[256] = "";
	int ret = mint_parse_size(size_cases[_i].in, &v, why, sizeof(why));

	ck_assert_msg(ret == size_cases[_i].ret, "'%s': ret %d, want %d (%s)",
		      size_cases[_i].in, ret, size_cases[_i].ret, why);
	if (!ret)
		ck_assert_uint_eq(v, size_cases[_i].val);
}
END_TEST

static const struct {
	uint64_t in;
	const char *out;
} fmt_cases[] = {
	{ 640ULL << 20, "640M" },
	{ 192ULL << 10, "192K" },
	{ 1ULL << 30, "1G" },
	{ 1536ULL << 20, "1536M" },
	{ 4097, "4097" },
	{ 0, "0" },
	{ UINT64_MAX, "18446744073709551615" },
};

START_TEST(tc_format)
{
	char out[32];

	mint_format_size(fmt_cases[_i].in, out, sizeof(out));
	ck_assert_str_eq(out, fmt_cases[_i].out);
}
END_TEST

/* NULL @why is allowed: the sysinfo parsers do not want the text. */
START_TEST(tc_null_why)
{
	uint64_t v;

	ck_assert_int_eq(mint_parse_u64("x", &v, NULL, 0), -EINVAL);
	ck_assert_int_eq(mint_parse_size("1P", &v, NULL, 0), -EINVAL);
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

int main(void)
{
	Suite *s = suite_create("numparse");
	TCase *tc = tcase_create("numparse");
	SRunner *sr;
	int nf;

	tcase_add_loop_test(tc, tc_u64, 0, N(u64_cases));
	tcase_add_loop_test(tc, tc_size, 0, N(size_cases));
	tcase_add_loop_test(tc, tc_format, 0, N(fmt_cases));
	tcase_add_test(tc, tc_null_why);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf ? EXIT_FAILURE : EXIT_SUCCESS;
}
