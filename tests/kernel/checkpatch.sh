#!/bin/bash
# Every patch in kernel-patches/series passes the kernel's checkpatch.pl
# with no error and no warning (except the per-patch MAINTAINERS heuristic:
# the MAINTAINERS entry lives in the first patch and covers the files the
# second adds). checkpatch must have run to its end: a patch passes only
# when checkpatch printed its "total: N errors, N warnings, N lines checked"
# line, counted exactly the errors and warnings shown, and exited 0 (or 1
# for the MAINTAINERS warning alone); a missing or crashing checkpatch
# fails. One PASS:/FAIL: line per patch.
# Usage: checkpatch.sh KSRC
set -u
ksrc=$1
here=$(cd "$(dirname "$0")/../.." && pwd)
checkpatch=$ksrc/scripts/checkpatch.pl
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
patches=$(grep -v -e '^#' -e '^[[:space:]]*$' "$here/kernel-patches/series")
if [ -z "$patches" ]; then
	echo "FAIL: checkpatch: no patch in kernel-patches/series"
	exit 1
fi
status=0
while read -r p; do
	"$checkpatch" --no-tree --color=never "$here/kernel-patches/$p" >"$tmp" 2>&1
	rc=$?
	total=$(sed -n 's/^total: \([0-9]*\) errors, \([0-9]*\) warnings, \([0-9]*\) lines checked$/\1 \2 \3/p' "$tmp")
	shown=$(grep -cE '^(ERROR|WARNING):' "$tmp")
	out=$(grep -E '^(ERROR|WARNING):' "$tmp" | grep -v 'does MAINTAINERS need updating')
	read -r errors warnings lines <<<"${total:-x x 0}"
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
done <<<"$patches"
exit $status
