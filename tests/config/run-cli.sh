#!/bin/bash
# mintctl's command line: bootargs, JSON, show, the node commands against
# fake kernel trees, help, man page, completion and exit codes (the style
# of the sources is tests/lint.sh's). Run from anywhere:
#   tests/config/run-cli.sh MINTCTL [KEXEC_REFUSALS]
# One PASS:/FAIL: line per test. With KEXEC_REFUSALS (tests/kernel), also
# that it reads the images load --save-image writes.
# Three parts are sourced in their place: cli-nodes.sh (the node commands
# against a fake node0), cli-images.sh (one-off images) and cli-links.sh
# (the links between node0 and the nodes).
set -u
cd "$(dirname "$0")/../.." || exit 1
mintctl=$1
refusals=${2:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
pass() { echo "PASS: cli/$1"; }
fail() {
	echo "FAIL: cli/$1: $2"
	failed=1
	# the mutation check needs only the first failure
	[ -z "${MINT_FAIL_FAST:-}" ] || exit 1
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
# (an empty pattern means "must be empty"). mintctl runs under the command
# in the array run_as when it is set (setpriv, to run it as another user).
run_as=()
expect() {
	local name=$1 want=$2 out=$3 err=$4 rc
	shift 4
	"${run_as[@]}" "$mintctl" "$@" >"$tmp/out" 2>"$tmp/err"
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
# json_errors NAME RC CHECK ARGS...: exit RC, every line on stderr is a JSON
# object, and CHECK holds: a Python expression over e (the list of those
# objects) and out (stdout)
json_errors() {
	local name=$1 want=$2 check=$3 rc
	shift 3
	"$mintctl" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -ne "$want" ]; then
		fail "$name" "exit $rc, expected $want: $(head -c 200 "$tmp/err")"
	elif python3 - "$tmp/out" "$tmp/err" "$check" <<'PY' 2>"$tmp/pyerr"; then
import json, sys
out = open(sys.argv[1]).read()
e = [json.loads(line) for line in open(sys.argv[2]).read().splitlines()]
assert e and eval(sys.argv[3]), (out, e)
PY
		pass "$name"
	else
		fail "$name" "$(tail -1 "$tmp/pyerr" | head -c 300)"
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

# --- show --json: a real JSON parser reads it, and each node's fields agree
# (cpus is the list cpulist names, memory_total the sum of its ranges)
for conf in configs/demo.conf tests/config/good/*.conf; do
	name=json-$(basename "$conf" .conf)
	if "$mintctl" show --json "$conf" >"$tmp/json" 2>"$tmp/err" &&
		python3 - "$tmp/json" <<'PY' 2>"$tmp/err"; then
import json, sys
for n in json.load(open(sys.argv[1]))["nodes"]:
    cpus = []
    for item in n["cpulist"].split(","):
        lo, _, hi = item.partition("-")
        cpus += range(int(lo), int(hi or lo) + 1)
    assert n["cpus"] == cpus, (n["name"], n["cpus"], n["cpulist"])
    assert n["memory_total"] == sum(r["size"] for r in n["memory"]), n
PY
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
assert n["node1"]["autostart"] is True and n["node1"]["cmdline"] == "nohz=off highres=off apic_end_stale_isr"
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
if python3 -c 'import json,sys; v={x["name"]: x for x in json.load(open(sys.argv[1]))["vms"]}; assert v["front"]["cpu_model"] == "EPYC-v4,+avx2" and v["back"]["cpu_model"] == "qemu64", v' "$tmp/json" 2>"$tmp/err" &&
	"$mintctl" show --vms tests/config/good/full.conf web | grep -q "^name='front' .* cpu_model='EPYC-v4,+avx2' "; then
	pass json-and-vms-cpu-model
else
	fail json-and-vms-cpu-model "$(tail -1 "$tmp/err")"
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
json_errors json-error-config 3 'out == "" and len(e) == 9 and all(x["command"] == "show" and x["exit"] == 3 for x in e) and [x.get("line") for x in e[:3]] == [12, 13, 15] and e[0]["file"] == "tests/config/bad/mixed-passes.conf" and e[0]["error"].startswith("tests/config/bad/mixed-passes.conf:12: node '"'node2'"': cpus: ") and e[-1] == {"command": "show", "exit": 3, "error": "8 errors in tests/config/bad/mixed-passes.conf"}' show --json tests/config/bad/mixed-passes.conf
json_errors json-error-missing-file 1 'e == [{"command": "show", "exit": 1, "error": "cannot read /nonexistent.conf: No such file or directory"}]' show --json /nonexistent.conf

# --- docs/config.md against the code: every example config (each fenced
# ini block) is valid; the complete example is configs/demo.conf plus the
# optional VM keys it says; the JSON block is what show --json prints for
# it; the bootargs line is the demo's; show fills every default the key
# tables give and leaves out exactly the keys whose default is none.
python3 - docs/config.md "$tmp" <<'PY'
import re, sys
text, tmp = open(sys.argv[1]).read(), sys.argv[2]
blocks = re.findall(r"^```ini\n(.*?)^```$", text, re.S | re.M)
for i, b in enumerate(blocks):
    open(f"{tmp}/docs-ini-{i}.conf", "w").write(b)
json_block = re.search(r"^## `mintctl show --json`\n.*?^```json\n(.*?)^```$", text, re.S | re.M)
open(f"{tmp}/docs-show.json", "w").write(json_block.group(1) if json_block else "")
boot = re.search(r"For `configs/demo.conf`:\n\n```\n(.*?)\n```", text)
open(f"{tmp}/docs-bootargs", "w").write(boot.group(1) + "\n" if boot else "")
PY
n=0
for conf in "$tmp"/docs-ini-*.conf; do
	[ -e "$conf" ] || continue
	expect "docs-example-$n-valid" 0 "" "" check "$conf"
	n=$((n + 1))
done
same docs-examples-found "$((n >= 1))" 1
"$mintctl" show --json "$tmp/docs-ini-0.conf" >"$tmp/example.json" 2>&1
"$mintctl" show --json configs/demo.conf >"$tmp/demo.json" 2>&1
if python3 - "$tmp/example.json" "$tmp/demo.json" <<'PY' 2>"$tmp/err"; then
import json, sys
ex, demo = (json.load(open(f)) for f in sys.argv[1:3])
for vm in ex["vms"]:
    vm.update(disk=None, restart="no", cpu_model="qemu64")
assert ex == demo, (ex, demo)
PY
	pass docs-example-is-demo
else
	fail docs-example-is-demo "$(tail -1 "$tmp/err" | head -c 300)"
fi
"$mintctl" show --json "$tmp/docs-ini-0.conf" node1 >"$tmp/node1.json" 2>&1
if python3 - "$tmp/docs-show.json" "$tmp/node1.json" <<'PY' 2>"$tmp/err"; then
import json, sys
docs, out = (json.load(open(f)) for f in sys.argv[1:3])
def keys(v, path=""):
    if isinstance(v, dict):
        return {path + "/" + k for k in v} | {p for k in v for p in keys(v[k], path + "/" + k)}
    if isinstance(v, list):
        return {p for x in v for p in keys(x, path + "[]")}
    return set()
assert keys(docs) == keys(out), ("documented only", sorted(keys(docs) - keys(out)), "emitted only", sorted(keys(out) - keys(docs)))
PY
	pass docs-json-schema-keys
else
	fail docs-json-schema-keys "$(tail -1 "$tmp/err" | head -c 300)"
fi
if python3 -c 'import json,sys; a, b = (json.load(open(f)) for f in sys.argv[1:3]); assert a == b, (a, b)' \
	"$tmp/docs-show.json" "$tmp/node1.json" 2>"$tmp/err"; then
	pass docs-json-values
else
	fail docs-json-values "$(tail -1 "$tmp/err" | head -c 300)"
fi
same docs-bootargs-demo "$(cat "$tmp/docs-bootargs")" "$("$mintctl" bootargs configs/demo.conf)"
printf '[partition]\nversion = 1\n[node n1]\ncpus = 2\nmemory = 512M@0x28000000\nkernel = /k\n[vm v]\nnode = n1\nkernel = /k\n' >"$tmp/sparse.conf"
"$mintctl" show "$tmp/sparse.conf" >"$tmp/sparse.show" 2>&1
if python3 - docs/config.md "$tmp/sparse.show" <<'PY' 2>"$tmp/err"; then
import re, sys
text, shown = open(sys.argv[1]).read(), open(sys.argv[2]).read()
for sec in ("partition", "node", "vm"):
    table = re.search(r"^### `\[%s[^`]*\]`.*?\n\n(\|.*?)\n\n" % sec, text, re.S | re.M).group(1)
    rows = [r.split("|")[1:4] for r in table.splitlines()[2:]]
    want = {k.strip().strip("`") for k, _, d in rows if d.strip() != "none"}
    body = re.search(r"^\[%s[^\]]*\]\n(.*?)(?=^\[|\Z)" % sec, shown, re.S | re.M).group(1)
    got = {l.split("=")[0].strip() for l in body.splitlines() if "=" in l and not l.startswith("#")}
    assert got == want, (sec, "documented, not shown", sorted(want - got), "shown, not documented", sorted(got - want))
PY
	pass show-fills-defaults
else
	fail show-fills-defaults "$(tail -1 "$tmp/err" | head -c 300)"
fi

# --- usage errors and I/O errors
expect no-args 2 "" "^Usage: mintctl \[--sysroot=DIR\] COMMAND"
expect unknown-command 2 "" "unknown command 'chekc'; did you mean 'check'?" chekc
expect unknown-global-option 2 "" "unknown option '--bogus'" --bogus check configs/demo.conf
expect unknown-option 2 "" "unknown option '--bogus'" check --bogus configs/demo.conf
expect unknown-short-option 2 "" "unknown option '-x'" check -x configs/demo.conf
expect missing-config 2 "" "missing CONFIG" check
expect check-system-and-preflight 2 "" "give --system or --preflight, not both" check --system --preflight configs/demo.conf
expect preflight-stdin 0 "^Pre-flight check of <stdin> " "" --sysroot=tests/config/sysroot/preflight check --preflight - <tests/config/preflight/ok.conf
expect preflight-invalid-config 3 "" "1 error in" --sysroot=tests/config/sysroot/preflight check --preflight tests/config/bad/cpus-cpu0.conf
expect extra-argument 2 "" "too many arguments" check configs/demo.conf extra
expect option-needs-value 2 "" "option '--format' needs a value" bootargs configs/demo.conf --format
expect no-such-file 1 "" "cannot read /nonexistent.conf: No such file or directory" check /nonexistent.conf
expect directory 1 "" "cannot read configs: Is a directory" check configs
# misspelt options get a hint, as misspelt commands do (from the options
# --help lists; -h/--help is every command's)
expect option-hint 2 "" "^mintctl: stop: unknown option '--forse'; did you mean '--force'?\$" stop --forse node1
expect option-hint-with-value 2 "" "unknown option '--timout=5'; did you mean '--timeout'?" start --timout=5 node1
expect option-hint-help 2 "" "unknown option '--hepl'; did you mean '--help'?" status --hepl
expect option-hint-usage 2 "" "^Usage: mintctl status " status --jsno
expect option-takes-no-value 2 "" "^mintctl: stop: option '--all' takes no value\$" stop --all=yes node1
expect global-option-hint 2 "" "^mintctl: unknown option '--sysrot=x'; did you mean '--sysroot'?\$" --sysrot=x status
expect global-option-takes-no-value 2 "" "^mintctl: option '--version' takes no value\$" --version=1
expect global-sysroot-needs-value 2 "" "^mintctl: option '--sysroot' needs a value\$" --sysroot
expect help-global-options 0 "^  --sysroot=DIR " "" --help
expect help-usage-sysroot 0 "^Usage: mintctl \[--sysroot=DIR\] COMMAND" "" --help
expect version 0 "^mintctl [0-9]" "" --version
# one version string (MINTCTL_VERSION in mintctl.h): --version and the man page
ver=$("$mintctl" --version)
same version-from-header "$ver" "mintctl $(sed -n 's/^#define MINTCTL_VERSION "\(.*\)"$/\1/p' partitioner/mintctl/mintctl.h)"
same version-in-man-page "$(sed -n 's/^\.TH MINTCTL 1 "" "\([^"]*\)".*/\1/p' docs/mintctl.1)" "$ver"
expect help 0 "^Commands:" "" --help
expect help-verb 0 "^Usage: mintctl help" "" help help
expect help-unknown 2 "" "no command 'nope'" help nope

# --- every command has help from the table
mapfile -t cmds < <("$mintctl" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z]*\) .*/\1/p')
same help-lists-commands "${cmds[*]}" "check show bootargs load start stop restart release status audit list console log wait vm migrate update help"
for c in "${cmds[@]}"; do
	expect "help-$c" 0 "^Usage: mintctl $c " "" "$c" --help
done

# --- node commands without the mint kernel interface: arguments, then exit 5
nokernel="the mint kernel interface (/sys/kernel/mint) is not present; boot node0 with the mint kernel"
export MINT_SYSROOT=tests/config/sysroot/demo
expect start-node 5 "" "^mintctl: start: $nokernel\$" start node1
expect start-all 5 "" "$nokernel" start --all --config=configs/demo.conf --timeout=30
# the options' own checks come before the kernel check, the config after it
expect start-all-oneoff-first 2 "" "go with NODE names, not with --all" start --all --kernel=/nonexistent/bzImage
expect start-oneoff-file-first 2 "" "^mintctl: start: --kernel /nonexistent/bzImage cannot be read" start --kernel=/nonexistent/bzImage node1
expect restart-kernel-before-config 5 "" "^mintctl: restart: $nokernel\$" restart --config=/nonexistent.conf node1
expect stop-force 5 "" "^mintctl: stop: $nokernel\$" stop --force node1 node2
expect restart 5 "" "^mintctl: restart: $nokernel\$" restart -f -t 5 node1
expect release 5 "" "^mintctl: release: $nokernel\$" release --all
expect status 5 "" "^mintctl: status: $nokernel\$" status
expect status-json 5 "" "$nokernel" status --json node1
expect list 5 "" "^mintctl: list: $nokernel\$" list
expect list-operand 2 "" "too many arguments" list node1
expect status-quiet-json 2 "" "give --json or --quiet, not both" status --json --quiet
# under --json, errors are JSON lines on stderr, stdout only the document
json_errors json-error-no-kernel 5 'out == "" and e == [{"command": "status", "exit": 5, "error": "'"$nokernel"'"}]' status --json
json_errors json-error-list 5 'out == "" and e[0]["command"] == "list" and e[0]["exit"] == 5' list --json
json_errors json-error-usage 2 'e == [{"command": "status", "exit": 2, "error": "unknown option '"'--bogus'"'", "usage": "mintctl status [--config=FILE] [--json | --quiet] [NODE...]"}]' status --bogus --json
json_errors json-error-usage-prefix 2 'len(e) == 1 and e[0]["error"].startswith("too many arguments") and "usage" in e[0]' list --js node1
expect json-only-where-taken 2 "" "^mintctl: stop: unknown option '--json'\$" stop --json node1
expect wait 5 "" "^mintctl: wait: $nokernel\$" wait --timeout=10 node1 running
expect start-no-node 2 "" "missing NODE (or --all)" start
expect start-node-and-all 2 "" "give NODE names or --all, not both" start --all node1
expect start-node0 2 "" "node0 is the Linux running mintctl" start node0
expect start-bad-name 2 "" "'Node1' is not a valid node name" start Node1
expect stop-twice 2 "" "node 'node1' is given twice" stop node1 node1
expect stop-no-timeout 2 "" "unknown option '--timeout=5'" stop --timeout=5 node1
expect stop-unknown-option 2 "" "unknown option '--now'" stop --now node1
expect stop-node0 2 "" "node0 is the Linux running mintctl" stop node0
expect restart-bad-timeout 2 "" "timeout 'soon' is not a number of seconds" restart -t soon node1
expect release-missing 2 "" "missing NODE (or --all)" release
expect status-twice 2 "" "node 'node1' is given twice" status node1 node1
expect status-bad-name 2 "" "'Node1' is not a valid node name" status Node1
expect status-node0-twice 2 "" "node 'node0' is given twice" status node0 node0
expect release-node0 2 "" "node0 is the Linux running mintctl" release node1 node0
expect wait-state-typo 2 "" "did you mean 'running'" wait node1 runing
expect wait-old-state 2 "" "unknown state 'released'; use offline, loaded, starting, booting, running, halted, panic, hung, stopped or failed" wait node1 released
expect wait-missing-state 2 "" "missing NODE or STATE" wait node1
expect wait-node0 2 "" "node0 is the Linux running mintctl" wait node0 running
expect wait-bad-timeout 2 "" "timeout '-1' is not a number of seconds" wait -t -1 node1 running
unset MINT_SYSROOT
expect sysroot-option 5 "" "$nokernel" --sysroot=tests/config/sysroot/demo status
# an interface without nodes (and without cpu/online): node0 alone
export MINT_SYSROOT=tests/config/sysroot/mint-kernel
got=$("$mintctl" status 2>&1)
same status-no-nodes "$got" "$(printf '%s\n' 'NODE   STATE    CPUS  MEMORY  HEARTBEAT' 'node0  running  -     -       -')"
expect start-config-missing 1 "" "cannot read /nonexistent.conf: No such file or directory" start --config=/nonexistent.conf node1
expect stop-all-none 0 "" "no node is started; nothing to stop" stop --all
expect wait-no-node 4 "" "node1: no such node in node0's kernel" wait node1 running
unset MINT_SYSROOT

# --- log: the node's console ring; console is not there yet (honest exit 5)
export MINT_SYSROOT=tests/config/sysroot/demo
expect log-no-kernel 5 "" "the mint kernel interface (/sys/kernel/mint) is not present" log node2
export MINT_SYSROOT=tests/config/sysroot/nodes
expect log-panicked-node 0 "Kernel panic - not syncing: sysrq triggered crash" "" log node3
expect log-undefined-node 4 "" "no node 'node9' in node0's kernel" log node9
expect log-no-ring 1 "" "node2: cannot read its log" log node2
export MINT_SYSROOT=tests/config/sysroot/demo
expect console-no-kernel 5 "" "the mint kernel interface (/sys/kernel/mint) is not present" console node1/guest1
export MINT_SYSROOT=tests/config/sysroot/nodes
expect console-stopped-node 4 "" "node2: is stopped; its console needs it running" console node2
expect console-undefined-node 4 "" "no node 'node9' in node0's kernel" console node9
expect console-bad-vm 2 "" "'Bad' is not a valid vm name" console node1/Bad
expect console-two 2 "" "too many arguments" console node1 node2
expect console-until-empty 2 "" "--until needs a text of 1 to 255 characters" console --until= node1
expect console-until-not-seen 1 "" "node1: '@@END 1' did not appear within 1 s" console --timeout=1 --until=@@END\ 1 node1 < /dev/null
expect log-missing 2 "" "missing NODE" log
expect log-node0 2 "" "node0 is the Linux running mintctl" log node0
unset MINT_SYSROOT

# --- node commands against a fake node0: cli-nodes.sh
# shellcheck source=tests/config/cli-nodes.sh
. tests/config/cli-nodes.sh

# --- one-off images and their record: cli-images.sh
# shellcheck source=tests/config/cli-images.sh
. tests/config/cli-images.sh

# --- the links between node0 and the nodes: cli-links.sh
# shellcheck source=tests/config/cli-links.sh
. tests/config/cli-links.sh

# --- mintctl migrate: cli-migrate.sh
# shellcheck source=tests/config/cli-migrate.sh
. tests/config/cli-migrate.sh

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
same man-page-global-options "$(sed -n '/^\.SH OPTIONS/,/^\.SH COMMANDS/p' docs/mintctl.1 | grep -c '^\.B \\-\\-sysroot=DIR$')" 1

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
	want=$("$mintctl" "$c" --help | sed -n '/^Options:/,$p' | grep -o -- '--[a-z][a-z-]*=\?' | sort -u | tr '\n' ' ')
	got=$(complete_words mintctl "$c" -)
	same "completion-options-$c" "$got" "$want"
done
want=$("$mintctl" --help | sed -n '/^Global options/,/^$/p' | grep -o -- '--[a-z]*=\?' | sort -u | tr '\n' ' ')
got=$(complete_words mintctl -)
same completion-global-options "$got" "$want"
got=$(complete_words mintctl --sysroot=tests/config/sysroot/no)
same completion-sysroot-dir "$got" "tests/config/sysroot/nodes "
got=$(complete_words mintctl --sysroot tests/config/sysroot st)
same completion-after-sysroot "$got" "start status stop "
# as bash splits the line at '=' (COMP_WORDBREAKS)
got=$(complete_words mintctl bootargs --format = g)
same completion-split-format "$got" "grub "
got=$(complete_words mintctl --sysroot = tests/config/sysroot/no)
same completion-split-sysroot "$got" "tests/config/sysroot/nodes "
got=$(complete_words mintctl show configs/demo.conf "")
same completion-show-nodes "$got" "node0 node1 node2 "
got=$(complete_words mintctl bootargs --format=g)
same completion-format "$got" "grub "
got=$(complete_words mintctl vm s)
same completion-vm-actions "$got" "start status stop "
# wait's STATE: every state of the contract, as 'mintctl wait' takes them
got=$(complete_words mintctl wait node1 "")
same completion-wait-states "$got" "booting failed halted hung loaded offline panic running starting stopped "
expect complete-operands-unknown 2 "" "" __complete bogus operands
expect complete-operands-none 0 "" "" __complete stop operands
got=$(complete_words mintctl vm --config=configs/demo.conf stop "")
same completion-vm-targets "$got" "node0/guest0 node1/guest1 node2/guest2 "

# --- vm: a VM through its kernel's supervisor (kvm-per-node/mint-vmd).
# The fake tree has no supervisor and no node shell: what it shows is the
# argument checks, the report read, the request written for node0's VMs and
# typed on a node's terminal, and the answers of that line (appended to the
# fake console_log by a background writer, as the node's shell would).
export MINT_SYSROOT=$nodes
cat >"$tmp/vms.conf" <<'EOF'
[partition]
version = 1
name = fake
[node node1]
cpus = 2
memory = 640M@0x28000000
kernel = /nonexistent/mint/bzImage
[node node2]
cpus = 3
memory = 640M@0x50000000
kernel = /nonexistent/mint/bzImage
[vm guest0]
node = node0
kernel = /nonexistent/vmlinuz
[vm guest1]
node = node1
kernel = /nonexistent/vmlinuz
[vm guest2]
node = node2
kernel = /nonexistent/vmlinuz
EOF
vmc=$tmp/vms.conf
expect vm-missing-action 2 "" "missing start, stop, restart or status" vm
expect vm-action-typo 2 "" "unknown action 'strat'; did you mean 'start'?" vm strat node1/guest1
expect vm-action-unknown 2 "" "unknown action 'boot'; use start, stop, restart or status" vm boot node1/guest1
expect vm-missing-target 2 "" "missing NODE/VM" vm start
expect vm-too-many 2 "" "too many arguments" vm stop node1/guest1 node2/guest2
expect vm-start-needs-vm 2 "" "'node1' names no VM; give NODE/VM" vm start node1
expect vm-bad-vm-name 2 "" "'Guest1' is not a valid vm name" vm stop node1/Guest1
expect vm-bad-node-name 2 "" "'Node1' is not a valid node name" vm status Node1
expect vm-bad-timeout 2 "" "timeout 'x' is not a number" vm start --timeout=x node1/guest1
expect vm-option-typo 2 "" "unknown option '--timout=1'; did you mean '--timeout'?" vm start --timout=1 node1/guest1
expect vm-status-node 0 "^guest1 running pid=99 restarts=0\$" "" vm status node1
expect vm-status-vm 0 "^guest1 running pid=99 restarts=0\$" "" vm status node1/guest1
expect vm-status-vm-unreported 4 "" "^mintctl: vm: node1/guest9: not in the report of node1's VM supervisor\$" vm status node1/guest9
expect vm-status-node-stopped 4 "" "^mintctl: vm: node2: is stopped; its VMs run only while it runs\$" vm status node2/guest2
expect vm-status-unknown-node 4 "" "^mintctl: vm: no node 'node9' in node0's kernel\$" vm status node9
expect vm-start-not-in-config 4 "" "node1/guest9: no VM 'guest9' in $vmc" vm start --config="$vmc" node1/guest9
expect vm-start-other-node 4 "" "node1/guest2: $vmc gives VM 'guest2' to node2, not to node1" vm start --config="$vmc" node1/guest2
expect vm-start-config-invalid 3 "" "1 error in" vm start --config=tests/config/bad/cpus-cpu0.conf node1/guest1
expect vm-start-node-stopped 4 "" "node2: is stopped; its VMs run only while it runs" vm start --config="$vmc" node2/guest2
expect vm-no-kernel 5 "" "$nokernel" --sysroot=tests/config/sysroot/demo vm stop --config="$vmc" node1/guest1
# node0's VMs: the request file, only while node0's supervisor reports
fresh
touch "$tmp/root/run/mint/vms.status"
expect vm-status-node0 0 "^guest0 running pid=77 restarts=0\$" "" vm status node0/guest0
expect vm-node0-stop-times-out 1 "" "node0/guest0: still running pid=77 restarts=0 after 1 s (wanted stopped)" vm stop --config="$vmc" --timeout=1 node0/guest0
same vm-node0-stop-request "$(cat "$tmp/root/run/mint/vm/guest0/want" 2>&1)" "stop"
expect vm-node0-start-running 0 "" "^node0/guest0: running pid=77 restarts=0\$" vm start --config="$vmc" --timeout=5 node0/guest0
same vm-node0-start-request "$(cat "$tmp/root/run/mint/vm/guest0/want" 2>&1)" "start"
rm -r "$tmp/root/run/mint/vm"
sed -i 's/^guest0 running pid=77/guest0 stopped by-request/' "$tmp/root/run/mint/vms.status"
expect vm-node0-stopped 0 "" "^node0/guest0: stopped by-request" vm stop -c "$vmc" node0/guest0
touch -d '-60 seconds' "$tmp/root/run/mint/vms.status"
expect vm-node0-stale-supervisor 4 "" "node0: its VM supervisor's last report is 6[01]s old: mint-vmd is not running" vm start -c "$vmc" node0/guest0
expect vm-status-node0-stale 0 "^guest0 stopped" "report is 6[01]s old" vm status node0
rm -r "$tmp/root/run/mint/vms.status" "$tmp/root/run/mint/vm"
expect vm-node0-no-supervisor 4 "" "node0: its VM supervisor (mint-vmd) has not reported" vm start -c "$vmc" node0/guest0
same vm-node0-no-request "$([ -e "$tmp/root/run/mint/vm/guest0/want" ] && echo written)" ""
# a node's VM: the shell line typed on its terminal, and its answers
fresh
touch "$tmp/root/sys/kernel/mint/node1/console_in" "$tmp/root/sys/kernel/mint/node1/console_log"
expect vm-node-no-answer 1 "" "node1: its shell on the control-area terminal did not answer within 1 s" vm stop -c "$vmc" --timeout=1 node1/guest1
# shellcheck disable=SC2016 # the $ are literal
if grep -q 'd=/run/mint/vm/guest1; if kill -0 .*/run/mint/vmd.pid.* echo stop >$d/want.new && mv $d/want.new $d/want ' "$tmp/root/sys/kernel/mint/node1/console_in"; then
	pass vm-node-request-typed
else
	fail vm-node-request-typed "$(head -c 300 "$tmp/root/sys/kernel/mint/node1/console_in")"
fi
answer() { (sleep 0.5 && printf '%s\r\n' "$1" >>"$tmp/root/sys/kernel/mint/node1/console_log") & }
answer "@@MINTVM no-supervisor"
expect vm-node-no-supervisor 4 "" "node1: no VM supervisor (mint-vmd) runs in it" vm stop -c "$vmc" --timeout=5 node1/guest1
answer "@@MINTVM ok"
expect vm-node-stop-waits 1 "" "node1/guest1: still running pid=99 restarts=0 after 2 s (wanted stopped)" vm stop -c "$vmc" --timeout=2 node1/guest1
answer "@@MINTVM ok"
expect vm-node-start-running 0 "" "^node1/guest1: running pid=99 restarts=0\$" vm start -c "$vmc" --timeout=5 node1/guest1
: >"$tmp/root/sys/kernel/mint/node1/vms"
expect vm-node-unreported 4 "" "node1: its VM supervisor (mint-vmd) has not reported" vm restart -c "$vmc" node1/guest1
wait
# a VM's console is followed in the background and the follower killed at
# the end, so the node's shell is free for the next command (a foreground
# 'tail -f' kept it busy: the node's interrupt key reaches no job there).
# console_in is a stream: a FIFO drained into a file stands in for it.
cin=$tmp/root/sys/kernel/mint/node1/console_in
rm -f "$cin"
mkfifo "$cin"
# (read-write: the reader never waits for a writer nor sees an end)
cat <>"$cin" >>"$tmp/typed" 2>/dev/null &
drain=$!
expect console-vm-follows-in-background 0 "" "" console --timeout=1 node1/guest1 </dev/null
sleep 0.3
kill "$drain"
# shellcheck disable=SC2016 # the $ are literal
if [ "$(sed -n 1p "$tmp/typed")" = 'tail -f /run/mint/vm/guest1/console.log & echo $! >/run/mint/vm/guest1/console.follow' ] &&
	[ "$(sed -n 2p "$tmp/typed")" = 'kill $(cat /run/mint/vm/guest1/console.follow) 2>/dev/null' ]; then
	pass console-vm-follower-killed
else
	fail console-vm-follower-killed "$(head -c 300 "$tmp/typed")"
fi
unset MINT_SYSROOT

# (the style of the sources: tests/lint.sh)

exit $failed
