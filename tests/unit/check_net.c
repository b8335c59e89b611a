// SPDX-License-Identifier: GPL-2.0
/*
 * The links: IPv4 addresses, the link keys and their checks, show --link,
 * bootargs and the VM lines with links, the link file (check_rtnl.c: the
 * rtnetlink requests).
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "linkfile.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
	const char *in;
	int ret;
	uint32_t addr;
	unsigned int prefix;
	const char *why; /* a piece of the reason */
} ipv4_cases[] = {
	{ "10.0.0.2/24", 0, 0x0a000002, 24, NULL },
	{ "192.168.77.254/24", 0, 0xc0a84dfe, 24, NULL },
	{ "172.16.0.1/12", 0, 0xac100001, 12, NULL },
	{ "10.0.0.1/8", 0, 0x0a000001, 8, NULL },
	{ "10.0.0.1/30", 0, 0x0a000001, 30, NULL },
	{ "100.64.0.0/9", 0, 0x64400000, 9, NULL }, /* host part not 0 */
	{ "1.0.0.1/1", 0, 0x01000001, 1, NULL },
	{ "223.255.255.254/24", 0, 0xdffffffe, 24, NULL },
	{ "256.0.0.1/24", -ERANGE, 0, 0,
	  "'256' in '256.0.0.1/24' is above 255" },
	{ "10.0.0.1000/24", -ERANGE, 0, 0, "is above 255" },
	{ "10.0.0.2/33", -ERANGE, 0, 0, "prefix /33" },
	{ "10.0.0.2/0", -ERANGE, 0, 0, "prefix /0" },
	{ "10.0.0.2/31", -ERANGE, 0, 0, "a /31 network leaves no room" },
	{ "10.0.0.2/32", -ERANGE, 0, 0, "a /32 network" },
	{ "10.0.0.2", -EINVAL, 0, 0, "has no prefix length" },
	{ "10.0.0.2/", -EINVAL, 0, 0, "is not a prefix length" },
	{ "10.0.0.2/24x", -EINVAL, 0, 0, "prefix '/24x'" },
	{ "10.0.0.2/024", -EINVAL, 0, 0, "prefix '/024'" },
	{ "10.0.0.2/+24", -EINVAL, 0, 0, "is not a prefix length" },
	{ "10.0.0.2x/24", -EINVAL, 0, 0, "'2x' in '10.0.0.2x/24'" },
	{ "10.0.0.2 /24", -EINVAL, 0, 0, "is not a decimal number" },
	{ "010.0.0.2/24", -EINVAL, 0, 0,
	  "'010' in '010.0.0.2/24' has a leading zero" },
	{ "10.00.0.2/24", -EINVAL, 0, 0, "leading zero" },
	{ "10.0.0/24", -EINVAL, 0, 0, "is not an IPv4 address" },
	{ "10.0.0.0.2/24", -EINVAL, 0, 0, "'0.2' in" },
	{ "10..0.2/24", -EINVAL, 0, 0, "is not an IPv4 address" },
	{ "0x0a.0.0.2/24", -EINVAL, 0, 0, "is not a decimal number" },
	{ "/24", -EINVAL, 0, 0, "is not an IPv4 address" },
	{ "10.0.0.0/24", -EINVAL, 0, 0,
	  "the address of the network 10.0.0.0/24 itself" },
	{ "10.0.0.255/24", -EINVAL, 0, 0,
	  "the broadcast address of the network 10.0.0.0/24" },
	{ "127.0.0.1/8", -EINVAL, 0, 0, "loopback" },
	{ "0.1.2.3/8", -EINVAL, 0, 0, "0.0.0.0/8" },
	{ "224.0.0.1/24", -EINVAL, 0, 0, "multicast" },
};

START_TEST(tc_ipv4_parse)
{
	struct mint_ipv4 a = { 7, 7 };
	char why[256] = "";
	int ret = mint_ipv4_parse(ipv4_cases[_i].in, &a, why, sizeof(why));

	ck_assert_msg(ret == ipv4_cases[_i].ret, "'%s': ret %d, want %d (%s)",
		      ipv4_cases[_i].in, ret, ipv4_cases[_i].ret, why);
	if (!ret) {
		ck_assert_uint_eq(a.addr, ipv4_cases[_i].addr);
		ck_assert_uint_eq(a.prefix, ipv4_cases[_i].prefix);
		return;
	}
	ck_assert_uint_eq(a.addr, 7); /* untouched on failure */
	ck_assert_msg(strstr(why, ipv4_cases[_i].why),
		      "'%s': why '%s' lacks '%s'", ipv4_cases[_i].in, why,
		      ipv4_cases[_i].why);
	ck_assert_msg(strchr(why, ';'), "'%s': why '%s' lacks a hint",
		      ipv4_cases[_i].in, why);
}
END_TEST

START_TEST(tc_ipv4_format)
{
	struct mint_ipv4 a = { 0xc0a84dfe, 24 }, n = { 0xc0a84d00, 24 };
	struct mint_ipv4 o = { 0xc0a84e01, 24 }, w = { 0xc0a84e01, 16 };
	char text[32];

	mint_ipv4_format(&a, true, text, sizeof(text));
	ck_assert_str_eq(text, "192.168.77.254/24");
	mint_ipv4_format(&a, false, text, sizeof(text));
	ck_assert_str_eq(text, "192.168.77.254");
	ck_assert_uint_eq(mint_ipv4_mask(24), 0xffffff00);
	ck_assert_uint_eq(mint_ipv4_mask(1), 0x80000000);
	ck_assert_uint_eq(mint_ipv4_mask(32), 0xffffffff);
	ck_assert_uint_eq(mint_ipv4_mask(0), 0);
	ck_assert(mint_ipv4_in_subnet(&a, &n));
	ck_assert(!mint_ipv4_in_subnet(&o, &n));
	ck_assert(mint_ipv4_in_subnet(&a, &w));
}
END_TEST

static const char links[] =
	"[partition]\nversion = 1\naddress = 10.0.0.1/24\n"
	"[node node1]\ncpus = 2\nmemory = 640M@0x28000000\n"
	"link = 2M @ 0x88000000\naddress = 10.0.0.2/24\nkernel = /k\n"
	"[node node2]\ncpus = 3\nmemory = 640M@0x50000000\n"
	"link = 64M@0x100000000\nkernel = /k\n"
	"[node node3]\ncpus = 4\nmemory = 256M@0x78000000\nkernel = /k\n"
	"[vm g1]\nnode = node1\nkernel = /v\nnet = mint\n"
	"address = 10.0.0.21/24\n"
	"[vm g0]\nnode = node0\nkernel = /v\nnet = mint\n"
	"[vm g3]\nnode = node3\nkernel = /v\nmemory = 64M\n";

static void load(const char *text, struct mint_config *cfg)
{
	struct mint_diags d;

	mint_diags_init(&d);
	mint_config_init(cfg);
	ck_assert_int_eq(mint_config_load(text, strlen(text), cfg, &d), 0);
	mint_diags_free(&d);
}

START_TEST(tc_link_keys)
{
	struct mint_config cfg;

	load(links, &cfg);
	ck_assert_uint_eq(cfg.part.address.addr, 0x0a000001);
	ck_assert_uint_eq(cfg.nodes[0].link.base, 0x88000000);
	ck_assert_uint_eq(cfg.nodes[0].link.size, 2 << 20);
	ck_assert_uint_eq(cfg.nodes[0].link.line, 7);
	ck_assert_uint_eq(cfg.nodes[0].address.addr, 0x0a000002);
	ck_assert_uint_eq(cfg.nodes[1].link.base, 0x100000000ULL);
	ck_assert_uint_eq(cfg.nodes[1].link.size, 64 << 20);
	ck_assert_uint_eq(cfg.nodes[1].address.prefix, 0);
	ck_assert_uint_eq(cfg.nodes[2].link.size, 0);
	ck_assert(cfg.vms[0].net_mint && cfg.vms[1].net_mint);
	ck_assert(!cfg.vms[2].net_mint);
	ck_assert_uint_eq(cfg.vms[0].address.addr, 0x0a000015);
	ck_assert(mint_config_has_bridge(&cfg));
	mint_config_free(&cfg);
}
END_TEST

static const struct {
	const char *node;
	const char *line;
} link_lines[] = {
	{ "node1", "ifname=mint0 address=10.0.0.2/24 node0=10.0.0.1\n" },
	{ "node2", "ifname=mint0 node0=10.0.0.1\n" },
	{ "node3", "" },
	{ "node0", "ifname=mintbr0 address=10.0.0.1/24\n" },
};

START_TEST(tc_link_line)
{
	struct mint_config cfg;
	struct mint_buf b;

	load(links, &cfg);
	mint_buf_init(&b);
	ck_assert_int_eq(mint_config_link_line(&cfg, link_lines[_i].node, &b),
			 0);
	ck_assert_str_eq(b.data ? b.data : "", link_lines[_i].line);
	ck_assert_int_eq(mint_config_link_line(&cfg, "nodex", &b), -ENOENT);
	mint_buf_free(&b);
	mint_config_free(&cfg);
}
END_TEST

/* Without [partition] address: no node0= pair; node0 has the bridge as
 * long as a node has a link, without an address; none without links. */
START_TEST(tc_link_line_no_node0_address)
{
	static const char one[] = "[partition]\nversion = 1\n"
				  "[node n1]\ncpus = 2\n"
				  "memory = 640M@0x28000000\nkernel = /k\n"
				  "link = 2M@0x7fc00000\n"
				  "address = 192.168.7.2/24\n";
	static const char none[] = "[partition]\nversion = 1\n"
				   "[node n1]\ncpus = 2\n"
				   "memory = 640M@0x28000000\nkernel = /k\n";
	struct mint_config cfg;
	struct mint_buf b;

	load(one, &cfg);
	mint_buf_init(&b);
	mint_config_link_line(&cfg, "n1", &b);
	mint_config_link_line(&cfg, "node0", &b);
	ck_assert_str_eq(
		b.data,
		"ifname=mint0 address=192.168.7.2/24\nifname=mintbr0\n");
	mint_buf_free(&b);
	mint_config_free(&cfg);
	load(none, &cfg);
	ck_assert(!mint_config_has_bridge(&cfg));
	mint_buf_init(&b);
	mint_config_link_line(&cfg, "node0", &b);
	mint_config_link_line(&cfg, "n1", &b);
	ck_assert_ptr_null(b.data);
	mint_buf_free(&b);
	mint_config_free(&cfg);
}
END_TEST

START_TEST(tc_link_bootargs_and_vms)
{
	struct mint_config cfg;
	struct mint_buf b;

	load(links, &cfg);
	mint_buf_init(&b);
	ck_assert_int_eq(mint_bootargs(&cfg, MINT_BOOTARGS_PLAIN, &b), 0);
	ck_assert_str_eq(b.data, "memmap=640M$0x28000000 memmap=2M$0x88000000 "
				 "memmap=640M$0x50000000 "
				 "memmap=64M$0x100000000 "
				 "memmap=256M$0x78000000 memmap=256K$0x10000 "
				 "no_ipi_broadcast=1\n");
	mint_buf_free(&b);
	mint_buf_init(&b);
	ck_assert_int_eq(mint_config_vms_shell(&cfg, "node1", &b), 0);
	ck_assert_msg(strstr(b.data, " avoid_cpus='' net='mint' "
				     "address='10.0.0.21/24'\n"),
		      "%s", b.data);
	mint_buf_free(&b);
	mint_buf_init(&b);
	ck_assert_int_eq(mint_config_vms_shell(&cfg, "node3", &b), 0);
	ck_assert_msg(strstr(b.data, " net='none' address=''\n"), "%s", b.data);
	mint_buf_free(&b);
	mint_config_free(&cfg);
}
END_TEST

/* The checks across nodes: one error each, on the later line. */
static const struct {
	const char *extra; /* appended to links */
	const char *want;
} net_errors[] = {
	{ "[node n4]\ncpus = 5\nmemory = 256M@0xa0000000\nkernel = /k\n"
	  "link = 2M@0x88000000\n",
	  ":36: node 'n4': link: 2M@0x88000000 overlaps the link 2M@0x88000000 "
	  "of node 'node1' (line 7); give each link its own region" },
	{ "[node n4]\ncpus = 5\nmemory = 256M@0xa0000000\nkernel = /k\n"
	  "link = 4M@0x50000000\n",
	  ":36: node 'n4': link: 4M@0x50000000 overlaps memory 640M@0x50000000 "
	  "of node 'node2' (line 12); place the link outside every node's "
	  "RAM" },
	{ "[node n4]\ncpus = 5\nmemory = 256M@0xa0000000\nkernel = /k\n"
	  "link = 2M@0xafe00000\n",
	  ":36: node 'n4': link: 2M@0xafe00000 overlaps the node's own memory "
	  "256M@0xa0000000 (line 34); place the link outside its RAM" },
	{ "[node n4]\ncpus = 5\nmemory = 256M@0xa0000000\nkernel = /k\n"
	  "address = 10.0.0.9/24\n",
	  ":36: node 'n4': address: an address needs a link to be on" },
	{ "[node n4]\ncpus = 5\nmemory = 256M@0xa0000000\nkernel = /k\n"
	  "link = 2M@0x90000000\naddress = 10.0.0.21/24\n",
	  ":37: node 'n4': address: 10.0.0.21 is already the address of vm "
	  "'g1' (line 23); give each its own address" },
	{ "[node n4]\ncpus = 5\nmemory = 256M@0xa0000000\nkernel = /k\n"
	  "link = 2M@0x90000000\naddress = 10.0.1.9/24\n",
	  ":37: node 'n4': address: 10.0.1.9/24 is not in node0's network "
	  "10.0.0.0/24 ([partition] address, line 3); give an address in it" },
	{ "[vm g4]\nnode = node3\nkernel = /v\nmemory = 16M\nnet = mint\n",
	  ":36: vm 'g4': net: node 'node3' has no link for the VM to join" },
	{ "[vm g4]\nnode = node2\nkernel = /v\naddress = 10.0.0.44/24\n",
	  ":35: vm 'g4': address: an address needs 'net = mint'" },
	{ "[vm g4]\nnode = node2\nkernel = /v\nnet = mint\n"
	  "address = 10.0.0.44/16\n",
	  ":36: vm 'g4': address: 10.0.0.44/16 has another prefix than node0's "
	  "network 10.0.0.0/24 ([partition] address, line 3); write /24" },
	{ "[vm g4]\nnode = node0\nkernel = /v\nnet = mint\n"
	  "address = 10.0.0.1/24\n",
	  ":36: vm 'g4': address: 10.0.0.1 is already the address of node0 "
	  "([partition]) (line 3); give each its own address" },
};

START_TEST(tc_net_errors)
{
	char text[2048];
	struct mint_config cfg;
	struct mint_diags d;
	struct mint_buf b;

	snprintf(text, sizeof(text), "%s%s", links, net_errors[_i].extra);
	mint_diags_init(&d);
	mint_config_init(&cfg);
	ck_assert_int_eq(mint_config_load(text, strlen(text), &cfg, &d),
			 -EINVAL);
	ck_assert_uint_eq(mint_diags_count(&d), 1);
	mint_buf_init(&b);
	mint_diag_format(&d.v[0], "f", &b);
	ck_assert_msg(strstr(b.data, net_errors[_i].want),
		      "got '%s', want '%s'", b.data, net_errors[_i].want);
	mint_buf_free(&b);
	mint_diags_free(&d);
	mint_config_free(&cfg);
}
END_TEST

/* ---- the link file ---------------------------------------------------- */

START_TEST(tc_link_file)
{
	static const char text[] = "ifname mint-node1\n"
				   "region 0x7fc00000 0x200000\n"
				   "state waiting\nepoch 3\nresets 2\n"
				   "errors 1\nmissed-kicks 7\n"
				   "future-record 1 2 3\n";
	struct mint_link_file l;
	char why[128];

	ck_assert_int_eq(mint_link_parse(text, &l, why, sizeof(why)), 0);
	ck_assert_str_eq(l.ifname, "mint-node1");
	ck_assert(l.has_region);
	ck_assert_uint_eq(l.base, 0x7fc00000);
	ck_assert_uint_eq(l.size, 0x200000);
	ck_assert_str_eq(l.state, "waiting");
	ck_assert_uint_eq(l.epoch, 3);
	ck_assert_uint_eq(l.resets, 2);
	ck_assert_uint_eq(l.errors, 1);
	ck_assert_uint_eq(l.missed_kicks, 7);
	ck_assert(mint_link_present(&l));
	ck_assert_int_eq(mint_link_parse("state none\n", &l, NULL, 0), 0);
	ck_assert(!mint_link_present(&l));
	/* state none is no link, whatever else the file says */
	ck_assert_int_eq(mint_link_parse("ifname mint-node1\n"
					 "region 0x88000000 0x200000\n"
					 "state none\n",
					 &l, NULL, 0),
			 0);
	ck_assert(!mint_link_present(&l));
	ck_assert_int_eq(mint_link_parse("", &l, NULL, 0), 0);
	ck_assert(!mint_link_present(&l));
}
END_TEST

static const char *const bad_link_files[] = {
	"state sleepy\n",    "state\n",
	"ifname a/b\n",	     "ifname 0123456789abcdef\n",
	"ifname a b\n",	     "region 0x1000\n",
	"region 0x1000 x\n", "epoch -1\n",
	"resets\n",
};

START_TEST(tc_link_file_bad)
{
	struct mint_link_file l;
	char why[128] = "";

	ck_assert_int_eq(
		mint_link_parse(bad_link_files[_i], &l, why, sizeof(why)),
		-EINVAL);
	ck_assert_msg(strstr(why, "is not a record of the link file"), "%s",
		      why);
}
END_TEST

START_TEST(tc_ifname_valid)
{
	ck_assert(mint_ifname_valid("mint-node1"));
	ck_assert(mint_ifname_valid("mint-id7"));
	ck_assert(mint_ifname_valid("0123456789abcde"));
	ck_assert(!mint_ifname_valid("0123456789abcdef"));
	ck_assert(!mint_ifname_valid(""));
	ck_assert(!mint_ifname_valid(".."));
	ck_assert(!mint_ifname_valid("a:1"));
	ck_assert(!mint_ifname_valid("a\tb"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("net");
	TCase *tc = tcase_create("net");
	SRunner *sr;
	int failed;

	tcase_add_loop_test(tc, tc_ipv4_parse, 0, N(ipv4_cases));
	tcase_add_test(tc, tc_ipv4_format);
	tcase_add_test(tc, tc_link_keys);
	tcase_add_loop_test(tc, tc_link_line, 0, N(link_lines));
	tcase_add_test(tc, tc_link_line_no_node0_address);
	tcase_add_test(tc, tc_link_bootargs_and_vms);
	tcase_add_loop_test(tc, tc_net_errors, 0, N(net_errors));
	tcase_add_test(tc, tc_link_file);
	tcase_add_loop_test(tc, tc_link_file_bad, 0, N(bad_link_files));
	tcase_add_test(tc, tc_ifname_valid);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
