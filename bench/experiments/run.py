"""Fault-isolation experiments on the emulated machine (docs/experiments.md).

Config bench/experiments/configs/fault-isolation.conf: node1 runs the
faulted VM guest1 and guest1b, node2 runs guest2. Every injection into node1
or guest1 is observed from two victims at once, one per layout:
  mint    victim guest2, alone under node2's KVM (one VM per node)
  single  victim guest1b, under the same KVM as guest1 (the control: what
          one hypervisor does NOT contain)
so one injection writes two runs, <fault>--mint--<rep> and
<fault>--single--<rep>, in the format of FORMAT.md.

Faults (on node1 or guest1):
  none                                 the control: nothing injected
  node-panic                           echo c > /proc/sysrq-trigger in node1
  node-hang                            every CPU of node1 spins, interrupts off
  node-oom                             a shell in node1 grows until the OOM killer acts
  vm-qemu-killed                       kill -9 of guest1's QEMU
  guest-panic                          guest1's kernel panics (sysrq c)
  guest-triple-fault                   guest1 triple-faults (kexec into an empty IDT)
  node-forced-stop-during-disk-writes  mintctl stop --force node1 while
                                       guest1b writes its records
  node-kernel-update                   node1's kernel replaced (the second
                                       build, bzImage-update) while its VMs
                                       run, victim guest1b in both layouts,
                                       two injections: mint, `mintctl
                                       update node1` (its VMs move to node2
                                       and back); single, node1 stopped and
                                       started on it (one kernel under its
                                       VMs: they go down with it)
Per run: the victim's heartbeat timeline, node0's detection latency, the
recovery time (node1 restarted, or guest1 restarted by its node's
supervisor, until guest1 prints its marker again), and the victim's disk
records (every record acknowledged before the fault read back intact).

  python3 -m bench.experiments.run [--reps N] [--faults a,b] RESULTS_DIR
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time

from bench.experiments import targets
from tests.rig import guests
from tests.rig import machine as rig

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

CONFIG = os.path.join(HERE, "configs", "fault-isolation.conf")
CFG = "/etc/mint/partition.conf"
FAULTS = ["none", "node-panic", "node-hang", "node-oom", "vm-qemu-killed", "guest-panic",
          "guest-triple-fault", "node-forced-stop-during-disk-writes", "node-kernel-update"]
UPDATE = "node-kernel-update"
# what node-kernel-update replaces node1's kernel with, in node0: on the
# emulated machine make's second build of the node kernel
NEW_KERNEL = "/boot/mint/bzImage-update"
NODE_FAULTS = {"node-panic", "node-hang", "node-forced-stop-during-disk-writes"}
VM_REASONS = {"vm-qemu-killed": "qemu-killed-by-signal-9", "guest-panic": "guest-kernel-panic",
              "guest-triple-fault": "guest-triple-fault"}
VICTIMS = {"mint": ("node2", "guest2"), "single": ("node1", "guest1b")}
WINDOW_S = 32        # the report looks up to 30 s after the fault
DETECT_S = 60        # give up waiting for node0 to notice
BOOT_TIMEOUT = 300
HUNG_TIMEOUT_MS = 3000
BASELINE_BEATS = 10  # heartbeats each victim shows before any fault
HOG = "sh -c 'x=$(head -c 3000000000 /dev/zero | tr \"\\\\000\" a); echo ${#x}' >/dev/null 2>&1 &"


def heartbeats(m, uart, vm):
    """(read time, [(uptime, n, rec)]) of the victim's heartbeat lines; None
    if its node cannot answer."""
    try:
        _, out = m.console_run(uart, f"grep GUEST-HEARTBEAT /run/mint/vm/{vm}/console.log | tail -400",
                               timeout=20)
    except rig.TestFailure:
        return None
    lines = []
    for line in out.splitlines():
        # whole lines only (each ends with ctl-rx=): the guest's UART writes
        # a line byte by byte, so the file's last line may be cut short, and
        # a line sent while the VM moves ends in the next node's file
        mm = re.search(r"n=(\d+) up=([\d.]+)(?: rec=(\d+))? ctl-rx=\d", line)
        if mm:
            lines.append((float(mm.group(2)), int(mm.group(1)), int(mm.group(3) or 0)))
    return time.monotonic(), lines


def to_host_times(read, t0):
    """Place heartbeat lines on the host's clock: the last line was read at
    read[0]; earlier ones lie back by their uptime difference."""
    if not read or not read[1]:
        return []
    t_read, lines = read
    u_last = lines[-1][0]
    return [(t_read - t0 - (u_last - u), n, u) for u, n, _ in lines]


def markers(m, uart, vm):
    try:
        _, out = m.console_run(uart, f"grep -c GUEST-MARKER /run/mint/vm/{vm}/console.log "
                               "2>/dev/null || true", timeout=30)
    except rig.ConsoleGarbled:
        return 0  # typed before a restarted node's shell was up: ask again
    return int(out.strip() or 0)


def wait_marker(m, uart, vm, timeout=BOOT_TIMEOUT):
    t0 = time.monotonic()
    while markers(m, uart, vm) == 0:
        if time.monotonic() - t0 > timeout:
            raise rig.TestFailure(f"{vm} printed no marker within {timeout}s")
        time.sleep(1)


def start_node(m, node):
    m.mark(node)
    m.run(f"mintctl start --config={CFG} {node}", timeout=180)
    m.node_up(node)
    m.run(f"echo {HUNG_TIMEOUT_MS} > /sys/kernel/mint/{node}/hung_timeout_ms")


def vm_line(m, vm):
    _, out = m.run("cat /sys/kernel/mint/node1/vms")
    mm = re.search(rf"^{vm} (\S+) .*restarts=(\d+)(?: last=(\S+))?", out, re.M)
    return (mm.group(1), int(mm.group(2)), mm.group(3)) if mm else (None, 0, None)


def control_snapshot(m):
    """What a watcher sees of the machine: node1's and node2's states and
    every VM line of node1 (state, restarts). The no-fault control polls it
    exactly as a fault's detection polls node0."""
    _, out = m.run("cat /sys/kernel/mint/node1/state /sys/kernel/mint/node2/state; "
                   "cat /sys/kernel/mint/node1/vms")
    lines = out.splitlines()
    snap = {"node1": lines[0].strip() if lines else "?",
            "node2": lines[1].strip() if len(lines) > 1 else "?"}
    for line in lines[2:]:
        mm = re.match(r"(\S+) (\S+) .*restarts=(\d+)", line)
        if mm:
            snap[mm.group(1)] = f"{mm.group(2)} restarts={mm.group(3)}"
    return snap


def control_changes(base, now):
    """What changed between two control_snapshot()s: ["what: was -> is"].
    Anything at all is a false alarm in a run where nothing was injected."""
    return [f"{k}: {base.get(k, 'absent')} -> {now.get(k, 'absent')}"
            for k in sorted(set(base) | set(now)) if base.get(k) != now.get(k)]


def wait_baseline(m, uart, vm, beats=BASELINE_BEATS, timeout=120):
    """Wait until VM's console holds @beats heartbeats (it starts afresh
    with every start of the VM), so each victim has a baseline over the
    same window before the fault; returns what heartbeats() read."""
    t0 = time.monotonic()
    while True:
        read = heartbeats(m, uart, vm)
        if read and len(read[1]) >= beats:
            return read
        if time.monotonic() - t0 > timeout:
            have = len(read[1]) if read else 0
            raise rig.TestFailure(f"{vm} printed {have} heartbeats, not the {beats} of a "
                                  f"baseline, within {timeout}s")
        time.sleep(1)


def oom_count(m):
    _, out = m.run("mintctl log node1 2>/dev/null | grep -c 'Out of memory' || true")
    return int(out.strip() or 0)


def inject(m, fault):
    if fault == "node-panic":
        m.console_send("node1", "echo c > /proc/sysrq-trigger")
    elif fault == "node-hang":
        m.console_send("node1", "echo all > /sys/kernel/debug/mint_hang")
    elif fault == "node-oom":
        m.console_send("node1", HOG)
    elif fault == "vm-qemu-killed":
        m.console_send("node1", "kill -9 $(cat /run/mint/vm/guest1/pid)")
    elif fault == "guest-panic":
        m.console_send("node1", "mint-vm inject guest1 panic")
    elif fault == "guest-triple-fault":
        m.console_send("node1", "mint-vm inject guest1 triple-fault")
    elif fault == "node-forced-stop-during-disk-writes":
        m.run("mintctl stop --force node1", timeout=60)
    elif fault != "none":
        raise ValueError(fault)


def detected(m, fault, base):
    """Has node0 reported the fault? base: what node0 showed before it."""
    _, st = m.run("cat /sys/kernel/mint/node1/state")
    st = st.strip()
    if fault == "node-panic":
        return st == "panic"
    if fault == "node-hang":
        return st == "hung"
    if fault == "node-forced-stop-during-disk-writes":
        return st == "stopped"
    if fault == "node-oom":
        return oom_count(m) > base["oom"]
    if fault in VM_REASONS:
        state, restarts, last = vm_line(m, "guest1")
        return state == "crashed" or (restarts > base["restarts"] and last == VM_REASONS[fault])
    return False


def recover(m, fault, base):
    """Bring node1 (node faults, or an OOM that took the node down) or
    guest1 back; returns when guest1 printed its marker again and whether
    node1 was restarted."""
    if fault in NODE_FAULTS or (fault == "node-oom" and not node_answers(m)):
        m.run("mintctl stop --force node1", timeout=60, check=False)
        start_node(m, "node1")
        wait_marker(m, "node1", "guest1")
        return True
    # the node's supervisor restarts guest1 when it died (on-failure)
    t0 = time.monotonic()
    while True:
        state, restarts, _ = vm_line(m, "guest1")
        if state == "running" and (fault not in VM_REASONS or restarts > base["restarts"]):
            break
        if time.monotonic() - t0 > 60:
            raise rig.TestFailure(f"guest1 not running again after 60 s (state {state})")
        time.sleep(0.5)
    wait_marker(m, "node1", "guest1")
    return False


def node_answers(m):
    try:
        m.console_run("node1", "true", timeout=15)
        return True
    except rig.TestFailure:
        return False


def records(m, uart, vm, acked, restarted):
    """The victim's disk after the run: every record acknowledged (named in
    a heartbeat) before the fault must read back intact. A restarted victim
    verified its disk at boot; a running one is asked now."""
    if restarted:
        pat = rf"GUEST-DISK vm={vm} at-boot good=(\d+) bad=(\d+) holes=(\d+) last=(\d+)"
        # the console log starts afresh with each start of the VM
        cmd = f"grep -a 'GUEST-DISK vm={vm} at-boot' /run/mint/vm/{vm}/console.log || true"
        t0 = time.monotonic()
        while not (mm := re.search(pat, m.console_run(uart, cmd, timeout=30)[1])):
            if time.monotonic() - t0 > 90:
                return None, f"{vm} printed no at-boot report of its records in 90 s"
            time.sleep(2)
        good, bad, holes, last = (int(x) for x in mm.groups())
    else:
        good, bad, holes, last = guests.verify_records(m, uart, vm)
    ok = bad == 0 and holes == 0 and good == last and last >= acked
    return ok, f"{vm}: acked {acked} before the fault; good={good} bad={bad} holes={holes} last={last}"


def write_run(outdir, fault, layout, rep, result, rows):
    name = f"{fault}--{layout}--{rep}"
    with open(os.path.join(outdir, name + ".csv"), "w") as f:
        f.write("t_host_s,victim_n,victim_uptime_s\n")
        last = None
        for t, n, u in rows:
            t = t if last is None else max(t, last)
            last = t
            f.write(f"{t:.3f},{n},{u:.2f}\n")
    with open(os.path.join(outdir, name + ".json"), "w") as f:
        json.dump(dict(result, format=1, fault=fault, layout=layout, rep=rep), f, indent=1)
    print(f"{name}: detected={result['detected']} latency={result['detection_latency_s']} "
          f"recovery={result['recovery_s']} heartbeats={len(rows)} "
          f"records_ok={result['victim_records_ok']} "
          f"{'RIG FAILURE ' + result['rig_failure'] if result['rig_failure'] else ''}"
          f"{result['notes']}", flush=True)


def one_injection(m, fault, rep, outdir, t0):
    """Inject once, observe both victims; write the mint and single runs."""
    base = {}
    # (a run that fails before its injection still has a time for it)
    common = {"fault_t_host_s": round(time.monotonic() - t0, 3), "node1_restarted": False, "run_end_t_host_s": None, "detected": False,
              "detection_latency_s": None, "recovered": False, "recovery_s": None,
              "rig_failure": None, "faulted": "guest1" if fault in VM_REASONS else "node1",
              "shared_injection": f"{fault}--{rep}"}
    per = {lay: {"victim": vm, "victim_records_ok": None, "notes": ""}
           for lay, (_, vm) in VICTIMS.items()}
    before = {}
    try:
        base = {"oom": oom_count(m) if fault == "node-oom" else 0,
                "restarts": vm_line(m, "guest1")[1],
                "victim_restarts": vm_line(m, "guest1b")[1]}
        for lay, (uart, vm) in VICTIMS.items():
            wait_baseline(m, uart, vm)
        for lay, (uart, vm) in VICTIMS.items():
            before[lay] = heartbeats(m, uart, vm)
        snap = control_snapshot(m) if fault == "none" else None
        t_fault = time.monotonic()
        common["fault_t_host_s"] = round(t_fault - t0, 3)
        inject(m, fault)
        while fault != "none" and time.monotonic() - t_fault < DETECT_S:
            if detected(m, fault, base):
                common["detected"] = True
                common["detection_latency_s"] = round(time.monotonic() - t_fault, 3)
                break
            time.sleep(0.25)
        # the control is watched exactly like a fault, for the whole window:
        # any change of a node's state or of node1's VMs is a false alarm
        common["control_polls"] = 0
        while fault == "none" and time.monotonic() - t_fault < WINDOW_S:
            changed = control_changes(snap, control_snapshot(m))
            common["control_polls"] += 1
            if changed:
                common["detected"] = True
                common["detection_latency_s"] = round(time.monotonic() - t_fault, 3)
                for lay in per:
                    per[lay]["notes"] = "false alarm: " + "; ".join(changed)
                break
            time.sleep(0.25)
        if fault != "none" and common["detected"]:
            common["node1_restarted"] = recover(m, fault, base)
            common["recovered"] = True
            common["recovery_s"] = round(time.monotonic() - t_fault, 3)
        while time.monotonic() - t_fault < WINDOW_S:
            time.sleep(0.5)
    except rig.RigFailure as e:
        common["rig_failure"] = str(e)
    except rig.TestFailure as e:
        for lay in per:
            per[lay]["notes"] = str(e)
        if common["detected"] and common["recovery_s"] is None:
            common["recovery_s"] = round(time.monotonic() - t_fault, 3)
    rows = {}
    single_restarted = bool(common.get("node1_restarted")) or (
        not common["rig_failure"] and node_answers(m)
        and vm_line(m, "guest1b")[1] > base.get("victim_restarts", 0))
    for lay, (uart, vm) in VICTIMS.items():
        victim_restarted = lay == "single" and single_restarted
        per[lay]["victim_restarted"] = victim_restarted
        after = None if victim_restarted or common["rig_failure"] else heartbeats(m, uart, vm)
        rows[lay] = to_host_times(after or before.get(lay), t0)
        acked = max((r for _, _, r in (before.get(lay) or (0, []))[1]), default=0)
        if not common["rig_failure"]:
            try:
                ok, why = records(m, uart, vm, acked, victim_restarted)
                per[lay]["victim_records_ok"] = ok
                per[lay]["records"] = why
            except rig.TestFailure as e:
                per[lay]["notes"] += f"; records not read: {e}"
    common["run_end_t_host_s"] = round(time.monotonic() - t0, 3)
    for lay in VICTIMS:
        write_run(outdir, fault, lay, rep, dict(common, **per[lay]), rows[lay])
    return common


def merge_reads(reads):
    """One guest's heartbeat reads from several nodes' consoles (it moved)
    as one read: every line once, by heartbeat number, at the time of the
    read holding the newest line (its uptime clock runs on across moves)."""
    reads = [r for r in reads if r and r[1]]
    if not reads:
        return None
    newest = max(reads, key=lambda r: r[1][-1][1])
    lines = {ln[1]: ln for r in reads for ln in r[1]}
    return newest[0], [lines[n] for n in sorted(lines)]


def bystander_gap(before, after):
    """guest2, in node2 (the node node1's VMs move to): its heartbeats
    from the last one of @before on, in @after (reads of heartbeats()):
    how many, and the largest gap on its clock; None if unreadable."""
    if not before or not before[1] or not after or not after[1]:
        return None
    n0 = before[1][-1][1]
    ups = [u for u, n, _ in after[1] if n >= n0]
    gaps = [b - a for a, b in zip(ups, ups[1:])]
    return {"vm": "guest2", "beats": len(ups), "max_gap_s": round(max(gaps), 3) if gaps else None}


def stop_latency(dmesg, node, up0):
    """Seconds from node0's uptime @up0 to the first "mint: node NODE:
    stopped" line at or after it in node0's kernel log @dmesg: when node0
    took @node out of running, which a poll of its state can miss (a
    node restart under `mintctl update` is over in a few seconds); None
    without such a line."""
    for m in re.finditer(r"^\[\s*([\d.]+)\] mint: node (\S+): stopped", dmesg, re.M):
        if m.group(2) == node and float(m.group(1)) >= up0:
            return round(float(m.group(1)) - up0, 3)
    return None


def background(m, script):
    """Start @script in node0's background: its output in /tmp/exp-bg.out,
    its exit status in /tmp/exp-bg.rc once it ends."""
    m.run(f"rm -f /tmp/exp-bg.rc; ( ( {script} ) > /tmp/exp-bg.out 2>&1; "
          "echo $? > /tmp/exp-bg.rc) &", timeout=30)


def update_phase(m, layout, rep, t0, outdir, kernel=NEW_KERNEL):
    """One injection of node-kernel-update (onto @kernel), observed from
    guest1b: mint moves node1's VMs away and back around its restart,
    single restarts node1 under them."""
    fault = UPDATE
    t_fault = time.monotonic()
    # a run that fails before its injection still has a time for it
    res = {"fault_t_host_s": round(t_fault - t0, 3), "node1_restarted": True,
           "run_end_t_host_s": None,
           "detected": False, "detection_latency_s": None, "recovered": False,
           "recovery_s": None, "rig_failure": None, "faulted": "node1",
           "shared_injection": f"{fault}--{rep}--{layout}", "victim": "guest1b",
           "victim_records_ok": None, "notes": ""}
    before = None
    try:
        before = wait_baseline(m, "node1", "guest1b")
        bystander = heartbeats(m, "node2", "guest2")
        m.mark("node1")
        _, up0 = m.run("cut -d' ' -f1 /proc/uptime")
        t_fault = time.monotonic()
        res["fault_t_host_s"] = round(t_fault - t0, 3)
        if layout == "mint":
            background(m, f"mintctl update --config={CFG} --kernel={kernel} node1")
        else:
            background(m, "mintctl stop node1 && "
                          f"mintctl start --config={CFG} --kernel={kernel} node1")
        reads = [before]
        while True:
            _, st = m.run("cat /sys/kernel/mint/node1/state; cat /tmp/exp-bg.rc 2>/dev/null || true")
            lines = st.split()
            if not res["detected"] and lines and lines[0] != "running":
                res["detected"] = True
                res["detection_latency_s"] = round(time.monotonic() - t_fault, 3)
            if len(lines) > 1:
                break
            if layout == "mint" and not res["detected"]:
                # guest1b's lines in node1 until it leaves: node1's console
                # log of it is gone once node1 restarts
                reads.append(heartbeats(m, "node1", "guest1b"))
            if time.monotonic() - t_fault > 1200:
                raise rig.TestFailure("the update did not end within 1200 s")
            time.sleep(0.5)
        _, out = m.run("cat /tmp/exp-bg.out")
        if lines[1] != "0":
            raise rig.TestFailure(f"exit {lines[1]}: {out.strip()[-400:]}")
        if not res["detected"]:
            # the polls fell on both sides of a short restart: node0's log
            # says when it stopped node1
            _, dmesg = m.run("dmesg")
            latency = stop_latency(dmesg, "node1", float(up0))
            if latency is not None:
                res["detected"], res["detection_latency_s"] = True, latency
                res["notes"] = "detected from node0's kernel log (the state polls missed the restart)"
        m.node_up("node1")
        if layout == "single":
            wait_marker(m, "node1", "guest1b")
        res["recovered"] = True
        res["recovery_s"] = round(time.monotonic() - t_fault, 3)
        while time.monotonic() - t_fault < WINDOW_S:
            time.sleep(0.5)
        back = wait_baseline(m, "node1", "guest1b", beats=1)
        # a guest that moved goes on counting; one started afresh counts from 1
        restarted = back[1][0][1] <= before[1][-1][1]
        after = None
        if not restarted:
            after = merge_reads(reads + [heartbeats(m, "node2", "guest1b"), back])
        res["victim_restarted"] = restarted
        res["bystander"] = bystander_gap(bystander, heartbeats(m, "node2", "guest2"))
        acked = max((r for _, _, r in before[1]), default=0)
        ok, why = records(m, "node1", "guest1b", acked, restarted)
        res["victim_records_ok"], res["records"] = ok, why
    except rig.RigFailure as e:
        res["rig_failure"] = str(e)
        after = None
    except rig.TestFailure as e:
        res["notes"] = str(e)
        after = None
    res["run_end_t_host_s"] = round(time.monotonic() - t0, 3)
    write_run(outdir, fault, layout, rep, res, to_host_times(after or before, t0))
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reps", type=int, default=20)
    ap.add_argument("--faults", default=",".join(FAULTS))
    ap.add_argument("--transport", choices=("rig", "mintctl"), default="rig",
                    help="the emulated machine's nodes through their UARTs (rig), or "
                         "through mintctl console (mintctl)")
    ap.add_argument("--server", action="store_true",
                    help="run on this machine, a server running mint as node0 with the "
                         "config's nodes defined (implies --transport=mintctl)")
    ap.add_argument("--update-kernel", default=NEW_KERNEL,
                    help="node-kernel-update's new kernel, a path in node0 (default: "
                         "make's second build on the emulated machine)")
    ap.add_argument("results")
    a = ap.parse_args()
    faults = a.faults.split(",")
    for f in faults:
        if f not in FAULTS:
            ap.error(f"unknown fault '{f}'; known: {', '.join(FAULTS)}")
    runs = os.path.join(a.results, "runs")
    os.makedirs(runs, exist_ok=True)
    os.makedirs(os.path.join(a.results, "configs"), exist_ok=True)
    for lay in VICTIMS:
        shutil.copy(CONFIG, os.path.join(a.results, "configs", f"{lay}.conf"))
    commit = subprocess.run(["git", "-C", ROOT, "describe", "--always", "--dirty", "--abbrev=40"],
                            capture_output=True, text=True).stdout.strip()
    qemu = subprocess.run(["qemu-system-x86_64", "--version"], capture_output=True,
                          text=True).stdout.split("\n")[0]
    cpu = next((ln.split(":", 1)[1].strip() for ln in open("/proc/cpuinfo")
                if ln.startswith("model name")), "?")
    machine = (f"server: {cpu}, {os.cpu_count()} CPUs" if a.server else
               f"emulated: {qemu} q35 TCG thread=multi -cpu max, 4 vCPUs, 4 GiB on "
               f"{os.cpu_count()} host cores ({cpu})")
    with open(os.path.join(a.results, "meta.txt"), "w") as f:
        f.write(f"commit={commit}\nmachine={machine}\n"
                f"config={os.path.relpath(CONFIG, ROOT)} (both layouts at once: mint victim "
                f"guest2 in node2, single victim guest1b in node1)"
                f"{'' if a.server else '; rig smp=4 mem=4G'}; transport="
                f"{'mintctl' if a.server else a.transport}\n"
                f"command={' '.join(sys.argv)}\n"
                f"date={time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}\n")
    os.makedirs(os.path.join(a.results, "logs"), exist_ok=True)
    if a.server:
        run_dir, mach, m = None, None, targets.MintctlTarget(targets.local_run)
    else:
        run_dir = rig.new_run_dir("experiments")
        # two partitions per node disk: guest2 uses vda1, guest1b vda2 (it
        # moves to node2 in node-kernel-update)
        mach = rig.Machine(run_dir, config=CONFIG, disk_parts=2)
        m = (targets.RigTarget(mach) if a.transport == "rig"
             else targets.MintctlTarget(mach.run))
    t0 = time.monotonic()
    total = len(faults) * a.reps
    print(f"experiments: {len(faults)} faults x {a.reps} reps = {total} injections, "
          f"2 runs each; transport {'mintctl' if a.server else a.transport}; "
          f"machine logs in {run_dir or 'the nodes (mintctl log)'}", flush=True)
    if mach:
        mach.start()
    rig_fail = 0
    try:
        try:
            if mach:
                mach.wait_for(r"MINT-AGENT-UP", 180)
            start_node(m, "node1")
            start_node(m, "node2")
            for uart, vm in (("node1", "guest1"), ("node1", "guest1b"), ("node2", "guest2")):
                wait_marker(m, uart, vm)
        except (rig.TestFailure, rig.RigFailure) as e:
            with open(os.path.join(a.results, "meta.txt"), "a") as f:
                f.write(f"setup_failure={e}\n")
            print(f"experiments: the machine did not get ready, no run made: {e}", file=sys.stderr)
            sys.exit(1)
        done = 0
        for rep in range(1, a.reps + 1):
            for fault in faults:
                done += 1
                print(f"[{done}/{total}] {fault} rep {rep} "
                      f"({time.monotonic() - t0:.0f}s elapsed)", flush=True)
                if fault == UPDATE:
                    r = update_phase(m, "mint", rep, t0, runs, a.update_kernel)
                    if not r["rig_failure"]:
                        r = update_phase(m, "single", rep, t0, runs, a.update_kernel)
                else:
                    r = one_injection(m, fault, rep, runs, t0)
                if r["rig_failure"]:
                    rig_fail += 1
                    raise rig.RigFailure(r["rig_failure"])
    finally:
        if mach:
            mach.stop()
            for f in os.listdir(run_dir):
                if f.endswith(".log") or f in ("qemu.cmd", "qemu.err", "cpus.txt"):
                    shutil.copy(os.path.join(run_dir, f), os.path.join(a.results, "logs", f))
            print(f"machine logs: {run_dir} (copied to {a.results}/logs)")
        else:
            for node in ("node1", "node2"):
                _, out = m.run(f"mintctl log {node}", check=False)
                with open(os.path.join(a.results, "logs", node + ".log"), "w") as f:
                    f.write(out)
    sys.exit(1 if rig_fail else 0)


if __name__ == "__main__":
    main()
