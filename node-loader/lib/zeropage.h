/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Offsets into the boot_params "zero page" and its setup header, from
 * Documentation/arch/x86/zero-page.rst and boot.rst (Linux 6.12). Written out
 * rather than taken from <asm/bootparam.h> so the loader does not depend on
 * the build host's kernel headers; the unit tests compare them with it.
 */
#ifndef NL_ZEROPAGE_H
#define NL_ZEROPAGE_H

/* zero page */
#define ZP_SCREEN_INFO 0x000 /* struct screen_info, 0x40 bytes */
#define ZP_SCREEN_INFO_SIZE 0x040
#define ZP_EXT_MEM_K 0x002 /* u16, inside screen_info */
#define ZP_ACPI_RSDP_ADDR 0x070 /* u64 */
#define ZP_EXT_RAMDISK_IMAGE 0x0c0 /* u32 */
#define ZP_EXT_RAMDISK_SIZE 0x0c4 /* u32 */
#define ZP_EXT_CMD_LINE_PTR 0x0c8 /* u32 */
#define ZP_ALT_MEM_K 0x1e0 /* u32 */
#define ZP_E820_ENTRIES 0x1e8 /* u8 */
#define ZP_SENTINEL 0x1ef /* u8 */
#define ZP_HDR 0x1f1 /* struct setup_header */
#define ZP_EDD_MBR_SIG_BUFFER 0x290
#define ZP_E820_TABLE 0x2d0 /* struct boot_e820_entry[128] */
#define ZP_E820_ENTRY_SIZE 20 /* u64 addr, u64 size, u32 type */
#define ZP_E820_MAX 128
#define ZP_EDDBUF 0xd00
#define ZP_SIZE 0x1000

/* setup header, offsets from the start of the zero page (= file offsets) */
#define HDR_SETUP_SECTS 0x1f1 /* u8 */
#define HDR_SYSSIZE 0x1f4 /* u32 */
#define HDR_VID_MODE 0x1fa /* u16 */
#define HDR_BOOT_FLAG 0x1fe /* u16, 0xaa55 */
#define HDR_JUMP 0x200 /* u16: 0xeb, offset */
#define HDR_HEADER 0x202 /* u32, "HdrS" */
#define HDR_VERSION 0x206 /* u16 */
#define HDR_TYPE_OF_LOADER 0x210 /* u8 */
#define HDR_LOADFLAGS 0x211 /* u8 */
#define HDR_CODE32_START 0x214 /* u32 */
#define HDR_RAMDISK_IMAGE 0x218 /* u32 */
#define HDR_RAMDISK_SIZE 0x21c /* u32 */
#define HDR_HEAP_END_PTR 0x224 /* u16 */
#define HDR_EXT_LOADER_VER 0x226 /* u8 */
#define HDR_EXT_LOADER_TYPE 0x227 /* u8 */
#define HDR_CMD_LINE_PTR 0x228 /* u32 */
#define HDR_INITRD_ADDR_MAX 0x22c /* u32 */
#define HDR_KERNEL_ALIGNMENT 0x230 /* u32 */
#define HDR_RELOCATABLE_KERNEL 0x234 /* u8 */
#define HDR_MIN_ALIGNMENT 0x235 /* u8 */
#define HDR_XLOADFLAGS 0x236 /* u16 */
#define HDR_CMDLINE_SIZE 0x238 /* u32 */
#define HDR_HARDWARE_SUBARCH 0x23c /* u32 */
#define HDR_HARDWARE_SUBARCH_DATA 0x240 /* u64 */
#define HDR_PAYLOAD_OFFSET 0x248 /* u32 */
#define HDR_PAYLOAD_LENGTH 0x24c /* u32 */
#define HDR_SETUP_DATA 0x250 /* u64 */
#define HDR_PREF_ADDRESS 0x258 /* u64 */
#define HDR_INIT_SIZE 0x260 /* u32 */
#define HDR_HANDOVER_OFFSET 0x264 /* u32 */
#define HDR_KERNEL_INFO_OFFSET 0x268 /* u32, 2.15+ */

#define HDR_MAGIC 0x53726448 /* "HdrS" */
#define HDR_BOOT_FLAG_MAGIC 0xaa55

_Static_assert(ZP_E820_TABLE + ZP_E820_MAX * ZP_E820_ENTRY_SIZE <= ZP_EDDBUF,
	       "e820_table overruns eddbuf");
_Static_assert(ZP_E820_ENTRIES < ZP_SENTINEL && ZP_SENTINEL < ZP_HDR,
	       "zero page fields out of order");
_Static_assert(HDR_SETUP_SECTS == ZP_HDR, "setup header starts at 0x1f1");
_Static_assert(HDR_HANDOVER_OFFSET + 4 == 0x268, "handover_offset ends 0x268");
/* jump = 0xeb rel8: a forward short jump ends the header at most at 0x281 */
_Static_assert(HDR_HEADER + 0x7f <= ZP_EDD_MBR_SIG_BUFFER,
	       "the longest setup header overlaps edd_mbr_sig_buffer");
_Static_assert(ZP_EXT_MEM_K < ZP_SCREEN_INFO + ZP_SCREEN_INFO_SIZE,
	       "ext_mem_k is part of screen_info");
_Static_assert(ZP_SCREEN_INFO_SIZE <= ZP_ACPI_RSDP_ADDR, "screen_info size");

#endif /* NL_ZEROPAGE_H */
