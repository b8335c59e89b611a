"""`make demo`, the README's first command, as a test: runs the demo
(tests/rig/demo.py on configs/demo.conf) the way `make demo` does and checks
what it printed:

  - it exits 0 and every step of its summary has a time, none FAILED;
  - node0 boots with the config's reservations, node1 and node2 come up on
    their own UARTs with KVM, and a stock Debian guest prints its marker
    under each kernel's KVM ("hypervisor=KVM"): guest0 under node0's,
    started by node0's VM supervisor and pinned to CPU 1, guest1 and guest2
    under their nodes';
  - the status table lists node0, node1 and node2 running, each with its
    guest running under it.
"""

import os
import re
import signal
import subprocess
import sys

from tests.system.harness import Suite, expect, rig

DEMO_TIMEOUT = 900  # ~40-60 s measured; emulation is noisy, keep it finite
STEPS = ["boot node0", "mintctl check --system", "mintctl start node1", "mintctl start node2",
         "guest0 under node0's KVM", "guest1 under node1's KVM", "guest2 under node2's KVM",
         "mintctl status"]


def main():
    s = Suite("make_demo")
    res = {}

    def run():
        cmd = [sys.executable, "-m", "tests.rig.demo",
               "--config", os.path.join(rig.ROOT, "configs", "demo.conf")]
        p = subprocess.Popen(cmd, cwd=rig.ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
        try:
            stdout, stderr = p.communicate(timeout=DEMO_TIMEOUT)
        except subprocess.TimeoutExpired:
            # SIGINT: the demo's finally powers its machine off
            p.send_signal(signal.SIGINT)
            try:
                stdout, _ = p.communicate(timeout=60)
            except subprocess.TimeoutExpired:
                p.kill()
                stdout, _ = p.communicate()
            expect(False, f"the demo did not end within {DEMO_TIMEOUT}s: {stdout[-1500:]}")
        res["out"] = stdout
        logs = re.search(r"logs in (\S+)", stdout)
        res["logs"] = logs.group(1) if logs else "?"
        print("  " + stdout.strip().replace("\n", "\n  "), flush=True)
        expect(p.returncode == 0, f"the demo exited {p.returncode}: {stderr.strip()[-800:]} "
               f"[logs: {res['logs']}]")
    s.require("demo-runs", run)

    def summary():
        out = res["out"]
        tail = out[out.index("\nSummary"):] if "\nSummary" in out else ""
        expect(tail, f"no summary [logs: {res['logs']}]")
        for step in STEPS:
            mm = re.search(rf"^  {re.escape(step)}.*?\s(\d+\.\d)s  (.*)$", tail, re.M)
            expect(mm, f"summary has no timed step '{step}': {tail!r}")
            expect("FAILED" not in mm.group(2), f"step '{step}' failed: {mm.group(2)}")
        expect(re.search(r"^  total\s+\d+\.\ds$", tail, re.M), f"no total time: {tail!r}")
    s.check("summary-every-step-timed", summary)

    def picture():
        out = res["out"]
        expect(re.search(r"node0 up, reservations memmap=\S+", out), "node0's reservations not shown")
        for node in ("node1", "node2"):
            expect(re.search(rf"MINT-NODE-UP node={node} .*kvm=yes", out),
                   f"{node} did not come up with KVM: {out[-1500:]}")
        for guest in ("guest0", "guest1", "guest2"):
            expect(re.search(rf"GUEST-MARKER vm={guest} uname=\S*deb12\S* hypervisor=KVM", out),
                   f"{guest}: no stock Debian marker under KVM")
        expect(re.search(r"GUEST-MARKER vm=guest0 .*\(CPU 1\)", out),
               "guest0 is not pinned to CPU 1 (node0 keeps CPUs 0-1; nodes take 2 and 3)")
        table = out[out.rindex("NODE "):] if "NODE " in out else ""
        for node, guest in (("node0", "guest0"), ("node1", "guest1"), ("node2", "guest2")):
            expect(re.search(rf"^\s*{node}\s+running\s.*\n((?!\s*node\d)\s+\S.*\n)*?\s+vm {guest} running ",
                             table, re.M),
                   f"the status table does not show {node} running with {guest} running: {table!r}")
    s.check("nodes-and-guests-under-each-kvm", picture)

    sys.exit(s.finish())


if __name__ == "__main__":
    main()
