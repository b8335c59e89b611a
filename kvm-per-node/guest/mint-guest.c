// SPDX-License-Identifier: GPL-2.0
/*
 * mint-guest: the guests' workload and fault helper. Static, it runs in the
 * stock Debian guest's busybox initramfs.
 *
 *   mint-guest write DEV INDEX TAG   write record INDEX (O_DIRECT, O_DSYNC)
 *   mint-guest verify DEV TAG        scan the records from block 1 until a
 *                                    1 MiB stretch without any; print
 *                                    "good= bad= holes= last= first_bad=";
 *                                    exit 1 if any record is bad or lost
 *   mint-guest triple-fault          really triple-fault this (virtual)
 *                                    machine: kexec into code that loads an
 *                                    empty IDT and raises an exception
 *   mint-guest ctl-poll TTY          drive serial port TTY by polling
 *                                    (irq 0: the 8250 driver's timer reads
 *                                    the UART), print "irq=OLD->0"; exit 1
 *                                    if the driver kept an interrupt
 *   mint-guest dirty MIB             a busy guest (bench/migrate.py): write
 *                                    every page of MIB MiB, 1-4096, over and
 *                                    over, until killed; print the passes
 *                                    done every 10 s
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/kexec.h>
#include <linux/reboot.h>
#include <linux/serial.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "record.h"

#define CHUNK_BLOCKS 256

static int usage(void)
{
	fprintf(stderr, "usage: mint-guest write DEV INDEX TAG | verify DEV TAG"
			" | triple-fault | ctl-poll TTY | dirty MIB\n");
	return 2;
}

static void *block_buf(size_t blocks)
{
	void *p = NULL;

	if (posix_memalign(&p, MG_BLOCK, blocks * MG_BLOCK)) {
		perror("mint-guest: posix_memalign");
		exit(1);
	}
	return p;
}

static int cmd_write(const char *dev, const char *idx, const char *tag)
{
	char *end;
	uint64_t index = strtoull(idx, &end, 10);
	struct timespec ts;
	void *b = block_buf(1);
	int fd, ret = 0;

	if (*end || index == 0) {
		fprintf(stderr,
			"mint-guest: write: INDEX '%s' is not a number >= 1\n",
			idx);
		return 2;
	}
	fd = open(dev, O_WRONLY | O_DIRECT | O_DSYNC);
	if (fd < 0) {
		fprintf(stderr, "mint-guest: %s: %s\n", dev, strerror(errno));
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &ts);
	mg_record_fill(b, index, tag,
		       (uint64_t)ts.tv_sec * 1000000000 + (uint64_t)ts.tv_nsec);
	if (pwrite(fd, b, MG_BLOCK, (off_t)(index * MG_BLOCK)) != MG_BLOCK) {
		fprintf(stderr, "mint-guest: write %s block %" PRIu64 ": %s\n",
			dev, index, strerror(errno));
		ret = 1;
	}
	close(fd);
	free(b);
	return ret;
}

static int cmd_verify(const char *dev, const char *tag)
{
	unsigned char *b = block_buf(CHUNK_BLOCKS);
	struct mg_scan s = { 0 };
	uint64_t base = 1;
	int fd = open(dev, O_RDONLY | O_DIRECT);

	if (fd < 0) {
		fprintf(stderr, "mint-guest: %s: %s\n", dev, strerror(errno));
		free(b);
		return 1;
	}
	for (;;) {
		ssize_t n = pread(fd, b, CHUNK_BLOCKS * MG_BLOCK,
				  (off_t)(base * MG_BLOCK));
		uint64_t seen = s.good + s.bad;

		if (n < 0) {
			fprintf(stderr,
				"mint-guest: read %s block %" PRIu64 ": %s\n",
				dev, base, strerror(errno));
			close(fd);
			free(b);
			return 1;
		}
		for (ssize_t i = 0; i < n / MG_BLOCK; i++)
			mg_scan_add(&s, base + i,
				    mg_record_check(b + i * MG_BLOCK, base + i,
						    tag));
		if (n < CHUNK_BLOCKS * MG_BLOCK || s.good + s.bad == seen)
			break;
		base += CHUNK_BLOCKS;
	}
	close(fd);
	free(b);
	mg_scan_finish(&s);
	printf("good=%" PRIu64 " bad=%" PRIu64 " holes=%" PRIu64
	       " last=%" PRIu64 " first_bad=%" PRIu64 "\n",
	       s.good, s.bad, s.holes, s.last, s.first_bad);
	return s.bad || s.holes;
}

/*
 * kexec hands control to the entry in 64-bit mode with interrupts off.
 * There: lidt [rip+1] (a descriptor with limit 0), int3. The breakpoint
 * finds no IDT entry (#GP), neither does the #GP (#DF), nor the #DF:
 * shutdown, which the hypervisor sees as a triple fault.
 */
static int cmd_triple_fault(void)
{
	/* one instruction (or the IDTR) per row, laid out by hand */
	/* clang-format off */
	static const unsigned char code[] = {
		0x0f, 0x01, 0x1d, 0x01, 0x00, 0x00, 0x00, /* lidt [rip+1] */
		0xcc,					  /* int3 */
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0,		  /* IDTR: 0/0 */
		0xf4, 0xeb, 0xfd,			  /* hlt; jmp hlt */
	};
	/* clang-format on */
	unsigned char *page = block_buf(1);
	struct kexec_segment seg = {
		.buf = page,
		.bufsz = MG_BLOCK,
		.mem = (void *)0x100000,
		.memsz = MG_BLOCK,
	};

	memset(page, 0, MG_BLOCK);
	memcpy(page, code, sizeof(code));
	if (syscall(SYS_kexec_load, 0x100000UL, 1UL, &seg,
		    (unsigned long)KEXEC_ARCH_DEFAULT)) {
		fprintf(stderr, "mint-guest: kexec_load: %s\n",
			strerror(errno));
		return 1;
	}
	sync();
	syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
		LINUX_REBOOT_CMD_KEXEC, NULL);
	fprintf(stderr, "mint-guest: reboot(KEXEC): %s\n", strerror(errno));
	return 1;
}

/*
 * The guests' control port must not hang on one lost interrupt: an edge
 * lost between the UART and the guest leaves a command in the UART's FIFO
 * for ever (docs/timings.md). With irq 0 the 8250 driver polls the port
 * from a timer instead. Run before anything else opens TTY: the driver
 * refuses to change a port somebody else holds open.
 */
static int cmd_ctl_poll(const char *tty)
{
	struct serial_struct ss;
	int old, fd = open(tty, O_RDWR | O_NOCTTY | O_NONBLOCK);

	if (fd < 0) {
		fprintf(stderr, "mint-guest: %s: %s\n", tty, strerror(errno));
		return 1;
	}
	if (ioctl(fd, TIOCGSERIAL, &ss)) {
		fprintf(stderr, "mint-guest: %s: TIOCGSERIAL: %s\n", tty,
			strerror(errno));
		close(fd);
		return 1;
	}
	old = ss.irq;
	ss.irq = 0;
	if (old && ioctl(fd, TIOCSSERIAL, &ss))
		fprintf(stderr, "mint-guest: %s: TIOCSSERIAL: %s\n", tty,
			strerror(errno));
	if (ioctl(fd, TIOCGSERIAL, &ss))
		ss.irq = -1;
	close(fd);
	printf("irq=%d->%d\n", old, ss.irq);
	return ss.irq != 0;
}

static int cmd_dirty(const char *arg)
{
	char *end;
	unsigned long mib = strtoul(arg, &end, 10);
	size_t len, off;
	uint64_t pass = 0;
	time_t next;
	char *mem;

	if (*end || end == arg || mib < 1 || mib > 4096) {
		fprintf(stderr, "mint-guest: dirty: '%s' is not 1-4096 MiB\n",
			arg);
		return 2;
	}
	len = mib << 20;
	mem = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		fprintf(stderr, "mint-guest: dirty: %s\n", strerror(errno));
		return 1;
	}
	next = time(NULL) + 10;
	for (;;) {
		for (off = 0; off < len; off += 4096)
			mem[off] = (char)pass;
		pass++;
		if (time(NULL) >= next) {
			printf("dirty: %lu MiB, %" PRIu64 " passes\n", mib,
			       pass);
			fflush(stdout);
			next += 10;
		}
	}
}

int main(int argc, char **argv)
{
	if (argc == 5 && !strcmp(argv[1], "write"))
		return cmd_write(argv[2], argv[3], argv[4]);
	if (argc == 4 && !strcmp(argv[1], "verify"))
		return cmd_verify(argv[2], argv[3]);
	if (argc == 2 && !strcmp(argv[1], "triple-fault"))
		return cmd_triple_fault();
	if (argc == 3 && !strcmp(argv[1], "ctl-poll"))
		return cmd_ctl_poll(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "dirty"))
		return cmd_dirty(argv[2]);
	return usage();
}
