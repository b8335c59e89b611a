// SPDX-License-Identifier: GPL-2.0
/*
 * mintctl migrate [--config=FILE] [--timeout=SECONDS] [--quiet] NODE/VM TARGET
 *
 * Moves a running VM from node NODE to node TARGET with QEMU's live
 * migration over the links between the kernels (docs/migration.md). node0
 * only orchestrates, through the two VM supervisors (vmreq.c requests,
 * their reports): TARGET's starts the VM waiting for the stream on its
 * link address ("incoming"), NODE's mirrors the VM's disk into TARGET's
 * and migrates it ("migrating", then "moved"), TARGET's resumes it. The
 * capacity is checked first (mint_migrate_fits()); a failure at any step
 * cancels what was started and leaves the VM running on NODE. Where the
 * VM runs now is /run/mint/placement (placement.h), which every later
 * node start hands to the node.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "files.h"
#include "mintctl.h"
#include "node.h"
#include "placement.h"

#define PORT_BASE 7700 /* + 2 x the VM's index: QEMU's stream; + 1: NBD */
#define INCOMING_TIMEOUT_S 180 /* a node's first VM unpacks QEMU first */
#define RESUME_TIMEOUT_S 30
#define PROGRESS_EVERY_S 5

struct migration {
	const struct mint_config *cfg;
	const struct mint_vm *vm;
	const struct mint_node *target;
	char src[MINT_NAME_MAX + 2];
	char name[MINT_NAME_MAX + 2];
	unsigned int port;
	unsigned int attempt; /* tells this move's failures from earlier ones */
	char failed_tag[64]; /* "migrate-failed=ATTEMPT" */
	char to[64]; /* ADDRESS:PORT on the target's link */
	unsigned int timeout;
	double t0;
};

int placement_read(const struct cli_ctx *ctx, char *buf, size_t len)
{
	char path[4096];
	size_t n = 0;
	int ret;

	snprintf(path, sizeof(path), "%s/" NODE_PLACEMENT, cli_root(ctx));
	ret = file_read(path, buf, len - 1, &n);
	buf[ret ? 0 : n] = 0;
	return ret == -ENOENT ? 0 : ret;
}

static int placement_write(const struct cli_ctx *ctx, const char *text)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/run/mint", cli_root(ctx));
	file_mkdir_p(path);
	snprintf(path, sizeof(path), "%s/" NODE_PLACEMENT, cli_root(ctx));
	return file_write_whole(path, text, strlen(text), false);
}

bool node_runs(const struct cli_ctx *ctx, const char *node)
{
	char state[64];

	return !node_state(ctx, node, state, sizeof(state)) &&
	       mint_state_is(state, MINT_STATE_RUNNING);
}

void placement_come_home(const struct cli_ctx *ctx,
			 const struct mint_config *cfg, const char *node)
{
	char text[NODE_PLACEMENT_MAX], out[NODE_PLACEMENT_MAX],
		at[MINT_NAME_MAX + 1];
	bool changed = false;
	unsigned int i;

	if (placement_read(ctx, text, sizeof(text)) || !text[0])
		return;
	for (i = 0; i < cfg->nr_vms; i++) {
		const struct mint_vm *vm = &cfg->vms[i];

		if (strcmp(vm->node, node))
			continue;
		mint_placement_where(cfg, text, vm, at);
		if (!strcmp(at, node) || node_runs(ctx, at))
			continue;
		if (mint_placement_set(text, vm->name, node, node, out,
				       sizeof(out)))
			continue;
		memcpy(text, out, strlen(out) + 1);
		changed = true;
		cli_note(ctx,
			 "%s: VM %s had moved to %s, which does not run: it "
			 "is back on %s",
			 node, vm->name, at, node);
	}
	if (changed && placement_write(ctx, text))
		cli_warn(ctx, "cannot update /" NODE_PLACEMENT);
}

/* The VM's state on @node; "unreported" when its line is not there. */
static void state_on(const struct cli_ctx *ctx, const struct migration *m,
		     const char *node, char *state, size_t slen, char *detail,
		     size_t dlen)
{
	if (!vm_now(ctx, node, m->name, state, slen, detail, dlen)) {
		snprintf(state, slen, "unreported");
		detail[0] = 0;
	}
}

/* The last line of NODE's migrate-error file of the VM, or a hint. */
static void fetch_reason(const struct cli_ctx *ctx, const struct migration *m,
			 char *why, size_t len)
{
	char line[512];

	snprintf(line, sizeof(line),
		 "echo @@MINT''VM \"$(tail -n 1 /run/mint/vm/%s/migrate-error "
		 "2>/dev/null | tr -d '\\r\\n')\"\n",
		 m->name);
	if (node_shell_poll(ctx, m->src, line, why, len, 10) || !why[0])
		snprintf(why, len, "see /run/mint/vm/%s/migrate.log in %s",
			 m->name, m->src);
}

/* Undo after a failure: the target's incoming VM ends, the source keeps
 * (or gets back) its VM. Returns exit code 1 with the reason printed. */
static int failed(const struct cli_ctx *ctx, const struct migration *m,
		  const char *why)
{
	char state[64], detail[512];
	struct cli_ctx quiet = *ctx;
	double end = cli_now() + 15;

	quiet.quiet = true;
	if (node_runs(ctx, m->target->name))
		vm_request_node(&quiet, m->target->name, m->name, "cancel", 10);
	do {
		state_on(ctx, m, m->src, state, sizeof(state), detail,
			 sizeof(detail));
		if (strcmp(state, "migrating"))
			break;
		usleep(250 * 1000);
	} while (cli_now() < end);
	return cli_error(ctx, CLI_EXIT_FAIL,
			 "%s/%s: the migration to %s failed: %s; the VM is "
			 "%s %s on %s",
			 m->src, m->name, m->target->name, why, state, detail,
			 m->src);
}

/* Does report detail @detail hold @tag as a whole item ("a,TAG,b")? */
static bool has_item(const char *detail, const char *tag)
{
	size_t n = strlen(tag);
	const char *p;

	for (p = strstr(detail, tag); p; p = strstr(p + 1, tag))
		if ((p == detail || p[-1] == ',') && strchr(", ", p[n] ?: ' '))
			return true;
	return false;
}

/* Until @node reports the VM in @want; the state seen in @state. */
static int wait_for(const struct cli_ctx *ctx, const struct migration *m,
		    const char *node, const char *want, unsigned int timeout,
		    char *state, size_t slen)
{
	double end = cli_now() + timeout;
	char detail[512], ended[64];

	snprintf(ended, sizeof(ended), "incoming-ended=%u", m->attempt);
	for (;;) {
		state_on(ctx, m, node, state, slen, detail, sizeof(detail));
		if (!strcmp(state, want))
			return 0;
		if (has_item(detail, ended))
			return -EPIPE; /* QEMU ended, no migration came */
		if (!node_runs(ctx, node))
			return -ENODEV;
		if (cli_now() > end)
			return -ETIMEDOUT;
		usleep(250 * 1000);
	}
}

/* The transfer, from the source's report; 0 once "moved". */
static int transfer(const struct cli_ctx *ctx, const struct migration *m,
		    char *why, size_t len)
{
	double start = cli_now(), next = start + 2;
	char state[64], detail[512];
	bool seen = false;

	for (;;) {
		state_on(ctx, m, m->src, state, sizeof(state), detail,
			 sizeof(detail));
		if (!strcmp(state, "moved"))
			return 0;
		if (!strcmp(state, "migrating"))
			seen = true;
		if (!node_runs(ctx, m->target->name)) {
			vm_request_node(ctx, m->src, m->name, "cancel", 10);
			snprintf(why, len, "%s stopped running",
				 m->target->name);
			return -1;
		}
		if (!node_runs(ctx, m->src)) {
			snprintf(why, len, "%s stopped running", m->src);
			return -1;
		}
		/* back to running: mint-vm gave up (migrate-failed) */
		if (has_item(detail, m->failed_tag) ||
		    (!seen && strcmp(state, "running") &&
		     cli_now() > start + 5)) {
			fetch_reason(ctx, m, why, len);
			return -1;
		}
		if (m->timeout && cli_now() - start > m->timeout) {
			vm_request_node(ctx, m->src, m->name, "cancel", 10);
			snprintf(why, len, "not done after %u s (--timeout)",
				 m->timeout);
			return -1;
		}
		if (seen && cli_now() >= next) {
			/* "to=node2,ram=1.0/128.0MiB,... restarts=0" */
			detail[strcspn(detail, " ")] = 0;
			for (char *c = detail; *c; c++)
				if (*c == ',')
					*c = ' ';
			cli_note(ctx, "%s/%s: migrating (%.0f s): %s", m->src,
				 m->name, cli_now() - start, detail);
			next += PROGRESS_EVERY_S;
		}
		usleep(250 * 1000);
	}
}

static int run(const struct cli_ctx *ctx, struct migration *m)
{
	char state[64], why[512], action[160], placed[NODE_PLACEMENT_MAX];
	char newtext[NODE_PLACEMENT_MAX];
	double t_in, t_moved;
	int ret;

	m->attempt = (unsigned int)((uint64_t)(cli_now() * 1000) % 1000000000);
	snprintf(m->failed_tag, sizeof(m->failed_tag), "migrate-failed=%u",
		 m->attempt);
	snprintf(action, sizeof(action), "incoming %s %s %u", m->to,
		 m->vm->node, m->attempt);
	cli_note(ctx, "%s/%s: %s takes it on %s", m->src, m->name,
		 m->target->name, m->to);
	ret = vm_request_node(ctx, m->target->name, m->name, action, 15);
	if (ret)
		return ret;
	ret = wait_for(ctx, m, m->target->name, "incoming", INCOMING_TIMEOUT_S,
		       state, sizeof(state));
	if (ret) {
		snprintf(why, sizeof(why),
			 "%s did not get ready for it (%s; see "
			 "/run/mint/vmd.log and /run/mint/vm/%s/qemu.err in "
			 "%s)",
			 m->target->name, state, m->name, m->target->name);
		return failed(ctx, m, why);
	}
	t_in = cli_now();
	snprintf(action, sizeof(action), "migrate %s %s %u", m->to,
		 m->target->name, m->attempt);
	ret = vm_request_node(ctx, m->src, m->name, action, 15);
	if (ret)
		return failed(ctx, m,
			      "the source's supervisor took no request");
	if (transfer(ctx, m, why, sizeof(why)))
		return failed(ctx, m, why);
	t_moved = cli_now();
	/* from here the VM exists only on the target */
	ret = placement_read(ctx, placed, sizeof(placed));
	if (ret ||
	    mint_placement_set(placed, m->name, m->target->name, m->vm->node,
			       newtext, sizeof(newtext)) ||
	    placement_write(ctx, newtext))
		cli_warn(ctx, "cannot record where %s runs in /" NODE_PLACEMENT,
			 m->name);
	ret = vm_request_node(ctx, m->target->name, m->name, "resume", 15);
	ret = ret
		      ?: wait_for(ctx, m, m->target->name, "running",
				  RESUME_TIMEOUT_S, state, sizeof(state));
	if (ret)
		return cli_error(ctx, CLI_EXIT_FAIL,
				 "%s/%s: moved, but %s did not resume it (%s); "
				 "'mintctl vm restart %s/%s' starts it afresh",
				 m->src, m->name, m->target->name, state,
				 m->target->name, m->name);
	cli_note(ctx,
		 "%s/%s: running on %s; %.1f s in all (target ready %.1f s, "
		 "transfer %.1f s, resume %.1f s)",
		 m->src, m->name, m->target->name, cli_now() - m->t0,
		 t_in - m->t0, t_moved - t_in, cli_now() - t_moved);
	return CLI_EXIT_OK;
}

/* Everything checked before anything starts. An exit code. */
static int prepare(const struct cli_ctx *ctx, struct migration *m,
		   const char *tname)
{
	const struct mint_config *cfg = m->cfg;
	char at[MINT_NAME_MAX + 1], why[512], placed[NODE_PLACEMENT_MAX];
	char state[64], detail[512], addr[32];
	unsigned int i, t;
	int ret;

	for (i = 0; i < cfg->nr_vms && strcmp(cfg->vms[i].name, m->name); i++)
		;
	if (i == cfg->nr_vms)
		return cli_error(ctx, CLI_EXIT_CONFLICT,
				 "%s/%s: no VM '%s' in "
				 "the config",
				 m->src, m->name, m->name);
	m->vm = &cfg->vms[i];
	m->port = PORT_BASE + 2 * i;
	for (t = 0; t < cfg->nr_nodes && strcmp(cfg->nodes[t].name, tname); t++)
		;
	if (!strcmp(m->src, "node0") || !strcmp(tname, "node0"))
		return cli_error(ctx, CLI_EXIT_CONFLICT,
				 "%s/%s: node0's VMs do not move, and none "
				 "moves to node0; migration is between nodes",
				 m->src, m->name);
	if (t == cfg->nr_nodes)
		return cli_error(ctx, CLI_EXIT_CONFLICT,
				 "no node '%s' in the config", tname);
	m->target = &cfg->nodes[t];
	ret = placement_read(ctx, placed, sizeof(placed));
	if (ret)
		return cli_error(ctx, CLI_EXIT_FAIL, "cannot read /%s: %s",
				 NODE_PLACEMENT, strerror(-ret));
	mint_placement_where(cfg, placed, m->vm, at);
	if (strcmp(at, m->src))
		return cli_error(ctx, CLI_EXIT_CONFLICT,
				 "%s/%s: %s runs on %s, not on %s", m->src,
				 m->name, m->name, at, m->src);
	for (i = 0; i < cfg->nr_nodes; i++)
		if (!strcmp(cfg->nodes[i].name, m->src) &&
		    !cfg->nodes[i].address.prefix)
			break;
	if (i < cfg->nr_nodes || !m->target->address.prefix)
		return cli_error(ctx, CLI_EXIT_CONFLICT,
				 "%s/%s: cannot move to %s: the migration "
				 "goes over the links, and %s has no address "
				 "on its link (config key address)",
				 m->src, m->name, tname,
				 i < cfg->nr_nodes ? m->src : tname);
	if (mint_migrate_fits(cfg, placed, m->vm, t, why, sizeof(why)))
		return cli_error(ctx, CLI_EXIT_CONFLICT,
				 "%s/%s: cannot move to %s: %s", m->src,
				 m->name, tname, why);
	ret = cli_need_kernel(ctx);
	if (ret)
		return ret;
	if (!node_runs(ctx, m->src) || !node_runs(ctx, tname)) {
		const char *down = node_runs(ctx, m->src) ? tname : m->src;

		if (node_state(ctx, down, state, sizeof(state)))
			snprintf(state, sizeof(state), "not defined");
		return cli_error(ctx, CLI_EXIT_CONFLICT,
				 "%s/%s: cannot move to %s: %s is %s", m->src,
				 m->name, tname, down, state);
	}
	state_on(ctx, m, m->src, state, sizeof(state), detail, sizeof(detail));
	if (strcmp(state, "running"))
		return cli_error(ctx, CLI_EXIT_CONFLICT,
				 "%s/%s: is %s%s%s; only a running VM moves",
				 m->src, m->name, state, detail[0] ? " " : "",
				 detail);
	mint_ipv4_format(&m->target->address, false, addr, sizeof(addr));
	snprintf(m->to, sizeof(m->to), "%s:%u", addr, m->port);
	return CLI_EXIT_OK;
}

int vm_migrate(const struct cli_ctx *ctx, const struct mint_config *cfg,
	       const char *src, const char *vm, const char *target,
	       unsigned int timeout)
{
	struct migration m = { .cfg = cfg,
			       .timeout = timeout,
			       .t0 = cli_now() };

	snprintf(m.src, sizeof(m.src), "%s", src);
	snprintf(m.name, sizeof(m.name), "%s", vm);
	return prepare(ctx, &m, target) ?: run(ctx, &m);
}

int cmd_migrate(const struct cli_ctx *ctx, int argc, char **argv)
{
	const char *config = CLI_DEFAULT_CONFIG, *slash;
	struct migration m = { .timeout = 600, .t0 = cli_now() };
	struct cli_getopt_tab g;
	struct cli_ctx quiet = *ctx;
	struct mint_config cfg;
	char why[256];
	int opt, ret;

	cli_getopt_begin(ctx, &g);
	while ((opt = cli_getopt(&g, argc, argv)) != -1) {
		if (opt == 'c') {
			config = optarg;
		} else if (opt == 'q') {
			quiet.quiet = true;
		} else if (opt == 't') {
			ret = cli_parse_timeout(ctx, optarg, &m.timeout);
			if (ret)
				return ret;
		} else {
			return cli_bad_option(ctx, argv, opt);
		}
	}
	ctx = &quiet;
	if (argc - optind != 2)
		return cli_usage(ctx, argc - optind < 2
					      ? "give NODE/VM and TARGET"
					      : "too many arguments");
	slash = strchr(argv[optind], '/');
	if (!slash)
		return cli_usage(ctx, "'%s' names no VM; give NODE/VM",
				 argv[optind]);
	snprintf(m.src, sizeof(m.src), "%.*s", (int)(slash - argv[optind]),
		 argv[optind]);
	ret = cli_check_node_name(ctx, m.src);
	ret = ret ?: cli_check_node_name(ctx, argv[optind + 1]);
	if (ret)
		return ret;
	if (mint_check_name(slash + 1, "vm", why, sizeof(why)))
		return cli_usage(ctx, "%s", why);
	snprintf(m.name, sizeof(m.name), "%s", slash + 1);
	mint_config_init(&cfg);
	ret = cli_load_config(ctx, config, &cfg, false);
	m.cfg = &cfg;
	ret = ret ?: prepare(ctx, &m, argv[optind + 1]);
	ret = ret ?: run(ctx, &m);
	mint_config_free(&cfg);
	return ret;
}
