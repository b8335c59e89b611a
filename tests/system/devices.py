"""S7: whole PCI devices given to nodes (configs/demo.conf: node1 owns the
virtio-blk disk 00:06.0 and the virtio-net NIC 00:07.0, node2 owns 00:08.0
and 00:09.0; the NICs share a QEMU-internal hub and nothing else).

  - node0 unbinds them and keeps its drivers off (driver_override);
  - node1 sees exactly its two functions, through ECAM;
  - node1 writes its disk and reads it back; the data survives a restart;
  - node1 and node2 exchange traffic over their own NICs;
  - the devices' MSI-X vectors appear only in node1, on its CPU;
  - node0's own devices keep interrupting (its COM1, which the test's
    commands do not use);
  - a device another node owns is refused (exit 4), and release gives the
    devices back to node0's drivers.
"""

import os
import re
import sys
import time

from tests.system.harness import Suite, com1_round_trip, expect, rig

CONFIG = os.path.join(rig.ROOT, "configs", "demo.conf")
CFG = "/etc/mint/partition.conf"


def start(m, node, cfg=CFG):
    rc, out = m.run(f"mintctl start --config={cfg} {node}", timeout=180, check=False)
    expect(rc == 0, f"mintctl start {node} exited {rc}: {out}")
    return out


def main():
    s = Suite("devices")
    m = s.machine(config=CONFIG, smp=4, mem="4G", tcg_threads="single")

    def boot():
        m.wait_for(r"MINT-AGENT-UP", 180)
        _, out = m.run("ls /sys/bus/pci/devices/0000:00:06.0/driver/module 2>/dev/null; "
                       "readlink /sys/bus/pci/devices/0000:00:06.0/driver")
        expect("virtio-pci" in out, f"node0 did not drive 00:06.0 at boot: {out!r}")
        base_irq = m.run("grep -c virtio /proc/interrupts")[1]
        out = start(m, "node1")
        expect("0000:00:06.0 unbound from node0" in out, f"no unbind reported: {out}")
        start(m, "node2")
        m.wait_for(r"MINT-NODE-UP node=node1", 60, log="com2")
        m.wait_for(r"MINT-NODE-UP node=node2", 60, log="com3")
        return base_irq
    s.require("boot-and-start-nodes", boot)

    def node0_side():
        _, out = m.run("for d in 06 07 08 09; do p=/sys/bus/pci/devices/0000:00:$d.0; "
                       "echo $d $(cat $p/driver_override) $(readlink $p/driver || echo unbound); done")
        for line in out.splitlines():
            d, owner, drv = line.split()
            want = "mint-node1" if d in ("06", "07") else "mint-node2"
            expect(owner == want and drv == "unbound", f"00:{d}.0 in node0: {owner} {drv}")
        _, irqs = m.run("cat /proc/interrupts")
        expect(not re.search(r"0000:00:0[6-9]\.0", irqs), "node0 still has vectors of given-away devices")
    s.check("node0-lets-go", node0_side)

    def visible():
        _, out = m.console_run("com2", "ls /sys/bus/pci/devices")
        expect(out.split() == ["0000:00:06.0", "0000:00:07.0"], f"node1 sees PCI functions {out.split()}")
        _, out = m.console_run("com3", "ls /sys/bus/pci/devices")
        expect(out.split() == ["0000:00:08.0", "0000:00:09.0"], f"node2 sees PCI functions {out.split()}")
    s.check("each-node-sees-only-its-devices", visible)

    def disk():
        rc, out = m.console_run(
            "com2", "dd if=/dev/urandom of=/tmp/pat bs=64k count=32 2>/dev/null; "
            "dd if=/tmp/pat of=/dev/vda bs=64k oflag=direct 2>/dev/null; sync; "
            "echo 3 > /proc/sys/vm/drop_caches; "
            "dd if=/dev/vda bs=64k count=32 iflag=direct 2>/dev/null | md5sum; md5sum < /tmp/pat",
            timeout=120)
        sums = re.findall(r"^([0-9a-f]{32})", out, re.M)
        expect(rc == 0 and len(sums) == 2 and sums[0] == sums[1], f"disk read-back differs: {out!r}")
        return sums[0]
    pattern = s.check("node1-writes-and-reads-its-disk", disk)

    def net():
        m.console_run("com2", "ip link set eth0 up; ip addr add 169.254.7.1/16 dev eth0")
        m.console_run("com3", "ip link set eth0 up; ip addr add 169.254.7.2/16 dev eth0")
        rc, out = m.console_run("com2", "ping -c 3 -W 5 169.254.7.2", timeout=60)
        expect(rc == 0 and "3 packets received" in out, f"node1 -> node2 ping: {out!r}")
        rc, out = m.console_run("com3", "ping -c 3 -W 5 169.254.7.1", timeout=60)
        expect(rc == 0 and "3 packets received" in out, f"node2 -> node1 ping: {out!r}")
    s.check("nodes-exchange-traffic-over-their-nics", net)

    def msix():
        _, out = m.console_run("com2", "cat /proc/interrupts")
        lines = [l for l in out.splitlines() if "PCI-MSIX" in l]
        expect(any("0000:00:06.0" in l for l in lines) and any("0000:00:07.0" in l for l in lines),
               f"node1 has no MSI-X vectors for its devices: {lines}")
        expect(all(re.search(r"0000:00:0[67]\.0", l) for l in lines), f"unexpected MSI-X lines: {lines}")
        counts = [int(l.split()[1]) for l in lines]
        expect(sum(counts) > 0, f"node1's device vectors never fired: {lines}")
        expect(not any("IO-APIC" in l for l in out.splitlines()), "node1 uses the IO-APIC")
    s.check("msix-only-in-node1", msix)

    def node0_devices():
        # not virtio-serial: every command of this test goes through it, so
        # its count rises whatever happens to node0's interrupts
        a, b = com1_round_trip(m, "DEVICES")
        expect(b > a, f"node0's COM1 (IO-APIC pin 4) took no interrupt for a line typed into it ({a} -> {b})")
    s.check("node0-own-devices-keep-working", node0_devices)

    def owned_refused():
        m.run(f"sed -e 's/^devices = 0000:00:06.0, 0000:00:07.0$/devices = 0000:00:07.0/' "
              f"-e 's/^devices = 0000:00:08.0, 0000:00:09.0$/devices = 0000:00:06.0, 0000:00:08.0/' "
              f"{CFG} > /tmp/steal.conf")
        m.run("mintctl stop node2", timeout=120)
        m.run("mintctl release node2")
        rc, out = m.run("mintctl start --config=/tmp/steal.conf node2", check=False)
        expect(rc == 4 and "0000:00:06.0 belongs to node 'node1'" in out,
               f"taking node1's disk: exit {rc}: {out}")
        _, st = m.run("cat /sys/kernel/mint/node1/state")
        expect(st.strip() == "running", f"node1 is {st.strip()} after the refused start")
    s.check("device-of-another-node-refused", owned_refused)

    def persist_and_release():
        m.run("mintctl stop node1", timeout=120)
        start(m, "node1")
        since = m.log("com2").rfind("mint: stop requested")
        m.wait_for(r"MINT-NODE-UP node=node1", 60, log="com2", since=max(since, 0))
        _, out = m.console_run("com2", "dd if=/dev/vda bs=64k count=32 iflag=direct 2>/dev/null | md5sum",
                               timeout=60)
        expect(pattern and out.split()[0] == pattern, f"disk content after a restart: {out!r}")
        m.run("mintctl stop node1", timeout=120)
        m.run("mintctl release node1")
        deadline = time.monotonic() + 20
        # node0 names the disk again (vda, vdb, ... in probe order): find it
        # by its PCI function
        find = "ls /sys/bus/pci/devices/0000:00:06.0/virtio*/block 2>/dev/null"
        while True:
            _, out = m.run(f"readlink /sys/bus/pci/devices/0000:00:06.0/driver; {find}", check=False)
            if "virtio-pci" in out and re.search(r"^vd[a-z]+$", out, re.M):
                break
            expect(time.monotonic() < deadline, f"node0 did not take 00:06.0 back: {out!r}")
            time.sleep(1)
        dev = re.search(r"^vd[a-z]+$", out, re.M).group(0)
        _, out = m.run(f"dd if=/dev/{dev} bs=64k count=32 iflag=direct 2>/dev/null | md5sum")
        expect(out.split()[0] == pattern, "node0 reads different data from node1's disk")
    s.check("disk-persists-and-release-gives-devices-back", persist_and_release)

    sys.exit(s.finish())


if __name__ == "__main__":
    main()
