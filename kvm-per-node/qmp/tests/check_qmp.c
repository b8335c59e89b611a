// SPDX-License-Identifier: GPL-2.0
/* Check unit tests of mint-qmp's JSON and QMP helpers (qmp.c). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "qmp.h"

static const char migrate[] =
	"{\"return\": {\"status\": \"active\", \"setup-time\": 3, "
	"\"ram\": {\"total\": 268435456, \"remaining\": 1024, "
	"\"mbps\": 81.5, \"transferred\": 4096}, \"error-desc\": "
	"\"a \\\"quoted\\\" \\\\ word\\n\", \"blocked\": false, "
	"\"list\": [1, {\"a\": [2]}, \"x]\"]}}";

START_TEST(span_of_values)
{
	ck_assert_uint_eq(qmp_json_span("{}", 10), 2);
	ck_assert_uint_eq(qmp_json_span("  {} tail", 10), 4);
	ck_assert_uint_eq(qmp_json_span("[1, 2]", 10), 6);
	ck_assert_uint_eq(qmp_json_span("\"a\\\"b\"", 10), 6);
	ck_assert_uint_eq(qmp_json_span("-12.5e3,", 10), 7);
	ck_assert_uint_eq(qmp_json_span("true", 10), 4);
	ck_assert_uint_eq(qmp_json_span(migrate, sizeof(migrate)),
			  strlen(migrate));
}
END_TEST

START_TEST(span_refuses_malformed)
{
	static const char *const bad[] = {
		"",
		"{",
		"{\"a\"}",
		"{\"a\": }",
		"{\"a\" 1}",
		"{a: 1}",
		"[1,]x",
		"[1 2]",
		"\"open",
		"{\"a\": 1,}",
		"tru",
		"{\"a\":\"\x01\"}",
		"-",
		"}",
		"[1, {\"a\": 2]}",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(qmp_json_span(bad[i], strlen(bad[i]) + 1) == 0,
			      "'%s' spanned", bad[i]);
}
END_TEST

START_TEST(span_stops_at_n_and_depth)
{
	char deep[200];

	ck_assert_uint_eq(qmp_json_span("{\"a\": 1}", 5), 0);
	memset(deep, '[', 100);
	memset(deep + 100, ']', 99);
	deep[199] = 0;
	/* 100 levels: deeper than the parser goes */
	ck_assert_uint_eq(qmp_json_span(deep, sizeof(deep)), 0);
}
END_TEST

START_TEST(get_paths)
{
	char out[256];

	ck_assert_int_eq(
		qmp_json_get(migrate, "return.status", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "active");
	ck_assert_int_eq(qmp_json_get(migrate, "return.ram.transferred", out,
				      sizeof(out)),
			 0);
	ck_assert_str_eq(out, "4096");
	ck_assert_int_eq(
		qmp_json_get(migrate, "return.ram.mbps", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "81.5");
	ck_assert_int_eq(
		qmp_json_get(migrate, "return.blocked", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "false");
	ck_assert_int_eq(
		qmp_json_get(migrate, "return.error-desc", out, sizeof(out)),
		0);
	ck_assert_str_eq(out, "a \"quoted\" \\ word\n");
	ck_assert_int_eq(qmp_json_get(migrate, "return.list", out, sizeof(out)),
			 0);
	ck_assert_str_eq(out, "[1, {\"a\": [2]}, \"x]\"]");
	ck_assert_int_eq(qmp_json_get("{\"a\": {}}", "a", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "{}");
}
END_TEST

START_TEST(get_misses)
{
	char out[8];

	ck_assert_int_eq(
		qmp_json_get(migrate, "return.nothing", out, sizeof(out)), -1);
	/* a prefix of a key is not the key */
	ck_assert_int_eq(qmp_json_get(migrate, "return.ra", out, sizeof(out)),
			 -1);
	/* into a scalar */
	ck_assert_int_eq(
		qmp_json_get(migrate, "return.status.x", out, sizeof(out)), -1);
	/* too long for out */
	ck_assert_int_eq(
		qmp_json_get(migrate, "return.ram.total", out, sizeof(out)),
		-1);
	ck_assert_int_eq(qmp_json_get("{\"a\": 1", "a", out, sizeof(out)), -1);
	ck_assert_int_eq(
		qmp_json_get("{\"a\": \"\\u0041\"}", "a", out, sizeof(out)),
		-1);
	ck_assert_int_eq(qmp_json_get("[1]", "a", out, sizeof(out)), -1);
}
END_TEST

START_TEST(kinds)
{
	ck_assert_int_eq(qmp_kind("{\"QMP\": {\"version\": {}, "
				  "\"capabilities\": []}}"),
			 QMP_GREETING);
	ck_assert_int_eq(qmp_kind("{\"return\": {}}"), QMP_RETURN);
	ck_assert_int_eq(qmp_kind("{\"id\": 1, \"return\": []}"), QMP_RETURN);
	ck_assert_int_eq(qmp_kind("{\"error\": {\"class\": \"GenericError\", "
				  "\"desc\": \"no\"}}"),
			 QMP_ERROR);
	ck_assert_int_eq(qmp_kind("{\"timestamp\": {\"seconds\": 1, "
				  "\"microseconds\": 2}, \"event\": \"STOP\"}"),
			 QMP_EVENT);
	ck_assert_int_eq(qmp_kind("{\"other\": 1}"), QMP_OTHER);
	ck_assert_int_eq(qmp_kind("[1]"), QMP_BAD);
	ck_assert_int_eq(qmp_kind("{\"return\": "), QMP_BAD);
	/* a key inside a value is not a top-level key */
	ck_assert_int_eq(qmp_kind("{\"data\": {\"return\": 1}}"), QMP_OTHER);
}
END_TEST

START_TEST(commands)
{
	char out[128];

	ck_assert_int_eq(qmp_command("query-status", NULL, out, sizeof(out)),
			 0);
	ck_assert_str_eq(out, "{\"execute\": \"query-status\"}\n");
	ck_assert_int_eq(qmp_command("migrate", " {\"uri\": \"tcp:a:1\"} ", out,
				     sizeof(out)),
			 0);
	ck_assert_str_eq(out, "{\"execute\": \"migrate\", \"arguments\": "
			      "{\"uri\": \"tcp:a:1\"}}\n");
	ck_assert_int_eq(qmp_command("a\"b", NULL, out, sizeof(out)), -1);
	ck_assert_int_eq(qmp_command("", NULL, out, sizeof(out)), -1);
	ck_assert_int_eq(qmp_command("x", "[1]", out, sizeof(out)), -1);
	ck_assert_int_eq(qmp_command("x", "{} {}", out, sizeof(out)), -1);
	ck_assert_int_eq(qmp_command("x", "{\"a\": ", out, sizeof(out)), -1);
	ck_assert_int_eq(qmp_command("x", NULL, out, 10), -1);
}
END_TEST

static Suite *qmp_suite(void)
{
	Suite *s = suite_create("qmp");
	TCase *tc = tcase_create("json");

	tcase_add_test(tc, span_of_values);
	tcase_add_test(tc, span_refuses_malformed);
	tcase_add_test(tc, span_stops_at_n_and_depth);
	tcase_add_test(tc, get_paths);
	tcase_add_test(tc, get_misses);
	suite_add_tcase(s, tc);
	tc = tcase_create("qmp");
	tcase_add_test(tc, kinds);
	tcase_add_test(tc, commands);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(qmp_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
