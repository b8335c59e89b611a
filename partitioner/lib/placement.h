/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where VMs run when they have moved (mintctl migrate): node0's
 * /run/mint/placement, handed to every node it starts as
 * /etc/mint/placement. One line per VM that runs away from the node the
 * config gives it: "VM NODE HOME" (runs on NODE, config node HOME). A VM
 * without a line runs where the config puts it. Pure functions.
 */
#ifndef MINT_PLACEMENT_H
#define MINT_PLACEMENT_H

#include <stddef.h>

#include "config.h"

/* The node that runs VM @vm of @cfg now (the config's, unless @text moves
 * it to a node @cfg defines) into @node (MINT_NAME_MAX + 1 bytes). */
void mint_placement_where(const struct mint_config *cfg, const char *text,
			  const struct mint_vm *vm, char *node);

/*
 * @text with VM @vm placed on @node into @out (@len bytes): its line
 * dropped, then "VM NODE HOME" appended unless @node is @home. Lines that
 * are not three names are dropped too. 0, or -1 when it does not fit.
 */
int mint_placement_set(const char *text, const char *vm, const char *node,
		       const char *home, char *out, size_t len);

/*
 * Can VM @vm of @cfg, placed as @text says, move to node @target (index
 * into cfg->nodes)? 0, or -1 with the reason in @why: the target is its
 * node now, has fewer CPUs than its vCPUs, too little RAM for the VMs it
 * holds then (MINT_NODE_OVERHEAD kept), another VM there has the same
 * disk, or the VM is on a link (net = mint) and the target has none.
 */
int mint_migrate_fits(const struct mint_config *cfg, const char *text,
		      const struct mint_vm *vm, unsigned int target, char *why,
		      size_t len);

#endif
