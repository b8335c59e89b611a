// SPDX-License-Identifier: GPL-2.0
/* The syntax pass (sections, keys); the file pass before it: filepass.c. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct parser {
	struct mint_config *cfg;
	struct mint_diags *d;
	struct section sec;
	char name[MINT_NAME_MAX + 1]; /* of the current section */
	/* Duplicate or surplus sections are checked here, then dropped. */
	struct mint_partition scratch_part;
	struct mint_node scratch_node;
	struct mint_vm scratch_vm;
	bool partition_misspelt; /* do not also report it missing */
	int err; /* -ENOMEM sticks */
};

static void node_free(struct mint_node *node)
{
	free(node->kernel);
	free(node->initrd);
	free(node->cmdline);
	memset(node, 0, sizeof(*node));
}

static void vm_free(struct mint_vm *vm)
{
	free(vm->kernel);
	free(vm->initrd);
	free(vm->cmdline);
	free(vm->disk);
	free(vm->cpu_model);
	memset(vm, 0, sizeof(*vm));
}

void mint_config_init(struct mint_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	snprintf(cfg->part.name, sizeof(cfg->part.name), "mint");
}

void mint_config_free(struct mint_config *cfg)
{
	unsigned int i;

	for (i = 0; i < cfg->nr_nodes; i++)
		node_free(&cfg->nodes[i]);
	for (i = 0; i < cfg->nr_vms; i++)
		vm_free(&cfg->vms[i]);
	free(cfg->part.authorized_keys);
	mint_config_init(cfg);
}

static void vm_defaults(struct mint_vm *vm)
{
	vm->vcpus = 1;
	vm->memory = MINT_VM_MEMORY_DEFAULT;
	vm->node_index = -1;
}

/* ---- syntax pass ------------------------------------------------------- */

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static char *trim(char *s)
{
	char *e;

	while (is_blank(*s))
		s++;
	e = s + strlen(s);
	while (e > s && is_blank(e[-1]))
		*--e = '\0';
	return s;
}

/* A '#' at the start or after a blank starts a comment. */
static void strip_comment(char *s)
{
	char *p;

	for (p = s; *p; p++) {
		if (*p == '#' && (p == s || is_blank(p[-1]))) {
			*p = '\0';
			return;
		}
	}
}

static void diag(struct parser *ps, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void diag(struct parser *ps, const char *key, const char *fmt, ...)
{
	char text[MINT_LINE_MAX + 256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (mint_diag_add(ps->d, ps->sec.line, mint_sec_scope(ps->sec.kind),
			  ps->name, key, "%s", text))
		ps->err = -ENOMEM;
}

static void begin(struct parser *ps, enum sec_kind kind, const char *name)
{
	ps->sec.kind = kind;
	snprintf(ps->name, sizeof(ps->name), "%s", name);
	ps->sec.name = ps->name;
	ps->sec.part = NULL;
	ps->sec.node = NULL;
	ps->sec.vm = NULL;
	ps->sec.keys = NULL;
}

static void begin_partition(struct parser *ps, const char *rest)
{
	struct mint_config *cfg = ps->cfg;

	begin(ps, SEC_PARTITION, "");
	if (*rest) {
		diag(ps, NULL,
		     "[partition] takes no name; write just '[partition]' and "
		     "give the name as 'name = %.40s'",
		     rest);
	}
	if (cfg->part.line) {
		diag(ps, NULL,
		     "a second [partition] section (the first is on line %u); "
		     "keep one",
		     cfg->part.line);
		free(ps->scratch_part.authorized_keys);
		memset(&ps->scratch_part, 0, sizeof(ps->scratch_part));
		ps->sec.part = &ps->scratch_part;
	} else {
		cfg->part.line = ps->sec.line;
		ps->sec.part = &cfg->part;
	}
	ps->sec.keys = &ps->sec.part->keys;
}

static void begin_node(struct parser *ps, const char *name)
{
	struct mint_config *cfg = ps->cfg;
	struct mint_node *node;
	unsigned int i;

	begin(ps, SEC_NODE, name);
	node_free(&ps->scratch_node);
	node = &ps->scratch_node;
	if (!strcmp(name, "node0")) {
		diag(ps, NULL,
		     "node0 is implicit: it keeps everything not given away; "
		     "name this node differently, e.g. node%u",
		     cfg->nr_nodes + 1);
		goto out;
	}
	for (i = 0; i < cfg->nr_nodes; i++) {
		if (!strcmp(cfg->nodes[i].name, name)) {
			diag(ps, NULL,
			     "a second [node %s] section (the first is on line "
			     "%u); merge them or rename one",
			     name, cfg->nodes[i].line);
			goto out;
		}
	}
	if (cfg->nr_nodes >= MINT_MAX_NODES) {
		diag(ps, NULL,
		     "too many nodes: at most %d fit in the low-memory "
		     "reservation below 0x90000; remove this node or merge "
		     "nodes",
		     MINT_MAX_NODES);
		goto out;
	}
	node = &cfg->nodes[cfg->nr_nodes++];
	node->index = cfg->nr_nodes;
out:
	snprintf(node->name, sizeof(node->name), "%s", name);
	node->line = ps->sec.line;
	ps->sec.node = node;
	ps->sec.keys = &node->keys;
}

static void begin_vm(struct parser *ps, const char *name)
{
	struct mint_config *cfg = ps->cfg;
	struct mint_vm *vm;
	unsigned int i;

	begin(ps, SEC_VM, name);
	vm_free(&ps->scratch_vm);
	vm = &ps->scratch_vm;
	for (i = 0; i < cfg->nr_vms; i++) {
		if (!strcmp(cfg->vms[i].name, name)) {
			diag(ps, NULL,
			     "a second [vm %s] section (the first is on line "
			     "%u); merge them or rename one",
			     name, cfg->vms[i].line);
			goto out;
		}
	}
	if (cfg->nr_vms >= MINT_MAX_VMS) {
		diag(ps, NULL, "too many VMs: at most %d; remove this one",
		     MINT_MAX_VMS);
		goto out;
	}
	vm = &cfg->vms[cfg->nr_vms++];
out:
	vm_defaults(vm);
	snprintf(vm->name, sizeof(vm->name), "%s", name);
	vm->line = ps->sec.line;
	ps->sec.vm = vm;
	ps->sec.keys = &vm->keys;
}

static void parse_header(struct parser *ps, char *s)
{
	char why[256], *close, *type, *rest, *after;
	const char *hint;
	enum sec_kind kind = SEC_NONE;

	begin(ps, SEC_NONE, "");
	close = strchr(s, ']');
	if (!close) {
		diag(ps, NULL,
		     "section header without ']'; write [partition], "
		     "[node NAME] or [vm NAME]");
		goto skip;
	}
	*close = '\0';
	after = close + 1;
	while (is_blank(*after))
		after++;
	if (*after && *after != '#') {
		diag(ps, NULL,
		     "text after the section header ']'; put keys on their "
		     "own lines");
		goto skip;
	}
	type = trim(s + 1);
	rest = type + strcspn(type, " \t");
	if (*rest)
		*rest++ = '\0';
	rest = trim(rest);
	if (!strcmp(type, "partition"))
		kind = SEC_PARTITION;
	else if (!strcmp(type, "node"))
		kind = SEC_NODE;
	else if (!strcmp(type, "vm"))
		kind = SEC_VM;
	if (kind == SEC_NONE) {
		hint = mint_suggest(type, mint_section_words);
		if (!*type)
			diag(ps, NULL,
			     "empty section header '[]'; write [partition], "
			     "[node NAME] or [vm NAME]");
		else if (hint)
			diag(ps, NULL,
			     "unknown section type '%.40s'; did you mean "
			     "'%s'?",
			     type, hint);
		else
			diag(ps, NULL,
			     "unknown section type '%.40s'; use [partition], "
			     "[node NAME] or [vm NAME]",
			     type);
		if (hint && !strcmp(hint, "partition"))
			ps->partition_misspelt = true;
		goto skip;
	}
	if (kind == SEC_PARTITION) {
		begin_partition(ps, rest);
		return;
	}
	if (!*rest) {
		diag(ps, NULL,
		     "[%s] needs a name; write [%s NAME], e.g. [%s %s]", type,
		     type, type, kind == SEC_NODE ? "node1" : "guest1");
		goto skip;
	}
	if (strpbrk(rest, " \t")) {
		diag(ps, NULL,
		     "'[%s %.40s]': a name is one word; write [%s NAME]", type,
		     rest, type);
		goto skip;
	}
	if (mint_check_name(rest, mint_sec_word(kind), why, sizeof(why))) {
		diag(ps, NULL, "%s", why);
		goto skip;
	}
	if (kind == SEC_NODE)
		begin_node(ps, rest);
	else
		begin_vm(ps, rest);
	return;
skip:
	ps->sec.kind = SEC_SKIP;
}

static void unknown_key(struct parser *ps, const char *key)
{
	const char *cands[MINT_KEY_NR + 1], *hint;
	const struct key_desc *kd;
	enum sec_kind home;
	char list[256] = "";
	size_t i, n = 0;

	mint_key_names(ps->sec.kind, cands);
	hint = mint_suggest(key, cands);
	if (!hint)
		hint = mint_key_alias(key, ps->sec.kind);
	if (hint) {
		diag(ps, key, "unknown key; did you mean '%s'?", hint);
		/* The key is there, misspelt: do not also call it missing. */
		kd = mint_key_lookup(hint, ps->sec.kind);
		if (kd)
			ps->sec.keys->bad |= 1u << kd->key;
		return;
	}
	home = mint_key_home(key, ps->sec.kind);
	if (home != SEC_NONE) {
		diag(ps, key,
		     "this key belongs in [%s] sections, not in [%s]; move it",
		     mint_sec_word(home), mint_sec_word(ps->sec.kind));
		return;
	}
	for (i = 0; cands[i]; i++)
		n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%s",
				      i ? ", " : "", cands[i]);
	diag(ps, key, "unknown key; the keys of [%s] are: %s",
	     mint_sec_word(ps->sec.kind), list);
}

static bool valid_key(const char *key)
{
	const char *p;

	if (*key < 'a' || *key > 'z' || strlen(key) > 15)
		return false;
	for (p = key; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		      *p == '_'))
			return false;
	return true;
}

static void bad_key(struct parser *ps, const char *key)
{
	char lower[16];
	size_t i, n = strlen(key);

	if (n < sizeof(lower)) {
		for (i = 0; i <= n; i++)
			lower[i] = (char)tolower((unsigned char)key[i]);
		if (mint_key_lookup(lower, ps->sec.kind)) {
			diag(ps, NULL, "'%s': keys are lower-case; write '%s'",
			     key, lower);
			return;
		}
	}
	diag(ps, NULL,
	     "'%.40s' is not a key; keys are lower-case words such as 'cpus'",
	     key);
}

static void parse_pair(struct parser *ps, char *s)
{
	char why[MINT_LINE_MAX + 256], *eq, *key, *value;
	const struct key_desc *kd;
	struct mint_keyinfo *ki;
	int ret;

	eq = strchr(s, '=');
	if (ps->sec.kind == SEC_NONE) {
		if (eq) {
			*eq = '\0';
			diag(ps, NULL,
			     "'%.40s' is outside any section; put it under "
			     "[partition], [node NAME] or [vm NAME]",
			     trim(s));
		} else {
			diag(ps, NULL,
			     "'%.40s' is not a section header or a "
			     "'key = value' line; fix or remove it",
			     s);
		}
		return;
	}
	if (!eq) {
		diag(ps, NULL,
		     "'%.40s' is not a 'key = value' line; write key = value "
		     "or start a comment with '#'",
		     s);
		return;
	}
	*eq = '\0';
	key = trim(s);
	value = eq + 1;
	strip_comment(value);
	value = trim(value);
	if (!*key) {
		diag(ps, NULL, "'= %.40s' has no key; write key = value",
		     value);
		return;
	}
	if (!valid_key(key)) {
		bad_key(ps, key);
		return;
	}
	kd = mint_key_lookup(key, ps->sec.kind);
	if (!kd) {
		unknown_key(ps, key);
		return;
	}
	ki = ps->sec.keys;
	if (ki->line[kd->key] && !kd->repeat) {
		diag(ps, key, "given twice (first on line %u); keep one",
		     ki->line[kd->key]);
		return;
	}
	if (!ki->line[kd->key])
		ki->line[kd->key] = ps->sec.line;
	if (!*value) {
		diag(ps, key, "empty value; give a value or remove the line");
		ki->bad |= 1u << kd->key;
		return;
	}
	ret = kd->parse(&ps->sec, value, why, sizeof(why));
	if (ret == -ENOMEM) {
		ps->err = -ENOMEM;
	} else if (ret) {
		diag(ps, key, "%s", why);
		ki->bad |= 1u << kd->key;
	}
}

static void parse_line(struct parser *ps, char *s)
{
	s = trim(s);
	if (!*s || *s == '#')
		return;
	if (*s == '[') {
		strip_comment(s);
		parse_header(ps, trim(s));
		return;
	}
	if (ps->sec.kind == SEC_SKIP)
		return;
	parse_pair(ps, s);
}

int mint_config_parse(const char *buf, size_t len, struct mint_config *cfg,
		      struct mint_diags *d)
{
	size_t before = mint_diags_count(d), pos = 0, n;
	struct parser *ps;
	char *line;
	int ret;

	ret = mint_file_pass(buf, len, d);
	if (ret)
		return d->nomem ? -ENOMEM : ret;
	ps = calloc(1, sizeof(*ps));
	line = malloc(MINT_LINE_MAX + 1);
	if (!ps || !line) {
		free(ps);
		free(line);
		return -ENOMEM;
	}
	ps->cfg = cfg;
	ps->d = d;
	begin(ps, SEC_NONE, "");
	/* A UTF-8 byte order mark is not part of the first line. */
	if (len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3))
		pos = 3;
	while (pos < len && !ps->err) {
		const char *nl = memchr(buf + pos, '\n', len - pos);

		n = nl ? (size_t)(nl - (buf + pos)) : len - pos;
		memcpy(line, buf + pos, n);
		line[n] = '\0';
		ps->sec.line++;
		parse_line(ps, line);
		pos += n + 1;
	}
	if (!ps->err && !cfg->part.line && !ps->partition_misspelt)
		if (mint_diag_add(d, 0, MINT_SCOPE_FILE, NULL, NULL,
				  "no [partition] section; start the file "
				  "with '[partition]' and 'version = %d'",
				  MINT_CONFIG_VERSION))
			ps->err = -ENOMEM;
	/* a node without its own iommu key follows the partition's */
	for (n = 0; n < cfg->nr_nodes; n++)
		if (!cfg->nodes[n].keys.line[MINT_KEY_IOMMU])
			cfg->nodes[n].iommu_off = cfg->part.iommu_off;
	ret = ps->err;
	node_free(&ps->scratch_node);
	vm_free(&ps->scratch_vm);
	free(ps->scratch_part.authorized_keys);
	free(ps);
	free(line);
	if (ret || d->nomem)
		return -ENOMEM;
	return mint_diags_count(d) > before ? -EINVAL : 0;
}
