/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The contract between node0 (kernel + node-loader) and a node kernel is
 * kernel-patches/uapi/asm/mint.h, the one definition the patched kernel
 * installs as its <asm/mint.h>. This header adds what node-loader needs
 * besides: upstream's Jailhouse setup_data block, which a node reuses.
 */
#ifndef MINT_ABI_H
#define MINT_ABI_H

#include <stdint.h>

#include "../../kernel-patches/uapi/asm/mint.h"

/* Upstream Linux struct jailhouse_setup_data (SETUP_JAILHOUSE = 6), v2:
 * the node kernel reuses the Jailhouse guest platform code. */
#define SETUP_JAILHOUSE 6
#define JAILHOUSE_SETUP_REQUIRED_VERSION 1
struct jailhouse_setup_data_v2 {
	uint16_t version; /* 2 */
	uint16_t compatible_version; /* 1 */
	uint16_t pm_timer_address;
	uint16_t num_cpus;
	uint64_t pci_mmconfig_base;
	uint32_t tsc_khz;
	uint32_t apic_khz;
	uint8_t standard_ioapic;
	uint8_t cpu_ids[255];
	uint32_t flags;
} __attribute__((packed));

#endif
