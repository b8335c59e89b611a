// SPDX-License-Identifier: GPL-2.0
/*
 * bzImage setup header (Documentation/arch/x86/boot.rst, Linux 6.12): what a
 * 32-bit boot protocol loader needs to know, and the checks that keep it
 * from loading something the node could not start.
 */
#include <inttypes.h>

#include "internal.h"
#include "zeropage.h"

#define SECTOR 512
#define MIN_IMAGE 1024 /* boot sector + the sector holding the header */

static int is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

int nl_bzimage_parse_header(const void *image, size_t len,
			    struct nl_bzimage *bz, struct nl_err *err)
{
	const uint8_t *p = image;
	size_t hdr_end;
	uint8_t sects;

	if (!p || len < MIN_IMAGE)
		return nl_fail(err, -EINVAL,
			       "bzImage too small: %zu bytes, a setup header "
			       "needs at least %d",
			       p ? len : 0, MIN_IMAGE);
	if (nl_get32(p + HDR_HEADER) != HDR_MAGIC)
		return nl_fail(err, -EINVAL,
			       "not a bzImage: no \"HdrS\" magic at 0x202 "
			       "(found 0x%08x)",
			       nl_get32(p + HDR_HEADER));
	if (nl_get16(p + HDR_BOOT_FLAG) != HDR_BOOT_FLAG_MAGIC)
		return nl_fail(err, -EINVAL,
			       "not a bzImage: boot_flag at 0x1fe is 0x%04x, "
			       "not 0xaa55",
			       nl_get16(p + HDR_BOOT_FLAG));

	memset(bz, 0, sizeof(*bz));
	bz->version = nl_get16(p + HDR_VERSION);
	if (bz->version < NL_BZ_MIN_VERSION)
		return nl_fail(err, -EINVAL,
			       "boot protocol %u.%02u is too old, need 2.12 or "
			       "later",
			       bz->version >> 8, bz->version & 0xff);

	/* jump: 0xeb rel8, a short jump over the header to the setup code */
	if (p[HDR_JUMP] != 0xeb || p[HDR_JUMP + 1] > 0x7f)
		return nl_fail(err, -EINVAL,
			       "setup header: bad jump %02x %02x at 0x200",
			       p[HDR_JUMP], p[HDR_JUMP + 1]);
	hdr_end = HDR_HEADER + p[HDR_JUMP + 1];
	if (hdr_end < NL_BZ_HDR_NEEDED)
		return nl_fail(err, -EINVAL,
			       "setup header ends at 0x%zx, before init_size "
			       "(0x%x)",
			       hdr_end, NL_BZ_HDR_NEEDED);
	bz->hdr_len = hdr_end - NL_BZ_HDR_START;

	sects = p[HDR_SETUP_SECTS];
	bz->setup_sects = sects ? sects : 4;
	bz->setup_size = ((size_t)bz->setup_sects + 1) * SECTOR;
	bz->syssize = nl_get32(p + HDR_SYSSIZE);
	bz->payload_size = (size_t)bz->syssize * 16;
	bz->loadflags = p[HDR_LOADFLAGS];
	bz->initrd_addr_max = nl_get32(p + HDR_INITRD_ADDR_MAX);
	bz->kernel_alignment = nl_get32(p + HDR_KERNEL_ALIGNMENT);
	bz->relocatable_kernel = p[HDR_RELOCATABLE_KERNEL];
	bz->min_alignment = p[HDR_MIN_ALIGNMENT];
	bz->xloadflags = nl_get16(p + HDR_XLOADFLAGS);
	bz->cmdline_size = nl_get32(p + HDR_CMDLINE_SIZE);
	bz->payload_offset = nl_get32(p + HDR_PAYLOAD_OFFSET);
	bz->payload_length = nl_get32(p + HDR_PAYLOAD_LENGTH);
	bz->pref_address = nl_get64(p + HDR_PREF_ADDRESS);
	bz->init_size = nl_get32(p + HDR_INIT_SIZE);
	bz->file_size = len;

	if (!(bz->loadflags & NL_LOADED_HIGH))
		return nl_fail(err, -EINVAL,
			       "not a bzImage: loadflags 0x%02x lack "
			       "LOADED_HIGH (a zImage loads at 0x10000)",
			       bz->loadflags);
	if (!(bz->xloadflags & NL_XLF_KERNEL_64))
		return nl_fail(err, -EINVAL,
			       "not a 64-bit kernel: xloadflags 0x%x lack "
			       "XLF_KERNEL_64 (node0 starts nodes at the "
			       "64-bit entry)",
			       bz->xloadflags);
	if (!bz->relocatable_kernel)
		return nl_fail(err, -EINVAL,
			       "kernel is not relocatable (CONFIG_RELOCATABLE "
			       "off): it can only run at 0x%" PRIx64,
			       bz->pref_address);
	if (!is_pow2(bz->kernel_alignment) ||
	    bz->kernel_alignment < NL_PAGE_SIZE)
		return nl_fail(err, -EINVAL,
			       "bad kernel_alignment 0x%x (need a power of "
			       "two >= 4 KiB)",
			       bz->kernel_alignment);
	if (bz->min_alignment > 31 ||
	    (1u << bz->min_alignment) > bz->kernel_alignment)
		return nl_fail(err, -EINVAL,
			       "bad min_alignment 2^%u for kernel_alignment "
			       "0x%x",
			       bz->min_alignment, bz->kernel_alignment);
	if (bz->cmdline_size == 0)
		return nl_fail(err, -EINVAL, "cmdline_size is 0");
	if (bz->syssize == 0)
		return nl_fail(err, -EINVAL, "syssize is 0: no payload");
	if (bz->init_size < bz->payload_size)
		return nl_fail(err, -EINVAL,
			       "init_size 0x%x is smaller than the payload "
			       "(0x%zx bytes)",
			       bz->init_size, bz->payload_size);
	if ((uint64_t)bz->payload_offset + bz->payload_length >
	    bz->payload_size)
		return nl_fail(err, -EINVAL,
			       "compressed kernel 0x%x+0x%x lies beyond the "
			       "payload (0x%zx bytes)",
			       bz->payload_offset, bz->payload_length,
			       bz->payload_size);
	if (bz->pref_address >= NL_4G)
		return nl_fail(err, -EINVAL,
			       "pref_address 0x%" PRIx64 " is above 4 GiB",
			       bz->pref_address);
	return 0;
}

int nl_bzimage_parse(const void *image, size_t len, struct nl_bzimage *bz,
		     struct nl_err *err)
{
	int ret = nl_bzimage_parse_header(image, len, bz, err);

	if (ret)
		return ret;
	if (bz->setup_size >= len)
		return nl_fail(err, -EINVAL,
			       "bzImage truncated: %zu bytes, the setup code "
			       "alone is %zu",
			       len, bz->setup_size);
	/* Bytes after the payload (e.g. a PE signature) are not loaded. */
	if (bz->payload_size > len - bz->setup_size)
		return nl_fail(err, -EINVAL,
			       "bzImage truncated: payload 0x%zx+0x%zx ends "
			       "beyond the end of the file (%zu bytes)",
			       bz->setup_size, bz->payload_size, len);
	return 0;
}
