/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Checksummed disk records of the guests' workload (docs/experiments.md).
 * Record N lives in block N (MG_BLOCK bytes) of the guest's disk; block 0 is
 * never written. A record carries its own index, the writer's tag and a
 * CRC-32 over everything before the CRC, so a lost, stale, torn or
 * misplaced write is told apart from a good one.
 */
#ifndef MINT_GUEST_RECORD_H
#define MINT_GUEST_RECORD_H

#include <stddef.h>
#include <stdint.h>

#define MG_BLOCK 4096
#define MG_MAGIC "MINTREC1"
#define MG_TAG_LEN 32

enum mg_verdict {
	MG_EMPTY, /* no magic: never written */
	MG_GOOD, /* magic, index, tag and CRC all right */
	MG_BAD_CRC, /* magic but the contents do not match the CRC */
	MG_BAD_INDEX, /* a good record of another block */
	MG_BAD_TAG, /* a good record of another writer */
};

struct mg_scan {
	uint64_t good; /* good records in 1..last */
	uint64_t bad; /* records with a wrong CRC, index or tag */
	uint64_t last; /* highest block holding a good record */
	uint64_t holes; /* empty blocks below last: lost writes */
	uint64_t first_bad; /* first bad block, 0 if none */
};

uint32_t mg_crc32(const void *buf, size_t len);
void mg_record_fill(void *block, uint64_t index, const char *tag,
		    uint64_t stamp);
enum mg_verdict mg_record_check(const void *block, uint64_t index,
				const char *tag);
void mg_scan_add(struct mg_scan *s, uint64_t index, enum mg_verdict v);
void mg_scan_finish(struct mg_scan *s);

#endif
