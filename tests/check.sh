#!/bin/bash
# Run test suites given as NAME=COMMAND arguments. Each suite prints one line
# per test (PASS: / FAIL: / SKIP:); this collects them, keeps the full output in
# $B/tests/check.log and ends with "N passed, N failed[, N skipped]".
set -u
B=${B:-$(pwd)/build}
mkdir -p "$B/tests"
log=$B/tests/check.log
results=$B/tests/results.txt
: > "$log"
: > "$results"

for suite in "$@"; do
	name=${suite%%=*}
	cmd=${suite#*=}
	echo "== $name: $cmd" | tee -a "$log"
	t0=$(date +%s)
	before=$(grep -c '^FAIL' "$results")
	# shellcheck disable=SC2086
	bash -c "$cmd" 2>&1 | tee -a "$log" | grep --line-buffered -E '^(PASS|FAIL|SKIP):|^  ' | tee -a "$results"
	rc=${PIPESTATUS[0]}
	after=$(grep -c '^FAIL' "$results")
	if [ "$rc" -ne 0 ] && [ "$after" -eq "$before" ]; then
		echo "FAIL: $name: suite exited with status $rc and reported no failure; see $log" |
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
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
