// SPDX-License-Identifier: GPL-2.0
/* Error messages and checks shared by the node-loader passes. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>

#include "internal.h"

int nl_fail(struct nl_err *err, int ret, const char *fmt, ...)
{
	va_list ap;

	if (err) {
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
	return ret;
}

const char *nl_size_str(char *buf, size_t size, uint64_t bytes)
{
	static const char *const unit[] = { "bytes", "KiB", "MiB", "GiB" };
	unsigned int u = 0;

	while (u + 1 < NL_ARRAY_SIZE(unit) && bytes >= 1024 &&
	       bytes % 1024 == 0) {
		bytes /= 1024;
		u++;
	}
	snprintf(buf, size, "%" PRIu64 " %s", bytes, unit[u]);
	return buf;
}

int nl_ram_check(const struct nl_range *ram, size_t nram, struct nl_err *err)
{
	size_t i, j;

	if (!ram || nram == 0)
		return nl_fail(err, -EINVAL, "node has no RAM range");
	if (nram > NL_MAX_RAM_RANGES)
		return nl_fail(err, -E2BIG,
			       "node has %zu RAM ranges, at most %d", nram,
			       NL_MAX_RAM_RANGES);
	for (i = 0; i < nram; i++) {
		const struct nl_range *r = &ram[i];

		if (r->end <= r->start)
			return nl_fail(err, -EINVAL,
				       "node RAM range %zu is empty (0x%" PRIx64
				       "-0x%" PRIx64 ")",
				       i, r->start, r->end);
		if (!NL_IS_ALIGNED(r->start, NL_RAM_ALIGN) ||
		    !NL_IS_ALIGNED(r->end, NL_RAM_ALIGN))
			return nl_fail(err, -EINVAL,
				       "node RAM 0x%" PRIx64 "-0x%" PRIx64
				       " is not 2 MiB aligned",
				       r->start, r->end - 1);
		for (j = 0; j < i; j++)
			if (r->start < ram[j].end && ram[j].start < r->end)
				return nl_fail(err, -EINVAL,
					       "node RAM ranges 0x%" PRIx64
					       "-0x%" PRIx64 " and 0x%" PRIx64
					       "-0x%" PRIx64 " overlap",
					       ram[j].start, ram[j].end - 1,
					       r->start, r->end - 1);
	}
	return 0;
}
