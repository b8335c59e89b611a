// SPDX-License-Identifier: GPL-2.0
/*
 * kexec-refusals DIR NODE: node0's kexec_load(2) must refuse a node image
 * with any one field wrong that decides where the node writes (issue 14
 * item 4). Run as root in node0, with NODE defined and not started, on the
 * image 'mintctl load --save-image=DIR NODE' saved. Each variant of
 * kexec-image.c is loaded once; it must fail with its errno, leave a
 * kernel log line ("mint:", and "load refused" for a refusal of the node)
 * and leave the node's state as it was. One line per variant:
 *   PASS: kexec-refusals/NAME (errno ENAME: LOG LINE)
 *   FAIL: kexec-refusals/NAME: got ENAME|success, expected ENAME; log: ...
 * then the unchanged image is loaded and must be taken (good-load-
 * accepted), so the node holds its real image afterwards. With
 * --no-good-load that last load is left out: a node loaded before keeps
 * the image it had, which the caller can then start to show that no
 * refusal touched it. Exit 1 when a line is a FAIL, 2 for bad arguments.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kexec-image.h"

#define SYS_MINT "/sys/kernel/mint"
#define TXT_MAX (64 << 10)
#define SEG_MAX (1ULL << 32)

struct run {
	const char *node;
	int kmsg; /* /dev/kmsg */
	const struct ki_image *good;
	const struct ki_node *nd;
};

/* A whole file into a new buffer (NUL after it); 0 or -errno. */
static int read_file(const char *path, size_t max, char **out, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap + 1), *nbuf;
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret = 0;
	ssize_t r = 1;

	if (fd < 0 || !buf) {
		ret = fd < 0 ? -errno : -ENOMEM;
		goto out;
	}
	while (r > 0) {
		if (n == cap) {
			cap *= 2;
			nbuf = cap > max ? NULL : realloc(buf, cap + 1);
			if (!nbuf) {
				ret = cap > max ? -EFBIG : -ENOMEM;
				goto out;
			}
			buf = nbuf;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			r = 1;
		else if (r < 0)
			ret = -errno;
		else
			n += r;
	}
out:
	if (fd >= 0)
		close(fd);
	if (ret) {
		free(buf);
		return ret;
	}
	buf[n] = 0;
	*out = buf;
	*len = n;
	return 0;
}

/* /sys/kernel/mint/NODE/ATTR, without its newline; "" when unreadable */
static void attr(const char *node, const char *name, char *out, size_t len)
{
	char path[512], *text;
	size_t n;

	out[0] = 0;
	snprintf(path, sizeof(path), SYS_MINT "/%s/%s", node, name);
	if (read_file(path, 4096, &text, &n))
		return;
	snprintf(out, len, "%.*s", (int)strcspn(text, "\n"), text);
	free(text);
}

static int load_image(const char *dir, struct ki_image *img, char *why,
		      size_t len)
{
	char path[4096], *text;
	size_t i, n;
	int ret;

	snprintf(path, sizeof(path), "%s/image.txt", dir);
	ret = read_file(path, TXT_MAX, &text, &n);
	if (ret) {
		snprintf(why, len, "%s: %s", path, strerror(-ret));
		return ret;
	}
	ret = ki_parse(text, img, why, len);
	free(text);
	for (i = 0; !ret && i < img->nseg; i++) {
		struct ki_seg *s = &img->seg[i];

		snprintf(path, sizeof(path), "%s/%s", dir, s->file);
		ret = read_file(path, SEG_MAX, &text, &n);
		if (ret)
			snprintf(why, len, "%s: %s", path, strerror(-ret));
		else if (n != s->bufsz)
			snprintf(why, len, "%s: %zu bytes, bufsz says %zu",
				 path, n, s->bufsz);
		if (!ret)
			s->buf = s->own = (uint8_t *)text;
		if (!ret && n != s->bufsz)
			ret = -EINVAL;
	}
	return ret;
}

/* The node's RAM, and an id no node has (every SYS_MINT/NAME/id read). */
static int node_facts(const char *node, const struct ki_image *img,
		      struct ki_node *nd, char *why, size_t len)
{
	unsigned int ids[64];
	char buf[512];
	struct dirent *de;
	size_t n = 0;
	DIR *d;

	attr(node, "id", buf, sizeof(buf));
	if (strtoul(buf, NULL, 10) != img->node_id ||
	    (img->flags & KEXEC_MINT_ID_MASK) >> KEXEC_MINT_ID_SHIFT !=
		    img->node_id) {
		snprintf(why, len, "%s has id '%s'; the image is for id %u",
			 node, buf, img->node_id);
		return -EINVAL;
	}
	attr(node, "memory", buf, sizeof(buf));
	if (ki_parse_ranges(buf, nd)) {
		snprintf(why, len, "%s/memory: '%s'", node, buf);
		return -EINVAL;
	}
	d = opendir(SYS_MINT);
	while (d && (de = readdir(d)) && n < 64) {
		if (de->d_name[0] == '.')
			continue;
		attr(de->d_name, "id", buf, sizeof(buf));
		if (buf[0])
			ids[n++] = strtoul(buf, NULL, 10);
	}
	if (d)
		closedir(d);
	nd->free_id = ki_free_id(ids, n);
	return 0;
}

/* kexec_load(2) of @img: 0 or the errno */
static int kexec(const struct ki_image *img)
{
	struct kexec_segment segs[KI_MAX_SEGS];

	ki_segments(img, segs);
	if (syscall(SYS_kexec_load, (unsigned long)img->entry,
		    (unsigned long)img->nseg, segs, (unsigned long)img->flags))
		return errno;
	return 0;
}

/* The kernel's new records: the first with "mint:" (and "load refused"
 * when @node_log) into @line, else the first with "mint:" into @other. */
static void kmsg_read(int fd, bool node_log, char *line, char *other,
		      size_t len)
{
	char rec[8192];
	const char *text;
	ssize_t n;

	line[0] = other[0] = 0;
	for (;;) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && (errno == EPIPE || errno == EINTR))
			continue; /* records overwritten: read on */
		if (n <= 0)
			return;
		rec[n] = 0;
		text = ki_kmsg_text(rec);
		if (!strstr(text, "mint:"))
			continue;
		if (!line[0] && (!node_log || strstr(text, "load refused")))
			snprintf(line, len, "%s", text);
		else if (!other[0])
			snprintf(other, len, "%s", text);
	}
}

static const char *ename(int e)
{
	const char *s = e ? strerrorname_np(e) : "success";

	return s ? s : "unknown errno";
}

/* Load @img, which node0's kernel must take (@want 0) or refuse with
 * @want; print the verdict. */
static bool try_load(const struct run *r, const char *name,
		     const struct ki_image *img, int want, bool node_log)
{
	char before[64], after[64], line[512], other[512];
	bool found;
	int got;

	attr(r->node, "state", before, sizeof(before));
	lseek(r->kmsg, 0, SEEK_END);
	got = kexec(img);
	kmsg_read(r->kmsg, node_log, line, other, sizeof(line));
	attr(r->node, "state", after, sizeof(after));
	if (!want && !got && !strcmp(after, "loaded")) {
		printf("PASS: kexec-refusals/%s%s%s%s\n", name,
		       line[0] ? " (" : "", line, line[0] ? ")" : "");
		return true;
	}
	found = line[0];
	if (want && got == want && found && !strcmp(before, after)) {
		printf("PASS: kexec-refusals/%s (errno %s: %s)\n", name,
		       ename(got), line);
		return true;
	}
	if (!line[0])
		snprintf(line, sizeof(line), "%s", other[0] ? other : "none");
	printf("FAIL: kexec-refusals/%s: got %s, expected %s; log: %s", name,
	       ename(got), ename(want), line);
	if (want && !found)
		printf("; no kernel log line with 'mint:'%s",
		       node_log ? " and 'load refused'" : "");
	if (want && strcmp(before, after))
		printf("; node state changed: %s -> %s", before, after);
	if (!want && !got)
		printf("; node state %s, not loaded", after);
	if (want && !got)
		printf("; ACCEPTED: NODE0'S KERNEL TOOK THIS WRONG IMAGE, THE "
		       "NODE'S IMAGE CHANGED (the good load at the end "
		       "replaces it)");
	printf("\n");
	return false;
}

static bool try_variant(const struct run *r, const struct ki_variant *var)
{
	struct ki_image v;
	bool ok;
	int ret;

	ki_clone(r->good, &v);
	ret = var->mutate(&v, r->nd);
	if (ret) {
		printf("FAIL: kexec-refusals/%s: cannot make this variant of "
		       "the image: %s\n",
		       var->name, strerror(-ret));
		ki_free(&v);
		return false;
	}
	ok = try_load(r, var->name, &v, var->errnum, var->node_log);
	ki_free(&v);
	return ok;
}

int main(int argc, char **argv)
{
	struct ki_image good;
	struct ki_node nd = { 0 };
	struct run r = { .good = &good, .nd = &nd };
	char why[8192], state[64];
	bool ok = true, good_load = true;
	size_t i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 4 && !strcmp(argv[1], "--no-good-load")) {
		good_load = false;
		argv++;
		argc--;
	}
	if (argc != 3) {
		fprintf(stderr,
			"usage: kexec-refusals [--no-good-load] DIR NODE\n");
		return 2;
	}
	r.node = argv[2];
	if (load_image(argv[1], &good, why, sizeof(why)) ||
	    node_facts(r.node, &good, &nd, why, sizeof(why))) {
		printf("FAIL: kexec-refusals/setup: %s\n", why);
		return 1;
	}
	attr(r.node, "state", state, sizeof(state));
	r.kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (r.kmsg < 0 ||
	    (strcmp(state, "offline") && strcmp(state, "loaded") &&
	     strcmp(state, "stopped"))) {
		printf("FAIL: kexec-refusals/setup: %s\n",
		       r.kmsg < 0 ? "cannot read /dev/kmsg"
				  : "the node must be offline, loaded or "
				    "stopped");
		return 1;
	}
	for (i = 0; i < ki_nvariants; i++)
		ok &= try_variant(&r, &ki_variants[i]);
	if (good_load)
		ok &= try_load(&r, "good-load-accepted", &good, 0, false);
	ki_free(&good);
	return ok ? 0 : 1;
}
