#!/bin/bash
# mintctl's command line: bootargs, JSON, show, the node commands against
# fake kernel trees, help, man page, completion, exit codes, and the style
# of the sources. Run from anywhere:
#   tests/config/run-cli.sh MINTCTL [KEXEC_REFUSALS]
# One PASS:/FAIL: line per test. With KEXEC_REFUSALS (tests/kernel), also
# that it reads the images load --save-image writes.
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
same help-lists-commands "${cmds[*]}" "check show bootargs load start stop restart release status list console log wait vm help"
for c in "${cmds[@]}"; do
	expect "help-$c" 0 "^Usage: mintctl $c " "" "$c" --help
done

# --- node commands without the mint kernel interface: arguments, then exit 5
nokernel="the mint kernel interface (/sys/kernel/mint) is not present; boot node0 with the mint kernel"
export MINT_SYSROOT=tests/config/sysroot/demo
expect start-node 5 "" "^mintctl: start: $nokernel\$" start node1
expect start-all 5 "" "$nokernel" start --all --config=configs/demo.conf --timeout=30
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

# --- node commands against a fake node0 (tests/config/sysroot/nodes): its
# sys/kernel/mint holds regular files in place of the sysfs attributes,
# node1 running, node2 stopped, node3 panic, spare offline with its CPU not
# online in node0, and etc/mint/partition.conf with node1..node4. A fake tree
# cannot do what the kernel does: a write to "control" only lands in the
# file, no state changes, and no errno comes back (EBUSY, EALREADY,
# ETIMEDOUT on a slow graceful stop): those paths are left to the system
# tests on the emulated machine (tests/system/). What a tree can show is
# what mintctl reads, what it writes where, and what it refuses before
# writing. Each writing test runs on a fresh copy.
nodes=tests/config/sysroot/nodes
conf=$nodes/etc/mint/partition.conf
fresh() {
	rm -rf "$tmp/root"
	cp -r "$nodes" "$tmp/root"
	export MINT_SYSROOT=$tmp/root
}
# controls: the content of every node's control file, "node=content ..."
controls() {
	local d out=""
	for d in "$tmp"/root/sys/kernel/mint/*/; do
		out="$out $(basename "$d")=$(cat "$d/control")"
	done
	echo "${out# }"
}

# node0's own VMs: its supervisor rewrites run/mint/vms.status every second
fresh
touch "$tmp/root/run/mint/vms.status"
"$mintctl" status --config="$conf" >"$tmp/out" 2>"$tmp/err"
# exit 3: node3 was started and is in panic
same status-rc-and-stderr "$?:$(cat "$tmp/err")" "3:"
same status-table "$(cat "$tmp/out")" "$(
	cat <<'EOF'
NODE   STATE                  CPUS  MEMORY                           HEARTBEAT
node0  running                0-1   -                                -
  vm guest0 running pid=77 restarts=0
node1  running                2     640M@0x28000000                  0.3s ago
  vm guest1 running pid=99 restarts=0
node2  stopped                3     640M@0x50000000                  -
node3  panic                  4-5   256M@0x78000000,128M@0x90000000  2.5s ago
node4  offline (not defined)  7     256M@0xa0000000                  -
spare  offline                6     256M@0xb0000000                  -
node3: panic: Kernel panic - not syncing: sysrq triggered crash
EOF
)"
touch -d '-60 seconds' "$tmp/root/run/mint/vms.status"
# 60 s, or 61 when a second passes between the touch and mintctl
got=$("$mintctl" status node2 node0 2>&1 | sed 's/these are 6[01]s old/these are 60s old/')
same status-named-node0-vms-stale "$got" "$(
	cat <<'EOF'
NODE   STATE    CPUS  MEMORY           HEARTBEAT
node2  stopped  3     640M@0x50000000  -
node0  running  0-1   -                -
  vm guest0 running pid=77 restarts=0
  (these are 60s old: node0's VM supervisor mint-vmd is not running; on a server see 'systemctl status mint-vms')
EOF
)"
touch "$tmp/root/run/mint/vms.status"
"$mintctl" status --json node0 >"$tmp/json"
same status-json-node0-vms-fresh "$(python3 -c 'import json,sys; n=json.load(open(sys.argv[1]))["nodes"][0]; print(n["vms_age_s"] <= 2, n["vms"][0]["name"])' "$tmp/json" 2>&1)" "True guest0"
# a node mint-autostart does not start at boot says why, under its row
mkdir -p "$tmp/root/var/lib/mint/autostart-blocked"
printf '%s\n' "node4: its start at an earlier boot did not finish (starting node4 (boot 1)): it crashed, hung or reset the machine. Then: mint-autostart clear node4" \
	>"$tmp/root/var/lib/mint/autostart-blocked/node4"
got=$("$mintctl" status --config="$conf" 2>&1 | sed -n '/^node4 /,/^spare /p')
same status-autostart-blocked "$got" "$(
	cat <<'EOF'
node4  offline (not defined)  7     256M@0xa0000000                  -
  autostart blocked: its start at an earlier boot did not finish (starting node4 (boot 1)): it crashed, hung or reset the machine. Then: mint-autostart clear node4
spare  offline                6     256M@0xb0000000                  -
EOF
)"
"$mintctl" status --json --config="$conf" >"$tmp/json"
same status-json-autostart-blocked "$(python3 -c 'import json,sys; n={x["name"]: x for x in json.load(open(sys.argv[1]))["nodes"]}; print(n["node4"]["autostart_blocked"][:38], n["spare"]["autostart_blocked"])' "$tmp/json" 2>&1)" "its start at an earlier boot did not f None"
rm -r "$tmp/root/var/lib/mint/autostart-blocked"
rm "$tmp/root/run/mint/vms.status"
got=$("$mintctl" status node0 2>&1)
same status-node0-without-vms "$got" "$(
	cat <<'EOF'
NODE   STATE    CPUS  MEMORY  HEARTBEAT
node0  running  0-1   -       -
EOF
)"
export MINT_SYSROOT=$nodes
expect status-unknown-node 4 "^node1 " "^mintctl: status: node9: no such node in node0's kernel or in $conf\$" status --config="$conf" node1 node9
expect status-typo 4 "" "nod3: no such node; did you mean 'node3'?" status --config="$conf" nod3
expect status-not-defined 4 "" "node4: not defined in node0's kernel yet ($conf declares it; 'mintctl start node4' defines and starts it)" status --config="$conf" node4
expect status-config-missing 1 "" "cannot read /nonexistent.conf" status --config=/nonexistent.conf
expect status-config-invalid 3 "" "1 error in" status --config=tests/config/bad/cpus-cpu0.conf
"$mintctl" status --json --config="$conf" >"$tmp/json" 2>"$tmp/err"
rc=$?
if [ "$rc" -eq 3 ] && python3 -m json.tool "$tmp/json" >/dev/null 2>>"$tmp/err" &&
	python3 - "$tmp/json" <<'PY' 2>>"$tmp/err"; then
import json, sys
d = json.load(open(sys.argv[1]))
n = {x["name"]: x for x in d["nodes"]}
assert [x["name"] for x in d["nodes"]] == ["node0", "node1", "node2", "node3", "node4", "spare"], list(n)
age = n["node0"].pop("vms_age_s")
assert isinstance(age, int) and age >= 0, age
assert all(x["vms_age_s"] is None for x in d["nodes"][1:]), d["nodes"]
assert n["node0"] == {"name": "node0", "id": 0, "defined": True, "state": "running",
    "cpus": [0, 1], "cpulist": "0-1", "apic_ids": [], "memory": [],
    "heartbeat": None, "heartbeat_age_ms": None, "panic_msg": None,
    "vms": [{"name": "guest0", "state": "running", "detail": "pid=77 restarts=0"}],
    "autostart_blocked": None, "image": None, "timeline": None}, n["node0"]
assert n["node1"] == {"name": "node1", "id": 1, "defined": True, "state": "running",
    "cpus": [2], "cpulist": "2", "apic_ids": [2],
    "memory": [{"base": 0x28000000, "size": 640 << 20}],
    "heartbeat": 42, "heartbeat_age_ms": 300, "panic_msg": None,
    "vms": [{"name": "guest1", "state": "running", "detail": "pid=99 restarts=0"}],
    "vms_age_s": None, "autostart_blocked": None, "image": None,
    "timeline": None}, n["node1"]
assert n["node2"]["state"] == "stopped" and n["node2"]["heartbeat_age_ms"] is None
assert n["node3"]["apic_ids"] == [4, 5] and n["node3"]["cpus"] == [4, 5]
assert n["node3"]["memory"] == [{"base": 0x78000000, "size": 256 << 20},
                                {"base": 0x90000000, "size": 128 << 20}], n["node3"]
assert n["node3"]["panic_msg"] == "Kernel panic - not syncing: sysrq triggered crash"
assert n["node4"]["defined"] is False and n["node4"]["state"] == "offline", n["node4"]
assert n["node4"]["id"] == 4 and n["node4"]["cpus"] == [7] and n["node4"]["heartbeat"] == 0
assert n["spare"]["state"] == "offline" and n["spare"]["defined"] is True
PY
	pass status-json
else
	fail status-json "$(tail -3 "$tmp/err" | tr '\n' ' ')"
fi
"$mintctl" status --json node9 >"$tmp/json" 2>/dev/null
same status-json-unknown-node "$?:$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])))' "$tmp/json" 2>&1)" "4:{'nodes': []}"
json_errors json-error-after-document 4 'json.loads(out)["nodes"][0]["name"] == "node1" and e == [{"command": "status", "exit": 4, "error": "nod3: no such node; did you mean '"'node3'"'?"}]' status --json node1 nod3
# status as a health check: exit 3 when a node shown was started and is
# halted, panic, hung or failed; --quiet prints nothing
expect status-health-panic 3 "" "" status --quiet --config="$conf"
expect status-health-named 0 "" "" status -q node0 node1 node2 spare
expect status-health-named-failed 3 "" "" status -q node1 node3
expect status-health-not-defined-first 4 "" "node9: no such node" status -q node3 node9
got=""
for st in offline loaded starting booting running halted panic hung stopped failed; do
	fresh
	echo "$st" >"$tmp/root/sys/kernel/mint/node1/state"
	"$mintctl" status --quiet node1 >"$tmp/out" 2>&1
	got="$got $st:$?$(cat "$tmp/out")"
done
same status-health-states "$got" " offline:0 loaded:0 starting:0 booting:0 running:0 halted:3 panic:3 hung:3 stopped:0 failed:3"
export MINT_SYSROOT=$nodes
"$mintctl" status node1 >"$tmp/out" 2>&1
same status-one-node "$?:$(cat "$tmp/out")" "0:$(
	cat <<'EOF'
NODE   STATE    CPUS  MEMORY           HEARTBEAT
node1  running  2     640M@0x28000000  0.3s ago
  vm guest1 running pid=99 restarts=0
EOF
)"

# the start timeline: node0's kernel's stamps (NODE/timeline) with
# mintctl's from the image record, in ms at tsc_khz from the first stamp
timeline() {
	local names=(load checked copied start cpus-off sipi entry decompressed
		start-kernel smp-up initcalls init agent vms) tsc=("$@") i
	for i in "${!names[@]}"; do
		echo "${names[$i]} ${tsc[$i]:-0}"
	done
}
fresh
echo 1000 >"$tmp/root/sys/kernel/mint/tsc_khz"
timeline 151000 152000 160000 200000 201000 202000 202500 300000 350000 \
	900000 1334560 >"$tmp/root/sys/kernel/mint/node1/timeline"
mkdir -p "$tmp/root/run/mint/nodes"
printf 'kernel=/k\nkernel_sha256=%s\ntsc_mintctl=100000\ntsc_files=150000\n' \
	"$(printf '%064d' 0)" >"$tmp/root/run/mint/nodes/node1.image"
"$mintctl" status --json node1 >"$tmp/json" 2>"$tmp/err"
if [ "$?:$(cat "$tmp/err")" = "0:" ] && python3 - "$tmp/json" <<'PY' 2>"$tmp/err"; then
import json, sys
t = json.load(open(sys.argv[1]))["nodes"][0]["timeline"]
assert t["tsc_khz"] == 1000 and t["origin"] == "mintctl", t
p = [(x["phase"], x["tsc"], x["ms"]) for x in t["phases"]]
assert p == [("mintctl", 100000, 0.0), ("files", 150000, 50.0),
    ("load", 151000, 51.0), ("checked", 152000, 52.0), ("copied", 160000, 60.0),
    ("start", 200000, 100.0), ("cpus-off", 201000, 101.0), ("sipi", 202000, 102.0),
    ("entry", 202500, 102.5), ("decompressed", 300000, 200.0),
    ("start-kernel", 350000, 250.0), ("smp-up", 900000, 800.0),
    ("initcalls", 1334560, 1234.56), ("init", None, None), ("agent", None, None),
    ("vms", None, None)], p
PY
	pass status-json-timeline
else
	fail status-json-timeline "$(tail -1 "$tmp/err" | head -c 300)"
fi
expect status-timeline-start-line 0 "^  start: 1.23 s from 'mintctl start' to running\$" "" status node1
same status-table-no-start-line "$("$mintctl" status 2>&1 | grep -c 'start:')" 0
# without mintctl's stamps (no record): from node0's load, no start line
rm "$tmp/root/run/mint/nodes/node1.image"
"$mintctl" status --json node1 >"$tmp/json"
same status-json-timeline-from-load "$(python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["nodes"][0]["timeline"]; print(t["origin"], t["phases"][0]["ms"], t["phases"][4]["ms"])' "$tmp/json" 2>&1)" "load None 9.0"
same status-no-start-line-without-record "$("$mintctl" status node1 | grep -c 'start:')" 0
# a malformed file or one without any stamp: null, no warning, exit 0
got=""
for bad in "load x" "$(timeline 1 2 | sed 2d)" "$(timeline 1; echo extra 0)" "$(timeline)"; do
	printf '%s\n' "$bad" >"$tmp/root/sys/kernel/mint/node1/timeline"
	"$mintctl" status --json node1 >"$tmp/json" 2>"$tmp/err"
	got="$got $?:$(cat "$tmp/err"):$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["nodes"][0]["timeline"])' "$tmp/json" 2>&1)"
done
same status-json-timeline-malformed-null "$got" " 0::None 0::None 0::None 0::None"
expect status-timeline-malformed-quiet 0 "^node1 " "" status node1

# list: names and states only, exit 0 whatever the states
"$mintctl" list --config="$conf" >"$tmp/out" 2>&1
same list-lines "$?:$(cat "$tmp/out")" "0:$(
	cat <<'EOF'
node0  running
node1  running
node2  stopped
node3  panic
node4  offline (not defined)
spare  offline
EOF
)"
"$mintctl" list --json -c "$conf" >"$tmp/json"
same list-json "$?:$(python3 -c 'import json,sys; print(" ".join("%s=%s/%s" % (n["name"], n["state"], n["defined"]) for n in json.load(open(sys.argv[1]))["nodes"]))' "$tmp/json" 2>&1)" \
	"0:node0=running/True node1=running/True node2=stopped/True node3=panic/True node4=offline/False spare=offline/True"

# a panic message is the node's text: escaped in JSON, defused in the table
fresh
printf 'bad \033[2J\001 "q" \\ \xff end\n' >"$tmp/root/sys/kernel/mint/node3/panic_msg"
"$mintctl" status --json node3 >"$tmp/json"
if python3 -c 'import json,sys; m=json.load(open(sys.argv[1]))["nodes"][0]["panic_msg"]; assert m == "bad \x1b[2J\x01 \"q\" \\ \ufffd end", ascii(m)' "$tmp/json" 2>"$tmp/err"; then
	pass status-json-hostile-panic
else
	fail status-json-hostile-panic "$(tail -1 "$tmp/err")"
fi
got=$("$mintctl" status node3 | tail -1)
same status-table-hostile-panic "$got" 'node3: panic: bad ?[2J? "q" \ '$'\xff'' end'

# wait: reached at once, reached while waiting, timeout, not defined
export MINT_SYSROOT=$nodes
expect wait-reached 0 "" "" wait node1 running
expect wait-stopped 0 "" "" wait --timeout=1 node2 stopped
start=$SECONDS
expect wait-timeout 1 "" "^mintctl: wait: node1: still running after 1s, not halted\$" wait --timeout=1 node1 halted
same wait-timeout-took-1s "$((SECONDS - start <= 3))" 1
expect wait-not-defined 4 "" "node4: no such node in node0's kernel ('mintctl start node4' defines it)" wait node4 running
fresh
(
	sleep 0.5
	echo halted >"$tmp/root/sys/kernel/mint/node1/state"
) &
expect wait-until-halted 0 "" "" wait --timeout=10 node1 halted
wait

# stop: what is written, to which node, and what is refused first
fresh
expect stop-running 0 "" "^node1: stopped; its CPUs stay reserved until 'mintctl release node1'\$" stop node1
same stop-writes-stop "$(controls)" "node1=stop node2= node3= spare="
fresh
expect stop-force-running 0 "" "node1: stopped (forced; it was running)" stop --force node1
same stop-force-writes-stop-force "$(controls)" "node1=stop-force node2= node3= spare="
fresh
expect stop-panic 0 "" "node3: stopped (forced; it was panic)" stop node3
same stop-panic-writes-stop "$(controls)" "node1= node2= node3=stop spare="
fresh
# as systemctl stop of an inactive unit: nothing to do, exit 0, a message
expect stop-already-stopped 0 "" "^node2: already stopped; its CPUs stay reserved until 'mintctl release node2'\$" stop node2
expect stop-offline 4 "" "^mintctl: stop: spare: is offline, not started; nothing to stop\$" stop spare
expect stop-not-defined 4 "" "node4: no such node in node0's kernel" stop node4
same stop-refusals-write-nothing "$(controls)" "node1= node2= node3= spare="
fresh
expect stop-some-fail 4 "" "node4: no such node" stop node4 node1
same stop-goes-on-after-a-failure "$(controls)" "node1=stop node2= node3= spare="
fresh
expect stop-all 0 "" "node3: stopped (forced" stop --all
same stop-all-writes-started-nodes "$(controls)" "node1=stop node2= node3=stop spare="
fresh
expect stop-all-force 0 "" "node1: stopped (forced; it was running)" stop -a -f
same stop-all-force-writes "$(controls)" "node1=stop-force node2= node3=stop-force spare="
# --quiet: errors only
fresh
expect stop-quiet 0 "" "" stop --quiet node1
same stop-quiet-writes-stop "$(controls)" "node1=stop node2= node3= spare="
expect stop-quiet-already-stopped 0 "" "" stop -q node2
expect stop-quiet-all 0 "" "" stop -q --all
expect stop-quiet-error 4 "" "^mintctl: stop: spare: is offline, not started; nothing to stop\$" stop -q spare
fresh
rm -r "$tmp/root/sys/kernel/mint/node1/control"
expect stop-write-fails 1 "" "^mintctl: stop: node1: stop failed: No such file or directory (see dmesg)\$" stop node1

# release: only nodes that are not started; --all only nodes holding CPUs
fresh
expect release-stopped 0 "" "^node2: CPUs 3 given back to node0\$" release node2
same release-writes-release "$(controls)" "node1= node2=release node3= spare="
fresh
expect release-running 4 "" "^mintctl: release: node1: is running; stop it first (mintctl stop node1)\$" release node1
expect release-panic 4 "" "node3: is panic; stop it first" release node3
expect release-not-defined 4 "" "node4: no such node in node0's kernel" release node4
same release-refusals-write-nothing "$(controls)" "node1= node2= node3= spare="
fresh
expect release-all 0 "" "spare: CPUs 6 given back to node0" release --all
same release-all-writes-holders "$(controls)" "node1= node2=release node3= spare=release"
fresh
expect release-quiet 0 "" "" release --quiet node2
same release-quiet-writes-release "$(controls)" "node1= node2=release node3= spare="
fresh
echo 0-7 >"$tmp/root/sys/devices/system/cpu/online"
echo offline >"$tmp/root/sys/kernel/mint/node2/state"
expect release-all-nothing 0 "" "no stopped node holds CPUs; nothing to release" release --all
same release-all-nothing-writes-nothing "$(controls)" "node1= node2= node3= spare="

# not root: node0's kernel lets only root write the attributes that drive
# nodes (mode 0200); mintctl says so and exits 5 (not "Permission denied").
# The fake tree is made read-only, and when the tests run as root (whom
# file modes do not stop) mintctl runs as nobody.
fresh
touch "$tmp"/root/sys/kernel/mint/node1/console_{in,log}
chmod -R a-w "$tmp/root/sys/kernel/mint"
chmod a+rx "$tmp"
[ "$(id -u)" -ne 0 ] || run_as=(setpriv --reuid=65534 --regid=65534 --clear-groups)
expect not-root-stop 5 "" "^mintctl: stop: node1: must be run as root\$" stop node1
expect not-root-stop-force-all 5 "" "^mintctl: stop: node3: must be run as root\$" stop --force --all
expect not-root-release 5 "" "^mintctl: release: node2: must be run as root\$" release node2
expect not-root-start 5 "" "^mintctl: start: node4: must be run as root\$" start --config="$conf" node4
expect not-root-restart 5 "" "^mintctl: restart: node1: must be run as root\$" restart --config="$conf" node1
expect not-root-console 5 "" "^mintctl: console: node1: must be run as root\$" console --timeout=1 node1 <<<"uptime"
expect not-root-console-vm 5 "" "^mintctl: console: node1: must be run as root\$" console --timeout=1 node1/guest1 </dev/null
expect not-root-status-reads 0 "^node1 *running" "" status node1
run_as=()
same not-root-writes-nothing "$(controls)" "node1= node2= node3= spare="
chmod -R u+w "$tmp/root"

# restart: stop first when started, then the start (which needs the kernel
# file of the config; the fake config names one that does not exist)
fresh
expect restart-stopped 1 "" "node2: cannot read kernel /nonexistent/mint/bzImage: No such file or directory" restart --config="$conf" node2
same restart-stopped-does-not-stop "$(controls)" "node1= node2= node3= spare="
"$mintctl" restart --quiet --config="$conf" node2 2>"$tmp/err"
same restart-quiet-errors-only "$?:$(cat "$tmp/err")" "1:mintctl: restart: node2: cannot read kernel /nonexistent/mint/bzImage: No such file or directory"
"$mintctl" start -q --config="$conf" node2 2>"$tmp/err"
same start-quiet-errors-only "$?:$(cat "$tmp/err")" "1:mintctl: start: node2: cannot read kernel /nonexistent/mint/bzImage: No such file or directory"
fresh
# the real kernel is "stopped" after the write; a fake tree stays "running"
expect restart-running 4 "" "node1: is running; stop it first" restart --config="$conf" node1
same restart-running-stops-first "$(controls)" "node1=stop node2= node3= spare="
fresh
expect restart-force 4 "" "node1: stopped (forced" restart -f --config="$conf" node1
same restart-force-writes-stop-force "$(controls)" "node1=stop-force node2= node3= spare="
fresh
expect restart-not-in-config 3 "" "^mintctl: restart: spare: not in $conf, so it cannot be started again; left as it is\$" restart --config="$conf" spare
expect restart-config-missing 1 "" "cannot read /nonexistent.conf" restart --config=/nonexistent.conf node1
same restart-refusals-write-nothing "$(controls)" "node1= node2= node3= spare="
fresh
expect restart-all 4 "" "node3: is panic; stop it first" restart --all --config="$conf"
same restart-all-stops-started-nodes "$(controls)" "node1=stop node2= node3=stop spare="
unset MINT_SYSROOT

# --- one-off images (start/load --kernel, --initrd, --cmdline) and the
# record status shows. kexec_load(2) cannot load into a fake tree: a
# preloaded shim (tests/config/fake-kexec.c) takes it as node0's kernel
# would, the node's state file becomes "loaded" and $root/kexec.log gets a
# line per load. The fake bzImage and initramfs are those of the preflight
# tree; the fake node never runs, so a start waits 1 s and fails.
shim=$tmp/fake-kexec.so
if ${CC:-cc} -shared -fPIC -O2 -Wall -Werror -o "$shim" tests/config/fake-kexec.c 2>"$tmp/err"; then
	pass fake-kexec-builds
else
	fail fake-kexec-builds "$(head -3 "$tmp/err" | tr '\n' ' ')"
fi
printf '#!/bin/sh\nLD_PRELOAD=%s exec %s "$@"\n' "$shim" "$(cd "$(dirname "$mintctl")" && pwd)/$(basename "$mintctl")" >"$tmp/mintctl-fake"
chmod +x "$tmp/mintctl-fake"
real_mintctl=$mintctl
mintctl=$tmp/mintctl-fake
bz=tests/config/sysroot/preflight/boot/mint/bzImage
ird=$PWD/tests/config/sysroot/preflight/boot/mint/node.cpio
bz_sum=$(sha256sum <"$bz" | cut -d' ' -f1)
ird_sum=$(sha256sum <"$ird" | cut -d' ' -f1)
loads() { if [ -e "$tmp/root/kexec.log" ]; then wc -l <"$tmp/root/kexec.log"; else echo 0; fi; }
record=$tmp/root/run/mint/nodes/node2.image
fresh
expect oneoff-kernel-missing 2 "" "^mintctl: start: --kernel /nonexistent/bzImage cannot be read: No such file or directory; check the path" start --config="$conf" --kernel=/nonexistent/bzImage node2
expect oneoff-kernel-not-bzimage 2 "" "^mintctl: load: --kernel $ird is not a bzImage" load --config="$conf" --kernel="$ird" node2
expect oneoff-initrd-not-initramfs 2 "" "^mintctl: start: --initrd $PWD/$bz is not an initramfs" start --config="$conf" --kernel="$bz" --initrd="$bz" node2
expect oneoff-kernel-directory 2 "" "^mintctl: start: --kernel /tmp is a directory" start --config="$conf" --kernel=/tmp node2
expect oneoff-cmdline-newline 2 "" "--cmdline holds a control character" start --config="$conf" --cmdline="$(printf 'a\nb')" node2
expect oneoff-with-all 2 "" "--kernel, --initrd and --cmdline go with NODE names, not with --all" start --all --config="$conf" --kernel="$bz"
expect load-no-all 2 "" "unknown option '--all'" load --all --config="$conf"
expect load-missing-node 2 "" "^mintctl: load: missing NODE\$" load --config="$conf"
expect oneoff-option-typo 2 "" "unknown option '--initd=x'; did you mean '--initrd'?" start --initd=x node2
expect load-option-typo 2 "" "unknown option '--kernal=x'; did you mean '--kernel'?" load --kernal=x node2
same oneoff-refusals-change-nothing "$(controls):$(loads):$(cat "$tmp/root/sys/kernel/mint/node2/state")" "node1= node2= node3= spare=:0:stopped"
same oneoff-refusals-record-nothing "$(ls "$tmp/root/run/mint")" "vms.status"
# load --save-image: the image a load would load, written to a directory
# (created with its parents); no kexec_load, no record, no state change
saved=$tmp/saved/node2
expect save-image 0 "" "^node2: image saved to $saved (3 segments)\$" load --config="$conf" --kernel="$bz" --initrd="$ird" --cmdline="quiet mint.oneoff=1" --save-image="$saved" node2
same save-image-files "$(cd "$saved" 2>/dev/null && echo *)" "image.txt seg0.bin seg1.bin seg2.bin"
same save-image-loads-nothing "$(controls):$(loads):$(cat "$tmp/root/sys/kernel/mint/node2/state"):$(ls "$tmp/root/run/mint")" "node1= node2= node3= spare=:0:stopped:vms.status"
if python3 - "$saved" <<'PY' 2>"$tmp/err"; then
import os, re, sys
d = sys.argv[1]
lines = open(os.path.join(d, "image.txt")).read().splitlines()
assert re.fullmatch(r"entry 0x[0-9a-f]+", lines[0]), lines[0]
# KEXEC_MINT_NODE | node id 2 << KEXEC_MINT_ID_SHIFT
assert lines[1] == "flags 0x2100" and lines[2] == "node_id 2", lines[1:3]
entry = int(lines[0].split()[1], 16)
segs = lines[3:]
assert len(segs) == 3, lines
for i, line in enumerate(segs):
    m = re.fullmatch(r"segment (\d+) mem=0x([0-9a-f]+) memsz=0x([0-9a-f]+) bufsz=0x([0-9a-f]+) file=(seg\d+\.bin)", line)
    assert m and int(m[1]) == i and m[5] == "seg%d.bin" % i, line
    mem, memsz, bufsz = (int(m[k], 16) for k in (2, 3, 4))
    assert mem % 4096 == 0 and memsz % 4096 == 0 and 0 < bufsz <= memsz, line
    assert os.path.getsize(os.path.join(d, m[5])) == bufsz, line
    if i == 0:
        assert mem == entry, (line, entry)
        assert open(os.path.join(d, m[5]), "rb").read()[0x202:0x206] == b"HdrS"
PY
	pass save-image-format
else
	fail save-image-format "$(tail -1 "$tmp/err")"
fi
# a real load of the same node in the same tree gets the same image
expect load-after-save-image 0 "" "node2: loaded" load --config="$conf" --kernel="$bz" --initrd="$ird" --cmdline="quiet mint.oneoff=1" node2
same save-image-as-loaded "$(cat "$tmp/root/kexec.log"):$(sed -n 1p "$saved/image.txt"):$(grep -c '^segment ' "$saved/image.txt")" "node2 3 segments:$(sed -n 1p "$tmp/root/kexec-image/image.txt"):3"
if diff -r "$saved" "$tmp/root/kexec-image" >"$tmp/err" 2>&1; then
	pass save-image-same-bytes
else
	fail save-image-same-bytes "$(head -3 "$tmp/err" | tr '\n' ' ')"
fi
# kexec-refusals reads the saved image; here it stops at the node, which
# the machine running the tests does not have (no /sys/kernel/mint)
if [ -n "$refusals" ]; then
	"$refusals" "$saved" >"$tmp/out" 2>&1
	same refusals-usage "$?:$(cat "$tmp/out")" "2:usage: kexec-refusals [--no-good-load] DIR NODE"
	"$refusals" "$saved" mint-no-such-node >"$tmp/out" 2>&1
	same refusals-reads-saved-image "$?:$(cat "$tmp/out")" "1:FAIL: kexec-refusals/setup: mint-no-such-node has id ''; the image is for id 2"
	cp -r "$saved" "$tmp/short"
	truncate -s -1 "$tmp/short/seg1.bin"
	"$refusals" "$tmp/short" node2 >"$tmp/out" 2>&1
	same refusals-segment-size "$?:$(sed 's/[0-9]* bytes, bufsz says [0-9]*$/N bytes, bufsz says M/' "$tmp/out")" "1:FAIL: kexec-refusals/setup: $tmp/short/seg1.bin: N bytes, bufsz says M"
fi
fresh
expect save-image-two-nodes 2 "" "^mintctl: load: --save-image takes one NODE\$" load --config="$conf" --kernel="$bz" --save-image="$tmp/s2" node1 node2
expect save-image-empty 2 "" "^mintctl: load: --save-image needs a directory\$" load --config="$conf" --save-image= node2
expect save-image-undefined 4 "" "^mintctl: load: node4: not defined in node0's kernel" load --config="$conf" --kernel="$bz" --save-image="$tmp/s2" node4
touch "$tmp/plain"
expect save-image-not-a-dir 1 "" "^mintctl: load: node2: cannot create $tmp/plain/x: Not a directory\$" load --config="$conf" --kernel="$bz" --save-image="$tmp/plain/x" node2
expect save-image-no-kernel 1 "" "node2: cannot read kernel /nonexistent/mint/bzImage" load --config="$conf" --save-image="$tmp/s2" node2
expect save-image-quiet 0 "" "" load --quiet --config="$conf" --kernel="$bz" --save-image="$tmp/s3" node1
same save-image-refusals-change-nothing "$(controls):$(loads):$(cat "$tmp/root/sys/kernel/mint/define"):$(cat "$tmp/root/sys/kernel/mint/node1/state"):$(ls "$tmp/root/run/mint"):$(test -e "$tmp/s2" && echo s2)" "node1= node2= node3= spare=:0::running:vms.status:"
fresh
# load: the image goes in, the node stays loaded, nothing is started; the
# relative --kernel is recorded as an absolute path
expect load-oneoff 0 "" "^node2: loaded; 'mintctl start node2' starts it without loading it again\$" load --config="$conf" --kernel="$bz" --initrd="$ird" --cmdline="quiet mint.oneoff=1" node2
same load-oneoff-state "$(controls):$(cat "$tmp/root/kexec.log"):$(cat "$tmp/root/sys/kernel/mint/node2/state")" "node1= node2= node3= spare=:node2 3 segments:loaded"
same load-oneoff-recorded "$(grep -E '^(kernel|initrd|oneoff)' "$record" | tr '\n' ' ')" "kernel=$PWD/$bz kernel_sha256=$bz_sum initrd=$ird initrd_sha256=$ird_sum oneoff=1 "
"$mintctl" status node2 >"$tmp/out" 2>&1
same status-image-text "$(sed -n '3,4p' "$tmp/out")" "  kernel  $PWD/$bz sha256:$bz_sum (one-off)
  initrd  $ird sha256:$ird_sum"
same status-image-cmdline "$(sed -n '5p' "$tmp/out" | grep -c '^  cmdline .* mint.node=node2 quiet mint.oneoff=1$')" 1
"$mintctl" status --json node2 node1 >"$tmp/json"
if python3 - "$tmp/json" "$PWD/$bz" "$bz_sum" "$ird" "$ird_sum" <<'PY' 2>"$tmp/err"; then
import json, sys
n = {x["name"]: x for x in json.load(open(sys.argv[1]))["nodes"]}
im = n["node2"]["image"]
assert im["kernel"] == sys.argv[2] and im["kernel_sha256"] == sys.argv[3], im
assert im["initrd"] == sys.argv[4] and im["initrd_sha256"] == sys.argv[5], im
assert im["oneoff"] is True and im["cmdline"].endswith(" mint.node=node2 quiet mint.oneoff=1"), im
assert n["node1"]["image"] is None, n["node1"]
PY
	pass status-image-json
else
	fail status-image-json "$(tail -1 "$tmp/err")"
fi
# start after load: the loaded image, no second kexec_load
expect start-after-load 1 "" "node2: starting the image loaded before ($PWD/$bz + $ird, one-off), without loading it again" start --config="$conf" --timeout=1 node2
same start-after-load-no-reload "$(loads):$(cat "$tmp/root/sys/kernel/mint/node2/control")" "1:start"
# new one-off options on a loaded node: loaded anew
echo loaded >"$tmp/root/sys/kernel/mint/node2/state"
expect start-loaded-new-cmdline 1 "" "node2: loading $PWD/$bz (one-off, not the config's image)" start --config="$conf" --timeout=1 --kernel="$bz" --cmdline=mint.second=1 node2
same start-loaded-new-cmdline-reloads "$(loads):$(grep -c '^initrd=$' "$record"):$(grep -c ' mint.second=1$' "$record")" "2:1:1"
# the node runs it; stop drops the record (the fake state stays running)
echo running >"$tmp/root/sys/kernel/mint/node2/state"
expect status-image-running 0 "  kernel  $PWD/$bz sha256:$bz_sum (one-off)" "" status node2
expect stop-drops-image 0 "" "node2: stopped" stop node2
expect status-no-image-after-stop 0 "^node2 *running" "" status node2
same status-no-image-after-stop-lines "$("$mintctl" status node2 | wc -l)" 2
# a start from the config after the one-off: the config's image is shown
cp "$bz" "$tmp/bzImage-config"
printf 'x' | dd of="$tmp/bzImage-config" bs=1 seek=1500 conv=notrunc status=none
cfg_sum=$(sha256sum <"$tmp/bzImage-config" | cut -d' ' -f1)
sed "s|/nonexistent/mint/bzImage|$tmp/bzImage-config|" "$conf" >"$tmp/image.conf"
echo stopped >"$tmp/root/sys/kernel/mint/node2/state"
expect start-config-after-oneoff 1 "" "node2: loading $tmp/bzImage-config\$" start --config="$tmp/image.conf" --timeout=1 node2
echo running >"$tmp/root/sys/kernel/mint/node2/state"
"$mintctl" status --json node2 >"$tmp/json"
same status-config-image-after-oneoff "$(python3 -c 'import json,sys; im=json.load(open(sys.argv[1]))["nodes"][0]["image"]; print(im["kernel"], im["kernel_sha256"], im["initrd"], im["oneoff"], "mint.oneoff" in im["cmdline"])' "$tmp/json")" "$tmp/bzImage-config $cfg_sum None False False"
# a record left behind is not shown for a node that runs no image
echo stopped >"$tmp/root/sys/kernel/mint/node2/state"
same status-stale-record-not-shown "$("$mintctl" status node2 | wc -l):$(test -e "$record" && echo kept)" "2:kept"
# release drops it
expect release-drops-image 0 "" "node2: CPUs" release node2
same release-drops-image-record "$(test -e "$record" && echo kept)" ""
# start --timing: once the start has ended, the timeline on stdout. The
# fake node "boots" in the background as node0's kernel and the node
# would: once "start" is in its control file, its timeline (load STEP
# ticks after mintctl's "files" stamp, then each phase up to initcalls STEP
# after the one before) and state running.
fake_boot() {
	local d=$tmp/root/sys/kernel/mint/$1 step=$2 files i tsc=()
	for i in $(seq 100); do
		grep -q '^start$' "$d/control" 2>/dev/null && break
		sleep 0.1
	done
	files=$(sed -n 's/^tsc_files=//p' "$tmp/root/run/mint/nodes/$1.image")
	for i in $(seq 1 11); do
		tsc+=($((files + i * step)))
	done
	timeline "${tsc[@]}" >"$d/timeline"
	echo running >"$d/state"
}
fresh
fake_boot node2 2000000 &
"$mintctl" start --config="$conf" --kernel="$bz" --timeout=10 node2 >"$tmp/out" 2>"$tmp/err"
rc=$?
wait
same start-without-timing-no-table "$rc:$(cat "$tmp/out")" "0:"
# the record keeps mintctl's two stamps, "mintctl" first
stamps=$(sed -n 's/^tsc_\(mintctl\|files\)=//p' "$record" | tr '\n' ' ')
read -r tsc_m tsc_f <<<"$stamps"
same record-tsc-stamps "$(grep -c '^tsc_' "$record"):$((${tsc_m:-0} > 0 && ${tsc_f:-0} >= ${tsc_m:-0}))" "2:1"
echo stopped >"$tmp/root/sys/kernel/mint/node2/state"
: >"$tmp/root/sys/kernel/mint/node2/control"
rm "$tmp/root/sys/kernel/mint/node2/timeline"
fake_boot node2 2000000 &
"$mintctl" start --timing --config="$conf" --kernel="$bz" --timeout=10 node2 >"$tmp/out" 2>"$tmp/err"
rc=$?
wait
same start-timing-rc "$rc" 0
same start-timing-header "$(sed -n 1,2p "$tmp/out")" "node2: start timeline (ms from 'mintctl start')
PHASE             AT MS    TOOK MS  WHAT"
same start-timing-every-phase "$(sed -n '3,$p' "$tmp/out" | awk '{print $1}' | tr '\n' ' ')" \
	"mintctl files load checked copied start cpus-off sipi entry decompressed start-kernel smp-up initcalls init agent vms "
same start-timing-took "$(sed -n '/^load /,/^initcalls /p' "$tmp/out" | awk '{print $3}' | sort -u)" "1.00"
same start-timing-origin "$(awk '$1 == "mintctl" {print $2, $3}' "$tmp/out")" "0.00 -"
same start-timing-not-reached "$(sed -n '/^init /,$p' "$tmp/out" | awk '{print $2 $3}' | tr '\n' ' ')" "-- -- -- "
if python3 - "$tmp/out" <<'PY' 2>"$tmp/err"; then
import sys
rows = {l.split()[0]: l.split() for l in open(sys.argv[1]).read().splitlines()[2:]}
files, load, init = (float(rows[p][1]) for p in ("files", "load", "initcalls"))
assert 0 <= files and abs(load - files - 1) < 0.006 and abs(init - files - 11) < 0.006, rows
PY
	pass start-timing-ms
else
	fail start-timing-ms "$(tail -1 "$tmp/err" | head -c 300)"
fi
# a start that ends without a timeline: a warning, the start's exit code
fresh
expect start-timing-no-timeline 1 "" "^mintctl: start: node2: no start timeline: cannot read its timeline: No such file or directory\$" start --timing --config="$conf" --kernel="$bz" --timeout=1 node2
expect load-no-timing 2 "" "unknown option '--timing'" load --timing --config="$conf" node2
mintctl=$real_mintctl
unset MINT_SYSROOT

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
