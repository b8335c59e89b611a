// SPDX-License-Identifier: GPL-2.0
/*
 * Check unit tests of mintbench (bench/evalprog), built with ASan and
 * UBSan. Test cases: "core" (pure functions), "run" (mb_main in-process on
 * a temporary file), "direct" (O_DIRECT reads of a file in $MB_DIRECT_DIR, a
 * disk filesystem) and "tmpfs" (a file in $MB_TMPFS_DIR, a tmpfs).
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

#include "mintbench.h"

/* ---------------------------------------------------------------- helpers */

#define MAX_ARGS 16

struct run {
	int rc;
	char *out;
	char *err;
};

/* mb_main with a NULL-terminated list of arguments. */
static struct run run_main(const char *arg, ...)
{
	char *argv[MAX_ARGS + 1];
	struct run r;
	size_t outlen, errlen;
	FILE *out, *err;
	va_list ap;
	int argc = 0;

	argv[argc++] = (char *)"mintbench";
	va_start(ap, arg);
	for (; arg; arg = va_arg(ap, const char *)) {
		ck_assert_int_lt(argc, MAX_ARGS);
		argv[argc++] = (char *)arg;
	}
	va_end(ap);
	argv[argc] = NULL;
	out = open_memstream(&r.out, &outlen);
	err = open_memstream(&r.err, &errlen);
	ck_assert(out && err);
	r.rc = mb_main(argc, argv, out, err);
	fclose(out);
	fclose(err);
	return r;
}

static void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
}

static int parse(struct mb_opts *o, char *err, size_t errlen, ...)
{
	char *argv[MAX_ARGS + 1];
	const char *a;
	va_list ap;
	int argc = 0;

	argv[argc++] = (char *)"mintbench";
	va_start(ap, errlen);
	while ((a = va_arg(ap, const char *))) {
		ck_assert_int_lt(argc, MAX_ARGS);
		argv[argc++] = (char *)a;
	}
	va_end(ap);
	argv[argc] = NULL;
	return mb_parse_args(argc, argv, o, err, errlen);
}

/* A file of size bytes in dir (or $TMPDIR, /tmp); the caller unlinks it. */
static char *temp_disk(const char *dir, size_t size)
{
	char *path;
	char buf[4096];
	size_t done;
	int fd;

	if (!dir)
		dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	ck_assert_int_gt(asprintf(&path, "%s/mintbench-test.XXXXXX", dir), 0);
	fd = mkstemp(path);
	ck_assert_msg(fd >= 0, "mkstemp %s: %s", path, strerror(errno));
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (char)(i * 7);
	for (done = 0; done < size; done += sizeof(buf))
		ck_assert_int_eq(write(fd, buf, sizeof(buf)), sizeof(buf));
	ck_assert_int_eq(fsync(fd), 0);
	close(fd);
	return path;
}

/* Splits s into lines in place; returns how many (at most max). */
static int split_lines(char *s, char **lines, int max)
{
	int n = 0;
	char *save = NULL;

	for (char *l = strtok_r(s, "\n", &save); l && n < max;
	     l = strtok_r(NULL, "\n", &save))
		lines[n++] = l;
	return n;
}

/* Splits a CSV line into exactly 7 fields, or fails the test. */
static void fields7(char *line, char **f)
{
	int n = 0;
	char *save = NULL;

	for (char *t = strtok_r(line, ",", &save); t;
	     t = strtok_r(NULL, ",", &save)) {
		ck_assert_int_lt(n, 7);
		f[n++] = t;
	}
	ck_assert_int_eq(n, 7);
}

static uint64_t num(const char *s)
{
	uint64_t v = 0;

	ck_assert_msg(mb_parse_u64(s, &v) == 0, "not a number: '%s'", s);
	return v;
}

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
END_TEST

/* ---------------------------------------------------------------- run */

START_TEST(cpu_spin_counts)
{
	ck_assert_uint_eq(mb_cpu_spin(0), 0);
	ck_assert_uint_eq(mb_cpu_spin(1), 1);
	ck_assert_uint_eq(mb_cpu_spin(12345), 12345);
	ck_assert_uint_eq(mb_cpu_spin(10000000), 10000000);
}
END_TEST

START_TEST(main_usage_errors)
{
	static const char *const bad[] = { "0:0:0", "--reps=0", "1:2",
					   "--what" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct run r = run_main(bad[i], NULL);

		ck_assert_msg(r.rc == MB_EXIT_USAGE, "%s: exit %d", bad[i],
			      r.rc);
		ck_assert_str_eq(r.out, "");
		ck_assert_msg(!strncmp(r.err, "mintbench: ", 11) &&
				      strstr(r.err, MB_USAGE "\n"),
			      "%s: stderr '%s'", bad[i], r.err);
		run_free(&r);
	}
}
END_TEST

START_TEST(main_help)
{
	struct run r = run_main("--help", NULL);

	ck_assert_int_eq(r.rc, 0);
	ck_assert_msg(!strncmp(r.out, MB_USAGE "\n", strlen(MB_USAGE) + 1),
		      "help: '%s'", r.out);
	ck_assert_str_eq(r.err, "");
	run_free(&r);
}
END_TEST

START_TEST(main_runtime_errors)
{
	char *small = temp_disk(NULL, 4096), *opt;
	struct run r;

	r = run_main("--disk=/nonexistent/mintbench", "1:0:0", NULL);
	ck_assert_int_eq(r.rc, MB_EXIT_RUNTIME);
	ck_assert_str_eq(r.out, "");
	ck_assert_ptr_nonnull(strstr(r.err, "/nonexistent/mintbench: No such"));
	run_free(&r);

	r = run_main("--disk", "1:0:0", NULL); /* no '=': a usage error */
	ck_assert_int_eq(r.rc, MB_EXIT_USAGE);
	run_free(&r);

	/* a character device is not a disk */
	r = run_main("--allow-cached", "--disk=/dev/null", "1:0:0", NULL);
	ck_assert_int_eq(r.rc, MB_EXIT_RUNTIME);
	ck_assert_ptr_nonnull(strstr(r.err, "not a block device or a regular"));
	run_free(&r);

	/* 4096 bytes hold no 8192-byte block */
	ck_assert_int_gt(asprintf(&opt, "--disk=%s", small), 0);
	r = run_main("--allow-cached", "--block=8192", opt, "1:0:0", NULL);
	free(opt);
	ck_assert_int_eq(r.rc, MB_EXIT_RUNTIME);
	ck_assert_ptr_nonnull(strstr(r.err, "less than one 8192-byte block"));
	ck_assert_str_eq(r.out, "");
	run_free(&r);
	unlink(small);
	free(small);
}
END_TEST

/*
 * Runs mintbench L:M:N = 5:1000:2, 3 repetitions, at 1 GHz (so ns must
 * equal cycles) on a 1 MiB file in dir and checks every line. want_io is
 * "io", "io-cached", or NULL for whichever the comment line says.
 */
static void smoke(const char *dir, int allow_cached, const char *want_io)
{
	static const uint64_t sizes[MB_NR_COPY_SIZES] = MB_COPY_SIZES;
	char *disk = temp_disk(dir, 1 << 20), *opt, *lines[64], *f[7];
	const char *io;
	struct run r;
	int n, i = 2;

	ck_assert_int_gt(asprintf(&opt, "--disk=%s", disk), 0);
	r = run_main("--reps=3", "--tsc-khz=1000000", "--label=smoke", opt,
		     allow_cached ? "--allow-cached" : "5:1000:2",
		     allow_cached ? "5:1000:2" : NULL, NULL);
	free(opt);
	unlink(disk);
	free(disk);
	ck_assert_msg(r.rc == 0, "exit %d: %s", r.rc, r.err);
	ck_assert_str_eq(r.err, "");
	n = split_lines(r.out, lines, 64);
	ck_assert_int_eq(n, 2 + 3 + 3 * MB_NR_COPY_SIZES + 3);
	ck_assert_msg(!strncmp(lines[0],
			       "# mintbench v1 tsc_khz=1000000 source=option "
			       "seed=0x6d696e7462656e63 host=",
			       74),
		      "comment: %s", lines[0]);
	if (strstr(lines[0], " block=4096 reps=3 io=direct "))
		io = "io";
	else if (strstr(lines[0], " block=4096 reps=3 io=cached "))
		io = "io-cached";
	else
		ck_abort_msg("comment: %s", lines[0]);
	if (want_io)
		ck_assert_str_eq(io, want_io);
	ck_assert_str_eq(lines[1], MB_CSV_HEADER);
	for (int part = 0; part < 1 + MB_NR_COPY_SIZES + 1; part++)
		for (uint64_t rep = 1; rep <= 3; rep++, i++) {
			int mem = part >= 1 && part <= MB_NR_COPY_SIZES;
			const char *p = part == 0 ? "cpu" : mem ? "memcpy" : io;
			uint64_t size = part == 0 ? 0
					: mem	  ? sizes[part - 1]
						  : 4096;
			uint64_t iters = part == 0 ? 1000 : mem ? 2 : 5;

			fields7(lines[i], f);
			ck_assert_str_eq(f[0], "smoke");
			ck_assert_str_eq(f[1], p);
			ck_assert_uint_eq(num(f[2]), size);
			ck_assert_uint_eq(num(f[3]), rep);
			ck_assert_uint_eq(num(f[4]), iters);
			ck_assert_uint_gt(num(f[5]), 0);
			ck_assert_uint_eq(num(f[6]), num(f[5]));
		}
	run_free(&r);
}

/* $TMPDIR or /tmp, whichever it is (a disk filesystem or tmpfs) */
START_TEST(main_smoke_allow_cached)
{
	smoke(NULL, 1, NULL);
}
END_TEST

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* A TSC reading bracketed by two clock reads, the tightest of 16. */
static void tsc_and_ns(uint64_t *tsc, uint64_t *ns)
{
	uint64_t best = UINT64_MAX;

	for (int i = 0; i < 16; i++) {
		uint64_t a = now_ns(), t = __rdtsc(), b = now_ns();

		if (b - a < best) {
			best = b - a;
			*tsc = t;
			*ns = a + best / 2;
		}
	}
}

/* The TSC rate measured here, independently of mintbench's own code. */
static double tsc_khz_here(void)
{
	uint64_t c0, t0, c1, t1;

	tsc_and_ns(&c0, &t0);
	while (now_ns() - t0 < 100000000)
		;
	tsc_and_ns(&c1, &t1);
	return (double)(c1 - c0) * 1e6 / (double)(t1 - t0);
}

START_TEST(main_tsc_rate_found)
{
	struct run r = run_main("--reps=1", "0:1000:0", NULL);
	double here = tsc_khz_here();
	char *p;
	uint64_t khz;

	ck_assert_int_eq(r.rc, 0);
	p = strstr(r.out, " tsc_khz=");
	ck_assert_ptr_nonnull(p);
	khz = strtoull(p + 9, NULL, 10);
	ck_assert_msg(strstr(r.out, " source=sysfs ") ||
			      strstr(r.out, " source=mint-sysfs ") ||
			      strstr(r.out, " source=calibrated "),
		      "%s", r.out);
	/* within 3% of a 100 ms measurement against CLOCK_MONOTONIC */
	ck_assert_msg(khz > here * 0.97 && khz < here * 1.03,
		      "tsc_khz=%llu, measured here %.0f",
		      (unsigned long long)khz, here);
	run_free(&r);
}
END_TEST

/* The smallest cycles column of the rows of one part and size. */
static uint64_t min_cycles(char *out, const char *part, uint64_t size)
{
	char *copy = strdup(out), *lines[256], *f[7];
	uint64_t best = UINT64_MAX;
	int n = split_lines(copy, lines, 256);

	for (int i = 2; i < n; i++) {
		fields7(lines[i], f);
		if (!strcmp(f[1], part) && num(f[2]) == size &&
		    num(f[5]) < best)
			best = num(f[5]);
	}
	free(copy);
	ck_assert_uint_ne(best, UINT64_MAX);
	return best;
}

/*
 * The work is really done and timed: ten times the increments or the
 * copies take several times the cycles, four times the bytes more than
 * twice.
 */
START_TEST(main_work_is_measured)
{
	struct run a =
		run_main("--reps=5", "--tsc-khz=1000000", "0:2000000:4", NULL);
	struct run b = run_main("--reps=5", "--tsc-khz=1000000",
				"0:20000000:40", NULL);
	uint64_t small, big, c256, c1024, c1024b;

	ck_assert_int_eq(a.rc, 0);
	ck_assert_int_eq(b.rc, 0);
	small = min_cycles(a.out, "cpu", 0);
	big = min_cycles(b.out, "cpu", 0);
	ck_assert_msg(big > 4 * small, "2e6 increments: %llu cycles, 2e7: %llu",
		      (unsigned long long)small, (unsigned long long)big);
	/* at least a cycle per 20 increments: the loop is not folded */
	ck_assert_uint_gt(small, 100000);
	c256 = min_cycles(a.out, "memcpy", 256 << 10);
	c1024 = min_cycles(a.out, "memcpy", 1024 << 10);
	ck_assert_msg(c1024 > 2 * c256, "memcpy 256 KiB: %llu, 1024 KiB: %llu",
		      (unsigned long long)c256, (unsigned long long)c1024);
	c1024b = min_cycles(b.out, "memcpy", 1024 << 10);
	ck_assert_msg(c1024b > 4 * c1024, "4 copies: %llu cycles, 40: %llu",
		      (unsigned long long)c1024, (unsigned long long)c1024b);
	run_free(&a);
	run_free(&b);
}
END_TEST

/* ---------------------------------------------------------------- disks */

/* Pages of the file at path now in the page cache. */
static size_t resident_pages(const char *path, size_t size)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t npages = (size + (size_t)page - 1) / (size_t)page, n = 0;
	unsigned char *vec = calloc(npages, 1);
	int fd = open(path, O_RDONLY);
	void *map;

	ck_assert(vec && fd >= 0);
	map = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
	ck_assert(map != MAP_FAILED);
	ck_assert_int_eq(mincore(map, size, vec), 0);
	for (size_t i = 0; i < npages; i++)
		n += vec[i] & 1;
	munmap(map, size);
	close(fd);
	free(vec);
	return n;
}

START_TEST(direct_reads_disk)
{
	enum { SIZE = 4 << 20 };
	char *disk, *opt;
	struct run r;
	int fd;

	smoke(getenv("MB_DIRECT_DIR"), 0, "io");

	/* O_DIRECT: the reads leave nothing in the page cache */
	disk = temp_disk(getenv("MB_DIRECT_DIR"), SIZE);
	fd = open(disk, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED), 0);
	close(fd);
	ck_assert_msg(resident_pages(disk, SIZE) == 0,
		      "cannot drop %s from the page cache", disk);
	ck_assert_int_gt(asprintf(&opt, "--disk=%s", disk), 0);
	r = run_main("--reps=4", "--tsc-khz=1000000", opt, "200:0:0", NULL);
	free(opt);
	ck_assert_msg(r.rc == 0, "%s", r.err);
	ck_assert_ptr_nonnull(strstr(r.out, " io=direct "));
	ck_assert_uint_eq(resident_pages(disk, SIZE), 0);
	unlink(disk);
	free(disk);
	run_free(&r);
}
END_TEST

START_TEST(tmpfs_refused)
{
	char *disk = temp_disk(getenv("MB_TMPFS_DIR"), 1 << 20), *opt;
	struct run r;

	ck_assert_int_gt(asprintf(&opt, "--disk=%s", disk), 0);
	r = run_main(opt, "4:1:1", NULL);
	free(opt);
	unlink(disk);
	free(disk);
	ck_assert_int_eq(r.rc, MB_EXIT_RUNTIME);
	/* nothing measured, not even the header: the error comes first */
	ck_assert_str_eq(r.out, "");
	ck_assert_msg(strstr(r.err, "tmpfs") && strstr(r.err, "--allow-cached"),
		      "%s", r.err);
	run_free(&r);
}
END_TEST

START_TEST(tmpfs_allowed_cached)
{
	smoke(getenv("MB_TMPFS_DIR"), 1, "io-cached");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("mintbench");
	TCase *core = tcase_create("core");
	TCase *run = tcase_create("run");
	TCase *direct = tcase_create("direct");
	TCase *tmpfs = tcase_create("tmpfs");

	/* run-check.sh leaves these out (CK_EXCLUDE_TAGS) when it cannot */
	tcase_set_tags(direct, "direct");
	tcase_set_tags(tmpfs, "tmpfs");

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
	tcase_add_test(run, cpu_spin_counts);
	tcase_add_test(run, main_usage_errors);
	tcase_add_test(run, main_help);
	tcase_add_test(run, main_runtime_errors);
	tcase_add_test(run, main_smoke_allow_cached);
	tcase_add_test(run, main_tsc_rate_found);
	tcase_add_test(run, main_work_is_measured);
	tcase_add_test(direct, direct_reads_disk);
	tcase_add_test(tmpfs, tmpfs_refused);
	tcase_add_test(tmpfs, tmpfs_allowed_cached);
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
