/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A node image as 'mintctl load --save-image' writes it, held in memory,
 * and the variants of it with one field wrong that kexec-refusals hands
 * node0's kexec_load(2). Pure: no I/O, no globals but the const table of
 * variants; unit-tested in tests/unit/check_kexec_image.c.
 */
#ifndef KEXEC_IMAGE_H
#define KEXEC_IMAGE_H

#include <linux/kexec.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../node-loader/include/mint_abi.h"

#define KI_MAX_SEGS KEXEC_SEGMENT_MAX
#define KI_PAGE 0x1000ULL
#define KI_SETUP_HOPS 16 /* node0's kernel follows as many */

struct ki_seg {
	const uint8_t *buf; /* bufsz bytes */
	size_t bufsz;
	uint64_t mem;
	uint64_t memsz;
	uint8_t *own; /* buf when this image owns it: ki_free() frees it */
	char file[64]; /* as image.txt names it */
};

struct ki_image {
	uint64_t entry;
	uint64_t flags; /* what kexec_load gets */
	unsigned int node_id;
	size_t nseg;
	struct ki_seg seg[KI_MAX_SEGS];
};

/* What node0's kernel says: the node's RAM, and an id no node has. */
struct ki_node {
	struct {
		uint64_t base, size;
	} ram[MINT_MAX_RANGES];
	size_t nram;
	unsigned int free_id; /* 0: every id 1..MINT_MAX_NODES is taken */
};

/* image.txt into @img (zeroed first; no buffers yet): 0, or -EINVAL with
 * the reason in @why. At most KI_MAX_SEGS - 1 segments (a variant adds
 * one). */
int ki_parse(const char *text, struct ki_image *img, char *why, size_t len);
/* /sys/kernel/mint/NODE/memory, "BASE+SIZE[,BASE+SIZE...]": 0 or -EINVAL */
int ki_parse_ranges(const char *text, struct ki_node *nd);
/* The first id 1..MINT_MAX_NODES not in @ids; 0 when there is none. */
unsigned int ki_free_id(const unsigned int *ids, size_t n);

/* @v: @good sharing its buffers, owning none. */
void ki_clone(const struct ki_image *good, struct ki_image *v);
void ki_free(struct ki_image *img);

/* The segment whose loaded bytes [mem, mem + bufsz) hold [pa, pa + len);
 * -1 when none does. */
int ki_find_seg(const struct ki_image *img, uint64_t pa, uint64_t len);
/* Those bytes to read; NULL when no segment holds them. */
const void *ki_peek(const struct ki_image *img, uint64_t pa, uint64_t len);
/* ... to write: the segment's buffer is copied first unless @img owns it;
 * NULL when no segment holds them or out of memory. */
void *ki_at(struct ki_image *img, uint64_t pa, uint64_t len);
/* The physical address of the setup_data block of @type (its header) on
 * the chain of the boot_params at the entry, with at least @min_len bytes
 * of data, all inside the segments; 0 when there is none. */
uint64_t ki_setup_find(const struct ki_image *img, uint32_t type,
		       uint32_t min_len);

/* The node's control area: the last MINT_CTRL_SIZE of its first range. */
uint64_t ki_ctrl_base(const struct ki_node *nd);
/* The lowest page of the node's RAM, off the control area, that no
 * segment's [mem, mem + memsz) touches; 0 when there is none. */
uint64_t ki_free_page(const struct ki_image *img, const struct ki_node *nd);

/* The kexec_load(2) segments of @img (@out: img->nseg entries). */
void ki_segments(const struct ki_image *img, struct kexec_segment *out);
/* The message of a /dev/kmsg record "PRIO,SEQ,TS,FLAGS;TEXT\n KEY=..":
 * TEXT, cut at its newline (@rec is changed). */
const char *ki_kmsg_text(char *rec);

/* One wrong image and what node0's kernel must answer. */
struct ki_variant {
	const char *name;
	/* 0, or -errno when @v lacks what is to be changed */
	int (*mutate)(struct ki_image *v, const struct ki_node *nd);
	int errnum;
	/* refused for a node that exists: the log line says "load refused" */
	bool node_log;
};

extern const struct ki_variant ki_variants[];
extern const size_t ki_nvariants;

#endif
