// SPDX-License-Identifier: GPL-2.0
/* The helpers shared by mintbench's Check tests (mb_test.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mb_test.h"

/* ---------------------------------------------------------------- helpers */

/* mb_main with a NULL-terminated list of arguments. */
struct run run_main(const char *arg, ...)
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

void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
}

int parse(struct mb_opts *o, char *err, size_t errlen, ...)
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
char *temp_disk(const char *dir, size_t size)
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
int split_lines(char *s, char **lines, int max)
{
	int n = 0;
	char *save = NULL;

	for (char *l = strtok_r(s, "\n", &save); l && n < max;
	     l = strtok_r(NULL, "\n", &save))
		lines[n++] = l;
	return n;
}

/* Splits a CSV line into exactly 7 fields, or fails the test. */
void fields7(char *line, char **f)
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

uint64_t num(const char *s)
{
	uint64_t v = 0;

	ck_assert_msg(mb_parse_u64(s, &v) == 0, "not a number: '%s'", s);
	return v;
}
