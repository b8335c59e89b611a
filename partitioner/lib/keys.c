// SPDX-License-Identifier: GPL-2.0
/* The key table and one value parser per key (the value pass). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

static int set_string(char **dst, const char *value)
{
	char *copy = strdup(value);

	if (!copy)
		return -ENOMEM;
	free(*dst);
	*dst = copy;
	return 0;
}

static int parse_version(struct section *sec, const char *value, char *why,
			 size_t whylen)
{
	uint64_t v;

	if (mint_parse_u64(value, &v, NULL, 0)) {
		WHY("'%s' is not a version number; write version = %d", value,
		    MINT_CONFIG_VERSION);
		return -EINVAL;
	}
	if (v != MINT_CONFIG_VERSION) {
		WHY("version %s is not supported; this mintctl reads version "
		    "%d, write version = %d",
		    value, MINT_CONFIG_VERSION, MINT_CONFIG_VERSION);
		return -EINVAL;
	}
	sec->part->version = (unsigned int)v;
	return 0;
}

static int parse_pname(struct section *sec, const char *value, char *why,
		       size_t whylen)
{
	if (mint_check_name(value, "partition", why, whylen))
		return -EINVAL;
	snprintf(sec->part->name, sizeof(sec->part->name), "%s", value);
	return 0;
}

static int parse_cpus(struct section *sec, const char *value, char *why,
		      size_t whylen)
{
	uint64_t mask;
	int ret;

	ret = mint_cpulist_parse(value, MINT_MAX_CPU_ID, &mask, why, whylen);
	if (ret)
		return ret;
	if (mask & 1) {
		WHY("CPU 0 always stays with node0; give the node other CPUs");
		return -EINVAL;
	}
	sec->node->cpus = mask;
	return 0;
}

/* SIZE@ADDRESS for one range of node RAM; blanks around the @ are fine. */
static int parse_range(const char *value, struct mint_range *r, char *why,
		       size_t whylen)
{
	char buf[MINT_LINE_MAX + 1];
	const char *at = strchr(value, '@'), *addr;
	size_t n;
	int ret;

	if (!at) {
		WHY("'%s' has no address; write SIZE@ADDRESS, e.g. "
		    "640M@0x28000000",
		    value);
		return -EINVAL;
	}
	n = (size_t)(at - value);
	while (n && (value[n - 1] == ' ' || value[n - 1] == '\t'))
		n--;
	if (n >= sizeof(buf))
		n = sizeof(buf) - 1;
	memcpy(buf, value, n);
	buf[n] = '\0';
	addr = at + 1 + strspn(at + 1, " \t");
	ret = mint_parse_size(buf, &r->size, why, whylen);
	if (ret)
		return ret;
	ret = mint_parse_size(addr, &r->base, why, whylen);
	if (ret)
		return ret;
	if (r->size == 0) {
		WHY("'%s' is an empty range; give a size of at least 16M",
		    value);
		return -EINVAL;
	}
	if (r->base % MINT_RAM_ALIGN) {
		WHY("address 0x%llx is not 2 MiB aligned; use a multiple of "
		    "0x200000, e.g. 0x%llx",
		    (unsigned long long)r->base,
		    (unsigned long long)(r->base & ~(MINT_RAM_ALIGN - 1)));
		return -EINVAL;
	}
	if (r->size % MINT_RAM_ALIGN) {
		WHY("size %s is not a multiple of 2 MiB; round it to a "
		    "multiple of 2M",
		    buf);
		return -EINVAL;
	}
	if (r->size < MINT_RANGE_MIN) {
		WHY("size %s is too small; each range must be at least 16M",
		    buf);
		return -EINVAL;
	}
	if (r->base < MINT_RAM_MIN_BASE) {
		WHY("address 0x%llx is below 64 MiB, where node0's kernel and "
		    "the firmware live; place node RAM at or above 0x4000000",
		    (unsigned long long)r->base);
		return -EINVAL;
	}
	if (r->base >= MINT_RAM_LIMIT || r->size > MINT_RAM_LIMIT - r->base) {
		WHY("'%s' reaches beyond 4 PiB (0x10000000000000), the widest "
		    "physical address of x86-64; check the address",
		    value);
		return -EINVAL;
	}
	return 0;
}

static int parse_node_memory(struct section *sec, const char *value, char *why,
			     size_t whylen)
{
	struct mint_node *node = sec->node;
	struct mint_range r;
	int ret;

	ret = parse_range(value, &r, why, whylen);
	if (ret)
		return ret;
	if (node->nr_mem >= MINT_MAX_RANGES) {
		WHY("more than %d ranges; merge adjacent ranges",
		    MINT_MAX_RANGES);
		return -EINVAL;
	}
	r.line = sec->line;
	node->mem[node->nr_mem++] = r;
	return 0;
}

static int parse_devices(struct section *sec, const char *value, char *why,
			 size_t whylen)
{
	struct mint_pci_addr list[MINT_MAX_DEVICES], a;
	char item[MINT_LINE_MAX + 1];
	unsigned int nr = 0, i;
	const char *p = value;
	size_t n;
	int ret;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		n = strcspn(p, ", \t");
		memcpy(item, p, n);
		item[n] = '\0';
		p += n;
		while (*p == ' ' || *p == '\t')
			p++;
		if (n == 0) {
			WHY("'%s' has an empty item; separate PCI addresses "
			    "with single commas",
			    value);
			return -EINVAL;
		}
		ret = mint_pci_parse(item, &a, why, whylen);
		if (ret)
			return ret;
		if (a.domain) {
			WHY("%s is on PCI segment %04x; nodes can take devices "
			    "of segment 0000 only for now",
			    item, a.domain);
			return -EINVAL;
		}
		for (i = 0; i < nr; i++) {
			if (mint_pci_equal(&list[i], &a)) {
				WHY("%s is listed twice; list each device once",
				    item);
				return -EINVAL;
			}
		}
		if (nr >= MINT_MAX_DEVICES) {
			WHY("more than %d devices; a node takes at most %d",
			    MINT_MAX_DEVICES, MINT_MAX_DEVICES);
			return -EINVAL;
		}
		list[nr++] = a;
		if (!*p)
			break;
		if (*p != ',') {
			WHY("'%s': separate PCI addresses with commas, e.g. "
			    "0000:00:03.0,0000:00:04.0",
			    value);
			return -EINVAL;
		}
		p++;
	}
	memcpy(sec->node->devices, list, nr * sizeof(list[0]));
	sec->node->nr_devices = nr;
	return 0;
}

/* What every path value must be besides absolute: short, without blanks. */
int mint_check_path_chars(const char *value, char *why, size_t whylen)
{
	if (strlen(value) > MINT_PATH_MAX) {
		WHY("the path is longer than %d bytes; use a shorter path",
		    MINT_PATH_MAX);
		return -EINVAL;
	}
	if (strpbrk(value, " \t")) {
		WHY("'%s' contains a blank; use a path without blanks", value);
		return -EINVAL;
	}
	return 0;
}

static int check_path(struct section *sec, enum mint_key key, const char *value,
		      char *why, size_t whylen)
{
	if (value[0] != '/' && key == MINT_KEY_DISK) {
		WHY("'%s' is not an absolute path; write the full path, e.g. "
		    "/dev/vda (a node's own disk) or /var/lib/mint/%s.img (an "
		    "image file)",
		    value, sec->name);
		return -EINVAL;
	}
	if (value[0] != '/') {
		WHY("'%s' is not an absolute path; write the full path on "
		    "node0, e.g. /boot/mint/%s",
		    value, value);
		return -EINVAL;
	}
	return mint_check_path_chars(value, why, whylen);
}

static char **path_slot(struct section *sec, enum mint_key key)
{
	if (sec->kind == SEC_NODE)
		return key == MINT_KEY_KERNEL ? &sec->node->kernel
					      : &sec->node->initrd;
	switch (key) {
	case MINT_KEY_KERNEL:
		return &sec->vm->kernel;
	case MINT_KEY_INITRD:
		return &sec->vm->initrd;
	default:
		return &sec->vm->disk;
	}
}

static int parse_path(struct section *sec, enum mint_key key, const char *value,
		      char *why, size_t whylen)
{
	int ret = check_path(sec, key, value, why, whylen);

	return ret ? ret : set_string(path_slot(sec, key), value);
}

static int parse_kernel(struct section *sec, const char *value, char *why,
			size_t whylen)
{
	return parse_path(sec, MINT_KEY_KERNEL, value, why, whylen);
}

static int parse_initrd(struct section *sec, const char *value, char *why,
			size_t whylen)
{
	return parse_path(sec, MINT_KEY_INITRD, value, why, whylen);
}

static int parse_disk(struct section *sec, const char *value, char *why,
		      size_t whylen)
{
	return parse_path(sec, MINT_KEY_DISK, value, why, whylen);
}

static int parse_cmdline(struct section *sec, const char *value, char *why,
			 size_t whylen)
{
	if (strlen(value) > MINT_CMDLINE_MAX) {
		WHY("%zu bytes is too long; keep extra arguments to at most "
		    "%d bytes (x86 allows 2048 in all)",
		    strlen(value), MINT_CMDLINE_MAX);
		return -EINVAL;
	}
	if (sec->kind == SEC_NODE)
		return set_string(&sec->node->cmdline, value);
	return set_string(&sec->vm->cmdline, value);
}

static const char *const console_words[] = { "shm", "com2", "com3", "com4",
					     NULL };

static int parse_console(struct section *sec, const char *value, char *why,
			 size_t whylen)
{
	const char *hint;
	unsigned int i;

	for (i = 0; console_words[i]; i++) {
		if (!strcasecmp(value, console_words[i])) {
			sec->node->console = (enum mint_console)i;
			return 0;
		}
	}
	if (!strcasecmp(value, "com1") || !strcasecmp(value, "ttyS0")) {
		WHY("%s belongs to node0 and is never given away; use com2, "
		    "com3, com4 or shm",
		    value);
		return -EINVAL;
	}
	if (!strcasecmp(value, "ttyS1") || !strcasecmp(value, "ttyS2") ||
	    !strcasecmp(value, "ttyS3")) {
		WHY("'%s' is a Linux device name; write com%c, the UART it "
		    "names",
		    value, value[4] + 1);
		return -EINVAL;
	}
	hint = mint_suggest(value, console_words);
	if (hint)
		WHY("'%s' is not a console; did you mean '%s'?", value, hint);
	else
		WHY("'%s' is not a console; use com2, com3, com4 or shm",
		    value);
	return -EINVAL;
}

/* iommu = required | off, in [partition] (every node) or in a [node]. */
static int parse_iommu(struct section *sec, const char *value, char *why,
		       size_t whylen)
{
	bool off = !strcmp(value, MINT_IOMMU_OFF);

	if (!off && strcmp(value, MINT_IOMMU_REQUIRED)) {
		WHY("'%s' is not an IOMMU mode; write %s (the node's devices "
		    "DMA only into its RAM) or %s (unconfined)",
		    value, MINT_IOMMU_REQUIRED, MINT_IOMMU_OFF);
		return -EINVAL;
	}
	if (sec->kind == SEC_NODE)
		sec->node->iommu_off = off;
	else
		sec->part->iommu_off = off;
	return 0;
}

static int parse_bool(const char *value, bool *out, char *why, size_t whylen)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	unsigned int i;

	for (i = 0; i < 4; i++) {
		if (!strcasecmp(value, yes[i])) {
			*out = true;
			return 0;
		}
		if (!strcasecmp(value, no[i])) {
			*out = false;
			return 0;
		}
	}
	WHY("'%s' is not yes or no; write yes or no", value);
	return -EINVAL;
}

static int parse_autostart(struct section *sec, const char *value, char *why,
			   size_t whylen)
{
	if (sec->kind == SEC_NODE)
		return parse_bool(value, &sec->node->autostart, why, whylen);
	return parse_bool(value, &sec->vm->autostart, why, whylen);
}

static int parse_vm_node(struct section *sec, const char *value, char *why,
			 size_t whylen)
{
	if (mint_check_name(value, "node", why, whylen))
		return -EINVAL;
	snprintf(sec->vm->node, sizeof(sec->vm->node), "%s", value);
	return 0;
}

static int parse_vcpus(struct section *sec, const char *value, char *why,
		       size_t whylen)
{
	uint64_t v;

	if (mint_parse_u64(value, &v, NULL, 0) || v < 1 ||
	    v > MINT_VM_VCPUS_MAX) {
		WHY("'%s' is not a vCPU count; give a number from 1 to %d",
		    value, MINT_VM_VCPUS_MAX);
		return -EINVAL;
	}
	sec->vm->vcpus = (unsigned int)v;
	return 0;
}

static int parse_vm_memory(struct section *sec, const char *value, char *why,
			   size_t whylen)
{
	uint64_t v;
	int ret;

	if (strchr(value, '@')) {
		WHY("'%s': a VM's memory is a size, not SIZE@ADDRESS; "
		    "write e.g. 256M",
		    value);
		return -EINVAL;
	}
	ret = mint_parse_size(value, &v, why, whylen);
	if (ret)
		return ret;
	if (v < MINT_VM_MEMORY_MIN) {
		WHY("%s is too small; give a VM at least 16M", value);
		return -EINVAL;
	}
	if (v % MINT_MIB) {
		WHY("%s is not a whole number of MiB; round it to a multiple "
		    "of 1M",
		    value);
		return -EINVAL;
	}
	sec->vm->memory = v;
	return 0;
}

static const char *const restart_words[] = { "no", "on-failure", "always",
					     NULL };

static int parse_restart(struct section *sec, const char *value, char *why,
			 size_t whylen)
{
	const char *hint;
	unsigned int i;

	for (i = 0; restart_words[i]; i++) {
		if (!strcmp(value, restart_words[i])) {
			sec->vm->restart = (enum mint_restart)i;
			return 0;
		}
	}
	hint = mint_suggest(value, restart_words);
	if (hint)
		WHY("'%s' is not a restart policy; did you mean '%s'?", value,
		    hint);
	else
		WHY("'%s' is not a restart policy; use no, on-failure or "
		    "always",
		    value);
	return -EINVAL;
}

/* QEMU's -cpu argument: a model and its feature flags, e.g. host, EPYC-v4
 * or qemu64,+avx2; nothing a shell or QEMU's option parser would split. */
static int parse_cpu_model(struct section *sec, const char *value, char *why,
			   size_t whylen)
{
	static const char letters[] = "abcdefghijklmnopqrstuvwxyz"
				      "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
	size_t n = strlen(value);

	if (!n || n > 64 || !strchr(letters, value[0]) ||
	    strspn(value, "abcdefghijklmnopqrstuvwxyz"
			  "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.,+=-") != n) {
		WHY("'%s' is not a QEMU CPU model; write a model and its "
		    "flags, e.g. host (on a server), EPYC-v4 or qemu64,+avx2 "
		    "(letters, digits and _.,+=-, at most 64)",
		    value);
		return -EINVAL;
	}
	return set_string(&sec->vm->cpu_model, value);
}

const char *mint_console_name(enum mint_console c)
{
	return (unsigned int)c < 4 ? console_words[c] : "?";
}

unsigned int mint_console_port(enum mint_console c)
{
	static const unsigned int port[] = { 0, 0x2f8, 0x3e8, 0x2e8 };

	return (unsigned int)c < 4 ? port[c] : 0;
}

const char *mint_restart_name(enum mint_restart r)
{
	return (unsigned int)r < 3 ? restart_words[r] : "?";
}

#define P SEC_BIT(SEC_PARTITION)
#define N SEC_BIT(SEC_NODE)
#define V SEC_BIT(SEC_VM)

static const struct key_desc keys[] = {
	{ "version", MINT_KEY_VERSION, P, false, parse_version },
	{ "name", MINT_KEY_NAME, P, false, parse_pname },
	{ "node", MINT_KEY_NODE, V, false, parse_vm_node },
	{ "cpus", MINT_KEY_CPUS, N, false, parse_cpus },
	{ "vcpus", MINT_KEY_VCPUS, V, false, parse_vcpus },
	{ "memory", MINT_KEY_MEMORY, N, true, parse_node_memory },
	{ "memory", MINT_KEY_MEMORY, V, false, parse_vm_memory },
	{ "devices", MINT_KEY_DEVICES, N, false, parse_devices },
	{ "kernel", MINT_KEY_KERNEL, N | V, false, parse_kernel },
	{ "initrd", MINT_KEY_INITRD, N | V, false, parse_initrd },
	{ "cmdline", MINT_KEY_CMDLINE, N | V, false, parse_cmdline },
	{ "console", MINT_KEY_CONSOLE, N, false, parse_console },
	{ "disk", MINT_KEY_DISK, V, false, parse_disk },
	{ "autostart", MINT_KEY_AUTOSTART, N | V, false, parse_autostart },
	{ "restart", MINT_KEY_RESTART, V, false, parse_restart },
	{ "cpu_model", MINT_KEY_CPU_MODEL, V, false, parse_cpu_model },
	{ "iommu", MINT_KEY_IOMMU, P | N, false, parse_iommu },
	{ "link", MINT_KEY_LINK, N, false, mint_parse_link },
	{ "address", MINT_KEY_ADDRESS, P | N | V, false, mint_parse_address },
	{ "authorized_keys", MINT_KEY_AUTHORIZED_KEYS, P, false,
	  mint_parse_authorized_keys },
	{ "net", MINT_KEY_NET, V, false, mint_parse_net },
};

const struct key_desc *mint_key_lookup(const char *name, enum sec_kind kind)
{
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if ((keys[i].sections & SEC_BIT(kind)) &&
		    !strcmp(keys[i].name, name))
			return &keys[i];
	return NULL;
}

const char *mint_key_name(enum mint_key key)
{
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (keys[i].key == key)
			return keys[i].name;
	return "?";
}

void mint_key_names(enum sec_kind kind, const char **out)
{
	size_t i, n = 0;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (keys[i].sections & SEC_BIT(kind))
			out[n++] = keys[i].name;
	out[n] = NULL;
}

enum sec_kind mint_key_home(const char *name, enum sec_kind kind)
{
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!(keys[i].sections & SEC_BIT(kind)) &&
		    !strcmp(keys[i].name, name))
			return keys[i].sections & N   ? SEC_NODE
			       : keys[i].sections & V ? SEC_VM
						      : SEC_PARTITION;
	return SEC_NONE;
}
