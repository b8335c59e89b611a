#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The tests of the fault-isolation report (bench/experiments/expreport.py)
# on synthetic result directories. Needs python3 and gnuplot; runs no
# emulator.
#
#   bench/experiments/run-tests.sh [WORK_DIR]
#
# One line per test, "PASS: experiments/NAME" or "FAIL: experiments/NAME:
# why" (a failure's traceback follows, indented); exit status 0 when all
# passed, 1 otherwise. WORK_DIR (default: a new temporary directory,
# removed afterwards) holds the synthetic directories while they are used.

set -u

# the checkout's root: the test program runs from there as a module
root=$(cd "$(dirname "$0")/../.." && pwd)

if ! command -v python3 >/dev/null 2>&1; then
	echo "FAIL: experiments/tests: python3 not found"
	exit 1
fi
if ! command -v gnuplot >/dev/null 2>&1; then
	echo "FAIL: experiments/tests: gnuplot not found (Debian: gnuplot-nox)"
	exit 1
fi

if [ $# -ge 1 ]; then
	mkdir -p "$1" || exit 1
	work=$(cd "$1" && pwd) || exit 1 # absolute: the program runs in $root
	cleanup=
else
	work=$(mktemp -d "${TMPDIR:-/tmp}/mint-experiments.XXXXXX") || exit 1
	cleanup=$work
fi
out=$(mktemp "${TMPDIR:-/tmp}/mint-experiments-out.XXXXXX") || exit 1
trap 'rm -f "$out"; [ -z "$cleanup" ] || rm -rf "$cleanup"' EXIT
trap 'exit 1' HUP INT TERM

(cd "$root" && PYTHONDONTWRITEBYTECODE=1 \
	python3 -m bench.experiments.tests.test_expreport --work="$work") \
	>"$out" 2>&1
status=$?
cat "$out"

# A crash before or between the tests (a syntax error, an import failure)
# prints no FAIL: line of its own: say so, so it is counted.
if [ "$status" -ne 0 ] && ! grep -q '^FAIL: ' "$out"; then
	echo "FAIL: experiments/tests: the test program exited with status" \
		"$status without a FAIL line"
fi
if ! grep -q '^PASS: ' "$out" && [ "$status" -eq 0 ]; then
	echo "FAIL: experiments/tests: no test passed"
	status=1
fi
[ "$status" -eq 0 ] || exit 1
exit 0
