/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libmint's system layer: the only functions of libmint that read files
 * (sysfiles.c; whole files: readfile.h). They read through a sysroot ("/"
 * normally) and hand the text to config.h's pure parsers. Nothing here
 * prints or exits.
 */
#ifndef MINT_SYSFILES_H
#define MINT_SYSFILES_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"

/* What mint_sysinfo_load() reads, and what it needs. */
enum mint_sysinfo_mode {
	/* check --system, in node0 booted with the config: CPUs present,
	 * /proc/iomem (root only), the firmware map, PCI devices */
	MINT_SYSINFO_NODE0,
	/* check --preflight, in the kernel before mint: the same, but
	 * /proc/iomem only when readable; also CPUs online and IOMMUs */
	MINT_SYSINFO_PREFLIGHT,
};

/**
 * mint_sysinfo_load() - read the machine through @sysroot ("/" normally)
 *
 * Return: 0, or a negative errno with si->failed_path naming the file.
 */
int mint_sysinfo_load(const char *sysroot, enum mint_sysinfo_mode mode,
		      struct mint_sysinfo *si, char *why, size_t whylen);

/* stat() @path under @sysroot and read the head of a regular file (@head);
 * a NULL @path leaves @fi empty (not looked at). */
void mint_file_look(const char *sysroot, const char *path, bool head,
		    struct mint_file_info *fi);
/* stat() each file of @cfg under @sysroot, and read a regular file's head. */
void mint_files_load(const char *sysroot, const struct mint_config *cfg,
		     struct mint_files *files);

#endif /* MINT_SYSFILES_H */
