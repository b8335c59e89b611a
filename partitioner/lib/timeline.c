// SPDX-License-Identifier: GPL-2.0
/*
 * libmint: a node start's timeline (timeline.h): the phases' names from
 * the ABI contract, the kernel's timeline file read back, times from the
 * TSC stamps, the checks and the table and JSON of 'mintctl start
 * --timing' and 'mintctl status --json'. Pure.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "timeline.h"
#include "internal.h"

static const char *const kernel_names[MINT_PHASE_COUNT] = MINT_PHASE_NAMES;

_Static_assert(sizeof(kernel_names) / sizeof(kernel_names[0]) ==
		       MINT_PHASE_COUNT,
	       "MINT_PHASE_NAMES names a phase beyond MINT_PHASE_COUNT");

#define TL(p) MINT_TL_PHASE(MINT_PHASE_##p)

static const char *const descs[MINT_TL_COUNT] = {
	[MINT_TL_MINTCTL] = "mintctl began starting (or loading) the node",
	[MINT_TL_FILES] = "mintctl: kernel and initrd read, image composed",
	[TL(LOAD)] = "node0: kexec_load(2) entered",
	[TL(CHECKED)] = "node0: the image passed the kernel's checks",
	[TL(COPIED)] = "node0: the image is in the node's RAM",
	[TL(START)] = "node0: \"start\" written to control",
	[TL(CPUS_OFF)] = "node0: the node's CPUs are offline in node0",
	[TL(SIPI)] = "node0: INIT and SIPI sent",
	[TL(ENTRY)] = "trampoline: jumps to the node kernel's entry",
	[TL(DECOMPRESSED)] = "node: first C code after decompression",
	[TL(START_KERNEL)] = "node: start_kernel() reached setup_arch()",
	[TL(SMP_UP)] = "node: every CPU up, initcalls begin",
	[TL(INITCALLS)] = "node: initcalls done, state running",
	[TL(INIT)] = "node: its init started",
	[TL(AGENT)] = "node: its init has its services up",
	[TL(VMS)] = "node: its VM supervisor started its VMs",
};

#undef TL

const char *mint_timeline_name(unsigned int i)
{
	if (i == MINT_TL_MINTCTL)
		return "mintctl";
	if (i == MINT_TL_FILES)
		return "files";
	if (i < MINT_TL_COUNT)
		return kernel_names[i - MINT_TL_KERNEL];
	return NULL;
}

const char *mint_timeline_desc(unsigned int i)
{
	return i < MINT_TL_COUNT ? descs[i] : NULL;
}

/* The index of the phase named by @len bytes at @s, or -1. */
static int find_name(const char *s, size_t len)
{
	unsigned int i;
	const char *name;

	for (i = 0; i < MINT_TL_COUNT; i++) {
		name = mint_timeline_name(i);
		if (strlen(name) == len && !memcmp(name, s, len))
			return (int)i;
	}
	return -1;
}

int mint_timeline_index(const char *name)
{
	return find_name(name, strlen(name));
}

int mint_tsc_parse(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (!len)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		if (v > (UINT64_MAX - (uint64_t)(s[i] - '0')) / 10)
			return -EINVAL;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = v;
	return 0;
}

/* At most this much of a bad line goes into @why. */
#define SHOWN(len) ((int)((len) < 40 ? (len) : 40))

int mint_timeline_parse(const char *text, struct mint_timeline *t, char *why,
			size_t whylen)
{
	uint64_t v[MINT_PHASE_COUNT];
	const char *p = text, *nl, *sp, *want;
	unsigned int i;
	int at;

	for (i = 0; i < MINT_PHASE_COUNT; i++) {
		want = kernel_names[i];
		if (!*p) {
			WHY("%u lines, not %d: no line of '%s'", i,
			    MINT_PHASE_COUNT, want);
			return -EINVAL;
		}
		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p);
		sp = memchr(p, ' ', (size_t)(nl - p));
		if (!sp) {
			WHY("line %u: not 'PHASE TSC': '%.*s'", i + 1,
			    SHOWN(nl - p), p);
			return -EINVAL;
		}
		at = find_name(p, (size_t)(sp - p));
		if (at < MINT_TL_KERNEL) { /* -1 too */
			WHY("line %u: unknown phase '%.*s'", i + 1,
			    SHOWN(sp - p), p);
			return -EINVAL;
		}
		if ((unsigned int)at != MINT_TL_KERNEL + i) {
			WHY("line %u: '%.*s' where '%s' belongs", i + 1,
			    SHOWN(sp - p), p, want);
			return -EINVAL;
		}
		if (mint_tsc_parse(sp + 1, (size_t)(nl - sp - 1), &v[i])) {
			WHY("line %u: '%.*s' is not a TSC value of '%s'", i + 1,
			    SHOWN(nl - sp - 1), sp + 1, want);
			return -EINVAL;
		}
		p = *nl ? nl + 1 : nl;
	}
	if (*p) {
		nl = strchr(p, '\n');
		WHY("more than %d lines: '%.*s'", MINT_PHASE_COUNT,
		    SHOWN(nl ? (size_t)(nl - p) : strlen(p)), p);
		return -EINVAL;
	}
	memcpy(&t->tsc[MINT_TL_KERNEL], v, sizeof(v));
	return 0;
}

int mint_timeline_origin(const struct mint_timeline *t)
{
	int i;

	for (i = 0; i < MINT_TL_COUNT; i++)
		if (t->tsc[i])
			return i;
	return -1;
}

bool mint_timeline_reached(const struct mint_timeline *t, unsigned int i)
{
	return i < MINT_TL_COUNT && t->tsc[i];
}

/* Milliseconds from TSC @a to TSC @b, negative when @b is earlier. */
static double tsc_ms(uint64_t a, uint64_t b, uint32_t khz)
{
	return b >= a ? (double)(b - a) / khz : -((double)(a - b) / khz);
}

double mint_timeline_ms(const struct mint_timeline *t, unsigned int i)
{
	int o = mint_timeline_origin(t);

	if (o < 0 || !t->tsc_khz || !mint_timeline_reached(t, i))
		return -1.0;
	return tsc_ms(t->tsc[o], t->tsc[i], t->tsc_khz);
}

double mint_timeline_span_ms(const struct mint_timeline *t, unsigned int from,
			     unsigned int to)
{
	if (!t->tsc_khz || !mint_timeline_reached(t, from) ||
	    !mint_timeline_reached(t, to) || t->tsc[to] < t->tsc[from])
		return -1.0;
	return tsc_ms(t->tsc[from], t->tsc[to], t->tsc_khz);
}

int mint_timeline_check(const struct mint_timeline *t, unsigned int upto,
			char *why, size_t whylen)
{
	unsigned int i;
	int prev = -1;

	if (upto >= MINT_TL_COUNT) {
		WHY("no phase %u: the timeline has %d", upto, MINT_TL_COUNT);
		return -EINVAL;
	}
	for (i = MINT_TL_KERNEL; i <= upto; i++) {
		if (!t->tsc[i]) {
			WHY("'%s' not reached (%s)", mint_timeline_name(i),
			    descs[i]);
			return -ENOENT;
		}
	}
	for (i = 0; i < MINT_TL_COUNT; i++) {
		if (!t->tsc[i])
			continue;
		if (prev >= 0 && t->tsc[i] < t->tsc[prev]) {
			WHY("'%s' (TSC %" PRIu64 ") is stamped before '%s' "
			    "(TSC %" PRIu64 "), an earlier phase",
			    mint_timeline_name(i), t->tsc[i],
			    mint_timeline_name(prev), t->tsc[prev]);
			return -ERANGE;
		}
		prev = (int)i;
	}
	return 0;
}

int mint_timeline_table(const struct mint_timeline *t, struct mint_buf *out)
{
	char at[32], took[32];
	int o = mint_timeline_origin(t), prev = -1;
	unsigned int i;
	bool before;

	mint_buf_printf(out, "%-12s  %9s  %9s  %s\n", "PHASE", "AT MS",
			"TOOK MS", "WHAT");
	for (i = 0; i < MINT_TL_COUNT; i++) {
		before = false;
		snprintf(at, sizeof(at), "-");
		snprintf(took, sizeof(took), "-");
		if (t->tsc[i] && !t->tsc_khz) {
			snprintf(at, sizeof(at), "?");
		} else if (t->tsc[i]) {
			snprintf(at, sizeof(at), "%.2f",
				 tsc_ms(t->tsc[o], t->tsc[i], t->tsc_khz));
			if (prev >= 0) {
				snprintf(took, sizeof(took), "%.2f",
					 tsc_ms(t->tsc[prev], t->tsc[i],
						t->tsc_khz));
				before = t->tsc[i] < t->tsc[prev];
			}
		}
		mint_buf_printf(out, "%-12s  %9s  %9s  %s%s\n",
				mint_timeline_name(i), at, took, descs[i],
				before ? " (before the phase above)" : "");
		if (t->tsc[i])
			prev = (int)i;
	}
	return out->nomem ? -ENOMEM : 0;
}

int mint_timeline_json(const struct mint_timeline *t, struct mint_buf *out)
{
	int o = mint_timeline_origin(t);
	unsigned int i;

	mint_buf_printf(out,
			"{\"tsc_khz\": %" PRIu32 ", \"origin\": ", t->tsc_khz);
	mint_json_string(out,
			 o >= 0 ? mint_timeline_name((unsigned int)o) : NULL);
	mint_buf_puts(out, ", \"phases\": [");
	for (i = 0; i < MINT_TL_COUNT; i++) {
		mint_buf_printf(out, "%s{\"phase\": ", i ? ", " : "");
		mint_json_string(out, mint_timeline_name(i));
		if (!t->tsc[i]) {
			mint_buf_puts(out, ", \"tsc\": null, \"ms\": null}");
			continue;
		}
		mint_buf_printf(out,
				", \"tsc\": %" PRIu64 ", \"ms\": ", t->tsc[i]);
		if (t->tsc_khz)
			mint_buf_printf(
				out, "%.3f}",
				tsc_ms(t->tsc[o], t->tsc[i], t->tsc_khz));
		else
			mint_buf_puts(out, "null}");
	}
	mint_buf_puts(out, "]}");
	return out->nomem ? -ENOMEM : 0;
}
