// SPDX-License-Identifier: GPL-2.0
/*
 * The files a config names in node0's filesystem, read through a sysroot
 * for --preflight: what stat() says and the first bytes of each regular
 * file. mint_file_check() (filekind.c) decides what they are.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"

void mint_file_look(const char *sysroot, const char *path, bool head,
		    struct mint_file_info *fi)
{
	char full[MINT_PATH_MAX + 512];
	size_t n = strlen(sysroot);
	struct stat st;
	ssize_t got;
	int fd;

	memset(fi, 0, sizeof(*fi));
	if (!path)
		return;
	fi->looked = true;
	while (n && sysroot[n - 1] == '/')
		n--;
	snprintf(full, sizeof(full), "%.*s%s", (int)n, sysroot, path);
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
