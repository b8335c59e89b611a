#!/bin/bash
# mintctl's command line: bootargs, JSON, show, help, man page, completion,
# exit codes, and the style of the sources. Run from anywhere:
#   tests/config/run-cli.sh MINTCTL
# One PASS:/FAIL: line per test.
set -u
cd "$(dirname "$0")/../.." || exit 1
mintctl=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
pass() { echo "PASS: cli/$1"; }
fail() {
	echo "FAIL: cli/$1: $2"
	failed=1
}
# same NAME GOT WANT
same() {
	if [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1" "got '$2', want '$3'"
	fi
}
# expect NAME RC STDOUT_MATCH STDERR_MATCH ARGS...: exit code and greps
# (an empty pattern means "must be empty").
expect() {
	local name=$1 want=$2 out=$3 err=$4 rc
	shift 4
	"$mintctl" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -ne "$want" ]; then
		fail "$name" "exit $rc, expected $want: $(head -c 200 "$tmp/err")"
	elif [ -z "$out" ] && [ -s "$tmp/out" ]; then
		fail "$name" "unexpected stdout: $(head -c 200 "$tmp/out")"
	elif [ -n "$out" ] && ! grep -q -- "$out" "$tmp/out"; then
		fail "$name" "stdout lacks '$out'"
	elif [ -z "$err" ] && [ -s "$tmp/err" ]; then
		fail "$name" "unexpected stderr: $(head -c 200 "$tmp/err")"
	elif [ -n "$err" ] && ! grep -q -- "$err" "$tmp/err"; then
		fail "$name" "stderr lacks '$err': $(head -c 200 "$tmp/err")"
	else
		pass "$name"
	fi
}

# --- bootargs: the exact node0 command line of the demo machine
# shellcheck disable=SC2016 # the $ are literal
plain='memmap=640M$0x28000000 memmap=640M$0x50000000 memmap=192K$0x10000 no_ipi_broadcast=1'
got=$("$mintctl" bootargs configs/demo.conf)
same bootargs-demo "$got" "$plain"
got=$("$mintctl" bootargs --format=plain configs/demo.conf)
same bootargs-plain "$got" "$plain"
got=$("$mintctl" bootargs --format=grub configs/demo.conf)
same bootargs-grub "$got" "${plain//\$/\\\$}"
word=$("$mintctl" bootargs --format=shell configs/demo.conf)
eval "set -- $word"
same bootargs-shell-word "$#:$*" "1:$plain"
expect bootargs-bad-format 2 "" "unknown format 'xml'" bootargs --format=xml configs/demo.conf
expect bootargs-invalid-config 3 "" "8 errors in" bootargs tests/config/bad/mixed-passes.conf

# --- show --json: a real JSON parser reads it
for conf in configs/demo.conf tests/config/good/*.conf; do
	name=json-$(basename "$conf" .conf)
	if "$mintctl" show --json "$conf" >"$tmp/json" 2>"$tmp/err" &&
		python3 -m json.tool "$tmp/json" >/dev/null 2>"$tmp/err"; then
		pass "$name"
	else
		fail "$name" "$(head -c 300 "$tmp/err")"
	fi
done
"$mintctl" show --json configs/demo.conf >"$tmp/json"
if python3 - "$tmp/json" <<'PY' 2>"$tmp/err"; then
import json, sys
d = json.load(open(sys.argv[1]))
assert d["version"] == 1 and d["name"] == "demo", d
assert d["low_memory"] == {"base": 0x10000, "size": 0x30000}, d["low_memory"]
n = {x["name"]: x for x in d["nodes"]}
assert list(n) == ["node1", "node2"], list(n)
assert n["node1"]["cpus"] == [2] and n["node2"]["cpus"] == [3]
assert n["node1"]["memory"] == [{"base": 0x28000000, "size": 640 << 20}]
assert n["node2"]["low_slice"] == {"base": 0x30000, "size": 0x10000}
assert n["node1"]["console"] == "com2" and n["node1"]["console_port"] == 0x2f8
assert n["node1"]["autostart"] is True and n["node1"]["cmdline"] is None
v = {x["name"]: x for x in d["vms"]}
assert v["guest0"]["node"] == "node0" and v["guest0"]["memory"] == 256 << 20
assert v["guest2"]["restart"] == "no" and v["guest2"]["vcpus"] == 1
PY
	pass json-demo-values
else
	fail json-demo-values "$(tail -1 "$tmp/err")"
fi
"$mintctl" show --json tests/config/good/full.conf >"$tmp/json"
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); c=d["nodes"][0]["cmdline"]; assert c == "quiet loglevel=4 foo=\"a b\" path=C:\\dir", c' "$tmp/json" 2>"$tmp/err"; then
	pass json-escaping
else
	fail json-escaping "$(tail -1 "$tmp/err")"
fi
"$mintctl" show --json configs/demo.conf node1 >"$tmp/json"
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert [n["name"] for n in d["nodes"]] == ["node1"] and [v["name"] for v in d["vms"]] == ["guest1"], d' "$tmp/json" 2>"$tmp/err"; then
	pass json-one-node
else
	fail json-one-node "$(tail -1 "$tmp/err")"
fi

# --- show
expect show-node 0 "^\[vm guest2\]" "" show configs/demo.conf node2
expect show-node0 0 "^\[vm guest0\]" "" show configs/demo.conf node0
expect show-unknown-node 2 "" "has no node 'node3'" show configs/demo.conf node3
expect show-typo-node 2 "" "did you mean 'node1'" show configs/demo.conf nod1
expect show-stdin 0 "^name = demo" "" show - <configs/demo.conf
expect show-invalid 3 "" "1 error in" show tests/config/bad/cpus-cpu0.conf

# --- the complete example of docs/config.md is valid
# shellcheck disable=SC2016 # sed, not shell
sed -n '/^```ini$/,/^```$/p' docs/config.md | sed '1d;$d' >"$tmp/example.conf"
expect docs-example-valid 0 "" "" check "$tmp/example.conf"

# --- usage errors and I/O errors
expect no-args 2 "" "^Usage: mintctl COMMAND"
expect unknown-command 2 "" "unknown command 'chekc'; did you mean 'check'?" chekc
expect unknown-global-option 2 "" "unknown option '--bogus'" --bogus check configs/demo.conf
expect unknown-option 2 "" "unknown option '--bogus'" check --bogus configs/demo.conf
expect unknown-short-option 2 "" "unknown option '-x'" check -x configs/demo.conf
expect missing-config 2 "" "missing CONFIG" check
expect extra-argument 2 "" "too many arguments" check configs/demo.conf extra
expect option-needs-value 2 "" "option '--format' needs a value" bootargs configs/demo.conf --format
expect no-such-file 1 "" "cannot read /nonexistent.conf: No such file or directory" check /nonexistent.conf
expect directory 1 "" "cannot read configs: Is a directory" check configs
expect version 0 "^mintctl [0-9]" "" --version
expect help 0 "^Commands:" "" --help
expect help-verb 0 "^Usage: mintctl help" "" help help
expect help-unknown 2 "" "no command 'nope'" help nope

# --- every command has help from the table
mapfile -t cmds < <("$mintctl" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z]*\) .*/\1/p')
same help-lists-commands "${cmds[*]}" "check show bootargs start stop restart release status console log wait help"
for c in "${cmds[@]}"; do
	expect "help-$c" 0 "^Usage: mintctl $c " "" "$c" --help
done

# --- node commands: arguments now, the kernel interface later (exit 5)
nokernel="the mint kernel interface (/sys/kernel/mint) is not present; boot node0 with the mint kernel"
export MINT_SYSROOT=tests/config/sysroot/demo
expect start-node 5 "" "^mintctl: start: $nokernel\$" start node1
expect start-all 5 "" "$nokernel" start --all --config=configs/demo.conf --timeout=30
expect stop-force 5 "" "^mintctl: stop: $nokernel\$" stop --force node1 node2
expect restart 5 "" "^mintctl: restart: $nokernel\$" restart -f -t 5 node1
expect release 5 "" "^mintctl: release: $nokernel\$" release --all
expect status 5 "" "^mintctl: status: $nokernel\$" status
expect status-json 5 "" "$nokernel" status --json node1
expect console 5 "" "^mintctl: console: $nokernel\$" console node1
expect console-vm 5 "" "$nokernel" console node1/guest1
expect log 5 "" "^mintctl: log: $nokernel\$" log --follow node2
expect wait 5 "" "^mintctl: wait: $nokernel\$" wait --timeout=10 node1 running
expect start-no-node 2 "" "missing NODE (or --all)" start
expect start-node-and-all 2 "" "give NODE names or --all, not both" start --all node1
expect start-node0 2 "" "node0 is the Linux running mintctl" start node0
expect start-bad-name 2 "" "'Node1' is not a valid node name" start Node1
expect stop-twice 2 "" "node 'node1' is given twice" stop node1 node1
expect stop-bad-timeout 2 "" "timeout 'soon' is not a number of seconds" stop -t soon node1
expect stop-unknown-option 2 "" "unknown option '--now'" stop --now node1
expect console-bad-vm 2 "" "'Bad' is not a valid vm name" console node1/Bad
expect console-two 2 "" "too many arguments" console node1 node2
expect log-missing 2 "" "missing NODE" log
expect wait-state-typo 2 "" "did you mean 'running'" wait node1 runing
expect wait-missing-state 2 "" "missing NODE or STATE" wait node1
MINT_SYSROOT=tests/config/sysroot/mint-kernel expect start-kernel-present 5 "" \
	"this mintctl cannot drive nodes yet" start node1
MINT_SYSROOT=tests/config/sysroot/mint-kernel expect status-kernel-present 5 "" \
	"this mintctl cannot drive nodes yet" status
unset MINT_SYSROOT
expect sysroot-option 5 "" "$nokernel" --sysroot=tests/config/sysroot/demo status

# --- the man page is generated from the command table and committed
if "$mintctl" --man | cmp -s - docs/mintctl.1; then
	pass man-page-in-sync
else
	fail man-page-in-sync "docs/mintctl.1 differs from 'mintctl --man'; run make partitioner-man"
fi
if LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z docs/mintctl.1 2>"$tmp/err" && [ ! -s "$tmp/err" ]; then
	pass man-page-renders
else
	fail man-page-renders "$(head -3 "$tmp/err")"
fi
missing=""
for c in "${cmds[@]}"; do
	grep -q "^\.SS \"$c " docs/mintctl.1 || missing="$missing $c"
done
same man-page-has-every-command "$missing" ""

# --- bash completion matches the command table
# shellcheck disable=SC2317 # called by the completion script
complete() { :; }
PATH=$(cd "$(dirname "$mintctl")" && pwd):$PATH
# shellcheck source=partitioner/mintctl/mintctl.bash-completion
source partitioner/mintctl/mintctl.bash-completion
complete_words() {
	COMP_WORDS=("$@")
	COMP_CWORD=$(($# - 1))
	COMPREPLY=()
	_mintctl
	printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' '
}
want=$(printf '%s\n' "${cmds[@]}" | sort | tr '\n' ' ')
got=$(complete_words mintctl "")
same completion-commands "$got" "$want"
for c in "${cmds[@]}"; do
	want=$("$mintctl" "$c" --help | sed -n '/^Options:/,$p' | grep -o -- '--[a-z]*=\?' | sort -u | tr '\n' ' ')
	got=$(complete_words mintctl "$c" -)
	same "completion-options-$c" "$got" "$want"
done
got=$(complete_words mintctl show configs/demo.conf "")
same completion-show-nodes "$got" "node0 node1 node2 "
got=$(complete_words mintctl bootargs --format=g)
same completion-format "$got" "grub "

# --- style of the sources
if clang-format --dry-run -Werror partitioner/lib/*.[ch] partitioner/mintctl/*.[ch] \
	tests/unit/check_*.c tests/fuzz/*.c 2>"$tmp/err"; then
	pass clang-format
else
	fail clang-format "$(head -3 "$tmp/err" | tr '\n' ' ')"
fi
if shellcheck tests/config/*.sh tests/unit/*.sh tests/fuzz/*.sh \
	partitioner/mintctl/mintctl.bash-completion >"$tmp/err" 2>&1; then
	pass shellcheck
else
	fail shellcheck "$(head -3 "$tmp/err" | tr '\n' ' ')"
fi
if grep -nE '\b(atoi|atol|sscanf|strtou?ll?|exit|printf|puts|perror)\(' partitioner/lib/*.c >"$tmp/err"; then
	fail lib-pure "$(head -3 "$tmp/err" | tr '\n' ' ')"
else
	pass lib-pure
fi

exit $failed
