// SPDX-License-Identifier: GPL-2.0
/* /proc/iomem and cpu/present parsing, the fake sysroot, --system rules. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

static const char iomem[] = "00000000-00000fff : Reserved\n"
			    "00001000-0000ffff : System RAM\n"
			    "00010000-0003ffff : Reserved\n"
			    "00100000-27ffffff : System RAM\n"
			    "  01000000-01ffffff : Kernel code\n"
			    "28000000-4fffffff : Reserved\n"
			    "50000000-77ffffff : Reserved\n"
			    "78000000-7ffdffff : System RAM\n"
			    "100000000-17fffffff : System RAM\n";

START_TEST(tc_iomem)
{
	struct mint_sysinfo si;

	mint_sysinfo_init(&si);
	ck_assert_int_eq(
		mint_sysinfo_parse_iomem(iomem, strlen(iomem), &si, NULL, 0),
		0);
	ck_assert_uint_eq(si.nr_iomem, 8); /* the indented child is skipped */
	ck_assert_uint_eq(si.iomem[3].start, 0x100000);
	ck_assert_uint_eq(si.iomem[3].end, 0x27ffffff);
	ck_assert_str_eq(si.iomem[3].name, "System RAM");
	ck_assert_uint_eq(si.iomem[7].start, 0x100000000ULL);
	ck_assert(!si.iomem_hidden);
	ck_assert_uint_eq(si.ram_total,
			  0xf000 + 0x27f00000 + 0x7fe0000 + 0x80000000ULL);
	mint_sysinfo_free(&si);
}
END_TEST

static const char *const bad_iomem[] = {
	"0000-zzzz : x\n",
	"00001000 : System RAM\n",
	"00002000-00001000 : backwards\n",
	"00001000-00002000 System RAM\n",
	"1000000000000000000-1 : overflow\n",
};

START_TEST(tc_iomem_bad)
{
	struct mint_sysinfo si;
	char why[128] = "";

	mint_sysinfo_init(&si);
	ck_assert_int_eq(mint_sysinfo_parse_iomem(bad_iomem[_i],
						  strlen(bad_iomem[_i]), &si,
						  why, sizeof(why)),
			 -EINVAL);
	ck_assert_str_eq(why,
			 "line 1 of /proc/iomem is not 'START-END : NAME'");
	mint_sysinfo_free(&si);
}
END_TEST

START_TEST(tc_iomem_hidden)
{
	static const char text[] = "00000000-00000000 : Reserved\n"
				   "00000000-00000000 : System RAM\n";
	struct mint_sysinfo si;

	mint_sysinfo_init(&si);
	ck_assert_int_eq(
		mint_sysinfo_parse_iomem(text, strlen(text), &si, NULL, 0), 0);
	ck_assert(si.iomem_hidden);
	mint_sysinfo_free(&si);
}
END_TEST

START_TEST(tc_present)
{
	struct mint_sysinfo si;

	mint_sysinfo_init(&si);
	ck_assert_int_eq(mint_sysinfo_parse_present("0-3\n", 4, &si, NULL, 0),
			 0);
	ck_assert_uint_eq(si.cpus_present, 0xf);
	ck_assert_int_ne(mint_sysinfo_parse_present("", 0, &si, NULL, 0), 0);
	ck_assert_int_ne(mint_sysinfo_parse_present("0-3\0", 4, &si, NULL, 0),
			 0);
	ck_assert_int_eq(mint_sysinfo_add_pci(&si, "0000:00:03.0"), 0);
	ck_assert_int_eq(mint_sysinfo_add_pci(&si, "."), 0);
	ck_assert_int_eq(mint_sysinfo_add_pci(&si, "00:03.0"), 0);
	ck_assert_uint_eq(si.nr_pci, 1);
	mint_sysinfo_free(&si);
}
END_TEST

/* The fake machine under tests/config/sysroot/demo (run from the root). */
START_TEST(tc_load_fixture)
{
	struct mint_sysinfo si;
	char why[512] = "";

	mint_sysinfo_init(&si);
	ck_assert_int_eq(mint_sysinfo_load("tests/config/sysroot/demo/", &si,
					   why, sizeof(why)),
			 0);
	ck_assert_uint_eq(si.cpus_present, 0xf);
	ck_assert_uint_eq(si.nr_pci, 11);
	ck_assert_str_eq(si.failed_path, "");
	mint_sysinfo_free(&si);
	ck_assert_int_eq(mint_sysinfo_load("tests/config/sysroot/hidden", &si,
					   why, sizeof(why)),
			 -EACCES);
	mint_sysinfo_free(&si);
	ck_assert_int_eq(
		mint_sysinfo_load("/nonexistent", &si, why, sizeof(why)),
		-ENOENT);
	ck_assert_str_eq(si.failed_path,
			 "/nonexistent/sys/devices/system/cpu/present");
	mint_sysinfo_free(&si);
}
END_TEST

static const struct {
	const char *node; /* body of [node n1] */
	const char *errors;
} sys_cases[] = {
	{ "cpus = 2-3\nmemory = 640M@0x28000000\n", "" },
	/* Covered by two adjacent Reserved entries. */
	{ "cpus = 2\nmemory = 1G@0x30000000\n", "" },
	{ "cpus = 4\nmemory = 640M@0x28000000\n",
	  "t:4: node 'n1': cpus: CPU 4 is not present on this machine "
	  "(present: 0-3); give CPUs that exist\n" },
	{ "cpus = 2\nmemory = 640M@0x60000000\n",
	  "t:5: node 'n1': memory: 640M@0x60000000 is not reserved in "
	  "/proc/iomem; boot node0 with the output of 'mintctl bootargs' for "
	  "this file on its command line\n" },
	{ "cpus = 2\nmemory = 640M@0x28000000\ndevices = 00:03.0,00:04.0\n",
	  "t:6: node 'n1': devices: 0000:00:04.0 is not present on this "
	  "machine (no /sys/bus/pci/devices/0000:00:04.0); check 'lspci "
	  "-D'\n" },
};

START_TEST(tc_validate_system)
{
	struct mint_sysinfo si;
	struct mint_config cfg;
	struct mint_diags d;
	struct mint_buf text, out;
	int ret;

	mint_sysinfo_init(&si);
	mint_sysinfo_parse_iomem(iomem, strlen(iomem), &si, NULL, 0);
	si.cpus_present = 0xf;
	mint_sysinfo_add_pci(&si, "0000:00:03.0");
	mint_buf_init(&text);
	mint_buf_printf(&text,
			"[partition]\nversion = 1\n[node n1]\n%skernel = /k\n",
			sys_cases[_i].node);
	mint_diags_init(&d);
	mint_config_init(&cfg);
	ck_assert_int_eq(mint_config_load(text.data, text.len, &cfg, &d), 0);
	ret = mint_config_validate_system(&cfg, &si, &d);
	mint_buf_init(&out);
	mint_buf_puts(&out, "");
	for (size_t i = 0; i < d.nr; i++) {
		mint_diag_format(&d.v[i], "t", &out);
		mint_buf_puts(&out, "\n");
	}
	ck_assert_str_eq(out.data, sys_cases[_i].errors);
	ck_assert_int_eq(ret, *sys_cases[_i].errors ? -EINVAL : 0);
	mint_buf_free(&out);
	mint_buf_free(&text);
	mint_diags_free(&d);
	mint_config_free(&cfg);
	mint_sysinfo_free(&si);
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

int main(void)
{
	Suite *s = suite_create("sysinfo");
	TCase *tc = tcase_create("sysinfo");
	SRunner *sr;
	int nf;

	tcase_add_test(tc, tc_iomem);
	tcase_add_loop_test(tc, tc_iomem_bad, 0, N(bad_iomem));
	tcase_add_test(tc, tc_iomem_hidden);
	tcase_add_test(tc, tc_present);
	tcase_add_test(tc, tc_load_fixture);
	tcase_add_loop_test(tc, tc_validate_system, 0, N(sys_cases));
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf ? EXIT_FAILURE : EXIT_SUCCESS;
}
