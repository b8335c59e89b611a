#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The ABI contract against the patched kernel: export the kernel's uapi
# headers (make headers: KOBJ/usr/include, what headers_install copies),
# compile tests/kernel/abi-dump.c once
# against kernel-patches/uapi/asm/mint.h (what user space uses) and once
# against the exported <asm/mint.h>, and require the same sizes, offsets,
# field sizes, constants and state names. The self-test changes one
# constant in a copy of the exported header and requires the comparison to
# see it, so the check can fail.
#   abi-check.sh KSRC KOBJ WORKDIR
set -u
ksrc=$1
kobj=$(cd "$2" && pwd)
here=$(cd "$(dirname "$0")/../.." && pwd)
rm -rf "$3"
mkdir -p "$3"
work=$(cd "$3" && pwd)
name=kernel/abi

if ! make -s -C "$ksrc" O="$kobj" headers >"$work/headers.log" 2>&1; then
	echo "FAIL: $name/headers-install: make headers failed; see $work/headers.log"
	exit 1
fi
exported=$kobj/usr/include/asm/mint.h
if [ ! -f "$exported" ]; then
	echo "FAIL: $name/headers-install: the patched kernel exports no asm/mint.h"
	exit 1
fi
echo "PASS: $name/headers-install"

# dump NAME INCLUDE-DIR: compile and run the dump against that header
dump() {
	if ! gcc -std=gnu11 -Wall -Wextra -Werror -I"$2" -o "$work/dump-$1" \
		"$here/tests/kernel/abi-dump.c" 2>"$work/dump-$1.log"; then
		echo "the dump does not compile against $2: $(head -3 "$work/dump-$1.log" | tr '\n' ' ')"
		return 1
	fi
	"$work/dump-$1" >"$work/$1.txt"
}

compare() { # compare NAME DIR: kernel side vs contract; prints differences
	dump "$1" "$2" || return 1
	diff "$work/contract.txt" "$work/$1.txt" >"$work/$1.diff"
}

if ! dump contract "$here/kernel-patches/uapi" 2>&1; then
	echo "FAIL: $name/contract-compiles: see $work/dump-contract.log"
	exit 1
fi
lines=$(wc -l <"$work/contract.txt")
if compare kernel "$kobj/usr/include"; then
	echo "PASS: $name/kernel-header-matches-contract ($lines sizes, offsets and constants)"
else
	echo "FAIL: $name/kernel-header-matches-contract: $(head -6 "$work/kernel.diff" | tr '\n' ' ')"
	exit 1
fi

# self-test: a kernel header with one constant changed must not match
mkdir -p "$work/altered/asm"
sed 's/^#define MINT_CON_SIZE\([[:space:]]*\)0x40000$/#define MINT_CON_SIZE\10x20000/' \
	"$exported" >"$work/altered/asm/mint.h"
if cmp -s "$exported" "$work/altered/asm/mint.h"; then
	echo "FAIL: $name/self-test: could not alter MINT_CON_SIZE in a copy of $exported"
	exit 1
fi
if compare altered "$work/altered"; then
	echo "FAIL: $name/self-test: a header with MINT_CON_SIZE changed was taken for the contract"
	exit 1
fi
echo "PASS: $name/self-test (a changed MINT_CON_SIZE is found: $(grep -c '^[<>]' "$work/altered.diff") lines differ)"
