// SPDX-License-Identifier: GPL-2.0
/*
 * A node's terminal on its control area, as node0's kernel exposes it:
 * the console ring the node writes (console_log, read whole, oldest byte
 * first) and its input ring (console_in). Used by console, log and vm.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "mintctl.h"
#include "node.h"

/* The node's console ring as node0's kernel exposes it, oldest byte first. */
int node_console_read(const struct cli_ctx *ctx, const char *node, char *buf,
		      size_t size, size_t *len)
{
	char path[4096];

	node_path(ctx, node, "console_log", path, sizeof(path));
	return file_read(path, buf, size, len);
}

/*
 * Where the bytes not printed yet start in @ring, given the @prev read: the
 * ring only grows until it is full, then slides; find the end of what was
 * printed by the last 256 bytes of it.
 */
size_t node_console_new(const char *ring, size_t len, const char *prev,
			size_t plen)
{
	size_t tail = plen < 256 ? plen : 256;
	const char *at, *last = NULL;

	if (!plen)
		return 0;
	if (len >= plen && !memcmp(ring, prev, plen))
		return plen;
	for (at = ring;
	     (at = memmem(at, ring + len - at, prev + plen - tail, tail)); at++)
		last = at;
	return last ? (size_t)(last - ring) + tail : 0;
}

/* @buf to the node's terminal; 0 or -errno. */
int node_console_send(const struct cli_ctx *ctx, const char *node,
		      const char *buf, size_t len)
{
	char path[4096];
	size_t done = 0;
	int fd, tries = 0;

	node_path(ctx, node, "console_in", path, sizeof(path));
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (done < len) {
		ssize_t n = write(fd, buf + done, len - done);

		if (n < 0 && errno == EAGAIN && tries++ < 100) {
			usleep(20 * 1000); /* the node drains it every 20 ms */
			continue;
		}
		if (n < 0) {
			close(fd);
			return -errno;
		}
		done += n;
	}
	close(fd);
	return 0;
}
