#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Tests of the built mintbench binary as the nodes and guests will run it:
# statically linked, exit codes 0/1/2, the CSV on stdout, errors on stderr.
#   cli.sh MINTBENCH WORKDIR
# Prints "PASS: bench/mintbench-cli/NAME" or "FAIL: bench/mintbench-cli/NAME: why".
set -u
bin=$1
work=$2
failed=0
mkdir -p "$work"
out=$work/cli.out
err=$work/cli.err

pass() { echo "PASS: bench/mintbench-cli/$1"; }
fail() {
	echo "FAIL: bench/mintbench-cli/$1: $2"
	failed=1
	# the mutation check needs only the first failure
	[ -z "${MINT_FAIL_FAST:-}" ] || exit 1
}

# run EXPECTED_EXIT ARGS...: runs the binary in an empty environment
run() {
	local want=$1
	shift
	env -i "$bin" "$@" >"$out" 2>"$err"
	rc=$?
	[ "$rc" -eq "$want" ]
}

if ! readelf -l "$bin" >/dev/null 2>&1; then
	fail static "readelf cannot read $bin"
elif readelf -l "$bin" | grep -q -e INTERP -e 'Requesting program interpreter'; then
	fail static "$bin has a program interpreter: not statically linked"
elif readelf -d "$bin" 2>/dev/null | grep -q NEEDED; then
	fail static "$bin needs shared libraries: $(readelf -d "$bin" | grep NEEDED | head -3)"
else
	pass static
fi

usage='usage: mintbench [--tsc-khz=N] [--disk=PATH] [--block=BYTES] [--reps=N] [--label=NAME] [--seed=N] [--allow-cached] L:M:N'
if run 2 && [ ! -s "$out" ] && grep -qxF "$usage" "$err" &&
	grep -q '^mintbench: missing L:M:N$' "$err"; then
	pass usage-exit-2
else
	fail usage-exit-2 "exit $rc, stdout $(wc -c <"$out") bytes, stderr: $(head -c 200 "$err")"
fi

if run 2 --reps=x 0:1:0 && [ ! -s "$out" ] && grep -q -- '--reps=x' "$err"; then
	pass bad-option-exit-2
else
	fail bad-option-exit-2 "exit $rc, stderr: $(head -c 200 "$err")"
fi

if run 0 --help && [ "$(head -1 "$out")" = "$usage" ] && [ ! -s "$err" ]; then
	pass help-exit-0
else
	fail help-exit-0 "exit $rc, stdout: $(head -c 200 "$out")"
fi

if run 1 --disk="$work/no-such-disk" 3:0:0 && [ ! -s "$out" ] &&
	grep -q "^mintbench: $work/no-such-disk: No such file or directory$" "$err"; then
	pass runtime-exit-1
else
	fail runtime-exit-1 "exit $rc, stderr: $(head -c 200 "$err")"
fi

# 1 GHz: ns equal cycles. 2 reps of cpu and of the 3 memcpy sizes.
if run 0 --reps=2 --tsc-khz=1000000 --label=cli 0:100000:3 &&
	head -1 "$out" | grep -qE '^# mintbench v1 tsc_khz=1000000 source=option seed=0x6d696e7462656e63 host=[^ ]+ block=4096 reps=2 io=none disk=- rdtscp=[01] invariant_tsc=[01] erms=[01] fsrm=[01]$' &&
	[ "$(sed -n 2p "$out")" = "label,part,size_bytes,rep,iterations,cycles,ns" ] &&
	[ "$(tail -n +3 "$out" | cut -d, -f1-5 | tr '\n' ' ')" = "cli,cpu,0,1,100000 cli,cpu,0,2,100000 cli,memcpy,262144,1,3 cli,memcpy,262144,2,3 cli,memcpy,524288,1,3 cli,memcpy,524288,2,3 cli,memcpy,1048576,1,3 cli,memcpy,1048576,2,3 " ] &&
	tail -n +3 "$out" | awk -F, 'NF != 7 || $6 !~ /^[1-9][0-9]*$/ || $6 != $7 { bad = 1 } END { exit bad }' &&
	[ ! -s "$err" ]; then
	pass csv-cpu-memcpy
else
	fail csv-cpu-memcpy "exit $rc, stdout: $(head -c 400 "$out" | tr '\n' '|') stderr: $(head -c 200 "$err")"
fi

# erms= and fsrm= come from CPUID: where the kernel lists a flag, the CPU
# has it (the kernel may hide one the CPU has, e.g. fast strings disabled by
# the firmware, or an old kernel without fsrm, so only that direction holds)
why=
if ! run 0 --reps=1 --tsc-khz=1000000 0:10:0; then
	why="exit $rc"
else
	for f in erms fsrm; do
		if grep -m1 '^flags' /proc/cpuinfo | grep -qw "$f" &&
			! head -1 "$out" | grep -q " $f=1"; then
			why="$why /proc/cpuinfo lists $f, mintbench: $(head -1 "$out" | grep -o " $f=[01]")"
		fi
	done
fi
if [ -z "$why" ]; then
	pass meta-erms-fsrm-match-cpuinfo
else
	fail meta-erms-fsrm-match-cpuinfo "$why"
fi

# the default label is the host name, usable as a CSV field
if run 0 --reps=1 --tsc-khz=1000000 0:10:0 &&
	tail -1 "$out" | grep -qE '^[A-Za-z0-9._+-]+,cpu,0,1,10,[0-9]+,[0-9]+$'; then
	pass default-label
else
	fail default-label "exit $rc, stdout: $(tail -c 200 "$out")"
fi

# a file on this disk, read with O_DIRECT (--allow-cached must not fall back
# where O_DIRECT works; a build directory that refuses it fails, as in
# run-check.sh)
head -c 1048576 /dev/urandom >"$work/cli.disk"
fs=$(stat -f -c %T "$work")
if [ "$fs" = tmpfs ] || [ "$fs" = ramfs ] ||
	! dd if="$work/cli.disk" of=/dev/null bs=4096 count=1 iflag=direct status=none 2>/dev/null; then
	fail csv-io "$work ($fs) is not a disk that takes O_DIRECT; put the build directory on a disk"
elif run 0 --reps=2 --tsc-khz=1000000 --label=cli --allow-cached --disk="$work/cli.disk" 7:0:0 &&
	[ "$(tail -n +3 "$out" | cut -d, -f1,3-5 | tr '\n' ' ')" = "cli,4096,1,7 cli,4096,2,7 " ] &&
	head -1 "$out" | grep -q ' io=direct ' && [ "$(tail -n +3 "$out" | cut -d, -f2 | sort -u)" = io ]; then
	pass csv-io
else
	fail csv-io "exit $rc, stdout: $(head -c 400 "$out" | tr '\n' '|') stderr: $(head -c 200 "$err")"
fi
rm -f "$work/cli.disk" "$out" "$err"
exit $failed
