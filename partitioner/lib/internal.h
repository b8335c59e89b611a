/* SPDX-License-Identifier: GPL-2.0 */
/* libmint internals shared between the parse, value and validate passes. */
#ifndef MINT_INTERNAL_H
#define MINT_INTERNAL_H

#include "config.h"

#define WHY(...)                                            \
	do {                                                \
		if (why)                                    \
			snprintf(why, whylen, __VA_ARGS__); \
	} while (0)

enum sec_kind {
	SEC_NONE,
	SEC_PARTITION,
	SEC_NODE,
	SEC_VM,
	SEC_SKIP, /* after a broken header: ignore lines until the next */
};

#define SEC_BIT(kind) (1u << (kind))

/* Where the values of the section being parsed go. */
struct section {
	enum sec_kind kind;
	const char *name;
	struct mint_keyinfo *keys;
	struct mint_partition *part;
	struct mint_node *node;
	struct mint_vm *vm;
	unsigned int line; /* of the key being parsed */
};

struct key_desc {
	const char *name;
	enum mint_key key;
	unsigned int sections; /* SEC_BIT() mask */
	bool repeat;
	/* 0, -EINVAL/-ERANGE with @why filled, or -ENOMEM */
	int (*parse)(struct section *sec, const char *value, char *why,
		     size_t whylen);
};

/* The network keys' value parsers (netkeys.c). */
int mint_parse_link(struct section *sec, const char *value, char *why,
		    size_t whylen);
int mint_parse_address(struct section *sec, const char *value, char *why,
		       size_t whylen);
int mint_check_path_chars(const char *value, char *why, size_t whylen);
int mint_parse_authorized_keys(struct section *sec, const char *value,
			       char *why, size_t whylen);
int mint_parse_net(struct section *sec, const char *value, char *why,
		   size_t whylen);

/* The cross checks of the links and addresses (validate_net.c). */
void mint_validate_net(const struct mint_config *cfg, struct mint_diags *d);

/* The file pass (filepass.c): one fatal problem at most, since a file that
 * is not text is not a config. 0, or -EINVAL with the problem added to @d
 * (d->nomem when that failed). */
int mint_file_pass(const char *buf, size_t len, struct mint_diags *d);

/* NULL-terminated lists for "did you mean". */
extern const char *const mint_section_words[];

const struct key_desc *mint_key_lookup(const char *name, enum sec_kind kind);
/* Every key valid in @kind, NULL-terminated, into @out (MINT_KEY_NR + 1). */
void mint_key_names(enum sec_kind kind, const char **out);
/* A well-known other word for a key ("ram" for memory), or NULL. */
const char *mint_key_alias(const char *word, enum sec_kind kind);
/* The section kind a key belongs to when it is not valid in @kind. */
enum sec_kind mint_key_home(const char *name, enum sec_kind kind);
const char *mint_sec_word(enum sec_kind kind);

enum mint_scope mint_sec_scope(enum sec_kind kind);

/*
 * The checks against the machine that hold before the reboot into mint as
 * well: node CPUs and devices present, node RAM and low slices usable RAM
 * in the firmware memory map, node0's VMs fitting the CPUs it keeps. With
 * @need_reserved also that node RAM and low slices are reserved in
 * /proc/iomem (node0 booted with the config's bootargs).
 */
void mint_system_checks(const struct mint_config *cfg,
			const struct mint_sysinfo *si, bool need_reserved,
			struct mint_diags *d);

#endif /* MINT_INTERNAL_H */
