// SPDX-License-Identifier: GPL-2.0
/*
 * The record of the image a node was loaded with (image.h): its text form,
 * read back, and when it describes the node. Pure.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "image.h"
#include "states.h"
#include "timeline.h"
#include "internal.h"

/* A value fits on its line: no newline or other control character. */
static bool one_line(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

int mint_image_rec_format(const struct mint_image_rec *r, struct mint_buf *out)
{
	if (!one_line(r->kernel) || !one_line(r->initrd) ||
	    !one_line(r->cmdline) || !one_line(r->config))
		return -EINVAL;
	mint_buf_printf(out,
			"# mintctl: the image this node was loaded with\n"
			"kernel=%s\nkernel_sha256=%s\n"
			"initrd=%s\ninitrd_sha256=%s\n"
			"cmdline=%s\noneoff=%d\nconfig=%s\n",
			r->kernel, r->kernel_sha256, r->initrd,
			r->initrd_sha256, r->cmdline, r->oneoff ? 1 : 0,
			r->config);
	if (r->tsc_mintctl)
		mint_buf_printf(out, "tsc_mintctl=%" PRIu64 "\n",
				r->tsc_mintctl);
	if (r->tsc_files)
		mint_buf_printf(out, "tsc_files=%" PRIu64 "\n", r->tsc_files);
	return out->nomem ? -ENOMEM : 0;
}

static bool is_digest(const char *s)
{
	size_t i;

	for (i = 0; i < 2 * MINT_SHA256_LEN; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return !s[i];
}

/* @val (@len bytes) into @dst of @size; false when it does not fit. */
static bool put(char *dst, size_t size, const char *val, size_t len)
{
	if (len >= size)
		return false;
	memcpy(dst, val, len);
	dst[len] = 0;
	return true;
}

static int set_key(struct mint_image_rec *r, const char *key, size_t klen,
		   const char *val, size_t vlen)
{
	static const struct {
		const char *name;
		size_t off, size;
	} keys[] = {
#define KEY(f)                                    \
	{ #f, offsetof(struct mint_image_rec, f), \
	  sizeof(((struct mint_image_rec *)0)->f) }
		KEY(kernel),	    KEY(kernel_sha256), KEY(initrd),
		KEY(initrd_sha256), KEY(cmdline),	KEY(config),
#undef KEY
	};
	size_t i;

	if (klen == 11 && !memcmp(key, "tsc_mintctl", 11))
		return mint_tsc_parse(val, vlen, &r->tsc_mintctl);
	if (klen == 9 && !memcmp(key, "tsc_files", 9))
		return mint_tsc_parse(val, vlen, &r->tsc_files);
	if (klen == 6 && !memcmp(key, "oneoff", 6)) {
		if (vlen != 1 || (val[0] != '0' && val[0] != '1'))
			return -EINVAL;
		r->oneoff = val[0] == '1';
		return 0;
	}
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strlen(keys[i].name) == klen &&
		    !memcmp(keys[i].name, key, klen))
			return put((char *)r + keys[i].off, keys[i].size, val,
				   vlen)
				       ? 0
				       : -ERANGE;
	return -ENOENT;
}

int mint_image_rec_parse(const char *text, struct mint_image_rec *r, char *why,
			 size_t whylen)
{
	const char *p = text, *nl, *eq;
	unsigned int line = 0;
	int ret;

	memset(r, 0, sizeof(*r));
	while (*p) {
		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p);
		line++;
		if (nl > p && *p != '#') {
			eq = memchr(p, '=', nl - p);
			if (!eq) {
				WHY("line %u: no '=': '%.*s'", line,
				    (int)(nl - p), p);
				return -EINVAL;
			}
			ret = set_key(r, p, eq - p, eq + 1, nl - eq - 1);
			if (ret) {
				WHY("line %u: %s '%.*s'", line,
				    ret == -ENOENT   ? "unknown key"
				    : ret == -ERANGE ? "too long a value of"
						     : "bad value of",
				    (int)(eq - p), p);
				return -EINVAL;
			}
		}
		p = *nl ? nl + 1 : nl;
	}
	if (!r->kernel[0] || !is_digest(r->kernel_sha256)) {
		WHY("no kernel and kernel_sha256");
		return -EINVAL;
	}
	if (!r->initrd[0] != !r->initrd_sha256[0] ||
	    (r->initrd[0] && !is_digest(r->initrd_sha256))) {
		WHY("initrd without its initrd_sha256");
		return -EINVAL;
	}
	return 0;
}

bool mint_image_rec_applies(const char *state)
{
	return mint_state_parse(state) == MINT_STATE_LOADED ||
	       mint_state_holds_cpus(state);
}
