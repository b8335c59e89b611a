// SPDX-License-Identifier: GPL-2.0
/* mintctl status [--config=FILE] [--json | --quiet] [NODE...] */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "mintctl.h"
#include "node.h"

static void row_memory(const struct node_row *r, char *out, size_t len)
{
	char size[32];
	size_t used = 0;
	unsigned int i;

	snprintf(out, len, "-");
	for (i = 0; i < r->ni.nr_mem && used < len; i++) {
		mint_format_size(r->ni.mem[i].size, size, sizeof(size));
		used += snprintf(out + used, len - used, "%s%s@0x%" PRIx64,
				 i ? "," : "", size, r->ni.mem[i].base);
	}
}

static void row_heartbeat(const struct node_row *r, char *out, size_t len)
{
	if (r->ni.heartbeat_age_ms < 0)
		snprintf(out, len, "-");
	else
		snprintf(out, len, "%.1fs ago",
			 (double)r->ni.heartbeat_age_ms / 1000);
}

/* A text made safe for a terminal. */
static void put_safe(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p; p++)
		fputc(*p < 0x20 || *p == 0x7f ? '?' : *p, f);
}

/* The panic message, made safe for a terminal. */
static void print_panic(FILE *f, const struct node_row *r)
{
	fprintf(f, "%s: panic: ", r->ni.name);
	put_safe(f, r->ni.panic_msg);
	fputc('\n', f);
}

/* The node's VMs, as its supervisor reported them, under the node's row. */
static void print_vms(FILE *f, const struct node_row *r)
{
	const char *p = r->ni.vms, *nl;

	while (*p) {
		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p);
		if (nl > p)
			fprintf(f, "  vm %.*s\n", (int)(nl - p), p);
		p = *nl ? nl + 1 : nl;
	}
	if (r->ni.vms[0] && r->vms_age_s > NODE0_VMS_STALE_S)
		fprintf(f,
			"  (these are %lds old: node0's VM supervisor "
			"mint-vmd is not running; on a server see "
			"'systemctl status mint-vms')\n",
			r->vms_age_s);
}

/*
 * What the node is loaded with or runs, under its row: for a node named on
 * the command line, and in the whole table for a one-off image (the table
 * stays short when every node runs its config's image).
 */
static void print_image(FILE *f, const struct node_row *r, bool named)
{
	const struct mint_image_rec *im = &r->image;

	if (!r->has_image || (!named && !im->oneoff))
		return;
	fputs("  kernel  ", f);
	put_safe(f, im->kernel);
	fprintf(f, " sha256:%s%s\n", im->kernel_sha256,
		im->oneoff ? " (one-off)" : "");
	if (im->initrd[0]) {
		fputs("  initrd  ", f);
		put_safe(f, im->initrd);
		fprintf(f, " sha256:%s\n", im->initrd_sha256);
	}
	fputs("  cmdline ", f);
	put_safe(f, im->cmdline);
	fputc('\n', f);
}

/* How long its start took, under a node named on the command line: from
 * mintctl's start of it to running (both stamped). */
static void print_start(FILE *f, const struct node_row *r, bool named)
{
	double ms;

	if (!named || !r->has_timeline)
		return;
	ms = mint_timeline_span_ms(&r->timeline, MINT_TL_MINTCTL,
				   MINT_TL_PHASE(MINT_PHASE_INITCALLS));
	if (ms >= 0)
		fprintf(f, "  start: %.2f s from 'mintctl start' to running\n",
			ms / 1000);
}

/* Its devices' DMA, under the row of a node that has devices or faults. */
static void print_dma(FILE *f, const struct node_row *r)
{
	const struct mint_dma *d = &r->ni.dma;
	const struct mint_dma_fault *last;
	unsigned int i, confined = 0;
	char bdf[16];

	if (!r->ni.has_dma || (!d->nr_devices && !d->faults))
		return;
	for (i = 0; i < d->nr_devices; i++)
		confined += !strcmp(d->devices[i].how, MINT_DMA_CONFINED);
	fprintf(f, "  dma: %u of %u devices confined to its RAM%s", confined,
		d->nr_devices, d->iommu_off ? " (iommu = off)" : "");
	if (!d->faults) {
		fputs(", no DMA faults\n", f);
		return;
	}
	if (!d->nr_recent) { /* the kernel keeps the last ones; none here */
		fprintf(f, ", %" PRIu64 " DMA fault%s\n", d->faults,
			d->faults == 1 ? "" : "s");
		return;
	}
	last = &d->recent[d->nr_recent - 1];
	mint_pci_format(&last->addr, bdf, sizeof(bdf));
	fprintf(f, ", %" PRIu64 " DMA fault%s, last: %s %s 0x%" PRIx64 "\n",
		d->faults, d->faults == 1 ? "" : "s", bdf,
		last->write ? "write to" : "read from", last->iova);
}

/* Why the node is not started at boot (mint-autostart), under its row. */
static void print_blocked(FILE *f, const struct node_row *r)
{
	if (!r->autostart_blocked[0])
		return;
	fputs("  autostart blocked: ", f);
	put_safe(f, r->autostart_blocked);
	fputc('\n', f);
}

static void print_table(FILE *f, struct node_row **sel, int nr, bool named)
{
	static const char *const head[] = { "NODE", "STATE", "CPUS", "MEMORY",
					    "HEARTBEAT" };
	char mem[NODE_ROWS_MAX][256], hb[NODE_ROWS_MAX][32];
	int w[4], i;

	for (i = 0; i < 4; i++)
		w[i] = (int)strlen(head[i]);
	for (i = 0; i < nr; i++) {
		row_memory(sel[i], mem[i], sizeof(mem[i]));
		row_heartbeat(sel[i], hb[i], sizeof(hb[i]));
		if ((int)strlen(sel[i]->ni.name) > w[0])
			w[0] = (int)strlen(sel[i]->ni.name);
		if ((int)strlen(node_row_state(sel[i])) > w[1])
			w[1] = (int)strlen(node_row_state(sel[i]));
		if ((int)strlen(sel[i]->ni.cpulist) > w[2])
			w[2] = (int)strlen(sel[i]->ni.cpulist);
		if ((int)strlen(mem[i]) > w[3])
			w[3] = (int)strlen(mem[i]);
	}
	fprintf(f, "%-*s  %-*s  %-*s  %-*s  %s\n", w[0], head[0], w[1], head[1],
		w[2], head[2], w[3], head[3], head[4]);
	for (i = 0; i < nr; i++) {
		fprintf(f, "%-*s  %-*s  %-*s  %-*s  %s\n", w[0],
			sel[i]->ni.name, w[1], node_row_state(sel[i]), w[2],
			sel[i]->ni.cpulist[0] ? sel[i]->ni.cpulist : "-", w[3],
			mem[i], hb[i]);
		print_image(f, sel[i], named);
		print_start(f, sel[i], named);
		print_blocked(f, sel[i]);
		node_row_link_text(f, sel[i]);
		print_dma(f, sel[i]);
		print_vms(f, sel[i]);
	}
	for (i = 0; i < nr; i++)
		if (mint_state_is(sel[i]->ni.state, MINT_STATE_PANIC) &&
		    sel[i]->ni.panic_msg[0])
			print_panic(f, sel[i]);
}

/* "vms": [{"name", "state", "detail"}...] from the supervisor's lines */
static void json_vms(struct mint_buf *b, const char *p)
{
	char line[256], name[64], state[32];
	const char *nl, *rest;
	bool first = true;
	int n;

	mint_buf_puts(b, ", \"vms\": [");
	while (*p) {
		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p);
		snprintf(line, sizeof(line), "%.*s", (int)(nl - p), p);
		p = *nl ? nl + 1 : nl;
		/* NAME STATE DETAIL... */
		n = (int)strcspn(line, " ");
		snprintf(name, sizeof(name), "%.*s", n, line);
		rest = line + n + strspn(line + n, " ");
		n = (int)strcspn(rest, " ");
		snprintf(state, sizeof(state), "%.*s", n, rest);
		rest += n + strspn(rest + n, " ");
		if (!name[0] || !state[0])
			continue;
		mint_buf_puts(b, first ? "{\"name\": " : ", {\"name\": ");
		mint_json_string(b, name);
		mint_buf_puts(b, ", \"state\": ");
		mint_json_string(b, state);
		mint_buf_puts(b, ", \"detail\": ");
		mint_json_string(b, rest);
		mint_buf_puts(b, "}");
		first = false;
	}
	mint_buf_puts(b, "]");
}

static void json_image(struct mint_buf *b, const struct node_row *r)
{
	const struct mint_image_rec *im = &r->image;

	mint_buf_puts(b, ",\n      \"autostart_blocked\": ");
	mint_json_string(b,
			 r->autostart_blocked[0] ? r->autostart_blocked : NULL);
	mint_buf_puts(b, ",\n      \"image\": ");
	if (!r->has_image) {
		mint_buf_puts(b, "null");
		return;
	}
	mint_buf_puts(b, "{\"kernel\": ");
	mint_json_string(b, im->kernel);
	mint_buf_puts(b, ", \"kernel_sha256\": ");
	mint_json_string(b, im->kernel_sha256);
	mint_buf_puts(b, ", \"initrd\": ");
	mint_json_string(b, im->initrd[0] ? im->initrd : NULL);
	mint_buf_puts(b, ", \"initrd_sha256\": ");
	mint_json_string(b, im->initrd[0] ? im->initrd_sha256 : NULL);
	mint_buf_puts(b, ", \"cmdline\": ");
	mint_json_string(b, im->cmdline);
	mint_buf_printf(b, ", \"oneoff\": %s, \"config\": ",
			im->oneoff ? "true" : "false");
	mint_json_string(b, im->config[0] ? im->config : NULL);
	mint_buf_puts(b, "}");
}

/* "dma": null or {"iommu", "devices": [{"address", "state"}], "faults",
 * "recent_faults": [{"address", "access", "iova"}]} */
static void json_dma(struct mint_buf *b, const struct node_info *ni)
{
	const struct mint_dma *d = &ni->dma;
	unsigned int i;
	char bdf[16];

	mint_buf_puts(b, ",\n      \"dma\": ");
	if (!ni->has_dma) {
		mint_buf_puts(b, "null");
		return;
	}
	mint_buf_printf(b, "{\"iommu\": \"%s\", \"devices\": [",
			d->iommu_off ? MINT_IOMMU_OFF : MINT_IOMMU_REQUIRED);
	for (i = 0; i < d->nr_devices; i++) {
		mint_pci_format(&d->devices[i].addr, bdf, sizeof(bdf));
		mint_buf_printf(b, "%s{\"address\": \"%s\", \"state\": ",
				i ? ", " : "", bdf);
		mint_json_string(b, d->devices[i].how);
		mint_buf_puts(b, "}");
	}
	mint_buf_printf(b, "], \"faults\": %" PRIu64 ", \"recent_faults\": [",
			d->faults);
	for (i = 0; i < d->nr_recent; i++) {
		mint_pci_format(&d->recent[i].addr, bdf, sizeof(bdf));
		mint_buf_printf(b,
				"%s{\"address\": \"%s\", \"access\": \"%s\", "
				"\"iova\": %" PRIu64 "}",
				i ? ", " : "", bdf,
				d->recent[i].write ? MINT_DMA_WRITE
						   : MINT_DMA_READ,
				d->recent[i].iova);
	}
	mint_buf_puts(b, "]}");
}

static void json_row(struct mint_buf *b, const struct node_row *r)
{
	const struct node_info *ni = &r->ni;
	unsigned int i;
	bool first = true;

	mint_buf_puts(b, "    {\n      \"name\": ");
	mint_json_string(b, ni->name);
	if (ni->id >= 0)
		mint_buf_printf(b, ", \"id\": %d", ni->id);
	else
		mint_buf_puts(b, ", \"id\": null");
	mint_buf_printf(b, ", \"defined\": %s, \"state\": ",
			r->defined ? "true" : "false");
	mint_json_string(b, ni->state);
	mint_buf_puts(b, ",\n      \"cpus\": [");
	for (i = 0; i <= MINT_MAX_CPU_ID; i++) {
		if (!(ni->cpus & (1ULL << i)))
			continue;
		mint_buf_printf(b, "%s%u", first ? "" : ", ", i);
		first = false;
	}
	mint_buf_puts(b, "], \"cpulist\": ");
	mint_json_string(b, ni->cpulist);
	mint_buf_puts(b, ", \"apic_ids\": [");
	for (i = 0; i < ni->nr_apic_ids; i++)
		mint_buf_printf(b, "%s%" PRIu32, i ? ", " : "",
				ni->apic_ids[i]);
	mint_buf_puts(b, "],\n      \"memory\": [");
	for (i = 0; i < ni->nr_mem; i++)
		mint_buf_printf(
			b, "%s{ \"base\": %" PRIu64 ", \"size\": %" PRIu64 " }",
			i ? ", " : " ", ni->mem[i].base, ni->mem[i].size);
	mint_buf_puts(b, ni->nr_mem ? " ],\n" : "],\n");
	if (r->node0)
		mint_buf_puts(b, "      \"heartbeat\": null");
	else
		mint_buf_printf(b, "      \"heartbeat\": %" PRIu64,
				ni->heartbeat);
	if (ni->heartbeat_age_ms < 0)
		mint_buf_puts(b, ", \"heartbeat_age_ms\": null");
	else
		mint_buf_printf(b, ", \"heartbeat_age_ms\": %" PRId64,
				ni->heartbeat_age_ms);
	mint_buf_puts(b, ", \"panic_msg\": ");
	mint_json_string(b, ni->panic_msg[0] ? ni->panic_msg : NULL);
	json_vms(b, ni->vms);
	json_dma(b, ni);
	if (r->vms_age_s >= 0)
		mint_buf_printf(b, ", \"vms_age_s\": %ld", r->vms_age_s);
	else
		mint_buf_puts(b, ", \"vms_age_s\": null");
	json_image(b, r);
	node_row_link_json(b, r);
	mint_buf_puts(b, ",\n      \"timeline\": ");
	if (r->has_timeline)
		mint_timeline_json(&r->timeline, b);
	else
		mint_buf_puts(b, "null");
	mint_buf_puts(b, "\n    }");
}

static int print_json(const struct cli_ctx *ctx, struct node_row **sel, int nr)
{
	struct mint_buf b;
	int i, ret;

	mint_buf_init(&b);
	mint_buf_puts(&b, "{\n  \"nodes\": [");
	for (i = 0; i < nr; i++) {
		mint_buf_puts(&b, i ? ",\n" : "\n");
		json_row(&b, sel[i]);
	}
	mint_buf_puts(&b, nr ? "\n  ]\n}\n" : "]\n}\n");
	ret = cli_write(ctx, &b);
	mint_buf_free(&b);
	return ret;
}

static int not_defined(const struct cli_ctx *ctx, const char *name,
		       const struct node_row *rows, int nr, const char *config)
{
	const char *cands[NODE_ROWS_MAX + 1], *hint;
	int i;

	for (i = 0; i < nr; i++) {
		cands[i] = rows[i].ni.name;
		if (!strcmp(rows[i].ni.name, name))
			return cli_error(ctx, CLI_EXIT_CONFLICT,
					 "%s: not defined in node0's kernel "
					 "yet (%s declares it; 'mintctl start "
					 "%s' defines and starts it)",
					 name, config, name);
	}
	cands[i] = NULL;
	hint = mint_suggest(name, cands);
	if (hint)
		return cli_error(ctx, CLI_EXIT_CONFLICT,
				 "%s: no such node; did you mean '%s'?", name,
				 hint);
	return cli_error(ctx, CLI_EXIT_CONFLICT,
			 "%s: no such node in node0's kernel%s%s", name,
			 config ? " or in " : "", config ? config : "");
}

int cmd_status(const struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_getopt_tab g;
	struct cli_ctx local = *ctx;
	const char *config = CLI_DEFAULT_CONFIG;
	struct node_row *sel[NODE_ROWS_MAX];
	struct node_rows rows;
	bool json = false, explicit = false;
	int opt, ret, i, j, nsel = 0, status = CLI_EXIT_OK;

	cli_getopt_begin(ctx, &g);
	while ((opt = cli_getopt(&g, argc, argv)) != -1) {
		switch (opt) {
		case 'c':
			config = optarg;
			explicit = true;
			break;
		case OPT_JSON:
			json = true;
			break;
		case 'q':
			local.quiet = true;
			break;
		default:
			return cli_bad_option(ctx, argv, opt);
		}
	}
	ctx = &local;
	if (json && ctx->quiet)
		return cli_usage(ctx, "give --json or --quiet, not both");
	ret = cli_node_operands(ctx, argc, argv,
				CLI_NODES_OPTIONAL | CLI_NODES_NODE0);
	if (ret)
		return ret;
	if (argc - optind > NODE_ROWS_MAX)
		return cli_usage(ctx, "too many nodes");
	ret = cli_need_kernel(ctx);
	if (ret)
		return ret;
	ret = node_rows_load(ctx, config, explicit, &rows);
	if (ret)
		goto out;
	if (optind == argc) {
		for (i = 0; i < rows.nr; i++)
			sel[nsel++] = &rows.v[i];
	}
	for (i = optind; i < argc; i++) {
		for (j = 0; j < rows.nr; j++)
			if (rows.v[j].defined &&
			    !strcmp(rows.v[j].ni.name, argv[i]))
				break;
		if (j < rows.nr) {
			sel[nsel++] = &rows.v[j];
			continue;
		}
		ret = not_defined(ctx, argv[i], rows.v, rows.nr, rows.config);
		if (!status)
			status = ret;
	}
	ret = CLI_EXIT_OK;
	if (json)
		ret = print_json(ctx, sel, nsel);
	else if (nsel && !ctx->quiet)
		print_table(ctx->out, sel, nsel, optind < argc);
	/* a health check: a named node that is not there comes first */
	for (i = 0; i < nsel && !status; i++)
		if (sel[i]->defined && mint_state_failed(sel[i]->ni.state))
			status = CLI_EXIT_FAILED;
	if (status)
		ret = status;
out:
	node_rows_free(&rows);
	return ret;
}
