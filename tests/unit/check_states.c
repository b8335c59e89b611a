// SPDX-License-Identifier: GPL-2.0
/* Node states from the ABI contract: names, classes, joined lists. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "states.h"

START_TEST(tc_names_round_trip)
{
	int i;

	for (i = 0; i < MINT_STATE_COUNT; i++) {
		ck_assert_ptr_nonnull(mint_state_names[i]);
		ck_assert_int_eq(mint_state_parse(mint_state_names[i]), i);
	}
	ck_assert_ptr_null(mint_state_names[MINT_STATE_COUNT]);
	ck_assert_int_eq(mint_state_parse("released"), -1);
	ck_assert_int_eq(mint_state_parse(""), -1);
	ck_assert_int_eq(mint_state_parse("running "), -1);
}
END_TEST

START_TEST(tc_classes)
{
	static const char *const holds[] = { "starting", "booting", "running",
					     "halted",	 "panic",   "hung",
					     "failed" };
	static const char *const free_[] = { "offline", "loaded", "stopped",
					     "bogus" };
	unsigned int i;

	for (i = 0; i < sizeof(holds) / sizeof(holds[0]); i++)
		ck_assert_msg(mint_state_holds_cpus(holds[i]), "%s", holds[i]);
	for (i = 0; i < sizeof(free_) / sizeof(free_[0]); i++)
		ck_assert_msg(!mint_state_holds_cpus(free_[i]), "%s", free_[i]);
	ck_assert(mint_state_failed("halted") && mint_state_failed("panic") &&
		  mint_state_failed("hung") && mint_state_failed("failed"));
	ck_assert(!mint_state_failed("running") &&
		  !mint_state_failed("stopped") &&
		  !mint_state_failed("starting"));
	ck_assert(mint_state_is("failed", MINT_STATE_FAILED));
	ck_assert(!mint_state_is("stopped", MINT_STATE_FAILED));
}
END_TEST

START_TEST(tc_join)
{
	char buf[256];
	size_t n;

	n = mint_state_join(MINT_STATES_ALL, ", ", " or ", buf, sizeof(buf));
	ck_assert_str_eq(buf, "offline, loaded, starting, booting, running, "
			      "halted, panic, hung, stopped or failed");
	ck_assert_uint_eq(n, strlen(buf));
	mint_state_join(MINT_STATE_BIT(MINT_STATE_RUNNING) | MINT_STATES_FAILED,
			" ", " ", buf, sizeof(buf));
	ck_assert_str_eq(buf, "running halted panic hung failed");
	mint_state_join(MINT_STATE_BIT(MINT_STATE_HUNG), ", ", " or ", buf,
			sizeof(buf));
	ck_assert_str_eq(buf, "hung");
	mint_state_join(0, ", ", " or ", buf, sizeof(buf));
	ck_assert_str_eq(buf, "");
	/* truncated, still terminated; the length needed is returned */
	n = mint_state_join(MINT_STATES_ALL, ", ", " or ", buf, 10);
	ck_assert_str_eq(buf, "offline, ");
	ck_assert_uint_gt(n, 60);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("states");
	TCase *tc = tcase_create("states");
	SRunner *sr;
	int nf;

	tcase_add_test(tc, tc_names_round_trip);
	tcase_add_test(tc, tc_classes);
	tcase_add_test(tc, tc_join);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf ? EXIT_FAILURE : EXIT_SUCCESS;
}
