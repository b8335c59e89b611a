// SPDX-License-Identifier: GPL-2.0
/* check --preflight: the kinds of files, and the pass over made-up facts. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config.h"

/* A bzImage's setup header, as filekind.c reads it. */
static void bzimage(struct mint_file_info *fi, uint64_t size)
{
	unsigned char *h = fi->head;

	memset(fi, 0, sizeof(*fi));
	fi->looked = true;
	fi->mode = S_IFREG | 0644;
	fi->size = size;
	fi->head_len = sizeof(fi->head);
	h[0x1f1] = 1; /* setup: 1024 bytes */
	h[0x1f4] = 0x40; /* syssize: 0x40 * 16 = 1024 bytes of kernel */
	h[0x1fe] = 0x55;
	h[0x1ff] = 0xaa;
	memcpy(h + 0x202, "HdrS", 4);
	h[0x206] = 0x0f; /* 2.15 */
	h[0x207] = 0x02;
	h[0x211] = 0x01; /* LOADED_HIGH */
	h[0x234] = 1; /* relocatable */
	h[0x236] = 0x03; /* XLF_KERNEL_64 | XLF_CAN_BE_LOADED_ABOVE_4G */
}

static void head(struct mint_file_info *fi, const void *bytes, size_t len)
{
	memset(fi, 0, sizeof(*fi));
	fi->looked = true;
	fi->mode = S_IFREG | 0644;
	fi->size = len;
	memcpy(fi->head, bytes, len);
	fi->head_len = len;
}

enum edit {
	E_NONE,
	E_SMALL, /* the file is shorter than its header says */
	E_NOT64, /* no XLF_KERNEL_64 */
	E_FIXED, /* not relocatable */
	E_OLD, /* boot protocol 2.11 */
	E_NOMAGIC,
	E_ELF,
	E_DIR,
	E_ENOENT,
	E_GZIP,
	E_ZSTD,
	E_XZ,
	E_LZ4,
	E_CPIO,
	E_CPIO_ODC, /* the old cpio format Linux does not unpack */
	E_TEXT,
	E_BLOCK,
	E_CHAR,
	E_EMPTY,
};

static const struct {
	enum mint_file_kind kind;
	enum edit edit;
	const char *why; /* NULL: accepted; else the start of the error */
} file_cases[] = {
	{ MINT_FILE_NODE_KERNEL, E_NONE, NULL },
	{ MINT_FILE_VM_KERNEL, E_NONE, NULL },
	{ MINT_FILE_NODE_KERNEL, E_SMALL,
	  "has a setup header that does not "
	  "fit the file (1024 bytes of setup "
	  "and 1024 of kernel in 2047 bytes)" },
	{ MINT_FILE_NODE_KERNEL, E_NOT64, "is not a 64-bit kernel" },
	{ MINT_FILE_VM_KERNEL, E_NOT64, NULL }, /* QEMU boots it */
	{ MINT_FILE_NODE_KERNEL, E_FIXED, "is not relocatable" },
	{ MINT_FILE_VM_KERNEL, E_FIXED, NULL },
	{ MINT_FILE_VM_KERNEL, E_OLD, "speaks boot protocol 2.11, older" },
	{ MINT_FILE_NODE_KERNEL, E_NOMAGIC, "is not a bzImage: no \"HdrS\"" },
	{ MINT_FILE_VM_KERNEL, E_ELF, "is an ELF file" },
	{ MINT_FILE_NODE_KERNEL, E_DIR, "is a directory; give the path" },
	{ MINT_FILE_NODE_KERNEL, E_ENOENT,
	  "cannot be read: No such file or directory" },
	{ MINT_FILE_INITRD, E_GZIP, NULL },
	{ MINT_FILE_INITRD, E_ZSTD, NULL },
	{ MINT_FILE_INITRD, E_XZ, NULL },
	{ MINT_FILE_INITRD, E_LZ4, NULL },
	{ MINT_FILE_INITRD, E_CPIO, NULL },
	{ MINT_FILE_INITRD, E_CPIO_ODC, "is not an initramfs" },
	{ MINT_FILE_INITRD, E_TEXT, "is not an initramfs" },
	{ MINT_FILE_INITRD, E_EMPTY, "is not an initramfs" },
	{ MINT_FILE_INITRD, E_NONE, "is not an initramfs" },
	{ MINT_FILE_INITRD, E_BLOCK, "is a block device; give the path" },
	{ MINT_FILE_NODE_KERNEL, E_GZIP, "is not a bzImage" },
	{ MINT_FILE_DISK, E_BLOCK, NULL },
	{ MINT_FILE_DISK, E_EMPTY, NULL },
	{ MINT_FILE_DISK, E_TEXT, NULL },
	{ MINT_FILE_DISK, E_DIR, "is a directory, not a disk image" },
	{ MINT_FILE_DISK, E_CHAR, "is a character device, not a disk" },
	{ MINT_FILE_DISK, E_ENOENT, "cannot be read" },
};

START_TEST(tc_file_check)
{
	static struct mint_file_info fi;
	char why[512] = "";
	int ret;

	bzimage(&fi, 2048);
	switch (file_cases[_i].edit) {
	case E_NONE:
		break;
	case E_SMALL:
		fi.size = 2047;
		break;
	case E_NOT64:
		fi.head[0x236] = 0x02;
		break;
	case E_FIXED:
		fi.head[0x234] = 0;
		break;
	case E_OLD:
		fi.head[0x206] = 0x0b;
		break;
	case E_NOMAGIC:
		fi.head[0x205] = 'Z';
		break;
	case E_ELF:
		memcpy(fi.head, "\177ELF", 4);
		break;
	case E_DIR:
		fi.mode = S_IFDIR | 0755;
		break;
	case E_ENOENT:
		fi.err = -ENOENT;
		fi.mode = 0;
		break;
	case E_GZIP:
		head(&fi, "\x1f\x8b\x08\x00", 4);
		break;
	case E_ZSTD:
		head(&fi, "\x28\xb5\x2f\xfd\x00", 5);
		break;
	case E_XZ:
		head(&fi,
		     "\xfd"
		     "7zXZ\0\0",
		     7);
		break;
	case E_LZ4:
		head(&fi, "\x02\x21\x4c\x18\x00", 5);
		break;
	case E_CPIO:
		head(&fi, "07070100000000", 14);
		break;
	case E_CPIO_ODC:
		head(&fi, "07070700000000", 14);
		break;
	case E_TEXT:
		head(&fi, "hello\n", 6);
		break;
	case E_EMPTY:
		head(&fi, "", 0);
		break;
	case E_BLOCK:
		fi.mode = S_IFBLK | 0660;
		fi.head_len = 0;
		break;
	case E_CHAR:
		fi.mode = S_IFCHR | 0666;
		fi.head_len = 0;
		break;
	}
	ret = mint_file_check(file_cases[_i].kind, &fi, why, sizeof(why));
	if (!file_cases[_i].why) {
		ck_assert_msg(!ret, "refused: %s", why);
		return;
	}
	ck_assert_int_eq(ret, -EINVAL);
	ck_assert_msg(
		!strncmp(why, file_cases[_i].why, strlen(file_cases[_i].why)),
		"'%s' does not start with '%s'", why, file_cases[_i].why);
	ck_assert_msg(strchr(why, ';'), "'%s' has no hint", why);
}
END_TEST

static void format(struct mint_diags *d, struct mint_buf *out)
{
	size_t i;

	mint_buf_init(out);
	mint_buf_puts(out, "");
	mint_diags_sort(d);
	for (i = 0; i < d->nr; i++) {
		mint_diag_format(&d->v[i], "t", out);
		mint_buf_puts(out, "\n");
	}
}

/*
 * The pass over made-up facts: RAM usable, node1's kernel missing, CPU 3
 * offline already, an IOMMU present (so no warning), node0's VM on a disk
 * that is a block device, node1's VM noted.
 */
START_TEST(tc_preflight)
{
	static const char conf[] = "[partition]\nversion = 1\n"
				   "[node n1]\ncpus = 2-3\n"
				   "memory = 512M@0x28000000\n"
				   "devices = 00:03.0\nkernel = /k\n"
				   "[vm a]\nnode = node0\nkernel = /k\n"
				   "disk = /dev/sdb\n"
				   "[vm b]\nnode = n1\nkernel = /k\n";
	struct mint_diags errors, warnings, notes;
	static struct mint_files files;
	struct mint_sysinfo si;
	struct mint_config cfg;
	struct mint_buf out;

	mint_sysinfo_init(&si);
	mint_sysinfo_add_fwmap(&si, "0x0", "0x9fbff", "System RAM", NULL, 0);
	mint_sysinfo_add_fwmap(&si, "0x100000", "0x7ffdffff", "System RAM",
			       NULL, 0);
	mint_sysinfo_add_pci(&si, "0000:00:03.0");
	si.cpus_present = 0xf;
	si.cpus_online = 0x7;
	si.iommu = true;
	mint_diags_init(&errors);
	mint_diags_init(&warnings);
	mint_diags_init(&notes);
	mint_config_init(&cfg);
	ck_assert_int_eq(mint_config_load(conf, strlen(conf), &cfg, &errors),
			 0);
	memset(&files, 0, sizeof(files));
	files.node_kernel[0].looked = true;
	files.node_kernel[0].err = -ENOENT;
	bzimage(&files.vm_kernel[0], 4096);
	files.vm_disk[0].looked = true;
	files.vm_disk[0].mode = S_IFBLK | 0660;
	ck_assert_int_eq(mint_config_preflight(&cfg, &si, &files, &errors,
					       &warnings, &notes),
			 -EINVAL);
	format(&errors, &out);
	ck_assert_str_eq(out.data,
			 "t:7: node 'n1': kernel: /k cannot be read: No such "
			 "file or directory; check the path (in node0's "
			 "filesystem)\n");
	mint_buf_free(&out);
	ck_assert_uint_eq(warnings.nr, 0);
	format(&notes, &out);
	ck_assert_str_eq(
		out.data,
		"t:3: node 'n1': its RAM (512M@0x28000000) and low-memory "
		"slice 0x20000-0x2ffff are not reserved in this kernel; node0 "
		"holds them back once it boots with this file's 'mintctl "
		"bootargs'\n"
		"t:4: node 'n1': cpus: CPU 2 is online in this kernel, and in "
		"node0 after the reboot until 'mintctl start n1' takes it "
		"offline for the node\n"
		"t:12: vm 'b': its kernel is a path in the filesystem of node "
		"'n1', which this kernel cannot see: not checked here\n");
	mint_buf_free(&out);

	/* no IOMMU: an error for the node that takes a device (node0's
	 * kernel would refuse to give it away)... */
	si.iommu = false;
	files.node_kernel[0].err = 0;
	bzimage(&files.node_kernel[0], 4096);
	mint_diags_free(&errors);
	mint_diags_free(&notes);
	ck_assert_int_eq(mint_config_preflight(&cfg, &si, &files, &errors,
					       &warnings, &notes),
			 -EINVAL);
	ck_assert_uint_eq(warnings.nr, 0);
	format(&errors, &out);
	ck_assert_msg(!strncmp(out.data,
			       "t:6: node 'n1': devices: this machine shows "
			       "no IOMMU (/sys/class/iommu is empty)",
			       70),
		      "%s", out.data);
	ck_assert_ptr_nonnull(strstr(out.data, "or write iommu = off"));
	mint_buf_free(&out);

	/* ... and with iommu = off only a warning that they are unconfined */
	cfg.nodes[0].iommu_off = true;
	mint_diags_free(&errors);
	mint_diags_free(&notes);
	ck_assert_int_eq(mint_config_preflight(&cfg, &si, &files, &errors,
					       &warnings, &notes),
			 0);
	ck_assert_uint_eq(errors.nr, 0);
	format(&warnings, &out);
	ck_assert_str_eq(out.data,
			 "t:6: node 'n1': devices: iommu = off: the node's "
			 "devices are given away unconfined, and their DMA "
			 "can reach any memory of the machine\n");
	mint_buf_free(&out);
	mint_diags_free(&errors);
	mint_diags_free(&warnings);
	mint_diags_free(&notes);
	mint_config_free(&cfg);
	mint_sysinfo_free(&si);
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

int main(void)
{
	Suite *s = suite_create("preflight");
	TCase *tc = tcase_create("preflight");
	SRunner *sr;
	int nf;

	tcase_add_loop_test(tc, tc_file_check, 0, N(file_cases));
	tcase_add_test(tc, tc_preflight);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf ? EXIT_FAILURE : EXIT_SUCCESS;
}
