// SPDX-License-Identifier: GPL-2.0
/* PCI function addresses as lspci -D prints them: DDDD:BB:DD.F. */
#include <errno.h>
#include <stdio.h>

#include "config.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Exactly @n hex digits at *sp. */
static int hexfield(const char **sp, unsigned int n, unsigned int *out)
{
	unsigned int v = 0, i;
	int h;

	for (i = 0; i < n; i++) {
		h = hexval((*sp)[i]);
		if (h < 0)
			return -EINVAL;
		v = v * 16 + (unsigned int)h;
	}
	*sp += n;
	*out = v;
	return 0;
}

int mint_pci_parse(const char *s, struct mint_pci_addr *out, char *why,
		   size_t whylen)
{
	unsigned int domain = 0, bus, dev, fn;
	const char *p = s;
	size_t colons = 0, i;

	for (i = 0; s[i]; i++)
		colons += s[i] == ':';
	if (colons == 2) {
		if (hexfield(&p, 4, &domain) || *p++ != ':')
			goto bad;
	} else if (colons != 1) {
		goto bad;
	}
	if (hexfield(&p, 2, &bus) || *p++ != ':' || hexfield(&p, 2, &dev) ||
	    *p++ != '.' || hexfield(&p, 1, &fn) || *p)
		goto bad;
	if (dev > 0x1f) {
		if (why)
			snprintf(
				why, whylen,
				"'%s': device %02x is out of range; PCI device "
				"numbers go from 00 to 1f",
				s, dev);
		return -ERANGE;
	}
	if (fn > 7) {
		if (why)
			snprintf(why, whylen,
				 "'%s': function %x is out of range; PCI "
				 "functions go from 0 to 7",
				 s, fn);
		return -ERANGE;
	}
	out->domain = (uint16_t)domain;
	out->bus = (uint8_t)bus;
	out->dev = (uint8_t)dev;
	out->fn = (uint8_t)fn;
	return 0;
bad:
	if (why)
		snprintf(why, whylen,
			 "'%s' is not a PCI address; write DDDD:BB:DD.F in hex "
			 "as 'lspci -D' shows it, e.g. 0000:00:03.0",
			 s);
	return -EINVAL;
}

void mint_pci_format(const struct mint_pci_addr *a, char *out, size_t outlen)
{
	snprintf(out, outlen, "%04x:%02x:%02x.%x", a->domain, a->bus, a->dev,
		 a->fn);
}

bool mint_pci_equal(const struct mint_pci_addr *a,
		    const struct mint_pci_addr *b)
{
	return a->domain == b->domain && a->bus == b->bus && a->dev == b->dev &&
	       a->fn == b->fn;
}
