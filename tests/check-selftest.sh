#!/bin/bash
# tests/check.sh's own test: suites that pass, fail, fail without saying so
# or say nothing, sequential and two at a time (-j2), are each counted and
# reported; the parallel ones really overlap. One PASS:/FAIL: line each.
set -u
cd "$(dirname "$0")/.." || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

# same NAME GOT WANT
same() {
	if [ "$2" = "$3" ]; then
		echo "PASS: check-runner/$1"
	else
		echo "FAIL: check-runner/$1: got '$2', want '$3'"
		status=1
	fi
}

# The suites print "OK:"/"BAD:" so that this suite's own output holds no
# PASS:/FAIL: line of theirs.
B=$tmp/b tests/check.sh \
	"seq-ok=echo OK: x | sed s/OK/PASS/" -j2 \
	"slow=sleep 2; date +%s.%N >$tmp/slow-end; echo OK: slow | sed s/OK/PASS/" \
	"fast=date +%s.%N >$tmp/fast-end; echo OK: fast | sed s/OK/PASS/; echo '  detail'" \
	"says-bad=echo BAD: y | sed s/BAD/FAIL/" \
	"exits-3=echo OK: z | sed s/OK/PASS/; exit 3" \
	"silent=true" -j1 \
	"after=echo OK: after | sed s/OK/PASS/" >"$tmp/out" 2>&1
rc=$?
res=$tmp/b/tests/results.txt
same exit-status-on-failures "$rc" 1
same tally "$(tail -n 1 "$tmp/out")" "5 passed, 3 failed"
same every-pass-kept "$(grep -c '^PASS:' "$res")" 5
same own-fail-kept "$(grep -c '^FAIL: y' "$res")" 1
same nonzero-exit-without-fail "$(grep -c '^FAIL: exits-3: suite exited with status 3' "$res")" 1
same no-result-line "$(grep -c '^FAIL: silent: suite exited with status 0 and printed no' "$res")" 1
same detail-lines-kept "$(grep -c '^  detail' "$res")" 1
same every-suite-done "$(grep -c '^== .*: done in' "$tmp/b/tests/check.log")" 7
# fast ended while slow still slept: they ran at once
same parallel-overlap "$(awk 'NR == FNR { f = $1; next } { print ($1 - f > 1) }' \
	"$tmp/fast-end" "$tmp/slow-end")" 1
# the suite after -j1 starts once every suite of the group has ended
same group-ends-before-next "$(awk '/^== (slow|fast|says-bad|exits-3|silent): done in/ { d = NR }
	/^== after: echo/ { a = NR } END { print (d && a > d) }' "$tmp/out")" 1
exit $status
