#!/bin/bash
# Run the libFuzzer harness for a bounded time on the seed corpus.
#   tests/fuzz/run-fuzz.sh FUZZER WORKDIR SECONDS
# New inputs go to WORKDIR/corpus (never into the source tree); a crash,
# leak, timeout or out-of-memory fails the test and leaves the input in
# WORKDIR. Prints one PASS:/FAIL: line.
set -u
cd "$(dirname "$0")/../.." || exit 1
fuzzer=$1 work=$2 seconds=$3
mkdir -p "$work/corpus"
log=$work/fuzz.log
"$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
	-max_len=8192 -print_final_stats=1 -dict=tests/fuzz/mint.dict \
	-artifact_prefix="$work/" "$work/corpus" tests/fuzz/corpus >"$log" 2>&1
rc=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
if [ "$rc" -eq 0 ] && [ -n "$runs" ] && [ "$runs" -gt 0 ]; then
	echo "PASS: fuzz/config-parser ($runs runs in ${seconds}s)"
	exit 0
fi
echo "FAIL: fuzz/config-parser: exit $rc; see $log"
grep -E 'ERROR|SUMMARY|Test unit written' "$log" | head -5 | sed 's/^/  /'
exit 1
