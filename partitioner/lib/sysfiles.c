// SPDX-License-Identifier: GPL-2.0
/*
 * The system layer: the only part of libmint (with readfile.c) that reads
 * files. Everything is read through a sysroot, so tests and --sysroot can
 * use a fake tree: the machine for --system and --preflight (CPUs present
 * and online, /proc/iomem, the firmware memory map, PCI functions,
 * IOMMUs), whose text goes to the pure parsers of sysinfo.c; and the files
 * a config names in node0's filesystem (what stat() says and the first
 * bytes of each regular file), which mint_file_check() (filekind.c) judges.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "sysfiles.h"
#include "readfile.h"

/* @path (absolute) below @sysroot; "/" and "" are the real root. */
static void sysroot_path(char *out, size_t len, const char *sysroot,
			 const char *path)
{
	size_t n = strlen(sysroot);

	while (n && sysroot[n - 1] == '/')
		n--;
	snprintf(out, len, "%.*s%s", (int)n, sysroot, path);
}

void mint_file_look(const char *sysroot, const char *path, bool head,
		    struct mint_file_info *fi)
{
	char full[MINT_PATH_MAX + 512];
	struct stat st;
	ssize_t got;
	int fd;

	memset(fi, 0, sizeof(*fi));
	if (!path)
		return;
	fi->looked = true;
	sysroot_path(full, sizeof(full), sysroot, path);
	if (stat(full, &st)) {
		fi->err = -errno;
		return;
	}
	fi->mode = (uint32_t)st.st_mode;
	fi->size = (uint64_t)st.st_size;
	if (!head || !S_ISREG(st.st_mode))
		return;
	fd = open(full, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fi->err = -errno;
		return;
	}
	do
		got = pread(fd, fi->head, sizeof(fi->head), 0);
	while (got < 0 && errno == EINTR);
	if (got < 0)
		fi->err = -errno;
	else
		fi->head_len = (size_t)got;
	close(fd);
}

void mint_files_load(const char *sysroot, const struct mint_config *cfg,
		     struct mint_files *files)
{
	unsigned int i;

	mint_file_look(sysroot, cfg->part.authorized_keys, true,
		       &files->authorized_keys);
	for (i = 0; i < cfg->nr_nodes; i++) {
		mint_file_look(sysroot, cfg->nodes[i].kernel, true,
			       &files->node_kernel[i]);
		mint_file_look(sysroot, cfg->nodes[i].initrd, true,
			       &files->node_initrd[i]);
	}
	for (i = 0; i < cfg->nr_vms; i++) {
		const struct mint_vm *vm = &cfg->vms[i];
		bool mine = vm->node_index == 0; /* node0's own VMs */

		mint_file_look(sysroot, mine ? vm->kernel : NULL, true,
			       &files->vm_kernel[i]);
		mint_file_look(sysroot, mine ? vm->initrd : NULL, true,
			       &files->vm_initrd[i]);
		mint_file_look(sysroot, mine ? vm->disk : NULL, false,
			       &files->vm_disk[i]);
	}
}

static int load_file(const char *sysroot, const char *path,
		     struct mint_sysinfo *si, char **text, size_t *len,
		     char *why, size_t whylen)
{
	int ret;

	sysroot_path(si->failed_path, sizeof(si->failed_path), sysroot, path);
	ret = mint_read_file(si->failed_path, 1 << 22, 0, text, len);
	if (ret)
		WHY("cannot read %s: %s", si->failed_path, strerror(-ret));
	return ret;
}

/* /sys/firmware/memmap/N/{start,end,type}, in any order of N. */
static int load_fwmap(const char *sysroot, struct mint_sysinfo *si, char *why,
		      size_t whylen)
{
	static const char *const files[] = { "start", "end", "type" };
	char dir[256], path[64 + 256], *text[3] = { NULL, NULL, NULL };
	struct dirent *de;
	size_t len;
	int ret = 0, i;
	DIR *dp;

	sysroot_path(dir, sizeof(dir), sysroot, "/sys/firmware/memmap");
	dp = opendir(dir);
	if (!dp) {
		ret = -errno;
		snprintf(si->failed_path, sizeof(si->failed_path), "%s", dir);
		WHY("cannot read %s: %s; mintctl needs the firmware memory map "
		    "(CONFIG_FIRMWARE_MEMMAP) to tell RAM from firmware areas",
		    dir, strerror(-ret));
		return ret;
	}
	while (!ret && (de = readdir(dp))) {
		if (de->d_name[0] == '.')
			continue;
		for (i = 0; i < 3 && !ret; i++) {
			snprintf(path, sizeof(path),
				 "/sys/firmware/memmap/%s/%s", de->d_name,
				 files[i]);
			ret = load_file(sysroot, path, si, &text[i], &len, why,
					whylen);
			if (!ret &&
			    (memchr(text[i], '\0', len) || len > 64 || !len)) {
				WHY("%s is not a line of text",
				    si->failed_path);
				ret = -EINVAL;
			}
		}
		if (!ret)
			ret = mint_sysinfo_add_fwmap(si, text[0], text[1],
						     text[2], why, whylen);
		for (i = 0; i < 3; i++) {
			free(text[i]);
			text[i] = NULL;
		}
	}
	closedir(dp);
	if (!ret && !si->nr_fwmap) {
		snprintf(si->failed_path, sizeof(si->failed_path), "%s", dir);
		WHY("%s is empty; mintctl needs the firmware memory map to "
		    "tell RAM from firmware areas",
		    dir);
		ret = -ENOENT;
	}
	return ret;
}

/* /sys/bus/pci/devices (may be missing: a machine without PCI). */
static int load_pci(const char *sysroot, struct mint_sysinfo *si, char *why,
		    size_t whylen)
{
	struct dirent *de;
	char dir[256];
	int ret = 0;
	DIR *dp;

	sysroot_path(dir, sizeof(dir), sysroot, "/sys/bus/pci/devices");
	dp = opendir(dir);
	if (!dp && errno != ENOENT) {
		ret = -errno;
		snprintf(si->failed_path, sizeof(si->failed_path), "%s", dir);
		WHY("cannot read %s: %s", dir, strerror(-ret));
		return ret;
	}
	while (dp && (de = readdir(dp))) {
		ret = mint_sysinfo_add_pci(si, de->d_name);
		if (ret)
			break;
	}
	if (dp)
		closedir(dp);
	return ret;
}

/* The pre-flight facts: CPUs online (all present when the file is
 * missing). */
static int load_preflight(const char *sysroot, struct mint_sysinfo *si,
			  char *why, size_t whylen)
{
	struct mint_sysinfo online;
	char *text;
	size_t len;
	int ret;

	si->cpus_online = si->cpus_present;
	ret = load_file(sysroot, "/sys/devices/system/cpu/online", si, &text,
			&len, NULL, 0);
	if (!ret) {
		mint_sysinfo_init(&online);
		ret = mint_sysinfo_parse_present(text, len, &online, why,
						 whylen);
		free(text);
		if (ret)
			return ret;
		si->cpus_online = online.cpus_present;
	} else if (ret != -ENOENT) {
		WHY("cannot read %s: %s", si->failed_path, strerror(-ret));
		return ret;
	}
	return 0;
}

/* Does /sys/class/iommu list an IOMMU (an active one: a kernel that keeps
 * it off with intel_iommu=off lists none)? */
static void load_iommu(const char *sysroot, struct mint_sysinfo *si)
{
	struct dirent *de;
	char dir[256];
	DIR *dp;

	sysroot_path(dir, sizeof(dir), sysroot, "/sys/class/iommu");
	dp = opendir(dir);
	while (dp && (de = readdir(dp)))
		if (de->d_name[0] != '.')
			si->iommu = true;
	if (dp)
		closedir(dp);
}

int mint_sysinfo_load(const char *sysroot, enum mint_sysinfo_mode mode,
		      struct mint_sysinfo *si, char *why, size_t whylen)
{
	bool preflight = mode == MINT_SYSINFO_PREFLIGHT;
	char *text;
	size_t len;
	int ret;

	ret = load_file(sysroot, "/sys/devices/system/cpu/present", si, &text,
			&len, why, whylen);
	if (ret)
		return ret;
	ret = mint_sysinfo_parse_present(text, len, si, why, whylen);
	free(text);
	if (ret)
		return ret;
	ret = load_file(sysroot, "/proc/iomem", si, &text, &len, why, whylen);
	if (ret && !preflight)
		return ret;
	if (!ret) {
		ret = mint_sysinfo_parse_iomem(text, len, si, why, whylen);
		free(text);
	}
	if (ret == -ENOMEM || (ret && !preflight))
		return ret;
	if (si->iomem_hidden && !preflight) {
		WHY("%s shows every address as 0, as it does for users "
		    "other than root; run as root",
		    si->failed_path);
		return -EACCES;
	}
	if (ret ||
	    si->iomem_hidden) { /* pre-flight: only names what is where */
		free(si->iomem);
		si->iomem = NULL;
		si->nr_iomem = 0;
	}
	ret = load_fwmap(sysroot, si, why, whylen)
		      ?: load_pci(sysroot, si, why, whylen);
	if (!ret && preflight)
		ret = load_preflight(sysroot, si, why, whylen);
	if (!ret)
		load_iommu(sysroot, si);
	if (!ret)
		si->failed_path[0] = '\0';
	return ret;
}
