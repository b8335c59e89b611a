#!/bin/bash
# Golden tests of `mintctl check`, run from the repository root.
#   tests/config/run-corpus.sh MINTCTL [TAG]
# bad/NAME.conf must exit 3 with stderr exactly bad/NAME.err and no stdout;
# good/*.conf and configs/*.conf must exit 0 silently and survive a
# show -> check -> show round trip that keeps their JSON (show --json) the
# same; system/NAME.conf are checked with --system against the fake machine
# in sysroot/demo, or in sysroot/DIR when the file has a line
# '# sysroot: DIR'; preflight/NAME.conf with --preflight against the
# machine before mint in sysroot/preflight: stdout must be NAME.out, stderr
# NAME.err (exit 3 unless it is empty). Generated cases cover what is too
# big to commit. One PASS:/FAIL: line per test.
set -u
cd "$(dirname "$0")/../.." || exit 1
mintctl=$1
prefix=config${2:+-$2}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0

pass() { echo "PASS: $prefix/$1"; }
fail() {
	echo "FAIL: $prefix/$1: $2"
	failed=1
	# the mutation check needs only the first failure
	[ -z "${MINT_FAIL_FAST:-}" ] || exit 1
}

# run NAME EXPECTED_RC GOLDEN_FILE ARGS...: stderr must equal GOLDEN_FILE.
run() {
	local name=$1 want=$2 golden=$3 rc
	shift 3
	"$mintctl" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -ne "$want" ]; then
		fail "$name" "exit $rc, expected $want; stderr: $(head -c 300 "$tmp/err")"
	elif [ -s "$tmp/out" ]; then
		fail "$name" "wrote to stdout: $(head -c 200 "$tmp/out")"
	elif ! cmp -s "$tmp/err" "$golden"; then
		fail "$name" "stderr differs from $golden: $(diff "$golden" "$tmp/err" | head -5 | tr '\n' '|')"
	else
		pass "$name"
	fi
}

: >"$tmp/empty"
for conf in tests/config/bad/*.conf; do
	name=bad/$(basename "$conf" .conf)
	if [ ! -f "${conf%.conf}.err" ]; then
		fail "$name" "no golden file ${conf%.conf}.err"
		continue
	fi
	run "$name" 3 "${conf%.conf}.err" check "$conf"
done

for conf in tests/config/good/*.conf configs/*.conf; do
	name=good/$(basename "$conf" .conf)
	run "$name" 0 "$tmp/empty" check "$conf"
	# show prints config text that must read back to the same config: the
	# same JSON as the original (nothing dropped or changed) and the same
	# text again (stable).
	if ! "$mintctl" show "$conf" >"$tmp/show1" 2>"$tmp/err"; then
		fail "$name-roundtrip" "show failed: $(head -c 300 "$tmp/err")"
	elif ! "$mintctl" show "$tmp/show1" >"$tmp/show2" 2>"$tmp/err"; then
		fail "$name-roundtrip" "show output does not check: $(head -c 300 "$tmp/err")"
	elif ! "$mintctl" show --json "$conf" >"$tmp/json1" 2>"$tmp/err" ||
		! "$mintctl" show --json "$tmp/show1" >"$tmp/json2" 2>>"$tmp/err"; then
		fail "$name-roundtrip" "show --json failed: $(head -c 300 "$tmp/err")"
	elif ! cmp -s "$tmp/json1" "$tmp/json2"; then
		fail "$name-roundtrip" "show output reads back as another config: $(diff "$tmp/json1" "$tmp/json2" | head -5 | tr '\n' '|')"
	elif ! cmp -s "$tmp/show1" "$tmp/show2"; then
		fail "$name-roundtrip" "show of show differs"
	else
		pass "$name-roundtrip"
	fi
done

for conf in tests/config/system/*.conf; do
	root=$(sed -n 's/^# sysroot: //p' "$conf")
	MINT_SYSROOT=tests/config/sysroot/${root:-demo} run "system/$(basename "$conf" .conf)" 3 \
		"${conf%.conf}.err" check --system "$conf"
done
export MINT_SYSROOT=tests/config/sysroot/demo
run system/demo-ok 0 "$tmp/empty" check --system configs/demo.conf
# no IOMMU: node0 would refuse the devices, so --system does, unless the
# config gives them away unconfined
cp -rL tests/config/sysroot/demo "$tmp/no-iommu"
rm -r "$tmp/no-iommu/sys/class/iommu"
MINT_SYSROOT=$tmp/no-iommu run system/demo-no-iommu 3 tests/config/system/demo-no-iommu.err \
	check --system configs/demo.conf
sed '/^\[partition\]$/a iommu = off' configs/demo.conf >"$tmp/iommu-off.conf"
MINT_SYSROOT=$tmp/no-iommu run system/demo-no-iommu-off 0 "$tmp/empty" check --system "$tmp/iommu-off.conf"
MINT_SYSROOT=tests/config/sysroot/bare run system/demo-not-reserved 3 \
	tests/config/system/demo-not-reserved.err check --system configs/demo.conf
printf 'mintctl: check: %s shows every address as 0, as it does for users other than root; run as root\n' \
	tests/config/sysroot/hidden/proc/iomem >"$tmp/golden"
MINT_SYSROOT=tests/config/sysroot/hidden run system/iomem-hidden 5 "$tmp/golden" \
	check --system configs/demo.conf
# without the firmware memory map --system cannot tell RAM from the rest
printf 'mintctl: check: cannot read %s: No such file or directory; mintctl needs the firmware memory map (CONFIG_FIRMWARE_MEMMAP) to tell RAM from firmware areas\n' \
	tests/config/sysroot/fwmap-missing/sys/firmware/memmap >"$tmp/golden"
MINT_SYSROOT=tests/config/sysroot/fwmap-missing run system/no-firmware-memmap 5 "$tmp/golden" \
	check --system configs/demo.conf
printf 'mintctl: check: cannot read %s: No such file or directory\n' \
	/nonexistent/sys/devices/system/cpu/present >"$tmp/golden"
MINT_SYSROOT=/nonexistent run system/no-sysroot 5 "$tmp/golden" check --system configs/demo.conf
unset MINT_SYSROOT

# --preflight: the report on stdout, the problems (exit 3) on stderr.
# preflight NAME ROOT GOLDEN_OUT GOLDEN_ERR CONFIG
preflight() {
	local name=$1 root=$2 gout=$3 gerr=$4 conf=$5 want=0 rc
	[ -s "$gerr" ] && want=3
	MINT_SYSROOT=$root "$mintctl" check --preflight "$conf" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -ne "$want" ]; then
		fail "$name" "exit $rc, expected $want; stderr: $(head -c 300 "$tmp/err")"
	elif ! cmp -s "$tmp/out" "$gout"; then
		fail "$name" "stdout differs from $gout: $(diff "$gout" "$tmp/out" | head -5 | tr '\n' '|')"
	elif ! cmp -s "$tmp/err" "$gerr"; then
		fail "$name" "stderr differs from $gerr: $(diff "$gerr" "$tmp/err" | head -5 | tr '\n' '|')"
	else
		pass "$name"
	fi
}
pre=tests/config/sysroot/preflight
for conf in tests/config/preflight/*.conf; do
	preflight "preflight/$(basename "$conf" .conf)" "$pre" "${conf%.conf}.out" "${conf%.conf}.err" "$conf"
done
preflight preflight/demo "$pre" tests/config/preflight/demo.out "$tmp/empty" configs/demo.conf
# the same machine without an IOMMU: the demo's devices are a problem, or,
# with iommu = off, a warning
cp -rL "$pre" "$tmp/no-iommu-pre"
rm -r "$tmp/no-iommu-pre/sys/class/iommu"
preflight preflight/demo-no-iommu "$tmp/no-iommu-pre" tests/config/preflight/demo-no-iommu.out \
	tests/config/preflight/demo-no-iommu.err configs/demo.conf
# (the golden names the config IOMMU_OFF_CONF)
sed "s|IOMMU_OFF_CONF|$tmp/iommu-off.conf|g" tests/config/preflight/demo-iommu-off.out >"$tmp/golden"
preflight preflight/demo-no-iommu-off "$tmp/no-iommu-pre" "$tmp/golden" "$tmp/empty" "$tmp/iommu-off.conf"
# not root: /proc/iomem shows zeros, which the pre-flight check can do without
cp -rL "$pre" "$tmp/user"
sed 's/^\( *\)[0-9a-f]*-[0-9a-f]* :/\100000000-00000000 :/' "$pre/proc/iomem" >"$tmp/user/proc/iomem"
preflight preflight/ok-not-root "$tmp/user" tests/config/preflight/ok.out "$tmp/empty" tests/config/preflight/ok.conf
# CPUs 2-3 not online (taken offline already): no note for them
echo 0-1 >"$tmp/user/sys/devices/system/cpu/online"
grep -v "cpus: CPUs 2-3 are online" tests/config/preflight/ok.out >"$tmp/golden"
preflight preflight/ok-cpus-offline "$tmp/user" "$tmp/golden" "$tmp/empty" tests/config/preflight/ok.conf
# no cpu/online (a kernel without CPU hotplug): every CPU present is online
rm "$tmp/user/sys/devices/system/cpu/online"
preflight preflight/ok-no-online-file "$tmp/user" tests/config/preflight/ok.out "$tmp/empty" tests/config/preflight/ok.conf
# an empty sys/class/iommu is no IOMMU
rm -r "$tmp/user/sys/class/iommu"/*
preflight preflight/demo-iommu-empty "$tmp/user" tests/config/preflight/demo-no-iommu.out \
	tests/config/preflight/demo-no-iommu.err configs/demo.conf
# a kernel without the firmware memory map
rm -r "$tmp/user/sys/firmware"
printf 'mintctl: check: cannot read %s: No such file or directory; mintctl needs the firmware memory map (CONFIG_FIRMWARE_MEMMAP) to tell RAM from firmware areas\n' \
	"$tmp/user/sys/firmware/memmap" >"$tmp/golden"
MINT_SYSROOT=$tmp/user run preflight/no-firmware-memmap 5 "$tmp/golden" check --preflight configs/demo.conf

# Generated: too big or too random to commit.
{
	printf '[partition]\nversion = 1\n# '
	head -c 1000000 /dev/zero | tr '\0' 'a'
	printf '\n'
} >"$tmp/long-line.conf"
printf '%s:3: the line is 1000002 bytes long, more than the 4096-byte limit; is this the partition config?\nmintctl: check: 1 error in %s\n' \
	"$tmp/long-line.conf" "$tmp/long-line.conf" >"$tmp/golden"
run gen/one-megabyte-line 3 "$tmp/golden" check "$tmp/long-line.conf"

for i in $(seq 1 40000); do echo "# comment line $i of a file larger than 1 MiB"; done >"$tmp/big.conf"
printf '%s: the file is larger than the 1 MiB limit; is this the partition config?\nmintctl: check: 1 error in %s\n' \
	"$tmp/big.conf" "$tmp/big.conf" >"$tmp/golden"
run gen/file-over-1mib 3 "$tmp/golden" check "$tmp/big.conf"

printf '<stdin>: the file is empty; a config needs at least '"'"'[partition]'"'"' and '"'"'version = 1'"'"'\nmintctl: check: 1 error in <stdin>\n' >"$tmp/golden"
run gen/empty-stdin 3 "$tmp/golden" check - </dev/null

# Random bytes, several seeds: exit 3 with one clear message, never a crash.
for seed in 1 2 3 4 5 6 7 8; do
	python3 -c "import random,sys; r=random.Random($seed); sys.stdout.buffer.write(bytes(r.randrange(256) for _ in range(r.randrange(1, 100000))))" >"$tmp/garbage.conf"
	"$mintctl" check "$tmp/garbage.conf" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -eq 3 ] && [ ! -s "$tmp/out" ] && [ "$(wc -l <"$tmp/err")" -eq 2 ] &&
		grep -Eq "(not UTF-8 text|NUL byte|control character)" "$tmp/err"; then
		pass "gen/random-bytes-$seed"
	else
		fail "gen/random-bytes-$seed" "exit $rc: $(head -c 300 "$tmp/err")"
	fi
done

exit $failed
