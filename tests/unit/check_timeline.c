// SPDX-License-Identifier: GPL-2.0
/* A node start's timeline: names, the kernel's file, times, checks, output. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "timeline.h"

#define KHZ 2000000ULL /* 2 GHz: 2000000 ticks a millisecond */

/* The kernel's file for stamps @v (MINT_PHASE_COUNT of them). */
static void kernel_text(const uint64_t *v, char *out, size_t len)
{
	size_t n = 0;
	int i;

	out[0] = 0;
	for (i = 0; i < MINT_PHASE_COUNT; i++)
		n += snprintf(out + n, len - n, "%s %llu\n",
			      mint_timeline_name(MINT_TL_KERNEL + i),
			      (unsigned long long)v[i]);
}

/* Every phase 1 ms after the one before, from @base on; the user space
 * phases (init, agent, vms) not reached. */
static void fill(struct mint_timeline *t, uint64_t base)
{
	unsigned int i;

	memset(t, 0, sizeof(*t));
	t->tsc_khz = KHZ;
	for (i = 0; i < MINT_TL_PHASE(MINT_PHASE_INIT); i++)
		t->tsc[i] = base + i * KHZ;
}

START_TEST(tc_names)
{
	static const char *const want[] = {
		"mintctl",   "files",	     "load",	     "checked",
		"copied",    "start",	     "cpus-off",     "sipi",
		"entry",     "decompressed", "start-kernel", "smp-up",
		"initcalls", "init",	     "agent",	     "vms",
	};
	unsigned int i;

	ck_assert_int_eq(MINT_TL_COUNT, 16);
	for (i = 0; i < MINT_TL_COUNT; i++) {
		ck_assert_str_eq(mint_timeline_name(i), want[i]);
		ck_assert_int_eq(mint_timeline_index(want[i]), (int)i);
		ck_assert_ptr_nonnull(mint_timeline_desc(i));
		ck_assert_uint_gt(strlen(mint_timeline_desc(i)), 10);
	}
	ck_assert_ptr_null(mint_timeline_name(MINT_TL_COUNT));
	ck_assert_ptr_null(mint_timeline_desc(MINT_TL_COUNT));
	ck_assert_int_eq(mint_timeline_index("bogus"), -1);
	ck_assert_int_eq(mint_timeline_index(""), -1);
	ck_assert_int_eq(MINT_TL_PHASE(MINT_PHASE_INITCALLS),
			 mint_timeline_index("initcalls"));
}
END_TEST

START_TEST(tc_tsc_parse)
{
	uint64_t v = 7;

	ck_assert_int_eq(mint_tsc_parse("0", 1, &v), 0);
	ck_assert_uint_eq(v, 0);
	ck_assert_int_eq(mint_tsc_parse("18446744073709551615", 20, &v), 0);
	ck_assert_uint_eq(v, UINT64_MAX);
	ck_assert_int_eq(mint_tsc_parse("18446744073709551616", 20, &v),
			 -EINVAL);
	ck_assert_int_eq(mint_tsc_parse("", 0, &v), -EINVAL);
	ck_assert_int_eq(mint_tsc_parse("0x10", 4, &v), -EINVAL);
	ck_assert_int_eq(mint_tsc_parse("-1", 2, &v), -EINVAL);
	ck_assert_int_eq(mint_tsc_parse(" 1", 2, &v), -EINVAL);
	/* only @len bytes count */
	ck_assert_int_eq(mint_tsc_parse("12x", 2, &v), 0);
	ck_assert_uint_eq(v, 12);
}
END_TEST

START_TEST(tc_parse_good)
{
	uint64_t v[MINT_PHASE_COUNT] = { 0 };
	struct mint_timeline t;
	char text[1024], why[256] = "";
	int i;

	for (i = 0; i < MINT_PHASE_COUNT; i++)
		v[i] = i < MINT_PHASE_INIT ? 1000 + (uint64_t)i : 0;
	kernel_text(v, text, sizeof(text));
	memset(&t, 0, sizeof(t));
	t.tsc[MINT_TL_MINTCTL] = 5;
	t.tsc[MINT_TL_FILES] = 6;
	t.tsc_khz = 9;
	ck_assert_msg(!mint_timeline_parse(text, &t, why, sizeof(why)), "%s",
		      why);
	for (i = 0; i < MINT_PHASE_COUNT; i++)
		ck_assert_uint_eq(t.tsc[MINT_TL_PHASE(i)], v[i]);
	/* mintctl's stamps and the rate are left alone */
	ck_assert_uint_eq(t.tsc[MINT_TL_MINTCTL], 5);
	ck_assert_uint_eq(t.tsc[MINT_TL_FILES], 6);
	ck_assert_uint_eq(t.tsc_khz, 9);
	/* without its last newline, as mintctl's reads leave it */
	text[strlen(text) - 1] = 0;
	memset(&t, 0, sizeof(t));
	ck_assert_msg(!mint_timeline_parse(text, &t, why, sizeof(why)), "%s",
		      why);
	ck_assert_uint_eq(t.tsc[MINT_TL_PHASE(MINT_PHASE_SMP_UP)], 1009);
}
END_TEST

static const struct {
	const char *text;
	const char *why;
} bad_cases[] = {
	{ "", "0 lines, not 14: no line of 'load'" },
	{ "load 1\n", "1 lines, not 14: no line of 'checked'" },
	{ "load 1\nchecked\n", "line 2: not 'PHASE TSC': 'checked'" },
	{ "load 1\nloaded 2\n", "line 2: unknown phase 'loaded'" },
	{ "load 1\nmintctl 2\n", "line 2: unknown phase 'mintctl'" },
	{ "load 1\ncopied 2\n", "line 2: 'copied' where 'checked' belongs" },
	{ "load 0x10\n", "line 1: '0x10' is not a TSC value of 'load'" },
	{ "load -1\n", "line 1: '-1' is not a TSC value of 'load'" },
	{ "load \n", "line 1: '' is not a TSC value of 'load'" },
	{ "load 1 2\n", "line 1: '1 2' is not a TSC value of 'load'" },
	{ "load 99999999999999999999\n", "is not a TSC value of 'load'" },
	{ "\nload 1\n", "line 1: not 'PHASE TSC': ''" },
};

START_TEST(tc_parse_bad)
{
	struct mint_timeline t;
	char why[256] = "";

	memset(&t, 0, sizeof(t));
	ck_assert_int_eq(
		mint_timeline_parse(bad_cases[_i].text, &t, why, sizeof(why)),
		-EINVAL);
	ck_assert_msg(strstr(why, bad_cases[_i].why), "why '%s', want '%s'",
		      why, bad_cases[_i].why);
	/* the struct is left as it was */
	ck_assert_uint_eq(t.tsc[MINT_TL_KERNEL], 0);
}
END_TEST

/* Whole files: one line too many, an empty line after the last. */
START_TEST(tc_parse_extra_lines)
{
	uint64_t v[MINT_PHASE_COUNT] = { 1, 2, 3 };
	struct mint_timeline t;
	char text[1024], more[1100], why[256] = "";

	kernel_text(v, text, sizeof(text));
	memset(&t, 0, sizeof(t));
	snprintf(more, sizeof(more), "%sextra 1\n", text);
	ck_assert_int_eq(mint_timeline_parse(more, &t, why, sizeof(why)),
			 -EINVAL);
	ck_assert_str_eq(why, "more than 14 lines: 'extra 1'");
	snprintf(more, sizeof(more), "%s\n", text);
	ck_assert_int_eq(mint_timeline_parse(more, &t, why, sizeof(why)),
			 -EINVAL);
	ck_assert_str_eq(why, "more than 14 lines: ''");
	ck_assert_uint_eq(t.tsc[MINT_TL_KERNEL], 0);
	/* a NULL why is allowed */
	ck_assert_int_eq(mint_timeline_parse(more, &t, NULL, 0), -EINVAL);
}
END_TEST

START_TEST(tc_ms)
{
	struct mint_timeline t;
	unsigned int i;

	fill(&t, 1000000);
	ck_assert_int_eq(mint_timeline_origin(&t), MINT_TL_MINTCTL);
	for (i = 0; i < MINT_TL_PHASE(MINT_PHASE_INIT); i++)
		ck_assert_double_eq_tol(mint_timeline_ms(&t, i), (double)i,
					1e-9);
	ck_assert(mint_timeline_ms(&t, MINT_TL_PHASE(MINT_PHASE_VMS)) < 0);
	ck_assert(mint_timeline_ms(&t, MINT_TL_COUNT) < 0);
	/* half a millisecond, and 1.5 s */
	t.tsc[MINT_TL_FILES] = t.tsc[MINT_TL_MINTCTL] + KHZ / 2;
	ck_assert_double_eq_tol(mint_timeline_ms(&t, MINT_TL_FILES), 0.5, 1e-9);
	t.tsc[MINT_TL_PHASE(MINT_PHASE_VMS)] =
		t.tsc[MINT_TL_MINTCTL] + 1500 * KHZ;
	ck_assert_double_eq_tol(
		mint_timeline_ms(&t, MINT_TL_PHASE(MINT_PHASE_VMS)), 1500.0,
		1e-9);
	ck_assert_double_eq_tol(
		mint_timeline_span_ms(&t, MINT_TL_FILES,
				      MINT_TL_PHASE(MINT_PHASE_VMS)),
		1499.5, 1e-9);
	ck_assert(mint_timeline_span_ms(&t, MINT_TL_PHASE(MINT_PHASE_VMS),
					MINT_TL_FILES) < 0);
	ck_assert(mint_timeline_span_ms(&t, MINT_TL_MINTCTL,
					MINT_TL_PHASE(MINT_PHASE_AGENT)) < 0);
	/* no rate, no times */
	t.tsc_khz = 0;
	ck_assert(mint_timeline_ms(&t, MINT_TL_FILES) < 0);
	ck_assert(mint_timeline_span_ms(&t, MINT_TL_MINTCTL, MINT_TL_FILES) <
		  0);
	/* nothing stamped */
	memset(&t, 0, sizeof(t));
	t.tsc_khz = KHZ;
	ck_assert_int_eq(mint_timeline_origin(&t), -1);
	ck_assert(mint_timeline_ms(&t, MINT_TL_MINTCTL) < 0);
}
END_TEST

/* Without mintctl's stamps (a load by another tool): the kernel's load is
 * the origin. */
START_TEST(tc_origin_kernel)
{
	struct mint_timeline t;

	fill(&t, 1000000);
	t.tsc[MINT_TL_MINTCTL] = t.tsc[MINT_TL_FILES] = 0;
	ck_assert_int_eq(mint_timeline_origin(&t),
			 MINT_TL_PHASE(MINT_PHASE_LOAD));
	ck_assert_double_eq_tol(
		mint_timeline_ms(&t, MINT_TL_PHASE(MINT_PHASE_LOAD)), 0.0,
		1e-9);
	ck_assert_double_eq_tol(
		mint_timeline_ms(&t, MINT_TL_PHASE(MINT_PHASE_SIPI)), 5.0,
		1e-9);
	ck_assert(mint_timeline_ms(&t, MINT_TL_MINTCTL) < 0);
	t.tsc[MINT_TL_FILES] = 1;
	ck_assert_int_eq(mint_timeline_origin(&t), MINT_TL_FILES);
}
END_TEST

START_TEST(tc_check)
{
	struct mint_timeline t;
	char why[256] = "";

	fill(&t, 1000000);
	ck_assert_msg(!mint_timeline_check(&t,
					   MINT_TL_PHASE(MINT_PHASE_INITCALLS),
					   why, sizeof(why)),
		      "%s", why);
	/* mintctl's own stamps are not required */
	t.tsc[MINT_TL_MINTCTL] = t.tsc[MINT_TL_FILES] = 0;
	ck_assert_int_eq(
		mint_timeline_check(&t, MINT_TL_FILES, why, sizeof(why)), 0);
	ck_assert_int_eq(
		mint_timeline_check(&t, MINT_TL_PHASE(MINT_PHASE_INITCALLS),
				    why, sizeof(why)),
		0);
	/* a missing phase */
	ck_assert_int_eq(mint_timeline_check(&t,
					     MINT_TL_PHASE(MINT_PHASE_AGENT),
					     why, sizeof(why)),
			 -ENOENT);
	ck_assert_str_eq(why, "'init' not reached (node: its init started)");
	fill(&t, 1000000);
	t.tsc[MINT_TL_PHASE(MINT_PHASE_ENTRY)] = 0;
	ck_assert_int_eq(mint_timeline_check(&t, MINT_TL_PHASE(MINT_PHASE_SIPI),
					     why, sizeof(why)),
			 0);
	ck_assert_int_eq(mint_timeline_check(&t,
					     MINT_TL_PHASE(MINT_PHASE_SMP_UP),
					     why, sizeof(why)),
			 -ENOENT);
	ck_assert_ptr_nonnull(strstr(why, "'entry' not reached"));
	/* the last phase asked for is required too */
	ck_assert_int_eq(mint_timeline_check(&t,
					     MINT_TL_PHASE(MINT_PHASE_ENTRY),
					     why, sizeof(why)),
			 -ENOENT);
	/* an out-of-order pair, across a phase not reached */
	fill(&t, 1000000);
	t.tsc[MINT_TL_PHASE(MINT_PHASE_SIPI)] = 0;
	t.tsc[MINT_TL_PHASE(MINT_PHASE_ENTRY)] = 1000000 + KHZ;
	ck_assert_int_eq(
		mint_timeline_check(&t, MINT_TL_FILES, why, sizeof(why)),
		-ERANGE);
	ck_assert_str_eq(why, "'entry' (TSC 3000000) is stamped before "
			      "'cpus-off' (TSC 13000000), an earlier phase");
	ck_assert_int_eq(
		mint_timeline_check(&t, MINT_TL_COUNT, why, sizeof(why)),
		-EINVAL);
	/* equal stamps are in order */
	fill(&t, 1000000);
	t.tsc[MINT_TL_FILES] = t.tsc[MINT_TL_MINTCTL];
	ck_assert_int_eq(mint_timeline_check(&t, MINT_TL_FILES, NULL, 0), 0);
}
END_TEST

START_TEST(tc_table)
{
	struct mint_timeline t;
	struct mint_buf b;
	char line[256];

	fill(&t, 1000000);
	t.tsc[MINT_TL_FILES] = t.tsc[MINT_TL_MINTCTL] + 2 * KHZ + KHZ / 4;
	/* entry stamped 0.5 ms before sipi */
	t.tsc[MINT_TL_PHASE(MINT_PHASE_ENTRY)] =
		t.tsc[MINT_TL_PHASE(MINT_PHASE_SIPI)] - KHZ / 2;
	mint_buf_init(&b);
	ck_assert_int_eq(mint_timeline_table(&t, &b), 0);
	ck_assert_ptr_nonnull(
		strstr(b.data, "PHASE             AT MS    TOOK MS  WHAT\n"));
	ck_assert_ptr_nonnull(strstr(
		b.data, "mintctl            0.00          -  mintctl began "));
	ck_assert_ptr_nonnull(strstr(b.data, "files              2.25       "
					     "2.25  mintctl: kernel and initrd "
					     "read, image composed\n"));
	ck_assert_ptr_nonnull(strstr(b.data, "load               2.00      "
					     "-0.25  node0: kexec_load(2) "
					     "entered (before the phase "
					     "above)\n"));
	ck_assert_ptr_nonnull(strstr(b.data, "checked            3.00       "
					     "1.00  "));
	snprintf(line, sizeof(line),
		 "entry              %.2f      -0.50  "
		 "trampoline: jumps to the node kernel's "
		 "entry (before the phase above)\n",
		 6.5);
	ck_assert_msg(strstr(b.data, line), "%s", b.data);
	/* the phase after it: since entry, not since sipi */
	ck_assert_ptr_nonnull(strstr(b.data, "decompressed       9.00       "
					     "2.50  "));
	ck_assert_ptr_nonnull(strstr(b.data, "init                  -          "
					     "-  node: its init started\n"));
	ck_assert_ptr_nonnull(strstr(b.data, "\nvms                   -      "
					     "    -  "));
	/* 1 header + 16 phases */
	{
		const char *p;
		int lines = 0;

		for (p = b.data; *p; p++)
			lines += *p == '\n';
		ck_assert_int_eq(lines, 1 + MINT_TL_COUNT);
	}
	mint_buf_free(&b);
	/* no rate: stamps shown as '?' */
	t.tsc_khz = 0;
	mint_buf_init(&b);
	ck_assert_int_eq(mint_timeline_table(&t, &b), 0);
	ck_assert_ptr_nonnull(strstr(b.data, "\nmintctl               ?  "));
	mint_buf_free(&b);
}
END_TEST

START_TEST(tc_json)
{
	struct mint_timeline t;
	struct mint_buf b;

	/* mintctl not stamped: files is the origin */
	fill(&t, 10 * KHZ);
	t.tsc[MINT_TL_MINTCTL] = 0;
	mint_buf_init(&b);
	ck_assert_int_eq(mint_timeline_json(&t, &b), 0);
	ck_assert_msg(strstr(b.data, "{\"tsc_khz\": 2000000, \"origin\": "
				     "\"files\", \"phases\": [{\"phase\": "
				     "\"mintctl\", \"tsc\": null, \"ms\": "
				     "null}, {\"phase\": \"files\", \"tsc\": "
				     "22000000, \"ms\": 0.000}, ") == b.data,
		      "%s", b.data);
	ck_assert_ptr_nonnull(strstr(b.data, "{\"phase\": \"load\", \"tsc\": "
					     "24000000, \"ms\": 1.000}"));
	ck_assert_ptr_nonnull(strstr(b.data, "{\"phase\": \"initcalls\", "
					     "\"tsc\": 44000000, \"ms\": "
					     "11.000}, "));
	ck_assert_ptr_nonnull(strstr(b.data, "{\"phase\": \"vms\", \"tsc\": "
					     "null, \"ms\": null}]}"));
	ck_assert_ptr_null(strchr(b.data, '\n'));
	mint_buf_free(&b);
	/* a stamp before the origin: negative */
	fill(&t, 10 * KHZ);
	t.tsc[MINT_TL_FILES] = 9 * KHZ;
	mint_buf_init(&b);
	ck_assert_int_eq(mint_timeline_json(&t, &b), 0);
	ck_assert_ptr_nonnull(strstr(b.data, "{\"phase\": \"files\", \"tsc\": "
					     "18000000, \"ms\": -1.000}"));
	mint_buf_free(&b);
	/* nothing stamped, no rate */
	memset(&t, 0, sizeof(t));
	mint_buf_init(&b);
	ck_assert_int_eq(mint_timeline_json(&t, &b), 0);
	ck_assert_ptr_nonnull(
		strstr(b.data, "{\"tsc_khz\": 0, \"origin\": null, "
			       "\"phases\": [{\"phase\": \"mintctl\", \"tsc\": "
			       "null, \"ms\": null}, "));
	mint_buf_free(&b);
	t.tsc[MINT_TL_PHASE(MINT_PHASE_LOAD)] = 77;
	mint_buf_init(&b);
	ck_assert_int_eq(mint_timeline_json(&t, &b), 0);
	ck_assert_ptr_nonnull(strstr(b.data, "\"origin\": \"load\""));
	ck_assert_ptr_nonnull(strstr(b.data, "{\"phase\": \"load\", \"tsc\": "
					     "77, \"ms\": null}"));
	mint_buf_free(&b);
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

int main(void)
{
	Suite *s = suite_create("timeline");
	TCase *tc = tcase_create("timeline");
	SRunner *sr;
	int nf;

	tcase_add_test(tc, tc_names);
	tcase_add_test(tc, tc_tsc_parse);
	tcase_add_test(tc, tc_parse_good);
	tcase_add_loop_test(tc, tc_parse_bad, 0, N(bad_cases));
	tcase_add_test(tc, tc_parse_extra_lines);
	tcase_add_test(tc, tc_ms);
	tcase_add_test(tc, tc_origin_kernel);
	tcase_add_test(tc, tc_check);
	tcase_add_test(tc, tc_table);
	tcase_add_test(tc, tc_json);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf ? EXIT_FAILURE : EXIT_SUCCESS;
}
