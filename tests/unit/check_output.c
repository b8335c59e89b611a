// SPDX-License-Identifier: GPL-2.0
/* bootargs, the resolved config text and JSON. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

static const char demo[] = "[partition]\nversion = 1\nname = demo\n"
			   "[node node1]\ncpus = 2\nmemory = 640M@0x28000000\n"
			   "console = com2\nkernel = /boot/mint/bzImage\n"
			   "[node node2]\ncpus = 3\nmemory = 640M@0x50000000\n"
			   "console = com3\nkernel = /boot/mint/bzImage\n"
			   "[vm guest1]\nnode = node1\nkernel = /v\n"
			   "cmdline = a=\"b\\c\" \xc3\xa9\n";

/* Every key set, each value distinct, so a dropped or crossed field shows. */
static const char every_key[] =
	"[partition]\nversion = 1\nname = every\n"
	"[node n1]\ncpus = 2,62-63\nmemory = 256M@0x20000000\n"
	"memory = 16M@0x40000000\ndevices = 00:03.0,00:1f.7\n"
	"kernel = /nk\ninitrd = /ni\ncmdline = nc\nconsole = com4\n"
	"autostart = yes\n"
	"[vm v1]\nnode = n1\nvcpus = 3\nmemory = 64M\nkernel = /vk\n"
	"initrd = /vi\ncmdline = vc\ndisk = /vd\ncpu_model = host\n"
	"autostart = yes\nrestart = always\n";

static void load(const char *text, struct mint_config *cfg)
{
	struct mint_diags d;

	mint_diags_init(&d);
	mint_config_init(cfg);
	ck_assert_int_eq(mint_config_load(text, strlen(text), cfg, &d), 0);
	mint_diags_free(&d);
}

/* A VM's line in a supervisor's report (mintctl vm). */
START_TEST(tc_vms_report_find)
{
	const char r[] = "guest1 running pid=9 restarts=0\n"
			 "guest10 stopped by-request restarts=2 last=x\n"
			 "g crashed";
	char state[16], detail[64];

	ck_assert_int_eq(mint_vms_report_find(r, "guest1", state, sizeof(state),
					      detail, sizeof(detail)),
			 0);
	ck_assert_str_eq(state, "running");
	ck_assert_str_eq(detail, "pid=9 restarts=0");
	ck_assert_int_eq(mint_vms_report_find(r, "guest10", state,
					      sizeof(state), detail,
					      sizeof(detail)),
			 0);
	ck_assert_str_eq(state, "stopped");
	ck_assert_str_eq(detail, "by-request restarts=2 last=x");
	ck_assert_int_eq(mint_vms_report_find(r, "g", state, sizeof(state),
					      detail, sizeof(detail)),
			 0);
	ck_assert_str_eq(state, "crashed");
	ck_assert_str_eq(detail, "");
	ck_assert_int_eq(mint_vms_report_find(r, "guest", state, sizeof(state),
					      detail, sizeof(detail)),
			 -ENOENT);
	ck_assert_int_eq(mint_vms_report_find("", "g", state, sizeof(state),
					      detail, sizeof(detail)),
			 -ENOENT);
}
END_TEST

static const struct {
	enum mint_bootargs_format fmt;
	const char *want;
} bootargs_cases[] = {
	{ MINT_BOOTARGS_PLAIN, "memmap=640M$0x28000000 memmap=640M$0x50000000 "
			       "memmap=192K$0x10000 no_ipi_broadcast=1\n" },
	{ MINT_BOOTARGS_GRUB, "memmap=640M\\$0x28000000 "
			      "memmap=640M\\$0x50000000 memmap=192K\\$0x10000 "
			      "no_ipi_broadcast=1\n" },
	{ MINT_BOOTARGS_SHELL, "'memmap=640M$0x28000000 memmap=640M$0x50000000 "
			       "memmap=192K$0x10000 no_ipi_broadcast=1'\n" },
};

START_TEST(tc_bootargs)
{
	struct mint_config cfg;
	struct mint_buf b;

	load(demo, &cfg);
	mint_buf_init(&b);
	ck_assert_int_eq(mint_bootargs(&cfg, bootargs_cases[_i].fmt, &b), 0);
	ck_assert_str_eq(b.data, bootargs_cases[_i].want);
	mint_buf_free(&b);
	mint_config_free(&cfg);
}
END_TEST

/* Without nodes only node0's slot is reserved; sizes keep odd units. */
START_TEST(tc_bootargs_units)
{
	struct mint_config cfg;
	struct mint_buf b;

	load("[partition]\nversion = 1\n", &cfg);
	mint_buf_init(&b);
	mint_bootargs(&cfg, MINT_BOOTARGS_PLAIN, &b);
	ck_assert_str_eq(b.data, "memmap=64K$0x10000 no_ipi_broadcast=1\n");
	mint_buf_free(&b);
	mint_config_free(&cfg);
	load("[partition]\nversion = 1\n[node a]\ncpus = 1\nkernel = /k\n"
	     "memory = 1G@0x40000000\nmemory = 18M@0x10000000\n",
	     &cfg);
	mint_buf_init(&b);
	mint_bootargs(&cfg, MINT_BOOTARGS_PLAIN, &b);
	ck_assert_str_eq(b.data, "memmap=1G$0x40000000 memmap=18M$0x10000000 "
				 "memmap=128K$0x10000 no_ipi_broadcast=1\n");
	mint_buf_free(&b);
	mint_config_free(&cfg);
}
END_TEST

/* show's text parses back to the same config (the same JSON as the
 * original) and to the same text. */
START_TEST(tc_format_roundtrip)
{
	static const char *const text[] = { demo, every_key };
	struct mint_config cfg, again;
	struct mint_buf one, two, json1, json2;

	load(text[_i], &cfg);
	mint_buf_init(&one);
	mint_buf_init(&two);
	mint_buf_init(&json1);
	mint_buf_init(&json2);
	ck_assert_int_eq(mint_config_format(&cfg, NULL, &one), 0);
	load(one.data, &again);
	mint_config_format(&again, NULL, &two);
	ck_assert_str_eq(one.data, two.data);
	ck_assert_int_eq(mint_config_json(&cfg, NULL, &json1), 0);
	ck_assert_int_eq(mint_config_json(&again, NULL, &json2), 0);
	ck_assert_str_eq(json1.data, json2.data);
	ck_assert(
		strstr(one.data, _i ? "restart = always\n" : "restart = no\n"));
	ck_assert(strstr(one.data, "console = shm\n") == NULL);
	mint_buf_free(&one);
	mint_buf_free(&two);
	mint_buf_free(&json1);
	mint_buf_free(&json2);
	mint_config_free(&cfg);
	mint_config_free(&again);
}
END_TEST

/* Each JSON field holds its own key's value. */
START_TEST(tc_json_fields)
{
	static const char *const want[] = {
		"\"cpus\": [2, 62, 63],\n      \"cpulist\": \"2,62-63\"",
		"\"memory\": [\n        { \"base\": 536870912, \"size\": "
		"268435456 },\n        { \"base\": 1073741824, \"size\": "
		"16777216 }\n      ],\n      \"memory_total\": 285212672",
		"\"devices\": [\"0000:00:03.0\", \"0000:00:1f.7\"]",
		"\"console\": \"com4\",\n      \"console_port\": 744",
		"\"kernel\": \"/nk\",\n      \"initrd\": \"/ni\",\n      "
		"\"cmdline\": \"nc\",\n      \"autostart\": true",
		"\"node\": \"n1\",\n      \"vcpus\": 3,\n      \"memory\": "
		"67108864",
		"\"kernel\": \"/vk\",\n      \"initrd\": \"/vi\",\n      "
		"\"cmdline\": \"vc\",\n      \"disk\": \"/vd\",\n      "
		"\"cpu_model\": \"host\",\n      \"autostart\": true,\n      "
		"\"restart\": \"always\"",
	};
	struct mint_config cfg;
	struct mint_buf b;
	size_t i;

	load(every_key, &cfg);
	mint_buf_init(&b);
	ck_assert_int_eq(mint_config_json(&cfg, NULL, &b), 0);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		ck_assert_msg(strstr(b.data, want[i]), "lacks %s in %s",
			      want[i], b.data);
	mint_buf_free(&b);
	mint_config_free(&cfg);
}
END_TEST

START_TEST(tc_format_node)
{
	struct mint_config cfg;
	struct mint_buf b;

	load(demo, &cfg);
	mint_buf_init(&b);
	mint_config_format(&cfg, "node2", &b);
	ck_assert(strstr(b.data, "[node node2]"));
	ck_assert(!strstr(b.data, "[node node1]"));
	ck_assert(!strstr(b.data, "[vm guest1]"));
	mint_buf_free(&b);
	mint_buf_init(&b);
	mint_config_json(&cfg, "node1", &b);
	ck_assert(strstr(b.data, "\"guest1\""));
	ck_assert(!strstr(b.data, "\"node2\""));
	mint_buf_free(&b);
	mint_config_free(&cfg);
}
END_TEST

START_TEST(tc_json_escape)
{
	struct mint_config cfg;
	struct mint_buf b;

	load(demo, &cfg);
	mint_buf_init(&b);
	ck_assert_int_eq(mint_config_json(&cfg, NULL, &b), 0);
	ck_assert_msg(strstr(b.data, "\"cmdline\": \"a=\\\"b\\\\c\\\" "
				     "\xc3\xa9\""),
		      "%s", b.data);
	ck_assert(strstr(b.data, "\"low_memory\": { \"base\": 65536, "
				 "\"size\": 196608 }"));
	ck_assert(strstr(b.data, "\"console_port\": 760"));
	ck_assert(strstr(b.data, "\"initrd\": null"));
	mint_buf_free(&b);
	mint_config_free(&cfg);
}
END_TEST

/* Strings from node0's kernel (a node's panic message) may be anything. */
static const struct {
	const char *in;
	const char *want;
} json_string_cases[] = {
	{ "plain", "\"plain\"" },
	{ "", "\"\"" },
	{ "q\"b\\", "\"q\\\"b\\\\\"" },
	{ "t\tn\nr\r\x01\x7f", "\"t\\tn\\nr\\u000d\\u0001\\u007f\"" },
	{ "\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
	  "\"\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"" },
	{ "a\xff"
	  "b",
	  "\"a\\ufffdb\"" }, /* never valid */
	{ "\xc3", "\"\\ufffd\"" }, /* cut short */
	{ "\xc0\xaf", "\"\\ufffd\\ufffd\"" }, /* overlong */
	{ "\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"" }, /* surrogate */
	{ "\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"" },
};

START_TEST(tc_json_string)
{
	struct mint_buf b;

	mint_buf_init(&b);
	ck_assert_int_eq(mint_json_string(&b, json_string_cases[_i].in), 0);
	ck_assert_str_eq(b.data, json_string_cases[_i].want);
	mint_buf_free(&b);
	mint_buf_init(&b);
	ck_assert_int_eq(mint_json_string(&b, NULL), 0);
	ck_assert_str_eq(b.data, "null");
	mint_buf_free(&b);
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

int main(void)
{
	Suite *s = suite_create("output");
	TCase *tc = tcase_create("output");
	SRunner *sr;
	int nf;

	tcase_add_loop_test(tc, tc_bootargs, 0, N(bootargs_cases));
	tcase_add_test(tc, tc_bootargs_units);
	tcase_add_loop_test(tc, tc_format_roundtrip, 0, 2);
	tcase_add_test(tc, tc_json_fields);
	tcase_add_test(tc, tc_format_node);
	tcase_add_test(tc, tc_json_escape);
	tcase_add_test(tc, tc_vms_report_find);
	tcase_add_loop_test(tc, tc_json_string, 0, N(json_string_cases));
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf ? EXIT_FAILURE : EXIT_SUCCESS;
}
