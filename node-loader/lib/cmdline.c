// SPDX-License-Identifier: GPL-2.0
/*
 * The node kernel's command line: console, then the options every node needs
 * (docs/node-boot.md says why each is there), then the user's extra options.
 */
#include <stdio.h>

#include "internal.h"

/* Options every node kernel gets, in this order. */
static const char fixed_args[] =
	"nokaslr no5lvl acpi=off no_ipi_broadcast=1 apic_extnmi=none "
	"nmi_watchdog=0 nowatchdog tsc=reliable clocksource=tsc panic=0 "
	"oops=panic pci=noearly 8250.nr_uarts=4 numa=off dis_ucode_ldr "
	"reset_devices kvm.report_ignored_msrs=0";

int nl_cmdline_build(char *buf, size_t size, const struct nl_node *node,
		     uint32_t cmdline_size, size_t *len, struct nl_err *err)
{
	const char *extra = node->extra_cmdline ? node->extra_cmdline : "";
	char console[96] = "";
	size_t i, extra_len;
	int n, tty;

	if (!node->name || !node->name[0])
		return nl_fail(err, -EINVAL, "node %u has no name", node->id);
	for (i = 0; node->name[i]; i++)
		if (node->name[i] <= ' ' || node->name[i] == 0x7f)
			return nl_fail(err, -EINVAL,
				       "node name contains a space or control "
				       "character");
	for (i = 0; extra[i]; i++)
		if ((unsigned char)extra[i] < ' ' || extra[i] == 0x7f)
			return nl_fail(err, -EINVAL,
				       "extra command line: control character "
				       "0x%02x at offset %zu",
				       (unsigned char)extra[i], i);
	while (*extra == ' ')
		extra++;
	extra_len = strlen(extra);
	while (extra_len && extra[extra_len - 1] == ' ')
		extra_len--;

	if (node->uart_port) {
		tty = nl_uart_index(node->uart_port);
		if (tty < 0)
			return nl_fail(err, -EINVAL,
				       "UART port 0x%x is not a COM port",
				       node->uart_port);
		snprintf(
			console, sizeof(console),
			"earlyprintk=serial,0x%x,115200 console=ttyS%d,115200 ",
			node->uart_port, tty);
	}
	n = snprintf(buf, size, "%s%s mint.node=%s%s%.*s", console, fixed_args,
		     node->name, extra_len ? " " : "", (int)extra_len, extra);
	if (n < 0)
		return nl_fail(err, -EINVAL, "command line formatting failed");
	if ((size_t)n > cmdline_size)
		return nl_fail(err, -ENOSPC,
			       "command line is %d bytes, the kernel takes at "
			       "most %u",
			       n, cmdline_size);
	if ((size_t)n >= size)
		return nl_fail(err, -ENOSPC,
			       "command line is %d bytes, the buffer holds %zu",
			       n, size ? size - 1 : 0);
	*len = (size_t)n;
	return 0;
}
