// SPDX-License-Identifier: GPL-2.0
/*
 * Whole PCI functions given to a node: node0 unbinds them and keeps them
 * from binding again by setting their driver_override to "mint-NODE" (no
 * driver has that name), which also records who owns them. Releasing the
 * node clears the override and lets node0's drivers probe them again.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "files.h"
#include "mintctl.h"
#include "node.h" /* its prototypes */

#define OWNER_PREFIX "mint-"

int dev_take(const struct cli_ctx *ctx, const struct mint_node *n)
{
	char bdf[32], path[4096], owner[64], want[64];
	unsigned int i;
	int ret;

	snprintf(want, sizeof(want), OWNER_PREFIX "%s", n->name);
	for (i = 0; i < n->nr_devices; i++) {
		mint_pci_format(&n->devices[i], bdf, sizeof(bdf));
		snprintf(path, sizeof(path),
			 "%s/sys/bus/pci/devices/%s/driver_override",
			 cli_root(ctx), bdf);
		ret = file_read_str(path, owner, sizeof(owner));
		if (ret)
			return cli_error(ctx, CLI_EXIT_ENV,
					 "%s: PCI device %s is not present in "
					 "node0 (%s)",
					 n->name, bdf, strerror(-ret));
		if (!strncmp(owner, OWNER_PREFIX, strlen(OWNER_PREFIX)) &&
		    strcmp(owner, want))
			return cli_error(ctx, CLI_EXIT_CONFLICT,
					 "%s: PCI device %s belongs to node "
					 "'%s'; release that node first",
					 n->name, bdf,
					 owner + strlen(OWNER_PREFIX));
		ret = file_write_str(path, want);
		if (cli_denied(ret))
			return cli_not_root(ctx, n->name);
		if (ret)
			return cli_error(ctx, CLI_EXIT_FAIL,
					 "%s: cannot keep node0's drivers off "
					 "%s: %s",
					 n->name, bdf, strerror(-ret));
		snprintf(path, sizeof(path),
			 "%s/sys/bus/pci/devices/%s/driver/unbind",
			 cli_root(ctx), bdf);
		if (!access(path, F_OK)) {
			ret = file_write_str(path, bdf);
			if (cli_denied(ret))
				return cli_not_root(ctx, n->name);
			if (ret)
				return cli_error(ctx, CLI_EXIT_FAIL,
						 "%s: cannot unbind %s from "
						 "node0's driver: %s",
						 n->name, bdf, strerror(-ret));
			cli_note(ctx, "%s: %s unbound from node0", n->name,
				 bdf);
		}
	}
	return CLI_EXIT_OK;
}

int dev_give_back(const struct cli_ctx *ctx, const char *name)
{
	char path[4096], owner[64], want[64];
	struct dirent *de;
	int given = 0;
	DIR *d;

	snprintf(want, sizeof(want), OWNER_PREFIX "%s", name);
	snprintf(path, sizeof(path), "%s/sys/bus/pci/devices", cli_root(ctx));
	d = opendir(path);
	if (!d)
		return 0; /* no PCI at all */
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path),
			 "%s/sys/bus/pci/devices/%s/driver_override",
			 cli_root(ctx), de->d_name);
		if (file_read_str(path, owner, sizeof(owner)) ||
		    strcmp(owner, want))
			continue;
		if (file_write_str(path, "\n")) {
			fprintf(ctx->err,
				"%s: cannot clear the override of %s\n", name,
				de->d_name);
			continue;
		}
		snprintf(path, sizeof(path), "%s/sys/bus/pci/drivers_probe",
			 cli_root(ctx));
		file_write_str(path, de->d_name);
		cli_note(ctx, "%s: %s given back to node0", name, de->d_name);
		given++;
	}
	closedir(d);
	return given;
}

/* ECAM of PCI segment 0 as node0's /proc/iomem shows it:
 * "b0000000-bfffffff : PCI ECAM 0000 [bus 00-ff]" (or "PCI MMCONFIG"). */
int machine_ecam(const struct cli_ctx *ctx, uint64_t *base, uint8_t *end_bus)
{
	char path[4096], line[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/proc/iomem", cli_root(ctx));
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		const char *s = line + strspn(line, " ");
		char *e, *tag = strstr(s, " : PCI ");
		unsigned long long start;
		unsigned long b0, b1;

		if (!tag || (strncmp(tag, " : PCI ECAM 0000 [bus ", 22) &&
			     strncmp(tag, " : PCI MMCONFIG 0000 [bus ", 26)))
			continue;
		start = strtoull(s, &e, 16);
		if (*e != '-')
			continue;
		s = strstr(tag, "[bus ") + 5;
		b0 = strtoul(s, &e, 16);
		if (*e != '-')
			continue;
		b1 = strtoul(e + 1, NULL, 16);
		if (b0 != 0 || b1 > 0xff)
			continue;
		*base = start;
		*end_bus = b1;
		fclose(f);
		return 0;
	}
	fclose(f);
	return -ENOENT;
}
