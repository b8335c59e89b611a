/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mintctl: rtnetlink requests to the running kernel (libmint's rtnl.c
 * builds and parses them), and the sequence that puts a network device
 * into a bridge. No cli_ctx: tests/unit/check_rtnl_io.c runs it in a
 * network namespace of its own.
 */
#ifndef MINTCTL_RTNL_IO_H
#define MINTCTL_RTNL_IO_H

#include <stddef.h>
#include <stdint.h>

#include "linkfile.h"

struct rtnl {
	int fd;
	uint32_t seq;
};

/* 0 or -errno */
int rtnl_open(struct rtnl *r);
void rtnl_close(struct rtnl *r);
/* The device @ifname: 0, -ENODEV when there is none, or -errno. */
int rtnl_get(struct rtnl *r, const char *ifname, struct mint_rtnl_link *out);
/* A new bridge: 0, -EEXIST when a device has the name, or -errno. */
int rtnl_new_bridge(struct rtnl *r, const char *ifname);
int rtnl_set(struct rtnl *r, int index, const struct mint_rtnl_set *set);
/* 0, -EEXIST when the device has the address already, or -errno. */
int rtnl_add_addr(struct rtnl *r, int index, const struct mint_ipv4 *a);

/*
 * Put the device @port into the bridge @bridge, both at @mtu and up:
 * the bridge created when missing, its MTU set explicitly (so that a
 * smaller port joining later does not shrink it), @addr (prefix 0: none)
 * added to it when not there. Each step only when needed, so a second
 * run changes nothing. 0, or -errno with "cannot put mint-node1 into
 * bridge mintbr0: Operation not permitted" in @why.
 */
int rtnl_bridge_port(struct rtnl *r, const char *bridge,
		     const struct mint_ipv4 *addr, const char *port,
		     uint32_t mtu, char *why, size_t whylen);

#endif /* MINTCTL_RTNL_IO_H */
