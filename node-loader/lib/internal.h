/* SPDX-License-Identifier: GPL-2.0 */
/* node-loader internals: error formatting, alignment, little-endian access. */
#ifndef NL_INTERNAL_H
#define NL_INTERNAL_H

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "nodeloader.h"

#define NL_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* @a must be a power of two. */
#define NL_ALIGN_UP(x, a) (((x) + ((uint64_t)(a)-1)) & ~((uint64_t)(a)-1))
#define NL_ALIGN_DOWN(x, a) ((x) & ~((uint64_t)(a)-1))
#define NL_IS_ALIGNED(x, a) (((x) & ((uint64_t)(a)-1)) == 0)

/* Fill err->msg (when err is not NULL) and return @ret. */
int nl_fail(struct nl_err *err, int ret, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static inline uint16_t nl_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t nl_get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static inline uint64_t nl_get64(const uint8_t *p)
{
	return (uint64_t)nl_get32(p) | (uint64_t)nl_get32(p + 4) << 32;
}

static inline void nl_put8(uint8_t *p, uint8_t v)
{
	p[0] = v;
}

static inline void nl_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void nl_put32(uint8_t *p, uint32_t v)
{
	nl_put16(p, (uint16_t)v);
	nl_put16(p + 2, (uint16_t)(v >> 16));
}

static inline void nl_put64(uint8_t *p, uint64_t v)
{
	nl_put32(p, (uint32_t)v);
	nl_put32(p + 4, (uint32_t)(v >> 32));
}

/* "1.5 MiB"-style size for messages, into @buf. */
const char *nl_size_str(char *buf, size_t size, uint64_t bytes);

/* Check the node's RAM ranges (shared by layout and e820). */
int nl_ram_check(const struct nl_range *ram, size_t nram, struct nl_err *err);

#endif /* NL_INTERNAL_H */
