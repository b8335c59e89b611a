// SPDX-License-Identifier: GPL-2.0
/* The whole-file reader: limits, the head only, what is not a file. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "readfile.h"

/* A temporary file holding @len bytes of @text repeated; its path. */
static char *temp_file(const char *text, size_t len)
{
	static const char tmpl[] = "/tmp/check_readfile.XXXXXX";
	char *path = strdup(tmpl);
	size_t tl = strlen(text), done;
	FILE *f;
	int fd;

	ck_assert_ptr_nonnull(path);
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	ck_assert_ptr_nonnull(f);
	for (done = 0; done < len; done++)
		fputc(text[done % tl], f);
	ck_assert_int_eq(fclose(f), 0);
	return path;
}

static const struct {
	size_t size, max;
	unsigned int flags;
	int ret;
	size_t len;
} cases[] = {
	{ 0, 100, 0, 0, 0 },
	{ 10, 100, 0, 0, 10 },
	{ 100, 100, 0, 0, 100 }, /* exactly the limit */
	{ 101, 100, 0, -EFBIG, 0 },
	{ 101, 100, MINT_READ_HEAD, 0, 100 },
	{ 5000, 100000, 0, 0, 5000 },
	{ 100000, 100000, MINT_READ_REGULAR, 0, 100000 },
	{ 100001, 100000, MINT_READ_HEAD, 0, 100000 },
	{ 3, 0, 0, -EFBIG, 0 },
};

START_TEST(tc_sizes)
{
	char *path = temp_file("0123456789abcdef", cases[_i].size), *buf = NULL;
	size_t len = 12345;
	int ret = mint_read_file(path, cases[_i].max, cases[_i].flags, &buf,
				 &len);

	unlink(path);
	free(path);
	ck_assert_int_eq(ret, cases[_i].ret);
	if (ret) {
		ck_assert_ptr_null(buf);
		return;
	}
	ck_assert_uint_eq(len, cases[_i].len);
	ck_assert_int_eq(buf[len], 0); /* a NUL after the bytes */
	for (size_t i = 0; i < len; i++)
		ck_assert_int_eq(buf[i], "0123456789abcdef"[i % 16]);
	free(buf);
}
END_TEST

/* proc files: stat says 0 bytes, and there are more */
START_TEST(tc_proc)
{
	char *buf;
	size_t len;

	ck_assert_int_eq(
		mint_read_file("/proc/self/status", 1 << 20, 0, &buf, &len), 0);
	ck_assert_uint_gt(len, 0);
	ck_assert_uint_eq(strlen(buf), len);
	ck_assert_ptr_nonnull(strstr(buf, "Name:"));
	free(buf);
}
END_TEST

START_TEST(tc_not_files)
{
	char *buf;
	size_t len;

	ck_assert_int_eq(mint_read_file("/nonexistent/x", 10, 0, &buf, &len),
			 -ENOENT);
	ck_assert_int_eq(mint_read_file("/tmp", 10, 0, &buf, &len), -EISDIR);
	ck_assert_int_eq(
		mint_read_file("/tmp", 10, MINT_READ_REGULAR, &buf, &len),
		-EINVAL);
	ck_assert_int_eq(
		mint_read_file("/dev/null", 10, MINT_READ_REGULAR, &buf, &len),
		-EINVAL);
	ck_assert_int_eq(mint_read_file("/dev/null", 10, 0, &buf, &len), 0);
	ck_assert_uint_eq(len, 0);
	free(buf);
}
END_TEST

/* A pipe, as standard input can be: read to its end, in pieces. */
START_TEST(tc_pipe)
{
	char *buf, chunk[1000];
	size_t len;
	int p[2], i;

	ck_assert_int_eq(pipe(p), 0);
	memset(chunk, 'x', sizeof(chunk));
	for (i = 0; i < 20; i++)
		ck_assert_int_eq(write(p[1], chunk, sizeof(chunk)),
				 (int)sizeof(chunk));
	close(p[1]);
	ck_assert_int_eq(mint_read_fd(p[0], 1 << 20, 0, &buf, &len), 0);
	close(p[0]);
	ck_assert_uint_eq(len, 20 * sizeof(chunk));
	free(buf);
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

int main(void)
{
	Suite *s = suite_create("readfile");
	TCase *tc = tcase_create("readfile");
	SRunner *sr;
	int nf;

	tcase_add_loop_test(tc, tc_sizes, 0, N(cases));
	tcase_add_test(tc, tc_proc);
	tcase_add_test(tc, tc_not_files);
	tcase_add_test(tc, tc_pipe);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf ? EXIT_FAILURE : EXIT_SUCCESS;
}
