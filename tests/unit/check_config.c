// SPDX-License-Identifier: GPL-2.0
/* The parse and validate passes: values in structs, every error's text. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

#define HDR "[partition]\nversion = 1\n"
#define NODE1 "[node n1]\ncpus = 2\nmemory = 640M@0x28000000\nkernel = /k\n"

/* Load @text; return every error, formatted and joined with '\n'. */
static char *load(const char *text, size_t len, struct mint_config *cfg,
		  int *ret)
{
	struct mint_diags d;
	struct mint_buf all;
	size_t i;

	mint_diags_init(&d);
	mint_buf_init(&all);
	mint_config_init(cfg);
	*ret = mint_config_load(text, len, cfg, &d);
	mint_diags_sort(&d);
	for (i = 0; i < d.nr; i++) {
		mint_diag_format(&d.v[i], "t.conf", &all);
		mint_buf_puts(&all, "\n");
	}
	mint_buf_puts(&all, "");
	mint_diags_free(&d);
	return all.data;
}

static const struct {
	const char *text;
	const char *errors; /* exact, "" for a valid config */
} cases[] = {
	{ HDR, "" },
	{ HDR NODE1, "" },
	{ "", "t.conf: the file is empty; a config needs at least "
	      "'[partition]' and 'version = 1'\n" },
	{ "# only a comment\n", "t.conf: no [partition] section; start the "
				"file with '[partition]' and 'version = 1'\n" },
	{ HDR "[node n1]\ncpus = 0-2\nmemory = 640M@0x28000000\nkernel = /k\n",
	  "t.conf:4: node 'n1': cpus: CPU 0 always stays with node0; give the "
	  "node other CPUs\n" },
	{ HDR "[node n1]\ncpu = 2\nmemory = 640M@0x28000000\nkernel = /k\n",
	  "t.conf:4: node 'n1': cpu: unknown key; did you mean 'cpus'?\n" },
	{ HDR "[nodes n1]\n",
	  "t.conf:3: unknown section type 'nodes'; did you mean 'node'?\n" },
	{ HDR NODE1 "cpus = 3\n",
	  "t.conf:7: node 'n1': cpus: given twice (first on line 4); keep "
	  "one\n" },
	{ "[partition]\n", "t.conf:1: partition: version: missing; add "
			   "'version = 1'\n" },
	{ "[partition]\nversion = 0x1\n", "" },
	{ "[partition]\nversion = 18446744073709551617\n",
	  "t.conf:2: partition: version: '18446744073709551617' is not a "
	  "version number; write version = 1\n" },
	{ HDR NODE1 "[node n2]\ncpus = 2\nmemory = 640M@0x50000000\n"
		    "kernel = /k\n",
	  "t.conf:8: node 'n2': cpus: CPU 2 is already given to node 'n1' "
	  "(line 4); give each CPU to one node\n" },
	{ HDR NODE1 "[node n2]\ncpus = 3\nmemory = 256M@0x40000000\n"
		    "kernel = /k\n",
	  "t.conf:9: node 'n2': memory: 256M@0x40000000 overlaps "
	  "640M@0x28000000 of node 'n1' (line 5); give each node its own "
	  "RAM\n" },
	/* Adjacent ranges touch but do not overlap. */
	{ HDR NODE1 "[node n2]\ncpus = 3\nmemory = 256M@0x50000000\n"
		    "kernel = /k\n",
	  "" },
	{ HDR NODE1 "memory = 2M@0x60000000\n",
	  "t.conf:7: node 'n1': memory: size 2M is too small; each range "
	  "must be at least 16M\n" },
	{ HDR "[node n1]\ncpus = 2\nmemory = 254M@0x28000000\nkernel = /k\n",
	  "t.conf:5: node 'n1': memory: 254M in all is too little; a node "
	  "needs at least 256M\n" },
	{ HDR "[node n1]\ncpus = 2\nmemory = 258M@0xffffffff0000000\n"
	      "kernel = /k\n",
	  "t.conf:5: node 'n1': memory: '258M@0xffffffff0000000' reaches "
	  "beyond 4 PiB (0x10000000000000), the widest physical address of "
	  "x86-64; check the address\n" },
	/* Across and above 4 GiB (64-bit entry): allowed. */
	{ HDR "[node n1]\ncpus = 2\nmemory = 258M@0xf0000000\nkernel = /k\n",
	  "" },
	{ HDR "[node n1]\ncpus = 2\nmemory = 2G@0x180000000\nkernel = /k\n",
	  "" },
	{ HDR NODE1 "console = com2\n[node n2]\ncpus = 3\n"
		    "memory = 640M@0x50000000\nkernel = /k\nconsole = COM2\n",
	  "t.conf:12: node 'n2': console: com2 is already the console of node "
	  "'n1' (line 7); use another UART or shm\n" },
	/* Two nodes may both use the ring. */
	{ HDR NODE1 "console = shm\n[node n2]\ncpus = 3\n"
		    "memory = 640M@0x50000000\nkernel = /k\n",
	  "" },
	{ HDR NODE1 "[vm g]\nnode = n1\nvcpus = 2\nkernel = /k\n",
	  "t.conf:9: vm 'g': vcpus: 2 vCPUs do not fit node 'n1', which has 1 "
	  "CPU; lower vcpus or give the node more CPUs\n" },
	/* 512M + 128M for the node itself fills 640M exactly. */
	{ HDR NODE1 "[vm g]\nnode = n1\nmemory = 512M\nkernel = /k\n", "" },
	{ HDR NODE1 "[vm g]\nnode = n1\nmemory = 514M\nkernel = /k\n",
	  "t.conf:9: vm 'g': memory: does not fit node 'n1': it has 640M, its "
	  "VMs need 514M with this one, and the node keeps 128M for itself; "
	  "lower memory or give the node more RAM\n" },
	{ HDR "[vm g]\nnode = node0\nkernel = /k\nvcpus = 64\nmemory = 64G\n",
	  "" },
	{ HDR "[vm g]\nnode = n7\nkernel = /k\n",
	  "t.conf:4: vm 'g': node: no node 'n7' in this file; use one of: "
	  "node0\n" },
	{ "x\n" HDR "[node n1]\n",
	  "t.conf:1: 'x' is not a section header or a 'key = value' line; fix "
	  "or remove it\n"
	  "t.conf:4: node 'n1': cpus: missing; give the node its CPUs, e.g. "
	  "'cpus = 2-3'\n"
	  "t.conf:4: node 'n1': memory: missing; give the node RAM held back "
	  "from node0, e.g. 'memory = 640M@0x28000000'\n"
	  "t.conf:4: node 'n1': kernel: missing; give the node's bzImage, "
	  "e.g. 'kernel = /boot/mint/bzImage'\n" },
	/* Lines after a broken header are skipped, not reported again. */
	{ HDR "[node N1]\nbogus = 1\ncpus = 0\n",
	  "t.conf:3: 'N1' is not a valid node name; use 1 to 31 characters: a "
	  "lower-case letter, then lower-case letters, digits, '_' or '-'\n" },
	{ HDR "[node n1]\ncpus = 2 # the second CPU\nmemory = 640M@0x28000000 "
	      "# RAM\nkernel = /k#1\n",
	  "" },
	{ "[partition]\r\nversion = 1\r\n", "" },
	{ HDR "name = a\tb\n", "t.conf:3: partition: name: 'a\tb' is not a "
			       "valid partition name; use 1 to 31 "
			       "characters: a lower-case letter, then "
			       "lower-case letters, digits, '_' or '-'\n" },
	{ HDR "[vm g]\nnode = node0\nkernel = /k\nrestart = sometimes\n",
	  "t.conf:6: vm 'g': restart: 'sometimes' is not a restart policy; use "
	  "no, on-failure or always\n" },
};

START_TEST(tc_errors)
{
	struct mint_config cfg;
	int ret;
	char *got = load(cases[_i].text, strlen(cases[_i].text), &cfg, &ret);

	ck_assert_str_eq(got, cases[_i].errors);
	ck_assert_int_eq(ret, *cases[_i].errors ? -EINVAL : 0);
	free(got);
	mint_config_free(&cfg);
}
END_TEST

static const char demo[] =
	HDR "name = demo\n"
	    "[node node1]\ncpus = 2\nmemory = 640M@0x28000000\nconsole = com2\n"
	    "kernel = /boot/mint/bzImage\ninitrd = /boot/mint/node.cpio.gz\n"
	    "autostart = yes\ndevices = 00:03.0\n"
	    "[node node2]\ncpus = 3-4\nmemory = 320M@0x50000000\n"
	    "memory = 320M@0x64000000\nkernel = /b\ncmdline = quiet a=b\n"
	    "[vm guest0]\nnode = node0\nkernel = /v\n"
	    "[vm guest2]\nnode = node2\nvcpus = 2\nmemory = 512M\nkernel = /v\n"
	    "restart = on-failure\nautostart = 1\ncpu_model = host\n";

START_TEST(tc_values)
{
	struct mint_config cfg;
	int ret;
	char *got = load(demo, sizeof(demo) - 1, &cfg, &ret);
	const struct mint_node *n1 = &cfg.nodes[0], *n2 = &cfg.nodes[1];

	ck_assert_str_eq(got, "");
	ck_assert_str_eq(cfg.part.name, "demo");
	ck_assert_uint_eq(cfg.part.version, 1);
	ck_assert_uint_eq(cfg.nr_nodes, 2);
	ck_assert_str_eq(n1->name, "node1");
	ck_assert_uint_eq(n1->index, 1);
	ck_assert_uint_eq(n1->cpus, 1ULL << 2);
	ck_assert_uint_eq(n1->nr_mem, 1);
	ck_assert_uint_eq(n1->mem[0].base, 0x28000000);
	ck_assert_uint_eq(n1->mem[0].size, 640 * MINT_MIB);
	ck_assert_uint_eq(n1->mem[0].line, 6);
	ck_assert_int_eq(n1->console, MINT_CONSOLE_COM2);
	ck_assert_uint_eq(mint_console_port(n1->console), 0x2f8);
	ck_assert_str_eq(n1->kernel, "/boot/mint/bzImage");
	ck_assert_ptr_null(n1->cmdline);
	ck_assert(n1->autostart);
	ck_assert_uint_eq(n1->nr_devices, 1);
	ck_assert_uint_eq(n1->devices[0].dev, 3);
	ck_assert_uint_eq(n2->cpus, 0x18);
	ck_assert_uint_eq(mint_node_ram(n2), 640 * MINT_MIB);
	ck_assert_int_eq(n2->console, MINT_CONSOLE_SHM);
	ck_assert(!n2->autostart);
	ck_assert_str_eq(n2->cmdline, "quiet a=b");
	ck_assert_uint_eq(n2->keys.line[MINT_KEY_CPUS], 13);
	ck_assert_uint_eq(cfg.nr_vms, 2);
	ck_assert_int_eq(cfg.vms[0].node_index, 0);
	ck_assert_uint_eq(cfg.vms[0].vcpus, 1);
	ck_assert_uint_eq(cfg.vms[0].memory, 256 * MINT_MIB);
	ck_assert_int_eq(cfg.vms[0].restart, MINT_RESTART_NO);
	ck_assert_int_eq(cfg.vms[1].node_index, 2);
	ck_assert_uint_eq(cfg.vms[1].vcpus, 2);
	ck_assert_int_eq(cfg.vms[1].restart, MINT_RESTART_ON_FAILURE);
	ck_assert(cfg.vms[1].autostart);
	ck_assert_ptr_null(cfg.vms[0].cpu_model);
	ck_assert_str_eq(cfg.vms[1].cpu_model, "host");
	ck_assert_int_eq(mint_config_find_node(&cfg, "node2"), 2);
	ck_assert_int_eq(mint_config_find_node(&cfg, "node0"), 0);
	ck_assert_int_eq(mint_config_find_node(&cfg, "node3"), -1);
	free(got);
	mint_config_free(&cfg);
}
END_TEST

/* The VM lines a kernel's supervisor evals: node0 avoids CPU 0 and the
 * nodes' CPUs (2 and 3-4 in demo), a node's VMs avoid nothing. */
START_TEST(tc_vms_shell)
{
	struct mint_config cfg;
	struct mint_buf out;
	int ret;
	char *got = load(demo, sizeof(demo) - 1, &cfg, &ret);

	ck_assert_str_eq(got, "");
	mint_buf_init(&out);
	ck_assert_int_eq(mint_config_vms_shell(&cfg, "node0", &out), 0);
	ck_assert_str_eq(out.data,
			 "name='guest0' vcpus=1 memory=256M kernel='/v' "
			 "initrd='' disk='' cpu_model='' cmdline='' "
			 "autostart=0 restart='no' avoid_cpus='0,2-4' "
			 "net='none' address=''\n");
	mint_buf_free(&out);
	mint_buf_init(&out);
	ck_assert_int_eq(mint_config_vms_shell(&cfg, "node2", &out), 0);
	ck_assert_str_eq(out.data,
			 "name='guest2' vcpus=2 memory=512M kernel='/v' "
			 "initrd='' disk='' cpu_model='host' cmdline='' "
			 "autostart=1 restart='on-failure' avoid_cpus='' "
			 "net='none' address=''\n");
	mint_buf_free(&out);
	mint_buf_init(&out);
	ck_assert_int_eq(mint_config_vms_shell(&cfg, "node1", &out), 0);
	ck_assert_ptr_null(out.data);
	ck_assert_int_eq(mint_config_vms_shell(&cfg, "node9", &out), -ENOENT);
	mint_buf_free(&out);
	free(got);
	mint_config_free(&cfg);
}
END_TEST

/* The low-memory layout the node loader relies on. */
START_TEST(tc_low_memory)
{
	ck_assert_uint_eq(mint_node_low_slice(1), 0x20000);
	ck_assert_uint_eq(mint_node_low_slice(7), 0x80000);
	ck_assert_uint_eq(mint_low_reservation_size(2), 0x30000);
	ck_assert_uint_le(MINT_LOW_BASE +
				  mint_low_reservation_size(MINT_MAX_NODES),
			  0x90000);
}
END_TEST

/* Errors are capped in memory but all counted. */
START_TEST(tc_many_errors)
{
	struct mint_config cfg;
	struct mint_diags d;
	struct mint_buf text;
	int i;

	mint_buf_init(&text);
	mint_buf_puts(&text, HDR);
	for (i = 0; i < 3000; i++)
		mint_buf_puts(&text, "junk\n");
	mint_diags_init(&d);
	mint_config_init(&cfg);
	ck_assert_int_eq(mint_config_load(text.data, text.len, &cfg, &d),
			 -EINVAL);
	ck_assert_uint_eq(d.nr, MINT_DIAG_STORE_MAX);
	ck_assert_uint_eq(mint_diags_count(&d), 3000);
	mint_diags_free(&d);
	mint_config_free(&cfg);
	mint_buf_free(&text);
}
END_TEST

static const struct {
	const char *word;
	const char *want;
} suggest_cases[] = {
	{ "cpu", "cpus" },
	{ "memroy", "memory" },
	{ "CPUS", "cpus" },
	{ "kernal", "kernel" },
	{ "zzz", NULL },
	{ "x", NULL },
	{ "autostrat", "autostart" },
};

START_TEST(tc_suggest)
{
	static const char *const keys[] = { "cpus",   "memory",	   "kernel",
					    "initrd", "autostart", NULL };
	const char *got = mint_suggest(suggest_cases[_i].word, keys);

	if (suggest_cases[_i].want)
		ck_assert_str_eq(got ? got : "(null)", suggest_cases[_i].want);
	else
		ck_assert_ptr_null(got);
}
END_TEST

START_TEST(tc_diag_format_sort)
{
	struct mint_diags d;
	struct mint_buf b;

	mint_diags_init(&d);
	mint_diag_add(&d, 9, MINT_SCOPE_VM, "g", "node", "b; c");
	mint_diag_add(&d, 2, MINT_SCOPE_PARTITION, NULL, "version", "x; y");
	mint_diag_add(&d, 9, MINT_SCOPE_FILE, NULL, NULL, "second on 9");
	mint_diag_add(&d, 0, MINT_SCOPE_FILE, NULL, NULL, "whole file");
	mint_diags_sort(&d);
	mint_buf_init(&b);
	for (size_t i = 0; i < d.nr; i++) {
		mint_diag_format(&d.v[i], "f", &b);
		mint_buf_puts(&b, "\n");
	}
	ck_assert_str_eq(b.data, "f: whole file\n"
				 "f:2: partition: version: x; y\n"
				 "f:9: vm 'g': node: b; c\n"
				 "f:9: second on 9\n");
	mint_buf_free(&b);
	mint_diags_free(&d);
}
END_TEST

/* The file pass: strict UTF-8, control characters, line length. The bytes
 * go into a comment on line 3 at column 3; "" when they are text. */
static const struct {
	const char *bytes;
	const char *want;
} text_cases[] = {
	{ "\xc2\x80", "" },
	{ "\xc1\xbf",
	  "byte 0xc1 at column 3 is not UTF-8 text; save the file as "
	  "UTF-8 or plain ASCII" },
	{ "\xe0\xa0\x80", "" },
	{ "\xe0\x9f\xbf", "byte 0xe0 at column 3 is not UTF-8 text; save the "
			  "file as UTF-8 or plain ASCII" },
	{ "\xed\x9f\xbf", "" }, /* U+D7FF */
	{ "\xed\xa0\x80", "byte 0xed at column 3 is not UTF-8 text; save the "
			  "file as UTF-8 or plain ASCII" }, /* a surrogate */
	{ "\xf0\x90\x80\x80", "" },
	{ "\xf0\x8f\xbf\xbf", "byte 0xf0 at column 3 is not UTF-8 text; save "
			      "the file as UTF-8 or plain ASCII" },
	{ "\xf4\x8f\xbf\xbf", "" }, /* U+10FFFF */
	{ "\xf4\x90\x80\x80", "byte 0xf4 at column 3 is not UTF-8 text; save "
			      "the file as UTF-8 or plain ASCII" },
	{ "\xe2\x82",
	  "byte 0xe2 at column 3 is not UTF-8 text; save the file "
	  "as UTF-8 or plain ASCII" }, /* cut short by the newline */
	{ "a\tb\r", "" }, /* CR LF */
	{ "a\rb", "control character 0x0d at column 4; a config is plain "
		  "text, remove it" },
	{ "\x7f", "control character 0x7f at column 3; a config is plain text, "
		  "remove it" },
};

START_TEST(tc_file_pass)
{
	struct mint_config cfg;
	struct mint_diags d;
	struct mint_buf text;
	int ret;

	mint_buf_init(&text);
	mint_buf_printf(&text, HDR "# %s\n", text_cases[_i].bytes);
	mint_diags_init(&d);
	mint_config_init(&cfg);
	ret = mint_config_parse(text.data, text.len, &cfg, &d);
	if (*text_cases[_i].want) {
		ck_assert_int_eq(ret, -EINVAL);
		ck_assert_uint_eq(d.nr, 1);
		ck_assert_uint_eq(d.v[0].line, 3);
		ck_assert_str_eq(d.v[0].text, text_cases[_i].want);
	} else {
		ck_assert_int_eq(ret, 0);
	}
	mint_diags_free(&d);
	mint_config_free(&cfg);
	mint_buf_free(&text);
}
END_TEST

/* A line may be MINT_LINE_MAX bytes long, not one more. */
START_TEST(tc_file_pass_line_max)
{
	struct mint_config cfg;
	struct mint_diags d;
	struct mint_buf text;
	int i;

	for (i = 0; i < 2; i++) {
		mint_buf_init(&text);
		mint_buf_printf(&text, HDR "#%*s\n", MINT_LINE_MAX - 1 + i, "");
		mint_diags_init(&d);
		mint_config_init(&cfg);
		ck_assert_int_eq(
			mint_config_parse(text.data, text.len, &cfg, &d),
			i ? -EINVAL : 0);
		if (i)
			ck_assert_str_eq(d.v[0].text,
					 "the line is 4097 bytes long, more "
					 "than the 4096-byte limit; is this "
					 "the partition config?");
		mint_diags_free(&d);
		mint_config_free(&cfg);
		mint_buf_free(&text);
	}
}
END_TEST

/* Each key's word, from the one key table. */
START_TEST(tc_key_names)
{
	static const char *const want[MINT_KEY_NR] = {
		[MINT_KEY_VERSION] = "version",
		[MINT_KEY_NAME] = "name",
		[MINT_KEY_CPUS] = "cpus",
		[MINT_KEY_MEMORY] = "memory",
		[MINT_KEY_DEVICES] = "devices",
		[MINT_KEY_KERNEL] = "kernel",
		[MINT_KEY_INITRD] = "initrd",
		[MINT_KEY_CMDLINE] = "cmdline",
		[MINT_KEY_CONSOLE] = "console",
		[MINT_KEY_AUTOSTART] = "autostart",
		[MINT_KEY_NODE] = "node",
		[MINT_KEY_VCPUS] = "vcpus",
		[MINT_KEY_DISK] = "disk",
		[MINT_KEY_RESTART] = "restart",
		[MINT_KEY_CPU_MODEL] = "cpu_model",
		[MINT_KEY_IOMMU] = "iommu",
		[MINT_KEY_LINK] = "link",
		[MINT_KEY_ADDRESS] = "address",
		[MINT_KEY_AUTHORIZED_KEYS] = "authorized_keys",
		[MINT_KEY_NET] = "net",
	};

	for (int k = 0; k < MINT_KEY_NR; k++)
		ck_assert_str_eq(mint_key_name((enum mint_key)k), want[k]);
	ck_assert_str_eq(mint_key_name(MINT_KEY_NR), "?");
	ck_assert_str_eq(mint_key_name((enum mint_key) - 1), "?");
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

int main(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("config");
	SRunner *sr;
	int nf;

	tcase_add_loop_test(tc, tc_errors, 0, N(cases));
	tcase_add_test(tc, tc_values);
	tcase_add_test(tc, tc_vms_shell);
	tcase_add_test(tc, tc_low_memory);
	tcase_add_test(tc, tc_many_errors);
	tcase_add_loop_test(tc, tc_suggest, 0, N(suggest_cases));
	tcase_add_test(tc, tc_diag_format_sort);
	tcase_add_test(tc, tc_key_names);
	tcase_add_loop_test(tc, tc_file_pass, 0, N(text_cases));
	tcase_add_test(tc, tc_file_pass_line_max);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf ? EXIT_FAILURE : EXIT_SUCCESS;
}
