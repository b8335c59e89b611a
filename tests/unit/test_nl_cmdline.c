// SPDX-License-Identifier: GPL-2.0
/* The node kernel command line. */
#include <errno.h>

#include "nl_test.h"

#define FIXED                                                             \
	"nokaslr no5lvl acpi=off no_ipi_broadcast=1 apic_extnmi=none "    \
	"nmi_watchdog=0 nowatchdog tsc=reliable clocksource=tsc panic=0 " \
	"oops=panic pci=noearly 8250.nr_uarts=4 numa=off dis_ucode_ldr "  \
	"reset_devices kvm.report_ignored_msrs=0"

static const struct cl_case {
	const char *name;
	uint16_t port;
	const char *extra;
	const char *want;
} cl_cases[] = {
	{ "cmdline_com2_node1", 0x2f8, NULL,
	  "earlyprintk=serial,0x2f8,115200 console=ttyS1,115200 " FIXED
	  " mint.node=node1" },
	{ "cmdline_com1", 0x3f8, "",
	  "earlyprintk=serial,0x3f8,115200 console=ttyS0,115200 " FIXED
	  " mint.node=node1" },
	{ "cmdline_com3", 0x3e8, NULL,
	  "earlyprintk=serial,0x3e8,115200 console=ttyS2,115200 " FIXED
	  " mint.node=node1" },
	{ "cmdline_com4", 0x2e8, NULL,
	  "earlyprintk=serial,0x2e8,115200 console=ttyS3,115200 " FIXED
	  " mint.node=node1" },
	{ "cmdline_shm_console", 0, NULL, FIXED " mint.node=node1" },
	{ "cmdline_extra", 0x2f8, "loglevel=7 init=/sbin/init",
	  "earlyprintk=serial,0x2f8,115200 console=ttyS1,115200 " FIXED
	  " mint.node=node1 loglevel=7 init=/sbin/init" },
	{ "cmdline_extra_trimmed", 0, "   quiet  ",
	  FIXED " mint.node=node1 quiet" },
	{ "cmdline_extra_blank", 0, "    ", FIXED " mint.node=node1" },
};

START_TEST(cmdline_case)
{
	const struct cl_case *c = &cl_cases[_i];
	char buf[2048];
	struct nl_node n;
	struct nl_err err;
	size_t len = 0;

	nlt_node1(&n);
	n.uart_port = c->port;
	n.extra_cmdline = c->extra;
	ck_assert_ok(nl_cmdline_build(buf, sizeof(buf), &n, 2047, &len, &err),
		     err);
	ck_assert_str_eq(buf, c->want);
	ck_assert_uint_eq(len, strlen(c->want));
}
END_TEST

/* cmdline_size is the length without the NUL (boot.rst). */
START_TEST(cmdline_length_limit)
{
	char buf[4096], extra[2048];
	size_t base, len;
	struct nl_node n;
	struct nl_err err;

	nlt_node1(&n);
	n.uart_port = 0;
	ck_assert_ok(nl_cmdline_build(buf, sizeof(buf), &n, 2047, &base, &err),
		     err);
	/* base + " " + extra == 2047 exactly */
	memset(extra, 'x', sizeof(extra));
	extra[2047 - base - 1] = 0;
	n.extra_cmdline = extra;
	ck_assert_ok(nl_cmdline_build(buf, sizeof(buf), &n, 2047, &len, &err),
		     err);
	ck_assert_uint_eq(len, 2047);
	ck_assert_uint_eq(strlen(buf), 2047);
	extra[2047 - base - 1] = 'x';
	extra[2047 - base] = 0;
	ck_assert_fails(
		nl_cmdline_build(buf, sizeof(buf), &n, 2047, &len, &err),
		-ENOSPC, err,
		"command line is 2048 bytes, the kernel takes at most "
		"2047");
	/* the caller's buffer is the other limit */
	extra[10] = 0;
	ck_assert_fails(nl_cmdline_build(buf, base + 5, &n, 2047, &len, &err),
			-ENOSPC, err, "the buffer holds");
}
END_TEST

static const struct cl_err_case {
	const char *name;
	const char *node_name;
	uint16_t port;
	const char *extra;
	const char *needle;
} cl_err_cases[] = {
	{ "cmdline_err_no_name", NULL, 0, NULL, "node 1 has no name" },
	{ "cmdline_err_empty_name", "", 0, NULL, "node 1 has no name" },
	{ "cmdline_err_name_space", "a b", 0, NULL,
	  "node name contains a space" },
	{ "cmdline_err_bad_uart", "node1", 0x3f0, NULL,
	  "UART port 0x3f0 is not a COM port" },
	{ "cmdline_err_newline", "node1", 0, "quiet\ninit=/x",
	  "extra command line: control character 0x0a at offset 5" },
	{ "cmdline_err_del", "node1", 0, "a\x7f", "control character 0x7f" },
};

START_TEST(cmdline_err_case)
{
	const struct cl_err_case *c = &cl_err_cases[_i];
	char buf[2048];
	struct nl_node n;
	struct nl_err err;
	size_t len;

	nlt_node1(&n);
	n.name = c->node_name;
	n.uart_port = c->port;
	n.extra_cmdline = c->extra;
	ck_assert_fails(
		nl_cmdline_build(buf, sizeof(buf), &n, 2047, &len, &err),
		-EINVAL, err, c->needle);
}
END_TEST

Suite *nl_suite_cmdline(void)
{
	Suite *s = suite_create("cmdline");

	NL_ROWS(s, cmdline_case, cl_cases);
	NL_TEST(s, cmdline_length_limit);
	NL_ROWS(s, cmdline_err_case, cl_err_cases);
	return s;
}
