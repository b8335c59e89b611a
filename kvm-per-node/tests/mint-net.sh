#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The network of the links, without root, a machine or a VM: in every POSIX
# shell at hand (dash, busybox sh: the images run busybox),
#   - mint-link's reading of 'mintctl show --link' lines (link_parse), its
#     console lines, and 'mint-link up' where the node has no link or no
#     config (partitioner/image/mint-link, sourced: MINT_LINK_FUNCTIONS=1);
#   - mint-vm's tap names, MACs, QEMU arguments and guest command line
#     (kvm-per-node/mint-vm, MINT_VM_FUNCTIONS=1);
#   - mint-vmd's options for mint-vm from a 'show --vms' line (vm_net_opts).
#   mint-net.sh [MINTCTL]   with a MINTCTL that has 'show --link', also the
#                           lines it prints for the nodes of the configs in
#                           tests/config/good/ and configs/
# shellcheck disable=SC2016 # the scripts in single quotes are the inner shells'
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
link=$top/partitioner/image/mint-link
vm=$top/kvm-per-node/mint-vm
vmd=$top/kvm-per-node/mint-vmd
mintctl=${1:-}
failed=0
pass() { echo "PASS: kvm-per-node/mint-net/$1"; }
fail() {
	echo "FAIL: kvm-per-node/mint-net/$1: $2"
	failed=1
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

shells=()
for s in dash "busybox sh"; do
	if command -v "${s%% *}" >/dev/null; then shells+=("$s"); fi
done
if [ "${#shells[@]}" -eq 0 ]; then shells=(sh); fi

# SCRIPT's output in each shell, with FILE sourced (VAR=1 set): the same in
# all of them, or a FAIL; the output on stdout.
in_shells() { # NAME FILE VAR SCRIPT [ARG...]
	local name=$1 file=$2 var=$3 script=$4 s first='' got sh
	shift 4
	for s in "${shells[@]}"; do
		read -ra sh <<<"$s"
		got=$(env "$var=1" "${sh[@]}" -c '. "$0"; '"$script" "$file" "$@" 2>&1)
		if [ -z "$first" ]; then
			first=$got
			printf '%s\n' "$got"
		elif [ "$got" != "$first" ]; then
			fail "$name" "$s gave '$got' but ${shells[0]} '$first'"
			return 1
		fi
	done
}

expect() { # NAME WANT GOT
	if [ "$3" = "$2" ]; then
		pass "$1"
	else
		fail "$1" "got '$3', want '$2'"
	fi
}

# ------------------------------------------------------------- link_parse
# What link_parse makes of LINE: "rc ifname|address|node0".
parsed() { # NAME LINE
	in_shells "$1" "$link" MINT_LINK_FUNCTIONS \
		'link_parse "$1"; echo "$? $link_ifname|$link_address|$link_node0"' "$2"
}
lp() { # NAME LINE WANT
	local got
	got=$(parsed "$1" "$2") && expect "link-parse-$1" "$3" "$got"
}
lp full "ifname=mint0 address=10.77.0.11/24 node0=10.77.0.1" "0 mint0|10.77.0.11/24|10.77.0.1"
lp no-node0 "ifname=mint0 address=10.0.0.2/24" "0 mint0|10.0.0.2/24|"
lp no-address "ifname=mint0 node0=10.0.0.1" "0 mint0||10.0.0.1"
lp ifname-only "ifname=mint0" "0 mint0||"
lp quoted "ifname='mint0' address='10.0.0.2/24' node0='10.0.0.1'" "0 mint0|10.0.0.2/24|10.0.0.1"
lp blanks-and-unknown-key "  ifname=mint0  mtu=65280 future='a b'  address=10.0.0.2/24 " "0 mint0|10.0.0.2/24|"
lp empty-line "" "0 mint0||"
lp malformed-no-equals "ifname=mint0 address" "1 mint0||"
lp malformed-open-quote "ifname=mint0 address='10.0.0.2/24" "1 mint0||"
# a second parse starts afresh: no address left from the first
got=$(in_shells link-parse-fresh "$link" MINT_LINK_FUNCTIONS \
	'link_parse "ifname=mint0 address=10.0.0.2/24 node0=10.0.0.1"; link_parse "ifname=mint0"
	echo "$link_ifname|$link_address|$link_node0"') &&
	expect link-parse-fresh "mint0||" "$got"

# ------------------------------------------------------------- console lines
got=$(in_shells link-lines "$link" MINT_LINK_FUNCTIONS '
	link_parse "ifname=mint0 address=10.77.0.11/24 node0=10.77.0.1"; up_line 65280 22
	link_parse "ifname=mint0"; up_line 65280 off:no-address
	failed_line no-device "no mint0 after 5 s"; failed_line bridge') &&
	expect link-console-lines "MINT-LINK-UP ifname=mint0 address=10.77.0.11/24 node0=10.77.0.1 bridge=mintbr0 mtu=65280 ssh=22
MINT-LINK-UP ifname=mint0 address=none node0=none bridge=mintbr0 mtu=65280 ssh=off:no-address
MINT-LINK-FAILED ifname=mint0 reason=no-device: no mint0 after 5 s
MINT-LINK-FAILED ifname=mint0 reason=bridge" "$got"

# ------------------------------------------------------------- mint-link up
# Nodes this test can run without root: 'up' must touch no device.
mkdir -p "$tmp/sys-none" "$tmp/sys-mint0/mint0" "$tmp/bin"
echo node1 >"$tmp/node"
echo '[partition]' >"$tmp/partition.conf"
printf '#!/bin/sh\necho "$*" >> "%s/mintctl.args"\n' "$tmp" >"$tmp/bin/mintctl"
chmod +x "$tmp/bin/mintctl"
link_up() { # NAME SYSFS CONFIG WANT
	local s got sh
	for s in "${shells[@]}"; do
		read -ra sh <<<"$s"
		got=$(PATH=$tmp/bin:$PATH MINT_LINK_SYSFS=$2 MINT_CONFIG=$3 \
			MINT_NODE_FILE=$tmp/node "${sh[@]}" "$link" up 2>&1)
		if [ "$got" != "$4" ]; then
			fail "link-up-$1" "$s: got '$got', want '$4'"
			return
		fi
	done
	pass "link-up-$1"
}
link_up no-config-no-device "$tmp/sys-none" "$tmp/nope.conf" ""
link_up no-config-with-mint0 "$tmp/sys-mint0" "$tmp/nope.conf" \
	"MINT-LINK-FAILED ifname=mint0 reason=no-config: no $tmp/nope.conf or $tmp/node: the node was started without its config"
# a config without a link for the node: mintctl prints nothing, nor does up
link_up no-link "$tmp/sys-none" "$tmp/partition.conf" ""
if grep -qx "show --link $tmp/partition.conf node1" "$tmp/mintctl.args" 2>/dev/null; then
	pass link-up-asks-mintctl
else
	fail link-up-asks-mintctl "mintctl was run with: $(cat "$tmp/mintctl.args" 2>/dev/null)"
fi
printf '#!/bin/sh\necho "mintctl: unknown option --link" >&2; exit 2\n' >"$tmp/bin/mintctl"
link_up mintctl-fails-no-device "$tmp/sys-none" "$tmp/partition.conf" ""
link_up mintctl-fails-with-mint0 "$tmp/sys-mint0" "$tmp/partition.conf" \
	"MINT-LINK-FAILED ifname=mint0 reason=mintctl: mintctl: unknown option --link"
printf '#!/bin/sh\necho "ifname=mint0 address=10.0.0.2/24 node0=10.0.0.1"\n' >"$tmp/bin/mintctl"
got=$(PATH=$tmp/bin:$PATH MINT_CONFIG=$tmp/partition.conf sh "$link" address node1 2>&1)
expect link-address-of-node "10.0.0.2" "$got"
printf '#!/bin/sh\necho "ifname=mint0"\n' >"$tmp/bin/mintctl"
got=$(PATH=$tmp/bin:$PATH MINT_CONFIG=$tmp/partition.conf sh "$link" address node1 2>&1)
expect link-address-none "mint-link: node1 has no link address in $tmp/partition.conf" "$got"

# ------------------------------------------------------------- mint-vm
got=$(in_shells vm-functions "$vm" MINT_VM_FUNCTIONS '
	for n in g guest1 abcdefghijkl abcdefghijklm abcdefghijklmn \
		a234567890123456789012345678901; do net_tap "$n"; done
	net_mac node1 guest1; net_mac node2 guest1; net_mac node1 guest1
	net_host_mac "$(net_mac node1 guest1)"
	net_qemu_args mv-guest1 52:54:00:12:34:56
	guest_append "console=ttyS0" guest1 10.0.0.21/24
	guest_append "console=ttyS0" guest1 ""') || got=
readarray -t out <<<"$got"
expect tap-short "mv-g mv-guest1 mv-abcdefghijkl" "${out[0]:-} ${out[1]:-} ${out[2]:-}"
ok=1
for i in 3 4 5; do
	[[ "${out[$i]:-}" =~ ^mv-abcdef\.[0-9a-f]{5}$|^mv-a23456\.[0-9a-f]{5}$ ]] || ok=0
done
if [ "$ok" = 1 ] && [ "${out[3]}" != "${out[4]}" ]; then
	pass tap-long-names-shortened-apart
else
	fail tap-long-names-shortened-apart "got '${out[3]:-}' '${out[4]:-}' '${out[5]:-}'"
fi
for i in 0 1 2 3 4 5; do
	if [ "${#out[$i]}" -gt 15 ]; then
		fail tap-at-most-15 "'${out[$i]}'"
		ok=0
	fi
done
[ "$ok" = 1 ] && pass tap-at-most-15
want=$(printf '%s' node1/guest1 | md5sum | sed 's/^\(..\)\(..\)\(..\).*/52:54:00:\1:\2:\3/')
expect mac-from-node-and-name "$want" "${out[6]:-}"
if [ "${out[7]:-}" != "${out[6]:-}" ] && [ "${out[8]:-}" = "${out[6]:-}" ]; then
	pass mac-per-node-and-stable
else
	fail mac-per-node-and-stable "node1 '${out[6]:-}', node2 '${out[7]:-}', node1 again '${out[8]:-}'"
fi
expect mac-of-tap "fe${want#52}" "${out[9]:-}"
expect qemu-args "-netdev|tap,id=mintnet,ifname=mv-guest1,script=no,downscript=no|-device|virtio-net-pci,netdev=mintnet,mac=52:54:00:12:34:56,host_mtu=65280,romfile=" \
	"${out[10]:-}|${out[11]:-}|${out[12]:-}|${out[13]:-}"
expect guest-cmdline-address "console=ttyS0 mint.vm=guest1 mint.addr=10.0.0.21/24" "${out[14]:-}"
expect guest-cmdline-no-address "console=ttyS0 mint.vm=guest1" "${out[15]:-}"

# mint-vm start refuses a bad --net before it touches anything
for s in "${shells[@]}"; do
	read -ra sh <<<"$s"
	got=$("${sh[@]}" "$vm" start g --kernel /k --net user 2>&1)
	got2=$("${sh[@]}" "$vm" start g --kernel /k --address 10.0.0.2/24 2>&1)
	if [ "$got" != "mint-vm: start: --net 'user': mint or none" ] ||
		[ "$got2" != "mint-vm: start: --address needs --net mint" ]; then
		fail "vm-start-net-refused-${s// /-}" "'$got' / '$got2'"
	else
		pass "vm-start-net-refused-${s// /-}"
	fi
done

# ------------------------------------------------------------- mint-vmd
got=$(in_shells vmd-net-opts "$vmd" MINT_VMD_FUNCTIONS '
	node=node1
	vm_parse "name='\''web'\'' net='\''mint'\'' address='\''10.0.0.21/24'\''"; echo "[$(vm_net_opts | tr "\n" " ")]"
	vm_parse "name='\''web'\'' net='\''mint'\'' address='\'''\''"; echo "[$(vm_net_opts | tr "\n" " ")]"
	vm_parse "name='\''g'\'' net='\''none'\'' address='\'''\''"; echo "[$(vm_net_opts | tr "\n" " ")]"
	vm_parse "name='\''g'\'' vcpus=1"; echo "[$(vm_net_opts | tr "\n" " ")]"') &&
	expect vmd-net-opts "[--net mint --node node1 --address 10.0.0.21/24 ]
[--net mint --node node1 ]
[]
[]" "$got"

# ------------------------------------------------------------- mintctl
# Every node of the configs at hand: its show --link line reads cleanly.
if [ -n "$mintctl" ] && "$mintctl" show --link "$top/configs/demo.conf" node1 >/dev/null 2>&1; then
	n=0
	for conf in "$top"/tests/config/good/*.conf "$top"/configs/*.conf; do
		grep -q '^ *link *=' "$conf" || continue
		while read -r node; do
			line=$("$mintctl" show --link "$conf" "$node") || {
				fail "mintctl-$(basename "$conf" .conf)-$node" "show --link failed"
				continue
			}
			[ -n "$line" ] || continue
			n=$((n + 1))
			got=$(parsed "mintctl-$n" "$line") || continue
			if [[ "$got" =~ ^0\ mint0\|([0-9.]+/[0-9]+)?\|([0-9.]+)?$ ]]; then
				pass "mintctl-$(basename "$conf" .conf)-$node"
			else
				fail "mintctl-$(basename "$conf" .conf)-$node" "'$line' read as '$got'"
			fi
		done < <(sed -n 's/^\[ *node  *\([^] ]*\).*/\1/p' "$conf")
	done
	[ "$n" -gt 0 ] || echo "SKIP: kvm-per-node/mint-net/mintctl-lines: no config with a link"
else
	echo "SKIP: kvm-per-node/mint-net/mintctl-lines: no mintctl with show --link"
fi

exit "$failed"
