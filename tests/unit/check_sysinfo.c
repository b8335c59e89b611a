// SPDX-License-Identifier: GPL-2.0
/* /proc/iomem and cpu/present parsing, the fake sysroot, --system rules.
 * The project's one /proc/iomem parser is libmint's: its tests are here. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "sysfiles.h"

static const char iomem[] = "00000000-00000fff : Reserved\n"
			    "00001000-0000ffff : System RAM\n"
			    "00010000-0003ffff : Reserved\n"
			    "00100000-27ffffff : System RAM\n"
			    "  01000000-01ffffff : Kernel code\n"
			    "28000000-4fffffff : Reserved\n"
			    "50000000-77ffffff : Reserved\n"
			    "78000000-7ffdffff : System RAM\n"
			    "b0000000-bfffffff : Reserved\n"
			    "100000000-17fffffff : System RAM\n";

START_TEST(tc_iomem)
{
	struct mint_sysinfo si;

	mint_sysinfo_init(&si);
	ck_assert_int_eq(
		mint_sysinfo_parse_iomem(iomem, strlen(iomem), &si, NULL, 0),
		0);
	ck_assert_uint_eq(si.nr_iomem, 9); /* the indented child is skipped */
	ck_assert_uint_eq(si.iomem[3].start, 0x100000);
	ck_assert_uint_eq(si.iomem[3].end, 0x27ffffff);
	ck_assert_str_eq(si.iomem[3].name, "System RAM");
	ck_assert_uint_eq(si.iomem[8].start, 0x100000000ULL);
	ck_assert(!si.iomem_hidden);
	mint_sysinfo_free(&si);
}
END_TEST

/* node0 on the q35 rig with memmap=64K$0x10000 640M$0x28000000
 * 640M$0x50000000, as root reads it: children of two levels, a blank line,
 * 40-bit addresses, no newline at the end. */
static const char iomem_q35[] =
	"00000000-00000fff : Reserved\n"
	"00001000-0000ffff : System RAM\n"
	"00010000-0008ffff : Reserved\n"
	"00090000-0009fbff : System RAM\n"
	"0009fc00-0009ffff : Reserved\n"
	"000a0000-000bffff : PCI Bus 0000:00\n"
	"000c0000-000c99ff : Video ROM\n"
	"000f0000-000fffff : Reserved\n"
	"  000f0000-000fffff : System ROM\n"
	"00100000-27ffffff : System RAM\n"
	"  01000000-01ffffff : Kernel code\n"
	"    01000000-0100ffff : Kernel data\n"
	"28000000-77ffffff : Reserved\n"
	"78000000-7ffdffff : System RAM\n"
	"7ffe0000-7fffffff : Reserved\n"
	"80000000-afffffff : PCI Bus 0000:00\n"
	"b0000000-bfffffff : PCI ECAM 0000 [bus 00-ff]\n"
	"  b0000000-bfffffff : Reserved\n"
	"c0000000-febfffff : PCI Bus 0000:00\n"
	"  fd000000-fdffffff : 0000:00:01.0\n"
	"fec00000-fec003ff : IOAPIC 0\n"
	"fed00000-fed003ff : HPET 0\n"
	"fed1c000-fed1ffff : Reserved\n"
	"  fed1f410-fed1f414 : iTCO_wdt.0.auto\n"
	"fee00000-fee00fff : Local APIC\n"
	"feffc000-feffffff : Reserved\n"
	"fffc0000-ffffffff : Reserved\n"
	"100000000-17fffffff : System RAM\n"
	"\n"
	"fd00000000-ffffffffff : Reserved";

START_TEST(tc_iomem_q35)
{
	struct mint_sysinfo si;

	mint_sysinfo_init(&si);
	ck_assert_int_eq(mint_sysinfo_parse_iomem(iomem_q35, strlen(iomem_q35),
						  &si, NULL, 0),
			 0);
	ck_assert_uint_eq(si.nr_iomem, 23);
	ck_assert_uint_eq(si.iomem[9].start, 0x28000000);
	ck_assert_uint_eq(si.iomem[9].end, 0x77ffffff);
	ck_assert_str_eq(si.iomem[9].name, "Reserved");
	ck_assert_str_eq(si.iomem[13].name, "PCI ECAM 0000 [bus 00-ff]");
	ck_assert_uint_eq(si.iomem[22].start, 0xfd00000000ULL);
	ck_assert_uint_eq(si.iomem[22].end, 0xffffffffffULL);
	ck_assert_str_eq(si.iomem[22].name, "Reserved");
	ck_assert(!si.iomem_hidden);
	mint_sysinfo_free(&si);
}
END_TEST

static const char *const bad_iomem[] = {
	"0000-zzzz : x\n",
	"00001000 : System RAM\n",
	"00002000-00001000 : backwards\n",
	"00001000-00002000 System RAM\n",
	"1000000000000000000-1 : overflow\n",
	"00000000-00000fff :Reserved\n",
	"-00000fff : Reserved\n",
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

/* Lines count from 1, blank and indented ones too. */
START_TEST(tc_iomem_bad_line)
{
	static const char text[] = "00000000-00000fff : Reserved\n"
				   "  00000000-00000fff : x\n"
				   "\n"
				   "0000g000-0000ffff : System RAM\n";
	struct mint_sysinfo si;
	char why[128] = "";

	mint_sysinfo_init(&si);
	ck_assert_int_eq(mint_sysinfo_parse_iomem(text, strlen(text), &si, why,
						  sizeof(why)),
			 -EINVAL);
	ck_assert_str_eq(why,
			 "line 4 of /proc/iomem is not 'START-END : NAME'");
	mint_sysinfo_free(&si);
}
END_TEST

/* Nothing at all: no entries, and not hidden either. */
START_TEST(tc_iomem_empty)
{
	struct mint_sysinfo si;

	mint_sysinfo_init(&si);
	ck_assert_int_eq(mint_sysinfo_parse_iomem("", 0, &si, NULL, 0), 0);
	ck_assert_uint_eq(si.nr_iomem, 0);
	ck_assert(!si.iomem_hidden);
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

/* q35 with 4 GiB, as /sys/firmware/memmap shows it (start, end, type). */
static const char *const q35_map[][3] = {
	{ "0x0\n", "0x9fbff\n", "System RAM\n" },
	{ "0x9fc00\n", "0x9ffff\n", "Reserved\n" },
	{ "0xf0000\n", "0xfffff\n", "Reserved\n" },
	{ "0x100000\n", "0x7ffdffff\n", "System RAM\n" },
	{ "0x7ffe0000\n", "0x7fffffff\n", "Reserved\n" },
	{ "0x100000000\n", "0x17fffffff\n", "System RAM\n" },
	/* out of order, as readdir may return the directories */
	{ "0xb0000000\n", "0xbfffffff\n", "Reserved\n" },
	{ "0xfffc0000\n", "0xffffffff\n", "Reserved\n" },
};

static void add_q35_map(struct mint_sysinfo *si)
{
	size_t i;

	for (i = 0; i < sizeof(q35_map) / sizeof(q35_map[0]); i++)
		ck_assert_int_eq(mint_sysinfo_add_fwmap(si, q35_map[i][0],
							q35_map[i][1],
							q35_map[i][2], NULL, 0),
				 0);
}

START_TEST(tc_fwmap_add)
{
	struct mint_sysinfo si;
	char why[256] = "";
	size_t i;

	mint_sysinfo_init(&si);
	add_q35_map(&si);
	ck_assert_uint_eq(si.nr_fwmap, 8);
	for (i = 1; i < si.nr_fwmap; i++)
		ck_assert_uint_lt(si.fwmap[i - 1].start, si.fwmap[i].start);
	ck_assert_uint_eq(si.fwmap[5].start, 0xb0000000);
	ck_assert_uint_eq(si.fwmap[5].end, 0xbfffffff);
	ck_assert_str_eq(si.fwmap[5].type, "Reserved");
	ck_assert_str_eq(si.fwmap[7].type, "System RAM");
	ck_assert_int_eq(mint_sysinfo_add_fwmap(&si, "0x2000", "0x1000",
						"System RAM", why, sizeof(why)),
			 -EINVAL);
	ck_assert_str_eq(why, "a firmware memory map entry is not START, END "
			      "and TYPE ('0x2000', '0x1000', 'System RAM')");
	ck_assert_int_eq(
		mint_sysinfo_add_fwmap(&si, "zz", "0x1000", "x", NULL, 0),
		-EINVAL);
	ck_assert_int_eq(
		mint_sysinfo_add_fwmap(&si, "0x0", "0x1000", "\n", NULL, 0),
		-EINVAL);
	ck_assert_int_eq(
		mint_sysinfo_add_fwmap(&si, "0x0", "", "Reserved", NULL, 0),
		-EINVAL);
	ck_assert_uint_eq(si.nr_fwmap, 8);
	mint_sysinfo_free(&si);
}
END_TEST

static const struct {
	uint64_t base, size;
	const char *what; /* "" when the range is usable RAM */
} usable_cases[] = {
	{ 0x28000000, 640 << 20, "" },
	{ 0x100000, 0x7fee0000, "" }, /* exactly one entry */
	{ 0x7ffdffff, 1, "" }, /* its last byte */
	{ 0x10000, 0x10000, "" },
	{ 0x100000000, 0x80000000, "" },
	{ 0x7ffe0000, 1, "Reserved at 0x7ffe0000-0x7ffe0000" },
	{ 0xb0000000, 256 << 20,
	  "Reserved at 0xb0000000-0xbfffffff (/proc/iomem: PCI ECAM 0000 "
	  "[bus 00-ff])" },
	{ 0x7e000000, 64 << 20,
	  "Reserved at 0x7ffe0000-0x7fffffff, no entry at "
	  "0x80000000-0x81ffffff (/proc/iomem: PCI Bus 0000:00)" },
	{ 0x170000000, 512 << 20, "no entry at 0x180000000-0x18fffffff" },
	{ 0x0, 0x200000,
	  "Reserved at 0x9fc00-0x9ffff, no entry at "
	  "0xa0000-0xeffff, Reserved at 0xf0000-0xfffff" },
	/* two adjacent pieces of one kind read as one */
	{ 0xa0000000, 0x20000000,
	  "no entry at 0xa0000000-0xafffffff (/proc/iomem: PCI Bus 0000:00), "
	  "Reserved at 0xb0000000-0xbfffffff (/proc/iomem: PCI ECAM 0000 "
	  "[bus 00-ff])" },
	{ 0x0, 0x200000000ULL,
	  "Reserved at 0x9fc00-0x9ffff, no entry at 0xa0000-0xeffff, Reserved "
	  "at 0xf0000-0xfffff, Reserved at 0x7ffe0000-0x7fffffff, ..." },
	{ 0x180000000, UINT64_MAX,
	  "no entry at 0x180000000-0xffffffffffffffff" },
};

START_TEST(tc_fwmap_usable)
{
	static const char text[] =
		"80000000-afffffff : PCI Bus 0000:00\n"
		"b0000000-bfffffff : PCI ECAM 0000 [bus 00-ff]\n"
		"  b0000000-bfffffff : Reserved\n"
		"fffc0000-ffffffff : Reserved\n";
	struct mint_sysinfo si;
	struct mint_buf what;
	bool ok;

	mint_sysinfo_init(&si);
	add_q35_map(&si);
	ck_assert_int_eq(
		mint_sysinfo_parse_iomem(text, strlen(text), &si, NULL, 0), 0);
	mint_buf_init(&what);
	mint_buf_puts(&what, "");
	ok = mint_fwmap_usable(&si, usable_cases[_i].base,
			       usable_cases[_i].size, &what);
	ck_assert_str_eq(what.data, usable_cases[_i].what);
	ck_assert(ok == !*usable_cases[_i].what);
	mint_buf_free(&what);
	mint_sysinfo_free(&si);
}
END_TEST

/* Overlapping entries: what is not RAM wins; an empty map has no RAM. */
START_TEST(tc_fwmap_overlap)
{
	struct mint_sysinfo si;
	struct mint_buf what;

	mint_sysinfo_init(&si);
	mint_buf_init(&what);
	ck_assert(!mint_fwmap_usable(&si, 0x1000, 0x1000, &what));
	ck_assert_str_eq(what.data, "no entry at 0x1000-0x1fff");
	mint_buf_free(&what);
	mint_sysinfo_add_fwmap(&si, "0x0", "0xffffffff", "System RAM", NULL, 0);
	mint_sysinfo_add_fwmap(&si, "0x10000000", "0x1fffffff", "ACPI Tables",
			       NULL, 0);
	ck_assert(!mint_fwmap_usable(&si, 0x0, 0x40000000, &what));
	ck_assert_str_eq(what.data, "ACPI Tables at 0x10000000-0x1fffffff");
	mint_buf_free(&what);
	ck_assert(mint_fwmap_usable(&si, 0x20000000, 0x10000000, &what));
	ck_assert(mint_fwmap_usable(&si, 0x0, 0, &what));
	mint_buf_free(&what);
	mint_sysinfo_free(&si);
}
END_TEST

/* The fake machine under tests/config/sysroot/demo (run from the root). */
START_TEST(tc_load_fixture)
{
	struct mint_sysinfo si;
	char why[512] = "";

	mint_sysinfo_init(&si);
	ck_assert_int_eq(mint_sysinfo_load("tests/config/sysroot/demo/",
					   MINT_SYSINFO_NODE0, &si, why,
					   sizeof(why)),
			 0);
	ck_assert_uint_eq(si.cpus_present, 0xf);
	ck_assert_uint_eq(si.nr_pci, 11);
	ck_assert_uint_eq(si.nr_fwmap, 10);
	ck_assert_uint_eq(si.fwmap[9].start, 0x100000000ULL);
	ck_assert_uint_eq(si.fwmap[9].end, 0x17fffffffULL);
	ck_assert_str_eq(si.fwmap[9].type, "System RAM");
	ck_assert_str_eq(si.failed_path, "");
	mint_sysinfo_free(&si);
	ck_assert_int_eq(mint_sysinfo_load("tests/config/sysroot/hidden",
					   MINT_SYSINFO_NODE0, &si, why,
					   sizeof(why)),
			 -EACCES);
	mint_sysinfo_free(&si);
	/* no firmware memory map: --system cannot tell RAM from the rest */
	ck_assert_int_eq(mint_sysinfo_load("tests/config/sysroot/fwmap-missing",
					   MINT_SYSINFO_NODE0, &si, why,
					   sizeof(why)),
			 -ENOENT);
	ck_assert_str_eq(
		si.failed_path,
		"tests/config/sysroot/fwmap-missing/sys/firmware/memmap");
	mint_sysinfo_free(&si);
	ck_assert_int_eq(mint_sysinfo_load("/nonexistent", MINT_SYSINFO_NODE0,
					   &si, why, sizeof(why)),
			 -ENOENT);
	ck_assert_str_eq(si.failed_path,
			 "/nonexistent/sys/devices/system/cpu/present");
	mint_sysinfo_free(&si);
}
END_TEST

static const struct {
	const char *node; /* body of [node n1] */
	const char *errors;
	bool no_iommu; /* the machine shows no IOMMU */
} sys_cases[] = {
	{ "cpus = 2-3\nmemory = 640M@0x28000000\n", "", false },
	/* Covered by two adjacent Reserved entries. */
	{ "cpus = 2\nmemory = 1G@0x30000000\n", "", false },
	{ "cpus = 4\nmemory = 640M@0x28000000\n",
	  "t:4: node 'n1': cpus: CPU 4 is not present on this machine "
	  "(present: 0-3); give CPUs that exist\n",
	  false },
	{ "cpus = 2\nmemory = 512M@0x100000000\n",
	  "t:5: node 'n1': memory: 512M@0x100000000 is not reserved in "
	  "/proc/iomem; boot node0 with the output of 'mintctl bootargs' for "
	  "this file on its command line\n",
	  false },
	/* Reserved in /proc/iomem (memmap= reserves anything), but the PCI
	 * ECAM window: only the firmware memory map tells (issue 17) */
	{ "cpus = 2\nmemory = 640M@0x28000000\nmemory = 256M@0xb0000000\n",
	  "t:6: node 'n1': memory: 256M@0xb0000000 is not usable RAM: the "
	  "firmware memory map (/sys/firmware/memmap) has Reserved at "
	  "0xb0000000-0xbfffffff; place node RAM inside its System RAM "
	  "entries\n",
	  false },
	{ "cpus = 2\nmemory = 640M@0x28000000\ndevices = 00:03.0,00:04.0\n",
	  "t:6: node 'n1': devices: 0000:00:04.0 is not present on this "
	  "machine (no /sys/bus/pci/devices/0000:00:04.0); check 'lspci "
	  "-D'\n",
	  false },
	/* devices need an IOMMU, unless the node says iommu = off */
	{ "cpus = 2\nmemory = 640M@0x28000000\ndevices = 00:03.0\n",
	  "t:6: node 'n1': devices: this machine shows no IOMMU "
	  "(/sys/class/iommu is empty), so the DMA of the node's devices "
	  "cannot be confined to its RAM and node0 refuses to give them "
	  "away: enable VT-d or AMD-Vi in the firmware setup (and no "
	  "intel_iommu=off or amd_iommu=off on node0's command line), or "
	  "write iommu = off to give them away unconfined\n",
	  true },
	{ "cpus = 2\nmemory = 640M@0x28000000\ndevices = 00:03.0\n"
	  "iommu = off\n",
	  "", true },
	{ "cpus = 2\nmemory = 640M@0x28000000\n", "", true },
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
	add_q35_map(&si);
	si.cpus_present = 0xf;
	si.iommu = !sys_cases[_i].no_iommu;
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

/* Firmware that keeps the low memory a node's trampoline needs. */
START_TEST(tc_validate_low_slice)
{
	static const char conf[] = "[partition]\nversion = 1\n[node n1]\n"
				   "cpus = 1\nmemory = 640M@0x28000000\n"
				   "kernel = /k\n";
	static const char text[] = "00000000-7fffffff : Reserved\n";
	struct mint_sysinfo si;
	struct mint_config cfg;
	struct mint_diags d;
	struct mint_buf out;

	mint_sysinfo_init(&si);
	mint_sysinfo_parse_iomem(text, strlen(text), &si, NULL, 0);
	mint_sysinfo_add_fwmap(&si, "0x0", "0x1ffff", "System RAM", NULL, 0);
	mint_sysinfo_add_fwmap(&si, "0x20000", "0x2ffff",
			       "ACPI Non-volatile "
			       "Storage",
			       NULL, 0);
	mint_sysinfo_add_fwmap(&si, "0x100000", "0x7fffffff", "System RAM",
			       NULL, 0);
	si.cpus_present = 0x3;
	mint_diags_init(&d);
	mint_config_init(&cfg);
	ck_assert_int_eq(mint_config_load(conf, strlen(conf), &cfg, &d), 0);
	ck_assert_int_eq(mint_config_validate_system(&cfg, &si, &d), -EINVAL);
	mint_buf_init(&out);
	ck_assert_uint_eq(d.nr, 1);
	mint_diag_format(&d.v[0], "t", &out);
	ck_assert_str_eq(out.data,
			 "t:3: node 'n1': its low-memory slice 0x20000-0x2ffff "
			 "is not usable RAM: the firmware memory map "
			 "(/sys/firmware/memmap) has ACPI Non-volatile Storage "
			 "at 0x20000-0x2ffff; the node's real-mode trampoline "
			 "needs RAM there, so this machine cannot run node 1");
	mint_buf_free(&out);
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
	tcase_add_test(tc, tc_iomem_q35);
	tcase_add_loop_test(tc, tc_iomem_bad, 0, N(bad_iomem));
	tcase_add_test(tc, tc_iomem_bad_line);
	tcase_add_test(tc, tc_iomem_empty);
	tcase_add_test(tc, tc_iomem_hidden);
	tcase_add_test(tc, tc_present);
	tcase_add_test(tc, tc_fwmap_add);
	tcase_add_loop_test(tc, tc_fwmap_usable, 0, N(usable_cases));
	tcase_add_test(tc, tc_fwmap_overlap);
	tcase_add_test(tc, tc_load_fixture);
	tcase_add_loop_test(tc, tc_validate_system, 0, N(sys_cases));
	tcase_add_test(tc, tc_validate_low_slice);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf ? EXIT_FAILURE : EXIT_SUCCESS;
}
