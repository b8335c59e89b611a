// SPDX-License-Identifier: GPL-2.0
/*
 * LD_PRELOAD for tests/config/run-cli.sh: kexec_load(2) against the fake
 * node0 of MINT_SYSROOT, as node0's kernel would take it. The node whose
 * id is in the flags becomes "loaded" (its state file), and one line per
 * load is appended to $MINT_SYSROOT/kexec.log: "node1 3 segments", and the
 * image it got is written to $MINT_SYSROOT/kexec-image/ as 'mintctl load
 * --save-image' writes one (image.txt, segN.bin), so the two compare. Other
 * system calls go through.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../../kernel-patches/uapi/asm/mint.h" /* KEXEC_MINT_ID_* */

struct seg {
	const void *buf;
	size_t bufsz;
	const void *mem;
	size_t memsz;
};

/* The image as 'mintctl load --save-image' writes it, into $root/kexec-image */
static void dump_image(const char *root, unsigned long entry,
		       unsigned long nseg, const struct seg *segs,
		       unsigned long flags, unsigned long id)
{
	char path[4096];
	unsigned long i;
	FILE *txt, *f;

	snprintf(path, sizeof(path), "%s/kexec-image", root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/kexec-image/image.txt", root);
	txt = fopen(path, "w");
	if (!txt)
		return;
	fprintf(txt, "entry 0x%lx\nflags 0x%lx\nnode_id %lu\n", entry, flags,
		id);
	for (i = 0; i < nseg; i++) {
		fprintf(txt,
			"segment %lu mem=0x%lx memsz=0x%zx bufsz=0x%zx "
			"file=seg%lu.bin\n",
			i, (unsigned long)segs[i].mem, segs[i].memsz,
			segs[i].bufsz, i);
		snprintf(path, sizeof(path), "%s/kexec-image/seg%lu.bin", root,
			 i);
		f = fopen(path, "w");
		if (f) {
			fwrite(segs[i].buf, 1, segs[i].bufsz, f);
			fclose(f);
		}
	}
	fclose(txt);
}

static int fake_kexec_load(unsigned long entry, unsigned long nseg,
			   const struct seg *segs, unsigned long flags)
{
	const char *root = getenv("MINT_SYSROOT");
	unsigned long id = (flags & KEXEC_MINT_ID_MASK) >> KEXEC_MINT_ID_SHIFT;
	char path[4096], buf[32];
	struct dirent *de;
	FILE *f;
	DIR *d;

	if (!root)
		return -EPERM;
	snprintf(path, sizeof(path), "%s/sys/kernel/mint", root);
	d = opendir(path);
	if (!d)
		return -ENOENT;
	while ((de = readdir(d))) {
		snprintf(path, sizeof(path), "%s/sys/kernel/mint/%s/id", root,
			 de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (!fgets(buf, sizeof(buf), f) ||
		    strtoul(buf, NULL, 10) != id) {
			fclose(f);
			continue;
		}
		fclose(f);
		snprintf(path, sizeof(path), "%s/sys/kernel/mint/%s/state",
			 root, de->d_name);
		f = fopen(path, "w");
		if (f) {
			fputs("loaded\n", f);
			fclose(f);
		}
		snprintf(path, sizeof(path), "%s/kexec.log", root);
		f = fopen(path, "a");
		if (f) {
			fprintf(f, "%s %lu segments\n", de->d_name, nseg);
			fclose(f);
		}
		dump_image(root, entry, nseg, segs, flags, id);
		closedir(d);
		return 0;
	}
	closedir(d);
	return -ENOENT;
}

long syscall(long nr, ...)
{
	long a[6];
	va_list ap;
	int i, ret;

	va_start(ap, nr);
	for (i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	if (nr == SYS_kexec_load) {
		ret = fake_kexec_load((unsigned long)a[0], (unsigned long)a[1],
				      (const struct seg *)a[2],
				      (unsigned long)a[3]);
		if (ret) {
			errno = -ret;
			return -1;
		}
		return 0;
	}
	errno = ENOSYS;
	return -1;
}
