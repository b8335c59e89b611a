// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the config parser. Any input: parse, validate,
 * print everything. A valid input must also survive the round trip
 * show -> parse -> show unchanged, read back as the same config (the same
 * JSON), and validate against a fixed machine.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

/* show's text must read back as the same config: the same JSON as the
 * original, and the same text again. */
static void roundtrip(const struct mint_config *cfg)
{
	struct mint_buf one, two, json1, json2;
	struct mint_config again;
	struct mint_diags d;

	mint_buf_init(&one);
	mint_buf_init(&two);
	mint_buf_init(&json1);
	mint_buf_init(&json2);
	mint_diags_init(&d);
	mint_config_init(&again);
	mint_config_format(cfg, NULL, &one);
	if (mint_config_load(one.data, one.len, &again, &d)) {
		fprintf(stderr, "show output does not load:\n%s\n", one.data);
		abort();
	}
	mint_config_json(cfg, NULL, &json1);
	mint_config_json(&again, NULL, &json2);
	if (strcmp(json1.data, json2.data)) {
		fprintf(stderr,
			"show output reads back as another config:\n%s\n---\n"
			"%s\n",
			json1.data, json2.data);
		abort();
	}
	mint_config_format(&again, NULL, &two);
	if (strcmp(one.data, two.data)) {
		fprintf(stderr, "round trip differs:\n%s\n---\n%s\n", one.data,
			two.data);
		abort();
	}
	mint_config_free(&again);
	mint_diags_free(&d);
	mint_buf_free(&one);
	mint_buf_free(&two);
	mint_buf_free(&json1);
	mint_buf_free(&json2);
}

/* The bytes as the three files of a firmware memory map entry (split at
 * the first two NULs), and the map they make asked about a range. */
static void fuzz_fwmap(struct mint_sysinfo *si, const uint8_t *data,
		       size_t size)
{
	char *text = malloc(size + 3), *f[3];
	struct mint_buf what;
	size_t i, n = 0;

	if (!text)
		return;
	memcpy(text, data, size);
	memset(text + size, 0, 3);
	f[0] = text;
	for (i = 0; i < size + 2 && n < 2; i++)
		if (!text[i])
			f[++n] = text + i + 1;
	while (n < 2)
		f[++n] = text + size + 2;
	mint_sysinfo_add_fwmap(si, f[0], f[1], f[2], NULL, 0);
	mint_sysinfo_add_fwmap(si, "0x0", "0x9fbff", f[2], NULL, 0);
	mint_buf_init(&what);
	mint_fwmap_usable(si, 0x10000, 0x10000, &what);
	mint_fwmap_usable(si, 0x0, UINT64_MAX, &what);
	mint_buf_free(&what);
	free(text);
}

/* The pre-flight pass, with every file of the config a fake bzImage. */
static void fuzz_preflight(const struct mint_config *cfg,
			   const struct mint_sysinfo *si)
{
	struct mint_diags errors, warnings, notes;
	struct mint_files *files = calloc(1, sizeof(*files));
	unsigned int i;

	if (!files)
		return;
	for (i = 0; i < MINT_MAX_NODES; i++)
		files->node_kernel[i].looked = true;
	for (i = 0; i < MINT_MAX_VMS; i++)
		files->vm_disk[i].err = -ENOENT;
	mint_diags_init(&errors);
	mint_diags_init(&warnings);
	mint_diags_init(&notes);
	mint_config_preflight(cfg, si, files, &errors, &warnings, &notes);
	mint_diags_free(&errors);
	mint_diags_free(&warnings);
	mint_diags_free(&notes);
	free(files);
}

/* The bytes as the start of a file of each kind. */
static void fuzz_files(const uint8_t *data, size_t size)
{
	static const enum mint_file_kind kinds[] = { MINT_FILE_NODE_KERNEL,
						     MINT_FILE_VM_KERNEL,
						     MINT_FILE_INITRD,
						     MINT_FILE_DISK };
	struct mint_file_info fi;
	char why[512];
	size_t i;

	memset(&fi, 0, sizeof(fi));
	fi.looked = true;
	fi.mode = 0100644;
	fi.head_len = size < sizeof(fi.head) ? size : sizeof(fi.head);
	memcpy(fi.head, data, fi.head_len);
	fi.size = size ? data[0] * (uint64_t)size : 0;
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		mint_file_check(kinds[i], &fi, why, sizeof(why));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char iomem[] = "00010000-0003ffff : Reserved\n"
				    "04000000-7fffffff : Reserved\n";
	struct mint_sysinfo si;
	struct mint_config cfg;
	struct mint_diags d;
	struct mint_buf out;
	int ret;

	mint_diags_init(&d);
	mint_config_init(&cfg);
	mint_buf_init(&out);
	ret = mint_config_load((const char *)data, size, &cfg, &d);
	mint_diags_sort(&d);
	for (size_t i = 0; i < d.nr; i++)
		mint_diag_format(&d.v[i], "fuzz.conf", &out);
	if (ret == 0) {
		if (d.nr) {
			fprintf(stderr, "valid, yet %zu errors\n", d.nr);
			abort();
		}
		mint_bootargs(&cfg, MINT_BOOTARGS_SHELL, &out);
		mint_config_json(&cfg, NULL, &out);
		mint_config_json(&cfg, "node0", &out);
		roundtrip(&cfg);
		mint_sysinfo_init(&si);
		mint_sysinfo_parse_iomem(iomem, sizeof(iomem) - 1, &si, NULL,
					 0);
		mint_sysinfo_add_fwmap(&si, "0x0", "0x9fbff", "System RAM",
				       NULL, 0);
		mint_sysinfo_add_fwmap(&si, "0x100000", "0x7ffdffff",
				       "System RAM", NULL, 0);
		mint_sysinfo_add_fwmap(&si, "0xb0000000", "0xbfffffff",
				       "Reserved", NULL, 0);
		mint_sysinfo_add_fwmap(&si, "0x100000000", "0x17fffffff",
				       "System RAM", NULL, 0);
		si.cpus_present = 0xff;
		si.cpus_online = 0x0f;
		mint_config_validate_system(&cfg, &si, &d);
		fuzz_preflight(&cfg, &si);
		mint_sysinfo_free(&si);
	} else if (ret == -EINVAL && !mint_diags_count(&d)) {
		fprintf(stderr, "invalid without an error\n");
		abort();
	}
	/* The sysinfo parsers see the same bytes. */
	mint_sysinfo_init(&si);
	mint_sysinfo_parse_iomem((const char *)data, size, &si, NULL, 0);
	mint_sysinfo_parse_present((const char *)data, size, &si, NULL, 0);
	fuzz_fwmap(&si, data, size);
	fuzz_files(data, size);
	mint_sysinfo_free(&si);
	mint_buf_free(&out);
	mint_diags_free(&d);
	mint_config_free(&cfg);
	return 0;
}
