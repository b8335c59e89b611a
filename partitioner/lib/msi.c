// SPDX-License-Identifier: GPL-2.0
/*
 * Where a PCI function's interrupt messages go, read from its
 * configuration space and MSI-X table (PCI Local Bus 3.0 section 6.8).
 * A message is a write to 0xfeeXXXXX whose bits 19:12 name the
 * destination APIC ID (physical mode, the only one mint's kernels use).
 */
#include <errno.h>
#include <string.h>

#include "dma.h"

#define PCI_STATUS 0x06
#define PCI_STATUS_CAP_LIST 0x10
#define PCI_CAP_PTR 0x34
#define CAP_MSI 0x05
#define CAP_MSIX 0x11

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint32_t apic_dest(uint32_t addr_lo)
{
	return (addr_lo >> 12) & 0xff;
}

int mint_msi_parse(const uint8_t *cfg, size_t len, struct mint_msi *out)
{
	unsigned int pos, hops = 0;
	uint16_t ctl;

	memset(out, 0, sizeof(*out));
	if (len < 256)
		return -EINVAL;
	if (!(rd16(cfg + PCI_STATUS) & PCI_STATUS_CAP_LIST))
		return 0;
	for (pos = cfg[PCI_CAP_PTR] & ~3u; pos; pos = cfg[pos + 1] & ~3u) {
		if (pos < 0x40 || pos + 12 > 256 || ++hops > 48)
			return -EINVAL;
		ctl = rd16(cfg + pos + 2);
		if (cfg[pos] == CAP_MSI && (ctl & 1)) {
			out->msi_on = true;
			out->msi_dest = apic_dest(rd32(cfg + pos + 4));
		} else if (cfg[pos] == CAP_MSIX && (ctl & 0x8000)) {
			out->msix_on = true;
			out->msix_masked = ctl & 0x4000;
			out->msix_entries = (ctl & 0x7ff) + 1u;
			out->msix_bir = rd32(cfg + pos + 4) & 7;
			out->msix_offset = rd32(cfg + pos + 4) & ~7u;
		}
	}
	return 0;
}

int mint_msix_dest(const uint8_t *entry)
{
	uint32_t lo = rd32(entry), ctl = rd32(entry + 12);

	if ((ctl & 1) || !lo)
		return -1;
	return (int)apic_dest(lo);
}
