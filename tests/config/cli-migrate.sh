# shellcheck shell=bash
# Part of run-cli.sh, which sources it (run it through run-cli.sh): mintctl
# migrate's arguments and its checks before anything starts, against the
# fake node0 of cli-nodes.sh; what a move does is tests/system/migrate.py.
# It uses run-cli.sh's helpers (expect, same, pass, fail) and variables
# ($mintctl, $tmp) and cli-nodes.sh's fake node0 (fresh).
# shellcheck disable=SC2154,SC2034 # shared with run-cli.sh and its parts

# node1 (running, 640M) and node2 (stopped, 640M) with links and addresses,
# node3 (panic) without a link; guest1 on node1, guest2 (256M, the same
# disk path as guest1) on node2, guest3 (3 vCPUs) on node1.
mconf=$tmp/migrate.conf
cat >"$mconf" <<'EOF2'
[partition]
version = 1
name = fake
address = 10.0.0.1/24

[node node1]
cpus = 1-3
memory = 640M@0x28000000
link = 2M@0x88000000
address = 10.0.0.2/24
kernel = /nonexistent/mint/bzImage

[node node2]
cpus = 4-5
memory = 640M@0x50000000
link = 2M@0x88200000
address = 10.0.0.3/24
kernel = /nonexistent/mint/bzImage

[node node3]
cpus = 6
memory = 256M@0x78000000
kernel = /nonexistent/mint/bzImage

[vm guest1]
node = node1
memory = 256M
disk = /dev/vda
kernel = /k

[vm guest2]
node = node2
memory = 256M
disk = /dev/vda
kernel = /k

[vm guest3]
node = node1
vcpus = 3
memory = 128M
kernel = /k
EOF2

fresh
expect migrate-no-args 2 "" "give NODE/VM and TARGET" migrate
expect migrate-one-arg 2 "" "give NODE/VM and TARGET" migrate node1/guest1
expect migrate-too-many 2 "" "too many arguments" migrate node1/guest1 node2 node3
expect migrate-no-vm 2 "" "'node1' names no VM; give NODE/VM" migrate node1 node2
expect migrate-bad-vm-name 2 "" "'Guest1' is not a valid vm name" migrate node1/Guest1 node2
expect migrate-bad-target-name 2 "" "'node 2' is not a valid node name" migrate node1/guest1 'node 2'
expect migrate-bad-timeout 2 "" "timeout 'x' is not a number" migrate --timeout=x node1/guest1 node2
expect migrate-unknown-vm 4 "" "^mintctl: migrate: node1/guest9: no VM 'guest9' in the config\$" migrate -c "$mconf" node1/guest9 node2
expect migrate-unknown-target 4 "" "no node 'node9' in the config" migrate -c "$mconf" node1/guest1 node9
expect migrate-node0 4 "" "node0's VMs do not move, and none moves to node0" migrate -c "$mconf" node1/guest1 node0
expect migrate-wrong-source 4 "" "node2/guest1: guest1 runs on node1, not on node2" migrate -c "$mconf" node2/guest1 node3
expect migrate-same-node 4 "" "runs on node1 already" migrate -c "$mconf" node1/guest1 node1
expect migrate-vcpus 4 "" "cannot move to node2: node2 has 2 CPUs, vm 'guest3' needs 3" migrate -c "$mconf" node1/guest3 node2
expect migrate-same-disk 4 "" "vm 'guest2' on node2 has the same disk /dev/vda" migrate -c "$mconf" node1/guest1 node2
expect migrate-no-address 4 "" "node3 has no address on its link" migrate -c "$mconf" node1/guest3 node3
# from here guest2 has another disk path (/dev/vdb), guest1 /dev/vda
sed -i 's/^disk = \/dev\/vda$/disk = \/dev\/vdb/;' "$mconf"
sed -i '0,/^disk = \/dev\/vdb$/s//disk = \/dev\/vda/' "$mconf"
# node2 is stopped in the fake kernel: nothing is asked of any node
expect migrate-target-stopped 4 "" "cannot move to node2: node2 is stopped" migrate -c "$mconf" node1/guest1 node2
same migrate-target-stopped-typed-nothing "$(cat "$tmp/root/sys/kernel/mint/node1/console_in" "$tmp/root/sys/kernel/mint/node2/console_in" 2>/dev/null)" ""
echo running >"$tmp/root/sys/kernel/mint/node2/state"
printf 'guest1 exited guest-poweroff restarts=0\n' >"$tmp/root/sys/kernel/mint/node1/vms"
expect migrate-not-running 4 "" "node1/guest1: is exited guest-poweroff restarts=0; only a running VM moves" migrate -c "$mconf" node1/guest1 node2

# mintctl update: its arguments, the plan (--dry-run) and its refusals
expect update-no-node 2 "" "missing NODE" update --cmdline=x
expect update-two-nodes 2 "" "give one NODE" update --cmdline=x node1 node2
expect update-no-image 2 "" "give the new --kernel, --initrd or --cmdline" update -c "$mconf" node1
expect update-unknown-node 3 "" "no node 'node9' in $mconf" update -c "$mconf" --cmdline=x node9
expect update-node-stopped 4 "" "^mintctl: update: node3: is panic; 'mintctl start' starts it on a new image" update -c "$mconf" --cmdline=x node3
printf 'guest1 running pid=99 restarts=0\nguest3 stopped by-request restarts=0\n' >"$tmp/root/sys/kernel/mint/node1/vms"
expect update-dry-run 0 "^  migrate node1/guest1 -> node2\$" "" update -c "$mconf" --dry-run --cmdline=new node1
same update-dry-run-plan "$(cat "$tmp/out")" "update node1:
  migrate node1/guest1 -> node2
  stop node1
  start node1 on kernel /nonexistent/mint/bzImage, initrd (none), cmdline 'new'
  migrate node2/guest1 -> node1"
same update-dry-run-typed-nothing "$(cat "$tmp/root/sys/kernel/mint/node1/console_in" "$tmp/root/sys/kernel/mint/node2/console_in" 2>/dev/null)" ""
echo stopped >"$tmp/root/sys/kernel/mint/node2/state"
expect update-no-room 4 "" "node1: VM guest1 has no node to go to (last tried: node3 has no link address); nothing was changed" update -c "$mconf" --cmdline=new node1

# moved VMs: where /run/mint/placement says they run
fresh
echo running >"$tmp/root/sys/kernel/mint/node2/state"
mkdir -p "$tmp/root/run/mint"
printf 'guest1 node2 node1\n' >"$tmp/root/run/mint/placement"
expect migrate-moved-source 4 "" "node1/guest1: guest1 runs on node2, not on node1" migrate -c "$mconf" node1/guest1 node2
expect vm-moved-elsewhere 4 "" "node1/guest1: VM 'guest1' runs on node2 now (moved there from node1)" vm stop -c "$mconf" node1/guest1
unset MINT_SYSROOT
