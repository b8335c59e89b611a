#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# mint-qmp against a real QEMU (-M none, no guest): commands, arguments,
# QEMU's errors, a socket nobody listens on, a QEMU that never answers,
# usage errors and the get mode.
#   cli.sh MINT_QMP WORKDIR
set -u
qmp=$1
work=$2
mkdir -p "$work"
sock=$work/qmp.sock
failed=0

t() { # NAME EXPECTED_RC EXPECTED_OUTPUT CMD...
	local name=$1 want_rc=$2 want=$3 out rc
	shift 3
	out=$("$@" 2>&1)
	rc=$?
	if [ "$rc" = "$want_rc" ] && [[ "$out" == *"$want"* ]]; then
		echo "PASS: kvm-per-node/mint-qmp/$name"
	else
		echo "FAIL: kvm-per-node/mint-qmp/$name: exit $rc (want $want_rc), output '$out' (want '$want')"
		failed=1
	fi
}

rm -f "$sock"
qemu-system-x86_64 -M none -nodefaults -display none \
	-qmp "unix:$sock,server=on,wait=off" 2>"$work/qemu.err" &
qemu=$!
trap 'kill $qemu 2>/dev/null; kill "${silent:-}" 2>/dev/null' EXIT
for _ in $(seq 100); do
	[ -S "$sock" ] && break
	sleep 0.1
done

t status 0 '{"status": "running", "running": true}' "$qmp" "$sock" query-status
t arguments 0 '{}' "$qmp" "$sock" migrate-set-parameters '{"downtime-limit": 500}'
t arguments-reached 0 '"downtime-limit": 500' "$qmp" "$sock" query-migrate-parameters
t qemu-error 1 "mint-qmp: no-such-command: The command no-such-command has not been found (CommandNotFound)" \
	"$qmp" "$sock" no-such-command
t bad-arguments 1 "mint-qmp: migrate-set-parameters: " \
	"$qmp" "$sock" migrate-set-parameters '{"downtime-limit": "soon"}'
t malformed-arguments 2 "malformed command name or arguments" "$qmp" "$sock" query-status '{"a":'
t malformed-command 2 "malformed command name" "$qmp" "$sock" 'query status'
t get-nested 0 "500" sh -c "'$qmp' '$sock' query-migrate-parameters | '$qmp' get downtime-limit"
t get-string 0 "running" sh -c "'$qmp' '$sock' query-status | '$qmp' get status"
t get-missing 1 "" sh -c "echo '{\"a\": 1}' | '$qmp' get b"
t quit 0 '{}' "$qmp" "$sock" quit
wait "$qemu"
t gone 3 "cannot connect to $sock" "$qmp" "$sock" query-status

# a listener that never speaks: bounded by -t
rm -f "$work/silent.sock"
python3 -c 'import socket,sys,time
s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(1)
c,_=s.accept(); time.sleep(30)' "$work/silent.sock" &
silent=$!
for _ in $(seq 50); do
	[ -S "$work/silent.sock" ] && break
	sleep 0.1
done
start=$SECONDS
t silent-qemu 3 "no answer from QEMU in time" "$qmp" -t 1 "$work/silent.sock" query-status
t silent-qemu-bounded 0 "" test $((SECONDS - start)) -le 3
t usage 2 "usage: mint-qmp" "$qmp" "$sock"
t bad-timeout 2 "usage: mint-qmp" "$qmp" -t soon "$sock" query-status
exit $failed
