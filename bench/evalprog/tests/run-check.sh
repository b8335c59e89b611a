#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs mintbench's Check tests (check_mintbench, built with ASan/UBSan) and
# prints one line per test: "PASS: bench/mintbench/TEST",
# "FAIL: bench/mintbench/TEST: FILE:LINE: why" or "SKIP: ...: why".
#   run-check.sh CHECK_BINARY WORKDIR
# WORKDIR (under the build directory) holds the files the "direct" tests
# read with O_DIRECT; /dev/shm holds those of the "tmpfs" tests. A WORKDIR
# that refuses O_DIRECT fails the direct test (as kvm-per-node's mint-guest
# test fails there): put the build directory on a disk.
set -u
bin=$1
work=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
exclude=""
status=0

fstype() { stat -f -c %T "$1" 2>/dev/null; }

mkdir -p "$work/direct"
case $(fstype "$work/direct") in
tmpfs | ramfs)
	echo "FAIL: bench/mintbench/direct_reads_disk: $work is on $(fstype "$work"), not a disk, and refuses O_DIRECT; put the build directory on a disk"
	exclude="direct"
	status=1
	;;
*)
	head -c 65536 /dev/zero >"$work/direct/probe"
	if ! dd if="$work/direct/probe" of=/dev/null bs=4096 iflag=direct status=none 2>/dev/null; then
		echo "FAIL: bench/mintbench/direct_reads_disk: $work refuses O_DIRECT; put the build directory on a disk"
		exclude="direct"
		status=1
	fi
	rm -f "$work/direct/probe"
	export MB_DIRECT_DIR=$work/direct
	;;
esac

shm=""
for d in /dev/shm /run/shm; do
	if [ "$(fstype "$d")" = tmpfs ] && [ -w "$d" ]; then
		shm=$d
		break
	fi
done
if [ -n "$shm" ]; then
	export MB_TMPFS_DIR=$shm
else
	echo "SKIP: bench/mintbench/tmpfs_refused: no writable tmpfs (/dev/shm)"
	echo "SKIP: bench/mintbench/tmpfs_allowed_cached: no writable tmpfs (/dev/shm)"
	exclude="$exclude tmpfs"
fi

CK_EXCLUDE_TAGS=$exclude CK_VERBOSITY=verbose CK_DEFAULT_TIMEOUT=60 \
	"$bin" >"$tmp/out" 2>"$tmp/err"
rc=$?
# Check's verbose lines: FILE:LINE:RESULT:TCASE:TEST:ITERATION: MESSAGE
awk -F: '
	$3 == "P" { print "PASS: bench/mintbench/" $5; next }
	$3 == "F" || $3 == "E" {
		msg = $7
		for (i = 8; i <= NF; i++)
			msg = msg ":" $i
		sub(/^ /, "", msg)
		print "FAIL: bench/mintbench/" $5 ": " $1 ":" $2 ": " msg
	}' "$tmp/out"
nres=$(grep -cE '^[^:]+:[0-9]+:[PFE]:' "$tmp/out")
nbad=$(grep -cE '^[^:]+:[0-9]+:[FE]:' "$tmp/out")
if [ "$nbad" -gt 0 ]; then
	sed -n '1,40s/^/  /p' "$tmp/err"
	exit 1
fi
if [ "$rc" -ne 0 ] || [ "$nres" -eq 0 ]; then
	echo "FAIL: bench/mintbench: exit $rc with $nres results; $(head -c 300 "$tmp/err")"
	exit 1
fi
exit $status
