// SPDX-License-Identifier: GPL-2.0
/*
 * Driving nodes through node0's kernel: /sys/kernel/mint (define, control,
 * state) and kexec_load(2) with KEXEC_MINT_NODE. The boot image itself is
 * composed by the node-loader library (pure); this file does the I/O.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "mintctl.h"
#include "node.h"
#include "nodeloader.h"

#ifndef KEXEC_ARCH_DEFAULT
#define KEXEC_ARCH_DEFAULT 0
#endif

struct kexec_segment_user {
	const void *buf;
	size_t bufsz;
	const void *mem;
	size_t memsz;
};

static void sys_path(const struct mint_ctx *ctx, char *out, size_t len,
		     const char *node, const char *attr)
{
	const char *root = strcmp(ctx->sysroot, "/") ? ctx->sysroot : "";

	if (node)
		snprintf(out, len, "%s/%s/%s/%s", root, MINT_KERNEL_DIR, node,
			 attr);
	else
		snprintf(out, len, "%s/%s/%s", root, MINT_KERNEL_DIR, attr);
}

/* A small text file (sysfs attribute), trailing newlines and spaces cut. */
int file_read_str(const char *path, char *out, size_t len)
{
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	n = read(fd, out, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	out[n] = 0;
	while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == ' '))
		out[--n] = 0;
	return 0;
}

/* One write (sysfs attributes take one); truncates a regular file, so a
 * fake tree in the tests shows the last value written. */
int file_write_str(const char *path, const char *val)
{
	ssize_t n;
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	close(fd);
	return n < 0 ? -errno : 0;
}

int node_read(const struct mint_ctx *ctx, const char *node, const char *attr,
	      char *out, size_t len)
{
	char path[4096];

	sys_path(ctx, path, sizeof(path), node, attr);
	return file_read_str(path, out, len);
}

int node_write(const struct mint_ctx *ctx, const char *node, const char *attr,
	       const char *val)
{
	char path[4096];

	sys_path(ctx, path, sizeof(path), node, attr);
	return file_write_str(path, val);
}

bool node_defined(const struct mint_ctx *ctx, const char *node)
{
	char buf[64];

	return node_read(ctx, node, "state", buf, sizeof(buf)) == 0;
}

int node_state(const struct mint_ctx *ctx, const char *node, char *out,
	       size_t len)
{
	return node_read(ctx, node, "state", out, len);
}

int node_list(const struct mint_ctx *ctx, char names[][MINT_NAME_MAX + 1],
	      int max)
{
	char path[4096];
	struct dirent *de;
	int n = 0;
	DIR *d;

	sys_path(ctx, path, sizeof(path), NULL, "");
	d = opendir(path);
	if (!d)
		return -errno;
	while ((de = readdir(d)) && n < max) {
		char state[64];

		if (de->d_name[0] == '.' ||
		    strlen(de->d_name) > MINT_NAME_MAX ||
		    node_state(ctx, de->d_name, state, sizeof(state)))
			continue;
		strcpy(names[n++], de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]),
	      (int (*)(const void *, const void *))strcmp);
	return n;
}

double node_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Wait until the node's state is one of @want (space-separated names).
 * Returns 0, or -ETIMEDOUT with the last state in @state. */
int node_wait(const struct mint_ctx *ctx, const char *node, const char *want,
	      unsigned int timeout, char *state, size_t len)
{
	double end = node_now() + timeout;
	char pat[64];

	for (;;) {
		int ret = node_state(ctx, node, state, len);

		if (ret)
			return ret;
		snprintf(pat, sizeof(pat), " %s ", state);
		{
			char hay[256];

			snprintf(hay, sizeof(hay), " %s ", want);
			if (strstr(hay, pat))
				return 0;
		}
		if (timeout && node_now() > end)
			return -ETIMEDOUT;
		usleep(100 * 1000);
	}
}

/* "id=1 name=node1 cpus=2-3 mem=0x28000000+0x28000000" */
static int node_define(const struct mint_ctx *ctx, const struct mint_node *n)
{
	char cpus[256], line[1024];
	unsigned int i;
	int len;

	mint_cpulist_format(n->cpus, cpus, sizeof(cpus));
	len = snprintf(line, sizeof(line),
		       "id=%u name=%s cpus=%s mem=", n->index, n->name, cpus);
	for (i = 0; i < n->nr_mem; i++)
		len += snprintf(line + len, sizeof(line) - len,
				"%s0x%" PRIx64 "+0x%" PRIx64, i ? "," : "",
				n->mem[i].base, n->mem[i].size);
	return node_write(ctx, NULL, "define", line);
}

static int read_file(const char *path, void **data, size_t *len)
{
	struct stat st;
	size_t done = 0;
	char *buf;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return -EINVAL;
	}
	buf = malloc(st.st_size ? st.st_size : 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	while (done < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + done, st.st_size - done);

		if (r <= 0) {
			free(buf);
			close(fd);
			return r < 0 ? -errno : -EIO;
		}
		done += r;
	}
	close(fd);
	*data = buf;
	*len = done;
	return 0;
}

/* The firmware's memory map as node0 sees it (/sys/firmware/memmap). */
static int machine_memmap(const struct mint_ctx *ctx, struct nl_memmap *map,
			  struct nl_err *err)
{
	char(*bufs)[3][64] = calloc(NL_MEMMAP_MAX, sizeof(*bufs));
	struct nl_fwmap_entry ent[NL_MEMMAP_MAX];
	int ret;
	const char *root = strcmp(ctx->sysroot, "/") ? ctx->sysroot : "";
	char path[4096];
	size_t n = 0;
	int i;

	if (!bufs)
		return -ENOMEM;
	for (i = 0; i < NL_MEMMAP_MAX; i++) {
		snprintf(path, sizeof(path), "%s/sys/firmware/memmap/%d/start",
			 root, i);
		if (file_read_str(path, bufs[n][0], sizeof(bufs[n][0])))
			break;
		snprintf(path, sizeof(path), "%s/sys/firmware/memmap/%d/end",
			 root, i);
		if (file_read_str(path, bufs[n][1], sizeof(bufs[n][1])))
			break;
		snprintf(path, sizeof(path), "%s/sys/firmware/memmap/%d/type",
			 root, i);
		if (file_read_str(path, bufs[n][2], sizeof(bufs[n][2])))
			break;
		ent[n].start = bufs[n][0];
		ent[n].end = bufs[n][1];
		ent[n].type = bufs[n][2];
		n++;
	}
	if (!n) {
		snprintf(err->msg, sizeof(err->msg),
			 "no firmware memory map in /sys/firmware/memmap");
		free(bufs);
		return -ENOENT;
	}
	ret = nl_memmap_from_firmware(ent, n, map, err);
	free(bufs);
	return ret;
}

static int parse_u32_list(const char *s, uint32_t *out, size_t max)
{
	size_t n = 0;

	while (*s && n < max) {
		char *end;
		unsigned long v = strtoul(s, &end, 10);

		if (end == s)
			break;
		out[n++] = v;
		s = end;
		while (*s == ' ')
			s++;
	}
	return n;
}

static uint32_t read_u32(const struct mint_ctx *ctx, const char *attr)
{
	char buf[64];

	if (node_read(ctx, NULL, attr, buf, sizeof(buf)))
		return 0;
	return strtoul(buf, NULL, 10);
}

/* Compose the node's boot image and load it with kexec_load(2). */
/*
 * The node's initrd with a small cpio archive appended (Linux unpacks
 * concatenated archives): /etc/mint/partition.conf and /etc/mint/node, so
 * the node knows its config and name (its VM supervisor reads them).
 */
static int add_node_files(const char *config, const struct mint_node *n,
			  void **initrd, size_t *ilen, char *why, size_t whylen)
{
	struct nl_cpio_file files[3];
	void *conf = NULL;
	size_t clen = 0, base, cap, len;
	struct nl_err err = { { 0 } };
	char name[MINT_NAME_MAX + 2];
	uint8_t *buf;
	int ret;

	ret = read_file(config, &conf, &clen);
	if (ret) {
		snprintf(why, whylen, "cannot read %s: %s", config,
			 strerror(-ret));
		return ret;
	}
	snprintf(name, sizeof(name), "%s\n", n->name);
	files[0] = (struct nl_cpio_file){ "etc/mint", 040755, NULL, 0 };
	files[1] = (struct nl_cpio_file){ "etc/mint/partition.conf", 0100644,
					  conf, clen };
	files[2] = (struct nl_cpio_file){ "etc/mint/node", 0100644, name,
					  strlen(name) };
	base = (*ilen + 3) & ~(size_t)3;
	cap = base + nl_cpio_size(files, 3);
	buf = calloc(1, cap);
	if (!buf) {
		free(conf);
		return -ENOMEM;
	}
	if (*ilen)
		memcpy(buf, *initrd, *ilen);
	ret = nl_cpio_build(files, 3, buf + base, cap - base, &len, &err);
	free(conf);
	if (ret) {
		snprintf(why, whylen, "%s", err.msg);
		free(buf);
		return ret;
	}
	free(*initrd);
	*initrd = buf;
	*ilen = base + len;
	return 0;
}

static int node_load(const struct mint_ctx *ctx, const char *config,
		     const struct mint_node *n, char *why, size_t whylen)
{
	struct kexec_segment_user segs[NL_MAX_SEGMENTS];
	struct nl_memmap memmap;
	struct nl_range ram[NL_MAX_RAM_RANGES];
	uint32_t apic[NL_MAX_CPUS], devs[MINT_MAX_DEVICES];
	struct nl_machine m = { 0 };
	struct nl_node nd = { 0 };
	struct nl_image *img = NULL;
	void *kernel = NULL, *initrd = NULL;
	size_t klen = 0, ilen = 0, i;
	struct nl_err err = { { 0 } };
	char buf[1024];
	unsigned long flags;
	int ret;

	if (!n->kernel) {
		snprintf(why, whylen, "no kernel given for node '%s'", n->name);
		return -EINVAL;
	}
	ret = read_file(n->kernel, &kernel, &klen);
	if (ret) {
		snprintf(why, whylen, "cannot read kernel %s: %s", n->kernel,
			 strerror(-ret));
		return ret;
	}
	if (n->initrd) {
		ret = read_file(n->initrd, &initrd, &ilen);
		if (ret) {
			snprintf(why, whylen, "cannot read initrd %s: %s",
				 n->initrd, strerror(-ret));
			goto out;
		}
	}
	ret = add_node_files(config, n, &initrd, &ilen, why, whylen);
	if (ret)
		goto out;
	ret = machine_memmap(ctx, &memmap, &err);
	if (ret)
		goto nl_fail;
	ret = node_read(ctx, n->name, "apic_ids", buf, sizeof(buf));
	if (ret) {
		snprintf(why, whylen, "cannot read the node's APIC IDs: %s",
			 strerror(-ret));
		goto out;
	}
	nd.ncpus = parse_u32_list(buf, apic, NL_MAX_CPUS);
	for (i = 0; i < n->nr_mem; i++) {
		ram[i].start = n->mem[i].base;
		ram[i].end = n->mem[i].base + n->mem[i].size;
		ram[i].type = NL_MEM_RAM;
	}
	for (i = 0; i < n->nr_devices; i++)
		devs[i] = (uint32_t)n->devices[i].bus << 8 |
			  n->devices[i].dev << 3 | n->devices[i].fn;
	nd.id = n->index;
	nd.name = n->name;
	nd.apic_ids = apic;
	nd.ram = ram;
	nd.nram = n->nr_mem;
	nd.uart_port = mint_console_port(n->console);
	nd.devices = devs;
	nd.ndevices = n->nr_devices;
	nd.extra_cmdline = n->cmdline;
	m.memmap = &memmap;
	m.tsc_khz = read_u32(ctx, "tsc_khz");
	if (n->nr_devices && machine_ecam(ctx, &m.ecam_base, &m.ecam_end_bus)) {
		snprintf(why, whylen,
			 "node0 has no PCI ECAM in /proc/iomem: a node reaches "
			 "its devices only through ECAM");
		ret = -ENODEV;
		goto out;
	}
	m.bsp_apic_id = read_u32(ctx, "bsp_apic_id");
	ret = nl_image_build(kernel, klen, initrd, ilen, &nd, &m, &img, &err);
	if (ret)
		goto nl_fail;
	for (i = 0; i < img->nseg; i++) {
		segs[i].buf = img->seg[i].buf;
		segs[i].bufsz = img->seg[i].bufsz;
		segs[i].mem = (const void *)(uintptr_t)img->seg[i].mem;
		segs[i].memsz = img->seg[i].memsz;
	}
	flags = KEXEC_ARCH_DEFAULT | KEXEC_MINT_NODE |
		((unsigned long)n->index << KEXEC_MINT_ID_SHIFT);
	if (syscall(SYS_kexec_load, (unsigned long)img->entry,
		    (unsigned long)img->nseg, segs, flags)) {
		ret = -errno;
		snprintf(why, whylen, "kexec_load of %s failed: %s", n->kernel,
			 strerror(errno));
		goto out;
	}
	ret = 0;
	goto out;
nl_fail:
	snprintf(why, whylen, "%s", err.msg);
out:
	nl_image_free(img);
	free(kernel);
	free(initrd);
	return ret;
}

/* Is @n's definition free of the nodes node0's kernel already has? The
 * kernel refuses conflicts too; this says which node is in the way. */
static int node_conflicts(const struct mint_ctx *ctx, const struct mint_node *n)
{
	char names[MINT_MAX_NODES + 8][MINT_NAME_MAX + 1], buf[256], why[128];
	int i, count = node_list(ctx, names, MINT_MAX_NODES + 8);

	for (i = 0; i < count; i++) {
		uint64_t cpus = 0;

		if (!strcmp(names[i], n->name))
			continue;
		if (!node_read(ctx, names[i], "cpus", buf, sizeof(buf)) &&
		    !mint_cpulist_parse_sys(buf, &cpus, why, sizeof(why)) &&
		    (cpus & n->cpus)) {
			mint_cpulist_format(cpus & n->cpus, buf, sizeof(buf));
			return cli_error(
				ctx, MINT_EXIT_CONFLICT,
				"%s: CPU %s belongs to node '%s'; stop "
				"and release it first (mintctl stop %s; "
				"mintctl release %s)",
				n->name, buf, names[i], names[i], names[i]);
		}
		if (!node_read(ctx, names[i], "id", buf, sizeof(buf)) &&
		    strtoul(buf, NULL, 10) == n->index)
			return cli_error(ctx, MINT_EXIT_CONFLICT,
					 "%s: node id %u (its place in the "
					 "config) is node '%s''s; node0 holds "
					 "nodes of one config at a time",
					 n->name, n->index, names[i]);
	}
	return MINT_EXIT_OK;
}

int node_start(const struct mint_ctx *ctx, const char *config,
	       const struct mint_node *n, unsigned int timeout)
{
	char state[64], why[512];
	double t0 = node_now(), t1, t2;
	int ret;

	if (!node_defined(ctx, n->name)) {
		ret = node_conflicts(ctx, n);
		if (ret)
			return ret;
		ret = node_define(ctx, n);
		if (cli_denied(ret))
			return cli_not_root(ctx, n->name);
		if (ret)
			return cli_error(ctx, MINT_EXIT_CONFLICT,
					 "%s: node0's kernel refused the node "
					 "definition: %s (see dmesg; are its "
					 "RAM and low memory held back with "
					 "'mintctl bootargs'?)",
					 n->name, strerror(-ret));
	}
	ret = node_state(ctx, n->name, state, sizeof(state));
	if (ret)
		return cli_error(ctx, MINT_EXIT_FAIL, "%s: no state: %s",
				 n->name, strerror(-ret));
	if (!strcmp(state, "starting") || !strcmp(state, "booting") ||
	    !strcmp(state, "running") || !strcmp(state, "halted") ||
	    !strcmp(state, "panic") || !strcmp(state, "hung"))
		return cli_error(ctx, MINT_EXIT_CONFLICT,
				 "%s: is %s; stop it first", n->name, state);
	ret = dev_take(ctx, n);
	if (ret)
		return ret;
	fprintf(ctx->err, "%s: loading %s%s%s\n", n->name, n->kernel,
		n->initrd ? " + " : "", n->initrd ? n->initrd : "");
	ret = node_load(ctx, config, n, why, sizeof(why));
	if (cli_denied(ret))
		return cli_not_root(ctx, n->name);
	if (ret)
		return cli_error(ctx,
				 ret == -EBUSY ? MINT_EXIT_CONFLICT
					       : MINT_EXIT_FAIL,
				 "%s: %s", n->name, why);
	t1 = node_now();
	ret = node_write(ctx, n->name, "control", "start");
	if (cli_denied(ret))
		return cli_not_root(ctx, n->name);
	if (ret)
		return cli_error(ctx, MINT_EXIT_FAIL,
				 "%s: start failed: %s (see dmesg)", n->name,
				 strerror(-ret));
	fprintf(ctx->err, "%s: started (load %.1fs); waiting for it to run\n",
		n->name, t1 - t0);
	ret = node_wait(ctx, n->name, "running halted panic hung", timeout,
			state, sizeof(state));
	t2 = node_now();
	if (ret == -ETIMEDOUT)
		return cli_error(ctx, MINT_EXIT_FAIL,
				 "%s: still %s after %us; see its console",
				 n->name, state, timeout);
	if (strcmp(state, "running"))
		return cli_error(ctx, MINT_EXIT_FAIL,
				 "%s: %s during boot; see 'mintctl log %s'",
				 n->name, state, n->name);
	fprintf(ctx->err, "%s: running (%.1fs from start)\n", n->name, t2 - t1);
	return MINT_EXIT_OK;
}

int node_stop(const struct mint_ctx *ctx, const char *name, bool force)
{
	char state[64];
	bool forced;
	int ret;

	ret = node_state(ctx, name, state, sizeof(state));
	if (ret)
		return cli_error(ctx, MINT_EXIT_CONFLICT,
				 "%s: no such node in node0's kernel (see "
				 "'mintctl status')",
				 name);
	if (!strcmp(state, "stopped")) {
		/* as systemctl stop of a unit that is not active: done */
		fprintf(ctx->err,
			"%s: already stopped; its CPUs stay reserved until "
			"'mintctl release %s'\n",
			name, name);
		return MINT_EXIT_OK;
	}
	if (!node_state_active(state))
		return cli_error(ctx, MINT_EXIT_CONFLICT,
				 "%s: is %s, not started; nothing to stop",
				 name, state);
	/* Only a running node can shut itself down; node0's kernel stops
	 * the CPUs of a node in any other state at once, even without
	 * stop-force. */
	forced = force || strcmp(state, "running");
	ret = node_write(ctx, name, "control", force ? "stop-force" : "stop");
	if (cli_denied(ret))
		return cli_not_root(ctx, name);
	if (ret == -EALREADY)
		return cli_error(ctx, MINT_EXIT_CONFLICT,
				 "%s: is no longer started; nothing to stop",
				 name);
	if (ret == -ETIMEDOUT)
		return cli_error(ctx, MINT_EXIT_FAIL,
				 "%s: did not halt within 60 s of the stop "
				 "request; 'mintctl stop --force %s' stops "
				 "its CPUs at once",
				 name, name);
	if (ret)
		return cli_error(ctx, MINT_EXIT_FAIL,
				 "%s: stop failed: %s (see dmesg)", name,
				 strerror(-ret));
	if (forced)
		fprintf(ctx->err, "%s: stopped (forced; it was %s)", name,
			state);
	else
		fprintf(ctx->err, "%s: stopped", name);
	fprintf(ctx->err,
		"; its CPUs stay reserved until 'mintctl release %s'\n", name);
	return MINT_EXIT_OK;
}

int node_release(const struct mint_ctx *ctx, const char *name)
{
	char state[64], cpus[256];
	int ret;

	ret = node_state(ctx, name, state, sizeof(state));
	if (ret)
		return cli_error(ctx, MINT_EXIT_CONFLICT,
				 "%s: no such node in node0's kernel (see "
				 "'mintctl status')",
				 name);
	if (node_state_active(state))
		return cli_error(ctx, MINT_EXIT_CONFLICT,
				 "%s: is %s; stop it first (mintctl stop %s)",
				 name, state, name);
	ret = node_write(ctx, name, "control", "release");
	if (cli_denied(ret))
		return cli_not_root(ctx, name);
	if (ret == -EBUSY)
		return cli_error(ctx, MINT_EXIT_CONFLICT,
				 "%s: is started again; stop it first", name);
	if (ret == -EALREADY)
		return cli_error(ctx, MINT_EXIT_CONFLICT,
				 "%s: holds no CPUs (they are node0's); "
				 "nothing to release",
				 name);
	if (ret)
		return cli_error(ctx, MINT_EXIT_FAIL,
				 "%s: release failed: %s (see dmesg)", name,
				 strerror(-ret));
	dev_give_back(ctx, name);
	if (node_read(ctx, name, "cpus", cpus, sizeof(cpus)))
		snprintf(cpus, sizeof(cpus), "?");
	fprintf(ctx->err, "%s: CPUs %s given back to node0\n", name, cpus);
	return MINT_EXIT_OK;
}
