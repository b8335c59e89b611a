"""Node RAM anywhere: the 64-bit entry (tests/system/configs/high-memory.conf
on an 8 GiB machine).

  - node1, whose RAM lies entirely above 4 GiB (1 GiB at 0x180000000), and
    node2, with two RAM ranges (384 MiB below 4 GiB, 512 MiB above), both
    start through node0's 64-bit trampoline and reach init;
  - each node's kernel sees exactly its ranges as System RAM, and node2
    really uses its second range (a file larger than its first range is
    written and read back intact in its tmpfs);
  - each node runs the stock Debian guest under its own KVM;
  - a forced stop of node1 goes through the stop NMI (its CPU turns
    virtualization off before the INIT), and node1 starts again.
"""

import os
import re
import sys
import time

from tests.system.harness import Suite, expect, start_node

CONFIG = os.path.join(os.path.dirname(os.path.abspath(__file__)), "configs", "high-memory.conf")
CFG = "/etc/mint/partition.conf"
GUEST_TIMEOUT = 300
NODES = {"node1": ("com2", [(0x180000000, 0x1BFFFFFFF)]),
         "node2": ("com3", [(0x40000000, 0x57FFFFFF), (0x220000000, 0x23FFFFFFF)])}


def system_ram(m, uart):
    """The node's top-level System RAM ranges above 1 MiB, merged."""
    _, out = m.console_run(uart, "grep 'System RAM' /proc/iomem")
    ranges = []
    for a, b in re.findall(r"^([0-9a-f]+)-([0-9a-f]+) : System RAM", out, re.M):
        a, b = int(a, 16), int(b, 16)
        if b < 0x100000:
            continue
        if ranges and ranges[-1][1] + 1 == a:
            ranges[-1] = (ranges[-1][0], b)
        else:
            ranges.append((a, b))
    return ranges


def start(m, node, uart):
    t0 = time.monotonic()
    start_node(m, node, uart, config=CFG)
    return time.monotonic() - t0


def main():
    s = Suite("high_memory")
    m = s.machine(config=CONFIG, smp=4, mem="8G", vm_autostart=True)

    def boot():
        m.wait_for(r"MINT-AGENT-UP", 180)
        for node, (uart, _) in NODES.items():
            took = start(m, node, uart)
            print(f"  {node}: start to init marker {took:.1f}s", flush=True)
        _, dm = m.run("dmesg | grep -E 'mint: node node[12]: (image loaded|starting)'")
        print("  " + dm.strip().replace("\n", "\n  "), flush=True)
        expect(re.search(r"node node1: starting .* 64-bit entry 0x180200200", dm),
               f"node1 was not entered at 0x180200200 (64-bit): {dm}")
    s.require("nodes-above-4g-and-two-ranges-reach-init", boot)

    def ram():
        for node, (uart, want) in NODES.items():
            got = system_ram(m, uart)
            # the last 2 MiB of the first range are the control area
            first = want[0]
            exp = [(first[0], first[1] - 0x200000)] + want[1:]
            expect(got == exp, f"{node}'s System RAM {[(hex(a), hex(b)) for a, b in got]}, "
                   f"want {[(hex(a), hex(b)) for a, b in exp]}")
    s.check("nodes-see-exactly-their-ranges", ram)

    def second_range_used():
        # 450 MiB: more than node2's whole first range (384 MiB)
        try:
            _, out = m.console_run("com3", "dd if=/dev/urandom of=/tmp/big bs=1M count=450 2>&1 | tail -1; "
                                   "md5sum /tmp/big; grep MemFree /proc/meminfo", timeout=300)
            sums = re.findall(r"^([0-9a-f]{32})  /tmp/big", out, re.M)
            expect(len(sums) == 1, f"node2 could not write 450 MiB: {out!r}")
            _, again = m.console_run("com3", "md5sum /tmp/big", timeout=300)
            expect(sums[0] in again, f"node2 read back different data: {sums[0]} then {again!r}")
        finally:  # a full /tmp would fail the next checks too (guest2's start)
            m.console_run("com3", "rm -f /tmp/big", timeout=60)
    s.check("node2-uses-its-second-range", second_range_used)

    def guests():
        t0 = time.monotonic()
        found = set()
        while time.monotonic() - t0 < GUEST_TIMEOUT and len(found) < 2:
            for vm, uart in (("guest1", "com2"), ("guest2", "com3")):
                if vm in found:
                    continue
                _, out = m.console_run(uart, f"grep -m1 GUEST-MARKER /run/mint/vm/{vm}/console.log "
                                       "|| true")
                if "hypervisor=KVM" in out:
                    found.add(vm)
                    print(f"  {vm}: marker after {time.monotonic() - t0:.0f}s", flush=True)
            time.sleep(3)
        expect(found == {"guest1", "guest2"},
               f"guests without a KVM marker after {GUEST_TIMEOUT}s: "
               f"{sorted({'guest1', 'guest2'} - found)}")
    s.check("guests-under-each-nodes-kvm", guests)

    def nmi_stop_and_restart():
        rc, out = m.run("mintctl stop --force node1", check=False)
        expect(rc == 0, f"forced stop of node1: exit {rc}: {out}")
        _, dm = m.run("dmesg | grep 'node node1: .* took the stop NMI' | tail -1")
        expect("1 of 1 CPUs took the stop NMI" in dm,
               f"node1's CPU did not take the stop NMI: {dm!r}")
        since = len(m.log("com2"))
        rc, out = m.run(f"mintctl start --config={CFG} node1", timeout=180, check=False)
        expect(rc == 0, f"restart of node1: exit {rc}: {out}")
        m.wait_for(r"MINT-NODE-UP node=node1", 90, log="com2", since=since)
        _, st = m.run("cat /sys/kernel/mint/node1/state /sys/kernel/mint/node2/state")
        expect(st.split() == ["running", "running"], f"states: {st.split()}")
    s.check("forced-stop-by-nmi-then-restart", nmi_stop_and_restart)

    sys.exit(s.finish())


if __name__ == "__main__":
    main()
