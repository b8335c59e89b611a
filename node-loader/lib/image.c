// SPDX-License-Identifier: GPL-2.0
/*
 * A whole node image: bzImage + initrd + node description + machine map in,
 * kexec segments and entry out.
 */
#include <inttypes.h>
#include <stdlib.h>

#include "internal.h"

/* Segments must not overlap each other, the control area or leave [B, S). */
static int check_segments(const struct nl_image *img, struct nl_err *err)
{
	const struct nl_layout *lay = &img->layout;
	size_t i, j;

	for (i = 0; i < img->nseg; i++) {
		const struct nl_segment *s = &img->seg[i];

		if (!NL_IS_ALIGNED(s->mem, NL_PAGE_SIZE) ||
		    !NL_IS_ALIGNED(s->memsz, NL_PAGE_SIZE) ||
		    s->bufsz > s->memsz || s->mem < lay->base ||
		    s->mem + s->memsz > lay->ctrl_base)
			return nl_fail(err, -EINVAL,
				       "internal error: segment %zu 0x%" PRIx64
				       "+0x%" PRIx64 " is misplaced",
				       i, s->mem, s->memsz);
		for (j = 0; j < i; j++)
			if (s->mem < img->seg[j].mem + img->seg[j].memsz &&
			    img->seg[j].mem < s->mem + s->memsz)
				return nl_fail(err, -EINVAL,
					       "internal error: segments %zu "
					       "and %zu overlap",
					       j, i);
	}
	return 0;
}

static int build(struct nl_image *img, const uint8_t *bzimage,
		 size_t bzimage_len, const void *initrd, size_t initrd_len,
		 const struct nl_node *node, const struct nl_machine *m,
		 struct nl_err *err)
{
	struct nl_range link;
	char cmdline[4096];
	size_t used;
	int ret;

	ret = nl_node_check(node, m, err);
	if (ret)
		return ret;
	if (initrd_len && !initrd)
		return nl_fail(err, -EINVAL, "initrd of %zu bytes has no data",
			       initrd_len);
	ret = nl_bzimage_parse(bzimage, bzimage_len, &img->bz, err);
	if (ret)
		return ret;
	ret = nl_cmdline_build(cmdline, sizeof(cmdline), node,
			       img->bz.cmdline_size, &img->cmdline_len, err);
	if (ret)
		return ret;
	ret = nl_layout_place(node->id, node->ram, node->nram, &img->bz,
			      initrd_len, img->cmdline_len, &img->layout, err);
	if (ret)
		return ret;
	link.start = node->link_base;
	link.end = node->link_base + node->link_size;
	link.type = NL_MEM_RESERVED;
	ret = nl_e820_build_link(node->id, node->ram, node->nram, &link,
				 m->memmap, &img->e820, err);
	if (ret)
		return ret;

	img->params_size = img->layout.params_memsz;
	img->params = calloc(1, img->params_size);
	if (!img->params)
		return nl_fail(err, -ENOMEM, "out of memory");
	ret = nl_boot_params_build(img->params + NL_PARAMS_OFF, bzimage,
				   bzimage_len, &img->bz, &img->layout,
				   &img->e820, err);
	if (ret)
		return ret;
	ret = nl_setup_data_build(img->params + NL_SETUP_DATA_OFF,
				  NL_SETUP_DATA_SIZE, img->layout.setup_data,
				  node, m, &img->layout, &used, err);
	if (ret)
		return ret;
	memcpy(img->params + NL_CMDLINE_OFF, cmdline, img->cmdline_len + 1);
	img->cmdline = (const char *)img->params + NL_CMDLINE_OFF;

	img->seg[0] = (struct nl_segment){ img->params, img->params_size,
					   img->layout.base,
					   img->layout.params_memsz };
	img->seg[1] =
		(struct nl_segment){ bzimage + img->bz.setup_size,
				     img->bz.payload_size, img->layout.kernel,
				     img->layout.kernel_memsz };
	img->nseg = 2;
	if (initrd_len)
		img->seg[img->nseg++] =
			(struct nl_segment){ initrd, initrd_len,
					     img->layout.initrd,
					     img->layout.initrd_memsz };
	img->entry = img->layout.base;
	return check_segments(img, err);
}

int nl_image_build(const void *bzimage, size_t bzimage_len, const void *initrd,
		   size_t initrd_len, const struct nl_node *node,
		   const struct nl_machine *m, struct nl_image **out,
		   struct nl_err *err)
{
	struct nl_image *img;
	int ret;

	*out = NULL;
	img = calloc(1, sizeof(*img));
	if (!img)
		return nl_fail(err, -ENOMEM, "out of memory");
	ret = build(img, bzimage, bzimage_len, initrd, initrd_len, node, m,
		    err);
	if (ret) {
		nl_image_free(img);
		return ret;
	}
	*out = img;
	return 0;
}

void nl_image_free(struct nl_image *img)
{
	if (!img)
		return;
	free(img->params);
	free(img);
}
