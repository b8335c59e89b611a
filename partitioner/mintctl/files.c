// SPDX-License-Identifier: GPL-2.0
/*
 * node0's files below the sysroot, and node0's kernel interface
 * (/sys/kernel/mint): every file mintctl reads whole goes through
 * file_read(), which is libmint's mint_read_file().
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "files.h"
#include "readfile.h"

const char *cli_root(const struct cli_ctx *ctx)
{
	return strcmp(ctx->sysroot, "/") ? ctx->sysroot : "";
}

int file_read(const char *path, char *buf, size_t size, size_t *len)
{
	char *data;
	int ret;

	*len = 0;
	ret = mint_read_file(path, size, MINT_READ_HEAD, &data, len);
	if (ret)
		return ret;
	memcpy(buf, data, *len);
	free(data);
	return 0;
}

/* The head of a file into @out as a string; its length in *n. */
static int file_read_text(const char *path, char *out, size_t len, size_t *n)
{
	int ret = file_read(path, out, len - 1, n);

	if (!ret)
		out[*n] = 0;
	return ret;
}

int file_read_str(const char *path, char *out, size_t len)
{
	size_t n;
	int ret = file_read_text(path, out, len, &n);

	if (ret)
		return ret;
	while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == ' '))
		out[--n] = 0;
	return 0;
}

int file_read_line(const char *path, char *out, size_t len)
{
	size_t n;
	int ret = file_read_text(path, out, len, &n);

	if (ret)
		return ret;
	out[strcspn(out, "\n")] = 0;
	return 0;
}

int file_write_whole(const char *path, const void *data, size_t len, bool sync)
{
	char tmp[4200];
	ssize_t n;
	int fd, ret = 0;

	if (snprintf(tmp, sizeof(tmp), "%s.new", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	n = write(fd, data, len);
	if (n != (ssize_t)len || (sync && fsync(fd)))
		ret = n < 0 ? -errno : -EIO;
	if (close(fd) && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret)
		unlink(tmp);
	return ret;
}

int file_write_str(const char *path, const char *val)
{
	ssize_t n;
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	close(fd);
	return n < 0 ? -errno : 0;
}

int file_mkdir_p(const char *path)
{
	char buf[4096];
	char *p;

	snprintf(buf, sizeof(buf), "%s", path);
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(buf, 0755) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, 0755) && errno != EEXIST)
		return -errno;
	return 0;
}

void node_path(const struct cli_ctx *ctx, const char *node, const char *attr,
	       char *out, size_t len)
{
	if (node)
		snprintf(out, len, "%s/%s/%s/%s", cli_root(ctx), CLI_KERNEL_DIR,
			 node, attr);
	else
		snprintf(out, len, "%s/%s/%s", cli_root(ctx), CLI_KERNEL_DIR,
			 attr);
}

int node_read(const struct cli_ctx *ctx, const char *node, const char *attr,
	      char *out, size_t len)
{
	char path[4096];

	node_path(ctx, node, attr, path, sizeof(path));
	return file_read_str(path, out, len);
}

int node_write(const struct cli_ctx *ctx, const char *node, const char *attr,
	       const char *val)
{
	char path[4096];

	node_path(ctx, node, attr, path, sizeof(path));
	return file_write_str(path, val);
}

bool node_defined(const struct cli_ctx *ctx, const char *node)
{
	char buf[64];

	return node_read(ctx, node, "state", buf, sizeof(buf)) == 0;
}

int node_state(const struct cli_ctx *ctx, const char *node, char *out,
	       size_t len)
{
	return node_read(ctx, node, "state", out, len);
}

int node_list(const struct cli_ctx *ctx, char names[][MINT_NAME_MAX + 1],
	      int max)
{
	char path[4096];
	struct dirent *de;
	int n = 0;
	DIR *d;

	node_path(ctx, NULL, "", path, sizeof(path));
	d = opendir(path);
	if (!d)
		return -errno;
	while ((de = readdir(d)) && n < max) {
		char state[64];

		if (de->d_name[0] == '.' ||
		    strlen(de->d_name) > MINT_NAME_MAX ||
		    node_state(ctx, de->d_name, state, sizeof(state)))
			continue;
		strcpy(names[n++], de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]),
	      (int (*)(const void *, const void *))strcmp);
	return n;
}
