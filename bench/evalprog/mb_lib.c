// SPDX-License-Identifier: GPL-2.0
/*
 * mintbench's pure functions: argument parsing, the random block positions,
 * cycles <-> time and the output lines. No I/O, no globals.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "mintbench.h"

#define ERR(...)                                            \
	do {                                                \
		if (err && errlen)                          \
			snprintf(err, errlen, __VA_ARGS__); \
	} while (0)

/* Decimal digits only: no sign, blank, base prefix or empty string. */
int mb_parse_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	if (!s || !*s)
		return -EINVAL;
	for (; *s; s++) {
		unsigned int d;

		if (*s < '0' || *s > '9')
			return -EINVAL;
		d = (unsigned int)(*s - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

/* Like mb_parse_u64, with an optional 0x prefix for hexadecimal. */
static int parse_u64_hex(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	if (!s || strncmp(s, "0x", 2))
		return mb_parse_u64(s, out);
	s += 2;
	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		unsigned int d;

		if (*s >= '0' && *s <= '9')
			d = (unsigned int)(*s - '0');
		else if (*s >= 'a' && *s <= 'f')
			d = (unsigned int)(*s - 'a' + 10);
		else if (*s >= 'A' && *s <= 'F')
			d = (unsigned int)(*s - 'A' + 10);
		else
			return -EINVAL;
		if (v >> 60)
			return -ERANGE;
		v = v << 4 | d;
	}
	*out = v;
	return 0;
}

/* "L:M:N", three decimal numbers; a 0 skips that part. */
int mb_parse_lmn(const char *s, uint64_t *l, uint64_t *m, uint64_t *n)
{
	char part[3][24];
	uint64_t v[3];
	const char *p = s;
	int i, rc;

	if (!s)
		return -EINVAL;
	for (i = 0; i < 3; i++) {
		const char *end = strchr(p, ':');
		size_t len;

		if (i < 2 && !end)
			return -EINVAL;
		if (i == 2) {
			if (end)
				return -EINVAL;
			end = p + strlen(p);
		}
		len = (size_t)(end - p);
		if (len >= sizeof(part[i]))
			return -ERANGE;
		memcpy(part[i], p, len);
		part[i][len] = '\0';
		rc = mb_parse_u64(part[i], &v[i]);
		if (rc)
			return rc;
		p = end + 1;
	}
	*l = v[0];
	*m = v[1];
	*n = v[2];
	return 0;
}

static int label_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' ||
	       c == '+';
}

/* A label goes into CSV unquoted: [A-Za-z0-9._+-], 1..63 characters. */
int mb_label_ok(const char *s)
{
	size_t len;

	if (!s)
		return 0;
	len = strlen(s);
	if (len == 0 || len > MB_LABEL_MAX)
		return 0;
	for (; *s; s++)
		if (!label_char(*s))
			return 0;
	return 1;
}

/* Copies src for a key=value comment: label characters and '/', ':' kept. */
void mb_sanitize(char *dst, size_t len, const char *src)
{
	size_t i = 0;

	if (!len)
		return;
	for (; src && *src && i + 1 < len; src++)
		dst[i++] = (label_char(*src) || *src == '/' || *src == ':')
				   ? *src
				   : '_';
	if (i == 0 && len > 1)
		dst[i++] = '_';
	dst[i] = '\0';
}

static const char *opt_value(const char *arg, const char *name)
{
	size_t len = strlen(name);

	if (strncmp(arg, name, len) || arg[len] != '=')
		return NULL;
	return arg + len + 1;
}

static int num_opt(const char *name, const char *val, uint64_t min,
		   uint64_t max, uint64_t *out, char *err, size_t errlen)
{
	uint64_t v;
	int rc = !strcmp(name, "--seed") ? parse_u64_hex(val, &v)
					 : mb_parse_u64(val, &v);

	if (rc || v < min || v > max) {
		ERR("%s=%s: expected a number from %llu to %llu", name, val,
		    (unsigned long long)min, (unsigned long long)max);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

static int parse_one(const char *a, struct mb_opts *o, const char **lmn,
		     char *err, size_t errlen)
{
	const char *v;

	if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
		o->help = 1;
		return 0;
	}
	if (!strcmp(a, "--allow-cached")) {
		o->allow_cached = 1;
		return 0;
	}
	if ((v = opt_value(a, "--tsc-khz")))
		return num_opt("--tsc-khz", v, 1, MB_MAX_TSC_KHZ, &o->tsc_khz,
			       err, errlen);
	if ((v = opt_value(a, "--block"))) {
		if (num_opt("--block", v, 512, MB_MAX_BLOCK, &o->block, err,
			    errlen))
			return -EINVAL;
		if (o->block % 512) {
			ERR("--block=%s: not a multiple of 512", v);
			return -EINVAL;
		}
		return 0;
	}
	if ((v = opt_value(a, "--reps")))
		return num_opt("--reps", v, 1, MB_MAX_REPS, &o->reps, err,
			       errlen);
	if ((v = opt_value(a, "--seed")))
		return num_opt("--seed", v, 1, UINT64_MAX, &o->seed, err,
			       errlen);
	if ((v = opt_value(a, "--disk"))) {
		if (!*v) {
			ERR("--disk=: empty path");
			return -EINVAL;
		}
		o->disk = v;
		return 0;
	}
	if ((v = opt_value(a, "--label"))) {
		if (!mb_label_ok(v)) {
			ERR("--label=%s: use 1 to %d of A-Z a-z 0-9 . _ + -", v,
			    MB_LABEL_MAX);
			return -EINVAL;
		}
		o->label = v;
		return 0;
	}
	if (a[0] == '-') {
		ERR("unknown option %s", a);
		return -EINVAL;
	}
	if (*lmn) {
		ERR("one L:M:N only (got %s and %s)", *lmn, a);
		return -EINVAL;
	}
	*lmn = a;
	return 0;
}

/*
 * Fills o from argv. Returns 0, or -EINVAL with a reason in err. With
 * --help, returns 0 and sets o->help without requiring L:M:N.
 */
int mb_parse_args(int argc, char *const argv[], struct mb_opts *o, char *err,
		  size_t errlen)
{
	const char *lmn = NULL;
	int i, rc;

	memset(o, 0, sizeof(*o));
	o->block = MB_DEFAULT_BLOCK;
	o->reps = MB_DEFAULT_REPS;
	o->seed = MB_DEFAULT_SEED;
	if (err && errlen)
		err[0] = '\0';

	for (i = 1; i < argc; i++)
		if (parse_one(argv[i], o, &lmn, err, errlen))
			return -EINVAL;
	if (o->help)
		return 0;
	if (!lmn) {
		ERR("missing L:M:N");
		return -EINVAL;
	}
	rc = mb_parse_lmn(lmn, &o->io_reads, &o->cpu_incs, &o->copies);
	if (rc) {
		ERR("%s: expected L:M:N, three decimal numbers (I/O reads, "
		    "CPU increments, memcpy iterations)",
		    lmn);
		return -EINVAL;
	}
	if (!o->io_reads && !o->cpu_incs && !o->copies) {
		ERR("%s: nothing to measure (all three parts are 0)", lmn);
		return -EINVAL;
	}
	if (o->io_reads && !o->disk) {
		ERR("L=%llu reads need --disk=PATH (a block device or a file "
		    "on the disk to read)",
		    (unsigned long long)o->io_reads);
		return -EINVAL;
	}
	return 0;
}

/* Marsaglia's xorshift64 (13, 7, 17); the state must not be 0. */
uint64_t mb_xorshift64(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	return x;
}

/*
 * A uniformly random block-aligned offset below nblocks * block. Values of
 * the generator below 2^64 mod nblocks are drawn again, so that the
 * remainder has no bias.
 */
int mb_random_block(uint64_t *state, uint64_t nblocks, uint64_t block,
		    uint64_t *offset)
{
	uint64_t threshold, r;

	if (!nblocks || !block || !*state || nblocks > UINT64_MAX / block)
		return -EINVAL;
	threshold = (0 - nblocks) % nblocks; /* 2^64 mod nblocks */
	do
		r = mb_xorshift64(state);
	while (r < threshold);
	*offset = (r % nblocks) * block;
	return 0;
}

/* ns = cycles / (khz * 1000) * 1e9, rounded to nearest; never wraps. */
int mb_cycles_to_ns(uint64_t cycles, uint64_t khz, uint64_t *ns)
{
	unsigned __int128 v;

	if (!khz)
		return -EINVAL;
	v = ((unsigned __int128)cycles * 1000000u + khz / 2) / khz;
	if (v > UINT64_MAX)
		return -ERANGE;
	*ns = (uint64_t)v;
	return 0;
}

/* The TSC rate in kHz that counted cycles in ns nanoseconds, rounded. */
int mb_khz_from(uint64_t cycles, uint64_t ns, uint64_t *khz)
{
	unsigned __int128 v;

	if (!ns)
		return -EINVAL;
	v = ((unsigned __int128)cycles * 1000000u + ns / 2) / ns;
	if (v == 0 || v > UINT64_MAX)
		return -ERANGE;
	*khz = (uint64_t)v;
	return 0;
}

const char *mb_tsc_source_name(enum mb_tsc_source s)
{
	switch (s) {
	case MB_TSC_OPTION:
		return "option";
	case MB_TSC_SYSFS:
		return "sysfs";
	case MB_TSC_MINT:
		return "mint-sysfs";
	case MB_TSC_CALIBRATED:
		return "calibrated";
	}
	return "unknown";
}

const char *mb_io_mode_name(enum mb_io_mode m)
{
	switch (m) {
	case MB_IO_NONE:
		return "none";
	case MB_IO_DIRECT:
		return "direct";
	case MB_IO_CACHED:
		return "cached";
	}
	return "unknown";
}

/* The CSV part name of the I/O rows. */
const char *mb_io_part(enum mb_io_mode m)
{
	return m == MB_IO_CACHED ? "io-cached" : "io";
}

static int fit(int n, size_t len)
{
	return (n < 0 || (size_t)n >= len) ? -ERANGE : n;
}

/* One CSV line with its newline. Returns its length or -ERANGE. */
int mb_format_row(char *buf, size_t len, const struct mb_row *r)
{
	if (!mb_label_ok(r->label))
		return -EINVAL;
	return fit(snprintf(buf, len, "%s,%s,%llu,%llu,%llu,%llu,%llu\n",
			    r->label, r->part,
			    (unsigned long long)r->size_bytes,
			    (unsigned long long)r->rep,
			    (unsigned long long)r->iterations,
			    (unsigned long long)r->cycles,
			    (unsigned long long)r->ns),
		   len);
}

/* The leading comment line, key=value words, with its newline. */
int mb_format_meta(char *buf, size_t len, const struct mb_meta *m)
{
	char host[64], disk[256];

	mb_sanitize(host, sizeof(host), m->host);
	mb_sanitize(disk, sizeof(disk), m->disk ? m->disk : "-");
	return fit(snprintf(buf, len,
			    "# mintbench " MB_VERSION " tsc_khz=%llu "
			    "source=%s seed=0x%016llx host=%s block=%llu "
			    "reps=%llu io=%s disk=%s rdtscp=%d "
			    "invariant_tsc=%d erms=%d fsrm=%d\n",
			    (unsigned long long)m->tsc_khz,
			    mb_tsc_source_name(m->source),
			    (unsigned long long)m->seed, host,
			    (unsigned long long)m->block,
			    (unsigned long long)m->reps, mb_io_mode_name(m->io),
			    disk, m->rdtscp, m->invariant_tsc, m->erms,
			    m->fsrm),
		   len);
}
