// SPDX-License-Identifier: GPL-2.0
/*
 * The whole node image. The round trip builds demo.conf's node1 (id 1, APIC
 * ID 2, 640M@0x28000000, COM2) on the q35 map with Debian's real header and
 * checks every byte that matters at its offset.
 */
#include <errno.h>

#include "nl_test.h"

#define INITRD_LEN 1100170 /* build/guest/initrd.gz */

static const char node1_cmdline[] =
	"earlyprintk=serial,0x2f8,115200 console=ttyS1,115200 nokaslr no5lvl "
	"acpi=off no_ipi_broadcast=1 apic_extnmi=none nmi_watchdog=0 "
	"nowatchdog tsc=reliable clocksource=tsc panic=0 oops=panic "
	"pci=noearly 8250.nr_uarts=4 numa=off dis_ucode_ldr reset_devices "
	"kvm.report_ignored_msrs=0 mint.node=node1";

struct img_ctx {
	uint8_t *bz;
	size_t bzlen;
	uint8_t *initrd;
	struct nl_memmap map;
	struct nl_machine m;
	struct nl_node n;
};

static void ctx_init(struct img_ctx *c)
{
	size_t hlen;
	uint8_t *head = nlt_fixture(DEBIAN_HEAD, &hlen);

	c->bz = nlt_expand_head(head, hlen, &c->bzlen);
	free(head);
	for (size_t i = 0; i < 0xb18200; i++) /* a payload to recognise */
		c->bz[0x5000 + i] = (uint8_t)(i ^ (i >> 9));
	c->initrd = malloc(INITRD_LEN);
	ck_assert_ptr_nonnull(c->initrd);
	memset(c->initrd, 0x1d, INITRD_LEN);
	nlt_q35(&c->map);
	nlt_machine(&c->m, &c->map);
	nlt_node1(&c->n);
}

static void ctx_free(struct img_ctx *c)
{
	free(c->bz);
	free(c->initrd);
}

START_TEST(image_round_trip_node1)
{
	static const uint64_t e820[][3] = {
		{ 0x0, 0x20000, 2 },
		{ 0x20000, 0x10000, 1 },
		{ 0x30000, 0x70000, 2 },
		{ 0xf0000, 0x27f10000, 2 },
		{ 0x28000000, 0x27e00000, 1 },
		{ 0x4fe00000, 0x30200000, 2 },
		{ 0xb0000000, 0x10000000, 2 },
		{ 0xfed1c000, 0x4000, 2 },
		{ 0xfeffc000, 0x4000, 2 },
		{ 0xfffc0000, 0x80040000, 2 },
		{ 0xfd00000000, 0x300000000, 2 },
	};
	struct img_ctx c;
	struct nl_image *img = NULL;
	struct nl_err err;
	const uint8_t *bp, *sd, *jh, *md;

	ctx_init(&c);
	ck_assert_ok(nl_image_build(c.bz, c.bzlen, c.initrd, INITRD_LEN, &c.n,
				    &c.m, &img, &err),
		     err);

	/* kexec entry and segments */
	ck_assert_uint_eq(img->entry, 0x28000000);
	ck_assert_uint_eq(img->nseg, 3);
	ck_assert_ptr_eq(img->seg[0].buf, img->params);
	ck_assert_uint_eq(img->seg[0].bufsz, 0x4000);
	ck_assert_uint_eq(img->seg[0].mem, 0x28000000);
	ck_assert_uint_eq(img->seg[0].memsz, 0x4000);
	ck_assert_ptr_eq(img->seg[1].buf, c.bz + 0x5000);
	ck_assert_uint_eq(img->seg[1].bufsz, 0xb18200);
	ck_assert_uint_eq(img->seg[1].mem, 0x28200000);
	ck_assert_uint_eq(img->seg[1].memsz, 0x37dc000);
	ck_assert_ptr_eq(img->seg[2].buf, c.initrd);
	ck_assert_uint_eq(img->seg[2].bufsz, INITRD_LEN);
	ck_assert_uint_eq(img->seg[2].mem, 0x4fe00000 - 0x10d000);
	ck_assert_uint_eq(img->seg[2].memsz, 0x10d000);
	ck_assert_uint_eq(img->params_size, 0x4000);

	/* boot_params */
	bp = img->params;
	for (int i = 0; i < 0x1e8; i++)
		ck_assert_msg(bp[i] == 0, "zero page byte 0x%x", i);
	ck_assert_uint_eq(bp[0x1e8], 11); /* e820_entries */
	ck_assert_uint_eq(bp[0x1ef], 0); /* sentinel */
	ck_assert_uint_eq(bp[0x1f1], 39); /* setup_sects, copied */
	ck_assert_uint_eq(le32(bp + 0x1f4), 0xb1820); /* syssize */
	ck_assert_uint_eq(le16(bp + 0x1fe), 0xaa55);
	ck_assert_uint_eq(le16(bp + 0x206), 0x020f);
	ck_assert_uint_eq(bp[0x210], 0xff); /* type_of_loader */
	ck_assert_uint_eq(bp[0x211], 0x01); /* loadflags */
	ck_assert_uint_eq(le32(bp + 0x214), 0x28200000); /* code32_start */
	ck_assert_uint_eq(le32(bp + 0x218), 0x4fcf3000); /* ramdisk_image */
	ck_assert_uint_eq(le32(bp + 0x21c), INITRD_LEN); /* ramdisk_size */
	ck_assert_uint_eq(le32(bp + 0x0c0), 0);
	ck_assert_uint_eq(le32(bp + 0x0c4), 0);
	ck_assert_uint_eq(le32(bp + 0x228), 0x28003000); /* cmd_line_ptr */
	ck_assert_uint_eq(le32(bp + 0x0c8), 0);
	ck_assert_uint_eq(le32(bp + 0x230), 0x200000); /* kernel_alignment */
	ck_assert_uint_eq(le32(bp + 0x238), 2047); /* cmdline_size */
	ck_assert_uint_eq(le32(bp + 0x23c), 0); /* hardware_subarch */
	ck_assert_uint_eq(le64(bp + 0x250), 0x28001000); /* setup_data */
	ck_assert_uint_eq(le64(bp + 0x258), 0x1000000); /* pref_address */
	ck_assert_uint_eq(le32(bp + 0x260), 0x37dc000); /* init_size */
	for (int i = 0x26c; i < 0x2d0; i++)
		ck_assert_msg(bp[i] == 0, "zero page byte 0x%x", i);
	for (int i = 0; i < 11; i++) {
		ck_assert_uint_eq(le64(bp + 0x2d0 + 20 * i), e820[i][0]);
		ck_assert_uint_eq(le64(bp + 0x2d0 + 20 * i + 8), e820[i][1]);
		ck_assert_uint_eq(le32(bp + 0x2d0 + 20 * i + 16), e820[i][2]);
	}
	for (int i = 0x2d0 + 11 * 20; i < 0x1000; i++)
		ck_assert_msg(bp[i] == 0, "zero page byte 0x%x", i);

	/* setup_data chain at B + 0x1000, as physical addresses */
	sd = img->params + 0x1000;
	jh = sd + 16;
	ck_assert_uint_eq(le64(sd), 0x28001000 + 304);
	ck_assert_uint_eq(le32(sd + 8), 6);
	ck_assert_uint_eq(le32(sd + 12), 284);
	ck_assert_uint_eq(le16(jh + 0), 2); /* version */
	ck_assert_uint_eq(le16(jh + 2), 1); /* compatible_version */
	ck_assert_uint_eq(le16(jh + 4), 0); /* pm_timer_address */
	ck_assert_uint_eq(le16(jh + 6), 1); /* num_cpus */
	ck_assert_uint_eq(le64(jh + 8), 0xb0000000); /* pci_mmconfig_base */
	ck_assert_uint_eq(le32(jh + 16), NLT_TSC_KHZ);
	ck_assert_uint_eq(le32(jh + 20), 0); /* apic_khz */
	ck_assert_uint_eq(jh[24], 0); /* standard_ioapic */
	ck_assert_uint_eq(jh[25], 2); /* cpu_ids[0] = boot CPU */
	for (int i = 26; i < 280; i++)
		ck_assert_uint_eq(jh[i], 0);
	ck_assert_uint_eq(le32(jh + 280), 0x2); /* flags: COM2 */
	md = sd + 304;
	ck_assert_uint_eq(le64(md), 0);
	ck_assert_uint_eq(le32(md + 8), 0x6d6e);
	ck_assert_uint_eq(le32(md + 12), 176);
	md += 16;
	ck_assert_uint_eq(le32(md + 0), 0x544e494d); /* magic */
	ck_assert_uint_eq(le16(md + 4), 3); /* version */
	ck_assert_uint_eq(le16(md + 6), 1); /* node_id */
	ck_assert_uint_eq(le32(md + 8), 0); /* real_bsp_apic_id */
	ck_assert_uint_eq(le32(md + 12), NLT_TSC_KHZ);
	ck_assert_uint_eq(le64(md + 16), 0x4fe00000); /* ctrl_base */
	ck_assert_uint_eq(le64(md + 24), 0x20000); /* low_base */
	ck_assert_uint_eq(le32(md + 32), 0x10000); /* low_size */
	ck_assert_uint_eq(le16(md + 36), 0x2f8); /* uart_port */
	ck_assert_uint_eq(le16(md + 38), 0); /* num_devices */
	ck_assert_uint_eq(le64(md + 40), 0xb0000000); /* ecam_base */
	ck_assert_uint_eq(md[48], 0xff); /* ecam_end_bus */
	ck_assert_str_eq((const char *)md + 120, "node1");
	ck_assert_uint_eq(le64(md + 152), img->seg[1].mem); /* kernel_addr */
	for (int i = 304 + 16 + 176; i < 0x2000; i++)
		ck_assert_uint_eq(sd[i], 0);

	/* command line at B + 0x3000 */
	ck_assert_str_eq((const char *)img->params + 0x3000, node1_cmdline);
	ck_assert_ptr_eq(img->cmdline, (const char *)img->params + 0x3000);
	ck_assert_uint_eq(img->cmdline_len, strlen(node1_cmdline));
	for (size_t i = 0x3000 + sizeof(node1_cmdline); i < 0x4000; i++)
		ck_assert_uint_eq(img->params[i], 0);

	/* the control area and the low slice are outside every segment */
	for (size_t i = 0; i < img->nseg; i++) {
		ck_assert_uint_le(img->seg[i].mem + img->seg[i].memsz,
				  0x4fe00000);
		ck_assert_uint_ge(img->seg[i].mem, 0x28000000);
	}
	nl_image_free(img);
	ctx_free(&c);
}
END_TEST

START_TEST(image_no_initrd)
{
	struct img_ctx c;
	struct nl_image *img = NULL;
	struct nl_err err;

	ctx_init(&c);
	ck_assert_ok(
		nl_image_build(c.bz, c.bzlen, NULL, 0, &c.n, &c.m, &img, &err),
		err);
	ck_assert_uint_eq(img->nseg, 2);
	ck_assert_uint_eq(le32(img->params + 0x218), 0);
	ck_assert_uint_eq(le32(img->params + 0x21c), 0);
	ck_assert_uint_eq(img->layout.initrd, 0);
	nl_image_free(img);
	ctx_free(&c);
}
END_TEST

/* More CPUs, devices, shm console, extra cmdline, another node. */
START_TEST(image_node2_devices)
{
	static const uint32_t apic[] = { 3, 1 };
	static const uint32_t devs[] = { 0x0018, 0x0020 };
	static const struct nl_range ram[] = { { 0x50000000, 0x78000000, 0 } };
	struct img_ctx c;
	struct nl_image *img = NULL;
	struct nl_err err;
	const uint8_t *jh, *md;

	ctx_init(&c);
	c.n.id = 2;
	c.n.name = "node2";
	c.n.apic_ids = apic;
	c.n.ncpus = 2;
	c.n.ram = ram;
	c.n.uart_port = 0;
	c.n.devices = devs;
	c.n.ndevices = 2;
	c.n.extra_cmdline = "loglevel=8";
	ck_assert_ok(nl_image_build(c.bz, c.bzlen, c.initrd, 4096, &c.n, &c.m,
				    &img, &err),
		     err);
	ck_assert_uint_eq(img->entry, 0x50000000);
	ck_assert_uint_eq(img->seg[2].mem, 0x77dff000);
	jh = img->params + 0x1000 + 16;
	ck_assert_uint_eq(le16(jh + 6), 2);
	ck_assert_uint_eq(jh[25], 3);
	ck_assert_uint_eq(jh[26], 1);
	ck_assert_uint_eq(le32(jh + 280), 0); /* no UART */
	md = img->params + 0x1000 + 304 + 16;
	ck_assert_uint_eq(le16(md + 6), 2);
	ck_assert_uint_eq(le64(md + 16), 0x77e00000);
	ck_assert_uint_eq(le64(md + 24), 0x30000);
	ck_assert_uint_eq(le16(md + 36), 0);
	ck_assert_uint_eq(le16(md + 38), 2);
	ck_assert_uint_eq(le32(md + 56), 0x18);
	ck_assert_uint_eq(le32(md + 60), 0x20);
	ck_assert_str_eq(
		img->cmdline,
		"nokaslr no5lvl acpi=off no_ipi_broadcast=1 "
		"apic_extnmi=none nmi_watchdog=0 nowatchdog "
		"tsc=reliable clocksource=tsc panic=0 oops=panic "
		"pci=noearly 8250.nr_uarts=4 numa=off dis_ucode_ldr "
		"reset_devices kvm.report_ignored_msrs=0 mint.node=node2 "
		"loglevel=8");
	nl_image_free(img);
	ctx_free(&c);
}
END_TEST

/* A node with a link: its region in the setup data, reserved in the e820
 * table even in a gap of the machine's map; a link on the node's RAM is
 * refused. */
START_TEST(image_link)
{
	struct img_ctx c;
	struct nl_image *img = NULL;
	struct nl_err err;
	const uint8_t *md, *e;
	int found = 0;

	ctx_init(&c);
	c.n.link_base = 0x90000000; /* a gap of the q35 map */
	c.n.link_size = 0x200000;
	ck_assert_ok(
		nl_image_build(c.bz, c.bzlen, NULL, 0, &c.n, &c.m, &img, &err),
		err);
	md = img->params + 0x1000 + 304 + 16;
	ck_assert_uint_eq(le16(md + 4), MINT_SETUP_VERSION);
	ck_assert_uint_eq(le64(md + 160), 0x90000000);
	ck_assert_uint_eq(le64(md + 168), 0x200000);
	/* the zero page's e820 table: 20-byte entries at 0x2d0 */
	for (unsigned int i = 0; i < img->params[0x1e8]; i++) {
		e = img->params + 0x2d0 + 20 * i;
		if (le64(e) <= 0x90000000 &&
		    le64(e) + le64(e + 8) > 0x90000000) {
			ck_assert_uint_eq(le64(e), 0x90000000);
			ck_assert_uint_eq(le64(e + 8), 0x200000);
			ck_assert_uint_eq(le32(e + 16), NL_E820_RESERVED);
			found = 1;
		}
	}
	ck_assert_msg(found, "no e820 entry covers the link");
	nl_image_free(img);
	c.n.link_base = 0x4fc00000; /* the node's RAM */
	ck_assert_fails(
		nl_image_build(c.bz, c.bzlen, NULL, 0, &c.n, &c.m, &img, &err),
		-EINVAL, err,
		"node link 0x4fc00000-0x4fdfffff overlaps node RAM "
		"0x28000000-0x4fffffff");
	ctx_free(&c);
}
END_TEST

START_TEST(image_errors)
{
	static const struct nl_range bad_ram[] = {
		{ 0x78000000, 0x80000000, 0 },
	};
	static const struct nl_range small_ram[] = {
		{ 0x28000000, 0x2a000000, 0 },
	};
	struct img_ctx c;
	struct nl_image *img = (struct nl_image *)&c; /* must become NULL */
	struct nl_err err;

	ctx_init(&c);
	ck_assert_fails(
		nl_image_build(c.bz, 4096, NULL, 0, &c.n, &c.m, &img, &err),
		-EINVAL, err, "truncated");
	ck_assert_ptr_null(img);
	ck_assert_fails(
		nl_image_build(c.bz, c.bzlen, NULL, 10, &c.n, &c.m, &img, &err),
		-EINVAL, err, "initrd of 10 bytes has no data");
	c.n.extra_cmdline = "a\tb";
	ck_assert_fails(
		nl_image_build(c.bz, c.bzlen, NULL, 0, &c.n, &c.m, &img, &err),
		-EINVAL, err, "control character 0x09");
	c.n.extra_cmdline = NULL;
	c.n.ram = small_ram;
	ck_assert_fails(
		nl_image_build(c.bz, c.bzlen, NULL, 0, &c.n, &c.m, &img, &err),
		-ENOSPC, err, "it needs at least 60 MiB");
	c.n.ram = bad_ram;
	ck_assert_fails(
		nl_image_build(c.bz, c.bzlen, NULL, 0, &c.n, &c.m, &img, &err),
		-EINVAL, err, "0x7ffe0000-0x7fffffff is Reserved");
	c.n.ram = nlt_node1_ram;
	c.m.tsc_khz = 0;
	ck_assert_fails(
		nl_image_build(c.bz, c.bzlen, NULL, 0, &c.n, &c.m, &img, &err),
		-EINVAL, err, "tsc_khz is 0");
	c.m.tsc_khz = NLT_TSC_KHZ;
	c.bz[0x234] = 0;
	ck_assert_fails(
		nl_image_build(c.bz, c.bzlen, NULL, 0, &c.n, &c.m, &img, &err),
		-EINVAL, err, "not relocatable");
	ck_assert_ptr_null(img);
	nl_image_free(NULL);
	ctx_free(&c);
}
END_TEST

/* Segments are page aligned, inside [B, ctrl), pairwise disjoint, and the
 * kernel's init_size area holds nothing else, for nodes of many sizes. */
START_TEST(image_segments_property)
{
	struct img_ctx c;
	struct nl_err err;

	ctx_init(&c);
	for (uint64_t mb = 60; mb <= 1024; mb += 62) {
		for (size_t ilen = 0; ilen <= 3 * 4096 + 1; ilen += 4097) {
			struct nl_range r = { 0x10000000,
					      0x10000000 + mb * 0x100000, 0 };
			struct nl_image *img;
			int ret;

			c.n.ram = &r;
			ret = nl_image_build(c.bz, c.bzlen, c.initrd, ilen,
					     &c.n, &c.m, &img, &err);
			if (ret) {
				ck_assert_int_eq(ret, -ENOSPC);
				continue;
			}
			for (size_t i = 0; i < img->nseg; i++) {
				const struct nl_segment *s = &img->seg[i];

				ck_assert_uint_eq(s->mem % 4096, 0);
				ck_assert_uint_eq(s->memsz % 4096, 0);
				ck_assert_uint_le(s->bufsz, s->memsz);
				ck_assert_uint_ge(s->mem, r.start);
				ck_assert_uint_le(s->mem + s->memsz,
						  r.end - MINT_CTRL_SIZE);
				for (size_t j = 0; j < i; j++)
					ck_assert(
						s->mem >=
							img->seg[j].mem +
								img->seg[j]
									.memsz ||
						img->seg[j].mem >=
							s->mem + s->memsz);
			}
			ck_assert_uint_ge(img->seg[1].memsz, 0x37dc000);
			nl_image_free(img);
		}
	}
	ctx_free(&c);
}
END_TEST

Suite *nl_suite_image(void)
{
	Suite *s = suite_create("image");

	NL_TEST(s, image_round_trip_node1);
	NL_TEST(s, image_no_initrd);
	NL_TEST(s, image_node2_devices);
	NL_TEST(s, image_link);
	NL_TEST(s, image_errors);
	NL_TEST(s, image_segments_property);
	return s;
}
