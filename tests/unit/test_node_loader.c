// SPDX-License-Identifier: GPL-2.0
/*
 * node-loader unit tests: runner and shared helpers.
 *
 * Prints one line per test case, "PASS: <name>" or "FAIL: <name>: <where>:
 * <why>", and exits non-zero when any failed. Environment:
 *   MINT_FIXTURES       tests/unit/fixtures (default: compiled-in path)
 *   MINT_BZIMAGE        the project's bzImage        (required by two tests)
 *   MINT_STOCK_BZIMAGE  Debian's stock vmlinuz       (required by two tests)
 * Optional argument: run only the test case of that exact name.
 */
#include <errno.h>
#include <stdio.h>

#include "nl_test.h"

#ifndef NL_FIXTURES_DIR
#define NL_FIXTURES_DIR "tests/unit/fixtures"
#endif

uint8_t *nlt_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL, *nbuf;
	size_t cap = 0, n = 0, got;

	if (!f)
		return NULL;
	for (;;) {
		if (n == cap) {
			cap = cap ? cap * 2 : 1 << 16;
			nbuf = realloc(buf, cap);
			if (!nbuf) {
				free(buf);
				fclose(f);
				errno = ENOMEM;
				return NULL;
			}
			buf = nbuf;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		free(buf);
		fclose(f);
		errno = EIO;
		return NULL;
	}
	fclose(f);
	*len = n;
	return buf;
}

uint8_t *nlt_fixture(const char *name, size_t *len)
{
	const char *dir = getenv("MINT_FIXTURES");
	char path[4096];
	uint8_t *buf;

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : NL_FIXTURES_DIR,
		 name);
	buf = nlt_read_file(path, len);
	ck_assert_msg(buf != NULL, "cannot read fixture %s: %s", path,
		      strerror(errno));
	return buf;
}

uint8_t *nlt_env_image(const char *var, size_t *len, const char **path)
{
	const char *p = getenv(var);
	uint8_t *buf;

	ck_assert_msg(p && *p, "%s is not set (the full-image test needs it)",
		      var);
	buf = nlt_read_file(p, len);
	ck_assert_msg(buf != NULL, "%s=%s: %s", var, p, strerror(errno));
	*path = p;
	return buf;
}

uint8_t *nlt_expand_head(const uint8_t *head, size_t head_len, size_t *len)
{
	size_t sects = head[0x1f1] ? head[0x1f1] : 4;
	size_t n = (sects + 1) * 512 + (size_t)le32(head + 0x1f4) * 16;
	uint8_t *img = calloc(1, n);

	ck_assert_ptr_nonnull(img);
	memcpy(img, head, head_len < n ? head_len : n);
	*len = n;
	return img;
}

void nlt_synthetic(uint8_t img[SYN_LEN])
{
	size_t i;

	memset(img, 0, SYN_LEN);
	img[0x1f1] = SYN_SETUP_SIZE / 512 - 1; /* setup_sects */
	img[0x1f4] = (uint8_t)(SYN_PAYLOAD / 16); /* syssize */
	img[0x1f5] = (SYN_PAYLOAD / 16) >> 8;
	img[0x1fe] = 0x55; /* boot_flag */
	img[0x1ff] = 0xaa;
	img[0x200] = 0xeb; /* jump */
	img[0x201] = 0x6a;
	memcpy(img + 0x202, "HdrS", 4);
	img[0x206] = 0x0f; /* version 2.15 */
	img[0x207] = 0x02;
	img[0x211] = 0x01; /* LOADED_HIGH */
	img[0x22c] = 0xff; /* initrd_addr_max 0x7fffffff */
	img[0x22d] = 0xff;
	img[0x22e] = 0xff;
	img[0x22f] = 0x7f;
	img[0x232] = 0x20; /* kernel_alignment 0x200000 */
	img[0x234] = 1; /* relocatable */
	img[0x235] = 21; /* min_alignment */
	img[0x236] = 0x03; /* XLF_KERNEL_64 | CAN_BE_LOADED_ABOVE_4G */
	img[0x238] = 0xff; /* cmdline_size 2047 */
	img[0x239] = 0x07;
	img[0x249] = 0x01; /* payload_offset 0x100 */
	img[0x24d] = 0x10; /* payload_length 0x1000 */
	img[0x25a] = 0x00; /* pref_address 0x1000000 */
	img[0x25b] = 0x01;
	img[0x262] = 0x10; /* init_size 0x100000 */
	for (i = 0; i < SYN_PAYLOAD; i++)
		img[SYN_SETUP_SIZE + i] = (uint8_t)(i * 7 + 1);
}

void nlt_q35(struct nl_memmap *m)
{
	static const struct nl_fwmap_entry q35[Q35_N] = {
		{ "0x0\n", "0x9fbff\n", "System RAM\n" },
		{ "0x9fc00\n", "0x9ffff\n", "Reserved\n" },
		{ "0xf0000\n", "0xfffff\n", "Reserved\n" },
		{ "0x100000\n", "0x7ffdffff\n", "System RAM\n" },
		{ "0x7ffe0000\n", "0x7fffffff\n", "Reserved\n" },
		{ "0xb0000000\n", "0xbfffffff\n", "Reserved\n" },
		{ "0xfed1c000\n", "0xfed1ffff\n", "Reserved\n" },
		{ "0xfeffc000\n", "0xfeffffff\n", "Reserved\n" },
		{ "0xfffc0000\n", "0xffffffff\n", "Reserved\n" },
		{ "0x100000000\n", "0x17fffffff\n", "System RAM\n" },
		{ "0xfd00000000\n", "0xffffffffff\n", "Reserved\n" },
	};
	struct nl_err err;

	ck_assert_ok(nl_memmap_from_firmware(q35, Q35_N, m, &err), err);
}

const uint32_t nlt_node1_apic[1] = { 2 };
const struct nl_range nlt_node1_ram[1] = { { 0x28000000, 0x50000000, 0 } };

void nlt_node1(struct nl_node *n)
{
	memset(n, 0, sizeof(*n));
	n->id = 1;
	n->name = "node1";
	n->apic_ids = nlt_node1_apic;
	n->ncpus = 1;
	n->ram = nlt_node1_ram;
	n->nram = 1;
	n->uart_port = 0x2f8;
}

void nlt_machine(struct nl_machine *m, const struct nl_memmap *map)
{
	memset(m, 0, sizeof(*m));
	m->memmap = map;
	m->tsc_khz = NLT_TSC_KHZ;
	m->bsp_apic_id = 0;
	m->ecam_base = NLT_ECAM;
	m->ecam_end_bus = 0xff;
}

/* -------------------------------------------------------------- runner */
static void one_line(char *s)
{
	for (; *s; s++)
		if (*s == '\n')
			*s = ' ';
}

int main(int argc, char **argv)
{
	Suite *(*const suites[])(void) = {
		nl_suite_abi,	  nl_suite_bzimage,    nl_suite_memmap,
		nl_suite_layout,  nl_suite_e820,       nl_suite_setupdata,
		nl_suite_cmdline, nl_suite_bootparams, nl_suite_image,
		nl_suite_real,	  nl_suite_cpio,
	};
	const char *only = argc > 1 ? argv[1] : NULL;
	SRunner *sr = NULL;
	TestResult **tr;
	int i, n, passed = 0, failed = 0;

	setvbuf(stdout, NULL, _IOLBF, 0); /* lines whole, next to stderr */
	for (i = 0; i < (int)(sizeof(suites) / sizeof(suites[0])); i++) {
		Suite *s = suites[i]();

		if (!sr)
			sr = srunner_create(s);
		else
			srunner_add_suite(sr, s);
	}
	srunner_run(sr, NULL, only, CK_SILENT);
	n = srunner_ntests_run(sr);
	tr = srunner_results(sr);
	for (i = 0; i < n; i++) {
		char msg[1024];

		if (tr_rtype(tr[i]) == CK_PASS) {
			printf("PASS: %s\n", tr_tcname(tr[i]));
			passed++;
			continue;
		}
		snprintf(msg, sizeof(msg), "%s", tr_msg(tr[i]));
		one_line(msg);
		printf("FAIL: %s: %s:%d: %s\n", tr_tcname(tr[i]),
		       tr_lfile(tr[i]), tr_lno(tr[i]), msg);
		failed++;
	}
	free(tr);
	srunner_free(sr);
	fprintf(stderr, "node-loader: %d passed, %d failed\n", passed, failed);
	return failed || !passed ? 1 : 0;
}
