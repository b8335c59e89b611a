"""Stress the flake classes of docs/timings.md ("Flake classes"): control
commands to a guest in a node, and the emulator's lost EOIs, on the
multi-threaded machine with nested guests.

Boots tests/system/configs/vms.conf, starts node1 and node2 with their
guests, then makes TRIES round trips `mint-vm inject guest2 'verify TAG'`
-> the tagged answer on guest2's console (guest2 runs under node2's KVM),
while node1 is stopped (graceful and forced in turn) and started again with
its two guests every CYCLE round trips. After every node1 cycle it reads
every local APIC through QEMU's monitor and counts the lost-EOI signature
(tests/rig/apic.py: a lost EOI or a lost wakeup, in three readings a
second apart).

A lost command is counted, its evidence printed (which layer lost it, from
the guest's control-port byte count, tests/rig/guests.py), and the loop goes
on; a lost EOI or any other machine fault ends the run. Prints one line per
lost event, then "PASS:/FAIL: stress/guest-control/..." lines and the
rates; --csv appends one row per run.

  python3 -m tests.stress.guest_control [--tries N] [--cycle K] [--csv FILE] [--config FILE]
"""

import argparse
import os
import sys
import time

from tests.rig import guests
from tests.rig import machine as rig
from tests.stress import results

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CONFIG = os.path.join(ROOT, "tests", "system", "configs", "vms.conf")
CFG = "/etc/mint/partition.conf"


def wait_beating(m, uart, vm, timeout=300):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            # its second heartbeat: printed after its control reader started
            _, out = m.console_run(uart, f"grep -c GUEST-HEARTBEAT /run/mint/vm/{vm}/console.log "
                                   "2>/dev/null || true")
        except rig.ConsoleGarbled:
            out = ""  # typed before a restarted node's shell was up: ask again
        if out.strip().isdigit() and int(out) >= 2:
            return
        time.sleep(3)
    raise rig.TestFailure(f"{vm} printed no second heartbeat within {timeout}s")


def cycle_node1(m, k):
    """Stop node1 (forced on odd cycles) and start it again with its guests."""
    how = "stop --force" if k % 2 else "stop"
    rc, out = m.run(f"mintctl {how} node1", timeout=180, check=False)
    if rc:
        raise rig.TestFailure(f"mintctl {how} node1: exit {rc}: {out}")
    since = len(m.log("com2"))
    rc, out = m.run(f"mintctl start --config={CFG} node1", timeout=180, check=False)
    if rc:
        raise rig.TestFailure(f"mintctl start node1: exit {rc}: {out}")
    m.wait_for(r"MINT-NODE-UP node=node1", 90, log="com2", since=since)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tries", type=int, default=500)
    ap.add_argument("--cycle", type=int, default=25, help="round trips between node1 cycles")
    ap.add_argument("--csv")
    ap.add_argument("--config", default=CONFIG,
                    help="partition config: vms.conf's nodes and guests (default), e.g. another cmdline")
    a = ap.parse_args()

    run_dir = rig.new_run_dir("stress-guest-control")
    m = rig.Machine(run_dir, config=a.config, smp=4, mem="4G").start()
    lost, faults, fault, done, cycles = [], [], None, 0, 0
    t0 = time.monotonic()
    try:
        m.wait_for(r"MINT-AGENT-UP", 180)
        for node, uart in (("node1", "com2"), ("node2", "com3")):
            rc, out = m.run(f"mintctl start --config={CFG} {node}", timeout=180, check=False)
            if rc:
                raise rig.TestFailure(f"mintctl start {node}: exit {rc}: {out}")
            m.wait_for(rf"MINT-NODE-UP node={node}", 90, log=uart)
        wait_beating(m, "com3", "guest2")
        for i in range(1, a.tries + 1):
            try:
                guests.verify_records(m, "com3", "guest2", timeout=60, poll=0.5)
            except rig.TestFailure as e:
                lost.append(i)
                print(f"  LOST round trip {i}: {e}", flush=True)
            done = i
            if i % a.cycle == 0 and i < a.tries:
                cycles += 1
                cycle_node1(m, cycles)
                faults = m.emulator_faults(m.dump_cpus())
                if faults:
                    break
            if i % 50 == 0:
                print(f"  {i} round trips, {len(lost)} lost, {cycles} node1 cycles, "
                      f"{time.monotonic() - t0:.0f}s", flush=True)
        if not faults:
            faults = m.emulator_faults(m.dump_cpus())
    except (rig.TestFailure, rig.RigFailure) as e:
        fault = e
        faults = faults or m.emulator_faults(m.dump_cpus())
    finally:
        m.stop()
    took = time.monotonic() - t0
    name = "stress/guest-control"
    summary = (f"{done} round trips, {len(lost)} lost, {cycles} node1 cycles, "
               f"{took:.0f}s [logs: {run_dir}]")
    print(f"  guest control: {len(lost)}/{done} lost; emulator interrupt faults: {len(faults)} in "
          f"{took:.0f}s of machine time", flush=True)
    if a.csv:
        results.append_row(a.csv, ["date", "tries", "lost", "cycles", "seconds", "emulator_faults",
                                   "fault"],
                           [time.strftime('%Y-%m-%d %H:%M'), done, len(lost), cycles, f"{took:.0f}",
                            len(faults), '; '.join(faults)[:200] or str(fault or '')[:200]])
    ok = True
    if faults:
        print(f"FAIL: {name}/no-emulator-interrupt-fault: RIG FAILURE: emulator fault: "
              f"{'; '.join(faults)} after {summary}")
        ok = False
    else:
        print(f"PASS: {name}/no-emulator-interrupt-fault ({summary})")
    if fault:
        print(f"FAIL: {name}/machine-kept-answering: {fault} after {summary}")
        ok = False
    if lost:
        print(f"FAIL: {name}/every-command-answered: round trips {lost} lost of {done}")
        ok = False
    elif done < a.tries:
        print(f"FAIL: {name}/every-command-answered: only {done} of {a.tries} round trips ran")
        ok = False
    else:
        print(f"PASS: {name}/every-command-answered ({summary})")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
