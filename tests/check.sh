#!/bin/bash
# Run test suites given as NAME=COMMAND arguments. Each suite prints one line
# per test (PASS: / FAIL: / SKIP:, and NOTE: for an emulator fault worked
# around); this collects them, keeps the full output in
# $B/tests/check.log (CHECK_OUT/check.log) and ends with "N passed, N failed[, N skipped]".
# A suite runs with pipefail (a failure inside its pipelines is its own); a
# suite that exits non-zero without a FAIL: line, or prints no PASS:/FAIL:
# line at all, is a failure.
set -u -o pipefail
B=${B:-$(pwd)/build}
out=${CHECK_OUT:-$B/tests} # make stress keeps its own
mkdir -p "$out"
log=$out/check.log
results=$out/results.txt
: > "$log"
: > "$results"
suite_results=$(mktemp)
trap 'rm -f "$suite_results"' EXIT

for suite in "$@"; do
	name=${suite%%=*}
	cmd=${suite#*=}
	echo "== $name: $cmd" | tee -a "$log"
	t0=$(date +%s)
	: >"$suite_results"
	bash -o pipefail -c "$cmd" 2>&1 | tee -a "$log" |
		grep --line-buffered -E '^(PASS|FAIL|SKIP|NOTE):|^  ' | tee -a "$results" "$suite_results"
	rc=${PIPESTATUS[0]}
	nfail=$(grep -c '^FAIL:' "$suite_results")
	nres=$(grep -cE '^(PASS|FAIL):' "$suite_results")
	if [ "$rc" -ne 0 ] && [ "$nfail" -eq 0 ]; then
		echo "FAIL: $name: suite exited with status $rc and reported no failure; see $log" |
			tee -a "$results"
	elif [ "$nres" -eq 0 ]; then
		echo "FAIL: $name: suite exited with status $rc and printed no PASS:/FAIL: line; see $log" |
			tee -a "$results"
	fi
	echo "== $name: done in $(($(date +%s) - t0))s" | tee -a "$log"
done

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
