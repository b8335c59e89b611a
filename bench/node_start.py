#!/usr/bin/env python3
"""Node start latency next to a cold VM boot of the same kernel.

On the emulated machine with configs/demo.conf, alternately, REPS times:
  node   `mintctl start node1` in node0 until node1's init prints its marker
         on COM2 (then a forced stop, so the next start is cold too);
  vm     a fresh QEMU/KVM VM in node0 (pinned to CPU 1, 1 vCPU, 640 MiB)
         booting the same bzImage and node initramfs with the node's command
         line, until the same marker on its serial console.
A node has no firmware, no option ROMs and no device probing in its path.
Prints each sample, the medians and the ratio vm/node, measured side by side
in one run (this machine is shared and noisy: only the ratio means much).

  node_start.py [--reps N] [--out FILE.csv]
"""

import argparse
import os
import re
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tests", "rig"))
import machine as rig  # noqa: E402

CFG = "/etc/mint/partition.conf"


def node_once(m):
    since = len(m.log("com2"))
    t0 = time.monotonic()
    m.run(f"mintctl start --config={CFG} node1", timeout=180)
    m.wait_for(r"MINT-NODE-UP node=node1", 120, log="com2", since=since)
    dt = time.monotonic() - t0
    m.run("mintctl stop --force node1")
    return dt


def vm_once(m, cmdline):
    # the timing runs inside node0 (no control-channel latency in it)
    script = f"""
rm -f /tmp/vm.log
t0=$(cut -d' ' -f1 /proc/uptime)
taskset -c 1 qemu-system-x86_64 -nodefaults -no-user-config -M q35 -accel kvm \\
  -cpu qemu64 -smp 1 -m 640M -display none -no-reboot -serial file:/tmp/vm.log \\
  -kernel /boot/mint/bzImage -initrd /boot/mint/node.cpio.gz \\
  -append '{cmdline}' 2>/tmp/vm.err &
pid=$!
i=0
while ! grep -q MINT-NODE-UP /tmp/vm.log 2>/dev/null; do
  i=$((i + 1)); [ $i -gt 3000 ] && break; sleep 0.05
done
t1=$(cut -d' ' -f1 /proc/uptime)
kill $pid; wait $pid 2>/dev/null
grep -q MINT-NODE-UP /tmp/vm.log || {{ cat /tmp/vm.err; tail -5 /tmp/vm.log; exit 1; }}
echo "$t0 $t1"
"""
    _, out = m.run(script, timeout=300)
    t0, t1 = (float(x) for x in out.split()[-2:])
    return t1 - t0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--out")
    a = ap.parse_args()
    run_dir = rig.new_run_dir("bench-node-start")
    m = rig.Machine(run_dir, config=rig.config_without_vm_autostart(
        os.path.join(rig.ROOT, "configs", "demo.conf"), run_dir))
    m.start()
    try:
        m.wait_for(r"MINT-AGENT-UP", 180)
        # the node's own command line, with the console on the VM's ttyS0
        m.run(f"mintctl start --config={CFG} node1", timeout=180)
        m.wait_for(r"MINT-NODE-UP node=node1", 120, log="com2")
        cmdline = re.search(r"Command line: (.*)", m.log("com2")).group(1).strip()
        cmdline = cmdline.replace("0x2f8", "0x3f8").replace("ttyS1", "ttyS0")
        m.run("mintctl stop --force node1")
        node, vm = [], []
        for i in range(a.reps):
            node.append(node_once(m))
            vm.append(vm_once(m, cmdline))
            print(f"rep {i + 1}: node start {node[-1]:.2f}s, VM boot {vm[-1]:.2f}s", flush=True)
    finally:
        m.stop()
    mn, mv = statistics.median(node), statistics.median(vm)
    print(f"node start to init marker: median {mn:.2f}s (min {min(node):.2f}, max {max(node):.2f})")
    print(f"cold KVM VM boot, same kernel+initramfs: median {mv:.2f}s (min {min(vm):.2f}, max {max(vm):.2f})")
    print(f"ratio VM boot / node start: {mv / mn:.1f}x  ({a.reps} reps, alternating, one run)")
    if a.out:
        with open(a.out, "w") as f:
            f.write("rep,node_start_s,vm_boot_s\n")
            for i, (x, y) in enumerate(zip(node, vm)):
                f.write(f"{i + 1},{x:.3f},{y:.3f}\n")


if __name__ == "__main__":
    main()
