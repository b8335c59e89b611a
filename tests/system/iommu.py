"""Device DMA confined by the IOMMU (issue 18), on configs/demo.conf: node1
owns the virtio-blk disk 00:06.0 and the NIC 00:07.0, node2 00:08.0 and
00:09.0; the machine has QEMU's VT-d (tests/rig/machine.py).

  - node0 runs with the IOMMU, and check --system accepts the config;
  - at start each node's devices are in its own IOMMU domain mapping
    exactly its RAM without the control area (the dma file, mintctl audit);
  - node1's disk, made to DMA a read outside node1 (debugfs mint_dma_stray,
    CONFIG_MINT_FAULT_INJECTION) into a canary page of node0, one of
    node2, and node1's own control area: each write blocked (canaries
    intact), each fault counted for node1 alone with its address (dma
    file, status, status --json, log), node1's disk I/O works afterwards,
    node2's guest beats throughout;
  - a stop and start without a release keeps the node's domain;
  - the same stray DMA with the node defined iommu = off does reach node0's
    canary: the test can fail, and the confinement is the IOMMU's;
  - audit reports that as a mismatch against the config that requires the
    IOMMU;
  - on node0 booted without an IOMMU, check --system and node0's kernel
    refuse the devices, unless the config says iommu = off.
"""

import json
import os
import re
import sys
import time

from tests.system.harness import Suite, expect, rig, start_node
from tests.system.vms import heartbeats, wait_vm_line

CONFIG = os.path.join(rig.ROOT, "configs", "demo.conf")
CFG = "/etc/mint/partition.conf"
OFF_CFG = "/tmp/iommu-off.conf"
DISK = "0000:00:06.0"
# node1's first range, 640M@0x28000000; its last 2 MiB are the control area
NODE1 = (0x28000000, 640 << 20)
NODE2 = (0x50000000, 640 << 20)
CTRL_SIZE = 2 << 20


def dma_file(m, node):
    _, out = m.run(f"cat /sys/kernel/mint/{node}/dma")
    return out


def canary(m, where):
    cmd = "cat /sys/kernel/debug/mint_dma_canary"
    _, out = m.run(cmd) if where == "node0" else m.console_run(where, cmd)
    mm = re.search(r"^(0x[0-9a-f]+) (intact|changed)$", out.strip(), re.M)
    expect(mm, f"{where}'s canary file: {out!r}")
    return int(mm.group(1), 16), mm.group(2)


def phys_md5(m, addr):
    """node0's view of one page of physical memory (/dev/mem)."""
    _, out = m.run(f"dd if=/dev/mem bs=4096 skip={addr // 4096} count=1 2>/dev/null | md5sum")
    return out.split()[0]


def stray_read(m, addr, skip):
    """node1 reads one 4 KiB block of its disk with the buffer sent to
    @addr; returns the hook's stray count afterwards. (The hook's kernel
    line would land in the middle of the command's output on node1's
    console: dmesg -n 1 keeps it in the log only.)"""
    rc, out = m.console_run(
        "com2", f"dmesg -n 1; echo '{DISK} {addr:#x}' > /sys/kernel/debug/mint_dma_stray && "
        f"dd if=/dev/vda of=/dev/null bs=4096 count=1 skip={skip} iflag=direct 2>&1 | tail -1; "
        "cat /sys/kernel/debug/mint_dma_stray", timeout=60)
    mm = re.search(r"armed (\S+) 0x[0-9a-f]+ strays (\d+)", out)
    expect(rc == 0 and mm and mm.group(1) == "-", f"node1's stray read did not go astray: {out!r}")
    return int(mm.group(2))


def faults(m, node):
    text = dma_file(m, node)
    mm = re.search(r"^faults (\d+)$", text, re.M)
    expect(mm, f"{node}'s dma file has no fault count: {text!r}")
    return int(mm.group(1)), re.findall(r"^fault (\S+) (read|write) (0x[0-9a-f]+)$", text, re.M)


def main():
    s = Suite("iommu")
    # multi-threaded TCG, as vms.py: under single-threaded TCG the nested
    # guest stalls in its early boot (seen here, 2026-12-06)
    m = s.machine(config=CONFIG, smp=4, mem="4G")

    def boot():
        m.wait_for(r"MINT-AGENT-UP", 180)
        _, out = m.run("ls /sys/class/iommu; dmesg | grep -c 'DMAR: Intel(R) Virtualization Technology for Directed I/O'")
        expect(out.split()[:2] == ["dmar0", "1"], f"node0 runs without the IOMMU: {out!r}")
        rc, out = m.run(f"mintctl check --system {CFG}", check=False)
        expect(rc == 0, f"check --system refuses the config on an IOMMU machine: exit {rc}: {out}")
        for node, uart in (("node1", "com2"), ("node2", "com3")):
            start_node(m, node, uart)
    s.require("boot-and-start-nodes", boot)

    def confined():
        for node, (base, size), devs in (("node1", NODE1, ("06", "07")), ("node2", NODE2, ("08", "09"))):
            text = dma_file(m, node)
            want = ["iommu required"] + [f"device 0000:00:{d}.0 confined" for d in devs] + \
                [f"map {base:#x} {base + size - CTRL_SIZE - 1:#x} ok", "faults 0"]
            expect(text.split("\n")[:-1] == want, f"{node}'s dma file: {text!r}, want {want}")
        rc, out = m.run("mintctl audit", check=False)
        expect(rc == 0 and "MISMATCH" not in out, f"audit: exit {rc}: {out}")
        for node, d in (("node1", "06"), ("node2", "09")):
            expect(f"{node} iommu ok: 0000:00:{d}.0: in the node's IOMMU domain" in out,
                   f"audit does not check {node}'s 00:{d}.0: {out}")
            expect(re.search(rf"^{node} msi ok: 0000:00:{d}\.0: [1-9]\d* MSI-X messages?, all to the node's CPUs",
                             out, re.M), f"audit finds no MSI-X message of {node}'s 00:{d}.0: {out}")
    s.check("devices-confined-to-node-ram", confined)

    def guest2_runs():
        # node2's VM supervisor reports its VMs once it is up
        wait_vm_line(m, "node2", r"^guest2 stopped", 60, "node2's VM supervisor")
        rc, out = m.run("mintctl vm start node2/guest2", timeout=240, check=False)
        expect(rc == 0, f"mintctl vm start node2/guest2: exit {rc}: {out}")
        t0 = time.monotonic()
        while not heartbeats(m, "com3", "guest2"):
            expect(time.monotonic() - t0 < 240, "guest2 in node2 never beat")
            time.sleep(3)
    s.require("guest-in-node2-beats", guest2_runs)

    def stray():
        base, size = NODE1
        targets = [("node0's RAM", *canary(m, "node0")), ("node2's RAM", *canary(m, "com3")),
                   ("node1's control area", base + size - CTRL_SIZE + (1 << 20), None)]
        for what, addr, state in targets:
            expect(state in (None, "intact"), f"the canary in {what} is {state} before the test")
        expect(NODE2[0] <= targets[1][1] < NODE2[0] + NODE2[1], f"node2's canary is not in node2: {targets[1]}")
        # node2's canary and node1's control area also as node0 sees them
        node2_before = phys_md5(m, targets[1][1])
        ctrl_before = phys_md5(m, targets[2][1])
        hb = heartbeats(m, "com3", "guest2")[-1][0]
        n = faults(m, "node1")[0]
        expect(n == 0, f"node1 has {n} DMA faults before any stray DMA")
        for k, (what, addr, _) in enumerate(targets):
            expect(stray_read(m, addr, 100 + k) == k + 1, f"the stray into {what} was not made")
            # QEMU translates the buffer when it maps it and when it
            # writes it back: one or two fault records per stray
            before, (n, recent) = n, faults(m, "node1")
            expect(n > before, f"node0 counted no DMA fault of node1 for the stray into {what}")
            expect(recent[-1] == (DISK, "write", f"{addr:#x}"),
                   f"the last fault of node1 is {recent[-1]}, not the disk's write to {addr:#x} ({what})")
        expect(canary(m, "node0")[1] == "intact", "node0's canary changed: node1's disk wrote node0's RAM")
        expect(canary(m, "com3")[1] == "intact", "node2's canary changed: node1's disk wrote node2's RAM")
        expect(phys_md5(m, targets[1][1]) == node2_before, "node0 reads another node2 canary page")
        expect(phys_md5(m, targets[2][1]) == ctrl_before, "node1's disk wrote its control area")
        expect(faults(m, "node2")[0] == 0, "node2 was charged with node1's DMA faults")
        _, log = m.run("dmesg | grep 'mint: node node1: DMA write to'")
        for what, addr, _ in targets:
            expect(f"node1: DMA write to {addr:#x} by {DISK} blocked: outside the node's RAM" in log,
                   f"node0 logged no fault line for {what}: {log!r}")
        expect(heartbeats(m, "com3", "guest2")[-1][0] > hb, "guest2 in node2 stopped beating")
        return targets, n
    result = s.check("stray-dma-blocked-and-counted", stray)

    def reported():
        expect(result, "no stray DMA was made")
        targets, count = result
        last = f"{targets[-1][1]:#x}"
        _, st = m.run("mintctl status node1")
        expect(f"dma: 2 of 2 devices confined to its RAM, {count} DMA faults, last: {DISK} write to {last}"
               in st, f"status: {st}")
        _, js = m.run("mintctl status --json node1")
        node = [n for n in json.loads(js)["nodes"] if n["name"] == "node1"][0]
        expect(node["dma"]["faults"] == count and node["dma"]["recent_faults"][-1] ==
               {"address": DISK, "access": "write", "iova": targets[-1][1]}, f"status --json: {node['dma']}")
        _, log = m.run("mintctl log node1 | grep '^\\[node0\\]'")
        expect(f"[node0] node1: DMA fault {count}: {DISK} write to {last} blocked by the IOMMU" in log,
               f"mintctl log node1 shows no fault: {log!r}")
        return count
    count = s.check("faults-in-status-json-and-log", reported)

    def io_after():
        rc, out = m.console_run(
            "com2", "dd if=/dev/urandom of=/tmp/pat bs=64k count=16 2>/dev/null; "
            "dd if=/tmp/pat of=/dev/vda bs=64k oflag=direct 2>/dev/null; "
            "dd if=/dev/vda bs=64k count=16 iflag=direct 2>/dev/null | md5sum; md5sum < /tmp/pat", timeout=120)
        sums = re.findall(r"^([0-9a-f]{32})", out, re.M)
        expect(rc == 0 and len(sums) == 2 and sums[0] == sums[1], f"node1's disk after the faults: {out!r}")
        rc, out = m.run("mintctl audit node1", check=False)
        expect(rc == 0 and f"node1 dma-faults ok: {count} DMA faults blocked" in out,
               f"audit after the faults: {out}")
    s.check("node1-disk-works-after-faults", io_after)

    def restart_keeps_domain():
        """A stop and start without a release keeps node2's domain: its
        devices are never node0's in between (a device stopped in the
        middle of a transfer may still write)."""
        m.run("mintctl stop node2", timeout=120)
        expect("device 0000:00:08.0 confined" in dma_file(m, "node2"), "node2's disk left its domain at the stop")
        start_node(m, "node2", "com3")
        _, log = m.run("dmesg | grep -c 'node node2: its devices are node0' || true")
        expect(log.strip() == "0", f"node2's devices went back to node0 during its restart ({log.strip()} times)")
        text = dma_file(m, "node2")
        expect("device 0000:00:08.0 confined" in text and "device 0000:00:09.0 confined" in text,
               f"node2's dma file after the restart: {text!r}")
    s.check("restart-keeps-the-domain", restart_keeps_domain)

    def unconfined():
        """The control: node1 started with iommu = off. The same stray read
        reaches node0's canary, and nothing is counted."""
        rc, out = m.run(f"sed '/^\\[node node1\\]/a iommu = off' {CFG} > {OFF_CFG} && "
                        f"mintctl check --system {OFF_CFG}", check=False)
        expect(rc == 0, f"check --system of the iommu = off config: exit {rc}: {out}")
        m.run("mintctl stop node1", timeout=120)
        m.run("mintctl release node1")
        expect("confined" not in dma_file(m, "node1").replace("unconfined", ""),
               "node1's devices stay in its domain after the release")
        out = start_node(m, "node1", "com2", config=OFF_CFG)
        expect("node1: the config changed its CPUs, RAM, iommu or link: defined anew" in out,
               f"start with iommu = off does not say it defined node1 anew: {out}")
        text = dma_file(m, "node1")
        expect(text.startswith("iommu off\n") and f"device {DISK} unconfined" in text and "map " not in text,
               f"node1's dma file with iommu = off: {text!r}")
        _, log = m.run("dmesg | grep 'node node1: DMA of 2 devices' | tail -1")
        expect("reaches all RAM (iommu=off)" in log, f"node0 does not say node1's DMA reaches all RAM: {log!r}")
        addr, state = canary(m, "node0")
        expect(state == "intact", f"node0's canary is {state} before the unconfined stray")
        stray_read(m, addr, 200)
        expect(canary(m, "node0")[1] == "changed",
               "the unconfined stray DMA did not reach node0's canary: the hook or the check is broken")
        expect(faults(m, "node1")[0] == 0, "a fault was counted without the IOMMU")
        rc, out = m.run(f"mintctl audit --config={CFG} node1", check=False)
        expect(rc == 3 and re.search(rf"^node1 iommu MISMATCH: {DISK}: unconfined", out, re.M),
               f"audit against the config that requires the IOMMU: exit {rc}: {out}")
    s.check("unconfined-control-reaches-node0", unconfined)

    def no_iommu():
        """node0 booted with intel_iommu=off: check --system refuses the
        devices, and node0's kernel refuses the load that names them; with
        iommu = off the node starts."""
        m.stop()
        m2 = s.machine(config=CONFIG, smp=4, mem="4G", append_extra="intel_iommu=off", tcg_threads="single")
        m2.wait_for(r"MINT-AGENT-UP", 180)
        _, out = m2.run("ls /sys/class/iommu | wc -l")
        expect(out.strip() == "0", f"intel_iommu=off left an IOMMU: {out!r}")
        rc, out = m2.run(f"mintctl check --system {CFG}", check=False)
        expect(rc == 3 and "node 'node1': devices: this machine shows no IOMMU" in out
               and "or write iommu = off" in out, f"check --system without an IOMMU: exit {rc}: {out}")
        rc, out = m2.run("mintctl start node1", timeout=180, check=False)
        expect(rc == 4 and "not behind an active IOMMU" in out, f"start without an IOMMU: exit {rc}: {out}")
        _, log = m2.run("dmesg | grep 'node node1: load refused'")
        expect("no IOMMU translates one of its PCI functions (iommu=required)" in log,
               f"node0's kernel logged no refusal: {log!r}")
        expect(m2.run("cat /sys/kernel/mint/node1/state")[1].strip() == "offline", "node1 is not offline")
        m2.run(f"sed '/^\\[partition\\]/a iommu = off' {CFG} > {OFF_CFG}")
        out = start_node(m2, "node1", "com2", config=OFF_CFG)
        expect("defined anew" in out, f"start with iommu = off without an IOMMU: {out}")
    s.check("no-iommu-refused-unless-off", no_iommu)

    sys.exit(s.finish())


if __name__ == "__main__":
    main()
