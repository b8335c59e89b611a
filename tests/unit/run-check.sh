#!/bin/bash
# Run Check unit-test binaries (built with ASan and UBSan) and print one
# PASS:/FAIL: line per test case iteration. Usage: run-check.sh BINARY...
set -u
cd "$(dirname "$0")/../.." || exit 1
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

for bin in "$@"; do
	suite=$(basename "$bin")
	CK_VERBOSITY=verbose CK_DEFAULT_TIMEOUT=60 "$bin" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	# Check's verbose lines: FILE:LINE:RESULT:TCASE:TEST:ITERATION: MESSAGE
	awk -F: -v s="$suite" '
		$3 == "P" { print "PASS: unit/" s "/" $5 ":" $6; next }
		$3 == "F" || $3 == "E" {
			msg = $7
			for (i = 8; i <= NF; i++)
				msg = msg ":" $i
			sub(/^ /, "", msg)
			print "FAIL: unit/" s "/" $5 ":" $6 ": " $1 ":" $2 ": " msg
		}' "$tmp/out"
	nres=$(grep -cE '^[^:]+:[0-9]+:[PFE]:' "$tmp/out")
	nbad=$(grep -cE '^[^:]+:[0-9]+:[FE]:' "$tmp/out")
	if [ "$nbad" -gt 0 ]; then
		failed=1
		# The sanitizer reports of crashed children, for the log.
		sed -n '1,40s/^/  /p' "$tmp/err"
	elif [ "$rc" -ne 0 ] || [ "$nres" -eq 0 ]; then
		echo "FAIL: unit/$suite: exit $rc with $nres results; $(head -c 300 "$tmp/err")"
		failed=1
	fi
	# MINT_FAIL_FAST (the mutation check): stop at the first failing binary
	if [ "$failed" -ne 0 ] && [ -n "${MINT_FAIL_FAST:-}" ]; then
		break
	fi
done
exit $failed
