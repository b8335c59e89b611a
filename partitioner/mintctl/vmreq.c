// SPDX-License-Identifier: GPL-2.0
/*
 * Requests to a node's VM supervisor (mintctl vm, mintctl migrate): a
 * shell line typed on the node's control-area terminal, as 'mintctl
 * console' does, whose answer is one line "@@MINTVM REPLY"; and the VM's
 * line in its kernel's supervisor report.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mintctl.h"
#include "node.h"
#include "nodeloader.h" /* mint_abi.h: MINT_CON_SIZE */

#define REPLY_TIMEOUT_S 15 /* the node's shell answers the request */
#define REPLY_TAG "@@MINTVM "
#define REPORT_MAX 2048

/*
 * The answer "@@MINTVM REPLY" of the request line in the node's output
 * @buf: REPLY in @word once its line is complete; false until then.
 */
static bool reply_word(const char *buf, size_t len, char *word, size_t wlen)
{
	const char *p = memmem(buf, len, REPLY_TAG, strlen(REPLY_TAG));
	const char *end;
	size_t n;

	if (!p)
		return false;
	p += strlen(REPLY_TAG);
	end = memchr(p, '\n', len - (size_t)(p - buf));
	if (!end)
		return false;
	n = strcspn(p, "\r\n");
	snprintf(word, wlen, "%.*s", (int)n, p);
	return true;
}

int node_shell_ask(const struct cli_ctx *ctx, const char *node,
		   const char *line, char *reply, size_t rlen,
		   unsigned int timeout)
{
	char *ring = malloc(MINT_CON_SIZE), *prev = malloc(MINT_CON_SIZE),
	     *seen = malloc(MINT_CON_SIZE);
	size_t len = 0, plen = 0, slen = 0, common;
	unsigned int bound = timeout && timeout < REPLY_TIMEOUT_S
				     ? timeout
				     : REPLY_TIMEOUT_S;
	double end = cli_now() + bound;
	bool answered = false;
	int ret;

	if (!ring || !prev || !seen) {
		ret = cli_error(ctx, CLI_EXIT_FAIL, "out of memory");
		goto out;
	}
	if (node_console_read(ctx, node, prev, MINT_CON_SIZE, &plen))
		plen = 0;
	ret = node_console_send(ctx, node, line, strlen(line));
	if (cli_denied(ret)) {
		ret = cli_not_root(ctx, node);
		goto out;
	}
	if (ret) {
		ret = cli_error(ctx, CLI_EXIT_FAIL,
				"%s: its terminal refused the request: %s",
				node, strerror(-ret));
		goto out;
	}
	while (!answered && cli_now() < end) {
		usleep(100 * 1000);
		if (node_console_read(ctx, node, ring, MINT_CON_SIZE, &len))
			continue;
		common = node_console_new(ring, len, prev, plen);
		if (len - common > MINT_CON_SIZE - slen)
			slen = 0;
		memcpy(seen + slen, ring + common, len - common);
		slen += len - common;
		memcpy(prev, ring, len);
		plen = len;
		answered = reply_word(seen, slen, reply, rlen);
	}
	ret = answered ? CLI_EXIT_OK
		       : cli_error(ctx, CLI_EXIT_FAIL,
				   "%s: its shell on the control-area "
				   "terminal did not answer within %u s "
				   "('mintctl console %s' shows what it does)",
				   node, bound, node);
out:
	free(ring);
	free(prev);
	free(seen);
	return ret;
}

int node_shell_poll(const struct cli_ctx *ctx, const char *node,
		    const char *line, char *reply, size_t rlen,
		    unsigned int timeout)
{
	struct cli_ctx silent = *ctx;
	FILE *null = fopen("/dev/null", "w");
	int ret;

	if (!null)
		return CLI_EXIT_FAIL;
	silent.err = null;
	silent.quiet = true;
	ret = node_shell_ask(&silent, node, line, reply, rlen, timeout);
	fclose(null);
	return ret;
}

int vm_request_node(const struct cli_ctx *ctx, const char *node, const char *vm,
		    const char *action, unsigned int timeout)
{
	char line[512], word[32] = "";
	int ret;

	/* the quotes keep the echo of the typed line from matching */
	snprintf(line, sizeof(line),
		 "d=/run/mint/vm/%s; if kill -0 \"$(cat /run/mint/vmd.pid "
		 "2>/dev/null)\" 2>/dev/null; then mkdir -p $d && echo %s "
		 ">$d/want.new && mv $d/want.new $d/want && echo @@MINT''VM "
		 "ok; else echo @@MINT''VM no-supervisor; fi\n",
		 vm, action);
	ret = node_shell_ask(ctx, node, line, word, sizeof(word), timeout);
	if (ret)
		return ret;
	if (strcmp(word, "ok"))
		return cli_error(ctx, CLI_EXIT_CONFLICT,
				 "%s: no VM supervisor (mint-vmd) runs in it; "
				 "see /run/mint/vmd.log there",
				 node);
	return CLI_EXIT_OK;
}

bool vm_now(const struct cli_ctx *ctx, const char *node, const char *vm,
	    char *state, size_t slen, char *detail, size_t dlen)
{
	char report[REPORT_MAX];
	long age;

	if (!strcmp(node, "node0")
		    ? node0_vms_read(ctx, report, sizeof(report), &age)
		    : node_read(ctx, node, "vms", report, sizeof(report)))
		return false;
	return !mint_vms_report_find(report, vm, state, slen, detail, dlen);
}
