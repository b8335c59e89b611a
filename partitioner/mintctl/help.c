// SPDX-License-Identifier: GPL-2.0
/* --help text and the man page, both generated from the command table. */
#include <string.h>

#include "mintctl.h"

#define WIDTH 79

/* An entry of EXIT STATUS, ENVIRONMENT or FILES. */
struct term {
	const char *flags; /* the term */
	const char *text;
};

/* Every command's -h, --help; mintctl's own is in cli_global_opts. */
static const struct cli_opt help_opt[] = {
	CLI_SWITCH('h', "help", "Show this help."), CLI_OPT_END
};

static const char intro[] =
	"mintctl reads the partition config that splits this machine between "
	"node0 (the Linux that booted first) and further Linux nodes, each on "
	"its own CPUs, RAM and PCI devices, and starts, stops and watches "
	"those nodes.";

static const char diagnostics[] =
	"Errors and warnings go to standard error, as 'mintctl: COMMAND: "
	"what is wrong' (config errors as 'FILE:LINE: ...'); data goes to "
	"standard output.\n"
	"\n"
	"With --json (show, status, list) standard output carries only the "
	"JSON document, or nothing when an error stops the command before "
	"it, and each error or warning is one line of JSON on standard "
	"error: {\"command\": COMMAND, \"error\": TEXT, \"exit\": CODE}, "
	"with \"usage\" (the command's synopsis) for a usage error and "
	"\"file\" and \"line\" (null for the file as a whole) for a config "
	"error; a warning is {\"command\": COMMAND, \"warning\": TEXT}. The "
	"exit status is the same as without --json. Errors before the "
	"command (an unknown command or global option) stay text.";

static const struct term exit_codes[] = {
	{ "0", "success" },
	{ "1", "the operation failed at run time (I/O error, timeout)" },
	{ "2", "usage error: unknown command or option, missing argument" },
	{ "3", "invalid configuration; for status: a node that was started is "
	       "halted, panic, hung or failed" },
	{ "4", "conflict with the current state (node busy, not stopped)" },
	{ "5", "environment not ready (no mint kernel interface, not root)" },
	{ NULL, NULL }
};

static const struct term environment[] = {
	{ "MINT_SYSROOT",
	  "Read /proc and /sys below this directory instead of / (for tests; "
	  "the same as the --sysroot=DIR option before the command)." },
	{ NULL, NULL }
};

static const struct term files[] = {
	{ CLI_DEFAULT_CONFIG,
	  "The partition config that start, restart and status read by "
	  "default." },
	{ "/sys/kernel/mint",
	  "The interface of the mint kernel that node commands use." },
	{ "/usr/share/bash-completion/completions/mintctl",
	  "Bash completion (partitioner/mintctl/mintctl.bash-completion in "
	  "the source tree)." },
	{ NULL, NULL }
};

const struct cli_cmd *cli_find_cmd(const char *name)
{
	const struct cli_cmd *cmd;

	for (cmd = cli_cmds; cmd->name; cmd++)
		if (!strcmp(cmd->name, name))
			return cmd;
	return NULL;
}

/* Print @text wrapped at WIDTH, each line indented by @indent columns. */
static void wrap(FILE *f, const char *text, int indent, int first_col)
{
	int col = first_col;
	const char *p = text;
	size_t n;

	while (*p) {
		if (*p == '\n') {
			fputc('\n', f);
			col = 0;
			p++;
			continue;
		}
		if (*p == ' ') {
			p++;
			continue;
		}
		n = strcspn(p, " \n");
		if (col > indent && col + 1 + (int)n > WIDTH) {
			fputc('\n', f);
			col = 0;
		}
		if (col < indent) {
			fprintf(f, "%*s", indent - col, "");
			col = indent;
		} else if (col > indent || first_col > indent) {
			fputc(' ', f);
			col++;
		}
		fwrite(p, 1, n, f);
		col += (int)n;
		first_col = 0;
		p += n;
	}
	fputc('\n', f);
}

static void print_item(FILE *f, const char *flags, const char *text, int width)
{
	int n = fprintf(f, "  %-*s", width, flags);

	if (n > width + 2) {
		fputc('\n', f);
		n = 0;
	}
	wrap(f, text, width + 4, n < width + 4 ? width + 4 : n);
}

static void print_list(FILE *f, const struct term *d, int width)
{
	for (; d->flags; d++)
		print_item(f, d->flags, d->text, width);
}

static void print_opts(FILE *f, const struct cli_opt *o, int width)
{
	char flags[64];

	for (; o && o->name; o++) {
		cli_opt_flags(o, flags, sizeof(flags));
		print_item(f, flags, o->help, width);
	}
}

void cli_print_usage(FILE *f)
{
	const struct cli_cmd *cmd;

	fprintf(f, "Usage: mintctl [--sysroot=DIR] COMMAND [OPTIONS] [ARGS]\n"
		   "       mintctl --help | --version | --man\n\n");
	wrap(f, intro, 0, 0);
	fprintf(f, "\nCommands:\n");
	for (cmd = cli_cmds; cmd->name; cmd++)
		fprintf(f, "  %-10s %s\n", cmd->name, cmd->summary);
	fprintf(f, "\nGlobal options (before COMMAND):\n");
	print_opts(f, cli_global_opts, 14);
	fprintf(f, "\nExit status:\n");
	print_list(f, exit_codes, 2);
	fprintf(f, "\nRun 'mintctl COMMAND --help' for the options of a "
		   "command.\n");
}

void cli_print_cmd_help(FILE *f, const struct cli_cmd *cmd)
{
	fprintf(f, "Usage: mintctl %s %s\n\n", cmd->name, cmd->synopsis);
	wrap(f, cmd->description, 0, 0);
	fprintf(f, "\nOptions:\n");
	print_opts(f, cmd->opts, 22);
	print_opts(f, help_opt, 22);
}

/* troff: backslash, hyphen-minus, and control characters at line start. */
static void roff(FILE *f, const char *s)
{
	bool bol = true;

	for (; *s; s++) {
		if (bol && (*s == '.' || *s == '\''))
			fputs("\\&", f);
		bol = false;
		if (*s == '\\')
			fputs("\\e", f);
		else if (*s == '-')
			fputs("\\-", f);
		else if (*s == '\n' && s[1] == '\n') {
			fputs("\n.PP\n", f);
			s++;
			bol = true;
		} else if (*s == '\n') {
			fputs("\n.br\n", f);
			bol = true;
		} else
			fputc(*s, f);
	}
	fputc('\n', f);
}

static void man_item(FILE *f, const char *flags, const char *text)
{
	fputs(".TP\n.B ", f);
	roff(f, flags);
	roff(f, text);
}

static void man_list(FILE *f, const struct term *d)
{
	for (; d->flags; d++)
		man_item(f, d->flags, d->text);
}

static void man_opts(FILE *f, const struct cli_opt *o)
{
	char flags[64];

	for (; o && o->name; o++) {
		cli_opt_flags(o, flags, sizeof(flags));
		man_item(f, flags, o->help);
	}
}

void cli_print_man(FILE *f)
{
	const struct cli_cmd *cmd;

	fputs(".\\\" Generated by 'mintctl --man' from the command table in\n"
	      ".\\\" partitioner/mintctl/commands.c. Do not edit; run\n"
	      ".\\\" 'make partitioner-man' to regenerate.\n",
	      f);
	fprintf(f, ".TH MINTCTL 1 \"\" \"mintctl %s\" \"User Commands\"\n",
		MINTCTL_VERSION);
	fputs(".SH NAME\nmintctl \\- partition an x86 machine into Linux "
	      "nodes\n.SH SYNOPSIS\n.B mintctl\n"
	      "[\\fB\\-\\-sysroot=\\fIDIR\\fR]\n.I COMMAND\n"
	      "[\\fIOPTIONS\\fR] [\\fIARGS\\fR]\n.br\n.B mintctl\n"
	      "\\-\\-help | \\-\\-version | \\-\\-man\n.SH DESCRIPTION\n",
	      f);
	roff(f, intro);
	fputs(".PP\nEvery command accepts\n.BR \\-h \" and \" \\-\\-help .\n"
	      "Data goes to standard output, errors to standard error.\n"
	      ".SH OPTIONS\nThese come before\n.IR COMMAND .\n",
	      f);
	man_opts(f, cli_global_opts);
	fputs(".SH COMMANDS\n", f);
	for (cmd = cli_cmds; cmd->name; cmd++) {
		fprintf(f, ".SS \"");
		fprintf(f, "%s ", cmd->name);
		for (const char *s = cmd->synopsis; *s; s++) {
			if (*s == '-')
				fputs("\\-", f);
			else if (*s == '"')
				fputs("\\(dq", f);
			else
				fputc(*s, f);
		}
		fputs("\"\n", f);
		roff(f, cmd->description);
		man_opts(f, cmd->opts);
	}
	fputs(".SH DIAGNOSTICS\n", f);
	roff(f, diagnostics);
	fputs(".SH EXIT STATUS\n", f);
	man_list(f, exit_codes);
	fputs(".SH ENVIRONMENT\n", f);
	man_list(f, environment);
	fputs(".SH FILES\n", f);
	man_list(f, files);
	fputs(".SH SEE ALSO\n"
	      "docs/config.md in the source tree: the partition config "
	      "format.\n",
	      f);
}

static void complete_opts(FILE *f, const struct cli_opt *o)
{
	const char *const *v;

	for (; o && o->name; o++) {
		fprintf(f, "--%s%s", o->name, o->arg ? "=" : "");
		if (o->arg == CLI_ARG_FILE)
			fputs(" files", f);
		else if (o->arg == CLI_ARG_DIR)
			fputs(" dirs", f);
		else if (o->arg == CLI_ARG_WORD && o->values) {
			fputs(" words", f);
			for (v = o->values; *v; v++)
				fprintf(f, " %s", *v);
		}
		fputc('\n', f);
	}
}

int cli_print_complete(FILE *f, const char *what)
{
	const struct cli_cmd *cmd;

	if (!what) {
		for (cmd = cli_cmds; cmd->name; cmd++)
			fprintf(f, "%s\n", cmd->name);
		return CLI_EXIT_OK;
	}
	if (!strcmp(what, "-")) {
		complete_opts(f, cli_global_opts);
		return CLI_EXIT_OK;
	}
	cmd = cli_find_cmd(what);
	if (!cmd)
		return CLI_EXIT_USAGE;
	complete_opts(f, cmd->opts);
	complete_opts(f, help_opt);
	return CLI_EXIT_OK;
}

int cli_print_operands(FILE *f, const char *what)
{
	const struct cli_cmd *cmd = cli_find_cmd(what);
	const char *const *w;

	if (!cmd)
		return CLI_EXIT_USAGE;
	for (w = cmd->words; w && *w; w++)
		fprintf(f, "%s\n", *w);
	return CLI_EXIT_OK;
}
