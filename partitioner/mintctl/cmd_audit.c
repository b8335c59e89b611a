// SPDX-License-Identifier: GPL-2.0
/*
 * mintctl audit [--config=FILE] [--json] [NODE...]: what the running
 * machine enforces, read back from node0's kernel and the hardware, against
 * what the config says, one finding per line.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "files.h"
#include "mintctl.h"
#include "node.h"
#include "sysfiles.h"

struct audit {
	const struct cli_ctx *ctx;
	const struct mint_sysinfo *si;
	uint64_t online; /* node0's online CPUs */
	bool json;
	struct mint_buf out; /* --json: the findings */
	unsigned int findings, mismatches;
};

static void finding(struct audit *a, const char *node, const char *check,
		    bool ok, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void finding(struct audit *a, const char *node, const char *check,
		    bool ok, const char *fmt, ...)
{
	char text[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	a->mismatches += !ok;
	if (!a->json) {
		fprintf(a->ctx->out, "%s %s %s: %s\n", node, check,
			ok ? "ok" : "MISMATCH", text);
	} else {
		mint_buf_puts(&a->out, a->findings ? ",\n    {\"node\": "
						   : "\n    {\"node\": ");
		mint_json_string(&a->out, node);
		mint_buf_puts(&a->out, ", \"check\": ");
		mint_json_string(&a->out, check);
		mint_buf_printf(&a->out, ", \"ok\": %s, \"detail\": ",
				ok ? "true" : "false");
		mint_json_string(&a->out, text);
		mint_buf_puts(&a->out, "}");
	}
	a->findings++;
}

/* The config's RAM is held back: no byte of it is node0's System RAM. */
static void audit_ram(struct audit *a, const struct mint_node *n,
		      const struct node_info *ni, bool defined)
{
	const struct mint_iomem_entry *e;
	unsigned int i, bad = 0;
	uint64_t last;
	size_t k;

	for (i = 0; i < n->nr_mem; i++) {
		last = n->mem[i].base + n->mem[i].size - 1;
		for (k = 0; k < a->si->nr_iomem; k++) {
			e = &a->si->iomem[k];
			if (strcmp(e->name, MINT_FWMAP_RAM) ||
			    e->end < n->mem[i].base || e->start > last)
				continue;
			finding(a, n->name, "ram", false,
				"0x%" PRIx64 "-0x%" PRIx64 " is System RAM of "
				"node0 (0x%" PRIx64 "-0x%" PRIx64 "): not held "
				"back; boot node0 with 'mintctl bootargs'",
				n->mem[i].base, last, e->start, e->end);
			bad++;
		}
	}
	if (defined && ni->nr_mem != n->nr_mem) {
		bad++;
		finding(a, n->name, "ram", false,
			"node0's kernel has %u RAM ranges for it, the config "
			"%u",
			ni->nr_mem, n->nr_mem);
	}
	for (i = 0; defined && i < n->nr_mem && i < ni->nr_mem; i++) {
		if (ni->mem[i].base == n->mem[i].base &&
		    ni->mem[i].size == n->mem[i].size)
			continue;
		bad++;
		finding(a, n->name, "ram", false,
			"node0's kernel has 0x%" PRIx64 "+0x%" PRIx64
			" where the config has 0x%" PRIx64 "+0x%" PRIx64,
			ni->mem[i].base, ni->mem[i].size, n->mem[i].base,
			n->mem[i].size);
	}
	if (!bad)
		finding(a, n->name, "ram", true,
			"%u range%s held back from node0%s", n->nr_mem,
			n->nr_mem == 1 ? "" : "s",
			defined ? ", as node0's kernel defines them" : "");
}

static void audit_cpus(struct audit *a, const struct mint_node *n,
		       const struct node_info *ni, bool holds)
{
	char want[64], got[64];

	mint_cpulist_format(n->cpus, want, sizeof(want));
	if (ni->cpus != n->cpus) {
		mint_cpulist_format(ni->cpus, got, sizeof(got));
		finding(a, n->name, "cpus", false,
			"node0's kernel has CPUs %s for it, the config %s", got,
			want);
	} else if (holds && (n->cpus & a->online)) {
		mint_cpulist_format(n->cpus & a->online, got, sizeof(got));
		finding(a, n->name, "cpus", false,
			"CPUs %s are online in node0 while the node holds "
			"them",
			got);
	} else {
		finding(a, n->name, "cpus", true, "CPUs %s %s", want,
			holds ? "owned by the node, offline in node0"
			      : "node0's (the node does not hold them)");
	}
}

/* Is @dest one of the node's APIC IDs? */
static bool node_apic(const struct node_info *ni, uint32_t dest)
{
	unsigned int i;

	for (i = 0; i < ni->nr_apic_ids; i++)
		if (ni->apic_ids[i] == dest)
			return true;
	return false;
}

/* The destinations of a device's MSI-X table, read through its BAR. */
static void audit_msix(struct audit *a, const struct mint_node *n,
		       const struct node_info *ni, const char *bdf,
		       const struct mint_msi *m)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t off = m->msix_offset % (size_t)page, len;
	unsigned int i, bad = 0, live = 0;
	char path[4096];
	uint8_t *map;
	int fd, dest;

	snprintf(path, sizeof(path), "%s/sys/bus/pci/devices/%s/resource%u",
		 cli_root(a->ctx), bdf, m->msix_bir);
	len = off + (size_t)m->msix_entries * 16;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	map = fd < 0 ? MAP_FAILED
		     : mmap(NULL, len, PROT_READ, MAP_SHARED, fd,
			    (off_t)(m->msix_offset - off));
	if (fd >= 0)
		close(fd);
	if (map == MAP_FAILED) {
		finding(a, n->name, "msi", false,
			"%s: cannot read its MSI-X table (%s): %s", bdf, path,
			strerror(errno));
		return;
	}
	for (i = 0; i < m->msix_entries; i++) {
		dest = mint_msix_dest(map + off + i * 16);
		if (dest < 0)
			continue;
		live++;
		if (node_apic(ni, (uint32_t)dest))
			continue;
		bad++;
		finding(a, n->name, "msi", false,
			"%s: MSI-X entry %u targets APIC ID %d, not one of "
			"the node's CPUs",
			bdf, i, dest);
	}
	munmap(map, len);
	if (!bad)
		finding(a, n->name, "msi", true,
			"%s: %u MSI-X message%s, all to the node's CPUs%s", bdf,
			live, live == 1 ? "" : "s",
			m->msix_masked ? " (all masked)" : "");
}

static void audit_msi(struct audit *a, const struct mint_node *n,
		      const struct node_info *ni, const char *bdf)
{
	uint8_t cfg[256];
	struct mint_msi m;
	char path[4096];
	size_t got;

	snprintf(path, sizeof(path), "%s/sys/bus/pci/devices/%s/config",
		 cli_root(a->ctx), bdf);
	if (file_read(path, (char *)cfg, sizeof(cfg), &got) ||
	    mint_msi_parse(cfg, got, &m)) {
		finding(a, n->name, "msi", false,
			"%s: cannot read its configuration space (%s)", bdf,
			path);
		return;
	}
	if (m.msi_on)
		finding(a, n->name, "msi", node_apic(ni, m.msi_dest),
			"%s: MSI to APIC ID %" PRIu32 "%s", bdf, m.msi_dest,
			node_apic(ni, m.msi_dest) ? ", one of the node's CPUs"
						  : ", not one of the node's");
	if (m.msix_on)
		audit_msix(a, n, ni, bdf, &m);
	if (!m.msi_on && !m.msix_on)
		finding(a, n->name, "msi", true, "%s: no MSI or MSI-X enabled",
			bdf);
}

/* Each device: node0's drivers kept off, and its DMA in the node's RAM. */
static void audit_devices(struct audit *a, const struct mint_node *n,
			  const struct node_info *ni, bool holds)
{
	struct mint_dma_map want[MINT_MAX_RANGES];
	char bdf[16], path[4096], owner[64], expect[64];
	const struct mint_dma *d = &ni->dma;
	unsigned int i, j, nr_want;
	bool ok;

	snprintf(expect, sizeof(expect), "mint-%s", n->name);
	for (i = 0; holds && i < n->nr_devices; i++) {
		mint_pci_format(&n->devices[i], bdf, sizeof(bdf));
		snprintf(path, sizeof(path),
			 "%s/sys/bus/pci/devices/%s/driver_override",
			 cli_root(a->ctx), bdf);
		ok = !file_read_str(path, owner, sizeof(owner)) &&
		     !strcmp(owner, expect);
		snprintf(path, sizeof(path), "%s/sys/bus/pci/devices/%s/driver",
			 cli_root(a->ctx), bdf);
		finding(a, n->name, "device", ok && access(path, F_OK),
			"%s: %s%s", bdf,
			ok ? "owned by the node (driver_override " : "owner '",
			ok ? (access(path, F_OK) ? "set, no node0 driver)"
						 : "set, but a node0 driver "
						   "is bound)")
			   : "' is not the node's");
		if (!n->iommu_off) {
			for (j = 0; j < d->nr_devices; j++)
				if (mint_pci_equal(&d->devices[j].addr,
						   &n->devices[i]))
					break;
			ok = j < d->nr_devices &&
			     !strcmp(d->devices[j].how, MINT_DMA_CONFINED);
			finding(a, n->name, "iommu", ok, "%s: %s", bdf,
				ok ? "in the node's IOMMU domain"
				: j < d->nr_devices
					? d->devices[j].how
					: "not in the node's image");
		}
		audit_msi(a, n, ni, bdf);
	}
	if (!holds || !n->nr_devices)
		return;
	if (n->iommu_off) {
		finding(a, n->name, "iommu", d->iommu_off,
			"iommu = off: its devices are unconfined%s",
			d->iommu_off ? ""
				     : ", but node0's kernel says required");
		return;
	}
	nr_want = mint_dma_expected(n, want);
	ok = nr_want == d->nr_maps;
	for (i = 0; ok && i < nr_want; i++)
		ok = want[i].first == d->maps[i].first &&
		     want[i].last == d->maps[i].last && d->maps[i].ok;
	finding(a, n->name, "iommu", ok, "the domain maps %u range%s%s",
		d->nr_maps, d->nr_maps == 1 ? "" : "s",
		ok ? ": exactly the node's RAM without its control area"
		   : ", not exactly the node's RAM without its control area");
	finding(a, n->name, "dma-faults", true,
		"%" PRIu64 " DMA fault%s blocked", d->faults,
		d->faults == 1 ? "" : "s");
}

static void audit_node(struct audit *a, const struct mint_node *n)
{
	struct node_info ni;
	bool defined, holds;

	defined = !node_info_read(a->ctx, n->name, &ni);
	holds = defined && (mint_state_holds_cpus(ni.state) ||
			    mint_state_is(ni.state, MINT_STATE_STOPPED));
	audit_ram(a, n, &ni, defined);
	if (!defined) {
		finding(a, n->name, "state", true,
			"not defined in node0's kernel: it holds no CPU or "
			"device");
		return;
	}
	finding(a, n->name, "state", true, "%s", ni.state);
	audit_cpus(a, n, &ni, holds);
	audit_devices(a, n, &ni, holds);
}

int cmd_audit(const struct cli_ctx *ctx, int argc, char **argv)
{
	struct mint_sysinfo si;
	struct mint_config cfg;
	struct cli_getopt_tab g;
	const char *config = CLI_DEFAULT_CONFIG;
	struct audit a = { .ctx = ctx };
	char why[512], buf[256];
	int opt, ret, i, k;

	cli_getopt_begin(ctx, &g);
	while ((opt = cli_getopt(&g, argc, argv)) != -1) {
		if (opt == 'c')
			config = optarg;
		else if (opt == OPT_JSON)
			a.json = true;
		else
			return cli_bad_option(ctx, argv, opt);
	}
	ret = cli_node_operands(ctx, argc, argv, CLI_NODES_OPTIONAL);
	if (ret)
		return ret;
	ret = cli_need_kernel(ctx);
	if (ret)
		return ret;
	mint_config_init(&cfg);
	ret = cli_load_config(ctx, config, &cfg, false);
	if (ret)
		goto out_cfg;
	for (i = optind; i < argc; i++)
		if (mint_config_find_node(&cfg, argv[i]) <= 0) {
			ret = cli_error(ctx, CLI_EXIT_CONFLICT,
					"%s: no such node in %s", argv[i],
					config);
			goto out_cfg;
		}
	mint_sysinfo_init(&si);
	ret = mint_sysinfo_load(cli_root(ctx), MINT_SYSINFO_NODE0, &si, why,
				sizeof(why));
	if (ret) {
		ret = cli_error(ctx,
				ret == -EACCES ? CLI_EXIT_ENV : CLI_EXIT_FAIL,
				"cannot read the machine: %s", why);
		goto out;
	}
	if (!node0_online_cpus(ctx, buf, sizeof(buf)))
		mint_cpulist_parse_sys(buf, &a.online, NULL, 0);
	a.si = &si;
	mint_buf_init(&a.out);
	mint_buf_puts(&a.out, "{\n  \"findings\": [");
	for (k = 0; k < (int)cfg.nr_nodes; k++) {
		for (i = optind; i < argc; i++)
			if (!strcmp(argv[i], cfg.nodes[k].name))
				break;
		if (optind == argc || i < argc)
			audit_node(&a, &cfg.nodes[k]);
	}
	/* patch 0026: a mint kernel never sends IPI shorthands */
	finding(&a, "node0", "ipi-broadcast", true,
		"off: node0's kernel is mint's (%s), which never uses the "
		"broadcast shorthands, whatever no_ipi_broadcast= says; nor "
		"does a node's",
		"/" CLI_KERNEL_DIR);
	if (a.json) {
		mint_buf_printf(&a.out, "%s],\n  \"mismatches\": %u\n}\n",
				a.findings ? "\n  " : "", a.mismatches);
		ret = cli_write(ctx, &a.out);
	}
	mint_buf_free(&a.out);
	if (!ret && a.mismatches)
		ret = CLI_EXIT_FAILED;
out:
	mint_sysinfo_free(&si);
out_cfg:
	mint_config_free(&cfg);
	return ret;
}
