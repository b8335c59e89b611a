# shellcheck shell=bash
# Part of run-cli.sh, which sources it (run it through run-cli.sh): one-off
# images and the record of what a node was loaded with.
# It uses run-cli.sh's helpers (expect, same, pass, fail, json_errors) and
# variables ($mintctl, $tmp, $refusals, $run_as) and leaves its own for
# the parts after it.
# shellcheck disable=SC2154,SC2034 # shared with run-cli.sh and its parts

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
	local rec=$tmp/root/run/mint/nodes/$1.image
	# mintctl writes the image record after "start" (the digests come
	# after the start); the caller removed the previous one
	for i in $(seq 100); do
		grep -q '^start$' "$d/control" 2>/dev/null &&
			grep -q '^tsc_files=' "$rec" 2>/dev/null && break
		sleep 0.1
	done
	files=$(sed -n 's/^tsc_files=//p' "$rec")
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
rm "$tmp/root/sys/kernel/mint/node2/timeline" "$record"
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
