/* SPDX-License-Identifier: GPL-2.0 */
/* The one whole-file reader of libmint and mintctl. */
#ifndef MINT_READFILE_H
#define MINT_READFILE_H

#include <stddef.h>

/* Only a regular file: anything else is -EINVAL (a kernel or initrd). */
#define MINT_READ_REGULAR 0x1u
/* The first @max bytes, without an error when the file holds more (the
 * config: one byte more than its limit tells the parser it is too big). */
#define MINT_READ_HEAD 0x2u

/*
 * mint_read_fd() - read what is left of @fd into a new buffer
 * @max:   read at most this many bytes; a file that holds more is -EFBIG
 *         unless @flags has MINT_READ_HEAD
 * @flags: MINT_READ_*
 * @out:   the bytes, malloc()ed, with a NUL after the last one (not
 *         counted in @len); the caller frees it
 *
 * Files whose size stat cannot tell (/proc, /sys, pipes) are read until
 * their end; a regular file's size only sizes the first allocation. A
 * directory is -EISDIR. Returns 0 or -errno; @fd stays open.
 */
int mint_read_fd(int fd, size_t max, unsigned int flags, char **out,
		 size_t *len);
/* The same for the file @path, opened and closed here. */
int mint_read_file(const char *path, size_t max, unsigned int flags, char **out,
		   size_t *len);

#endif /* MINT_READFILE_H */
