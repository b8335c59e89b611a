// SPDX-License-Identifier: GPL-2.0
/*
 * mint-qmp: one QMP command to a QEMU, from a shell script (mint-vm).
 *
 *   mint-qmp [-t SECONDS] SOCKET COMMAND [ARGUMENTS]
 *       connects to QEMU's QMP socket (-qmp unix:SOCKET,server=on,wait=off),
 *       negotiates, runs COMMAND with ARGUMENTS (one JSON object) and prints
 *       its return value as one line of JSON. Events on the way are
 *       skipped. Exit 0; 1 QEMU answered with an error (its class and
 *       description on stderr); 2 usage; 3 no answer within SECONDS
 *       (default 10), or the socket failed.
 *   mint-qmp get PATH
 *       prints the value at PATH ("ram.transferred") of the JSON object on
 *       its standard input: a string bare, anything else as JSON. Exit 1
 *       when it is not there.
 */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "qmp.h"

#define LINE_MAX_BYTES (1u << 20)

struct conn {
	int fd;
	char *buf;
	size_t len; /* bytes in buf */
	double deadline;
	const char *cmd; /* for the messages */
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int fail(int code, const char *cmd, const char *what)
{
	fprintf(stderr, "mint-qmp: %s: %s\n", cmd, what);
	return code;
}

/* The next line from QEMU into @line (NUL-terminated, newline removed).
 * 0, or an exit code with the message printed. */
static int next_line(struct conn *c, char *line)
{
	struct pollfd p = { .fd = c->fd, .events = POLLIN };
	char *nl;
	ssize_t r;
	double left;

	for (;;) {
		nl = memchr(c->buf, '\n', c->len);
		if (nl) {
			memcpy(line, c->buf, (size_t)(nl - c->buf));
			line[nl - c->buf] = 0;
			c->len -= (size_t)(nl - c->buf) + 1;
			memmove(c->buf, nl + 1, c->len);
			return 0;
		}
		if (c->len >= LINE_MAX_BYTES - 1)
			return fail(3, c->cmd, "an answer longer than 1 MiB");
		left = c->deadline - now();
		if (left <= 0)
			return fail(3, c->cmd, "no answer from QEMU in time");
		r = poll(&p, 1, (int)(left * 1000) + 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0)
			continue;
		if (r < 0)
			return fail(3, c->cmd, strerror(errno));
		r = read(c->fd, c->buf + c->len, LINE_MAX_BYTES - 1 - c->len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return fail(
				3, c->cmd,
				r ? strerror(errno)
				  : "QEMU closed the socket before answering");
		c->len += (size_t)r;
	}
}

static int send_all(struct conn *c, const char *s)
{
	size_t off = 0, n = strlen(s);
	ssize_t w;

	while (off < n) {
		w = write(c->fd, s + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return fail(3, c->cmd, strerror(errno));
		off += (size_t)w;
	}
	return 0;
}

/* Runs @cmd and waits for its answer; prints the return value when
 * @print. An exit code. */
static int execute(struct conn *c, const char *cmd, const char *args,
		   char *line, bool print)
{
	char desc[512], cls[128];
	int ret;

	if (qmp_command(cmd, args, line, LINE_MAX_BYTES))
		return fail(2, cmd,
			    "malformed command name or arguments (one JSON "
			    "object)");
	ret = send_all(c, line);
	while (!ret) {
		ret = next_line(c, line);
		if (ret)
			break;
		switch (qmp_kind(line)) {
		case QMP_RETURN:
			if (print &&
			    qmp_json_get(line, "return", line, LINE_MAX_BYTES))
				return fail(3, cmd, "unreadable return value");
			if (print)
				puts(line);
			return 0;
		case QMP_ERROR:
			if (qmp_json_get(line, "error.desc", desc,
					 sizeof(desc)))
				snprintf(desc, sizeof(desc),
					 "(no description)");
			if (qmp_json_get(line, "error.class", cls, sizeof(cls)))
				snprintf(cls, sizeof(cls), "?");
			fprintf(stderr, "mint-qmp: %s: %s (%s)\n", cmd, desc,
				cls);
			return 1;
		case QMP_BAD:
			return fail(3, cmd,
				    "QEMU sent a line that is not JSON");
		default:
			break; /* events */
		}
	}
	return ret;
}

static int run(const char *sock, const char *cmd, const char *args,
	       double timeout)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct conn c = { .fd = -1, .cmd = cmd, .deadline = now() + timeout };
	char *line = malloc(LINE_MAX_BYTES);
	int ret;

	c.buf = malloc(LINE_MAX_BYTES);
	if (!line || !c.buf) {
		ret = fail(3, cmd, "out of memory");
		goto out;
	}
	if (strlen(sock) >= sizeof(sa.sun_path)) {
		ret = fail(2, cmd, "socket path too long");
		goto out;
	}
	memcpy(sa.sun_path, sock, strlen(sock) + 1);
	c.fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c.fd < 0 || connect(c.fd, (struct sockaddr *)&sa, sizeof(sa))) {
		fprintf(stderr, "mint-qmp: %s: cannot connect to %s: %s\n", cmd,
			sock, strerror(errno));
		ret = 3;
		goto out;
	}
	ret = next_line(&c, line);
	if (!ret && qmp_kind(line) != QMP_GREETING)
		ret = fail(3, cmd, "no QMP greeting on the socket");
	ret = ret ?: execute(&c, "qmp_capabilities", NULL, line, false);
	ret = ret ?: execute(&c, cmd, args, line, true);
out:
	if (c.fd >= 0)
		close(c.fd);
	free(line);
	free(c.buf);
	return ret;
}

static int get(const char *path)
{
	char *in = malloc(LINE_MAX_BYTES), *out = malloc(LINE_MAX_BYTES);
	size_t n = 0;
	int ret = 1;

	if (!in || !out) {
		ret = fail(3, "get", "out of memory");
		goto out;
	}
	n = fread(in, 1, LINE_MAX_BYTES - 1, stdin);
	in[n] = 0;
	if (!qmp_json_get(in, path, out, LINE_MAX_BYTES)) {
		puts(out);
		ret = 0;
	}
out:
	free(in);
	free(out);
	return ret;
}

static int usage(void)
{
	fputs("usage: mint-qmp [-t SECONDS] SOCKET COMMAND [ARGUMENTS]\n"
	      "       mint-qmp get PATH < JSON\n",
	      stderr);
	return 2;
}

int main(int argc, char **argv)
{
	double timeout = 10;
	char *end;
	int i = 1;

	if (argc == 3 && !strcmp(argv[1], "get"))
		return get(argv[2]);
	if (argc > 2 && !strcmp(argv[1], "-t")) {
		timeout = strtod(argv[2], &end);
		if (*end || end == argv[2] || !(timeout > 0 && timeout < 1e6))
			return usage();
		i = 3;
	}
	if (argc - i < 2 || argc - i > 3)
		return usage();
	return run(argv[i], argv[i + 1], argc - i == 3 ? argv[i + 2] : NULL,
		   timeout);
}
