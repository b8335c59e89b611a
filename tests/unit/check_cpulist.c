// SPDX-License-Identifier: GPL-2.0
/* cpulist and PCI address syntaxes. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

static const struct {
	const char *in;
	uint64_t mask; /* 0: an error is expected */
	const char *why; /* substring of the error */
} cpu_cases[] = {
	{ "2", 1ULL << 2, NULL },
	{ "2-3", 0xc, NULL },
	{ "2-3,5", 0x2c, NULL },
	{ "2-3, 5", 0x2c, NULL },
	{ "1-2,3", 0xe, NULL },
	/* a CPU listed twice is named, never merged silently (issue 17) */
	{ "1-2,2-3", 0, "CPU 2 is listed more than once in '1-2,2-3'" },
	{ "2,2", 0, "CPU 2 is listed more than once" },
	{ "4-6, 5-7", 0, "CPUs 5-6 are listed more than once" },
	{ "2,3,2,3", 0, "CPUs 2-3 are listed more than once" },
	{ "63", 1ULL << 63, NULL },
	{ "0-63", UINT64_MAX, NULL },
	{ "", 0, "empty" },
	{ "  ", 0, "empty" },
	{ "3-2", 0, "descending" },
	{ "64", 0, "out of range" },
	{ "2-64", 0, "out of range" },
	{ "99999999999", 0, "out of range" },
	{ "2,,3", 0, "empty item" },
	{ "2,", 0, "empty item" },
	{ ",2", 0, "empty item" },
	{ "0x2", 0, "not a CPU" },
	{ "2-", 0, "not a CPU" },
	{ "-2", 0, "not a CPU" },
	{ "two", 0, "not a CPU" },
	{ "2 3", 0, "separate CPUs" },
	{ "0-7:2/4", 0, "not a CPU" },
};

START_TEST(tc_cpulist_parse)
{
	uint64_t mask = 0;
	char why[256] = "";
	int ret;

	ret = mint_cpulist_parse(cpu_cases[_i].in, MINT_MAX_CPU_ID, &mask, why,
				 sizeof(why));
	if (cpu_cases[_i].mask) {
		ck_assert_msg(!ret, "'%s': %s", cpu_cases[_i].in, why);
		ck_assert_uint_eq(mask, cpu_cases[_i].mask);
	} else {
		ck_assert_msg(ret, "'%s' was accepted", cpu_cases[_i].in);
		ck_assert_msg(strstr(why, cpu_cases[_i].why), "'%s': '%s'",
			      cpu_cases[_i].in, why);
	}
}
END_TEST

static const struct {
	uint64_t mask;
	const char *out;
} fmt_cases[] = {
	{ 0, "" },
	{ 0x4, "2" },
	{ 0x2c, "2-3,5" },
	{ 0xf0f, "0-3,8-11" },
	{ UINT64_MAX, "0-63" },
	{ 1ULL << 63, "63" },
	{ 0x5, "0,2" },
};

START_TEST(tc_cpulist_format)
{
	char out[128];
	uint64_t back = 0;

	mint_cpulist_format(fmt_cases[_i].mask, out, sizeof(out));
	ck_assert_str_eq(out, fmt_cases[_i].out);
	if (fmt_cases[_i].mask) {
		ck_assert_int_eq(mint_cpulist_parse(out, 63, &back, NULL, 0),
				 0);
		ck_assert_uint_eq(back, fmt_cases[_i].mask);
	}
}
END_TEST

/* sysfs lists may name CPUs beyond 63: accepted, bits above 63 dropped. */
START_TEST(tc_cpulist_sys)
{
	uint64_t mask = 0;

	ck_assert_int_eq(mint_cpulist_parse_sys("0-127", &mask, NULL, 0), 0);
	ck_assert_uint_eq(mask, UINT64_MAX);
	ck_assert_int_eq(mint_cpulist_parse_sys("0-3,70", &mask, NULL, 0), 0);
	ck_assert_uint_eq(mask, 0xf);
	ck_assert_int_ne(mint_cpulist_parse_sys("0-9000", &mask, NULL, 0), 0);
	/* only a config's list must not repeat a CPU */
	ck_assert_int_eq(mint_cpulist_parse_sys("0-3,2", &mask, NULL, 0), 0);
	ck_assert_uint_eq(mask, 0xf);
}
END_TEST

static const struct {
	const char *in;
	const char *out; /* NULL: an error is expected */
} pci_cases[] = {
	{ "0000:00:03.0", "0000:00:03.0" },
	{ "00:03.0", "0000:00:03.0" },
	{ "0000:1F:1f.7", "0000:1f:1f.7" },
	{ "abcd:ef:01.2", "abcd:ef:01.2" },
	{ "0000:00:20.0", NULL },
	{ "0000:00:03.8", NULL },
	{ "00:03", NULL },
	{ "0:00:03.0", NULL },
	{ "0000:0:03.0", NULL },
	{ "0000:00:3.0", NULL },
	{ "0000:00:03.0 ", NULL },
	{ "0000:00:03.00", NULL },
	{ "x000:00:03.0", NULL },
	{ "0000:00:00:03.0", NULL },
	{ "", NULL },
};

START_TEST(tc_pci)
{
	struct mint_pci_addr a;
	char why[256] = "", out[16];
	int ret = mint_pci_parse(pci_cases[_i].in, &a, why, sizeof(why));

	if (!pci_cases[_i].out) {
		ck_assert_msg(ret, "'%s' was accepted", pci_cases[_i].in);
		ck_assert_ptr_nonnull(strchr(why, ';'));
		return;
	}
	ck_assert_msg(!ret, "'%s': %s", pci_cases[_i].in, why);
	mint_pci_format(&a, out, sizeof(out));
	ck_assert_str_eq(out, pci_cases[_i].out);
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

int main(void)
{
	Suite *s = suite_create("cpulist");
	TCase *tc = tcase_create("cpulist");
	SRunner *sr;
	int nf;

	tcase_add_loop_test(tc, tc_cpulist_parse, 0, N(cpu_cases));
	tcase_add_loop_test(tc, tc_cpulist_format, 0, N(fmt_cases));
	tcase_add_test(tc, tc_cpulist_sys);
	tcase_add_loop_test(tc, tc_pci, 0, N(pci_cases));
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf ? EXIT_FAILURE : EXIT_SUCCESS;
}
