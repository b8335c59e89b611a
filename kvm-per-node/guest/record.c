// SPDX-License-Identifier: GPL-2.0
/* Checksummed disk records: pure functions, see record.h. */
#include <string.h>

#include "record.h"

/* Layout of one block: header, payload pattern, CRC in the last 4 bytes. */
struct mg_head {
	char magic[8];
	uint64_t index;
	uint64_t stamp;
	char tag[MG_TAG_LEN];
};

#define MG_CRC_OFF (MG_BLOCK - 4)

uint32_t mg_crc32(const void *buf, size_t len)
{
	const unsigned char *p = buf;
	uint32_t crc = 0xffffffffu;

	while (len--) {
		crc ^= *p++;
		for (int i = 0; i < 8; i++)
			crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
	}
	return ~crc;
}

static unsigned char pattern(uint64_t index, size_t i)
{
	return (unsigned char)((index * 131 + i * 7) ^ (i >> 8));
}

void mg_record_fill(void *block, uint64_t index, const char *tag,
		    uint64_t stamp)
{
	unsigned char *b = block;
	struct mg_head h = { .index = index, .stamp = stamp };
	uint32_t crc;

	memcpy(h.magic, MG_MAGIC, sizeof(h.magic));
	strncpy(h.tag, tag, sizeof(h.tag) - 1);
	memcpy(b, &h, sizeof(h));
	for (size_t i = sizeof(h); i < MG_CRC_OFF; i++)
		b[i] = pattern(index, i);
	crc = mg_crc32(b, MG_CRC_OFF);
	memcpy(b + MG_CRC_OFF, &crc, sizeof(crc));
}

enum mg_verdict mg_record_check(const void *block, uint64_t index,
				const char *tag)
{
	const unsigned char *b = block;
	struct mg_head h;
	uint32_t crc;

	memcpy(&h, b, sizeof(h));
	if (memcmp(h.magic, MG_MAGIC, sizeof(h.magic)))
		return MG_EMPTY;
	memcpy(&crc, b + MG_CRC_OFF, sizeof(crc));
	if (crc != mg_crc32(b, MG_CRC_OFF))
		return MG_BAD_CRC;
	if (h.index != index)
		return MG_BAD_INDEX;
	if (strncmp(h.tag, tag, sizeof(h.tag) - 1))
		return MG_BAD_TAG;
	return MG_GOOD;
}

void mg_scan_add(struct mg_scan *s, uint64_t index, enum mg_verdict v)
{
	if (v == MG_EMPTY)
		return;
	if (v == MG_GOOD) {
		s->good++;
	} else {
		s->bad++;
		if (!s->first_bad)
			s->first_bad = index;
	}
	s->last = index;
}

/* Holes: blocks in 1..last that held no record, i.e. lost writes. */
void mg_scan_finish(struct mg_scan *s)
{
	s->holes = s->last - s->good - s->bad;
}
