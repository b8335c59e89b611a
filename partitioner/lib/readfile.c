// SPDX-License-Identifier: GPL-2.0
/* Whole files into memory: configs, sysfs and proc files, node images. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "readfile.h"

#define FIRST_CAP 4096

/* read(2) again after a signal; 0 at the end, -errno */
static ssize_t read_some(int fd, char *buf, size_t len)
{
	ssize_t n;

	do
		n = read(fd, buf, len);
	while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : n;
}

int mint_read_fd(int fd, size_t max, unsigned int flags, char **out,
		 size_t *outlen)
{
	size_t cap = FIRST_CAP, len = 0;
	struct stat st;
	char *buf, *p, c;
	ssize_t n;
	int err;

	if (fstat(fd, &st))
		return flags & MINT_READ_REGULAR ? -EINVAL : -errno;
	if (S_ISDIR(st.st_mode))
		return flags & MINT_READ_REGULAR ? -EINVAL : -EISDIR;
	if ((flags & MINT_READ_REGULAR) && !S_ISREG(st.st_mode))
		return -EINVAL;
	if (S_ISREG(st.st_mode) && st.st_size > 0)
		cap = (size_t)st.st_size;
	if (cap > max)
		cap = max;
	buf = malloc(cap + 1);
	if (!buf)
		return -ENOMEM;
	for (;;) {
		if (len == cap) {
			/* full: one byte more tells whether the file ends */
			if (cap == max && (flags & MINT_READ_HEAD))
				break;
			n = read_some(fd, &c, 1);
			if (n <= 0) {
				err = (int)n;
				if (err)
					goto fail;
				break;
			}
			if (cap == max) {
				err = -EFBIG;
				goto fail;
			}
			cap = cap > max / 2 ? max : cap ? cap * 2 : 1;
			p = realloc(buf, cap + 1);
			if (!p) {
				err = -ENOMEM;
				goto fail;
			}
			buf = p;
			buf[len++] = c;
			continue;
		}
		n = read_some(fd, buf + len, cap - len);
		if (n < 0) {
			err = (int)n;
			goto fail;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = 0;
	*out = buf;
	*outlen = len;
	return 0;
fail:
	free(buf);
	return err;
}

int mint_read_file(const char *path, size_t max, unsigned int flags, char **out,
		   size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret;

	if (fd < 0)
		return -errno;
	ret = mint_read_fd(fd, max, flags, out, len);
	close(fd);
	return ret;
}
