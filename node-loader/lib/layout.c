// SPDX-License-Identifier: GPL-2.0
/*
 * Where a node's images go inside the first of its RAM ranges [B, B + S):
 *
 *   B + 0x0000   boot_params (4 KiB)
 *   B + 0x1000   setup_data chain (8 KiB)
 *   B + 0x3000   command line
 *   K            kernel payload, K = align_up(B + 2 MiB, kernel_alignment);
 *                [K, K + init_size) is the decompressor's, nothing else there
 *   I            initrd, page aligned, as high as possible below the control
 *                area (and below initrd_addr_max for a kernel that needs it)
 *   B + S - 2 MiB  control area shared with node0 (MINT_CTRL_SIZE)
 */
#include <inttypes.h>

#include "internal.h"

static int too_small(struct nl_err *err, const struct nl_layout *lay,
		     uint64_t need_top, const char *what)
{
	char have[32], need[32];
	uint64_t need_size;

	need_size = NL_ALIGN_UP(need_top - lay->base + MINT_CTRL_SIZE,
				NL_RAM_ALIGN);
	return nl_fail(
		err, -ENOSPC,
		"node RAM 0x%" PRIx64 "-0x%" PRIx64
		" (%s) is too small for %s: it needs at least %s",
		lay->base, lay->ram_end - 1,
		nl_size_str(have, sizeof(have), lay->ram_end - lay->base), what,
		nl_size_str(need, sizeof(need), need_size));
}

int nl_layout_place(unsigned int node_id, const struct nl_range *ram,
		    size_t nram, const struct nl_bzimage *bz,
		    uint64_t initrd_size, size_t cmdline_len,
		    struct nl_layout *lay, struct nl_err *err)
{
	uint64_t kernel_end, top;
	int ret;

	if (node_id < 1 || node_id > MINT_MAX_NODES)
		return nl_fail(err, -EINVAL, "node id %u is not in 1..%d",
			       node_id, MINT_MAX_NODES);
	ret = nl_ram_check(ram, nram, err);
	if (ret)
		return ret;

	memset(lay, 0, sizeof(*lay));
	lay->node_id = node_id;
	lay->low_base = MINT_LOW_SLICE(node_id);
	lay->low_size = MINT_LOW_SLOT;
	lay->base = ram[0].start;
	lay->ram_end = ram[0].end;
	lay->setup_data = lay->base + NL_SETUP_DATA_OFF;
	lay->cmdline = lay->base + NL_CMDLINE_OFF;
	lay->ctrl_base = lay->ram_end - MINT_CTRL_SIZE;
	if (lay->ram_end - lay->base < MINT_CTRL_SIZE)
		lay->ctrl_base = lay->base; /* fails the size check below */

	if (cmdline_len > bz->cmdline_size)
		return nl_fail(err, -ENOSPC,
			       "command line is %zu bytes, the kernel takes at "
			       "most %u",
			       cmdline_len, bz->cmdline_size);
	lay->params_memsz =
		NL_CMDLINE_OFF +
		NL_ALIGN_UP((uint64_t)cmdline_len + 1, NL_PAGE_SIZE);

	lay->kernel = NL_ALIGN_UP(lay->base + NL_KERNEL_MIN_OFF,
				  bz->kernel_alignment);
	if (lay->base + lay->params_memsz > lay->kernel)
		return nl_fail(err, -ENOSPC,
			       "command line of %zu bytes does not fit below "
			       "the kernel at 0x%" PRIx64,
			       cmdline_len, lay->kernel);
	/* The decompressor runs at max(load, LOAD_PHYSICAL_ADDR), and
	 * pref_address is LOAD_PHYSICAL_ADDR: below it, the kernel would
	 * move itself out of the node's RAM. */
	if (lay->kernel < bz->pref_address)
		return nl_fail(err, -EINVAL,
			       "kernel load address 0x%" PRIx64
			       " is below the kernel's minimum 0x%" PRIx64
			       " (pref_address): node RAM must start at or "
			       "above 0x%" PRIx64,
			       lay->kernel, bz->pref_address,
			       bz->pref_address > NL_KERNEL_MIN_OFF
				       ? bz->pref_address - NL_KERNEL_MIN_OFF
				       : 0);
	if (lay->ram_end > NL_4G &&
	    !(bz->xloadflags & NL_XLF_CAN_BE_LOADED_ABOVE_4G))
		return nl_fail(err, -EINVAL,
			       "node RAM 0x%" PRIx64 "-0x%" PRIx64
			       " reaches above 4 GiB, but the kernel lacks "
			       "XLF_CAN_BE_LOADED_ABOVE_4G",
			       lay->base, lay->ram_end - 1);
	lay->kernel_size = bz->payload_size;
	lay->kernel_memsz = NL_ALIGN_UP((uint64_t)bz->init_size, NL_PAGE_SIZE);
	kernel_end = lay->kernel + lay->kernel_memsz;
	if (kernel_end > lay->ctrl_base)
		return too_small(err, lay,
				 kernel_end +
					 NL_ALIGN_UP(initrd_size, NL_PAGE_SIZE),
				 initrd_size ? "the kernel and the initrd"
					     : "the kernel's init_size");

	if (initrd_size == 0)
		return 0;
	lay->initrd_size = initrd_size;
	lay->initrd_memsz = NL_ALIGN_UP(initrd_size, NL_PAGE_SIZE);
	top = lay->ctrl_base;
	if (!(bz->xloadflags & NL_XLF_CAN_BE_LOADED_ABOVE_4G) &&
	    (uint64_t)bz->initrd_addr_max + 1 < top)
		top = NL_ALIGN_DOWN((uint64_t)bz->initrd_addr_max + 1,
				    NL_PAGE_SIZE);
	if (top < kernel_end + lay->initrd_memsz) {
		if (top < lay->ctrl_base)
			return nl_fail(err, -ENOSPC,
				       "initrd of %" PRIu64
				       " bytes does not fit between the "
				       "kernel (ends 0x%" PRIx64
				       ") and the kernel's initrd_addr_max "
				       "0x%x",
				       initrd_size, kernel_end - 1,
				       bz->initrd_addr_max);
		return too_small(err, lay, kernel_end + lay->initrd_memsz,
				 "the kernel and the initrd");
	}
	lay->initrd = top - lay->initrd_memsz;
	return 0;
}
