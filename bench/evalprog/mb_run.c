// SPDX-License-Identifier: GPL-2.0
/*
 * mintbench's measurements: the TSC, its rate, the three parts and
 * mb_main(), which mintbench.c calls and the unit tests call in-process.
 */
#include <cpuid.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "mintbench.h"

#define SYSFS_TSC "/sys/devices/system/cpu/cpu0/tsc_freq_khz"
#define MINT_TSC "/sys/kernel/mint/tsc_khz"
#define IO_ALIGN 4096

#define HELP                                                                  \
	"  L  random block reads of --disk per measurement (O_DIRECT)\n"      \
	"  M  register increments per measurement\n"                          \
	"  N  memcpy calls per measurement, of 256, 512 and 1024 KiB each\n"  \
	"  A 0 skips that part. Each measurement is repeated --reps times\n"  \
	"  (default 10); one CSV line per repetition goes to stdout.\n"       \
	"  --tsc-khz=N    TSC rate (default: sysfs, else calibrated)\n"       \
	"  --disk=PATH    block device or file on the disk to read\n"         \
	"  --block=BYTES  read size, a multiple of 512 (default 4096)\n"      \
	"  --label=NAME   first CSV column (default: the host name)\n"        \
	"  --seed=N       xorshift64 seed of the read positions\n"            \
	"  --allow-cached read a file on tmpfs or without O_DIRECT anyway,\n" \
	"                 marking the rows io-cached\n"

struct mb_ctx {
	struct mb_opts o;
	struct mb_meta meta;
	char label[MB_LABEL_MAX + 1];
	char host[65];
	FILE *out;
	FILE *err;
	int fd; /* -1 when L == 0 */
	uint64_t disk_bytes;
	void *iobuf;
};

__attribute__((format(printf, 2, 3))) static int fail(struct mb_ctx *c,
						      const char *fmt, ...)
{
	va_list ap;

	fputs("mintbench: ", c->err);
	va_start(ap, fmt);
	vfprintf(c->err, fmt, ap);
	va_end(ap);
	fputc('\n', c->err);
	return MB_EXIT_RUNTIME;
}

/* ---------------------------------------------------------------- TSC */

static inline uint64_t tsc_start(void)
{
	uint32_t lo, hi;

	/* lfence: earlier instructions retire before the TSC is read. */
	__asm__ volatile("lfence\n\trdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return (uint64_t)hi << 32 | lo;
}

static inline uint64_t tsc_stop(int rdtscp)
{
	uint32_t lo, hi, aux;

	/*
	 * rdtscp waits for earlier instructions; the lfence keeps later
	 * ones from starting before it. Without RDTSCP (e.g. -cpu qemu64
	 * guests) lfence on both sides does the same.
	 */
	if (rdtscp)
		__asm__ volatile("rdtscp\n\tlfence"
				 : "=a"(lo), "=d"(hi), "=c"(aux)
				 :
				 : "memory");
	else
		__asm__ volatile("lfence\n\trdtsc\n\tlfence"
				 : "=a"(lo), "=d"(hi)
				 :
				 : "memory");
	return (uint64_t)hi << 32 | lo;
}

static void cpu_features(struct mb_meta *m)
{
	unsigned int a, b, c, d;

	m->rdtscp = m->invariant_tsc = m->erms = m->fsrm = 0;
	if (__get_cpuid(0, &a, &b, &c, &d) && a >= 7) {
		__cpuid_count(7, 0, a, b, c, d);
		m->erms = !!(b & (1u << 9));
		m->fsrm = !!(d & (1u << 4));
	}
	if (!__get_cpuid(0x80000000, &a, &b, &c, &d))
		return;
	if (a >= 0x80000001 && __get_cpuid(0x80000001, &a, &b, &c, &d))
		m->rdtscp = !!(d & (1u << 27));
	if (__get_cpuid(0x80000000, &a, &b, &c, &d) && a >= 0x80000007 &&
	    __get_cpuid(0x80000007, &a, &b, &c, &d))
		m->invariant_tsc = !!(d & (1u << 8));
}

/* A positive number alone on the first line of a sysfs file. */
static int read_khz_file(const char *path, uint64_t *khz)
{
	char buf[32];
	size_t n;
	FILE *f = fopen(path, "re");

	if (!f)
		return -errno;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	if (mb_parse_u64(buf, khz) || !*khz || *khz > MB_MAX_TSC_KHZ)
		return -EINVAL;
	return 0;
}

static uint64_t ts_ns(const struct timespec *t)
{
	return (uint64_t)t->tv_sec * 1000000000u + (uint64_t)t->tv_nsec;
}

/*
 * A TSC reading and the CLOCK_MONOTONIC_RAW time at which it was taken:
 * the TSC read between two clock reads, the tightest pair of 16, so that
 * an interrupt or preemption in between does not skew the calibration.
 */
static int tsc_at(struct mb_ctx *c, uint64_t *tsc, uint64_t *ns)
{
	uint64_t best = UINT64_MAX;
	struct timespec a, b;
	int i;

	for (i = 0; i < 16; i++) {
		uint64_t t;

		if (clock_gettime(CLOCK_MONOTONIC_RAW, &a))
			return fail(c, "CLOCK_MONOTONIC_RAW: %s",
				    strerror(errno));
		t = tsc_start();
		clock_gettime(CLOCK_MONOTONIC_RAW, &b);
		if (ts_ns(&b) - ts_ns(&a) < best) {
			best = ts_ns(&b) - ts_ns(&a);
			*tsc = t;
			*ns = ts_ns(&a) + best / 2;
		}
	}
	return 0;
}

static int calibrate(struct mb_ctx *c, uint64_t *khz)
{
	struct timespec now;
	uint64_t c0, c1, n0, n1;

	if (tsc_at(c, &c0, &n0))
		return MB_EXIT_RUNTIME;
	do
		clock_gettime(CLOCK_MONOTONIC_RAW, &now);
	while (ts_ns(&now) - n0 < MB_CALIBRATE_NS);
	if (tsc_at(c, &c1, &n1))
		return MB_EXIT_RUNTIME;
	if (c1 <= c0 || mb_khz_from(c1 - c0, n1 - n0, khz) ||
	    *khz > MB_MAX_TSC_KHZ)
		return fail(c,
			    "TSC calibration failed (%llu cycles in %llu ns)",
			    (unsigned long long)(c1 - c0),
			    (unsigned long long)(n1 - n0));
	return 0;
}

static int tsc_rate(struct mb_ctx *c)
{
	struct mb_meta *m = &c->meta;

	if (c->o.tsc_khz) {
		m->tsc_khz = c->o.tsc_khz;
		m->source = MB_TSC_OPTION;
		return 0;
	}
	if (!read_khz_file(SYSFS_TSC, &m->tsc_khz)) {
		m->source = MB_TSC_SYSFS;
		return 0;
	}
	if (!read_khz_file(MINT_TSC, &m->tsc_khz)) {
		m->source = MB_TSC_MINT;
		return 0;
	}
	m->source = MB_TSC_CALIBRATED;
	return calibrate(c, &m->tsc_khz);
}

/* ---------------------------------------------------------------- output */

static int emit(struct mb_ctx *c, const char *part, uint64_t size, uint64_t rep,
		uint64_t iterations, uint64_t cycles)
{
	struct mb_row r = {
		.label = c->label,
		.part = part,
		.size_bytes = size,
		.rep = rep,
		.iterations = iterations,
		.cycles = cycles,
	};
	char line[256];

	if (mb_cycles_to_ns(cycles, c->meta.tsc_khz, &r.ns))
		return fail(c, "%llu cycles at %llu kHz do not fit in ns",
			    (unsigned long long)cycles,
			    (unsigned long long)c->meta.tsc_khz);
	if (mb_format_row(line, sizeof(line), &r) < 0)
		return fail(c, "cannot format a CSV line");
	if (fputs(line, c->out) == EOF || fflush(c->out))
		return fail(c, "writing the results: %s", strerror(errno));
	return 0;
}

/* ---------------------------------------------------------------- CPU */

/* Increments a register m times in a loop the compiler cannot fold. */
uint64_t mb_cpu_spin(uint64_t m)
{
	uint64_t r = 0;

	if (!m)
		return 0;
	__asm__ volatile("1:\n\t"
			 "inc %0\n\t"
			 "cmp %1, %0\n\t"
			 "jb 1b"
			 : "+r"(r)
			 : "r"(m)
			 : "cc");
	return r;
}

static int run_cpu(struct mb_ctx *c)
{
	uint64_t rep, t0, t1, r;
	int rc;

	for (rep = 1; rep <= c->o.reps; rep++) {
		t0 = tsc_start();
		r = mb_cpu_spin(c->o.cpu_incs);
		t1 = tsc_stop(c->meta.rdtscp);
		if (r != c->o.cpu_incs)
			return fail(c, "CPU loop counted %llu, not %llu",
				    (unsigned long long)r,
				    (unsigned long long)c->o.cpu_incs);
		rc = emit(c, "cpu", 0, rep, c->o.cpu_incs, t1 - t0);
		if (rc)
			return rc;
	}
	return 0;
}

/* ---------------------------------------------------------------- memory */

static int run_copy_size(struct mb_ctx *c, size_t size)
{
	void *src = NULL, *dst = NULL;
	uint64_t rep, i, t0, t1;
	int rc = 0;

	if (posix_memalign(&src, IO_ALIGN, size) ||
	    posix_memalign(&dst, IO_ALIGN, size)) {
		free(src);
		return fail(c, "cannot allocate 2 x %zu bytes", size);
	}
	/* Touch both: page faults are not part of the measurement. */
	memset(src, 0x5a, size);
	memset(dst, 0, size);
	for (rep = 1; rep <= c->o.reps && !rc; rep++) {
		t0 = tsc_start();
		for (i = 0; i < c->o.copies; i++) {
			memcpy(dst, src, size);
			/* dst counts as read: the copy cannot be dropped */
			__asm__ volatile("" : : "r"(dst) : "memory");
		}
		t1 = tsc_stop(c->meta.rdtscp);
		rc = emit(c, "memcpy", size, rep, c->o.copies, t1 - t0);
	}
	if (!rc && memcmp(dst, src, size))
		rc = fail(c, "memcpy of %zu bytes left different bytes", size);
	free(src);
	free(dst);
	return rc;
}

static int run_memory(struct mb_ctx *c)
{
	static const size_t sizes[MB_NR_COPY_SIZES] = MB_COPY_SIZES;
	int i, rc;

	for (i = 0; i < MB_NR_COPY_SIZES; i++) {
		rc = run_copy_size(c, sizes[i]);
		if (rc)
			return rc;
	}
	return 0;
}

/* ---------------------------------------------------------------- I/O */

/*
 * A regular file in memory. A block device's node lives on devtmpfs, which
 * is tmpfs too: its reads still reach the device.
 */
static int memory_fs(int fd)
{
	struct statfs sf;
	struct stat st;

	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || fstatfs(fd, &sf))
		return 0;
	return sf.f_type == TMPFS_MAGIC || sf.f_type == RAMFS_MAGIC;
}

static int disk_size(struct mb_ctx *c, int fd)
{
	struct stat st;

	if (fstat(fd, &st))
		return fail(c, "%s: %s", c->o.disk, strerror(errno));
	if (S_ISBLK(st.st_mode)) {
		int ssz = 0;

		if (ioctl(fd, BLKGETSIZE64, &c->disk_bytes))
			return fail(c, "%s: BLKGETSIZE64: %s", c->o.disk,
				    strerror(errno));
		if (!ioctl(fd, BLKSSZGET, &ssz) && ssz > 0 &&
		    c->o.block % (uint64_t)ssz)
			return fail(c,
				    "--block=%llu is not a multiple of %s's "
				    "logical block size %d",
				    (unsigned long long)c->o.block, c->o.disk,
				    ssz);
	} else if (S_ISREG(st.st_mode)) {
		c->disk_bytes = (uint64_t)st.st_size;
	} else {
		return fail(c, "%s: not a block device or a regular file",
			    c->o.disk);
	}
	if (c->disk_bytes < c->o.block)
		return fail(c, "%s: %llu bytes, less than one %llu-byte block",
			    c->o.disk, (unsigned long long)c->disk_bytes,
			    (unsigned long long)c->o.block);
	return 0;
}

static int refused(struct mb_ctx *c, const char *why)
{
	return fail(c,
		    "%s: %s, so its reads would not measure a disk; "
		    "use the OS's own disk (a block device such as /dev/vda, "
		    "or a file on a disk filesystem), or --allow-cached to "
		    "measure anyway with the rows marked io-cached",
		    c->o.disk, why);
}

/* Opens --disk so that reads reach the disk, or marks the run cached. */
static int open_disk(struct mb_ctx *c)
{
	int fd = open(c->o.disk, O_RDONLY | O_DIRECT | O_CLOEXEC);
	const char *why = NULL;
	ssize_t n;
	int rc;

	c->meta.io = MB_IO_DIRECT;
	if (fd < 0 && errno == EINVAL) {
		why = "O_DIRECT is refused (tmpfs?)";
		fd = open(c->o.disk, O_RDONLY | O_CLOEXEC);
	}
	if (fd < 0)
		return fail(c, "%s: %s", c->o.disk, strerror(errno));
	c->fd = fd;
	if (!why && memory_fs(fd))
		why = "it is on tmpfs or ramfs (in memory)";
	rc = disk_size(c, fd);
	if (rc)
		return rc;
	if (posix_memalign(&c->iobuf, IO_ALIGN, c->o.block))
		return fail(c, "cannot allocate a %llu-byte buffer",
			    (unsigned long long)c->o.block);
	/* One read now, so that an unaligned O_DIRECT fails here. */
	n = why ? (ssize_t)c->o.block : pread(fd, c->iobuf, c->o.block, 0);
	if (n < 0 && errno == EINVAL)
		why = "O_DIRECT reads of this block size are refused";
	else if (n < 0)
		return fail(c, "%s: read: %s", c->o.disk, strerror(errno));
	if (!why)
		return 0;
	if (!c->o.allow_cached)
		return refused(c, why);
	close(c->fd);
	c->fd = open(c->o.disk, O_RDONLY | O_CLOEXEC);
	if (c->fd < 0)
		return fail(c, "%s: %s", c->o.disk, strerror(errno));
	c->meta.io = MB_IO_CACHED;
	return 0;
}

static int read_at(struct mb_ctx *c, uint64_t off)
{
	ssize_t n;

	if (lseek(c->fd, (off_t)off, SEEK_SET) != (off_t)off)
		return fail(c, "%s: lseek to %llu: %s", c->o.disk,
			    (unsigned long long)off, strerror(errno));
	n = read(c->fd, c->iobuf, c->o.block);
	if (n != (ssize_t)c->o.block)
		return fail(c, "%s: read at %llu: %s", c->o.disk,
			    (unsigned long long)off,
			    n < 0 ? strerror(errno) : "short read");
	return 0;
}

static int run_io(struct mb_ctx *c)
{
	uint64_t nblocks = c->disk_bytes / c->o.block;
	uint64_t state = c->o.seed, rep, i, off, t0, t1;
	const char *part = mb_io_part(c->meta.io);
	int rc;

	for (rep = 1; rep <= c->o.reps; rep++) {
		rc = 0;
		t0 = tsc_start();
		for (i = 0; i < c->o.io_reads && !rc; i++) {
			mb_random_block(&state, nblocks, c->o.block, &off);
			rc = read_at(c, off);
		}
		t1 = tsc_stop(c->meta.rdtscp);
		if (rc)
			return rc;
		rc = emit(c, part, c->o.block, rep, c->o.io_reads, t1 - t0);
		if (rc)
			return rc;
	}
	return 0;
}

/* ---------------------------------------------------------------- main */

static void names(struct mb_ctx *c)
{
	struct utsname u;

	if (uname(&u))
		strcpy(u.nodename, "unknown");
	mb_sanitize(c->host, sizeof(c->host), u.nodename);
	if (c->o.label)
		snprintf(c->label, sizeof(c->label), "%s", c->o.label);
	else
		mb_sanitize(c->label, sizeof(c->label), u.nodename);
	/* '/' and ':' are fine in the comment, not in a label */
	if (!mb_label_ok(c->label))
		strcpy(c->label, "mintbench");
}

static int run(struct mb_ctx *c)
{
	char line[512];
	int rc = 0;

	names(c);
	cpu_features(&c->meta);
	c->meta.seed = c->o.seed;
	c->meta.host = c->host;
	c->meta.block = c->o.block;
	c->meta.reps = c->o.reps;
	c->meta.io = MB_IO_NONE;
	if (c->o.io_reads) {
		c->meta.disk = c->o.disk;
		rc = open_disk(c);
	}
	if (!rc)
		rc = tsc_rate(c);
	if (rc)
		return rc;
	if (mb_format_meta(line, sizeof(line), &c->meta) < 0)
		return fail(c, "cannot format the comment line");
	if (fputs(line, c->out) == EOF ||
	    fputs(MB_CSV_HEADER "\n", c->out) == EOF || fflush(c->out))
		return fail(c, "writing the results: %s", strerror(errno));
	if (c->o.cpu_incs)
		rc = run_cpu(c);
	if (!rc && c->o.copies)
		rc = run_memory(c);
	if (!rc && c->o.io_reads)
		rc = run_io(c);
	return rc;
}

int mb_main(int argc, char *argv[], FILE *out, FILE *err)
{
	struct mb_ctx c;
	char why[256];
	int rc;

	memset(&c, 0, sizeof(c));
	c.out = out;
	c.err = err;
	c.fd = -1;
	if (mb_parse_args(argc, argv, &c.o, why, sizeof(why))) {
		fprintf(err, "mintbench: %s\n%s\n", why, MB_USAGE);
		return MB_EXIT_USAGE;
	}
	if (c.o.help) {
		fprintf(out, "%s\n%s", MB_USAGE, HELP);
		return MB_EXIT_OK;
	}
	rc = run(&c);
	if (c.fd >= 0)
		close(c.fd);
	free(c.iobuf);
	return rc;
}
