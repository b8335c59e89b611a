"""Node start latency next to a cold VM boot of the same kernel, by phase.

On the emulated machine with configs/demo.conf, alternately, REPS times:
  node   `mintctl start node1` in node0 until node1's init has its services
         up (then a forced stop, so the next start is cold too). Its phases
         come from the start timeline (kernel-patches/0027: node0, the start
         trampoline, the node kernel and the node's init stamp them with the
         TSC; `mintctl status --json` reads them).
  vm     a fresh QEMU/KVM VM in node0 (pinned to CPU 1, 1 vCPU, 640 MiB)
         booting the same bzImage and node initramfs with the node's command
         line, until the same init marker on its serial console. Its phases
         come from node0's clock around it and the guest kernel's own: the
         marker carries the guest's uptime, its log the time of "Run /init".
A node has no firmware, no option ROMs and no device probing in its path.
The node's first start (into RAM no earlier run executed code from) is
reported apart: on the emulated machine, writing the image over the code
of the node's earlier run costs QEMU's TCG its translated blocks (2-3 s
for 36 MB, docs/benchmarks.md); real hardware has no such cost.
Prints each sample, the median of every phase, and the ratios, measured side
by side in one run (this machine is shared and noisy: only ratios mean much):
  node start to running (mintctl to the node's initcalls done) / VM boot
  node start to its init's services / VM boot to the same init marker
With --guest, then once: node1 started with its guest, until the guest's
marker (the time to a node's first guest; a nested guest under emulation).

  python3 -m bench.node_start [--reps N] [--out FILE.csv] [--guest]
"""

import argparse
import os
import re
import statistics
import time

from tests.rig import machine as rig
from tests.rig.timeline import stamped_ms

CFG = "/etc/mint/partition.conf"

# Coarse phases both sides have: (name, node's from, node's to)
COARSE = [
    ("before start_kernel", "mintctl", "start-kernel"),
    ("kernel to init", "start-kernel", "init"),
    ("init to its services", "init", "agent"),
]
VM_COARSE = ["QEMU, firmware, load, decompression", "kernel to init", "init to its marker"]


def node_once(m):
    since = len(m.log("com2"))
    t0 = time.monotonic()
    m.run(f"mintctl start --config={CFG} node1", timeout=180)
    m.wait_for(r"MINT-NODE-UP node=node1", 120, log="com2", since=since)
    seen = time.monotonic() - t0
    tl = stamped_ms(m, "node1", "agent")
    m.run("mintctl stop --force node1")
    ph = {"running": tl["initcalls"] - tl["mintctl"], "total": tl["agent"] - tl["mintctl"],
          "host-seen": seen * 1000}
    for name, a, b in COARSE:
        ph[name] = tl[b] - tl[a]
    order = list(tl)
    for a, b in zip(order, order[1:]):
        ph[f"{a} -> {b}"] = tl[b] - tl[a]
    return ph


def vm_once(m, cmdline):
    # the timing runs inside node0 (no control-channel latency in it)
    script = f"""
rm -f /tmp/vm.log
t0=$(cut -d' ' -f1 /proc/uptime)
taskset -c 1 qemu-system-x86_64 -nodefaults -no-user-config -M q35 -accel kvm \\
  -cpu qemu64 -smp 1 -m 640M -display none -no-reboot -serial file:/tmp/vm.log \\
  -kernel /boot/mint/bzImage -initrd /boot/mint/node.cpio \\
  -append '{cmdline}' 2>/tmp/vm.err &
pid=$!
i=0
while ! grep -q MINT-NODE-UP /tmp/vm.log 2>/dev/null; do
  i=$((i + 1)); [ $i -gt 3000 ] && break; sleep 0.05
done
t1=$(cut -d' ' -f1 /proc/uptime)
sleep 0.5  # the rest of the marker's line (its uptime) reaches the log
kill $pid; wait $pid 2>/dev/null
grep -q MINT-NODE-UP /tmp/vm.log || {{ cat /tmp/vm.err; tail -5 /tmp/vm.log; exit 1; }}
grep -a -e MINT-NODE-UP -e 'Run /init as init process' /tmp/vm.log
echo "WALL $t0 $t1"
"""
    _, out = m.run(script, timeout=300)
    t0, t1 = (float(x) for x in re.search(r"WALL ([\d.]+) ([\d.]+)", out).groups())
    up = re.search(r"MINT-NODE-UP .*uptime=(\d+\.\d+)", out)
    run_init = re.search(r"\[\s*([\d.]+)\] Run /init as init process", out)
    if not up or not run_init:
        raise RuntimeError(f"the VM's log lacks its init marker's uptime or 'Run /init': {out[-600:]}")
    up, run_init = float(up.group(1)), float(run_init.group(1))
    total = (t1 - t0) * 1000
    return {"total": total, VM_COARSE[0]: total - up * 1000, VM_COARSE[1]: run_init * 1000,
            VM_COARSE[2]: (up - run_init) * 1000}


def first_guest(m):
    """node1 started with its guest guest1 (autostart), until the guest's
    marker in node1: the whole path from mintctl to a guest's user space."""
    m.run(f"sed '/^\\[vm guest1\\]/,/^\\[/s/^autostart = no/autostart = yes/' {CFG} > /tmp/guest.conf")
    since = len(m.log("com2"))
    t0 = time.monotonic()
    m.run("mintctl start --config=/tmp/guest.conf node1", timeout=180)
    m.wait_for(r"MINT-NODE-UP node=node1", 120, log="com2", since=since)
    m.console_send("com2", "while ! grep -q GUEST-MARKER /run/mint/vm/guest1/console.log 2>/dev/null; "
                   "do sleep 0.2; done; echo FIRST-GUEST-''UP")  # the typed line must not match
    m.wait_for(r"FIRST-GUEST-UP", 900, log="com2", since=since)
    dt = time.monotonic() - t0
    m.run("mintctl stop --force node1", timeout=120)
    return dt


def med(samples, key):
    vals = [s[key] for s in samples if key in s]
    return statistics.median(vals) if vals else float("nan")


def report(node, vm, reps):
    print(f"\nnode1's start timeline, median of {reps} (ms, each phase since the one before):")
    for key in [k for k in node[0] if " -> " in k]:
        print(f"  {key:>28} {med(node, key):9.1f}")
    print("\nside by side (median ms):")
    print(f"  {'phase':<38} {'node':>9} {'VM':>9}")
    for (name, _, _), vname in zip(COARSE, VM_COARSE):
        print(f"  {name + ' / ' + vname:<38} {med(node, name):9.1f} {med(vm, vname):9.1f}")
    print(f"  {'total (node: to its services)':<38} {med(node, 'total'):9.1f} {med(vm, 'total'):9.1f}")
    mr, mt, mv = med(node, "running"), med(node, "total"), med(vm, "total")
    print(f"node start to running: median {mr / 1000:.2f}s "
          f"(min {min(s['running'] for s in node) / 1000:.2f}, max {max(s['running'] for s in node) / 1000:.2f})")
    print(f"node start to its init's services: median {mt / 1000:.2f}s "
          f"(as the rig saw the init marker: {med(node, 'host-seen') / 1000:.2f}s)")
    print(f"cold KVM VM boot, same kernel+initramfs, to the init marker: median {mv / 1000:.2f}s "
          f"(min {min(s['total'] for s in vm) / 1000:.2f}, max {max(s['total'] for s in vm) / 1000:.2f})")
    print(f"ratio node start to running / VM boot: {mr / mv:.2f}x")
    print(f"ratio node start to init services / VM boot: {mt / mv:.2f}x  ({reps} reps, alternating, one run)")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--out")
    ap.add_argument("--guest", action="store_true", help="also time node1 to its first guest's marker")
    a = ap.parse_args()
    run_dir = rig.new_run_dir("bench-node-start")
    m = rig.Machine(run_dir, config=rig.config_without_vm_autostart(
        os.path.join(rig.ROOT, "configs", "demo.conf"), run_dir))
    m.start()
    guest = None
    try:
        m.wait_for(r"MINT-AGENT-UP", 180)
        # the node's first start: into RAM the emulator never ran code
        # from; its own command line, with the console on the VM's ttyS0
        first = node_once(m)
        cmdline = re.search(r"Command line: (.*)", m.log("com2")).group(1).strip()
        cmdline = cmdline.replace("0x2f8", "0x3f8").replace("ttyS1", "ttyS0")
        node, vm = [], []
        for i in range(a.reps):
            node.append(node_once(m))
            vm.append(vm_once(m, cmdline))
            print(f"rep {i + 1}: node start to running {node[-1]['running'] / 1000:.2f}s, "
                  f"to its init's services {node[-1]['total'] / 1000:.2f}s; "
                  f"VM boot {vm[-1]['total'] / 1000:.2f}s", flush=True)
        if a.guest:
            guest = first_guest(m)
    finally:
        m.stop()
    report(node, vm, a.reps)
    print(f"the node's first start (no code of an earlier run in its RAM): to running "
          f"{first['running'] / 1000:.2f}s, of which copying the image {first['checked -> copied']:.0f} ms; "
          f"ratio to the VM boot {first['running'] / med(vm, 'total'):.2f}x")
    if guest is not None:
        print(f"node start to its first guest's marker (nested, emulated): {guest:.1f}s")
    if a.out:
        keys = ["running", "total", "host-seen"] + [c[0] for c in COARSE]
        with open(a.out, "w") as f:
            f.write("rep," + ",".join(f"node {k} ms" for k in keys) + ",vm total ms," +
                    ",".join(f"vm {k} ms" for k in VM_COARSE) + "\n")
            for i, (x, y) in enumerate(zip(node, vm)):
                f.write(f"{i + 1}," + ",".join(f"{x[k]:.1f}" for k in keys) + f",{y['total']:.1f}," +
                        ",".join(f"{y[k]:.1f}" for k in VM_COARSE) + "\n")


if __name__ == "__main__":
    main()
