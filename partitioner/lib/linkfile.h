/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libmint: a node's link as node0's kernel reports it,
 * /sys/kernel/mint/NAME/link (the contract's "links" section), and the
 * rtnetlink requests that put node0's side of it into the bridge
 * MINT_LINK_BRIDGE (rtnl.c). Pure functions.
 */
#ifndef MINT_LINKFILE_H
#define MINT_LINKFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"

#define MINT_IFNAME_MAX 15 /* IFNAMSIZ - 1 */

struct mint_link_file {
	char ifname[MINT_IFNAME_MAX + 1]; /* "" when the file names none */
	bool has_region;
	uint64_t base, size;
	char state[16]; /* up, down, waiting, none; "" when not given */
	uint64_t epoch, resets, errors, missed_kicks;
};

/*
 * Parse the file's text: one record a line ("ifname mint-node1", "region
 * 0x7fe00000 0x200000", "state up", "epoch 1", "resets 0", "errors 0",
 * "missed-kicks 0"); records of other names are skipped (a newer
 * kernel's). 0, or -EINVAL with the offending line in @why.
 */
int mint_link_parse(const char *text, struct mint_link_file *out, char *why,
		    size_t whylen);

/* Does node0's kernel hold the link @l reports (region and a state other
 * than none)? */
bool mint_link_present(const struct mint_link_file *l);

/* A network device name as the kernel takes one: 1..15 bytes, no '/',
 * ':', blank or control character, not "." or "..". */
bool mint_ifname_valid(const char *name);

/* ---- rtnetlink requests (rtnl.c) -------------------------------------- */

/*
 * Each builder writes one whole request (struct nlmsghdr, its family
 * header, attributes; NLM_F_REQUEST | NLM_F_ACK and the flags said) into
 * @buf of @cap bytes and returns its length, or 0 when it does not fit.
 * Names are at most MINT_IFNAME_MAX bytes (longer: 0).
 */
#define MINT_RTNL_BUF 256 /* enough for every request below */

/* RTM_GETLINK of the device @ifname (its index, MTU, master, kind). */
size_t mint_rtnl_getlink(void *buf, size_t cap, uint32_t seq,
			 const char *ifname);
/* RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL: a bridge named @ifname. */
size_t mint_rtnl_newbridge(void *buf, size_t cap, uint32_t seq,
			   const char *ifname);

/* What a RTM_NEWLINK on an existing device (@index) changes. */
struct mint_rtnl_set {
	uint32_t mtu; /* 0: left as it is */
	uint32_t master; /* the index of the bridge; 0: left as it is */
	bool up; /* IFF_UP set */
};

size_t mint_rtnl_setlink(void *buf, size_t cap, uint32_t seq, int index,
			 const struct mint_rtnl_set *set);
/* RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL: @a on device @index (local,
 * address and broadcast). */
size_t mint_rtnl_newaddr(void *buf, size_t cap, uint32_t seq, int index,
			 const struct mint_ipv4 *a);

/* A device as RTM_NEWLINK describes it (the answer to RTM_GETLINK). */
struct mint_rtnl_link {
	int index;
	unsigned int flags; /* IFF_* */
	uint32_t mtu;
	uint32_t master; /* 0: none */
	char kind[16]; /* IFLA_INFO_KIND: "bridge", "veth"...; "" none */
};

/*
 * The answer to request @seq in @buf (@len bytes as received): 0 for an
 * acknowledgement, -errno for an error the kernel sent; with @link, a
 * RTM_NEWLINK message is parsed into it (and 0 returned). -EBADMSG when
 * @buf holds no well-formed answer to @seq.
 */
int mint_rtnl_answer(const void *buf, size_t len, uint32_t seq,
		     struct mint_rtnl_link *link);

#endif /* MINT_LINKFILE_H */
