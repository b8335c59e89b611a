// SPDX-License-Identifier: GPL-2.0
/*
 * The rtnetlink requests that put a link's device into node0's bridge:
 * libmint's builders byte for byte and its parser of the kernel's answers;
 * then mintctl's rtnl_io.c against the running kernel, in a network
 * namespace of the test's own (veth devices stand in for the links').
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

/* mintctl is not a library: its netlink I/O is compiled in here */
#include "../../partitioner/mintctl/rtnl_io.c"

static void assert_bytes(const unsigned char *got, size_t len,
			 const unsigned char *want, size_t wlen)
{
	size_t i;

	ck_assert_uint_eq(len, wlen);
	for (i = 0; i < len; i++)
		ck_assert_msg(got[i] == want[i],
			      "byte %zu is 0x%02x, want 0x%02x", i, got[i],
			      want[i]);
}

START_TEST(tc_getlink)
{
	/* clang-format off */
	static const unsigned char want[] = {
		0x2c, 0, 0, 0, 0x12, 0, 0x01, 0, 1, 0, 0, 0, 0, 0, 0, 0, /* hdr */
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* ifinfomsg */
		0x0c, 0, 0x03, 0, 'm', 'i', 'n', 't', 'b', 'r', '0', 0,
	};
	/* clang-format on */
	unsigned char buf[MINT_RTNL_BUF];

	assert_bytes(buf, mint_rtnl_getlink(buf, sizeof(buf), 1, "mintbr0"),
		     want, sizeof(want));
	ck_assert_uint_eq(mint_rtnl_getlink(buf, 43, 1, "mintbr0"), 0);
	ck_assert_uint_eq(mint_rtnl_getlink(buf, sizeof(buf), 1, ""), 0);
	ck_assert_uint_eq(
		mint_rtnl_getlink(buf, sizeof(buf), 1, "0123456789abcdef"), 0);
}
END_TEST

START_TEST(tc_newbridge)
{
	/* clang-format off */
	static const unsigned char want[] = {
		/* NLM_F_REQUEST | NLM_F_ACK | NLM_F_EXCL | NLM_F_CREATE */
		0x3c, 0, 0, 0, 0x10, 0, 0x05, 0x06, 2, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0x0c, 0, 0x03, 0, 'm', 'i', 'n', 't', 'b', 'r', '0', 0,
		0x10, 0, 0x12, 0, /* IFLA_LINKINFO */
		0x0a, 0, 0x01, 0, 'b', 'r', 'i', 'd', 'g', 'e', 0, 0,
	};
	/* clang-format on */
	unsigned char buf[MINT_RTNL_BUF];

	assert_bytes(buf, mint_rtnl_newbridge(buf, sizeof(buf), 2, "mintbr0"),
		     want, sizeof(want));
	ck_assert_uint_eq(mint_rtnl_newbridge(buf, 59, 2, "mintbr0"), 0);
}
END_TEST

START_TEST(tc_setlink)
{
	/* clang-format off */
	static const unsigned char mtu_up[] = {
		0x28, 0, 0, 0, 0x10, 0, 0x05, 0, 3, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 4, 0, 0, 0, 0x01, 0, 0, 0, 0x01, 0, 0, 0,
		0x08, 0, 0x04, 0, 0x00, 0xff, 0, 0, /* IFLA_MTU 65280 */
	};
	/* clang-format on */
	/* clang-format off */
	static const unsigned char master[] = {
		0x28, 0, 0, 0, 0x10, 0, 0x05, 0, 4, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0x08, 0, 0x0a, 0, 0x04, 0, 0, 0, /* IFLA_MASTER 4 */
	};
	/* clang-format on */
	struct mint_rtnl_set a = { .mtu = 65280, .up = true },
			     b = { .master = 4 };
	unsigned char buf[MINT_RTNL_BUF];

	assert_bytes(buf, mint_rtnl_setlink(buf, sizeof(buf), 3, 4, &a), mtu_up,
		     sizeof(mtu_up));
	assert_bytes(buf, mint_rtnl_setlink(buf, sizeof(buf), 4, 3, &b), master,
		     sizeof(master));
	ck_assert_uint_eq(mint_rtnl_setlink(buf, sizeof(buf), 4, 0, &b), 0);
}
END_TEST

START_TEST(tc_newaddr)
{
	/* clang-format off */
	static const unsigned char want[] = {
		0x30, 0, 0, 0, 0x14, 0, 0x05, 0x06, 5, 0, 0, 0, 0, 0, 0, 0,
		0x02, 24, 0, 0, 4, 0, 0, 0, /* AF_INET, /24, index 4 */
		0x08, 0, 0x02, 0, 10, 0, 0, 1, /* IFA_LOCAL */
		0x08, 0, 0x01, 0, 10, 0, 0, 1, /* IFA_ADDRESS */
		0x08, 0, 0x04, 0, 10, 0, 0, 255, /* IFA_BROADCAST */
	};
	/* clang-format on */
	struct mint_ipv4 a = { 0x0a000001, 24 }, none = { 0x0a000001, 0 };
	unsigned char buf[MINT_RTNL_BUF];

	assert_bytes(buf, mint_rtnl_newaddr(buf, sizeof(buf), 5, 4, &a), want,
		     sizeof(want));
	ck_assert_uint_eq(mint_rtnl_newaddr(buf, sizeof(buf), 5, 4, &none), 0);
}
END_TEST

/* An answer as the kernel sends it: a header, then @body. */
static size_t answer(unsigned char *buf, uint16_t type, uint32_t seq,
		     const void *body, size_t n)
{
	struct nlmsghdr h = { .nlmsg_len = (uint32_t)(sizeof(h) + n),
			      .nlmsg_type = type,
			      .nlmsg_seq = seq };

	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), body, n);
	return NLMSG_ALIGN(sizeof(h) + n);
}

START_TEST(tc_answer_ack_error)
{
	unsigned char buf[256];
	int32_t err[5] = { 0 }; /* error, then the request's header */
	size_t n;

	n = answer(buf, NLMSG_ERROR, 7, err, sizeof(err));
	ck_assert_int_eq(mint_rtnl_answer(buf, n, 7, NULL), 0);
	ck_assert_int_eq(mint_rtnl_answer(buf, n, 8, NULL), -EBADMSG);
	ck_assert_int_eq(mint_rtnl_answer(buf, n - 1, 7, NULL), -EBADMSG);
	err[0] = -EPERM;
	n = answer(buf, NLMSG_ERROR, 7, err, sizeof(err));
	ck_assert_int_eq(mint_rtnl_answer(buf, n, 7, NULL), -EPERM);
	err[0] = 5; /* not an errno the kernel sends */
	n = answer(buf, NLMSG_ERROR, 7, err, sizeof(err));
	ck_assert_int_eq(mint_rtnl_answer(buf, n, 7, NULL), -EBADMSG);
	/* a message of another request first, then ours */
	err[0] = -EEXIST;
	n = answer(buf, NLMSG_ERROR, 6, err, sizeof(err));
	err[0] = -ENODEV;
	n += answer(buf + n, NLMSG_ERROR, 7, err, sizeof(err));
	ck_assert_int_eq(mint_rtnl_answer(buf, n, 7, NULL), -ENODEV);
	ck_assert_int_eq(mint_rtnl_answer(buf, 0, 7, NULL), -EBADMSG);
}
END_TEST

START_TEST(tc_answer_link)
{
	/* clang-format off */
	static const unsigned char body[] = {
		0, 0, 1, 0, 7, 0, 0, 0, 0x43, 0x10, 0, 0, 0, 0, 0, 0,
		0x08, 0, 0x03, 0, 'v', '0', 0, 0, /* IFLA_IFNAME */
		0x08, 0, 0x04, 0, 0xdc, 0x05, 0, 0, /* IFLA_MTU 1500 */
		0x08, 0, 0x0a, 0, 3, 0, 0, 0, /* IFLA_MASTER 3 */
		0x10, 0, 0x12, 0, /* IFLA_LINKINFO */
		0x0a, 0, 0x01, 0, 'b', 'r', 'i', 'd', 'g', 'e', 0, 0,
	};
	/* clang-format on */
	unsigned char buf[256], bad[sizeof(body)];
	struct mint_rtnl_link l;
	size_t n;

	n = answer(buf, RTM_NEWLINK, 9, body, sizeof(body));
	ck_assert_int_eq(mint_rtnl_answer(buf, n, 9, &l), 0);
	ck_assert_int_eq(l.index, 7);
	ck_assert_uint_eq(l.flags, 0x1043);
	ck_assert_uint_eq(l.mtu, 1500);
	ck_assert_uint_eq(l.master, 3);
	ck_assert_str_eq(l.kind, "bridge");
	/* without @link, a RTM_NEWLINK is not the answer */
	ck_assert_int_eq(mint_rtnl_answer(buf, n, 9, NULL), -EBADMSG);
	/* an attribute longer than the message */
	memcpy(bad, body, sizeof(body));
	bad[24] = 0x40;
	n = answer(buf, RTM_NEWLINK, 9, bad, sizeof(bad));
	ck_assert_int_eq(mint_rtnl_answer(buf, n, 9, &l), -EBADMSG);
	/* shorter than its ifinfomsg */
	n = answer(buf, RTM_NEWLINK, 9, body, 8);
	ck_assert_int_eq(mint_rtnl_answer(buf, n, 9, &l), -EBADMSG);
}
END_TEST

/* ---- against the running kernel, in a network namespace of our own ---- */

static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	ck_assert_msg(fd >= 0, "%s: %s", path, strerror(errno));
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

/* A network namespace (and, without root, a user namespace where the
 * test is root) for this test's process, with two veth pairs:
 * mint-node1/peer1 and mint-node2/peer2. */
static void netns(void)
{
	uid_t uid = getuid();
	gid_t gid = getgid();
	char map[64];

	if (unshare(CLONE_NEWNET)) {
		ck_assert_msg(!unshare(CLONE_NEWUSER | CLONE_NEWNET),
			      "cannot create a network namespace: %s; run as "
			      "root or allow user namespaces",
			      strerror(errno));
		write_file("/proc/self/setgroups", "deny");
		snprintf(map, sizeof(map), "0 %u 1", (unsigned int)uid);
		write_file("/proc/self/uid_map", map);
		snprintf(map, sizeof(map), "0 %u 1", (unsigned int)gid);
		write_file("/proc/self/gid_map", map);
	}
	ck_assert_msg(!system("ip link add mint-node1 type veth peer name "
			      "peer1 && ip link add mint-node2 type veth peer "
			      "name peer2"),
		      "ip link add ... type veth failed");
}

START_TEST(tc_bridge_port)
{
	struct mint_ipv4 addr = { 0x0a000001, 24 };
	struct mint_rtnl_link br, dev, peer;
	struct mint_rtnl_set set;
	struct rtnl r;
	char why[256] = "";
	int ret;

	netns();
	ck_assert_int_eq(rtnl_open(&r), 0);
	ret = rtnl_bridge_port(&r, "mintbr0", &addr, "mint-node1", 65280, why,
			       sizeof(why));
	if (ret == -EOPNOTSUPP) { /* a kernel without bridges: the message */
		ck_assert_str_eq(why,
				 "cannot create bridge mintbr0: Operation not "
				 "supported (node0's kernel has no bridge "
				 "support: CONFIG_BRIDGE)");
		return;
	}
	ck_assert_msg(!ret, "%s", why);
	ck_assert_int_eq(rtnl_get(&r, "mintbr0", &br), 0);
	ck_assert_str_eq(br.kind, "bridge");
	ck_assert_uint_eq(br.mtu, 65280);
	ck_assert(br.flags & IFF_UP);
	ck_assert_int_eq(rtnl_get(&r, "mint-node1", &dev), 0);
	ck_assert_uint_eq(dev.master, br.index);
	ck_assert_uint_eq(dev.mtu, 65280);
	ck_assert(dev.flags & IFF_UP);
	/* the address is there: adding it again is EEXIST */
	ck_assert_int_eq(rtnl_add_addr(&r, br.index, &addr), -EEXIST);
	/* a second run finds it done */
	ck_assert_int_eq(rtnl_bridge_port(&r, "mintbr0", &addr, "mint-node1",
					  65280, why, sizeof(why)),
			 0);
	/* a port of MTU 1500 joining does not shrink the bridge: its MTU
	 * was set, not inherited */
	ck_assert_int_eq(rtnl_get(&r, "peer2", &peer), 0);
	set = (struct mint_rtnl_set){ .master = (uint32_t)br.index };
	ck_assert_int_eq(rtnl_set(&r, peer.index, &set), 0);
	ck_assert_int_eq(rtnl_get(&r, "mintbr0", &br), 0);
	ck_assert_uint_eq(br.mtu, 65280);
	/* a second link, no address */
	ck_assert_int_eq(rtnl_bridge_port(&r, "mintbr0", NULL, "mint-node2",
					  65280, why, sizeof(why)),
			 0);
	ck_assert_int_eq(rtnl_get(&r, "mint-node2", &dev), 0);
	ck_assert_uint_eq(dev.master, br.index);
	rtnl_close(&r);
}
END_TEST

START_TEST(tc_bridge_port_errors)
{
	struct rtnl r;
	char why[256] = "";

	netns();
	ck_assert_int_eq(rtnl_open(&r), 0);
	ck_assert_int_eq(rtnl_bridge_port(&r, "mintbr0", NULL, "mint-node9",
					  65280, why, sizeof(why)),
			 -ENODEV);
	ck_assert_str_eq(why, "no network device mint-node9; node0's kernel "
			      "names it in the node's link file, but it is "
			      "gone");
	ck_assert_int_eq(rtnl_bridge_port(&r, "peer2", NULL, "mint-node1",
					  65280, why, sizeof(why)),
			 -EEXIST);
	ck_assert_str_eq(why, "peer2 exists and is not a bridge (veth "
			      "device); remove it (ip link del peer2), "
			      "mintctl creates the bridge");
	rtnl_close(&r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("rtnl");
	TCase *tc = tcase_create("rtnl");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, tc_getlink);
	tcase_add_test(tc, tc_newbridge);
	tcase_add_test(tc, tc_setlink);
	tcase_add_test(tc, tc_newaddr);
	tcase_add_test(tc, tc_answer_ack_error);
	tcase_add_test(tc, tc_answer_link);
	tcase_add_test(tc, tc_bridge_port);
	tcase_add_test(tc, tc_bridge_port_errors);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
