#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# docs/sysfs-abi.md describes every file mint's kernel code creates: each
# sysfs attribute (__ATTR_RO/RW/WO, [ADMIN_]BIN_ATTR_*, __BIN_ATTR) and each
# debugfs file (debugfs_create_*("name", ...)) in the patched tree's mint
# sources must appear in the document as a path component ("/name") or a
# quoted name (`name`). The self-test adds an attribute the document does
# not know to a copy of one source and requires the check to name it.
#   sysfs-doc-check.sh KSRC DOC WORKDIR
set -u
ksrc=$1
doc=$2
work=$3
rm -rf "$work"
mkdir -p "$work"
name=kernel/sysfs-doc

sources() {
	ls "$1"/arch/x86/kernel/mint*.c "$1"/arch/x86/kernel/apic/stale_isr.c \
		"$1"/drivers/net/mint_link/*.c 2>/dev/null
}

# names FILE...: the sysfs and debugfs file names the sources create
names() {
	grep -hoE '__ATTR_(RO|RW|WO|RW_MODE|ADMIN_RO)\([a-z_0-9]+\)|__ATTR\([a-z_0-9]+,|BIN_ATTR_(ADMIN_)?(RO|RW|WO)\([a-z_0-9]+|__BIN_ATTR\([a-z_0-9]+|debugfs_create_[a-z0-9_]+\("[a-z_0-9]+"' "$@" |
		sed -E 's/^[^(]*\("?([a-z_0-9]+).*/\1/' | sort -u
}

# missing: the names on stdin the document does not mention
missing() {
	while read -r n; do
		grep -qE "(/|\`|\{|, )$n(\`|\}|,| |$|/)" "$doc" || echo "$n"
	done
}

mapfile -t src < <(sources "$ksrc")
if [ "${#src[@]}" -lt 3 ]; then
	echo "FAIL: $name/every-file-documented: mint's sources not found under $ksrc"
	exit 1
fi
names "${src[@]}" >"$work/names"
n=$(wc -l <"$work/names")
gone=$(missing <"$work/names")
status=0
if [ "$n" -lt 20 ]; then
	echo "FAIL: $name/every-file-documented: only $n names found in ${#src[@]} sources (the extraction is broken)"
	status=1
elif [ -z "$gone" ]; then
	echo "PASS: $name/every-file-documented ($n files of ${#src[@]} sources in $(basename "$doc"))"
else
	echo "FAIL: $name/every-file-documented: not in $doc: $(echo "$gone" | tr '\n' ' ')"
	status=1
fi

# self-test: an attribute nobody documented is found
cp "${src[0]}" "$work/extra.c"
echo 'static struct kobj_attribute mint_attr_zz = __ATTR_RO(zz_undocumented);' >>"$work/extra.c"
extra=$(names "$work/extra.c" | missing)
if [ "$extra" = zz_undocumented ]; then
	echo "PASS: $name/self-test (an undocumented attribute is named)"
else
	echo "FAIL: $name/self-test: an undocumented attribute went unnoticed: '$extra'"
	status=1
fi
exit $status
