/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mintbench: the evaluation program (CPU, memcpy, random block reads), timed
 * with the TSC. mb_lib.c holds the pure parts (parsing, PRNG, conversions,
 * CSV), mb_run.c the measurements and mb_main().
 */
#ifndef MINTBENCH_H
#define MINTBENCH_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define MB_VERSION "v1"

#define MB_EXIT_OK 0
#define MB_EXIT_RUNTIME 1
#define MB_EXIT_USAGE 2

#define MB_USAGE                                                        \
	"usage: mintbench [--tsc-khz=N] [--disk=PATH] [--block=BYTES] " \
	"[--reps=N] [--label=NAME] [--seed=N] [--allow-cached] L:M:N"

#define MB_CSV_HEADER "label,part,size_bytes,rep,iterations,cycles,ns"

#define MB_DEFAULT_BLOCK 4096
#define MB_DEFAULT_REPS 10
#define MB_DEFAULT_SEED 0x6d696e7462656e63ULL /* "mintbenc" */
#define MB_MAX_BLOCK (16u << 20)
#define MB_MAX_REPS 1000000
#define MB_MAX_TSC_KHZ 100000000 /* 100 GHz */
#define MB_LABEL_MAX 63
#define MB_CALIBRATE_NS 200000000ULL

/* The memcpy sizes of the paper: 256 KiB, 512 KiB, 1024 KiB. */
#define MB_NR_COPY_SIZES 3
#define MB_COPY_SIZES                               \
	{                                           \
		256u << 10, 512u << 10, 1024u << 10 \
	}

struct mb_opts {
	uint64_t io_reads; /* L: random block reads per measurement */
	uint64_t cpu_incs; /* M: register increments per measurement */
	uint64_t copies; /* N: memcpy calls per size and measurement */
	uint64_t tsc_khz; /* 0: not given */
	uint64_t block;
	uint64_t reps;
	uint64_t seed;
	const char *disk; /* NULL: not given */
	const char *label; /* NULL: the host name */
	int allow_cached;
	int help;
};

enum mb_tsc_source {
	MB_TSC_OPTION,
	MB_TSC_SYSFS, /* /sys/devices/system/cpu/cpu0/tsc_freq_khz */
	MB_TSC_MINT, /* /sys/kernel/mint/tsc_khz (node0's patched kernel) */
	MB_TSC_CALIBRATED, /* against CLOCK_MONOTONIC_RAW */
};

enum mb_io_mode {
	MB_IO_NONE, /* L == 0 */
	MB_IO_DIRECT, /* O_DIRECT on a disk: the disk is really read */
	MB_IO_CACHED, /* --allow-cached: reads may come from memory */
};

/* What the leading comment line says. */
struct mb_meta {
	uint64_t tsc_khz;
	enum mb_tsc_source source;
	uint64_t seed;
	const char *host;
	uint64_t block;
	uint64_t reps;
	enum mb_io_mode io;
	const char *disk; /* NULL when L == 0 */
	int rdtscp;
	int invariant_tsc;
	/* CPUID 7.0 EBX bit 9, EDX bit 4: with them glibc's memcpy copies
	 * mid-size buffers with rep movsb, without them with vector loops */
	int erms;
	int fsrm;
};

/* One CSV line: one repetition of one measurement. */
struct mb_row {
	const char *label;
	const char *part; /* cpu, memcpy, io, io-cached */
	uint64_t size_bytes; /* 0 for cpu, the copy size, the block size */
	uint64_t rep; /* 1 .. reps */
	uint64_t iterations;
	uint64_t cycles;
	uint64_t ns;
};

/* mb_lib.c: pure functions. Parsers return 0 or -EINVAL/-ERANGE. */
int mb_parse_u64(const char *s, uint64_t *out);
int mb_parse_lmn(const char *s, uint64_t *l, uint64_t *m, uint64_t *n);
int mb_label_ok(const char *s);
int mb_parse_args(int argc, char *const argv[], struct mb_opts *o, char *err,
		  size_t errlen);
void mb_sanitize(char *dst, size_t len, const char *src);

uint64_t mb_xorshift64(uint64_t *state);
int mb_random_block(uint64_t *state, uint64_t nblocks, uint64_t block,
		    uint64_t *offset);

int mb_cycles_to_ns(uint64_t cycles, uint64_t khz, uint64_t *ns);
int mb_khz_from(uint64_t cycles, uint64_t ns, uint64_t *khz);

const char *mb_tsc_source_name(enum mb_tsc_source s);
const char *mb_io_mode_name(enum mb_io_mode m);
const char *mb_io_part(enum mb_io_mode m);
int mb_format_row(char *buf, size_t len, const struct mb_row *r);
int mb_format_meta(char *buf, size_t len, const struct mb_meta *m);

/* mb_run.c */
uint64_t mb_cpu_spin(uint64_t m);
int mb_main(int argc, char *argv[], FILE *out, FILE *err);

#endif /* MINTBENCH_H */
