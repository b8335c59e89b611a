// SPDX-License-Identifier: GPL-2.0
/*
 * Loading a node's image: kexec_load(2) with KEXEC_MINT_NODE. The boot
 * image itself is composed by the node-loader library (pure); this file
 * reads the files it needs and does the system call, or, for 'mintctl
 * load --save-image', writes the same image to files instead.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "mintctl.h"
#include "node.h"
#include "nodeloader.h"
#include "readfile.h"

#ifndef KEXEC_ARCH_DEFAULT
#define KEXEC_ARCH_DEFAULT 0
#endif

struct kexec_segment_user {
	const void *buf;
	size_t bufsz;
	const void *mem;
	size_t memsz;
};

/* A kernel or initrd: no limit of mintctl's own, the node's RAM bounds it
 * (the node-loader library checks). */
#define IMAGE_FILE_MAX (SIZE_MAX / 2)

/* The firmware's memory map as node0 sees it (/sys/firmware/memmap). */
static int machine_memmap(const struct cli_ctx *ctx, struct nl_memmap *map,
			  struct nl_err *err)
{
	char(*bufs)[3][64] = calloc(NL_MEMMAP_MAX, sizeof(*bufs));
	struct nl_fwmap_entry ent[NL_MEMMAP_MAX];
	int ret;
	const char *root = cli_root(ctx);
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

static uint32_t read_u32(const struct cli_ctx *ctx, const char *attr)
{
	char buf[64];

	if (node_read(ctx, NULL, attr, buf, sizeof(buf)))
		return 0;
	return strtoul(buf, NULL, 10);
}

/*
 * The ssh keys every node gets: [partition] authorized_keys (as given, as
 * the kernel and initrd paths are), else node0's
 * MINT_AUTHORIZED_KEYS_DEFAULT under the sysroot when it exists. *@keys
 * NULL: none. 0 or -errno with what went wrong in @why.
 */
static int read_keys(const struct cli_ctx *ctx, const struct mint_config *cfg,
		     char **keys, size_t *klen, char *why, size_t whylen)
{
	const char *path = cfg->part.authorized_keys;
	char dflt[4096];
	int ret;

	*keys = NULL;
	*klen = 0;
	if (!path) {
		snprintf(dflt, sizeof(dflt), "%s%s", cli_root(ctx),
			 MINT_AUTHORIZED_KEYS_DEFAULT);
		path = dflt;
	}
	ret = mint_read_file(path, MINT_FILE_MAX, MINT_READ_REGULAR, keys,
			     klen);
	if (ret == -ENOENT && !cfg->part.authorized_keys)
		return 0;
	if (ret)
		snprintf(why, whylen,
			 "cannot read authorized_keys %s: %s; give [partition] "
			 "authorized_keys a readable file of public keys (at "
			 "most 1 MiB)%s",
			 path, strerror(-ret),
			 cfg->part.authorized_keys
				 ? ""
				 : ", or remove " MINT_AUTHORIZED_KEYS_DEFAULT);
	return ret;
}

/*
 * The node's initrd with a small cpio archive appended (Linux unpacks
 * concatenated archives): /etc/mint/partition.conf and /etc/mint/node, so
 * the node knows its config and name (its VM supervisor reads them),
 * /etc/mint/authorized_keys (0600) when node0 has keys for it, and
 * /etc/mint/placement when VMs have moved (mintctl migrate): the node
 * starts none of its VMs that run elsewhere, and the ones placed on it.
 */
static int add_node_files(const struct cli_ctx *ctx,
			  const struct mint_config *cfg, const char *config,
			  const struct mint_node *n, char **initrd,
			  size_t *ilen, char *why, size_t whylen)
{
	struct nl_cpio_file files[5];
	char *conf = NULL, *keys = NULL, placed[NODE_PLACEMENT_MAX];
	size_t clen = 0, klen = 0, base, cap, len, nf = 3;
	struct nl_err err = { { 0 } };
	char name[MINT_NAME_MAX + 2];
	uint8_t *buf;
	int ret;

	ret = mint_read_file(config, MINT_FILE_MAX, MINT_READ_REGULAR, &conf,
			     &clen);
	if (ret) {
		snprintf(why, whylen, "cannot read %s: %s", config,
			 strerror(-ret));
		return ret;
	}
	ret = read_keys(ctx, cfg, &keys, &klen, why, whylen);
	if (ret) {
		free(conf);
		return ret;
	}
	snprintf(name, sizeof(name), "%s\n", n->name);
	files[0] = (struct nl_cpio_file){ "etc/mint", 040755, NULL, 0 };
	files[1] = (struct nl_cpio_file){ "etc/mint/partition.conf", 0100644,
					  conf, clen };
	files[2] = (struct nl_cpio_file){ "etc/mint/node", 0100644, name,
					  strlen(name) };
	if (keys)
		files[nf++] = (struct nl_cpio_file){ "etc/mint/authorized_keys",
						     0100600, keys, klen };
	placement_come_home(ctx, cfg, n->name);
	if (!placement_read(ctx, placed, sizeof(placed)) && placed[0])
		files[nf++] =
			(struct nl_cpio_file){ "etc/mint/placement", 0100644,
					       placed, strlen(placed) };
	base = (*ilen + 3) & ~(size_t)3;
	cap = base + nl_cpio_size(files, nf);
	/* grown in place (a large block is remapped, not copied): an image
	 * of tens of MB is not copied and faulted in a second time */
	buf = realloc(*initrd, cap);
	if (!buf) {
		free(conf);
		free(keys);
		return -ENOMEM;
	}
	*initrd = (char *)buf;
	memset(buf + *ilen, 0, cap - *ilen);
	ret = nl_cpio_build(files, nf, buf + base, cap - base, &len, &err);
	free(conf);
	free(keys);
	if (ret) {
		snprintf(why, whylen, "%s", err.msg);
		return ret;
	}
	*ilen = base + len;
	return 0;
}

/* What is loaded, for the record: the files (their digests come later,
 * from node_files_digest(), off the start's path). */
static void describe(const struct mint_node *n, struct mint_image_rec *rec)
{
	memset(rec, 0, sizeof(*rec));
	snprintf(rec->kernel, sizeof(rec->kernel), "%s", n->kernel);
	if (n->initrd)
		snprintf(rec->initrd, sizeof(rec->initrd), "%s", n->initrd);
}

void node_files_digest(const struct node_files *f, struct mint_image_rec *rec)
{
	mint_sha256_hex(f->kernel, f->klen, rec->kernel_sha256);
	if (rec->initrd[0])
		mint_sha256_hex(f->initrd, f->ilen, rec->initrd_sha256);
}

void node_files_free(struct node_files *f)
{
	free(f->kernel);
	free(f->initrd);
	memset(f, 0, sizeof(*f));
}

/* The flags of a node's kexec_load(2). */
static unsigned long load_flags(const struct mint_node *n)
{
	return KEXEC_ARCH_DEFAULT | KEXEC_MINT_NODE |
	       ((unsigned long)n->index << KEXEC_MINT_ID_SHIFT);
}

/* A composed image and the files its segments point into (the initrd
 * with the node's /etc/mint files appended: the file is its first
 * files.ilen bytes). */
struct composed {
	struct nl_image *img;
	struct node_files files;
};

static void composed_free(struct composed *c)
{
	nl_image_free(c->img);
	node_files_free(&c->files);
}

/* Everything a load does before kexec_load(2): read the files and what
 * node0's kernel says about the node, compose the image. */
static int compose(const struct cli_ctx *ctx, const struct mint_config *cfg,
		   const char *config, const struct mint_node *n,
		   struct mint_image_rec *rec, struct composed *c, char *why,
		   size_t whylen)
{
	struct nl_memmap memmap;
	struct nl_range ram[NL_MAX_RAM_RANGES];
	uint32_t apic[NL_MAX_CPUS], devs[MINT_MAX_DEVICES];
	struct nl_machine m = { 0 };
	struct nl_node nd = { 0 };
	size_t klen = 0, ilen = 0, i;
	struct nl_err err = { { 0 } };
	char buf[1024];
	int ret;

	memset(c, 0, sizeof(*c));
	if (!n->kernel) {
		snprintf(why, whylen, "no kernel given for node '%s'", n->name);
		return -EINVAL;
	}
	ret = mint_read_file(n->kernel, IMAGE_FILE_MAX, MINT_READ_REGULAR,
			     &c->files.kernel, &klen);
	if (ret) {
		snprintf(why, whylen, "cannot read kernel %s: %s", n->kernel,
			 strerror(-ret));
		return ret;
	}
	if (n->initrd) {
		ret = mint_read_file(n->initrd, IMAGE_FILE_MAX,
				     MINT_READ_REGULAR, &c->files.initrd,
				     &ilen);
		if (ret) {
			snprintf(why, whylen, "cannot read initrd %s: %s",
				 n->initrd, strerror(-ret));
			return ret;
		}
	}
	c->files.klen = klen;
	c->files.ilen = ilen;
	if (rec)
		describe(n, rec);
	ret = add_node_files(ctx, cfg, config, n, &c->files.initrd, &ilen, why,
			     whylen);
	if (ret)
		return ret;
	ret = machine_memmap(ctx, &memmap, &err);
	if (ret)
		goto nl_fail;
	ret = node_read(ctx, n->name, "apic_ids", buf, sizeof(buf));
	if (ret) {
		snprintf(why, whylen, "cannot read the node's APIC IDs: %s",
			 strerror(-ret));
		return ret;
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
	nd.link_base = n->link.base;
	nd.link_size = n->link.size;
	m.memmap = &memmap;
	m.tsc_khz = read_u32(ctx, "tsc_khz");
	if (n->nr_devices && machine_ecam(ctx, &m.ecam_base, &m.ecam_end_bus)) {
		snprintf(why, whylen,
			 "node0 has no PCI ECAM in /proc/iomem: a node reaches "
			 "its devices only through ECAM");
		return -ENODEV;
	}
	m.bsp_apic_id = read_u32(ctx, "bsp_apic_id");
	ret = nl_image_build(c->files.kernel, klen, c->files.initrd, ilen, &nd,
			     &m, &c->img, &err);
	if (!ret)
		return 0;
nl_fail:
	snprintf(why, whylen, "%s", err.msg);
	return ret;
}

int node_load(const struct cli_ctx *ctx, const struct mint_config *cfg,
	      const char *config, const struct mint_node *n,
	      struct mint_image_rec *rec, struct node_files *files, char *why,
	      size_t whylen)
{
	struct kexec_segment_user segs[NL_MAX_SEGMENTS];
	struct composed c;
	const struct nl_image *img;
	size_t i;
	int ret;

	ret = compose(ctx, cfg, config, n, rec, &c, why, whylen);
	if (ret)
		goto out;
	img = c.img;
	for (i = 0; i < img->nseg; i++) {
		segs[i].buf = img->seg[i].buf;
		segs[i].bufsz = img->seg[i].bufsz;
		segs[i].mem = (const void *)(uintptr_t)img->seg[i].mem;
		segs[i].memsz = img->seg[i].memsz;
	}
	if (rec) /* the timeline's "files": composed, kexec_load next */
		rec->tsc_files = cli_tsc();
	if (syscall(SYS_kexec_load, (unsigned long)img->entry,
		    (unsigned long)img->nseg, segs, load_flags(n))) {
		ret = -errno;
		snprintf(why, whylen,
			 "kexec_load of %s failed: %s%s; node0's log says why "
			 "(dmesg | grep 'load refused')",
			 n->kernel, strerror(errno),
			 n->nr_devices && (errno == EBUSY || errno == ENODEV)
				 ? " (node0's kernel refused one of its "
				   "devices: "
				   "still driven by node0, not there, or not "
				   "behind an active IOMMU while the config "
				   "does not say iommu = off)"
				 : "");
		goto out;
	}
	if (rec)
		snprintf(rec->cmdline, sizeof(rec->cmdline), "%.*s",
			 (int)img->cmdline_len, img->cmdline);
	if (files) { /* the caller digests them */
		*files = c.files;
		memset(&c.files, 0, sizeof(c.files));
	}
out:
	composed_free(&c);
	return ret;
}

/* @len bytes of @buf as the file DIR/NAME; 0 or -errno. */
static int write_file(const char *dir, const char *name, const void *buf,
		      size_t len)
{
	const char *p = buf;
	char path[4096];
	int fd, ret = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	while (len) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			ret = w < 0 ? -errno : -EIO;
			break;
		}
		p += w;
		len -= w;
	}
	if (close(fd) && !ret)
		ret = -errno;
	return ret;
}

/* The segments' buffers as segN.bin, then image.txt naming them. */
static int save_files(const char *dir, const struct nl_image *img,
		      const struct mint_node *n, char *why, size_t whylen)
{
	struct mint_buf b;
	char name[32];
	size_t i;
	int ret = 0;

	mint_buf_init(&b);
	ret = file_mkdir_p(dir);
	if (ret) {
		snprintf(why, whylen, "cannot create %s: %s", dir,
			 strerror(-ret));
		goto out;
	}
	ret = mint_buf_printf(&b,
			      "entry 0x%" PRIx64 "\nflags 0x%lx\n"
			      "node_id %u\n",
			      img->entry, load_flags(n), n->index);
	for (i = 0; !ret && i < img->nseg; i++) {
		const struct nl_segment *s = &img->seg[i];

		snprintf(name, sizeof(name), "seg%zu.bin", i);
		ret = write_file(dir, name, s->buf, s->bufsz);
		if (ret) {
			snprintf(why, whylen, "cannot write %s/%s: %s", dir,
				 name, strerror(-ret));
			goto out;
		}
		ret = mint_buf_printf(&b,
				      "segment %zu mem=0x%" PRIx64
				      " memsz=0x%" PRIx64
				      " bufsz=0x%zx file=%s\n",
				      i, s->mem, s->memsz, s->bufsz, name);
	}
	if (!ret)
		ret = write_file(dir, "image.txt", b.data, b.len);
	if (ret)
		snprintf(why, whylen, "cannot write %s/image.txt: %s", dir,
			 strerror(-ret));
out:
	mint_buf_free(&b);
	return ret;
}

int node_save_image(const struct cli_ctx *ctx, const struct mint_config *cfg,
		    const char *config, const struct mint_node *n,
		    const char *dir, size_t *nseg, char *why, size_t whylen)
{
	struct composed c;
	int ret;

	ret = compose(ctx, cfg, config, n, NULL, &c, why, whylen);
	if (!ret)
		ret = save_files(dir, c.img, n, why, whylen);
	if (!ret)
		*nseg = c.img->nseg;
	composed_free(&c);
	return ret;
}
