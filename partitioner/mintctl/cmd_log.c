// SPDX-License-Identifier: GPL-2.0
/* mintctl log [--follow] NODE */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mintctl.h"
#include "node.h"
#include "nodeloader.h" /* mint_abi.h: MINT_CON_SIZE */

/* The node's console ring as node0's kernel exposes it, oldest byte first. */
int node_console_read(const struct mint_ctx *ctx, const char *node, char *buf,
		      size_t size, size_t *len)
{
	const char *root = strcmp(ctx->sysroot, "/") ? ctx->sysroot : "";
	char path[4096];
	ssize_t n = 0;
	int fd;

	snprintf(path, sizeof(path), "%s/%s/%s/console_log", root,
		 MINT_KERNEL_DIR, node);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	*len = 0;
	while (*len < size && (n = read(fd, buf + *len, size - *len)) > 0)
		*len += n;
	close(fd);
	return n < 0 ? -errno : 0;
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

int cmd_log(const struct mint_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "follow", no_argument, NULL, 'f' }, { NULL, 0, NULL, 0 }
	};
	char *ring = NULL, *prev = NULL;
	size_t len = 0, plen = 0, common;
	bool follow = false;
	int opt, ret;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":f", opts, NULL)) != -1) {
		if (opt != 'f')
			return cli_bad_option(ctx, argv, opt);
		follow = true;
	}
	if (optind != argc - 1)
		return cli_usage(ctx, optind == argc ? "missing NODE"
						     : "too many arguments");
	ret = cli_node_operands(ctx, argc, argv, false, false);
	if (ret)
		return ret;
	ret = cli_need_kernel(ctx);
	if (ret)
		return ret;
	if (!node_defined(ctx, argv[optind]))
		return cli_error(ctx, MINT_EXIT_CONFLICT,
				 "no node '%s' in node0's kernel; start it "
				 "first",
				 argv[optind]);
	ring = malloc(MINT_CON_SIZE);
	prev = malloc(MINT_CON_SIZE);
	if (!ring || !prev) {
		ret = cli_error(ctx, MINT_EXIT_FAIL, "out of memory");
		goto out;
	}
	for (;;) {
		ret = node_console_read(ctx, argv[optind], ring, MINT_CON_SIZE,
					&len);
		if (ret) {
			ret = cli_error(ctx, MINT_EXIT_FAIL,
					"%s: cannot read its log: %s",
					argv[optind], strerror(-ret));
			goto out;
		}
		common = node_console_new(ring, len, prev, plen);
		fwrite(ring + common, 1, len - common, ctx->out);
		fflush(ctx->out);
		if (!follow)
			break;
		memcpy(prev, ring, len);
		plen = len;
		usleep(500 * 1000);
	}
	ret = MINT_EXIT_OK;
out:
	free(ring);
	free(prev);
	return ret;
}
