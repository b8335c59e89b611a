/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libmint: a node start's timeline. mintctl stamps two phases of its own
 * with the TSC (its start of the node, the files read and the image
 * composed); node0's kernel, the start trampoline, the node and its user
 * space stamp the rest, which /sys/kernel/mint/NAME/timeline reads. Their
 * list, order and names come from the ABI contract
 * (kernel-patches/uapi/asm/mint.h: enum mint_phase, MINT_PHASE_NAMES);
 * nothing here repeats them. Pure.
 */
#ifndef MINT_TIMELINE_H
#define MINT_TIMELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h" /* struct mint_buf, the contract */

/* The indices of the full timeline: mintctl's two, then the kernel's. */
enum {
	MINT_TL_MINTCTL, /* mintctl's start (or load) of the node began */
	MINT_TL_FILES, /* kernel and initrd read, image composed */
	MINT_TL_KERNEL, /* the first of the contract's phases (load) */
	MINT_TL_COUNT = MINT_TL_KERNEL + MINT_PHASE_COUNT,
};

/* The index of the contract's phase @p (enum mint_phase). */
#define MINT_TL_PHASE(p) (MINT_TL_KERNEL + (p))

/* Every stamp is a TSC value, 0 for a phase not reached. */
struct mint_timeline {
	uint64_t tsc[MINT_TL_COUNT];
	uint32_t tsc_khz; /* TSC ticks per millisecond; 0: unknown */
};

/* "mintctl", "files", then the contract's names; NULL past the end. */
const char *mint_timeline_name(unsigned int i);
/* What phase @i is, one line; NULL past the end. */
const char *mint_timeline_desc(unsigned int i);
/* The index of the phase named @name, or -1. */
int mint_timeline_index(const char *name);

/* @len bytes at @s as a decimal u64 (digits only, no sign, no 0x); 0 or
 * -EINVAL (not a number, empty, more than 64 bits). */
int mint_tsc_parse(const char *s, size_t len, uint64_t *out);

/*
 * The text of /sys/kernel/mint/NAME/timeline: exactly MINT_PHASE_COUNT
 * lines "PHASE TSC", the contract's phases in order, TSC decimal; the
 * last newline may be missing (mintctl's reads cut it). Into the kernel's
 * stamps of @t (its other fields are left alone), or -EINVAL with what is
 * wrong in @why and @t unchanged.
 */
int mint_timeline_parse(const char *text, struct mint_timeline *t, char *why,
			size_t whylen);

/* The first phase with a stamp, in order (the origin of the times), or -1
 * when none has one. */
int mint_timeline_origin(const struct mint_timeline *t);
/* Has phase @i a stamp? */
bool mint_timeline_reached(const struct mint_timeline *t, unsigned int i);
/*
 * Milliseconds from the origin to phase @i; negative for a phase not
 * reached (and when tsc_khz is 0). A stamp earlier than the origin's
 * (stamps out of order) is negative too: mint_timeline_reached() tells.
 */
double mint_timeline_ms(const struct mint_timeline *t, unsigned int i);
/* Milliseconds from phase @from to phase @to; negative when either is not
 * reached, tsc_khz is 0, or @to is earlier. */
double mint_timeline_span_ms(const struct mint_timeline *t, unsigned int from,
			     unsigned int to);

/*
 * Every phase of the kernel's from load up to @upto (an index) reached,
 * and no stamp earlier than an earlier phase's: 0, or -ENOENT (a phase
 * missing), -ERANGE (two phases out of order, both named) or -EINVAL
 * (@upto is no phase) with why in @why.
 */
int mint_timeline_check(const struct mint_timeline *t, unsigned int upto,
			char *why, size_t whylen);

/*
 * The table, a phase a line, into @out:
 *   PHASE           AT MS    TOOK MS  WHAT
 *   mintctl          0.00          -  mintctl began starting the node
 *   files            9.21       9.21  ...
 * AT MS from the origin, TOOK MS since the previous phase reached, "-"
 * where there is no value; a stamp earlier than the one before it ends
 * its line with "(before the phase above)". 0 or -ENOMEM.
 */
int mint_timeline_table(const struct mint_timeline *t, struct mint_buf *out);

/*
 * As JSON, one line: {"tsc_khz": N, "origin": "NAME" or null, "phases":
 * [{"phase": "mintctl", "tsc": N or null, "ms": X.YYY or null}, ...]},
 * every phase in order; null where a phase is not reached (ms also when
 * tsc_khz is 0). 0 or -ENOMEM.
 */
int mint_timeline_json(const struct mint_timeline *t, struct mint_buf *out);

#endif /* MINT_TIMELINE_H */
