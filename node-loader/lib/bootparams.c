// SPDX-License-Identifier: GPL-2.0
/*
 * The boot_params "zero page" for the 64-bit boot protocol entry
 * (Documentation/arch/x86/boot.rst "64-bit boot protocol"): a zeroed page,
 * the bzImage's setup header, then what a boot loader fills in. Addresses
 * above 4 GiB go into the ext_* fields.
 */
#include "internal.h"
#include "zeropage.h"

#define LOADER_UNDEFINED 0xff /* type_of_loader: "undefined", as Jailhouse */
#define SUBARCH_PC 0 /* X86_SUBARCH_PC */

int nl_boot_params_build(uint8_t page[NL_BOOT_PARAMS_SIZE], const void *image,
			 size_t image_len, const struct nl_bzimage *bz,
			 const struct nl_layout *lay,
			 const struct nl_e820 *e820, struct nl_err *err)
{
	const uint8_t *img = image;
	uint8_t loadflags;
	size_t i;

	if (!img || image_len < NL_BZ_HDR_START + bz->hdr_len ||
	    NL_BZ_HDR_START + bz->hdr_len > NL_BZ_HDR_LIMIT ||
	    bz->hdr_len < NL_BZ_HDR_NEEDED - NL_BZ_HDR_START ||
	    nl_get32(img + HDR_HEADER) != HDR_MAGIC)
		return nl_fail(err, -EINVAL,
			       "boot_params: the image does not hold the "
			       "parsed setup header");
	if (e820->n < 2 || e820->n > ZP_E820_MAX)
		return nl_fail(err, -EINVAL,
			       "boot_params: %zu e820 entries (need 2..%d)",
			       e820->n, ZP_E820_MAX);
	if (lay->initrd + lay->initrd_size > NL_4G &&
	    !(bz->xloadflags & NL_XLF_CAN_BE_LOADED_ABOVE_4G))
		return nl_fail(err, -EINVAL,
			       "boot_params: initrd above 4 GiB, but the "
			       "kernel lacks XLF_CAN_BE_LOADED_ABOVE_4G");

	memset(page, 0, NL_BOOT_PARAMS_SIZE); /* sentinel 0x1ef = 0 too */
	memcpy(page + NL_BZ_HDR_START, img + NL_BZ_HDR_START, bz->hdr_len);

	/* Keep LOADED_HIGH; drop the flags of a real-mode setup (heap,
	 * segments) and KASLR_FLAG, which only the kernel sets. */
	loadflags = page[HDR_LOADFLAGS];
	loadflags = NL_LOADED_HIGH | (loadflags & NL_QUIET_FLAG);
	nl_put8(page + HDR_LOADFLAGS, loadflags);
	nl_put16(page + HDR_HEAP_END_PTR, 0);
	nl_put8(page + HDR_TYPE_OF_LOADER, LOADER_UNDEFINED);
	nl_put8(page + HDR_EXT_LOADER_VER, 0);
	nl_put8(page + HDR_EXT_LOADER_TYPE, 0);
	/* The 32-bit entry's field; node0 enters at 64 bits from
	 * mint_setup_data.kernel_addr, which may lie above 4 GiB. */
	nl_put32(page + HDR_CODE32_START,
		 lay->kernel < NL_4G ? (uint32_t)lay->kernel : 0);

	nl_put32(page + HDR_RAMDISK_IMAGE, (uint32_t)lay->initrd);
	nl_put32(page + ZP_EXT_RAMDISK_IMAGE, (uint32_t)(lay->initrd >> 32));
	nl_put32(page + HDR_RAMDISK_SIZE, (uint32_t)lay->initrd_size);
	nl_put32(page + ZP_EXT_RAMDISK_SIZE,
		 (uint32_t)(lay->initrd_size >> 32));
	nl_put32(page + HDR_CMD_LINE_PTR, (uint32_t)lay->cmdline);
	nl_put32(page + ZP_EXT_CMD_LINE_PTR, (uint32_t)(lay->cmdline >> 32));
	nl_put64(page + HDR_SETUP_DATA, lay->setup_data);

	nl_put32(page + HDR_HARDWARE_SUBARCH, SUBARCH_PC);
	nl_put64(page + HDR_HARDWARE_SUBARCH_DATA, 0);

	/* No firmware tables, no video, no BIOS memory sizes: these are
	 * zero from the memset, named here because they matter. */
	nl_put64(page + ZP_ACPI_RSDP_ADDR, 0);
	nl_put32(page + ZP_ALT_MEM_K, 0);
	memset(page + ZP_SCREEN_INFO, 0, ZP_SCREEN_INFO_SIZE);
	nl_put16(page + ZP_EXT_MEM_K, 0);
	nl_put8(page + ZP_SENTINEL, 0);

	nl_put8(page + ZP_E820_ENTRIES, (uint8_t)e820->n);
	for (i = 0; i < e820->n; i++) {
		uint8_t *e = page + ZP_E820_TABLE + i * ZP_E820_ENTRY_SIZE;

		nl_put64(e, e820->e[i].addr);
		nl_put64(e + 8, e820->e[i].size);
		nl_put32(e + 16, e820->e[i].type);
	}
	return 0;
}
