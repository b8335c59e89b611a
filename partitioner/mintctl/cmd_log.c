// SPDX-License-Identifier: GPL-2.0
/* mintctl log [--follow] NODE */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mintctl.h"
#include "node.h"
#include "nodeloader.h" /* mint_abi.h: MINT_CON_SIZE */

/*
 * node0's own records about the node, after its console: the DMA faults
 * its devices caused since @*shown (the count printed so far), as many as
 * the kernel keeps.
 */
static void log_dma_faults(const struct cli_ctx *ctx, const char *name,
			   uint64_t *shown)
{
	const struct mint_dma_fault *f;
	struct mint_dma dma;
	uint64_t first, k;
	char bdf[16];

	if (!node_dma_read(ctx, name, &dma) || dma.faults <= *shown)
		return;
	first = dma.faults - dma.nr_recent;
	if (first > *shown)
		fprintf(ctx->out,
			"[node0] %s: %" PRIu64 " earlier DMA faults not kept\n",
			name, first - *shown);
	for (k = first > *shown ? first : *shown; k < dma.faults; k++) {
		f = &dma.recent[k - first];
		mint_pci_format(&f->addr, bdf, sizeof(bdf));
		fprintf(ctx->out,
			"[node0] %s: DMA fault %" PRIu64 ": %s %s 0x%" PRIx64
			" blocked by the IOMMU (outside the node's RAM)\n",
			name, k + 1, bdf, f->write ? "write to" : "read from",
			f->iova);
	}
	*shown = dma.faults;
}

int cmd_log(const struct cli_ctx *ctx, int argc, char **argv)
{
	uint64_t faults_shown = 0;
	struct cli_getopt_tab g;
	char *ring = NULL, *prev = NULL;
	size_t len = 0, plen = 0, common;
	bool follow = false;
	int opt, ret;

	cli_getopt_begin(ctx, &g);
	while ((opt = cli_getopt(&g, argc, argv)) != -1) {
		if (opt != 'f')
			return cli_bad_option(ctx, argv, opt);
		follow = true;
	}
	if (optind != argc - 1)
		return cli_usage(ctx, optind == argc ? "missing NODE"
						     : "too many arguments");
	ret = cli_node_operands(ctx, argc, argv, 0);
	if (ret)
		return ret;
	ret = cli_need_kernel(ctx);
	if (ret)
		return ret;
	if (!node_defined(ctx, argv[optind]))
		return cli_error(ctx, CLI_EXIT_CONFLICT,
				 "no node '%s' in node0's kernel; start it "
				 "first",
				 argv[optind]);
	ring = malloc(MINT_CON_SIZE);
	prev = malloc(MINT_CON_SIZE);
	if (!ring || !prev) {
		ret = cli_error(ctx, CLI_EXIT_FAIL, "out of memory");
		goto out;
	}
	for (;;) {
		ret = node_console_read(ctx, argv[optind], ring, MINT_CON_SIZE,
					&len);
		if (ret) {
			ret = cli_error(ctx, CLI_EXIT_FAIL,
					"%s: cannot read its log: %s",
					argv[optind], strerror(-ret));
			goto out;
		}
		common = node_console_new(ring, len, prev, plen);
		fwrite(ring + common, 1, len - common, ctx->out);
		log_dma_faults(ctx, argv[optind], &faults_shown);
		fflush(ctx->out);
		if (!follow)
			break;
		memcpy(prev, ring, len);
		plen = len;
		usleep(500 * 1000);
	}
	ret = CLI_EXIT_OK;
out:
	free(ring);
	free(prev);
	return ret;
}
