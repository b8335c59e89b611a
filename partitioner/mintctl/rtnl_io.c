// SPDX-License-Identifier: GPL-2.0
/*
 * rtnetlink to the running kernel: one request at a time on a
 * NETLINK_ROUTE socket, each answered before the next is sent.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <linux/if.h>
#include <linux/netlink.h>

#include "rtnl_io.h"

#define ANSWER_MAX 32768 /* a RTM_NEWLINK with every attribute fits */

int rtnl_open(struct rtnl *r)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct timeval tv = { .tv_sec = 5 };

	r->seq = 0;
	r->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (r->fd < 0)
		return -errno;
	if (setsockopt(r->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) ||
	    bind(r->fd, (struct sockaddr *)&sa, sizeof(sa))) {
		int ret = -errno;

		rtnl_close(r);
		return ret;
	}
	return 0;
}

void rtnl_close(struct rtnl *r)
{
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
}

/* Send @len bytes of @req (0: it did not build) and wait for its answer. */
static int ask(struct rtnl *r, const void *req, size_t len,
	       struct mint_rtnl_link *link)
{
	static const struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	unsigned char buf[ANSWER_MAX] __attribute__((aligned(8)));
	uint32_t seq;
	ssize_t n;
	int ret;

	if (!len)
		return -EINVAL;
	memcpy(&seq, (const unsigned char *)req + 8, sizeof(seq));
	do
		n = sendto(r->fd, req, len, 0, (const struct sockaddr *)&kernel,
			   sizeof(kernel));
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	for (;;) {
		n = recv(r->fd, buf, sizeof(buf), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno == EAGAIN ? -ETIMEDOUT : -errno;
		ret = mint_rtnl_answer(buf, (size_t)n, seq, link);
		if (ret != -EBADMSG)
			return ret;
		/* another message (a late answer): wait for ours */
	}
}

int rtnl_get(struct rtnl *r, const char *ifname, struct mint_rtnl_link *out)
{
	unsigned char req[MINT_RTNL_BUF];

	memset(out, 0, sizeof(*out));
	return ask(r, req,
		   mint_rtnl_getlink(req, sizeof(req), ++r->seq, ifname), out);
}

int rtnl_new_bridge(struct rtnl *r, const char *ifname)
{
	unsigned char req[MINT_RTNL_BUF];

	return ask(r, req,
		   mint_rtnl_newbridge(req, sizeof(req), ++r->seq, ifname),
		   NULL);
}

int rtnl_set(struct rtnl *r, int index, const struct mint_rtnl_set *set)
{
	unsigned char req[MINT_RTNL_BUF];

	return ask(r, req,
		   mint_rtnl_setlink(req, sizeof(req), ++r->seq, index, set),
		   NULL);
}

int rtnl_add_addr(struct rtnl *r, int index, const struct mint_ipv4 *a)
{
	unsigned char req[MINT_RTNL_BUF];

	return ask(r, req,
		   mint_rtnl_newaddr(req, sizeof(req), ++r->seq, index, a),
		   NULL);
}

#define WHY(...) ((void)snprintf(why, whylen, __VA_ARGS__))

/* The bridge @name, created when missing; it must be a bridge. */
static int get_bridge(struct rtnl *r, const char *name,
		      struct mint_rtnl_link *br, char *why, size_t whylen)
{
	int ret = rtnl_get(r, name, br);

	if (ret == -ENODEV) {
		ret = rtnl_new_bridge(r, name);
		if (ret && ret != -EEXIST) {
			WHY("cannot create bridge %s: %s%s", name,
			    strerror(-ret),
			    ret == -EOPNOTSUPP
				    ? " (node0's kernel has no bridge "
				      "support: CONFIG_BRIDGE)"
				    : "");
			return ret;
		}
		ret = rtnl_get(r, name, br);
	}
	if (ret) {
		WHY("cannot look up bridge %s: %s", name, strerror(-ret));
		return ret;
	}
	if (strcmp(br->kind, "bridge")) {
		WHY("%s exists and is not a bridge (%s%s); remove it (ip link "
		    "del %s), mintctl creates the bridge",
		    name, br->kind[0] ? br->kind : "a device of no kind",
		    br->kind[0] ? " device" : "", name);
		return -EEXIST;
	}
	return 0;
}

int rtnl_bridge_port(struct rtnl *r, const char *bridge,
		     const struct mint_ipv4 *addr, const char *port,
		     uint32_t mtu, char *why, size_t whylen)
{
	struct mint_rtnl_link br, dev;
	struct mint_rtnl_set set;
	char text[32];
	int ret;

	ret = rtnl_get(r, port, &dev);
	if (ret) {
		if (ret == -ENODEV)
			WHY("no network device %s; node0's kernel names it in "
			    "the node's link file, but it is gone",
			    port);
		else
			WHY("cannot look up %s: %s", port, strerror(-ret));
		return ret;
	}
	ret = get_bridge(r, bridge, &br, why, whylen);
	if (ret)
		return ret;
	if (br.mtu != mtu) {
		set = (struct mint_rtnl_set){ .mtu = mtu };
		ret = rtnl_set(r, br.index, &set);
		if (ret) {
			WHY("cannot set the MTU of bridge %s to %u: %s", bridge,
			    mtu, strerror(-ret));
			return ret;
		}
	}
	if (addr && addr->prefix) {
		ret = rtnl_add_addr(r, br.index, addr);
		if (ret && ret != -EEXIST) {
			mint_ipv4_format(addr, true, text, sizeof(text));
			WHY("cannot add address %s to bridge %s: %s", text,
			    bridge, strerror(-ret));
			return ret;
		}
	}
	if (!(br.flags & IFF_UP)) {
		set = (struct mint_rtnl_set){ .up = true };
		ret = rtnl_set(r, br.index, &set);
		if (ret) {
			WHY("cannot bring bridge %s up: %s", bridge,
			    strerror(-ret));
			return ret;
		}
	}
	if (dev.mtu != mtu) {
		set = (struct mint_rtnl_set){ .mtu = mtu };
		ret = rtnl_set(r, dev.index, &set);
		if (ret) {
			WHY("cannot set the MTU of %s to %u: %s", port, mtu,
			    strerror(-ret));
			return ret;
		}
	}
	if (dev.master != (uint32_t)br.index) {
		set = (struct mint_rtnl_set){ .master = (uint32_t)br.index };
		ret = rtnl_set(r, dev.index, &set);
		if (ret) {
			WHY("cannot put %s into bridge %s: %s", port, bridge,
			    strerror(-ret));
			return ret;
		}
	}
	if (!(dev.flags & IFF_UP)) {
		set = (struct mint_rtnl_set){ .up = true };
		ret = rtnl_set(r, dev.index, &set);
		if (ret) {
			WHY("cannot bring %s up: %s", port, strerror(-ret));
			return ret;
		}
	}
	return 0;
}
