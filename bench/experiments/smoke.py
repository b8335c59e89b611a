#!/usr/bin/env python3
"""The fault-isolation experiment scripts, reduced so they cannot rot
(`make experiments` runs the full matrix): one node panic in each layout.

  mint    guest1 (node1) is faulted with its node, guest2 (node2) is the
          victim: the victim keeps its heartbeat (largest gap <= 5 s) and
          node0 detects the panic;
  single  guest1 and the victim guest1b share node1's KVM: the victim's
          heartbeat stops with the node (the control works);
and node1 recovers (restarted, its VMs back to their markers) both times.
"""

import csv
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "tests", "system"))
from harness import Suite, expect, rig  # noqa: E402

GAP_S = 5.0


def load(results, name):
    with open(os.path.join(results, "runs", name + ".json")) as f:
        meta = json.load(f)
    with open(os.path.join(results, "runs", name + ".csv")) as f:
        rows = [(float(r["t_host_s"]), int(r["victim_n"]), float(r["victim_uptime_s"]))
                for r in csv.DictReader(f)]
    return meta, rows


def main():
    s = Suite("fault_isolation")
    results = os.path.join(rig.new_run_dir("fault-isolation-results"))
    state = {}

    def run():
        p = subprocess.run([sys.executable, os.path.join(rig.ROOT, "bench", "experiments", "run.py"),
                            "--reps", "1", "--faults", "node-panic", "--layouts", "mint,single",
                            results], capture_output=True, text=True, timeout=1800)
        print("  " + p.stdout.strip().replace("\n", "\n  "), flush=True)
        if p.returncode:
            raise rig.TestFailure(f"run.py exited {p.returncode}: {p.stderr.strip()[-800:]}")
        state["ok"] = True
    s.require("experiment-runs", lambda: run())

    def mint():
        meta, rows = load(results, "node-panic--mint--1")
        expect(meta["rig_failure"] is None, f"rig failure: {meta['rig_failure']}")
        expect(meta["detected"], "node0 did not detect node1's panic")
        after = [r for r in rows if r[0] > meta["fault_t_host_s"]]
        expect(len(after) >= 5, f"the victim printed {len(after)} heartbeats after the fault")
        gaps = [b[2] - a[2] for a, b in zip(rows, rows[1:])]
        expect(max(gaps) <= GAP_S, f"victim's largest heartbeat gap {max(gaps):.1f}s > {GAP_S}s")
        expect(meta["recovered"], f"node1 did not recover: {meta['notes']}")
    s.check("mint-layout-contains-a-node-panic", mint)

    def single():
        meta, rows = load(results, "node-panic--single--1")
        expect(meta["rig_failure"] is None, f"rig failure: {meta['rig_failure']}")
        after = [r for r in rows if r[0] > meta["fault_t_host_s"] + 1]
        expect(not after, f"the victim under the panicked node's KVM kept beating ({len(after)} beats)")
        expect(meta["recovered"], f"node1 did not recover: {meta['notes']}")
    s.check("single-kvm-control-loses-the-victim", single)

    report = os.path.join(rig.ROOT, "bench", "experiments", "expreport.py")
    if os.path.exists(report):
        def rep():
            out = os.path.join(results, "report")
            p = subprocess.run([sys.executable, report, results, out], capture_output=True, text=True)
            expect(p.returncode == 0, f"expreport.py exited {p.returncode}: {p.stderr[-500:]}")
            expect(os.path.exists(os.path.join(out, "summary.md")), "no summary.md")
        s.check("report", rep, needs_machine=False)

    sys.exit(s.finish())


if __name__ == "__main__":
    main()
