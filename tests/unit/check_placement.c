// SPDX-License-Identifier: GPL-2.0
/* Where moved VMs run (placement.c): the placement text, the capacity
 * check of mintctl migrate. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "placement.h"

/* node1: 2 CPUs, 640M; node2: 3 CPUs, 640M; node3: 1 CPU, no link */
static const char conf[] =
	"[partition]\nversion = 1\nname = p\naddress = 10.77.0.1/24\n"
	"[node node1]\ncpus = 1-2\nmemory = 640M@0x28000000\n"
	"link = 4M@0x78000000\naddress = 10.77.0.11/24\n"
	"kernel = /k\n"
	"[node node2]\ncpus = 3-5\nmemory = 640M@0x50000000\n"
	"link = 4M@0x78400000\naddress = 10.77.0.12/24\n"
	"kernel = /k\n"
	"[node node3]\ncpus = 6\nmemory = 256M@0x10000000\nkernel = /k\n"
	"[vm a]\nnode = node1\nmemory = 256M\nkernel = /g\ndisk = /dev/vda\n"
	"[vm b]\nnode = node2\nmemory = 256M\nkernel = /g\ndisk = /dev/vda\n"
	"[vm c]\nnode = node2\nmemory = 128M\nvcpus = 2\nkernel = /g\n"
	"[vm d]\nnode = node1\nmemory = 192M\nkernel = /g\nnet = mint\n"
	"address = 10.77.0.21/24\n";

static struct mint_config cfg;

static void setup(void)
{
	struct mint_diags d;

	mint_diags_init(&d);
	mint_config_init(&cfg);
	ck_assert_int_eq(mint_config_load(conf, strlen(conf), &cfg, &d), 0);
	mint_diags_free(&d);
}

static void teardown(void)
{
	mint_config_free(&cfg);
}

static const struct mint_vm *vm(const char *name)
{
	for (unsigned int i = 0; i < cfg.nr_vms; i++)
		if (!strcmp(cfg.vms[i].name, name))
			return &cfg.vms[i];
	ck_abort_msg("no vm %s", name);
	return NULL;
}

START_TEST(where_default_and_moved)
{
	char at[MINT_NAME_MAX + 1];

	mint_placement_where(&cfg, NULL, vm("a"), at);
	ck_assert_str_eq(at, "node1");
	mint_placement_where(&cfg, "a node2 node1\n", vm("a"), at);
	ck_assert_str_eq(at, "node2");
	/* the last line wins; blanks and a missing newline are fine */
	mint_placement_where(&cfg, "a node2 node1\n  a\tnode3 node1", vm("a"),
			     at);
	ck_assert_str_eq(at, "node3");
	/* a line of another VM, another home or an unknown node: ignored */
	mint_placement_where(&cfg, "b node1 node2\n", vm("a"), at);
	ck_assert_str_eq(at, "node1");
	mint_placement_where(&cfg, "a node2 node2\n", vm("a"), at);
	ck_assert_str_eq(at, "node1");
	mint_placement_where(&cfg, "a node9 node1\n", vm("a"), at);
	ck_assert_str_eq(at, "node1");
	mint_placement_where(&cfg, "a node2\na node2 node1 x\n", vm("a"), at);
	ck_assert_str_eq(at, "node1");
	mint_placement_where(&cfg, "a Node2 node1\n", vm("a"), at);
	ck_assert_str_eq(at, "node1");
}
END_TEST

START_TEST(set_moves_and_returns)
{
	char out[256];

	ck_assert_int_eq(
		mint_placement_set("", "a", "node2", "node1", out, sizeof(out)),
		0);
	ck_assert_str_eq(out, "a node2 node1\n");
	ck_assert_int_eq(mint_placement_set("b node1 node2\na node2 node1\n",
					    "a", "node3", "node1", out,
					    sizeof(out)),
			 0);
	ck_assert_str_eq(out, "b node1 node2\na node3 node1\n");
	/* back home: no line */
	ck_assert_int_eq(mint_placement_set("a node2 node1\nb node1 node2", "a",
					    "node1", "node1", out, sizeof(out)),
			 0);
	ck_assert_str_eq(out, "b node1 node2\n");
	/* malformed lines go */
	ck_assert_int_eq(mint_placement_set("junk\n\nx y z w\n", "a", "node2",
					    "node1", out, sizeof(out)),
			 0);
	ck_assert_str_eq(out, "a node2 node1\n");
	ck_assert_int_eq(
		mint_placement_set(NULL, "a", "node2", "node1", out, 8), -1);
	ck_assert_int_eq(mint_placement_set("b node1 node2\n", "a", "node1",
					    "node1", out, 10),
			 -1);
}
END_TEST

START_TEST(fits_and_refusals)
{
	char why[256];

	/* node2 holds b 256M (c moved away) + d 192M + 128M kept */
	ck_assert_int_eq(mint_migrate_fits(&cfg, "c node1 node2\n", vm("d"), 1,
					   why, sizeof(why)),
			 0);
	/* already there */
	ck_assert_int_eq(
		mint_migrate_fits(&cfg, NULL, vm("a"), 0, why, sizeof(why)),
		-1);
	ck_assert_str_eq(why, "vm 'a' runs on node1 already");
	ck_assert_int_eq(mint_migrate_fits(&cfg, "a node2 node1\n", vm("a"), 1,
					   why, sizeof(why)),
			 -1);
	ck_assert_str_eq(why, "vm 'a' runs on node2 already");
	/* vCPUs */
	ck_assert_int_eq(
		mint_migrate_fits(&cfg, NULL, vm("c"), 2, why, sizeof(why)),
		-1);
	ck_assert_str_eq(why, "node3 has 1 CPU, vm 'c' needs 2");
	/* no link */
	ck_assert_int_eq(
		mint_migrate_fits(&cfg, NULL, vm("d"), 2, why, sizeof(why)),
		-1);
	ck_assert_ptr_nonnull(strstr(why, "node3 has no link"));
	/* the same disk path on the target */
	ck_assert_int_eq(
		mint_migrate_fits(&cfg, NULL, vm("a"), 1, why, sizeof(why)),
		-1);
	ck_assert_str_eq(why, "vm 'b' on node2 has the same disk /dev/vda; "
			      "two VMs writing one disk corrupt it");
	/* RAM: node2 640M holds b 256M + c 128M; a (256M) + 128M kept: no */
	ck_assert_int_eq(mint_migrate_fits(&cfg, "b node1 node2\n", vm("a"), 1,
					   why, sizeof(why)),
			 0);
	ck_assert_int_eq(mint_migrate_fits(&cfg, "d node2 node1\n", vm("a"), 1,
					   why, sizeof(why)),
			 -1);
	ck_assert_str_eq(why, "vm 'b' on node2 has the same disk /dev/vda; "
			      "two VMs writing one disk corrupt it");
}
END_TEST

START_TEST(fits_ram)
{
	char why[256];

	/* node1 640M holds a 256M + d 192M; c (128M) makes 576M, which fits
	 * only without the 128M a node keeps for itself */
	ck_assert_int_eq(
		mint_migrate_fits(&cfg, NULL, vm("c"), 0, why, sizeof(why)),
		-1);
	ck_assert_str_eq(why, "node1 has 640M of RAM; its VMs would need 576M "
			      "with vm 'c', and the node keeps 128M for "
			      "itself");
	/* a VM moved away frees its share: a gone, d 192M + c 128M */
	ck_assert_int_eq(mint_migrate_fits(&cfg, "a node2 node1\n", vm("c"), 0,
					   why, sizeof(why)),
			 0);
	/* and one moved in takes it: b 256M there too */
	ck_assert_int_eq(mint_migrate_fits(&cfg,
					   "b node1 node2\na node2 node1\n",
					   vm("c"), 0, why, sizeof(why)),
			 -1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("placement");
	TCase *tc = tcase_create("placement");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, where_default_and_moved);
	tcase_add_test(tc, set_moves_and_returns);
	tcase_add_test(tc, fits_and_refusals);
	tcase_add_test(tc, fits_ram);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
