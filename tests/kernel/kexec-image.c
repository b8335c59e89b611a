// SPDX-License-Identifier: GPL-2.0
/*
 * A saved node image in memory and its one-field-wrong variants; see
 * kexec-image.h. The physical addresses in the image (boot_params at the
 * entry, the setup_data chain, the command line) are looked up in the
 * segments' buffers, as node0's kernel finds them once it copied them.
 */
#include <asm/bootparam.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kexec-image.h"

#define KI_E820_RAM 1
#define KI_NODE0_RAM 0x1000000ULL /* 16 MiB: node0's kernel is there */
#define KI_WRAP_MEM 0xfffffffffffff000ULL

/* [pa, pa + len) inside [base, base + size), without overflow */
static bool inside(uint64_t pa, uint64_t len, uint64_t base, uint64_t size)
{
	return len <= size && pa >= base && pa - base <= size - len;
}

static bool overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

static int bad(char *why, size_t len, const char *line, const char *what)
{
	snprintf(why, len, "image.txt: %s: '%.*s'", what,
		 (int)strcspn(line, "\n"), line);
	return -EINVAL;
}

/* One line of image.txt into @img; *@have: which header lines were seen. */
static int parse_line(const char *line, struct ki_image *img,
		      unsigned int *have, char *why, size_t len)
{
	struct ki_seg *s = &img->seg[img->nseg];
	size_t idx;
	int n = -1;

	if (sscanf(line, "entry 0x%" SCNx64 "%n", &img->entry, &n) == 1)
		*have |= 1;
	else if (sscanf(line, "flags 0x%" SCNx64 "%n", &img->flags, &n) == 1)
		*have |= 2;
	else if (sscanf(line, "node_id %u%n", &img->node_id, &n) == 1)
		*have |= 4;
	else if (sscanf(line,
			"segment %zu mem=0x%" SCNx64 " memsz=0x%" SCNx64
			" bufsz=0x%zx file=%63s%n",
			&idx, &s->mem, &s->memsz, &s->bufsz, s->file,
			&n) == 5) {
		if (idx != img->nseg)
			return bad(why, len, line, "segments out of order");
		if (img->nseg == KI_MAX_SEGS - 1)
			return bad(why, len, line, "too many segments");
		if (strchr(s->file, '/') || s->file[0] == '.')
			return bad(why, len, line, "file not in DIR");
		img->nseg++;
	}
	if (n < 0)
		return bad(why, len, line, "unknown line");
	if (line[n] && line[n] != '\n')
		return bad(why, len, line, "trailing text");
	return 0;
}

int ki_parse(const char *text, struct ki_image *img, char *why, size_t len)
{
	unsigned int have = 0;
	const char *line, *next;
	int ret;

	memset(img, 0, sizeof(*img));
	for (line = text; *line; line = next) {
		next = line + strcspn(line, "\n");
		next += *next == '\n';
		if (*line == '\n')
			continue;
		ret = parse_line(line, img, &have, why, len);
		if (ret)
			return ret;
	}
	if (have != 7 || !img->nseg) {
		snprintf(why, len,
			 "image.txt: needs entry, flags, node_id and "
			 "a segment");
		return -EINVAL;
	}
	return 0;
}

int ki_parse_ranges(const char *text, struct ki_node *nd)
{
	const char *p = text;
	char *end;

	nd->nram = 0;
	while (*p && *p != '\n') {
		if (nd->nram == MINT_MAX_RANGES)
			return -EINVAL;
		nd->ram[nd->nram].base = strtoull(p, &end, 0);
		if (end == p || *end != '+')
			return -EINVAL;
		p = end + 1;
		nd->ram[nd->nram].size = strtoull(p, &end, 0);
		if (end == p || (*end && *end != ',' && *end != '\n'))
			return -EINVAL;
		nd->nram++;
		p = end + (*end == ',');
	}
	return nd->nram ? 0 : -EINVAL;
}

unsigned int ki_free_id(const unsigned int *ids, size_t n)
{
	unsigned int id;
	size_t i;

	for (id = 1; id <= MINT_MAX_NODES; id++) {
		for (i = 0; i < n && ids[i] != id; i++)
			;
		if (i == n)
			return id;
	}
	return 0;
}

void ki_clone(const struct ki_image *good, struct ki_image *v)
{
	size_t i;

	*v = *good;
	for (i = 0; i < KI_MAX_SEGS; i++)
		v->seg[i].own = NULL;
}

void ki_free(struct ki_image *img)
{
	size_t i;

	for (i = 0; i < KI_MAX_SEGS; i++) {
		free(img->seg[i].own);
		img->seg[i].own = NULL;
	}
}

int ki_find_seg(const struct ki_image *img, uint64_t pa, uint64_t len)
{
	size_t i;

	for (i = 0; i < img->nseg; i++)
		if (inside(pa, len, img->seg[i].mem, img->seg[i].bufsz))
			return i;
	return -1;
}

const void *ki_peek(const struct ki_image *img, uint64_t pa, uint64_t len)
{
	int i = ki_find_seg(img, pa, len);

	return i < 0 ? NULL : img->seg[i].buf + (pa - img->seg[i].mem);
}

void *ki_at(struct ki_image *img, uint64_t pa, uint64_t len)
{
	int i = ki_find_seg(img, pa, len);
	struct ki_seg *s;

	if (i < 0)
		return NULL;
	s = &img->seg[i];
	if (!s->own) {
		s->own = malloc(s->bufsz);
		if (!s->own)
			return NULL;
		memcpy(s->own, s->buf, s->bufsz);
		s->buf = s->own;
	}
	return s->own + (pa - s->mem);
}

uint64_t ki_setup_find(const struct ki_image *img, uint32_t type,
		       uint32_t min_len)
{
	const struct boot_params *bp;
	struct setup_data h;
	uint64_t pa;
	const void *p;
	int hops;

	bp = ki_peek(img, img->entry, sizeof(*bp));
	if (!bp)
		return 0;
	pa = bp->hdr.setup_data;
	for (hops = 0; pa && hops < KI_SETUP_HOPS; hops++) {
		p = ki_peek(img, pa, sizeof(h));
		if (!p)
			return 0;
		memcpy(&h, p, sizeof(h));
		if (h.type == type && h.len >= min_len &&
		    ki_peek(img, pa, sizeof(h) + (uint64_t)h.len))
			return pa;
		pa = h.next;
	}
	return 0;
}

uint64_t ki_ctrl_base(const struct ki_node *nd)
{
	return nd->ram[0].base + nd->ram[0].size - MINT_CTRL_SIZE;
}

/* Is the page at @pa node RAM off the control area, and free? */
static bool page_free(const struct ki_image *img, const struct ki_node *nd,
		      uint64_t pa)
{
	bool ram = false;
	size_t i;

	for (i = 0; i < nd->nram; i++)
		ram |= inside(pa, KI_PAGE, nd->ram[i].base, nd->ram[i].size);
	if (!ram || overlap(pa, KI_PAGE, ki_ctrl_base(nd), MINT_CTRL_SIZE))
		return false;
	for (i = 0; i < img->nseg; i++)
		if (overlap(pa, KI_PAGE, img->seg[i].mem, img->seg[i].memsz))
			return false;
	return true;
}

/* The lowest free page is at a range's base or right after a segment. */
uint64_t ki_free_page(const struct ki_image *img, const struct ki_node *nd)
{
	uint64_t best = 0, c;
	size_t i;

	for (i = 0; i < nd->nram + img->nseg; i++) {
		if (i < nd->nram)
			c = nd->ram[i].base;
		else
			c = img->seg[i - nd->nram].mem +
			    img->seg[i - nd->nram].memsz;
		c = (c + KI_PAGE - 1) & ~(KI_PAGE - 1);
		if (c && (!best || c < best) && page_free(img, nd, c))
			best = c;
	}
	return best;
}

void ki_segments(const struct ki_image *img, struct kexec_segment *out)
{
	size_t i;

	for (i = 0; i < img->nseg; i++) {
		out[i].buf = img->seg[i].buf;
		out[i].bufsz = img->seg[i].bufsz;
		out[i].mem = (const void *)(uintptr_t)img->seg[i].mem;
		out[i].memsz = img->seg[i].memsz;
	}
}

const char *ki_kmsg_text(char *rec)
{
	char *text = strchr(rec, ';');

	text = text ? text + 1 : rec;
	text[strcspn(text, "\n")] = 0;
	return text;
}

/* ------------------------------------------------------------ variants */

/* The last segment that does not hold boot_params: moving it leaves the
 * entry as it is. */
static int data_seg(const struct ki_image *v)
{
	int i;

	for (i = v->nseg - 1; i >= 0; i--)
		if (!inside(v->entry, KI_PAGE, v->seg[i].mem, v->seg[i].memsz))
			return i;
	return -1;
}

static struct boot_params *bp_of(struct ki_image *v)
{
	return ki_at(v, v->entry, sizeof(struct boot_params));
}

/* The data of the setup_data block of @type, @len bytes of it. */
static void *setup_of(struct ki_image *v, uint32_t type, uint32_t len)
{
	uint64_t pa = ki_setup_find(v, type, len);

	return pa ? ki_at(v, pa + sizeof(struct setup_data), len) : NULL;
}

static struct mint_setup_data *msd_of(struct ki_image *v)
{
	return setup_of(v, SETUP_MINT_NODE, sizeof(struct mint_setup_data));
}

/* Variants that change the image's fields, boot_params or the node's
 * SETUP_MINT_NODE block with one statement. */
#define IMG_VARIANT(fn, stmt)                                       \
	static int fn(struct ki_image *v, const struct ki_node *nd) \
	{                                                           \
		(void)nd;                                           \
		stmt;                                               \
		return 0;                                           \
	}
#define BP_VARIANT(fn, stmt)                                        \
	static int fn(struct ki_image *v, const struct ki_node *nd) \
	{                                                           \
		struct boot_params *bp = bp_of(v);                  \
                                                                    \
		(void)nd;                                           \
		if (!bp)                                            \
			return -ENOENT;                             \
		stmt;                                               \
		return 0;                                           \
	}
#define MSD_VARIANT(fn, stmt)                                       \
	static int fn(struct ki_image *v, const struct ki_node *nd) \
	{                                                           \
		struct mint_setup_data *m = msd_of(v);              \
                                                                    \
		(void)nd;                                           \
		if (!m)                                             \
			return -ENOENT;                             \
		stmt;                                               \
		return 0;                                           \
	}

#define ID_BITS ((uint64_t)KEXEC_MINT_ID_MASK)

IMG_VARIANT(no_segments, v->nseg = 0)
IMG_VARIANT(node_id_0, v->flags &= ~ID_BITS)
IMG_VARIANT(on_crash_flag, v->flags |= KEXEC_ON_CRASH)
IMG_VARIANT(preserve_context_flag, v->flags |= KEXEC_PRESERVE_CONTEXT)
IMG_VARIANT(seg_mem_unaligned, v->seg[0].mem += 0x800)
/* the last segment: every segment is checked, not only the first */
IMG_VARIANT(seg_memsz_zero, v->seg[v->nseg - 1].memsz = 0)
IMG_VARIANT(entry_unaligned, v->entry += 8)
BP_VARIANT(bp_no_hdrs, memcpy(&bp->hdr.header, "HdrX", 4))
BP_VARIANT(bp_not_64bit, bp->hdr.xloadflags &= ~XLF_KERNEL_64)
BP_VARIANT(init_size_huge, bp->hdr.init_size = 0x7fffffff)
MSD_VARIANT(mint_node_id_wrong, m->node_id++)
MSD_VARIANT(ctrl_base_wrong, m->ctrl_base -= 0x200000)
MSD_VARIANT(low_slice_wrong, m->low_base += MINT_LOW_SLOT)
MSD_VARIANT(real_bsp_wrong, m->real_bsp_apic_id++)
MSD_VARIANT(kernel_misaligned, m->kernel_addr += KI_PAGE)

static int node_id_undefined(struct ki_image *v, const struct ki_node *nd)
{
	if (!nd->free_id)
		return -ENOSPC;
	v->flags &= ~ID_BITS;
	v->flags |= (uint64_t)nd->free_id << KEXEC_MINT_ID_SHIFT;
	return 0;
}

/* the smallest segment, its buffer as long as bufsz says */
static int seg_bufsz_over_memsz(struct ki_image *v, const struct ki_node *nd)
{
	struct ki_seg *s = &v->seg[0];
	uint8_t *buf;
	size_t i;

	(void)nd;
	for (i = 1; i < v->nseg; i++)
		if (v->seg[i].memsz < s->memsz)
			s = &v->seg[i];
	buf = calloc(1, s->memsz + KI_PAGE);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, s->buf, s->bufsz);
	free(s->own);
	s->buf = s->own = buf;
	s->bufsz = s->memsz + KI_PAGE;
	return 0;
}

/* Moved into node0's RAM: the last segment off boot_params, so that the
 * entry stays as it is. With @wrap, to the top of the address space,
 * where mem + memsz wraps to 0x1000 (bufsz cut to fit memsz). */
static int move_seg(struct ki_image *v, bool wrap)
{
	int i = data_seg(v);

	if (i < 0)
		return -ENOENT;
	v->seg[i].mem = wrap ? KI_WRAP_MEM : KI_NODE0_RAM;
	if (wrap)
		v->seg[i].memsz = 2 * KI_PAGE;
	if (v->seg[i].bufsz > v->seg[i].memsz)
		v->seg[i].bufsz = v->seg[i].memsz;
	return 0;
}

static int seg_outside_node_ram(struct ki_image *v, const struct ki_node *nd)
{
	(void)nd;
	return move_seg(v, false);
}

static int seg_wraps(struct ki_image *v, const struct ki_node *nd)
{
	(void)nd;
	return move_seg(v, true);
}

/* The topmost segment grown one page into the control area above it: in
 * the node's first range, touching no other segment. */
static int seg_over_control_area(struct ki_image *v, const struct ki_node *nd)
{
	uint64_t ctrl = ki_ctrl_base(nd);
	struct ki_seg *s = &v->seg[0];
	size_t i;

	for (i = 1; i < v->nseg; i++)
		if (v->seg[i].mem > s->mem)
			s = &v->seg[i];
	if (s->mem >= ctrl || s->mem + s->memsz > ctrl)
		return -ENOENT;
	s->memsz = ctrl + KI_PAGE - s->mem;
	return 0;
}

/* segment 0 twice, at the same place */
static int segs_overlap(struct ki_image *v, const struct ki_node *nd)
{
	(void)nd;
	v->seg[v->nseg] = v->seg[0];
	v->seg[v->nseg].own = NULL; /* shares segment 0's buffer */
	v->nseg++;
	return 0;
}

/* A page of the node's RAM that no segment covers. */
static int entry_outside(struct ki_image *v, const struct ki_node *nd)
{
	uint64_t pa = ki_free_page(v, nd);

	if (!pa)
		return -ENOSPC;
	v->entry = pa;
	return 0;
}

static int cmdline_outside(struct ki_image *v, const struct ki_node *nd)
{
	uint64_t pa = ki_free_page(v, nd);
	struct boot_params *bp = bp_of(v);

	if (!bp || !pa)
		return -ENOENT;
	bp->hdr.cmd_line_ptr = (uint32_t)pa;
	bp->ext_cmd_line_ptr = pa >> 32;
	return 0;
}

static int no_mint_setup_data(struct ki_image *v, const struct ki_node *nd)
{
	uint64_t pa = ki_setup_find(v, SETUP_MINT_NODE, 0);
	uint32_t type = 0x7fff;
	void *p;

	(void)nd;
	p = pa ? ki_at(v, pa + offsetof(struct setup_data, type), 4) : NULL;
	if (!p)
		return -ENOENT;
	memcpy(p, &type, sizeof(type));
	return 0;
}

/* A RAM entry of the node's own (above 1 MiB) made node0's RAM. */
static int e820_node0_ram(struct ki_image *v, const struct ki_node *nd)
{
	struct boot_params *bp = bp_of(v);
	unsigned int i;

	(void)nd;
	for (i = 0; bp && i < bp->e820_entries && i < E820_MAX_ENTRIES_ZEROPAGE;
	     i++) {
		struct boot_e820_entry *e = &bp->e820_table[i];

		if (e->type == KI_E820_RAM && e->addr >= 0x100000) {
			e->addr = KI_NODE0_RAM;
			e->size = KI_NODE0_RAM;
			return 0;
		}
	}
	return -ENOENT;
}

/* The node's boot CPU given node0's boot CPU's APIC id. */
static int apic_id_foreign(struct ki_image *v, const struct ki_node *nd)
{
	struct jailhouse_setup_data_v2 *jh;
	struct mint_setup_data *m = msd_of(v);
	uint32_t bsp = m ? m->real_bsp_apic_id : 0;

	(void)nd;
	jh = setup_of(v, SETUP_JAILHOUSE, sizeof(*jh));
	if (!m || !jh || !jh->num_cpus || jh->cpu_ids[0] == bsp)
		return -ENOENT;
	jh->cpu_ids[0] = bsp;
	return 0;
}

/* The Jailhouse block hands the node the IO-APIC. */
static int jailhouse_ioapic(struct ki_image *v, const struct ki_node *nd)
{
	struct jailhouse_setup_data_v2 *jh;

	(void)nd;
	jh = setup_of(v, SETUP_JAILHOUSE, sizeof(*jh));
	if (!jh || jh->standard_ioapic)
		return -ENOENT;
	jh->standard_ioapic = 1;
	return 0;
}

/* More PCI functions than a node may own. */
static int devices_too_many(struct ki_image *v, const struct ki_node *nd)
{
	struct mint_setup_data *m = msd_of(v);

	(void)nd;
	if (!m)
		return -ENOENT;
	m->num_devices = MINT_MAX_DEVICES + 1;
	return 0;
}

/* A PCI function node0 does not have: ff:1f.7. */
static int device_absent(struct ki_image *v, const struct ki_node *nd)
{
	struct mint_setup_data *m = msd_of(v);

	(void)nd;
	if (!m || m->num_devices >= MINT_MAX_DEVICES)
		return -ENOENT;
	m->devices[m->num_devices++] = 0xffff;
	return 0;
}

const struct ki_variant ki_variants[] = {
	{ "no-segments", no_segments, EINVAL, false },
	{ "node-id-0", node_id_0, ENOENT, false },
	{ "node-id-undefined", node_id_undefined, ENOENT, false },
	{ "on-crash-flag", on_crash_flag, EINVAL, false },
	{ "preserve-context-flag", preserve_context_flag, EINVAL, false },
	{ "seg-mem-unaligned", seg_mem_unaligned, EINVAL, true },
	{ "seg-memsz-zero", seg_memsz_zero, EINVAL, true },
	{ "seg-bufsz-over-memsz", seg_bufsz_over_memsz, EINVAL, true },
	{ "seg-outside-node-ram", seg_outside_node_ram, EADDRNOTAVAIL, true },
	{ "seg-over-control-area", seg_over_control_area, EADDRNOTAVAIL, true },
	{ "seg-wraps", seg_wraps, EADDRNOTAVAIL, true },
	{ "segs-overlap", segs_overlap, EINVAL, true },
	{ "entry-unaligned", entry_unaligned, EINVAL, true },
	{ "entry-outside", entry_outside, EINVAL, true },
	{ "bp-no-hdrs", bp_no_hdrs, ENOEXEC, true },
	{ "bp-not-64bit", bp_not_64bit, ENOEXEC, true },
	{ "no-mint-setup-data", no_mint_setup_data, ENOEXEC, true },
	{ "mint-node-id-wrong", mint_node_id_wrong, ENOEXEC, true },
	{ "ctrl-base-wrong", ctrl_base_wrong, ENOEXEC, true },
	{ "low-slice-wrong", low_slice_wrong, ENOEXEC, true },
	{ "e820-node0-ram", e820_node0_ram, ENOEXEC, true },
	{ "apic-id-foreign", apic_id_foreign, ENOEXEC, true },
	{ "jailhouse-ioapic", jailhouse_ioapic, ENOEXEC, true },
	{ "real-bsp-wrong", real_bsp_wrong, ENOEXEC, true },
	{ "kernel-misaligned", kernel_misaligned, ENOEXEC, true },
	{ "init-size-huge", init_size_huge, ENOEXEC, true },
	{ "cmdline-outside", cmdline_outside, ENOEXEC, true },
	{ "devices-too-many", devices_too_many, E2BIG, true },
	{ "device-absent", device_absent, ENODEV, true },
};

const size_t ki_nvariants = sizeof(ki_variants) / sizeof(ki_variants[0]);
