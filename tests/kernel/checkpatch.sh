#!/bin/bash
# Every patch in kernel-patches/series passes the kernel's checkpatch.pl
# --strict with no error, no warning and no check (except the per-patch MAINTAINERS heuristic:
# the MAINTAINERS entry lives in the first patch and covers the files the
# second adds). checkpatch must have run to its end: a patch passes only
# when checkpatch printed its "total: N errors, N warnings, N lines checked"
# line, counted exactly the errors and warnings shown, and exited 0 (or 1
# for the MAINTAINERS warning alone); a missing or crashing checkpatch
# fails. One PASS:/FAIL: line per patch.
# The ABI contract kernel-patches/uapi/asm/mint.h, which no patch carries
# (apply.sh installs it), is checked as the new file it is in the kernel,
# with --strict.
# Usage: checkpatch.sh KSRC
set -u
ksrc=$1
here=$(cd "$(dirname "$0")/../.." && pwd)
checkpatch=$ksrc/scripts/checkpatch.pl
tmp=$(mktemp)
contract=$(mktemp --suffix=.patch)
trap 'rm -f "$tmp" "$contract"' EXIT
installed=arch/x86/include/uapi/asm/mint.h
{
	echo "diff --git a/$installed b/$installed"
	echo "new file mode 100644"
	diff -u --label /dev/null --label "b/$installed" /dev/null \
		"$here/kernel-patches/uapi/asm/mint.h"
} >"$contract"

patches=$(grep -v -e '^#' -e '^[[:space:]]*$' "$here/kernel-patches/series")
if [ -z "$patches" ]; then
	echo "FAIL: checkpatch: no patch in kernel-patches/series"
	exit 1
fi
status=0
# check NAME FILE [--strict]
check() {
	local p=$1
	"$checkpatch" "${@:3}" --no-tree --color=never "$2" >"$tmp" 2>&1
	rc=$?
	total=$(sed -n 's/^total: \([0-9]*\) errors, \([0-9]*\) warnings, \(\([0-9]*\) checks, \)\{0,1\}\([0-9]*\) lines checked$/\1 \2 \4 \5/p' "$tmp")
	shown=$(grep -cE '^(ERROR|WARNING|CHECK):' "$tmp")
	out=$(grep -E '^(ERROR|WARNING|CHECK):' "$tmp" | grep -v 'does MAINTAINERS need updating')
	read -r errors warnings checks lines <<<"${total:-x x x 0}"
	if [ -z "$lines" ]; then # no checks field: "N lines" came third
		lines=$checks
		checks=0
	fi
	warnings=$((warnings + checks))
	if [ -z "$total" ]; then
		echo "FAIL: checkpatch/$p: checkpatch did not run to its end (exit $rc, no total line): $(tail -3 "$tmp" | tr '\n' ' ')"
		status=1
	elif [ "$lines" -eq 0 ] || [ $((errors + warnings)) -ne "$shown" ]; then
		echo "FAIL: checkpatch/$p: checkpatch checked $lines lines and counted $((errors + warnings)) problems, $shown shown"
		status=1
	elif [ -n "$out" ]; then
		echo "FAIL: checkpatch/$p: $(echo "$out" | head -3 | tr '\n' ' ')"
		status=1
	elif [ "$rc" -ne 0 ] && { [ "$rc" -ne 1 ] || [ "$shown" -eq 0 ]; }; then
		echo "FAIL: checkpatch/$p: checkpatch exited $rc: $(tail -3 "$tmp" | tr '\n' ' ')"
		status=1
	else
		echo "PASS: checkpatch/$p"
	fi
}
while read -r p; do
	check "$p" "$here/kernel-patches/$p" --strict
done <<<"$patches"
check uapi-contract "$contract" --strict
exit $status
