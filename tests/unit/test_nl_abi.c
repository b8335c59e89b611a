// SPDX-License-Identifier: GPL-2.0
/*
 * Layout of the node0/node ABI (node-loader/include/mint_abi.h) and of the
 * zero-page offsets node-loader writes, pinned at compile time. A change to
 * either struct must be a deliberate change here and in the kernel's copy.
 * The zero-page table and the Jailhouse block are also checked against the
 * build host's <asm/bootparam.h>, an independent source.
 */
#include <stddef.h>
#include <asm/bootparam.h>

#include "nl_test.h"
#include "../../node-loader/lib/zeropage.h"

#define OFF(type, field, off)                                 \
	_Static_assert(offsetof(struct type, field) == (off), \
		       #type "." #field " moved")
#define SIZE(type, size) \
	_Static_assert(sizeof(struct type) == (size), #type " size changed")

/* struct mint_setup_data: 176 bytes, packed (version 3) */
OFF(mint_setup_data, magic, 0);
OFF(mint_setup_data, version, 4);
OFF(mint_setup_data, node_id, 6);
OFF(mint_setup_data, real_bsp_apic_id, 8);
OFF(mint_setup_data, tsc_khz, 12);
OFF(mint_setup_data, ctrl_base, 16);
OFF(mint_setup_data, low_base, 24);
OFF(mint_setup_data, low_size, 32);
OFF(mint_setup_data, uart_port, 36);
OFF(mint_setup_data, num_devices, 38);
OFF(mint_setup_data, ecam_base, 40);
OFF(mint_setup_data, ecam_end_bus, 48);
OFF(mint_setup_data, reserved, 49);
OFF(mint_setup_data, devices, 56);
OFF(mint_setup_data, name, 120);
OFF(mint_setup_data, kernel_addr, 152);
OFF(mint_setup_data, link_base, 160); /* version 3 */
OFF(mint_setup_data, link_size, 168);
SIZE(mint_setup_data, 176);

/* struct jailhouse_setup_data_v2: 284 bytes, packed */
OFF(jailhouse_setup_data_v2, version, 0);
OFF(jailhouse_setup_data_v2, compatible_version, 2);
OFF(jailhouse_setup_data_v2, pm_timer_address, 4);
OFF(jailhouse_setup_data_v2, num_cpus, 6);
OFF(jailhouse_setup_data_v2, pci_mmconfig_base, 8);
OFF(jailhouse_setup_data_v2, tsc_khz, 16);
OFF(jailhouse_setup_data_v2, apic_khz, 20);
OFF(jailhouse_setup_data_v2, standard_ioapic, 24);
OFF(jailhouse_setup_data_v2, cpu_ids, 25);
OFF(jailhouse_setup_data_v2, flags, 280);
SIZE(jailhouse_setup_data_v2, 284);

/* ...and it is upstream's struct jailhouse_setup_data, field for field */
#define JH(mine, theirs)                                                      \
	_Static_assert(offsetof(struct jailhouse_setup_data_v2, mine) ==      \
			       offsetof(struct jailhouse_setup_data, theirs), \
		       "jailhouse " #mine " differs from upstream")
JH(version, hdr.version);
JH(compatible_version, hdr.compatible_version);
JH(pm_timer_address, v1.pm_timer_address);
JH(num_cpus, v1.num_cpus);
JH(pci_mmconfig_base, v1.pci_mmconfig_base);
JH(tsc_khz, v1.tsc_khz);
JH(apic_khz, v1.apic_khz);
JH(standard_ioapic, v1.standard_ioapic);
JH(cpu_ids, v1.cpu_ids);
JH(flags, v2.flags);
_Static_assert(sizeof(struct jailhouse_setup_data_v2) ==
		       sizeof(struct jailhouse_setup_data),
	       "jailhouse size differs from upstream");
_Static_assert(SETUP_JAILHOUSE == 6, "SETUP_JAILHOUSE");
_Static_assert(JAILHOUSE_SETUP_REQUIRED_VERSION == 1, "jailhouse compat");

/* struct mint_ctrl: 344 bytes, packed */
OFF(mint_ctrl, magic, 0);
OFF(mint_ctrl, version, 8);
OFF(mint_ctrl, state, 12);
OFF(mint_ctrl, heartbeat, 16);
OFF(mint_ctrl, boot_tsc, 24);
OFF(mint_ctrl, trampoline, 32);
OFF(mint_ctrl, stop_request, 36);
OFF(mint_ctrl, cpus_up, 40);
OFF(mint_ctrl, reserved, 44);
OFF(mint_ctrl, panic_msg, 48);
OFF(mint_ctrl, log_head, 304);
OFF(mint_ctrl, con_head, 312);
OFF(mint_ctrl, con_in_head, 320);
OFF(mint_ctrl, con_in_tail, 328);
OFF(mint_ctrl, nmi_ready, 336);
OFF(mint_ctrl, nmi_stopped, 340);
OFF(mint_ctrl, phase_tsc, 344); /* control area version 2 */
SIZE(mint_ctrl, 472);

/* constants both sides rely on */
_Static_assert(SETUP_MINT_NODE == 0x6d6e, "SETUP_MINT_NODE");
_Static_assert(MINT_SETUP_MAGIC == 0x544e494d, "MINT_SETUP_MAGIC");
_Static_assert(MINT_CTRL_SIZE == 0x200000, "MINT_CTRL_SIZE");
_Static_assert(MINT_CTRL_VERSION == 2, "MINT_CTRL_VERSION");
_Static_assert(MINT_PHASE_COUNT <= MINT_PHASE_SLOTS, "MINT_PHASE_SLOTS");
_Static_assert(sizeof(struct mint_ctrl) <= MINT_VMS_OFFSET,
	       "the control words end before the VM list");
_Static_assert(MINT_SETUP_VERSION == 3, "MINT_SETUP_VERSION");
_Static_assert(MINT_START_PGT_PAGES * 4096 < MINT_LOW_SLOT - 2 * 4096,
	       "start page tables leave the decompressor's trampoline room");
_Static_assert(MINT_LOW_SLICE(1) == 0x20000 && MINT_LOW_SLICE(7) == 0x80000,
	       "MINT_LOW_SLICE");
_Static_assert(MINT_LOW_SLICE(MINT_MAX_NODES) + MINT_LOW_SLOT <= 0x9fc00,
	       "the last low slice ends below the EBDA");
_Static_assert(KEXEC_MINT_ID_MASK >> KEXEC_MINT_ID_SHIFT == 0xf,
	       "the node id field holds 1..MINT_MAX_NODES");
_Static_assert((KEXEC_MINT_NODE & KEXEC_MINT_ID_MASK) == 0,
	       "KEXEC_MINT_NODE overlaps the id field");

/* node-loader's zero-page offsets against <asm/bootparam.h> */
#define BP(mine, field)                                               \
	_Static_assert((mine) == offsetof(struct boot_params, field), \
		       #mine " differs from struct boot_params." #field)
BP(ZP_SCREEN_INFO, screen_info);
BP(ZP_EXT_MEM_K, screen_info.ext_mem_k);
BP(ZP_ACPI_RSDP_ADDR, acpi_rsdp_addr);
BP(ZP_EXT_RAMDISK_IMAGE, ext_ramdisk_image);
BP(ZP_EXT_RAMDISK_SIZE, ext_ramdisk_size);
BP(ZP_EXT_CMD_LINE_PTR, ext_cmd_line_ptr);
BP(ZP_ALT_MEM_K, alt_mem_k);
BP(ZP_E820_ENTRIES, e820_entries);
BP(ZP_SENTINEL, sentinel);
BP(ZP_HDR, hdr);
BP(ZP_EDD_MBR_SIG_BUFFER, edd_mbr_sig_buffer);
BP(ZP_E820_TABLE, e820_table);
BP(ZP_EDDBUF, eddbuf);
BP(HDR_SYSSIZE, hdr.syssize);
BP(HDR_VID_MODE, hdr.vid_mode);
BP(HDR_BOOT_FLAG, hdr.boot_flag);
BP(HDR_JUMP, hdr.jump);
BP(HDR_HEADER, hdr.header);
BP(HDR_VERSION, hdr.version);
BP(HDR_TYPE_OF_LOADER, hdr.type_of_loader);
BP(HDR_LOADFLAGS, hdr.loadflags);
BP(HDR_CODE32_START, hdr.code32_start);
BP(HDR_RAMDISK_IMAGE, hdr.ramdisk_image);
BP(HDR_RAMDISK_SIZE, hdr.ramdisk_size);
BP(HDR_HEAP_END_PTR, hdr.heap_end_ptr);
BP(HDR_EXT_LOADER_VER, hdr.ext_loader_ver);
BP(HDR_EXT_LOADER_TYPE, hdr.ext_loader_type);
BP(HDR_CMD_LINE_PTR, hdr.cmd_line_ptr);
BP(HDR_INITRD_ADDR_MAX, hdr.initrd_addr_max);
BP(HDR_KERNEL_ALIGNMENT, hdr.kernel_alignment);
BP(HDR_RELOCATABLE_KERNEL, hdr.relocatable_kernel);
BP(HDR_MIN_ALIGNMENT, hdr.min_alignment);
BP(HDR_XLOADFLAGS, hdr.xloadflags);
BP(HDR_CMDLINE_SIZE, hdr.cmdline_size);
BP(HDR_HARDWARE_SUBARCH, hdr.hardware_subarch);
BP(HDR_HARDWARE_SUBARCH_DATA, hdr.hardware_subarch_data);
BP(HDR_PAYLOAD_OFFSET, hdr.payload_offset);
BP(HDR_PAYLOAD_LENGTH, hdr.payload_length);
BP(HDR_SETUP_DATA, hdr.setup_data);
BP(HDR_PREF_ADDRESS, hdr.pref_address);
BP(HDR_INIT_SIZE, hdr.init_size);
BP(HDR_HANDOVER_OFFSET, hdr.handover_offset);
_Static_assert(sizeof(struct boot_params) == ZP_SIZE, "zero page size");
_Static_assert(sizeof(struct boot_e820_entry) == ZP_E820_ENTRY_SIZE,
	       "e820 entry size");
_Static_assert(E820_MAX_ENTRIES_ZEROPAGE == NL_E820_MAX, "e820 entries");
_Static_assert(NL_BZ_HDR_LIMIT == ZP_EDD_MBR_SIG_BUFFER, "header limit");

/* The static asserts did the work; this makes the suite report it. */
START_TEST(abi_layout_pinned)
{
	ck_assert_uint_eq(sizeof(struct mint_setup_data), 176);
	ck_assert_uint_eq(sizeof(struct jailhouse_setup_data_v2), 284);
	ck_assert_uint_eq(sizeof(struct mint_ctrl), 472);
}
END_TEST

Suite *nl_suite_abi(void)
{
	Suite *s = suite_create("abi");

	NL_TEST(s, abi_layout_pinned);
	return s;
}
