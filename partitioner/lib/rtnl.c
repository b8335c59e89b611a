// SPDX-License-Identifier: GPL-2.0
/*
 * The rtnetlink requests that put node0's side of a link into the bridge
 * of the links, byte for byte, and the kernel's answers to them, parsed.
 * Pure: mintctl's netlink.c sends and receives them.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "linkfile.h"

#define ALIGN4(n) (((n) + 3) & ~(size_t)3)

/* A request being built; @bad once something did not fit. */
struct req {
	unsigned char *buf;
	size_t cap, len;
	bool bad;
};

static void put(struct req *r, const void *data, size_t n)
{
	size_t end = ALIGN4(r->len + n);

	if (r->bad || end > r->cap) {
		r->bad = true;
		return;
	}
	memcpy(r->buf + r->len, data, n);
	memset(r->buf + r->len + n, 0, end - r->len - n);
	r->len = end;
}

static void begin(struct req *r, void *buf, size_t cap, uint16_t type,
		  uint16_t flags, uint32_t seq)
{
	struct nlmsghdr h = { .nlmsg_type = type,
			      .nlmsg_flags = (uint16_t)(NLM_F_REQUEST | flags),
			      .nlmsg_seq = seq };

	r->buf = buf;
	r->cap = cap;
	r->len = 0;
	r->bad = false;
	put(r, &h, sizeof(h));
}

/* The attribute's header and data; returns where its header is. */
static size_t attr(struct req *r, uint16_t type, const void *data, size_t n)
{
	struct rtattr a = { .rta_len = (unsigned short)(sizeof(a) + n),
			    .rta_type = type };
	size_t at = r->len;

	put(r, &a, sizeof(a));
	if (n && !r->bad) {
		/* the data right after the header, padded as a whole */
		r->len = at + sizeof(a);
		put(r, data, n);
	}
	return at;
}

static void attr_u32(struct req *r, uint16_t type, uint32_t v)
{
	attr(r, type, &v, sizeof(v));
}

static bool put_name(struct req *r, const char *ifname)
{
	size_t n = strlen(ifname);

	if (!n || n > MINT_IFNAME_MAX)
		return false;
	attr(r, IFLA_IFNAME, ifname, n + 1);
	return true;
}

/* Close a nested attribute begun at @at. */
static void nest_end(struct req *r, size_t at)
{
	unsigned short n = (unsigned short)(r->len - at);

	if (!r->bad)
		memcpy(r->buf + at, &n, sizeof(n));
}

static size_t end(struct req *r)
{
	uint32_t n = (uint32_t)r->len;

	if (r->bad)
		return 0;
	memcpy(r->buf, &n, sizeof(n)); /* nlmsg_len */
	return r->len;
}

size_t mint_rtnl_getlink(void *buf, size_t cap, uint32_t seq,
			 const char *ifname)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct req r;

	begin(&r, buf, cap, RTM_GETLINK, 0, seq);
	put(&r, &ifi, sizeof(ifi));
	if (!put_name(&r, ifname))
		return 0;
	return end(&r);
}

size_t mint_rtnl_newbridge(void *buf, size_t cap, uint32_t seq,
			   const char *ifname)
{
	static const char kind[] = "bridge";
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct req r;
	size_t info;

	begin(&r, buf, cap, RTM_NEWLINK, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
	      seq);
	put(&r, &ifi, sizeof(ifi));
	if (!put_name(&r, ifname))
		return 0;
	info = attr(&r, IFLA_LINKINFO, NULL, 0);
	attr(&r, IFLA_INFO_KIND, kind, sizeof(kind) - 1);
	nest_end(&r, info);
	return end(&r);
}

size_t mint_rtnl_setlink(void *buf, size_t cap, uint32_t seq, int index,
			 const struct mint_rtnl_set *set)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC,
				 .ifi_index = index,
				 .ifi_flags = set->up ? IFF_UP : 0,
				 .ifi_change = set->up ? IFF_UP : 0 };
	struct req r;

	if (index <= 0)
		return 0;
	begin(&r, buf, cap, RTM_NEWLINK, NLM_F_ACK, seq);
	put(&r, &ifi, sizeof(ifi));
	if (set->mtu)
		attr_u32(&r, IFLA_MTU, set->mtu);
	if (set->master)
		attr_u32(&r, IFLA_MASTER, set->master);
	return end(&r);
}

size_t mint_rtnl_newaddr(void *buf, size_t cap, uint32_t seq, int index,
			 const struct mint_ipv4 *a)
{
	struct ifaddrmsg ifa = { .ifa_family = AF_INET,
				 .ifa_prefixlen = (unsigned char)a->prefix,
				 .ifa_index = (unsigned int)index };
	uint32_t mask = mint_ipv4_mask(a->prefix);
	unsigned char addr[4], brd[4];
	struct req r;
	int i;

	if (index <= 0 || !a->prefix || a->prefix > 32)
		return 0;
	for (i = 0; i < 4; i++) { /* network byte order */
		addr[i] = (unsigned char)(a->addr >> (24 - 8 * i));
		brd[i] = (unsigned char)((a->addr | ~mask) >> (24 - 8 * i));
	}
	begin(&r, buf, cap, RTM_NEWADDR, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
	      seq);
	put(&r, &ifa, sizeof(ifa));
	attr(&r, IFA_LOCAL, addr, 4);
	attr(&r, IFA_ADDRESS, addr, 4);
	attr(&r, IFA_BROADCAST, brd, 4);
	return end(&r);
}

/* The attributes in [at, stop) of a message in @p: each one's type, data
 * and length to @fn, until it returns false. -1 when they are malformed. */
static int each_attr(const unsigned char *p, size_t at, size_t stop,
		     bool (*fn)(void *arg, uint16_t type, const void *data,
				size_t n),
		     void *arg)
{
	struct rtattr a;

	while (at + sizeof(a) <= stop) {
		memcpy(&a, p + at, sizeof(a));
		if (a.rta_len < sizeof(a) || at + a.rta_len > stop)
			return -1;
		if (!fn(arg, a.rta_type, p + at + sizeof(a),
			a.rta_len - sizeof(a)))
			return 0;
		at += ALIGN4(a.rta_len);
	}
	return 0;
}

static bool info_attr(void *arg, uint16_t type, const void *data, size_t n)
{
	struct mint_rtnl_link *l = arg;

	if (type == IFLA_INFO_KIND) {
		if (n >= sizeof(l->kind))
			n = sizeof(l->kind) - 1;
		memcpy(l->kind, data, n);
		l->kind[n] = 0;
	}
	return true;
}

static bool link_attr(void *arg, uint16_t type, const void *data, size_t n)
{
	struct mint_rtnl_link *l = arg;

	if (type == IFLA_MTU && n >= 4)
		memcpy(&l->mtu, data, 4);
	else if (type == IFLA_MASTER && n >= 4)
		memcpy(&l->master, data, 4);
	else if (type == IFLA_LINKINFO)
		each_attr(data, 0, n, info_attr, l);
	return true;
}

int mint_rtnl_answer(const void *buf, size_t len, uint32_t seq,
		     struct mint_rtnl_link *link)
{
	const unsigned char *p = buf;
	struct ifinfomsg ifi;
	struct nlmsghdr h;
	size_t at = 0;
	int32_t err;

	while (at + sizeof(h) <= len) {
		memcpy(&h, p + at, sizeof(h));
		if (h.nlmsg_len < sizeof(h) || h.nlmsg_len > len - at)
			return -EBADMSG;
		if (h.nlmsg_seq == seq && h.nlmsg_type == NLMSG_ERROR) {
			if (h.nlmsg_len < sizeof(h) + sizeof(err))
				return -EBADMSG;
			memcpy(&err, p + at + sizeof(h), sizeof(err));
			return err <= 0 && err > -4096 ? err : -EBADMSG;
		}
		if (h.nlmsg_seq == seq && h.nlmsg_type == RTM_NEWLINK && link) {
			if (h.nlmsg_len < sizeof(h) + sizeof(ifi))
				return -EBADMSG;
			memset(link, 0, sizeof(*link));
			memcpy(&ifi, p + at + sizeof(h), sizeof(ifi));
			link->index = ifi.ifi_index;
			link->flags = ifi.ifi_flags;
			if (each_attr(p + at,
				      sizeof(h) + NLMSG_ALIGN(sizeof(ifi)),
				      h.nlmsg_len, link_attr, link))
				return -EBADMSG;
			return 0;
		}
		at += NLMSG_ALIGN(h.nlmsg_len);
	}
	return -EBADMSG;
}
