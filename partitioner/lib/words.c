// SPDX-License-Identifier: GPL-2.0
/* The words of the format: names, section words and key aliases. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

const char *const mint_section_words[] = { "partition", "node", "vm", NULL };

const char *mint_sec_word(enum sec_kind kind)
{
	switch (kind) {
	case SEC_PARTITION:
		return "partition";
	case SEC_NODE:
		return "node";
	case SEC_VM:
		return "vm";
	default:
		return "";
	}
}

enum mint_scope mint_sec_scope(enum sec_kind kind)
{
	switch (kind) {
	case SEC_PARTITION:
		return MINT_SCOPE_PARTITION;
	case SEC_NODE:
		return MINT_SCOPE_NODE;
	case SEC_VM:
		return MINT_SCOPE_VM;
	default:
		return MINT_SCOPE_FILE;
	}
}

int mint_check_name(const char *s, const char *what, char *why, size_t whylen)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > MINT_NAME_MAX)
		goto bad;
	if (s[0] < 'a' || s[0] > 'z')
		goto bad;
	for (i = 1; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-'))
			goto bad;
	}
	return 0;
bad:
	WHY("'%.40s%s' is not a valid %s name; use 1 to %d characters: a "
	    "lower-case letter, then lower-case letters, digits, '_' or '-'",
	    s, n > 40 ? "..." : "", what, MINT_NAME_MAX);
	return -EINVAL;
}

#define N SEC_BIT(SEC_NODE)
#define V SEC_BIT(SEC_VM)
#define P SEC_BIT(SEC_PARTITION)

/* Words people write for a key, mapped to the key we use. */
static const struct {
	const char *word;
	const char *key;
	unsigned int sections;
} aliases[] = {
	{ "ram", "memory", N | V },
	{ "mem", "memory", N | V },
	{ "cpu", "cpus", N },
	{ "cpuset", "cpus", N },
	{ "cores", "vcpus", V },
	{ "cpus", "vcpus", V },
	{ "smp", "vcpus", V },
	{ "pci", "devices", N },
	{ "device", "devices", N },
	{ "image", "kernel", N | V },
	{ "bzimage", "kernel", N | V },
	{ "vmlinuz", "kernel", N | V },
	{ "initramfs", "initrd", N | V },
	{ "append", "cmdline", N | V },
	{ "bootargs", "cmdline", N | V },
	{ "args", "cmdline", N | V },
	{ "serial", "console", N },
	{ "uart", "console", N },
	{ "tty", "console", N },
	{ "boot", "autostart", N | V },
	{ "onboot", "autostart", N | V },
	{ "auto", "autostart", N | V },
	{ "host", "node", V },
	{ "drive", "disk", V },
	{ "hda", "disk", V },
	{ "model", "cpu_model", V },
	{ "cpumodel", "cpu_model", V },
	{ "revision", "version", P },
	{ "ip", "address", P | N | V },
	{ "ipv4", "address", P | N | V },
	{ "addr", "address", P | N | V },
	{ "network", "net", V },
	{ "nic", "net", V },
	{ "netdev", "net", V },
	{ "ssh_keys", "authorized_keys", P },
	{ "sshkeys", "authorized_keys", P },
};

const char *mint_key_alias(const char *word, enum sec_kind kind)
{
	size_t i;

	for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if ((aliases[i].sections & SEC_BIT(kind)) &&
		    !strcasecmp(aliases[i].word, word))
			return aliases[i].key;
	return NULL;
}
