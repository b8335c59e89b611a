// SPDX-License-Identifier: GPL-2.0
/*
 * Driving nodes through node0's kernel: /sys/kernel/mint (define, control,
 * state); nodeload.c loads their images.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mintctl.h"
#include "node.h"

/* Wait until the node's state is one of @want (space-separated names).
 * Returns 0, or -ETIMEDOUT with the last state in @state. */
int node_wait(const struct cli_ctx *ctx, const char *node, const char *want,
	      unsigned int timeout, char *state, size_t len)
{
	double end = cli_now() + timeout;
	char pat[64];

	for (;;) {
		int ret = node_state(ctx, node, state, len);

		if (ret)
			return ret;
		snprintf(pat, sizeof(pat), " %s ", state);
		{
			char hay[256];

			snprintf(hay, sizeof(hay), " %s ", want);
			if (strstr(hay, pat))
				return 0;
		}
		if (timeout && cli_now() > end)
			return -ETIMEDOUT;
		usleep(100 * 1000);
	}
}

/* "id=1 name=node1 cpus=2-3 mem=0x28000000+0x28000000 [iommu=off]
 * [link=0x7fe00000+0x200000]" */
static int node_define(const struct cli_ctx *ctx, const struct mint_node *n)
{
	char cpus[256], line[1024];
	unsigned int i;
	int len;

	mint_cpulist_format(n->cpus, cpus, sizeof(cpus));
	len = snprintf(line, sizeof(line),
		       "%s=%u %s=%s %s=%s %s=", MINT_DEFINE_ID, n->index,
		       MINT_DEFINE_NAME, n->name, MINT_DEFINE_CPUS, cpus,
		       MINT_DEFINE_MEM);
	for (i = 0; i < n->nr_mem; i++)
		len += snprintf(line + len, sizeof(line) - len,
				"%s0x%" PRIx64 "+0x%" PRIx64, i ? "," : "",
				n->mem[i].base, n->mem[i].size);
	if (n->iommu_off)
		len += snprintf(line + len, sizeof(line) - len, " %s=%s",
				MINT_DEFINE_IOMMU, MINT_IOMMU_OFF);
	if (n->link.size)
		snprintf(line + len, sizeof(line) - len,
			 " %s=0x%" PRIx64 "+0x%" PRIx64, MINT_DEFINE_LINK,
			 n->link.base, n->link.size);
	return node_write(ctx, NULL, "define", line);
}

/* Does node0's kernel (@ni) define @n as the config does (id, CPUs, RAM,
 * iommu, link)? A kernel without link files has no links. */
static bool node_same_definition(const struct node_info *ni,
				 const struct mint_node *n)
{
	bool link = ni->has_link && mint_link_present(&ni->link);
	unsigned int i;

	if (ni->cpus != n->cpus || ni->nr_mem != n->nr_mem ||
	    ni->id != (int)n->index ||
	    (ni->has_dma && ni->dma.iommu_off != n->iommu_off))
		return false;
	if (link != (n->link.size != 0) ||
	    (link &&
	     (ni->link.base != n->link.base || ni->link.size != n->link.size)))
		return false;
	for (i = 0; i < n->nr_mem; i++)
		if (ni->mem[i].base != n->mem[i].base ||
		    ni->mem[i].size != n->mem[i].size)
			return false;
	return true;
}

/*
 * The config changed @n since node0's kernel defined it: define it again
 * when it holds nothing (offline, loaded, or stopped and released),
 * else say what to do.
 */
static int node_redefine(const struct cli_ctx *ctx, const struct mint_node *n)
{
	struct node_info ni;
	int ret;

	ret = node_info_read(ctx, n->name, &ni);
	if (!ret && node_same_definition(&ni, n))
		return CLI_EXIT_OK;
	if (ret || (!mint_state_is(ni.state, MINT_STATE_OFFLINE) &&
		    !mint_state_is(ni.state, MINT_STATE_LOADED)))
		return cli_error(ctx, CLI_EXIT_CONFLICT,
				 "%s: the config gives it other CPUs, RAM, "
				 "iommu or link than node0's kernel has; stop "
				 "and release it first (mintctl stop %s; "
				 "mintctl release %s), then start it again",
				 n->name, n->name, n->name);
	ret = node_write(ctx, NULL, "undefine", n->name);
	if (cli_denied(ret))
		return cli_not_root(ctx, n->name);
	if (ret == -EBUSY)
		return cli_error(ctx, CLI_EXIT_CONFLICT,
				 "%s: the config changed it, and it still "
				 "holds its CPUs; mintctl release %s first",
				 n->name, n->name);
	if (ret)
		return cli_error(ctx, CLI_EXIT_FAIL,
				 "%s: cannot undefine it to define it anew: %s",
				 n->name, strerror(-ret));
	node_image_forget(ctx, n->name);
	cli_note(ctx,
		 "%s: the config changed its CPUs, RAM, iommu or link: "
		 "defined anew",
		 n->name);
	return CLI_EXIT_OK;
}

/* Is @n's definition free of the nodes node0's kernel already has? The
 * kernel refuses conflicts too; this says which node is in the way. */
static int node_conflicts(const struct cli_ctx *ctx, const struct mint_node *n)
{
	char names[MINT_MAX_NODES + 8][MINT_NAME_MAX + 1], buf[256], why[128];
	int i, count = node_list(ctx, names, MINT_MAX_NODES + 8);

	for (i = 0; i < count; i++) {
		uint64_t cpus = 0;

		if (!strcmp(names[i], n->name))
			continue;
		if (!node_read(ctx, names[i], "cpus", buf, sizeof(buf)) &&
		    !mint_cpulist_parse_sys(buf, &cpus, why, sizeof(why)) &&
		    (cpus & n->cpus)) {
			mint_cpulist_format(cpus & n->cpus, buf, sizeof(buf));
			return cli_error(
				ctx, CLI_EXIT_CONFLICT,
				"%s: CPU %s belongs to node '%s'; stop "
				"and release it first (mintctl stop %s; "
				"mintctl release %s)",
				n->name, buf, names[i], names[i], names[i]);
		}
		if (!node_read(ctx, names[i], "id", buf, sizeof(buf)) &&
		    strtoul(buf, NULL, 10) == n->index)
			return cli_error(ctx, CLI_EXIT_CONFLICT,
					 "%s: node id %u (its place in the "
					 "config) is node '%s''s; node0 holds "
					 "nodes of one config at a time",
					 n->name, n->index, names[i]);
	}
	return CLI_EXIT_OK;
}

/* Load @n's image (dropping the record of the last one first, since a
 * failed load leaves no image). @rec says what was loaded, with the TSC
 * @tsc0 of the command's start of the node (the timeline's "mintctl"),
 * and @files holds the files for record_image(). */
static int load_image(const struct cli_ctx *ctx, const struct mint_config *cfg,
		      const char *config, const struct mint_node *n,
		      const struct node_boot *b, uint64_t tsc0,
		      struct mint_image_rec *rec, struct node_files *files)
{
	char why[512];
	int ret;

	ret = dev_take(ctx, n);
	if (ret)
		return ret;
	cli_note(ctx, "%s: loading %s%s%s%s", n->name, n->kernel,
		 n->initrd ? " + " : "", n->initrd ? n->initrd : "",
		 node_boot_oneoff(b) ? " (one-off, not the config's image)"
				     : "");
	node_image_forget(ctx, n->name);
	ret = node_load(ctx, cfg, config, n, rec, files, why, sizeof(why));
	if (cli_denied(ret))
		return cli_not_root(ctx, n->name);
	if (ret)
		return cli_error(
			ctx, ret == -EBUSY ? CLI_EXIT_CONFLICT : CLI_EXIT_FAIL,
			"%s: %s", n->name, why);
	rec->oneoff = node_boot_oneoff(b);
	rec->tsc_mintctl = tsc0;
	snprintf(rec->config, sizeof(rec->config), "%s", config);
	return CLI_EXIT_OK;
}

/* Record what @n was loaded with: the digests of @files, which are then
 * freed. A start does it once the node is on its way, off its path. */
static void record_image(const struct cli_ctx *ctx, const struct mint_node *n,
			 struct mint_image_rec *rec, struct node_files *files)
{
	int ret;

	node_files_digest(files, rec);
	node_files_free(files);
	ret = node_image_write(ctx, n->name, rec);
	if (ret)
		cli_warn(ctx,
			 "%s: cannot record the image in /run/mint/nodes: %s; "
			 "'mintctl status' will not show it",
			 n->name, strerror(-ret));
}

/*
 * load --save-image: the image a load of @n would load, into files. It
 * changes nothing in node0's kernel: no definition, no devices taken, no
 * record; the node must be defined already (its APIC IDs come from there).
 */
static int save_image(const struct cli_ctx *ctx, const struct mint_config *cfg,
		      const char *config, const struct mint_node *n,
		      const char *dir)
{
	char why[512];
	size_t nseg = 0;
	int ret;

	if (!node_defined(ctx, n->name))
		return cli_error(ctx, CLI_EXIT_CONFLICT,
				 "%s: not defined in node0's kernel, which "
				 "gives the image its APIC IDs; --save-image "
				 "defines nothing ('mintctl load %s' does)",
				 n->name, n->name);
	ret = node_save_image(ctx, cfg, config, n, dir, &nseg, why,
			      sizeof(why));
	if (ret)
		return cli_error(ctx, CLI_EXIT_FAIL, "%s: %s", n->name, why);
	cli_note(ctx, "%s: image saved to %s (%zu segments)", n->name, dir,
		 nseg);
	return CLI_EXIT_OK;
}

/* After the start: wait until the node runs, fails or the timeout ends. */
static int wait_running(const struct cli_ctx *ctx, const struct mint_node *n,
			const struct node_boot *b, double t1)
{
	char state[64], until[128];
	double t2;
	int ret;

	mint_state_join(MINT_STATE_BIT(MINT_STATE_RUNNING) | MINT_STATES_FAILED,
			" ", " ", until, sizeof(until));
	ret = node_wait(ctx, n->name, until, b->timeout, state, sizeof(state));
	t2 = cli_now();
	if (ret == -ETIMEDOUT)
		return cli_error(ctx, CLI_EXIT_FAIL,
				 "%s: still %s after %us; see its console",
				 n->name, state, b->timeout);
	if (ret)
		return cli_error(ctx, CLI_EXIT_FAIL, "%s: no state: %s",
				 n->name, strerror(-ret));
	if (!mint_state_is(state, MINT_STATE_RUNNING))
		return cli_error(ctx, CLI_EXIT_FAIL,
				 "%s: %s during boot; see 'mintctl log %s'",
				 n->name, state, n->name);
	cli_note(ctx, "%s: running (%.1fs from start)", n->name, t2 - t1);
	return CLI_EXIT_OK;
}

int node_start(const struct cli_ctx *ctx, const struct mint_config *cfg,
	       const char *config, const struct mint_node *n,
	       const struct node_boot *b)
{
	uint64_t tsc0 = cli_tsc(); /* the timeline's "mintctl" */
	struct node_files files = { 0 };
	struct mint_image_rec rec;
	bool loaded = false;
	char state[64];
	double t0 = cli_now(), t1;
	int ret;

	if (b->save_image[0])
		return save_image(ctx, cfg, config, n, b->save_image);
	if (node_defined(ctx, n->name)) {
		ret = node_redefine(ctx, n);
		if (ret)
			return ret;
	}
	if (!node_defined(ctx, n->name)) {
		ret = node_conflicts(ctx, n);
		if (ret)
			return ret;
		ret = node_define(ctx, n);
		if (cli_denied(ret))
			return cli_not_root(ctx, n->name);
		if (ret)
			return cli_error(ctx, CLI_EXIT_CONFLICT,
					 "%s: node0's kernel refused the node "
					 "definition: %s (see dmesg; are its "
					 "RAM and low memory held back with "
					 "'mintctl bootargs'?)",
					 n->name, strerror(-ret));
	}
	ret = node_state(ctx, n->name, state, sizeof(state));
	if (ret)
		return cli_error(ctx, CLI_EXIT_FAIL, "%s: no state: %s",
				 n->name, strerror(-ret));
	if (mint_state_holds_cpus(state))
		return cli_error(ctx, CLI_EXIT_CONFLICT,
				 "%s: is %s; stop it first", n->name, state);
	ret = node_link_up(ctx, cfg, n);
	if (ret)
		return ret;
	if (b->use_loaded && !node_boot_oneoff(b) &&
	    mint_state_is(state, MINT_STATE_LOADED) &&
	    !node_image_read(ctx, n->name, &rec)) {
		cli_note(ctx,
			 "%s: starting the image loaded before (%s%s%s%s), "
			 "without loading it again",
			 n->name, rec.kernel, rec.initrd[0] ? " + " : "",
			 rec.initrd, rec.oneoff ? ", one-off" : "");
		/* a release since the load gave its functions back */
		ret = dev_take(ctx, n);
		if (ret)
			return ret;
	} else {
		ret = load_image(ctx, cfg, config, n, b, tsc0, &rec, &files);
		if (ret)
			return ret;
		loaded = true;
		if (b->load_only) {
			record_image(ctx, n, &rec, &files);
			cli_note(ctx,
				 "%s: loaded; 'mintctl start %s' starts it "
				 "without loading it again",
				 n->name, n->name);
			return CLI_EXIT_OK;
		}
	}
	t1 = cli_now();
	ret = node_write(ctx, n->name, "control", MINT_CONTROL_START);
	if (loaded) /* the digests while the node boots, off its path */
		record_image(ctx, n, &rec, &files);
	if (cli_denied(ret))
		return cli_not_root(ctx, n->name);
	if (ret)
		return cli_error(ctx, CLI_EXIT_FAIL,
				 "%s: start failed: %s (see dmesg)", n->name,
				 strerror(-ret));
	cli_note(ctx, "%s: started (load %.1fs); waiting for it to run",
		 n->name, t1 - t0);
	ret = wait_running(ctx, n, b, t1);
	if (b->timing) /* whether it runs, failed or timed out */
		node_timing_print(ctx, n->name);
	return ret;
}

int node_stop(const struct cli_ctx *ctx, const char *name, bool force)
{
	char state[64];
	bool forced;
	int ret;

	ret = node_state(ctx, name, state, sizeof(state));
	if (ret)
		return cli_error(ctx, CLI_EXIT_CONFLICT,
				 "%s: no such node in node0's kernel (see "
				 "'mintctl status')",
				 name);
	if (mint_state_is(state, MINT_STATE_STOPPED)) {
		node_image_forget(ctx, name);
		/* as systemctl stop of a unit that is not active: done */
		cli_note(ctx,
			 "%s: already stopped; its CPUs stay reserved until "
			 "'mintctl release %s'",
			 name, name);
		return CLI_EXIT_OK;
	}
	if (!mint_state_holds_cpus(state))
		return cli_error(ctx, CLI_EXIT_CONFLICT,
				 "%s: is %s, not started; nothing to stop",
				 name, state);
	/* Only a running node can shut itself down; node0's kernel stops
	 * the CPUs of a node in any other state at once, even without
	 * stop-force. */
	forced = force || !mint_state_is(state, MINT_STATE_RUNNING);
	ret = node_write(ctx, name, "control",
			 force ? MINT_CONTROL_STOP_FORCE : MINT_CONTROL_STOP);
	if (cli_denied(ret))
		return cli_not_root(ctx, name);
	if (ret == -EALREADY)
		return cli_error(ctx, CLI_EXIT_CONFLICT,
				 "%s: is no longer started; nothing to stop",
				 name);
	if (ret == -ETIMEDOUT)
		return cli_error(ctx, CLI_EXIT_FAIL,
				 "%s: did not halt within 60 s of the stop "
				 "request; 'mintctl stop --force %s' stops "
				 "its CPUs at once",
				 name, name);
	if (ret == -EIO && !node_state(ctx, name, state, sizeof(state)) &&
	    mint_state_is(state, MINT_STATE_FAILED))
		return cli_error(
			ctx, CLI_EXIT_FAIL,
			"%s: not every CPU confirmed the stop: the node "
			"is failed and keeps its CPUs; 'mintctl stop "
			"--force %s' tries again (see dmesg)",
			name, name);
	if (ret)
		return cli_error(ctx, CLI_EXIT_FAIL,
				 "%s: stop failed: %s (see dmesg)", name,
				 strerror(-ret));
	node_image_forget(ctx, name); /* it runs no image now */
	cli_note(ctx,
		 "%s: stopped%s%s%s; its CPUs stay reserved until 'mintctl "
		 "release %s'",
		 name, forced ? " (forced; it was " : "", forced ? state : "",
		 forced ? ")" : "", name);
	return CLI_EXIT_OK;
}

int node_release(const struct cli_ctx *ctx, const char *name)
{
	char state[64], cpus[256];
	int ret;

	ret = node_state(ctx, name, state, sizeof(state));
	/* Undefined with its functions still marked (a raw undefine of a
	 * loaded node): nothing else gives them back. */
	if (ret && dev_give_back(ctx, name) > 0)
		return CLI_EXIT_OK;
	if (ret)
		return cli_error(ctx, CLI_EXIT_CONFLICT,
				 "%s: no such node in node0's kernel (see "
				 "'mintctl status')",
				 name);
	if (mint_state_holds_cpus(state))
		return cli_error(ctx, CLI_EXIT_CONFLICT,
				 "%s: is %s; stop it first (mintctl stop %s)",
				 name, state, name);
	ret = node_write(ctx, name, "control", MINT_CONTROL_RELEASE);
	if (cli_denied(ret))
		return cli_not_root(ctx, name);
	if (ret == -EBUSY)
		return cli_error(ctx, CLI_EXIT_CONFLICT,
				 "%s: is started again; stop it first", name);
	/* Loaded, never started: only its functions were taken ('mintctl
	 * start' takes them again before it starts the loaded image). */
	if (ret == -EALREADY && dev_give_back(ctx, name) > 0)
		return CLI_EXIT_OK;
	if (ret == -EALREADY)
		return cli_error(ctx, CLI_EXIT_CONFLICT,
				 "%s: holds no CPUs (they are node0's); "
				 "nothing to release",
				 name);
	if (ret)
		return cli_error(ctx, CLI_EXIT_FAIL,
				 "%s: release failed: %s (see dmesg)", name,
				 strerror(-ret));
	dev_give_back(ctx, name);
	node_image_forget(ctx, name); /* a loaded image is gone with it */
	if (node_read(ctx, name, "cpus", cpus, sizeof(cpus)))
		snprintf(cpus, sizeof(cpus), "?");
	cli_note(ctx, "%s: CPUs %s given back to node0", name, cpus);
	return CLI_EXIT_OK;
}
