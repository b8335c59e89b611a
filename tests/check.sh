#!/bin/bash
# Run test suites given as NAME=COMMAND arguments. Each suite prints one line
# per test (PASS: / FAIL: / SKIP:, and NOTE: for an emulator fault worked
# around); this collects them, keeps the full output in
# $B/tests/check.log (CHECK_OUT/check.log) and ends with "N passed, N failed[, N skipped]".
# A suite runs with pipefail (a failure inside its pipelines is its own); a
# suite that exits non-zero without a FAIL: line, or prints no PASS:/FAIL:
# line at all, is a failure.
#
# An argument -jN (N >= 2) makes the suites after it, up to -j1, run N at a
# time: for suites of native programs, never for those of the emulated
# machine (it needs every core). Their output is kept apart while they run
# and shown whole, suite by suite, as each ends; "done in" is the suite's own
# time.
set -u -o pipefail
B=${B:-$(pwd)/build}
out=${CHECK_OUT:-$B/tests} # make stress keeps its own
mkdir -p "$out"
log=$out/check.log
results=$out/results.txt
: > "$log"
: > "$results"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# results: the result lines of a suite's output (stdin), shown and kept
results() {
	grep --line-buffered -E '^(PASS|FAIL|SKIP|NOTE):|^  ' | tee -a "$results" "$work/suite"
}

# verdict NAME RC SECONDS: a suite that failed without saying so, and its time
verdict() {
	local nfail nres
	nfail=$(grep -c '^FAIL:' "$work/suite")
	nres=$(grep -cE '^(PASS|FAIL):' "$work/suite")
	if [ "$2" -ne 0 ] && [ "$nfail" -eq 0 ]; then
		echo "FAIL: $1: suite exited with status $2 and reported no failure; see $log" |
			tee -a "$results"
	elif [ "$nres" -eq 0 ]; then
		echo "FAIL: $1: suite exited with status $2 and printed no PASS:/FAIL: line; see $log" |
			tee -a "$results"
	fi
	echo "== $1: done in ${3}s" | tee -a "$log"
}

# run_one NAME CMD: a suite in the foreground, its lines shown as they come
run_one() {
	local t0 rc
	echo "== $1: $2" | tee -a "$log"
	t0=$(date +%s)
	: >"$work/suite"
	bash -o pipefail -c "$2" 2>&1 | tee -a "$log" | results
	rc=${PIPESTATUS[0]}
	verdict "$1" "$rc" "$(($(date +%s) - t0))"
}

# a background suite of a parallel group: output, status and time in files
run_bg() {
	local t0
	t0=$(date +%s)
	bash -o pipefail -c "$2" >"$work/$1.out" 2>&1
	echo $? >"$work/$1.rc"
	echo $(($(date +%s) - t0)) >"$work/$1.secs"
}

# finish_bg NAME: show and count a background suite that has ended
finish_bg() {
	echo "== $1: ${cmds[$1]}" | tee -a "$log"
	: >"$work/suite"
	tee -a "$log" <"$work/$1.out" | results
	verdict "$1" "$(cat "$work/$1.rc")" "$(cat "$work/$1.secs")"
}

declare -A cmds=() pids=()
jobs=1
# wait_slot N: wait until fewer than N background suites run, finishing those that ended
wait_slot() {
	local name ended
	while [ "${#pids[@]}" -ge "$1" ] && [ "${#pids[@]}" -gt 0 ]; do
		wait -n -p ended "${pids[@]}" || true
		for name in "${!pids[@]}"; do
			if [ "${pids[$name]}" = "$ended" ]; then
				unset "pids[$name]"
				finish_bg "$name"
			fi
		done
	done
}

for suite in "$@"; do
	case $suite in
	-j[0-9]*)
		wait_slot 1
		jobs=${suite#-j}
		continue
		;;
	esac
	name=${suite%%=*}
	cmd=${suite#*=}
	if [ "$jobs" -gt 1 ]; then
		wait_slot "$jobs"
		cmds[$name]=$cmd
		echo "== $name: started (up to $jobs suites at a time)"
		run_bg "$name" "$cmd" &
		pids[$name]=$!
	else
		run_one "$name" "$cmd"
	fi
done
wait_slot 1

passed=$(grep -c '^PASS:' "$results")
failed=$(grep -c '^FAIL:' "$results")
skipped=$(grep -c '^SKIP:' "$results")
echo
if [ "$failed" -gt 0 ]; then
	echo "Failures:"
	grep '^FAIL:' "$results"
	echo "(full output: $log; machine logs under $B/runs/)"
fi
notes=$(grep -c '^NOTE:' "$results")
if [ "$notes" -gt 0 ]; then
	echo "Notes ($notes; emulator faults worked around, see docs/timings.md):"
	grep '^NOTE:' "$results"
fi
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
