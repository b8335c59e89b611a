// SPDX-License-Identifier: GPL-2.0
/*
 * A small newc cpio archive, appended to a node's initrd: Linux unpacks
 * concatenated archives in turn, so the node finds these files (its
 * partition config and its name) in its root filesystem.
 */
#include <stdio.h>

#include "internal.h"

#define CPIO_ALIGN(x) (((x) + 3) & ~(size_t)3)
#define CPIO_HDR_LEN 110 /* "070701" and 13 fields of 8 hex digits */

static size_t entry_size(const char *name, size_t len)
{
	return CPIO_ALIGN(CPIO_HDR_LEN + strlen(name) + 1) + CPIO_ALIGN(len);
}

static size_t put_entry(uint8_t *out, unsigned int ino, const char *name,
			unsigned int mode, const void *data, size_t len)
{
	size_t namesize = strlen(name) + 1, off;

	/* magic, ino, mode, uid, gid, nlink, mtime, filesize, devmajor,
	 * devminor, rdevmajor, rdevminor, namesize, check */
	off = (size_t)snprintf((char *)out, CPIO_HDR_LEN + 1,
			       "070701%08X%08X%08X%08X%08X%08X%08zX%08X%08X"
			       "%08X%08X%08zX%08X",
			       ino, mode, 0, 0, 1, 0, len, 0, 0, 0, 0, namesize,
			       0);
	memcpy(out + off, name, namesize);
	off += namesize;
	while (off & 3)
		out[off++] = 0;
	if (len)
		memcpy(out + off, data, len);
	off += len;
	while (off & 3)
		out[off++] = 0;
	return off;
}

size_t nl_cpio_size(const struct nl_cpio_file *files, size_t n)
{
	size_t i, size = entry_size("TRAILER!!!", 0);

	for (i = 0; i < n; i++)
		size += entry_size(files[i].name, files[i].len);
	return size;
}

int nl_cpio_build(const struct nl_cpio_file *files, size_t n, uint8_t *out,
		  size_t cap, size_t *len, struct nl_err *err)
{
	size_t i, off = 0;

	if (nl_cpio_size(files, n) > cap)
		return nl_fail(err, -ENOSPC,
			       "cpio archive needs %zu bytes, %zu given",
			       nl_cpio_size(files, n), cap);
	for (i = 0; i < n; i++) {
		if (!files[i].name[0] || files[i].name[0] == '/' ||
		    strlen(files[i].name) > 255)
			return nl_fail(err, -EINVAL, "cpio: bad file name '%s'",
				       files[i].name);
		off += put_entry(out + off, (unsigned int)i + 1, files[i].name,
				 files[i].mode, files[i].data, files[i].len);
	}
	off += put_entry(out + off, 0, "TRAILER!!!", 0, NULL, 0);
	*len = off;
	return 0;
}
