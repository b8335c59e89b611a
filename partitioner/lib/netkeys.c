// SPDX-License-Identifier: GPL-2.0
/*
 * The value parsers of the network keys (the key table is keys.c's):
 * [node] link and address, [partition] address and authorized_keys, [vm]
 * net and address.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define LINK_EXAMPLE "e.g. 2M@0x7fe00000"

/* SIZE@ADDRESS of a link: the two words, blanks around the @ dropped. */
static int split_at(const char *value, char *size, size_t slen,
		    const char **addr, char *why, size_t whylen)
{
	const char *at = strchr(value, '@');
	size_t n;

	if (!at) {
		WHY("'%s' has no address; write SIZE@ADDRESS, " LINK_EXAMPLE,
		    value);
		return -EINVAL;
	}
	n = (size_t)(at - value);
	while (n && (value[n - 1] == ' ' || value[n - 1] == '\t'))
		n--;
	if (n >= slen)
		n = slen - 1;
	memcpy(size, value, n);
	size[n] = '\0';
	*addr = at + 1 + strspn(at + 1, " \t");
	return 0;
}

/* link = SIZE@ADDRESS: the region node0 holds back for the node's link. */
int mint_parse_link(struct section *sec, const char *value, char *why,
		    size_t whylen)
{
	char size[MINT_LINE_MAX + 1], min[16], max[16];
	struct mint_range r = { 0, 0, sec->line };
	const char *addr;
	int ret;

	ret = split_at(value, size, sizeof(size), &addr, why, whylen);
	if (ret)
		return ret;
	ret = mint_parse_size(size, &r.size, why, whylen);
	if (ret)
		return ret;
	ret = mint_parse_size(addr, &r.base, why, whylen);
	if (ret)
		return ret;
	mint_format_size(MINT_LINK_MIN_SIZE, min, sizeof(min));
	mint_format_size(MINT_LINK_MAX_SIZE, max, sizeof(max));
	if (r.size < MINT_LINK_MIN_SIZE || r.size > MINT_LINK_MAX_SIZE) {
		WHY("size %s is not between %s and %s; give the link a size "
		    "from %s to %s",
		    size, min, max, min, max);
		return -ERANGE;
	}
	if (r.size % MINT_LINK_ALIGN) {
		WHY("size %s is not a multiple of 2 MiB; round it to a "
		    "multiple of 2M",
		    size);
		return -EINVAL;
	}
	if (r.base % MINT_LINK_ALIGN) {
		WHY("address 0x%llx is not 2 MiB aligned; use a multiple of "
		    "0x200000, e.g. 0x%llx",
		    (unsigned long long)r.base,
		    (unsigned long long)((r.base + MINT_LINK_ALIGN - 1) &
					 ~(MINT_LINK_ALIGN - 1)));
		return -EINVAL;
	}
	if (r.base < MINT_RAM_MIN_BASE) {
		WHY("address 0x%llx is below 64 MiB, where node0's kernel and "
		    "the firmware live; place the link at or above 0x4000000",
		    (unsigned long long)r.base);
		return -EINVAL;
	}
	if (r.base >= MINT_RAM_LIMIT || r.size > MINT_RAM_LIMIT - r.base) {
		WHY("'%s' reaches beyond 4 PiB (0x10000000000000), the widest "
		    "physical address of x86-64; check the address",
		    value);
		return -EINVAL;
	}
	sec->node->link = r;
	return 0;
}

/* address = A.B.C.D/PREFIX: node0's on its bridge, a node's on its link,
 * a VM's on its node's link. */
int mint_parse_address(struct section *sec, const char *value, char *why,
		       size_t whylen)
{
	struct mint_ipv4 a;
	int ret = mint_ipv4_parse(value, &a, why, whylen);

	if (ret)
		return ret;
	if (sec->kind == SEC_PARTITION)
		sec->part->address = a;
	else if (sec->kind == SEC_NODE)
		sec->node->address = a;
	else
		sec->vm->address = a;
	return 0;
}

int mint_parse_authorized_keys(struct section *sec, const char *value,
			       char *why, size_t whylen)
{
	char *copy;
	int ret;

	if (value[0] != '/') {
		WHY("'%s' is not an absolute path; write the full path on "
		    "node0, e.g. %s",
		    value, MINT_AUTHORIZED_KEYS_DEFAULT);
		return -EINVAL;
	}
	ret = mint_check_path_chars(value, why, whylen);
	if (ret)
		return ret;
	copy = strdup(value);
	if (!copy)
		return -ENOMEM;
	free(sec->part->authorized_keys);
	sec->part->authorized_keys = copy;
	return 0;
}

static const char *const net_words[] = { "none", "mint", NULL };

/* net = none | mint */
int mint_parse_net(struct section *sec, const char *value, char *why,
		   size_t whylen)
{
	const char *hint;

	if (!strcmp(value, "none") || !strcmp(value, "mint")) {
		sec->vm->net_mint = !strcmp(value, "mint");
		return 0;
	}
	hint = mint_suggest(value, net_words);
	if (hint)
		WHY("'%s' is not a network; did you mean '%s'?", value, hint);
	else
		WHY("'%s' is not a network; write mint (the VM joins its "
		    "node's link) or none",
		    value);
	return -EINVAL;
}

const char *mint_net_name(bool mint)
{
	return net_words[mint ? 1 : 0];
}
