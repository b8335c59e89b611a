// SPDX-License-Identifier: GPL-2.0
/*
 * mintctl vm [--config=FILE] [--timeout=SECONDS] [--quiet]
 *            start|stop|restart NODE/VM
 * mintctl vm status NODE[/VM]
 *
 * A VM is driven through the VM supervisor of the kernel that runs it
 * (kvm-per-node/mint-vmd), never by running QEMU here: the request is a
 * file /run/mint/vm/VM/want (start, stop or restart) that the supervisor
 * reads once a second. For node0's own VMs mintctl writes it itself; for a
 * node's, it types a shell line on the node's control-area terminal (as
 * 'mintctl console' does) and reads the line's answer. Then it waits until
 * the supervisor's report (node0: /run/mint/vms.status; a node:
 * /sys/kernel/mint/NODE/vms) shows the VM in the wanted state.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mintctl.h"
#include "node.h"
#include "placement.h"

#define REPORT_MAX 2048

enum vm_action { VM_START, VM_STOP, VM_RESTART, VM_STATUS };

const char *const cli_vm_actions[] = { "start", "stop", "restart", "status",
				       NULL };

struct vm_target {
	char node[MINT_NAME_MAX + 2]; /* + 2: a longer name is refused */
	char vm[MINT_NAME_MAX + 2]; /* "" for status NODE */
	bool node0;
};

static int parse_target(const struct cli_ctx *ctx, const char *arg,
			bool need_vm, struct vm_target *t)
{
	const char *slash = strchr(arg, '/');
	size_t n = slash ? (size_t)(slash - arg) : strlen(arg);
	char why[256];
	int ret;

	memset(t, 0, sizeof(*t));
	snprintf(t->node, sizeof(t->node), "%.*s", (int)n, arg);
	ret = cli_check_node_name(ctx, t->node);
	if (ret)
		return ret;
	t->node0 = !strcmp(t->node, "node0");
	if (!slash && need_vm)
		return cli_usage(ctx, "'%s' names no VM; give NODE/VM", arg);
	if (!slash)
		return CLI_EXIT_OK;
	if (mint_check_name(slash + 1, "vm", why, sizeof(why)))
		return cli_usage(ctx, "%s", why);
	snprintf(t->vm, sizeof(t->vm), "%s", slash + 1);
	return CLI_EXIT_OK;
}

/*
 * The supervisor's report of @t's kernel in @out. With @fresh, a kernel
 * whose supervisor has not reported (or not for NODE0_VMS_STALE_S) is an
 * error; without, node0's old report is shown with a warning. Returns an
 * exit code, errors printed.
 */
static int read_report(const struct cli_ctx *ctx, const struct vm_target *t,
		       bool fresh, char *out, size_t len)
{
	char state[64];
	long age;
	int ret;

	out[0] = 0;
	if (t->node0) {
		ret = node0_vms_read(ctx, out, len, &age);
		if (ret == -ENOENT && !fresh)
			return CLI_EXIT_OK;
		if (ret)
			return cli_error(ctx, CLI_EXIT_CONFLICT,
					 "node0: its VM supervisor (mint-vmd) "
					 "has not reported: it is not running "
					 "(on a server see 'systemctl status "
					 "mint-vms')");
		if (age <= NODE0_VMS_STALE_S)
			return CLI_EXIT_OK;
		if (fresh)
			return cli_error(ctx, CLI_EXIT_CONFLICT,
					 "node0: its VM supervisor's last "
					 "report is %lds old: mint-vmd is not "
					 "running (on a server see 'systemctl "
					 "status mint-vms')",
					 age);
		cli_warn(ctx,
			 "node0: this report is %lds old: its VM supervisor "
			 "mint-vmd is not running",
			 age);
		return CLI_EXIT_OK;
	}
	ret = cli_need_kernel(ctx);
	if (ret)
		return ret;
	if (node_state(ctx, t->node, state, sizeof(state)))
		return cli_error(ctx, CLI_EXIT_CONFLICT,
				 "no node '%s' in node0's kernel", t->node);
	if (!mint_state_is(state, MINT_STATE_RUNNING))
		return cli_error(ctx, CLI_EXIT_CONFLICT,
				 "%s: is %s; its VMs run only while it runs",
				 t->node, state);
	if (node_read(ctx, t->node, "vms", out, len))
		out[0] = 0;
	if (fresh && !out[0])
		return cli_error(ctx, CLI_EXIT_CONFLICT,
				 "%s: its VM supervisor (mint-vmd) has not "
				 "reported; see /run/mint/vmd.log in the node "
				 "('mintctl console %s')",
				 t->node, t->node);
	return CLI_EXIT_OK;
}

static int do_status(const struct cli_ctx *ctx, const struct vm_target *t)
{
	char report[REPORT_MAX], state[64], detail[512];
	int ret = read_report(ctx, t, false, report, sizeof(report));

	if (ret)
		return ret;
	if (!t->vm[0]) {
		if (!report[0])
			cli_note(ctx, "%s: no report from a VM supervisor",
				 t->node);
		fputs(report, ctx->out);
		if (report[0] && report[strlen(report) - 1] != '\n')
			fputc('\n', ctx->out);
		return CLI_EXIT_OK;
	}
	if (mint_vms_report_find(report, t->vm, state, sizeof(state), detail,
				 sizeof(detail)))
		return cli_error(ctx, CLI_EXIT_CONFLICT,
				 "%s/%s: not in the report of %s's VM "
				 "supervisor",
				 t->node, t->vm, t->node);
	fprintf(ctx->out, "%s %s %s\n", t->vm, state, detail);
	return CLI_EXIT_OK;
}

/* The VM must be in the config, on that node (or moved there: mintctl
 * migrate). An exit code. */
static int check_config(const struct cli_ctx *ctx, const char *config,
			const struct vm_target *t)
{
	struct mint_config cfg;
	const char *names[MINT_MAX_VMS + 1], *hint;
	char placed[NODE_PLACEMENT_MAX], at[MINT_NAME_MAX + 1];
	unsigned int i;
	int ret;

	mint_config_init(&cfg);
	ret = cli_load_config(ctx, config, &cfg, false);
	if (ret) {
		mint_config_free(&cfg);
		return ret;
	}
	if (placement_read(ctx, placed, sizeof(placed)))
		placed[0] = 0;
	for (i = 0; i < cfg.nr_vms; i++) {
		names[i] = cfg.vms[i].name;
		if (strcmp(cfg.vms[i].name, t->vm))
			continue;
		mint_placement_where(&cfg, placed, &cfg.vms[i], at);
		if (!strcmp(at, t->node))
			break;
		ret = strcmp(at, cfg.vms[i].node)
			      ? cli_error(ctx, CLI_EXIT_CONFLICT,
					  "%s/%s: VM '%s' runs on %s now "
					  "(moved there from %s)",
					  t->node, t->vm, t->vm, at,
					  cfg.vms[i].node)
			      : cli_error(ctx, CLI_EXIT_CONFLICT,
					  "%s/%s: %s gives VM '%s' to %s, not "
					  "to %s",
					  t->node, t->vm, config, t->vm,
					  cfg.vms[i].node, t->node);
		mint_config_free(&cfg);
		return ret;
	}
	names[cfg.nr_vms < MINT_MAX_VMS ? cfg.nr_vms : MINT_MAX_VMS] = NULL;
	if (i == cfg.nr_vms) {
		hint = mint_suggest(t->vm, names);
		ret = cli_error(ctx, CLI_EXIT_CONFLICT,
				"%s/%s: no VM '%s' in %s%s%s%s", t->node, t->vm,
				t->vm, config, hint ? "; did you mean '" : "",
				hint ? hint : "", hint ? "'?" : "");
	}
	mint_config_free(&cfg);
	return ret;
}

/* node0's VM: the request file, written whole (rename). */
static int request_node0(const struct cli_ctx *ctx, const struct vm_target *t,
			 const char *action)
{
	const char *root = cli_root(ctx);
	char dir[4096], path[4200], line[64];
	int ret;

	snprintf(dir, sizeof(dir), "%s/run/mint/vm", root);
	mkdir(dir, 0755);
	snprintf(dir, sizeof(dir), "%s/run/mint/vm/%s", root, t->vm);
	mkdir(dir, 0755);
	snprintf(path, sizeof(path), "%s/want", dir);
	snprintf(line, sizeof(line), "%s\n", action);
	ret = file_write_whole(path, line, strlen(line), false);
	if (cli_denied(ret))
		return cli_not_root(ctx, t->node);
	if (ret)
		return cli_error(ctx, CLI_EXIT_FAIL,
				 "%s/%s: cannot write %s: %s", t->node, t->vm,
				 path, strerror(-ret));
	return CLI_EXIT_OK;
}

/* Until the report shows the VM in @want (for a restart: with a detail
 * other than @before, a new QEMU), printing progress every 5 s. */
static int wait_state(const struct cli_ctx *ctx, const struct vm_target *t,
		      const char *want, const char *before,
		      unsigned int timeout)
{
	double start = cli_now(), next = start + 5;
	char state[64] = "unreported", detail[512] = "";

	for (;;) {
		if (vm_now(ctx, t->node, t->vm, state, sizeof(state), detail,
			   sizeof(detail)) &&
		    !strcmp(state, want) &&
		    (!before || strcmp(detail, before))) {
			cli_note(ctx, "%s/%s: %s %s", t->node, t->vm, state,
				 detail);
			return CLI_EXIT_OK;
		}
		if (timeout && cli_now() - start > timeout)
			return cli_error(
				ctx, CLI_EXIT_FAIL,
				"%s/%s: still %s %s after %u s (wanted "
				"%s); see /run/mint/vmd.log in %s",
				t->node, t->vm, state, detail, timeout, want,
				t->node);
		if (cli_now() >= next) {
			cli_note(ctx, "%s/%s: %s, waiting for %s (%.0f s)",
				 t->node, t->vm, state, want,
				 cli_now() - start);
			next += 5;
		}
		usleep(250 * 1000);
	}
}

static int do_action(const struct cli_ctx *ctx, const char *config,
		     const struct vm_target *t, enum vm_action a,
		     unsigned int timeout)
{
	char report[REPORT_MAX], state[64] = "", detail[512] = "";
	const char *action = cli_vm_actions[a];
	bool running;
	int ret;

	ret = t->node0 ? CLI_EXIT_OK : cli_need_kernel(ctx);
	ret = ret ?: check_config(ctx, config, t);
	ret = ret ?: read_report(ctx, t, true, report, sizeof(report));
	if (ret)
		return ret;
	mint_vms_report_find(report, t->vm, state, sizeof(state), detail,
			     sizeof(detail));
	running = !strcmp(state, "running");
	cli_note(ctx, "%s/%s: %s; asking %s's VM supervisor to %s it", t->node,
		 t->vm, state[0] ? state : "not reported", t->node, action);
	ret = t->node0 ? request_node0(ctx, t, action)
		       : vm_request_node(ctx, t->node, t->vm, action, timeout);
	if (ret)
		return ret;
	return wait_state(ctx, t, a == VM_STOP ? "stopped" : "running",
			  a == VM_RESTART && running ? detail : NULL, timeout);
}

int cmd_vm(const struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_getopt_tab g;
	const char *config = CLI_DEFAULT_CONFIG, *hint;
	struct cli_ctx quiet = *ctx;
	unsigned int timeout = 60;
	struct vm_target t;
	int opt, ret, a;

	cli_getopt_begin(ctx, &g);
	while ((opt = cli_getopt(&g, argc, argv)) != -1) {
		if (opt == 'c') {
			config = optarg;
		} else if (opt == 'q') {
			quiet.quiet = true;
		} else if (opt == 't') {
			ret = cli_parse_timeout(ctx, optarg, &timeout);
			if (ret)
				return ret;
		} else {
			return cli_bad_option(ctx, argv, opt);
		}
	}
	ctx = &quiet;
	if (optind == argc)
		return cli_usage(ctx, "missing start, stop, restart or status");
	for (a = 0; cli_vm_actions[a]; a++)
		if (!strcmp(argv[optind], cli_vm_actions[a]))
			break;
	hint = cli_vm_actions[a] ? NULL
				 : mint_suggest(argv[optind], cli_vm_actions);
	if (!cli_vm_actions[a])
		return hint ? cli_usage(ctx,
					"unknown action '%s'; did you mean "
					"'%s'?",
					argv[optind], hint)
			    : cli_usage(ctx,
					"unknown action '%s'; use start, stop, "
					"restart or status",
					argv[optind]);
	if (argc - optind != 2)
		return cli_usage(ctx, argc - optind < 2 ? "missing NODE/VM"
							: "too many arguments");
	ret = parse_target(ctx, argv[optind + 1], a != VM_STATUS, &t);
	if (ret)
		return ret;
	if (a == VM_STATUS)
		return do_status(ctx, &t);
	return do_action(ctx, config, &t, (enum vm_action)a, timeout);
}
