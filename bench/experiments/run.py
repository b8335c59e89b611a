#!/usr/bin/env python3
"""Fault-isolation experiments on the emulated machine (issue 7).

Layouts (tests/system/configs/vms.conf):
  mint    the faulted VM guest1 in node1, the victim guest2 in node2
  single  the faulted VM guest1 and the victim guest1b both under node1's KVM
          (the control: what one hypervisor does NOT contain)
Faults (injected on the faulted side):
  node-panic      `echo c > /proc/sysrq-trigger` in node1
  node-hang       every CPU of node1 spins with interrupts off (mint_hang)
  vm-qemu-killed  kill -9 of guest1's QEMU in node1
For each run: the victim's heartbeat timeline (CSV), node0's detection
latency, the recovery time (node1 restarted until its VMs print their
markers again), into RESULTS/runs/ in the format of FORMAT.md, plus
RESULTS/meta.txt. An emulator fault is recorded as a rig failure.

  run.py [--reps N] [--faults a,b] [--layouts a,b] RESULTS_DIR
"""

import argparse
import json
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "rig"))
import machine as rig  # noqa: E402

CONFIG = os.path.join(ROOT, "tests", "system", "configs", "vms.conf")
CFG = "/etc/mint/partition.conf"
FAULTS = ["node-panic", "node-hang", "vm-qemu-killed"]
LAYOUTS = {"mint": ("com3", "guest2"), "single": ("com2", "guest1b")}
OBSERVE_S = 35  # the report looks from 10 s before to 30 s after the fault
BOOT_TIMEOUT = 300


def heartbeats(m, uart, vm):
    """(guest uptime, n) of the heartbeat lines the victim printed, and the
    host time they were read at; None if the victim's node cannot answer."""
    try:
        _, out = m.console_run(uart, f"grep GUEST-HEARTBEAT /run/mint/vm/{vm}/console.log | tail -400",
                               timeout=20)
    except rig.TestFailure:
        return None
    return time.monotonic(), [(float(u), int(n)) for n, u in re.findall(r"n=(\d+) up=([\d.]+)", out)]


def to_host_times(read, t0):
    """Place heartbeat lines on the host's clock: the last line was read at
    read[0]; earlier ones lie back by their uptime difference."""
    if not read or not read[1]:
        return []
    t_read, lines = read
    u_last = lines[-1][0]
    return [(t_read - t0 - (u_last - u), n, u) for u, n in lines]


def wait_markers(m, uart, vms, timeout=BOOT_TIMEOUT):
    t0 = time.monotonic()
    for vm in vms:
        while True:
            _, out = m.console_run(uart, f"grep -c GUEST-MARKER /run/mint/vm/{vm}/console.log "
                                   f"2>/dev/null || true", timeout=30)
            if out.strip() not in ("", "0"):
                break
            if time.monotonic() - t0 > timeout:
                raise rig.TestFailure(f"{vm} printed no marker within {timeout}s")
            time.sleep(2)


def start_node(m, node, uart):
    since = len(m.log(uart))
    m.run(f"mintctl start --config={CFG} {node}", timeout=180)
    m.wait_for(rf"MINT-NODE-UP node={node}", 60, log=uart, since=since)


def inject(m, fault):
    if fault == "node-panic":
        m.console_send("com2", "echo c > /proc/sysrq-trigger")
    elif fault == "node-hang":
        m.console_send("com2", "echo all > /sys/kernel/debug/mint_hang")
    elif fault == "vm-qemu-killed":
        m.console_run("com2", "kill -9 $(cat /run/mint/vm/guest1/pid)")
    else:
        raise ValueError(fault)


def detected(m, fault):
    _, out = m.run("cat /sys/kernel/mint/node1/state; cat /sys/kernel/mint/node1/vms")
    if fault == "node-panic":
        return out.split()[0] == "panic"
    if fault == "node-hang":
        return out.split()[0] == "hung"
    return bool(re.search(r"^guest1 crashed", out, re.M))


def one_run(m, fault, layout, rep, outdir):
    uart, victim = LAYOUTS[layout]
    name = f"{fault}--{layout}--{rep}"
    result = {"fault": fault, "layout": layout, "rep": rep, "fault_t_host_s": None,
              "detected": False, "detection_latency_s": None, "recovered": False,
              "recovery_s": None, "victim_records_ok": None, "rig_failure": None, "notes": ""}
    t0 = time.monotonic()
    rows = []
    try:
        m.run("echo 3000 > /sys/kernel/mint/node1/hung_timeout_ms")
        time.sleep(5)
        before = heartbeats(m, uart, victim)
        t_fault = time.monotonic()
        inject(m, fault)
        result["fault_t_host_s"] = round(t_fault - t0, 3)
        while time.monotonic() - t_fault < OBSERVE_S:
            if not result["detected"] and detected(m, fault):
                result["detected"] = True
                result["detection_latency_s"] = round(time.monotonic() - t_fault, 3)
            time.sleep(0.5)
        after = heartbeats(m, uart, victim)
        rows = to_host_times(after, t0) if after else to_host_times(before, t0)
        if after is None:
            result["notes"] = "the victim's node did not answer after the fault"
        # recovery: node1 back with its VMs, timed from the injection
        t_rec = t_fault
        if fault == "vm-qemu-killed":
            m.console_run("com2", "mint-vm start guest1 --kernel /boot/mint/guest/vmlinuz "
                          "--initrd /boot/mint/guest/initrd.gz --memory 192M --cmdline console=ttyS0")
            wait_markers(m, "com2", ["guest1"])
        else:
            m.run("mintctl stop --force node1", timeout=60)
            start_node(m, "node1", "com2")
            wait_markers(m, "com2", ["guest1", "guest1b"])
        result["recovered"] = True
        result["recovery_s"] = round(time.monotonic() - t_rec, 3)
    except rig.RigFailure as e:
        result["rig_failure"] = str(e)
    except rig.TestFailure as e:
        result["notes"] = (result["notes"] + "; " if result["notes"] else "") + str(e)
    result["run_end_t_host_s"] = round(time.monotonic() - t0, 3)
    with open(os.path.join(outdir, name + ".csv"), "w") as f:
        f.write("t_host_s,victim_n,victim_uptime_s\n")
        for t, n, u in rows:
            f.write(f"{t:.3f},{n},{u:.2f}\n")
    with open(os.path.join(outdir, name + ".json"), "w") as f:
        json.dump(result, f, indent=1)
    print(f"{name}: detected={result['detected']} latency={result['detection_latency_s']} "
          f"recovery={result['recovery_s']} heartbeats={len(rows)} "
          f"{'RIG FAILURE ' + result['rig_failure'] if result['rig_failure'] else ''}{result['notes']}",
          flush=True)
    return result


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reps", type=int, default=20)
    ap.add_argument("--faults", default=",".join(FAULTS))
    ap.add_argument("--layouts", default=",".join(LAYOUTS))
    ap.add_argument("results")
    a = ap.parse_args()
    runs = os.path.join(a.results, "runs")
    os.makedirs(runs, exist_ok=True)
    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    with open(os.path.join(a.results, "meta.txt"), "w") as f:
        f.write(f"commit={commit}\nmachine=QEMU q35 TCG -cpu max -smp 4 -m 4G (emulated)\n"
                f"config={os.path.relpath(CONFIG, ROOT)}\ncommand={' '.join(sys.argv)}\n"
                f"date={time.strftime('%Y-%m-%d %H:%M:%S')}\n")
    run_dir = rig.new_run_dir("experiments")
    m = rig.Machine(run_dir, config=CONFIG)
    m.start()
    rig_fail = 0
    try:
        m.wait_for(r"MINT-AGENT-UP", 180)
        start_node(m, "node1", "com2")
        start_node(m, "node2", "com3")
        wait_markers(m, "com2", ["guest1", "guest1b"])
        wait_markers(m, "com3", ["guest2"])
        for rep in range(1, a.reps + 1):
            for fault in a.faults.split(","):
                for layout in a.layouts.split(","):
                    r = one_run(m, fault, layout, rep, runs)
                    if r["rig_failure"]:
                        rig_fail += 1
                        raise rig.RigFailure(r["rig_failure"])
    finally:
        m.stop()
        print(f"machine logs: {run_dir}")
    sys.exit(1 if rig_fail else 0)


if __name__ == "__main__":
    main()
