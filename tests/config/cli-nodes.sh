# shellcheck shell=bash
# Part of run-cli.sh, which sources it (run it through run-cli.sh): the node
# commands against a fake node0.
# It uses run-cli.sh's helpers (expect, same, pass, fail, json_errors) and
# variables ($mintctl, $tmp, $refusals, $run_as) and leaves its own for
# the parts after it.
# shellcheck disable=SC2154,SC2034 # shared with run-cli.sh and its parts

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
  dma: 1 of 1 devices confined to its RAM, 2 DMA faults, last: 0000:00:06.0 read from 0x2000
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
    "dma": None, "autostart_blocked": None, "image": None, "link": None,
    "timeline": None}, n["node0"]
assert n["node1"] == {"name": "node1", "id": 1, "defined": True, "state": "running",
    "cpus": [2], "cpulist": "2", "apic_ids": [2],
    "memory": [{"base": 0x28000000, "size": 640 << 20}],
    "heartbeat": 42, "heartbeat_age_ms": 300, "panic_msg": None,
    "vms": [{"name": "guest1", "state": "running", "detail": "pid=99 restarts=0"}],
    "dma": {"iommu": "required", "devices": [{"address": "0000:00:06.0", "state": "confined"}],
            "faults": 2, "recent_faults": [
                {"address": "0000:00:06.0", "access": "write", "iova": 0x1000},
                {"address": "0000:00:06.0", "access": "read", "iova": 0x2000}]},
    "vms_age_s": None, "autostart_blocked": None, "image": None,
    "link": None, "timeline": None}, n["node1"]
assert n["node2"]["dma"] is None, n["node2"]
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
  dma: 1 of 1 devices confined to its RAM, 2 DMA faults, last: 0000:00:06.0 read from 0x2000
  vm guest1 running pid=99 restarts=0
EOF
)"

# a dma file that counts faults but lists none: the count alone
fresh
printf 'iommu required\ndevice 0000:00:06.0 confined\nfaults 3\n' >"$tmp/root/sys/kernel/mint/node1/dma"
same status-dma-count-without-records "$("$mintctl" status node1 2>&1 | grep '^  dma:')" "  dma: 1 of 1 devices confined to its RAM, 3 DMA faults"
export MINT_SYSROOT=$nodes

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
# a node undefined behind mintctl's back (a raw undefine of a loaded
# node) with its PCI functions still marked: release gives them back, and
# only its own (lockdep-check found 00:06.0 left without a driver)
fresh
for f in 0000:00:06.0=mint-node4 0000:00:07.0=mint-node4 0000:00:08.0=mint-node2 0000:00:09.0=; do
	mkdir -p "$tmp/root/sys/bus/pci/devices/${f%=*}"
	echo "${f#*=}" >"$tmp/root/sys/bus/pci/devices/${f%=*}/driver_override"
done
: >"$tmp/root/sys/bus/pci/drivers_probe"
overrides() {
	local d out=""
	for d in "$tmp"/root/sys/bus/pci/devices/*/; do
		out="$out $(basename "$d")=$(cat "$d/driver_override")"
	done
	echo "${out# }"
}
expect release-undefined-gives-back 0 "" "^node4: 0000:00:0[67].0 given back to node0\$" release node4
same release-undefined-clears-its-own "$(overrides)" "0000:00:06.0= 0000:00:07.0= 0000:00:08.0=mint-node2 0000:00:09.0="
# node0's drivers asked to probe them (a fake file keeps the last write)
same release-undefined-probes "$(grep -c '^0000:00:0[67].0$' "$tmp/root/sys/bus/pci/drivers_probe")" 1
same release-undefined-writes-no-control "$(controls)" "node1= node2= node3= spare="
expect release-undefined-nothing-marked 4 "" "node4: no such node in node0's kernel" release node4
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
# audit: what the fake machine enforces against a config. node1 owns
# 00:06.0 (confined, its dma file) whose MSI-X table sends entry 0 to
# node1's APIC ID 2 and entry 1 to node0's APIC ID 0; node3's first range
# is System RAM in /proc/iomem; node2 is stopped, so it holds its CPU 3,
# which is online in node0 (cpu/online is 0-3 here)
fresh
python3 - "$tmp/root" <<'PY'
import os, struct, sys
root = sys.argv[1]
d = f"{root}/sys/bus/pci/devices/0000:00:06.0"
os.makedirs(d)
open(f"{d}/driver_override", "w").write("mint-node1\n")
cfg = bytearray(256)
cfg[0x06] = 0x10                      # capability list
cfg[0x34] = 0x60
cfg[0x60:0x64] = bytes([0x11, 0x00, 0x01, 0x80])    # MSI-X on, 2 entries
cfg[0x64:0x68] = struct.pack("<I", 0x2000 | 4)      # BAR 4, offset 0x2000
open(f"{d}/config", "wb").write(cfg)
bar = bytearray(0x3000)
bar[0x2000:0x2010] = struct.pack("<IIII", 0xfee02000, 0, 0x41, 0)
bar[0x2010:0x2020] = struct.pack("<IIII", 0xfee00000, 0, 0x42, 0)
open(f"{d}/resource4", "wb").write(bar)
os.makedirs(f"{root}/proc", exist_ok=True)
open(f"{root}/proc/iomem", "w").write(
    "00000000-00000fff : Reserved\n00001000-0009fbff : System RAM\n"
    "00100000-27ffffff : System RAM\n28000000-77ffffff : Reserved\n"
    "78000000-7ffdffff : System RAM\n90000000-97ffffff : Reserved\n"
    "b0000000-bfffffff : PCI ECAM 0000 [bus 00-ff]\n")
open(f"{root}/sys/devices/system/cpu/online", "w").write("0-1,3\n")
PY
sed 's/^cpus = 2$/cpus = 2\ndevices = 0000:00:06.0/' "$conf" >"$tmp/audit.conf"
"$mintctl" audit --config="$tmp/audit.conf" >"$tmp/out" 2>"$tmp/err"
same audit-rc "$?:$(cat "$tmp/err")" "3:"
same audit-findings "$(cat "$tmp/out")" "$(
	cat <<'EOF'
node1 ram ok: 1 range held back from node0, as node0's kernel defines them
node1 state ok: running
node1 cpus ok: CPUs 2 owned by the node, offline in node0
node1 device ok: 0000:00:06.0: owned by the node (driver_override set, no node0 driver)
node1 iommu ok: 0000:00:06.0: in the node's IOMMU domain
node1 msi MISMATCH: 0000:00:06.0: MSI-X entry 1 targets APIC ID 0, not one of the node's CPUs
node1 iommu ok: the domain maps 1 range: exactly the node's RAM without its control area
node1 dma-faults ok: 2 DMA faults blocked
node2 ram ok: 1 range held back from node0, as node0's kernel defines them
node2 state ok: stopped
node2 cpus MISMATCH: CPUs 3 are online in node0 while the node holds them
node3 ram MISMATCH: 0x78000000-0x87ffffff is System RAM of node0 (0x78000000-0x7ffdffff): not held back; boot node0 with 'mintctl bootargs'
node3 state ok: panic
node3 cpus ok: CPUs 4-5 owned by the node, offline in node0
node4 ram ok: 1 range held back from node0
node4 state ok: not defined in node0's kernel: it holds no CPU or device
node0 ipi-broadcast ok: off: node0's kernel is mint's (/sys/kernel/mint), which never uses the broadcast shorthands, whatever no_ipi_broadcast= says; nor does a node's
EOF
)"
"$mintctl" audit --json --config="$tmp/audit.conf" node1 >"$tmp/json"
same audit-json "$?:$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["mismatches"], [f["check"] for f in d["findings"] if not f["ok"]], len(d["findings"]))' "$tmp/json" 2>&1)" "3:1 ['msi'] 9"
# an MSI-X entry masked does not count; a node0 driver bound does
python3 -c 'import sys; f=open(sys.argv[1], "r+b"); f.seek(0x201c); f.write(b"\1")' "$tmp/root/sys/bus/pci/devices/0000:00:06.0/resource4"
mkdir -p "$tmp/root/sys/bus/pci/drivers/virtio-pci"
ln -s ../../drivers/virtio-pci "$tmp/root/sys/bus/pci/devices/0000:00:06.0/driver"
got=$("$mintctl" audit --config="$tmp/audit.conf" node1 | grep -e ' device ' -e ' msi ')
same audit-masked-and-driver "$got" "$(
	cat <<'EOF'
node1 device MISMATCH: 0000:00:06.0: owned by the node (driver_override set, but a node0 driver is bound)
node1 msi ok: 0000:00:06.0: 1 MSI-X message, all to the node's CPUs
EOF
)"
expect audit-unknown-node 4 "" "node9: no such node in" audit --config="$tmp/audit.conf" node9

# a config that changed a node node0's kernel has defined: a node that
# holds its CPUs (stopped) must be released first; one that holds nothing
# (spare, offline) is undefined and defined anew
fresh
sed '/^\[node node2\]$/,/^$/s/^cpus = 3$/cpus = 6/' "$conf" >"$tmp/changed.conf"
expect redefine-held-refused 4 "" "node2: the config gives it other CPUs, RAM, iommu or link than node0's kernel has; stop and release it first (mintctl stop node2; mintctl release node2), then start it again" start --config="$tmp/changed.conf" node2
same redefine-held-writes-nothing "$(cat "$tmp/root/sys/kernel/mint/undefine")$(controls)" "node1= node2= node3= spare="
printf '[node spare]\ncpus = 1\nmemory = 256M@0xb0000000\nkernel = /nonexistent/mint/bzImage\n' >>"$tmp/changed.conf"
"$mintctl" start --config="$tmp/changed.conf" spare >"$tmp/out" 2>"$tmp/err"
same redefine-offline-undefines "$?:$(cat "$tmp/root/sys/kernel/mint/undefine"):$(grep -c 'spare: the config changed its CPUs, RAM, iommu or link: defined anew' "$tmp/err")" "1:spare:1"
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
