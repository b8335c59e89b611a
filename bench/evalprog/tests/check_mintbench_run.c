// SPDX-License-Identifier: GPL-2.0
/*
 * mintbench's Check test cases that run mb_main: "run" (in-process on a
 * temporary file), "direct" (O_DIRECT reads of a file in $MB_DIRECT_DIR)
 * and "tmpfs" (a file in $MB_TMPFS_DIR). check_mintbench.c adds them to
 * its suite.
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

TCase *mb_tcase_run(void)
{
	TCase *tc = tcase_create("run");

	tcase_add_test(tc, cpu_spin_counts);
	tcase_add_test(tc, main_usage_errors);
	tcase_add_test(tc, main_help);
	tcase_add_test(tc, main_runtime_errors);
	tcase_add_test(tc, main_smoke_allow_cached);
	tcase_add_test(tc, main_tsc_rate_found);
	tcase_add_test(tc, main_work_is_measured);
	return tc;
}

/* run-check.sh leaves these out (CK_EXCLUDE_TAGS) when it cannot */
TCase *mb_tcase_direct(void)
{
	TCase *tc = tcase_create("direct");

	tcase_set_tags(tc, "direct");
	tcase_add_test(tc, direct_reads_disk);
	return tc;
}

TCase *mb_tcase_tmpfs(void)
{
	TCase *tc = tcase_create("tmpfs");

	tcase_set_tags(tc, "tmpfs");
	tcase_add_test(tc, tmpfs_refused);
	tcase_add_test(tc, tmpfs_allowed_cached);
	return tc;
}
