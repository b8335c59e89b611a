/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libmint: node states as node0's kernel names them in
 * /sys/kernel/mint/NAME/state. The list, its order and which states hold
 * CPUs or count as failed come from the ABI contract
 * (kernel-patches/uapi/asm/mint.h); nothing here repeats them.
 */
#ifndef MINT_STATES_H
#define MINT_STATES_H

#include <stdbool.h>

#include "../../kernel-patches/uapi/asm/mint.h"

/* The names in enum order, NULL-terminated (for mint_suggest()). */
extern const char *const mint_state_names[MINT_STATE_COUNT + 1];

/* The enum mint_node_state of a name, or -1 for a name the kernel never
 * reports. */
int mint_state_parse(const char *name);

/* Is @name the name of state @s? */
static inline bool mint_state_is(const char *name, enum mint_node_state s)
{
	return mint_state_parse(name) == (int)s;
}

/* The node holds its CPUs: starting .. hung (stop it first). */
bool mint_state_holds_cpus(const char *name);

/* halted, panic, hung, failed: started, not stopped, no longer running. */
bool mint_state_failed(const char *name);

/* Every state of @mask (MINT_STATE_BIT()s), in order, their names joined
 * by @sep, the last two by @last ("a, b or c"); truncated to fit @size.
 * Returns the length it needed. */
size_t mint_state_join(unsigned int mask, const char *sep, const char *last,
		       char *buf, size_t size);

/* Every state */
#define MINT_STATES_ALL ((1U << MINT_STATE_COUNT) - 1)

#endif
