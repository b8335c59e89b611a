/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A node's boot image as mintctl loaded it: SHA-256 of its files (our own,
 * no library) and the record mintctl keeps of what a node was loaded with
 * (kernel, initrd, command line), for 'mintctl status'. Pure: the files
 * are read and written by mintctl.
 */
#ifndef MINT_IMAGE_H
#define MINT_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"

/* ---- SHA-256 (FIPS 180-4) --------------------------------------------- */

#define MINT_SHA256_LEN 32
#define MINT_SHA256_HEX (2 * MINT_SHA256_LEN + 1) /* with the NUL */

struct mint_sha256 {
	uint32_t h[8];
	uint64_t bytes; /* hashed so far */
	unsigned char block[64];
	size_t fill; /* bytes waiting in block */
};

void mint_sha256_init(struct mint_sha256 *s);
void mint_sha256_update(struct mint_sha256 *s, const void *data, size_t len);
void mint_sha256_final(struct mint_sha256 *s,
		       unsigned char out[MINT_SHA256_LEN]);
/* The digest of @len bytes at @data as 64 lowercase hex digits. */
void mint_sha256_hex(const void *data, size_t len, char out[MINT_SHA256_HEX]);

/* ---- the image record ------------------------------------------------- */

#define MINT_IMAGE_CMDLINE_MAX 2048 /* x86 COMMAND_LINE_SIZE */

/*
 * What a node was loaded with. Text, one "key=value" line each (values
 * hold no newline), '#' lines ignored:
 *   kernel=PATH            kernel_sha256=HEX
 *   initrd=PATH (empty: none)  initrd_sha256=HEX (empty: none)
 *   cmdline=TEXT           the whole command line the node boots with
 *   oneoff=0|1             1: --kernel, --initrd or --cmdline were given
 *   config=PATH            the config the rest came from
 *   tsc_mintctl=N          the TSC when mintctl began the node's start or
 *                          load (timeline.h, "mintctl"); absent: 0
 *   tsc_files=N            the TSC when the image was composed, just
 *                          before kexec_load ("files"); absent: 0
 * The sha256 of the initrd is that of the file (mintctl appends the
 * node's /etc/mint files to what it loads).
 */
struct mint_image_rec {
	char kernel[MINT_PATH_MAX + 1];
	char kernel_sha256[MINT_SHA256_HEX];
	char initrd[MINT_PATH_MAX + 1];
	char initrd_sha256[MINT_SHA256_HEX];
	char cmdline[MINT_IMAGE_CMDLINE_MAX + 1];
	bool oneoff;
	char config[MINT_PATH_MAX + 1];
	uint64_t tsc_mintctl; /* 0: not stamped (an older record) */
	uint64_t tsc_files;
};

/* @r as text into @out; -EINVAL when a value holds a newline or control
 * character, -ENOMEM. */
int mint_image_rec_format(const struct mint_image_rec *r, struct mint_buf *out);
/* Text as written by mint_image_rec_format() into @r; -EINVAL with what is
 * wrong in @why (an unknown key, a bad digest or TSC, no kernel). */
int mint_image_rec_parse(const char *text, struct mint_image_rec *r, char *why,
			 size_t whylen);
/*
 * Does the image of a record describe the node in @state (as node0's kernel
 * names it)? Only while the image is loaded or was started from it:
 * loaded, starting, booting, running, halted, panic, hung. An offline or
 * stopped node runs no image (mintctl drops the record then; this also
 * keeps a record left behind from being shown).
 */
bool mint_image_rec_applies(const char *state);

#endif /* MINT_IMAGE_H */
