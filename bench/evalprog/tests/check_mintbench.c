// SPDX-License-Identifier: GPL-2.0
/*
 * Check unit tests of mintbench (bench/evalprog), built with ASan and
 * UBSan: the "core" test case (pure functions) and the suite. The others
 * are in check_mintbench_run.c: "run" (mb_main in-process on a temporary
 * file), "direct" (O_DIRECT reads of a file in $MB_DIRECT_DIR, a disk
 * filesystem) and "tmpfs" (a file in $MB_TMPFS_DIR, a tmpfs).
 * bench/evalprog/tests/run-check.sh sets those and leaves out what it cannot.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <x86intrin.h>

#include "mb_test.h"

/* ---------------------------------------------------------------- parsing */

START_TEST(parse_u64_ok)
{
	uint64_t v = 1;

	ck_assert_int_eq(mb_parse_u64("0", &v), 0);
	ck_assert_uint_eq(v, 0);
	ck_assert_int_eq(mb_parse_u64("4096", &v), 0);
	ck_assert_uint_eq(v, 4096);
	ck_assert_int_eq(mb_parse_u64("18446744073709551615", &v), 0);
	ck_assert_uint_eq(v, UINT64_MAX);
}
END_TEST

START_TEST(parse_u64_bad)
{
	static const char *const bad[] = { "",	   "-1", "+1",	" 1", "1 ",
					   "0x10", "1a", "1.0", "1e3" };
	uint64_t v = 42;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(mb_parse_u64(bad[i], &v) == -EINVAL,
			      "'%s' accepted", bad[i]);
	ck_assert_int_eq(mb_parse_u64("18446744073709551616", &v), -ERANGE);
	ck_assert_int_eq(mb_parse_u64("99999999999999999999", &v), -ERANGE);
	ck_assert_int_eq(mb_parse_u64(NULL, &v), -EINVAL);
	ck_assert_uint_eq(v, 42);
}
END_TEST

START_TEST(parse_lmn_ok)
{
	uint64_t l = 9, m = 9, n = 9;

	ck_assert_int_eq(mb_parse_lmn("1:2:3", &l, &m, &n), 0);
	ck_assert_uint_eq(l, 1);
	ck_assert_uint_eq(m, 2);
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(mb_parse_lmn("0:0:5", &l, &m, &n), 0);
	ck_assert_uint_eq(l, 0);
	ck_assert_uint_eq(m, 0);
	ck_assert_uint_eq(n, 5);
	ck_assert_int_eq(mb_parse_lmn("100000:1000000000:18446744073709551615",
				      &l, &m, &n),
			 0);
	ck_assert_uint_eq(l, 100000);
	ck_assert_uint_eq(m, 1000000000);
	ck_assert_uint_eq(n, UINT64_MAX);
}
END_TEST

START_TEST(parse_lmn_bad)
{
	static const char *const bad[] = { "",	      "1",	"1:2",
					   "1:2:3:4", ":2:3",	"1::3",
					   "1:2:",    "a:b:c",	"-1:2:3",
					   "1:+2:3",  "1:2:3 ", " 1:2:3",
					   "1,2,3",   "1:2:0x3" };
	uint64_t l = 7, m = 7, n = 7;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(mb_parse_lmn(bad[i], &l, &m, &n) == -EINVAL,
			      "'%s' accepted", bad[i]);
	ck_assert_int_eq(mb_parse_lmn("1:18446744073709551616:1", &l, &m, &n),
			 -ERANGE);
	ck_assert_int_eq(
		mb_parse_lmn("1:2:000000000000000000000000001", &l, &m, &n),
		-ERANGE);
	ck_assert_uint_eq(l, 7);
	ck_assert_uint_eq(m, 7);
	ck_assert_uint_eq(n, 7);
}
END_TEST

START_TEST(args_defaults)
{
	struct mb_opts o;
	char err[256];

	ck_assert_int_eq(parse(&o, err, sizeof(err), "0:2:3", NULL), 0);
	ck_assert_uint_eq(o.io_reads, 0);
	ck_assert_uint_eq(o.cpu_incs, 2);
	ck_assert_uint_eq(o.copies, 3);
	ck_assert_uint_eq(o.block, 4096);
	ck_assert_uint_eq(o.reps, 10);
	ck_assert_uint_eq(o.seed, MB_DEFAULT_SEED);
	ck_assert_uint_eq(o.tsc_khz, 0);
	ck_assert_ptr_null(o.disk);
	ck_assert_ptr_null(o.label);
	ck_assert_int_eq(o.allow_cached, 0);
	ck_assert_int_eq(o.help, 0);
}
END_TEST

START_TEST(args_all_options)
{
	struct mb_opts o;
	char err[256];

	ck_assert_int_eq(parse(&o, err, sizeof(err), "--tsc-khz=2994000",
			       "--disk=/dev/vdb", "--block=512", "--reps=3",
			       "--label=c6-node1-guest2", "--seed=0x1f",
			       "--allow-cached", "7:8:9", NULL),
			 0);
	ck_assert_uint_eq(o.tsc_khz, 2994000);
	ck_assert_str_eq(o.disk, "/dev/vdb");
	ck_assert_uint_eq(o.block, 512);
	ck_assert_uint_eq(o.reps, 3);
	ck_assert_str_eq(o.label, "c6-node1-guest2");
	ck_assert_uint_eq(o.seed, 0x1f);
	ck_assert_int_eq(o.allow_cached, 1);
	ck_assert_uint_eq(o.io_reads, 7);
	ck_assert_uint_eq(o.cpu_incs, 8);
	ck_assert_uint_eq(o.copies, 9);
	/* options after L:M:N, decimal seed, the last one wins */
	ck_assert_int_eq(parse(&o, err, sizeof(err), "0:1:0", "--seed=12",
			       "--reps=5", "--reps=6", NULL),
			 0);
	ck_assert_uint_eq(o.seed, 12);
	ck_assert_uint_eq(o.reps, 6);
}
END_TEST

START_TEST(args_bad)
{
	static const struct {
		const char *a, *b;
		const char *why; /* a substring of the message */
	} bad[] = {
		{ "--bogus", "1:1:1", "unknown option --bogus" },
		{ "-x", "0:1:1", "unknown option -x" },
		{ "--tsc-khz", "0:1:1", "unknown option" },
		{ NULL, NULL, "missing L:M:N" },
		{ "0:1:1", "0:1:1", "one L:M:N only" },
		{ "0:0:0", NULL, "nothing to measure" },
		{ "5:0:0", NULL, "need --disk" },
		{ "1:2", NULL, "expected L:M:N" },
		{ "--block=1000", "0:1:1", "not a multiple of 512" },
		{ "--block=768", "0:1:1", "not a multiple of 512" },
		{ "--block=256", "0:1:1", "--block=256" },
		{ "--block=33554432", "0:1:1", "--block=33554432" },
		{ "--block=", "0:1:1", "--block=" },
		{ "--reps=0", "0:1:1", "--reps=0" },
		{ "--reps=1000001", "0:1:1", "--reps" },
		{ "--reps=-1", "0:1:1", "--reps" },
		{ "--tsc-khz=0", "0:1:1", "--tsc-khz=0" },
		{ "--tsc-khz=100000001", "0:1:1", "--tsc-khz" },
		{ "--seed=0", "0:1:1", "--seed=0" },
		{ "--seed=0x", "0:1:1", "--seed" },
		{ "--seed=0x10000000000000000", "0:1:1", "--seed" },
		{ "--label=a,b", "0:1:1", "--label=a,b" },
		{ "--label=", "0:1:1", "--label" },
		{ "--label=x y", "0:1:1", "--label" },
		{ "--label=0123456789012345678901234567890123456789012345678901"
		  "234567890123",
		  "0:1:1", "--label" },
		{ "--disk=", "1:1:1", "empty path" },
	};
	struct mb_opts o;
	char err[256];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = parse(&o, err, sizeof(err), bad[i].a, bad[i].b, NULL);

		ck_assert_msg(rc == -EINVAL, "case %zu (%s %s) accepted", i,
			      bad[i].a, bad[i].b);
		ck_assert_msg(strstr(err, bad[i].why),
			      "case %zu: message '%s' lacks '%s'", i, err,
			      bad[i].why);
	}
}
END_TEST

START_TEST(args_help)
{
	struct mb_opts o;
	char err[64];

	ck_assert_int_eq(parse(&o, err, sizeof(err), "--help", NULL), 0);
	ck_assert_int_eq(o.help, 1);
	ck_assert_int_eq(parse(&o, err, sizeof(err), "-h", "0:0:0", NULL), 0);
	ck_assert_int_eq(o.help, 1);
	/* a bad option still counts as a usage error */
	ck_assert_int_eq(parse(&o, err, sizeof(err), "-h", "--x", NULL),
			 -EINVAL);
}
END_TEST

START_TEST(label_and_sanitize)
{
	char buf[8], longest[MB_LABEL_MAX + 2];

	memset(longest, 'x', sizeof(longest) - 1);
	longest[MB_LABEL_MAX] = '\0';
	ck_assert(mb_label_ok(longest)); /* 63 characters */
	longest[MB_LABEL_MAX] = 'x';
	longest[MB_LABEL_MAX + 1] = '\0';
	ck_assert(!mb_label_ok(longest)); /* 64 */
	ck_assert(mb_label_ok("c6-node1-guest2"));
	ck_assert(mb_label_ok("a.b_c+d"));
	ck_assert(!mb_label_ok(""));
	ck_assert(!mb_label_ok(NULL));
	ck_assert(!mb_label_ok("a,b"));
	ck_assert(!mb_label_ok("a\"b"));
	ck_assert(!mb_label_ok("a\nb"));
	mb_sanitize(buf, sizeof(buf), "a b,c/d");
	ck_assert_str_eq(buf, "a_b_c/d");
	mb_sanitize(buf, sizeof(buf), "0123456789");
	ck_assert_str_eq(buf, "0123456");
	mb_sanitize(buf, sizeof(buf), "");
	ck_assert_str_eq(buf, "_");
	mb_sanitize(buf, sizeof(buf), NULL);
	ck_assert_str_eq(buf, "_");
}
END_TEST

/* ---------------------------------------------------------------- PRNG */

START_TEST(xorshift_known_values)
{
	uint64_t s = 1;

	/* Marsaglia (2003), xorshift64 13/7/17 from 1 */
	ck_assert_uint_eq(mb_xorshift64(&s), 1082269761ULL);
	ck_assert_uint_eq(s, 1082269761ULL);
	ck_assert_uint_eq(mb_xorshift64(&s), 1152992998833853505ULL);
	s = MB_DEFAULT_SEED;
	for (int i = 0; i < 100000; i++)
		ck_assert_uint_ne(mb_xorshift64(&s), 0);
}
END_TEST

START_TEST(random_block_aligned_within)
{
	static const uint64_t nblocks[] = { 1,	   2,	  3,
					    7,	   1000,  (1ULL << 40) + 3,
					    65537, 12345, (1ULL << 43) - 1 };
	static const uint64_t blocks[] = { 512, 1536, 4096, 1 << 20 };

	for (size_t i = 0; i < sizeof(nblocks) / sizeof(nblocks[0]); i++)
		for (size_t j = 0; j < sizeof(blocks) / sizeof(blocks[0]);
		     j++) {
			uint64_t s = MB_DEFAULT_SEED + i, off, max = 0;
			uint64_t size = nblocks[i] * blocks[j];

			for (int k = 0; k < 5000; k++) {
				ck_assert_int_eq(mb_random_block(&s, nblocks[i],
								 blocks[j],
								 &off),
						 0);
				ck_assert_uint_eq(off % blocks[j], 0);
				ck_assert_uint_le(off + blocks[j], size);
				if (off > max)
					max = off;
			}
			/* spread over the whole disk, not its start */
			if (nblocks[i] > 1)
				ck_assert_uint_gt(max + blocks[j], size / 2);
		}
}
END_TEST

START_TEST(random_block_uniform)
{
	enum { N = 8, DRAWS = 80000 };
	unsigned int count[N] = { 0 };
	uint64_t s = 12345, off;

	for (int k = 0; k < DRAWS; k++) {
		ck_assert_int_eq(mb_random_block(&s, N, 4096, &off), 0);
		count[off / 4096]++;
	}
	for (int i = 0; i < N; i++)
		ck_assert_msg(count[i] > DRAWS / N * 95 / 100 &&
				      count[i] < DRAWS / N * 105 / 100,
			      "block %d drawn %u times of %d", i, count[i],
			      DRAWS);
}
END_TEST

START_TEST(random_block_rejects_bias)
{
	/*
	 * With nblocks = 2^63 + 1, generator values below 2^64 mod nblocks
	 * = 2^63 - 1 would make low blocks twice as likely: they are drawn
	 * again. From state 1 the first value (1082269761) is one of them.
	 */
	uint64_t n = (1ULL << 63) + 1, thr = (1ULL << 63) - 1;
	uint64_t s = 1, ref = 1, r, off;

	do
		r = mb_xorshift64(&ref);
	while (r < thr);
	ck_assert_int_eq(mb_random_block(&s, n, 1, &off), 0);
	ck_assert_uint_eq(off, r % n);
	ck_assert_uint_eq(s, ref);
	ck_assert_uint_ne(off, 1082269761ULL);
}
END_TEST

START_TEST(random_block_deterministic)
{
	uint64_t a = 77, b = 77, c = 78, oa, ob, oc;
	int differ = 0;

	for (int k = 0; k < 1000; k++) {
		mb_random_block(&a, 1 << 20, 4096, &oa);
		mb_random_block(&b, 1 << 20, 4096, &ob);
		mb_random_block(&c, 1 << 20, 4096, &oc);
		ck_assert_uint_eq(oa, ob);
		differ += oa != oc;
	}
	ck_assert_int_gt(differ, 990);
}
END_TEST

START_TEST(random_block_bad)
{
	uint64_t s = 1, zero = 0, off = 5;

	ck_assert_int_eq(mb_random_block(&s, 0, 4096, &off), -EINVAL);
	ck_assert_int_eq(mb_random_block(&s, 10, 0, &off), -EINVAL);
	ck_assert_int_eq(mb_random_block(&zero, 10, 4096, &off), -EINVAL);
	ck_assert_int_eq(mb_random_block(&s, UINT64_MAX / 4096 + 1, 4096, &off),
			 -EINVAL);
	ck_assert_uint_eq(off, 5);
	ck_assert_uint_eq(s, 1);
}
END_TEST

/* ---------------------------------------------------------------- time */

START_TEST(cycles_to_ns_exact)
{
	uint64_t ns = 0;

	ck_assert_int_eq(mb_cycles_to_ns(12345, 1000000, &ns), 0);
	ck_assert_uint_eq(ns, 12345); /* 1 GHz */
	ck_assert_int_eq(mb_cycles_to_ns(3000, 3000000, &ns), 0);
	ck_assert_uint_eq(ns, 1000);
	ck_assert_int_eq(mb_cycles_to_ns(0, 2994000, &ns), 0);
	ck_assert_uint_eq(ns, 0);
	/* rounded to nearest: 1 cycle at 3 GHz = 0.33 ns, 2 = 0.67 ns */
	ck_assert_int_eq(mb_cycles_to_ns(1, 3000000, &ns), 0);
	ck_assert_uint_eq(ns, 0);
	ck_assert_int_eq(mb_cycles_to_ns(2, 3000000, &ns), 0);
	ck_assert_uint_eq(ns, 1);
	ck_assert_int_eq(mb_cycles_to_ns(2994, 2994000, &ns), 0);
	ck_assert_uint_eq(ns, 1000);
	/* 1 kHz: one cycle is a millisecond */
	ck_assert_int_eq(mb_cycles_to_ns(7, 1, &ns), 0);
	ck_assert_uint_eq(ns, 7000000);
}
END_TEST

START_TEST(cycles_to_ns_no_overflow)
{
	uint64_t ns = 0;

	/* 10^15 cycles * 10^6 overflows 64 bits; the result does not */
	ck_assert_int_eq(mb_cycles_to_ns(1000000000000000ULL, 2500000, &ns), 0);
	ck_assert_uint_eq(ns, 400000000000000ULL);
	ck_assert_int_eq(mb_cycles_to_ns(UINT64_MAX, 1000000, &ns), 0);
	ck_assert_uint_eq(ns, UINT64_MAX);
	ck_assert_int_eq(mb_cycles_to_ns(UINT64_MAX, 3000000, &ns), 0);
	ck_assert_uint_eq(ns, 6148914691236517205ULL);
	ck_assert_int_eq(mb_cycles_to_ns(UINT64_MAX, MB_MAX_TSC_KHZ, &ns), 0);
	ck_assert_uint_eq(ns, 184467440737095516ULL);
	ns = 99;
	ck_assert_int_eq(mb_cycles_to_ns(UINT64_MAX, 999999, &ns), -ERANGE);
	ck_assert_int_eq(mb_cycles_to_ns(1, 0, &ns), -EINVAL);
	ck_assert_uint_eq(ns, 99);
}
END_TEST

START_TEST(khz_from_cycles)
{
	uint64_t khz = 0;

	ck_assert_int_eq(mb_khz_from(519200000, 200000000, &khz), 0);
	ck_assert_uint_eq(khz, 2596000);
	ck_assert_int_eq(mb_khz_from(UINT64_MAX, 1000000, &khz), 0);
	ck_assert_uint_eq(khz, UINT64_MAX);
	ck_assert_int_eq(mb_khz_from(1, 200000000, &khz), -ERANGE);
	ck_assert_int_eq(mb_khz_from(1000, 0, &khz), -EINVAL);
}
END_TEST

/* ---------------------------------------------------------------- output */

START_TEST(format_row_exact)
{
	struct mb_row r = { .label = "c5-node0-guest",
			    .part = "memcpy",
			    .size_bytes = 1048576,
			    .rep = 10,
			    .iterations = 1000,
			    .cycles = UINT64_MAX,
			    .ns = 6148914691236517205ULL };
	char buf[128], small[20];

	ck_assert_int_eq(mb_format_row(buf, sizeof(buf), &r), (int)strlen(buf));
	ck_assert_str_eq(buf, "c5-node0-guest,memcpy,1048576,10,1000,"
			      "18446744073709551615,6148914691236517205\n");
	ck_assert_int_eq(mb_format_row(small, sizeof(small), &r), -ERANGE);
	r.label = "a,b";
	ck_assert_int_eq(mb_format_row(buf, sizeof(buf), &r), -EINVAL);
	ck_assert_str_eq(MB_CSV_HEADER,
			 "label,part,size_bytes,rep,iterations,cycles,ns");
}
END_TEST

START_TEST(format_meta_exact)
{
	struct mb_meta m = { .tsc_khz = 2994000,
			     .source = MB_TSC_CALIBRATED,
			     .seed = 0x1f,
			     .host = "my host",
			     .block = 4096,
			     .reps = 10,
			     .io = MB_IO_DIRECT,
			     .disk = "/dev/vda",
			     .rdtscp = 1,
			     .invariant_tsc = 0,
			     .erms = 1,
			     .fsrm = 0 };
	char buf[512];

	ck_assert_int_gt(mb_format_meta(buf, sizeof(buf), &m), 0);
	ck_assert_str_eq(buf,
			 "# mintbench v1 tsc_khz=2994000 source=calibrated "
			 "seed=0x000000000000001f host=my_host block=4096 "
			 "reps=10 io=direct disk=/dev/vda rdtscp=1 "
			 "invariant_tsc=0 erms=1 fsrm=0\n");
	m.disk = NULL;
	m.io = MB_IO_NONE;
	m.source = MB_TSC_OPTION;
	ck_assert_int_gt(mb_format_meta(buf, sizeof(buf), &m), 0);
	ck_assert_ptr_nonnull(strstr(buf, " source=option "));
	ck_assert_ptr_nonnull(strstr(buf, " io=none disk=- "));
	ck_assert_int_eq(mb_format_meta(buf, 40, &m), -ERANGE);
}
END_TEST

START_TEST(names)
{
	ck_assert_str_eq(mb_tsc_source_name(MB_TSC_OPTION), "option");
	ck_assert_str_eq(mb_tsc_source_name(MB_TSC_SYSFS), "sysfs");
	ck_assert_str_eq(mb_tsc_source_name(MB_TSC_MINT), "mint-sysfs");
	ck_assert_str_eq(mb_tsc_source_name(MB_TSC_CALIBRATED), "calibrated");
	ck_assert_str_eq(mb_io_part(MB_IO_DIRECT), "io");
	ck_assert_str_eq(mb_io_part(MB_IO_CACHED), "io-cached");
	ck_assert_str_eq(mb_io_mode_name(MB_IO_CACHED), "cached");
}

static Suite *suite(void)
{
	Suite *s = suite_create("mintbench");
	TCase *core = tcase_create("core");
	TCase *run = mb_tcase_run();
	TCase *direct = mb_tcase_direct();
	TCase *tmpfs = mb_tcase_tmpfs();

	tcase_add_test(core, parse_u64_ok);
	tcase_add_test(core, parse_u64_bad);
	tcase_add_test(core, parse_lmn_ok);
	tcase_add_test(core, parse_lmn_bad);
	tcase_add_test(core, args_defaults);
	tcase_add_test(core, args_all_options);
	tcase_add_test(core, args_bad);
	tcase_add_test(core, args_help);
	tcase_add_test(core, label_and_sanitize);
	tcase_add_test(core, xorshift_known_values);
	tcase_add_test(core, random_block_aligned_within);
	tcase_add_test(core, random_block_uniform);
	tcase_add_test(core, random_block_rejects_bias);
	tcase_add_test(core, random_block_deterministic);
	tcase_add_test(core, random_block_bad);
	tcase_add_test(core, cycles_to_ns_exact);
	tcase_add_test(core, cycles_to_ns_no_overflow);
	tcase_add_test(core, khz_from_cycles);
	tcase_add_test(core, format_row_exact);
	tcase_add_test(core, format_meta_exact);
	tcase_add_test(core, names);
	suite_add_tcase(s, core);
	suite_add_tcase(s, run);
	suite_add_tcase(s, direct);
	suite_add_tcase(s, tmpfs);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
