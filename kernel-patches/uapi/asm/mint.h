/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Mint multi-kernel partitioning: the contract between node0's kernel, a
 * node kernel and user space (mintctl, node-loader, the tests).
 *
 * This file is the only definition: kernel-patches/apply.sh installs it
 * verbatim into the patched kernel's x86 uapi headers, and user space
 * includes the project's copy. `make check` compiles the header the patched
 * kernel exports beside this one and compares every size, offset and
 * constant (tests/kernel/abi-check.sh). The sysfs files are described in
 * docs/sysfs-abi.md.
 */
#ifndef _UAPI_ASM_X86_MINT_H
#define _UAPI_ASM_X86_MINT_H

#ifndef __ASSEMBLY__
#include <linux/types.h>
#endif

/* ---------------------------------------------------------------- limits */
#define MINT_MAX_NODES		7	/* node ids 1..7; node0 is implicit */
#define MINT_MAX_RANGES		8	/* RAM ranges of one node */
#define MINT_MAX_DEVICES	16	/* whole PCI functions of one node */
#define MINT_NAME_LEN		32	/* node name, with its NUL */

/* ------------------------------------------------------------ kexec_load */
/*
 * kexec_load(2) flag: load a node image into that node's held-back RAM.
 * The node id (1..MINT_MAX_NODES) goes in the KEXEC_MINT_ID_MASK bits;
 * `entry` is the physical address of the node's boot_params page.
 */
#define KEXEC_MINT_NODE		0x00000100
#define KEXEC_MINT_ID_SHIFT	12
#define KEXEC_MINT_ID_MASK	0x0000f000

/* ------------------------------------------------------------ low memory */
/*
 * node0 holds back [MINT_LOW_BASE, MINT_LOW_BASE + (1 + nodes) *
 * MINT_LOW_SLOT) at boot. Slot 0: node0's start trampolines, a page per
 * node id; slot k: node k's private low RAM (its own SMP trampoline).
 */
#define MINT_LOW_BASE		0x10000ULL
#define MINT_LOW_SLOT		0x10000ULL
#define MINT_TRAMPOLINE_PAGE(id) (MINT_LOW_BASE + (__u64)(id) * 0x1000)
#define MINT_LOW_SLICE(id)	(MINT_LOW_BASE + (__u64)(id) * MINT_LOW_SLOT)

/*
 * node0 builds the identity-mapped page tables of the 64-bit entry at the
 * bottom of the node's low slice, at most MINT_START_PGT_PAGES pages.
 */
#define MINT_START_PGT_PAGES	12

/* ------------------------------------------------------------ setup_data */
/*
 * boot_params setup_data type carrying struct mint_setup_data; its
 * presence is what makes a kernel run as a mint node.
 */
#define SETUP_MINT_NODE		0x6d6e
#define MINT_SETUP_MAGIC	0x544e494d	/* "MINT" */
#define MINT_SETUP_VERSION	3

#ifndef __ASSEMBLY__
struct mint_setup_data {
	__u32 magic;
	__u16 version;
	__u16 node_id;
	__u32 real_bsp_apic_id;		/* node0's boot CPU */
	__u32 tsc_khz;
	__u64 ctrl_base;		/* the control area, MINT_CTRL_SIZE */
	__u64 low_base;			/* private slice below 1 MiB */
	__u32 low_size;
	__u16 uart_port;		/* owned polled 8250 port, 0: none */
	__u16 num_devices;
	__u64 ecam_base;		/* ECAM of PCI segment 0, 0: none */
	__u8 ecam_end_bus;
	__u8 reserved[7];
	__u32 devices[MINT_MAX_DEVICES];	/* bus << 8 | devfn */
	char name[MINT_NAME_LEN];
	__u64 kernel_addr;		/* bzImage payload; entry at +0x200 */
	__u64 link_base;		/* its link to node0, 0: none */
	__u64 link_size;
} __attribute__((packed));
#endif

/* ---------------------------------------------------------- node states */
/*
 * In lifecycle order. MINT_STATE_NAMES gives what
 * /sys/kernel/mint/NAME/state reads for each; MINT_STATE_COUNT ends the list.
 * failed: node0 gave up on the node and cannot vouch that its CPUs are
 * parked: it did not reach running by its boot deadline (its CPUs were
 * sent INIT), or a stop did not confirm every CPU. It holds its CPUs
 * until a forced stop confirms them all.
 */
#ifndef __ASSEMBLY__
enum mint_node_state {
	MINT_STATE_OFFLINE,
	MINT_STATE_LOADED,
	MINT_STATE_STARTING,	/* INIT/SIPI sent */
	MINT_STATE_BOOTING,	/* trampoline ran, kernel booting */
	MINT_STATE_RUNNING,	/* node agent up, heartbeat ticking */
	MINT_STATE_HALTED,
	MINT_STATE_PANIC,
	MINT_STATE_HUNG,	/* set by node0 only */
	MINT_STATE_STOPPED,	/* set by node0 only */
	MINT_STATE_FAILED,	/* set by node0 only: see below */
	MINT_STATE_COUNT
};
#endif

#define MINT_STATE_NAMES {				\
	[MINT_STATE_OFFLINE]	= "offline",		\
	[MINT_STATE_LOADED]	= "loaded",		\
	[MINT_STATE_STARTING]	= "starting",		\
	[MINT_STATE_BOOTING]	= "booting",		\
	[MINT_STATE_RUNNING]	= "running",		\
	[MINT_STATE_HALTED]	= "halted",		\
	[MINT_STATE_PANIC]	= "panic",		\
	[MINT_STATE_HUNG]	= "hung",		\
	[MINT_STATE_STOPPED]	= "stopped",		\
	[MINT_STATE_FAILED]	= "failed",		\
}

#define MINT_STATE_BIT(s)	(1U << (s))
/* The node holds its CPUs: stop it before release, load or undefine. */
#define MINT_STATES_HOLDING_CPUS					\
	(MINT_STATE_BIT(MINT_STATE_STARTING) |				\
	 MINT_STATE_BIT(MINT_STATE_BOOTING) |				\
	 MINT_STATE_BIT(MINT_STATE_RUNNING) |				\
	 MINT_STATE_BIT(MINT_STATE_HALTED) |				\
	 MINT_STATE_BIT(MINT_STATE_PANIC) |				\
	 MINT_STATE_BIT(MINT_STATE_HUNG) |				\
	 MINT_STATE_BIT(MINT_STATE_FAILED))
/* Started, not stopped, and no longer running. */
#define MINT_STATES_FAILED						\
	(MINT_STATE_BIT(MINT_STATE_HALTED) |				\
	 MINT_STATE_BIT(MINT_STATE_PANIC) |				\
	 MINT_STATE_BIT(MINT_STATE_HUNG) |				\
	 MINT_STATE_BIT(MINT_STATE_FAILED))

/* --------------------------------------------- /sys/kernel/mint (node0) */
#define MINT_SYSFS_DIR		"/sys/kernel/mint"

/* Words written to /sys/kernel/mint/NAME/control */
#define MINT_CONTROL_START	"start"
#define MINT_CONTROL_STOP	"stop"
#define MINT_CONTROL_STOP_FORCE	"stop-force"
#define MINT_CONTROL_RELEASE	"release"

/*
 * The line written to /sys/kernel/mint/define, keys in any order,
 * separated by blanks (a repeated id, name, cpus or iommu replaces the
 * earlier value; repeated mem adds ranges):
 *   id=N name=NAME cpus=CPULIST mem=BASE+SIZE[,BASE+SIZE...] [iommu=WORD]
 * N in 1..MINT_MAX_NODES; NAME of [A-Za-z0-9_-], below MINT_NAME_LEN;
 * CPULIST as in cpulist_parse() ("2-3,5"); BASE and SIZE as kstrtoull()
 * reads them (0x for hex), 2 MiB aligned, at most MINT_MAX_RANGES ranges.
 * WORD: MINT_IOMMU_REQUIRED (the default: a load naming a PCI function no
 * IOMMU translates is refused, and the node's functions can DMA only to
 * its RAM) or MINT_IOMMU_OFF (its functions are given away unconfined).
 * link=BASE+SIZE: the node's network link to node0 (see "links" below),
 * held back like its RAM, outside it and every other node's RAM and link.
 */
#define MINT_DEFINE_ID		"id"
#define MINT_DEFINE_NAME	"name"
#define MINT_DEFINE_CPUS	"cpus"
#define MINT_DEFINE_MEM		"mem"
#define MINT_DEFINE_IOMMU	"iommu"
#define MINT_DEFINE_LINK	"link"
#define MINT_IOMMU_REQUIRED	"required"
#define MINT_IOMMU_OFF		"off"

/*
 * /sys/kernel/mint/NAME/dma, one record per line (docs/sysfs-abi.md):
 *   iommu required|off
 *   device DDDD:BB:DD.F confined|unconfined|node0|absent
 *   map 0xFIRST 0xLAST ok|wrong
 *   faults COUNT
 *   fault DDDD:BB:DD.F read|write 0xADDRESS
 * with the node's last MINT_DMA_FAULTS_KEPT faults, oldest first.
 */
#define MINT_DMA_FAULTS_KEPT	8
#define MINT_DMA_IOMMU		"iommu"
#define MINT_DMA_DEVICE		"device"
#define MINT_DMA_MAP		"map"
#define MINT_DMA_FAULTS		"faults"
#define MINT_DMA_FAULT		"fault"
#define MINT_DMA_CONFINED	"confined"
#define MINT_DMA_UNCONFINED	"unconfined"
#define MINT_DMA_NODE0		"node0"
#define MINT_DMA_ABSENT		"absent"
#define MINT_DMA_MAP_OK		"ok"
#define MINT_DMA_MAP_WRONG	"wrong"
#define MINT_DMA_READ		"read"
#define MINT_DMA_WRITE		"write"

/* --------------------------------------------------------------- links */
/*
 * A node's network link to node0: an Ethernet device on each side
 * (MINT_LINK_NODE_IFNAME in the node, "mint-NAME" in node0) over a region
 * of shared memory node0 holds back, MINT_LINK_ALIGN aligned, between
 * MINT_LINK_MIN_SIZE and MINT_LINK_MAX_SIZE. The region: struct
 * mint_link_hdr in its first MINT_LINK_HDR_SIZE bytes, then two rings of
 * MINT_LINK_RING_BYTES(size) bytes each, ring MINT_LINK_TO_NODE (node0
 * writes frames, the node reads them) first.
 *
 * A ring carries records: struct mint_link_rec, then the frame, the whole
 * padded to MINT_LINK_REC_ALIGN bytes; a record starts at offset
 * (head % ring bytes) of the ring and its frame wraps to the ring's start.
 * head (the producer's) and tail (the consumer's) count bytes ever
 * written and consumed; head - tail <= ring bytes. Each side keeps its own
 * index privately and checks the other's before using it: a bad one ends
 * the epoch.
 *
 * Epochs: node0 fills the header before each start of the node (gen 1, 2,
 * ...) and whenever it finds the link corrupt or the node asks
 * (reset_req == gen): it clears node0_up, then bumps gen. The node, seeing
 * a new gen, stops using the rings, restarts its indices at 0 and writes
 * node_ack = gen; node0 then zeroes the rings' indices and sets node0_up.
 * The link carries frames while node0_up, node_up (the node's device is
 * up), node_ack == gen and the node is running.
 *
 * Notifications: an IPI on the x86 platform vector (0xf7), from node0 to
 * the node's boot CPU and from the node to node0's boot CPU
 * (real_bsp_apic_id), never broadcast. A consumer that goes idle sets its
 * ring's cons_wait; a producer that stopped for room sets prod_wait; the
 * other side sends an IPI when it finds its peer waiting.
 */
#define MINT_LINK_NODE_IFNAME	"mint0"
#define MINT_LINK_IFPREFIX	"mint-"	/* node0's: mint-NAME, or mint-idN */
#define MINT_LINK_MAGIC		0x4b4e494c544e494dULL	/* "MINTLINK" */
#define MINT_LINK_VERSION	1
#define MINT_LINK_ALIGN		0x200000ULL
#define MINT_LINK_MIN_SIZE	0x200000ULL
#define MINT_LINK_MAX_SIZE	0x4000000ULL
#define MINT_LINK_HDR_SIZE	0x1000
#define MINT_LINK_REC_ALIGN	64
#define MINT_LINK_RING_BYTES(size)					\
	((((size) - MINT_LINK_HDR_SIZE) / 2) & ~(__u64)(MINT_LINK_REC_ALIGN - 1))
#define MINT_LINK_MTU		65280	/* default and largest MTU */
/* the largest frame: the MTU, an Ethernet header and one VLAN tag */
#define MINT_LINK_FRAME_MAX	(MINT_LINK_MTU + 18)
/* MAC of node ID's link: 02:6d:69:6e:ID:00 in node0, ...:ID:01 in the node */
#define MINT_LINK_MAC_PREFIX	0x026d696eU	/* its first 4 bytes */

#define MINT_LINK_TO_NODE	0	/* ring[]: node0 writes, node reads */
#define MINT_LINK_TO_NODE0	1	/* the node writes, node0 reads */

/* mint_link_rec.flags */
#define MINT_LINK_CSUM_PARTIAL	1	/* checksum at csum_start + offset */

#ifndef __ASSEMBLY__
struct mint_link_rec {
	__u32 len;			/* frame bytes after this record */
	__u16 flags;
	__u16 csum_start;		/* from the frame's first byte */
	__u16 csum_offset;		/* from csum_start */
	__u16 reserved[3];
} __attribute__((packed));

/* A ring's indices; producer's and consumer's on their own cache lines. */
struct mint_link_ring {
	__u64 head;			/* producer */
	__u32 prod_wait;		/* producer: kick me when you consume */
	__u8 pad0[52];
	__u64 tail;			/* consumer */
	__u32 cons_wait;		/* consumer: kick me when you produce */
	__u8 pad1[52];
} __attribute__((packed));

struct mint_link_hdr {
	__u64 magic;			/* node0 */
	__u32 version;			/* node0 */
	__u32 reserved0;
	__u64 size;			/* node0: the region's bytes */
	__u64 gen;			/* node0: the epoch */
	__u64 node_ack;			/* node: the epoch it restarted for */
	__u64 reset_req;		/* node: asks node0 to end epoch gen */
	__u32 node0_up;			/* node0 */
	__u32 node_up;			/* node */
	__u8 pad[8];
	struct mint_link_ring ring[2];
} __attribute__((packed));
#endif

/*
 * /sys/kernel/mint/NAME/link (node0), one record per line:
 *   ifname IFNAME
 *   region 0xBASE 0xSIZE
 *   state up|down|waiting|none
 *   epoch GEN
 *   resets COUNT
 *   errors COUNT
 *   missed-kicks COUNT
 * "waiting": node0's side is up, the node's not (yet); "none": no link.
 */
#define MINT_LINK_UP		"up"
#define MINT_LINK_DOWN		"down"
#define MINT_LINK_WAITING	"waiting"
#define MINT_LINK_NONE		"none"

/* -------------------------------------------------------- control area */
/*
 * The last MINT_CTRL_SIZE bytes of a node's first RAM range are shared
 * with node0: e820-reserved for the node, never allocated by it.
 */
#define MINT_CTRL_SIZE		0x200000ULL
#define MINT_CTRL_MAGIC		0x4c5254434e494d00ULL	/* "\0MINTCTRL" */
#define MINT_CTRL_VERSION	2
#define MINT_PANIC_MSG		256
#define MINT_LOG_SIZE		0x10000
/*
 * The node's console ring: every kernel message, at ctrl_base + offset.
 * con_head counts bytes ever written; byte n is at n % MINT_CON_SIZE.
 */
#define MINT_CON_OFFSET		0x1000
#define MINT_CON_SIZE		0x40000
/* Console input from node0: con_in_head (node0) and con_in_tail (node). */
#define MINT_CON_IN_OFFSET	0x41000
#define MINT_CON_IN_SIZE	0x1000
/* The node's VMs as text lines "NAME STATE DETAIL", NUL-terminated. */
#define MINT_VMS_OFFSET		0x800
#define MINT_VMS_SIZE		0x800

/* ----------------------------------------------------------- timeline */
/*
 * A node start's phases, in order. Each is stamped with the TSC when it
 * is reached: node0, its start trampoline and the node read the same
 * machine's TSC (convert with /sys/kernel/mint/tsc_khz). The stamps are
 * ctrl.phase_tsc[phase], 0 for a phase not reached (yet); node0 keeps its
 * load stamps until the start and /sys/kernel/mint/NAME/timeline reads
 * them all. The node's user space stamps MINT_PHASES_USER by writing a
 * phase's name to MINT_NODE_PHASE_FILE; a phase is stamped once.
 */
#ifndef __ASSEMBLY__
enum mint_phase {
	MINT_PHASE_LOAD,	/* node0: kexec_load(2) entered */
	MINT_PHASE_CHECKED,	/* node0: the image passed every check */
	MINT_PHASE_COPIED,	/* node0: the image is in the node's RAM */
	MINT_PHASE_START,	/* node0: "start" written to control */
	MINT_PHASE_CPUS_OFF,	/* node0: the node's CPUs left node0 */
	MINT_PHASE_SIPI,	/* node0: INIT and SIPI sent */
	MINT_PHASE_ENTRY,	/* trampoline: jumps to the kernel's entry */
	MINT_PHASE_DECOMPRESSED, /* node: the decompressed kernel's first C */
	MINT_PHASE_START_KERNEL, /* node: start_kernel() reached setup_arch() */
	MINT_PHASE_SMP_UP,	/* node: every CPU up, initcalls begin */
	MINT_PHASE_INITCALLS,	/* node: initcalls done, state running */
	MINT_PHASE_INIT,	/* node's init started */
	MINT_PHASE_AGENT,	/* node's init: its services are up */
	MINT_PHASE_VMS,		/* node's VM supervisor: its VMs started */
	MINT_PHASE_COUNT
};
#endif

#define MINT_PHASE_SLOTS	16	/* ctrl.phase_tsc[], >= the count */
#define MINT_PHASE_NAMES {					\
	[MINT_PHASE_LOAD]		= "load",		\
	[MINT_PHASE_CHECKED]		= "checked",		\
	[MINT_PHASE_COPIED]		= "copied",		\
	[MINT_PHASE_START]		= "start",		\
	[MINT_PHASE_CPUS_OFF]		= "cpus-off",		\
	[MINT_PHASE_SIPI]		= "sipi",		\
	[MINT_PHASE_ENTRY]		= "entry",		\
	[MINT_PHASE_DECOMPRESSED]	= "decompressed",	\
	[MINT_PHASE_START_KERNEL]	= "start-kernel",	\
	[MINT_PHASE_SMP_UP]		= "smp-up",		\
	[MINT_PHASE_INITCALLS]		= "initcalls",		\
	[MINT_PHASE_INIT]		= "init",		\
	[MINT_PHASE_AGENT]		= "agent",		\
	[MINT_PHASE_VMS]		= "vms",		\
}

#define MINT_PHASE_BIT(p)	(1U << (p))
#define MINT_PHASES_USER						\
	(MINT_PHASE_BIT(MINT_PHASE_INIT) |				\
	 MINT_PHASE_BIT(MINT_PHASE_AGENT) |				\
	 MINT_PHASE_BIT(MINT_PHASE_VMS))

/* --------------------------------------- /sys/kernel/mint_node (a node) */
#define MINT_NODE_SYSFS_DIR	"/sys/kernel/mint_node"
#define MINT_NODE_PHASE_FILE	MINT_NODE_SYSFS_DIR "/phase"
#define MINT_NODE_VMS_FILE	MINT_NODE_SYSFS_DIR "/vms"

/* ctrl.trampoline once node0's start trampoline ran on the node's CPU */
#define MINT_TRAMPOLINE_RAN	0x504d5254	/* "TRMP" */
/* ctrl.stop_request, written by node0 */
#define MINT_STOP_GRACEFUL	1
#define MINT_STOP_FORCED	2

#ifndef __ASSEMBLY__
/* At ctrl_base. Written by the node unless marked; node0 reads it. */
struct mint_ctrl {
	__u64 magic;
	__u32 version;
	__u32 state;			/* enum mint_node_state */
	__u64 heartbeat;		/* counted up while every node CPU ticks */
	__u64 boot_tsc;			/* node0: its TSC at the SIPI */
	__u32 trampoline;		/* MINT_TRAMPOLINE_RAN */
	__u32 stop_request;		/* node0: MINT_STOP_* */
	__u32 cpus_up;
	__u32 reserved;
	char panic_msg[MINT_PANIC_MSG];
	__u64 log_head;
	__u64 con_head;
	__u64 con_in_head;		/* node0: console input written */
	__u64 con_in_tail;		/* console input consumed */
	__u32 nmi_ready;		/* the node handles node0's stop NMI */
	__u32 nmi_stopped;		/* CPUs that took it: virt. off */
	__u64 phase_tsc[MINT_PHASE_SLOTS];	/* node0 and node: timeline */
} __attribute__((packed));
#endif

#endif /* _UAPI_ASM_X86_MINT_H */
