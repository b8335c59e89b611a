// SPDX-License-Identifier: GPL-2.0
/*
 * LD_PRELOAD for tests/config/run-cli.sh: kexec_load(2) against the fake
 * node0 of MINT_SYSROOT, as node0's kernel would take it. The node whose
 * id is in the flags becomes "loaded" (its state file), and one line per
 * load is appended to $MINT_SYSROOT/kexec.log: "node1 3 segments". Other
 * system calls go through.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../../kernel-patches/uapi/asm/mint.h" /* KEXEC_MINT_ID_* */

static int fake_kexec_load(unsigned long nseg, unsigned long flags)
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
		if (!fgets(buf, sizeof(buf), f) || strtoul(buf, NULL, 10) != id) {
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
		ret = fake_kexec_load((unsigned long)a[1], (unsigned long)a[3]);
		if (ret) {
			errno = -ret;
			return -1;
		}
		return 0;
	}
	errno = ENOSYS;
	return -1;
}
