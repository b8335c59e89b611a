#!/bin/bash
# The kernel series applies patch by patch, in order, exactly: each patch
# of kernel-patches/series to pristine linux-source-6.12 plus the patches
# before it with patch --fuzz=0, and no hunk applied at an offset (a
# refreshed series has none), so what a reviewer reads is what the tree
# gets. The result must equal the tree the build used (KSRC).
# One PASS:/FAIL: line per patch, then kernel/series/matches-build.
# Usage: series-check.sh KSRC TARBALL WORKDIR
set -u
ksrc=$1
tarball=$2
work=$3
here=$(cd "$(dirname "$0")/../.." && pwd)
patches=$(grep -v -e '^#' -e '^[[:space:]]*$' "$here/kernel-patches/series")
rm -rf "$work"
mkdir -p "$work/tree"
# only the files the series touches (new files are created by their patch)
for p in $patches; do
	sed -n 's|^diff --git a/\([^ ]*\) b/.*|\1|p' "$here/kernel-patches/$p"
done | sort -u >"$work/files"
top=$(tar -tf "$tarball" | head -n 1)
top=${top%%/*}
sed "s|^|$top/|" "$work/files" >"$work/members"
# members the tarball lacks are the series' new files: not an error
tar -xf "$tarball" -C "$work/tree" --strip-components=1 -T "$work/members" \
	2>"$work/tar.err" || true
status=0
for p in $patches; do
	if ! patch -p1 -N --fuzz=0 -d "$work/tree" <"$here/kernel-patches/$p" \
		>"$work/$p.log" 2>&1; then
		echo "FAIL: kernel/series/$p: does not apply after the patches before it: $(grep -m 2 -E 'FAILED|malformed|Reversed' "$work/$p.log" | tr '\n' ' ')"
		status=1
		break
	# patch's words for it: "(offset N lines)", "with fuzz N" (not a
	# file name such as fuzz.c)
	elif grep -q -E '\(offset -?[0-9]+ lines?\)|with fuzz [0-9]' "$work/$p.log"; then
		echo "FAIL: kernel/series/$p: applies only with offsets or fuzz: $(grep -m 2 -E '\(offset|with fuzz' "$work/$p.log" | tr '\n' ' ')"
		status=1
	else
		echo "PASS: kernel/series/$p"
	fi
done
if [ "$status" -eq 0 ]; then
	diffs=$(while read -r f; do
		cmp -s "$work/tree/$f" "$ksrc/$f" || echo "$f"
	done <"$work/files")
	if [ -z "$diffs" ]; then
		echo "PASS: kernel/series/matches-build ($(wc -l <"$work/files") files)"
	else
		echo "FAIL: kernel/series/matches-build: $ksrc differs from the series in: $(echo "$diffs" | head -n 3 | tr '\n' ' ')"
		status=1
	fi
fi
# Every C file or header the series creates stays reviewable: at most
# MAX_LINES lines (node0's code was once one 1404-line file).
max=${MAX_LINES:-600}
for p in $patches; do
	awk '/^diff --git / { f = $4; sub(/^b\//, "", f) }
		/^new file mode/ && f ~ /\.[chS]$/ { print f }' "$here/kernel-patches/$p"
done | sort -u >"$work/new-files"
# "LINES FILE" of each, longest first
while read -r f; do
	echo "$(wc -l <"$work/tree/$f") $f"
done <"$work/new-files" | sort -rn >"$work/new-lengths"
long=$(awk -v max="$max" '$1 > max { print $2 " (" $1 " lines)" }' "$work/new-lengths")
if [ ! -s "$work/new-files" ]; then
	echo "FAIL: kernel/series/new-files-at-most-$max-lines: the series creates no C file (the check found nothing to check)"
	status=1
elif [ -z "$long" ]; then
	echo "PASS: kernel/series/new-files-at-most-$max-lines ($(wc -l <"$work/new-files") files, the longest $(head -n 1 "$work/new-lengths" | cut -d' ' -f1) lines)"
else
	echo "FAIL: kernel/series/new-files-at-most-$max-lines: $(echo "$long" | tr '\n' ' ')"
	status=1
fi
exit $status
