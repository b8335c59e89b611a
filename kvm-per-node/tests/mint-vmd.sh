#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# mint-vmd's functions, sourced (MINT_VMD_FUNCTIONS=1) into every POSIX
# shell at hand (dash, busybox sh: a node runs busybox), without a VM:
# vm_parse must read each line of 'mintctl show --vms' exactly as the eval
# of that line (the shell's own reading) did; cpus_minus and wants_restart.
#   mint-vmd.sh [MINTCTL]   with MINTCTL, also the lines it prints for the
#                           VMs of tests/config/good/*.conf and configs/demo.conf
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
vmd=$top/kvm-per-node/mint-vmd
mintctl=${1:-}
failed=0
pass() { echo "PASS: kvm-per-node/mint-vmd/$1"; }
fail() {
	echo "FAIL: kvm-per-node/mint-vmd/$1: $2"
	failed=1
}

vars='name vcpus memory kernel initrd disk cpu_model cmdline autostart restart avoid_cpus net address'
# What SHELL makes of LINE: with "eval", the shell's reading; else vm_parse's.
# One "VAR=[VALUE]" line per variable, then "rc=N". net and address start
# empty for both (vm_parse empties them: a line may leave them out).
# shellcheck disable=SC2016 # the script is the inner shell's
read_line() { # SHELL eval|parse LINE   (SHELL: "dash", "busybox sh")
	local sh
	read -ra sh <<<"$1"
	"${sh[@]}" -c '
		vars=$1 how=$2 line=$3 MINT_VMD_FUNCTIONS=1
		for v in $vars; do eval "$v=unset"; done
		. "$0"
		if [ "$how" = eval ]; then
			net= address=
			eval "$line"
		else
			vm_parse "$line"
		fi
		rc=$?
		for v in $vars; do eval "printf \"%s=[%s]\\n\" $v \"\$$v\""; done
		echo "rc=$rc"' "$vmd" "$vars" "$2" "$3"
}

shells=()
for s in dash "busybox sh"; do
	if command -v "${s%% *}" >/dev/null; then shells+=("$s"); fi
done
if [ "${#shells[@]}" -eq 0 ]; then shells=(sh); fi

# LINE must read as its eval does, in every shell.
same_as_eval() { # NAME LINE
	local s want got
	for s in "${shells[@]}"; do
		want=$(read_line "$s" eval "$2")
		got=$(read_line "$s" parse "$2")
		if [ "$got" != "$want" ]; then
			fail "$1" "$s: vm_parse gave $(echo "$got" | tr '\n' ' ')but eval $(echo "$want" | tr '\n' ' ')"
			return
		fi
	done
	pass "$1"
}

# A malformed LINE: vm_parse returns 1.
refused() { # NAME LINE
	local s got
	for s in "${shells[@]}"; do
		got=$(read_line "$s" parse "$2" | tail -n 1)
		if [ "$got" != rc=1 ]; then
			fail "$1" "$s: $got (want rc=1) for: $2"
			return
		fi
	done
	pass "$1"
}

same_as_eval node-vm "name='front' vcpus=3 memory=512M kernel='/boot/mint/guest/vmlinuz' initrd='/boot/mint/guest/initrd.gz' disk='/var/lib/mint/front.img' cpu_model='EPYC-v4,+avx2' cmdline='console=ttyS0 root=/dev/vda' autostart=1 restart='on-failure' avoid_cpus=''"
same_as_eval node0-vm-empty-values "name='local' vcpus=1 memory=256M kernel='/boot/mint/guest/vmlinuz' initrd='' disk='' cpu_model='' cmdline='' autostart=0 restart='no' avoid_cpus='0,2-5'"
same_as_eval quotes-and-specials "name='g' vcpus=2 memory=1G kernel='/k '\\''x'\\''' initrd='a\"b' disk='\\n \\\\ \$HOME \`id\` *' cpu_model='host' cmdline='it'\\''s  two  spaces=and \"quotes\" '\\''' autostart=1 restart='always' avoid_cpus='0'"
same_as_eval only-a-quote "name='g' cmdline=''\\''' autostart=0"
same_as_eval leading-and-trailing-blanks "   name='g'  vcpus=4   autostart=1  "
same_as_eval empty-line ""
same_as_eval unknown-key-skipped "name='g' future='x y' vcpus=2"
same_as_eval net-mint-with-address "name='web' vcpus=1 memory=256M kernel='/boot/mint/guest/vmlinuz' initrd='' disk='' cpu_model='' cmdline='console=ttyS0' autostart=1 restart='no' avoid_cpus='' net=mint address=10.77.0.21/24"
same_as_eval net-mint-quoted-no-address "name='web' net='mint' autostart=1"
same_as_eval net-none "name='g' net=none autostart=0"
same_as_eval bare-empty-value "name='g' memory= vcpus=2"
refused unterminated-quote "name='g' cmdline='abc"
refused unterminated-after-escape "name='g' cmdline='a'\\''bc"
refused no-equals "name='g' vcpus"

if [ -n "$mintctl" ]; then
	n=0
	for conf in "$top"/tests/config/good/*.conf "$top"/configs/demo.conf; do
		grep -q '^\[vm' "$conf" || continue
		nodes="node0 $(sed -n 's/^\[ *node  *\([^] ]*\).*/\1/p' "$conf")"
		for node in $nodes; do
			while IFS= read -r line; do
				n=$((n + 1))
				same_as_eval "mintctl-$(basename "$conf" .conf)-$node-$n" "$line"
			done < <("$mintctl" show --vms "$conf" "$node")
		done
	done
	if [ "$n" -eq 0 ]; then
		fail mintctl-lines "$mintctl show --vms printed no VM for the configs with [vm] sections"
	fi
fi

# cpus_minus and wants_restart, in each shell
for s in "${shells[@]}"; do
	read -ra sh <<<"$s"
	# shellcheck disable=SC2016 # the script is the inner shell's
	got=$("${sh[@]}" -c 'MINT_VMD_FUNCTIONS=1; . "$0"
		for a in 0-7:0,2-3 0-3:0-3 1,4-5:; do
			echo "[$(cpus_minus "${a%:*}" "${a#*:}")]"
		done
		for restart in no on-failure always; do
			for state in running stopped exited crashed failed; do
				wants_restart && printf "%s:%s " "$restart" "$state"
			done
		done; echo' "$vmd")
	want='[1,4,5,6,7]
[]
[1,4,5]
on-failure:crashed always:exited always:crashed '
	if [ "$got" = "$want" ]; then
		pass "cpus-and-restart-policy-${s// /-}"
	else
		fail "cpus-and-restart-policy-${s// /-}" "got '$got'"
	fi
done

# vm_state of the migration's states (mintctl migrate), from the files
# mint-vm leaves, in each shell; none of them wants a restart
run=$(mktemp -d)
sleep 60 &
alive=$!
true &
dead=$!
wait "$dead"
mk() { # NAME FILE=CONTENT...
	local d=$run/$1 f
	shift
	mkdir -p "$d"
	for f in "$@"; do
		printf '%s\n' "${f#*=}" >"$d/${f%%=*}"
	done
}
mk moved moved=node2
mk incoming pid="$alive" incoming=10.0.0.3:7700 home=node1
mk migrating pid="$alive" migration=to=node2,ram=1.0/2.0MiB
mk failed pid="$alive" migrate-error="no progress" attempt=7
mk ended pid="$dead" exit=1 incoming=10.0.0.3:7700 attempt=8
mk gone pid="$dead" exit=0 moved=node3 stopped=
for s in "${shells[@]}"; do
	read -ra sh <<<"$s"
	# shellcheck disable=SC2016 # the script is the inner shell's
	got=$(MINT_VM_RUN=$run "${sh[@]}" -c 'MINT_VMD_FUNCTIONS=1; . "$0"
		restart=always
		for name in moved incoming migrating failed ended gone; do
			vm_state
			printf "%s %s %s" "$name" "$state" "$detail"
			wants_restart && printf " restart"
			echo
		done' "$vmd")
	want="moved moved to=node2
incoming incoming from=node1,pid=$alive
migrating migrating to=node2,ram=1.0/2.0MiB
failed running pid=$alive,migrate-failed=7
ended stopped incoming-ended=8
gone moved to=node3"
	if [ "$got" = "$want" ]; then
		pass "migration-states-${s// /-}"
	else
		fail "migration-states-${s// /-}" "got '$got'"
	fi
done
kill "$alive"
rm -rf "$run"

exit "$failed"
