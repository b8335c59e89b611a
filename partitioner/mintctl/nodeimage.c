// SPDX-License-Identifier: GPL-2.0
/*
 * Which image a node was loaded with: the one-off --kernel, --initrd and
 * --cmdline of 'mintctl start' and 'mintctl load', checked as the config's
 * files are; and the record of what was loaded (libmint's image.h), kept
 * in node0's /run/mint/nodes/NODE.image for 'mintctl status'. mintctl
 * writes the record (atomically) once kexec_load has taken the image, and
 * drops it before a new load and when the node is stopped or released.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mintctl.h"
#include "node.h"
#include "readfile.h"

#define IMAGE_DIR "run/mint/nodes" /* under the sysroot */
#define IMAGE_FILE_MAX 8192

static void image_path(const struct cli_ctx *ctx, const char *name,
		       const char *suffix, char *out, size_t len)
{
	snprintf(out, len, "%s/%s/%s.image%s", cli_root(ctx), IMAGE_DIR, name,
		 suffix);
}

int node_image_read(const struct cli_ctx *ctx, const char *name,
		    struct mint_image_rec *r)
{
	char path[4096], *text;
	size_t len;
	int ret;

	image_path(ctx, name, "", path, sizeof(path));
	ret = mint_read_file(path, IMAGE_FILE_MAX, MINT_READ_HEAD, &text, &len);
	if (ret)
		return ret;
	ret = mint_image_rec_parse(text, r, NULL, 0);
	free(text);
	return ret;
}

int node_image_write(const struct cli_ctx *ctx, const char *name,
		     const struct mint_image_rec *r)
{
	char dir[4096], path[4096];
	struct mint_buf b;
	int ret;

	mint_buf_init(&b);
	ret = mint_image_rec_format(r, &b);
	if (ret)
		goto out;
	snprintf(dir, sizeof(dir), "%s/%s", cli_root(ctx), IMAGE_DIR);
	ret = file_mkdir_p(dir);
	if (ret)
		goto out;
	image_path(ctx, name, "", path, sizeof(path));
	ret = file_write_whole(path, b.data, b.len, true);
out:
	mint_buf_free(&b);
	return ret;
}

void node_image_forget(const struct cli_ctx *ctx, const char *name)
{
	char path[4096];

	image_path(ctx, name, "", path, sizeof(path));
	unlink(path);
}

bool node_boot_oneoff(const struct node_boot *b)
{
	return b->kernel[0] || b->initrd[0] || b->has_cmdline;
}

/* A path of an option, made absolute (the record and status show it). */
static int option_path(const struct cli_ctx *ctx, const char *opt,
		       const char *arg, char *out, size_t len)
{
	char cwd[4096];
	const char *p;
	int n;

	if (!*arg)
		return cli_usage(ctx, "%s needs a path", opt);
	for (p = arg; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return cli_usage(ctx,
					 "%s: the path holds a control "
					 "character",
					 opt);
	if (arg[0] == '/') {
		n = snprintf(out, len, "%s", arg);
	} else {
		if (!getcwd(cwd, sizeof(cwd)))
			return cli_error(ctx, CLI_EXIT_FAIL,
					 "%s %s: no current directory: %s", opt,
					 arg, strerror(errno));
		n = snprintf(out, len, "%s/%s", strcmp(cwd, "/") ? cwd : "",
			     arg);
	}
	if (n < 0 || (size_t)n >= len || n > MINT_PATH_MAX)
		return cli_usage(ctx, "%s: the path is longer than %d bytes",
				 opt, MINT_PATH_MAX);
	return CLI_EXIT_OK;
}

int node_boot_option(const struct cli_ctx *ctx, struct node_boot *b, int opt,
		     const char *arg)
{
	const char *p;

	switch (opt) {
	case NODE_OPT_KERNEL:
		return option_path(ctx, "--kernel", arg, b->kernel,
				   sizeof(b->kernel));
	case NODE_OPT_INITRD:
		return option_path(ctx, "--initrd", arg, b->initrd,
				   sizeof(b->initrd));
	default:
		if (strlen(arg) > MINT_CMDLINE_MAX)
			return cli_usage(ctx,
					 "--cmdline: %zu bytes is too long; "
					 "at most %d, as the config's cmdline",
					 strlen(arg), MINT_CMDLINE_MAX);
		for (p = arg; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				return cli_usage(ctx,
						 "--cmdline holds a control "
						 "character; give one line");
		snprintf(b->cmdline, sizeof(b->cmdline), "%s", arg);
		b->has_cmdline = true;
		return CLI_EXIT_OK;
	}
}

/* The checks 'mintctl check --preflight' makes of the config's files. */
static int check_file(const struct cli_ctx *ctx, const char *opt,
		      const char *path, enum mint_file_kind kind)
{
	struct mint_file_info *fi = calloc(1, sizeof(*fi));
	char why[512];
	int ret = CLI_EXIT_OK;

	if (!fi)
		return cli_error(ctx, CLI_EXIT_FAIL, "out of memory");
	mint_file_look("/", path, true, fi);
	if (mint_file_check(kind, fi, why, sizeof(why)))
		ret = cli_error(ctx, CLI_EXIT_USAGE, "%s %s %s", opt, path,
				why);
	free(fi);
	return ret;
}

int node_boot_check(const struct cli_ctx *ctx, const struct node_boot *b)
{
	int ret = CLI_EXIT_OK;

	if (b->kernel[0])
		ret = check_file(ctx, "--kernel", b->kernel,
				 MINT_FILE_NODE_KERNEL);
	if (!ret && b->initrd[0])
		ret = check_file(ctx, "--initrd", b->initrd, MINT_FILE_INITRD);
	return ret;
}

void node_boot_apply(struct node_boot *b, struct mint_node *n)
{
	if (b->kernel[0])
		n->kernel = b->kernel;
	if (b->initrd[0])
		n->initrd = b->initrd;
	if (b->has_cmdline)
		n->cmdline = b->cmdline;
}
