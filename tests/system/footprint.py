"""The shared-hardware footprint of a node (issue 14 item 13): node1 of
tests/system/configs/footprint.conf (CPUs 1-3, a disk and a NIC, a guest
of two vCPUs, a command line asking for IPI broadcasts) runs under QEMU's
memory-region access trace from before node0 starts it until after node0
stopped it (node0's SIPI to node0's INIT and more), while the node writes
to its disk and the guest runs. Every access by CPUs 1-3 in that window
is the node's; tests/rig/footprint.py sorts them:

  - the node touched only its own UART, its local APIC, and its own
    devices' BARs and configuration space (the regions and counts are
    printed);
  - every IPI it sent stayed in the node: physical destination among
    APIC IDs 1-3 or itself, never a broadcast shorthand, and it did send
    IPIs (so the trace saw them).

The machine runs in xAPIC mode (nox2apic), the mode whose IPIs the trace
shows; the kernels decide destinations and shorthands the same way in
x2APIC mode, where the rest of the rig runs.
"""

import os
import re
import sys
import time

from tests.rig import footprint
from tests.system.harness import Suite, expect, rig, start_node, wait_node_state

CONFIG = os.path.join(os.path.dirname(os.path.abspath(__file__)), "configs", "footprint.conf")
CFG = "/etc/mint/partition.conf"
FUNCTIONS = ["0000:00:06.0", "0000:00:07.0"]
NODE = {"cpus": {1, 2, 3}, "apic_ids": {1, 2, 3}, "uart": 0x2F8,
        "functions": {(0, 6, 0), (0, 7, 0)}}
RUN_S = 20  # the node and its guest at work, traced


def main():
    s = Suite("footprint")
    run_dir = rig.new_run_dir("footprint")
    trace = os.path.join(run_dir, "mr-trace.log")
    # The trace's file is named at launch; its events are turned on and
    # off through QEMU's monitor around node1's life. xAPIC mode (nox2apic):
    # its IPIs are writes to the APIC's MMIO page, which the trace shows
    # with the sending CPU (x2APIC MSR writes it does not). node1 follows
    # node0's mode.
    m = rig.Machine(run_dir, config=CONFIG, smp=4, mem="4G", append_extra="nox2apic",
                    extra_args=["-trace", f"file={trace}"])
    s.machines.append(m)
    m.start()
    state = {}

    def boot():
        m.wait_for(r"MINT-AGENT-UP", 180)
        bars = []
        for fn in FUNCTIONS:
            _, res = m.run(f"cat /sys/bus/pci/devices/{fn}/resource")
            bars += footprint.bars(res)
        expect(bars, "no BAR of node1's devices found in node0's sysfs")
        state["node"] = dict(NODE, bars=bars)
    s.require("boot", boot)

    def traced_life():
        m.monitor("trace-event memory_region_ops_* on")
        start_node(m, "node1", uart="com2", config=CFG, wait=120)
        deadline = time.monotonic() + 300
        while not re.search(r"GUEST-MARKER vm=guest1",
                            m.console_run("com2", "grep -m1 GUEST-MARKER "
                                          "/run/mint/vm/guest1/console.log || true")[1]):
            expect(time.monotonic() < deadline, "guest1 printed no marker within 300s")
            time.sleep(5)
        m.console_run("com2", f"dd if=/dev/zero of=/dev/vda bs=64k count=256 oflag=direct "
                              f"2>/dev/null; sleep {RUN_S}; echo done", timeout=RUN_S + 120)
        rc, out = m.run("mintctl stop node1", timeout=180, check=False)
        expect(rc == 0, f"mintctl stop node1: exit {rc}: {out}")
        wait_node_state(m, "node1", "stopped", 60)
        m.monitor("trace-event memory_region_ops_* off")
        time.sleep(1)
        with open(trace, errors="replace") as f:
            text = f.read()
        state["regions"], state["problems"] = footprint.footprint(text, state["node"])
        print(f"  trace: {len(text) >> 20} MiB; node1's CPUs touched:", flush=True)
        for region, n in sorted(state["regions"].items(), key=lambda x: -x[1]):
            print(f"    {n:9d}  {region}", flush=True)
        if not state["problems"]:
            os.unlink(trace)  # tens of MiB; the counts above are the record
    s.require("node-runs-traced-start-to-stop", traced_life)

    def only_its_own():
        expect(not [p for p in state["problems"] if "IPI" not in p],
               "node1's CPUs touched shared hardware: " + "; ".join(
                   p for p in state["problems"] if "IPI" not in p) + f" (the trace: {trace})")
        expect(state["regions"].get("own UART") and state["regions"].get("local APIC"),
               f"the trace shows no access by node1 to its UART or APIC: {state['regions']}")
    s.check("node-touches-only-its-uart-apic-and-devices", only_its_own)

    def ipis_inside():
        expect(not [p for p in state["problems"] if "IPI" in p],
               "node1 sent IPIs out of the node: " + "; ".join(
                   p for p in state["problems"] if "IPI" in p))
        expect(state["regions"].get("IPIs sent", 0) > 0,
               "the trace shows no IPI sent by node1 (three CPUs and a guest send many)")
    s.check("node-ipis-stay-in-the-node", ipis_inside)
    sys.exit(s.finish())


if __name__ == "__main__":
    main()
