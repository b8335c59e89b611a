/* SPDX-License-Identifier: GPL-2.0 */
/* Shared helpers for the node-loader unit tests (Check). */
#ifndef NL_TEST_H
#define NL_TEST_H

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../node-loader/lib/nodeloader.h"

/* Generous: the machine may be busy building kernels. */
#define NL_TIMEOUT 120

/* One Check TCase per test, named after it: the runner prints the names. */
#define NL_TEST(suite, fn)                          \
	do {                                        \
		TCase *tc_ = tcase_create(#fn);     \
		tcase_set_timeout(tc_, NL_TIMEOUT); \
		tcase_add_test(tc_, fn);            \
		suite_add_tcase(suite, tc_);        \
	} while (0)

/* One TCase per table row, named by the row (a string literal), running
 * @fn with _i = the row index. */
#define NL_ROWS(suite, fn, table)                                              \
	do {                                                                   \
		for (int r_ = 0; r_ < (int)(sizeof(table) / sizeof(table[0])); \
		     r_++) {                                                   \
			TCase *tc_ = tcase_create(table[r_].name);             \
			tcase_set_timeout(tc_, NL_TIMEOUT);                    \
			tcase_add_loop_test(tc_, fn, r_, r_ + 1);              \
			suite_add_tcase(suite, tc_);                           \
		}                                                              \
	} while (0)

/* Assert a failing call: return value and a piece of the message. */
#define ck_assert_fails(call, want_ret, err, needle)                         \
	do {                                                                 \
		int ret_;                                                    \
		memset((err).msg, 0, sizeof((err).msg));                     \
		ret_ = (call);                                               \
		ck_assert_msg(ret_ == (want_ret),                            \
			      "%s returned %d, want %d (msg \"%s\")", #call, \
			      ret_, (want_ret), (err).msg);                  \
		ck_assert_msg(strstr((err).msg, (needle)) != NULL,           \
			      "message \"%s\" lacks \"%s\"", (err).msg,      \
			      (needle));                                     \
	} while (0)

#define ck_assert_ok(call, err)                                             \
	do {                                                                \
		int ret_;                                                   \
		memset((err).msg, 0, sizeof((err).msg));                    \
		ret_ = (call);                                              \
		ck_assert_msg(ret_ == 0, "%s returned %d: %s", #call, ret_, \
			      (err).msg);                                   \
	} while (0)

static inline uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t le32(const uint8_t *p)
{
	return (uint32_t)le16(p) | (uint32_t)le16(p + 2) << 16;
}

static inline uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* Whole file into a malloc'ed buffer; NULL (errno set) on failure. */
uint8_t *nlt_read_file(const char *path, size_t *len);
/* tests/unit/fixtures/@name, failing the test if it cannot be read. */
uint8_t *nlt_fixture(const char *name, size_t *len);
/* The image named by environment variable @var; fails the test when the
 * variable is unset or the file is missing (never skips). */
uint8_t *nlt_env_image(const char *var, size_t *len, const char **path);

#define DEBIAN_HEAD "debian-6.12.117-vmlinuz.head"
#define MINT_HEAD "mint-6.12.117-bzImage.head"

/*
 * A bzImage with the header of the 4 KiB fixture @head and a zero payload of
 * the header's syssize: real header values, without the whole file.
 */
uint8_t *nlt_expand_head(const uint8_t *head, size_t head_len, size_t *len);

/* A small synthetic bzImage: setup_sects 3, payload 0x2000 bytes (pattern),
 * init_size 1 MiB, kernel_alignment 2 MiB, pref_address 16 MiB, protocol
 * 2.15, cmdline_size 2047, payload_offset 0x100 + length 0x1000. */
#define SYN_SETUP_SIZE 0x800
#define SYN_PAYLOAD 0x2000
#define SYN_LEN (SYN_SETUP_SIZE + SYN_PAYLOAD)
void nlt_synthetic(uint8_t img[SYN_LEN]);

/* The q35 firmware map of the emulated machine (-m 4G), through the
 * /sys/firmware/memmap parser. */
void nlt_q35(struct nl_memmap *m);
#define Q35_N 11

/* demo.conf's node1: id 1, APIC ID 2, 640M@0x28000000, COM2. */
extern const uint32_t nlt_node1_apic[1];
extern const struct nl_range nlt_node1_ram[1];
void nlt_node1(struct nl_node *n);
/* node0 boot CPU 0, tsc 2995200 kHz, ECAM 0xb0000000 buses 0-255 */
void nlt_machine(struct nl_machine *m, const struct nl_memmap *map);
#define NLT_TSC_KHZ 2995200u
#define NLT_ECAM 0xb0000000ULL

Suite *nl_suite_abi(void);
Suite *nl_suite_bzimage(void);
Suite *nl_suite_memmap(void);
Suite *nl_suite_layout(void);
Suite *nl_suite_e820(void);
Suite *nl_suite_setupdata(void);
Suite *nl_suite_cmdline(void);
Suite *nl_suite_bootparams(void);
Suite *nl_suite_image(void);
Suite *nl_suite_real(void);
Suite *nl_suite_cpio(void);

#endif /* NL_TEST_H */
