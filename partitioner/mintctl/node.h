/* SPDX-License-Identifier: GPL-2.0 */
/* mintctl: nodes through node0's kernel (/sys/kernel/mint, kexec_load). */
#ifndef MINTCTL_NODE_H
#define MINTCTL_NODE_H

#include <stdbool.h>
#include <stddef.h>

#include "mintctl.h"

int node_read(const struct mint_ctx *ctx, const char *node, const char *attr,
	      char *out, size_t len);
int node_write(const struct mint_ctx *ctx, const char *node, const char *attr,
	       const char *val);
bool node_defined(const struct mint_ctx *ctx, const char *node);
int node_state(const struct mint_ctx *ctx, const char *node, char *out,
	       size_t len);
/* Names of the nodes node0's kernel knows, sorted. */
int node_list(const struct mint_ctx *ctx, char names[][MINT_NAME_MAX + 1],
	      int max);
double node_now(void);
int node_wait(const struct mint_ctx *ctx, const char *node, const char *want,
	      unsigned int timeout, char *state, size_t len);
/* These print their own errors and return an exit code. */
int node_start(const struct mint_ctx *ctx, const struct mint_node *n,
	       unsigned int timeout);
int node_stop(const struct mint_ctx *ctx, const char *name, bool force);
int node_release(const struct mint_ctx *ctx, const char *name);

#endif
