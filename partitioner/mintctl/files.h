/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mintctl: node0's files below the sysroot and node0's kernel interface
 * (/sys/kernel/mint), read and written. The bottom layer: node.c,
 * devices.c, nodeinfo.c and the rest call it, it calls none of them.
 */
#ifndef MINTCTL_FILES_H
#define MINTCTL_FILES_H

#include <stdbool.h>
#include <stddef.h>

#include "mintctl.h"

/* The sysroot as a prefix of absolute paths: "" for "/". */
const char *cli_root(const struct cli_ctx *ctx);

/* The one whole-file reader of mintctl (libmint's mint_read_file()): at
 * most @size bytes of @path into @buf, *@len of them (no NUL added); a
 * longer file is cut. 0 or -errno. */
int file_read(const char *path, char *buf, size_t size, size_t *len);
/* A small text file (sysfs attribute) as a string, trailing newlines and
 * spaces cut. */
int file_read_str(const char *path, char *out, size_t len);
/* The first line of a text file, without its newline. */
int file_read_line(const char *path, char *out, size_t len);
/* One write (sysfs attributes take one); truncates a regular file, so a
 * fake tree in the tests shows the last value written. */
int file_write_str(const char *path, const char *val);
/* @len bytes of @data as the whole of file @path (0644), through
 * PATH.new and a rename, so readers see the old or the new file, never a
 * part; fsync()ed first with @sync. 0 or -errno. */
int file_write_whole(const char *path, const void *data, size_t len, bool sync);
/* mkdir -p: 0 or -errno */
int file_mkdir_p(const char *path);

/* The path of @attr of node @node in node0's kernel interface, or of
 * @attr of the interface itself when @node is NULL. */
void node_path(const struct cli_ctx *ctx, const char *node, const char *attr,
	       char *out, size_t len);
int node_read(const struct cli_ctx *ctx, const char *node, const char *attr,
	      char *out, size_t len);
int node_write(const struct cli_ctx *ctx, const char *node, const char *attr,
	       const char *val);
bool node_defined(const struct cli_ctx *ctx, const char *node);
int node_state(const struct cli_ctx *ctx, const char *node, char *out,
	       size_t len);
/* Names of the nodes node0's kernel knows, sorted. */
int node_list(const struct cli_ctx *ctx, char names[][MINT_NAME_MAX + 1],
	      int max);

#endif /* MINTCTL_FILES_H */
