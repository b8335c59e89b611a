/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The contract between node0 (kernel + node-loader) and a node kernel.
 *
 * This layout is duplicated, field for field, in the kernel patch as
 * arch/x86/include/uapi/asm/mint.h; a unit test checks both copies agree.
 */
#ifndef MINT_ABI_H
#define MINT_ABI_H

#include <stdint.h>

/* ---------------------------------------------------------------- kexec */
/* kexec_load(2) flag: load a node image into that node's held-back RAM.
 * The node id (1..MINT_MAX_NODES) goes in bits 12..15 of the flags; `entry`
 * is the physical address of the node's boot_params page, whose
 * hdr.code32_start is the 32-bit entry the trampoline jumps to. */
#define KEXEC_MINT_NODE 0x00000100
#define KEXEC_MINT_ID_SHIFT 12
#define KEXEC_MINT_ID_MASK 0x0000f000
#define MINT_MAX_NODES 7

/* -------------------------------------------------------- low memory */
/* node0 reserves [MINT_LOW_BASE, MINT_LOW_BASE + (1 + nodes) * MINT_LOW_SLOT)
 * at boot. Slot 0 holds node0's start trampolines, one page per node id;
 * slot k is node k's private low RAM (for its own SMP trampoline). */
#define MINT_LOW_BASE 0x10000ULL
#define MINT_LOW_SLOT 0x10000ULL
#define MINT_TRAMPOLINE_PAGE(id) (MINT_LOW_BASE + (uint64_t)(id) * 0x1000)
#define MINT_LOW_SLICE(id) (MINT_LOW_BASE + (uint64_t)(id) * MINT_LOW_SLOT)

/* node0 builds the identity-mapped page tables of the 64-bit entry at the
 * bottom of the node's low slice, at most MINT_START_PGT_PAGES pages. */
#define MINT_START_PGT_PAGES 12

/* ------------------------------------------------------ control area */
/* The last MINT_CTRL_SIZE bytes of a node's first RAM range are shared
 * with node0: e820-reserved for the node, never allocated by it. */
#define MINT_CTRL_SIZE 0x200000ULL

/* -------------------------------------------------------- setup_data */
/* boot_params setup_data type carrying struct mint_setup_data. Its presence
 * is what makes the kernel run as a mint node. */
#define SETUP_MINT_NODE 0x6d6e
#define MINT_SETUP_MAGIC 0x544e494d /* "MINT" */
#define MINT_SETUP_VERSION 2
#define MINT_MAX_DEVICES 16

struct mint_setup_data {
	uint32_t magic;
	uint16_t version;
	uint16_t node_id;
	uint32_t real_bsp_apic_id; /* node0's boot CPU */
	uint32_t tsc_khz;
	uint64_t ctrl_base; /* shared control area (MINT_CTRL_SIZE) */
	uint64_t low_base; /* private slice below 1 MiB */
	uint32_t low_size;
	uint16_t uart_port; /* owned polled 8250 I/O port, 0 if none */
	uint16_t num_devices;
	uint64_t ecam_base; /* PCI ECAM (MMCONFIG) of segment 0, 0 if none */
	uint8_t ecam_end_bus;
	uint8_t reserved[7];
	uint32_t devices[MINT_MAX_DEVICES]; /* allow-list: bus << 8 | devfn */
	char name[32];
	uint64_t kernel_addr; /* bzImage payload; node0 enters at +0x200 */
} __attribute__((packed));

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

/* ------------------------------------------------ shared control page */
enum mint_node_state {
	MINT_STATE_OFFLINE = 0,
	MINT_STATE_LOADED = 1,
	MINT_STATE_STARTING = 2, /* INIT/SIPI sent */
	MINT_STATE_BOOTING = 3, /* trampoline ran, kernel booting */
	MINT_STATE_RUNNING = 4, /* node agent up, heartbeat ticking */
	MINT_STATE_HALTED = 5,
	MINT_STATE_PANIC = 6,
	MINT_STATE_HUNG = 7, /* set by node0 only */
	MINT_STATE_STOPPED = 8, /* set by node0 only */
};

#define MINT_CTRL_MAGIC 0x4c5254434e494d00ULL /* "\0MINTCTRL" */
#define MINT_CTRL_VERSION 1
#define MINT_PANIC_MSG 256
#define MINT_LOG_SIZE 0x10000
#define MINT_CON_SIZE 0x40000
/* The node's console ring (every kernel message) at ctrl_base + offset;
 * con_head counts bytes ever written, byte n is at n % MINT_CON_SIZE. */
#define MINT_CON_OFFSET 0x1000
/* console input from node0: con_in_head (node0), con_in_tail (node) */
#define MINT_CON_IN_OFFSET 0x41000
#define MINT_CON_IN_SIZE 0x1000
/* the node's VMs as "NAME STATE DETAIL" lines, NUL-terminated */
#define MINT_VMS_OFFSET 0x800
#define MINT_VMS_SIZE 0x800

/* At ctrl_base. Written by the node unless marked; node0 reads it. */
struct mint_ctrl {
	uint64_t magic;
	uint32_t version;
	uint32_t state; /* enum mint_node_state */
	uint64_t heartbeat; /* incremented by the node's agent */
	uint64_t boot_tsc; /* node0's TSC when it sent SIPI (node0) */
	uint32_t trampoline; /* 'TRMP' when the trampoline ran */
	uint32_t stop_request; /* node0 -> node: 1 graceful, 2 forced */
	uint32_t cpus_up;
	uint32_t reserved;
	char panic_msg[MINT_PANIC_MSG];
	/* kernel log tail (kmsg dumper) and console ring: byte rings with
	 * free-running head counters; data follows the struct */
	uint64_t log_head;
	uint64_t con_head;
	uint64_t con_in_head; /* node0 -> node console input */
	uint64_t con_in_tail;
	uint32_t nmi_ready; /* the node handles node0's stop NMI */
	uint32_t nmi_stopped; /* CPUs that took it: virtualization off */
} __attribute__((packed));

#endif
