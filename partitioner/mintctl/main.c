// SPDX-License-Identifier: GPL-2.0
/*
 * mintctl: dispatch through the command table (commands.c), the global
 * options before the command, and the mapping to exit codes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mintctl.h"

int cmd_help(const struct cli_ctx *ctx, int argc, char **argv)
{
	const struct cli_cmd *cmd;

	if (argc > 2)
		return cli_usage(ctx, "too many arguments");
	if (argc < 2) {
		cli_print_usage(ctx->out);
		return CLI_EXIT_OK;
	}
	cmd = cli_find_cmd(argv[1]);
	if (!cmd)
		return cli_usage(ctx, "no command '%s'", argv[1]);
	cli_print_cmd_help(ctx->out, cmd);
	return CLI_EXIT_OK;
}

static int unknown_command(const struct cli_ctx *ctx, const char *name)
{
	const char *names[CLI_CMDS_MAX + 1], *hint;
	unsigned int i;

	for (i = 0; cli_cmds[i].name && i < CLI_CMDS_MAX; i++)
		names[i] = cli_cmds[i].name;
	names[i] = NULL;
	hint = mint_suggest(name, names);
	if (hint)
		fprintf(ctx->err,
			"mintctl: unknown command '%s'; did you mean '%s'?\n",
			name, hint);
	else
		fprintf(ctx->err,
			"mintctl: unknown command '%s'; see 'mintctl --help'\n",
			name);
	return CLI_EXIT_USAGE;
}

/* Before the command: as cli_bad_option() for a command's options. */
static int unknown_option(const char *arg)
{
	char hint[64];
	bool exact, close;

	close = cli_option_hint(arg, cli_global_opts, hint, sizeof(hint),
				&exact);
	if (!strcmp(arg, "--sysroot") || !strcmp(arg, "--sysroot="))
		fprintf(stderr, "mintctl: option '--sysroot' needs a value\n");
	else if (close && exact)
		fprintf(stderr, "mintctl: option '%s' takes no value\n", hint);
	else if (close)
		fprintf(stderr,
			"mintctl: unknown option '%s'; did you mean '%s'?\n",
			arg, hint);
	else
		fprintf(stderr,
			"mintctl: unknown option '%s'; see 'mintctl "
			"--help'\n",
			arg);
	return CLI_EXIT_USAGE;
}

/* Does the command take --json, and is it given (or a prefix of it, as
 * getopt_long takes)? Then its errors come as JSON, usage errors too. */
static bool wants_json(const struct cli_cmd *cmd, int argc, char **argv)
{
	size_t n;
	int i;

	if (!cli_opt_find(cmd->opts, "json"))
		return false;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			return false;
		n = strlen(argv[i]);
		if (n > 2 && !strncmp(argv[i], "--json", n))
			return true;
	}
	return false;
}

static bool wants_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			return false;
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return true;
	}
	return false;
}

static int finish(int code)
{
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "mintctl: writing the output failed: %s\n",
			strerror(errno));
		return code ? code : CLI_EXIT_FAIL;
	}
	return code;
}

int main(int argc, char **argv)
{
	struct cli_ctx ctx = { .sysroot = "/", .out = stdout, .err = stderr };
	const char *env = getenv("MINT_SYSROOT");
	const char *arg;
	int i;

	if (env && *env)
		ctx.sysroot = env;
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		arg = argv[i];
		if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
			cli_print_usage(stdout);
			return finish(CLI_EXIT_OK);
		} else if (!strcmp(arg, "--version")) {
			printf("mintctl %s\n", MINTCTL_VERSION);
			return finish(CLI_EXIT_OK);
		} else if (!strcmp(arg, "--man")) {
			cli_print_man(stdout);
			return finish(CLI_EXIT_OK);
		} else if (!strncmp(arg, "--sysroot=", 10) && arg[10]) {
			ctx.sysroot = arg + 10;
		} else if (!strcmp(arg, "--sysroot") && i + 1 < argc) {
			ctx.sysroot = argv[++i];
		} else {
			return unknown_option(arg);
		}
	}
	/* hidden: what the bash completion offers (mintctl.bash-completion) */
	if (i < argc && !strcmp(argv[i], "__complete") && argc - i <= 2)
		return finish(cli_print_complete(stdout, argv[i + 1]));
	if (i < argc && !strcmp(argv[i], "__complete") && argc - i == 3 &&
	    !strcmp(argv[i + 2], "operands"))
		return finish(cli_print_operands(stdout, argv[i + 1]));
	if (i == argc) {
		cli_print_usage(stderr);
		return CLI_EXIT_USAGE;
	}
	ctx.cmd = cli_find_cmd(argv[i]);
	if (!ctx.cmd)
		return unknown_command(&ctx, argv[i]);
	ctx.json = wants_json(ctx.cmd, argc - i, argv + i);
	if (wants_help(argc - i, argv + i)) {
		cli_print_cmd_help(stdout, ctx.cmd);
		return finish(CLI_EXIT_OK);
	}
	return finish(ctx.cmd->run(&ctx, argc - i, argv + i));
}
