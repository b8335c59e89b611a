// SPDX-License-Identifier: GPL-2.0
/* The dma file, what node0 should map, MSI parsing and the iommu key. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dma.h"

static const char good[] = "iommu required\n"
			   "device 0000:00:06.0 confined\n"
			   "device 0000:00:07.0 node0\n"
			   "map 0x40000000 0x5fdfffff ok\n"
			   "map 0x80000000 0x8fffffff wrong\n"
			   "faults 9\n"
			   "fault 0000:00:06.0 write 0x1234000\n"
			   "fault 0000:00:07.0 read 0x0\n";

START_TEST(tc_parse_good)
{
	struct mint_dma d;
	char why[128];

	ck_assert_int_eq(mint_dma_parse(good, &d, why, sizeof(why)), 0);
	ck_assert(!d.iommu_off);
	ck_assert_uint_eq(d.nr_devices, 2);
	ck_assert_uint_eq(d.devices[0].addr.dev, 6);
	ck_assert_str_eq(d.devices[0].how, "confined");
	ck_assert_str_eq(d.devices[1].how, "node0");
	ck_assert_uint_eq(d.nr_maps, 2);
	ck_assert_uint_eq(d.maps[0].first, 0x40000000);
	ck_assert_uint_eq(d.maps[0].last, 0x5fdfffff);
	ck_assert(d.maps[0].ok);
	ck_assert(!d.maps[1].ok);
	ck_assert_uint_eq(d.faults, 9);
	ck_assert_uint_eq(d.nr_recent, 2);
	ck_assert(d.recent[0].write);
	ck_assert_uint_eq(d.recent[0].iova, 0x1234000);
	ck_assert(!d.recent[1].write);
	ck_assert_uint_eq(d.recent[1].addr.dev, 7);
	ck_assert_int_eq(mint_dma_parse("iommu off\nfaults 0\n", &d, NULL, 0),
			 0);
	ck_assert(d.iommu_off);
	ck_assert_uint_eq(d.nr_devices + d.nr_maps + d.faults, 0);
}
END_TEST

static const char *const bad[] = {
	"iommu maybe\n",
	"device 0000:00:06.0\n",
	"device 00:zz.0 confined\n",
	"device 0000:00:06.0 averyveryverylongstate\n",
	"map 0x2000 0x1000 ok\n", /* last before first */
	"map 0x1000 0x2000 fine\n",
	"map 0x1000 ok\n",
	"faults many\n",
	"fault 0000:00:06.0 poke 0x1000\n",
	"fault 0000:00:06.0 read\n",
	"unknown record\n",
	/* more faults than the kernel keeps */
	"fault 0000:00:06.0 read 0x0\nfault 0000:00:06.0 read 0x0\n"
	"fault 0000:00:06.0 read 0x0\nfault 0000:00:06.0 read 0x0\n"
	"fault 0000:00:06.0 read 0x0\nfault 0000:00:06.0 read 0x0\n"
	"fault 0000:00:06.0 read 0x0\nfault 0000:00:06.0 read 0x0\n"
	"fault 0000:00:06.0 read 0x0\n",
};

START_TEST(tc_parse_bad)
{
	struct mint_dma d;
	char why[160];

	why[0] = 0;
	ck_assert_int_eq(mint_dma_parse(bad[_i], &d, why, sizeof(why)),
			 -EINVAL);
	ck_assert_msg(strstr(why, "not a record of the dma file"), "%s", why);
}
END_TEST

/* What node0 maps: the ranges, the first without the control area. */
START_TEST(tc_expected)
{
	struct mint_dma_map m[MINT_MAX_RANGES];
	struct mint_node n;

	memset(&n, 0, sizeof(n));
	n.nr_mem = 2;
	n.mem[0].base = 0x40000000;
	n.mem[0].size = 0x20000000;
	n.mem[1].base = 0x100000000ULL;
	n.mem[1].size = 0x200000;
	ck_assert_uint_eq(mint_dma_expected(&n, m), 2);
	ck_assert_uint_eq(m[0].first, 0x40000000);
	ck_assert_uint_eq(m[0].last,
			  0x40000000 + 0x20000000 - MINT_CTRL_SIZE - 1);
	ck_assert_uint_eq(m[1].first, 0x100000000ULL);
	ck_assert_uint_eq(m[1].last, 0x1001fffffULL);
	/* a first range that is only the control area maps nothing */
	n.mem[0].size = MINT_CTRL_SIZE;
	ck_assert_uint_eq(mint_dma_expected(&n, m), 1);
	ck_assert_uint_eq(m[0].first, 0x100000000ULL);
}
END_TEST

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* A configuration space with MSI at 0x50 and MSI-X at 0x60. */
static void space(uint8_t *cfg, bool msi, bool msix)
{
	memset(cfg, 0, 256);
	cfg[0x06] = 0x10; /* capability list */
	cfg[0x34] = 0x50;
	cfg[0x50] = 0x05;
	cfg[0x51] = 0x60;
	cfg[0x52] = msi ? 0x01 : 0x00;
	put32(cfg + 0x54, 0xfee03000); /* APIC ID 3 */
	cfg[0x60] = 0x11;
	cfg[0x61] = 0x00;
	cfg[0x62] = 0x02; /* 3 entries */
	cfg[0x63] = msix ? 0x80 : 0x00;
	put32(cfg + 0x64, 0x2000 | 4); /* BAR 4, offset 0x2000 */
}

START_TEST(tc_msi)
{
	uint8_t cfg[256], entry[16];
	struct mint_msi m;

	space(cfg, true, true);
	ck_assert_int_eq(mint_msi_parse(cfg, sizeof(cfg), &m), 0);
	ck_assert(m.msi_on);
	ck_assert_uint_eq(m.msi_dest, 3);
	ck_assert(m.msix_on);
	ck_assert(!m.msix_masked);
	ck_assert_uint_eq(m.msix_bir, 4);
	ck_assert_uint_eq(m.msix_offset, 0x2000);
	ck_assert_uint_eq(m.msix_entries, 3);
	space(cfg, false, false);
	ck_assert_int_eq(mint_msi_parse(cfg, sizeof(cfg), &m), 0);
	ck_assert(!m.msi_on && !m.msix_on);
	/* a list that loops, or leaves the space, or a short space */
	space(cfg, true, true);
	cfg[0x61] = 0x50;
	ck_assert_int_eq(mint_msi_parse(cfg, sizeof(cfg), &m), -EINVAL);
	space(cfg, true, true);
	cfg[0x61] = 0xfc;
	ck_assert_int_eq(mint_msi_parse(cfg, sizeof(cfg), &m), -EINVAL);
	ck_assert_int_eq(mint_msi_parse(cfg, 64, &m), -EINVAL);
	/* no capability list at all */
	space(cfg, true, true);
	cfg[0x06] = 0;
	ck_assert_int_eq(mint_msi_parse(cfg, sizeof(cfg), &m), 0);
	ck_assert(!m.msi_on && !m.msix_on);

	memset(entry, 0, sizeof(entry));
	ck_assert_int_eq(mint_msix_dest(entry), -1); /* not programmed */
	put32(entry, 0xfee02000);
	ck_assert_int_eq(mint_msix_dest(entry), 2);
	entry[12] = 1; /* masked */
	ck_assert_int_eq(mint_msix_dest(entry), -1);
}
END_TEST

/* The iommu key: the partition's for every node, a node's own wins. */
START_TEST(tc_iommu_key)
{
	static const char conf[] = "[partition]\nversion = 1\niommu = off\n"
				   "[node a]\ncpus = 2\n"
				   "memory = 512M@0x28000000\nkernel = /k\n"
				   "[node b]\ncpus = 3\n"
				   "memory = 512M@0x48000000\nkernel = /k\n"
				   "iommu = required\n";
	static const char plain[] = "[partition]\nversion = 1\n";
	static const char bad_conf[] = "[partition]\nversion = 1\n"
				       "iommu = maybe\n";
	struct mint_config cfg;
	struct mint_diags d;

	mint_diags_init(&d);
	mint_config_init(&cfg);
	ck_assert_int_eq(mint_config_load(conf, strlen(conf), &cfg, &d), 0);
	ck_assert(cfg.part.iommu_off);
	ck_assert(cfg.nodes[0].iommu_off);
	ck_assert(!cfg.nodes[1].iommu_off);
	mint_config_free(&cfg);
	mint_config_init(&cfg);
	ck_assert_int_eq(mint_config_load(plain, strlen(plain), &cfg, &d), 0);
	ck_assert(!cfg.part.iommu_off); /* the default: required */
	mint_config_free(&cfg);
	mint_config_init(&cfg);
	ck_assert_int_eq(mint_config_load(bad_conf, strlen(bad_conf), &cfg, &d),
			 -EINVAL);
	ck_assert_uint_eq(d.nr, 1);
	ck_assert_ptr_nonnull(strstr(d.v[0].text, "not an IOMMU mode"));
	mint_config_free(&cfg);
	mint_diags_free(&d);
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

int main(void)
{
	Suite *s = suite_create("dma");
	TCase *tc = tcase_create("dma");
	SRunner *sr;
	int nf;

	tcase_add_test(tc, tc_parse_good);
	tcase_add_loop_test(tc, tc_parse_bad, 0, N(bad));
	tcase_add_test(tc, tc_expected);
	tcase_add_test(tc, tc_msi);
	tcase_add_test(tc, tc_iommu_key);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf ? EXIT_FAILURE : EXIT_SUCCESS;
}
