/* SPDX-License-Identifier: GPL-2.0 */
/*
 * node-loader: build everything node0 hands to a node kernel (boot_params,
 * e820 table, setup_data, command line) and the list of kexec segments that
 * put it into the node's RAM. docs/node-boot.md describes the result.
 *
 * Every function here is pure: bytes and structs in, bytes and structs out,
 * no I/O, no globals. On failure a function returns a negative errno
 * (-EINVAL: bad input, -ENOSPC: does not fit, -E2BIG: too many entries,
 * -ENOMEM) and, when @err is not NULL, describes the problem in err->msg as
 * one line without a trailing newline. On success err is left untouched.
 */
#ifndef NODELOADER_H
#define NODELOADER_H

#include <stddef.h>
#include <stdint.h>

#include "../include/mint_abi.h"

#define NL_PAGE_SIZE 0x1000ULL
#define NL_4G 0x100000000ULL

struct nl_err {
	char msg[256];
};

/* ------------------------------------------------------------- bzImage */
/* Documentation/arch/x86/boot.rst (6.12). */
#define NL_BZ_MIN_VERSION 0x020c /* 2.12: xloadflags */
#define NL_BZ_HDR_START 0x1f1 /* first byte of the setup header */
#define NL_BZ_HDR_LIMIT 0x290 /* boot_params: hdr must end here */
#define NL_BZ_HDR_NEEDED 0x268 /* fields read, up to init_size/handover */

struct nl_bzimage {
	uint16_t version; /* boot protocol, 0x020f = 2.15 */
	uint8_t setup_sects; /* effective: 0 in the file means 4 */
	uint8_t loadflags;
	uint8_t relocatable_kernel;
	uint8_t min_alignment; /* log2 */
	uint16_t xloadflags;
	uint32_t syssize; /* 16-byte paragraphs */
	uint32_t kernel_alignment;
	uint32_t initrd_addr_max;
	uint32_t cmdline_size; /* maximum length, without the NUL */
	uint32_t init_size; /* bytes needed from the load address */
	uint64_t pref_address; /* = the kernel's LOAD_PHYSICAL_ADDR */
	uint32_t payload_offset; /* of the compressed kernel, in the payload */
	uint32_t payload_length;
	size_t setup_size; /* (setup_sects + 1) * 512: file offset of payload */
	size_t payload_size; /* protected-mode code: syssize * 16 */
	size_t hdr_len; /* bytes to copy from file offset NL_BZ_HDR_START */
	size_t file_size; /* length the image was parsed with */
};

#define NL_LOADED_HIGH 0x01
#define NL_KASLR_FLAG 0x02
#define NL_QUIET_FLAG 0x20
#define NL_KEEP_SEGMENTS 0x40
#define NL_CAN_USE_HEAP 0x80
#define NL_XLF_KERNEL_64 0x0001
#define NL_XLF_CAN_BE_LOADED_ABOVE_4G 0x0002

/*
 * Parse and validate the setup header. @len may be shorter than the file
 * (only the header is read, at least 1 KiB is needed); nl_bzimage_parse()
 * additionally requires the whole payload to be present.
 */
int nl_bzimage_parse_header(const void *image, size_t len,
			    struct nl_bzimage *bz, struct nl_err *err);
int nl_bzimage_parse(const void *image, size_t len, struct nl_bzimage *bz,
		     struct nl_err *err);

/* --------------------------------------------------- machine memory map */
enum nl_mem_type {
	NL_MEM_RAM = 1, /* "System RAM" */
	NL_MEM_RESERVED = 2, /* "Reserved" */
	NL_MEM_ACPI = 3, /* "ACPI Tables" */
	NL_MEM_NVS = 4, /* "ACPI Non-volatile Storage" */
	NL_MEM_UNUSABLE = 5, /* "Unusable memory" */
	NL_MEM_PMEM = 7, /* "Persistent Memory" */
	NL_MEM_PRAM = 12, /* "Persistent Memory (legacy)" */
	NL_MEM_SOFT_RESERVED = 0xefffffff, /* "Soft Reserved" */
	NL_MEM_OTHER =
		0xffffffff, /* any other name, e.g. "Unknown E820 type" */
};

/* [start, end): end is exclusive (the kernel's files give inclusive ends). */
struct nl_range {
	uint64_t start;
	uint64_t end;
	uint32_t type; /* enum nl_mem_type; unused for node RAM ranges */
};

#define NL_MEMMAP_MAX 256

/* Sorted by start, non-overlapping. */
struct nl_memmap {
	size_t n;
	struct nl_range r[NL_MEMMAP_MAX];
};

/* One /sys/firmware/memmap/N directory: the three files' contents as read
 * ("0x9fbff\n", "System RAM\n"); end is inclusive, as the kernel prints it. */
struct nl_fwmap_entry {
	const char *start;
	const char *end;
	const char *type;
};

/* Map a type name to enum nl_mem_type (NL_MEM_OTHER when unknown). */
uint32_t nl_mem_type_from_name(const char *name, size_t len);
const char *nl_mem_type_name(uint32_t type);

/* The @n entries of /sys/firmware/memmap, in any order, as a map sorted by
 * start; entries that overlap are an error. */
int nl_memmap_from_firmware(const struct nl_fwmap_entry *ent, size_t n,
			    struct nl_memmap *map, struct nl_err *err);

/* --------------------------------------------------------------- layout */
#define NL_PARAMS_OFF 0x0000 /* boot_params (zero page) */
#define NL_SETUP_DATA_OFF 0x1000 /* setup_data chain */
#define NL_SETUP_DATA_SIZE 0x2000
#define NL_CMDLINE_OFF 0x3000 /* command line */
#define NL_KERNEL_MIN_OFF 0x200000 /* kernel at >= B + 2 MiB */
#define NL_RAM_ALIGN 0x200000ULL /* node RAM ranges: 2 MiB aligned */
#define NL_MAX_RAM_RANGES 16

struct nl_layout {
	unsigned int node_id;
	uint64_t base; /* B: boot_params, the kexec entry */
	uint64_t ram_end; /* B + S, end of the first range */
	uint64_t setup_data; /* B + 0x1000 */
	uint64_t cmdline; /* B + 0x3000 */
	uint64_t params_memsz; /* segment 1: [B, B + params_memsz) */
	uint64_t kernel; /* load address = code32_start */
	uint64_t kernel_size; /* payload bytes copied there */
	uint64_t kernel_memsz; /* page-aligned init_size */
	uint64_t initrd; /* 0 when there is none */
	uint64_t initrd_size;
	uint64_t initrd_memsz;
	uint64_t ctrl_base; /* ram_end - MINT_CTRL_SIZE */
	uint64_t low_base; /* MINT_LOW_SLICE(node_id) */
	uint64_t low_size; /* MINT_LOW_SLOT */
};

/*
 * Place the images in the first of @ram (see docs/node-boot.md). @ram: the
 * node's RAM ranges, 2 MiB aligned, anywhere, non-overlapping; only the
 * first is used here. @cmdline_len: without the NUL.
 */
int nl_layout_place(unsigned int node_id, const struct nl_range *ram,
		    size_t nram, const struct nl_bzimage *bz,
		    uint64_t initrd_size, size_t cmdline_len,
		    struct nl_layout *lay, struct nl_err *err);

/* ----------------------------------------------------------------- e820 */
#define NL_E820_MAX 128 /* E820_MAX_ENTRIES_ZEROPAGE */
#define NL_E820_RAM 1
#define NL_E820_RESERVED 2

struct nl_e820_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
};

struct nl_e820 {
	size_t n;
	struct nl_e820_entry e[NL_E820_MAX];
};

/*
 * The node's e820: its RAM (minus the control area at the end of the first
 * range) and its low slice as RAM, every other range of @machine reserved,
 * gaps kept. Sorted, merged, 2..NL_E820_MAX entries.
 */
int nl_e820_build(unsigned int node_id, const struct nl_range *ram, size_t nram,
		  const struct nl_memmap *machine, struct nl_e820 *e820,
		  struct nl_err *err);
/*
 * The same, with the node's link region @link (NULL or an empty range:
 * none) reserved even where @machine lists nothing; it must not overlap
 * the node's RAM or low slice.
 */
int nl_e820_build_link(unsigned int node_id, const struct nl_range *ram,
		       size_t nram, const struct nl_range *link,
		       const struct nl_memmap *machine, struct nl_e820 *e820,
		       struct nl_err *err);

/* ------------------------------------------------------------ node info */
#define NL_NAME_MAX 31 /* mint_setup_data.name holds the NUL too */
#define NL_MAX_CPUS 255

struct nl_node {
	unsigned int id; /* 1..MINT_MAX_NODES */
	const char *name; /* [A-Za-z0-9_.-], 1..NL_NAME_MAX chars */
	const uint32_t *apic_ids; /* the node's CPUs, boot CPU first */
	size_t ncpus;
	const struct nl_range *ram; /* first range holds the images */
	size_t nram;
	uint16_t uart_port; /* 0x3f8/0x2f8/0x3e8/0x2e8, 0: shm console */
	const uint32_t *devices; /* PCI allow-list, bus << 8 | devfn */
	size_t ndevices;
	const char *extra_cmdline; /* appended, may be NULL */
	/* its link to node0 (the contract's "links"): MINT_LINK_ALIGN
	 * aligned, MINT_LINK_MIN_SIZE..MINT_LINK_MAX_SIZE; size 0: none */
	uint64_t link_base;
	uint64_t link_size;
};

struct nl_machine {
	const struct nl_memmap *memmap; /* as node0 sees the firmware map */
	uint32_t tsc_khz; /* node0's calibrated TSC */
	uint32_t bsp_apic_id; /* the real BSP (node0's boot CPU) */
	uint64_t ecam_base; /* PCI segment 0 ECAM, 0 if none */
	uint8_t ecam_end_bus;
};

/* Checks what nl_node/nl_machine say on their own (ids, names, CPUs, UART,
 * devices, the link's alignment and size); the RAM ranges, and the link
 * against them, are checked by layout and e820. */
int nl_node_check(const struct nl_node *node, const struct nl_machine *m,
		  struct nl_err *err);

/* ----------------------------------------------------------- setup_data */
/* struct setup_data header: u64 next, u32 type, u32 len, then data. */
#define NL_SETUP_HDR_SIZE 16

int nl_jailhouse_fill(struct jailhouse_setup_data_v2 *jh,
		      const struct nl_node *node, const struct nl_machine *m,
		      struct nl_err *err);
int nl_mint_fill(struct mint_setup_data *md, const struct nl_node *node,
		 const struct nl_machine *m, const struct nl_layout *lay,
		 struct nl_err *err);
/*
 * The chain for physical address @phys: SETUP_JAILHOUSE then
 * SETUP_MINT_NODE, each block 8-byte aligned, physical next pointers.
 * Writes at most @size bytes to @buf (zero-filled first); *used = bytes.
 */
int nl_setup_data_build(void *buf, size_t size, uint64_t phys,
			const struct nl_node *node, const struct nl_machine *m,
			const struct nl_layout *lay, size_t *used,
			struct nl_err *err);

/* ------------------------------------------------------------- cmdline */
/* ttyS index of a standard COM port, -1 if it is not one. */
int nl_uart_index(uint16_t port);
/*
 * The node's command line into @buf (NUL-terminated); *len = strlen.
 * Fails when longer than @cmdline_size (the bzImage's) or @size - 1.
 */
int nl_cmdline_build(char *buf, size_t size, const struct nl_node *node,
		     uint32_t cmdline_size, size_t *len, struct nl_err *err);

/* ---------------------------------------------------------- boot_params */
#define NL_BOOT_PARAMS_SIZE 0x1000

/*
 * The zero page: zero-filled, the setup header copied from @image, then the
 * loader fields (docs/node-boot.md). @image must be the one @bz was parsed
 * from (at least bz->hdr_len bytes from NL_BZ_HDR_START).
 */
int nl_boot_params_build(uint8_t page[NL_BOOT_PARAMS_SIZE], const void *image,
			 size_t image_len, const struct nl_bzimage *bz,
			 const struct nl_layout *lay,
			 const struct nl_e820 *e820, struct nl_err *err);

/* --------------------------------------------------------------- image */
#define NL_MAX_SEGMENTS 3

/* One kexec_segment: mem and memsz page aligned, bufsz <= memsz. */
struct nl_segment {
	const void *buf;
	size_t bufsz;
	uint64_t mem;
	uint64_t memsz;
};

struct nl_image {
	struct nl_segment seg[NL_MAX_SEGMENTS]; /* params, kernel, initrd */
	size_t nseg;
	uint64_t entry; /* kexec entry = B, the boot_params address */
	struct nl_bzimage bz;
	struct nl_layout layout;
	struct nl_e820 e820;
	const char *cmdline; /* inside params */
	size_t cmdline_len;
	uint8_t *params; /* owned: boot_params + setup_data + cmdline */
	size_t params_size; /* = seg[0].bufsz = layout.params_memsz */
};

/*
 * Compose everything. The kernel segment points into @bzimage and the initrd
 * segment at @initrd (not copied): both must outlive the image. @initrd may
 * be NULL when @initrd_len is 0. On success *out is a new image for
 * nl_image_free().
 */
int nl_image_build(const void *bzimage, size_t bzimage_len, const void *initrd,
		   size_t initrd_len, const struct nl_node *node,
		   const struct nl_machine *m, struct nl_image **out,
		   struct nl_err *err);
void nl_image_free(struct nl_image *img);

/* ---------------------------------------------------------------- cpio */
/* A file for a newc archive appended to the node's initrd (mode includes
 * the type: 0100644 for a file, 040755 for a directory with len 0). */
struct nl_cpio_file {
	const char *name; /* relative, e.g. "etc/mint/partition.conf" */
	unsigned int mode;
	const void *data;
	size_t len;
};

size_t nl_cpio_size(const struct nl_cpio_file *files, size_t n);
/* The archive, trailer included, into @out (@cap bytes); *len = its size
 * (a multiple of 4). */
int nl_cpio_build(const struct nl_cpio_file *files, size_t n, uint8_t *out,
		  size_t cap, size_t *len, struct nl_err *err);

#endif /* NODELOADER_H */
