"""make demo: the main job on the default config.

Boots the emulated machine with configs/demo.conf, then shows the whole
picture: node0 up with its reservations, node1 and node2 started from the
config on their own CPUs and UARTs, the stock Debian guest under node0's KVM
and one under each node's KVM, a status table, and how long each step took.

  python3 -m tests.rig.demo [--config C] [--keep]
    --keep   leave the machine running at the end (prints how to reach it)
"""

import argparse
import os
import re
import sys
import time

from tests.rig import machine as rig

CFG = "/etc/mint/partition.conf"


class Steps:
    def __init__(self):
        self.rows = []
        self.t0 = time.monotonic()

    def run(self, what, fn):
        print(f"==> {what} ...", flush=True)
        t = time.monotonic()
        try:
            detail = fn() or ""
        except (rig.TestFailure, rig.RigFailure) as e:
            self.rows.append((what, time.monotonic() - t, f"FAILED: {e}"))
            raise
        dt = time.monotonic() - t
        self.rows.append((what, dt, detail))
        print(f"    done in {dt:.1f}s{': ' + detail if detail else ''}", flush=True)
        return detail

    def summary(self):
        print("\nSummary")
        w = max(len(r[0]) for r in self.rows)
        for what, dt, detail in self.rows:
            print(f"  {what:<{w}}  {dt:6.1f}s  {detail}")
        print(f"  {'total':<{w}}  {time.monotonic() - self.t0:6.1f}s")


def wait_guest(runner, name, timeout=300):
    """Wait for a guest's marker; runner(cmd) runs a command where it lives."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        _, out = runner(f"grep -m1 GUEST-MARKER /run/mint/vm/{name}/console.log 2>/dev/null; "
                        f"test -f /run/mint/vm/{name}/exit && echo VM-EXITED")
        m = re.search(r"GUEST-MARKER .*", out)
        if m:
            return m.group(0).strip()
        if "VM-EXITED" in out:
            _, err = runner(f"cat /run/mint/vm/{name}/qemu.err; tail -3 /run/mint/vm/{name}/console.log")
            raise rig.TestFailure(f"guest {name} exited before its marker: {err.strip()[-300:]}")
        time.sleep(2)
    raise rig.TestFailure(f"guest {name}: no marker within {timeout}s")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--config", default=os.path.join(rig.ROOT, "configs", "demo.conf"))
    ap.add_argument("--keep", action="store_true")
    a = ap.parse_args()

    run_dir = rig.new_run_dir("demo")
    print(f"demo: config {a.config}; logs in {run_dir}")
    m = rig.Machine(run_dir, config=a.config, smp=4, mem="4G")
    steps = Steps()
    ok = False
    try:
        def boot():
            m.start()
            m.wait_for(r"MINT-AGENT-UP", 180)
            _, out = m.run("cat /proc/cmdline")
            res = re.findall(r"memmap=\S+", out)
            return f"node0 up, reservations {' '.join(res)}"
        steps.run("boot node0 (firmware, kernel, initramfs)", boot)

        def check():
            _, out = m.run(f"mintctl check --system {CFG} && mintctl show {CFG} | head -20")
            return "config valid against the running machine"
        steps.run("mintctl check --system", check)

        for node, uart in (("node1", "com2"), ("node2", "com3")):
            def start(node=node, uart=uart):
                m.run(f"mintctl start --config={CFG} {node}", timeout=180)
                mm = m.wait_for(rf"MINT-NODE-UP node={node} .*kvm=\w+", 60, log=uart)
                return mm.group(0).strip()
            steps.run(f"mintctl start {node} (console on {uart.upper()})", start)

        def guest0():
            # started at node0's boot by its VM supervisor from the config,
            # pinned to the CPU node0 keeps besides CPU 0
            marker = wait_guest(lambda c: m.run(c, check=False), "guest0")
            _, cpus = m.run("cat /run/mint/vm/guest0/cpus")
            return f"{marker} (CPU {cpus.strip()})"
        steps.run("guest0 under node0's KVM (autostart)", guest0)

        for node, uart, guest in (("node1", "com2", "guest1"), ("node2", "com3", "guest2")):
            def g(uart=uart, guest=guest):
                # started by the node's VM supervisor from the config
                return wait_guest(lambda c: m.console_run(uart, c, timeout=60), guest)
            steps.run(f"{guest} under {node}'s KVM (autostart)", g)

        def status():
            _, out = m.run(f"mintctl status --config={CFG}")
            print("    " + out.strip().replace("\n", "\n    "))
            return ""
        steps.run("mintctl status", status)
        ok = True
    except (rig.TestFailure, rig.RigFailure) as e:
        print(f"demo: FAILED: {e}", file=sys.stderr)
    finally:
        steps.summary()
        if a.keep and ok:
            print(f"\nThe machine keeps running. Reach node0 with:\n"
                  f"  python3 -m tests.rig.machine run {run_dir} 'mintctl status'\n"
                  f"Node consoles: {run_dir}/com2.log, com3.log. Stop it with:\n"
                  f"  python3 -m tests.rig.machine stop {run_dir}")
        else:
            m.stop()
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
