/* SPDX-License-Identifier: GPL-2.0 */
/* mintctl: nodes through node0's kernel (/sys/kernel/mint, kexec_load). */
#ifndef MINTCTL_NODE_H
#define MINTCTL_NODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "files.h"
#include "image.h"
#include "linkfile.h"
#include "mintctl.h"
#include "dma.h"
#include "states.h"
#include "timeline.h"

/* node.c: define, start, stop and release nodes (files.h reads and writes
 * node0's kernel interface). node_wait(): until the node's state is one of
 * @want (space-separated names); 0, or -ETIMEDOUT with the last state in
 * @state. */
int node_wait(const struct cli_ctx *ctx, const char *node, const char *want,
	      unsigned int timeout, char *state, size_t len);
/* The kernel and initrd files as a load read them (the initrd buffer may
 * hold more than the file's @ilen bytes). */
struct node_files {
	char *kernel, *initrd;
	size_t klen, ilen;
};

/* nodeload.c: compose @n's boot image and load it into its RAM with
 * kexec_load(2); 0 or -errno with what went wrong in @why. On success
 * @rec (unless NULL) says what was loaded: paths and the command line
 * (not the digests, not oneoff, not config), and @files (unless NULL)
 * holds the files, for node_files_digest(), freed by node_files_free(). */
int node_load(const struct cli_ctx *ctx, const struct mint_config *cfg,
	      const char *config, const struct mint_node *n,
	      struct mint_image_rec *rec, struct node_files *files, char *why,
	      size_t whylen);
/* The files' SHA-256 into @rec (the initrd's only when @rec names one). */
void node_files_digest(const struct node_files *f, struct mint_image_rec *rec);
void node_files_free(struct node_files *f);
/* nodeload.c: load --save-image: compose @n's image as node_load() does,
 * and write it to the directory @dir (created if missing) instead of
 * loading it: DIR/image.txt ("entry 0x..", "flags 0x..", "node_id N",
 * then "segment I mem=0x.. memsz=0x.. bufsz=0x.. file=segI.bin" lines)
 * and the segments' buffers DIR/segI.bin. 0 and *@nseg, or -errno with
 * what went wrong in @why. */
int node_save_image(const struct cli_ctx *ctx, const struct mint_config *cfg,
		    const char *config, const struct mint_node *n,
		    const char *dir, size_t *nseg, char *why, size_t whylen);

/* nodeimage.c: how one start or load boots a node. */
enum {
	NODE_OPT_KERNEL = 0x100,
	NODE_OPT_INITRD,
	NODE_OPT_CMDLINE,
	NODE_OPT_SAVE_IMAGE, /* load only */
	NODE_OPT_TIMING, /* start only */
};

struct node_boot {
	char kernel[MINT_PATH_MAX + 1]; /* --kernel, absolute; "" none */
	char initrd[MINT_PATH_MAX + 1];
	char cmdline[MINT_CMDLINE_MAX + 1];
	bool has_cmdline; /* --cmdline given (may be empty) */
	unsigned int timeout; /* start: seconds until running, 0 forever */
	bool load_only; /* mintctl load: leave the node loaded */
	bool use_loaded; /* start: a node loaded by 'mintctl load' starts
			  * with that image, unless one-off options say
			  * otherwise */
	/* load --save-image=DIR: write the image there, load nothing */
	char save_image[MINT_PATH_MAX + 1];
	bool timing; /* start --timing: the timeline once the start ended */
};

/* --kernel, --initrd or --cmdline given? */
bool node_boot_oneoff(const struct node_boot *b);
/* One NODE_OPT_* option into @b; an exit code (usage errors printed). */
int node_boot_option(const struct cli_ctx *ctx, struct node_boot *b, int opt,
		     const char *arg);
/* The files of --kernel and --initrd: there, and a bzImage node0 can start
 * or an initramfs (filekind.c). Errors printed; exit 2. */
int node_boot_check(const struct cli_ctx *ctx, const struct node_boot *b);
/* @n (a copy of the config's node) with the one-off options in; @n points
 * into @b afterwards. */
void node_boot_apply(struct node_boot *b, struct mint_node *n);
/* The record of node @name's image: read (0, -errno, -EINVAL when it is
 * damaged), written atomically, dropped. */
int node_image_read(const struct cli_ctx *ctx, const char *name,
		    struct mint_image_rec *r);
int node_image_write(const struct cli_ctx *ctx, const char *name,
		     const struct mint_image_rec *r);
void node_image_forget(const struct cli_ctx *ctx, const char *name);

/* These print their own errors and return an exit code. @cfg: the
 * config @n is of (read from @config), for what is not per node. */
int node_start(const struct cli_ctx *ctx, const struct mint_config *cfg,
	       const char *config, const struct mint_node *n,
	       const struct node_boot *b);
int node_stop(const struct cli_ctx *ctx, const char *name, bool force);
int node_release(const struct cli_ctx *ctx, const char *name);

/* nodeinfo.c: what node0's kernel reports about a node. (The classes of
 * its states are libmint's: mint_state_parse(), mint_state_holds_cpus(),
 * mint_state_failed() in states.h.) */

#define NODE_MAX_APIC_IDS 64

struct node_info {
	char name[MINT_NAME_MAX + 1];
	int id; /* -1 when unreadable */
	char state[32];
	char cpulist[256]; /* as the kernel prints it */
	uint64_t cpus; /* bit n: CPU n */
	uint32_t apic_ids[NODE_MAX_APIC_IDS];
	unsigned int nr_apic_ids;
	struct {
		uint64_t base, size;
	} mem[MINT_MAX_RANGES];
	unsigned int nr_mem;
	uint64_t heartbeat;
	int64_t heartbeat_age_ms; /* -1: not started */
	char panic_msg[512];
	char vms[2048]; /* "NAME STATE DETAIL..." lines from the node's VM
			 * supervisor, empty when it has none */
	bool has_dma; /* its dma file: its devices and DMA faults */
	struct mint_dma dma;
	bool has_link; /* its link file, parsed (state none: no link) */
	struct mint_link_file link;
};

/* 0, or -errno when the node has no readable state (not defined). A
 * missing or unparsable other attribute leaves its field empty. */
int node_info_read(const struct cli_ctx *ctx, const char *name,
		   struct node_info *ni);
/* The dma file into @dma: false for a kernel without one, or a malformed
 * one. */
bool node_dma_read(const struct cli_ctx *ctx, const char *name,
		   struct mint_dma *dma);
/*
 * The start timeline of node @name: the kernel's stamps (its timeline
 * file), tsc_khz, and mintctl's from @rec (NULL: none; the record of the
 * image the node is loaded with or runs). 0, -errno when the file cannot
 * be read, -EINVAL when it is malformed, -ENODATA when no phase has a
 * stamp; why in @why (may be NULL).
 */
int node_timeline_read(const struct cli_ctx *ctx, const char *name,
		       const struct mint_image_rec *rec,
		       struct mint_timeline *t, char *why, size_t whylen);
/* start --timing: "NODE: start timeline (ms from 'mintctl start')" and
 * the table on standard output; a warning when there is none. */
void node_timing_print(const struct cli_ctx *ctx, const char *name);

/* nodelink.c: node0's side of a node's link. */

/* The link file of node @name into @l: 0, -errno when it cannot be read,
 * -EINVAL when it is malformed (why in @why, may be NULL). */
int node_link_read(const struct cli_ctx *ctx, const char *name,
		   struct mint_link_file *l, char *why, size_t whylen);

/* A network device's counters, /sys/class/net/IFNAME/statistics/ under
 * the sysroot; @have false when they cannot be read. */
struct node_link_stats {
	bool have;
	uint64_t rx_packets, tx_packets, rx_dropped, tx_dropped;
};

void node_link_stats_read(const struct cli_ctx *ctx, const char *ifname,
			  struct node_link_stats *s);

/*
 * start: put node0's device of @n's link (named in its link file) into
 * the bridge MINT_LINK_BRIDGE, with @cfg's [partition] address, at
 * MINT_LINK_MTU, all up (rtnl_io.h); nothing for a node without a link.
 * Under a sysroot other than / it says what it would do and does nothing:
 * netlink reaches the running kernel, not the sysroot's. An exit code,
 * errors printed.
 */
int node_link_up(const struct cli_ctx *ctx, const struct mint_config *cfg,
		 const struct mint_node *n);

/* node0's online CPUs (sys/devices/system/cpu/online), e.g. "0-1". */
int node0_online_cpus(const struct cli_ctx *ctx, char *out, size_t len);
/* node0's own VMs as its VM supervisor (kvm-per-node/mint-vmd) last wrote
 * them, rewritten once a second while it runs; @age_s: seconds since that
 * write (-1: unknown). -ENOENT: no supervisor has run (no VMs of node0). */
#define NODE0_VMS_STATUS "run/mint/vms.status" /* under the sysroot */
#define NODE0_VMS_STALE_S 10
int node0_vms_read(const struct cli_ctx *ctx, char *out, size_t len,
		   long *age_s);

/* console_ring.c: the node's console ring, oldest byte first, and where the
 * bytes not printed yet start in @ring given the previous read @prev */
int node_console_read(const struct cli_ctx *ctx, const char *node, char *buf,
		      size_t size, size_t *len);
size_t node_console_new(const char *ring, size_t len, const char *prev,
			size_t plen);
/* console_ring.c: @buf to the node's terminal (its console_in); 0 or -errno */
int node_console_send(const struct cli_ctx *ctx, const char *node,
		      const char *buf, size_t len);

/*
 * vmreq.c: a shell line @line (ending in a newline) typed on @node's
 * control-area terminal, which must print "@@MINT''VM REPLY"; REPLY (the
 * rest of that line) into @reply. An exit code, errors printed; waits at
 * most @timeout s (0 or above 15: 15).
 */
int node_shell_ask(const struct cli_ctx *ctx, const char *node,
		   const char *line, char *reply, size_t rlen,
		   unsigned int timeout);
/* vmreq.c: node_shell_ask() that prints nothing: an exit code only. */
int node_shell_poll(const struct cli_ctx *ctx, const char *node,
		    const char *line, char *reply, size_t rlen,
		    unsigned int timeout);
/* vmreq.c: request @action (words without shell specials) for VM @vm to
 * @node's VM supervisor: /run/mint/vm/VM/want there. An exit code. */
int vm_request_node(const struct cli_ctx *ctx, const char *node, const char *vm,
		    const char *action, unsigned int timeout);
/* vmreq.c: VM @vm's state and detail in @node's supervisor report (node0's
 * own, or the node's vms file); false when it is not there. */
bool vm_now(const struct cli_ctx *ctx, const char *node, const char *vm,
	    char *state, size_t slen, char *detail, size_t dlen);

/* cmd_migrate.c: where moved VMs run (placement.h's text), "" when none
 * has moved. 0 or -errno. */
#define NODE_PLACEMENT "run/mint/placement" /* under the sysroot */
#define NODE_PLACEMENT_MAX 8192
/* cmd_migrate.c: is @node running in node0's kernel? */
bool node_runs(const struct cli_ctx *ctx, const char *node);
int placement_read(const struct cli_ctx *ctx, char *buf, size_t len);
/* Before @node starts: its VMs that moved to a node that does not run now
 * (they died with it) come back home, so @node starts them (and that node,
 * when it starts again, does not). */
void placement_come_home(const struct cli_ctx *ctx,
			 const struct mint_config *cfg, const char *node);
/* cmd_migrate.c: move VM @vm from node @src to node @target, as mintctl
 * migrate does (checks, then the move); an exit code, errors printed. */
int vm_migrate(const struct cli_ctx *ctx, const struct mint_config *cfg,
	       const char *src, const char *vm, const char *target,
	       unsigned int timeout);

/* noderows.c: the rows of status and list. */
#define NODE_NAMES_MAX 64
#define NODE_ROWS_MAX (1 + NODE_NAMES_MAX + MINT_MAX_NODES)

struct node_row {
	struct node_info ni;
	bool defined; /* known to node0's kernel (node0 itself counts) */
	bool node0;
	long vms_age_s; /* node0: age of its supervisor's report, -1 none */
	bool has_image; /* image: what the node is loaded with or runs */
	struct mint_image_rec image;
	bool has_timeline; /* its start timeline, with the image's stamps */
	struct mint_timeline timeline;
	/* why mint-autostart does not start it at boot; "" when it does */
	char autostart_blocked[512];
	/* its link: whether the config gives it one (node0: the bridge),
	 * the config's address ("" none; node0: [partition]'s), its state
	 * (node0: of mintbr0) and device, "" when unknown, and the device's
	 * counters */
	bool link_configured;
	char link_address[32];
	char link_state[16];
	char link_ifname[MINT_IFNAME_MAX + 1];
	struct node_link_stats link_stats;
};

/* statuslink.c: a row's link in status's table ("  link: ..." under the
 * row, nothing without a link) and in its JSON (", \"link\": ..."). */
bool node_row_has_link(const struct node_row *r);
void node_row_link_text(FILE *f, const struct node_row *r);
void node_row_link_json(struct mint_buf *b, const struct node_row *r);

struct node_rows {
	struct node_row *v;
	int nr;
	const char *config; /* the config whose nodes are in; NULL: none */
};

/*
 * node0, the nodes node0's kernel has defined, then the nodes of @config
 * it has not defined; node0 first, then by id. The config is optional:
 * with @explicit (--config) it must be valid; the default is skipped when
 * absent and, with a warning, when invalid. Returns an exit code (errors
 * printed); node_rows_free() in any case.
 */
int node_rows_load(const struct cli_ctx *ctx, const char *config, bool explicit,
		   struct node_rows *rows);
void node_rows_free(struct node_rows *rows);
/* The kernel's state, or "offline (not defined)". */
const char *node_row_state(const struct node_row *r);

/* devices.c: keep node0's drivers off @n's PCI functions (marked as the
 * node's); give back every function marked as @name's, returning how many. */
int dev_take(const struct cli_ctx *ctx, const struct mint_node *n);
int dev_give_back(const struct cli_ctx *ctx, const char *name);
int machine_ecam(const struct cli_ctx *ctx, uint64_t *base, uint8_t *end_bus);

#endif
