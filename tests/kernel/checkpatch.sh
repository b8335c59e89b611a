#!/bin/bash
# Every patch in kernel-patches/series passes the kernel's checkpatch.pl
# with no error and no warning (except the per-patch MAINTAINERS heuristic:
# the MAINTAINERS entry lives in the first patch and covers the files the
# second adds). One PASS:/FAIL: line per patch.
# Usage: checkpatch.sh KSRC
set -u
ksrc=$1
here=$(cd "$(dirname "$0")/../.." && pwd)
status=0
while read -r p; do
	out=$("$ksrc/scripts/checkpatch.pl" --no-tree -q "$here/kernel-patches/$p" 2>&1 |
		grep -E '^(ERROR|WARNING):' |
		grep -v 'does MAINTAINERS need updating')
	if [ -z "$out" ]; then
		echo "PASS: checkpatch/$p"
	else
		echo "FAIL: checkpatch/$p: $(echo "$out" | head -3 | tr '\n' ' ')"
		status=1
	fi
done < <(grep -v -e '^#' -e '^[[:space:]]*$' "$here/kernel-patches/series")
exit $status
