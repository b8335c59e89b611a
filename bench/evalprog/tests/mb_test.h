// SPDX-License-Identifier: GPL-2.0
/* The helpers shared by mintbench's Check tests (mb_test.c). */
#ifndef MB_TEST_H
#define MB_TEST_H

#include <check.h>
#include <stddef.h>
#include <stdint.h>

#include "mintbench.h"

#define MAX_ARGS 16

/* What mb_main returned and printed. */
struct run {
	int rc;
	char *out;
	char *err;
};

/* mb_main with a NULL-terminated list of arguments. */
struct run run_main(const char *arg, ...);
void run_free(struct run *r);
/* mb_parse_args with a NULL-terminated list of arguments. */
int parse(struct mb_opts *o, char *err, size_t errlen, ...);
/* A file of size bytes in dir (or $TMPDIR, /tmp); the caller unlinks it. */
char *temp_disk(const char *dir, size_t size);
/* Splits s into lines in place; returns how many (at most max). */
int split_lines(char *s, char **lines, int max);
/* Splits a CSV line into exactly 7 fields, or fails the test. */
void fields7(char *line, char **f);
/* s as a number, or fails the test. */
uint64_t num(const char *s);

/* The test cases of check_mintbench_run.c: "run", "direct", "tmpfs". */
TCase *mb_tcase_run(void);
TCase *mb_tcase_direct(void);
TCase *mb_tcase_tmpfs(void);

#endif
