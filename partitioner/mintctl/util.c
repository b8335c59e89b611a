// SPDX-License-Identifier: GPL-2.0
/* Helpers shared by the verbs: errors, config loading, the kernel check. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#endif

#include "mintctl.h"
#include "readfile.h"

/* One error or warning on stderr; fields that are NULL or 0 are left out. */
struct cli_msg {
	bool warning; /* else an error */
	int code; /* the exit code an error leads to */
	bool usage; /* a usage error: the command's synopsis follows */
	const char *file; /* a config error: its file and line (0: none) */
	unsigned int line;
};

/*
 * Under --json (ctx->json) one line of JSON: {"command": VERB, "error":
 * TEXT, "exit": CODE}, with "usage" (the synopsis) for a usage error and
 * "file" and "line" for a config error; or {"command": VERB, "warning":
 * TEXT}. Otherwise "mintctl: VERB: TEXT" and for a usage error the
 * "Usage:" line.
 */
static void emit(const struct cli_ctx *ctx, const struct cli_msg *m,
		 const char *text)
{
	struct mint_buf b;
	char usage[512];

	if (!ctx->json) {
		fprintf(ctx->err, "mintctl: %s: %s\n", ctx->cmd->name, text);
		if (m->usage)
			fprintf(ctx->err, "Usage: mintctl %s %s\n",
				ctx->cmd->name, ctx->cmd->synopsis);
		return;
	}
	mint_buf_init(&b);
	mint_buf_puts(&b, "{\"command\": ");
	mint_json_string(&b, ctx->cmd->name);
	mint_buf_puts(&b, m->warning ? ", \"warning\": " : ", \"error\": ");
	mint_json_string(&b, text);
	if (!m->warning)
		mint_buf_printf(&b, ", \"exit\": %d", m->code);
	if (m->usage) {
		snprintf(usage, sizeof(usage), "mintctl %s %s", ctx->cmd->name,
			 ctx->cmd->synopsis);
		mint_buf_puts(&b, ", \"usage\": ");
		mint_json_string(&b, usage);
	}
	if (m->file) {
		mint_buf_puts(&b, ", \"file\": ");
		mint_json_string(&b, m->file);
		if (m->line)
			mint_buf_printf(&b, ", \"line\": %u", m->line);
		else
			mint_buf_puts(&b, ", \"line\": null");
	}
	mint_buf_puts(&b, "}\n");
	if (b.data && !b.nomem)
		fputs(b.data, ctx->err);
	mint_buf_free(&b);
}

static void vemit(const struct cli_ctx *ctx, const struct cli_msg *m,
		  const char *fmt, va_list ap)
{
	struct mint_buf text;

	mint_buf_init(&text);
	mint_buf_vprintf(&text, fmt, ap);
	emit(ctx, m, text.data && !text.nomem ? text.data : "out of memory");
	mint_buf_free(&text);
}

int cli_usage(const struct cli_ctx *ctx, const char *fmt, ...)
{
	const struct cli_msg m = { .code = CLI_EXIT_USAGE, .usage = true };
	va_list ap;

	va_start(ap, fmt);
	vemit(ctx, &m, fmt, ap);
	va_end(ap);
	return m.code;
}

int cli_error(const struct cli_ctx *ctx, int code, const char *fmt, ...)
{
	const struct cli_msg m = { .code = code };
	va_list ap;

	va_start(ap, fmt);
	vemit(ctx, &m, fmt, ap);
	va_end(ap);
	return code;
}

void cli_note(const struct cli_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	if (ctx->quiet)
		return;
	va_start(ap, fmt);
	vfprintf(ctx->err, fmt, ap);
	va_end(ap);
	fputc('\n', ctx->err);
}

void cli_warn(const struct cli_ctx *ctx, const char *fmt, ...)
{
	const struct cli_msg m = { .warning = true };
	va_list ap;

	if (ctx->quiet)
		return;
	va_start(ap, fmt);
	vemit(ctx, &m, fmt, ap);
	va_end(ap);
}

void cli_getopt_begin(const struct cli_ctx *ctx, struct cli_getopt_tab *g)
{
	cli_getopt_init(g, ctx->cmd->opts);
	optind = 0;
	opterr = 0;
}

int cli_getopt(const struct cli_getopt_tab *g, int argc, char **argv)
{
	return getopt_long(argc, argv, g->shortopts, g->longopts, NULL);
}

int cli_bad_option(const struct cli_ctx *ctx, char **argv, int opt)
{
	const char *arg = argv[optind - 1];
	char hint[64];
	bool exact;

	if (opt == ':')
		return cli_usage(ctx, "option '%s' needs a value", arg);
	if (optopt && strncmp(arg, "--", 2))
		return cli_usage(ctx, "unknown option '-%c'", optopt);
	if (!cli_option_hint(arg, ctx->cmd->opts, hint, sizeof(hint), &exact))
		return cli_usage(ctx, "unknown option '%s'", arg);
	if (exact)
		return cli_usage(ctx, "option '%s' takes no value", hint);
	return cli_usage(ctx, "unknown option '%s'; did you mean '%s'?", arg,
			 hint);
}

int cli_write(const struct cli_ctx *ctx, const struct mint_buf *b)
{
	if (b->nomem)
		return cli_error(ctx, CLI_EXIT_FAIL, "out of memory");
	if (b->len && fwrite(b->data, 1, b->len, ctx->out) != b->len)
		return cli_error(ctx, CLI_EXIT_FAIL,
				 "writing the output failed: %s",
				 strerror(errno));
	return CLI_EXIT_OK;
}

/* "-" is standard input. Up to MINT_FILE_MAX + 1 bytes: one more tells
 * the parser that the file is too big. */
static int read_config(const char *path, char **out, size_t *outlen)
{
	if (!strcmp(path, "-"))
		return mint_read_fd(STDIN_FILENO, MINT_FILE_MAX + 1,
				    MINT_READ_HEAD, out, outlen);
	return mint_read_file(path, MINT_FILE_MAX + 1, MINT_READ_HEAD, out,
			      outlen);
}

void cli_print_diags(const struct cli_ctx *ctx, struct mint_diags *d,
		     const char *file)
{
	size_t total = mint_diags_count(d), i;
	struct mint_buf line;

	mint_diags_sort(d);
	for (i = 0; i < d->nr && i < CLI_ERRORS_SHOWN; i++) {
		struct cli_msg m = { .code = CLI_EXIT_CONFIG,
				     .file = file,
				     .line = d->v[i].line };

		mint_buf_init(&line);
		mint_diag_format(&d->v[i], file, &line);
		if (line.data && ctx->json)
			emit(ctx, &m, line.data);
		else if (line.data)
			fprintf(ctx->err, "%s\n", line.data);
		mint_buf_free(&line);
	}
	if (total > i && ctx->json)
		cli_error(ctx, CLI_EXIT_CONFIG,
			  "%s: %zu more errors not shown; fix the ones above "
			  "first",
			  file, total - i);
	else if (total > i)
		fprintf(ctx->err,
			"%s: %zu more errors not shown; fix the ones above "
			"first\n",
			file, total - i);
	cli_error(ctx, CLI_EXIT_CONFIG, "%zu error%s in %s", total,
		  total == 1 ? "" : "s", file);
}

static int load_config(const struct cli_ctx *ctx, const char *path,
		       struct mint_config *cfg, bool system, bool quiet)
{
	const char *file = strcmp(path, "-") ? path : "<stdin>";
	struct mint_sysinfo si;
	struct mint_diags d;
	char *buf = NULL, why[512];
	size_t len = 0;
	int ret;

	ret = read_config(path, &buf, &len);
	if (ret && quiet)
		return CLI_EXIT_FAIL;
	if (ret)
		return cli_error(ctx, CLI_EXIT_FAIL, "cannot read %s: %s", file,
				 strerror(-ret));
	mint_diags_init(&d);
	ret = mint_config_load(buf, len, cfg, &d);
	free(buf);
	if (ret == 0 && system) {
		mint_sysinfo_init(&si);
		ret = mint_sysinfo_load(ctx->sysroot, MINT_SYSINFO_NODE0, &si,
					why, sizeof(why));
		if (ret) {
			mint_sysinfo_free(&si);
			mint_diags_free(&d);
			return cli_error(ctx,
					 ret == -ENOMEM ? CLI_EXIT_FAIL
							: CLI_EXIT_ENV,
					 "%s", why);
		}
		ret = mint_config_validate_system(cfg, &si, &d);
		mint_sysinfo_free(&si);
	}
	if (ret == -ENOMEM || d.nomem) {
		mint_diags_free(&d);
		return cli_error(ctx, CLI_EXIT_FAIL, "out of memory");
	}
	if (ret) {
		if (!quiet)
			cli_print_diags(ctx, &d, file);
		mint_diags_free(&d);
		return CLI_EXIT_CONFIG;
	}
	mint_diags_free(&d);
	return CLI_EXIT_OK;
}

int cli_load_config(const struct cli_ctx *ctx, const char *path,
		    struct mint_config *cfg, bool system)
{
	return load_config(ctx, path, cfg, system, false);
}

int cli_try_config(const struct cli_ctx *ctx, const char *path,
		   struct mint_config *cfg)
{
	return load_config(ctx, path, cfg, false, true);
}

int cli_need_kernel(const struct cli_ctx *ctx)
{
	char path[4096];
	struct stat st;
	size_t n = strlen(ctx->sysroot);

	while (n > 1 && ctx->sysroot[n - 1] == '/')
		n--;
	snprintf(path, sizeof(path), "%.*s/%s",
		 (int)(n == 1 && ctx->sysroot[0] == '/' ? 0 : n), ctx->sysroot,
		 CLI_KERNEL_DIR);
	if (stat(path, &st) || !S_ISDIR(st.st_mode))
		return cli_error(ctx, CLI_EXIT_ENV,
				 "the mint kernel interface (/sys/kernel/mint) "
				 "is not present; boot node0 with the mint "
				 "kernel");
	return CLI_EXIT_OK;
}

bool cli_denied(int err)
{
	return (err == -EACCES || err == -EPERM) && geteuid() != 0;
}

int cli_not_root(const struct cli_ctx *ctx, const char *node)
{
	return cli_error(ctx, CLI_EXIT_ENV, "%s: must be run as root", node);
}

int cli_check_node_name(const struct cli_ctx *ctx, const char *name)
{
	char why[256];

	if (mint_check_name(name, "node", why, sizeof(why)))
		return cli_usage(ctx, "%s", why);
	return CLI_EXIT_OK;
}

int cli_parse_timeout(const struct cli_ctx *ctx, const char *s,
		      unsigned int *out)
{
	uint64_t v;

	if (mint_parse_u64(s, &v, NULL, 0) || v > 86400)
		return cli_usage(ctx,
				 "timeout '%s' is not a number of seconds from "
				 "0 to 86400",
				 s);
	*out = (unsigned int)v;
	return CLI_EXIT_OK;
}

double cli_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

uint64_t cli_tsc(void)
{
#if defined(__x86_64__) || defined(__i386__)
	return __rdtsc();
#else
	return 0; /* no timeline stamps of mintctl's */
#endif
}
