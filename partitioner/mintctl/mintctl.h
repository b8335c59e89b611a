/* SPDX-License-Identifier: GPL-2.0 */
/* mintctl: the command table, the context and helpers shared by verbs. */
#ifndef MINTCTL_H
#define MINTCTL_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "config.h"
#include "sysfiles.h"

#define MINTCTL_VERSION "0.1.0"
#define CLI_DEFAULT_CONFIG "/etc/mint/partition.conf"
#define CLI_KERNEL_DIR "sys/kernel/mint" /* under the sysroot */
/* mint-autostart's nodes not started at boot, a file each (sysroot) */
#define AUTOSTART_BLOCKED_DIR "var/lib/mint/autostart-blocked"
#define CLI_ERRORS_SHOWN 100

enum cli_exit {
	CLI_EXIT_OK = 0,
	CLI_EXIT_FAIL = 1, /* runtime failure */
	CLI_EXIT_USAGE = 2,
	CLI_EXIT_CONFIG = 3, /* invalid configuration */
	CLI_EXIT_FAILED = 3, /* status: a started node is not running (as
			       * systemctl status of a unit not active) */
	CLI_EXIT_CONFLICT = 4, /* conflict with the current state */
	CLI_EXIT_ENV = 5, /* environment not ready */
};

struct cli_cmd;

struct cli_ctx {
	const char *sysroot; /* "/" unless --sysroot or MINT_SYSROOT */
	FILE *out; /* requested data */
	FILE *err; /* diagnostics */
	const struct cli_cmd *cmd; /* the verb being run */
	bool quiet; /* --quiet: no notes or warnings, errors only */
	bool json; /* --json: errors and warnings as JSON lines on stderr */
};

/* What an option takes after '=' (or as the next argument). */
enum cli_arg {
	CLI_ARG_NONE, /* a switch */
	CLI_ARG_FILE, /* a path (completed as files) */
	CLI_ARG_DIR, /* a directory */
	CLI_ARG_NUMBER,
	CLI_ARG_TEXT,
	CLI_ARG_WORD, /* one of the option's values */
};

/* getopt_long's result for the options without a short form (and
 * NODE_OPT_KERNEL .. NODE_OPT_CMDLINE of node.h, from 0x100) */
enum {
	OPT_JSON = 0x200,
	OPT_VMS,
	OPT_LINK,
	OPT_SYSTEM,
	OPT_PREFLIGHT,
	OPT_FORMAT,
	OPT_SYSROOT,
	OPT_VERSION,
	OPT_MAN,
};

/*
 * One option, written once: getopt_long's table, --help, the man page,
 * the "did you mean" hints and the completion come from it. Tables end
 * with { 0 }.
 */
struct cli_opt {
	int key; /* what getopt_long returns; below 0x100, also the short
		  * option (-c for 'c') */
	const char *name; /* "config" for --config */
	enum cli_arg arg;
	const char *metavar; /* "FILE" of --config=FILE; NULL for a switch */
	const char *help;
	const char *const *values; /* CLI_ARG_WORD: NULL-terminated */
};

/* A switch: -L, --NAME with @key 'L', or --NAME alone (a key from 0x100) */
#define CLI_SWITCH(key, name, help)                             \
	{                                                       \
		(key), (name), CLI_ARG_NONE, NULL, (help), NULL \
	}
/* An option that takes a value of kind @arg, shown as --NAME=METAVAR */
#define CLI_VALUE(key, name, arg, metavar, help)              \
	{                                                     \
		(key), (name), (arg), (metavar), (help), NULL \
	}
/* An option whose value is one of @values */
#define CLI_WORDS(key, name, metavar, values, help)                      \
	{                                                                \
		(key), (name), CLI_ARG_WORD, (metavar), (help), (values) \
	}
#define CLI_OPT_END                                     \
	{                                               \
		0, NULL, CLI_ARG_NONE, NULL, NULL, NULL \
	}

/* One entry per verb: dispatch, --help and the man page come from here. */
struct cli_cmd {
	const char *name;
	const char *synopsis; /* after "mintctl VERB " */
	const char *summary; /* one line */
	const char *description; /* paragraphs separated by blank lines */
	const struct cli_opt *opts; /* may be NULL */
	int (*run)(const struct cli_ctx *ctx, int argc, char **argv);
	/* The words a word operand takes, for the completion (wait's STATE,
	 * vm's action): NULL-terminated; NULL when there is none. */
	const char *const *words;
};

#define CLI_CMDS_MAX 32
extern const struct cli_cmd cli_cmds[]; /* at most CLI_CMDS_MAX */
/* The options before the command (--sysroot, --help, ...). */
extern const struct cli_opt cli_global_opts[];
/* bootargs --format: plain, grub, shell (enum mint_bootargs_format) */
extern const char *const cli_bootargs_formats[];
/* vm's actions: start, stop, restart, status (enum vm_action) */
extern const char *const cli_vm_actions[];

int cmd_check(const struct cli_ctx *ctx, int argc, char **argv);
int cmd_show(const struct cli_ctx *ctx, int argc, char **argv);
int cmd_bootargs(const struct cli_ctx *ctx, int argc, char **argv);
int cmd_load(const struct cli_ctx *ctx, int argc, char **argv);
int cmd_start(const struct cli_ctx *ctx, int argc, char **argv);
int cmd_stop(const struct cli_ctx *ctx, int argc, char **argv);
int cmd_restart(const struct cli_ctx *ctx, int argc, char **argv);
int cmd_release(const struct cli_ctx *ctx, int argc, char **argv);
int cmd_status(const struct cli_ctx *ctx, int argc, char **argv);
int cmd_audit(const struct cli_ctx *ctx, int argc, char **argv);
int cmd_list(const struct cli_ctx *ctx, int argc, char **argv);
int cmd_console(const struct cli_ctx *ctx, int argc, char **argv);
int cmd_log(const struct cli_ctx *ctx, int argc, char **argv);
int cmd_wait(const struct cli_ctx *ctx, int argc, char **argv);
int cmd_vm(const struct cli_ctx *ctx, int argc, char **argv);
int cmd_migrate(const struct cli_ctx *ctx, int argc, char **argv);
int cmd_update(const struct cli_ctx *ctx, int argc, char **argv);
int cmd_help(const struct cli_ctx *ctx, int argc, char **argv);

/* help.c */
void cli_print_usage(FILE *f);
void cli_print_cmd_help(FILE *f, const struct cli_cmd *cmd);
void cli_print_man(FILE *f);
const struct cli_cmd *cli_find_cmd(const char *name);
/*
 * What the bash completion (mintctl.bash-completion) completes, one word a
 * line: with @what NULL the commands, with "-" the options before the
 * command, with a command its options. An option is "--NAME", or "--NAME="
 * followed by what completes its value: " files", " dirs", or " words"
 * and the words. Exit code 2 (nothing printed) for an unknown command.
 */
int cli_print_complete(FILE *f, const char *what);
/* 'mintctl __complete COMMAND operands': the words of @what's word
 * operand, one a line (none for a command without); exit code 2 for an
 * unknown command. */
int cli_print_operands(FILE *f, const char *what);

/* opts.c: the option tables, pure */
#define CLI_OPTS_MAX 16
struct cli_getopt_tab {
	char shortopts[2 * CLI_OPTS_MAX + 2];
	struct option longopts[CLI_OPTS_MAX + 1];
};

/* @opts (may be NULL) as getopt_long takes them: short options after a
 * ':' (a missing value is ':', not '?'). */
void cli_getopt_init(struct cli_getopt_tab *g, const struct cli_opt *opts);
/* "-c, --config=FILE" or "--json" into @out. */
void cli_opt_flags(const struct cli_opt *o, char *out, size_t len);
/* The option of @opts named @name; NULL when there is none. */
const struct cli_opt *cli_opt_find(const struct cli_opt *opts,
				   const char *name);
/*
 * The long option of @opts, or --help, that the unknown @arg ("--forse",
 * "--forse=1") is a misspelling of, as "--force" in @out: false when none
 * is close. *@exact: @arg names that option itself (with a value it does
 * not take).
 */
bool cli_option_hint(const char *arg, const struct cli_opt *opts, char *out,
		     size_t len, bool *exact);

/* util.c */
int cli_usage(const struct cli_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int cli_error(const struct cli_ctx *ctx, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* What is being done ("node1: running"), on stderr unless --quiet. */
void cli_note(const struct cli_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* "mintctl: VERB: ..." on stderr, unless --quiet. */
void cli_warn(const struct cli_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* getopt_long over the options of the command being run: set up with
 * cli_getopt_begin(), then call cli_getopt() until it returns -1. */
void cli_getopt_begin(const struct cli_ctx *ctx, struct cli_getopt_tab *g);
int cli_getopt(const struct cli_getopt_tab *g, int argc, char **argv);
/* getopt_long's '?' and ':' results as a usage error. */
int cli_bad_option(const struct cli_ctx *ctx, char **argv, int opt);
/* Read, parse and validate; print the errors. Returns an exit code. */
int cli_load_config(const struct cli_ctx *ctx, const char *path,
		    struct mint_config *cfg, bool system);
/* The same, but quiet about the file: its errors are not printed. */
int cli_try_config(const struct cli_ctx *ctx, const char *path,
		   struct mint_config *cfg);
/* A config's errors on stderr, sorted, at most CLI_ERRORS_SHOWN, then
 * "N errors in FILE" (as JSON lines under --json). */
void cli_print_diags(const struct cli_ctx *ctx, struct mint_diags *d,
		     const char *file);
/* check --preflight CONFIG: the report; returns an exit code. */
int cli_preflight(const struct cli_ctx *ctx, const char *path);
int cli_write(const struct cli_ctx *ctx, const struct mint_buf *b);
/* Exit code 5 unless the kernel interface can drive nodes. */
int cli_need_kernel(const struct cli_ctx *ctx);
/* Did a write to node0's kernel interface (or kexec_load) fail with -@err
 * because mintctl does not run as root? EACCES or EPERM, and not root:
 * the attributes that drive nodes are root's only (0200). */
bool cli_denied(int err);
/* "NODE: must be run as root"; returns exit code 5. */
int cli_not_root(const struct cli_ctx *ctx, const char *node);
int cli_check_node_name(const struct cli_ctx *ctx, const char *name);
int cli_parse_timeout(const struct cli_ctx *ctx, const char *s,
		      unsigned int *out);
/* Seconds on the monotonic clock. */
double cli_now(void);
/* The TSC now (the clock of the start timeline, timeline.h). */
uint64_t cli_tsc(void);

/* nodeargs.c */
/* What cli_node_operands() takes, or-ed. */
enum {
	CLI_NODES_ALL = 0x1, /* --all was given: no NODE may be */
	CLI_NODES_OPTIONAL = 0x2, /* no NODE (and no --all) is fine */
	CLI_NODES_NODE0 = 0x4, /* node0 is a NODE too (status) */
};
/* The NODE... operands after the options: valid names, each once, or
 * --all alone, as @flags (CLI_NODES_*) say. */
int cli_node_operands(const struct cli_ctx *ctx, int argc, char **argv,
		      unsigned int flags);
/* What a command does to one node: an exit code, errors printed. */
typedef int cli_node_fn(const struct cli_ctx *ctx, const char *name, void *arg);
/* --all: does the command act on this node, in this state? */
typedef bool cli_node_pick(const struct cli_ctx *ctx, const char *name,
			   const char *state);
/* A pick: a node that is starting .. hung (stop and restart --all). */
bool cli_started(const struct cli_ctx *ctx, const char *name,
		 const char *state);
/* @fn on each of @names, every one whatever the others returned; the
 * first error's exit code. */
int cli_each_node(const struct cli_ctx *ctx, const char *const *names, int n,
		  cli_node_fn *fn, void *arg);

struct cli_nodes {
	bool all; /* --all given */
	cli_node_pick *pick; /* --all: the nodes of node0's kernel it takes */
	const char *none; /* --all: the warning when it takes none */
	/* --all, instead of @pick: the command's own loop (start: the
	 * config's nodes whose autostart is yes); an exit code */
	int (*every)(const struct cli_ctx *ctx, const struct cli_nodes *w);
	/* NULL, or more checks of the options once the operands are valid,
	 * before the kernel check (usage errors: exit 2) */
	int (*check)(const struct cli_ctx *ctx, const struct cli_nodes *w);
	const char *config; /* NULL, or the config read into @cfg first */
	struct mint_config *cfg;
	cli_node_fn *fn;
	void *arg;
};

/*
 * A command on NODE... or --all (start, load, stop, restart, release),
 * after its options: the operands checked, @w->check, the kernel
 * interface there, @w->config read (exit 3 when invalid); then @w->fn on
 * each node the command names, every one whatever the others returned:
 * the NODE... operands, or with --all @w->every, or else each node
 * node0's kernel has defined (in name order) that @w->pick takes in the
 * state it is in then. Returns the first error's exit code.
 */
int cli_run_nodes(const struct cli_ctx *ctx, int argc, char **argv,
		  const struct cli_nodes *w);

#endif /* MINTCTL_H */
