#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The static mint-guest against a sparse file standing in for the guest's
# disk: written records verify, lost and foreign ones are reported.
#   cli.sh MINT_GUEST WORKDIR   (WORKDIR must accept O_DIRECT: not tmpfs)
set -u
mg=$1
work=$2
mkdir -p "$work"
disk=$work/disk.img
failed=0

t() { # NAME EXPECTED_RC EXPECTED_OUTPUT CMD...
	local name=$1 want_rc=$2 want=$3 out rc
	shift 3
	out=$("$@" 2>&1)
	rc=$?
	if [ "$rc" = "$want_rc" ] && [[ "$out" == *"$want"* ]]; then
		echo "PASS: kvm-per-node/mint-guest/$name"
	else
		echo "FAIL: kvm-per-node/mint-guest/$name: exit $rc (want $want_rc), output '$out' (want '$want')"
		failed=1
	fi
}

rm -f "$disk"
truncate -s 4M "$disk"
if ! dd if=/dev/zero of="$disk" bs=4096 count=1 oflag=direct conv=notrunc status=none 2>/dev/null; then
	echo "FAIL: kvm-per-node/mint-guest: $work refuses O_DIRECT; put the build directory on a disk"
	exit 1
fi
t empty-disk-verifies-clean 0 "good=0 bad=0 holes=0 last=0" "$mg" verify "$disk" g
for i in $(seq 1 300); do "$mg" write "$disk" "$i" g || { echo "FAIL: kvm-per-node/mint-guest/write: record $i"; exit 1; }; done
t 300-records-across-chunks 0 "good=300 bad=0 holes=0 last=300" "$mg" verify "$disk" g
t foreign-writer-is-bad 1 "good=0 bad=300" "$mg" verify "$disk" other
dd if=/dev/zero of="$disk" bs=4096 seek=150 count=1 conv=notrunc status=none
t lost-write-is-a-hole 1 "good=299 bad=0 holes=1 last=300" "$mg" verify "$disk" g
printf 'x' | dd of="$disk" bs=1 seek=$((200 * 4096 + 100)) conv=notrunc status=none
t corrupted-record-is-bad 1 "good=298 bad=1 holes=1 last=300 first_bad=200" "$mg" verify "$disk" g
t index-zero-refused 2 "not a number >= 1" "$mg" write "$disk" 0 g
t missing-disk 1 "No such file" "$mg" verify "$work/nope" g
t usage 2 "usage: mint-guest" "$mg" frobnicate
t ctl-poll-not-a-serial-port 1 "TIOCGSERIAL" "$mg" ctl-poll /dev/null
t ctl-poll-missing-port 1 "No such file" "$mg" ctl-poll "$work/nope"
t dirty-runs-until-killed 124 "" timeout 2 "$mg" dirty 4
t dirty-zero-refused 2 "'0' is not 1-4096 MiB" "$mg" dirty 0
t dirty-too-much-refused 2 "'4097' is not 1-4096 MiB" "$mg" dirty 4097
t dirty-not-a-number 2 "'4M' is not 1-4096 MiB" "$mg" dirty 4M
rm -f "$disk"

# The VM supervisor's functions (kvm-per-node/tests/mint-vmd.sh; its own
# line in kvm-per-node.mk's kvm-per-node-check would be cleaner), with the
# build directory's mintctl when it has one (make check builds it first).
mintctl=$(dirname "$mg")/../bin/mintctl
[ -x "$mintctl" ] || mintctl=
"$(dirname "$0")/../../tests/mint-vmd.sh" ${mintctl:+"$mintctl"} || failed=1
exit $failed
