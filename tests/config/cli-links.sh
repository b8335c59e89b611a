# shellcheck shell=bash
# Part of run-cli.sh, which sources it (run it through run-cli.sh): the
# links between node0 and the nodes.
# It uses run-cli.sh's helpers (expect, same, pass, fail) and variables
# ($mintctl, $tmp), cli-nodes.sh's fake node0 ($nodes, fresh, controls)
# and cli-images.sh's kexec_load shim ($tmp/mintctl-fake, $bz, $ird).
# shellcheck disable=SC2154,SC2034 # shared with run-cli.sh and its parts

# The fake node0's machine with links: node1 and node2 have one (node1
# with an address), node3 none, node4 (not defined in the fake kernel)
# one. The links lie in the PCI hole of the demo's firmware map: fine for
# these tests, which do not check the config against the machine.
lconf=$tmp/links.conf
cat >"$lconf" <<'EOF'
[partition]
version = 1
name = fake
address = 10.0.0.1/24

[node node1]
cpus = 2
memory = 640M@0x28000000
link = 2M@0x88000000
address = 10.0.0.2/24
kernel = /nonexistent/mint/bzImage

[node node2]
cpus = 3
memory = 640M@0x50000000
link = 2M@0x88200000
kernel = /nonexistent/mint/bzImage

[node node3]
cpus = 4-5
memory = 256M@0x78000000
memory = 128M@0x90000000
kernel = /nonexistent/mint/bzImage

[node node4]
cpus = 7
memory = 256M@0xa0000000
link = 4M@0x88400000
address = 10.0.0.4/24
kernel = /nonexistent/mint/bzImage

[vm guest1]
node = node1
kernel = /k
net = mint
address = 10.0.0.21/24

[vm guest3]
node = node3
kernel = /k
EOF

# --- bootargs: every link reserved as node RAM is, after its node's ranges
# shellcheck disable=SC2016 # the $ are literal
same links-bootargs "$("$mintctl" bootargs "$lconf")" 'memmap=640M$0x28000000 memmap=2M$0x88000000 memmap=640M$0x50000000 memmap=2M$0x88200000 memmap=256M$0x78000000 memmap=128M$0x90000000 memmap=256M$0xa0000000 memmap=4M$0x88400000 memmap=320K$0x10000 no_ipi_broadcast=1'

# --- show --link: the line a node's init reads
same links-show-node1 "$("$mintctl" show --link "$lconf" node1)" "ifname=mint0 address=10.0.0.2/24 node0=10.0.0.1"
same links-show-no-address "$("$mintctl" show --link "$lconf" node2)" "ifname=mint0 node0=10.0.0.1"
expect links-show-no-link 0 "" "" show --link "$lconf" node3
same links-show-node0 "$("$mintctl" show --link "$lconf" node0)" "ifname=mintbr0 address=10.0.0.1/24"
sed '/^address = 10.0.0.1\/24$/d' "$lconf" >"$tmp/links-no0.conf"
same links-show-no-node0 "$("$mintctl" show --link "$tmp/links-no0.conf" node1):$("$mintctl" show --link "$tmp/links-no0.conf" node0)" "ifname=mint0 address=10.0.0.2/24:ifname=mintbr0"
expect links-show-no-bridge 0 "" "" show --link configs/demo.conf node0
expect links-show-needs-node 2 "" "^mintctl: show: --link needs a NODE\$" show --link "$lconf"
expect links-show-one-option 2 "" "give one of --json, --vms and --link" show --link --vms "$lconf" node1
expect links-show-unknown-node 2 "" "has no node 'node9'" show --link "$lconf" node9
expect links-show-invalid 3 "" "1 error in" show --link tests/config/bad/cpus-cpu0.conf node1
# show --vms: net and address, last on the line
same links-vms-mint "$("$mintctl" show --vms "$lconf" node1 | grep -o " net=.*")" " net='mint' address='10.0.0.21/24'"
same links-vms-none "$("$mintctl" show --vms "$lconf" node3 | grep -o " net=.*")" " net='none' address=''"

# --- status: the link under its node, from the link file, the config and
# the device's counters
fresh
k=$tmp/root/sys/kernel/mint
printf 'ifname mint-node1\nregion 0x88000000 0x200000\nstate up\nepoch 1\nresets 0\nerrors 0\nmissed-kicks 0\n' >"$k/node1/link"
printf 'state none\n' >"$k/node2/link"
printf 'state none\n' >"$k/node3/link"
stats() {
	local d=$tmp/root/sys/class/net/$1/statistics
	mkdir -p "$d"
	echo "$2" >"$d/rx_packets"
	echo "$3" >"$d/tx_packets"
	echo "$4" >"$d/rx_dropped"
	echo "$5" >"$d/tx_dropped"
}
stats mint-node1 12 10 0 1
"$mintctl" status --config="$lconf" >"$tmp/out" 2>"$tmp/err"
same links-status-rc "$?:$(cat "$tmp/err")" "3:"
same links-status-lines "$(grep -e '^[A-Za-z]' -e '^  link' "$tmp/out" | grep -v '^node3: panic')" "$(
	cat <<'EOF'
NODE   STATE                  CPUS  MEMORY                           HEARTBEAT
node0  running                0-1   -                                -
  link: none 10.0.0.1/24 on mintbr0
node1  running                2     640M@0x28000000                  0.3s ago
  link: up 10.0.0.2/24 on mint-node1, rx 12 tx 10 packets, dropped rx 0 tx 1
node2  stopped                3     640M@0x50000000                  -
  link: none -
node3  panic                  4-5   256M@0x78000000,128M@0x90000000  2.5s ago
node4  offline (not defined)  7     256M@0xa0000000                  -
  link: none 10.0.0.4/24
spare  offline                6     256M@0xb0000000                  -
EOF
)"
# node0's bridge up with counters; a link node0 reset; a kernel's link of
# a node the config gives none (without --config: no config here)
mkdir -p "$tmp/root/sys/class/net/mintbr0"
echo up >"$tmp/root/sys/class/net/mintbr0/operstate"
stats mintbr0 30 31 2 3
sed -i 's/^resets 0$/resets 2/; s/^errors 0$/errors 1/' "$k/node1/link"
printf 'ifname mint-node3\nregion 0x98000000 0x200000\nstate waiting\n' >"$k/node3/link"
same links-status-more "$("$mintctl" status --config="$lconf" node0 node1 2>&1 | grep '^  link'):$("$mintctl" status node3 2>&1 | grep '^  link')" \
	"  link: up 10.0.0.1/24 on mintbr0, rx 30 tx 31 packets, dropped rx 2 tx 3
  link: up 10.0.0.2/24 on mint-node1, rx 12 tx 10 packets, dropped rx 0 tx 1, 2 resets, 1 errors:  link: waiting - on mint-node3"
"$mintctl" status --json --config="$lconf" >"$tmp/json" 2>"$tmp/err"
if python3 - "$tmp/json" <<'PY' 2>"$tmp/err"; then
import json, sys
n = {x["name"]: x["link"] for x in json.load(open(sys.argv[1]))["nodes"]}
assert n["node0"] == {"address": "10.0.0.1/24", "ifname": "mintbr0", "state": "up",
    "rx_packets": 30, "tx_packets": 31, "rx_dropped": 2, "tx_dropped": 3,
    "resets": None, "errors": None}, n["node0"]
assert n["node1"] == {"address": "10.0.0.2/24", "ifname": "mint-node1", "state": "up",
    "rx_packets": 12, "tx_packets": 10, "rx_dropped": 0, "tx_dropped": 1,
    "resets": 2, "errors": 1}, n["node1"]
assert n["node2"] == {"address": None, "ifname": None, "state": "none",
    "rx_packets": None, "tx_packets": None, "rx_dropped": None, "tx_dropped": None,
    "resets": 0, "errors": 0}, n["node2"]
assert n["node3"]["state"] == "waiting" and n["node3"]["ifname"] == "mint-node3", n["node3"]
assert n["node4"]["address"] == "10.0.0.4/24" and n["node4"]["state"] == "none", n["node4"]
assert n["spare"] is None, n["spare"]
PY
	pass links-status-json
else
	fail links-status-json "$(tail -1 "$tmp/err" | head -c 300)"
fi
# a malformed link file: no link from it, status goes on
printf 'state sleepy\n' >"$k/node3/link"
same links-status-malformed "$("$mintctl" status node3 2>&1 | grep -c '^  link')" 0

# --- start: the define line, a redefinition for another link, the bridge
fresh
k=$tmp/root/sys/kernel/mint
# node4 is not defined: its define line carries the link
expect links-define-line 1 "" "node4: no state" start --config="$lconf" node4
same links-define-line-written "$(cat "$k/define")" "id=4 name=node4 cpus=7 mem=0xa0000000+0x10000000 link=0x88400000+0x400000"
: >"$k/define"
# node2 is stopped, and node0's kernel has no link of it: stop and release
expect links-redefine-held 4 "" "node2: the config gives it other CPUs, RAM, iommu or link than node0's kernel has" start --config="$lconf" node2
same links-redefine-held-writes-nothing "$(cat "$k/undefine" "$k/define")" ""
# offline, with another link region: undefined and defined anew (the fake
# tree keeps the node's directory and its old link file)
echo offline >"$k/node2/state"
printf 'ifname mint-node2\nregion 0x88400000 0x200000\nstate down\n' >"$k/node2/link"
expect links-redefine-other-region 1 "" "node2: the config changed its CPUs, RAM, iommu or link: defined anew" start --config="$lconf" node2
same links-redefine-undefines "$(cat "$k/undefine")" "node2"
# node0's kernel without a link of it after the define
rm "$k/node2/link"
expect links-start-no-link-file 1 "" "^mintctl: start: node2: node0's kernel shows no link of the node (no /sys/kernel/mint/node2/link); boot node0 with a mint kernel that has links" start --config="$lconf" node2
printf 'region 0x88200000 0x200000\nstate down\n' >"$k/node2/link"
expect links-start-no-ifname 1 "" "node2: its link file (/sys/kernel/mint/node2/link) names no network device" start --config="$lconf" node2
# as node0's kernel has it: the bridge step says what it would do (netlink
# reaches the running kernel, not the fake tree's), then the load
printf 'ifname mint-node2\nregion 0x88200000 0x200000\nstate down\n' >"$k/node2/link"
"$mintctl" start --config="$lconf" node2 >"$tmp/out" 2>"$tmp/err"
same links-start-sysroot "$?:$(cat "$tmp/err")" "1:node2: link mint-node2 not put into bridge mintbr0 (MTU 65280, address 10.0.0.1/24): netlink reaches the running kernel, not the one of the sysroot $tmp/root
node2: loading /nonexistent/mint/bzImage
mintctl: start: node2: cannot read kernel /nonexistent/mint/bzImage: No such file or directory"
"$mintctl" start --quiet --config="$lconf" node2 2>"$tmp/err"
same links-start-quiet "$(grep -c 'not put into bridge' "$tmp/err")" 0
same links-start-writes-no-define "$(cat "$k/define")" ""

# --- load: the node's image carries its link (setup_data version 3, the
# region reserved in its e820 table) and node0's ssh keys (mode 0600)
fresh
k=$tmp/root/sys/kernel/mint
fake=$tmp/mintctl-fake
echo offline >"$k/node2/state"
printf 'ifname mint-node2\nregion 0x88200000 0x200000\nstate down\n' >"$k/node2/link"
mkdir -p "$tmp/root/etc/mint"
echo "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDefault node0-default" >"$tmp/root/etc/mint/authorized_keys"
# image FILE KEYS: the setup data's version and link, the e820 entry of
# the link, the authorized_keys file of the appended archive (its mode
# and content), checked against KEYS
image_check() {
	python3 - "$tmp/root/kexec-image" "$1" <<'PY'
import struct, sys
d, keys = sys.argv[1], sys.argv[2]
p = open(d + "/seg0.bin", "rb").read()
md = 0x1000 + 304 + 16
assert struct.unpack_from("<H", p, md + 4)[0] == 3, "setup version"
base, size = struct.unpack_from("<QQ", p, md + 160)
assert (base, size) == (0x88200000, 0x200000), (hex(base), hex(size))
e820 = [struct.unpack_from("<QQI", p, 0x2d0 + 20 * i) for i in range(p[0x1e8])]
assert (0x88200000, 0x200000, 2) in e820, [(hex(a), hex(s), t) for a, s, t in e820]
assert not any(t == 1 and a < base + size and base < a + s for a, s, t in e820), e820
ird = open(d + "/seg2.bin", "rb").read()
at = ird.rfind(b"etc/mint/authorized_keys\0")
if keys == "none":
    assert at < 0, "keys in the archive"
    sys.exit(0)
h = ird[at - 110:at]
assert h[:6] == b"070701" and int(h[14:22], 16) == 0o100600, h
n = int(h[54:62], 16)
start = (at + len("etc/mint/authorized_keys") + 1 + 3) & ~3
assert ird[start:start + n].decode() == open(keys).read(), ird[start:start + n]
PY
}
if "$fake" load --config="$lconf" --kernel="$bz" --initrd="$ird" node2 >"$tmp/out" 2>"$tmp/err" &&
	image_check "$tmp/root/etc/mint/authorized_keys" 2>"$tmp/err"; then
	pass links-load-image-default-keys
else
	fail links-load-image-default-keys "$(tail -1 "$tmp/err" | head -c 300)"
fi
# [partition] authorized_keys: that file instead
echo "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIConfig node0-config" >"$tmp/keys"
sed "/^\[partition\]$/a authorized_keys = $tmp/keys" "$lconf" >"$tmp/links-keys.conf"
echo offline >"$k/node2/state"
if "$fake" load --config="$tmp/links-keys.conf" --kernel="$bz" --initrd="$ird" node2 >"$tmp/out" 2>"$tmp/err" &&
	image_check "$tmp/keys" 2>"$tmp/err"; then
	pass links-load-image-config-keys
else
	fail links-load-image-config-keys "$(tail -1 "$tmp/err" | head -c 300)"
fi
# no keys at all: none in the archive
rm "$tmp/root/etc/mint/authorized_keys"
echo offline >"$k/node2/state"
if "$fake" load --config="$lconf" --kernel="$bz" --initrd="$ird" node2 >"$tmp/out" 2>"$tmp/err" &&
	image_check none 2>"$tmp/err"; then
	pass links-load-image-no-keys
else
	fail links-load-image-no-keys "$(tail -1 "$tmp/err" | head -c 300)"
fi
# the file the config names cannot be read: the load is refused
sed "/^\[partition\]$/a authorized_keys = $tmp/nokeys" "$lconf" >"$tmp/links-nokeys.conf"
echo offline >"$k/node2/state"
before=$(wc -l <"$tmp/root/kexec.log")
expect links-load-keys-unreadable 1 "" "^mintctl: load: node2: cannot read authorized_keys $tmp/nokeys: No such file or directory; give \[partition\] authorized_keys a readable file of public keys (at most 1 MiB)\$" load --config="$tmp/links-nokeys.conf" --kernel="$bz" --initrd="$ird" node2
same links-load-keys-unreadable-loads-nothing "$(wc -l <"$tmp/root/kexec.log")" "$before"

# moved VMs (mintctl migrate): the load hands the node node0's placement;
# a VM of the node that moved to a node that does not run comes home
printf '[vm guest5]\nnode = node2\nkernel = /k\n[vm guest6]\nnode = node2\nkernel = /k\n' |
	cat "$lconf" - >"$tmp/links-vms.conf"
mkdir -p "$tmp/root/run/mint"
printf 'guest5 node4 node2\nguest6 node1 node2\n' >"$tmp/root/run/mint/placement"
echo offline >"$k/node2/state"
"$fake" load --config="$tmp/links-vms.conf" --kernel="$bz" --initrd="$ird" node2 >"$tmp/out" 2>"$tmp/err"
same links-load-vm-comes-home "$?:$(grep -c 'node2: VM guest5 had moved to node4, which does not run: it is back on node2' "$tmp/err")" "0:1"
same links-load-placement-kept "$(cat "$tmp/root/run/mint/placement")" "guest6 node1 node2"
same links-load-placement-handed "$(grep -ac 'guest6 node1 node2' "$tmp/root/kexec-image/seg2.bin")" "1"
rm "$tmp/root/run/mint/placement"
unset MINT_SYSROOT
