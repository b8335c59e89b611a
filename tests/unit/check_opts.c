// SPDX-License-Identifier: GPL-2.0
/* mintctl's option tables: getopt_long's arrays, --help's flags, hints. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

/* mintctl is not a library: its pure option code is compiled in here */
#include "../../partitioner/mintctl/opts.c"

static const char *const colours[] = { "red", "green", NULL };

static const struct cli_opt opts[] = {
	CLI_SWITCH('a', "all", "every one"),
	CLI_VALUE('c', "config", CLI_ARG_FILE, "FILE", "the file"),
	CLI_SWITCH(OPT_JSON, "json", "as JSON"),
	CLI_VALUE('t', "timeout", CLI_ARG_NUMBER, "SECONDS", "how long"),
	CLI_WORDS(OPT_FORMAT, "format", "COLOUR", colours, "which one"),
	CLI_OPT_END
};

START_TEST(tc_getopt)
{
	struct cli_getopt_tab g;

	cli_getopt_init(&g, opts);
	/* ':' first; only the options below 0x100 have a short form */
	ck_assert_str_eq(g.shortopts, ":ac:t:");
	ck_assert_str_eq(g.longopts[0].name, "all");
	ck_assert_int_eq(g.longopts[0].has_arg, no_argument);
	ck_assert_int_eq(g.longopts[0].val, 'a');
	ck_assert_int_eq(g.longopts[1].has_arg, required_argument);
	ck_assert_int_eq(g.longopts[2].val, OPT_JSON);
	ck_assert_int_eq(g.longopts[4].has_arg, required_argument);
	ck_assert_int_eq(g.longopts[4].val, OPT_FORMAT);
	ck_assert_ptr_null(g.longopts[5].name);
	ck_assert_ptr_null(g.longopts[5].flag);
	cli_getopt_init(&g, NULL);
	ck_assert_str_eq(g.shortopts, ":");
	ck_assert_ptr_null(g.longopts[0].name);
}
END_TEST

static const struct {
	int i;
	const char *flags;
} flag_cases[] = {
	{ 0, "-a, --all" },	  { 1, "-c, --config=FILE" },
	{ 2, "--json" },	  { 3, "-t, --timeout=SECONDS" },
	{ 4, "--format=COLOUR" },
};

START_TEST(tc_flags)
{
	char out[64];

	cli_opt_flags(&opts[flag_cases[_i].i], out, sizeof(out));
	ck_assert_str_eq(out, flag_cases[_i].flags);
}
END_TEST

START_TEST(tc_find)
{
	ck_assert_ptr_eq(cli_opt_find(opts, "json"), &opts[2]);
	ck_assert_ptr_null(cli_opt_find(opts, "jso"));
	ck_assert_ptr_null(cli_opt_find(NULL, "json"));
}
END_TEST

static const struct {
	const char *arg;
	bool close, exact;
	const char *hint;
} hint_cases[] = {
	{ "--confg", true, false, "--config" },
	{ "--timout=5", true, false, "--timeout" },
	{ "--hepl", true, false, "--help" }, /* every command's --help */
	{ "--all=yes", true, true, "--all" }, /* a value it does not take */
	{ "--frmat=red", true, false, "--format" },
	{ "--zzzzzzzz", false, false, "" },
	{ "-x", false, false, "" }, /* short options get no hint */
	{ "--", false, false, "" },
	{ "--=1", false, false, "" },
};

START_TEST(tc_hint)
{
	char out[64] = "";
	bool exact = true;
	bool close = cli_option_hint(hint_cases[_i].arg, opts, out, sizeof(out),
				     &exact);

	ck_assert_msg(close == hint_cases[_i].close, "%s: %d",
		      hint_cases[_i].arg, close);
	if (!close)
		return;
	ck_assert_str_eq(out, hint_cases[_i].hint);
	ck_assert_int_eq(exact, hint_cases[_i].exact);
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

int main(void)
{
	Suite *s = suite_create("opts");
	TCase *tc = tcase_create("opts");
	SRunner *sr;
	int nf;

	tcase_add_test(tc, tc_getopt);
	tcase_add_loop_test(tc, tc_flags, 0, N(flag_cases));
	tcase_add_test(tc, tc_find);
	tcase_add_loop_test(tc, tc_hint, 0, N(hint_cases));
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf ? EXIT_FAILURE : EXIT_SUCCESS;
}
