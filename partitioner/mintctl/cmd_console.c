// SPDX-License-Identifier: GPL-2.0
/*
 * mintctl console [--timeout=SECONDS] [--until=TEXT] NODE[/VM]
 *
 * The node's terminal on its control area (/dev/ttymint0 in the node): what
 * it prints comes from its console ring, what is typed goes to its input
 * ring. This works whatever UART the node has. On a terminal, Ctrl-]
 * detaches; otherwise stdin is sent and output printed until SECONDS pass
 * (default 5), or, with --until, until the output shows TEXT (exit 1 if it
 * did not within SECONDS): scripts run commands in a node this way.
 * NODE/VM follows the VM's serial console inside the node.
 */
#include <getopt.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "mintctl.h"
#include "node.h"
#include "nodeloader.h" /* mint_abi.h: MINT_CON_SIZE */

#define DETACH 0x1d /* Ctrl-] */

#define UNTIL_MAX 256

/*
 * Does TEXT appear in the output? @carry holds the last strlen(TEXT) - 1
 * bytes of the earlier output, so TEXT may span two chunks.
 */
static bool until_seen(char *carry, size_t *clen, const char *text,
		       const char *chunk, size_t n)
{
	size_t tl = strlen(text), total = *clen + n;
	char *buf = malloc(total + 1);
	bool hit;

	if (!buf)
		return false;
	memcpy(buf, carry, *clen);
	memcpy(buf + *clen, chunk, n);
	hit = memmem(buf, total, text, tl) != NULL;
	*clen = total < tl - 1 ? total : tl - 1;
	memcpy(carry, buf + total - *clen, *clen);
	free(buf);
	return hit;
}

/*
 * @first is typed when the session starts, @last when it ends (however it
 * ends): a VM's console is followed by a background tail that @last kills,
 * so the node's shell is free again for the next command.
 */
static int session(const struct cli_ctx *ctx, const char *node,
		   const char *first, const char *last, unsigned int timeout,
		   const char *until)
{
	struct termios saved, raw;
	bool tty = isatty(STDIN_FILENO), eof = false;
	double end = cli_now() + timeout;
	char *ring = malloc(MINT_CON_SIZE), *prev = malloc(MINT_CON_SIZE);
	char carry[UNTIL_MAX];
	size_t len = 0, plen = 0, clen = 0;
	bool found = false;
	int ret = CLI_EXIT_OK;

	if (!ring || !prev) {
		free(ring);
		free(prev);
		return cli_error(ctx, CLI_EXIT_FAIL, "out of memory");
	}
	/* start after what the node printed before */
	if (!node_console_read(ctx, node, prev, MINT_CON_SIZE, &plen) && first)
		ret = node_console_send(ctx, node, first, strlen(first));
	if (cli_denied(ret)) {
		free(ring);
		free(prev);
		return cli_not_root(ctx, node);
	}
	ret = CLI_EXIT_OK;
	if (tty) {
		tcgetattr(STDIN_FILENO, &saved);
		raw = saved;
		cfmakeraw(&raw);
		tcsetattr(STDIN_FILENO, TCSANOW, &raw);
		fprintf(ctx->err,
			"[%s: console on the control area; Ctrl-] "
			"detaches]\r\n",
			node);
	}
	for (;;) {
		struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };
		char in[256];
		size_t common;
		ssize_t n;

		if (!eof && poll(&p, 1, 100) > 0) {
			n = read(STDIN_FILENO, in, sizeof(in));
			if (n <= 0) {
				eof = true;
			} else {
				char *d = memchr(in, DETACH, n);

				if (tty && d) {
					node_console_send(ctx, node, in,
							  d - in);
					break;
				}
				ret = node_console_send(ctx, node, in, n);
				if (cli_denied(ret)) {
					ret = cli_not_root(ctx, node);
					break;
				}
				if (ret) {
					ret = cli_error(ctx, CLI_EXIT_CONFLICT,
							"%s: console input "
							"refused: %s (is it "
							"running?)",
							node, strerror(-ret));
					break;
				}
			}
		} else if (eof) {
			usleep(100 * 1000);
		}
		if (node_console_read(ctx, node, ring, MINT_CON_SIZE, &len))
			break;
		common = node_console_new(ring, len, prev, plen);
		fwrite(ring + common, 1, len - common, ctx->out);
		fflush(ctx->out);
		if (until && until_seen(carry, &clen, until, ring + common,
					len - common))
			found = true;
		memcpy(prev, ring, len);
		plen = len;
		if (found || (!tty && cli_now() > end))
			break;
	}
	if (until && !found && !ret)
		ret = cli_error(ctx, CLI_EXIT_FAIL,
				"%s: '%s' did not appear within %u s", node,
				until, timeout);
	if (last)
		node_console_send(ctx, node, last, strlen(last));
	if (tty)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved);
	free(ring);
	free(prev);
	return ret;
}

int cmd_console(const struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_getopt_tab g;
	const char *until = NULL;
	char node[MINT_NAME_MAX + 2], why[256], follow[160], stop[128],
		state[64];
	const char *arg, *slash;
	unsigned int timeout = 5;
	int opt, ret;

	cli_getopt_begin(ctx, &g);
	while ((opt = cli_getopt(&g, argc, argv)) != -1) {
		if (opt == 'u') {
			if (!*optarg || strlen(optarg) >= UNTIL_MAX)
				return cli_usage(ctx,
						 "--until needs a text of 1 to "
						 "%d characters",
						 UNTIL_MAX - 1);
			until = optarg;
			continue;
		}
		if (opt != 't')
			return cli_bad_option(ctx, argv, opt);
		ret = cli_parse_timeout(ctx, optarg, &timeout);
		if (ret)
			return ret;
	}
	if (optind != argc - 1)
		return cli_usage(ctx, optind == argc ? "missing NODE"
						     : "too many arguments");
	arg = argv[optind];
	slash = strchr(arg, '/');
	snprintf(node, sizeof(node), "%.*s",
		 (int)(slash ? (size_t)(slash - arg) : strlen(arg)), arg);
	ret = cli_check_node_name(ctx, node);
	if (ret)
		return ret;
	if (slash && mint_check_name(slash + 1, "vm", why, sizeof(why)))
		return cli_usage(ctx, "%s", why);
	ret = cli_need_kernel(ctx);
	if (ret)
		return ret;
	if (node_state(ctx, node, state, sizeof(state)))
		return cli_error(ctx, CLI_EXIT_CONFLICT,
				 "no node '%s' in node0's kernel", node);
	if (!mint_state_is(state, MINT_STATE_RUNNING))
		return cli_error(ctx, CLI_EXIT_CONFLICT,
				 "%s: is %s; its console needs it running",
				 node, state);
	if (slash) {
		/* in the background: the node's shell stays free, and its
		 * interrupt key does not reach a foreground job there */
		snprintf(follow, sizeof(follow),
			 "tail -f /run/mint/vm/%s/console.log & echo $! "
			 ">/run/mint/vm/%s/console.follow\n",
			 slash + 1, slash + 1);
		snprintf(stop, sizeof(stop),
			 "kill $(cat /run/mint/vm/%s/console.follow) "
			 "2>/dev/null\n",
			 slash + 1);
	}
	return session(ctx, node, slash ? follow : NULL, slash ? stop : NULL,
		       timeout, until);
}
