/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libmint: what node0's kernel enforces for a node's PCI functions, as
 * /sys/kernel/mint/NAME/dma reports it (docs/sysfs-abi.md), and how that
 * compares with the config. Pure functions.
 */
#ifndef MINT_DMA_H
#define MINT_DMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"

struct mint_dma_dev {
	struct mint_pci_addr addr;
	char how[16]; /* confined, unconfined, node0, absent */
};

struct mint_dma_map {
	uint64_t first, last; /* inclusive */
	bool ok; /* the IOMMU maps its first and last page to themselves */
};

struct mint_dma_fault {
	struct mint_pci_addr addr;
	bool write; /* the device wrote memory (e.g. a disk read) */
	uint64_t iova;
};

struct mint_dma {
	bool iommu_off;
	struct mint_dma_dev devices[MINT_MAX_DEVICES];
	unsigned int nr_devices;
	struct mint_dma_map maps[MINT_MAX_RANGES];
	unsigned int nr_maps;
	uint64_t faults; /* every fault since the node was defined */
	struct mint_dma_fault recent[MINT_DMA_FAULTS_KEPT]; /* oldest first */
	unsigned int nr_recent;
};

/* Parse the file's text. 0, or -EINVAL with the offending line in @why. */
int mint_dma_parse(const char *text, struct mint_dma *out, char *why,
		   size_t whylen);

/*
 * The RAM the node's devices may reach: its ranges without the control
 * area at the end of the first (what node0 maps), in config order, in
 * @out (at most MINT_MAX_RANGES). Returns the count.
 */
unsigned int mint_dma_expected(const struct mint_node *n,
			       struct mint_dma_map *out);

/*
 * A PCI function's interrupt messages, from its configuration space (the
 * sysfs config file, at least the first 256 bytes): MSI's destination
 * when it is enabled, and where MSI-X's table lies when MSI-X is.
 */
struct mint_msi {
	bool msi_on;
	uint32_t msi_dest; /* APIC ID: address bits 19:12 */
	bool msix_on;
	bool msix_masked; /* the function mask: no MSI-X message is sent */
	unsigned int msix_bir; /* the BAR of the table */
	uint32_t msix_offset; /* in the BAR */
	unsigned int msix_entries;
};

/* 0, or -EINVAL for a space too short or a capability list that leaves
 * it or loops. */
int mint_msi_parse(const uint8_t *cfg, size_t len, struct mint_msi *out);

/* One 16-byte MSI-X table entry: its destination APIC ID, or -1 when it
 * is masked or not programmed (address 0). */
int mint_msix_dest(const uint8_t *entry);

#endif /* MINT_DMA_H */
