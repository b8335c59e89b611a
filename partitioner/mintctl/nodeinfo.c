// SPDX-License-Identifier: GPL-2.0
/*
 * What node0's kernel says about a node (/sys/kernel/mint/NAME/), parsed,
 * and the names of the states it reports. Read-only; node.c does the
 * writes.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "mintctl.h"
#include "node.h"

/* "2 3": decimal numbers separated by blanks. */
static void parse_apic_ids(char *s, struct node_info *ni)
{
	char *tok, *save = NULL;
	uint64_t v;

	for (tok = strtok_r(s, " \t", &save); tok;
	     tok = strtok_r(NULL, " \t", &save)) {
		if (ni->nr_apic_ids == NODE_MAX_APIC_IDS ||
		    mint_parse_u64(tok, &v, NULL, 0) || v > UINT32_MAX)
			break;
		ni->apic_ids[ni->nr_apic_ids++] = (uint32_t)v;
	}
}

/* "0x28000000+0x28000000,0x60000000+0x10000000" */
static void parse_memory(char *s, struct node_info *ni)
{
	char *tok, *plus, *save = NULL;
	uint64_t base, size;

	for (tok = strtok_r(s, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		plus = strchr(tok, '+');
		if (!plus || ni->nr_mem == MINT_MAX_RANGES)
			break;
		*plus = 0;
		if (mint_parse_u64(tok, &base, NULL, 0) ||
		    mint_parse_u64(plus + 1, &size, NULL, 0))
			break;
		ni->mem[ni->nr_mem].base = base;
		ni->mem[ni->nr_mem].size = size;
		ni->nr_mem++;
	}
}

int node_info_read(const struct cli_ctx *ctx, const char *name,
		   struct node_info *ni)
{
	char buf[512];
	uint64_t v;
	int ret;

	memset(ni, 0, sizeof(*ni));
	ni->id = -1;
	ni->heartbeat_age_ms = -1;
	snprintf(ni->name, sizeof(ni->name), "%s", name);
	ret = node_state(ctx, name, ni->state, sizeof(ni->state));
	if (ret)
		return ret;
	if (!node_read(ctx, name, "id", buf, sizeof(buf)) &&
	    !mint_parse_u64(buf, &v, NULL, 0) && v <= 64)
		ni->id = (int)v;
	if (!node_read(ctx, name, "cpus", ni->cpulist, sizeof(ni->cpulist)) &&
	    mint_cpulist_parse_sys(ni->cpulist, &ni->cpus, NULL, 0))
		ni->cpus = 0;
	if (!node_read(ctx, name, "apic_ids", buf, sizeof(buf)))
		parse_apic_ids(buf, ni);
	if (!node_read(ctx, name, "memory", buf, sizeof(buf)))
		parse_memory(buf, ni);
	if (!node_read(ctx, name, "heartbeat", buf, sizeof(buf)) &&
	    !mint_parse_u64(buf, &v, NULL, 0))
		ni->heartbeat = v;
	if (!node_read(ctx, name, "heartbeat_age_ms", buf, sizeof(buf)) &&
	    !mint_parse_u64(buf, &v, NULL, 0) && v <= INT64_MAX)
		ni->heartbeat_age_ms = (int64_t)v; /* "-1" stays -1 */
	if (node_read(ctx, name, "panic_msg", ni->panic_msg,
		      sizeof(ni->panic_msg)))
		ni->panic_msg[0] = 0;
	if (node_read(ctx, name, "vms", ni->vms, sizeof(ni->vms)))
		ni->vms[0] = 0;
	ni->has_dma = node_dma_read(ctx, name, &ni->dma);
	ni->has_link = !node_link_read(ctx, name, &ni->link, NULL, 0);
	return 0;
}

bool node_dma_read(const struct cli_ctx *ctx, const char *name,
		   struct mint_dma *dma)
{
	char buf[4096];

	return !node_read(ctx, name, "dma", buf, sizeof(buf)) &&
	       !mint_dma_parse(buf, dma, NULL, 0);
}

int node0_online_cpus(const struct cli_ctx *ctx, char *out, size_t len)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/sys/devices/system/cpu/online",
		 cli_root(ctx));
	return file_read_line(path, out, len);
}

int node0_vms_read(const struct cli_ctx *ctx, char *out, size_t len,
		   long *age_s)
{
	char path[4096];
	time_t now = time(NULL);
	struct stat st;
	int ret;

	*age_s = -1;
	out[0] = 0;
	snprintf(path, sizeof(path), "%s/%s", cli_root(ctx), NODE0_VMS_STATUS);
	ret = file_read_str(path, out, len);
	if (ret)
		return ret;
	if (!stat(path, &st) && now >= st.st_mtime)
		*age_s = (long)(now - st.st_mtime);
	return 0;
}

int node_timeline_read(const struct cli_ctx *ctx, const char *name,
		       const struct mint_image_rec *rec,
		       struct mint_timeline *t, char *why, size_t whylen)
{
	char buf[2048], reason[256];
	uint64_t khz;
	int ret;

	memset(t, 0, sizeof(*t));
	ret = node_read(ctx, name, "timeline", buf, sizeof(buf));
	if (ret) {
		if (why)
			snprintf(why, whylen, "cannot read its timeline: %s",
				 strerror(-ret));
		return ret;
	}
	ret = mint_timeline_parse(buf, t, reason, sizeof(reason));
	if (ret) {
		if (why)
			snprintf(why, whylen, "its timeline is malformed: %s",
				 reason);
		return ret;
	}
	if (!node_read(ctx, NULL, "tsc_khz", buf, sizeof(buf)) &&
	    !mint_tsc_parse(buf, strlen(buf), &khz) && khz <= UINT32_MAX)
		t->tsc_khz = (uint32_t)khz;
	if (rec) {
		t->tsc[MINT_TL_MINTCTL] = rec->tsc_mintctl;
		t->tsc[MINT_TL_FILES] = rec->tsc_files;
	}
	if (mint_timeline_origin(t) < 0) {
		if (why)
			snprintf(why, whylen, "no phase has a stamp");
		return -ENODATA;
	}
	return 0;
}

void node_timing_print(const struct cli_ctx *ctx, const char *name)
{
	struct mint_image_rec rec;
	struct mint_timeline t;
	struct mint_buf b;
	char state[64], why[512];
	bool have_rec;
	int origin;

	/* mintctl's stamps: from the record of the image it runs */
	have_rec = !node_state(ctx, name, state, sizeof(state)) &&
		   mint_image_rec_applies(state) &&
		   !node_image_read(ctx, name, &rec);
	if (node_timeline_read(ctx, name, have_rec ? &rec : NULL, &t, why,
			       sizeof(why))) {
		cli_warn(ctx, "%s: no start timeline: %s", name, why);
		return;
	}
	origin = mint_timeline_origin(&t);
	mint_buf_init(&b);
	mint_buf_printf(&b, "%s: start timeline (ms from '%s')\n", name,
			origin == MINT_TL_MINTCTL
				? "mintctl start"
				: mint_timeline_name((unsigned int)origin));
	mint_timeline_table(&t, &b);
	cli_write(ctx, &b);
	mint_buf_free(&b);
}
