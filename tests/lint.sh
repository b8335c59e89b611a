#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The lint suite of make check: the house style over the whole project, in
# the suite format of tests/check.sh (one "PASS: lint/NAME" or "FAIL:
# lint/NAME: reason" per check; the findings themselves go to the log).
#
#   lint/clang-format  every C source and header (.c, .h), the repo's
#                      .clang-format; all of the user space and the tests,
#                      not kernel-patches/ (the kernel's style: checkpatch)
#   lint/shellcheck    every shell script, found by name (.sh, .bash,
#                      .bash-completion), by its #! line (sh, bash, dash,
#                      ash, busybox sh) or by a "# shellcheck shell="
#                      directive, so that a new script cannot escape; and
#                      the settings file partitioner/install/default-mint
#   lint/lib-pure      library code neither prints nor ends the process
#                      (printf, fprintf, puts, perror, exit, abort, ...,
#                      stdout, stderr): libmint (partitioner/lib, which
#                      also parses numbers only with numparse.c's own
#                      functions: no atoi, atol, sscanf, strto[u]l[l]),
#                      node-loader/lib and mintbench's library
#                      bench/evalprog/mb_lib.c
#   lint/pyflakes      every Python file (pyflakes3, Debian's
#                      python3-pyflakes): unused imports and names,
#                      undefined names, f-strings without placeholders
#   lint/commit-subjects  every commit after SUBJECTS_SINCE (the last one
#                      before the rule, 2026-12-06) has a subject of at
#                      most 72 characters (details go in the body); skipped
#                      with a SKIP line, not passed, outside a git clone
#
#   tests/lint.sh   (from anywhere: it checks the tree it lives in; the
#                    files are git's, tracked or new, else all but build/)
set -u -o pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
failed=0
pass() { echo "PASS: lint/$1"; }
fail() {
	echo "FAIL: lint/$1: $2"
	failed=1
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The tree's files, relative: what git has or would add (build/ and other
# ignored files left out), or without git every file outside build/ and runs/.
tree_files() {
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		git ls-files --cached --others --exclude-standard
	else
		find . \( -path ./.git -o -path ./build -o -path ./runs \) -prune \
			-o -type f -print | sed 's|^\./||'
	fi | sort -u | while IFS= read -r f; do
		[ -f "$f" ] && printf '%s\n' "$f"
	done
}

# Is file $1 a shell script? (name, #! line or shellcheck directive)
is_shell() {
	case "$1" in
	*.sh | *.bash | *.bash-completion) return 0 ;;
	esac
	grep -qI . "$1" || return 1 # binary (a cpio archive holding scripts)
	head -n 1 "$1" | grep -qE -e '^#!.*(/|env +)(ba|da|a)?sh( |$)' \
		-e '^#!.*busybox +sh( |$)' && return 0
	head -n 5 "$1" | grep -q '^# shellcheck shell='
}

# Findings ($2) on the log, then the FAIL line for check $1 with the
# first three and their count.
report() {
	local n
	n=$(grep -c . "$2")
	cat "$2"
	fail "$1" "$n finding(s): $(head -n 3 "$2" | tr '\n' ' ')"
}

tree_files >"$tmp/files"

# ---------------------------------------------------------- clang-format
grep -E '\.[ch]$' "$tmp/files" | grep -v '^kernel-patches/' >"$tmp/c"
if ! command -v clang-format >/dev/null; then
	fail clang-format "clang-format missing (make deps)"
elif [ ! -s "$tmp/c" ]; then
	fail clang-format "no C file found under $ROOT"
else
	echo "lint: clang-format over $(wc -l <"$tmp/c") C files"
	mapfile -t sources <"$tmp/c"
	clang-format --dry-run -Werror "${sources[@]}" >"$tmp/out" 2>&1
	grep -E '^[^ ]+:[0-9]+:[0-9]+: (error|warning):' "$tmp/out" >"$tmp/findings"
	if [ -s "$tmp/findings" ]; then
		cat "$tmp/findings"
		fail clang-format "not in the style (clang-format -i FILE): $(cut -d: -f1 "$tmp/findings" |
			uniq -c | awk '{printf "%s%s (%d places)", (NR > 1 ? ", " : ""), $2, $1}')"
	elif grep -q . "$tmp/out"; then
		fail clang-format "$(head -n 3 "$tmp/out" | tr '\n' ' ')"
	else
		pass clang-format
	fi
fi

# ---------------------------------------------------------- shellcheck
while IFS= read -r f; do
	is_shell "$f" && printf '%s\n' "$f"
done <"$tmp/files" >"$tmp/sh"
if ! command -v shellcheck >/dev/null; then
	fail shellcheck "shellcheck missing (make deps)"
elif [ ! -s "$tmp/sh" ]; then
	fail shellcheck "no shell script found under $ROOT"
else
	echo "lint: shellcheck over $(wc -l <"$tmp/sh") shell scripts"
	# all in one run, so that a script's 'source' of another is followed
	mapfile -t scripts <"$tmp/sh"
	shellcheck -f gcc "${scripts[@]}" >"$tmp/out" 2>&1
	# a settings file sourced by the install scripts: its variables are
	# for them (SC2034: unused here)
	shellcheck -f gcc -s sh -e SC2034 partitioner/install/default-mint \
		>>"$tmp/out" 2>&1
	if grep -q . "$tmp/out"; then
		report shellcheck "$tmp/out"
	else
		pass shellcheck
	fi
fi

# ---------------------------------------------------------- lib-pure
# A library reports through its return values and error buffers; the
# program around it prints and exits.
io='\b(v?f?printf|dprintf|f?puts|f?putc|putchar|perror|_?exit|_Exit|abort)[[:space:]]*\(|\b(stdout|stderr)\b'
libs=(partitioner/lib/*.c node-loader/lib/*.c bench/evalprog/mb_lib.c)
grep -nE "$io" "${libs[@]}" >"$tmp/findings"
# libmint parses numbers with its own numparse.c, which says what is wrong
grep -nE '\b(atoi|atol|sscanf|strtou?ll?)\(' partitioner/lib/*.c >>"$tmp/findings"
if [ -s "$tmp/findings" ]; then
	report lib-pure "$tmp/findings"
else
	pass lib-pure
fi

# ---------------------------------------------------------- pyflakes
mapfile -t py < <(grep -E '\.py$' "$tmp/files")
if ! command -v pyflakes3 >/dev/null; then
	fail pyflakes "pyflakes3 missing (make deps installs python3-pyflakes)"
elif pyflakes3 "${py[@]}" >"$tmp/pyflakes" 2>&1; then
	pass pyflakes
else
	report pyflakes "$tmp/pyflakes"
fi

# ---------------------------------------------------------- commit-subjects
SUBJECTS_SINCE=7814101
if git rev-parse -q --verify "$SUBJECTS_SINCE^{commit}" >/dev/null 2>&1; then
	git log --format='%h %s' "$SUBJECTS_SINCE..HEAD" |
		awk 'length($0) - index($0, " ") > 72' >"$tmp/long"
	if [ -s "$tmp/long" ]; then
		report commit-subjects "$tmp/long"
	else
		pass commit-subjects
	fi
else
	echo "SKIP: lint/commit-subjects: no git history with $SUBJECTS_SINCE here"
fi

exit "$failed"
