// SPDX-License-Identifier: GPL-2.0
/*
 * kexec-refusals' pure part (tests/kernel/kexec-image.c): image.txt, the
 * segments by physical address, the setup_data chain, and every variant
 * applied to a real node image the node-loader library composes, as
 * 'mintctl load --save-image' saves one.
 */
#include <check.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* a test program, not a library: its pure code is compiled in here */
#include "../kernel/kexec-image.c"
#include "nodeloader.h"

#ifndef KI_BZIMAGE /* the fake bzImage of the CLI tests */
#define KI_BZIMAGE "tests/config/sysroot/preflight/boot/mint/bzImage"
#endif

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

#define BASE 0x28000000ULL /* node1's RAM, 640 MiB */
#define SIZE 0x28000000ULL
#define APIC 2

static const char good_txt[] =
	"entry 0x28000000\n"
	"flags 0x1100\n"
	"node_id 1\n"
	"segment 0 mem=0x28000000 memsz=0x4000 bufsz=0x4000 file=seg0.bin\n"
	"segment 1 mem=0x28200000 memsz=0x1000000 bufsz=0x400 file=seg1.bin\n"
	"\n"
	"segment 2 mem=0x4fdff000 memsz=0x1000 bufsz=0x4bc file=seg2.bin\n";

START_TEST(tc_parse)
{
	struct ki_image img;
	char why[256];

	ck_assert_int_eq(ki_parse(good_txt, &img, why, sizeof(why)), 0);
	ck_assert_uint_eq(img.entry, BASE);
	ck_assert_uint_eq(img.flags, 0x1100);
	ck_assert_uint_eq(img.node_id, 1);
	ck_assert_uint_eq(img.nseg, 3);
	ck_assert_uint_eq(img.seg[1].mem, 0x28200000);
	ck_assert_uint_eq(img.seg[1].memsz, 0x1000000);
	ck_assert_uint_eq(img.seg[1].bufsz, 0x400);
	ck_assert_str_eq(img.seg[2].file, "seg2.bin");
	ck_assert_ptr_null(img.seg[0].buf);
}
END_TEST

static const struct {
	const char *text, *why;
} bad_cases[] = {
	{ "", "needs entry" },
	{ "entry 0x1000\nflags 0x1100\nnode_id 1\n", "needs entry" },
	{ "flags 0x1100\nnode_id 1\n"
	  "segment 0 mem=0x0 memsz=0x1000 bufsz=0x1 file=a\n",
	  "needs entry" },
	{ "entry 0x1000\nflags 0x1100\nnode_id 1\n"
	  "segment 1 mem=0x0 memsz=0x1000 bufsz=0x1 file=a\n",
	  "out of order: 'segment 1" },
	{ "entry 0x1000 x\n", "trailing text: 'entry 0x1000 x'" },
	{ "entry 0x1000\nflags 0x1100\nnode_id 1\n"
	  "segment 0 mem=0x0 memsz=0x1000 bufsz=0x1 file=../a\n",
	  "file not in DIR" },
	{ "entry 0x1000\nflags 0x1100\nnode_id 1\n"
	  "segment 0 mem=0x0 memsz=0x1000 bufsz=0x1 file=/etc/passwd\n",
	  "file not in DIR" },
	{ "kernel 0x1000\n", "unknown line: 'kernel 0x1000'" },
	{ "segment 0 mem=0x0 memsz=0x1000\n", "unknown line" },
};

START_TEST(tc_parse_bad)
{
	struct ki_image img;
	char why[256] = "";

	ck_assert_int_eq(ki_parse(bad_cases[_i].text, &img, why, sizeof(why)),
			 -EINVAL);
	ck_assert_msg(strstr(why, bad_cases[_i].why), "%s", why);
}
END_TEST

START_TEST(tc_parse_too_many)
{
	char text[4096], why[256];
	struct ki_image img;
	int i, n;

	n = snprintf(text, sizeof(text), "entry 0x0\nflags 0x0\nnode_id 1\n");
	for (i = 0; i < KI_MAX_SEGS; i++)
		n += snprintf(text + n, sizeof(text) - n,
			      "segment %d mem=0x%x memsz=0x1000 bufsz=0x1 "
			      "file=s%d\n",
			      i, i * 0x1000, i);
	ck_assert_int_eq(ki_parse(text, &img, why, sizeof(why)), -EINVAL);
	ck_assert_msg(strstr(why, "too many segments"), "%s", why);
}
END_TEST

START_TEST(tc_ranges)
{
	struct ki_node nd;

	ck_assert_int_eq(ki_parse_ranges("0x78000000+0x10000000,"
					 "0x90000000+0x8000000\n",
					 &nd),
			 0);
	ck_assert_uint_eq(nd.nram, 2);
	ck_assert_uint_eq(nd.ram[0].base, 0x78000000);
	ck_assert_uint_eq(nd.ram[1].size, 0x8000000);
	/* the kernel's %#llx prints zero as 0 */
	ck_assert_int_eq(ki_parse_ranges("0+0x200000", &nd), 0);
	ck_assert_uint_eq(nd.ram[0].base, 0);
	ck_assert_int_eq(ki_parse_ranges("", &nd), -EINVAL);
	ck_assert_int_eq(ki_parse_ranges("0x1000\n", &nd), -EINVAL);
	ck_assert_int_eq(ki_parse_ranges("x+1", &nd), -EINVAL);
	ck_assert_int_eq(ki_parse_ranges("0x1+0x2;", &nd), -EINVAL);
	ck_assert_int_eq(
		ki_parse_ranges("1+1,2+1,3+1,4+1,5+1,6+1,7+1,8+1,9+1", &nd),
		-EINVAL);
}
END_TEST

START_TEST(tc_free_id)
{
	const unsigned int some[] = { 1, 3, 2 },
			   all[] = { 7, 6, 5, 4, 3, 2, 1 };

	ck_assert_uint_eq(ki_free_id(NULL, 0), 1);
	ck_assert_uint_eq(ki_free_id(some, 3), 4);
	ck_assert_uint_eq(ki_free_id(all, 7), 0);
}
END_TEST

/* Two segments of bytes 0xaa and 0xbb at 0x10000 and 0x20000. */
static void small_image(struct ki_image *img, uint8_t *a, uint8_t *b)
{
	memset(img, 0, sizeof(*img));
	memset(a, 0xaa, 0x2000);
	memset(b, 0xbb, 0x800);
	img->nseg = 2;
	img->seg[0] = (struct ki_seg){ a, 0x2000, 0x10000, 0x2000, NULL, "" };
	img->seg[1] = (struct ki_seg){ b, 0x800, 0x20000, 0x3000, NULL, "" };
	img->entry = 0x10000;
}

START_TEST(tc_find)
{
	static uint8_t a[0x2000], b[0x800];
	struct kexec_segment ks[2];
	struct ki_image img, v;
	uint8_t *p;

	small_image(&img, a, b);
	ck_assert_int_eq(ki_find_seg(&img, 0x10000, 0x2000), 0);
	ck_assert_int_eq(ki_find_seg(&img, 0x11fff, 1), 0);
	ck_assert_int_eq(ki_find_seg(&img, 0x11fff, 2), -1);
	ck_assert_int_eq(ki_find_seg(&img, 0x207ff, 1), 1);
	/* memsz past bufsz is not loaded bytes */
	ck_assert_int_eq(ki_find_seg(&img, 0x20800, 1), -1);
	ck_assert_int_eq(ki_find_seg(&img, 0xffff, 2), -1);
	ck_assert_int_eq(ki_find_seg(&img, UINT64_MAX, 0x10002), -1);
	ck_assert_ptr_eq(ki_peek(&img, 0x20010, 4), b + 0x10);
	ck_assert_ptr_null(ki_peek(&img, 0x30000, 1));

	/* a variant writes to its own copy; the good image is untouched */
	ki_clone(&img, &v);
	p = ki_at(&v, 0x20010, 4);
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_ne(p, b + 0x10);
	memset(p, 0, 4);
	ck_assert_uint_eq(b[0x10], 0xbb);
	ck_assert_ptr_eq(ki_peek(&v, 0x20010, 4), p);
	ck_assert_ptr_eq(ki_at(&v, 0x20000, 1), p - 0x10);
	ck_assert_ptr_eq(v.seg[0].buf, a);
	ki_segments(&v, ks);
	ck_assert_ptr_eq(ks[1].buf, v.seg[1].own);
	ck_assert_uint_eq(ks[1].bufsz, 0x800);
	ck_assert_uint_eq((uintptr_t)ks[1].mem, 0x20000);
	ck_assert_uint_eq(ks[1].memsz, 0x3000);
	ki_free(&v);
}
END_TEST

START_TEST(tc_free_page)
{
	static uint8_t a[0x2000], b[0x800];
	struct ki_node nd = { .nram = 1 };
	struct ki_image img;

	small_image(&img, a, b);
	nd.ram[0].base = 0x10000;
	nd.ram[0].size = MINT_CTRL_SIZE + 0x10000;
	ck_assert_uint_eq(ki_ctrl_base(&nd), 0x20000);
	/* [0x10000, 0x12000) used; [0x20000, ...) the control area */
	ck_assert_uint_eq(ki_free_page(&img, &nd), 0x12000);
	img.seg[0].memsz = 0x10000;
	ck_assert_uint_eq(ki_free_page(&img, &nd), 0);
	nd.ram[1].base = 0x400000;
	nd.ram[1].size = 0x200000;
	nd.nram = 2;
	ck_assert_uint_eq(ki_free_page(&img, &nd), 0x400000);
}
END_TEST

START_TEST(tc_kmsg)
{
	char rec[] = "4,1234,5678,-;mint: node node1: load refused: two "
		     "segments overlap\n SUBSYSTEM=x\n";
	char bare[] = "no prefix\n";

	ck_assert_str_eq(ki_kmsg_text(rec), "mint: node node1: load refused: "
					    "two segments overlap");
	ck_assert_str_eq(ki_kmsg_text(bare), "no prefix");
}
END_TEST

/* ---------------------------------------------- a real image, variants */

static const uint32_t apic_ids[1] = { APIC };
static const struct nl_range node_ram[1] = { { BASE, BASE + SIZE, 0 } };

static void q35(struct nl_memmap *m)
{
	static const struct nl_fwmap_entry e[] = {
		{ "0x0", "0x9fbff", "System RAM" },
		{ "0x9fc00", "0x9ffff", "Reserved" },
		{ "0xf0000", "0xfffff", "Reserved" },
		{ "0x100000", "0x7ffdffff", "System RAM" },
		{ "0x7ffe0000", "0x7fffffff", "Reserved" },
	};
	struct nl_err err;

	ck_assert_int_eq(nl_memmap_from_firmware(e, N(e), m, &err), 0);
}

static uint8_t *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = malloc(1 << 20);

	ck_assert_msg(f && buf, "%s", path);
	*len = fread(buf, 1, 1 << 20, f);
	fclose(f);
	return buf;
}

/*
 * node1 of a q35 machine as 'mintctl load --save-image' saves it: the
 * node-loader's image, written as image.txt and read back by ki_parse(),
 * each buffer a copy the image owns.
 */
static void real_image(struct ki_image *img, struct ki_node *nd)
{
	static uint8_t initrd[0x4bc];
	struct nl_memmap map;
	struct nl_machine m = { .memmap = &map, .tsc_khz = 2000000 };
	struct nl_node n = { .id = 1,
			     .name = "node1",
			     .apic_ids = apic_ids,
			     .ncpus = 1,
			     .ram = node_ram,
			     .nram = 1 };
	struct nl_image *nl = NULL;
	struct nl_err err = { { 0 } };
	char text[1024], why[256];
	size_t i, blen, len;
	uint8_t *bz;

	q35(&map);
	bz = read_all(KI_BZIMAGE, &blen);
	ck_assert_msg(!nl_image_build(bz, blen, initrd, sizeof(initrd), &n, &m,
				      &nl, &err),
		      "%s", err.msg);
	len = snprintf(text, sizeof(text),
		       "entry 0x%" PRIx64 "\nflags 0x%x\nnode_id 1\n",
		       nl->entry, KEXEC_MINT_NODE | 1 << KEXEC_MINT_ID_SHIFT);
	for (i = 0; i < nl->nseg; i++)
		len += snprintf(text + len, sizeof(text) - len,
				"segment %zu mem=0x%" PRIx64 " memsz=0x%" PRIx64
				" bufsz=0x%zx file=seg%zu.bin\n",
				i, nl->seg[i].mem, nl->seg[i].memsz,
				nl->seg[i].bufsz, i);
	ck_assert_msg(!ki_parse(text, img, why, sizeof(why)), "%s", why);
	for (i = 0; i < img->nseg; i++) {
		img->seg[i].own = malloc(img->seg[i].bufsz);
		memcpy(img->seg[i].own, nl->seg[i].buf, img->seg[i].bufsz);
		img->seg[i].buf = img->seg[i].own;
	}
	nl_image_free(nl);
	free(bz);
	memset(nd, 0, sizeof(*nd));
	nd->ram[0].base = BASE;
	nd->ram[0].size = SIZE;
	nd->nram = 1;
	nd->free_id = 2;
}

START_TEST(tc_real_setup_data)
{
	const struct jailhouse_setup_data_v2 *jh;
	const struct mint_setup_data *m;
	const struct boot_params *bp;
	struct ki_image img;
	struct ki_node nd;
	uint64_t pa;

	real_image(&img, &nd);
	ck_assert_uint_eq(img.nseg, 3);
	bp = ki_peek(&img, img.entry, sizeof(*bp));
	ck_assert_ptr_nonnull(bp);
	ck_assert_mem_eq(&bp->hdr.header, "HdrS", 4);
	pa = ki_setup_find(&img, SETUP_MINT_NODE, sizeof(*m));
	ck_assert_uint_ne(pa, 0);
	m = ki_peek(&img, pa + sizeof(struct setup_data), sizeof(*m));
	ck_assert_uint_eq(m->magic, MINT_SETUP_MAGIC);
	ck_assert_uint_eq(m->node_id, 1);
	ck_assert_uint_eq(m->ctrl_base, ki_ctrl_base(&nd));
	ck_assert_uint_eq(m->low_base, MINT_LOW_SLICE(1));
	pa = ki_setup_find(&img, SETUP_JAILHOUSE, sizeof(*jh));
	ck_assert_uint_ne(pa, 0);
	jh = ki_peek(&img, pa + sizeof(struct setup_data), sizeof(*jh));
	ck_assert_uint_eq(jh->num_cpus, 1);
	ck_assert_uint_eq(jh->cpu_ids[0], APIC);
	ck_assert_uint_eq(ki_setup_find(&img, 0x7fff, 0), 0);
	/* a block longer than the image holds is not found */
	ck_assert_uint_eq(ki_setup_find(&img, SETUP_MINT_NODE, 0x100000), 0);
	/* the first free page: after boot_params, setup_data, cmdline */
	ck_assert_uint_eq(ki_free_page(&img, &nd),
			  img.seg[0].mem + img.seg[0].memsz);
	ki_free(&img);
}
END_TEST

/* Bytes of @a and @b that differ, over the shorter of the two. */
static size_t bytes_changed(const struct ki_seg *a, const struct ki_seg *b)
{
	size_t i, n = 0, len = a->bufsz < b->bufsz ? a->bufsz : b->bufsz;

	for (i = 0; i < len; i++)
		n += a->buf[i] != b->buf[i];
	return n;
}

/* What changed between the good image and a variant: scalar fields,
 * changed bytes (at most 16 in one place, one field). */
static unsigned int fields_changed(const struct ki_image *g,
				   const struct ki_image *v)
{
	unsigned int n = (g->entry != v->entry) + (g->flags != v->flags) +
			 (g->nseg != v->nseg);
	size_t i, b;

	for (i = 0; i < g->nseg && i < v->nseg; i++) {
		n += (g->seg[i].mem != v->seg[i].mem) +
		     (g->seg[i].memsz != v->seg[i].memsz) +
		     (g->seg[i].bufsz != v->seg[i].bufsz);
		b = bytes_changed(&g->seg[i], &v->seg[i]);
		ck_assert_uint_le(b, 16);
		n += !!b;
	}
	return n;
}

static const struct {
	const char *name;
	unsigned int fields; /* at most so many fields changed (one byte
			      * range of a buffer counts as one) */
} expect[] = {
	{ "no-segments", 1 },
	{ "node-id-0", 1 },
	{ "node-id-undefined", 1 },
	{ "on-crash-flag", 1 },
	{ "preserve-context-flag", 1 },
	{ "seg-mem-unaligned", 1 },
	{ "seg-memsz-zero", 1 },
	{ "seg-bufsz-over-memsz", 1 },
	{ "seg-outside-node-ram", 1 },
	{ "seg-over-control-area", 1 },
	{ "seg-wraps", 3 }, /* mem, memsz, bufsz when it was larger */
	{ "segs-overlap", 1 },
	{ "entry-unaligned", 1 },
	{ "entry-outside", 1 },
	{ "bp-no-hdrs", 1 },
	{ "bp-not-64bit", 1 },
	{ "no-mint-setup-data", 1 },
	{ "mint-node-id-wrong", 1 },
	{ "ctrl-base-wrong", 1 },
	{ "low-slice-wrong", 1 },
	{ "e820-node0-ram", 1 },
	{ "apic-id-foreign", 1 },
	{ "jailhouse-ioapic", 1 },
	{ "real-bsp-wrong", 1 },
	{ "kernel-misaligned", 1 },
	{ "init-size-huge", 1 },
	{ "cmdline-outside", 1 },
	{ "devices-too-many", 1 },
	{ "device-absent", 1 },
};

START_TEST(tc_table)
{
	size_t i, j;

	ck_assert_uint_eq(ki_nvariants, N(expect));
	for (i = 0; i < ki_nvariants; i++) {
		ck_assert_str_eq(ki_variants[i].name, expect[i].name);
		ck_assert(ki_variants[i].errnum == EINVAL ||
			  ki_variants[i].errnum == ENOENT ||
			  ki_variants[i].errnum == EADDRNOTAVAIL ||
			  ki_variants[i].errnum == ENOEXEC ||
			  ki_variants[i].errnum == E2BIG ||
			  ki_variants[i].errnum == ENODEV);
		/* the node is known from the sixth variant on */
		ck_assert(ki_variants[i].node_log == (i >= 5));
		for (j = 0; j < i; j++)
			ck_assert_str_ne(ki_variants[i].name,
					 ki_variants[j].name);
	}
}
END_TEST

/* Each variant: one field changed as it says, the good image untouched. */
START_TEST(tc_variant)
{
	const struct ki_variant *var = &ki_variants[_i];
	struct ki_image good, pristine, v;
	const struct mint_setup_data *m;
	const struct boot_params *bp;
	struct ki_node nd;
	size_t i, sum = 0;
	unsigned int n;

	real_image(&good, &nd);
	real_image(&pristine, &nd);
	ki_clone(&good, &v);
	ck_assert_int_eq(var->mutate(&v, &nd), 0);
	n = fields_changed(&good, &v);
	ck_assert(n >= 1 && n <= expect[_i].fields);
	ck_assert_uint_eq(fields_changed(&pristine, &good), 0);
	for (i = 0; i < v.nseg; i++) /* ASan: each buffer holds bufsz */
		sum += v.seg[i].buf[v.seg[i].bufsz - 1];
	ck_assert_uint_le(sum, 0xff * KI_MAX_SEGS);
	bp = ki_peek(&v, v.entry, sizeof(*bp));
	m = bp ? ki_peek(&v,
			 ki_setup_find(&v, SETUP_MINT_NODE, sizeof(*m)) +
				 sizeof(struct setup_data),
			 sizeof(*m))
	       : NULL;
	if (!strcmp(var->name, "node-id-undefined"))
		ck_assert_uint_eq(v.flags, KEXEC_MINT_NODE | 2 << 12);
	if (!strcmp(var->name, "seg-outside-node-ram")) {
		ck_assert_uint_eq(v.seg[2].mem, 0x1000000);
		ck_assert_ptr_nonnull(m); /* the entry is as it was */
	}
	if (!strcmp(var->name, "seg-over-control-area")) {
		ck_assert_uint_eq(v.seg[2].mem + v.seg[2].memsz,
				  ki_ctrl_base(&nd) + KI_PAGE);
		ck_assert_uint_le(v.seg[2].mem + v.seg[2].memsz, BASE + SIZE);
	}
	if (!strcmp(var->name, "seg-wraps"))
		ck_assert_uint_lt(v.seg[2].mem + v.seg[2].memsz, v.seg[2].mem);
	if (!strcmp(var->name, "seg-bufsz-over-memsz"))
		ck_assert_uint_eq(v.seg[2].bufsz, v.seg[2].memsz + KI_PAGE);
	if (!strcmp(var->name, "segs-overlap"))
		ck_assert_uint_eq(v.seg[3].mem, v.seg[0].mem);
	if (!strcmp(var->name, "entry-outside")) {
		ck_assert_int_eq(ki_find_seg(&v, v.entry, 1), -1);
		ck_assert(v.entry > BASE && v.entry < ki_ctrl_base(&nd));
	}
	if (!strcmp(var->name, "cmdline-outside"))
		ck_assert_int_eq(ki_find_seg(&v, bp->hdr.cmd_line_ptr, 1), -1);
	if (!strcmp(var->name, "no-mint-setup-data"))
		ck_assert_ptr_null(m);
	if (!strcmp(var->name, "e820-node0-ram")) {
		for (i = 0; i < bp->e820_entries; i++)
			if (bp->e820_table[i].addr == 0x1000000)
				break;
		ck_assert_uint_lt(i, bp->e820_entries);
		ck_assert_uint_eq(bp->e820_table[i].type, 1);
		ck_assert_uint_eq(bp->e820_table[i].size, 0x1000000);
	}
	if (!strcmp(var->name, "apic-id-foreign")) {
		const struct jailhouse_setup_data_v2 *jh;
		uint64_t pa = ki_setup_find(&v, SETUP_JAILHOUSE, sizeof(*jh));

		jh = ki_peek(&v, pa + sizeof(struct setup_data), sizeof(*jh));
		ck_assert_uint_eq(jh->cpu_ids[0], m->real_bsp_apic_id);
	}
	if (!strcmp(var->name, "jailhouse-ioapic")) {
		const struct jailhouse_setup_data_v2 *jh;
		uint64_t pa = ki_setup_find(&v, SETUP_JAILHOUSE, sizeof(*jh));

		jh = ki_peek(&v, pa + sizeof(struct setup_data), sizeof(*jh));
		ck_assert_uint_eq(jh->standard_ioapic, 1);
	}
	if (!strcmp(var->name, "kernel-misaligned"))
		ck_assert_uint_eq(m->kernel_addr, v.seg[1].mem + KI_PAGE);
	ki_free(&v);
	ki_free(&good);
	ki_free(&pristine);
}
END_TEST

/* What a variant needs and does not find: an errno, no crash. */
START_TEST(tc_variant_bare)
{
	static uint8_t a[0x2000], b[0x800];
	struct ki_node nd = { .nram = 1, .free_id = 0 };
	struct ki_image img, v;
	int ret;

	small_image(&img, a, b);
	nd.ram[0].base = 0x10000;
	nd.ram[0].size = MINT_CTRL_SIZE;
	ki_clone(&img, &v);
	ret = ki_variants[_i].mutate(&v, &nd);
	ck_assert(ret == 0 || ret == -ENOENT || ret == -ENOSPC);
	ki_free(&v);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("kexec_image");
	TCase *tc = tcase_create("kexec_image");
	SRunner *sr;
	int nf;

	tcase_add_test(tc, tc_parse);
	tcase_add_loop_test(tc, tc_parse_bad, 0, N(bad_cases));
	tcase_add_test(tc, tc_parse_too_many);
	tcase_add_test(tc, tc_ranges);
	tcase_add_test(tc, tc_free_id);
	tcase_add_test(tc, tc_find);
	tcase_add_test(tc, tc_free_page);
	tcase_add_test(tc, tc_kmsg);
	tcase_add_test(tc, tc_real_setup_data);
	tcase_add_test(tc, tc_table);
	tcase_add_loop_test(tc, tc_variant, 0, (int)ki_nvariants);
	tcase_add_loop_test(tc, tc_variant_bare, 0, (int)ki_nvariants);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf ? EXIT_FAILURE : EXIT_SUCCESS;
}
