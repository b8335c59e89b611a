// SPDX-License-Identifier: GPL-2.0
/*
 * The network of the links: IPv4 addresses with their prefix
 * ("10.0.0.2/24"), and the line 'mintctl show --link' prints for a node's
 * init. Pure.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

#define EXAMPLE "e.g. 10.0.0.2/24"

/*
 * One decimal number of at most @max: digits only, no leading zero.
 * @what names it in the message ("'256' in '10.0.0.256/24'").
 */
static int parse_dec(const char *s, size_t n, unsigned int max, const char *all,
		     unsigned int *out, char *why, size_t whylen)
{
	unsigned int v = 0;
	size_t i;

	if (!n) {
		WHY("'%s' is not an IPv4 address with a prefix; write four "
		    "numbers 0..255 separated by dots, '/' and the prefix "
		    "length, " EXAMPLE,
		    all);
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9') {
			WHY("'%.*s' in '%s' is not a decimal number; write "
			    "four numbers 0..255 separated by dots, '/' and "
			    "the prefix length, " EXAMPLE,
			    (int)n, s, all);
			return -EINVAL;
		}
		if (i < 4)
			v = v * 10 + (unsigned int)(s[i] - '0');
	}
	if (n > 1 && s[0] == '0') {
		WHY("'%.*s' in '%s' has a leading zero, which some tools read "
		    "as octal; write it without",
		    (int)n, s, all);
		return -EINVAL;
	}
	if (n > 3 || v > max) {
		WHY("'%.*s' in '%s' is above %u; each of the four numbers is "
		    "0..255",
		    (int)n, s, all, max);
		return -ERANGE;
	}
	*out = v;
	return 0;
}

static int parse_prefix(const char *p, const char *all, unsigned int *out,
			char *why, size_t whylen)
{
	size_t n = strlen(p), i;
	unsigned int v = 0;

	for (i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			break;
	if (!n || i < n || n > 2 || (n > 1 && p[0] == '0')) {
		WHY("prefix '/%s' in '%s' is not a prefix length; write a "
		    "number 1..30 after the '/', " EXAMPLE,
		    p, all);
		return -EINVAL;
	}
	for (i = 0; i < n; i++)
		v = v * 10 + (unsigned int)(p[i] - '0');
	if (v == 0 || v > 32) {
		WHY("prefix /%u in '%s' is not 1..30; give the length of the "
		    "link network's prefix, " EXAMPLE,
		    v, all);
		return -ERANGE;
	}
	if (v > 30) {
		WHY("a /%u network leaves no room for node0 and the nodes on "
		    "the links; use a shorter prefix, " EXAMPLE,
		    v);
		return -ERANGE;
	}
	*out = v;
	return 0;
}

uint32_t mint_ipv4_mask(unsigned int prefix)
{
	if (!prefix)
		return 0;
	if (prefix >= 32)
		return 0xffffffffu;
	return ~(0xffffffffu >> prefix);
}

void mint_ipv4_format(const struct mint_ipv4 *a, bool with_prefix, char *out,
		      size_t outlen)
{
	uint32_t x = a->addr;
	int n = snprintf(out, outlen, "%u.%u.%u.%u", x >> 24, (x >> 16) & 0xff,
			 (x >> 8) & 0xff, x & 0xff);

	if (with_prefix && n > 0 && (size_t)n < outlen)
		snprintf(out + n, outlen - (size_t)n, "/%u", a->prefix);
}

/* Neither the network's own address nor its broadcast, nor an address no
 * host may have. */
static int check_host(const struct mint_ipv4 *a, const char *all, char *why,
		      size_t whylen)
{
	uint32_t mask = mint_ipv4_mask(a->prefix), top = a->addr >> 24;
	struct mint_ipv4 net = { a->addr & mask, a->prefix };
	char text[32];

	mint_ipv4_format(&net, true, text, sizeof(text));
	if (top == 0 || top == 127 || top >= 224) {
		WHY("'%s' is %s, not an address of a host; use a private "
		    "network, " EXAMPLE " or 192.168.77.2/24",
		    all,
		    top == 0	 ? "in 0.0.0.0/8 ('this network')"
		    : top == 127 ? "a loopback address (127.0.0.0/8)"
				 : "a multicast or reserved address");
		return -EINVAL;
	}
	if (!(a->addr & ~mask)) {
		WHY("'%s' is the address of the network %s itself, not of a "
		    "host in it; give a host address, e.g. %u.%u.%u.%u/%u",
		    all, text, net.addr >> 24, (net.addr >> 16) & 0xff,
		    (net.addr >> 8) & 0xff, (net.addr & 0xff) + 1, a->prefix);
		return -EINVAL;
	}
	if ((a->addr & ~mask) == ~mask) {
		WHY("'%s' is the broadcast address of the network %s, not of "
		    "a host in it; give a host address",
		    all, text);
		return -EINVAL;
	}
	return 0;
}

int mint_ipv4_parse(const char *s, struct mint_ipv4 *out, char *why,
		    size_t whylen)
{
	const char *slash = strchr(s, '/'), *p = s, *dot;
	unsigned int octet, prefix, i;
	struct mint_ipv4 a = { 0, 0 };
	size_t n;
	int ret;

	if (!slash) {
		WHY("'%s' has no prefix length; write ADDRESS/PREFIX, " EXAMPLE,
		    s);
		return -EINVAL;
	}
	for (i = 0; i < 4; i++) {
		dot = i < 3 ? memchr(p, '.', (size_t)(slash - p)) : slash;
		if (!dot) {
			WHY("'%s' is not an IPv4 address with a prefix; write "
			    "four numbers 0..255 separated by dots, '/' and "
			    "the prefix length, " EXAMPLE,
			    s);
			return -EINVAL;
		}
		n = (size_t)(dot - p);
		ret = parse_dec(p, n, 255, s, &octet, why, whylen);
		if (ret)
			return ret;
		a.addr = a.addr << 8 | octet;
		p = dot + 1;
	}
	ret = parse_prefix(slash + 1, s, &prefix, why, whylen);
	if (ret)
		return ret;
	a.prefix = prefix;
	ret = check_host(&a, s, why, whylen);
	if (ret)
		return ret;
	*out = a;
	return 0;
}

bool mint_ipv4_in_subnet(const struct mint_ipv4 *a, const struct mint_ipv4 *net)
{
	uint32_t mask = mint_ipv4_mask(net->prefix);

	return (a->addr & mask) == (net->addr & mask);
}

bool mint_config_has_bridge(const struct mint_config *cfg)
{
	unsigned int i;

	if (cfg->part.address.prefix)
		return true;
	for (i = 0; i < cfg->nr_nodes; i++)
		if (cfg->nodes[i].link.size)
			return true;
	return false;
}

int mint_config_link_line(const struct mint_config *cfg, const char *node,
			  struct mint_buf *out)
{
	int idx = mint_config_find_node(cfg, node);
	const struct mint_ipv4 *p = &cfg->part.address;
	const struct mint_node *n;
	char text[32];

	if (idx < 0)
		return -ENOENT;
	if (idx == 0) {
		if (!mint_config_has_bridge(cfg))
			return 0;
		mint_buf_puts(out, "ifname=" MINT_LINK_BRIDGE);
		if (p->prefix) {
			mint_ipv4_format(p, true, text, sizeof(text));
			mint_buf_printf(out, " address=%s", text);
		}
		return mint_buf_puts(out, "\n");
	}
	n = &cfg->nodes[idx - 1];
	if (!n->link.size)
		return 0;
	mint_buf_puts(out, "ifname=" MINT_LINK_NODE_IFNAME);
	if (n->address.prefix) {
		mint_ipv4_format(&n->address, true, text, sizeof(text));
		mint_buf_printf(out, " address=%s", text);
	}
	if (p->prefix) {
		mint_ipv4_format(p, false, text, sizeof(text));
		mint_buf_printf(out, " node0=%s", text);
	}
	return mint_buf_puts(out, "\n");
}
