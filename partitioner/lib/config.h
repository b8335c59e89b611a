/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libmint: the partition config parser and validator. Pure functions over
 * memory buffers; the system layer that reads the machine's and the
 * config's files is sysfiles.h (and readfile.h). Nothing here prints or
 * exits. Format: docs/config.md.
 */
#ifndef MINT_CONFIG_H
#define MINT_CONFIG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The kernel ABI contract: node and range limits, low memory, states. */
#include "../../kernel-patches/uapi/asm/mint.h"

#define MINT_CONFIG_VERSION 1

#define MINT_KIB 0x400ULL
#define MINT_MIB 0x100000ULL
#define MINT_GIB 0x40000000ULL

/* Limits of the format. MINT_MAX_NODES, MINT_MAX_RANGES (memory = lines per
 * node) and MINT_MAX_DEVICES come from the contract. */
#define MINT_NAME_MAX (MINT_NAME_LEN - 1) /* node, vm and partition names */
#define MINT_MAX_VMS 64
#define MINT_MAX_CPU_ID 63
#define MINT_CMDLINE_MAX 1024 /* x86 COMMAND_LINE_SIZE is 2048 */
#define MINT_PATH_MAX 1024
#define MINT_LINE_MAX 4096
#define MINT_FILE_MAX (1024 * 1024)

/* Node RAM rules. */
#define MINT_RAM_ALIGN (2 * MINT_MIB)
#define MINT_RANGE_MIN (16 * MINT_MIB)
#define MINT_NODE_RAM_MIN (256 * MINT_MIB)
#define MINT_RAM_MIN_BASE (64 * MINT_MIB) /* clear of node0's kernel */
#define MINT_RAM_LIMIT (1ULL << 52) /* x86-64's widest physical address */
#define MINT_NODE_OVERHEAD (128 * MINT_MIB) /* node kernel + QEMU */

/* VM rules. */
#define MINT_VM_VCPUS_MAX 64
#define MINT_VM_MEMORY_MIN (16 * MINT_MIB)
#define MINT_VM_MEMORY_DEFAULT (256 * MINT_MIB)
#define MINT_VM_CPU_MODEL_DEFAULT "qemu64" /* mint-vm's, when none is given */

/*
 * Links (the contract's "links" section): node0's bridge of the nodes'
 * links, and the default of [partition] authorized_keys (under the sysroot).
 */
#define MINT_LINK_BRIDGE "mintbr0"
#define MINT_AUTHORIZED_KEYS_DEFAULT "/etc/mint/authorized_keys"

/*
 * The low-memory reservation below 1 MiB (MINT_LOW_BASE, MINT_LOW_SLOT in
 * the contract): slot 0 is node0's trampoline page area, slot k is node k's
 * private low slice (its own real-mode trampoline).
 */
/**
 * mint_node_low_slice() - physical address of node @index's low slice
 * @index: 1-based order of the node's [node] section in the file
 *
 * Slot 0 at MINT_LOW_BASE belongs to node0; node k owns MINT_LOW_SLOT bytes
 * at MINT_LOW_BASE + k * MINT_LOW_SLOT.
 */
static inline uint64_t mint_node_low_slice(unsigned int index)
{
	return MINT_LOW_BASE + (uint64_t)index * MINT_LOW_SLOT;
}

/**
 * mint_low_reservation_size() - bytes node0 reserves at MINT_LOW_BASE
 * @nr_nodes: number of declared nodes
 */
static inline uint64_t mint_low_reservation_size(unsigned int nr_nodes)
{
	return (1 + (uint64_t)nr_nodes) * MINT_LOW_SLOT;
}

/* ---- growable text buffer ---------------------------------------------- */

struct mint_buf {
	char *data; /* always NUL-terminated once anything was added */
	size_t len;
	size_t cap;
	bool nomem; /* an append failed; the content is incomplete */
};

void mint_buf_init(struct mint_buf *b);
void mint_buf_free(struct mint_buf *b);
int mint_buf_add(struct mint_buf *b, const char *s, size_t len);
int mint_buf_puts(struct mint_buf *b, const char *s);
int mint_buf_printf(struct mint_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int mint_buf_vprintf(struct mint_buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/**
 * mint_next_line() - the line at *@p, for the parsers of sysfs files
 * @p: the text left; advanced past the line and its newline
 * @line: receives the line without its newline, NUL-terminated
 * @cap: bytes of @line
 * @len: receives the line's length
 *
 * Return: 0, or -ERANGE when the line does not fit @cap (*@p unchanged).
 */
int mint_next_line(const char **p, char *line, size_t cap, size_t *len);

/* ---- diagnostics ------------------------------------------------------- */

enum mint_scope {
	MINT_SCOPE_FILE, /* "FILE:LINE: text" */
	MINT_SCOPE_PARTITION, /* "FILE:LINE: partition: key: text" */
	MINT_SCOPE_NODE, /* "FILE:LINE: node 'x': key: text" */
	MINT_SCOPE_VM, /* "FILE:LINE: vm 'x': key: text" */
};

#define MINT_DIAG_STORE_MAX 1000 /* later ones are only counted */

struct mint_diag {
	unsigned int line; /* 0: the file as a whole */
	unsigned int seq; /* order of discovery, keeps the sort stable */
	enum mint_scope scope;
	char name[MINT_NAME_MAX + 1]; /* node or vm name */
	char key[16]; /* "" when the error is not about one key */
	char *text; /* "what is wrong; what to do" */
};

struct mint_diags {
	struct mint_diag *v;
	size_t nr;
	size_t cap;
	size_t nr_dropped; /* errors beyond MINT_DIAG_STORE_MAX */
	bool nomem;
};

void mint_diags_init(struct mint_diags *d);
void mint_diags_free(struct mint_diags *d);
/* Total number of errors found, stored or not. */
size_t mint_diags_count(const struct mint_diags *d);
int mint_diag_add(struct mint_diags *d, unsigned int line,
		  enum mint_scope scope, const char *name, const char *key,
		  const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Sort by line; errors on the same line keep their order of discovery. */
void mint_diags_sort(struct mint_diags *d);
/* Append "FILE:LINE: scope: key: text" (no newline) to @out. */
int mint_diag_format(const struct mint_diag *diag, const char *file,
		     struct mint_buf *out);

/**
 * mint_suggest() - closest candidate to a misspelt word
 * @word: what was written
 * @cands: NULL-terminated list of valid words
 *
 * Return: the candidate within a small edit distance (optimal string
 * alignment, case-insensitive), or NULL when nothing is close.
 */
const char *mint_suggest(const char *word, const char *const *cands);

/* ---- value syntaxes ---------------------------------------------------- */

/*
 * Each parser takes a NUL-terminated string, returns 0 on success or
 * -EINVAL / -ERANGE, and on failure writes "what is wrong; what to do" into
 * @why (which may be NULL).
 */

/* Decimal, or hexadecimal with 0x; the whole string; no sign, no spaces. */
int mint_parse_u64(const char *s, uint64_t *out, char *why, size_t whylen);
/* mint_parse_u64 plus an optional K, M, G or T suffix (binary units). */
int mint_parse_size(const char *s, uint64_t *out, char *why, size_t whylen);
/* "640M", "192K", "3G", "4097": the largest unit that divides exactly. */
void mint_format_size(uint64_t size, char *out, size_t outlen);

/* A node, vm or partition name: [a-z][a-z0-9_-]{0,30}; @what: "node". */
int mint_check_name(const char *s, const char *what, char *why, size_t whylen);

/* Linux cpulist "2-3,5" into a bitmap; CPU ids above @max_id and a CPU
 * listed more than once ("2,2-3") are errors. */
int mint_cpulist_parse(const char *s, unsigned int max_id, uint64_t *mask,
		       char *why, size_t whylen);
/* Like the kernel's sysfs lists: ids above 63 are accepted and ignored. */
int mint_cpulist_parse_sys(const char *s, uint64_t *mask, char *why,
			   size_t whylen);
/* Bitmap to "2-3,5" ("" for an empty mask). */
void mint_cpulist_format(uint64_t mask, char *out, size_t outlen);

struct mint_pci_addr {
	uint16_t domain;
	uint8_t bus;
	uint8_t dev; /* 0..0x1f */
	uint8_t fn; /* 0..7 */
};

/* "DDDD:BB:DD.F" or "BB:DD.F" (domain 0000), hex digits of either case. */
int mint_pci_parse(const char *s, struct mint_pci_addr *out, char *why,
		   size_t whylen);
/* Canonical lower-case "dddd:bb:dd.f"; @out holds at least 13 bytes. */
void mint_pci_format(const struct mint_pci_addr *a, char *out, size_t outlen);
bool mint_pci_equal(const struct mint_pci_addr *a,
		    const struct mint_pci_addr *b);

/*
 * An IPv4 address with its prefix length, "10.0.0.2/24": four decimal
 * numbers 0..255 without leading zeros (010 would be octal to inet_aton),
 * '/' and a prefix 1..30 (a /31 or /32 leaves no room for node0 and a
 * node); not the network's own address nor its broadcast address, not in
 * 0.0.0.0/8, 127.0.0.0/8 or 224.0.0.0 and above.
 */
struct mint_ipv4 {
	uint32_t addr; /* host order: 10.0.0.2 is 0x0a000002 */
	unsigned int prefix; /* 0: none */
};

int mint_ipv4_parse(const char *s, struct mint_ipv4 *out, char *why,
		    size_t whylen);
/* "10.0.0.2/24", or "10.0.0.2" when @with_prefix is false; at least 19
 * bytes. */
void mint_ipv4_format(const struct mint_ipv4 *a, bool with_prefix, char *out,
		      size_t outlen);
/* The netmask of @prefix (0..32), host order. */
uint32_t mint_ipv4_mask(unsigned int prefix);
/* Is @a in the subnet of @net (its address and prefix)? */
bool mint_ipv4_in_subnet(const struct mint_ipv4 *a,
			 const struct mint_ipv4 *net);

/* ---- the configuration ------------------------------------------------- */

enum mint_key {
	MINT_KEY_VERSION,
	MINT_KEY_NAME,
	MINT_KEY_CPUS,
	MINT_KEY_MEMORY,
	MINT_KEY_DEVICES,
	MINT_KEY_KERNEL,
	MINT_KEY_INITRD,
	MINT_KEY_CMDLINE,
	MINT_KEY_CONSOLE,
	MINT_KEY_AUTOSTART,
	MINT_KEY_NODE,
	MINT_KEY_VCPUS,
	MINT_KEY_DISK,
	MINT_KEY_RESTART,
	MINT_KEY_CPU_MODEL,
	MINT_KEY_IOMMU,
	MINT_KEY_LINK,
	MINT_KEY_ADDRESS,
	MINT_KEY_AUTHORIZED_KEYS,
	MINT_KEY_NET,
	MINT_KEY_NR
};

/* The key's word in the file ("cpu_model"), "?" for no key. */
const char *mint_key_name(enum mint_key key);

enum mint_console {
	MINT_CONSOLE_SHM, /* shared-memory ring only (the default) */
	MINT_CONSOLE_COM2, /* I/O port 0x2f8 */
	MINT_CONSOLE_COM3, /* I/O port 0x3e8 */
	MINT_CONSOLE_COM4, /* I/O port 0x2e8 */
};

const char *mint_console_name(enum mint_console c);
/* ISA I/O port base of a UART console, 0 for the ring. */
unsigned int mint_console_port(enum mint_console c);

enum mint_restart {
	MINT_RESTART_NO,
	MINT_RESTART_ON_FAILURE,
	MINT_RESTART_ALWAYS,
};

const char *mint_restart_name(enum mint_restart r);
/* A VM's net: "mint" or "none". */
const char *mint_net_name(bool mint);

/* Where each key was given (0: absent) and which values were rejected. */
struct mint_keyinfo {
	unsigned int line[MINT_KEY_NR];
	uint32_t bad; /* bit (1 << key): given, but the value is invalid */
};

struct mint_range {
	uint64_t base;
	uint64_t size;
	unsigned int line;
};

struct mint_partition {
	unsigned int line; /* of the [partition] header, 0 if missing */
	unsigned int version;
	char name[MINT_NAME_MAX + 1];
	bool iommu_off; /* iommu = off: nodes' devices DMA unconfined */
	struct mint_ipv4 address; /* node0's on its bridge; prefix 0: none */
	char *authorized_keys; /* NULL: MINT_AUTHORIZED_KEYS_DEFAULT if any */
	struct mint_keyinfo keys;
};

struct mint_node {
	char name[MINT_NAME_MAX + 1];
	unsigned int index; /* 1-based order of [node] sections */
	unsigned int line; /* of the [node NAME] header */
	uint64_t cpus; /* bit n: CPU n */
	struct mint_range mem[MINT_MAX_RANGES];
	unsigned int nr_mem;
	struct mint_pci_addr devices[MINT_MAX_DEVICES];
	unsigned int nr_devices;
	char *kernel; /* NULL when absent */
	char *initrd;
	char *cmdline;
	enum mint_console console;
	bool autostart;
	bool iommu_off; /* its own iommu key, else the partition's */
	struct mint_range link; /* its link to node0; size 0: none */
	struct mint_ipv4 address; /* on its link; prefix 0: none */
	struct mint_keyinfo keys;
};

struct mint_vm {
	char name[MINT_NAME_MAX + 1];
	unsigned int line;
	char node[MINT_NAME_MAX + 1];
	int node_index; /* 0: node0, k: nodes[k - 1], -1: unknown */
	unsigned int vcpus;
	uint64_t memory;
	char *kernel;
	char *initrd;
	char *cmdline;
	char *disk;
	char *cpu_model; /* QEMU's -cpu; NULL: mint-vm's default, qemu64 */
	bool autostart;
	enum mint_restart restart;
	bool net_mint; /* net = mint: attached to its node's link */
	struct mint_ipv4 address; /* prefix 0: none */
	struct mint_keyinfo keys;
};

struct mint_config {
	struct mint_partition part;
	struct mint_node nodes[MINT_MAX_NODES];
	unsigned int nr_nodes;
	struct mint_vm vms[MINT_MAX_VMS];
	unsigned int nr_vms;
};

void mint_config_init(struct mint_config *cfg);
void mint_config_free(struct mint_config *cfg);

/* Does node0 have the bridge of the links (mintbr0): a [partition]
 * address, or a node with a link? */
bool mint_config_has_bridge(const struct mint_config *cfg);

/*
 * 'mintctl show --link': the link of @node as one line of KEY=VALUE pairs,
 * "ifname=mint0 address=10.0.0.2/24 node0=10.0.0.1" (address= and node0=
 * left out when not given), nothing for a node without a link; for
 * "node0", "ifname=mintbr0 address=10.0.0.1/24" when it has the bridge.
 * -ENOENT when there is no such node.
 */
int mint_config_link_line(const struct mint_config *cfg, const char *node,
			  struct mint_buf *out);

/* Node total RAM in bytes. */
uint64_t mint_node_ram(const struct mint_node *node);
/* 0 for "node0", k for nodes[k - 1], -1 when there is no such node. */
int mint_config_find_node(const struct mint_config *cfg, const char *name);

/**
 * mint_config_parse() - the file, syntax and value passes
 * @buf: file contents (need not be NUL-terminated; may contain anything)
 * @len: length of @buf
 * @cfg: initialised with mint_config_init(); filled with every valid value
 * @d: errors are appended here
 *
 * Return: 0, -EINVAL when errors were added, -ENOMEM.
 */
int mint_config_parse(const char *buf, size_t len, struct mint_config *cfg,
		      struct mint_diags *d);

/**
 * mint_config_validate() - per-section and cross-node passes
 *
 * Required keys, node RAM totals, overlapping CPUs, RAM, devices and UARTs,
 * VM placement. Skips values the earlier passes rejected, so one mistake
 * is reported once.
 * Return: 0, -EINVAL when errors were added, -ENOMEM.
 */
int mint_config_validate(struct mint_config *cfg, struct mint_diags *d);

/* parse + validate; same return values. */
int mint_config_load(const char *buf, size_t len, struct mint_config *cfg,
		     struct mint_diags *d);

/* ---- the running machine ----------------------------------------------- */

struct mint_iomem_entry {
	uint64_t start;
	uint64_t end; /* inclusive, as /proc/iomem prints it */
	char name[48];
};

/* One entry of the firmware's memory map (the e820 table the firmware
 * handed over, before memmap= changed it): /sys/firmware/memmap/N. */
struct mint_fwmap_entry {
	uint64_t start;
	uint64_t end; /* inclusive, as the kernel prints it */
	char type[48]; /* "System RAM" (usable), "Reserved", "ACPI Tables"... */
};

#define MINT_FWMAP_RAM "System RAM"

struct mint_sysinfo {
	uint64_t cpus_present; /* bit n: CPU n (ids above 63 ignored) */
	uint64_t cpus_online; /* --preflight: online in the running kernel */
	struct mint_iomem_entry *iomem; /* top-level entries only */
	size_t nr_iomem;
	bool iomem_hidden; /* all addresses read as 0: not root */
	struct mint_fwmap_entry *fwmap; /* sorted by start */
	size_t nr_fwmap;
	struct mint_pci_addr *pci;
	size_t nr_pci;
	bool iommu; /* sys/class/iommu has an entry: an active IOMMU */
	char failed_path[256]; /* set when mint_sysinfo_load() fails */
};

void mint_sysinfo_init(struct mint_sysinfo *si);
void mint_sysinfo_free(struct mint_sysinfo *si);

/* /proc/iomem text: keeps the top-level (unindented) entries. */
int mint_sysinfo_parse_iomem(const char *text, size_t len,
			     struct mint_sysinfo *si, char *why, size_t whylen);
/* sys/devices/system/cpu/present text. */
int mint_sysinfo_parse_present(const char *text, size_t len,
			       struct mint_sysinfo *si, char *why,
			       size_t whylen);
/* Names in sys/bus/pci/devices; names that are not addresses are skipped. */
int mint_sysinfo_add_pci(struct mint_sysinfo *si, const char *name);
/*
 * One directory of sys/firmware/memmap: the text of its start, end and
 * type files ("0x100000\n", "0x7ffdffff\n", "System RAM\n"). Keeps the
 * map sorted by start. 0, -EINVAL with @why filled, or -ENOMEM.
 */
int mint_sysinfo_add_fwmap(struct mint_sysinfo *si, const char *start,
			   const char *end, const char *type, char *why,
			   size_t whylen);

/**
 * mint_fwmap_usable() - is a range usable RAM in the firmware memory map?
 * @si: its fwmap, and its iomem to name what lies where RAM is not
 * @base: first byte
 * @size: bytes, at least 1
 * @what: where the pieces that are not usable RAM are described, e.g.
 *        "Reserved at 0xb0000000-0xbfffffff (/proc/iomem: PCI ECAM 0000
 *        [bus 00-ff])" or "no entry at 0x80000000-0xafffffff"
 *
 * Return: true when every byte lies in "System RAM" entries (adjacent
 * entries may share the range) and no other entry overlaps it.
 */
bool mint_fwmap_usable(const struct mint_sysinfo *si, uint64_t base,
		       uint64_t size, struct mint_buf *what);

/**
 * mint_config_validate_system() - the --system pass
 *
 * Node CPUs present; node RAM and low slices usable RAM in the firmware
 * memory map and inside Reserved entries of /proc/iomem; devices present;
 * node0's VMs fit the CPUs node0 keeps.
 * Return: 0, -EINVAL when errors were added, -ENOMEM.
 */
int mint_config_validate_system(const struct mint_config *cfg,
				const struct mint_sysinfo *si,
				struct mint_diags *d);

/* ---- the pre-flight check, before the first boot into mint ------------- */

/* A file the config names, as the system layer found it. */
struct mint_file_info {
	bool looked; /* the config names it and node0 can read it: filled */
	int err; /* 0, or the negative errno of stat, open or read */
	uint32_t mode; /* st_mode */
	uint64_t size;
	unsigned char head[640]; /* the first bytes of a regular file */
	size_t head_len;
};

enum mint_file_kind {
	MINT_FILE_NODE_KERNEL, /* a bzImage node0 can start a node with */
	MINT_FILE_VM_KERNEL, /* a bzImage QEMU can boot */
	MINT_FILE_INITRD, /* an initramfs: cpio, maybe compressed */
	MINT_FILE_DISK, /* a block device or a regular file */
	MINT_FILE_AUTHORIZED_KEYS, /* a text file of at most 1 MiB */
};

/**
 * mint_file_check() - is a file of the kind its key needs?
 * Return: 0, or -EINVAL with "what is wrong; what to do" in @why (the
 * file's path is not part of it).
 */
int mint_file_check(enum mint_file_kind kind, const struct mint_file_info *fi,
		    char *why, size_t whylen);

/* The files of a config in node0's filesystem: each node's kernel and
 * initrd, the kernel, initrd and disk of each VM node0 runs, and the
 * [partition]'s authorized_keys. */
struct mint_files {
	struct mint_file_info node_kernel[MINT_MAX_NODES];
	struct mint_file_info node_initrd[MINT_MAX_NODES];
	struct mint_file_info vm_kernel[MINT_MAX_VMS];
	struct mint_file_info vm_initrd[MINT_MAX_VMS];
	struct mint_file_info vm_disk[MINT_MAX_VMS];
	struct mint_file_info authorized_keys; /* [partition]'s, if given */
};

/**
 * mint_config_preflight() - the --preflight pass, in the kernel before mint
 * @errors: what must change before the reboot into mint: node CPUs and
 *          devices not present, node RAM or low slices that are not usable
 *          RAM in the firmware map, files missing or of the wrong kind,
 *          node0's VMs not fitting the CPUs node0 keeps
 * @warnings: what may be wrong: devices given away without an IOMMU
 * @notes: what only holds after the reboot (RAM reserved, CPUs taken
 *         offline) or is checked elsewhere (the files of a node's VMs)
 *
 * Return: 0, -EINVAL when errors were added, -ENOMEM.
 */
int mint_config_preflight(const struct mint_config *cfg,
			  const struct mint_sysinfo *si,
			  const struct mint_files *files,
			  struct mint_diags *errors,
			  struct mint_diags *warnings,
			  struct mint_diags *notes);

/* ---- output ------------------------------------------------------------ */

enum mint_bootargs_format {
	MINT_BOOTARGS_PLAIN, /* QEMU -append, execve: no quoting */
	MINT_BOOTARGS_GRUB, /* '$' escaped as '\$' for a grub.cfg linux line */
	MINT_BOOTARGS_SHELL, /* one single-quoted shell word */
};

/* node0's command-line fragment, with a trailing newline. */
int mint_bootargs(const struct mint_config *cfg, enum mint_bootargs_format fmt,
		  struct mint_buf *out);

/*
 * The resolved config (defaults filled in) as config text that parses back
 * to the same config: every key with its value or default, except the keys
 * whose default is none (devices, initrd, cmdline, disk, link, address,
 * authorized_keys), which are left out when not given. @node: NULL for everything, or a node name ("node0"
 * selects only the VMs on node0).
 */
int mint_config_format(const struct mint_config *cfg, const char *node,
		       struct mint_buf *out);
/* The VMs of @node (a node name or "node0") as shell assignments, one VM
 * per line, for the VM supervisor (cpu_model '' when not given). -ENOENT
 * when there is no such node. */
int mint_config_vms_shell(const struct mint_config *cfg, const char *node,
			  struct mint_buf *out);
/*
 * The line of VM @name in a VM supervisor's report ("NAME STATE DETAIL..."
 * lines, kvm-per-node/mint-vmd): STATE in @state, the rest of the line in
 * @detail (both truncated to fit). -ENOENT when no line names @name.
 */
int mint_vms_report_find(const char *report, const char *name, char *state,
			 size_t slen, char *detail, size_t dlen);
/* The same as mint_config_format() as a JSON document, every key present
 * (null for none); docs/config.md describes the schema. */
int mint_config_json(const struct mint_config *cfg, const char *node,
		     struct mint_buf *out);

/*
 * @s as a JSON string with its quotes ("null" for NULL): '"', '\\' and
 * control characters escaped, each byte that is not part of valid UTF-8
 * written as \ufffd. Returns 0 or -ENOMEM.
 */
int mint_json_string(struct mint_buf *b, const char *s);

#endif /* MINT_CONFIG_H */
