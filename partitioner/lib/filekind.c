// SPDX-License-Identifier: GPL-2.0
/*
 * Is a file the kind its key needs: a bzImage, an initramfs, a disk? Pure:
 * the system layer (sysfiles.c) hands over what stat() said and the
 * file's first bytes. The bzImage rules are those of
 * Documentation/arch/x86/boot.rst that a loader relies on; node-loader
 * applies the full set when it loads a node.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"

/* Offsets of the setup header (boot.rst). */
#define SETUP_SECTS 0x1f1
#define SYSSIZE 0x1f4
#define BOOT_FLAG 0x1fe
#define HEADER 0x202
#define VERSION 0x206
#define LOADFLAGS 0x211
#define RELOCATABLE 0x234
#define XLOADFLAGS 0x236
#define HEADER_END 0x238 /* what is read above */
#define LOADED_HIGH 0x01
#define XLF_KERNEL_64 0x01
#define MIN_VERSION 0x020c /* 2.12: xloadflags */

static unsigned int get16(const unsigned char *p)
{
	return (unsigned int)p[0] | (unsigned int)p[1] << 8;
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)get16(p) | (uint32_t)get16(p + 2) << 16;
}

static const char *file_type(uint32_t mode)
{
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISSOCK(mode))
		return "a socket";
	return "not a regular file";
}

static int check_bzimage(bool node, const struct mint_file_info *fi, char *why,
			 size_t whylen)
{
	const unsigned char *h = fi->head;
	uint64_t setup, payload;
	unsigned int version;

	if (fi->head_len >= 4 && !memcmp(h, "\177ELF", 4)) {
		WHY("is an ELF file (a vmlinux?), not a bzImage; use the "
		    "kernel's arch/x86/boot/bzImage");
		return -EINVAL;
	}
	if (fi->head_len < HEADER_END || get32(h + HEADER) != 0x53726448 ||
	    get16(h + BOOT_FLAG) != 0xaa55) {
		WHY("is not a bzImage: no \"HdrS\" setup header at 0x202; "
		    "use the kernel's arch/x86/boot/bzImage");
		return -EINVAL;
	}
	version = get16(h + VERSION);
	if (version < MIN_VERSION) {
		WHY("speaks boot protocol %u.%02u, older than 2.12 (Linux "
		    "3.8); use a newer kernel",
		    version >> 8, version & 0xff);
		return -EINVAL;
	}
	setup = ((uint64_t)(h[SETUP_SECTS] ? h[SETUP_SECTS] : 4) + 1) * 512;
	payload = (uint64_t)get32(h + SYSSIZE) * 16;
	if (!(h[LOADFLAGS] & LOADED_HIGH) || !payload ||
	    setup + payload > fi->size) {
		WHY("has a setup header that does not fit the file (%llu "
		    "bytes of setup and %llu of kernel in %llu bytes): "
		    "truncated or damaged; copy the bzImage again",
		    (unsigned long long)setup, (unsigned long long)payload,
		    (unsigned long long)fi->size);
		return -EINVAL;
	}
	if (node && !(get16(h + XLOADFLAGS) & XLF_KERNEL_64)) {
		WHY("is not a 64-bit kernel (no XLF_KERNEL_64): node0 starts "
		    "a node at the 64-bit entry; use an x86-64 bzImage");
		return -EINVAL;
	}
	if (node && !h[RELOCATABLE]) {
		WHY("is not relocatable (CONFIG_RELOCATABLE off): node0 loads "
		    "a node's kernel into the node's RAM; use mint's bzImage");
		return -EINVAL;
	}
	return 0;
}

/* The formats Linux unpacks an initramfs from, by their magic. */
static bool initramfs_magic(const unsigned char *h, size_t len)
{
	static const struct {
		const char *bytes;
		size_t len;
	} magic[] = {
		/* gzip, zstd, xz */
		{ "\x1f\x8b", 2 },
		{ "\x28\xb5\x2f\xfd", 4 },
		{ "\xfd\x37\x7a\x58\x5a\x00", 6 },
		/* lz4: the legacy frame, the one Linux reads */
		{ "\x02\x21\x4c\x18", 4 },
		/* cpio "newc", without and with checksums */
		{ "070701", 6 },
		{ "070702", 6 },
	};
	size_t i;

	for (i = 0; i < sizeof(magic) / sizeof(magic[0]); i++)
		if (len >= magic[i].len &&
		    !memcmp(h, magic[i].bytes, magic[i].len))
			return true;
	return false;
}

int mint_file_check(enum mint_file_kind kind, const struct mint_file_info *fi,
		    char *why, size_t whylen)
{
	if (fi->err) {
		WHY("cannot be read: %s; check the path (in node0's "
		    "filesystem)",
		    strerror(-fi->err));
		return -EINVAL;
	}
	if (kind == MINT_FILE_DISK) {
		if (S_ISBLK(fi->mode) || S_ISREG(fi->mode))
			return 0;
		WHY("is %s, not a disk image or a block device; give the VM "
		    "an image file or a disk",
		    file_type(fi->mode));
		return -EINVAL;
	}
	if (!S_ISREG(fi->mode)) {
		WHY("is %s; give the path of a file", file_type(fi->mode));
		return -EINVAL;
	}
	if (kind == MINT_FILE_AUTHORIZED_KEYS) {
		if (fi->size > MINT_FILE_MAX) {
			WHY("is %llu bytes, more than an authorized_keys file "
			    "holds (1 MiB at most); give an OpenSSH "
			    "authorized_keys file",
			    (unsigned long long)fi->size);
			return -EINVAL;
		}
		if (memchr(fi->head, 0, fi->head_len)) {
			WHY("is not text (a NUL byte in its first bytes); give "
			    "an OpenSSH authorized_keys file, one public key "
			    "a line");
			return -EINVAL;
		}
		return 0;
	}
	if (kind == MINT_FILE_INITRD) {
		if (initramfs_magic(fi->head, fi->head_len))
			return 0;
		WHY("is not an initramfs (no cpio, gzip, zstd, xz or lz4 "
		    "magic at its start); give a cpio archive, maybe "
		    "compressed");
		return -EINVAL;
	}
	return check_bzimage(kind == MINT_FILE_NODE_KERNEL, fi, why, whylen);
}
